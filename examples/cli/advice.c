/* netref CLI: whom to ask first about a tag (ask-first) and which
 * introductions the source could make (matches). */
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

/* ------------------------------------------------------------------ */
/* ask-first                                                           */
/* ------------------------------------------------------------------ */

static json_t *ask_json(const args_t *a, const char *norm, int hops,
                        const char *role_s, const netref_rows *rows)
{
    static const char *const tops[] = {"top1", "top2", "top3"};
    json_t *o = json_object(), *res = json_array();
    size_t r, i, n = netref_rows_count(rows);
    json_object_set_new(o, "source", jstr(a->val[O_FROM]));
    json_object_set_new(o, "tag", jstr(norm));
    json_object_set_new(o, "hops", json_integer(hops));
    json_object_set_new(o, "role", jstr(role_s));
    for (r = 0; r < n; r++) {
        json_t *row = json_object(), *top = json_array();
        json_object_set_new(row, "key", jstr(rows_get(rows, r, "key")));
        json_object_set_new(row, "name", jstr(rows_get(rows, r, "name")));
        json_object_set_new(row, "score", json_real(real_of(rows, r, "score")));
        json_object_set_new(
            row, "reached",
            json_integer((json_int_t)real_of(rows, r, "reached")));
        for (i = 0; i < 3; i++) {
            const char *k = rows_get(rows, r, tops[i]);
            if (k)
                json_array_append_new(top, jstr(k));
        }
        json_object_set_new(row, "top", top);
        json_array_append_new(res, row);
    }
    json_object_set_new(o, "results", res);
    return o;
}

static void ask_table(const netref_rows *rows)
{
    static const char *const heads[] = {"#", "CONTACT", "SCORE", "REACHED",
                                        "TOP TARGETS"};
    size_t r, n = netref_rows_count(rows);
    table t;
    table_init(&t, 5, heads, "rlrrl");
    for (r = 0; r < n; r++) {
        char rank[24], score[32], reached[24];
        const char *cells[5];
        char *label =
            label_of(rows_get(rows, r, "key"), rows_get(rows, r, "name"));
        const char *t1 = rows_get(rows, r, "top1");
        const char *t2 = rows_get(rows, r, "top2");
        const char *t3 = rows_get(rows, r, "top3");
        char *top = xasprintf("%s%s%s%s%s", t1 ? t1 : "", t2 ? ", " : "",
                              t2 ? t2 : "", t3 ? ", " : "", t3 ? t3 : "");
        snprintf(rank, sizeof rank, "%zu", r + 1);
        snprintf(reached, sizeof reached, "%.0f", real_of(rows, r, "reached"));
        cells[0] = rank;
        cells[1] = label;
        cells[2] = fmt_real(score, sizeof score, real_of(rows, r, "score"));
        cells[3] = reached;
        cells[4] = top;
        table_row(&t, cells);
        free(label);
        free(top);
    }
    table_print(&t, "  ");
}

int cmd_ask_first(const command *c, args_t *a)
{
    const char *role_s = a->set[O_ROLE] ? a->val[O_ROLE] : "any";
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    netref_db *db = NULL;
    char *norm = NULL;
    int rc, hops, role, status;
    if (!a->set[O_FROM] || !a->set[O_TAG])
        return usage_error(a->cmd, "%s: --from KEY and --tag TAG are required",
                           c->group);
    if (!strcmp(role_s, "offers"))
        role = NETREF_ROLE_OFFERS;
    else if (!strcmp(role_s, "needs"))
        role = NETREF_ROLE_NEEDS;
    else if (!strcmp(role_s, "any"))
        role = NETREF_ROLE_ANY;
    else
        return usage_error(a->cmd, "--role: '%s' is not offers, needs or any",
                           role_s);
    if (netref_options_new(&opts) != NETREF_OK) {
        err("%s", netref_errmsg(NULL));
        return EXIT_FAIL;
    }
    if ((status = query_options(a, opts, &hops)) != EXIT_OK)
        goto done;
    status = EXIT_FAIL;
    if (!(norm = normalize_tag(a->val[O_TAG])))
        goto done;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        goto done;
    rc = netref_ask_first(db, a->val[O_FROM], a->val[O_TAG], role, opts, &rows);
    if (rc != NETREF_OK) {
        lib_error(db, rc);
        goto done;
    }
    if (a->set[O_JSON]) {
        status = print_json(ask_json(a, norm, hops, role_s, rows));
    } else {
        char *src = person_label(db, a->val[O_FROM]);
        const char *who = role == NETREF_ROLE_OFFERS  ? "offer"
                          : role == NETREF_ROLE_NEEDS ? "need"
                                                      : "offer or need";
        if (netref_rows_count(rows) == 0)
            printf("None of %s's contacts reaches anyone who might %s \"%s\" "
                   "within %d hop%s.\n",
                   shown(src), who, shown(norm), hops, hops == 1 ? "" : "s");
        else {
            printf("Whom %s should ask first about \"%s\" (people who %s it, "
                   "within %d hop%s):\n\n",
                   shown(src), shown(norm), who, hops, hops == 1 ? "" : "s");
            ask_table(rows);
        }
        free(src);
        status = EXIT_OK;
    }
done:
    netref_rows_free(rows);
    netref_options_free(opts);
    netref_free(norm);
    netref_close(db);
    return status;
}

/* ------------------------------------------------------------------ */
/* matches                                                             */
/* ------------------------------------------------------------------ */

static json_t *matches_json(const args_t *a, const char *norm, int hops,
                            const netref_rows *rows)
{
    json_t *o = json_object(), *res = json_array();
    size_t r, n = netref_rows_count(rows);
    json_object_set_new(o, "source", jstr(a->val[O_FROM]));
    json_object_set_new(o, "hops", json_integer(hops));
    json_object_set_new(o, "tag", jstr(norm));
    for (r = 0; r < n; r++) {
        json_t *row = json_object();
        json_object_set_new(row, "needer", jstr(rows_get(rows, r, "needer")));
        json_object_set_new(row, "provider",
                            jstr(rows_get(rows, r, "provider")));
        json_object_set_new(row, "tag", jstr(rows_get(rows, r, "tag")));
        json_object_set_new(row, "offer_tag",
                            jstr(rows_get(rows, r, "offer_tag")));
        json_object_set_new(row, "score", json_real(real_of(rows, r, "score")));
        json_object_set_new(row, "needer_reach",
                            json_real(real_of(rows, r, "needer_reach")));
        json_object_set_new(row, "provider_reach",
                            json_real(real_of(rows, r, "provider_reach")));
        json_array_append_new(res, row);
    }
    json_object_set_new(o, "results", res);
    return o;
}

static void matches_table(const netref_rows *rows)
{
    static const char *const heads[] = {"#", "NEEDS", "OFFERS", "TAG", "SCORE"};
    size_t r, n = netref_rows_count(rows);
    table t;
    table_init(&t, 5, heads, "rlllr");
    for (r = 0; r < n; r++) {
        char rank[24], score[32], *tag;
        const char *cells[5];
        char *needer = label_of(rows_get(rows, r, "needer"),
                                rows_get(rows, r, "needer_name"));
        char *provider = label_of(rows_get(rows, r, "provider"),
                                  rows_get(rows, r, "provider_name"));
        snprintf(rank, sizeof rank, "%zu", r + 1);
        cells[0] = rank;
        cells[1] = needer;
        cells[2] = provider;
        /* "party planning (offers kids birthday party)" when they differ */
        tag = strcmp(rows_get(rows, r, "tag"), rows_get(rows, r, "offer_tag"))
                  ? xasprintf("%s (offers %s)", rows_get(rows, r, "tag"),
                              rows_get(rows, r, "offer_tag"))
                  : xstrdup(rows_get(rows, r, "tag"));
        cells[3] = tag;
        cells[4] = fmt_real(score, sizeof score, real_of(rows, r, "score"));
        table_row(&t, cells);
        free(needer);
        free(provider);
        free(tag);
    }
    table_print(&t, "  ");
}

int cmd_matches(const command *c, args_t *a)
{
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    netref_db *db = NULL;
    char *norm = NULL;
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
    if (a->set[O_TAG] && !(norm = normalize_tag(a->val[O_TAG])))
        goto done;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        goto done;
    rc = netref_matches(db, a->val[O_FROM],
                        a->set[O_TAG] ? a->val[O_TAG] : NULL, opts, &rows);
    if (rc != NETREF_OK) {
        lib_error(db, rc);
        goto done;
    }
    if (a->set[O_JSON]) {
        status = print_json(matches_json(a, norm, hops, rows));
    } else {
        char *src = person_label(db, a->val[O_FROM]);
        char *what = norm ? xasprintf(" for \"%s\"", shown(norm)) : xstrdup("");
        if (netref_rows_count(rows) == 0)
            printf("No introductions%s that %s could make within %d hop%s.\n",
                   what, shown(src), hops, hops == 1 ? "" : "s");
        else {
            printf("Introductions%s %s could make within %d hop%s:\n\n", what,
                   shown(src), hops, hops == 1 ? "" : "s");
            matches_table(rows);
        }
        free(what);
        free(src);
        status = EXIT_OK;
    }
done:
    netref_rows_free(rows);
    netref_options_free(opts);
    netref_free(norm);
    netref_close(db);
    return status;
}
