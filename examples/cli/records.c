/* netref CLI: init, import, person, tie, offer, need and tag commands. */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* init, import                                                        */
/* ------------------------------------------------------------------ */

int cmd_init(const command *c, args_t *a)
{
    const char *path = db_path(a);
    int existed = file_exists(path);
    netref_db *db;
    (void)c;
    db = open_db(a, NETREF_OPEN_CREATE);
    if (!db)
        return EXIT_FAIL;
    if (existed && netref_verify(db) != NETREF_OK) {
        err("%s: %s", path, netref_errmsg(db));
        netref_close(db);
        return EXIT_FAIL;
    }
    netref_close(db);
    if (existed)
        printf("%s is already a netref database; nothing to do\n",
               shown(path));
    else
        printf("created %s\n", shown(path));
    return EXIT_OK;
}

int cmd_check(const command *c, args_t *a)
{
    netref_db *db;
    int rc;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_verify(db);
    if (rc != NETREF_OK) {
        err_name(error_name(rc));
        err("%s: %s", db_path(a), netref_errmsg(db));
        netref_close(db);
        return EXIT_FAIL;
    }
    netref_close(db);
    printf("%s: ok\n", db_path(a));
    return EXIT_OK;
}

static const struct {
    int opt, kind;
    const char *what;
    const char *rows; /* what a row is, in the table of counts */
} import_files[] = {
    {O_PEOPLE, NETREF_CSV_PEOPLE, "people", "people"},
    {O_TIES, NETREF_CSV_TIES, "ties", "ties"},
    {O_OFFERS, NETREF_CSV_OFFERS, "offers", "offers"},
    {O_NEEDS, NETREF_CSV_NEEDS, "needs", "needs"},
    {O_TAXONOMY, NETREF_CSV_TAXONOMY, "taxonomy", "tag relations"},
    {O_GROUPS, NETREF_CSV_GROUPS, "groups", "group memberships"},
    {O_LINKEDIN, NETREF_IMPORT_LINKEDIN, "linkedin", "connections"},
    {O_VCARD, NETREF_IMPORT_VCARD, "vcard", "cards"},
};

/* How many people a contact file made new, updated, left unchanged. */
static long long people_count(const netref_import *imp, int kind,
                              int outcome)
{
    return netref_import_people_count(imp, kind, outcome);
}

static int is_contact_kind(int kind)
{
    return kind == NETREF_IMPORT_LINKEDIN || kind == NETREF_IMPORT_VCARD;
}
#define N_IMPORT_FILES (sizeof import_files / sizeof import_files[0])

static int progress_shown;
static char progress_path[1024];
static volatile sig_atomic_t import_interrupted;
static netref_db *volatile import_db;

/* Ctrl-C (or SIGTERM) during an import: stop it; it rolls back, and
 * netref_interrupt() is safe in a signal handler. */
static void on_import_signal(int sig)
{
    (void)sig;
    import_interrupted = 1;
    netref_interrupt(import_db);
}

/* "\rimporting ties.csv: 120000 rows", one line per file, on a
 * terminal; a non-zero return cancels the import. */
static int import_progress(void *user, const char *path, long long rows)
{
    (void)user;
    if (isatty(STDERR_FILENO) && !errors_are_json()) {
        if (progress_shown && strcmp(progress_path, path))
            fputc('\n', stderr);
        snprintf(progress_path, sizeof progress_path, "%s", path);
        fprintf(stderr, "\rimporting %s: %lld rows", shown(path), rows);
        fflush(stderr);
        progress_shown = 1;
    }
    return import_interrupted;
}

static void catch_import_signals(netref_db *db)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_import_signal;
    sa.sa_flags = SA_RESTART; /* reading a FIFO must not fail with EINTR */
    sigemptyset(&sa.sa_mask);
    import_db = db;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Before the handle goes: a late signal must not reach freed memory. */
static void release_import_signals(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    import_db = NULL;
}

/* An import's problems, one "FILE:LINE: problem" a line as compilers
 * print them, each line escaped on its own. */
static void print_problems(const char *msg)
{
    const char *at = msg;
    while (*at) {
        size_t n = strcspn(at, "\n");
        char *line = xasprintf("%.*s", (int)n, at);
        fprintf(stderr, "%s\n", shown(line));
        free(line);
        at += n + (at[n] == '\n');
    }
}

int cmd_import(const command *c, args_t *a)
{
    netref_import *imp = NULL;
    netref_db *db = NULL;
    size_t i;
    int rc, any = 0, status = EXIT_FAIL;
    (void)c;
    for (i = 0; i < N_IMPORT_FILES; i++)
        any |= a->set[import_files[i].opt];
    if (!any)
        return usage_error(a->cmd, "import: name at least one file "
                                   "(--people, --ties, --offers, --needs, "
                                   "--taxonomy, --groups, --linkedin, "
                                   "--vcard)");
    if (a->set[O_OWNER] && !a->set[O_LINKEDIN] && !a->set[O_VCARD])
        return usage_error(a->cmd, "import: --owner is for --linkedin and "
                                   "--vcard");
    if (netref_import_new(&imp) != NETREF_OK) {
        err("%s", netref_errmsg(NULL));
        return EXIT_FAIL;
    }
    for (i = 0; i < N_IMPORT_FILES; i++)
        if (a->set[import_files[i].opt] &&
            netref_import_set_file(imp, import_files[i].kind,
                                   a->val[import_files[i].opt]) != NETREF_OK) {
            err("%s", netref_errmsg(NULL));
            goto done;
        }
    if (a->set[O_CREATE_MISSING])
        netref_import_set_create_missing(imp, 1);
    if (a->set[O_OWNER] &&
        netref_import_set_owner(imp, a->val[O_OWNER]) != NETREF_OK) {
        status = usage_error(a->cmd, "--owner: %s", netref_errmsg(NULL));
        goto done;
    }
    netref_import_set_progress(imp, import_progress, NULL);
    catch_import_signals(NULL); /* a signal from here on cancels */
    db = open_db(a, NETREF_OPEN_CREATE);
    if (!db)
        goto done;
    import_db = db;
    rc = netref_import_run(db, imp);
    if (progress_shown)
        fputc('\n', stderr);
    if (rc == NETREF_ECANCELED) {
        err_name(error_name(rc));
        err("import interrupted; nothing was imported");
        status = EXIT_INTERRUPTED;
        goto done;
    }
    if (rc != NETREF_OK) {
        const char *m = netref_errmsg(db);
        if ((rc == NETREF_EPARSE || strchr(m, '\n')) && *m &&
            !errors_are_json())
            print_problems(m); /* "FILE:LINE: problem" lines */
        else
            lib_error(db, rc); /* under --json: {"error":"EPARSE",...} */
        if (!errors_are_json())
            fprintf(stderr, "netref: nothing was imported\n");
        goto done;
    }
    if (a->set[O_JSON]) {
        json_t *o = json_object(), *files = json_array();
        json_object_set_new(o, "db", jstr(db_path(a)));
        for (i = 0; i < N_IMPORT_FILES; i++) {
            json_t *f;
            if (!a->set[import_files[i].opt])
                continue;
            f = json_object();
            json_object_set_new(f, "kind", json_string(import_files[i].what));
            json_object_set_new(f, "file", jstr(a->val[import_files[i].opt]));
            json_object_set_new(f, "rows", json_integer(netref_import_count(
                                               imp, import_files[i].kind)));
            if (is_contact_kind(import_files[i].kind)) {
                int k = import_files[i].kind;
                json_object_set_new(f, "new", json_integer(people_count(
                                                  imp, k, NETREF_PEOPLE_NEW)));
                json_object_set_new(f, "updated",
                                    json_integer(people_count(
                                        imp, k, NETREF_PEOPLE_UPDATED)));
                json_object_set_new(f, "unchanged",
                                    json_integer(people_count(
                                        imp, k, NETREF_PEOPLE_UNCHANGED)));
            }
            json_array_append_new(files, f);
        }
        json_object_set_new(o, "files", files);
        status = print_json(o);
    } else {
        table t;
        char num[160];
        int digits = 1;
        for (i = 0; i < N_IMPORT_FILES; i++) {
            int n = snprintf(num, sizeof num, "%lld",
                             netref_import_count(imp, import_files[i].kind));
            if (a->set[import_files[i].opt] && n > digits)
                digits = n;
        }
        table_init(&t, 2, NULL, NULL);
        printf("imported into %s:\n", shown(db_path(a)));
        for (i = 0; i < N_IMPORT_FILES; i++) {
            const char *cells[2];
            if (!a->set[import_files[i].opt])
                continue;
            int k = import_files[i].kind;
            if (is_contact_kind(k))
                snprintf(num, sizeof num,
                         "%*lld %s: %lld new, %lld updated, %lld unchanged",
                         digits, netref_import_count(imp, k),
                         import_files[i].rows,
                         people_count(imp, k, NETREF_PEOPLE_NEW),
                         people_count(imp, k, NETREF_PEOPLE_UPDATED),
                         people_count(imp, k, NETREF_PEOPLE_UNCHANGED));
            else
                snprintf(num, sizeof num, "%*lld %s", digits,
                         netref_import_count(imp, k), import_files[i].rows);
            cells[0] = a->val[import_files[i].opt];
            cells[1] = num;
            table_row(&t, cells);
        }
        table_print(&t, "  ");
        status = EXIT_OK;
    }
done:
    release_import_signals();
    netref_close(db);
    netref_import_free(imp);
    return status;
}

/* ------------------------------------------------------------------ */
/* person                                                              */
/* ------------------------------------------------------------------ */

/* Check every --attr NAME=VALUE before touching the database. */
static int check_attrs(const args_t *a)
{
    int i;
    for (i = 0; i < a->nattr; i++) {
        const char *eq = strchr(a->attrs[i], '=');
        if (!eq || eq == a->attrs[i])
            return usage_error(a->cmd, "--attr: '%s' is not NAME=VALUE",
                               a->attrs[i]);
        if ((eq - a->attrs[i] == 3 && !strncmp(a->attrs[i], "key", 3)) ||
            (eq - a->attrs[i] == 4 && !strncmp(a->attrs[i], "name", 4)))
            return usage_error(a->cmd,
                               "--attr: '%.*s' is not an attribute; use "
                               "the key argument or --name",
                               (int)(eq - a->attrs[i]), a->attrs[i]);
    }
    return EXIT_OK;
}

static int set_attrs(netref_db *db, const char *key, const args_t *a)
{
    int i, rc;
    for (i = 0; i < a->nattr; i++) {
        const char *eq = strchr(a->attrs[i], '=');
        size_t n = (size_t)(eq - a->attrs[i]);
        char *name = xstrdup(a->attrs[i]);
        name[n] = '\0';
        rc = netref_person_set_attr(db, key, name, eq + 1);
        free(name);
        if (rc != NETREF_OK)
            return lib_error(db, rc);
    }
    return EXIT_OK;
}

int cmd_person_add(const command *c, args_t *a)
{
    const char *key = a->pos[0], *name = a->npos > 1 ? a->pos[1] : NULL;
    netref_db *db;
    int rc, status;
    (void)c;
    if ((status = check_attrs(a)) != EXIT_OK)
        return status;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = netref_person_add(db, key, name);
    if (rc != NETREF_OK)
        status = lib_error(db, rc);
    else
        status = set_attrs(db, key, a);
    if (status == EXIT_OK)
        printf("added %s\n", shown(key));
    netref_close(db);
    return status;
}

int cmd_person_set(const command *c, args_t *a)
{
    const char *key = a->pos[0];
    netref_db *db;
    int rc, status;
    (void)c;
    if (!a->set[O_NAME] && a->nattr == 0)
        return usage_error(a->cmd, "person set: nothing to change "
                                   "(give --name or --attr)");
    if ((status = check_attrs(a)) != EXIT_OK)
        return status;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    status = EXIT_OK;
    if (a->set[O_NAME]) {
        rc = netref_person_set_name(db, key, a->val[O_NAME]);
        if (rc != NETREF_OK)
            status = lib_error(db, rc);
    }
    if (status == EXIT_OK)
        status = set_attrs(db, key, a);
    if (status == EXIT_OK)
        printf("updated %s\n", shown(key));
    netref_close(db);
    return status;
}

static const char *const tie_cols[] = {"key", "name", "strength",
                                       "last_contact", "context"};
static const char *const tie_heads[] = {"KEY", "NAME", "STRENGTH",
                                        "LAST CONTACT", "CONTEXT"};
static const char *const offer_cols[] = {"tag", "note"};
static const char *const offer_heads[] = {"TAG", "NOTE"};
static const char *const need_cols[] = {"tag", "weight"};
static const char *const need_heads[] = {"TAG", "WEIGHT"};

json_t *person_json(const netref_rows *p)
{
    json_t *o = json_object(), *attrs = json_object();
    size_t i, ncols = netref_rows_columns(p);
    json_object_set_new(o, "key", jstr(rows_get(p, 0, "key")));
    json_object_set_new(o, "name", jstr(rows_get(p, 0, "name")));
    for (i = 2; i < ncols; i++) {
        const char *v = netref_rows_text(p, 0, i);
        if (v)
            json_object_set_new(attrs, netref_rows_column_name(p, i),
                                jstr(v));
    }
    json_object_set_new(o, "attributes", attrs);
    return o;
}

void print_person(const char *key, const netref_rows *p,
                  const netref_rows *ties, const netref_rows *offers,
                  const netref_rows *needs)
{
    size_t i, ncols = netref_rows_columns(p);
    char *label = label_of(key, rows_get(p, 0, "name"));
    table t;
    printf("%s\n", shown(label));
    free(label);
    table_init(&t, 2, NULL, NULL);
    for (i = 2; i < ncols; i++) {
        const char *cells[2];
        char *name;
        cells[1] = netref_rows_text(p, 0, i);
        if (!cells[1])
            continue;
        name = xasprintf("%s:", netref_rows_column_name(p, i));
        cells[0] = name;
        table_row(&t, cells);
        free(name);
    }
    table_print(&t, "  ");
    printf("\nties (%zu):\n", netref_rows_count(ties));
    if (netref_rows_count(ties))
        rows_table(ties, 5, tie_cols, tie_heads, "llrll", "  ");
    printf("\noffers (%zu):\n", netref_rows_count(offers));
    if (netref_rows_count(offers))
        rows_table(offers, 2, offer_cols, offer_heads, NULL, "  ");
    printf("\nneeds (%zu):\n", netref_rows_count(needs));
    if (netref_rows_count(needs))
        rows_table(needs, 2, need_cols, need_heads, "lr", "  ");
}

int cmd_person_show(const command *c, args_t *a)
{
    const char *key = a->pos[0];
    netref_rows *p = NULL, *ties = NULL, *offers = NULL, *needs = NULL;
    netref_db *db;
    int rc, status = EXIT_FAIL;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    if ((rc = netref_person_get(db, key, &p)) != NETREF_OK ||
        (rc = netref_tie_list(db, key, &ties)) != NETREF_OK ||
        (rc = netref_offer_list(db, key, &offers)) != NETREF_OK ||
        (rc = netref_need_list(db, key, &needs)) != NETREF_OK) {
        lib_error(db, rc);
        goto done;
    }
    if (a->set[O_JSON]) {
        json_t *o = person_json(p);
        json_object_set_new(o, "ties", rows_json(ties));
        json_object_set_new(o, "offers", rows_json(offers));
        json_object_set_new(o, "needs", rows_json(needs));
        status = print_json(o);
    } else {
        print_person(key, p, ties, offers, needs);
        status = EXIT_OK;
    }
done:
    netref_rows_free(p);
    netref_rows_free(ties);
    netref_rows_free(offers);
    netref_rows_free(needs);
    netref_close(db);
    return status;
}

int cmd_person_list(const command *c, args_t *a)
{
    static const char *const cols[] = {"key", "name"};
    static const char *const heads[] = {"KEY", "NAME"};
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_person_list(db, &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "people", rows_json(rows));
        status = print_json(o);
    } else {
        if (netref_rows_count(rows))
            rows_table(rows, 2, cols, heads, NULL, "");
        else
            printf("no people in %s yet\n", shown(db_path(a)));
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

int cmd_person_find(const command *c, args_t *a)
{
    static const char *const cols[] = {"key", "name", "email"};
    static const char *const heads[] = {"KEY", "NAME", "EMAIL", "MATCH"};
    const char *text = a->pos[0];
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_person_find(db, text, &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "text", jstr(text));
        json_object_set_new(o, "people", rows_json(rows));
        status = print_json(o);
    } else if (netref_rows_count(rows) == 0) {
        printf("nobody's key, name or e-mail contains '%s'\n", shown(text));
        status = EXIT_OK;
    } else {
        /* MATCH: "prefix of name", "exact key", ... */
        table t;
        size_t r, i, n = netref_rows_count(rows);
        table_init(&t, 4, heads, NULL);
        for (r = 0; r < n; r++) {
            char *how = xasprintf("%s %s", rows_get(rows, r, "match"),
                                  rows_get(rows, r, "field"));
            const char *cells[4];
            for (i = 0; i < 3; i++)
                cells[i] = rows_get(rows, r, cols[i]);
            cells[3] = how;
            table_row(&t, cells);
            free(how);
        }
        table_print(&t, "");
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

int cmd_person_remove(const command *c, args_t *a)
{
    netref_db *db;
    int rc, status = EXIT_OK;
    (void)c;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = netref_person_remove(db, a->pos[0]);
    if (rc != NETREF_OK)
        status = lib_error(db, rc);
    else
        printf("removed %s with their ties, offers, needs and "
               "introductions\n", shown(a->pos[0]));
    netref_close(db);
    return status;
}

/* ------------------------------------------------------------------ */
/* tie                                                                 */
/* ------------------------------------------------------------------ */

int cmd_tie_set(const command *c, args_t *a)
{
    static const field_option map[] = {
        {O_STRENGTH, NETREF_FIELD_STRENGTH, 'r'},
        {O_LAST_CONTACT, NETREF_FIELD_LAST_CONTACT, 't'},
        {O_CONTEXT, NETREF_FIELD_CONTEXT, 't'},
        {O_CADENCE, NETREF_FIELD_CADENCE, 'i'},
    };
    netref_fields *fields;
    netref_db *db;
    int rc, status;
    (void)c;
    /* --cadence 0 clears, as "" does: no tie has a cadence of 0 days. */
    if (a->set[O_CADENCE] && !strcmp(a->val[O_CADENCE], "0"))
        a->val[O_CADENCE] = "";
    status = fields_from_options(a, map, sizeof map / sizeof map[0], &fields);
    if (status != EXIT_OK)
        return status;
    if (!(db = open_db(a, 0))) {
        netref_fields_free(fields);
        return EXIT_FAIL;
    }
    rc = netref_tie_set(db, a->pos[0], a->pos[1], fields);
    if (rc != NETREF_OK)
        status = lib_error(db, rc);
    else
        printf("tie %s -- %s saved\n", shown(a->pos[0]), shown(a->pos[1]));
    netref_fields_free(fields);
    netref_close(db);
    return status;
}

int cmd_tie_show(const command *c, args_t *a)
{
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_tie_get(db, a->pos[0], a->pos[1], &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        long sc = rows_col(rows, "strength");
        json_object_set_new(o, "a", jstr(a->pos[0]));
        json_object_set_new(o, "b", jstr(a->pos[1]));
        json_object_set_new(o, "strength",
                            sc < 0 ? json_null()
                                   : json_real(netref_rows_real(rows, 0,
                                                                (size_t)sc)));
        json_object_set_new(o, "last_contact",
                            jstr(rows_get(rows, 0, "last_contact")));
        json_object_set_new(o, "context", jstr(rows_get(rows, 0, "context")));
        sc = rows_col(rows, "cadence");
        json_object_set_new(
            o, "cadence",
            sc < 0 || !netref_rows_text(rows, 0, (size_t)sc)
                ? json_null()
                : json_integer((json_int_t)netref_rows_real(rows, 0,
                                                            (size_t)sc)));
        status = print_json(o);
    } else {
        char *la = person_label(db, a->pos[0]);
        char *lb = person_label(db, a->pos[1]);
        table t;
        const char *cells[2];
        printf("%s -- %s\n", shown(la), shown(lb));
        free(la);
        free(lb);
        table_init(&t, 2, NULL, NULL);
        cells[0] = "strength:";
        cells[1] = rows_get(rows, 0, "strength");
        table_row(&t, cells);
        cells[0] = "last contact:";
        cells[1] = rows_get(rows, 0, "last_contact");
        table_row(&t, cells);
        cells[0] = "context:";
        cells[1] = rows_get(rows, 0, "context");
        table_row(&t, cells);
        cells[0] = "cadence:";
        cells[1] = rows_get(rows, 0, "cadence");
        table_row(&t, cells);
        table_print(&t, "  ");
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

int cmd_tie_list(const command *c, args_t *a)
{
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, status;
    (void)c;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = netref_tie_list(db, a->pos[0], &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "person", jstr(a->pos[0]));
        json_object_set_new(o, "ties", rows_json(rows));
        status = print_json(o);
    } else {
        if (netref_rows_count(rows))
            rows_table(rows, 5, tie_cols, tie_heads, "llrll", "");
        else
            printf("%s has no ties yet\n", shown(a->pos[0]));
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

int cmd_tie_remove(const command *c, args_t *a)
{
    netref_db *db;
    int rc, status = EXIT_OK;
    (void)c;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = netref_tie_remove(db, a->pos[0], a->pos[1]);
    if (rc != NETREF_OK)
        status = lib_error(db, rc);
    else
        printf("removed tie %s -- %s\n", shown(a->pos[0]),
               shown(a->pos[1]));
    netref_close(db);
    return status;
}

/* ------------------------------------------------------------------ */
/* offer, need, tag                                                    */
/* ------------------------------------------------------------------ */

/* offer add|set, need add|set: add creates (an existing one is an
 * error), set creates or updates. */
int cmd_offer_need_add(const command *c, args_t *a)
{
    static const field_option offer_map[] = {
        {O_NOTE, NETREF_FIELD_NOTE, 't'}};
    static const field_option need_map[] = {
        {O_WEIGHT, NETREF_FIELD_WEIGHT, 'r'}};
    int need = !strcmp(c->group, "need"), add = !strcmp(c->sub, "add");
    netref_fields *fields;
    netref_db *db;
    int rc, status;
    status = fields_from_options(a, need ? need_map : offer_map, 1, &fields);
    if (status != EXIT_OK)
        return status;
    if (!(db = open_db(a, 0))) {
        netref_fields_free(fields);
        return EXIT_FAIL;
    }
    if (need)
        rc = (add ? netref_need_add : netref_need_set)(db, a->pos[0],
                                                       a->pos[1], fields);
    else
        rc = (add ? netref_offer_add : netref_offer_set)(db, a->pos[0],
                                                         a->pos[1], fields);
    if (rc != NETREF_OK)
        status = lib_error(db, rc);
    else
        printf("%s %s \"%s\"\n", shown(a->pos[0]),
               need ? "might need" : "offers", shown(a->pos[1]));
    netref_fields_free(fields);
    netref_close(db);
    return status;
}

int cmd_offer_need_remove(const command *c, args_t *a)
{
    int need = !strcmp(c->group, "need");
    netref_db *db;
    int rc, status = EXIT_OK;
    if (!(db = open_db(a, 0)))
        return EXIT_FAIL;
    rc = need ? netref_need_remove(db, a->pos[0], a->pos[1])
              : netref_offer_remove(db, a->pos[0], a->pos[1]);
    if (rc != NETREF_OK)
        status = lib_error(db, rc);
    else
        printf("removed %s \"%s\" of %s\n", c->group, shown(a->pos[1]),
               shown(a->pos[0]));
    netref_close(db);
    return status;
}

int cmd_offer_need_list(const command *c, args_t *a)
{
    int need = !strcmp(c->group, "need");
    netref_rows *rows = NULL;
    netref_db *db;
    int rc, status;
    if (!(db = open_db(a, NETREF_OPEN_READONLY)))
        return EXIT_FAIL;
    rc = need ? netref_need_list(db, a->pos[0], &rows)
              : netref_offer_list(db, a->pos[0], &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "person", jstr(a->pos[0]));
        json_object_set_new(o, need ? "needs" : "offers", rows_json(rows));
        status = print_json(o);
    } else {
        if (!netref_rows_count(rows))
            printf("%s has no %s yet\n", shown(a->pos[0]),
                   need ? "needs" : "offers");
        else if (need)
            rows_table(rows, 2, need_cols, need_heads, "lr", "");
        else
            rows_table(rows, 2, offer_cols, offer_heads, NULL, "");
        status = EXIT_OK;
    }
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

int cmd_tag_people(const command *c, args_t *a)
{
    static const char *const cols[] = {"key", "name", "role", "weight",
                                       "note"};
    static const char *const heads[] = {"KEY", "NAME", "ROLE", "WEIGHT",
                                        "NOTE"};
    const char *role_s = a->set[O_ROLE] ? a->val[O_ROLE] : "any";
    int role;
    netref_rows *rows = NULL;
    netref_db *db;
    char *norm;
    int rc, status;
    (void)c;
    if (!strcmp(role_s, "offers"))
        role = NETREF_ROLE_OFFERS;
    else if (!strcmp(role_s, "needs"))
        role = NETREF_ROLE_NEEDS;
    else if (!strcmp(role_s, "any"))
        role = NETREF_ROLE_ANY;
    else
        return usage_error(a->cmd, "--role: '%s' is not offers, needs or any",
                           role_s);
    if (!(norm = normalize_tag(a->pos[0])))
        return EXIT_FAIL;
    if (!(db = open_db(a, NETREF_OPEN_READONLY))) {
        netref_free(norm);
        return EXIT_FAIL;
    }
    rc = netref_tag_people(db, a->pos[0], role, &rows);
    if (rc != NETREF_OK) {
        status = lib_error(db, rc);
    } else if (a->set[O_JSON]) {
        json_t *o = json_object();
        json_object_set_new(o, "tag", jstr(norm));
        json_object_set_new(o, "role", jstr(role_s));
        json_object_set_new(o, "people", rows_json(rows));
        status = print_json(o);
    } else {
        if (netref_rows_count(rows))
            rows_table(rows, 5, cols, heads, "lllrl", "");
        else
            printf("no one %s \"%s\"\n",
                   role == NETREF_ROLE_OFFERS  ? "offers"
                   : role == NETREF_ROLE_NEEDS ? "needs"
                                               : "offers or needs",
                   shown(norm));
        status = EXIT_OK;
    }
    netref_free(norm);
    netref_rows_free(rows);
    netref_close(db);
    return status;
}

/* ------------------------------------------------------------------ */
/* prospects, providers                                                */
