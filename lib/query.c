/* The tag queries: prospects (who might need T) and providers (who
 * offers T) within k hops of a source. */
#include <stdlib.h>

#include "index.h"
#include "reach.h"
#include "result.h"

enum role { NEEDS, OFFERS };

static struct nr_hit make_hit(const struct nr_index *ix,
                              const struct nr_tag *t, enum role role,
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
  };
}

/* Score the holders of the tag that the source reaches, walking the
 * smaller side: the tag's holders, or the people reached (a popular tag
 * seen from a small neighbourhood). */
static size_t collect_hits(const struct nr_index *ix, const struct nr_tag *t,
                           enum role role, const struct nr_reach *reach,
                           struct nr_hit *hits) {
  size_t n = 0;
  uint32_t count = role == NEEDS ? t->n_needers : t->n_offerers;
  const uint32_t *people = role == NEEDS ? t->needers : t->offerers;
  const uint32_t *reached;
  uint32_t n_reached = nr_reach_reached(reach, &reached);
  if (n_reached < count) {
    for (uint32_t j = 0; j < n_reached; j++) {
      int64_t i = nr_find_person(people, count, reached[j]);
      if (i >= 0)
        hits[n++] = make_hit(ix, t, role, reach, reached[j], (uint32_t)i);
    }
    return n;
  }
  for (uint32_t i = 0; i < count; i++)
    if (nr_reach_has(reach, people[i]))
      hits[n++] = make_hit(ix, t, role, reach, people[i], i);
  return n;
}

int nr_query_start(netref_db *db, const char *source, const char *tag,
                   struct nr_index **ix, int64_t *src,
                   const struct nr_tag **t) {
  int rc = nr_check_text(db, "source", source, 0);
  char *norm = NULL;
  if (rc == NETREF_OK)
    rc = nr_tag_normalize(db, tag, &norm);
  if (rc == NETREF_OK)
    rc = nr_index_ready(db);
  if (rc == NETREF_OK) {
    *ix = db->index;
    *src = nr_index_person(*ix, source);
    *t = nr_index_tag(*ix, norm);
    if (*src < 0)
      rc = nr_fail(db, NETREF_ENOTFOUND, "no person '%s'", source);
  }
  free(norm);
  return rc;
}

static int tag_query(netref_db *db, const char *source, const char *tag,
                     const netref_options *opts, enum role role,
                     netref_result **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  struct nr_index *ix;
  int64_t src;
  const struct nr_tag *t;
  if (rc == NETREF_OK)
    rc = nr_query_start(db, source, tag, &ix, &src, &t);
  if (rc != NETREF_OK)
    return rc;
  struct netref_options o;
  nr_options_get(opts, &o);
  struct nr_reach_params params = {
      .source = (uint32_t)src,
      .hops = o.hops,
      .half_life = o.half_life,
      .today = o.today_set ? o.today : nr_today(),
      .skip_direct = -1,
  };
  struct nr_hit *hits = NULL;
  size_t n_hits = 0;
  if (t) {
    rc = nr_reach_run(ix->reach, ix, &params);
    if (rc != NETREF_OK)
      return nr_fail(db, rc, "out of memory");
    hits = malloc(((size_t)t->n_needers + t->n_offerers + 1) * sizeof *hits);
    if (!hits)
      return nr_fail(db, NETREF_ENOMEM, "out of memory");
    n_hits = collect_hits(ix, t, role, ix->reach, hits);
  }
  rc = nr_result_build(db, ix, ix->reach, hits, n_hits, o.limit, out);
  free(hits);
  return rc;
}

int netref_prospects(netref_db *db, const char *source, const char *tag,
                     const netref_options *opts, netref_result **out) {
  return tag_query(db, source, tag, opts, NEEDS, out);
}

int netref_providers(netref_db *db, const char *source, const char *tag,
                     const netref_options *opts, netref_result **out) {
  return tag_query(db, source, tag, opts, OFFERS, out);
}
