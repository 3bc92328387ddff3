/* What a query covers: its source, the stored tags a queried tag matches
 * through the taxonomy (or an error suggesting close tags), and the
 * members of a group it keeps to. Shared by the tag queries (query.c)
 * and the advice queries (advice.c); netref_tag_expand shows the same
 * expansion to callers. */
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "scope.h"
#include "taxonomy.h"

void nr_tag_match_free(struct nr_tag_match *m) {
  if (m->tags != &m->one)
    free(m->tags);
  if (m->how != &m->one_how)
    free(m->how);
  *m = (struct nr_tag_match){0};
}

int nr_tag_match(netref_db *db, const struct nr_index *ix, const char *norm,
                 int exact, struct nr_tag_match *out) {
  *out = (struct nr_tag_match){.tags = &out->one, .how = &out->one_how};
  int rc = nr_taxonomy_ready(db);
  if (rc != NETREF_OK)
    return rc;
  /* Most tags have no relation: the tag alone, without allocating (the
   * tag queries run this once per needed tag). */
  if (exact || nr_taxonomy_find(db->taxonomy, norm) < 0) {
    out->one = nr_index_tag(ix, norm);
    out->one_how = NR_MATCH_SELF;
    out->n = nr_tag_held(out->one);
    return NETREF_OK;
  }
  struct nr_expansion e;
  rc = nr_tag_expand_names(db, norm, exact, &e);
  if (rc != NETREF_OK)
    return rc;
  out->tags = malloc(e.n * sizeof *out->tags);
  out->how = malloc(e.n);
  if (!out->tags || !out->how) {
    nr_expansion_free(&e);
    nr_tag_match_free(out);
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < e.n; i++) {
    const struct nr_tag *t = nr_index_tag(ix, e.tags[i]);
    if (!nr_tag_held(t))
      continue; /* named by the taxonomy, held by nobody */
    out->tags[out->n] = t;
    out->how[out->n++] = e.how[i];
  }
  nr_expansion_free(&e);
  return NETREF_OK;
}

/* The queried tag, normalized into *norm (the caller frees it); a tag
 * nobody holds that the taxonomy does not name is an error naming close
 * ones. */
static int known_tag(netref_db *db, const struct nr_index *ix, const char *tag,
                     char **norm) {
  int rc = nr_tag_normalize(db, tag, norm);
  if (rc == NETREF_OK)
    rc = nr_taxonomy_ready(db);
  if (rc == NETREF_OK && !nr_tag_held(nr_index_tag(ix, *norm)) &&
      nr_taxonomy_find(db->taxonomy, *norm) < 0)
    rc = nr_tag_unknown(db, ix, *norm);
  return rc;
}

/* The group's members as person numbers, ascending: the ids come in
 * ascending order, and people are numbered in the order of their ids. */
static int scope_group(netref_db *db, const char *group, struct nr_scope *s) {
  sqlite3_int64 *ids = NULL;
  size_t n = 0;
  int rc = nr_group_people(db, group, &ids, &n);
  if (rc != NETREF_OK)
    return rc;
  s->members = malloc((n + 1) * sizeof *s->members);
  if (!s->members) {
    free(ids);
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    int64_t v = nr_index_person_of_id(s->ix, ids[i]);
    if (v >= 0)
      s->members[s->n_members++] = (uint32_t)v;
  }
  free(ids);
  return NETREF_OK;
}

int nr_scope_open(netref_db *db, const char *source, const char *tag,
                  const struct netref_options *o, struct nr_scope *s) {
  *s = (struct nr_scope){0};
  int rc = nr_index_find(db, "source", source, &s->source);
  if (rc != NETREF_OK)
    return rc;
  s->ix = db->index;
  s->q = nr_query_ctx(db);
  if (!s->q)
    rc = NETREF_ENOMEM;
  if (rc == NETREF_OK && tag)
    rc = known_tag(db, s->ix, tag, &s->asked);
  if (rc == NETREF_OK && tag)
    rc = nr_tag_match(db, s->ix, s->asked, o->exact, &s->match);
  if (rc == NETREF_OK && o->group)
    rc = scope_group(db, o->group, s);
  if (rc != NETREF_OK)
    nr_scope_close(s);
  return rc;
}

void nr_scope_close(struct nr_scope *s) {
  free(s->asked);
  nr_tag_match_free(&s->match);
  free(s->members);
  *s = (struct nr_scope){0};
}

/* netref_tag_expand */

/* People who offer or need a tag, counted once each. */
static uint32_t holders(const struct nr_tag *t) {
  uint32_t n = 0, i = 0, j = 0;
  while (i < t->n_needers || j < t->n_offerers) {
    if (j >= t->n_offerers ||
        (i < t->n_needers && t->needers[i] < t->offerers[j]))
      i++;
    else if (i >= t->n_needers || t->offerers[j] < t->needers[i])
      j++;
    else {
      i++;
      j++;
    }
    n++;
  }
  return n;
}

static const char *how_name(unsigned char how) {
  return how == NR_MATCH_SELF    ? "self"
         : how == NR_MATCH_ALIAS ? "alias"
                                 : "narrower";
}

int netref_tag_expand(netref_db *db, const char *tag,
                      const netref_options *opts, netref_rows **out) {
  if (out)
    *out = NULL;
  struct netref_options o;
  nr_options_get(opts, &o);
  int exact = o.exact;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_index_ready(db);
  char *norm = NULL;
  if (rc == NETREF_OK)
    rc = known_tag(db, db->index, tag, &norm);
  struct nr_expansion e = {0};
  if (rc == NETREF_OK)
    rc = nr_tag_expand_names(db, norm, exact, &e);
  static const char *const names[] = {"tag", "relation", "holders"};
  if (rc == NETREF_OK && nr_rows_new(3, names, out) != NETREF_OK)
    rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
  for (size_t i = 0; rc == NETREF_OK && i < e.n; i++) {
    const struct nr_tag *t = nr_index_tag(db->index, e.tags[i]);
    const char *texts[3] = {e.tags[i], how_name(e.how[i]), NULL};
    double reals[3] = {0, 0, t ? (double)holders(t) : 0};
    if (nr_rows_append(*out, texts, reals) != NETREF_OK) {
      netref_rows_free(*out);
      *out = NULL;
      rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
    }
  }
  nr_expansion_free(&e);
  free(norm);
  return rc;
}
