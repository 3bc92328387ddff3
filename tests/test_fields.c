/* The shapes of the 1.0 API (netref.h conventions): netref_fields (the
 * optional fields of a write: absent keeps, set, cleared), the verbs
 * (add creates, set creates or updates), netref_rows_column_index and
 * the "no value" of the accessors (lib/fields.c, ties.c, holdings.c,
 * groups.c, ledger.c, contacts.c, rows.c). */
#include <math.h>
#include <stdio.h>

#include "support.h"
#include "writes.h"

static int three_people(void **state) {
  if (open_memory(state))
    return -1;
  netref_db *db = *state;
  if (netref_person_add(db, "ana", NULL) || netref_person_add(db, "bo", NULL) ||
      netref_person_add(db, "cy", NULL))
    return -1;
  return 0;
}

static netref_fields *new_fields(void) {
  netref_fields *f = NULL;
  ASSERT_OK(netref_fields_new(&f));
  return f;
}

static void setters_check_types_and_values(void **state) {
  (void)state;
  netref_fields *f = new_fields();
  /* Unknown fields, wrong types, NULL objects. */
  assert_int_equal(netref_fields_set_text(f, 0, "x"), NETREF_EINVAL);
  assert_int_equal(netref_fields_set_text(f, 999, "x"), NETREF_EINVAL);
  assert_int_equal(netref_fields_clear(f, -1), NETREF_EINVAL);
  assert_int_equal(netref_fields_set_text(f, NETREF_FIELD_STRENGTH, "0.5"),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(NULL), "strength"));
  assert_int_equal(netref_fields_set_real(f, NETREF_FIELD_NOTE, 1),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_int(f, NETREF_FIELD_STRENGTH, 1),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_real(NULL, NETREF_FIELD_STRENGTH, 1),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_new(NULL), NETREF_EINVAL);
  assert_int_equal(netref_fields_reset(NULL), NETREF_EINVAL);
  /* Values: empty text, bad UTF-8, bad dates, ranges. */
  assert_int_equal(netref_fields_set_text(f, NETREF_FIELD_NOTE, ""),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_text(f, NETREF_FIELD_NOTE, NULL),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_text(f, NETREF_FIELD_NOTE, "\xff"),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_text(f, NETREF_FIELD_DATE, "2026-02-30"),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(NULL), "2026-02-30"));
  assert_int_equal(netref_fields_set_int(f, NETREF_FIELD_CADENCE, 0),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_int(f, NETREF_FIELD_CADENCE, 1ll << 40),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_int(f, NETREF_FIELD_STATUS, 6),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_int(f, NETREF_FIELD_WARM_TIE, 2),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_real(f, NETREF_FIELD_VALUE, -0.5),
                   NETREF_EINVAL);
  assert_int_equal(netref_fields_set_real(f, NETREF_FIELD_VALUE, INFINITY),
                   NETREF_EINVAL);
  /* Good values, set twice (the second wins, the first is freed). */
  ASSERT_OK(netref_fields_set_text(f, NETREF_FIELD_NOTE, "one"));
  ASSERT_OK(netref_fields_set_text(f, NETREF_FIELD_NOTE, "two"));
  ASSERT_OK(netref_fields_clear(f, NETREF_FIELD_NOTE));
  ASSERT_OK(netref_fields_set_text(f, NETREF_FIELD_DATE, "2026-02-28"));
  ASSERT_OK(netref_fields_set_real(f, NETREF_FIELD_VALUE, 0));
  ASSERT_OK(netref_fields_reset(f));
  netref_fields_free(f);
  netref_fields_free(NULL);
}

/* A tie's strength, last contact, context and cadence as one text. */
static void expect_tie(netref_db *db, const char *expected) {
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tie_get(db, "ana", "bo", &rows));
  char buf[200];
  const char *s = cell_named(rows, 0, "strength");
  const char *l = cell_named(rows, 0, "last_contact");
  const char *c = cell_named(rows, 0, "context");
  const char *d = cell_named(rows, 0, "cadence");
  snprintf(buf, sizeof buf, "%s|%s|%s|%s", s ? s : "-", l ? l : "-",
           c ? c : "-", d ? d : "-");
  assert_string_equal(buf, expected);
  netref_rows_free(rows);
}

static void tie_set_keeps_sets_and_clears(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_tie_set(db, "ana", "bo", NULL));
  expect_tie(db, "0.5|-|-|-");
  netref_fields *f = new_fields();
  ASSERT_OK(netref_fields_set_real(f, NETREF_FIELD_STRENGTH, 0.8));
  ASSERT_OK(netref_fields_set_text(f, NETREF_FIELD_LAST_CONTACT, "2026-01-02"));
  ASSERT_OK(netref_fields_set_text(f, NETREF_FIELD_CONTEXT, "work"));
  ASSERT_OK(netref_fields_set_int(f, NETREF_FIELD_CADENCE, 30));
  ASSERT_OK(netref_tie_set(db, "ana", "bo", f));
  expect_tie(db, "0.8|2026-01-02|work|30");
  /* Fields not given keep their values; NULL fields change nothing. */
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_set_real(f, NETREF_FIELD_STRENGTH, 0.25));
  ASSERT_OK(netref_tie_set(db, "bo", "ana", f));
  ASSERT_OK(netref_tie_set(db, "ana", "bo", NULL));
  expect_tie(db, "0.25|2026-01-02|work|30");
  /* Cleared fields lose their values. */
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_clear(f, NETREF_FIELD_LAST_CONTACT));
  ASSERT_OK(netref_fields_clear(f, NETREF_FIELD_CONTEXT));
  ASSERT_OK(netref_fields_clear(f, NETREF_FIELD_CADENCE));
  ASSERT_OK(netref_tie_set(db, "ana", "bo", f));
  expect_tie(db, "0.25|-|-|-");
  /* A strength cannot be cleared; a field the write does not take is
   * refused by name, and nothing changes. */
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_set_real(f, NETREF_FIELD_STRENGTH, 0.9));
  ASSERT_OK(netref_fields_set_text(f, NETREF_FIELD_KIND, "call"));
  assert_int_equal(netref_tie_set(db, "ana", "bo", f), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "'kind'"));
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_clear(f, NETREF_FIELD_STRENGTH));
  assert_int_equal(netref_tie_set(db, "ana", "bo", f), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "cannot be cleared"));
  expect_tie(db, "0.25|-|-|-");
  /* A cadence on a pair without a tie creates the tie. */
  ASSERT_OK(t_tie_cadence(db, "bo", "cy", 7));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tie_get(db, "cy", "bo", &rows));
  assert_string_equal(cell_named(rows, 0, "cadence"), "7");
  assert_string_equal(cell_named(rows, 0, "strength"), "0.5");
  netref_rows_free(rows);
  netref_fields_free(f);
}

static void add_creates_set_updates(void **state) {
  netref_db *db = *state;
  netref_fields *f = new_fields();
  ASSERT_OK(netref_fields_set_text(f, NETREF_FIELD_NOTE, "weekends"));
  ASSERT_OK(netref_offer_add(db, "ana", "Party planning", f));
  assert_int_equal(netref_offer_add(db, "ana", "party planning", NULL),
                   NETREF_EEXISTS);
  assert_non_null(strstr(netref_errmsg(db), "party planning"));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_offer_list(db, "ana", &rows));
  assert_string_equal(cell_named(rows, 0, "note"), "weekends");
  netref_rows_free(rows);
  /* set updates, and keeps a field not given. */
  ASSERT_OK(netref_offer_set(db, "ana", "party planning", NULL));
  ASSERT_OK(netref_offer_set(db, "ana", "catering", NULL));
  ASSERT_OK(netref_offer_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(cell_named(rows, 1, "note"), "weekends");
  netref_rows_free(rows);
  /* Needs: add refuses a second time and keeps the weight. */
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_set_real(f, NETREF_FIELD_WEIGHT, 0.4));
  ASSERT_OK(netref_need_add(db, "bo", "catering", f));
  assert_int_equal(netref_need_add(db, "bo", "catering", NULL),
                   NETREF_EEXISTS);
  ASSERT_OK(netref_need_set(db, "bo", "catering", NULL));
  ASSERT_OK(netref_need_list(db, "bo", &rows));
  assert_string_equal(cell_named(rows, 0, "weight"), "0.4");
  netref_rows_free(rows);
  ASSERT_OK(netref_need_set(db, "bo", "catering", f));
  ASSERT_OK(netref_need_add(db, "bo", "books", NULL));
  ASSERT_OK(netref_need_list(db, "bo", &rows));
  assert_string_equal(cell_named(rows, 0, "weight"), "1");
  netref_rows_free(rows);
  /* A note is not a need's field, a weight not an offer's. */
  assert_int_equal(netref_need_set(db, "bo", "x", NULL), NETREF_OK);
  assert_int_equal(netref_offer_set(db, "bo", "x", f), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "'weight'"));
  netref_fields_free(f);
}

static void intro_and_contact_fields(void **state) {
  netref_db *db = *state;
  /* No fields: proposed today; the id out-parameter may be NULL. */
  ASSERT_OK(netref_intro_add(db, "ana", "bo", "cy", NULL, NULL));
  long long id = 0;
  netref_fields *f = new_fields();
  ASSERT_OK(netref_fields_set_int(f, NETREF_FIELD_STATUS, NETREF_INTRO_MADE));
  ASSERT_OK(netref_fields_set_int(f, NETREF_FIELD_WARM_TIE, 1));
  ASSERT_OK(netref_fields_set_text(f, NETREF_FIELD_DATE, "2026-03-01"));
  ASSERT_OK(netref_intro_add(db, "ana", "bo", "cy", f, &id));
  assert_true(id > 0);
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tie_get(db, "bo", "cy", &rows)); /* warmed */
  assert_string_equal(cell_named(rows, 0, "last_contact"), "2026-03-01");
  netref_rows_free(rows);
  /* A final status is refused for a new introduction. */
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_set_int(f, NETREF_FIELD_STATUS,
                                  NETREF_INTRO_CONVERTED));
  assert_int_equal(netref_intro_add(db, "ana", "bo", "cy", f, NULL),
                   NETREF_EINVAL);
  /* A value goes only with converted. */
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_set_real(f, NETREF_FIELD_VALUE, 10));
  assert_int_equal(netref_intro_set_status(db, id, NETREF_INTRO_ACCEPTED, f),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "value"));
  ASSERT_OK(netref_intro_set_status(db, id, NETREF_INTRO_CONVERTED, f));
  ASSERT_OK(netref_intro_list(db, "cy", &rows));
  assert_string_equal(cell_named(rows, 0, "value"), "10"); /* oldest */
  netref_rows_free(rows);
  /* Contacts (a new record): a cleared field is one not given, so the
   * kind is "met"; id may be NULL. */
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_clear(f, NETREF_FIELD_KIND));
  ASSERT_OK(netref_fields_clear(f, NETREF_FIELD_NOTE));
  ASSERT_OK(netref_contact_log(db, "ana", "cy", f, NULL));
  ASSERT_OK(netref_contact_log(db, "ana", "cy", NULL, NULL));
  ASSERT_OK(netref_contact_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(cell_named(rows, 0, "kind"), "met");
  assert_string_equal(cell_named(rows, 1, "kind"), "met");
  netref_rows_free(rows);
  /* A weight cannot be cleared, even by an add. */
  ASSERT_OK(netref_fields_reset(f));
  ASSERT_OK(netref_fields_clear(f, NETREF_FIELD_WEIGHT));
  assert_int_equal(netref_need_add(db, "cy", "cake", f), NETREF_EINVAL);
  assert_int_equal(netref_need_set(db, "cy", "cake", f), NETREF_EINVAL);
  netref_fields_free(f);
}

static void groups_add_and_rename(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_group_add(db, "nov", "Nov evening"));
  assert_int_equal(netref_group_add(db, "nov", "Other"), NETREF_EEXISTS);
  ASSERT_OK(netref_group_set_name(db, "nov", "November evening"));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_group_list(db, &rows));
  assert_string_equal(cell_named(rows, 0, "name"), "November evening");
  netref_rows_free(rows);
}

static void columns_by_name_and_no_values(void **state) {
  netref_db *db = *state;
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_list(db, &rows));
  size_t col = 99;
  ASSERT_OK(netref_rows_column_index(rows, "name", &col));
  assert_string_equal(netref_rows_column_name(rows, col), "name");
  assert_int_equal(netref_rows_column_index(rows, "nope", &col),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(NULL), "nope"));
  assert_int_equal(netref_rows_column_index(rows, NULL, &col), NETREF_EINVAL);
  assert_int_equal(netref_rows_column_index(rows, "name", NULL),
                   NETREF_EINVAL);
  assert_int_equal(netref_rows_column_index(NULL, "name", &col),
                   NETREF_EINVAL);
  /* The "no value" of each accessor type. */
  assert_null(netref_rows_text(rows, 99, 0));
  assert_true(isnan(netref_rows_real(rows, 0, 99)));
  assert_int_equal(netref_rows_count(NULL), 0);
  netref_rows_free(rows);
  assert_int_equal(netref_result_hops(NULL, 0), -1);
  assert_true(isnan(netref_result_reach(NULL, 0)));
  assert_true(isnan(netref_result_score(NULL, 0)));
  assert_int_equal(netref_result_path_length(NULL, 0), 0);
  assert_null(netref_result_key(NULL, 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(setters_check_types_and_values),
      cmocka_unit_test_setup_teardown(tie_set_keeps_sets_and_clears,
                                      three_people, close_db),
      cmocka_unit_test_setup_teardown(add_creates_set_updates, three_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(intro_and_contact_fields, three_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(groups_add_and_rename, three_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(columns_by_name_and_no_values,
                                      three_people, close_db),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
