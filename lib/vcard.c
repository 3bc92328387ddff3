/* A focused vCard reader (vcard.h): versions 2.1, 3.0 and 4.0 as phones
 * and mail programs write them.
 *
 * Physical lines become logical lines (properties) in three ways:
 * folding (a line starting with a space or tab continues the previous
 * one, RFC 6350 3.2), quoted-printable soft breaks (a QUOTED-PRINTABLE
 * value ending in '=' continues on the next line, vCard 2.1), and the
 * base64 of binary properties (PHOTO, LOGO, SOUND, KEY, or ENCODING=B /
 * BASE64), whose continuation lines 2.1 writers do not always indent:
 * after such a property every line without a ':' belongs to it, up to an
 * empty line. Binary properties are never handed on. Text is decoded
 * from QUOTED-PRINTABLE and from its CHARSET (UTF-8, US-ASCII,
 * ISO-8859-1, Windows-1252) into UTF-8; text without a CHARSET must be
 * UTF-8. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "internal.h"
#include "vcard.h"

struct head {
  size_t name_at, name_len; /* the name, after any "group." */
  size_t group_len;         /* 0: no group */
  size_t value_at;          /* after the ':' */
  struct nr_vcard_param *params;
  size_t nparams, cap;
};

struct reader {
  const struct nr_vcard_handler *h;
  void *ctx;
  struct nr_vcard_error *err;
  long line;     /* physical lines read */
  char *pending; /* the logical line being gathered */
  size_t plen, pcap;
  long pline; /* where it starts */
  int has_pending, pending_qp, pending_binary;
  int in_card, cards;
  long card_line;
};

static int bad(struct reader *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct reader *r, long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err->problem, sizeof r->err->problem, fmt, ap);
  va_end(ap);
  r->err->line = line;
  return NR_VCARD_EBAD;
}

static void free_params(struct head *hd) {
  for (size_t i = 0; i < hd->nparams; i++) {
    free(hd->params[i].name);
    free(hd->params[i].value);
  }
  free(hd->params);
  memset(hd, 0, sizeof *hd);
}

static char *dup_span(const char *s, size_t n, int upper, int unquote) {
  char *c = malloc(n + 1), *at = c;
  if (!c)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (unquote && ch == '"')
      continue;
    *at++ = upper && ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
  }
  *at = 0;
  return c;
}

/* The end of the segment starting at s[i]: the next ';' or ':' outside
 * double quotes, or n. */
static size_t segment_end(const char *s, size_t i, size_t n) {
  int quoted = 0;
  for (; i < n; i++) {
    if (s[i] == '"')
      quoted = !quoted;
    else if (!quoted && (s[i] == ';' || s[i] == ':'))
      break;
  }
  return i;
}

static int add_param(struct head *hd, const char *s, size_t n) {
  if (nr_grow(&hd->params, &hd->cap, hd->nparams + 1, sizeof *hd->params))
    return NR_VCARD_ENOMEM;
  struct nr_vcard_param *p = &hd->params[hd->nparams];
  const char *eq = memchr(s, '=', n);
  if (eq && memchr(s, '"', (size_t)(eq - s)))
    eq = NULL; /* '=' inside a quoted bare value */
  p->name = eq ? dup_span(s, (size_t)(eq - s), 1, 0) : NULL;
  p->value = eq ? dup_span(eq + 1, n - (size_t)(eq + 1 - s), 0, 1)
                : dup_span(s, n, 0, 1);
  if ((eq && !p->name) || !p->value) {
    free(p->name);
    free(p->value);
    return NR_VCARD_ENOMEM;
  }
  hd->nparams++;
  return NR_VCARD_OK;
}

static int name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Split "[group.]NAME *(;param):value"; 1 when there is no ':' or the
 * name is malformed, NR_VCARD_ENOMEM. */
static int parse_head(const char *s, size_t n, struct head *hd) {
  memset(hd, 0, sizeof *hd);
  size_t end = segment_end(s, 0, n);
  const char *dot = memchr(s, '.', end);
  hd->group_len = dot ? (size_t)(dot - s) : 0;
  hd->name_at = dot ? hd->group_len + 1 : 0;
  hd->name_len = end - hd->name_at;
  if (hd->name_len == 0 || (dot && hd->group_len == 0))
    return 1;
  for (size_t i = 0; i < end; i++)
    if (!name_char(s[i]) && s + i != dot)
      return 1;
  while (end < n && s[end] == ';') {
    size_t start = end + 1;
    end = segment_end(s, start, n);
    if (end > start && add_param(hd, s + start, end - start)) {
      free_params(hd);
      return NR_VCARD_ENOMEM;
    }
  }
  if (end >= n || s[end] != ':') {
    free_params(hd);
    return 1;
  }
  hd->value_at = end + 1;
  return NR_VCARD_OK;
}

static int param_is(const struct nr_vcard_param *p, const char *name,
                    const char *value) {
  const char *pname = p->name ? p->name : "TYPE";
  if (strcmp(pname, name) != 0)
    return 0;
  size_t n = strlen(value);
  for (const char *v = p->value; *v;) {
    size_t len = strcspn(v, ",");
    if (len == n && strncasecmp(v, value, n) == 0)
      return 1;
    v += len + (v[len] == ',');
  }
  return 0;
}

int nr_vcard_has_param(const struct nr_vcard_prop *p, const char *name,
                       const char *value) {
  for (size_t i = 0; i < p->nparams; i++)
    if (param_is(&p->params[i], name, value))
      return 1;
  return 0;
}

static int head_has(const struct head *hd, const char *name,
                    const char *value) {
  struct nr_vcard_prop p = {.params = hd->params, .nparams = hd->nparams};
  return nr_vcard_has_param(&p, name, value) ||
         /* 2.1 writes ENCODING's and CHARSET's values bare too */
         (strcmp(name, "ENCODING") == 0 &&
          nr_vcard_has_param(&p, "TYPE", value));
}

static int name_is(const char *s, const struct head *hd, const char *name) {
  return hd->name_len == strlen(name) &&
         strncasecmp(s + hd->name_at, name, hd->name_len) == 0;
}

static int is_binary(const char *s, const struct head *hd) {
  return head_has(hd, "ENCODING", "B") || head_has(hd, "ENCODING", "BASE64") ||
         name_is(s, hd, "PHOTO") || name_is(s, hd, "LOGO") ||
         name_is(s, hd, "SOUND") || name_is(s, hd, "KEY");
}

static int is_qp(const struct head *hd) {
  return head_has(hd, "ENCODING", "QUOTED-PRINTABLE");
}

/* ---- decoding a value into UTF-8 ---- */

static int hex(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* In place; a '=' at the very end (a soft break left over) is dropped. */
static int qp_decode(struct reader *r, char *v, size_t *n) {
  size_t out = 0;
  for (size_t i = 0; i < *n; i++) {
    if (v[i] != '=') {
      v[out++] = v[i];
      continue;
    }
    if (i + 1 == *n)
      break;
    int hi = hex(v[i + 1]), lo = i + 2 < *n ? hex(v[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      return bad(r, r->pline, "bad quoted-printable escape '=%.2s'", v + i + 1);
    v[out++] = (char)(hi << 4 | lo);
    i += 2;
  }
  *n = out;
  v[out] = 0;
  return NR_VCARD_OK;
}

/* Line breaks of decoded text (quoted-printable "=0D=0A", a lone CR) as
 * "\n": no CR is left. */
static size_t crlf_to_lf(char *v, size_t n) {
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i] != '\r')
      v[out++] = v[i];
    else if (!(i + 1 < n && v[i + 1] == '\n'))
      v[out++] = '\n';
  }
  v[out] = 0;
  return out;
}

/* Windows-1252's 0x80 to 0x9F (0: undefined there, kept as the C1
 * control ISO-8859-1 gives it). */
static const unsigned short cp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* A single-byte charset into UTF-8, in a new string. */
static char *from_8bit(const char *v, size_t n, int windows) {
  char *out = malloc(3 * n + 1), *at = out;
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    unsigned cp = (unsigned char)v[i];
    if (windows && cp >= 0x80 && cp < 0xA0 && cp1252[cp - 0x80])
      cp = cp1252[cp - 0x80];
    if (cp < 0x80) {
      *at++ = (char)cp;
    } else if (cp < 0x800) {
      *at++ = (char)(0xC0 | cp >> 6);
      *at++ = (char)(0x80 | (cp & 0x3F));
    } else {
      *at++ = (char)(0xE0 | cp >> 12);
      *at++ = (char)(0x80 | ((cp >> 6) & 0x3F));
      *at++ = (char)(0x80 | (cp & 0x3F));
    }
  }
  *at = 0;
  return out;
}

static const char *charset_of(const struct head *hd) {
  for (size_t i = 0; i < hd->nparams; i++)
    if (hd->params[i].name && strcmp(hd->params[i].name, "CHARSET") == 0)
      return hd->params[i].value;
  return NULL;
}

/* The value of a logical line as UTF-8 in a new string (*out). */
static int decode(struct reader *r, const char *line, const struct head *hd,
                  char **out) {
  size_t n = r->plen - hd->value_at;
  char *v = dup_span(line + hd->value_at, n, 0, 0);
  if (!v)
    return NR_VCARD_ENOMEM;
  int rc = is_qp(hd) ? qp_decode(r, v, &n) : NR_VCARD_OK;
  const char *cs = charset_of(hd);
  int latin1 =
      cs && (!strcasecmp(cs, "ISO-8859-1") || !strcasecmp(cs, "ISO8859-1") ||
             !strcasecmp(cs, "LATIN1"));
  int windows =
      cs && (!strcasecmp(cs, "WINDOWS-1252") || !strcasecmp(cs, "CP1252"));
  if (rc == NR_VCARD_OK && cs && !latin1 && !windows &&
      strcasecmp(cs, "UTF-8") && strcasecmp(cs, "UTF8") &&
      strcasecmp(cs, "US-ASCII") && strcasecmp(cs, "ASCII"))
    rc = bad(r, r->pline,
             "unsupported CHARSET '%.40s' (UTF-8, US-ASCII, ISO-8859-1 and "
             "Windows-1252 are read)",
             cs);
  if (rc == NR_VCARD_OK && memchr(v, 0, n))
    rc = bad(r, r->pline, "the value holds a NUL byte");
  if (rc == NR_VCARD_OK)
    n = crlf_to_lf(v, n);
  if (rc == NR_VCARD_OK && (latin1 || windows)) {
    char *u = from_8bit(v, n, windows);
    free(v);
    if (!(v = u))
      return NR_VCARD_ENOMEM;
    n = strlen(v);
  }
  if (rc == NR_VCARD_OK && !nr_utf8_valid(v, n))
    rc = bad(r, r->pline,
             "the value of %.*s is not valid UTF-8 (a CHARSET parameter "
             "names another encoding)",
             (int)hd->name_len, line + hd->name_at);
  if (rc != NR_VCARD_OK) {
    free(v);
    return rc;
  }
  *out = v;
  return NR_VCARD_OK;
}

/* ---- cards ---- */

static char *trimmed_value(const char *line, const struct head *hd) {
  const char *v = line + hd->value_at;
  while (*v == ' ' || *v == '\t')
    v++;
  size_t n = strlen(v);
  while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
    n--;
  return dup_span(v, n, 1, 0);
}

static int card_begin(struct reader *r, const char *what) {
  if (strcmp(what, "VCARD") != 0)
    return bad(r, r->pline, "BEGIN:%.40s is not a vCard", what);
  if (r->in_card)
    return bad(r, r->pline,
               "BEGIN:VCARD inside the card begun on line %ld (cards within "
               "cards, as AGENT may hold, are not read)",
               r->card_line);
  r->in_card = 1;
  r->cards++;
  r->card_line = r->pline;
  return r->h->begin ? r->h->begin(r->ctx, r->pline) : NR_VCARD_OK;
}

/* BEGIN, END and VERSION: the structure of the file. */
static int structure(struct reader *r, const char *line, const struct head *hd,
                     int *done) {
  *done = 1;
  int begin = name_is(line, hd, "BEGIN"), end = name_is(line, hd, "END");
  int version = name_is(line, hd, "VERSION");
  if (!begin && !end && !version) {
    *done = 0;
    return r->in_card ? NR_VCARD_OK
                      : bad(r, r->pline,
                            "expected BEGIN:VCARD, found "
                            "'%.40s'",
                            line);
  }
  char *what = trimmed_value(line, hd);
  if (!what)
    return NR_VCARD_ENOMEM;
  int rc = NR_VCARD_OK;
  if (begin) {
    rc = card_begin(r, what);
  } else if (!r->in_card) {
    rc = bad(r, r->pline, "%s outside a card (no BEGIN:VCARD before it)",
             end ? "END" : "VERSION");
  } else if (end && strcmp(what, "VCARD") != 0) {
    rc = bad(r, r->pline, "END:%.40s inside a vCard", what);
  } else if (end) {
    r->in_card = 0;
    rc = r->h->end ? r->h->end(r->ctx, r->pline) : NR_VCARD_OK;
  } else if (strcmp(what, "2.1") && strcmp(what, "3.0") &&
             strcmp(what, "4.0")) {
    rc = bad(r, r->pline,
             "unsupported vCard version '%.20s' (2.1, 3.0 and 4.0 are read)",
             what);
  }
  free(what);
  return rc;
}

/* One logical line, complete. */
static int property(struct reader *r) {
  const char *line = r->pending;
  struct head hd;
  int rc = parse_head(line, r->plen, &hd);
  if (rc == 1 && !r->in_card)
    return bad(r, r->pline, "expected BEGIN:VCARD, found '%.40s'", line);
  if (rc == 1)
    return bad(r, r->pline,
               "not a vCard property (expected NAME:value, found '%.40s')",
               line);
  if (rc != NR_VCARD_OK)
    return rc;
  int done;
  rc = structure(r, line, &hd, &done);
  if (rc == NR_VCARD_OK && !done && !is_binary(line, &hd)) {
    char *group = hd.group_len ? dup_span(line, hd.group_len, 0, 0) : NULL;
    char *name = dup_span(line + hd.name_at, hd.name_len, 1, 0);
    char *value = NULL;
    rc = !name || (hd.group_len && !group) ? NR_VCARD_ENOMEM
                                           : decode(r, line, &hd, &value);
    if (rc == NR_VCARD_OK && r->h->property) {
      struct nr_vcard_prop p = {group,      name,  hd.params,
                                hd.nparams, value, r->pline};
      rc = r->h->property(r->ctx, &p);
    }
    free(group);
    free(name);
    free(value);
  }
  free_params(&hd);
  return rc;
}

/* ---- lines ---- */

static int append(struct reader *r, const char *s, size_t n) {
  if (nr_grow(&r->pending, &r->pcap, r->plen + n + 1, 1))
    return NR_VCARD_ENOMEM;
  memcpy(r->pending + r->plen, s, n);
  r->plen += n;
  r->pending[r->plen] = 0;
  return NR_VCARD_OK;
}

static int flush(struct reader *r) {
  if (!r->has_pending)
    return NR_VCARD_OK;
  r->has_pending = 0;
  return property(r);
}

/* A new logical line: its flags come from its first physical line. */
static int start(struct reader *r, const char *s, size_t n) {
  r->plen = 0;
  int rc = append(r, s, n);
  if (rc != NR_VCARD_OK)
    return rc;
  r->has_pending = 1;
  r->pline = r->line;
  struct head hd;
  rc = parse_head(r->pending, r->plen, &hd);
  r->pending_qp = rc == NR_VCARD_OK && is_qp(&hd);
  r->pending_binary = rc == NR_VCARD_OK && is_binary(r->pending, &hd);
  if (rc == NR_VCARD_OK)
    free_params(&hd);
  return rc == NR_VCARD_ENOMEM ? rc : NR_VCARD_OK;
}

static int physical_line(struct reader *r, char *s, size_t n) {
  if (n && s[n - 1] == '\n')
    n--;
  if (n && s[n - 1] == '\r')
    n--;
  if (r->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
    s += 3; /* byte order mark */
    n -= 3;
  }
  int indented = n && (s[0] == ' ' || s[0] == '\t');
  if (r->has_pending && r->pending_binary) {
    if (n && (indented || !memchr(s, ':', n)))
      return NR_VCARD_OK; /* base64 of a skipped property */
  } else if (r->has_pending && r->pending_qp && r->plen &&
             r->pending[r->plen - 1] == '=') {
    r->plen--; /* a soft line break */
    return append(r, s, n);
  } else if (r->has_pending && indented) {
    return append(r, s + 1, n - 1); /* folding */
  }
  int rc = flush(r);
  if (rc != NR_VCARD_OK || n == 0)
    return rc;
  if (memchr(s, 0, n))
    return bad(r, r->line, "the line holds a NUL byte");
  return start(r, s, n);
}

int nr_vcard_read(FILE *f, const struct nr_vcard_handler *h, void *ctx,
                  struct nr_vcard_error *err) {
  struct reader r = {.h = h, .ctx = ctx, .err = err};
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n;
  int rc = NR_VCARD_OK;
  err->line = 0;
  err->problem[0] = 0;
  while (rc == NR_VCARD_OK && (n = getline(&buf, &cap, f)) > 0) {
    r.line++;
    rc = physical_line(&r, buf, (size_t)n);
  }
  free(buf);
  if (rc == NR_VCARD_OK && ferror(f))
    rc = NR_VCARD_EIO;
  if (rc == NR_VCARD_OK)
    rc = flush(&r);
  if (rc == NR_VCARD_OK && r.in_card)
    rc = bad(&r, r.card_line, "the card begun here has no END:VCARD");
  if (rc == NR_VCARD_OK && r.cards == 0)
    rc = bad(&r, r.line ? r.line : 1,
             "no vCard in the file (no BEGIN:VCARD line)");
  free(r.pending);
  return rc;
}

/* ---- values ---- */

void nr_vcard_free_parts(char **parts, size_t n) {
  for (size_t i = 0; parts && i < n; i++)
    free(parts[i]);
  free(parts);
}

int nr_vcard_split(const char *value, char sep, char ***parts, size_t *n) {
  size_t len = strlen(value), count = 1;
  for (size_t i = 0; sep && i < len; i++) {
    if (value[i] == '\\')
      i++;
    else if (value[i] == sep)
      count++;
  }
  char **out = calloc(count, sizeof *out);
  if (!out)
    return NR_VCARD_ENOMEM;
  size_t k = 0;
  for (const char *v = value;; k++) {
    char *part = malloc(len + 1), *at = part;
    if (!part) {
      nr_vcard_free_parts(out, k);
      return NR_VCARD_ENOMEM;
    }
    for (; *v && !(sep && *v == sep); v++) {
      if (*v == '\\' && v[1]) {
        v++;
        *at++ = *v == 'n' || *v == 'N' ? '\n' : *v;
      } else if (*v != '\\') {
        *at++ = *v;
      }
    }
    *at = 0;
    out[k] = part;
    if (!*v)
      break;
    v++; /* the separator */
  }
  *parts = out;
  *n = k + 1;
  return NR_VCARD_OK;
}
