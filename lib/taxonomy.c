/* The tag taxonomy (DESIGN section 3): aliases and broader terms, stored
 * in tag_relation (schema version 4), checked for cycles when written,
 * and held in memory as a small graph for the tag queries' expansion.
 *
 * The graph has one edge per alias in each direction and one edge from
 * each broader term to its narrower tag, so the tags a query for T
 * matches are exactly those reachable from T. Aliases never make a cycle
 * on their own (they are an equivalence), but a tag must never end up
 * narrower than itself: a broader term from n to b is refused when b is
 * reachable from n already, and an alias between a and b when one is
 * reachable from the other by a path that is not all aliases. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "index.h"
#include "taxonomy.h"

#define NR_TAXONOMY_SCHEMA 4
#define NR_TAXONOMY_FEATURE "the tag taxonomy"

/* Writing, with the cycle checks done in SQL on the stored relations */

/* Tags reachable from ?1 through any relation (aliases both ways,
 * broader terms down to narrower tags), and through aliases alone. */
#define REACHABLE(alias_only)                                                  \
  "WITH RECURSIVE r(t) AS (VALUES (?1)"                                        \
  " UNION SELECT x.other FROM tag_relation x JOIN r ON x.tag = r.t"            \
  " AND x.relation = 'alias'"                                                  \
  " UNION SELECT x.tag FROM tag_relation x JOIN r ON x.other = r.t" alias_only \
  ") SELECT 1 FROM r WHERE t = ?2"
static const char reachable_any[] = REACHABLE("");
static const char reachable_alias[] = REACHABLE(" AND x.relation = 'alias'");

static const char *relation_name(int relation) {
  return relation == NETREF_RELATION_ALIAS ? "alias" : "broader";
}

static int check_relation(netref_db *db, int relation) {
  if (relation == NETREF_RELATION_ALIAS || relation == NETREF_RELATION_BROADER)
    return NETREF_OK;
  return nr_fail(db, NETREF_EINVAL,
                 "relation must be NETREF_RELATION_ALIAS or _BROADER, not %d",
                 relation);
}

/* Whether a statement with up to three text parameters returns a row. */
static int exists(netref_db *db, const char *sql, const char *p1,
                  const char *p2, const char *p3, int *found) {
  sqlite3_stmt *st;
  int rc = nr_prepare(db, sql, &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
  if (p3)
    sqlite3_bind_text(st, 3, p3, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  sqlite3_finalize(st);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return nr_fail_sql(db, step, "read the tag taxonomy");
  *found = step == SQLITE_ROW;
  return NETREF_OK;
}

static int reaches(netref_db *db, const char *sql, const char *from,
                   const char *to, int *found) {
  return exists(db, sql, from, to, NULL, found);
}

/* Whether exactly this relation is stored (an alias in either order). */
static int stored(netref_db *db, const char *tag, int relation,
                  const char *other, int *found) {
  return exists(db,
                "SELECT 1 FROM tag_relation WHERE relation = ?3 AND"
                " ((tag = ?1 AND other = ?2) OR"
                "  (relation = 'alias' AND tag = ?2 AND other = ?1))",
                tag, other, relation_name(relation), found);
}

/* NETREF_EINVAL with a message when the relation would make a tag
 * narrower than itself. */
static int check_cycle(netref_db *db, const char *tag, int relation,
                       const char *other) {
  int down = 0, up = 0, same = 0;
  int rc = reaches(db, reachable_any, tag, other, &down);
  if (rc == NETREF_OK && relation == NETREF_RELATION_BROADER && down)
    return nr_fail(db, NETREF_EINVAL,
                   "'%s' broader '%s' would make a cycle: '%s' is already "
                   "narrower than '%s' or an alias of it",
                   tag, other, other, tag);
  if (rc == NETREF_OK && relation == NETREF_RELATION_ALIAS)
    rc = reaches(db, reachable_any, other, tag, &up);
  if (rc == NETREF_OK && relation == NETREF_RELATION_ALIAS && (down || up))
    rc = reaches(db, reachable_alias, tag, other, &same);
  if (rc == NETREF_OK && relation == NETREF_RELATION_ALIAS &&
      (down || up) && !same)
    return nr_fail(db, NETREF_EINVAL,
                   "'%s' alias '%s' would make a cycle: '%s' is already "
                   "narrower than '%s'",
                   tag, other, down ? other : tag, down ? tag : other);
  return rc;
}

static void taxonomy_changed(netref_db *db) {
  nr_taxonomy_free(db->taxonomy);
  db->taxonomy = NULL;
}

int nr_tag_relate_write(netref_db *db, const char *tag, int relation,
                        const char *other) {
  int rc = check_relation(db, relation);
  if (rc != NETREF_OK)
    return rc;
  if (strcmp(tag, other) == 0)
    return nr_fail(db, NETREF_EINVAL, "'%s' cannot be %s of itself", tag,
                   relation == NETREF_RELATION_ALIAS ? "an alias"
                                                     : "the broader term");
  int held = 0;
  rc = stored(db, tag, relation, other, &held);
  if (rc != NETREF_OK || held)
    return rc;
  rc = check_cycle(db, tag, relation, other);
  sqlite3_stmt *st = NULL;
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "INSERT OR IGNORE INTO tag_relation(tag, relation, other)"
                    " VALUES (?1, ?2, ?3)",
                    &st);
  if (rc == NETREF_OK) {
    sqlite3_bind_text(st, 1, tag, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, relation_name(relation), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, other, -1, SQLITE_STATIC);
    rc = nr_step_done(db, st, "save a tag relation");
    taxonomy_changed(db);
  }
  sqlite3_finalize(st);
  return rc;
}

/* The common start of relate and unrelate: a writable handle on a file
 * with the taxonomy, a relation, both tags normalized (freed by the
 * caller). */
static int relation_args(netref_db *db, const char *tag, int relation,
                         const char *other, char **a, char **b) {
  *a = *b = NULL;
  int rc = nr_check_feature(db, 1, NR_TAXONOMY_SCHEMA, NR_TAXONOMY_FEATURE);
  if (rc == NETREF_OK)
    rc = check_relation(db, relation);
  if (rc == NETREF_OK)
    rc = nr_tag_normalize(db, tag, a);
  if (rc == NETREF_OK)
    rc = nr_tag_normalize(db, other, b);
  return rc;
}

int netref_tag_relate(netref_db *db, const char *tag, int relation,
                      const char *other) {
  char *a, *b;
  int rc = relation_args(db, tag, relation, other, &a, &b);
  if (rc == NETREF_OK)
    rc = nr_begin(db);
  if (rc == NETREF_OK) {
    rc = nr_tag_relate_write(db, a, relation, b);
    if (rc == NETREF_OK)
      rc = nr_commit(db);
    if (rc != NETREF_OK) {
      nr_rollback(db);
      taxonomy_changed(db);
    }
  }
  free(a);
  free(b);
  return rc;
}

int netref_tag_unrelate(netref_db *db, const char *tag, int relation,
                        const char *other) {
  char *a, *b;
  sqlite3_stmt *st = NULL;
  int rc = relation_args(db, tag, relation, other, &a, &b);
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "DELETE FROM tag_relation WHERE relation = ?3 AND"
                    " ((tag = ?1 AND other = ?2) OR"
                    "  (relation = 'alias' AND tag = ?2 AND other = ?1))",
                    &st);
  if (rc == NETREF_OK) {
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, relation_name(relation), -1, SQLITE_STATIC);
    rc = nr_step_done(db, st, "remove a tag relation");
  }
  if (rc == NETREF_OK && sqlite3_changes(db->sql) == 0)
    rc = nr_fail(db, NETREF_ENOTFOUND, "no relation '%s' %s '%s'", a,
                 relation_name(relation), b);
  else if (rc == NETREF_OK)
    taxonomy_changed(db);
  sqlite3_finalize(st);
  free(a);
  free(b);
  return rc;
}

int netref_tag_relations(netref_db *db, const char *tag, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_check_schema(db, NR_TAXONOMY_SCHEMA, NR_TAXONOMY_FEATURE);
  char *norm = NULL;
  if (rc == NETREF_OK && tag)
    rc = nr_tag_normalize(db, tag, &norm);
  if (rc == NETREF_OK)
    rc = nr_list(db,
                 "SELECT tag, relation, other FROM tag_relation"
                 " WHERE ?2 IS NULL OR tag = ?2 OR other = ?2"
                 " ORDER BY tag, relation, other",
                 -1, norm, out);
  free(norm);
  return rc;
}

/* The taxonomy in memory */

struct nr_taxonomy {
  uint32_t n;         /* tags named by a relation */
  const char **names; /* sorted by byte order, into strings */
  char *strings;
  /* Edges of tag i: entries off[i] .. off[i+1]-1 of to (the tag reached)
   * and narrower (0: an alias, 1: a narrower tag). */
  uint32_t *off, *to;
  unsigned char *narrower;
};

void nr_taxonomy_free(struct nr_taxonomy *t) {
  if (!t)
    return;
  free(t->names);
  free(t->strings);
  free(t->off);
  free(t->to);
  free(t->narrower);
  free(t);
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

uint32_t nr_taxonomy_tags(const struct nr_taxonomy *t) { return t ? t->n : 0; }

int64_t nr_taxonomy_find(const struct nr_taxonomy *t, const char *tag) {
  if (!t || t->n == 0)
    return -1;
  const char **hit = bsearch(&tag, t->names, t->n, sizeof *t->names, name_cmp);
  return hit ? hit - t->names : -1;
}

/* A relation read from the store, its tags as offsets into the strings. */
struct edge {
  size_t from, to;
  unsigned char narrower;
};

struct loader {
  char *strings;
  size_t used, cap;
  struct edge *edges;
  size_t n_edges, cap_edges;
};

static int keep_string(struct loader *l, const unsigned char *s,
                       size_t *at) {
  size_t len = strlen((const char *)s) + 1;
  if (nr_grow(&l->strings, &l->cap, l->used + len, 1))
    return NETREF_ENOMEM;
  memcpy(l->strings + l->used, s, len);
  *at = l->used;
  l->used += len;
  return NETREF_OK;
}

/* Alias a=b gives edges a->b and b->a; `n broader b` gives b->n. */
static int add_relation(struct loader *l, sqlite3_stmt *st) {
  size_t tag, other;
  const unsigned char *rel = sqlite3_column_text(st, 1);
  if (!rel || !sqlite3_column_text(st, 0) || !sqlite3_column_text(st, 2))
    return NETREF_ENOMEM; /* the columns are NOT NULL: SQLite ran out */
  int alias = strcmp((const char *)rel, "alias") == 0;
  if (keep_string(l, sqlite3_column_text(st, 0), &tag) ||
      keep_string(l, sqlite3_column_text(st, 2), &other) ||
      nr_grow(&l->edges, &l->cap_edges, l->n_edges + 2, sizeof *l->edges))
    return NETREF_ENOMEM;
  if (alias) {
    l->edges[l->n_edges++] = (struct edge){tag, other, 0};
    l->edges[l->n_edges++] = (struct edge){other, tag, 0};
  } else {
    l->edges[l->n_edges++] = (struct edge){other, tag, 1};
  }
  return NETREF_OK;
}

/* The distinct tag names, sorted, and the edges as compressed rows. */
static int build_graph(struct loader *l, struct nr_taxonomy *t) {
  size_t n_refs = l->n_edges * 2;
  const char **all = malloc((n_refs + 1) * sizeof *all);
  if (!all)
    return NETREF_ENOMEM;
  for (size_t i = 0; i < l->n_edges; i++) {
    all[2 * i] = l->strings + l->edges[i].from;
    all[2 * i + 1] = l->strings + l->edges[i].to;
  }
  if (n_refs > 1)
    qsort(all, n_refs, sizeof *all, name_cmp);
  size_t n = 0;
  for (size_t i = 0; i < n_refs; i++)
    if (n == 0 || strcmp(all[n - 1], all[i]) != 0)
      all[n++] = all[i];
  t->names = all;
  t->n = (uint32_t)n;
  t->off = calloc(n + 1, sizeof *t->off);
  t->to = malloc((l->n_edges + 1) * sizeof *t->to);
  t->narrower = malloc(l->n_edges + 1);
  if (!t->off || !t->to || !t->narrower)
    return NETREF_ENOMEM;
  for (size_t i = 0; i < l->n_edges; i++)
    t->off[nr_taxonomy_find(t, l->strings + l->edges[i].from) + 1]++;
  for (size_t i = 0; i < n; i++)
    t->off[i + 1] += t->off[i];
  uint32_t *fill = malloc((n + 1) * sizeof *fill);
  if (!fill)
    return NETREF_ENOMEM;
  memcpy(fill, t->off, n * sizeof *fill);
  for (size_t i = 0; i < l->n_edges; i++) {
    uint32_t from = (uint32_t)nr_taxonomy_find(t, l->strings + l->edges[i].from);
    uint32_t at = fill[from]++;
    t->to[at] = (uint32_t)nr_taxonomy_find(t, l->strings + l->edges[i].to);
    t->narrower[at] = l->edges[i].narrower;
  }
  free(fill);
  return NETREF_OK;
}

static int load(netref_db *db, struct nr_taxonomy *t) {
  struct loader l = {0};
  sqlite3_stmt *st;
  int rc = nr_prepare(db, "SELECT tag, relation, other FROM tag_relation",
                      &st);
  int step;
  while (rc == NETREF_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
    rc = add_relation(&l, st);
  if (rc == NETREF_OK && step != SQLITE_DONE)
    rc = nr_fail_sql(db, step, "read the tag taxonomy");
  sqlite3_finalize(st);
  if (rc == NETREF_OK)
    rc = build_graph(&l, t);
  /* The names point into the strings, which the taxonomy now owns. */
  t->strings = l.strings;
  free(l.edges);
  return rc;
}

/* Queries call this after nr_index_ready, whose nr_sync dropped a
 * taxonomy that other programs changed; syncing again here could make the
 * index and the taxonomy of one query disagree. */
int nr_taxonomy_ready(netref_db *db) {
  if (db->taxonomy)
    return NETREF_OK;
  int rc;
  struct nr_taxonomy *t = calloc(1, sizeof *t);
  if (!t)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  /* A read-only file from before the taxonomy has none. */
  rc = db->schema_version >= NR_TAXONOMY_SCHEMA ? load(db, t) : NETREF_OK;
  if (rc != NETREF_OK) {
    nr_taxonomy_free(t);
    return rc == NETREF_ENOMEM ? nr_fail(db, rc, "out of memory") : rc;
  }
  db->taxonomy = t;
  return NETREF_OK;
}

/* Expansion */

void nr_expansion_free(struct nr_expansion *e) {
  free(e->tags);
  free(e->how);
  *e = (struct nr_expansion){0};
}

/* Breadth-first from the queue's tags over the edges allowed (aliases
 * only, or all), marking new tags with `how`. */
static void spread(const struct nr_taxonomy *t, uint32_t *queue, size_t *n,
                   unsigned char *seen, int aliases_only, unsigned char how) {
  for (size_t head = 0; head < *n; head++) {
    uint32_t v = queue[head];
    for (uint32_t e = t->off[v]; e < t->off[v + 1]; e++) {
      uint32_t w = t->to[e];
      if (seen[w] || (aliases_only && t->narrower[e]))
        continue;
      seen[w] = how;
      queue[(*n)++] = w;
    }
  }
}

/* Self first, then the others in byte order (their numbers are). */
static int expansion_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

int nr_tag_expand_names(netref_db *db, const char *norm, int exact,
                        struct nr_expansion *out) {
  *out = (struct nr_expansion){0};
  int rc = nr_taxonomy_ready(db);
  if (rc != NETREF_OK)
    return rc;
  const struct nr_taxonomy *t = db->taxonomy;
  int64_t self = exact ? -1 : nr_taxonomy_find(t, norm);
  size_t cap = self < 0 ? 1 : t->n;
  uint32_t *queue = malloc(cap * sizeof *queue);
  unsigned char *seen = self < 0 ? NULL : calloc(t->n, 1);
  out->tags = malloc(cap * sizeof *out->tags);
  out->how = malloc(cap);
  if (!queue || (self >= 0 && !seen) || !out->tags || !out->how) {
    free(queue);
    free(seen);
    nr_expansion_free(out);
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  out->tags[0] = norm;
  out->how[0] = NR_MATCH_SELF;
  out->n = 1;
  if (self >= 0) {
    size_t n = 1;
    queue[0] = (uint32_t)self;
    seen[self] = NR_MATCH_SELF;
    spread(t, queue, &n, seen, 1, NR_MATCH_ALIAS);
    spread(t, queue, &n, seen, 0, NR_MATCH_NARROWER);
    if (n > 2)
      qsort(queue + 1, n - 1, sizeof *queue, expansion_cmp);
    for (size_t i = 1; i < n; i++) {
      out->tags[out->n] = t->names[queue[i]];
      out->how[out->n++] = seen[queue[i]];
    }
  }
  free(queue);
  free(seen);
  return NETREF_OK;
}

/* Unknown tags: suggestions by edit distance */

#define NR_SUGGESTIONS 3
#define NR_SUGGEST_MAX_CHARS 64

/* Code points of a (valid UTF-8) tag, at most NR_SUGGEST_MAX_CHARS. */
static size_t code_points(const char *s, int32_t *cp) {
  size_t n = 0;
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  while (*p && n < NR_SUGGEST_MAX_CHARS) {
    utf8proc_int32_t c;
    utf8proc_ssize_t len = utf8proc_iterate(p, -1, &c);
    if (len <= 0)
      break;
    cp[n++] = c;
    p += len;
  }
  return n;
}

/* Levenshtein distance between code point strings, in one row. */
static size_t edit_distance(const int32_t *a, size_t na, const int32_t *b,
                            size_t nb) {
  size_t row[NR_SUGGEST_MAX_CHARS + 1];
  for (size_t j = 0; j <= nb; j++)
    row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

struct suggestion {
  const char *tag;
  size_t distance;
};

/* Keep the closest few candidates, by distance, then byte order. */
static void consider(struct suggestion *best, const char *tag,
                     size_t distance) {
  for (int i = 0; i < NR_SUGGESTIONS; i++) {
    if (best[i].tag && strcmp(best[i].tag, tag) == 0)
      return;
  }
  for (int i = 0; i < NR_SUGGESTIONS; i++) {
    if (!best[i].tag || distance < best[i].distance ||
        (distance == best[i].distance && strcmp(tag, best[i].tag) < 0)) {
      memmove(best + i + 1, best + i,
              (size_t)(NR_SUGGESTIONS - 1 - i) * sizeof *best);
      best[i] = (struct suggestion){tag, distance};
      return;
    }
  }
}

/* A known tag is close when it differs by a few edits (a third of the
 * longer one, at least one, never all of it), or when one contains the
 * other and the contained one has three characters or more (so that a
 * one-letter tag is not suggested for everything). */
#define NR_SUGGEST_MIN_PART 3
static void suggest_from(struct suggestion *best, const char *asked,
                         const int32_t *a, size_t na, const char *tag) {
  int32_t b[NR_SUGGEST_MAX_CHARS];
  size_t nb = code_points(tag, b);
  size_t d = edit_distance(a, na, b, nb);
  size_t longer = na > nb ? na : nb;
  size_t allowed = longer / 3 > 1 ? longer / 3 : 1;
  if (d <= allowed && d < longer)
    consider(best, tag, d);
  else if ((nb >= NR_SUGGEST_MIN_PART && strstr(asked, tag)) ||
           (na >= NR_SUGGEST_MIN_PART && strstr(tag, asked)))
    consider(best, tag, d);
}

int nr_tag_unknown(netref_db *db, const struct nr_index *ix,
                   const char *norm) {
  int32_t a[NR_SUGGEST_MAX_CHARS];
  size_t na = code_points(norm, a);
  struct suggestion best[NR_SUGGESTIONS] = {{0}};
  for (uint32_t i = 0; i < ix->ntags; i++)
    if (nr_tag_held(&ix->tags[i]))
      suggest_from(best, norm, a, na, ix->tags[i].name);
  const struct nr_taxonomy *t = db->taxonomy;
  for (uint32_t i = 0; t && i < t->n; i++)
    suggest_from(best, norm, a, na, t->names[i]);
  if (!best[0].tag)
    return nr_fail(db, NETREF_ENOTFOUND,
                   "unknown tag '%s': nobody offers or needs it and the "
                   "taxonomy does not name it",
                   norm);
  if (!best[1].tag)
    return nr_fail(db, NETREF_ENOTFOUND,
                   "unknown tag '%s' (did you mean '%s'?)", norm, best[0].tag);
  if (!best[2].tag)
    return nr_fail(db, NETREF_ENOTFOUND,
                   "unknown tag '%s' (did you mean '%s' or '%s'?)", norm,
                   best[0].tag, best[1].tag);
  return nr_fail(db, NETREF_ENOTFOUND,
                 "unknown tag '%s' (did you mean '%s', '%s' or '%s'?)", norm,
                 best[0].tag, best[1].tag, best[2].tag);
}
