/* netref CLI: groups, the events and communities people belong to
 * (group add, remove, join, leave, list, members). */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The member count of a row of netref_group_list(). */
static json_int_t members_of(const netref_rows *rows, size_t r)
{
    long c = rows_col(rows, "members");
    return c < 0 ? 0 : (json_int_t)netref_rows_real(rows, r, (size_t)c);
}

/* A row of netref_group_list() as {"key","name","members"}. */
static json_t *group_json(const netref_rows *rows, size_t r)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", jstr(rows_get(rows, r, "key")));
    json_object_set_new(o, "name", jstr(rows_get(rows, r, "name")));
    json_object_set_new(o, "members", json_integer(members_of(rows, r)));
    return o;
}

/* The row of group `key` in a netref_group_list() table; -1 if none. */
static long find_group(const netref_rows *rows, const char *key)
{
    size_t r, n = netref_rows_count(rows);
    for (r = 0; r < n; r++) {
        const char *k = rows_get(rows, r, "key");
        if (k && !strcmp(k, key))
            return (long)r;
    }
    return -1;
}

/* "November evening (nov)", or "nov" when the name is the key. */
static char *group_label(const netref_rows *rows, long r, const char *key)
{
    return label_of(key, r < 0 ? NULL : rows_get(rows, (size_t)r, "name"));
}

/* group add (create) and group set (rename). */
int cmd_group_add(const command *c, args_t *a)
{
    const char *key = a->pos[0];
    int add = !strcmp(c->sub, "add");
    netref_rows *rows = NULL;
    netref_db *db;
    long r;
    int rc, status;
    if (!add && !a->set[O_NAME])
        return usage_error(a->cmd, "group set: --name is required");
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = add ? netref_group_add(db, key, a->val[O_NAME])
             : netref_group_set_name(db, key, a->val[O_NAME]);
    if (rc == NETREF_OK)
        rc = netref_group_list(db, &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if ((r = find_group(rows, key)) < 0) {
        err("group '%s' was saved but cannot be read back", key);
        status = EXIT_FAIL;
    } else if (a->set[O_JSON]) {
        status = print_json(group_json(rows, (size_t)r));
    } else {
        const char *name = rows_get(rows, (size_t)r, "name");
        json_int_t n = members_of(rows, (size_t)r);
        printf("%s group %s", add ? "added" : "renamed", shown(key));
        if (name && strcmp(name, key))
            printf(" \"%s\"", shown(name));
        printf(" (%lld member%s)\n", (long long)n, n == 1 ? "" : "s");
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

int cmd_group_remove(const command *c, args_t *a)
{
    const char *key = a->pos[0];
    netref_db *db;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = netref_group_remove(db, key);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "group", jstr(key));
        json_object_set_new(o, "removed", json_true());
        status = print_json(o);
    } else {
        printf("removed group %s (its members stay in the network)\n",
               shown(key));
        status = EXIT_OK;
    }
    netref_close(db);
    return status;
}

/* group join and group leave. */
int cmd_group_join_leave(const command *c, args_t *a)
{
    int join = !strcmp(c->sub, "join");
    const char *group = a->pos[0], *person = a->pos[1];
    netref_db *db;
    int rc, status;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = join ? netref_group_join(db, group, person)
              : netref_group_leave(db, group, person);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "group", jstr(group));
        json_object_set_new(o, "person", jstr(person));
        json_object_set_new(o, "member", json_boolean(join));
        status = print_json(o);
    } else {
        char *label = person_label(db, person);
        printf("%s %s group %s\n", shown(label),
               join ? "is a member of" : "left", shown(group));
        free(label);
        status = EXIT_OK;
    }
    netref_close(db);
    return status;
}

int cmd_group_list(const command *c, args_t *a)
{
    static const char *const cols[] = {"key", "name", "members"};
    static const char *const heads[] = {"KEY", "NAME", "MEMBERS"};
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_group_list(db, &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object(), *list = json_array();
        size_t r, n = netref_rows_count(rows);
        for (r = 0; r < n; r++)
            json_array_append_new(list, group_json(rows, r));
        json_object_set_new(o, "groups", list);
        status = print_json(o);
    } else {
        if (netref_rows_count(rows))
            rows_table(rows, 3, cols, heads, "llr", "");
        else
            printf("no groups in %s yet\n", shown(db_path(a)));
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

int cmd_group_members(const command *c, args_t *a)
{
    static const char *const cols[] = {"key", "name"};
    static const char *const heads[] = {"KEY", "NAME"};
    const char *group = a->pos[0];
    netref_rows *rows = NULL, *groups = NULL;
    netref_db *db;
    long g = -1;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_group_members(db, group, &rows);
    if (rc == NETREF_OK)
        rc = netref_group_list(db, &groups);
    if (rc == NETREF_OK)
        g = find_group(groups, group);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "group", jstr(group));
        json_object_set_new(o, "name",
                            jstr(g < 0 ? NULL
                                       : rows_get(groups, (size_t)g, "name")));
        json_object_set_new(o, "people", rows_json(rows));
        status = print_json(o);
    } else {
        char *label = group_label(groups, g, group);
        size_t n = netref_rows_count(rows);
        if (n) {
            printf("%s: %zu member%s\n\n", shown(label), n,
                   n == 1 ? "" : "s");
            rows_table(rows, 2, cols, heads, NULL, "  ");
        } else {
            printf("%s has no members yet\n", shown(label));
        }
        free(label);
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_rows_free(groups);
    netref_close(db);
    return status;
}
