/* Tag normalization, folding for search, UTF-8 checks and dates
 * (lib/text.c), and the edit-distance suggestions (lib/suggest.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"
#include "suggest.h"

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
  expect_tag("\xC2\xA0Party\xE3\x80\x80 Planning\xE2\x80\xA8",
             "party planning"); /* no-break, ideographic, line separator */
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

/* Default-ignorable code points are removed: they show nothing, so a
 * tag that holds one must be the tag without it. */
static void strips_invisible_characters(void **state) {
  (void)state;
  expect_tag("party\xE2\x80\x8Bplanning", "partyplanning");  /* ZWSP */
  expect_tag("party\xC2\xADplanning", "partyplanning");      /* soft hyphen */
  expect_tag("\xEF\xBB\xBFparty", "party");                  /* BOM first */
  expect_tag("par\xEF\xBB\xBFty", "party");                  /* BOM inside */
  expect_tag("a\xE2\x80\x8D" "b\xE2\x80\x8C" "c", "abc");    /* ZWJ, ZWNJ */
  expect_tag("x\xE2\x81\xA0y", "xy");                        /* word joiner */
  expect_tag("\xE2\x80\x8Ex\xE2\x80\x8F", "x");              /* LRM, RLM */
  expect_tag("\xE2\x80\xAEtxt\xE2\x80\xAC", "txt");          /* RLO, PDF */
  expect_tag("\xE2\x80\xAA" "a\xE2\x80\xAB" "b", "ab");         /* LRE, RLE */
  expect_tag("\xE2\x81\xA6x\xE2\x81\xA9", "x");              /* LRI, PDI */
  expect_tag("\xE2\x9D\xA4\xEF\xB8\x8F", "\xE2\x9D\xA4");    /* VS16 */
  expect_tag("a\xF3\xA0\x84\x80" "b", "ab");                 /* VS17 */
  expect_tag("a\xF3\xA0\x81\x81" "b", "ab");                 /* tag A */
  expect_tag("a\xE2\x81\xA5" "b", "ab");             /* reserved U+2065 */
  expect_tag("a\xEF\xBF\xB0" "b", "ab");             /* reserved U+FFF0 */
  expect_tag("a\xF3\xA0\xBF\xBF" "b", "ab");         /* reserved U+E0FFF */
  expect_tag("party \xE2\x80\x8B planning", "party planning");
  expect_tag(" \xE2\x80\x8B party", "party");
  /* Composition sees through a removed character. */
  expect_tag("Cafe\xE2\x80\x8B\xCC\x81", "caf\xC3\xA9");
  /* Nothing visible left: an error that says so. */
  static const char *const empty[] = {
      "\xE2\x80\x8B", "\xC2\xAD", "\xEF\xBB\xBF", "\xE2\x80\x8B \xC2\xAD ",
      "\xE2\x80\x8E\xE2\x80\x8F", "\xC2\xA0\xE2\x80\x8D\xE3\x80\x80"};
  for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
    char *out = (char *)1;
    assert_int_equal(netref_tag_normalize(empty[i], &out), NETREF_EINVAL);
    assert_null(out);
    assert_non_null(strstr(netref_errmsg(NULL),
                           "tag is empty after normalization"));
  }
}

static void expect_tag_refused(const char *tag, const char *problem) {
  char *out = (char *)1;
  assert_int_equal(netref_tag_normalize(tag, &out), NETREF_EINVAL);
  assert_null(out);
  assert_string_equal(netref_errmsg(NULL), problem);
}

static void rejects_control_characters_in_tags(void **state) {
  (void)state;
  expect_tag_refused("party\tplanning",
                     "tag contains a control character (U+0009)");
  expect_tag_refused("\tparty", "tag contains a control character (U+0009)");
  expect_tag_refused("party\n", "tag contains a control character (U+000A)");
  expect_tag_refused("a\rb", "tag contains a control character (U+000D)");
  expect_tag_refused("\x1b[2Jx", "tag contains a control character (U+001B)");
  expect_tag_refused("a\x07", "tag contains a control character (U+0007)");
  expect_tag_refused("a\x7f", "tag contains a control character (U+007F)");
  expect_tag_refused("a\xC2\x85" "b",
                     "tag contains a control character (U+0085)"); /* NEL */
  expect_tag_refused("a\xC2\x9B" "b",
                     "tag contains a control character (U+009B)"); /* CSI */
}

/* Every scalar value in "a<cp>b": a control character is refused, an
 * invisible one removed, and no output ever holds either. */
static void tags_never_hold_controls_or_invisibles(void **state) {
  (void)state;
  for (utf8proc_int32_t cp = 1; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    char in[8] = "a";
    utf8proc_ssize_t n = utf8proc_encode_char(cp, (utf8proc_uint8_t *)in + 1);
    in[1 + n] = 'b';
    in[2 + n] = 0;
    char *out = NULL;
    int rc = netref_tag_normalize(in, &out);
    int control = utf8proc_category(cp) == UTF8PROC_CATEGORY_CC;
    if (control != (rc == NETREF_EINVAL))
      fail_msg("U+%04X: rc %d (%s)", (unsigned)cp, rc, netref_errmsg(NULL));
    if (control)
      continue;
    char problem[96];
    if (nr_key_problem(out, problem, sizeof problem))
      fail_msg("U+%04X: normalized tag %s", (unsigned)cp, problem);
    netref_free(out);
  }
}

static void expect_key(const char *key, const char *problem) {
  int rc = nr_check_key(NULL, "person key", key);
  if (!problem) {
    if (rc != NETREF_OK)
      fail_msg("key '%s' refused: %s", key, netref_errmsg(NULL));
    return;
  }
  assert_int_equal(rc, NETREF_EINVAL);
  char want[160];
  snprintf(want, sizeof want, "person key %s", problem);
  assert_string_equal(netref_errmsg(NULL), want);
}

/* Keys are identity: refused, never rewritten, when they could hide
 * anything. */
static void checks_keys(void **state) {
  (void)state;
  expect_key("ana", NULL);
  expect_key("ana lima", NULL);
  expect_key("a\xC2\xA0" "b", NULL); /* inner no-break space is visible */
  expect_key("Zo\xC3\xAB", NULL);
  expect_key("\xE6\x9D\x8E", NULL);
  expect_key("ana@example.org", NULL);
  expect_key("\xE2\x9D\xA4", NULL);
  expect_key("", "is empty");
  expect_key("k\xff", "is not valid UTF-8");
  expect_key(" ", "is only white space");
  expect_key("\xC2\xA0", "is only white space");
  expect_key("\xE3\x80\x80\xC2\xA0 ", "is only white space");
  expect_key(" ana", "starts with white space (U+0020)");
  expect_key("\xC2\xA0" "ana", "starts with white space (U+00A0)");
  expect_key("ana ", "ends with white space (U+0020)");
  expect_key("ana\xE2\x80\xAF", "ends with white space (U+202F)");
  expect_key("a\tb", "contains a control character (U+0009)");
  expect_key("ana\t", "contains a control character (U+0009)");
  expect_key("a\nb", "contains a control character (U+000A)");
  expect_key("\r", "contains a control character (U+000D)");
  expect_key("\x1b[31mana", "contains a control character (U+001B)");
  expect_key("ana\x7f", "contains a control character (U+007F)");
  expect_key("a\xC2\x85" "b", "contains a control character (U+0085)");
  expect_key("ana\xE2\x80\x8B", "contains an invisible character (U+200B)");
  expect_key("\xE2\x80\x8B", "contains an invisible character (U+200B)");
  expect_key("\xC2\xAD" "ana", "contains an invisible character (U+00AD)");
  expect_key("\xEF\xBB\xBF" "ana", "contains an invisible character (U+FEFF)");
  expect_key("a\xE2\x80\xAE" "b", "contains an invisible character (U+202E)");
  expect_key("a\xE2\x81\xA6" "b", "contains an invisible character (U+2066)");
  expect_key("a\xE2\x80\x8F", "contains an invisible character (U+200F)");
  expect_key("\xE2\x9D\xA4\xEF\xB8\x8F",
             "contains an invisible character (U+FE0F)");
  expect_key("a\xF3\xA0\x81\x81",
             "contains an invisible character (U+E0041)");
  expect_key("a\xE2\x81\xA5", "contains an invisible character (U+2065)");
  expect_key("a\xE2\x80\xA8" "b", "contains a line break (U+2028)");
  expect_key("a\xE2\x80\xA9" "b", "contains a line break (U+2029)");
  assert_int_equal(nr_check_key(NULL, "person key", NULL), NETREF_EINVAL);
}

static void expect_fold(const char *in, const char *want) {
  char *out = NULL;
  assert_int_equal(nr_text_fold(NULL, in, &out), NETREF_OK);
  assert_string_equal(out, want);
  free(out);
}

static void folds_for_search(void **state) {
  (void)state;
  expect_fold("Ana Lima", "ana lima");                     /* ASCII */
  expect_fold("ANA@Example.ORG", "ana@example.org");
  expect_fold("Jos\xC3\xA9 L\xC3\xB3pez", "jose lopez");     /* composed */
  expect_fold("Jose\xCC\x81", "jose");                       /* decomposed */
  expect_fold("\xC3\x85SA \xC3\x98ST", "asa \xC3\xB8st");    /* Ø has no mark */
  expect_fold("Stra\xC3\x9F" "e", "strasse");                /* sharp s */
  expect_fold("\xEF\xBC\xA1\xEF\xBC\xA2", "ab");             /* fullwidth */
  expect_fold("O\xE2\x80\x99" "Brien", "o'brien");              /* apostrophe */
  expect_fold("an\xE2\x80\x8B" "a", "ana");                  /* zero-width */
  expect_fold("\xCE\x86\xCE\xBD\xCE\xBD\xCE\xB1", /* Greek, tonos */
              "\xCE\xB1\xCE\xBD\xCE\xBD\xCE\xB1");
  expect_fold("", "");
  char *out = (char *)1;
  assert_int_equal(nr_text_fold(NULL, "bad \xff", &out), NETREF_EINVAL);
  assert_null(out);
}

static size_t distance(const char *asked, const char *known) {
  struct nr_suggest s;
  nr_suggest_init(&s, asked);
  return nr_suggest_distance(&s, known);
}

static void suggests_close_texts(void **state) {
  (void)state;
  assert_int_equal(distance("anna", "ana"), 1);
  assert_int_equal(distance("ana", "ana"), 0);
  assert_int_equal(distance("kitten", "sitting"), NR_SUGGEST_FAR); /* 3 > 2 */
  assert_int_equal(distance("kittens", "sitting"), NR_SUGGEST_FAR);
  assert_int_equal(distance("abcdefghi", "abcxefgyi"), 2); /* 2 <= 3 */
  assert_int_equal(distance("a", "b"), NR_SUGGEST_FAR);    /* all of it */
  assert_int_equal(distance("ab", "xy"), NR_SUGGEST_FAR);
  assert_int_equal(distance("lima", "ana lima"), 4);   /* contained */
  assert_int_equal(distance("li", "ana lima"), NR_SUGGEST_FAR); /* too short */
  assert_int_equal(distance("bob", "zed"), NR_SUGGEST_FAR);
  assert_int_equal(distance("l\xC3\xB3pez", "lopez"), 1); /* code points */

  /* The closest three, by distance then byte order; no repeats. */
  struct nr_suggest s;
  nr_suggest_init(&s, "anna");
  const char *known[] = {"hanna", "ana", "anne", "ann", "ana", "zed"};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
    size_t d = nr_suggest_distance(&s, known[i]);
    if (d != NR_SUGGEST_FAR)
      assert_int_equal(nr_suggest_keep(&s, known[i], NULL, d), 0);
  }
  assert_int_equal(nr_suggest_count(&s), 3);
  char phrase[128];
  nr_suggest_phrase(&s, 0, phrase, sizeof phrase);
  assert_string_equal(phrase, "'ana', 'ann' or 'anne'");
  nr_suggest_free(&s);
  nr_suggest_init(&s, "anna");
  assert_int_equal(nr_suggest_keep(&s, "p1", "Ana", 1), 0);
  assert_int_equal(nr_suggest_keep(&s, "p2", NULL, 1), 0);
  nr_suggest_phrase(&s, 1, phrase, sizeof phrase);
  assert_string_equal(phrase, "'p1' (Ana) or 'p2'");
  nr_suggest_phrase(&s, 0, phrase, sizeof phrase);
  assert_string_equal(phrase, "'p1' or 'p2'");
  nr_suggest_free(&s);
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
      cmocka_unit_test(strips_invisible_characters),
      cmocka_unit_test(rejects_control_characters_in_tags),
      cmocka_unit_test(tags_never_hold_controls_or_invisibles),
      cmocka_unit_test(checks_keys),
      cmocka_unit_test(folds_for_search),
      cmocka_unit_test(suggests_close_texts),
      cmocka_unit_test(validates_utf8),
      cmocka_unit_test(parses_dates),
      cmocka_unit_test(formats_dates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
