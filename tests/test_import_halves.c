/*
 * Unit tests of the two-thread read of a large ties file (lib/import.c,
 * "Two threads for a large ties file"), through the public API only.
 *
 * A regular ties file of 1 MiB or more is read on two threads: the second
 * reads ahead from the first line start after the middle of the file and
 * stops before the first row that needs more; the first thread takes its
 * rows at the middle, or reads the second half again when the middle falls
 * inside a quoted field. None of that may show: every result must be the
 * one reading the file on one thread gives.
 *
 * Each test writes a ties file of about 2 MB (NROWS generated rows over
 * NPEOPLE people, plus "extra" lines the test places) and checks:
 * - every tie's values against the generator (row i -> its values);
 * - problems as "PATH:LINE: problem", absolute lines, in file order;
 * - the same bytes read on one thread: a ties file that is not a regular
 *   file is read on one thread, so the same content fed through a named
 *   pipe into a second database is the serial reference (same code, same
 *   message, same people and ties, same row count).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "netref.h"
#include "support.h"
#include "tempdir.h"

/* ------------------------------------------------------------------ */
/* Fixture                                                              */

static int setup(void **state) {
  return db_fixture_setup(state, "/tmp/netref_halves_XXXXXX");
}

static int teardown(void **state) { return tempdir_teardown(state); }

static netref_db *DB(void **state) {
  return ((struct tempdir_fixture *)*state)->db;
}

static const char *DIR_OF(void **state) {
  return ((struct tempdir_fixture *)*state)->dir;
}

/* The import's own threshold (import.c NR_PART_MIN): every ties file
 * written here is at least this large, so that it takes two threads. */
#define TWO_THREADS_MIN (1L << 20)

/* ------------------------------------------------------------------ */
/* The generated rows                                                   */

#define NPEOPLE 2000
#define NROWS 50000
#define SPAN (NROWS / NPEOPLE) /* row i ties a to a + 1 + i / NPEOPLE */

#define TIES_HEADER "a,b,strength,last_contact,context,cadence"

/* What row i says. Empty text: the cell is empty (default strength, no
 * date, no context); cadence 0: empty (none). Each pair {a, a+d} with d
 * in 1..SPAN appears on exactly one row. */
struct want {
  int a, b; /* as written: a first */
  char strength[8];
  char date[16];
  char context[48];
  int cadence;
};

static void want_of(long i, struct want *w) {
  int a = (int)(i % NPEOPLE), d = 1 + (int)(i / NPEOPLE);
  int b = (a + d) % NPEOPLE;
  memset(w, 0, sizeof *w);
  w->a = i % 3 == 0 ? b : a; /* both orders */
  w->b = i % 3 == 0 ? a : b;
  if (i % 7 != 0)
    snprintf(w->strength, sizeof w->strength, "0.%03ld", (i * 37) % 999 + 1);
  if (i % 5 != 0)
    snprintf(w->date, sizeof w->date, "%04u-%02u-%02u",
             2000 + (unsigned)(i % 25), 1 + (unsigned)(i % 12),
             1 + (unsigned)(i % 28));
  switch (i % 4) {
  case 1:
    snprintf(w->context, sizeof w->context, "c%ld", i);
    break;
  case 2:
    snprintf(w->context, sizeof w->context, "c%ld, \"q\"", i);
    break;
  case 3:
    snprintf(w->context, sizeof w->context, "caf\xc3\xa9 %ld", i);
    break;
  default:
    break;
  }
  if (i % 6 != 0)
    w->cadence = 1 + (int)(i % 365);
}

/* Row i as CSV, without a line end. */
static void write_row(FILE *f, long i) {
  struct want w;
  want_of(i, &w);
  fprintf(f, "p%04d,p%04d,%s,%s,", w.a, w.b, w.strength, w.date);
  if (strpbrk(w.context, ",\"")) {
    fputc('"', f);
    for (const char *c = w.context; *c; c++) {
      if (*c == '"')
        fputc('"', f);
      fputc(*c, f);
    }
    fputc('"', f);
  } else {
    fputs(w.context, f);
  }
  if (w.cadence)
    fprintf(f, ",%d", w.cadence);
  else
    fputc(',', f);
}

/* A line (or, quoted fields spanning lines, several) the test puts after
 * generated row `after` (-1: right after the header), in array order
 * among those after the same row. The builder sets `line`, where it
 * starts, and `lines`, how many physical lines it takes. */
struct extra {
  long after;
  const char *text; /* without its final line end */
  long line, lines;
};

struct ties_text {
  char *text;
  size_t len;
};

static long count_newlines(const char *s) {
  long n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* The header, the NROWS generated rows and the extras, each line ended
 * with eol, the last one too unless `no_final_eol`. */
static struct ties_text build_ties(const char *eol, int no_final_eol,
                                   struct extra *x, size_t nx) {
  struct ties_text t = {NULL, 0};
  FILE *f = open_memstream(&t.text, &t.len);
  assert_non_null(f);
  long line = 1;
  fprintf(f, "%s%s", TIES_HEADER, eol);
  line++;
  for (long i = -1; i < NROWS; i++) {
    if (i >= 0) {
      write_row(f, i);
      fputs(eol, f);
      line++;
    }
    for (size_t k = 0; k < nx; k++) {
      if (x[k].after != i)
        continue;
      x[k].line = line;
      x[k].lines = 1 + count_newlines(x[k].text);
      line += x[k].lines;
      fprintf(f, "%s%s", x[k].text, eol);
    }
  }
  assert_int_equal(fclose(f), 0);
  if (no_final_eol) {
    t.len -= strlen(eol);
    t.text[t.len] = 0;
  }
  assert_true(t.len >= TWO_THREADS_MIN);
  return t;
}

/* The line where the second thread starts: the first line start after
 * the middle of the file, as the import finds it (import.c middle_line);
 * -1 when there is none. */
static long middle_line(const struct ties_text *t) {
  const char *nl = memchr(t->text + t->len / 2, '\n', t->len - t->len / 2);
  if (!nl || (size_t)(nl - t->text) + 1 >= t->len)
    return -1;
  long line = 2;
  for (const char *c = t->text; c < nl; c++)
    line += *c == '\n';
  return line;
}

/* Put extras x[j] and x[j + 1] after one generated row such that x[j + 1]
 * is the first line of the second half and x[j] the last of the first;
 * returns the built text. x[j] must be longer than any generated row
 * (PAD), so that moving the pair a row at a time cannot step over the
 * middle. */
#define PAD                                                                    \
  "a context as long as two generated rows so that the middle of the "         \
  "file can fall in it"
static struct ties_text build_around_middle(const char *eol, struct extra *x,
                                            size_t nx, size_t j) {
  long after = NROWS / 2;
  for (int tries = 0; tries < 20; tries++) {
    x[j].after = x[j + 1].after = after;
    struct ties_text t = build_ties(eol, 0, x, nx);
    long m = middle_line(&t);
    if (m == x[j + 1].line)
      return t;
    free(t.text);
    after += m - x[j + 1].line;
  }
  fail_msg("could not place a line at the middle of the file");
  return (struct ties_text){NULL, 0};
}

static const char *write_file(void **state, const char *name, const char *text,
                              size_t len) {
  static char bufs[4][512];
  static int next;
  char *path = bufs[next++ % 4];
  snprintf(path, sizeof bufs[0], "%s/%s", DIR_OF(state), name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
  return path;
}

/* people.csv: p0000 .. p(NPEOPLE-1). */
static const char *write_people(void **state) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  fputs("key,name\n", f);
  for (int i = 0; i < NPEOPLE; i++)
    fprintf(f, "p%04d,Person %d\n", i, i);
  assert_int_equal(fclose(f), 0);
  const char *path = write_file(state, "people.csv", text, len);
  free(text);
  return path;
}

/* ------------------------------------------------------------------ */
/* Checks                                                               */

static int person_index(const char *key) {
  if (!key || key[0] != 'p' || strlen(key) != 5)
    return -1;
  return atoi(key + 1);
}

static double want_strength(const char *text) {
  return *text ? strtod(text, NULL) : NETREF_DEFAULT_STRENGTH;
}

/* Both NULL, or the same text. */
static int same(const char *a, const char *b) {
  return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Compare tie row r of rows with what generated row i says; "" when
 * equal, else the difference. */
static void compare_row(const netref_rows *rows, size_t r, long i, char *err,
                        size_t size) {
  struct want w;
  want_of(i, &w);
  size_t sc;
  assert_int_equal(netref_rows_column_index(rows, "strength", &sc), NETREF_OK);
  double s = netref_rows_real(rows, r, sc);
  const char *d = cell_named(rows, r, "last_contact");
  const char *c = cell_named(rows, r, "context");
  const char *k = cell_named(rows, r, "cadence");
  char cadence[16];
  snprintf(cadence, sizeof cadence, "%d", w.cadence);
  *err = 0;
  if (s != want_strength(w.strength))
    snprintf(err, size, "strength %.17g, expected '%s'", s, w.strength);
  else if (!same(d, *w.date ? w.date : NULL))
    snprintf(err, size, "last_contact '%s', expected '%s'", d ? d : "(null)",
             w.date);
  else if (!same(c, *w.context ? w.context : NULL))
    snprintf(err, size, "context '%s', expected '%s'", c ? c : "(null)",
             w.context);
  else if (!same(k, w.cadence ? cadence : NULL))
    snprintf(err, size, "cadence '%s', expected %d", k ? k : "(null)",
             w.cadence);
}

/* Every generated tie is there with the values of its row, from both
 * ends; returns the number of other ties seen (each counts twice, once
 * from each end). */
static long check_generated_ties(netref_db *db) {
  long others = 0;
  for (int x = 0; x < NPEOPLE; x++) {
    char key[16], err[512] = "";
    snprintf(key, sizeof key, "p%04d", x);
    netref_rows *rows = NULL;
    int rc = netref_tie_list(db, key, &rows);
    if (rc != NETREF_OK)
      fail_msg("tie list of %s: rc %d (%s)", key, rc, netref_errmsg(db));
    int generated = 0;
    for (size_t r = 0; !*err && r < netref_rows_count(rows); r++) {
      int y = person_index(cell_named(rows, r, "key"));
      int up = (y - x + NPEOPLE) % NPEOPLE, down = (x - y + NPEOPLE) % NPEOPLE;
      long i;
      if (y >= 0 && up >= 1 && up <= SPAN)
        i = (long)(up - 1) * NPEOPLE + x;
      else if (y >= 0 && down >= 1 && down <= SPAN)
        i = (long)(down - 1) * NPEOPLE + y;
      else {
        others++;
        continue;
      }
      generated++;
      char diff[400];
      compare_row(rows, r, i, diff, sizeof diff);
      if (*diff)
        snprintf(err, sizeof err, "tie %s-%s (row %ld): %s", key,
                 cell_named(rows, r, "key"), i, diff);
    }
    netref_rows_free(rows);
    if (*err)
      fail_msg("%s", err);
    if (generated != 2 * SPAN)
      fail_msg("%s has %d generated ties, expected %d", key, generated,
               2 * SPAN);
  }
  return others;
}

/* The tie a-b (seen from a) holds these values (NULL: none). */
static void expect_tie(netref_db *db, const char *a, const char *b,
                       double strength, const char *date, const char *context,
                       const char *cadence) {
  netref_rows *rows = NULL;
  int rc = netref_tie_get(db, a, b, &rows);
  if (rc != NETREF_OK)
    fail_msg("tie %s-%s: rc %d (%s)", a, b, rc, netref_errmsg(db));
  char err[1024] = "";
  size_t sc;
  assert_int_equal(netref_rows_column_index(rows, "strength", &sc), NETREF_OK);
  double s = netref_rows_real(rows, 0, sc);
  const char *d = cell_named(rows, 0, "last_contact"),
             *x = cell_named(rows, 0, "context"),
             *k = cell_named(rows, 0, "cadence");
  if (netref_rows_count(rows) != 1)
    snprintf(err, sizeof err, "tie %s-%s: %zu rows", a, b,
             netref_rows_count(rows));
  else if (s != strength)
    snprintf(err, sizeof err, "tie %s-%s: strength %.17g, expected %.17g", a, b,
             s, strength);
  else if (!same(d, date))
    snprintf(err, sizeof err, "tie %s-%s: last_contact '%s', expected '%s'", a,
             b, d ? d : "(null)", date ? date : "(null)");
  else if (!same(x, context))
    snprintf(err, sizeof err, "tie %s-%s: context '%s', expected '%s'", a, b,
             x ? x : "(null)", context ? context : "(null)");
  else if (!same(k, cadence))
    snprintf(err, sizeof err, "tie %s-%s: cadence '%s', expected '%s'", a, b,
             k ? k : "(null)", cadence ? cadence : "(null)");
  netref_rows_free(rows);
  if (*err)
    fail_msg("%s", err);
}

static void expect_no_tie(netref_db *db, const char *a, const char *b) {
  netref_rows *rows = NULL;
  int rc = netref_tie_get(db, a, b, &rows);
  netref_rows_free(rows);
  if (rc != NETREF_ENOTFOUND)
    fail_msg("tie %s-%s: rc %d, expected none", a, b, rc);
}

static size_t people_count(netref_db *db) {
  netref_rows *rows = NULL;
  assert_int_equal(netref_person_list(db, &rows), NETREF_OK);
  size_t n = netref_rows_count(rows);
  netref_rows_free(rows);
  return n;
}

/* The message is exactly n lines "PATH:LINE: ..." with lines[k] and a
 * problem mentioning hints[k]. */
static void expect_problems(netref_db *db, const char *path, int n,
                            const long *lines, const char *const *hints) {
  struct lines l;
  split_lines(netref_errmsg(db), &l);
  for (int k = 0; k < n; k++)
    expect_line(&l, k, path, lines[k], hints[k]);
  if (l.n != n)
    fail_msg("%d problems, expected %d:\n%s", l.n, n, netref_errmsg(db));
  free(l.copy);
}

/* ------------------------------------------------------------------ */
/* Importing, and the serial reference                                  */

/* What an import did: its code, message (with the file's path for the
 * pipe's), row count and every person and tie of the database. */
struct outcome {
  int rc;
  char *msg;
  long long ties;
  char *dump;
};

static void outcome_free(struct outcome *o) {
  free(o->msg);
  free(o->dump);
}

/* The whole network as the CSV export writes it (people.csv then
 * ties.csv; "" when empty): one pass over the store, where a tie list
 * per person would cost most of the test's time. */
static char *dump(netref_db *db, const char *dir) {
  static int runs;
  char out[512];
  snprintf(out, sizeof out, "%s/dump%d", dir, runs++);
  netref_export *exp = NULL;
  ASSERT_OK(netref_export_new(NETREF_EXPORT_CSV, &exp));
  int rc = netref_export_run(db, exp, out);
  if (rc != NETREF_OK)
    fail_msg("export: rc %d (%s)", rc, netref_errmsg(db));
  netref_export_free(exp);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  static const char *const files[] = {"people.csv", "ties.csv"};
  for (size_t k = 0; k < 2; k++) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", out, files[k]);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
      fwrite(chunk, 1, n, f);
    fclose(in);
  }
  assert_int_equal(fclose(f), 0);
  remove_tree(out);
  return buf;
}

/* `text` with every `from` replaced by `to` (free it). */
static char *replace_all(const char *text, const char *from, const char *to) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  size_t n = strlen(from);
  for (const char *s = text, *hit; *s; s = hit + n) {
    hit = strstr(s, from);
    if (!hit) {
      fputs(s, f);
      break;
    }
    fwrite(s, 1, (size_t)(hit - s), f);
    fputs(to, f);
  }
  assert_int_equal(fclose(f), 0);
  return buf;
}

struct progress_log;
static int on_progress(void *user, const char *path, long long rows);

/* Import people (may be NULL) and ties; the outcome names `shown_as`
 * where the message names the ties file, when given. */
static void import_into(void **state, netref_db *db, const char *people,
                        const char *ties, int create_missing,
                        struct progress_log *log, const char *shown_as,
                        struct outcome *o) {
  netref_import *imp = NULL;
  assert_int_equal(netref_import_new(&imp), NETREF_OK);
  if (people)
    ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_PEOPLE, people));
  ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_TIES, ties));
  ASSERT_OK(netref_import_set_create_missing(imp, create_missing));
  if (log)
    ASSERT_OK(netref_import_set_progress(imp, on_progress, log));
  o->rc = netref_import_run(db, imp);
  o->ties = netref_import_count(imp, NETREF_CSV_TIES);
  netref_import_free(imp);
  o->msg = o->rc == NETREF_OK ? NULL
                              : replace_all(netref_errmsg(db), ties,
                                            shown_as ? shown_as : ties);
  o->dump = dump(db, DIR_OF(state));
}

/* A thread writing a text into a named pipe. */
struct feeder {
  const char *path;
  const char *text;
  size_t len;
};

static void *feed(void *arg) {
  const struct feeder *fd = arg;
  int out = open(fd->path, O_WRONLY);
  if (out < 0)
    return NULL;
  for (size_t at = 0; at < fd->len;) {
    ssize_t n = write(out, fd->text + at, fd->len - at);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; /* EPIPE: the import stopped reading */
    at += (size_t)n;
  }
  close(out);
  return NULL;
}

/* The same import with the ties read on one thread: through a named pipe
 * (not a regular file) into a fresh database of its own. */
static void import_serial(void **state, const char *people,
                          const struct ties_text *t, int create_missing,
                          const char *shown_as, struct outcome *o) {
  static int runs;
  char db_path[512], fifo[512];
  snprintf(db_path, sizeof db_path, "%s/serial%d.db", DIR_OF(state), runs);
  snprintf(fifo, sizeof fifo, "%s/ties%d.fifo", DIR_OF(state), runs++);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  netref_db *db = NULL;
  ASSERT_OK(netref_open(db_path, &db));
  struct feeder fd = {fifo, t->text, t->len};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, feed, &fd), 0);
  import_into(state, db, people, fifo, create_missing, NULL, shown_as, o);
  /* A writer still waiting for a reader, or blocked on a full pipe,
   * gives up once a reader came and went. */
  int unblock = open(fifo, O_RDONLY | O_NONBLOCK);
  if (unblock >= 0)
    close(unblock);
  pthread_join(th, NULL);
  netref_close(db);
  unlink(fifo);
}

/* Where two dumps first differ, as a message. */
static void first_difference(const char *two, const char *one, char *err,
                             size_t size) {
  size_t at = 0, line = 1, start = 0;
  for (; two[at] && two[at] == one[at]; at++)
    if (two[at] == '\n') {
      line++;
      start = at + 1;
    }
  int n2 = (int)strcspn(two + start, "\n"),
      n1 = (int)strcspn(one + start, "\n");
  snprintf(err, size,
           "the people and ties differ from one thread's, from line %zu:\n"
           "two threads: %.*s\none thread:  %.*s",
           line, n2 > 500 ? 500 : n2, two + start, n1 > 500 ? 500 : n1,
           one + start);
}

/* Import people and the ties text (written to ties.csv) into the
 * fixture's database, and the same on one thread; the two outcomes must
 * be the same. Returns the ties file's path; *o holds the outcome. */
static const char *import_both(void **state, const char *people,
                               const struct ties_text *t, int create_missing,
                               struct outcome *o) {
  const char *ties = write_file(state, "ties.csv", t->text, t->len);
  import_into(state, DB(state), people, ties, create_missing, NULL, NULL, o);
  struct outcome s;
  import_serial(state, people, t, create_missing, ties, &s);
  char err[1200] = "";
  if (o->rc != s.rc)
    snprintf(err, sizeof err, "rc %d on two threads, %d on one", o->rc, s.rc);
  else if (!same(o->msg, s.msg))
    fail_msg("the message differs from one thread's:\n--- two threads:\n%s\n"
             "--- one thread:\n%s",
             o->msg ? o->msg : "(null)", s.msg ? s.msg : "(null)");
  else if (o->ties != s.ties)
    snprintf(err, sizeof err, "%lld rows counted on two threads, %lld on one",
             o->ties, s.ties);
  else if (strcmp(o->dump, s.dump) != 0)
    first_difference(o->dump, s.dump, err, sizeof err);
  outcome_free(&s);
  if (*err)
    fail_msg("%s", err);
  return ties;
}

static void expect_ok(netref_db *db, const struct outcome *o) {
  if (o->rc != NETREF_OK)
    fail_msg("rc %d: %s", o->rc, netref_errmsg(db));
}

/* Import ties text t on two threads and on one, expecting both to
 * succeed alike with `ties` rows. */
static void expect_imported(void **state, const char *people,
                            const struct ties_text *t, int create_missing,
                            long long ties) {
  struct outcome o;
  import_both(state, people, t, create_missing, &o);
  expect_ok(DB(state), &o);
  assert_int_equal(o.ties, ties);
  outcome_free(&o);
}

/* ------------------------------------------------------------------ */
/* 1, 8: a large file of good rows                                      */

static void test_all_good(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct ties_text t = build_ties("\n", 0, NULL, 0);
  long m = middle_line(&t);
  assert_true(m > NROWS / 3 && m < 2 * NROWS / 3); /* a real second half */
  expect_imported(state, people, &t, 0, NROWS);
  assert_int_equal(check_generated_ties(db), 0);
  assert_int_equal(people_count(db), NPEOPLE);
  /* A few by hand, from both halves: row 1 (p0001-p0002), row 49999. */
  expect_tie(db, "p0001", "p0002", 0.038, "2001-02-02", "c1", "2");
  expect_tie(db, "p0024", "p1999", 0.815, "2024-08-20", "caf\xc3\xa9 49999",
             "360");
  free(t.text);
}

/* ------------------------------------------------------------------ */
/* 2: later rows win, across the halves and within the second          */

static void test_later_rows_win(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {
      /* X: first half, then second half with empty cells: those clear. */
      {500, "p0100,p0130,0.2,2020-05-05,first,3", 0, 0},
      {40000, "p0130,p0100,0.9,,,", 0, 0},
      /* Y: twice in the second half. */
      {30000, "p0200,p0231,0.3,2021-01-01,y one,5", 0, 0},
      {44000, "p0231,p0200,0.4,2021-02-02,y two,6", 0, 0},
      /* Z: first half, second half, and the file's last row. */
      {1000, "p0300,p0332,0.25,2019-09-09,z first,", 0, 0},
      {35000, "p0300,p0332,,2019-10-10,z second,8", 0, 0},
      {NROWS - 1, "p0332,p0300,0.75,,z last,9", 0, 0},
      /* W: the last row of the first half and the first of the second. */
      {0, "p0400,p0433,0.11,2018-01-01,w before " PAD ",1", 0, 0},
      {0, "p0433,p0400,0.12,,w after,", 0, 0},
      /* V: a generated pair (row 1: p0001-p0002) again, second half. */
      {41000, "p0002,p0001,0.99,2030-01-01,v again,44", 0, 0},
  };
  size_t nx = sizeof x / sizeof x[0];
  struct ties_text t = build_around_middle("\n", x, nx, 7);
  long m = middle_line(&t);
  assert_true(x[0].line < m && x[4].line < m && x[7].line == m - 1);
  assert_true(x[1].line > m && x[2].line > m && x[5].line > m);
  expect_imported(state, people, &t, 0, NROWS + (long long)nx);
  expect_tie(db, "p0100", "p0130", 0.9, NULL, NULL, NULL);
  expect_tie(db, "p0200", "p0231", 0.4, "2021-02-02", "y two", "6");
  expect_tie(db, "p0300", "p0332", 0.75, NULL, "z last", "9");
  expect_tie(db, "p0400", "p0433", 0.12, NULL, "w after", NULL);
  expect_tie(db, "p0001", "p0002", 0.99, "2030-01-01", "v again", "44");
  free(t.text);
}

/* ------------------------------------------------------------------ */
/* 3: bad rows in both halves                                           */

static void test_bad_rows(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {
      {10, "p0010,p0011,0.5,yesterday,,", 0, 0}, /* bad date */
      {0, "p0020,p0020,0.5,," PAD ",", 0, 0},    /* themself; last of 1st */
      {0, "p0030,p0031,abc,,,", 0, 0},           /* bad number; 1st of 2nd */
      {45000, "p0040,nobody,0.5,,,", 0, 0},      /* unknown person */
      {NROWS - 1, "p0050,p0051,0.5,,,-3", 0, 0}, /* bad cadence, last row */
  };
  size_t nx = sizeof x / sizeof x[0];
  struct ties_text t = build_around_middle("\n", x, nx, 1);
  struct outcome o;
  const char *ties = import_both(state, people, &t, 0, &o);
  assert_int_equal(o.rc, NETREF_EPARSE);
  assert_int_equal(o.ties, 0);
  const long lines[] = {x[0].line, x[1].line, x[2].line, x[3].line, x[4].line};
  const char *const hints[] = {"bad date 'yesterday'", "to themself",
                               "bad number 'abc' for strength",
                               "unknown person 'nobody'", "bad cadence '-3'"};
  /* The lines themselves, counted here without the builder. */
  assert_int_equal(x[0].line, 13);
  assert_int_equal(x[3].line, 45000 + 3 + 3);
  assert_int_equal(x[4].line, NROWS + 1 + 5);
  expect_problems(db, ties, 5, lines, hints);
  assert_int_equal(people_count(db), 0);
  outcome_free(&o);
  free(t.text);
}

/* One bad row far into the second half: the second thread has read many
 * rows when it stops there. */
static void test_bad_row_late(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {{47000, "p0060,p0061,1.5,,,", 0, 0}};
  struct ties_text t = build_ties("\n", 0, x, 1);
  struct outcome o;
  const char *ties = import_both(state, people, &t, 0, &o);
  assert_int_equal(o.rc, NETREF_EPARSE);
  const long lines[] = {47000 + 3};
  const char *const hints[] = {"strength 1.5 is out of range"};
  expect_problems(db, ties, 1, lines, hints);
  assert_int_equal(people_count(db), 0);
  outcome_free(&o);
  free(t.text);
}

/* ------------------------------------------------------------------ */
/* 4: the middle inside a quoted field                                  */

#define INNER_LINES 300

/* The context of the big row: lines that, read from a line start inside
 * the field, look like good tie rows of pairs no other row has. */
static char *big_context(void) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  fputs("big start", f);
  for (int j = 0; j < INNER_LINES; j++)
    fprintf(f, "\np%04d,p%04d,0.77,2021-02-03,inner %d,7", j,
            (j + 200) % NPEOPLE, j);
  fputs("\nbig end", f);
  assert_int_equal(fclose(f), 0);
  return buf;
}

/* The row whose quoted context is `context` (free it). */
static char *big_row(const char *context) {
  size_t n = strlen(context) + 64;
  char *row = malloc(n);
  assert_non_null(row);
  snprintf(row, n, "p0010,p0500,0.61,2022-02-02,\"%s\",12", context);
  return row;
}

/* Build with x[j] (the big row) placed so that the middle of the file is
 * a line start inside its quoted field. */
static struct ties_text build_quoted_middle(struct extra *x, size_t nx,
                                            size_t j) {
  long after = NROWS / 2 - INNER_LINES / 2;
  for (int tries = 0; tries < 20; tries++) {
    x[j].after = after;
    struct ties_text t = build_ties("\n", 0, x, nx);
    long m = middle_line(&t);
    if (m > x[j].line && m < x[j].line + x[j].lines - 1 - 10 &&
        m > x[j].line + 10)
      return t;
    free(t.text);
    after += m - (x[j].line + x[j].lines / 2);
  }
  fail_msg("could not put the middle inside the quoted field");
  return (struct ties_text){NULL, 0};
}

static void test_quoted_middle(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  char *context = big_context();
  char *row = big_row(context);
  struct extra x[] = {{0, row, 0, 0}};
  struct ties_text t = build_quoted_middle(x, 1, 0);
  expect_imported(state, people, &t, 0, NROWS + 1);
  expect_tie(db, "p0500", "p0010", 0.61, "2022-02-02", context, "12");
  /* The lines inside the field are no rows: no other tie. */
  assert_int_equal(check_generated_ties(db), 2);
  expect_no_tie(db, "p0000", "p0200");
  expect_no_tie(db, "p0150", "p0350");
  free(t.text);
  free(row);
  free(context);
}

/* The same with bad rows in both halves: lines count the physical lines
 * of the quoted field. */
static void test_quoted_middle_bad_rows(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  char *context = big_context();
  char *row = big_row(context);
  struct extra x[] = {
      {100, "p0004,p0004,0.5,,,", 0, 0},
      {0, row, 0, 0},
      {45000, "p0001,p0003,abc,,,", 0, 0},
  };
  struct ties_text t = build_quoted_middle(x, 3, 1);
  struct outcome o;
  const char *ties = import_both(state, people, &t, 0, &o);
  assert_int_equal(o.rc, NETREF_EPARSE);
  assert_int_equal(x[1].lines, INNER_LINES + 2);
  assert_int_equal(x[2].line, 45000 + 2 + 1 + 1 + INNER_LINES + 2);
  const long lines[] = {100 + 3, x[2].line};
  const char *const hints[] = {"to themself", "bad number 'abc'"};
  expect_problems(db, ties, 2, lines, hints);
  assert_int_equal(people_count(db), 0);
  outcome_free(&o);
  free(t.text);
  free(row);
  free(context);
}

/* ------------------------------------------------------------------ */
/* 5: people not in people.csv                                          */

static const char *const NEW_PEOPLE[] = {"nf1", "nf2", "ns1", "ns2", "ns3"};

static void test_create_missing(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {
      {100, "p0001,nf1,0.5,,,", 0, 0},   {5000, "nf2,p0002,0.6,,,", 0, 0},
      {30000, "ns1,p0003,0.7,,,", 0, 0}, {40000, "p0004,ns2,0.8,,,", 0, 0},
      {45000, "ns1,ns2,0.9,,,", 0, 0},   {NROWS - 1, "nf1,ns3,0.35,,,", 0, 0},
  };
  struct ties_text t = build_ties("\n", 0, x, 6);
  long m = middle_line(&t);
  assert_true(x[1].line < m && x[2].line > m);

  /* Without create-missing: each unknown one at its line. */
  struct outcome o;
  const char *ties = import_both(state, people, &t, 0, &o);
  assert_int_equal(o.rc, NETREF_EPARSE);
  const long lines[] = {x[0].line, x[1].line, x[2].line,
                        x[3].line, x[4].line, x[5].line};
  const char *const hints[] = {"unknown person 'nf1'", "unknown person 'nf2'",
                               "unknown person 'ns1'", "unknown person 'ns2'",
                               "unknown person 'ns1'", "unknown person 'nf1'"};
  expect_problems(db, ties, 6, lines, hints);
  assert_int_equal(people_count(db), 0);
  outcome_free(&o);

  /* With it: created, and every tie in. */
  expect_imported(state, people, &t, 1, NROWS + 6);
  assert_int_equal(people_count(db), NPEOPLE + 5);
  for (size_t k = 0; k < 5; k++) {
    netref_rows *rows = NULL;
    ASSERT_OK(netref_person_get(db, NEW_PEOPLE[k], &rows));
    assert_string_equal(cell_named(rows, 0, "name"), NEW_PEOPLE[k]);
    netref_rows_free(rows);
  }
  assert_int_equal(check_generated_ties(db), 4); /* p-people to new */
  expect_tie(db, "nf1", "p0001", 0.5, NULL, NULL, NULL);
  expect_tie(db, "ns1", "ns2", 0.9, NULL, NULL, NULL);
  expect_tie(db, "ns3", "nf1", 0.35, NULL, NULL, NULL);
  expect_tie(db, "ns2", "p0004", 0.8, NULL, NULL, NULL);
  free(t.text);
}

/* New people in the second half only: the first thread reads its half
 * without creating anyone, the second stops at the first new one. */
static void test_create_missing_second_half(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {
      {30000, "ns1,p0003,0.7,,,", 0, 0},
      {40000, "p0004,ns2,0.8,,,", 0, 0},
      {NROWS - 1, "ns2,ns3,0.35,,,", 0, 0},
  };
  struct ties_text t = build_ties("\n", 0, x, 3);
  assert_true(x[0].line > middle_line(&t));
  expect_imported(state, people, &t, 1, NROWS + 3);
  assert_int_equal(people_count(db), NPEOPLE + 3);
  assert_int_equal(check_generated_ties(db), 2);
  expect_tie(db, "ns3", "ns2", 0.35, NULL, NULL, NULL);
  free(t.text);
}

/* A person the first half creates, named again in the second half
 * before anyone unknown: the second thread may read that key's slot
 * while the first writes it, unless the first stops the second before
 * writing the map (part_pause). The answer is the same either way; the
 * thread-sanitizer build of this test (make test) reports the race. */
static void test_created_key_read_by_second_half(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {
      {100, "p0001,nf1,0.5,,,", 0, 0},
      {30000, "nf1,p0003,0.7,,,", 0, 0},
  };
  struct ties_text t = build_ties("\n", 0, x, 2);
  long m = middle_line(&t);
  assert_true(x[0].line < m && x[1].line > m);
  expect_imported(state, people, &t, 1, NROWS + 2);
  assert_int_equal(people_count(db), NPEOPLE + 1);
  expect_tie(db, "p0003", "nf1", 0.7, NULL, NULL, NULL);
  free(t.text);
}

/* ------------------------------------------------------------------ */
/* 6: progress and cancellation                                         */

#define MAX_CALLS 256

struct progress_log {
  const char *ties; /* the ties file's path */
  int calls, ties_calls;
  long long rows[MAX_CALLS]; /* of the ties file */
  int cancel_at;             /* the ties call (1-based) that cancels */
  netref_db *interrupt;      /* cancel with netref_interrupt instead */
  int pause_ms;              /* sleep this long on the first ties call */
};

static int on_progress(void *user, const char *path, long long rows) {
  struct progress_log *log = user;
  log->calls++;
  if (strcmp(path, log->ties) != 0)
    return 0;
  if (log->ties_calls < MAX_CALLS)
    log->rows[log->ties_calls] = rows;
  log->ties_calls++;
  if (log->ties_calls == 1 && log->pause_ms > 0) {
    struct timespec ts = {0, log->pause_ms * 1000000L};
    nanosleep(&ts, NULL);
  }
  if (log->ties_calls != log->cancel_at)
    return 0;
  if (log->interrupt) { /* as another thread would */
    netref_interrupt(log->interrupt);
    return 0;
  }
  return 1;
}

/* The counts of the ties file never go down and end at total. A count
 * may repeat: the first thread reports while it waits for the second at
 * the middle (so that the caller can still cancel), and once more after
 * the last row. */
static void expect_growing(const struct progress_log *log, long long total) {
  assert_true(log->ties_calls >= 3 && log->ties_calls <= MAX_CALLS);
  for (int k = 1; k < log->ties_calls; k++)
    if (log->rows[k] < log->rows[k - 1])
      fail_msg("progress call %d: %lld rows after %lld (call %d)", k + 1,
               log->rows[k], log->rows[k - 1], k);
  assert_true(log->rows[0] < total);
  assert_int_equal(log->rows[log->ties_calls - 1], total);
}

static void test_progress(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct ties_text t = build_ties("\n", 0, NULL, 0);
  const char *ties = write_file(state, "ties.csv", t.text, t.len);
  struct progress_log log;
  memset(&log, 0, sizeof log);
  log.ties = ties;
  struct outcome o;
  import_into(state, db, people, ties, 0, &log, NULL, &o);
  expect_ok(db, &o);
  assert_int_equal(o.ties, NROWS);
  expect_growing(&log, NROWS);
  outcome_free(&o);
  free(t.text);
}

/* The second thread stops (at a new person, which the first creates):
 * counts it reported must not be taken back. The first call waits a
 * little so that the second thread has surely reached its stop. */
static void test_progress_second_stops(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {{33000, "ns1,p0003,0.7,,,", 0, 0}};
  struct ties_text t = build_ties("\n", 0, x, 1);
  const char *ties = write_file(state, "ties.csv", t.text, t.len);
  struct progress_log log;
  memset(&log, 0, sizeof log);
  log.ties = ties;
  log.pause_ms = 200;
  struct outcome o;
  import_into(state, db, people, ties, 1, &log, NULL, &o);
  expect_ok(db, &o);
  assert_int_equal(o.ties, NROWS + 1);
  expect_growing(&log, NROWS + 1);
  outcome_free(&o);
  free(t.text);
}

/* A row whose quoted context spans the middle: the first thread pauses
 * in its progress callback, so the second reads on meanwhile, and the
 * counts it reports must still only grow. Frees context. */
static void expect_progress_over_quoted_middle(void **state, char *context) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  char *row = big_row(context);
  struct extra x[] = {{0, row, 0, 0}};
  struct ties_text t = build_quoted_middle(x, 1, 0);
  const char *ties = write_file(state, "ties.csv", t.text, t.len);
  struct progress_log log;
  memset(&log, 0, sizeof log);
  log.ties = ties;
  log.pause_ms = 200;
  struct outcome o;
  import_into(state, db, people, ties, 0, &log, NULL, &o);
  expect_ok(db, &o);
  assert_int_equal(o.ties, NROWS + 1);
  expect_growing(&log, NROWS + 1);
  outcome_free(&o);
  free(t.text);
  free(row);
  free(context);
}

/* The same when the middle falls inside a quoted field. */
static void test_progress_quoted_middle(void **state) {
  expect_progress_over_quoted_middle(state, big_context());
}

/* Row-like lines inside a quoted field over the middle: the second
 * thread reads them as rows until the first finds the middle inside a
 * record and throws them away. Progress must not have counted them (it
 * went from 14066 back to 12288 when it did). */
static void test_progress_fake_rows_in_middle(void **state) {
  size_t cap = 64 * 1024, len = 0;
  char *context = malloc(cap);
  assert_non_null(context);
  for (int k = 0; k < 2000; k++) /* rows of the header's six columns */
    len += (size_t)snprintf(context + len, cap - len, "p%04d,p%04d,0.5,,x,\n",
                            k % 1000, 1000 + k % 1000);
  snprintf(context + len, cap - len, "end");
  expect_progress_over_quoted_middle(state, context);
}

/* A header ended by a lone CR, the first half's rows too (records that
 * share one physical line for a reader of lines), the second half's by
 * LF: the second thread, reading the header line, must not take the
 * rows on it (they were counted twice: 85,186 rows for 56,791). */
static void test_cr_header(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct ties_text t = {NULL, 0};
  FILE *f = open_memstream(&t.text, &t.len);
  assert_non_null(f);
  fprintf(f, "%s\r", TIES_HEADER);
  for (long i = 0; i < NROWS; i++) {
    write_row(f, i);
    fputs(i < NROWS / 2 ? "\r" : "\n", f);
  }
  assert_int_equal(fclose(f), 0);
  assert_true(t.len >= TWO_THREADS_MIN);
  expect_imported(state, people, &t, 0, NROWS);
  assert_int_equal(check_generated_ties(db), 0);
  free(t.text);
}

/* A cancel at the first, a middle and the last progress call of the
 * ties file, by the callback or netref_interrupt(): NETREF_ECANCELED,
 * nothing imported, the second thread ended (no hang; the sanitizer
 * build checks that nothing leaks). */
static void test_cancel(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {{33000, "ns1,p0003,0.7,,,", 0, 0}};
  char *empty = dump(db, DIR_OF(state));
  for (int variant = 0; variant < 2; variant++) {
    /* variant 1: the second thread stops at a new person, and the first
     * creates it (create-missing) */
    struct ties_text t = build_ties("\n", 0, x, (size_t)variant);
    const char *ties = write_file(state, "ties.csv", t.text, t.len);
    free(t.text);
    /* How many calls a whole run makes (in a database of its own). */
    char other[512];
    snprintf(other, sizeof other, "%s/count%d.db", DIR_OF(state), variant);
    netref_db *db2 = NULL;
    ASSERT_OK(netref_open(other, &db2));
    struct progress_log log;
    memset(&log, 0, sizeof log);
    log.ties = ties;
    struct outcome o;
    import_into(state, db2, people, ties, variant, &log, NULL, &o);
    expect_ok(db2, &o);
    outcome_free(&o);
    netref_close(db2);
    int total_calls = log.ties_calls;
    assert_true(total_calls >= 3);
    const int at[] = {1, 2, total_calls / 2, total_calls};
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
      memset(&log, 0, sizeof log);
      log.ties = ties;
      log.cancel_at = at[k];
      log.interrupt = k == 2 ? db : NULL;
      import_into(state, db, people, ties, variant, &log, NULL, &o);
      if (o.rc != NETREF_ECANCELED)
        fail_msg("cancel at ties call %d of %d: rc %d (%s)", at[k], total_calls,
                 o.rc, netref_errmsg(db));
      assert_int_equal(o.ties, 0);
      assert_string_equal(o.dump, empty);
      outcome_free(&o);
    }
  }
  free(empty);
  /* The handle works after: a whole import. */
  struct ties_text t = build_ties("\n", 0, NULL, 0);
  const char *ties = write_file(state, "ties.csv", t.text, t.len);
  free(t.text);
  struct outcome o;
  import_into(state, db, people, ties, 0, NULL, NULL, &o);
  expect_ok(db, &o);
  assert_int_equal(o.ties, NROWS);
  outcome_free(&o);
}

/* ------------------------------------------------------------------ */
/* 7: line ends                                                         */

static void test_crlf(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct ties_text t = build_ties("\r\n", 0, NULL, 0);
  expect_imported(state, people, &t, 0, NROWS);
  assert_int_equal(check_generated_ties(db), 0);
  free(t.text);
}

static void test_crlf_bad_rows(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {
      {0, "p0020,p0020,0.5,," PAD ",", 0, 0},
      {0, "p0030,p0031,abc,,,", 0, 0},
      {44000, "p0040,nobody,0.5,,,", 0, 0},
  };
  struct ties_text t = build_around_middle("\r\n", x, 3, 0);
  struct outcome o;
  const char *ties = import_both(state, people, &t, 0, &o);
  assert_int_equal(o.rc, NETREF_EPARSE);
  assert_int_equal(x[2].line, 44000 + 2 + 2 + 1);
  const long lines[] = {x[0].line, x[1].line, x[2].line};
  const char *const hints[] = {"to themself", "bad number 'abc'",
                               "unknown person 'nobody'"};
  expect_problems(db, ties, 3, lines, hints);
  outcome_free(&o);
  free(t.text);
}

static void test_no_final_newline(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct ties_text t = build_ties("\n", 1, NULL, 0);
  assert_true(t.text[t.len - 1] != '\n');
  expect_imported(state, people, &t, 0, NROWS);
  assert_int_equal(check_generated_ties(db), 0); /* the last row too */
  free(t.text);
}

/* A bad last row without a line end (CRLF before it): its line. */
static void test_no_final_newline_bad_row(void **state) {
  netref_db *db = DB(state);
  const char *people = write_people(state);
  struct extra x[] = {{NROWS - 1, "p0001,p0001,0.5,,,", 0, 0}};
  struct ties_text t = build_ties("\r\n", 1, x, 1);
  struct outcome o;
  const char *ties = import_both(state, people, &t, 0, &o);
  assert_int_equal(o.rc, NETREF_EPARSE);
  const long lines[] = {NROWS + 2};
  const char *const hints[] = {"to themself"};
  expect_problems(db, ties, 1, lines, hints);
  outcome_free(&o);
  free(t.text);
}

int main(void) {
  /* A pipe's writer whose reader went (a failed import) gets EPIPE. */
  signal(SIGPIPE, SIG_IGN);
  /* NETREF_TEST_FILTER=pattern runs only the matching tests. */
  if (getenv("NETREF_TEST_FILTER"))
    cmocka_set_test_filter(getenv("NETREF_TEST_FILTER"));
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_all_good, setup, teardown),
      cmocka_unit_test_setup_teardown(test_later_rows_win, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_rows, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_row_late, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quoted_middle, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quoted_middle_bad_rows, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_create_missing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_create_missing_second_half, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_created_key_read_by_second_half,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
      cmocka_unit_test_setup_teardown(test_progress_second_stops, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_progress_quoted_middle, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_progress_fake_rows_in_middle, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_cr_header, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
      cmocka_unit_test_setup_teardown(test_crlf, setup, teardown),
      cmocka_unit_test_setup_teardown(test_crlf_bad_rows, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_final_newline, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_final_newline_bad_row, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
