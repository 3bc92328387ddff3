/* People: add, rename, attributes, read, remove, list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

int nr_person_probe(netref_db *db, const char *key, sqlite3_int64 *id,
                    int *found) {
  return nr_find_id(db, NR_STMT_PERSON_ID, "SELECT id FROM person WHERE key=?",
                    key, id, found, "find person");
}

int nr_person_id(netref_db *db, const char *key, sqlite3_int64 *id) {
  int found;
  int rc = nr_person_probe(db, key, id, &found);
  if (rc == NETREF_OK && !found)
    rc = nr_person_unknown(db, key);
  return rc;
}

/* Without RETURNING, which SQLite serves through a temporary table of
 * its own: that doubled the cost of a person (the people file of a
 * 1M-people import). A new row's id is the last inserted rowid; an
 * upsert that updates leaves that as it was, so it is set to 0 first
 * and, still 0 after, the id is looked up by key (right even when a new
 * row got rowid 0, which only a file with negative ids can give). */
static int upsert_row(netref_db *db, const char *key, const char *name,
                      sqlite3_int64 *id) {
  sqlite3_stmt *st;
  int rc = nr_stmt(db, NR_STMT_PERSON_UPSERT,
                   "INSERT INTO person(key, name) VALUES (?1, coalesce(?2, ?1))"
                   " ON CONFLICT(key) DO UPDATE SET name=coalesce(?2, name)",
                   &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (name && *name)
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, 2);
  sqlite3_set_last_insert_rowid(db->sql, 0);
  rc = nr_step_done(db, st, "save person");
  if (rc != NETREF_OK)
    return rc;
  *id = sqlite3_last_insert_rowid(db->sql);
  int found = 1;
  if (*id == 0)
    rc = nr_person_probe(db, key, id, &found);
  if (rc == NETREF_OK && !found)
    rc = nr_fail(db, NETREF_ECORRUPT, "save person '%s': row not found", key);
  return rc;
}

int nr_person_upsert(netref_db *db, const char *key, const char *name,
                     sqlite3_int64 *id) {
  int own;
  int rc = nr_write_begin(db, &own);
  if (rc == NETREF_OK)
    rc = upsert_row(db, key, name, id);
  rc = nr_write_end(db, own, rc);
  if (rc == NETREF_OK)
    nr_changed(db);
  return rc;
}

int nr_person_attr_write(netref_db *db, sqlite3_int64 id, const char *attr,
                         const char *value) {
  sqlite3_stmt *st;
  int remove = !value || !*value;
  int rc =
      remove ? nr_stmt(db, NR_STMT_PERSON_ATTR_DEL,
                       "DELETE FROM person_attr WHERE person=? AND name=?", &st)
             : nr_stmt(db, NR_STMT_PERSON_ATTR_SET,
                       "INSERT INTO person_attr(person, name, value)"
                       " VALUES (?, ?, ?) ON CONFLICT(person, name)"
                       " DO UPDATE SET value=excluded.value",
                       &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, attr, -1, SQLITE_STATIC);
  if (!remove)
    sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
  return nr_step_done(db, st, "save attribute");
}

int nr_person_lookup(netref_db *db, const char *key, sqlite3_int64 *id) {
  int rc = nr_check_text(db, "person key", key, 0);
  return rc == NETREF_OK ? nr_person_id(db, key, id) : rc;
}

/* Common checks of the functions that change a person. */
static int check_change(netref_db *db, const char *key) {
  int rc = nr_check_change(db);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "person key", key, 0);
  return rc;
}

int netref_person_add(netref_db *db, const char *key, const char *name) {
  int rc = nr_check_change(db);
  if (rc == NETREF_OK)
    rc = nr_check_key(db, "person key", key);
  if (rc == NETREF_OK && name)
    rc = nr_check_text(db, "name", name, 1);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_stmt *st;
  rc = nr_stmt(db, NR_STMT_PERSON_INSERT,
               "INSERT INTO person(key, name) VALUES (?1, ?2)", &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, name && *name ? name : key, -1, SQLITE_STATIC);
  int own;
  rc = nr_write_begin(db, &own);
  int step = rc == NETREF_OK ? sqlite3_step(st) : SQLITE_DONE;
  sqlite3_reset(st);
  if (step == SQLITE_CONSTRAINT_UNIQUE)
    rc = nr_fail(db, NETREF_EEXISTS, "person '%s' exists already", key);
  else if (step != SQLITE_DONE)
    rc = nr_fail_sql(db, step, "add person");
  rc = nr_write_end(db, own, rc);
  if (rc == NETREF_OK)
    nr_changed(db);
  return rc;
}

int netref_person_set_name(netref_db *db, const char *key, const char *name) {
  int rc = check_change(db, key);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "name", name, 0);
  sqlite3_int64 id;
  if (rc == NETREF_OK)
    rc = nr_person_id(db, key, &id);
  if (rc == NETREF_OK)
    rc = nr_person_upsert(db, key, name, &id);
  return rc;
}

int netref_person_set_attr(netref_db *db, const char *key, const char *attr,
                           const char *value) {
  int rc = check_change(db, key);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "attribute name", attr, 0);
  if (rc == NETREF_OK && value)
    rc = nr_check_text(db, "attribute value", value, 1);
  if (rc != NETREF_OK)
    return rc;
  /* people.csv reads a column "Key" or "NAME" as the key or the name,
   * so no attribute may be called that in any case. */
  if (strcasecmp(attr, "key") == 0 || strcasecmp(attr, "name") == 0)
    return nr_fail(db, NETREF_EINVAL,
                   "'%s' is not an attribute name (key and name, in any "
                   "case, are a person's own)",
                   attr);
  sqlite3_int64 id;
  rc = nr_person_id(db, key, &id);
  if (rc == NETREF_OK)
    rc = nr_person_attr_write(db, id, attr, value);
  return rc; /* attributes are not indexed: the index stays current */
}

/* Read key, name and attributes into one row of text cells. */
static int person_row(netref_db *db, sqlite3_int64 id, const char *key,
                      netref_rows **out) {
  netref_rows *attrs;
  int rc = nr_list(db,
                   "SELECT 'name', name FROM person WHERE id=?1 UNION ALL"
                   " SELECT * FROM (SELECT name, value FROM person_attr"
                   " WHERE person=?1 ORDER BY name)",
                   id, NULL, &attrs);
  if (rc != NETREF_OK)
    return rc;
  size_t n = netref_rows_count(attrs) + 1;
  const char **names = calloc(n, sizeof *names);
  const char **texts = calloc(n, sizeof *texts);
  if (names && texts) {
    names[0] = "key";
    texts[0] = key;
    for (size_t i = 1; i < n; i++) {
      names[i] = netref_rows_text(attrs, i - 1, 0);
      texts[i] = netref_rows_text(attrs, i - 1, 1);
    }
    rc = nr_rows_single(db, n, names, texts, out);
  } else {
    rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  free(names);
  free(texts);
  netref_rows_free(attrs);
  return rc;
}

int netref_person_get(netref_db *db, const char *key, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  sqlite3_int64 id;
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, key, &id);
  if (rc == NETREF_OK)
    rc = person_row(db, id, key, out);
  return rc;
}

int netref_person_remove(netref_db *db, const char *key) {
  static const char *const deletes[] = {
      "DELETE FROM tie WHERE a=?1",
      "DELETE FROM tie WHERE b=?1",
      "DELETE FROM offer WHERE person=?1",
      "DELETE FROM need WHERE person=?1",
      "DELETE FROM introduction WHERE introducer=?1 OR seeker=?1 OR target=?1",
      "DELETE FROM interaction WHERE a=?1 OR b=?1",
      "DELETE FROM group_member WHERE person=?1",
      "DELETE FROM person_attr WHERE person=?1",
      "DELETE FROM person WHERE id=?1",
  };
  int rc = check_change(db, key);
  if (rc == NETREF_OK)
    rc = nr_remove_by_key(db, key, nr_person_id, deletes,
                          sizeof deletes / sizeof *deletes, "remove person");
  if (rc == NETREF_OK)
    nr_changed(db);
  return rc;
}

int netref_person_forget(netref_db *db, const char *key) {
  /* The removal is netref_person_remove's one transaction: every row
   * about the person, nothing else. Only its wiping is added. */
  int rc = netref_person_remove(db, key);
  if (rc != NETREF_OK)
    return rc;
  char what[NR_ERRMSG_SIZE / 2];
  snprintf(what, sizeof what, "person '%s'", key);
  return nr_scrub(db, what);
}

int netref_person_list(netref_db *db, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc =
        nr_list(db, "SELECT key, name FROM person ORDER BY key", -1, NULL, out);
  return rc;
}
