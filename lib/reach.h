/* Reach from a source within k hops: the layered max-product relaxation
 * of DESIGN section 4, with canonical best paths. */
#ifndef NETREF_REACH_H
#define NETREF_REACH_H

#include <stdint.h>

struct nr_index;
struct nr_reach;

struct nr_reach_params {
  uint32_t source;
  int hops;
  double half_life; /* 0: none */
  int32_t today;
};

struct nr_reach *nr_reach_new(uint32_t n);
void nr_reach_free(struct nr_reach *r);

/* Compute reach from params->source. Cost: O(k (n_k + m_k)) for the
 * people and ties within k hops. Returns NETREF_OK or NETREF_ENOMEM. */
int nr_reach_run(struct nr_reach *r, const struct nr_index *ix,
                 const struct nr_reach_params *params);

/* After a run: whether v was reached (v != source), and its figures. */
int nr_reach_has(const struct nr_reach *r, uint32_t v);
double nr_reach_value(const struct nr_reach *r, uint32_t v);
int nr_reach_hops(const struct nr_reach *r, uint32_t v);
/* The reported best path to v, source first, into buf (room for hops+1
 * entries, at most NR_MAX_HOPS + 1); returns its length. */
int nr_reach_path(const struct nr_reach *r, uint32_t v, uint32_t *buf);

#endif
