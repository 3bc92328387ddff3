/* The persisted index (FILE-index): struct nr_index as fixed-width
 * arrays in a file that a new process maps and uses in place.
 *
 * Format (version 2), in the byte order and word size of the machine
 * that wrote it (both recorded, and a file from another kind of machine
 * is ignored), after git's commit-graph: a header, a table of chunks,
 * the chunks.
 *
 *   header   magic "NRINDEX\x1a", format version, byte-order mark,
 *            word size, number of chunks; the stamp it was built for
 *            (database identity, change counter, stamp, schema version);
 *            the counts (people, directed ties, tags, bytes of strings,
 *            holders) and how row ids map to people; the file's size;
 *            the checksum of header and table.
 *   table    per chunk: its id, offset (a multiple of 64), length and
 *            checksum.
 *   chunks   STRS the strings (keys, names, tags; NUL-terminated)
 *            KEYS NAMS uint32 offsets of each person's key and name
 *            RANK BYKY uint32 rank in key order and its inverse
 *            OFFS uint64 row starts (n + 1); NBRS uint32 neighbours,
 *            WGTS double strengths, DAYS int32 last-contact days
 *            OFID int32 row id - id_min -> person (one id mapping)
 *            IDS_ int64 row ids (the other one)
 *            TAGS per tag and one more: name offset, first needer,
 *            first offerer; NEED uint32 needers, NWGT double weights,
 *            OFFR uint32 offerers.
 *            TSUM uint64 the checksum of each tie page (NR_TIE_PAGE
 *            entries of NBRS, WGTS and DAYS; nr_tie_page_hash): the
 *            table's checksums of those three chunks are 0, as they are
 *            checked a page at a time, on first use (snapshot_pages.c).
 *
 * Current means: the header's stamp equals what the database says in
 * the read transaction that loads it (store.c's netref_state is counted
 * by every write transaction). Whole means: every size, offset and
 * checksum agrees. Consistent means: nothing in it can make a query
 * read outside an array or loop: row starts ascend to the tie count,
 * every person number is below n, strings end inside their block, rank
 * and by_key are inverse permutations, keys and tag names ascend, holder
 * lists ascend, strengths and weights are in (0, 1], days are dates of
 * years 1 to 9999. A file that fails any of it is ignored and the index
 * is built from the database. All of that is checked when the file is
 * mapped, except the tie pages' checksums and values: those are checked
 * when a query first reads a row on the page, and a page that fails is
 * not used (snapshot_pages.c). */
#define _GNU_SOURCE /* O_TMPFILE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"
#include "snapshot.h"

#define FORMAT_VERSION 2
#define BYTE_ORDER_MARK 0x01020304u
#define ALIGN 64
#define SUFFIX "-index"
static const char magic[8] = {'N', 'R', 'I', 'N', 'D', 'E', 'X', 0x1a};

enum chunk_id {
  C_STRS,
  C_KEYS,
  C_NAMS,
  C_RANK,
  C_BYKY,
  C_OFFS,
  C_NBRS,
  C_WGTS,
  C_DAYS,
  C_OFID,
  C_IDS,
  C_TAGS,
  C_NEED,
  C_NWGT,
  C_OFFR,
  C_TSUM,
  C_COUNT
};
/* The ids of the chunks in the file: four letters, as git's. */
static const char chunk_names[C_COUNT][5] = {
    "STRS", "KEYS", "NAMS", "RANK", "BYKY", "OFFS", "NBRS", "WGTS",
    "DAYS", "OFID", "IDS_", "TAGS", "NEED", "NWGT", "OFFR", "TSUM"};

/* The chunks checked a page at a time (snapshot_pages.c). */
static int by_page(int id) {
  return id == C_NBRS || id == C_WGTS || id == C_DAYS;
}

static uint64_t tie_pages(uint64_t m) {
  return m / NR_TIE_PAGE + (m % NR_TIE_PAGE != 0);
}

enum id_map { MAP_CONTIGUOUS, MAP_OF_ID, MAP_IDS };

/* The checksums cover the structs byte for byte: no padding in them. */
_Static_assert(sizeof(struct nr_snap_header) == 144, "header padding");
_Static_assert(sizeof(struct nr_snap_chunk) == 32, "chunk padding");
_Static_assert(sizeof(struct nr_snap_tag) == 24, "tag row padding");

/* ---- checksum ---- */

#define K1 0x9E3779B185EBCA87ull
#define K2 0xC2B2AE3D27D4EB4Full
#define K3 0x165667B19E3779F9ull

static inline uint64_t rotl(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

static inline uint64_t word_at(const unsigned char *p) {
  uint64_t w;
  memcpy(&w, p, sizeof w);
  return w;
}

static void hash_blocks(uint64_t lane[4], const unsigned char *p,
                        size_t blocks) {
  uint64_t a = lane[0], b = lane[1], c = lane[2], d = lane[3];
  for (size_t i = 0; i < blocks; i++, p += 32) {
    a = rotl(a + word_at(p) * K2, 31) * K1;
    b = rotl(b + word_at(p + 8) * K2, 31) * K1;
    c = rotl(c + word_at(p + 16) * K2, 31) * K1;
    d = rotl(d + word_at(p + 24) * K2, 31) * K1;
  }
  lane[0] = a;
  lane[1] = b;
  lane[2] = c;
  lane[3] = d;
}

void nr_hash_init(struct nr_hasher *h) {
  memset(h, 0, sizeof *h);
  h->lane[0] = K1 + K2;
  h->lane[1] = K2;
  h->lane[2] = 0;
  h->lane[3] = (uint64_t)0 - K1;
}

void nr_hash_add(struct nr_hasher *h, const void *data, size_t len) {
  const unsigned char *p = data;
  if (len == 0) /* an empty chunk's array may be NULL (memcpy's UB) */
    return;
  h->total += len;
  if (h->used > 0) {
    size_t take = 32 - h->used < len ? 32 - h->used : len;
    memcpy(h->tail + h->used, p, take);
    h->used += take;
    p += take;
    len -= take;
    if (h->used < 32)
      return;
    hash_blocks(h->lane, h->tail, 1);
    h->used = 0;
  }
  hash_blocks(h->lane, p, len / 32);
  p += len / 32 * 32;
  len %= 32;
  memcpy(h->tail, p, len);
  h->used = len;
}

uint64_t nr_hash_end(const struct nr_hasher *h) {
  uint64_t x = rotl(h->lane[0], 1) + rotl(h->lane[1], 7) +
               rotl(h->lane[2], 12) + rotl(h->lane[3], 18);
  for (int i = 0; i < 4; i++)
    x = (x ^ rotl(h->lane[i] * K2, 31) * K1) * K1 + K3;
  x += h->total;
  unsigned char tail[32] = {0};
  memcpy(tail, h->tail, h->used);
  for (size_t i = 0; i < h->used; i += 8)
    x = rotl(x ^ rotl(word_at(tail + i) * K2, 31) * K1, 27) * K1 + K3;
  x ^= x >> 33;
  x *= K2;
  x ^= x >> 29;
  x *= K3;
  x ^= x >> 32;
  return x;
}

uint64_t nr_hash64(const void *data, size_t len) {
  struct nr_hasher h;
  nr_hash_init(&h);
  nr_hash_add(&h, data, len);
  return nr_hash_end(&h);
}

/* ---- the stamp and the file's name ---- */

int nr_snapshot_mode(void) {
  const char *v = getenv("NETREF_SNAPSHOT");
  if (v && (strcmp(v, "0") == 0 || strcmp(v, "off") == 0))
    return NR_SNAPSHOT_OFF;
  if (v && strcmp(v, "always") == 0)
    return NR_SNAPSHOT_ALWAYS;
  return NR_SNAPSHOT_ON;
}

int nr_snapshot_stamp(netref_db *db, struct nr_stamp *out) {
  if (!db->has_state || db->memory)
    return 0;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db->sql,
                         "SELECT identity, changes, stamp,"
                         " (SELECT user_version FROM pragma_user_version)"
                         " FROM netref_state WHERE id = 1",
                         -1, &st, NULL) != SQLITE_OK)
    return 0;
  int found = sqlite3_step(st) == SQLITE_ROW;
  if (found) {
    out->identity = sqlite3_column_int64(st, 0);
    out->changes = sqlite3_column_int64(st, 1);
    out->stamp = sqlite3_column_int64(st, 2);
    out->schema = sqlite3_column_int64(st, 3);
  }
  sqlite3_finalize(st);
  return found;
}

static int same_stamp(const struct nr_snap_header *h,
                      const struct nr_stamp *s) {
  return h->identity == s->identity && h->changes == s->changes &&
         h->stamp == s->stamp && h->schema == s->schema;
}

/* FILE + suffix in a new string; NULL for ":memory:" or no memory. */
static char *sidecar_path(netref_db *db, const char *suffix) {
  const char *file = sqlite3_db_filename(db->sql, "main");
  if (db->memory || !file || !*file)
    return NULL;
  size_t n = strlen(file) + strlen(suffix) + 1;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s%s", file, suffix);
  return s;
}

/* ---- loading ---- */

/* The file mapped, and what validation found in it. */
struct mapped {
  const unsigned char *base;
  size_t size;
  const struct nr_snap_header *h;
  const void *at[C_COUNT]; /* each chunk's data, or NULL when absent */
  uint64_t len[C_COUNT];
};

static int mul_ok(uint64_t a, uint64_t b, uint64_t *out) {
  if (b != 0 && a > UINT64_MAX / b)
    return 0;
  *out = a * b;
  return 1;
}

/* The length each chunk must have, from the header's counts. */
static int expected_lengths(const struct nr_snap_header *h,
                            uint64_t want[C_COUNT]) {
  int ok =
      mul_ok(h->n, 4, &want[C_KEYS]) && mul_ok(h->m, 4, &want[C_NBRS]) &&
      mul_ok(h->m, 8, &want[C_WGTS]) && mul_ok(h->needs, 4, &want[C_NEED]) &&
      mul_ok(h->needs, 8, &want[C_NWGT]) &&
      mul_ok(h->offers, 4, &want[C_OFFR]) &&
      mul_ok(h->ntags + 1, sizeof(struct nr_snap_tag), &want[C_TAGS]) &&
      mul_ok(h->n + 1, 8, &want[C_OFFS]) && mul_ok(h->n, 8, &want[C_IDS]) &&
      mul_ok(h->id_span + 1, 4, &want[C_OFID]) &&
      mul_ok(tie_pages(h->m), 8, &want[C_TSUM]);
  want[C_STRS] = h->strings_len;
  want[C_NAMS] = want[C_RANK] = want[C_BYKY] = want[C_KEYS];
  want[C_DAYS] = want[C_NBRS];
  return ok;
}

static int header_ok(const struct mapped *f, const struct nr_stamp *stamp) {
  const struct nr_snap_header *h = f->h;
  if (f->size < sizeof *h || memcmp(h->magic, magic, sizeof magic) != 0 ||
      h->version != FORMAT_VERSION || h->byte_order != BYTE_ORDER_MARK ||
      h->word_size != sizeof(void *) || h->file_size != f->size ||
      h->chunks > C_COUNT || !same_stamp(h, stamp))
    return 0;
  size_t table = sizeof *h + (size_t)h->chunks * sizeof(struct nr_snap_chunk);
  if (table > f->size)
    return 0;
  /* Person numbers are uint32_t, int32_t in of_id (as in a build). */
  if (h->n >= INT32_MAX || h->ntags >= UINT32_MAX || h->id_map > MAP_IDS ||
      h->strings_len == 0 || h->strings_len > UINT32_MAX)
    return 0;
  struct nr_snap_header copy = *h;
  copy.checksum = 0;
  struct nr_hasher hs;
  nr_hash_init(&hs);
  nr_hash_add(&hs, &copy, sizeof copy);
  nr_hash_add(&hs, f->base + sizeof *h, table - sizeof *h);
  return nr_hash_end(&hs) == h->checksum;
}

/* The chunk_id of a table entry; C_COUNT when unknown. */
static int chunk_id_of(const struct nr_snap_chunk *c) {
  int id = 0;
  while (id < C_COUNT && memcmp(&c->id, chunk_names[id], 4) != 0)
    id++;
  return id;
}

/* Find every chunk, check its place, length and checksum (but the tie
 * arrays', which their pages have). */
static int chunks_ok(struct mapped *f) {
  const struct nr_snap_header *h = f->h;
  uint64_t want[C_COUNT];
  if (!expected_lengths(h, want))
    return 0;
  const struct nr_snap_chunk *c =
      (const struct nr_snap_chunk *)(f->base + sizeof *h);
  for (uint32_t i = 0; i < h->chunks; i++) {
    int id = chunk_id_of(&c[i]);
    if (id == C_COUNT || f->at[id] || c[i].offset % ALIGN != 0 ||
        c[i].offset > f->size || c[i].length > f->size - c[i].offset ||
        c[i].length != want[id])
      return 0;
    f->at[id] = f->base + c[i].offset;
    f->len[id] = c[i].length;
    if (!by_page(id) && nr_hash64(f->at[id], c[i].length) != c[i].checksum)
      return 0;
  }
  for (int id = 0; id < C_COUNT; id++) {
    int needed = (id != C_OFID || h->id_map == MAP_OF_ID) &&
                 (id != C_IDS || h->id_map == MAP_IDS);
    if (needed != (f->at[id] != NULL))
      return 0;
  }
  return 1;
}

static int strings_ok(const struct mapped *f, const uint32_t *at, uint64_t n) {
  for (uint64_t i = 0; i < n; i++)
    if (at[i] >= f->h->strings_len)
      return 0;
  return 1;
}

static int people_ok(const struct mapped *f) {
  const struct nr_snap_header *h = f->h;
  const char *strs = f->at[C_STRS];
  const uint32_t *keys = f->at[C_KEYS], *rank = f->at[C_RANK],
                 *by_key = f->at[C_BYKY];
  /* The block ends with a NUL, so every string inside it ends too. */
  if (strs[h->strings_len - 1] != '\0' || !strings_ok(f, keys, h->n) ||
      !strings_ok(f, f->at[C_NAMS], h->n))
    return 0;
  for (uint64_t r = 0; r < h->n; r++)
    if (by_key[r] >= h->n || rank[by_key[r]] != r ||
        (r > 0 &&
         strcmp(strs + keys[by_key[r - 1]], strs + keys[by_key[r]]) >= 0))
      return 0;
  return 1;
}

static int ids_ok(const struct mapped *f) {
  const struct nr_snap_header *h = f->h;
  if (h->n == 0)
    return h->id_map == MAP_CONTIGUOUS;
  if (h->id_map == MAP_CONTIGUOUS)
    return h->id_span == h->n - 1;
  if (h->id_map == MAP_OF_ID) {
    /* Bounded as in a build, so the table is never sized by an id. */
    if (h->id_span >= 4 * h->n + 1024)
      return 0;
    const int32_t *of_id = f->at[C_OFID];
    for (uint64_t i = 0; i <= h->id_span; i++)
      if (of_id[i] < -1 || of_id[i] >= (int64_t)h->n)
        return 0;
    return 1;
  }
  const int64_t *ids = f->at[C_IDS];
  if (ids[0] != h->id_min ||
      (uint64_t)ids[h->n - 1] - (uint64_t)h->id_min != h->id_span)
    return 0;
  for (uint64_t v = 1; v < h->n; v++)
    if (ids[v] <= ids[v - 1])
      return 0;
  return 1;
}

static int strength_ok(double w) { return w > 0 && w <= 1; }

/* The row starts; the rows themselves are checked by page. */
static int ties_ok(const struct mapped *f) {
  const struct nr_snap_header *h = f->h;
  const uint64_t *off = f->at[C_OFFS];
  if (off[0] != 0 || off[h->n] != h->m)
    return 0;
  for (uint64_t v = 0; v < h->n; v++)
    if (off[v + 1] < off[v])
      return 0;
  return 1;
}

/* A list of people, strictly ascending, each below n. */
static int holders_ok(const uint32_t *p, uint64_t count, uint64_t n) {
  for (uint64_t i = 0; i < count; i++)
    if (p[i] >= n || (i > 0 && p[i] <= p[i - 1]))
      return 0;
  return 1;
}

static int tags_ok(const struct mapped *f) {
  const struct nr_snap_header *h = f->h;
  const struct nr_snap_tag *t = f->at[C_TAGS];
  const char *strs = f->at[C_STRS];
  const double *weight = f->at[C_NWGT];
  if (t[0].need_first != 0 || t[0].offer_first != 0 ||
      t[h->ntags].need_first != h->needs ||
      t[h->ntags].offer_first != h->offers)
    return 0;
  for (uint64_t i = 0; i < h->ntags; i++) {
    if (t[i].name >= h->strings_len || t[i + 1].need_first < t[i].need_first ||
        t[i + 1].offer_first < t[i].offer_first ||
        (i > 0 && strcmp(strs + t[i - 1].name, strs + t[i].name) >= 0))
      return 0;
    const uint32_t *needers = (const uint32_t *)f->at[C_NEED] + t[i].need_first;
    const uint32_t *offerers =
        (const uint32_t *)f->at[C_OFFR] + t[i].offer_first;
    if (!holders_ok(needers, t[i + 1].need_first - t[i].need_first, h->n) ||
        !holders_ok(offerers, t[i + 1].offer_first - t[i].offer_first, h->n))
      return 0;
  }
  for (uint64_t i = 0; i < h->needs; i++)
    if (!strength_ok(weight[i]))
      return 0;
  return 1;
}

static int file_ok(struct mapped *f, const struct nr_stamp *stamp) {
  return header_ok(f, stamp) && chunks_ok(f) && people_ok(f) && ids_ok(f) &&
         ties_ok(f) && tags_ok(f);
}

/* The index over a checked mapping; NULL when out of memory. */
static struct nr_index *index_of(const struct mapped *f) {
  const struct nr_snap_header *h = f->h;
  struct nr_index *ix = calloc(1, sizeof *ix);
  if (!ix)
    return NULL;
  ix->map = f->base;
  ix->map_len = f->size;
  ix->n = (uint32_t)h->n;
  ix->strings = (char *)f->at[C_STRS];
  ix->tags = calloc((size_t)h->ntags + 1, sizeof *ix->tags);
  if (!ix->tags) {
    nr_index_free(ix);
    return NULL;
  }
  ix->key_at = (uint32_t *)f->at[C_KEYS];
  ix->name_at = (uint32_t *)f->at[C_NAMS];
  ix->rank = (uint32_t *)f->at[C_RANK];
  ix->by_key = (uint32_t *)f->at[C_BYKY];
  ix->id_min = h->id_min;
  ix->id_span = h->id_span;
  ix->contiguous = h->n > 0 && h->id_map == MAP_CONTIGUOUS;
  ix->of_id = (int32_t *)f->at[C_OFID];
  ix->ids = (int64_t *)f->at[C_IDS];
  ix->off = (uint64_t *)f->at[C_OFFS];
  ix->nbr = (uint32_t *)f->at[C_NBRS];
  ix->w = (double *)f->at[C_WGTS];
  ix->day = (int32_t *)f->at[C_DAYS];
  if (h->m > 0) {
    uint64_t pages = tie_pages(h->m);
    ix->pages = calloc(1, sizeof *ix->pages);
    if (!ix->pages ||
        !(ix->pages->checked = calloc(pages / 64 + 1, sizeof(uint64_t)))) {
      nr_index_free(ix);
      return NULL;
    }
    ix->pages->sums = f->at[C_TSUM];
  }
  const struct nr_snap_tag *t = f->at[C_TAGS];
  ix->ntags = (uint32_t)h->ntags;
  for (uint32_t i = 0; i < ix->ntags; i++) {
    struct nr_tag *tag = &ix->tags[i];
    tag->name = ix->strings + t[i].name;
    tag->n_needers = (uint32_t)(t[i + 1].need_first - t[i].need_first);
    tag->n_offerers = (uint32_t)(t[i + 1].offer_first - t[i].offer_first);
    tag->needers = (uint32_t *)f->at[C_NEED] + t[i].need_first;
    tag->need_weight = (double *)f->at[C_NWGT] + t[i].need_first;
    tag->offerers = (uint32_t *)f->at[C_OFFR] + t[i].offer_first;
  }
  return ix;
}

int nr_snapshot_load(netref_db *db, const struct nr_stamp *stamp,
                     struct nr_index **out) {
  *out = NULL;
  if (db->snapshots == NR_SNAPSHOT_OFF)
    return 0;
  char *path = sidecar_path(db, SUFFIX);
  int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
  free(path);
  struct stat st;
  if (fd < 0)
    return 0;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      (uint64_t)st.st_size < sizeof(struct nr_snap_header) ||
      (uint64_t)st.st_size > SIZE_MAX) {
    close(fd);
    return 0;
  }
  struct mapped f = {.size = (size_t)st.st_size};
  void *base = mmap(NULL, f.size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd); /* the mapping stays; this file holds no SQLite lock */
  if (base == MAP_FAILED)
    return 0;
  f.base = base;
  f.h = base;
  struct nr_index *ix = file_ok(&f, stamp) ? index_of(&f) : NULL;
  if (!ix) {
    munmap(base, f.size);
    return 0;
  }
  *out = ix;
  return 1;
}

/* ---- writing ---- */

struct writer {
  int fd, failed;
  uint64_t at;
  struct nr_snap_chunk table[C_COUNT];
  uint32_t chunks;
  struct nr_hasher hash; /* of the chunk being written */
  unsigned char buf[1 << 16];
  size_t used;
};

static void flush(struct writer *w) {
  size_t done = 0;
  while (!w->failed && done < w->used) {
    ssize_t n = write(w->fd, w->buf + done, w->used - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      w->failed = 1;
    else
      done += (size_t)n;
  }
  w->used = 0;
}

static void put_raw(struct writer *w, const void *data, size_t len) {
  const unsigned char *p = data;
  w->at += len;
  while (len > 0 && !w->failed) {
    if (w->used == sizeof w->buf)
      flush(w);
    size_t take = sizeof w->buf - w->used < len ? sizeof w->buf - w->used : len;
    memcpy(w->buf + w->used, p, take);
    w->used += take;
    p += take;
    len -= take;
  }
}

static void put(struct writer *w, const void *data, size_t len) {
  nr_hash_add(&w->hash, data, len);
  put_raw(w, data, len);
}

static void chunk_begin(struct writer *w, enum chunk_id id) {
  static const unsigned char zeros[ALIGN];
  put_raw(w, zeros, (ALIGN - w->at % ALIGN) % ALIGN);
  w->table[w->chunks] = (struct nr_snap_chunk){.offset = w->at};
  memcpy(&w->table[w->chunks].id, chunk_names[id], 4);
  nr_hash_init(&w->hash);
}

static void chunk_end(struct writer *w, enum chunk_id id) {
  struct nr_snap_chunk *c = &w->table[w->chunks++];
  c->length = w->at - c->offset;
  c->checksum = by_page(id) ? 0 : nr_hash_end(&w->hash);
}

static void chunk(struct writer *w, enum chunk_id id, const void *data,
                  size_t len) {
  chunk_begin(w, id);
  if (by_page(id))
    put_raw(w, data, len);
  else
    put(w, data, len);
  chunk_end(w, id);
}

static void tag_chunks(struct writer *w, const struct nr_index *ix) {
  struct nr_snap_tag row = {0};
  chunk_begin(w, C_TAGS);
  for (uint32_t i = 0; i <= ix->ntags; i++) {
    row.name = i < ix->ntags ? (uint32_t)(ix->tags[i].name - ix->strings) : 0;
    put(w, &row, sizeof row);
    if (i < ix->ntags) {
      row.need_first += ix->tags[i].n_needers;
      row.offer_first += ix->tags[i].n_offerers;
    }
  }
  chunk_end(w, C_TAGS);
  chunk_begin(w, C_NEED);
  for (uint32_t i = 0; i < ix->ntags; i++)
    put(w, ix->tags[i].needers, ix->tags[i].n_needers * sizeof(uint32_t));
  chunk_end(w, C_NEED);
  chunk_begin(w, C_NWGT);
  for (uint32_t i = 0; i < ix->ntags; i++)
    put(w, ix->tags[i].need_weight, ix->tags[i].n_needers * sizeof(double));
  chunk_end(w, C_NWGT);
  chunk_begin(w, C_OFFR);
  for (uint32_t i = 0; i < ix->ntags; i++)
    put(w, ix->tags[i].offerers, ix->tags[i].n_offerers * sizeof(uint32_t));
  chunk_end(w, C_OFFR);
}

static void header_of(struct nr_snap_header *h, const struct nr_index *ix,
                      const struct nr_stamp *stamp, size_t strs) {
  memset(h, 0, sizeof *h);
  memcpy(h->magic, magic, sizeof magic);
  h->version = FORMAT_VERSION;
  h->byte_order = BYTE_ORDER_MARK;
  h->word_size = sizeof(void *);
  h->identity = stamp->identity;
  h->changes = stamp->changes;
  h->stamp = stamp->stamp;
  h->schema = stamp->schema;
  h->n = ix->n;
  h->m = ix->off[ix->n];
  h->ntags = ix->ntags;
  h->strings_len = strs;
  for (uint32_t t = 0; t < ix->ntags; t++) {
    h->needs += ix->tags[t].n_needers;
    h->offers += ix->tags[t].n_offerers;
  }
  h->id_min = ix->id_min;
  h->id_span = ix->id_span;
  h->id_map = ix->contiguous || ix->n == 0 ? MAP_CONTIGUOUS
              : ix->of_id                  ? MAP_OF_ID
                                           : MAP_IDS;
}

/* Everything after the header and table, then those two at the start. */
static void write_all(struct writer *w, const struct nr_index *ix,
                      const struct nr_stamp *stamp) {
  struct nr_snap_header h;
  size_t strs = ix->strings ? ix->strings_len : 0;
  static const char empty[1] = "";
  header_of(&h, ix, stamp, strs ? strs : 1);
  size_t m = (size_t)h.m;
  w->at = sizeof h + C_COUNT * sizeof(struct nr_snap_chunk);
  if (lseek(w->fd, (off_t)w->at, SEEK_SET) < 0)
    w->failed = 1;
  chunk(w, C_STRS, strs ? ix->strings : empty, strs ? strs : 1);
  chunk(w, C_KEYS, ix->key_at, ix->n * sizeof(uint32_t));
  chunk(w, C_NAMS, ix->name_at, ix->n * sizeof(uint32_t));
  chunk(w, C_RANK, ix->rank, ix->n * sizeof(uint32_t));
  chunk(w, C_BYKY, ix->by_key, ix->n * sizeof(uint32_t));
  chunk(w, C_OFFS, ix->off, ((size_t)ix->n + 1) * sizeof(uint64_t));
  chunk(w, C_NBRS, ix->nbr, m * sizeof(uint32_t));
  chunk(w, C_WGTS, ix->w, m * sizeof(double));
  chunk(w, C_DAYS, ix->day, m * sizeof(int32_t));
  chunk_begin(w, C_TSUM);
  for (uint64_t g = 0; g < tie_pages(m); g++) {
    uint64_t sum = nr_tie_page_hash(ix->nbr, ix->w, ix->day, m, g);
    put(w, &sum, sizeof sum);
  }
  chunk_end(w, C_TSUM);
  if (h.id_map == MAP_OF_ID)
    chunk(w, C_OFID, ix->of_id, (size_t)(ix->id_span + 1) * sizeof(int32_t));
  if (h.id_map == MAP_IDS)
    chunk(w, C_IDS, ix->ids, ix->n * sizeof(int64_t));
  tag_chunks(w, ix);
  flush(w);
  h.chunks = w->chunks;
  h.file_size = w->at;
  /* The table has room for every chunk; unused entries are not counted
   * (h.chunks) and stay zero. */
  struct nr_hasher hs;
  nr_hash_init(&hs);
  nr_hash_add(&hs, &h, sizeof h);
  nr_hash_add(&hs, w->table, w->chunks * sizeof(struct nr_snap_chunk));
  h.checksum = nr_hash_end(&hs);
  if (!w->failed && (pwrite(w->fd, &h, sizeof h, 0) != (ssize_t)sizeof h ||
                     pwrite(w->fd, w->table, sizeof w->table, sizeof h) !=
                         (ssize_t)sizeof w->table))
    w->failed = 1;
}

/* A new file in the directory of `path` for the snapshot, 0600: unnamed
 * (O_TMPFILE) where the file system allows, so that a process killed
 * while writing leaves nothing; else FILE-index.tmpPID.XXXXXX. *tmp is
 * the name it has or is to be given (FILE-index.tmpPID.FD) just before
 * its rename: a process killed between the two leaves it, and the next
 * writer removes it (remove_temps), as does nr_snapshot_remove. */
static int open_temp(const char *path, char **tmp, int *unnamed) {
  size_t n = strlen(path) + 32;
  *tmp = malloc(n);
  if (!*tmp)
    return -1;
  *unnamed = 0;
#ifdef O_TMPFILE
  const char *slash = strrchr(path, '/');
  char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
  int fd =
      dir ? open(*dir ? dir : "/", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600) : -1;
  free(dir);
  if (fd >= 0) {
    *unnamed = 1;
    /* Unique among this process's writers: the descriptor is theirs. */
    snprintf(*tmp, n, "%s.tmp%ld.%d", path, (long)getpid(), fd);
    return fd;
  }
#endif
  snprintf(*tmp, n, "%s.tmp%ld.XXXXXX", path, (long)getpid());
  int fd2 = mkstemp(*tmp);
  if (fd2 < 0) {
    free(*tmp);
    *tmp = NULL;
  }
  return fd2;
}

/* An unnamed temporary file gets its name (a link through /proc). */
static int give_name(int fd, const char *tmp, int unnamed) {
  if (!unnamed)
    return 1;
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  unlink(tmp); /* left by a killed process that had this pid, if any */
  return linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0;
}

/* Give the written file its name: under the database's write lock (not
 * waited for: a busy database means no snapshot this time), and only
 * while the stamp is still the database's, so that a snapshot of data
 * that a later write (a netref_person_forget) changed never lands after
 * that write's nr_snapshot_remove. */
static int publish(netref_db *db, int fd, const char *tmp, int unnamed,
                   const char *path, const struct nr_stamp *stamp) {
  struct nr_stamp now;
  int done = 0;
  /* A read-only handle takes the lock too (query_only refuses BEGIN
   * IMMEDIATE, so it is lifted for the moment): the transaction writes
   * nothing and is rolled back. */
  if (db->readonly)
    sqlite3_exec(db->sql, "PRAGMA query_only=OFF", NULL, NULL, NULL);
  sqlite3_busy_timeout(db->sql, 0);
  if (sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
    if (nr_snapshot_stamp(db, &now) && memcmp(&now, stamp, sizeof now) == 0 &&
        give_name(fd, tmp, unnamed) && rename(tmp, path) == 0)
      done = 1;
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  }
  sqlite3_busy_timeout(db->sql, db->busy_timeout);
  if (db->readonly)
    sqlite3_exec(db->sql, "PRAGMA query_only=ON", NULL, NULL, NULL);
  if (!done && (unnamed ? access(tmp, F_OK) == 0 : 1))
    unlink(tmp);
  return done;
}

static void sync_dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
  int fd =
      dir ? open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  free(dir);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

static void remove_temps(const char *path, int all);

static int worth_writing(netref_db *db, const struct nr_index *ix) {
  /* Strings are addressed by uint32_t offsets in the file. */
  if (db->memory || db->snapshots == NR_SNAPSHOT_OFF || ix->n_patches > 0 ||
      ix->map || ix->strings_len > UINT32_MAX)
    return 0;
  return db->snapshots == NR_SNAPSHOT_ALWAYS ||
         (uint64_t)ix->n + ix->off[ix->n] >= NR_SNAPSHOT_MIN_ENTRIES;
}

int nr_snapshot_save(netref_db *db, const struct nr_index *ix,
                     const struct nr_stamp *stamp) {
  if (!worth_writing(db, ix) || !sqlite3_get_autocommit(db->sql))
    return 0;
  char *path = sidecar_path(db, SUFFIX), *tmp = NULL;
  int unnamed = 0;
  int fd = path ? open_temp(path, &tmp, &unnamed) : -1;
  struct writer *w = fd >= 0 ? calloc(1, sizeof *w) : NULL;
  int done = 0;
  struct stat st;
  if (w) {
    w->fd = fd;
    write_all(w, ix, stamp);
    /* The database's own mode (0600 unless shared on purpose). */
    const char *file = sqlite3_db_filename(db->sql, "main");
    if (stat(file, &st) == 0)
      fchmod(fd, st.st_mode & 0666);
    int synced = !w->failed && fsync(fd) == 0;
    done = synced && publish(db, fd, tmp, unnamed, path, stamp);
    if (!synced && !unnamed)
      unlink(tmp);
    if (done) {
      sync_dir_of(path);
      remove_temps(path, 0);
    }
  } else if (fd >= 0 && !unnamed) {
    unlink(tmp);
  }
  if (fd >= 0)
    close(fd);
  free(w);
  free(tmp);
  free(path);
  return done;
}

/* Remove the temporary files of snapshot writers beside path: all of
 * them, or only those of processes that are gone (the pid in the name,
 * FILE-index.tmpPID.X). */
static void remove_temps(const char *path, int all) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
  const char *base = slash ? slash + 1 : path;
  DIR *d = dir ? opendir(*dir ? dir : "/") : NULL;
  size_t len = strlen(base);
  for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
    if (strncmp(e->d_name, base, len) != 0 ||
        strncmp(e->d_name + len, ".tmp", 4) != 0)
      continue;
    long pid = strtol(e->d_name + len + 4, NULL, 10);
    if (!all && pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
      continue;
    size_t size = strlen(dir) + strlen(e->d_name) + 2;
    char *name = malloc(size);
    if (name) {
      snprintf(name, size, "%s/%s", dir, e->d_name);
      unlink(name);
      free(name);
    }
  }
  if (d)
    closedir(d);
  free(dir);
}

void nr_snapshot_discard(netref_db *db, const void *mapped) {
  char *path = sidecar_path(db, SUFFIX);
  int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
  struct nr_snap_header h;
  /* Only the file that was mapped: another process may have put a new
   * one in its place since. */
  if (fd >= 0 && pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h &&
      memcmp(&h, mapped, sizeof h) == 0)
    unlink(path);
  if (fd >= 0)
    close(fd);
  free(path);
}

void nr_snapshot_remove(netref_db *db) {
  char *path = sidecar_path(db, SUFFIX);
  if (!path)
    return;
  unlink(path);
  remove_temps(path, 1);
  sync_dir_of(path);
  free(path);
}
