/* Finding people (netref_person_find) and "did you mean ...?" for an
 * unknown person key (lib/person_find.c), through the public API. */
#include <stdio.h>
#include <stdlib.h>

#include "support.h"

/* A few people with accents, an e-mail attribute and look-alike keys. */
static int open_people(void **state) {
  if (open_memory(state))
    return -1;
  netref_db *db = *state;
  static const char *const people[][3] = {
      {"ana", "Ana Lima", "ana@lima.org"},
      {"p17", "\xC3\x81na", NULL}, /* "Ána" */
      {"jose", "Jos\xC3\xA9 N\xC3\xBA\xC3\xB1\x65z", NULL},
      {"bo", "Bo O\xE2\x80\x99" "Brien", "bo@obrien.net"},
      {"banana", "Ban Ana", NULL},
      {"zed", "Zed", "ZED@Example.org"},
      {"hanna", "Hanna Berg", NULL},
  };
  for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
    if (netref_person_add(db, people[i][0], people[i][1]) != NETREF_OK ||
        (people[i][2] && netref_person_set_attr(db, people[i][0], "email",
                                                people[i][2]) != NETREF_OK))
      return -1;
  }
  /* An attribute that is not "email" is not searched. */
  if (netref_person_set_attr(db, "zed", "org", "Anatomy Ltd") != NETREF_OK)
    return -1;
  return 0;
}

/* The rows of a find as "key match field;..." */
static char *found(netref_db *db, const char *text) {
  netref_rows *rows = NULL;
  int rc = netref_person_find(db, text, &rows);
  if (rc != NETREF_OK)
    fail_msg("find '%s': %d (%s)", text, rc, netref_errmsg(db));
  assert_int_equal(netref_rows_columns(rows), 5);
  static const char *const cols[] = {"key", "name", "email", "match",
                                     "field"};
  for (size_t c = 0; c < 5; c++)
    assert_string_equal(netref_rows_column_name(rows, c), cols[c]);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    fprintf(f, "%s %s %s;", netref_rows_text(rows, r, 0),
            netref_rows_text(rows, r, 3), netref_rows_text(rows, r, 4));
  fclose(f);
  netref_rows_free(rows);
  return buf;
}

static void expect_found(netref_db *db, const char *text, const char *want) {
  char *got = found(db, text);
  if (strcmp(got, want) != 0)
    fail_msg("find '%s': got '%s', want '%s'", text, got, want);
  free(got);
}

static void finds_by_key_name_and_email(void **state) {
  netref_db *db = *state;
  /* Exact key, then exact name ("Ána"), then a word of a name ("Ban
   * Ana"), then substrings; case and accents ignored. */
  expect_found(db, "ANA", "ana exact key;p17 exact name;banana prefix name;");
  expect_found(db, "nan", "banana substring key;");
  expect_found(db, "nunez", "jose prefix name;");
  expect_found(db, "N\xC3\xBA\xC3\xB1\x65Z", "jose prefix name;");
  expect_found(db, "jos\xC3\xA9", "jose exact key;");
  expect_found(db, "o'brien", "bo prefix name;"); /* typographic ' */
  expect_found(db, "obrien", "bo prefix email;");  /* after '@' */
  expect_found(db, "example", "zed prefix email;");
  expect_found(db, "xample", "zed substring email;");
  expect_found(db, "zed@example.org", "zed exact email;");
  expect_found(db, "lima", "ana prefix name;");
  expect_found(db, "anatomy", ""); /* only "email" is searched */
  expect_found(db, "nobody", "");

  /* The cells: stored text, the e-mail empty when there is none. */
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_find(db, "jose", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "name"),
                      "Jos\xC3\xA9 N\xC3\xBA\xC3\xB1\x65z");
  assert_null(cell_named(rows, 0, "email"));
  netref_rows_free(rows);
  ASSERT_OK(netref_person_find(db, "zed", &rows));
  assert_string_equal(cell_named(rows, 0, "email"), "ZED@Example.org");
  netref_rows_free(rows);
}

static void refuses_bad_search_text(void **state) {
  netref_db *db = *state;
  netref_rows *rows = (netref_rows *)1;
  assert_int_equal(netref_person_find(db, NULL, &rows), NETREF_EINVAL);
  assert_null(rows);
  assert_int_equal(netref_person_find(db, "", &rows), NETREF_EINVAL);
  assert_int_equal(netref_person_find(db, "a\xff", &rows), NETREF_EINVAL);
  /* A combining accent and a zero-width space leave nothing to find. */
  assert_int_equal(netref_person_find(db, "\xCC\x81\xE2\x80\x8B", &rows),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "empty once accents"));
  assert_int_equal(netref_person_find(db, "ana", NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_find(NULL, "ana", &rows), NETREF_EINVAL);
}

static void expect_unknown(netref_db *db, int rc, const char *want) {
  assert_int_equal(rc, NETREF_ENOTFOUND);
  if (strcmp(netref_errmsg(db), want) != 0)
    fail_msg("message '%s', want '%s'", netref_errmsg(db), want);
}

/* Every kind of call that looks a person up suggests the closest keys. */
static void suggests_close_people(void **state) {
  netref_db *db = *state;
  netref_rows *rows = NULL;
  /* A typo: one letter more. The closest first, then by key. */
  expect_unknown(db, netref_tie_list(db, "anna", &rows),
                 "no person 'anna'; did you mean 'ana' (Ana Lima), "
                 "'hanna' (Hanna Berg) or 'p17' (\xC3\x81na)?");
  /* Two letters swapped are one edit; the name counts too. */
  expect_unknown(db, netref_offer_add(db, "jsoe", "design", NULL),
                 "no person 'jsoe'; did you mean 'jose' (Jos\xC3\xA9 "
                 "N\xC3\xBA\xC3\xB1\x65z)?");
  expect_unknown(db, netref_person_get(db, "Zed Smith", &rows),
                 "no person 'Zed Smith'; did you mean 'zed' (Zed)?");
  /* Queries (the index) and the target of a path. */
  netref_result *res = NULL;
  ASSERT_OK(netref_tie_set(db, "ana", "bo", NULL));
  expect_unknown(db, netref_prospects(db, "bo ", "design", NULL, &res),
                 "no person 'bo '; the key ends with white space (U+0020); "
                 "did you mean 'bo' (Bo O\xE2\x80\x99" "Brien)?");
  expect_unknown(db, netref_path(db, "ana", "hana", NULL, &res),
                 "no person 'hana'; did you mean 'ana' (Ana Lima), "
                 "'hanna' (Hanna Berg) or 'p17' (\xC3\x81na)?");
  assert_null(res);
  /* The key is the suggestion; the name is shown when it differs. */
  ASSERT_OK(netref_person_add(db, "kim", NULL));
  expect_unknown(db, netref_person_remove(db, "kimm"),
                 "no person 'kimm'; did you mean 'kim'?");
}

static void no_suggestion_when_nothing_is_close(void **state) {
  netref_db *db = *state;
  netref_rows *rows = NULL;
  expect_unknown(db, netref_tie_list(db, "qqqq", &rows), "no person 'qqqq'");
  expect_unknown(db, netref_tie_list(db, "x", &rows), "no person 'x'");
  /* An invisible character still explains the miss. */
  expect_unknown(db, netref_tie_list(db, "q\xE2\x80\x8Bq", &rows),
                 "no person 'q\xE2\x80\x8Bq'; the key contains an invisible "
                 "character (U+200B)");
  netref_db *empty = NULL;
  ASSERT_OK(netref_open(":memory:", &empty));
  expect_unknown(empty, netref_tie_list(empty, "ana", &rows),
                 "no person 'ana'");
  ASSERT_OK(netref_person_find(empty, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  netref_close(empty);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(finds_by_key_name_and_email,
                                      open_people, close_db),
      cmocka_unit_test_setup_teardown(refuses_bad_search_text, open_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(suggests_close_people, open_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(no_suggestion_when_nothing_is_close,
                                      open_people, close_db),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
