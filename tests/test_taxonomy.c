/* The tag taxonomy: relations stored and refused, expansion in every tag
 * query, unknown tags with suggestions, and the group filter; with a
 * reference check of the expansion against a brute-force closure. */
#include "support.h"
#include "reference.h"
#include "writes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define ALIAS NETREF_RELATION_ALIAS
#define BROADER NETREF_RELATION_BROADER

/* ---- relations ---- */

static size_t count_rows(netref_db *db, const char *tag) {
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tag_relations(db, tag, &rows));
  size_t n = netref_rows_count(rows);
  netref_rows_free(rows);
  return n;
}

static void relate_list_unrelate(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_tag_relate(db, "Party Planner", ALIAS, "party planning"));
  ASSERT_OK(
      netref_tag_relate(db, "kids  birthday party", BROADER, "party planning"));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tag_relations(db, NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(cell_named(rows, 0, "tag"), "kids birthday party");
  assert_string_equal(cell_named(rows, 0, "relation"), "broader");
  assert_string_equal(cell_named(rows, 0, "other"), "party planning");
  assert_string_equal(cell_named(rows, 1, "tag"), "party planner");
  assert_string_equal(cell_named(rows, 1, "relation"), "alias");
  netref_rows_free(rows);
  /* Again, and the alias the other way round: nothing new. */
  ASSERT_OK(netref_tag_relate(db, "party planner", ALIAS, "party planning"));
  ASSERT_OK(netref_tag_relate(db, "party planning", ALIAS, "party planner"));
  ASSERT_OK(
      netref_tag_relate(db, "kids birthday party", BROADER, "Party Planning"));
  assert_int_equal(count_rows(db, NULL), 2);
  assert_int_equal(count_rows(db, "party planning"), 2);
  assert_int_equal(count_rows(db, "party planner"), 1);
  assert_int_equal(count_rows(db, "design"), 0);
  /* An alias is removed in either order; a missing relation is named. */
  ASSERT_OK(netref_tag_unrelate(db, "party planning", ALIAS, "party planner"));
  assert_int_equal(
      netref_tag_unrelate(db, "party planning", ALIAS, "party planner"),
      NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "no relation"));
  assert_int_equal(
      netref_tag_unrelate(db, "party planning", BROADER, "kids birthday party"),
      NETREF_ENOTFOUND);
  ASSERT_OK(netref_tag_unrelate(db, "kids birthday party", BROADER,
                                "party planning"));
  assert_int_equal(count_rows(db, NULL), 0);
}

static void relate_refuses_bad_input(void **state) {
  netref_db *db = *state;
  assert_int_equal(netref_tag_relate(db, "Design", ALIAS, " design "),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "itself"));
  assert_int_equal(netref_tag_relate(db, "a", 0, "b"), NETREF_EINVAL);
  assert_int_equal(netref_tag_relate(db, "a", 3, "b"), NETREF_EINVAL);
  assert_int_equal(netref_tag_relate(db, NULL, ALIAS, "b"), NETREF_EINVAL);
  assert_int_equal(netref_tag_relate(db, "a", ALIAS, NULL), NETREF_EINVAL);
  assert_int_equal(netref_tag_relate(db, "a", ALIAS, "\xff"), NETREF_EINVAL);
  assert_int_equal(netref_tag_relate(db, "a", ALIAS, "   "), NETREF_EINVAL);
  assert_int_equal(netref_tag_relate(NULL, "a", ALIAS, "b"), NETREF_EINVAL);
  assert_int_equal(netref_tag_unrelate(NULL, "a", ALIAS, "b"), NETREF_EINVAL);
  assert_int_equal(netref_tag_relations(NULL, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_tag_relations(db, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(t_tag_expand(db, "a", 0, NULL), NETREF_EINVAL);
  assert_int_equal(count_rows(db, NULL), 0);
}

static void cycles_are_refused(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_tag_relate(db, "a", BROADER, "b"));
  ASSERT_OK(netref_tag_relate(db, "b", BROADER, "c"));
  /* c is broader than a: a above c would close a loop. */
  assert_int_equal(netref_tag_relate(db, "c", BROADER, "a"), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "cycle"));
  assert_int_equal(netref_tag_relate(db, "b", BROADER, "a"), NETREF_EINVAL);
  /* Merging a tag with one broader or narrower than it. */
  assert_int_equal(netref_tag_relate(db, "a", ALIAS, "c"), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "cycle"));
  assert_int_equal(netref_tag_relate(db, "c", ALIAS, "a"), NETREF_EINVAL);
  /* Through an alias: x = a, so c above... x below c is fine, c below x
   * is not. */
  ASSERT_OK(netref_tag_relate(db, "x", ALIAS, "a"));
  assert_int_equal(netref_tag_relate(db, "c", BROADER, "x"), NETREF_EINVAL);
  assert_int_equal(netref_tag_relate(db, "x", BROADER, "a"), NETREF_EINVAL);
  /* A broader term that already holds through another path is stored. */
  ASSERT_OK(netref_tag_relate(db, "a", BROADER, "c"));
  ASSERT_OK(netref_tag_relate(db, "y", ALIAS, "x")); /* aliases chain */
  assert_int_equal(count_rows(db, NULL), 5);
}

/* ---- expansion ---- */

static void add_people(netref_db *db, const char *const *keys) {
  for (; *keys; keys++)
    ASSERT_OK(netref_person_add(db, *keys, NULL));
}

/* me - ana - bo, me - cy: ana offers "party planner", bo "kids
 * birthday party", cy "party planning" and "party planner". */
static void party_network(netref_db *db) {
  static const char *const keys[] = {"me", "ana", "bo", "cy", "dee", NULL};
  add_people(db, keys);
  ASSERT_OK(t_tie_set(db, "me", "ana", 0.8, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "ana", "bo", 0.5, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "me", "cy", 0.6, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "cy", "dee", 0.9, NULL, NULL));
  ASSERT_OK(t_offer_set(db, "ana", "party planner", NULL));
  ASSERT_OK(t_offer_set(db, "bo", "kids birthday party", NULL));
  ASSERT_OK(t_offer_set(db, "cy", "party planning", NULL));
  ASSERT_OK(t_offer_set(db, "cy", "party planner", NULL));
  ASSERT_OK(t_need_set(db, "dee", "kids birthday party", 0.5));
  ASSERT_OK(t_need_set(db, "dee", "party planning", 0.4));
  ASSERT_OK(netref_tag_relate(db, "party planner", ALIAS, "party planning"));
  ASSERT_OK(
      netref_tag_relate(db, "kids birthday party", BROADER, "party planning"));
}

static void expand_lists_matched_tags(void **state) {
  netref_db *db = *state;
  party_network(db);
  netref_rows *rows = NULL;
  ASSERT_OK(t_tag_expand(db, "Party Planning", 0, &rows));
  assert_int_equal(netref_rows_count(rows), 3);
  assert_string_equal(cell_named(rows, 0, "tag"), "party planning");
  assert_string_equal(cell_named(rows, 0, "relation"), "self");
  assert_string_equal(cell_named(rows, 0, "holders"), "2");
  assert_string_equal(cell_named(rows, 1, "tag"), "kids birthday party");
  assert_string_equal(cell_named(rows, 1, "relation"), "narrower");
  assert_string_equal(cell_named(rows, 2, "tag"), "party planner");
  assert_string_equal(cell_named(rows, 2, "relation"), "alias");
  assert_string_equal(cell_named(rows, 2, "holders"), "2");
  netref_rows_free(rows);
  /* Narrower matches broader, not the other way round. */
  ASSERT_OK(t_tag_expand(db, "kids birthday party", 0, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  /* An alias's expansion reaches the narrower tag too. */
  ASSERT_OK(t_tag_expand(db, "party planner", 0, &rows));
  assert_int_equal(netref_rows_count(rows), 3);
  assert_string_equal(cell_named(rows, 1, "relation"), "narrower");
  netref_rows_free(rows);
  ASSERT_OK(t_tag_expand(db, "party planning", 1, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
}

static const char *row_tag_of(netref_result *res, const char *key) {
  for (size_t i = 0; i < netref_result_count(res); i++)
    if (strcmp(netref_result_key(res, i), key) == 0)
      return netref_result_tag(res, i);
  return NULL;
}

static void providers_expand_and_say_which_tag(void **state) {
  netref_db *db = *state;
  party_network(db);
  netref_result *res = NULL;
  ASSERT_OK(netref_providers(db, "me", "party planning", NULL, &res));
  assert_int_equal(netref_result_count(res), 3);
  assert_string_equal(row_tag_of(res, "ana"), "party planner");
  assert_string_equal(row_tag_of(res, "bo"), "kids birthday party");
  /* cy holds two matching tags: one row, the tag itself. */
  assert_string_equal(row_tag_of(res, "cy"), "party planning");
  netref_result_free(res);
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_exact(o, 1));
  ASSERT_OK(netref_providers(db, "me", "party planning", o, &res));
  assert_int_equal(netref_result_count(res), 1);
  assert_string_equal(netref_result_key(res, 0), "cy");
  netref_result_free(res);
  /* Through the alias, cy's closest tag is the one asked. */
  ASSERT_OK(netref_options_set_exact(o, 0));
  ASSERT_OK(netref_providers(db, "me", "party planner", o, &res));
  assert_int_equal(netref_result_count(res), 3);
  assert_string_equal(row_tag_of(res, "cy"), "party planner");
  netref_result_free(res);
  netref_options_free(o);
}

static void prospects_keep_the_heaviest_need(void **state) {
  netref_db *db = *state;
  party_network(db);
  netref_result *res = NULL;
  ASSERT_OK(netref_prospects(db, "me", "party planning", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  assert_string_equal(netref_result_key(res, 0), "dee");
  assert_string_equal(netref_result_tag(res, 0), "kids birthday party");
  assert_true(fabs(netref_result_score(res, 0) - 0.6 * 0.9 * 0.5) < 1e-12);
  netref_result_free(res);
}

static void unknown_tags_suggest_close_ones(void **state) {
  netref_db *db = *state;
  party_network(db);
  netref_result *res = NULL;
  assert_int_equal(netref_providers(db, "me", "party planing", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_null(res);
  assert_non_null(strstr(netref_errmsg(db), "did you mean 'party planning'"));
  assert_int_equal(netref_prospects(db, "me", "zzzz qqqq", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "unknown tag 'zzzz qqqq'"));
  assert_null(strstr(netref_errmsg(db), "did you mean"));
  /* A one-letter tag is not suggested for everything. */
  ASSERT_OK(t_offer_set(db, "ana", "x", NULL));
  assert_int_equal(netref_providers(db, "me", "taxes", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_null(strstr(netref_errmsg(db), "'x'"));
  assert_int_equal(netref_providers(db, "me", "xy", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "did you mean 'x'"));
  /* A word of a known tag suggests it. */
  assert_int_equal(netref_providers(db, "me", "birthday", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "'kids birthday party'"));
  netref_rows *rows = NULL;
  assert_int_equal(t_tag_expand(db, "party plannin", 0, &rows),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "did you mean"));
  assert_int_equal(
      netref_ask_first(db, "me", "partyplanning", NETREF_ROLE_ANY, NULL, &rows),
      NETREF_ENOTFOUND);
  assert_int_equal(netref_matches(db, "me", "party planers", NULL, &rows),
                   NETREF_ENOTFOUND);
  assert_null(rows);
  /* Named by the taxonomy but held by nobody: known, no rows. */
  ASSERT_OK(netref_tag_relate(db, "events", ALIAS, "event planning"));
  ASSERT_OK(netref_providers(db, "me", "events", NULL, &res));
  assert_int_equal(netref_result_count(res), 0);
  netref_result_free(res);
}

static void ask_first_and_matches_expand(void **state) {
  netref_db *db = *state;
  party_network(db);
  netref_rows *rows = NULL;
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, 3));
  ASSERT_OK(netref_ask_first(db, "me", "party planning", NETREF_ROLE_OFFERS, o,
                             &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(cell_named(rows, 0, "key"), "ana"); /* ana and bo */
  assert_string_equal(cell_named(rows, 0, "reached"), "2");
  netref_rows_free(rows);
  /* dee needs kids birthday party (bo offers it) and party planning
   * (ana through the alias, bo through the narrower tag: the same
   * introduction as for kids birthday party, listed once, for the need
   * with the larger weight; cy is tied to dee). */
  ASSERT_OK(netref_matches(db, "me", NULL, o, &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  for (size_t i = 0; i < 2; i++) {
    assert_string_equal(cell_named(rows, i, "needer"), "dee");
    if (strcmp(cell_named(rows, i, "provider"), "bo") == 0) {
      assert_string_equal(cell_named(rows, i, "tag"), "kids birthday party");
    } else {
      assert_string_equal(cell_named(rows, i, "provider"), "ana");
      assert_string_equal(cell_named(rows, i, "tag"), "party planning");
      assert_string_equal(cell_named(rows, i, "offer_tag"), "party planner");
    }
  }
  netref_rows_free(rows);
  /* Without the narrower need, bo still answers the broader one. */
  ASSERT_OK(netref_need_remove(db, "dee", "kids birthday party"));
  ASSERT_OK(netref_matches(db, "me", "party planning", o, &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  int bo_as_narrower = 0;
  for (size_t i = 0; i < 2; i++)
    if (strcmp(cell_named(rows, i, "provider"), "bo") == 0) {
      assert_string_equal(cell_named(rows, i, "tag"), "party planning");
      assert_string_equal(cell_named(rows, i, "offer_tag"),
                          "kids birthday party");
      bo_as_narrower = 1;
    }
  assert_true(bo_as_narrower);
  netref_rows_free(rows);
  ASSERT_OK(t_need_set(db, "dee", "kids birthday party", 0.5));
  ASSERT_OK(netref_options_set_exact(o, 1));
  ASSERT_OK(netref_matches(db, "me", NULL, o, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "offer_tag"), "kids birthday party");
  netref_rows_free(rows);
  netref_options_free(o);
}

static void a_tag_nobody_holds_any_more_is_unknown(void **state) {
  netref_db *db = *state;
  static const char *const keys[] = {"s", "b", NULL};
  add_people(db, keys);
  ASSERT_OK(t_tie_set(db, "s", "b", 0.5, NULL, NULL));
  ASSERT_OK(t_offer_set(db, "b", "juggling", NULL));
  netref_result *res = NULL;
  ASSERT_OK(netref_providers(db, "s", "juggling", NULL, &res));
  assert_int_equal(netref_result_count(res), 1);
  netref_result_free(res);
  /* The index is patched, not rebuilt: the tag's entry stays, empty. */
  ASSERT_OK(netref_offer_remove(db, "b", "juggling"));
  assert_int_equal(netref_providers(db, "s", "juggling", NULL, &res),
                   NETREF_ENOTFOUND);
  assert_null(res);
  assert_null(strstr(netref_errmsg(db), "did you mean 'juggling'"));
  netref_rows *rows = (netref_rows *)1;
  assert_int_equal(netref_tag_relations(db, "  ", &rows), NETREF_EINVAL);
  assert_null(rows);
}

static void matches_list_one_introduction_once(void **state) {
  netref_db *db = *state;
  static const char *const keys[] = {"s", "b", "d", NULL};
  add_people(db, keys);
  ASSERT_OK(t_tie_set(db, "s", "b", 0.5, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "s", "d", 0.5, NULL, NULL));
  ASSERT_OK(netref_tag_relate(db, "fete", ALIAS, "party"));
  ASSERT_OK(t_need_set(db, "b", "party", 0.5));
  ASSERT_OK(t_need_set(db, "b", "fete", 0.8));
  ASSERT_OK(t_offer_set(db, "d", "party", NULL));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_matches(db, "s", "party", NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "tag"), "fete"); /* 0.8 > 0.5 */
  assert_string_equal(cell_named(rows, 0, "offer_tag"), "party");
  netref_rows_free(rows);
  ASSERT_OK(netref_matches(db, "s", NULL, NULL, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  /* Exact: each need pairs with the very tag only. */
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_exact(o, 1));
  ASSERT_OK(netref_matches(db, "s", NULL, o, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "tag"), "party");
  netref_rows_free(rows);
  netref_options_free(o);
}

static void reconnect_expands_the_source_tags(void **state) {
  netref_db *db = *state;
  static const char *const keys[] = {"me", "ana", "bo", NULL};
  add_people(db, keys);
  ASSERT_OK(t_tie_set(db, "me", "ana", 0.5, "2020-01-01", NULL));
  ASSERT_OK(t_tie_set(db, "ana", "bo", 0.5, NULL, NULL));
  ASSERT_OK(t_need_set(db, "me", "party planning", 1));
  ASSERT_OK(t_offer_set(db, "bo", "kids birthday party", NULL));
  ASSERT_OK(
      netref_tag_relate(db, "kids birthday party", BROADER, "party planning"));
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_today(o, "2021-01-01"));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_reconnect(db, "me", 30, o, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "tags"), "party planning");
  assert_string_equal(cell_named(rows, 0, "people"), "1");
  netref_rows_free(rows);
  ASSERT_OK(netref_options_set_exact(o, 1));
  ASSERT_OK(netref_reconnect(db, "me", 30, o, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "tags"), "");
  assert_string_equal(cell_named(rows, 0, "people"), "0");
  netref_rows_free(rows);
  netref_options_free(o);
}

/* ---- the group filter ---- */

static void group_filter_keeps_to_members(void **state) {
  netref_db *db = *state;
  party_network(db);
  ASSERT_OK(netref_group_add(db, "nov", "November evening"));
  ASSERT_OK(netref_group_join(db, "nov", "bo"));
  ASSERT_OK(netref_group_join(db, "nov", "dee"));
  netref_options *o = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_group(o, "nov"));
  netref_result *res = NULL;
  ASSERT_OK(netref_providers(db, "me", "party planning", o, &res));
  assert_int_equal(netref_result_count(res), 1);
  assert_string_equal(netref_result_key(res, 0), "bo");
  netref_result_free(res);
  ASSERT_OK(netref_options_set_hops(o, 3));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_matches(db, "me", NULL, o, &rows));
  /* dee-bo, through two needs: one introduction. */
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "provider"), "bo");
  netref_rows_free(rows);
  ASSERT_OK(netref_ask_first(db, "me", "party planning", NETREF_ROLE_OFFERS, o,
                             &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(cell_named(rows, 0, "top1"), "bo");
  netref_rows_free(rows);
  /* Walks still pass through anyone: bo is reached through ana. */
  ASSERT_OK(netref_group_leave(db, "nov", "bo"));
  ASSERT_OK(netref_providers(db, "me", "party planning", o, &res));
  assert_int_equal(netref_result_count(res), 0);
  netref_result_free(res);
  ASSERT_OK(netref_options_set_group(o, "no such group"));
  assert_int_equal(netref_providers(db, "me", "party planning", o, &res),
                   NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "no such group"));
  ASSERT_OK(netref_options_set_group(o, NULL));
  ASSERT_OK(netref_providers(db, "me", "party planning", o, &res));
  assert_int_equal(netref_result_count(res), 3);
  netref_result_free(res);
  assert_int_equal(netref_options_set_group(o, "\xff"), NETREF_EINVAL);
  assert_int_equal(netref_options_set_group(NULL, "x"), NETREF_EINVAL);
  assert_int_equal(netref_options_set_exact(NULL, 1), NETREF_EINVAL);
  netref_options_free(o);
}

/* ---- reference: expansion against a brute-force closure ---- */

#define RT 6 /* tags */
#define RP 7 /* people */

static const char *const RTAGS[RT] = {"t0", "t1", "t2", "t3", "t4", "t5"};

/* below[i][j]: a query for i matches j (reflexive, transitive). */
static void closure(int alias[RT][RT], int narrower[RT][RT],
                    int below[RT][RT]) {
  for (int i = 0; i < RT; i++)
    for (int j = 0; j < RT; j++)
      below[i][j] = i == j || alias[i][j] || alias[j][i] || narrower[i][j];
  for (int k = 0; k < RT; k++)
    for (int i = 0; i < RT; i++)
      for (int j = 0; j < RT; j++)
        if (below[i][k] && below[k][j])
          below[i][j] = 1;
}

/* Random relations; the library must accept exactly those that never
 * make a tag narrower than itself. */
static void random_taxonomy(netref_db *db, rng *r, int below[RT][RT]) {
  int alias[RT][RT] = {{0}}, narrower[RT][RT] = {{0}};
  closure(alias, narrower, below);
  for (int tries = 0; tries < 8; tries++) {
    int a = rng_int(r, RT), b = rng_int(r, RT);
    if (a == b)
      continue;
    int is_alias = rng_chance(r, 0.4);
    int trial_alias[RT][RT], trial_narrower[RT][RT], trial[RT][RT];
    memcpy(trial_alias, alias, sizeof alias);
    memcpy(trial_narrower, narrower, sizeof narrower);
    if (is_alias)
      trial_alias[a][b] = 1;
    else
      trial_narrower[b][a] = 1; /* a broader b: b's query matches a */
    closure(trial_alias, trial_narrower, trial);
    /* A cycle: a narrower link from x to y while y's query matches x. */
    int cyc = 0;
    for (int x = 0; x < RT; x++)
      for (int y = 0; y < RT; y++)
        if (trial_narrower[x][y] && trial[y][x])
          cyc = 1;
    int rc =
        netref_tag_relate(db, RTAGS[a], is_alias ? ALIAS : BROADER, RTAGS[b]);
    if (cyc) {
      assert_int_equal(rc, NETREF_EINVAL);
      continue;
    }
    if (rc != NETREF_OK)
      fail_msg("%s %s %s: %s", RTAGS[a], is_alias ? "alias" : "broader",
               RTAGS[b], netref_errmsg(db));
    memcpy(alias, trial_alias, sizeof alias);
    memcpy(narrower, trial_narrower, sizeof narrower);
    memcpy(below, trial, sizeof trial);
  }
}

static void reference_expansion(void **state) {
  (void)state;
  rng r = {0x7a7e5ULL};
  for (int net = 0; net < 150; net++) {
    netref_db *db = NULL;
    ASSERT_OK(netref_open(":memory:", &db));
    int below[RT][RT];
    random_taxonomy(db, &r, below);
    char key[RP][4];
    for (int p = 0; p < RP; p++) {
      snprintf(key[p], sizeof key[p], "p%d", p);
      ASSERT_OK(netref_person_add(db, key[p], NULL));
      if (p > 0)
        ASSERT_OK(t_tie_set(db, key[rng_int(&r, p)], key[p], 0.5, NULL, NULL));
    }
    int offers[RP][RT] = {{0}};
    for (int p = 1; p < RP; p++)
      for (int t = 0; t < RT; t++)
        if (rng_chance(&r, 0.25)) {
          offers[p][t] = 1;
          ASSERT_OK(t_offer_set(db, key[p], RTAGS[t], NULL));
        }
    netref_options *o = NULL;
    ASSERT_OK(netref_options_new(&o));
    ASSERT_OK(netref_options_set_hops(o, 6));
    for (int q = 0; q < RT; q++) {
      netref_result *res = NULL;
      int known = 0;
      for (int p = 0; p < RP; p++)
        known |= offers[p][q];
      netref_rows *rel = NULL;
      ASSERT_OK(netref_tag_relations(db, RTAGS[q], &rel));
      known |= netref_rows_count(rel) > 0;
      netref_rows_free(rel);
      int rc = netref_providers(db, "p0", RTAGS[q], o, &res);
      if (!known) {
        assert_int_equal(rc, NETREF_ENOTFOUND);
        continue;
      }
      ASSERT_OK(rc);
      size_t expected = 0;
      for (int p = 1; p < RP; p++) {
        int any = 0;
        for (int t = 0; t < RT; t++)
          any |= offers[p][t] && below[q][t];
        const char *got = row_tag_of(res, key[p]);
        if (!any) {
          assert_null(got);
          continue;
        }
        expected++;
        assert_non_null(got);
        assert_true(below[q][got[1] - '0']);
        assert_true(offers[p][got[1] - '0']);
        if (offers[p][q])
          assert_string_equal(got, RTAGS[q]);
      }
      assert_int_equal(netref_result_count(res), expected);
      netref_result_free(res);
    }
    netref_options_free(o);
    netref_close(db);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(relate_list_unrelate, open_memory,
                                      close_db),
      cmocka_unit_test_setup_teardown(relate_refuses_bad_input, open_memory,
                                      close_db),
      cmocka_unit_test_setup_teardown(cycles_are_refused, open_memory,
                                      close_db),
      cmocka_unit_test_setup_teardown(expand_lists_matched_tags, open_memory,
                                      close_db),
      cmocka_unit_test_setup_teardown(providers_expand_and_say_which_tag,
                                      open_memory, close_db),
      cmocka_unit_test_setup_teardown(prospects_keep_the_heaviest_need,
                                      open_memory, close_db),
      cmocka_unit_test_setup_teardown(unknown_tags_suggest_close_ones,
                                      open_memory, close_db),
      cmocka_unit_test_setup_teardown(ask_first_and_matches_expand, open_memory,
                                      close_db),
      cmocka_unit_test_setup_teardown(a_tag_nobody_holds_any_more_is_unknown,
                                      open_memory, close_db),
      cmocka_unit_test_setup_teardown(matches_list_one_introduction_once,
                                      open_memory, close_db),
      cmocka_unit_test_setup_teardown(reconnect_expands_the_source_tags,
                                      open_memory, close_db),
      cmocka_unit_test_setup_teardown(group_filter_keeps_to_members,
                                      open_memory, close_db),
      cmocka_unit_test(reference_expansion),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
