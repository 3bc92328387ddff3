/* The persisted index (lib/snapshot.c): a handle that maps FILE-index
 * answers every query kind exactly as one that built its index; a
 * snapshot is never used once the database changed (another handle's
 * write, a migration), nor when it belongs to another database, nor
 * when it is damaged in any of its parts or inconsistent behind valid
 * checksums; patches work on a mapped index; person forget leaves no
 * copy of the person in any file; and every write of netref is counted
 * by the change counter, which a write that is not refuses to commit. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"
#include "snapshot.h"
#include "snapshot_mode.h"
#include "support.h"
#include "tempdir.h"
#include "writes.h"

#define PEOPLE 240
#define SOURCES 6

static const char *tags[] = {"catering",       "design",   "law",
                             "party planning", "printing", "tax"};
#define NTAGS (sizeof tags / sizeof *tags)

static uint64_t rng;

static uint32_t next_rand(uint32_t bound) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % bound);
}

static int setup(void **state) {
  return tempdir_setup(state, "/tmp/netref_snapshot_XXXXXX");
}

static int teardown(void **state) {
  unsetenv("NETREF_SNAPSHOT");
  return tempdir_teardown(state);
}

static void key_of(uint32_t i, char buf[16]) {
  snprintf(buf, 16, "p%03u", (unsigned)i);
}

/* A random network of PEOPLE people (seeded), imported from CSV files:
 * ties with strengths in steps of 0.05 (equal values are common, so the
 * tie-breaks matter) and dates, offers and needs of NTAGS tags. Row ids
 * get gaps (people removed afterwards) when `gaps`. */
static void make_network(const char *path, uint64_t seed, int gaps) {
  rng = seed;
  char dir[256], files[4][300];
  snprintf(dir, sizeof dir, "%s.csv", path);
  assert_int_equal(mkdir(dir, 0700), 0);
  const char *names[4] = {"people", "ties", "offers", "needs"};
  FILE *f[4];
  for (int k = 0; k < 4; k++) {
    snprintf(files[k], sizeof files[k], "%s/%s.csv", dir, names[k]);
    f[k] = fopen(files[k], "w");
    assert_non_null(f[k]);
  }
  fputs("key,name\n", f[0]);
  fputs("a,b,strength,last_contact,context\n", f[1]);
  fputs("person,tag,note\n", f[2]);
  fputs("person,tag,weight\n", f[3]);
  char a[16], b[16];
  for (uint32_t i = 0; i < PEOPLE; i++) {
    key_of(i, a);
    fprintf(f[0], "%s,Person %u\n", a, (unsigned)i);
    for (uint32_t t = 0; t < NTAGS; t++) {
      if (next_rand(9) == 0)
        fprintf(f[2], "%s,%s,\n", a, tags[t]);
      if (next_rand(7) == 0)
        fprintf(f[3], "%s,%s,%.2f\n", a, tags[t], 0.25 * (1 + next_rand(4)));
    }
  }
  for (uint32_t i = 1; i < PEOPLE; i++) {
    for (int e = 0; e < 3; e++) {
      uint32_t j = next_rand(i);
      key_of(i, a);
      key_of(j, b);
      fprintf(f[1], "%s,%s,%.2f,2026-0%u-1%u,\n", a, b,
              0.05 * (1 + next_rand(20)), 1 + next_rand(9), next_rand(9));
    }
  }
  for (int k = 0; k < 4; k++)
    fclose(f[k]);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  for (int k = 0; k < 4; k++)
    ASSERT_OK(netref_import_set_file(imp,
                                     k == 0   ? NETREF_CSV_PEOPLE
                                     : k == 1 ? NETREF_CSV_TIES
                                     : k == 2 ? NETREF_CSV_OFFERS
                                              : NETREF_CSV_NEEDS,
                                     files[k]));
  int rc = netref_import_run(db, imp);
  if (rc != NETREF_OK) /* a duplicate tie pair is refused: not here */
    fail_msg("import: %s", netref_errmsg(db));
  netref_import_free(imp);
  for (uint32_t i = 5; gaps && i < PEOPLE; i += 37) {
    key_of(i, a);
    ASSERT_OK(netref_person_remove(db, a));
  }
  netref_close(db);
  for (int k = 0; k < 4; k++)
    unlink(files[k]);
  rmdir(dir);
}

/* Open a handle with NETREF_SNAPSHOT set to `mode` (NULL: unset). */
static netref_db *open_mode(const char *path, const char *mode, int flags) {
  netref_db *db = NULL;
  ASSERT_OK(open_snapshot_mode(path, mode, flags, &db));
  return db;
}

/* Make the handle's index current; whether it came from a snapshot. */
static int index_mapped(netref_db *db) {
  ASSERT_OK(nr_index_ready(db));
  return db->index->map != NULL;
}

static char *sidecar(const char *path) {
  static char buf[4200];
  snprintf(buf, sizeof buf, "%.4000s-index", path);
  return buf;
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* ---- answers as text ---- */

/* prospects, providers, path, ask_first, matches, connectors, reconnect */
#define KINDS 7

struct text {
  char *s;
  size_t len, cap;
  size_t rows[KINDS]; /* rows seen of each query kind */
};

static void add(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (t->len + (size_t)n + 1 > t->cap) {
    t->cap = (t->len + (size_t)n + 1) * 2;
    t->s = realloc(t->s, t->cap);
    assert_non_null(t->s);
  }
  va_start(ap, fmt);
  vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  t->len += (size_t)n;
}

static void add_result(struct text *t, int kind, int rc, netref_result *r) {
  add(t, "rc %d\n", rc);
  t->rows[kind] += rc == NETREF_OK ? netref_result_count(r) : 0;
  for (size_t i = 0; rc == NETREF_OK && i < netref_result_count(r); i++) {
    const char *intro = netref_result_introducer(r, i);
    const char *tag = netref_result_tag(r, i);
    add(t, "%s %s %d %.17g %.17g %s %s:", netref_result_key(r, i),
        netref_result_name(r, i), netref_result_hops(r, i),
        netref_result_reach(r, i), netref_result_score(r, i),
        intro ? intro : "-", tag ? tag : "-");
    for (size_t k = 0; k < netref_result_path_length(r, i); k++)
      add(t, " %s", netref_result_path_key(r, i, k));
    add(t, "\n");
  }
  netref_result_free(r);
}

static void add_rows(struct text *t, int kind, int rc, netref_rows *r) {
  add(t, "rc %d\n", rc);
  t->rows[kind] += rc == NETREF_OK ? netref_rows_count(r) : 0;
  for (size_t i = 0; rc == NETREF_OK && i < netref_rows_count(r); i++) {
    for (size_t c = 0; c < netref_rows_columns(r); c++) {
      const char *cell = netref_rows_text(r, i, c);
      add(t, "%s|", cell ? cell : "NULL");
    }
    add(t, "\n");
  }
  netref_rows_free(r);
}

/* Every query kind from a few sources, as one text. (The call runs
 * before its result is read: not as arguments of one call, whose order
 * of evaluation C leaves open.) */
#define RESULT(kind, call)                                                     \
  do {                                                                         \
    r = NULL;                                                                  \
    int rc_ = (call);                                                          \
    add_result(&t, kind, rc_, r);                                              \
  } while (0)
#define ROWS(kind, call)                                                       \
  do {                                                                         \
    rows = NULL;                                                               \
    int rc_ = (call);                                                          \
    add_rows(&t, kind, rc_, rows);                                             \
  } while (0)

static char *answers(netref_db *db) {
  struct text t = {0};
  netref_options *o;
  ASSERT_OK(netref_options_new(&o));
  ASSERT_OK(netref_options_set_today(o, "2026-12-01"));
  netref_result *r = NULL;
  netref_rows *rows = NULL;
  char src[16], dst[16];
  for (uint32_t s = 0; s < SOURCES; s++) {
    key_of(s * 31 + 1, src);
    key_of(PEOPLE - 1 - s * 17, dst);
    for (int hops = 1; hops <= 3; hops++) {
      ASSERT_OK(netref_options_set_hops(o, hops));
      for (uint32_t k = 0; k < NTAGS; k += 2) {
        RESULT(0, netref_prospects(db, src, tags[k], o, &r));
        RESULT(1, netref_providers(db, src, tags[k + 1], o, &r));
      }
    }
    ASSERT_OK(netref_options_set_hops(o, 2));
    ASSERT_OK(netref_options_set_alternatives(o, 2));
    RESULT(2, netref_path(db, src, dst, o, &r));
    ROWS(3,
         netref_ask_first(db, src, tags[s % NTAGS], NETREF_ROLE_ANY, o, &rows));
    ROWS(4, netref_matches(db, src, NULL, o, &rows));
    ROWS(5, netref_connectors(db, src, o, &rows));
    ROWS(6, netref_reconnect(db, src, 30, o, &rows));
  }
  netref_options_free(o);
  /* The comparison means something only with rows to compare. */
  for (int k = 0; k < KINDS; k++)
    if (t.rows[k] == 0)
      fail_msg("query kind %d gave no rows anywhere", k);
  return t.s;
}

/* A handle on the file with a built index (snapshots off) answers. */
static char *built_answers(const char *path) {
  netref_db *db = open_mode(path, "0", NETREF_OPEN_READONLY);
  assert_false(index_mapped(db));
  char *a = answers(db);
  netref_close(db);
  return a;
}

/* A new handle maps the snapshot (or not) and answers as a built one. */
static void expect_answers(const char *path, int mapped) {
  netref_db *db = open_mode(path, NULL, NETREF_OPEN_READONLY);
  assert_int_equal(index_mapped(db), mapped);
  char *got = answers(db);
  netref_close(db);
  char *want = built_answers(path);
  assert_string_equal(got, want);
  free(got);
  free(want);
}

/* Write the snapshot of the file as it is now. */
static void write_snapshot(const char *path) {
  unlink(sidecar(path));
  netref_db *db = open_mode(path, "always", 0);
  assert_false(index_mapped(db));
  netref_close(db);
  assert_true(exists(sidecar(path)));
}

/* ---- the tests ---- */

static void same_answers_from_snapshot(void **state) {
  const char *path = db_path(state);
  make_network(path, 0x9e3779b97f4a7c15u, 0);
  /* Below the size threshold nothing is written by default. */
  netref_db *db = open_mode(path, NULL, 0);
  assert_false(index_mapped(db));
  netref_close(db);
  assert_false(exists(sidecar(path)));
  write_snapshot(path);
  struct stat st;
  assert_int_equal(stat(sidecar(path), &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  expect_answers(path, 1);
  /* Off means off: the snapshot is there and not read. */
  db = open_mode(path, "off", 0);
  assert_false(index_mapped(db));
  netref_close(db);
}

static void same_answers_with_sparse_ids(void **state) {
  const char *path = db_path(state);
  make_network(path, 12345, 1);
  write_snapshot(path);
  expect_answers(path, 1);
  /* Ids far apart: the mapping by binary search (index.h). */
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(nr_begin(db));
  ASSERT_OK(nr_exec(db, "INSERT INTO person(id, key, name)"
                        " VALUES (10000000, 'far', 'Far')"));
  ASSERT_OK(nr_commit(db));
  ASSERT_OK(t_tie_set(db, "far", "p001", 0.5, NULL, NULL));
  netref_close(db);
  write_snapshot(path);
  db = open_mode(path, NULL, 0);
  assert_true(index_mapped(db));
  assert_null(db->index->of_id);
  assert_non_null(db->index->ids);
  netref_close(db);
  expect_answers(path, 1);
}

static void read_only_handles_write_it(void **state) {
  const char *path = db_path(state);
  make_network(path, 7, 0);
  netref_db *db = open_mode(path, "always", NETREF_OPEN_READONLY);
  assert_false(index_mapped(db));
  netref_close(db);
  assert_true(exists(sidecar(path)));
  expect_answers(path, 1);
}

static void stale_after_writes(void **state) {
  const char *path = db_path(state);
  make_network(path, 99, 0);
  write_snapshot(path);
  netref_db *reader = open_mode(path, NULL, NETREF_OPEN_READONLY);
  assert_true(index_mapped(reader));
  /* Another handle writes: each kind of change makes the snapshot
   * stale for a new handle, and the long-lived reader sees it too. */
  netref_db *w = open_mode(path, NULL, 0);
  int step = 0;
  for (; step < 5; step++) {
    write_snapshot(path);
    switch (step) {
    case 0:
      ASSERT_OK(t_tie_set(w, "p001", "p200", 1.0, NULL, NULL));
      break;
    case 1:
      ASSERT_OK(netref_person_set_name(w, "p002", "Renamed"));
      break;
    case 2:
      ASSERT_OK(t_need_set(w, "p003", "catering", 1.0));
      break;
    case 3:
      ASSERT_OK(netref_person_add(w, "zz-new", "New"));
      break;
    case 4:
      ASSERT_OK(netref_tie_remove(w, "p001", "p200"));
      break;
    }
    expect_answers(path, 0);
    char *got = answers(reader), *want = built_answers(path);
    assert_string_equal(got, want);
    free(got);
    free(want);
  }
  netref_close(w);
  netref_close(reader);
  /* The handle that rebuilt wrote a fresh one, which the next uses. */
  write_snapshot(path);
  expect_answers(path, 1);
}

/* Every row of db's (patched) index holds the ties of a freshly built
 * index of the file, in the same order: walks, and the sums some answers
 * add up along them, then go the same way to the last bit. */
static void expect_rows_as_built(netref_db *db, const char *path) {
  netref_db *built = open_mode(path, "0", NETREF_OPEN_READONLY);
  ASSERT_OK(nr_index_ready(built));
  const struct nr_index *x = db->index, *y = built->index;
  assert_int_equal(x->n, y->n);
  for (uint32_t v = 0; v < x->n; v++) {
    const uint32_t *nx, *ny;
    const double *wx, *wy;
    const int32_t *dx, *dy;
    uint32_t n = nr_index_ties(x, v, &nx, &wx, &dx);
    assert_int_equal(n, nr_index_ties(y, v, &ny, &wy, &dy));
    for (uint32_t i = 0; i < n; i++) {
      assert_int_equal(nx[i], ny[i]);
      assert_true(wx[i] == wy[i]);
      assert_int_equal(dx[i], dy[i]);
    }
  }
  netref_close(built);
}

static void patches_on_a_mapped_index(void **state) {
  const char *path = db_path(state);
  make_network(path, 4242, 0);
  write_snapshot(path);
  netref_db *db = open_mode(path, NULL, 0);
  assert_true(index_mapped(db));
  for (int i = 0; i < 40; i++) {
    char a[16], b[16];
    key_of(next_rand(PEOPLE), a);
    key_of(next_rand(PEOPLE), b);
    if (strcmp(a, b) != 0)
      ASSERT_OK(t_tie_set(db, a, b, 0.05 * (1 + next_rand(20)), NULL, NULL));
    key_of(next_rand(PEOPLE), a);
    ASSERT_OK(t_need_set(db, a, tags[next_rand(NTAGS)], 0.5));
    key_of(next_rand(PEOPLE), a);
    ASSERT_OK(t_offer_set(db, a, tags[next_rand(NTAGS)], NULL));
  }
  ASSERT_OK(nr_index_ready(db));
  const struct nr_tag *t = nr_index_tag(db->index, "catering");
  assert_true(t && t->n_needers > 0);
  ASSERT_OK(netref_need_remove(db, nr_index_key(db->index, t->needers[0]),
                               "catering"));
  /* Still the mapped index, patched (not rebuilt). */
  ASSERT_OK(nr_index_ready(db));
  assert_non_null(db->index->map);
  assert_true(db->index->n_patches > 0);
  expect_rows_as_built(db, path);
  char *got = answers(db), *want = built_answers(path);
  assert_string_equal(got, want);
  free(got);
  free(want);
  netref_close(db);
}

/* ---- damaged and foreign files ---- */

static unsigned char *slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *data = malloc(*size + 1);
  assert_non_null(data);
  assert_int_equal(fread(data, 1, *size, f), *size);
  fclose(f);
  return data;
}

static void spit(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, size, f), size);
  fclose(f);
}

static struct nr_snap_chunk *chunk_of(unsigned char *file, const char *id) {
  struct nr_snap_header *h = (struct nr_snap_header *)file;
  struct nr_snap_chunk *c = (struct nr_snap_chunk *)(file + sizeof *h);
  for (uint32_t i = 0; i < h->chunks; i++)
    if (memcmp(&c[i].id, id, 4) == 0)
      return &c[i];
  return NULL;
}

static int by_page(const struct nr_snap_chunk *c) {
  return memcmp(&c->id, "NBRS", 4) == 0 || memcmp(&c->id, "WGTS", 4) == 0 ||
         memcmp(&c->id, "DAYS", 4) == 0;
}

/* After an edit: every tie page's checksum, every chunk's and the
 * header's made right, so that only the checks of values stand between
 * the file and use. */
static void reseal(unsigned char *file) {
  struct nr_snap_header *h = (struct nr_snap_header *)file;
  struct nr_snap_chunk *c = (struct nr_snap_chunk *)(file + sizeof *h);
  struct nr_snap_chunk *nbr = chunk_of(file, "NBRS"),
                       *w = chunk_of(file, "WGTS"),
                       *day = chunk_of(file, "DAYS"),
                       *sums = chunk_of(file, "TSUM");
  if (nbr && w && day && sums)
    for (uint64_t g = 0; g * NR_TIE_PAGE < h->m && (g + 1) * 8 <= sums->length;
         g++) {
      uint64_t sum =
          nr_tie_page_hash((const uint32_t *)(file + nbr->offset),
                           (const double *)(file + w->offset),
                           (const int32_t *)(file + day->offset), h->m, g);
      memcpy(file + sums->offset + g * 8, &sum, 8);
    }
  for (uint32_t i = 0; i < h->chunks; i++)
    c[i].checksum =
        by_page(&c[i]) ? 0 : nr_hash64(file + c[i].offset, c[i].length);
  h->checksum = 0;
  struct nr_hasher hs;
  nr_hash_init(&hs);
  nr_hash_add(&hs, h, sizeof *h);
  nr_hash_add(&hs, c, h->chunks * sizeof *c);
  h->checksum = nr_hash_end(&hs);
}

/* Put `data` as the snapshot: a new handle must ignore it, build, and
 * answer right (no crash: ASan in the sanitizer build). */
static void refused(const char *path, const void *data, size_t size,
                    const char *what) {
  spit(sidecar(path), data, size);
  netref_db *db = open_mode(path, NULL, NETREF_OPEN_READONLY);
  if (index_mapped(db))
    fail_msg("a snapshot with %s was used", what);
  netref_close(db);
}

/* Put `data` as the snapshot: a new handle maps it (the damage is in a
 * tie page, which is checked when first read), and the first read of a
 * row on that page finds it, reads the row again from the database, and
 * discards the file; every row read is then the built one's, and the
 * handle builds its index before its next query. */
static void repaired(const char *path, const void *data, size_t size,
                     const char *what) {
  spit(sidecar(path), data, size);
  netref_db *db = open_mode(path, NULL, NETREF_OPEN_READONLY);
  if (!index_mapped(db))
    fail_msg("a snapshot with %s in a tie page was not mapped", what);
  assert_non_null(db->index->pages);
  expect_rows_as_built(db, path);
  if (!db->index->pages->damaged)
    fail_msg("a snapshot with %s in a tie page was read as sound", what);
  if (exists(sidecar(path)))
    fail_msg("a snapshot with %s in a tie page was kept", what);
  assert_false(index_mapped(db)); /* built again */
  netref_close(db);
  expect_answers(path, 0);
}

static void damaged_files_ignored(void **state) {
  const char *path = db_path(state);
  make_network(path, 31337, 1);
  write_snapshot(path);
  size_t size;
  unsigned char *good = slurp(sidecar(path), &size);
  unsigned char *bad = malloc(size);
  assert_non_null(bad);
  /* The good file itself is used (the edits below are what fails). */
  spit(sidecar(path), good, size);
  netref_db *db = open_mode(path, NULL, NETREF_OPEN_READONLY);
  assert_true(index_mapped(db));
  netref_close(db);

  refused(path, "", 0, "nothing in it");
  size_t cuts[] = {1,
                   8,
                   sizeof(struct nr_snap_header) - 1,
                   sizeof(struct nr_snap_header) + 5,
                   size / 2,
                   size - 1};
  for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
    refused(path, good, cuts[i], "a truncated file");
  unsigned char *longer = malloc(size + 64);
  assert_non_null(longer);
  memcpy(longer, good, size);
  memset(longer + size, 0, 64);
  refused(path, longer, size + 64, "bytes after its end");
  free(longer);
  rng = 5;
  for (size_t i = 0; i < size; i++)
    bad[i] = (unsigned char)next_rand(256);
  refused(path, bad, size, "garbage");
  /* A flipped byte anywhere: in the header, the table, each chunk. */
  for (size_t at = 0; at < sizeof(struct nr_snap_header) + 64; at += 3) {
    memcpy(bad, good, size);
    bad[at] ^= 0x10;
    refused(path, bad, size, "a flipped header or table byte");
  }
  struct nr_snap_header *h = (struct nr_snap_header *)good;
  struct nr_snap_chunk *c = (struct nr_snap_chunk *)(good + sizeof *h);
  for (uint32_t i = 0; i < h->chunks; i++) {
    if (c[i].length == 0)
      continue;
    for (int where = 0; where < 3; where++) {
      memcpy(bad, good, size);
      bad[c[i].offset + (c[i].length - 1) * (size_t)where / 2] ^= 0x01;
      if (by_page(&c[i]))
        repaired(path, bad, size, "a flipped byte");
      else
        refused(path, bad, size, "a flipped byte in a chunk");
    }
  }
  /* A wrong magic, format version, byte order, word size, checksums
   * made right: refused for what they say. */
  struct nr_snap_header *bh = (struct nr_snap_header *)bad;
  memcpy(bad, good, size);
  bh->magic[0] = 'X';
  reseal(bad);
  refused(path, bad, size, "a wrong magic");
  for (uint32_t v = 1; v <= 3; v += 2) { /* the one before, the one after */
    memcpy(bad, good, size);
    bh->version = v;
    reseal(bad);
    refused(path, bad, size, "another format version");
  }
  memcpy(bad, good, size);
  bh->byte_order = 0x04030201;
  reseal(bad);
  refused(path, bad, size, "another byte order");
  memcpy(bad, good, size);
  bh->word_size = 4;
  reseal(bad);
  refused(path, bad, size, "another word size");
  memcpy(bad, good, size);
  bh->schema -= 1;
  reseal(bad);
  refused(path, bad, size, "an older schema version");
  memcpy(bad, good, size);
  bh->changes -= 1;
  reseal(bad);
  refused(path, bad, size, "an older change count");
  memcpy(bad, good, size);
  bh->chunks -= 1;
  reseal(bad);
  refused(path, bad, size, "a chunk missing");
  free(bad);
  free(good);
}

/* A change to one array of a good file, resealed: the structure checks
 * must catch what the checksums no longer can. */
typedef void (*edit_fn)(unsigned char *file, struct nr_snap_header *h);

static uint32_t *u32(unsigned char *f, const char *id) {
  return (uint32_t *)(f + chunk_of(f, id)->offset);
}

static void nbr_out_of_range(unsigned char *f, struct nr_snap_header *h) {
  u32(f, "NBRS")[h->m / 2] = (uint32_t)h->n;
}
static void rows_descending(unsigned char *f, struct nr_snap_header *h) {
  uint64_t *off = (uint64_t *)(f + chunk_of(f, "OFFS")->offset);
  off[h->n / 2] = off[h->n / 2 + 1] + 1;
}
static void rows_past_the_end(unsigned char *f, struct nr_snap_header *h) {
  uint64_t *off = (uint64_t *)(f + chunk_of(f, "OFFS")->offset);
  off[h->n] += 1;
}
static void rank_not_inverse(unsigned char *f, struct nr_snap_header *h) {
  uint32_t *rank = u32(f, "RANK");
  rank[0] = rank[1];
  (void)h;
}
static void by_key_out_of_range(unsigned char *f, struct nr_snap_header *h) {
  u32(f, "BYKY")[3] = (uint32_t)h->n + 7;
}
static void keys_out_of_order(unsigned char *f, struct nr_snap_header *h) {
  uint32_t *by_key = u32(f, "BYKY"), *rank = u32(f, "RANK");
  uint32_t a = by_key[1], b = by_key[2];
  by_key[1] = b;
  by_key[2] = a;
  rank[a] = 2;
  rank[b] = 1;
  (void)h;
}
static void string_past_the_end(unsigned char *f, struct nr_snap_header *h) {
  u32(f, "KEYS")[1] = (uint32_t)h->strings_len;
}
static void strings_unterminated(unsigned char *f, struct nr_snap_header *h) {
  f[chunk_of(f, "STRS")->offset + h->strings_len - 1] = 'x';
}
static void strength_zero(unsigned char *f, struct nr_snap_header *h) {
  double *w = (double *)(f + chunk_of(f, "WGTS")->offset);
  w[h->m / 3] = 0;
}
static void strength_nan(unsigned char *f, struct nr_snap_header *h) {
  double *w = (double *)(f + chunk_of(f, "WGTS")->offset);
  w[h->m / 3] = 0.0 / 0.0;
}
static void day_out_of_range(unsigned char *f, struct nr_snap_header *h) {
  int32_t *day = (int32_t *)(f + chunk_of(f, "DAYS")->offset);
  day[h->m / 4] = INT32_MIN + 1; /* today - day would overflow */
}
static void holder_out_of_range(unsigned char *f, struct nr_snap_header *h) {
  u32(f, "NEED")[0] = (uint32_t)h->n;
}
static void holders_unsorted(unsigned char *f, struct nr_snap_header *h) {
  uint32_t *need = u32(f, "NEED");
  uint32_t x = need[0];
  need[0] = need[1];
  need[1] = x;
  (void)h;
}
static void tag_lists_past_the_end(unsigned char *f, struct nr_snap_header *h) {
  struct nr_snap_tag *t =
      (struct nr_snap_tag *)(f + chunk_of(f, "TAGS")->offset);
  t[1].need_first = h->needs + 1;
}
static void tags_out_of_order(unsigned char *f, struct nr_snap_header *h) {
  struct nr_snap_tag *t =
      (struct nr_snap_tag *)(f + chunk_of(f, "TAGS")->offset);
  uint32_t x = t[0].name;
  t[0].name = t[1].name;
  t[1].name = x;
  (void)h;
}
static void of_id_out_of_range(unsigned char *f, struct nr_snap_header *h) {
  int32_t *of_id = (int32_t *)(f + chunk_of(f, "OFID")->offset);
  of_id[h->id_span] = (int32_t)h->n;
}
static void span_too_wide(unsigned char *f, struct nr_snap_header *h) {
  (void)f;
  h->id_span += 1; /* the table no longer has its length */
}
static void header_counts_lie(unsigned char *f, struct nr_snap_header *h) {
  h->n += 1;
  (void)f;
}

/* The day numbers snapshot_pages.c checks days against. */
static void first_and_last_days(void **state) {
  (void)state;
  int32_t day;
  assert_int_equal(nr_parse_date("0001-01-01", &day), 0);
  assert_int_equal(day, NR_FIRST_DAY);
  assert_int_equal(nr_parse_date("9999-12-31", &day), 0);
  assert_int_equal(day, NR_LAST_DAY);
}

static void inconsistent_files_ignored(void **state) {
  const char *path = db_path(state);
  make_network(path, 2024, 1); /* gaps: the of_id mapping */
  write_snapshot(path);
  size_t size;
  unsigned char *good = slurp(sidecar(path), &size);
  assert_non_null(chunk_of(good, "OFID"));
  unsigned char *bad = malloc(size);
  assert_non_null(bad);
  static const struct {
    edit_fn edit;
    const char *what;
    int in_page; /* found when the page is first read */
  } edits[] = {
      {nbr_out_of_range, "a neighbour past n", 1},
      {rows_descending, "row starts going down", 0},
      {rows_past_the_end, "rows past the tie count", 0},
      {rank_not_inverse, "rank and by_key not inverse", 0},
      {by_key_out_of_range, "by_key past n", 0},
      {keys_out_of_order, "keys out of order", 0},
      {string_past_the_end, "a key offset past the strings", 0},
      {strings_unterminated, "strings without their last NUL", 0},
      {strength_zero, "a strength of 0", 1},
      {strength_nan, "a strength NaN", 1},
      {day_out_of_range, "a day no date gives", 1},
      {holder_out_of_range, "a needer past n", 0},
      {holders_unsorted, "needers out of order", 0},
      {tag_lists_past_the_end, "a tag's list past the end", 0},
      {tags_out_of_order, "tags out of order", 0},
      {of_id_out_of_range, "an id mapped past n", 0},
      {span_too_wide, "an id span without its table", 0},
      {header_counts_lie, "a people count that lies", 0},
  };
  for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
    memcpy(bad, good, size);
    edits[i].edit(bad, (struct nr_snap_header *)bad);
    reseal(bad);
    if (edits[i].in_page)
      repaired(path, bad, size, edits[i].what);
    else
      refused(path, bad, size, edits[i].what);
  }
  free(bad);
  free(good);
}

static long long changes(const char *path) {
  sqlite3 *s = NULL;
  assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  sqlite3_stmt *st = NULL;
  assert_int_equal(
      sqlite3_prepare_v2(s, "SELECT changes FROM netref_state", -1, &st, NULL),
      SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long long n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(s);
  return n;
}

static void another_database_refused(void **state) {
  const char *path = db_path(state);
  char other[300];
  snprintf(other, sizeof other, "%s.other.db", path);
  make_network(path, 77, 0);
  make_network(other, 77, 0); /* the same network, another file */
  write_snapshot(other);
  size_t size;
  unsigned char *theirs = slurp(sidecar(other), &size);
  refused(path, theirs, size, "another database's identity");
  free(theirs);
  /* A copy of the file is the same database (the same identity) until
   * one of them changes; two copies that then took the same number of
   * writes still differ in their stamps. */
  char copy[300];
  snprintf(copy, sizeof copy, "%s.copy.db", path);
  size_t db_size;
  unsigned char *bytes = slurp(path, &db_size); /* closed: no WAL */
  spit(copy, bytes, db_size);
  free(bytes);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_set_name(db, "p001", "Changed here"));
  netref_close(db);
  ASSERT_OK(netref_open(copy, &db));
  ASSERT_OK(netref_person_set_name(db, "p001", "Changed there"));
  netref_close(db);
  assert_int_equal(changes(path), changes(copy));
  write_snapshot(path);
  theirs = slurp(sidecar(path), &size);
  refused(copy, theirs, size, "a diverged copy's stamp");
  free(theirs);
}

static void not_used_after_a_migration(void **state) {
  const char *path = db_path(state);
  make_network(path, 5, 0);
  write_snapshot(path);
  /* The file as an older netref left it (before netref_state), then
   * upgraded by this one on a read-write open: a new identity. */
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  db->uncounted_ok = 1; /* as another program would, without netref */
  ASSERT_OK(nr_exec(db, TIES_TWICE_SQL "DROP TABLE netref_state;"
                                       " PRAGMA user_version = 4"));
  db->uncounted_ok = 0;
  netref_close(db);
  db = open_mode(path, NULL, 0);
  assert_int_equal(db->schema_version, T_SCHEMA_VERSION);
  assert_false(index_mapped(db));
  netref_close(db);
  expect_answers(path, 0);
}

/* Whether any file in dir holds the bytes of s. */
static int dir_holds(const char *dir, const char *s) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int found = 0;
  for (struct dirent *e; !found && (e = readdir(d)) != NULL;) {
    char name[512];
    snprintf(name, sizeof name, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(name, &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    size_t size;
    unsigned char *data = slurp(name, &size);
    for (size_t i = 0; !found && i + strlen(s) <= size; i++)
      found = memcmp(data + i, s, strlen(s)) == 0;
    free(data);
  }
  closedir(d);
  return found;
}

static void forget_leaves_no_snapshot(void **state) {
  const char *path = db_path(state);
  const char *dir = ((struct tempdir_fixture *)*state)->dir;
  make_network(path, 8, 0);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  ASSERT_OK(netref_person_add(db, "secret-key-4711", "Secret Name 4711"));
  ASSERT_OK(t_tie_set(db, "secret-key-4711", "p001", 0.9, NULL, NULL));
  netref_close(db);
  write_snapshot(path);
  assert_true(dir_holds(dir, "secret-key-4711"));
  /* What a writer killed before its rename leaves, where the file
   * system has no unnamed temporary files. */
  char tmp[4300];
  snprintf(tmp, sizeof tmp, "%s.tmpAbC123", sidecar(path));
  size_t size;
  unsigned char *data = slurp(sidecar(path), &size);
  spit(tmp, data, size);
  free(data);
  db = open_mode(path, "always", 0);
  assert_true(index_mapped(db));
  ASSERT_OK(netref_person_forget(db, "secret-key-4711"));
  assert_false(exists(sidecar(path)));
  assert_false(exists(tmp));
  assert_false(dir_holds(dir, "secret-key-4711"));
  assert_false(dir_holds(dir, "Secret Name 4711"));
  /* The next build writes a snapshot without them. */
  assert_false(index_mapped(db));
  netref_close(db);
  assert_true(exists(sidecar(path)));
  assert_false(dir_holds(dir, "secret-key-4711"));
}

/* ---- the change counter ---- */

static void every_write_is_counted(void **state) {
  const char *path = db_path(state);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(path, &db));
  long long last = changes(path);
#define COUNTED(call)                                                          \
  do {                                                                         \
    ASSERT_OK(call);                                                           \
    long long now_ = changes(path);                                            \
    if (now_ <= last)                                                          \
      fail_msg("%s did not count", #call);                                     \
    last = now_;                                                               \
  } while (0)
  COUNTED(netref_person_add(db, "a", "A"));
  COUNTED(netref_person_add(db, "b", NULL));
  COUNTED(netref_person_add(db, "c", NULL));
  COUNTED(netref_person_set_name(db, "a", "Ana"));
  COUNTED(netref_person_set_attr(db, "a", "city", "Lisbon"));
  COUNTED(t_tie_set(db, "a", "b", 0.5, NULL, NULL));
  COUNTED(t_offer_set(db, "a", "design", NULL));
  COUNTED(t_need_set(db, "b", "design", 0.5));
  COUNTED(netref_need_remove(db, "b", "design"));
  COUNTED(netref_offer_remove(db, "a", "design"));
  COUNTED(netref_group_add(db, "g", "G"));
  COUNTED(netref_group_join(db, "g", "a"));
  COUNTED(netref_group_set_name(db, "g", "Gee"));
  COUNTED(netref_group_leave(db, "g", "a"));
  COUNTED(netref_group_remove(db, "g"));
  COUNTED(
      netref_tag_relate(db, "web design", NETREF_RELATION_BROADER, "design"));
  COUNTED(
      netref_tag_unrelate(db, "web design", NETREF_RELATION_BROADER, "design"));
  COUNTED(t_contact_log(db, "a", "c", "2026-01-02", NULL, NULL, NULL));
  COUNTED(netref_tie_remove(db, "a", "b"));
  COUNTED(netref_person_merge(db, "a", "c"));
  COUNTED(netref_person_remove(db, "b"));
  /* A failed write counts nothing, and commits nothing; nor does one
   * that finds nothing to change. */
  assert_int_equal(netref_person_add(db, "a", NULL), NETREF_EEXISTS);
  assert_int_equal(changes(path), last);
  assert_int_equal(netref_tie_remove(db, "a", "c"), NETREF_ENOTFOUND);
  assert_int_equal(netref_offer_remove(db, "a", "design"), NETREF_ENOTFOUND);
  ASSERT_OK(netref_group_add(db, "h", NULL));
  last = changes(path);
  assert_int_equal(netref_group_leave(db, "h", "a"), NETREF_ENOTFOUND);
  assert_int_equal(changes(path), last);
  /* A write on the handle's connection that bypasses the counter is
   * refused at its commit. */
  assert_int_not_equal(sqlite3_exec(db->sql,
                                    "INSERT INTO person(key, name)"
                                    " VALUES ('raw', 'Raw')",
                                    NULL, NULL, NULL),
                       SQLITE_OK);
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_list(db, &rows));
  assert_int_equal(netref_rows_count(rows), 1);
  netref_rows_free(rows);
  netref_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(same_answers_from_snapshot, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(same_answers_with_sparse_ids, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(read_only_handles_write_it, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(stale_after_writes, setup, teardown),
      cmocka_unit_test_setup_teardown(patches_on_a_mapped_index, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(damaged_files_ignored, setup, teardown),
      cmocka_unit_test(first_and_last_days),
      cmocka_unit_test_setup_teardown(inconsistent_files_ignored, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(another_database_refused, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(not_used_after_a_migration, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(forget_leaves_no_snapshot, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(every_write_is_counted, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
