/* Introduction paths: the strongest path from one person to another and
 * alternatives through other people (DESIGN section 4), searched from
 * both ends.
 *
 * With a hop limit k, the layered engine (reach.c, in its fewest-ties
 * order) runs ceil(k/2) layers from the first person and floor(k/2)
 * from the second; every path of at most k ties splits at a person both
 * runs reach, so the best product over meeting people is the best path.
 * Without a limit, a bidirectional Dijkstra on products (which never
 * grow along a path, as strengths are at most 1) stops once no pair of
 * unsettled people can beat the best complete path found. */
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "path.h"
#include "query_ctx.h"
#include "reach.h"
#include "result.h"

/* One person on a Dijkstra heap; stale entries are skipped when popped. */
struct item {
  double val;
  uint32_t len, node, rank;
};

struct side {
  uint32_t source;
  double *val;
  uint32_t *len;
  int32_t *pred;
  uint32_t *seen, *done; /* == the search's stamp */
  struct item *heap;
  size_t n_heap, cap_heap;
};

struct nr_path_ws {
  uint32_t n;
  struct nr_reach *fwd;  /* the layered run from the first person: the
                          * query context's reach workspace, borrowed */
  struct nr_reach *back; /* the layered run from the second person */
  uint32_t *ban;
  uint32_t ban_stamp, stamp;
  uint32_t steps; /* settled people, to poll for netref_interrupt */
  struct side f, b;
};

static void side_free(struct side *s) {
  free(s->val);
  free(s->len);
  free(s->pred);
  free(s->seen);
  free(s->done);
  free(s->heap);
}

void nr_path_ws_free(struct nr_path_ws *ws) {
  if (!ws)
    return;
  nr_reach_free(ws->back);
  free(ws->ban);
  side_free(&ws->f);
  side_free(&ws->b);
  free(ws);
}

static int side_init(struct side *s, uint32_t n) {
  s->val = malloc(n * sizeof *s->val);
  s->len = malloc(n * sizeof *s->len);
  s->pred = malloc(n * sizeof *s->pred);
  s->seen = calloc(n, sizeof *s->seen);
  s->done = calloc(n, sizeof *s->done);
  return s->val && s->len && s->pred && s->seen && s->done ? 0 : -1;
}

static struct nr_path_ws *path_ws(struct nr_query_ctx *q) {
  if (q->path)
    return q->path;
  struct nr_path_ws *ws = calloc(1, sizeof *ws);
  if (!ws)
    return NULL;
  uint32_t n = q->n ? q->n : 1;
  ws->n = n;
  ws->fwd = q->reach;
  ws->back = nr_reach_new(n);
  ws->ban = calloc(n, sizeof *ws->ban);
  if (!ws->back || !ws->ban || side_init(&ws->f, n) || side_init(&ws->b, n)) {
    nr_path_ws_free(ws);
    return NULL;
  }
  q->path = ws;
  return ws;
}

/* A growable list of people: one path being assembled. */
struct walk {
  uint32_t *node;
  size_t n, cap;
};

static int walk_push(struct walk *w, uint32_t v) {
  if (nr_grow(&w->node, &w->cap, w->n + 1, sizeof *w->node))
    return -1;
  w->node[w->n++] = v;
  return 0;
}

/* Cut out any loop, keeping the walk from its first visit of a person
 * to its last: never weaker (strengths are at most 1), fewer ties. */
static void remove_loops(struct walk *w) {
  size_t out = 0;
  for (size_t i = 0; i < w->n; i++) {
    size_t last = i;
    for (size_t j = i + 1; j < w->n; j++)
      if (w->node[j] == w->node[i])
        last = j;
    w->node[out++] = w->node[last];
    i = last;
  }
  w->n = out;
}

/* The strength of the tie u-v as params use it; -1 when there is none. */
static double tie_strength(const struct nr_index *ix, uint32_t u, uint32_t v,
                           const struct nr_reach_params *p) {
  const uint32_t *nbr;
  const double *w;
  const int32_t *day;
  uint32_t deg = nr_index_ties(ix, u, &nbr, &w, &day);
  for (uint32_t i = 0; i < deg; i++)
    if (nbr[i] == v)
      return nr_reach_strength(w[i], day[i], p);
  return -1;
}

/* with a hop limit: two layered runs meeting in the middle */

static int meet_in_middle(struct nr_index *ix, struct nr_path_ws *ws,
                          uint32_t a, uint32_t b, int k,
                          const struct nr_reach_params *base,
                          struct walk *out) {
  struct nr_reach_params fp = *base, bp = *base;
  fp.source = a;
  fp.hops = (k + 1) / 2;
  fp.skip_direct = base->skip_direct >= 0 ? (int64_t)b : -1;
  bp.source = b;
  bp.hops = k / 2;
  bp.skip_direct = base->skip_direct >= 0 ? (int64_t)a : -1;
  int rc = nr_reach_run(ws->fwd, ix, &fp);
  if (rc == NETREF_OK && bp.hops > 0)
    rc = nr_reach_run(ws->back, ix, &bp);
  if (rc != NETREF_OK)
    return rc;
  const uint32_t *reached;
  uint32_t n = nr_reach_reached(ws->fwd, &reached);
  double best = -1;
  int best_len = 0;
  int64_t meet = -1;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t x = reached[i];
    double back = 1;
    int back_len = 0;
    if (x != b) {
      if (bp.hops == 0 || !nr_reach_has(ws->back, x))
        continue;
      back = nr_reach_value(ws->back, x);
      back_len = nr_reach_len(ws->back, x);
    }
    double val = nr_reach_value(ws->fwd, x) * back;
    int len = nr_reach_len(ws->fwd, x) + back_len;
    if (val > best || (val == best && (len < best_len ||
                                       (len == best_len &&
                                        ix->rank[x] < ix->rank[meet])))) {
      best = val;
      best_len = len;
      meet = x;
    }
  }
  if (meet < 0)
    return NETREF_OK;
  uint32_t x = (uint32_t)meet;
  uint32_t *buf = malloc(((size_t)fp.hops + bp.hops + 2) * sizeof *buf);
  if (!buf)
    return NETREF_ENOMEM;
  int len = nr_reach_path(ws->fwd, x, buf);
  for (int i = 0; rc == NETREF_OK && i < len; i++)
    rc = walk_push(out, buf[i]) ? NETREF_ENOMEM : NETREF_OK;
  if (x != b) {
    len = nr_reach_path(ws->back, x, buf);
    for (int i = len - 2; rc == NETREF_OK && i >= 0; i--)
      rc = walk_push(out, buf[i]) ? NETREF_ENOMEM : NETREF_OK;
  }
  free(buf);
  return rc;
}

/* without a limit: bidirectional Dijkstra on products */

/* Heap order: larger value, then fewer ties, then smaller key. */
static int item_before(const struct item *x, const struct item *y) {
  if (x->val != y->val)
    return x->val > y->val;
  if (x->len != y->len)
    return x->len < y->len;
  return x->rank < y->rank;
}

static int heap_push(struct side *s, struct item it) {
  if (nr_grow(&s->heap, &s->cap_heap, s->n_heap + 1, sizeof *s->heap))
    return -1;
  size_t i = s->n_heap++;
  while (i > 0 && item_before(&it, &s->heap[(i - 1) / 2])) {
    s->heap[i] = s->heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  s->heap[i] = it;
  return 0;
}

static struct item heap_pop(struct side *s) {
  struct item top = s->heap[0], last = s->heap[--s->n_heap];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= s->n_heap)
      break;
    if (c + 1 < s->n_heap && item_before(&s->heap[c + 1], &s->heap[c]))
      c++;
    if (!item_before(&s->heap[c], &last))
      break;
    s->heap[i] = s->heap[c];
    i = c;
  }
  if (s->n_heap)
    s->heap[i] = last;
  return top;
}

/* Drop settled or outdated entries from the top; 0 when empty. */
static int heap_top(struct side *s, uint32_t stamp, struct item *top) {
  while (s->n_heap) {
    struct item it = s->heap[0];
    if (s->done[it.node] != stamp && it.val == s->val[it.node] &&
        it.len == s->len[it.node]) {
      *top = it;
      return 1;
    }
    heap_pop(s);
  }
  return 0;
}

static int side_start(struct side *s, const struct nr_index *ix,
                      uint32_t source, uint32_t stamp) {
  s->source = source;
  s->n_heap = 0;
  s->seen[source] = stamp;
  s->val[source] = 1;
  s->len[source] = 0;
  s->pred[source] = -1;
  return heap_push(s, (struct item){1, 0, source, ix->rank[source]});
}

/* The best complete path: the tie u-v joining the two sides' paths. */
struct meeting {
  double val;
  uint32_t len;
  int64_t u, v; /* u on the forward side, v on the backward side */
};

static int expand(const struct nr_index *ix, struct nr_path_ws *ws,
                  struct side *s, struct side *other, int forward,
                  const struct nr_reach_params *p, struct meeting *best) {
  struct item it = heap_pop(s);
  uint32_t u = it.node;
  s->done[u] = ws->stamp;
  const uint32_t *nbr;
  const double *ws_w;
  const int32_t *day;
  uint32_t deg = nr_index_ties(ix, u, &nbr, &ws_w, &day);
  for (uint32_t e = 0; e < deg; e++) {
    uint32_t v = nbr[e];
    if (v == s->source || (v != other->source && ws->ban[v] == p->ban_stamp))
      continue;
    if (p->skip_direct >= 0 && u == s->source && v == other->source)
      continue;
    double val = s->val[u] * nr_reach_strength(ws_w[e], day[e], p);
    uint32_t len = s->len[u] + 1;
    if (other->seen[v] == ws->stamp) {
      double total = val * other->val[v];
      uint32_t total_len = len + other->len[v];
      if (total > best->val || (total == best->val && total_len < best->len)) {
        *best = (struct meeting){total, total_len, forward ? u : v,
                                 forward ? v : u};
      }
    }
    if (s->done[v] == ws->stamp)
      continue;
    if (s->seen[v] != ws->stamp || val > s->val[v] ||
        (val == s->val[v] && len < s->len[v])) {
      s->seen[v] = ws->stamp;
      s->val[v] = val;
      s->len[v] = len;
      s->pred[v] = (int32_t)u;
      if (heap_push(s, (struct item){val, len, v, ix->rank[v]}))
        return NETREF_ENOMEM;
    }
  }
  return NETREF_OK;
}

static int bidirectional(struct nr_index *ix, struct nr_path_ws *ws,
                         uint32_t a, uint32_t b,
                         const struct nr_reach_params *p, struct walk *out) {
  if (++ws->stamp == 0) {
    memset(ws->f.seen, 0, ws->n * sizeof *ws->f.seen);
    memset(ws->f.done, 0, ws->n * sizeof *ws->f.done);
    memset(ws->b.seen, 0, ws->n * sizeof *ws->b.seen);
    memset(ws->b.done, 0, ws->n * sizeof *ws->b.done);
    ws->stamp = 1;
  }
  if (side_start(&ws->f, ix, a, ws->stamp) ||
      side_start(&ws->b, ix, b, ws->stamp))
    return NETREF_ENOMEM;
  struct meeting best = {.val = -1, .u = -1, .v = -1};
  struct item tf, tb;
  while (heap_top(&ws->f, ws->stamp, &tf) && heap_top(&ws->b, ws->stamp, &tb)) {
    /* No path through unsettled people can beat the best found. */
    double bound = tf.val * tb.val;
    if (best.val >= 0 &&
        (bound < best.val || (bound == best.val && tf.len + tb.len >= best.len)))
      break;
    if ((++ws->steps & 1023) == 0 && nr_index_stopped(ix))
      return NETREF_ECANCELED;
    int forward = ws->f.n_heap <= ws->b.n_heap;
    int rc = forward ? expand(ix, ws, &ws->f, &ws->b, 1, p, &best)
                     : expand(ix, ws, &ws->b, &ws->f, 0, p, &best);
    if (rc != NETREF_OK)
      return rc;
  }
  if (best.val < 0)
    return NETREF_OK;
  size_t start = out->n;
  for (int64_t v = best.u; v >= 0; v = ws->f.pred[v])
    if (walk_push(out, (uint32_t)v))
      return NETREF_ENOMEM;
  for (size_t i = start, j = out->n - 1; i < j; i++, j--) {
    uint32_t t = out->node[i];
    out->node[i] = out->node[j];
    out->node[j] = t;
  }
  for (int64_t v = best.v; v >= 0; v = ws->b.pred[v])
    if (walk_push(out, (uint32_t)v))
      return NETREF_ENOMEM;
  return NETREF_OK;
}

/* the query */

/* Find one path avoiding the banned people; out->n == 0 when none. */
static int one_path(struct nr_index *ix, struct nr_path_ws *ws, uint32_t a,
                    uint32_t b, int max_hops,
                    const struct nr_reach_params *p, struct walk *out) {
  out->n = 0;
  int rc = max_hops > 0 ? meet_in_middle(ix, ws, a, b, max_hops, p, out)
                        : bidirectional(ix, ws, a, b, p, out);
  if (rc == NETREF_OK)
    remove_loops(out);
  return rc;
}

static int find_paths(netref_db *db, struct nr_index *ix, uint32_t a,
                      uint32_t b, const struct netref_options *o,
                      netref_result **out) {
  struct nr_query_ctx *q = nr_query_ctx(db);
  if (!q)
    return NETREF_ENOMEM;
  struct nr_path_ws *ws = path_ws(q);
  if (!ws)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  if (++ws->ban_stamp == 0) {
    memset(ws->ban, 0, ws->n * sizeof *ws->ban);
    ws->ban_stamp = 1;
  }
  struct nr_reach_params p = {
      .half_life = o->half_life,
      .today = o->today_set ? o->today : nr_today(),
      .fewest_ties = 1,
      .ban = ws->ban,
      .ban_stamp = ws->ban_stamp,
      .skip_direct = -1,
  };
  int wanted = 1 + o->alternatives;
  struct walk *walks = calloc((size_t)wanted, sizeof *walks);
  struct nr_row_spec *rows = calloc((size_t)wanted, sizeof *rows);
  int rc = walks && rows ? NETREF_OK : NETREF_ENOMEM;
  int found = 0;
  while (rc == NETREF_OK && found < wanted) {
    struct walk *w = &walks[found];
    rc = one_path(ix, ws, a, b, o->max_hops, &p, w);
    if (rc != NETREF_OK || w->n < 2)
      break;
    double strength = 1;
    for (size_t i = 0; i + 1 < w->n; i++)
      strength *= tie_strength(ix, w->node[i], w->node[i + 1], &p);
    rows[found] = (struct nr_row_spec){
        .hops = (int)w->n - 1,
        .reach = strength,
        .score = strength,
        .path = w->node,
        .path_len = (int)w->n,
    };
    found++;
    /* The next path shares no intermediate person, nor the direct tie. */
    for (size_t i = 1; i + 1 < w->n; i++)
      ws->ban[w->node[i]] = ws->ban_stamp;
    if (w->n == 2)
      p.skip_direct = b;
  }
  if (rc == NETREF_OK)
    rc = nr_result_make(db, ix, rows, (size_t)found, out);
  else
    nr_fail_step(db, rc);
  for (int i = 0; walks && i < wanted; i++)
    free(walks[i].node);
  free(walks);
  free(rows);
  return rc;
}

static int path_query(netref_db *db, const char *from, const char *to,
                      const netref_options *opts, netref_result **out) {
  if (out)
    *out = NULL;
  uint32_t a, b;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "to", to, 0); /* bad input before unknown keys */
  /* One look for other programs' changes (in the first find): a second
   * could rebuild the index under a. */
  if (rc == NETREF_OK)
    rc = nr_index_find(db, "from", from, &a);
  int64_t found = rc == NETREF_OK ? nr_index_person(db->index, to) : 0;
  if (rc == NETREF_OK && found < 0)
    rc = nr_person_unknown(db, to);
  if (rc != NETREF_OK)
    return rc;
  b = (uint32_t)found;
  struct netref_options o;
  nr_options_get(opts, &o);
  struct nr_index *ix = db->index;
  if (a == b)
    return nr_fail(db, NETREF_EINVAL, "a path needs two different people");
  return find_paths(db, ix, a, b, &o, out);
}

int netref_path(netref_db *db, const char *from, const char *to,
                const netref_options *opts, netref_result **out) {
  nr_run_begin(db);
  return nr_run_end(db, path_query(db, from, to, opts, out));
}
