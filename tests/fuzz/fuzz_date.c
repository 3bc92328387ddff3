/*
 * Fuzz target: the date parser and formatter of lib/text.c (nr_parse_date,
 * nr_format_date; private, reached through the static library and
 * lib/internal.h as the unit tests do). Dates are "YYYY-MM-DD", years 1
 * to 9999, as day numbers since 1970-01-01.
 *
 * The input, cut at its first NUL, is parsed. Checks:
 *  - a failed parse leaves the day number untouched;
 *  - a parsed date formats back to exactly the input and re-parses to
 *    the same day number;
 *  - the days before and after (when in range) format to dates that sort
 *    before and after it and parse back to their numbers.
 * The first four bytes, read as a number folded into the range of years 1
 * to 9999, give a day number whose formatted date must parse back to it,
 * so the formatter is tried on days the parser rarely reaches.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

#define UNTOUCHED INT32_C(0x5EEDBEEF)

static int32_t parsed(const char *text) {
  int32_t day = UNTOUCHED;
  FUZZ_CHECK(nr_parse_date(text, &day) == 0, "'%s' does not parse", text);
  return day;
}

/* Format a day and check it parses back; returns the text in buf. */
static void round_trip(int32_t day, char buf[11]) {
  nr_format_date(day, buf);
  FUZZ_CHECK(strlen(buf) == 10, "day %ld formats as '%s'", (long)day, buf);
  int32_t back = parsed(buf);
  FUZZ_CHECK(back == day, "day %ld formats as '%s', which parses as %ld",
             (long)day, buf, (long)back);
}

static void check_parsed(const char *text, int32_t day, int32_t first,
                         int32_t last) {
  FUZZ_CHECK(day >= first && day <= last, "'%s' is day %ld, out of range", text,
             (long)day);
  char buf[11];
  round_trip(day, buf);
  FUZZ_CHECK(strcmp(buf, text) == 0, "'%s' formats back as '%s'", text, buf);
  if (day > first) {
    round_trip(day - 1, buf);
    FUZZ_CHECK(strcmp(buf, text) < 0, "the day before '%s' is '%s'", text, buf);
  }
  if (day < last) {
    round_trip(day + 1, buf);
    FUZZ_CHECK(strcmp(buf, text) > 0, "the day after '%s' is '%s'", text, buf);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const int32_t first = parsed("0001-01-01"), last = parsed("9999-12-31");
  char *text = malloc(size + 1);
  FUZZ_CHECK(text != NULL, "out of memory");
  memcpy(text, data, size);
  text[size] = 0;
  int32_t day = UNTOUCHED;
  if (nr_parse_date(text, &day) == 0)
    check_parsed(text, day, first, last);
  else
    FUZZ_CHECK(day == UNTOUCHED, "a failed parse of '%s' wrote %ld", text,
               (long)day);
  if (size >= 4) {
    uint32_t raw;
    memcpy(&raw, data, 4);
    char buf[11];
    round_trip(first + (int32_t)(raw % (uint32_t)(last - first + 1)), buf);
  }
  free(text);
  return 0;
}
