/* netref CLI: 'person merge KEEP OTHER', two records of one person made
 * one (netref_person_merge). Before merging, it counts the introductions
 * and logged contacts between the two, which the merge removes (they
 * would be with oneself), so that the user is told. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Rows of a listing of KEEP's that name OTHER in one of `cols`. */
static long rows_naming(const netref_rows *rows, const char *const *cols,
                        size_t ncols, const char *other)
{
    long n = 0;
    size_t r, c;
    for (r = 0; r < netref_rows_count(rows); r++)
        for (c = 0; c < ncols; c++) {
            const char *v = rows_get(rows, r, cols[c]);
            if (v && strcmp(v, other) == 0) {
                n++;
                break;
            }
        }
    return n;
}

/* The introductions and contacts between keep and other. */
static int count_between(netref_db *db, const char *keep, const char *other,
                         long *intros, long *contacts)
{
    static const char *const intro_cols[] = {"introducer", "seeker", "target"};
    static const char *const contact_cols[] = {"key"};
    netref_rows *rows = NULL;
    int rc = netref_intro_list(db, keep, &rows);
    if (rc != NETREF_OK)
        return rc;
    *intros = rows_naming(rows, intro_cols, 3, other);
    netref_rows_free(rows);
    rc = netref_contact_list(db, keep, &rows);
    if (rc != NETREF_OK)
        return rc;
    *contacts = rows_naming(rows, contact_cols, 1, other);
    netref_rows_free(rows);
    return NETREF_OK;
}

int cmd_person_merge(const command *c, args_t *a)
{
    const char *keep = a->pos[0], *other = a->pos[1];
    long intros = 0, contacts = 0;
    netref_db *db;
    int rc, status = EXIT_OK;
    (void)c;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    /* Counted just before the merge (another program's change in
     * between would make the count, not the merge, inexact). */
    rc = count_between(db, keep, other, &intros, &contacts);
    if (rc == NETREF_OK)
        rc = netref_person_merge(db, keep, other);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "kept", jstr(keep));
        json_object_set_new(o, "merged", jstr(other));
        json_object_set_new(o, "introductions_removed", json_integer(intros));
        json_object_set_new(o, "contacts_removed", json_integer(contacts));
        status = print_json(o);
    } else {
        printf("merged %s into %s", shown(other), shown(keep));
        if (intros || contacts)
            printf(" (removed %ld introduction%s and %ld contact%s between "
                   "them)",
                   intros, intros == 1 ? "" : "s", contacts,
                   contacts == 1 ? "" : "s");
        printf("\n");
    }
    netref_close(db);
    return status;
}
