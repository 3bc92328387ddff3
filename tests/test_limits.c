/* The limits and defaults of netref.h: the option setters accept exactly
 * the ranges the macros document, and unset options behave as the
 * default macros say. Bindings and the CLI read these macros instead of
 * repeating the numbers, so a setter and its macro must never drift. */
#include <stdio.h>

#include "support.h"
#include "writes.h"

/* Sanity of the values themselves, so that the range tests below are
 * not vacuous (a maximum below its default would test nothing). */
static void macros_are_consistent(void **state) {
  (void)state;
  assert_true(NETREF_DEFAULT_HOPS >= 1);
  assert_true(NETREF_DEFAULT_HOPS <= NETREF_MAX_HOPS);
  assert_true(NETREF_DEFAULT_PATH_HOPS >= 1);
  assert_true(NETREF_DEFAULT_PATH_HOPS <= NETREF_MAX_PATH_HOPS);
  assert_true(NETREF_MAX_ALTERNATIVES >= 1);
  assert_int_equal(NETREF_NO_LIMIT, 0);
  assert_true(NETREF_DEFAULT_STRENGTH > 0 && NETREF_DEFAULT_STRENGTH <= 1);
  assert_true(NETREF_CONNECTORS_MAX_COST > 0);
}

static void hops_range(void **state) {
  (void)state;
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  assert_int_equal(netref_options_set_hops(o, 0), NETREF_EINVAL);
  ASSERT_OK(netref_options_set_hops(o, 1));
  ASSERT_OK(netref_options_set_hops(o, NETREF_DEFAULT_HOPS));
  ASSERT_OK(netref_options_set_hops(o, NETREF_MAX_HOPS));
  assert_int_equal(netref_options_set_hops(o, NETREF_MAX_HOPS + 1),
                   NETREF_EINVAL);
  netref_options_free(o);
}

static void path_hops_range(void **state) {
  (void)state;
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  assert_int_equal(netref_options_set_max_hops(o, -1), NETREF_EINVAL);
  ASSERT_OK(netref_options_set_max_hops(o, NETREF_NO_LIMIT));
  ASSERT_OK(netref_options_set_max_hops(o, NETREF_DEFAULT_PATH_HOPS));
  ASSERT_OK(netref_options_set_max_hops(o, NETREF_MAX_PATH_HOPS));
  assert_int_equal(netref_options_set_max_hops(o, NETREF_MAX_PATH_HOPS + 1),
                   NETREF_EINVAL);
  netref_options_free(o);
}

static void alternatives_range(void **state) {
  (void)state;
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  assert_int_equal(netref_options_set_alternatives(o, -1), NETREF_EINVAL);
  ASSERT_OK(netref_options_set_alternatives(o, 0));
  ASSERT_OK(netref_options_set_alternatives(o, NETREF_MAX_ALTERNATIVES));
  assert_int_equal(
      netref_options_set_alternatives(o, NETREF_MAX_ALTERNATIVES + 1),
      NETREF_EINVAL);
  netref_options_free(o);
}

static void limit_range(void **state) {
  (void)state;
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  assert_int_equal(netref_options_set_limit(o, NETREF_NO_LIMIT - 1),
                   NETREF_EINVAL);
  ASSERT_OK(netref_options_set_limit(o, NETREF_NO_LIMIT));
  ASSERT_OK(netref_options_set_limit(o, 1));
  netref_options_free(o);
}

/* People p0 .. p{n-1} tied in a chain p0-p1-...; everyone needs "t". */
static void chain(netref_db *db, int n) {
  char a[16], b[16];
  for (int i = 0; i < n; i++) {
    snprintf(a, sizeof a, "p%02d", i);
    ASSERT_OK(netref_person_add(db, a, a));
    ASSERT_OK(t_need_set(db, a, "t", 1));
    if (i > 0) {
      snprintf(b, sizeof b, "p%02d", i - 1);
      ASSERT_OK(t_tie_set(db, b, a, 1.0, NULL, NULL));
    }
  }
}

/* NULL options and fresh options reach exactly NETREF_DEFAULT_HOPS ties
 * deep: the chain is longer, so a different default would show. */
static void default_hops(void **state) {
  netref_db *db = *state;
  chain(db, NETREF_MAX_HOPS + 2);
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  const netref_options *cases[] = {NULL, o};
  for (size_t c = 0; c < 2; c++) {
    netref_result *res = NULL;
    ASSERT_OK(netref_prospects(db, "p00", "t", cases[c], &res));
    assert_int_equal(netref_result_count(res), NETREF_DEFAULT_HOPS);
    netref_result_free(res);
  }
  ASSERT_OK(netref_options_set_hops(o, NETREF_MAX_HOPS));
  netref_result *res = NULL;
  ASSERT_OK(netref_prospects(db, "p00", "t", o, &res));
  assert_int_equal(netref_result_count(res), NETREF_MAX_HOPS);
  netref_result_free(res);
  netref_options_free(o);
}

/* netref_path() without options finds a path of NETREF_DEFAULT_PATH_HOPS
 * ties but not one of a tie more; NETREF_NO_LIMIT finds it. */
static void default_path_hops(void **state) {
  netref_db *db = *state;
  chain(db, NETREF_DEFAULT_PATH_HOPS + 2);
  char near[16], far[16];
  snprintf(near, sizeof near, "p%02d", NETREF_DEFAULT_PATH_HOPS);
  snprintf(far, sizeof far, "p%02d", NETREF_DEFAULT_PATH_HOPS + 1);
  netref_result *res = NULL;
  ASSERT_OK(netref_path(db, "p00", near, NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  netref_result_free(res);
  ASSERT_OK(netref_path(db, "p00", far, NULL, &res));
  assert_int_equal(netref_result_count(res), 0);
  netref_result_free(res);
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_max_hops(o, NETREF_NO_LIMIT));
  ASSERT_OK(netref_path(db, "p00", far, o, &res));
  assert_int_equal(netref_result_count(res), 1);
  netref_result_free(res);
  netref_options_free(o);
}

/* A tie created without a strength gets NETREF_DEFAULT_STRENGTH. */
static void default_strength(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_person_add(db, "a", "A"));
  ASSERT_OK(netref_person_add(db, "b", "B"));
  ASSERT_OK(t_tie_set(db, "a", "b", T_KEEP, NULL, NULL));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tie_get(db, "a", "b", &rows));
  size_t col = 0;
  while (col < netref_rows_columns(rows) &&
         strcmp(netref_rows_column_name(rows, col), "strength") != 0)
    col++;
  assert_true(col < netref_rows_columns(rows));
  assert_true(netref_rows_real(rows, 0, col) == NETREF_DEFAULT_STRENGTH);
  netref_rows_free(rows);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(macros_are_consistent),
      cmocka_unit_test(hops_range),
      cmocka_unit_test(path_hops_range),
      cmocka_unit_test(alternatives_range),
      cmocka_unit_test(limit_range),
      cmocka_unit_test_setup_teardown(default_hops, open_memory, close_db),
      cmocka_unit_test_setup_teardown(default_path_hops, open_memory, close_db),
      cmocka_unit_test_setup_teardown(default_strength, open_memory, close_db),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
