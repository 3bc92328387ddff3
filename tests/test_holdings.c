/* Offers, needs and the people holding a tag (lib/holdings.c). */
#include <math.h>

#include "support.h"
#include "writes.h"

static int two_people(void **state) {
  if (open_memory(state))
    return -1;
  return netref_person_add(*state, "ana", "Ana") ||
         netref_person_add(*state, "bo", "Bo");
}

static void offers_round_trip(void **state) {
  netref_db *db = *state;
  ASSERT_OK(t_offer_set(db, "ana", "  Party   PLANNING ", "weekends"));
  ASSERT_OK(t_offer_set(db, "ana", "Catering", NULL));
  ASSERT_OK(t_offer_set(db, "ana", "party planning", NULL)); /* keeps */
  netref_rows *rows;
  ASSERT_OK(netref_offer_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(netref_rows_text(rows, 0, 0), "catering");
  assert_null(netref_rows_text(rows, 0, 1));
  assert_string_equal(netref_rows_text(rows, 1, 0), "party planning");
  assert_string_equal(netref_rows_text(rows, 1, 1), "weekends");
  netref_rows_free(rows);
  ASSERT_OK(netref_offer_remove(db, "ana", "PARTY planning"));
  assert_int_equal(netref_offer_remove(db, "ana", "party planning"),
                   NETREF_ENOTFOUND);
  assert_int_equal(t_offer_set(db, "zed", "x", NULL), NETREF_ENOTFOUND);
  assert_int_equal(t_offer_set(db, "ana", "   ", NULL), NETREF_EINVAL);
  assert_int_equal(t_offer_set(db, "ana", "x", "\xff"), NETREF_EINVAL);
}

static void needs_round_trip(void **state) {
  netref_db *db = *state;
  ASSERT_OK(t_need_set(db, "bo", "Web Design", 0.25));
  ASSERT_OK(t_need_set(db, "bo", "web design", 0.75)); /* updates */
  netref_rows *rows;
  ASSERT_OK(netref_need_list(db, "bo", &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(netref_rows_text(rows, 0, 0), "web design");
  assert_true(netref_rows_real(rows, 0, 1) == 0.75);
  netref_rows_free(rows);
  const double bad[] = {0, -1, 1.5, NAN, -INFINITY};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(t_field_real(NETREF_FIELD_WEIGHT, bad[i]), NETREF_EINVAL);
  ASSERT_OK(netref_need_remove(db, "bo", "web design"));
  assert_int_equal(netref_need_remove(db, "bo", "web design"),
                   NETREF_ENOTFOUND);
  assert_int_equal(netref_need_list(db, "zed", &rows), NETREF_ENOTFOUND);
}

static void lists_people_by_tag_and_role(void **state) {
  netref_db *db = *state;
  ASSERT_OK(t_offer_set(db, "bo", "catering", "vegan"));
  ASSERT_OK(t_need_set(db, "ana", "catering", 0.5));
  ASSERT_OK(t_need_set(db, "bo", "catering", 1));
  netref_rows *rows;
  ASSERT_OK(netref_tag_people(db, "CATERING", NETREF_ROLE_ANY, &rows));
  assert_int_equal(netref_rows_count(rows), 3);
  assert_string_equal(cell_named(rows, 0, "key"), "ana");
  assert_string_equal(cell_named(rows, 0, "role"), "needs");
  assert_string_equal(cell_named(rows, 0, "weight"), "0.5");
  assert_string_equal(cell_named(rows, 2, "role"), "offers");
  assert_string_equal(cell_named(rows, 2, "note"), "vegan");
  netref_rows_free(rows);
  ASSERT_OK(netref_tag_people(db, "catering", NETREF_ROLE_OFFERS, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  ASSERT_OK(netref_tag_people(db, "catering", NETREF_ROLE_NEEDS, &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  netref_rows_free(rows);
  assert_int_equal(netref_tag_people(db, "catering", 0, &rows), NETREF_EINVAL);
  assert_int_equal(netref_tag_people(db, "catering", 4, &rows), NETREF_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(offers_round_trip, two_people, close_db),
      cmocka_unit_test_setup_teardown(needs_round_trip, two_people, close_db),
      cmocka_unit_test_setup_teardown(lists_people_by_tag_and_role, two_people,
                                      close_db),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
