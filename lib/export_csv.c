/* The CSV formats of netref_export(): netref's own import layout (the
 * backup format) and the bulk import files of Neo4j's
 * `neo4j-admin database import`. Each is a directory of files written
 * side by side as the records come (export.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export.h"
#include "keymap.h"

/* ---- netref's CSV layout -------------------------------------------- */

/* The files, in the order of the NETREF_CSV_* kinds, so that file i
 * holds kind i. */
static const char *const csv_files[] = {
    "people.csv",   "ties.csv",   "offers.csv", "needs.csv",
    "taxonomy.csv", "groups.csv", NULL};

/* The import reads a header cell "Key" or "NAME" as the key or the name
 * column (netref_person_set_attr() refuses such attribute names; a
 * file from before that rule may hold one). */
static int check_attr_columns(struct nr_writer *w) {
  for (size_t i = 0; i < w->nattrs; i++)
    if (!strcasecmp(w->attrs[i], "key") || !strcasecmp(w->attrs[i], "name"))
      return nr_fail(w->db, NETREF_EINVAL,
                     "attribute '%s' cannot be a column of people.csv: the "
                     "import would read it as the %s (rename it first)",
                     w->attrs[i], w->attrs[i]);
  return NETREF_OK;
}

static int csv_begin(struct nr_writer *w) {
  int rc = check_attr_columns(w);
  if (rc != NETREF_OK)
    return rc;
  FILE *people = w->out[NETREF_CSV_PEOPLE].f;
  fputs("key,name", people);
  for (size_t i = 0; i < w->nattrs; i++) {
    fputc(',', people);
    nr_put_csv(people, w->attrs[i]);
  }
  fputc('\n', people);
  fputs("a,b,strength,last_contact,context,cadence\n",
        w->out[NETREF_CSV_TIES].f);
  fputs("person,tag,note\n", w->out[NETREF_CSV_OFFERS].f);
  fputs("person,tag,weight\n", w->out[NETREF_CSV_NEEDS].f);
  fputs("tag,relation,other\n", w->out[NETREF_CSV_TAXONOMY].f);
  fputs("group,group_name,person\n", w->out[NETREF_CSV_GROUPS].f);
  return NETREF_OK;
}

/* One cell per attribute name of the export: the person's value, or an
 * empty cell. Both lists are in byte order, so one merge pass. */
static void put_attr_cells(FILE *f, const struct nr_writer *w,
                           const struct nr_export_person *p,
                           void (*put)(FILE *, const char *)) {
  size_t j = 0;
  for (size_t i = 0; i < w->nattrs; i++) {
    fputc(',', f);
    if (j < p->nattrs && !strcmp(p->attr_name[j], w->attrs[i]))
      put(f, p->attr_value[j++]);
  }
}

static int csv_person(struct nr_writer *w, const struct nr_export_person *p) {
  FILE *f = w->out[NETREF_CSV_PEOPLE].f;
  nr_put_csv(f, p->key);
  fputc(',', f);
  nr_put_csv(f, p->name);
  put_attr_cells(f, w, p, nr_put_csv);
  fputc('\n', f);
  nr_out_row(w, NETREF_CSV_PEOPLE);
  f = w->out[NETREF_CSV_OFFERS].f;
  for (size_t i = 0; i < p->noffers; i++) {
    nr_put_csv(f, p->key);
    fputc(',', f);
    nr_put_csv(f, p->offer_tag[i]);
    fputc(',', f);
    nr_put_csv(f, p->offer_note[i]);
    fputc('\n', f);
    nr_out_row(w, NETREF_CSV_OFFERS);
  }
  f = w->out[NETREF_CSV_NEEDS].f;
  for (size_t i = 0; i < p->nneeds; i++) {
    nr_put_csv(f, p->key);
    fputc(',', f);
    nr_put_csv(f, p->need_tag[i]);
    fputc(',', f);
    nr_put_real(f, p->need_weight[i]);
    fputc('\n', f);
    nr_out_row(w, NETREF_CSV_NEEDS);
  }
  return NETREF_OK;
}

/* A tie's strength, last contact, context and cadence (empty when
 * none), comma-separated: the same columns in netref's ties.csv and in
 * Neo4j's KNOWS file. */
static void put_tie_fields(FILE *f, const struct nr_export_tie *t) {
  nr_put_real(f, t->strength);
  fputc(',', f);
  nr_put_csv(f, t->last_contact);
  fputc(',', f);
  nr_put_csv(f, t->context);
  fputc(',', f);
  if (t->cadence > 0)
    fprintf(f, "%lld", t->cadence);
}

static int csv_tie(struct nr_writer *w, const struct nr_export_tie *t) {
  FILE *f = w->out[NETREF_CSV_TIES].f;
  nr_put_csv(f, t->a);
  fputc(',', f);
  nr_put_csv(f, t->b);
  fputc(',', f);
  put_tie_fields(f, t);
  fputc('\n', f);
  nr_out_row(w, NETREF_CSV_TIES);
  return NETREF_OK;
}

static int csv_relation(struct nr_writer *w,
                        const struct nr_export_relation *r) {
  FILE *f = w->out[NETREF_CSV_TAXONOMY].f;
  nr_put_csv(f, r->tag);
  fputc(',', f);
  nr_put_csv(f, r->relation);
  fputc(',', f);
  nr_put_csv(f, r->other);
  fputc('\n', f);
  nr_out_row(w, NETREF_CSV_TAXONOMY);
  return NETREF_OK;
}

static int csv_member(struct nr_writer *w, const struct nr_export_member *m) {
  FILE *f = w->out[NETREF_CSV_GROUPS].f;
  nr_put_csv(f, m->group);
  fputc(',', f);
  nr_put_csv(f, m->group_name);
  fputc(',', f);
  nr_put_csv(f, m->person);
  fputc('\n', f);
  nr_out_row(w, NETREF_CSV_GROUPS);
  return NETREF_OK;
}

static int nothing_more(struct nr_writer *w) {
  (void)w;
  return NETREF_OK;
}

const struct nr_export_format nr_export_csv = {
    .name = "CSV",
    .files = csv_files,
    .takes = NR_TAKES_HOLDINGS | NR_TAKES_RELATIONS | NR_TAKES_GROUPS,
    .begin = csv_begin,
    .person = csv_person,
    .tie = csv_tie,
    .relation = csv_relation,
    .member = csv_member,
    .end = nothing_more,
};

/* ---- Neo4j bulk import ---------------------------------------------- */

enum {
  NEO_PEOPLE,
  NEO_TAGS,
  NEO_KNOWS,
  NEO_OFFERS,
  NEO_NEEDS,
  NEO_INTRODUCED,
  NEO_RELATIONS,
  NEO_GROUPS,
  NEO_MEMBERS
};
static const char *const neo4j_files[] = {"people.csv",    "tags.csv",
                                          "knows.csv",     "offers.csv",
                                          "needs.csv",     "introduced.csv",
                                          "relations.csv", "groups.csv",
                                          "member_of.csv", NULL};

/* The property names of the attributes, the tags met (tags.csv is
 * written last, from them: only tags something refers to) and the groups
 * met (each group's node written once, at its first membership). */
struct neo_state {
  char **props;
  struct nr_keymap *seen, *groups;
  char **tags;
  size_t ntags, tags_cap;
};

/* A property name the import header can carry: letters, digits and _
 * (a ':' would start a type, a ',' a column), made unique against the
 * node's own columns and earlier ones with a suffix _2, _3, ... */
static char *property_name(const char *attr, struct nr_keymap *taken) {
  size_t n = strlen(attr);
  char *name = malloc(n + 24);
  if (!name)
    return NULL;
  for (size_t i = 0; i <= n; i++)
    name[i] = i == n || isalnum((unsigned char)attr[i]) || attr[i] == '_'
                  ? attr[i]
                  : '_';
  int64_t any;
  for (int k = 2; nr_keymap_get(taken, name, &any); k++)
    snprintf(name + n, 24, "_%d", k);
  if (nr_keymap_put(taken, name, 0)) {
    free(name);
    return NULL;
  }
  return name;
}

static int neo_names(struct nr_writer *w, struct neo_state *s) {
  static const char *const own[] = {"key", "name", "hops"};
  for (size_t i = 0; i < sizeof own / sizeof *own; i++)
    if (nr_keymap_put(s->seen, own[i], 0))
      return NETREF_ENOMEM;
  for (size_t i = 0; i < w->nattrs; i++)
    if (!(s->props[i] = property_name(w->attrs[i], s->seen)))
      return NETREF_ENOMEM;
  /* From here on, `seen` holds the tags. */
  nr_keymap_free(s->seen);
  s->seen = nr_keymap_new();
  return s->seen ? NETREF_OK : NETREF_ENOMEM;
}

static int neo_begin(struct nr_writer *w) {
  struct neo_state *s = calloc(1, sizeof *s);
  if (!s)
    return NETREF_ENOMEM;
  w->state = s;
  s->props = calloc(w->nattrs ? w->nattrs : 1, sizeof *s->props);
  s->seen = nr_keymap_new();
  s->groups = nr_keymap_new();
  if (!s->props || !s->seen || !s->groups || neo_names(w, s) != NETREF_OK)
    return NETREF_ENOMEM;
  FILE *f = w->out[NEO_PEOPLE].f;
  fputs("key:ID(Person),name", f);
  for (size_t i = 0; i < w->nattrs; i++)
    fprintf(f, ",%s", s->props[i]);
  fputs(w->khop ? ",hops:int,:LABEL\n" : ",:LABEL\n", f);
  fputs("tag:ID(Tag),:LABEL\n", w->out[NEO_TAGS].f);
  fputs(":START_ID(Person),:END_ID(Person),strength:double,"
        "last_contact:date,context,cadence:int,:TYPE\n",
        w->out[NEO_KNOWS].f);
  fputs(":START_ID(Person),:END_ID(Tag),note,:TYPE\n", w->out[NEO_OFFERS].f);
  fputs(":START_ID(Person),:END_ID(Tag),weight:double,:TYPE\n",
        w->out[NEO_NEEDS].f);
  fputs(":START_ID(Person),:END_ID(Person),id:long,target,tag,"
        "created:date,status,changed:date,made:date,note,value:double,"
        ":TYPE\n",
        w->out[NEO_INTRODUCED].f);
  fputs(":START_ID(Tag),:END_ID(Tag),:TYPE\n", w->out[NEO_RELATIONS].f);
  fputs("group:ID(Group),name,:LABEL\n", w->out[NEO_GROUPS].f);
  fputs(":START_ID(Person),:END_ID(Group),:TYPE\n", w->out[NEO_MEMBERS].f);
  return NETREF_OK;
}

static void neo_cleanup(struct nr_writer *w) {
  struct neo_state *s = w->state;
  if (!s)
    return;
  for (size_t i = 0; s->props && i < w->nattrs; i++)
    free(s->props[i]);
  free(s->props);
  for (size_t i = 0; i < s->ntags; i++)
    free(s->tags[i]);
  free(s->tags);
  nr_keymap_free(s->seen);
  nr_keymap_free(s->groups);
  free(s);
  w->state = NULL;
}

/* Remember a tag for tags.csv. */
static int neo_tag(struct neo_state *s, const char *tag) {
  int64_t any;
  if (nr_keymap_get(s->seen, tag, &any))
    return NETREF_OK;
  char *copy = strdup(tag);
  if (!copy || nr_grow(&s->tags, &s->tags_cap, s->ntags + 1, sizeof *s->tags) ||
      nr_keymap_put(s->seen, tag, 0)) {
    free(copy);
    return NETREF_ENOMEM;
  }
  s->tags[s->ntags++] = copy;
  return NETREF_OK;
}

/* A relationship row: start, end, the middle cells (already written by
 * the caller after this), then the type. */
static void neo_ends(FILE *f, const char *start, const char *end) {
  nr_put_csv(f, start);
  fputc(',', f);
  nr_put_csv(f, end);
}

static int neo_holdings(struct nr_writer *w, const struct nr_export_person *p) {
  struct neo_state *s = w->state;
  FILE *f = w->out[NEO_OFFERS].f;
  for (size_t i = 0; i < p->noffers; i++) {
    if (neo_tag(s, p->offer_tag[i]))
      return NETREF_ENOMEM;
    neo_ends(f, p->key, p->offer_tag[i]);
    fputc(',', f);
    nr_put_csv(f, p->offer_note[i]);
    fputs(",OFFERS\n", f);
    nr_out_row(w, NEO_OFFERS);
  }
  f = w->out[NEO_NEEDS].f;
  for (size_t i = 0; i < p->nneeds; i++) {
    if (neo_tag(s, p->need_tag[i]))
      return NETREF_ENOMEM;
    neo_ends(f, p->key, p->need_tag[i]);
    fputc(',', f);
    nr_put_real(f, p->need_weight[i]);
    fputs(",NEEDS\n", f);
    nr_out_row(w, NEO_NEEDS);
  }
  return NETREF_OK;
}

static int neo_person(struct nr_writer *w, const struct nr_export_person *p) {
  FILE *f = w->out[NEO_PEOPLE].f;
  nr_put_csv(f, p->key);
  fputc(',', f);
  nr_put_csv(f, p->name);
  put_attr_cells(f, w, p, nr_put_csv);
  if (p->hops >= 0)
    fprintf(f, ",%d", p->hops);
  fputs(",Person\n", f);
  nr_out_row(w, NEO_PEOPLE);
  return neo_holdings(w, p);
}

static int neo_tie(struct nr_writer *w, const struct nr_export_tie *t) {
  FILE *f = w->out[NEO_KNOWS].f;
  neo_ends(f, t->a, t->b);
  fputc(',', f);
  put_tie_fields(f, t);
  fputs(",KNOWS\n", f);
  nr_out_row(w, NEO_KNOWS);
  return NETREF_OK;
}

static int neo_relation(struct nr_writer *w,
                        const struct nr_export_relation *r) {
  struct neo_state *s = w->state;
  if (neo_tag(s, r->tag) || neo_tag(s, r->other))
    return NETREF_ENOMEM;
  FILE *f = w->out[NEO_RELATIONS].f;
  neo_ends(f, r->tag, r->other);
  fputs(strcmp(r->relation, "alias") ? ",BROADER\n" : ",ALIAS\n", f);
  nr_out_row(w, NEO_RELATIONS);
  return NETREF_OK;
}

/* (introducer)-[:INTRODUCED]->(seeker): the favour the ledger's balance
 * counts; the target, whom the seeker was put in touch with, is a
 * property. */
static int neo_intro(struct nr_writer *w, const struct nr_export_intro *i) {
  FILE *f = w->out[NEO_INTRODUCED].f;
  neo_ends(f, i->introducer, i->seeker);
  fprintf(f, ",%lld,", i->id);
  const char *const cells[] = {i->target,  i->tag,  i->created, i->status,
                               i->changed, i->made, i->note};
  for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
    nr_put_csv(f, cells[c]);
    fputc(',', f);
  }
  if (i->value == i->value) /* not NaN */
    nr_put_real(f, i->value);
  fputs(",INTRODUCED\n", f);
  nr_out_row(w, NEO_INTRODUCED);
  return NETREF_OK;
}

/* (person)-[:MEMBER_OF]->(group); a group without members is a node
 * alone. */
static int neo_member(struct nr_writer *w, const struct nr_export_member *m) {
  struct neo_state *s = w->state;
  int64_t any;
  if (!nr_keymap_get(s->groups, m->group, &any)) {
    if (nr_keymap_put(s->groups, m->group, 0))
      return NETREF_ENOMEM;
    FILE *g = w->out[NEO_GROUPS].f;
    nr_put_csv(g, m->group);
    fputc(',', g);
    nr_put_csv(g, m->group_name);
    fputs(",Group\n", g);
    nr_out_row(w, NEO_GROUPS);
  }
  if (!m->person)
    return NETREF_OK;
  FILE *f = w->out[NEO_MEMBERS].f;
  neo_ends(f, m->person, m->group);
  fputs(",MEMBER_OF\n", f);
  nr_out_row(w, NEO_MEMBERS);
  return NETREF_OK;
}

static int tag_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int neo_end(struct nr_writer *w) {
  struct neo_state *s = w->state;
  qsort(s->tags, s->ntags, sizeof *s->tags, tag_cmp);
  FILE *f = w->out[NEO_TAGS].f;
  for (size_t i = 0; i < s->ntags; i++) {
    nr_put_csv(f, s->tags[i]);
    fputs(",Tag\n", f);
    nr_out_row(w, NEO_TAGS);
  }
  return NETREF_OK;
}

const struct nr_export_format nr_export_neo4j = {
    .name = "Neo4j",
    .files = neo4j_files,
    .takes = NR_TAKES_HOLDINGS | NR_TAKES_RELATIONS | NR_TAKES_GROUPS |
             NR_TAKES_INTROS,
    .begin = neo_begin,
    .person = neo_person,
    .tie = neo_tie,
    .relation = neo_relation,
    .member = neo_member,
    .intro = neo_intro,
    .end = neo_end,
    .cleanup = neo_cleanup,
};
