/* netref_connectors (connectors.c): brokers by betweenness within the
 * source's k-hop network. */
#ifndef NETREF_CONNECTORS_H
#define NETREF_CONNECTORS_H

#include <stdint.h>

#include "internal.h"

/* The largest Brandes cost, people x ties of the k-hop network, that
 * netref_connectors() accepts: NETREF_CONNECTORS_MAX_COST of netref.h,
 * the one source of truth. Measured on a 2-core AMD EPYC VM (2026),
 * igraph 0.10.2: igraph_betweenness ran at 35 to 45 million units of
 * people x ties per second on sparse networks (a star and a random tree
 * of 10,001 people: 2.7 s at 1e8; k = 2 networks of netref-gen's 100k
 * network, e.g. 6,902 people and 21,749 ties: 3.7 s at 1.5e8) and 50 to
 * 80 million on denser ones (k = 3 on netref-gen's 2k and 4k networks:
 * 2.9 s at 1.6e8). At 1e8 an accepted query takes at most about 3 s. */
#define NR_CONNECTORS_MAX_COST NETREF_CONNECTORS_MAX_COST

/* netref_connectors() with another bound on people x ties (the tests use
 * a small one to reach the refusal on a small network). */
int nr_connectors_bounded(netref_db *db, const char *source,
                          const netref_options *opts, uint64_t max_cost,
                          netref_rows **out);

#endif
