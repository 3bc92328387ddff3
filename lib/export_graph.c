/* The graph formats of netref_export(): GraphML, GEXF 1.2, node-link
 * JSON and Graphviz DOT. One file each, written as the records come
 * (export.h). docs/export.md describes each layout.
 *
 * GraphML, GEXF and JSON carry the same data: a node per person (id:
 * the key; name; offers and needs; hops from the source in a k-hop
 * network; one string per attribute, under nr_export_attr_name()) and
 * an undirected edge per tie (strength, last_contact, context,
 * cadence), a field without a value left out. GraphML and GEXF have no
 * list type that all their readers share, so offers and needs are the
 * tags joined by a line feed, which no normalized tag contains. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

/* The attribute names as written, and a little state of the writer. */
struct graph_state {
  char **names; /* w->nattrs entries */
  int first;    /* JSON: no element written yet in the current list */
  long long edges;
};

static struct graph_state *state(struct nr_writer *w) { return w->state; }

static int graph_begin(struct nr_writer *w) {
  struct graph_state *g = calloc(1, sizeof *g);
  if (!g)
    return NETREF_ENOMEM;
  w->state = g;
  g->names = calloc(w->nattrs ? w->nattrs : 1, sizeof *g->names);
  if (!g->names)
    return NETREF_ENOMEM;
  for (size_t i = 0; i < w->nattrs; i++)
    if (!(g->names[i] = nr_export_attr_name(w->attrs[i])))
      return NETREF_ENOMEM;
  g->first = 1;
  return NETREF_OK;
}

static void graph_cleanup(struct nr_writer *w) {
  struct graph_state *g = w->state;
  if (!g)
    return;
  for (size_t i = 0; g->names && i < w->nattrs; i++)
    free(g->names[i]);
  free(g->names);
  free(g);
  w->state = NULL;
}

/* The place of a person's attribute among all attribute names. */
static size_t attr_index(const struct nr_writer *w, const char *name) {
  size_t lo = 0, hi = w->nattrs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(w->attrs[mid], name);
    if (c == 0)
      return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return w->nattrs; /* never: the names came from the same snapshot */
}

/* Tags joined by line feeds, escaped for XML. */
static void put_xml_tags(FILE *f, const char *const *tags, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i)
      fputs("&#10;", f);
    nr_put_xml(f, tags[i]);
  }
}

static void put_header(FILE *f) {
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
  fprintf(f, "<!-- written by netref %s -->\n", netref_version());
}

/* ---- GraphML -------------------------------------------------------- */

static void graphml_key(FILE *f, const char *id, const char *on,
                        const char *name, const char *type) {
  fprintf(f, "  <key id=\"%s\" for=\"%s\" attr.name=\"", id, on);
  nr_put_xml(f, name);
  fprintf(f, "\" attr.type=\"%s\"/>\n", type);
}

static int graphml_begin(struct nr_writer *w) {
  int rc = graph_begin(w);
  if (rc != NETREF_OK)
    return rc;
  FILE *f = w->out[0].f;
  put_header(f);
  fputs("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
        "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
        "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        f);
  graphml_key(f, "name", "node", "name", "string");
  graphml_key(f, "offers", "node", "offers", "string");
  graphml_key(f, "needs", "node", "needs", "string");
  if (w->khop)
    graphml_key(f, "hops", "node", "hops", "int");
  for (size_t i = 0; i < w->nattrs; i++) {
    char id[32];
    snprintf(id, sizeof id, "a%zu", i);
    graphml_key(f, id, "node", state(w)->names[i], "string");
  }
  graphml_key(f, "strength", "edge", "strength", "double");
  graphml_key(f, "last_contact", "edge", "last_contact", "string");
  graphml_key(f, "context", "edge", "context", "string");
  graphml_key(f, "cadence", "edge", "cadence", "int");
  fputs("  <graph id=\"netref\" edgedefault=\"undirected\">\n", f);
  return NETREF_OK;
}

static void graphml_data(FILE *f, const char *key, const char *value) {
  fprintf(f, "      <data key=\"%s\">", key);
  nr_put_xml(f, value);
  fputs("</data>\n", f);
}

static int graphml_person(struct nr_writer *w,
                          const struct nr_export_person *p) {
  FILE *f = w->out[0].f;
  fputs("    <node id=\"", f);
  nr_put_xml(f, p->key);
  fputs("\">\n", f);
  graphml_data(f, "name", p->name);
  if (p->noffers) {
    fputs("      <data key=\"offers\">", f);
    put_xml_tags(f, p->offer_tag, p->noffers);
    fputs("</data>\n", f);
  }
  if (p->nneeds) {
    fputs("      <data key=\"needs\">", f);
    put_xml_tags(f, p->need_tag, p->nneeds);
    fputs("</data>\n", f);
  }
  if (p->hops >= 0)
    fprintf(f, "      <data key=\"hops\">%d</data>\n", p->hops);
  for (size_t i = 0; i < p->nattrs; i++) {
    char id[32];
    snprintf(id, sizeof id, "a%zu", attr_index(w, p->attr_name[i]));
    graphml_data(f, id, p->attr_value[i]);
  }
  fputs("    </node>\n", f);
  nr_out_row(w, 0);
  return NETREF_OK;
}

static int graphml_tie(struct nr_writer *w, const struct nr_export_tie *t) {
  FILE *f = w->out[0].f;
  fputs("    <edge source=\"", f);
  nr_put_xml(f, t->a);
  fputs("\" target=\"", f);
  nr_put_xml(f, t->b);
  fputs("\">\n      <data key=\"strength\">", f);
  nr_put_real(f, t->strength);
  fputs("</data>\n", f);
  if (t->last_contact)
    graphml_data(f, "last_contact", t->last_contact);
  if (t->context)
    graphml_data(f, "context", t->context);
  if (t->cadence > 0)
    fprintf(f, "      <data key=\"cadence\">%lld</data>\n", t->cadence);
  fputs("    </edge>\n", f);
  nr_out_row(w, 0);
  return NETREF_OK;
}

static int graphml_end(struct nr_writer *w) {
  fputs("  </graph>\n</graphml>\n", w->out[0].f);
  return NETREF_OK;
}

const struct nr_export_format nr_export_graphml = {
    .name = "GraphML",
    .takes = NR_TAKES_HOLDINGS,
    .begin = graphml_begin,
    .person = graphml_person,
    .tie = graphml_tie,
    .end = graphml_end,
    .cleanup = graph_cleanup,
};

/* ---- GEXF 1.2 ------------------------------------------------------- */

static void gexf_attribute(FILE *f, const char *id, const char *title,
                           const char *type) {
  fprintf(f, "      <attribute id=\"%s\" title=\"", id);
  nr_put_xml(f, title);
  fprintf(f, "\" type=\"%s\"/>\n", type);
}

static int gexf_begin(struct nr_writer *w) {
  int rc = graph_begin(w);
  if (rc != NETREF_OK)
    return rc;
  FILE *f = w->out[0].f;
  put_header(f);
  fputs("<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">\n", f);
  fprintf(f, "  <meta>\n    <creator>netref %s</creator>\n  </meta>\n",
          netref_version());
  fputs("  <graph mode=\"static\" defaultedgetype=\"undirected\">\n"
        "    <attributes class=\"node\">\n",
        f);
  gexf_attribute(f, "offers", "offers", "string");
  gexf_attribute(f, "needs", "needs", "string");
  if (w->khop)
    gexf_attribute(f, "hops", "hops", "integer");
  for (size_t i = 0; i < w->nattrs; i++) {
    char id[32];
    snprintf(id, sizeof id, "a%zu", i);
    gexf_attribute(f, id, state(w)->names[i], "string");
  }
  fputs("    </attributes>\n    <attributes class=\"edge\">\n", f);
  gexf_attribute(f, "last_contact", "last_contact", "string");
  gexf_attribute(f, "context", "context", "string");
  gexf_attribute(f, "cadence", "cadence", "integer");
  fputs("    </attributes>\n    <nodes>\n", f);
  return NETREF_OK;
}

static void gexf_value(FILE *f, const char *id, const char *value) {
  fprintf(f, "          <attvalue for=\"%s\" value=\"", id);
  nr_put_xml(f, value);
  fputs("\"/>\n", f);
}

static void gexf_tags(FILE *f, const char *id, const char *const *tags,
                      size_t n) {
  fprintf(f, "          <attvalue for=\"%s\" value=\"", id);
  put_xml_tags(f, tags, n);
  fputs("\"/>\n", f);
}

static int gexf_person(struct nr_writer *w, const struct nr_export_person *p) {
  FILE *f = w->out[0].f;
  fputs("      <node id=\"", f);
  nr_put_xml(f, p->key);
  fputs("\" label=\"", f);
  nr_put_xml(f, p->name);
  /* GEXF's schema wants at least one value in an <attvalues>. */
  if (!p->noffers && !p->nneeds && p->hops < 0 && !p->nattrs) {
    fputs("\"/>\n", f);
    nr_out_row(w, 0);
    return NETREF_OK;
  }
  fputs("\">\n        <attvalues>\n", f);
  if (p->noffers)
    gexf_tags(f, "offers", p->offer_tag, p->noffers);
  if (p->nneeds)
    gexf_tags(f, "needs", p->need_tag, p->nneeds);
  if (p->hops >= 0)
    fprintf(f, "          <attvalue for=\"hops\" value=\"%d\"/>\n", p->hops);
  for (size_t i = 0; i < p->nattrs; i++) {
    char id[32];
    snprintf(id, sizeof id, "a%zu", attr_index(w, p->attr_name[i]));
    gexf_value(f, id, p->attr_value[i]);
  }
  fputs("        </attvalues>\n      </node>\n", f);
  nr_out_row(w, 0);
  return NETREF_OK;
}

static int gexf_ties_begin(struct nr_writer *w) {
  fputs("    </nodes>\n    <edges>\n", w->out[0].f);
  return NETREF_OK;
}

/* Strength is GEXF's own edge weight, which Gephi lays out by. */
static int gexf_tie(struct nr_writer *w, const struct nr_export_tie *t) {
  FILE *f = w->out[0].f;
  fprintf(f, "      <edge id=\"%lld\" source=\"", state(w)->edges++);
  nr_put_xml(f, t->a);
  fputs("\" target=\"", f);
  nr_put_xml(f, t->b);
  fputs("\" weight=\"", f);
  nr_put_real(f, t->strength);
  if (!t->last_contact && !t->context && t->cadence <= 0) {
    fputs("\"/>\n", f);
    nr_out_row(w, 0);
    return NETREF_OK;
  }
  fputs("\">\n        <attvalues>\n", f);
  if (t->last_contact)
    gexf_value(f, "last_contact", t->last_contact);
  if (t->context)
    gexf_value(f, "context", t->context);
  if (t->cadence > 0)
    fprintf(f, "          <attvalue for=\"cadence\" value=\"%lld\"/>\n",
            t->cadence);
  fputs("        </attvalues>\n      </edge>\n", f);
  nr_out_row(w, 0);
  return NETREF_OK;
}

static int gexf_end(struct nr_writer *w) {
  fputs("    </edges>\n  </graph>\n</gexf>\n", w->out[0].f);
  return NETREF_OK;
}

const struct nr_export_format nr_export_gexf = {
    .name = "GEXF",
    .takes = NR_TAKES_HOLDINGS,
    .begin = gexf_begin,
    .person = gexf_person,
    .ties_begin = gexf_ties_begin,
    .tie = gexf_tie,
    .end = gexf_end,
    .cleanup = graph_cleanup,
};

/* ---- node-link JSON ------------------------------------------------- */

static int json_begin(struct nr_writer *w) {
  int rc = graph_begin(w);
  if (rc != NETREF_OK)
    return rc;
  FILE *f = w->out[0].f;
  fprintf(f, "{\"directed\": false, \"multigraph\": false,\n"
             " \"graph\": {\"netref\": \"%s\"",
          netref_version());
  if (w->source) {
    fputs(", \"source\": ", f);
    nr_put_json(f, w->source);
  }
  fputs("},\n \"nodes\": [", f);
  return NETREF_OK;
}

/* ",\n  " before every element of a list but the first. */
static void json_next(struct nr_writer *w, FILE *f) {
  fputs(state(w)->first ? "\n  " : ",\n  ", f);
  state(w)->first = 0;
}

static void json_tags(FILE *f, const char *field, const char *const *tags,
                      size_t n) {
  fprintf(f, ", \"%s\": [", field);
  for (size_t i = 0; i < n; i++) {
    if (i)
      fputs(", ", f);
    nr_put_json(f, tags[i]);
  }
  fputc(']', f);
}

static int json_person(struct nr_writer *w, const struct nr_export_person *p) {
  FILE *f = w->out[0].f;
  json_next(w, f);
  fputs("{\"id\": ", f);
  nr_put_json(f, p->key);
  fputs(", \"name\": ", f);
  nr_put_json(f, p->name);
  if (p->hops >= 0)
    fprintf(f, ", \"hops\": %d", p->hops);
  json_tags(f, "offers", p->offer_tag, p->noffers);
  json_tags(f, "needs", p->need_tag, p->nneeds);
  for (size_t i = 0; i < p->nattrs; i++) {
    fputs(", ", f);
    nr_put_json(f, state(w)->names[attr_index(w, p->attr_name[i])]);
    fputs(": ", f);
    nr_put_json(f, p->attr_value[i]);
  }
  fputc('}', f);
  nr_out_row(w, 0);
  return NETREF_OK;
}

static int json_ties_begin(struct nr_writer *w) {
  fputs(state(w)->first ? "],\n \"links\": [" : "\n ],\n \"links\": [",
        w->out[0].f);
  state(w)->first = 1;
  return NETREF_OK;
}

static int json_tie(struct nr_writer *w, const struct nr_export_tie *t) {
  FILE *f = w->out[0].f;
  json_next(w, f);
  fputs("{\"source\": ", f);
  nr_put_json(f, t->a);
  fputs(", \"target\": ", f);
  nr_put_json(f, t->b);
  fputs(", \"strength\": ", f);
  nr_put_real(f, t->strength);
  if (t->last_contact) {
    fputs(", \"last_contact\": ", f);
    nr_put_json(f, t->last_contact);
  }
  if (t->context) {
    fputs(", \"context\": ", f);
    nr_put_json(f, t->context);
  }
  if (t->cadence > 0)
    fprintf(f, ", \"cadence\": %lld", t->cadence);
  fputc('}', f);
  nr_out_row(w, 0);
  return NETREF_OK;
}

static int json_end(struct nr_writer *w) {
  fputs(state(w)->first ? "]}\n" : "\n ]}\n", w->out[0].f);
  return NETREF_OK;
}

const struct nr_export_format nr_export_json = {
    .name = "JSON",
    .takes = NR_TAKES_HOLDINGS,
    .begin = json_begin,
    .person = json_person,
    .ties_begin = json_ties_begin,
    .tie = json_tie,
    .end = json_end,
    .cleanup = graph_cleanup,
};

/* ---- Graphviz DOT --------------------------------------------------- */

/* A picture, not a data file: labels and tie widths only. The source of
 * a k-hop network is drawn bold with a double border. */
static int dot_begin(struct nr_writer *w) {
  FILE *f = w->out[0].f;
  fprintf(f, "/* written by netref %s */\n", netref_version());
  fputs("graph netref {\n  node [shape=box, style=rounded];\n", f);
  return NETREF_OK;
}

static int dot_person(struct nr_writer *w, const struct nr_export_person *p) {
  FILE *f = w->out[0].f;
  fputs("  ", f);
  nr_put_dot(f, p->key);
  fputs(" [label=", f);
  nr_put_dot(f, p->name);
  if (p->hops == 0)
    fputs(", style=\"rounded,bold\", peripheries=2", f);
  fputs("];\n", f);
  nr_out_row(w, 0);
  return NETREF_OK;
}

/* Width 0.5 (strength near 0) to 3.5 points (strength 1). */
static int dot_tie(struct nr_writer *w, const struct nr_export_tie *t) {
  FILE *f = w->out[0].f;
  fputs("  ", f);
  nr_put_dot(f, t->a);
  fputs(" -- ", f);
  nr_put_dot(f, t->b);
  fputs(" [penwidth=", f);
  nr_put_real(f, round((0.5 + 3.0 * t->strength) * 100.0) / 100.0);
  fputs("];\n", f);
  nr_out_row(w, 0);
  return NETREF_OK;
}

static int dot_end(struct nr_writer *w) {
  fputs("}\n", w->out[0].f);
  return NETREF_OK;
}

const struct nr_export_format nr_export_dot = {
    .name = "DOT",
    .takes = 0,
    .begin = dot_begin,
    .person = dot_person,
    .tie = dot_tie,
    .end = dot_end,
};
