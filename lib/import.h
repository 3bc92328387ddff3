/* The import job (netref_import), shared by the CSV importer (import.c)
 * and the importers of contact files (import_linkedin.c,
 * import_vcard.c), which run inside the CSV importer's transaction. */
#ifndef NETREF_IMPORT_H
#define NETREF_IMPORT_H

#include "internal.h"

/* The NETREF_CSV_* kinds are 0 to NR_CSV_KINDS - 1, the contact kinds
 * (NETREF_IMPORT_LINKEDIN, NETREF_IMPORT_VCARD) follow. */
#define NR_CSV_KINDS 6
#define NR_IMPORT_KINDS 8
/* Outcomes of a contact row: NETREF_PEOPLE_NEW, _UPDATED, _UNCHANGED. */
#define NR_OUTCOMES 3
/* Rows between two calls of the progress callback. */
#define NR_PROGRESS_EVERY 4096
/* What a row function returns when the row is not imported: its problem
 * was noted (see struct nr_problems). */
#define NR_ROW_REJECTED 1

struct netref_import {
  char *path[NR_IMPORT_KINDS];
  int create_missing;
  char *owner; /* NULL: "me" */
  netref_progress_fn progress;
  void *user;
  long long count[NR_IMPORT_KINDS];
  long long people[NR_IMPORT_KINDS][NR_OUTCOMES];
};

/* The bad rows of one import, of every file: all counted, the first
 * NETREF_IMPORT_MAX_ERRORS kept as "FILE:LINE: problem\n" lines. A bad
 * row is noted and reading goes on; the import fails at the end when
 * there was any (import.c, fail_with_problems). */
struct nr_problems {
  char *text;
  size_t len, cap;
  long long count;
};
/* Whether the next problem noted will be kept (so worth describing). */
int nr_problem_shown(const struct nr_problems *p);
/* Note "PATH:LINE: problem" (past the cap only counted): NETREF_OK, or
 * NETREF_ENOMEM recorded on db. */
int nr_problem_add(netref_db *db, struct nr_problems *p, const char *path,
                   long line, const char *problem);

/* Import the contact file of `kind` named in the job, inside the
 * import's transaction: bad rows go to `problems`, what stops the import
 * is returned; counts go to imp->count and imp->people. */
int nr_import_contacts(netref_db *db, netref_import *imp, int kind,
                       struct nr_problems *problems);

#endif
