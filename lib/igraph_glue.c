/* The boundary to igraph: one process-wide lock, handlers that return
 * instead of aborting or printing, igraph errors as netref codes. */
#include <pthread.h>
#include <stdio.h>

#include "igraph_glue.h"

static pthread_mutex_t igraph_lock = PTHREAD_MUTEX_INITIALIZER;

/* igraph's first non-empty message since nr_igraph_enter(); guarded by
 * igraph_lock, as are igraph's own globals. */
static char igraph_reason[NR_ERRMSG_SIZE];
/* The handle whose igraph call runs; guarded by igraph_lock. */
static const netref_db *igraph_db;

/* igraph calls the handler once per level it unwinds, with an empty
 * reason above the level that failed: keep the first real one. The
 * reason may live in memory the free below releases, so copy it first. */
static void record_error(const char *reason, const char *file, int line,
                         igraph_error_t err) {
  (void)file;
  (void)line;
  (void)err;
  if (igraph_reason[0] == '\0' && reason && reason[0] != '\0') {
    snprintf(igraph_reason, sizeof igraph_reason, "%s", reason);
  }
  IGRAPH_FINALLY_FREE();
}

static void drop_warning(const char *reason, const char *file, int line) {
  (void)reason;
  (void)file;
  (void)line;
}

/* igraph returns IGRAPH_INTERRUPTED without calling the error handler,
 * so its stack of temporaries to free is emptied here, as the error
 * handler does; left alone, it would point into returned stack frames. */
static igraph_error_t check_stop(void *data) {
  (void)data;
  if (!igraph_db || !nr_interrupted(igraph_db))
    return IGRAPH_SUCCESS;
  IGRAPH_FINALLY_FREE();
  return IGRAPH_INTERRUPTED;
}

void nr_igraph_enter(struct nr_igraph_guard *g, netref_db *db) {
  pthread_mutex_lock(&igraph_lock);
  igraph_reason[0] = '\0';
  igraph_db = db;
  g->prev_error = igraph_set_error_handler(record_error);
  g->prev_warning = igraph_set_warning_handler(drop_warning);
  g->prev_interruption = igraph_set_interruption_handler(check_stop);
}

void nr_igraph_leave(struct nr_igraph_guard *g) {
  igraph_set_interruption_handler(g->prev_interruption);
  igraph_db = NULL;
  igraph_set_warning_handler(g->prev_warning);
  igraph_set_error_handler(g->prev_error);
  pthread_mutex_unlock(&igraph_lock);
}

int nr_igraph_fail(netref_db *db, igraph_error_t err, const char *what) {
  int code = err == IGRAPH_ENOMEM        ? NETREF_ENOMEM
             : err == IGRAPH_EOVERFLOW   ? NETREF_ELIMIT
             : err == IGRAPH_INTERRUPTED ? NETREF_ECANCELED
                                         : NETREF_ERROR;
  return nr_fail(db, code, "%s: %s%s%s", what, igraph_strerror(err),
                 igraph_reason[0] ? ": " : "", igraph_reason);
}
