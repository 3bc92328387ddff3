/*
 * Forgetting a person (issue 9, privacy): netref_person_forget removes
 * every row about the person and leaves none of their bytes in the
 * database file, its WAL or a journal; with another program reading the
 * file it says (NETREF_EBUSY) that traces remain until that program is
 * done. And netref_person_groups, the one listing a person's export
 * needed that did not exist.
 *
 * The tests reach SQLite directly only to play another program that
 * holds a read transaction open, and (through lib/internal.h) to turn
 * off fsync while they build a network of 3000 changes: the layout of
 * the pages does not depend on it, the run time does (20 s to 1 s).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "internal.h"
#include "tempdir.h"
#include "writes.h"

static int setup(void **state) {
  return tempdir_setup(state, "/tmp/netref_forget_XXXXXX");
}

static int teardown(void **state) { return tempdir_teardown(state); }

/* The person to forget, and every piece of text that is only theirs:
 * key, old and new name, attribute values, tie contexts, the tags only
 * they hold, offer, introduction and interaction notes. */
#define SUBJECT "zq-subject-key"
#define OLD_NAME "Zq Old Name"
static const char *const traces[] = {
    SUBJECT,         OLD_NAME,         "Zq Subject Name", "zq-attr-city",
    "zq-attr-bio",   "zq-tie-context", "zq offer tag",    "zq need tag",
    "zq-offer-note", "zq-intro-note",  "zq-contact-note",
};
#define NTRACES (sizeof traces / sizeof *traces)

/* A fixed pseudo-random sequence (a 64-bit LCG): the same network on
 * every run. */
static unsigned next_random(uint64_t *s, unsigned n) {
  *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
  return (unsigned)((*s >> 33) % n);
}

static void other_key(char buf[16], unsigned i) {
  snprintf(buf, 16, "p%03u", i);
}

#define OTHERS 300

/* Everything the subject can have, spread over the file: their rows are
 * written between many changes of other people's ties, so that SQLite
 * moves cells between pages while the subject's rows live there (which
 * can leave stray copies in unused page space that a delete never
 * zeroes). */
static void build_network(netref_db *db) {
  char a[16], b[16], text[64];
  assert_int_equal(
      sqlite3_exec(db->sql, "PRAGMA synchronous=OFF", NULL, NULL, NULL),
      SQLITE_OK);
  for (unsigned i = 0; i < OTHERS; i++) {
    other_key(a, i);
    snprintf(text, sizeof text, "Other Person %u", i);
    ASSERT_OK(netref_person_add(db, a, text));
  }
  ASSERT_OK(netref_person_add(db, SUBJECT, OLD_NAME));
  ASSERT_OK(netref_person_set_name(db, SUBJECT, "Zq Subject Name"));
  ASSERT_OK(netref_person_set_attr(db, SUBJECT, "city", "zq-attr-city"));
  char bio[3000] = "";
  for (int i = 0; i < 200; i++)
    strcat(bio, "zq-attr-bio ");
  ASSERT_OK(netref_person_set_attr(db, SUBJECT, "bio", bio)); /* overflow */
  uint64_t seed = 42;
  for (unsigned i = 0; i < 3000; i++) {
    unsigned x = next_random(&seed, OTHERS), y = next_random(&seed, OTHERS);
    if (x == y)
      continue;
    other_key(a, x);
    other_key(b, y);
    snprintf(text, sizeof text, "other context %u", i);
    ASSERT_OK(t_tie_set(db, a, b, 0.3, NULL, text));
    if (i % 10 == 0) {
      snprintf(text, sizeof text, "zq-tie-context %u", i);
      ASSERT_OK(t_tie_set(db, SUBJECT, a, 0.4, "2024-05-01", text));
    }
  }
  ASSERT_OK(t_offer_set(db, SUBJECT, "zq offer tag", "zq-offer-note"));
  ASSERT_OK(t_offer_set(db, SUBJECT, "catering", NULL));
  ASSERT_OK(t_need_set(db, SUBJECT, "zq need tag", 0.7));
  ASSERT_OK(t_offer_set(db, "p003", "catering", "kept offer note"));
  long long id;
  ASSERT_OK(t_intro_add(db, "p000", SUBJECT, "p001", "catering", "2024-05-02",
                        "zq-intro-note seeker", NETREF_INTRO_MADE, 0, &id));
  ASSERT_OK(t_intro_add(db, SUBJECT, "p001", "p002", NULL, "2024-05-02",
                        "zq-intro-note introducer", NETREF_INTRO_PROPOSED, 0,
                        &id));
  ASSERT_OK(t_intro_add(db, "p001", "p002", SUBJECT, NULL, "2024-05-02",
                        "zq-intro-note target", NETREF_INTRO_PROPOSED, 0, &id));
  ASSERT_OK(t_intro_add(db, "p001", "p002", "p003", NULL, "2024-05-02",
                        "kept intro note", NETREF_INTRO_PROPOSED, 0, &id));
  ASSERT_OK(t_contact_log(db, SUBJECT, "p002", "2024-05-03", "call",
                          "zq-contact-note", &id));
  ASSERT_OK(netref_group_add(db, "evening", "Nov evening"));
  ASSERT_OK(netref_group_join(db, "evening", SUBJECT));
  ASSERT_OK(netref_group_join(db, "evening", "p004"));
}

/* Whether the file at path holds needle anywhere in its bytes (0 when
 * there is no such file). */
static int file_contains(const char *path, const char *needle) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  size_t len = strlen(needle), cap = 1 << 16, n = 0, got;
  char *buf = malloc(cap);
  assert_non_null(buf);
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
  }
  fclose(f);
  int found = 0;
  for (size_t i = 0; !found && i + len <= n; i++)
    found = memcmp(buf + i, needle, len) == 0;
  free(buf);
  return found;
}

/* The files that may hold a database's bytes: itself, its WAL, its
 * rollback journal (and the WAL index, which should hold none). */
static const char *const suffixes[] = {"", "-wal", "-journal", "-shm"};

/* How many of the subject's traces any of those files holds; with
 * `say`, each one found is printed to say which and where. */
static int count_traces(const char *db, int say) {
  int count = 0;
  for (size_t s = 0; s < sizeof suffixes / sizeof *suffixes; s++) {
    char file[160];
    snprintf(file, sizeof file, "%s%s", db, suffixes[s]);
    for (size_t t = 0; t < NTRACES; t++)
      if (file_contains(file, traces[t])) {
        if (say)
          print_message("trace '%s' in %s\n", traces[t], file);
        count++;
      }
  }
  return count;
}

/* Whether the providers of catering near p000 include the subject. */
static int subject_provides(netref_db *db) {
  netref_result *res;
  ASSERT_OK(netref_providers(db, "p000", "catering", NULL, &res));
  int found = 0;
  for (size_t i = 0; i < netref_result_count(res); i++)
    found |= strcmp(netref_result_key(res, i), SUBJECT) == 0;
  netref_result_free(res);
  return found;
}

static size_t count_rows(netref_rows *rows) {
  size_t n = netref_rows_count(rows);
  netref_rows_free(rows);
  return n;
}

/* What must remain: other people and their rows. */
static void assert_others_kept(netref_db *db) {
  netref_rows *rows;
  ASSERT_OK(netref_person_list(db, &rows));
  assert_int_equal(count_rows(rows), OTHERS);
  ASSERT_OK(netref_intro_list(db, NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "note"), "kept intro note");
  netref_rows_free(rows);
  ASSERT_OK(netref_offer_list(db, "p003", &rows));
  assert_string_equal(cell_named(rows, 0, "note"), "kept offer note");
  netref_rows_free(rows);
  ASSERT_OK(netref_group_members(db, "evening", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "key"), "p004");
  netref_rows_free(rows);
}

static void forget_leaves_no_bytes(void **state) {
  const char *path = db_path(state);
  netref_db *db;
  ASSERT_OK(netref_open(path, &db));
  build_network(db);
  /* The scan finds what is there: every trace is in the files now (but
   * the old name, which secure_delete may have wiped already). */
  for (size_t t = 0; t < NTRACES; t++) {
    if (strcmp(traces[t], OLD_NAME) == 0)
      continue;
    int anywhere = 0;
    for (size_t s = 0; s < sizeof suffixes / sizeof *suffixes; s++) {
      char file[160];
      snprintf(file, sizeof file, "%s%s", path, suffixes[s]);
      anywhere |= file_contains(file, traces[t]);
    }
    if (!anywhere)
      fail_msg("'%s' was never written", traces[t]);
  }
  /* A query before the change builds the index, which must not keep
   * answering with the forgotten person. */
  assert_true(subject_provides(db));

  ASSERT_OK(netref_person_forget(db, SUBJECT));

  netref_rows *rows;
  assert_int_equal(netref_person_get(db, SUBJECT, &rows), NETREF_ENOTFOUND);
  assert_false(subject_provides(db));
  assert_others_kept(db);
  /* While the handle is open (its WAL in place) and after it closed. */
  assert_int_equal(count_traces(path, 1), 0);
  netref_close(db);
  assert_int_equal(count_traces(path, 1), 0);

  ASSERT_OK(netref_open(path, &db));
  assert_others_kept(db);
  netref_close(db);
}

/* Another program inside a read transaction keeps the WAL from being
 * emptied: the person is gone, the call says traces remain, and they go
 * when the last connection closes the file. */
static void forget_beside_a_reader_is_busy(void **state) {
  const char *path = db_path(state);
  netref_db *db;
  ASSERT_OK(netref_open(path, &db));
  build_network(db);
  sqlite3 *reader;
  assert_int_equal(sqlite3_open_v2(path, &reader, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM person;",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  ASSERT_OK(netref_set_busy_timeout(db, 0));

  assert_int_equal(netref_person_forget(db, SUBJECT), NETREF_EBUSY);
  const char *msg = netref_errmsg(db);
  assert_non_null(strstr(msg, "person '" SUBJECT "' is removed"));
  assert_non_null(strstr(msg, "-wal until the other programs"));
  netref_rows *rows;
  assert_int_equal(netref_person_get(db, SUBJECT, &rows), NETREF_ENOTFOUND);
  assert_others_kept(db);
  /* The reader still reads its snapshot, so the bytes are still there:
   * this is what the EBUSY tells the caller. */
  assert_true(count_traces(path, 0) > 0);

  assert_int_equal(sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(reader);
  netref_close(db);
  assert_int_equal(count_traces(path, 1), 0);
}

static void forget_unknown_or_not_allowed(void **state) {
  const char *path = db_path(state);
  netref_db *db;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  assert_int_equal(netref_person_forget(db, "nobody"), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "nobody"));
  assert_int_equal(netref_person_forget(db, NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_forget(NULL, "ana"), NETREF_EINVAL);
  netref_close(db);
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  assert_int_equal(netref_person_forget(db, "ana"), NETREF_EREADONLY);
  netref_close(db);
  ASSERT_OK(netref_open(path, &db));
  netref_rows *rows;
  ASSERT_OK(netref_person_get(db, "ana", &rows));
  netref_rows_free(rows);
  netref_close(db);
}

static void forget_in_memory(void **state) {
  (void)state;
  netref_db *db;
  ASSERT_OK(netref_open(":memory:", &db));
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(netref_person_add(db, "bo", "Bo"));
  ASSERT_OK(t_tie_set(db, "ana", "bo", 0.5, NULL, NULL));
  ASSERT_OK(netref_person_forget(db, "ana"));
  netref_rows *rows;
  ASSERT_OK(netref_tie_list(db, "bo", &rows));
  assert_int_equal(count_rows(rows), 0);
  netref_close(db);
}

static void person_groups_lists_memberships(void **state) {
  (void)state;
  netref_db *db;
  ASSERT_OK(netref_open(":memory:", &db));
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(netref_person_add(db, "bo", "Bo"));
  ASSERT_OK(netref_group_add(db, "zeta", "Zeta club"));
  ASSERT_OK(netref_group_add(db, "alpha", "Alpha evening"));
  ASSERT_OK(netref_group_add(db, "mid", "Mid"));
  ASSERT_OK(netref_group_join(db, "zeta", "ana"));
  ASSERT_OK(netref_group_join(db, "alpha", "ana"));
  ASSERT_OK(netref_group_join(db, "mid", "bo"));
  netref_rows *rows;
  ASSERT_OK(netref_person_groups(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(netref_rows_column_name(rows, 0), "key");
  assert_string_equal(netref_rows_column_name(rows, 1), "name");
  assert_string_equal(netref_rows_text(rows, 0, 0), "alpha");
  assert_string_equal(netref_rows_text(rows, 0, 1), "Alpha evening");
  assert_string_equal(netref_rows_text(rows, 1, 0), "zeta");
  netref_rows_free(rows);
  ASSERT_OK(netref_group_leave(db, "mid", "bo"));
  ASSERT_OK(netref_person_groups(db, "bo", &rows));
  assert_int_equal(count_rows(rows), 0);
  rows = (netref_rows *)1;
  assert_int_equal(netref_person_groups(db, "nobody", &rows), NETREF_ENOTFOUND);
  assert_null(rows);
  assert_int_equal(netref_person_groups(db, NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_person_groups(db, "ana", NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_groups(NULL, "ana", &rows), NETREF_EINVAL);
  netref_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(forget_leaves_no_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(forget_beside_a_reader_is_busy, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(forget_unknown_or_not_allowed, setup,
                                      teardown),
      cmocka_unit_test(forget_in_memory),
      cmocka_unit_test(person_groups_lists_memberships),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
