/* edit_loop: apply a deterministic sequence of edits to a netref
 * database through the public API, one transaction each, and report
 * each one as it is acknowledged (issue 9, crash tests).
 *
 *   edit_loop DB [--first I] [--count N] [--step]
 *
 * Edit i (1, 2, ...) depends on i alone, so two runs from the same
 * starting file make the same changes. After edit i returns NETREF_OK
 * the program prints "ack i" and flushes: a parent that kills it knows
 * that edits up to i are committed and that edit i+1 may or may not be.
 * --first I starts at edit I (the file must hold the state after edit
 * I-1); --count N stops after edit N (default 1000000). --step waits for one
 * line on standard input before each edit, so a parent can take a copy
 * of the file after every acknowledged edit (the reference states).
 *
 * The database must hold the networking-evening example (the people
 * `me` and `priya`, the group `nov-evening`). Exit status: 0 after N
 * edits or at the end of standard input with --step, 1 when an edit
 * fails (the message names it), 2 for bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netref.h>

#include "../writes.h"

/* The edits of one cycle; cycle c works on its own new person e<c>. */
enum edit_kind {
  EDIT_PERSON_ADD,
  EDIT_TIE_SET,
  EDIT_NEED_ADD,
  EDIT_OFFER_ADD,
  EDIT_PERSON_SET_ATTR,
  EDIT_TAG_RELATE,
  EDIT_GROUP_JOIN,
  EDIT_CONTACT_LOG,
  EDIT_INTRO_ADD,
  EDIT_REMOVE_OR_CADENCE,
  EDIT_KINDS
};

static const char *const tags[] = {"party planning", "bookkeeping", "catering",
                                   "photography",    "web design",  "printing"};
#define N_TAGS (sizeof tags / sizeof *tags)

static void person_key(char *buf, size_t size, long cycle) {
  snprintf(buf, size, "e%05ld", cycle);
}

/* Apply edit i (from 1). Returns the netref code; *what names it. */
static int apply_edit(netref_db *db, long i, char *what, size_t size) {
  long cycle = (i - 1) / EDIT_KINDS;
  enum edit_kind kind = (enum edit_kind)((i - 1) % EDIT_KINDS);
  char key[32], prev[32], text[64];
  long long id;
  person_key(key, sizeof key, cycle);
  person_key(prev, sizeof prev, cycle - 1);
  const char *tag = tags[(size_t)i % N_TAGS];
  double weight = (double)(i % 100 + 1) / 100.0;
  switch (kind) {
  case EDIT_PERSON_ADD:
    snprintf(what, size, "person add %s", key);
    snprintf(text, sizeof text, "Edited Person %ld", cycle);
    return netref_person_add(db, key, text);
  case EDIT_TIE_SET:
    snprintf(what, size, "tie set %s me", key);
    snprintf(text, sizeof text, "edit %ld", i);
    return t_tie_set(db, key, "me", weight, "2026-01-02", text);
  case EDIT_NEED_ADD:
    snprintf(what, size, "need add %s %s", key, tag);
    return t_need_set(db, key, tag, weight);
  case EDIT_OFFER_ADD:
    snprintf(what, size, "offer add %s %s", key, tag);
    snprintf(text, sizeof text, "offered in edit %ld", i);
    return t_offer_set(db, key, tag, text);
  case EDIT_PERSON_SET_ATTR:
    snprintf(what, size, "person set %s --attr city", key);
    return netref_person_set_attr(db, key, "city",
                                  cycle % 2 ? "Bath" : "Bristol");
  case EDIT_TAG_RELATE:
    snprintf(what, size, "tag relate (edit %ld)", i);
    snprintf(text, sizeof text, "edit tag %ld", i);
    return netref_tag_relate(db, text, NETREF_RELATION_ALIAS, "party planning");
  case EDIT_GROUP_JOIN:
    snprintf(what, size, "group join nov-evening %s", key);
    return netref_group_join(db, "nov-evening", key);
  case EDIT_CONTACT_LOG:
    snprintf(what, size, "contact %s priya", key);
    return t_contact_log(db, key, "priya", "2026-02-03", "call", NULL, &id);
  case EDIT_INTRO_ADD:
    snprintf(what, size, "intro add --by me --seeker %s", key);
    return t_intro_add(db, "me", key, "priya", tag, "2026-02-04", NULL,
                       NETREF_INTRO_MADE, 0, &id);
  case EDIT_REMOVE_OR_CADENCE:
    /* A removal cascades over many tables: the previous cycle's person
     * goes in every other cycle. */
    if (cycle % 2) {
      snprintf(what, size, "person remove %s", prev);
      return netref_person_remove(db, prev);
    }
    snprintf(what, size, "tie set --cadence %s me", key);
    return t_tie_cadence(db, key, "me", 30 + (int)cycle);
  case EDIT_KINDS:
    break;
  }
  snprintf(what, size, "edit %ld", i);
  return NETREF_EINVAL;
}

static int wait_for_go(void) {
  char line[64];
  return fgets(line, sizeof line, stdin) != NULL;
}

int main(int argc, char **argv) {
  const char *path = NULL;
  long first = 1, count = 1000000;
  int step = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
      count = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--first") == 0 && i + 1 < argc)
      first = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--step") == 0)
      step = 1;
    else if (!path && argv[i][0] != '-')
      path = argv[i];
    else
      path = NULL, i = argc;
  }
  if (!path || count < 0 || first < 1) {
    fprintf(stderr, "usage: edit_loop DB [--first I] [--count N] [--step]\n");
    return 2;
  }
  netref_db *db;
  if (netref_open_with(path, 0, &db) != NETREF_OK) {
    fprintf(stderr, "edit_loop: %s\n", netref_errmsg(NULL));
    return 1;
  }
  int status = 0;
  for (long i = first; i <= count; i++) {
    char what[128];
    if (step && !wait_for_go())
      break;
    int rc = apply_edit(db, i, what, sizeof what);
    if (rc != NETREF_OK) {
      fprintf(stderr, "edit_loop: edit %ld (%s): %s\n", i, what,
              netref_errmsg(db));
      status = 1;
      break;
    }
    printf("ack %ld\n", i);
    fflush(stdout);
  }
  netref_close(db);
  return status;
}
