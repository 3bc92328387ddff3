/* Buffered, sorted tie writes for imports. */
#include <stdlib.h>
#include <string.h>

#include "tie_batch.h"

/* Flush after this many ties, to bound memory (about 90 bytes a tie). */
#define NR_TIE_BATCH_MAX 2000000

#define NO_TEXT UINT32_MAX /* a string argument that was NULL */

struct tie_row {
  double strength;
  uint32_t date, context; /* offsets into text, or NO_TEXT */
};

/* One orientation of a buffered tie; rows keep input order for ties. */
struct directed {
  sqlite3_int64 a, b;
  uint32_t row;
};

struct nr_tie_batch {
  int fresh; /* the tie table was empty: plain inserts, merged here */
  struct tie_row *rows;
  struct directed *dir;
  size_t n, cap;
  char *text;
  size_t text_len, text_cap;
};

struct nr_tie_batch *nr_tie_batch_new(netref_db *db) {
  struct nr_tie_batch *b = calloc(1, sizeof *b);
  sqlite3_stmt *st;
  if (b && nr_prepare(db, "SELECT NOT EXISTS (SELECT 1 FROM tie)", &st) ==
               NETREF_OK) {
    b->fresh = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  return b;
}

void nr_tie_batch_free(struct nr_tie_batch *b) {
  if (!b)
    return;
  free(b->rows);
  free(b->dir);
  free(b->text);
  free(b);
}

static int keep_text(struct nr_tie_batch *b, const char *s, uint32_t *at) {
  if (!s) {
    *at = NO_TEXT;
    return 0;
  }
  size_t n = strlen(s) + 1;
  if (b->text_len + n > b->text_cap) {
    size_t cap = b->text_cap ? b->text_cap * 2 : 65536;
    while (cap < b->text_len + n)
      cap *= 2;
    char *t = realloc(b->text, cap);
    if (!t)
      return -1;
    b->text = t;
    b->text_cap = cap;
  }
  memcpy(b->text + b->text_len, s, n);
  *at = (uint32_t)b->text_len;
  b->text_len += n;
  return 0;
}

static int grow(struct nr_tie_batch *b) {
  size_t cap = b->cap ? b->cap * 2 : 4096;
  struct tie_row *rows = realloc(b->rows, cap * sizeof *rows);
  if (rows)
    b->rows = rows;
  struct directed *dir = realloc(b->dir, 2 * cap * sizeof *dir);
  if (dir)
    b->dir = dir;
  if (!rows || !dir)
    return -1;
  b->cap = cap;
  return 0;
}

int nr_tie_batch_add(netref_db *db, struct nr_tie_batch *b, sqlite3_int64 a,
                     sqlite3_int64 c, double strength, const char *last_contact,
                     const char *context) {
  if (b->n == NR_TIE_BATCH_MAX || b->text_len > UINT32_MAX / 2) {
    int rc = nr_tie_batch_flush(db, b);
    if (rc != NETREF_OK)
      return rc;
  }
  struct tie_row *r;
  if ((b->n == b->cap && grow(b)) || (r = &b->rows[b->n],
                                      keep_text(b, last_contact, &r->date)) ||
      keep_text(b, context, &r->context))
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  r->strength = strength;
  b->dir[2 * b->n] = (struct directed){a, c, (uint32_t)b->n};
  b->dir[2 * b->n + 1] = (struct directed){c, a, (uint32_t)b->n};
  b->n++;
  return NETREF_OK;
}

static int directed_cmp(const void *pa, const void *pb) {
  const struct directed *x = pa, *y = pb;
  if (x->a != y->a)
    return x->a < y->a ? -1 : 1;
  if (x->b != y->b)
    return x->b < y->b ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

static const char *text_at(const struct nr_tie_batch *b, uint32_t at) {
  return at == NO_TEXT ? NULL : b->text + at;
}

/* The value rows [first, end) of one pair leave, applying each row's
 * keep-or-set rule in input order as successive upserts would. */
static void merge(const struct nr_tie_batch *b, const struct directed *first,
                  const struct directed *end, double *strength,
                  const char **date, const char **context) {
  *strength = NR_DEFAULT_STRENGTH;
  *date = *context = NULL;
  for (const struct directed *d = first; d < end; d++) {
    const struct tie_row *r = &b->rows[d->row];
    if (r->strength != NETREF_KEEP)
      *strength = r->strength;
    if (r->date != NO_TEXT)
      *date = b->text[r->date] ? b->text + r->date : NULL;
    if (r->context != NO_TEXT)
      *context = b->text[r->context] ? b->text + r->context : NULL;
  }
}

/* Into an empty table: each pair once, merged, with plain inserts. */
static int insert_fresh(netref_db *db, struct nr_tie_batch *b) {
  sqlite3_stmt *st;
  int rc = nr_stmt(db, NR_STMT_TIE_INSERT,
                   "INSERT INTO tie(a, b, strength, last_contact, context)"
                   " VALUES (?, ?, ?, ?, ?)",
                   &st);
  const struct directed *d = b->dir, *end = b->dir + 2 * b->n;
  while (rc == NETREF_OK && d < end) {
    const struct directed *next = d + 1;
    while (next < end && next->a == d->a && next->b == d->b)
      next++;
    double strength;
    const char *date, *context;
    merge(b, d, next, &strength, &date, &context);
    sqlite3_bind_int64(st, 1, d->a);
    sqlite3_bind_int64(st, 2, d->b);
    sqlite3_bind_double(st, 3, strength);
    sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, context, -1, SQLITE_STATIC);
    rc = nr_step_done(db, st, "save tie");
    d = next;
  }
  return rc;
}

static int upsert_each(netref_db *db, struct nr_tie_batch *b) {
  int rc = NETREF_OK;
  for (size_t i = 0; rc == NETREF_OK && i < 2 * b->n; i++) {
    const struct directed *d = &b->dir[i];
    const struct tie_row *r = &b->rows[d->row];
    rc = nr_tie_write_one(db, d->a, d->b, r->strength, text_at(b, r->date),
                          text_at(b, r->context));
  }
  return rc;
}

int nr_tie_batch_flush(netref_db *db, struct nr_tie_batch *b) {
  if (b->n > 1)
    qsort(b->dir, 2 * b->n, sizeof *b->dir, directed_cmp);
  int rc = b->fresh ? insert_fresh(db, b) : upsert_each(db, b);
  if (b->n)
    nr_changed(db);
  /* After a first flush the table is no longer empty. */
  b->fresh = 0;
  b->n = 0;
  b->text_len = 0;
  return rc;
}
