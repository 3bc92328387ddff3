/*
 * Fuzz target: netref_tag_normalize (DESIGN section 3: NFKC, case fold,
 * trim, inner white space collapsed to one space; invalid UTF-8 is an
 * error).
 *
 * The input, cut at its first NUL, is the tag. Checks:
 *  - the result is NETREF_OK, or NETREF_EINVAL with no output; invalid
 *    UTF-8 (by this file's own strict RFC 3629 reading) is always
 *    NETREF_EINVAL;
 *  - a normalized tag is non-empty valid UTF-8 with no space at either
 *    end, no two spaces in a row and no other ASCII white space;
 *  - normalizing it again gives it back unchanged (idempotence: stored
 *    tags and queried tags meet in one form).
 */
#include <string.h>

#include "fuzz.h"
#include "netref.h"

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
 * U+10FFFF. Written here, independently of the library's check. */
static size_t utf8_sequence(const unsigned char *s, size_t left) {
  unsigned char c = s[0];
  size_t n = c < 0x80                 ? 1
             : c >= 0xC2 && c <= 0xDF ? 2
             : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4
                                      : 0;
  if (n == 0 || n > left)
    return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  /* The second byte's range rules out overlong forms, surrogates and
   * code points past U+10FFFF. */
  if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
      (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
    return 0;
  return n;
}

static int utf8_valid(const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t left = strlen(text);
  while (left > 0) {
    size_t n = utf8_sequence(s, left);
    if (n == 0)
      return 0;
    s += n;
    left -= n;
  }
  return 1;
}

static void check_normal_form(const char *tag, const char *in) {
  size_t n = strlen(tag);
  FUZZ_CHECK(n > 0, "empty tag from '%s'", in);
  FUZZ_CHECK(utf8_valid(tag), "invalid UTF-8 from '%s'", in);
  FUZZ_CHECK(tag[0] != ' ' && tag[n - 1] != ' ', "untrimmed '%s'", tag);
  FUZZ_CHECK(strstr(tag, "  ") == NULL, "two spaces in '%s'", tag);
  FUZZ_CHECK(strpbrk(tag, "\t\n\v\f\r") == NULL, "white space in '%s'", tag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *in = malloc(size + 1);
  FUZZ_CHECK(in != NULL, "out of memory");
  memcpy(in, data, size);
  in[size] = 0;
  char *tag = (char *)"not set";
  int rc = netref_tag_normalize(in, &tag);
  if (!utf8_valid(in))
    FUZZ_CHECK(rc == NETREF_EINVAL, "invalid UTF-8 accepted: %s",
               netref_strerror(rc));
  if (rc != NETREF_OK) {
    FUZZ_CHECK(rc == NETREF_EINVAL, "unexpected %s: %s", netref_strerror(rc),
               netref_errmsg(NULL));
    FUZZ_CHECK(tag == NULL, "a failure left an output");
    free(in);
    return 0;
  }
  check_normal_form(tag, in);
  char *again = NULL;
  rc = netref_tag_normalize(tag, &again);
  FUZZ_CHECK(rc == NETREF_OK, "normalizing '%s' again fails: %s", tag,
             netref_errmsg(NULL));
  FUZZ_CHECK(strcmp(tag, again) == 0, "not idempotent: '%s' -> '%s' -> '%s'",
             in, tag, again);
  netref_free(again);
  netref_free(tag);
  free(in);
  return 0;
}
