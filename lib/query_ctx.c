/* The handle's query context: the queries' scratch space, made for one
 * build of the index (query_ctx.h). */
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "path.h"
#include "query_ctx.h"
#include "reach.h"

void nr_query_ctx_free(struct nr_query_ctx *q) {
  if (!q)
    return;
  nr_reach_free(q->reach);
  nr_path_ws_free(q->path);
  free(q->marks);
  free(q);
}

struct nr_query_ctx *nr_query_ctx(netref_db *db) {
  struct nr_query_ctx *q = db->query;
  if (q && q->index_build == db->index_builds)
    return q;
  /* Made for an index since replaced: its sizes may be wrong. */
  nr_query_ctx_free(q);
  db->query = NULL;
  q = calloc(1, sizeof *q);
  if (q) {
    q->index_build = db->index_builds;
    q->n = db->index->n;
    q->reach = nr_reach_new(q->n);
  }
  if (!q || !q->reach) {
    nr_query_ctx_free(q);
    nr_fail(db, NETREF_ENOMEM, "out of memory");
    return NULL;
  }
  db->query = q;
  return q;
}

uint32_t nr_query_new_mark(struct nr_query_ctx *q) {
  size_t n = q->n ? q->n : 1;
  if (!q->marks && !(q->marks = calloc(n, sizeof *q->marks)))
    return 0;
  if (++q->mark == 0) {
    memset(q->marks, 0, n * sizeof *q->marks);
    q->mark = 1;
  }
  return q->mark;
}
