/*
 * Unit tests of the store: opening, creating and checking database files
 * (netref_open, netref_open_with, netref_close), error codes and texts,
 * version functions, and the lifetime of rows after netref_close.
 *
 * Every test works in its own fresh directory under /tmp, removed at the
 * end. Files that a failed open must leave untouched are compared byte for
 * byte before and after.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "netref.h"
#include "tempdir.h"
#include "writes.h"

/* ------------------------------------------------------------------ */
/* Temp directory and file helpers                                      */

struct fixture {
  char dir[64];
};

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx)
    return -1;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/netref_store_XXXXXX");
  if (!mkdtemp(fx->dir)) {
    free(fx);
    return -1;
  }
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  remove_tree(fx->dir);
  free(fx);
  return 0;
}

/* path = dir/name, in a static rotating buffer. */
static const char *in_dir(void **state, const char *name) {
  static char bufs[4][4096];
  static int next;
  struct fixture *fx = *state;
  char *b = bufs[next++ % 4];
  snprintf(b, sizeof bufs[0], "%s/%s", fx->dir, name);
  return b;
}

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static long long file_size(const char *path) {
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  return (long long)st.st_size;
}

struct blob {
  unsigned char *data;
  size_t size;
};

static struct blob read_all(const char *path) {
  struct blob b = {NULL, 0};
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t cap = 0;
  for (;;) {
    if (b.size == cap) {
      cap = cap ? cap * 2 : 4096;
      b.data = realloc(b.data, cap);
      assert_non_null(b.data);
    }
    size_t n = fread(b.data + b.size, 1, cap - b.size, f);
    b.size += n;
    if (n == 0)
      break;
  }
  fclose(f);
  return b;
}

static void write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* The file still has exactly the bytes of `before`; frees `before`. */
static void assert_unchanged(const char *path, struct blob before) {
  struct blob now = read_all(path);
  assert_int_equal(now.size, before.size);
  assert_int_equal(file_size(path), (long long)before.size);
  assert_memory_equal(now.data, before.data, before.size);
  free(now.data);
  free(before.data);
}

/* The thread's message slot is primed with a known message from an
 * unrelated failure before each call expected to fail, so that a stale
 * message is not taken for the call's own. */
static char primed[512];

static void prime(void) {
  char *out = NULL;
  assert_int_equal(netref_tag_normalize("\xff", &out), NETREF_EINVAL);
  assert_null(out);
  snprintf(primed, sizeof primed, "%s", netref_errmsg(NULL));
  assert_true(strlen(primed) > 0);
}

/* A failure left its own, non-empty message for netref_errmsg(NULL). */
static void assert_thread_msg(void) {
  const char *m = netref_errmsg(NULL);
  assert_non_null(m);
  assert_true(strlen(m) > 0);
  if (strcmp(m, primed) == 0)
    fail_msg("netref_errmsg(NULL) still holds the previous message '%s'", m);
}

/* Create a netref database with n people whose names make it span
 * several pages. The people come in through one import (one transaction,
 * one sync) to keep the test fast. */
static void make_db(const char *path, int n) {
  char csv[4096];
  snprintf(csv, sizeof csv, "%s.people.csv", path);
  FILE *f = fopen(csv, "wb");
  assert_non_null(f);
  fprintf(f, "key,name\n");
  for (int i = 0; i < n; i++)
    fprintf(f, "person%04d,Person number %04d with a fairly long name\n", i, i);
  assert_int_equal(fclose(f), 0);
  netref_db *db = NULL;
  assert_int_equal(netref_open(path, &db), NETREF_OK);
  assert_non_null(db);
  netref_import *imp = NULL;
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  assert_int_equal(netref_import_set_file(imp, NETREF_CSV_PEOPLE, csv),
                   NETREF_OK);
  assert_int_equal(netref_import_run(db, imp), NETREF_OK);
  assert_int_equal(netref_import_count(imp, NETREF_CSV_PEOPLE), n);
  netref_import_free(imp);
  netref_close(db);
  unlink(csv);
}

static void sql_exec(const char *path, const char *sql) {
  sqlite3 *s = NULL;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  char *err = NULL;
  int rc = sqlite3_exec(s, sql, NULL, NULL, &err);
  if (rc != SQLITE_OK)
    fail_msg("sqlite3_exec(%s): %s", sql, err ? err : "?");
  assert_int_equal(sqlite3_close(s), SQLITE_OK);
}

/* ------------------------------------------------------------------ */
/* Creating, reopening, :memory:                                        */

static void test_create_and_reopen(void **state) {
  const char *path = in_dir(state, "net.db");
  assert_false(file_exists(path));
  netref_db *db = NULL;
  assert_int_equal(netref_open(path, &db), NETREF_OK);
  assert_non_null(db);
  assert_true(file_exists(path));
  assert_int_equal(netref_person_add(db, "ana", "Ana Lima"), NETREF_OK);
  assert_int_equal(netref_person_set_attr(db, "ana", "org", "Acme"), NETREF_OK);
  netref_close(db);

  /* The schema was created: the file is an SQLite database whose tables
   * exist, so a second open neither recreates nor rejects it. */
  db = NULL;
  assert_int_equal(netref_open(path, &db), NETREF_OK);
  assert_non_null(db);
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_get(db, "ana", &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  assert_int_equal(netref_rows_columns(rows), 3);
  assert_string_equal(netref_rows_column_name(rows, 0), "key");
  assert_string_equal(netref_rows_text(rows, 0, 0), "ana");
  assert_string_equal(netref_rows_column_name(rows, 1), "name");
  assert_string_equal(netref_rows_text(rows, 0, 1), "Ana Lima");
  assert_string_equal(netref_rows_column_name(rows, 2), "org");
  assert_string_equal(netref_rows_text(rows, 0, 2), "Acme");
  netref_rows_free(rows);
  /* Adding the same key again: the data really is the persisted one. */
  assert_int_equal(netref_person_add(db, "ana", NULL), NETREF_EEXISTS);
  netref_close(db);

  /* Flags 0 opens an existing database read-write. */
  db = NULL;
  assert_int_equal(netref_open_with(path, 0, &db), NETREF_OK);
  assert_non_null(db);
  assert_int_equal(netref_person_add(db, "bo", NULL), NETREF_OK);
  netref_close(db);
  db = NULL;
  assert_int_equal(netref_open_with(path, NETREF_OPEN_CREATE, &db), NETREF_OK);
  assert_int_equal(netref_person_get(db, "bo", &rows), NETREF_OK);
  assert_string_equal(netref_rows_text(rows, 0, 1), "bo");
  netref_rows_free(rows);
  netref_close(db);
}

static void test_memory(void **state) {
  (void)state;
  netref_db *a = NULL, *b = NULL;
  assert_int_equal(netref_open(":memory:", &a), NETREF_OK);
  assert_non_null(a);
  assert_int_equal(netref_open_with(":memory:", NETREF_OPEN_CREATE, &b),
                   NETREF_OK);
  assert_non_null(b);
  assert_int_equal(netref_person_add(a, "ana", NULL), NETREF_OK);
  assert_int_equal(netref_person_add(a, "bo", NULL), NETREF_OK);
  assert_int_equal(t_tie_set(a, "ana", "bo", 0.7, "2024-05-01", "x"),
                   NETREF_OK);
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_list(a, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  netref_rows_free(rows);
  /* Each :memory: network is private. */
  assert_int_equal(netref_person_list(b, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  assert_int_equal(netref_person_get(b, "ana", &rows), NETREF_ENOTFOUND);
  assert_null(rows);
  netref_close(a);
  netref_close(b);
  /* No file named ":memory:" appears in the working directory of the
   * test (it would be there if the name were taken as a file name). */
  assert_false(file_exists(":memory:"));
}

static void test_missing_without_create(void **state) {
  const char *path = in_dir(state, "missing.db");
  netref_db *db = (netref_db *)&db; /* garbage: must be set to NULL */
  prime();
  assert_int_equal(netref_open_with(path, 0, &db), NETREF_ENOTFOUND);
  assert_null(db);
  assert_thread_msg();
  assert_false(file_exists(path));

  db = (netref_db *)&db;
  prime();
  assert_int_equal(netref_open_with(path, NETREF_OPEN_READONLY, &db),
                   NETREF_ENOTFOUND);
  assert_null(db);
  assert_thread_msg();
  assert_false(file_exists(path));
}

static void test_open_in_missing_directory(void **state) {
  const char *path = in_dir(state, "no/such/dir/net.db");
  netref_db *db = (netref_db *)&db;
  prime();
  assert_int_equal(netref_open(path, &db), NETREF_EIO);
  assert_null(db);
  assert_thread_msg();
}

/* ------------------------------------------------------------------ */
/* Read-only handles                                                    */

static void test_readonly(void **state) {
  const char *path = in_dir(state, "ro.db");
  netref_db *db = NULL;
  assert_int_equal(netref_open(path, &db), NETREF_OK);
  assert_int_equal(netref_person_add(db, "ana", "Ana"), NETREF_OK);
  assert_int_equal(netref_person_add(db, "bo", "Bo"), NETREF_OK);
  assert_int_equal(netref_person_add(db, "cy", "Cy"), NETREF_OK);
  assert_int_equal(t_tie_set(db, "ana", "bo", 0.8, "2024-01-02", "c"),
                   NETREF_OK);
  assert_int_equal(t_offer_set(db, "ana", "design", "n"), NETREF_OK);
  assert_int_equal(t_need_set(db, "bo", "design", 0.5), NETREF_OK);
  assert_int_equal(netref_person_set_attr(db, "ana", "org", "Acme"), NETREF_OK);
  netref_close(db);
  struct blob before = read_all(path);

  db = NULL;
  assert_int_equal(netref_open_with(path, NETREF_OPEN_READONLY, &db),
                   NETREF_OK);
  assert_non_null(db);

  /* Reads work. */
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_list(db, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 3);
  netref_rows_free(rows);
  assert_int_equal(netref_person_get(db, "ana", &rows), NETREF_OK);
  assert_string_equal(netref_rows_text(rows, 0, 2), "Acme");
  netref_rows_free(rows);
  assert_int_equal(netref_tie_get(db, "ana", "bo", &rows), NETREF_OK);
  assert_true(netref_rows_real(rows, 0, 2) == 0.8);
  netref_rows_free(rows);
  assert_int_equal(netref_tie_list(db, "ana", &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  assert_int_equal(netref_offer_list(db, "ana", &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  assert_int_equal(netref_need_list(db, "bo", &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  assert_int_equal(netref_tag_people(db, "design", NETREF_ROLE_ANY, &rows),
                   NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  netref_rows_free(rows);
  netref_result *res = NULL;
  assert_int_equal(netref_providers(db, "bo", "design", NULL, &res), NETREF_OK);
  assert_int_equal(netref_result_count(res), 1);
  netref_result_free(res);

  /* Every change fails with NETREF_EREADONLY and a message. */
#define RO(call)                                                               \
  do {                                                                         \
    assert_int_equal((call), NETREF_EREADONLY);                                \
    assert_true(strlen(netref_errmsg(db)) > 0);                                \
  } while (0)
  RO(netref_person_add(db, "dee", "Dee"));
  RO(netref_person_add(db, "ana", "Ana"));
  RO(netref_person_set_name(db, "ana", "Ana B"));
  RO(netref_person_set_attr(db, "ana", "org", "Other"));
  RO(netref_person_set_attr(db, "ana", "org", NULL));
  RO(netref_person_remove(db, "cy"));
  RO(t_tie_set(db, "ana", "cy", 0.3, NULL, NULL));
  RO(t_tie_set(db, "ana", "bo", T_KEEP, "2024-02-02", NULL));
  RO(netref_tie_remove(db, "ana", "bo"));
  RO(t_offer_set(db, "bo", "legal", NULL));
  RO(netref_offer_remove(db, "ana", "design"));
  RO(t_need_set(db, "ana", "legal", 1.0));
  RO(netref_need_remove(db, "bo", "design"));
  {
    /* An import too. */
    const char *csv = in_dir(state, "people.csv");
    write_file(csv, "key,name\nzed,Zed\n", 17);
    netref_import *imp = NULL;
    assert_int_equal(netref_import_new(&imp), NETREF_OK);
    assert_int_equal(netref_import_set_file(imp, NETREF_CSV_PEOPLE, csv),
                     NETREF_OK);
    RO(netref_import_run(db, imp));
    netref_import_free(imp);
    unlink(csv);
  }
#undef RO

  /* Nothing changed. */
  assert_int_equal(netref_person_list(db, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 3);
  netref_rows_free(rows);
  assert_int_equal(netref_person_get(db, "ana", &rows), NETREF_OK);
  assert_string_equal(netref_rows_text(rows, 0, 1), "Ana");
  assert_string_equal(netref_rows_text(rows, 0, 2), "Acme");
  netref_rows_free(rows);
  netref_close(db);
  assert_unchanged(path, before);
}

/* ------------------------------------------------------------------ */
/* Argument checks                                                      */

static void test_bad_arguments(void **state) {
  const char *path = in_dir(state, "args.db");
  netref_db *db = (netref_db *)&db;
  static const int bad_flags[] = {NETREF_OPEN_CREATE | NETREF_OPEN_READONLY, 64,
                                  4, -1, NETREF_OPEN_CREATE | 8};
  for (size_t i = 0; i < sizeof bad_flags / sizeof *bad_flags; i++) {
    db = (netref_db *)&db;
    prime();
    assert_int_equal(netref_open_with(path, bad_flags[i], &db), NETREF_EINVAL);
    assert_null(db);
    assert_thread_msg();
    assert_false(file_exists(path));
    db = (netref_db *)&db;
    prime();
    assert_int_equal(netref_open_with(":memory:", bad_flags[i], &db),
                     NETREF_EINVAL);
    assert_null(db);
  }

  db = (netref_db *)&db;
  prime();
  assert_int_equal(netref_open(NULL, &db), NETREF_EINVAL);
  assert_null(db);
  assert_thread_msg();
  db = (netref_db *)&db;
  prime();
  assert_int_equal(netref_open_with(NULL, NETREF_OPEN_CREATE, &db),
                   NETREF_EINVAL);
  assert_null(db);
  assert_thread_msg();
  prime();
  assert_int_equal(netref_open(path, NULL), NETREF_EINVAL);
  assert_thread_msg();
  assert_false(file_exists(path));
  prime();
  assert_int_equal(netref_open_with(path, NETREF_OPEN_CREATE, NULL),
                   NETREF_EINVAL);
  assert_thread_msg();
  assert_false(file_exists(path));
  prime();
  assert_int_equal(netref_open_with(NULL, 0, NULL), NETREF_EINVAL);
  assert_thread_msg();
}

/* ------------------------------------------------------------------ */
/* Files that are not (good) netref databases                           */

static void test_text_file(void **state) {
  const char *path = in_dir(state, "notes.txt");
  static const char text[] =
      "This is a plain text file, not a database.\n"
      "It is long enough to fill the 100 bytes of an SQLite header,\n"
      "and then some more text so that it is not empty at all.\n";
  write_file(path, text, sizeof text - 1);
  static const int flags[] = {NETREF_OPEN_CREATE, 0, NETREF_OPEN_READONLY};
  for (size_t i = 0; i < 3; i++) {
    struct blob before = read_all(path);
    netref_db *db = (netref_db *)&db;
    prime();
    assert_int_equal(netref_open_with(path, flags[i], &db), NETREF_ENOTDB);
    assert_null(db);
    assert_thread_msg();
    assert_unchanged(path, before);
  }

  /* A short text file (fewer bytes than an SQLite header). */
  const char *small = in_dir(state, "small.txt");
  write_file(small, "hello\n", 6);
  struct blob before = read_all(small);
  netref_db *db = (netref_db *)&db;
  prime();
  assert_int_equal(netref_open(small, &db), NETREF_ENOTDB);
  assert_null(db);
  assert_thread_msg();
  assert_unchanged(small, before);
}

static void truncated_case(const char *path, const char *src,
                           long long new_size) {
  struct blob orig = read_all(src);
  write_file(path, orig.data, orig.size);
  free(orig.data);
  assert_int_equal(truncate(path, (off_t)new_size), 0);
  assert_int_equal(file_size(path), new_size);
  static const int flags[] = {NETREF_OPEN_CREATE, 0, NETREF_OPEN_READONLY};
  for (size_t i = 0; i < 3; i++) {
    struct blob before = read_all(path);
    netref_db *db = (netref_db *)&db;
    prime();
    int rc = netref_open_with(path, flags[i], &db);
    if (rc != NETREF_ECORRUPT) {
      free(before.data);
      fail_msg("truncated to %lld bytes, flags %d: got %d (%s), "
               "expected NETREF_ECORRUPT",
               new_size, flags[i], rc, netref_errmsg(NULL));
    }
    assert_null(db);
    assert_thread_msg();
    assert_unchanged(path, before);
  }
}

static void test_truncated(void **state) {
  const char *src = in_dir(state, "full.db");
  make_db(src, 400);
  long long size = file_size(src);
  /* Read the page size from the header rather than assuming it. */
  struct blob b = read_all(src);
  assert_true(b.size >= 100);
  long page = (long)b.data[16] << 8 | b.data[17];
  if (page == 1)
    page = 65536;
  free(b.data);
  assert_true(size % page == 0);
  long long pages = size / page;
  assert_true(pages >= 4); /* several pages */

  const char *path = in_dir(state, "cut.db");
  /* Half its size, rounded to whole pages. */
  truncated_case(path, src, pages / 2 * page);
  /* Exactly half its size, whatever that is. */
  truncated_case(path, src, size / 2);
  /* A size that is not a multiple of the page size. */
  truncated_case(path, src, size / 2 + 100);
  truncated_case(path, src, size - 1);
  /* Just the first page: the header promises more. */
  truncated_case(path, src, page);

  /* The original still opens fine. */
  netref_db *db = NULL;
  assert_int_equal(netref_open_with(src, NETREF_OPEN_READONLY, &db), NETREF_OK);
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_list(db, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 400);
  netref_rows_free(rows);
  netref_close(db);
}

/* A netref database cut inside its 100-byte header is still a truncated
 * SQLite (netref) file: it starts with the SQLite magic string. */
static void test_truncated_inside_header(void **state) {
  const char *src = in_dir(state, "full.db");
  make_db(src, 10);
  const char *path = in_dir(state, "cut.db");
  truncated_case(path, src, 50);
  truncated_case(path, src, 99);
}

static void test_foreign_sqlite(void **state) {
  const char *path = in_dir(state, "other.sqlite");
  sql_exec(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1), ('two');");
  static const int flags[] = {NETREF_OPEN_CREATE, 0, NETREF_OPEN_READONLY};
  for (size_t i = 0; i < 3; i++) {
    struct blob before = read_all(path);
    netref_db *db = (netref_db *)&db;
    prime();
    assert_int_equal(netref_open_with(path, flags[i], &db), NETREF_ENOTDB);
    assert_null(db);
    assert_thread_msg();
    assert_unchanged(path, before);
  }
  /* Still the other program's database, with no netref table added. */
  sqlite3 *s = NULL;
  assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(s, "SELECT count(*) FROM sqlite_master",
                                      -1, &st, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  sqlite3_close(s);
}

static void test_newer_version(void **state) {
  const char *path = in_dir(state, "future.db");
  make_db(path, 3);
  sql_exec(path, "PRAGMA user_version=99");
  static const int flags[] = {NETREF_OPEN_CREATE, 0, NETREF_OPEN_READONLY};
  for (size_t i = 0; i < 3; i++) {
    struct blob before = read_all(path);
    netref_db *db = (netref_db *)&db;
    prime();
    assert_int_equal(netref_open_with(path, flags[i], &db), NETREF_EVERSION);
    assert_null(db);
    const char *msg = netref_errmsg(NULL);
    assert_non_null(msg);
    if (!strstr(msg, "99"))
      fail_msg("message does not mention version 99: %s", msg);
    assert_unchanged(path, before);
  }
}

static void test_directory(void **state) {
  const char *path = in_dir(state, "adir");
  assert_int_equal(mkdir(path, 0700), 0);
  static const int flags[] = {NETREF_OPEN_CREATE, 0, NETREF_OPEN_READONLY};
  for (size_t i = 0; i < 3; i++) {
    netref_db *db = (netref_db *)&db;
    prime();
    assert_int_equal(netref_open_with(path, flags[i], &db), NETREF_EIO);
    assert_null(db);
    assert_thread_msg();
  }
  /* Nothing was created inside it. */
  DIR *d = opendir(path);
  assert_non_null(d);
  int entries = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      entries++;
  closedir(d);
  assert_int_equal(entries, 0);
}

/* ------------------------------------------------------------------ */
/* Errors, version                                                      */

static void test_errmsg_never_null(void **state) {
  (void)state;
  assert_non_null(netref_errmsg(NULL));
  netref_db *db = NULL;
  assert_int_equal(netref_open(":memory:", &db), NETREF_OK);
  /* A fresh handle has an empty message, not NULL. */
  assert_non_null(netref_errmsg(db));
  assert_string_equal(netref_errmsg(db), "");
  assert_int_equal(netref_person_get(db, "nobody", &(netref_rows *){NULL}),
                   NETREF_ENOTFOUND);
  assert_non_null(netref_errmsg(db));
  assert_true(strlen(netref_errmsg(db)) > 0);
  netref_close(db);
  /* A failure without a handle fills the thread's slot. */
  prime();
  assert_int_equal(netref_open(NULL, &db), NETREF_EINVAL);
  assert_thread_msg();
  /* A failure on a handle leaves the thread's slot alone. */
  prime();
  assert_int_equal(netref_open(":memory:", &db), NETREF_OK);
  assert_int_equal(netref_person_remove(db, "nobody"), NETREF_ENOTFOUND);
  assert_string_equal(netref_errmsg(NULL), primed);
  netref_close(db);
}

static void test_strerror(void **state) {
  (void)state;
  const char *texts[15];
  for (int code = NETREF_OK; code >= NETREF_ECANCELED; code--) {
    const char *t = netref_strerror(code);
    assert_non_null(t);
    assert_true(strlen(t) > 0);
    assert_string_not_equal(t, "unknown error");
    for (int prev = NETREF_OK; prev > code; prev--)
      if (strcmp(texts[-prev], t) == 0)
        fail_msg("codes %d and %d share the text '%s'", prev, code, t);
    texts[-code] = t;
  }
  assert_string_equal(netref_strerror(12345), "unknown error");
  assert_string_equal(netref_strerror(NETREF_ECANCELED - 1), "unknown error");
  assert_string_equal(netref_strerror(1), "unknown error");
}

static void test_version(void **state) {
  (void)state;
  assert_non_null(netref_version());
  assert_string_equal(netref_version(), NETREF_VERSION);
  assert_int_equal(netref_version_number(), NETREF_VERSION_NUMBER);
  assert_int_equal(NETREF_VERSION_NUMBER, NETREF_VERSION_MAJOR * 1000000 +
                                              NETREF_VERSION_MINOR * 1000 +
                                              NETREF_VERSION_PATCH);
  char v[32];
  snprintf(v, sizeof v, "%d.%d.%d", NETREF_VERSION_MAJOR, NETREF_VERSION_MINOR,
           NETREF_VERSION_PATCH);
  assert_string_equal(v, NETREF_VERSION);
}

static void test_close_null(void **state) {
  (void)state;
  netref_close(NULL);
  netref_rows_free(NULL);
  netref_result_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Results own their data                                               */

static void test_rows_outlive_close(void **state) {
  const char *path = in_dir(state, "life.db");
  netref_db *db = NULL;
  assert_int_equal(netref_open(path, &db), NETREF_OK);
  assert_int_equal(netref_person_add(db, "bo", "Bo Berg"), NETREF_OK);
  assert_int_equal(netref_person_add(db, "ana", "Ana Lima"), NETREF_OK);
  assert_int_equal(
      t_tie_set(db, "ana", "bo", 0.75, "2024-03-04", "met at the Nov evening"),
      NETREF_OK);
  assert_int_equal(t_offer_set(db, "bo", "design", NULL), NETREF_OK);
  netref_rows *people = NULL, *ties = NULL, *person = NULL;
  netref_result *res = NULL;
  assert_int_equal(netref_person_list(db, &people), NETREF_OK);
  assert_int_equal(netref_tie_list(db, "ana", &ties), NETREF_OK);
  assert_int_equal(netref_person_get(db, "bo", &person), NETREF_OK);
  assert_int_equal(netref_providers(db, "ana", "design", NULL, &res),
                   NETREF_OK);
  netref_close(db);

  assert_int_equal(netref_rows_count(people), 2);
  assert_int_equal(netref_rows_columns(people), 2);
  assert_string_equal(netref_rows_column_name(people, 0), "key");
  assert_string_equal(netref_rows_column_name(people, 1), "name");
  assert_string_equal(netref_rows_text(people, 0, 0), "ana");
  assert_string_equal(netref_rows_text(people, 0, 1), "Ana Lima");
  assert_string_equal(netref_rows_text(people, 1, 0), "bo");
  assert_string_equal(netref_rows_text(people, 1, 1), "Bo Berg");
  assert_null(netref_rows_text(people, 2, 0));
  assert_null(netref_rows_text(people, 0, 2));

  assert_int_equal(netref_rows_count(ties), 1);
  assert_string_equal(netref_rows_text(ties, 0, 0), "bo");
  assert_true(netref_rows_real(ties, 0, 2) == 0.75);
  assert_string_equal(netref_rows_text(ties, 0, 2), "0.75");
  assert_string_equal(netref_rows_text(ties, 0, 3), "2024-03-04");
  assert_string_equal(netref_rows_text(ties, 0, 4), "met at the Nov evening");

  assert_string_equal(netref_rows_text(person, 0, 1), "Bo Berg");

  assert_int_equal(netref_result_count(res), 1);
  assert_string_equal(netref_result_key(res, 0), "bo");
  assert_string_equal(netref_result_name(res, 0), "Bo Berg");
  assert_string_equal(netref_result_tag(res, 0), "design");
  assert_true(netref_result_reach(res, 0) == 0.75);

  netref_rows_free(people);
  netref_rows_free(ties);
  netref_rows_free(person);
  netref_result_free(res);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_create_and_reopen, setup, teardown),
      cmocka_unit_test_setup_teardown(test_memory, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_without_create, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_open_in_missing_directory, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
      cmocka_unit_test_setup_teardown(test_text_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
      cmocka_unit_test_setup_teardown(test_truncated_inside_header, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_foreign_sqlite, setup, teardown),
      cmocka_unit_test_setup_teardown(test_newer_version, setup, teardown),
      cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errmsg_never_null, setup, teardown),
      cmocka_unit_test_setup_teardown(test_strerror, setup, teardown),
      cmocka_unit_test_setup_teardown(test_version, setup, teardown),
      cmocka_unit_test_setup_teardown(test_close_null, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rows_outlive_close, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
