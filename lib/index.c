/* Building the in-memory index from the store: people in key order,
 * ties as compressed sparse rows, tag posting lists. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "index.h"
#include "keymap.h"
#include "snapshot.h"

/* A growable buffer of NUL-terminated strings, addressed by offset
 * until the buffer stops moving. */
struct strbuf {
  char *data;
  size_t len, cap;
};

static int strbuf_add(struct strbuf *b, const unsigned char *s, size_t *at) {
  size_t n = strlen((const char *)s) + 1;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (b->len + n > cap)
      cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d)
      return NETREF_ENOMEM;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  *at = b->len;
  b->len += n;
  return NETREF_OK;
}

/* Temporary state of one build. */
struct build {
  netref_db *db;
  struct nr_index *ix;
  struct strbuf str;
  size_t *tag_at;
  struct nr_keymap *tag_slots; /* tag name -> index in ix->tags */
  size_t tags_cap, tag_at_cap, holder_caps_cap;
  size_t *holder_caps; /* per tag: needers' and offerers' capacity */
};

static int fail_nomem(struct build *b) {
  return nr_fail(b->db, NETREF_ENOMEM, "out of memory building the index");
}

static int step_error(struct build *b, sqlite3_stmt *st, int rc) {
  sqlite3_finalize(st);
  return nr_fail_sql(b->db, rc, "read the network");
}

static int64_t person_of(const struct build *b, sqlite3_int64 id) {
  return nr_index_person_of_id(b->ix, id);
}

/* Run a one-row query of integers into out[0..n). */
static int query_ints(struct build *b, const char *sql, sqlite3_int64 *out,
                      int n) {
  sqlite3_stmt *st;
  int rc = nr_prepare(b->db, sql, &st);
  if (rc != NETREF_OK)
    return rc;
  if ((rc = sqlite3_step(st)) != SQLITE_ROW)
    return step_error(b, st, rc);
  for (int i = 0; i < n; i++)
    out[i] = sqlite3_column_int64(st, i);
  sqlite3_finalize(st);
  return NETREF_OK;
}

/* Choose how row ids map to person numbers (see struct nr_index), once
 * ix->ids holds the n ids in ascending order. */
static int map_ids(struct build *b) {
  struct nr_index *ix = b->ix;
  if (ix->n == 0)
    return NETREF_OK;
  ix->id_min = ix->ids[0];
  ix->id_span = (uint64_t)ix->ids[ix->n - 1] - (uint64_t)ix->id_min;
  ix->contiguous = ix->id_span == (uint64_t)ix->n - 1;
  if (!ix->contiguous && ix->id_span < 4 * (uint64_t)ix->n + 1024) {
    ix->of_id = malloc((size_t)(ix->id_span + 1) * sizeof *ix->of_id);
    if (!ix->of_id)
      return fail_nomem(b);
    memset(ix->of_id, 0xff, (size_t)(ix->id_span + 1) * sizeof *ix->of_id);
    for (uint32_t v = 0; v < ix->n; v++)
      ix->of_id[(uint64_t)ix->ids[v] - (uint64_t)ix->id_min] = (int32_t)v;
  }
  if (ix->contiguous || ix->of_id) {
    free(ix->ids);
    ix->ids = NULL;
  }
  return NETREF_OK;
}

/* People in row id order: their ids, keys and names. */
static int load_people_rows(struct build *b, uint32_t n) {
  struct nr_index *ix = b->ix;
  sqlite3_stmt *st;
  int rc =
      nr_prepare(b->db, "SELECT id, key, name FROM person ORDER BY id", &st);
  if (rc != NETREF_OK)
    return rc;
  uint32_t v = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && v < n) {
    const unsigned char *key = sqlite3_column_text(st, 1);
    const unsigned char *name = sqlite3_column_text(st, 2);
    ix->ids[v] = sqlite3_column_int64(st, 0);
    /* A rowid table walks in ascending id order; a damaged page may not,
     * and map_ids relies on it. */
    if (v > 0 && ix->ids[v] <= ix->ids[v - 1]) {
      sqlite3_finalize(st);
      return nr_fail(b->db, NETREF_ECORRUPT,
                     "damaged file: person ids out of order (%lld after "
                     "%lld)",
                     (long long)ix->ids[v], (long long)ix->ids[v - 1]);
    }
    if (!key || !name) { /* NOT NULL columns: only a damaged file */
      sqlite3_finalize(st);
      return nr_fail(b->db, NETREF_ECORRUPT,
                     "person row %lld has no key or name",
                     (long long)ix->ids[v]);
    }
    size_t key_at, name_at;
    if (strbuf_add(&b->str, key, &key_at) ||
        strbuf_add(&b->str, name, &name_at)) {
      sqlite3_finalize(st);
      return fail_nomem(b);
    }
    /* People's strings are addressed by uint32_t offsets (index.h). */
    if (name_at > UINT32_MAX) {
      sqlite3_finalize(st);
      return nr_fail(b->db, NETREF_ELIMIT,
                     "the keys and names take more than 4 GiB: more than "
                     "this netref can index");
    }
    ix->key_at[v] = (uint32_t)key_at;
    ix->name_at[v] = (uint32_t)name_at;
    v++;
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return step_error(b, st, rc);
  sqlite3_finalize(st);
  ix->n = v;
  return NETREF_OK;
}

static int load_people(struct build *b) {
  sqlite3_int64 count = 0;
  int rc = query_ints(b, "SELECT count(*) FROM person", &count, 1);
  if (rc != NETREF_OK)
    return rc;
  /* Person numbers are uint32_t, and int32_t in of_id. */
  if (count < 0 || count >= INT32_MAX)
    return nr_fail(b->db, NETREF_ELIMIT,
                   "%lld people: more than this netref can index",
                   (long long)count);
  uint32_t n = (uint32_t)count;
  struct nr_index *ix = b->ix;
  ix->key_at = calloc((size_t)n + 1, sizeof *ix->key_at);
  ix->name_at = calloc((size_t)n + 1, sizeof *ix->name_at);
  ix->rank = calloc((size_t)n + 1, sizeof *ix->rank);
  ix->by_key = calloc((size_t)n + 1, sizeof *ix->by_key);
  ix->ids = calloc((size_t)n + 1, sizeof *ix->ids);
  if (!ix->key_at || !ix->name_at || !ix->rank || !ix->by_key || !ix->ids)
    return fail_nomem(b);
  rc = load_people_rows(b, n);
  if (rc == NETREF_OK)
    rc = map_ids(b);
  if (rc != NETREF_OK)
    return rc;
  /* Key order from the UNIQUE index on key: a covering, sequential scan. */
  sqlite3_stmt *st;
  rc = nr_prepare(b->db, "SELECT id FROM person ORDER BY key", &st);
  if (rc != NETREF_OK)
    return rc;
  uint32_t r = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && r < ix->n) {
    int64_t p = person_of(b, sqlite3_column_int64(st, 0));
    if (p >= 0) {
      ix->rank[p] = r;
      ix->by_key[r++] = (uint32_t)p;
    }
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return step_error(b, st, rc);
  sqlite3_finalize(st);
  return NETREF_OK;
}

/* The ties as the store holds them, each once as (a, b) with a < b, in
 * primary key order; each goes into both people's rows afterwards. */
struct tie_rows {
  uint32_t *a, *b;
  double *w;
  int32_t *day;
  size_t n, cap, a_cap;
};

static void tie_rows_free(struct tie_rows *t) {
  free(t->a);
  free(t->b);
  free(t->w);
  free(t->day);
}

static int tie_rows_push(struct tie_rows *t, uint32_t a, uint32_t b, double w,
                         int32_t day) {
  if (nr_grow_ties(&t->b, &t->w, &t->day, &t->cap, t->n + 1) ||
      nr_grow(&t->a, &t->a_cap, t->n + 1, sizeof *t->a))
    return -1;
  t->a[t->n] = a;
  t->b[t->n] = b;
  t->w[t->n] = w;
  t->day[t->n] = day;
  t->n++;
  return 0;
}

/* One scan of the tie table in primary key order. `WHERE a < b` reads
 * each tie once in either layout (store.c: files before schema version 6
 * also hold the (b, a) rows). Person numbers follow row ids, so a < b
 * holds for the person numbers too. */
static int read_ties(struct build *b, struct tie_rows *t) {
  /* No count(*) first: it would read the whole table twice, while
   * growing large arrays by doubling costs little (mremap). */
  sqlite3_stmt *st;
  int rc = nr_prepare(b->db,
                      "SELECT a, b, strength, last_contact FROM tie"
                      " WHERE a < b ORDER BY a, b",
                      &st);
  if (rc != NETREF_OK)
    return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t a = person_of(b, sqlite3_column_int64(st, 0));
    int64_t c = person_of(b, sqlite3_column_int64(st, 1));
    if (a < 0 || c < 0) /* a tie to a missing person: a damaged file */
      continue;
    if (tie_rows_push(t, (uint32_t)a, (uint32_t)c, sqlite3_column_double(st, 2),
                      nr_column_day(st, 3))) {
      sqlite3_finalize(st);
      return fail_nomem(b);
    }
  }
  if (rc != SQLITE_DONE)
    return step_error(b, st, rc);
  sqlite3_finalize(st);
  return NETREF_OK;
}

/* Compressed sparse rows from the ties read: a count of each person's
 * degree, then each tie into both rows. Ties come in (a, b) order, so
 * every row fills in ascending order of the other person: first the
 * smaller ones (from earlier a), then the larger (from a itself). */
static int fill_rows(struct build *b, const struct tie_rows *t) {
  struct nr_index *ix = b->ix;
  uint64_t *at = malloc(((size_t)ix->n + 1) * sizeof *at);
  size_t cap = 0;
  if (!at || nr_grow_ties(&ix->nbr, &ix->w, &ix->day, &cap, 2 * t->n + 1)) {
    free(at);
    return fail_nomem(b);
  }
  for (size_t i = 0; i < t->n; i++) {
    ix->off[t->a[i] + 1]++;
    ix->off[t->b[i] + 1]++;
  }
  for (uint32_t v = 0; v < ix->n; v++)
    ix->off[v + 1] += ix->off[v];
  memcpy(at, ix->off, ((size_t)ix->n + 1) * sizeof *at);
  for (size_t i = 0; i < t->n; i++) {
    uint64_t x = at[t->a[i]]++, y = at[t->b[i]]++;
    ix->nbr[x] = t->b[i];
    ix->nbr[y] = t->a[i];
    ix->w[x] = ix->w[y] = t->w[i];
    ix->day[x] = ix->day[y] = t->day[i];
  }
  free(at);
  return NETREF_OK;
}

static int load_ties(struct build *b) {
  struct nr_index *ix = b->ix;
  ix->off = calloc((size_t)ix->n + 1, sizeof *ix->off);
  if (!ix->off)
    return fail_nomem(b);
  struct tie_rows t = {0};
  int rc = read_ties(b, &t);
  if (rc == NETREF_OK)
    rc = fill_rows(b, &t);
  tie_rows_free(&t);
  return rc;
}

static int tag_cmp(const void *a, const void *b) {
  return strcmp(((const struct nr_tag *)a)->name,
                ((const struct nr_tag *)b)->name);
}

/* The slot of a tag in ix->tags, adding the tag when it is new. */
static int64_t tag_slot(struct build *b, const unsigned char *tag) {
  struct nr_index *ix = b->ix;
  int64_t slot;
  if (nr_keymap_get(b->tag_slots, (const char *)tag, &slot))
    return slot;
  size_t n = ix->ntags;
  if (nr_grow(&ix->tags, &b->tags_cap, n + 1, sizeof *ix->tags) ||
      nr_grow(&b->tag_at, &b->tag_at_cap, n + 1, sizeof *b->tag_at) ||
      nr_grow(&b->holder_caps, &b->holder_caps_cap, 2 * (n + 1),
              sizeof *b->holder_caps) ||
      strbuf_add(&b->str, tag, &b->tag_at[n]) ||
      nr_keymap_put(b->tag_slots, (const char *)tag, (int64_t)n))
    return -1;
  memset(&ix->tags[n], 0, sizeof ix->tags[n]);
  b->holder_caps[2 * n] = b->holder_caps[2 * n + 1] = 0;
  ix->ntags++;
  return (int64_t)n;
}

/* Double one posting list (and the needs' weights beside it). */
static int grow_holders(struct nr_tag *t, int offers, size_t *cap) {
  size_t need = *cap + 1, c1 = *cap, c2 = *cap;
  if (offers)
    return nr_grow(&t->offerers, cap, need, sizeof *t->offerers);
  if (nr_grow(&t->needers, &c1, need, sizeof *t->needers) ||
      nr_grow(&t->need_weight, &c2, need, sizeof *t->need_weight))
    return -1;
  *cap = c1;
  return 0;
}

/* One table's holders into the posting lists. Rows come in primary key
 * order (person, tag), so every list is in ascending person order. */
static int load_holders(struct build *b, int offers) {
  sqlite3_stmt *st;
  int rc = nr_prepare(b->db,
                      offers ? "SELECT tag, person, 1.0 FROM offer"
                               " ORDER BY person, tag"
                             : "SELECT tag, person, weight FROM need"
                               " ORDER BY person, tag",
                      &st);
  if (rc != NETREF_OK)
    return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *tag = sqlite3_column_text(st, 0);
    int64_t v = person_of(b, sqlite3_column_int64(st, 1));
    int64_t slot = tag && v >= 0 ? tag_slot(b, tag) : -2;
    if (slot == -2)
      continue;
    struct nr_tag *t = slot >= 0 ? &b->ix->tags[slot] : NULL;
    size_t *cap = slot >= 0 ? &b->holder_caps[2 * slot + offers] : NULL;
    uint32_t n = t ? (offers ? t->n_offerers : t->n_needers) : 0;
    if (!t || (n == *cap && grow_holders(t, offers, cap))) {
      sqlite3_finalize(st);
      return fail_nomem(b);
    }
    if (offers) {
      t->offerers[t->n_offerers++] = (uint32_t)v;
    } else {
      t->need_weight[t->n_needers] = sqlite3_column_double(st, 2);
      t->needers[t->n_needers++] = (uint32_t)v;
    }
  }
  if (rc != SQLITE_DONE)
    return step_error(b, st, rc);
  sqlite3_finalize(st);
  return NETREF_OK;
}

/* Posting lists, grouped in memory (no SQL sort); sorted by tag name in
 * fix_pointers once the names are final. */
static int load_tags(struct build *b) {
  b->tag_slots = nr_keymap_new();
  if (!b->tag_slots)
    return fail_nomem(b);
  int rc = load_holders(b, 0);
  if (rc == NETREF_OK)
    rc = load_holders(b, 1);
  return rc;
}

/* Turn tag names' buffer offsets into pointers, now that the buffer is
 * final (people's stay offsets). */
static void fix_pointers(struct build *b) {
  struct nr_index *ix = b->ix;
  ix->strings = b->str.data;
  ix->strings_len = b->str.len;
  b->str.data = NULL;
  for (uint32_t t = 0; t < ix->ntags; t++) {
    ix->tags[t].name = ix->strings + b->tag_at[t];
  }
  if (ix->ntags > 1)
    qsort(ix->tags, ix->ntags, sizeof *ix->tags, tag_cmp);
}

static int build_index(netref_db *db, struct nr_index **out) {
  struct build b = {.db = db};
  b.ix = calloc(1, sizeof *b.ix);
  if (!b.ix)
    return nr_fail(db, NETREF_ENOMEM, "out of memory building the index");
  /* Every SELECT below reads one snapshot of the file, whatever other
   * programs commit meanwhile; nr_read_begin also catches up with what
   * they committed before it. */
  int own_txn = 0;
  int rc = nr_read_begin(db, &own_txn);
  b.ix->generation = db->generation;
  b.ix->owner = db;
  if (rc == NETREF_OK)
    rc = load_people(&b);
  if (rc == NETREF_OK)
    rc = load_ties(&b);
  if (rc == NETREF_OK)
    rc = load_tags(&b);
  if (rc == NETREF_OK)
    fix_pointers(&b);
  nr_read_end(db, own_txn);
  free(b.str.data);
  free(b.tag_at);
  free(b.holder_caps);
  nr_keymap_free(b.tag_slots);
  if (rc != NETREF_OK) {
    nr_index_free(b.ix);
    return rc;
  }
  *out = b.ix;
  return NETREF_OK;
}

/* A current index for the handle: from the snapshot beside the file
 * when it is current (snapshot.c), else built. The stamp is read in the
 * same read transaction as the snapshot or the build, so that what the
 * index holds is what the stamp describes; *stamped says whether one was
 * read, *loaded whether the snapshot served. */
static int index_current(netref_db *db, struct nr_index **out,
                         struct nr_stamp *stamp, int *stamped, int *loaded) {
  int own = 0;
  int rc = nr_read_begin(db, &own);
  /* Inside a transaction of the caller's (an import's), the file may
   * hold its uncommitted rows: no snapshot is read or written then. */
  *stamped = rc == NETREF_OK && own && db->snapshots != NR_SNAPSHOT_OFF &&
             nr_snapshot_stamp(db, stamp);
  *loaded = *stamped && nr_snapshot_load(db, stamp, out);
  if (*loaded) {
    (*out)->generation = db->generation;
    (*out)->owner = db;
  } else if (rc == NETREF_OK) {
    rc = build_index(db, out);
  }
  nr_read_end(db, own);
  return rc;
}

int nr_index_ready(netref_db *db) {
  int rc = nr_sync(db);
  if (rc != NETREF_OK)
    return rc;
  if (db->index && db->index->generation == db->generation)
    return NETREF_OK;
  struct nr_index *ix = NULL;
  struct nr_stamp stamp;
  int stamped, loaded;
  rc = index_current(db, &ix, &stamp, &stamped, &loaded);
  if (rc != NETREF_OK)
    return rc;
  /* Written after the read transaction: a failure here is no failure of
   * the query, only a snapshot less. */
  if (stamped && !loaded)
    nr_snapshot_save(db, ix, &stamp);
  nr_index_free(db->index);
  db->index = ix;
  db->index_builds++; /* the query context is re-made for it */
  return NETREF_OK;
}

void nr_index_free(struct nr_index *ix) {
  if (!ix)
    return;
  for (uint32_t t = 0; t < ix->ntags; t++) {
    nr_index_release(ix, ix->tags[t].needers);
    nr_index_release(ix, ix->tags[t].need_weight);
    nr_index_release(ix, ix->tags[t].offerers);
  }
  free(ix->tags);
  nr_index_release(ix, ix->key_at);
  nr_index_release(ix, ix->name_at);
  nr_index_release(ix, ix->rank);
  nr_index_release(ix, ix->by_key);
  nr_index_release(ix, ix->of_id);
  nr_index_release(ix, ix->ids);
  for (uint32_t i = 0; i < ix->n_patches; i++) {
    free(ix->patches[i].nbr);
    free(ix->patches[i].w);
    free(ix->patches[i].day);
  }
  free(ix->patches);
  free(ix->patched);
  nr_index_release(ix, ix->off);
  nr_index_release(ix, ix->nbr);
  nr_index_release(ix, ix->w);
  nr_index_release(ix, ix->day);
  nr_index_release(ix, ix->strings);
  if (ix->pages)
    free(ix->pages->checked);
  free(ix->pages);
  if (ix->map)
    munmap((void *)ix->map, ix->map_len);
  free(ix);
}

int nr_index_find(netref_db *db, const char *what, const char *key,
                  uint32_t *v) {
  int rc = nr_check_text(db, what, key, 0);
  if (rc == NETREF_OK)
    rc = nr_index_ready(db);
  if (rc != NETREF_OK)
    return rc;
  int64_t found = nr_index_person(db->index, key);
  if (found < 0)
    return nr_person_unknown(db, key);
  *v = (uint32_t)found;
  return NETREF_OK;
}

int64_t nr_index_person(const struct nr_index *ix, const char *key) {
  uint32_t lo = 0, hi = ix->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = strcmp(nr_index_key(ix, ix->by_key[mid]), key);
    if (c == 0)
      return ix->by_key[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

const struct nr_tag *nr_index_tag(const struct nr_index *ix, const char *tag) {
  struct nr_tag probe = {.name = tag};
  if (ix->ntags == 0)
    return NULL;
  return bsearch(&probe, ix->tags, ix->ntags, sizeof *ix->tags, tag_cmp);
}
