/* Groups (lib/groups.c): add, rename, remove, join, leave, list, members,
 * bad arguments, read-only handles, removal with a person, the group
 * filter's member list (nr_group_people), and schema version 4 on older
 * files. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "internal.h"
#include "support.h"
#include "tempdir.h"

static int four_people(void **state) {
  if (open_memory(state))
    return -1;
  static const char *const keys[] = {"me", "ana", "bo", "cy"};
  static const char *const names[] = {"Me", "Ana Lima", "Bo Berg", "Cy"};
  for (int i = 0; i < 4; i++)
    if (netref_person_add(*state, keys[i], names[i]) != NETREF_OK)
      return -1;
  return 0;
}

/* The groups as "key=name:members;..." */
static char *groups_text(netref_db *db) {
  netref_rows *rows = NULL;
  ASSERT_OK(netref_group_list(db, &rows));
  assert_int_equal(netref_rows_columns(rows), 3);
  assert_string_equal(netref_rows_column_name(rows, 0), "key");
  assert_string_equal(netref_rows_column_name(rows, 1), "name");
  assert_string_equal(netref_rows_column_name(rows, 2), "members");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    fprintf(f, "%s=%s:%g;", netref_rows_text(rows, r, 0),
            netref_rows_text(rows, r, 1), netref_rows_real(rows, r, 2));
  fclose(f);
  netref_rows_free(rows);
  return buf;
}

static void expect_groups(netref_db *db, const char *want) {
  char *got = groups_text(db);
  assert_string_equal(got, want);
  free(got);
}

/* A group's members as "key=name;..." */
static void expect_members(netref_db *db, const char *group, const char *want) {
  netref_rows *rows = NULL;
  ASSERT_OK(netref_group_members(db, group, &rows));
  assert_int_equal(netref_rows_columns(rows), 2);
  assert_string_equal(netref_rows_column_name(rows, 0), "key");
  assert_string_equal(netref_rows_column_name(rows, 1), "name");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  for (size_t r = 0; r < netref_rows_count(rows); r++)
    fprintf(f, "%s=%s;", netref_rows_text(rows, r, 0),
            netref_rows_text(rows, r, 1));
  fclose(f);
  netref_rows_free(rows);
  assert_string_equal(buf, want);
  free(buf);
}

static void adds_renames_and_removes(void **state) {
  netref_db *db = *state;
  expect_groups(db, "");
  ASSERT_OK(netref_group_add(db, "nov", "Nov 30 entrepreneurs evening"));
  ASSERT_OK(netref_group_add(db, "bni", NULL)); /* name defaults to key */
  ASSERT_OK(netref_group_add(db, "club", ""));
  expect_groups(db, "bni=bni:0;club=club:0;"
                    "nov=Nov 30 entrepreneurs evening:0;");
  /* Add creates only: an existing key fails and keeps its name; set
   * renames. */
  assert_int_equal(netref_group_add(db, "nov", "Other"), NETREF_EEXISTS);
  assert_non_null(strstr(netref_errmsg(db), "nov"));
  ASSERT_OK(netref_group_set_name(db, "bni", "BNI Porto"));
  assert_int_equal(netref_group_set_name(db, "bni", ""), NETREF_EINVAL);
  assert_int_equal(netref_group_set_name(db, "bni", NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_set_name(db, "zzz", "Z"), NETREF_ENOTFOUND);
  expect_groups(db, "bni=BNI Porto:0;club=club:0;"
                    "nov=Nov 30 entrepreneurs evening:0;");
  /* Keys are exact: case and inner spaces matter; white space at the
   * ends and invisible characters are refused. */
  ASSERT_OK(netref_group_add(db, "Nov", "Other"));
  ASSERT_OK(netref_group_add(db, "nov 2", "Spaced"));
  assert_int_equal(netref_group_add(db, "nov ", "x"), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "group key ends with white"));
  assert_int_equal(netref_group_add(db, "n\xC2\xADov", "x"), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "invisible character (U+00AD)"));
  ASSERT_OK(netref_group_join(db, "nov", "ana"));
  ASSERT_OK(netref_group_join(db, "bni", "ana"));
  ASSERT_OK(netref_group_remove(db, "nov"));
  expect_groups(db, "Nov=Other:0;bni=BNI Porto:1;club=club:0;nov 2=Spaced:0;");
  assert_int_equal(netref_group_remove(db, "nov"), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "'nov'"));
  netref_rows *rows = (netref_rows *)1;
  assert_int_equal(netref_group_members(db, "nov", &rows), NETREF_ENOTFOUND);
  assert_null(rows);
  /* The people stay; the key can be used again, with no members. */
  ASSERT_OK(netref_person_get(db, "ana", &rows));
  netref_rows_free(rows);
  ASSERT_OK(netref_group_add(db, "nov", NULL));
  expect_members(db, "nov", "");
  expect_members(db, "bni", "ana=Ana Lima;");
}

static void joins_and_leaves(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_group_add(db, "nov", "November evening"));
  ASSERT_OK(netref_group_add(db, "bni", NULL));
  ASSERT_OK(netref_group_join(db, "nov", "cy"));
  ASSERT_OK(netref_group_join(db, "nov", "ana"));
  ASSERT_OK(netref_group_join(db, "nov", "bo"));
  ASSERT_OK(netref_group_join(db, "nov", "ana")); /* twice: nothing */
  ASSERT_OK(netref_group_join(db, "bni", "ana"));
  expect_members(db, "nov", "ana=Ana Lima;bo=Bo Berg;cy=Cy;");
  expect_members(db, "bni", "ana=Ana Lima;");
  expect_groups(db, "bni=bni:1;nov=November evening:3;");
  /* Names follow the person. */
  ASSERT_OK(netref_person_set_name(db, "bo", "Bo B."));
  expect_members(db, "nov", "ana=Ana Lima;bo=Bo B.;cy=Cy;");

  ASSERT_OK(netref_group_leave(db, "nov", "bo"));
  expect_members(db, "nov", "ana=Ana Lima;cy=Cy;");
  /* Leaving again, or a group one never joined: not a member. */
  assert_int_equal(netref_group_leave(db, "nov", "bo"), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "'bo'"));
  assert_non_null(strstr(netref_errmsg(db), "'nov'"));
  assert_int_equal(netref_group_leave(db, "bni", "me"), NETREF_ENOTFOUND);
  expect_groups(db, "bni=bni:1;nov=November evening:2;");

  /* Unknown group or person: the message names it. */
  assert_int_equal(netref_group_join(db, "dec", "ana"), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "no group 'dec'"));
  assert_int_equal(netref_group_join(db, "nov", "nobody"), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "'nobody'"));
  assert_int_equal(netref_group_leave(db, "dec", "ana"), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "'dec'"));
  assert_int_equal(netref_group_leave(db, "nov", "nobody"), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "'nobody'"));
  /* A membership is not a tie. */
  netref_rows *rows = NULL;
  ASSERT_OK(netref_tie_list(db, "ana", &rows));
  assert_int_equal(netref_rows_count(rows), 0);
  netref_rows_free(rows);
}

static void rejects_bad_arguments(void **state) {
  netref_db *db = *state;
  netref_rows *rows = NULL;
  ASSERT_OK(netref_group_add(db, "nov", NULL));
  assert_int_equal(netref_group_add(NULL, "x", NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_add(db, NULL, NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_add(db, "", NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_add(db, "k\xff", NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_add(db, "k", "\xc3"), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "name"));
  assert_int_equal(netref_group_remove(NULL, "nov"), NETREF_EINVAL);
  assert_int_equal(netref_group_remove(db, NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_remove(db, ""), NETREF_EINVAL);
  assert_int_equal(netref_group_remove(db, "n\xc3"), NETREF_EINVAL);
  assert_int_equal(netref_group_join(NULL, "nov", "ana"), NETREF_EINVAL);
  assert_int_equal(netref_group_join(db, NULL, "ana"), NETREF_EINVAL);
  assert_int_equal(netref_group_join(db, "nov", NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_join(db, "nov", ""), NETREF_EINVAL);
  assert_int_equal(netref_group_join(db, "n\xff", "ana"), NETREF_EINVAL);
  assert_int_equal(netref_group_join(db, "nov", "a\xff"), NETREF_EINVAL);
  assert_int_equal(netref_group_leave(NULL, "nov", "ana"), NETREF_EINVAL);
  assert_int_equal(netref_group_leave(db, NULL, "ana"), NETREF_EINVAL);
  assert_int_equal(netref_group_leave(db, "nov", NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_leave(db, "nov", "a\xff"), NETREF_EINVAL);
  assert_int_equal(netref_group_list(NULL, &rows), NETREF_EINVAL);
  assert_int_equal(netref_group_list(db, NULL), NETREF_EINVAL);
  assert_int_equal(netref_group_members(NULL, "nov", &rows), NETREF_EINVAL);
  assert_int_equal(netref_group_members(db, NULL, &rows), NETREF_EINVAL);
  assert_null(rows);
  assert_int_equal(netref_group_members(db, "", &rows), NETREF_EINVAL);
  assert_int_equal(netref_group_members(db, "n\xff", &rows), NETREF_EINVAL);
  assert_int_equal(netref_group_members(db, "nov", NULL), NETREF_EINVAL);
  expect_groups(db, "nov=nov:0;");
}

static void removing_a_person_ends_memberships(void **state) {
  netref_db *db = *state;
  ASSERT_OK(netref_group_add(db, "nov", NULL));
  ASSERT_OK(netref_group_add(db, "bni", NULL));
  ASSERT_OK(netref_group_join(db, "nov", "ana"));
  ASSERT_OK(netref_group_join(db, "nov", "bo"));
  ASSERT_OK(netref_group_join(db, "bni", "bo"));
  ASSERT_OK(netref_person_remove(db, "bo"));
  expect_members(db, "nov", "ana=Ana Lima;");
  expect_members(db, "bni", "");
  expect_groups(db, "bni=bni:0;nov=nov:1;");
  /* A new person with the same key inherits nothing. */
  ASSERT_OK(netref_person_add(db, "bo", NULL));
  expect_members(db, "bni", "");
  /* Removing a group keeps its former members. */
  ASSERT_OK(netref_group_remove(db, "nov"));
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_get(db, "ana", &rows));
  netref_rows_free(rows);
}

static void group_people_in_row_id_order(void **state) {
  netref_db *db = *state;
  /* Row ids follow the order people were added: me, ana, bo, cy, then
   * zed; keys sort otherwise. */
  ASSERT_OK(netref_person_add(db, "zed", NULL));
  sqlite3_int64 want[5];
  static const char *const keys[] = {"me", "ana", "bo", "cy", "zed"};
  for (int i = 0; i < 5; i++)
    ASSERT_OK(nr_person_id(db, keys[i], &want[i]));
  ASSERT_OK(netref_group_add(db, "nov", NULL));
  ASSERT_OK(netref_group_add(db, "empty", NULL));
  ASSERT_OK(netref_group_join(db, "nov", "zed"));
  ASSERT_OK(netref_group_join(db, "nov", "bo"));
  ASSERT_OK(netref_group_join(db, "nov", "me"));
  ASSERT_OK(netref_group_join(db, "nov", "cy"));
  sqlite3_int64 *ids = NULL;
  size_t n = 99;
  ASSERT_OK(nr_group_people(db, "nov", &ids, &n));
  assert_int_equal(n, 4);
  assert_true(want[0] < want[2] && want[2] < want[3] && want[3] < want[4]);
  assert_true(ids[0] == want[0] && ids[1] == want[2] && ids[2] == want[3] &&
              ids[3] == want[4]);
  free(ids);

  ids = (sqlite3_int64 *)1;
  ASSERT_OK(nr_group_people(db, "empty", &ids, &n));
  assert_int_equal(n, 0);
  assert_null(ids);

  ids = (sqlite3_int64 *)1;
  n = 7;
  assert_int_equal(nr_group_people(db, "dec", &ids, &n), NETREF_ENOTFOUND);
  assert_non_null(strstr(netref_errmsg(db), "'dec'"));
  assert_null(ids);
  assert_int_equal(n, 0);
  assert_int_equal(nr_group_people(db, NULL, &ids, &n), NETREF_EINVAL);
  assert_int_equal(nr_group_people(db, "n\xff", &ids, &n), NETREF_EINVAL);
  assert_int_equal(nr_group_people(db, "nov", NULL, &n), NETREF_EINVAL);
  assert_int_equal(nr_group_people(db, "nov", &ids, NULL), NETREF_EINVAL);
  assert_int_equal(nr_group_people(NULL, "nov", &ids, &n), NETREF_EINVAL);
}

/* ---- files: read-only handles and schema version 4 ---- */

static void sql_exec(const char *path, const char *sql) {
  sqlite3 *s;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
    fail_msg("%s: %s", sql, msg);
  sqlite3_close(s);
}

static int sql_int(const char *path, const char *sql) {
  sqlite3 *s;
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(s);
  return v;
}

/* A file with people me and ana and a group nov with ana in it. */
static void write_file(const char *path) {
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_add(db, "me", NULL));
  ASSERT_OK(netref_person_add(db, "ana", NULL));
  ASSERT_OK(netref_group_add(db, "nov", "November"));
  ASSERT_OK(netref_group_join(db, "nov", "ana"));
  netref_close(db);
}

static void readonly_handle(void **state) {
  (void)state;
  char dir[] = "/tmp/netref_groups_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/net.db", dir);
  write_file(path);
  netref_db *db = NULL;
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  expect_groups(db, "nov=November:1;");
  expect_members(db, "nov", "ana=ana;");
  assert_int_equal(netref_group_add(db, "dec", NULL), NETREF_EREADONLY);
  assert_int_equal(netref_group_add(db, "nov", "Renamed"), NETREF_EREADONLY);
  assert_int_equal(netref_group_remove(db, "nov"), NETREF_EREADONLY);
  assert_int_equal(netref_group_join(db, "nov", "me"), NETREF_EREADONLY);
  assert_int_equal(netref_group_leave(db, "nov", "ana"), NETREF_EREADONLY);
  assert_true(strlen(netref_errmsg(db)) > 0);
  sqlite3_int64 *ids = NULL;
  size_t n = 0;
  ASSERT_OK(nr_group_people(db, "nov", &ids, &n));
  assert_int_equal(n, 1);
  free(ids);
  expect_groups(db, "nov=November:1;");
  netref_close(db);
  remove_tree(dir);
}

static void version_3_files(void **state) {
  (void)state;
  char dir[] = "/tmp/netref_groups_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/v3.db", dir);
  write_file(path);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  /* What netref wrote before the taxonomy and groups: schema version 3. */
  sql_exec(path,
           TIES_TWICE_SQL "DROP TABLE netref_state;"
                          " DROP TABLE group_member; DROP TABLE network_group;"
                          " DROP TABLE tag_relation; PRAGMA user_version=3");

  netref_db *db = NULL;
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  netref_rows *rows = (netref_rows *)1;
  assert_int_equal(netref_group_list(db, &rows), NETREF_EVERSION);
  assert_null(rows);
  assert_non_null(strstr(netref_errmsg(db), "groups"));
  assert_non_null(strstr(netref_errmsg(db), "4"));
  assert_int_equal(netref_group_members(db, "nov", &rows), NETREF_EVERSION);
  sqlite3_int64 *ids = (sqlite3_int64 *)1;
  size_t n = 3;
  assert_int_equal(nr_group_people(db, "nov", &ids, &n), NETREF_EVERSION);
  assert_null(ids);
  assert_int_equal(n, 0);
  assert_int_equal(netref_group_add(db, "dec", NULL), NETREF_EREADONLY);
  assert_int_equal(netref_group_join(db, "nov", "me"), NETREF_EREADONLY);
  /* Everything else still reads. */
  ASSERT_OK(netref_person_list(db, &rows));
  assert_int_equal(netref_rows_count(rows), 2);
  netref_rows_free(rows);
  netref_close(db);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), 3);

  /* Read-write once upgrades it. */
  ASSERT_OK(netref_open_with(path, 0, &db));
  expect_groups(db, "");
  ASSERT_OK(netref_group_add(db, "nov", NULL));
  ASSERT_OK(netref_group_join(db, "nov", "me"));
  netref_close(db);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), T_SCHEMA_VERSION);
  ASSERT_OK(netref_open_with(path, NETREF_OPEN_READONLY, &db));
  expect_members(db, "nov", "me=me;");
  netref_close(db);
  remove_tree(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(adds_renames_and_removes, four_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(joins_and_leaves, four_people, close_db),
      cmocka_unit_test_setup_teardown(rejects_bad_arguments, four_people,
                                      close_db),
      cmocka_unit_test_setup_teardown(removing_a_person_ends_memberships,
                                      four_people, close_db),
      cmocka_unit_test_setup_teardown(group_people_in_row_id_order, four_people,
                                      close_db),
      cmocka_unit_test(readonly_handle),
      cmocka_unit_test(version_3_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
