/*
 * Fuzz target: one kind of file of the importer, chosen at compile time by
 * FUZZ_IMPORT_KIND (one of the NETREF_CSV_* kinds, NETREF_IMPORT_LINKEDIN
 * or NETREF_IMPORT_VCARD), through the public API only.
 *
 * The input is written to a file (the importer reads files by path; the
 * file is reused by the process) and imported into a ":memory:" network
 * that holds a few people, ties, offers, needs, tag relations and a
 * group, so that rows naming them resolve: a fresh one, or the one the
 * previous input failed to change. Beyond "no
 * crash, no leak, no undefined behaviour" the target checks the import
 * contract of netref.h:
 *  - the result is NETREF_OK or NETREF_EPARSE (the file exists and the
 *    network is in memory: nothing else can go wrong);
 *  - a failed import leaves the network exactly as it was (a dump of
 *    every listing plus one query, which also catches a stale index),
 *    counts no rows, and says "FILE:LINE: problem" with a line that
 *    exists in the file;
 *  - a successful import counts no more rows than the file has lines,
 *    adds people only from people.csv, with create_missing (at most
 *    two per row) or from a contact file (at most one per row, and the
 *    owner), counts each row of a contact file as exactly one of new,
 *    updated and unchanged, and importing the same file again succeeds
 *    and changes nothing (rows upsert by key; contacts are matched to the
 *    people the first import made, and count as unchanged).
 * A failed import of a CSV kind that names people is tried once more
 * with create_missing on, where unknown keys become people.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "netref.h"
#include "../writes.h"

#ifndef FUZZ_IMPORT_KIND
#error "define FUZZ_IMPORT_KIND as one of the NETREF_CSV_* kinds"
#endif

/* LinkedIn's Connections.csv and vCard files: people from each row. */
#define FUZZ_CONTACTS                                                          \
  (FUZZ_IMPORT_KIND == NETREF_IMPORT_LINKEDIN ||                               \
   FUZZ_IMPORT_KIND == NETREF_IMPORT_VCARD)

/* ---- the input file, one per process, removed at exit ---- */

static char input_path[128];

static void remove_input(void) { unlink(input_path); }

/* /dev/shm keeps the per-input write off the disk when it is there. */
static const char *input_file(const uint8_t *data, size_t size) {
  if (!*input_path) {
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(input_path, sizeof input_path, "%s/netref-fuzz-%d-%ld.csv", dir,
             FUZZ_IMPORT_KIND, (long)getpid());
    atexit(remove_input);
  }
  FILE *f = fopen(input_path, "wb");
  FUZZ_CHECK(f != NULL, "%s: %s", input_path, strerror(errno));
  FUZZ_CHECK(fwrite(data, 1, size, f) == size && fclose(f) == 0,
             "cannot write %s", input_path);
  return input_path;
}

/* ---- a dump of the whole network, to compare before and after ---- */

struct dump {
  char *text;
  size_t len, cap;
};

static void dump_add(struct dump *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void dump_add(struct dump *d, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(d->text ? d->text + d->len : NULL,
                      d->text ? d->cap - d->len : 0, fmt, ap);
    va_end(ap);
    FUZZ_CHECK(n >= 0, "vsnprintf failed");
    if (d->text && (size_t)n < d->cap - d->len) {
      d->len += (size_t)n;
      return;
    }
    size_t cap = (d->cap ? d->cap * 2 : 4096) + (size_t)n;
    char *text = realloc(d->text, cap);
    FUZZ_CHECK(text != NULL, "out of memory");
    d->text = text;
    d->cap = cap;
  }
}

/* Every cell, length-prefixed so that no two tables dump alike. */
static void dump_rows(struct dump *d, const char *what, netref_rows *rows) {
  size_t n = netref_rows_count(rows), cols = netref_rows_columns(rows);
  dump_add(d, "%s %zux%zu\n", what, n, cols);
  for (size_t r = 0; r < n; r++) {
    for (size_t c = 0; c < cols; c++) {
      const char *t = netref_rows_text(rows, r, c);
      if (t)
        dump_add(d, "%zu:%s|", strlen(t), t);
      else
        dump_add(d, "-|");
    }
    dump_add(d, "\n");
  }
  netref_rows_free(rows);
}

static void dump_person(struct dump *d, netref_db *db, const char *key) {
  netref_rows *rows = NULL;
  CHECK_OK(netref_person_get(db, key, &rows));
  dump_rows(d, "person", rows);
  CHECK_OK(netref_tie_list(db, key, &rows));
  dump_rows(d, "ties", rows);
  CHECK_OK(netref_offer_list(db, key, &rows));
  dump_rows(d, "offers", rows);
  CHECK_OK(netref_need_list(db, key, &rows));
  dump_rows(d, "needs", rows);
}

/* A query runs on the in-memory index: a failed import must not leave
 * it out of step with the store. */
static void dump_query(struct dump *d, netref_db *db) {
  netref_result *res = NULL;
  int rc = netref_providers(db, "ana", "party planning", NULL, &res);
  dump_add(d, "providers rc %d\n", rc);
  for (size_t i = 0; rc == NETREF_OK && i < netref_result_count(res); i++)
    dump_add(d, "%s %.17g %s\n", netref_result_key(res, i),
             netref_result_score(res, i), netref_result_tag(res, i));
  netref_result_free(res);
}

static size_t person_count(netref_db *db) {
  netref_rows *people = NULL;
  CHECK_OK(netref_person_list(db, &people));
  size_t n = netref_rows_count(people);
  netref_rows_free(people);
  return n;
}

static char *dump_network(netref_db *db) {
  struct dump d = {0};
  netref_rows *people = NULL, *groups = NULL, *rows = NULL;
  CHECK_OK(netref_person_list(db, &people));
  for (size_t i = 0; i < netref_rows_count(people); i++)
    dump_person(&d, db, netref_rows_text(people, i, 0));
  dump_rows(&d, "people", people);
  CHECK_OK(netref_group_list(db, &groups));
  for (size_t i = 0; i < netref_rows_count(groups); i++) {
    CHECK_OK(netref_group_members(db, netref_rows_text(groups, i, 0), &rows));
    dump_rows(&d, "members", rows);
  }
  dump_rows(&d, "groups", groups);
  CHECK_OK(netref_tag_relations(db, NULL, &rows));
  dump_rows(&d, "relations", rows);
  dump_query(&d, db);
  return d.text;
}

/* ---- the network each input is imported into ---- */

static netref_db *seeded_network(void) {
  netref_db *db = NULL;
  CHECK_OK(netref_open(":memory:", &db));
  CHECK_OK(netref_person_add(db, "ana", "Ana Lima"));
  CHECK_OK(netref_person_add(db, "ben", "Ben Okafor"));
  CHECK_OK(netref_person_add(db, "cy", NULL));
  CHECK_OK(netref_person_add(db, "dee@example.com", "Dee Park"));
  CHECK_OK(netref_person_set_attr(db, "ana", "org", "Acme"));
  CHECK_OK(
      t_tie_set(db, "ana", "ben", 0.8, "2024-01-15", "met at the Nov evening"));
  CHECK_OK(t_tie_set(db, "ben", "cy", 0.5, NULL, NULL));
  CHECK_OK(t_offer_set(db, "cy", "party planning", "weekends"));
  CHECK_OK(t_need_set(db, "ben", "office space", 0.7));
  CHECK_OK(netref_tag_relate(db, "party planner", NETREF_RELATION_ALIAS,
                             "party planning"));
  CHECK_OK(netref_tag_relate(db, "kids birthday party", NETREF_RELATION_BROADER,
                             "party planning"));
  CHECK_OK(netref_group_add(db, "nov-evening", "Nov 30 evening"));
  CHECK_OK(netref_group_join(db, "nov-evening", "ana"));
  CHECK_OK(netref_group_join(db, "nov-evening", "ben"));
  return db;
}

/* ---- the checks ---- */

/* Line breaks bound both the records (libcsv ends one at CR or LF) and
 * the physical lines an error can name. */
static void count_breaks(const uint8_t *data, size_t size, long *lf, long *cr) {
  *lf = *cr = 0;
  for (size_t i = 0; i < size; i++) {
    *lf += data[i] == '\n';
    *cr += data[i] == '\r';
  }
}

/* The people counts of a contact file: new, updated, unchanged. */
static long long outcome[3];

static int import_into(netref_db *db, const char *path, int create_missing,
                       long long *rows) {
  netref_import *imp = NULL;
  CHECK_OK(netref_import_new(&imp));
  CHECK_OK(netref_import_set_file(imp, FUZZ_IMPORT_KIND, path));
  CHECK_OK(netref_import_set_create_missing(imp, create_missing));
  int rc = netref_import_run(db, imp);
  *rows = netref_import_count(imp, FUZZ_IMPORT_KIND);
  for (int o = 0; o < 3; o++)
    outcome[o] = netref_import_people_count(imp, FUZZ_IMPORT_KIND,
                                            NETREF_PEOPLE_NEW + o);
  netref_import_free(imp);
  if (FUZZ_CONTACTS)
    FUZZ_CHECK(outcome[0] + outcome[1] + outcome[2] == *rows,
               "%lld new, %lld updated, %lld unchanged of %lld rows",
               outcome[0], outcome[1], outcome[2], *rows);
  else
    FUZZ_CHECK(outcome[0] == -1, "people counted for a CSV kind");
  return rc;
}

/* "PATH:LINE: problem", LINE a line of the file. */
static void check_failure_message(const char *msg, const char *path,
                                  long lines) {
  size_t n = strlen(path);
  FUZZ_CHECK(strncmp(msg, path, n) == 0 && msg[n] == ':',
             "message does not start with the file: %s", msg);
  char *end = NULL;
  long line = strtol(msg + n + 1, &end, 10);
  FUZZ_CHECK(end != msg + n + 1 && end[0] == ':' && end[1] == ' ',
             "message has no line number: %s", msg);
  FUZZ_CHECK(line >= 1 && line <= lines,
             "line %ld outside the file's %ld lines: %s", line, lines, msg);
}

static void check_failure(netref_db *db, const char *path, long lines,
                          const char *before, long long rows) {
  check_failure_message(netref_errmsg(db), path, lines);
  FUZZ_CHECK(rows == 0, "a failed import counts %lld rows", rows);
  char *after = dump_network(db);
  FUZZ_CHECK(strcmp(before, after) == 0,
             "a failed import changed the network (%s)", netref_errmsg(db));
  free(after);
}

static void check_success(netref_db *db, const char *path, long records,
                          int create_missing, size_t people_before,
                          long long rows) {
  FUZZ_CHECK(rows >= 0 && rows < records, "%lld rows from %ld records", rows,
             records);
  size_t people = person_count(db);
  long long added = (long long)people - (long long)people_before;
  long long most = FUZZ_IMPORT_KIND == NETREF_CSV_PEOPLE ? rows
                   : FUZZ_CONTACTS                       ? rows + 1
                   : create_missing                      ? 2 * rows
                                                         : 0;
  FUZZ_CHECK(added >= 0 && added <= most, "%lld people added by %lld rows",
             added, rows);
  char *first = dump_network(db);
  long long again = 0;
  int rc = import_into(db, path, create_missing, &again);
  FUZZ_CHECK(rc == NETREF_OK, "importing again fails: %s", netref_errmsg(db));
  FUZZ_CHECK(again == rows, "importing again reads %lld rows, not %lld", again,
             rows);
  FUZZ_CHECK(!FUZZ_CONTACTS || outcome[0] == 0,
             "importing again made %lld new people", outcome[0]);
  char *second = dump_network(db);
  FUZZ_CHECK(strcmp(first, second) == 0,
             "importing the same file again changed the network");
  free(first);
  free(second);
}

/* The seeded network is the same every time: dump it once. */
static const char *seeded_dump(netref_db *db, size_t *people) {
  static char *dump;
  static size_t count;
  if (!dump) {
    dump = dump_network(db);
    count = person_count(db);
  }
  *people = count;
  return dump;
}

/* Opening a network and creating its schema costs more than most
 * imports, and most inputs fail to import. A failed import is checked to
 * leave the network exactly as seeded, so the next input reuses it; a
 * successful one changed it, so the next input gets a fresh one. */
static netref_db *network;

static void close_network(void) {
  netref_close(network);
  network = NULL;
}

static int run(const uint8_t *data, size_t size, const char *path,
               int create_missing) {
  long lf, cr;
  count_breaks(data, size, &lf, &cr);
  static int registered;
  if (!registered)
    registered = atexit(close_network) == 0;
  if (!network)
    network = seeded_network();
  netref_db *db = network;
  size_t people_before;
  const char *before = seeded_dump(db, &people_before);
  long long rows = 0;
  int rc = import_into(db, path, create_missing, &rows);
  FUZZ_CHECK(rc == NETREF_OK || rc == NETREF_EPARSE, "unexpected %s: %s",
             netref_strerror(rc), netref_errmsg(db));
  if (rc == NETREF_OK) {
    check_success(db, path, lf + cr + 1, create_missing, people_before, rows);
    close_network();
  } else {
    check_failure(db, path, lf + 1, before, rows);
  }
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = input_file(data, size);
  int rc = run(data, size, path, 0);
  if (rc != NETREF_OK && FUZZ_IMPORT_KIND != NETREF_CSV_PEOPLE &&
      FUZZ_IMPORT_KIND != NETREF_CSV_TAXONOMY && !FUZZ_CONTACTS)
    run(data, size, path, 1);
  return 0;
}
