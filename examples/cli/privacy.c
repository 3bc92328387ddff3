/* netref CLI: a person's privacy. 'person export' prints everything the
 * network holds about one person (to give them a copy); 'person forget'
 * removes them and wipes their bytes from the file (netref_person_forget).
 * The export is composed of the library's listings, the same ones the
 * Python binding's person_export reads, so both give the same content. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* What the network holds about one person, one listing per section. */
struct held {
    netref_rows *person, *ties, *offers, *needs, *intros, *contacts, *groups;
};

static void held_free(struct held *h)
{
    netref_rows_free(h->person);
    netref_rows_free(h->ties);
    netref_rows_free(h->offers);
    netref_rows_free(h->needs);
    netref_rows_free(h->intros);
    netref_rows_free(h->contacts);
    netref_rows_free(h->groups);
}

/* Read every section; the first failure's code (nothing else read). */
static int held_read(netref_db *db, const char *key, struct held *h)
{
    int rc;
    if ((rc = netref_person_get(db, key, &h->person)) != NETREF_OK ||
        (rc = netref_tie_list(db, key, &h->ties)) != NETREF_OK ||
        (rc = netref_offer_list(db, key, &h->offers)) != NETREF_OK ||
        (rc = netref_need_list(db, key, &h->needs)) != NETREF_OK ||
        (rc = netref_intro_list(db, key, &h->intros)) != NETREF_OK ||
        (rc = netref_contact_list(db, key, &h->contacts)) != NETREF_OK ||
        (rc = netref_person_groups(db, key, &h->groups)) != NETREF_OK)
        return rc;
    return NETREF_OK;
}

static json_t *rows_json_with(const netref_rows *rows,
                              json_t *(*row)(const netref_rows *, size_t))
{
    json_t *list = json_array();
    size_t r, n = netref_rows_count(rows);
    for (r = 0; r < n; r++)
        json_array_append_new(list, row(rows, r));
    return list;
}

static int print_held_json(const struct held *h)
{
    json_t *o = person_json(h->person);
    json_object_set_new(o, "ties", rows_json(h->ties));
    json_object_set_new(o, "offers", rows_json(h->offers));
    json_object_set_new(o, "needs", rows_json(h->needs));
    json_object_set_new(o, "introductions",
                        rows_json_with(h->intros, intro_json));
    json_object_set_new(o, "contacts",
                        rows_json_with(h->contacts, contact_json));
    json_object_set_new(o, "groups", rows_json(h->groups));
    return print_json(o);
}

/* 'person show' and the three sections it does not have. */
static void print_held(const char *key, const struct held *h)
{
    static const char *const intro_cols[] = {"id",         "created", "status",
                                             "introducer", "seeker",  "target",
                                             "tag",        "value",   "note"};
    static const char *const intro_heads[] = {"ID",  "CREATED", "STATUS",
                                              "BY",  "SEEKER",  "TARGET",
                                              "TAG", "VALUE",   "NOTE"};
    static const char *const contact_cols[] = {"id",  "date", "kind",
                                               "key", "name", "note"};
    static const char *const contact_heads[] = {"ID",   "DATE", "KIND",
                                                "WITH", "NAME", "NOTE"};
    static const char *const group_cols[] = {"key", "name"};
    static const char *const group_heads[] = {"KEY", "NAME"};
    print_person(key, h->person, h->ties, h->offers, h->needs);
    printf("\nintroductions (%zu):\n", netref_rows_count(h->intros));
    if (netref_rows_count(h->intros))
        rows_table(h->intros, 9, intro_cols, intro_heads, "rllllllrl", "  ");
    printf("\ncontacts (%zu):\n", netref_rows_count(h->contacts));
    if (netref_rows_count(h->contacts))
        rows_table(h->contacts, 6, contact_cols, contact_heads, "rlllll", "  ");
    printf("\ngroups (%zu):\n", netref_rows_count(h->groups));
    if (netref_rows_count(h->groups))
        rows_table(h->groups, 2, group_cols, group_heads, NULL, "  ");
}

int cmd_person_export(const command *c, args_t *a)
{
    struct held h = {0};
    netref_db *db;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = held_read(db, a->pos[0], &h);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        status = print_held_json(&h);
    } else {
        print_held(a->pos[0], &h);
        status = EXIT_OK;
    }
    held_free(&h);
    netref_close(db);
    return status;
}

int cmd_person_forget(const command *c, args_t *a)
{
    netref_db *db;
    int rc, status = EXIT_OK;
    (void)c;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = netref_person_forget(db, a->pos[0]);
    if (rc != NETREF_OK)
        status = lib_error(db, rc);
    else
        printf("forgot %s: removed with everything about them and wiped "
               "from %s\n",
               shown(a->pos[0]), shown(db_path(a)));
    netref_close(db);
    return status;
}
