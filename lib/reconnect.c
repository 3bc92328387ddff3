/* The reconnect query: the source's overdue ties (past their cadence),
 * ranked by what they would reach of the tags the source needs or
 * offers. Reads the source's ties from SQLite, as the index holds no
 * cadence. Schema version 3 (contacts.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reach.h"
#include "scope.h"

/* A tag the source needs (the people who offer it match) or offers (the
 * people who need it match). */
struct src_tag {
  char *name;
  int needs, offers;
  /* The index's tags it matches: itself, its aliases and narrower tags
   * (the tag queries' expansion), or itself alone when exact. */
  struct nr_tag_match match;
};

/* An overdue tie of the source. */
struct cand {
  sqlite3_int64 id;
  char *key, *name, *last;
  double strength, score;
  long long overdue; /* days past due; -1 when never contacted */
  long long cadence; /* 0: none */
  uint32_t people;
  char *tags;
};

static int cmp_src_tag(const void *x, const void *y) {
  return strcmp(((const struct src_tag *)x)->name,
                ((const struct src_tag *)y)->name);
}

/* Score desc, days overdue desc (never contacted first), key. */
static int cmp_cand(const void *x, const void *y) {
  const struct cand *a = x, *b = y;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  long long da = a->overdue < 0 ? INT64_MAX : a->overdue;
  long long db = b->overdue < 0 ? INT64_MAX : b->overdue;
  if (da != db)
    return da > db ? -1 : 1;
  return strcmp(a->key, b->key);
}

static char *dup_col(sqlite3_stmt *st, int col) {
  const unsigned char *t = sqlite3_column_text(st, col);
  if (!t)
    return NULL;
  size_t n = strlen((const char *)t) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, t, n);
  return d;
}

static int holds(const uint32_t *people, uint32_t count, uint32_t v) {
  uint32_t lo = 0, hi = count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (people[mid] == v)
      return 1;
    if (people[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

/* The tags the source needs or offers, merged and in byte order. */
static int source_tags(netref_db *db, sqlite3_int64 sid, struct src_tag **out,
                       size_t *n_out) {
  *out = NULL;
  *n_out = 0;
  sqlite3_stmt *st;
  int rc = nr_prepare(db,
                      "SELECT tag, 1 FROM need WHERE person = ?1"
                      " UNION ALL SELECT tag, 0 FROM offer WHERE person = ?1",
                      &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, sid);
  struct src_tag *tags = NULL;
  size_t n = 0, cap = 0;
  int step;
  while (rc == NETREF_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
    if (nr_grow(&tags, &cap, n + 1, sizeof *tags)) {
      rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
      break;
    }
    int need = sqlite3_column_int(st, 1);
    tags[n] = (struct src_tag){
        .name = dup_col(st, 0), .needs = need, .offers = !need};
    if (!tags[n].name)
      rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
    else
      n++;
  }
  if (rc == NETREF_OK && step != SQLITE_DONE)
    rc = nr_fail_sql(db, step, "read tags");
  sqlite3_finalize(st);
  if (rc == NETREF_OK && n > 1) {
    qsort(tags, n, sizeof *tags, cmp_src_tag);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      if (m > 0 && strcmp(tags[m - 1].name, tags[i].name) == 0) {
        tags[m - 1].needs |= tags[i].needs;
        tags[m - 1].offers |= tags[i].offers;
        free(tags[i].name);
      } else {
        tags[m++] = tags[i];
      }
    }
    n = m;
  }
  if (rc != NETREF_OK) {
    for (size_t i = 0; i < n; i++)
      free(tags[i].name);
    free(tags);
    return rc;
  }
  *out = tags;
  *n_out = n;
  return NETREF_OK;
}

/* The source's overdue ties. */
static int overdue_ties(netref_db *db, sqlite3_int64 sid, int older_than,
                        int32_t today, struct cand **out, size_t *n_out) {
  *out = NULL;
  *n_out = 0;
  sqlite3_stmt *st;
  char sql[768];
  snprintf(sql, sizeof sql,
           "SELECT t.other, p.key, p.name, t.strength, t.last_contact,"
           " t.cadence FROM %s t JOIN person p ON p.id = t.other",
           nr_ties_of(db));
  int rc = nr_prepare(db, sql, &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_int64(st, 1, sid);
  struct cand *c = NULL;
  size_t n = 0, cap = 0;
  int step;
  while (rc == NETREF_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
    long long cadence = sqlite3_column_int64(st, 5);
    long long due = cadence > 0 ? cadence : older_than;
    if (due <= 0)
      continue; /* no cadence and no default age: never overdue */
    const unsigned char *last = sqlite3_column_text(st, 4);
    int32_t day;
    long long overdue = -1;
    if (last && !nr_parse_date((const char *)last, &day)) {
      long long age = (long long)today - day;
      if (age <= due)
        continue;
      overdue = age - due;
    }
    if (nr_grow(&c, &cap, n + 1, sizeof *c)) {
      rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
      break;
    }
    c[n] = (struct cand){.id = sqlite3_column_int64(st, 0),
                         .key = dup_col(st, 1),
                         .name = dup_col(st, 2),
                         .last = dup_col(st, 4),
                         .strength = sqlite3_column_double(st, 3),
                         .overdue = overdue,
                         .cadence = cadence > 0 ? cadence : 0};
    n++;
    if (!c[n - 1].key || !c[n - 1].name || (last && !c[n - 1].last))
      rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  if (rc == NETREF_OK && step != SQLITE_DONE)
    rc = nr_fail_sql(db, step, "read ties");
  sqlite3_finalize(st);
  *out = c;
  *n_out = n;
  return rc;
}

/* Person p (reached from the contact with reach r): when p matches a
 * source tag, count them and mark the tags. */
static void score_person(const struct src_tag *tags, size_t n_tags, uint32_t p,
                         double r, char *matched, double *sum,
                         uint32_t *people) {
  int any = 0;
  for (size_t i = 0; i < n_tags; i++) {
    int hit = 0;
    for (size_t j = 0; j < tags[i].match.n && !hit; j++) {
      const struct nr_tag *t = tags[i].match.tags[j];
      hit = (tags[i].needs && holds(t->offerers, t->n_offerers, p)) ||
            (tags[i].offers && holds(t->needers, t->n_needers, p));
    }
    if (hit)
      matched[i] = any = 1;
  }
  if (any) {
    *sum += r;
    (*people)++;
  }
}

/* The matched tags, newline-separated in byte order ("" when none). */
static char *join_tags(const struct src_tag *tags, size_t n_tags,
                       const char *matched) {
  size_t len = 1;
  for (size_t i = 0; i < n_tags; i++)
    if (matched[i])
      len += strlen(tags[i].name) + 1;
  char *s = malloc(len), *p = s;
  if (!s)
    return NULL;
  *p = '\0';
  for (size_t i = 0; i < n_tags; i++)
    if (matched[i]) {
      if (p != s)
        *p++ = '\n';
      size_t k = strlen(tags[i].name);
      memcpy(p, tags[i].name, k);
      p += k;
      *p = '\0';
    }
  return s;
}

/* Score every candidate: strength(s,c) times the sum of reach from c,
 * within hops-1 ties and never through s, of the matching people. */
static int score_all(netref_db *db, struct nr_index *ix, int64_t s, int hops,
                     int exact, struct src_tag *tags, size_t n_tags,
                     struct cand *c, size_t n) {
  int rc = NETREF_OK;
  for (size_t i = 0; rc == NETREF_OK && i < n_tags; i++)
    rc = nr_tag_match(db, ix, tags[i].name, exact, &tags[i].match);
  if (rc != NETREF_OK)
    return rc;
  struct nr_query_ctx *q = nr_query_ctx(db);
  if (!q)
    return NETREF_ENOMEM;
  /* The source is banned: reach from c never travels back through s. */
  uint32_t ban_stamp = nr_query_new_mark(q);
  char *matched = calloc(n_tags ? n_tags : 1, 1);
  rc = ban_stamp && matched ? NETREF_OK
                            : nr_fail(db, NETREF_ENOMEM, "out of memory");
  if (rc == NETREF_OK && s >= 0)
    q->marks[s] = ban_stamp;
  for (size_t k = 0; rc == NETREF_OK && k < n; k++) {
    int64_t v = nr_index_person_of_id(ix, c[k].id);
    double sum = 0;
    uint32_t people = 0;
    memset(matched, 0, n_tags ? n_tags : 1);
    if (v >= 0 && n_tags > 0) {
      score_person(tags, n_tags, (uint32_t)v, 1.0, matched, &sum, &people);
      if (hops > 1) {
        struct nr_reach_params params = {
            .source = (uint32_t)v,
            .hops = hops - 1,
            .ban = q->marks,
            .ban_stamp = ban_stamp,
            .skip_direct = -1,
        };
        rc = nr_reach_run(q->reach, ix, &params);
        if (rc != NETREF_OK) {
          rc = nr_fail_step(db, rc);
          break;
        }
        const uint32_t *reached;
        uint32_t n_reached = nr_reach_reached(q->reach, &reached);
        for (uint32_t j = 0; j < n_reached; j++)
          score_person(tags, n_tags, reached[j],
                       nr_reach_value(q->reach, reached[j]), matched, &sum,
                       &people);
      }
    }
    c[k].score = c[k].strength * sum;
    c[k].people = people;
    c[k].tags = join_tags(tags, n_tags, matched);
    if (!c[k].tags)
      rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  free(matched);
  return rc;
}

static int make_rows(netref_db *db, const struct cand *c, size_t n,
                     netref_rows **out) {
  static const char *const names[] = {"key",          "name",   "days_overdue",
                                      "score",        "tags",   "people",
                                      "last_contact", "cadence"};
  enum { NCOLS = sizeof names / sizeof *names };
  netref_rows *rows = NULL;
  int rc = nr_rows_new(NCOLS, names, &rows);
  for (size_t k = 0; rc == NETREF_OK && k < n; k++) {
    const char *texts[NCOLS] = {c[k].key,  c[k].name, NULL,      NULL,
                                c[k].tags, NULL,      c[k].last, NULL};
    double reals[NCOLS] = {NAN, NAN, NAN, c[k].score, NAN, (double)c[k].people,
                           NAN, NAN};
    if (c[k].overdue >= 0)
      reals[2] = (double)c[k].overdue;
    if (c[k].cadence > 0)
      reals[7] = (double)c[k].cadence;
    rc = nr_rows_append(rows, texts, reals);
  }
  if (rc != NETREF_OK) {
    netref_rows_free(rows);
    return nr_fail(db, rc, "out of memory");
  }
  *out = rows;
  return NETREF_OK;
}

static int reconnect(netref_db *db, const char *source, int older_than_days,
                     const netref_options *opts, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_contact_ready(db, 0);
  if (rc == NETREF_OK && older_than_days < 0)
    rc = nr_fail(db, NETREF_EINVAL,
                 "older_than_days %d is negative (0: only ties with a "
                 "cadence)",
                 older_than_days);
  sqlite3_int64 sid;
  if (rc == NETREF_OK)
    rc = nr_person_lookup(db, source, &sid);
  if (rc != NETREF_OK)
    return rc;
  struct netref_options o;
  nr_options_get(opts, &o);
  int32_t today = o.today_set ? o.today : nr_today();
  struct src_tag *tags = NULL;
  struct cand *c = NULL;
  size_t n_tags = 0, n = 0;
  rc = overdue_ties(db, sid, older_than_days, today, &c, &n);
  if (rc == NETREF_OK && n > 0)
    rc = source_tags(db, sid, &tags, &n_tags);
  if (rc == NETREF_OK && n > 0)
    rc = nr_index_ready(db);
  if (rc == NETREF_OK && n > 0)
    rc = score_all(db, db->index, nr_index_person_of_id(db->index, sid), o.hops,
                   o.exact, tags, n_tags, c, n);
  if (rc == NETREF_OK && n > 1)
    qsort(c, n, sizeof *c, cmp_cand);
  if (rc == NETREF_OK)
    rc = make_rows(
        db, c, o.limit > 0 && (size_t)o.limit < n ? (size_t)o.limit : n, out);
  for (size_t i = 0; i < n_tags; i++) {
    free(tags[i].name);
    nr_tag_match_free(&tags[i].match);
  }
  free(tags);
  for (size_t i = 0; i < n; i++) {
    free(c[i].key);
    free(c[i].name);
    free(c[i].last);
    free(c[i].tags);
  }
  free(c);
  return rc;
}

int netref_reconnect(netref_db *db, const char *source, int older_than_days,
                     const netref_options *opts, netref_rows **out) {
  nr_run_begin(db);
  return nr_run_end(db, reconnect(db, source, older_than_days, opts, out));
}
