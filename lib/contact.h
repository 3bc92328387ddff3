/* The people of contact files (LinkedIn's Connections.csv, vCards): what
 * a row or card says about a person (struct nr_contact), and the book
 * that matches it to a person of the network or makes a new one, writes
 * its attributes, groups and tie to the owner, and counts the outcome
 * (netref.h, "Importing contacts", states the rules). The readers of
 * the formats (import_linkedin.c, import_vcard.c) fill contacts; this
 * file owns the rules. */
#ifndef NETREF_CONTACT_H
#define NETREF_CONTACT_H

#include <stdarg.h>
#include <stdio.h>

#include "attrs.h"
#include "import.h"

/* A list of strings the caller owns. */
struct nr_strings {
  const char **v;
  size_t n, cap;
};
/* Append s (not copied); -1 when out of memory. */
int nr_strings_push(struct nr_strings *l, const char *s);
void nr_strings_clear(struct nr_strings *l);

#define NR_CONTACT_ATTRS 8

/* What one row or card says; every string is the caller's, and may be
 * NULL or "" for "not given". */
struct nr_contact {
  const char *name;     /* display name */
  const char *key_hint; /* the preferred key: a LinkedIn profile's name */
  struct nr_strings values[NR_FAMILIES];   /* e-mails, URLs, UIDs, phones */
  const char *attr_name[NR_CONTACT_ATTRS]; /* company, position, ... */
  const char *attr_value[NR_CONTACT_ATTRS];
  size_t nattrs;
  struct nr_strings groups; /* vCard CATEGORIES */
  const char *date;         /* first contact, YYYY-MM-DD */
};
void nr_contact_clear(struct nr_contact *c);

struct nr_book;

/* Start a file of `kind`: find or create the owner, load the e-mails,
 * URLs and UIDs the network holds. `context` is the tie context; bad
 * rows are noted in `problems`. */
int nr_book_open(netref_db *db, netref_import *imp, int kind,
                 const char *context, struct nr_problems *problems,
                 struct nr_book **out);
/* Match or create the person of a contact from line `line` and write
 * what it says. A row the data makes bad (a category that cannot be a
 * group key, say) is noted as "FILE:LINE: problem" and NETREF_OK is
 * returned, so that reading goes on; what stops the import is returned
 * with its message. */
int nr_book_save(struct nr_book *b, const struct nr_contact *c, long line);
/* Note a bad row "FILE:LINE: problem" and go on: NR_ROW_REJECTED, or
 * NETREF_ENOMEM. */
int nr_book_problem(struct nr_book *b, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Stop the import with "FILE:LINE: problem" (code NETREF_EPARSE for a
 * file that cannot be read on from). */
int nr_book_fail(struct nr_book *b, int code, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Fail with "FILE: problem", for a failure of the whole file. */
int nr_book_fail_file(struct nr_book *b, int code, const char *problem);
/* Call the progress callback (every NR_PROGRESS_EVERY rows, and with
 * `final` at the end of the file) and see whether netref_interrupt()
 * was called: NETREF_ECANCELED then. */
int nr_book_progress(struct nr_book *b, int final);
/* The file's path. */
const char *nr_book_path(const struct nr_book *b);
/* End the file: on success its counts go to the job. */
void nr_book_close(struct nr_book *b, int rc);

/* The readers, each given an open book and the file. */
int nr_import_linkedin(struct nr_book *b, FILE *f);
int nr_import_vcard(struct nr_book *b, FILE *f);

#endif
