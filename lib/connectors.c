/* Brokers (DESIGN section 4): netref_connectors ranks the people of the
 * source's k-hop network by their betweenness within that network.
 *
 * The k-hop network is collected from the index's own arrays: a
 * breadth-first search by hops from the source (people found carry a
 * fresh mark of the query context's marks), then a count of the ties
 * among them. Its Brandes cost, people x ties, is checked against the bound
 * before any graph is built. The betweenness is igraph's (Brandes' algorithm,
 * by hop count) on a graph made in one igraph_create from an edge vector, under
 * the igraph lock (igraph_glue.h). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "connectors.h"
#include "igraph_glue.h"
#include "index.h"
#include "query_ctx.h"

/* A person of the k-hop network and their hops from the source. */
struct member {
  uint32_t person, hops;
};

/* A person with betweenness > 0, as ranked. */
struct broker {
  uint32_t person, rank, hops;
  double betweenness;
};

/* The k-hop network: people in ascending person number (their place in
 * it is their vertex id for igraph), their hops, and the tie count. */
struct subnet {
  uint32_t n;
  uint64_t m;
  uint32_t *people;
  uint32_t *hops;
  uint32_t *marks; /* the query context's: who is in the network */
};

static int member_cmp(const void *a, const void *b) {
  const struct member *x = a, *y = b;
  return x->person < y->person ? -1 : x->person > y->person;
}

static int broker_cmp(const void *a, const void *b) {
  const struct broker *x = a, *y = b;
  if (x->betweenness != y->betweenness)
    return x->betweenness > y->betweenness ? -1 : 1;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Breadth-first search from s up to k hops, marking with stamp, then
 * count the ties among the people found (each once, from its smaller
 * end). O(n_k + m_k). */
static int collect(struct nr_index *ix, uint32_t s, int k, uint32_t stamp,
                   struct subnet *sn) {
  struct member *queue = NULL;
  size_t cap = 0, n = 0;
  if (nr_grow(&queue, &cap, 1, sizeof *queue))
    return NETREF_ENOMEM;
  queue[n++] = (struct member){s, 0};
  sn->marks[s] = stamp;
  for (size_t head = 0; head < n; head++) {
    struct member u = queue[head];
    if (u.hops >= (uint32_t)k)
      break; /* hops never decrease along the queue */
    const uint32_t *nbr;
    const double *w;
    const int32_t *day;
    uint32_t deg = nr_index_ties(ix, u.person, &nbr, &w, &day);
    for (uint32_t e = 0; e < deg; e++) {
      uint32_t v = nbr[e];
      if (sn->marks[v] == stamp)
        continue;
      if (nr_grow(&queue, &cap, n + 1, sizeof *queue)) {
        free(queue);
        return NETREF_ENOMEM;
      }
      sn->marks[v] = stamp;
      queue[n++] = (struct member){v, u.hops + 1};
    }
  }
  uint64_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const uint32_t *nbr;
    const double *w;
    const int32_t *day;
    uint32_t v = queue[i].person;
    uint32_t deg = nr_index_ties(ix, v, &nbr, &w, &day);
    for (uint32_t e = 0; e < deg; e++)
      m += nbr[e] > v && sn->marks[nbr[e]] == stamp;
  }
  if (n > 1)
    qsort(queue, n, sizeof *queue, member_cmp);
  sn->n = (uint32_t)n;
  sn->m = m;
  sn->people = malloc(n * sizeof *sn->people);
  sn->hops = malloc(n * sizeof *sn->hops);
  if (!sn->people || !sn->hops) {
    free(queue);
    return NETREF_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    sn->people[i] = queue[i].person;
    sn->hops[i] = queue[i].hops;
  }
  free(queue);
  return NETREF_OK;
}

/* The edge vector of the k-hop network in vertex ids (places in
 * sn->people), 2 * sn->m entries; the marks of collect() must still
 * stand. */
static igraph_integer_t *edge_vector(const struct nr_index *ix,
                                     const struct subnet *sn, uint32_t stamp) {
  igraph_integer_t *edges = malloc(2 * sn->m * sizeof *edges);
  if (!edges)
    return NULL;
  size_t at = 0;
  for (uint32_t i = 0; i < sn->n; i++) {
    const uint32_t *nbr;
    const double *w;
    const int32_t *day;
    uint32_t v = sn->people[i];
    uint32_t deg = nr_index_ties(ix, v, &nbr, &w, &day);
    for (uint32_t e = 0; e < deg; e++) {
      uint32_t u = nbr[e];
      if (u <= v || sn->marks[u] != stamp)
        continue;
      edges[at++] = (igraph_integer_t)i;
      edges[at++] = (igraph_integer_t)nr_find_person(sn->people, sn->n, u);
    }
  }
  return edges;
}

/* Undirected, unweighted betweenness of the n vertices into out[n]. */
static int betweenness(netref_db *db, uint32_t n, igraph_integer_t *edges,
                       uint64_t m, double *out) {
  struct nr_igraph_guard guard;
  igraph_vector_int_t ev;
  igraph_vector_t res;
  igraph_t graph;
  igraph_error_t err;
  int rc = NETREF_OK;
  nr_igraph_enter(&guard, db);
  igraph_vector_int_view(&ev, edges, (igraph_integer_t)(2 * m));
  err = igraph_create(&graph, &ev, (igraph_integer_t)n, IGRAPH_UNDIRECTED);
  if (err != IGRAPH_SUCCESS) {
    rc = nr_igraph_fail(db, err, "connectors: igraph_create");
    goto leave;
  }
  err = igraph_vector_init(&res, 0);
  if (err != IGRAPH_SUCCESS) {
    rc = nr_igraph_fail(db, err, "connectors: igraph_vector_init");
    goto graph;
  }
  err = igraph_betweenness(&graph, &res, igraph_vss_all(), IGRAPH_UNDIRECTED,
                           NULL);
  if (err != IGRAPH_SUCCESS)
    rc = nr_igraph_fail(db, err, "connectors: igraph_betweenness");
  else if (igraph_vector_size(&res) != (igraph_integer_t)n)
    rc = nr_fail(db, NETREF_ERROR,
                 "connectors: igraph_betweenness gave %" PRId64
                 " values for %u people",
                 (int64_t)igraph_vector_size(&res), n);
  else
    for (uint32_t i = 0; i < n; i++)
      out[i] = VECTOR(res)[i];
  igraph_vector_destroy(&res);
graph:
  igraph_destroy(&graph);
leave:
  nr_igraph_leave(&guard);
  return rc;
}

static int broker_rows(const struct nr_index *ix, const struct broker *bs,
                       size_t n, int limit, netref_rows **out) {
  static const char *const names[] = {"key", "name", "hops", "betweenness"};
  int rc = nr_rows_new(4, names, out);
  if (limit > 0 && (size_t)limit < n)
    n = (size_t)limit;
  for (size_t i = 0; rc == NETREF_OK && i < n; i++) {
    const char *texts[4] = {nr_index_key(ix, bs[i].person),
                            nr_index_name(ix, bs[i].person), NULL, NULL};
    double reals[4] = {NAN, NAN, (double)bs[i].hops, bs[i].betweenness};
    rc = nr_rows_append(*out, texts, reals);
  }
  if (rc != NETREF_OK) {
    netref_rows_free(*out);
    *out = NULL;
  }
  return rc;
}

/* Betweenness rounded to 40 significant bits (about 12 decimal digits).
 * Brandes' algorithm adds the same terms in different orders for
 * different people, so equal betweenness can differ in its last bits;
 * rounded, it compares equal and the order by key holds. */
static double snap(double v) {
  if (!(v > 0) || !isfinite(v))
    return v;
  int e;
  frexp(v, &e);
  double q = ldexp(1.0, e - 40);
  return nearbyint(v / q) * q;
}

/* Rank the brokers of a collected k-hop network. */
static int rank_brokers(netref_db *db, struct nr_index *ix, uint32_t s,
                        const struct subnet *sn, uint32_t stamp, int limit,
                        netref_rows **out) {
  size_t nb = 0;
  struct broker *bs = NULL;
  double *b = NULL;
  igraph_integer_t *edges = NULL;
  int rc = NETREF_OK;
  /* With fewer than three people nobody stands between two others. */
  if (sn->n >= 3) {
    edges = edge_vector(ix, sn, stamp);
    b = malloc(sn->n * sizeof *b);
    bs = malloc(sn->n * sizeof *bs);
    rc = edges && b && bs ? NETREF_OK
                          : nr_fail(db, NETREF_ENOMEM, "out of memory");
    if (rc == NETREF_OK)
      rc = betweenness(db, sn->n, edges, sn->m, b);
    for (uint32_t i = 0; rc == NETREF_OK && i < sn->n; i++)
      if (sn->people[i] != s && b[i] > 0)
        bs[nb++] = (struct broker){sn->people[i], ix->rank[sn->people[i]],
                                   sn->hops[i], snap(b[i])};
  }
  if (rc == NETREF_OK) {
    if (nb > 1)
      qsort(bs, nb, sizeof *bs, broker_cmp);
    rc = broker_rows(ix, bs, nb, limit, out);
    if (rc != NETREF_OK)
      nr_fail(db, rc, "out of memory");
  }
  free(edges);
  free(b);
  free(bs);
  return rc;
}

int nr_connectors_bounded(netref_db *db, const char *source,
                          const netref_options *opts, uint64_t max_cost,
                          netref_rows **out) {
  if (out)
    *out = NULL;
  uint32_t s;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_index_find(db, "source", source, &s);
  if (rc != NETREF_OK)
    return rc;
  struct netref_options o;
  nr_options_get(opts, &o);
  struct nr_index *ix = db->index;
  struct nr_query_ctx *q = nr_query_ctx(db);
  if (!q)
    return NETREF_ENOMEM;
  uint32_t stamp = nr_query_new_mark(q);
  if (!stamp)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  struct subnet sn = {.marks = q->marks};
  rc = collect(ix, s, o.hops, stamp, &sn);
  if (rc != NETREF_OK)
    rc = nr_fail(db, rc, "out of memory");
  else if (sn.n > 0 && sn.m > max_cost / sn.n)
    rc = nr_fail(db, NETREF_ELIMIT,
                 "connectors: the %d-hop network of '%s' has %u people and "
                 "%" PRIu64 " ties; betweenness there costs people x ties = "
                 "%.3g, more than the bound of %.3g that keeps an answer "
                 "within seconds%s",
                 o.hops, source, sn.n, sn.m, (double)sn.n * (double)sn.m,
                 (double)max_cost, o.hops > 1 ? "; ask with fewer hops" : "");
  else
    rc = rank_brokers(db, ix, s, &sn, stamp, o.limit, out);
  free(sn.people);
  free(sn.hops);
  return rc;
}

int netref_connectors(netref_db *db, const char *source,
                      const netref_options *opts, netref_rows **out) {
  nr_run_begin(db);
  return nr_run_end(
      db, nr_connectors_bounded(db, source, opts, NR_CONNECTORS_MAX_COST, out));
}
