/* Every public function given NULL or garbage: an error code, no crash. */
#include "support.h"
#include "writes.h"

static void null_handle(void **state) {
  (void)state;
  netref_rows *rows = (netref_rows *)1;
  netref_result *res = (netref_result *)1;
  assert_int_equal(netref_person_add(NULL, "a", "b"), NETREF_EINVAL);
  assert_int_equal(netref_person_set_name(NULL, "a", "b"), NETREF_EINVAL);
  assert_int_equal(netref_person_set_attr(NULL, "a", "b", "c"), NETREF_EINVAL);
  assert_int_equal(netref_person_get(NULL, "a", &rows), NETREF_EINVAL);
  assert_null(rows);
  assert_int_equal(netref_person_remove(NULL, "a"), NETREF_EINVAL);
  assert_int_equal(netref_person_forget(NULL, "a"), NETREF_EINVAL);
  assert_int_equal(netref_person_list(NULL, &rows), NETREF_EINVAL);
  assert_int_equal(t_tie_set(NULL, "a", "b", 0.5, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_tie_get(NULL, "a", "b", &rows), NETREF_EINVAL);
  assert_int_equal(netref_tie_remove(NULL, "a", "b"), NETREF_EINVAL);
  assert_int_equal(netref_tie_list(NULL, "a", &rows), NETREF_EINVAL);
  assert_int_equal(t_offer_set(NULL, "a", "t", NULL), NETREF_EINVAL);
  assert_int_equal(netref_offer_remove(NULL, "a", "t"), NETREF_EINVAL);
  assert_int_equal(netref_offer_list(NULL, "a", &rows), NETREF_EINVAL);
  assert_int_equal(t_need_set(NULL, "a", "t", 1), NETREF_EINVAL);
  assert_int_equal(netref_need_remove(NULL, "a", "t"), NETREF_EINVAL);
  assert_int_equal(netref_need_list(NULL, "a", &rows), NETREF_EINVAL);
  assert_int_equal(netref_tag_people(NULL, "t", NETREF_ROLE_ANY, &rows),
                   NETREF_EINVAL);
  assert_int_equal(netref_prospects(NULL, "a", "t", NULL, &res), NETREF_EINVAL);
  assert_null(res);
  assert_int_equal(netref_providers(NULL, "a", "t", NULL, &res), NETREF_EINVAL);
  /* ---- groups ---- */
  assert_int_equal(netref_group_add(NULL, "g", NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_remove(NULL, "g"), NETREF_EINVAL);
  assert_int_equal(netref_group_join(NULL, "g", "a"), NETREF_EINVAL);
  assert_int_equal(netref_group_leave(NULL, "g", "a"), NETREF_EINVAL);
  rows = (netref_rows *)1;
  assert_int_equal(netref_group_list(NULL, &rows), NETREF_EINVAL);
  assert_null(rows);
  rows = (netref_rows *)1;
  assert_int_equal(netref_group_members(NULL, "g", &rows), NETREF_EINVAL);
  assert_null(rows);
  rows = (netref_rows *)1;
  assert_int_equal(netref_person_groups(NULL, "a", &rows), NETREF_EINVAL);
  assert_null(rows);
  /* ---- end of groups ---- */
  netref_import *imp;
  ASSERT_OK(netref_import_new(&imp));
  assert_int_equal(netref_import_run(NULL, imp), NETREF_EINVAL);
  netref_import_free(imp);
  assert_string_not_equal(netref_errmsg(NULL), "");
  netref_close(NULL);
}

static void null_arguments(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_person_add(db, "a", "A"));
  netref_rows *rows;
  netref_result *res;
  assert_int_equal(netref_person_get(db, "a", NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_get(db, NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_person_list(db, NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_set_name(db, NULL, "x"), NETREF_EINVAL);
  assert_int_equal(netref_person_set_name(db, "a", NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_set_attr(db, "a", NULL, "x"), NETREF_EINVAL);
  assert_int_equal(netref_person_remove(db, NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_forget(db, NULL), NETREF_EINVAL);
  assert_int_equal(t_tie_set(db, NULL, "a", 0.5, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(t_tie_set(db, "a", NULL, 0.5, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_tie_get(db, "a", "a", NULL), NETREF_EINVAL);
  assert_int_equal(netref_tie_remove(db, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_tie_list(db, NULL, &rows), NETREF_EINVAL);
  assert_int_equal(t_offer_set(db, "a", NULL, NULL), NETREF_EINVAL);
  assert_int_equal(t_offer_set(db, NULL, "t", NULL), NETREF_EINVAL);
  assert_int_equal(netref_offer_list(db, "a", NULL), NETREF_EINVAL);
  assert_int_equal(t_need_set(db, "a", NULL, 1), NETREF_EINVAL);
  assert_int_equal(netref_need_remove(db, "a", NULL), NETREF_EINVAL);
  assert_int_equal(netref_tag_people(db, NULL, NETREF_ROLE_ANY, &rows),
                   NETREF_EINVAL);
  assert_int_equal(netref_tag_people(db, "t", NETREF_ROLE_ANY, NULL),
                   NETREF_EINVAL);
  assert_int_equal(netref_prospects(db, NULL, "t", NULL, &res), NETREF_EINVAL);
  assert_int_equal(netref_prospects(db, "a", NULL, NULL, &res), NETREF_EINVAL);
  assert_int_equal(netref_prospects(db, "a", "t", NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_providers(db, "a", "t", NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_import_run(db, NULL), NETREF_EINVAL);
  /* ---- groups ---- */
  assert_int_equal(netref_group_add(db, NULL, "x"), NETREF_EINVAL);
  assert_int_equal(netref_group_remove(db, NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_join(db, NULL, "a"), NETREF_EINVAL);
  assert_int_equal(netref_group_join(db, "g", NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_leave(db, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_list(db, NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_members(db, NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_group_members(db, "g", NULL), NETREF_EINVAL);
  assert_int_equal(netref_person_groups(db, NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_person_groups(db, "a", NULL), NETREF_EINVAL);
  /* ---- end of groups ---- */
  assert_string_not_equal(netref_errmsg(db), "");
}

static void null_objects(void **state) {
  (void)state;
  assert_int_equal(netref_rows_count(NULL), 0);
  assert_int_equal(netref_rows_columns(NULL), 0);
  assert_null(netref_rows_column_name(NULL, 0));
  assert_null(netref_rows_text(NULL, 0, 0));
  assert_true(netref_rows_real(NULL, 0, 0) != netref_rows_real(NULL, 0, 0));
  netref_rows_free(NULL);
  assert_int_equal(netref_result_count(NULL), 0);
  assert_null(netref_result_key(NULL, 0));
  assert_null(netref_result_path_key(NULL, 0, 0));
  assert_int_equal(netref_result_path_length(NULL, 0), 0);
  netref_result_free(NULL);
  assert_int_equal(netref_import_new(NULL), NETREF_EINVAL);
  assert_int_equal(netref_import_set_file(NULL, 0, "x"), NETREF_EINVAL);
  assert_int_equal(netref_import_set_create_missing(NULL, 1), NETREF_EINVAL);
  assert_int_equal(netref_import_set_progress(NULL, NULL, NULL), NETREF_EINVAL);
  netref_import *imp;
  ASSERT_OK(netref_import_new(&imp));
  assert_int_equal(netref_import_set_file(imp, -1, "x"), NETREF_EINVAL);
  assert_int_equal(netref_import_set_file(imp, 8, "x"), NETREF_EINVAL);
  assert_int_equal(netref_import_count(imp, 8), -1);
  assert_int_equal(netref_import_set_owner(NULL, "me"), NETREF_EINVAL);
  assert_int_equal(
      netref_import_people_count(NULL, NETREF_IMPORT_VCARD, NETREF_PEOPLE_NEW),
      -1);
  assert_int_equal(netref_person_merge(NULL, "a", "b"), NETREF_EINVAL);
  assert_int_equal(netref_import_set_file(imp, 0, ""), NETREF_EINVAL);
  ASSERT_OK(netref_import_set_file(imp, 0, NULL));
  assert_int_equal(netref_import_count(imp, 9), -1);
  netref_import_free(imp);
  netref_import_free(NULL);
  netref_options_free(NULL);
  netref_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(null_handle),
      cmocka_unit_test_setup_teardown(null_arguments, open_memory, close_db),
      cmocka_unit_test(null_objects),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
