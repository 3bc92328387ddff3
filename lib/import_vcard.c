/* vCard files: the properties of each card (vcard.c reads them) become
 * one contact for the book (contact.c). Which property gives what is
 * stated in netref.h, "Importing contacts". A card the data makes bad
 * (no name, a category that cannot be a group) is noted and the next
 * card read; a file the reader cannot read on from (broken structure,
 * encodings, UTF-8) stops the import. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contact.h"
#include "vcard.h"

/* Everything one card gave, owned here until the card ends. */
struct card {
  struct nr_book *book;
  long line; /* of BEGIN:VCARD */
  char *fn, *n_name, *company, *department, *position, *note, *city, *uid;
  struct nr_strings values[NR_FAMILIES];
  struct nr_strings groups;
  char **owned; /* every string above, to free at the end of the card */
  size_t nowned, capowned;
  int rc; /* the book's failure (a NETREF_* code, negative) */
};

static int keep(struct card *c, char *s) {
  if (!s || nr_grow(&c->owned, &c->capowned, c->nowned + 1, sizeof *c->owned)) {
    free(s);
    return NR_VCARD_ENOMEM;
  }
  c->owned[c->nowned++] = s;
  return NR_VCARD_OK;
}

static void clear_card(struct card *c) {
  for (size_t i = 0; i < c->nowned; i++)
    free(c->owned[i]);
  free(c->owned);
  for (int f = 0; f < NR_FAMILIES; f++)
    nr_strings_clear(&c->values[f]);
  nr_strings_clear(&c->groups);
  struct nr_book *b = c->book;
  memset(c, 0, sizeof *c);
  c->book = b;
}

/* s without white space at either end, in place. */
static char *trim(char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
               s[n - 1] == '\r'))
    s[--n] = 0;
  return s;
}

/* The parts of a value (split at sep, unescaped, trimmed), kept by the
 * card; *parts points into them. */
static int parts_of(struct card *c, const char *value, char sep, char ***parts,
                    size_t *n) {
  if (nr_vcard_split(value, sep, parts, n) != NR_VCARD_OK)
    return NR_VCARD_ENOMEM;
  for (size_t i = 0; i < *n; i++) {
    if (keep(c, (*parts)[i]) != NR_VCARD_OK) {
      nr_vcard_free_parts(*parts + i + 1, *n - i - 1);
      free(*parts);
      return NR_VCARD_ENOMEM;
    }
    (*parts)[i] = trim((*parts)[i]);
  }
  return NR_VCARD_OK;
}

/* The whole value, unescaped and trimmed; NULL when empty. */
static int text_of(struct card *c, const char *value, char **out) {
  char **parts;
  size_t n;
  int rc = parts_of(c, value, 0, &parts, &n);
  if (rc == NR_VCARD_OK) {
    *out = *parts[0] ? parts[0] : NULL;
    free(parts);
  }
  return rc;
}

/* Set a single value: the first of its kind in the card wins. */
static int first_text(struct card *c, const char *value, char **slot) {
  return *slot ? NR_VCARD_OK : text_of(c, value, slot);
}

static int add_value(struct card *c, int family, const char *value,
                     const char *strip) {
  char *v;
  int rc = text_of(c, value, &v);
  if (rc != NR_VCARD_OK || !v)
    return rc;
  size_t n = strlen(strip);
  if (n && strncasecmp(v, strip, n) == 0)
    v = trim(v + n); /* "mailto:", "tel:" */
  if (*v && nr_strings_push(&c->values[family], v))
    return NR_VCARD_ENOMEM;
  return NR_VCARD_OK;
}

/* N: family;given;additional;prefixes;suffixes -> "given additional
 * family". */
static int structured_name(struct card *c, const char *value) {
  char **p;
  size_t n;
  if (c->n_name)
    return NR_VCARD_OK;
  int rc = parts_of(c, value, ';', &p, &n);
  if (rc != NR_VCARD_OK)
    return rc;
  const char *order[3] = {n > 1 ? p[1] : "", n > 2 ? p[2] : "", p[0]};
  size_t len = 0;
  for (int i = 0; i < 3; i++)
    len += strlen(order[i]) + 1;
  char *name = malloc(len + 1), *at = name;
  free(p);
  if (!name)
    return NR_VCARD_ENOMEM;
  for (int i = 0; i < 3; i++)
    if (*order[i])
      at += sprintf(at, "%s%s", at == name ? "" : " ", order[i]);
  *at = 0;
  rc = keep(c, name);
  if (rc == NR_VCARD_OK && *name)
    c->n_name = name;
  return rc;
}

/* ORG: organization;unit... -> company, department. */
static int organization(struct card *c, const char *value) {
  char **p;
  size_t n;
  if (c->company)
    return NR_VCARD_OK;
  int rc = parts_of(c, value, ';', &p, &n);
  if (rc == NR_VCARD_OK) {
    c->company = *p[0] ? p[0] : NULL;
    c->department = n > 1 && *p[1] ? p[1] : NULL;
    free(p);
  }
  return rc;
}

/* ADR: pobox;ext;street;locality;... -> city, from the first ADR. */
static int address(struct card *c, const char *value) {
  char **p;
  size_t n;
  if (c->city)
    return NR_VCARD_OK;
  int rc = parts_of(c, value, ';', &p, &n);
  if (rc == NR_VCARD_OK) {
    c->city = n > 3 && *p[3] ? p[3] : NULL;
    free(p);
  }
  return rc;
}

static int categories(struct card *c, const char *value) {
  char **p;
  size_t n;
  int rc = parts_of(c, value, ',', &p, &n);
  for (size_t i = 0; rc == NR_VCARD_OK && i < n; i++)
    if (*p[i] && nr_strings_push(&c->groups, p[i]))
      rc = NR_VCARD_ENOMEM;
  free(p);
  return rc;
}

static int on_property(void *ctx, const struct nr_vcard_prop *p) {
  struct card *c = ctx;
  const char *v = p->value, *name = p->name;
  if (!strcmp(name, "FN"))
    return first_text(c, v, &c->fn);
  if (!strcmp(name, "N"))
    return structured_name(c, v);
  if (!strcmp(name, "EMAIL"))
    return add_value(c, NR_FAMILY_EMAIL, v, "mailto:");
  if (!strcmp(name, "TEL"))
    return add_value(c, NR_FAMILY_PHONE, v, "tel:");
  if (!strcmp(name, "URL"))
    return add_value(c, NR_FAMILY_URL, v, "");
  if (!strcmp(name, "X-SOCIALPROFILE") && strstr(v, "linkedin.com/in/"))
    return add_value(c, NR_FAMILY_URL, v, "");
  if (!strcmp(name, "UID"))
    return c->values[NR_FAMILY_UID].n ? NR_VCARD_OK
                                      : add_value(c, NR_FAMILY_UID, v, "");
  if (!strcmp(name, "ORG"))
    return organization(c, v);
  if (!strcmp(name, "TITLE"))
    return first_text(c, v, &c->position);
  if (!strcmp(name, "NOTE"))
    return first_text(c, v, &c->note);
  if (!strcmp(name, "ADR"))
    return address(c, v);
  if (!strcmp(name, "CATEGORIES"))
    return categories(c, v);
  return NR_VCARD_OK; /* a property netref does not use */
}

static int on_begin(void *ctx, long line) {
  struct card *c = ctx;
  clear_card(c);
  c->line = line;
  return NR_VCARD_OK;
}

/* The name: FN, else N, else ORG, else the first phone. */
static const char *card_name(const struct card *c) {
  return c->fn                          ? c->fn
         : c->n_name                    ? c->n_name
         : c->company                   ? c->company
         : c->values[NR_FAMILY_PHONE].n ? c->values[NR_FAMILY_PHONE].v[0]
                                        : NULL;
}

static int on_end(void *ctx, long line) {
  (void)line;
  struct card *c = ctx;
  struct nr_contact k = {.name = card_name(c)};
  int identified = c->values[NR_FAMILY_EMAIL].n || c->values[NR_FAMILY_URL].n ||
                   c->values[NR_FAMILY_UID].n;
  if (!k.name && !identified) { /* noted; the next card is read */
    int rc = nr_book_problem(c->book, c->line,
                             "the card has no name, e-mail, URL or UID");
    return rc == NR_ROW_REJECTED ? NR_VCARD_OK : (c->rc = rc);
  }
  memcpy(k.values, c->values, sizeof k.values);
  k.groups = c->groups;
  const char *names[] = {"company", "department", "position", "note", "city"};
  const char *values[] = {c->company, c->department, c->position, c->note,
                          c->city};
  for (size_t i = 0; i < 5; i++) {
    k.attr_name[i] = names[i];
    k.attr_value[i] = values[i];
  }
  k.nattrs = 5;
  c->rc = nr_book_save(c->book, &k, c->line);
  if (c->rc == NETREF_OK)
    c->rc = nr_book_progress(c->book, 0);
  return c->rc;
}

int nr_import_vcard(struct nr_book *b, FILE *f) {
  static const struct nr_vcard_handler handler = {on_begin, on_property,
                                                  on_end};
  struct card c = {.book = b};
  struct nr_vcard_error err;
  int rc = nr_vcard_read(f, &handler, &c, &err);
  clear_card(&c);
  if (rc <= 0)
    return rc; /* NETREF_OK, or the book's failure, recorded there */
  if (rc == NR_VCARD_EBAD)
    return nr_book_fail(b, NETREF_EPARSE, err.line, "%s", err.problem);
  if (rc == NR_VCARD_EIO)
    return nr_book_fail_file(b, NETREF_EIO, "read error");
  return NETREF_ENOMEM;
}
