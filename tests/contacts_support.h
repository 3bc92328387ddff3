/* Helpers of the tests of the contact importers and of person merge
 * (test_import_linkedin.c, test_import_vcard.c, test_merge.c): a
 * database file in a fresh directory, files written there, one import
 * run, the cells of a person or a tie, and a dump of the whole network
 * through the public listing functions (plus a query, so that a stale
 * index shows) to check that a failure changed nothing. */
#ifndef NETREF_TEST_CONTACTS_SUPPORT_H
#define NETREF_TEST_CONTACTS_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "tempdir.h"
#include "writes.h"

static inline int cfx_setup(void **state) {
  return db_fixture_setup(state, "/tmp/netref_contacts_XXXXXX");
}

static inline int cfx_teardown(void **state) { return tempdir_teardown(state); }

static inline netref_db *DB(void **state) {
  return ((struct tempdir_fixture *)*state)->db;
}

/* Write a file of n bytes (n 0: strlen) into the directory; its path
 * (rotating buffers). */
static inline const char *put_n(void **state, const char *name,
                                const char *text, size_t n) {
  static char bufs[8][256];
  static int next;
  struct tempdir_fixture *fx = *state;
  char *path = bufs[next++ % 8];
  snprintf(path, sizeof bufs[0], "%s/%s", fx->dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  if (!n)
    n = strlen(text);
  assert_int_equal(fwrite(text, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
  return path;
}

static inline const char *put(void **state, const char *name,
                              const char *text) {
  return put_n(state, name, text, 0);
}

/* The counts of one run of a contact file. */
struct counts {
  long long rows, fresh, updated, unchanged;
};

/* Import one file of `kind` (owner NULL: the default); counts may be
 * NULL. */
static inline int import_kind(netref_db *db, int kind, const char *path,
                              const char *owner, struct counts *c) {
  netref_import *imp = NULL;
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, kind, path), NETREF_OK);
  if (owner)
    assert_int_equal(netref_import_set_owner(imp, owner), NETREF_OK);
  int rc = netref_import_run(db, imp);
  if (c) {
    c->rows = netref_import_count(imp, kind);
    c->fresh = netref_import_people_count(imp, kind, NETREF_PEOPLE_NEW);
    c->updated = netref_import_people_count(imp, kind, NETREF_PEOPLE_UPDATED);
    c->unchanged =
        netref_import_people_count(imp, kind, NETREF_PEOPLE_UNCHANGED);
  }
  netref_import_free(imp);
  return rc;
}

#define EXPECT_COUNTS(c, r, n, u, s)                                           \
  do {                                                                         \
    assert_int_equal((c).rows, (r));                                           \
    assert_int_equal((c).fresh, (n));                                          \
    assert_int_equal((c).updated, (u));                                        \
    assert_int_equal((c).unchanged, (s));                                      \
  } while (0)

/* A person's attribute (or "name"), copied into buf; NULL when the
 * person or the attribute is missing. */
static inline const char *attr_of(netref_db *db, const char *key,
                                  const char *attr, char *buf, size_t size) {
  netref_rows *rows = NULL;
  if (netref_person_get(db, key, &rows) != NETREF_OK)
    return NULL;
  const char *v = cell_named(rows, 0, attr);
  const char *out = NULL;
  if (v) {
    snprintf(buf, size, "%s", v);
    out = buf;
  }
  netref_rows_free(rows);
  return out;
}

#define ATTR_EQUAL(db, key, attr, want)                                        \
  do {                                                                         \
    char buf_[512];                                                            \
    const char *got_ = attr_of((db), (key), (attr), buf_, sizeof buf_);        \
    const char *want_ = (want);                                                \
    if (want_ == NULL)                                                         \
      assert_null(got_);                                                       \
    else if (!got_)                                                            \
      fail_msg("%s has no %s (expected '%s')", (key), (attr), want_);          \
    else                                                                       \
      assert_string_equal(got_, want_);                                        \
  } while (0)

/* The number of attributes (columns past key and name) of a person. */
static inline size_t attr_count(netref_db *db, const char *key) {
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_get(db, key, &rows));
  size_t n = netref_rows_columns(rows) - 2;
  netref_rows_free(rows);
  return n;
}

/* A cell of the tie a-b ("strength", "last_contact", "context",
 * "cadence"), copied; NULL when empty or no tie. */
static inline const char *tie_cell(netref_db *db, const char *a, const char *b,
                                   const char *col, char *buf, size_t size) {
  netref_rows *rows = NULL;
  if (netref_tie_get(db, a, b, &rows) != NETREF_OK)
    return NULL;
  const char *v = cell_named(rows, 0, col);
  const char *out = NULL;
  if (v) {
    snprintf(buf, size, "%s", v);
    out = buf;
  }
  netref_rows_free(rows);
  return out;
}

#define TIE_EQUAL(db, a, b, col, want)                                         \
  do {                                                                         \
    char buf_[256];                                                            \
    const char *got_ = tie_cell((db), (a), (b), (col), buf_, sizeof buf_);     \
    const char *want_ = (want);                                                \
    if (want_ == NULL)                                                         \
      assert_null(got_);                                                       \
    else if (!got_)                                                            \
      fail_msg("tie %s-%s has no %s (expected '%s')", (a), (b), (col), want_); \
    else                                                                       \
      assert_string_equal(got_, want_);                                        \
  } while (0)

static inline int has_person(netref_db *db, const char *key) {
  netref_rows *rows = NULL;
  int rc = netref_person_get(db, key, &rows);
  netref_rows_free(rows);
  return rc == NETREF_OK;
}

static inline size_t person_count(netref_db *db) {
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_list(db, &rows));
  size_t n = netref_rows_count(rows);
  netref_rows_free(rows);
  return n;
}

static inline int is_member(netref_db *db, const char *group, const char *key) {
  netref_rows *rows = NULL;
  if (netref_person_groups(db, key, &rows) != NETREF_OK)
    return 0;
  int found = 0;
  for (size_t i = 0; i < netref_rows_count(rows); i++)
    found |= strcmp(netref_rows_text(rows, i, 0), group) == 0;
  netref_rows_free(rows);
  return found;
}

static inline void dump_table(FILE *f, const char *label, netref_rows *rows) {
  for (size_t r = 0; r < netref_rows_count(rows); r++) {
    fprintf(f, "%s:", label);
    for (size_t c = 0; c < netref_rows_columns(rows); c++) {
      const char *t = netref_rows_text(rows, r, c);
      fprintf(f, " %s=%s", netref_rows_column_name(rows, c), t ? t : "-");
    }
    fputc('\n', f);
  }
  netref_rows_free(rows);
}

/* Everything, in a new string; `source` is asked a query. */
static inline char *dump_all(netref_db *db, const char *source,
                             const char *tag) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  netref_rows *people = NULL, *rows = NULL;
  ASSERT_OK(netref_person_list(db, &people));
  for (size_t i = 0; i < netref_rows_count(people); i++) {
    const char *key = netref_rows_text(people, i, 0);
    ASSERT_OK(netref_person_get(db, key, &rows));
    dump_table(f, "person", rows);
    ASSERT_OK(netref_tie_list(db, key, &rows));
    dump_table(f, "tie", rows);
    ASSERT_OK(netref_offer_list(db, key, &rows));
    dump_table(f, "offer", rows);
    ASSERT_OK(netref_need_list(db, key, &rows));
    dump_table(f, "need", rows);
    ASSERT_OK(netref_contact_list(db, key, &rows));
    dump_table(f, "contact", rows);
    ASSERT_OK(netref_person_groups(db, key, &rows));
    dump_table(f, "group", rows);
  }
  netref_rows_free(people);
  ASSERT_OK(netref_group_list(db, &rows));
  dump_table(f, "groups", rows);
  ASSERT_OK(netref_intro_list(db, NULL, &rows));
  dump_table(f, "intro", rows);
  if (source) {
    netref_result *res = NULL;
    int rc = netref_providers(db, source, tag, NULL, &res);
    fprintf(f, "providers rc %d\n", rc);
    for (size_t r = 0; rc == NETREF_OK && r < netref_result_count(res); r++)
      fprintf(f, "  %s %.17g\n", netref_result_key(res, r),
              netref_result_score(res, r));
    netref_result_free(res);
  }
  assert_int_equal(fclose(f), 0);
  return buf;
}

/* The failure message starts with "PATH:LINE: " and holds `part`. */
static inline void expect_message(netref_db *db, const char *path, long line,
                                  const char *part) {
  char prefix[512];
  snprintf(prefix, sizeof prefix, "%s:%ld: ", path, line);
  const char *msg = netref_errmsg(db);
  if (strncmp(msg, prefix, strlen(prefix)) != 0 || !strstr(msg, part))
    fail_msg("message '%s', expected '%s...%s...'", msg, prefix, part);
}

/* A contact file the import must refuse: its text, and the line and part
 * of the message that names the problem. */
struct bad_file {
  const char *text;
  long line;
  const char *part;
};

/* Each file, written as `name` and imported as `kind`, fails with
 * NETREF_EPARSE and its message, counts nothing and leaves the network
 * (as dump_all sees it from ana, for design) as it was. */
static inline void expect_refused_files(void **state, int kind,
                                        const char *name,
                                        const struct bad_file *files,
                                        size_t n) {
  netref_db *db = DB(state);
  char *before = dump_all(db, "ana", "design");
  for (size_t i = 0; i < n; i++) {
    const char *path = put(state, name, files[i].text);
    struct counts c;
    int rc = import_kind(db, kind, path, NULL, &c);
    if (rc != NETREF_EPARSE)
      fail_msg("case %zu: rc %d (%s)", i, rc, netref_errmsg(db));
    expect_message(db, path, files[i].line, files[i].part);
    EXPECT_COUNTS(c, 0, 0, 0, 0);
    char *after = dump_all(db, "ana", "design");
    assert_string_equal(before, after);
    free(after);
  }
  free(before);
}

#endif
