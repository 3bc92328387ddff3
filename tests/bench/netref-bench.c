/* netref-bench: measure a netref database made by netref-gen and print one
 * table (issue 4), also written as JSON.
 *
 *   netref-bench --db DB [--queries 1000] [--hub-queries 100] [--seed S]
 *                [--json FILE] [--sqlite-queries 50] [--sqlite-cap-s 10]
 *                [--mixed-queries 1000]
 *
 * Uses only the public API (netref.h), SQLite and libc.
 *
 * Steps:
 * 1. Plan, in a child process (so that its memory does not count in this
 *    process's peak RSS): read people and ties with SQLite (read-only),
 *    count degrees, take the top 0.1% by degree as hubs, draw the query
 *    sources with a seeded PRNG (uniformly from all people; hub sources
 *    from the hubs), draw tags by popularity (a random need row's tag for
 *    prospects, a random offer row's tag for providers), estimate the
 *    edges each query touches as the sum of the degrees of the people
 *    within k-1 hops of the source (BFS over the tie table), and pick the
 *    existing ties the mixed workload changes.
 * 2. netref: netref_open + the first netref_prospects (which builds the
 *    index), RSS before and after; then prospects and providers at k=1..3
 *    from the random sources and from the hub sources; peak RSS.
 * 3. Mixed workload: 1 netref_tie_set (an existing tie gets another
 *    strength) then 100 prospects queries at k=2, repeated; the changed
 *    ties get their old strength back at the end.
 * 3b. Brokers: netref_connectors at k=1 and k=2 from the first
 *    CONNECTOR_QUERIES random sources; the plan gives the people and ties
 *    of each k-hop network (BFS over the tie table), so that answered and
 *    refused queries are reported with their sizes.
 * 3c. Taxonomy: netref_prospects at k=2 from the first TAXONOMY_QUERIES
 *    random sources, with a synthetic tag taxonomy (netref_tag_relate:
 *    aliases and narrower tags of their need tags), expanded (the
 *    default) and exact; the relations are removed afterwards, and any
 *    left by an interrupted earlier run are removed before the first
 *    query.
 * 4. SQLite alone: the first --sqlite-queries prospects queries of each k
 *    as a depth-bounded recursive CTE over the same tables (the set of
 *    people and their hop counts, joined to the needs of the tag), on a
 *    separate read-only connection, each capped at --sqlite-cap-s; the
 *    row counts are compared with netref's.
 * The import rate comes from DB.gen.json, which netref-gen writes. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netref.h"

#include "rng.h"
#include "../writes.h"

#define TARGET_PEOPLE 1000000
#define MAX_K 3

/* ---- helpers --------------------------------------------------------- */

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("netref-bench: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("netref-bench: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  fflush(stderr);
  va_end(ap);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    die("out of memory (%zu bytes)", n);
  return p;
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    die("out of memory");
  return p;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

/* Resident set size and high-water mark from /proc/self/status, bytes. */
static uint64_t proc_status_kb(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f)
    return 0;
  char line[256];
  size_t len = strlen(field);
  uint64_t kb = 0;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, field, len) && line[len] == ':') {
      kb = strtoull(line + len + 1, NULL, 10);
      break;
    }
  fclose(f);
  return kb * 1024;
}

/* The 1-minute load average: other work on the machine skews timings. */
static double loadavg1(void) {
  double l = NAN;
  FILE *f = fopen("/proc/loadavg", "r");
  if (f) {
    if (fscanf(f, "%lf", &l) != 1)
      l = NAN;
    fclose(f);
  }
  return l;
}

static uint64_t maxrss_bytes(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0)
    return 0;
  return (uint64_t)ru.ru_maxrss * 1024;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Percentile by linear interpolation between order statistics. */
static double percentile(const double *sorted, size_t n, double p) {
  if (!n)
    return NAN;
  double pos = p * (double)(n - 1);
  size_t lo = (size_t)pos;
  if (lo + 1 >= n)
    return sorted[n - 1];
  double frac = pos - (double)lo;
  return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * frac;
}

struct summary {
  size_t n;
  double median, p95, max, mean, sum;
};

static struct summary summarize(const double *v, size_t n) {
  struct summary s = {.n = n};
  if (!n) {
    s.median = s.p95 = s.max = s.mean = NAN;
    return s;
  }
  double *c = xmalloc(n * sizeof *c);
  memcpy(c, v, n * sizeof *c);
  qsort(c, n, sizeof *c, cmp_double);
  for (size_t i = 0; i < n; i++)
    s.sum += c[i];
  s.median = percentile(c, n, 0.5);
  s.p95 = percentile(c, n, 0.95);
  s.max = c[n - 1];
  s.mean = s.sum / (double)n;
  free(c);
  return s;
}

/* Read a number from the sidecar JSON written by netref-gen (one key per
 * line, so a search for the quoted key is enough). */
static int sidecar_number(const char *text, const char *key, double *out) {
  char pat[128];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = text ? strstr(text, pat) : NULL;
  if (!p)
    return 0;
  char *end;
  double v = strtod(p + strlen(pat), &end);
  if (end == p + strlen(pat))
    return 0;
  *out = v;
  return 1;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, len = 0;
  char *buf = xmalloc(cap);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += got;
    if (cap - len < 2) {
      cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb)
        die("out of memory");
      buf = nb;
    }
  }
  fclose(f);
  buf[len] = '\0';
  return buf;
}

/* ---- options --------------------------------------------------------- */

struct opts {
  const char *db, *json, *raw;
  long queries, hub_queries, sqlite_queries, mixed_queries;
  double sqlite_cap_s;
  unsigned long long seed;
};

static void usage(void) {
  fprintf(stderr,
          "usage: netref-bench --db DB [--queries 1000] [--hub-queries 100]\n"
          "                    [--seed S] [--json FILE] [--sqlite-queries 50]\n"
          "                    [--sqlite-cap-s 10] [--mixed-queries Q]\n"
          "                    [--raw FILE]\n"
          "  --raw FILE  also write every timed query as a CSV row\n");
  exit(2);
}

static void parse_args(int argc, char **argv, struct opts *o) {
  *o = (struct opts){.queries = 1000,
                     .hub_queries = 100,
                     .sqlite_queries = 50,
                     .mixed_queries = -1,
                     .sqlite_cap_s = 10,
                     .seed = 1};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h") || i + 1 >= argc)
      usage();
    const char *v = argv[++i];
    char *end = NULL;
    errno = 0;
    if (!strcmp(a, "--db")) {
      o->db = v;
      continue;
    } else if (!strcmp(a, "--json")) {
      o->json = v;
      continue;
    } else if (!strcmp(a, "--raw")) {
      o->raw = v;
      continue;
    } else if (!strcmp(a, "--queries")) {
      o->queries = strtol(v, &end, 10);
    } else if (!strcmp(a, "--hub-queries")) {
      o->hub_queries = strtol(v, &end, 10);
    } else if (!strcmp(a, "--sqlite-queries")) {
      o->sqlite_queries = strtol(v, &end, 10);
    } else if (!strcmp(a, "--mixed-queries")) {
      o->mixed_queries = strtol(v, &end, 10);
    } else if (!strcmp(a, "--sqlite-cap-s")) {
      o->sqlite_cap_s = strtod(v, &end);
    } else if (!strcmp(a, "--seed")) {
      o->seed = strtoull(v, &end, 10);
    } else {
      fprintf(stderr, "netref-bench: unknown option %s\n", a);
      usage();
    }
    if (errno || !end || *end || end == v)
      die("bad value '%s' for %s", v, a);
  }
  if (!o->db)
    usage();
  if (o->mixed_queries < 0)
    o->mixed_queries = o->queries;
  if (o->queries < 1 || o->hub_queries < 0 || o->sqlite_queries < 0 ||
      o->mixed_queries < 0 || !(o->sqlite_cap_s > 0))
    die("query counts must be >= 0 (--queries >= 1), the cap > 0");
  if (o->sqlite_queries > o->queries)
    o->sqlite_queries = o->queries;
}

/* ---- step 1: the plan, computed in a child process ------------------- */

enum { SET_RANDOM, SET_HUB, SET_MIXED, N_SETS };
static const char *const set_names[N_SETS] = {"random", "hubs", "mixed"};

struct query {
  char *source, *need_tag, *offer_tag;
  uint32_t degree;
  uint64_t edges[MAX_K]; /* estimated ties touched at k = 1..3 */
  /* ---- connectors: the k-hop network at k = 1, 2 (0: not planned) ---- */
  uint64_t sub_people[2], sub_ties[2];
};

/* ---- connectors (brokers) -------------------------------------------- */
/* Random sources asked for their brokers at k = 1 and k = 2. */
#define CONNECTOR_QUERIES 100
/* The bound of netref_connectors on people x ties (netref.h). */
#define CONNECTOR_BOUND 100000000.0
/* ---- end of connectors ----------------------------------------------- */

struct change {
  char *a, *b;
  double old_strength, new_strength;
};

struct plan {
  uint64_t people, ties, hubs, hub_min_degree, max_degree;
  uint64_t needs, offers;
  int ties_twice; /* the store's tie layout (see ties_stored_twice) */
  struct query *q[N_SETS];
  size_t nq[N_SETS];
  struct change *changes;
  size_t nchanges;
  double plan_s;
};

static void sql_check(sqlite3 *db, int rc, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    die("sqlite: %s: %s", what, sqlite3_errmsg(db));
}

/* Tags weighted by the number of rows holding them. */
struct tag_pool {
  char **tag;
  uint64_t *cum;
  size_t n;
  uint64_t total;
};

static void load_tag_pool(sqlite3 *db, const char *sql, struct tag_pool *tp) {
  sqlite3_stmt *st;
  sql_check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  size_t cap = 16;
  tp->tag = xmalloc(cap * sizeof *tp->tag);
  tp->cum = xmalloc(cap * sizeof *tp->cum);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    if (!t || strchr(t, '\t') || strchr(t, '\n'))
      continue;
    if (tp->n == cap) {
      cap *= 2;
      tp->tag = realloc(tp->tag, cap * sizeof *tp->tag);
      tp->cum = realloc(tp->cum, cap * sizeof *tp->cum);
      if (!tp->tag || !tp->cum)
        die("out of memory");
    }
    tp->total += (uint64_t)sqlite3_column_int64(st, 1);
    tp->tag[tp->n] = xstrdup(t);
    tp->cum[tp->n++] = tp->total;
  }
  sql_check(db, rc, sql);
  sqlite3_finalize(st);
}

static const char *draw_tag(struct rng *r, const struct tag_pool *tp) {
  if (!tp->total)
    return "no such tag";
  uint64_t x = rng_below(r, tp->total);
  size_t lo = 0, hi = tp->n - 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (tp->cum[mid] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return tp->tag[lo];
}

static void free_tag_pool(struct tag_pool *tp) {
  for (size_t i = 0; i < tp->n; i++)
    free(tp->tag[i]);
  free(tp->tag);
  free(tp->cum);
}

struct graph {
  uint32_t n;
  uint64_t m;
  sqlite3_int64 *id; /* person number -> store id */
  char **key;        /* person number -> key */
  uint64_t *off;     /* CSR over person numbers */
  uint32_t *nbr;
  uint32_t *ea, *eb; /* the ties, as read */
  int twice;         /* the store holds each tie as (a,b) and (b,a) */
};

static const struct graph *sort_graph; /* for qsort's comparator */
static int cmp_deg(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  uint64_t dx = sort_graph->off[x + 1] - sort_graph->off[x];
  uint64_t dy = sort_graph->off[y + 1] - sort_graph->off[y];
  if (dx != dy)
    return dx > dy ? -1 : 1;
  return (x > y) - (x < y);
}

static uint32_t degree(const struct graph *g, uint32_t v) {
  return (uint32_t)(g->off[v + 1] - g->off[v]);
}

/* How ties are stored: once with a < b (the first schema), or twice, as
 * (a,b) and (b,a). Decided from the data: is the first tie's mirror
 * there? */
static int ties_stored_twice(sqlite3 *db) {
  sqlite3_stmt *st;
  const char *sql =
      "SELECT EXISTS (SELECT 1 FROM tie u WHERE u.a = t.b AND u.b = t.a)"
      " FROM (SELECT a, b FROM tie LIMIT 1) t";
  sql_check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  int rc = sqlite3_step(st);
  sql_check(db, rc, sql);
  int twice = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return twice;
}

static void load_graph(sqlite3 *db, struct graph *g) {
  sqlite3_stmt *st;
  const char *sql = "SELECT count(*), coalesce(max(id), 0) FROM person";
  sql_check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  sql_check(db, sqlite3_step(st), sql);
  g->n = (uint32_t)sqlite3_column_int64(st, 0);
  sqlite3_int64 max_id = sqlite3_column_int64(st, 1);
  sqlite3_finalize(st);
  int32_t *num = xmalloc(((size_t)max_id + 1) * sizeof *num);
  memset(num, 0xff, ((size_t)max_id + 1) * sizeof *num);
  g->id = xmalloc((size_t)g->n * sizeof *g->id);
  g->key = xmalloc((size_t)g->n * sizeof *g->key);
  sql = "SELECT id, key FROM person";
  sql_check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  uint32_t v = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && v < g->n) {
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    const char *key = (const char *)sqlite3_column_text(st, 1);
    if (id < 0 || id > max_id || !key)
      continue;
    num[id] = (int32_t)v;
    g->id[v] = id;
    g->key[v] = xstrdup(key);
    v++;
  }
  sql_check(db, rc, sql);
  sqlite3_finalize(st);
  g->n = v;

  g->twice = ties_stored_twice(db);
  sql = g->twice ? "SELECT count(*) FROM tie WHERE a < b"
                 : "SELECT count(*) FROM tie";
  sql_check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  sql_check(db, sqlite3_step(st), sql);
  uint64_t cap = (uint64_t)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  g->ea = xmalloc(cap * sizeof *g->ea);
  g->eb = xmalloc(cap * sizeof *g->eb);
  g->off = xcalloc((size_t)g->n + 1, sizeof *g->off);
  sql = g->twice ? "SELECT a, b FROM tie WHERE a < b" : "SELECT a, b FROM tie";
  sql_check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  g->m = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && g->m < cap) {
    sqlite3_int64 a = sqlite3_column_int64(st, 0);
    sqlite3_int64 b = sqlite3_column_int64(st, 1);
    if (a < 0 || a > max_id || b < 0 || b > max_id || num[a] < 0 || num[b] < 0)
      continue;
    g->ea[g->m] = (uint32_t)num[a];
    g->eb[g->m] = (uint32_t)num[b];
    g->off[num[a] + 1]++;
    g->off[num[b] + 1]++;
    g->m++;
  }
  sql_check(db, rc, sql);
  sqlite3_finalize(st);
  free(num);
  for (uint32_t i = 0; i < g->n; i++)
    g->off[i + 1] += g->off[i];
  g->nbr = xmalloc((g->off[g->n] ? g->off[g->n] : 1) * sizeof *g->nbr);
  uint64_t *fill = xmalloc(((size_t)g->n + 1) * sizeof *fill);
  memcpy(fill, g->off, ((size_t)g->n + 1) * sizeof *fill);
  for (uint64_t e = 0; e < g->m; e++) {
    g->nbr[fill[g->ea[e]]++] = g->eb[e];
    g->nbr[fill[g->eb[e]]++] = g->ea[e];
  }
  free(fill);
}

/* Sum of the degrees of the people within 0, 1, 2 hops of s: the ties a
 * k-hop expansion scans for k = 1, 2, 3. */
static void edges_estimate(const struct graph *g, uint32_t s, uint32_t *stamp,
                           uint32_t mark, uint32_t *queue,
                           uint64_t out[MAX_K]) {
  size_t head = 0, tail = 0;
  queue[tail++] = s;
  stamp[s] = mark;
  uint64_t sum = 0;
  size_t level_end = tail;
  int depth = 0;
  while (depth < MAX_K) {
    /* Add the degrees of everyone at this depth; expand unless last. */
    for (size_t i = head; i < level_end; i++)
      sum += degree(g, queue[i]);
    out[depth] = sum;
    if (depth + 1 == MAX_K)
      break;
    size_t next_end = level_end;
    for (size_t i = head; i < level_end; i++) {
      uint32_t u = queue[i];
      for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
        uint32_t w = g->nbr[e];
        if (stamp[w] != mark) {
          stamp[w] = mark;
          queue[next_end++] = w;
        }
      }
    }
    head = level_end;
    level_end = next_end;
    depth++;
  }
}

/* ---- connectors: the k-hop network of s for k = 1, 2 ----------------- */
/* People within k hops of s and the ties among them, by BFS over the tie
 * table; depth[] (0xff: not reached) is left all 0xff again. */
static void subnet_sizes(const struct graph *g, uint32_t s, uint8_t *depth,
                         uint32_t *queue, uint64_t people[2],
                         uint64_t ties[2]) {
  size_t tail = 0;
  queue[tail++] = s;
  depth[s] = 0;
  for (size_t head = 0; head < tail; head++) {
    uint32_t u = queue[head];
    if (depth[u] >= 2)
      break;
    for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++)
      if (depth[g->nbr[e]] == 0xff) {
        depth[g->nbr[e]] = (uint8_t)(depth[u] + 1);
        queue[tail++] = g->nbr[e];
      }
  }
  for (int k = 1; k <= 2; k++) {
    people[k - 1] = ties[k - 1] = 0;
    for (size_t i = 0; i < tail; i++) {
      uint32_t u = queue[i];
      if (depth[u] > k)
        continue;
      people[k - 1]++;
      for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++)
        ties[k - 1] += g->nbr[e] > u && depth[g->nbr[e]] <= k;
    }
  }
  for (size_t i = 0; i < tail; i++)
    depth[queue[i]] = 0xff;
}
/* ---- end of connectors ----------------------------------------------- */

static int key_ok(const char *k) {
  return k && *k && !strchr(k, '\t') && !strchr(k, '\n');
}

/* The child: compute the plan and write it as tab-separated lines. */
static void make_plan(const struct opts *o, FILE *out) {
  double t0 = now_s();
  sqlite3 *db;
  int rc = sqlite3_open_v2(o->db, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    die("sqlite3_open_v2(%s): %s", o->db, sqlite3_errstr(rc));
  struct graph g = {0};
  load_graph(db, &g);
  if (!g.n)
    die("%s: no people", o->db);
  struct tag_pool needs = {0}, offers = {0};
  load_tag_pool(db, "SELECT tag, count(*) FROM need GROUP BY tag", &needs);
  load_tag_pool(db, "SELECT tag, count(*) FROM offer GROUP BY tag", &offers);

  /* Hubs: the top 0.1% by degree (at least one person). */
  uint32_t *order = xmalloc((size_t)g.n * sizeof *order);
  for (uint32_t v = 0; v < g.n; v++)
    order[v] = v;
  sort_graph = &g;
  qsort(order, g.n, sizeof *order, cmp_deg);
  uint32_t nhubs = (g.n + 999) / 1000;
  fprintf(out,
          "info\t%u\t%" PRIu64 "\t%u\t%u\t%u\t%" PRIu64 "\t%" PRIu64 "\t%d\n",
          g.n, g.m, nhubs, degree(&g, order[nhubs - 1]), degree(&g, order[0]),
          needs.total, offers.total, g.twice);

  struct rng r;
  rng_seed(&r, o->seed);
  uint32_t *stamp = xcalloc(g.n, sizeof *stamp);
  uint32_t *queue = xmalloc((size_t)g.n * sizeof *queue);
  uint8_t *depth = xmalloc(g.n); /* connectors */
  memset(depth, 0xff, g.n);
  uint32_t mark = 0;
  long counts[N_SETS] = {o->queries, o->hub_queries, o->mixed_queries};
  for (int set = 0; set < N_SETS; set++) {
    for (long i = 0; i < counts[set]; i++) {
      uint32_t s;
      int tries = 0;
      do {
        s = set == SET_HUB ? order[rng_below(&r, nhubs)]
                           : (uint32_t)rng_below(&r, g.n);
      } while (!key_ok(g.key[s]) && ++tries < 1000);
      const char *nt = draw_tag(&r, &needs);
      const char *ot = draw_tag(&r, &offers);
      uint64_t e[MAX_K];
      edges_estimate(&g, s, stamp, ++mark, queue, e);
      fprintf(out,
              "q\t%d\t%s\t%s\t%s\t%u\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n",
              set, g.key[s], nt, ot, degree(&g, s), e[0], e[1], e[2]);
      if (set == SET_RANDOM && i < CONNECTOR_QUERIES) { /* connectors */
        uint64_t sp[2], st2[2];
        subnet_sizes(&g, s, depth, queue, sp, st2);
        fprintf(out,
                "n\t%ld\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n",
                i, sp[0], st2[0], sp[1], st2[1]);
      }
    }
  }

  /* Ties the mixed workload changes: one per 100 queries (at least one). */
  long nchanges = (o->mixed_queries + 99) / 100;
  sqlite3_stmt *st;
  const char *sql = "SELECT strength FROM tie WHERE a = ?1 AND b = ?2";
  sql_check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  for (long i = 0; i < nchanges && g.m; i++) {
    uint64_t e = rng_below(&r, g.m);
    uint32_t a = g.ea[e], b = g.eb[e];
    if (!key_ok(g.key[a]) || !key_ok(g.key[b]))
      continue;
    sqlite3_int64 ia = g.id[a], ib = g.id[b];
    sqlite3_bind_int64(st, 1, ia < ib ? ia : ib);
    sqlite3_bind_int64(st, 2, ia < ib ? ib : ia);
    rc = sqlite3_step(st);
    sql_check(db, rc, sql);
    if (rc == SQLITE_ROW) {
      double old = sqlite3_column_double(st, 0);
      double nw = old > 0.5 ? old - 0.25 : old + 0.25;
      fprintf(out, "c\t%s\t%s\t%.17g\t%.17g\n", g.key[a], g.key[b], old, nw);
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  fprintf(out, "plan_s\t%.3f\nend\n", now_s() - t0);

  free(stamp);
  free(queue);
  free(depth);
  free(order);
  free_tag_pool(&needs);
  free_tag_pool(&offers);
  for (uint32_t v = 0; v < g.n; v++)
    free(g.key[v]);
  free(g.key);
  free(g.id);
  free(g.off);
  free(g.nbr);
  free(g.ea);
  free(g.eb);
  sqlite3_close(db);
}

/* Split a line at tabs, in place. */
static size_t split_tabs(char *line, char **field, size_t max) {
  size_t n = 0;
  char *p = line;
  while (n < max) {
    field[n++] = p;
    char *t = strchr(p, '\t');
    if (!t)
      break;
    *t = '\0';
    p = t + 1;
  }
  return n;
}

static void read_plan(const struct opts *o, struct plan *pl) {
  int fd[2];
  if (pipe(fd) != 0)
    die("pipe: %s", strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0)
    die("fork: %s", strerror(errno));
  if (pid == 0) {
    close(fd[0]);
    FILE *out = fdopen(fd[1], "w");
    if (!out)
      _exit(1);
    make_plan(o, out);
    if (fclose(out) != 0)
      _exit(1);
    _exit(0);
  }
  close(fd[1]);
  FILE *in = fdopen(fd[0], "r");
  if (!in)
    die("fdopen: %s", strerror(errno));
  size_t cap[N_SETS] = {0}, ccap = 0;
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  int ended = 0;
  while ((len = getline(&line, &lcap, in)) > 0) {
    if (line[len - 1] == '\n')
      line[len - 1] = '\0';
    char *f[12] = {0};
    size_t nf = split_tabs(line, f, 12);
    if (!strcmp(f[0], "info") && nf == 9) {
      pl->ties_twice = atoi(f[8]);
      pl->people = strtoull(f[1], NULL, 10);
      pl->ties = strtoull(f[2], NULL, 10);
      pl->hubs = strtoull(f[3], NULL, 10);
      pl->hub_min_degree = strtoull(f[4], NULL, 10);
      pl->max_degree = strtoull(f[5], NULL, 10);
      pl->needs = strtoull(f[6], NULL, 10);
      pl->offers = strtoull(f[7], NULL, 10);
    } else if (!strcmp(f[0], "q") && nf == 9) {
      int set = atoi(f[1]);
      if (set < 0 || set >= N_SETS)
        die("bad plan line");
      if (pl->nq[set] == cap[set]) {
        cap[set] = cap[set] ? cap[set] * 2 : 64;
        pl->q[set] = realloc(pl->q[set], cap[set] * sizeof *pl->q[set]);
        if (!pl->q[set])
          die("out of memory");
      }
      struct query *q = &pl->q[set][pl->nq[set]++];
      q->source = xstrdup(f[2]);
      q->need_tag = xstrdup(f[3]);
      q->offer_tag = xstrdup(f[4]);
      q->degree = (uint32_t)strtoul(f[5], NULL, 10);
      for (int k = 0; k < MAX_K; k++)
        q->edges[k] = strtoull(f[6 + k], NULL, 10);
      for (int k = 0; k < 2; k++) /* connectors: an "n" line may follow */
        q->sub_people[k] = q->sub_ties[k] = 0;
    } else if (!strcmp(f[0], "n") && nf == 6) { /* connectors */
      size_t i = strtoul(f[1], NULL, 10);
      if (i >= pl->nq[SET_RANDOM])
        die("bad plan line");
      struct query *q = &pl->q[SET_RANDOM][i];
      for (int k = 0; k < 2; k++) {
        q->sub_people[k] = strtoull(f[2 + 2 * k], NULL, 10);
        q->sub_ties[k] = strtoull(f[3 + 2 * k], NULL, 10);
      }
    } else if (!strcmp(f[0], "c") && nf == 5) {
      if (pl->nchanges == ccap) {
        ccap = ccap ? ccap * 2 : 16;
        pl->changes = realloc(pl->changes, ccap * sizeof *pl->changes);
        if (!pl->changes)
          die("out of memory");
      }
      struct change *c = &pl->changes[pl->nchanges++];
      c->a = xstrdup(f[1]);
      c->b = xstrdup(f[2]);
      c->old_strength = strtod(f[3], NULL);
      c->new_strength = strtod(f[4], NULL);
    } else if (!strcmp(f[0], "plan_s") && nf == 2) {
      pl->plan_s = strtod(f[1], NULL);
    } else if (!strcmp(f[0], "end")) {
      ended = 1;
    }
  }
  free(line);
  fclose(in);
  int status;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0 || !ended)
    die("planning failed (child status %d)", status);
}

static void free_plan(struct plan *pl) {
  for (int s = 0; s < N_SETS; s++) {
    for (size_t i = 0; i < pl->nq[s]; i++) {
      free(pl->q[s][i].source);
      free(pl->q[s][i].need_tag);
      free(pl->q[s][i].offer_tag);
    }
    free(pl->q[s]);
  }
  for (size_t i = 0; i < pl->nchanges; i++) {
    free(pl->changes[i].a);
    free(pl->changes[i].b);
  }
  free(pl->changes);
}

/* ---- step 2 and 3: netref -------------------------------------------- */

enum { PROSPECTS, PROVIDERS, N_KINDS };
static const char *const kind_names[N_KINDS] = {"prospects", "providers"};

/* Latencies of one line of the table. */
struct line {
  int kind, k, set;
  double *ms;   /* per query, milliseconds */
  size_t *rows; /* per query, result rows */
  struct summary s;
  double edges_per_s;
  double rows_mean;
};

static netref_options *make_options(int k) {
  netref_options *opts;
  int rc = netref_options_new(&opts);
  if (rc != NETREF_OK)
    die("netref_options_new: %s", netref_strerror(rc));
  if ((rc = netref_options_set_hops(opts, k)) != NETREF_OK ||
      (rc = netref_options_set_today(opts, "2025-11-01")) != NETREF_OK)
    die("netref options: %s", netref_strerror(rc));
  return opts;
}

static double run_query(netref_db *db, int kind, const struct query *q,
                        const netref_options *opts, size_t *rows) {
  netref_result *res = NULL;
  double t0 = now_s();
  int rc = kind == PROSPECTS
               ? netref_prospects(db, q->source, q->need_tag, opts, &res)
               : netref_providers(db, q->source, q->offer_tag, opts, &res);
  double t = now_s() - t0;
  if (rc != NETREF_OK)
    die("netref_%s(%s, %s): %s: %s", kind_names[kind], q->source,
        kind == PROSPECTS ? q->need_tag : q->offer_tag, netref_strerror(rc),
        netref_errmsg(db));
  if (rows)
    *rows = netref_result_count(res);
  netref_result_free(res);
  return t * 1e3;
}

static void run_line(netref_db *db, const struct plan *pl, struct line *ln) {
  const struct query *qs = pl->q[ln->set];
  size_t n = pl->nq[ln->set];
  ln->ms = xcalloc(n, sizeof *ln->ms);
  ln->rows = xcalloc(n, sizeof *ln->rows);
  netref_options *opts = make_options(ln->k);
  double edges = 0, rows = 0, t0 = now_s(), last = t0;
  for (size_t i = 0; i < n; i++) {
    ln->ms[i] = run_query(db, ln->kind, &qs[i], opts, &ln->rows[i]);
    edges += (double)qs[i].edges[ln->k - 1];
    rows += (double)ln->rows[i];
    double t = now_s();
    if (t - last > 10) {
      note("  %s k=%d %s: %zu / %zu queries", kind_names[ln->kind], ln->k,
           set_names[ln->set], i + 1, n);
      last = t;
    }
  }
  netref_options_free(opts);
  ln->s = summarize(ln->ms, n);
  ln->edges_per_s = ln->s.sum > 0 ? edges / (ln->s.sum / 1e3) : NAN;
  ln->rows_mean = n ? rows / (double)n : NAN;
  note("  %-9s k=%d %-6s n=%zu median %.3f ms, p95 %.3f ms (%.1f s)",
       kind_names[ln->kind], ln->k, set_names[ln->set], n, ln->s.median,
       ln->s.p95, now_s() - t0);
}

/* Untimed: a few k=3 queries of both kinds from hubs and random sources,
 * then, at every k, the first random queries, which the SQLite
 * comparison also uses, so that they are not charged for first touches
 * of the index after its build. */
static size_t warm_up(netref_db *db, const struct plan *pl, long sqlite_n) {
  netref_options *opts = make_options(MAX_K);
  size_t n = 0;
  for (int set = SET_HUB; set >= SET_RANDOM; set--)
    for (size_t i = 0; i < pl->nq[set] && i < 5; i++)
      for (int kind = 0; kind < N_KINDS; kind++, n++)
        run_query(db, kind, &pl->q[set][pl->nq[set] - 1 - i], opts, NULL);
  netref_options_free(opts);
  for (int k = 1; k <= MAX_K; k++) {
    opts = make_options(k);
    for (size_t i = 0; i < pl->nq[SET_RANDOM] && (long)i < sqlite_n; i++)
      for (int kind = 0; kind < N_KINDS; kind++, n++)
        run_query(db, kind, &pl->q[SET_RANDOM][i], opts, NULL);
    netref_options_free(opts);
  }
  return n;
}

struct mixed {
  size_t queries, changes;
  struct summary q, c, after_change;
};

static void run_mixed(netref_db *db, const struct plan *pl, struct mixed *mx) {
  const struct query *qs = pl->q[SET_MIXED];
  size_t n = pl->nq[SET_MIXED];
  double *qms = xcalloc(n, sizeof *qms);
  double *cms = xcalloc(pl->nchanges + 1, sizeof *cms);
  double *ams = xcalloc(pl->nchanges + 1, sizeof *ams);
  size_t nc = 0, na = 0;
  netref_options *opts = make_options(2);
  for (size_t i = 0; i < n; i++) {
    if (i % 100 == 0 && nc < pl->nchanges) {
      const struct change *c = &pl->changes[nc];
      double t0 = now_s();
      int rc = t_tie_set(db, c->a, c->b, c->new_strength, NULL, NULL);
      cms[nc++] = (now_s() - t0) * 1e3;
      if (rc != NETREF_OK)
        die("t_tie_set(%s, %s): %s: %s", c->a, c->b, netref_strerror(rc),
            netref_errmsg(db));
    }
    qms[i] = run_query(db, PROSPECTS, &qs[i], opts, NULL);
    if (i % 100 == 0 && nc > 0 && na < nc)
      ams[na++] = qms[i];
  }
  netref_options_free(opts);
  /* Restore the old strengths, so the database is as it was. */
  for (size_t i = 0; i < nc; i++) {
    const struct change *c = &pl->changes[i];
    int rc = t_tie_set(db, c->a, c->b, c->old_strength, NULL, NULL);
    if (rc != NETREF_OK)
      die("t_tie_set(%s, %s) restoring: %s: %s", c->a, c->b,
          netref_strerror(rc), netref_errmsg(db));
  }
  mx->queries = n;
  mx->changes = nc;
  mx->q = summarize(qms, n);
  mx->c = summarize(cms, nc);
  mx->after_change = summarize(ams, na);
  free(qms);
  free(cms);
  free(ams);
  note("  mixed: %zu queries, %zu changes; median %.3f ms, p95 %.3f ms, "
       "first query after a change %.1f ms (median)",
       n, nc, mx->q.median, mx->q.p95, mx->after_change.median);
}

/* ---- step 4: SQLite alone -------------------------------------------- */

/* Ties stored once (a < b): follow both columns. */
static const char cte_sql_once[] =
    "WITH RECURSIVE r(id, hops) AS ("
    " SELECT id, 0 FROM person WHERE key = ?1"
    " UNION"
    " SELECT t.b, r.hops + 1 FROM r JOIN tie t ON t.a = r.id"
    "  WHERE r.hops < ?2"
    " UNION"
    " SELECT t.a, r.hops + 1 FROM r JOIN tie t ON t.b = r.id"
    "  WHERE r.hops < ?2)"
    " SELECT p.key, m.hops, n.weight"
    " FROM (SELECT id, min(hops) AS hops FROM r GROUP BY id) m"
    " JOIN need n ON n.person = m.id AND n.tag = ?3"
    " JOIN person p ON p.id = m.id"
    " WHERE m.hops > 0";

/* Ties stored as (a,b) and (b,a): one direction suffices. */
static const char cte_sql_twice[] =
    "WITH RECURSIVE r(id, hops) AS ("
    " SELECT id, 0 FROM person WHERE key = ?1"
    " UNION"
    " SELECT t.b, r.hops + 1 FROM r JOIN tie t ON t.a = r.id"
    "  WHERE r.hops < ?2)"
    " SELECT p.key, m.hops, n.weight"
    " FROM (SELECT id, min(hops) AS hops FROM r GROUP BY id) m"
    " JOIN need n ON n.person = m.id AND n.tag = ?3"
    " JOIN person p ON p.id = m.id"
    " WHERE m.hops > 0";

struct sqlite_line {
  int k;
  double *ms;
  size_t n, capped, rows_agree, rows_compared;
  struct summary s;
  struct summary netref_same[N_KINDS]; /* netref on the same queries */
  double ratio[N_KINDS];               /* SQLite median / netref median */
};

static int deadline_handler(void *arg) { return now_s() > *(double *)arg; }

struct report;
static const struct line *random_line(const struct report *R, int kind, int k);

/* The check every netref query makes for other programs' commits (lib/
 * store.c nr_sync): one step of a prepared PRAGMA data_version on a
 * connection to the same file, timed in batches while netref has it open
 * (WAL). Returns microseconds per call, per batch. */
#define COHERENCE_BATCHES 200
#define COHERENCE_CALLS 1000
static struct summary run_coherence(const char *path) {
  sqlite3 *db;
  sqlite3_stmt *st;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    die("sqlite3_open_v2(%s): %s", path, sqlite3_errstr(rc));
  sql_check(db, sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL),
            "PRAGMA data_version");
  double us[COHERENCE_BATCHES];
  for (int b = 0; b < COHERENCE_BATCHES; b++) {
    double t0 = now_s();
    for (int i = 0; i < COHERENCE_CALLS; i++) {
      if (sqlite3_step(st) != SQLITE_ROW)
        die("PRAGMA data_version: %s", sqlite3_errmsg(db));
      sqlite3_reset(st);
    }
    us[b] = (now_s() - t0) * 1e6 / COHERENCE_CALLS;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return summarize(us, COHERENCE_BATCHES);
}

static void run_sqlite(const struct opts *o, const struct plan *pl,
                       const struct report *R, struct sqlite_line sl[MAX_K]) {
  sqlite3 *db;
  int rc = sqlite3_open_v2(o->db, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    die("sqlite3_open_v2(%s): %s", o->db, sqlite3_errstr(rc));
  sql_check(db, sqlite3_exec(db, "PRAGMA cache_size=-65536", NULL, NULL, NULL),
            "cache_size");
  sqlite3_stmt *st;
  const char *cte_sql = pl->ties_twice ? cte_sql_twice : cte_sql_once;
  sql_check(db, sqlite3_prepare_v2(db, cte_sql, -1, &st, NULL), cte_sql);
  double deadline = 0;
  sqlite3_progress_handler(db, 1000, deadline_handler, &deadline);
  size_t n = (size_t)o->sqlite_queries;
  if (n > pl->nq[SET_RANDOM])
    n = pl->nq[SET_RANDOM];
  /* One untimed query to load the schema and warm the cache. */
  if (n) {
    deadline = now_s() + o->sqlite_cap_s;
    sqlite3_bind_text(st, 1, pl->q[SET_RANDOM][0].source, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, 1);
    sqlite3_bind_text(st, 3, pl->q[SET_RANDOM][0].need_tag, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
      ;
    sqlite3_reset(st);
  }
  for (int k = 1; k <= MAX_K; k++) {
    struct sqlite_line *s = &sl[k - 1];
    s->k = k;
    s->n = n;
    s->ms = xcalloc(n, sizeof *s->ms);
    double t_line = now_s();
    for (size_t i = 0; i < n; i++) {
      const struct query *q = &pl->q[SET_RANDOM][i];
      sqlite3_bind_text(st, 1, q->source, -1, SQLITE_STATIC);
      sqlite3_bind_int(st, 2, k);
      sqlite3_bind_text(st, 3, q->need_tag, -1, SQLITE_STATIC);
      size_t rows = 0;
      double t0 = now_s();
      deadline = t0 + o->sqlite_cap_s;
      while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        rows++;
      double t = now_s() - t0;
      if (rc == SQLITE_INTERRUPT) {
        s->capped++;
        t = o->sqlite_cap_s;
      } else {
        sql_check(db, rc, "recursive CTE");
        s->rows_compared++;
        s->rows_agree += rows == random_line(R, PROSPECTS, k)->rows[i];
      }
      sqlite3_reset(st);
      s->ms[i] = t * 1e3;
    }
    s->s = summarize(s->ms, n);
    for (int kind = 0; kind < N_KINDS; kind++) {
      s->netref_same[kind] = summarize(random_line(R, kind, k)->ms, n);
      s->ratio[kind] = s->s.median / s->netref_same[kind].median;
    }
    note("  sqlite CTE k=%d n=%zu median %.3f ms, p95 %.3f ms, %zu capped "
         "(%.1f s)",
         k, n, s->s.median, s->s.p95, s->capped, now_s() - t_line);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
}

/* ---- the report ------------------------------------------------------ */

/* Introduction paths (netref_path) between random pairs of people: with
 * the default hop limit (6) and with none. */
#define PATH_PAIRS 200

struct paths {
  size_t n, found[2];
  struct summary s[2]; /* [0] default limit, [1] no limit */
};

static void run_paths(netref_db *db, const struct plan *pl, struct paths *pr) {
  const struct query *qs = pl->q[SET_RANDOM];
  size_t n = pl->nq[SET_RANDOM] < PATH_PAIRS ? pl->nq[SET_RANDOM] : PATH_PAIRS;
  double *ms = xcalloc(n ? n : 1, sizeof *ms);
  pr->n = 0;
  for (int limit = 0; limit < 2 && n > 1; limit++) {
    netref_options *opts = make_options(2);
    int rc = netref_options_set_max_hops(opts, limit ? 0 : 6);
    if (rc != NETREF_OK)
      die("netref_options_set_max_hops: %s", netref_strerror(rc));
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      const char *a = qs[i].source, *b = qs[(i + n / 2) % n].source;
      if (!strcmp(a, b))
        continue;
      netref_result *res = NULL;
      double t0 = now_s();
      rc = netref_path(db, a, b, opts, &res);
      ms[m++] = (now_s() - t0) * 1e3;
      if (rc != NETREF_OK)
        die("netref_path(%s, %s): %s", a, b, netref_errmsg(db));
      pr->found[limit] += netref_result_count(res) > 0;
      netref_result_free(res);
    }
    netref_options_free(opts);
    pr->s[limit] = summarize(ms, m);
    pr->n = m;
    note("  path %-8s n=%zu median %.3f ms, p95 %.3f ms",
         limit ? "no limit" : "6 hops", m, pr->s[limit].median,
         pr->s[limit].p95);
  }
  free(ms);
}

/* Whom to ask first (k = 2, any role) and which introductions to make
 * (k = 2, every tag), from random sources; and matches at k = 6 with a
 * limit of 10 from fewer of them (the whole network is within reach:
 * the bounded heap keeps it cheap, or the query is refused past
 * NETREF_MATCHES_MAX_PAIRS candidate pairs). */
#define ADVICE_QUERIES 200
#define DEEP_MATCHES_QUERIES 20
#define DEEP_MATCHES_LIMIT 10

struct advice {
  struct summary ask, matches, deep;
  size_t matches_refused, deep_refused;
};

/* One query's time; a matches query refused for its size (NETREF_ELIMIT)
 * counts in *refused, any other failure ends the bench. */
static double timed_rows(netref_db *db, int ask, const struct query *q,
                         const netref_options *opts, size_t *refused) {
  netref_rows *rows = NULL;
  double t0 = now_s();
  int rc = ask ? netref_ask_first(db, q->source, q->offer_tag, NETREF_ROLE_ANY,
                                  opts, &rows)
               : netref_matches(db, q->source, NULL, opts, &rows);
  double ms = (now_s() - t0) * 1e3;
  if (!ask && rc == NETREF_ELIMIT)
    ++*refused;
  else if (rc != NETREF_OK)
    die("netref_%s(%s): %s", ask ? "ask_first" : "matches", q->source,
        netref_errmsg(db));
  netref_rows_free(rows);
  return ms;
}

static void run_deep_matches(netref_db *db, const struct query *qs, size_t n,
                             double *ms, struct advice *ad) {
  if (n > DEEP_MATCHES_QUERIES)
    n = DEEP_MATCHES_QUERIES;
  netref_options *opts = make_options(6);
  if (netref_options_set_limit(opts, DEEP_MATCHES_LIMIT) != NETREF_OK)
    die("netref_options_set_limit failed");
  for (size_t i = 0; i < n; i++)
    ms[i] = timed_rows(db, 0, &qs[i], opts, &ad->deep_refused);
  ad->deep = summarize(ms, n);
  note("  matches   k=6 limit %d n=%zu median %.3f ms, max %.3f ms, "
       "%zu refused",
       DEEP_MATCHES_LIMIT, n, ad->deep.median, ad->deep.max, ad->deep_refused);
  netref_options_free(opts);
}

static void run_advice(netref_db *db, const struct plan *pl,
                       struct advice *ad) {
  const struct query *qs = pl->q[SET_RANDOM];
  size_t n =
      pl->nq[SET_RANDOM] < ADVICE_QUERIES ? pl->nq[SET_RANDOM] : ADVICE_QUERIES;
  double *ms = xcalloc(n ? n : 1, sizeof *ms);
  netref_options *opts = make_options(2);
  for (int ask = 1; ask >= 0; ask--) {
    for (size_t i = 0; i < n; i++)
      ms[i] = timed_rows(db, ask, &qs[i], opts, &ad->matches_refused);
    struct summary sm = summarize(ms, n);
    if (ask)
      ad->ask = sm;
    else
      ad->matches = sm;
    note("  %-9s k=2 n=%zu median %.3f ms, p95 %.3f ms",
         ask ? "ask-first" : "matches", n, sm.median, sm.p95);
  }
  netref_options_free(opts);
  run_deep_matches(db, qs, n, ms, ad);
  free(ms);
}

/* ---- connectors (brokers) -------------------------------------------- */
/* netref_connectors at k = 1 and 2 from the first CONNECTOR_QUERIES
 * random sources: times of the answered and of the refused queries, and
 * the sizes of the k-hop networks (from the plan). */
struct connectors_line {
  size_t n, answered, refused, disagree;
  struct summary answered_s, refused_s;
  double people_median, people_max, ties_median, ties_max;
  double answered_people_max, answered_ties_max;
};

static double median_u64(const uint64_t *v, size_t n) {
  double *d = xcalloc(n ? n : 1, sizeof *d);
  for (size_t i = 0; i < n; i++)
    d[i] = (double)v[i];
  struct summary s = summarize(d, n);
  free(d);
  return s.median;
}

static void run_connectors(netref_db *db, const struct plan *pl,
                           struct connectors_line out[2]) {
  const struct query *qs = pl->q[SET_RANDOM];
  size_t n = pl->nq[SET_RANDOM] < CONNECTOR_QUERIES ? pl->nq[SET_RANDOM]
                                                    : CONNECTOR_QUERIES;
  double *ok_ms = xcalloc(n ? n : 1, sizeof *ok_ms);
  double *no_ms = xcalloc(n ? n : 1, sizeof *no_ms);
  uint64_t *people = xcalloc(n ? n : 1, sizeof *people);
  uint64_t *ties = xcalloc(n ? n : 1, sizeof *ties);
  for (int k = 1; k <= 2; k++) {
    struct connectors_line *cl = &out[k - 1];
    *cl = (struct connectors_line){.n = n};
    netref_options *opts = make_options(k);
    for (size_t i = 0; i < n; i++) {
      const struct query *q = &qs[i];
      netref_rows *rows = NULL;
      double t0 = now_s();
      int rc = netref_connectors(db, q->source, opts, &rows);
      double ms = (now_s() - t0) * 1e3;
      netref_rows_free(rows);
      if (rc != NETREF_OK && rc != NETREF_ELIMIT)
        die("netref_connectors(%s): %s", q->source, netref_errmsg(db));
      people[i] = q->sub_people[k - 1];
      ties[i] = q->sub_ties[k - 1];
      double cost = (double)people[i] * (double)ties[i];
      /* The plan's BFS and the library must agree on what is refused. */
      cl->disagree += (rc == NETREF_ELIMIT) != (cost > CONNECTOR_BOUND);
      if (rc == NETREF_OK) {
        ok_ms[cl->answered++] = ms;
        if ((double)people[i] > cl->answered_people_max)
          cl->answered_people_max = (double)people[i];
        if ((double)ties[i] > cl->answered_ties_max)
          cl->answered_ties_max = (double)ties[i];
      } else {
        no_ms[cl->refused++] = ms;
      }
      if ((double)people[i] > cl->people_max)
        cl->people_max = (double)people[i];
      if ((double)ties[i] > cl->ties_max)
        cl->ties_max = (double)ties[i];
    }
    netref_options_free(opts);
    cl->answered_s = summarize(ok_ms, cl->answered);
    cl->refused_s = summarize(no_ms, cl->refused);
    cl->people_median = median_u64(people, n);
    cl->ties_median = median_u64(ties, n);
    note("  connectors k=%d n=%zu: %zu answered (median %.3f ms, max %.3f "
         "ms), %zu refused",
         k, n, cl->answered, cl->answered_s.median, cl->answered_s.max,
         cl->refused);
  }
  free(ok_ms);
  free(no_ms);
  free(people);
  free(ties);
}
/* ---- end of connectors ----------------------------------------------- */

/* ---- taxonomy (tag expansion) ---------------------------------------- */
/* netref_prospects at k = 2 from the first TAXONOMY_QUERIES random
 * queries, with a synthetic tag taxonomy made through the public API:
 * each of up to TAXONOMY_TAGS distinct need tags T of those queries gets
 * one alias nobody holds (T + TAXONOMY_ALIAS) and up to TAXONOMY_NARROWER
 * other tags of the plan as narrower terms, some of which are refused as
 * cycles. Every query is timed with the expansion (the default options)
 * and with exact matching; then the relations are removed again. */
#define TAXONOMY_QUERIES 1000
#define TAXONOMY_TAGS 200
#define TAXONOMY_NARROWER 3
#define TAXONOMY_ALIAS " (alias)"

struct relation {
  char *tag, *other;
  int relation;
};

struct taxonomy_line {
  size_t n, tags, aliases, broader, refused;
  size_t leftover;       /* removed at the start: an interrupted run's */
  struct relation *kept; /* the file's own relations, left alone */
  size_t nkept;
  size_t exact_same, superset; /* row-count checks, of n */
  struct summary expanded, exact;
  double rows_expanded, rows_exact, matched_mean, matched_max, ratio;
  double relate_s, unrelate_s;
};

/* Whether s is t + TAXONOMY_ALIAS. */
static int is_alias_of(const char *s, const char *t) {
  size_t n = strlen(t);
  return !strncmp(s, t, n) && !strcmp(s + n, TAXONOMY_ALIAS);
}

static void free_relation(struct relation *r) {
  free(r->tag);
  free(r->other);
}

/* Whether the file held this relation before the benchmark (an alias in
 * either order). */
static int relation_kept(const struct taxonomy_line *tl, const char *tag,
                         int relation, const char *other) {
  for (size_t i = 0; i < tl->nkept; i++) {
    const struct relation *r = &tl->kept[i];
    if (r->relation != relation)
      continue;
    if ((!strcmp(r->tag, tag) && !strcmp(r->other, other)) ||
        (relation == NETREF_RELATION_ALIAS && !strcmp(r->tag, other) &&
         !strcmp(r->other, tag)))
      return 1;
  }
  return 0;
}

static netref_rows *list_relations(netref_db *db) {
  netref_rows *rows = NULL;
  int rc = netref_tag_relations(db, NULL, &rows);
  if (rc != NETREF_OK)
    die("netref_tag_relations: %s: %s", netref_strerror(rc), netref_errmsg(db));
  if (netref_rows_columns(rows) != 3)
    die("netref_tag_relations: %zu columns, expected tag, relation, other",
        netref_rows_columns(rows));
  return rows;
}

/* Relations left by an interrupted earlier run are removed: the aliases
 * T - "T (alias)" and the broader terms T that have such an alias (a run
 * adds T's alias before T's narrower tags and removes it after them, so
 * this holds at any point of an interruption). Any other relation is the
 * file's own: it is kept and listed in tl->kept, so that the line neither
 * adds nor later removes a relation the file held already. Run before the
 * first query, so that leftovers do not expand the other lines' tags. */
static void taxonomy_leftovers(netref_db *db, struct taxonomy_line *tl) {
  netref_rows *rows = list_relations(db);
  size_t n = netref_rows_count(rows);
  char *ours = xcalloc(n, 1);
  for (size_t i = 0; i < n; i++) {
    const char *tag = netref_rows_text(rows, i, 0);
    const char *rel = netref_rows_text(rows, i, 1);
    const char *other = netref_rows_text(rows, i, 2);
    if (!tag || !rel || !other)
      die("netref_tag_relations: an empty cell in row %zu", i);
    ours[i] = !strcmp(rel, "alias") &&
              (is_alias_of(other, tag) || is_alias_of(tag, other));
  }
  for (size_t i = 0; i < n; i++) {
    if (strcmp(netref_rows_text(rows, i, 1), "broader"))
      continue;
    const char *broader = netref_rows_text(rows, i, 2);
    for (size_t j = 0; j < n && !ours[i]; j++)
      if (ours[j] && strcmp(netref_rows_text(rows, j, 1), "broader")) {
        const char *a = netref_rows_text(rows, j, 0);
        const char *b = netref_rows_text(rows, j, 2);
        ours[i] = !strcmp(is_alias_of(b, a) ? a : b, broader);
      }
  }
  tl->kept = xcalloc(n, sizeof *tl->kept);
  /* The broader terms first, then the aliases. */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
      const char *tag = netref_rows_text(rows, i, 0);
      int alias = !strcmp(netref_rows_text(rows, i, 1), "alias");
      const char *other = netref_rows_text(rows, i, 2);
      int relation = alias ? NETREF_RELATION_ALIAS : NETREF_RELATION_BROADER;
      if (alias != pass)
        continue;
      if (!ours[i]) {
        tl->kept[tl->nkept++] =
            (struct relation){xstrdup(tag), xstrdup(other), relation};
        continue;
      }
      int rc = netref_tag_unrelate(db, tag, relation, other);
      if (rc != NETREF_OK)
        die("netref_tag_unrelate(%s, %s, %s) of an earlier run: %s: %s", tag,
            alias ? "alias" : "broader", other, netref_strerror(rc),
            netref_errmsg(db));
      tl->leftover++;
    }
  free(ours);
  netref_rows_free(rows);
  if (tl->leftover)
    note("taxonomy: removed %zu tag relations left by an interrupted "
         "earlier run",
         tl->leftover);
  if (tl->nkept)
    note("taxonomy: the file holds %zu tag relations of its own (kept)",
         tl->nkept);
}

static int relate(netref_db *db, const char *tag, int relation,
                  const char *other, struct relation *added, size_t *nadded) {
  int rc = netref_tag_relate(db, tag, relation, other);
  if (rc == NETREF_EINVAL && strstr(netref_errmsg(db), "cycle"))
    return 0;
  if (rc != NETREF_OK)
    die("netref_tag_relate(%s, %s, %s): %s: %s", tag,
        relation == NETREF_RELATION_ALIAS ? "alias" : "broader", other,
        netref_strerror(rc), netref_errmsg(db));
  added[(*nadded)++] =
      (struct relation){xstrdup(tag), xstrdup(other), relation};
  return 1;
}

/* plain_rows: the rows of the prospects k=2 random line (no taxonomy). */
static void run_taxonomy(netref_db *db, const struct opts *o,
                         const struct plan *pl, const size_t *plain_rows,
                         struct taxonomy_line *tl) {
  const struct query *qs = pl->q[SET_RANDOM];
  size_t n = pl->nq[SET_RANDOM] < TAXONOMY_QUERIES ? pl->nq[SET_RANDOM]
                                                   : TAXONOMY_QUERIES;
  tl->n = n;

  /* The tags T: the distinct need tags of the queries, in their order. */
  const char **tags = xcalloc(TAXONOMY_TAGS, sizeof *tags);
  size_t *origin = xcalloc(TAXONOMY_TAGS, sizeof *origin);
  for (size_t i = 0; i < n && tl->tags < TAXONOMY_TAGS; i++) {
    size_t j = 0;
    while (j < tl->tags && strcmp(tags[j], qs[i].need_tag))
      j++;
    if (j == tl->tags) {
      origin[tl->tags] = i;
      tags[tl->tags++] = qs[i].need_tag;
    }
  }

  /* Relate them; narrower tags are drawn from the need and offer tags of
   * the plan's other queries (all sets), with a PRNG seeded from --seed. */
  size_t total = 0;
  for (int s = 0; s < N_SETS; s++)
    total += pl->nq[s];
  struct relation *added =
      xcalloc(tl->tags * (1 + TAXONOMY_NARROWER), sizeof *added);
  size_t nadded = 0;
  struct rng r;
  rng_seed(&r, o->seed ^ 0x7461786f6e6f6d79ull); /* "taxonomy" */
  double t0 = now_s();
  for (size_t j = 0; j < tl->tags; j++) {
    const char *t = tags[j];
    size_t len = strlen(t) + sizeof TAXONOMY_ALIAS;
    char *alias = xmalloc(len);
    snprintf(alias, len, "%s%s", t, TAXONOMY_ALIAS);
    if (!relate(db, t, NETREF_RELATION_ALIAS, alias, added, &nadded))
      die("netref_tag_relate(%s, alias, %s): refused: %s", t, alias,
          netref_errmsg(db));
    tl->aliases++;
    free(alias);
    const char *picked[TAXONOMY_NARROWER];
    int np = 0;
    for (int tries = 0; np < TAXONOMY_NARROWER && tries < 100; tries++) {
      uint64_t x = rng_below(&r, total);
      int s = 0;
      while (x >= pl->nq[s])
        x -= pl->nq[s++];
      const struct query *q = &pl->q[s][x];
      const char *c = rng_below(&r, 2) ? q->offer_tag : q->need_tag;
      int dup = (s == SET_RANDOM && x == origin[j]) || !strcmp(c, t) ||
                relation_kept(tl, c, NETREF_RELATION_BROADER, t);
      for (int p = 0; p < np && !dup; p++)
        dup = !strcmp(picked[p], c);
      if (!dup)
        picked[np++] = c;
    }
    for (int p = 0; p < np; p++) {
      if (relate(db, picked[p], NETREF_RELATION_BROADER, t, added, &nadded))
        tl->broader++;
      else
        tl->refused++;
    }
  }
  tl->relate_s = now_s() - t0;
  note("  taxonomy: %zu tags, %zu aliases, %zu broader relations, %zu "
       "refused as cycles (%.2f s)",
       tl->tags, tl->aliases, tl->broader, tl->refused, tl->relate_s);

  /* The tags each query matches (untimed). */
  double msum = 0;
  for (size_t i = 0; i < n; i++) {
    netref_rows *er = NULL;
    int rc = t_tag_expand(db, qs[i].need_tag, 0, &er);
    if (rc != NETREF_OK)
      die("t_tag_expand(%s): %s: %s", qs[i].need_tag, netref_strerror(rc),
          netref_errmsg(db));
    double m = (double)netref_rows_count(er);
    netref_rows_free(er);
    msum += m;
    if (m > tl->matched_max)
      tl->matched_max = m;
  }
  tl->matched_mean = n ? msum / (double)n : NAN;

  /* Each query expanded ([0]) and exact ([1]), alternating which runs
   * first, so that neither is always the one that finds the source's
   * neighbourhood in the caches; a few untimed ones first (the first
   * expanded query loads the taxonomy). */
  netref_options *mode[2] = {make_options(2), make_options(2)};
  int rc = netref_options_set_exact(mode[1], 1);
  if (rc != NETREF_OK)
    die("netref_options_set_exact: %s", netref_strerror(rc));
  for (size_t i = 0; i < n && i < 10; i++)
    for (int m = 0; m < 2; m++)
      run_query(db, PROSPECTS, &qs[i], mode[m], NULL);
  double *ms[2];
  size_t *rows[2];
  for (int m = 0; m < 2; m++) {
    ms[m] = xcalloc(n ? n : 1, sizeof *ms[m]);
    rows[m] = xcalloc(n ? n : 1, sizeof *rows[m]);
  }
  double rsum[2] = {0, 0};
  for (size_t i = 0; i < n; i++) {
    for (int p = 0; p < 2; p++) {
      int m = p ^ (int)(i & 1);
      ms[m][i] = run_query(db, PROSPECTS, &qs[i], mode[m], &rows[m][i]);
      rsum[m] += (double)rows[m][i];
    }
    tl->exact_same += rows[1][i] == plain_rows[i];
    tl->superset += rows[0][i] >= rows[1][i];
  }
  tl->expanded = summarize(ms[0], n);
  tl->exact = summarize(ms[1], n);
  tl->rows_expanded = n ? rsum[0] / (double)n : NAN;
  tl->rows_exact = n ? rsum[1] / (double)n : NAN;
  tl->ratio = tl->expanded.median / tl->exact.median;
  for (int m = 0; m < 2; m++) {
    netref_options_free(mode[m]);
    free(ms[m]);
    free(rows[m]);
  }

  /* Remove what was added, last first (a T's narrower tags before its
   * alias), and check that the file holds what it held before. */
  t0 = now_s();
  for (size_t i = nadded; i-- > 0;) {
    const struct relation *a = &added[i];
    rc = netref_tag_unrelate(db, a->tag, a->relation, a->other);
    if (rc != NETREF_OK)
      die("netref_tag_unrelate(%s, %s, %s): %s: %s", a->tag,
          a->relation == NETREF_RELATION_ALIAS ? "alias" : "broader", a->other,
          netref_strerror(rc), netref_errmsg(db));
    free_relation(&added[i]);
  }
  tl->unrelate_s = now_s() - t0;
  netref_rows *left = list_relations(db);
  size_t nleft = netref_rows_count(left);
  netref_rows_free(left);
  if (nleft != tl->nkept)
    die("taxonomy: %zu tag relations after the line, %zu before", nleft,
        tl->nkept);
  free(added);
  free(tags);
  free(origin);
  for (size_t i = 0; i < tl->nkept; i++)
    free_relation(&tl->kept[i]);
  free(tl->kept);
  tl->kept = NULL;
  note("  taxonomy: prospects k=2 n=%zu expanded median %.3f ms, p95 %.3f "
       "ms; exact median %.3f ms, p95 %.3f ms (%.2fx); relations removed "
       "in %.2f s",
       n, tl->expanded.median, tl->expanded.p95, tl->exact.median,
       tl->exact.p95, tl->ratio, tl->unrelate_s);
}
/* ---- end of taxonomy ------------------------------------------------- */

struct target {
  char name[64];
  double value, limit;
  int higher_is_better, known, lower_bound;
  const char *unit;
};

static struct target targets[32];
static int ntargets;

static const struct target *add_target(const char *name, double value,
                                       int known, int higher_is_better,
                                       double limit, const char *unit) {
  struct target *t = &targets[ntargets++];
  snprintf(t->name, sizeof t->name, "%s", name);
  t->value = value;
  t->known = known && !isnan(value);
  t->higher_is_better = higher_is_better;
  t->limit = limit;
  t->unit = unit;
  return t;
}

static int target_ok(const struct target *t) {
  return t->known &&
         (t->higher_is_better ? t->value >= t->limit : t->value <= t->limit);
}

static const char *status(const struct target *t) {
  if (!t->known)
    return "n/a";
  return target_ok(t) ? "ok" : "MISSED";
}

static void fmt_target(char *buf, size_t size, const struct target *t) {
  snprintf(buf, size, "%s %g%s", t->higher_is_better ? ">=" : "<=", t->limit,
           t->unit);
}

static void thousands(char *buf, size_t size, double v) {
  if (isnan(v)) {
    snprintf(buf, size, "n/a");
    return;
  }
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%.0f", v);
  size_t len = strlen(tmp), o = 0;
  for (size_t i = 0; i < len && o + 2 < size; i++) {
    buf[o++] = tmp[i];
    size_t left = len - i - 1;
    if (left && left % 3 == 0 && tmp[i] != '-')
      buf[o++] = ',';
  }
  buf[o] = '\0';
}

static void fmt_ms(char *buf, size_t size, double ms) {
  if (isnan(ms))
    snprintf(buf, size, "-");
  else if (ms < 1)
    snprintf(buf, size, "%.3f ms", ms);
  else if (ms < 100)
    snprintf(buf, size, "%.2f ms", ms);
  else
    snprintf(buf, size, "%.0f ms", ms);
}

static void fmt_rate(char *buf, size_t size, double v) {
  if (isnan(v))
    snprintf(buf, size, "-");
  else if (v >= 1e9)
    snprintf(buf, size, "%.2fG", v / 1e9);
  else if (v >= 1e6)
    snprintf(buf, size, "%.1fM", v / 1e6);
  else if (v >= 1e3)
    snprintf(buf, size, "%.1fk", v / 1e3);
  else
    snprintf(buf, size, "%.0f", v);
}

static void machine(char *buf, size_t size) {
  char model[128] = "unknown CPU";
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (f) {
    char line[256];
    while (fgets(line, sizeof line, f))
      if (!strncmp(line, "model name", 10)) {
        char *c = strchr(line, ':');
        if (c) {
          c++;
          while (*c == ' ')
            c++;
          c[strcspn(c, "\n")] = '\0';
          snprintf(model, sizeof model, "%s", c);
        }
        break;
      }
    fclose(f);
  }
  double mem = 0;
  f = fopen("/proc/meminfo", "r");
  if (f) {
    char line[256];
    if (fgets(line, sizeof line, f) && !strncmp(line, "MemTotal:", 9))
      mem = strtod(line + 9, NULL) / (1024.0 * 1024.0);
    fclose(f);
  }
  snprintf(buf, size, "%ld CPUs (%s), %.0f GiB RAM",
           sysconf(_SC_NPROCESSORS_ONLN), model, mem);
}

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", (unsigned)c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

/* A number, or null when it is not finite. */
static void json_num(FILE *f, double v) {
  if (isfinite(v))
    fprintf(f, "%.10g", v);
  else
    fputs("null", f);
}

struct report {
  const struct opts *o;
  const struct plan *pl;
  char machine[256];
  int have_gen;
  double import_tie_rate, import_rate, import_s, db_bytes, gen_clustering,
      gen_max_degree;
  size_t warmup;
  double warmup_s;
  double open_s, first_s, rss_before, rss_open, rss_first, index_bytes,
      bytes_per_tie;
  double peak_maxrss, peak_hwm, peak_maxrss_mixed, peak_hwm_mixed;
  struct summary coherence_us;          /* PRAGMA data_version, per call */
  struct line lines[N_KINDS][MAX_K][2]; /* [kind][k-1][random|hubs] */
  struct mixed mixed;
  struct paths paths;
  struct advice advice;
  struct connectors_line connectors[2]; /* k = 1, 2 */
  struct taxonomy_line taxonomy;        /* taxonomy */
  struct sqlite_line sql[MAX_K];
  int have_sqlite;
  double total_s;
  double load_start, load_end, gen_load;
};

static const struct line *random_line(const struct report *R, int kind, int k) {
  return &R->lines[kind][k - 1][SET_RANDOM];
}

static const char edges_note[] =
    "edges touched per second: estimated ties scanned / query time, the "
    "ties scanned being the sum of the degrees of the people within k-1 "
    "hops of the source (BFS over the tie table), summed over the line's "
    "queries";

static void print_report(FILE *out, const struct report *R) {
  const struct plan *pl = R->pl;
  char a[48], b[160], c[160], d[160], e[32], f[32];
  int applies = pl->people >= TARGET_PEOPLE;
  thousands(a, sizeof a, (double)pl->people);
  thousands(b, sizeof b, (double)pl->ties);
  fprintf(out, "\nnetref %s benchmark: %s\n%s people, %s ties; %s\n",
          netref_version(), R->o->db, a, b, R->machine);
  fprintf(out, "1-minute load average: %.2f at start, %.2f at end",
          R->load_start, R->load_end);
  if (!isnan(R->gen_load))
    fprintf(out, ", %.2f after the import", R->gen_load);
  fprintf(out, " (above about 1, other work competed for the %ld CPUs)\n",
          sysconf(_SC_NPROCESSORS_ONLN));
  fprintf(out,
          "Targets (issues 4 and 12) are for 1,000,000 people / 10,000,000 "
          "ties%s\n\n",
          applies ? "." : "; at this size they are shown for information.");
  int ti = 0;
  const struct target *t;
  char tgt[64];
  fprintf(out, "%-44s %-22s %-14s %s\n", "measure", "value", "target",
          "status");
  /* import */
  t = &targets[ti++];
  thousands(a, sizeof a, t->value);
  fmt_target(tgt, sizeof tgt, t);
  fprintf(out, "%-44s %-22s %-14s %s\n", "import, tie rows/s (netref-gen)",
          R->have_gen ? a : "n/a (no DB.gen.json)", tgt, status(t));
  if (R->have_gen) {
    thousands(a, sizeof a, R->import_rate);
    snprintf(b, sizeof b, "%s in %.1f s", a, R->import_s);
    fprintf(out, "%-44s %-22s\n", "import, all rows/s", b);
  }
  t = &targets[ti++];
  fmt_target(tgt, sizeof tgt, t);
  if (R->have_gen)
    snprintf(b, sizeof b, "%.1f MB, %.1f B/tie", R->db_bytes / 1e6, t->value);
  fprintf(out, "%-44s %-22s %-14s %s\n", "database file (per tie)",
          R->have_gen ? b : "n/a (no DB.gen.json)", tgt, status(t));
  snprintf(a, sizeof a, "%.3f s", R->open_s);
  fprintf(out, "%-44s %-22s\n", "netref_open", a);
  snprintf(a, sizeof a, "%.3f s", R->first_s);
  fprintf(out, "%-44s %-22s\n", "first netref_prospects (index build)", a);
  t = &targets[ti++];
  snprintf(a, sizeof a, "%.3f s", t->value);
  fmt_target(tgt, sizeof tgt, t);
  fprintf(out, "%-44s %-22s %-14s %s\n", "open to first answer", a, tgt,
          status(t));
  snprintf(a, sizeof a, "%zu queries, %.3f s", R->warmup, R->warmup_s);
  fprintf(out, "%-44s %-22s\n", "warm-up before the lines (untimed)", a);
  t = &targets[ti++];
  snprintf(a, sizeof a, "%.1f B (%.1f MB)", t->value, R->index_bytes / 1e6);
  fmt_target(tgt, sizeof tgt, t);
  fprintf(out, "%-44s %-22s %-14s %s\n",
          "index memory per tie (RSS growth / ties)", a, tgt, status(t));
  snprintf(a, sizeof a, "%.1f / %.1f / %.1f MB", R->rss_before / 1e6,
           R->rss_open / 1e6, R->rss_first / 1e6);
  fprintf(out, "%-44s %-22s\n", "RSS before open / after / first answer", a);
  snprintf(a, sizeof a, "%.1f / %.1f MB", R->peak_maxrss / 1e6,
           R->peak_hwm / 1e6);
  fprintf(out, "%-44s %-22s\n", "peak RSS, queries (ru_maxrss / VmHWM)", a);
  snprintf(a, sizeof a, "%.1f / %.1f MB", R->peak_maxrss_mixed / 1e6,
           R->peak_hwm_mixed / 1e6);
  fprintf(out, "%-44s %-22s\n", "peak RSS, after mixed (ru_maxrss / VmHWM)", a);

  fprintf(out, "\n%-10s %-2s %-7s %5s %10s %10s %10s %8s %7s  %-26s %s\n",
          "query", "k", "sources", "n", "median", "p95", "max", "edges/s",
          "rows", "target", "status");
  for (int kind = 0; kind < N_KINDS; kind++)
    for (int k = 1; k <= MAX_K; k++)
      for (int set = 0; set < 2; set++) {
        const struct line *ln = &R->lines[kind][k - 1][set];
        fmt_ms(a, sizeof a, ln->s.median);
        fmt_ms(b, sizeof b, ln->s.p95);
        fmt_ms(c, sizeof c, ln->s.max);
        fmt_rate(d, sizeof d, ln->edges_per_s);
        char tg[64] = "", st[32] = "";
        if (set == SET_RANDOM && k >= 2) {
          const struct target *t1 = &targets[ti++];
          if (k == 2) {
            const struct target *t2 = &targets[ti++];
            snprintf(tg, sizeof tg, "median <= %g ms, p95 <= %g ms", t1->limit,
                     t2->limit);
            snprintf(st, sizeof st, "%s",
                     target_ok(t1) && target_ok(t2) ? "ok" : "MISSED");
          } else {
            snprintf(tg, sizeof tg, "median <= %g ms", t1->limit);
            snprintf(st, sizeof st, "%s", status(t1));
          }
        } else if (set == SET_HUB) {
          snprintf(tg, sizeof tg, "(hubs: reported)");
        }
        fprintf(out,
                "%-10s %-2d %-7s %5zu %10s %10s %10s %8s %7.1f  %-31s %s\n",
                kind_names[kind], k, set_names[set], ln->s.n, a, b, c, d,
                ln->rows_mean, tg, st);
      }
  fmt_ms(a, sizeof a, R->mixed.q.median);
  fmt_ms(b, sizeof b, R->mixed.q.p95);
  fmt_ms(c, sizeof c, R->mixed.q.max);
  fprintf(out, "%-10s %-2d %-7s %5zu %10s %10s %10s %8s %7s  %s\n", "mixed", 2,
          "random", R->mixed.queries, a, b, c, "-", "-",
          "prospects; 1 tie change per 100 queries");
  fmt_ms(a, sizeof a, R->mixed.c.median);
  fmt_ms(b, sizeof b, R->mixed.c.max);
  fmt_ms(c, sizeof c, R->mixed.after_change.median);
  fmt_ms(d, sizeof d, R->mixed.after_change.max);
  fprintf(out,
          "%-10s tie_set median %s, max %s; first query after a change: "
          "median %s, max %s (%zu changes)\n",
          "", a, b, c, d, R->mixed.changes);

  if (R->have_sqlite) {
    fprintf(out,
            "\nSQLite alone: recursive CTE (people within k hops and "
            "their hop count, joined to need), first %zu random "
            "prospects queries per k, cap %g s per query;\n %s\n",
            R->sql[0].n, R->o->sqlite_cap_s,
            pl->ties_twice
                ? "ties stored as (a,b) and (b,a): the CTE follows tie.a"
                : "ties stored once (a<b): the CTE follows tie.a and tie.b");
    fprintf(out, "%-10s %-2s %5s %10s %10s %7s %9s  %-22s %-22s %-14s %s\n",
            "query", "k", "n", "median", "p95", "capped",
            "rows=", "SQLite/prospects", "SQLite/providers", "target",
            "status");
    for (int k = 1; k <= MAX_K; k++) {
      const struct sqlite_line *s = &R->sql[k - 1];
      fmt_ms(a, sizeof a, s->s.median);
      fmt_ms(b, sizeof b, s->s.p95);
      const struct target *tp = &targets[ti++];
      const struct target *tv = &targets[ti++];
      fmt_ms(e, sizeof e, s->netref_same[PROSPECTS].median);
      fmt_ms(f, sizeof f, s->netref_same[PROVIDERS].median);
      snprintf(c, sizeof c, "%s%.1fx (%s)", s->capped ? ">=" : "",
               s->ratio[PROSPECTS], e);
      snprintf(d, sizeof d, "%s%.1fx (%s)", s->capped ? ">=" : "",
               s->ratio[PROVIDERS], f);
      char agree[32];
      snprintf(agree, sizeof agree, "%zu/%zu", s->rows_agree, s->rows_compared);
      int ok = target_ok(tp) && target_ok(tv);
      fprintf(out, "%-10s %-2d %5zu %10s %10s %7zu %9s  %-22s %-22s %-14s %s\n",
              "sqlite", k, s->n, a, b, s->capped, agree, c, d, ">= 10x each",
              ok ? "ok" : (s->capped ? "MISSED?" : "MISSED"));
    }
    fprintf(out, "(ratio = SQLite median / netref median on the same queries,"
                 " netref median in brackets; providers are compared with "
                 "the same prospects CTE, whose cost is the hop set;\n rows= "
                 "counts the queries where SQLite and netref prospects "
                 "returned the same number of people; SQLite cache_size "
                 "64 MiB)\n");
  }
  fprintf(out, "\n%-10s %-9s %5s %10s %10s %10s %7s  %-24s %s\n", "path",
          "limit", "n", "median", "p95", "max", "found", "target", "status");
  for (int limit = 0; limit < 2; limit++) {
    const struct target *pt = &targets[ti++];
    fmt_ms(a, sizeof a, R->paths.s[limit].median);
    fmt_ms(b, sizeof b, R->paths.s[limit].p95);
    fmt_ms(c, sizeof c, R->paths.s[limit].max);
    snprintf(e, sizeof e, "median <= %g ms", pt->limit);
    fprintf(out, "%-10s %-9s %5zu %10s %10s %10s %7zu  %-24s %s\n", "path",
            limit ? "none" : "6 hops", R->paths.s[limit].n, a, b, c,
            R->paths.found[limit], e, status(pt));
  }
  fprintf(out, "(strongest path between random pairs of people, no "
               "alternatives; found = pairs with a path)\n");
  fprintf(out, "\n%-10s %-2s %5s %10s %10s %10s  %-24s %s\n", "query", "k", "n",
          "median", "p95", "max", "target", "status");
  const struct summary *adv[2] = {&R->advice.ask, &R->advice.matches};
  for (int i = 0; i < 2; i++) {
    const struct target *at = &targets[ti++];
    fmt_ms(a, sizeof a, adv[i]->median);
    fmt_ms(b, sizeof b, adv[i]->p95);
    fmt_ms(c, sizeof c, adv[i]->max);
    snprintf(e, sizeof e, "median <= %g ms", at->limit);
    fprintf(out, "%-10s %-2d %5zu %10s %10s %10s  %-24s %s\n",
            i ? "matches" : "ask-first", 2, adv[i]->n, a, b, c, e, status(at));
  }
  fmt_ms(a, sizeof a, R->advice.deep.median);
  fmt_ms(b, sizeof b, R->advice.deep.p95);
  fmt_ms(c, sizeof c, R->advice.deep.max);
  snprintf(e, sizeof e, "limit %d, %zu refused", DEEP_MATCHES_LIMIT,
           R->advice.deep_refused);
  fprintf(out, "%-10s %-2d %5zu %10s %10s %10s  %-24s %s\n", "matches", 6,
          R->advice.deep.n, a, b, c, e, "reported");
  fprintf(out,
          "(ask-first: a random source's contacts ranked for a tag "
          "they offer, any role; matches: every tag, k=2 without a "
          "limit (%zu refused), k=6 with one;\n refused: more "
          "candidate pairs than %llu without a limit, %llu with one)\n",
          R->advice.matches_refused,
          (unsigned long long)NETREF_MATCHES_MAX_ROWS,
          (unsigned long long)NETREF_MATCHES_MAX_PAIRS);
  /* ---- connectors ---- */
  fprintf(out, "\n%-10s %-2s %5s %8s %10s %10s %10s %8s  %-19s %-21s %s\n",
          "query", "k", "n", "answered", "median", "p95", "max", "refused",
          "people median/max", "ties median/max", "status");
  for (int k = 1; k <= 2; k++) {
    const struct connectors_line *cl = &R->connectors[k - 1];
    const struct target *ct = &targets[ti++];
    fmt_ms(a, sizeof a, cl->answered_s.median);
    fmt_ms(b, sizeof b, cl->answered_s.p95);
    fmt_ms(c, sizeof c, cl->answered_s.max);
    char pm[32], px[32], tm[32], tx[32], people[72], ties[72];
    thousands(pm, sizeof pm, cl->people_median);
    thousands(px, sizeof px, cl->people_max);
    thousands(tm, sizeof tm, cl->ties_median);
    thousands(tx, sizeof tx, cl->ties_max);
    snprintf(people, sizeof people, "%s / %s", pm, px);
    snprintf(ties, sizeof ties, "%s / %s", tm, tx);
    fprintf(out, "%-10s %-2d %5zu %8zu %10s %10s %10s %8zu  %-19s %-21s %s\n",
            "connectors", k, cl->n, cl->answered, cl->answered ? a : "-",
            cl->answered ? b : "-", cl->answered ? c : "-", cl->refused, people,
            ties, cl->disagree ? "DISAGREE" : status(ct));
  }
  {
    const struct connectors_line *c2 = &R->connectors[1];
    char pa[32], ta[32];
    thousands(pa, sizeof pa, c2->answered_people_max);
    thousands(ta, sizeof ta, c2->answered_ties_max);
    fmt_ms(a, sizeof a, c2->refused_s.median);
    fprintf(out,
            "(connectors: betweenness in the k-hop network of a random "
            "source; cost grows as people x ties of that network (Brandes), "
            "refused above %.0e;\n times are of the answered queries, target "
            "max <= 5 s; at k=2 the largest answered had %s people, %s ties; "
            "a refusal took %s (median))\n",
            CONNECTOR_BOUND, pa, ta, c2->refused ? a : "-");
  }
  /* ---- end of connectors ---- */
  /* ---- taxonomy ---- */
  {
    const struct taxonomy_line *tl = &R->taxonomy;
    int checked = tl->nkept == 0; /* else the plain line expanded too */
    fprintf(out, "\n%-10s %-2s %5s %-8s %10s %10s %10s %8s  %-17s %s\n",
            "query", "k", "n", "tags", "median", "p95", "max", "rows",
            "tags matched", "status");
    for (int m = 0; m < 2; m++) {
      const struct summary *sm = m ? &tl->exact : &tl->expanded;
      fmt_ms(a, sizeof a, sm->median);
      fmt_ms(b, sizeof b, sm->p95);
      fmt_ms(c, sizeof c, sm->max);
      if (m)
        snprintf(d, sizeof d, "1 / 1");
      else
        snprintf(d, sizeof d, "%.1f / %.0f", tl->matched_mean, tl->matched_max);
      int ok = m ? !checked || tl->exact_same == tl->n : tl->superset == tl->n;
      fprintf(out, "%-10s %-2d %5zu %-8s %10s %10s %10s %8.1f  %-17s %s\n",
              "prospects", 2, sm->n, m ? "exact" : "expanded", a, b, c,
              m ? tl->rows_exact : tl->rows_expanded, d,
              ok ? "reported" : "DIFFERS");
    }
    fmt_ms(a, sizeof a, tl->expanded.median);
    fmt_ms(b, sizeof b, tl->exact.median);
    fmt_ms(c, sizeof c, tl->expanded.p95);
    fmt_ms(d, sizeof d, tl->exact.p95);
    char same[64] = "", kept[96] = "";
    if (checked)
      snprintf(same, sizeof same,
               "exact rows = the prospects k=2 line's on "
               "%zu/%zu, ",
               tl->exact_same, tl->n);
    if (tl->leftover || tl->nkept)
      snprintf(kept, sizeof kept,
               "; %zu left by an interrupted run removed first, %zu of the "
               "file's own kept",
               tl->leftover, tl->nkept);
    fprintf(out,
            "(taxonomy: the first %zu random prospects queries at k=2 with a "
            "synthetic taxonomy: each of their first %zu distinct need tags "
            "got an alias nobody holds\n and up to %d narrower tags drawn "
            "from the plan's tags (%zu accepted, %zu refused as cycles); "
            "each query timed expanded (the default) and exact, alternately "
            "first;\n expansion costs %.2fx the exact median (%s vs %s; p95 "
            "%s vs %s), for %.1f vs %.1f rows; %sexpanded rows >= exact on "
            "%zu/%zu;\n the %zu relations were added in %.2f s and removed "
            "in %.2f s%s)\n",
            tl->n, tl->tags, TAXONOMY_NARROWER, tl->broader, tl->refused,
            tl->ratio, a, b, c, d, tl->rows_expanded, tl->rows_exact, same,
            tl->superset, tl->n, tl->aliases + tl->broader, tl->relate_s,
            tl->unrelate_s, kept);
  }
  /* ---- end of taxonomy ---- */
  fprintf(out,
          "\nhubs: the top 0.1%% by degree (%" PRIu64
          " people, degree >= %" PRIu64 ", max %" PRIu64 ")\n",
          pl->hubs, pl->hub_min_degree, pl->max_degree);
  fprintf(out, "%s\n", edges_note);
  int missed = 0;
  for (int i = 0; i < ntargets; i++)
    missed += targets[i].known && !target_ok(&targets[i]);
  fprintf(out, "%d of %d targets missed%s; run took %.0f s\n", missed, ntargets,
          applies ? "" : " (for information at this size)", R->total_s);
}

static void json_summary(FILE *f, const struct summary *s) {
  fprintf(f, "\"n\": %zu, \"median_ms\": ", s->n);
  json_num(f, s->median);
  fputs(", \"p95_ms\": ", f);
  json_num(f, s->p95);
  fputs(", \"max_ms\": ", f);
  json_num(f, s->max);
  fputs(", \"mean_ms\": ", f);
  json_num(f, s->mean);
}

static void write_json(const char *path, const struct report *R) {
  FILE *f = fopen(path, "w");
  if (!f)
    die("%s: %s", path, strerror(errno));
  const struct plan *pl = R->pl;
  fputs("{\n  \"netref_version\": ", f);
  json_str(f, netref_version());
  fputs(",\n  \"db\": ", f);
  json_str(f, R->o->db);
  fputs(",\n  \"machine\": ", f);
  json_str(f, R->machine);
  fputs(",\n  \"loadavg_start\": ", f);
  json_num(f, R->load_start);
  fputs(",\n  \"loadavg_end\": ", f);
  json_num(f, R->load_end);
  fputs(",\n  \"loadavg_after_import\": ", f);
  json_num(f, R->gen_load);
  fprintf(f,
          ",\n  \"people\": %" PRIu64 ",\n  \"ties\": %" PRIu64
          ",\n  \"seed\": %llu,\n  \"targets_apply\": %s,\n",
          pl->people, pl->ties, R->o->seed,
          pl->people >= TARGET_PEOPLE ? "true" : "false");
  fputs("  \"import\": {\"from\": \"DB.gen.json\", \"tie_rows_per_s\": ", f);
  json_num(f, R->have_gen ? R->import_tie_rate : NAN);
  fputs(", \"rows_per_s\": ", f);
  json_num(f, R->have_gen ? R->import_rate : NAN);
  fputs(", \"seconds\": ", f);
  json_num(f, R->have_gen ? R->import_s : NAN);
  fputs(", \"db_bytes\": ", f);
  json_num(f, R->have_gen ? R->db_bytes : NAN);
  fputs("},\n  \"open\": {\"open_s\": ", f);
  json_num(f, R->open_s);
  fputs(", \"first_answer_s\": ", f);
  json_num(f, R->first_s);
  fputs(", \"open_to_first_answer_s\": ", f);
  json_num(f, R->open_s + R->first_s);
  fprintf(f, ", \"warmup_queries\": %zu, \"warmup_s\": ", R->warmup);
  json_num(f, R->warmup_s);
  fputs("},\n  \"memory\": {\"rss_before_open_bytes\": ", f);
  json_num(f, R->rss_before);
  fputs(", \"rss_after_open_bytes\": ", f);
  json_num(f, R->rss_open);
  fputs(", \"rss_after_first_answer_bytes\": ", f);
  json_num(f, R->rss_first);
  fputs(", \"index_bytes\": ", f);
  json_num(f, R->index_bytes);
  fputs(", \"bytes_per_tie\": ", f);
  json_num(f, R->bytes_per_tie);
  fputs(", \"peak_rss_maxrss_bytes\": ", f);
  json_num(f, R->peak_maxrss);
  fputs(", \"peak_rss_vmhwm_bytes\": ", f);
  json_num(f, R->peak_hwm);
  fputs(", \"peak_rss_after_mixed_maxrss_bytes\": ", f);
  json_num(f, R->peak_maxrss_mixed);
  fputs(", \"peak_rss_after_mixed_vmhwm_bytes\": ", f);
  json_num(f, R->peak_hwm_mixed);
  fputs(", \"coherence_check_median_us\": ", f);
  json_num(f, R->coherence_us.median);
  fputs(", \"coherence_check_p95_us\": ", f);
  json_num(f, R->coherence_us.p95);
  fprintf(f,
          "},\n  \"hubs\": {\"count\": %" PRIu64 ", \"min_degree\": %" PRIu64
          ", \"max_degree\": %" PRIu64 "},\n",
          pl->hubs, pl->hub_min_degree, pl->max_degree);
  fputs("  \"edges_touched_estimate\": ", f);
  json_str(f, edges_note);
  fputs(",\n  \"queries\": [\n", f);
  int first = 1;
  for (int kind = 0; kind < N_KINDS; kind++)
    for (int k = 1; k <= MAX_K; k++)
      for (int set = 0; set < 2; set++) {
        const struct line *ln = &R->lines[kind][k - 1][set];
        fprintf(f, "%s    {\"kind\": \"%s\", \"k\": %d, \"sources\": \"%s\", ",
                first ? "" : ",\n", kind_names[kind], k, set_names[set]);
        json_summary(f, &ln->s);
        fputs(", \"edges_touched_per_s\": ", f);
        json_num(f, ln->edges_per_s);
        fputs(", \"mean_rows\": ", f);
        json_num(f, ln->rows_mean);
        fputc('}', f);
        first = 0;
      }
  fputs("\n  ],\n  \"mixed\": {\"kind\": \"prospects\", \"k\": 2, "
        "\"changes_per_queries\": \"1/100\", ",
        f);
  json_summary(f, &R->mixed.q);
  fprintf(f, ", \"changes\": %zu, \"tie_set_median_ms\": ", R->mixed.changes);
  json_num(f, R->mixed.c.median);
  fputs(", \"tie_set_max_ms\": ", f);
  json_num(f, R->mixed.c.max);
  fputs(", \"after_change_median_ms\": ", f);
  json_num(f, R->mixed.after_change.median);
  fputs(", \"after_change_max_ms\": ", f);
  json_num(f, R->mixed.after_change.max);
  fprintf(f, "},\n  \"sqlite_tie_layout\": \"%s\",\n  \"sqlite\": [\n",
          pl->ties_twice ? "twice" : "once");
  for (int k = 1; R->have_sqlite && k <= MAX_K; k++) {
    const struct sqlite_line *s = &R->sql[k - 1];
    fprintf(f, "%s    {\"kind\": \"prospects\", \"k\": %d, ",
            k > 1 ? ",\n" : "", k);
    json_summary(f, &s->s);
    fprintf(f,
            ", \"cap_s\": %g, \"capped\": %zu, \"rows_agree\": %zu, "
            "\"rows_compared\": %zu, \"netref_prospects_median_ms\": ",
            R->o->sqlite_cap_s, s->capped, s->rows_agree, s->rows_compared);
    json_num(f, s->netref_same[PROSPECTS].median);
    fputs(", \"netref_providers_median_ms\": ", f);
    json_num(f, s->netref_same[PROVIDERS].median);
    fputs(", \"ratio_prospects\": ", f);
    json_num(f, s->ratio[PROSPECTS]);
    fputs(", \"ratio_providers\": ", f);
    json_num(f, s->ratio[PROVIDERS]);
    fputc('}', f);
  }
  fputs("\n  ],\n  \"path\": [\n", f);
  for (int limit = 0; limit < 2; limit++) {
    fprintf(f, "%s    {\"max_hops\": %d, \"found\": %zu, ", limit ? ",\n" : "",
            limit ? 0 : 6, R->paths.found[limit]);
    json_summary(f, &R->paths.s[limit]);
    fputc('}', f);
  }
  fputs("\n  ],\n  \"ask_first\": {", f);
  json_summary(f, &R->advice.ask);
  fputs("},\n  \"matches\": {", f);
  json_summary(f, &R->advice.matches);
  fprintf(f, ", \"refused\": %zu},\n  \"matches_k6_limit%d\": {",
          R->advice.matches_refused, DEEP_MATCHES_LIMIT);
  json_summary(f, &R->advice.deep);
  fprintf(f, ", \"refused\": %zu, \"bound_pairs\": %llu},\n",
          R->advice.deep_refused, (unsigned long long)NETREF_MATCHES_MAX_PAIRS);
  fputs("  \"connectors\": [\n", f); /* connectors */
  for (int k = 1; k <= 2; k++) {
    const struct connectors_line *cl = &R->connectors[k - 1];
    fprintf(f,
            "%s    {\"k\": %d, \"sources\": %zu, \"answered\": %zu, "
            "\"refused\": %zu, \"bound_people_x_ties\": %.0f, "
            "\"refusals_disagreeing_with_plan\": %zu, ",
            k > 1 ? ",\n" : "", k, cl->n, cl->answered, cl->refused,
            CONNECTOR_BOUND, cl->disagree);
    json_summary(f, &cl->answered_s);
    fputs(", \"refused_median_ms\": ", f);
    json_num(f, cl->refused_s.median);
    fputs(", \"people_median\": ", f);
    json_num(f, cl->people_median);
    fputs(", \"people_max\": ", f);
    json_num(f, cl->people_max);
    fputs(", \"ties_median\": ", f);
    json_num(f, cl->ties_median);
    fputs(", \"ties_max\": ", f);
    json_num(f, cl->ties_max);
    fputs(", \"answered_people_max\": ", f);
    json_num(f, cl->answered_people_max);
    fputs(", \"answered_ties_max\": ", f);
    json_num(f, cl->answered_ties_max);
    fputc('}', f);
  }
  /* ---- taxonomy ---- */
  {
    const struct taxonomy_line *tl = &R->taxonomy;
    fprintf(f,
            "\n  ],\n  \"taxonomy\": {\"kind\": \"prospects\", \"k\": 2, "
            "\"sources\": %zu, \"tags\": %zu, \"narrower_per_tag\": %d, "
            "\"aliases\": %zu, \"broader\": %zu, \"refused_cycles\": %zu, "
            "\"leftover_removed\": %zu, \"own_relations_kept\": %zu, "
            "\"relate_s\": ",
            tl->n, tl->tags, TAXONOMY_NARROWER, tl->aliases, tl->broader,
            tl->refused, tl->leftover, tl->nkept);
    json_num(f, tl->relate_s);
    fputs(", \"unrelate_s\": ", f);
    json_num(f, tl->unrelate_s);
    fputs(", \"median_ratio_expanded_over_exact\": ", f);
    json_num(f, tl->ratio);
    fputs(",\n    \"expanded\": {", f);
    json_summary(f, &tl->expanded);
    fputs(", \"mean_rows\": ", f);
    json_num(f, tl->rows_expanded);
    fputs(", \"tags_matched_mean\": ", f);
    json_num(f, tl->matched_mean);
    fputs(", \"tags_matched_max\": ", f);
    json_num(f, tl->matched_max);
    fprintf(f, ", \"rows_at_least_exact\": %zu},\n    \"exact\": {",
            tl->superset);
    json_summary(f, &tl->exact);
    fputs(", \"mean_rows\": ", f);
    json_num(f, tl->rows_exact);
    fputs(", \"rows_equal_to_prospects_k2\": ", f);
    if (tl->nkept)
      fputs("null", f); /* the file's own taxonomy expanded that line */
    else
      fprintf(f, "%zu", tl->exact_same);
    fputs("}}", f);
  }
  /* ---- end of taxonomy ---- */
  fputs(",\n  \"targets\": [\n", f);
  for (int i = 0; i < ntargets; i++) {
    const struct target *t = &targets[i];
    fprintf(f, "%s    {\"name\": ", i ? ",\n" : "");
    json_str(f, t->name);
    fputs(", \"value\": ", f);
    json_num(f, t->known ? t->value : NAN);
    fprintf(f, ", \"op\": \"%s\", \"limit\": %g, \"ok\": %s}",
            t->higher_is_better ? ">=" : "<=", t->limit,
            !t->known      ? "null"
            : target_ok(t) ? "true"
                           : "false");
  }
  fprintf(f, "\n  ],\n  \"total_s\": %.1f\n}\n", R->total_s);
  if (ferror(f) || fclose(f) != 0)
    die("%s: write failed", path);
}

/* One CSV row per timed query, for a closer look at the distributions. */
static void write_raw(const char *path, const struct report *R) {
  FILE *f = fopen(path, "w");
  if (!f)
    die("%s: %s", path, strerror(errno));
  fputs("engine,kind,k,sources,i,source,degree,tag,edges_estimate,ms,rows\n",
        f);
  for (int kind = 0; kind < N_KINDS; kind++)
    for (int k = 1; k <= MAX_K; k++)
      for (int set = 0; set < 2; set++) {
        const struct line *ln = &R->lines[kind][k - 1][set];
        for (size_t i = 0; i < ln->s.n; i++) {
          const struct query *q = &R->pl->q[set][i];
          fprintf(f, "netref,%s,%d,%s,%zu,%s,%u,\"%s\",%" PRIu64 ",%.6f,%zu\n",
                  kind_names[kind], k, set_names[set], i, q->source, q->degree,
                  kind == PROSPECTS ? q->need_tag : q->offer_tag,
                  q->edges[k - 1], ln->ms[i], ln->rows[i]);
        }
      }
  for (int k = 1; R->have_sqlite && k <= MAX_K; k++) {
    const struct sqlite_line *sl = &R->sql[k - 1];
    for (size_t i = 0; i < sl->n; i++) {
      const struct query *q = &R->pl->q[SET_RANDOM][i];
      fprintf(
          f, "sqlite,prospects,%d,random,%zu,%s,%u,\"%s\",%" PRIu64 ",%.6f,\n",
          k, i, q->source, q->degree, q->need_tag, q->edges[k - 1], sl->ms[i]);
    }
  }
  if (ferror(f) || fclose(f) != 0)
    die("%s: write failed", path);
}

int main(int argc, char **argv) {
  struct opts o;
  parse_args(argc, argv, &o);
  /* Every line here measures the index as built from the database (the
   * first build's cost): no index snapshot is read or written (its
   * figures are cold_bench.py's). */
  setenv("NETREF_SNAPSHOT", "0", 1);
  double t_start = now_s();
  static struct report R;
  R.o = &o;
  R.load_start = loadavg1();
  R.gen_load = NAN;
  machine(R.machine, sizeof R.machine);
  struct stat sb;
  if (stat(o.db, &sb) != 0)
    die("%s: %s", o.db, strerror(errno));

  /* The import figures of netref-gen. */
  char side[4096];
  if ((size_t)snprintf(side, sizeof side, "%s.gen.json", o.db) >= sizeof side)
    die("path too long");
  char *gen = read_file(side);
  R.have_gen =
      gen && sidecar_number(gen, "import_tie_rows_per_s", &R.import_tie_rate);
  if (R.have_gen) {
    sidecar_number(gen, "import_rows_per_s", &R.import_rate);
    sidecar_number(gen, "import_s", &R.import_s);
    sidecar_number(gen, "db_bytes", &R.db_bytes);
    sidecar_number(gen, "loadavg_after_import", &R.gen_load);
  } else {
    note("no %s: the import rate is not reported", side);
  }
  free(gen);

  /* 1. The plan. */
  struct plan pl = {0};
  note("planning: reading %s with SQLite (child process)", o.db);
  read_plan(&o, &pl);
  R.pl = &pl;
  note("  %" PRIu64 " people, %" PRIu64 " ties, %" PRIu64
       " hubs (degree >= %" PRIu64 "), %.1f s",
       pl.people, pl.ties, pl.hubs, pl.hub_min_degree, pl.plan_s);
  if (!pl.nq[SET_RANDOM])
    die("no query sources");

  /* 2. Open to first answer. */
  R.rss_before = (double)proc_status_kb("VmRSS");
  double t0 = now_s();
  netref_db *db = NULL;
  int rc = netref_open_with(o.db, 0, &db);
  if (rc != NETREF_OK)
    die("netref_open_with(%s): %s: %s", o.db, netref_strerror(rc),
        netref_errmsg(NULL));
  R.open_s = now_s() - t0;
  R.rss_open = (double)proc_status_kb("VmRSS");
  /* ---- taxonomy: relations an interrupted run left would expand the
   * tags of every line, so they go before the first query ---- */
  taxonomy_leftovers(db, &R.taxonomy);
  /* ---- end of taxonomy ---- */
  netref_options *opts2 = make_options(2);
  t0 = now_s();
  size_t rows0;
  run_query(db, PROSPECTS, &pl.q[SET_RANDOM][0], opts2, &rows0);
  R.first_s = now_s() - t0;
  netref_options_free(opts2);
  R.rss_first = (double)proc_status_kb("VmRSS");
  R.index_bytes = R.rss_first - R.rss_open;
  R.bytes_per_tie = pl.ties ? R.index_bytes / (double)pl.ties : NAN;
  note("open %.3f s, first answer %.3f s, index %.1f MB (%.1f B/tie)", R.open_s,
       R.first_s, R.index_bytes / 1e6, R.bytes_per_tie);

  /* Warm-up, untimed: the first queries after the build fault in the
   * index and the query workspace, which would otherwise be charged to
   * whichever line runs first. */
  t0 = now_s();
  R.warmup = warm_up(db, &pl, o.sqlite_queries);
  R.warmup_s = now_s() - t0;
  note("warm-up: %zu untimed queries, %.3f s", R.warmup, R.warmup_s);

  for (int kind = 0; kind < N_KINDS; kind++)
    for (int k = 1; k <= MAX_K; k++)
      for (int set = 0; set < 2; set++) {
        struct line *ln = &R.lines[kind][k - 1][set];
        ln->kind = kind;
        ln->k = k;
        ln->set = set;
        run_line(db, &pl, ln);
      }
  R.peak_maxrss = (double)maxrss_bytes();
  R.peak_hwm = (double)proc_status_kb("VmHWM");

  /* 3. Mixed workload. */
  note("mixed workload: %zu queries, %zu tie changes", pl.nq[SET_MIXED],
       pl.nchanges);
  run_mixed(db, &pl, &R.mixed);
  R.peak_maxrss_mixed = (double)maxrss_bytes();
  R.peak_hwm_mixed = (double)proc_status_kb("VmHWM");
  note("introduction paths: %d random pairs", PATH_PAIRS);
  run_paths(db, &pl, &R.paths);
  note("ask-first and matches: %d random sources", ADVICE_QUERIES);
  run_advice(db, &pl, &R.advice);
  note("connectors: %d random sources, k=1 and k=2", CONNECTOR_QUERIES);
  run_connectors(db, &pl, R.connectors);
  /* ---- taxonomy ---- */
  note("taxonomy: prospects k=2 from %zu random sources, expanded and exact",
       pl.nq[SET_RANDOM] < TAXONOMY_QUERIES ? pl.nq[SET_RANDOM]
                                            : (size_t)TAXONOMY_QUERIES);
  run_taxonomy(db, &o, &pl, R.lines[PROSPECTS][1][SET_RANDOM].rows,
               &R.taxonomy);
  /* ---- end of taxonomy ---- */
  R.coherence_us = run_coherence(o.db);
  note("coherence check per query (PRAGMA data_version): median %.2f us, "
       "p95 %.2f us; %.2f%% of the prospects k=2 median",
       R.coherence_us.median, R.coherence_us.p95,
       100 * R.coherence_us.median / 1000 /
           R.lines[PROSPECTS][1][SET_RANDOM].s.median);
  netref_close(db);

  /* 4. SQLite alone. */
  if (o.sqlite_queries > 0) {
    note("SQLite recursive CTE: %ld queries per k", o.sqlite_queries);
    run_sqlite(&o, &pl, &R, R.sql);
    R.have_sqlite = 1;
  }
  R.total_s = now_s() - t_start;
  R.load_end = loadavg1();

  /* Targets, in the order the table prints them. */
  /* Issue 12: import at disk speed, the file and the index per tie. */
  add_target("import_tie_rows_per_s", R.import_tie_rate, R.have_gen, 1, 500000,
             "");
  add_target("db_bytes_per_tie", R.db_bytes / (double)pl.ties,
             R.have_gen && pl.ties > 0, 0, 50, " B");
  add_target("open_to_first_answer_s", R.open_s + R.first_s, 1, 0, 5, " s");
  add_target("index_bytes_per_tie", R.bytes_per_tie, 1, 0, 40, " B");
  for (int kind = 0; kind < N_KINDS; kind++)
    for (int k = 2; k <= MAX_K; k++) {
      const struct line *ln = &R.lines[kind][k - 1][SET_RANDOM];
      char name[64];
      snprintf(name, sizeof name, "%s_k%d_median_ms", kind_names[kind], k);
      add_target(name, ln->s.median, 1, 0, k == 2 ? 0.5 : 25, " ms");
      if (k == 2) {
        snprintf(name, sizeof name, "%s_k%d_p95_ms", kind_names[kind], k);
        add_target(name, ln->s.p95, 1, 0, 10, " ms");
      }
    }
  for (int k = 1; R.have_sqlite && k <= MAX_K; k++)
    for (int kind = 0; kind < N_KINDS; kind++) {
      char name[64];
      snprintf(name, sizeof name, "sqlite_over_%s_k%d", kind_names[kind], k);
      add_target(name, R.sql[k - 1].ratio[kind], 1, 1, 10, "x");
    }

  add_target("path_6_hops_median_ms", R.paths.s[0].median, R.paths.n > 0, 0,
             100, " ms");
  add_target("path_no_limit_median_ms", R.paths.s[1].median, R.paths.n > 0, 0,
             50, " ms");

  add_target("ask_first_k2_median_ms", R.advice.ask.median, R.advice.ask.n > 0,
             0, 50, " ms");
  add_target("matches_k2_median_ms", R.advice.matches.median,
             R.advice.matches.n > 0, 0, 100, " ms");
  /* connectors: an answer within seconds, or a refusal */
  add_target("connectors_k1_max_ms", R.connectors[0].answered_s.max,
             R.connectors[0].answered > 0, 0, 5000, " ms");
  add_target("connectors_k2_max_ms", R.connectors[1].answered_s.max,
             R.connectors[1].answered > 0, 0, 5000, " ms");

  print_report(stdout, &R);
  fflush(stdout);
  if (o.json) {
    write_json(o.json, &R);
    note("wrote %s", o.json);
  }
  if (o.raw) {
    write_raw(o.raw, &R);
    note("wrote %s", o.raw);
  }
  for (int kind = 0; kind < N_KINDS; kind++)
    for (int k = 0; k < MAX_K; k++)
      for (int set = 0; set < 2; set++) {
        free(R.lines[kind][k][set].ms);
        free(R.lines[kind][k][set].rows);
      }
  for (int k = 0; k < MAX_K; k++)
    free(R.sql[k].ms);
  free_plan(&pl);
  return 0;
}
