/*
 * Unit tests of how ties are stored: one row (a, b) with a < b per tie
 * since schema version 6 (lib/store.c), two rows, (a, b) and (b, a),
 * before. A file in the old layout (made here from a current one, as
 * netref 0.1 to schema version 4 wrote it) must answer the same read-only
 * as after its upgrade; the upgrade refuses a file whose two rows of a
 * tie disagree, and changes nothing then; netref_verify checks the
 * layout's rule. Last contacts are day numbers since the same version
 * (text before, and text still where not a valid date).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "internal.h"
#include "support.h"
#include "tempdir.h"
#include "writes.h"

#define PEOPLE 30

struct fixture {
  char dir[64];
  char path[96];
};

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx)
    return -1;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/netref_layout_XXXXXX");
  if (!mkdtemp(fx->dir)) {
    free(fx);
    return -1;
  }
  snprintf(fx->path, sizeof fx->path, "%s/net.db", fx->dir);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  remove_tree(fx->dir);
  free(fx);
  return 0;
}

static void sql_exec(const char *path, const char *sql) {
  sqlite3 *s = NULL;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  char *err = NULL;
  if (sqlite3_exec(s, sql, NULL, NULL, &err) != SQLITE_OK)
    fail_msg("sqlite3_exec(%s): %s", sql, err ? err : "?");
  assert_int_equal(sqlite3_close(s), SQLITE_OK);
}

static long long sql_int(const char *path, const char *sql) {
  sqlite3 *s = NULL;
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long long v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(s);
  return v;
}

static char *read_all(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  assert_true(n > 0);
  rewind(f);
  char *data = malloc((size_t)n);
  assert_non_null(data);
  assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *size = (size_t)n;
  return data;
}

/* A network whose ties use every field: people p00..p29 (row ids in
 * that order), ties of a fixed pseudo-random pattern written from
 * either end, a few needs and offers. Returns the number of ties. */
static int make_network(const char *path) {
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  char a[8], b[8];
  for (int i = 0; i < PEOPLE; i++) {
    snprintf(a, sizeof a, "p%02d", i);
    ASSERT_OK(netref_person_add(db, a, a));
  }
  int ties = 0;
  unsigned x = 12345;
  for (int i = 0; i < PEOPLE; i++)
    for (int j = i + 1; j < PEOPLE; j++) {
      x = x * 1103515245u + 12345u;
      if ((x >> 16) % 5 != 0)
        continue;
      /* Half of them written from the larger person's end. */
      int flip = (x >> 8) & 1;
      snprintf(a, sizeof a, "p%02d", flip ? j : i);
      snprintf(b, sizeof b, "p%02d", flip ? i : j);
      char date[16];
      snprintf(date, sizeof date, "2025-%02u-%02u", 1 + (x >> 4) % 12,
               1 + (x >> 9) % 28);
      ASSERT_OK(t_tie_set(db, a, b, 0.05 + 0.05 * (double)((x >> 3) % 19),
                          (x >> 12) % 4 ? date : NULL,
                          (x >> 14) % 3 ? NULL : "met at work"));
      if ((x >> 20) % 4 == 0)
        ASSERT_OK(t_tie_cadence(db, b, a, 7 + (int)((x >> 5) % 50)));
      ties++;
    }
  ASSERT_OK(t_need_set(db, "p07", "plumbing", 0.5));
  ASSERT_OK(t_need_set(db, "p21", "plumbing", 1.0));
  ASSERT_OK(t_offer_set(db, "p13", "plumbing", NULL));
  netref_close(db);
  return ties;
}

static void put_rows(char **buf, size_t *len, size_t *cap, netref_rows *rows) {
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    for (size_t c = 0; c < netref_rows_columns(rows); c++) {
      const char *t = netref_rows_text(rows, r, c);
      size_t n = strlen(t ? t : "-") + 1;
      assert_int_equal(nr_grow(buf, cap, *len + n + 1, 1), 0);
      memcpy(*buf + *len, t ? t : "-", n - 1);
      (*buf)[*len + n - 1] = c + 1 < netref_rows_columns(rows) ? '|' : '\n';
      *len += n;
      (*buf)[*len] = '\0';
    }
  netref_rows_free(rows);
}

static void put_result(char **buf, size_t *len, size_t *cap,
                       netref_result *res) {
  for (size_t r = 0; r < netref_result_count(res); r++) {
    char line[256];
    int n = snprintf(
        line, sizeof line, "%s %.17g %d %s;", netref_result_key(res, r),
        netref_result_score(res, r), netref_result_hops(res, r),
        netref_result_introducer(res, r) ? netref_result_introducer(res, r)
                                         : "-");
    assert_int_equal(nr_grow(buf, cap, *len + (size_t)n + 1, 1), 0);
    memcpy(*buf + *len, line, (size_t)n + 1);
    *len += (size_t)n;
  }
  netref_result_free(res);
}

/* Everything a handle reads about ties, as text: every person's tie
 * list, tie_get of every pair both ways, prospects and providers from
 * every person (the index), reconnect from a few. Free it. */
static char *answers(netref_db *db) {
  char *buf = NULL;
  size_t len = 0, cap = 0;
  assert_int_equal(nr_grow(&buf, &cap, 1, 1), 0);
  buf[0] = '\0';
  char a[8], b[8];
  netref_rows *rows = NULL;
  netref_result *res = NULL;
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, 3));
  ASSERT_OK(netref_options_set_today(o, "2026-01-01"));
  for (int i = 0; i < PEOPLE; i++) {
    snprintf(a, sizeof a, "p%02d", i);
    ASSERT_OK(netref_tie_list(db, a, &rows));
    put_rows(&buf, &len, &cap, rows);
    for (int j = 0; j < PEOPLE; j++) {
      snprintf(b, sizeof b, "p%02d", j);
      int rc = i == j ? NETREF_EINVAL : netref_tie_get(db, a, b, &rows);
      if (rc == NETREF_OK)
        put_rows(&buf, &len, &cap, rows);
      else
        assert_true(rc == NETREF_ENOTFOUND || rc == NETREF_EINVAL);
    }
    ASSERT_OK(netref_prospects(db, a, "plumbing", o, &res));
    put_result(&buf, &len, &cap, res);
    ASSERT_OK(netref_providers(db, a, "plumbing", o, &res));
    put_result(&buf, &len, &cap, res);
    if (i % 5 == 0) {
      ASSERT_OK(netref_reconnect(db, a, 30, o, &rows));
      put_rows(&buf, &len, &cap, rows);
    }
  }
  netref_options_free(o);
  return buf;
}

static char *answers_of(const char *path, int flags) {
  netref_db *db = NULL;
  ASSERT_OK(netref_open_with(path, flags, &db));
  char *text = answers(db);
  ASSERT_OK(netref_verify(db));
  netref_close(db);
  return text;
}

/* The file as schema version 4 left it: both orientations, and no
 * netref_state (version 5). */
static void make_old(const char *path) {
  sql_exec(path, TIES_TWICE_SQL "DROP TABLE netref_state;"
                                " PRAGMA user_version=4");
}

static void old_files_read_and_upgrade_the_same(void **state) {
  struct fixture *fx = *state;
  int ties = make_network(fx->path);
  assert_true(ties > 50);
  assert_int_equal(sql_int(fx->path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM tie"), ties);
  assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM tie WHERE a >= b"),
                   0);
  /* Dates are day numbers; one that is not a valid date stays text. */
  assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM tie"
                                     " WHERE typeof(last_contact) = 'text'"),
                   0);
  assert_true(sql_int(fx->path,
                      "SELECT count(*) FROM tie"
                      " WHERE typeof(last_contact) = 'integer'") > ties / 2);
  sql_exec(fx->path,
           "UPDATE tie SET last_contact = '2025-02-30'"
           " WHERE a = 1 AND b = (SELECT min(b) FROM tie WHERE a = 1)");
  char *now = answers_of(fx->path, NETREF_OPEN_READONLY);
  assert_true(strlen(now) > 1000);
  assert_non_null(strstr(now, "2025-02-30"));

  make_old(fx->path);
  assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM tie"), 2 * ties);
  char *old = answers_of(fx->path, NETREF_OPEN_READONLY);
  assert_string_equal(old, now);
  assert_int_equal(sql_int(fx->path, "PRAGMA user_version"), 4);

  char *upgraded = answers_of(fx->path, 0);
  assert_string_equal(upgraded, now);
  assert_int_equal(sql_int(fx->path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM tie"), ties);
  assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM tie WHERE a >= b"),
                   0);
  assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM sqlite_master"
                                     " WHERE name = 'tie_by_b'"),
                   1);
  assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM tie"
                                     " WHERE typeof(last_contact) = 'text'"),
                   1);
  free(now);
  free(old);
  free(upgraded);
}

/* A read-only handle on an old file keeps answering right when another
 * handle upgrades the file under it. */
static void upgrade_under_a_reader(void **state) {
  struct fixture *fx = *state;
  make_network(fx->path);
  char *now = answers_of(fx->path, NETREF_OPEN_READONLY);
  make_old(fx->path);
  netref_db *ro = NULL, *rw = NULL;
  ASSERT_OK(netref_open_with(fx->path, NETREF_OPEN_READONLY, &ro));
  char *before = answers(ro);
  assert_string_equal(before, now);
  ASSERT_OK(netref_open_with(fx->path, 0, &rw));
  assert_int_equal(sql_int(fx->path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  char *after = answers(ro);
  assert_string_equal(after, now);
  /* And it follows the upgraded file's later changes. */
  ASSERT_OK(t_tie_set(rw, "p29", "p00", 0.99, NULL, "late"));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tie_list(ro, "p29", &rows));
  assert_string_equal(netref_rows_text(rows, 0, 0), "p00");
  assert_string_equal(netref_rows_text(rows, 0, 4), "late");
  netref_rows_free(rows);
  netref_close(rw);
  netref_close(ro);
  free(now);
  free(before);
  free(after);
}

/* An old file whose two rows of a tie disagree is refused read-write,
 * byte for byte unchanged, with the tie named; read-only it still opens
 * and netref_verify names the problem. */
static void refuse(const char *path, const char *damage, int verify_fails) {
  make_old(path);
  sql_exec(path, damage);
  size_t size_before, size_after;
  char *before = read_all(path, &size_before);
  netref_db *db = NULL;
  assert_int_equal(netref_open_with(path, 0, &db), NETREF_ECORRUPT);
  assert_null(db);
  const char *msg = netref_errmsg(NULL);
  assert_non_null(strstr(msg, "cannot upgrade schema"));
  assert_non_null(strstr(msg, "'p03'"));
  assert_non_null(strstr(msg, "'p08'"));
  assert_non_null(strstr(msg, "nothing was changed"));
  char *after = read_all(path, &size_after);
  assert_int_equal(size_after, size_before);
  assert_memory_equal(after, before, size_before);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), 4);
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  assert_int_equal(netref_verify(db),
                   verify_fails ? NETREF_ECORRUPT : NETREF_OK);
  netref_close(db);
  free(before);
  free(after);
}

#define PAIR_3_8                                                               \
  " a = (SELECT id FROM person WHERE key = 'p08')"                             \
  " AND b = (SELECT id FROM person WHERE key = 'p03')"

static void asymmetric_old_files_are_refused(void **state) {
  struct fixture *fx = *state;
  make_network(fx->path);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(fx->path, &db));
  ASSERT_OK(t_tie_set(db, "p03", "p08", 0.4, NULL, NULL));
  netref_close(db);
  sql_exec(fx->path, "VACUUM"); /* one file, no WAL beside it */
  size_t size;
  char *orig = read_all(fx->path, &size);

  refuse(fx->path, "DELETE FROM tie WHERE" PAIR_3_8, 1);
  FILE *f = fopen(fx->path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(orig, 1, size, f), size);
  assert_int_equal(fclose(f), 0);
  refuse(fx->path, "UPDATE tie SET context = 'forged' WHERE" PAIR_3_8, 0);
  free(orig);
}

/* netref_verify checks the layout's rule: SQLite's quick_check finds a
 * row that breaks the table's CHECK, and netref's own check a file whose
 * table has no such CHECK (written outside netref). */
static void verify_checks_the_order(void **state) {
  struct fixture *fx = *state;
  make_network(fx->path);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(fx->path, &db));
  ASSERT_OK(netref_verify(db));
  netref_close(db);
  sql_exec(fx->path, "PRAGMA ignore_check_constraints=ON;"
                     "INSERT INTO tie(a, b, strength) VALUES (30, 2, 0.5)");
  ASSERT_OK(netref_open(fx->path, &db));
  assert_int_equal(netref_verify(db), NETREF_ECORRUPT);
  assert_non_null(strstr(netref_errmsg(db), "CHECK"));
  netref_close(db);

  sql_exec(fx->path,
           "CREATE TABLE t2(a INTEGER NOT NULL REFERENCES person(id),"
           " b INTEGER NOT NULL REFERENCES person(id), strength REAL NOT NULL,"
           " last_contact TEXT, context TEXT, cadence INTEGER,"
           " PRIMARY KEY (a, b)) WITHOUT ROWID;"
           "INSERT INTO t2 SELECT * FROM tie; DROP TABLE tie;"
           "ALTER TABLE t2 RENAME TO tie; CREATE INDEX tie_by_b ON tie(b)");
  ASSERT_OK(netref_open(fx->path, &db));
  assert_int_equal(netref_verify(db), NETREF_ECORRUPT);
  assert_non_null(strstr(netref_errmsg(db), "tie 30-2"));
  assert_non_null(strstr(netref_errmsg(db), "larger person id first"));
  netref_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(old_files_read_and_upgrade_the_same,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(upgrade_under_a_reader, setup, teardown),
      cmocka_unit_test_setup_teardown(asymmetric_old_files_are_refused, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(verify_checks_the_order, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
