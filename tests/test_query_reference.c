/*
 * Reference test of netref_prospects() and netref_providers().
 *
 * Two independent models of the "Queries" section of netref.h (and DESIGN
 * section 4), both deliberately simple and unlike lib/reach.c:
 *
 * - The LAYERED model is the header's definition, transcribed: for each
 *   layer i = 1..k and each person v it builds B_i(v), as an explicit
 *   array of person numbers, from B_{i-1}(v) and every B_{i-1}(u)
 *   extended by u-v, comparing whole walks with the relay order (product
 *   recomputed from the walk, from the source outward; then introducer-to-
 *   be key; then fewer ties; then keys read backwards from v). The
 *   reported path is the direct tie when its strength equals reach(p),
 *   else B_k(p). It is checked on every network and query.
 *
 * - The ALL-WALKS model enumerates EVERY walk of 1..k ties from s that
 *   never passes through s again and picks the best walk to each person
 *   by value, then (1) direct tie, (2) smallest introducer key, (3) fewest
 *   ties, (4) smallest keys from the person before p back towards s. The
 *   header says this is the same answer when products are exact, and only
 *   then: when rounding makes two walks' products equal although they
 *   differed before the last tie, the layered definition keeps the walk
 *   whose prefix had the larger product, all-walks does not. So its
 *   paths are used only on "exact" networks: strengths in {0.25, 0.5,
 *   0.75, 1}, no half-life. There the two models must also agree with
 *   each other. On other networks without decay it only checks that
 *   reach and hops agree (reach(p) is the largest product over walks
 *   either way) and counts the paths that differ ("rounding merges"; a
 *   generator planting such merges makes sure there are some).
 *
 * Hop counts come from a breadth-first search (all-walks) and from the
 * first layer that reaches the person (layered).
 *
 * The models are compared, field by field and row by row, with the
 * library on many small random networks built through the public API,
 * and on a few hand-built networks whose answers are written out
 * literally.
 *
 * Environment:
 *   NETREF_REF_SEED      base seed (decimal or 0x hex); default fixed
 *   NETREF_REF_NETWORKS  number of random networks; default 500
 * A mismatch prints the seeds, the network, the query, the expected and
 * the returned rows, and a minimized network that still fails.
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

#include "netref.h"

#define MAXN 10
#define MAXT (MAXN * (MAXN - 1) / 2)
#define MAXK 6
#define NTAGS 3
#define KEYSZ 8
#define TODAY "2025-06-15"
#define DEFAULT_SEED 0x6e65747265665ULL
#define DEFAULT_NETWORKS 500
/* Most walks enumerated per source; bounds k for dense networks. */
#define WALK_BUDGET 400000L
#define MAX_REPORTS 3

enum { Q_PROSPECTS = 0, Q_PROVIDERS = 1 };

static const char *const TAGS[NTAGS] = {"design", "legal", "party planning"};
static const double DYADIC[4] = {0.25, 0.5, 0.75, 1.0};

#include "reference.h"
#include "writes.h"

/* ------------------------------------------------------------------ */
/* The network model                                                   */

typedef struct {
  int a, b;
  double s;
  int has_date;
  long day;
  char date[11];
  int alive;
} tie_t;

typedef struct {
  int p, tag;
  double w;
  int alive;
} need_t;

typedef struct {
  int p, tag;
  int alive;
} offer_t;

typedef struct {
  uint64_t seed;
  int n;
  char key[MAXN][KEYSZ];
  char name[MAXN][24]; /* "" when none was given: the name is the key */
  int alive[MAXN];
  int m;
  tie_t tie[MAXT];
  int nn;
  need_t need[MAXN * NTAGS];
  int no;
  offer_t offer[MAXN * NTAGS];
  int rank[MAXN]; /* position of key in byte order */
} network;

/* Whether anyone (alive) offers or needs the tag: a query for a tag
 * nobody holds fails with NETREF_ENOTFOUND (no taxonomy here). */
static int tag_known(const network *net, int tag) {
  for (int i = 0; i < net->nn; i++)
    if (net->need[i].alive && net->alive[net->need[i].p] &&
        net->need[i].tag == tag)
      return 1;
  for (int i = 0; i < net->no; i++)
    if (net->offer[i].alive && net->alive[net->offer[i].p] &&
        net->offer[i].tag == tag)
      return 1;
  return 0;
}

static void net_rank(network *net) {
  for (int i = 0; i < net->n; i++) {
    int r = 0;
    for (int j = 0; j < net->n; j++)
      if (strcmp(net->key[j], net->key[i]) < 0)
        r++;
    net->rank[i] = r;
  }
}

static const char *net_name(const network *net, int p) {
  return net->name[p][0] ? net->name[p] : net->key[p];
}

static void net_kill_person(network *net, int p) {
  net->alive[p] = 0;
  for (int i = 0; i < net->m; i++)
    if (net->tie[i].a == p || net->tie[i].b == p)
      net->tie[i].alive = 0;
  for (int i = 0; i < net->nn; i++)
    if (net->need[i].p == p)
      net->need[i].alive = 0;
  for (int i = 0; i < net->no; i++)
    if (net->offer[i].p == p)
      net->offer[i].alive = 0;
}

/* Weight of p's need of tag, 0 when none (the last live record wins,
 * as t_need_set() updates). */
static double net_need(const network *net, int p, int tag) {
  double w = 0;
  for (int i = 0; i < net->nn; i++)
    if (net->need[i].alive && net->need[i].p == p && net->need[i].tag == tag)
      w = net->need[i].w;
  return w;
}

static int net_offers(const network *net, int p, int tag) {
  for (int i = 0; i < net->no; i++)
    if (net->offer[i].alive && net->offer[i].p == p && net->offer[i].tag == tag)
      return 1;
  return 0;
}

static void gen_network(network *net, uint64_t seed) {
  rng r = {seed};
  static const double dens[] = {0.1, 0.2, 0.35, 0.5, 0.7, 0.85, 1.0};

  memset(net, 0, sizeof *net);
  net->seed = seed;
  net->n = 2 + rng_int(&r, MAXN - 1);
  for (int i = 0; i < net->n; i++) {
    random_unique_key(&r, net->key[0], KEYSZ, i);
    if (rng_int(&r, 3) != 0)
      snprintf(net->name[i], sizeof net->name[i], "Person %d", i);
    net->alive[i] = 1;
  }

  /* Ties: every pair once, in shuffled order, random orientation. */
  int pa[MAXT], pb[MAXT];
  int np = shuffled_pairs(&r, net->n, pa, pb);
  double density = rng_chance(&r, 0.2) ? rng_open01(&r) : dens[rng_int(&r, 7)];
  /* Three kinds of networks: exact (dyadic strengths only; the
   * all-walks model applies too), mixed (mostly dyadic, a few random
   * strengths and near-copies of them), and rounding-heavy (many ties of
   * 1, a small pool of random strengths and copies of them 1-2 ulps
   * lower, so that walks through different people get products so close
   * that extending them rounds them to the same double: the case where
   * the layered definition of netref.h and all walks part). */
  const int kind = rng_int(&r, 10) < 3 ? 0 : rng_int(&r, 2) + 1;
  double pool[2] = {rng_open01(&r), rng_open01(&r)};
  /* Most rounding-heavy networks get a planted merge, the rest of the
   * network random around it: x-c and x-d of strength f, c-u of strength
   * a, d-u of a' = a minus one ulp, u-y of strength b, such that
   * f * a > f * a' but (f * a) * b == (f * a') * b. */
  int plant_a[5], plant_b[5], nplant = 0;
  double plant_s[5];
  if (kind == 2 && net->n >= 5 && rng_chance(&r, 0.8)) {
    static const int shape[5][2] = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}};
    int who[MAXN];
    for (int i = 0; i < net->n; i++)
      who[i] = i;
    for (int i = 0; i < 5; i++) {
      int j = i + rng_int(&r, net->n - i), t = who[i];
      who[i] = who[j];
      who[j] = t;
    }
    const double f = rng_int(&r, 2) ? 1.0 : DYADIC[rng_int(&r, 4)];
    for (int tries = 0; tries < 200 && !nplant; tries++) {
      const double a = 0.5 + 0.5 * rng_open01(&r), a1 = nextafter(a, 0.0);
      const double b = rng_open01(&r);
      if (f * a == f * a1 || f * a * b != f * a1 * b)
        continue;
      const double st[5] = {f, f, a, a1, b};
      for (int i = 0; i < 5; i++) {
        plant_a[i] = who[shape[i][0]];
        plant_b[i] = who[shape[i][1]];
        plant_s[i] = st[i];
      }
      pool[0] = a;
      pool[1] = b;
      nplant = 5;
    }
  }
  const long day0 = days_from_civil(2023, 1, 1);
  for (int i = 0; i < np; i++) {
    int planted = -1;
    for (int j = 0; j < nplant; j++)
      if ((plant_a[j] == pa[i] && plant_b[j] == pb[i]) ||
          (plant_a[j] == pb[i] && plant_b[j] == pa[i]))
        planted = j;
    if (planted < 0 && !rng_chance(&r, density))
      continue;
    tie_t *t = &net->tie[net->m++];
    int flip = rng_int(&r, 2);
    t->a = flip ? pb[i] : pa[i];
    t->b = flip ? pa[i] : pb[i];
    if (planted >= 0) {
      t->s = plant_s[planted];
    } else if (kind == 2) {
      int c = rng_int(&r, 20);
      if (c < 7) {
        t->s = 1.0;
      } else if (c < 10) {
        t->s = DYADIC[rng_int(&r, 4)];
      } else {
        t->s = pool[rng_int(&r, 2)];
        for (int u = c < 15 ? 0 : 1 + rng_int(&r, 2); u > 0; u--)
          t->s = nextafter(t->s, 0.0);
      }
    } else if (kind == 0 || rng_chance(&r, 0.85)) {
      t->s = DYADIC[rng_int(&r, 4)];
    } else if (net->m > 1 && rng_chance(&r, 0.5)) {
      /* 1-3 ulps below an earlier strength */
      t->s = net->tie[rng_int(&r, net->m - 1)].s;
      for (int u = 1 + rng_int(&r, 3); u > 0; u--)
        t->s = nextafter(t->s, 0.0);
    } else {
      t->s = rng_open01(&r);
    }
    t->has_date = rng_chance(&r, 0.5);
    if (t->has_date) {
      t->day = day0 + rng_int(&r, 3 * 365);
      format_day(t->day, t->date);
    }
    t->alive = 1;
  }

  /* Needs and offers. */
  for (int p = 0; p < net->n; p++) {
    for (int tg = 0; tg < NTAGS; tg++) {
      if (!rng_chance(&r, 0.3))
        continue;
      need_t *nd = &net->need[net->nn++];
      nd->p = p;
      nd->tag = tg;
      nd->w =
          rng_chance(&r, 0.75) ? (rng_int(&r, 2) ? 1.0 : 0.5) : rng_open01(&r);
      nd->alive = 1;
    }
    if (rng_chance(&r, 0.55)) {
      int perm[NTAGS] = {0, 1, 2};
      for (int i = NTAGS - 1; i > 0; i--) {
        int j = rng_int(&r, i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      int c = 1 + rng_int(&r, NTAGS);
      for (int i = 0; i < c; i++) {
        offer_t *o = &net->offer[net->no++];
        o->p = p;
        o->tag = perm[i];
        o->alive = 1;
      }
    }
  }
  /* Shuffle creation order of needs and offers. */
  for (int i = net->nn - 1; i > 0; i--) {
    int j = rng_int(&r, i + 1);
    need_t t = net->need[i];
    net->need[i] = net->need[j];
    net->need[j] = t;
  }
  for (int i = net->no - 1; i > 0; i--) {
    int j = rng_int(&r, i + 1);
    offer_t t = net->offer[i];
    net->offer[i] = net->offer[j];
    net->offer[j] = t;
  }
  net_rank(net);
}

/* Are all live strengths dyadic, so that every product of at most MAXK
 * of them is exact? */
static int net_exact(const network *net) {
  for (int i = 0; i < net->m; i++) {
    if (!net->tie[i].alive)
      continue;
    int dyadic = 0;
    for (int j = 0; j < 4; j++)
      dyadic |= net->tie[i].s == DYADIC[j];
    if (!dyadic)
      return 0;
  }
  return 1;
}

static void describe_network(const network *net, FILE *out) {
  if (net->seed)
    fprintf(out, "  network seed 0x%016llx (as public API calls, in order):\n",
            (unsigned long long)net->seed);
  else
    fprintf(out, "  hand-built network (as public API calls, in order):\n");
  for (int i = 0; i < net->n; i++) {
    if (!net->alive[i])
      continue;
    if (net->name[i][0])
      fprintf(out, "    netref_person_add(db, \"%s\", \"%s\");\n", net->key[i],
              net->name[i]);
    else
      fprintf(out, "    netref_person_add(db, \"%s\", NULL);\n", net->key[i]);
  }
  for (int i = 0; i < net->m; i++) {
    const tie_t *t = &net->tie[i];
    if (!t->alive)
      continue;
    fprintf(out, "    t_tie_set(db, \"%s\", \"%s\", %.17g, ", net->key[t->a],
            net->key[t->b], t->s);
    if (t->has_date)
      fprintf(out, "\"%s\", NULL);\n", t->date);
    else
      fprintf(out, "NULL, NULL);\n");
  }
  for (int i = 0; i < net->nn; i++)
    if (net->need[i].alive)
      fprintf(out, "    t_need_set(db, \"%s\", \"%s\", %.17g);\n",
              net->key[net->need[i].p], TAGS[net->need[i].tag], net->need[i].w);
  for (int i = 0; i < net->no; i++)
    if (net->offer[i].alive)
      fprintf(out, "    t_offer_set(db, \"%s\", \"%s\", NULL);\n",
              net->key[net->offer[i].p], TAGS[net->offer[i].tag]);
}

/* Build the network in a fresh in-memory database. */
static netref_db *build_db(const network *net) {
  netref_db *db = NULL;
  int rc = netref_open(":memory:", &db);
  if (rc != NETREF_OK) {
    print_error("netref_open: %s\n", netref_errmsg(NULL));
    fail();
  }
  for (int i = 0; i < net->n; i++) {
    if (!net->alive[i])
      continue;
    rc = netref_person_add(db, net->key[i],
                           net->name[i][0] ? net->name[i] : NULL);
    if (rc != NETREF_OK)
      print_error("person_add %s: %s\n", net->key[i], netref_errmsg(db));
    assert_int_equal(rc, NETREF_OK);
  }
  for (int i = 0; i < net->m; i++) {
    const tie_t *t = &net->tie[i];
    if (!t->alive)
      continue;
    rc = t_tie_set(db, net->key[t->a], net->key[t->b], t->s,
                   t->has_date ? t->date : NULL, NULL);
    if (rc != NETREF_OK)
      print_error("tie_set %s %s: %s\n", net->key[t->a], net->key[t->b],
                  netref_errmsg(db));
    assert_int_equal(rc, NETREF_OK);
  }
  for (int i = 0; i < net->nn; i++) {
    const need_t *nd = &net->need[i];
    if (!nd->alive)
      continue;
    rc = t_need_set(db, net->key[nd->p], TAGS[nd->tag], nd->w);
    if (rc != NETREF_OK)
      print_error("need_add: %s\n", netref_errmsg(db));
    assert_int_equal(rc, NETREF_OK);
  }
  for (int i = 0; i < net->no; i++) {
    const offer_t *o = &net->offer[i];
    if (!o->alive)
      continue;
    rc = t_offer_set(db, net->key[o->p], TAGS[o->tag], NULL);
    if (rc != NETREF_OK)
      print_error("offer_add: %s\n", netref_errmsg(db));
    assert_int_equal(rc, NETREF_OK);
  }
  return db;
}

/* ------------------------------------------------------------------ */
/* The all-walks reference (exact networks only)                       */

typedef struct {
  double v;
  int len;           /* ties */
  int seq[MAXK + 1]; /* seq[0] = source, seq[len] = the person */
} walk;

/* The best walk and the runner-up (to record which rule decided). */
typedef struct {
  int has1, has2;
  walk w1, w2;
} slot;

typedef struct {
  const network *net;
  int src;
  int kmax;
  double hl;
  int deg[MAXN];
  int adj[MAXN][MAXN];
  double eff[MAXN][MAXN];
  slot exact[MAXK + 1][MAXN]; /* best walk of exactly L ties */
  slot upto[MAXK + 1][MAXN];  /* best walk of 1..k ties */
  int hops[MAXN];             /* BFS distance, -1 when unreachable */
  long walks;
  int seq[MAXK + 1];
} ref_t;

/* > 0 when a is preferred, < 0 when b is, 0 for the same walk; *rule is
 * 0 when the values differ, else the canonical rule (1-4) that decided. */
static int walk_cmp(const walk *a, const walk *b, const int *rank, int *rule) {
  *rule = 0;
  if (a->v != b->v)
    return a->v > b->v ? 1 : -1;
  int ad = a->len == 1, bd = b->len == 1;
  if (ad != bd) {
    *rule = 1;
    return ad ? 1 : -1;
  }
  if (a->seq[1] != b->seq[1]) {
    *rule = 2;
    return rank[a->seq[1]] < rank[b->seq[1]] ? 1 : -1;
  }
  if (a->len != b->len) {
    *rule = 3;
    return a->len < b->len ? 1 : -1;
  }
  for (int i = a->len - 1; i >= 1; i--)
    if (a->seq[i] != b->seq[i]) {
      *rule = 4;
      return rank[a->seq[i]] < rank[b->seq[i]] ? 1 : -1;
    }
  *rule = 5;
  return 0;
}

static void slot_offer(slot *sl, const walk *w, const int *rank) {
  int rule;
  if (!sl->has1) {
    sl->w1 = *w;
    sl->has1 = 1;
    return;
  }
  int c = walk_cmp(w, &sl->w1, rank, &rule);
  if (c > 0) {
    sl->w2 = sl->w1;
    sl->has2 = 1;
    sl->w1 = *w;
  } else if (c < 0) {
    if (!sl->has2 || walk_cmp(w, &sl->w2, rank, &rule) > 0) {
      sl->w2 = *w;
      sl->has2 = 1;
    }
  }
}

/* Which rule separated the best walk from the runner-up: -1 when the best
 * value is unique, else 1-4. */
static int slot_rule(const slot *sl, const int *rank) {
  int rule;
  if (!sl->has2 || sl->w2.v != sl->w1.v)
    return -1;
  walk_cmp(&sl->w1, &sl->w2, rank, &rule);
  return rule;
}

static double eff_strength(const tie_t *t, double hl) {
  static long today = -1;
  if (today < 0)
    today = parse_day(TODAY);
  if (hl > 0 && t->has_date) {
    long days = today - t->day;
    double age = days > 0 ? (double)days : 0.0;
    return t->s * pow(0.5, age / hl);
  }
  return t->s;
}

static void ref_dfs(ref_t *r, int depth, int cur, double v) {
  const int *rank = r->net->rank;
  for (int i = 0; i < r->deg[cur]; i++) {
    int nb = r->adj[cur][i];
    if (nb == r->src)
      continue; /* never pass through the source again */
    double nv = v * r->eff[cur][nb];
    int len = depth + 1;
    r->seq[len] = nb;
    r->walks++;
    slot *sl = &r->exact[len][nb];
    if (!sl->has2 || nv >= sl->w2.v) {
      walk w;
      w.v = nv;
      w.len = len;
      memcpy(w.seq, r->seq, sizeof w.seq);
      slot_offer(sl, &w, rank);
    }
    if (len < r->kmax)
      ref_dfs(r, len, nb, nv);
  }
}

/* Largest k <= kcap whose walks from src number at most budget. */
static int ref_choose_k(const ref_t *r, long budget, int kcap) {
  long cnt[MAXN] = {0}, nxt[MAXN];
  long total = 0;
  int k;
  cnt[r->src] = 1;
  for (k = 1; k <= kcap; k++) {
    memset(nxt, 0, sizeof nxt);
    for (int u = 0; u < r->net->n; u++)
      for (int i = 0; i < r->deg[u]; i++)
        if (r->adj[u][i] != r->src)
          nxt[r->adj[u][i]] += cnt[u];
    memcpy(cnt, nxt, sizeof cnt);
    for (int u = 0; u < r->net->n; u++)
      total += cnt[u];
    if (total > budget)
      break;
  }
  return k - 1 < 1 ? 1 : k - 1;
}

static void ref_compute(ref_t *r, const network *net, int src, double hl,
                        long budget, int kcap) {
  memset(r, 0, sizeof *r);
  r->net = net;
  r->src = src;
  r->hl = hl;
  for (int i = 0; i < net->m; i++) {
    const tie_t *t = &net->tie[i];
    if (!t->alive)
      continue;
    double e = eff_strength(t, hl);
    r->adj[t->a][r->deg[t->a]++] = t->b;
    r->adj[t->b][r->deg[t->b]++] = t->a;
    r->eff[t->a][t->b] = e;
    r->eff[t->b][t->a] = e;
  }
  r->kmax = ref_choose_k(r, budget, kcap);

  r->seq[0] = src;
  ref_dfs(r, 0, src, 1.0);
  for (int k = 1; k <= r->kmax; k++)
    for (int p = 0; p < net->n; p++) {
      slot *u = &r->upto[k][p];
      *u = r->upto[k - 1][p];
      const slot *e = &r->exact[k][p];
      if (e->has1)
        slot_offer(u, &e->w1, net->rank);
      if (e->has2)
        slot_offer(u, &e->w2, net->rank);
    }

  /* Breadth-first hop distances. */
  int queue[MAXN], qh = 0, qt = 0;
  for (int p = 0; p < MAXN; p++)
    r->hops[p] = -1;
  r->hops[src] = 0;
  queue[qt++] = src;
  while (qh < qt) {
    int u = queue[qh++];
    for (int i = 0; i < r->deg[u]; i++) {
      int v = r->adj[u][i];
      if (r->hops[v] < 0) {
        r->hops[v] = r->hops[u] + 1;
        queue[qt++] = v;
      }
    }
  }
}

/* ------------------------------------------------------------------ */
/* The layered reference: the header's definition, transcribed         */

/* A walk as the list of the people on it. */
typedef struct {
  int len;          /* ties; -1 when there is no walk */
  int at[MAXK + 1]; /* at[0] = the source, at[len] = the person */
} lwalk;

typedef struct {
  const network *net;
  int src;
  int kmax;
  int joined[MAXN][MAXN];      /* 1 when a live tie joins the two */
  double strength[MAXN][MAXN]; /* its strength, decayed */
  lwalk B[MAXK + 1][MAXN];     /* B[i][v] is B_i(v) */
  int rival[MAXK + 1][MAXN];   /* statistics: see lay_compute() */
} layered_t;

/* Product of the strengths along w, formed from the source outward. */
static double lay_product(const layered_t *L, const lwalk *w) {
  double v = 1.0;
  for (int i = 1; i <= w->len; i++)
    v = v * L->strength[w->at[i - 1]][w->at[i]];
  return v;
}

/* The relay order of netref.h: > 0 when a comes first, < 0 when b does,
 * 0 for the same walk. *rule tells which rule decided: 0 the product,
 * 2 the introducer-to-be, 3 the number of ties, 4 the keys backwards. */
static int lay_cmp(const layered_t *L, const lwalk *a, const lwalk *b,
                   int *rule) {
  const char(*key)[KEYSZ] = L->net->key;
  const double va = lay_product(L, a), vb = lay_product(L, b);
  *rule = 0;
  if (va != vb)
    return va > vb ? 1 : -1;
  /* the introducer-to-be is the second person: v itself for the direct
   * tie, since then the second person is v */
  int c = strcmp(key[a->at[1]], key[b->at[1]]);
  *rule = 2;
  if (c != 0)
    return c < 0 ? 1 : -1;
  *rule = 3;
  if (a->len != b->len)
    return a->len < b->len ? 1 : -1;
  /* both end at v: the person before v, then before that, back to s */
  *rule = 4;
  for (int i = a->len - 1; i >= 0; i--) {
    c = strcmp(key[a->at[i]], key[b->at[i]]);
    if (c != 0)
      return c < 0 ? 1 : -1;
  }
  *rule = 5;
  return 0;
}

/* B_i(v) for i = 0..kmax and every v. rival[i][v] is the rule that
 * separated B_i(v) from the best other candidate walk (-1 when there was
 * none). */
static void lay_compute(layered_t *L, const network *net, int src, double hl,
                        int kmax) {
  memset(L, 0, sizeof *L);
  L->net = net;
  L->src = src;
  L->kmax = kmax;
  for (int i = 0; i < net->m; i++) {
    const tie_t *t = &net->tie[i];
    if (!t->alive)
      continue;
    L->joined[t->a][t->b] = L->joined[t->b][t->a] = 1;
    L->strength[t->a][t->b] = L->strength[t->b][t->a] = eff_strength(t, hl);
  }
  for (int v = 0; v < MAXN; v++) {
    L->B[0][v].len = -1;
    L->rival[0][v] = -1;
  }
  L->B[0][src].len = 0;
  L->B[0][src].at[0] = src;

  for (int i = 1; i <= kmax; i++) {
    for (int v = 0; v < MAXN; v++) {
      lwalk best = L->B[i - 1][v], second = {-1, {0}};
      int rule;
      L->rival[i][v] = -1;
      if (v == src || v >= net->n || !net->alive[v]) {
        L->B[i][v] = best;
        continue;
      }
      for (int u = 0; u < net->n; u++) {
        if (!L->joined[u][v] || L->B[i - 1][u].len < 0)
          continue;
        lwalk cand = L->B[i - 1][u];
        cand.len++;
        cand.at[cand.len] = v;
        if (best.len < 0) {
          best = cand;
          continue;
        }
        int c = lay_cmp(L, &cand, &best, &rule);
        if (c > 0) {
          second = best;
          best = cand;
        } else if (c < 0 &&
                   (second.len < 0 || lay_cmp(L, &cand, &second, &rule) > 0)) {
          second = cand;
        }
      }
      L->B[i][v] = best;
      if (second.len >= 0) {
        lay_cmp(L, &best, &second, &rule);
        L->rival[i][v] = rule;
      }
    }
  }
}

/* ------------------------------------------------------------------ */
/* What a model says about each person                                 */

typedef struct {
  int reached;
  int hops;
  double reach;
  walk path; /* the reported best path */
  int rule;  /* statistics: -1 unique best value, else the rule 1-4 */
} answer;

static void walks_answers(const ref_t *r, int k, answer out[MAXN]) {
  memset(out, 0, MAXN * sizeof *out);
  for (int p = 0; p < r->net->n; p++) {
    const slot *sl = &r->upto[k][p];
    if (p == r->src || !sl->has1)
      continue;
    out[p].reached = 1;
    out[p].hops = r->hops[p];
    out[p].reach = sl->w1.v;
    out[p].path = sl->w1;
    out[p].rule = slot_rule(sl, r->net->rank);
  }
}

static void lay_answers(const layered_t *L, int k, answer out[MAXN]) {
  memset(out, 0, MAXN * sizeof *out);
  for (int p = 0; p < L->net->n; p++) {
    const lwalk *b = &L->B[k][p];
    if (p == L->src || b->len < 0)
      continue;
    answer *a = &out[p];
    a->reached = 1;
    a->hops = 1;
    while (L->B[a->hops][p].len < 0)
      a->hops++;
    a->reach = lay_product(L, b);
    a->rule = L->rival[k][p];
    a->path.len = b->len;
    for (int j = 0; j <= b->len; j++)
      a->path.seq[j] = b->at[j];
    if (L->joined[L->src][p] && L->strength[L->src][p] == a->reach) {
      if (b->len != 1)
        a->rule = 1;
      a->path.len = 1;
      a->path.seq[0] = L->src;
      a->path.seq[1] = p;
    }
    a->path.v = a->reach;
  }
}

/* Do two models agree on every person? Describes the first difference. */
static int answers_differ(const network *net, const answer *x, const answer *y,
                          char *why, size_t sz) {
  for (int p = 0; p < net->n; p++) {
    const answer *a = &x[p], *b = &y[p];
    int same = a->reached == b->reached;
    if (same && a->reached) {
      same = a->hops == b->hops && a->reach == b->reach &&
             a->path.len == b->path.len;
      for (int j = 0; same && j <= a->path.len; j++)
        same = a->path.seq[j] == b->path.seq[j];
    }
    if (!same) {
      snprintf(why, sz, "person %s", net->key[p]);
      return 1;
    }
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Queries and comparison                                              */

typedef struct {
  int fn;        /* Q_PROSPECTS or Q_PROVIDERS */
  int src;       /* person index */
  int tag;       /* index into TAGS */
  int k;         /* hop limit */
  int null_opts; /* pass NULL options (k must be 2, no decay) */
  double hl;     /* half-life in days, 0 for none */
  int set_today; /* call netref_options_set_today(TODAY) */
  int limit;     /* 0 for all */
} query;

typedef struct {
  int p;
  int hops;
  double reach, score;
  const walk *w;
  int rule;
} erow;

enum { MODEL_LAYERED = 1, MODEL_WALKS = 2 };

static const char *model_name(int model) {
  return model == MODEL_LAYERED ? "layered (netref.h)" : "all-walks";
}

static struct {
  long queries, rows, walks, decay_queries, limit_queries, mismatches;
  long walks_queries;  /* queries also checked against all-walks */
  long exact_networks; /* networks on which all-walks applies */
  long merged;         /* diagnostic: see test_random_networks() */
  long per_k[MAXK + 1];
  long lay_rule[6]; /* [0] unique best value, [1..4] deciding rule */
  long walks_rule[6];
} stats;

/* The rows a model expects, in the documented order. */
static size_t expected_rows(const network *net, const answer *ans,
                            const query *q, erow *out) {
  size_t n = 0;
  for (int p = 0; p < net->n; p++) {
    const answer *a = &ans[p];
    if (p == q->src || !net->alive[p] || !a->reached)
      continue;
    double w = 0;
    if (q->fn == Q_PROSPECTS) {
      w = net_need(net, p, q->tag);
      if (w == 0)
        continue;
    } else if (!net_offers(net, p, q->tag)) {
      continue;
    }
    erow *e = &out[n++];
    e->p = p;
    e->hops = a->hops;
    e->reach = a->reach;
    e->score = q->fn == Q_PROSPECTS ? e->reach * w : e->reach;
    e->w = &a->path;
    e->rule = a->rule;
  }
  /* score desc, hops asc, key asc (insertion sort; keys are unique) */
  for (size_t i = 1; i < n; i++) {
    erow x = out[i];
    size_t j = i;
    while (j > 0) {
      const erow *y = &out[j - 1];
      int before =
          x.score > y->score ||
          (x.score == y->score &&
           (x.hops < y->hops ||
            (x.hops == y->hops && strcmp(net->key[x.p], net->key[y->p]) < 0)));
      if (!before)
        break;
      out[j] = out[j - 1];
      j--;
    }
    out[j] = x;
  }
  return n;
}

static netref_options *make_opts(const query *q) {
  netref_options *o = NULL;
  if (q->null_opts)
    return NULL;
  assert_int_equal(netref_options_new(&o), NETREF_OK);
  assert_int_equal(netref_options_set_hops(o, q->k), NETREF_OK);
  if (q->hl > 0)
    assert_int_equal(netref_options_set_half_life(o, q->hl), NETREF_OK);
  if (q->set_today)
    assert_int_equal(netref_options_set_today(o, TODAY), NETREF_OK);
  if (q->limit > 0)
    assert_int_equal(netref_options_set_limit(o, q->limit), NETREF_OK);
  return o;
}

static void describe_query(const network *net, const query *q, FILE *out) {
  fprintf(out, "  query: %s(db, \"%s\", \"%s\", ",
          q->fn == Q_PROSPECTS ? "netref_prospects" : "netref_providers",
          net->key[q->src], TAGS[q->tag]);
  if (q->null_opts) {
    fprintf(out, "NULL options = 2 hops)\n");
    return;
  }
  fprintf(out, "hops=%d", q->k);
  if (q->hl > 0)
    fprintf(out, " half_life=%.17g", q->hl);
  if (q->set_today)
    fprintf(out, " today=%s", TODAY);
  if (q->limit > 0)
    fprintf(out, " limit=%d", q->limit);
  fprintf(out, ")\n");
}

static void print_erow(const network *net, size_t i, const erow *e, FILE *out) {
  fprintf(out,
          "    #%zu key=%s name=\"%s\" hops=%d reach=%.17g score=%.17g "
          "intro=%s path=[",
          i, net->key[e->p], net_name(net, e->p), e->hops, e->reach, e->score,
          e->w->len == 1 ? "(none)" : net->key[e->w->seq[1]]);
  for (int j = 0; j <= e->w->len; j++)
    fprintf(out, "%s%s", j ? " " : "", net->key[e->w->seq[j]]);
  fprintf(out, "]\n");
}

static void print_lrow(const netref_result *res, size_t i, FILE *out) {
  const char *key = netref_result_key(res, i),
             *name = netref_result_name(res, i);
  const char *intro = netref_result_introducer(res, i),
             *tag = netref_result_tag(res, i);
  fprintf(out,
          "    #%zu key=%s name=\"%s\" hops=%d reach=%.17g score=%.17g "
          "intro=%s path=[",
          i, key ? key : "(null)", name ? name : "(null)",
          netref_result_hops(res, i), netref_result_reach(res, i),
          netref_result_score(res, i), intro ? intro : "(none)");
  size_t len = netref_result_path_length(res, i);
  for (size_t j = 0; j < len; j++) {
    const char *pk = netref_result_path_key(res, i, j);
    fprintf(out, "%s%s", j ? " " : "", pk ? pk : "(null)");
  }
  fprintf(out, "] tag=\"%s\"\n", tag ? tag : "(null)");
}

static int str_eq(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

/* Compare the library's answer with a model's; returns 1 on mismatch
 * and, when out is not NULL, describes it. */
static int compare_answer(const network *net, const query *q, int model,
                          const erow *ex, size_t nex, int rc,
                          const char *errmsg, const netref_result *res,
                          FILE *out) {
  char why[512] = "";
  size_t want = nex;
  if (q->limit > 0 && (size_t)q->limit < want)
    want = (size_t)q->limit;
  /* the best path is always simple and no shorter than hops (header,
   * "Queries"): a claim about the definition, checked on the model */
  for (size_t i = 0; i < nex && !why[0]; i++) {
    const walk *w = ex[i].w;
    for (int a = 0; a <= w->len; a++)
      for (int b = a + 1; b <= w->len; b++)
        if (w->seq[a] == w->seq[b])
          snprintf(why, sizeof why, "the model's path to %s is not simple",
                   net->key[ex[i].p]);
    if (!why[0] && (ex[i].hops < 1 || ex[i].hops > w->len))
      snprintf(why, sizeof why, "the model's hops of %s are %d, path %d ties",
               net->key[ex[i].p], ex[i].hops, w->len);
  }
  if (why[0]) {
    /* nothing to compare */
  } else if (!tag_known(net, q->tag)) {
    if (rc != NETREF_ENOTFOUND || res)
      snprintf(why, sizeof why,
               "returned %d for a tag nobody holds, expected %d", rc,
               NETREF_ENOTFOUND);
  } else if (rc != NETREF_OK) {
    snprintf(why, sizeof why, "returned %d (%s): %s", rc, netref_strerror(rc),
             errmsg ? errmsg : "");
  } else if (netref_result_count(res) != want) {
    snprintf(why, sizeof why, "row count %zu, expected %zu",
             netref_result_count(res), want);
  } else {
    for (size_t i = 0; i < want && !why[0]; i++) {
      const erow *e = &ex[i];
      const char *k = net->key[e->p];
      const char *intro = netref_result_introducer(res, i);
      size_t plen = netref_result_path_length(res, i);
      if (!str_eq(netref_result_key(res, i), k))
        snprintf(why, sizeof why, "row %zu: key differs (order or membership)",
                 i);
      else if (!str_eq(netref_result_name(res, i), net_name(net, e->p)))
        snprintf(why, sizeof why, "row %zu (%s): name differs", i, k);
      else if (netref_result_hops(res, i) != e->hops)
        snprintf(why, sizeof why, "row %zu (%s): hops differ", i, k);
      else if (netref_result_reach(res, i) != e->reach)
        snprintf(why, sizeof why, "row %zu (%s): reach %a, expected %a", i, k,
                 netref_result_reach(res, i), e->reach);
      else if (netref_result_score(res, i) != e->score)
        snprintf(why, sizeof why, "row %zu (%s): score %a, expected %a", i, k,
                 netref_result_score(res, i), e->score);
      else if (e->w->len == 1 ? intro != NULL
                              : !str_eq(intro, net->key[e->w->seq[1]]))
        snprintf(why, sizeof why, "row %zu (%s): introducer differs", i, k);
      else if (plen != (size_t)e->w->len + 1)
        snprintf(why, sizeof why, "row %zu (%s): path length %zu, expected %d",
                 i, k, plen, e->w->len + 1);
      else if (!str_eq(netref_result_tag(res, i), TAGS[q->tag]))
        snprintf(why, sizeof why, "row %zu (%s): tag differs", i, k);
      else {
        for (size_t j = 0; j < plen && !why[0]; j++)
          if (!str_eq(netref_result_path_key(res, i, j),
                      net->key[e->w->seq[j]]))
            snprintf(why, sizeof why, "row %zu (%s): path differs at %zu", i, k,
                     j);
      }
    }
    if (!why[0] && netref_result_key(res, want) != NULL)
      snprintf(why, sizeof why, "netref_result_key(res, count) is not NULL");
  }
  if (!why[0])
    return 0;
  if (out) {
    fprintf(out, "  difference from the %s model: %s\n", model_name(model),
            why);
    fprintf(out, "  expected by the %s model (%zu rows%s):\n",
            model_name(model), nex, want < nex ? ", before the limit" : "");
    for (size_t i = 0; i < nex; i++)
      print_erow(net, i, &ex[i], out);
    if (rc == NETREF_OK) {
      fprintf(out, "  got (%zu rows):\n", netref_result_count(res));
      for (size_t i = 0; i < netref_result_count(res); i++)
        print_lrow(res, i, out);
    }
  }
  return 1;
}

static int run_query(netref_db *db, const network *net, const query *q,
                     const netref_options *opts, netref_result **res) {
  *res = NULL;
  if (q->fn == Q_PROSPECTS)
    return netref_prospects(db, net->key[q->src], TAGS[q->tag], opts, res);
  return netref_providers(db, net->key[q->src], TAGS[q->tag], opts, res);
}

/* Check one query against one or two models (aw may be NULL); returns a
 * mask of the models the library differs from. */
static int check_query(netref_db *db, const network *net, const answer *lay,
                       const answer *aw, const query *q,
                       const netref_options *opts, FILE *out) {
  erow ex[MAXN], ew[MAXN];
  size_t nex = expected_rows(net, lay, q, ex), nw = 0;
  netref_result *res = NULL;
  int rc = run_query(db, net, q, opts, &res);
  int bad = 0;
  if (compare_answer(net, q, MODEL_LAYERED, ex, nex, rc, netref_errmsg(db), res,
                     out))
    bad |= MODEL_LAYERED;
  if (aw) {
    nw = expected_rows(net, aw, q, ew);
    if (compare_answer(net, q, MODEL_WALKS, ew, nw, rc, netref_errmsg(db), res,
                       out))
      bad |= MODEL_WALKS;
  }
  netref_result_free(res);
  if (!bad) {
    stats.queries++;
    stats.rows += (long)nex;
    stats.per_k[q->k]++;
    for (size_t i = 0; i < nex; i++)
      stats.lay_rule[ex[i].rule < 0 ? 0 : ex[i].rule]++;
    if (aw) {
      stats.walks_queries++;
      for (size_t i = 0; i < nw; i++)
        stats.walks_rule[ew[i].rule < 0 ? 0 : ew[i].rule]++;
    }
  }
  return bad;
}

/* Does the all-walks model apply? Only when products are exact. */
static int walks_apply(const network *net, const query *q) {
  return (q->null_opts || q->hl == 0) && net_exact(net);
}

/* The models' answers for one query, from scratch. */
static void model_answers(const network *net, const query *q, answer lay[MAXN],
                          answer aw[MAXN], int *has_aw) {
  static layered_t L; /* static: large, and nothing to free on failure */
  static ref_t r;
  lay_compute(&L, net, q->src, q->hl, q->k);
  lay_answers(&L, q->k, lay);
  *has_aw = walks_apply(net, q);
  if (*has_aw) {
    ref_compute(&r, net, q->src, q->hl, 1L << 40, q->k);
    assert_int_equal(r.kmax, q->k);
    walks_answers(&r, q->k, aw);
  }
}

/* Everything from scratch: a fresh database, models and query. */
static int check_fresh(const network *net, const query *q, FILE *out) {
  answer lay[MAXN], aw[MAXN];
  int has_aw;
  model_answers(net, q, lay, aw, &has_aw);
  netref_db *db = build_db(net);
  netref_options *opts = make_opts(q);
  int bad = check_query(db, net, lay, has_aw ? aw : NULL, q, opts, out);
  netref_options_free(opts);
  netref_close(db);
  return bad;
}

/* Greedily delete people, ties, dates, needs and offers, and lower k,
 * while the query still fails. */
static void minimize(network *net, query *q) {
  int changed = 1;
  while (changed) {
    changed = 0;
    for (int p = 0; p < net->n; p++) {
      if (p == q->src || !net->alive[p])
        continue;
      network t = *net;
      net_kill_person(&t, p);
      if (check_fresh(&t, q, NULL)) {
        *net = t;
        changed = 1;
      }
    }
    for (int i = 0; i < net->m; i++) {
      if (!net->tie[i].alive)
        continue;
      network t = *net;
      t.tie[i].alive = 0;
      if (check_fresh(&t, q, NULL)) {
        *net = t;
        changed = 1;
        continue;
      }
      if (t.tie[i].has_date) {
        t = *net;
        t.tie[i].has_date = 0;
        if (check_fresh(&t, q, NULL)) {
          *net = t;
          changed = 1;
        }
      }
    }
    for (int i = 0; i < net->nn; i++) {
      if (!net->need[i].alive)
        continue;
      network t = *net;
      t.need[i].alive = 0;
      if (check_fresh(&t, q, NULL)) {
        *net = t;
        changed = 1;
      }
    }
    for (int i = 0; i < net->no; i++) {
      if (!net->offer[i].alive)
        continue;
      network t = *net;
      t.offer[i].alive = 0;
      if (check_fresh(&t, q, NULL)) {
        *net = t;
        changed = 1;
      }
    }
    if (!q->null_opts && q->k > 1) {
      query t = *q;
      t.k--;
      if (check_fresh(net, &t, NULL)) {
        *q = t;
        changed = 1;
      }
    }
  }
}

static void report_mismatch(const network *net, const query *q, uint64_t base,
                            int index) {
  stats.mismatches++;
  if (stats.mismatches > MAX_REPORTS)
    return;
  printf("MISMATCH (base seed 0x%llx, network #%d; rerun with "
         "NETREF_REF_SEED=0x%llx)\n",
         (unsigned long long)base, index, (unsigned long long)base);
  describe_network(net, stdout);
  describe_query(net, q, stdout);
  check_fresh(net, q, stdout);
  network mn = *net;
  query mq = *q;
  if (check_fresh(&mn, &mq, NULL)) {
    minimize(&mn, &mq);
    printf("MINIMIZED:\n");
    describe_network(&mn, stdout);
    describe_query(&mn, &mq, stdout);
    check_fresh(&mn, &mq, stdout);
  } else {
    printf(
        "  (does not fail on a fresh database: depends on earlier queries)\n");
  }
  fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Random networks                                                     */

static uint64_t env_u64(const char *name, uint64_t dflt) {
  const char *v = getenv(name);
  if (!v || !*v)
    return dflt;
  return (uint64_t)strtoull(v, NULL, 0);
}

static void print_answer(const network *net, const answer *a, FILE *out) {
  if (!a->reached) {
    fprintf(out, "not reached\n");
    return;
  }
  fprintf(out, "hops=%d reach=%.17g path=[", a->hops, a->reach);
  for (int j = 0; j <= a->path.len; j++)
    fprintf(out, "%s%s", j ? " " : "", net->key[a->path.seq[j]]);
  fprintf(out, "]\n");
}

/* The two models disagree where they must agree: on an exact network
 * (netref.h: the definitions coincide when products are exact), or on
 * reach or hops anywhere (reach(p) is the largest product over walks). */
static void report_models_differ(const network *net, int src, int k, double hl,
                                 const answer *lay, const answer *aw,
                                 const char *what, uint64_t base, int index) {
  stats.mismatches++;
  if (stats.mismatches > MAX_REPORTS)
    return;
  printf(
      "MODELS DIFFER (%s; base seed 0x%llx, network #%d): a model is wrong, or "
      "netref.h contradicts itself\n",
      what, (unsigned long long)base, index);
  describe_network(net, stdout);
  printf("  source \"%s\", hops=%d, half_life=%g\n", net->key[src], k, hl);
  for (int p = 0; p < net->n; p++) {
    if (p == src || !net->alive[p])
      continue;
    printf("    %-4s layered:   ", net->key[p]);
    print_answer(net, &lay[p], stdout);
    printf("    %-4s all walks: ", net->key[p]);
    print_answer(net, &aw[p], stdout);
  }
  fflush(stdout);
}

static void test_random_networks(void **state) {
  (void)state;
  const uint64_t base = env_u64("NETREF_REF_SEED", DEFAULT_SEED);
  const int count = (int)env_u64("NETREF_REF_NETWORKS", DEFAULT_NETWORKS);
  static const double half_lives[] = {30, 90, 365, 45.5, 7};
  printf("reference: base seed 0x%llx, %d networks\n", (unsigned long long)base,
         count);

  ref_t *r = malloc(sizeof *r);
  layered_t *L = malloc(sizeof *L);
  assert_non_null(r);
  assert_non_null(L);
  memset(&stats, 0, sizeof stats);

  for (int index = 0; index < count; index++) {
    rng seeder = {base ^ ((uint64_t)index * 0xD1B54A32D192ED03ULL)};
    network net;
    gen_network(&net, rng_next(&seeder));
    rng r2 = {net.seed ^ 0x5bd1e995ULL};
    netref_db *db = build_db(&net);
    const int exact = net_exact(&net);
    stats.exact_networks += exact;

    /* variant 0: no decay; variant 1 (every other network): decay */
    for (int variant = 0; variant < 1 + (index & 1); variant++) {
      double hl = variant ? half_lives[rng_int(&r2, 5)] : 0;
      int set_today = variant ? 1 : rng_int(&r2, 2);
      netref_options *opts[MAXK + 1] = {NULL};
      for (int k = 1; k <= MAXK; k++) {
        query t = {0};
        t.k = k;
        t.hl = hl;
        t.set_today = set_today;
        opts[k] = make_opts(&t);
      }
      for (int s = 0; s < net.n; s++) {
        /* The layered model for every k up to MAXK. All walks (up
         * to a budget) without decay: on exact networks a second
         * model; on the others only reach and hops must agree (the
         * largest product over walks), and paths that differ are
         * counted, to show that rounding merges do occur. */
        lay_compute(L, &net, s, hl, MAXK);
        int kw = 0;
        if (hl == 0) {
          ref_compute(r, &net, s, hl, WALK_BUDGET, MAXK);
          stats.walks += r->walks;
          kw = r->kmax;
        }
        answer lay[MAXK + 1][MAXN], aw[MAXK + 1][MAXN];
        for (int k = 1; k <= MAXK; k++) {
          lay_answers(L, k, lay[k]);
          if (k > kw)
            continue;
          walks_answers(r, k, aw[k]);
          char why[64];
          if (exact) {
            if (answers_differ(&net, lay[k], aw[k], why, sizeof why))
              report_models_differ(&net, s, k, hl, lay[k], aw[k], why, base,
                                   index);
            continue;
          }
          for (int p = 0; p < net.n; p++) {
            const answer *x = &lay[k][p], *y = &aw[k][p];
            if (x->reached != y->reached ||
                (x->reached && (x->reach != y->reach || x->hops != y->hops))) {
              snprintf(why, sizeof why, "reach or hops of %s", net.key[p]);
              report_models_differ(&net, s, k, hl, lay[k], aw[k], why, base,
                                   index);
              break;
            }
            if (x->reached && x->path.len != y->path.len)
              stats.merged++;
            else if (x->reached)
              for (int j = 0; j <= x->path.len; j++)
                if (x->path.seq[j] != y->path.seq[j]) {
                  stats.merged++;
                  break;
                }
          }
        }
        for (int k = 1; k <= MAXK; k++)
          for (int tag = 0; tag < NTAGS; tag++)
            for (int fn = 0; fn < 2; fn++) {
              query q = {fn, s, tag, k, 0, hl, set_today, 0};
              if (variant)
                stats.decay_queries++;
              const answer *awk = exact && k <= kw ? aw[k] : NULL;
              if (check_query(db, &net, lay[k], awk, &q, opts[k], NULL))
                report_mismatch(&net, &q, base, index);
            }
        /* Limits: the first rows of the full answer. */
        {
          query q = {rng_int(&r2, 2),
                     s,
                     rng_int(&r2, NTAGS),
                     1 + rng_int(&r2, MAXK),
                     0,
                     hl,
                     set_today,
                     1 + rng_int(&r2, 4)};
          netref_options *o = make_opts(&q);
          stats.limit_queries++;
          const answer *awk = exact && q.k <= kw ? aw[q.k] : NULL;
          if (check_query(db, &net, lay[q.k], awk, &q, o, NULL))
            report_mismatch(&net, &q, base, index);
          netref_options_free(o);
        }
      }
      for (int k = 1; k <= MAXK; k++)
        netref_options_free(opts[k]);
    }

    /* NULL options: 2 hops, no decay, no limit. */
    {
      query q = {rng_int(&r2, 2),
                 rng_int(&r2, net.n),
                 rng_int(&r2, NTAGS),
                 2,
                 1,
                 0,
                 0,
                 0};
      answer lay[MAXN], aw[MAXN];
      int has_aw;
      model_answers(&net, &q, lay, aw, &has_aw);
      if (check_query(db, &net, lay, has_aw ? aw : NULL, &q, NULL, NULL))
        report_mismatch(&net, &q, base, index);
    }

    /* Unknown source; a tag nobody holds. */
    {
      netref_result *res = NULL;
      int rc = netref_prospects(db, "zzzz", TAGS[0], NULL, &res);
      netref_result_free(res);
      assert_int_equal(rc, NETREF_ENOTFOUND);
      res = NULL;
      rc = netref_providers(db, "zzzz", TAGS[1], NULL, &res);
      netref_result_free(res);
      assert_int_equal(rc, NETREF_ENOTFOUND);
      res = NULL;
      rc = netref_providers(db, net.key[0], "knitting", NULL, &res);
      assert_int_equal(rc, NETREF_ENOTFOUND);
      assert_null(res);
      res = NULL;
      rc = netref_prospects(db, net.key[net.n - 1], "knitting", NULL, &res);
      assert_int_equal(rc, NETREF_ENOTFOUND);
      assert_null(res);
    }
    netref_close(db);
  }
  free(r);
  free(L);

  printf("reference: %ld queries compared (%ld with decay, %ld with a limit), "
         "%ld rows\n",
         stats.queries, stats.decay_queries, stats.limit_queries, stats.rows);
  printf("reference: queries per k:");
  for (int k = 1; k <= MAXK; k++)
    printf(" k%d=%ld", k, stats.per_k[k]);
  printf(
      "\nreference: layered model, rows by deciding rule: unique best value "
      "%ld, "
      "direct tie %ld, introducer %ld, fewest ties %ld, keys backwards %ld\n",
      stats.lay_rule[0], stats.lay_rule[1], stats.lay_rule[2],
      stats.lay_rule[3], stats.lay_rule[4]);
  printf("reference: all-walks model on %ld exact networks: %ld queries "
         "(%ld walks enumerated in all, without decay); rows by deciding rule: "
         "unique best value %ld, direct tie %ld, "
         "introducer %ld, fewest ties %ld, keys backwards %ld\n",
         stats.exact_networks, stats.walks_queries, stats.walks,
         stats.walks_rule[0], stats.walks_rule[1], stats.walks_rule[2],
         stats.walks_rule[3], stats.walks_rule[4]);
  printf("reference: rounding merges: %ld (source, k, person) on inexact "
         "networks where "
         "all walks would report another path than the layered definition\n",
         stats.merged);
  fflush(stdout);
  if (stats.mismatches)
    fail_msg("%ld mismatches (first %d shown above)", stats.mismatches,
             MAX_REPORTS);
}

/* ------------------------------------------------------------------ */
/* Hand-built networks                                                 */

static void h_init(network *net) { memset(net, 0, sizeof *net); }

static int h_idx(const network *net, const char *key) {
  for (int i = 0; i < net->n; i++)
    if (strcmp(net->key[i], key) == 0)
      return i;
  fail_msg("unknown key %s", key);
  return -1;
}

static void h_person(network *net, const char *key) {
  assert_true(net->n < MAXN && strlen(key) < KEYSZ);
  strcpy(net->key[net->n], key);
  net->alive[net->n] = 1;
  net->n++;
  net_rank(net);
}

static void h_tie(network *net, const char *a, const char *b, double s,
                  const char *date) {
  tie_t *t = &net->tie[net->m++];
  t->a = h_idx(net, a);
  t->b = h_idx(net, b);
  t->s = s;
  t->alive = 1;
  if (date) {
    t->has_date = 1;
    t->day = parse_day(date);
    strcpy(t->date, date);
  }
}

static void h_need(network *net, const char *key, int tag, double w) {
  need_t *nd = &net->need[net->nn++];
  nd->p = h_idx(net, key);
  nd->tag = tag;
  nd->w = w;
  nd->alive = 1;
}

static void h_offer(network *net, const char *key, int tag) {
  offer_t *o = &net->offer[net->no++];
  o->p = h_idx(net, key);
  o->tag = tag;
  o->alive = 1;
}

typedef struct {
  const char *key;
  int hops;
  double reach, score;
  const char *path; /* keys separated by spaces, source first */
} xrow;

static void walk_path(const network *net, const walk *w, char *buf, size_t sz) {
  buf[0] = '\0';
  for (int j = 0; j <= w->len; j++) {
    strncat(buf, j ? " " : "", sz - strlen(buf) - 1);
    strncat(buf, net->key[w->seq[j]], sz - strlen(buf) - 1);
  }
}

/* The second key of a path, or NULL for a path of two. */
static void path_intro(const char *path, char *buf, size_t sz, int *has) {
  const char *sp = strchr(path, ' ');
  const char *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
  *has = sp2 != NULL;
  buf[0] = '\0';
  if (sp2) {
    size_t len = (size_t)(sp2 - sp - 1);
    if (len >= sz)
      len = sz - 1;
    memcpy(buf, sp + 1, len);
    buf[len] = '\0';
  }
}

/* Check the literal answer x against both the reference model and the
 * library, then run the full field-by-field comparison. */
/* Does a model's answer match the hand-written rows? */
static void expect_model(const network *net, const query *q, const answer *ans,
                         int model, const xrow *x, size_t nx) {
  char buf[128];
  erow ex[MAXN];
  size_t nex = expected_rows(net, ans, q, ex);
  if (q->limit > 0 && (size_t)q->limit < nex)
    nex = (size_t)q->limit;
  if (nex != nx)
    print_error("%s model: %zu rows, hand-written %zu\n", model_name(model),
                nex, nx);
  assert_int_equal(nex, nx);
  for (size_t i = 0; i < nx; i++) {
    walk_path(net, ex[i].w, buf, sizeof buf);
    if (strcmp(net->key[ex[i].p], x[i].key) != 0 || strcmp(buf, x[i].path) != 0)
      print_error("%s model: row %zu is %s [%s]\n", model_name(model), i,
                  net->key[ex[i].p], buf);
    assert_string_equal(net->key[ex[i].p], x[i].key);
    assert_int_equal(ex[i].hops, x[i].hops);
    assert_true(ex[i].reach == x[i].reach);
    assert_true(ex[i].score == x[i].score);
    assert_string_equal(buf, x[i].path);
  }
}

/* Check the literal answer x against the models (the layered one always,
 * all walks when products are exact) and the library, then run the full
 * field-by-field comparison. */
static void expect_answer(const network *net, const query *q, const xrow *x,
                          size_t nx) {
  char buf[128];
  answer lay[MAXN], aw[MAXN];
  int has_aw;
  model_answers(net, q, lay, aw, &has_aw);

  /* 1. the models agree with the hand-written answer */
  expect_model(net, q, lay, MODEL_LAYERED, x, nx);
  if (has_aw)
    expect_model(net, q, aw, MODEL_WALKS, x, nx);

  /* 2. full comparison with the library (names, order, every field),
   *    printing both answers on a difference */
  netref_db *db = build_db(net);
  netref_options *opts = make_opts(q);
  if (check_query(db, net, lay, has_aw ? aw : NULL, q, opts, NULL)) {
    printf("hand-built case differs:\n");
    describe_network(net, stdout);
    describe_query(net, q, stdout);
    check_query(db, net, lay, has_aw ? aw : NULL, q, opts, stdout);
    netref_options_free(opts);
    netref_close(db);
    fflush(stdout);
    fail_msg("library differs from the hand-written answer");
  }

  /* 3. the same, literally, plus out-of-range accessors */
  netref_result *res = NULL;
  int rc = run_query(db, net, q, opts, &res);
  if (rc != NETREF_OK)
    print_error("query failed: %s\n", netref_errmsg(db));
  assert_int_equal(rc, NETREF_OK);
  if (netref_result_count(res) != nx) {
    for (size_t i = 0; i < netref_result_count(res); i++)
      print_lrow(res, i, stdout);
  }
  assert_int_equal(netref_result_count(res), nx);
  for (size_t i = 0; i < nx; i++) {
    int has;
    char intro[KEYSZ];
    if (!str_eq(netref_result_key(res, i), x[i].key))
      print_lrow(res, i, stdout);
    assert_string_equal(netref_result_key(res, i), x[i].key);
    assert_int_equal(netref_result_hops(res, i), x[i].hops);
    assert_true(netref_result_reach(res, i) == x[i].reach);
    assert_true(netref_result_score(res, i) == x[i].score);
    assert_string_equal(netref_result_tag(res, i), TAGS[q->tag]);
    path_intro(x[i].path, intro, sizeof intro, &has);
    if (has)
      assert_string_equal(netref_result_introducer(res, i), intro);
    else
      assert_null(netref_result_introducer(res, i));
    buf[0] = '\0';
    for (size_t j = 0; j < netref_result_path_length(res, i); j++) {
      const char *pk = netref_result_path_key(res, i, j);
      assert_non_null(pk);
      strncat(buf, j ? " " : "", sizeof buf - strlen(buf) - 1);
      strncat(buf, pk, sizeof buf - strlen(buf) - 1);
    }
    assert_string_equal(buf, x[i].path);
    assert_null(
        netref_result_path_key(res, i, netref_result_path_length(res, i)));
  }
  /* out-of-range accessors */
  assert_null(netref_result_key(res, nx));
  assert_int_equal(netref_result_hops(res, nx), -1);
  assert_true(isnan(netref_result_reach(res, nx)));
  netref_result_free(res);

  netref_options_free(opts);
  netref_close(db);
}

static query hq(const network *net, int fn, const char *src, int tag, int k) {
  query q = {0};
  q.fn = fn;
  q.src = h_idx(net, src);
  q.tag = tag;
  q.k = k;
  return q;
}

/* s-a 0.2, s-b 0.9, b-a 0.9: the 2-tie walk via b beats the direct tie. */
static void test_triangle_two_ties_beat_direct(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "a");
  h_person(&net, "b");
  h_tie(&net, "s", "a", 0.2, NULL);
  h_tie(&net, "s", "b", 0.9, NULL);
  h_tie(&net, "b", "a", 0.9, NULL);
  h_offer(&net, "a", 0);
  h_offer(&net, "b", 0);
  const double v = 1.0 * 0.9 * 0.9;
  query q = hq(&net, Q_PROVIDERS, "s", 0, 2);
  const xrow x[] = {{"b", 1, 0.9, 0.9, "s b"}, {"a", 1, v, v, "s b a"}};
  expect_answer(&net, &q, x, 2);
  /* with one hop only the direct tie counts */
  q.k = 1;
  const xrow x1[] = {{"b", 1, 0.9, 0.9, "s b"}, {"a", 1, 0.2, 0.2, "s a"}};
  expect_answer(&net, &q, x1, 2);
}

/* s-a 0.5, s-b 1.0, b-a 0.5: equal value, the direct tie wins. */
static void test_equal_value_direct_wins(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "b");
  h_person(&net, "a");
  h_tie(&net, "b", "a", 0.5, NULL);
  h_tie(&net, "s", "b", 1.0, NULL);
  h_tie(&net, "s", "a", 0.5, NULL);
  h_need(&net, "a", 1, 1.0);
  query q = hq(&net, Q_PROSPECTS, "s", 1, 3);
  const xrow x[] = {{"a", 1, 0.5, 0.5, "s a"}};
  expect_answer(&net, &q, x, 1);
}

/* Two introducers with equal value: the smaller key in byte order wins
 * ("B" < "a", though "a" was created first). */
static void test_equal_introducers_smaller_key(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "a");
  h_person(&net, "t");
  h_person(&net, "B");
  h_tie(&net, "s", "a", 0.5, NULL);
  h_tie(&net, "a", "t", 0.5, NULL);
  h_tie(&net, "t", "B", 0.5, NULL);
  h_tie(&net, "B", "s", 0.5, NULL);
  h_offer(&net, "t", 2);
  query q = hq(&net, Q_PROVIDERS, "s", 2, 2);
  const xrow x[] = {{"t", 2, 0.25, 0.25, "s B t"}};
  expect_answer(&net, &q, x, 1);
}

/* Same introducer and value: fewer ties wins (rule 3); then the keys from
 * the person before p backwards (rule 4). */
static void test_fewest_ties_then_keys_backwards(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "b");
  h_person(&net, "x");
  h_person(&net, "t");
  h_tie(&net, "s", "b", 1.0, NULL);
  h_tie(&net, "b", "t", 0.5, NULL);
  h_tie(&net, "b", "x", 1.0, NULL);
  h_tie(&net, "x", "t", 0.5, NULL);
  h_offer(&net, "t", 0);
  query q = hq(&net, Q_PROVIDERS, "s", 0, 3);
  const xrow x[] = {{"t", 2, 0.5, 0.5, "s b t"}};
  expect_answer(&net, &q, x, 1);

  /* rule 4: s-b-{x,Y}-t, all 1.0: "Y" < "x" */
  network n2;
  h_init(&n2);
  h_person(&n2, "s");
  h_person(&n2, "b");
  h_person(&n2, "x");
  h_person(&n2, "Y");
  h_person(&n2, "t");
  h_tie(&n2, "s", "b", 1.0, NULL);
  h_tie(&n2, "b", "x", 1.0, NULL);
  h_tie(&n2, "x", "t", 1.0, NULL);
  h_tie(&n2, "b", "Y", 1.0, NULL);
  h_tie(&n2, "Y", "t", 1.0, NULL);
  h_need(&n2, "t", 0, 0.5);
  q = hq(&n2, Q_PROSPECTS, "s", 0, 3);
  const xrow x2[] = {{"t", 3, 1.0, 0.5, "s b Y t"}};
  expect_answer(&n2, &q, x2, 1);

  /* rule 4 deeper: the person before t ties (e), then c < d decides */
  network n3;
  h_init(&n3);
  h_person(&n3, "s");
  h_person(&n3, "b");
  h_person(&n3, "d");
  h_person(&n3, "c");
  h_person(&n3, "e");
  h_person(&n3, "t");
  h_tie(&n3, "s", "b", 1.0, NULL);
  h_tie(&n3, "b", "d", 1.0, NULL);
  h_tie(&n3, "b", "c", 1.0, NULL);
  h_tie(&n3, "d", "e", 1.0, NULL);
  h_tie(&n3, "c", "e", 1.0, NULL);
  h_tie(&n3, "e", "t", 0.75, NULL);
  h_offer(&n3, "t", 1);
  q = hq(&n3, Q_PROVIDERS, "s", 1, 4);
  const xrow x3[] = {{"t", 4, 0.75, 0.75, "s b c e t"}};
  expect_answer(&n3, &q, x3, 1);
  q.k = 3;
  expect_answer(&n3, &q, NULL, 0);
}

/* Walks never pass through the source again: s-a 1, s-c 1, c-b 0.5. The
 * walk s-a-s-c-b would have introducer a < c; it is not allowed. */
static void test_never_through_source(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "c");
  h_person(&net, "b");
  h_person(&net, "a");
  h_tie(&net, "s", "a", 1.0, NULL);
  h_tie(&net, "s", "c", 1.0, NULL);
  h_tie(&net, "c", "b", 0.5, NULL);
  h_offer(&net, "b", 0);
  h_offer(&net, "a", 0);
  query q = hq(&net, Q_PROVIDERS, "s", 0, 4);
  const xrow x[] = {{"a", 1, 1.0, 1.0, "s a"}, {"b", 2, 0.5, 0.5, "s c b"}};
  expect_answer(&net, &q, x, 2);
}

/* A longer walk beats the direct tie only once k allows it; hops stay the
 * shortest-path distance. */
static void test_longer_walk_needs_hops(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "a");
  h_person(&net, "b");
  h_person(&net, "c");
  h_tie(&net, "s", "a", 0.25, NULL);
  h_tie(&net, "s", "b", 1.0, NULL);
  h_tie(&net, "b", "c", 1.0, NULL);
  h_tie(&net, "c", "a", 1.0, NULL);
  h_need(&net, "a", 0, 1.0);
  h_need(&net, "c", 0, 0.25);
  query q = hq(&net, Q_PROSPECTS, "s", 0, 1);
  const xrow x1[] = {{"a", 1, 0.25, 0.25, "s a"}};
  expect_answer(&net, &q, x1, 1);
  q.k = 2;
  /* c: reach 1 via b, score 0.25, hops 2; a: 0.25, hops 1 -> a first */
  const xrow x2[] = {{"a", 1, 0.25, 0.25, "s a"}, {"c", 2, 1.0, 0.25, "s b c"}};
  expect_answer(&net, &q, x2, 2);
  q.k = 3;
  const xrow x3[] = {{"a", 1, 1.0, 1.0, "s b c a"},
                     {"c", 2, 1.0, 0.25, "s b c"}};
  expect_answer(&net, &q, x3, 2);
}

/* The best walk to p need not extend the best walk to the person before
 * p: reach(u) is the direct tie s-u, but s-B-u-p ties with s-u-p in value
 * and has the smaller introducer ("B" < "u"). */
static void test_best_prefix_not_reused(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "u");
  h_person(&net, "p");
  h_person(&net, "B");
  h_tie(&net, "s", "u", 0.5, NULL);
  h_tie(&net, "s", "B", 1.0, NULL);
  h_tie(&net, "B", "u", 0.5, NULL);
  h_tie(&net, "u", "p", 1.0, NULL);
  h_need(&net, "u", 0, 1.0);
  h_need(&net, "p", 0, 1.0);
  query q = hq(&net, Q_PROSPECTS, "s", 0, 3);
  const xrow x[] = {{"u", 1, 0.5, 0.5, "s u"}, {"p", 2, 0.5, 0.5, "s B u p"}};
  expect_answer(&net, &q, x, 2);
  q.k = 2;
  const xrow x2[] = {{"u", 1, 0.5, 0.5, "s u"}, {"p", 2, 0.5, 0.5, "s u p"}};
  expect_answer(&net, &q, x2, 2);
}

/* Rounding can make walks equal: 0.96 > nextafter(0.96, 0), but both
 * times 0.57 round to the same double, so reach(p) is reached through
 * both c and B. Choosing among all walks of value reach(p), s-B-u-p would
 * win (smaller introducer). But netref.h ("@name Queries") defines the
 * best path layer by layer: B_2(u) is s-c-u (the larger product), B_3(p)
 * can only extend B_2(u), and "when rounding makes two walks' products
 * equal although they differed before the last tie, the walk whose
 * prefix had the larger product wins". So the answer is s-c-u-p. The
 * all-walks model (used on exact networks only) is run here too, to show
 * that this is the case where the two definitions part. */
static void test_rounding_merges_walks(void **state) {
  (void)state;
  const double a = 0.96, b = nextafter(0.96, 0.0), xs = 0.57;
  assert_true(1.0 * a > 1.0 * b);
  assert_true(1.0 * a * xs == 1.0 * b * xs);
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "c");
  h_person(&net, "u");
  h_person(&net, "p");
  h_person(&net, "B");
  h_tie(&net, "s", "c", 1.0, NULL);
  h_tie(&net, "c", "u", a, NULL);
  h_tie(&net, "s", "B", 1.0, NULL);
  h_tie(&net, "B", "u", b, NULL);
  h_tie(&net, "u", "p", xs, NULL);
  h_offer(&net, "u", 1);
  h_offer(&net, "p", 1);
  query q = hq(&net, Q_PROVIDERS, "s", 1, 3);
  const double v = 1.0 * a * xs;
  const xrow x[] = {{"u", 2, a, a, "s c u"}, {"p", 3, v, v, "s c u p"}};
  expect_answer(&net, &q, x, 2);

  /* all walks would say s-B-u-p: not the documented answer */
  static ref_t r;
  answer aw[MAXN];
  char buf[128];
  ref_compute(&r, &net, q.src, 0, 1L << 40, q.k);
  walks_answers(&r, q.k, aw);
  walk_path(&net, &aw[h_idx(&net, "p")].path, buf, sizeof buf);
  assert_string_equal(buf, "s B u p");
  assert_true(aw[h_idx(&net, "p")].reach == v);

  /* Control, where the definitions agree: with exact strengths
   * (0.75, 0.75, 0.5) the prefixes through c and B tie, and B, the
   * smaller introducer, wins for u and p under both (expect_answer()
   * checks the all-walks model here as well). */
  net.tie[1].s = 0.75;
  net.tie[3].s = 0.75;
  net.tie[4].s = 0.5;
  assert_true(net_exact(&net));
  const xrow y[] = {{"u", 2, 0.75, 0.75, "s B u"},
                    {"p", 3, 0.375, 0.375, "s B u p"}};
  expect_answer(&net, &q, y, 2);
}

/* Ordering: score desc, hops asc, key asc in byte order ("B" < "a"). */
static void test_row_order(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "a");
  h_person(&net, "B");
  h_person(&net, "c");
  h_person(&net, "d");
  h_tie(&net, "s", "a", 0.5, NULL);
  h_tie(&net, "s", "B", 0.5, NULL);
  h_tie(&net, "s", "c", 1.0, NULL);
  h_tie(&net, "c", "d", 0.5, NULL);
  h_need(&net, "a", 2, 1.0);
  h_need(&net, "B", 2, 1.0);
  h_need(&net, "c", 2, 0.5);
  h_need(&net, "d", 2, 1.0);
  h_need(&net, "s", 2, 1.0); /* the source is never a row */
  query q = hq(&net, Q_PROSPECTS, "s", 2, 2);
  const xrow x[] = {{"B", 1, 0.5, 0.5, "s B"},
                    {"a", 1, 0.5, 0.5, "s a"},
                    {"c", 1, 1.0, 0.5, "s c"},
                    {"d", 2, 0.5, 0.5, "s c d"}};
  expect_answer(&net, &q, x, 4);
  q.limit = 3;
  expect_answer(&net, &q, x, 3);
  q.limit = 1;
  expect_answer(&net, &q, x, 1);
  q.limit = 9;
  expect_answer(&net, &q, x, 4);
  /* NULL options mean 2 hops */
  q.limit = 0;
  q.null_opts = 1;
  expect_answer(&net, &q, x, 4);
}

/* Recency decay: age 30 days with half-life 30 halves the tie; a contact
 * after the reference date is not decayed; no date, no decay. */
static void test_decay(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "a");
  h_person(&net, "b");
  h_person(&net, "c");
  h_tie(&net, "s", "a", 1.0, "2025-05-16");  /* 30 days before TODAY */
  h_tie(&net, "s", "b", 0.75, "2025-07-01"); /* after TODAY */
  h_tie(&net, "b", "c", 0.5, NULL);
  h_tie(&net, "a", "c", 1.0, "2025-06-15"); /* age 0 */
  h_offer(&net, "a", 1);
  h_offer(&net, "b", 1);
  h_offer(&net, "c", 1);
  query q = hq(&net, Q_PROVIDERS, "s", 1, 2);
  q.hl = 30;
  q.set_today = 1;
  const xrow x[] = {{"b", 1, 0.75, 0.75, "s b"},
                    {"a", 1, 0.5, 0.5, "s a"},
                    {"c", 2, 0.5, 0.5, "s a c"}};
  expect_answer(&net, &q, x, 3);
  /* without a half-life the dates do not matter */
  q.hl = 0;
  const xrow y[] = {{"a", 1, 1.0, 1.0, "s a"},
                    {"c", 2, 1.0, 1.0, "s a c"},
                    {"b", 1, 0.75, 0.75, "s b"}};
  expect_answer(&net, &q, y, 3);
  /* half-life 60: 0.5^(30/60) */
  q.hl = 60;
  const double h = 1.0 * pow(0.5, 30.0 / 60.0);
  const xrow z[] = {{"b", 1, 0.75, 0.75, "s b"},
                    {"a", 1, h, h, "s a"},
                    {"c", 2, h, h, "s a c"}};
  expect_answer(&net, &q, z, 3);
}

static void test_errors(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "a");
  h_tie(&net, "s", "a", 0.5, NULL);
  h_offer(&net, "a", 0);
  h_need(&net, "a", 1, 1.0);

  netref_options *o = NULL;
  assert_int_equal(netref_options_new(&o), NETREF_OK);
  assert_int_equal(netref_options_set_hops(o, 0), NETREF_EINVAL);
  assert_int_equal(netref_options_set_hops(o, 7), NETREF_EINVAL);
  assert_int_equal(netref_options_set_hops(o, 1), NETREF_OK);
  assert_int_equal(netref_options_set_hops(o, 6), NETREF_OK);

  netref_db *db = build_db(&net);
  netref_result *res = NULL;
  assert_int_equal(netref_prospects(db, "nobody", TAGS[1], o, &res),
                   NETREF_ENOTFOUND);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_providers(db, "nobody", TAGS[0], NULL, &res),
                   NETREF_ENOTFOUND);
  netref_result_free(res);
  res = NULL;
  /* a tag nobody holds and no taxonomy names is an error */
  assert_int_equal(netref_providers(db, "s", "knitting", o, &res),
                   NETREF_ENOTFOUND);
  assert_null(res);
  res = NULL;
  /* a tag that is only needed has no providers, and vice versa */
  assert_int_equal(netref_providers(db, "s", TAGS[1], o, &res), NETREF_OK);
  assert_int_equal(netref_result_count(res), 0);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_prospects(db, "s", TAGS[0], o, &res), NETREF_OK);
  assert_int_equal(netref_result_count(res), 0);
  netref_result_free(res);
  netref_options_free(o);
  netref_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_triangle_two_ties_beat_direct),
      cmocka_unit_test(test_equal_value_direct_wins),
      cmocka_unit_test(test_equal_introducers_smaller_key),
      cmocka_unit_test(test_fewest_ties_then_keys_backwards),
      cmocka_unit_test(test_never_through_source),
      cmocka_unit_test(test_longer_walk_needs_hops),
      cmocka_unit_test(test_best_prefix_not_reused),
      cmocka_unit_test(test_rounding_merges_walks),
      cmocka_unit_test(test_row_order),
      cmocka_unit_test(test_decay),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_random_networks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
