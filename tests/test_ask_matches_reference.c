/*
 * Reference test of netref_ask_first() and netref_matches().
 *
 * The model is the header's definition, transcribed with an exhaustive
 * walk enumerator unlike lib/reach.c:
 *
 * - R_c(t), the best product of strengths over walks of at most j ties
 *   from c to t that never pass through s (nor through c again), is found
 *   by a depth-first enumeration of EVERY such walk, products formed from
 *   c outward; reach from s likewise (walks never returning to s).
 * - ask_first: for each contact c of s, reachvia(c, t) = strength(s,c) *
 *   R_c(t) (strength(s,c) for t == c) over the targets t != s holding the
 *   tag in the role; the values > 0 sorted largest first (equal values by
 *   key) are summed in that order; top = the first three.
 * - matches: every (needer, provider, need tag) with both reached from
 *   s within k, different, not tied, where the provider offers a tag the
 *   need matches (the closest one: the tag itself, an alias, a narrower
 *   tag); score = weight * reach(n) * reach(p); then one row per
 *   (needer, provider): the best score, then the need tag, then the
 *   offered tag in byte order.
 * - the taxonomy: one random relation between "party planner" and
 *   "party planning" (none, alias, either one narrower), written out
 *   as the header defines matching; exact matching sometimes.
 * - limits: the limited answer is the first rows of the unlimited one,
 *   on larger random networks with many equal scores; the bounds on
 *   candidate pairs (nr_matches_bounded with small bounds, and
 *   NETREF_MATCHES_MAX_ROWS itself).
 *
 * Every row and the order are compared with the library on many small
 * random networks built through the public API (keys in an order unlike
 * the order of insertion, dyadic or arbitrary strengths, sometimes a
 * half-life), and hand-built networks with answers written out.
 *
 * Environment: NETREF_REF_SEED (base seed), NETREF_REF_NETWORKS (default
 * 300).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "netref.h"
#include "writes.h"

#define MAXN 8
#define NTAGS 4
#define KEYSZ 8
#define TODAY "2025-06-15"

static const char *const TAGS[NTAGS] = {"design", "legal", "party planner",
                                        "party planning"};
enum { PLANNER = 2, PLANNING = 3 };
/* The relation between "party planner" and "party planning". */
enum { REL_NONE, REL_ALIAS, REL_PLANNER_NARROWER, REL_PLANNING_NARROWER };
/* How a tag relates to a query (the NR_MATCH_* order: closest first). */
enum { NO_MATCH, SELF, ALIAS, NARROWER };
static const double DYADIC[4] = {0.25, 0.5, 0.75, 1.0};

typedef struct {
  uint64_t s;
} rng;

static uint64_t rng_next(rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static int rng_int(rng *r, int n) { return (int)(rng_next(r) % (uint64_t)n); }

/* ------------------------------------------------------------------ */
/* The model network                                                   */

typedef struct {
  int n;
  char key[MAXN][KEYSZ];
  double w[MAXN][MAXN]; /* strength as queries use it; 0: no tie */
  int tied[MAXN][MAXN];
  int offers[MAXN][NTAGS];
  double need[MAXN][NTAGS]; /* weight; 0: no need */
  int rel;                  /* REL_* */
} network;

/* How stored tag t relates to a query for tag q: the header's matching
 * with one relation, no transitivity needed. */
static int match_how(const network *net, int q, int t, int exact) {
  if (q == t)
    return SELF;
  if (exact)
    return NO_MATCH;
  int planners =
      (q == PLANNER && t == PLANNING) || (q == PLANNING && t == PLANNER);
  if (planners && net->rel == REL_ALIAS)
    return ALIAS;
  if (q == PLANNING && t == PLANNER && net->rel == REL_PLANNER_NARROWER)
    return NARROWER;
  if (q == PLANNER && t == PLANNING && net->rel == REL_PLANNING_NARROWER)
    return NARROWER;
  return NO_MATCH;
}

/* Whether anyone offers or needs the tag, or the taxonomy names it: a
 * query for another tag fails with NETREF_ENOTFOUND. */
static int tag_known(const network *net, int tag) {
  if (net->rel != REL_NONE && (tag == PLANNER || tag == PLANNING))
    return 1;
  for (int p = 0; p < net->n; p++)
    if (net->offers[p][tag] || net->need[p][tag] > 0)
      return 1;
  return 0;
}

/* Build the model's network in a new in-memory database. */
static netref_db *net_build(const network *net, const double raw[MAXN][MAXN],
                            const int age[MAXN][MAXN]) {
  netref_db *db = NULL;
  assert_int_equal(netref_open(":memory:", &db), NETREF_OK);
  for (int i = 0; i < net->n; i++)
    assert_int_equal(netref_person_add(db, net->key[i], NULL), NETREF_OK);
  for (int i = 0; i < net->n; i++)
    for (int j = i + 1; j < net->n; j++) {
      if (!net->tied[i][j])
        continue;
      char date[16];
      const char *d = NULL;
      if (age && age[i][j] >= 0) {
        /* TODAY minus age days, age < 28: stays in May or June */
        unsigned day = (unsigned)(15 - age[i][j] + 31) % 64u;
        if (day > 31)
          snprintf(date, sizeof date, "2025-06-%02u", day - 31);
        else
          snprintf(date, sizeof date, "2025-05-%02u", day);
        d = date;
      }
      assert_int_equal(
          t_tie_set(db, net->key[i], net->key[j], raw[i][j], d, NULL),
          NETREF_OK);
    }
  for (int i = 0; i < net->n; i++)
    for (int t = 0; t < NTAGS; t++) {
      if (net->offers[i][t])
        assert_int_equal(t_offer_set(db, net->key[i], TAGS[t], NULL),
                         NETREF_OK);
      if (net->need[i][t] > 0)
        assert_int_equal(t_need_set(db, net->key[i], TAGS[t], net->need[i][t]),
                         NETREF_OK);
    }
  if (net->rel == REL_ALIAS)
    assert_int_equal(netref_tag_relate(db, TAGS[PLANNER], NETREF_RELATION_ALIAS,
                                       TAGS[PLANNING]),
                     NETREF_OK);
  if (net->rel == REL_PLANNER_NARROWER)
    assert_int_equal(netref_tag_relate(db, TAGS[PLANNER],
                                       NETREF_RELATION_BROADER, TAGS[PLANNING]),
                     NETREF_OK);
  if (net->rel == REL_PLANNING_NARROWER)
    assert_int_equal(netref_tag_relate(db, TAGS[PLANNING],
                                       NETREF_RELATION_BROADER, TAGS[PLANNER]),
                     NETREF_OK);
  return db;
}

/* best[v]: the largest product over walks of at most `left` more ties
 * from v onward, given the product so far; walks avoid banned people. */
static void walks(const network *net, int v, double prod, int left,
                  const int *ban, double *best) {
  if (prod > best[v])
    best[v] = prod;
  if (left == 0)
    return;
  for (int u = 0; u < net->n; u++)
    if (net->tied[v][u] && !ban[u])
      walks(net, u, prod * net->w[v][u], left - 1, ban, best);
}

/* Products from a start, never returning to it nor through `avoid`
 * (-1: none); -1 for people not reached, best[start] = -1 too. */
static void best_from(const network *net, int start, int avoid, int hops,
                      double *best) {
  int ban[MAXN] = {0};
  ban[start] = 1;
  if (avoid >= 0)
    ban[avoid] = 1;
  for (int i = 0; i < net->n; i++)
    best[i] = -1;
  if (hops > 0)
    for (int u = 0; u < net->n; u++)
      if (net->tied[start][u] && !ban[u])
        walks(net, u, 1.0 * net->w[start][u], hops - 1, ban, best);
  best[start] = -1;
}

/* ------------------------------------------------------------------ */
/* ask_first reference                                                 */

typedef struct {
  int c;
  double score;
  int reached;
  int top[3], ntop;
} ask_row;

typedef struct {
  int t;
  double v;
} via;

static const network *cmp_net;

static int via_cmp(const void *a, const void *b) {
  const via *x = a, *y = b;
  if (x->v != y->v)
    return x->v > y->v ? -1 : 1;
  return strcmp(cmp_net->key[x->t], cmp_net->key[y->t]);
}

static int ask_cmp(const void *a, const void *b) {
  const ask_row *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp(cmp_net->key[x->c], cmp_net->key[y->c]);
}

/* Whether p holds, in the role, a tag a query for `tag` matches. */
static int holds(const network *net, int p, int tag, int role, int exact) {
  for (int t = 0; t < NTAGS; t++)
    if (match_how(net, tag, t, exact) != NO_MATCH &&
        (((role & NETREF_ROLE_OFFERS) && net->offers[p][t]) ||
         ((role & NETREF_ROLE_NEEDS) && net->need[p][t] > 0)))
      return 1;
  return 0;
}

/* R[c][t] precomputed per contact: best_from(c, avoid s, k-1). */
static int ref_ask(const network *net, int s, int tag, int role, int exact,
                   double R[MAXN][MAXN], ask_row *out) {
  int n = 0;
  cmp_net = net;
  for (int c = 0; c < net->n; c++) {
    if (!net->tied[s][c])
      continue;
    via v[MAXN];
    int nv = 0;
    for (int t = 0; t < net->n; t++) {
      if (t == s || !holds(net, t, tag, role, exact))
        continue;
      double x =
          t == c ? net->w[s][c] : (R[c][t] >= 0 ? net->w[s][c] * R[c][t] : 0);
      if (x > 0)
        v[nv++] = (via){t, x};
    }
    if (nv == 0)
      continue;
    qsort(v, (size_t)nv, sizeof *v, via_cmp);
    ask_row r = {.c = c};
    for (int i = 0; i < nv; i++) {
      r.score += v[i].v;
      r.reached++;
      if (r.ntop < 3)
        r.top[r.ntop++] = v[i].t;
    }
    out[n++] = r;
  }
  if (n > 1)
    qsort(out, (size_t)n, sizeof *out, ask_cmp);
  return n;
}

static int check_ask(const network *net, netref_db *db, int s, int tag,
                     int role, int k, int limit, int exact,
                     const char *half_life, double R[MAXN][MAXN]) {
  ask_row exp[MAXN];
  int n = ref_ask(net, s, tag, role, exact, R, exp);
  if (limit > 0 && limit < n)
    n = limit;
  netref_options *o;
  netref_rows *rows = NULL;
  assert_int_equal(netref_options_new(&o), NETREF_OK);
  assert_int_equal(netref_options_set_hops(o, k), NETREF_OK);
  assert_int_equal(netref_options_set_limit(o, limit), NETREF_OK);
  assert_int_equal(netref_options_set_today(o, TODAY), NETREF_OK);
  assert_int_equal(netref_options_set_exact(o, exact), NETREF_OK);
  if (half_life)
    assert_int_equal(netref_options_set_half_life(o, atof(half_life)),
                     NETREF_OK);
  int rc = netref_ask_first(db, net->key[s], TAGS[tag], role, o, &rows);
  netref_options_free(o);
  if (!tag_known(net, tag)) {
    assert_int_equal(rc, NETREF_ENOTFOUND);
    assert_null(rows);
    return 0;
  }
  assert_int_equal(rc, NETREF_OK);
  int bad = (int)netref_rows_count(rows) != n;
  assert_int_equal(netref_rows_columns(rows), 7);
  for (int i = 0; !bad && i < n; i++) {
    bad |= strcmp(netref_rows_text(rows, (size_t)i, 0), net->key[exp[i].c]);
    bad |= netref_rows_real(rows, (size_t)i, 2) != exp[i].score;
    bad |= netref_rows_real(rows, (size_t)i, 3) != exp[i].reached;
    for (int j = 0; j < 3; j++) {
      const char *got = netref_rows_text(rows, (size_t)i, (size_t)(4 + j));
      if (j < exp[i].ntop)
        bad |= !got || strcmp(got, net->key[exp[i].top[j]]);
      else
        bad |= got != NULL;
    }
  }
  if (bad) {
    print_error("ask_first mismatch: source %s tag %s role %d k %d "
                "exact %d rel %d\n",
                net->key[s], TAGS[tag], role, k, exact, net->rel);
    for (int i = 0; i < n; i++)
      print_error("  expected %s %.17g %d\n", net->key[exp[i].c], exp[i].score,
                  exp[i].reached);
    for (size_t i = 0; i < netref_rows_count(rows); i++)
      print_error("  got      %s %.17g %g\n", netref_rows_text(rows, i, 0),
                  netref_rows_real(rows, i, 2), netref_rows_real(rows, i, 3));
  }
  netref_rows_free(rows);
  return bad;
}

/* ------------------------------------------------------------------ */
/* matches reference                                                   */

typedef struct {
  int a, b, tag, offer;
  double score, ra, rb;
} match_row;

/* The result order: score, then needer key, then provider key (one row
 * per pair). */
static int match_cmp(const void *x_, const void *y_) {
  const match_row *x = x_, *y = y_;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  int c = strcmp(cmp_net->key[x->a], cmp_net->key[y->a]);
  if (c)
    return c;
  return strcmp(cmp_net->key[x->b], cmp_net->key[y->b]);
}

/* Whether row x rather than y (same needer and provider) names the
 * pair: the best score, then the need tag, then the offered tag. */
static int names_better(const match_row *x, const match_row *y) {
  if (x->score != y->score)
    return x->score > y->score;
  int c = strcmp(TAGS[x->tag], TAGS[y->tag]);
  if (c)
    return c < 0;
  return strcmp(TAGS[x->offer], TAGS[y->offer]) < 0;
}

/* The tag b offers that a need for t matches, the closest first (self,
 * alias, narrower), then in byte order; -1 when none. */
static int closest_offer(const network *net, int b, int t, int exact) {
  int best = -1;
  for (int o = 0; o < NTAGS; o++) {
    int how = match_how(net, t, o, exact);
    if (how == NO_MATCH || !net->offers[b][o])
      continue;
    int bh = best < 0 ? 0 : match_how(net, t, best, exact);
    if (best < 0 || how < bh || (how == bh && strcmp(TAGS[o], TAGS[best]) < 0))
      best = o;
  }
  return best;
}

#define MAXM (MAXN * MAXN)

/* Pairs the model found through more than one need (for coverage). */
static long pairs_named_among_several;

static int ref_matches(const network *net, const double *reach, int only,
                       int exact, match_row *out) {
  int n = 0;
  cmp_net = net;
  for (int a = 0; a < net->n; a++)
    for (int b = 0; b < net->n; b++) {
      if (b == a || reach[a] < 0 || reach[b] < 0 || net->tied[a][b])
        continue;
      match_row best = {.a = -1};
      int found = 0;
      for (int t = 0; t < NTAGS; t++) {
        if (only >= 0 && match_how(net, only, t, exact) == NO_MATCH)
          continue;
        int o = closest_offer(net, b, t, exact);
        if (net->need[a][t] <= 0 || o < 0)
          continue;
        match_row m = {
            a,        b,       t, o, net->need[a][t] * reach[a] * reach[b],
            reach[a], reach[b]};
        if (best.a < 0 || names_better(&m, &best))
          best = m;
        found++;
      }
      pairs_named_among_several += found > 1;
      if (best.a >= 0)
        out[n++] = best;
    }
  if (n > 1)
    qsort(out, (size_t)n, sizeof *out, match_cmp);
  return n;
}

static netref_options *query_opts(int k, int limit, int exact,
                                  const char *half_life) {
  netref_options *o;
  assert_int_equal(netref_options_new(&o), NETREF_OK);
  assert_int_equal(netref_options_set_hops(o, k), NETREF_OK);
  assert_int_equal(netref_options_set_limit(o, limit), NETREF_OK);
  assert_int_equal(netref_options_set_today(o, TODAY), NETREF_OK);
  assert_int_equal(netref_options_set_exact(o, exact), NETREF_OK);
  if (half_life)
    assert_int_equal(netref_options_set_half_life(o, atof(half_life)),
                     NETREF_OK);
  return o;
}

static int check_matches(const network *net, netref_db *db, int s, int only,
                         int k, int limit, int exact, const char *half_life) {
  static match_row exp[MAXM];
  double reach[MAXN];
  best_from(net, s, -1, k, reach);
  int n = ref_matches(net, reach, only, exact, exp);
  if (limit > 0 && limit < n)
    n = limit;
  netref_rows *rows = NULL;
  netref_options *o = query_opts(k, limit, exact, half_life);
  int rc =
      netref_matches(db, net->key[s], only >= 0 ? TAGS[only] : NULL, o, &rows);
  netref_options_free(o);
  if (only >= 0 && !tag_known(net, only)) {
    assert_int_equal(rc, NETREF_ENOTFOUND);
    assert_null(rows);
    return 0;
  }
  assert_int_equal(rc, NETREF_OK);
  assert_int_equal(netref_rows_columns(rows), 9);
  int bad = (int)netref_rows_count(rows) != n;
  for (int i = 0; !bad && i < n; i++) {
    size_t r = (size_t)i;
    bad |= strcmp(netref_rows_text(rows, r, 0), net->key[exp[i].a]);
    bad |= strcmp(netref_rows_text(rows, r, 2), net->key[exp[i].b]);
    bad |= strcmp(netref_rows_text(rows, r, 4), TAGS[exp[i].tag]);
    bad |= strcmp(netref_rows_text(rows, r, 8), TAGS[exp[i].offer]);
    bad |= netref_rows_real(rows, r, 5) != exp[i].score;
    bad |= netref_rows_real(rows, r, 6) != exp[i].ra;
    bad |= netref_rows_real(rows, r, 7) != exp[i].rb;
  }
  if (bad) {
    print_error("matches mismatch: source %s tag %s k %d limit %d "
                "exact %d rel %d\n",
                net->key[s], only >= 0 ? TAGS[only] : "(all)", k, limit, exact,
                net->rel);
    for (int i = 0; i < n; i++)
      print_error("  expected %s %s %s/%s %.17g\n", net->key[exp[i].a],
                  net->key[exp[i].b], TAGS[exp[i].tag], TAGS[exp[i].offer],
                  exp[i].score);
    for (size_t i = 0; i < netref_rows_count(rows); i++)
      print_error("  got      %s %s %s/%s %.17g\n",
                  netref_rows_text(rows, i, 0), netref_rows_text(rows, i, 2),
                  netref_rows_text(rows, i, 4), netref_rows_text(rows, i, 8),
                  netref_rows_real(rows, i, 5));
  }
  netref_rows_free(rows);
  return bad;
}

/* ------------------------------------------------------------------ */
/* Random networks                                                     */

static void random_network(rng *r, network *net, double raw[MAXN][MAXN],
                           int age[MAXN][MAXN], int *with_dates) {
  memset(net, 0, sizeof *net);
  net->n = 2 + rng_int(r, MAXN - 1);
  /* Keys whose byte order differs from the order they are added in. */
  for (int i = 0; i < net->n; i++) {
    int dup;
    do {
      snprintf(net->key[i], KEYSZ, "%c%d", 'a' + rng_int(r, 6), rng_int(r, 10));
      dup = 0;
      for (int j = 0; j < i; j++)
        dup |= !strcmp(net->key[i], net->key[j]);
    } while (dup);
  }
  int dyadic = rng_int(r, 2);
  double density = 0.2 + 0.6 * (double)(rng_next(r) >> 11) * 0x1p-53;
  *with_dates = rng_int(r, 3) == 0;
  for (int i = 0; i < net->n; i++)
    for (int j = i + 1; j < net->n; j++) {
      age[i][j] = age[j][i] = -1;
      if ((double)(rng_next(r) >> 11) * 0x1p-53 >= density)
        continue;
      double s = dyadic ? DYADIC[rng_int(r, 4)]
                        : (double)(1 + rng_int(r, 1000)) / 1000.0;
      raw[i][j] = raw[j][i] = s;
      net->tied[i][j] = net->tied[j][i] = 1;
      if (*with_dates && rng_int(r, 4))
        age[i][j] = age[j][i] = rng_int(r, 28);
    }
  for (int i = 0; i < net->n; i++)
    for (int t = 0; t < NTAGS; t++) {
      net->offers[i][t] = rng_int(r, 3) == 0;
      if (rng_int(r, 3) == 0)
        net->need[i][t] = DYADIC[rng_int(r, 4)];
    }
  net->rel = rng_int(r, 4);
}

/* The strengths the queries use: decayed as netref_options_set_half_life
 * documents when a half-life is given. */
static void effective(network *net, const double raw[MAXN][MAXN],
                      const int age[MAXN][MAXN], double half_life) {
  for (int i = 0; i < net->n; i++)
    for (int j = 0; j < net->n; j++) {
      if (!net->tied[i][j])
        continue;
      double w = raw[i][j];
      if (half_life > 0 && age[i][j] >= 0)
        w = w * pow(0.5, (double)age[i][j] / half_life);
      net->w[i][j] = w;
    }
}

static uint64_t env_u64(const char *name, uint64_t dflt) {
  const char *v = getenv(name);
  return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void test_random_networks(void **state) {
  (void)state;
  uint64_t seed = env_u64("NETREF_REF_SEED", 0x61736b6d61746368ULL);
  int count = (int)env_u64("NETREF_REF_NETWORKS", 300);
  int failures = 0;
  long rows_checked = 0;
  for (int i = 0; i < count && failures < 3; i++) {
    rng r = {seed + (uint64_t)i * 0x1000193ULL};
    static network net;
    double raw[MAXN][MAXN] = {{0}};
    int age[MAXN][MAXN];
    int with_dates;
    random_network(&r, &net, raw, age, &with_dates);
    const char *hl = with_dates && rng_int(&r, 2) ? "10" : NULL;
    effective(&net, raw, age, hl ? 10.0 : 0.0);
    netref_db *db = net_build(&net, raw, with_dates ? age : NULL);
    int k = 1 + rng_int(&r, 6);
    int s = rng_int(&r, net.n);
    double R[MAXN][MAXN];
    for (int c = 0; c < net.n; c++)
      if (net.tied[s][c])
        best_from(&net, c, s, k - 1, R[c]);
    int bad = 0;
    int exact = rng_int(&r, 4) == 0;
    for (int tag = 0; tag < NTAGS; tag++)
      for (int role = 1; role <= 3; role++) {
        int limit = rng_int(&r, 4) == 0 ? 1 + rng_int(&r, 3) : 0;
        bad |= check_ask(&net, db, s, tag, role, k, limit, exact, hl, R);
        rows_checked++;
      }
    int km = 1 + rng_int(&r, 4);
    bad |= check_matches(&net, db, s, -1, km, 0, exact, hl);
    bad |= check_matches(&net, db, s, rng_int(&r, NTAGS), km, 0, exact, hl);
    bad |= check_matches(&net, db, s, -1, km, 1 + rng_int(&r, 4), exact, hl);
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
  /* The networks did test one row per pair: some needer had several
   * needs a provider's offers match. */
  assert_true(pairs_named_among_several > 0);
}

/* ------------------------------------------------------------------ */
/* Hand-built cases                                                    */

/* s - a (0.5), s - b (1), a - c (0.5), b - c (0.25), c - d (1), b - e
 * (0.5); d needs tax, a needs tax (0.5), c and e offer tax. */
static netref_db *hand(void) {
  netref_db *db = NULL;
  assert_int_equal(netref_open(":memory:", &db), NETREF_OK);
  const char *people[] = {"s", "a", "b", "c", "d", "e"};
  for (int i = 0; i < 6; i++)
    assert_int_equal(netref_person_add(db, people[i], NULL), NETREF_OK);
  assert_int_equal(t_tie_set(db, "s", "a", 0.5, NULL, NULL), NETREF_OK);
  assert_int_equal(t_tie_set(db, "s", "b", 1, NULL, NULL), NETREF_OK);
  assert_int_equal(t_tie_set(db, "a", "c", 0.5, NULL, NULL), NETREF_OK);
  assert_int_equal(t_tie_set(db, "b", "c", 0.25, NULL, NULL), NETREF_OK);
  assert_int_equal(t_tie_set(db, "c", "d", 1, NULL, NULL), NETREF_OK);
  assert_int_equal(t_tie_set(db, "b", "e", 0.5, NULL, NULL), NETREF_OK);
  assert_int_equal(t_need_set(db, "d", "Tax", 1), NETREF_OK);
  assert_int_equal(t_need_set(db, "a", "tax", 0.5), NETREF_OK);
  assert_int_equal(t_offer_set(db, "c", "tax", NULL), NETREF_OK);
  assert_int_equal(t_offer_set(db, "e", "tax", NULL), NETREF_OK);
  return db;
}

static netref_options *hops_opts(int k) {
  netref_options *o;
  assert_int_equal(netref_options_new(&o), NETREF_OK);
  assert_int_equal(netref_options_set_hops(o, k), NETREF_OK);
  return o;
}

static void test_hand_ask_first(void **state) {
  (void)state;
  netref_db *db = hand();
  netref_rows *rows;
  netref_options *o = hops_opts(3);
  /* k = 3, any role: through a (0.5): a itself 0.5, c 0.25, d 0.25
   * (a-c-d); b (1): c 0.25, e 0.5, d 0.25 (b-c-d) but not a (only via
   * s, which is banned, or c-a: 0.25 * 0.5 = 0.125). */
  assert_int_equal(netref_ask_first(db, "s", "TAX", NETREF_ROLE_ANY, o, &rows),
                   NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(netref_rows_column_name(rows, 0), "key");
  assert_string_equal(netref_rows_column_name(rows, 3), "reached");
  assert_string_equal(netref_rows_column_name(rows, 6), "top3");
  assert_string_equal(netref_rows_text(rows, 0, 0), "b");
  assert_true(netref_rows_real(rows, 0, 2) == 0.5 + 0.25 + 0.25 + 0.125);
  assert_true(netref_rows_real(rows, 0, 3) == 4);
  assert_string_equal(netref_rows_text(rows, 0, 4), "e");
  assert_string_equal(netref_rows_text(rows, 0, 5), "c");
  assert_string_equal(netref_rows_text(rows, 0, 6), "d");
  assert_string_equal(netref_rows_text(rows, 1, 0), "a");
  assert_true(netref_rows_real(rows, 1, 2) == 1.0);
  assert_true(netref_rows_real(rows, 1, 3) == 3);
  assert_string_equal(netref_rows_text(rows, 1, 4), "a");
  netref_rows_free(rows);
  netref_options_free(o);
  /* k = 1: only contacts who are targets themselves. */
  o = hops_opts(1);
  assert_int_equal(netref_ask_first(db, "s", "tax", NETREF_ROLE_ANY, o, &rows),
                   NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(netref_rows_text(rows, 0, 0), "a");
  assert_null(netref_rows_text(rows, 0, 5));
  netref_rows_free(rows);
  assert_int_equal(
      netref_ask_first(db, "s", "tax", NETREF_ROLE_OFFERS, o, &rows),
      NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  netref_options_free(o);
  /* Defaults (k = 2), offers only: a reaches c (0.25); b reaches c
   * (0.25) and e (0.5). A tag nobody holds: no rows. */
  assert_int_equal(
      netref_ask_first(db, "s", "tax", NETREF_ROLE_OFFERS, NULL, &rows),
      NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(netref_rows_text(rows, 0, 0), "b");
  assert_true(netref_rows_real(rows, 0, 2) == 0.75);
  assert_string_equal(netref_rows_text(rows, 1, 0), "a");
  assert_true(netref_rows_real(rows, 1, 2) == 0.25);
  netref_rows_free(rows);
  /* A tag nobody holds and no taxonomy names is an error. */
  assert_int_equal(
      netref_ask_first(db, "s", "none", NETREF_ROLE_ANY, NULL, &rows),
      NETREF_ENOTFOUND);
  assert_null(rows);
  /* A person with no ties: no rows. */
  assert_int_equal(netref_person_add(db, "z", NULL), NETREF_OK);
  assert_int_equal(
      netref_ask_first(db, "z", "tax", NETREF_ROLE_ANY, NULL, &rows),
      NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  netref_close(db);
}

static void test_hand_matches(void **state) {
  (void)state;
  netref_db *db = hand();
  netref_rows *rows;
  netref_options *o = hops_opts(3);
  /* Needers a (0.5, reach 0.5), d (reach 0.25); providers c (tied to a
   * and d), e (reach 0.5): a-e 0.5*0.5*0.5, d-e 1*0.25*0.5. */
  assert_int_equal(netref_matches(db, "s", NULL, o, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  assert_string_equal(netref_rows_column_name(rows, 0), "needer");
  assert_string_equal(netref_rows_column_name(rows, 7), "provider_reach");
  assert_string_equal(netref_rows_text(rows, 0, 0), "a");
  assert_string_equal(netref_rows_text(rows, 0, 2), "e");
  assert_string_equal(netref_rows_text(rows, 0, 4), "tax");
  assert_true(netref_rows_real(rows, 0, 5) == 0.125);
  assert_true(netref_rows_real(rows, 0, 6) == 0.5);
  assert_true(netref_rows_real(rows, 0, 7) == 0.5);
  assert_string_equal(netref_rows_text(rows, 1, 0), "d");
  assert_true(netref_rows_real(rows, 1, 5) == 0.125);
  netref_rows_free(rows);
  assert_int_equal(netref_options_set_limit(o, 1), NETREF_OK);
  assert_int_equal(netref_matches(db, "s", " TAX ", o, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(netref_rows_text(rows, 0, 0), "a");
  netref_rows_free(rows);
  assert_int_equal(netref_matches(db, "s", "unknown", o, &rows),
                   NETREF_ENOTFOUND);
  assert_null(rows);
  netref_rows_free(rows);
  netref_options_free(o);
  /* Once a and e are tied, that pair is no introduction to make. */
  assert_int_equal(t_tie_set(db, "a", "e", 0.25, NULL, NULL), NETREF_OK);
  o = hops_opts(3);
  assert_int_equal(netref_matches(db, "s", NULL, o, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(netref_rows_text(rows, 0, 0), "d");
  netref_rows_free(rows);
  netref_options_free(o);
  netref_close(db);
}

/* Issue 9: a provider offering two tags that both match one needer's
 * needs (an alias) made two rows of one introduction. */
static void test_matches_list_a_pair_once(void **state) {
  (void)state;
  netref_db *db = NULL;
  assert_int_equal(netref_open(":memory:", &db), NETREF_OK);
  const char *people[] = {"s", "n", "p"};
  for (int i = 0; i < 3; i++)
    assert_int_equal(netref_person_add(db, people[i], NULL), NETREF_OK);
  assert_int_equal(t_tie_set(db, "s", "n", 0.5, NULL, NULL), NETREF_OK);
  assert_int_equal(t_tie_set(db, "s", "p", 0.5, NULL, NULL), NETREF_OK);
  assert_int_equal(netref_tag_relate(db, "party planner", NETREF_RELATION_ALIAS,
                                     "party planning"),
                   NETREF_OK);
  assert_int_equal(t_need_set(db, "n", "party planning", 1), NETREF_OK);
  assert_int_equal(t_need_set(db, "n", "party planner", 1), NETREF_OK);
  assert_int_equal(t_offer_set(db, "p", "party planning", NULL), NETREF_OK);
  assert_int_equal(t_offer_set(db, "p", "party planner", NULL), NETREF_OK);
  netref_rows *rows = NULL;
  /* Equal scores: the need tag first in byte order, and the offer that
   * need matches most closely (itself). */
  assert_int_equal(netref_matches(db, "s", NULL, NULL, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(netref_rows_text(rows, 0, 0), "n");
  assert_string_equal(netref_rows_text(rows, 0, 2), "p");
  assert_string_equal(netref_rows_text(rows, 0, 4), "party planner");
  assert_string_equal(netref_rows_text(rows, 0, 8), "party planner");
  assert_true(netref_rows_real(rows, 0, 5) == 0.25);
  netref_rows_free(rows);
  assert_int_equal(netref_matches(db, "s", "party planning", NULL, &rows),
                   NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  /* The better score names the pair. */
  assert_int_equal(t_need_set(db, "n", "party planner", 0.5), NETREF_OK);
  assert_int_equal(netref_matches(db, "s", NULL, NULL, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(netref_rows_text(rows, 0, 4), "party planning");
  assert_string_equal(netref_rows_text(rows, 0, 8), "party planning");
  assert_true(netref_rows_real(rows, 0, 5) == 0.25);
  netref_rows_free(rows);
  /* Unrelated tags too: one introduction, named by the better need. */
  assert_int_equal(t_need_set(db, "n", "design", 0.75), NETREF_OK);
  assert_int_equal(t_offer_set(db, "p", "design", NULL), NETREF_OK);
  assert_int_equal(t_need_set(db, "n", "legal", 1), NETREF_OK);
  assert_int_equal(t_offer_set(db, "p", "legal", NULL), NETREF_OK);
  assert_int_equal(netref_matches(db, "s", NULL, NULL, &rows), NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 1);
  assert_string_equal(netref_rows_text(rows, 0, 4), "legal");
  netref_rows_free(rows);
  netref_close(db);
}

/* A larger random network for the limit: up to 40 people, strengths of
 * 0.5 and 1 and weights of 0.5 and 1, so that many scores are equal
 * and the key order decides. */
static netref_db *random_big(rng *r, int *n_people) {
  netref_db *db = NULL;
  assert_int_equal(netref_open(":memory:", &db), NETREF_OK);
  int n = 5 + rng_int(r, 36);
  char key[40][KEYSZ];
  for (int i = 0; i < n; i++) {
    /* distinct keys in an order unlike the order of insertion */
    snprintf(key[i], KEYSZ, "k%02d", (i * 17 + 5) % 41);
    assert_int_equal(netref_person_add(db, key[i], NULL), NETREF_OK);
  }
  double density = 0.05 + 0.2 * (double)(rng_next(r) >> 11) * 0x1p-53;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if ((double)(rng_next(r) >> 11) * 0x1p-53 < density)
        assert_int_equal(
            t_tie_set(db, key[i], key[j], rng_int(r, 2) ? 1 : 0.5, NULL, NULL),
            NETREF_OK);
  for (int i = 0; i < n; i++)
    for (int t = 0; t < NTAGS; t++) {
      if (rng_int(r, 3) == 0)
        assert_int_equal(t_offer_set(db, key[i], TAGS[t], NULL), NETREF_OK);
      if (rng_int(r, 3) == 0)
        assert_int_equal(
            t_need_set(db, key[i], TAGS[t], rng_int(r, 2) ? 1 : 0.5),
            NETREF_OK);
    }
  if (rng_int(r, 2))
    assert_int_equal(
        netref_tag_relate(db, TAGS[PLANNER], 1 + rng_int(r, 2), TAGS[PLANNING]),
        NETREF_OK);
  *n_people = n;
  return db;
}

/* Whether two answers have the same row i (every column). */
static int same_row(const netref_rows *x, const netref_rows *y, size_t i) {
  for (size_t c = 0; c < 9; c++) {
    const char *a = netref_rows_text(x, i, c), *b = netref_rows_text(y, i, c);
    if (strcmp(a ? a : "", b ? b : "") != 0)
      return 0;
  }
  return 1;
}

/* A limited answer is exactly the first rows of the unlimited one (the
 * library keeps the best rows in a bounded heap while it runs). */
static void test_limit_keeps_the_first_rows(void **state) {
  (void)state;
  uint64_t seed = env_u64("NETREF_REF_SEED", 0x6c696d6974ULL);
  long compared = 0;
  for (int i = 0; i < 60; i++) {
    rng r = {seed + (uint64_t)i * 0x9E3779B9ULL};
    int n;
    netref_db *db = random_big(&r, &n);
    char source[KEYSZ];
    snprintf(source, KEYSZ, "k%02d", (rng_int(&r, n) * 17 + 5) % 41);
    int k = 1 + rng_int(&r, 4);
    const char *tag = rng_int(&r, 3) ? NULL : TAGS[rng_int(&r, NTAGS)];
    netref_options *o = query_opts(k, 0, 0, NULL);
    netref_rows *all = NULL, *some = NULL;
    int rc = netref_matches(db, source, tag, o, &all);
    if (rc == NETREF_ENOTFOUND) { /* a tag nobody holds */
      netref_options_free(o);
      netref_close(db);
      continue;
    }
    assert_int_equal(rc, NETREF_OK);
    size_t total = netref_rows_count(all);
    for (size_t limit = 1; limit <= total + 1; limit++) {
      assert_int_equal(netref_options_set_limit(o, (int)limit), NETREF_OK);
      assert_int_equal(netref_matches(db, source, tag, o, &some), NETREF_OK);
      size_t want = limit < total ? limit : total;
      assert_int_equal(netref_rows_count(some), want);
      for (size_t j = 0; j < want; j++) {
        if (!same_row(all, some, j))
          print_error("network %d, limit %zu: row %zu differs\n", i, limit, j);
        assert_true(same_row(all, some, j));
        assert_true(netref_rows_real(all, j, 5) ==
                    netref_rows_real(some, j, 5));
      }
      netref_rows_free(some);
      compared++;
    }
    netref_rows_free(all);
    netref_options_free(o);
    netref_close(db);
  }
  assert_true(compared > 100);
}

/* The refusals, with small bounds: from s at 3 hops, needers a and d
 * and providers c and e of tax make 2 x 2 = 4 candidate pairs. */
static void test_matches_bounds(void **state) {
  (void)state;
  netref_db *db = hand();
  netref_options *o = hops_opts(3);
  netref_rows *rows = (netref_rows *)&rows;
  assert_int_equal(nr_matches_bounded(db, "s", NULL, o, 4, 4, &rows),
                   NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  netref_rows_free(rows);
  /* Any query: more pairs to examine than max_pairs. */
  assert_int_equal(nr_matches_bounded(db, "s", NULL, o, 3, 100, &rows),
                   NETREF_ELIMIT);
  assert_null(rows);
  assert_non_null(strstr(netref_errmsg(db), "make 4 candidate pairs"));
  assert_non_null(strstr(netref_errmsg(db), "fewer hops"));
  /* Without a limit: more pairs than max_rows, which a limit lifts. */
  assert_int_equal(nr_matches_bounded(db, "s", " TAX", o, 100, 3, &rows),
                   NETREF_ELIMIT);
  assert_null(rows);
  assert_non_null(strstr(netref_errmsg(db), "make 4 candidate pairs"));
  assert_non_null(strstr(netref_errmsg(db), "ask with a limit of at most 3"));
  assert_int_equal(netref_options_set_limit(o, 4), NETREF_OK);
  assert_int_equal(nr_matches_bounded(db, "s", NULL, o, 100, 3, &rows),
                   NETREF_ELIMIT);
  assert_int_equal(netref_options_set_limit(o, 3), NETREF_OK);
  assert_int_equal(nr_matches_bounded(db, "s", NULL, o, 100, 3, &rows),
                   NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 2);
  netref_rows_free(rows);
  /* ... but not max_pairs. */
  assert_int_equal(nr_matches_bounded(db, "s", NULL, o, 3, 3, &rows),
                   NETREF_ELIMIT);
  /* Fewer hops: a (reach 0.5) and e is 2 hops away: nothing to pair. */
  netref_options_free(o);
  o = hops_opts(1);
  assert_int_equal(nr_matches_bounded(db, "s", NULL, o, 0, 0, &rows),
                   NETREF_OK);
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
  netref_options_free(o);
  netref_close(db);
}

/* ask-first's bound on the people its runs from the contacts reach:
 * refused past it, the same answer below it, and no run at all (so no
 * refusal) at 1 hop. */
static void test_ask_first_bound(void **state) {
  (void)state;
  netref_db *db = hand();
  netref_options *o = hops_opts(3);
  netref_rows *full = NULL, *rows = (netref_rows *)&rows;
  assert_int_equal(netref_ask_first(db, "s", "tax", NETREF_ROLE_ANY, o, &full),
                   NETREF_OK);
  assert_true(netref_rows_count(full) > 0);
  assert_int_equal(
      nr_ask_first_bounded(db, "s", "tax", NETREF_ROLE_ANY, o, 0, &rows),
      NETREF_ELIMIT);
  assert_null(rows);
  assert_non_null(strstr(netref_errmsg(db), "ask with fewer hops"));
  assert_int_equal(
      nr_ask_first_bounded(db, "s", "tax", NETREF_ROLE_ANY, o, 1000, &rows),
      NETREF_OK);
  assert_int_equal(netref_rows_count(rows), netref_rows_count(full));
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    assert_string_equal(netref_rows_text(rows, r, 0),
                        netref_rows_text(full, r, 0));
  netref_rows_free(rows);
  netref_rows_free(full);
  netref_options_free(o);
  o = hops_opts(1);
  assert_int_equal(
      nr_ask_first_bounded(db, "s", "tax", NETREF_ROLE_ANY, o, 0, &rows),
      NETREF_OK);
  netref_rows_free(rows);
  netref_options_free(o);
  netref_close(db);
}

/* NETREF_MATCHES_MAX_ROWS itself: s tied to 500 needers and to enough
 * providers of one tag to make one pair more than the bound. Without a
 * limit the query is refused; with one it answers. */
static void test_matches_max_rows(void **state) {
  (void)state;
  netref_db *db = NULL;
  assert_int_equal(netref_open(":memory:", &db), NETREF_OK);
  const unsigned needers = 500;
  const unsigned providers = (unsigned)(NETREF_MATCHES_MAX_ROWS / needers) + 1;
  assert_int_equal(netref_person_add(db, "s", NULL), NETREF_OK);
  char key[16];
  for (unsigned i = 0; i < needers + providers; i++) {
    int need = i < needers;
    snprintf(key, sizeof key, "%c%06u", need ? 'n' : 'p',
             need ? i : i - needers);
    assert_int_equal(netref_person_add(db, key, NULL), NETREF_OK);
    assert_int_equal(t_tie_set(db, "s", key, 1, NULL, NULL), NETREF_OK);
    assert_int_equal(need ? t_need_set(db, key, "tax", 1)
                          : t_offer_set(db, key, "tax", NULL),
                     NETREF_OK);
  }
  netref_rows *rows = NULL;
  assert_int_equal(netref_matches(db, "s", NULL, NULL, &rows), NETREF_ELIMIT);
  assert_null(rows);
  assert_non_null(strstr(netref_errmsg(db), "limit"));
  netref_options *o = hops_opts(2);
  assert_int_equal(netref_options_set_limit(o, 3), NETREF_OK);
  assert_int_equal(netref_matches(db, "s", NULL, o, &rows), NETREF_OK);
  /* Every score is 1: needer key, then provider key. */
  assert_int_equal(netref_rows_count(rows), 3);
  for (size_t i = 0; i < 3; i++) {
    assert_string_equal(netref_rows_text(rows, i, 0), "n000000");
    snprintf(key, sizeof key, "p%06zu", i);
    assert_string_equal(netref_rows_text(rows, i, 2), key);
  }
  netref_rows_free(rows);
  netref_options_free(o);
  netref_close(db);
}

static void test_errors(void **state) {
  (void)state;
  netref_db *db = hand();
  netref_rows *rows = (netref_rows *)&rows;
  assert_int_equal(
      netref_ask_first(db, "nobody", "tax", NETREF_ROLE_ANY, NULL, &rows),
      NETREF_ENOTFOUND);
  assert_null(rows);
  assert_int_equal(netref_ask_first(db, "s", "tax", 0, NULL, &rows),
                   NETREF_EINVAL);
  assert_int_equal(netref_ask_first(db, "s", "tax", 4, NULL, &rows),
                   NETREF_EINVAL);
  assert_int_equal(netref_ask_first(db, "s", "", NETREF_ROLE_ANY, NULL, &rows),
                   NETREF_EINVAL);
  assert_int_equal(
      netref_ask_first(db, "s", NULL, NETREF_ROLE_ANY, NULL, &rows),
      NETREF_EINVAL);
  assert_int_equal(
      netref_ask_first(db, NULL, "tax", NETREF_ROLE_ANY, NULL, &rows),
      NETREF_EINVAL);
  assert_int_equal(
      netref_ask_first(db, "s", "tax", NETREF_ROLE_ANY, NULL, NULL),
      NETREF_EINVAL);
  assert_int_equal(
      netref_ask_first(NULL, "s", "tax", NETREF_ROLE_ANY, NULL, &rows),
      NETREF_EINVAL);
  assert_int_equal(netref_matches(db, "nobody", NULL, NULL, &rows),
                   NETREF_ENOTFOUND);
  assert_null(rows);
  assert_int_equal(netref_matches(db, "s", "", NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_matches(db, "s", "\xff", NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_matches(db, NULL, NULL, NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_matches(db, "s", NULL, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_matches(NULL, "s", NULL, NULL, &rows), NETREF_EINVAL);
  netref_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand_ask_first),
      cmocka_unit_test(test_hand_matches),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_random_networks),
      cmocka_unit_test(test_matches_list_a_pair_once),
      cmocka_unit_test(test_limit_keeps_the_first_rows),
      cmocka_unit_test(test_matches_bounds),
      cmocka_unit_test(test_matches_max_rows),
      cmocka_unit_test(test_ask_first_bound),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
