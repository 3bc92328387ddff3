/* Keeping in touch (lib/reconnect.c): cadences, logged contacts moving a
 * tie's last contact forward, the overdue rules and scores of
 * netref_reconnect (checked against brute force on random networks),
 * removal with a person, and schema version 3 on older files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "support.h"
#include "writes.h"

static int five_people(void **state) {
  if (open_memory(state))
    return -1;
  static const char *const keys[] = {"me", "ana", "bo", "cy", "dee"};
  for (int i = 0; i < 5; i++)
    if (netref_person_add(*state, keys[i], NULL) != NETREF_OK)
      return -1;
  return 0;
}

static netref_rows *reconnect(netref_db *db, int older, int hops,
                              const char *today) {
  netref_options *o;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, hops));
  ASSERT_OK(netref_options_set_today(o, today));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_reconnect(db, "me", older, o, &rows));
  netref_options_free(o);
  return rows;
}

/* The keys of the rows, joined by spaces. */
static void keys_of(const netref_rows *rows, char *buf, size_t n) {
  buf[0] = '\0';
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", r ? " " : "",
             cell_named(rows, r, "key"));
}

static void overdue_rules(void **state) {
  netref_db *db = *state;
  ASSERT_OK(t_tie_set(db, "me", "ana", 0.5, "2026-01-01", NULL));
  ASSERT_OK(t_tie_set(db, "me", "bo", 0.5, "2026-01-01", NULL));
  ASSERT_OK(t_tie_set(db, "me", "cy", 0.5, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "me", "dee", 0.5, "2026-03-01", NULL));
  ASSERT_OK(t_tie_cadence(db, "ana", "me", 10));
  /* 2026-01-11: ana exactly at her cadence: not overdue. */
  netref_rows *rows = reconnect(db, 0, 2, "2026-01-11");
  char keys[128];
  keys_of(rows, keys, sizeof keys);
  assert_string_equal(keys, "");
  netref_rows_free(rows);
  rows = reconnect(db, 0, 2, "2026-01-12");
  keys_of(rows, keys, sizeof keys);
  assert_string_equal(keys, "ana");
  assert_string_equal(cell_named(rows, 0, "days_overdue"), "1");
  assert_string_equal(cell_named(rows, 0, "cadence"), "10");
  assert_string_equal(cell_named(rows, 0, "last_contact"), "2026-01-01");
  netref_rows_free(rows);
  /* older_than for the ties without a cadence; cy was never contacted;
   * dee's contact is in the future. */
  rows = reconnect(db, 30, 2, "2026-01-31");
  keys_of(rows, keys, sizeof keys);
  assert_string_equal(keys, "cy ana"); /* equal scores: never first */
  assert_null(cell_named(rows, 0, "days_overdue"));
  assert_string_equal(cell_named(rows, 1, "days_overdue"), "20");
  netref_rows_free(rows);
  rows = reconnect(db, 30, 2, "2026-02-01");
  keys_of(rows, keys, sizeof keys);
  assert_string_equal(keys, "cy ana bo");
  netref_rows_free(rows);
  /* Clearing the cadence: ana follows older_than again. */
  ASSERT_OK(t_tie_cadence(db, "me", "ana", 0));
  rows = reconnect(db, 30, 2, "2026-01-31");
  keys_of(rows, keys, sizeof keys);
  assert_string_equal(keys, "cy");
  netref_rows_free(rows);
  ASSERT_OK(netref_tie_get(db, "me", "ana", &rows));
  assert_null(cell_named(rows, 0, "cadence"));
  netref_rows_free(rows);
  /* Errors. */
  assert_int_equal(t_tie_cadence(db, "me", "ana", -1), NETREF_EINVAL);
  assert_int_equal(t_tie_cadence(db, "me", "zed", 1), NETREF_ENOTFOUND);
  assert_int_equal(netref_reconnect(db, "me", -1, NULL, &rows), NETREF_EINVAL);
  assert_null(rows);
  assert_int_equal(netref_reconnect(db, "zed", 1, NULL, &rows),
                   NETREF_ENOTFOUND);
  assert_int_equal(netref_reconnect(NULL, "me", 1, NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_reconnect(db, "me", 1, NULL, NULL), NETREF_EINVAL);
}

static const char *tie_cell(netref_db *db, const char *a, const char *b,
                            const char *col, char *buf) {
  netref_rows *rows;
  ASSERT_OK(netref_tie_get(db, a, b, &rows));
  const char *t = cell_named(rows, 0, col);
  snprintf(buf, 64, "%s", t ? t : "(null)");
  netref_rows_free(rows);
  return buf;
}

static void contact_logging(void **state) {
  netref_db *db = *state;
  char buf[64];
  long long id1, id2, id3;
  ASSERT_OK(t_tie_set(db, "me", "ana", 0.9, "2026-01-01", "work"));
  ASSERT_OK(t_tie_cadence(db, "me", "ana", 30));
  netref_rows *rows = reconnect(db, 0, 2, "2026-03-01");
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  /* A contact resets the reminder, in both directions of the tie. */
  ASSERT_OK(t_contact_log(db, "ana", "me", "2026-02-20", "call",
                          "lunch next week", &id1));
  assert_true(id1 > 0);
  assert_string_equal(tie_cell(db, "me", "ana", "last_contact", buf),
                      "2026-02-20");
  assert_string_equal(tie_cell(db, "ana", "me", "last_contact", buf),
                      "2026-02-20");
  assert_string_equal(tie_cell(db, "ana", "me", "strength", buf), "0.9");
  assert_string_equal(tie_cell(db, "ana", "me", "context", buf), "work");
  assert_string_equal(tie_cell(db, "ana", "me", "cadence", buf), "30");
  rows = reconnect(db, 0, 2, "2026-03-01");
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  /* An older contact is logged but does not move last_contact back. */
  ASSERT_OK(t_contact_log(db, "me", "ana", "2026-01-15", NULL, NULL, &id2));
  assert_string_equal(tie_cell(db, "me", "ana", "last_contact", buf),
                      "2026-02-20");
  /* A contact creates a missing tie with strength 0.5. */
  ASSERT_OK(t_contact_log(db, "me", "bo", "2026-02-01", "message", "", &id3));
  assert_string_equal(tie_cell(db, "bo", "me", "strength", buf), "0.5");
  assert_string_equal(tie_cell(db, "bo", "me", "last_contact", buf),
                      "2026-02-01");
  /* The index sees the new tie. */
  netref_result *res;
  assert_int_equal(netref_providers(db, "me", "x", NULL, &res),
                   NETREF_ENOTFOUND); /* nobody offers x yet */
  ASSERT_OK(t_offer_set(db, "bo", "x", NULL));
  ASSERT_OK(netref_providers(db, "me", "x", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  netref_result_free(res);
  /* Today's date by default. */
  long long id4;
  ASSERT_OK(t_contact_log(db, "me", "cy", NULL, NULL, NULL, &id4));
  assert_string_not_equal(tie_cell(db, "me", "cy", "last_contact", buf),
                          "(null)");
  /* Listing: newest first, the other person's key. */
  ASSERT_OK(netref_contact_list(db, "me", &rows));
  assert_int_equal(netref_rows_count(rows), 4);
  assert_string_equal(cell_named(rows, 0, "key"), "cy");
  assert_string_equal(cell_named(rows, 0, "kind"), "met");
  assert_string_equal(cell_named(rows, 1, "key"), "ana");
  assert_string_equal(cell_named(rows, 1, "kind"), "call");
  assert_string_equal(cell_named(rows, 1, "note"), "lunch next week");
  assert_string_equal(cell_named(rows, 2, "key"), "bo");
  assert_null(cell_named(rows, 2, "note"));
  assert_string_equal(cell_named(rows, 3, "date"), "2026-01-15");
  assert_int_equal((long long)netref_rows_real(rows, 3, 0), id2);
  netref_rows_free(rows);
  ASSERT_OK(netref_contact_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(cell_named(rows, 0, "key"), "me");
  netref_rows_free(rows);
  /* Errors change nothing. */
  long long id;
  assert_int_equal(t_contact_log(db, "me", "me", NULL, NULL, NULL, &id),
                   NETREF_EINVAL);
  assert_int_equal(
      t_contact_log(db, "me", "ana", "2026-13-01", NULL, NULL, &id),
      NETREF_EINVAL);
  assert_int_equal(t_contact_log(db, "me", "zed", NULL, NULL, NULL, &id),
                   NETREF_ENOTFOUND);
  assert_int_equal(netref_contact_list(db, "zed", &rows), NETREF_ENOTFOUND);
  ASSERT_OK(netref_contact_list(db, "me", &rows));
  assert_int_equal(netref_rows_count(rows), 4);
  netref_rows_free(rows);
  /* A contact moves a weak tie's last contact but, unlike a made
   * introduction (nr_tie_warm, shared with ledger.c), not its strength. */
  ASSERT_OK(t_tie_set(db, "me", "bo", 0.2, NULL, NULL));
  ASSERT_OK(t_contact_log(db, "bo", "me", "2026-02-10", NULL, NULL, &id3));
  assert_string_equal(tie_cell(db, "me", "bo", "strength", buf), "0.2");
  assert_string_equal(tie_cell(db, "me", "bo", "last_contact", buf),
                      "2026-02-10");
}

static void removal(void **state) {
  netref_db *db = *state;
  long long id;
  ASSERT_OK(t_contact_log(db, "me", "ana", "2026-01-01", NULL, NULL, &id));
  ASSERT_OK(t_contact_log(db, "bo", "ana", "2026-01-02", NULL, NULL, &id));
  ASSERT_OK(t_contact_log(db, "me", "bo", "2026-01-03", NULL, NULL, &id));
  ASSERT_OK(netref_person_remove(db, "ana"));
  netref_rows *rows;
  ASSERT_OK(netref_contact_list(db, "me", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "key"), "bo");
  netref_rows_free(rows);
  ASSERT_OK(netref_contact_list(db, "bo", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
}

/* ---- brute force ---- */

#define N 9
static double W[N][N]; /* 0: no tie */
static int needs[N][3], offers[N][3];

/* Largest product over simple paths of at most `left` ties from u,
 * avoiding `ban` and people on the path, into best[]. */
static void walk(int u, double val, int left, int ban, int *on, double *best) {
  if (val > best[u])
    best[u] = val;
  if (left == 0)
    return;
  on[u] = 1;
  for (int v = 0; v < N; v++)
    if (W[u][v] > 0 && v != ban && !on[v])
      walk(v, val * W[u][v], left - 1, ban, on, best);
  on[u] = 0;
}

static void random_scores(void **state) {
  (void)state;
  static const char *const tags[3] = {"t0", "t1", "t2"};
  static const double strengths[] = {0.25, 0.5, 0.75, 1.0, 0.3, 0.9};
  srand(12345);
  for (int round = 0; round < 40; round++) {
    netref_db *db;
    ASSERT_OK(netref_open(":memory:", &db));
    char key[N][8];
    for (int i = 0; i < N; i++) {
      snprintf(key[i], sizeof key[i], "p%d", i);
      ASSERT_OK(netref_person_add(db, key[i], NULL));
    }
    memset(W, 0, sizeof W);
    for (int i = 0; i < N; i++)
      for (int j = i + 1; j < N; j++)
        if (rand() % 3 == 0) {
          W[i][j] = W[j][i] = strengths[rand() % 6];
          ASSERT_OK(t_tie_set(db, key[i], key[j], W[i][j],
                              rand() % 2 ? "2025-01-01" : NULL, NULL));
        }
    for (int i = 0; i < N; i++)
      for (int t = 0; t < 3; t++) {
        needs[i][t] = rand() % 4 == 0;
        offers[i][t] = rand() % 4 == 0;
        if (needs[i][t])
          ASSERT_OK(t_need_set(db, key[i], tags[t], 0.5));
        if (offers[i][t])
          ASSERT_OK(t_offer_set(db, key[i], tags[t], NULL));
      }
    int hops = 1 + rand() % 3;
    netref_options *o;
    ASSERT_OK(netref_options_new(&o));
    ASSERT_OK(netref_options_set_hops(o, hops));
    ASSERT_OK(netref_options_set_today(o, "2026-01-01"));
    netref_rows *rows;
    ASSERT_OK(netref_reconnect(db, "p0", 30, o, &rows));
    netref_options_free(o);
    size_t n_rows = 0;
    double prev = INFINITY;
    for (int c = 1; c < N; c++) {
      if (W[0][c] == 0)
        continue;
      double best[N] = {0};
      int on[N] = {0};
      walk(c, 1.0, hops - 1, 0, on, best);
      double sum = 0;
      int people = 0, matched[3] = {0};
      for (int p = 1; p < N; p++) {
        int any = 0;
        for (int t = 0; t < 3; t++)
          if (best[p] > 0 &&
              ((needs[0][t] && offers[p][t]) || (offers[0][t] && needs[p][t])))
            any = matched[t] = 1;
        if (any) {
          sum += best[p];
          people++;
        }
      }
      char want_tags[16] = "";
      for (int t = 0; t < 3; t++)
        if (matched[t])
          snprintf(want_tags + strlen(want_tags),
                   sizeof want_tags - strlen(want_tags), "%s%s",
                   *want_tags ? "\n" : "", tags[t]);
      /* Every tie is overdue (2025 or never, 30 days). */
      size_t r;
      for (r = 0; r < netref_rows_count(rows); r++)
        if (strcmp(cell_named(rows, r, "key"), key[c]) == 0)
          break;
      assert_true(r < netref_rows_count(rows));
      n_rows++;
      assert_true(fabs(netref_rows_real(rows, r, 3) - W[0][c] * sum) < 1e-12);
      assert_int_equal((int)netref_rows_real(rows, r, 5), people);
      assert_string_equal(cell_named(rows, r, "tags"), want_tags);
    }
    assert_int_equal(netref_rows_count(rows), n_rows);
    for (size_t r = 0; r < n_rows; r++) {
      double s = netref_rows_real(rows, r, 3);
      assert_true(s <= prev);
      prev = s;
    }
    netref_rows_free(rows);
    netref_close(db);
  }
}

/* ---- schema version 3 on older files ---- */

static void sql_exec(const char *path, const char *sql) {
  sqlite3 *s;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
    fail_msg("%s: %s", sql, msg);
  sqlite3_close(s);
}

static int sql_int(const char *path, const char *sql) {
  sqlite3 *s;
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(s);
  return v;
}

static void version_2_files(void **state) {
  (void)state;
  char dir[] = "/tmp/netref_recon_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/v2.db", dir);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_add(db, "me", NULL));
  ASSERT_OK(netref_person_add(db, "ana", NULL));
  ASSERT_OK(t_tie_set(db, "me", "ana", 0.5, "2020-01-01", NULL));
  netref_close(db);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  /* What netref wrote before keeping in touch: schema version 2. */
  sql_exec(path,
           TIES_TWICE_SQL "DROP TABLE netref_state;"
                          " DROP TABLE group_member; DROP TABLE network_group;"
                          " DROP TABLE tag_relation;"
                          " DROP TABLE interaction; ALTER TABLE tie DROP COLUMN"
                          " cadence; PRAGMA user_version=2");

  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tie_list(db, "me", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_null(cell_named(rows, 0, "cadence"));
  netref_rows_free(rows);
  ASSERT_OK(netref_tie_get(db, "me", "ana", &rows));
  netref_rows_free(rows);
  assert_int_equal(netref_reconnect(db, "me", 30, NULL, &rows),
                   NETREF_EVERSION);
  assert_null(rows);
  assert_non_null(strstr(netref_errmsg(db), "keeping in touch"));
  assert_int_equal(netref_contact_list(db, "me", &rows), NETREF_EVERSION);
  long long id;
  assert_int_equal(t_contact_log(db, "me", "ana", NULL, NULL, NULL, &id),
                   NETREF_EREADONLY);
  assert_int_equal(t_tie_cadence(db, "me", "ana", 3), NETREF_EREADONLY);
  netref_close(db);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), 2);

  ASSERT_OK(netref_open_with(path, 0, &db));
  ASSERT_OK(t_tie_cadence(db, "me", "ana", 3));
  ASSERT_OK(t_contact_log(db, "me", "ana", "2021-01-01", NULL, NULL, &id));
  netref_close(db);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  ASSERT_OK(netref_reconnect(db, "me", 0, NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  ASSERT_OK(netref_contact_list(db, "me", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  netref_close(db);
  unlink(path);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(overdue_rules, five_people, close_db),
      cmocka_unit_test_setup_teardown(contact_logging, five_people, close_db),
      cmocka_unit_test_setup_teardown(removal, five_people, close_db),
      cmocka_unit_test(random_scores),
      cmocka_unit_test(version_2_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
