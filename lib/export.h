/* Exports: export.c reads the store and drives one writer per format
 * (export_graph.c: GraphML, GEXF, node-link JSON, DOT; export_csv.c:
 * netref's CSV layout and Neo4j's bulk import files), which print
 * through the escapes of export_text.c. Records reach a writer one at a
 * time, in a fixed order: every person, then every tie, then the tag
 * relations, the group memberships and the introductions (the last
 * three only to the writers that take them). */
#ifndef NETREF_EXPORT_H
#define NETREF_EXPORT_H

#include <stdio.h>

#include "internal.h"

/* The most files a format writes (Neo4j's); open_dir refuses more. */
#define NR_EXPORT_MAX_FILES 9

/* One output file: written under a temporary name, renamed when done. */
struct nr_out {
  FILE *f;
  char *path;     /* the name it will have, as reported */
  long long rows; /* records written to it, for the progress callback */
};

/* The files of one export (export_files.c). */
struct nr_outset {
  char *target;                   /* the path given */
  char *parent;                   /* the directory holding it */
  char *tmpdir;                   /* directory formats: the new one */
  char *tmp[NR_EXPORT_MAX_FILES]; /* each file's temporary name */
  struct nr_out out[NR_EXPORT_MAX_FILES];
  size_t n;
};
/* Create the temporary files (and directory) for one file at path
 * (files NULL) or the named files in a directory at path. */
int nr_outset_open(netref_db *db, struct nr_outset *set, const char *path,
                   const char *const *files);
/* Flush, fsync and close every file; NETREF_EIO names the first that
 * failed. */
int nr_outset_finish(netref_db *db, struct nr_outset *set);
/* Rename what was written into place. */
int nr_outset_commit(netref_db *db, struct nr_outset *set);
/* Close and remove whatever is still temporary. */
void nr_outset_discard(struct nr_outset *set);
/* nr_outset_discard, then free the names. */
void nr_outset_free(struct nr_outset *set);

/* A person and what is written about them. The arrays hold the
 * person's attributes (by name), offers and needs (by tag). */
struct nr_export_person {
  const char *key, *name;
  int hops; /* from the source; -1 for a whole-network export */
  size_t nattrs, noffers, nneeds;
  const char *const *attr_name, *const *attr_value;
  const char *const *offer_tag, *const *offer_note; /* note may be NULL */
  const char *const *need_tag;
  const double *need_weight;
};

/* An undirected tie, each once. */
struct nr_export_tie {
  const char *a, *b;
  double strength;
  const char *last_contact, *context; /* NULL when none */
  long long cadence;                  /* days; 0 when none */
};

struct nr_export_relation {
  const char *tag, *relation, *other; /* relation "alias" or "broader" */
};

/* A group membership; person NULL for a group without members (whole
 * network exports only). */
struct nr_export_member {
  const char *group, *group_name, *person;
};

struct nr_export_intro {
  long long id;
  const char *introducer, *seeker, *target;
  const char *tag, *created, *status, *changed, *made, *note; /* or NULL */
  double value; /* NaN unless converted */
};

/* What every writer sees: the files, the attribute names of the whole
 * export (before the first person), whether it is a k-hop network. */
struct nr_writer {
  netref_db *db;
  struct nr_out *out;
  size_t nout;
  int current;        /* the file written last, for the progress callback */
  int khop;           /* a k-hop network: people carry hops */
  const char *source; /* its source, or NULL */
  size_t nattrs;
  const char *const *attrs; /* every attribute name, in byte order */
  void *state;              /* the writer's own */
};

/* Which records a writer takes besides people and ties. */
#define NR_TAKES_RELATIONS 1u
#define NR_TAKES_GROUPS 2u
#define NR_TAKES_INTROS 4u
/* Whether it writes offers and needs (DOT does not). */
#define NR_TAKES_HOLDINGS 8u

/* A format: its files and the functions that write them. Each returns
 * NETREF_OK or a code recorded on w->db (write errors of the stream are
 * found by the driver, from ferror). Missing functions take nothing. */
struct nr_export_format {
  const char *name;
  /* NULL: one file at the path; else the names of the files written
   * into the directory at the path, NULL-ended. */
  const char *const *files;
  unsigned takes;
  int (*begin)(struct nr_writer *w);
  int (*person)(struct nr_writer *w, const struct nr_export_person *p);
  int (*ties_begin)(struct nr_writer *w);
  int (*tie)(struct nr_writer *w, const struct nr_export_tie *t);
  int (*relation)(struct nr_writer *w, const struct nr_export_relation *r);
  int (*member)(struct nr_writer *w, const struct nr_export_member *m);
  int (*intro)(struct nr_writer *w, const struct nr_export_intro *i);
  int (*end)(struct nr_writer *w);
  void (*cleanup)(struct nr_writer *w); /* frees w->state on every path */
};

extern const struct nr_export_format nr_export_graphml, nr_export_gexf,
    nr_export_json, nr_export_dot, nr_export_csv, nr_export_neo4j;

/* Count a record written to file i (the progress callback reports it). */
static inline void nr_out_row(struct nr_writer *w, int i) {
  w->out[i].rows++;
  w->current = i;
}

/* Printing (export_text.c). Text is UTF-8 from the store; what a format
 * cannot hold is replaced by U+FFFD (see each function). */
/* XML character data or attribute value: & < > " ' as entities, tab,
 * line feed and carriage return as character references (so attribute
 * values keep them and no parser folds CR LF), and what XML 1.0 forbids
 * (the other C0 controls, U+FFFE, U+FFFF) or bytes that are not UTF-8
 * as U+FFFD. */
void nr_put_xml(FILE *f, const char *s);
/* A JSON string with its quotes: " and \ escaped, controls as \n, \t,
 * ... or \u00XX, U+2028 and U+2029 as \u escapes (JavaScript before
 * ES2019 ends a line there), bytes that are not UTF-8 as U+FFFD. NULL
 * prints null. */
void nr_put_json(FILE *f, const char *s);
/* A DOT quoted string with its quotes: " and \ escaped (so Graphviz's
 * \N, \G, ... escapes never fire), a line feed as \n and a carriage
 * return as \r (Graphviz's line breaks in labels), a tab as a space,
 * other controls and bytes that are not UTF-8 as U+FFFD. */
void nr_put_dot(FILE *f, const char *s);
/* An RFC 4180 field, exact: quoted (quotes doubled) when it holds a
 * comma, a quote, a line break or white space at either end (which the
 * import keeps only when quoted). NULL and "" print nothing: an empty
 * cell, which the import reads as "no value". */
void nr_put_csv(FILE *f, const char *s);
/* A real number in its shortest exact form ("0.8", "1e-05"). */
void nr_put_real(FILE *f, double v);

/* The name a person's attribute takes in GraphML, GEXF and JSON, where
 * it sits beside netref's own fields: the attribute's name, or
 * "attr:" + the name when that is one of those fields (id, key, name,
 * label, offers, needs, hops) or starts with "attr:" itself, so that no
 * two names meet. A new string (NULL when out of memory). */
char *nr_export_attr_name(const char *attr);

#endif
