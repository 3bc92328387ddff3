/* netref CLI: keeping in touch (contact, contacts, reconnect). A tie's
 * cadence is set with 'tie set --cadence' (records.c). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A numeric cell as a JSON integer, or null when empty. */
static json_t *int_or_null(const netref_rows *rows, size_t r,
                           const char *col)
{
    long c = rows_col(rows, col);
    if (c < 0 || !netref_rows_text(rows, r, (size_t)c))
        return json_null();
    return json_integer((json_int_t)netref_rows_real(rows, r, (size_t)c));
}

json_t *contact_json(const netref_rows *rows, size_t r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", int_or_null(rows, r, "id"));
    json_object_set_new(o, "key", jstr(rows_get(rows, r, "key")));
    json_object_set_new(o, "name", jstr(rows_get(rows, r, "name")));
    json_object_set_new(o, "date", jstr(rows_get(rows, r, "date")));
    json_object_set_new(o, "kind", jstr(rows_get(rows, r, "kind")));
    json_object_set_new(o, "note", jstr(rows_get(rows, r, "note")));
    return o;
}

int cmd_contact(const command *c, args_t *a)
{
    static const field_option map[] = {
        {O_ON, NETREF_FIELD_DATE, 't'},
        {O_KIND, NETREF_FIELD_KIND, 't'},
        {O_NOTE, NETREF_FIELD_NOTE, 't'},
    };
    const char *note = a->val[O_NOTE];
    netref_fields *fields;
    netref_rows *rows = NULL;
    netref_db *db;
    long long id = 0;
    int rc, exit_status;
    size_t r, n;
    (void)c;
    exit_status = fields_from_options(a, map, sizeof map / sizeof map[0],
                                      &fields);
    if (exit_status != EXIT_OK)
        return exit_status;
    if (!(db = open_db(a, 0))) {
        netref_fields_free(fields);
        return EXIT_FAIL;
    }
    rc = netref_contact_log(db, a->pos[0], a->pos[1], fields, &id);
    netref_fields_free(fields);
    if (rc == NETREF_OK)
        rc = netref_contact_list(db, a->pos[0], &rows);
    if (rc != NETREF_OK) {
        exit_status = lib_error(db, rc);
    } else {
        const char *date = NULL, *kind = NULL;
        n = netref_rows_count(rows);
        for (r = 0; r < n; r++) {
            const char *t = rows_get(rows, r, "id");
            if (t && strtoll(t, NULL, 10) == id) {
                date = rows_get(rows, r, "date");
                kind = rows_get(rows, r, "kind");
            }
        }
        if (a->set[O_JSON]) {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_integer(id));
            json_object_set_new(o, "a", jstr(a->pos[0]));
            json_object_set_new(o, "b", jstr(a->pos[1]));
            json_object_set_new(o, "date", jstr(date));
            json_object_set_new(o, "kind", jstr(kind));
            json_object_set_new(o, "note", jstr(note && *note ? note : NULL));
            exit_status = print_json(o);
        } else {
            char *la = person_label(db, a->pos[0]);
            char *lb = person_label(db, a->pos[1]);
            printf("logged contact %lld: %s and %s (%s on %s)\n", id,
                   shown(la), shown(lb), kind ? shown(kind) : "?",
                   date ? shown(date) : "?");
            free(la);
            free(lb);
            exit_status = EXIT_OK;
        }
    }
    netref_rows_free(rows);
    netref_close(db);
    return exit_status;
}

int cmd_contacts(const command *c, args_t *a)
{
    static const char *const cols[] = {"id", "date", "kind", "key", "name",
                                       "note"};
    static const char *const heads[] = {"ID",  "DATE", "KIND", "WITH",
                                        "NAME", "NOTE"};
    const char *person = a->pos[0];
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, exit_status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_contact_list(db, person, &rows);
    if (rc != NETREF_OK) {
        exit_status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        exit_status = print_person_rows(person, "contacts", rows, contact_json);
    } else {
        if (netref_rows_count(rows))
            rows_table(rows, 6, cols, heads, "rlllll", "");
        else
            printf("no contacts with %s logged yet\n", shown(person));
        exit_status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return exit_status;
}

/* The tags cell (newline-separated) as a JSON list. */
static json_t *tags_json(const char *tags)
{
    json_t *list = json_array();
    const char *p = tags, *nl;
    while (p && *p) {
        nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        json_array_append_new(list, json_stringn(p, n));
        p = nl ? nl + 1 : NULL;
    }
    return list;
}

/* Rows [from, to) of a netref_reconnect() table; with_reach adds the
 * columns of what the contact would reach (SCORE, REACHED, TAGS). */
static void reconnect_table(const netref_rows *rows, size_t from, size_t to,
                            int with_reach)
{
    static const char *const heads[] = {"KEY",   "NAME",    "OVERDUE",
                                        "LAST",  "SCORE",   "REACHED",
                                        "TAGS"};
    long sc = rows_col(rows, "score");
    size_t r, i;
    table t;
    table_init(&t, with_reach ? 7 : 4, heads, "llrlrrl");
    for (r = from; r < to; r++) {
        char score[32], overdue[48], *tags;
        const char *d = rows_get(rows, r, "days_overdue");
        const char *last = rows_get(rows, r, "last_contact");
        const char *cells[7];
        if (d)
            snprintf(overdue, sizeof overdue, "%s days", d);
        else
            snprintf(overdue, sizeof overdue, "never contacted");
        tags = xstrdup(rows_get(rows, r, "tags") ? rows_get(rows, r, "tags")
                                                 : "");
        for (i = 0; tags[i]; i++)
            if (tags[i] == '\n')
                tags[i] = ',';
        cells[0] = rows_get(rows, r, "key");
        cells[1] = rows_get(rows, r, "name");
        cells[2] = overdue;
        cells[3] = last ? last : "-";
        cells[4] = fmt_real(score, sizeof score,
                            sc < 0 ? 0 : netref_rows_real(rows, r,
                                                          (size_t)sc));
        cells[5] = rows_get(rows, r, "people");
        cells[6] = *tags ? tags : "-";
        table_row(&t, cells);
        free(tags);
    }
    table_print(&t, "  ");
}

/* The overdue ties for people to read. Rows come by score, so those
 * whose contact would reach someone with a matching need or offer (who
 * offers a tag S needs or needs a tag S offers: score > 0) come first,
 * under "worth reconnecting with first"; the others are overdue too, but
 * that heading would not be true of them: they get their own, and a
 * table without the reach columns, which would all be zero. */
static void print_reconnect(netref_db *db, const char *source,
                            const netref_rows *rows)
{
    long sc = rows_col(rows, "score");
    size_t worth = 0, n = netref_rows_count(rows);
    char *label = person_label(db, source);
    while (worth < n && sc >= 0 &&
           netref_rows_real(rows, worth, (size_t)sc) > 0)
        worth++;
    if (n == 0) {
        printf("%s is in touch with everyone: no overdue ties.\n",
               shown(label));
    }
    if (worth > 0) {
        printf("Overdue ties of %s, worth reconnecting with first:\n\n",
               shown(label));
        reconnect_table(rows, 0, worth, 1);
    }
    if (worth < n) {
        if (worth > 0)
            printf("\nAlso overdue, but reaching no one with a matching need "
                   "or offer:\n\n");
        else
            printf("Overdue ties of %s; none reaches anyone with a matching "
                   "need or offer:\n\n",
                   shown(label));
        reconnect_table(rows, worth, n, 0);
    }
    free(label);
}

int cmd_reconnect(const command *c, args_t *a)
{
    const char *source = a->val[O_FROM];
    int older = 0, hops = NETREF_DEFAULT_HOPS, limit = NETREF_NO_LIMIT;
    int rc, exit_status;
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    netref_db *db;
    size_t r, n;
    (void)c;
    if (!source)
        return usage_error(a->cmd, "reconnect: --from KEY is required");
    if (a->set[O_OLDER_THAN] &&
        (exit_status = parse_int(a, O_OLDER_THAN, &older)) != EXIT_OK)
        return exit_status;
    if (older < 0)
        return usage_error(a->cmd, "--older-than: must be >= 0");
    if (a->set[O_HOPS] && (exit_status = parse_int(a, O_HOPS, &hops)) !=
                              EXIT_OK)
        return exit_status;
    if (a->set[O_LIMIT] && (exit_status = parse_int(a, O_LIMIT, &limit)) !=
                               EXIT_OK)
        return exit_status;
    if (netref_options_new(&opts) != NETREF_OK) {
        err("out of memory");
        return EXIT_FAIL;
    }
    if (netref_options_set_hops(opts, hops) != NETREF_OK ||
        netref_options_set_limit(opts, limit) != NETREF_OK ||
        netref_options_set_today(opts, a->val[O_TODAY]) != NETREF_OK ||
        netref_options_set_exact(opts, a->set[O_EXACT]) != NETREF_OK) {
        exit_status = usage_error(a->cmd, "%s", netref_errmsg(NULL));
        netref_options_free(opts);
        return exit_status;
    }
    if (!(db = open_db(a, NETREF_OPEN_READONLY))) {
        netref_options_free(opts);
        return EXIT_FAIL;
    }
    rc = netref_reconnect(db, source, older, opts, &rows);
    n = netref_rows_count(rows);
    if (rc != NETREF_OK) {
        exit_status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object(), *list = json_array();
        long sc = rows_col(rows, "score");
        for (r = 0; r < n; r++) {
            json_t *row = json_object();
            json_object_set_new(row, "key", jstr(rows_get(rows, r, "key")));
            json_object_set_new(row, "name", jstr(rows_get(rows, r, "name")));
            json_object_set_new(row, "days_overdue",
                                int_or_null(rows, r, "days_overdue"));
            json_object_set_new(row, "score",
                                json_real(netref_rows_real(rows, r,
                                                           (size_t)sc)));
            json_object_set_new(row, "tags",
                                tags_json(rows_get(rows, r, "tags")));
            json_object_set_new(row, "reached",
                                int_or_null(rows, r, "people"));
            json_object_set_new(row, "last_contact",
                                jstr(rows_get(rows, r, "last_contact")));
            json_object_set_new(row, "cadence",
                                int_or_null(rows, r, "cadence"));
            json_array_append_new(list, row);
        }
        json_object_set_new(o, "source", jstr(source));
        json_object_set_new(o, "results", list);
        exit_status = print_json(o);
    } else {
        print_reconnect(db, source, rows);
        exit_status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_options_free(opts);
    netref_close(db);
    return exit_status;
}
