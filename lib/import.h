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

struct netref_import {
  char *path[NR_IMPORT_KINDS];
  int create_missing;
  char *owner; /* NULL: "me" */
  netref_progress_fn progress;
  void *user;
  long long count[NR_IMPORT_KINDS];
  long long people[NR_IMPORT_KINDS][NR_OUTCOMES];
};

/* Import the contact file of `kind` named in the job, inside the
 * import's transaction; counts go to imp->count and imp->people. */
int nr_import_contacts(netref_db *db, netref_import *imp, int kind);

#endif
