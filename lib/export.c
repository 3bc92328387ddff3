/* Export (netref.h, "Export"): the job object, and the run that reads
 * the store in one read transaction and hands each record to the
 * format's writer as it is read.
 *
 * A whole-network export walks each table once in person order: people
 * by row id, and their attributes, offers and needs as merge-joined
 * streams ordered by (person, name or tag), which their primary keys
 * give for free; ties once each, from their smaller row id. A k-hop
 * export finds its people from the index (a breadth-first search, as
 * netref_connectors() does) and reads each of them, their rows and
 * their ties by key and row id: O(log n) per record, nothing about
 * anyone else. Either way nothing is held in memory but the current
 * person's rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export.h"
#include "index.h"

#define NR_EXPORT_KINDS (NETREF_CSV_GROUPS + 1)
#define NR_EXPORT_PROGRESS_EVERY 4096
#define NOT_IN 0xff /* hop of a person outside the k-hop network */

struct netref_export {
  int format;
  char *source; /* NULL: the whole network */
  int hops;
  netref_progress_fn progress;
  void *user;
  long long count[NR_EXPORT_KINDS];
  char *files[NR_EXPORT_MAX_FILES];
  size_t nfiles;
};

static const struct nr_export_format *const formats[] = {
    NULL,           &nr_export_graphml, &nr_export_gexf, &nr_export_json,
    &nr_export_dot, &nr_export_csv,     &nr_export_neo4j};
#define NR_EXPORT_FORMATS (sizeof formats / sizeof *formats)

/* The rows about one person in one table (attributes, offers or
 * needs): column 0 the person's row id, 1 a text, 2 a text or a real.
 * The texts are copied out of the statement, which moves on. */
struct part {
  sqlite3_stmt *st;
  int per_person; /* st selects one person's rows, ?1 = the row id */
  int pending;    /* st holds a row not yet taken */
  int done;
  size_t n, cap;
  size_t *at_a, *at_b; /* offsets into text; SIZE_MAX for NULL */
  double *x;
  const char **a, **b;
  char *text;
  size_t len, text_cap;
};

/* One run. */
struct run {
  netref_db *db;
  netref_export *exp;
  const struct nr_export_format *fmt;
  struct nr_outset set;
  struct nr_writer w;
  /* a k-hop network: hop of each person of the index (NOT_IN outside),
   * its people in ascending person number, their row ids (-1: gone) */
  const struct nr_index *ix;
  unsigned char *hop;
  uint32_t *members;
  uint32_t nmembers;
  int64_t *member_ids;
  char **attrs;
  size_t nattrs, attrs_cap;
  struct part attr, offer, need;
  long long records;
};

/* ---- the job ---------------------------------------------------------- */

int netref_export_new(int format, netref_export **out) {
  if (!out)
    return nr_fail(NULL, NETREF_EINVAL, "netref_export_new: out is NULL");
  *out = NULL;
  if (format < 1 || format >= (int)NR_EXPORT_FORMATS)
    return nr_fail(NULL, NETREF_EINVAL,
                   "unknown export format %d (expected NETREF_EXPORT_*)",
                   format);
  *out = calloc(1, sizeof **out);
  if (!*out)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  (*out)->format = format;
  (*out)->hops = NR_DEFAULT_HOPS;
  return NETREF_OK;
}

int netref_export_set_source(netref_export *exp, const char *source, int hops) {
  if (!exp)
    return nr_fail(NULL, NETREF_EINVAL, "export job is NULL");
  if (source && nr_check_text(NULL, "source", source, 0) != NETREF_OK)
    return NETREF_EINVAL;
  if (source && (hops < 1 || hops > NR_MAX_HOPS))
    return nr_fail(NULL, NETREF_EINVAL, "hops %d is out of range 1..%d", hops,
                   NR_MAX_HOPS);
  char *copy = source ? strdup(source) : NULL;
  if (source && !copy)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  free(exp->source);
  exp->source = copy;
  exp->hops = source ? hops : NR_DEFAULT_HOPS;
  return NETREF_OK;
}

int netref_export_set_progress(netref_export *exp, netref_progress_fn fn,
                               void *user) {
  if (!exp)
    return nr_fail(NULL, NETREF_EINVAL, "export job is NULL");
  exp->progress = fn;
  exp->user = user;
  return NETREF_OK;
}

long long netref_export_count(const netref_export *exp, int kind) {
  if (!exp || kind < 0 || kind >= NR_EXPORT_KINDS)
    return -1;
  return exp->count[kind];
}

size_t netref_export_files(const netref_export *exp) {
  return exp ? exp->nfiles : 0;
}

const char *netref_export_file(const netref_export *exp, size_t i) {
  return exp && i < exp->nfiles ? exp->files[i] : NULL;
}

static void forget_results(netref_export *exp) {
  for (size_t i = 0; i < exp->nfiles; i++)
    free(exp->files[i]);
  exp->nfiles = 0;
  memset(exp->count, 0, sizeof exp->count);
}

void netref_export_free(netref_export *exp) {
  if (!exp)
    return;
  forget_results(exp);
  free(exp->source);
  free(exp);
}

/* ---- progress ----------------------------------------------------------- */

/* Every few thousand records: a file that failed to write stops the
 * export now rather than at the end (a full disk), and the callback or
 * netref_interrupt() may cancel it. */
static int tick(struct run *r) {
  if (++r->records % NR_EXPORT_PROGRESS_EVERY != 0)
    return NETREF_OK;
  for (size_t i = 0; i < r->set.n; i++)
    if (ferror(r->set.out[i].f))
      return nr_fail(r->db, NETREF_EIO, "%s: cannot write", r->set.out[i].path);
  const struct nr_out *o = &r->set.out[r->w.current];
  if ((r->exp->progress && r->exp->progress(r->exp->user, o->path, o->rows)) ||
      nr_interrupted(r->db))
    return NETREF_ECANCELED;
  return NETREF_OK;
}

/* At the end: once per file. */
static int report_files(struct run *r) {
  for (size_t i = 0; r->exp->progress && i < r->set.n; i++)
    if (r->exp->progress(r->exp->user, r->set.out[i].path, r->set.out[i].rows))
      return NETREF_ECANCELED;
  return NETREF_OK;
}

/* ---- reading ------------------------------------------------------------ */

static int step_failed(struct run *r, int step, const char *what) {
  return nr_fail_sql(r->db, step, what);
}

static int in_network(const struct run *r, int64_t id) {
  if (!r->hop)
    return 1;
  int64_t v = nr_index_person_of_id(r->ix, id);
  return v >= 0 && r->hop[v] != NOT_IN;
}

static int keep_text(struct part *p, const unsigned char *s, size_t *at) {
  if (!s) {
    *at = SIZE_MAX;
    return 0;
  }
  size_t n = strlen((const char *)s) + 1;
  if (nr_grow(&p->text, &p->text_cap, p->len + n, 1))
    return -1;
  memcpy(p->text + p->len, s, n);
  *at = p->len;
  p->len += n;
  return 0;
}

static int part_take(struct part *p) {
  size_t cap = p->cap;
  if (nr_grow(&p->at_a, &cap, p->n + 1, sizeof *p->at_a))
    return -1;
  cap = p->cap;
  if (nr_grow(&p->at_b, &cap, p->n + 1, sizeof *p->at_b))
    return -1;
  if (nr_grow(&p->x, &p->cap, p->n + 1, sizeof *p->x))
    return -1;
  if (keep_text(p, sqlite3_column_text(p->st, 1), &p->at_a[p->n]) ||
      keep_text(p, sqlite3_column_text(p->st, 2), &p->at_b[p->n]))
    return -1;
  p->x[p->n++] = sqlite3_column_double(p->st, 2);
  return 0;
}

/* Pointers to the texts, once the buffer stopped moving. */
static int part_point(struct part *p) {
  size_t cap = 0;
  free(p->a);
  free(p->b);
  p->a = p->b = NULL;
  if (p->n && (nr_grow(&p->a, &cap, p->n, sizeof *p->a) ||
               (cap = 0, nr_grow(&p->b, &cap, p->n, sizeof *p->b))))
    return -1;
  for (size_t i = 0; i < p->n; i++) {
    p->a[i] = p->at_a[i] == SIZE_MAX ? NULL : p->text + p->at_a[i];
    p->b[i] = p->at_b[i] == SIZE_MAX ? NULL : p->text + p->at_b[i];
  }
  return 0;
}

/* Collect the rows of person id: in a per-person statement all of them,
 * in a stream ordered by person those up to id (rows of a lower id
 * belong to nobody: never in a sound file, skipped). */
static int part_fill(struct run *r, struct part *p, int64_t id) {
  p->n = p->len = 0;
  if (p->per_person) {
    sqlite3_reset(p->st);
    sqlite3_bind_int64(p->st, 1, id);
    p->pending = p->done = 0;
  }
  while (!p->done) {
    if (!p->pending) {
      int step = sqlite3_step(p->st);
      if (step == SQLITE_DONE) {
        p->done = 1;
        break;
      }
      if (step != SQLITE_ROW)
        return step_failed(r, step, "read the network");
      p->pending = 1;
    }
    int64_t owner = sqlite3_column_int64(p->st, 0);
    if (owner > id)
      break;
    if (owner == id && part_take(p))
      return NETREF_ENOMEM;
    p->pending = 0;
  }
  return part_point(p) ? NETREF_ENOMEM : NETREF_OK;
}

static void part_free(struct part *p) {
  sqlite3_finalize(p->st);
  free(p->at_a);
  free(p->at_b);
  free(p->x);
  free(p->a);
  free(p->b);
  free(p->text);
}

static int part_open(struct run *r, struct part *p, const char *columns,
                     const char *table, const char *order) {
  char sql[256];
  p->per_person = r->hop != NULL;
  snprintf(sql, sizeof sql, "SELECT person, %s FROM %s%s ORDER BY person, %s",
           columns, table, p->per_person ? " WHERE person = ?1" : "", order);
  return nr_prepare(r->db, sql, &p->st);
}

static int emit_person(struct run *r, int64_t id, const char *key,
                       const char *name, int hops) {
  int rc = part_fill(r, &r->attr, id);
  if (rc == NETREF_OK && (r->fmt->takes & NR_TAKES_HOLDINGS))
    rc = part_fill(r, &r->offer, id);
  if (rc == NETREF_OK && (r->fmt->takes & NR_TAKES_HOLDINGS))
    rc = part_fill(r, &r->need, id);
  if (rc != NETREF_OK)
    return rc;
  int holdings = (r->fmt->takes & NR_TAKES_HOLDINGS) != 0;
  struct nr_export_person p = {.key = key,
                               .name = name,
                               .hops = hops,
                               .nattrs = r->attr.n,
                               .attr_name = r->attr.a,
                               .attr_value = r->attr.b,
                               .noffers = holdings ? r->offer.n : 0,
                               .offer_tag = r->offer.a,
                               .offer_note = r->offer.b,
                               .nneeds = holdings ? r->need.n : 0,
                               .need_tag = r->need.a,
                               .need_weight = r->need.x};
  rc = r->fmt->person(&r->w, &p);
  r->exp->count[NETREF_CSV_PEOPLE]++;
  r->exp->count[NETREF_CSV_OFFERS] += (long long)p.noffers;
  r->exp->count[NETREF_CSV_NEEDS] += (long long)p.nneeds;
  return rc == NETREF_OK ? tick(r) : rc;
}

/* People: the whole network by row id, or the k-hop network's by key. */
static int write_people(struct run *r) {
  int rc = part_open(r, &r->attr, "name, value", "person_attr", "name");
  if (rc == NETREF_OK && (r->fmt->takes & NR_TAKES_HOLDINGS))
    rc = part_open(r, &r->offer, "tag, note", "offer", "tag");
  if (rc == NETREF_OK && (r->fmt->takes & NR_TAKES_HOLDINGS))
    rc = part_open(r, &r->need, "tag, weight", "need", "tag");
  sqlite3_stmt *st = NULL;
  if (rc == NETREF_OK)
    rc = nr_prepare(r->db,
                    r->hop ? "SELECT id, key, name FROM person WHERE key = ?1"
                           : "SELECT id, key, name FROM person ORDER BY id",
                    &st);
  for (uint32_t i = 0; rc == NETREF_OK && (!r->hop || i < r->nmembers); i++) {
    uint32_t v = r->hop ? r->members[i] : 0;
    if (r->hop) {
      sqlite3_reset(st);
      sqlite3_bind_text(st, 1, nr_index_key(r->ix, v), -1, SQLITE_STATIC);
    }
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE && !r->hop)
      break;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
      rc = step_failed(r, step, "read the people");
    else if (step == SQLITE_DONE) /* gone since the index was built */
      r->member_ids[i] = -1;
    else {
      int64_t id = sqlite3_column_int64(st, 0);
      if (r->hop)
        r->member_ids[i] = id;
      rc = emit_person(r, id, (const char *)sqlite3_column_text(st, 1),
                       (const char *)sqlite3_column_text(st, 2),
                       r->hop ? r->hop[v] : -1);
    }
  }
  sqlite3_finalize(st);
  return rc;
}

static int emit_tie(struct run *r, sqlite3_stmt *st) {
  struct nr_export_tie t = {.a = (const char *)sqlite3_column_text(st, 0),
                            .b = (const char *)sqlite3_column_text(st, 1),
                            .strength = sqlite3_column_double(st, 2),
                            .last_contact =
                                (const char *)sqlite3_column_text(st, 3),
                            .context = (const char *)sqlite3_column_text(st, 4),
                            .cadence = sqlite3_column_int64(st, 5)};
  int rc = r->fmt->tie(&r->w, &t);
  r->exp->count[NETREF_CSV_TIES]++;
  return rc == NETREF_OK ? tick(r) : rc;
}

#define TIE_COLUMNS                                                            \
  "SELECT pa.key, pb.key, t.strength, " NR_DAY_TEXT(                           \
      "t.last_contact") ", t.context,"                                         \
                        " t.cadence, t.b FROM tie t JOIN person pa ON pa.id "  \
                        "= t.a"                                                \
                        " JOIN person pb ON pb.id = t.b"

/* Each tie once, from its smaller row id; in a k-hop network the ties
 * of each of its people to others in it. */
static int write_ties(struct run *r) {
  sqlite3_stmt *st;
  int rc = nr_prepare(r->db,
                      r->hop ? TIE_COLUMNS " WHERE t.a = ?1 AND t.b > ?1"
                                           " ORDER BY t.b"
                             : TIE_COLUMNS " WHERE t.a < t.b"
                                           " ORDER BY t.a, t.b",
                      &st);
  for (uint32_t i = 0; rc == NETREF_OK && i < (r->hop ? r->nmembers : 1); i++) {
    if (r->hop && r->member_ids[i] < 0)
      continue;
    if (r->hop) {
      sqlite3_reset(st);
      sqlite3_bind_int64(st, 1, r->member_ids[i]);
    }
    int step;
    while (rc == NETREF_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
      if (in_network(r, sqlite3_column_int64(st, 6)))
        rc = emit_tie(r, st);
    if (rc == NETREF_OK && step != SQLITE_DONE)
      rc = step_failed(r, step, "read the ties");
  }
  sqlite3_finalize(st);
  return rc;
}

/* Run sql and hand each row to `row` (which says whether to count it). */
static int each_row(struct run *r, const char *sql, const char *what,
                    int (*row)(struct run *, sqlite3_stmt *)) {
  sqlite3_stmt *st;
  int rc = nr_prepare(r->db, sql, &st);
  int step = SQLITE_DONE;
  while (rc == NETREF_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
    rc = row(r, st);
  if (rc == NETREF_OK && step != SQLITE_DONE)
    rc = step_failed(r, step, what);
  sqlite3_finalize(st);
  return rc;
}

static const char *text(sqlite3_stmt *st, int col) {
  return (const char *)sqlite3_column_text(st, col);
}

static int relation_row(struct run *r, sqlite3_stmt *st) {
  struct nr_export_relation rel = {text(st, 0), text(st, 1), text(st, 2)};
  int rc = r->fmt->relation(&r->w, &rel);
  r->exp->count[NETREF_CSV_TAXONOMY]++;
  return rc == NETREF_OK ? tick(r) : rc;
}

/* In a k-hop network, only its people's memberships (so a group none of
 * them belongs to is left out); otherwise every group, one without
 * members as a row without a person. */
static int member_row(struct run *r, sqlite3_stmt *st) {
  int none = sqlite3_column_type(st, 3) == SQLITE_NULL;
  if (r->hop && (none || !in_network(r, sqlite3_column_int64(st, 3))))
    return NETREF_OK;
  struct nr_export_member m = {text(st, 0), text(st, 1),
                               none ? NULL : text(st, 2)};
  int rc = r->fmt->member(&r->w, &m);
  r->exp->count[NETREF_CSV_GROUPS] += !none;
  return rc == NETREF_OK ? tick(r) : rc;
}

static int intro_row(struct run *r, sqlite3_stmt *st) {
  for (int c = 11; c <= 13; c++)
    if (!in_network(r, sqlite3_column_int64(st, c)))
      return NETREF_OK;
  struct nr_export_intro i = {.id = sqlite3_column_int64(st, 0),
                              .introducer = text(st, 1),
                              .seeker = text(st, 2),
                              .target = text(st, 3),
                              .tag = text(st, 4),
                              .created = text(st, 5),
                              .status = text(st, 6),
                              .changed = text(st, 7),
                              .made = text(st, 8),
                              .note = text(st, 9),
                              .value =
                                  sqlite3_column_type(st, 10) == SQLITE_NULL
                                      ? NAN
                                      : sqlite3_column_double(st, 10)};
  int rc = r->fmt->intro(&r->w, &i);
  return rc == NETREF_OK ? tick(r) : rc;
}

static int write_rest(struct run *r) {
  unsigned takes = r->fmt->takes;
  int rc = NETREF_OK;
  if (takes & NR_TAKES_RELATIONS)
    rc = each_row(r,
                  "SELECT tag, relation, other FROM tag_relation"
                  " ORDER BY tag, relation, other",
                  "read the tag relations", relation_row);
  if (rc == NETREF_OK && (takes & NR_TAKES_GROUPS))
    rc = each_row(r,
                  "SELECT g.key, g.name, p.key, m.person FROM network_group g"
                  " LEFT JOIN group_member m ON m.grp = g.id"
                  " LEFT JOIN person p ON p.id = m.person"
                  " ORDER BY g.key, p.key",
                  "read the groups", member_row);
  if (rc == NETREF_OK && (takes & NR_TAKES_INTROS))
    rc = each_row(r,
                  "SELECT i.id, pi.key, ps.key, pt.key, i.tag, i.created,"
                  " i.status, i.changed, i.made, i.note, i.value,"
                  " i.introducer, i.seeker, i.target FROM introduction i"
                  " JOIN person pi ON pi.id = i.introducer"
                  " JOIN person ps ON ps.id = i.seeker"
                  " JOIN person pt ON pt.id = i.target ORDER BY i.id",
                  "read the introductions", intro_row);
  return rc;
}

/* Every attribute name in use, in byte order, for the writers' headers
 * and key declarations. */
static int attr_name_row(struct run *r, sqlite3_stmt *st) {
  char *name = strdup(text(st, 0));
  if (!name ||
      nr_grow(&r->attrs, &r->attrs_cap, r->nattrs + 1, sizeof *r->attrs)) {
    free(name);
    return NETREF_ENOMEM;
  }
  r->attrs[r->nattrs++] = name;
  return NETREF_OK;
}

/* ---- the k-hop network -------------------------------------------------- */

static int member_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Breadth-first search from the source up to k hops in the index. */
static int select_network(struct run *r) {
  uint32_t s;
  int rc = nr_index_find(r->db, "source", r->exp->source, &s);
  if (rc != NETREF_OK)
    return rc;
  const struct nr_index *ix = r->ix = r->db->index;
  size_t cap = 0;
  r->hop = malloc(ix->n);
  if (!r->hop || nr_grow(&r->members, &cap, 1, sizeof *r->members))
    return NETREF_ENOMEM;
  memset(r->hop, NOT_IN, ix->n);
  r->hop[s] = 0;
  r->members[r->nmembers++] = s;
  for (uint32_t head = 0; head < r->nmembers; head++) {
    uint32_t u = r->members[head];
    if (r->hop[u] >= r->exp->hops)
      break; /* hops never decrease along the queue */
    const uint32_t *nbr;
    const double *w;
    const int32_t *day;
    uint32_t deg = nr_index_ties(ix, u, &nbr, &w, &day);
    for (uint32_t e = 0; e < deg; e++) {
      if (r->hop[nbr[e]] != NOT_IN)
        continue;
      if (nr_grow(&r->members, &cap, r->nmembers + 1, sizeof *r->members))
        return NETREF_ENOMEM;
      r->hop[nbr[e]] = (unsigned char)(r->hop[u] + 1);
      r->members[r->nmembers++] = nbr[e];
    }
    if (nr_index_stopped(ix))
      return NETREF_ECANCELED;
  }
  qsort(r->members, r->nmembers, sizeof *r->members, member_cmp);
  r->member_ids = malloc(r->nmembers * sizeof *r->member_ids);
  return r->member_ids ? NETREF_OK : NETREF_ENOMEM;
}

/* ---- the run ------------------------------------------------------------ */

static int write_all(struct run *r, const char *path) {
  int rc = NETREF_OK;
  if (r->exp->source)
    rc = select_network(r);
  if (rc == NETREF_OK)
    rc = each_row(r, "SELECT DISTINCT name FROM person_attr ORDER BY name",
                  "read the attribute names", attr_name_row);
  if (rc == NETREF_OK)
    rc = nr_outset_open(r->db, &r->set, path, r->fmt->files);
  if (rc != NETREF_OK)
    return rc;
  r->w = (struct nr_writer){.db = r->db,
                            .out = r->set.out,
                            .nout = r->set.n,
                            .khop = r->hop != NULL,
                            .source = r->exp->source,
                            .nattrs = r->nattrs,
                            .attrs = (const char *const *)r->attrs};
  rc = r->fmt->begin(&r->w);
  if (rc == NETREF_OK)
    rc = write_people(r);
  if (rc == NETREF_OK && r->fmt->ties_begin)
    rc = r->fmt->ties_begin(&r->w);
  if (rc == NETREF_OK)
    rc = write_ties(r);
  if (rc == NETREF_OK)
    rc = write_rest(r);
  if (rc == NETREF_OK)
    rc = r->fmt->end(&r->w);
  if (rc == NETREF_OK)
    rc = report_files(r);
  if (rc == NETREF_OK)
    rc = nr_outset_finish(r->db, &r->set);
  return rc;
}

/* A typo in the output path must not replace the network itself: the
 * database file, the files SQLite keeps beside it and netref's index
 * snapshot (snapshot.c) are refused. */
static int check_not_the_database(netref_db *db, const char *path) {
  const char *file = sqlite3_db_filename(db->sql, "main");
  struct stat target, own;
  if (!file || !*file || stat(path, &target) != 0)
    return NETREF_OK;
  static const char *const suffixes[] = {"", "-wal", "-shm", "-journal",
                                         "-index"};
  for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
    char name[4096];
    if (snprintf(name, sizeof name, "%s%s", file, suffixes[i]) <
            (int)sizeof name &&
        stat(name, &own) == 0 && own.st_dev == target.st_dev &&
        own.st_ino == target.st_ino)
      return nr_fail(db, NETREF_EINVAL, "%s is %s: export to another file",
                     path,
                     *suffixes[i] ? "a file kept beside the database"
                                  : "the database itself");
  }
  return NETREF_OK;
}

static void run_free(struct run *r) {
  if (r->fmt && r->fmt->cleanup)
    r->fmt->cleanup(&r->w);
  nr_outset_free(&r->set);
  part_free(&r->attr);
  part_free(&r->offer);
  part_free(&r->need);
  for (size_t i = 0; i < r->nattrs; i++)
    free(r->attrs[i]);
  free(r->attrs);
  free(r->hop);
  free(r->members);
  free(r->member_ids);
}

static int keep_files(struct run *r) {
  for (size_t i = 0; i < r->set.n; i++) {
    r->exp->files[i] = strdup(r->set.out[i].path);
    if (!r->exp->files[i])
      return NETREF_ENOMEM;
    r->exp->nfiles = i + 1;
  }
  return NETREF_OK;
}

/* SQLite's page cache while an export reads: each tie looks its two
 * people up by row id, and with the default 2,000 pages the person
 * table of a million people (40 MB) falls out of the cache, so that
 * every lookup is a read from the file (measured at 1M people and 10M
 * ties: 30 s of system time in a 77 s GraphML export). The people's
 * pages fit in this; it is given back afterwards. */
#define NR_EXPORT_CACHE_KIB 131072

static int cache_size(netref_db *db) {
  sqlite3_stmt *st;
  int kib = -2000;
  if (sqlite3_prepare_v2(db->sql, "PRAGMA cache_size", -1, &st, NULL) ==
      SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW)
      kib = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  return kib;
}

static void set_cache_size(netref_db *db, int pages) {
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA cache_size=%d", pages);
  sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
}

static int export_run(netref_db *db, netref_export *exp, const char *path) {
  int rc = nr_check_feature(db, 0, 4, "export");
  if (rc != NETREF_OK)
    return rc;
  if (!exp || !path || !*path)
    return nr_fail(db, NETREF_EINVAL, "export: %s is %s",
                   !exp ? "the job" : "the path", !path ? "NULL" : "empty");
  forget_results(exp);
  if ((rc = check_not_the_database(db, path)) != NETREF_OK)
    return rc;
  struct run r = {.db = db, .exp = exp, .fmt = formats[exp->format]};
  int own, cache = cache_size(db);
  set_cache_size(db, -NR_EXPORT_CACHE_KIB);
  rc = nr_read_begin(db, &own);
  if (rc == NETREF_OK)
    rc = write_all(&r, path);
  nr_read_end(db, own);
  set_cache_size(db, cache);
  if (rc == NETREF_OK)
    rc = nr_outset_commit(db, &r.set);
  if (rc == NETREF_OK)
    rc = keep_files(&r);
  run_free(&r);
  if (rc == NETREF_ECANCELED)
    rc = nr_fail(db, rc, "%s: export canceled; nothing was written", path);
  else if (rc != NETREF_OK)
    rc = nr_fail_step(db, rc);
  if (rc != NETREF_OK)
    forget_results(exp);
  return rc;
}

int netref_export_run(netref_db *db, netref_export *exp, const char *path) {
  nr_run_begin(db);
  return nr_run_end(db, export_run(db, exp, path));
}
