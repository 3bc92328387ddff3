/* Buffered, sorted tie writes for imports. A whole ties file is one
 * batch when it fits NR_TIE_BATCH_MAX: into an empty table that makes
 * every insert an append at the end of the primary key. */
#include <stdlib.h>
#include <string.h>

#include "tie_batch.h"

/* Flush after this many ties, to bound memory (about 40 bytes a tie). */
#define NR_TIE_BATCH_MAX 50000000

#define NO_TEXT UINT32_MAX         /* a context that was NULL: keep */
#define DATE_KEEP (NR_NO_DATE + 1) /* a last_contact that was NULL */

struct tie_row {
  double strength;  /* or NETREF_KEEP */
  int32_t day;      /* day number, NR_NO_DATE ("" clears) or DATE_KEEP */
  uint32_t context; /* offset into text, or NO_TEXT */
};

/* One orientation of a buffered tie; rows keep input order for ties. */
struct directed {
  uint32_t a, b, row;
};

struct nr_tie_batch {
  int fresh; /* the tie table was empty: plain inserts, merged here */
  struct tie_row *rows;
  struct directed *dir;
  size_t n, rows_cap, dir_cap;
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
  if (b->text_len + n >= NO_TEXT ||
      nr_grow(&b->text, &b->text_cap, b->text_len + n, 1))
    return -1;
  memcpy(b->text + b->text_len, s, n);
  *at = (uint32_t)b->text_len;
  b->text_len += n;
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
  int32_t day = last_contact ? NR_NO_DATE : DATE_KEEP;
  if (last_contact && *last_contact && nr_parse_date(last_contact, &day))
    return nr_fail(db, NETREF_EINVAL, "bad date '%s' (expected YYYY-MM-DD)",
                   last_contact);
  if (a < 0 || c < 0 || a > UINT32_MAX || c > UINT32_MAX) {
    /* Row ids beyond 32 bits: write it now, after what came before. */
    int rc = nr_tie_batch_flush(db, b);
    if (rc == NETREF_OK)
      rc = nr_tie_write_one(db, a, c, strength, last_contact, context);
    if (rc == NETREF_OK)
      rc = nr_tie_write_one(db, c, a, strength, last_contact, context);
    b->fresh = 0;
    return rc;
  }
  if (nr_grow(&b->rows, &b->rows_cap, b->n + 1, sizeof *b->rows) ||
      nr_grow(&b->dir, &b->dir_cap, 2 * (b->n + 1), sizeof *b->dir))
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  struct tie_row *r = &b->rows[b->n];
  if (keep_text(b, context, &r->context))
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  r->strength = strength;
  r->day = day;
  b->dir[2 * b->n] = (struct directed){(uint32_t)a, (uint32_t)c,
                                       (uint32_t)b->n};
  b->dir[2 * b->n + 1] = (struct directed){(uint32_t)c, (uint32_t)a,
                                           (uint32_t)b->n};
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

/* A row's date as nr_tie_write_one takes it: NULL keeps, "" clears. */
static const char *date_text(int32_t day, char buf[11]) {
  if (day == DATE_KEEP)
    return NULL;
  if (day == NR_NO_DATE)
    return "";
  nr_format_date(day, buf);
  return buf;
}

/* The values rows [first, end) of one pair leave, applying each row's
 * keep-or-set rule in input order as successive upserts would. */
static void merge(const struct nr_tie_batch *b, const struct directed *first,
                  const struct directed *end, double *strength, int32_t *day,
                  const char **context) {
  *strength = NR_DEFAULT_STRENGTH;
  *day = NR_NO_DATE;
  *context = NULL;
  for (const struct directed *d = first; d < end; d++) {
    const struct tie_row *r = &b->rows[d->row];
    if (r->strength != NETREF_KEEP)
      *strength = r->strength;
    if (r->day != DATE_KEEP)
      *day = r->day;
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
    int32_t day;
    const char *context;
    char date[11];
    merge(b, d, next, &strength, &day, &context);
    sqlite3_bind_int64(st, 1, d->a);
    sqlite3_bind_int64(st, 2, d->b);
    sqlite3_bind_double(st, 3, strength);
    if (day != NR_NO_DATE) {
      nr_format_date(day, date);
      sqlite3_bind_text(st, 4, date, 10, SQLITE_STATIC);
    } else {
      sqlite3_bind_null(st, 4);
    }
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
    char date[11];
    rc = nr_tie_write_one(db, d->a, d->b, r->strength, date_text(r->day, date),
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
  if (b->n)
    b->fresh = 0;
  b->n = 0;
  b->text_len = 0;
  return rc;
}
