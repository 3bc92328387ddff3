/* killshim: an LD_PRELOAD library that kills its process right after
 * the K-th call of fsync or fdatasync has returned (issue 9, crash
 * tests). SQLite syncs the rollback journal before it writes the first
 * page of the database, and syncs the write-ahead log before a
 * checkpoint copies pages back: a kill right after each sync in turn
 * reaches the states between ("journal synced, no page written yet",
 * "WAL synced, checkpoint in progress") that a kill at a random time
 * rarely hits.
 *
 * Environment:
 *   NETREF_KILL_AT_SYNC=K   raise SIGKILL after the K-th sync (K >= 1);
 *                           unset or 0: only count.
 *   NETREF_SYNC_LOG=FILE    append "N PATH" for every sync, N counting
 *                           from 1 and PATH the file synced, so that a
 *                           test can count the sync points of a run and
 *                           name each one.
 * The count is per process; children do not inherit it (each starts
 * from 0). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*sync_fn)(int);

static long sync_calls;

static void log_sync(long n, int fd) {
  const char *log = getenv("NETREF_SYNC_LOG");
  if (!log || !*log)
    return;
  char link[64], target[512], line[600];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t len = readlink(link, target, sizeof target - 1);
  if (len < 0)
    len = 0;
  target[len] = '\0';
  int out = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (out < 0)
    return;
  int n_line = snprintf(line, sizeof line, "%ld %s\n", n, target);
  /* One write of a short line with O_APPEND: a line is never torn. */
  if (n_line > 0 && write(out, line, (size_t)n_line) < 0)
    n_line = 0;
  close(out);
}

/* Run the real sync, then count it and die if it was the K-th. */
static int sync_and_maybe_die(const char *name, int fd) {
  sync_fn real = (sync_fn)dlsym(RTLD_NEXT, name);
  int rc = real ? real(fd) : -1;
  long n = ++sync_calls;
  log_sync(n, fd);
  const char *at = getenv("NETREF_KILL_AT_SYNC");
  if (at && *at && strtol(at, NULL, 10) == n)
    raise(SIGKILL);
  return rc;
}

int fsync(int fd) { return sync_and_maybe_die("fsync", fd); }

int fdatasync(int fd) { return sync_and_maybe_die("fdatasync", fd); }
