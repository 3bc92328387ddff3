/* The referral ledger: introductions (introducer, seeker, target), their
 * status, and the balance of favours between two people. The table is
 * schema version 2 (store.c, migrations[1]). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define NR_LEDGER_SCHEMA 2
#define NR_LEDGER_FEATURE "the referral ledger"
/* A date "YYYY-MM-DD" and its NUL. */
#define NR_DATE_TEXT 11

/* Indexed by NETREF_INTRO_*; also the text stored in the table. */
static const char *const status_names[] = {
    [NETREF_INTRO_PROPOSED] = "proposed",
    [NETREF_INTRO_MADE] = "made",
    [NETREF_INTRO_ACCEPTED] = "accepted",
    [NETREF_INTRO_CONVERTED] = "converted",
    [NETREF_INTRO_DECLINED] = "declined",
};
#define NR_STATUS_MAX NETREF_INTRO_DECLINED

const char *netref_intro_status_name(int status) {
  return status >= 1 && status <= NR_STATUS_MAX ? status_names[status]
                                                : NULL;
}

static int status_of_name(const char *name) {
  for (int s = 1; name && s <= NR_STATUS_MAX; s++)
    if (strcmp(name, status_names[s]) == 0)
      return s;
  return 0;
}

static int is_final(int status) {
  return status == NETREF_INTRO_CONVERTED || status == NETREF_INTRO_DECLINED;
}

/* Whether an introduction in this status has been made. */
static int is_made(int status) {
  return status == NETREF_INTRO_MADE || status == NETREF_INTRO_ACCEPTED ||
         status == NETREF_INTRO_CONVERTED;
}

/* The checks every ledger function starts with. */
static int ledger_ready(netref_db *db, int change) {
  return nr_check_feature(db, change, NR_LEDGER_SCHEMA, NR_LEDGER_FEATURE);
}

/* Make the introduction's tie between seeker and target exist with a
 * strength of at least NR_DEFAULT_STRENGTH and a last contact no older
 * than `date` (a new tie's context names the introducer): nr_tie_warm,
 * inside the caller's transaction. */
static int warm_tie(netref_db *db, sqlite3_int64 seeker, sqlite3_int64 target,
                    const char *introducer_key, const char *date,
                    int *touched) {
  *touched = 0;
  size_t n = strlen(introducer_key) + sizeof "introduced by ";
  char *context = malloc(n);
  if (!context)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  snprintf(context, n, "introduced by %s", introducer_key);
  int rc = nr_tie_warm(db, seeker, target, date, NR_DEFAULT_STRENGTH, context,
                       touched);
  free(context);
  return rc;
}

/* Resolve the three people of an introduction. */
static int intro_people(netref_db *db, const char *introducer,
                        const char *seeker, const char *target,
                        sqlite3_int64 ids[3]) {
  const char *keys[3] = {introducer, seeker, target};
  static const char *const roles[3] = {"introducer", "seeker", "target"};
  for (int i = 0; i < 3; i++) {
    int rc = nr_check_text(db, roles[i], keys[i], 0);
    if (rc == NETREF_OK)
      rc = nr_person_id(db, keys[i], &ids[i]);
    if (rc != NETREF_OK)
      return rc;
  }
  if (ids[1] == ids[2])
    return nr_fail(db, NETREF_EINVAL,
                   "an introduction needs a seeker and a target who are two "
                   "different people, not '%s' twice",
                   seeker);
  if (ids[0] == ids[1] || ids[0] == ids[2])
    return nr_fail(db, NETREF_EINVAL,
                   "the introducer '%s' cannot also be the %s", introducer,
                   ids[0] == ids[1] ? "seeker" : "target");
  return NETREF_OK;
}

#define INTRO_FIELDS                                                          \
  (NR_FIELD_BIT(NETREF_FIELD_TAG) | NR_FIELD_BIT(NETREF_FIELD_DATE) |         \
   NR_FIELD_BIT(NETREF_FIELD_NOTE) | NR_FIELD_BIT(NETREF_FIELD_STATUS) |      \
   NR_FIELD_BIT(NETREF_FIELD_WARM_TIE))
/* A new introduction: a cleared field is one not given (none for the
 * tag and note, the default for the date, status and warm tie). */
#define INTRO_CLEARABLE INTRO_FIELDS

int netref_intro_add(netref_db *db, const char *introducer,
                     const char *seeker, const char *target,
                     const netref_fields *fields, long long *id) {
  if (id)
    *id = 0;
  int rc = ledger_ready(db, 1);
  if (rc == NETREF_OK)
    rc = nr_fields_accept(db, fields, "netref_intro_add", INTRO_FIELDS,
                          INTRO_CLEARABLE);
  if (rc != NETREF_OK)
    return rc;
  int status = (int)nr_fields_int(fields, NETREF_FIELD_STATUS,
                                  NETREF_INTRO_PROPOSED);
  if (is_final(status))
    return nr_fail(db, NETREF_EINVAL,
                   "a new introduction cannot be %s: record it, then set "
                   "its status",
                   status_names[status]);
  sqlite3_int64 ids[3];
  char day[NR_DATE_TEXT];
  char *norm = NULL;
  const char *tag = nr_fields_text(fields, NETREF_FIELD_TAG);
  const char *note = nr_fields_text(fields, NETREF_FIELD_NOTE);
  rc = intro_people(db, introducer, seeker, target, ids);
  if (rc == NETREF_OK && tag && *tag)
    rc = nr_tag_normalize(db, tag, &norm);
  if (rc != NETREF_OK) {
    free(norm);
    return rc;
  }
  nr_fields_date(fields, NETREF_FIELD_DATE, day);
  int warm = nr_fields_int(fields, NETREF_FIELD_WARM_TIE, 0) != 0;
  int touched = 0;
  sqlite3_stmt *st = NULL;
  rc = nr_begin(db);
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "INSERT INTO introduction(introducer, seeker, target,"
                    " tag, created, status, changed, made, note, warm_tie)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?7, nullif(?8, ''),"
                    " ?9)",
                    &st);
  if (rc == NETREF_OK) {
    for (int i = 0; i < 3; i++)
      sqlite3_bind_int64(st, i + 1, ids[i]);
    if (norm)
      sqlite3_bind_text(st, 4, norm, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, status_names[status], -1, SQLITE_STATIC);
    if (is_made(status))
      sqlite3_bind_text(st, 7, day, -1, SQLITE_STATIC);
    if (note)
      sqlite3_bind_text(st, 8, note, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, warm);
    rc = nr_step_done(db, st, "add introduction");
  }
  sqlite3_finalize(st);
  sqlite3_int64 new_id = sqlite3_last_insert_rowid(db->sql);
  if (rc == NETREF_OK && warm && is_made(status))
    rc = warm_tie(db, ids[1], ids[2], introducer, day, &touched);
  if (rc == NETREF_OK)
    rc = nr_commit(db);
  free(norm);
  if (rc != NETREF_OK) {
    nr_rollback(db);
    return rc;
  }
  if (touched)
    nr_index_note_tie(db, ids[1], ids[2]);
  if (id)
    *id = (long long)new_id;
  return NETREF_OK;
}

/* Check a move from one status to another; EINVAL says why not. */
static int check_move(netref_db *db, long long id, int from, int to) {
  const char *f = status_names[from], *t = status_names[to];
  if (is_final(from))
    return nr_fail(db, NETREF_EINVAL,
                   "introduction %lld is %s, which is final: it cannot "
                   "become %s",
                   id, f, t);
  if (from == to)
    return nr_fail(db, NETREF_EINVAL, "introduction %lld is already %s", id,
                   f);
  if (to != NETREF_INTRO_DECLINED && to < from)
    return nr_fail(db, NETREF_EINVAL,
                   "introduction %lld cannot move back from %s to %s "
                   "(statuses only move forward: proposed, made, accepted, "
                   "converted; or to declined)",
                   id, f, t);
  return NETREF_OK;
}

#define STATUS_FIELDS                                                         \
  (NR_FIELD_BIT(NETREF_FIELD_DATE) | NR_FIELD_BIT(NETREF_FIELD_VALUE))

int netref_intro_set_status(netref_db *db, long long id, int status,
                            const netref_fields *fields) {
  int rc = ledger_ready(db, 1);
  if (rc == NETREF_OK)
    rc = nr_fields_accept(db, fields, "netref_intro_set_status",
                          STATUS_FIELDS, STATUS_FIELDS);
  if (rc != NETREF_OK)
    return rc;
  if (!netref_intro_status_name(status))
    return nr_fail(db, NETREF_EINVAL,
                   "bad status %d (proposed %d, made %d, accepted %d, "
                   "converted %d, declined %d)",
                   status, NETREF_INTRO_PROPOSED, NETREF_INTRO_MADE,
                   NETREF_INTRO_ACCEPTED, NETREF_INTRO_CONVERTED,
                   NETREF_INTRO_DECLINED);
  double value = nr_fields_real(fields, NETREF_FIELD_VALUE, 0);
  if (status != NETREF_INTRO_CONVERTED &&
      nr_fields_state(fields, NETREF_FIELD_VALUE) != NR_FIELD_ABSENT)
    return nr_fail(db, NETREF_EINVAL,
                   "a value is recorded only when an introduction converts, "
                   "not when it becomes %s",
                   status_names[status]);
  char day[NR_DATE_TEXT];
  nr_fields_date(fields, NETREF_FIELD_DATE, day);
  rc = nr_begin(db);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_stmt *st = NULL;
  rc = nr_prepare(db,
                  "SELECT i.status, i.changed, i.made IS NOT NULL,"
                  " i.warm_tie, i.seeker, i.target, p.key"
                  " FROM introduction i JOIN person p ON p.id = i.introducer"
                  " WHERE i.id = ?1",
                  &st);
  int from = 0, was_made = 0, warm = 0, touched = 0;
  sqlite3_int64 seeker = 0, target = 0;
  char changed[NR_DATE_TEXT] = "", *introducer = NULL;
  if (rc == NETREF_OK) {
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
      from = status_of_name((const char *)sqlite3_column_text(st, 0));
      const unsigned char *c = sqlite3_column_text(st, 1);
      snprintf(changed, sizeof changed, "%s", c ? (const char *)c : "");
      was_made = sqlite3_column_int(st, 2);
      warm = sqlite3_column_int(st, 3);
      seeker = sqlite3_column_int64(st, 4);
      target = sqlite3_column_int64(st, 5);
      const unsigned char *k = sqlite3_column_text(st, 6);
      size_t n = strlen(k ? (const char *)k : "") + 1;
      if ((introducer = malloc(n)) != NULL)
        memcpy(introducer, k ? (const char *)k : "", n);
      else
        rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
      if (rc == NETREF_OK && !from)
        rc = nr_fail(db, NETREF_ECORRUPT,
                     "introduction %lld has an unknown status", id);
    } else if (step == SQLITE_DONE) {
      rc = nr_fail(db, NETREF_ENOTFOUND, "no introduction %lld", id);
    } else {
      rc = nr_fail_sql(db, step, "read introduction");
    }
  }
  sqlite3_finalize(st);
  st = NULL;
  if (rc == NETREF_OK)
    rc = check_move(db, id, from, status);
  if (rc == NETREF_OK && strcmp(day, changed) < 0)
    rc = nr_fail(db, NETREF_EINVAL,
                 "date %s is before the last change of introduction %lld "
                 "(%s)",
                 day, id, changed);
  int made_now = !was_made && is_made(status);
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "UPDATE introduction SET status = ?2, changed = ?3,"
                    " made = iif(?4, ?3, made), value = ?5 WHERE id = ?1",
                    &st);
  if (rc == NETREF_OK) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, status_names[status], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, made_now);
    if (status == NETREF_INTRO_CONVERTED)
      sqlite3_bind_double(st, 5, value);
    rc = nr_step_done(db, st, "change introduction");
  }
  sqlite3_finalize(st);
  if (rc == NETREF_OK && warm && made_now)
    rc = warm_tie(db, seeker, target, introducer, day, &touched);
  if (rc == NETREF_OK)
    rc = nr_commit(db);
  free(introducer);
  if (rc != NETREF_OK) {
    nr_rollback(db);
    return rc;
  }
  if (touched)
    nr_index_note_tie(db, seeker, target);
  return NETREF_OK;
}

int netref_intro_list(netref_db *db, const char *person, netref_rows **out) {
  static const char columns[] =
      "SELECT i.id, pi.key AS introducer, ps.key AS seeker,"
      " pt.key AS target, i.tag, i.created, i.status, i.changed, i.made,"
      " i.note, i.value, i.warm_tie FROM introduction i"
      " JOIN person pi ON pi.id = i.introducer"
      " JOIN person ps ON ps.id = i.seeker"
      " JOIN person pt ON pt.id = i.target";
  static const char order[] = " ORDER BY i.created, i.id";
  static const char filter[] =
      " WHERE i.introducer = ?1 OR i.seeker = ?1 OR i.target = ?1";
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = ledger_ready(db, 0);
  sqlite3_int64 pid = -1;
  if (rc == NETREF_OK && person)
    rc = nr_person_lookup(db, person, &pid);
  if (rc != NETREF_OK)
    return rc;
  char sql[sizeof columns + sizeof filter + sizeof order];
  snprintf(sql, sizeof sql, "%s%s%s", columns, person ? filter : "", order);
  return nr_list(db, sql, pid, NULL, out);
}

int netref_balance(netref_db *db, const char *person, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = ledger_ready(db, 0);
  sqlite3_int64 pid;
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, person, &pid);
  if (rc != NETREF_OK)
    return rc;
  /* `given` is 1 for an introduction P made for c, 0 for one c made for
   * P; each half is one range of an index. */
  return nr_list(
      db,
      "WITH made(other, given, converted, value) AS ("
      " SELECT seeker, 1, status = 'converted', value FROM introduction"
      "  WHERE introducer = ?1 AND made IS NOT NULL"
      " UNION ALL"
      " SELECT introducer, 0, status = 'converted', value FROM introduction"
      "  WHERE seeker = ?1 AND made IS NOT NULL)"
      " SELECT p.key AS key, p.name AS name,"
      " sum(m.given) AS made_for, sum(1 - m.given) AS made_by,"
      " sum(m.converted) AS converted,"
      " total(iif(m.given, 0, m.value)) AS value,"
      " total(iif(m.given, m.value, 0)) AS value_given"
      " FROM made m JOIN person p ON p.id = m.other"
      " GROUP BY m.other"
      " ORDER BY count(*) DESC, p.key",
      pid, NULL, out);
}
