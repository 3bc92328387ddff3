/* netref_rows: small tables of listed records, filled from a statement. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct cell {
  char *text;  /* NULL for an empty cell */
  double real; /* NaN when not numeric */
};

struct netref_rows {
  size_t ncols, nrows, cap;
  char **names;
  struct cell *cells; /* nrows * ncols, row-major */
};

static char *dup_text(const unsigned char *s) {
  if (!s)
    return NULL;
  size_t n = strlen((const char *)s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

static char *real_text(double v) {
  char buf[NR_REAL_TEXT];
  nr_format_real(v, buf);
  return dup_text((const unsigned char *)buf);
}

/* Room for one more row of cells; 0, or -1 when out of memory. */
static int reserve_row(netref_rows *r) {
  size_t cells = r->cap * (r->ncols ? r->ncols : 1);
  if (nr_grow(&r->cells, &cells, (r->nrows + 1) * (r->ncols ? r->ncols : 1),
              sizeof *r->cells))
    return -1;
  r->cap = cells / (r->ncols ? r->ncols : 1);
  return 0;
}

static int add_row(netref_rows *r, sqlite3_stmt *st) {
  if (reserve_row(r))
    return NETREF_ENOMEM;
  struct cell *row = r->cells + r->nrows * r->ncols;
  for (size_t i = 0; i < r->ncols; i++) {
    int type = sqlite3_column_type(st, (int)i);
    row[i].real = (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
                      ? sqlite3_column_double(st, (int)i)
                      : NAN;
    row[i].text = NULL;
    if (type != SQLITE_NULL) {
      row[i].text = type == SQLITE_FLOAT
                        ? real_text(row[i].real)
                        : dup_text(sqlite3_column_text(st, (int)i));
      if (!row[i].text) {
        for (size_t j = 0; j < i; j++)
          free(row[j].text);
        return NETREF_ENOMEM;
      }
    }
  }
  r->nrows++;
  return NETREF_OK;
}

int nr_rows_from_stmt(netref_db *db, sqlite3_stmt *st, netref_rows **out) {
  *out = NULL;
  netref_rows *r = calloc(1, sizeof *r);
  int code = r ? NETREF_OK : NETREF_ENOMEM;
  if (r) {
    r->ncols = (size_t)sqlite3_column_count(st);
    r->names = calloc(r->ncols ? r->ncols : 1, sizeof *r->names);
    if (!r->names)
      code = NETREF_ENOMEM;
    for (size_t i = 0; code == NETREF_OK && i < r->ncols; i++) {
      r->names[i] =
          dup_text((const unsigned char *)sqlite3_column_name(st, (int)i));
      if (!r->names[i])
        code = NETREF_ENOMEM;
    }
  }
  int rc = SQLITE_ROW;
  while (code == NETREF_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
    code = add_row(r, st);
  sqlite3_reset(st);
  if (code == NETREF_OK && rc != SQLITE_DONE)
    code = nr_fail_sql(db, rc, "read");
  else if (code == NETREF_ENOMEM)
    nr_fail(db, code, "out of memory");
  if (code != NETREF_OK) {
    netref_rows_free(r);
    return code;
  }
  *out = r;
  return NETREF_OK;
}

int nr_rows_single(netref_db *db, size_t ncols, const char *const *names,
                   const char *const *texts, netref_rows **out) {
  *out = NULL;
  netref_rows *r = calloc(1, sizeof *r);
  if (!r)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  r->ncols = ncols;
  r->nrows = r->cap = 1;
  r->names = calloc(ncols ? ncols : 1, sizeof *r->names);
  r->cells = calloc(ncols ? ncols : 1, sizeof *r->cells);
  int ok = r->names && r->cells;
  for (size_t i = 0; ok && i < ncols; i++) {
    r->cells[i].real = NAN;
    r->names[i] = dup_text((const unsigned char *)names[i]);
    r->cells[i].text = dup_text((const unsigned char *)texts[i]);
    ok = r->names[i] && (r->cells[i].text || !texts[i]);
  }
  if (!ok) {
    r->nrows = r->cells ? 1 : 0;
    netref_rows_free(r);
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  *out = r;
  return NETREF_OK;
}

int nr_check_out(netref_db *db, void *out) {
  if (!db)
    return nr_fail(NULL, NETREF_EINVAL, "database handle is NULL");
  if (!out)
    return nr_fail(db, NETREF_EINVAL, "out is NULL");
  return NETREF_OK;
}

int nr_list(netref_db *db, const char *sql, sqlite3_int64 id, const char *text,
            netref_rows **out) {
  sqlite3_stmt *st;
  int rc = nr_prepare(db, sql, &st);
  if (rc != NETREF_OK)
    return rc;
  /* Row ids are data and may be negative: bind whenever the statement
   * names ?1, whatever the value. */
  if (sqlite3_bind_parameter_index(st, "?1") > 0)
    sqlite3_bind_int64(st, 1, id);
  if (text)
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
  rc = nr_rows_from_stmt(db, st, out);
  sqlite3_finalize(st);
  return rc;
}

size_t netref_rows_count(const netref_rows *rows) {
  return rows ? rows->nrows : 0;
}

size_t netref_rows_columns(const netref_rows *rows) {
  return rows ? rows->ncols : 0;
}

const char *netref_rows_column_name(const netref_rows *rows, size_t col) {
  return rows && col < rows->ncols ? rows->names[col] : NULL;
}

int netref_rows_column_index(const netref_rows *rows, const char *name,
                             size_t *col) {
  if (!rows || !name || !col)
    return nr_fail(NULL, NETREF_EINVAL, "netref_rows_column_index: %s is NULL",
                   !rows   ? "rows"
                   : !name ? "name"
                           : "col");
  for (size_t c = 0; c < rows->ncols; c++)
    if (strcmp(rows->names[c], name) == 0) {
      *col = c;
      return NETREF_OK;
    }
  return nr_fail(NULL, NETREF_ENOTFOUND, "no column '%s'", name);
}

static const struct cell *cell_at(const netref_rows *rows, size_t row,
                                  size_t col) {
  if (!rows || row >= rows->nrows || col >= rows->ncols)
    return NULL;
  return rows->cells + row * rows->ncols + col;
}

const char *netref_rows_text(const netref_rows *rows, size_t row, size_t col) {
  const struct cell *c = cell_at(rows, row, col);
  return c ? c->text : NULL;
}

double netref_rows_real(const netref_rows *rows, size_t row, size_t col) {
  const struct cell *c = cell_at(rows, row, col);
  return c ? c->real : NAN;
}

void netref_rows_free(netref_rows *rows) {
  if (!rows)
    return;
  for (size_t i = 0; i < rows->nrows * rows->ncols; i++)
    free(rows->cells[i].text);
  for (size_t i = 0; rows->names && i < rows->ncols; i++)
    free(rows->names[i]);
  free(rows->names);
  free(rows->cells);
  free(rows);
}

/* tables built cell by cell (the ask-first and matches queries) */

int nr_rows_new(size_t ncols, const char *const *names, netref_rows **out) {
  *out = NULL;
  netref_rows *r = calloc(1, sizeof *r);
  if (!r)
    return NETREF_ENOMEM;
  r->ncols = ncols;
  r->names = calloc(ncols ? ncols : 1, sizeof *r->names);
  int ok = r->names != NULL;
  for (size_t i = 0; ok && i < ncols; i++)
    ok = (r->names[i] = dup_text((const unsigned char *)names[i])) != NULL;
  if (!ok) {
    netref_rows_free(r);
    return NETREF_ENOMEM;
  }
  *out = r;
  return NETREF_OK;
}

int nr_rows_append(netref_rows *r, const char *const *texts,
                   const double *reals) {
  if (reserve_row(r))
    return NETREF_ENOMEM;
  struct cell *row = r->cells + r->nrows * r->ncols;
  for (size_t i = 0; i < r->ncols; i++) {
    int numeric = texts[i] == NULL && !isnan(reals[i]);
    row[i].real = numeric ? reals[i] : NAN;
    row[i].text = numeric ? real_text(reals[i])
                          : dup_text((const unsigned char *)texts[i]);
    if ((numeric || texts[i]) && !row[i].text) {
      for (size_t j = 0; j < i; j++)
        free(row[j].text);
      return NETREF_ENOMEM;
    }
  }
  r->nrows++;
  return NETREF_OK;
}
