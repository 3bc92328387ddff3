/* Query results: ranked rows that own copies of every string they show,
 * so they outlive index rebuilds and the handle itself. */
#ifndef NETREF_RESULT_H
#define NETREF_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

struct nr_index;
struct nr_reach;

/* A row before it is materialized: the person and their figures. */
struct nr_hit {
  uint32_t person;
  uint32_t rank; /* of the key, for the order */
  int hops;
  double reach, score;
  const char *tag;   /* owned by the index */
  unsigned char how; /* how the tag matched the queried one (NR_MATCH_*) */
};

/* A materialized row: its person is the last on the path. */
struct nr_row_spec {
  int hops;
  double reach, score;
  const char *tag;      /* owned by the index, or NULL */
  const uint32_t *path; /* people from the source */
  int path_len;
};

/* Copy rows (names, keys, tags, paths) into a new result. */
int nr_result_make(netref_db *db, const struct nr_index *ix,
                   const struct nr_row_spec *rows, size_t n,
                   netref_result **out);

/* Sort hits by score desc, hops asc, key asc; keep the first `limit`
 * (0: all); copy names, keys, tags and best paths into a new result. */
int nr_result_build(netref_db *db, const struct nr_index *ix,
                    const struct nr_reach *reach, struct nr_hit *hits,
                    size_t n_hits, int limit, netref_result **out);

#endif
