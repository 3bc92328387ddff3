/*
 * Unit tests of the CSV import (netref_import_*), through the public API
 * only, into a database file in a fresh directory under /tmp.
 *
 * The contract under test is the "CSV import" section of netref.h:
 * RFC 4180 CSV in UTF-8 with a header row naming the columns in any
 * order; people, ties, offers, needs read in that order in one
 * transaction; rows upsert by key; empty cells take the defaults, absent
 * columns keep stored values; bad rows fail the whole import with
 * NETREF_EPARSE and a message of "FILE:LINE: problem" lines (every bad
 * row up to NETREF_IMPORT_MAX_ERRORS), leaving the database exactly as it
 * was.
 *
 * "Exactly as it was" is checked with a full dump written with the public
 * listing functions (every person with all attributes, ties, offers and
 * needs), plus a query, so that a stale in-memory index is caught too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netref.h"
#include "support.h"
#include "tempdir.h"

/* ------------------------------------------------------------------ */
/* Fixture: a temp directory and a database file in it                  */

static int setup(void **state) {
  return db_fixture_setup(state, "/tmp/netref_import_XXXXXX");
}

static int teardown(void **state) { return tempdir_teardown(state); }

static netref_db *DB(void **state) {
  return ((struct tempdir_fixture *)*state)->db;
}

/* Write a file in the temp dir; returns its path (rotating buffers). */
static const char *put(void **state, const char *name, const char *text) {
  static char bufs[8][4096];
  static int next;
  struct tempdir_fixture *fx = *state;
  char *path = bufs[next++ % 8];
  snprintf(path, sizeof bufs[0], "%s/%s", fx->dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  size_t n = strlen(text);
  assert_int_equal(fwrite(text, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
  return path;
}

/* Run one import of up to four files (NULL: not given). */
static int run_import(netref_db *db, const char *people, const char *ties,
                      const char *offers, const char *needs, int create_missing,
                      long long counts[4]) {
  netref_import *imp = NULL;
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  assert_non_null(imp);
  const char *files[4] = {people, ties, offers, needs};
  static const int kinds[4] = {NETREF_CSV_PEOPLE, NETREF_CSV_TIES,
                               NETREF_CSV_OFFERS, NETREF_CSV_NEEDS};
  for (int k = 0; k < 4; k++)
    if (files[k])
      assert_int_equal(netref_import_set_file(imp, kinds[k], files[k]),
                       NETREF_OK);
  if (create_missing)
    assert_int_equal(netref_import_set_create_missing(imp, 1), NETREF_OK);
  int rc = netref_import_run(db, imp);
  for (int k = 0; counts && k < 4; k++)
    counts[k] = netref_import_count(imp, kinds[k]);
  netref_import_free(imp);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Full dump through the public listing functions                       */

static void dump_rows(FILE *f, const char *label, const netref_rows *rows) {
  for (size_t r = 0; r < netref_rows_count(rows); r++) {
    fprintf(f, "  %s:", label);
    for (size_t c = 0; c < netref_rows_columns(rows); c++) {
      const char *t = netref_rows_text(rows, r, c);
      fprintf(f, " %s=%s%s%s", netref_rows_column_name(rows, c), t ? "<" : "",
              t ? t : "NULL", t ? ">" : "");
    }
    fputc('\n', f);
  }
}

static char *dump(netref_db *db) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  netref_rows *people = NULL;
  assert_int_equal(netref_person_list(db, &people), NETREF_OK);
  for (size_t i = 0; i < netref_rows_count(people); i++) {
    const char *key = netref_rows_text(people, i, 0);
    netref_rows *rows = NULL;
    assert_int_equal(netref_person_get(db, key, &rows), NETREF_OK);
    dump_rows(f, "person", rows);
    netref_rows_free(rows);
    assert_int_equal(netref_tie_list(db, key, &rows), NETREF_OK);
    dump_rows(f, "tie", rows);
    netref_rows_free(rows);
    assert_int_equal(netref_offer_list(db, key, &rows), NETREF_OK);
    dump_rows(f, "offer", rows);
    netref_rows_free(rows);
    assert_int_equal(netref_need_list(db, key, &rows), NETREF_OK);
    dump_rows(f, "need", rows);
    netref_rows_free(rows);
  }
  netref_rows_free(people);
  /* A query too: the in-memory index must follow the stored data. */
  static const char *const tags[] = {"design", "party planning", "legal"};
  for (size_t t = 0; t < 3; t++) {
    netref_result *res = NULL;
    int rc = netref_providers(db, "ana", tags[t], NULL, &res);
    if (rc == NETREF_OK) {
      for (size_t r = 0; r < netref_result_count(res); r++)
        fprintf(f, "providers(ana,%s): %s %.17g\n", tags[t],
                netref_result_key(res, r), netref_result_score(res, r));
      netref_result_free(res);
    } else {
      fprintf(f, "providers(ana,%s): rc %d\n", tags[t], rc);
    }
    rc = netref_prospects(db, "ana", tags[t], NULL, &res);
    if (rc == NETREF_OK) {
      for (size_t r = 0; r < netref_result_count(res); r++)
        fprintf(f, "prospects(ana,%s): %s %.17g\n", tags[t],
                netref_result_key(res, r), netref_result_score(res, r));
      netref_result_free(res);
    }
  }
  assert_int_equal(fclose(f), 0);
  return buf;
}

/* ------------------------------------------------------------------ */
/* Small accessors                                                      */

/* Text of the column named `col` in row 0, or NULL. */
static const char *col_text(const netref_rows *rows, const char *col) {
  for (size_t c = 0; c < netref_rows_columns(rows); c++)
    if (strcmp(netref_rows_column_name(rows, c), col) == 0)
      return netref_rows_text(rows, 0, c);
  return NULL;
}

/* Check a person: name and exactly the given attributes (NULL-ended
 * name/value pairs, in byte order of the names). The rows are freed
 * before any failure is reported, so a failure leaks nothing. */
static void expect_person(netref_db *db, const char *key, const char *name,
                          ...) {
  netref_rows *rows = NULL;
  int rc = netref_person_get(db, key, &rows);
  if (rc != NETREF_OK)
    fail_msg("person '%s': rc %d (%s)", key, rc, netref_errmsg(db));
  char err[1024] = "";
#define SAME(a, b) ((a) == NULL ? (b) == NULL : (b) != NULL && !strcmp(a, b))
  if (netref_rows_count(rows) != 1 ||
      !SAME(netref_rows_column_name(rows, 0), "key") ||
      !SAME(netref_rows_text(rows, 0, 0), key) ||
      !SAME(netref_rows_column_name(rows, 1), "name"))
    snprintf(err, sizeof err, "person '%s': bad key/name columns", key);
  else if (!SAME(netref_rows_text(rows, 0, 1), name))
    snprintf(err, sizeof err, "person '%s': name '%s', expected '%s'", key,
             netref_rows_text(rows, 0, 1) ? netref_rows_text(rows, 0, 1)
                                          : "(null)",
             name ? name : "(null)");
  va_list ap;
  va_start(ap, name);
  size_t c = 2;
  const char *attr;
  while (!*err && (attr = va_arg(ap, const char *)) != NULL) {
    const char *value = va_arg(ap, const char *);
    const char *got = netref_rows_text(rows, 0, c);
    if (c >= netref_rows_columns(rows))
      snprintf(err, sizeof err, "person '%s': attribute '%s' missing", key,
               attr);
    else if (!SAME(netref_rows_column_name(rows, c), attr))
      snprintf(err, sizeof err, "person '%s': column %zu is '%s', not '%s'",
               key, c, netref_rows_column_name(rows, c), attr);
    else if (!SAME(got, value))
      snprintf(err, sizeof err, "person '%s': %s is '%s', expected '%s'", key,
               attr, got ? got : "(null)", value ? value : "(null)");
    c++;
  }
  va_end(ap);
  if (!*err && c != netref_rows_columns(rows))
    snprintf(err, sizeof err,
             "person '%s': %zu columns, expected %zu "
             "(extra '%s')",
             key, netref_rows_columns(rows), c,
             netref_rows_column_name(rows, c));
  netref_rows_free(rows);
  if (*err)
    fail_msg("%s", err);
}

/* Check the tie a-b as seen from a (rows freed before any failure). */
static void expect_tie(netref_db *db, const char *a, const char *b,
                       double strength, const char *date, const char *context) {
  netref_rows *rows = NULL;
  int rc = netref_tie_get(db, a, b, &rows);
  if (rc != NETREF_OK)
    fail_msg("tie %s-%s: rc %d (%s)", a, b, rc, netref_errmsg(db));
  char err[1024] = "";
  double s = NAN;
  for (size_t c = 0; c < netref_rows_columns(rows); c++)
    if (strcmp(netref_rows_column_name(rows, c), "strength") == 0)
      s = netref_rows_real(rows, 0, c);
  const char *k = col_text(rows, "key"), *d = col_text(rows, "last_contact"),
             *x = col_text(rows, "context");
  if (netref_rows_count(rows) != 1 || !SAME(k, b))
    snprintf(err, sizeof err, "tie %s-%s: bad row", a, b);
  else if (!(s == strength))
    snprintf(err, sizeof err, "tie %s-%s: strength %.17g, expected %.17g", a, b,
             s, strength);
  else if (!SAME(d, date))
    snprintf(err, sizeof err, "tie %s-%s: last_contact '%s', expected '%s'", a,
             b, d ? d : "(null)", date ? date : "(null)");
  else if (!SAME(x, context))
    snprintf(err, sizeof err, "tie %s-%s: context '%s', expected '%s'", a, b,
             x ? x : "(null)", context ? context : "(null)");
  netref_rows_free(rows);
  if (*err)
    fail_msg("%s", err);
}
#undef SAME

static void expect_no_person(netref_db *db, const char *key) {
  netref_rows *rows = NULL;
  int rc = netref_person_get(db, key, &rows);
  if (rc != NETREF_ENOTFOUND)
    fail_msg("person '%s' should not exist (rc %d)", key, rc);
  assert_null(rows);
}

/* Offers of a person as "tag=note;..." (note NULL written as -). */
static char *offers_of(netref_db *db, const char *key) {
  netref_rows *rows = NULL;
  assert_int_equal(netref_offer_list(db, key, &rows), NETREF_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  for (size_t r = 0; r < netref_rows_count(rows); r++) {
    const char *note = netref_rows_text(rows, r, 1);
    fprintf(f, "%s=%s;", netref_rows_text(rows, r, 0), note ? note : "-");
  }
  fclose(f);
  netref_rows_free(rows);
  return buf;
}

/* Needs of a person as "tag=weight;..." with %g weights. */
static char *needs_of(netref_db *db, const char *key) {
  netref_rows *rows = NULL;
  assert_int_equal(netref_need_list(db, key, &rows), NETREF_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    fprintf(f, "%s=%g;", netref_rows_text(rows, r, 0),
            netref_rows_real(rows, r, 1));
  fclose(f);
  netref_rows_free(rows);
  return buf;
}

static void expect_offers(netref_db *db, const char *key, const char *want) {
  char *got = offers_of(db, key);
  assert_string_equal(got, want);
  free(got);
}

static void expect_needs(netref_db *db, const char *key, const char *want) {
  char *got = needs_of(db, key);
  assert_string_equal(got, want);
  free(got);
}

/* ------------------------------------------------------------------ */
/* The base data set                                                    */

/* people.csv: UTF-8 BOM, columns in another order than documented (name
 * before key), extra attribute columns, quoted fields with commas, doubled
 * quotes and newlines, a blank line, no final newline. */
static const char PEOPLE_CSV[] =
    "\xEF\xBB\xBF"
    "name,org,key,city\n"
    "\"Lima, Ana\",Acme,ana,Lisbon\n"
    "\"Bo \"\"The Builder\"\" Berg\",\"Berg & Sons, Ltd\",bo,\n"
    "\n"
    "\"Cy\nChen\",\"Multi\nline org\",cy,Paris\n"
    "Dee,,dee,Oslo\n"
    "\xC3\x89mile Zola,Les \xC3\x89"
    "ditions,\xC3\xA9mile,Paris";

/* ties.csv: CRLF line endings, columns reordered, blank line, quoted
 * field with doubled quotes and a comma, empty cells (defaults). */
static const char TIES_CSV[] =
    "b,context,a,last_contact,strength\r\n"
    "bo,\"met at the \"\"Nov\"\" evening, 2023\",ana,2024-01-15,0.8\r\n"
    "\r\n"
    "cy,,ana,,\r\n"
    "dee,\"line one\nline two\",bo,2023-12-31,1\r\n"
    "\xC3\xA9mile,x,cy,2024-02-29,0.25\r\n";

/* offers.csv: blank lines between and after the rows; tags to normalize
 * (white space and case, full-width letters by NFKC). */
static const char OFFERS_CSV[] =
    "person,tag,note\n"
    "ana,\"  Party   PLANNING \",weekends only\n"
    "\n"
    "bo,design,\n"
    "\n"
    "cy,Legal,\"contracts, NDAs\"\n"
    "dee,\xEF\xBC\xA4\xEF\xBD\x85\xEF\xBD\x93\xEF\xBD\x89\xEF\xBD\x87"
    "\xEF\xBD\x8E,fullwidth\n"
    "\n"
    "\n";

/* needs.csv: columns reordered, empty weight (default 1). */
static const char NEEDS_CSV[] = "tag,weight,person\n"
                                "design,0.25,ana\n"
                                "party planning,,bo\n"
                                "LEGAL,0.75,dee\n"
                                "design,0.5,dee\n";

struct base_files {
  const char *people, *ties, *offers, *needs;
};

static struct base_files write_base(void **state) {
  struct base_files b;
  b.people = put(state, "people.csv", PEOPLE_CSV);
  b.ties = put(state, "ties.csv", TIES_CSV);
  b.offers = put(state, "offers.csv", OFFERS_CSV);
  b.needs = put(state, "needs.csv", NEEDS_CSV);
  return b;
}

static void import_base(void **state) {
  struct base_files b = write_base(state);
  long long counts[4];
  int rc =
      run_import(DB(state), b.people, b.ties, b.offers, b.needs, 0, counts);
  if (rc != NETREF_OK)
    fail_msg("base import: rc %d: %s", rc, netref_errmsg(DB(state)));
}

static void expect_base(netref_db *db) {
  expect_person(db, "ana", "Lima, Ana", "city", "Lisbon", "org", "Acme", NULL);
  expect_person(db, "bo", "Bo \"The Builder\" Berg", "org", "Berg & Sons, Ltd",
                NULL);
  expect_person(db, "cy", "Cy\nChen", "city", "Paris", "org", "Multi\nline org",
                NULL);
  expect_person(db, "dee", "Dee", "city", "Oslo", NULL);
  expect_person(db, "\xC3\xA9mile", "\xC3\x89mile Zola", "city", "Paris", "org",
                "Les \xC3\x89"
                "ditions",
                NULL);
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_list(db, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 5);
  netref_rows_free(rows);

  expect_tie(db, "ana", "bo", 0.8, "2024-01-15",
             "met at the \"Nov\" evening, 2023");
  expect_tie(db, "bo", "ana", 0.8, "2024-01-15",
             "met at the \"Nov\" evening, 2023");
  expect_tie(db, "ana", "cy", 0.5, NULL, NULL);
  expect_tie(db, "dee", "bo", 1.0, "2023-12-31", "line one\nline two");
  expect_tie(db, "cy", "\xC3\xA9mile", 0.25, "2024-02-29", "x");
  assert_int_equal(netref_tie_list(db, "ana", &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  netref_rows_free(rows);

  expect_offers(db, "ana", "party planning=weekends only;");
  expect_offers(db, "bo", "design=-;");
  expect_offers(db, "cy", "legal=contracts, NDAs;");
  expect_offers(db, "dee", "design=fullwidth;");
  expect_offers(db, "\xC3\xA9mile", "");

  expect_needs(db, "ana", "design=0.25;");
  expect_needs(db, "bo", "party planning=1;");
  expect_needs(db, "dee", "design=0.5;legal=0.75;");
  expect_needs(db, "cy", "");

  assert_int_equal(
      netref_tag_people(db, "  Party   PLANNING ", NETREF_ROLE_ANY, &rows),
      NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(netref_rows_text(rows, 0, 0), "ana");
  assert_string_equal(netref_rows_text(rows, 0, 2), "offers");
  assert_string_equal(netref_rows_text(rows, 1, 0), "bo");
  assert_string_equal(netref_rows_text(rows, 1, 2), "needs");
  netref_rows_free(rows);
}

/* ------------------------------------------------------------------ */
/* Good imports                                                         */

static void test_good_import(void **state) {
  netref_db *db = DB(state);
  struct base_files b = write_base(state);
  long long counts[4];
  int rc = run_import(db, b.people, b.ties, b.offers, b.needs, 0, counts);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  assert_int_equal(counts[NETREF_CSV_PEOPLE], 5);
  assert_int_equal(counts[NETREF_CSV_TIES], 4);
  assert_int_equal(counts[NETREF_CSV_OFFERS], 4);
  assert_int_equal(counts[NETREF_CSV_NEEDS], 4);
  expect_base(db);

  /* The data is in the file: reopen and look again. */
  struct tempdir_fixture *fx = *state;
  netref_close(fx->db);
  fx->db = NULL;
  assert_int_equal(netref_open(fx->path, &fx->db), NETREF_OK);
  expect_base(fx->db);
}

static void test_reimport_changes_nothing(void **state) {
  netref_db *db = DB(state);
  struct base_files b = write_base(state);
  long long first[4], second[4];
  assert_int_equal(
      run_import(db, b.people, b.ties, b.offers, b.needs, 0, first), NETREF_OK);
  char *before = dump(db);
  assert_int_equal(
      run_import(db, b.people, b.ties, b.offers, b.needs, 0, second),
      NETREF_OK);
  char *after = dump(db);
  assert_string_equal(after, before);
  for (int k = 0; k < 4; k++)
    assert_int_equal(second[k], first[k]);
  /* Each file alone, again. */
  const char *files[4] = {b.people, b.ties, b.offers, b.needs};
  for (int k = 0; k < 4; k++) {
    const char *one[4] = {NULL, NULL, NULL, NULL};
    one[k] = files[k];
    assert_int_equal(run_import(db, one[0], one[1], one[2], one[3], 0, NULL),
                     NETREF_OK);
    char *again = dump(db);
    assert_string_equal(again, before);
    free(again);
  }
  expect_base(db);
  free(before);
  free(after);
}

static void test_defaults_and_absent_columns(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  long long counts[4];

  /* ties.csv without the strength and last_contact columns: kept. */
  const char *t1 = put(state, "t1.csv", "a,b,context\nana,bo,new context\n");
  assert_int_equal(run_import(db, NULL, t1, NULL, NULL, 0, counts), NETREF_OK);
  assert_int_equal(counts[NETREF_CSV_TIES], 1);
  expect_tie(db, "ana", "bo", 0.8, "2024-01-15", "new context");
  /* Only a and b: everything kept. */
  const char *t2 = put(state, "t2.csv", "b,a\nana,bo\n");
  assert_int_equal(run_import(db, NULL, t2, NULL, NULL, 0, NULL), NETREF_OK);
  expect_tie(db, "ana", "bo", 0.8, "2024-01-15", "new context");
  /* Empty cells: strength 0.5, no date, no context. */
  const char *t3 =
      put(state, "t3.csv", "a,b,strength,last_contact,context\nana,bo,,,\n");
  assert_int_equal(run_import(db, NULL, t3, NULL, NULL, 0, NULL), NETREF_OK);
  expect_tie(db, "ana", "bo", 0.5, NULL, NULL);
  /* A new tie without a strength column gets 0.5. */
  const char *t4 = put(state, "t4.csv", "a,b\ndee,cy\n");
  assert_int_equal(run_import(db, NULL, t4, NULL, NULL, 0, NULL), NETREF_OK);
  expect_tie(db, "cy", "dee", 0.5, NULL, NULL);

  /* needs.csv without weight: kept for an existing need, 1 for a new one;
   * an empty weight cell is 1. */
  const char *n1 = put(state, "n1.csv", "person,tag\nana,design\nbo,Design\n");
  assert_int_equal(run_import(db, NULL, NULL, NULL, n1, 0, NULL), NETREF_OK);
  expect_needs(db, "ana", "design=0.25;");
  expect_needs(db, "bo", "design=1;party planning=1;");
  const char *n2 = put(state, "n2.csv", "person,tag,weight\nana,design,\n");
  assert_int_equal(run_import(db, NULL, NULL, NULL, n2, 0, NULL), NETREF_OK);
  expect_needs(db, "ana", "design=1;");

  /* offers.csv without note: kept; an empty note cell clears it. */
  const char *o1 = put(state, "o1.csv", "tag,person\nparty planning,ana\n");
  assert_int_equal(run_import(db, NULL, NULL, o1, NULL, 0, NULL), NETREF_OK);
  expect_offers(db, "ana", "party planning=weekends only;");
  const char *o2 =
      put(state, "o2.csv", "person,tag,note\nana,PARTY planning,\n");
  assert_int_equal(run_import(db, NULL, NULL, o2, NULL, 0, NULL), NETREF_OK);
  expect_offers(db, "ana", "party planning=-;");

  /* people.csv without name: name kept; absent attribute columns kept. */
  const char *p1 = put(state, "p1.csv", "key,org\nana,NewOrg\n");
  assert_int_equal(run_import(db, p1, NULL, NULL, NULL, 0, NULL), NETREF_OK);
  expect_person(db, "ana", "Lima, Ana", "city", "Lisbon", "org", "NewOrg",
                NULL);
  /* A new person without a name column is named after the key. */
  const char *p2 = put(state, "p2.csv", "key\nfay\n");
  assert_int_equal(run_import(db, p2, NULL, NULL, NULL, 0, NULL), NETREF_OK);
  expect_person(db, "fay", "fay", NULL);
  /* An empty attribute cell: no value (the attribute goes). */
  const char *p3 = put(state, "p3.csv", "key,city\nana,\n");
  assert_int_equal(run_import(db, p3, NULL, NULL, NULL, 0, NULL), NETREF_OK);
  expect_person(db, "ana", "Lima, Ana", "org", "NewOrg", NULL);
}

static void test_subset(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  char *before = dump(db);
  const char *n = put(state, "needs_only.csv",
                      "person,tag,weight\ncy,design,0.3\nana,legal,0.125\n");
  long long counts[4];
  int rc = run_import(db, NULL, NULL, NULL, n, 0, counts);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  assert_int_equal(counts[NETREF_CSV_PEOPLE], 0);
  assert_int_equal(counts[NETREF_CSV_TIES], 0);
  assert_int_equal(counts[NETREF_CSV_OFFERS], 0);
  assert_int_equal(counts[NETREF_CSV_NEEDS], 2);
  expect_needs(db, "cy", "design=0.3;");
  expect_needs(db, "ana", "design=0.25;legal=0.125;");
  /* Everything else as before: removing the two needs gives the old dump. */
  assert_int_equal(netref_need_remove(db, "cy", "design"), NETREF_OK);
  assert_int_equal(netref_need_remove(db, "ana", "legal"), NETREF_OK);
  char *after = dump(db);
  assert_string_equal(after, before);
  free(before);
  free(after);

  /* Only ties. */
  const char *t = put(state, "ties_only.csv", "a,b,strength\ndee,ana,0.6\n");
  assert_int_equal(run_import(db, NULL, t, NULL, NULL, 0, counts), NETREF_OK);
  assert_int_equal(counts[NETREF_CSV_PEOPLE], 0);
  assert_int_equal(counts[NETREF_CSV_TIES], 1);
  assert_int_equal(counts[NETREF_CSV_NEEDS], 0);
  expect_tie(db, "ana", "dee", 0.6, NULL, NULL);

  /* A header and no rows is a good, empty file. */
  const char *h = put(state, "header_only.csv", "person,tag\n");
  assert_int_equal(run_import(db, NULL, NULL, h, NULL, 0, counts), NETREF_OK);
  assert_int_equal(counts[NETREF_CSV_OFFERS], 0);
}

/* RFC 4180: "Spaces are considered part of a field and should not be
 * ignored." Unquoted fields keep their leading and trailing blanks. */
/* Spaces and tabs around unquoted fields are ignored (so "ana, bo" names
 * bo); quoting keeps them, as documented in netref.h. */
static void test_spaces_around_unquoted_fields(void **state) {
  netref_db *db = DB(state);
  const char *p = put(state, "people.csv",
                      "key , name,org\nsp, Spaced Name ,\tTabbed\t\n"
                      "q,\" Quoted \",\"\tx\t\"\n");
  int rc = run_import(db, p, NULL, NULL, NULL, 0, NULL);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  expect_person(db, "sp", "Spaced Name", "org", "Tabbed", NULL);
  expect_person(db, "q", " Quoted ", "org", "\tx\t", NULL);
}

/* Several rows for one pair in one import apply in order, as successive
 * upserts would, both into an empty tie table and into a filled one. */
static void test_repeated_pairs(void **state) {
  netref_db *db = DB(state);
  const char *p = put(state, "people.csv", "key\nana\nbo\ncy\n");
  const char *t = put(state, "ties.csv",
                      "a,b,strength,last_contact,context\n"
                      "ana,bo,0.3,2025-01-01,first\n"
                      "bo,ana,0.9,,\n"
                      "cy,ana,0.4,2025-02-02,hello\n"
                      "ana,cy,,2025-03-03,again\n");
  int rc = run_import(db, p, t, NULL, NULL, 0, NULL);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  expect_tie(db, "ana", "bo", 0.9, NULL, NULL);
  expect_tie(db, "cy", "ana", 0.5, "2025-03-03", "again");
  /* Now the table has ties: a file without those columns keeps them. */
  const char *t2 = put(state, "ties2.csv",
                       "b,a,strength\nana,cy,0.7\ncy,ana,0.8\nbo,cy,0.1\n");
  rc = run_import(db, NULL, t2, NULL, NULL, 0, NULL);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  expect_tie(db, "ana", "cy", 0.8, "2025-03-03", "again");
  expect_tie(db, "cy", "bo", 0.1, NULL, NULL);
  expect_tie(db, "bo", "ana", 0.9, NULL, NULL);
}

static void test_create_missing(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  const char *t = put(state, "ties.csv", "a,b,strength\nana,newguy,0.7\n");
  const char *o = put(state, "offers.csv", "person,tag\nghost,Design\n");
  const char *n = put(state, "needs.csv", "person,tag\nspecter,legal\n");

  /* Off by default: unknown people fail the import. */
  char *before = dump(db);
  assert_int_equal(run_import(db, NULL, t, o, n, 0, NULL), NETREF_EPARSE);
  char *after = dump(db);
  assert_string_equal(after, before);
  free(after);
  expect_no_person(db, "newguy");

  long long counts[4];
  int rc = run_import(db, NULL, t, o, n, 1, counts);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  assert_int_equal(counts[NETREF_CSV_TIES], 1);
  assert_int_equal(counts[NETREF_CSV_OFFERS], 1);
  assert_int_equal(counts[NETREF_CSV_NEEDS], 1);
  expect_person(db, "newguy", "newguy", NULL);
  expect_person(db, "ghost", "ghost", NULL);
  expect_person(db, "specter", "specter", NULL);
  expect_tie(db, "newguy", "ana", 0.7, NULL, NULL);
  expect_offers(db, "ghost", "design=-;");
  expect_needs(db, "specter", "legal=1;");
  /* Existing people are untouched. */
  expect_person(db, "ana", "Lima, Ana", "city", "Lisbon", "org", "Acme", NULL);

  /* A tie to oneself stays an error, and the created person goes too. */
  free(before);
  before = dump(db);
  const char *self = put(state, "self.csv", "a,b\nana,bo\nwraith,wraith\n");
  assert_int_equal(run_import(db, NULL, self, NULL, NULL, 1, NULL),
                   NETREF_EPARSE);
  after = dump(db);
  assert_string_equal(after, before);
  expect_no_person(db, "wraith");
  free(before);
  free(after);
}

/* A person created on the fly has a key like any other: one that hides
 * a character fails the import at its line, and the people created
 * before it go too. */
static void test_create_missing_checks_keys(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  char *before = dump(db);
  const char *t = put(state, "ties.csv", "a,b\nana,newguy\n\"new\tone\",ana\n");
  assert_int_equal(run_import(db, NULL, t, NULL, NULL, 1, NULL), NETREF_EPARSE);
  char want[4200];
  snprintf(want, sizeof want,
           "%s:3: person key contains a control character (U+0009)", t);
  assert_string_equal(netref_errmsg(db), want);
  const char *o = put(state, "offers.csv",
                      "person,tag\nghost,design\n\xE2\x80\x8Bghost,design\n");
  assert_int_equal(run_import(db, NULL, NULL, o, NULL, 1, NULL), NETREF_EPARSE);
  snprintf(want, sizeof want,
           "%s:3: person key contains an invisible character (U+200B)", o);
  assert_string_equal(netref_errmsg(db), want);
  char *after = dump(db);
  assert_string_equal(after, before);
  expect_no_person(db, "newguy");
  expect_no_person(db, "ghost");
  free(before);
  free(after);
}

/* A header of n columns is checked in O(n): 100,000 columns import (as
 * attributes), and a repeated name at the very end is found. On the
 * quadratic check this took 15 s in a release build. */
#define WIDE_COLUMNS 100000
static char *wide_csv(const char *last_column) {
  size_t cap = (size_t)WIDE_COLUMNS * 16 + 64, len = 0;
  char *csv = malloc(cap);
  assert_non_null(csv);
  len += (size_t)snprintf(csv + len, cap - len, "key,name");
  for (int i = 2; i < WIDE_COLUMNS - 1; i++)
    len += (size_t)snprintf(csv + len, cap - len, ",c%d", i);
  len += (size_t)snprintf(csv + len, cap - len, ",%s\nwide,Wide", last_column);
  for (int i = 2; i < WIDE_COLUMNS; i++)
    len += (size_t)snprintf(csv + len, cap - len, ",v%d", i);
  snprintf(csv + len, cap - len, "\n");
  return csv;
}

static void test_wide_header(void **state) {
  netref_db *db = DB(state);
  char *csv = wide_csv("c99999");
  const char *p = put(state, "wide.csv", csv);
  free(csv);
  int rc = run_import(db, p, NULL, NULL, NULL, 0, NULL);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_get(db, "wide", &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  assert_int_equal(netref_rows_columns(rows), WIDE_COLUMNS);
  assert_string_equal(netref_rows_column_name(rows, WIDE_COLUMNS - 1),
                      "c99999");
  netref_rows_free(rows);

  /* The same header with its last name repeating one from the middle
   * (attribute columns keep their case: "C50000" would be another). */
  char *before = dump(db);
  csv = wide_csv("c50000");
  p = put(state, "wide_twice.csv", csv);
  free(csv);
  assert_int_equal(run_import(db, p, NULL, NULL, NULL, 0, NULL), NETREF_EPARSE);
  char want[4200];
  snprintf(want, sizeof want, "%s:1: column 'c50000' appears twice", p);
  assert_string_equal(netref_errmsg(db), want);
  char *after = dump(db);
  assert_string_equal(after, before);
  free(before);
  free(after);
}

/* ------------------------------------------------------------------ */
/* Bad inputs                                                           */

struct bad {
  const char *name;
  int kind;
  const char *csv;
  long line;
  const char *hint; /* must appear in the problem text, or NULL */
};

static const struct bad BAD[] = {
    /* people.csv */
    {"people: too few fields", NETREF_CSV_PEOPLE,
     "key,name,org\nzed,Zed,Z\nyan,Yan\n", 3, NULL},
    {"people: too many fields", NETREF_CSV_PEOPLE,
     "key,name\nzed,Zed\nyan,Yan,extra\n", 3, NULL},
    {"people: empty key", NETREF_CSV_PEOPLE, "key,name\nzed,Zed\n,Nobody\n", 3,
     NULL},
    {"people: \\xff in a name", NETREF_CSV_PEOPLE,
     "key,name\nzed,Zed\nyan,Y\xffn\n", 3, NULL},
    {"people: truncated sequence \\xc3 at end of line", NETREF_CSV_PEOPLE,
     "key,name\nzed,Zed\nyan,Caf\xc3\n", 3, NULL},
    {"people: truncated sequence \\xc3 before a comma", NETREF_CSV_PEOPLE,
     "key,name,org\nyan,Caf\xc3,x\n", 2, NULL},
    {"people: truncated sequence \\xc3 at end of file", NETREF_CSV_PEOPLE,
     "key,name\nzed,Zed\nyan,Caf\xc3", 3, NULL},
    {"people: \\xff in a key", NETREF_CSV_PEOPLE, "key,name\n\xff,Zed\n", 2,
     NULL},
    {"people: \\xff in the header", NETREF_CSV_PEOPLE,
     "key,name,or\xffg\nzed,Zed,x\n", 1, NULL},
    {"people: unterminated quote at end of file", NETREF_CSV_PEOPLE,
     "key,name\nzed,Zed\nyan,\"Yan\nstill open\n", 3, NULL},
    {"people: malformed quoting", NETREF_CSV_PEOPLE, "key,name\nzed,\"Zed\"x\n",
     2, NULL},
    {"people: header lacks key", NETREF_CSV_PEOPLE, "name,org\nZed,Z\n", 1,
     "key"},
    {"people: duplicate column", NETREF_CSV_PEOPLE,
     "key,name,org,org\nzed,Zed,a,b\n", 1, "org"},
    {"people: duplicate key column", NETREF_CSV_PEOPLE,
     "key,name,key\nzed,Zed,zed\n", 1, "key"},
    {"people: empty file", NETREF_CSV_PEOPLE, "", 1, NULL},
    {"people: a tab in a key", NETREF_CSV_PEOPLE,
     "key,name\nzed,Zed\n\"a\tb\",Tab\n", 3,
     "person key contains a control character (U+0009)"},
    {"people: ESC in a key", NETREF_CSV_PEOPLE,
     "key,name\n\x1b]0;owned\x07,x\n", 2, "control character (U+001B)"},
    {"people: a zero-width space in a key", NETREF_CSV_PEOPLE,
     "key,name\nzed,Zed\nzed\xE2\x80\x8B,Zed\n", 3,
     "invisible character (U+200B)"},
    {"people: a key of one no-break space", NETREF_CSV_PEOPLE,
     "key,name\n\xC2\xA0,Nobody\n", 2, "only white space"},
    {"people: a no-break space after a key", NETREF_CSV_PEOPLE,
     "key,name\nzed\xC2\xA0,Zed\n", 2, "ends with white space (U+00A0)"},
    {"people: line after a multi-line field and blank lines", NETREF_CSV_PEOPLE,
     "key,name\nzed,\"Zed\nLima\"\n\nyan,Yan\n\nwho\n", 7, NULL},
    {"people: bad record starting with a multi-line field", NETREF_CSV_PEOPLE,
     "key,name,org\nzed,Zed,\"x\ny\"\nyan,\"Yan\nB\",extra,more\n", 4, NULL},
    {"people: BOM, CRLF and blank line", NETREF_CSV_PEOPLE,
     "\xEF\xBB\xBFkey,name\r\nzed,Zed\r\n\r\nwho\r\n", 4, NULL},
    /* ties.csv (after a good people.csv) */
    {"ties: too few fields", NETREF_CSV_TIES, "a,b,strength\nana,bo,0.9\nana\n",
     3, NULL},
    {"ties: too many fields", NETREF_CSV_TIES, "a,b\nana,bo\nana,cy,0.5\n", 3,
     NULL},
    {"ties: strength abc", NETREF_CSV_TIES, "a,b,strength\nana,bo,abc\n", 2,
     "abc"},
    {"ties: strength 0.5x", NETREF_CSV_TIES, "a,b,strength\nana,bo,0.5x\n", 2,
     "0.5x"},
    {"ties: strength quoted blank", NETREF_CSV_TIES,
     "a,b,strength\nana,bo,\" \"\n", 2, NULL},
    {"ties: strength nan", NETREF_CSV_TIES, "a,b,strength\nana,bo,nan\n", 2,
     "nan"},
    {"ties: strength 0", NETREF_CSV_TIES,
     "a,b,strength\nana,bo,0.9\nana,cy,0\n", 3, NULL},
    {"ties: strength 1.5", NETREF_CSV_TIES, "a,b,strength\nana,bo,1.5\n", 2,
     "1.5"},
    {"ties: strength -0.1", NETREF_CSV_TIES, "a,b,strength\nana,bo,-0.1\n", 2,
     "-0.1"},
    {"ties: date 2024-02-30", NETREF_CSV_TIES,
     "a,b,last_contact\nana,bo,2024-02-30\n", 2, "2024-02-30"},
    {"ties: date 2023-02-29", NETREF_CSV_TIES,
     "a,b,last_contact\nana,bo,2023-02-29\n", 2, "2023-02-29"},
    {"ties: date 2024-13-01", NETREF_CSV_TIES,
     "a,b,last_contact\nana,bo,2024-13-01\n", 2, "2024-13-01"},
    {"ties: date 24-01-01", NETREF_CSV_TIES,
     "a,b,last_contact\nana,bo,24-01-01\n", 2, "24-01-01"},
    {"ties: date yesterday", NETREF_CSV_TIES,
     "a,b,last_contact\nana,bo,2024-01-01\nana,cy,yesterday\n", 3, "yesterday"},
    {"ties: \\xff in context", NETREF_CSV_TIES, "a,b,context\nana,bo,caf\xff\n",
     2, NULL},
    {"ties: truncated \\xc3 in context", NETREF_CSV_TIES,
     "a,b,context\nana,bo,caf\xc3\n", 2, NULL},
    {"people: a key listed twice", NETREF_CSV_PEOPLE,
     "key,name\nana,Ana\nbo,Bo\nana,Ana again\n", 4,
     "person 'ana' is listed twice (first on line 2)"},
    {"people: no header row", NETREF_CSV_PEOPLE, "ana,Ana Lima\nbo,Bo Berg\n",
     1, "the first line must be a header row naming the columns"},
    {"ties: no header row", NETREF_CSV_TIES, "ana,bo\n", 1,
     "unknown column 'ana' in the header row"},
    {"ties: unknown person names the way out", NETREF_CSV_TIES,
     "a,b\nana,nobody\n", 2, "create-missing"},
    {"ties: a typo'd person gets a suggestion", NETREF_CSV_TIES,
     "a,b\nana,boo\n", 2, "unknown person 'boo': did you mean 'bo' (Bo"},
    {"ties: unknown person in a", NETREF_CSV_TIES, "a,b\nana,bo\nnobody,bo\n",
     3, "nobody"},
    {"ties: unknown person in b", NETREF_CSV_TIES, "a,b\nana,nobody\n", 2,
     "nobody"},
    {"ties: tie to self", NETREF_CSV_TIES, "a,b\nana,bo\nana,ana\n", 3, "ana"},
    {"ties: empty a", NETREF_CSV_TIES, "a,b\n,bo\n", 2, NULL},
    {"ties: unterminated quote at end of file", NETREF_CSV_TIES,
     "a,b,context\nana,bo,x\nana,cy,\"open\n\nstill", 3, NULL},
    {"ties: header lacks b", NETREF_CSV_TIES, "a,strength\nana,0.5\n", 1, "b"},
    {"ties: unknown column", NETREF_CSV_TIES, "a,b,colour\nana,bo,red\n", 1,
     "colour"},
    {"ties: duplicate column", NETREF_CSV_TIES, "a,b,a\nana,bo,ana\n", 1, NULL},
    {"ties: empty file", NETREF_CSV_TIES, "", 1, NULL},
    {"ties: unknown person with a soft hyphen", NETREF_CSV_TIES,
     "a,b\nana,b\xC2\xADo\n", 2, "invisible character (U+00AD)"},
    {"ties: CRLF and blank line", NETREF_CSV_TIES,
     "a,b\r\nana,bo\r\n\r\nana,cy\r\nbo,zz\r\n", 5, "zz"},
    {"ties: after a multi-line context and a blank line", NETREF_CSV_TIES,
     "a,b,context\nana,bo,\"one\ntwo\nthree\"\n\nana,nobody,x\n", 6, "nobody"},
    /* offers.csv (after good people.csv and ties.csv) */
    {"offers: unknown person", NETREF_CSV_OFFERS,
     "person,tag\nana,design\nnobody,design\n", 3, "nobody"},
    {"offers: empty tag", NETREF_CSV_OFFERS, "person,tag\nana,\n", 2, NULL},
    {"offers: blank tag", NETREF_CSV_OFFERS, "person,tag\nana,\"   \"\n", 2,
     NULL},
    {"offers: a tag of one zero-width space", NETREF_CSV_OFFERS,
     "person,tag\nana,design\nana,\xE2\x80\x8B\n", 3,
     "empty after normalization"},
    {"offers: a tag of invisible characters and spaces", NETREF_CSV_OFFERS,
     "person,tag\nana,\" \xC2\xAD \xEF\xBB\xBF\"\n", 2,
     "empty after normalization"},
    {"offers: a tab in a tag", NETREF_CSV_OFFERS,
     "person,tag\nana,\"party\tplanning\"\n", 2, "control character (U+0009)"},
    {"offers: \\xff in note", NETREF_CSV_OFFERS,
     "person,tag,note\nana,design,\xff\n", 2, NULL},
    {"offers: \\xc3 in tag", NETREF_CSV_OFFERS, "person,tag\nana,caf\xc3\n", 2,
     NULL},
    {"offers: too many fields", NETREF_CSV_OFFERS, "person,tag\nana,design,x\n",
     2, NULL},
    {"offers: too few fields", NETREF_CSV_OFFERS,
     "person,tag,note\nana,design\n", 2, NULL},
    {"offers: unknown column", NETREF_CSV_OFFERS,
     "person,tag,weight\nana,design,1\n", 1, "weight"},
    {"offers: header lacks tag", NETREF_CSV_OFFERS, "person,note\nana,x\n", 1,
     "tag"},
    {"offers: duplicate column", NETREF_CSV_OFFERS, "person,tag,tag\nana,a,b\n",
     1, "tag"},
    {"offers: empty file", NETREF_CSV_OFFERS, "", 1, NULL},
    /* needs.csv (after good people.csv, ties.csv and offers.csv) */
    {"needs: unknown person", NETREF_CSV_NEEDS,
     "person,tag,weight\nana,legal,1\nnobody,design,1\n", 3, "nobody"},
    {"needs: weight abc", NETREF_CSV_NEEDS, "person,tag,weight\nana,x,abc\n", 2,
     "abc"},
    {"needs: weight 0.5x", NETREF_CSV_NEEDS, "person,tag,weight\nana,x,0.5x\n",
     2, "0.5x"},
    {"needs: weight 0", NETREF_CSV_NEEDS, "person,tag,weight\nana,x,0\n", 2,
     NULL},
    {"needs: weight 1.5", NETREF_CSV_NEEDS, "person,tag,weight\nana,x,1.5\n", 2,
     "1.5"},
    {"needs: weight -0.1", NETREF_CSV_NEEDS, "person,tag,weight\nana,x,-0.1\n",
     2, "-0.1"},
    {"needs: unknown column", NETREF_CSV_NEEDS, "person,tag,note\nana,x,y\n", 1,
     "note"},
    {"needs: header lacks person", NETREF_CSV_NEEDS, "tag,weight\nx,1\n", 1,
     "person"},
    {"needs: \\xff in tag", NETREF_CSV_NEEDS, "person,tag\nana,\xff\n", 2,
     NULL},
    {"needs: too few fields", NETREF_CSV_NEEDS,
     "person,tag,weight\n\nana,x,1\nbo\n", 4, NULL},
    {"needs: empty file", NETREF_CSV_NEEDS, "", 1, NULL},
    {"needs: a tag of one soft hyphen", NETREF_CSV_NEEDS,
     "person,tag\nana,x\nbo,\xC2\xAD\n", 3, "empty after normalization"},
};

/* Good files for the kinds read before the bad one: they add "zara" and
 * change existing data, all of which must be rolled back. */
static const char GOOD_PEOPLE[] = "key,name,org\nzara,Zara,Z\nana,Ana R,X\n";
static const char GOOD_TIES[] = "a,b,strength,context\nzara,ana,0.9,new\n"
                                "ana,bo,0.1,changed\n";
static const char GOOD_OFFERS[] = "person,tag,note\nzara,design,zz\n"
                                  "ana,legal,\nbo,design,a note\n";

static const char *const KIND_FILE[4] = {"people.csv", "ties.csv", "offers.csv",
                                         "needs.csv"};

/* Run one bad case; print what is wrong and return 1, or return 0. All
 * cases run even when one fails, so that a report lists every one. */
#define BAD_FAIL(...)                                                          \
  do {                                                                         \
    print_error("[%s] ", b->name);                                             \
    print_error(__VA_ARGS__);                                                  \
    print_error("\n");                                                         \
    failed = 1;                                                                \
  } while (0)

static int check_bad(void **state, const struct bad *b, const char *before) {
  netref_db *db = DB(state);
  int failed = 0;
  const char *files[4] = {NULL, NULL, NULL, NULL};
  static const char *const good[3] = {GOOD_PEOPLE, GOOD_TIES, GOOD_OFFERS};
  char name[64];
  for (int k = 0; k < b->kind; k++) {
    snprintf(name, sizeof name, "good_%s", KIND_FILE[k]);
    files[k] = put(state, name, good[k]);
  }
  snprintf(name, sizeof name, "bad_%s", KIND_FILE[b->kind]);
  files[b->kind] = put(state, name, b->csv);
  char path[4096];
  snprintf(path, sizeof path, "%s", files[b->kind]);

  long long counts[4];
  int rc = run_import(db, files[0], files[1], files[2], files[3], 0, counts);
  const char *msg = netref_errmsg(db);
  if (rc != NETREF_EPARSE)
    BAD_FAIL("rc %d, expected NETREF_EPARSE; message: %s", rc, msg);
  char prefix[4200];
  snprintf(prefix, sizeof prefix, "%s:%ld: ", path, b->line);
  if (strncmp(msg, prefix, strlen(prefix)) != 0) {
    BAD_FAIL("message '%s' does not start with '%s'", msg, prefix);
  } else {
    const char *problem = msg + strlen(prefix);
    if (!*problem || strchr(msg, '\n'))
      BAD_FAIL("message '%s': no one-line problem", msg);
    if (b->hint && !strstr(problem, b->hint))
      BAD_FAIL("problem '%s' does not mention '%s'", problem, b->hint);
  }
  for (int k = 0; k < 4; k++)
    if (counts[k] != 0)
      BAD_FAIL("count of kind %d is %lld after a failed run", k, counts[k]);

  char *after = dump(db);
  if (strcmp(after, before) != 0)
    BAD_FAIL("database changed:\n--- before\n%s--- after\n%s", before, after);
  free(after);
  netref_rows *rows = NULL;
  if (netref_person_get(db, "zara", &rows) != NETREF_ENOTFOUND)
    BAD_FAIL("zara from an earlier file is present");
  netref_rows_free(rows);
  return failed;
}

static void test_bad_inputs(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  char *before = dump(db);
  int failures = 0;
  for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++)
    failures += check_bad(state, &BAD[i], before);
  expect_base(db);

  /* The handle still works: the good files import fine afterwards. */
  const char *p = put(state, "gp.csv", GOOD_PEOPLE);
  const char *t = put(state, "gt.csv", GOOD_TIES);
  const char *o = put(state, "go.csv", GOOD_OFFERS);
  int rc = run_import(db, p, t, o, NULL, 0, NULL);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  expect_person(db, "zara", "Zara", "org", "Z", NULL);
  expect_tie(db, "ana", "bo", 0.1, "2024-01-15", "changed");
  char *after = dump(db);
  assert_string_not_equal(after, before);
  free(after);
  free(before);
  if (failures)
    fail_msg("%d of %zu bad-input cases failed (listed above)", failures,
             sizeof BAD / sizeof *BAD);
}

/* ------------------------------------------------------------------ */
/* Missing files                                                        */

static void test_missing_file(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  char *before = dump(db);
  struct tempdir_fixture *fx = *state;
  char missing[256];
  snprintf(missing, sizeof missing, "%s/no_such_file.csv", fx->dir);

  for (int kind = 0; kind < 4; kind++) {
    const char *files[4] = {NULL, NULL, NULL, NULL};
    static const char *const good[3] = {GOOD_PEOPLE, GOOD_TIES, GOOD_OFFERS};
    char name[64];
    for (int k = 0; k < kind; k++) {
      snprintf(name, sizeof name, "good_%s", KIND_FILE[k]);
      files[k] = put(state, name, good[k]);
    }
    files[kind] = missing;
    long long counts[4];
    int rc = run_import(db, files[0], files[1], files[2], files[3], 0, counts);
    assert_int_equal(rc, NETREF_EIO);
    const char *msg = netref_errmsg(db);
    if (!strstr(msg, missing))
      fail_msg("message '%s' does not name '%s'", msg, missing);
    for (int k = 0; k < 4; k++)
      assert_int_equal(counts[k], 0);
    char *after = dump(db);
    assert_string_equal(after, before);
    free(after);
    expect_no_person(db, "zara");
  }
  /* A missing file given alongside good later files. */
  const char *o = put(state, "offers_ok.csv", GOOD_OFFERS);
  assert_int_equal(run_import(db, NULL, missing, o, NULL, 0, NULL), NETREF_EIO);
  char *after = dump(db);
  assert_string_equal(after, before);
  free(after);
  free(before);
}

/* ------------------------------------------------------------------ */
/* Progress                                                             */

#define MAX_CALLS 64

struct progress_log {
  int calls;
  char path[MAX_CALLS][256];
  long long rows[MAX_CALLS];
  void *user_seen;
  int cancel_at;        /* return non-zero on this call (1-based); 0: never */
  netref_db *interrupt; /* call netref_interrupt on it on cancel_at */
};

static int on_progress(void *user, const char *path, long long rows) {
  struct progress_log *log = user;
  if (log->calls < MAX_CALLS) {
    snprintf(log->path[log->calls], sizeof log->path[0], "%s",
             path ? path : "(null)");
    log->rows[log->calls] = rows;
  }
  log->calls++;
  log->user_seen = user;
  if (log->calls != log->cancel_at)
    return 0;
  if (log->interrupt) { /* as another thread would, mid-import */
    netref_interrupt(log->interrupt);
    return 0;
  }
  return 1;
}

/* Many people and a few offers, in two files of the fixture's dir. */
static void write_progress_files(void **state, char *people, char *offers,
                                 size_t size) {
  struct tempdir_fixture *fx = *state;
  snprintf(people, size, "%s/many_people.csv", fx->dir);
  snprintf(offers, size, "%s/few_offers.csv", fx->dir);
  FILE *f = fopen(people, "wb");
  assert_non_null(f);
  fputs("key,name\n", f);
  for (int i = 0; i < 10000; i++)
    fprintf(f, "p%05d,Person %d\n", i, i);
  assert_int_equal(fclose(f), 0);
  f = fopen(offers, "wb");
  assert_non_null(f);
  fputs("person,tag\np00001,design\np00002,legal\np09999,design\n", f);
  assert_int_equal(fclose(f), 0);
}

/* A progress callback that returns non-zero, or netref_interrupt()
 * during the run, at any call (mid-file or at a file's end): the import
 * stops with NETREF_ECANCELED and nothing of it is stored. */
static void test_progress_cancels(void **state) {
  netref_db *db = DB(state);
  char people[256], offers[256];
  write_progress_files(state, people, offers, sizeof people);
  ASSERT_OK(netref_person_add(db, "before", "Before"));
  for (int how = 0; how < 2; how++) {
    for (int at = 1; at <= 4; at++) {
      struct progress_log log;
      memset(&log, 0, sizeof log);
      log.cancel_at = at;
      log.interrupt = how ? db : NULL;
      netref_import *imp = NULL;
      ASSERT_OK(netref_import_new(&imp));
      ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_PEOPLE, people));
      ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_OFFERS, offers));
      ASSERT_OK(netref_import_set_progress(imp, on_progress, &log));
      int rc = netref_import_run(db, imp);
      if (rc != NETREF_ECANCELED)
        fail_msg("cancel at call %d (%s): got %d (%s)", at,
                 how ? "interrupt" : "callback", rc, netref_errmsg(db));
      assert_int_equal(netref_import_count(imp, NETREF_CSV_PEOPLE), 0);
      netref_import_free(imp);
      netref_rows *rows = NULL;
      ASSERT_OK(netref_person_list(db, &rows));
      assert_int_equal(netref_rows_count(rows), 1);
      netref_rows_free(rows);
    }
  }
  /* A request made while nothing ran does not cancel the next import. */
  netref_interrupt(db);
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_PEOPLE, people));
  ASSERT_OK(netref_import_run(db, imp));
  assert_int_equal(netref_import_count(imp, NETREF_CSV_PEOPLE), 10000);
  netref_import_free(imp);
  netref_interrupt(NULL);
}

static void test_progress(void **state) {
  netref_db *db = DB(state);
  char people[256], offers[256];
  write_progress_files(state, people, offers, sizeof people);

  struct progress_log log;
  memset(&log, 0, sizeof log);
  netref_import *imp = NULL;
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_PEOPLE, people),
                   NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_OFFERS, offers),
                   NETREF_OK);
  assert_int_equal(netref_import_set_progress(imp, on_progress, &log),
                   NETREF_OK);
  int rc = netref_import_run(db, imp);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  assert_int_equal(netref_import_count(imp, NETREF_CSV_PEOPLE), 10000);
  assert_int_equal(netref_import_count(imp, NETREF_CSV_OFFERS), 3);
  assert_int_equal(netref_import_count(imp, NETREF_CSV_TIES), 0);
  assert_int_equal(netref_import_count(imp, NETREF_CSV_NEEDS), 0);
  netref_import_free(imp);

  assert_true(log.calls >= 3 && log.calls <= MAX_CALLS);
  assert_ptr_equal(log.user_seen, &log);
  /* The people file: growing counts, at least one before the end, and a
   * last call with the total. */
  int i = 0;
  long long last = 0;
  int intermediate = 0;
  for (; i < log.calls && strcmp(log.path[i], people) == 0; i++) {
    assert_true(log.rows[i] > last ||
                (log.rows[i] == last && log.rows[i] == 10000));
    assert_true(log.rows[i] <= 10000);
    if (log.rows[i] < 10000)
      intermediate++;
    last = log.rows[i];
  }
  assert_true(intermediate >= 1);
  assert_int_equal(last, 10000);
  /* Then the offers file, ending with its total. */
  assert_true(i < log.calls);
  for (; i < log.calls; i++)
    assert_string_equal(log.path[i], offers);
  assert_int_equal(log.rows[log.calls - 1], 3);

  netref_rows *rows = NULL;
  assert_int_equal(netref_person_list(db, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 10000);
  netref_rows_free(rows);
  expect_person(db, "p09999", "Person 9999", NULL);

  /* Progress switched off again: no more calls. */
  memset(&log, 0, sizeof log);
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_OFFERS, offers),
                   NETREF_OK);
  assert_int_equal(netref_import_set_progress(imp, on_progress, &log),
                   NETREF_OK);
  assert_int_equal(netref_import_set_progress(imp, NULL, NULL), NETREF_OK);
  assert_int_equal(netref_import_run(db, imp), NETREF_OK);
  assert_int_equal(log.calls, 0);
  netref_import_free(imp);
}

/* ------------------------------------------------------------------ */
/* Every bad row                                                        */

/* Bad rows in several files are all reported, in file then line order,
 * one line each; good rows around them do not count; nothing is stored.
 * A row that names a person whose people.csv row was bad is not
 * reported, but one naming a person of a later good row is fine. */
static void test_every_bad_row(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  char *before = dump(db);
  char p[4096], t[4096], o[4096], n[4096];
  snprintf(p, sizeof p, "%s",
           put(state, "many_people.csv",
               "key,name,org\n"
               "zara,Zara,Z\n"    /* 2: good */
               "yan,Yan\n"        /* 3: too few fields */
               "xavi,Xavi,X\n"    /* 4: good */
               "\"a\tb\",Tab,T\n" /* 5: a tab in the key */
               "wu,W\xffu,W\n"    /* 6: not UTF-8 */
               "vic,Vic,V\n"));   /* 7: good, named by ties below */
  snprintf(t, sizeof t, "%s",
           put(state, "many_ties.csv",
               "a,b,strength\n"
               "zara,ana,0.9\n"   /* 2: good */
               "yan,ana,0.5\n"    /* 3: yan's row was bad: not reported */
               "ana,bo,abc\n"     /* 4: bad number */
               "nobody,ana,0.5\n" /* 5: unknown person */
               "vic,xavi,0.5\n"   /* 6: good (later good people rows) */
               "wu,bo,0.5\n"      /* 7: wu's row was bad: not reported */
               "ana,yan,2\n"));   /* 8: yan again: not reported */
  snprintf(o, sizeof o, "%s",
           put(state, "many_offers.csv",
               "person,tag\n"
               "yan,design\n" /* 2: not reported */
               "ana,\n"));    /* 3: empty tag */
  snprintf(n, sizeof n, "%s",
           put(state, "many_needs.csv",
               "person,tag,weight\n"
               "ana,legal,1.5\n" /* 2: out of range */
               "bo,legal,1\n")); /* 3: good */
  long long counts[4];
  int rc = run_import(db, p, t, o, n, 0, counts);
  assert_int_equal(rc, NETREF_EPARSE);
  struct lines l;
  split_lines(netref_errmsg(db), &l);
  expect_line(&l, 0, p, 3, "expected 3 fields, found 2");
  expect_line(&l, 1, p, 5, "control character (U+0009)");
  expect_line(&l, 2, p, 6, "field 2 is not valid UTF-8");
  expect_line(&l, 3, t, 4, "bad number 'abc' for strength");
  expect_line(&l, 4, t, 5, "unknown person 'nobody'");
  expect_line(&l, 5, o, 3, "tag is empty");
  expect_line(&l, 6, n, 2, "weight 1.5 is out of range");
  if (l.n != 7)
    fail_msg("%d lines, expected 7:\n%s", l.n, netref_errmsg(db));
  free(l.copy);
  for (int k = 0; k < 4; k++)
    assert_int_equal(counts[k], 0);
  char *after = dump(db);
  assert_string_equal(after, before);
  free(after);
  free(before);
  expect_no_person(db, "zara");
  expect_no_person(db, "xavi");
}

/* A file of `bad` rows with too few fields after one good row. */
static const char *bad_rows_file(void **state, int bad) {
  char *text = malloc(64 + (size_t)bad * 16);
  assert_non_null(text);
  char *at = text + sprintf(text, "key,name,org\ngood,Good,G\n");
  for (int i = 0; i < bad; i++)
    at += sprintf(at, "p%03d,P\n", i);
  const char *path = put(state, "capped.csv", text);
  free(text);
  return path;
}

/* More distinct tags than an import keeps normalized (NR_TAG_CACHE): the
 * first ones are normalized once and reused, later ones each time; both
 * must store the normal form, in offers and needs alike, and a tag met
 * again in another spelling must land on the same normal form. */
static void test_many_tags(void **state) {
  netref_db *db = DB(state);
  enum { TAGS = 70000 };
  size_t cap = (size_t)TAGS * 24 + 512;
  char *offers = malloc(cap), *needs = malloc(512);
  assert_non_null(offers);
  assert_non_null(needs);
  char *at = offers + sprintf(offers, "person,tag\n");
  for (int i = 0; i < TAGS; i++)
    at += sprintf(at, "ann,Tag %05d\n", i);
  /* Again, spelled otherwise: one kept normalized, one beyond the cap. */
  at += sprintf(at, "bob,  TAG 00007 \nbob,tag   %05d\n", TAGS - 1);
  sprintf(needs, "person,tag,weight\nbob,TAG 00007,0.5\nbob,Tag %05d,1\n",
          TAGS - 2);
  const char *people = put(state, "people.csv", "key,name\nann,Ann\nbob,Bob\n");
  char offers_path[4096], needs_path[4096];
  snprintf(offers_path, sizeof offers_path, "%s",
           put(state, "offers.csv", offers));
  snprintf(needs_path, sizeof needs_path, "%s", put(state, "needs.csv", needs));
  free(offers);
  free(needs);
  long long counts[4];
  assert_int_equal(
      run_import(db, people, NULL, offers_path, needs_path, 0, counts),
      NETREF_OK);
  assert_int_equal(counts[2], TAGS + 2);
  assert_int_equal(counts[3], 2);
  netref_rows *rows = NULL;
  assert_int_equal(netref_offer_list(db, "ann", &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), TAGS);
  char want[32];
  for (size_t r = 0; r < netref_rows_count(rows); r++) {
    snprintf(want, sizeof want, "tag %05zu", r);
    assert_string_equal(netref_rows_text(rows, r, 0), want);
  }
  netref_rows_free(rows);
  snprintf(want, sizeof want, "tag 00007=-;tag %05d=-;", TAGS - 1);
  expect_offers(db, "bob", want);
  snprintf(want, sizeof want, "tag 00007=0.5;tag %05d=1;", TAGS - 2);
  expect_needs(db, "bob", want);
}

/* At most NETREF_IMPORT_MAX_ERRORS lines, then "... and N more". */
static void test_error_cap(void **state) {
  netref_db *db = DB(state);
  static const int bad[] = {NETREF_IMPORT_MAX_ERRORS,
                            NETREF_IMPORT_MAX_ERRORS + 1,
                            NETREF_IMPORT_MAX_ERRORS + 5, 5000};
  for (size_t c = 0; c < sizeof bad / sizeof *bad; c++) {
    char path[4096];
    snprintf(path, sizeof path, "%s", bad_rows_file(state, bad[c]));
    assert_int_equal(run_import(db, path, NULL, NULL, NULL, 0, NULL),
                     NETREF_EPARSE);
    struct lines l;
    split_lines(netref_errmsg(db), &l);
    for (int i = 0; i < NETREF_IMPORT_MAX_ERRORS; i++)
      expect_line(&l, i, path, i + 3, "expected 3 fields, found 2");
    int more = bad[c] - NETREF_IMPORT_MAX_ERRORS;
    if (more == 0) {
      assert_int_equal(l.n, NETREF_IMPORT_MAX_ERRORS);
    } else {
      char want[64];
      snprintf(want, sizeof want, "... and %d more problem%s", more,
               more == 1 ? "" : "s");
      assert_int_equal(l.n, NETREF_IMPORT_MAX_ERRORS + 1);
      assert_string_equal(l.line[NETREF_IMPORT_MAX_ERRORS], want);
    }
    free(l.copy);
    expect_no_person(db, "good");
  }
  /* A short message after a long one: nothing of the long one stays. */
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_get(db, "nobody", &rows), NETREF_ENOTFOUND);
  assert_null(strchr(netref_errmsg(db), '\n'));
  assert_non_null(strstr(netref_errmsg(db), "nobody"));
}

/* What cannot be read on from stops the import at once; the bad rows
 * found before come first, the failure that stopped it last, with its
 * code. */
static void test_stops_after_bad_rows(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  char *before = dump(db);
  char p[4096], t[4096], missing[4096];
  struct tempdir_fixture *fx = *state;
  snprintf(p, sizeof p, "%s",
           put(state, "p.csv", "key,name\nzed\nyo,Yo\n\"open,x\"y\nzz\n"));
  snprintf(t, sizeof t, "%s", put(state, "t.csv", "a,strength\nana,0.5\n"));
  snprintf(missing, sizeof missing, "%s/missing.csv", fx->dir);

  /* Broken quoting on line 4: line 5's bad row is not reached. */
  assert_int_equal(run_import(db, p, t, NULL, NULL, 0, NULL), NETREF_EPARSE);
  struct lines l;
  split_lines(netref_errmsg(db), &l);
  expect_line(&l, 0, p, 2, "expected 2 fields, found 1");
  expect_line(&l, 1, p, 4, "malformed CSV quoting");
  assert_int_equal(l.n, 2);
  free(l.copy);

  /* A bad header of the next file. */
  snprintf(p, sizeof p, "%s", put(state, "p.csv", "key,name\nzed\nyo,Yo\n"));
  assert_int_equal(run_import(db, p, t, NULL, NULL, 0, NULL), NETREF_EPARSE);
  split_lines(netref_errmsg(db), &l);
  expect_line(&l, 0, p, 2, "expected 2 fields, found 1");
  expect_line(&l, 1, t, 1, "the header lacks column 'b'");
  assert_int_equal(l.n, 2);
  free(l.copy);

  /* A file that cannot be read: its code. */
  assert_int_equal(run_import(db, p, missing, NULL, NULL, 0, NULL), NETREF_EIO);
  split_lines(netref_errmsg(db), &l);
  expect_line(&l, 0, p, 2, "expected 2 fields, found 1");
  assert_int_equal(l.n, 2);
  assert_non_null(strstr(l.line[1], missing));
  free(l.copy);

  char *after = dump(db);
  assert_string_equal(after, before);
  free(after);
  free(before);
  expect_no_person(db, "yo");
}

/* Cancellation after bad rows: NETREF_ECANCELED, the bad rows listed. */
static void test_cancel_after_bad_rows(void **state) {
  netref_db *db = DB(state);
  struct tempdir_fixture *fx = *state;
  char people[256];
  snprintf(people, sizeof people, "%s/bad_then_many.csv", fx->dir);
  FILE *f = fopen(people, "wb");
  assert_non_null(f);
  fputs("key,name\nbad\n", f);
  for (int i = 0; i < 10000; i++)
    fprintf(f, "p%05d,Person %d\n", i, i);
  assert_int_equal(fclose(f), 0);
  struct progress_log log;
  memset(&log, 0, sizeof log);
  log.cancel_at = 1;
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_PEOPLE, people));
  ASSERT_OK(netref_import_set_progress(imp, on_progress, &log));
  assert_int_equal(netref_import_run(db, imp), NETREF_ECANCELED);
  netref_import_free(imp);
  struct lines l;
  split_lines(netref_errmsg(db), &l);
  expect_line(&l, 0, people, 2, "expected 2 fields, found 1");
  assert_int_equal(l.n, 2);
  assert_non_null(strstr(l.line[1], "import canceled"));
  free(l.copy);
  expect_no_person(db, "p00000");
}

/* ------------------------------------------------------------------ */
/* API misuse                                                           */

static void test_api_misuse(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  char *before = dump(db);
  const char *p = put(state, "p.csv", "key,name\nzara,Zara\n");

  assert_int_equal(netref_import_new(NULL), NETREF_EINVAL);
  assert_true(strlen(netref_errmsg(NULL)) > 0);

  netref_import *imp = NULL;
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  assert_non_null(imp);
  /* Nothing run yet. */
  for (int k = 0; k < 6; k++)
    assert_int_equal(netref_import_count(imp, k), 0);
  assert_int_equal(netref_import_count(imp, -1), -1);
  assert_int_equal(netref_import_count(imp, 8),
                   -1); /* after the contact kinds */
  assert_int_equal(netref_import_count(NULL, 0), -1);
  assert_int_equal(netref_import_count(NULL, NETREF_CSV_NEEDS), -1);

  /* No file named. */
  assert_int_equal(netref_import_run(db, imp), NETREF_EINVAL);
  assert_true(strlen(netref_errmsg(db)) > 0);
  /* A file named, then forgotten. */
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_PEOPLE, p),
                   NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_PEOPLE, NULL),
                   NETREF_OK);
  assert_int_equal(netref_import_run(db, imp), NETREF_EINVAL);

  /* Bad arguments. */
  assert_int_equal(netref_import_set_file(NULL, NETREF_CSV_PEOPLE, p),
                   NETREF_EINVAL);
  assert_int_equal(netref_import_set_file(imp, -1, p), NETREF_EINVAL);
  assert_int_equal(netref_import_set_file(imp, 8, p), NETREF_EINVAL);
  assert_int_equal(netref_import_set_create_missing(NULL, 1), NETREF_EINVAL);
  assert_int_equal(netref_import_set_progress(NULL, on_progress, NULL),
                   NETREF_EINVAL);
  assert_int_equal(netref_import_run(NULL, imp), NETREF_EINVAL);
  assert_int_equal(netref_import_run(db, NULL), NETREF_EINVAL);
  assert_int_equal(netref_import_run(NULL, NULL), NETREF_EINVAL);

  /* Replacing a file name keeps only the last one. */
  const char *bad = put(state, "bad.csv", "nothing,useful\n");
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_PEOPLE, bad),
                   NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_PEOPLE, p),
                   NETREF_OK);
  /* The job keeps its own copy of the path. */
  char copy[4096];
  snprintf(copy, sizeof copy, "%s", p);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_PEOPLE, copy),
                   NETREF_OK);
  memset(copy, 'x', strlen(copy));
  char *after = dump(db);
  assert_string_equal(after, before);
  free(after);
  int rc = netref_import_run(db, imp);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  assert_int_equal(netref_import_count(imp, NETREF_CSV_PEOPLE), 1);
  expect_person(db, "zara", "Zara", NULL);
  netref_import_free(imp);
  netref_import_free(NULL);
  free(before);
}

static void test_readonly_handle(void **state) {
  struct tempdir_fixture *fx = *state;
  import_base(state);
  netref_close(fx->db);
  fx->db = NULL;
  assert_int_equal(netref_open_with(fx->path, NETREF_OPEN_READONLY, &fx->db),
                   NETREF_OK);
  char *before = dump(fx->db);
  const char *p = put(state, "p.csv", "key,name\nzara,Zara\n");
  const char *n = put(state, "n.csv", "person,tag\nana,legal\n");
  long long counts[4];
  assert_int_equal(run_import(fx->db, p, NULL, NULL, n, 0, counts),
                   NETREF_EREADONLY);
  assert_true(strlen(netref_errmsg(fx->db)) > 0);
  for (int k = 0; k < 4; k++)
    assert_int_equal(counts[k], 0);
  char *after = dump(fx->db);
  assert_string_equal(after, before);
  expect_no_person(fx->db, "zara");
  free(before);
  free(after);
}

/* ------------------------------------------------------------------ */
/* ---- taxonomy.csv and groups.csv ---- */

/* Run one import of any of the six kinds (files[k] NULL: not given);
 * counts[k] receives netref_import_count() of each kind. */
static int run_import6(netref_db *db, const char *const files[6],
                       int create_missing, long long counts[6]) {
  netref_import *imp = NULL;
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  for (int k = 0; k < 6; k++)
    if (files[k])
      assert_int_equal(netref_import_set_file(imp, k, files[k]), NETREF_OK);
  if (create_missing)
    assert_int_equal(netref_import_set_create_missing(imp, 1), NETREF_OK);
  int rc = netref_import_run(db, imp);
  for (int k = 0; counts && k < 6; k++)
    counts[k] = netref_import_count(imp, k);
  netref_import_free(imp);
  return rc;
}

/* The stored tag relations as "tag relation other;..." */
static char *relations_of(void **state) {
  netref_rows *rows = NULL;
  assert_int_equal(netref_tag_relations(DB(state), NULL, &rows), NETREF_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    fprintf(f, "%s %s %s;", netref_rows_text(rows, r, 0),
            netref_rows_text(rows, r, 1), netref_rows_text(rows, r, 2));
  fclose(f);
  netref_rows_free(rows);
  return buf;
}

/* Every group with its members: "key=name[m1,m2];..." */
static char *groups_of(netref_db *db) {
  netref_rows *groups = NULL;
  assert_int_equal(netref_group_list(db, &groups), NETREF_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  for (size_t g = 0; g < netref_rows_count(groups); g++) {
    const char *key = netref_rows_text(groups, g, 0);
    netref_rows *members = NULL;
    assert_int_equal(netref_group_members(db, key, &members), NETREF_OK);
    assert_int_equal(netref_rows_real(groups, g, 2),
                     netref_rows_count(members));
    fprintf(f, "%s=%s[", key, netref_rows_text(groups, g, 1));
    for (size_t m = 0; m < netref_rows_count(members); m++)
      fprintf(f, "%s%s", m ? "," : "", netref_rows_text(members, m, 0));
    fprintf(f, "];");
    netref_rows_free(members);
  }
  netref_rows_free(groups);
  fclose(f);
  return buf;
}

/* dump() plus the tag relations and the groups. */
static char *dump_all(void **state) {
  char *base = dump(DB(state)), *rel = relations_of(state),
       *grp = groups_of(DB(state));
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  fprintf(f, "%srelations: %s\ngroups: %s\n", base, rel, grp);
  fclose(f);
  free(base);
  free(rel);
  free(grp);
  return buf;
}

static void expect_text(char *got, const char *want) {
  if (strcmp(got, want) != 0) {
    char msg[2048];
    snprintf(msg, sizeof msg, "got '%s', expected '%s'", got, want);
    free(got);
    fail_msg("%s", msg);
  }
  free(got);
}

/* taxonomy.csv: columns reordered, tags to normalize, a repeated row. */
static const char TAXONOMY_CSV[] =
    "other,tag,relation\n"
    "\"  PARTY   planning \",Party Planner,alias\n"
    "party planning,Kids Birthday Party,broader\n"
    "design,web design,broader\n"
    "party planning,party planner,alias\n";

/* groups.csv: columns reordered, a repeated row, a group made before. */
static const char GROUPS_CSV[] = "person,group\n"
                                 "bo,nov\n"
                                 "ana,nov\n"
                                 "\xC3\xA9mile,\"BNI, Porto\"\n"
                                 "ana,nov\n"
                                 "dee,\"BNI, Porto\"\n";

static void test_taxonomy_and_groups(void **state) {
  netref_db *db = DB(state);
  struct base_files b = write_base(state);
  assert_int_equal(netref_group_add(db, "nov", "Nov 30 evening"), NETREF_OK);
  const char *files[6] = {b.people,
                          b.ties,
                          b.offers,
                          b.needs,
                          put(state, "taxonomy.csv", TAXONOMY_CSV),
                          put(state, "groups.csv", GROUPS_CSV)};
  long long counts[6];
  int rc = run_import6(db, files, 0, counts);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  static const long long want[6] = {5, 4, 4, 4, 4, 5};
  for (int k = 0; k < 6; k++)
    assert_int_equal(counts[k], want[k]);
  expect_base(db);
  static const char relations[] = "kids birthday party broader party planning;"
                                  "party planner alias party planning;"
                                  "web design broader design;";
  expect_text(relations_of(state), relations);
  /* A new group is named after its key; a known one keeps its name. */
  static const char groups[] =
      "BNI, Porto=BNI, Porto[dee,\xC3\xA9mile];nov=Nov 30 evening[ana,bo];";
  expect_text(groups_of(db), groups);

  /* Again, and each new file alone: nothing changes. */
  char *before = dump_all(state);
  assert_int_equal(run_import6(db, files, 0, counts), NETREF_OK);
  assert_int_equal(counts[NETREF_CSV_GROUPS], 5);
  for (int k = NETREF_CSV_TAXONOMY; k <= NETREF_CSV_GROUPS; k++) {
    const char *one[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    one[k] = files[k];
    assert_int_equal(run_import6(db, one, 0, counts), NETREF_OK);
    assert_int_equal(counts[k], want[k]);
    assert_int_equal(counts[NETREF_CSV_PEOPLE], 0);
  }
  char *after = dump_all(state);
  assert_string_equal(after, before);
  free(after);
  free(before);

  /* A header alone is a good, empty file. */
  const char *hdr[6] = {NULL,
                        NULL,
                        NULL,
                        NULL,
                        put(state, "t0.csv", "tag,relation,other\n"),
                        put(state, "g0.csv", "group,person\n")};
  assert_int_equal(run_import6(db, hdr, 0, counts), NETREF_OK);
  assert_int_equal(counts[NETREF_CSV_TAXONOMY], 0);
  assert_int_equal(counts[NETREF_CSV_GROUPS], 0);
}

static void test_groups_create_missing(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  const char *g = put(state, "groups.csv",
                      "group,person\nnov,ana\nnov,newbie\ndec,ghost\n");
  const char *files[6] = {NULL, NULL, NULL, NULL, NULL, g};
  /* Off by default: an unknown person fails the import, naming them. */
  char *before = dump_all(state);
  long long counts[6];
  assert_int_equal(run_import6(db, files, 0, counts), NETREF_EPARSE);
  char prefix[4200];
  snprintf(prefix, sizeof prefix, "%s:3: ", g);
  assert_memory_equal(netref_errmsg(db), prefix, strlen(prefix));
  assert_non_null(strstr(netref_errmsg(db), "unknown person 'newbie'"));
  for (int k = 0; k < 6; k++)
    assert_int_equal(counts[k], 0);
  char *after = dump_all(state);
  assert_string_equal(after, before);
  free(after);
  free(before);

  assert_int_equal(run_import6(db, files, 1, counts), NETREF_OK);
  assert_int_equal(counts[NETREF_CSV_GROUPS], 3);
  expect_person(db, "newbie", "newbie", NULL);
  expect_person(db, "ghost", "ghost", NULL);
  expect_text(groups_of(db), "dec=dec[ghost];nov=nov[ana,newbie];");
}

struct bad6 {
  const char *name;
  int kind; /* NETREF_CSV_TAXONOMY or NETREF_CSV_GROUPS */
  const char *csv;
  long line;
  const char *hint; /* must appear in the problem text, or NULL */
};

static const struct bad6 BAD6[] = {
    {"taxonomy: bad relation", NETREF_CSV_TAXONOMY,
     "tag,relation,other\na,alias,b\nc,narrower,d\n", 3,
     "'narrower' (expected alias or broader)"},
    {"taxonomy: relation in upper case", NETREF_CSV_TAXONOMY,
     "tag,relation,other\na,ALIAS,b\n", 2, "ALIAS"},
    {"taxonomy: empty relation", NETREF_CSV_TAXONOMY,
     "tag,relation,other\na,,b\n", 2, "relation"},
    {"taxonomy: blank tag", NETREF_CSV_TAXONOMY,
     "tag,relation,other\n\"  \",alias,b\n", 2, "tag"},
    {"taxonomy: empty other", NETREF_CSV_TAXONOMY,
     "tag,relation,other\na,broader,\n", 2, "other"},
    {"taxonomy: the same tag twice", NETREF_CSV_TAXONOMY,
     "tag,relation,other\nDesign,alias,\" design\"\n", 2, NULL},
    {"taxonomy: a cycle of broader terms", NETREF_CSV_TAXONOMY,
     "tag,relation,other\na,broader,b\nb,broader,c\nc,broader,a\n", 4, NULL},
    {"taxonomy: \\xff in a tag", NETREF_CSV_TAXONOMY,
     "tag,relation,other\na\xff,alias,b\n", 2, NULL},
    {"taxonomy: header lacks other", NETREF_CSV_TAXONOMY,
     "tag,relation\na,alias\n", 1, "other"},
    {"taxonomy: unknown column", NETREF_CSV_TAXONOMY,
     "tag,relation,other,note\na,alias,b,x\n", 1, "note"},
    {"taxonomy: too few fields", NETREF_CSV_TAXONOMY,
     "tag,relation,other\na,alias,b\nc,alias\n", 3, NULL},
    {"taxonomy: empty file", NETREF_CSV_TAXONOMY, "", 1, NULL},
    {"groups: unknown person", NETREF_CSV_GROUPS,
     "group,person\nnov,ana\nnov,nobody\n", 3, "unknown person 'nobody'"},
    {"groups: empty group", NETREF_CSV_GROUPS, "group,person\n,ana\n", 2,
     "group"},
    {"groups: empty person and no person column", NETREF_CSV_GROUPS,
     "group,group_name\nnov,Nov\n", 1, "person"},
    {"ties: bad cadence", NETREF_CSV_TIES, "a,b,cadence\nana,bo,0\n", 2,
     "cadence"},
    {"ties: cadence not a number", NETREF_CSV_TIES,
     "a,b,cadence\nana,bo,weekly\n", 2, "cadence"},
    {"groups: \\xff in a group key", NETREF_CSV_GROUPS,
     "group,person\nn\xffv,ana\n", 2, NULL},
    {"groups: header lacks person", NETREF_CSV_GROUPS, "group\nnov\n", 1,
     "person"},
    {"groups: unknown column", NETREF_CSV_GROUPS,
     "group,person,role\nnov,ana,host\n", 1, "role"},
    {"groups: too many fields", NETREF_CSV_GROUPS,
     "group,person\nnov,ana\nnov,bo,x\n", 3, NULL},
    {"groups: empty file", NETREF_CSV_GROUPS, "", 1, NULL},
    {"groups: a new group key with a newline", NETREF_CSV_GROUPS,
     "group,person\nnov,ana\n\"n\nov\",ana\n", 3,
     "group key contains a control character (U+000A)"},
    {"groups: a new group key with a bidi override", NETREF_CSV_GROUPS,
     "group,person\n\xE2\x80\xAEvon,ana\n", 2, "invisible character (U+202E)"},
    {"taxonomy: a zero-width tag", NETREF_CSV_TAXONOMY,
     "tag,relation,other\nlawyer,alias,\xE2\x80\x8B\n", 2,
     "empty after normalization"},
};

/* Good files of every kind read before the bad one; they add "zara", a
 * relation and a group, all of which must be rolled back. */
static const char *const GOOD6[6] = {GOOD_PEOPLE,
                                     GOOD_TIES,
                                     GOOD_OFFERS,
                                     "person,tag,weight\nzara,legal,0.5\n",
                                     "tag,relation,other\nlawyer,alias,legal\n",
                                     "group,person\nnov,zara\n"};

static void test_taxonomy_and_groups_bad(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  char *before = dump_all(state);
  int failures = 0;
  for (size_t i = 0; i < sizeof BAD6 / sizeof *BAD6; i++) {
    const struct bad6 *b = &BAD6[i];
    int failed = 0;
    const char *files[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    char name[64];
    for (int k = 0; k < b->kind; k++) {
      snprintf(name, sizeof name, "good6_%d.csv", k);
      files[k] = put(state, name, GOOD6[k]);
    }
    files[b->kind] = put(state, "bad6.csv", b->csv);
    long long counts[6];
    int rc = run_import6(db, files, 0, counts);
    const char *msg = netref_errmsg(db);
    if (rc != NETREF_EPARSE)
      BAD_FAIL("rc %d, expected NETREF_EPARSE; message: %s", rc, msg);
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "%s:%ld: ", files[b->kind], b->line);
    if (strncmp(msg, prefix, strlen(prefix)) != 0) {
      BAD_FAIL("message '%s' does not start with '%s'", msg, prefix);
    } else {
      const char *problem = msg + strlen(prefix);
      if (!*problem || strchr(msg, '\n'))
        BAD_FAIL("message '%s': no one-line problem", msg);
      if (b->hint && !strstr(problem, b->hint))
        BAD_FAIL("problem '%s' does not mention '%s'", problem, b->hint);
    }
    for (int k = 0; k < 6; k++)
      if (counts[k] != 0)
        BAD_FAIL("count of kind %d is %lld after a failed run", k, counts[k]);
    char *after = dump_all(state);
    if (strcmp(after, before) != 0)
      BAD_FAIL("database changed:\n--- before\n%s--- after\n%s", before, after);
    free(after);
    failures += failed;
  }
  /* With create_missing too, a bad line later takes the created people,
   * groups and relations with it. */
  const char *late[6] = {
      NULL,
      NULL,
      NULL,
      NULL,
      put(state, "t.csv", "tag,relation,other\ncaterer,alias,catering\n"),
      put(state, "g.csv", "group,person\nnew,fresh\nnew,ana\n,bo\n")};
  assert_int_equal(run_import6(db, late, 1, NULL), NETREF_EPARSE);
  char *after = dump_all(state);
  assert_string_equal(after, before);
  free(after);
  expect_no_person(db, "fresh");
  free(before);
  if (failures)
    fail_msg("%d of %zu bad-input cases failed (listed above)", failures,
             sizeof BAD6 / sizeof *BAD6);
}

struct cadence_want {
  const char *a, *b, *cadence; /* cadence NULL: none */
};

/* The "cadence" cell of each tie as wanted, from both ends. */
static void expect_cadences(netref_db *db, const struct cadence_want *want,
                            size_t n) {
  for (size_t i = 0; i < n; i++) {
    netref_rows *rows = NULL;
    assert_int_equal(netref_tie_get(db, want[i].a, want[i].b, &rows),
                     NETREF_OK);
    size_t col = 0;
    assert_int_equal(netref_rows_column_index(rows, "cadence", &col),
                     NETREF_OK);
    const char *got = netref_rows_text(rows, 0, col);
    int ok = want[i].cadence ? got && !strcmp(got, want[i].cadence) : !got;
    if (!ok)
      fail_msg("tie %s-%s: cadence %s, expected %s", want[i].a, want[i].b,
               got ? got : "none", want[i].cadence ? want[i].cadence : "none");
    netref_rows_free(rows);
  }
}

/* The columns the export's backup layout adds (netref_export() with
 * NETREF_EXPORT_CSV; round trips in test_export.c): a tie's cadence
 * (set, kept when the column is absent, cleared by an empty cell, the
 * last row of a pair winning), a group's name and a group without
 * members, attribute columns keeping their case. */
static void test_backup_columns(void **state) {
  netref_db *db = DB(state);
  const char *people = put(state, "p.csv",
                           "KEY,Name,Org,org,City\n"
                           "ana,Ana,Acme,acme-lower,\n"
                           "bo,Bo,,,Porto\n"
                           "cy,Cy,,,\n");
  const char *ties = put(state, "t.csv",
                         "a,b,strength,cadence\n"
                         "ana,bo,0.5,30\n"
                         "bo,cy,0.5,7\n"
                         "cy,bo,0.25,\n" /* the pair's last row: none */
                         "ana,cy,1,14\n");
  const char *groups = put(state, "g.csv",
                           "group,group_name,person\n"
                           "nov,Nov evening,ana\n"
                           "nov,Nov evening,bo\n"
                           "empty,An empty one,\n");
  const char *files[6] = {people, ties, NULL, NULL, NULL, groups};
  long long counts[6];
  int rc = run_import6(db, files, 0, counts);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  expect_text(groups_of(db), "empty=An empty one[];nov=Nov evening[ana,bo];");
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_get(db, "ana", &rows), NETREF_OK);
  assert_int_equal(netref_rows_columns(rows), 4);
  assert_string_equal(netref_rows_column_name(rows, 2), "Org");
  assert_string_equal(netref_rows_text(rows, 0, 2), "Acme");
  assert_string_equal(netref_rows_column_name(rows, 3), "org");
  assert_string_equal(netref_rows_text(rows, 0, 3), "acme-lower");
  netref_rows_free(rows);
  static const struct cadence_want first[] = {
      {"ana", "bo", "30"}, {"bo", "cy", NULL}, {"ana", "cy", "14"},
      {"bo", "ana", "30"}, {"cy", "bo", NULL}, {"cy", "ana", "14"}};
  expect_cadences(db, first, sizeof first / sizeof *first);
  /* Into a network with ties: an absent column keeps, an empty cell
   * clears, a number sets. */
  const char *more[6] = {
      NULL, put(state, "t2.csv", "a,b,cadence\nana,bo,\nbo,cy,60\n"),
      NULL, NULL,
      NULL, NULL};
  assert_int_equal(run_import6(db, more, 0, counts), NETREF_OK);
  const char *keep[6] = {
      NULL, put(state, "t3.csv", "a,b,strength\nana,cy,0.75\n"),
      NULL, NULL,
      NULL, NULL};
  assert_int_equal(run_import6(db, keep, 0, counts), NETREF_OK);
  static const struct cadence_want then[] = {
      {"bo", "ana", NULL}, {"cy", "bo", "60"}, {"cy", "ana", "14"}};
  expect_cadences(db, then, sizeof then / sizeof *then);
}

static void test_taxonomy_and_groups_progress(void **state) {
  netref_db *db = DB(state);
  import_base(state);
  struct tempdir_fixture *fx = *state;
  char groups[256];
  snprintf(groups, sizeof groups, "%s/many_groups.csv", fx->dir);
  FILE *f = fopen(groups, "wb");
  assert_non_null(f);
  fputs("group,person\n", f);
  static const char *const keys[] = {"ana", "bo", "cy", "dee"};
  for (int i = 0; i < 5000; i++)
    fprintf(f, "g%04d,%s\n", i % 1000, keys[i / 1000 % 4]);
  assert_int_equal(fclose(f), 0);
  const char *t = put(state, "tax.csv", TAXONOMY_CSV);

  struct progress_log log;
  memset(&log, 0, sizeof log);
  netref_import *imp = NULL;
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_GROUPS, groups),
                   NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_TAXONOMY, t),
                   NETREF_OK);
  assert_int_equal(netref_import_set_progress(imp, on_progress, &log),
                   NETREF_OK);
  int rc = netref_import_run(db, imp);
  if (rc != NETREF_OK)
    fail_msg("rc %d: %s", rc, netref_errmsg(db));
  assert_int_equal(netref_import_count(imp, NETREF_CSV_TAXONOMY), 4);
  assert_int_equal(netref_import_count(imp, NETREF_CSV_GROUPS), 5000);
  netref_import_free(imp);
  /* The taxonomy first (read before the groups), then the groups: at
   * least one call before the end and one with the total. */
  assert_true(log.calls >= 3 && log.calls <= MAX_CALLS);
  assert_string_equal(log.path[0], t);
  assert_int_equal(log.rows[0], 4);
  for (int i = 1; i < log.calls; i++)
    assert_string_equal(log.path[i], groups);
  assert_true(log.rows[1] < 5000);
  assert_int_equal(log.rows[log.calls - 1], 5000);

  netref_rows *rows = NULL;
  assert_int_equal(netref_group_list(db, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1000);
  /* g0000: rows for ana, bo, cy, dee and ana again. */
  assert_int_equal(netref_rows_real(rows, 0, 2), 4);
  netref_rows_free(rows);
}

/* ---- end of taxonomy.csv and groups.csv ---- */

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_good_import, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reimport_changes_nothing, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_defaults_and_absent_columns, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_subset, setup, teardown),
      cmocka_unit_test_setup_teardown(test_spaces_around_unquoted_fields, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_repeated_pairs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_create_missing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_create_missing_checks_keys, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_wide_header, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
      cmocka_unit_test_setup_teardown(test_many_tags, setup, teardown),
      cmocka_unit_test_setup_teardown(test_progress_cancels, setup, teardown),
      cmocka_unit_test_setup_teardown(test_every_bad_row, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_cap, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stops_after_bad_rows, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_cancel_after_bad_rows, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_api_misuse, setup, teardown),
      cmocka_unit_test_setup_teardown(test_readonly_handle, setup, teardown),
      /* ---- taxonomy.csv and groups.csv ---- */
      cmocka_unit_test_setup_teardown(test_taxonomy_and_groups, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_groups_create_missing, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_taxonomy_and_groups_bad, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_backup_columns, setup, teardown),
      cmocka_unit_test_setup_teardown(test_taxonomy_and_groups_progress, setup,
                                      teardown),
      /* ---- end of taxonomy.csv and groups.csv ---- */
  };
  /* NETREF_TEST_FILTER=pattern runs only the matching tests. */
  if (getenv("NETREF_TEST_FILTER"))
    cmocka_set_test_filter(getenv("NETREF_TEST_FILTER"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
