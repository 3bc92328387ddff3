/* The tag queries: prospects (who might need T) and providers (who
 * offers T) within k hops of a source, T expanded through the taxonomy
 * and the results kept to a group when the options say so. */
#include <stdlib.h>
#include <string.h>

#include "reach.h"
#include "result.h"
#include "scope.h"

enum role { NEEDS, OFFERS };

static struct nr_hit make_hit(const struct nr_index *ix, const struct nr_tag *t,
                              unsigned char how, enum role role,
                              const struct nr_reach *reach, uint32_t v,
                              uint32_t i) {
  double value = nr_reach_value(reach, v);
  return (struct nr_hit){
      .person = v,
      .rank = ix->rank[v],
      .hops = nr_reach_hops(reach, v),
      .reach = value,
      .score = role == NEEDS ? value * t->need_weight[i] : value,
      .tag = t->name,
      .how = how,
  };
}

/* Score the holders of one matched tag that the source reaches and the
 * scope admits, walking the smaller side: the tag's holders, or the
 * people reached (a popular tag seen from a small neighbourhood). */
static size_t collect_hits(const struct nr_scope *s, size_t which,
                           enum role role, const struct nr_reach *reach,
                           struct nr_hit *hits) {
  const struct nr_tag *t = s->match.tags[which];
  unsigned char how = s->match.how[which];
  size_t n = 0;
  uint32_t count = role == NEEDS ? t->n_needers : t->n_offerers;
  const uint32_t *people = role == NEEDS ? t->needers : t->offerers;
  const uint32_t *reached;
  uint32_t n_reached = nr_reach_reached(reach, &reached);
  if (n_reached < count) {
    for (uint32_t j = 0; j < n_reached; j++) {
      int64_t i = nr_find_person(people, count, reached[j]);
      if (i >= 0 && nr_scope_admits(s, reached[j]))
        hits[n++] =
            make_hit(s->ix, t, how, role, reach, reached[j], (uint32_t)i);
    }
    return n;
  }
  for (uint32_t i = 0; i < count; i++)
    if (nr_reach_has(reach, people[i]) && nr_scope_admits(s, people[i]))
      hits[n++] = make_hit(s->ix, t, how, role, reach, people[i], i);
  return n;
}

/* A person's hits in one run: best score first, then the closest match
 * (the tag itself, an alias, a narrower tag), then the tag's bytes. */
static int hit_cmp(const void *a, const void *b) {
  const struct nr_hit *x = a, *y = b;
  if (x->person != y->person)
    return x->person < y->person ? -1 : 1;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (x->how != y->how)
    return x->how < y->how ? -1 : 1;
  return strcmp(x->tag, y->tag);
}

static int hit_person_cmp(const void *a, const void *b) {
  const struct nr_hit *x = a, *y = b;
  return x->person < y->person ? -1 : x->person > y->person;
}

static int tag_query(netref_db *db, const char *source, const char *tag,
                     const netref_options *opts, enum role role,
                     netref_result **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "tag", tag, 0);
  if (rc != NETREF_OK)
    return rc;
  struct netref_options o;
  nr_options_get(opts, &o);
  struct nr_scope s;
  rc = nr_scope_open(db, source, tag, &o, &s);
  if (rc != NETREF_OK)
    return rc;
  size_t total = 0;
  for (size_t i = 0; i < s.match.n; i++)
    total += role == NEEDS ? s.match.tags[i]->n_needers
                           : s.match.tags[i]->n_offerers;
  struct nr_reach_params params = {
      .source = s.source,
      .hops = o.hops,
      .half_life = o.half_life,
      .today = o.today_set ? o.today : nr_today(),
      .skip_direct = -1,
  };
  struct nr_hit *hits = malloc((total + 1) * sizeof *hits);
  size_t n_hits = 0;
  rc = hits ? NETREF_OK : NETREF_ENOMEM;
  if (rc == NETREF_OK && total > 0)
    rc = nr_reach_run(s.q->reach, s.ix, &params);
  for (size_t i = 0; rc == NETREF_OK && total > 0 && i < s.match.n; i++)
    n_hits += collect_hits(&s, i, role, s.q->reach, hits + n_hits);
  if (rc == NETREF_OK)
    rc = nr_result_build(db, s.ix, s.q->reach, hits,
                         s.match.n > 1 /* one hit per person */
                             ? nr_sort_unique(hits, n_hits, sizeof *hits,
                                              hit_cmp, hit_person_cmp)
                             : n_hits,
                         o.limit, out);
  else
    rc = nr_fail_step(db, rc);
  free(hits);
  nr_scope_close(&s);
  return rc;
}

int netref_prospects(netref_db *db, const char *source, const char *tag,
                     const netref_options *opts, netref_result **out) {
  nr_run_begin(db);
  return nr_run_end(db, tag_query(db, source, tag, opts, NEEDS, out));
}

int netref_providers(netref_db *db, const char *source, const char *tag,
                     const netref_options *opts, netref_result **out) {
  nr_run_begin(db);
  return nr_run_end(db, tag_query(db, source, tag, opts, OFFERS, out));
}
