/* Keeping the index current after small changes, instead of rebuilding
 * it: a changed tie patches the rows of its two people, a changed offer
 * or need re-reads one tag's posting list. Anything else (people added,
 * removed or renamed, imports, a new tag) marks the index for a lazy
 * rebuild, as does a patch that fails or patches grown past an eighth of
 * the ties. Patching never records an error on the handle: the change
 * itself has succeeded, and a rebuild is always a correct fallback. */
#include <stdlib.h>
#include <string.h>

#include "index.h"

static int is_current(const netref_db *db) {
  return db->index && db->index->generation == db->generation && !db->in_import;
}

struct nr_row_patch *nr_index_patch_new(struct nr_index *ix, uint32_t v,
                                        uint32_t n) {
  if (!ix->patched && !(ix->patched = calloc(ix->n, sizeof *ix->patched)))
    return NULL;
  if (ix->n_patches == ix->cap_patches) {
    uint32_t cap = ix->cap_patches ? ix->cap_patches * 2 : 16;
    struct nr_row_patch *p = realloc(ix->patches, cap * sizeof *p);
    if (!p)
      return NULL;
    ix->patches = p;
    ix->cap_patches = cap;
  }
  struct nr_row_patch p = {.n = n, .cap = n + 4};
  p.nbr = malloc(p.cap * sizeof *p.nbr);
  p.w = malloc(p.cap * sizeof *p.w);
  p.day = malloc(p.cap * sizeof *p.day);
  if (!p.nbr || !p.w || !p.day) {
    free(p.nbr);
    free(p.w);
    free(p.day);
    return NULL;
  }
  ix->patches[ix->n_patches++] = p;
  ix->patched[v] = ix->n_patches;
  ix->patched_ties += p.cap;
  return &ix->patches[ix->n_patches - 1];
}

/* v's patched row, created from its row as read on first use (a
 * mapped row on a damaged page is read again from the database into a
 * patch by nr_index_ties itself). */
static struct nr_row_patch *row_patch(struct nr_index *ix, uint32_t v) {
  const uint32_t *nbr;
  const double *w;
  const int32_t *day;
  uint32_t n = nr_index_ties(ix, v, &nbr, &w, &day);
  struct nr_row_patch *p = nr_index_patch_of(ix, v);
  if (p)
    return p;
  p = nr_index_patch_new(ix, v, n);
  if (p && n > 0) {
    memcpy(p->nbr, nbr, n * sizeof *nbr);
    memcpy(p->w, w, n * sizeof *w);
    memcpy(p->day, day, n * sizeof *day);
  }
  return p;
}

/* Make v's tie to u present with (w, day), or absent. The row stays in
 * ascending order of neighbours, as a built row is, so that a patched
 * index is walked in the same order as a rebuilt one and every answer,
 * sums included, is the same to the last bit. */
static int set_tie(struct nr_index *ix, uint32_t v, uint32_t u, int present,
                   double w, int32_t day) {
  struct nr_row_patch *p = row_patch(ix, v);
  if (!p)
    return -1;
  uint32_t i = 0;
  while (i < p->n && p->nbr[i] < u)
    i++;
  int found = i < p->n && p->nbr[i] == u;
  size_t after = p->n - i - (size_t)found; /* entries behind position i */
  if (!present) {
    if (found) {
      memmove(p->nbr + i, p->nbr + i + 1, after * sizeof *p->nbr);
      memmove(p->w + i, p->w + i + 1, after * sizeof *p->w);
      memmove(p->day + i, p->day + i + 1, after * sizeof *p->day);
      p->n--;
    }
    return 0;
  }
  if (!found) {
    size_t cap = p->cap;
    if (nr_grow_ties(&p->nbr, &p->w, &p->day, &cap, (size_t)p->n + 1))
      return -1;
    ix->patched_ties += cap - p->cap;
    p->cap = (uint32_t)cap;
    memmove(p->nbr + i + 1, p->nbr + i, after * sizeof *p->nbr);
    memmove(p->w + i + 1, p->w + i, after * sizeof *p->w);
    memmove(p->day + i + 1, p->day + i, after * sizeof *p->day);
    p->n++;
  }
  p->nbr[i] = u;
  p->w[i] = w;
  p->day[i] = day;
  return 0;
}

/* Read the stored state of the tie (a, b). */
static int read_tie(netref_db *db, sqlite3_int64 a, sqlite3_int64 b,
                    int *present, double *w, int32_t *day) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db->sql,
                         "SELECT strength, last_contact FROM tie"
                         " WHERE a = ? AND b = ?",
                         -1, &st, NULL) != SQLITE_OK)
    return -1;
  /* The row (min, max) is there in both layouts (store.c). */
  sqlite3_bind_int64(st, 1, a < b ? a : b);
  sqlite3_bind_int64(st, 2, a < b ? b : a);
  int rc = sqlite3_step(st);
  *present = rc == SQLITE_ROW;
  *day = NR_NO_DATE;
  if (*present) {
    *w = sqlite3_column_double(st, 0);
    *day = nr_column_day(st, 1);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int patch_tie(netref_db *db, sqlite3_int64 a, sqlite3_int64 b) {
  struct nr_index *ix = db->index;
  int64_t v = nr_index_person_of_id(ix, a), u = nr_index_person_of_id(ix, b);
  int present;
  double w = 0;
  int32_t day;
  if (v < 0 || u < 0 || read_tie(db, a, b, &present, &w, &day))
    return -1;
  if (set_tie(ix, (uint32_t)v, (uint32_t)u, present, w, day) ||
      set_tie(ix, (uint32_t)u, (uint32_t)v, present, w, day))
    return -1;
  return ix->patched_ties > ix->off[ix->n] / 8 + 4096 ? -1 : 0;
}

void nr_index_note_tie(netref_db *db, sqlite3_int64 a, sqlite3_int64 b) {
  if (!is_current(db) || patch_tie(db, a, b))
    nr_changed(db);
}

static int tag_cmp(const void *key, const void *elem) {
  return strcmp(key, ((const struct nr_tag *)elem)->name);
}

/* Re-read who needs and offers one tag into fresh posting arrays. */
static int reload_tag(netref_db *db, struct nr_tag *t) {
  struct nr_index *ix = db->index;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db->sql,
                         "SELECT 0, person, weight FROM need WHERE tag = ?1"
                         " UNION ALL SELECT 1, person, 1.0 FROM offer"
                         " WHERE tag = ?1 ORDER BY 1, 2",
                         -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
  uint32_t n = 0, cap = 16, needers = 0;
  uint32_t *people = malloc(cap * sizeof *people);
  double *weights = malloc(cap * sizeof *weights);
  int rc = people && weights ? sqlite3_step(st) : SQLITE_NOMEM;
  for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
    int64_t v = nr_index_person_of_id(ix, sqlite3_column_int64(st, 1));
    if (v < 0)
      break; /* someone the index does not know: rebuild */
    if (n == cap) {
      cap *= 2;
      uint32_t *p = realloc(people, cap * sizeof *p);
      if (p)
        people = p;
      double *w = realloc(weights, cap * sizeof *w);
      if (w)
        weights = w;
      if (!p || !w)
        break;
    }
    needers += sqlite3_column_int(st, 0) == 0;
    weights[n] = sqlite3_column_double(st, 2);
    people[n++] = (uint32_t)v;
  }
  sqlite3_finalize(st);
  /* Offerers get their own array, as in a built index. */
  uint32_t *offerers =
      rc == SQLITE_DONE ? malloc((n - needers + 1) * sizeof *offerers) : NULL;
  if (!offerers) {
    free(people);
    free(weights);
    return -1;
  }
  memcpy(offerers, people + needers, (n - needers) * sizeof *offerers);
  nr_index_release(ix, t->needers);
  nr_index_release(ix, t->need_weight);
  nr_index_release(ix, t->offerers);
  t->needers = people;
  t->need_weight = weights;
  t->n_needers = needers;
  t->n_offerers = n - needers;
  t->offerers = offerers;
  return 0;
}

void nr_index_note_holding(netref_db *db, const char *tag) {
  struct nr_tag *t = NULL;
  if (is_current(db) && db->index->ntags > 0)
    t = bsearch(tag, db->index->tags, db->index->ntags, sizeof *t, tag_cmp);
  if (!t || reload_tag(db, t))
    nr_changed(db);
}
