/* Error codes, their texts, and the per-handle / per-thread messages. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* Failures of calls without a handle (open, options, ...) land here. */
static _Thread_local char thread_errmsg[NR_ERRMSG_SIZE];

const char *netref_strerror(int code) {
  switch (code) {
  case NETREF_OK: return "success";
  case NETREF_ERROR: return "internal error";
  case NETREF_EINVAL: return "invalid argument";
  case NETREF_ENOMEM: return "out of memory";
  case NETREF_ENOTFOUND: return "not found";
  case NETREF_EEXISTS: return "already exists";
  case NETREF_ENOTDB: return "not a netref database";
  case NETREF_ECORRUPT: return "database is damaged or truncated";
  case NETREF_EVERSION: return "database was written by a newer netref";
  case NETREF_EIO: return "input/output error";
  case NETREF_EPARSE: return "bad input data";
  case NETREF_EBUSY: return "database is locked";
  case NETREF_EREADONLY: return "database is open read-only";
  case NETREF_ELIMIT: return "the query is too large to answer";
  case NETREF_ECANCELED: return "canceled";
  default: return "unknown error";
  }
}

const char *netref_errmsg(const netref_db *db) {
  if (!db)
    return thread_errmsg;
  return db->errmsg_long ? db->errmsg_long : db->errmsg;
}

int nr_fail(netref_db *db, int code, const char *fmt, ...) {
  char *buf = db ? db->errmsg : thread_errmsg;
  if (db) {
    free(db->errmsg_long);
    db->errmsg_long = NULL;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, NR_ERRMSG_SIZE, fmt, ap);
  va_end(ap);
  return code;
}

int nr_fail_owned(netref_db *db, int code, char *text) {
  free(db->errmsg_long);
  db->errmsg_long = text;
  return code;
}

int nr_code_from_sqlite(int sqlite_rc) {
  switch (sqlite_rc & 0xff) {
  case SQLITE_OK: return NETREF_OK;
  case SQLITE_NOMEM: return NETREF_ENOMEM;
  case SQLITE_NOTADB: return NETREF_ENOTDB;
  case SQLITE_CORRUPT: return NETREF_ECORRUPT;
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return NETREF_EBUSY;
  case SQLITE_READONLY: return NETREF_EREADONLY;
  case SQLITE_INTERRUPT: return NETREF_ECANCELED;
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
  case SQLITE_FULL:
  case SQLITE_PERM: return NETREF_EIO;
  default: return NETREF_ERROR;
  }
}

int nr_fail_sql(netref_db *db, int sqlite_rc, const char *what) {
  const char *detail = db && db->sql ? sqlite3_errmsg(db->sql)
                                     : sqlite3_errstr(sqlite_rc);
  return nr_fail(db, nr_code_from_sqlite(sqlite_rc), "%s: %s", what, detail);
}
