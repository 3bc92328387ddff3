/* Open addressing with linear probing; keys are copied into chunks, and
 * a key of up to SHORT_KEY - 1 bytes also into its slot. An import looks
 * up two keys a tie (20 million at 10M ties): with the key in the slot a
 * hit reads one cache line, where comparing with the chunk's copy cost a
 * second miss (a fifth of an import's time at 1M people, by perf). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "keymap.h"

#define SHORT_KEY 24

struct slot {
  const char *key; /* NULL: empty */
  uint64_t hash;
  int64_t id;
  char short_key[SHORT_KEY]; /* the key when shorter, else "" */
};

struct chunk {
  struct chunk *next;
  size_t used, size;
  char data[];
};

struct nr_keymap {
  struct slot *slots;
  size_t cap, count; /* cap is a power of two */
  struct chunk *chunks;
};

/* FNV-1a, of a string and of n bytes (the same for the same bytes). */
#define FNV_START 1469598103934665603u
#define FNV_STEP(h, c) (((h) ^ (unsigned char)(c)) * 1099511628211u)

static uint64_t hash_key(const char *s) {
  uint64_t h = FNV_START;
  for (; *s; s++)
    h = FNV_STEP(h, *s);
  return h;
}

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = FNV_START;
  for (size_t i = 0; i < n; i++)
    h = FNV_STEP(h, s[i]);
  return h;
}

struct nr_keymap *nr_keymap_new(void) {
  struct nr_keymap *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->cap = 1024;
  m->slots = calloc(m->cap, sizeof *m->slots);
  if (!m->slots) {
    free(m);
    return NULL;
  }
  return m;
}

void nr_keymap_free(struct nr_keymap *m) {
  if (!m)
    return;
  while (m->chunks) {
    struct chunk *next = m->chunks->next;
    free(m->chunks);
    m->chunks = next;
  }
  free(m->slots);
  free(m);
}

static int same_key(const struct slot *s, const char *key) {
  return strcmp(s->short_key[0] ? s->short_key : s->key, key) == 0;
}

static struct slot *find(const struct nr_keymap *m, const char *key,
                         uint64_t h) {
  size_t i = h & (m->cap - 1);
  while (m->slots[i].key &&
         (m->slots[i].hash != h || !same_key(&m->slots[i], key)))
    i = (i + 1) & (m->cap - 1);
  return &m->slots[i];
}

int nr_keymap_get(const struct nr_keymap *m, const char *key, int64_t *id) {
  const struct slot *s = find(m, key, hash_key(key));
  if (!s->key)
    return 0;
  *id = s->id;
  return 1;
}

/* Room for `cap` slots (a power of two above the count), rehashed. */
static int resize(struct nr_keymap *m, size_t cap) {
  struct slot *slots = calloc(cap, sizeof *slots);
  if (!slots)
    return -1;
  nr_advise_huge(slots, cap * sizeof *slots);
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i].key)
      continue;
    size_t j = m->slots[i].hash & (cap - 1);
    while (slots[j].key)
      j = (j + 1) & (cap - 1);
    slots[j] = m->slots[i];
  }
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

static int grow(struct nr_keymap *m) { return resize(m, m->cap * 2); }

int nr_keymap_reserve(struct nr_keymap *m, size_t n) {
  if (n > SIZE_MAX / 4 - m->count)
    return -1;
  size_t cap = m->cap;
  while ((m->count + n) * 2 > cap) {
    if (cap > SIZE_MAX / 2 / sizeof *m->slots)
      return -1;
    cap *= 2;
  }
  return cap == m->cap ? 0 : resize(m, cap);
}

void nr_keymap_prefetch(const struct nr_keymap *m, const char *key,
                        size_t len) {
#if defined(__GNUC__)
  const struct slot *s = &m->slots[hash_bytes(key, len) & (m->cap - 1)];
  /* A slot may straddle two cache lines. */
  __builtin_prefetch(s);
  __builtin_prefetch((const char *)(s + 1) - 1);
#else
  (void)m;
  (void)key;
  (void)len;
#endif
}

static const char *copy_key(struct nr_keymap *m, const char *key) {
  size_t n = strlen(key) + 1;
  struct chunk *c = m->chunks;
  if (!c || c->size - c->used < n) {
    size_t size = n > 65536 ? n : 65536;
    c = malloc(sizeof *c + size);
    if (!c)
      return NULL;
    c->next = m->chunks;
    c->used = 0;
    c->size = size;
    m->chunks = c;
  }
  char *d = memcpy(c->data + c->used, key, n);
  c->used += n;
  return d;
}

int nr_keymap_put(struct nr_keymap *m, const char *key, int64_t id) {
  if ((m->count + 1) * 2 > m->cap && grow(m))
    return -1;
  uint64_t h = hash_key(key);
  struct slot *s = find(m, key, h);
  if (!s->key) {
    s->key = copy_key(m, key);
    if (!s->key)
      return -1;
    s->hash = h;
    size_t len = strlen(key);
    if (len < SHORT_KEY)
      memcpy(s->short_key, key, len + 1);
    m->count++;
  }
  s->id = id;
  return 0;
}
