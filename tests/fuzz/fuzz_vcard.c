/*
 * Fuzz target: the vCard reader of lib/vcard.c alone (nr_vcard_read,
 * nr_vcard_split; private, reached through the static library as the unit
 * tests do), without a database, so that it runs thousands of times
 * faster than the import_vcard target and explores the line handling
 * (folding, quoted-printable soft breaks, base64 continuations, charsets)
 * deeper.
 *
 * The input is read from memory (fmemopen). Checks:
 *  - the result is NR_VCARD_OK or NR_VCARD_EBAD (memory is plenty);
 *  - cards nest properly: begin and end alternate, every property comes
 *    inside a card, and on success every card has ended and there was
 *    one;
 *  - line numbers only grow and lie within the input's lines, for
 *    properties, cards and the error;
 *  - a property's name is upper case letters, digits, '-' and '_';
 *    its value is valid UTF-8 without NUL bytes or CR (line breaks are
 *    LF); no
 *    binary property (PHOTO, LOGO, SOUND, KEY) is handed on;
 *  - split at ';' or ',', a value gives one part more than it has
 *    unescaped separators, every part valid UTF-8;
 *  - a failure names a problem.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"
#include "vcard.h"

struct state {
  long lines;     /* physical lines of the input (an upper bound) */
  long last_line; /* of the last property or card boundary */
  int in_card, cards;
};

static void check_line(struct state *s, long line, const char *what) {
  FUZZ_CHECK(line >= 1 && line <= s->lines, "%s on line %ld of %ld lines", what,
             line, s->lines);
  FUZZ_CHECK(line >= s->last_line, "%s on line %ld after line %ld", what, line,
             s->last_line);
  s->last_line = line;
}

static int on_begin(void *ctx, long line) {
  struct state *s = ctx;
  FUZZ_CHECK(!s->in_card, "a card begins inside a card");
  check_line(s, line, "BEGIN");
  s->in_card = 1;
  s->cards++;
  return NR_VCARD_OK;
}

static int on_end(void *ctx, long line) {
  struct state *s = ctx;
  FUZZ_CHECK(s->in_card, "a card ends outside a card");
  check_line(s, line, "END");
  s->in_card = 0;
  return NR_VCARD_OK;
}

/* Unescaped separators, counted as nr_vcard_split reads escapes. */
static size_t separators(const char *v, char sep) {
  size_t n = 0;
  for (; *v; v++) {
    if (*v == '\\' && v[1])
      v++;
    else if (*v == sep)
      n++;
  }
  return n;
}

static void check_split(const char *value, char sep) {
  char **parts = NULL;
  size_t n = 0;
  FUZZ_CHECK(nr_vcard_split(value, sep, &parts, &n) == NR_VCARD_OK,
             "split fails");
  FUZZ_CHECK(n == separators(value, sep) + 1, "%zu parts of '%s' at '%c'", n,
             value, sep);
  for (size_t i = 0; i < n; i++)
    FUZZ_CHECK(nr_utf8_valid(parts[i], strlen(parts[i])),
               "part %zu of '%s' is not UTF-8", i, value);
  nr_vcard_free_parts(parts, n);
}

static int on_property(void *ctx, const struct nr_vcard_prop *p) {
  struct state *s = ctx;
  FUZZ_CHECK(s->in_card, "a property outside a card");
  check_line(s, p->line, "a property");
  FUZZ_CHECK(*p->name, "an empty property name");
  for (const char *c = p->name; *c; c++)
    FUZZ_CHECK((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                   *c == '-' || *c == '_',
               "property name '%s'", p->name);
  static const char *const binary[] = {"PHOTO", "LOGO", "SOUND", "KEY"};
  for (size_t i = 0; i < 4; i++)
    FUZZ_CHECK(strcmp(p->name, binary[i]) != 0, "%s handed on", p->name);
  size_t len = strlen(p->value);
  FUZZ_CHECK(nr_utf8_valid(p->value, len), "the value of %s is not UTF-8",
             p->name);
  FUZZ_CHECK(!strchr(p->value, '\r'), "CR in the value of %s", p->name);
  for (size_t i = 0; i < p->nparams; i++)
    FUZZ_CHECK(p->params[i].value != NULL, "a parameter without a value");
  check_split(p->value, ';');
  check_split(p->value, ',');
  return NR_VCARD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct state s = {.lines = 1};
  for (size_t i = 0; i < size; i++)
    s.lines += data[i] == '\n';
  FILE *f =
      size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
  FUZZ_CHECK(f != NULL, "cannot open the input");
  static const struct nr_vcard_handler handler = {on_begin, on_property,
                                                  on_end};
  struct nr_vcard_error err;
  int rc = nr_vcard_read(f, &handler, &s, &err);
  fclose(f);
  FUZZ_CHECK(rc == NR_VCARD_OK || rc == NR_VCARD_EBAD, "result %d", rc);
  if (rc == NR_VCARD_OK) {
    FUZZ_CHECK(!s.in_card && s.cards > 0, "success with %d cards, %s", s.cards,
               s.in_card ? "one open" : "none open");
  } else {
    FUZZ_CHECK(err.problem[0] != 0, "a failure without a problem");
    FUZZ_CHECK(err.line >= 1 && err.line <= s.lines,
               "error on line %ld of %ld: %s", err.line, s.lines, err.problem);
  }
  return 0;
}
