/*
 * Shared declarations of the netref command-line tool (examples/cli/ and
 * examples/netref_cli.c): the parsed command line, the command table
 * entry, and the output helpers of util.c.
 */
#ifndef NETREF_CLI_H
#define NETREF_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "netref.h"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2
/* Stopped by SIGINT, as shells report it (128 + 2). */
#define EXIT_INTERRUPTED 130

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

enum {
    O_DB, O_HELP, O_JSON, O_ATTR, O_NAME, O_STRENGTH, O_LAST_CONTACT,
    O_CONTEXT, O_NOTE, O_WEIGHT, O_ROLE, O_FROM, O_TAG, O_HOPS, O_LIMIT,
    O_HALF_LIFE, O_TODAY, O_PEOPLE, O_TIES, O_OFFERS, O_NEEDS,
    O_CREATE_MISSING,
    /* the referral ledger (ledger.c) */
    O_BY, O_SEEKER, O_TARGET, O_DATE, O_STATUS, O_WARM_TIE, O_VALUE,
    /* introduction paths (query.c) */
    O_TO, O_MAX_HOPS, O_ALTERNATIVES,
    /* keeping in touch (reconnect.c) */
    O_ON, O_KIND, O_OLDER_THAN,
    /* groups (groups.c) and the import of taxonomy and groups */
    O_GROUP, O_TAXONOMY, O_GROUPS,
    /* the tag taxonomy (taxonomy.c) */
    O_EXACT,
    /* a tie's keep-in-touch cadence (tie set) */
    O_CADENCE,
    /* the file a command writes (draw, export; -o is short for
     * --output) and export's --format */
    O_OUTPUT, O_FORMAT,
    /* contact files (import --linkedin, --vcard, --owner) */
    O_LINKEDIN, O_VCARD, O_OWNER,
    O_COUNT
};

/* Option sets are 64-bit masks: there are more than 32 options. */
#define BIT(o) (1ull << (o))

/** Name and arity of each option; defined in util.c. */
struct optdef {
    const char *name;
    int has_arg;
};
extern const struct optdef optdefs[O_COUNT];

/** The parsed command line of one command. */
typedef struct args {
    const char *cmd;              /* "person add", for messages */
    const char *val[O_COUNT];     /* last value of each option */
    int set[O_COUNT];             /* option given */
    const char **attrs;           /* every --attr value, in order */
    int nattr;
    const char **pos;             /* positional arguments */
    int npos;
} args_t;

struct command;
typedef int (*run_fn)(const struct command *c, args_t *a);

typedef struct command {
    const char *group;    /* "person" */
    const char *sub;      /* "add", or NULL for a command without one */
    unsigned long long opts; /* allowed options besides --db, --help */
    int min_pos, max_pos; /* positional argument count */
    run_fn run;
    const char *synopsis; /* after "netref " */
    const char *help;     /* description and options */
} command;

/* util.c: messages, option values, tables, JSON. */

#define TABLE_MAX_COLS 10

typedef struct table {
    size_t ncols;
    const char *heads[TABLE_MAX_COLS]; /* NULL heads: no header line */
    int right[TABLE_MAX_COLS];         /* right-align the column */
    char **cells;                      /* row-major */
    size_t nrows, cap;
} table;

/* Messages. err() prints "netref: ..." on stderr. usage_error() adds a
 * pointer to the command's help and returns EXIT_USAGE; lib_error()
 * prints the handle's last message and returns EXIT_FAIL. Each message
 * is one line, escaped as a whole with display_text(): the user data it
 * quotes cannot reach the terminal raw. */
void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int lib_error(netref_db *db, int rc);

/* Errors as JSON (--json): errors_as_json(1) makes err() and
 * usage_error() keep their first message instead of printing it, and
 * json_error_flush(status) prints {"error": NAME, "message": TEXT} on
 * stderr when status is a failure (then returns status). NAME is the
 * first err_name() given: lib_error() names the library's code
 * (error_name(): "ENOTFOUND", "EPARSE", ...), usage_error() "EUSAGE";
 * an unnamed failure is "EUSAGE" for status 2, else "ERROR". */
void errors_as_json(int on);
int errors_are_json(void);
void err_name(const char *name);
const char *error_name(int rc);
int json_error_flush(int status);

/* The database: --db, else $NETREF_DB, else ./netref.db. open_db() takes
 * netref_open_with() flags, prints any error and returns NULL then. */
const char *db_path(const args_t *a);
int file_exists(const char *path);
netref_db *open_db(const args_t *a, int flags);

/* Option values as numbers; EXIT_USAGE (message printed) when malformed. */
int parse_double(const args_t *a, int opt, double *out);
int parse_int(const args_t *a, int opt, int *out);
/* The date options given are dates YYYY-MM-DD; EXIT_USAGE otherwise. */
int check_dates(const args_t *a);

/* The fields of a write from options (fields.c): each option of `map`
 * that was given sets its field (type 't' text or date, 'r' real, 'i'
 * integer), or clears it when given as "". A value the library refuses
 * is a usage error. *out is NULL unless EXIT_OK; free it with
 * netref_fields_free(). */
typedef struct field_option {
    int opt;   /* O_STRENGTH, ... */
    int field; /* NETREF_FIELD_STRENGTH, ... */
    char type;
} field_option;
int fields_from_options(const args_t *a, const field_option *map, size_t n,
                        netref_fields **out);

/* Memory and text; allocation failure exits with status 1. */
char *xstrdup(const char *s);
void *xrealloc(void *p, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *fmt_real(char *buf, size_t n, double v);

/* Stored text for people to read (escape.c). Control characters, DEL,
 * bytes that are not UTF-8, C1 controls, bidi controls and line
 * separators are shown as C-style escapes (\n \t \r \a \b \f \v \e,
 * \xHH, \uXXXX) and a backslash as \\, so that no stored text can
 * steer the terminal or forge a row; JSON output stays exact.
 * display_text() returns a new string (free it; "" for NULL). shown()
 * returns s itself when nothing needs escaping, else an escaped copy kept
 * until shown_release() (main calls it once the command is done); "-"
 * for NULL. Tables (table_row) and err()/usage_error() escape by
 * themselves: pass them raw text. */
char *display_text(const char *s);
/* The terminal columns that text takes, as display_text() shows it:
 * East Asian wide and fullwidth characters (CJK, most emoji) take two,
 * combining marks and other zero-width characters none
 * (utf8proc_charwidth). Measure escaped text: an escape is printed as
 * its ASCII characters, one column each. */
size_t display_width(const char *s);
const char *shown(const char *s);
void shown_release(void);

/* Aligned tables: init, add rows, print (which also empties the table).
 * Cells are escaped with display_text() and measured escaped, by
 * display_width(), so that wide and combining characters line up. */
void table_init(table *t, size_t ncols, const char *const *heads,
                const char *right_cols);
void table_row(table *t, const char *const *cells);
void table_print(table *t, const char *indent);

/* Library rows: cells by column name, as JSON, as a table. */
long rows_col(const netref_rows *rows, const char *name);
const char *rows_get(const netref_rows *rows, size_t r, const char *name);
json_t *jstr(const char *s);
json_t *row_json(const netref_rows *rows, size_t r);
json_t *rows_json(const netref_rows *rows);
void rows_table(const netref_rows *rows, size_t ncols,
                const char *const *cols, const char *const *heads,
                const char *right, const char *indent);
/* Print j (then release it) as json_write() does; exit status. */
int print_json(json_t *j);
/* Write j and a newline to out, indented by two, numbers in their
 * shortest round-trip form (0.684, not 0.68400000000000005); 0, or -1
 * when writing failed or j holds a NULL (json_out.c). */
int json_write(json_t *j, FILE *out);
/** Print {"person": person, key: [row_json_fn(rows, r)...]}; exit status. */
int print_person_rows(const char *person, const char *key,
                      const netref_rows *rows,
                      json_t *(*row_json_fn)(const netref_rows *, size_t));

/* "Name (key)" labels (free them) and tag normalization (netref_free). */
char *label_of(const char *key, const char *name);
char *person_label(netref_db *db, const char *key);
char *normalize_tag(const char *tag);

/* Commands (records.c, query.c): run one parsed command line. */
int cmd_init(const command *c, args_t *a);
int cmd_check(const command *c, args_t *a);
int cmd_import(const command *c, args_t *a);
int cmd_person_add(const command *c, args_t *a);
int cmd_person_set(const command *c, args_t *a);
int cmd_person_show(const command *c, args_t *a);
int cmd_person_list(const command *c, args_t *a);
int cmd_person_find(const command *c, args_t *a);
int cmd_person_remove(const command *c, args_t *a);
int cmd_tie_set(const command *c, args_t *a);
int cmd_tie_show(const command *c, args_t *a);
int cmd_tie_list(const command *c, args_t *a);
int cmd_tie_remove(const command *c, args_t *a);
int cmd_draw(const command *c, args_t *a);
int cmd_offer_need_add(const command *c, args_t *a);
int cmd_offer_need_remove(const command *c, args_t *a);
int cmd_offer_need_list(const command *c, args_t *a);
int cmd_tag_people(const command *c, args_t *a);
/* A person (a row of netref_person_get()) as {"key","name","attributes"};
 * the text of 'person show' (name, attributes, ties, offers, needs). */
json_t *person_json(const netref_rows *p);
void print_person(const char *key, const netref_rows *p,
                  const netref_rows *ties, const netref_rows *offers,
                  const netref_rows *needs);
/* --hops (1 to NETREF_MAX_HOPS, default NETREF_DEFAULT_HOPS: *hops
 * receives it), --limit, --half-life,
 * --today, --exact and --group of the tag queries; usage errors print
 * and return 2. */
int query_options(const args_t *a, netref_options *opts, int *hops);
/* --max-hops, --alternatives, --half-life, --today of 'path'. */
int path_options(const args_t *a, netref_options *opts);
int cmd_query(const command *c, args_t *a);
int cmd_path(const command *c, args_t *a);

/* The referral ledger (ledger.c). */
int cmd_intro_add(const command *c, args_t *a);
int cmd_intro_status(const command *c, args_t *a);
int cmd_intro_list(const command *c, args_t *a);
int cmd_balance(const command *c, args_t *a);
/* One introduction (a row of netref_intro_list()) as JSON. */
json_t *intro_json(const netref_rows *rows, size_t r);

/* ---- whom to ask first, and matches (advice.c) ---- */
int cmd_ask_first(const command *c, args_t *a);
int cmd_matches(const command *c, args_t *a);
/* ---- end of advice.c ---- */

/* ---- brokers: who connects the people around S (connectors.c) ---- */
int cmd_connectors(const command *c, args_t *a);
/* ---- end of connectors.c ---- */

/* ---- groups (groups.c) ---- */
int cmd_group_add(const command *c, args_t *a);
int cmd_group_remove(const command *c, args_t *a);
int cmd_group_join_leave(const command *c, args_t *a);
int cmd_group_list(const command *c, args_t *a);
int cmd_group_members(const command *c, args_t *a);
/* ---- end of groups.c ---- */

/* ---- privacy: forget a person, export what is held (privacy.c) ---- */
int cmd_person_forget(const command *c, args_t *a);
int cmd_person_export(const command *c, args_t *a);
/* ---- end of privacy.c ---- */

/* ---- the tag taxonomy (taxonomy.c) ---- */
int cmd_tag_relate(const command *c, args_t *a);
int cmd_tag_relations(const command *c, args_t *a);
int cmd_tag_expand(const command *c, args_t *a);
/* ---- end of taxonomy.c ---- */

int cmd_export(const command *c, args_t *a);
int cmd_person_merge(const command *c, args_t *a);

/* ---- keeping in touch (reconnect.c) ---- */
int cmd_contact(const command *c, args_t *a);
int cmd_contacts(const command *c, args_t *a);
int cmd_reconnect(const command *c, args_t *a);
/* One interaction (a row of netref_contact_list()) as JSON. */
json_t *contact_json(const netref_rows *rows, size_t r);
/* ---- end of reconnect.c ---- */

#endif /* NETREF_CLI_H */
