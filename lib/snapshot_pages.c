/* The tie pages of an index mapped from a snapshot, checked on first use
 * (index.h, struct nr_tie_pages).
 *
 * Mapping the snapshot must not cost the reading of the whole file: on
 * a machine where the first touch of a page is dear (a virtual machine:
 * 0.5 ms a megabyte here) checking every tie when the file is mapped
 * costs more than the query that follows. So, as git reads its
 * commit-graph without hashing all of it, the small arrays (people,
 * keys, row starts, tags) are checked when the file is mapped, and the
 * tie arrays, most of the file, a page of NR_TIE_PAGE entries at a time,
 * the first time a query reads a row on that page.
 *
 * A page fails on its checksum or on a value no build makes. The file is
 * then discarded (the next process builds and writes a new one), the
 * handle marked to build its index before its next query, and the row
 * asked for read again from the database into a patch, so that the
 * query running now still answers from sound rows. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index.h"
#include "snapshot.h"

uint64_t nr_tie_page_hash(const uint32_t *nbr, const double *w,
                          const int32_t *day, uint64_t m, uint64_t g) {
  uint64_t first = g * NR_TIE_PAGE;
  uint64_t n = m - first < NR_TIE_PAGE ? m - first : NR_TIE_PAGE;
  struct nr_hasher h;
  nr_hash_init(&h);
  nr_hash_add(&h, nbr + first, n * sizeof *nbr);
  nr_hash_add(&h, w + first, n * sizeof *w);
  nr_hash_add(&h, day + first, n * sizeof *day);
  return nr_hash_end(&h);
}

/* What a build can put in a tie: a person, a strength in (0, 1], no day
 * or a date of years 1 to 9999 (so that `today - day` cannot overflow). */
static int page_sound(const struct nr_index *ix, uint64_t g) {
  uint64_t m = ix->off[ix->n];
  if (nr_tie_page_hash(ix->nbr, ix->w, ix->day, m, g) != ix->pages->sums[g])
    return 0;
  uint64_t end = (g + 1) * NR_TIE_PAGE < m ? (g + 1) * NR_TIE_PAGE : m;
  for (uint64_t i = g * NR_TIE_PAGE; i < end; i++) {
    int32_t d = ix->day[i];
    if (ix->nbr[i] >= ix->n || !(ix->w[i] > 0 && ix->w[i] <= 1) ||
        (d != NR_NO_DATE && (d < NR_FIRST_DAY || d > NR_LAST_DAY)))
      return 0;
  }
  return 1;
}

struct tie {
  uint32_t nbr;
  double w;
  int32_t day;
};

static int tie_cmp(const void *a, const void *b) {
  uint32_t x = ((const struct tie *)a)->nbr, y = ((const struct tie *)b)->nbr;
  return x < y ? -1 : x > y;
}

/* The ties of person v as a build reads them: each tie once (the row
 * whose a < b, in either layout), to people the index knows. */
static int read_row(netref_db *db, const struct nr_index *ix, uint32_t v,
                    struct tie **out, uint32_t *count) {
  const char *sql =
      nr_tie_once(db)
          ? "WITH me(id) AS (SELECT id FROM person WHERE key = ?1)"
            " SELECT t.b, t.strength, t.last_contact FROM tie t, me"
            " WHERE t.a = me.id AND t.b > me.id UNION ALL"
            " SELECT t.a, t.strength, t.last_contact FROM tie t, me"
            " WHERE t.b = me.id AND t.a < me.id"
          /* Both orientations stored: (v, x) mirrors (x, v). */
          : "SELECT t.b, t.strength, t.last_contact FROM tie t"
            " JOIN person p ON t.a = p.id WHERE p.key = ?1 AND t.b != t.a";
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, nr_index_key(ix, v), -1, SQLITE_STATIC);
  struct tie *ties = NULL;
  size_t n = 0, cap = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t u = nr_index_person_of_id(ix, sqlite3_column_int64(st, 0));
    if (u < 0)
      continue;
    if (nr_grow(&ties, &cap, n + 1, sizeof *ties)) {
      rc = SQLITE_NOMEM;
      break;
    }
    ties[n++] = (struct tie){(uint32_t)u, sqlite3_column_double(st, 1),
                             nr_column_day(st, 2)};
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE || n > UINT32_MAX) {
    free(ties);
    return -1;
  }
  if (n > 1) /* qsort's array may not be NULL, and none is made for 0 */
    qsort(ties, n, sizeof *ties, tie_cmp);
  *out = ties;
  *count = (uint32_t)n;
  return 0;
}

/* v's row from the database as a patch of the index. */
static int read_again(struct nr_index *ix, uint32_t v) {
  struct tie *ties = NULL;
  uint32_t n = 0;
  if (read_row((netref_db *)ix->owner, ix, v, &ties, &n))
    return -1;
  struct nr_row_patch *p = nr_index_patch_new(ix, v, n);
  for (uint32_t i = 0; p && i < n; i++) {
    p->nbr[i] = ties[i].nbr;
    p->w[i] = ties[i].w;
    p->day[i] = ties[i].day;
  }
  free(ties);
  return p ? 0 : -1;
}

int nr_tie_pages_check(const struct nr_index *cix, uint32_t v) {
  struct nr_index *ix = (struct nr_index *)cix; /* see index.h */
  struct nr_tie_pages *p = ix->pages;
  uint64_t first = ix->off[v], end = ix->off[v + 1];
  int sound = 1;
  for (uint64_t g = first / NR_TIE_PAGE; g * NR_TIE_PAGE < end; g++) {
    if (nr_tie_page_checked(p, g))
      continue;
    if (page_sound(ix, g))
      p->checked[g / 64] |= (uint64_t)1 << (g % 64);
    else
      sound = 0;
  }
  if (sound)
    return 1;
  if (!p->damaged && ix->owner) {
    p->damaged = 1;
    nr_snapshot_discard((netref_db *)ix->owner, ix->map);
    nr_changed((netref_db *)ix->owner);
  }
  return ix->owner && read_again(ix, v) == 0 ? 0 : -1;
}
