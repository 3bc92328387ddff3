/*
 * networking-evening: the netref demo.
 *
 * A job seeker ("me") went to an entrepreneurs' networking evening with a
 * friend. This program loads that network from four CSV files into a
 * private in-memory netref database and asks it the questions one asks
 * after such an evening, printing the answers as a short story.
 *
 * Usage: networking-evening [DATA_DIR]
 *   DATA_DIR holds people.csv, ties.csv, offers.csv, needs.csv,
 *   taxonomy.csv and groups.csv, and
 *   defaults to examples/data/networking-evening (relative to the current
 *   directory).
 *
 * It uses nothing but the public API (netref.h) and the C library. Every
 * call is checked; on failure the library's message goes to stderr and the
 * program exits with status 1 (2 for bad usage), having freed everything.
 * All answers are computed as of a fixed date, so the output never depends
 * on the day the program is run.
 */
#include "netref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** The person asking every question. */
#define ME "me"
/** The group of the people at the networking evening (groups.csv). */
#define EVENING "nov-evening"
/** The reference date of every query: answers are reproducible. */
#define TODAY "2026-03-15"
/** Where the example network lives, relative to the source tree. */
#define DEFAULT_DATA_DIR "examples/data/networking-evening"
/** Width (in characters) of the name column. */
#define NAME_WIDTH 20
/** Half-life of a tie's warmth, in days, for the "old ties cool" question. */
#define HALF_LIFE_DAYS 180.0

/** What the story needs while it is being told. */
typedef struct {
    netref_db *db;       /**< the network */
    netref_rows *people; /**< everyone, for turning keys into names */
    size_t key_col;      /**< column of "key" in people */
    size_t name_col;     /**< column of "name" in people */
} story;

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/**
 * Report a failed netref call. db is the handle the call was made on, or
 * NULL for calls without one (their message is per thread).
 */
static int fail(const netref_db *db, const char *what, int rc)
{
    const char *msg = netref_errmsg(db);
    if (msg != NULL && msg[0] != '\0')
        fprintf(stderr, "networking-evening: %s: %s\n", what, msg);
    else
        fprintf(stderr, "networking-evening: %s: %s\n", what,
                netref_strerror(rc));
    return 1;
}

/* ------------------------------------------------------------------ */
/* Printing helpers                                                    */

/** Number of characters (code points) in a UTF-8 string. */
static size_t utf8_width(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/** Print s, then spaces up to width characters (at least one space). */
static void print_padded(const char *s, size_t width)
{
    size_t w = utf8_width(s);
    fputs(s, stdout);
    do {
        putchar(' ');
        w++;
    } while (w < width);
}

/** Print "    3. Name     " for row i: its rank and a padded name. */
static void print_ranked(size_t i, const char *name)
{
    char marker[32];
    snprintf(marker, sizeof marker, "%zu.", i + 1);
    printf("  %4s ", marker);
    print_padded(name, NAME_WIDTH);
}

/** Print a heading underlined to its width. */
static void print_heading(const char *title)
{
    size_t w = utf8_width(title);
    printf("\n%s\n", title);
    for (size_t i = 0; i < w; i++)
        putchar('-');
    putchar('\n');
}

/** Display name of a person, or the key itself when it is unknown. */
static const char *name_of(const story *st, const char *key)
{
    size_t n = netref_rows_count(st->people);
    if (key == NULL)
        return "?";
    for (size_t i = 0; i < n; i++) {
        const char *k = netref_rows_text(st->people, i, st->key_col);
        if (k != NULL && strcmp(k, key) == 0) {
            const char *name = netref_rows_text(st->people, i, st->name_col);
            return name != NULL ? name : key;
        }
    }
    return key;
}

/** Index of the row about person key in res, or (size_t)-1. */
static size_t find_row(const netref_result *res, const char *key)
{
    size_t n = netref_result_count(res);
    for (size_t i = 0; i < n; i++) {
        const char *k = netref_result_key(res, i);
        if (k != NULL && strcmp(k, key) == 0)
            return i;
    }
    return (size_t)-1;
}

/**
 * Print one ranked row: a line with the name, score, hop distance and who
 * to ask, then a line with the best path by names.
 *
 * @param marker the row's label ("1.", "2.", ... or "+").
 * @param before an earlier answer to compare with (its rank and introducer
 *        are noted when they differ), or NULL.
 */
static void print_row(const story *st, const netref_result *res, size_t row,
                      const char *marker, const netref_result *before)
{
    const char *intro = netref_result_introducer(res, row);
    int hops = netref_result_hops(res, row);
    size_t len = netref_result_path_length(res, row);

    printf("  %4s ", marker);
    print_padded(name_of(st, netref_result_key(res, row)), NAME_WIDTH);
    printf(" score %.3f  %d hop%s  ", netref_result_score(res, row), hops,
           hops == 1 ? " " : "s");
    if (intro != NULL)
        printf("ask %s\n", name_of(st, intro));
    else
        printf("you know them directly\n");

    printf("        ");
    for (size_t pos = 0; pos < len; pos++) {
        const char *k = netref_result_path_key(res, row, pos);
        if (pos > 0)
            printf(" \xe2\x86\x92 "); /* U+2192 RIGHTWARDS ARROW */
        fputs(pos == 0 ? "you" : name_of(st, k), stdout);
    }
    if (len >= 2 && (int)(len - 1) > hops)
        printf("   (%zu ties, yet warmer than the %d-hop route)", len - 1,
               hops);
    if (before != NULL) {
        size_t was = find_row(before, netref_result_key(res, row));
        if (was == (size_t)-1) {
            printf("   [new]");
        } else {
            const char *old = netref_result_introducer(before, was);
            int same_intro =
                (old == NULL && intro == NULL) ||
                (old != NULL && intro != NULL && strcmp(old, intro) == 0);
            if (!same_intro)
                printf("   [was #%zu, %s%s]", was + 1,
                       old != NULL ? "ask " : "direct",
                       old != NULL ? name_of(st, old) : "");
            else if (was != row)
                printf("   [was #%zu]", was + 1);
        }
    }
    putchar('\n');
}

/** Print every row of a result, ranked, or a line saying there are none. */
static void print_result(const story *st, const netref_result *res,
                         const netref_result *before)
{
    size_t n = netref_result_count(res);
    char marker[32];
    if (n == 0) {
        printf("     (nobody)\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(marker, sizeof marker, "%zu.", i + 1);
        print_row(st, res, i, marker, before);
    }
}

/**
 * Find the columns called names[0..n-1] of rows and store their indexes
 * in cols; report which is missing (what names the call) and return 1
 * when one is.
 */
static int find_columns(const netref_rows *rows, const char *what,
                        const char *const names[], size_t n, size_t cols[])
{
    for (size_t i = 0; i < n; i++) {
        if (netref_rows_column_index(rows, names[i], &cols[i]) != NETREF_OK) {
            fprintf(stderr, "networking-evening: %s gave no \"%s\" column\n",
                    what, names[i]);
            return 1;
        }
    }
    return 0;
}

/** A cell as text, or "" for an empty cell. */
static const char *cell(const netref_rows *rows, size_t row, size_t col)
{
    const char *t = netref_rows_text(rows, row, col);
    return t != NULL ? t : "";
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

/** path = dir + "/" + file, malloc'd; NULL when out of memory. */
static char *join_path(const char *dir, const char *file)
{
    size_t a = strlen(dir), b = strlen(file);
    char *p = malloc(a + 1 + b + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, file, b + 1);
    return p;
}

/** A CSV file of the data directory and its kind. */
typedef struct {
    int kind;
    const char *file;
} csv_file;

/** The network itself: people, ties, offers and needs. */
static const csv_file network_files[] = {
    {NETREF_CSV_PEOPLE, "people.csv"},
    {NETREF_CSV_TIES, "ties.csv"},
    {NETREF_CSV_OFFERS, "offers.csv"},
    {NETREF_CSV_NEEDS, "needs.csv"},
};

/**
 * Import n CSV files of dir, all or nothing; counts[i] receives the rows
 * read from files[i].
 */
static int import_files(story *st, const char *dir, const csv_file *files,
                        size_t n, long long *counts)
{
    netref_import *imp = NULL;
    int rc = netref_import_new(&imp);
    if (rc != NETREF_OK)
        return fail(NULL, "netref_import_new", rc);
    for (size_t i = 0; i < n; i++) {
        char *path = join_path(dir, files[i].file);
        if (path == NULL) {
            fprintf(stderr, "networking-evening: out of memory\n");
            netref_import_free(imp);
            return 1;
        }
        rc = netref_import_set_file(imp, files[i].kind, path);
        free(path);
        if (rc != NETREF_OK) {
            fail(NULL, "netref_import_set_file", rc);
            netref_import_free(imp);
            return 1;
        }
    }
    rc = netref_import_run(st->db, imp);
    if (rc != NETREF_OK) {
        fail(st->db, "importing the network", rc);
        netref_import_free(imp);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        counts[i] = netref_import_count(imp, files[i].kind);
    netref_import_free(imp);
    return 0;
}

/** Read everyone's key and name, to print names instead of keys. */
static int load_people(story *st)
{
    int rc = netref_person_list(st->db, &st->people);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_person_list", rc);
    size_t cols = netref_rows_columns(st->people);
    int have_key = 0, have_name = 0;
    for (size_t c = 0; c < cols; c++) {
        const char *col = netref_rows_column_name(st->people, c);
        if (col == NULL)
            continue;
        if (strcmp(col, "key") == 0) {
            st->key_col = c;
            have_key = 1;
        } else if (strcmp(col, "name") == 0) {
            st->name_col = c;
            have_name = 1;
        }
    }
    if (!have_key || !have_name) {
        fprintf(stderr, "networking-evening: netref_person_list gave no "
                        "\"key\" and \"name\" columns\n");
        return 1;
    }
    return 0;
}

/**
 * Make query options: a hop limit, a recency half-life (0 for none), a
 * result limit (0 for all rows) and the fixed reference date.
 */
static int make_options(int hops, double half_life, int limit,
                        netref_options **out)
{
    netref_options *opts = NULL;
    int rc = netref_options_new(&opts);
    if (rc != NETREF_OK)
        return fail(NULL, "netref_options_new", rc);
    rc = netref_options_set_hops(opts, hops);
    if (rc != NETREF_OK) {
        fail(NULL, "netref_options_set_hops", rc);
        goto error;
    }
    rc = netref_options_set_half_life(opts, half_life);
    if (rc != NETREF_OK) {
        fail(NULL, "netref_options_set_half_life", rc);
        goto error;
    }
    rc = netref_options_set_limit(opts, limit);
    if (rc != NETREF_OK) {
        fail(NULL, "netref_options_set_limit", rc);
        goto error;
    }
    rc = netref_options_set_today(opts, TODAY);
    if (rc != NETREF_OK) {
        fail(NULL, "netref_options_set_today", rc);
        goto error;
    }
    *out = opts;
    return 0;
error:
    netref_options_free(opts);
    return 1;
}

/** Which query a question asks. */
enum query { PROSPECTS, PROVIDERS };

/** Ask one query of the network; *out receives the result. */
static int ask(story *st, enum query q, const char *tag, int hops,
               double half_life, netref_result **out)
{
    netref_options *opts = NULL;
    if (make_options(hops, half_life, 0, &opts) != 0)
        return 1;
    int rc = q == PROSPECTS ? netref_prospects(st->db, ME, tag, opts, out)
                            : netref_providers(st->db, ME, tag, opts, out);
    netref_options_free(opts);
    if (rc != NETREF_OK) {
        *out = NULL;
        return fail(st->db,
                    q == PROSPECTS ? "netref_prospects" : "netref_providers",
                    rc);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The story                                                           */

/**
 * a) Who within two hops might need party planning? Also shows who one
 * more hop would add, so that the hop limit is visible. On success
 * *two_hops keeps the two-hop answer for question d).
 */
static int question_party(story *st, netref_result **two_hops)
{
    netref_result *three = NULL;
    int status = 1;

    print_heading("a) Who within two hops might need party planning, "
                  "and who would introduce me?");
    printf("At the evening a party planner presented her services and "
           "gave me a stack of\ncards. Whom should I pass one to, and "
           "through whom?\n\n");
    if (ask(st, PROSPECTS, "party planning", 2, 0.0, two_hops) != 0)
        return 1;
    print_result(st, *two_hops, NULL);

    if (ask(st, PROSPECTS, "party planning", 3, 0.0, &three) != 0)
        goto out;
    size_t n = netref_result_count(three), extra = 0;
    for (size_t i = 0; i < n; i++) {
        if (find_row(*two_hops, netref_result_key(three, i)) != (size_t)-1)
            continue;
        if (extra++ == 0)
            printf("\nThe hop limit matters: a third hop would also "
                   "reach:\n\n");
        print_row(st, three, i, "+", NULL);
    }
    if (extra == 0)
        printf("\nA third hop would reach nobody else who needs it.\n");
    status = 0;
out:
    netref_result_free(three);
    return status;
}

/** b) Who offers commercial office space, within three hops? */
static int question_office(story *st)
{
    netref_result *res = NULL;
    print_heading("b) My client is expanding: who offers commercial office "
                  "space, and who can introduce me?");
    printf("Over coffee a client told me they are outgrowing their office. "
           "Who could I\nrecommend, within three hops?\n\n");
    if (ask(st, PROVIDERS, "commercial office space", 3, 0.0, &res) != 0)
        return 1;
    print_result(st, res, NULL);
    netref_result_free(res);
    return 0;
}

/** c) Who offers a part-time job, within three hops? */
static int question_job(story *st)
{
    netref_result *res = NULL;
    print_heading("c) And for me: who within three hops offers a part-time "
                  "job?");
    printf("I am looking for part-time work myself. Whom should I ask, and "
           "who would\nvouch for me?\n\n");
    if (ask(st, PROVIDERS, "part-time job", 3, 0.0, &res) != 0)
        return 1;
    print_result(st, res, NULL);
    netref_result_free(res);
    return 0;
}

/** d) Party planning again, when ties cool with a 180-day half-life. */
static int question_cooling(story *st, const netref_result *before)
{
    netref_result *res = NULL;
    print_heading("d) When old ties cool, who might need party planning?");
    printf("A tie I have not kept up is worth less than its strength says: "
           "let every tie\nlose half its warmth for each %.0f days since "
           "we were last in touch. Changes\nfrom answer a) are noted in "
           "brackets.\n\n",
           HALF_LIFE_DAYS);
    if (ask(st, PROSPECTS, "party planning", 2, HALF_LIFE_DAYS, &res) != 0)
        return 1;
    print_result(st, res, before);
    netref_result_free(res);
    return 0;
}

/** e) The strongest introduction to one person, and two other routes. */
static int question_path(story *st)
{
    netref_options *opts = NULL;
    netref_result *res = NULL;
    print_heading("e) Who can introduce me to Nadia Rahman, and by which "
                  "other routes?");
    printf("Nadia leases the office space my client needs. I want the "
           "warmest chain of\nintroductions, and two more routes through "
           "other people in case one stalls.\n\n");
    if (make_options(2, 0.0, 0, &opts) != 0)
        return 1;
    int rc = netref_options_set_alternatives(opts, 2);
    if (rc == NETREF_OK)
        rc = netref_path(st->db, ME, "nadia", opts, &res);
    netref_options_free(opts);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_path", rc);
    for (size_t i = 0; i < netref_result_count(res); i++) {
        int hops = netref_result_hops(res, i);
        printf("    %zu. strength %.3f  %d tie%s  ", i + 1,
               netref_result_score(res, i), hops, hops == 1 ? " " : "s");
        for (size_t pos = 0; pos < netref_result_path_length(res, i); pos++) {
            if (pos > 0)
                printf(" \xe2\x86\x92 "); /* U+2192 RIGHTWARDS ARROW */
            fputs(pos == 0 ? "you"
                           : name_of(st, netref_result_path_key(res, i, pos)),
                  stdout);
        }
        printf("\n");
    }
    if (netref_result_count(res) == 0)
        printf("    Nobody can introduce me to Nadia.\n");
    netref_result_free(res);
    return 0;
}

/** The tag I am after myself, for questions c) and f). */
#define JOB_TAG "part-time job"
/** When Priya introduced me to Zoë, and when it became a job (scene i). */
#define INTRO_MADE "2025-11-20"
#define INTRO_CONVERTED "2026-01-12"
/** What the introduction brought me (scene i). */
#define INTRO_VALUE 2400.0

/** f) Which of my contacts should I tell first that I want a job? */
static int question_ask_first(story *st)
{
    static const char *const names[] = {"key",  "name", "score", "reached",
                                        "top1", "top2", "top3"};
    size_t col[7];
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    int status = 1;

    print_heading("f) Whom should I tell first that I want a part-time "
                  "job?");
    printf("Word travels: a friend who hears I am looking passes it on. "
           "Which of my\ncontacts reaches the most people offering such "
           "a job, within three hops?\n\n");
    if (make_options(3, 0.0, 0, &opts) != 0)
        return 1;
    int rc =
        netref_ask_first(st->db, ME, JOB_TAG, NETREF_ROLE_OFFERS, opts, &rows);
    netref_options_free(opts);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_ask_first", rc);
    if (find_columns(rows, "netref_ask_first", names, 7, col) != 0)
        goto out;
    size_t n = netref_rows_count(rows);
    if (n == 0)
        printf("     (nobody)\n");
    for (size_t i = 0; i < n; i++) {
        char marker[32];
        const char *key = cell(rows, i, col[0]);
        snprintf(marker, sizeof marker, "%zu.", i + 1);
        printf("  %4s ", marker);
        print_padded(cell(rows, i, col[1]), NAME_WIDTH);
        printf(" score %.3f  reaches %d: ", netref_rows_real(rows, i, col[2]),
               (int)netref_rows_real(rows, i, col[3]));
        for (size_t t = 0; t < 3; t++) {
            const char *top = netref_rows_text(rows, i, col[4 + t]);
            if (top == NULL)
                break;
            if (t > 0)
                printf(", ");
            fputs(strcmp(top, key) == 0 ? "themselves" : name_of(st, top),
                  stdout);
        }
        putchar('\n');
    }
    status = 0;
out:
    netref_rows_free(rows);
    return status;
}

/** g) Which two people I know should I introduce to each other? */
static int question_matches(story *st)
{
    static const char *const names[] = {"needer_name", "provider_name", "tag",
                                        "score"};
    size_t col[4];
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    int status = 1;

    print_heading("g) Which two people I know should I introduce to each "
                  "other?");
    printf("A favour done is a favour remembered. Who within two hops needs "
           "what someone\nelse there offers, without knowing them yet? "
           "The five best pairs:\n\n");
    if (make_options(2, 0.0, 5, &opts) != 0)
        return 1;
    int rc = netref_matches(st->db, ME, NULL, opts, &rows);
    netref_options_free(opts);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_matches", rc);
    if (find_columns(rows, "netref_matches", names, 4, col) != 0)
        goto out;
    size_t n = netref_rows_count(rows);
    if (n == 0)
        printf("     (nobody)\n");
    for (size_t i = 0; i < n; i++) {
        print_ranked(i, cell(rows, i, col[0]));
        printf("\xe2\x86\x94 "); /* U+2194 LEFT RIGHT ARROW */
        print_padded(cell(rows, i, col[1]), NAME_WIDTH);
        printf(" score %.3f  %s\n", netref_rows_real(rows, i, col[3]),
               cell(rows, i, col[2]));
    }
    status = 0;
out:
    netref_rows_free(rows);
    return status;
}

/** h) Whom have I lost touch with that is worth a call? */
static int question_reconnect(story *st)
{
    static const char *const names[] = {"name", "days_overdue", "score",
                                        "tags"};
    size_t col[4];
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    int status = 1;

    print_heading("h) Whom have I lost touch with that is worth a call?");
    printf("Ties I have not kept up for more than 180 days, ranked by how "
           "many people\nwithin two hops they reach who offer what I need "
           "or need what I offer.\n\n");
    if (make_options(2, 0.0, 0, &opts) != 0)
        return 1;
    int rc = netref_reconnect(st->db, ME, 180, opts, &rows);
    netref_options_free(opts);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_reconnect", rc);
    if (find_columns(rows, "netref_reconnect", names, 4, col) != 0)
        goto out;
    size_t n = netref_rows_count(rows);
    if (n == 0)
        printf("     (nobody)\n");
    for (size_t i = 0; i < n; i++) {
        print_ranked(i, cell(rows, i, col[0]));
        printf(" score %.3f  ", netref_rows_real(rows, i, col[2]));
        if (netref_rows_text(rows, i, col[1]) == NULL)
            printf("never contacted");
        else
            printf("%d days overdue", (int)netref_rows_real(rows, i, col[1]));
        const char *tags = cell(rows, i, col[3]);
        if (tags[0] == '\0') {
            printf("  (nothing I need or offer)\n");
            continue;
        }
        printf("  ");
        for (const char *p = tags; *p != '\0'; p++) {
            if (*p == '\n')
                printf(", ");
            else
                putchar(*p);
        }
        putchar('\n');
    }
    status = 0;
out:
    netref_rows_free(rows);
    return status;
}

/** i) Record a referral that paid off, and show whom I owe. */
static int question_ledger(story *st)
{
    static const char *const names[] = {"name",      "made_for", "made_by",
                                        "converted", "value",    "value_given"};
    size_t col[6];
    netref_rows *rows = NULL;
    long long id = 0;
    int status = 1;

    print_heading("i) Whom do I owe a favour?");
    printf("Priya introduced me to Zoë, who needed help with her books; in "
           "January it\nbecame a part-time job. I note it in my referral "
           "ledger.\n\n");
    /* The optional fields of a write go in one netref_fields object. */
    netref_fields *fields = NULL;
    int rc = netref_fields_new(&fields);
    if (rc == NETREF_OK)
        rc = netref_fields_set_text(fields, NETREF_FIELD_TAG, JOB_TAG);
    if (rc == NETREF_OK)
        rc = netref_fields_set_text(fields, NETREF_FIELD_DATE, INTRO_MADE);
    if (rc == NETREF_OK)
        rc = netref_fields_set_text(fields, NETREF_FIELD_NOTE,
                                    "met at the networking evening");
    if (rc == NETREF_OK)
        rc = netref_fields_set_int(fields, NETREF_FIELD_STATUS,
                                   NETREF_INTRO_MADE);
    if (rc != NETREF_OK) {
        netref_fields_free(fields);
        return fail(NULL, "netref_fields_set_*", rc);
    }
    rc = netref_intro_add(st->db, "priya", ME, "zoe", fields, &id);
    if (rc != NETREF_OK) {
        netref_fields_free(fields);
        return fail(st->db, "netref_intro_add", rc);
    }
    printf("    %s  %s introduced me to %s (%s)\n", INTRO_MADE,
           name_of(st, "priya"), name_of(st, "zoe"),
           netref_intro_status_name(NETREF_INTRO_MADE));
    /* The same object serves the next write once reset. */
    rc = netref_fields_reset(fields);
    if (rc == NETREF_OK)
        rc = netref_fields_set_text(fields, NETREF_FIELD_DATE, INTRO_CONVERTED);
    if (rc == NETREF_OK)
        rc = netref_fields_set_real(fields, NETREF_FIELD_VALUE, INTRO_VALUE);
    if (rc == NETREF_OK)
        rc =
            netref_intro_set_status(st->db, id, NETREF_INTRO_CONVERTED, fields);
    netref_fields_free(fields);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_intro_set_status", rc);
    printf("    %s  it %s, worth %.2f\n\n", INTRO_CONVERTED,
           netref_intro_status_name(NETREF_INTRO_CONVERTED), INTRO_VALUE);
    rc = netref_balance(st->db, ME, &rows);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_balance", rc);
    if (find_columns(rows, "netref_balance", names, 6, col) != 0)
        goto out;
    size_t n = netref_rows_count(rows);
    if (n == 0)
        printf("     (nobody)\n");
    for (size_t i = 0; i < n; i++) {
        printf("       ");
        print_padded(cell(rows, i, col[0]), NAME_WIDTH);
        printf(" for me %d  by me %d  converted %d  worth %.2f to me, "
               "%.2f to them\n",
               (int)netref_rows_real(rows, i, col[2]),
               (int)netref_rows_real(rows, i, col[1]),
               (int)netref_rows_real(rows, i, col[3]),
               netref_rows_real(rows, i, col[4]),
               netref_rows_real(rows, i, col[5]));
    }
    status = 0;
out:
    netref_rows_free(rows);
    return status;
}

/* ---- j) brokers (netref_connectors) ---- */

/** j) Who connects the people around me? */
static int question_connectors(story *st)
{
    static const char *const names[] = {"name", "hops", "betweenness"};
    size_t col[3];
    netref_options *opts = NULL;
    netref_rows *rows = NULL;
    int status = 1;

    print_heading("j) Who connects the people around me?");
    printf("Brokers hear of things first and pass them on. Among everyone "
           "within two hops\nof me, who stands on the most shortest chains "
           "of acquaintance between two\nothers (betweenness)? The five "
           "best placed:\n\n");
    if (make_options(2, 0.0, 5, &opts) != 0)
        return 1;
    int rc = netref_connectors(st->db, ME, opts, &rows);
    netref_options_free(opts);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_connectors", rc);
    if (find_columns(rows, "netref_connectors", names, 3, col) != 0)
        goto out;
    size_t n = netref_rows_count(rows);
    if (n == 0)
        printf("     (nobody)\n");
    for (size_t i = 0; i < n; i++) {
        int hops = (int)netref_rows_real(rows, i, col[1]);
        print_ranked(i, cell(rows, i, col[0]));
        printf(" betweenness %6.2f  %d hop%s away\n",
               netref_rows_real(rows, i, col[2]), hops, hops == 1 ? "" : "s");
    }
    status = 0;
out:
    netref_rows_free(rows);
    return status;
}

/* ---- end of j) ---- */

/**
 * print_result(), and under each row whose matched tag is not the one
 * asked, which tag matched (an alias or a narrower tag).
 */
static void print_tagged_result(const story *st, const netref_result *res,
                                const netref_result *before, const char *asked)
{
    size_t n = netref_result_count(res);
    char marker[32];
    if (n == 0)
        printf("     (nobody)\n");
    for (size_t i = 0; i < n; i++) {
        const char *tag = netref_result_tag(res, i);
        snprintf(marker, sizeof marker, "%zu.", i + 1);
        print_row(st, res, i, marker, before);
        if (tag != NULL && strcmp(tag, asked) != 0)
            printf("        (needs %s)\n", tag);
    }
}

/**
 * k) Who else might need party planning, under another name? Teaches
 * netref the tag taxonomy (taxonomy.csv) and asks question a) again;
 * two_hops is a)'s answer, to mark who is new.
 */
static int question_taxonomy(story *st, const char *dir,
                             const netref_result *two_hops)
{
    static const csv_file taxonomy[] = {{NETREF_CSV_TAXONOMY, "taxonomy.csv"}};
    netref_result *res = NULL;
    long long n = 0;

    print_heading("k) Who else might need party planning, under another "
                  "name?");
    printf("A kids' birthday party is party planning too, and \"party "
           "planner\" means the\nsame. I tell netref which tags are aliases "
           "or narrower terms of others and\nask question a) again.\n\n");
    if (import_files(st, dir, taxonomy, 1, &n) != 0)
        return 1;
    printf("Loaded %lld tag relations.\n\n", n);
    if (ask(st, PROSPECTS, "party planning", 2, 0.0, &res) != 0)
        return 1;
    print_tagged_result(st, res, two_hops, "party planning");
    netref_result_free(res);
    return 0;
}

/** l) Of the people at the evening, who might need party planning? */
static int question_group(story *st, const char *dir)
{
    static const csv_file groups[] = {{NETREF_CSV_GROUPS, "groups.csv"}};
    netref_options *opts = NULL;
    netref_result *res = NULL;
    long long n = 0;

    print_heading("l) Who at the evening might need party planning?");
    printf("Zoë asked whom she should have talked to at the evening "
           "itself. I load who\nwas there (groups.csv) and keep the answer "
           "to them, within three hops.\n\n");
    if (import_files(st, dir, groups, 1, &n) != 0)
        return 1;
    printf("Loaded %lld group memberships.\n\n", n);
    if (make_options(3, 0.0, 0, &opts) != 0)
        return 1;
    int rc = netref_options_set_group(opts, EVENING);
    if (rc != NETREF_OK) {
        netref_options_free(opts);
        return fail(NULL, "netref_options_set_group", rc);
    }
    rc = netref_prospects(st->db, ME, "party planning", opts, &res);
    netref_options_free(opts);
    if (rc != NETREF_OK)
        return fail(st->db, "netref_prospects", rc);
    print_tagged_result(st, res, NULL, "party planning");
    netref_result_free(res);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = DEFAULT_DATA_DIR;
    story st = {NULL, NULL, 0, 0};
    netref_result *party = NULL;
    long long counts[4] = {0, 0, 0, 0};
    int status = 1;

    if (argc > 2 || (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
                                   strcmp(argv[1], "--help") == 0))) {
        fprintf(argc > 2 ? stderr : stdout,
                "usage: networking-evening [DATA_DIR]\n"
                "  DATA_DIR holds people.csv, ties.csv, offers.csv, "
                "needs.csv,\n  taxonomy.csv and groups.csv (default: %s)\n",
                DEFAULT_DATA_DIR);
        return argc > 2 ? 2 : 0;
    }
    if (argc == 2)
        dir = argv[1];

    int rc = netref_open(":memory:", &st.db);
    if (rc != NETREF_OK) {
        fail(NULL, "netref_open", rc);
        goto out;
    }
    if (import_files(&st, dir, network_files, 4, counts) != 0 ||
        load_people(&st) != 0)
        goto out;

    char title[128];
    snprintf(title, sizeof title, "A networking evening, told with netref %s",
             netref_version());
    puts(title);
    for (size_t i = utf8_width(title); i > 0; i--)
        putchar('=');
    printf("\n\n");
    printf("I keep books for a few small firms and I am looking for a "
           "part-time job. Last\nNovember a close friend took me along to "
           "an entrepreneurs' networking evening.\nThese are the questions "
           "I asked my network afterwards (as of %s).\n\n",
           TODAY);
    printf("Loaded %lld people, %lld ties, %lld offers and %lld needs "
           "from %s.\n",
           counts[0], counts[1], counts[2], counts[3], dir);
    if (question_party(&st, &party) != 0 || question_office(&st) != 0 ||
        question_job(&st) != 0 || question_cooling(&st, party) != 0 ||
        question_path(&st) != 0 || question_ask_first(&st) != 0 ||
        question_matches(&st) != 0 || question_reconnect(&st) != 0 ||
        question_ledger(&st) != 0 ||
        question_connectors(&st) != 0 || /* j) brokers */
        question_taxonomy(&st, dir, party) != 0 ||
        question_group(&st, dir) != 0)
        goto out;
    status = 0;
out:
    netref_result_free(party);
    netref_rows_free(st.people);
    netref_close(st.db);
    if (fflush(stdout) != 0 && status == 0) {
        perror("networking-evening: writing the story");
        status = 1;
    }
    return status;
}
