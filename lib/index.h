/* The in-memory index the queries run on, built from the store in one
 * pass and rebuilt lazily after changes. People are numbered 0..n-1 in
 * the order of their store row ids, so that the tie table (one row per
 * tie, scanned in its primary key order) fills each adjacency row in
 * ascending order of the other person after a count of the degrees;
 * rank[] gives each person's place in byte order of keys, for the
 * canonical comparisons, and by_key[] is its inverse. */
#ifndef NETREF_INDEX_H
#define NETREF_INDEX_H

#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

/* Who offers and who needs one tag. */
struct nr_tag {
  const char *name;
  uint32_t n_needers, n_offerers;
  uint32_t *needers;
  double *need_weight;
  uint32_t *offerers;
};

/* A person's ties after changes made since the build, replacing their
 * row of the compressed arrays (see index_patch.c). */
struct nr_row_patch {
  uint32_t n, cap;
  uint32_t *nbr;
  double *w;
  int32_t *day;
};

/* The tie pages of an index mapped from a snapshot (snapshot_pages.c).
 * The tie arrays are most of the file, and a query reads few of their
 * rows, so they are not checked when the file is mapped but page by
 * page, the first time a row on a page is read: the page's checksum,
 * every neighbour below n, strengths in (0, 1], days real dates. A row
 * on a page that fails is read again from the database into a patch
 * (index_patch.c), so an answer never comes from a damaged page. */
#define NR_TIE_PAGE 1024 /* entries of nbr, w and day per page */
struct nr_tie_pages {
  const uint64_t *sums; /* each page's checksum (the TSUM chunk) */
  uint64_t *checked;    /* one bit per page: checked and sound */
  int damaged;          /* a page failed: the file was discarded */
};

struct nr_index {
  uint64_t generation; /* of the data it was built from */
  uint32_t n;
  /* Each person's key and name, as offsets into strings (uint32_t: a
   * snapshot's arrays are used in place, with nothing to rebuild; see
   * nr_index_key). */
  uint32_t *key_at, *name_at;
  uint32_t *rank, *by_key;
  /* Store row id -> person number. Row ids are data from a file that
   * may be hostile (huge, negative, sparse), so no table is ever sized
   * by an id value: ids id_min .. id_min + id_span are looked up as
   * `id - id_min` when they are consecutive (the usual case), in of_id
   * when the span is at most a small multiple of n, and otherwise by
   * binary search in ids (ascending). */
  int64_t id_min;
  uint64_t id_span; /* id_max - id_min, as an unsigned difference */
  int contiguous;   /* ids are id_min .. id_min + n - 1 */
  int32_t *of_id;   /* id_span + 1 entries, -1 for no person; or NULL */
  int64_t *ids;     /* n entries when neither of the above; or NULL */
  /* Compressed sparse rows: the ties of person v are entries
   * off[v] .. off[v+1]-1 of nbr (the other person), w (strength) and
   * day (last contact as a day number, or NR_NO_DATE). */
  uint64_t *off;
  uint32_t *nbr;
  double *w;
  int32_t *day;
  uint32_t ntags;
  struct nr_tag *tags; /* sorted by name */
  char *strings;       /* keys, names and tags, NUL-separated */
  size_t strings_len;  /* bytes of strings in use */
  /* patched[v]: 0, or 1 + the index of v's row in patches. */
  uint32_t *patched;
  struct nr_row_patch *patches;
  uint32_t n_patches, cap_patches;
  uint64_t patched_ties; /* entries in all patches, to bound their cost */
  /* The handle that owns the index, polled by long loops for
   * netref_interrupt (nr_index_stopped). */
  const netref_db *owner;
  /* An index loaded from a snapshot (snapshot.c): the read-only mapping
   * its arrays point into, NULL for a built one. Nothing may write into
   * the base arrays (patches replace whole rows and posting lists), and
   * what points into the mapping is never freed (nr_index_release). */
  const void *map;
  size_t map_len;
  /* A mapped index's tie pages not all checked yet; else NULL. */
  struct nr_tie_pages *pages;
};

/* Free an array of the index unless it lives in the snapshot's mapping
 * (an empty array may point at its very end). */
static inline void nr_index_release(const struct nr_index *ix, void *p) {
  const char *c = p, *base = ix->map;
  if (!(base && c >= base && c <= base + ix->map_len))
    free(p);
}

/* The person with a store row id; -1 when none. */
static inline int64_t nr_index_person_of_id(const struct nr_index *ix,
                                            int64_t id) {
  uint64_t at = (uint64_t)id - (uint64_t)ix->id_min;
  if (ix->n == 0 || at > ix->id_span)
    return -1;
  if (ix->contiguous)
    return (int64_t)at;
  if (ix->of_id)
    return ix->of_id[at];
  uint32_t lo = 0, hi = ix->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (ix->ids[mid] == id)
      return mid;
    if (ix->ids[mid] < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* Person v's key and name. */
static inline const char *nr_index_key(const struct nr_index *ix, uint32_t v) {
  return ix->strings + ix->key_at[v];
}
static inline const char *nr_index_name(const struct nr_index *ix, uint32_t v) {
  return ix->strings + ix->name_at[v];
}

/* Whether page g was checked (and found sound). */
static inline int nr_tie_page_checked(const struct nr_tie_pages *p,
                                      uint64_t g) {
  return p->checked[g / 64] >> (g % 64) & 1;
}

/* Whether every page that entries first .. end-1 lie on was checked. */
static inline int nr_tie_pages_checked(const struct nr_tie_pages *p,
                                       uint64_t first, uint64_t end) {
  for (uint64_t g = first / NR_TIE_PAGE; g * NR_TIE_PAGE < end; g++)
    if (!nr_tie_page_checked(p, g))
      return 0;
  return 1;
}

/* v's row as patched since the build (index_patch.c), or NULL. */
static inline struct nr_row_patch *nr_index_patch_of(const struct nr_index *ix,
                                                     uint32_t v) {
  return ix->patched && ix->patched[v] ? &ix->patches[ix->patched[v] - 1]
                                       : NULL;
}

/* Check the pages of v's row (snapshot_pages.c): 1 when the row may be
 * read from the arrays, 0 when it was read again into a patch (a page
 * failed), -1 when that failed too (no memory, the database unreadable):
 * the row is then read as empty, and the handle builds its index again
 * before its next query. The index is changed through a const pointer:
 * what is checked or patched is a cache of the file it was mapped from,
 * and a query sees the same rows either way. */
int nr_tie_pages_check(const struct nr_index *ix, uint32_t v);

/* Person v's ties: neighbours, strengths and last-contact days. */
static inline uint32_t nr_index_ties(const struct nr_index *ix, uint32_t v,
                                     const uint32_t **nbr, const double **w,
                                     const int32_t **day) {
  const struct nr_row_patch *p = nr_index_patch_of(ix, v);
  uint64_t first = ix->off[v], end = ix->off[v + 1];
  if (!p && ix->pages && end > first &&
      !nr_tie_pages_checked(ix->pages, first, end)) {
    int from_arrays = nr_tie_pages_check(ix, v);
    if (from_arrays == 0)
      p = nr_index_patch_of(ix, v);
    else if (from_arrays < 0)
      end = first; /* no sound copy of the row: none is read */
  }
  if (p) {
    *nbr = p->nbr;
    *w = p->w;
    *day = p->day;
    return p->n;
  }
  *nbr = ix->nbr + first;
  *w = ix->w + first;
  *day = ix->day + first;
  return (uint32_t)(end - first);
}

/* A patch of n ties as the row of v, which has none yet, replacing its
 * row of the arrays; the caller fills its n entries, in ascending order
 * of neighbours as a built row is. NULL when out of memory (nothing
 * changed). */
struct nr_row_patch *nr_index_patch_new(struct nr_index *ix, uint32_t v,
                                        uint32_t n);

/* Whether the handle that owns the index was asked to stop. */
static inline int nr_index_stopped(const struct nr_index *ix) {
  return ix->owner && nr_interrupted(ix->owner);
}

/* Person numbers in ascending order, for qsort and nr_sort_unique. */
static inline int nr_person_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Position of v in an ascending list of person numbers, or -1. */
static inline int64_t nr_find_person(const uint32_t *people, uint32_t count,
                                     uint32_t v) {
  uint32_t lo = 0, hi = count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (people[mid] == v)
      return mid;
    if (people[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* The start of every query from a person: check the key (`what` names
 * it in messages), make db->index current and find the person in it;
 * NETREF_ENOTFOUND names an unknown key. */
int nr_index_find(netref_db *db, const char *what, const char *key,
                  uint32_t *v);
/* Find a person by key; -1 when absent. O(log n). */
int64_t nr_index_person(const struct nr_index *ix, const char *key);
/* Find a tag by normalized name; NULL when nobody holds it. */
const struct nr_tag *nr_index_tag(const struct nr_index *ix, const char *tag);

/* Whether someone offers or needs the tag (a patched index keeps the
 * entry of a tag whose last holder went, with empty lists). */
static inline int nr_tag_held(const struct nr_tag *t) {
  return t && t->n_needers + t->n_offerers > 0;
}

#endif
