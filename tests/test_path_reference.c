/*
 * Reference test of netref_path() (netref.h, "Introduction paths").
 *
 * The reference is an exhaustive search, deliberately unlike lib/path.c:
 * for a pair (from, to) it enumerates EVERY simple path from `from` to `to`
 * (depth-first, no person twice) once, with its strength formed from
 * `from` outward (v = 1; v *= s for each tie in order, s decayed by
 * 0.5^(age / half_life) when a half-life is set), its number of ties and
 * the set of its intermediate people. A query is then answered row by
 * row by filtering that list:
 *
 * - row 0: among the paths of at most max_hops ties (any length for 0),
 *   the largest strength, and among paths of that strength the fewest
 *   ties;
 * - row i > 0: the same among the paths that use none of the intermediate
 *   people of the rows the library returned before (rows 0..i-1) and that
 *   are not the direct tie when an earlier row was the direct tie. The
 *   bans come from the library's own earlier rows, since equally good
 *   paths may be returned in any order;
 * - 1 + alternatives rows, or fewer exactly when no admissible path is
 *   left; no path at all is a result with no rows.
 *
 * Every row returned is also checked on its own: key and name of `to`,
 * tag NULL, path_length == hops + 1 <= max_hops + 1, path from `from` to
 * `to` with consecutive people tied (netref_tie_get()), no person twice,
 * the bans respected, introducer the second person (NULL for the direct
 * tie), reach == score == the product recomputed from the path exactly.
 *
 * Exactness. When every product of tie strengths is exact (strengths such
 * as 0.25, 0.5, 0.75, 1 -- also after a decay by whole half-lives -- whose
 * significant bits add up to at most 53 along any path), "equally strong"
 * is unambiguous: the strength must equal the maximum exactly and hops the
 * fewest ties among the paths reaching it. Otherwise rounding may make a
 * search that joins halves of a path pick a path a few ulps short of the
 * maximum, so the strength is only checked to a relative 1e-12 (and the
 * returned path's own product exactly) and hops is not compared.
 *
 * Environment:
 *   NETREF_PATH_SEED      base seed (decimal or 0x hex); default fixed
 *   NETREF_PATH_NETWORKS  number of random networks; default 400
 *   NETREF_PATH_STRICT    1: compare strength and hops exactly on every
 *                         network (stricter than the header guarantees)
 * A mismatch prints the seeds, the network and the query as public API
 * calls, the reference's rows and the library's, and a minimized network
 * and query that still fail.
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

#define MAXN 9
#define MAXT (MAXN * (MAXN - 1) / 2)
#define MAXLEN (MAXN - 1) /* most ties on a simple path */
/* Simple paths between two people of K9: sum of 7!/(7-j)!, j = 0..7. */
#define MAXPATHS 13700
#define KEYSZ 8
#define TODAY "2025-06-15"
#define DEFAULT_SEED 0x70617468726566ULL
#define DEFAULT_NETWORKS 400
#define MAX_REPORTS 3
#define REL_TOL 1e-12
#define MAX_ALTS 3  /* alternatives asked for in the random queries */
#define MAX_PAIRS 6 /* (from, to) pairs per network and variant */

static const double DYADIC[4] = {0.25, 0.5, 0.75, 1.0};

#include "reference.h"
#include "writes.h"

static long today_day(void) {
  static long today = -1;
  if (today < 0)
    today = parse_day(TODAY);
  return today;
}

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
  uint64_t seed;
  int n;
  char key[MAXN][KEYSZ];
  char name[MAXN][24]; /* "" when none was given: the name is the key */
  int alive[MAXN];
  int m;
  tie_t tie[2 * MAXT]; /* room for the ties added by edits */
} network;

static const char *net_name(const network *net, int p) {
  return net->name[p][0] ? net->name[p] : net->key[p];
}

static int net_find(const network *net, const char *key) {
  if (!key)
    return -1;
  for (int i = 0; i < net->n; i++)
    if (net->alive[i] && strcmp(net->key[i], key) == 0)
      return i;
  return -1;
}

static void net_kill_person(network *net, int p) {
  net->alive[p] = 0;
  for (int i = 0; i < net->m; i++)
    if (net->tie[i].a == p || net->tie[i].b == p)
      net->tie[i].alive = 0;
}

static int net_alive_count(const network *net) {
  int c = 0;
  for (int i = 0; i < net->n; i++)
    c += net->alive[i];
  return c;
}

static void gen_network(network *net, uint64_t seed) {
  rng r = {seed};
  static const double dens[] = {0.15, 0.3, 0.45, 0.6, 0.8, 1.0};

  memset(net, 0, sizeof *net);
  net->seed = seed;
  net->n = 2 + rng_int(&r, MAXN - 1);
  for (int i = 0; i < net->n; i++) {
    random_unique_key(&r, net->key[0], KEYSZ, i);
    if (rng_int(&r, 3) != 0)
      snprintf(net->name[i], sizeof net->name[i], "Person %d", i);
    net->alive[i] = 1;
  }

  /* Ties: every pair at most once, in shuffled order, random
   * orientation. */
  int pa[MAXT], pb[MAXT];
  int np = shuffled_pairs(&r, net->n, pa, pb);
  const double density =
      rng_chance(&r, 0.2) ? rng_open01(&r) : dens[rng_int(&r, 6)];
  /* kind 0: dyadic strengths only (exact products); kind 1: mostly
   * dyadic, some random doubles and copies of them a few ulps lower;
   * kind 2: many ties of 1 and a small pool of random strengths and
   * near-copies, so that different paths have products a few ulps
   * apart (or equal after rounding). */
  const int kind = rng_int(&r, 10) < 4 ? 0 : rng_int(&r, 10) < 7 ? 1 : 2;
  const double pool[2] = {rng_open01(&r), 0.5 + 0.5 * rng_open01(&r)};
  const long today = today_day();
  for (int i = 0; i < np; i++) {
    if (!rng_chance(&r, density))
      continue;
    tie_t *t = &net->tie[net->m++];
    int flip = rng_int(&r, 2);
    t->a = flip ? pb[i] : pa[i];
    t->b = flip ? pa[i] : pb[i];
    if (kind == 0 || (kind == 1 && rng_chance(&r, 0.8))) {
      t->s = DYADIC[rng_int(&r, 4)];
    } else if (kind == 1) {
      if (net->m > 1 && rng_chance(&r, 0.4)) {
        t->s = net->tie[rng_int(&r, net->m - 1)].s;
        for (int u = 1 + rng_int(&r, 3); u > 0; u--)
          t->s = nextafter(t->s, 0.0);
      } else {
        t->s = rng_open01(&r);
      }
    } else {
      int c = rng_int(&r, 10);
      if (c < 4) {
        t->s = 1.0;
      } else if (c < 6) {
        t->s = DYADIC[rng_int(&r, 4)];
      } else {
        t->s = pool[rng_int(&r, 2)];
        for (int u = rng_int(&r, 3); u > 0; u--)
          t->s = nextafter(t->s, 0.0);
      }
    }
    /* Dates: none, whole multiples of 30 days back (exact decay with
     * a half-life of 30), after the reference date (no decay), or
     * anything in the year before it. */
    t->has_date = rng_chance(&r, 0.55);
    if (t->has_date) {
      int c = rng_int(&r, 6);
      if (c < 2)
        t->day = today - 30L * rng_int(&r, 4);
      else if (c < 3)
        t->day = today + 1 + rng_int(&r, 60);
      else
        t->day = today - rng_int(&r, 366);
      format_day(t->day, t->date);
    }
    t->alive = 1;
  }
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
  return db;
}

/* ------------------------------------------------------------------ */
/* Strengths after decay; exactness                                    */

typedef struct {
  int joined[MAXN][MAXN];
  double eff[MAXN][MAXN];
  int exact; /* every product along a simple path is exact */
} model;

static double eff_strength(const tie_t *t, double hl) {
  if (hl > 0 && t->has_date) {
    long days = today_day() - t->day;
    double age = days > 0 ? (double)days : 0.0;
    return t->s * pow(0.5, age / hl);
  }
  return t->s;
}

/* Significant bits of a positive double (1 for powers of two). */
static int sig_bits(double x) {
  int e;
  double f = frexp(x, &e); /* x = f * 2^e, f in [0.5, 1) */
  uint64_t mant = (uint64_t)ldexp(f, 53);
  if (mant == 0)
    return 53;
  int tz = 0;
  while (!(mant & 1)) {
    mant >>= 1;
    tz++;
  }
  return 53 - tz;
}

static void model_build(model *md, const network *net, double hl) {
  memset(md, 0, sizeof *md);
  int bits[MAXT], nb = 0;
  double smallest = 1.0;
  for (int i = 0; i < net->m; i++) {
    const tie_t *t = &net->tie[i];
    if (!t->alive)
      continue;
    const double e = eff_strength(t, hl);
    md->joined[t->a][t->b] = md->joined[t->b][t->a] = 1;
    md->eff[t->a][t->b] = md->eff[t->b][t->a] = e;
    bits[nb++] = sig_bits(e);
    if (e < smallest)
      smallest = e;
  }
  /* exact when the significant bits of the longest possible path's
   * ties add up to at most 53 (and nothing comes near underflow) */
  for (int i = 1; i < nb; i++)
    for (int j = i; j > 0 && bits[j] > bits[j - 1]; j--) {
      int t = bits[j];
      bits[j] = bits[j - 1];
      bits[j - 1] = t;
    }
  int sum = 0, longest = net_alive_count(net) - 1;
  for (int i = 0; i < nb && i < longest; i++)
    sum += bits[i];
  md->exact = sum <= 53 && smallest > 0x1p-100;
}

/* ------------------------------------------------------------------ */
/* The exhaustive reference                                            */

typedef struct {
  double v;              /* product from `from` outward */
  unsigned mid;          /* bit mask of the intermediate people */
  int len;               /* ties */
  signed char seq[MAXN]; /* seq[0] = from, seq[len] = to */
} path_t;

typedef struct {
  int from, to;
  int np;
  path_t *p; /* every simple path from `from` to `to` */
} pathset;

static void ps_dfs(pathset *ps, const model *md, const network *net,
                   signed char *seq, int len, unsigned used, double v) {
  const int cur = seq[len];
  for (int nb = 0; nb < net->n; nb++) {
    if (!md->joined[cur][nb] || (used & (1u << nb)))
      continue;
    const double nv = v * md->eff[cur][nb];
    seq[len + 1] = (signed char)nb;
    if (nb == ps->to) {
      assert_true(ps->np < MAXPATHS);
      path_t *p = &ps->p[ps->np++];
      p->v = nv;
      p->len = len + 1;
      memcpy(p->seq, seq, sizeof p->seq);
      p->mid = 0;
      for (int j = 1; j <= len; j++)
        p->mid |= 1u << seq[j];
      continue; /* a simple path ends at `to` */
    }
    ps_dfs(ps, md, net, seq, len + 1, used | (1u << nb), nv);
  }
}

static void ps_enumerate(pathset *ps, const model *md, const network *net,
                         int from, int to) {
  ps->from = from;
  ps->to = to;
  ps->np = 0;
  ps->p = malloc(MAXPATHS * sizeof *ps->p);
  assert_non_null(ps->p);
  signed char seq[MAXN] = {0};
  seq[0] = (signed char)from;
  ps_dfs(ps, md, net, seq, 0, 1u << from, 1.0);
}

static void ps_free(pathset *ps) {
  free(ps->p);
  ps->p = NULL;
}

/* The best admissible path: at most `limit` ties (0: any), no
 * intermediate person in `ban`, not the direct tie when ban_direct. */
typedef struct {
  int found;
  double v;     /* the largest strength */
  int hops;     /* the fewest ties among paths of strength v */
  int idx;      /* one such path */
  int count;    /* admissible paths */
  int shortest; /* the fewest ties among all admissible paths */
  int hop_tie;  /* paths of strength v with different lengths exist */
} best_t;

static int admissible(const path_t *p, int limit, unsigned ban,
                      int ban_direct) {
  return (limit == 0 || p->len <= limit) && !(p->mid & ban) &&
         !(ban_direct && p->len == 1);
}

static best_t ps_best(const pathset *ps, int limit, unsigned ban,
                      int ban_direct) {
  best_t b = {0};
  b.idx = -1;
  for (int i = 0; i < ps->np; i++) {
    const path_t *p = &ps->p[i];
    if (!admissible(p, limit, ban, ban_direct))
      continue;
    b.count++;
    if (!b.found || p->len < b.shortest)
      b.shortest = p->len;
    if (!b.found || p->v > b.v || (p->v == b.v && p->len < b.hops)) {
      b.found = 1;
      b.v = p->v;
      b.hops = p->len;
      b.idx = i;
    }
  }
  if (b.found)
    for (int i = 0; i < ps->np; i++) {
      const path_t *p = &ps->p[i];
      if (admissible(p, limit, ban, ban_direct) && p->v == b.v &&
          p->len != b.hops)
        b.hop_tie = 1;
    }
  return b;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

enum { OPTS_SET = 0, OPTS_NULL = 1, OPTS_DEFAULT_HOPS = 2 };

typedef struct {
  int from, to;
  int opts_mode; /* OPTS_SET: set_max_hops(max_hops) and set_alternatives(alts);
                    OPTS_NULL: NULL options (6 hops, no alternatives, no decay);
                    OPTS_DEFAULT_HOPS: max_hops not set (6), alts set */
  int max_hops;  /* 0 for no limit */
  int alts;
  double hl; /* half-life, 0 for none */
  int set_today;
  int other_hops; /* > 0: also netref_options_set_hops(), which must not matter
                   */
} query;

static int q_limit(const query *q) {
  return q->opts_mode == OPTS_SET ? q->max_hops : 6;
}

static int q_alts(const query *q) {
  return q->opts_mode == OPTS_NULL ? 0 : q->alts;
}

static double q_hl(const query *q) {
  return q->opts_mode == OPTS_NULL ? 0 : q->hl;
}

static netref_options *make_opts(const query *q) {
  netref_options *o = NULL;
  if (q->opts_mode == OPTS_NULL)
    return NULL;
  assert_int_equal(netref_options_new(&o), NETREF_OK);
  if (q->opts_mode == OPTS_SET) {
    assert_int_equal(netref_options_set_max_hops(o, q->max_hops), NETREF_OK);
    assert_int_equal(netref_options_set_alternatives(o, q->alts), NETREF_OK);
  } else if (q->alts > 0) {
    assert_int_equal(netref_options_set_alternatives(o, q->alts), NETREF_OK);
  }
  if (q->hl > 0)
    assert_int_equal(netref_options_set_half_life(o, q->hl), NETREF_OK);
  if (q->set_today)
    assert_int_equal(netref_options_set_today(o, TODAY), NETREF_OK);
  if (q->other_hops > 0)
    assert_int_equal(netref_options_set_hops(o, q->other_hops), NETREF_OK);
  return o;
}

static void describe_query(const network *net, const query *q, FILE *out) {
  fprintf(out, "  query (as public API calls):\n");
  if (q->opts_mode == OPTS_NULL) {
    fprintf(out,
            "    netref_path(db, \"%s\", \"%s\", NULL, &res); /* 6 hops, no "
            "alternatives */\n",
            net->key[q->from], net->key[q->to]);
    return;
  }
  fprintf(out, "    netref_options_new(&o);\n");
  if (q->opts_mode == OPTS_SET) {
    fprintf(out, "    netref_options_set_max_hops(o, %d);\n", q->max_hops);
    fprintf(out, "    netref_options_set_alternatives(o, %d);\n", q->alts);
  } else {
    fprintf(out, "    /* max_hops not set: the default, 6 */\n");
    if (q->alts > 0)
      fprintf(out, "    netref_options_set_alternatives(o, %d);\n", q->alts);
  }
  if (q->hl > 0)
    fprintf(out, "    netref_options_set_half_life(o, %.17g);\n", q->hl);
  if (q->set_today)
    fprintf(out, "    netref_options_set_today(o, \"%s\");\n", TODAY);
  if (q->other_hops > 0)
    fprintf(out,
            "    netref_options_set_hops(o, %d); /* not netref_path's */\n",
            q->other_hops);
  fprintf(out, "    netref_path(db, \"%s\", \"%s\", o, &res);\n",
          net->key[q->from], net->key[q->to]);
}

static int str_eq(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

static void print_lrow(const netref_result *res, size_t i, FILE *out) {
  const char *key = netref_result_key(res, i),
             *name = netref_result_name(res, i);
  const char *intro = netref_result_introducer(res, i),
             *tag = netref_result_tag(res, i);
  fprintf(
      out,
      "    #%zu key=%s name=\"%s\" hops=%d reach=%.17g score=%.17g intro=%s "
      "tag=%s path=[",
      i, key ? key : "(null)", name ? name : "(null)",
      netref_result_hops(res, i), netref_result_reach(res, i),
      netref_result_score(res, i), intro ? intro : "(none)",
      tag ? tag : "(null)");
  size_t len = netref_result_path_length(res, i);
  for (size_t j = 0; j < len && j < 64; j++) {
    const char *pk = netref_result_path_key(res, i, j);
    fprintf(out, "%s%s", j ? " " : "", pk ? pk : "(null)");
  }
  fprintf(out, "]\n");
}

static void print_ref_row(const network *net, const pathset *ps, size_t i,
                          const best_t *b, unsigned ban, int ban_direct,
                          FILE *out) {
  fprintf(out, "    #%zu banned intermediates {", i);
  int first = 1;
  for (int p = 0; p < net->n; p++)
    if (ban & (1u << p)) {
      fprintf(out, "%s%s", first ? "" : " ", net->key[p]);
      first = 0;
    }
  fprintf(out, "}%s: ", ban_direct ? " and the direct tie" : "");
  if (!b->found) {
    fprintf(out, "no admissible path\n");
    return;
  }
  const path_t *p = &ps->p[b->idx];
  fprintf(
      out,
      "%d admissible paths; best strength %.17g, fewest ties at it %d, e.g. [",
      b->count, b->v, b->hops);
  for (int j = 0; j <= p->len; j++)
    fprintf(out, "%s%s", j ? " " : "", net->key[p->seq[j]]);
  fprintf(out, "]\n");
}

static struct {
  long queries, rows, exact_queries, decay_queries, null_opts, default_hops,
      other_hops;
  long per_limit[MAXN + 1];
  long per_alts[MAX_ALTS + 1];
  long no_path;     /* queries with no path at all */
  long truncated;   /* fewer rows than 1 + alternatives, not 0 */
  long longer_wins; /* row 0 longer than the shortest admissible path */
  long hop_ties;   /* exact rows where equal strength came in several lengths */
  long direct_alt; /* the direct tie given as an alternative (row > 0) */
  long direct_skipped; /* alternatives where the direct tie was banned */
  long tie_gets;
  long edit_queries; /* queries after edits through the public API */
  long inexact_rows; /* rows compared to a tolerance */
  long inexact_off; /* ... of which not the exact maximum or not its fewest ties
                     */
  long mismatches;
  long paths; /* simple paths enumerated */
} stats;

/* Compare the library's answer with the reference; returns 1 on a
 * mismatch and, when out is not NULL, describes it. */
static int compare(netref_db *db, const network *net, const model *md,
                   const pathset *ps, const query *q, int rc,
                   const netref_result *res, FILE *out) {
  char why[512] = "";
  const int limit = q_limit(q), alts = q_alts(q);
  const size_t count = rc == NETREF_OK ? netref_result_count(res) : 0;
  const int strict =
      getenv("NETREF_PATH_STRICT") && atoi(getenv("NETREF_PATH_STRICT"));
  unsigned ban = 0;
  int ban_direct = 0;
  best_t refs[64];
  unsigned bans[64];
  int bdirect[64];
  size_t nref = 0;
  long local_direct_alt = 0, local_longer = 0, local_hop_ties = 0,
       local_direct_skipped = 0;
  long local_inexact_rows = 0, local_inexact_off = 0;

  if (rc != NETREF_OK) {
    snprintf(why, sizeof why, "returned %d (%s): %s", rc, netref_strerror(rc),
             netref_errmsg(db));
  } else if (count > (size_t)alts + 1) {
    snprintf(why, sizeof why, "%zu rows, at most 1 + %d alternatives expected",
             count, alts);
  }
  for (size_t i = 0; !why[0] && i <= (size_t)alts; i++) {
    const best_t b = ps_best(ps, limit, ban, ban_direct);
    refs[nref] = b;
    bans[nref] = ban;
    bdirect[nref] = ban_direct;
    nref++;
    if (ban_direct)
      local_direct_skipped++;
    if (i >= count) {
      if (b.found)
        snprintf(why, sizeof why,
                 "only %zu rows, but an admissible path for row %zu exists",
                 count, i);
      break;
    }
    if (!b.found) {
      snprintf(why, sizeof why,
               "row %zu returned, but no admissible path is left", i);
      break;
    }
    /* the row on its own */
    const int hops = netref_result_hops(res, i);
    const size_t plen = netref_result_path_length(res, i);
    const double reach = netref_result_reach(res, i),
                 score = netref_result_score(res, i);
    const char *intro = netref_result_introducer(res, i);
    int seq[MAXN + 1];
    if (!str_eq(netref_result_key(res, i), net->key[ps->to])) {
      snprintf(why, sizeof why, "row %zu: key is not `to`", i);
      break;
    }
    if (!str_eq(netref_result_name(res, i), net_name(net, ps->to))) {
      snprintf(why, sizeof why, "row %zu: name is not `to`'s name", i);
      break;
    }
    if (netref_result_tag(res, i) != NULL) {
      snprintf(why, sizeof why, "row %zu: tag is not NULL", i);
      break;
    }
    if (hops < 1 || hops > MAXLEN || (limit > 0 && hops > limit)) {
      snprintf(why, sizeof why, "row %zu: hops %d out of range (limit %d)", i,
               hops, limit);
      break;
    }
    if (plen != (size_t)hops + 1) {
      snprintf(why, sizeof why, "row %zu: path length %zu, hops %d", i, plen,
               hops);
      break;
    }
    if (netref_result_path_key(res, i, plen) != NULL) {
      snprintf(why, sizeof why, "row %zu: path_key(path_length) is not NULL",
               i);
      break;
    }
    unsigned seen = 0, mid = 0;
    for (size_t j = 0; j < plen && !why[0]; j++) {
      const char *pk = netref_result_path_key(res, i, j);
      seq[j] = net_find(net, pk);
      if (seq[j] < 0)
        snprintf(why, sizeof why, "row %zu: path position %zu is not a person",
                 i, j);
      else if (seen & (1u << seq[j]))
        snprintf(why, sizeof why, "row %zu: %s twice on the path", i, pk);
      seen |= seq[j] >= 0 ? 1u << seq[j] : 0;
      if (!why[0] && j > 0 && j + 1 < plen)
        mid |= 1u << seq[j];
    }
    if (why[0])
      break;
    if (seq[0] != ps->from || seq[plen - 1] != ps->to) {
      snprintf(why, sizeof why,
               "row %zu: the path does not go from `from` to `to`", i);
      break;
    }
    double v = 1.0;
    for (size_t j = 1; j < plen && !why[0]; j++) {
      netref_rows *tr = NULL;
      int trc = netref_tie_get(db, net->key[seq[j - 1]], net->key[seq[j]], &tr);
      stats.tie_gets++;
      netref_rows_free(tr);
      if (trc != NETREF_OK || !md->joined[seq[j - 1]][seq[j]])
        snprintf(why, sizeof why,
                 "row %zu: no tie %s-%s on the path (tie_get %d)", i,
                 net->key[seq[j - 1]], net->key[seq[j]], trc);
      else
        v = v * md->eff[seq[j - 1]][seq[j]];
    }
    if (why[0])
      break;
    if (hops >= 2 ? !str_eq(intro, net->key[seq[1]]) : intro != NULL) {
      snprintf(why, sizeof why, "row %zu: introducer is not the second person",
               i);
      break;
    }
    if (mid & ban) {
      snprintf(why, sizeof why,
               "row %zu: uses an intermediate of an earlier row", i);
      break;
    }
    if (ban_direct && hops == 1) {
      snprintf(why, sizeof why, "row %zu: the direct tie again", i);
      break;
    }
    if (reach != v) {
      snprintf(why, sizeof why, "row %zu: reach %a, the path's own product %a",
               i, reach, v);
      break;
    }
    if (score != reach) {
      snprintf(why, sizeof why, "row %zu: score %a != reach %a", i, score,
               reach);
      break;
    }
    /* against the best admissible path */
    if (md->exact || strict) {
      if (reach != b.v) {
        snprintf(why, sizeof why,
                 "row %zu: strength %.17g, the strongest is %.17g", i, reach,
                 b.v);
        break;
      }
      if (hops != b.hops) {
        snprintf(why, sizeof why,
                 "row %zu: %d ties, the fewest at the largest strength is %d",
                 i, hops, b.hops);
        break;
      }
      local_hop_ties += b.hop_tie;
    } else if (!(fabs(reach - b.v) <= REL_TOL * b.v)) {
      snprintf(why, sizeof why,
               "row %zu: strength %.17g, the strongest is %.17g", i, reach,
               b.v);
      break;
    } else {
      local_inexact_rows++;
      local_inexact_off += reach != b.v || hops != b.hops;
    }
    if (i == 0 && hops > b.shortest)
      local_longer++;
    if (i > 0 && hops == 1)
      local_direct_alt++;
    ban |= mid;
    if (hops == 1)
      ban_direct = 1;
  }
  if (!why[0] && rc == NETREF_OK && netref_result_key(res, count) != NULL)
    snprintf(why, sizeof why, "netref_result_key(res, count) is not NULL");
  if (!why[0] && rc == NETREF_OK && netref_result_hops(res, count) != -1)
    snprintf(why, sizeof why, "netref_result_hops(res, count) is not -1");

  if (!why[0]) {
    stats.queries++;
    stats.rows += (long)count;
    stats.exact_queries += md->exact;
    stats.per_limit[limit]++;
    stats.per_alts[alts < MAX_ALTS ? alts : MAX_ALTS]++;
    stats.no_path += count == 0;
    stats.truncated += count > 0 && count < (size_t)alts + 1;
    stats.longer_wins += local_longer;
    stats.hop_ties += local_hop_ties;
    stats.direct_alt += local_direct_alt;
    stats.direct_skipped += local_direct_skipped;
    stats.inexact_rows += local_inexact_rows;
    stats.inexact_off += local_inexact_off;
    stats.decay_queries += q_hl(q) > 0;
    stats.null_opts += q->opts_mode == OPTS_NULL;
    stats.default_hops += q->opts_mode == OPTS_DEFAULT_HOPS;
    stats.other_hops += q->other_hops > 0 && q->opts_mode != OPTS_NULL;
    return 0;
  }
  if (out) {
    fprintf(out, "  difference: %s\n", why);
    fprintf(out,
            "  reference (%s products%s), row by row with the bans from the "
            "library's earlier rows:\n",
            md->exact ? "exact" : "inexact",
            md->exact ? ""
            : strict  ? ", compared exactly (NETREF_PATH_STRICT)"
                      : ": strengths to a relative 1e-12, hops not compared");
    for (size_t i = 0; i < nref; i++)
      print_ref_row(net, ps, i, &refs[i], bans[i], bdirect[i], out);
    if (rc == NETREF_OK) {
      fprintf(out, "  got (%zu rows):\n", count);
      for (size_t i = 0; i < count && i < 32; i++)
        print_lrow(res, i, out);
    }
  }
  return 1;
}

static int check_query(netref_db *db, const network *net, const model *md,
                       const pathset *ps, const query *q, FILE *out) {
  netref_options *opts = make_opts(q);
  netref_result *res = NULL;
  int rc = netref_path(db, net->key[q->from], net->key[q->to], opts, &res);
  int bad = compare(db, net, md, ps, q, rc, res, out);
  netref_result_free(res);
  netref_options_free(opts);
  return bad;
}

/* Everything from scratch: model, paths, a fresh database, the query. */
static int check_fresh(const network *net, const query *q, FILE *out) {
  model md;
  pathset ps;
  model_build(&md, net, q_hl(q));
  ps_enumerate(&ps, &md, net, q->from, q->to);
  netref_db *db = build_db(net);
  int bad = check_query(db, net, &md, &ps, q, out);
  netref_close(db);
  ps_free(&ps);
  return bad;
}

/* Greedily delete people, ties and dates, and simplify the query, while
 * it still fails. */
static void minimize(network *net, query *q) {
  int changed = 1;
  while (changed) {
    changed = 0;
    for (int p = 0; p < net->n; p++) {
      if (p == q->from || p == q->to || !net->alive[p])
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
    query t = *q;
    if (t.other_hops > 0) {
      t.other_hops = 0;
      if (check_fresh(net, &t, NULL)) {
        *q = t;
        changed = 1;
      }
    }
    t = *q;
    if (t.alts > 0) {
      t.alts--;
      if (check_fresh(net, &t, NULL)) {
        *q = t;
        changed = 1;
      }
    }
    t = *q;
    if (t.opts_mode == OPTS_SET && t.max_hops > 1) {
      t.max_hops--;
      if (check_fresh(net, &t, NULL)) {
        *q = t;
        changed = 1;
      }
    }
    t = *q;
    if (t.hl == 0 && t.set_today) {
      t.set_today = 0;
      if (check_fresh(net, &t, NULL)) {
        *q = t;
        changed = 1;
      }
    }
    t = *q;
    if (t.hl > 0) {
      t.hl = 0;
      if (check_fresh(net, &t, NULL)) {
        *q = t;
        changed = 1;
      }
    }
  }
}

/* Edits made to a network after it was queried (see random_edit()). */
static char edit_log[16384];

static void log_edit(const char *fmt, ...) {
  size_t used = strlen(edit_log);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(edit_log + used, sizeof edit_log - used, fmt, ap);
  va_end(ap);
}

static void report_mismatch(const network *net, const query *q, uint64_t base,
                            int index) {
  stats.mismatches++;
  if (stats.mismatches > MAX_REPORTS)
    return;
  printf("MISMATCH (base seed 0x%llx, network #%d; rerun with "
         "NETREF_PATH_SEED=0x%llx)\n",
         (unsigned long long)base, index, (unsigned long long)base);
  describe_network(net, stdout);
  describe_query(net, q, stdout);
  if (!check_fresh(net, q, stdout)) {
    printf(
        "  (does not fail on a fresh database: depends on earlier queries%s)\n",
        edit_log[0]
            ? " or on these edits, made through the public API after "
              "queries on the generated network; the network above is the "
              "state after them"
            : "");
    if (edit_log[0])
      printf("%s", edit_log);
    fflush(stdout);
    return;
  }
  network mn = *net;
  query mq = *q;
  minimize(&mn, &mq);
  printf("MINIMIZED:\n");
  describe_network(&mn, stdout);
  describe_query(&mn, &mq, stdout);
  check_fresh(&mn, &mq, stdout);
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

static void check_errors_on(netref_db *db, const network *net, rng *r) {
  netref_result *res = NULL;
  int p;
  do
    p = rng_int(r, net->n);
  while (!net->alive[p]);
  netref_options *o = NULL;
  assert_int_equal(netref_options_new(&o), NETREF_OK);
  assert_int_equal(netref_options_set_max_hops(o, rng_int(r, 8)), NETREF_OK);
  assert_int_equal(netref_options_set_alternatives(o, rng_int(r, 4)),
                   NETREF_OK);
  assert_int_equal(netref_path(db, "zzzz", net->key[p], o, &res),
                   NETREF_ENOTFOUND);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, net->key[p], "zzzz", NULL, &res),
                   NETREF_ENOTFOUND);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, net->key[p], net->key[p], o, &res),
                   NETREF_EINVAL);
  netref_result_free(res);
  netref_options_free(o);
}

static int alive_ties(const network *net, int *out) {
  int c = 0;
  for (int i = 0; i < net->m; i++)
    if (net->tie[i].alive)
      out[c++] = i;
  return c;
}

/* One random change through the public API, mirrored in the model. */
static void random_edit(netref_db *db, network *net, rng *r) {
  int live[2 * MAXT];
  const int nt = alive_ties(net, live);
  int kind = rng_int(r, 4);
  if (kind == 0 && (net->n >= MAXN || net->m + MAXN > 2 * MAXT))
    kind = 1;
  if ((kind == 1 || kind == 2) && nt == 0)
    kind = 3;
  if (kind == 3 && net_alive_count(net) <= 2)
    kind = net->n < MAXN && net->m + MAXN <= 2 * MAXT ? 0 : -1;
  if (kind == 0) {
    const int p = net->n;
    random_unique_key(r, net->key[0], KEYSZ, p);
    net->name[p][0] = '\0';
    net->alive[p] = 1;
    net->n++;
    assert_int_equal(netref_person_add(db, net->key[p], NULL), NETREF_OK);
    log_edit("    netref_person_add(db, \"%s\", NULL);\n", net->key[p]);
    for (int c = 1 + rng_int(r, 3); c > 0; c--) {
      const int o = rng_int(r, p);
      int dup = 0;
      for (int i = 0; i < net->m; i++)
        dup |=
            net->tie[i].alive && ((net->tie[i].a == o && net->tie[i].b == p) ||
                                  (net->tie[i].a == p && net->tie[i].b == o));
      if (!net->alive[o] || dup)
        continue;
      tie_t *t = &net->tie[net->m++];
      memset(t, 0, sizeof *t);
      t->a = p;
      t->b = o;
      t->s = rng_chance(r, 0.8) ? DYADIC[rng_int(r, 4)] : rng_open01(r);
      t->alive = 1;
      assert_int_equal(
          t_tie_set(db, net->key[p], net->key[o], t->s, NULL, NULL), NETREF_OK);
      log_edit("    t_tie_set(db, \"%s\", \"%s\", %.17g, NULL, NULL);\n",
               net->key[p], net->key[o], t->s);
    }
  } else if (kind == 1) {
    tie_t *t = &net->tie[live[rng_int(r, nt)]];
    t->alive = 0;
    assert_int_equal(netref_tie_remove(db, net->key[t->b], net->key[t->a]),
                     NETREF_OK);
    log_edit("    netref_tie_remove(db, \"%s\", \"%s\");\n", net->key[t->b],
             net->key[t->a]);
  } else if (kind == 2) {
    tie_t *t = &net->tie[live[rng_int(r, nt)]];
    t->s = rng_chance(r, 0.8) ? DYADIC[rng_int(r, 4)] : rng_open01(r);
    assert_int_equal(
        t_tie_set(db, net->key[t->b], net->key[t->a], t->s, NULL, NULL),
        NETREF_OK);
    log_edit("    t_tie_set(db, \"%s\", \"%s\", %.17g, NULL, NULL);\n",
             net->key[t->b], net->key[t->a], t->s);
  } else if (kind == 3) {
    int p;
    do
      p = rng_int(r, net->n);
    while (!net->alive[p]);
    net_kill_person(net, p);
    assert_int_equal(netref_person_remove(db, net->key[p]), NETREF_OK);
    log_edit("    netref_person_remove(db, \"%s\");\n", net->key[p]);
  }
}

static void test_random_networks(void **state) {
  (void)state;
  const uint64_t base = env_u64("NETREF_PATH_SEED", DEFAULT_SEED);
  const int count = (int)env_u64("NETREF_PATH_NETWORKS", DEFAULT_NETWORKS);
  static const double half_lives[] = {30, 30, 90, 45.5, 7, 365};
  printf("path reference: base seed 0x%llx, %d networks\n",
         (unsigned long long)base, count);
  memset(&stats, 0, sizeof stats);
  long exact_networks = 0;

  for (int index = 0; index < count; index++) {
    rng seeder = {base ^ ((uint64_t)index * 0xD1B54A32D192ED03ULL)};
    network net;
    gen_network(&net, rng_next(&seeder));
    rng r2 = {net.seed ^ 0x5bd1e995ULL};
    netref_db *db = build_db(&net);

    /* The (from, to) pairs: all of them for small networks, else a
     * sample. */
    int pf[MAXN * MAXN], pt[MAXN * MAXN], np = 0;
    for (int a = 0; a < net.n; a++)
      for (int b = 0; b < net.n; b++)
        if (a != b) {
          pf[np] = a;
          pt[np] = b;
          np++;
        }
    for (int i = np - 1; i > 0; i--) {
      int j = rng_int(&r2, i + 1), t;
      t = pf[i], pf[i] = pf[j], pf[j] = t;
      t = pt[i], pt[i] = pt[j], pt[j] = t;
    }
    if (np > MAX_PAIRS)
      np = MAX_PAIRS;

    /* variant 0: no decay; variant 1 (every other network): decay */
    for (int variant = 0; variant < 1 + (index & 1); variant++) {
      const double hl = variant ? half_lives[rng_int(&r2, 6)] : 0;
      const int set_today = variant ? 1 : rng_int(&r2, 2);
      model md;
      model_build(&md, &net, hl);
      exact_networks += md.exact;
      for (int pi = 0; pi < np; pi++) {
        pathset ps;
        ps_enumerate(&ps, &md, &net, pf[pi], pt[pi]);
        stats.paths += ps.np;
        for (int mh = 0; mh <= 7; mh++)
          for (int alts = 0; alts <= MAX_ALTS; alts++) {
            /* every (max_hops, alternatives) for a third of the
             * pairs, one alternatives count per max_hops for
             * the rest */
            if (pi % 3 != 0 && alts != rng_int(&r2, MAX_ALTS + 1))
              continue;
            query q = {pf[pi], pt[pi], OPTS_SET, mh, alts, hl, set_today, 0};
            if (rng_chance(&r2, 0.15))
              q.other_hops = 1 + rng_int(&r2, 6);
            if (check_query(db, &net, &md, &ps, &q, NULL))
              report_mismatch(&net, &q, base, index);
          }
        /* the defaults: NULL options; options without max_hops */
        {
          query q = {pf[pi], pt[pi], OPTS_NULL, 6, 0, 0, 0, 0};
          if (variant == 0 && check_query(db, &net, &md, &ps, &q, NULL))
            report_mismatch(&net, &q, base, index);
          q.opts_mode = OPTS_DEFAULT_HOPS;
          q.alts = rng_int(&r2, MAX_ALTS + 1);
          q.hl = hl;
          q.set_today = set_today;
          if (check_query(db, &net, &md, &ps, &q, NULL))
            report_mismatch(&net, &q, base, index);
        }
        ps_free(&ps);
      }
    }
    /* Every third network: edit it through the public API after the
     * queries above (add a person with ties, remove or change a tie,
     * remove a person) and query again, so that whatever the library
     * keeps between queries must follow the changes. */
    edit_log[0] = '\0';
    if (index % 3 == 2)
      for (int round = 0; round < 4; round++) {
        random_edit(db, &net, &r2);
        const double hl =
            rng_chance(&r2, 0.3) ? half_lives[rng_int(&r2, 6)] : 0;
        model md;
        model_build(&md, &net, hl);
        for (int qi = 0; qi < 4; qi++) {
          int from = rng_int(&r2, net.n), to = rng_int(&r2, net.n);
          if (from == to || !net.alive[from] || !net.alive[to])
            continue;
          pathset ps;
          ps_enumerate(&ps, &md, &net, from, to);
          query q = {
              from, to, OPTS_SET, rng_int(&r2, 8), rng_int(&r2, MAX_ALTS + 1),
              hl,   1,  0};
          stats.edit_queries++;
          if (check_query(db, &net, &md, &ps, &q, NULL))
            report_mismatch(&net, &q, base, index);
          ps_free(&ps);
        }
      }
    edit_log[0] = '\0';
    check_errors_on(db, &net, &r2);
    netref_close(db);
  }

  printf("path reference: %ld queries compared (%ld on exact products, %ld "
         "with decay, "
         "%ld NULL options, %ld default max_hops, %ld with "
         "netref_options_set_hops too), "
         "%ld rows, %ld simple paths enumerated; %ld network variants exact\n",
         stats.queries, stats.exact_queries, stats.decay_queries,
         stats.null_opts, stats.default_hops, stats.other_hops, stats.rows,
         stats.paths, exact_networks);
  printf("path reference: queries per max_hops:");
  for (int k = 0; k <= 7; k++)
    printf(" %d:%ld", k, stats.per_limit[k]);
  printf("; per alternatives:");
  for (int a = 0; a <= MAX_ALTS; a++)
    printf(" %d:%ld", a, stats.per_alts[a]);
  printf("\npath reference: no path %ld, fewer rows than asked %ld, best path "
         "longer than "
         "the shortest %ld, equal strength in several lengths (exact) %ld, "
         "direct tie as "
         "an alternative %ld, alternatives with the direct tie banned %ld, "
         "tie_get checks "
         "%ld\n",
         stats.no_path, stats.truncated, stats.longer_wins, stats.hop_ties,
         stats.direct_alt, stats.direct_skipped, stats.tie_gets);
  printf("path reference: %ld queries after edits (person added/removed, tie "
         "removed/changed) on networks queried before\n",
         stats.edit_queries);
  printf("path reference: inexact products: %ld rows checked to a relative %g, "
         "%ld of them "
         "a few ulps short of the exact maximum or not its fewest ties "
         "(allowed)\n",
         stats.inexact_rows, REL_TOL, stats.inexact_off);
  fflush(stdout);
  if (stats.mismatches)
    fail_msg("%ld mismatches (first %d shown above)", stats.mismatches,
             MAX_REPORTS);
}

/* ------------------------------------------------------------------ */
/* Hand-built networks                                                 */

static void h_init(network *net) { memset(net, 0, sizeof *net); }

static int h_idx(const network *net, const char *key) {
  int i = net_find(net, key);
  if (i < 0)
    fail_msg("unknown key %s", key);
  return i;
}

static void h_person(network *net, const char *key) {
  assert_true(net->n < MAXN && strlen(key) < KEYSZ);
  strcpy(net->key[net->n], key);
  net->alive[net->n] = 1;
  net->n++;
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

static query hq(const network *net, const char *from, const char *to,
                int max_hops, int alts) {
  query q = {0};
  q.from = h_idx(net, from);
  q.to = h_idx(net, to);
  q.opts_mode = OPTS_SET;
  q.max_hops = max_hops;
  q.alts = alts;
  return q;
}

typedef struct {
  const char *path; /* keys separated by spaces, `from` first */
  double strength;
} xrow;

/* The hand-written rows must agree with the reference (so the worked
 * answer is what netref.h says), and the library must return them
 * literally. */
static void expect_paths(const network *net, const query *q, const xrow *x,
                         size_t nx) {
  char buf[128];
  /* 1. the reference agrees with the hand-written answer */
  model md;
  pathset ps;
  model_build(&md, net, q_hl(q));
  ps_enumerate(&ps, &md, net, q->from, q->to);
  unsigned ban = 0;
  int ban_direct = 0;
  for (size_t i = 0; i <= (size_t)q_alts(q); i++) {
    best_t b = ps_best(&ps, q_limit(q), ban, ban_direct);
    if (i >= nx) {
      assert_false(b.found);
      break;
    }
    assert_true(b.found);
    assert_true(b.v == x[i].strength);
    /* the hand-written path is admissible, and has the best strength
     * and the fewest ties at it */
    int found = 0;
    for (int k = 0; k < ps.np; k++) {
      const path_t *p = &ps.p[k];
      buf[0] = '\0';
      for (int j = 0; j <= p->len; j++) {
        strncat(buf, j ? " " : "", sizeof buf - strlen(buf) - 1);
        strncat(buf, net->key[p->seq[j]], sizeof buf - strlen(buf) - 1);
      }
      if (strcmp(buf, x[i].path) == 0) {
        found = 1;
        assert_true(admissible(p, q_limit(q), ban, ban_direct));
        assert_true(p->v == b.v);
        assert_int_equal(p->len, b.hops);
        ban |= p->mid;
        ban_direct |= p->len == 1;
      }
    }
    if (!found)
      fail_msg("hand-written path [%s] is not a simple path", x[i].path);
  }
  ps_free(&ps);

  /* 2. the full comparison with the reference */
  netref_db *db = build_db(net);
  if (check_fresh(net, q, NULL)) {
    printf("hand-built case differs:\n");
    describe_network(net, stdout);
    describe_query(net, q, stdout);
    check_fresh(net, q, stdout);
    fflush(stdout);
    netref_close(db);
    fail_msg("library differs from the reference");
  }

  /* 3. literally */
  netref_options *opts = make_opts(q);
  netref_result *res = NULL;
  int rc = netref_path(db, net->key[q->from], net->key[q->to], opts, &res);
  if (rc != NETREF_OK)
    print_error("netref_path failed: %s\n", netref_errmsg(db));
  assert_int_equal(rc, NETREF_OK);
  if (netref_result_count(res) != nx)
    for (size_t i = 0; i < netref_result_count(res); i++)
      print_lrow(res, i, stdout);
  assert_int_equal(netref_result_count(res), nx);
  for (size_t i = 0; i < nx; i++) {
    buf[0] = '\0';
    size_t len = netref_result_path_length(res, i);
    for (size_t j = 0; j < len; j++) {
      const char *pk = netref_result_path_key(res, i, j);
      assert_non_null(pk);
      strncat(buf, j ? " " : "", sizeof buf - strlen(buf) - 1);
      strncat(buf, pk, sizeof buf - strlen(buf) - 1);
    }
    if (strcmp(buf, x[i].path) != 0)
      print_lrow(res, i, stdout);
    assert_string_equal(buf, x[i].path);
    assert_true(netref_result_reach(res, i) == x[i].strength);
    assert_true(netref_result_score(res, i) == x[i].strength);
    assert_int_equal(netref_result_hops(res, i), (int)len - 1);
    assert_string_equal(netref_result_key(res, i), net->key[q->to]);
    assert_string_equal(netref_result_name(res, i), net_name(net, q->to));
    assert_null(netref_result_tag(res, i));
    if (len > 2)
      assert_string_equal(netref_result_introducer(res, i),
                          netref_result_path_key(res, i, 1));
    else
      assert_null(netref_result_introducer(res, i));
  }
  assert_null(netref_result_key(res, nx));
  assert_int_equal(netref_result_hops(res, nx), -1);
  assert_true(isnan(netref_result_reach(res, nx)));
  assert_int_equal(netref_result_path_length(res, nx), 0);
  netref_result_free(res);
  netref_options_free(opts);
  netref_close(db);
}

/* s-t 0.25; s-a 1, a-t 0.5; s-b 1, b-c 1, c-t 0.75. */
static void three_routes(network *net) {
  h_init(net);
  h_person(net, "s");
  h_person(net, "t");
  h_person(net, "a");
  h_person(net, "b");
  h_person(net, "c");
  strcpy(net->name[1], "Tess");
  h_tie(net, "s", "t", 0.25, NULL);
  h_tie(net, "a", "s", 1.0, NULL);
  h_tie(net, "a", "t", 0.5, NULL);
  h_tie(net, "s", "b", 1.0, NULL);
  h_tie(net, "c", "b", 1.0, NULL);
  h_tie(net, "c", "t", 0.75, NULL);
}

/* The strongest path (3 ties, 0.75) is longer than the shortest (the
 * direct tie, 0.25) and than the 2-tie one (0.5). */
static void test_strongest_longer_than_shortest(void **state) {
  (void)state;
  network net;
  three_routes(&net);
  query q = hq(&net, "s", "t", 0, 0);
  const xrow x[] = {{"s b c t", 0.75}};
  expect_paths(&net, &q, x, 1);
  q.max_hops = 3;
  expect_paths(&net, &q, x, 1);
  /* and the other way round, from t: the product is the same */
  q = hq(&net, "t", "s", 6, 0);
  const xrow y[] = {{"t c b s", 0.75}};
  expect_paths(&net, &q, y, 1);
}

/* A hop limit of 2 forces the weaker 2-tie path, 1 the direct tie. */
static void test_hop_limit_forces_weaker(void **state) {
  (void)state;
  network net;
  three_routes(&net);
  query q = hq(&net, "s", "t", 2, 0);
  const xrow x[] = {{"s a t", 0.5}};
  expect_paths(&net, &q, x, 1);
  q.max_hops = 1;
  const xrow y[] = {{"s t", 0.25}};
  expect_paths(&net, &q, y, 1);
  /* alternatives under the limit: then the direct tie, then nothing */
  q.max_hops = 2;
  q.alts = 3;
  const xrow z[] = {{"s a t", 0.5}, {"s t", 0.25}};
  expect_paths(&net, &q, z, 2);
}

/* A chain of 7 ties and nothing else: no limit finds it, 7 does, 6 (and
 * the default, 6) do not. */
static void test_no_limit_finds_seven_ties(void **state) {
  (void)state;
  network net;
  h_init(&net);
  static const char *const chain[] = {"s",  "p1", "p2", "p3",
                                      "p4", "p5", "p6", "t"};
  for (int i = 0; i < 8; i++)
    h_person(&net, chain[i]);
  for (int i = 0; i < 7; i++)
    h_tie(&net, chain[i], chain[i + 1], i == 3 ? 0.5 : 1.0, NULL);
  query q = hq(&net, "s", "t", 0, 0);
  const xrow x[] = {{"s p1 p2 p3 p4 p5 p6 t", 0.5}};
  expect_paths(&net, &q, x, 1);
  q.alts = 2;
  expect_paths(&net, &q, x, 1);
  q.max_hops = 7;
  expect_paths(&net, &q, x, 1);
  q.max_hops = 6;
  expect_paths(&net, &q, NULL, 0);
  q.opts_mode = OPTS_NULL;
  expect_paths(&net, &q, NULL, 0);
  q.opts_mode = OPTS_DEFAULT_HOPS;
  expect_paths(&net, &q, NULL, 0);
  /* a short cut p2-p5 makes a 4-tie path */
  h_tie(&net, "p2", "p5", 0.25, NULL);
  const xrow y[] = {{"s p1 p2 p5 p6 t", 0.25}};
  expect_paths(&net, &q, y, 1);
  q.opts_mode = OPTS_SET;
  q.max_hops = 0;
  const xrow z[] = {{"s p1 p2 p3 p4 p5 p6 t", 0.5}};
  expect_paths(&net, &q, z, 1);
}

/* Equal strength 0.5: s-a-t (2 ties) and s-B-c-t (3 ties). The 2-tie
 * path must be chosen, though "B" was created first and is the smaller
 * key. The 3-tie one is the alternative. */
static void test_equal_strength_fewer_ties(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "B");
  h_person(&net, "c");
  h_person(&net, "t");
  h_person(&net, "a");
  h_tie(&net, "s", "B", 1.0, NULL);
  h_tie(&net, "B", "c", 0.5, NULL);
  h_tie(&net, "c", "t", 1.0, NULL);
  h_tie(&net, "s", "a", 0.5, NULL);
  h_tie(&net, "a", "t", 1.0, NULL);
  query q = hq(&net, "s", "t", 0, 0);
  const xrow x[] = {{"s a t", 0.5}};
  expect_paths(&net, &q, x, 1);
  q.alts = 1;
  const xrow y[] = {{"s a t", 0.5}, {"s B c t", 0.5}};
  expect_paths(&net, &q, y, 2);
  /* from the other end, too */
  q = hq(&net, "t", "s", 5, 0);
  const xrow z[] = {{"t a s", 0.5}};
  expect_paths(&net, &q, z, 1);
  /* equal strength, direct tie against 2 ties: the direct tie */
  h_tie(&net, "s", "t", 0.5, NULL);
  q = hq(&net, "s", "t", 0, 0);
  const xrow w[] = {{"s t", 0.5}};
  expect_paths(&net, &q, w, 1);
}

/* s-a-t 1.0; s-a-b-t 0.75 (shares a); s-c-t 0.5. The alternative is
 * s-c-t, not the second-strongest s-a-b-t; then nothing is left. */
static void test_alternatives_disjoint(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "t");
  h_person(&net, "s");
  h_person(&net, "c");
  h_person(&net, "b");
  h_person(&net, "a");
  h_tie(&net, "s", "a", 1.0, NULL);
  h_tie(&net, "a", "t", 1.0, NULL);
  h_tie(&net, "a", "b", 1.0, NULL);
  h_tie(&net, "b", "t", 0.75, NULL);
  h_tie(&net, "s", "c", 0.5, NULL);
  h_tie(&net, "c", "t", 1.0, NULL);
  query q = hq(&net, "s", "t", 0, 2);
  const xrow x[] = {{"s a t", 1.0}, {"s c t", 0.5}};
  expect_paths(&net, &q, x, 2);
  /* with a tie s-b, s-b-t (0.75) is disjoint from s-a-t */
  h_tie(&net, "s", "b", 1.0, NULL);
  const xrow y[] = {{"s a t", 1.0}, {"s b t", 0.75}, {"s c t", 0.5}};
  q.alts = 5;
  expect_paths(&net, &q, y, 3);
  /* no alternatives asked: one row */
  q.alts = 0;
  expect_paths(&net, &q, y, 1);
}

/* The direct tie (1.0) first, then paths through a (0.5) and b (0.25);
 * the direct tie is not given again. And when the direct tie comes as an
 * alternative, it comes once. */
static void test_direct_tie_once(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "t");
  h_person(&net, "a");
  h_person(&net, "b");
  h_tie(&net, "s", "t", 1.0, NULL);
  h_tie(&net, "s", "a", 0.5, NULL);
  h_tie(&net, "a", "t", 1.0, NULL);
  h_tie(&net, "t", "b", 0.5, NULL);
  h_tie(&net, "b", "s", 0.5, NULL);
  query q = hq(&net, "s", "t", 0, 3);
  const xrow x[] = {{"s t", 1.0}, {"s a t", 0.5}, {"s b t", 0.25}};
  expect_paths(&net, &q, x, 3);
  q.alts = 1;
  expect_paths(&net, &q, x, 2);
  /* direct tie alone: given once */
  network n2;
  h_init(&n2);
  h_person(&n2, "s");
  h_person(&n2, "t");
  h_tie(&n2, "t", "s", 0.75, NULL);
  q = hq(&n2, "s", "t", 0, 20);
  const xrow y[] = {{"s t", 0.75}};
  expect_paths(&n2, &q, y, 1);
  /* three_routes: the direct tie is the last alternative */
  network n3;
  three_routes(&n3);
  q = hq(&n3, "s", "t", 4, 4);
  const xrow z[] = {{"s b c t", 0.75}, {"s a t", 0.5}, {"s t", 0.25}};
  expect_paths(&n3, &q, z, 3);
}

/* Disconnected people: no rows and NETREF_OK. */
static void test_disconnected(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "a");
  h_person(&net, "t");
  h_person(&net, "b");
  h_person(&net, "lone");
  h_tie(&net, "s", "a", 1.0, NULL);
  h_tie(&net, "t", "b", 1.0, NULL);
  query q = hq(&net, "s", "t", 0, 3);
  expect_paths(&net, &q, NULL, 0);
  q = hq(&net, "lone", "s", 1, 0);
  expect_paths(&net, &q, NULL, 0);
  q = hq(&net, "b", "lone", 6, 2);
  expect_paths(&net, &q, NULL, 0);
}

/* Recency decay: s-t 1.0 last seen 30 days before TODAY halves with a
 * half-life of 30, so s-a-t (0.75 * 0.75, no dates) wins. */
static void test_decay(void **state) {
  (void)state;
  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "t");
  h_person(&net, "a");
  h_person(&net, "b");
  h_tie(&net, "s", "t", 1.0, "2025-05-16");
  h_tie(&net, "s", "a", 0.75, NULL);
  h_tie(&net, "a", "t", 0.75, "2025-07-01"); /* after TODAY: age 0 */
  h_tie(&net, "s", "b", 1.0, "2025-06-15");
  h_tie(&net, "b", "t", 0.25, NULL);
  query q = hq(&net, "s", "t", 0, 2);
  q.hl = 30;
  q.set_today = 1;
  const xrow x[] = {{"s a t", 0.5625}, {"s t", 0.5}, {"s b t", 0.25}};
  expect_paths(&net, &q, x, 3);
  q.hl = 0;
  const xrow y[] = {{"s t", 1.0}, {"s a t", 0.5625}, {"s b t", 0.25}};
  expect_paths(&net, &q, y, 3);
}

static void test_errors(void **state) {
  (void)state;
  netref_options *o = NULL;
  assert_int_equal(netref_options_new(&o), NETREF_OK);
  assert_int_equal(netref_options_set_max_hops(o, -1), NETREF_EINVAL);
  assert_int_equal(netref_options_set_max_hops(o, 33), NETREF_EINVAL);
  assert_int_equal(netref_options_set_max_hops(o, 0), NETREF_OK);
  assert_int_equal(netref_options_set_max_hops(o, 32), NETREF_OK);
  assert_int_equal(netref_options_set_max_hops(o, 1), NETREF_OK);
  assert_int_equal(netref_options_set_max_hops(NULL, 3), NETREF_EINVAL);
  assert_int_equal(netref_options_set_alternatives(o, -1), NETREF_EINVAL);
  assert_int_equal(netref_options_set_alternatives(o, 21), NETREF_EINVAL);
  assert_int_equal(netref_options_set_alternatives(o, 20), NETREF_OK);
  assert_int_equal(netref_options_set_alternatives(o, 0), NETREF_OK);
  assert_int_equal(netref_options_set_alternatives(NULL, 1), NETREF_EINVAL);

  network net;
  h_init(&net);
  h_person(&net, "s");
  h_person(&net, "t");
  h_person(&net, "a");
  h_tie(&net, "s", "t", 0.5, NULL);
  h_tie(&net, "s", "a", 1.0, NULL);
  h_tie(&net, "a", "t", 1.0, NULL);
  netref_db *db = build_db(&net);
  netref_result *res = NULL;
  /* max_hops 1, alternatives 0 (the last accepted settings) */
  assert_int_equal(netref_path(db, "s", "t", o, &res), NETREF_OK);
  assert_int_equal(netref_result_count(res), 1);
  assert_int_equal(netref_result_hops(res, 0), 1);
  assert_true(netref_result_reach(res, 0) == 0.5);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, "nobody", "t", o, &res), NETREF_ENOTFOUND);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, "s", "nobody", NULL, &res),
                   NETREF_ENOTFOUND);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, "s", "s", o, &res), NETREF_EINVAL);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, "nobody", "nobody", o, &res) != NETREF_OK,
                   1);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, "s", "t", o, NULL), NETREF_EINVAL);
  assert_int_equal(netref_path(NULL, "s", "t", o, &res), NETREF_EINVAL);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, NULL, "t", o, &res), NETREF_EINVAL);
  netref_result_free(res);
  res = NULL;
  assert_int_equal(netref_path(db, "s", NULL, o, &res), NETREF_EINVAL);
  netref_result_free(res);
  res = NULL;
  /* NULL results read as documented */
  assert_int_equal(netref_result_count(NULL), 0);
  assert_null(netref_result_key(NULL, 0));
  assert_int_equal(netref_result_path_length(NULL, 0), 0);
  netref_options_free(o);
  netref_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strongest_longer_than_shortest),
      cmocka_unit_test(test_hop_limit_forces_weaker),
      cmocka_unit_test(test_no_limit_finds_seven_ties),
      cmocka_unit_test(test_equal_strength_fewer_ties),
      cmocka_unit_test(test_alternatives_disjoint),
      cmocka_unit_test(test_direct_tie_once),
      cmocka_unit_test(test_disconnected),
      cmocka_unit_test(test_decay),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_random_networks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
