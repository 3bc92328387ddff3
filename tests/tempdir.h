/* Temporary directories of the tests that work on real files. */
#ifndef NETREF_TEST_TEMPDIR_H
#define NETREF_TEST_TEMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netref.h"

/* Remove a file or a directory with everything below it. */
static inline void remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
          continue;
        char sub[4096];
        int n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (n > 0 && (size_t)n < sizeof sub)
          remove_tree(sub);
      }
      closedir(d);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* A cmocka fixture: a fresh directory made from `pattern` (mkdtemp's
 * XXXXXX at its end) and a database path in it, removed with everything
 * in it by tempdir_teardown. */
struct tempdir_fixture {
  char dir[64];
  char path[128];
  netref_db *db; /* NULL, or opened by db_fixture_setup */
};

static inline int tempdir_setup(void **state, const char *pattern) {
  struct tempdir_fixture *fx = calloc(1, sizeof *fx);
  if (!fx)
    return -1;
  snprintf(fx->dir, sizeof fx->dir, "%s", pattern);
  if (!mkdtemp(fx->dir)) {
    free(fx);
    return -1;
  }
  snprintf(fx->path, sizeof fx->path, "%s/net.db", fx->dir);
  *state = fx;
  return 0;
}

static inline int tempdir_teardown(void **state) {
  struct tempdir_fixture *fx = *state;
  netref_close(fx->db);
  remove_tree(fx->dir);
  free(fx);
  return 0;
}

/* The same with the database opened (fx->db); tempdir_teardown closes
 * it. */
static inline int db_fixture_setup(void **state, const char *pattern) {
  if (tempdir_setup(state, pattern) != 0)
    return -1;
  struct tempdir_fixture *fx = *state;
  if (netref_open(fx->path, &fx->db) != NETREF_OK) {
    tempdir_teardown(state);
    return -1;
  }
  return 0;
}

/* The fixture's database path. */
static inline const char *db_path(void **state) {
  return ((struct tempdir_fixture *)*state)->path;
}

#endif
