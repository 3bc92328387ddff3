/* netref_person_merge: two records of one person become one, in one
 * transaction (the rules are in netref.h). Each tie is one row (a, b)
 * with a < b (store.c), so a person's ties are rows on either side. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"

/* ?1 is the person kept, ?2 the one merged into them and removed. */

/* The other person's ties as (n: the neighbour, and the tie's fields). */
#define OTHER_TIES                                                             \
  "SELECT b AS n, strength, last_contact, context, cadence FROM tie"           \
  " WHERE a = ?2 UNION ALL"                                                    \
  " SELECT a, strength, last_contact, context, cadence FROM tie WHERE b = ?2"
/* The kept person's neighbours. */
#define KEPT_NEIGHBOURS                                                        \
  "SELECT b FROM tie WHERE a = ?1 UNION ALL SELECT a FROM tie WHERE b = ?1"
static const char *const move_sql[] = {
    /* the tie between the two */
    "DELETE FROM tie WHERE a = min(?1, ?2) AND b = max(?1, ?2)",
    /* a neighbour of both: the stronger tie wins (on equal strength the
     * kept one's), a context or cadence it lacks comes from the other,
     * the last contact is the later one (SET reads the old values) */
    "UPDATE tie AS k SET"
    " strength = max(k.strength, o.strength),"
    " context = iif(o.strength > k.strength, coalesce(o.context, k.context),"
    "  coalesce(k.context, o.context)),"
    " cadence = iif(o.strength > k.strength, coalesce(o.cadence, k.cadence),"
    "  coalesce(k.cadence, o.cadence)),"
    " last_contact = CASE WHEN k.last_contact IS NULL THEN o.last_contact"
    "  WHEN o.last_contact IS NULL THEN k.last_contact"
    "  ELSE max(k.last_contact, o.last_contact) END"
    " FROM (" OTHER_TIES ") AS o"
    " WHERE k.a = min(?1, o.n) AND k.b = max(?1, o.n)",
    "DELETE FROM tie WHERE a = ?2 AND b IN (" KEPT_NEIGHBOURS ")",
    "DELETE FROM tie WHERE b = ?2 AND a IN (" KEPT_NEIGHBOURS ")",
    /* the other ties move, each still stored as (smaller, larger) */
    "UPDATE tie SET a = min(?1, b), b = max(?1, b) WHERE a = ?2",
    "UPDATE tie SET a = min(?1, a), b = max(?1, a) WHERE b = ?2",
    /* offers and needs of one tag: the kept offer (with a note), the
     * larger weight */
    "UPDATE offer AS k SET note = o.note FROM offer AS o"
    " WHERE k.person = ?1 AND o.person = ?2 AND o.tag = k.tag"
    " AND k.note IS NULL",
    "DELETE FROM offer WHERE person = ?2"
    " AND tag IN (SELECT tag FROM offer WHERE person = ?1)",
    "UPDATE offer SET person = ?1 WHERE person = ?2",
    "UPDATE need AS k SET weight = max(k.weight, o.weight) FROM need AS o"
    " WHERE k.person = ?1 AND o.person = ?2 AND o.tag = k.tag",
    "DELETE FROM need WHERE person = ?2"
    " AND tag IN (SELECT tag FROM need WHERE person = ?1)",
    "UPDATE need SET person = ?1 WHERE person = ?2",
    /* introductions and contacts between the two would be with oneself */
    "DELETE FROM introduction WHERE ?1 IN (introducer, seeker, target)"
    " AND ?2 IN (introducer, seeker, target)",
    "UPDATE introduction SET introducer = ?1 WHERE introducer = ?2",
    "UPDATE introduction SET seeker = ?1 WHERE seeker = ?2",
    "UPDATE introduction SET target = ?1 WHERE target = ?2",
    "DELETE FROM interaction WHERE (a = ?1 AND b = ?2)"
    " OR (a = ?2 AND b = ?1)",
    "UPDATE interaction SET a = ?1 WHERE a = ?2",
    "UPDATE interaction SET b = ?1 WHERE b = ?2",
    "INSERT OR IGNORE INTO group_member(grp, person)"
    " SELECT grp, ?1 FROM group_member WHERE person = ?2",
    "DELETE FROM group_member WHERE person = ?2",
};

/* After the attributes are copied. */
static const char *const remove_sql[] = {
    "DELETE FROM person_attr WHERE person = ?2",
    "DELETE FROM person WHERE id = ?2",
};

static int run_all(netref_db *db, const char *const *sql, size_t n,
                   sqlite3_int64 keep, sqlite3_int64 other) {
  int rc = NETREF_OK;
  for (size_t i = 0; rc == NETREF_OK && i < n; i++) {
    sqlite3_stmt *st;
    rc = nr_prepare(db, sql[i], &st);
    if (rc != NETREF_OK)
      return rc;
    sqlite3_bind_int64(st, 1, keep);
    sqlite3_bind_int64(st, 2, other);
    rc = nr_step_done(db, st, "merge people");
    sqlite3_finalize(st);
  }
  return rc;
}

/* One attribute of the other person: copied when the kept one lacks
 * its name; a member of a family (e-mails, ...) when its value is new,
 * under the family's first free name. */
static int copy_attr(netref_db *db, sqlite3_stmt *ins, sqlite3_int64 keep,
                     struct nr_attrs *kept, const char *name,
                     const char *value) {
  char slot[32];
  int f = nr_attr_family(name);
  if (f < 0) {
    if (nr_attrs_get(kept, name))
      return NETREF_OK;
  } else {
    char *canon = nr_attr_canon(f, value);
    int held = canon ? (*canon ? nr_attrs_holds(kept, f, canon) : 1) : -1;
    free(canon);
    if (held < 0)
      return nr_fail(db, NETREF_ENOMEM, "out of memory");
    if (held)
      return NETREF_OK;
    nr_attrs_free_slot(kept, f, slot, sizeof slot);
    name = slot;
  }
  sqlite3_bind_int64(ins, 1, keep);
  sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(ins, 3, value, -1, SQLITE_TRANSIENT);
  int rc = nr_step_done(db, ins, "copy attribute");
  if (rc == NETREF_OK && nr_attrs_push(kept, name, value))
    rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
  return rc;
}

static int copy_attrs(netref_db *db, sqlite3_int64 keep, sqlite3_int64 other) {
  struct nr_attrs kept = {0}, theirs = {0};
  sqlite3_stmt *read = NULL, *ins = NULL;
  int rc = nr_prepare(db, "SELECT name, value FROM person_attr WHERE person=?1",
                      &read);
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "INSERT INTO person_attr(person, name, value)"
                    " VALUES (?1, ?2, ?3)",
                    &ins);
  if (rc == NETREF_OK)
    rc = nr_attrs_read(db, read, keep, &kept);
  if (rc == NETREF_OK)
    rc = nr_attrs_read(db, read, other, &theirs);
  for (size_t i = 0; rc == NETREF_OK && i < theirs.n; i++)
    rc = copy_attr(db, ins, keep, &kept, theirs.name[i], theirs.value[i]);
  sqlite3_finalize(read);
  sqlite3_finalize(ins);
  nr_attrs_clear(&kept);
  nr_attrs_clear(&theirs);
  return rc;
}

int netref_person_merge(netref_db *db, const char *keep, const char *other) {
  int rc = nr_check_change(db);
  sqlite3_int64 k, o;
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, keep, &k);
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, other, &o);
  if (rc == NETREF_OK && k == o)
    rc = nr_fail(db, NETREF_EINVAL,
                 "cannot merge '%s' into themself: name two people", keep);
  if (rc != NETREF_OK)
    return rc;
  rc = nr_begin(db);
  if (rc == NETREF_OK)
    rc = run_all(db, move_sql, sizeof move_sql / sizeof *move_sql, k, o);
  if (rc == NETREF_OK)
    rc = copy_attrs(db, k, o);
  if (rc == NETREF_OK)
    rc = run_all(db, remove_sql, sizeof remove_sql / sizeof *remove_sql, k, o);
  if (rc == NETREF_OK)
    rc = nr_commit(db);
  if (rc != NETREF_OK)
    nr_rollback(db);
  nr_changed(db); /* ties of many people changed: rebuild the index */
  return rc;
}
