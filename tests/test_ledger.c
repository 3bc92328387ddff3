/* The referral ledger (lib/ledger.c): recording introductions, the status
 * state machine (every pair of statuses), values, listing, the balance,
 * the warm-tie option, removal with a person, and schema version 2 on
 * files written before it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "support.h"
#include "writes.h"

#define MADE NETREF_INTRO_MADE
#define PROPOSED NETREF_INTRO_PROPOSED
#define ACCEPTED NETREF_INTRO_ACCEPTED
#define CONVERTED NETREF_INTRO_CONVERTED
#define DECLINED NETREF_INTRO_DECLINED
#define WARM 1

/* ana, bo, cy, dee, eve, fay in a fresh in-memory network. */
static int six_people(void **state) {
  if (open_memory(state))
    return -1;
  static const char *const keys[] = {"ana", "bo", "cy", "dee", "eve", "fay"};
  static const char *const names[] = {"Ana", "Bo", "Cy", "Dee", "Eve", "Fay"};
  for (int i = 0; i < 6; i++)
    if (netref_person_add(*state, keys[i], names[i]) != NETREF_OK)
      return -1;
  return 0;
}

/* Record ana introducing bo to cy on 2026-01-10. */
static long long add(netref_db *db, int status, int flags) {
  long long id = -1;
  ASSERT_OK(t_intro_add(db, "ana", "bo", "cy", "catering", "2026-01-10", NULL,
                        status, flags, &id));
  assert_true(id > 0);
  return id;
}

/* The text of one cell of the introduction with this id. */
static char *intro_cell(netref_db *db, long long id, const char *col) {
  netref_rows *rows;
  ASSERT_OK(netref_intro_list(db, NULL, &rows));
  char *out = NULL;
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    if ((long long)netref_rows_real(rows, r, 0) == id) {
      const char *t = cell_named(rows, r, col);
      out = t ? strdup(t) : NULL;
    }
  netref_rows_free(rows);
  return out;
}

static void assert_cell(netref_db *db, long long id, const char *col,
                        const char *want) {
  char *got = intro_cell(db, id, col);
  if (want)
    assert_string_equal(got ? got : "(null)", want);
  else
    assert_null(got);
  free(got);
}

/* An introduction in the given status, reached the shortest way. */
static long long in_status(netref_db *db, int status) {
  if (status == PROPOSED || status == MADE || status == ACCEPTED)
    return add(db, status, 0);
  long long id = add(db, MADE, 0);
  ASSERT_OK(t_intro_status(db, id, status, "2026-01-11",
                           status == CONVERTED ? 7.5 : 0));
  return id;
}

static int allowed(int from, int to) {
  if (from == CONVERTED || from == DECLINED || from == to)
    return 0;
  if (to == DECLINED)
    return 1;
  return to > from; /* PROPOSED < MADE < ACCEPTED < CONVERTED */
}

static void state_machine_every_pair(void **state) {
  netref_db *db = *state;
  const int all[] = {PROPOSED, MADE, ACCEPTED, CONVERTED, DECLINED};
  int moves = 0;
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 5; j++) {
      int from = all[i], to = all[j];
      long long id = in_status(db, from);
      int rc =
          t_intro_status(db, id, to, "2026-02-01", to == CONVERTED ? 100 : 0);
      const char *now = netref_intro_status_name(allowed(from, to) ? to : from);
      if (allowed(from, to)) {
        if (rc != NETREF_OK)
          fail_msg("%s -> %s refused: %s", netref_intro_status_name(from),
                   netref_intro_status_name(to), netref_errmsg(db));
        assert_cell(db, id, "changed", "2026-02-01");
        moves++;
      } else {
        if (rc != NETREF_EINVAL)
          fail_msg("%s -> %s: got %d, want NETREF_EINVAL",
                   netref_intro_status_name(from), netref_intro_status_name(to),
                   rc);
        assert_non_null(strstr(netref_errmsg(db), "introduction"));
      }
      assert_cell(db, id, "status", now);
    }
  /* proposed: 4 moves, made: 3, accepted: 2, final ones: none. */
  assert_int_equal(moves, 9);
  assert_string_equal(netref_intro_status_name(PROPOSED), "proposed");
  assert_string_equal(netref_intro_status_name(DECLINED), "declined");
  assert_null(netref_intro_status_name(0));
  assert_null(netref_intro_status_name(6));
  assert_null(netref_intro_status_name(-1));
}

static void messages_say_why(void **state) {
  netref_db *db = *state;
  long long id = in_status(db, ACCEPTED);
  assert_int_equal(t_intro_status(db, id, MADE, NULL, 0), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "back from accepted to made"));
  id = in_status(db, DECLINED);
  assert_int_equal(t_intro_status(db, id, CONVERTED, NULL, 1), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "final"));
}

static void status_values_and_dates(void **state) {
  netref_db *db = *state;
  long long id = add(db, MADE, 0);
  const double bad[] = {-2, -0.001, NAN, INFINITY, -INFINITY};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(t_intro_status(db, id, CONVERTED, "2026-02-01", bad[i]),
                     NETREF_EINVAL);
  /* A value only with converted. */
  assert_int_equal(t_intro_status(db, id, ACCEPTED, "2026-02-01", 5),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "only when"));
  assert_int_equal(t_intro_status(db, id, ACCEPTED, "2026-02-01", NAN),
                   NETREF_EINVAL);
  /* Unknown statuses, ids, bad dates, dates before the last change. */
  assert_int_equal(t_intro_status(db, id, 0, NULL, 0), NETREF_EINVAL);
  assert_int_equal(t_intro_status(db, id, 6, NULL, 0), NETREF_EINVAL);
  assert_int_equal(t_intro_status(db, 9999, ACCEPTED, NULL, 0),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "9999"));
  assert_int_equal(t_intro_status(db, -3, ACCEPTED, NULL, 0), NETREF_ENOTFOUND);
  assert_int_equal(t_intro_status(db, id, ACCEPTED, "2026-02-30", 0),
                   NETREF_EINVAL);
  assert_int_equal(t_intro_status(db, id, ACCEPTED, "2026-01-09", 0),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "before"));
  assert_int_equal(t_intro_status(NULL, id, ACCEPTED, NULL, 0), NETREF_EINVAL);
  assert_cell(db, id, "status", "made");
  assert_cell(db, id, "value", NULL);
  /* The same day as the last change is fine; converting with 0 too. */
  ASSERT_OK(t_intro_status(db, id, ACCEPTED, "2026-01-10", 0));
  ASSERT_OK(t_intro_status(db, id, CONVERTED, "2026-03-01", 1250.5));
  assert_cell(db, id, "value", "1250.5");
  assert_cell(db, id, "changed", "2026-03-01");
  assert_cell(db, id, "made", "2026-01-10");
  long long zero = add(db, PROPOSED, 0);
  ASSERT_OK(t_intro_status(db, zero, CONVERTED, "2026-01-10", 0));
  assert_cell(db, zero, "value", "0");
  assert_cell(db, zero, "made", "2026-01-10"); /* converting is making */
  /* Declined while proposed: never made. */
  long long never = add(db, PROPOSED, 0);
  ASSERT_OK(t_intro_status(db, never, DECLINED, NULL, 0));
  assert_cell(db, never, "made", NULL);
  assert_cell(db, never, "value", NULL);
}

static void today_text(char buf[11]) {
  time_t now = time(NULL);
  struct tm tm;
  assert_non_null(localtime_r(&now, &tm));
  strftime(buf, 11, "%Y-%m-%d", &tm);
}

static void add_checks_every_argument(void **state) {
  netref_db *db = *state;
  long long id = 42;
  assert_int_equal(
      t_intro_add(NULL, "ana", "bo", "cy", NULL, NULL, NULL, PROPOSED, 0, &id),
      NETREF_EINVAL);
  assert_int_equal(id, 0);
  const char *who[][3] = {
      {NULL, "bo", "cy"}, {"ana", NULL, "cy"},   {"ana", "bo", NULL},
      {"", "bo", "cy"},   {"ana", "\xff", "cy"},
  };
  for (size_t i = 0; i < sizeof who / sizeof *who; i++)
    assert_int_equal(t_intro_add(db, who[i][0], who[i][1], who[i][2], NULL,
                                 NULL, NULL, PROPOSED, 0, &id),
                     NETREF_EINVAL);
  const char *unknown[][3] = {
      {"zed", "bo", "cy"}, {"ana", "zed", "cy"}, {"ana", "bo", "zed"}};
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(t_intro_add(db, unknown[i][0], unknown[i][1],
                                 unknown[i][2], NULL, NULL, NULL, PROPOSED, 0,
                                 &id),
                     NETREF_ENOTFOUND);
    assert_non_null(strstr(netref_errmsg(db), "'zed'"));
  }
  const char *same[][3] = {
      {"ana", "bo", "bo"}, {"ana", "ana", "cy"}, {"ana", "bo", "ana"}};
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(t_intro_add(db, same[i][0], same[i][1], same[i][2], NULL,
                                 NULL, NULL, PROPOSED, 0, &id),
                     NETREF_EINVAL);
  assert_int_equal(
      t_intro_add(db, "ana", "bo", "cy", "   ", NULL, NULL, PROPOSED, 0, &id),
      NETREF_EINVAL);
  assert_int_equal(
      t_intro_add(db, "ana", "bo", "cy", "t\xc3", NULL, NULL, PROPOSED, 0, &id),
      NETREF_EINVAL);
  assert_int_equal(
      t_intro_add(db, "ana", "bo", "cy", NULL, NULL, "n\xff", PROPOSED, 0, &id),
      NETREF_EINVAL);
  const char *dates[] = {"2026-13-01", "2026-02-29", "26-01-01", "2026-01-01x"};
  for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
    assert_int_equal(t_intro_add(db, "ana", "bo", "cy", NULL, dates[i], NULL,
                                 PROPOSED, 0, &id),
                     NETREF_EINVAL);
  const int statuses[] = {0, CONVERTED, DECLINED, 6, -1};
  for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
    assert_int_equal(t_intro_add(db, "ana", "bo", "cy", NULL, NULL, NULL,
                                 statuses[i], 0, &id),
                     NETREF_EINVAL);
  assert_int_equal(
      t_intro_add(db, "ana", "bo", "cy", NULL, NULL, NULL, PROPOSED, 2, &id),
      NETREF_EINVAL);
  netref_rows *rows;
  ASSERT_OK(netref_intro_list(db, NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 0); /* nothing was recorded */
  netref_rows_free(rows);

  /* Defaults: today, no tag, no note; tags normalized. */
  ASSERT_OK(
      t_intro_add(db, "ana", "bo", "cy", NULL, NULL, NULL, PROPOSED, 0, &id));
  char today[11];
  today_text(today);
  assert_cell(db, id, "created", today);
  assert_cell(db, id, "changed", today);
  assert_cell(db, id, "tag", NULL);
  assert_cell(db, id, "note", NULL);
  assert_cell(db, id, "made", NULL);
  assert_cell(db, id, "warm_tie", "0");
  long long id2;
  ASSERT_OK(t_intro_add(db, "dee", "cy", "bo", "  Party   PLANNING ",
                        "2025-12-31", "at the Nov evening", MADE, WARM, &id2));
  assert_true(id2 > id);
  assert_cell(db, id2, "tag", "party planning");
  assert_cell(db, id2, "note", "at the Nov evening");
  assert_cell(db, id2, "made", "2025-12-31");
  assert_cell(db, id2, "warm_tie", "1");
  ASSERT_OK(
      t_intro_add(db, "dee", "cy", "bo", "", NULL, "", PROPOSED, 0, &id2));
  assert_cell(db, id2, "tag", NULL);
  assert_cell(db, id2, "note", NULL);
}

static void listing(void **state) {
  netref_db *db = *state;
  long long a, b, c, d;
  ASSERT_OK(t_intro_add(db, "ana", "bo", "cy", "x", "2026-03-01", NULL,
                        PROPOSED, 0, &a));
  ASSERT_OK(t_intro_add(db, "dee", "eve", "fay", NULL, "2026-01-01", NULL, MADE,
                        0, &b));
  ASSERT_OK(t_intro_add(db, "cy", "dee", "ana", NULL, "2026-03-01", "n",
                        ACCEPTED, 0, &c));
  ASSERT_OK(t_intro_add(db, "eve", "ana", "bo", NULL, "2025-06-30", NULL,
                        PROPOSED, 0, &d));
  netref_rows *rows;
  ASSERT_OK(netref_intro_list(db, NULL, &rows));
  static const char *const cols[] = {
      "id",     "introducer", "seeker", "target", "tag",   "created",
      "status", "changed",    "made",   "note",   "value", "warm_tie"};
  assert_int_equal(netref_rows_columns(rows), 12);
  for (size_t i = 0; i < 12; i++)
    assert_string_equal(netref_rows_column_name(rows, i), cols[i]);
  assert_int_equal(netref_rows_count(rows), 4);
  const long long order[] = {d, b, a, c}; /* by created, then id */
  for (size_t r = 0; r < 4; r++)
    assert_true((long long)netref_rows_real(rows, r, 0) == order[r]);
  assert_string_equal(cell_named(rows, 3, "introducer"), "cy");
  assert_string_equal(cell_named(rows, 3, "seeker"), "dee");
  assert_string_equal(cell_named(rows, 3, "target"), "ana");
  assert_string_equal(cell_named(rows, 3, "status"), "accepted");
  assert_string_equal(cell_named(rows, 3, "note"), "n");
  netref_rows_free(rows);

  /* ana takes part in a (introducer), c (target), d (seeker). */
  ASSERT_OK(netref_intro_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 3);
  assert_true((long long)netref_rows_real(rows, 0, 0) == d);
  assert_true((long long)netref_rows_real(rows, 1, 0) == a);
  assert_true((long long)netref_rows_real(rows, 2, 0) == c);
  netref_rows_free(rows);
  ASSERT_OK(netref_intro_list(db, "fay", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  assert_int_equal(netref_intro_list(db, "zed", &rows), NETREF_ENOTFOUND);
  assert_null(rows);
  assert_int_equal(netref_intro_list(db, "\xff", &rows), NETREF_EINVAL);
  assert_int_equal(netref_intro_list(db, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_intro_list(NULL, NULL, &rows), NETREF_EINVAL);
}

/* One balance row: made_for, made_by, converted, value, value_given. */
static void assert_balance_row(const netref_rows *rows, size_t r,
                               const char *key, const char *name,
                               double made_for, double made_by,
                               double converted, double value,
                               double value_given) {
  assert_string_equal(cell_named(rows, r, "key"), key);
  assert_string_equal(cell_named(rows, r, "name"), name);
  const char *cols[] = {"made_for", "made_by", "converted", "value",
                        "value_given"};
  double want[] = {made_for, made_by, converted, value, value_given};
  for (size_t i = 0; i < 5; i++) {
    double got = netref_rows_real(rows, r, (size_t)(i + 2));
    assert_string_equal(netref_rows_column_name(rows, i + 2), cols[i]);
    if (got != want[i])
      fail_msg("%s: %s is %g, want %g", key, cols[i], got, want[i]);
  }
}

static void balance_by_hand(void **state) {
  netref_db *db = *state;
  long long id;
  /* ana made for bo: two made (one converted for 100), one proposed (not
   * counted), one declined while proposed (not counted). */
  ASSERT_OK(t_intro_add(db, "ana", "bo", "cy", NULL, "2026-01-01", NULL, MADE,
                        0, &id));
  ASSERT_OK(t_intro_status(db, id, CONVERTED, "2026-02-01", 100));
  ASSERT_OK(t_intro_add(db, "ana", "bo", "dee", NULL, "2026-01-02", NULL, MADE,
                        0, &id));
  ASSERT_OK(t_intro_add(db, "ana", "bo", "eve", NULL, "2026-01-03", NULL,
                        PROPOSED, 0, &id));
  ASSERT_OK(t_intro_add(db, "ana", "bo", "fay", NULL, "2026-01-03", NULL,
                        PROPOSED, 0, &id));
  ASSERT_OK(t_intro_status(db, id, DECLINED, "2026-01-04", 0));
  /* bo made for ana: one converted for 40, one declined after being
   * made (counted, not converted). */
  ASSERT_OK(t_intro_add(db, "bo", "ana", "cy", NULL, "2026-01-05", NULL,
                        PROPOSED, 0, &id));
  ASSERT_OK(t_intro_status(db, id, CONVERTED, "2026-02-05", 40));
  ASSERT_OK(t_intro_add(db, "bo", "ana", "dee", NULL, "2026-01-06", NULL,
                        ACCEPTED, 0, &id));
  ASSERT_OK(t_intro_status(db, id, DECLINED, "2026-02-06", 0));
  /* cy made for ana: three, two converted for 10 and 2.5. */
  for (int i = 0; i < 3; i++) {
    ASSERT_OK(t_intro_add(db, "cy", "ana", i ? "eve" : "fay", NULL,
                          "2026-01-07", NULL, MADE, 0, &id));
    if (i)
      ASSERT_OK(
          t_intro_status(db, id, CONVERTED, "2026-02-07", i == 1 ? 10 : 2.5));
  }
  /* ana made for eve: one accepted. ana made for dee: one, converted 7. */
  ASSERT_OK(t_intro_add(db, "ana", "eve", "fay", NULL, "2026-01-08", NULL,
                        ACCEPTED, 0, &id));
  ASSERT_OK(t_intro_add(db, "ana", "dee", "fay", NULL, "2026-01-08", NULL, MADE,
                        0, &id));
  ASSERT_OK(t_intro_status(db, id, CONVERTED, "2026-01-09", 7));
  /* Not counted for ana: she is only the target here. */
  ASSERT_OK(t_intro_add(db, "fay", "eve", "ana", NULL, "2026-01-08", NULL, MADE,
                        0, &id));

  netref_rows *rows;
  ASSERT_OK(netref_balance(db, "ana", &rows));
  assert_int_equal(netref_rows_columns(rows), 7);
  assert_int_equal(netref_rows_count(rows), 4);
  /* bo 2+2=4, cy 0+3=3, dee 1, eve 1 (ties broken by key). */
  assert_balance_row(rows, 0, "bo", "Bo", 2, 2, 2, 40, 100);
  assert_balance_row(rows, 1, "cy", "Cy", 0, 3, 2, 12.5, 0);
  assert_balance_row(rows, 2, "dee", "Dee", 1, 0, 1, 0, 7);
  assert_balance_row(rows, 3, "eve", "Eve", 1, 0, 0, 0, 0);
  netref_rows_free(rows);

  /* bo's side of the same ledger mirrors ana's row. */
  ASSERT_OK(netref_balance(db, "bo", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_balance_row(rows, 0, "ana", "Ana", 2, 2, 2, 100, 40);
  netref_rows_free(rows);

  ASSERT_OK(netref_balance(db, "fay", &rows));  /* only ever the target */
  assert_int_equal(netref_rows_count(rows), 1); /* fay made for eve */
  assert_balance_row(rows, 0, "eve", "Eve", 1, 0, 0, 0, 0);
  netref_rows_free(rows);
  assert_int_equal(netref_balance(db, "zed", &rows), NETREF_ENOTFOUND);
  assert_int_equal(netref_balance(db, NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_balance(db, "ana", NULL), NETREF_EINVAL);
  assert_int_equal(netref_balance(NULL, "ana", &rows), NETREF_EINVAL);
}

/* The tie between two people: strength, last contact, context. */
static int tie_of(netref_db *db, const char *a, const char *b, double *s,
                  char *date, char *context) {
  netref_rows *rows;
  int rc = netref_tie_get(db, a, b, &rows);
  if (rc != NETREF_OK)
    return rc;
  *s = netref_rows_real(rows, 0, 2);
  const char *d = cell_named(rows, 0, "last_contact");
  const char *c = cell_named(rows, 0, "context");
  snprintf(date, 16, "%s", d ? d : "");
  snprintf(context, 64, "%s", c ? c : "");
  netref_rows_free(rows);
  return NETREF_OK;
}

/* Whether a query from `from` over one hop finds `to`, who offers x. */
static int reaches(netref_db *db, const char *from, const char *to) {
  netref_options *o;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, 1));
  netref_result *res;
  ASSERT_OK(netref_providers(db, from, "x", o, &res));
  int found = 0;
  for (size_t i = 0; i < netref_result_count(res); i++)
    found |= strcmp(netref_result_key(res, i), to) == 0;
  netref_result_free(res);
  netref_options_free(o);
  return found;
}

static void warm_tie_option(void **state) {
  netref_db *db = *state;
  double s;
  char date[16], context[64];
  long long id;
  ASSERT_OK(t_offer_set(db, "cy", "x", NULL));
  ASSERT_OK(t_offer_set(db, "eve", "x", NULL));
  assert_false(reaches(db, "bo", "cy")); /* builds the index */

  /* Off: no tie. */
  add(db, MADE, 0);
  assert_int_equal(tie_of(db, "bo", "cy", &s, date, context), NETREF_ENOTFOUND);
  /* On, but only proposed: no tie yet. */
  id = add(db, PROPOSED, WARM);
  assert_int_equal(tie_of(db, "bo", "cy", &s, date, context), NETREF_ENOTFOUND);
  /* Made later: a new tie, dated the day it was made. */
  ASSERT_OK(t_intro_status(db, id, MADE, "2026-01-20", 0));
  ASSERT_OK(tie_of(db, "bo", "cy", &s, date, context));
  assert_true(s == 0.5);
  assert_string_equal(date, "2026-01-20");
  assert_string_equal(context, "introduced by ana");
  ASSERT_OK(tie_of(db, "cy", "bo", &s, date, context)); /* both ways */
  assert_true(reaches(db, "bo", "cy"));                 /* the index saw it */
  assert_true(reaches(db, "cy", "bo") == 0);            /* bo offers nothing */
  /* Accepting it later does not touch the tie again. */
  ASSERT_OK(t_tie_set(db, "bo", "cy", 0.25, "2026-01-01", NULL));
  ASSERT_OK(t_intro_status(db, id, ACCEPTED, "2026-02-01", 0));
  ASSERT_OK(tie_of(db, "bo", "cy", &s, date, context));
  assert_true(s == 0.25);
  assert_string_equal(date, "2026-01-01");

  /* An existing cooler, older tie is warmed and dated forward. */
  ASSERT_OK(t_intro_add(db, "ana", "bo", "cy", NULL, "2026-03-01", NULL, MADE,
                        WARM, &id));
  ASSERT_OK(tie_of(db, "bo", "cy", &s, date, context));
  assert_true(s == 0.5);
  assert_string_equal(date, "2026-03-01");
  assert_string_equal(context, "introduced by ana"); /* kept */
  /* A warmer, more recent tie is left as it is. */
  ASSERT_OK(t_tie_set(db, "dee", "eve", 0.9, "2026-05-01", "old"));
  ASSERT_OK(t_intro_add(db, "fay", "dee", "eve", NULL, "2026-04-01", NULL,
                        ACCEPTED, WARM, &id));
  ASSERT_OK(tie_of(db, "dee", "eve", &s, date, context));
  assert_true(s == 0.9);
  assert_string_equal(date, "2026-05-01");
  assert_string_equal(context, "old");
  /* A warmer tie without a date gets the introduction's. */
  ASSERT_OK(t_tie_set(db, "dee", "eve", 0.9, "", NULL));
  ASSERT_OK(t_intro_add(db, "fay", "dee", "eve", NULL, "2026-04-02", NULL,
                        ACCEPTED, WARM, &id));
  ASSERT_OK(tie_of(db, "dee", "eve", &s, date, context));
  assert_true(s == 0.9);
  assert_string_equal(date, "2026-04-02");
  /* Converting straight from proposed makes it, so it warms. */
  id = 0;
  ASSERT_OK(t_intro_add(db, "ana", "fay", "eve", NULL, "2026-01-01", NULL,
                        PROPOSED, WARM, &id));
  assert_true(reaches(db, "fay", "eve") == 0);
  ASSERT_OK(t_intro_status(db, id, CONVERTED, "2026-06-01", 3));
  ASSERT_OK(tie_of(db, "fay", "eve", &s, date, context));
  assert_string_equal(date, "2026-06-01");
  assert_true(reaches(db, "fay", "eve"));
  /* Declined while proposed: never made, no tie. */
  ASSERT_OK(t_intro_add(db, "ana", "dee", "cy", NULL, "2026-01-01", NULL,
                        PROPOSED, WARM, &id));
  ASSERT_OK(t_intro_status(db, id, DECLINED, "2026-01-02", 0));
  assert_int_equal(tie_of(db, "dee", "cy", &s, date, context),
                   NETREF_ENOTFOUND);
}

static void removing_a_person_removes_their_introductions(void **state) {
  netref_db *db = *state;
  long long kept, id;
  ASSERT_OK(
      t_intro_add(db, "bo", "cy", "dee", NULL, NULL, NULL, PROPOSED, 0, &kept));
  ASSERT_OK(
      t_intro_add(db, "ana", "bo", "cy", NULL, NULL, NULL, PROPOSED, 0, &id));
  ASSERT_OK(
      t_intro_add(db, "dee", "ana", "cy", NULL, NULL, NULL, PROPOSED, 0, &id));
  ASSERT_OK(
      t_intro_add(db, "bo", "dee", "ana", NULL, NULL, NULL, PROPOSED, 0, &id));
  long long last = id;
  ASSERT_OK(netref_person_remove(db, "ana"));
  netref_rows *rows;
  ASSERT_OK(netref_intro_list(db, NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_true((long long)netref_rows_real(rows, 0, 0) == kept);
  netref_rows_free(rows);
  /* Ids are never given out again, not even the removed ones. */
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(
      t_intro_add(db, "ana", "bo", "cy", NULL, NULL, NULL, PROPOSED, 0, &id));
  assert_true(id > last);
  ASSERT_OK(netref_intro_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
}

/* ---- schema version 2 on older files ---- */

static void sql_exec(const char *path, const char *sql) {
  sqlite3 *s = NULL;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  char *err = NULL;
  if (sqlite3_exec(s, sql, NULL, NULL, &err) != SQLITE_OK)
    fail_msg("%s: %s", sql, err ? err : "?");
  assert_int_equal(sqlite3_close(s), SQLITE_OK);
}

static int sql_int(const char *path, const char *sql) {
  sqlite3 *s = NULL;
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(s);
  return v;
}

static void version_1_files(void **state) {
  (void)state;
  char dir[] = "/tmp/netref_ledger_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/v1.db", dir);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(netref_person_add(db, "bo", "Bo"));
  ASSERT_OK(netref_person_add(db, "cy", "Cy"));
  netref_close(db);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  /* What netref 0.1 wrote: schema version 1, no ledger. */
  sql_exec(path,
           TIES_TWICE_SQL "DROP TABLE netref_state;"
                          " DROP TABLE group_member; DROP TABLE network_group;"
                          " DROP TABLE tag_relation;"
                          " DROP TABLE introduction; DROP TABLE interaction;"
                          " ALTER TABLE tie DROP COLUMN cadence;"
                          " PRAGMA user_version=1");

  /* Read-only: the rest works, the ledger says why it cannot. */
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_list(db, &rows));
  assert_int_equal(netref_rows_count(rows), 3);
  netref_rows_free(rows);
  assert_int_equal(netref_intro_list(db, NULL, &rows), NETREF_EVERSION);
  assert_null(rows);
  assert_non_null(strstr(netref_errmsg(db), "the referral ledger"));
  assert_int_equal(netref_intro_list(db, "ana", &rows), NETREF_EVERSION);
  assert_int_equal(netref_balance(db, "ana", &rows), NETREF_EVERSION);
  long long id;
  assert_int_equal(
      t_intro_add(db, "ana", "bo", "cy", NULL, NULL, NULL, PROPOSED, 0, &id),
      NETREF_EREADONLY);
  assert_int_equal(t_intro_status(db, 1, MADE, NULL, 0), NETREF_EREADONLY);
  netref_close(db);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), 1);

  /* Read-write: upgraded on open, in place. */
  ASSERT_OK(netref_open_with(path, 0, &db));
  ASSERT_OK(t_intro_add(db, "ana", "bo", "cy", NULL, NULL, NULL, MADE, 0, &id));
  ASSERT_OK(netref_balance(db, "bo", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  netref_close(db);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  ASSERT_OK(netref_intro_list(db, NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  long long other;
  assert_int_equal(
      t_intro_add(db, "ana", "bo", "cy", NULL, NULL, NULL, MADE, 0, &other),
      NETREF_EREADONLY);
  netref_close(db);
  unlink(path);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(state_machine_every_pair, six_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(messages_say_why, six_people, close_db),
      cmocka_unit_test_setup_teardown(status_values_and_dates, six_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(add_checks_every_argument, six_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(listing, six_people, close_db),
      cmocka_unit_test_setup_teardown(balance_by_hand, six_people, close_db),
      cmocka_unit_test_setup_teardown(warm_tie_option, six_people, close_db),
      cmocka_unit_test_setup_teardown(
          removing_a_person_removes_their_introductions, six_people, close_db),
      cmocka_unit_test(version_1_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
