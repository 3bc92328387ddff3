/* Ties: the undirected acquaintances between people, one row per pair,
 * (a, b) with a < b (schema version 6, store.c; older files, which a
 * read-only handle reads as they are, hold both orientations). */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define NR_DATE_TEXT 11 /* "YYYY-MM-DD" and its NUL */

/* Upsert the tie's row; ?1 a, ?2 b with a < b, then strength, date,
 * context, cadence; NULL keeps, '' (0 for the cadence) clears. */
static const char tie_upsert_sql[] =
    "INSERT INTO tie(a, b, strength, last_contact, context, cadence)"
    " VALUES (?1, ?2, coalesce(?3, 0.5), nullif(?4, ''), nullif(?5, ''),"
    " nullif(?6, 0))"
    " ON CONFLICT(a, b) DO UPDATE SET"
    " strength = coalesce(?3, strength),"
    " last_contact = iif(?4 IS NULL, last_contact, nullif(?4, '')),"
    " context = iif(?5 IS NULL, context, nullif(?5, '')),"
    " cadence = iif(?6 IS NULL, cadence, nullif(?6, 0))";

int nr_tie_write_one(netref_db *db, sqlite3_int64 a, sqlite3_int64 b,
                     double strength, const char *last_contact,
                     const char *context, long long cadence) {
  sqlite3_stmt *st;
  int rc = nr_stmt(db, NR_STMT_TIE_UPSERT, tie_upsert_sql, &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, a < b ? a : b);
  sqlite3_bind_int64(st, 2, a < b ? b : a);
  if (strength != NR_KEEP)
    sqlite3_bind_double(st, 3, strength);
  int32_t day;
  if (last_contact && *last_contact && !nr_parse_date(last_contact, &day))
    sqlite3_bind_int64(st, 4, day);
  else if (last_contact)
    sqlite3_bind_text(st, 4, last_contact, -1, SQLITE_STATIC);
  if (context)
    sqlite3_bind_text(st, 5, context, -1, SQLITE_STATIC);
  if (cadence >= 0)
    sqlite3_bind_int64(st, 6, cadence);
  return nr_step_done(db, st, "save tie");
}

int nr_tie_write(netref_db *db, sqlite3_int64 a, sqlite3_int64 b,
                 double strength, const char *last_contact, const char *context,
                 long long cadence) {
  int32_t day;
  if (last_contact && *last_contact && nr_parse_date(last_contact, &day))
    return nr_fail(db, NETREF_EINVAL, "bad date '%s' (expected YYYY-MM-DD)",
                   last_contact);
  int rc = nr_begin(db);
  if (rc == NETREF_OK)
    rc = nr_tie_write_one(db, a, b, strength, last_contact, context, cadence);
  if (rc == NETREF_OK)
    rc = nr_commit(db);
  if (rc != NETREF_OK) {
    nr_rollback(db);
    return rc;
  }
  nr_index_note_tie(db, a, b);
  return NETREF_OK;
}

/* The stored strength and last contact ("" when none) of the tie (a, b),
 * and whether it exists. */
static int tie_read_warmth(netref_db *db, sqlite3_int64 a, sqlite3_int64 b,
                           int *exists, double *strength,
                           char last[NR_DATE_TEXT]) {
  sqlite3_stmt *st;
  int rc = nr_prepare(db,
                      "SELECT strength, " NR_DAY_TEXT(
                          "last_contact") " FROM tie WHERE a = ?1 AND b = ?2",
                      &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, a < b ? a : b);
  sqlite3_bind_int64(st, 2, a < b ? b : a);
  int step = sqlite3_step(st);
  *exists = step == SQLITE_ROW;
  last[0] = '\0';
  if (*exists) {
    *strength = sqlite3_column_double(st, 0);
    const unsigned char *t = sqlite3_column_text(st, 1);
    if (t)
      snprintf(last, NR_DATE_TEXT, "%s", (const char *)t);
  }
  sqlite3_finalize(st);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return nr_fail_sql(db, step, "read tie");
  return NETREF_OK;
}

int nr_tie_warm(netref_db *db, sqlite3_int64 a, sqlite3_int64 b,
                const char *date, double min_strength, const char *context,
                int *touched) {
  *touched = 0;
  int exists;
  double strength = NR_DEFAULT_STRENGTH;
  char last[NR_DATE_TEXT];
  int rc = tie_read_warmth(db, a, b, &exists, &strength, last);
  if (rc != NETREF_OK)
    return rc;
  const char *new_date = date;
  double new_strength = NR_DEFAULT_STRENGTH;
  if (exists) {
    /* ISO dates compare as text; an unparsable stored date is replaced. */
    int32_t day;
    if (*last && !nr_parse_date(last, &day) && strcmp(last, date) >= 0)
      new_date = NULL;
    new_strength = strength < min_strength ? min_strength : NR_KEEP;
    if (!new_date && new_strength == NR_KEEP)
      return NETREF_OK; /* warm enough and as recent already */
    context = NULL;     /* an existing tie keeps its context */
  }
  rc = nr_tie_write_one(db, a, b, new_strength, new_date, context, -1);
  *touched = rc == NETREF_OK;
  return rc;
}

int nr_two_people(netref_db *db, const char *a, const char *b,
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

#define TIE_FIELDS                                                             \
  (NR_FIELD_BIT(NETREF_FIELD_STRENGTH) |                                       \
   NR_FIELD_BIT(NETREF_FIELD_LAST_CONTACT) |                                   \
   NR_FIELD_BIT(NETREF_FIELD_CONTEXT) | NR_FIELD_BIT(NETREF_FIELD_CADENCE))
#define TIE_CLEARABLE (TIE_FIELDS & ~NR_FIELD_BIT(NETREF_FIELD_STRENGTH))

int netref_tie_set(netref_db *db, const char *a, const char *b,
                   const netref_fields *fields) {
  int rc = nr_check_change(db);
  if (rc == NETREF_OK)
    rc = nr_fields_accept(db, fields, "netref_tie_set", TIE_FIELDS,
                          TIE_CLEARABLE);
  sqlite3_int64 ia, ib;
  if (rc == NETREF_OK)
    rc = nr_two_people(db, a, b, &ia, &ib);
  if (rc != NETREF_OK)
    return rc;
  long long cadence =
      nr_fields_state(fields, NETREF_FIELD_CADENCE) == NR_FIELD_CLEARED
          ? 0
          : nr_fields_int(fields, NETREF_FIELD_CADENCE, -1);
  return nr_tie_write(db, ia, ib,
                      nr_fields_real(fields, NETREF_FIELD_STRENGTH, NR_KEEP),
                      nr_fields_text(fields, NETREF_FIELD_LAST_CONTACT),
                      nr_fields_text(fields, NETREF_FIELD_CONTEXT), cadence);
}

const char *nr_ties_of(netref_db *db) {
  /* A read-only handle on an older file first catches up: another
   * program may have upgraded it meanwhile (nr_sync). A failure here
   * shows again in the query that follows. */
  if (!nr_tie_once(db))
    nr_sync(db);
  if (nr_tie_once(db))
    return "(SELECT b AS other, strength, " NR_DAY_TEXT(
        "last_contact") " AS last_contact, context, cadence"
                        " FROM tie WHERE a = ?1 UNION ALL"
                        " SELECT a, strength, " NR_DAY_TEXT(
                            "last_contact") ", context, cadence"
                                            " FROM tie WHERE b = ?1)";
  if (db->schema_version >= 3)
    return "(SELECT b AS other, strength, last_contact, context, cadence"
           " FROM tie WHERE a = ?1)";
  return "(SELECT b AS other, strength, last_contact, context,"
         " NULL AS cadence FROM tie WHERE a = ?1)";
}

/* The rows of tie_get and tie_list: the other person's key and name, then
 * the tie's fields. */
#define TIE_ROW                                                                \
  "SELECT p.key, p.name, t.strength, t.last_contact, t.context, t.cadence"

int netref_tie_get(netref_db *db, const char *a, const char *b,
                   netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  sqlite3_int64 ia, ib;
  if (rc == NETREF_OK)
    rc = nr_two_people(db, a, b, &ia, &ib);
  if (rc != NETREF_OK)
    return rc;
  /* The row (min, max) is there in both layouts. */
  char sql[512];
  snprintf(sql, sizeof sql,
           TIE_ROW " FROM (SELECT strength, " NR_DAY_TEXT(
               "last_contact") " AS last_contact, context, %s"
                               " FROM tie WHERE a = min(?1, %lld) AND b = "
                               "max(?1, %lld))"
                               " t JOIN person p ON p.id = %lld",
           db->schema_version >= 3 ? "cadence" : "NULL AS cadence",
           (long long)ib, (long long)ib, (long long)ib);
  rc = nr_list(db, sql, ia, NULL, out);
  if (rc == NETREF_OK && netref_rows_count(*out) == 0) {
    netref_rows_free(*out);
    *out = NULL;
    rc = nr_fail(db, NETREF_ENOTFOUND, "no tie between '%s' and '%s'", a, b);
  }
  return rc;
}

int netref_tie_remove(netref_db *db, const char *a, const char *b) {
  int rc = nr_check_change(db);
  sqlite3_int64 ia, ib;
  if (rc == NETREF_OK)
    rc = nr_two_people(db, a, b, &ia, &ib);
  sqlite3_stmt *st;
  if (rc == NETREF_OK)
    rc = nr_prepare(db, "DELETE FROM tie WHERE a = ?1 AND b = ?2", &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, ia < ib ? ia : ib);
  sqlite3_bind_int64(st, 2, ia < ib ? ib : ia);
  rc = nr_step_done(db, st, "remove tie");
  sqlite3_finalize(st);
  if (rc == NETREF_OK && sqlite3_changes(db->sql) == 0)
    return nr_fail(db, NETREF_ENOTFOUND, "no tie between '%s' and '%s'", a, b);
  if (rc == NETREF_OK)
    nr_index_note_tie(db, ia, ib);
  return rc;
}

int netref_tie_list(netref_db *db, const char *person, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  sqlite3_int64 id;
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, person, &id);
  if (rc != NETREF_OK)
    return rc;
  char sql[768];
  snprintf(sql, sizeof sql,
           TIE_ROW " FROM %s t JOIN person p ON p.id = t.other ORDER BY p.key",
           nr_ties_of(db));
  return nr_list(db, sql, id, NULL, out);
}
