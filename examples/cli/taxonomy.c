/* netref CLI: the tag taxonomy (tag relate, unrelate, relations, expand). */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "alias" or "broader" as a NETREF_RELATION_* value; 0 when neither. */
static int relation_of(const char *s)
{
    if (!strcmp(s, "alias"))
        return NETREF_RELATION_ALIAS;
    if (!strcmp(s, "broader"))
        return NETREF_RELATION_BROADER;
    return 0;
}

/* The one line that confirms a change of the taxonomy, with the tags as
 * stored: "party planner" is now an alias of "party planning". */
static void print_relation(int relate, int relation, const char *tag,
                           const char *other)
{
    char *t = normalize_tag(tag), *o = normalize_tag(other);
    printf("\"%s\" is %s %s \"%s\"\n", shown(t ? t : tag),
           relate ? "now" : "no longer",
           relation == NETREF_RELATION_ALIAS ? "an alias of"
                                             : "narrower than",
           shown(o ? o : other));
    netref_free(t);
    netref_free(o);
}

/* tag relate|unrelate TAG RELATION OTHER */
int cmd_tag_relate(const command *c, args_t *a)
{
    int relation = relation_of(a->pos[1]);
    int relate = !strcmp(c->sub, "relate");
    netref_db *db;
    int rc, status;
    if (!relation)
        return usage_error(a->cmd, "'%s' is not a relation (alias or broader)",
                           a->pos[1]);
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = relate ? netref_tag_relate(db, a->pos[0], relation, a->pos[2])
                : netref_tag_unrelate(db, a->pos[0], relation, a->pos[2]);
    if (rc == NETREF_OK) {
        print_relation(relate, relation, a->pos[0], a->pos[2]);
        status = EXIT_OK;
    } else {
        status = lib_error(db, rc);
    }
    netref_close(db);
    return status;
}

int cmd_tag_relations(const command *c, args_t *a)
{
    static const char *const cols[] = {"tag", "relation", "other"};
    static const char *const heads[] = {"TAG", "RELATION", "OTHER"};
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_tag_relations(db, a->npos ? a->pos[0] : NULL, &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "relations", rows_json(rows));
        status = print_json(o);
    } else {
        if (netref_rows_count(rows))
            rows_table(rows, 3, cols, heads, "lll", "");
        else
            printf("no tag relations\n");
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

static json_t *expand_json(const char *tag, const netref_rows *rows)
{
    json_t *o = json_object(), *list = json_array();
    size_t r, n = netref_rows_count(rows);
    long holders = rows_col(rows, "holders");
    json_object_set_new(o, "tag", jstr(tag));
    for (r = 0; r < n; r++) {
        json_t *row = json_object();
        json_object_set_new(row, "tag", jstr(rows_get(rows, r, "tag")));
        json_object_set_new(row, "relation",
                            jstr(rows_get(rows, r, "relation")));
        json_object_set_new(
            row, "holders",
            json_integer((json_int_t)netref_rows_real(rows, r,
                                                      (size_t)holders)));
        json_array_append_new(list, row);
    }
    json_object_set_new(o, "matches", list);
    return o;
}

int cmd_tag_expand(const command *c, args_t *a)
{
    static const char *const cols[] = {"tag", "relation", "holders"};
    static const char *const heads[] = {"TAG", "RELATION", "HOLDERS"};
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, status;
    (void)c;
    if (netref_options_new(&opts) != NETREF_OK ||
        netref_options_set_exact(opts, a->set[O_EXACT]) != NETREF_OK) {
        netref_options_free(opts);
        err("out of memory");
        return EXIT_FAIL;
    }
    if (!(db = open_db(a, NETREF_OPEN_READONLY))) {
        netref_options_free(opts);
        return EXIT_FAIL;
    }
    rc = netref_tag_expand(db, a->pos[0], opts, &rows);
    netref_options_free(opts);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        status = print_json(expand_json(rows_get(rows, 0, "tag"), rows));
    } else {
        rows_table(rows, 3, cols, heads, "llr", "");
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}
