/* A person's attributes in memory, and the attributes that identify a
 * person across files: e-mail addresses, profile URLs and vCard UIDs
 * (and phones, merged the same way but never matched). Such a value may
 * be held several times, as `email`, `email2`, `email3`, ...: a family.
 * Values of a family are compared in a canonical form (nr_attr_canon).
 * Used by the contact importers (contact.c) and netref_person_merge
 * (merge.c). */
#ifndef NETREF_ATTRS_H
#define NETREF_ATTRS_H

#include <stddef.h>

#include "internal.h"

enum nr_family {
  NR_FAMILY_EMAIL,
  NR_FAMILY_URL,
  NR_FAMILY_UID,
  NR_FAMILY_PHONE,
  NR_FAMILIES
};

/* The attribute name of a family's first member ("email"). */
const char *nr_family_name(int family);

/* The family of an attribute name: "email" and "email2" (a number >= 2
 * without leading zeros) are NR_FAMILY_EMAIL; -1 for other names. */
int nr_attr_family(const char *name);

/* The canonical form of a value of a family, in a new string (NULL when
 * out of memory): e-mail addresses trimmed and in ASCII lower case; URLs
 * of LinkedIn profiles as "linkedin.com/in/NAME" (NAME percent-decoded
 * when that gives UTF-8, in ASCII lower case), other URLs without scheme,
 * "www." and trailing slashes, in ASCII lower case; phones as their
 * digits and a leading '+'; UIDs trimmed. */
char *nr_attr_canon(int family, const char *value);

/* The name of a LinkedIn profile URL (".../in/NAME[/?#...]"), percent-
 * decoded when that gives UTF-8, in a new string; NULL when the URL is
 * not a LinkedIn profile's or out of memory (*nomem says which). */
char *nr_linkedin_slug(const char *url, int *nomem);

/* ASCII lower case, in place. */
void nr_ascii_lower(char *s);

struct nr_attrs {
  size_t n, cap;
  char **name, **value;
};

/* Read a person's attributes (free them with nr_attrs_clear). */
int nr_attrs_read(netref_db *db, sqlite3_stmt *st, sqlite3_int64 person,
                  struct nr_attrs *a);
/* Add one (copied); -1 when out of memory. */
int nr_attrs_push(struct nr_attrs *a, const char *name, const char *value);
/* The value of an attribute, or NULL. */
const char *nr_attrs_get(const struct nr_attrs *a, const char *name);
/* Whether a member of the family holds a value of the same canonical
 * form as `canon`; -1 when out of memory. */
int nr_attrs_holds(const struct nr_attrs *a, int family, const char *canon);
/* The name of the family's first free member ("email", else "email2",
 * ...) into buf. */
void nr_attrs_free_slot(const struct nr_attrs *a, int family, char *buf,
                        size_t size);
void nr_attrs_clear(struct nr_attrs *a);

#endif
