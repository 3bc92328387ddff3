/* netref_result: ordering rows, materializing them, and the accessors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "reach.h"
#include "result.h"

struct row {
  const char *key, *name, *introducer, *tag;
  const char **path;
  size_t path_len;
  int hops;
  double reach, score;
};

struct netref_result {
  size_t n;
  struct row *rows;
  const char **paths; /* all paths, back to back */
  /* Every row's path keys, name and tag ("" for none), back to back:
   * the layout netref_result_text() promises. */
  char *strings;
  size_t strings_size;
};

static int hit_cmp(const void *pa, const void *pb) {
  const struct nr_hit *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->hops != b->hops)
    return a->hops < b->hops ? -1 : 1;
  return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* Copy s to *at and advance it. */
static const char *put(char **at, const char *s) {
  size_t n = strlen(s) + 1;
  char *d = memcpy(*at, s, n);
  *at += n;
  return d;
}

int nr_result_make(netref_db *db, const struct nr_index *ix,
                   const struct nr_row_spec *rows, size_t n,
                   netref_result **out) {
  size_t bytes = 0, path_slots = 0;
  for (size_t i = 0; i < n; i++) {
    const struct nr_row_spec *r = &rows[i];
    path_slots += (size_t)r->path_len;
    for (int j = 0; j < r->path_len; j++)
      bytes += strlen(nr_index_key(ix, r->path[j])) + 1;
    bytes += strlen(nr_index_name(ix, r->path[r->path_len - 1])) + 1;
    bytes += (r->tag ? strlen(r->tag) : 0) + 1;
  }
  netref_result *res = calloc(1, sizeof *res);
  if (res) {
    res->rows = calloc(n ? n : 1, sizeof *res->rows);
    res->paths = calloc(path_slots ? path_slots : 1, sizeof *res->paths);
    res->strings = malloc(bytes ? bytes : 1);
  }
  if (!res || !res->rows || !res->paths || !res->strings) {
    netref_result_free(res);
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  char *at = res->strings;
  const char **slot = res->paths;
  for (size_t i = 0; i < n; i++) {
    const struct nr_row_spec *spec = &rows[i];
    struct row *r = &res->rows[i];
    int len = spec->path_len;
    r->path = slot;
    r->path_len = (size_t)len;
    for (int j = 0; j < len; j++)
      *slot++ = put(&at, nr_index_key(ix, spec->path[j]));
    r->key = r->path[len - 1];
    r->introducer = len > 2 ? r->path[1] : NULL;
    r->name = put(&at, nr_index_name(ix, spec->path[len - 1]));
    const char *tag = put(&at, spec->tag ? spec->tag : "");
    r->tag = spec->tag ? tag : NULL;
    r->hops = spec->hops;
    r->reach = spec->reach;
    r->score = spec->score;
  }
  res->n = n;
  res->strings_size = bytes;
  *out = res;
  return NETREF_OK;
}

int nr_result_build(netref_db *db, const struct nr_index *ix,
                    const struct nr_reach *reach, struct nr_hit *hits,
                    size_t n_hits, int limit, netref_result **out) {
  if (n_hits > 1)
    qsort(hits, n_hits, sizeof *hits, hit_cmp);
  size_t n = limit > 0 && (size_t)limit < n_hits ? (size_t)limit : n_hits;
  struct nr_row_spec *rows = calloc(n ? n : 1, sizeof *rows);
  uint32_t *paths = malloc((n ? n : 1) * (NR_MAX_HOPS + 1) * sizeof *paths);
  int rc = NETREF_ENOMEM;
  if (rows && paths) {
    for (size_t i = 0; i < n; i++) {
      uint32_t *path = paths + i * (NR_MAX_HOPS + 1);
      rows[i] = (struct nr_row_spec){
          .hops = hits[i].hops,
          .reach = hits[i].reach,
          .score = hits[i].score,
          .tag = hits[i].tag,
          .path = path,
          .path_len = nr_reach_path(reach, hits[i].person, path),
      };
    }
    rc = nr_result_make(db, ix, rows, n, out);
  } else {
    nr_fail(db, rc, "out of memory");
  }
  free(rows);
  free(paths);
  return rc;
}

static const struct row *row_at(const netref_result *res, size_t i) {
  return res && i < res->n ? &res->rows[i] : NULL;
}

size_t netref_result_count(const netref_result *res) {
  return res ? res->n : 0;
}

const char *netref_result_key(const netref_result *res, size_t row) {
  const struct row *r = row_at(res, row);
  return r ? r->key : NULL;
}

const char *netref_result_name(const netref_result *res, size_t row) {
  const struct row *r = row_at(res, row);
  return r ? r->name : NULL;
}

int netref_result_hops(const netref_result *res, size_t row) {
  const struct row *r = row_at(res, row);
  return r ? r->hops : -1;
}

double netref_result_reach(const netref_result *res, size_t row) {
  const struct row *r = row_at(res, row);
  return r ? r->reach : NAN;
}

double netref_result_score(const netref_result *res, size_t row) {
  const struct row *r = row_at(res, row);
  return r ? r->score : NAN;
}

const char *netref_result_introducer(const netref_result *res, size_t row) {
  const struct row *r = row_at(res, row);
  return r ? r->introducer : NULL;
}

size_t netref_result_path_length(const netref_result *res, size_t row) {
  const struct row *r = row_at(res, row);
  return r ? r->path_len : 0;
}

const char *netref_result_path_key(const netref_result *res, size_t row,
                                   size_t pos) {
  const struct row *r = row_at(res, row);
  return r && pos < r->path_len ? r->path[pos] : NULL;
}

const char *netref_result_tag(const netref_result *res, size_t row) {
  const struct row *r = row_at(res, row);
  return r ? r->tag : NULL;
}

const char *netref_result_text(const netref_result *res, size_t *size) {
  if (size)
    *size = res && res->n ? res->strings_size : 0;
  return res ? res->strings : NULL;
}

int netref_result_numbers(const netref_result *res, int *hops, double *reach,
                          double *score, size_t *path_length) {
  if (!res)
    return nr_fail(NULL, NETREF_EINVAL, "netref_result_numbers: res is NULL");
  for (size_t i = 0; i < res->n; i++) {
    const struct row *r = &res->rows[i];
    if (hops)
      hops[i] = r->hops;
    if (reach)
      reach[i] = r->reach;
    if (score)
      score[i] = r->score;
    if (path_length)
      path_length[i] = r->path_len;
  }
  return NETREF_OK;
}

void netref_result_free(netref_result *res) {
  if (!res)
    return;
  free(res->rows);
  free(res->paths);
  free(res->strings);
  free(res);
}
