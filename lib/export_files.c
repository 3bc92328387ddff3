/* The files of an export, never half-written: each is written under a
 * temporary name beside its target (the same file system, so that the
 * final rename is atomic), flushed to disk, and renamed over its name
 * only once everything is written; any failure removes what was
 * written. A directory format writes into a temporary directory, which
 * becomes the target (see netref.h, "Export", for an existing one). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"

/* stdio's buffer is a few kilobytes; exports write hundreds of
 * megabytes. */
#define OUT_BUFFER (1 << 16)

static char *joined(const char *a, const char *sep, const char *b) {
  size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s%s%s", a, sep, b);
  return s;
}

/* The directory holding path and the last component of path (trailing
 * slashes ignored), as new strings. */
static int split_path(const char *path, char **dir, char **base) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/')
    n--;
  size_t slash = n;
  while (slash > 0 && path[slash - 1] != '/')
    slash--;
  *base = strndup(path + slash, n - slash);
  *dir = slash == 0   ? strdup(".")
         : slash == 1 ? strdup("/")
                      : strndup(path, slash - 1);
  return *dir && *base ? 0 : -1;
}

static int fail_io(netref_db *db, const char *path, const char *what) {
  return nr_fail(db, NETREF_EIO, "%s: %s: %s", path, what, strerror(errno));
}

/* Flush a directory's entries (a rename) to disk. */
static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

static int open_stream(netref_db *db, struct nr_outset *set, size_t i, int fd) {
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    errno = e;
    return fail_io(db, set->out[i].path, "cannot create");
  }
  setvbuf(f, NULL, _IOFBF, OUT_BUFFER);
  set->out[i].f = f;
  return NETREF_OK;
}

/* One file: a temporary file beside the target. */
static int open_one(netref_db *db, struct nr_outset *set, const char *dir,
                    const char *base) {
  struct stat st;
  if (stat(set->target, &st) == 0 && S_ISDIR(st.st_mode))
    return nr_fail(db, NETREF_EIO, "%s: is a directory", set->target);
  set->n = 1;
  set->out[0].path = strdup(set->target);
  set->tmp[0] = joined(dir, "/.", base);
  char *tmp = set->tmp[0] ? joined(set->tmp[0], ".", "XXXXXX") : NULL;
  free(set->tmp[0]);
  set->tmp[0] = tmp;
  if (!set->out[0].path || !tmp)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  int fd = mkstemp(tmp); /* 0600 */
  if (fd < 0) {
    free(tmp);
    set->tmp[0] = NULL;
    return fail_io(db, set->target, "cannot create a file there");
  }
  return open_stream(db, set, 0, fd);
}

/* A directory of files: a temporary directory beside the target. */
static int open_dir(netref_db *db, struct nr_outset *set, const char *dir,
                    const char *base, const char *const *files) {
  struct stat st;
  if (stat(set->target, &st) == 0 && !S_ISDIR(st.st_mode))
    return nr_fail(db, NETREF_EIO, "%s: exists and is not a directory",
                   set->target);
  char *prefix = joined(dir, "/.", base);
  set->tmpdir = prefix ? joined(prefix, ".", "XXXXXX") : NULL;
  free(prefix);
  if (!set->tmpdir)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  if (!mkdtemp(set->tmpdir)) { /* 0700 */
    free(set->tmpdir);
    set->tmpdir = NULL;
    return fail_io(db, set->target, "cannot create a directory there");
  }
  for (size_t i = 0; files[i]; i++) {
    if (i == NR_EXPORT_MAX_FILES) /* a format with more files than room */
      return nr_fail(db, NETREF_ERROR, "too many export files");
    set->n = i + 1;
    set->out[i].path = joined(set->target, "/", files[i]);
    set->tmp[i] = joined(set->tmpdir, "/", files[i]);
    if (!set->out[i].path || !set->tmp[i])
      return nr_fail(db, NETREF_ENOMEM, "out of memory");
    int fd = open(set->tmp[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int rc = open_stream(db, set, i, fd);
    if (rc != NETREF_OK)
      return rc;
  }
  return NETREF_OK;
}

int nr_outset_open(netref_db *db, struct nr_outset *set, const char *path,
                   const char *const *files) {
  memset(set, 0, sizeof *set);
  char *dir = NULL, *base = NULL;
  set->target = strdup(path);
  int rc = !set->target || split_path(path, &dir, &base)
               ? nr_fail(db, NETREF_ENOMEM, "out of memory")
               : NETREF_OK;
  if (rc == NETREF_OK && (!*base || !strcmp(base, ".") || !strcmp(base, "..")))
    rc = nr_fail(db, NETREF_EINVAL,
                 "%s: name the file or directory to write (not . or ..)", path);
  if (rc == NETREF_OK)
    rc = files ? open_dir(db, set, dir, base, files)
               : open_one(db, set, dir, base);
  set->parent = dir;
  free(base);
  if (rc != NETREF_OK)
    nr_outset_discard(set);
  return rc;
}

int nr_outset_finish(netref_db *db, struct nr_outset *set) {
  int rc = NETREF_OK;
  for (size_t i = 0; i < set->n; i++) {
    FILE *f = set->out[i].f;
    if (!f)
      continue;
    set->out[i].f = NULL;
    int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
      bad = 1;
      e = errno;
    }
    if (bad && rc == NETREF_OK) {
      errno = e;
      rc = fail_io(db, set->out[i].path, "cannot write");
    }
  }
  return rc;
}

/* Into an existing, non-empty directory: each file over its namesake. */
static int commit_each(netref_db *db, struct nr_outset *set) {
  for (size_t i = 0; i < set->n; i++) {
    if (rename(set->tmp[i], set->out[i].path) != 0)
      return fail_io(db, set->out[i].path, "cannot replace");
    free(set->tmp[i]);
    set->tmp[i] = NULL;
  }
  rmdir(set->tmpdir);
  sync_dir(set->target);
  return NETREF_OK;
}

int nr_outset_commit(netref_db *db, struct nr_outset *set) {
  if (!set->tmpdir) {
    if (rename(set->tmp[0], set->target) != 0)
      return fail_io(db, set->target, "cannot replace");
    free(set->tmp[0]);
    set->tmp[0] = NULL;
  } else if (rename(set->tmpdir, set->target) == 0) {
    for (size_t i = 0; i < set->n; i++) {
      free(set->tmp[i]);
      set->tmp[i] = NULL;
    }
  } else if (errno == ENOTEMPTY || errno == EEXIST) {
    int rc = commit_each(db, set);
    if (rc != NETREF_OK)
      return rc;
  } else {
    return fail_io(db, set->target, "cannot create");
  }
  free(set->tmpdir);
  set->tmpdir = NULL;
  sync_dir(set->parent);
  return NETREF_OK;
}

void nr_outset_discard(struct nr_outset *set) {
  for (size_t i = 0; i < set->n; i++) {
    if (set->out[i].f)
      fclose(set->out[i].f);
    set->out[i].f = NULL;
    if (set->tmp[i])
      unlink(set->tmp[i]);
    free(set->tmp[i]);
    set->tmp[i] = NULL;
  }
  if (set->tmpdir)
    rmdir(set->tmpdir);
  free(set->tmpdir);
  set->tmpdir = NULL;
}

void nr_outset_free(struct nr_outset *set) {
  nr_outset_discard(set);
  for (size_t i = 0; i < set->n; i++)
    free(set->out[i].path);
  free(set->target);
  free(set->parent);
  memset(set, 0, sizeof *set);
}
