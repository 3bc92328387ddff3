/* Opening a handle with NETREF_SNAPSHOT set for it alone (the library
 * reads the variable at open): shared by the snapshot's unit tests and
 * its fuzz target. */
#ifndef NETREF_TEST_SNAPSHOT_MODE_H
#define NETREF_TEST_SNAPSHOT_MODE_H

#include <stdlib.h>

#include "netref.h"

/* netref_open_with with NETREF_SNAPSHOT set to `mode` (NULL: unset),
 * unset again afterwards; netref_open_with's code. */
static inline int open_snapshot_mode(const char *path, const char *mode,
                                     int flags, netref_db **db) {
  if (mode)
    setenv("NETREF_SNAPSHOT", mode, 1);
  else
    unsetenv("NETREF_SNAPSHOT");
  int rc = netref_open_with(path, flags, db);
  unsetenv("NETREF_SNAPSHOT");
  return rc;
}

#endif
