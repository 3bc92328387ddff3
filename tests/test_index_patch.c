/* The index patched after each change (lib/index_patch.c) must answer
 * exactly as an index built from scratch: a long-lived handle takes
 * random changes and queries, and a second handle on the same file,
 * whose index is rebuilt after every change, must agree on every row. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support.h"
#include "writes.h"

#define PEOPLE 14

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t next_rand(uint32_t bound) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % bound);
}

static const char *tags[] = {"catering", "design", "law", "new tag"};

static void key_of(int i, char *buf) { snprintf(buf, 8, "p%02d", i); }

static void same_answers(netref_db *a, netref_db *b, const char *src,
                         const char *tag, int hops, int providers) {
  netref_options *o;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, hops));
  ASSERT_OK(netref_options_set_half_life(o, hops == 3 ? 90 : 0));
  ASSERT_OK(netref_options_set_today(o, "2026-06-01"));
  netref_result *ra, *rb;
  int (*query)(netref_db *, const char *, const char *, const netref_options *,
               netref_result **) =
      providers ? netref_providers : netref_prospects;
  ASSERT_OK(query(a, src, tag, o, &ra));
  ASSERT_OK(query(b, src, tag, o, &rb));
  assert_int_equal(netref_result_count(ra), netref_result_count(rb));
  for (size_t i = 0; i < netref_result_count(ra); i++) {
    assert_string_equal(netref_result_key(ra, i), netref_result_key(rb, i));
    assert_true(netref_result_score(ra, i) == netref_result_score(rb, i));
    assert_int_equal(netref_result_hops(ra, i), netref_result_hops(rb, i));
    size_t len = netref_result_path_length(ra, i);
    assert_int_equal(len, netref_result_path_length(rb, i));
    for (size_t j = 0; j < len; j++)
      assert_string_equal(netref_result_path_key(ra, i, j),
                          netref_result_path_key(rb, i, j));
  }
  netref_result_free(ra);
  netref_result_free(rb);
  netref_options_free(o);
}

static void random_change(netref_db *db) {
  char a[8], b[8];
  key_of((int)next_rand(PEOPLE), a);
  key_of((int)next_rand(PEOPLE), b);
  const char *tag = tags[next_rand(4)];
  static const double strengths[] = {0.25, 0.5, 0.75, 1.0, 0.3};
  static const char *const dates[] = {NULL, "", "2026-01-01", "2025-06-30"};
  switch (next_rand(6)) {
  case 0:
  case 1:
    if (strcmp(a, b) != 0)
      ASSERT_OK(t_tie_set(db, a, b, strengths[next_rand(5)],
                          dates[next_rand(4)], NULL));
    break;
  case 2:
    if (strcmp(a, b) != 0) {
      int rc = netref_tie_remove(db, a, b);
      assert_true(rc == NETREF_OK || rc == NETREF_ENOTFOUND);
    }
    break;
  case 3:
    ASSERT_OK(t_need_set(db, a, tag, next_rand(2) ? 1.0 : 0.5));
    break;
  case 4:
    ASSERT_OK(t_offer_set(db, a, tag, NULL));
    break;
  default: {
    int rc = next_rand(2) ? netref_need_remove(db, a, tag)
                          : netref_offer_remove(db, a, tag);
    assert_true(rc == NETREF_OK || rc == NETREF_ENOTFOUND);
  }
  }
}

static void patched_index_matches_rebuilt(void **state) {
  (void)state;
  char path[] = "/tmp/netref-patch-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  unlink(path);
  netref_db *live, *fresh;
  ASSERT_OK(netref_open(path, &live));
  for (int i = 0; i < PEOPLE; i++) {
    char k[8];
    key_of(i, k);
    ASSERT_OK(netref_person_add(live, k, k));
  }
  for (int i = 0; i < 30; i++)
    random_change(live);
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &fresh));
  for (int step = 0; step < 400; step++) {
    random_change(live);
    /* A fresh handle sees the file as it is now. */
    netref_close(fresh);
    ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &fresh));
    char src[8];
    key_of((int)next_rand(PEOPLE), src);
    same_answers(live, fresh, src, tags[next_rand(4)], 1 + (int)next_rand(3),
                 (int)next_rand(2));
  }
  netref_close(fresh);
  netref_close(live);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(patched_index_matches_rebuilt),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
