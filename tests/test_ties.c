/* Ties: set, keep semantics, get, remove, list (lib/ties.c). */
#include <math.h>

#include "support.h"
#include "writes.h"

static int three_people(void **state) {
  if (open_memory(state))
    return -1;
  netref_db *db = *state;
  return netref_person_add(db, "ana", "Ana") ||
         netref_person_add(db, "bo", "Bo") || netref_person_add(db, "cy", "Cy");
}

static void sets_and_reads_from_both_ends(void **state) {
  netref_db *db = *state;
  ASSERT_OK(t_tie_set(db, "bo", "ana", 0.75, "2026-03-01", "met at work"));
  netref_rows *rows;
  ASSERT_OK(netref_tie_get(db, "ana", "bo", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "key"), "bo");
  assert_string_equal(cell_named(rows, 0, "name"), "Bo");
  assert_string_equal(cell_named(rows, 0, "strength"), "0.75");
  assert_true(netref_rows_real(rows, 0, 2) == 0.75);
  assert_string_equal(cell_named(rows, 0, "last_contact"), "2026-03-01");
  assert_string_equal(cell_named(rows, 0, "context"), "met at work");
  assert_true(isnan(netref_rows_real(rows, 0, 0)));
  netref_rows_free(rows);
  ASSERT_OK(netref_tie_get(db, "bo", "ana", &rows));
  assert_string_equal(cell_named(rows, 0, "key"), "ana");
  netref_rows_free(rows);
}

static void keeps_what_is_not_given(void **state) {
  netref_db *db = *state;
  ASSERT_OK(t_tie_set(db, "ana", "bo", T_KEEP, NULL, NULL));
  netref_rows *rows;
  ASSERT_OK(netref_tie_get(db, "ana", "bo", &rows));
  assert_true(netref_rows_real(rows, 0, 2) == 0.5); /* default */
  assert_null(cell_named(rows, 0, "last_contact"));
  netref_rows_free(rows);
  ASSERT_OK(t_tie_set(db, "ana", "bo", 0.9, "2025-12-24", "family"));
  ASSERT_OK(t_tie_set(db, "bo", "ana", T_KEEP, NULL, NULL));
  ASSERT_OK(netref_tie_get(db, "ana", "bo", &rows));
  assert_true(netref_rows_real(rows, 0, 2) == 0.9);
  assert_string_equal(cell_named(rows, 0, "last_contact"), "2025-12-24");
  assert_string_equal(cell_named(rows, 0, "context"), "family");
  netref_rows_free(rows);
  ASSERT_OK(t_tie_set(db, "ana", "bo", 0.3, "", ""));
  ASSERT_OK(netref_tie_get(db, "ana", "bo", &rows));
  assert_true(netref_rows_real(rows, 0, 2) == 0.3);
  assert_null(cell_named(rows, 0, "last_contact"));
  assert_null(cell_named(rows, 0, "context"));
  netref_rows_free(rows);
}

static void rejects_bad_ties(void **state) {
  netref_db *db = *state;
  assert_int_equal(t_tie_set(db, "ana", "ana", 0.5, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(t_tie_set(db, "ana", "zed", 0.5, NULL, NULL),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "zed"));
  const double bad[] = {0, -0.5, 1.0000001, 2, NAN, INFINITY, -2};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(t_field_real(NETREF_FIELD_STRENGTH, bad[i]),
                     NETREF_EINVAL);
  assert_int_equal(t_tie_set(db, "ana", "bo", 0.5, "2024-02-30", NULL),
                   NETREF_EINVAL);
  assert_int_equal(t_tie_set(db, "ana", "bo", 0.5, NULL, "\xff"),
                   NETREF_EINVAL);
  netref_rows *rows = (netref_rows *)1;
  assert_int_equal(netref_tie_get(db, "ana", "bo", &rows), NETREF_ENOTFOUND);
  assert_null(rows);
  ASSERT_OK(t_tie_set(db, "ana", "bo", 1.0, NULL, NULL));
}

static void removes_and_lists(void **state) {
  netref_db *db = *state;
  ASSERT_OK(t_tie_set(db, "cy", "ana", 0.4, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "ana", "bo", 0.6, NULL, NULL));
  netref_rows *rows;
  ASSERT_OK(netref_tie_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(netref_rows_text(rows, 0, 0), "bo");
  assert_string_equal(netref_rows_text(rows, 1, 0), "cy");
  assert_string_equal(netref_rows_column_name(rows, 4), "context");
  netref_rows_free(rows);
  ASSERT_OK(netref_tie_remove(db, "bo", "ana"));
  assert_int_equal(netref_tie_remove(db, "bo", "ana"), NETREF_ENOTFOUND);
  assert_int_equal(netref_tie_list(db, "zed", &rows), NETREF_ENOTFOUND);
  ASSERT_OK(netref_tie_list(db, "bo", &rows));
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(sets_and_reads_from_both_ends,
                                      three_people, close_db),
      cmocka_unit_test_setup_teardown(keeps_what_is_not_given, three_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(rejects_bad_ties, three_people, close_db),
      cmocka_unit_test_setup_teardown(removes_and_lists, three_people,
                                      close_db),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
