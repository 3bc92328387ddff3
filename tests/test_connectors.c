/*
 * Tests of netref_connectors(): brokers by betweenness within the
 * source's k-hop network.
 *
 * - Hand-made networks with answers written out: a star, a bridge
 *   between two cliques (equal betweenness ordered by key), the hop limit
 *   cutting the network, the ties among the people k hops away counting,
 *   the limit, unknown and bad arguments, changes after a query.
 * - The refusal: nr_connectors_bounded() with a small bound.
 * - The igraph boundary: handlers restored after the call, an igraph
 *   error turned into a netref code with igraph's message, concurrent
 *   calls on separate handles.
 * - A reference check on many random small networks. The model is the
 *   definition in netref.h, computed independently of Brandes' algorithm
 *   and of igraph: hop distances and shortest-path counts from powers of
 *   the adjacency matrix (d(a,b) is the least L with A^L[a][b] > 0, and
 *   sigma_ab = A^d[a][b], as every walk of length d(a,b) is a shortest
 *   path), first on the whole network (who is within k hops), then on
 *   the induced k-hop network; betweenness(v) = the sum over unordered
 *   pairs {a,b} with d(a,v) + d(v,b) = d(a,b) of
 *   sigma_av * sigma_vb / sigma_ab. Values are compared within 1e-9.
 *
 * Environment: NETREF_REF_SEED (base seed), NETREF_REF_NETWORKS (default
 * 400).
 */
#include "support.h"

#include <igraph.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "connectors.h"
#include "igraph_glue.h"
#include "reference.h"
#include "writes.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* A network from "a-b c-d e": each word a tie (strength 0.5) or, without
 * a dash, a person alone. People are added on first mention. */
static netref_db *net_from(const char *spec) {
  netref_db *db = NULL;
  assert_int_equal(netref_open(":memory:", &db), NETREF_OK);
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", spec);
  for (char *save = NULL, *w = strtok_r(buf, " ", &save); w;
       w = strtok_r(NULL, " ", &save)) {
    char *dash = strchr(w, '-');
    if (dash)
      *dash = '\0';
    int rc = netref_person_add(db, w, NULL);
    assert_true(rc == NETREF_OK || rc == NETREF_EEXISTS);
    if (dash) {
      rc = netref_person_add(db, dash + 1, NULL);
      assert_true(rc == NETREF_OK || rc == NETREF_EEXISTS);
      ASSERT_OK(t_tie_set(db, w, dash + 1, 0.5, NULL, NULL));
    }
  }
  return db;
}

static netref_rows *connectors(netref_db *db, const char *source, int k,
                               int limit) {
  netref_options *o;
  netref_rows *rows = NULL;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, k));
  ASSERT_OK(netref_options_set_limit(o, limit));
  int rc = netref_connectors(db, source, o, &rows);
  netref_options_free(o);
  if (rc != NETREF_OK)
    fail_msg("netref_connectors(%s, k=%d): %d %s", source, k, rc,
             netref_errmsg(db));
  return rows;
}

/* Check rows against "key:hops:betweenness ..." ("" for no rows). */
static void expect_rows(netref_rows *rows, const char *want) {
  assert_int_equal(netref_rows_columns(rows), 4);
  assert_string_equal(netref_rows_column_name(rows, 0), "key");
  assert_string_equal(netref_rows_column_name(rows, 1), "name");
  assert_string_equal(netref_rows_column_name(rows, 2), "hops");
  assert_string_equal(netref_rows_column_name(rows, 3), "betweenness");
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", want);
  size_t i = 0;
  for (char *save = NULL, *w = strtok_r(buf, " ", &save); w;
       w = strtok_r(NULL, " ", &save), i++) {
    char key[64];
    int hops;
    double b;
    assert_int_equal(sscanf(w, "%63[^:]:%d:%lf", key, &hops, &b), 3);
    if (i >= netref_rows_count(rows))
      fail_msg("expected %s, got only %zu rows", want, netref_rows_count(rows));
    const char *got = netref_rows_text(rows, i, 0);
    if (strcmp(got, key) != 0)
      fail_msg("row %zu: expected %s, got %s (want %s)", i, key, got, want);
    assert_non_null(netref_rows_text(rows, i, 1));
    assert_true(netref_rows_real(rows, i, 2) == hops);
    double gb = netref_rows_real(rows, i, 3);
    if (fabs(gb - b) > 1e-9)
      fail_msg("row %zu (%s): betweenness %.17g, expected %g", i, key, gb, b);
  }
  if (netref_rows_count(rows) != i)
    fail_msg("expected %zu rows (%s), got %zu", i, want,
             netref_rows_count(rows));
}

static void check(netref_db *db, const char *source, int k, int limit,
                  const char *want) {
  netref_rows *rows = connectors(db, source, k, limit);
  expect_rows(rows, want);
  netref_rows_free(rows);
}

/* ------------------------------------------------------------------ */
/* Hand-made networks                                                  */

static void test_star(void **state) {
  (void)state;
  /* s - h, and h the centre of a star with a, b, c, d. */
  netref_db *db = net_from("s-h h-a h-b h-c h-d");
  /* Every pair of {s, a, b, c, d} passes through h: C(5,2) = 10. */
  check(db, "s", 2, 0, "h:1:10");
  /* k = 1: the network is s and h alone. */
  check(db, "s", 1, 0, "");
  /* From the centre: the leaves stand between nobody, h is the source. */
  check(db, "h", 1, 0, "");
  check(db, "a", 1, 0, "");
  check(db, "a", 3, 0, "h:1:10");
  /* The names come along. */
  ASSERT_OK(netref_person_set_name(db, "h", "Hub Hanna"));
  netref_rows *rows = connectors(db, "s", 2, 0);
  assert_string_equal(netref_rows_text(rows, 0, 1), "Hub Hanna");
  netref_rows_free(rows);
  netref_close(db);
}

/* Two cliques {s, a2, a3, y1} and {x1, b2, b3, b4} joined by y1 - x1. */
static const char *const BRIDGE = "s-a2 s-a3 s-y1 a2-a3 a2-y1 a3-y1 "
                                  "x1-b2 x1-b3 x1-b4 b2-b3 b2-b4 b3-b4 y1-x1";

static void test_bridge(void **state) {
  (void)state;
  netref_db *db = net_from(BRIDGE);
  /* y1: {s, a2, a3} x {x1, b2, b3, b4} = 12 pairs; x1: {s, a2, a3, y1} x
   * {b2, b3, b4} = 12. Equal betweenness: by key, so x1 (2 hops) first. */
  check(db, "s", 3, 0, "x1:2:12 y1:1:12");
  check(db, "s", 6, 0, "x1:2:12 y1:1:12");
  check(db, "s", 3, 1, "x1:2:12");
  /* k = 2 cuts b2, b3, b4 off: y1 joins s, a2, a3 to x1: 3. */
  check(db, "s", 2, 0, "y1:1:3");
  /* k = 1: the clique of s alone. */
  check(db, "s", 1, 0, "");
  /* From the far side. */
  check(db, "b2", 2, 0, "x1:1:3");
  /* Default options: 2 hops. */
  netref_rows *rows = NULL;
  ASSERT_OK(netref_connectors(db, "s", NULL, &rows));
  expect_rows(rows, "y1:1:3");
  netref_rows_free(rows);
  netref_close(db);
}

static void test_ties_at_the_edge_count(void **state) {
  (void)state;
  /* s - a - c, s - b - d and c - d: c and d are both 2 hops away, and
   * their tie belongs to the 2-hop network, which is a 5-cycle where
   * everyone stands between one pair. Without it, a, s and b would. */
  netref_db *db = net_from("s-a s-b a-c b-d c-d");
  check(db, "s", 2, 0, "a:1:1 b:1:1 c:2:1 d:2:1");
  check(db, "s", 2, 2, "a:1:1 b:1:1");
  check(db, "s", 1, 0, "");
  /* After the tie is gone (the index is patched), a path: c-a-s-b-d. */
  ASSERT_OK(netref_tie_remove(db, "c", "d"));
  check(db, "s", 2, 0, "a:1:3 b:1:3");
  /* After a new person (the index is rebuilt): e hangs off d, and the
   * 3-hop network is the path c-a-s-b-d-e, where the i-th of six people
   * stands between i * (5 - i) pairs. */
  ASSERT_OK(netref_person_add(db, "e", NULL));
  ASSERT_OK(t_tie_set(db, "d", "e", 1, NULL, NULL));
  check(db, "s", 3, 0, "b:1:6 a:1:4 d:2:4");
  check(db, "s", 2, 0, "a:1:3 b:1:3");
  netref_close(db);
}

static void test_multiple_shortest_paths(void **state) {
  (void)state;
  /* A 4-cycle s-a-t-b-s plus t - u. (s,t) and (s,u) have two shortest
   * paths each, one via a and one via b: a and b get 1/2 + 1/2 = 1. t
   * carries (s,u), (a,u) and (b,u) whole and half of (a,b), whose other
   * path runs via s: t = 3.5. */
  netref_db *db = net_from("s-a a-t t-b b-s t-u");
  check(db, "s", 3, 0, "t:2:3.5 a:1:1 b:1:1");
  /* k = 1: s, a, b, with no tie between a and b: s would carry (a,b). */
  check(db, "s", 1, 0, "");
  check(db, "a", 1, 0, "");
  netref_close(db);
}

static void test_errors(void **state) {
  (void)state;
  netref_db *db = net_from("s-a a-b lone");
  netref_rows *rows = (netref_rows *)&rows;
  assert_int_equal(netref_connectors(db, "nobody", NULL, &rows),
                   NETREF_ENOTFOUND);
  assert_null(rows);
  assert_non_null(strstr(netref_errmsg(db), "nobody"));
  rows = (netref_rows *)&rows;
  assert_int_equal(netref_connectors(db, NULL, NULL, &rows), NETREF_EINVAL);
  assert_null(rows);
  assert_int_equal(netref_connectors(db, "", NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_connectors(db, "\xff", NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_connectors(db, "s", NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_connectors(NULL, "s", NULL, &rows), NETREF_EINVAL);
  /* A person without ties: a network of one, no rows. */
  check(db, "lone", 6, 0, "");
  check(db, "s", 2, 0, "a:1:1");
  /* An empty network has nobody to ask from. */
  netref_db *empty = NULL;
  ASSERT_OK(netref_open(":memory:", &empty));
  assert_int_equal(netref_connectors(empty, "s", NULL, &rows),
                   NETREF_ENOTFOUND);
  netref_close(empty);
  netref_close(db);
}

static void test_refusal(void **state) {
  (void)state;
  netref_db *db = net_from(BRIDGE);
  netref_options *o;
  netref_rows *rows = (netref_rows *)&rows;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_hops(o, 3));
  /* 8 people, 13 ties: a cost of 104. */
  assert_int_equal(nr_connectors_bounded(db, "s", o, 103, &rows),
                   NETREF_ELIMIT);
  assert_null(rows);
  const char *msg = netref_errmsg(db);
  assert_non_null(strstr(msg, "8 people"));
  assert_non_null(strstr(msg, "13 ties"));
  assert_non_null(strstr(msg, "104"));
  assert_non_null(strstr(msg, "103"));
  assert_non_null(strstr(msg, "fewer hops"));
  assert_string_equal(netref_strerror(NETREF_ELIMIT),
                      "the query is too large to answer");
  ASSERT_OK(nr_connectors_bounded(db, "s", o, 104, &rows));
  expect_rows(rows, "x1:2:12 y1:1:12");
  netref_rows_free(rows);
  /* At k = 1 there is no advice to ask with fewer hops. */
  ASSERT_OK(netref_options_set_hops(o, 1));
  assert_int_equal(nr_connectors_bounded(db, "s", o, 1, &rows), NETREF_ELIMIT);
  assert_null(strstr(netref_errmsg(db), "fewer hops"));
  assert_non_null(strstr(netref_errmsg(db), "4 people and 6 ties"));
  /* A network of one costs nothing and is never refused. */
  ASSERT_OK(netref_person_add(db, "lone", NULL));
  ASSERT_OK(nr_connectors_bounded(db, "lone", o, 0, &rows));
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  /* The handle works on after a refusal. */
  check(db, "s", 2, 0, "y1:1:3");
  netref_options_free(o);
  netref_close(db);
}

/* ------------------------------------------------------------------ */
/* The igraph boundary                                                 */

static int host_errors;
static void host_handler(const char *reason, const char *file, int line,
                         igraph_error_t err) {
  (void)reason;
  (void)file;
  (void)line;
  (void)err;
  host_errors++;
  IGRAPH_FINALLY_FREE();
}

static void host_warning(const char *reason, const char *file, int line) {
  (void)reason;
  (void)file;
  (void)line;
}

static void test_igraph_boundary(void **state) {
  (void)state;
  /* The host program's handlers are back after the call. */
  igraph_error_handler_t *prev_error = igraph_set_error_handler(host_handler);
  igraph_warning_handler_t *prev_warning =
      igraph_set_warning_handler(host_warning);
  netref_db *db = net_from(BRIDGE);
  check(db, "s", 3, 0, "x1:2:12 y1:1:12");
  assert_ptr_equal(igraph_set_error_handler(host_handler), host_handler);
  assert_ptr_equal(igraph_set_warning_handler(host_warning), host_warning);

  /* An igraph error inside the boundary returns (no abort), goes to
   * netref's handler (not the host's), and becomes a netref code with
   * igraph's message. */
  struct nr_igraph_guard guard;
  igraph_integer_t bad_edges[] = {0, -1}; /* a negative vertex id */
  igraph_vector_int_t ev;
  igraph_t g;
  int rc = NETREF_OK;
  /* No assertion until the lock is released again. */
  nr_igraph_enter(&guard, db);
  igraph_vector_int_view(&ev, bad_edges, 2);
  igraph_error_t err = igraph_create(&g, &ev, 2, IGRAPH_UNDIRECTED);
  if (err == IGRAPH_SUCCESS)
    igraph_destroy(&g);
  else
    rc = nr_igraph_fail(db, err, "test");
  int stack = IGRAPH_FINALLY_STACK_SIZE();
  nr_igraph_leave(&guard);
  assert_int_not_equal(err, IGRAPH_SUCCESS);
  assert_int_equal(stack, 0);
  assert_int_equal(rc, NETREF_ERROR);
  assert_int_equal(host_errors, 0);
  assert_true(strncmp(netref_errmsg(db), "test: ", 6) == 0);
  assert_true(strlen(netref_errmsg(db)) >
              strlen("test: ") + strlen(igraph_strerror(err)));
  assert_ptr_equal(igraph_set_error_handler(host_handler), host_handler);
  /* The mapping of codes. */
  int codes[4];
  nr_igraph_enter(&guard, db);
  codes[0] = nr_igraph_fail(db, IGRAPH_ENOMEM, "x");
  codes[1] = nr_igraph_fail(db, IGRAPH_EOVERFLOW, "x");
  codes[2] = nr_igraph_fail(db, IGRAPH_EINVAL, "x");
  codes[3] = nr_igraph_fail(db, IGRAPH_INTERRUPTED, "x");
  nr_igraph_leave(&guard);
  assert_int_equal(codes[0], NETREF_ENOMEM);
  assert_int_equal(codes[1], NETREF_ELIMIT);
  assert_int_equal(codes[2], NETREF_ERROR);
  assert_int_equal(codes[3], NETREF_ECANCELED);

  igraph_set_error_handler(prev_error);
  igraph_set_warning_handler(prev_warning);
  netref_close(db);
}

/* Separate handles on separate threads: the igraph calls are serialized
 * inside, every answer is right. */
struct worker {
  int rounds, bad;
};

static void *work(void *arg) {
  struct worker *w = arg;
  netref_db *db = NULL;
  if (netref_open(":memory:", &db) != NETREF_OK) {
    w->bad = 1;
    return NULL;
  }
  const char *people[] = {"s", "a2", "a3", "y1", "x1", "b2", "b3", "b4"};
  const char *ties[][2] = {
      {"s", "a2"},  {"s", "a3"},  {"s", "y1"},  {"a2", "a3"}, {"a2", "y1"},
      {"a3", "y1"}, {"x1", "b2"}, {"x1", "b3"}, {"x1", "b4"}, {"b2", "b3"},
      {"b2", "b4"}, {"b3", "b4"}, {"y1", "x1"}};
  for (size_t i = 0; i < 8; i++)
    w->bad |= netref_person_add(db, people[i], NULL) != NETREF_OK;
  for (size_t i = 0; i < 13; i++)
    w->bad |=
        t_tie_set(db, ties[i][0], ties[i][1], 0.5, NULL, NULL) != NETREF_OK;
  netref_options *o = NULL;
  w->bad |= netref_options_new(&o) != NETREF_OK;
  w->bad |= netref_options_set_hops(o, 3) != NETREF_OK;
  for (int r = 0; r < w->rounds && !w->bad; r++) {
    netref_rows *rows = NULL;
    w->bad |= netref_connectors(db, "s", o, &rows) != NETREF_OK;
    w->bad |= netref_rows_count(rows) != 2 ||
              strcmp(netref_rows_text(rows, 0, 0), "x1") != 0 ||
              netref_rows_real(rows, 1, 3) != 12;
    netref_rows_free(rows);
  }
  netref_options_free(o);
  netref_close(db);
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  enum { N = 4 };
  pthread_t t[N];
  struct worker w[N];
  for (int i = 0; i < N; i++) {
    w[i] = (struct worker){.rounds = 200};
    assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
  }
  for (int i = 0; i < N; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(w[i].bad, 0);
  }
}

/* ------------------------------------------------------------------ */
/* Reference check on random networks                                  */

#define MAXN 10
#define KEYSZ 8

typedef struct {
  int n;
  char key[MAXN][KEYSZ];
  int tied[MAXN][MAXN];
} network;

/* Hop distances and shortest-path counts among the people in[] of the
 * network restricted to them (all-pairs, by powers of the adjacency
 * matrix): d[a][b] = -1 when b is not reachable. */
static void paths(const network *net, const int *in, int d[MAXN][MAXN],
                  double sigma[MAXN][MAXN]) {
  int n = net->n;
  double p[MAXN][MAXN], q[MAXN][MAXN];
  for (int a = 0; a < n; a++)
    for (int b = 0; b < n; b++) {
      p[a][b] = a == b; /* A^0 */
      d[a][b] = a == b && in[a] ? 0 : -1;
      sigma[a][b] = a == b && in[a] ? 1 : 0;
    }
  for (int len = 1; len < n; len++) {
    for (int a = 0; a < n; a++)
      for (int b = 0; b < n; b++) {
        double x = 0;
        for (int c = 0; c < n; c++)
          if (in[c] && in[b] && net->tied[c][b])
            x += p[a][c];
        q[a][b] = in[a] ? x : 0;
      }
    for (int a = 0; a < n; a++)
      for (int b = 0; b < n; b++) {
        p[a][b] = q[a][b];
        if (d[a][b] < 0 && p[a][b] > 0) {
          d[a][b] = len;
          sigma[a][b] = p[a][b];
        }
      }
  }
}

typedef struct {
  int v, hops;
  double b;
} expect_row;

/* The model's rows for source s and hop limit k, unordered; returns
 * their count. */
static int model(const network *net, int s, int k, expect_row *out) {
  int all[MAXN], in[MAXN], d[MAXN][MAXN], dist[MAXN][MAXN];
  double sigma[MAXN][MAXN], sig[MAXN][MAXN];
  for (int v = 0; v < net->n; v++)
    all[v] = 1;
  paths(net, all, dist, sig);
  for (int v = 0; v < net->n; v++)
    in[v] = dist[s][v] >= 0 && dist[s][v] <= k;
  paths(net, in, d, sigma);
  int n = 0;
  for (int v = 0; v < net->n; v++) {
    if (!in[v] || v == s)
      continue;
    double b = 0;
    for (int a = 0; a < net->n; a++)
      for (int c = a + 1; c < net->n; c++) {
        if (a == v || c == v || !in[a] || !in[c] || d[a][c] < 0)
          continue;
        if (d[a][v] >= 0 && d[v][c] >= 0 && d[a][v] + d[v][c] == d[a][c])
          b += sigma[a][v] * sigma[v][c] / sigma[a][c];
      }
    if (b > 0)
      out[n++] = (expect_row){v, dist[s][v], b};
  }
  return n;
}

static int check_random(const network *net, netref_db *db, int s, int k,
                        int limit) {
  expect_row exp[MAXN];
  int n = model(net, s, k, exp);
  netref_rows *rows = connectors(db, net->key[s], k, limit);
  size_t got = netref_rows_count(rows);
  size_t want = limit > 0 && limit < n ? (size_t)limit : (size_t)n;
  int bad = got != want;
  double lowest = INFINITY;
  for (size_t i = 0; !bad && i < got; i++) {
    const char *key = netref_rows_text(rows, i, 0);
    double b = netref_rows_real(rows, i, 3);
    int j = 0;
    while (j < n && strcmp(net->key[exp[j].v], key) != 0)
      j++;
    bad |= j == n || netref_rows_real(rows, i, 2) != exp[j].hops ||
           fabs(b - exp[j].b) > 1e-9;
    /* The library's own order: betweenness descending, then key. */
    if (i > 0) {
      double pb = netref_rows_real(rows, i - 1, 3);
      bad |= pb < b ||
             (pb == b && strcmp(netref_rows_text(rows, i - 1, 0), key) >= 0);
    }
    lowest = b;
  }
  /* With a limit: nobody left out ranks clearly above the last row. */
  for (int j = 0; !bad && got < (size_t)n && j < n; j++) {
    int shown = 0;
    for (size_t i = 0; i < got; i++)
      shown |= strcmp(netref_rows_text(rows, i, 0), net->key[exp[j].v]) == 0;
    bad |= !shown && exp[j].b > lowest + 1e-9;
  }
  if (bad) {
    print_error("connectors mismatch: source %s, k %d, limit %d\n", net->key[s],
                k, limit);
    for (int j = 0; j < n; j++)
      print_error("  expected %s hops %d betweenness %.17g\n",
                  net->key[exp[j].v], exp[j].hops, exp[j].b);
    for (size_t i = 0; i < got; i++)
      print_error("  got      %s hops %g betweenness %.17g\n",
                  netref_rows_text(rows, i, 0), netref_rows_real(rows, i, 2),
                  netref_rows_real(rows, i, 3));
  }
  netref_rows_free(rows);
  return bad;
}

static uint64_t env_u64(const char *name, uint64_t dflt) {
  const char *v = getenv(name);
  return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void test_random_networks(void **state) {
  (void)state;
  uint64_t seed = env_u64("NETREF_REF_SEED", 0x636f6e6e6563746fULL);
  int count = (int)env_u64("NETREF_REF_NETWORKS", 400);
  int failures = 0;
  long rows_checked = 0;
  for (int i = 0; i < count && failures < 3; i++) {
    rng r = {seed + (uint64_t)i * 0x1000193ULL};
    network net = {.n = 2 + rng_int(&r, MAXN - 1)};
    for (int v = 0; v < net.n; v++)
      random_unique_key(&r, &net.key[0][0], KEYSZ, v);
    double density = 0.15 + 0.6 * rng_open01(&r);
    int pa[MAXN * MAXN], pb[MAXN * MAXN];
    int np = shuffled_pairs(&r, net.n, pa, pb);
    netref_db *db = NULL;
    ASSERT_OK(netref_open(":memory:", &db));
    for (int v = 0; v < net.n; v++)
      ASSERT_OK(netref_person_add(db, net.key[v], NULL));
    for (int e = 0; e < np; e++)
      if (rng_chance(&r, density)) {
        net.tied[pa[e]][pb[e]] = net.tied[pb[e]][pa[e]] = 1;
        ASSERT_OK(t_tie_set(db, net.key[pa[e]], net.key[pb[e]], rng_open01(&r),
                            NULL, NULL));
      }
    int bad = 0;
    for (int q = 0; q < 4; q++) {
      int s = rng_int(&r, net.n), k = 1 + rng_int(&r, 4);
      int limit = rng_int(&r, 4) == 0 ? 1 + rng_int(&r, 3) : 0;
      bad |= check_random(&net, db, s, k, limit);
      rows_checked++;
    }
    if (bad) {
      print_error("network %d (seed 0x%llx): n=%d\n", i,
                  (unsigned long long)(seed + (uint64_t)i * 0x1000193ULL),
                  net.n);
      failures++;
    }
    netref_close(db);
  }
  assert_int_equal(failures, 0);
  assert_true(rows_checked > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_star),
      cmocka_unit_test(test_bridge),
      cmocka_unit_test(test_ties_at_the_edge_count),
      cmocka_unit_test(test_multiple_shortest_paths),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_refusal),
      cmocka_unit_test(test_igraph_boundary),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_random_networks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
