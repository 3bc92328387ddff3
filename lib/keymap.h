/* A hash map from person keys to store row ids, used by bulk imports so
 * that a tie row costs no B-tree lookups of its two people. */
#ifndef NETREF_KEYMAP_H
#define NETREF_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

struct nr_keymap;

struct nr_keymap *nr_keymap_new(void);
void nr_keymap_free(struct nr_keymap *m);
/* 1 and *id when present, 0 when absent. */
int nr_keymap_get(const struct nr_keymap *m, const char *key, int64_t *id);
/* Insert or replace; 0 on success, -1 when out of memory. */
int nr_keymap_put(struct nr_keymap *m, const char *key, int64_t id);
/* Make room for n more keys at once (a caller that knows how many will
 * come skips the rehash of each doubling); 0, or -1 when out of memory
 * (the map is unchanged and still grows as keys come). */
int nr_keymap_reserve(struct nr_keymap *m, size_t n);
/* Start loading the slot where the key of len bytes (no NUL needed) is
 * looked for: a lookup soon after finds it in the cache. The map is only
 * read, so this may run where a lookup may (import.c's second thread). */
void nr_keymap_prefetch(const struct nr_keymap *m, const char *key, size_t len);

#endif
