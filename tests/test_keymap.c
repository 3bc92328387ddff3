/* The key map of bulk imports (lib/keymap.c): keys short enough to live
 * in their slot and longer ones, replacement, growth, room made at once
 * (nr_keymap_reserve) in the middle of filling, and prefetching, which
 * must never change what a lookup finds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "keymap.h"

/* Key i: short ("k17"), or long (over the slot's 24 bytes) when i is a
 * multiple of 7, so that both kinds are mixed in every table size. */
static void key_of(int i, char *buf, size_t size) {
  if (i % 7 == 0)
    snprintf(buf, size, "a-rather-long-person-key-that-spills-%d", i);
  else
    snprintf(buf, size, "k%d", i);
}

static void expect_all(const struct nr_keymap *m, int n, int64_t bias) {
  char key[80];
  for (int i = 0; i < n; i++) {
    int64_t id = -1;
    key_of(i, key, sizeof key);
    nr_keymap_prefetch(m, key, strlen(key));
    assert_int_equal(nr_keymap_get(m, key, &id), 1);
    assert_int_equal(id, i + bias);
  }
  key_of(n, key, sizeof key);
  int64_t id = -1;
  assert_int_equal(nr_keymap_get(m, key, &id), 0);
  assert_int_equal(id, -1);
}

static void put_range(struct nr_keymap *m, int from, int to, int64_t bias) {
  char key[80];
  for (int i = from; i < to; i++) {
    key_of(i, key, sizeof key);
    assert_int_equal(nr_keymap_put(m, key, i + bias), 0);
  }
}

static void finds_what_was_put(void **state) {
  (void)state;
  struct nr_keymap *m = nr_keymap_new();
  assert_non_null(m);
  put_range(m, 0, 20000, 5); /* many doublings */
  expect_all(m, 20000, 5);
  put_range(m, 0, 20000, 9); /* replaced, not added */
  expect_all(m, 20000, 9);
  nr_keymap_free(m);
}

static void empty_map_finds_nothing(void **state) {
  (void)state;
  struct nr_keymap *m = nr_keymap_new();
  assert_non_null(m);
  nr_keymap_prefetch(m, "", 0);
  nr_keymap_prefetch(m, "anyone", 6);
  int64_t id = 3;
  assert_int_equal(nr_keymap_get(m, "anyone", &id), 0);
  assert_int_equal(id, 3);
  nr_keymap_free(m);
  nr_keymap_free(NULL);
}

/* Room made after some keys rehashes those, and the keys after it land
 * beside them. */
static void reserve_keeps_every_key(void **state) {
  (void)state;
  struct nr_keymap *m = nr_keymap_new();
  assert_non_null(m);
  put_range(m, 0, 3000, 0);
  assert_int_equal(nr_keymap_reserve(m, 50000), 0);
  expect_all(m, 3000, 0);
  put_range(m, 3000, 53000, 0);
  expect_all(m, 53000, 0);
  /* Room already there, or none asked for: nothing changes. */
  assert_int_equal(nr_keymap_reserve(m, 0), 0);
  assert_int_equal(nr_keymap_reserve(m, 10), 0);
  expect_all(m, 53000, 0);
  nr_keymap_free(m);
}

/* A guess too small is no limit: the map grows past it. */
static void reserve_too_small_still_grows(void **state) {
  (void)state;
  struct nr_keymap *m = nr_keymap_new();
  assert_non_null(m);
  assert_int_equal(nr_keymap_reserve(m, 100), 0);
  put_range(m, 0, 10000, 1);
  expect_all(m, 10000, 1);
  nr_keymap_free(m);
}

/* A size no memory holds is refused and leaves the map as it was. */
static void reserve_refuses_impossible_sizes(void **state) {
  (void)state;
  struct nr_keymap *m = nr_keymap_new();
  assert_non_null(m);
  put_range(m, 0, 100, 0);
  assert_int_equal(nr_keymap_reserve(m, SIZE_MAX / 2), -1);
  assert_int_equal(nr_keymap_reserve(m, SIZE_MAX / 4 - 200), -1);
  assert_int_equal(nr_keymap_reserve(m, SIZE_MAX / 64), -1);
  expect_all(m, 100, 0);
  put_range(m, 100, 200, 0);
  expect_all(m, 200, 0);
  nr_keymap_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(finds_what_was_put),
      cmocka_unit_test(empty_map_finds_nothing),
      cmocka_unit_test(reserve_keeps_every_key),
      cmocka_unit_test(reserve_too_small_still_grows),
      cmocka_unit_test(reserve_refuses_impossible_sizes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
