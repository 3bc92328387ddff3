/* Offers and needs: what people provide and might need, by tag. */
#include <stdlib.h>

#include "internal.h"

/* Step a holding's write and note the tag for the index when a row
 * changed. An add's statement inserts or does nothing (ON CONFLICT DO
 * NOTHING): no change then means the holding was there, *added says so,
 * with no read before the write and no window between the two. */
static int holding_step(netref_db *db, sqlite3_stmt *st, const char *tag,
                        const char *what, int *added) {
  int rc = nr_step_done(db, st, what);
  int changed = rc == NETREF_OK && sqlite3_changes(db->sql) > 0;
  if (changed)
    nr_index_note_holding(db, tag);
  if (added)
    *added = changed;
  return rc;
}

/* Insert or update an offer; with `added`, insert only (see above). */
static int offer_save(netref_db *db, sqlite3_int64 person, const char *tag,
                      const char *note, int *added) {
  sqlite3_stmt *st;
  int rc = added ? nr_stmt(db, NR_STMT_OFFER_ADD,
                           "INSERT INTO offer(person, tag, note)"
                           " VALUES (?1, ?2, nullif(?3, ''))"
                           " ON CONFLICT(person, tag) DO NOTHING",
                           &st)
                 : nr_stmt(db, NR_STMT_OFFER_UPSERT,
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
  return holding_step(db, st, tag, "save offer", added);
}

/* Insert or update a need; with `added`, insert only. */
static int need_save(netref_db *db, sqlite3_int64 person, const char *tag,
                     double weight, int *added) {
  sqlite3_stmt *st;
  int rc = added ? nr_stmt(db, NR_STMT_NEED_ADD,
                           "INSERT INTO need(person, tag, weight)"
                           " VALUES (?1, ?2, coalesce(?3, 1.0))"
                           " ON CONFLICT(person, tag) DO NOTHING",
                           &st)
                 : nr_stmt(db, NR_STMT_NEED_UPSERT,
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
  return holding_step(db, st, tag, "save need", added);
}

int nr_offer_write(netref_db *db, sqlite3_int64 person, const char *tag,
                   const char *note) {
  return offer_save(db, person, tag, note, NULL);
}

int nr_need_write(netref_db *db, sqlite3_int64 person, const char *tag,
                  double weight) {
  return need_save(db, person, tag, weight, NULL);
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

/* The start of an add or set of an offer or need: a writable handle,
 * fields the write takes, a known person and a normalized tag (freed by
 * the caller). */
static int holding_start(netref_db *db, const char *person, const char *tag,
                         const netref_fields *fields, unsigned takes,
                         const char *write, sqlite3_int64 *id, char **norm) {
  int rc = holding_args(db, person, tag, id, norm);
  if (rc == NETREF_OK)
    rc = nr_fields_accept(db, fields, write, takes,
                          takes & NR_FIELD_BIT(NETREF_FIELD_NOTE));
  return rc;
}

/* An add that found the holding there: EEXISTS, naming it. */
static int holding_taken(netref_db *db, const char *person, const char *noun,
                         const char *norm) {
  return nr_fail(db, NETREF_EEXISTS, "'%s' already %ss '%s' (set changes it)",
                 person, noun, norm);
}

#define OFFER_FIELDS NR_FIELD_BIT(NETREF_FIELD_NOTE)
#define NEED_FIELDS NR_FIELD_BIT(NETREF_FIELD_WEIGHT)

/* An add (`add` true: the offer must be new) or a set of an offer. */
static int offer_write(netref_db *db, const char *person, const char *tag,
                       const netref_fields *fields, const char *write,
                       int add) {
  sqlite3_int64 id;
  char *norm;
  int added = 1;
  int rc =
      holding_start(db, person, tag, fields, OFFER_FIELDS, write, &id, &norm);
  if (rc == NETREF_OK)
    rc = offer_save(db, id, norm, nr_fields_text(fields, NETREF_FIELD_NOTE),
                    add ? &added : NULL);
  if (rc == NETREF_OK && !added)
    rc = holding_taken(db, person, "offer", norm);
  free(norm);
  return rc;
}

int netref_offer_add(netref_db *db, const char *person, const char *tag,
                     const netref_fields *fields) {
  return offer_write(db, person, tag, fields, "netref_offer_add", 1);
}

int netref_offer_set(netref_db *db, const char *person, const char *tag,
                     const netref_fields *fields) {
  return offer_write(db, person, tag, fields, "netref_offer_set", 0);
}

/* An add (`add` true: the need must be new) or a set of a need. */
static int need_write(netref_db *db, const char *person, const char *tag,
                      const netref_fields *fields, const char *write, int add) {
  sqlite3_int64 id;
  char *norm;
  int added = 1;
  int rc =
      holding_start(db, person, tag, fields, NEED_FIELDS, write, &id, &norm);
  if (rc == NETREF_OK)
    rc = need_save(db, id, norm,
                   nr_fields_real(fields, NETREF_FIELD_WEIGHT, NR_KEEP),
                   add ? &added : NULL);
  if (rc == NETREF_OK && !added)
    rc = holding_taken(db, person, "need", norm);
  free(norm);
  return rc;
}

int netref_need_add(netref_db *db, const char *person, const char *tag,
                    const netref_fields *fields) {
  return need_write(db, person, tag, fields, "netref_need_add", 1);
}

int netref_need_set(netref_db *db, const char *person, const char *tag,
                    const netref_fields *fields) {
  return need_write(db, person, tag, fields, "netref_need_set", 0);
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
