/* Options, results and the lazily rebuilt index around the tag queries
 * (lib/options.c, lib/result.c, lib/index.c, lib/query.c). The semantics
 * on random networks are checked by test_query_reference.c. */
#include <math.h>

#include "support.h"
#include "writes.h"

/* me - ana (0.5, 2026-01-01) - cy (1.0); me - bo (0.25, no date). */
static int small_network(void **state) {
  if (open_memory(state))
    return -1;
  netref_db *db = *state;
  return netref_person_add(db, "me", "Me") ||
         netref_person_add(db, "ana", "Ana") ||
         netref_person_add(db, "bo", "Bo") ||
         netref_person_add(db, "cy", "Cy") ||
         t_tie_set(db, "me", "ana", 0.5, "2026-01-01", NULL) ||
         t_tie_set(db, "me", "bo", 0.25, NULL, NULL) ||
         t_tie_set(db, "ana", "cy", 1.0, "2026-01-01", NULL) ||
         t_need_set(db, "ana", "catering", 0.5) ||
         t_need_set(db, "bo", "catering", 1.0) ||
         t_need_set(db, "cy", "catering", 1.0) ||
         t_offer_set(db, "cy", "catering", NULL);
}

static void validates_options(void **state) {
  (void)state;
  netref_options *o;
  ASSERT_OK(netref_options_new(&o));
  assert_int_equal(netref_options_set_hops(o, 0), NETREF_EINVAL);
  assert_int_equal(netref_options_set_hops(o, 7), NETREF_EINVAL);
  assert_int_equal(netref_options_set_hops(o, -1), NETREF_EINVAL);
  for (int k = 1; k <= 6; k++)
    ASSERT_OK(netref_options_set_hops(o, k));
  assert_int_equal(netref_options_set_limit(o, -1), NETREF_EINVAL);
  ASSERT_OK(netref_options_set_limit(o, 0));
  assert_int_equal(netref_options_set_half_life(o, -1), NETREF_EINVAL);
  assert_int_equal(netref_options_set_half_life(o, NAN), NETREF_EINVAL);
  assert_int_equal(netref_options_set_half_life(o, INFINITY), NETREF_EINVAL);
  ASSERT_OK(netref_options_set_half_life(o, 0));
  assert_int_equal(netref_options_set_today(o, "2026-02-30"), NETREF_EINVAL);
  ASSERT_OK(netref_options_set_today(o, "2026-02-28"));
  ASSERT_OK(netref_options_set_today(o, NULL));
  assert_int_equal(netref_options_set_hops(NULL, 2), NETREF_EINVAL);
  assert_int_equal(netref_options_new(NULL), NETREF_EINVAL);
  netref_options_free(o);
  netref_options_free(NULL);
}

static void default_is_two_hops(void **state) {
  netref_result *res;
  ASSERT_OK(netref_prospects(*state, "me", "catering", NULL, &res));
  /* cy 0.5*1, ana 0.5*0.5, bo 0.25*1; ties on score break by hops, key. */
  assert_int_equal(netref_result_count(res), 3);
  assert_string_equal(netref_result_key(res, 0), "cy");
  assert_int_equal(netref_result_hops(res, 0), 2);
  assert_string_equal(netref_result_introducer(res, 0), "ana");
  assert_string_equal(netref_result_key(res, 1), "ana");
  assert_string_equal(netref_result_key(res, 2), "bo");
  assert_true(netref_result_score(res, 1) == 0.25);
  assert_true(netref_result_score(res, 2) == 0.25);
  assert_null(netref_result_introducer(res, 1));
  assert_int_equal(netref_result_path_length(res, 0), 3);
  assert_string_equal(netref_result_path_key(res, 0, 0), "me");
  assert_string_equal(netref_result_path_key(res, 0, 2), "cy");
  assert_null(netref_result_path_key(res, 0, 3));
  assert_string_equal(netref_result_tag(res, 0), "catering");
  /* Out of range. */
  assert_null(netref_result_key(res, 3));
  assert_null(netref_result_name(res, 3));
  assert_null(netref_result_tag(res, 3));
  assert_null(netref_result_introducer(res, 3));
  assert_int_equal(netref_result_hops(res, 3), -1);
  assert_true(isnan(netref_result_reach(res, 3)));
  assert_true(isnan(netref_result_score(res, 3)));
  assert_int_equal(netref_result_path_length(res, 3), 0);
  netref_result_free(res);
}

/* The bulk readers give what the per-row accessors give, in the layout
 * the header promises: per row the path's keys, the name, the tag. */
static void reads_in_bulk(void **state) {
  netref_result *res;
  ASSERT_OK(netref_prospects(*state, "me", "catering", NULL, &res));
  size_t n = netref_result_count(res), size = 99;
  int hops[3];
  double reach[3], score[3];
  size_t len[3];
  assert_int_equal(n, 3);
  ASSERT_OK(netref_result_numbers(res, hops, reach, score, len));
  ASSERT_OK(netref_result_numbers(res, NULL, NULL, score, NULL));
  const char *text = netref_result_text(res, &size);
  assert_non_null(text);
  const char *at = text;
  for (size_t r = 0; r < n; r++) {
    assert_int_equal(hops[r], netref_result_hops(res, r));
    assert_true(reach[r] == netref_result_reach(res, r));
    assert_true(score[r] == netref_result_score(res, r));
    assert_int_equal(len[r], netref_result_path_length(res, r));
    for (size_t p = 0; p < len[r]; p++, at += strlen(at) + 1)
      assert_string_equal(at, netref_result_path_key(res, r, p));
    assert_string_equal(at, netref_result_name(res, r));
    at += strlen(at) + 1;
    assert_string_equal(at, netref_result_tag(res, r));
    at += strlen(at) + 1;
  }
  assert_int_equal((size_t)(at - text), size);
  assert_non_null(netref_result_text(res, NULL));
  netref_result_free(res);
  /* A path's rows have no tag: "" in the block. */
  ASSERT_OK(netref_path(*state, "me", "cy", NULL, &res));
  text = netref_result_text(res, &size);
  assert_string_equal(text + size - 1, "");
  assert_null(netref_result_tag(res, 0));
  netref_result_free(res);
  assert_null(netref_result_text(NULL, &size));
  assert_int_equal(size, 0);
  assert_int_equal(netref_result_numbers(NULL, hops, NULL, NULL, NULL),
                   NETREF_EINVAL);
}

static void limits_and_hops(void **state) {
  netref_options *o;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_limit(o, 2));
  netref_result *res;
  ASSERT_OK(netref_prospects(*state, "me", "catering", o, &res));
  assert_int_equal(netref_result_count(res), 2);
  assert_string_equal(netref_result_key(res, 1), "ana");
  netref_result_free(res);
  ASSERT_OK(netref_options_set_limit(o, 0));
  ASSERT_OK(netref_options_set_hops(o, 1));
  ASSERT_OK(netref_prospects(*state, "me", "catering", o, &res));
  assert_int_equal(netref_result_count(res), 2); /* cy is 2 hops away */
  netref_result_free(res);
  ASSERT_OK(netref_providers(*state, "me", "catering", o, &res));
  assert_int_equal(netref_result_count(res), 0);
  netref_result_free(res);
  netref_options_free(o);
}

static void cools_old_ties(void **state) {
  netref_options *o;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_half_life(o, 30));
  ASSERT_OK(netref_options_set_today(o, "2026-03-02")); /* 60 days later */
  netref_result *res;
  ASSERT_OK(netref_prospects(*state, "me", "catering", o, &res));
  /* me-ana and ana-cy lose two half-lives each; me-bo has no date. */
  assert_string_equal(netref_result_key(res, 0), "bo");
  assert_true(netref_result_reach(res, 0) == 0.25);
  assert_string_equal(netref_result_key(res, 1), "ana");
  assert_true(netref_result_reach(res, 1) == 0.5 * pow(0.5, 60.0 / 30));
  assert_true(netref_result_reach(res, 2) ==
              0.5 * pow(0.5, 2.0) * (1.0 * pow(0.5, 2.0)));
  netref_result_free(res);
  /* A contact after the reference date does not increase strength. */
  ASSERT_OK(netref_options_set_today(o, "2025-06-01"));
  ASSERT_OK(netref_prospects(*state, "me", "catering", o, &res));
  assert_string_equal(netref_result_key(res, 0), "cy");
  assert_true(netref_result_reach(res, 0) == 0.5);
  netref_result_free(res);
  netref_options_free(o);
}

static void sees_every_kind_of_change(void **state) {
  netref_db *db = *state;
  netref_result *res;
  ASSERT_OK(netref_providers(db, "me", "catering", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  netref_result_free(res);
  ASSERT_OK(t_tie_set(db, "bo", "cy", 1.0, NULL, NULL));
  ASSERT_OK(t_offer_set(db, "bo", "catering", NULL));
  ASSERT_OK(netref_providers(db, "me", "catering", NULL, &res));
  assert_int_equal(netref_result_count(res), 2);
  assert_string_equal(netref_result_key(res, 0), "cy");
  netref_result_free(res);
  ASSERT_OK(netref_tie_remove(db, "ana", "cy"));
  ASSERT_OK(netref_providers(db, "me", "catering", NULL, &res));
  assert_string_equal(netref_result_key(res, 0), "bo");
  assert_string_equal(netref_result_introducer(res, 1), "bo");
  netref_result_free(res);
  ASSERT_OK(netref_offer_remove(db, "cy", "catering"));
  ASSERT_OK(netref_need_remove(db, "bo", "catering"));
  ASSERT_OK(netref_providers(db, "me", "catering", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  netref_result_free(res);
  ASSERT_OK(netref_prospects(db, "me", "catering", NULL, &res));
  assert_int_equal(netref_result_count(res), 2); /* ana, cy */
  netref_result_free(res);
}

static void unknowns(void **state) {
  netref_result *res = (netref_result *)1;
  assert_int_equal(netref_prospects(*state, "zed", "catering", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_null(res);
  assert_non_null(strstr(netref_errmsg(*state), "zed"));
  /* A tag nobody holds: an error suggesting the known ones. */
  assert_int_equal(netref_prospects(*state, "me", "plumbing", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_null(res);
  assert_non_null(strstr(netref_errmsg(*state), "unknown tag 'plumbing'"));
  assert_int_equal(netref_prospects(*state, "me", " ", NULL, &res),
                   NETREF_EINVAL);
  assert_int_equal(netref_prospects(*state, "me", "\xff", NULL, &res),
                   NETREF_EINVAL);
  /* An isolated source reaches nobody. */
  ASSERT_OK(netref_person_add(*state, "solo", "Solo"));
  ASSERT_OK(netref_prospects(*state, "solo", "catering", NULL, &res));
  assert_int_equal(netref_result_count(res), 0);
  netref_result_free(res);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(validates_options),
      cmocka_unit_test_setup_teardown(reads_in_bulk, small_network, close_db),
      cmocka_unit_test_setup_teardown(default_is_two_hops, small_network,
                                      close_db),
      cmocka_unit_test_setup_teardown(limits_and_hops, small_network,
                                      close_db),
      cmocka_unit_test_setup_teardown(cools_old_ties, small_network,
                                      close_db),
      cmocka_unit_test_setup_teardown(sees_every_kind_of_change,
                                      small_network, close_db),
      cmocka_unit_test_setup_teardown(unknowns, small_network, close_db),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
