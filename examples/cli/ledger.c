/* netref CLI: the referral ledger (intro add, intro status, intro list)
 * and the balance between a person and everyone they traded
 * introductions with. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The NETREF_INTRO_* status of a name, or 0 (listing the names). */
static int status_of(const args_t *a, const char *name, int for_new)
{
    int s;
    const char *n;
    for (s = 1; (n = netref_intro_status_name(s)) != NULL; s++)
        if (!strcmp(n, name))
            break;
    if (!n || (for_new && s != NETREF_INTRO_PROPOSED &&
               s != NETREF_INTRO_MADE && s != NETREF_INTRO_ACCEPTED)) {
        usage_error(a->cmd, "'%s' is not a status%s: %s", name,
                    n ? " for a new introduction" : "",
                    for_new ? "proposed, made or accepted (converted and "
                              "declined are set with 'netref intro status')"
                            : "proposed, made, accepted, converted or "
                              "declined");
        return 0;
    }
    return s;
}

/* One introduction (a row of netref_intro_list()) as JSON. */
json_t *intro_json(const netref_rows *rows, size_t r)
{
    json_t *o = json_object();
    long vc = rows_col(rows, "value");
    const char *value = rows_get(rows, r, "value");
    const char *warm = rows_get(rows, r, "warm_tie");
    const char *id = rows_get(rows, r, "id");
    json_object_set_new(o, "id", json_integer(id ? strtoll(id, NULL, 10)
                                                 : 0));
    json_object_set_new(o, "introducer",
                        jstr(rows_get(rows, r, "introducer")));
    json_object_set_new(o, "seeker", jstr(rows_get(rows, r, "seeker")));
    json_object_set_new(o, "target", jstr(rows_get(rows, r, "target")));
    json_object_set_new(o, "tag", jstr(rows_get(rows, r, "tag")));
    json_object_set_new(o, "created", jstr(rows_get(rows, r, "created")));
    json_object_set_new(o, "status", jstr(rows_get(rows, r, "status")));
    json_object_set_new(o, "changed", jstr(rows_get(rows, r, "changed")));
    json_object_set_new(o, "made", jstr(rows_get(rows, r, "made")));
    json_object_set_new(o, "note", jstr(rows_get(rows, r, "note")));
    json_object_set_new(o, "value",
                        value && vc >= 0
                            ? json_real(netref_rows_real(rows, r, (size_t)vc))
                            : json_null());
    json_object_set_new(o, "warm_tie",
                        json_boolean(warm && strcmp(warm, "0") != 0));
    return o;
}

/* The row of introduction `id` among those of its seeker; -1 if none. */
static long find_intro(const netref_rows *rows, long long id)
{
    size_t r, n = netref_rows_count(rows);
    for (r = 0; r < n; r++) {
        const char *t = rows_get(rows, r, "id");
        if (t && strtoll(t, NULL, 10) == id)
            return (long)r;
    }
    return -1;
}

/* "Ana (ana) introduced Bo (bo) to Cy (cy)" for a row. */
static void print_intro_line(netref_db *db, const netref_rows *rows,
                             size_t r)
{
    char *i = person_label(db, rows_get(rows, r, "introducer"));
    char *s = person_label(db, rows_get(rows, r, "seeker"));
    char *t = person_label(db, rows_get(rows, r, "target"));
    const char *tag = rows_get(rows, r, "tag");
    printf("introduction %s: %s introduces %s to %s",
           shown(rows_get(rows, r, "id")), shown(i), shown(s), shown(t));
    if (tag)
        printf(" about \"%s\"", shown(tag));
    printf(" (%s since %s)\n", shown(rows_get(rows, r, "status")),
           shown(rows_get(rows, r, "changed")));
    free(i);
    free(s);
    free(t);
}

/* The fields of 'intro add' besides the status and --warm-tie. */
static int intro_fields(args_t *a, netref_fields **fields)
{
    static const field_option map[] = {
        {O_TAG, NETREF_FIELD_TAG, 't'},
        {O_DATE, NETREF_FIELD_DATE, 't'},
        {O_NOTE, NETREF_FIELD_NOTE, 't'},
    };
    int status = NETREF_INTRO_PROPOSED;
    int exit_status;
    if (a->set[O_STATUS] && !(status = status_of(a, a->val[O_STATUS], 1)))
        return EXIT_USAGE;
    exit_status = fields_from_options(a, map, sizeof map / sizeof map[0],
                                      fields);
    if (exit_status != EXIT_OK)
        return exit_status;
    if (netref_fields_set_int(*fields, NETREF_FIELD_STATUS, status) ||
        netref_fields_set_int(*fields, NETREF_FIELD_WARM_TIE,
                              a->set[O_WARM_TIE])) {
        netref_fields_free(*fields);
        err("out of memory");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cmd_intro_add(const command *c, args_t *a)
{
    int rc, exit_status;
    netref_fields *fields;
    netref_rows *rows = NULL;
    netref_db *db;
    long long id = 0;
    long r;
    (void)c;
    if (!a->set[O_BY] || !a->set[O_SEEKER] || !a->set[O_TARGET])
        return usage_error(a->cmd, "intro add: --by, --seeker and --target "
                                   "are required");
    if ((exit_status = intro_fields(a, &fields)) != EXIT_OK)
        return exit_status;
    if (!(db = open_db(a, 0))) {
        netref_fields_free(fields);
        return EXIT_FAIL;
    }
    rc = netref_intro_add(db, a->val[O_BY], a->val[O_SEEKER],
                          a->val[O_TARGET], fields, &id);
    netref_fields_free(fields);
    if (rc == NETREF_OK)
        rc = netref_intro_list(db, a->val[O_SEEKER], &rows);
    if (rc != NETREF_OK) {
        exit_status = lib_error(db, rc);
    } else if ((r = find_intro(rows, id)) < 0) {
        err("introduction %lld was recorded but cannot be read back", id);
        exit_status = EXIT_FAIL;
    } else if (a->set[O_JSON]) {
        exit_status = print_json(intro_json(rows, (size_t)r));
    } else {
        printf("recorded ");
        print_intro_line(db, rows, (size_t)r);
        exit_status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return exit_status;
}

int cmd_intro_status(const command *c, args_t *a)
{
    static const field_option map[] = {
        {O_DATE, NETREF_FIELD_DATE, 't'},
        {O_VALUE, NETREF_FIELD_VALUE, 'r'},
    };
    const char *id_s = a->pos[0];
    long long id;
    double value = 0;
    char *end;
    int status, rc, exit_status;
    netref_fields *fields;
    netref_db *db;
    (void)c;
    errno = 0;
    id = strtoll(id_s, &end, 10);
    if (!*id_s || *end || errno == ERANGE || id <= 0)
        return usage_error(a->cmd, "'%s' is not an introduction id (a whole "
                                   "number > 0)", id_s);
    if (!(status = status_of(a, a->pos[1], 0)))
        return EXIT_USAGE;
    if (a->set[O_VALUE]) {
        if (status != NETREF_INTRO_CONVERTED)
            return usage_error(a->cmd, "--value is recorded only when an "
                                       "introduction converts");
        if ((exit_status = parse_double(a, O_VALUE, &value)) != EXIT_OK)
            return exit_status;
    }
    exit_status = fields_from_options(a, map, sizeof map / sizeof map[0],
                                      &fields);
    if (exit_status != EXIT_OK)
        return exit_status;
    if (!(db = open_db(a, 0))) {
        netref_fields_free(fields);
        return EXIT_FAIL;
    }
    rc = netref_intro_set_status(db, id, status, fields);
    netref_fields_free(fields);
    if (rc != NETREF_OK) {
        exit_status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(id));
        json_object_set_new(o, "status",
                            jstr(netref_intro_status_name(status)));
        json_object_set_new(o, "value", status == NETREF_INTRO_CONVERTED
                                            ? json_real(value)
                                            : json_null());
        exit_status = print_json(o);
    } else {
        char v[64] = "";
        if (status == NETREF_INTRO_CONVERTED)
            snprintf(v, sizeof v, " (value %s)", a->set[O_VALUE]
                                                     ? a->val[O_VALUE]
                                                     : "0");
        printf("introduction %lld is now %s%s\n", id,
               netref_intro_status_name(status), v);
        exit_status = EXIT_OK;
    }
    netref_close(db);
    return exit_status;
}

int cmd_intro_list(const command *c, args_t *a)
{
    static const char *const cols[] = {"id",     "created", "status",
                                       "introducer", "seeker", "target",
                                       "tag",    "value",   "note"};
    static const char *const heads[] = {"ID",     "CREATED", "STATUS",
                                        "BY",     "SEEKER",  "TARGET",
                                        "TAG",    "VALUE",   "NOTE"};
    const char *person = a->npos ? a->pos[0] : NULL;
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, exit_status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_intro_list(db, person, &rows);
    if (rc != NETREF_OK) {
        exit_status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        exit_status = print_person_rows(person, "introductions", rows, intro_json);
    } else {
        if (netref_rows_count(rows))
            rows_table(rows, 9, cols, heads, "rllllllrl", "");
        else if (person)
            printf("no introductions with %s yet\n", shown(person));
        else
            printf("no introductions in %s yet\n", shown(db_path(a)));
        exit_status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return exit_status;
}

int cmd_balance(const command *c, args_t *a)
{
    static const char *const cols[] = {"key",       "name",  "made_for",
                                       "made_by",   "converted", "value",
                                       "value_given"};
    static const char *const heads[] = {"KEY",     "NAME",  "MADE FOR",
                                        "MADE BY", "CONVERTED", "VALUE",
                                        "VALUE GIVEN"};
    static const char *const numbers[] = {"made_for", "made_by", "converted"};
    static const char *const reals[] = {"value", "value_given"};
    const char *person = a->pos[0];
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, exit_status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_balance(db, person, &rows);
    if (rc != NETREF_OK) {
        exit_status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object(), *list = json_array();
        size_t r, i, n = netref_rows_count(rows);
        for (r = 0; r < n; r++) {
            json_t *row = json_object();
            json_object_set_new(row, "key", jstr(rows_get(rows, r, "key")));
            json_object_set_new(row, "name", jstr(rows_get(rows, r, "name")));
            for (i = 0; i < 3; i++) {
                long col = rows_col(rows, numbers[i]);
                json_object_set_new(
                    row, numbers[i],
                    json_integer(col < 0 ? 0
                                         : (json_int_t)netref_rows_real(
                                               rows, r, (size_t)col)));
            }
            for (i = 0; i < 2; i++) {
                long col = rows_col(rows, reals[i]);
                json_object_set_new(
                    row, reals[i],
                    json_real(col < 0 ? 0
                                      : netref_rows_real(rows, r,
                                                         (size_t)col)));
            }
            json_array_append_new(list, row);
        }
        json_object_set_new(o, "person", jstr(person));
        json_object_set_new(o, "results", list);
        exit_status = print_json(o);
    } else {
        char *label = person_label(db, person);
        if (netref_rows_count(rows)) {
            printf("Introductions made for and by %s:\n\n", shown(label));
            rows_table(rows, 7, cols, heads, "llrrrrr", "  ");
        } else {
            printf("%s has made no introductions and had none made for "
                   "them yet.\n", shown(label));
        }
        free(label);
        exit_status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return exit_status;
}
