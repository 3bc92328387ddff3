/* Offers and needs: what people provide and might need, by tag. */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

int nr_offer_write(netref_db *db, sqlite3_int64 person, const char *tag,
                   const char *note) {
  sqlite3_stmt *st;
  int rc = nr_stmt(db, NR_STMT_OFFER_UPSERT,
                   "INSERT INTO offer(person, tag, note)"
                   " VALUES (?1, ?2, nullif(?3, ''))"
                   " ON CONFLICT(person, tag) DO UPDATE SET"
                   " note = iif(?3 IS NULL, note, nullif(?3, ''))",
                   &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, person);
  sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
  if (note)
    sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
  rc = nr_step_done(db, st, "save offer");
  if (rc == NETREF_OK)
    nr_index_note_holding(db, tag);
  return rc;
}

int nr_need_write(netref_db *db, sqlite3_int64 person, const char *tag,
                  double weight) {
  sqlite3_stmt *st;
  int rc = nr_stmt(db, NR_STMT_NEED_UPSERT,
                   "INSERT INTO need(person, tag, weight)"
                   " VALUES (?1, ?2, coalesce(?3, 1.0))"
                   " ON CONFLICT(person, tag) DO UPDATE SET"
                   " weight = coalesce(?3, weight)",
                   &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, person);
  sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
  if (weight != NR_KEEP)
    sqlite3_bind_double(st, 3, weight);
  rc = nr_step_done(db, st, "save need");
  if (rc == NETREF_OK)
    nr_index_note_holding(db, tag);
  return rc;
}

/* A writable handle, a known person and a normalized tag (freed by the
 * caller): the start of removing an offer or need. */
static int holding_args(netref_db *db, const char *person, const char *tag,
                        sqlite3_int64 *id, char **norm) {
  *norm = NULL;
  int rc = nr_check_change(db);
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, person, id);
  if (rc == NETREF_OK)
    rc = nr_tag_normalize(db, tag, norm);
  return rc;
}

/* Whether the person already holds the tag in `table` ("offer" or
 * "need"): `add` must not overwrite. */
static int holding_exists(netref_db *db, const char *table,
                          sqlite3_int64 person, const char *tag, int *exists) {
  char sql[80];
  snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE person = ?1 AND tag = ?2",
           table);
  sqlite3_stmt *st;
  int rc = nr_prepare(db, sql, &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, person);
  sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  sqlite3_finalize(st);
  *exists = step == SQLITE_ROW;
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return nr_fail_sql(db, step, "read holding");
  return NETREF_OK;
}

/* The start of an add or set of an offer or need: a writable handle,
 * fields the write takes, a known person, a normalized tag (freed by
 * the caller) and, for an add (`noun` not NULL), no such holding yet.
 * The check and the write that follows run without a transaction of
 * their own: a holding another program adds in between is updated, as
 * set would, which is the outcome either order gives. */
static int holding_start(netref_db *db, const char *person, const char *tag,
                         const netref_fields *fields, unsigned takes,
                         const char *write, const char *noun, sqlite3_int64 *id,
                         char **norm) {
  int rc = holding_args(db, person, tag, id, norm);
  if (rc == NETREF_OK)
    rc = nr_fields_accept(db, fields, write, takes,
                          takes & NR_FIELD_BIT(NETREF_FIELD_NOTE));
  int exists = 0;
  if (rc == NETREF_OK && noun)
    rc = holding_exists(db, noun, *id, *norm, &exists);
  if (rc == NETREF_OK && exists)
    rc = nr_fail(db, NETREF_EEXISTS, "'%s' already %ss '%s' (set changes it)",
                 person, noun, *norm);
  return rc;
}

#define OFFER_FIELDS NR_FIELD_BIT(NETREF_FIELD_NOTE)
#define NEED_FIELDS NR_FIELD_BIT(NETREF_FIELD_WEIGHT)

static int offer_write(netref_db *db, const char *person, const char *tag,
                       const netref_fields *fields, const char *write,
                       const char *noun) {
  sqlite3_int64 id;
  char *norm;
  int rc = holding_start(db, person, tag, fields, OFFER_FIELDS, write, noun,
                         &id, &norm);
  if (rc == NETREF_OK)
    rc =
        nr_offer_write(db, id, norm, nr_fields_text(fields, NETREF_FIELD_NOTE));
  free(norm);
  return rc;
}

int netref_offer_add(netref_db *db, const char *person, const char *tag,
                     const netref_fields *fields) {
  return offer_write(db, person, tag, fields, "netref_offer_add", "offer");
}

int netref_offer_set(netref_db *db, const char *person, const char *tag,
                     const netref_fields *fields) {
  return offer_write(db, person, tag, fields, "netref_offer_set", NULL);
}

static int need_write(netref_db *db, const char *person, const char *tag,
                      const netref_fields *fields, const char *write,
                      const char *noun) {
  sqlite3_int64 id;
  char *norm;
  int rc = holding_start(db, person, tag, fields, NEED_FIELDS, write, noun, &id,
                         &norm);
  if (rc == NETREF_OK)
    rc = nr_need_write(db, id, norm,
                       nr_fields_real(fields, NETREF_FIELD_WEIGHT, NR_KEEP));
  free(norm);
  return rc;
}

int netref_need_add(netref_db *db, const char *person, const char *tag,
                    const netref_fields *fields) {
  return need_write(db, person, tag, fields, "netref_need_add", "need");
}

int netref_need_set(netref_db *db, const char *person, const char *tag,
                    const netref_fields *fields) {
  return need_write(db, person, tag, fields, "netref_need_set", NULL);
}

static int holding_remove(netref_db *db, const char *person, const char *tag,
                          const char *sql, const char *verb) {
  sqlite3_int64 id;
  char *norm;
  sqlite3_stmt *st = NULL;
  int rc = holding_args(db, person, tag, &id, &norm);
  if (rc == NETREF_OK)
    rc = nr_prepare(db, sql, &st);
  if (rc == NETREF_OK) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
    rc = nr_step_done(db, st, sql);
  }
  sqlite3_finalize(st);
  if (rc == NETREF_OK && sqlite3_changes(db->sql) == 0)
    rc = nr_fail(db, NETREF_ENOTFOUND, "'%s' does not %s '%s'", person, verb,
                 norm);
  else if (rc == NETREF_OK)
    nr_index_note_holding(db, norm);
  free(norm);
  return rc;
}

int netref_offer_remove(netref_db *db, const char *person, const char *tag) {
  return holding_remove(db, person, tag,
                        "DELETE FROM offer WHERE person = ?1 AND tag = ?2",
                        "offer");
}

int netref_need_remove(netref_db *db, const char *person, const char *tag) {
  return holding_remove(db, person, tag,
                        "DELETE FROM need WHERE person = ?1 AND tag = ?2",
                        "need");
}

static int holding_list(netref_db *db, const char *person, const char *sql,
                        netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  sqlite3_int64 id;
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, person, &id);
  if (rc == NETREF_OK)
    rc = nr_list(db, sql, id, NULL, out);
  return rc;
}

int netref_offer_list(netref_db *db, const char *person, netref_rows **out) {
  return holding_list(
      db, person, "SELECT tag, note FROM offer WHERE person = ?1 ORDER BY tag",
      out);
}

int netref_need_list(netref_db *db, const char *person, netref_rows **out) {
  return holding_list(
      db, person, "SELECT tag, weight FROM need WHERE person = ?1 ORDER BY tag",
      out);
}

int netref_tag_people(netref_db *db, const char *tag, int role,
                      netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc != NETREF_OK)
    return rc;
  if (role < NETREF_ROLE_OFFERS || role > NETREF_ROLE_ANY)
    return nr_fail(db, NETREF_EINVAL, "bad role %d", role);
  char *norm;
  rc = nr_tag_normalize(db, tag, &norm);
  if (rc != NETREF_OK)
    return rc;
  /* ?1 selects the roles as a bit set, ?2 is the tag. */
  rc = nr_list(db,
               "SELECT p.key, p.name, 'needs' AS role, n.weight AS weight,"
               " NULL AS note FROM need n JOIN person p ON p.id = n.person"
               " WHERE n.tag = ?2 AND (?1 & 2)"
               " UNION ALL"
               " SELECT p.key, p.name, 'offers', 1.0, o.note FROM offer o"
               " JOIN person p ON p.id = o.person"
               " WHERE o.tag = ?2 AND (?1 & 1)"
               " ORDER BY 1, 3",
               role, norm, out);
  free(norm);
  return rc;
}
