/**
 * @file netref.h
 * @brief netref: a referral network library (people, ties, offers, needs)
 *        and the questions people ask when they network.
 *
 * The definitions the queries share (reach, the best path and its
 * introducer, tag matching, the tie-breaks) are stated in the "Queries"
 * group below; docs/semantics.md gathers them with a summary of every
 * question in one page.
 *
 * Conventions:
 * - Every fallible function returns `int`: #NETREF_OK (0) or a negative
 *   `NETREF_E*` code. Outputs go through out-parameters, which come last.
 * - Handles are opaque; rows of a result are read with accessors by index.
 * - Strings in are UTF-8 and copied if kept. Strings out are owned by the
 *   object they came from and stay valid until that object is freed.
 * - Every `*_free` function accepts NULL.
 * - NULL arguments and out-of-range values give #NETREF_EINVAL.
 * - Accessors that cannot fail with a code (netref_rows_text(),
 *   netref_result_hops(), ...) answer a NULL object or an index out of
 *   range with the "no value" of their type: NULL for text, NaN for a
 *   real number, -1 for an int, 0 for a count or length.
 * - Verbs: `add` creates and fails with #NETREF_EEXISTS when the thing
 *   exists (a person, an offer, a need, a group); `set` creates or
 *   updates (a tie, an offer, a need) or updates (a name, an
 *   attribute); `remove` deletes and fails with #NETREF_ENOTFOUND when
 *   there is nothing to delete. `join`, `relate` and `log` say what they
 *   do; joining or relating twice changes nothing.
 * - A write with optional fields takes them in one #netref_fields object
 *   (see "Fields of a write"), so that a write can gain a field without
 *   a new function.
 * - The columns of a table (#netref_rows) are only ever appended to in
 *   later releases: find them by name (netref_rows_column_index()).
 * - The library never aborts, prints or exits. The message of the most
 *   recent failure on a handle is netref_errmsg(db); failures of calls
 *   without a handle (netref_open(), netref_options_new(), ...) leave
 *   their message in a per-thread slot read with netref_errmsg(NULL).
 *   The message is valid after a failure only: success does not clear
 *   it.
 * - Any call on a handle may return #NETREF_EBUSY, #NETREF_ENOMEM or
 *   #NETREF_EIO besides the codes it lists (see netref_errmsg()).
 * - One handle is used by one thread at a time; separate handles are
 *   independent and may be used from different threads concurrently.
 */
#ifndef NETREF_H
#define NETREF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @cond NETREF_INTERNAL */
#if defined(NETREF_BUILDING) && defined(__GNUC__)
#define NETREF_EXTERN __attribute__((visibility("default")))
#else
#define NETREF_EXTERN
#endif
/** @endcond */

/** @name Version
 * The release version of this header. The shared library's SONAME major
 * version (libnetref.so.1) is separate and changes only when the ABI breaks.
 * @{ */
/** Major release version of this header. */
#define NETREF_VERSION_MAJOR 0
/** Minor release version of this header. */
#define NETREF_VERSION_MINOR 1
/** Patch release version of this header. */
#define NETREF_VERSION_PATCH 0
/** Release version of this header as a string. */
#define NETREF_VERSION "0.1.0"
/** Release version as one number: major * 1000000 + minor * 1000 + patch. */
#define NETREF_VERSION_NUMBER 1000
/** @} */

/** @name Error codes
 * Every fallible function returns #NETREF_OK or one of these.
 * @{ */
/** Success. */
#define NETREF_OK 0
/** Generic failure (an unexpected storage or graph library error). */
#define NETREF_ERROR (-1)
/** An argument is NULL, malformed or out of range. */
#define NETREF_EINVAL (-2)
/** Memory allocation failed. */
#define NETREF_ENOMEM (-3)
/** A person, tie, offer, need or database file does not exist. */
#define NETREF_ENOTFOUND (-4)
/** The thing to add exists already (e.g. a person key). */
#define NETREF_EEXISTS (-5)
/** The file is not a netref database (not SQLite, or another program's). */
#define NETREF_ENOTDB (-6)
/** The database file is damaged or truncated. */
#define NETREF_ECORRUPT (-7)
/** The database was written by a newer netref with a newer schema. */
#define NETREF_EVERSION (-8)
/** A file could not be opened, read or written. */
#define NETREF_EIO (-9)
/** An import file holds bad data; the message names file, line and problem. */
#define NETREF_EPARSE (-10)
/** The database is locked by another connection. */
#define NETREF_EBUSY (-11)
/** A change was attempted on a handle opened read-only. */
#define NETREF_EREADONLY (-12)
/** The query is too large to answer within seconds: netref_ask_first(),
 *  netref_matches() or netref_connectors() past its bound
 *  (#NETREF_ASK_FIRST_MAX_REACHED, #NETREF_MATCHES_MAX_PAIRS,
 *  #NETREF_MATCHES_MAX_ROWS, #NETREF_CONNECTORS_MAX_COST); the message
 *  says how large and the bound. */
#define NETREF_ELIMIT (-13)
/** The work was stopped on request: an import's progress callback
 *  returned non-zero, or netref_interrupt() was called during a query or
 *  import. Nothing was changed. */
#define NETREF_ECANCELED (-14)
/** @} */

/** @name Open flags for netref_open_with()
 * @{ */
/** Create the database file (and its schema) when it does not exist. */
#define NETREF_OPEN_CREATE 1
/** Open read-only: every change fails with #NETREF_EREADONLY. */
#define NETREF_OPEN_READONLY 2
/** @} */

/** The busy timeout of a new handle, in milliseconds: how long a write
 *  waits for another program's write to finish before failing with
 *  #NETREF_EBUSY (netref_set_busy_timeout()). Reads never wait for
 *  writes. */
#define NETREF_DEFAULT_BUSY_TIMEOUT 5000

/** @name Limits and defaults
 * The ranges the option setters accept and the values of options not
 * set (NULL options mean every default). Programs and bindings should
 * use these rather than repeat the numbers. The bounds past which a
 * query is refused with #NETREF_ELIMIT are #NETREF_ASK_FIRST_MAX_REACHED,
 * #NETREF_MATCHES_MAX_PAIRS, #NETREF_MATCHES_MAX_ROWS and
 * #NETREF_CONNECTORS_MAX_COST, next to their queries.
 * @{ */
/** The largest hop limit k of the reach queries (netref_prospects(),
 *  netref_providers(), netref_ask_first(), netref_matches(),
 *  netref_connectors(), netref_reconnect()): netref_options_set_hops()
 *  accepts 1 to this ("six degrees"; the people within k hops, and
 *  so the cost, grow about exponentially with k). */
#define NETREF_MAX_HOPS 6
/** The hop limit k when none is set. */
#define NETREF_DEFAULT_HOPS 2
/** The largest hop limit of netref_path(): netref_options_set_max_hops()
 *  accepts #NETREF_NO_LIMIT (0) or 1 to this. */
#define NETREF_MAX_PATH_HOPS 32
/** The hop limit of netref_path() when none is set: longer chains of
 *  introductions are rarely useful. */
#define NETREF_DEFAULT_PATH_HOPS 6
/** The most alternatives netref_path() gives besides the best path:
 *  netref_options_set_alternatives() accepts 0 (the default) to this. */
#define NETREF_MAX_ALTERNATIVES 20
/** No limit: as a result limit (netref_options_set_limit(), the default)
 *  every row is kept; as netref_path()'s hop limit
 *  (netref_options_set_max_hops()) paths of any length count. A positive
 *  result limit keeps that many first rows. */
#define NETREF_NO_LIMIT 0
/** The strength of a tie created without one: netref_tie_set() with
 *  no #NETREF_FIELD_STRENGTH, a ties.csv row without a strength, and the
 *  ties that netref_contact_log() and an introduction with
 *  #NETREF_FIELD_WARM_TIE create (the introduction also raises an
 *  existing weaker tie to it). Strengths are in (0, 1]. */
#define NETREF_DEFAULT_STRENGTH 0.5
/** @} */

/** @name Roles for netref_tag_people()
 * @{ */
/** People who offer the tag. */
#define NETREF_ROLE_OFFERS 1
/** People who might need the tag. */
#define NETREF_ROLE_NEEDS 2
/** People who offer or need the tag. */
#define NETREF_ROLE_ANY 3
/** @} */

/** @name CSV file kinds for netref_import_set_file()
 * @{ */
/** `people.csv`: `key,name[,attribute columns...]`. */
#define NETREF_CSV_PEOPLE 0
/** `ties.csv`: `a,b[,strength][,last_contact][,context][,cadence]`. */
#define NETREF_CSV_TIES 1
/** `offers.csv`: `person,tag[,note]`. */
#define NETREF_CSV_OFFERS 2
/** `needs.csv`: `person,tag[,weight]`. */
#define NETREF_CSV_NEEDS 3
/** `taxonomy.csv`: `tag,relation,other`, relation `alias` or `broader`. */
#define NETREF_CSV_TAXONOMY 4
/** `groups.csv`: `group,person[,group_name]`; a group not yet known is
 *  created. */
#define NETREF_CSV_GROUPS 5
/** @} */

/** @name Contact file kinds for netref_import_set_file()
 * Files exported by other programs, each row or card a person tied to
 * the import's owner (see "Importing contacts").
 * @{ */
/** LinkedIn's `Connections.csv` ("Download your data"): a preamble of
 *  notes, then `First Name,Last Name,URL,Email Address,Company,Position,
 *  Connected On`. */
#define NETREF_IMPORT_LINKEDIN 6
/** A vCard file (`.vcf`) of versions 2.1, 3.0 or 4.0, one or more cards,
 *  as phones and mail programs export their address books. */
#define NETREF_IMPORT_VCARD 7
/** @} */

/** @name Outcomes for netref_import_people_count()
 * @{ */
/** People created by the import. */
#define NETREF_PEOPLE_NEW 1
/** People who existed and whose attributes, groups or tie to the owner
 *  the import changed. */
#define NETREF_PEOPLE_UPDATED 2
/** People who existed and whom the import left as they were. */
#define NETREF_PEOPLE_UNCHANGED 3
/** @} */

/** @name Tag relations for netref_tag_relate()
 * @{ */
/** The two tags name the same thing ("party planner", "party planning");
 * the relation is symmetric. */
#define NETREF_RELATION_ALIAS 1
/** The other tag is the broader term: `tag` is narrower ("kids birthday
 * party" is narrower than "party planning"). */
#define NETREF_RELATION_BROADER 2
/** @} */

/** An open referral network, backed by one SQLite database file. */
typedef struct netref_db netref_db;
/** Query options (hop limit, result limit, recency half-life, date). */
typedef struct netref_options netref_options;
/** The ranked rows answering a query such as netref_prospects(). */
typedef struct netref_result netref_result;
/** A small table of listed records (people, ties, offers, needs). */
typedef struct netref_rows netref_rows;
/** A CSV import job: which files, options, progress callback. */
typedef struct netref_import netref_import;
/** The optional fields of one write (a tie's strength, an introduction's
 *  date, ...): see "Fields of a write". */
typedef struct netref_fields netref_fields;
/** An export job: format, whole network or one person's k-hop network,
 *  progress callback; see "Export". */
typedef struct netref_export netref_export;

/** @name Version and errors
 * @{ */

/**
 * Runtime release version of the library, e.g. "0.1.0".
 * @return a static string; never NULL.
 */
NETREF_EXTERN const char *netref_version(void);

/**
 * Runtime release version as one number (see #NETREF_VERSION_NUMBER).
 * @return the version number of the loaded library.
 */
NETREF_EXTERN int netref_version_number(void);

/**
 * Short English description of an error code.
 * @param code a value returned by a netref function.
 * @return a static string; never NULL ("unknown error" for unknown codes).
 */
NETREF_EXTERN const char *netref_strerror(int code);

/**
 * Message describing the most recent failure.
 *
 * Read it only right after a call failed, as with sqlite3_errmsg(): a
 * successful call does not clear it, so after a success it may still
 * describe an earlier failure. The message is English for people, not a
 * stable interface: programs branch on the returned code.
 *
 * Besides the codes each function lists, any call on a handle may fail
 * with #NETREF_EBUSY (another program holds the write lock longer than
 * the busy timeout, netref_set_busy_timeout()), #NETREF_ENOMEM and
 * #NETREF_EIO (the file system failed); a call that reads or writes the
 * file may also give #NETREF_ECORRUPT for a damaged file, and
 * #NETREF_ERROR stands for an unexpected storage or igraph failure, the
 * message naming it.
 * @param db a handle, for the last failed call on it; or NULL, for the
 *        last failed call without a handle on the calling thread (open,
 *        options, import set-up, tag normalization).
 * @return a string owned by the handle (or thread), overwritten by the
 *         next call that fails on it and valid until the handle is
 *         closed (or the thread ends); "" when nothing has failed yet.
 *         Never NULL.
 */
NETREF_EXTERN const char *netref_errmsg(const netref_db *db);

/**
 * Free memory the library handed out with a plain `char *`
 * (netref_tag_normalize()). Accepts NULL.
 * @param ptr the pointer to free.
 */
NETREF_EXTERN void netref_free(void *ptr);

/** @} */

/** @name Opening and closing
 * @{ */

/**
 * Open a network, creating the file and its schema when it is missing
 * or empty. Same as netref_open_with(path, #NETREF_OPEN_CREATE, out).
 *
 * The file: a new file is created readable and writable by its owner
 * alone (0600); SQLite gives the `-wal`, `-shm` and `-journal` files
 * beside it the same mode, so to share a file with a group, `chmod` it
 * once. A read-write handle keeps the file in SQLite's WAL mode, so that
 * readers never wait for a writer: while it is open, `FILE-wal` and
 * `FILE-shm` sit beside it (they belong to it: copy or move all three,
 * or none, while it is in use), and all programs using it must be on the
 * same machine (no network file systems). A file left mid-transaction by
 * a crash is recovered by SQLite before netref checks anything, whether
 * the handle is read-write or read-only (recovery needs write access to
 * the file and its directory). See docs/reliability.md.
 *
 * The index snapshot: after building the in-memory index of a large
 * network, a handle (read-only ones too) writes a copy of it beside the
 * file, `FILE-index`, which the next handle maps instead of reading the
 * network again; it is used only while it matches the file (every write
 * transaction of netref counts itself in the file), checked before use,
 * and removed by netref_person_forget(). Writing it never makes a call
 * fail. `NETREF_SNAPSHOT=0` in the environment at open turns it off.
 * A program that writes the file without netref must delete
 * `FILE-index` or run `UPDATE netref_state SET changes = changes + 1,
 * stamp = random()` in its transaction (docs/reliability.md, section
 * 10).
 * @param path a file name, or ":memory:" for a private in-memory network.
 * @param[out] out receives the handle; NULL on failure.
 * @return #NETREF_OK; #NETREF_ENOTDB when the file is not a netref
 *         database; #NETREF_ECORRUPT when it is damaged or truncated;
 *         #NETREF_EVERSION when it has a newer schema; #NETREF_EIO when it
 *         cannot be opened. A file that fails is left untouched. The
 *         message is in netref_errmsg(NULL).
 */
NETREF_EXTERN int netref_open(const char *path, netref_db **out);

/**
 * Open a network with flags.
 * @param path a file name, or ":memory:".
 * @param flags a combination of #NETREF_OPEN_CREATE and
 *        #NETREF_OPEN_READONLY (which cannot be combined), or 0 to open
 *        an existing database read-write.
 * @param[out] out receives the handle; NULL on failure.
 * @return as netref_open(), plus #NETREF_ENOTFOUND when the file does not
 *         exist and #NETREF_OPEN_CREATE was not given, #NETREF_ENOTDB for
 *         an empty file (or an SQLite file without tables) without
 *         #NETREF_OPEN_CREATE, which is left untouched, and
 *         #NETREF_EINVAL for unknown or contradictory flags. Only
 *         #NETREF_OPEN_CREATE turns a missing or empty file into a
 *         database.
 */
NETREF_EXTERN int netref_open_with(const char *path, int flags,
                                   netref_db **out);

/**
 * Check a database thoroughly: SQLite's page and index structure
 * (`PRAGMA quick_check`), references between records, and netref's own
 * invariants (every tie stored once, as one row with the smaller person
 * first; in files from before schema version 6, which a read-only handle
 * reads as they are, in both orientations). netref_open()
 * checks only what it can cheaply (the header, the size, the schema), so
 * run this after copying a file, or when a query reports
 * #NETREF_ECORRUPT.
 * Cost: reads the whole file, O(size).
 * @param db the handle.
 * @return #NETREF_OK, #NETREF_ECORRUPT naming the first problem found,
 *         #NETREF_EINVAL for NULL, #NETREF_ECANCELED if interrupted.
 */
NETREF_EXTERN int netref_verify(netref_db *db);

/**
 * Set how long a change waits for another handle's or program's change
 * to finish before failing with #NETREF_EBUSY (SQLite's busy timeout).
 * Queries never wait: they read the last committed state.
 * @param db the handle.
 * @param ms milliseconds, 0 to fail at once; new handles have
 *        #NETREF_DEFAULT_BUSY_TIMEOUT.
 * @return #NETREF_OK, or #NETREF_EINVAL for a NULL handle or negative ms.
 */
NETREF_EXTERN int netref_set_busy_timeout(netref_db *db, int ms);

/**
 * Stop the query or import running on a handle, from another thread or
 * from a signal handler (it only reads and stores lock-free atomics). The
 * queries (netref_prospects(), netref_providers(), netref_path(),
 * netref_ask_first(), netref_matches(), netref_connectors(),
 * netref_reconnect()), netref_import_run() and netref_verify() stop at
 * their next check (within milliseconds) and return #NETREF_ECANCELED,
 * having changed nothing; an import rolls back. A request reaches only
 * the call running when it is made: made while no such call runs (during
 * a listing or a change, or between calls), it has no effect, and it
 * never stops a later call.
 * @param db the handle; NULL does nothing. It must stay open until this
 *        returns (do not race it with netref_close()).
 */
NETREF_EXTERN void netref_interrupt(netref_db *db);

/**
 * Close a handle and free everything it owns. Accepts NULL.
 * Results and rows obtained from it stay valid: they own their data.
 * @param db the handle.
 */
NETREF_EXTERN void netref_close(netref_db *db);

/** @} */

/** @name Listed records
 * Listing functions return a #netref_rows table. Each function documents
 * its columns. Numeric cells are readable both as text and as a number.
 * @{ */

/**
 * Number of rows.
 * @param rows the table (NULL gives 0).
 * @return the row count.
 */
NETREF_EXTERN size_t netref_rows_count(const netref_rows *rows);

/**
 * Number of columns.
 * @param rows the table (NULL gives 0).
 * @return the column count.
 */
NETREF_EXTERN size_t netref_rows_columns(const netref_rows *rows);

/**
 * Name of a column.
 * @param rows the table.
 * @param col the column index.
 * @return the name, or NULL when rows is NULL or col is out of range.
 */
NETREF_EXTERN const char *netref_rows_column_name(const netref_rows *rows,
                                                  size_t col);

/**
 * Find a column by name. Columns are only appended in later releases,
 * so a program that finds its columns by name keeps working.
 * @param rows the table.
 * @param name the column name, e.g. "strength".
 * @param[out] col receives the column's index.
 * @return #NETREF_OK, #NETREF_ENOTFOUND when the table has no such
 *         column, #NETREF_EINVAL for a NULL argument (message in
 *         netref_errmsg(NULL)).
 */
NETREF_EXTERN int netref_rows_column_index(const netref_rows *rows,
                                           const char *name, size_t *col);

/**
 * A cell as text.
 * @param rows the table.
 * @param row the row index.
 * @param col the column index.
 * @return the text (numbers in their shortest exact decimal form), or
 *         NULL for an empty cell or an index out of range.
 */
NETREF_EXTERN const char *netref_rows_text(const netref_rows *rows, size_t row,
                                           size_t col);

/**
 * A cell as a number.
 * @param rows the table.
 * @param row the row index.
 * @param col the column index.
 * @return the number, or NaN when the cell is not numeric or an index is
 *         out of range.
 */
NETREF_EXTERN double netref_rows_real(const netref_rows *rows, size_t row,
                                      size_t col);

/**
 * Free a table. Accepts NULL.
 * @param rows the table.
 */
NETREF_EXTERN void netref_rows_free(netref_rows *rows);

/** @} */

/** @name Fields of a write
 * A write that has optional fields takes them in a #netref_fields
 * object: netref_tie_set(), netref_offer_add(), netref_offer_set(),
 * netref_need_add(), netref_need_set(), netref_intro_add(),
 * netref_intro_set_status() and netref_contact_log(). Each field is one
 * of the `NETREF_FIELD_*` numbers below and has one type (text, real
 * number or integer). A field is in one of three states:
 * - not given (the state after netref_fields_new() and
 *   netref_fields_reset()): a new record gets the field's default, an
 *   existing record keeps its value;
 * - set to a value (netref_fields_set_text(), netref_fields_set_real(),
 *   netref_fields_set_int());
 * - cleared (netref_fields_clear()): the record is to have no value.
 *
 * A NULL #netref_fields gives no field. A field that cannot be cleared
 * (a strength, a weight: a record always has one) is refused cleared by
 * every write; otherwise, in a write that always creates a record
 * (netref_intro_add(), netref_contact_log(), the `add` functions) a
 * cleared field is the same as one not given. A write refuses with
 * #NETREF_EINVAL a field it does not take, or a clear it cannot take,
 * and names the field.
 *
 * Why an object with setters, and not a versioned struct with an
 * initializer macro (libgit2's `git_*_options`): bindings (ctypes, cffi)
 * would have to mirror the struct's layout exactly, and a mistake there
 * is silent memory corruption; a field number and a setter are plain
 * integers, doubles and strings to every binding, and a new field is a
 * new number, never a new symbol or a new layout (the same reason as
 * #netref_options and SQLite's opaque objects). Values are checked when
 * they are set (the message is in netref_errmsg(NULL)); what depends on
 * the record (an introduction's status moving forward, say) is checked
 * by the write.
 * @{ */

/** Real in (0, 1]: how warm a tie is (netref_tie_set(); default
 *  #NETREF_DEFAULT_STRENGTH). Cannot be cleared. */
#define NETREF_FIELD_STRENGTH 1
/** Text, a date "YYYY-MM-DD": a tie's last contact (netref_tie_set();
 *  default none). */
#define NETREF_FIELD_LAST_CONTACT 2
/** Text: free words about a tie, such as "met at the Nov evening"
 *  (netref_tie_set(); default none). */
#define NETREF_FIELD_CONTEXT 3
/** Integer, days > 0: a tie's keep-in-touch cadence (netref_tie_set();
 *  default none; see "Keeping in touch"). */
#define NETREF_FIELD_CADENCE 4
/** Text, a date "YYYY-MM-DD": when an introduction was recorded
 *  (netref_intro_add()), its status changed (netref_intro_set_status())
 *  or a contact happened (netref_contact_log()); default today (local
 *  time). Clearing it means the default. */
#define NETREF_FIELD_DATE 5
/** Text: the tag an introduction is about (netref_intro_add(); default
 *  none), normalized as every tag. */
#define NETREF_FIELD_TAG 6
/** Text: a free note on an offer, an introduction or a contact (default
 *  none). */
#define NETREF_FIELD_NOTE 7
/** Integer: the status of a new introduction, #NETREF_INTRO_PROPOSED
 *  (the default), #NETREF_INTRO_MADE or #NETREF_INTRO_ACCEPTED
 *  (netref_intro_add()). */
#define NETREF_FIELD_STATUS 8
/** Integer, 0 or 1: when the introduction is made (at once, or later
 *  through netref_intro_set_status()), create or warm the tie between
 *  seeker and target (netref_intro_add(); default 0; see "Referral
 *  ledger"). */
#define NETREF_FIELD_WARM_TIE 9
/** Text: what kind of contact, such as "met", "call" or "message"
 *  (netref_contact_log(); default "met"). */
#define NETREF_FIELD_KIND 10
/** Real, finite and >= 0: the value of the business a converted
 *  introduction brought (netref_intro_set_status() with
 *  #NETREF_INTRO_CONVERTED only; default 0, unknown). */
#define NETREF_FIELD_VALUE 11
/** Real in (0, 1]: how likely a need is (netref_need_add(),
 *  netref_need_set(); default 1). Cannot be cleared. */
#define NETREF_FIELD_WEIGHT 12

/**
 * Create a fields object with no field given.
 * @param[out] out the object; free it with netref_fields_free().
 * @return #NETREF_OK, #NETREF_EINVAL, #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_fields_new(netref_fields **out);

/**
 * Free a fields object. Accepts NULL.
 * @param fields the object.
 */
NETREF_EXTERN void netref_fields_free(netref_fields *fields);

/**
 * Forget every field given, so the object can serve the next write.
 * @param fields the object.
 * @return #NETREF_OK, #NETREF_EINVAL for NULL.
 */
NETREF_EXTERN int netref_fields_reset(netref_fields *fields);

/**
 * Give a text field a value (copied).
 * @param fields the object.
 * @param field a text field (`NETREF_FIELD_*`).
 * @param value valid UTF-8, not empty (netref_fields_clear() gives no
 *        value); a date field takes a date "YYYY-MM-DD".
 * @return #NETREF_OK, #NETREF_EINVAL for an unknown field, a field that
 *         is not text, or a bad value, #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_fields_set_text(netref_fields *fields, int field,
                                         const char *value);

/**
 * Give a real-number field a value.
 * @param fields the object.
 * @param field a real field (`NETREF_FIELD_*`).
 * @param value in the field's range.
 * @return #NETREF_OK, #NETREF_EINVAL for an unknown field, a field that
 *         is not a real number, or a value out of its range.
 */
NETREF_EXTERN int netref_fields_set_real(netref_fields *fields, int field,
                                         double value);

/**
 * Give an integer field a value.
 * @param fields the object.
 * @param field an integer field (`NETREF_FIELD_*`).
 * @param value in the field's range.
 * @return #NETREF_OK, #NETREF_EINVAL for an unknown field, a field that
 *         is not an integer, or a value out of its range.
 */
NETREF_EXTERN int netref_fields_set_int(netref_fields *fields, int field,
                                        long long value);

/**
 * Clear a field: the record is to have no value for it.
 * @param fields the object.
 * @param field any field (`NETREF_FIELD_*`); whether the write accepts
 *        a clear is checked by the write.
 * @return #NETREF_OK, #NETREF_EINVAL for an unknown field.
 */
NETREF_EXTERN int netref_fields_clear(netref_fields *fields, int field);

/** @} */

/** @name People
 * A person is identified by a caller-chosen, non-empty UTF-8 key (an
 * email, a handle such as "ana"), compared byte for byte. A key is
 * identity, so a new key that could look like another is refused, never
 * rewritten: it may not hold control characters (tab, newline, ESC, DEL,
 * U+0080 to U+009F), default-ignorable code points (zero-width space and
 * joiners, soft hyphen, U+FEFF, bidi controls, variation selectors) or
 * line and paragraph separators, nor start or end with white space (a
 * no-break space too); inner spaces are fine. Functions that look a key
 * up accept any UTF-8, so that people stored before these rules stay
 * reachable; a key that breaks them finds nobody, and the
 * #NETREF_ENOTFOUND message says why.
 *
 * An unknown person key, given to any function (queries included; imports
 * list theirs, see the CSV import section), fails with #NETREF_ENOTFOUND and a
 * message that suggests up to three known people whose key or name is close to
 * it, as for unknown tags: "no person 'anna'; did you mean 'ana' (Ana Lima)?".
 * Close means a few edits (a third of the longer text, at least one, never all
 * of it) or one containing the other (three characters or more), compared as
 * netref_person_find() compares (accents, case and invisible characters
 * set aside); the closest come first, then by key. The suggestions cost
 * one scan of the people, O(n * l * d) for n people and keys and names of
 * l code points compared within distance d, on the failure path only; a
 * network of more than 250,000 people gets the message without them.
 * @{ */

/**
 * Add a person.
 * @param db the network.
 * @param key the new person's key (non-empty UTF-8, nothing hidden: see
 *        the People section).
 * @param name the display name (UTF-8); NULL or "" uses the key.
 * @return #NETREF_OK, #NETREF_EEXISTS when the key is taken,
 *         #NETREF_EINVAL for a bad key or name (the message names the
 *         problem, e.g. "person key contains a control character
 *         (U+0009)").
 */
NETREF_EXTERN int netref_person_add(netref_db *db, const char *key,
                                    const char *name);

/**
 * Change a person's display name.
 * @param db the network.
 * @param key the person.
 * @param name the new name (non-empty UTF-8).
 * @return #NETREF_OK, #NETREF_ENOTFOUND, #NETREF_EINVAL.
 */
NETREF_EXTERN int netref_person_set_name(netref_db *db, const char *key,
                                         const char *name);

/**
 * Set or remove one free attribute of a person (org, role, city, ...).
 * @param db the network.
 * @param key the person.
 * @param attr the attribute name (non-empty UTF-8; not "key" or "name",
 *        in any case: people.csv reads such a column as the key or
 *        name).
 * @param value the value; NULL or "" removes the attribute.
 * @return #NETREF_OK, #NETREF_ENOTFOUND, #NETREF_EINVAL.
 */
NETREF_EXTERN int netref_person_set_attr(netref_db *db, const char *key,
                                         const char *attr, const char *value);

/**
 * Read one person.
 * @param db the network.
 * @param key the person.
 * @param[out] out one row: columns "key", "name", then one column per
 *        attribute, named after it, in byte order of the names.
 * @return #NETREF_OK, #NETREF_ENOTFOUND, #NETREF_EINVAL.
 */
NETREF_EXTERN int netref_person_get(netref_db *db, const char *key,
                                    netref_rows **out);

/**
 * Remove a person with their ties, offers, needs, the introductions
 * they take part in, their interactions and their group memberships, in
 * one transaction.
 * @param db the network.
 * @param key the person.
 * @return #NETREF_OK, #NETREF_ENOTFOUND, #NETREF_EINVAL.
 */
NETREF_EXTERN int netref_person_remove(netref_db *db, const char *key);

/**
 * Forget a person: remove them as netref_person_remove() does (their
 * record, attributes, ties, offers, needs, the
 * introductions in which they are introducer, seeker or target, their
 * interactions and group memberships, in one transaction; rows about
 * other people are kept, even when their free text mentions the person),
 * then leave no bytes of what was removed in the file or beside it.
 * Deleted rows are overwritten with zeros (`PRAGMA secure_delete`, which
 * netref sets on every connection), the file is rebuilt from the rows
 * that remain (`VACUUM`: SQLite can leave stray copies of rows in unused
 * page space) and `FILE-wal`, which holds earlier images of the changed
 * pages, is copied into the file and truncated to zero bytes (a TRUNCATE
 * checkpoint). No `FILE-journal` is used in WAL mode. The wipe cannot be
 * stopped by netref_interrupt().
 *
 * The checkpoint needs every other connection to the file (other handles,
 * other programs) to be between reads: it waits for them up to the busy
 * timeout (netref_set_busy_timeout()). When they are still reading then,
 * the person is removed for good, but the old page images stay in the
 * file and `FILE-wal` until those connections finish: the result is
 * #NETREF_EBUSY and the message says so. SQLite checkpoints and deletes
 * `FILE-wal` when the last connection to the file closes it, which
 * removes the traces then.
 *
 * Everything held about a person (to give them a copy before forgetting
 * them) is what netref_person_get(), netref_tie_list(),
 * netref_offer_list(), netref_need_list(), netref_intro_list(),
 * netref_contact_list() and netref_person_groups() return for their key;
 * the netref CLI's `person export` and the Python binding's
 * `person_export` gather exactly these.
 *
 * Cost: the removal as netref_person_remove(), plus a rewrite of the
 * whole file, O(file size); the file is briefly written twice (file and
 * WAL). Use netref_person_remove() when no wipe is needed.
 * @param db the network (a file; for ":memory:" there is nothing to
 *        wipe).
 * @param key the person.
 * @return #NETREF_OK when the person is removed and no trace is left;
 *         #NETREF_EBUSY when the person is removed but traces remain
 *         until other connections finish reading (see above);
 *         #NETREF_ENOTFOUND for an unknown key (nothing changes);
 *         #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_person_forget(netref_db *db, const char *key);

/**
 * Merge two records of one person: everything of `other` moves onto
 * `keep`, then `other` is removed, in one transaction.
 * - Ties: a tie of `other` to someone `keep` has no tie with moves to
 *   `keep`. Where both had a tie to the same person, the stronger tie
 *   wins (on equal strength, `keep`'s): its strength, context and
 *   cadence stay (a context or cadence it lacks is taken from the other
 *   tie), and the last contact is the later of the two. The tie between
 *   `keep` and `other` disappears.
 * - Offers and needs move; where both hold a tag, `keep`'s offer stays
 *   (its note taken from `other`'s when it has none) and the need keeps
 *   the larger weight.
 * - Introductions and logged contacts move: `other` is replaced by
 *   `keep` in every role. Those between `keep` and `other` (in any two
 *   roles) would introduce a person to themself or log a contact with
 *   themself: they are removed.
 * - Group memberships move (a group both belong to keeps one).
 * - Attributes `keep` lacks are copied; `keep`'s own are kept. E-mail
 *   addresses, phones, profile URLs and UIDs are merged as sets
 *   (`email`, `email2`, ...: see "Importing contacts"), so a later
 *   import finds the merged person by any of them.
 * `keep`'s key and name stay.
 * Cost: O((t + h + i + c + g + a) log n) for the t ties, h offers and
 * needs, i introductions, c contacts, g memberships and a attributes of
 * the two, among n people; the index is rebuilt before the next query.
 * @param db the network.
 * @param keep the person who stays.
 * @param other the person merged into `keep` and removed.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person (the
 *         message names the key), #NETREF_EINVAL for a NULL argument or
 *         the same person twice, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_person_merge(netref_db *db, const char *keep,
                                      const char *other);

/**
 * List everyone. Cost: O(n log n) for n people.
 * @param db the network.
 * @param[out] out columns "key", "name"; ordered by key (byte order).
 * @return #NETREF_OK or an error code.
 */
NETREF_EXTERN int netref_person_list(netref_db *db, netref_rows **out);

/**
 * Find people by what one remembers of them: everyone whose key, name or
 * e-mail (the attribute named "email") contains the text. Texts are
 * compared folded: compatibility decomposition (NFKD), accents and other
 * marks removed, case folded, invisible characters removed and
 * typographic apostrophes and dashes taken as ASCII ones, so "jose" finds
 * "José Núñez" and "o'brien" finds "O’Brien".
 *
 * Cost: O(n * l + m log m) for n people of keys, names and e-mails of
 * up to l bytes (every one is folded and searched) and m found.
 * @param db the network.
 * @param text what to look for (non-empty UTF-8, not only accents or
 *        invisible characters).
 * @param[out] out columns "key", "name", "email" (empty when the person
 *        has none), "match" and "field": how the best of the three fields
 *        matched, "exact" (the whole field is the text), "prefix" (the
 *        field or one of its words starts with it; a word starts after a
 *        space or an ASCII punctuation mark such as '.', '@' or '-') or
 *        "substring", and which field that was, "key", "name" or "email"
 *        (the first of them in that order when several match as well).
 *        Ordered by match (exact, prefix, substring), then field (key,
 *        name, email), then key (byte order): an exact key comes first.
 *        No row when nobody matches.
 * @return #NETREF_OK (also when nobody matches), #NETREF_EINVAL for a
 *         missing, empty or invalid text.
 */
NETREF_EXTERN int netref_person_find(netref_db *db, const char *text,
                                     netref_rows **out);

/** @} */

/** @name Ties
 * A tie is an undirected acquaintance; at most one per pair of people.
 * @{ */

/**
 * Create or update the tie between two people (one row for both
 * directions, in one transaction).
 * Cost: O(log n) for n ties.
 * @param db the network.
 * @param a one person.
 * @param b the other person (not a).
 * @param fields #NETREF_FIELD_STRENGTH, #NETREF_FIELD_LAST_CONTACT,
 *        #NETREF_FIELD_CONTEXT, #NETREF_FIELD_CADENCE (see "Fields of a
 *        write": a field not given keeps an existing tie's value), or
 *        NULL for none (a new tie gets #NETREF_DEFAULT_STRENGTH; an
 *        existing one is left as it is).
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person,
 *         #NETREF_EINVAL for a tie to oneself or a field the write does
 *         not take, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_tie_set(netref_db *db, const char *a, const char *b,
                                 const netref_fields *fields);

/**
 * Read the tie between two people.
 * @param db the network.
 * @param a one person.
 * @param b the other person.
 * @param[out] out one row with the columns of netref_tie_list(), seen
 *        from a (so "key" is b).
 * @return #NETREF_OK, #NETREF_ENOTFOUND when either person or the tie
 *         does not exist.
 */
NETREF_EXTERN int netref_tie_get(netref_db *db, const char *a, const char *b,
                                 netref_rows **out);

/**
 * Remove the tie between two people.
 * @param db the network.
 * @param a one person.
 * @param b the other person.
 * @return #NETREF_OK, #NETREF_ENOTFOUND when there is no such tie.
 */
NETREF_EXTERN int netref_tie_remove(netref_db *db, const char *a,
                                    const char *b);

/**
 * List a person's ties.
 * @param db the network.
 * @param person the person.
 * @param[out] out columns "key", "name" (of the other person),
 *        "strength", "last_contact" (NULL when unknown), "context",
 *        "cadence" (the keep-in-touch cadence in days, NULL when none;
 *        see #NETREF_FIELD_CADENCE); ordered by the other person's
 *        key.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person.
 */
NETREF_EXTERN int netref_tie_list(netref_db *db, const char *person,
                                  netref_rows **out);

/** @} */

/** @name Tags, offers and needs
 * Tags are normalized before they are stored or compared: Unicode NFKC,
 * case folding, surrounding white space trimmed and inner runs of white
 * space collapsed to one space. "  Party   PLANNING " is "party planning".
 * Every Unicode white space counts (no-break, ideographic, line
 * separator). Default-ignorable code points (Unicode's
 * Default_Ignorable_Code_Point: zero-width space and joiners, soft
 * hyphen, U+FEFF, bidi controls, variation selectors, tag characters)
 * are removed first, because they show nothing: "party<U+200B>planning"
 * and "party<U+00AD>planning" are both "partyplanning", the tag they
 * look like. A control character (tab and newline too) makes a tag
 * invalid, and so does a tag with nothing left.
 * @{ */

/**
 * Normalize a tag as netref stores it.
 * @param tag the tag (UTF-8).
 * @param[out] out the normalized tag; free it with netref_free().
 * @return #NETREF_OK, #NETREF_EINVAL for NULL, invalid UTF-8, a control
 *         character or a tag that is empty after normalization (only
 *         white space and invisible characters; message in
 *         netref_errmsg(NULL)), #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_tag_normalize(const char *tag, char **out);

/**
 * Record that a person offers a tag they do not offer yet.
 * @param db the network.
 * @param person the person.
 * @param tag the tag.
 * @param fields #NETREF_FIELD_NOTE, or NULL for none.
 * @return #NETREF_OK, #NETREF_EEXISTS when the person offers the tag
 *         already (netref_offer_set() updates), #NETREF_ENOTFOUND for an
 *         unknown person, #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_offer_add(netref_db *db, const char *person,
                                   const char *tag,
                                   const netref_fields *fields);

/**
 * Record that a person offers a tag, or update the offer.
 * @param db the network.
 * @param person the person.
 * @param tag the tag.
 * @param fields #NETREF_FIELD_NOTE (not given: an existing offer keeps
 *        its note), or NULL for none.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person,
 *         #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_offer_set(netref_db *db, const char *person,
                                   const char *tag,
                                   const netref_fields *fields);

/**
 * Remove an offer.
 * @param db the network.
 * @param person the person.
 * @param tag the tag.
 * @return #NETREF_OK, #NETREF_ENOTFOUND when the person does not offer it.
 */
NETREF_EXTERN int netref_offer_remove(netref_db *db, const char *person,
                                      const char *tag);

/**
 * List what a person offers.
 * @param db the network.
 * @param person the person.
 * @param[out] out columns "tag", "note"; ordered by tag.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person.
 */
NETREF_EXTERN int netref_offer_list(netref_db *db, const char *person,
                                    netref_rows **out);

/**
 * Record that a person might need a tag they do not need yet.
 * @param db the network.
 * @param person the person.
 * @param tag the tag.
 * @param fields #NETREF_FIELD_WEIGHT (default 1), or NULL for none.
 * @return #NETREF_OK, #NETREF_EEXISTS when the person has the need
 *         already (netref_need_set() updates), #NETREF_ENOTFOUND for an
 *         unknown person, #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_need_add(netref_db *db, const char *person,
                                  const char *tag, const netref_fields *fields);

/**
 * Record that a person might need a tag, or update the need.
 * @param db the network.
 * @param person the person.
 * @param tag the tag.
 * @param fields #NETREF_FIELD_WEIGHT (not given: 1 for a new need, an
 *        existing need keeps its weight), or NULL for none.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person,
 *         #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_need_set(netref_db *db, const char *person,
                                  const char *tag, const netref_fields *fields);

/**
 * Remove a need.
 * @param db the network.
 * @param person the person.
 * @param tag the tag.
 * @return #NETREF_OK, #NETREF_ENOTFOUND when the person has no such need.
 */
NETREF_EXTERN int netref_need_remove(netref_db *db, const char *person,
                                     const char *tag);

/**
 * List what a person might need.
 * @param db the network.
 * @param person the person.
 * @param[out] out columns "tag", "weight"; ordered by tag.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person.
 */
NETREF_EXTERN int netref_need_list(netref_db *db, const char *person,
                                   netref_rows **out);

/**
 * List the people who offer or need a tag (exact normalized match).
 * @param db the network.
 * @param tag the tag.
 * @param role #NETREF_ROLE_OFFERS, #NETREF_ROLE_NEEDS or #NETREF_ROLE_ANY.
 * @param[out] out columns "key", "name", "role" ("offers" or "needs"),
 *        "weight" (1 for offers), "note" (offers only); ordered by key,
 *        then role.
 * @return #NETREF_OK, #NETREF_EINVAL.
 */
NETREF_EXTERN int netref_tag_people(netref_db *db, const char *tag, int role,
                                    netref_rows **out);

/** @} */

/** @name Tag taxonomy
 * Aliases and broader terms, in the manner of SKOS altLabel and broader.
 * A tag query for T matches T, its aliases, the tags narrower than T and,
 * transitively, their aliases and narrower tags, unless the options ask
 * for exact matching (netref_options_set_exact()). Tags are normalized
 * first. A tag is known when someone offers or needs it or when the
 * taxonomy names it; a query for an unknown tag fails with
 * #NETREF_ENOTFOUND and a message suggesting the closest known tags.
 * @{ */

/**
 * Relate two tags: make them aliases, or record `other` as the broader
 * term of `tag`. Adding a relation that holds already does nothing. A
 * relation that would make a tag broader than itself (a cycle of broader
 * terms, possibly through aliases) is refused.
 * @param db the network.
 * @param tag a tag.
 * @param relation #NETREF_RELATION_ALIAS or #NETREF_RELATION_BROADER.
 * @param other the other tag, different from `tag` once normalized.
 * @return #NETREF_OK, #NETREF_EINVAL for a bad tag or relation, the same
 *         tag twice or a cycle (the message names it), #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_tag_relate(netref_db *db, const char *tag,
                                    int relation, const char *other);

/**
 * Remove a relation between two tags (an alias in either order).
 * @param db the network.
 * @param tag a tag.
 * @param relation #NETREF_RELATION_ALIAS or #NETREF_RELATION_BROADER.
 * @param other the other tag.
 * @return #NETREF_OK, #NETREF_ENOTFOUND when the relation is not stored,
 *         #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_tag_unrelate(netref_db *db, const char *tag,
                                      int relation, const char *other);

/**
 * List the stored tag relations.
 * @param db the network.
 * @param tag only the relations naming this tag (on either side), or NULL
 *        for all.
 * @param[out] out columns "tag", "relation" ("alias" or "broader"),
 *        "other"; ordered by tag, relation, other.
 * @return #NETREF_OK, #NETREF_EINVAL, #NETREF_EVERSION on a read-only
 *         file from before the taxonomy.
 */
NETREF_EXTERN int netref_tag_relations(netref_db *db, const char *tag,
                                       netref_rows **out);

/**
 * The tags a query for a tag matches: the tag itself first, then its
 * aliases and narrower tags in byte order. Cost: linear in the taxonomy.
 * @param db the network.
 * @param tag the tag.
 * @param opts options, or NULL for the defaults; only exact matching
 *        (netref_options_set_exact(): the tag alone) applies.
 * @param[out] out columns "tag", "relation" ("self", "alias" or
 *        "narrower": how it relates to the queried tag), "holders" (how
 *        many people offer or need it).
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown tag (the message
 *         suggests close known tags), #NETREF_EINVAL.
 */
NETREF_EXTERN int netref_tag_expand(netref_db *db, const char *tag,
                                    const netref_options *opts,
                                    netref_rows **out);

/** @} */

/** @name Groups
 * Events and communities ("Nov 30 entrepreneurs evening") with members.
 * A group is identified by a caller-chosen, non-empty UTF-8 key, compared
 * byte for byte and checked like a person key (a new key hides nothing),
 * and has a display name. Membership is
 * context, never a tie. Tag queries and netref_matches() can keep to one
 * group's members (netref_options_set_group()). Removing a person ends
 * their memberships.
 *
 * Groups need schema version 4. A read-only handle on a file written by
 * an older netref fails here with #NETREF_EVERSION; opening the file
 * read-write once upgrades it.
 * @{ */

/**
 * Create a group.
 * Cost: O(log g) for g groups.
 * @param db the network.
 * @param key the new group's key (non-empty UTF-8, nothing hidden: see
 *        netref_person_add()).
 * @param name display name (UTF-8); NULL or "" uses the key.
 * @return #NETREF_OK, #NETREF_EEXISTS when the key is taken,
 *         #NETREF_EINVAL for a NULL handle, a bad key or name,
 *         #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_group_add(netref_db *db, const char *key,
                                   const char *name);

/**
 * Rename a group.
 * Cost: O(log g) for g groups.
 * @param db the network.
 * @param key the group.
 * @param name the new display name (non-empty UTF-8).
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown group,
 *         #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_group_set_name(netref_db *db, const char *key,
                                        const char *name);

/**
 * Remove a group and its memberships (not the people), in one
 * transaction.
 * Cost: O(log g + m) for g groups and m members.
 * @param db the network.
 * @param key the group.
 * @return #NETREF_OK, #NETREF_ENOTFOUND (the message names the key),
 *         #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_group_remove(netref_db *db, const char *key);

/**
 * Make a person a member of a group. Joining twice does nothing.
 * Cost: O(log g + log n) for g groups and n people.
 * @param db the network.
 * @param group the group's key.
 * @param person the person's key.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown group or person
 *         (the message names it), #NETREF_EINVAL, #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_group_join(netref_db *db, const char *group,
                                    const char *person);

/**
 * End a person's membership of a group.
 * Cost: O(log g + log n) for g groups and n people.
 * @param db the network.
 * @param group the group's key.
 * @param person the person's key.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown group or person or
 *         when the person is not a member, #NETREF_EINVAL,
 *         #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_group_leave(netref_db *db, const char *group,
                                     const char *person);

/**
 * List the groups.
 * Cost: O(g log g + M) for g groups and M memberships.
 * @param db the network.
 * @param[out] out columns "key", "name", "members" (how many members);
 *        ordered by key (byte order).
 * @return #NETREF_OK, #NETREF_EINVAL, #NETREF_EVERSION for a read-only
 *         handle on an older file.
 */
NETREF_EXTERN int netref_group_list(netref_db *db, netref_rows **out);

/**
 * List a group's members.
 * Cost: O(m log n) for m members among n people.
 * @param db the network.
 * @param group the group's key.
 * @param[out] out columns "key", "name" (of each member); ordered by key
 *        (byte order).
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown group,
 *         #NETREF_EINVAL, #NETREF_EVERSION for a read-only handle on an
 *         older file.
 */
NETREF_EXTERN int netref_group_members(netref_db *db, const char *group,
                                       netref_rows **out);

/**
 * List the groups a person is a member of.
 * Cost: O(k log g) for the k groups of the person among g groups.
 * @param db the network.
 * @param person the person's key.
 * @param[out] out columns "key", "name" (of each group); ordered by key
 *        (byte order).
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person,
 *         #NETREF_EINVAL, #NETREF_EVERSION for a read-only handle on an
 *         older file.
 */
NETREF_EXTERN int netref_person_groups(netref_db *db, const char *person,
                                       netref_rows **out);

/** @} */

/** @name CSV import
 * RFC 4180 CSV in UTF-8 with a header row naming the columns, in any order
 * (names compared without regard to ASCII case; the attribute columns of
 * people.csv keep their names as written). Spaces and tabs around
 * an unquoted field are ignored; quote the field to keep them. All files
 * given to one import are read in one transaction, in the order people,
 * ties, offers, needs, taxonomy, groups; rows create or update by key,
 * as the `set` functions do (an import is a bulk set), so importing the
 * same files again changes nothing. A cell left empty takes the
 * default (tie strength #NETREF_DEFAULT_STRENGTH, need weight 1, no
 * date, no note); a column absent from the file keeps the stored value.
 * A tie's cadence is a whole number of days (#NETREF_FIELD_CADENCE; an
 * empty cell: none). In taxonomy.csv both tags are normalized and the
 * relation is `alias` or `broader` (as netref_tag_relate()); in
 * groups.csv a group not yet known is created, named group_name when
 * that is given (and renamed to it when known), else after its key; a
 * row with an empty person names a group alone (one without members);
 * a repeated row is fine. Keys of the
 * people in people.csv and of people and groups an import creates follow
 * the rules of netref_person_add(), tags those of netref_tag_normalize().
 * A header of n columns is checked in O(n).
 *
 * Bad rows are reported as a compiler reports errors: the import reads
 * on past a bad row, so that one run finds every bad row of every file,
 * and then fails with #NETREF_EPARSE, leaving the database exactly as it
 * was. netref_errmsg() then holds one line "FILE:LINE: problem" per bad
 * row, in file order (people, ties, offers, needs, taxonomy, groups)
 * then line order, at most #NETREF_IMPORT_MAX_ERRORS of them, followed by
 * "... and N more problems" when there were more. Each row reports its
 * first problem only. A row that names a person whose own row in
 * people.csv was bad is not reported (that row's line is the cause, and
 * one line per mention would bury it). The first five unknown people
 * listed get "did you mean ...?" as in the People section (each costs a
 * scan of the people). Some failures leave nothing
 * sensible to read on with, and stop the import at once: a file that
 * cannot be read (#NETREF_EIO), a wrong header row (a missing, unknown,
 * repeated or unnamed column, or an empty file), broken CSV quoting
 * (#NETREF_EPARSE), running out of memory, a failure of the store,
 * and cancellation (#NETREF_ECANCELED). Their line comes last, after the
 * bad rows found before, and their code is the one returned.
 * @{ */

/** The most bad rows an import lists in its message (netref_errmsg());
 *  the rest are counted ("... and N more problems"). */
#define NETREF_IMPORT_MAX_ERRORS 20

/**
 * Progress callback for long imports: report progress, and cancel.
 * @param user the pointer given to netref_import_set_progress().
 * @param path the file being read.
 * @param rows data rows read from that file so far.
 * @return 0 to go on; any other value stops the import, which rolls
 *         back and returns #NETREF_ECANCELED (the database is left as
 *         it was).
 */
typedef int (*netref_progress_fn)(void *user, const char *path, long long rows);

/**
 * Create an import job with no files.
 * @param[out] out the job; free it with netref_import_free().
 * @return #NETREF_OK, #NETREF_EINVAL, #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_import_new(netref_import **out);

/**
 * Name the file to read for one kind of record.
 * @param imp the job.
 * @param kind #NETREF_CSV_PEOPLE, #NETREF_CSV_TIES, #NETREF_CSV_OFFERS,
 *        #NETREF_CSV_NEEDS, #NETREF_CSV_TAXONOMY, #NETREF_CSV_GROUPS,
 *        #NETREF_IMPORT_LINKEDIN or #NETREF_IMPORT_VCARD (read after the
 *        CSV files, LinkedIn first; see "Importing contacts").
 * @param path the file; NULL forgets a file named before.
 * @return #NETREF_OK, #NETREF_EINVAL, #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_import_set_file(netref_import *imp, int kind,
                                         const char *path);

/**
 * Create people named in ties, offers, needs or groups who are not in
 * the network (their name is their key) instead of failing. Off by
 * default.
 * @param imp the job.
 * @param on non-zero to enable.
 * @return #NETREF_OK, #NETREF_EINVAL.
 */
NETREF_EXTERN int netref_import_set_create_missing(netref_import *imp, int on);

/**
 * Call a function every few thousand rows while importing, and once at
 * the end of each file; a non-zero return cancels the import.
 * @param imp the job.
 * @param fn the callback, or NULL for none.
 * @param user passed to the callback unchanged.
 * @return #NETREF_OK, #NETREF_EINVAL.
 */
NETREF_EXTERN int netref_import_set_progress(netref_import *imp,
                                             netref_progress_fn fn, void *user);

/**
 * Run the import, all or nothing.
 * Cost: O(r log n) for r rows into a network of n people, bad rows
 * included (every row is read).
 * @param db the network.
 * @param imp the job.
 * @return #NETREF_OK; #NETREF_EPARSE for bad rows (netref_errmsg() lists
 *         them, one "FILE:LINE: problem" a line, see the CSV import
 *         section), a wrong header or broken quoting; #NETREF_EIO when a
 *         file cannot be read; #NETREF_EINVAL when no file is named;
 *         #NETREF_ECANCELED when the progress callback or
 *         netref_interrupt() stopped it. The failure that stopped the
 *         import decides the code, else the bad rows do. On any failure
 *         nothing of the import is in the database.
 */
NETREF_EXTERN int netref_import_run(netref_db *db, netref_import *imp);

/**
 * Data rows imported from one file by the last run.
 * @param imp the job.
 * @param kind one of the `NETREF_CSV_*` kinds, #NETREF_IMPORT_LINKEDIN
 *        (connections read) or #NETREF_IMPORT_VCARD (cards read).
 * @return the row count; 0 when the file was not named or the last run
 *         failed; -1 for NULL or an unknown kind.
 */
NETREF_EXTERN long long netref_import_count(const netref_import *imp, int kind);

/**
 * Free an import job. Accepts NULL.
 * @param imp the job.
 */
NETREF_EXTERN void netref_import_free(netref_import *imp);

/** @} */

/** @name Export
 * Files other tools open: the whole network, or one person's k-hop
 * network (everyone within k ties of the source, the source included,
 * with every tie among them: the network netref_connectors() ranks), in
 * one of six formats. Everything written is read in one read
 * transaction, so it is one consistent snapshot however long the export
 * takes; other programs may go on writing meanwhile.
 *
 * What each format holds (people are identified by their key
 * everywhere):
 * - #NETREF_EXPORT_GRAPHML, #NETREF_EXPORT_GEXF, #NETREF_EXPORT_JSON:
 *   people as nodes with their name, attributes, offered and needed
 *   tags (and, for a k-hop network, their hops from the source); ties
 *   as undirected edges with strength, last contact, context and
 *   cadence. docs/export.md gives the exact layouts, what Gephi,
 *   Cytoscape, NetworkX, igraph and D3 read of them, and how text that
 *   XML cannot hold is written.
 * - #NETREF_EXPORT_DOT: the people and ties for Graphviz (labels and
 *   tie widths; no attributes or tags).
 * - #NETREF_EXPORT_CSV: netref's own import layout (see "CSV import"):
 *   importing the files into an empty network gives the same people,
 *   attributes, ties, offers, needs, tag relations and groups. This is
 *   the backup format. The referral ledger and logged contacts have no
 *   import and are not written.
 * - #NETREF_EXPORT_NEO4J: the bulk import files of
 *   `neo4j-admin database import` (docs/scaling.md).
 *
 * Why a job object and not one call: a large export (a million people
 * take a minute) reports progress and can be cancelled like an import,
 * and tells which files it wrote and how many records of each kind; the
 * setters let it gain options without a new function.
 *
 * Files are never left half-written: each is written to a temporary
 * file in the same directory, flushed to disk (fsync) and renamed over
 * its name only when complete; a failed or cancelled export removes what
 * it wrote and leaves an existing file as it was. The two directory
 * formats write every file into a new temporary directory beside the
 * target, which is renamed to it when it does not exist (or is empty);
 * into an existing directory each file is then renamed over its
 * namesake, other files being left alone (a crash between those renames
 * can leave some files of the new export beside some of the old one).
 * New files and directories are private to their owner (0600, 0700),
 * as the database is: they hold the same personal data.
 * @{ */

/** GraphML (one file): Gephi, Cytoscape, yEd, NetworkX
 *  (`read_graphml`), igraph. */
#define NETREF_EXPORT_GRAPHML 1
/** GEXF 1.2 (one file): Gephi, NetworkX (`read_gexf`). */
#define NETREF_EXPORT_GEXF 2
/** Node-link JSON (one file): D3, NetworkX (`node_link_graph`). */
#define NETREF_EXPORT_JSON 3
/** Graphviz DOT (one file): `dot -Tsvg`. */
#define NETREF_EXPORT_DOT 4
/** netref's CSV layout (a directory): people.csv, ties.csv, offers.csv,
 *  needs.csv, taxonomy.csv, groups.csv; the backup format. */
#define NETREF_EXPORT_CSV 5
/** Neo4j bulk import CSV (a directory): people.csv, tags.csv,
 *  knows.csv, offers.csv, needs.csv, introduced.csv, relations.csv. */
#define NETREF_EXPORT_NEO4J 6

/**
 * Create an export job for the whole network.
 * @param format one of the `NETREF_EXPORT_*` formats.
 * @param[out] out the job; free it with netref_export_free().
 * @return #NETREF_OK, #NETREF_EINVAL for an unknown format or NULL out,
 *         #NETREF_ENOMEM (message in netref_errmsg(NULL)).
 */
NETREF_EXTERN int netref_export_new(int format, netref_export **out);

/**
 * Export one person's k-hop network instead of the whole network: the
 * people within `hops` ties of the source (hop distance: ties on a
 * shortest path), the source included, and every tie among them (a tie
 * between two people `hops` away counts too). Their offers, needs,
 * attributes and group memberships come along; the tag relations are
 * written whole; an introduction (Neo4j) only when all three of its
 * people are in.
 * @param exp the job.
 * @param source the person's key (copied), or NULL for the whole
 *        network (the default; `hops` is then ignored). An unknown key
 *        makes netref_export_run() fail with #NETREF_ENOTFOUND.
 * @param hops 1 to #NETREF_MAX_HOPS.
 * @return #NETREF_OK, #NETREF_EINVAL for a NULL job, invalid UTF-8 or
 *         hops out of range, #NETREF_ENOMEM (message in
 *         netref_errmsg(NULL)).
 */
NETREF_EXTERN int netref_export_set_source(netref_export *exp,
                                           const char *source, int hops);

/**
 * Call a function every few thousand records while exporting, and once
 * at the end of each file; a non-zero return cancels the export.
 * @param exp the job.
 * @param fn the callback (its `path` is the file being written, as
 *        netref_export_file() will name it; its `rows` the records
 *        written to it so far), or NULL for none.
 * @param user passed to the callback unchanged.
 * @return #NETREF_OK, #NETREF_EINVAL for a NULL job.
 */
NETREF_EXTERN int netref_export_set_progress(netref_export *exp,
                                             netref_progress_fn fn, void *user);

/**
 * Run the export: write the file (or, for #NETREF_EXPORT_CSV and
 * #NETREF_EXPORT_NEO4J, the directory of files) at `path`.
 *
 * Cost: O(n + m + h) for the n people, m ties and h offers, needs and
 * attributes written, plus for a k-hop network O(n_k + m_k) to find its
 * people from the index and O(log n) per person and tie read; memory
 * O(1) besides the index (a k-hop network) and a few buffers: records
 * are written as they are read.
 * @param db the network (a read-only handle is fine).
 * @param exp the job.
 * @param path the file to write, or the directory for the directory
 *        formats (created if missing, with its parent existing).
 * @return #NETREF_OK; #NETREF_ENOTFOUND for an unknown source;
 *         #NETREF_EIO when a file cannot be written (the message names
 *         it and the reason), nothing being left behind;
 *         #NETREF_EINVAL for a path that is the database file (or its
 *         WAL, shared-memory or journal file), or `.` or `..`;
 *         #NETREF_ECANCELED when the progress callback or
 *         netref_interrupt() stopped it (nothing left behind);
 *         #NETREF_EINVAL for a NULL argument or an empty path;
 *         #NETREF_EVERSION on a read-only handle on a file older than
 *         schema version 4 (open it read-write once).
 */
NETREF_EXTERN int netref_export_run(netref_db *db, netref_export *exp,
                                    const char *path);

/**
 * Records of one kind written by the last run.
 * @param exp the job.
 * @param kind a `NETREF_CSV_*` kind: people, ties, offers, needs, tag
 *        relations (#NETREF_CSV_TAXONOMY) or group memberships
 *        (#NETREF_CSV_GROUPS), counted in every format that writes
 *        them.
 * @return the count; 0 before a run, after a failed run and for what
 *         the format does not write; -1 for NULL or an unknown kind.
 */
NETREF_EXTERN long long netref_export_count(const netref_export *exp, int kind);

/**
 * Number of files the last run wrote: 1 for a one-file format, 9 for
 * Neo4j, 6 for CSV; 0 before a run and after a failed one.
 * @param exp the job (NULL gives 0).
 * @return the count.
 */
NETREF_EXTERN size_t netref_export_files(const netref_export *exp);

/**
 * The name of a file the last run wrote: the path given, or for the
 * directory formats the path joined with the file's name.
 * @param exp the job.
 * @param i 0 to netref_export_files() - 1.
 * @return the name, owned by the job and valid until its next run or
 *         its free; NULL for NULL or an index out of range.
 */
NETREF_EXTERN const char *netref_export_file(const netref_export *exp,
                                             size_t i);

/**
 * Free an export job. Accepts NULL.
 * @param exp the job.
 */
NETREF_EXTERN void netref_export_free(netref_export *exp);

/** @} */

/** @name Importing contacts
 * LinkedIn's `Connections.csv` (#NETREF_IMPORT_LINKEDIN) and vCard files
 * (#NETREF_IMPORT_VCARD) go through the same job, transaction and rules
 * as the CSV files (read after them, LinkedIn first): all or nothing,
 * every bad row (or card) reported as "FILE:LINE: problem" with
 * #NETREF_EPARSE after reading on, the progress callback every few
 * thousand rows (or cards) and at the end of each file,
 * netref_interrupt(). Each row of a LinkedIn file and each card of a
 * vCard file is one person. A bad row is, in LinkedIn's file, a field
 * that is not UTF-8, a wrong number of fields, a bad `Connected On`
 * date or a row with no name, URL or e-mail; in a vCard file, a card
 * with no name, e-mail, URL or UID, or a category that cannot be a
 * group key. What stops the import at once: an owner who is missing and
 * whose key cannot be a person's (#NETREF_EINVAL); LinkedIn's header
 * missing (no record with a `First Name` column), lacking `Last Name`
 * or naming a column twice, broken CSV quoting; a vCard file whose
 * structure or encoding cannot be read on from (no BEGIN:VCARD, a card
 * without END:VCARD, a card inside a card, a line that is no property,
 * an unsupported VERSION or CHARSET, bad quoted-printable, text that is
 * not UTF-8); and, as for CSV files, a file that cannot be read, memory,
 * the store and cancellation.
 *
 * LinkedIn: the notes before the header row are skipped, however many
 * there are and however they are quoted; a UTF-8 byte order mark and
 * CRLF line ends are fine. A row gives the name ("First Last"), the
 * attributes `company` and `position`, `email` and `url` (the profile),
 * and `Connected On` (`12 Mar 2024`, or YYYY-MM-DD) as the first
 * contact of the tie to the owner, which has the context `LinkedIn`.
 *
 * vCard (2.1, 3.0 and 4.0; RFC 6350 and its predecessors): folded
 * lines, the escapes `\\`, `\,`, `\;` and `\n`, QUOTED-PRINTABLE with a
 * CHARSET of UTF-8, US-ASCII, ISO-8859-1 or Windows-1252 (text without
 * a CHARSET must be UTF-8) and several cards per file. A card gives the
 * name (FN, else N, else ORG), `email`, `phone` and `url` (every EMAIL,
 * TEL and URL, and LinkedIn profiles of X-SOCIALPROFILE), `company` and
 * `department` (ORG), `position` (TITLE), `note` (NOTE), `city` (the
 * first ADR's locality) and `uid` (UID); its CATEGORIES become group
 * memberships (a group not yet known is created, named after its key).
 * PHOTO, LOGO, SOUND, KEY and any property in base64 are skipped, with
 * their continuation lines; so are properties netref does not use. The
 * tie to the owner has the context `vCard` and no date.
 *
 * A value held several times (a second e-mail, phone or profile) goes
 * into `email2`, `email3`, ... (`phone2`, `url2`, `uid2`, ...): a value
 * the person holds already under any of these names is not added again.
 *
 * One person, one key. A row is first matched to a person of the
 * network, in this order: a vCard UID equal to a person's key or `uid`
 * attribute; a profile URL equal to a person's `url` attribute (LinkedIn
 * profile URLs compared by their `/in/` name, without regard to case,
 * scheme, host or a trailing slash; other URLs without regard to case
 * and a trailing slash); an e-mail address equal to one of a person's
 * `email` attributes (without regard to ASCII case). Only a row with no
 * UID, URL or e-mail is matched by name: to the person whose key is the
 * key the name gives (below), or the first of `KEY-2`, `KEY-3`, ... that
 * no earlier row of the same file matched. A row that matches
 * nobody becomes a new person whose key is the profile URL's name
 * (https://www.linkedin.com/in/NAME), else the vCard UID, else the first
 * e-mail address (in lower case), else the name made into a key (NFKC,
 * case folded, letters and digits kept, every other run of characters a
 * `-`: "Zoë O'Brien 🎉" gives `zoë-obrien`); when that key is taken, `-2`,
 * `-3`, ... is appended, the first that is free. The owner is never
 * matched by name; a row matched to the owner otherwise (the owner's own
 * card) updates the owner and makes no tie.
 *
 * A matched person keeps their key and name (a name equal to the key is
 * replaced) and gets the row's attributes: a non-empty value replaces
 * the stored one (so when two files disagree, the one read last wins),
 * an empty cell removes nothing. The tie to the owner is
 * created when missing (strength #NETREF_DEFAULT_STRENGTH, the context
 * of the file, the date); an existing tie keeps its strength and
 * context, and its last contact moves forward to the row's date only
 * when it is older or missing, never back. So importing a newer export
 * adds new people, updates attributes and never weakens a tie the user
 * has edited; importing the same file again changes nothing.
 * netref_import_people_count() says how many rows were new, updated and
 * unchanged people (a person named by two rows counts twice).
 * @{ */

/**
 * Set the person the people of contact files are tied to.
 * @param imp the job.
 * @param key the owner's key; NULL for the default, "me". An owner who
 *        is not in the network is created when the import runs (the key
 *        must then follow the rules of netref_person_add()).
 * @return #NETREF_OK, #NETREF_EINVAL for a NULL job or an empty or
 *         invalid UTF-8 key, #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_import_set_owner(netref_import *imp, const char *key);

/**
 * How many rows (cards) of a contact file made new people, updated
 * people or left them unchanged, in the last run.
 * @param imp the job.
 * @param kind #NETREF_IMPORT_LINKEDIN or #NETREF_IMPORT_VCARD.
 * @param outcome #NETREF_PEOPLE_NEW, #NETREF_PEOPLE_UPDATED or
 *        #NETREF_PEOPLE_UNCHANGED.
 * @return the count (the three add up to netref_import_count()); 0 when
 *         the file was not named or the last run failed; -1 for NULL, a
 *         CSV kind (they do not count people) or an unknown kind or
 *         outcome.
 */
NETREF_EXTERN long long netref_import_people_count(const netref_import *imp,
                                                   int kind, int outcome);

/** @} */

/** @name Query options
 * NULL options mean the defaults: #NETREF_DEFAULT_HOPS hops, no result
 * limit, no recency decay, today's date (local time), tags expanded, no
 * group, and for netref_path() #NETREF_DEFAULT_PATH_HOPS hops and no
 * alternatives (see "Limits and defaults").
 * @{ */

/**
 * Create an options object holding the defaults.
 * @param[out] out the options; free with netref_options_free().
 * @return #NETREF_OK, #NETREF_EINVAL, #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_options_new(netref_options **out);

/**
 * Free an options object. Accepts NULL.
 * @param opts the options.
 */
NETREF_EXTERN void netref_options_free(netref_options *opts);

/**
 * Set the hop limit k: how many ties a walk from the source may use.
 * @param opts the options.
 * @param hops 1 to #NETREF_MAX_HOPS (default #NETREF_DEFAULT_HOPS).
 * @return #NETREF_OK, #NETREF_EINVAL outside 1..#NETREF_MAX_HOPS.
 */
NETREF_EXTERN int netref_options_set_hops(netref_options *opts, int hops);

/**
 * Keep only the first rows of a result.
 * @param opts the options.
 * @param limit the maximum number of rows; #NETREF_NO_LIMIT (0, the
 *        default) for all.
 * @return #NETREF_OK, #NETREF_EINVAL when negative.
 */
NETREF_EXTERN int netref_options_set_limit(netref_options *opts, int limit);

/**
 * Let ties cool with time: each tie's strength is multiplied by
 * 0.5^(age / half_life), age being the days from its last contact to the
 * reference date (0 when the contact is later). Ties without a recorded
 * last contact are not decayed.
 * @param opts the options.
 * @param days the half-life in days (> 0), or 0 (the default) for none.
 * @return #NETREF_OK, #NETREF_EINVAL when negative or not finite.
 */
NETREF_EXTERN int netref_options_set_half_life(netref_options *opts,
                                               double days);

/**
 * Set the reference date ages are measured against, so that answers are
 * reproducible.
 * @param opts the options.
 * @param date "YYYY-MM-DD", or NULL for the current local date.
 * @return #NETREF_OK, #NETREF_EINVAL for a malformed date.
 */
NETREF_EXTERN int netref_options_set_today(netref_options *opts,
                                           const char *date);

/**
 * Match tags exactly: a tag query (and netref_tag_expand()) matches the
 * normalized tag alone, not its aliases and narrower tags.
 * @param opts the options.
 * @param exact nonzero for exact matching; 0 (the default) expands.
 * @return #NETREF_OK, #NETREF_EINVAL for NULL options.
 */
NETREF_EXTERN int netref_options_set_exact(netref_options *opts, int exact);

/**
 * Keep the results of netref_prospects(), netref_providers(),
 * netref_ask_first() (its targets) and netref_matches() (both sides of
 * a pair) to the members of a group. Walks still pass through anyone.
 * @param opts the options.
 * @param group the group's key (copied), or NULL (the default) for
 *        everyone. An unknown group makes the query fail with
 *        #NETREF_ENOTFOUND.
 * @return #NETREF_OK, #NETREF_EINVAL for NULL options or invalid UTF-8,
 *         #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_options_set_group(netref_options *opts,
                                           const char *group);

/**
 * Set the hop limit of netref_path().
 * @param opts the options.
 * @param max_hops 1 to #NETREF_MAX_PATH_HOPS, or #NETREF_NO_LIMIT (0)
 *        for no limit (default #NETREF_DEFAULT_PATH_HOPS: longer chains
 *        of introductions are rarely useful).
 * @return #NETREF_OK, #NETREF_EINVAL outside 0..#NETREF_MAX_PATH_HOPS.
 */
NETREF_EXTERN int netref_options_set_max_hops(netref_options *opts,
                                              int max_hops);

/**
 * Ask netref_path() for alternatives to the best path.
 * @param opts the options.
 * @param alternatives 0 (the default) to #NETREF_MAX_ALTERNATIVES.
 * @return #NETREF_OK, #NETREF_EINVAL outside 0..#NETREF_MAX_ALTERNATIVES.
 */
NETREF_EXTERN int netref_options_set_alternatives(netref_options *opts,
                                                  int alternatives);

/** @} */

/** @name Queries
 *
 * Reach. For a source s and hop limit k, reach(p) is the largest product
 * of tie strengths over walks of at most k ties from s to p that do not
 * pass through s again, products formed from s outward in double
 * precision. hops(p) is the number of ties on a shortest path.
 *
 * The best path is defined layer by layer, exactly as it is computed.
 * B_0(s) is the walk (s). For i = 1..k, B_i(v) is the best of B_{i-1}(v)
 * and of every B_{i-1}(u) extended by the tie u-v (u a neighbour of v,
 * v != s), each rule deciding only when the previous ones tie:
 * 1. the larger product;
 * 2. the smaller key (byte order) of the introducer-to-be: the second
 *    person on the walk, or v itself for the direct tie;
 * 3. the fewer ties;
 * 4. the smaller key of the person before v, then of the person before
 *    that, and so on back to s.
 * reach(p) is the product of B_k(p). The reported best path is the
 * direct tie s-p when its strength equals reach(p), and B_k(p) otherwise;
 * introducer(p) is its second person, or none for the direct tie. The
 * path is always simple.
 *
 * When products are exact (strengths such as 0.25, 0.5, 0.75, 1), this is
 * the same as choosing among all walks of value reach(p): the direct tie,
 * then the smallest introducer key, then the fewest ties, then the
 * smallest keys read backwards from p. When rounding makes two walks'
 * products equal although they differed before the last tie, the walk
 * whose prefix had the larger product wins.
 *
 * Tags. A query for tag T matches T, its aliases and its narrower tags
 * (see "Tag taxonomy"), unless the options ask for exact matching. A
 * person holding several matching tags appears once, with the matching
 * tag that gives the best score, then the closest one (T itself, an
 * alias, a narrower tag), then the first in byte order; the row's tag
 * says which. A tag that nobody holds and the taxonomy does not name
 * fails with #NETREF_ENOTFOUND, the message suggesting close known tags;
 * a tag the taxonomy names but nobody holds gives no rows. With a group
 * (netref_options_set_group()), rows show its members only; walks still
 * pass through anyone.
 *
 * Rows are ordered by score (descending), hops (ascending), key (byte
 * order). Cost: O(k (n_k + m_k)) for the n_k people and m_k ties within
 * k hops of s, plus O(h log h) for the h people holding a matched tag,
 * O(x) to expand the tag through the x tag relations it reaches and
 * O(g log g) to read the g members of a group filter.
 * @{ */

/**
 * Who within k hops might need a tag: people p != source who need it.
 * score = reach(p) * weight of p's need.
 * @param db the network.
 * @param source the person asking.
 * @param tag the tag (normalized, then expanded as described above).
 * @param opts options, or NULL for the defaults.
 * @param[out] out the ranked result; free with netref_result_free().
 * @return #NETREF_OK (possibly with no rows), #NETREF_ENOTFOUND for an
 *         unknown source, an unknown tag (with suggestions) or an unknown
 *         group, #NETREF_EVERSION for a group filter on a read-only file
 *         from before groups, #NETREF_EINVAL for a bad tag.
 */
NETREF_EXTERN int netref_prospects(netref_db *db, const char *source,
                                   const char *tag, const netref_options *opts,
                                   netref_result **out);

/**
 * Who within k hops offers a tag: people p != source who offer it.
 * score = reach(p).
 * @param db the network.
 * @param source the person asking.
 * @param tag the tag (normalized, then expanded as described above).
 * @param opts options, or NULL for the defaults.
 * @param[out] out the ranked result; free with netref_result_free().
 * @return as netref_prospects().
 */
NETREF_EXTERN int netref_providers(netref_db *db, const char *source,
                                   const char *tag, const netref_options *opts,
                                   netref_result **out);

/** @} */

/** @name Introduction paths
 * @{ */

/**
 * The strongest introduction path from one person to another: the simple
 * path of at most max_hops ties (netref_options_set_max_hops()) with the
 * largest product of tie strengths (recency decay applies as for the
 * other queries), and among equally strong paths one with the fewest
 * ties. Then up to `alternatives` further paths, each the strongest that
 * shares no intermediate person with the paths before it and is not the
 * direct tie once that was given. No path is a normal answer: a result
 * with no rows.
 *
 * The search joins half-paths grown from both ends and compares the
 * products of their strengths as it forms them, so two paths whose
 * products differ only by rounding (in the last bits of a double) may be
 * ranked either way; with strengths such as 0.25, 0.5, 0.75 and 1 the
 * products are exact and the choice is as stated.
 *
 * Each row is a path: key and name are the `to` person, hops the ties on
 * the path, reach and score its strength (the product formed from `from`
 * outward), introducer the second person (NULL for the direct tie), tag
 * NULL. Rows come best first.
 *
 * Cost: with a limit k, O(ceil(k/2) (n + m)) for the people and ties
 * within ceil(k/2) hops of either end; without one, O((n + m) log n) for
 * the people and ties a search from both ends explores before the best
 * path is proven. Each alternative costs one more search.
 * @param db the network.
 * @param from the person who wants an introduction.
 * @param to the person to be introduced to (not from).
 * @param opts options (max_hops, alternatives, half-life, date), or NULL.
 * @param[out] out the paths; free with netref_result_free().
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person,
 *         #NETREF_EINVAL when from and to are the same person.
 */
NETREF_EXTERN int netref_path(netref_db *db, const char *from, const char *to,
                              const netref_options *opts, netref_result **out);

/** @} */

/** @name Whom to ask and whom to introduce
 *
 * Two questions a person who networks asks besides "who needs or offers
 * T": which of my contacts should I tell first about T, and which
 * introductions could I make. Strengths, recency decay (half-life and
 * reference date) and reach are as for the tag queries (see
 * netref_prospects()). Both return a #netref_rows table; numbers are
 * read with netref_rows_real(), keys and names with netref_rows_text().
 * @{ */

/**
 * Whom to ask first about a tag: rank the source's direct contacts by
 * how well word told to them travels toward the people holding the tag.
 *
 * Let s be the source and k the hop limit (netref_options_set_hops(),
 * 1 to #NETREF_MAX_HOPS, default #NETREF_DEFAULT_HOPS). The targets are
 * the people t != s who hold the tag in the role asked: offer it
 * (#NETREF_ROLE_OFFERS), need it (#NETREF_ROLE_NEEDS) or either
 * (#NETREF_ROLE_ANY); the tag is normalized and matched as for
 * netref_prospects(). For each contact c (a person tied to s) and
 * target t,
 * reachvia(c, t) = strength(s,c) * R_c(t), where R_c(t) is the largest
 * product of tie strengths over walks of at most k-1 ties from c to t
 * that never pass through s (products formed from c outward); R_c(c) = 1,
 * so a contact who is a target contributes strength(s,c) itself. With
 * k = 1 only contacts who are targets count. Then
 * score(c) = the sum of reachvia(c, t) over the targets t with
 * reachvia(c, t) > 0, added from the largest to the smallest (equal
 * values by key), and reached(c) = how many such targets there are.
 *
 * Only contacts with reached > 0 are listed. Rows are ordered by score
 * (descending), then key (byte order); the result limit
 * (netref_options_set_limit()) keeps the first rows.
 *
 * Columns: "key", "name" (the contact), "score" (number), "reached"
 * (number), "top1", "top2", "top3": the keys of the targets with the
 * largest reachvia through this contact (equal values by key), an empty
 * cell (NULL text) when fewer targets are reached.
 *
 * The tag matches as for netref_prospects() (its aliases and narrower
 * tags too, unless exact), and a group filter keeps the targets to the
 * group's members.
 *
 * Cost: one reach run from each contact: O(d (k-1) (n' + m')) for the d
 * contacts of s and the n' people and m' ties within k-1 hops of a
 * contact, plus O(h) for the h people holding the tag and
 * O(r log r) per contact for the r targets it reaches. The runs stop,
 * and the query is refused with #NETREF_ELIMIT, once the people they
 * reached add up to more than #NETREF_ASK_FIRST_MAX_REACHED (a hub with
 * a thousand contacts asking 6 hops deep).
 * @param db the network.
 * @param source the person asking (s).
 * @param tag the tag.
 * @param role #NETREF_ROLE_OFFERS, #NETREF_ROLE_NEEDS or #NETREF_ROLE_ANY.
 * @param opts options (hops, limit, half-life, date), or NULL.
 * @param[out] out the ranked contacts; free with netref_rows_free().
 * @return #NETREF_OK (possibly with no rows), #NETREF_ENOTFOUND for an
 *         unknown source, tag or group, #NETREF_EINVAL for a bad role or
 *         tag, #NETREF_ELIMIT past the bound above, #NETREF_ECANCELED
 *         when interrupted, #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_ask_first(netref_db *db, const char *source,
                                   const char *tag, int role,
                                   const netref_options *opts,
                                   netref_rows **out);

/**
 * The most people netref_ask_first() reaches, summed over its runs from
 * each contact, before it gives up with #NETREF_ELIMIT; chosen so that an
 * accepted query answers within a few seconds (see the README's
 * performance section). 6 hops deep in a network of 100,000 people, a
 * hub with 1,143 contacts hits the bound after about 40 of them;
 * ordinary questions are far below it: 2 hops from a person with 20
 * contacts reach a few hundred.
 */
#define NETREF_ASK_FIRST_MAX_REACHED 4000000ull

/**
 * The most candidate pairs netref_matches() examines: the sum, over the
 * needed tags, of the reached needers of the tag times the reached
 * providers of what a need for it matches. A query with more is refused
 * with #NETREF_ELIMIT, with a result limit or without, before any pair
 * is examined. Chosen so that an accepted query with a limit of up to
 * #NETREF_MATCHES_MAX_ROWS rows answers within a few seconds (see the
 * README's performance section).
 */
#define NETREF_MATCHES_MAX_PAIRS 100000000ull

/**
 * The most rows a netref_matches() answer without a result limit (or
 * with a larger one) may hold. Such an answer may list every candidate
 * pair (see #NETREF_MATCHES_MAX_PAIRS), so a query without a limit, or
 * with a limit above this, whose candidate pairs exceed it is refused
 * with #NETREF_ELIMIT before any pair is examined; a smaller limit lifts
 * this bound. A table of rows takes about 500 bytes per row, so an
 * accepted answer holds about 130 MB at most.
 */
#define NETREF_MATCHES_MAX_ROWS 250000ull

/**
 * Introductions the source could make: pairs (needer, provider), each
 * listed once, such that the needer needs a stored tag, the provider
 * offers a tag that a need for it matches, both are within k hops of the
 * source s (both != s, reach as for netref_prospects() with hop limit
 * k), they are different people and they are not tied to each other.
 *
 * A need for tag N matches offers of N, its aliases and its narrower
 * tags (see "Tag taxonomy"; N alone when the options ask for exact
 * matching). For one need, a provider offering several of them is
 * paired through the closest: N itself, then an alias, then a narrower
 * tag, equal ones in byte order. The row of a need is scored
 * score = weight of the need * reach(needer) * reach(provider),
 * multiplied in that order. A needer and a provider make one row
 * whatever number of needs pair them (several tags, aliases, a tag and
 * a narrower one): the row of the need with the largest score, equal
 * scores by the needed tag, then the offered tag, in byte order.
 * With a tag T, only needs of the tags T matches; an unknown T fails as
 * for netref_prospects(). With a group (netref_options_set_group()),
 * both people of a pair are its members.
 *
 * Rows are ordered by score (descending), then needer key, then provider
 * key (byte order); the result limit (netref_options_set_limit()) keeps
 * the first rows, and the query keeps only that many while it runs.
 *
 * Columns: "needer", "needer_name", "provider", "provider_name", "tag"
 * (the needed tag, stored and normalized), "score", "needer_reach",
 * "provider_reach" (numbers), "offer_tag" (the provider's stored tag:
 * "tag" itself, or an alias or narrower tag of it).
 *
 * Cost: O(k (n_k + m_k)) for the reach run over the n_k people and m_k
 * ties within k hops; O(sum over tags of min(h_T, n_k log h_T)) to find
 * the reached holders (h_T people hold tag T; only the tags T matches
 * when one is given); O(t) per reached need tag named by the taxonomy (t
 * tag relations) to expand it; O(R log R) to group the R reached needs by
 * needer and O(sum of their degrees) to rule out tied pairs; then O(1)
 * per candidate pair, P = the sum over needed tags of reached needers x
 * reached providers, plus O(log L) for each row entering the best L
 * (the limit), and O(L log L) to sort them: O(P log P) time and O(P)
 * memory without a limit. Memory otherwise is O(n + R + the reached
 * providers + L).
 *
 * Bounds. A query with P > #NETREF_MATCHES_MAX_PAIRS is refused with
 * #NETREF_ELIMIT (ask with fewer hops, a tag or a group), and so is one
 * with P > #NETREF_MATCHES_MAX_ROWS without a limit or with a larger
 * limit (ask with a limit); both before any pair is examined, after the
 * reach run and the gathering of the holders, the message giving P and
 * the bound. In netref-gen's network of 100,000 people with 20 ties
 * each, P was at most about 25,000 from 220 random sources at 2 hops
 * (the bench's case), 2.5 million from the best-connected people at 2
 * hops and 22 million at 6 hops; in 20,000 people, 0.9 million at 6
 * hops (answered with a limit, refused without).
 * @param db the network.
 * @param source the person who would introduce.
 * @param tag a tag to restrict the pairs to, or NULL for every tag.
 * @param opts options (hops, limit, half-life, date, exact, group), or
 *        NULL.
 * @param[out] out the ranked pairs; free with netref_rows_free().
 * @return #NETREF_OK (possibly with no rows), #NETREF_ENOTFOUND for an
 *         unknown source, tag or group, #NETREF_ELIMIT when there are
 *         too many candidate pairs (see the bounds), #NETREF_EVERSION
 *         for a group filter on a read-only file from before groups,
 *         #NETREF_EINVAL for a bad tag, #NETREF_ENOMEM.
 */
NETREF_EXTERN int netref_matches(netref_db *db, const char *source,
                                 const char *tag, const netref_options *opts,
                                 netref_rows **out);

/** @} */

/** @name Brokers
 *
 * Who connects the people around the source: the brokers of its k-hop
 * network, by betweenness centrality (computed with igraph).
 *
 * igraph keeps process-wide state (its error and warning handlers; the
 * Debian build has no thread-local storage). netref calls igraph only
 * inside netref_connectors(), one call at a time in the whole process
 * (a process-wide mutex), with its own handlers installed for the
 * duration (errors return instead of aborting, warnings are dropped)
 * and the previous handlers restored afterwards. A host program that
 * also uses igraph may do so freely between netref calls, but should
 * not call igraph from another thread while netref_connectors() runs.
 * @{ */

/**
 * Who connects the people around the source: the people of the source's
 * k-hop network ranked by their betweenness within that network.
 *
 * The k-hop network. Let s be the source and k the hop limit
 * (netref_options_set_hops(), 1 to #NETREF_MAX_HOPS, default
 * #NETREF_DEFAULT_HOPS). The network is every person within k hops of s
 * (hop distance: ties on a shortest path), s included, with every tie
 * among them (the induced subnetwork: a tie between two people k hops
 * away counts too).
 *
 * Betweenness. For a person v of that network,
 * betweenness(v) = the sum over unordered pairs {a, b} of other people
 * of the network of sigma_ab(v) / sigma_ab, where sigma_ab is the number
 * of shortest paths between a and b within the network and sigma_ab(v)
 * the number of those passing through v. Shortest means fewest ties:
 * strengths, recency decay and the reference date are not used, because
 * a strength says how warm a tie is, not how long it is, and turning it
 * into a length (such as -log strength, which netref_path() uses) would
 * make betweenness hinge on rounding: igraph needs positive lengths and
 * with a strength of 1 that length is 0, and products of strengths below
 * 1 rarely tie, so most pairs would have a single "shortest" path.
 * Computed with igraph_betweenness() (Brandes' algorithm), undirected,
 * unweighted, and reported rounded to 40 significant bits (about 12
 * decimal digits), so that equal betweenness summed in a different order
 * compares equal.
 *
 * Rows. The source and people with betweenness 0 are left out. Rows are
 * ordered by betweenness (descending), then key (byte order); the result
 * limit (netref_options_set_limit()) keeps the first rows. Columns:
 * "key", "name", "hops" (from the source, 1 to k), "betweenness"
 * (numbers read with netref_rows_real()).
 *
 * Cost: O(n_k + m_k) to collect the n_k people and m_k ties of the
 * network from the index, then O(n_k m_k) time and O(n_k + m_k) memory
 * for Brandes' algorithm: one breadth-first search per person. So the
 * cost grows with the product of people and ties, steeply with k: in
 * a network of a million people with 20 ties each, the median 2-hop
 * network of a random person has about 500 people and 900 ties, but
 * that of the best-connected person 128,355 people and 510,527 ties
 * (n_k m_k = 6.5e10, 650 times the bound below).
 *
 * Refusal. A query whose n_k * m_k exceeds #NETREF_CONNECTORS_MAX_COST
 * is refused with #NETREF_ELIMIT after the O(n_k + m_k) collection
 * alone, its message giving n_k, m_k and the bound.
 * @param db the network.
 * @param source the person asking (s).
 * @param opts options (hops, limit), or NULL for the defaults.
 * @param[out] out the ranked people; free with netref_rows_free().
 * @return #NETREF_OK (possibly with no rows), #NETREF_ENOTFOUND for an
 *         unknown source, #NETREF_ELIMIT when the network is too large
 *         (see the cost), #NETREF_EINVAL for a NULL or malformed
 *         argument, #NETREF_ENOMEM, #NETREF_ERROR for an unexpected
 *         igraph failure (its message included).
 */
NETREF_EXTERN int netref_connectors(netref_db *db, const char *source,
                                    const netref_options *opts,
                                    netref_rows **out);

/**
 * The largest n_k * m_k (people times ties of the k-hop network) for
 * which netref_connectors() runs Brandes' algorithm; past it the query is
 * refused with #NETREF_ELIMIT (ask with fewer hops). Chosen so that an
 * accepted query answers within a few seconds (see the README's
 * performance section).
 */
#define NETREF_CONNECTORS_MAX_COST 100000000ull

/** @} */

/** @name Query results
 * Accessors answer a NULL result or a row out of range with the "no
 * value" of their type (see the conventions at the top): NULL for text,
 * NaN for reach and score, -1 for hops, 0 for a path length.
 * @{ */

/**
 * Number of rows.
 * @param res the result (NULL gives 0).
 * @return the row count.
 */
NETREF_EXTERN size_t netref_result_count(const netref_result *res);

/**
 * Key of the person in a row.
 * @param res the result.
 * @param row the row index.
 * @return the key.
 */
NETREF_EXTERN const char *netref_result_key(const netref_result *res,
                                            size_t row);

/**
 * Display name of the person in a row.
 * @param res the result.
 * @param row the row index.
 * @return the name.
 */
NETREF_EXTERN const char *netref_result_name(const netref_result *res,
                                             size_t row);

/**
 * Hop distance from the source (ties on a shortest path).
 * @param res the result.
 * @param row the row index.
 * @return 1 to k, or -1.
 */
NETREF_EXTERN int netref_result_hops(const netref_result *res, size_t row);

/**
 * reach(p): the product of strengths along the best path.
 * @param res the result.
 * @param row the row index.
 * @return a value in [0,1], or NaN.
 */
NETREF_EXTERN double netref_result_reach(const netref_result *res, size_t row);

/**
 * The row's score (see each query).
 * @param res the result.
 * @param row the row index.
 * @return a value in [0,1], or NaN.
 */
NETREF_EXTERN double netref_result_score(const netref_result *res, size_t row);

/**
 * Key of the introducer: the second person on the best path.
 * @param res the result.
 * @param row the row index.
 * @return the key, or NULL when the best path is the direct tie.
 */
NETREF_EXTERN const char *netref_result_introducer(const netref_result *res,
                                                   size_t row);

/**
 * Number of people on the best path, the source and the person included.
 * @param res the result.
 * @param row the row index.
 * @return at least 2, or 0 for a bad argument.
 */
NETREF_EXTERN size_t netref_result_path_length(const netref_result *res,
                                               size_t row);

/**
 * Key of one person on the best path; position 0 is the source.
 * @param res the result.
 * @param row the row index.
 * @param pos the position on the path.
 * @return the key, or NULL when out of range.
 */
NETREF_EXTERN const char *netref_result_path_key(const netref_result *res,
                                                 size_t row, size_t pos);

/**
 * The stored tag that matched (normalized).
 * @param res the result.
 * @param row the row index.
 * @return the tag; NULL for rows of netref_path().
 */
NETREF_EXTERN const char *netref_result_tag(const netref_result *res,
                                            size_t row);

/**
 * Every row's numbers at once, for bindings that read a whole result in
 * a few calls instead of one per cell. Each array given receives
 * netref_result_count() elements, row by row; pass NULL for any not
 * wanted.
 * Cost: O(r) for r rows.
 * @param res the result.
 * @param[out] hops as netref_result_hops(); may be NULL.
 * @param[out] reach as netref_result_reach(); may be NULL.
 * @param[out] score as netref_result_score(); may be NULL.
 * @param[out] path_length as netref_result_path_length(); may be
 *        NULL.
 * @return #NETREF_OK, #NETREF_EINVAL for a NULL result (message in
 *         netref_errmsg(NULL)).
 */
NETREF_EXTERN int netref_result_numbers(const netref_result *res, int *hops,
                                        double *reach, double *score,
                                        size_t *path_length);

/**
 * Every row's text at once, in one block owned by the result, for
 * bindings (one copy and one split instead of a call per string). The
 * block holds, row after row: the keys of the row's best path
 * (netref_result_path_length() of them, the source first and the row's
 * person last), the person's name, then the tag (netref_result_tag();
 * an empty string when there is none: a stored tag is never empty);
 * each string UTF-8 and ending with its NUL byte, back to back. The
 * introducer is the path's second key when the path has more than two.
 * @param res the result.
 * @param[out] size receives the block's size in bytes (0 when the
 *        result has no rows or is NULL); may be NULL.
 * @return the block, valid until netref_result_free(); NULL for a NULL
 *         result.
 */
NETREF_EXTERN const char *netref_result_text(const netref_result *res,
                                             size_t *size);

/**
 * Free a result. Accepts NULL.
 * @param res the result.
 */
NETREF_EXTERN void netref_result_free(netref_result *res);

/** @} */

/** @name Referral ledger
 * An introduction is a referral: an introducer put a seeker in touch with
 * a target (three different people), optionally about a tag, on a date,
 * with a note. It is identified by a generated id, never reused.
 *
 * Its status moves only forward along proposed -> made -> accepted ->
 * converted (steps may be skipped: proposed -> accepted is fine), except
 * that declined may follow proposed, made or accepted. Converted and
 * declined are final. Converting records the value of the business the
 * introduction brought (as referral groups record "thank you for closed
 * business").
 *
 * An introduction counts as made once it reaches made, accepted or
 * converted (one declined while still proposed never was). With
 * #NETREF_FIELD_WARM_TIE, the moment it is made also creates or warms the
 * tie between seeker and target: a new tie gets strength
 * #NETREF_DEFAULT_STRENGTH, last contact the date it was made and context
 * "introduced by KEY" (the introducer); an existing tie's strength is
 * raised to at least that and its last contact moved forward to that
 * date (never back), its context kept.
 *
 * The ledger needs schema version 2. A read-only handle on a file written
 * by an older netref fails here with #NETREF_EVERSION; opening the file
 * read-write once upgrades it.
 * @{ */

/** Status: suggested, not yet made. */
#define NETREF_INTRO_PROPOSED 1
/** Status: the introducer has put the two in touch. */
#define NETREF_INTRO_MADE 2
/** Status: the target took the seeker up. */
#define NETREF_INTRO_ACCEPTED 3
/** Status (final): it brought business; its value is recorded. */
#define NETREF_INTRO_CONVERTED 4
/** Status (final): the seeker or the target declined. */
#define NETREF_INTRO_DECLINED 5

/**
 * The name of a status, as netref_intro_list() reports it.
 * @param status one of the `NETREF_INTRO_*` statuses.
 * @return "proposed", "made", "accepted", "converted" or "declined" (a
 *         static string), or NULL for an unknown status.
 */
NETREF_EXTERN const char *netref_intro_status_name(int status);

/**
 * Record an introduction.
 * Cost: O(log n + log i) for n people and i introductions.
 * @param db the network.
 * @param introducer the person who makes the introduction.
 * @param seeker the person who is put in touch (not the introducer).
 * @param target the person the seeker is put in touch with (neither of
 *        the others).
 * @param fields #NETREF_FIELD_TAG (what it is about), #NETREF_FIELD_DATE
 *        (when it was recorded, default today; also the date of its
 *        status), #NETREF_FIELD_NOTE, #NETREF_FIELD_STATUS (proposed,
 *        made or accepted; the final statuses are reached with
 *        netref_intro_set_status()), #NETREF_FIELD_WARM_TIE; or NULL for
 *        none (a proposed introduction dated today).
 * @param[out] id receives the new introduction's id (> 0); may be NULL.
 * @return #NETREF_OK; #NETREF_ENOTFOUND for an unknown person (the
 *         message names the key); #NETREF_EINVAL for a NULL argument,
 *         people who are not three different ones, a bad tag, a final
 *         status or a field it does not take; #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_intro_add(netref_db *db, const char *introducer,
                                   const char *seeker, const char *target,
                                   const netref_fields *fields, long long *id);

/**
 * Move an introduction to a later status (see the rules above).
 * Cost: O(log i) for i introductions, plus O(log n) to warm a tie.
 * @param db the network.
 * @param id the introduction.
 * @param status the new status, one of the `NETREF_INTRO_*` statuses.
 * @param fields #NETREF_FIELD_DATE (when it changed, not before the
 *        previous change; default today) and, with
 *        #NETREF_INTRO_CONVERTED only, #NETREF_FIELD_VALUE (the value of
 *        the business it brought; default 0, unknown); or NULL for none.
 * @return #NETREF_OK; #NETREF_ENOTFOUND for an unknown id;
 *         #NETREF_EINVAL for a move that is not forward, a move from a
 *         final status, an unknown status, a date before the last
 *         change, a value with another status or a field it does not
 *         take; #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_intro_set_status(netref_db *db, long long id,
                                          int status,
                                          const netref_fields *fields);

/**
 * List introductions.
 * Cost: O(i log i) for the i introductions listed.
 * @param db the network.
 * @param person list those in which this person is introducer, seeker or
 *        target; NULL lists all.
 * @param[out] out columns "id", "introducer", "seeker", "target" (keys),
 *        "tag" (NULL when none), "created", "status" (its name), "changed"
 *        (date of the last status change), "made" (date it was made; NULL
 *        while proposed and when declined before being made), "note",
 *        "value" (NULL unless converted), "warm_tie" (1 or 0); ordered by
 *        created, then id.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person,
 *         #NETREF_EINVAL, #NETREF_EVERSION for a read-only handle on an
 *         older file.
 */
NETREF_EXTERN int netref_intro_list(netref_db *db, const char *person,
                                    netref_rows **out);

/**
 * Who has done a person favours, and whom has the person helped: per
 * counterpart c, the introductions that were made (see above) between
 * person P and c. Introductions in which P is the target are not
 * counted: they were made for their seeker.
 * Cost: O(i log i) for the i introductions P made or was made for.
 * @param db the network.
 * @param person P.
 * @param[out] out one row per counterpart, columns "key", "name" (of c),
 *        "made_for" (introductions P made for c: P introducer, c seeker),
 *        "made_by" (introductions c made for P: c introducer, P seeker),
 *        "converted" (how many of those, in either direction, converted),
 *        "value" (sum of the values of the converted introductions c made
 *        for P: the business c brought P), "value_given" (the same for
 *        those P made for c: the business P brought c); ordered by
 *        made_for + made_by (descending), then key.
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person,
 *         #NETREF_EINVAL, #NETREF_EVERSION for a read-only handle on an
 *         older file.
 */
NETREF_EXTERN int netref_balance(netref_db *db, const char *person,
                                 netref_rows **out);

/** @} */

/** @name Keeping in touch
 * A tie may carry a keep-in-touch cadence: how many days may pass between
 * contacts before the tie is overdue (#NETREF_FIELD_CADENCE of
 * netref_tie_set(); the "cadence" column of netref_tie_list()). An interaction
 * is a dated contact between two people (met, call, message, ...), logged with
 * netref_contact_log(); logging one moves the tie's last contact forward
 * to its date, so a reminder of netref_reconnect() resets after the
 * contact.
 *
 * These functions need schema version 3. A read-only handle on a file
 * written by an older netref fails here with #NETREF_EVERSION (and
 * netref_tie_list() reports no cadence); opening the file read-write
 * once upgrades it.
 * @{ */

/**
 * Log an interaction between two people, in one transaction: the
 * interaction is recorded, and the tie's last contact is moved forward
 * to its date (never back: a contact older than the recorded last
 * contact changes nothing else). When the two have no tie, one is
 * created with strength #NETREF_DEFAULT_STRENGTH, last contact the date
 * and no context.
 * Cost: O(log n + log i) for n ties and i interactions.
 * @param db the network.
 * @param a one person.
 * @param b the other person (not a).
 * @param fields #NETREF_FIELD_DATE (default today),
 *        #NETREF_FIELD_KIND (default "met"), #NETREF_FIELD_NOTE; or NULL
 *        for none.
 * @param[out] id receives the new interaction's id (> 0); may be NULL.
 * @return #NETREF_OK; #NETREF_ENOTFOUND for an unknown person;
 *         #NETREF_EINVAL for a NULL argument, the same person twice or a
 *         field it does not take; #NETREF_EREADONLY.
 */
NETREF_EXTERN int netref_contact_log(netref_db *db, const char *a,
                                     const char *b, const netref_fields *fields,
                                     long long *id);

/**
 * List a person's interactions.
 * Cost: O(i log i) for the i interactions of the person.
 * @param db the network.
 * @param person the person.
 * @param[out] out columns "id", "key", "name" (of the other person),
 *        "date", "kind", "note" (NULL when none); newest first (by date,
 *        then by id descending).
 * @return #NETREF_OK, #NETREF_ENOTFOUND for an unknown person,
 *         #NETREF_EINVAL, #NETREF_EVERSION for a read-only handle on an
 *         older file.
 */
NETREF_EXTERN int netref_contact_list(netref_db *db, const char *person,
                                      netref_rows **out);

/**
 * Whom has the source lost touch with that is worth reconnecting with?
 *
 * Overdue. A direct tie s-c is overdue when the days from its last
 * contact to the reference date (netref_options_set_today(); today by
 * default) are more than its due age: the tie's cadence, or
 * `older_than_days` for a tie without one (when that is 0, ties without
 * a cadence are never overdue). Exactly the due age is not overdue. A
 * tie without a recorded last contact (or with an unreadable one) is
 * overdue, with days_overdue NULL (never contacted). A last contact
 * after the reference date is never overdue.
 *
 * Score. Let the matching people be those p != s who offer a tag s
 * needs or need a tag s offers, each of s's tags matching as in a tag
 * query (netref_prospects()): itself, its aliases and its narrower
 * tags, or itself alone with exact matching. With k the hop limit
 * (netref_options_set_hops(), default #NETREF_DEFAULT_HOPS),
 * score(c) = strength(s,c) * sum of reach_c(p) over the matching people
 * p that c reaches, where c reaches itself with reach_c(c) = 1, and
 * every other p within k-1 ties of c with reach_c(p) the largest product
 * of strengths over walks of at most k-1 ties from c that do not pass
 * through s (as in the Queries section, with c as the source). So with
 * k = 1 only c itself counts. Need weights, the half-life option and
 * recency decay are not used (the ties in question have cooled by
 * definition).
 *
 * Rows are ordered by score (descending), then days_overdue
 * (descending, never contacted first), then key (byte order); the limit
 * option keeps the first rows.
 *
 * Cost: O(d log n) to read the source's d ties, plus, for each of the
 * o overdue ones, O((k-1)(n_c + m_c) + r_c t log h) for the n_c people
 * and m_c ties within k-1 hops of c, the r_c people reached, the t tags
 * of the source (each expanded once, O(x) for the x tag relations it
 * reaches) and h holders per matched tag; and O(o log o) to sort.
 * @param db the network.
 * @param source the person asking (s).
 * @param older_than_days the due age in days of ties without a cadence
 *        (> 0), or 0 to consider only ties with a cadence.
 * @param opts options (hops, today, limit), or NULL for the defaults.
 * @param[out] out columns "key", "name" (of c), "days_overdue" (days
 *        past the due age; NULL when never contacted), "score", "tags"
 *        (the source's tags the matching people matched, in byte order,
 *        separated by a newline: a normalized tag never contains one;
 *        "" when none), "people" (how many matching people), then
 *        "last_contact" (NULL when none) and "cadence" (NULL when none).
 * @return #NETREF_OK (possibly with no rows), #NETREF_ENOTFOUND for an
 *         unknown source, #NETREF_EINVAL for a negative older_than_days,
 *         #NETREF_EVERSION for a read-only handle on an older file.
 */
NETREF_EXTERN int netref_reconnect(netref_db *db, const char *source,
                                   int older_than_days,
                                   const netref_options *opts,
                                   netref_rows **out);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* NETREF_H */
