/* netref CLI: the prospects and providers queries. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"


/* --half-life and --today, shared by every query; usage errors exit 2. */
static int time_options(const args_t *a, netref_options *opts)
{
    int status;
    double d;
    if (a->set[O_HALF_LIFE]) {
        if ((status = parse_double(a, O_HALF_LIFE, &d)) != EXIT_OK)
            return status;
        if (netref_options_set_half_life(opts, d) != NETREF_OK)
            return usage_error(a->cmd, "--half-life: '%s' is out of range "
                                       "(days > 0, or 0 for no decay)",
                               a->val[O_HALF_LIFE]);
    }
    if (a->set[O_TODAY] &&
        netref_options_set_today(opts, a->val[O_TODAY]) != NETREF_OK)
        return usage_error(a->cmd, "--today: '%s' is not a date YYYY-MM-DD",
                           a->val[O_TODAY]);
    return EXIT_OK;
}

int query_options(const args_t *a, netref_options *opts, int *hops)
{
    int status, n;
    *hops = NETREF_DEFAULT_HOPS;
    if (a->set[O_HOPS]) {
        if ((status = parse_int(a, O_HOPS, &n)) != EXIT_OK)
            return status;
        if (netref_options_set_hops(opts, n) != NETREF_OK)
            return usage_error(a->cmd, "--hops: %d is out of range (1 to %d)",
                               n, NETREF_MAX_HOPS);
        *hops = n;
    }
    if (a->set[O_LIMIT]) {
        if ((status = parse_int(a, O_LIMIT, &n)) != EXIT_OK)
            return status;
        if (netref_options_set_limit(opts, n) != NETREF_OK)
            return usage_error(a->cmd, "--limit: %d is out of range "
                                       "(%d for all, or more)", n,
                               NETREF_NO_LIMIT);
    }
    if (a->set[O_EXACT])
        netref_options_set_exact(opts, 1);
    if (a->set[O_GROUP] &&
        netref_options_set_group(opts, a->val[O_GROUP]) != NETREF_OK)
        return usage_error(a->cmd, "--group: '%s' is not a valid group key",
                           a->val[O_GROUP]);
    return time_options(a, opts);
}

static json_t *result_json(const netref_result *res, size_t r)
{
    json_t *o = json_object(), *path = json_array();
    size_t i, n = netref_result_path_length(res, r);
    json_object_set_new(o, "key", jstr(netref_result_key(res, r)));
    json_object_set_new(o, "name", jstr(netref_result_name(res, r)));
    json_object_set_new(o, "hops", json_integer(netref_result_hops(res, r)));
    json_object_set_new(o, "reach", json_real(netref_result_reach(res, r)));
    json_object_set_new(o, "score", json_real(netref_result_score(res, r)));
    json_object_set_new(o, "introducer",
                        jstr(netref_result_introducer(res, r)));
    for (i = 0; i < n; i++)
        json_array_append_new(path, jstr(netref_result_path_key(res, r, i)));
    json_object_set_new(o, "path", path);
    json_object_set_new(o, "tag", jstr(netref_result_tag(res, r)));
    return o;
}

/* "ana > bo > cy" */
static char *path_text(const netref_result *res, size_t r)
{
    size_t i, n = netref_result_path_length(res, r), len = 1;
    char *s;
    for (i = 0; i < n; i++) {
        const char *k = netref_result_path_key(res, r, i);
        len += strlen(k ? k : "?") + 3;
    }
    s = xrealloc(NULL, len);
    s[0] = '\0';
    for (i = 0; i < n; i++) {
        const char *k = netref_result_path_key(res, r, i);
        if (i)
            strcat(s, " > ");
        strcat(s, k ? k : "?");
    }
    return s;
}

/* Does some row's strongest path use more ties than its hops? */
static int paths_longer_than_hops(const netref_result *res)
{
    size_t r, n = netref_result_count(res);
    for (r = 0; r < n; r++)
        if (netref_result_path_length(res, r) >
            (size_t)netref_result_hops(res, r) + 1)
            return 1;
    return 0;
}

/* AWAY (the fewest ties between the source and the person) and TIES
 * (the ties of the strongest path shown, which the score is made of)
 * differ when a longer chain of warmer ties is worth more: both are
 * shown, named for what they count. */
static void print_results(netref_db *db, const netref_result *res,
                          const char *norm)
{
    static const char *const heads[] = {"#",   "NAME", "AWAY", "SCORE",
                                        "VIA", "TIES", "PATH", "TAG"};
    size_t r, n = netref_result_count(res);
    int show_tag = 0;
    table t;
    for (r = 0; r < n; r++)
        if (strcmp(netref_result_tag(res, r), norm))
            show_tag = 1;
    table_init(&t, show_tag ? 8 : 7, heads, "rlrrlrl");
    for (r = 0; r < n; r++) {
        char rank[24], hops[24], ties[24], score[32], *label, *via;
        const char *cells[8];
        const char *intro = netref_result_introducer(res, r);
        char *path = path_text(res, r);
        size_t len = netref_result_path_length(res, r);
        snprintf(rank, sizeof rank, "%zu", r + 1);
        snprintf(hops, sizeof hops, "%d", netref_result_hops(res, r));
        snprintf(ties, sizeof ties, "%zu", len ? len - 1 : 0);
        label = label_of(netref_result_key(res, r),
                         netref_result_name(res, r));
        if (intro) {
            char *who = person_label(db, intro);
            via = xasprintf("via %s", who);
            free(who);
        } else {
            via = xstrdup("direct");
        }
        cells[0] = rank;
        cells[1] = label;
        cells[2] = hops;
        cells[3] = fmt_real(score, sizeof score, netref_result_score(res, r));
        cells[4] = via;
        cells[5] = ties;
        cells[6] = path;
        cells[7] = netref_result_tag(res, r);
        table_row(&t, cells);
        free(path);
        free(label);
        free(via);
    }
    table_print(&t, "  ");
    if (paths_longer_than_hops(res))
        printf("\n  AWAY counts the fewest ties to the person; TIES, those "
               "of the PATH,\n  the strongest chain, which can be longer.\n");
}

int cmd_query(const command *c, args_t *a)
{
    int prospects = !strcmp(c->group, "prospects");
    netref_options *opts = NULL;
    netref_result *res = NULL;
    netref_db *db = NULL;
    char *norm = NULL;
    int rc, hops, status;
    if (!a->set[O_FROM] || !a->set[O_TAG])
        return usage_error(a->cmd, "%s: --from KEY and --tag TAG are required",
                           c->group);
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
    rc = prospects ? netref_prospects(db, a->val[O_FROM], a->val[O_TAG], opts,
                                      &res)
                   : netref_providers(db, a->val[O_FROM], a->val[O_TAG], opts,
                                      &res);
    if (rc != NETREF_OK) {
        lib_error(db, rc);
        goto done;
    }
    if (a->set[O_JSON]) {
        json_t *o = json_object(), *rows = json_array();
        size_t r, n = netref_result_count(res);
        json_object_set_new(o, "source", jstr(a->val[O_FROM]));
        json_object_set_new(o, "tag", jstr(norm));
        json_object_set_new(o, "hops", json_integer(hops));
        for (r = 0; r < n; r++)
            json_array_append_new(rows, result_json(res, r));
        json_object_set_new(o, "results", rows);
        status = print_json(o);
    } else {
        char *src = person_label(db, a->val[O_FROM]);
        if (netref_result_count(res) == 0) {
            printf("No one within %d hop%s of %s %s \"%s\".\n", hops,
                   hops == 1 ? "" : "s", shown(src),
                   prospects ? "might need" : "offers", shown(norm));
        } else {
            printf("%s \"%s\" within %d hop%s of %s:\n\n",
                   prospects ? "Who might need" : "Who offers", shown(norm),
                   hops, hops == 1 ? "" : "s", shown(src));
            print_results(db, res, norm);
        }
        free(src);
        status = EXIT_OK;
    }
done:
    netref_result_free(res);
    netref_options_free(opts);
    netref_free(norm);
    netref_close(db);
    return status;
}

/* ------------------------------------------------------------------ */
/* Command table and help                                              */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* path                                                                */
/* ------------------------------------------------------------------ */

int path_options(const args_t *a, netref_options *opts)
{
    int status, n;
    if (a->set[O_MAX_HOPS]) {
        if ((status = parse_int(a, O_MAX_HOPS, &n)) != EXIT_OK)
            return status;
        if (netref_options_set_max_hops(opts, n) != NETREF_OK)
            return usage_error(a->cmd, "--max-hops: %d is out of range "
                                       "(%d for no limit, or 1 to %d)", n,
                               NETREF_NO_LIMIT, NETREF_MAX_PATH_HOPS);
    }
    if (a->set[O_ALTERNATIVES]) {
        if ((status = parse_int(a, O_ALTERNATIVES, &n)) != EXIT_OK)
            return status;
        if (netref_options_set_alternatives(opts, n) != NETREF_OK)
            return usage_error(a->cmd, "--alternatives: %d is out of range "
                                       "(0 to %d)", n,
                               NETREF_MAX_ALTERNATIVES);
    }
    return time_options(a, opts);
}

static json_t *paths_json(const args_t *a, const netref_result *res)
{
    json_t *o = json_object(), *paths = json_array();
    size_t r, i, n = netref_result_count(res);
    json_object_set_new(o, "from", jstr(a->val[O_FROM]));
    json_object_set_new(o, "to", jstr(a->val[O_TO]));
    for (r = 0; r < n; r++) {
        json_t *p = json_object(), *keys = json_array();
        json_object_set_new(p, "strength",
                            json_real(netref_result_score(res, r)));
        json_object_set_new(p, "hops",
                            json_integer(netref_result_hops(res, r)));
        for (i = 0; i < netref_result_path_length(res, r); i++)
            json_array_append_new(keys,
                                  jstr(netref_result_path_key(res, r, i)));
        json_object_set_new(p, "path", keys);
        json_array_append_new(paths, p);
    }
    json_object_set_new(o, "paths", paths);
    return o;
}

/* "Ana Lima (ana) > Bo (bo)": the path by names. */
static char *path_names(netref_db *db, const netref_result *res, size_t r)
{
    char *s = xstrdup("");
    size_t i;
    for (i = 0; i < netref_result_path_length(res, r); i++) {
        char *who = person_label(db, netref_result_path_key(res, r, i));
        char *next = xasprintf("%s%s%s", s, i ? " > " : "", who);
        free(who);
        free(s);
        s = next;
    }
    return s;
}

static void print_paths(netref_db *db, const args_t *a,
                        const netref_result *res)
{
    static const char *const heads[] = {"#", "STRENGTH", "TIES", "PATH"};
    size_t r, n = netref_result_count(res);
    char *from = person_label(db, a->val[O_FROM]);
    char *to = person_label(db, a->val[O_TO]);
    table t;
    if (n == 0) {
        printf("No introduction path from %s to %s.\n", shown(from),
               shown(to));
    } else {
        printf("Introduction paths from %s to %s, strongest first:\n\n",
               shown(from), shown(to));
        table_init(&t, 4, heads, "rrrl");
        for (r = 0; r < n; r++) {
            char rank[24], strength[32], hops[24];
            const char *cells[4];
            char *names = path_names(db, res, r);
            snprintf(rank, sizeof rank, "%zu", r + 1);
            snprintf(hops, sizeof hops, "%d", netref_result_hops(res, r));
            cells[0] = rank;
            cells[1] = fmt_real(strength, sizeof strength,
                                netref_result_score(res, r));
            cells[2] = hops;
            cells[3] = names;
            table_row(&t, cells);
            free(names);
        }
        table_print(&t, "  ");
    }
    free(from);
    free(to);
}

int cmd_path(const command *c, args_t *a)
{
    netref_options *opts = NULL;
    netref_result *res = NULL;
    netref_db *db = NULL;
    int rc, status;
    if (!a->set[O_FROM] || !a->set[O_TO])
        return usage_error(a->cmd, "%s: --from A and --to B are required",
                           c->group);
    if (netref_options_new(&opts) != NETREF_OK) {
        err("%s", netref_errmsg(NULL));
        return EXIT_FAIL;
    }
    if ((status = path_options(a, opts)) != EXIT_OK)
        goto done;
    status = EXIT_FAIL;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        goto done;
    rc = netref_path(db, a->val[O_FROM], a->val[O_TO], opts, &res);
    if (rc != NETREF_OK) {
        lib_error(db, rc);
        goto done;
    }
    if (a->set[O_JSON]) {
        status = print_json(paths_json(a, res));
    } else {
        print_paths(db, a, res);
        status = EXIT_OK;
    }
done:
    netref_result_free(res);
    netref_options_free(opts);
    netref_close(db);
    return status;
}
