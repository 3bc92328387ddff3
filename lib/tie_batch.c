/* Buffered, sorted tie writes for imports. A whole ties file is one
 * batch when it fits NR_TIE_BATCH_MAX: into an empty table that makes
 * every insert an append at the end of the primary key, and the index
 * tie_by_b is then built once, sorted, after the rows (CREATE INDEX
 * fills its pages, where inserts in b's random order would split them
 * half empty and seek all over the file). */
#include <stdlib.h>
#include <string.h>

#include "tie_batch.h"

/* Flush after this many ties, to bound memory (about 50 bytes a tie
 * while sorting). */
#define NR_TIE_BATCH_MAX 50000000

#define NO_TEXT UINT32_MAX /* a context that was NULL: keep */

/* A buffered tie with its values, so that writing in key order reads the
 * entries one after the other. */
struct directed {
  uint64_t key;     /* a << 32 | b, a < b: the tie's row (store.c) */
  double strength;  /* or NR_KEEP */
  int32_t day;      /* day number, NR_NO_DATE ("" clears) or NR_DAY_KEEP */
  uint32_t context; /* offset into text, or NO_TEXT */
};

/* A cadence given on a row (a ties.csv with a cadence column). Kept
 * apart from the ties, which most often have none, and written after
 * them: the last row of a pair wins. */
struct cadence_row {
  uint64_t pair;  /* smaller << 32 | larger */
  size_t order;   /* input order among the cadence rows */
  long long days; /* 0: none */
};

struct nr_tie_batch {
  int fresh; /* the tie table was empty: plain inserts, merged here */
  struct directed *dir, *tmp; /* tmp: the radix sort's other buffer */
  size_t n, dir_cap, tmp_cap;
  char *text;
  size_t text_len, text_cap;
  struct cadence_row *cadence;
  size_t ncadence, cadence_cap;
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
  free(b->dir);
  free(b->tmp);
  free(b->text);
  free(b->cadence);
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

static int keep_cadence(struct nr_tie_batch *b, uint64_t a, uint64_t c,
                        long long days) {
  if (nr_grow(&b->cadence, &b->cadence_cap, b->ncadence + 1,
              sizeof *b->cadence))
    return -1;
  uint64_t pair = a < c ? a << 32 | c : c << 32 | a;
  b->cadence[b->ncadence] = (struct cadence_row){pair, b->ncadence, days};
  b->ncadence++;
  return 0;
}

/* A row's date as nr_tie_write_one takes it: NULL keeps, "" clears. */
static const char *date_text(int32_t day, char buf[11]) {
  if (day == NR_DAY_KEEP)
    return NULL;
  if (day == NR_NO_DATE)
    return "";
  nr_format_date(day, buf);
  return buf;
}

/* Whether the next row needs a flush first. */
static int batch_full(const struct nr_tie_batch *b) {
  return b->n == NR_TIE_BATCH_MAX || b->text_len > UINT32_MAX / 2;
}

struct nr_tie_batch *nr_tie_batch_part(void) {
  return calloc(1, sizeof(struct nr_tie_batch));
}

int nr_tie_batch_reserve(struct nr_tie_batch *b, size_t n) {
  if (n > NR_TIE_BATCH_MAX - b->n)
    n = NR_TIE_BATCH_MAX - b->n;
  return nr_reserve_huge(&b->dir, &b->dir_cap, b->n + n, sizeof *b->dir);
}

int nr_tie_batch_put(struct nr_tie_batch *b, sqlite3_int64 a, sqlite3_int64 c,
                     double strength, int32_t day, const char *context,
                     long long cadence) {
  if (batch_full(b) || a < 0 || c < 0 || a > UINT32_MAX || c > UINT32_MAX)
    return 1;
  uint32_t text;
  uint64_t lo = (uint64_t)(a < c ? a : c), hi = (uint64_t)(a < c ? c : a);
  if (nr_grow_huge(&b->dir, &b->dir_cap, b->n + 1, sizeof *b->dir) ||
      keep_text(b, context, &text) ||
      (cadence >= 0 && keep_cadence(b, lo, hi, cadence)))
    return -1;
  b->dir[b->n] = (struct directed){lo << 32 | hi, strength, day, text};
  b->n++;
  return 0;
}

int nr_tie_batch_add(netref_db *db, struct nr_tie_batch *b, sqlite3_int64 a,
                     sqlite3_int64 c, double strength, int32_t day,
                     const char *context, long long cadence) {
  if (batch_full(b)) {
    int rc = nr_tie_batch_flush(db, b);
    if (rc != NETREF_OK)
      return rc;
  }
  int put = nr_tie_batch_put(b, a, c, strength, day, context, cadence);
  if (put < 0)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  if (put == 0)
    return NETREF_OK;
  /* Row ids beyond 32 bits: write it now, after what came before. */
  char date[11];
  int rc = nr_tie_batch_flush(db, b);
  if (rc == NETREF_OK)
    rc = nr_tie_write_one(db, a, c, strength, date_text(day, date), context,
                          cadence);
  b->fresh = 0;
  return rc;
}

int nr_tie_batch_take(netref_db *db, struct nr_tie_batch *b,
                      struct nr_tie_batch *part) {
  if (b->n + part->n > NR_TIE_BATCH_MAX ||
      b->text_len + part->text_len >= NO_TEXT) {
    int rc = nr_tie_batch_flush(db, b);
    if (rc != NETREF_OK)
      return rc;
  }
  if (nr_grow_huge(&b->dir, &b->dir_cap, b->n + part->n, sizeof *b->dir) ||
      nr_grow(&b->text, &b->text_cap, b->text_len + part->text_len, 1) ||
      nr_grow(&b->cadence, &b->cadence_cap, b->ncadence + part->ncadence,
              sizeof *b->cadence))
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  for (size_t i = 0; i < part->n; i++) {
    struct directed d = part->dir[i];
    if (d.context != NO_TEXT)
      d.context += (uint32_t)b->text_len;
    b->dir[b->n++] = d;
  }
  if (part->text_len)
    memcpy(b->text + b->text_len, part->text, part->text_len);
  b->text_len += part->text_len;
  for (size_t i = 0; i < part->ncadence; i++) {
    struct cadence_row c = part->cadence[i];
    c.order += b->ncadence;
    b->cadence[b->ncadence + i] = c;
  }
  b->ncadence += part->ncadence;
  return NETREF_OK;
}

/* Stable LSD radix sort on the key, 16 bits a pass, skipping digits
 * every entry shares: equal keys keep their input order, so later rows
 * for a pair still come last. O(n) per pass. */
static int sort_entries(struct nr_tie_batch *b) {
  size_t n = b->n;
  if (n < 2)
    return 0;
  /* Not static: handles importing on different threads share nothing. */
  size_t *count = malloc(((size_t)1 << 16) * sizeof *count);
  if (!count || nr_grow_huge(&b->tmp, &b->tmp_cap, n, sizeof *b->tmp)) {
    free(count);
    return -1;
  }
  for (int shift = 0; shift < 64; shift += 16) {
    memset(count, 0, ((size_t)1 << 16) * sizeof *count);
    for (size_t i = 0; i < n; i++)
      count[(b->dir[i].key >> shift) & 0xffff]++;
    if (count[(b->dir[0].key >> shift) & 0xffff] == n)
      continue; /* one digit for all: nothing to move */
    size_t at = 0;
    for (size_t d = 0; d < (1 << 16); d++) {
      size_t c = count[d];
      count[d] = at;
      at += c;
    }
    for (size_t i = 0; i < n; i++)
      b->tmp[count[(b->dir[i].key >> shift) & 0xffff]++] = b->dir[i];
    struct directed *t = b->dir;
    b->dir = b->tmp;
    b->tmp = t;
    size_t c = b->dir_cap;
    b->dir_cap = b->tmp_cap;
    b->tmp_cap = c;
  }
  free(count);
  return 0;
}

static const char *text_at(const struct nr_tie_batch *b, uint32_t at) {
  return at == NO_TEXT ? NULL : b->text + at;
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
    if (d->strength != NR_KEEP)
      *strength = d->strength;
    if (d->day != NR_DAY_KEEP)
      *day = d->day;
    if (d->context != NO_TEXT)
      *context = b->text[d->context] ? b->text + d->context : NULL;
  }
}

/* Rows per INSERT into an empty table: one statement step per row costs
 * as much as the insert itself (measured: sqlite3_step, reset and
 * VdbeHalt about a third of the time), so rows go in groups. */
#define ROWS_PER_INSERT 32
#define ROW_VALUES "(?, ?, ?, ?, ?)"
#define ROW_VALUES_4 ROW_VALUES "," ROW_VALUES "," ROW_VALUES "," ROW_VALUES
#define ROW_VALUES_16                                                          \
  ROW_VALUES_4 "," ROW_VALUES_4 "," ROW_VALUES_4 "," ROW_VALUES_4
#define INSERT_TIE                                                             \
  "INSERT INTO tie(a, b, strength, last_contact, context) VALUES "

/* A merged row waiting for its INSERT. */
struct pending {
  uint64_t key;
  double strength;
  const char *context;
  int32_t day; /* stored as its day number (store.c), or NR_NO_DATE */
};

static int insert_pending(netref_db *db, const struct pending *p, int n) {
  sqlite3_stmt *st;
  int rc = n == ROWS_PER_INSERT
               ? nr_stmt(db, NR_STMT_TIE_INSERT_MANY,
                         INSERT_TIE ROW_VALUES_16 "," ROW_VALUES_16, &st)
               : nr_stmt(db, NR_STMT_TIE_INSERT, INSERT_TIE ROW_VALUES, &st);
  for (int i = 0; rc == NETREF_OK && i < n; i++) {
    int at = n == ROWS_PER_INSERT ? 5 * i : 0;
    sqlite3_bind_int64(st, at + 1, (sqlite3_int64)(p[i].key >> 32));
    sqlite3_bind_int64(st, at + 2, (sqlite3_int64)(p[i].key & 0xffffffffu));
    sqlite3_bind_double(st, at + 3, p[i].strength);
    if (p[i].day != NR_NO_DATE)
      sqlite3_bind_int64(st, at + 4, p[i].day);
    else
      sqlite3_bind_null(st, at + 4);
    sqlite3_bind_text(st, at + 5, p[i].context, -1, SQLITE_STATIC);
    if (n != ROWS_PER_INSERT)
      rc = nr_step_done(db, st, "save tie");
  }
  if (rc == NETREF_OK && n == ROWS_PER_INSERT)
    rc = nr_step_done(db, st, "save tie");
  return rc;
}

/* Into an empty table: each pair once, merged, with plain inserts. */
static int insert_fresh(netref_db *db, struct nr_tie_batch *b) {
  struct pending p[ROWS_PER_INSERT];
  int n = 0, rc = NETREF_OK;
  const struct directed *d = b->dir, *end = b->dir + b->n;
  while (rc == NETREF_OK && d < end) {
    const struct directed *next = d + 1;
    while (next < end && next->key == d->key)
      next++;
    merge(b, d, next, &p[n].strength, &p[n].day, &p[n].context);
    p[n].key = d->key;
    if (++n == ROWS_PER_INSERT) {
      rc = insert_pending(db, p, n);
      n = 0;
    }
    d = next;
  }
  if (rc == NETREF_OK && n > 0)
    rc = insert_pending(db, p, n);
  return rc;
}

static int upsert_each(netref_db *db, struct nr_tie_batch *b) {
  int rc = NETREF_OK;
  for (size_t i = 0; rc == NETREF_OK && i < b->n; i++) {
    const struct directed *d = &b->dir[i];
    char date[11];
    rc = nr_tie_write_one(db, (sqlite3_int64)(d->key >> 32),
                          (sqlite3_int64)(d->key & 0xffffffffu), d->strength,
                          date_text(d->day, date), text_at(b, d->context), -1);
  }
  return rc;
}

static int cadence_cmp(const void *x, const void *y) {
  const struct cadence_row *p = x, *q = y;
  if (p->pair != q->pair)
    return p->pair < q->pair ? -1 : 1;
  return p->order < q->order ? -1 : p->order > q->order;
}

/* After the ties: each pair's last cadence. Into a table
 * that was empty every tie has none yet, so only cadences to set are
 * written. */
static int write_cadences(netref_db *db, struct nr_tie_batch *b) {
  sqlite3_stmt *st;
  int rc = b->ncadence ? nr_prepare(db,
                                    "UPDATE tie SET cadence = nullif(?3, 0)"
                                    " WHERE a = ?1 AND b = ?2",
                                    &st)
                       : NETREF_OK;
  if (!b->ncadence || rc != NETREF_OK)
    return rc;
  qsort(b->cadence, b->ncadence, sizeof *b->cadence, cadence_cmp);
  for (size_t i = 0; rc == NETREF_OK && i < b->ncadence; i++) {
    const struct cadence_row *r = &b->cadence[i];
    if ((i + 1 < b->ncadence && b->cadence[i + 1].pair == r->pair) ||
        (b->fresh && r->days == 0))
      continue; /* a later row of the pair wins; nothing to clear */
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(r->pair >> 32));
    sqlite3_bind_int64(st, 2, (sqlite3_int64)(r->pair & 0xffffffffu));
    sqlite3_bind_int64(st, 3, r->days);
    rc = nr_step_done(db, st, "save tie cadence");
  }
  sqlite3_finalize(st);
  b->ncadence = 0;
  return rc;
}

/* Into an empty table: the rows first, then the index on b in one
 * sorted pass (the DDL is part of the import's transaction). SQLite's
 * sorter sorts runs as large as the page cache and merges them: with the
 * import's 1 GiB cache one run of 10M entries took 26 s (its merge sort
 * walks memory at random), runs of 16 MiB 11 s; since, with two threads
 * sorting, runs of 2 MiB took 3.8-3.9 s, 4 MiB 4.0-4.2 s, 16 MiB 4.3-5.1
 * s and 64 MiB 6.8-7.6 s (10M ties, paired runs). */
static int insert_fresh_indexed(netref_db *db, struct nr_tie_batch *b) {
  int rc = nr_exec(db, "DROP INDEX IF EXISTS tie_by_b");
  if (rc == NETREF_OK)
    rc = insert_fresh(db, b);
  if (rc == NETREF_OK)
    rc = nr_exec(db, "PRAGMA cache_size=-2048");
  /* A second thread sorts runs while the first merges (SQLite's
   * multi-threaded sorter; none where SQLite was built without threads):
   * 7.3 s -> about 6 s for 10M ties on two cores. */
  if (rc == NETREF_OK)
    rc = nr_exec(db, "PRAGMA threads=2");
  if (rc == NETREF_OK)
    rc = nr_exec(db, "CREATE INDEX tie_by_b ON tie(b)");
  int restored = nr_exec(db, "PRAGMA threads=0");
  if (restored == NETREF_OK)
    restored = nr_exec(db, "PRAGMA cache_size=" NR_IMPORT_CACHE);
  return rc == NETREF_OK ? restored : rc;
}

int nr_tie_batch_flush(netref_db *db, struct nr_tie_batch *b) {
  if (sort_entries(b))
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  int rc = !b->fresh ? upsert_each(db, b)
           : b->n    ? insert_fresh_indexed(db, b)
                     : NETREF_OK;
  if (rc == NETREF_OK)
    rc = write_cadences(db, b);
  if (b->n)
    nr_changed(db);
  /* After a first flush the table is no longer empty. */
  if (b->n)
    b->fresh = 0;
  b->n = 0;
  b->text_len = 0;
  return rc;
}
