/* Groups: events and communities with members (add, rename, remove,
 * join, leave, list), the group filter's member list, and the helpers of
 * the groups.csv import. The tables are schema version 4 (store.c,
 * migrations[3]). Membership is context, never a tie: nothing here
 * touches the query index. */
#include <stdlib.h>

#include "internal.h"

#define NR_GROUPS_SCHEMA 4
#define NR_GROUPS_FEATURE "groups"

/* The checks every function here starts with. */
static int groups_ready(netref_db *db, int change) {
  return nr_check_feature(db, change, NR_GROUPS_SCHEMA, NR_GROUPS_FEATURE);
}

/* Look a group up by key: *found says whether it exists (then *id is
 * its row id); a failure of the store is recorded as usual. */
static int find_group(netref_db *db, const char *key, sqlite3_int64 *id,
                      int *found) {
  return nr_find_id(db, NR_STMT_GROUP_ID,
                    "SELECT id FROM network_group WHERE key=?", key, id, found,
                    "find group");
}

int nr_group_id(netref_db *db, const char *key, sqlite3_int64 *id) {
  int found;
  int rc = find_group(db, key, id, &found);
  if (rc == NETREF_OK && !found)
    rc = nr_fail_unknown_key(db, "group", key);
  return rc;
}

/* nr_group_id after checking that key is a valid key string. */
static int group_lookup(netref_db *db, const char *key, sqlite3_int64 *id) {
  int rc = nr_check_text(db, "group key", key, 0);
  return rc == NETREF_OK ? nr_group_id(db, key, id) : rc;
}

int nr_group_ensure(netref_db *db, const char *key, sqlite3_int64 *id) {
  int found;
  int rc = find_group(db, key, id, &found);
  if (rc != NETREF_OK || found)
    return rc;
  rc = nr_check_key(db, "group key", key);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_stmt *st;
  rc = nr_stmt(db, NR_STMT_GROUP_INSERT,
               "INSERT INTO network_group(key, name) VALUES (?1, ?1)", &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  rc = nr_step_done(db, st, "add group");
  if (rc == NETREF_OK)
    *id = sqlite3_last_insert_rowid(db->sql);
  return rc;
}

int nr_group_member_write(netref_db *db, sqlite3_int64 group,
                          sqlite3_int64 person) {
  sqlite3_stmt *st;
  int rc = nr_stmt(db, NR_STMT_GROUP_JOIN,
                   "INSERT OR IGNORE INTO group_member(grp, person)"
                   " VALUES (?, ?)",
                   &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, group);
  sqlite3_bind_int64(st, 2, person);
  return nr_step_done(db, st, "join group");
}

int netref_group_add(netref_db *db, const char *key, const char *name) {
  int rc = groups_ready(db, 1);
  if (rc == NETREF_OK)
    rc = nr_check_key(db, "group key", key);
  if (rc == NETREF_OK && name)
    rc = nr_check_text(db, "group name", name, 1);
  sqlite3_stmt *st;
  if (rc == NETREF_OK)
    rc = nr_prepare(db, "INSERT INTO network_group(key, name) VALUES (?1, ?2)",
                    &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, name && *name ? name : key, -1, SQLITE_STATIC);
  int own;
  rc = nr_write_begin(db, &own);
  int step = rc == NETREF_OK ? sqlite3_step(st) : SQLITE_DONE;
  sqlite3_finalize(st);
  if (step == SQLITE_CONSTRAINT_UNIQUE)
    rc = nr_fail(db, NETREF_EEXISTS, "group '%s' exists already", key);
  else if (step != SQLITE_DONE)
    rc = nr_fail_sql(db, step, "add group");
  return nr_write_end(db, own, rc);
}

int nr_group_name_write(netref_db *db, sqlite3_int64 id, const char *name) {
  sqlite3_stmt *st;
  int rc = nr_check_text(db, "group name", name, 0);
  if (rc == NETREF_OK)
    rc =
        nr_prepare(db, "UPDATE network_group SET name = ?2 WHERE id = ?1", &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  rc = nr_step_done(db, st, "rename group");
  sqlite3_finalize(st);
  return rc;
}

int netref_group_set_name(netref_db *db, const char *key, const char *name) {
  int rc = groups_ready(db, 1);
  sqlite3_int64 id;
  if (rc == NETREF_OK)
    rc = group_lookup(db, key, &id);
  return rc == NETREF_OK ? nr_group_name_write(db, id, name) : rc;
}

int netref_group_remove(netref_db *db, const char *key) {
  static const char *const deletes[] = {
      "DELETE FROM group_member WHERE grp=?1",
      "DELETE FROM network_group WHERE id=?1",
  };
  int rc = groups_ready(db, 1);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "group key", key, 0);
  if (rc != NETREF_OK)
    return rc;
  return nr_remove_by_key(db, key, nr_group_id, deletes,
                          sizeof deletes / sizeof *deletes, "remove group");
}

/* Resolve the group and the person of a membership change. */
static int membership(netref_db *db, const char *group, const char *person,
                      sqlite3_int64 *gid, sqlite3_int64 *pid) {
  int rc = groups_ready(db, 1);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "group key", group, 0);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "person key", person, 0);
  if (rc == NETREF_OK)
    rc = nr_group_id(db, group, gid);
  if (rc == NETREF_OK)
    rc = nr_person_id(db, person, pid);
  return rc;
}

int netref_group_join(netref_db *db, const char *group, const char *person) {
  sqlite3_int64 gid, pid;
  int rc = membership(db, group, person, &gid, &pid);
  if (rc == NETREF_OK)
    rc = nr_group_member_write(db, gid, pid);
  return rc;
}

int netref_group_leave(netref_db *db, const char *group, const char *person) {
  sqlite3_int64 gid, pid;
  int rc = membership(db, group, person, &gid, &pid);
  sqlite3_stmt *st = NULL;
  if (rc == NETREF_OK)
    rc = nr_prepare(db, "DELETE FROM group_member WHERE grp=? AND person=?",
                    &st);
  if (rc == NETREF_OK) {
    sqlite3_bind_int64(st, 1, gid);
    sqlite3_bind_int64(st, 2, pid);
    rc = nr_step_done(db, st, "leave group");
  }
  sqlite3_finalize(st);
  if (rc == NETREF_OK && sqlite3_changes(db->sql) == 0)
    rc = nr_fail(db, NETREF_ENOTFOUND, "'%s' is not a member of group '%s'",
                 person, group);
  return rc;
}

int netref_group_list(netref_db *db, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = groups_ready(db, 0);
  if (rc == NETREF_OK)
    rc = nr_list(db,
                 "SELECT key, name, (SELECT count(*) FROM group_member"
                 " WHERE grp=network_group.id) AS members"
                 " FROM network_group ORDER BY key",
                 -1, NULL, out);
  return rc;
}

int netref_group_members(netref_db *db, const char *group, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = groups_ready(db, 0);
  sqlite3_int64 gid;
  if (rc == NETREF_OK)
    rc = group_lookup(db, group, &gid);
  if (rc == NETREF_OK)
    rc = nr_list(db,
                 "SELECT p.key AS key, p.name AS name FROM group_member m"
                 " JOIN person p ON p.id=m.person WHERE m.grp=?1"
                 " ORDER BY p.key",
                 gid, NULL, out);
  return rc;
}

int netref_person_groups(netref_db *db, const char *person, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = groups_ready(db, 0);
  sqlite3_int64 pid;
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, person, &pid);
  if (rc == NETREF_OK)
    rc = nr_list(db,
                 "SELECT g.key AS key, g.name AS name FROM group_member m"
                 " JOIN network_group g ON g.id=m.grp"
                 " WHERE m.person=(SELECT id FROM person WHERE key=?2)"
                 " ORDER BY g.key",
                 -1, person, out);
  return rc;
}

int nr_group_people(netref_db *db, const char *group, sqlite3_int64 **ids,
                    size_t *n) {
  if (ids)
    *ids = NULL;
  if (n)
    *n = 0;
  int rc = groups_ready(db, 0);
  if (rc == NETREF_OK && (!ids || !n))
    rc = nr_fail(db, NETREF_EINVAL, "ids and n are required");
  sqlite3_int64 gid;
  if (rc == NETREF_OK)
    rc = group_lookup(db, group, &gid);
  sqlite3_stmt *st = NULL;
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "SELECT person FROM group_member WHERE grp=?"
                    " ORDER BY person",
                    &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, gid);
  sqlite3_int64 *got = NULL;
  size_t count = 0, cap = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (nr_grow(&got, &cap, count + 1, sizeof *got)) {
      rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
      break;
    }
    got[count++] = sqlite3_column_int64(st, 0);
  }
  if (rc == NETREF_OK && step != SQLITE_DONE)
    rc = nr_fail_sql(db, step, "read group members");
  sqlite3_finalize(st);
  if (rc != NETREF_OK) {
    free(got);
    return rc;
  }
  *ids = got;
  *n = count;
  return NETREF_OK;
}
