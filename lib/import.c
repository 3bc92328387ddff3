/* CSV import (libcsv): people, ties, offers, needs, the tag taxonomy and
 * group memberships, all or nothing.
 * Records are fed to libcsv one physical line at a time, so that an error
 * names the line where the bad record starts even when quoted fields
 * span lines.
 *
 * Problems are reported as compilers report them: a bad row is noted
 * ("FILE:LINE: problem") and reading goes on, so that one run finds every
 * bad row (the first NETREF_IMPORT_MAX_ERRORS are kept, the rest only
 * counted); nothing is committed when there was any. The good rows are
 * still written (into the transaction that is rolled back), so that a
 * row naming a person of a later good row is not reported by mistake.
 * What leaves nothing sensible to read on with stops the import at once:
 * a file that cannot be read, a header row that is wrong (the columns
 * are unknown), broken CSV quoting (the record boundaries are lost), and
 * failures that are not the data's (out of memory, the store's errors,
 * cancellation). */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import.h"
#include "keymap.h"
#include "tie_batch.h"

/* The columns each kind knows; the first `required` must be present.
 * people.csv keeps unknown columns as attributes, the others reject them. */
struct layout {
  const char *file;
  const char *names; /* the columns, for messages */
  int required;
  const char *columns[7];
  unsigned persons; /* the known columns naming a person by key (bit c) */
};

static const struct layout layouts[NR_CSV_KINDS] = {
    [NETREF_CSV_PEOPLE] = {"people",
                           "key, name, attributes...",
                           1,
                           {"key", "name", NULL},
                           1u << 0},
    [NETREF_CSV_TIES] = {"ties",
                         "a, b, strength, last_contact, context, "
                         "cadence",
                         2,
                         {"a", "b", "strength", "last_contact", "context",
                          "cadence", NULL},
                         1u << 0 | 1u << 1},
    [NETREF_CSV_OFFERS] = {"offers",
                           "person, tag, note",
                           2,
                           {"person", "tag", "note", NULL},
                           1u << 0},
    [NETREF_CSV_NEEDS] = {"needs",
                          "person, tag, weight",
                          2,
                          {"person", "tag", "weight", NULL},
                          1u << 0},
    [NETREF_CSV_TAXONOMY] = {"taxonomy",
                             "tag, relation, other",
                             3,
                             {"tag", "relation", "other", NULL},
                             0},
    [NETREF_CSV_GROUPS] = {"groups",
                           "group, person, group_name",
                           2,
                           {"group", "person", "group_name", NULL},
                           1u << 1},
};

/* What the files of one import share. */
struct run {
  struct nr_keymap *ids; /* people met in this import: key -> row id */
  /* Keys of people.csv rows that were bad -> their line: a later row
   * naming such a person is not reported again (see person_of). */
  struct nr_keymap *bad_people;
  struct nr_tie_batch *ties;
  struct nr_problems problems;
  /* Unknown people that may still get "did you mean": each costs a scan
   * of the people (nr_person_suggest), so a file full of them does not
   * make a failing import slow. */
  int suggestions_left;
  /* The second half of the ties file, read on a second thread while it
   * runs (see "Two threads" below); NULL otherwise. */
  struct part *part;
  /* Tags as written -> index of their normal form in `norms` (see
   * tag_cell); up to NR_TAG_CACHE of them. */
  struct nr_keymap *tags;
  char **norms;
  size_t nnorms, norms_cap;
};

/* The most tags an import remembers normalized. */
#define NR_TAG_CACHE 65536

#define NR_IMPORT_SUGGESTIONS 5

/* A row function returns NR_ROW_REJECTED (import.h) when the row is not
 * imported: its problem was noted (or, with r->rc set, the import
 * stops). */

struct reader {
  netref_db *db;
  const netref_import *imp;
  struct run *run;
  int kind;
  const char *path;
  long line;        /* physical line being fed */
  long record_line; /* line where the current record starts */
  long long offset; /* file offset of the next line to feed */
  /* File offset where the current record starts when that is the start
   * of a line; -1 otherwise. */
  long long record_offset;
  /* Set on the second thread: that reader takes rows into its part's
   * batch and stops (part_stop) wherever the first must take over. */
  struct part *part;
  int in_record;    /* a field was seen since the last record ended */
  size_t bad_field; /* the first field of the record that is not UTF-8
                       (1-based); 0: none */
  /* The current record: its fields' text, one after the other (each
   * ends in a NUL), where each starts, and (set when the record ends)
   * pointers to them. One buffer for every record, where a copy per
   * field cost a fifth of reading a ties file. */
  char *text;
  size_t text_len, text_cap;
  size_t *starts;
  char **fields;
  size_t nfields, cap;
  /* From the header: the column of each known field (-1 absent), and
   * every column's name (for attributes). */
  int col[6];
  struct nr_keymap *groups; /* groups met in this file (groups.csv) */
  struct nr_keymap *keys;   /* people.csv: key -> line of its row */
  char **names;
  size_t ncols;
  long long rows; /* data rows read, bad ones too */
  int rc;         /* the failure that stops the import; NETREF_OK */
  /* For guessing how many rows are left (reserve_rows): the file's size
   * (0: unknown, not a regular file) and where this reader's data rows
   * start. */
  long long size, data_start;
  /* The columns that hold person keys (bit i: column i), looked up in
   * the key map once their record ends: prefetched lines ahead
   * (prefetch_keys). */
  uint64_t key_cols;
};

/* The second half of a large ties file ("Two threads" below). */
struct part {
  struct reader r; /* the second thread's; r.line counts from start */
  struct nr_tie_batch *ties;
  pthread_t thread;
  long long start; /* file offset of the half's first line */
  atomic_int stop; /* the first thread asks the second to stop */
  atomic_int done; /* the second thread has finished */
  dev_t dev;       /* the file the first thread reads */
  ino_t ino;
  int joined;
  /* How the second thread ended: the file read to its end, or stopped
   * before the record at end_offset, line end_line (from start);
   * end_offset -1: nothing it read can be used. */
  int complete;
  long long end_offset;
  long end_line;
};

static int stop_at_line(struct reader *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int row_problem(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The second thread's reader has stopped before its current record:
 * what comes next is the first thread's to do. Never a netref code. */
#define NR_PART_STOPPED 2

static int part_stop(struct reader *r) { return r->rc = NR_PART_STOPPED; }

/* Stop the import with "FILE:LINE: problem". */
static int stop_at_line(struct reader *r, int code, const char *fmt, ...) {
  if (r->part)
    return part_stop(r);
  char problem[NR_ERRMSG_SIZE];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(problem, sizeof problem, fmt, ap);
  va_end(ap);
  r->rc = nr_fail(r->db, code, "%s:%ld: %s", r->path, r->record_line, problem);
  return r->rc;
}

/* Whether the next problem noted will be kept for the message (so worth
 * describing in full). */
static int problem_shown(const struct reader *r) {
  return nr_problem_shown(&r->run->problems);
}

int nr_problem_shown(const struct nr_problems *p) {
  return p->count < NETREF_IMPORT_MAX_ERRORS;
}

int nr_problem_add(netref_db *db, struct nr_problems *p, const char *path,
                   long line, const char *problem) {
  if (!nr_problem_shown(p)) {
    p->count++;
    return NETREF_OK;
  }
  int n = snprintf(NULL, 0, "%s:%ld: %s\n", path, line, problem);
  if (n < 0 || nr_grow(&p->text, &p->cap, p->len + (size_t)n + 1, 1))
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  snprintf(p->text + p->len, (size_t)n + 1, "%s:%ld: %s\n", path, line,
           problem);
  p->len += (size_t)n;
  p->count++;
  return NETREF_OK;
}

/* Note the current row's problem as "FILE:LINE: problem" and go on; past
 * the cap it is only counted. Returns NR_ROW_REJECTED (or, when memory
 * runs out, stops the import). */
static int row_problem(struct reader *r, const char *fmt, ...) {
  if (r->part)
    return part_stop(r);
  char problem[NR_ERRMSG_SIZE] = "";
  if (problem_shown(r)) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
  }
  if (nr_problem_add(r->db, &r->run->problems, r->path, r->record_line,
                     problem) != NETREF_OK)
    return r->rc = NETREF_ENOMEM;
  return NR_ROW_REJECTED;
}

/* A failure of the store while taking a row: invalid or unknown data is
 * the row's problem; anything else (I/O, a full disk, out of memory,
 * cancellation) stops the import with its code, file and line prefixed. */
static int row_fail_from(struct reader *r, int code) {
  char msg[NR_ERRMSG_SIZE];
  snprintf(msg, sizeof msg, "%s", r->db->errmsg);
  if (code == NETREF_EINVAL || code == NETREF_ENOTFOUND)
    return row_problem(r, "%s", msg);
  return stop_at_line(r, code, "%s", msg);
}

static int out_of_memory(struct reader *r) {
  if (r->part)
    return part_stop(r);
  return r->rc = nr_fail(r->db, NETREF_ENOMEM, "out of memory");
}

/* A person key is looked up when its record ends, a slot at random in a
 * map of every person, a cache miss each (the lookups were a third of
 * reading a ties file at 1M people, by perf). feed_lines reads
 * NR_READ_AHEAD lines ahead of the parser, and this starts loading the
 * slots of a line's keys as it is read, so that the lookups find them in
 * the cache. The fields are found the simple way (split at commas, up to
 * the first quote): a line this gets wrong only loads slots for
 * nothing. */
static void prefetch_keys(const struct reader *r, const char *line, size_t n) {
  uint64_t want = r->key_cols;
  const char *field = line, *end = line + n;
  for (int c = 0; want && c < 64 && field <= end; c++, want >>= 1) {
    const char *stop = field;
    while (stop < end && *stop != ',' && *stop != '"' && *stop != '\n' &&
           *stop != '\r')
      stop++;
    if (want & 1) {
      nr_keymap_prefetch(r->run->ids, field, (size_t)(stop - field));
      if (r->keys)
        nr_keymap_prefetch(r->keys, field, (size_t)(stop - field));
    }
    if (stop == end || *stop != ',')
      return;
    field = stop + 1;
  }
}

/* A field that is not UTF-8 is kept (so that the record's fields still
 * count right) and makes its record bad. */
static void on_field(void *data, size_t len, void *ctx) {
  struct reader *r = ctx;
  r->in_record = 1;
  if (r->rc != NETREF_OK)
    return;
  size_t cap = r->cap;
  if (nr_grow(&r->fields, &cap, r->nfields + 1, sizeof *r->fields) ||
      nr_grow(&r->starts, &r->cap, r->nfields + 1, sizeof *r->starts) ||
      nr_grow(&r->text, &r->text_cap, r->text_len + len + 1, 1)) {
    out_of_memory(r);
    return;
  }
  char *copy = r->text + r->text_len;
  if (len)
    memcpy(copy, data, len);
  copy[len] = 0;
  if (!r->bad_field && (memchr(copy, 0, len) || !nr_utf8_valid(copy, len)))
    r->bad_field = r->nfields + 1;
  r->starts[r->nfields++] = r->text_len;
  r->text_len += len + 1;
}

/* Point the fields into the text once it no longer moves. */
static void point_fields(struct reader *r) {
  for (size_t i = 0; i < r->nfields; i++)
    r->fields[i] = r->text + r->starts[i];
}

static void clear_fields(struct reader *r) {
  r->nfields = 0;
  r->text_len = 0;
}

/* Map each column name to its known field (ASCII case-insensitive); an
 * attribute column of people.csv keeps its name as written, so that an
 * exported file gives back "Org" as "Org". `seen` holds the names so
 * far, so that a repeated one is found in O(1) and a header of n columns
 * costs O(n). Errors come in column order. */
static int map_columns(struct reader *r, struct nr_keymap *seen) {
  const struct layout *l = &layouts[r->kind];
  for (size_t i = 0; i < r->nfields; i++) {
    const char *name = r->fields[i];
    size_t len = strlen(name) + 1;
    if (!(r->names[i] = malloc(len)))
      return out_of_memory(r);
    memcpy(r->names[i], name, len);
    if (!*name)
      return stop_at_line(r, NETREF_EPARSE, "column %zu has no name", i + 1);
    int known = -1;
    for (int c = 0; l->columns[c]; c++)
      if (strcasecmp(l->columns[c], name) == 0)
        known = c;
    const char *id = known >= 0 ? l->columns[known] : name;
    int64_t earlier;
    if (nr_keymap_get(seen, id, &earlier))
      return stop_at_line(r, NETREF_EPARSE, "column '%s' appears twice", id);
    if (nr_keymap_put(seen, id, (int64_t)i))
      return out_of_memory(r);
    if (known >= 0)
      r->col[known] = (int)i;
    else if (r->kind != NETREF_CSV_PEOPLE)
      return stop_at_line(r, NETREF_EPARSE,
                          "unknown column '%s' in the header row (the first "
                          "line names the columns; a %s file has %s)",
                          name, l->file, l->names);
  }
  return NETREF_OK;
}

/* Header: map column names (trimmed, ASCII case-insensitive). A wrong
 * header stops the import: the rows cannot be read without it. */
static int read_header(struct reader *r) {
  const struct layout *l = &layouts[r->kind];
  for (int c = 0; c < 6; c++)
    r->col[c] = -1;
  if (r->bad_field)
    return stop_at_line(r, NETREF_EPARSE, "field %zu is not valid UTF-8",
                        r->bad_field);
  r->names = calloc(r->nfields ? r->nfields : 1, sizeof *r->names);
  struct nr_keymap *seen = nr_keymap_new();
  if (!r->names || !seen) {
    nr_keymap_free(seen);
    return out_of_memory(r);
  }
  r->ncols = r->nfields;
  int rc = map_columns(r, seen);
  nr_keymap_free(seen);
  if (rc != NETREF_OK)
    return rc;
  for (int c = 0; c < l->required; c++)
    if (r->col[c] < 0)
      return stop_at_line(r, NETREF_EPARSE,
                          "the header lacks column '%s' (the first line must "
                          "be a header row naming the columns: %s)",
                          l->columns[c], l->names);
  for (int c = 0; c < 6; c++)
    if (r->col[c] >= 0 && r->col[c] < 64 && (l->persons >> c & 1))
      r->key_cols |= (uint64_t)1 << r->col[c];
  r->data_start = r->offset;
  return NETREF_OK;
}

/* The cell of known column c: NULL when the column is absent. */
static const char *cell(const struct reader *r, int c) {
  return r->col[c] >= 0 ? r->fields[r->col[c]] : NULL;
}

static int required_cell(struct reader *r, int c, const char **out) {
  *out = cell(r, c);
  if (!**out)
    return row_problem(r, "%s is empty", layouts[r->kind].columns[c]);
  return NETREF_OK;
}

/* A number in (0,1]; an absent column keeps, an empty cell defaults. */
static int unit_number(struct reader *r, int c, double dflt, double *out) {
  const char *s = cell(r, c);
  const char *what = layouts[r->kind].columns[c];
  if (!s) {
    *out = NR_KEEP;
    return NETREF_OK;
  }
  if (!*s) {
    *out = dflt;
    return NETREF_OK;
  }
  double v;
  if (nr_parse_real(s, &v))
    return row_problem(r, "bad number '%s' for %s", s, what);
  if (!nr_strength_valid(v))
    return row_problem(r, "%s %s is out of range (0,1]", what, s);
  *out = v;
  return NETREF_OK;
}

static void part_pause(struct run *run);

static int remember(struct reader *r, const char *key, sqlite3_int64 id) {
  part_pause(r->run); /* it reads the map without a lock */
  if (nr_keymap_put(r->run->ids, key, id))
    return out_of_memory(r);
  return NETREF_OK;
}

static int unknown_person(struct reader *r, const char *key) {
  char problem[96], phrase[NR_ERRMSG_SIZE / 2] = "";
  if (problem_shown(r) && r->run->suggestions_left > 0) {
    r->run->suggestions_left--;
    int rc = nr_person_suggest(r->db, key, 1, phrase, sizeof phrase);
    if (rc != NETREF_OK)
      return row_fail_from(r, rc);
  }
  if (nr_key_problem(key, problem, sizeof problem))
    return row_problem(r, "unknown person '%s'; the key %s%s%s%s", key, problem,
                       *phrase ? "; did you mean " : "", phrase,
                       *phrase ? "?" : ""); /* an unseen character */
  if (*phrase)
    return row_problem(r,
                       "unknown person '%s': did you mean %s? Otherwise add "
                       "them to people.csv, or import with create-missing "
                       "to create them",
                       key, phrase);
  return row_problem(r,
                     "unknown person '%s' (add them to people.csv, or "
                     "import with create-missing to create them)",
                     key);
}

/* The person of known column c, created when unknown and the job says
 * so. A person whose own row in people.csv was bad is not reported here
 * again: that row's problem is the cause, and a tie, offer or group row
 * per mention would bury it (as compilers say "undeclared" once). Such a
 * row is rejected without a word; fixing the people row brings its other
 * problems, if any, to light in the next run. */
static int person_of(struct reader *r, int c, sqlite3_int64 *id) {
  const char *key;
  if (required_cell(r, c, &key) != NETREF_OK)
    return NR_ROW_REJECTED;
  int64_t known;
  if (nr_keymap_get(r->run->ids, key, &known)) {
    *id = known;
    return NETREF_OK;
  }
  if (r->part) /* the store is the first thread's */
    return part_stop(r);
  int found;
  int rc = nr_person_probe(r->db, key, id, &found);
  if (rc != NETREF_OK)
    return row_fail_from(r, rc);
  if (!found && nr_keymap_get(r->run->bad_people, key, &known))
    return NR_ROW_REJECTED;
  if (!found && !r->imp->create_missing)
    return unknown_person(r, key);
  if (!found) {
    rc = nr_check_key(r->db, "person key", key);
    if (rc == NETREF_OK)
      rc = nr_person_upsert(r->db, key, NULL, id);
    if (rc != NETREF_OK)
      return row_fail_from(r, rc);
  }
  return remember(r, key, *id);
}

/* A key on two rows of one file is a mistake, not an update. */
static int first_time(struct reader *r, const char *key) {
  int64_t line;
  if (nr_keymap_get(r->keys, key, &line))
    return row_problem(r, "person '%s' is listed twice (first on line %lld)",
                       key, (long long)line);
  if (nr_keymap_put(r->keys, key, r->record_line))
    return out_of_memory(r);
  return NETREF_OK;
}

static int import_person(struct reader *r) {
  const char *key, *name = cell(r, 1);
  if (required_cell(r, 0, &key) != NETREF_OK || first_time(r, key))
    return NR_ROW_REJECTED;
  sqlite3_int64 id;
  int rc = nr_check_key(r->db, "person key", key);
  if (rc == NETREF_OK)
    rc = nr_person_upsert(r->db, key, name && !*name ? key : name, &id);
  if (rc == NETREF_OK && remember(r, key, id))
    return NR_ROW_REJECTED;
  for (size_t i = 0; rc == NETREF_OK && i < r->ncols; i++)
    if ((int)i != r->col[0] && (int)i != r->col[1])
      rc = nr_person_attr_write(r->db, id, r->names[i], r->fields[i]);
  return rc == NETREF_OK ? rc : row_fail_from(r, rc);
}

/* A cadence in days: an absent column keeps (-1), an empty cell
 * clears (0). */
static int cadence_cell(struct reader *r, int c, long long *out) {
  const char *s = cell(r, c);
  *out = !s ? -1 : 0;
  if (!s || !*s)
    return NETREF_OK;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (*end || errno || v < 1 || v > INT32_MAX)
    return row_problem(
        r, "bad cadence '%s' (expected a whole number of days > 0)", s);
  *out = v;
  return NETREF_OK;
}

static int import_tie(struct reader *r) {
  sqlite3_int64 a, b;
  double strength;
  long long cadence;
  const char *date = cell(r, 3);
  int32_t day = !date ? NR_DAY_KEEP : NR_NO_DATE;
  if (person_of(r, 0, &a) || person_of(r, 1, &b) ||
      unit_number(r, 2, NR_DEFAULT_STRENGTH, &strength) ||
      cadence_cell(r, 5, &cadence))
    return NR_ROW_REJECTED;
  if (a == b)
    return row_problem(r, "tie of '%s' to themself", cell(r, 0));
  if (date && *date && nr_parse_date(date, &day))
    return row_problem(
        r, "bad date '%s' for last_contact (expected YYYY-MM-DD)", date);
  if (r->part)
    return nr_tie_batch_put(r->part->ties, a, b, strength, day, cell(r, 4),
                            cadence)
               ? part_stop(r)
               : NETREF_OK;
  int rc = nr_tie_batch_add(r->db, r->run->ties, a, b, strength, day,
                            cell(r, 4), cadence);
  return rc == NETREF_OK ? rc : row_fail_from(r, rc);
}

/* Remember tag's normal form (the run owns it from here on); 0, or -1
 * when out of memory (norm is freed). */
static int keep_norm(struct run *run, const char *tag, char *norm) {
  if (nr_grow(&run->norms, &run->norms_cap, run->nnorms + 1,
              sizeof *run->norms) ||
      nr_keymap_put(run->tags, tag, (int64_t)run->nnorms)) {
    free(norm);
    return -1;
  }
  run->norms[run->nnorms++] = norm;
  return 0;
}

/* A tag of known column c, normalized; errors name the column. *norm
 * lives as long as the import, unless *owned is set (to it): the caller
 * frees that. Offers and needs name a few hundred tags over and over,
 * and Unicode normalization was a quarter of reading them: each tag is
 * normalized once an import (the first NR_TAG_CACHE tags met). */
static int tag_cell(struct reader *r, int c, const char **norm, char **owned) {
  const char *tag;
  *norm = *owned = NULL;
  if (required_cell(r, c, &tag) != NETREF_OK)
    return NR_ROW_REJECTED;
  int64_t at;
  if (nr_keymap_get(r->run->tags, tag, &at)) {
    *norm = r->run->norms[at];
    return NETREF_OK;
  }
  char *fresh;
  int rc = nr_tag_normalize(r->db, tag, &fresh);
  if (rc == NETREF_ENOMEM)
    return r->rc = rc;
  if (rc != NETREF_OK) {
    char msg[NR_ERRMSG_SIZE];
    snprintf(msg, sizeof msg, "%s", r->db->errmsg);
    return row_problem(r, "column %s: %s", layouts[r->kind].columns[c], msg);
  }
  *norm = fresh;
  if (r->run->nnorms == NR_TAG_CACHE)
    *owned = fresh;
  else if (keep_norm(r->run, tag, fresh)) {
    *norm = NULL; /* freed */
    return out_of_memory(r);
  }
  return NETREF_OK;
}

/* Offers and needs: person, tag, then note or weight. */
static int import_holding(struct reader *r) {
  sqlite3_int64 id;
  double weight = NR_KEEP;
  const char *norm;
  char *owned;
  if (person_of(r, 0, &id) || tag_cell(r, 1, &norm, &owned))
    return NR_ROW_REJECTED;
  if (r->kind == NETREF_CSV_NEEDS && unit_number(r, 2, 1.0, &weight)) {
    free(owned);
    return NR_ROW_REJECTED;
  }
  int rc = r->kind == NETREF_CSV_NEEDS
               ? nr_need_write(r->db, id, norm, weight)
               : nr_offer_write(r->db, id, norm, cell(r, 2));
  free(owned);
  return rc == NETREF_OK ? rc : row_fail_from(r, rc);
}

/* taxonomy.csv and groups.csv */

/* tag, relation (alias or broader), other. */
static int import_relation(struct reader *r) {
  const char *relation;
  if (required_cell(r, 1, &relation) != NETREF_OK)
    return NR_ROW_REJECTED;
  int rel = strcmp(relation, "alias") == 0     ? NETREF_RELATION_ALIAS
            : strcmp(relation, "broader") == 0 ? NETREF_RELATION_BROADER
                                               : 0;
  if (!rel)
    return row_problem(r, "bad relation '%s' (expected alias or broader)",
                       relation);
  const char *tag, *other;
  char *owned[2] = {NULL, NULL};
  int rc = tag_cell(r, 0, &tag, &owned[0]);
  if (rc == NETREF_OK)
    rc = tag_cell(r, 2, &other, &owned[1]);
  if (rc == NETREF_OK) {
    rc = nr_tag_relate_write(r->db, tag, rel, other);
    if (rc != NETREF_OK)
      rc = row_fail_from(r, rc);
  }
  free(owned[0]);
  free(owned[1]);
  return rc;
}

/* group, person[, group_name]: the group is created when unknown and
 * named group_name when that is given; an empty person makes the row
 * the group's alone (an export's group without members). */
static int import_membership(struct reader *r) {
  const char *group, *name = cell(r, 2), *person_key = cell(r, 1);
  sqlite3_int64 person = 0, id;
  if (required_cell(r, 0, &group) != NETREF_OK ||
      (*person_key && person_of(r, 1, &person)))
    return NR_ROW_REJECTED;
  int64_t known;
  if (nr_keymap_get(r->groups, group, &known)) {
    id = known;
  } else {
    int rc = nr_group_ensure(r->db, group, &id);
    if (rc != NETREF_OK)
      return row_fail_from(r, rc);
    if (nr_keymap_put(r->groups, group, id))
      return out_of_memory(r);
  }
  int rc = name && *name ? nr_group_name_write(r->db, id, name) : NETREF_OK;
  if (rc == NETREF_OK && *person_key)
    rc = nr_group_member_write(r->db, id, person);
  return rc == NETREF_OK ? rc : row_fail_from(r, rc);
}

/* Every few thousand rows: tell the caller, who may cancel, and see
 * whether netref_interrupt() was called. */
static int report_progress(struct reader *r) {
  long long rows = r->rows;
  if ((r->imp->progress &&
       r->imp->progress(r->imp->user, r->path, rows) != 0) ||
      nr_interrupted(r->db))
    r->rc = nr_fail(r->db, NETREF_ECANCELED,
                    "%s: import canceled after %lld rows; nothing was "
                    "imported",
                    r->path, rows);
  return r->rc;
}

/* A bad people.csv row: remember its key (when it has a usable one), so
 * that rows naming that person are not reported again (person_of). */
static void note_bad_person(struct reader *r) {
  int c = r->col[0];
  if (c < 0 || (size_t)c >= r->nfields || r->bad_field == (size_t)c + 1)
    return;
  const char *key = r->fields[c];
  if (*key && nr_keymap_put(r->run->bad_people, key, r->record_line))
    out_of_memory(r);
}

static int part_should_stop(const struct reader *r);

/* Rows read before the rest of a large file is guessed from them: a
 * ties file's batch, a people file's key maps (later: their guess makes
 * memory that is all touched, so it is taken from more rows and held to
 * NR_KEYS_GROWTH times the rows read). */
#define NR_GUESS_AFTER 4096
#define NR_GUESS_KEYS_AFTER 65536
#define NR_KEYS_GROWTH 16
#define NR_RESERVE_MAX ((size_t)1 << 26)

static long long guess_after(const struct reader *r) {
  return r->kind == NETREF_CSV_PEOPLE ? NR_GUESS_KEYS_AFTER : NR_GUESS_AFTER;
}

/* Room for the rows left, guessed from the bytes of those read so far,
 * made at once: the key maps of a people file and the batch of a ties
 * file doubled as rows came, and each doubling rehashed or copied
 * everything before it (a tenth of reading a 10M-row ties file, by
 * perf). The batch gets a tenth to spare: only what is filled is
 * touched. A key map is written all over, so what it is given is
 * memory used: it gets the guess itself (it rounds up to a power of two;
 * a spare tenth over a boundary doubled it) and at most NR_KEYS_GROWTH
 * times the rows so far (a file whose first rows are much shorter than
 * the rest is guessed far too long). A guess too small only means
 * growing as before; a failure to make room is no error (the rows may
 * still fit as they come). */
static void reserve_rows(struct reader *r) {
  long long used = r->offset - r->data_start, left = r->size - r->offset;
  if (r->size <= 0 || used <= 0 || left <= 0)
    return;
  double guess = (double)left / ((double)used / (double)r->rows);
  size_t n = guess < (double)NR_RESERVE_MAX ? (size_t)guess : NR_RESERVE_MAX;
  if (r->kind == NETREF_CSV_TIES)
    (void)nr_tie_batch_reserve(r->part ? r->part->ties : r->run->ties,
                               n + n / 10);
  if (r->kind == NETREF_CSV_PEOPLE) {
    size_t most = (size_t)r->rows * NR_KEYS_GROWTH;
    n = n < most ? n : most;
    part_pause(r->run); /* none while people are read; the map is shared */
    (void)nr_keymap_reserve(r->keys, n);
    (void)nr_keymap_reserve(r->run->ids, n);
  }
}

static void import_data_row(struct reader *r) {
  static int (*const import_row[NR_CSV_KINDS])(struct reader *) = {
      import_person,  import_tie,      import_holding,
      import_holding, import_relation, import_membership};
  int rc;
  if (r->part && part_should_stop(r)) {
    part_stop(r);
    return;
  }
  if (r->bad_field)
    rc = row_problem(r, "field %zu is not valid UTF-8", r->bad_field);
  else if (r->nfields != r->ncols)
    rc = row_problem(r, "expected %zu fields, found %zu", r->ncols, r->nfields);
  else
    rc = import_row[r->kind](r);
  if (rc != NETREF_OK && r->rc == NETREF_OK && r->kind == NETREF_CSV_PEOPLE)
    note_bad_person(r);
  if (r->rc != NETREF_OK)
    return;
  if (++r->rows == guess_after(r))
    reserve_rows(r);
  /* The second thread's rows count in progress once taken: counted
   * before, they would be taken back when its half is read again. */
  if (r->rows % NR_PROGRESS_EVERY == 0 && !r->part)
    report_progress(r);
}

static void on_record(int term, void *ctx) {
  (void)term;
  struct reader *r = ctx;
  r->in_record = 0;
  point_fields(r);
  if (r->rc == NETREF_OK) {
    if (!r->names)
      read_header(r);
    else
      import_data_row(r);
  }
  clear_fields(r);
  r->bad_field = 0;
  if (r->rc == NR_PART_STOPPED)
    return; /* keep where the record it stopped before starts */
  r->record_line = r->line;
  r->record_offset = -1; /* unless the next line starts it */
}

static int csv_failure(struct reader *r, struct csv_parser *p) {
  if (r->rc != NETREF_OK)
    return r->rc;
  int err = csv_error(p);
  if (err == CSV_ENOMEM || err == CSV_ETOOBIG)
    return out_of_memory(r);
  /* Where the records end is lost: nothing after can be trusted. */
  return stop_at_line(r, NETREF_EPARSE, "malformed CSV quoting (%s)",
                      csv_strerror(err));
}

/* Lines read ahead of the one being parsed (prefetch_keys). */
#define NR_READ_AHEAD 8

/* Lines read but not yet parsed: a ring of getline buffers. */
struct ahead {
  char *buf[NR_READ_AHEAD];
  size_t cap[NR_READ_AHEAD];
  ssize_t len[NR_READ_AHEAD];
  size_t first, count;
  int eof; /* getline said so: not asked again */
};

/* Parse one line of n bytes, the next of the file. */
static void feed_line(struct reader *r, struct csv_parser *p, const char *buf,
                      ssize_t n) {
  r->line++;
  /* libcsv keeps no line count; a record starts on the first line fed
   * while no record is open. pstate 0 is libcsv's "no row begun". */
  if (!r->in_record && p->pstate == 0) {
    r->record_line = r->line;
    r->record_offset = r->offset;
  }
  const char *data = buf;
  r->offset += n;
  if (r->offset == n && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
    data += 3; /* byte order mark */
    n -= 3;
  }
  if (csv_parse(p, data, (size_t)n, on_field, on_record, r) != (size_t)n)
    csv_failure(r, p);
}

/* Read lines until NR_READ_AHEAD wait or the file (or `limit`) ends;
 * 0, or -1 on a read error. */
static int read_ahead(struct reader *r, struct ahead *a, FILE *f,
                      long long *read_to, long long limit) {
  while (!a->eof && a->count < NR_READ_AHEAD &&
         (limit < 0 || *read_to < limit)) {
    size_t i = (a->first + a->count) % NR_READ_AHEAD;
    ssize_t n = getline(&a->buf[i], &a->cap[i], f);
    if (n <= 0) {
      a->eof = 1;
      return ferror(f) ? -1 : 0;
    }
    a->len[i] = n;
    a->count++;
    *read_to += n;
    if (r->names)
      prefetch_keys(r, a->buf[i], (size_t)n);
  }
  return 0;
}

/* Feed whole lines from f's position to the end of the file or, with
 * limit >= 0, until the file offset `limit` (which must be a line
 * start). */
static int feed_lines(struct reader *r, struct csv_parser *p, FILE *f,
                      long long limit) {
  struct ahead a = {.count = 0};
  long long read_to = r->offset;
  int failed = 0;
  while (r->rc == NETREF_OK) {
    if (!failed && read_ahead(r, &a, f, &read_to, limit))
      failed = 1;
    if (!a.count)
      break;
    feed_line(r, p, a.buf[a.first], a.len[a.first]);
    a.first = (a.first + 1) % NR_READ_AHEAD;
    a.count--;
  }
  for (size_t i = 0; i < NR_READ_AHEAD; i++)
    free(a.buf[i]);
  /* Lines are left read but not parsed only when the reader stopped
   * (a failure, or the second thread's stop), and no one reads on from a
   * stopped reader's file position: the second thread's stop point is
   * its record_offset. */
  if (r->rc == NETREF_OK && failed)
    return r->part ? part_stop(r)
                   : (r->rc = nr_fail(r->db, NETREF_EIO, "%s: read error",
                                      r->path));
  return r->rc;
}

/* The end of the file: a last record without a line end, and the checks
 * only the end can make. */
static int finish_lines(struct reader *r, struct csv_parser *p) {
  if (r->rc == NETREF_OK && csv_fini(p, on_field, on_record, r) != 0) {
    if (r->rc == NETREF_OK)
      stop_at_line(r, NETREF_EPARSE, "unterminated quoted field");
  }
  if (r->rc == NETREF_OK && !r->names) {
    r->record_line = 1;
    stop_at_line(r, NETREF_EPARSE, "empty file: a header row is required");
  }
  return r->rc;
}

/* A reader of the file of `kind`, before its first line. */
static struct reader new_reader(netref_db *db, const netref_import *imp,
                                struct run *run, int kind) {
  return (struct reader){.db = db,
                         .imp = imp,
                         .run = run,
                         .kind = kind,
                         .path = imp->path[kind],
                         .record_offset = -1,
                         .rc = NETREF_OK};
}

/* Free what reading a file allocated (not the reader). */
static void reader_free(struct reader *r) {
  nr_keymap_free(r->groups);
  nr_keymap_free(r->keys);
  free(r->text);
  free(r->starts);
  free(r->fields);
  for (size_t i = 0; r->names && i < r->ncols; i++)
    free(r->names[i]);
  free(r->names);
}

#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)

/* ---- Two threads for a large ties file ----------------------------------
 * Reading a ties file (parsing, checking, looking the keys up) took more
 * time than writing its rows: a second thread reads the second half
 * ahead, from the first line start after the middle, into a batch of its
 * own, while the first thread reads the first half as always. The second
 * thread only parses and looks up: at the first row that needs more (a
 * problem to report, a person not yet in the key map, the store) it
 * stops before that row, and the first thread, done with its half,
 * takes the rows before it and reads on from there. The middle is a
 * guess: when the first thread arrives there inside a record (a quoted
 * field spanning that line end), the second half is thrown away and read
 * again in order. Either way rows reach the batch in the file's order
 * (later rows for a pair still win) and problems are reported in order,
 * with their lines. */

/* Below this a ties file is read on one thread. */
#define NR_PART_MIN ((long long)1 << 20)

static int part_should_stop(const struct reader *r) {
  return atomic_load_explicit(&r->part->stop, memory_order_relaxed) ||
         (r->rows % NR_PROGRESS_EVERY == 0 && nr_interrupted(r->db));
}

/* The second thread: the header (as the first thread reads it), then the
 * lines from start on. */
static void read_part(struct part *pt, FILE *f, struct csv_parser *p) {
  struct reader *r = &pt->r;
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || st.st_dev != pt->dev ||
      st.st_ino != pt->ino)
    return; /* replaced since the first thread opened it */
  while (r->rc == NETREF_OK && !r->names && r->offset < pt->start)
    feed_lines(r, p, f, r->offset + 1); /* one line */
  /* No row may come with the header (records that a lone CR ends share
   * its line): they are the first half's. */
  if (r->rc != NETREF_OK || !r->names || r->rows || r->in_record ||
      p->pstate != 0 || r->offset > pt->start ||
      fseeko(f, pt->start, SEEK_SET) != 0)
    return;
  r->offset = r->data_start = pt->start;
  r->line = 0;
  feed_lines(r, p, f, -1);
  finish_lines(r, p);
  if (r->rc == NETREF_OK)
    pt->complete = 1;
  else if (r->rc == NR_PART_STOPPED)
    pt->end_offset = r->record_offset;
  pt->end_line = r->record_line;
}

static void *part_main(void *arg) {
  struct part *pt = arg;
  struct csv_parser p;
  FILE *f = fopen(pt->r.path, "rb");
  if (f && csv_init(&p, CSV_OPTIONS) == 0) {
    read_part(pt, f, &p);
    csv_free(&p);
  }
  if (f)
    fclose(f);
  reader_free(&pt->r);
  atomic_store(&pt->done, 1);
  return NULL;
}

static void part_free(struct part *pt) {
  if (!pt)
    return;
  nr_tie_batch_free(pt->ties);
  free(pt);
}

/* The first line start after the middle of f, a regular file of `size`
 * bytes (at least NR_PART_MIN); -1 when there is none. */
static long long middle_line(FILE *f, off_t size) {
  if (size < NR_PART_MIN)
    return -1;
  char buf[4096];
  for (off_t at = size / 2; at < size;) {
    ssize_t n = pread(fileno(f), buf, sizeof buf, at);
    if (n <= 0)
      return -1;
    char *nl = memchr(buf, '\n', (size_t)n);
    if (nl)
      return at + (nl - buf) + 1 < size ? at + (nl - buf) + 1 : -1;
    at += n;
  }
  return -1;
}

/* Start reading the second half of a large ties file (a regular file,
 * `file` its status), when it has one; on any failure the file is read
 * on one thread, as a small one is. */
static void part_start(const struct reader *r, FILE *f,
                       const struct stat *file) {
  long long start = middle_line(f, file->st_size);
  struct part *pt = start > 0 ? calloc(1, sizeof *pt) : NULL;
  if (!pt)
    return;
  pt->start = start;
  pt->dev = file->st_dev;
  pt->ino = file->st_ino;
  pt->end_offset = -1;
  pt->ties = nr_tie_batch_part();
  pt->r = new_reader(r->db, r->imp, r->run, r->kind);
  pt->r.size = r->size;
  pt->r.part = pt;
  atomic_init(&pt->stop, 0);
  atomic_init(&pt->done, 0);
  if (!pt->ties || pthread_create(&pt->thread, NULL, part_main, pt) != 0) {
    part_free(pt);
    return;
  }
  r->run->part = pt;
}

static void part_join(struct part *pt, int stop) {
  if (pt->joined)
    return;
  if (stop)
    atomic_store(&pt->stop, 1);
  pthread_join(pt->thread, NULL);
  pt->joined = 1;
}

/* Before the first thread writes the key map, which the second reads
 * without a lock: the second stops where it is. */
static void part_pause(struct run *run) {
  if (run->part)
    part_join(run->part, 1);
}

/* Wait for the second thread to finish its half, telling the caller
 * (who may cancel) every so often, as reading on would. */
static void part_wait(struct reader *r, struct part *pt) {
  const struct timespec pause = {0, 10 * 1000 * 1000};
  for (int i = 1; !pt->joined && !atomic_load(&pt->done); i++) {
    nanosleep(&pause, NULL);
    if (i % 25 == 0 && report_progress(r) != NETREF_OK)
      return;
  }
}

/* The first thread has read up to the middle (or stopped before it):
 * take the second half's rows when they follow on, and set the reader
 * where reading goes on. 1 when the file has been read to its end. */
static int part_finish(struct reader *r, struct csv_parser *p, FILE *f) {
  struct part *pt = r->run->part;
  int follows = r->rc == NETREF_OK && r->offset == pt->start && !r->in_record &&
                p->pstate == 0;
  if (follows)
    part_wait(r, pt);
  follows = follows && r->rc == NETREF_OK;
  part_join(pt, !follows);
  r->run->part = NULL;
  int done = 0;
  if (follows && (pt->complete || pt->end_offset >= 0)) {
    r->rc = nr_tie_batch_take(r->db, r->run->ties, pt->ties);
    r->rows += pt->r.rows;
    done = pt->complete;
    if (r->rc == NETREF_OK && !done) { /* on from the row it stopped at */
      if (fseeko(f, pt->end_offset, SEEK_SET) != 0)
        r->rc = nr_fail(r->db, NETREF_EIO, "%s: %s", r->path, strerror(errno));
      r->offset = pt->end_offset;
      r->line += pt->end_line - 1;
    }
  }
  part_free(pt);
  if (r->rc == NETREF_OK && !done)
    report_progress(r);
  return done;
}

static int import_file(netref_db *db, netref_import *imp, int kind,
                       struct run *run) {
  struct reader r = new_reader(db, imp, run, kind);
  FILE *f = fopen(r.path, "rb");
  if (!f)
    return nr_fail(db, NETREF_EIO, "%s: %s", r.path, strerror(errno));
  struct stat st;
  int regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
  if (regular)
    r.size = st.st_size;
  struct csv_parser p;
  if ((kind == NETREF_CSV_GROUPS && !(r.groups = nr_keymap_new())) ||
      (kind == NETREF_CSV_PEOPLE && !(r.keys = nr_keymap_new())) ||
      csv_init(&p, CSV_OPTIONS) != 0) {
    reader_free(&r);
    fclose(f);
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  if (kind == NETREF_CSV_TIES && regular)
    part_start(&r, f, &st);
  int done = 0;
  if (run->part) {
    feed_lines(&r, &p, f, run->part->start);
    done = part_finish(&r, &p, f);
  }
  if (!done)
    feed_lines(&r, &p, f, -1);
  finish_lines(&r, &p);
  /* A failure here is the store's (I/O, disk full), not a row's. */
  if (r.rc == NETREF_OK && kind == NETREF_CSV_TIES)
    r.rc = nr_tie_batch_flush(db, run->ties);
  csv_free(&p);
  fclose(f);
  reader_free(&r);
  if (r.rc == NETREF_OK && report_progress(&r) == NETREF_OK)
    imp->count[kind] = r.rows;
  return r.rc;
}

/* The message of a failed run: the problems kept, "... and N more
 * problems" past the cap, then the failure that stopped the run (its
 * message on db), if one did. */
static int fail_with_problems(netref_db *db, int rc,
                              const struct nr_problems *p) {
  const char *stop = rc != NETREF_OK ? db->errmsg : "";
  long long more = p->count - NETREF_IMPORT_MAX_ERRORS;
  char extra[64] = "";
  if (more > 0)
    snprintf(extra, sizeof extra, "... and %lld more problem%s\n", more,
             more == 1 ? "" : "s");
  size_t n = p->len + strlen(extra) + strlen(stop) + 1;
  char *text = malloc(n);
  if (!text) /* keep the code; the message holds what fits */
    return nr_fail(db, rc != NETREF_OK ? rc : NETREF_EPARSE, "%s%s", p->text,
                   stop);
  snprintf(text, n, "%s%s%s", p->text, extra, stop);
  size_t len = strlen(text);
  if (len && text[len - 1] == '\n')
    text[len - 1] = 0;
  return nr_fail_owned(db, rc != NETREF_OK ? rc : NETREF_EPARSE, text);
}

static int import_files(netref_db *db, netref_import *imp, struct run *run) {
  int rc = NETREF_OK;
  for (int k = 0; rc == NETREF_OK && k < NR_IMPORT_KINDS; k++)
    if (imp->path[k])
      rc = k < NR_CSV_KINDS ? import_file(db, imp, k, run)
                            : nr_import_contacts(db, imp, k, &run->problems);
  if (run->problems.count)
    rc = fail_with_problems(db, rc, &run->problems);
  return rc;
}

static void run_free(struct run *run) {
  nr_keymap_free(run->ids);
  nr_keymap_free(run->bad_people);
  nr_keymap_free(run->tags);
  for (size_t i = 0; i < run->nnorms; i++)
    free(run->norms[i]);
  free(run->norms);
  nr_tie_batch_free(run->ties);
  free(run->problems.text);
}

static int import_run(netref_db *db, netref_import *imp) {
  int rc = nr_check_change(db);
  if (rc != NETREF_OK)
    return rc;
  if (!imp)
    return nr_fail(db, NETREF_EINVAL, "import job is NULL");
  int any = 0;
  memset(imp->count, 0, sizeof imp->count);
  memset(imp->people, 0, sizeof imp->people);
  for (int k = 0; k < NR_IMPORT_KINDS; k++)
    any |= imp->path[k] != NULL;
  if (!any)
    return nr_fail(db, NETREF_EINVAL, "no file to import");
  struct run run = {.ids = nr_keymap_new(),
                    .bad_people = nr_keymap_new(),
                    .tags = nr_keymap_new(),
                    .suggestions_left = NR_IMPORT_SUGGESTIONS};
  if (!run.ids || !run.bad_people || !run.tags) {
    run_free(&run);
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  }
  /* A large page cache for the import's duration (tie_batch.h). */
  nr_exec(db, "PRAGMA cache_size=" NR_IMPORT_CACHE);
  /* Every id written was just looked up in the same transaction: the
   * foreign key checks would only repeat those lookups. */
  nr_exec(db, "PRAGMA foreign_keys=OFF");
  rc = nr_begin(db);
  run.ties = rc == NETREF_OK ? nr_tie_batch_new(db) : NULL;
  if (rc == NETREF_OK && !run.ties)
    rc = nr_fail(db, NETREF_ENOMEM, "out of memory");
  db->in_import = 1;
  if (rc == NETREF_OK)
    rc = import_files(db, imp, &run);
  db->in_import = 0;
  run_free(&run);
  if (rc == NETREF_OK)
    rc = nr_commit(db);
  if (rc != NETREF_OK) {
    nr_rollback(db);
    nr_changed(db);
    memset(imp->count, 0, sizeof imp->count);
    memset(imp->people, 0, sizeof imp->people);
  }
  sqlite3_exec(db->sql, "PRAGMA cache_size=-2000; PRAGMA foreign_keys=ON", NULL,
               NULL, NULL);
  return rc;
}

int netref_import_run(netref_db *db, netref_import *imp) {
  nr_run_begin(db);
  return nr_run_end(db, import_run(db, imp));
}

int netref_import_new(netref_import **out) {
  if (!out)
    return nr_fail(NULL, NETREF_EINVAL, "netref_import_new: out is NULL");
  *out = calloc(1, sizeof **out);
  if (!*out)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  return NETREF_OK;
}

int netref_import_set_file(netref_import *imp, int kind, const char *path) {
  if (!imp || kind < 0 || kind >= NR_IMPORT_KINDS)
    return nr_fail(NULL, NETREF_EINVAL, "bad import job or file kind");
  char *copy = NULL;
  if (path) {
    size_t n = strlen(path) + 1;
    if (n == 1)
      return nr_fail(NULL, NETREF_EINVAL, "empty file name");
    copy = malloc(n);
    if (!copy)
      return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
    memcpy(copy, path, n);
  }
  free(imp->path[kind]);
  imp->path[kind] = copy;
  return NETREF_OK;
}

int netref_import_set_create_missing(netref_import *imp, int on) {
  if (!imp)
    return nr_fail(NULL, NETREF_EINVAL, "import job is NULL");
  imp->create_missing = on != 0;
  return NETREF_OK;
}

int netref_import_set_progress(netref_import *imp, netref_progress_fn fn,
                               void *user) {
  if (!imp)
    return nr_fail(NULL, NETREF_EINVAL, "import job is NULL");
  imp->progress = fn;
  imp->user = user;
  return NETREF_OK;
}

long long netref_import_count(const netref_import *imp, int kind) {
  if (!imp || kind < 0 || kind >= NR_IMPORT_KINDS)
    return -1;
  return imp->count[kind];
}

void netref_import_free(netref_import *imp) {
  if (!imp)
    return;
  for (int k = 0; k < NR_IMPORT_KINDS; k++)
    free(imp->path[k]);
  free(imp->owner);
  free(imp);
}
