/* A person's attributes in memory, and the families of attributes that
 * identify a person across files (attrs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrs.h"

static const char *const family_names[NR_FAMILIES] = {"email", "url", "uid",
                                                      "phone"};

const char *nr_family_name(int family) {
  return family >= 0 && family < NR_FAMILIES ? family_names[family] : NULL;
}

int nr_attr_family(const char *name) {
  for (int f = 0; f < NR_FAMILIES; f++) {
    size_t n = strlen(family_names[f]);
    if (strncmp(name, family_names[f], n) != 0)
      continue;
    const char *num = name + n;
    if (!*num)
      return f;
    /* "email2", "email10": a number >= 2, no leading zero */
    if (*num < '1' || *num > '9' || (num[0] == '1' && !num[1]))
      return -1;
    while (*num >= '0' && *num <= '9')
      num++;
    return *num ? -1 : f;
  }
  return -1;
}

void nr_ascii_lower(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      *s = (char)(*s - 'A' + 'a');
}

static char *copy_span(const char *s, size_t n) {
  char *c = malloc(n + 1);
  if (c) {
    memcpy(c, s, n);
    c[n] = 0;
  }
  return c;
}

/* s without ASCII white space at either end, as a span. */
static const char *trim_span(const char *s, size_t *n) {
  while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
    s++;
  size_t len = strlen(s);
  while (len &&
         (s[len - 1] == ' ' || (s[len - 1] >= '\t' && s[len - 1] <= '\r')))
    len--;
  *n = len;
  return s;
}

/* Case-insensitive (ASCII) search for a needle. */
static const char *find_nocase(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++) {
    size_t i = 0;
    while (i < n && hay[i] && (hay[i] | 0x20) == (needle[i] | 0x20))
      i++;
    if (i == n)
      return hay;
  }
  return NULL;
}

static int hex_digit(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Percent-decode s[0..n) into a new string; the undecoded copy when the
 * result would not be valid UTF-8 without NUL bytes. */
static char *percent_decode(const char *s, size_t n) {
  char *out = malloc(n + 1), *at = out;
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < n && (hi = hex_digit(s[i + 1])) >= 0 &&
        (lo = hex_digit(s[i + 2])) >= 0) {
      *at++ = (char)(hi << 4 | lo);
      i += 2;
    } else {
      *at++ = s[i];
    }
  }
  *at = 0;
  if (!nr_utf8_valid(out, (size_t)(at - out))) {
    memcpy(out, s, n);
    out[n] = 0;
  }
  return out;
}

char *nr_linkedin_slug(const char *url, int *nomem) {
  *nomem = 0;
  const char *at = find_nocase(url, "linkedin.com/in/");
  if (!at)
    return NULL;
  at += strlen("linkedin.com/in/");
  size_t n = strcspn(at, "/?#");
  if (n == 0)
    return NULL;
  char *slug = percent_decode(at, n);
  if (!slug)
    *nomem = 1;
  return slug;
}

/* The length of "SCHEME://" at the start of s[0..n) (RFC 3986: a letter,
 * then letters, digits, '+', '-', '.'), or 0. */
static size_t scheme_length(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
                   (i > 0 && ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
                              s[i] == '-' || s[i] == '.'))))
    i++;
  return i > 0 && i + 3 <= n && memcmp(s + i, "://", 3) == 0 ? i + 3 : 0;
}

static char *canon_url(const char *value) {
  int nomem;
  char *slug = nr_linkedin_slug(value, &nomem);
  if (nomem)
    return NULL;
  if (slug) {
    size_t n = strlen(slug);
    char *c = malloc(n + sizeof "linkedin.com/in/");
    if (c) {
      memcpy(c, "linkedin.com/in/", sizeof "linkedin.com/in/" - 1);
      memcpy(c + sizeof "linkedin.com/in/" - 1, slug, n + 1);
      nr_ascii_lower(c);
    }
    free(slug);
    return c;
  }
  size_t n;
  const char *s = trim_span(value, &n);
  size_t scheme = scheme_length(s, n);
  if (scheme) {
    s += scheme;
    n -= scheme;
  }
  if (n >= 4 && strncasecmp(s, "www.", 4) == 0) {
    s += 4;
    n -= 4;
  }
  while (n && s[n - 1] == '/')
    n--;
  char *c = copy_span(s, n);
  if (c)
    nr_ascii_lower(c);
  return c;
}

static char *canon_phone(const char *value) {
  char *c = malloc(strlen(value) + 1), *at = c;
  if (!c)
    return NULL;
  size_t n;
  const char *s = trim_span(value, &n);
  for (size_t i = 0; i < n; i++)
    if ((s[i] >= '0' && s[i] <= '9') || (s[i] == '+' && at == c))
      *at++ = s[i];
  *at = 0;
  return c;
}

char *nr_attr_canon(int family, const char *value) {
  size_t n;
  const char *s;
  char *c;
  switch (family) {
  case NR_FAMILY_URL:
    return canon_url(value);
  case NR_FAMILY_PHONE:
    return canon_phone(value);
  case NR_FAMILY_EMAIL:
    s = trim_span(value, &n);
    c = copy_span(s, n);
    if (c)
      nr_ascii_lower(c);
    return c;
  default:
    s = trim_span(value, &n);
    return copy_span(s, n);
  }
}

int nr_attrs_push(struct nr_attrs *a, const char *name, const char *value) {
  /* Both arrays grow to the same capacity; a->cap changes last. */
  size_t cap = a->cap;
  if (nr_grow(&a->name, &cap, a->n + 1, sizeof *a->name) ||
      nr_grow(&a->value, &a->cap, a->n + 1, sizeof *a->value))
    return -1;
  char *n = copy_span(name, strlen(name));
  char *v = copy_span(value, strlen(value));
  if (!n || !v) {
    free(n);
    free(v);
    return -1;
  }
  a->name[a->n] = n;
  a->value[a->n++] = v;
  return 0;
}

int nr_attrs_read(netref_db *db, sqlite3_stmt *st, sqlite3_int64 person,
                  struct nr_attrs *a) {
  sqlite3_reset(st);
  sqlite3_bind_int64(st, 1, person);
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *value = (const char *)sqlite3_column_text(st, 1);
    if (name && value && nr_attrs_push(a, name, value)) {
      sqlite3_reset(st);
      return nr_fail(db, NETREF_ENOMEM, "out of memory");
    }
  }
  sqlite3_reset(st);
  if (step != SQLITE_DONE)
    return nr_fail_sql(db, step, "read attributes");
  return NETREF_OK;
}

const char *nr_attrs_get(const struct nr_attrs *a, const char *name) {
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->name[i], name) == 0)
      return a->value[i];
  return NULL;
}

int nr_attrs_holds(const struct nr_attrs *a, int family, const char *canon) {
  for (size_t i = 0; i < a->n; i++) {
    if (nr_attr_family(a->name[i]) != family)
      continue;
    char *c = nr_attr_canon(family, a->value[i]);
    if (!c)
      return -1;
    int same = strcmp(c, canon) == 0;
    free(c);
    if (same)
      return 1;
  }
  return 0;
}

void nr_attrs_free_slot(const struct nr_attrs *a, int family, char *buf,
                        size_t size) {
  snprintf(buf, size, "%s", family_names[family]);
  for (unsigned k = 2; nr_attrs_get(a, buf); k++)
    snprintf(buf, size, "%s%u", family_names[family], k);
}

void nr_attrs_clear(struct nr_attrs *a) {
  for (size_t i = 0; i < a->n; i++) {
    free(a->name[i]);
    free(a->value[i]);
  }
  free(a->name);
  free(a->value);
  memset(a, 0, sizeof *a);
}
