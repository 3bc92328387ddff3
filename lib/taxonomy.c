/* The tag taxonomy in memory (DESIGN section 3): the stored relations
 * (tag_relations.c) held as a small graph for the tag queries' expansion.
 *
 * The graph has one edge per alias in each direction and one edge from
 * each broader term to its narrower tag, so the tags a query for T
 * matches are exactly those reachable from T. */
#include <stdlib.h>
#include <string.h>

#include "taxonomy.h"

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

const char *nr_taxonomy_name(const struct nr_taxonomy *t, uint32_t i) {
  return t->names[i];
}

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

static int keep_string(struct loader *l, const unsigned char *s, size_t *at) {
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
    uint32_t from =
        (uint32_t)nr_taxonomy_find(t, l->strings + l->edges[i].from);
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
  int rc = nr_prepare(db, "SELECT tag, relation, other FROM tag_relation", &st);
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
