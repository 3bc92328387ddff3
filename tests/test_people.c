/* People: add, rename, attributes, read, remove, list (lib/people.c). */
#include "support.h"
#include "writes.h"

static void adds_and_reads(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_person_add(db, "ana", "Ana Lima"));
  ASSERT_OK(netref_person_add(db, "zoe", "Zo\xC3\xAB"));
  ASSERT_OK(netref_person_add(db, "bo", NULL)); /* name defaults to key */
  netref_rows *rows;
  ASSERT_OK(netref_person_get(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "key"), "ana");
  assert_string_equal(cell_named(rows, 0, "name"), "Ana Lima");
  netref_rows_free(rows);
  ASSERT_OK(netref_person_get(db, "bo", &rows));
  assert_string_equal(cell_named(rows, 0, "name"), "bo");
  netref_rows_free(rows);
  ASSERT_OK(netref_person_list(db, &rows));
  assert_int_equal(netref_rows_count(rows), 3);
  assert_int_equal(netref_rows_columns(rows), 2);
  assert_string_equal(netref_rows_text(rows, 0, 0), "ana");
  assert_string_equal(netref_rows_text(rows, 1, 0), "bo");
  assert_string_equal(netref_rows_text(rows, 2, 1), "Zo\xC3\xAB");
  assert_null(netref_rows_text(rows, 3, 0));
  assert_null(netref_rows_column_name(rows, 2));
  netref_rows_free(rows);
}

static void rejects_duplicates_and_bad_keys(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  assert_int_equal(netref_person_add(db, "ana", "Other"), NETREF_EEXISTS);
  assert_non_null(strstr(netref_errmsg(db), "ana"));
  assert_int_equal(netref_person_add(db, "", "x"), NETREF_EINVAL);
  assert_int_equal(netref_person_add(db, "k\xff", "x"), NETREF_EINVAL);
  assert_int_equal(netref_person_add(db, "k", "\xc3"), NETREF_EINVAL);
  assert_int_equal(netref_person_add(db, NULL, "x"), NETREF_EINVAL);
  /* Keys are exact: case and inner spaces matter. */
  ASSERT_OK(netref_person_add(db, "Ana", "Another Ana"));
  ASSERT_OK(netref_person_add(db, "ana lima", "Spaced"));
  /* Keys cannot hide anything: no white space at the ends, no control
   * or invisible characters (tests/test_text.c has every case). */
  assert_int_equal(netref_person_add(db, "ana ", "Spaced"), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "ends with white space"));
  assert_int_equal(netref_person_add(db, "\xC2\xA0", "x"), NETREF_EINVAL);
  assert_int_equal(netref_person_add(db, "a\tb", "x"), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "person key contains a control"
                                            " character (U+0009)"));
  assert_int_equal(netref_person_add(db, "ana\xE2\x80\x8B", "x"),
                   NETREF_EINVAL);
  /* A lookup of such a key says why it finds nobody. */
  assert_int_equal(netref_person_set_name(db, "ana\xE2\x80\x8B", "x"),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "invisible character (U+200B)"));
}

static void renames_and_sets_attributes(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(netref_person_set_name(db, "ana", "Ana Lima"));
  ASSERT_OK(netref_person_set_attr(db, "ana", "org", "Acme"));
  ASSERT_OK(netref_person_set_attr(db, "ana", "city", "Porto"));
  ASSERT_OK(netref_person_set_attr(db, "ana", "org", "Acme Ltd"));
  netref_rows *rows;
  ASSERT_OK(netref_person_get(db, "ana", &rows));
  assert_int_equal(netref_rows_columns(rows), 4);
  assert_string_equal(netref_rows_column_name(rows, 2), "city");
  assert_string_equal(netref_rows_column_name(rows, 3), "org");
  assert_string_equal(cell_named(rows, 0, "name"), "Ana Lima");
  assert_string_equal(cell_named(rows, 0, "org"), "Acme Ltd");
  netref_rows_free(rows);
  ASSERT_OK(netref_person_set_attr(db, "ana", "city", NULL));
  ASSERT_OK(netref_person_set_attr(db, "ana", "org", ""));
  ASSERT_OK(netref_person_get(db, "ana", &rows));
  assert_int_equal(netref_rows_columns(rows), 2);
  netref_rows_free(rows);
  assert_int_equal(netref_person_set_name(db, "nobody", "x"), NETREF_ENOTFOUND);
  assert_int_equal(netref_person_set_name(db, "ana", ""), NETREF_EINVAL);
  assert_int_equal(netref_person_set_attr(db, "nobody", "a", "b"),
                   NETREF_ENOTFOUND);
  assert_int_equal(netref_person_set_attr(db, "ana", "name", "b"),
                   NETREF_EINVAL);
  assert_int_equal(netref_person_set_attr(db, "ana", "", "b"), NETREF_EINVAL);
}

static void removes_with_everything_attached(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(netref_person_add(db, "bo", "Bo"));
  ASSERT_OK(netref_person_add(db, "cy", "Cy"));
  ASSERT_OK(t_tie_set(db, "ana", "bo", 0.9, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "cy", "bo", 0.9, NULL, NULL));
  ASSERT_OK(t_offer_set(db, "bo", "catering", NULL));
  ASSERT_OK(t_need_set(db, "bo", "web design", 0.5));
  ASSERT_OK(netref_person_set_attr(db, "bo", "org", "Acme"));
  ASSERT_OK(netref_person_remove(db, "bo"));
  netref_rows *rows;
  assert_int_equal(netref_person_get(db, "bo", &rows), NETREF_ENOTFOUND);
  assert_null(rows);
  ASSERT_OK(netref_tie_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  ASSERT_OK(netref_tag_people(db, "catering", NETREF_ROLE_ANY, &rows));
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  ASSERT_OK(netref_tag_people(db, "web design", NETREF_ROLE_ANY, &rows));
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  assert_int_equal(netref_person_remove(db, "bo"), NETREF_ENOTFOUND);
  /* The key can be used again, with nothing inherited. */
  ASSERT_OK(netref_person_add(db, "bo", "New Bo"));
  ASSERT_OK(netref_person_get(db, "bo", &rows));
  assert_int_equal(netref_rows_columns(rows), 2);
  netref_rows_free(rows);
}

static void queries_see_changes(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_person_add(db, "me", "Me"));
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(t_tie_set(db, "me", "ana", 0.5, NULL, NULL));
  ASSERT_OK(t_need_set(db, "ana", "catering", 1));
  netref_result *res;
  ASSERT_OK(netref_prospects(db, "me", "catering", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  assert_string_equal(netref_result_name(res, 0), "Ana");
  ASSERT_OK(netref_person_set_name(db, "ana", "Ana Lima"));
  ASSERT_OK(netref_person_remove(db, "me"));
  /* The old result keeps its own copies. */
  assert_string_equal(netref_result_name(res, 0), "Ana");
  netref_result_free(res);
  assert_int_equal(netref_prospects(db, "me", "catering", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_null(res);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(adds_and_reads, open_memory, close_db),
      cmocka_unit_test_setup_teardown(rejects_duplicates_and_bad_keys,
                                      open_memory, close_db),
      cmocka_unit_test_setup_teardown(renames_and_sets_attributes, open_memory,
                                      close_db),
      cmocka_unit_test_setup_teardown(removes_with_everything_attached,
                                      open_memory, close_db),
      cmocka_unit_test_setup_teardown(queries_see_changes, open_memory,
                                      close_db),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
