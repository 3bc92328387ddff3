/*
 * netref CLI: draw (issue 11, "Pictures"). A picture of a query's answer,
 * rendered with Graphviz's library (libgvc and libcgraph, linked by the
 * CLI only: libnetref has no drawing dependency):
 *
 *   netref draw --from me --tag "party planning" [--role needs|offers]
 *               [--hops K] [--limit N] -o evening.svg
 *   netref draw --from me --to nadia [--alternatives N] -o path.png
 *
 * For a tag, the source sits in the middle and everyone else on rings by
 * hop (Graphviz's twopi layout, rooted at the source); the answer's
 * people are filled and labelled with their rank and score; the best
 * path to each is drawn bold. For a path, the people run from the source
 * on the left to the target on the right (the dot layout), the strongest
 * path bold and the alternatives dashed. Either way a tie's width follows
 * its strength, the other ties among the people drawn are light grey,
 * and introducers (the second person of a path) are boxes. Above --limit people (default
 * DRAW_DEFAULT_CAP) only the best-ranked are kept, with their paths, and
 * the picture says how many were left out. The format follows the
 * extension (.svg, .png, .pdf); the file is written beside its final
 * name and renamed, so a failed drawing leaves nothing behind.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <graphviz/gvc.h>

#include "cli.h"

/* How many ranked people a picture keeps unless --limit says otherwise:
 * about as many as stay readable on one page. */
#define DRAW_DEFAULT_CAP 40
/* The most --limit may ask for: past a few hundred people a picture is
 * no longer readable. */
#define DRAW_MAX_CAP 300
/* A font with Latin, Greek and Cyrillic; fontconfig falls back to
 * another installed font for scripts it lacks (CJK, emoji). */
#define DRAW_FONT "DejaVu Sans"

/* Graphviz reports errors through a callback; keep the first one for
 * the message netref prints. */
static char gv_error[256];

static int keep_gv_error(char *msg)
{
    if (!gv_error[0]) {
        size_t n = strcspn(msg, "\n");
        snprintf(gv_error, sizeof gv_error, "%.*s", (int)n, msg);
    }
    return 0;
}

/* The picture being built: the graph and what the answer says of each
 * person drawn. */
typedef struct drawing {
    netref_db *db;
    Agraph_t *g;
    const char *source;
    const char *layout; /* "twopi" (a tag's answer) or "dot" (paths) */
} drawing;

/* What a tie is in the picture, in increasing order of emphasis. */
enum edge_kind { EDGE_CONTEXT, EDGE_ALTERNATIVE, EDGE_BEST };

/* Text for a Graphviz label: stored text escaped for people
 * (display_text: no control character survives), then backslashes
 * doubled, since Graphviz reads \n, \l, \N... in labels. */
static char *label_text(const char *s)
{
    char *shown_text = display_text(s), *out, *o;
    size_t n = 0;
    const char *p;
    for (p = shown_text; *p; p++)
        n += *p == '\\' ? 2 : 1;
    out = o = xrealloc(NULL, n + 1);
    for (p = shown_text; *p; p++) {
        if (*p == '\\')
            *o++ = '\\';
        *o++ = *p;
    }
    *o = '\0';
    free(shown_text);
    return out;
}

/* Set an attribute from text that may hold anything: agsafeset copies. */
static void set_attr(void *obj, const char *name, const char *value)
{
    agsafeset(obj, (char *)name, (char *)value, "");
}

/* The node of a person, made with the person's name as its label. */
static Agnode_t *person_node(drawing *d, const char *key)
{
    Agnode_t *n = agnode(d->g, (char *)key, 0);
    if (n)
        return n;
    n = agnode(d->g, (char *)key, 1);
    if (n) {
        char *who = person_label(d->db, key);
        char *label = label_text(who);
        set_attr(n, "label", label);
        free(label);
        free(who);
    }
    return n;
}

/* A tie's strength as the library stores it, or 0.5 when it cannot be
 * read (a path's ties exist, but the picture must not fail over one). */
static double tie_strength(netref_db *db, const char *a, const char *b)
{
    netref_rows *rows = NULL;
    double s = 0.5;
    long c;
    if (netref_tie_get(db, a, b, &rows) == NETREF_OK &&
        (c = rows_col(rows, "strength")) >= 0)
        s = netref_rows_real(rows, 0, (size_t)c);
    netref_rows_free(rows);
    return s == s ? s : 0.5;
}

/* The tie a -- b, its pen width by strength (1 to 5 points), drawn as
 * its most emphatic kind: bold on a best path, dashed on an alternative
 * path, else light grey. */
static void tie_edge(drawing *d, const char *a, const char *b,
                     enum edge_kind kind)
{
    Agnode_t *na = person_node(d, a), *nb = person_node(d, b);
    Agedge_t *e;
    char width[32];
    if (!na || !nb)
        return;
    e = agedge(d->g, na, nb, NULL, 0);
    if (!e)
        e = agedge(d->g, nb, na, NULL, 0);
    if (!e) {
        e = agedge(d->g, na, nb, NULL, 1);
        if (!e)
            return;
        snprintf(width, sizeof width, "%.2f",
                 1.0 + 4.0 * tie_strength(d->db, a, b));
        set_attr(e, "penwidth", width);
        set_attr(e, "color", "#c8c8c8");
    }
    if (kind == EDGE_BEST) {
        set_attr(e, "style", "bold");
        set_attr(e, "color", "#1f4e79");
    } else if (kind == EDGE_ALTERNATIVE && strcmp(agget(e, "style"), "bold")) {
        set_attr(e, "style", "dashed");
        set_attr(e, "color", "#1f4e79");
    }
}

/* One row of the answer: the person filled and labelled "rank. name /
 * score" (with_rank), the row's path as `kind`, its introducer a box. */
static void draw_row(drawing *d, const netref_result *res, size_t r,
                     int with_rank, enum edge_kind kind)
{
    size_t i, len = netref_result_path_length(res, r);
    const char *key = netref_result_key(res, r);
    const char *intro = netref_result_introducer(res, r);
    for (i = 0; i + 1 < len; i++)
        tie_edge(d, netref_result_path_key(res, r, i),
                 netref_result_path_key(res, r, i + 1), kind);
    if (intro) {
        Agnode_t *n = person_node(d, intro);
        if (n)
            set_attr(n, "shape", "box");
    }
    if (with_rank) {
        Agnode_t *n = person_node(d, key);
        char *who = person_label(d->db, key), *name = label_text(who);
        char score[32], *label;
        if (!n) {
            free(who);
            free(name);
            return;
        }
        label = xasprintf("%zu. %s\\n%s", r + 1, name,
                          fmt_real(score, sizeof score,
                                   netref_result_score(res, r)));
        set_attr(n, "label", label);
        set_attr(n, "style", "filled");
        set_attr(n, "fillcolor", "#ffd966");
        free(label);
        free(name);
        free(who);
    }
}

/* The other ties among the people drawn, thin and light: the network
 * around the answer. One listing per person drawn. */
static void context_ties(drawing *d)
{
    Agnode_t *n;
    for (n = agfstnode(d->g); n; n = agnxtnode(d->g, n)) {
        netref_rows *rows = NULL;
        const char *me = agnameof(n);
        size_t r, count;
        long kc;
        if (netref_tie_list(d->db, me, &rows) != NETREF_OK ||
            (kc = rows_col(rows, "key")) < 0) {
            netref_rows_free(rows);
            continue;
        }
        count = netref_rows_count(rows);
        for (r = 0; r < count; r++) {
            const char *other = netref_rows_text(rows, r, (size_t)kc);
            if (other && strcmp(me, other) < 0 &&
                agnode(d->g, (char *)other, 0))
                tie_edge(d, me, other, EDGE_CONTEXT);
        }
        netref_rows_free(rows);
    }
}

/* The graph's defaults: the layout with the source in the middle, the
 * font, and a legend as the graph's label. */
static void graph_defaults(drawing *d, const char *title, size_t left_out)
{
    char *legend, *t = label_text(title);
    agattr(d->g, AGRAPH, "layout", (char *)d->layout);
    if (!strcmp(d->layout, "twopi"))
        agattr(d->g, AGRAPH, "root", (char *)d->source);
    else
        agattr(d->g, AGRAPH, "rankdir", "LR");
    agattr(d->g, AGRAPH, "overlap", "false");
    agattr(d->g, AGRAPH, "ranksep", "1.4");
    agattr(d->g, AGRAPH, "fontname", DRAW_FONT);
    agattr(d->g, AGRAPH, "labelloc", "b");
    agattr(d->g, AGNODE, "fontname", DRAW_FONT);
    agattr(d->g, AGNODE, "shape", "ellipse");
    agattr(d->g, AGNODE, "label", "\\N");
    agattr(d->g, AGNODE, "style", "");
    agattr(d->g, AGNODE, "fillcolor", "white");
    agattr(d->g, AGNODE, "penwidth", "1");
    agattr(d->g, AGEDGE, "penwidth", "1");
    agattr(d->g, AGEDGE, "style", "");
    agattr(d->g, AGEDGE, "color", "#c8c8c8");
    legend = xasprintf(
        "%s\\n%s Grey: other ties among them. Box: an introducer. Line "
        "width: tie strength.",
        t,
        strcmp(d->layout, "twopi")
            ? "Bold: the strongest path; dashed: the alternatives."
            : "Rings: hops from the centre. Filled: the answer, \"rank. "
              "name\" and score. Bold: the best path to each.");
    if (left_out) {
        char *more = xasprintf("%s\\n%zu more not shown (--limit)", legend,
                               left_out);
        free(legend);
        legend = more;
    }
    agattr(d->g, AGRAPH, "label", legend);
    free(legend);
    free(t);
}

/* The centre: the source, ringed twice. */
static void source_node(drawing *d)
{
    Agnode_t *n = person_node(d, d->source);
    if (n) {
        set_attr(n, "shape", "doublecircle");
        set_attr(n, "style", "filled");
        set_attr(n, "fillcolor", "#c9daf8");
    }
}

/* The Graphviz output format of a file name, from its extension. */
static const char *format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const char *const formats[] = {"svg", "png", "pdf"};
    size_t i;
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (i = 0; i < sizeof formats / sizeof *formats; i++)
        if (!strcmp(dot + 1, formats[i]))
            return formats[i];
    return NULL;
}

/* Lay the graph out and write it to path through a temporary file in the
 * same directory, renamed over path once complete. */
static int render(drawing *d, const char *format, const char *path)
{
    GVC_t *gvc = gvContext();
    char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
    int status = EXIT_FAIL;
    if (!gvc) {
        err("draw: cannot start Graphviz");
        free(tmp);
        return EXIT_FAIL;
    }
    gv_error[0] = '\0';
    if (gvLayout(gvc, d->g, d->layout) != 0) {
        err("draw: Graphviz could not lay the picture out: %s",
            gv_error[0] ? gv_error : "no reason given");
    } else {
        if (gvRenderFilename(gvc, d->g, format, tmp) != 0)
            err("draw: Graphviz could not write %s: %s", path,
                gv_error[0] ? gv_error : "no reason given");
        else if (rename(tmp, path) != 0)
            err("draw: cannot write %s", path);
        else
            status = EXIT_OK;
        gvFreeLayout(gvc, d->g);
    }
    if (status != EXIT_OK)
        remove(tmp);
    gvFreeContext(gvc);
    free(tmp);
    return status;
}

/* The answer to draw: a tag query (prospects for --role needs, the
 * default; providers for --role offers) or the paths to --to. */
static int run_query(netref_db *db, const args_t *a, netref_options *opts,
                     netref_result **res, char **title)
{
    int rc, offers = a->set[O_ROLE] && !strcmp(a->val[O_ROLE], "offers");
    char *from = person_label(db, a->val[O_FROM]);
    if (a->set[O_TO]) {
        char *to = person_label(db, a->val[O_TO]);
        rc = netref_path(db, a->val[O_FROM], a->val[O_TO], opts, res);
        *title = xasprintf("Introduction paths from %s to %s", from, to);
        free(to);
    } else {
        rc = (offers ? netref_providers : netref_prospects)(
            db, a->val[O_FROM], a->val[O_TAG], opts, res);
        *title = xasprintf("%s \"%s\" near %s",
                           offers ? "Who offers" : "Who might need",
                           a->val[O_TAG], from);
    }
    free(from);
    return rc;
}

/* --role, --limit and the query's options; usage errors exit 2. */
static int draw_options(const args_t *a, netref_options *opts, size_t *cap)
{
    int status, hops, n;
    if (!a->set[O_FROM] || !(a->set[O_TAG] ^ a->set[O_TO]))
        return usage_error(a->cmd, "draw: --from and either --tag or --to "
                                   "are required");
    if (!a->set[O_OUTPUT])
        return usage_error(a->cmd, "draw: -o FILE (.svg, .png or .pdf) is "
                                   "required");
    if (!format_of(a->val[O_OUTPUT]))
        return usage_error(a->cmd, "draw: '%s' does not end in .svg, .png "
                                   "or .pdf", a->val[O_OUTPUT]);
    if (a->set[O_ROLE] && strcmp(a->val[O_ROLE], "needs") &&
        strcmp(a->val[O_ROLE], "offers"))
        return usage_error(a->cmd, "--role: '%s' is not needs or offers",
                           a->val[O_ROLE]);
    *cap = DRAW_DEFAULT_CAP;
    if (a->set[O_LIMIT]) {
        if ((status = parse_int(a, O_LIMIT, &n)) != EXIT_OK)
            return status;
        if (n < 1 || n > DRAW_MAX_CAP)
            return usage_error(a->cmd, "--limit: %d is out of range (1 to "
                                       "%d)", n, DRAW_MAX_CAP);
        *cap = (size_t)n;
    }
    if (a->set[O_TO])
        return path_options(a, opts);
    /* The limit is the picture's: the query keeps every row, so the
     * picture can say how many it left out. */
    args_t q = *a;
    q.set[O_LIMIT] = 0;
    return query_options(&q, opts, &hops);
}

int cmd_draw(const command *c, args_t *a)
{
    netref_options *opts = NULL;
    netref_result *res = NULL;
    drawing d = {NULL, NULL, a->val[O_FROM],
                 a->set[O_TO] ? "dot" : "twopi"};
    char *title = NULL;
    size_t cap = DRAW_DEFAULT_CAP, r, n;
    int rc, status;
    (void)c;
    if (netref_options_new(&opts) != NETREF_OK) {
        err("out of memory");
        return EXIT_FAIL;
    }
    if ((status = draw_options(a, opts, &cap)) != EXIT_OK)
        goto done;
    status = EXIT_FAIL;
    if (!(d.db = open_db(a, NETREF_OPEN_READONLY)))
        goto done;
    rc = run_query(d.db, a, opts, &res, &title);
    if (rc != NETREF_OK) {
        lib_error(d.db, rc);
        goto done;
    }
    agseterrf(keep_gv_error);
    d.g = agopen("netref", Agundirected, NULL);
    if (!d.g) {
        err("draw: cannot start a Graphviz graph");
        goto done;
    }
    n = netref_result_count(res);
    graph_defaults(&d, title, n > cap ? n - cap : 0);
    source_node(&d);
    /* A tag query: every kept row ranked, each best path bold. Paths:
     * the strongest bold, the alternatives plain, the target filled. */
    for (r = 0; r < n && r < cap; r++)
        draw_row(&d, res, r, !a->set[O_TO],
                 !a->set[O_TO] || r == 0 ? EDGE_BEST : EDGE_ALTERNATIVE);
    context_ties(&d);
    if (a->set[O_TO] && n > 0) {
        Agnode_t *target = person_node(&d, a->val[O_TO]);
        if (target) {
            set_attr(target, "style", "filled");
            set_attr(target, "fillcolor", "#ffd966");
        }
    }
    status = render(&d, format_of(a->val[O_OUTPUT]), a->val[O_OUTPUT]);
    if (status == EXIT_OK)
        printf("drew %zu of %zu %s to %s\n", n < cap ? n : cap, n,
               a->set[O_TO] ? (n == 1 ? "path" : "paths")
                            : (n == 1 ? "person" : "people"),
               shown(a->val[O_OUTPUT]));
done:
    if (d.g)
        agclose(d.g);
    free(title);
    netref_result_free(res);
    netref_options_free(opts);
    netref_close(d.db);
    return status;
}
