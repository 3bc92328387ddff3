/* Keeping in touch: logged interactions (contacts) that move a tie's
 * last contact forward (or create the tie). A tie's cadence is one of
 * its fields (ties.c). The reconnect query is in reconnect.c. Schema version
 * 3 (store.c, migrations[2]). */

#include "internal.h"

#define NR_CONTACT_SCHEMA 3
#define NR_CONTACT_FEATURE "keeping in touch (cadences and contacts)"
#define NR_DATE_TEXT 11
#define NR_DEFAULT_KIND "met"

int nr_contact_ready(netref_db *db, int change) {
  return nr_check_feature(db, change, NR_CONTACT_SCHEMA, NR_CONTACT_FEATURE);
}

#define CONTACT_FIELDS                                                        \
  (NR_FIELD_BIT(NETREF_FIELD_DATE) | NR_FIELD_BIT(NETREF_FIELD_KIND) |        \
   NR_FIELD_BIT(NETREF_FIELD_NOTE))
/* A new contact: a cleared field is one not given (today, "met", no
 * note). */
#define CONTACT_CLEARABLE CONTACT_FIELDS

int netref_contact_log(netref_db *db, const char *a, const char *b,
                       const netref_fields *fields, long long *id) {
  if (id)
    *id = 0;
  int rc = nr_contact_ready(db, 1);
  if (rc == NETREF_OK)
    rc = nr_fields_accept(db, fields, "netref_contact_log", CONTACT_FIELDS,
                          CONTACT_CLEARABLE);
  sqlite3_int64 ia, ib;
  if (rc == NETREF_OK)
    rc = nr_two_people(db, a, b, &ia, &ib);
  if (rc != NETREF_OK)
    return rc;
  char day[NR_DATE_TEXT];
  nr_fields_date(fields, NETREF_FIELD_DATE, day);
  const char *kind = nr_fields_text(fields, NETREF_FIELD_KIND);
  const char *note = nr_fields_text(fields, NETREF_FIELD_NOTE);
  sqlite3_stmt *st = NULL;
  int touched = 0;
  rc = nr_begin(db);
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "INSERT INTO interaction(a, b, date, kind, note)"
                    " VALUES (?1, ?2, ?3, ?4, nullif(?5, ''))",
                    &st);
  if (rc == NETREF_OK) {
    sqlite3_bind_int64(st, 1, ia);
    sqlite3_bind_int64(st, 2, ib);
    sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, kind && *kind ? kind : NR_DEFAULT_KIND, -1,
                      SQLITE_STATIC);
    if (note)
      sqlite3_bind_text(st, 5, note, -1, SQLITE_STATIC);
    rc = nr_step_done(db, st, "log contact");
  }
  sqlite3_finalize(st);
  sqlite3_int64 new_id = sqlite3_last_insert_rowid(db->sql);
  /* A new tie starts at the default strength; an existing one keeps its
   * strength and only its last contact may move forward. */
  if (rc == NETREF_OK)
    rc = nr_tie_warm(db, ia, ib, day, 0, NULL, &touched);
  if (rc == NETREF_OK)
    rc = nr_commit(db);
  if (rc != NETREF_OK) {
    nr_rollback(db);
    return rc;
  }
  if (touched)
    nr_index_note_tie(db, ia, ib);
  if (id)
    *id = (long long)new_id;
  return NETREF_OK;
}

int netref_contact_list(netref_db *db, const char *person,
                        netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_contact_ready(db, 0);
  sqlite3_int64 pid;
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, person, &pid);
  if (rc != NETREF_OK)
    return rc;
  return nr_list(db,
                 "SELECT i.id AS id, p.key AS key, p.name AS name,"
                 " i.date AS date, i.kind AS kind, i.note AS note"
                 " FROM interaction i"
                 " JOIN person p ON p.id = iif(i.a = ?1, i.b, i.a)"
                 " WHERE i.a = ?1 OR i.b = ?1"
                 " ORDER BY i.date DESC, i.id DESC",
                 pid, NULL, out);
}
