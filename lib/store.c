/* The SQLite store: opening and checking a database file, the schema,
 * cached statements and transactions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "query_ctx.h"
#include "snapshot.h"
#include "taxonomy.h"

/* 'netr' in PRAGMA application_id marks a file as a netref database. */
#define NR_APPLICATION_ID 0x6E657472

static const char schema_v1[] =
    "CREATE TABLE person("
    " id INTEGER PRIMARY KEY,"
    " key TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL);"
    "CREATE TABLE person_attr("
    " person INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " PRIMARY KEY (person, name)) WITHOUT ROWID;"
    /* Schema versions 1 to 4 store each tie twice, as (a,b) and (b,a);
     * migration 4 -> 5 keeps one row per tie (see there). */
    "CREATE TABLE tie("
    " a INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " b INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " strength REAL NOT NULL CHECK (strength > 0 AND strength <= 1),"
    " last_contact TEXT,"
    " context TEXT,"
    " PRIMARY KEY (a, b),"
    " CHECK (a <> b)) WITHOUT ROWID;"
    "CREATE TABLE offer("
    " person INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " tag TEXT NOT NULL,"
    " note TEXT,"
    " PRIMARY KEY (person, tag)) WITHOUT ROWID;"
    "CREATE INDEX offer_by_tag ON offer(tag);"
    "CREATE TABLE need("
    " person INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " tag TEXT NOT NULL,"
    " weight REAL NOT NULL CHECK (weight > 0 AND weight <= 1),"
    " PRIMARY KEY (person, tag)) WITHOUT ROWID;"
    "CREATE INDEX need_by_tag ON need(tag);";

/* migrations[v], for v >= 1, upgrades a database from schema version v
 * to v+1; migrations[0] is a NULL placeholder, never run, so an entry's
 * index is the version it upgrades from and the current schema version
 * is the number of entries. upgrade() runs migrations[from] to the last
 * in one transaction: a new database gets schema_v1 and then every
 * migration; an older one is upgraded when opened read-write. Append
 * only: never edit one that has shipped. */
static const char *const migrations[] = {
    NULL, /* placeholder: index v upgrades from version v */
    /* 1 -> 2: the referral ledger (ledger.c). Dates are "YYYY-MM-DD";
     * `made` is the date the introduction was made (NULL while proposed,
     * or when declined before that); `value` is set exactly when it
     * converted. AUTOINCREMENT: an id is never given out twice. */
    "CREATE TABLE introduction("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " introducer INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " seeker INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " target INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " tag TEXT,"
    " created TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN"
    "  ('proposed', 'made', 'accepted', 'converted', 'declined')),"
    " changed TEXT NOT NULL,"
    " made TEXT,"
    " note TEXT,"
    " value REAL CHECK (value >= 0),"
    " warm_tie INTEGER NOT NULL DEFAULT 0 CHECK (warm_tie IN (0, 1)),"
    " CHECK (introducer <> seeker AND introducer <> target"
    "  AND seeker <> target),"
    " CHECK ((status = 'converted') = (value IS NOT NULL)));"
    "CREATE INDEX introduction_by_introducer"
    " ON introduction(introducer, seeker);"
    "CREATE INDEX introduction_by_seeker ON introduction(seeker, introducer);"
    "CREATE INDEX introduction_by_target ON introduction(target);",
    /* 2 -> 3: keeping in touch (reconnect.c). A tie's keep-in-touch
     * cadence in days (NULL: none), on both rows of the tie; and the
     * interactions, one row each, dated "YYYY-MM-DD". */
    "ALTER TABLE tie ADD COLUMN cadence INTEGER"
    " CHECK (cadence IS NULL OR cadence > 0);"
    "CREATE TABLE interaction("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " a INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " b INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " date TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " note TEXT,"
    " CHECK (a <> b));"
    "CREATE INDEX interaction_by_a ON interaction(a, date);"
    "CREATE INDEX interaction_by_b ON interaction(b, date);",
    /* 3 -> 4: the tag taxonomy (taxonomy.c) and groups (groups.c).
     * `tag alias other`: the two tags name the same thing (symmetric);
     * `tag broader other`: other is the broader term, tag the narrower
     * one. Tags are stored normalized. A group is an event or a
     * community; membership is context, never a tie. */
    "CREATE TABLE tag_relation("
    " tag TEXT NOT NULL,"
    " relation TEXT NOT NULL CHECK (relation IN ('alias', 'broader')),"
    " other TEXT NOT NULL,"
    " PRIMARY KEY (tag, relation, other),"
    " CHECK (tag <> other)) WITHOUT ROWID;"
    "CREATE INDEX tag_relation_by_other ON tag_relation(other);"
    "CREATE TABLE network_group("
    " id INTEGER PRIMARY KEY,"
    " key TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL);"
    "CREATE TABLE group_member("
    " grp INTEGER NOT NULL REFERENCES network_group(id) ON DELETE CASCADE,"
    " person INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " PRIMARY KEY (grp, person)) WITHOUT ROWID;"
    "CREATE INDEX group_member_by_person ON group_member(person);",
    /* 4 -> 5: what tells a persisted index (snapshot.c) whether it
     * describes this file as it is now. One row: `identity`, drawn once,
     * so that a snapshot of another database file is refused; `changes`,
     * which every write transaction of netref raises by one in the
     * transaction itself (nr_begin), and `stamp`, which it redraws, so
     * that two copies of one file that took the same number of writes
     * since still differ. A program writing the file without netref
     * must do the same (docs/reliability.md). */
    "CREATE TABLE netref_state("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " identity INTEGER NOT NULL,"
    " changes INTEGER NOT NULL,"
    " stamp INTEGER NOT NULL);"
    "INSERT INTO netref_state VALUES (1, random(), 0, random())",
    /* 5 -> 6 (NR_TIE_ONCE_SCHEMA): each tie stored once, as (a, b) with
     * a < b, instead of in both orientations: half the rows to write on
     * import and half the file; and its last contact as a day number
     * (NR_DAY_TEXT), text only where it was not a valid date. A person's ties
     * are the range a = p of the primary key plus the range b = p of tie_by_b
     * (which also keeps the foreign key's ON DELETE CASCADE on b from scanning
     * the table). check_tie_mirrors() runs first: every old row must have its
     * mirror, with the same values, or nothing is changed. */
    "CREATE TABLE tie_once("
    " a INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " b INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " strength REAL NOT NULL CHECK (strength > 0 AND strength <= 1),"
    " last_contact," /* no affinity: a day number, or older text */
    " context TEXT,"
    " cadence INTEGER CHECK (cadence IS NULL OR cadence > 0),"
    " PRIMARY KEY (a, b),"
    " CHECK (a < b)) WITHOUT ROWID;"
    "INSERT INTO tie_once(a, b, strength, last_contact, context, cadence)"
    " SELECT a, b, strength,"
    "  iif(typeof(last_contact) = 'text' AND length(last_contact) = 10"
    "   AND last_contact GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
    "   AND last_contact >= '0001'"
    "   AND date(julianday(last_contact)) IS last_contact,"
    "   CAST(julianday(last_contact) - 2440587.5 AS INTEGER), last_contact),"
    "  context, cadence FROM tie"
    " WHERE a < b ORDER BY a, b;"
    "DROP TABLE tie;"
    "ALTER TABLE tie_once RENAME TO tie;"
    "CREATE INDEX tie_by_b ON tie(b);",
};
#define NR_MIGRATIONS ((int)(sizeof migrations / sizeof *migrations) - 1)
#define NR_SCHEMA_VERSION (1 + NR_MIGRATIONS)

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         (uint32_t)p[3];
}

static const char sqlite_magic[16] = "SQLite format 3";

/* What the file at a path is, from stat() alone. */
enum file_kind { FILE_MISSING, FILE_EMPTY, FILE_DATA };

static int path_with_suffix(const char *path, const char *suffix, char *buf,
                            size_t size) {
  return snprintf(buf, size, "%s%s", path, suffix) < (int)size;
}

/* A -journal or -wal beside the file that may hold changes SQLite must
 * recover (or replay) before the file itself means anything. */
static int has_sidecar(const char *path, const char *suffix) {
  char name[4096];
  struct stat st;
  return path_with_suffix(path, suffix, name, sizeof name) &&
         stat(name, &st) == 0 && st.st_size > 0;
}

/* netref never opens the database file itself: POSIX record locks belong
 * to a process and a file, so closing any descriptor of the file drops
 * every lock the process holds on it, among them the locks of SQLite
 * connections (other handles of this process) that tell other programs
 * the file is in use. A program that then believes it is the file's last
 * user checkpoints and deletes the WAL under a live writer, and commits
 * are lost. So the file is looked at with stat() and, once SQLite has
 * opened it, through SQLite's own file handle, whose descriptors SQLite
 * keeps while any of its connections holds a lock. */
static int classify_file(const char *path, enum file_kind *kind) {
  struct stat st;
  *kind = FILE_DATA; /* set on every path: gcc -O1 cannot see the codes */
  if (stat(path, &st) != 0) {
    if (errno != ENOENT)
      return nr_fail(NULL, NETREF_EIO, "%s: %s", path, strerror(errno));
    *kind = FILE_MISSING;
    return NETREF_OK;
  }
  if (S_ISDIR(st.st_mode))
    return nr_fail(NULL, NETREF_EIO, "%s: is a directory", path);
  int sidecar = has_sidecar(path, "-journal") || has_sidecar(path, "-wal");
  *kind = st.st_size == 0 && !sidecar ? FILE_EMPTY : FILE_DATA;
  return NETREF_OK;
}

/* Up to sizeof *h bytes of the start of the open database file, and its
 * size, read through SQLite's file handle (see classify_file). */
static int read_head(netref_db *db, const char *path, unsigned char h[100],
                     size_t *got, sqlite3_int64 *size) {
  sqlite3_file *f = NULL;
  *got = 0;
  if (sqlite3_file_control(db->sql, "main", SQLITE_FCNTL_FILE_POINTER, &f) !=
          SQLITE_OK ||
      !f || !f->pMethods || f->pMethods->xFileSize(f, size) != SQLITE_OK)
    return nr_fail(NULL, NETREF_EIO, "%s: cannot read the file", path);
  size_t want = *size < 100 ? (size_t)*size : 100;
  if (want > 0 && f->pMethods->xRead(f, h, (int)want, 0) != SQLITE_OK)
    return nr_fail(NULL, NETREF_EIO, "%s: cannot read the file", path);
  *got = want;
  return NETREF_OK;
}

/* Before SQLite reads the file: only a file that starts like an SQLite
 * database is handed to it, so that a text file (or any other program's
 * file) is never changed. A file with a journal or WAL beside it goes to
 * SQLite whatever its size: it may be mid-transaction, and SQLite
 * recovers it first. */
static int check_magic(netref_db *db, const char *path) {
  unsigned char h[100];
  size_t got;
  sqlite3_int64 size;
  int rc = read_head(db, path, h, &got, &size);
  if (rc != NETREF_OK)
    return rc;
  int sidecar = has_sidecar(path, "-journal") || has_sidecar(path, "-wal");
  size_t magic = got < sizeof sqlite_magic ? got : sizeof sqlite_magic;
  if (got > 0 && (memcmp(h, sqlite_magic, magic) != 0 ||
                  (got < sizeof sqlite_magic && !sidecar)))
    return nr_fail(NULL, NETREF_ENOTDB,
                   "%s: not a netref database (not an SQLite file)", path);
  if (got > 0 && got < sizeof h && !sidecar)
    return nr_fail(NULL, NETREF_ECORRUPT,
                   "%s: database file is truncated (%zu bytes)", path, got);
  return NETREF_OK;
}

/* Create a missing file readable by its owner alone. SQLite gives its
 * journal, WAL and shared-memory files the mode of the database file, so
 * they are private too. An existing file keeps its mode: make it group
 * readable with chmod to share it. (The descriptor closed here is of a
 * file that did not exist a moment ago, so no SQLite connection of this
 * process holds locks on it; see classify_file.) */
static int create_private(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    return nr_fail(NULL, NETREF_EIO, "%s: cannot create: %s", path,
                   strerror(errno));
  if (fd >= 0)
    close(fd);
  return NETREF_OK;
}

/* After SQLite has recovered the file (rolled back a hot journal or read
 * a WAL): the size the header promises must be there. SQLite reads a
 * short page as zeros, so a cut file would otherwise pass as damaged
 * data. Pages may legitimately live in a WAL, so with a WAL beside the
 * file the check is SQLite's own (it refuses a header that promises more
 * pages than the file and WAL hold). */
static int check_size(netref_db *db, const char *path) {
  unsigned char h[100];
  size_t got;
  sqlite3_int64 size;
  int rc = read_head(db, path, h, &got, &size);
  if (rc != NETREF_OK)
    return rc;
  if (size == 0) /* new, or emptied by rolling back its creation */
    return NETREF_OK;
  if (got < sizeof h)
    return nr_fail(NULL, NETREF_ECORRUPT,
                   "%s: database file is truncated (%lld bytes)", path,
                   (long long)size);
  if (has_sidecar(path, "-wal"))
    return NETREF_OK;
  uint32_t page = (uint32_t)h[16] << 8 | h[17];
  if (page == 1)
    page = 65536;
  if (page < 512 || (page & (page - 1)) != 0)
    return nr_fail(NULL, NETREF_ECORRUPT, "%s: damaged database header", path);
  uint32_t pages = be32(h + 28);
  int size_valid = pages > 0 && be32(h + 24) == be32(h + 92);
  if ((size % page) != 0 ||
      (size_valid && (uint64_t)size < (uint64_t)pages * page))
    return nr_fail(NULL, NETREF_ECORRUPT,
                   "%s: database file is truncated (%lld bytes, expected %llu)",
                   path, (long long)size, (unsigned long long)pages * page);
  return NETREF_OK;
}

static int pragma_int(netref_db *db, const char *sql, int *out) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      *out = sqlite3_column_int(st, 0);
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* One value of a tie row into a running 64-bit FNV-1a hash, with its
 * type, so that NULL, 1 and '1' differ. */
static uint64_t hash_value(uint64_t h, sqlite3_stmt *st, int col) {
  int type = sqlite3_column_type(st, col);
  const unsigned char *p = NULL;
  size_t n = 0;
  sqlite3_int64 i;
  double d;
  if (type == SQLITE_INTEGER) {
    i = sqlite3_column_int64(st, col);
    p = (const unsigned char *)&i;
    n = sizeof i;
  } else if (type == SQLITE_FLOAT) {
    d = sqlite3_column_double(st, col);
    p = (const unsigned char *)&d;
    n = sizeof d;
  } else if (type != SQLITE_NULL) {
    p = sqlite3_column_blob(st, col);
    n = (size_t)sqlite3_column_bytes(st, col);
  }
  h = (h ^ (uint64_t)type) * 1099511628211u;
  for (size_t k = 0; k < n; k++)
    h = (h ^ p[k]) * 1099511628211u;
  return (h ^ n) * 1099511628211u;
}

/* Whether the rows (a, b) and the rows (b, a) of the old layout are the
 * same ties with the same values, in one scan: the sums of a hash of
 * each row as (smaller, larger, values) over either orientation agree,
 * and their counts. (A lookup of each row's mirror took minutes for 10M
 * ties.) *same is 0 also for a tie of a person to themself. */
static int tie_mirrors_sum(netref_db *db, int *same) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db->sql,
                              "SELECT a, b, strength, last_contact, context,"
                              " cadence FROM tie",
                              -1, &st, NULL);
  uint64_t sum[2] = {0, 0}, count[2] = {0, 0};
  int self = 0;
  if (rc == SQLITE_OK)
    rc = sqlite3_step(st);
  for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
    sqlite3_int64 a = sqlite3_column_int64(st, 0),
                  b = sqlite3_column_int64(st, 1);
    sqlite3_int64 lo = a < b ? a : b, hi = a < b ? b : a;
    uint64_t h = 1469598103934665603u;
    h = (h ^ (uint64_t)lo) * 1099511628211u;
    h = (h ^ (uint64_t)hi) * 1099511628211u;
    for (int col = 2; col < 6; col++)
      h = hash_value(h, st, col);
    self |= a == b;
    sum[a > b] += h;
    count[a > b]++;
  }
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  sqlite3_finalize(st);
  *same = !self && sum[0] == sum[1] && count[0] == count[1];
  return rc;
}

/* Before migration 4 -> 5 keeps one row per tie: every row of the old
 * layout must have its mirror with the same values, or the file is not
 * what netref wrote (damaged, or edited by hand) and guessing which row
 * is right would be silently wrong. When the sums say a tie differs, a
 * slower query names it. The message goes to the thread. */
static int check_tie_mirrors(netref_db *db, const char *what) {
  static const char sql[] =
      "SELECT coalesce(pa.key, t.a), coalesce(pb.key, t.b) FROM tie t"
      " LEFT JOIN person pa ON pa.id = t.a LEFT JOIN person pb ON pb.id = t.b"
      " WHERE t.a = t.b OR NOT EXISTS (SELECT 1 FROM tie u"
      " WHERE u.a = t.b AND u.b = t.a AND u.strength IS t.strength"
      " AND u.last_contact IS t.last_contact AND u.context IS t.context"
      " AND u.cadence IS t.cadence) LIMIT 1";
  int same = 0;
  int step = tie_mirrors_sum(db, &same);
  sqlite3_stmt *st = NULL;
  if (step == SQLITE_OK && same)
    return NETREF_OK;
  if (step == SQLITE_OK)
    step = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
  if (step == SQLITE_OK)
    step = sqlite3_step(st);
  int code = NETREF_OK;
  if (step == SQLITE_ROW)
    code = nr_fail(NULL, NETREF_ECORRUPT,
                   "%s: the tie between '%s' and '%s' is not stored the same "
                   "way in both directions, as netref writes it (a damaged "
                   "or hand-edited file); nothing was changed",
                   what, (const char *)sqlite3_column_text(st, 0),
                   (const char *)sqlite3_column_text(st, 1));
  else if (step == SQLITE_DONE) /* the sums differ, yet no row does */
    code = nr_fail(NULL, NETREF_ECORRUPT,
                   "%s: the ties are not stored the same way in both "
                   "directions (a damaged file); nothing was changed",
                   what);
  else
    code = nr_fail(NULL, nr_code_from_sqlite(step), "%s: %s", what,
                   sqlite3_errmsg(db->sql));
  sqlite3_finalize(st);
  return code;
}

/* The schema (for an empty file) and migrations[from..] in order, then
 * the file's identity and version; inside exec_upgrade's transaction. */
static int run_migrations(netref_db *db, const char *what, int from) {
  char *err = NULL;
  char tail[128];
  snprintf(tail, sizeof tail, "PRAGMA application_id=%d;PRAGMA user_version=%d",
           NR_APPLICATION_ID, NR_SCHEMA_VERSION);
  int rc = from == 0 ? sqlite3_exec(db->sql, schema_v1, NULL, NULL, &err)
                     : SQLITE_OK;
  for (int v = from > 0 ? from : 1; rc == SQLITE_OK && v <= NR_MIGRATIONS;
       v++) {
    if (v == NR_TIE_ONCE_SCHEMA - 1 && from > 0) {
      int code = check_tie_mirrors(db, what);
      if (code != NETREF_OK)
        return code;
    }
    rc = sqlite3_exec(db->sql, migrations[v], NULL, NULL, &err);
  }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db->sql, tail, NULL, NULL, &err);
  if (rc == SQLITE_OK)
    return NETREF_OK;
  int code = nr_fail(NULL, nr_code_from_sqlite(rc), "%s: %s", what,
                     err ? err : sqlite3_errmsg(db->sql));
  sqlite3_free(err);
  return code;
}

/* Upgrade in a write transaction unless the file's schema version has
 * moved from `from` meanwhile (another process created or upgraded it
 * first: then there is nothing left to do). The message goes to the
 * thread. */
static int exec_upgrade(netref_db *db, const char *what, int from) {
  char *err = NULL;
  int version = -1, app = 0, tables = 0;
  int rc = sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, &err);
  if (rc == SQLITE_OK)
    rc = pragma_int(db, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK)
    rc = pragma_int(db, "PRAGMA application_id", &app);
  if (rc == SQLITE_OK)
    rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables);
  /* An empty file that another program filled meanwhile is theirs. */
  if (rc == SQLITE_OK && from == 0 && version == 0 &&
      (app != 0 || tables != 0)) {
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    return nr_fail(NULL, NETREF_ENOTDB,
                   "%s: not a netref database (another program created "
                   "tables in it meanwhile)",
                   what);
  }
  if (rc == SQLITE_OK && version == from) {
    /* Migration 4 -> 5 reads every tie row twice (check_tie_mirrors) and
     * copies the table: with SQLite's default 2 MB cache each lookup is
     * a read from the file (10M ties: 211 s, most of it system time). */
    sqlite3_exec(db->sql, "PRAGMA cache_size=-262144", NULL, NULL, NULL);
    int code = run_migrations(db, what, from);
    sqlite3_exec(db->sql, "PRAGMA cache_size=-2000", NULL, NULL, NULL);
    if (code != NETREF_OK) {
      sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
      return code;
    }
  }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, &err);
  if (rc != SQLITE_OK) {
    nr_fail(NULL, nr_code_from_sqlite(rc), "%s: %s", what,
            err ? err : sqlite3_errmsg(db->sql));
    sqlite3_free(err);
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    return nr_code_from_sqlite(rc);
  }
  if (version != from && version != NR_SCHEMA_VERSION)
    return nr_fail(NULL, NETREF_EBUSY,
                   "%s: another program changed the schema to version %d "
                   "meanwhile",
                   what, version);
  return NETREF_OK;
}

/* Bring a database at schema version `from` (0: empty) to the current
 * one, in one transaction. */
static int upgrade(netref_db *db, int from) {
  int rc = exec_upgrade(
      db, from == 0 ? "cannot create schema" : "cannot upgrade schema", from);
  if (rc == NETREF_OK)
    db->schema_version = NR_SCHEMA_VERSION;
  return rc;
}

/* What the file says it is: read in one read transaction, the first
 * one on this connection, so that SQLite has recovered the file (rolled
 * back a hot journal, read a WAL) before netref looks at it. */
struct identity {
  int app, version, tables;
};

static int read_identity(netref_db *db, const char *path, struct identity *id) {
  int rc = sqlite3_exec(db->sql, "BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &id->tables);
  if (rc == SQLITE_OK)
    rc = pragma_int(db, "PRAGMA application_id", &id->app);
  if (rc == SQLITE_OK)
    rc = pragma_int(db, "PRAGMA user_version", &id->version);
  int code = NETREF_OK;
  if (rc == SQLITE_OK && path)
    code = check_size(db, path);
  sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
  if (code != NETREF_OK)
    return code;
  if (rc == SQLITE_OK)
    return NETREF_OK;
  code = nr_code_from_sqlite(rc);
  if (code == NETREF_ENOTDB)
    return nr_fail(NULL, code, "%s: not a netref database", path);
  if (rc == SQLITE_READONLY_ROLLBACK || rc == SQLITE_READONLY_RECOVERY)
    return nr_fail(NULL, NETREF_EREADONLY,
                   "%s: a crashed change must be recovered first, which "
                   "needs write access to the file and its directory",
                   path);
  return nr_fail(NULL, code == NETREF_ERROR ? NETREF_ECORRUPT : code,
                 "%s: cannot read database: %s", path, sqlite3_errmsg(db->sql));
}

/* Decide whether the open file is ours, new, or someone else's; create
 * the schema only when the caller allowed it. */
static int check_schema(netref_db *db, const char *path, int may_create) {
  struct identity id = {0, 0, 0};
  int rc = read_identity(db, db->memory ? NULL : path, &id);
  if (rc != NETREF_OK)
    return rc;
  if (id.app == NR_APPLICATION_ID) {
    if (id.version > NR_SCHEMA_VERSION)
      return nr_fail(NULL, NETREF_EVERSION,
                     "%s: schema version %d is newer than this netref "
                     "(%s) understands (%d); upgrade netref",
                     path, id.version, NETREF_VERSION, NR_SCHEMA_VERSION);
    if (id.version < 1)
      return nr_fail(NULL, NETREF_ECORRUPT, "%s: schema version missing", path);
    db->schema_version = id.version;
    /* A read-only handle on an older file reads what it has; features
     * from later versions report NETREF_EVERSION (nr_check_schema). */
    if (id.version < NR_SCHEMA_VERSION && !db->readonly)
      return upgrade(db, id.version);
    return NETREF_OK;
  }
  if (id.app == 0 && id.tables == 0 && id.version == 0) {
    if (!may_create)
      return nr_fail(NULL, NETREF_ENOTDB,
                     "%s: empty file, not a netref database (only "
                     "NETREF_OPEN_CREATE makes one)",
                     path);
    return upgrade(db, 0);
  }
  return nr_fail(NULL, NETREF_ENOTDB,
                 "%s: not a netref database (an SQLite file of another "
                 "program)",
                 path);
}

/* Switch the file to WAL unless it is there already: the switch takes
 * an exclusive lock, which a file already in WAL mode must not wait for
 * while other programs read it. */
static int use_wal(netref_db *db) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db->sql, "PRAGMA journal_mode", -1, &st, NULL);
  int wal = 0;
  if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *mode = (const char *)sqlite3_column_text(st, 0);
    wal = mode && strcmp(mode, "wal") == 0;
    rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_OK && !wal)
    rc = sqlite3_exec(db->sql, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
  return rc;
}

/* Settings of every connection: integrity (foreign keys), privacy
 * (removed rows overwritten with zeros whatever SQLite's build default),
 * durability (a commit is on disk when it returns) and, for writers, WAL
 * so that readers never wait for them. The journal mode is a property of
 * the file: set once by the first writer, kept by SQLite. */
static int configure(netref_db *db, const char *path) {
  static const char common[] = "PRAGMA foreign_keys=ON;"
                               "PRAGMA secure_delete=ON;"
                               "PRAGMA synchronous=FULL;";
  char *err = NULL;
  int rc = sqlite3_exec(db->sql, common, NULL, NULL, &err);
  if (rc == SQLITE_OK && db->readonly)
    rc = sqlite3_exec(db->sql, "PRAGMA query_only=ON", NULL, NULL, &err);
  /* A read-only handle never writes, not even the checkpoint SQLite runs
   * when the last connection to a WAL file closes. */
  if (rc == SQLITE_OK && db->readonly)
    rc = sqlite3_db_config(db->sql, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  if (rc == SQLITE_OK && !db->readonly && !db->memory)
    rc = use_wal(db);
  if (rc != SQLITE_OK) {
    nr_fail(NULL, nr_code_from_sqlite(rc), "%s: %s", path,
            err ? err : sqlite3_errmsg(db->sql));
    sqlite3_free(err);
    return nr_code_from_sqlite(rc);
  }
  return NETREF_OK;
}

/* SQLite calls these as a transaction ends. A write transaction of this
 * handle must have counted itself (bump_changes): one that did not would
 * leave a snapshot of the data before it looking current to every other
 * program, so it is refused (rolled back) rather than committed. Let
 * through: the rewrite of nr_scrub, which changes no row, and a
 * transaction that wrote nothing to the database file (only TEMP). */
static int on_commit(void *arg) {
  netref_db *db = arg;
  int counted = db->bumped || db->uncounted_ok ||
                sqlite3_txn_state(db->sql, "main") != SQLITE_TXN_WRITE;
  db->bumped = 0;
  return !counted;
}

static void on_rollback(void *arg) { ((netref_db *)arg)->bumped = 0; }

/* Whether the file has netref_state (schema version 5 on; a read-only
 * handle on an older file has not): by name rather than by version, so
 * that the migration may be renumbered. */
static int probe_state(netref_db *db, const char *path) {
  int found = 0;
  int rc = pragma_int(db,
                      "SELECT count(*) FROM sqlite_master"
                      " WHERE type = 'table' AND name = 'netref_state'",
                      &found);
  if (rc != SQLITE_OK)
    return nr_fail(NULL, nr_code_from_sqlite(rc), "%s: %s", path,
                   sqlite3_errmsg(db->sql));
  db->has_state = found > 0;
  return NETREF_OK;
}

int netref_open(const char *path, netref_db **out) {
  return netref_open_with(path, NETREF_OPEN_CREATE, out);
}

/* SQLite calls this every few thousand virtual machine steps: a
 * non-zero return stops the statement with SQLITE_INTERRUPT, which
 * nr_code_from_sqlite maps to NETREF_ECANCELED. */
static int on_sqlite_progress(void *db) { return nr_interrupted(db); }

/* Check the file before SQLite opens it: a missing file is created
 * (private) only with NETREF_OPEN_CREATE, an empty one is left alone
 * without it. */
static int prepare_file(const char *path, int flags) {
  enum file_kind kind;
  int rc = classify_file(path, &kind);
  if (rc != NETREF_OK)
    return rc;
  int create = (flags & NETREF_OPEN_CREATE) != 0;
  if (kind == FILE_MISSING && !create)
    return nr_fail(NULL, NETREF_ENOTFOUND, "no such database: %s", path);
  if (kind == FILE_EMPTY && !create)
    return nr_fail(NULL, NETREF_ENOTDB,
                   "%s: empty file, not a netref database (only "
                   "NETREF_OPEN_CREATE makes one)",
                   path);
  return kind == FILE_MISSING ? create_private(path) : NETREF_OK;
}

int netref_open_with(const char *path, int flags, netref_db **out) {
  if (out)
    *out = NULL;
  if (!path || !out || !*path)
    return nr_fail(NULL, NETREF_EINVAL, "netref_open: path and out required");
  if ((flags & ~(NETREF_OPEN_CREATE | NETREF_OPEN_READONLY)) ||
      ((flags & NETREF_OPEN_CREATE) && (flags & NETREF_OPEN_READONLY)))
    return nr_fail(NULL, NETREF_EINVAL, "netref_open: bad flags %d", flags);
  int memory = strcmp(path, ":memory:") == 0;
  if (!memory) {
    int rc = prepare_file(path, flags);
    if (rc != NETREF_OK)
      return rc;
  }
  netref_db *db = calloc(1, sizeof *db);
  if (!db)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  db->readonly = (flags & NETREF_OPEN_READONLY) != 0;
  db->memory = memory;
  db->busy_timeout = NETREF_DEFAULT_BUSY_TIMEOUT;
  /* Read-write at SQLite's level even for a read-only handle, so that
   * SQLite can recover a file a crash left mid-transaction; the handle
   * itself (and PRAGMA query_only) never writes. SQLite falls back to
   * reading only when the file is write-protected. The file exists by
   * now, so SQLite never creates one. */
  int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE |
               (memory ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path, &db->sql, oflags, NULL);
  int code = NETREF_OK;
  if (rc != SQLITE_OK) {
    code = nr_fail(NULL, nr_code_from_sqlite(rc), "%s: cannot open: %s", path,
                   db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
  } else {
    sqlite3_extended_result_codes(db->sql, 1);
    sqlite3_busy_timeout(db->sql, db->busy_timeout);
    sqlite3_progress_handler(db->sql, 4096, on_sqlite_progress, db);
    code = memory ? NETREF_OK : check_magic(db, path);
    if (code == NETREF_OK)
      code = check_schema(db, path, (flags & NETREF_OPEN_CREATE) != 0);
  }
  if (code == NETREF_OK)
    code = configure(db, path);
  if (code == NETREF_OK)
    code = probe_state(db, path);
  if (code == NETREF_OK) {
    sqlite3_commit_hook(db->sql, on_commit, db);
    sqlite3_rollback_hook(db->sql, on_rollback, db);
    db->snapshots = nr_snapshot_mode();
  }
  if (code != NETREF_OK) {
    sqlite3_close_v2(db->sql);
    free(db);
    return code;
  }
  *out = db;
  return NETREF_OK;
}

void netref_interrupt(netref_db *db) {
  if (!db)
    return;
  unsigned run = atomic_load(&db->run);
  if (run & 1)
    atomic_store(&db->stop, run);
}

void nr_run_begin(netref_db *db) {
  if (db)
    atomic_fetch_add(&db->run, 1);
}

int nr_run_end(netref_db *db, int rc) {
  if (db) {
    atomic_fetch_add(&db->run, 1);
    atomic_store(&db->stop, 0);
  }
  return rc;
}

int nr_fail_step(netref_db *db, int code) {
  if (code == NETREF_ECANCELED)
    return nr_fail(db, code, "interrupted (netref_interrupt)");
  if (code == NETREF_ENOMEM)
    return nr_fail(db, code, "out of memory");
  return code; /* recorded where it happened */
}

/* The first row of a check query, when it reports a problem. */
static int first_problem(netref_db *db, const char *sql, int ok_is_row,
                         const char *what) {
  sqlite3_stmt *st;
  int rc = nr_prepare(db, sql, &st);
  if (rc != NETREF_OK)
    return rc;
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    const char *text = (const char *)sqlite3_column_text(st, 0);
    if (!(ok_is_row && text && strcmp(text, "ok") == 0))
      rc = nr_fail(db, NETREF_ECORRUPT, "%s: %s", what,
                   text ? text : "(no detail)");
  } else if (step != SQLITE_DONE) {
    int code = nr_code_from_sqlite(step);
    rc = nr_fail(db, code == NETREF_ERROR ? NETREF_ECORRUPT : code, "%s: %s",
                 what, sqlite3_errmsg(db->sql));
  }
  sqlite3_finalize(st);
  return rc;
}

static int verify(netref_db *db) {
  int own = 0;
  int rc = nr_read_begin(db, &own);
  if (rc == NETREF_OK)
    rc = first_problem(db, "PRAGMA quick_check(1)", 1, "damaged file");
  if (rc == NETREF_OK)
    rc = first_problem(db,
                       "SELECT 'row ' || rowid || ' of ' || \"table\" ||"
                       " ' refers to a missing ' || parent"
                       " FROM pragma_foreign_key_check LIMIT 1",
                       0, "broken reference");
  /* Each tie is one row (a, b) with a < b (the table's CHECK, which a
   * file edited outside netref may lack); before schema version 6, two
   * rows, one in each orientation (see the schema). */
  if (rc == NETREF_OK && nr_tie_once(db))
    rc = first_problem(db,
                       "SELECT 'tie ' || a || '-' || b || ' is stored with"
                       " the larger person id first' FROM tie"
                       " WHERE NOT a < b LIMIT 1",
                       0, "inconsistent ties");
  else if (rc == NETREF_OK)
    rc = first_problem(db,
                       "SELECT 'tie ' || a || '-' || b || ' has no mirror row'"
                       " FROM tie t WHERE NOT EXISTS (SELECT 1 FROM tie u"
                       " WHERE u.a = t.b AND u.b = t.a AND"
                       " u.strength IS t.strength) LIMIT 1",
                       0, "inconsistent ties");
  nr_read_end(db, own);
  return rc;
}

int netref_verify(netref_db *db) {
  if (!db)
    return nr_fail(NULL, NETREF_EINVAL, "database handle is NULL");
  nr_run_begin(db);
  return nr_run_end(db, verify(db));
}

int netref_set_busy_timeout(netref_db *db, int ms) {
  if (!db)
    return nr_fail(NULL, NETREF_EINVAL, "database handle is NULL");
  if (ms < 0)
    return nr_fail(db, NETREF_EINVAL, "busy timeout %d ms is negative", ms);
  sqlite3_busy_timeout(db->sql, ms);
  db->busy_timeout = ms;
  return NETREF_OK;
}

void netref_close(netref_db *db) {
  if (!db)
    return;
  for (int i = 0; i < NR_STMT_COUNT; i++)
    sqlite3_finalize(db->stmts[i]);
  nr_index_free(db->index);
  nr_query_ctx_free(db->query);
  nr_taxonomy_free(db->taxonomy);
  sqlite3_close_v2(db->sql);
  free(db->errmsg_long);
  free(db);
}

int nr_stmt(netref_db *db, enum nr_stmt_id id, const char *sql,
            sqlite3_stmt **out) {
  if (!db->stmts[id]) {
    int rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &db->stmts[id], NULL);
    if (rc != SQLITE_OK)
      return nr_fail_sql(db, rc, "prepare");
  }
  sqlite3_reset(db->stmts[id]);
  sqlite3_clear_bindings(db->stmts[id]);
  *out = db->stmts[id];
  return NETREF_OK;
}

int nr_prepare(netref_db *db, const char *sql, sqlite3_stmt **out) {
  int rc = sqlite3_prepare_v2(db->sql, sql, -1, out, NULL);
  if (rc != SQLITE_OK)
    return nr_fail_sql(db, rc, "prepare");
  return NETREF_OK;
}

int nr_exec(netref_db *db, const char *sql) {
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return nr_fail_sql(db, rc, sql);
  return NETREF_OK;
}

/* Count a write transaction that has just begun in netref_state (see
 * the migration 4 -> 5), for the snapshots' staleness check. */
static int bump_changes(netref_db *db) {
  sqlite3_stmt *st = NULL;
  int rc = nr_stmt(db, NR_STMT_STATE_BUMP,
                   "UPDATE netref_state SET changes = changes + 1,"
                   " stamp = random()",
                   &st);
  if (rc == NETREF_OK)
    rc = nr_step_done(db, st, "count the change");
  if (rc == NETREF_OK)
    db->bumped = 1;
  return rc;
}

int nr_begin(netref_db *db) {
  if (db->in_import)
    return NETREF_OK;
  int rc = nr_exec(db, "BEGIN IMMEDIATE");
  if (rc == NETREF_OK && db->has_state) {
    rc = bump_changes(db);
    if (rc != NETREF_OK)
      sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  }
  return rc;
}

int nr_write_begin(netref_db *db, int *own) {
  *own = 0;
  if (!sqlite3_get_autocommit(db->sql))
    return NETREF_OK;
  int rc = nr_begin(db);
  *own = rc == NETREF_OK;
  return rc;
}

int nr_write_end(netref_db *db, int own, int rc) {
  if (!own)
    return rc;
  if (rc == NETREF_OK)
    rc = nr_commit(db);
  if (rc != NETREF_OK)
    nr_rollback(db);
  return rc;
}

int nr_commit(netref_db *db) {
  return db->in_import ? NETREF_OK : nr_exec(db, "COMMIT");
}

void nr_rollback(netref_db *db) {
  if (!db->in_import && !sqlite3_get_autocommit(db->sql))
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

int nr_check_writable(netref_db *db) {
  if (db->readonly)
    return nr_fail(db, NETREF_EREADONLY, "database is open read-only");
  return NETREF_OK;
}

int nr_check_feature(netref_db *db, int change, int version,
                     const char *feature) {
  int rc = change
               ? nr_check_change(db)
               : (db ? NETREF_OK
                     : nr_fail(NULL, NETREF_EINVAL, "database handle is NULL"));
  if (rc == NETREF_OK)
    rc = nr_check_schema(db, version, feature);
  return rc;
}

int nr_check_schema(netref_db *db, int version, const char *feature) {
  if (db->schema_version < version)
    return nr_fail(db, NETREF_EVERSION,
                   "%s needs schema version %d; this database has %d "
                   "(open it read-write once to upgrade it)",
                   feature, version, db->schema_version);
  return NETREF_OK;
}

int nr_check_change(netref_db *db) {
  if (!db)
    return nr_fail(NULL, NETREF_EINVAL, "database handle is NULL");
  return nr_check_writable(db);
}

void nr_changed(netref_db *db) { db->generation++; }

int nr_sync(netref_db *db) {
  sqlite3_stmt *st = NULL;
  int rc = nr_stmt(db, NR_STMT_DATA_VERSION, "PRAGMA data_version", &st);
  if (rc != NETREF_OK)
    return rc;
  int step = sqlite3_step(st);
  int64_t version = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (step != SQLITE_ROW)
    return nr_fail_sql(db, step, "check for changes");
  if (db->data_version_set && version == db->data_version)
    return NETREF_OK;
  /* Another connection committed: what this handle derived from the
   * file (the index, the taxonomy) is stale. */
  if (db->data_version_set) {
    db->generation++;
    nr_taxonomy_free(db->taxonomy);
    db->taxonomy = NULL;
  }
  /* A read-only handle on an older file reads it as it is; the commit
   * may have been its upgrade, which changes how ties are stored. */
  if (db->schema_version < NR_SCHEMA_VERSION) {
    int now = db->schema_version;
    if (pragma_int(db, "PRAGMA user_version", &now) == SQLITE_OK &&
        now > db->schema_version && now <= NR_SCHEMA_VERSION)
      db->schema_version = now;
  }
  db->data_version = version;
  db->data_version_set = 1;
  return NETREF_OK;
}

int nr_read_begin(netref_db *db, int *own) {
  *own = 0;
  if (sqlite3_get_autocommit(db->sql)) {
    int rc = nr_exec(db, "BEGIN");
    if (rc != NETREF_OK)
      return rc;
    *own = 1;
  }
  /* The first read of the transaction fixes its snapshot. */
  return nr_sync(db);
}

void nr_read_end(netref_db *db, int own) {
  if (own && !sqlite3_get_autocommit(db->sql))
    sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
}

int nr_find_id(netref_db *db, enum nr_stmt_id stmt, const char *sql,
               const char *key, sqlite3_int64 *id, int *found,
               const char *what) {
  sqlite3_stmt *st = NULL; /* gcc -O3 cannot see that nr_stmt sets it */
  *found = 0;
  int rc = nr_stmt(db, stmt, sql, &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    *id = sqlite3_column_int64(st, 0);
    *found = 1;
  }
  sqlite3_reset(st);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return nr_fail_sql(db, step, what);
  return NETREF_OK;
}

int nr_remove_by_key(netref_db *db, const char *key,
                     int (*lookup)(netref_db *, const char *, sqlite3_int64 *),
                     const char *const *deletes, size_t n, const char *what) {
  sqlite3_int64 id;
  int rc = nr_begin(db);
  if (rc == NETREF_OK)
    rc = lookup(db, key, &id);
  for (size_t i = 0; rc == NETREF_OK && i < n; i++) {
    sqlite3_stmt *st;
    rc = nr_prepare(db, deletes[i], &st);
    if (rc == NETREF_OK) {
      sqlite3_bind_int64(st, 1, id);
      rc = nr_step_done(db, st, what);
      sqlite3_finalize(st);
    }
  }
  if (rc == NETREF_OK)
    rc = nr_commit(db);
  if (rc != NETREF_OK)
    nr_rollback(db);
  return rc;
}

/* Why VACUUM as well as secure_delete: secure_delete zeroes a row's
 * bytes when the row is deleted and zeroes whole pages when they are
 * freed, but when SQLite rebalances a b-tree it copies cells to other
 * pages and does not always clear the space they leave behind, so an
 * older copy of a row can sit in a page's unused space where no delete
 * ever reaches it (measured: 2 stray copies among 5832 tie contexts after
 * 3000 tie changes; a forgotten person's tie context survived a remove
 * plus checkpoint in one run of three). VACUUM rebuilds the file from the
 * live rows alone. It writes the whole file through the WAL (0.3 s for a
 * 10,000-person, 8 MB file, against 1 ms for the checkpoint alone), so
 * netref_person_forget pays it and netref_person_remove does not. The
 * TRUNCATE checkpoint then copies the rebuilt pages into the file and
 * empties FILE-wal, which until then still holds the old page images.
 * Neither step may stop halfway on netref_interrupt: the progress
 * handler is off while they run. */
int nr_scrub(netref_db *db, const char *what) {
  if (db->memory)
    return NETREF_OK;
  /* The persisted index holds keys and names too: it goes first, and
   * any snapshot written later is checked against the change counter,
   * which the removal has moved (snapshot.c). */
  nr_snapshot_remove(db);
  sqlite3_progress_handler(db->sql, 0, NULL, NULL);
  db->uncounted_ok = 1;
  int rc = sqlite3_exec(db->sql, "VACUUM", NULL, NULL, NULL);
  db->uncounted_ok = 0;
  if (rc == SQLITE_OK)
    rc = sqlite3_wal_checkpoint_v2(db->sql, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                   NULL, NULL);
  sqlite3_progress_handler(db->sql, 4096, on_sqlite_progress, db);
  if (rc == SQLITE_OK)
    return NETREF_OK;
  const char *file = sqlite3_db_filename(db->sql, "main");
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return nr_fail(db, NETREF_EBUSY,
                   "%s is removed, but traces stay in %s and %s-wal "
                   "until the other programs using the file close it (they "
                   "kept it busy for the whole busy timeout)",
                   what, file, file);
  return nr_fail_sql(db, rc, "wipe removed data (VACUUM, checkpoint)");
}

int nr_step_done(netref_db *db, sqlite3_stmt *st, const char *what) {
  int own = 0;
  int code = sqlite3_stmt_readonly(st) ? NETREF_OK : nr_write_begin(db, &own);
  if (code != NETREF_OK) {
    sqlite3_reset(st);
    return code;
  }
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    code = nr_fail_sql(db, rc, what);
  /* A write that changed no row (a removal of what is not there) leaves
   * the file as it was, counter included. sqlite3_changes() still
   * describes the statement afterwards, for the caller's check. */
  if (own && code == NETREF_OK && sqlite3_changes(db->sql) == 0) {
    nr_rollback(db);
    return NETREF_OK;
  }
  return nr_write_end(db, own, code);
}
