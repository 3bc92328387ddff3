/* The SQLite store: opening and checking a database file, the schema,
 * cached statements and transactions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
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
    /* Each tie is stored twice, as (a,b) and (b,a), so that a person's
     * ties are one range of the primary key and no second index is
     * needed. */
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

/* migrations[i] upgrades a database from schema version i+1 to i+2. A
 * new database gets schema_v1 and then every migration; an older one is
 * upgraded when opened read-write. Append only: never edit one that has
 * shipped. */
static const char *const migrations[] = {
    NULL, /* placeholder: the list must not be empty */
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
};
#define NR_MIGRATIONS ((int)(sizeof migrations / sizeof *migrations) - 1)
#define NR_SCHEMA_VERSION (1 + NR_MIGRATIONS)

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         (uint32_t)p[3];
}

/* Look at the file before SQLite does, so that a foreign or truncated
 * file gets a precise error and is never written to. */
static int check_file(const char *path, int flags, int *is_new) {
  struct stat st;
  *is_new = 0;
  if (stat(path, &st) != 0) {
    if (errno != ENOENT)
      return nr_fail(NULL, NETREF_EIO, "%s: %s", path, strerror(errno));
    if (!(flags & NETREF_OPEN_CREATE))
      return nr_fail(NULL, NETREF_ENOTFOUND, "no such database: %s", path);
    *is_new = 1;
    return NETREF_OK;
  }
  if (S_ISDIR(st.st_mode))
    return nr_fail(NULL, NETREF_EIO, "%s: is a directory", path);
  if (st.st_size == 0) {
    *is_new = 1;
    return NETREF_OK;
  }
  FILE *f = fopen(path, "rb");
  if (!f)
    return nr_fail(NULL, NETREF_EIO, "%s: %s", path, strerror(errno));
  unsigned char h[100];
  size_t got = fread(h, 1, sizeof h, f);
  fclose(f);
  static const char magic[16] = "SQLite format 3";
  if (got >= 16 && got < sizeof h && memcmp(h, magic, 16) == 0)
    return nr_fail(NULL, NETREF_ECORRUPT,
                   "%s: database file is truncated (%zu bytes)", path, got);
  if (got < sizeof h || memcmp(h, magic, 16) != 0)
    return nr_fail(NULL, NETREF_ENOTDB,
                   "%s: not a netref database (not an SQLite file)", path);
  uint32_t page = (uint32_t)h[16] << 8 | h[17];
  if (page == 1)
    page = 65536;
  uint32_t pages = be32(h + 28);
  int size_valid = pages > 0 && be32(h + 24) == be32(h + 92);
  if (page < 512 || (page & (page - 1)) != 0)
    return nr_fail(NULL, NETREF_ECORRUPT, "%s: damaged database header",
                   path);
  if ((st.st_size % page) != 0 ||
      (size_valid && (uint64_t)st.st_size < (uint64_t)pages * page))
    return nr_fail(NULL, NETREF_ECORRUPT,
                   "%s: database file is truncated (%lld bytes, expected %llu)",
                   path, (long long)st.st_size,
                   (unsigned long long)pages * page);
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

/* Run sql in its own transaction; the message goes to the thread. */
static int exec_transaction(netref_db *db, const char *what,
                            const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db->sql, "BEGIN", NULL, NULL, &err);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db->sql, sql, NULL, NULL, &err);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, &err);
  if (rc != SQLITE_OK) {
    nr_fail(NULL, nr_code_from_sqlite(rc), "%s: %s", what,
            err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    return nr_code_from_sqlite(rc);
  }
  return NETREF_OK;
}

/* Bring a database at schema version `from` (0: empty) to the current
 * one, in one transaction. */
static int upgrade(netref_db *db, int from) {
  size_t size = sizeof schema_v1 + 128;
  for (int i = from > 0 ? from - 1 : 0; i < NR_MIGRATIONS; i++)
    size += strlen(migrations[i + 1]);
  char *sql = malloc(size);
  if (!sql)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  int n = snprintf(sql, size, "%sPRAGMA application_id=%d;",
                   from == 0 ? schema_v1 : "", NR_APPLICATION_ID);
  for (int i = from > 0 ? from - 1 : 0; i < NR_MIGRATIONS; i++)
    n += snprintf(sql + n, size - (size_t)n, "%s;", migrations[i + 1]);
  snprintf(sql + n, size - (size_t)n, "PRAGMA user_version=%d;",
           NR_SCHEMA_VERSION);
  int rc = exec_transaction(db, from == 0 ? "cannot create schema"
                                          : "cannot upgrade schema",
                            sql);
  free(sql);
  if (rc == NETREF_OK)
    db->schema_version = NR_SCHEMA_VERSION;
  return rc;
}

/* Decide whether the open file is ours, new, or someone else's. */
static int check_schema(netref_db *db, const char *path) {
  int app = 0, version = 0, tables = 0;
  int rc = pragma_int(db, "PRAGMA application_id", &app);
  if (rc == SQLITE_OK)
    rc = pragma_int(db, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK)
    rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables);
  if (rc != SQLITE_OK) {
    int code = nr_code_from_sqlite(rc);
    if (code == NETREF_ENOTDB)
      return nr_fail(NULL, code, "%s: not a netref database", path);
    return nr_fail(NULL, code == NETREF_ERROR ? NETREF_ECORRUPT : code,
                   "%s: cannot read database: %s", path, sqlite3_errstr(rc));
  }
  if (app == NR_APPLICATION_ID) {
    if (version > NR_SCHEMA_VERSION)
      return nr_fail(NULL, NETREF_EVERSION,
                     "%s: schema version %d is newer than this netref "
                     "(%s) understands (%d); upgrade netref",
                     path, version, NETREF_VERSION, NR_SCHEMA_VERSION);
    if (version < 1)
      return nr_fail(NULL, NETREF_ECORRUPT, "%s: schema version missing",
                     path);
    db->schema_version = version;
    /* A read-only handle on an older file reads what it has; features
     * from later versions report NETREF_EVERSION (nr_check_schema). */
    if (version < NR_SCHEMA_VERSION && !db->readonly)
      return upgrade(db, version);
    return NETREF_OK;
  }
  if (app == 0 && tables == 0 && version == 0) {
    if (db->readonly)
      return nr_fail(NULL, NETREF_ENOTDB,
                     "%s: empty file, not a netref database", path);
    return upgrade(db, 0);
  }
  return nr_fail(NULL, NETREF_ENOTDB,
                 "%s: not a netref database (an SQLite file of another "
                 "program)",
                 path);
}

int netref_open(const char *path, netref_db **out) {
  return netref_open_with(path, NETREF_OPEN_CREATE, out);
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
  int is_new = memory;
  if (!memory) {
    int rc = check_file(path, flags, &is_new);
    if (rc != NETREF_OK)
      return rc;
  }
  netref_db *db = calloc(1, sizeof *db);
  if (!db)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  db->readonly = (flags & NETREF_OPEN_READONLY) != 0;
  int oflags = SQLITE_OPEN_NOMUTEX |
               (db->readonly ? SQLITE_OPEN_READONLY
                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path, &db->sql, oflags, NULL);
  int code = NETREF_OK;
  if (rc != SQLITE_OK) {
    code = nr_fail(NULL, nr_code_from_sqlite(rc), "%s: cannot open: %s",
                   path, db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
  } else {
    sqlite3_extended_result_codes(db->sql, 1);
    sqlite3_busy_timeout(db->sql, 5000);
    code = check_schema(db, path);
  }
  if (code == NETREF_OK) {
    rc = sqlite3_exec(db->sql, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
      code = nr_fail(NULL, nr_code_from_sqlite(rc), "%s: %s", path,
                     sqlite3_errstr(rc));
  }
  if (code != NETREF_OK) {
    sqlite3_close_v2(db->sql);
    free(db);
    return code;
  }
  *out = db;
  return NETREF_OK;
}

void netref_close(netref_db *db) {
  if (!db)
    return;
  for (int i = 0; i < NR_STMT_COUNT; i++)
    sqlite3_finalize(db->stmts[i]);
  nr_index_free(db->index);
  nr_taxonomy_free(db->taxonomy);
  sqlite3_close_v2(db->sql);
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

int nr_begin(netref_db *db) {
  return db->in_import ? NETREF_OK : nr_exec(db, "BEGIN IMMEDIATE");
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
  int rc = change ? nr_check_change(db)
                  : (db ? NETREF_OK
                        : nr_fail(NULL, NETREF_EINVAL,
                                  "database handle is NULL"));
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
                     int (*lookup)(netref_db *, const char *,
                                   sqlite3_int64 *),
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

int nr_step_done(netref_db *db, sqlite3_stmt *st, const char *what) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return nr_fail_sql(db, rc, what);
  return NETREF_OK;
}
