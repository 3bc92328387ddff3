/* The in-memory index the queries run on, built from the store in one
 * pass and rebuilt lazily after changes. People are numbered 0..n-1 in
 * the order of their store row ids, so that the tie table, scanned in
 * its primary key order, fills the adjacency rows one after the other;
 * rank[] gives each person's place in byte order of keys, for the
 * canonical comparisons, and by_key[] is its inverse. */
#ifndef NETREF_INDEX_H
#define NETREF_INDEX_H

#include <stdint.h>

#include "internal.h"

/* Who offers and who needs one tag. */
struct nr_tag {
  const char *name;
  uint32_t n_needers, n_offerers;
  uint32_t *needers;
  double *need_weight;
  uint32_t *offerers;
};

struct nr_reach;

struct nr_index {
  uint64_t generation; /* of the data it was built from */
  uint32_t n;
  const char **key, **name;
  uint32_t *rank, *by_key;
  /* Compressed sparse rows: the ties of person v are entries
   * off[v] .. off[v+1]-1 of nbr (the other person), w (strength) and
   * day (last contact as a day number, or NR_NO_DATE). */
  uint64_t *off;
  uint32_t *nbr;
  double *w;
  int32_t *day;
  uint32_t ntags;
  struct nr_tag *tags; /* sorted by name */
  char *strings;       /* keys, names and tags, NUL-separated */
  struct nr_reach *reach; /* workspace reused by every query */
};

/* Find a person by key; -1 when absent. O(log n). */
int64_t nr_index_person(const struct nr_index *ix, const char *key);
/* Find a tag by normalized name; NULL when nobody holds it. */
const struct nr_tag *nr_index_tag(const struct nr_index *ix, const char *tag);

#endif
