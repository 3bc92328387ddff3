/* netref CLI: who connects the people around the source (connectors):
 * betweenness within the source's k-hop network. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static double real_of(const netref_rows *rows, size_t r, const char *col)
{
    long c = rows_col(rows, col);
    return c < 0 ? 0 : netref_rows_real(rows, r, (size_t)c);
}

static json_t *connectors_json(const args_t *a, int hops,
                               const netref_rows *rows)
{
    json_t *o = json_object(), *res = json_array();
    size_t r, n = netref_rows_count(rows);
    json_object_set_new(o, "source", jstr(a->val[O_FROM]));
    json_object_set_new(o, "hops", json_integer(hops));
    for (r = 0; r < n; r++) {
        json_t *row = json_object();
        json_object_set_new(row, "key", jstr(rows_get(rows, r, "key")));
        json_object_set_new(row, "name", jstr(rows_get(rows, r, "name")));
        json_object_set_new(
            row, "hops", json_integer((json_int_t)real_of(rows, r, "hops")));
        json_object_set_new(row, "betweenness",
                            json_real(real_of(rows, r, "betweenness")));
        json_array_append_new(res, row);
    }
    json_object_set_new(o, "results", res);
    return o;
}

static void connectors_table(const netref_rows *rows)
{
    static const char *const heads[] = {"#", "PERSON", "AWAY",
                                        "BETWEENNESS"};
    size_t r, n = netref_rows_count(rows);
    table t;
    table_init(&t, 4, heads, "rlrr");
    for (r = 0; r < n; r++) {
        char rank[24], hops[24], b[32];
        const char *cells[4];
        char *label = label_of(rows_get(rows, r, "key"),
                               rows_get(rows, r, "name"));
        snprintf(rank, sizeof rank, "%zu", r + 1);
        snprintf(hops, sizeof hops, "%.0f", real_of(rows, r, "hops"));
        cells[0] = rank;
        cells[1] = label;
        cells[2] = hops;
        cells[3] = fmt_real(b, sizeof b, real_of(rows, r, "betweenness"));
        table_row(&t, cells);
        free(label);
    }
    table_print(&t, "  ");
}

int cmd_connectors(const command *c, args_t *a)
{
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    netref_db *db = NULL;
    int rc, hops, status;
    if (!a->set[O_FROM])
        return usage_error(a->cmd, "%s: --from KEY is required", c->group);
    if (netref_options_new(&opts) != NETREF_OK) {
        err("%s", netref_errmsg(NULL));
        return EXIT_FAIL;
    }
    if ((status = query_options(a, opts, &hops)) != EXIT_OK)
        goto done;
    status = EXIT_FAIL;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        goto done;
    rc = netref_connectors(db, a->val[O_FROM], opts, &rows);
    if (rc != NETREF_OK) {
        lib_error(db, rc);
        goto done;
    }
    if (a->set[O_JSON]) {
        status = print_json(connectors_json(a, hops, rows));
    } else {
        char *src = person_label(db, a->val[O_FROM]);
        if (netref_rows_count(rows) == 0)
            printf("Nobody in %s's %d-hop network stands between two "
                   "others there.\n",
                   shown(src), hops);
        else {
            printf("Who connects the people within %d hop%s of %s "
                   "(betweenness within that network):\n\n",
                   hops, hops == 1 ? "" : "s", shown(src));
            connectors_table(rows);
        }
        free(src);
        status = EXIT_OK;
    }
done:
    netref_rows_free(rows);
    netref_options_free(opts);
    netref_close(db);
    return status;
}
