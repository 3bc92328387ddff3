/* Text as each export format must carry it: XML, JSON, DOT and CSV
 * escapes, and numbers in their shortest exact form. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "export.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* The text to print instead of code point cp (-1: a byte that is not
 * UTF-8), or NULL to copy it. buf holds a formatted escape. */
typedef const char *(*escape_fn)(int32_t cp, char buf[16]);

/* Print s, copying runs that need no escape in one fwrite. */
static void put_escaped(FILE *f, const char *s, escape_fn escape) {
  const unsigned char *p = (const unsigned char *)s, *run = p;
  char buf[16];
  while (*p) {
    int32_t cp = *p;
    utf8proc_ssize_t n = 1;
    if (cp >= 0x80) {
      n = utf8proc_iterate(p, -1, &cp);
      if (n < 1) { /* stops at the NUL: never reads past the string */
        cp = -1;
        n = 1;
      }
    }
    const char *instead = escape(cp, buf);
    if (instead) {
      fwrite(run, 1, (size_t)(p - run), f);
      fputs(instead, f);
      run = p + n;
    }
    p += n;
  }
  fwrite(run, 1, (size_t)(p - run), f);
}

static const char *xml_escape(int32_t cp, char buf[16]) {
  (void)buf;
  switch (cp) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '"': return "&quot;";
  case '\'': return "&apos;";
  case '\t': return "&#9;";
  case '\n': return "&#10;";
  case '\r': return "&#13;";
  default:
    /* XML 1.0's Char excludes the other C0 controls, U+FFFE and U+FFFF:
     * no escape can carry them. */
    return cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF ? REPLACEMENT : NULL;
  }
}

void nr_put_xml(FILE *f, const char *s) { put_escaped(f, s, xml_escape); }

static const char *json_escape(int32_t cp, char buf[16]) {
  switch (cp) {
  case '"': return "\\\"";
  case '\\': return "\\\\";
  case '\b': return "\\b";
  case '\f': return "\\f";
  case '\n': return "\\n";
  case '\r': return "\\r";
  case '\t': return "\\t";
  case 0x2028: return "\\u2028";
  case 0x2029: return "\\u2029";
  default:
    if (cp < 0)
      return REPLACEMENT;
    if (cp < 0x20) {
      snprintf(buf, 16, "\\u%04x", (unsigned)cp);
      return buf;
    }
    return NULL;
  }
}

void nr_put_json(FILE *f, const char *s) {
  if (!s) {
    fputs("null", f);
    return;
  }
  fputc('"', f);
  put_escaped(f, s, json_escape);
  fputc('"', f);
}

static const char *dot_escape(int32_t cp, char buf[16]) {
  (void)buf;
  switch (cp) {
  case '"': return "\\\"";
  case '\\': return "\\\\";
  case '\n': return "\\n";
  case '\r': return "\\r";
  case '\t': return " "; /* Graphviz has no tab escape; it shows as space */
  default:
    return cp < 0x20 ? REPLACEMENT : NULL;
  }
}

void nr_put_dot(FILE *f, const char *s) {
  fputc('"', f);
  put_escaped(f, s, dot_escape);
  fputc('"', f);
}

void nr_put_csv(FILE *f, const char *s) {
  if (!s || !*s)
    return;
  size_t n = strlen(s);
  int edge = strchr(" \t", s[0]) || strchr(" \t", s[n - 1]);
  if (!edge && !strpbrk(s, ",\"\r\n")) {
    fwrite(s, 1, n, f);
    return;
  }
  fputc('"', f);
  for (const char *q; (q = strchr(s, '"')); s = q + 1) {
    fwrite(s, 1, (size_t)(q - s) + 1, f);
    fputc('"', f);
  }
  fputs(s, f);
  fputc('"', f);
}

void nr_put_real(FILE *f, double v) {
  char buf[NR_REAL_TEXT];
  nr_format_real(v, buf);
  fputs(buf, f);
}

char *nr_export_attr_name(const char *attr) {
  static const char *const own[] = {"id",     "key",   "name", "label",
                                    "offers", "needs", "hops"};
  int clash = strncmp(attr, "attr:", 5) == 0;
  for (size_t i = 0; !clash && i < sizeof own / sizeof *own; i++)
    clash = strcmp(attr, own[i]) == 0;
  size_t n = strlen(attr);
  char *name = malloc(n + 6);
  if (name)
    snprintf(name, n + 6, "%s%s", clash ? "attr:" : "", attr);
  return name;
}
