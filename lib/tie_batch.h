/* Tie rows of a bulk import, buffered and written in primary-key order:
 * SQLite appends sorted rows to its B-tree instead of seeking for each. */
#ifndef NETREF_TIE_BATCH_H
#define NETREF_TIE_BATCH_H

#include "internal.h"

/* SQLite's page cache during an import (PRAGMA cache_size, KiB when
 * negative): an import into a non-empty network touches pages all over
 * the tie table. */
#define NR_IMPORT_CACHE "-1048576"

struct nr_tie_batch;

/* A batch for db's current transaction; NULL when out of memory. */
struct nr_tie_batch *nr_tie_batch_new(netref_db *db);
void nr_tie_batch_free(struct nr_tie_batch *b);
/* A last contact that a row leaves as it is (no last_contact column). */
#define NR_DAY_KEEP (NR_NO_DATE + 1)

/* Buffer one tie (as nr_tie_write takes it, but the last contact as a
 * day number: NR_NO_DATE clears, NR_DAY_KEEP keeps; the context is
 * copied; cadence -1 keeps, 0 clears). Later rows for the same pair win.
 * Flushes by itself when the buffer is full. Returns NETREF_OK or an
 * error recorded on db. */
int nr_tie_batch_add(netref_db *db, struct nr_tie_batch *b, sqlite3_int64 a,
                     sqlite3_int64 c, double strength, int32_t day,
                     const char *context, long long cadence);
/* A batch that is never written itself, for rows read on another thread
 * (import.c reads a large ties file in two halves); it touches no
 * handle. NULL when out of memory. */
struct nr_tie_batch *nr_tie_batch_part(void);
/* Buffer one tie as nr_tie_batch_add does, without a handle: 0 when
 * buffered, -1 when out of memory, 1 when the row needs what only
 * nr_tie_batch_add does (a flush first: the batch is full; or a row id
 * beyond 32 bits, written at once). */
int nr_tie_batch_put(struct nr_tie_batch *b, sqlite3_int64 a, sqlite3_int64 c,
                     double strength, int32_t day, const char *context,
                     long long cadence);
/* Make room for n more rows (up to what one batch holds) at once, so
 * that buffering them copies nothing; 0, or -1 when out of memory (the
 * batch is unchanged and grows as rows come). */
int nr_tie_batch_reserve(struct nr_tie_batch *b, size_t n);
/* Append the rows of `part` after those of b, as if added to b in their
 * order (flushing b first when both do not fit). `part` is left as it
 * was. Returns NETREF_OK or an error recorded on db. */
int nr_tie_batch_take(netref_db *db, struct nr_tie_batch *b,
                      struct nr_tie_batch *part);
/* Write everything buffered, one row per tie, in key order. */
int nr_tie_batch_flush(netref_db *db, struct nr_tie_batch *b);

#endif
