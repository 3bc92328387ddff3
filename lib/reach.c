/* The reach engine. Layer i relaxes the ties of the people whose state
 * changed in layer i-1, reading only states committed at i-1 (so a walk
 * never uses more ties than its layer) and committing at the end.
 *
 * Each person keeps one state: the best walk to them in the "relay"
 * order, the order in which a walk is best as a prefix of longer walks:
 * value (desc), then introducer-to-be (asc: the second person, or the
 * person themself for the direct tie), then ties (asc), then the person
 * before them (asc), and for the same person before, that person's newer
 * (better) state. Extending walks by a tie preserves this order, so the
 * layered relaxation finds the best walk exactly. The reported order
 * differs only in preferring the direct tie on equal value, which is
 * settled when reading the result (see nr_reach_path).
 *
 * Introduction paths (path.c) use the same engine with the number of
 * ties compared right after the value, which extension preserves too: a
 * person's state is then the strongest walk with the fewest ties. */
#include <math.h>
#include <stdlib.h>

#include "index.h"
#include "reach.h"

struct state {
  double val;
  int32_t intro; /* key rank of the introducer-to-be */
  int32_t pred;  /* key rank of the person before, -1 for the source */
  int32_t entry; /* log entry of the predecessor's state used */
  uint8_t len;
};

/* One committed state, for following paths back to the source. */
struct entry {
  uint32_t node;
  int32_t prev;
};

/* Everything a query keeps about one person, side by side: a query
 * reaches people scattered over the network, and one slot costs one
 * cache line (and, on the first query of a process, one page fault)
 * where an array per field cost one each. */
struct slot {
  struct state cur, nxt;
  double direct;    /* strength of the tie to the source, when seen */
  int32_t entry_of; /* committed log entry */
  uint32_t seen;    /* == query when reached */
  uint32_t touched; /* == layer_id when nxt holds a candidate */
  uint8_t hops;
};

struct nr_reach {
  uint32_t n, source;
  uint32_t query;    /* stamp of the current query */
  uint32_t layer_id; /* stamp of the current layer */
  struct slot *at;   /* n slots */
  uint32_t *frontier, *next;
  uint32_t n_frontier, n_next;
  uint32_t *reached;
  uint32_t n_reached;
  int fewest_ties;
  struct entry *log;
  size_t n_log, cap_log;
};

struct nr_reach *nr_reach_new(uint32_t n) {
  struct nr_reach *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  size_t m = n ? n : 1;
  r->n = n;
  r->at = calloc(m, sizeof *r->at); /* seen and touched 0: never */
  r->frontier = malloc(m * sizeof *r->frontier);
  r->next = malloc(m * sizeof *r->next);
  r->reached = malloc(m * sizeof *r->reached);
  if (!r->reached || !r->at || !r->frontier || !r->next) {
    nr_reach_free(r);
    return NULL;
  }
  return r;
}

void nr_reach_free(struct nr_reach *r) {
  if (!r)
    return;
  free(r->at);
  free(r->frontier);
  free(r->next);
  free(r->reached);
  free(r->log);
  free(r);
}

static int log_add(struct nr_reach *r, uint32_t node, int32_t prev) {
  if (nr_grow(&r->log, &r->cap_log, r->n_log + 1, sizeof *r->log))
    return -1;
  r->log[r->n_log].node = node;
  r->log[r->n_log].prev = prev;
  return (int)r->n_log++;
}

/* Is candidate c strictly better than s in the relay order? */
static int better(const struct state *c, const struct state *s,
                  int fewest_ties) {
  if (c->val != s->val)
    return c->val > s->val;
  if (fewest_ties && c->len != s->len)
    return c->len < s->len;
  if (c->intro != s->intro)
    return c->intro < s->intro;
  if (c->len != s->len)
    return c->len < s->len;
  if (c->pred != s->pred)
    return c->pred < s->pred;
  /* Same predecessor: the candidate comes from its newer, better state. */
  return c->entry != s->entry;
}

double nr_reach_strength(double w, int32_t day,
                         const struct nr_reach_params *p) {
  if (p->half_life > 0 && day != NR_NO_DATE) {
    double age = p->today > day ? (double)(p->today - day) : 0;
    w = w * pow(0.5, age / p->half_life);
  }
  return w;
}

static void offer(struct nr_reach *r, uint32_t v, const struct state *c) {
  if (r->at[v].touched != r->layer_id) {
    r->at[v].touched = r->layer_id;
    r->next[r->n_next++] = v;
    if (r->at[v].seen == r->query) {
      r->at[v].nxt = r->at[v].cur;
    } else {
      r->at[v].nxt = (struct state){.val = -1, .intro = INT32_MAX};
    }
  }
  if (better(c, &r->at[v].nxt, r->fewest_ties))
    r->at[v].nxt = *c;
}

static void relax(struct nr_reach *r, const struct nr_index *ix, uint32_t u,
                  const struct nr_reach_params *p) {
  const struct state *su = &r->at[u].cur;
  int first = u == r->source;
  const uint32_t *nbr;
  const double *ws;
  const int32_t *days;
  uint32_t deg = nr_index_ties(ix, u, &nbr, &ws, &days);
  for (uint32_t e = 0; e < deg; e++) {
    uint32_t v = nbr[e];
    if (v == r->source)
      continue;
    if (p->ban && p->ban[v] == p->ban_stamp)
      continue;
    if (first && (int64_t)v == p->skip_direct)
      continue;
    double w = nr_reach_strength(ws[e], days[e], p);
    if (first)
      r->at[v].direct = w;
    struct state c = {.val = su->val * w,
                      .intro = first ? (int32_t)ix->rank[v] : su->intro,
                      .pred = (int32_t)ix->rank[u],
                      .entry = r->at[u].entry_of,
                      .len = (uint8_t)(su->len + 1)};
    offer(r, v, &c);
  }
}

/* Commit the candidates that beat their committed state. */
static int commit(struct nr_reach *r, int layer) {
  uint32_t changed = 0;
  for (uint32_t i = 0; i < r->n_next; i++) {
    uint32_t v = r->next[i];
    int known = r->at[v].seen == r->query;
    /* A candidate that won has a newer log entry than the state it beat. */
    if (known && r->at[v].nxt.entry == r->at[v].cur.entry &&
        r->at[v].nxt.pred == r->at[v].cur.pred)
      continue;
    int e = log_add(r, v, r->at[v].nxt.entry);
    if (e < 0)
      return NETREF_ENOMEM;
    r->at[v].cur = r->at[v].nxt;
    r->at[v].entry_of = e;
    if (!known) {
      r->at[v].seen = r->query;
      r->at[v].hops = (uint8_t)layer;
      r->reached[r->n_reached++] = v;
    }
    r->frontier[changed++] = v;
  }
  r->n_frontier = changed;
  return NETREF_OK;
}

static void new_stamps(struct nr_reach *r) {
  if (++r->query == 0) {
    for (uint32_t v = 0; v < r->n; v++)
      r->at[v].seen = 0;
    r->query = 1;
  }
}

int nr_reach_run(struct nr_reach *r, const struct nr_index *ix,
                 const struct nr_reach_params *p) {
  new_stamps(r);
  r->source = p->source;
  r->fewest_ties = p->fewest_ties;
  r->n_log = 0;
  r->n_reached = 0;
  uint32_t s = p->source;
  r->at[s].cur = (struct state){.val = 1, .intro = -1, .pred = -1, .entry = -1};
  r->at[s].seen = r->query;
  r->at[s].hops = 0;
  r->at[s].entry_of = log_add(r, s, -1);
  if (r->at[s].entry_of < 0)
    return NETREF_ENOMEM;
  r->frontier[0] = s;
  r->n_frontier = 1;
  for (int layer = 1; layer <= p->hops && r->n_frontier > 0; layer++) {
    if (++r->layer_id == 0) {
      for (uint32_t v = 0; v < r->n; v++)
        r->at[v].touched = 0;
      r->layer_id = 1;
    }
    r->n_next = 0;
    for (uint32_t i = 0; i < r->n_frontier; i++) {
      if ((i & 1023) == 0 && nr_index_stopped(ix))
        return NETREF_ECANCELED;
      relax(r, ix, r->frontier[i], p);
    }
    if (commit(r, layer) != NETREF_OK)
      return NETREF_ENOMEM;
  }
  return NETREF_OK;
}

int nr_reach_has(const struct nr_reach *r, uint32_t v) {
  return v < r->n && v != r->source && r->at[v].seen == r->query;
}

double nr_reach_value(const struct nr_reach *r, uint32_t v) {
  return r->at[v].cur.val;
}

int nr_reach_hops(const struct nr_reach *r, uint32_t v) {
  return r->at[v].hops;
}

int nr_reach_len(const struct nr_reach *r, uint32_t v) {
  return r->at[v].cur.len;
}

uint32_t nr_reach_reached(const struct nr_reach *r, const uint32_t **people) {
  *people = r->reached;
  return r->n_reached;
}

int nr_reach_path(const struct nr_reach *r, uint32_t v, uint32_t *buf) {
  /* The direct tie wins over any walk of the same value. */
  if (r->at[v].hops == 1 && r->at[v].direct == r->at[v].cur.val) {
    buf[0] = r->source;
    buf[1] = v;
    return 2;
  }
  int len = r->at[v].cur.len + 1;
  int i = len;
  for (int32_t e = r->at[v].entry_of; e >= 0 && i > 0; e = r->log[e].prev)
    buf[--i] = r->log[e].node;
  return len;
}
