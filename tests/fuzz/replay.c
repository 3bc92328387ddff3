/*
 * Replay driver: feeds files to a fuzz target's LLVMFuzzerTestOneInput
 * without libFuzzer, so that every build (gcc too, and the sanitizer
 * build) runs the seed corpus and the saved crash inputs as a ctest test.
 *
 *   fuzz_replay_TARGET PATH...
 *
 * Each PATH is a file or a directory whose files (not dot files, not
 * subdirectories) are replayed in name order. A directory that does not
 * exist counts as empty: regressions/TARGET/ exists only once a crash
 * has been saved. A broken invariant aborts, which fails the test.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  uint8_t *data = NULL;
  size_t size = 0, cap = 0;
  for (;;) {
    if (size == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *more = realloc(data, cap);
      if (!more) {
        fprintf(stderr, "%s: out of memory\n", path);
        free(data);
        fclose(f);
        return -1;
      }
      data = more;
    }
    size_t n = fread(data + size, 1, cap - size, f);
    size += n;
    if (n == 0)
      break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "%s: read error\n", path);
    free(data);
    return -1;
  }
  /* An exact-size copy, so that ASan catches a read past the input. */
  uint8_t *input = malloc(size ? size : 1);
  if (!input) {
    free(data);
    return -1;
  }
  memcpy(input, data, size);
  free(data);
  LLVMFuzzerTestOneInput(input, size);
  free(input);
  return 0;
}

static int skip_entry(const struct dirent *e) { return e->d_name[0] != '.'; }

/* Returns the number of files replayed, or -1. */
static long replay_dir(const char *dir) {
  struct dirent **names = NULL;
  int n = scandir(dir, &names, skip_entry, alphasort);
  if (n < 0) {
    fprintf(stderr, "%s: %s\n", dir, strerror(errno));
    return -1;
  }
  long done = 0;
  for (int i = 0; i < n; i++) {
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    struct stat st;
    if (done >= 0 && len > 0 && (size_t)len < sizeof path &&
        stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
      done = replay_file(path) == 0 ? done + 1 : -1;
    free(names[i]);
  }
  free(names);
  return done;
}

/* A file, a directory, or nothing (an empty directory not yet made). */
static long replay_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    if (errno == ENOENT)
      return 0;
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode))
    return replay_dir(path);
  return replay_file(path) == 0 ? 1 : -1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE-OR-DIR...\n", argv[0]);
    return 2;
  }
  long total = 0;
  for (int i = 1; i < argc; i++) {
    long n = replay_path(argv[i]);
    if (n < 0)
      return 1;
    printf("%s: %ld input(s)\n", argv[i], n);
    total += n;
  }
  printf("replayed %ld input(s)\n", total);
  return 0;
}
