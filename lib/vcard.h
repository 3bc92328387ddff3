/* A focused vCard reader (RFC 6350, and the 2.1 and 3.0 forms phones and
 * mail programs still write): physical lines to properties, with
 * unfolding, QUOTED-PRINTABLE and CHARSET decoding, base64 (binary)
 * properties skipped with their continuation lines, cards checked for
 * BEGIN/END and VERSION. No database here: import_vcard.c turns the
 * properties into people. lib/README.md says why netref has its own. */
#ifndef NETREF_VCARD_H
#define NETREF_VCARD_H

#include <stddef.h>
#include <stdio.h>

struct nr_vcard_param {
  char *name;  /* upper case; NULL for a 2.1 bare value ("HOME") */
  char *value; /* without quotes; NULL for a parameter without '=' */
};

struct nr_vcard_prop {
  const char *group; /* "item1" of "item1.EMAIL", or NULL */
  const char *name;  /* upper case: "FN", "EMAIL" */
  const struct nr_vcard_param *params;
  size_t nparams;
  const char *value; /* UTF-8 (decoded), vCard escapes still in it */
  long line;         /* where the property starts */
};

/* What the reader reports; a non-zero return stops the reading, which
 * then returns that code. */
struct nr_vcard_handler {
  int (*begin)(void *ctx, long line);
  int (*property)(void *ctx, const struct nr_vcard_prop *p);
  int (*end)(void *ctx, long line);
};

/* Why reading stopped: the line and a problem, for "FILE:LINE: ...". */
struct nr_vcard_error {
  long line;
  char problem[256];
};

/* Status codes of nr_vcard_read (besides a handler's own non-zero). */
#define NR_VCARD_OK 0
#define NR_VCARD_EBAD 1   /* the file is not a good vCard: see err */
#define NR_VCARD_ENOMEM 2 /* out of memory */
#define NR_VCARD_EIO 3    /* the file could not be read */

/* Read every card of f, calling the handler. */
int nr_vcard_read(FILE *f, const struct nr_vcard_handler *h, void *ctx,
                  struct nr_vcard_error *err);

/* Whether a property has a parameter `name` (upper case) with `value`
 * among its comma-separated values (case ignored); a 2.1 bare value
 * counts as TYPE. */
int nr_vcard_has_param(const struct nr_vcard_prop *p, const char *name,
                       const char *value);

/* Split a value at unescaped `sep` (';' for the components of N, ORG and
 * ADR, ',' for the list of CATEGORIES) and undo the escapes \\ \, \; \n
 * (and \N) of each part: *parts is a new array of new strings (free with
 * nr_vcard_free_parts); NR_VCARD_ENOMEM when out of memory. With sep 0
 * the value is one part. */
int nr_vcard_split(const char *value, char sep, char ***parts, size_t *n);
void nr_vcard_free_parts(char **parts, size_t n);

#endif
