/* The advice queries (advice.c): netref_ask_first and netref_matches. */
#ifndef NETREF_ADVICE_H
#define NETREF_ADVICE_H

#include <stdint.h>

#include "internal.h"

/* netref_matches() with other bounds on the candidate pairs it examines
 * (NETREF_MATCHES_MAX_PAIRS) and on those an answer without a limit may
 * list (NETREF_MATCHES_MAX_ROWS): the tests use small bounds to reach
 * the refusals on a small network. */
int nr_matches_bounded(netref_db *db, const char *source, const char *tag,
                       const netref_options *opts, uint64_t max_pairs,
                       uint64_t max_rows, netref_rows **out);

/* netref_ask_first() with another bound on the people its runs from the
 * contacts reach (NETREF_ASK_FIRST_MAX_REACHED), for the same reason. */
int nr_ask_first_bounded(netref_db *db, const char *source, const char *tag,
                         int role, const netref_options *opts,
                         uint64_t max_reached, netref_rows **out);

#endif
