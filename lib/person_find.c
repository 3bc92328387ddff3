/* Finding people by what a user remembers of them: netref_person_find
 * (key, name or e-mail containing a text, accents and case ignored), and
 * "did you mean ...?" for an unknown person key (nr_person_unknown), the
 * one place every "no person" message of the library comes from. Both
 * compare texts folded by nr_text_fold. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "suggest.h"

/* Suggestions are looked for among at most this many people: a scan
 * costs up to about 0.05 s per 100,000 people (keys that all look alike,
 * p000001 to p100000, are the worst case: each is compared in full), and
 * an error message should not take much longer than 0.1 s. A larger
 * network gets the plain message. */
#define NR_SUGGEST_MAX_PEOPLE 250000

/* How a person matches a search, best first; the values are the order of
 * the rows and index the names of the "match" column. */
enum { MATCH_EXACT, MATCH_PREFIX, MATCH_SUBSTRING, MATCH_NONE };
static const char *const match_names[] = {"exact", "prefix", "substring"};
/* The fields searched, in the order that breaks ties between matches. */
enum { FIELD_KEY, FIELD_NAME, FIELD_EMAIL, NFIELDS };
static const char *const field_names[] = {"key", "name", "email"};

/* Where the search text q (folded) is in a folded field: all of it, at
 * the start of the field or of a word (after an ASCII character that is
 * not a letter or digit: a space, '.', '@', '-', ...), or elsewhere. */
static int match_in(const char *field, const char *q) {
  if (strcmp(field, q) == 0)
    return MATCH_EXACT;
  const char *at = strstr(field, q);
  if (!at)
    return MATCH_NONE;
  for (; at; at = strstr(at + 1, q)) {
    unsigned char before = at == field ? ' ' : (unsigned char)at[-1];
    if (before < 0x80 && !(before >= 'a' && before <= 'z') &&
        !(before >= '0' && before <= '9'))
      return MATCH_PREFIX;
  }
  return MATCH_SUBSTRING;
}

struct found {
  char *text[NFIELDS]; /* as stored; the e-mail NULL when none */
  int match, field;
};

struct finds {
  struct found *v;
  size_t n, cap;
};

static void finds_free(struct finds *f) {
  for (size_t i = 0; i < f->n; i++)
    for (int c = 0; c < NFIELDS; c++)
      free(f->v[i].text[c]);
  free(f->v);
}

static int found_order(const void *pa, const void *pb) {
  const struct found *a = pa, *b = pb;
  if (a->match != b->match)
    return a->match < b->match ? -1 : 1;
  if (a->field != b->field)
    return a->field < b->field ? -1 : 1;
  return strcmp(a->text[FIELD_KEY], b->text[FIELD_KEY]);
}

static char *copy_text(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c)
    memcpy(c, s, n);
  return c;
}

/* Fold a stored text; *out NULL when there is none or it is not UTF-8
 * (a hostile file: such a text matches nothing). Only ENOMEM fails. */
static int fold_stored(netref_db *db, const unsigned char *s, char **out) {
  *out = NULL;
  if (!s)
    return NETREF_OK;
  int rc = nr_text_fold(db, (const char *)s, out);
  return rc == NETREF_EINVAL ? NETREF_OK : rc;
}

/* Compare one person's row (key, name, e-mail) with q; keep a match. */
static int consider_person(netref_db *db, sqlite3_stmt *st, const char *q,
                           struct finds *f) {
  struct found m = {.match = MATCH_NONE};
  int rc = NETREF_OK;
  for (int c = 0; rc == NETREF_OK && c < NFIELDS; c++) {
    char *folded;
    rc = fold_stored(db, sqlite3_column_text(st, c), &folded);
    int how = folded ? match_in(folded, q) : MATCH_NONE;
    if (how < m.match) {
      m.match = how;
      m.field = c;
    }
    free(folded);
  }
  if (rc != NETREF_OK || m.match == MATCH_NONE)
    return rc;
  int ok = 1;
  for (int c = 0; c < NFIELDS; c++) {
    const unsigned char *s = sqlite3_column_text(st, c);
    m.text[c] = s ? copy_text((const char *)s) : NULL;
    ok &= !s || m.text[c];
  }
  if (ok && nr_grow(&f->v, &f->cap, f->n + 1, sizeof *f->v) == 0) {
    f->v[f->n++] = m;
    return NETREF_OK;
  }
  for (int c = 0; c < NFIELDS; c++)
    free(m.text[c]);
  return nr_fail(db, NETREF_ENOMEM, "out of memory");
}

static int finds_to_rows(netref_db *db, struct finds *f, netref_rows **out) {
  static const char *const columns[] = {"key", "name", "email", "match",
                                        "field"};
  const double none[5] = {NAN, NAN, NAN, NAN, NAN};
  if (f->n > 1)
    qsort(f->v, f->n, sizeof *f->v, found_order);
  int rc = nr_rows_new(5, columns, out);
  for (size_t i = 0; rc == NETREF_OK && i < f->n; i++) {
    const struct found *m = &f->v[i];
    const char *cells[5] = {m->text[FIELD_KEY], m->text[FIELD_NAME],
                            m->text[FIELD_EMAIL], match_names[m->match],
                            field_names[m->field]};
    rc = nr_rows_append(*out, cells, none);
  }
  if (rc != NETREF_OK) {
    netref_rows_free(*out);
    *out = NULL;
    return nr_fail(db, rc, "out of memory");
  }
  return NETREF_OK;
}

static int find_people(netref_db *db, const char *q, netref_rows **out) {
  sqlite3_stmt *st;
  int rc = nr_prepare(db,
                      "SELECT p.key, p.name, e.value FROM person p"
                      " LEFT JOIN person_attr e"
                      " ON e.person = p.id AND e.name = 'email'",
                      &st);
  if (rc != NETREF_OK)
    return rc;
  struct finds f = {0};
  int step;
  while (rc == NETREF_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
    rc = consider_person(db, st, q, &f);
  if (rc == NETREF_OK && step != SQLITE_DONE)
    rc = nr_fail_sql(db, step, "find people");
  sqlite3_finalize(st);
  if (rc == NETREF_OK)
    rc = finds_to_rows(db, &f, out);
  finds_free(&f);
  return rc;
}

int netref_person_find(netref_db *db, const char *text, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "search text", text, 0);
  char *q = NULL;
  if (rc == NETREF_OK)
    rc = nr_text_fold(db, text, &q);
  if (rc == NETREF_OK && !*q)
    rc = nr_fail(db, NETREF_EINVAL,
                 "search text '%s' is empty once accents, case and "
                 "invisible characters are set aside",
                 text);
  if (rc == NETREF_OK)
    rc = find_people(db, q, out);
  free(q);
  return rc;
}

/* Weigh one person as a suggestion for the folded asked key: the closer
 * of their folded key and folded name. */
static int weigh_person(netref_db *db, sqlite3_stmt *st, struct nr_suggest *s) {
  const char *key = (const char *)sqlite3_column_text(st, 0);
  const char *name = (const char *)sqlite3_column_text(st, 1);
  size_t best = NR_SUGGEST_FAR;
  const char *texts[2] = {key, name && key && strcmp(name, key) ? name : NULL};
  int rc = NETREF_OK;
  for (int i = 0; rc == NETREF_OK && i < 2; i++) {
    char *folded;
    rc = fold_stored(db, (const unsigned char *)texts[i], &folded);
    if (folded) {
      size_t d = nr_suggest_distance(s, folded);
      best = d < best ? d : best;
    }
    free(folded);
  }
  if (rc == NETREF_OK && best != NR_SUGGEST_FAR &&
      nr_suggest_keep(s, key, texts[1], best))
    rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
  return rc;
}

/* Read up to NR_SUGGEST_MAX_PEOPLE + 1 people into the suggestions;
 * *n says how many there were. */
static int weigh_people(netref_db *db, struct nr_suggest *s, long long *n) {
  sqlite3_stmt *st;
  int rc = nr_prepare(db, "SELECT key, name FROM person LIMIT ?1", &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, NR_SUGGEST_MAX_PEOPLE + 1);
  int step;
  *n = 0;
  while (rc == NETREF_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
    if (++*n <= NR_SUGGEST_MAX_PEOPLE)
      rc = weigh_person(db, st, s);
  if (rc == NETREF_OK && step != SQLITE_DONE)
    rc = nr_fail_sql(db, step, "suggest people");
  sqlite3_finalize(st);
  return rc;
}

int nr_person_suggest(netref_db *db, const char *key, int names, char *buf,
                      size_t size) {
  buf[0] = 0;
  char *asked = NULL;
  int rc = nr_text_fold(db, key, &asked);
  if (rc == NETREF_EINVAL) /* not UTF-8: like nobody stored */
    return NETREF_OK;
  if (rc != NETREF_OK || !*asked) {
    free(asked);
    return rc;
  }
  struct nr_suggest s;
  nr_suggest_init(&s, asked);
  long long n = 0;
  rc = weigh_people(db, &s, &n);
  if (rc == NETREF_OK && n <= NR_SUGGEST_MAX_PEOPLE)
    nr_suggest_phrase(&s, names, buf, size);
  nr_suggest_free(&s);
  free(asked);
  return rc;
}

int nr_person_unknown(netref_db *db, const char *key) {
  char problem[96], phrase[NR_ERRMSG_SIZE / 2];
  int odd = nr_key_problem(key, problem, sizeof problem);
  int rc = nr_person_suggest(db, key, 1, phrase, sizeof phrase);
  if (rc != NETREF_OK)
    return rc;
  if (odd && *phrase)
    return nr_fail(db, NETREF_ENOTFOUND,
                   "no person '%s'; the key %s; did you mean %s?", key,
                   problem, phrase);
  if (odd)
    return nr_fail(db, NETREF_ENOTFOUND, "no person '%s'; the key %s", key,
                   problem);
  if (*phrase)
    return nr_fail(db, NETREF_ENOTFOUND, "no person '%s'; did you mean %s?",
                   key, phrase);
  return nr_fail(db, NETREF_ENOTFOUND, "no person '%s'", key);
}
