/* Keeping in touch: a tie's keep-in-touch cadence, and logged
 * interactions (contacts) that move a tie's last contact forward (or
 * create the tie). The reconnect query is in reconnect.c. Schema version
 * 3 (store.c, migrations[2]). */

#include "internal.h"

#define NR_CONTACT_SCHEMA 3
#define NR_CONTACT_FEATURE "keeping in touch (cadences and contacts)"
#define NR_DATE_TEXT 11
#define NR_DEFAULT_KIND "met"

int nr_contact_ready(netref_db *db, int change) {
  return nr_check_feature(db, change, NR_CONTACT_SCHEMA, NR_CONTACT_FEATURE);
}

/* Resolve the two people of a tie or contact: two different people. */
static int two_people(netref_db *db, const char *a, const char *b,
                      sqlite3_int64 *ia, sqlite3_int64 *ib) {
  int rc = nr_person_lookup(db, a, ia);
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, b, ib);
  if (rc == NETREF_OK && *ia == *ib)
    rc = nr_fail(db, NETREF_EINVAL,
                 "a tie or contact needs two different people, not '%s' "
                 "twice",
                 a);
  return rc;
}

int netref_tie_set_cadence(netref_db *db, const char *a, const char *b,
                           int days) {
  int rc = nr_contact_ready(db, 1);
  if (rc != NETREF_OK)
    return rc;
  if (days < 0)
    return nr_fail(db, NETREF_EINVAL,
                   "cadence %d is out of range (days > 0, or 0 for none)",
                   days);
  sqlite3_int64 ia, ib;
  rc = two_people(db, a, b, &ia, &ib);
  sqlite3_stmt *st;
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "UPDATE tie SET cadence = nullif(?3, 0)"
                    " WHERE (a = ?1 AND b = ?2) OR (a = ?2 AND b = ?1)",
                    &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, ia);
  sqlite3_bind_int64(st, 2, ib);
  sqlite3_bind_int(st, 3, days);
  /* One statement updates both rows of the tie atomically. The index
   * holds no cadence, so there is nothing to patch. */
  rc = nr_step_done(db, st, "set cadence");
  sqlite3_finalize(st);
  if (rc == NETREF_OK && sqlite3_changes(db->sql) == 0)
    return nr_fail(db, NETREF_ENOTFOUND, "no tie between '%s' and '%s'", a,
                   b);
  return rc;
}

int netref_contact_log(netref_db *db, const char *a, const char *b,
                       const char *date, const char *kind, const char *note,
                       long long *id) {
  if (id)
    *id = 0;
  int rc = nr_contact_ready(db, 1);
  if (rc != NETREF_OK)
    return rc;
  if (!id)
    return nr_fail(db, NETREF_EINVAL, "id is NULL");
  sqlite3_int64 ia, ib;
  rc = two_people(db, a, b, &ia, &ib);
  char day[NR_DATE_TEXT];
  int32_t dn;
  if (rc == NETREF_OK && !date) {
    nr_format_date(nr_today(), day);
  } else if (rc == NETREF_OK) {
    rc = nr_check_text(db, "date", date, 0);
    if (rc == NETREF_OK && nr_parse_date(date, &dn))
      rc = nr_fail(db, NETREF_EINVAL, "bad date '%s' (expected YYYY-MM-DD)",
                   date);
    if (rc == NETREF_OK)
      nr_format_date(dn, day);
  }
  if (rc == NETREF_OK && kind)
    rc = nr_check_text(db, "kind", kind, 0);
  if (rc == NETREF_OK && note)
    rc = nr_check_text(db, "note", note, 1);
  if (rc != NETREF_OK)
    return rc;
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
    sqlite3_bind_text(st, 4, kind ? kind : NR_DEFAULT_KIND, -1,
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
