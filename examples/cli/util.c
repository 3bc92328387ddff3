/* netref CLI: messages, option values, aligned tables, JSON output. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

_Static_assert(O_COUNT <= 64, "option sets are 64-bit masks (BIT)");

const struct optdef optdefs[O_COUNT] = {
    [O_DB] = {"db", 1},
    [O_HELP] = {"help", 0},
    [O_JSON] = {"json", 0},
    [O_ATTR] = {"attr", 1},
    [O_NAME] = {"name", 1},
    [O_STRENGTH] = {"strength", 1},
    [O_LAST_CONTACT] = {"last-contact", 1},
    [O_CONTEXT] = {"context", 1},
    [O_NOTE] = {"note", 1},
    [O_WEIGHT] = {"weight", 1},
    [O_ROLE] = {"role", 1},
    [O_FROM] = {"from", 1},
    [O_TAG] = {"tag", 1},
    [O_HOPS] = {"hops", 1},
    [O_LIMIT] = {"limit", 1},
    [O_HALF_LIFE] = {"half-life", 1},
    [O_TODAY] = {"today", 1},
    [O_PEOPLE] = {"people", 1},
    [O_TIES] = {"ties", 1},
    [O_OFFERS] = {"offers", 1},
    [O_NEEDS] = {"needs", 1},
    [O_CREATE_MISSING] = {"create-missing", 0},
    [O_BY] = {"by", 1},
    [O_SEEKER] = {"seeker", 1},
    [O_TARGET] = {"target", 1},
    [O_DATE] = {"date", 1},
    [O_STATUS] = {"status", 1},
    [O_WARM_TIE] = {"warm-tie", 0},
    [O_VALUE] = {"value", 1},
    [O_TO] = {"to", 1},
    [O_MAX_HOPS] = {"max-hops", 1},
    [O_ALTERNATIVES] = {"alternatives", 1},
    [O_ON] = {"on", 1},
    [O_KIND] = {"kind", 1},
    [O_OLDER_THAN] = {"older-than", 1},
    [O_GROUP] = {"group", 1},
    [O_TAXONOMY] = {"taxonomy", 1},
    [O_GROUPS] = {"groups", 1},
    [O_EXACT] = {"exact", 0},
    [O_CADENCE] = {"cadence", 1},
    [O_FORMAT] = {"format", 1},
    [O_OUTPUT] = {"output", 1},
    [O_LINKEDIN] = {"linkedin", 1},
    [O_VCARD] = {"vcard", 1},
    [O_OWNER] = {"owner", 1},
};

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

/* Under --json, errors go to stderr as one JSON object
 * {"error": NAME, "message": TEXT} printed by json_error_flush() when the
 * command ends: the first message and the first name are kept (later ones
 * are usually consequences), and the text is exact, as JSON output is. */
static int json_errors;
static char *json_message;
static const char *json_name;

void errors_as_json(int on)
{
    json_errors = on;
}

int errors_are_json(void)
{
    return json_errors;
}

/* The NAME of an error not yet named: the first call wins. */
void err_name(const char *name)
{
    if (!json_name)
        json_name = name;
}

/* netref error codes by name, for {"error": NAME}. */
const char *error_name(int rc)
{
    static const char *const names[] = {
        "OK", "ERROR", "EINVAL", "ENOMEM", "ENOTFOUND", "EEXISTS", "ENOTDB",
        "ECORRUPT", "EVERSION", "EIO", "EPARSE", "EBUSY", "EREADONLY",
        "ELIMIT", "ECANCELED"};
    if (rc > 0 || -rc >= (int)(sizeof names / sizeof names[0]))
        return "ERROR";
    return names[-rc];
}

int json_error_flush(int status)
{
    json_t *o;
    if (!json_errors || status == EXIT_OK)
        return status;
    if (!json_name)
        json_name = status == EXIT_USAGE ? "EUSAGE" : "ERROR";
    o = json_object();
    json_object_set_new(o, "error", json_string(json_name));
    json_object_set_new(o, "message",
                        jstr(json_message ? json_message : "failed"));
    if (json_dumpf(o, stderr, JSON_COMPACT) == 0)
        fputc('\n', stderr);
    json_decref(o);
    free(json_message);
    json_message = NULL;
    return status;
}

/* "netref: MESSAGE" without its newline, the message escaped: it quotes
 * keys, names, tags and file names, which may hold control characters.
 * Returns 0 when the message was kept for JSON instead (nothing printed). */
static int put_message(const char *fmt, va_list ap)
{
    char *raw, *text;
    va_list again;
    int n;
    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    raw = xrealloc(NULL, n > 0 ? (size_t)n + 1 : 1);
    raw[0] = '\0';
    if (n > 0)
        vsnprintf(raw, (size_t)n + 1, fmt, again);
    va_end(again);
    if (json_errors) {
        if (json_message)
            free(raw);
        else
            json_message = raw;
        return 0;
    }
    text = display_text(raw);
    fprintf(stderr, "netref: %s", text);
    free(text);
    free(raw);
    return 1;
}

void err(const char *fmt, ...)
{
    va_list ap;
    int printed;
    va_start(ap, fmt);
    printed = put_message(fmt, ap);
    va_end(ap);
    if (printed)
        fputc('\n', stderr);
}

/* Bad usage: message, a pointer to the help, exit status 2. */
int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    int printed;
    err_name("EUSAGE");
    va_start(ap, fmt);
    printed = put_message(fmt, ap);
    va_end(ap);
    if (printed)
        fprintf(stderr, "\nTry 'netref %s%s--help'.\n", cmd ? cmd : "",
                cmd ? " " : "");
    return EXIT_USAGE;
}

/* A failed library call on a handle: its message, exit status 1. */
int lib_error(netref_db *db, int rc)
{
    const char *m = netref_errmsg(db);
    err_name(error_name(rc));
    err("%s", m && *m ? m : netref_strerror(rc));
    return EXIT_FAIL;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

const char *db_path(const args_t *a)
{
    const char *env;
    if (a->val[O_DB])
        return a->val[O_DB];
    env = getenv("NETREF_DB");
    if (env && *env)
        return env;
    return "netref.db";
}

int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Open the database. flags as netref_open_with(). Prints the error. */
netref_db *open_db(const args_t *a, int flags)
{
    const char *path = db_path(a);
    netref_db *db = NULL;
    int rc = netref_open_with(path, flags, &db);
    if (rc == NETREF_OK)
        return db;
    err_name(error_name(rc));
    if (rc == NETREF_ENOTFOUND && !(flags & NETREF_OPEN_CREATE)) {
        err("no such database: %s (create it with 'netref init --db %s')",
            path, path);
    } else {
        const char *m = netref_errmsg(NULL);
        if (!m || !*m)
            m = netref_strerror(rc);
        if (strstr(m, path))
            err("%s", m);
        else
            err("%s: %s", path, m);
    }
    return NULL;
}

/* Parse a whole string as a finite number; usage error otherwise. */
int parse_double(const args_t *a, int opt, double *out)
{
    const char *s = a->val[opt];
    char *end;
    double v;
    errno = 0;
    v = strtod(s, &end);
    if (!*s || *end || errno == ERANGE || !isfinite(v))
        return usage_error(a->cmd, "--%s: '%s' is not a number",
                           optdefs[opt].name, s);
    *out = v;
    return EXIT_OK;
}

/* Every date option given (--today, --date, --on, --last-contact) must
 * be a date YYYY-MM-DD: a malformed one is usage (exit 2), found before
 * the database is opened. The library's own check decides, through a
 * throwaway options object. --last-contact "" (clear) is not a date. */
int check_dates(const args_t *a)
{
    static const int date_opts[] = {O_TODAY, O_DATE, O_ON, O_LAST_CONTACT};
    netref_options *opts = NULL;
    size_t i;
    int rc = EXIT_OK;
    for (i = 0; i < sizeof date_opts / sizeof date_opts[0]; i++) {
        int o = date_opts[i];
        if (!a->set[o] || (o == O_LAST_CONTACT && !*a->val[o]))
            continue;
        if (!opts && netref_options_new(&opts) != NETREF_OK) {
            err("out of memory");
            return EXIT_FAIL;
        }
        if (netref_options_set_today(opts, a->val[o]) != NETREF_OK) {
            rc = usage_error(a->cmd, "--%s: '%s' is not a date YYYY-MM-DD",
                             optdefs[o].name, a->val[o]);
            break;
        }
    }
    netref_options_free(opts);
    return rc;
}

int parse_int(const args_t *a, int opt, int *out)
{
    const char *s = a->val[opt];
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (!*s || *end || errno == ERANGE || v < INT_MIN || v > INT_MAX)
        return usage_error(a->cmd, "--%s: '%s' is not a whole number",
                           optdefs[opt].name, s);
    *out = (int)v;
    return EXIT_OK;
}

/* Print without allocating (err() would allocate, and fail again), as
 * JSON under --json, and exit 1. */
static void out_of_memory(void)
{
    if (json_errors)
        fputs("{\"error\":\"ENOMEM\",\"message\":\"out of memory\"}\n",
              stderr);
    else
        fputs("netref: out of memory\n", stderr);
    exit(EXIT_FAIL);
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p)
        out_of_memory();
    return memcpy(p, s, n);
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        out_of_memory();
    return p;
}

/* printf into a new string (never NULL). */
char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s, probe[1];
    if (!fmt) /* never; keeps GCC 12 with -fsanitize=undefined quiet */
        return xstrdup("");
    va_start(ap, fmt);
    n = vsnprintf(probe, sizeof probe, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    s = xrealloc(NULL, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Format a score or reach for people: three decimals. */
const char *fmt_real(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.3f", v);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Aligned text tables                                                 */
/* ------------------------------------------------------------------ */


void table_init(table *t, size_t ncols, const char *const *heads,
                       const char *right_cols)
{
    size_t i;
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    for (i = 0; i < ncols; i++) {
        t->heads[i] = heads ? heads[i] : NULL;
        t->right[i] = right_cols && right_cols[i] == 'r';
    }
}

/* Add one row of ncols cells; NULL or "" cells print as "-". Cells are
 * kept escaped (display_text), so widths count what is printed. */
void table_row(table *t, const char *const *cells)
{
    size_t i;
    if (t->nrows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->cells = xrealloc(t->cells, t->cap * t->ncols * sizeof(char *));
    }
    for (i = 0; i < t->ncols; i++) {
        const char *c = cells[i] && *cells[i] ? cells[i] : "-";
        t->cells[t->nrows * t->ncols + i] = display_text(c);
    }
    t->nrows++;
}

static void print_cells(const table *t, const size_t *width,
                        const char *indent, const char *const *cells)
{
    size_t i, last = t->ncols - 1;
    fputs(indent, stdout);
    for (i = 0; i < t->ncols; i++) {
        size_t w = display_width(cells[i]), pad = width[i] - w;
        if (t->right[i])
            printf("%*s", (int)pad, "");
        fputs(cells[i], stdout);
        if (i < last) {
            if (!t->right[i])
                printf("%*s", (int)pad, "");
            fputs("  ", stdout);
        }
    }
    fputc('\n', stdout);
}

void table_print(table *t, const char *indent)
{
    size_t width[TABLE_MAX_COLS] = {0}, r, i;
    for (i = 0; i < t->ncols; i++)
        if (t->heads[i])
            width[i] = display_width(t->heads[i]);
    for (r = 0; r < t->nrows; r++)
        for (i = 0; i < t->ncols; i++) {
            size_t w = display_width(t->cells[r * t->ncols + i]);
            if (w > width[i])
                width[i] = w;
        }
    if (t->heads[0])
        print_cells(t, width, indent, t->heads);
    for (r = 0; r < t->nrows; r++)
        print_cells(t, width, indent,
                    (const char *const *)&t->cells[r * t->ncols]);
    for (r = 0; r < t->nrows * t->ncols; r++)
        free(t->cells[r]);
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->cap = 0;
}

/* ------------------------------------------------------------------ */
/* Rows of the library as tables and JSON                              */
/* ------------------------------------------------------------------ */

/* Whether name is one of names (a NULL-terminated list). */
static int name_in(const char *name, const char *const *names)
{
    for (; name && *names; names++)
        if (!strcmp(name, *names))
            return 1;
    return 0;
}

/* The library's columns that hold numbers, by kind: in JSON a column has
 * one type wherever it appears (a cadence is 30, never "30"). */
static const char *const real_columns[] = {
    "strength", "weight", "value", "value_given", "score", "reach",
    "betweenness", "needer_reach", "provider_reach", NULL};
static const char *const integer_columns[] = {
    "id", "cadence", "hops", "members", "holders", "reached", "made_for",
    "made_by", "converted", "days_overdue", NULL};

long rows_col(const netref_rows *rows, const char *name)
{
    size_t c;
    return netref_rows_column_index(rows, name, &c) == NETREF_OK ? (long)c
                                                                 : -1;
}

const char *rows_get(const netref_rows *rows, size_t r,
                            const char *name)
{
    long c = rows_col(rows, name);
    return c < 0 ? NULL : netref_rows_text(rows, r, (size_t)c);
}

json_t *jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

/* One row as a JSON object, keyed by column name; an empty cell is
 * null, a numeric column a number. */
json_t *row_json(const netref_rows *rows, size_t r)
{
    json_t *o = json_object();
    size_t c, n = netref_rows_columns(rows);
    for (c = 0; c < n; c++) {
        const char *name = netref_rows_column_name(rows, c);
        const char *text = netref_rows_text(rows, r, c);
        json_t *v;
        if (!name)
            continue;
        if (text && name_in(name, real_columns))
            v = json_real(netref_rows_real(rows, r, c));
        else if (text && name_in(name, integer_columns))
            v = json_integer((json_int_t)netref_rows_real(rows, r, c));
        else
            v = jstr(text);
        json_object_set_new(o, name, v);
    }
    return o;
}

json_t *rows_json(const netref_rows *rows)
{
    json_t *arr = json_array();
    size_t r, n = netref_rows_count(rows);
    for (r = 0; r < n; r++)
        json_array_append_new(arr, row_json(rows, r));
    return arr;
}

/* Print a table of the named columns of rows under the given headings. */
int print_person_rows(const char *person, const char *key,
                      const netref_rows *rows,
                      json_t *(*row_json_fn)(const netref_rows *, size_t))
{
    json_t *o = json_object(), *list = json_array();
    size_t r, n = netref_rows_count(rows);
    for (r = 0; r < n; r++)
        json_array_append_new(list, row_json_fn(rows, r));
    json_object_set_new(o, "person", jstr(person));
    json_object_set_new(o, key, list);
    return print_json(o);
}

void rows_table(const netref_rows *rows, size_t ncols,
                       const char *const *cols, const char *const *heads,
                       const char *right, const char *indent)
{
    table t;
    size_t r, i, n = netref_rows_count(rows);
    const char *cells[TABLE_MAX_COLS];
    table_init(&t, ncols, heads, right);
    for (r = 0; r < n; r++) {
        for (i = 0; i < ncols; i++)
            cells[i] = rows_get(rows, r, cols[i]);
        table_row(&t, cells);
    }
    table_print(&t, indent);
}

int print_json(json_t *j)
{
    int rc = json_write(j, stdout);
    json_decref(j);
    if (rc != 0) {
        err("could not write JSON output");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

/* "Name (key)", or the key when the name is the key. Free the result. */
char *label_of(const char *key, const char *name)
{
    if (name && *name && strcmp(name, key))
        return xasprintf("%s (%s)", name, key);
    return xstrdup(key);
}

/* label_of() a person looked up by key (just the key when unknown). */
char *person_label(netref_db *db, const char *key)
{
    netref_rows *rows = NULL;
    char *label;
    if (netref_person_get(db, key, &rows) != NETREF_OK)
        return xstrdup(key);
    label = label_of(key, rows_get(rows, 0, "name"));
    netref_rows_free(rows);
    return label;
}

/* The normalized form of a tag; prints the error and returns NULL. */
char *normalize_tag(const char *tag)
{
    char *norm = NULL;
    int rc = netref_tag_normalize(tag, &norm);
    if (rc != NETREF_OK) {
        const char *m = netref_errmsg(NULL);
        err_name(error_name(rc));
        err("bad tag '%s': %s", tag, m && *m ? m : netref_strerror(rc));
        return NULL;
    }
    return norm;
}

