/* Private declarations shared by the files of lib/. Nothing here is part
 * of the ABI; see lib/README.md for which file owns which concern. */
#ifndef NETREF_INTERNAL_H
#define NETREF_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "netref.h"

/* Limits and defaults: the public macros of netref.h are the one source
 * of truth (users and bindings read them); these names are for lib/. */
#define NR_MAX_HOPS NETREF_MAX_HOPS
#define NR_DEFAULT_HOPS NETREF_DEFAULT_HOPS
#define NR_DEFAULT_PATH_HOPS NETREF_DEFAULT_PATH_HOPS
#define NR_MAX_PATH_HOPS NETREF_MAX_PATH_HOPS
#define NR_MAX_ALTERNATIVES NETREF_MAX_ALTERNATIVES
#define NR_DEFAULT_STRENGTH NETREF_DEFAULT_STRENGTH
#define NR_ERRMSG_SIZE 512
/* A day number for "no date recorded". */
#define NR_NO_DATE INT32_MIN

/* Prepared statements cached per handle; each module names its own. */
enum nr_stmt_id {
  NR_STMT_PERSON_ID,
  NR_STMT_PERSON_INSERT,
  NR_STMT_PERSON_UPSERT,
  NR_STMT_PERSON_ATTR_SET,
  NR_STMT_PERSON_ATTR_DEL,
  NR_STMT_TIE_GET_RAW,
  NR_STMT_TIE_UPSERT,
  NR_STMT_TIE_INSERT,
  NR_STMT_TIE_INSERT_MANY,
  NR_STMT_OFFER_UPSERT,
  NR_STMT_NEED_UPSERT,
  NR_STMT_OFFER_ADD,
  NR_STMT_NEED_ADD,
  /* groups (groups.c) */
  NR_STMT_GROUP_ID,
  NR_STMT_GROUP_INSERT,
  NR_STMT_GROUP_JOIN,
  NR_STMT_DATA_VERSION,
  NR_STMT_STATE_BUMP,
  NR_STMT_COUNT
};

struct nr_index;
struct nr_query_ctx;
struct nr_taxonomy;

struct netref_db {
  sqlite3 *sql;
  int readonly;
  int memory;       /* ":memory:": no file, no journal mode to set */
  int busy_timeout; /* ms, as set by netref_set_busy_timeout */
  /* PRAGMA data_version when db->generation last caught up with other
   * connections' commits (nr_sync). */
  int64_t data_version;
  int data_version_set;
  /* Cancellation: `run` is odd while a query or import runs on the
   * handle (nr_run_begin/nr_run_end) and counts the runs; netref_interrupt
   * stores the running value in `stop`. A request thus targets the run
   * it saw and never a later one, and both are lock-free atomics, so
   * netref_interrupt is safe from another thread or a signal handler. */
  atomic_uint run, stop;
  int schema_version; /* of the open file (older files open read-only) */
  int in_import;      /* inside an all-or-nothing import: no own transactions */
  /* The change counter (netref_state, snapshot.c): whether the file has
   * it, whether the open write transaction has counted itself, and
   * whether a transaction that changes no row may commit uncounted. */
  int has_state, bumped, uncounted_ok;
  int snapshots; /* NR_SNAPSHOT_* (snapshot.h), from NETREF_SNAPSHOT */
  sqlite3_stmt *stmts[NR_STMT_COUNT];
  /* Bumped by every change; the index is rebuilt when it lags behind. */
  uint64_t generation;
  struct nr_index *index;
  uint64_t index_builds; /* indexes built, so the query context knows */
  /* The queries' scratch space (query_ctx.h), sized for the index. */
  struct nr_query_ctx *query;
  /* The tag relations, loaded on first use, dropped when they change. */
  struct nr_taxonomy *taxonomy;
  char errmsg[NR_ERRMSG_SIZE];
  /* A message too long for errmsg (an import's list of problems), owned;
   * netref_errmsg returns it while set, nr_fail drops it. */
  char *errmsg_long;
};

/* cancellation (store.c) */
/* The start and the end of a query or import, the calls netref_interrupt
 * can stop (db may be NULL: nothing to do). nr_run_end returns rc. */
void nr_run_begin(netref_db *db);
int nr_run_end(netref_db *db, int rc);
/* Whether netref_interrupt() asked the running call to stop. */
static inline int nr_interrupted(const netref_db *db) {
  unsigned run = atomic_load(&((netref_db *)db)->run);
  return (run & 1) && atomic_load(&((netref_db *)db)->stop) == run;
}
/* Record the failure of an internal step that reports a bare code
 * (NETREF_ENOMEM or NETREF_ECANCELED) on the handle; returns it. Any
 * other code passes through: its message was recorded where it arose. */
int nr_fail_step(netref_db *db, int code);

/* errors (error.c) */
/* Record a message on the handle (or the thread when db is NULL) and
 * return code, so callers write `return nr_fail(db, NETREF_EINVAL, ...)`. */
int nr_fail(netref_db *db, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record a message of any length on the handle, taking ownership of the
 * malloc'd text, and return code. */
int nr_fail_owned(netref_db *db, int code, char *text);
/* Map an SQLite failure to a netref code, with `what` as context. */
int nr_fail_sql(netref_db *db, int sqlite_rc, const char *what);
int nr_code_from_sqlite(int sqlite_rc);

/* store (store.c) */
int nr_stmt(netref_db *db, enum nr_stmt_id id, const char *sql,
            sqlite3_stmt **out);
/* Prepare an uncached statement. */
int nr_prepare(netref_db *db, const char *sql, sqlite3_stmt **out);
int nr_exec(netref_db *db, const char *sql);
/* Transactions that nest inside an import: inside one they do nothing.
 * nr_begin counts the write transaction in netref_state (store.c). */
int nr_begin(netref_db *db);
int nr_commit(netref_db *db);
void nr_rollback(netref_db *db);
/* A write outside any transaction gets one of its own (nr_begin), so
 * that it is counted: *own says whether nr_write_begin began one, and
 * nr_write_end commits it when rc is NETREF_OK, else rolls it back, and
 * returns rc or the commit's failure. Inside a transaction both do
 * nothing. */
int nr_write_begin(netref_db *db, int *own);
int nr_write_end(netref_db *db, int own, int rc);
/* Fail with NETREF_EREADONLY on a read-only handle. */
int nr_check_writable(netref_db *db);
/* NETREF_EVERSION when the open file's schema predates `version`, which
 * `feature` needs (a read-only handle on an older file). */
int nr_check_schema(netref_db *db, int version, const char *feature);
/* Check the handle of a function that changes data: non-NULL, writable. */
int nr_check_change(netref_db *db);
/* The start of a function of a feature that came with a schema version:
 * a handle that is non-NULL (and writable when `change`), on a file
 * that has the feature (nr_check_schema). */
int nr_check_feature(netref_db *db, int change, int version,
                     const char *feature);
void nr_changed(netref_db *db);
/* Catch up with changes other connections (handles, processes) have
 * committed since the last call: when there are any, the index is marked
 * for a rebuild and the taxonomy dropped. One cached PRAGMA data_version
 * step, so it is cheap enough to run before every query. */
int nr_sync(netref_db *db);
/* Start a read transaction (unless one is open: *own says whether this
 * call started one) and catch up as nr_sync does, so that what follows
 * reads one snapshot that db->generation describes. */
int nr_read_begin(netref_db *db, int *own);
/* End what nr_read_begin started. */
void nr_read_end(netref_db *db, int own);
/* Look up a row id by key with a cached statement selecting one id for
 * ?1: *found says whether a row came (then *id is set); SQLite failures
 * are recorded, `what` naming the lookup. */
int nr_find_id(netref_db *db, enum nr_stmt_id stmt, const char *sql,
               const char *key, sqlite3_int64 *id, int *found,
               const char *what);
/* Remove a record and what hangs on it, in one transaction: find its
 * row id by key with lookup, then run each of the n statements with ?1
 * bound to it, in order. `what` names the change in SQLite errors. */
int nr_remove_by_key(netref_db *db, const char *key,
                     int (*lookup)(netref_db *, const char *, sqlite3_int64 *),
                     const char *const *deletes, size_t n, const char *what);
/* After a removal has committed, leave no bytes of the removed rows in
 * the file or its WAL: VACUUM, then a TRUNCATE checkpoint (store.c says
 * why both). Nothing to do for ":memory:". NETREF_EBUSY when other
 * connections keep the checkpoint from finishing within the busy
 * timeout; the message names `what` and says where traces remain. */
int nr_scrub(netref_db *db, const char *what);
/* Step a statement that returns no row; reset it whatever happens. */
int nr_step_done(netref_db *db, sqlite3_stmt *st, const char *what);

/* people (people.c) */
/* Look up a person's row id; *found says whether the key is known (no
 * message when not: for imports, which write their own). */
int nr_person_probe(netref_db *db, const char *key, sqlite3_int64 *id,
                    int *found);
/* Look up a person's row id; NETREF_ENOTFOUND names the key. */
int nr_person_id(netref_db *db, const char *key, sqlite3_int64 *id);
/* nr_person_id after checking that key is a valid key string. */
int nr_person_lookup(netref_db *db, const char *key, sqlite3_int64 *id);
/* Insert or update a person by key; name NULL keeps it (or uses the key
 * for a new person). */
int nr_person_upsert(netref_db *db, const char *key, const char *name,
                     sqlite3_int64 *id);
int nr_person_attr_write(netref_db *db, sqlite3_int64 id, const char *attr,
                         const char *value);

/* finding people (person_find.c) */
/* Fail with NETREF_ENOTFOUND "no person 'KEY'", adding what is odd about
 * the key (an unseen character explains a miss) and the closest known
 * keys, "did you mean 'ana' (Ana Lima)?". Every unknown-person message
 * of the library comes from here. */
int nr_person_unknown(netref_db *db, const char *key);
/* The known people closest to an unknown key, by edit distance between
 * the folded key and each one's folded key and name, as "'a' (Name), 'b'
 * or 'c'" into buf (names shown when `names`); "" when none is close or
 * the network is larger than the suggestions look through. */
int nr_person_suggest(netref_db *db, const char *key, int names, char *buf,
                      size_t size);

/* ties, offers, needs (ties.c, holdings.c) */
/* The strength that keeps a tie's (or a need's weight that keeps the
 * stored one) in the writes below: never a valid strength. */
#define NR_KEEP (-1.0)
/* From this schema version on, each tie is one row (a, b) with a < b
 * plus the index tie_by_b; before it (files a read-only handle reads as
 * they are) each tie was two rows, (a, b) and (b, a). A row for the pair
 * {x, y} is found as (min, max) in both layouts; a person's ties differ
 * (nr_ties_of). */
#define NR_TIE_ONCE_SCHEMA 6
/* Since the same version a tie's last contact is stored as its day
 * number (an integer, days since 1970-01-01: 2 or 3 bytes instead of 10)
 * in a column without affinity; older files, and dates that were not
 * valid when the file was upgraded, hold text. This SQL expression gives
 * the text "YYYY-MM-DD" of either, for reading; nr_column_day() the day
 * number. */
#define NR_DAY_TEXT(col)                                                       \
  "iif(typeof(" col ") = 'integer', date(2440587.5 + " col "), " col ")"
/* The day number of a last-contact column (either form), or NR_NO_DATE
 * when it is NULL or not a valid date. */
int32_t nr_column_day(sqlite3_stmt *st, int col);
static inline int nr_tie_once(const netref_db *db) {
  return db->schema_version >= NR_TIE_ONCE_SCHEMA;
}
/* A subquery (for FROM) of the ties of person ?1 in the file's layout:
 * columns other (the other person's row id), strength, last_contact,
 * context and cadence (NULL before schema version 3). */
const char *nr_ties_of(netref_db *db);
/* strength NR_KEEP keeps; text NULL keeps, "" clears; cadence -1 keeps,
 * 0 clears. Dates checked. One transaction. */
int nr_tie_write(netref_db *db, sqlite3_int64 a, sqlite3_int64 b,
                 double strength, const char *last_contact, const char *context,
                 long long cadence);
/* The same inside the caller's transaction, dates unchecked; the pair
 * in either order. */
int nr_tie_write_one(netref_db *db, sqlite3_int64 a, sqlite3_int64 b,
                     double strength, const char *last_contact,
                     const char *context, long long cadence);
/* Resolve the two people of a tie or contact, who must be two different
 * people. */
int nr_two_people(netref_db *db, const char *a, const char *b,
                  sqlite3_int64 *ia, sqlite3_int64 *ib);
/* Create or warm the tie (a, b) after an introduction or a contact on
 * `date` (valid YYYY-MM-DD): a new tie gets NR_DEFAULT_STRENGTH, `date`
 * as its last contact and `context` (NULL: none); an existing one keeps
 * its context, its strength is raised to min_strength when below it,
 * and its last contact moves forward to `date` when older (or missing
 * or unparsable). Both orientations, inside the caller's transaction;
 * *touched says whether it wrote, for nr_index_note_tie() after the
 * commit. */
int nr_tie_warm(netref_db *db, sqlite3_int64 a, sqlite3_int64 b,
                const char *date, double min_strength, const char *context,
                int *touched);
/* The checks of the keeping-in-touch functions (contacts.c, reconnect.c):
 * a handle (writable when `change`) on a file at schema version 3. */
int nr_contact_ready(netref_db *db, int change);
int nr_offer_write(netref_db *db, sqlite3_int64 person, const char *tag,
                   const char *note);
/* weight NR_KEEP keeps the stored weight (1 for a new need). */
int nr_need_write(netref_db *db, sqlite3_int64 person, const char *tag,
                  double weight);

/* taxonomy (tag_relations.c) */
/* Store a relation between two normalized tags (relation a
 * NETREF_RELATION_* value), refusing cycles; the message says why. */
int nr_tag_relate_write(netref_db *db, const char *tag, int relation,
                        const char *other);

/* groups (groups.c) */
/* Look up a group's row id; NETREF_ENOTFOUND names the key. */
int nr_group_id(netref_db *db, const char *key, sqlite3_int64 *id);
/* The group's row id, creating the group (name = key) when unknown; a
 * new key must pass nr_check_key. */
int nr_group_ensure(netref_db *db, const char *key, sqlite3_int64 *id);
/* Rename a group (name: non-empty UTF-8, checked). */
int nr_group_name_write(netref_db *db, sqlite3_int64 id, const char *name);
/* Make a person a member of a group; already a member is fine. */
int nr_group_member_write(netref_db *db, sqlite3_int64 group,
                          sqlite3_int64 person);
/* The person row ids of a group's members in ascending order, in a new
 * malloc'd array (*ids NULL when *n is 0; free it). NETREF_ENOTFOUND
 * naming the group when unknown, NETREF_EINVAL for a NULL or invalid
 * key, NETREF_EVERSION on a read-only handle on a file older than schema
 * version 4. For the group filter of the tag queries and matches. */
int nr_group_people(netref_db *db, const char *group, sqlite3_int64 **ids,
                    size_t *n);

/* arrays (grow.c) */
/* Make *(T **)ptr hold at least `need` elements of `elem` bytes, doubling
 * *cap; 0 on success, -1 (array unchanged) when out of memory. */
int nr_grow(void *ptr, size_t *cap, size_t need, size_t elem);
/* nr_grow for a large array an import writes through (its buffered
 * ties): backed by huge pages where the kernel grants them. Not for an
 * array touched here and there (a query's scratch of one slot a person:
 * a huge page costs 2 MiB of zeroing on its first touch, a small one
 * 4 KiB), nor for the index's rows (measured: providers k=1 at 1M took
 * 0.021 ms a query instead of 0.012 with them on huge pages). */
int nr_grow_huge(void *ptr, size_t *cap, size_t need, size_t elem);
/* nr_grow_huge to exactly n elements when *cap is smaller: room for as
 * many as a caller expects, so that filling it copies nothing. */
int nr_reserve_huge(void *ptr, size_t *cap, size_t n, size_t elem);
/* Ask the kernel to back the whole 2 MiB pages inside a large array
 * (of at least a few MiB) with huge pages (hugepages.c). Best called
 * before the array is first written. Never fails. */
void nr_advise_huge(void *p, size_t bytes);
/* nr_grow for the three parallel arrays of a row of ties. */
int nr_grow_ties(uint32_t **nbr, double **w, int32_t **day, size_t *cap,
                 size_t need);
/* Sort n elements of `size` bytes by `order`, then keep the first of each
 * run of elements that `same` (a comparison: 0 for equal; NULL: order
 * itself) finds equal, so that `order` decides which one is kept.
 * Returns how many are kept, at the front. */
size_t nr_sort_unique(void *base, size_t n, size_t size,
                      int (*order)(const void *, const void *),
                      int (*same)(const void *, const void *));

/* text (text.c) */
/* 1 when s is valid UTF-8 without NUL bytes. */
int nr_utf8_valid(const char *s, size_t len);
/* Check an input string: non-NULL, valid UTF-8, non-empty unless allowed. */
int nr_check_text(netref_db *db, const char *what, const char *s,
                  int allow_empty);
/* Check a key that is to name a new person or group (nr_check_text,
 * then nr_key_problem); the message is "<what> <problem>". */
int nr_check_key(netref_db *db, const char *what, const char *key);
/* What is wrong with a key as a name for a new record, written to buf
 * ("contains a control character (U+0009)"): a control character, a
 * default-ignorable (invisible) code point, a line or paragraph
 * separator, white space at either end, nothing but white space. 0 when
 * nothing is. */
int nr_key_problem(const char *key, char *buf, size_t size);
/* Fail with NETREF_ENOTFOUND "no <noun> '<key>'", adding the key's
 * problem when it has one (an unseen zero-width space explains a miss). */
int nr_fail_unknown_key(netref_db *db, const char *noun, const char *key);
/* Fold text for comparing as people read it, into a new malloc'd string:
 * compatibility decomposition (NFKD), marks stripped ("é" is "e"), case
 * folded, invisible (default-ignorable) characters removed, and look-alike
 * punctuation lumped (utf8proc's LUMP: the typographic apostrophe is
 * "'", dashes are "-"). ASCII text is only lower-cased, without utf8proc.
 * NETREF_EINVAL for invalid UTF-8, NETREF_ENOMEM. */
int nr_text_fold(netref_db *db, const char *s, char **out);
/* Normalize a tag into a new malloc'd string (error on db or thread). */
int nr_tag_normalize(netref_db *db, const char *tag, char **out);
/* Parse "YYYY-MM-DD" into days since 1970-01-01; 0 on success, -1 if bad. */
int nr_parse_date(const char *s, int32_t *days);
/* Write a day number as "YYYY-MM-DD" (years 1 to 9999). */
void nr_format_date(int32_t days, char buf[11]);
int32_t nr_today(void);
int nr_strength_valid(double s);
/* Locale-independent numbers: parse a whole string as a finite number
 * (0 on success, -1 if bad); print the shortest text that reads back as
 * the same double. */
#define NR_REAL_TEXT 40
int nr_parse_real(const char *s, double *out);
void nr_format_real(double v, char buf[NR_REAL_TEXT]);

/* rows (rows.c) */
/* Run a statement to completion into a new table; resets the statement. */
int nr_rows_from_stmt(netref_db *db, sqlite3_stmt *st, netref_rows **out);
/* Check the handle and the out-parameter of a listing function. */
int nr_check_out(netref_db *db, void *out);
/* Run sql with ?1 bound to id (when the statement names ?1) and ?2 to
 * text (when not NULL) into a new table. */
int nr_list(netref_db *db, const char *sql, sqlite3_int64 id, const char *text,
            netref_rows **out);
/* A one-row table of text cells (a NULL text is an empty cell). */
int nr_rows_single(netref_db *db, size_t ncols, const char *const *names,
                   const char *const *texts, netref_rows **out);
/* tables built row by row (rows.c; ask-first and matches) */
/* An empty table with these column names; NETREF_ENOMEM (no message). */
int nr_rows_new(size_t ncols, const char *const *names, netref_rows **out);
/* Append a row: cell i is texts[i] when not NULL, else the number
 * reals[i], or empty when that is NaN. NETREF_ENOMEM (no message). */
int nr_rows_append(netref_rows *r, const char *const *texts,
                   const double *reals);

/* fields of a write (fields.c) */
#define NR_FIELD_LAST NETREF_FIELD_WEIGHT
#define NR_FIELD_BIT(field) (1u << (field))
enum { NR_FIELD_ABSENT, NR_FIELD_SET, NR_FIELD_CLEARED };
struct netref_fields {
  unsigned char state[NR_FIELD_LAST + 1]; /* NR_FIELD_ABSENT, ... */
  char *text[NR_FIELD_LAST + 1];          /* owned, when set */
  double real[NR_FIELD_LAST + 1];
  long long integer[NR_FIELD_LAST + 1];
};
/* Refuse (naming `write`, e.g. "netref_tie_set") a field given that is
 * not in the bit set `takes`, or cleared and not in `clears`. NULL
 * fields give none. */
int nr_fields_accept(netref_db *db, const netref_fields *f, const char *write,
                     unsigned takes, unsigned clears);
int nr_fields_state(const netref_fields *f, int field);
/* A text field as the store's writes take it: NULL when absent (keep),
 * "" when cleared, else the value. */
const char *nr_fields_text(const netref_fields *f, int field);
/* A number field's value, or `absent` when it is not set. */
double nr_fields_real(const netref_fields *f, int field, double absent);
long long nr_fields_int(const netref_fields *f, int field, long long absent);
/* A date field as "YYYY-MM-DD" (its canonical form), or today's date
 * (local time) when it is absent or cleared. */
void nr_fields_date(const netref_fields *f, int field, char day[11]);

/* options (options.c) */
struct netref_options {
  int hops;
  int max_hops;     /* of netref_path; 0: no limit */
  int alternatives; /* netref_path's paths besides the best */
  int limit;        /* 0: all rows */
  double half_life; /* days; 0: no decay */
  int today_set;
  int32_t today; /* day number, when today_set */
  int exact;     /* tag queries match the tag alone */
  char *group;   /* keep results to this group's members; owned */
};
/* The defaults, for a NULL options pointer. */
void nr_options_default(struct netref_options *o);
/* Copy the caller's options, or the defaults for NULL. */
void nr_options_get(const netref_options *opts, struct netref_options *out);

/* index (index.c) */
/* Make db->index current, rebuilding it when the data changed. */
int nr_index_ready(netref_db *db);
void nr_index_free(struct nr_index *ix);
/* After a committed change of the tie (a, b) or of an offer or need of
 * a tag: patch the index, or mark it for a rebuild (index_patch.c). */
void nr_index_note_tie(netref_db *db, sqlite3_int64 a, sqlite3_int64 b);
void nr_index_note_holding(netref_db *db, const char *tag);

#endif
