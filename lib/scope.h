/* What a query covers (scope.c): the source, the stored tags a queried
 * tag matches and the group whose members the results keep to. */
#ifndef NETREF_SCOPE_H
#define NETREF_SCOPE_H

#include <stddef.h>
#include <stdint.h>

#include "index.h"
#include "query_ctx.h"

/* The index's tags a query matches, the queried tag first when held;
 * how[i] says how each relates to it (NR_MATCH_*, taxonomy.h). A match
 * of one tag keeps it in `one` (tags points there), so a filled match
 * must not be copied. */
struct nr_tag_match {
  const struct nr_tag **tags;
  unsigned char *how;
  size_t n;
  const struct nr_tag *one;
  unsigned char one_how;
};

struct nr_scope {
  struct nr_index *ix;
  struct nr_query_ctx *q; /* the handle's scratch space for this index */
  uint32_t source;
  char *asked; /* the queried tag, normalized; NULL when none */
  struct nr_tag_match match;
  /* With a group filter: its members' person numbers, ascending (never
   * NULL then, even for an empty group); NULL without one. */
  uint32_t *members;
  uint32_t n_members;
};

/* Check the source, make the index current, resolve the tag (when not
 * NULL; an unknown tag fails with suggestions) and the options' group.
 * Close the scope whatever happens after a success. */
int nr_scope_open(netref_db *db, const char *source, const char *tag,
                  const struct netref_options *o, struct nr_scope *s);
void nr_scope_close(struct nr_scope *s);

/* Whether the results may show person v. */
static inline int nr_scope_admits(const struct nr_scope *s, uint32_t v) {
  return !s->members || nr_find_person(s->members, s->n_members, v) >= 0;
}

/* The index's tags a normalized tag matches (itself only when exact). */
int nr_tag_match(netref_db *db, const struct nr_index *ix, const char *norm,
                 int exact, struct nr_tag_match *out);
void nr_tag_match_free(struct nr_tag_match *m);

#endif
