/* The tag taxonomy: its relations as stored (tag_relations.c), in memory
 * (taxonomy.c: which tags a query for a tag matches), and what to
 * suggest for an unknown tag (tag_suggest.c). */
#ifndef NETREF_TAXONOMY_H
#define NETREF_TAXONOMY_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

struct nr_index;

/* The schema version that brought tag_relation, and its name in
 * messages about an older file. */
#define NR_TAXONOMY_SCHEMA 4
#define NR_TAXONOMY_FEATURE "the tag taxonomy"

/* How a matched tag relates to the queried one. */
enum { NR_MATCH_SELF = 1, NR_MATCH_ALIAS = 2, NR_MATCH_NARROWER = 3 };

/* The tags a query matches: tags[0] is the queried tag itself, the rest
 * in byte order; how[i] is an NR_MATCH_* value. The strings belong to
 * the caller's tag and to db->taxonomy, valid until the taxonomy next
 * changes. */
struct nr_expansion {
  const char **tags;
  unsigned char *how;
  size_t n;
};

/* Load db->taxonomy from the store unless it is loaded (empty for a
 * read-only file from before the taxonomy). */
int nr_taxonomy_ready(netref_db *db);
void nr_taxonomy_free(struct nr_taxonomy *t);
/* How many tags the relations name (0 for none, or NULL). */
uint32_t nr_taxonomy_tags(const struct nr_taxonomy *t);
/* The number of a tag in the taxonomy, or -1 when no relation names it. */
/* The name of tag number i (i < nr_taxonomy_tags), valid while the taxonomy is. */
const char *nr_taxonomy_name(const struct nr_taxonomy *t, uint32_t i);
int64_t nr_taxonomy_find(const struct nr_taxonomy *t, const char *tag);
/* Expand a normalized tag (itself only when exact). Cost: linear in the
 * relations reached. */
int nr_tag_expand_names(netref_db *db, const char *norm, int exact,
                        struct nr_expansion *out);
void nr_expansion_free(struct nr_expansion *e);
/* Fail with NETREF_ENOTFOUND for a tag neither held nor in the taxonomy,
 * suggesting the closest known tags (suggest.h). Needs db->taxonomy
 * loaded. */
int nr_tag_unknown(netref_db *db, const struct nr_index *ix,
                   const char *norm);

#endif
