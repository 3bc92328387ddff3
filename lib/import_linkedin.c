/* LinkedIn's Connections.csv (libcsv): the notes before the header are
 * skipped, each row after it is one contact for the book (contact.c).
 * As in import.c, libcsv is fed one physical line at a time so that an
 * error names the line where the bad record starts, and a bad row is
 * noted and reading goes on, while what leaves nothing to read on with
 * (no header, a repeated column, broken quoting) stops the import. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contact.h"

enum {
  COL_FIRST,
  COL_LAST,
  COL_URL,
  COL_EMAIL,
  COL_COMPANY,
  COL_POSITION,
  COL_CONNECTED,
  NCOLS
};

static const char *const column_names[NCOLS] = {
    "First Name", "Last Name", "URL",         "Email Address",
    "Company",    "Position",  "Connected On"};

struct li_reader {
  struct nr_book *book;
  long line;        /* physical line being fed */
  long record_line; /* line where the current record starts */
  int in_record;
  size_t bad_field; /* the first field of the record that is not UTF-8
                       (1-based); 0: none */
  char **fields;
  size_t nfields, cap;
  size_t ncols; /* 0 until the header row is read */
  int col[NCOLS];
  int rc;
};

static int stop(struct li_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int problem(struct li_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Stop the import with "FILE:LINE: problem". */
static int stop(struct li_reader *r, const char *fmt, ...) {
  char text[NR_ERRMSG_SIZE];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  return r->rc =
             nr_book_fail(r->book, NETREF_EPARSE, r->record_line, "%s", text);
}

/* Note the current row's problem and go on. */
static int problem(struct li_reader *r, const char *fmt, ...) {
  char text[NR_ERRMSG_SIZE];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  int rc = nr_book_problem(r->book, r->record_line, "%s", text);
  if (rc != NR_ROW_REJECTED)
    r->rc = rc;
  return rc;
}

static void on_field(void *data, size_t len, void *ctx) {
  struct li_reader *r = ctx;
  r->in_record = 1;
  if (r->rc != NETREF_OK)
    return;
  char *copy = malloc(len + 1);
  if (!copy ||
      nr_grow(&r->fields, &r->cap, r->nfields + 1, sizeof *r->fields)) {
    free(copy);
    r->rc = NETREF_ENOMEM;
    return;
  }
  if (len)
    memcpy(copy, data, len);
  copy[len] = 0;
  /* kept, so that the record's fields still count right */
  if (!r->bad_field && (strlen(copy) != len || !nr_utf8_valid(copy, len)))
    r->bad_field = r->nfields + 1;
  r->fields[r->nfields++] = copy;
}

static void clear_fields(struct li_reader *r) {
  for (size_t i = 0; i < r->nfields; i++)
    free(r->fields[i]);
  r->nfields = 0;
}

/* A field without white space at either end, in place. */
static char *trimmed(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
               s[n - 1] == '\n'))
    s[--n] = 0;
  return s;
}

/* The header is the first record with a field "First Name"; the notes
 * before it are skipped. Columns are found by name (ASCII case ignored),
 * in any order; unknown ones are ignored, as LinkedIn may add some. */
static int read_header(struct li_reader *r) {
  size_t i = 0;
  while (i < r->nfields &&
         strcasecmp(trimmed(r->fields[i]), column_names[COL_FIRST]) != 0)
    i++;
  if (i == r->nfields)
    return NETREF_OK; /* a note */
  for (int c = 0; c < NCOLS; c++)
    r->col[c] = -1;
  for (i = 0; i < r->nfields; i++)
    for (int c = 0; c < NCOLS; c++)
      if (strcasecmp(trimmed(r->fields[i]), column_names[c]) == 0) {
        if (r->col[c] >= 0)
          return stop(r, "column '%s' appears twice", column_names[c]);
        r->col[c] = (int)i;
      }
  if (r->col[COL_LAST] < 0)
    return stop(r, "the header lacks column 'Last Name'");
  r->ncols = r->nfields;
  return NETREF_OK;
}

static const char *cell(struct li_reader *r, int c) {
  return r->col[c] >= 0 ? trimmed(r->fields[r->col[c]]) : "";
}

/* "12 Mar 2024" (or "12 March 2024"), or YYYY-MM-DD, into YYYY-MM-DD. */
static int connected_on(const char *s, char out[11]) {
  static const char *const months[] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  int32_t day;
  if (!nr_parse_date(s, &day)) {
    memcpy(out, s, 11);
    return 0;
  }
  unsigned d = 0, y = 0;
  char word[16];
  int used = 0;
  if (sscanf(s, "%2u %15[A-Za-z] %4u%n", &d, word, &y, &used) != 3 || s[used] ||
      y < 1000)
    return -1;
  size_t n = strlen(word);
  for (int m = 0; m < 12; m++)
    if ((n == 3 || n == strlen(months[m]) || (m == 8 && n == 4)) &&
        strncasecmp(word, months[m], n) == 0) {
      char iso[32];
      snprintf(iso, sizeof iso, "%04u-%02d-%02u", y, m + 1, d);
      if (nr_parse_date(iso, &day))
        return -1;
      memcpy(out, iso, 11);
      return 0;
    }
  return -1;
}

static int import_row(struct li_reader *r) {
  const char *first = cell(r, COL_FIRST), *last = cell(r, COL_LAST);
  const char *url = cell(r, COL_URL), *email = cell(r, COL_EMAIL);
  const char *date = cell(r, COL_CONNECTED);
  char name[2 * NR_ERRMSG_SIZE], day[11];
  size_t nf = strlen(first), nl = strlen(last);
  char *full = nf + nl + 2 <= sizeof name ? name : malloc(nf + nl + 2);
  if (!full)
    return r->rc = NETREF_ENOMEM;
  snprintf(full, nf + nl + 2, "%s%s%s", first, nf && nl ? " " : "", last);
  struct nr_contact c = {.name = full};
  int nomem = 0;
  char *slug = *url ? nr_linkedin_slug(url, &nomem) : NULL;
  c.key_hint = slug;
  int rejected = 0;
  if (*date && connected_on(date, day))
    rejected = problem(r,
                       "bad date '%s' for Connected On (expected a "
                       "date such as 12 Mar 2024)",
                       date);
  else if (!*full && !*url && !*email)
    rejected = problem(r, "the row names nobody (no name, URL or e-mail "
                          "address)");
  else if (nomem || (*url && nr_strings_push(&c.values[NR_FAMILY_URL], url)) ||
           (*email && nr_strings_push(&c.values[NR_FAMILY_EMAIL], email)))
    r->rc = NETREF_ENOMEM;
  if (r->rc == NETREF_OK && !rejected) {
    c.date = *date ? day : NULL;
    c.attr_name[0] = "company";
    c.attr_value[0] = cell(r, COL_COMPANY);
    c.attr_name[1] = "position";
    c.attr_value[1] = cell(r, COL_POSITION);
    c.nattrs = 2;
    r->rc = nr_book_save(r->book, &c, r->record_line);
  }
  if (r->rc == NETREF_OK)
    r->rc = nr_book_progress(r->book, 0);
  nr_contact_clear(&c);
  free(slug);
  if (full != name)
    free(full);
  return r->rc;
}

static void on_record(int term, void *ctx) {
  (void)term;
  struct li_reader *r = ctx;
  r->in_record = 0;
  if (r->rc == NETREF_OK) {
    if (!r->ncols)
      read_header(r); /* a note with bad bytes is no header, and skipped */
    else if (r->bad_field)
      problem(r, "field %zu is not valid UTF-8", r->bad_field);
    else if (r->nfields != r->ncols)
      problem(r, "expected %zu fields, found %zu", r->ncols, r->nfields);
    else
      import_row(r);
  }
  clear_fields(r);
  r->bad_field = 0;
  r->record_line = r->line;
}

static int feed(struct li_reader *r, struct csv_parser *p, FILE *f) {
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n;
  while (r->rc == NETREF_OK && (n = getline(&buf, &cap, f)) > 0) {
    r->line++;
    if (!r->in_record && p->pstate == 0) /* see import.c */
      r->record_line = r->line;
    const char *data = buf;
    if (r->line == 1 && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
      data += 3; /* byte order mark */
      n -= 3;
    }
    if (csv_parse(p, data, (size_t)n, on_field, on_record, r) != (size_t)n &&
        r->rc == NETREF_OK)
      r->rc = csv_error(p) == CSV_EPARSE ? stop(r, "malformed CSV quoting (%s)",
                                                csv_strerror(csv_error(p)))
                                         : NETREF_ENOMEM;
  }
  free(buf);
  if (r->rc == NETREF_OK && csv_fini(p, on_field, on_record, r) != 0 &&
      r->rc == NETREF_OK)
    stop(r, "unterminated quoted field");
  if (r->rc == NETREF_OK && !r->ncols) {
    r->record_line = r->line ? r->line : 1;
    stop(r, "no header row 'First Name,Last Name,URL,Email Address,"
            "Company,Position,Connected On' (is this LinkedIn's "
            "Connections.csv?)");
  }
  return r->rc;
}

int nr_import_linkedin(struct nr_book *b, FILE *f) {
  struct li_reader r = {.book = b, .rc = NETREF_OK};
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    return NETREF_ENOMEM;
  int rc = feed(&r, &p, f);
  csv_free(&p);
  clear_fields(&r);
  free(r.fields);
  return rc;
}
