/* Helpers shared by the cmocka unit tests. */
#ifndef NETREF_TEST_SUPPORT_H
#define NETREF_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netref.h"

/* A fresh in-memory network, closed by the teardown below. */
static inline int open_memory(void **state) {
  netref_db *db = NULL;
  if (netref_open(":memory:", &db) != NETREF_OK)
    return -1;
  *state = db;
  return 0;
}

static inline int close_db(void **state) {
  netref_close(*state);
  return 0;
}

/* The schema version netref writes (lib/store.c's migrations): the tests
 * that make older files from a current one drop what came after. */
#define T_SCHEMA_VERSION 6

/* SQL that turns the tie table of a current file into the layout of
 * schema versions 1 to 5, which a test makes from a current file: each
 * tie stored twice, as (a, b) and (b, a), its last contact as text. */
#define TIE_DATE                                                               \
  "iif(typeof(last_contact) = 'integer', date(2440587.5 + last_contact),"      \
  " last_contact)"
#define TIES_TWICE_SQL                                                         \
  "CREATE TABLE tie_twice("                                                    \
  " a INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"               \
  " b INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"               \
  " strength REAL NOT NULL CHECK (strength > 0 AND strength <= 1),"            \
  " last_contact TEXT, context TEXT,"                                          \
  " cadence INTEGER CHECK (cadence IS NULL OR cadence > 0),"                   \
  " PRIMARY KEY (a, b), CHECK (a <> b)) WITHOUT ROWID;"                        \
  "INSERT INTO tie_twice SELECT a, b, strength, " TIE_DATE ", context,"        \
  " cadence FROM tie UNION ALL SELECT b, a, strength, " TIE_DATE ","           \
  " context, cadence FROM tie;"                                                \
  "DROP TABLE tie; ALTER TABLE tie_twice RENAME TO tie;"

#define ASSERT_OK(call)                                                        \
  do {                                                                         \
    int rc_ = (call);                                                          \
    if (rc_ != NETREF_OK)                                                      \
      fail_msg("%s failed: %d (%s)", #call, rc_, netref_strerror(rc_));        \
  } while (0)

/* The text of a column named `col` in row `row`, or NULL. */
static inline const char *cell_named(const netref_rows *rows, size_t row,
                                     const char *col) {
  for (size_t c = 0; c < netref_rows_columns(rows); c++)
    if (strcmp(netref_rows_column_name(rows, c), col) == 0)
      return netref_rows_text(rows, row, c);
  return NULL;
}

/* The lines of an error message, split on '\n' (free l->copy). */
struct lines {
  char *copy;
  char *line[64];
  int n;
};

static inline void split_lines(const char *msg, struct lines *l) {
  l->copy = strdup(msg);
  assert_non_null(l->copy);
  l->n = 0;
  for (char *s = l->copy, *nl; s && l->n < 64; s = nl ? nl + 1 : NULL) {
    nl = strchr(s, '\n');
    if (nl)
      *nl = 0;
    l->line[l->n++] = s;
  }
}

/* Line i of the message is "PATH:LINE: " followed by a problem that
 * mentions hint. */
static inline void expect_line(const struct lines *l, int i, const char *path,
                               long line, const char *hint) {
  char prefix[4200];
  snprintf(prefix, sizeof prefix, "%s:%ld: ", path, line);
  if (i >= l->n)
    fail_msg("message has %d lines, wanted line %d: %s...", l->n, i + 1,
             prefix);
  if (strncmp(l->line[i], prefix, strlen(prefix)) != 0 ||
      !strstr(l->line[i] + strlen(prefix), hint))
    fail_msg("line %d is '%s', expected '%s...%s...'", i + 1, l->line[i],
             prefix, hint);
}

#endif
