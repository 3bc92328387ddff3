/* Tag normalization, UTF-8 checks and dates (lib/text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "internal.h"

static void expect_tag(const char *in, const char *want) {
  char *out = NULL;
  assert_int_equal(netref_tag_normalize(in, &out), NETREF_OK);
  assert_string_equal(out, want);
  netref_free(out);
}

static void normalizes_case_and_space(void **state) {
  (void)state;
  expect_tag("party planning", "party planning");
  expect_tag("  Party   PLANNING ", "party planning");
  expect_tag("\tParty\n\nPlanning\r\n", "party planning");
  expect_tag("Office\xC2\xA0Space", "office space");     /* no-break space */
  expect_tag("Stra\xC3\x9F" "e", "strasse");                /* casefold sharp s */
  expect_tag("\xEF\xBC\xA1\xEF\xBC\xA2", "ab");             /* fullwidth AB */
  expect_tag("Cafe\xCC\x81", "caf\xC3\xA9");                /* composed */
  expect_tag("x\xE2\x80\x83y", "x y");                       /* em space */
}

static void rejects_bad_tags(void **state) {
  (void)state;
  char *out = (char *)1;
  assert_int_equal(netref_tag_normalize("   ", &out), NETREF_EINVAL);
  assert_null(out);
  assert_int_equal(netref_tag_normalize("", &out), NETREF_EINVAL);
  assert_int_equal(netref_tag_normalize("bad \xff byte", &out),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(NULL), "UTF-8"));
  assert_int_equal(netref_tag_normalize("cut \xC3", &out), NETREF_EINVAL);
  assert_int_equal(netref_tag_normalize(NULL, &out), NETREF_EINVAL);
  assert_int_equal(netref_tag_normalize("x", NULL), NETREF_EINVAL);
  netref_free(NULL);
}

static void validates_utf8(void **state) {
  (void)state;
  assert_true(nr_utf8_valid("", 0));
  assert_true(nr_utf8_valid("Zo\xC3\xAB", 4));
  assert_false(nr_utf8_valid("\xC0\xAF", 2));         /* overlong */
  assert_false(nr_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
  assert_false(nr_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
  assert_false(nr_utf8_valid("a\0b", 3));             /* NUL inside */
}

static void parses_dates(void **state) {
  (void)state;
  int32_t d;
  assert_int_equal(nr_parse_date("1970-01-01", &d), 0);
  assert_int_equal(d, 0);
  assert_int_equal(nr_parse_date("2000-03-01", &d), 0);
  assert_int_equal(d, 11017);
  assert_int_equal(nr_parse_date("2024-02-29", &d), 0);
  int32_t next;
  assert_int_equal(nr_parse_date("2024-03-01", &next), 0);
  assert_int_equal(next - d, 1);
  assert_int_equal(nr_parse_date("1969-12-31", &d), 0);
  assert_int_equal(d, -1);
  static const char *const bad[] = {"2023-02-29", "2024-13-01", "2024-00-10",
                                    "2024-04-31", "24-01-01",   "2024-1-01",
                                    "2024/01/01", "yesterday",  "",
                                    "2024-01-01x", "0000-01-01"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(nr_parse_date(bad[i], &d), -1);
  assert_int_equal(nr_parse_date(NULL, &d), -1);
  assert_true(nr_today() > 20000); /* after 2024 */
}

static void formats_dates(void **state) {
  (void)state;
  char buf[11];
  nr_format_date(0, buf);
  assert_string_equal(buf, "1970-01-01");
  nr_format_date(-1, buf);
  assert_string_equal(buf, "1969-12-31");
  /* Every day from 1600 to 2400 reads back as itself. */
  int32_t first, last;
  assert_int_equal(nr_parse_date("1600-01-01", &first), 0);
  assert_int_equal(nr_parse_date("2400-12-31", &last), 0);
  for (int32_t d = first; d <= last; d++) {
    int32_t back;
    nr_format_date(d, buf);
    assert_int_equal(nr_parse_date(buf, &back), 0);
    assert_int_equal(back, d);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(normalizes_case_and_space),
      cmocka_unit_test(rejects_bad_tags),
      cmocka_unit_test(validates_utf8),
      cmocka_unit_test(parses_dates),
      cmocka_unit_test(formats_dates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
