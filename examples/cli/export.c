/* netref CLI: export the network, or one person's k-hop network, as
 * GraphML, GEXF, node-link JSON, DOT, netref CSV (the backup format) or
 * Neo4j bulk import files (netref_export). */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct {
    const char *name, *label;
    int format;
} formats[] = {
    {"graphml", "GraphML", NETREF_EXPORT_GRAPHML},
    {"gexf", "GEXF", NETREF_EXPORT_GEXF},
    {"json", "node-link JSON", NETREF_EXPORT_JSON},
    {"dot", "Graphviz DOT", NETREF_EXPORT_DOT},
    {"csv", "netref CSV", NETREF_EXPORT_CSV},
    {"neo4j", "Neo4j bulk import CSV", NETREF_EXPORT_NEO4J},
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

/* The counts of the summary: JSON field, words of the text line. */
static const struct {
    int kind;
    const char *field, *one, *many;
} counted[] = {
    {NETREF_CSV_PEOPLE, "person_count", "person", "people"},
    {NETREF_CSV_TIES, "tie_count", "tie", "ties"},
    {NETREF_CSV_OFFERS, "offer_count", "offer", "offers"},
    {NETREF_CSV_NEEDS, "need_count", "need", "needs"},
    {NETREF_CSV_TAXONOMY, "tag_relation_count", "tag relation",
     "tag relations"},
    {NETREF_CSV_GROUPS, "membership_count", "group membership",
     "group memberships"},
};
#define N_COUNTED (sizeof counted / sizeof counted[0])

static volatile sig_atomic_t export_stopped;
static netref_db *volatile export_db;
static int progress_shown;

/* Ctrl-C (or SIGTERM): stop the export, which removes what it wrote;
 * netref_interrupt() is safe in a signal handler. */
static void on_export_signal(int sig)
{
    (void)sig;
    export_stopped = 1;
    netref_interrupt(export_db);
}

static void catch_signals(netref_db *db, int on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_export_signal : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    export_db = on ? db : NULL;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* "\rexporting FILE: N records" on a terminal, every few thousand
 * records (a million people take a while). */
static int export_progress(void *user, const char *path, long long rows)
{
    (void)user;
    if (isatty(STDERR_FILENO) && !errors_are_json()) {
        fprintf(stderr, "\r\033[Kexporting %s: %lld records", shown(path),
                rows);
        fflush(stderr);
        progress_shown = 1;
    }
    return export_stopped;
}

static int find_format(const args_t *a, size_t *f)
{
    for (*f = 0; *f < N_FORMATS; (*f)++)
        if (!strcmp(a->val[O_FORMAT], formats[*f].name))
            return EXIT_OK;
    return usage_error(a->cmd, "--format: '%s' is not one of graphml, gexf, "
                               "json, dot, csv, neo4j",
                       a->val[O_FORMAT]);
}

/* --format, -o, and --hops only with --from. */
static int export_args(const args_t *a, size_t *f, int *hops)
{
    int status;
    if (!a->set[O_FORMAT] || !a->set[O_OUTPUT])
        return usage_error(a->cmd, "export needs --format F and -o PATH");
    if ((status = find_format(a, f)) != EXIT_OK)
        return status;
    *hops = NETREF_DEFAULT_HOPS;
    if (a->set[O_HOPS] && !a->set[O_FROM])
        return usage_error(a->cmd, "--hops needs --from KEY (the whole "
                                   "network has no hops)");
    if (a->set[O_HOPS] && (status = parse_int(a, O_HOPS, hops)) != EXIT_OK)
        return status;
    if (*hops < 1 || *hops > NETREF_MAX_HOPS)
        return usage_error(a->cmd, "--hops: %d is out of range 1..%d", *hops,
                           NETREF_MAX_HOPS);
    return EXIT_OK;
}

static int print_summary(const args_t *a, const netref_export *exp,
                         size_t f, int hops)
{
    size_t i, n = netref_export_files(exp);
    if (a->set[O_JSON]) {
        json_t *o = json_object(), *files = json_array();
        json_object_set_new(o, "format", json_string(formats[f].name));
        json_object_set_new(o, "source", jstr(a->val[O_FROM]));
        json_object_set_new(o, "hops", a->set[O_FROM] ? json_integer(hops)
                                                      : json_null());
        for (i = 0; i < n; i++)
            json_array_append_new(files, jstr(netref_export_file(exp, i)));
        json_object_set_new(o, "files", files);
        /* "person_count", not "people": "people", "ties", "needs" are
         * lists elsewhere in netref's JSON (one type per field name). */
        for (i = 0; i < N_COUNTED; i++)
            json_object_set_new(o, counted[i].field,
                                json_integer(netref_export_count(
                                    exp, counted[i].kind)));
        return print_json(o);
    }
    printf("exported ");
    if (a->set[O_FROM])
        printf("the %d-hop network of %s: ", hops, shown(a->val[O_FROM]));
    for (i = 0; i < N_COUNTED; i++) {
        long long c = netref_export_count(exp, counted[i].kind);
        if (i < 2 || c > 0)
            printf("%s%lld %s", i ? ", " : "", c,
                   c == 1 ? counted[i].one : counted[i].many);
    }
    printf("\nas %s to %s\n", formats[f].label, shown(a->val[O_OUTPUT]));
    for (i = 0; n > 1 && i < n; i++)
        printf("  %s\n", shown(netref_export_file(exp, i)));
    return EXIT_OK;
}

int cmd_export(const command *c, args_t *a)
{
    netref_export *exp = NULL;
    netref_db *db = NULL;
    size_t f = 0;
    int hops, rc, status;
    (void)c;
    if ((status = export_args(a, &f, &hops)) != EXIT_OK)
        return status;
    if (netref_export_new(formats[f].format, &exp) != NETREF_OK ||
        netref_export_set_source(exp, a->val[O_FROM], hops) != NETREF_OK) {
        err_name(error_name(NETREF_EINVAL));
        err("%s", netref_errmsg(NULL));
        netref_export_free(exp);
        return EXIT_FAIL;
    }
    netref_export_set_progress(exp, export_progress, NULL);
    if (!(db = open_db(a, NETREF_OPEN_READONLY))) {
        netref_export_free(exp);
        return EXIT_FAIL;
    }
    catch_signals(db, 1);
    rc = netref_export_run(db, exp, a->val[O_OUTPUT]);
    catch_signals(db, 0);
    if (progress_shown)
        fputs("\r\033[K", stderr);
    if (rc == NETREF_ECANCELED) {
        err_name(error_name(rc));
        err("export interrupted; nothing was written");
        status = EXIT_INTERRUPTED;
    } else if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else {
        status = print_summary(a, exp, f, hops);
    }
    netref_export_free(exp);
    netref_close(db);
    return status;
}
