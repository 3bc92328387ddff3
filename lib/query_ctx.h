/* The handle's query context (query_ctx.c): the scratch space queries
 * reuse instead of allocating it each time (the reach workspace, the
 * path workspace, the mark array), kept apart from the index, which
 * holds only data. Sized for the current index and re-made after the
 * index is rebuilt. */
#ifndef NETREF_QUERY_CTX_H
#define NETREF_QUERY_CTX_H

#include <stdint.h>

#include "internal.h"

struct nr_reach;
struct nr_path_ws;

struct nr_query_ctx {
  uint64_t index_build;    /* db->index_builds it was made for */
  uint32_t n;              /* people of that index */
  struct nr_reach *reach;  /* workspace reused by every query */
  struct nr_path_ws *path; /* for netref_path, made on first use */
  /* Marks reused by queries instead of clearing an array each time. */
  uint32_t *marks;
  uint32_t mark;
};

/* The context for db->index, which must be current (nr_index_ready):
 * made on first use and again after a rebuild. NULL when out of memory
 * (NETREF_ENOMEM recorded on the handle). */
struct nr_query_ctx *nr_query_ctx(netref_db *db);
void nr_query_ctx_free(struct nr_query_ctx *q);
/* A mark value no entry of q->marks holds yet (allocating the array on
 * first use); 0 when out of memory. */
uint32_t nr_query_new_mark(struct nr_query_ctx *q);

#endif
