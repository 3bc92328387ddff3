/*
 * Unit tests of netref_person_merge: ties (the stronger wins, the tie
 * between the two disappears), offers, needs, introductions and contacts
 * (those between the two removed), group memberships and attributes
 * move onto the kept person; one transaction; the index follows; and a
 * later import finds the merged person by the other's e-mail or URL.
 * One test reaches the handle's SQLite connection (lib/internal.h) to
 * make the last step fail and see that nothing of the merge stays.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "contacts_support.h"
#include "internal.h"

/* keep "ana" and her duplicate "ana2", with neighbours and records. */
static void build(netref_db *db) {
  static const char *const people[] = {"ana", "ana2", "ben", "cy",
                                       "dee", "eve",  "fay"};
  for (size_t i = 0; i < sizeof people / sizeof *people; i++)
    ASSERT_OK(netref_person_add(db, people[i], NULL));
  ASSERT_OK(netref_person_set_name(db, "ana", "Ana Lima"));
  ASSERT_OK(netref_person_set_name(db, "ana2", "Ana L."));
  ASSERT_OK(netref_person_set_attr(db, "ana", "company", "Acme"));
  ASSERT_OK(netref_person_set_attr(db, "ana", "email", "ana@acme.example"));
  ASSERT_OK(netref_person_set_attr(db, "ana2", "company", "Bolt"));
  ASSERT_OK(netref_person_set_attr(db, "ana2", "city", "Bath"));
  ASSERT_OK(netref_person_set_attr(db, "ana2", "email", "ANA@acme.example"));
  ASSERT_OK(netref_person_set_attr(db, "ana2", "email2", "ana@home.example"));
  ASSERT_OK(netref_person_set_attr(db, "ana2", "url",
                                   "https://www.linkedin.com/in/ana-lima"));
  /* ben: both tied, ana2 stronger; cy: both tied, ana stronger; dee:
   * ana2 only; ana-ana2 tied */
  ASSERT_OK(t_tie_set(db, "ana", "ben", 0.3, "2025-01-01", NULL));
  ASSERT_OK(t_tie_set(db, "ana2", "ben", 0.8, "2024-01-01", "school"));
  ASSERT_OK(t_tie_cadence(db, "ana2", "ben", 30));
  ASSERT_OK(t_tie_set(db, "ana", "cy", 0.9, NULL, "work"));
  ASSERT_OK(t_tie_set(db, "ana2", "cy", 0.4, "2023-05-05", "gym"));
  ASSERT_OK(t_tie_cadence(db, "ana2", "cy", 90));
  ASSERT_OK(t_tie_set(db, "ana2", "dee", 0.6, "2022-02-02", "choir"));
  ASSERT_OK(t_tie_set(db, "ana", "ana2", 1.0, NULL, "same person"));
  ASSERT_OK(t_tie_set(db, "ben", "cy", 0.5, NULL, NULL));
  /* offers and needs */
  ASSERT_OK(t_offer_set(db, "ana", "design", ""));
  ASSERT_OK(t_offer_set(db, "ana2", "design", "logos"));
  ASSERT_OK(t_offer_set(db, "ana2", "catering", "cakes"));
  ASSERT_OK(t_need_set(db, "ana", "office space", 0.4));
  ASSERT_OK(t_need_set(db, "ana2", "office space", 0.9));
  ASSERT_OK(t_need_set(db, "ana2", "photography", 0.5));
  /* introductions: one between the two, one moving */
  ASSERT_OK(t_intro_add(db, "ana", "ana2", "ben", NULL, "2024-01-01", NULL,
                        NETREF_INTRO_PROPOSED, 0, NULL));
  ASSERT_OK(t_intro_add(db, "eve", "ana2", "fay", "catering", "2024-02-02",
                        "kept", NETREF_INTRO_PROPOSED, 0, NULL));
  ASSERT_OK(t_intro_add(db, "ben", "cy", "ana2", NULL, "2024-03-03", NULL,
                        NETREF_INTRO_PROPOSED, 0, NULL));
  /* contacts: one between the two, one moving */
  ASSERT_OK(t_contact_log(db, "ana", "ana2", "2024-04-04", "call", NULL, NULL));
  ASSERT_OK(
      t_contact_log(db, "ana2", "eve", "2024-05-05", "met", "coffee", NULL));
  /* groups: both in one, ana2 alone in another */
  ASSERT_OK(netref_group_add(db, "choir", NULL));
  ASSERT_OK(netref_group_add(db, "book-club", NULL));
  ASSERT_OK(netref_group_join(db, "choir", "ana"));
  ASSERT_OK(netref_group_join(db, "choir", "ana2"));
  ASSERT_OK(netref_group_join(db, "book-club", "ana2"));
}

static void test_merge_moves_everything(void **state) {
  netref_db *db = DB(state);
  build(db);
  /* a query first, so that the index exists and must follow */
  netref_result *res = NULL;
  ASSERT_OK(netref_providers(db, "dee", "catering", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  assert_string_equal(netref_result_key(res, 0), "ana2");
  netref_result_free(res);

  ASSERT_OK(netref_person_merge(db, "ana", "ana2"));
  assert_false(has_person(db, "ana2"));
  ATTR_EQUAL(db, "ana", "name", "Ana Lima");
  /* attributes: the kept ones stay, missing ones come, e-mails and URLs
   * as sets */
  ATTR_EQUAL(db, "ana", "company", "Acme");
  ATTR_EQUAL(db, "ana", "city", "Bath");
  ATTR_EQUAL(db, "ana", "email", "ana@acme.example");
  ATTR_EQUAL(db, "ana", "email2", "ana@home.example");
  ATTR_EQUAL(db, "ana", "email3", NULL);
  ATTR_EQUAL(db, "ana", "url", "https://www.linkedin.com/in/ana-lima");
  assert_int_equal(attr_count(db, "ana"), 5);
  /* ties: ben's stronger one from ana2, the later contact; cy's stronger
   * one stays, its missing cadence comes from ana2's; dee moves */
  TIE_EQUAL(db, "ana", "ben", "strength", "0.8");
  TIE_EQUAL(db, "ana", "ben", "context", "school");
  TIE_EQUAL(db, "ana", "ben", "last_contact", "2025-01-01");
  TIE_EQUAL(db, "ana", "ben", "cadence", "30");
  TIE_EQUAL(db, "ben", "ana", "strength", "0.8"); /* both orientations */
  TIE_EQUAL(db, "ben", "ana", "last_contact", "2025-01-01");
  TIE_EQUAL(db, "ana", "cy", "strength", "0.9");
  TIE_EQUAL(db, "ana", "cy", "context", "work");
  TIE_EQUAL(db, "ana", "cy", "last_contact", "2023-05-05");
  TIE_EQUAL(db, "cy", "ana", "cadence", "90");
  TIE_EQUAL(db, "dee", "ana", "strength", "0.6");
  TIE_EQUAL(db, "dee", "ana", "context", "choir");
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tie_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 4); /* ben, cy, dee, eve */
  netref_rows_free(rows);
  /* offers and needs */
  ASSERT_OK(netref_offer_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(cell_named(rows, 0, "tag"), "catering");
  assert_string_equal(cell_named(rows, 1, "tag"), "design");
  assert_string_equal(cell_named(rows, 1, "note"), "logos");
  netref_rows_free(rows);
  ASSERT_OK(netref_need_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(cell_named(rows, 0, "weight"), "0.9");
  netref_rows_free(rows);
  /* introductions: the one between the two is gone, the others name ana */
  ASSERT_OK(netref_intro_list(db, NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  for (size_t i = 0; i < 2; i++) {
    const char *who[] = {cell_named(rows, i, "introducer"),
                         cell_named(rows, i, "seeker"),
                         cell_named(rows, i, "target")};
    for (int k = 0; k < 3; k++)
      assert_string_not_equal(who[k], "ana2");
  }
  netref_rows_free(rows);
  ASSERT_OK(netref_intro_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  netref_rows_free(rows);
  /* contacts */
  ASSERT_OK(netref_contact_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "key"), "eve");
  assert_string_equal(cell_named(rows, 0, "note"), "coffee");
  netref_rows_free(rows);
  /* groups */
  assert_true(is_member(db, "choir", "ana"));
  assert_true(is_member(db, "book-club", "ana"));
  ASSERT_OK(netref_group_members(db, "choir", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  /* the index follows */
  ASSERT_OK(netref_providers(db, "dee", "catering", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  assert_string_equal(netref_result_key(res, 0), "ana");
  netref_result_free(res);
  ASSERT_OK(netref_verify(db));
}

/* A later import finds the merged person by the other's profile URL or
 * e-mail, and creates nobody. */
static void test_import_after_merge(void **state) {
  netref_db *db = DB(state);
  build(db);
  ASSERT_OK(netref_person_merge(db, "ana", "ana2"));
  struct counts c;
  const char *li = put(state, "Connections.csv",
                       "First Name,Last Name,URL,Email Address,Company,"
                       "Position,Connected On\n"
                       "Ana,Lima,https://www.linkedin.com/in/ana-lima,,Acme,,"
                       "\n");
  ASSERT_OK(import_kind(db, NETREF_IMPORT_LINKEDIN, li, "ben", &c));
  EXPECT_COUNTS(c, 1, 0, 0, 1);
  const char *vcf = put(state, "c.vcf",
                        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\n"
                        "EMAIL:ana@home.example\nEND:VCARD\n");
  ASSERT_OK(import_kind(db, NETREF_IMPORT_VCARD, vcf, "ben", &c));
  EXPECT_COUNTS(c, 1, 0, 0, 1);
  assert_int_equal(person_count(db), 6);
}

static void test_merge_errors(void **state) {
  netref_db *db = DB(state);
  build(db);
  char *before = dump_all(db, "dee", "catering");
  assert_int_equal(netref_person_merge(db, "ana", "ana"), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "themself"));
  assert_int_equal(netref_person_merge(db, "ana", "nobody"), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "nobody"));
  assert_int_equal(netref_person_merge(db, "nobody", "ana"), NETREF_ENOTFOUND);
  assert_int_equal(netref_person_merge(db, NULL, "ana"), NETREF_EINVAL);
  assert_int_equal(netref_person_merge(db, "ana", NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_merge(NULL, "ana", "ana2"), NETREF_EINVAL);
  netref_db *ro = NULL;
  ASSERT_OK(netref_open_with(((struct tempdir_fixture *)*state)->path,
                             NETREF_OPEN_READONLY, &ro));
  assert_int_equal(netref_person_merge(ro, "ana", "ana2"), NETREF_EREADONLY);
  netref_close(ro);

  /* the last step fails: nothing of the merge stays */
  assert_int_equal(sqlite3_exec(db->sql,
                                "CREATE TEMP TRIGGER no_removal BEFORE DELETE"
                                " ON main.person BEGIN SELECT RAISE(ABORT,"
                                " 'refused by the test'); END",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  int rc = netref_person_merge(db, "ana", "ana2");
  assert_int_not_equal(rc, NETREF_OK);
  assert_non_null(strstr(netref_errmsg(db), "refused by the test"));
  assert_int_equal(
      sqlite3_exec(db->sql, "DROP TRIGGER no_removal", NULL, NULL, NULL),
      SQLITE_OK);
  char *after = dump_all(db, "dee", "catering");
  assert_string_equal(before, after);
  free(before);
  free(after);
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, cfx_setup, cfx_teardown)
      T(test_merge_moves_everything),
      T(test_import_after_merge),
      T(test_merge_errors),
#undef T
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
