/*
 * The store's promises under crashes, other programs and hostile files
 * (issue 9): a file a crash left mid-transaction opens (read-write and
 * read-only) with its last committed content; row ids of any value index
 * correctly; a handle sees what other handles committed; readers do not
 * wait for a writer; new files are private; foreign files stay
 * untouched unless the caller asked for a new database.
 *
 * The tests reach the handle's SQLite connection (lib/internal.h) only to
 * hold a write transaction open, as another program would.
 */
#include "support.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "index.h"
#include "internal.h"
#include "tempdir.h"
#include "writes.h"

static int setup(void **state) {
  return tempdir_setup(state, "/tmp/netref_trust_XXXXXX");
}

static int teardown(void **state) { return tempdir_teardown(state); }

static long long people_seen_by_another_program(const char *path);

static void raw_exec(const char *path, const char *sql) {
  sqlite3 *s = NULL;
  assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READWRITE, NULL),
                   SQLITE_OK);
  char *err = NULL;
  if (sqlite3_exec(s, sql, NULL, NULL, &err) != SQLITE_OK)
    fail_msg("%s: %s", sql, err ? err : "?");
  sqlite3_close(s);
}

static long long raw_count(const char *path, const char *sql) {
  sqlite3 *s = NULL;
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long long n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(s);
  return n;
}

static size_t count_people(netref_db *db) {
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_list(db, &rows));
  size_t n = netref_rows_count(rows);
  netref_rows_free(rows);
  return n;
}

/* ------------------------------------------------------------------ */
/* Crash recovery comes before netref's own checks                     */

/* In a child process, grow the file in a transaction far larger than
 * SQLite's page cache (so pages reach the file after the journal is
 * synced), then die without committing: a hot journal is left behind. */
static void crash_mid_transaction(const char *path) {
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    sqlite3 *s = NULL;
    if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
      _exit(2);
    sqlite3_exec(s,
                 "PRAGMA cache_size=8;"
                 "BEGIN;"
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1"
                 " FROM n WHERE i < 20000)"
                 " INSERT INTO person(key, name) SELECT 'crash' || i,"
                 " printf('%.200c', 'x') FROM n;",
                 NULL, NULL, NULL);
    kill(getpid(), SIGKILL);
    _exit(3);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFSIGNALED(status));
}

static void make_rollback_file(const char *path, int people) {
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  char key[32];
  for (int i = 0; i < people; i++) {
    snprintf(key, sizeof key, "p%03d", i);
    ASSERT_OK(netref_person_add(db, key, "Someone"));
  }
  netref_close(db);
  /* Files written by netref before WAL, or by another SQLite program,
   * use the rollback journal. */
  raw_exec(path, "PRAGMA journal_mode=DELETE");
}

static int journal_is_hot(const char *path) {
  char journal[256];
  struct stat st;
  snprintf(journal, sizeof journal, "%s-journal", path);
  return stat(journal, &st) == 0 && st.st_size > 0;
}

static void test_hot_journal_readonly_first(void **state) {
  const char *path = db_path(state);
  make_rollback_file(path, 30);
  crash_mid_transaction(path);
  assert_true(journal_is_hot(path));
  /* A read-only handle recovers it (as SQLite would) and reads the last
   * committed state; it does not call the file truncated. */
  netref_db *db = NULL;
  int rc = netref_open_with(path, NETREF_OPEN_READONLY, &db);
  if (rc != NETREF_OK)
    fail_msg("read-only open after a crash: %s", netref_errmsg(NULL));
  assert_int_equal(count_people(db), 30);
  assert_int_equal(netref_person_add(db, "x", "X"), NETREF_EREADONLY);
  netref_close(db);
  assert_false(journal_is_hot(path));
  ASSERT_OK(netref_open_with(path, 0, &db));
  assert_int_equal(count_people(db), 30);
  ASSERT_OK(netref_person_add(db, "after", "After the crash"));
  netref_close(db);
  assert_int_equal(raw_count(path, "SELECT count(*) FROM person"), 31);
  assert_int_equal(raw_count(path, "SELECT count(*) FROM pragma_integrity_check"
                                   " WHERE integrity_check <> 'ok'"),
                   0);
}

static void test_hot_journal_readwrite(void **state) {
  const char *path = db_path(state);
  make_rollback_file(path, 12);
  crash_mid_transaction(path);
  assert_true(journal_is_hot(path));
  netref_db *db = NULL;
  int rc = netref_open_with(path, 0, &db);
  if (rc != NETREF_OK)
    fail_msg("open after a crash: %s", netref_errmsg(NULL));
  assert_int_equal(count_people(db), 12);
  netref_close(db);
}

/* ------------------------------------------------------------------ */
/* Row ids are data                                                     */

/* The same small network twice: with ordinary ids, and with ids a
 * crafted file may hold. Both must give the same answers. */
static const char *const hostile_ids[] = {"4611686018427387904",
                                          "9223372036854775807",
                                          "0",
                                          "-5",
                                          "-9223372036854775808",
                                          "268435456",
                                          "1099511627776"};
#define N_HOSTILE (sizeof hostile_ids / sizeof *hostile_ids)

static void build_network(netref_db *db) {
  ASSERT_OK(t_tie_set(db, "me", "p0", 0.9, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "p0", "p1", 0.8, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "p1", "p2", 0.7, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "me", "p3", 0.4, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "p3", "p4", 0.6, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "p4", "p5", 0.9, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "p5", "p6", 0.9, NULL, NULL));
  ASSERT_OK(t_need_set(db, "p1", "party planning", 1.0));
  ASSERT_OK(t_need_set(db, "p4", "party planning", 0.5));
  ASSERT_OK(t_need_set(db, "p6", "party planning", 0.8));
  ASSERT_OK(t_offer_set(db, "p2", "catering", NULL));
  /* p3 and p4 hold ids -5 and -2^63 in the hostile file. */
  long long id;
  ASSERT_OK(t_contact_log(db, "p3", "me", "2026-01-05", "call", "hi", &id));
  ASSERT_OK(netref_group_add(db, "g", NULL));
  ASSERT_OK(netref_group_join(db, "g", "p3"));
  ASSERT_OK(netref_group_join(db, "g", "p4"));
}

static void add_people(netref_db *db, const char *path, int hostile) {
  char sql[256], key[16];
  if (!hostile) {
    ASSERT_OK(netref_person_add(db, "me", "Me"));
    for (size_t i = 0; i < N_HOSTILE; i++) {
      snprintf(key, sizeof key, "p%zu", i);
      ASSERT_OK(netref_person_add(db, key, key));
    }
    return;
  }
  raw_exec(path, "INSERT INTO person(id, key, name) VALUES (7, 'me', 'Me')");
  for (size_t i = 0; i < N_HOSTILE; i++) {
    snprintf(sql, sizeof sql,
             "INSERT INTO person(id, key, name) VALUES (%s, 'p%zu', 'p%zu')",
             hostile_ids[i], i, i);
    raw_exec(path, sql);
  }
}

static char *answer(netref_db *db, int hops) {
  netref_options *o = NULL;
  netref_result *res = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, hops));
  ASSERT_OK(netref_prospects(db, "me", "party planning", o, &res));
  char *out = calloc(1, 4096);
  assert_non_null(out);
  size_t len = 0;
  for (size_t i = 0; i < netref_result_count(res); i++) {
    const char *via = netref_result_introducer(res, i);
    len +=
        (size_t)snprintf(out + len, 4096 - len, "%s %.6f %d %s;",
                         netref_result_key(res, i), netref_result_score(res, i),
                         netref_result_hops(res, i), via ? via : "-");
  }
  netref_result_free(res);
  netref_options_free(o);
  return out;
}

/* Every listing of every person, as one string. */
static char *listings(netref_db *db) {
  char *out = calloc(1, 16384);
  assert_non_null(out);
  size_t len = 0;
  int (*const list[])(netref_db *, const char *, netref_rows **) = {
      netref_person_get, netref_tie_list,     netref_offer_list,
      netref_need_list,  netref_contact_list, netref_person_groups};
  char key[16];
  for (size_t i = 0; i <= N_HOSTILE; i++) {
    snprintf(key, sizeof key, i < N_HOSTILE ? "p%zu" : "me", i);
    for (size_t l = 0; l < sizeof list / sizeof *list; l++) {
      netref_rows *rows = NULL;
      ASSERT_OK(list[l](db, key, &rows));
      for (size_t r = 0; r < netref_rows_count(rows); r++)
        for (size_t c = 0; c < netref_rows_columns(rows); c++)
          len += (size_t)snprintf(out + len, 16384 - len, "%s|",
                                  netref_rows_text(rows, r, c));
      len += (size_t)snprintf(out + len, 16384 - len, "%s/%zu;", key,
                              netref_rows_count(rows));
      netref_rows_free(rows);
    }
  }
  return out;
}

static void test_hostile_row_ids(void **state) {
  char plain_path[256];
  snprintf(plain_path, sizeof plain_path, "%s.plain", db_path(state));
  const char *paths[2] = {plain_path, db_path(state)};
  char *answers[2][3], *lists[2];
  for (int hostile = 0; hostile < 2; hostile++) {
    netref_db *db = NULL;
    ASSERT_OK(netref_open(paths[hostile], &db));
    netref_close(db);
    db = NULL;
    ASSERT_OK(netref_open(paths[hostile], &db));
    add_people(db, paths[hostile], hostile);
    build_network(db);
    netref_close(db);
    assert_int_equal(raw_count(paths[hostile],
                               "SELECT count(*) FROM pragma_integrity_check"
                               " WHERE integrity_check <> 'ok'"),
                     0);
    /* A fresh handle builds its index from the file alone. */
    ASSERT_OK(netref_open_with(paths[hostile], NETREF_OPEN_READONLY, &db));
    for (int k = 1; k <= 3; k++)
      answers[hostile][k - 1] = answer(db, 2 * k);
    lists[hostile] = listings(db);
    netref_close(db);
  }
  assert_string_equal(lists[0], lists[1]);
  free(lists[0]);
  free(lists[1]);
  for (int k = 0; k < 3; k++) {
    assert_string_equal(answers[0][k], answers[1][k]);
    assert_true(strlen(answers[0][k]) > 0);
    free(answers[0][k]);
    free(answers[1][k]);
  }
}

/* One person with a huge id among a few: no table the size of the id. */
static void test_sparse_ids_are_cheap(void **state) {
  const char *path = db_path(state);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_add(db, "me", "Me"));
  ASSERT_OK(netref_person_add(db, "a", "A"));
  netref_close(db);
  raw_exec(path, "INSERT INTO person(id, key, name) VALUES"
                 " (268435456, 'far', 'Far away');"
                 "INSERT INTO tie(a, b, strength) VALUES (1, 268435456, 1);"
                 "INSERT INTO need(person, tag, weight) VALUES"
                 " (268435456, 'x', 1)");
  ASSERT_OK(netref_open(path, &db));
  netref_result *res = NULL;
  ASSERT_OK(netref_prospects(db, "me", "x", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  assert_string_equal(netref_result_key(res, 0), "far");
  netref_result_free(res);
  /* The index holds 3 people, so its id table (if any) is small. */
  ASSERT_OK(nr_index_ready(db));
  assert_int_equal(db->index->n, 3);
  assert_true(db->index->of_id == NULL || db->index->id_span < 4096);
  netref_close(db);
}

/* ------------------------------------------------------------------ */
/* Coherence between handles                                            */

static size_t prospect_count(netref_db *db, const char *tag) {
  netref_result *res = NULL;
  ASSERT_OK(netref_prospects(db, "me", tag, NULL, &res));
  size_t n = netref_result_count(res);
  netref_result_free(res);
  return n;
}

static void test_two_handles_see_each_other(void **state) {
  const char *path = db_path(state);
  netref_db *a = NULL, *b = NULL;
  ASSERT_OK(netref_open(path, &a));
  ASSERT_OK(netref_person_add(a, "me", "Me"));
  ASSERT_OK(netref_person_add(a, "x", "X"));
  ASSERT_OK(t_need_set(a, "x", "plumbing", 1.0));
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &b));
  assert_int_equal(prospect_count(b, "plumbing"), 0); /* no tie yet */
  /* A change through the other handle: a patched tie on a. */
  ASSERT_OK(t_tie_set(a, "me", "x", 0.5, NULL, NULL));
  assert_int_equal(prospect_count(b, "plumbing"), 1);
  /* A new person and need (a rebuild on a). */
  ASSERT_OK(netref_person_add(a, "y", "Y"));
  ASSERT_OK(t_tie_set(a, "x", "y", 0.5, NULL, NULL));
  ASSERT_OK(t_need_set(a, "y", "plumbing", 1.0));
  assert_int_equal(prospect_count(b, "plumbing"), 2);
  /* The taxonomy is cached per handle: it must follow too. */
  ASSERT_OK(t_need_set(a, "y", "pipes", 1.0));
  netref_options *exact = NULL;
  ASSERT_OK(netref_options_new(&exact));
  assert_int_equal(prospect_count(b, "plumbing"), 2);
  ASSERT_OK(netref_tag_relate(a, "pipes", NETREF_RELATION_BROADER, "plumbing"));
  netref_result *res = NULL;
  ASSERT_OK(netref_prospects(b, "me", "plumbing", NULL, &res));
  assert_int_equal(netref_result_count(res), 2);
  int saw_pipes = 0;
  for (size_t i = 0; i < netref_result_count(res); i++)
    saw_pipes |= strcmp(netref_result_tag(res, i), "pipes") == 0 ||
                 strcmp(netref_result_tag(res, i), "plumbing") == 0;
  assert_true(saw_pipes);
  netref_result_free(res);
  ASSERT_OK(netref_need_remove(a, "x", "plumbing"));
  ASSERT_OK(netref_need_remove(a, "y", "plumbing"));
  /* y still needs "pipes", narrower than plumbing: found through b's
   * fresh taxonomy; x needs nothing any more. */
  assert_int_equal(prospect_count(b, "plumbing"), 1);
  /* A removal on a, seen by b. */
  ASSERT_OK(netref_person_remove(a, "y"));
  assert_int_equal(netref_prospects(b, "me", "plumbing", NULL, &res),
                   NETREF_OK);
  assert_int_equal(netref_result_count(res), 0);
  netref_result_free(res);
  netref_options_free(exact);
  netref_close(b);
  netref_close(a);
}

/* ------------------------------------------------------------------ */
/* Readers never wait for writers                                       */

static void test_reader_beside_open_write(void **state) {
  const char *path = db_path(state);
  netref_db *w = NULL, *r = NULL, *w2 = NULL;
  ASSERT_OK(netref_open(path, &w));
  ASSERT_OK(netref_person_add(w, "me", "Me"));
  ASSERT_OK(t_tie_set(w, "me", "x", 0.5, NULL, NULL) == NETREF_ENOTFOUND
                ? netref_person_add(w, "x", "X")
                : NETREF_ERROR);
  ASSERT_OK(t_tie_set(w, "me", "x", 0.5, NULL, NULL));
  ASSERT_OK(t_need_set(w, "x", "anything", 1.0));
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &r));
  ASSERT_OK(netref_open_with(path, 0, &w2));
  ASSERT_OK(netref_set_busy_timeout(w2, 0));
  assert_int_equal(netref_set_busy_timeout(w2, -1), NETREF_EINVAL);
  assert_int_equal(netref_set_busy_timeout(NULL, 10), NETREF_EINVAL);
  /* A writer in the middle of a transaction, as another program
   * (nr_begin: BEGIN IMMEDIATE, and the change counted). */
  ASSERT_OK(nr_begin(w));
  ASSERT_OK(nr_exec(w, "INSERT INTO person(key, name) VALUES ('new', 'N')"));
  /* The reader reads the last committed state at once. */
  assert_int_equal(count_people(r), 2);
  assert_int_equal(prospect_count(r, "anything"), 1);
  /* A second writer with no patience fails at once, cleanly. */
  assert_int_equal(netref_person_add(w2, "other", "O"), NETREF_EBUSY);
  ASSERT_OK(nr_exec(w, "COMMIT"));
  assert_int_equal(count_people(r), 3);
  ASSERT_OK(netref_person_add(w2, "other", "O"));
  assert_int_equal(count_people(r), 4);
  netref_close(w2);
  netref_close(r);
  netref_close(w);
}

/* ------------------------------------------------------------------ */
/* Files: private modes, foreign files untouched                        */

static mode_t mode_of(const char *path) {
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  return st.st_mode & 0777;
}

/* A read-only handle never writes the file, not even the checkpoint
 * SQLite makes when the last connection to a WAL file closes. */
static void test_readonly_close_writes_nothing(void **state) {
  const char *path = db_path(state);
  netref_db *w = NULL, *r = NULL;
  ASSERT_OK(netref_open(path, &w));
  ASSERT_OK(netref_person_add(w, "a", "A"));
  netref_close(w);
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &r));
  ASSERT_OK(netref_open(path, &w));
  ASSERT_OK(netref_person_add(w, "b", "B")); /* frames in the WAL */
  netref_close(w);
  struct stat before, after;
  assert_int_equal(stat(path, &before), 0);
  assert_int_equal(count_people(r), 2);
  netref_close(r);
  assert_int_equal(stat(path, &after), 0);
  assert_int_equal(after.st_size, before.st_size);
  assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  char wal[256];
  snprintf(wal, sizeof wal, "%s-wal", path);
  assert_int_equal(access(wal, F_OK), 0);
  /* The next writer finds the WAL and the change. */
  assert_int_equal(people_seen_by_another_program(path), 2);
}

static void test_new_files_are_private(void **state) {
  const char *path = db_path(state);
  mode_t old = umask(022);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_add(db, "me", "Me"));
  char side[256];
  assert_int_equal(mode_of(path), 0600);
  snprintf(side, sizeof side, "%s-wal", path);
  assert_int_equal(mode_of(side), 0600);
  snprintf(side, sizeof side, "%s-shm", path);
  assert_int_equal(mode_of(side), 0600);
  netref_close(db);
  /* An existing file keeps the mode its owner gave it. */
  assert_int_equal(chmod(path, 0640), 0);
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_add(db, "you", "You"));
  snprintf(side, sizeof side, "%s-wal", path);
  assert_int_equal(mode_of(side), 0640);
  netref_close(db);
  assert_int_equal(mode_of(path), 0640);
  umask(old);
}

struct blob {
  char *data;
  size_t size;
};

static struct blob slurp(const char *path) {
  struct blob b = {NULL, 0};
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  assert_true(n >= 0);
  rewind(f);
  b.size = (size_t)n;
  b.data = malloc(b.size + 1);
  assert_non_null(b.data);
  assert_int_equal(fread(b.data, 1, b.size, f), b.size);
  fclose(f);
  return b;
}

static void assert_same_bytes(const char *path, struct blob before) {
  struct blob now = slurp(path);
  assert_int_equal(now.size, before.size);
  assert_memory_equal(now.data, before.data, before.size);
  free(now.data);
  free(before.data);
}

static void refuse_without_create(const char *path) {
  static const int flags[] = {0, NETREF_OPEN_READONLY};
  for (size_t i = 0; i < 2; i++) {
    struct blob before = slurp(path);
    netref_db *db = (netref_db *)&db;
    assert_int_equal(netref_open_with(path, flags[i], &db), NETREF_ENOTDB);
    assert_null(db);
    assert_non_null(strstr(netref_errmsg(NULL), "not a netref database"));
    assert_same_bytes(path, before);
  }
}

static void test_empty_files_untouched(void **state) {
  const char *path = db_path(state);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fclose(f);
  refuse_without_create(path);
  /* An SQLite file without tables, as another program leaves it. */
  char other[256];
  snprintf(other, sizeof other, "%s.other", path);
  sqlite3 *s = NULL;
  assert_int_equal(sqlite3_open(other, &s), SQLITE_OK);
  assert_int_equal(
      sqlite3_exec(s, "CREATE TABLE t(x); DROP TABLE t;", NULL, NULL, NULL),
      SQLITE_OK);
  sqlite3_close(s);
  refuse_without_create(other);
  /* Asked to create, both become netref databases. */
  netref_db *db = NULL;
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_CREATE, &db));
  netref_close(db);
  ASSERT_OK(netref_open_with(other, NETREF_OPEN_CREATE, &db));
  netref_close(db);
  ASSERT_OK(netref_open_with(other, 0, &db));
  netref_close(db);
}

/* ------------------------------------------------------------------ */
/* Opening a second handle keeps the first one's locks                  */

/* Count the people with SQLite alone, then close: a connection that
 * finds itself the file's last user checkpoints and deletes the WAL on
 * close. Run as another program (main, --count-people): a forked child
 * would share this process's SQLite lock bookkeeping. */
static long long count_people_raw(const char *path) {
  sqlite3 *s = NULL;
  sqlite3_stmt *st = NULL;
  long long n = -1;
  if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(s, "SELECT count(*) FROM person", -1, &st, NULL) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(s);
  return n;
}

static long long people_seen_by_another_program(const char *path) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "/proc/%ld/exe --count-people '%s'", (long)getpid(),
           path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  long long n = -2;
  assert_int_equal(fscanf(p, "%lld", &n), 1);
  assert_int_equal(pclose(p), 0);
  return n;
}

/* POSIX record locks are per process: if opening a second handle opened
 * and closed the file behind SQLite's back, the first handle's locks
 * would be gone, another program would take itself for the last user
 * and delete the WAL, and the first handle's next commit would be lost. */
static void test_second_handle_keeps_locks(void **state) {
  const char *path = db_path(state);
  netref_db *a = NULL, *b = NULL;
  ASSERT_OK(netref_open(path, &a));
  ASSERT_OK(netref_person_add(a, "x", "X"));
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &b));
  netref_close(b);
  ASSERT_OK(netref_open_with(path, 0, &b));
  netref_close(b);
  assert_int_equal(people_seen_by_another_program(path), 1);
  ASSERT_OK(netref_person_add(a, "y", "Y"));
  assert_int_equal(people_seen_by_another_program(path), 2);
  netref_close(a);
  assert_int_equal(people_seen_by_another_program(path), 2);
}

/* ------------------------------------------------------------------ */
/* netref_interrupt from another thread                                 */

/* A network large enough that a 6-hop query takes milliseconds. */
static void import_random_network(netref_db *db, const char *dir, int n) {
  char people[256], ties[256], needs[256];
  snprintf(people, sizeof people, "%s/p.csv", dir);
  snprintf(ties, sizeof ties, "%s/t.csv", dir);
  snprintf(needs, sizeof needs, "%s/n.csv", dir);
  FILE *p = fopen(people, "w"), *t = fopen(ties, "w"), *d = fopen(needs, "w");
  assert_true(p && t && d);
  fputs("key,name\n", p);
  fputs("a,b,strength\n", t);
  fputs("person,tag\n", d);
  uint64_t x = 42;
  for (int i = 0; i < n; i++) {
    fprintf(p, "k%d,K%d\n", i, i);
    if (i % 3 == 0)
      fprintf(d, "k%d,help\n", i);
    for (int e = 0; e < 5; e++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      int j = (int)((x >> 33) % (uint64_t)n);
      if (j != i)
        fprintf(t, "k%d,k%d,0.%d\n", i, j, 1 + (int)((x >> 20) % 9));
    }
  }
  fclose(p);
  fclose(t);
  fclose(d);
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_PEOPLE, people));
  ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_TIES, ties));
  ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_NEEDS, needs));
  ASSERT_OK(netref_import_run(db, imp));
  netref_import_free(imp);
}

struct interrupter {
  netref_db *db;
  atomic_int done;
};

static void *keep_interrupting(void *arg) {
  struct interrupter *it = arg;
  struct timespec pause = {0, 200000};
  while (!atomic_load(&it->done)) {
    netref_interrupt(it->db);
    nanosleep(&pause, NULL);
  }
  return NULL;
}

static void test_interrupt_query(void **state) {
  struct tempdir_fixture *fx = *state;
  netref_db *db = NULL;
  ASSERT_OK(netref_open(":memory:", &db));
  import_random_network(db, fx->dir, 30000);
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, 6));
  netref_result *res = NULL;
  ASSERT_OK(netref_prospects(db, "k0", "help", o, &res));
  size_t full = netref_result_count(res);
  netref_result_free(res);
  assert_true(full > 1000);

  struct interrupter it = {.db = db};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, keep_interrupting, &it), 0);
  int canceled = 0, tries = 0;
  for (; tries < 20000 && !canceled; tries++) {
    res = (netref_result *)&res;
    int rc = netref_prospects(db, "k0", "help", o, &res);
    if (rc == NETREF_ECANCELED) {
      canceled = 1;
      assert_null(res);
      assert_true(strlen(netref_errmsg(db)) > 0);
    } else {
      ASSERT_OK(rc);
      assert_int_equal(netref_result_count(res), full);
      netref_result_free(res);
    }
  }
  atomic_store(&it.done, 1);
  pthread_join(th, NULL);
  assert_true(canceled);
  /* A request while nothing runs is dropped: it must not stop listings,
   * changes or the next query (SQLite's progress handler sees every
   * statement of the handle). */
  netref_interrupt(db);
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_list(db, &rows));
  assert_int_equal(netref_rows_count(rows), 30000);
  netref_rows_free(rows);
  ASSERT_OK(netref_person_add(db, "after", "After"));
  /* Afterwards the handle answers as before. */
  ASSERT_OK(netref_prospects(db, "k0", "help", o, &res));
  assert_int_equal(netref_result_count(res), full);
  netref_result_free(res);
  /* igraph's interruption: stopped many times over (more than igraph's
   * stack of temporaries holds, were they left on it), then answering. */
  ASSERT_OK(netref_options_set_hops(o, 3));
  netref_rows *brokers = NULL;
  ASSERT_OK(netref_connectors(db, "k0", o, &brokers));
  size_t n_brokers = netref_rows_count(brokers);
  netref_rows_free(brokers);
  atomic_store(&it.done, 0);
  assert_int_equal(pthread_create(&th, NULL, keep_interrupting, &it), 0);
  int stopped = 0;
  for (int i = 0; i < 2000 && stopped < 25; i++) {
    int rc = netref_connectors(db, "k0", o, &brokers);
    if (rc == NETREF_ECANCELED)
      stopped++;
    else {
      ASSERT_OK(rc);
      netref_rows_free(brokers);
    }
  }
  atomic_store(&it.done, 1);
  pthread_join(th, NULL);
  assert_true(stopped >= 20);
  ASSERT_OK(netref_connectors(db, "k0", o, &brokers));
  assert_int_equal(netref_rows_count(brokers), n_brokers);
  netref_rows_free(brokers);
  /* Paths without a hop limit poll too. */
  ASSERT_OK(netref_options_set_max_hops(o, 0));
  netref_interrupt(db); /* forgotten: the query starts after it */
  ASSERT_OK(netref_path(db, "k0", "k1", o, &res));
  netref_result_free(res);
  netref_options_free(o);
  netref_close(db);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--count-people") == 0) {
    printf("%lld\n", count_people_raw(argv[2]));
    return 0;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_hot_journal_readonly_first, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_hot_journal_readwrite, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_hostile_row_ids, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sparse_ids_are_cheap, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_two_handles_see_each_other, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_reader_beside_open_write, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_new_files_are_private, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_empty_files_untouched, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_interrupt_query, setup, teardown),
      cmocka_unit_test_setup_teardown(test_second_handle_keeps_locks, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_readonly_close_writes_nothing, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
