/* Reach from a source within k hops: the layered max-product relaxation
 * of DESIGN section 4, with canonical best paths. */
#ifndef NETREF_REACH_H
#define NETREF_REACH_H

#include <stdint.h>

struct nr_index;
struct nr_reach;

struct nr_reach_params {
  uint32_t source;
  int hops;         /* 1 to 255 */
  double half_life; /* 0: none */
  int32_t today;
  /* The path order: fewer ties before the introducer rule (see
   * reach.c); for introduction paths rather than tag queries. */
  int fewest_ties;
  /* People whose ban[] equals ban_stamp are never reached (NULL: none). */
  const uint32_t *ban;
  uint32_t ban_stamp;
  int64_t skip_direct; /* a person not to reach by a direct tie, or -1 */
};

struct nr_reach *nr_reach_new(uint32_t n);
void nr_reach_free(struct nr_reach *r);

/* Compute reach from params->source. Cost: O(k (n_k + m_k)) for the
 * people and ties within k hops. Returns NETREF_OK, NETREF_ENOMEM, or
 * NETREF_ECANCELED when the index's handle was interrupted. */
int nr_reach_run(struct nr_reach *r, const struct nr_index *ix,
                 const struct nr_reach_params *params);

/* After a run: whether v was reached (v != source), and its figures. */
int nr_reach_has(const struct nr_reach *r, uint32_t v);
double nr_reach_value(const struct nr_reach *r, uint32_t v);
int nr_reach_hops(const struct nr_reach *r, uint32_t v);
/* Ties on the best path to v (0 for the source). */
int nr_reach_len(const struct nr_reach *r, uint32_t v);
/* The reported best path to v, source first, into buf (room for
 * nr_reach_len + 1 entries); returns its length. */
int nr_reach_path(const struct nr_reach *r, uint32_t v, uint32_t *buf);
/* The people reached by the last run, in the order first reached. */
uint32_t nr_reach_reached(const struct nr_reach *r, const uint32_t **people);
/* A tie's strength as the run with params uses it (recency decay). */
double nr_reach_strength(double w, int32_t day,
                         const struct nr_reach_params *params);

#endif
