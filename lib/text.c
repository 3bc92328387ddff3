/* Text rules: UTF-8 validity, tag normalization and folding for search
 * (utf8proc), dates. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "internal.h"

int nr_utf8_valid(const char *s, size_t len) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  utf8proc_ssize_t left = (utf8proc_ssize_t)len;
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0 || cp == 0)
      return 0;
    p += n;
    left -= n;
  }
  return 1;
}

int nr_check_text(netref_db *db, const char *what, const char *s,
                  int allow_empty) {
  if (!s)
    return nr_fail(db, NETREF_EINVAL, "%s is missing", what);
  if (!allow_empty && !*s)
    return nr_fail(db, NETREF_EINVAL, "%s is empty", what);
  if (!nr_utf8_valid(s, strlen(s)))
    return nr_fail(db, NETREF_EINVAL, "%s is not valid UTF-8", what);
  return NETREF_OK;
}

static int is_space(utf8proc_int32_t cp) {
  if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
    return 1;
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
         c == UTF8PROC_CATEGORY_ZP;
}

/* C0 controls (tab and newline too), DEL and C1 controls. */
static int is_control(utf8proc_int32_t cp) {
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_CC;
}

/* Unicode's Default_Ignorable_Code_Point: characters that show nothing
 * and do nothing to the text around them when not supported (zero-width
 * space and joiners, soft hyphen, U+FEFF, bidi controls, variation
 * selectors, tag characters). utf8proc flags the assigned ones; the
 * reserved code points of the property are added here, so that text
 * from a newer Unicode version stays invisible to us too. */
static int is_ignorable(utf8proc_int32_t cp) {
  return utf8proc_get_property(cp)->ignorable || cp == 0x2065 ||
         (cp >= 0xFFF0 && cp <= 0xFFF8) || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

static int is_line_break(utf8proc_int32_t cp) {
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

int nr_key_problem(const char *key, char *buf, size_t size) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)key;
  utf8proc_int32_t cp, first = -1, last = -1;
  int visible = 0;
  utf8proc_ssize_t n;
  while (*p && (n = utf8proc_iterate(p, -1, &cp)) > 0) {
    const char *kind = is_control(cp)      ? "a control character"
                       : is_ignorable(cp)  ? "an invisible character"
                       : is_line_break(cp) ? "a line break"
                                           : NULL;
    if (kind) {
      snprintf(buf, size, "contains %s (U+%04X)", kind, (unsigned)cp);
      return 1;
    }
    if (first < 0)
      first = cp;
    last = cp;
    visible |= !is_space(cp);
    p += n;
  }
  if (*p)
    snprintf(buf, size, "is not valid UTF-8");
  else if (first < 0)
    snprintf(buf, size, "is empty");
  else if (!visible)
    snprintf(buf, size, "is only white space");
  else if (is_space(first))
    snprintf(buf, size, "starts with white space (U+%04X)", (unsigned)first);
  else if (is_space(last))
    snprintf(buf, size, "ends with white space (U+%04X)", (unsigned)last);
  else
    return 0;
  return 1;
}

int nr_check_key(netref_db *db, const char *what, const char *key) {
  int rc = nr_check_text(db, what, key, 0);
  char problem[96];
  if (rc == NETREF_OK && nr_key_problem(key, problem, sizeof problem))
    rc = nr_fail(db, NETREF_EINVAL, "%s %s", what, problem);
  return rc;
}

int nr_fail_unknown_key(netref_db *db, const char *noun, const char *key) {
  char problem[96];
  if (nr_key_problem(key, problem, sizeof problem))
    return nr_fail(db, NETREF_ENOTFOUND, "no %s '%s'; the key %s", noun, key,
                   problem);
  return nr_fail(db, NETREF_ENOTFOUND, "no %s '%s'", noun, key);
}

/* Copy a tag without its default-ignorable code points into a new
 * string; refuse control characters. Done before utf8proc_map so that
 * composition sees through a removed character ("e", U+200B, U+0301
 * becomes one "é") and the message names the caller's code point. */
static int strip_invisible(netref_db *db, const char *tag, char **out) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)tag;
  char *copy = malloc(strlen(tag) + 1), *at = copy;
  if (!copy)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  utf8proc_int32_t cp;
  utf8proc_ssize_t n;
  while (*p && (n = utf8proc_iterate(p, -1, &cp)) > 0) {
    if (is_control(cp)) {
      free(copy);
      return nr_fail(db, NETREF_EINVAL,
                     "tag contains a control character (U+%04X)", (unsigned)cp);
    }
    if (!is_ignorable(cp)) {
      memcpy(at, p, (size_t)n);
      at += n;
    }
    p += n;
  }
  *at = 0;
  *out = copy;
  return NETREF_OK;
}

/* Trim and collapse white space in place; the string only shrinks. */
static void collapse_spaces(char *s) {
  utf8proc_uint8_t *in = (utf8proc_uint8_t *)s, *out = in;
  int pending_space = 0;
  while (*in) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(in, -1, &cp);
    if (n <= 0)
      break; /* cannot happen: utf8proc_map produced valid UTF-8 */
    if (is_space(cp)) {
      pending_space = out != (utf8proc_uint8_t *)s;
    } else {
      if (pending_space)
        *out++ = ' ';
      pending_space = 0;
      memmove(out, in, (size_t)n);
      out += n;
    }
    in += n;
  }
  *out = 0;
}

int nr_tag_normalize(netref_db *db, const char *tag, char **out) {
  *out = NULL;
  int rc = nr_check_text(db, "tag", tag, 0);
  char *visible = NULL;
  if (rc == NETREF_OK)
    rc = strip_invisible(db, tag, &visible);
  if (rc != NETREF_OK)
    return rc;
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)visible,
                                    (utf8proc_ssize_t)strlen(visible), &mapped,
                                    UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                        UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
  free(visible);
  if (n < 0)
    return nr_fail(db,
                   n == UTF8PROC_ERROR_NOMEM ? NETREF_ENOMEM : NETREF_EINVAL,
                   "tag '%s': %s", tag, utf8proc_errmsg(n));
  collapse_spaces((char *)mapped);
  if (!*mapped) {
    free(mapped);
    return nr_fail(db, NETREF_EINVAL,
                   "tag is empty after normalization (it holds only white"
                   " space or invisible characters)");
  }
  *out = (char *)mapped;
  return NETREF_OK;
}

int nr_text_fold(netref_db *db, const char *s, char **out) {
  *out = NULL;
  size_t len = strlen(s), ascii = 0;
  while (ascii < len && (unsigned char)s[ascii] < 0x80)
    ascii++;
  if (ascii == len) { /* the common case, without utf8proc: only case */
    char *copy = malloc(len + 1);
    if (!copy)
      return nr_fail(db, NETREF_ENOMEM, "out of memory");
    for (size_t i = 0; i <= len; i++)
      copy[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    *out = copy;
    return NETREF_OK;
  }
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t n =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &mapped,
                   UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                       UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
                       UTF8PROC_IGNORE | UTF8PROC_LUMP);
  if (n < 0)
    return nr_fail(db,
                   n == UTF8PROC_ERROR_NOMEM ? NETREF_ENOMEM : NETREF_EINVAL,
                   "text to compare: %s", utf8proc_errmsg(n));
  *out = (char *)mapped;
  return NETREF_OK;
}

int netref_tag_normalize(const char *tag, char **out) {
  if (!out)
    return nr_fail(NULL, NETREF_EINVAL, "netref_tag_normalize: out is NULL");
  return nr_tag_normalize(NULL, tag, out);
}

void netref_free(void *ptr) { free(ptr); }

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
static int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

static int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

int nr_parse_date(const char *s, int32_t *days) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return -1;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
          (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return -1;
  *days = days_from_civil(y, m, d);
  return 0;
}

int32_t nr_column_day(sqlite3_stmt *st, int col) {
  int32_t day;
  if (sqlite3_column_type(st, col) == SQLITE_INTEGER) {
    /* Only the days of 0001-01-01 .. 9999-12-31, as nr_parse_date. */
    sqlite3_int64 v = sqlite3_column_int64(st, col);
    return v >= -719162 && v <= 2932896 ? (int32_t)v : NR_NO_DATE;
  }
  const char *text = (const char *)sqlite3_column_text(st, col);
  return text && !nr_parse_date(text, &day) ? day : NR_NO_DATE;
}

void nr_format_date(int32_t days, char buf[11]) {
  /* The inverse of days_from_civil (H. Hinnant's civil_from_days). */
  int64_t z = (int64_t)days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  int y = (int)(yoe + era * 400 + (m <= 2));
  const int parts[3][2] = {{y, 4}, {m, 2}, {d, 2}};
  char *at = buf;
  for (int p = 0; p < 3; p++) {
    for (int i = parts[p][1] - 1, v = parts[p][0]; i >= 0; i--, v /= 10)
      at[i] = (char)('0' + v % 10);
    at += parts[p][1];
    *at++ = p < 2 ? '-' : '\0';
  }
}

int32_t nr_today(void) {
  time_t now = time(NULL);
  struct tm tm;
  if (!localtime_r(&now, &tm))
    return (int32_t)(now / 86400);
  return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int nr_strength_valid(double s) { return s > 0.0 && s <= 1.0; }

/* Numbers in files and tables always use a decimal point, whatever
 * locale the host program has set: parse and print them in the "C"
 * locale, switched per thread. */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;

static void make_c_numeric(void) {
  c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static locale_t enter_c_numeric(void) {
  pthread_once(&c_numeric_once, make_c_numeric);
  return c_numeric ? uselocale(c_numeric) : (locale_t)0;
}

static void leave_c_numeric(locale_t previous) {
  if (previous)
    uselocale(previous);
}

int nr_parse_real(const char *s, double *out) {
  locale_t previous = enter_c_numeric();
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  int bad = end == s || *end || errno || !isfinite(v);
  leave_c_numeric(previous);
  if (bad)
    return -1;
  *out = v;
  return 0;
}

void nr_format_real(double v, char buf[NR_REAL_TEXT]) {
  locale_t previous = enter_c_numeric();
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, NR_REAL_TEXT, "%.*g", prec, v);
    if (strtod(buf, NULL) == v)
      break;
  }
  leave_c_numeric(previous);
}
