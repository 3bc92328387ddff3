/* netref-gen: write a synthetic referral network into a netref database
 * through the public bulk-import path, deterministically from a seed.
 *
 *   netref-gen --people N [--ties-per-person 20] [--seed S] --out DB
 *              [--csv-dir DIR] [--force] [--no-stats]
 *
 * The network (DESIGN 8: igraph through pkg-config, 64-bit integers, an
 * error handler that returns, the RNG seeded explicitly):
 * - ties: a preferential-attachment base (igraph_barabasi_game, m = a
 *   quarter of ties-per-person, so half of the ties) gives the heavy tail;
 *   the other half are triadic closures (a random person u, a random
 *   friend v of u, a random friend w of v; u-w becomes a tie), drawn on
 *   the growing graph, which gives clustering. Duplicates are skipped, so
 *   the tie count is exactly round(N * ties-per-person / 2): 1M people at
 *   20 ties each = 10M ties. igraph_forest_fire_game was measured and not
 *   used: at 1M people it took 36 s, its tie count drifts with N
 *   (densification: 10.9 ties/person at 100k, 11.8 at 1M with the same
 *   parameters) and one person knew 24% of everyone.
 * - strengths: 6% are 1.0, the rest Beta(2,3) (mean 0.4) in steps of 0.01;
 *   last_contact: 5% unknown, the rest within 3 years before 2025-10-31,
 *   recent dates more common.
 * - tags: a vocabulary of 300, Zipf popularity (weight 1/rank); 10% of
 *   people offer and 15% need 1 to 3 distinct tags; need weights in
 *   (0,1] in steps of 0.05, 20% of them 1.
 * Person keys are a random permutation of p0000000.. over the igraph
 * vertices, so key order says nothing about degree.
 *
 * Writes people.csv, ties.csv, offers.csv, needs.csv (into --csv-dir, kept;
 * or a temporary DB.csv directory, removed after the import), imports them
 * with netref_import_run (timed) and writes DB.gen.json beside the DB with
 * the figures netref-bench reports. The sidecar is written last: its
 * presence means the database is complete. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <igraph.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "netref.h"

#include "rng.h"

/* ---- small helpers -------------------------------------------------- */

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
  fputs("netref-gen: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

/* snprintf that refuses to truncate. */
static void xsnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void xsnprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= size)
    die("name too long: %s...", buf);
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
    die("out of memory (%zu x %zu bytes)", n, size);
  return p;
}

static void progress(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("netref-gen: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  fflush(stderr);
  va_end(ap);
}

/* ---- igraph error handling (DESIGN 8) ------------------------------- */

static char ig_message[512];

/* Keep the first message of an unwinding, free igraph's finally stack,
 * and return: the caller checks the result code. */
static void ig_error_handler(const char *reason, const char *file, int line,
                             igraph_error_t code) {
  if (!ig_message[0])
    snprintf(ig_message, sizeof ig_message, "%s (%s:%d, igraph error %d)",
             reason ? reason : "?", file ? file : "?", line, (int)code);
  IGRAPH_FINALLY_FREE();
}

static void ig_warning_handler(const char *reason, const char *file, int line) {
  fprintf(stderr, "netref-gen: igraph warning: %s (%s:%d)\n", reason, file,
          line);
}

#define IG(call)                                                               \
  do {                                                                         \
    ig_message[0] = '\0';                                                      \
    igraph_error_t ig_rc_ = (call);                                            \
    if (ig_rc_ != IGRAPH_SUCCESS)                                              \
      die("%s failed: %s", #call,                                              \
          ig_message[0] ? ig_message : igraph_strerror(ig_rc_));               \
  } while (0)

/* ---- our own PRNG for everything after the igraph generator --------- */

/* Uniform in [0, 1). */
static double rng_unif(struct rng *r) {
  return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* ---- edge set: open addressing over 64-bit pair keys ----------------- */

struct edge_set {
  uint64_t *slot; /* 0 = empty; key = lo << 32 | hi with lo < hi */
  uint64_t mask;
};

static uint64_t pair_key(uint32_t a, uint32_t b) {
  return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static void edge_set_init(struct edge_set *es, uint64_t expected) {
  uint64_t cap = 1024;
  while (cap < expected * 2)
    cap <<= 1;
  es->slot = xcalloc(cap, sizeof *es->slot);
  es->mask = cap - 1;
}

/* Insert; 1 when the key is new. */
static int edge_set_add(struct edge_set *es, uint64_t key) {
  uint64_t h = key;
  uint64_t i = splitmix64(&h) & es->mask;
  while (es->slot[i]) {
    if (es->slot[i] == key)
      return 0;
    i = (i + 1) & es->mask;
  }
  es->slot[i] = key;
  return 1;
}

/* ---- growing adjacency for the triadic closure ----------------------- */

struct adj {
  uint32_t *nb;
  uint32_t n, cap;
};

static void adj_push(struct adj *a, uint32_t v) {
  if (a->n == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 8;
    uint32_t *nb = realloc(a->nb, (size_t)a->cap * sizeof *nb);
    if (!nb)
      die("out of memory");
    a->nb = nb;
  }
  a->nb[a->n++] = v;
}

/* ---- vocabulary and names -------------------------------------------- */

static const char *const tag_subjects[] = {
    "accounting",        "bookkeeping",
    "tax advice",        "legal advice",
    "contract law",      "office space",
    "warehouse space",   "web design",
    "graphic design",    "copywriting",
    "photography",       "video production",
    "catering",          "event venue",
    "party planning",    "wedding planning",
    "it support",        "cloud hosting",
    "cybersecurity",     "software development",
    "data analysis",     "marketing",
    "social media",      "public relations",
    "recruiting",        "payroll",
    "insurance",         "mortgage",
    "real estate",       "interior design",
    "architecture",      "construction",
    "plumbing",          "electrical work",
    "landscaping",       "cleaning",
    "translation",       "coaching",
    "tutoring",          "childcare",
    "fitness training",  "nutrition",
    "printing",          "logistics",
    "car repair",        "travel booking",
    "investment advice", "grant writing",
    "fundraising",       "mentoring"};
static const char *const tag_qualifiers[] = {
    "",         "commercial ", "residential ", "small business ",
    "startup ", "nonprofit ",  "part-time "};
#define N_SUBJECTS (sizeof tag_subjects / sizeof *tag_subjects)
#define N_QUALIFIERS (sizeof tag_qualifiers / sizeof *tag_qualifiers)
#define N_TAGS 300

static const char *const first_names[] = {
    "Ana",   "Ben",   "Carla", "David", "Elif",  "Farid", "Grace", "Hugo",
    "Ines",  "Jonas", "Kemal", "Lena",  "Marta", "Nils",  "Olga",  "Pedro",
    "Quinn", "Rosa",  "Sami",  "Tara",  "Umar",  "Vera",  "Wei",   "Ximena",
    "Yusuf", "Zoe",   "Amir",  "Bea",   "Chen",  "Dana",  "Emil",  "Fatima",
    "Goran", "Hana",  "Ivan",  "Julia", "Kofi",  "Lucia", "Mateo", "Noor"};
static const char *const last_names[] = {
    "Silva",   "Meyer",  "Rossi",  "Novak",    "Kim",      "Garcia",
    "Okafor",  "Dubois", "Jensen", "Kowalski", "Nakamura", "Haddad",
    "Petrov",  "Larsen", "Costa",  "Yilmaz",   "Murphy",   "Schmidt",
    "Ivanova", "Moreau", "Santos", "Berg",     "Tanaka",   "Fischer",
    "Lopez",   "Horvat", "Singh",  "Weber",    "Ali",      "Park"};
#define N_FIRST (sizeof first_names / sizeof *first_names)
#define N_LAST (sizeof last_names / sizeof *last_names)

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yy + (*m <= 2));
}

/* ---- options --------------------------------------------------------- */

struct opts {
  long long people;
  double ties_per_person;
  unsigned long long seed;
  const char *out;
  const char *csv_dir;
  int force, stats;
};

static void usage(void) {
  fprintf(stderr,
          "usage: netref-gen --people N [--ties-per-person 20] [--seed S]\n"
          "                  --out DB [--csv-dir DIR] [--force] [--no-stats]\n"
          "  --csv-dir DIR  keep the CSV files in DIR (default: a temporary\n"
          "                 directory DB.csv, removed after the import)\n"
          "  --force        replace an existing DB\n"
          "  --no-stats     skip the clustering and power-law statistics\n");
  exit(2);
}

static void parse_args(int argc, char **argv, struct opts *o) {
  *o = (struct opts){.ties_per_person = 20, .seed = 1, .stats = 1};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    char *end = NULL;
    if (!strcmp(a, "--force")) {
      o->force = 1;
      continue;
    }
    if (!strcmp(a, "--no-stats")) {
      o->stats = 0;
      continue;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h"))
      usage();
    if (!v)
      usage();
    i++;
    errno = 0;
    if (!strcmp(a, "--people")) {
      o->people = strtoll(v, &end, 10);
    } else if (!strcmp(a, "--ties-per-person")) {
      o->ties_per_person = strtod(v, &end);
    } else if (!strcmp(a, "--seed")) {
      o->seed = strtoull(v, &end, 10);
    } else if (!strcmp(a, "--out")) {
      o->out = v;
      continue;
    } else if (!strcmp(a, "--csv-dir")) {
      o->csv_dir = v;
      continue;
    } else {
      fprintf(stderr, "netref-gen: unknown option %s\n", a);
      usage();
    }
    if (errno || !end || *end || end == v)
      die("bad value '%s' for %s", v, a);
  }
  if (!o->out || o->people <= 0)
    usage();
  if (o->people < 10 || o->people > 100000000)
    die("--people must be between 10 and 100000000");
  if (!(o->ties_per_person >= 1 && o->ties_per_person <= 1000))
    die("--ties-per-person must be between 1 and 1000");
}

/* ---- the graph ------------------------------------------------------- */

struct graph {
  uint32_t n;
  uint64_t m;
  uint32_t *ea, *eb; /* tie i joins vertices ea[i] and eb[i] */
  uint32_t *deg;
  double gen_s;
  uint64_t ba_ties, closure_ties, random_ties;
  int ba_m;
};

static void generate_graph(const struct opts *o, struct rng *r,
                           struct graph *g) {
  double t0 = now_s();
  uint32_t n = (uint32_t)o->people;
  uint64_t target = (uint64_t)llround((double)n * o->ties_per_person / 2.0);
  uint64_t max_pairs = (uint64_t)n * (n - 1) / 2;
  if (target > max_pairs / 4)
    die("%" PRIu64 " ties among %u people is too dense for this generator "
        "(at most a quarter of all pairs)",
        target, n);
  int m = (int)llround(o->ties_per_person / 4.0);
  if (m < 1)
    m = 1;
  g->n = n;
  g->m = target;
  g->ba_m = m;
  g->ea = xmalloc(target * sizeof *g->ea);
  g->eb = xmalloc(target * sizeof *g->eb);

  progress("[1/3] preferential attachment: igraph_barabasi_game(n=%u, m=%d)", n,
           m);
  igraph_t ba;
  IG(igraph_barabasi_game(&ba, (igraph_integer_t)n, 1.0, (igraph_integer_t)m,
                          NULL, 0, 1.0, 0, IGRAPH_BARABASI_PSUMTREE, NULL));
  igraph_vector_int_t el;
  IG(igraph_vector_int_init(&el, 0));
  IG(igraph_get_edgelist(&ba, &el, 0));
  igraph_destroy(&ba);
  igraph_integer_t ba_edges = igraph_vector_int_size(&el) / 2;
  progress("      %lld ties in %.1f s", (long long)ba_edges, now_s() - t0);

  struct edge_set es;
  edge_set_init(&es, target);
  struct adj *adj = xcalloc(n, sizeof *adj);
  uint64_t have = 0;
  for (igraph_integer_t i = 0; i < ba_edges && have < target; i++) {
    igraph_integer_t a = VECTOR(el)[2 * i], b = VECTOR(el)[2 * i + 1];
    if (a == b || a < 0 || b < 0 || a >= n || b >= n)
      continue;
    if (!edge_set_add(&es, pair_key((uint32_t)a, (uint32_t)b)))
      continue;
    g->ea[have] = (uint32_t)a;
    g->eb[have] = (uint32_t)b;
    adj_push(&adj[a], (uint32_t)b);
    adj_push(&adj[b], (uint32_t)a);
    have++;
  }
  igraph_vector_int_destroy(&el);
  g->ba_ties = have;

  progress("[2/3] triadic closure: %" PRIu64 " more ties (friends of "
           "friends)",
           target - have);
  uint64_t attempts = 0, max_attempts = 50 * (target - have) + 1000;
  uint64_t report = have + 1000000;
  while (have < target && attempts < max_attempts) {
    attempts++;
    uint32_t u = (uint32_t)rng_below(r, n);
    if (!adj[u].n)
      continue;
    uint32_t v = adj[u].nb[rng_below(r, adj[u].n)];
    uint32_t w = adj[v].nb[rng_below(r, adj[v].n)];
    if (w == u || !edge_set_add(&es, pair_key(u, w)))
      continue;
    g->ea[have] = u;
    g->eb[have] = w;
    adj_push(&adj[u], w);
    adj_push(&adj[w], u);
    have++;
    if (have >= report) {
      progress("      %" PRIu64 " / %" PRIu64 " ties (%.1f s)", have, target,
               now_s() - t0);
      report += 1000000;
    }
  }
  g->closure_ties = have - g->ba_ties;
  /* Only if closure stalls (tiny or dense graphs): uniform random ties. */
  while (have < target) {
    uint32_t u = (uint32_t)rng_below(r, n), w = (uint32_t)rng_below(r, n);
    if (u == w || !edge_set_add(&es, pair_key(u, w)))
      continue;
    g->ea[have] = u;
    g->eb[have] = w;
    have++;
    g->random_ties++;
  }
  g->deg = xcalloc(n, sizeof *g->deg);
  for (uint64_t i = 0; i < have; i++) {
    g->deg[g->ea[i]]++;
    g->deg[g->eb[i]]++;
  }
  for (uint32_t v = 0; v < n; v++)
    free(adj[v].nb);
  free(adj);
  free(es.slot);
  g->gen_s = now_s() - t0;
  progress("      %" PRIu64 " ties (%" PRIu64 " preferential, %" PRIu64
           " closure, %" PRIu64 " uniform) in %.1f s",
           have, g->ba_ties, g->closure_ties, g->random_ties, g->gen_s);
}

struct stats {
  int done;
  uint32_t max_degree;
  double clustering, alpha, xmin, stats_s;
  uint32_t isolated;
};

/* Clustering (igraph, local transitivity of 2000 sampled people) and the
 * degree tail (igraph_power_law_fit). */
static void graph_stats(const struct graph *g, struct rng *r,
                        struct stats *st) {
  double t0 = now_s();
  progress("[stats] igraph_create + local transitivity of a sample + "
           "power-law fit");
  igraph_vector_int_t el;
  IG(igraph_vector_int_init(&el, (igraph_integer_t)(2 * g->m)));
  for (uint64_t i = 0; i < g->m; i++) {
    VECTOR(el)[2 * i] = g->ea[i];
    VECTOR(el)[2 * i + 1] = g->eb[i];
  }
  igraph_t ig;
  IG(igraph_create(&ig, &el, (igraph_integer_t)g->n, 0));
  igraph_vector_int_destroy(&el);
  igraph_integer_t sample = g->n < 2000 ? g->n : 2000;
  igraph_vector_int_t vids;
  IG(igraph_vector_int_init(&vids, sample));
  for (igraph_integer_t i = 0; i < sample; i++)
    VECTOR(vids)
  [i] = (igraph_integer_t)(sample == g->n ? (uint64_t)i : rng_below(r, g->n));
  igraph_vector_t cc;
  IG(igraph_vector_init(&cc, 0));
  IG(igraph_transitivity_local_undirected(&ig, &cc, igraph_vss_vector(&vids),
                                          IGRAPH_TRANSITIVITY_ZERO));
  st->clustering = igraph_vector_sum(&cc) / (double)sample;
  igraph_vector_destroy(&cc);
  igraph_vector_int_destroy(&vids);
  igraph_integer_t maxdeg = 0;
  IG(igraph_maxdegree(&ig, &maxdeg, igraph_vss_all(), IGRAPH_ALL, 0));
  st->max_degree = (uint32_t)maxdeg;
  igraph_destroy(&ig);
  igraph_vector_t degs;
  IG(igraph_vector_init(&degs, g->n));
  st->isolated = 0;
  for (uint32_t v = 0; v < g->n; v++) {
    VECTOR(degs)[v] = g->deg[v];
    st->isolated += g->deg[v] == 0;
  }
  igraph_plfit_result_t fit;
  IG(igraph_power_law_fit(&degs, &fit, -1, 0));
  st->alpha = fit.alpha;
  st->xmin = fit.xmin;
  igraph_vector_destroy(&degs);
  st->stats_s = now_s() - t0;
  st->done = 1;
  progress("      max degree %u, mean local clustering %.3f (sample of %lld),"
           " degree tail alpha %.2f from %g (%.1f s)",
           st->max_degree, st->clustering, (long long)sample, st->alpha,
           st->xmin, st->stats_s);
}

/* ---- CSV files ------------------------------------------------------- */

struct csv_out {
  uint64_t offers, needs, bytes;
  double write_s;
};

static FILE *open_csv(const char *dir, const char *name, char *path,
                      size_t size) {
  xsnprintf(path, size, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f)
    die("%s: %s", path, strerror(errno));
  setvbuf(f, NULL, _IOFBF, 1 << 20);
  return f;
}

static uint64_t close_csv(FILE *f, const char *path) {
  if (ferror(f) || fclose(f) != 0)
    die("%s: write failed: %s", path, strerror(errno));
  struct stat sb;
  return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

static void format_key(char *buf, size_t size, int width, uint32_t num) {
  xsnprintf(buf, size, "p%0*u", width, num);
}

/* Pick 1 to 3 distinct tags by popularity. */
static int pick_tags(struct rng *r, const double *cum, int out[3]) {
  int count = 1 + (int)rng_below(r, 3);
  int got = 0;
  while (got < count) {
    double x = rng_unif(r) * cum[N_TAGS - 1];
    int lo = 0, hi = N_TAGS - 1;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (cum[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
    int dup = 0;
    for (int i = 0; i < got; i++)
      dup |= out[i] == lo;
    if (!dup)
      out[got++] = lo;
  }
  return count;
}

static void write_csvs(const struct opts *o, const struct graph *g,
                       struct rng *r, const char *dir, struct csv_out *co) {
  double t0 = now_s();
  char path[4096];
  uint32_t n = g->n;
  int width = 6;
  for (uint64_t x = 1000000; x < n; x *= 10)
    width++;
  /* perm[v]: the person number (key) of igraph vertex v. */
  uint32_t *perm = xmalloc((size_t)n * sizeof *perm);
  for (uint32_t v = 0; v < n; v++)
    perm[v] = v;
  for (uint32_t v = n - 1; v > 0; v--) {
    uint32_t j = (uint32_t)rng_below(r, (uint64_t)v + 1);
    uint32_t t = perm[v];
    perm[v] = perm[j];
    perm[j] = t;
  }
  char key[32], key2[32];

  progress("[3/3] writing CSV files into %s", dir);
  FILE *f = open_csv(dir, "people.csv", path, sizeof path);
  fputs("key,name\n", f);
  for (uint32_t p = 0; p < n; p++) {
    format_key(key, sizeof key, width, p);
    fprintf(f, "%s,%s %s\n", key, first_names[rng_below(r, N_FIRST)],
            last_names[rng_below(r, N_LAST)]);
  }
  co->bytes += close_csv(f, path);

  f = open_csv(dir, "ties.csv", path, sizeof path);
  fputs("a,b,strength,last_contact\n", f);
  /* 2025-10-31 is day 20392 since 1970-01-01. */
  const int64_t last_day = 20392;
  for (uint64_t i = 0; i < g->m; i++) {
    format_key(key, sizeof key, width, perm[g->ea[i]]);
    format_key(key2, sizeof key2, width, perm[g->eb[i]]);
    int cents;
    if (rng_unif(r) < 0.06) {
      cents = 100;
    } else {
      /* Beta(2,3): the 2nd smallest of 4 uniforms. */
      double u[4];
      for (int j = 0; j < 4; j++)
        u[j] = rng_unif(r);
      for (int a = 1; a < 4; a++)
        for (int b = a; b > 0 && u[b] < u[b - 1]; b--) {
          double t = u[b];
          u[b] = u[b - 1];
          u[b - 1] = t;
        }
      cents = (int)lround(u[1] * 100);
      if (cents < 1)
        cents = 1;
    }
    char strength[8];
    if (cents == 100)
      snprintf(strength, sizeof strength, "1");
    else
      xsnprintf(strength, sizeof strength, "0.%02d", cents);
    if (rng_unif(r) < 0.05) {
      fprintf(f, "%s,%s,%s,\n", key, key2, strength);
    } else {
      double x = rng_unif(r);
      int64_t day = last_day - (int64_t)(x * x * 1095.0);
      int y;
      unsigned mo, d;
      civil_from_days(day, &y, &mo, &d);
      fprintf(f, "%s,%s,%s,%04d-%02u-%02u\n", key, key2, strength, y, mo, d);
    }
    if ((i + 1) % 2000000 == 0)
      progress("      ties.csv: %" PRIu64 " / %" PRIu64 " rows", i + 1, g->m);
  }
  co->bytes += close_csv(f, path);

  /* Vocabulary: 300 tags in a fixed shuffled order of rank. */
  char tags[N_TAGS][64];
  int order[N_SUBJECTS * N_QUALIFIERS];
  int total = (int)(N_SUBJECTS * N_QUALIFIERS);
  for (int i = 0; i < total; i++)
    order[i] = i;
  struct rng tag_rng;
  rng_seed(&tag_rng, 0x7A65); /* the vocabulary is the same for every seed */
  for (int i = total - 1; i > 0; i--) {
    int j = (int)rng_below(&tag_rng, (uint64_t)i + 1);
    int t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  double cum[N_TAGS];
  for (int i = 0; i < N_TAGS; i++) {
    int s = order[i] % (int)N_SUBJECTS, q = order[i] / (int)N_SUBJECTS;
    snprintf(tags[i], sizeof tags[i], "%s%s", tag_qualifiers[q],
             tag_subjects[s]);
    cum[i] = (i ? cum[i - 1] : 0) + 1.0 / (i + 1);
  }

  FILE *fo = open_csv(dir, "offers.csv", path, sizeof path);
  char path_needs[4096];
  FILE *fn = open_csv(dir, "needs.csv", path_needs, sizeof path_needs);
  fputs("person,tag\n", fo);
  fputs("person,tag,weight\n", fn);
  for (uint32_t p = 0; p < n; p++) {
    format_key(key, sizeof key, width, p);
    int picked[3];
    if (rng_unif(r) < 0.10) {
      int c = pick_tags(r, cum, picked);
      for (int i = 0; i < c; i++)
        fprintf(fo, "%s,%s\n", key, tags[picked[i]]);
      co->offers += (uint64_t)c;
    }
    if (rng_unif(r) < 0.15) {
      int c = pick_tags(r, cum, picked);
      for (int i = 0; i < c; i++) {
        int twentieths = rng_unif(r) < 0.2 ? 20 : 1 + (int)rng_below(r, 19);
        if (twentieths == 20)
          fprintf(fn, "%s,%s,1\n", key, tags[picked[i]]);
        else
          fprintf(fn, "%s,%s,%.2f\n", key, tags[picked[i]], twentieths * 0.05);
      }
      co->needs += (uint64_t)c;
    }
  }
  co->bytes += close_csv(fo, path);
  co->bytes += close_csv(fn, path_needs);
  (void)o;
  free(perm);
  co->write_s = now_s() - t0;
  progress("      %" PRIu64 " offers, %" PRIu64 " needs, %.1f MB of CSV in "
           "%.1f s",
           co->offers, co->needs, (double)co->bytes / 1e6, co->write_s);
}

/* ---- import ---------------------------------------------------------- */

struct import_watch {
  double t0, last_print;
  double first_seen[4]; /* time of the first progress call per file */
  char files[4][16];
  int nfiles;
  uint64_t ties_total;
};

static int on_progress(void *user, const char *path, long long rows) {
  struct import_watch *w = user;
  double t = now_s();
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (w->nfiles == 0 ||
      strncmp(w->files[w->nfiles - 1], base, sizeof w->files[0] - 1) != 0) {
    if (w->nfiles < 4) {
      snprintf(w->files[w->nfiles], sizeof w->files[0], "%s", base);
      w->first_seen[w->nfiles++] = t - w->t0;
    }
  }
  if (t - w->last_print >= 2.0) {
    w->last_print = t;
    if (!strcmp(base, "ties.csv") && w->ties_total)
      progress("      import %s: %lld rows (%.0f%%), %.0f s", base, rows,
               100.0 * (double)rows / (double)w->ties_total, t - w->t0);
    else
      progress("      import %s: %lld rows, %.0f s", base, rows, t - w->t0);
  }
  return 0;
}

static uint64_t file_size(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

static void remove_db(const char *db) {
  const char *suffix[] = {"", "-journal", "-wal", "-shm", ".gen.json"};
  char path[4096];
  for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
    xsnprintf(path, sizeof path, "%s%s", db, suffix[i]);
    if (unlink(path) != 0 && errno != ENOENT)
      die("%s: %s", path, strerror(errno));
  }
}

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      fprintf(f, "\\%c", *s);
    else if ((unsigned char)*s < 0x20)
      fprintf(f, "\\u%04x", *s);
    else
      fputc(*s, f);
  }
  fputc('"', f);
}

int main(int argc, char **argv) {
  struct opts o;
  parse_args(argc, argv, &o);
  igraph_set_error_handler(ig_error_handler);
  igraph_set_warning_handler(ig_warning_handler);
  IG(igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)o.seed));
  struct rng r;
  rng_seed(&r, o.seed ^ 0x6E6574726566ull);

  struct stat sb;
  if (stat(o.out, &sb) == 0) {
    if (!o.force)
      die("%s exists (use --force to replace it)", o.out);
  }
  remove_db(o.out);

  /* CSV directory. */
  char tmpdir[4096];
  const char *dir = o.csv_dir;
  int remove_dir = 0;
  if (!dir) {
    xsnprintf(tmpdir, sizeof tmpdir, "%s.csv", o.out);
    dir = tmpdir;
    remove_dir = 1;
  }
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    die("%s: %s", dir, strerror(errno));

  double t_all = now_s();
  struct graph g = {0};
  generate_graph(&o, &r, &g);
  struct stats st = {0};
  if (o.stats) {
    /* Its own stream, so that --no-stats leaves the network unchanged. */
    struct rng stats_rng;
    rng_seed(&stats_rng, o.seed ^ 0x5354415453ull);
    graph_stats(&g, &stats_rng, &st);
  }
  struct csv_out co = {0};
  write_csvs(&o, &g, &r, dir, &co);
  free(g.ea);
  free(g.eb);

  /* Import through the public bulk path. */
  const char *names[4] = {"people.csv", "ties.csv", "offers.csv", "needs.csv"};
  const int kinds[4] = {NETREF_CSV_PEOPLE, NETREF_CSV_TIES, NETREF_CSV_OFFERS,
                        NETREF_CSV_NEEDS};
  char paths[4][4096];
  progress("[import] netref_import_run into %s", o.out);
  double t_open = now_s();
  netref_db *db = NULL;
  int rc = netref_open(o.out, &db);
  if (rc != NETREF_OK)
    die("netref_open(%s): %s: %s", o.out, netref_strerror(rc),
        netref_errmsg(NULL));
  double open_s = now_s() - t_open;
  netref_import *imp = NULL;
  rc = netref_import_new(&imp);
  if (rc != NETREF_OK)
    die("netref_import_new: %s", netref_strerror(rc));
  for (int i = 0; i < 4; i++) {
    xsnprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
    if ((rc = netref_import_set_file(imp, kinds[i], paths[i])) != NETREF_OK)
      die("netref_import_set_file: %s", netref_strerror(rc));
  }
  struct import_watch watch = {.ties_total = g.m};
  if ((rc = netref_import_set_progress(imp, on_progress, &watch)) != NETREF_OK)
    die("netref_import_set_progress: %s", netref_strerror(rc));
  watch.t0 = watch.last_print = now_s();
  rc = netref_import_run(db, imp);
  double import_s = now_s() - watch.t0;
  if (rc != NETREF_OK)
    die("netref_import_run: %s: %s", netref_strerror(rc), netref_errmsg(db));
  long long counts[4];
  long long rows = 0;
  for (int i = 0; i < 4; i++)
    rows += counts[i] = netref_import_count(imp, kinds[i]);
  netref_import_free(imp);
  double t_close = now_s();
  netref_close(db);
  double close_s = now_s() - t_close;
  double load = -1; /* 1-minute load average: other work skews the rate */
  FILE *lf = fopen("/proc/loadavg", "r");
  if (lf) {
    if (fscanf(lf, "%lf", &load) != 1)
      load = -1;
    fclose(lf);
  }
  if ((uint64_t)counts[1] != g.m || (uint64_t)counts[0] != g.n)
    die("imported %lld people and %lld ties, expected %u and %" PRIu64,
        counts[0], counts[1], g.n, g.m);
  uint64_t db_bytes = file_size(o.out);
  char extra[4096];
  xsnprintf(extra, sizeof extra, "%s-wal", o.out);
  db_bytes += file_size(extra);
  double tie_rate = (double)counts[1] / import_s;
  progress("      imported %lld rows (%lld people, %lld ties, %lld offers, "
           "%lld needs) in %.2f s: %.0f rows/s, %.0f tie rows/s; %.1f MB "
           "on disk (%.1f bytes per tie)",
           rows, counts[0], counts[1], counts[2], counts[3], import_s,
           (double)rows / import_s, tie_rate, (double)db_bytes / 1e6,
           (double)db_bytes / (double)g.m);

  if (remove_dir) {
    for (int i = 0; i < 4; i++)
      unlink(paths[i]);
    rmdir(dir);
  }

  /* The sidecar, last. */
  char side[4096], side_tmp[4200];
  xsnprintf(side, sizeof side, "%s.gen.json", o.out);
  xsnprintf(side_tmp, sizeof side_tmp, "%s.tmp", side);
  FILE *f = fopen(side_tmp, "w");
  if (!f)
    die("%s: %s", side_tmp, strerror(errno));
  fprintf(f, "{\n");
  fprintf(f, "  \"generator\": \"netref-gen\",\n");
  fprintf(f, "  \"model\": \"igraph_barabasi_game m=%d + triadic closure\",\n",
          g.ba_m);
  fprintf(f, "  \"netref_version\": ");
  json_str(f, netref_version());
  fprintf(f, ",\n  \"db\": ");
  json_str(f, o.out);
  fprintf(f, ",\n");
  fprintf(f, "  \"seed\": %llu,\n", o.seed);
  fprintf(f, "  \"people\": %u,\n", g.n);
  fprintf(f, "  \"ties\": %" PRIu64 ",\n", g.m);
  fprintf(f, "  \"ties_per_person\": %g,\n", o.ties_per_person);
  fprintf(f, "  \"ties_preferential\": %" PRIu64 ",\n", g.ba_ties);
  fprintf(f, "  \"ties_closure\": %" PRIu64 ",\n", g.closure_ties);
  fprintf(f, "  \"ties_uniform\": %" PRIu64 ",\n", g.random_ties);
  fprintf(f, "  \"offers\": %lld,\n", counts[2]);
  fprintf(f, "  \"needs\": %lld,\n", counts[3]);
  fprintf(f, "  \"tags\": %d,\n", N_TAGS);
  if (st.done) {
    fprintf(f, "  \"max_degree\": %u,\n", st.max_degree);
    fprintf(f, "  \"isolated_people\": %u,\n", st.isolated);
    fprintf(f, "  \"mean_local_clustering_sample\": %.4f,\n", st.clustering);
    fprintf(f, "  \"degree_powerlaw_alpha\": %.3f,\n", st.alpha);
    fprintf(f, "  \"degree_powerlaw_xmin\": %g,\n", st.xmin);
  }
  fprintf(f, "  \"generate_s\": %.3f,\n", g.gen_s);
  fprintf(f, "  \"csv_write_s\": %.3f,\n", co.write_s);
  fprintf(f, "  \"csv_bytes\": %" PRIu64 ",\n", co.bytes);
  fprintf(f, "  \"import_open_s\": %.3f,\n", open_s);
  fprintf(f, "  \"import_s\": %.3f,\n", import_s);
  fprintf(f, "  \"import_close_s\": %.3f,\n", close_s);
  fprintf(f, "  \"import_rows\": %lld,\n", rows);
  fprintf(f, "  \"import_rows_per_s\": %.0f,\n", (double)rows / import_s);
  fprintf(f, "  \"import_tie_rows_per_s\": %.0f,\n", tie_rate);
  fprintf(f, "  \"import_file_start_s\": {");
  for (int i = 0; i < watch.nfiles; i++)
    fprintf(f, "%s\"%s\": %.3f", i ? ", " : "", watch.files[i],
            watch.first_seen[i]);
  fprintf(f, "},\n");
  if (load >= 0)
    fprintf(f, "  \"loadavg_after_import\": %.2f,\n", load);
  fprintf(f, "  \"db_bytes\": %" PRIu64 ",\n", db_bytes);
  fprintf(f, "  \"db_bytes_per_tie\": %.1f,\n", (double)db_bytes / (double)g.m);
  fprintf(f, "  \"total_s\": %.3f\n", now_s() - t_all);
  fprintf(f, "}\n");
  if (ferror(f) || fclose(f) != 0 || rename(side_tmp, side) != 0)
    die("%s: %s", side, strerror(errno));
  free(g.deg);
  progress("done in %.1f s; figures in %s", now_s() - t_all, side);
  return 0;
}
