/*
 * Fuzz target: the index snapshot loader (lib/snapshot.c, FILE-index,
 * and the tie pages checked on first use, lib/snapshot_pages.c).
 *
 * A snapshot is only considered when its header stamp equals the
 * database's, and every chunk is checksummed, so random bytes never get
 * past the header. The target therefore makes, once per process, a
 * small database (60 people, about 150 ties with strengths and dates, a
 * few offers and needs) and the snapshot of it, which is the template.
 * Each input is then a file body that the target makes current: it
 * pads the input to the template's header and table, copies the
 * template's magic, version, byte order, word size and stamp into the
 * header, sets the file size, and recomputes the tie page sums (TSUM),
 * the other chunks' checksums and the header's checksum, guarding every
 * access since the input controls the table. So the fuzzer reaches the
 * structural checks and the per-page checks behind them. Bits of the
 * header's unused `reserved` field (0 in the template) leave a field or
 * a checksum as the input has it, so those rejections are exercised too.
 *
 * A read-only handle then loads its index (from the file or, when the
 * file is refused, from the database) and the target checks:
 *  - nr_index_ready succeeds: a bad snapshot is never an error;
 *  - every row of every person reads with neighbours below n, strengths
 *    in (0, 1] and days that are dates or none, and its count agrees
 *    with the row starts (or its patch);
 *  - a mapped file whose tie page failed is removed, and when the file
 *    describes the same people as the database (same keys and row ids)
 *    each row read again from the database equals the built index's;
 *  - a prospects query from a person of the database answers OK (or
 *    NOTFOUND, when the file names its people otherwise) with scores in
 *    [0, 1] (a strength near 0 may underflow).
 * The target reaches private headers (index.h, snapshot.h) through the
 * static library, as the unit tests do.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "index.h"
#include "netref.h"
#include "snapshot.h"
#include "../snapshot_mode.h"
#include "../writes.h"

#define PEOPLE 60
#define TIES 150

static const char *const tags[] = {"catering", "design", "law", "tax"};
#define NTAGS (sizeof tags / sizeof *tags)

/* The header's reserved field (unchecked by the loader) as flags: each
 * set bit keeps that part of the input as it is. */
enum {
  KEEP_MAGIC = 1 << 0,
  KEEP_VERSION = 1 << 1,
  KEEP_BYTE_ORDER = 1 << 2,
  KEEP_WORD_SIZE = 1 << 3,
  KEEP_STAMP = 1 << 4,
  KEEP_FILE_SIZE = 1 << 5,
  KEEP_PAGE_SUMS = 1 << 6,
  KEEP_CHUNK_SUMS = 1 << 7,
  KEEP_HEADER_SUM = 1 << 8
};

/* ---- the database and the template, made once per process ---- */

static char dir[64], db_path[96], index_path[128];
static unsigned char *template_file;         /* the good snapshot's bytes */
static size_t template_size, template_front; /* header and table */
static netref_db *built;                     /* NETREF_SNAPSHOT=0 */

static void key_of(uint32_t i, char key[8]) {
  snprintf(key, 8, "p%02u", (unsigned)i);
}

/* Remove the directory and what SQLite and netref left in it. */
static void remove_dir(void) {
  netref_close(built);
  free(template_file);
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[512];
  while (d && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  if (d)
    closedir(d);
  rmdir(dir);
}

/* A fixed pseudo-random network (xorshift), so every process fuzzes the
 * same database and the seed corpus stays current. */
static uint32_t next_rand(uint64_t *s, uint32_t bound) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return (uint32_t)(*s % bound);
}

static void fill_network(netref_db *db) {
  uint64_t s = 0x9e3779b97f4a7c15u;
  char a[8], b[8], date[16];
  for (uint32_t i = 0; i < PEOPLE; i++) {
    key_of(i, a);
    CHECK_OK(netref_person_add(db, a, i % 7 ? NULL : "Some Name"));
  }
  for (int t = 0; t < TIES; t++) {
    key_of(next_rand(&s, PEOPLE), a);
    key_of(next_rand(&s, PEOPLE), b);
    snprintf(date, sizeof date, "20%02u-%02u-1%u", 10 + next_rand(&s, 16),
             1 + next_rand(&s, 12), next_rand(&s, 9));
    if (strcmp(a, b) != 0) /* some ties keep no date, as in real data */
      CHECK_OK(t_tie_set(db, a, b, 0.05 * (1 + next_rand(&s, 20)),
                         t % 5 ? date : NULL, NULL));
  }
  for (uint32_t i = 0; i < PEOPLE; i += 3) {
    key_of(i, a);
    const char *tag = tags[next_rand(&s, NTAGS)];
    if (i % 2)
      CHECK_OK(t_offer_set(db, a, tag, NULL));
    else
      CHECK_OK(t_need_set(db, a, tag, 0.25 * (1 + next_rand(&s, 4))));
  }
}

static unsigned char *slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  FUZZ_CHECK(f != NULL, "%s: %s", path, strerror(errno));
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  FUZZ_CHECK(len > 0, "%s is empty", path);
  unsigned char *data = malloc((size_t)len);
  FUZZ_CHECK(data && fread(data, 1, (size_t)len, f) == (size_t)len,
             "cannot read %s", path);
  fclose(f);
  *size = (size_t)len;
  return data;
}

/* A handle with NETREF_SNAPSHOT set to `mode` (NULL: unset), which the
 * handle reads at open. */
static netref_db *open_mode(const char *mode, int flags) {
  netref_db *db = NULL;
  CHECK_OK(open_snapshot_mode(db_path, mode, flags, &db));
  return db;
}

static void init(void) {
  /* /dev/shm keeps the per-input write off the disk when it is there. */
  const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(dir, sizeof dir, "%s/netref_fuzz_snap_XXXXXX", base);
  FUZZ_CHECK(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
  snprintf(db_path, sizeof db_path, "%s/net.db", dir);
  snprintf(index_path, sizeof index_path, "%s-index", db_path);
  netref_db *db = NULL;
  CHECK_OK(netref_open(db_path, &db));
  fill_network(db);
  netref_close(db);
  db = open_mode("always", 0);
  CHECK_OK(nr_index_ready(db));
  netref_close(db);
  template_file = slurp(index_path, &template_size);
  const struct nr_snap_header *h = (const void *)template_file;
  template_front = sizeof *h + h->chunks * sizeof(struct nr_snap_chunk);
  FUZZ_CHECK(template_front <= template_size, "template too short");
  built = open_mode("0", NETREF_OPEN_READONLY);
  CHECK_OK(nr_index_ready(built));
  FUZZ_CHECK(built->index->map == NULL, "the reference index was mapped");
  atexit(remove_dir);
}

/* ---- the input made current ---- */

/* Copy the template's identity fields into the header unless kept. */
static void restamp(struct nr_snap_header *h, uint32_t keep) {
  const struct nr_snap_header *t = (const void *)template_file;
  if (!(keep & KEEP_MAGIC))
    memcpy(h->magic, t->magic, sizeof h->magic);
  if (!(keep & KEEP_VERSION))
    h->version = t->version;
  if (!(keep & KEEP_BYTE_ORDER))
    h->byte_order = t->byte_order;
  if (!(keep & KEEP_WORD_SIZE))
    h->word_size = t->word_size;
  if (!(keep & KEEP_STAMP)) {
    h->identity = t->identity;
    h->changes = t->changes;
    h->stamp = t->stamp;
    h->schema = t->schema;
  }
}

/* The table entries that fit in the file (the input sets the count). */
static uint64_t table_entries(const struct nr_snap_header *h, size_t size) {
  uint64_t fit = (size - sizeof *h) / sizeof(struct nr_snap_chunk);
  return h->chunks < fit ? h->chunks : fit;
}

/* Whether `len` bytes at `off` lie in the file, 8-byte aligned (the
 * loader wants 64; no cast below may read a misaligned word). */
static int inside(uint64_t off, uint64_t len, size_t size) {
  return off % 8 == 0 && off <= size && len <= size - off;
}

static struct nr_snap_chunk *chunk_of(unsigned char *file, size_t size,
                                      const char *id) {
  struct nr_snap_header *h = (void *)file;
  struct nr_snap_chunk *c = (void *)(file + sizeof *h);
  for (uint64_t i = 0; i < table_entries(h, size); i++)
    if (memcmp(&c[i].id, id, 4) == 0)
      return inside(c[i].offset, c[i].length, size) ? &c[i] : NULL;
  return NULL;
}

static int by_page(const struct nr_snap_chunk *c) {
  return memcmp(&c->id, "NBRS", 4) == 0 || memcmp(&c->id, "WGTS", 4) == 0 ||
         memcmp(&c->id, "DAYS", 4) == 0;
}

/* Every tie page's checksum, when the three tie arrays hold the header's
 * m entries and TSUM lies in the file. */
static void reseal_pages(unsigned char *file, size_t size) {
  const struct nr_snap_header *h = (const void *)file;
  struct nr_snap_chunk *nbr = chunk_of(file, size, "NBRS"),
                       *w = chunk_of(file, size, "WGTS"),
                       *day = chunk_of(file, size, "DAYS"),
                       *sums = chunk_of(file, size, "TSUM");
  if (!nbr || !w || !day || !sums || h->m > size || nbr->length < h->m * 4 ||
      w->length < h->m * 8 || day->length < h->m * 4)
    return;
  for (uint64_t g = 0; g * NR_TIE_PAGE < h->m && (g + 1) * 8 <= sums->length;
       g++) {
    uint64_t sum =
        nr_tie_page_hash((const uint32_t *)(file + nbr->offset),
                         (const double *)(file + w->offset),
                         (const int32_t *)(file + day->offset), h->m, g);
    memcpy(file + sums->offset + g * 8, &sum, 8);
  }
}

static void reseal_chunks(unsigned char *file, size_t size) {
  struct nr_snap_header *h = (void *)file;
  struct nr_snap_chunk *c = (void *)(file + sizeof *h);
  for (uint64_t i = 0; i < table_entries(h, size); i++)
    if (!by_page(&c[i]) && c[i].offset <= size &&
        c[i].length <= size - c[i].offset)
      c[i].checksum = nr_hash64(file + c[i].offset, c[i].length);
}

static void reseal_header(unsigned char *file, size_t size) {
  struct nr_snap_header *h = (void *)file;
  if (h->chunks > table_entries(h, size))
    return; /* the loader refuses a table past the end anyway */
  h->checksum = 0;
  struct nr_hasher hs;
  nr_hash_init(&hs);
  nr_hash_add(&hs, h, sizeof *h);
  nr_hash_add(&hs, file + sizeof *h, h->chunks * sizeof(struct nr_snap_chunk));
  h->checksum = nr_hash_end(&hs);
}

/* The input as a current snapshot file, in `*size` bytes (malloc). */
static unsigned char *make_file(const uint8_t *data, size_t len, size_t *size) {
  *size = len > template_front ? len : template_front;
  unsigned char *file = malloc(*size);
  FUZZ_CHECK(file != NULL, "out of memory");
  memcpy(file, template_file, template_front);
  if (len > 0)
    memcpy(file, data, len);
  struct nr_snap_header *h = (void *)file;
  uint32_t keep = h->reserved;
  restamp(h, keep);
  if (!(keep & KEEP_FILE_SIZE))
    h->file_size = *size;
  if (!(keep & KEEP_PAGE_SUMS))
    reseal_pages(file, *size);
  if (!(keep & KEEP_CHUNK_SUMS))
    reseal_chunks(file, *size);
  if (!(keep & KEEP_HEADER_SUM))
    reseal_header(file, *size);
  return file;
}

static void write_file(const unsigned char *file, size_t size) {
  FILE *f = fopen(index_path, "wb");
  FUZZ_CHECK(f != NULL, "%s: %s", index_path, strerror(errno));
  FUZZ_CHECK(fwrite(file, 1, size, f) == size && fclose(f) == 0,
             "cannot write %s", index_path);
}

/* ---- the checks ---- */

/* Whether ix names the same people with the same row ids as the built
 * index, so that a row read again from the database is the built one. */
static int same_people(const struct nr_index *x, const struct nr_index *y) {
  if (x->n != y->n || x->id_min != y->id_min || x->id_span != y->id_span ||
      x->contiguous != y->contiguous || !x->of_id != !y->of_id ||
      !x->ids != !y->ids)
    return 0;
  if (x->of_id &&
      memcmp(x->of_id, y->of_id, (x->id_span + 1) * sizeof *x->of_id) != 0)
    return 0;
  if (x->ids && memcmp(x->ids, y->ids, x->n * sizeof *x->ids) != 0)
    return 0;
  for (uint32_t v = 0; v < x->n; v++)
    if (strcmp(nr_index_key(x, v), nr_index_key(y, v)) != 0)
      return 0;
  return 1;
}

static void check_row(const struct nr_index *ix, uint32_t v, uint32_t count,
                      const uint32_t *nbr, const double *w,
                      const int32_t *day) {
  if (ix->patched && ix->patched[v])
    FUZZ_CHECK(count == ix->patches[ix->patched[v] - 1].n, "person %u",
               (unsigned)v);
  else /* read again it is a patch; an empty read means the database
          failed, which it cannot here */
    FUZZ_CHECK(count == ix->off[v + 1] - ix->off[v],
               "person %u: %u ties, row of %llu", (unsigned)v, (unsigned)count,
               (unsigned long long)(ix->off[v + 1] - ix->off[v]));
  for (uint32_t i = 0; i < count; i++) {
    FUZZ_CHECK(nbr[i] < ix->n, "person %u: neighbour %u of %u", (unsigned)v,
               (unsigned)nbr[i], (unsigned)ix->n);
    FUZZ_CHECK(w[i] > 0 && w[i] <= 1, "person %u: strength %g", (unsigned)v,
               w[i]);
    FUZZ_CHECK(day[i] == NR_NO_DATE ||
                   (day[i] >= NR_FIRST_DAY && day[i] <= NR_LAST_DAY),
               "person %u: day %d", (unsigned)v, (int)day[i]);
  }
}

/* A row read again from the database equals the built index's row. */
static void check_as_built(uint32_t v, uint32_t count, const uint32_t *nbr,
                           const double *w, const int32_t *day) {
  const uint32_t *bn;
  const double *bw;
  const int32_t *bd;
  uint32_t bc = nr_index_ties(built->index, v, &bn, &bw, &bd);
  FUZZ_CHECK(count == bc, "person %u: %u ties read again, %u built",
             (unsigned)v, (unsigned)count, (unsigned)bc);
  for (uint32_t i = 0; i < count; i++)
    FUZZ_CHECK(nbr[i] == bn[i] && w[i] == bw[i] && day[i] == bd[i],
               "person %u: tie %u read again differs from the built one",
               (unsigned)v, (unsigned)i);
}

static void check_rows(const struct nr_index *ix) {
  int mapped = ix->map != NULL;
  int same = mapped && same_people(ix, built->index);
  for (uint32_t v = 0; v < ix->n; v++) {
    const uint32_t *nbr;
    const double *w;
    const int32_t *day;
    uint32_t count = nr_index_ties(ix, v, &nbr, &w, &day);
    check_row(ix, v, count, nbr, w, day);
    if (same && ix->patched && ix->patched[v])
      check_as_built(v, count, nbr, w, day);
  }
  if (mapped && ix->pages && ix->pages->damaged)
    FUZZ_CHECK(access(index_path, F_OK) != 0,
               "a snapshot with a damaged tie page was kept");
}

/* One prospects query from a person of the database (chosen by the
 * input); the file may name people otherwise, hence NOTFOUND. */
static void check_query(netref_db *db, const uint8_t *data, size_t len) {
  char key[8];
  uint32_t pick = len ? data[len - 1] : 0;
  key_of(pick % PEOPLE, key);
  netref_result *res = NULL;
  int rc = netref_prospects(db, key, tags[pick / PEOPLE % NTAGS], NULL, &res);
  FUZZ_CHECK(rc == NETREF_OK || rc == NETREF_ENOTFOUND, "prospects: %s: %s",
             netref_strerror(rc), netref_errmsg(db));
  for (size_t i = 0; rc == NETREF_OK && i < netref_result_count(res); i++) {
    double score = netref_result_score(res, i);
    FUZZ_CHECK(score >= 0 && score <= 1, "prospects row %zu: score %g", i,
               score);
  }
  netref_result_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!template_file)
    init();
  size_t file_size;
  unsigned char *file = make_file(data, size, &file_size);
  write_file(file, file_size);
  free(file);
  netref_db *db = open_mode(NULL, NETREF_OPEN_READONLY);
  CHECK_OK(nr_index_ready(db));
  check_rows(db->index);
  check_query(db, data, size);
  netref_close(db);
  return 0;
}
