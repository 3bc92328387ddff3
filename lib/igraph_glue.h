/* The boundary to igraph (DESIGN section 8). igraph keeps process-wide
 * state (its error and warning handlers and its stack of objects to free
 * on error: Debian's 0.10 is built without thread-local storage) and its
 * default error handler aborts. So every igraph call netref makes runs
 * between nr_igraph_enter() and nr_igraph_leave(), which
 *   - hold one process-wide mutex, so that netref's igraph calls from
 *     different handles (threads) never overlap;
 *   - install an error handler that records igraph's first non-empty
 *     message, frees igraph's temporaries and returns, a warning
 *     handler that drops the warning (the library never prints) and an
 *     interruption handler that honours netref_interrupt(), and restore
 *     the host program's handlers afterwards.
 * No igraph type leaves lib/; igraph_integer_t (64-bit here) is converted
 * where the data crosses. */
#ifndef NETREF_IGRAPH_GLUE_H
#define NETREF_IGRAPH_GLUE_H

#include <igraph.h>

#include "internal.h"

struct nr_igraph_guard {
  igraph_error_handler_t *prev_error;
  igraph_warning_handler_t *prev_warning;
  igraph_interruption_handler_t *prev_interruption;
};

/* Take the lock and install netref's handlers, including one that stops
 * igraph's long loops when netref_interrupt(db) is called. */
void nr_igraph_enter(struct nr_igraph_guard *g, netref_db *db);
/* Restore the previous handlers and release the lock. */
void nr_igraph_leave(struct nr_igraph_guard *g);

/* Between enter and leave: turn the igraph error `err` of the call named
 * `what` into a netref code (NETREF_ENOMEM, NETREF_ELIMIT for an
 * overflow, NETREF_ECANCELED for an interruption, else NETREF_ERROR) with a
 * message carrying igraph's own. */
int nr_igraph_fail(netref_db *db, igraph_error_t err, const char *what);

#endif
