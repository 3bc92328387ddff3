/* The people of contact files: matching a row or card to a person of
 * the network (by UID, profile URL, e-mail, and for a row with none of
 * these by name), new keys made unique, attributes, groups, the tie to
 * the owner and the count of new, updated and unchanged people. The
 * rules are stated in netref.h, "Importing contacts". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "contact.h"
#include "keymap.h"

#define NR_DEFAULT_OWNER "me"

struct nr_book {
  netref_db *db;
  netref_import *imp;
  int kind;
  const char *path;
  const char *context; /* of new ties */
  sqlite3_int64 owner;
  struct nr_problems *problems; /* the import's bad rows */
  /* canonical e-mail, URL, UID -> the person holding it (the first by
   * row id when several do); NULL for the phones, never matched */
  struct nr_keymap *by[NR_FAMILIES];
  struct nr_keymap *claimed; /* person id (decimal) -> line of its row */
  struct nr_keymap *suffix;  /* base key -> the next suffix to try */
  struct nr_keymap *groups;  /* group key -> row id */
  sqlite3_stmt *find_key, *attrs, *attr_set, *person_of, *name_set, *tie_get;
  long long rows, outcome[NR_OUTCOMES];
  int changed; /* the row being saved changed something */
  int located; /* its failure's message names file and line already */
};

int nr_strings_push(struct nr_strings *l, const char *s) {
  if (nr_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v))
    return -1;
  l->v[l->n++] = s;
  return 0;
}

void nr_strings_clear(struct nr_strings *l) {
  free(l->v);
  memset(l, 0, sizeof *l);
}

void nr_contact_clear(struct nr_contact *c) {
  for (int f = 0; f < NR_FAMILIES; f++)
    nr_strings_clear(&c->values[f]);
  nr_strings_clear(&c->groups);
  memset(c, 0, sizeof *c);
}

const char *nr_book_path(const struct nr_book *b) { return b->path; }

int nr_book_fail(struct nr_book *b, int code, long line, const char *fmt, ...) {
  char problem[NR_ERRMSG_SIZE];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(problem, sizeof problem, fmt, ap);
  va_end(ap);
  b->located = 1;
  return nr_fail(b->db, code, "%s:%ld: %s", b->path, line, problem);
}

int nr_book_fail_file(struct nr_book *b, int code, const char *problem) {
  b->located = 1;
  return nr_fail(b->db, code, "%s: %s", b->path, problem);
}

int nr_book_problem(struct nr_book *b, long line, const char *fmt, ...) {
  char problem[NR_ERRMSG_SIZE] = "";
  if (nr_problem_shown(b->problems)) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
  }
  b->located = 1;
  int rc = nr_problem_add(b->db, b->problems, b->path, line, problem);
  return rc == NETREF_OK ? NR_ROW_REJECTED : rc;
}

/* A failure of the store during a row: a refused value is the row's
 * problem (noted); anything else stops the import, its message prefixed
 * with file and line. */
static int fail_from(struct nr_book *b, int code, long line) {
  char msg[NR_ERRMSG_SIZE];
  snprintf(msg, sizeof msg, "%s", b->db->errmsg);
  if (code == NETREF_EINVAL || code == NETREF_ENOTFOUND)
    return nr_book_problem(b, line, "%s", msg);
  return nr_book_fail(b, code, line, "%s", msg);
}

static int nomem(struct nr_book *b) {
  return nr_fail(b->db, NETREF_ENOMEM, "out of memory");
}

int nr_book_progress(struct nr_book *b, int final) {
  if (!final && b->rows % NR_PROGRESS_EVERY != 0)
    return NETREF_OK;
  if ((b->imp->progress &&
       b->imp->progress(b->imp->user, b->path, b->rows) != 0) ||
      nr_interrupted(b->db))
    return nr_fail(b->db, NETREF_ECANCELED,
                   "%s: import canceled after %lld rows; nothing was "
                   "imported",
                   b->path, b->rows);
  return NETREF_OK;
}

/* ---- looking people up ---- */

static int find_key(struct nr_book *b, const char *key, sqlite3_int64 *id,
                    int *found) {
  sqlite3_reset(b->find_key);
  sqlite3_bind_text(b->find_key, 1, key, -1, SQLITE_STATIC);
  int step = sqlite3_step(b->find_key);
  *found = step == SQLITE_ROW;
  if (*found)
    *id = sqlite3_column_int64(b->find_key, 0);
  sqlite3_reset(b->find_key);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return nr_fail_sql(b->db, step, "find person");
  return NETREF_OK;
}

static void id_text(sqlite3_int64 id, char buf[24]) {
  snprintf(buf, 24, "%lld", (long long)id);
}

static int is_claimed(const struct nr_book *b, sqlite3_int64 id) {
  char k[24];
  int64_t line;
  id_text(id, k);
  return nr_keymap_get(b->claimed, k, &line);
}

/* Remember a canonical value's person, unless one holds it already. */
static int index_value(struct nr_book *b, int family, const char *canon,
                       sqlite3_int64 id) {
  int64_t known;
  if (!b->by[family] || !*canon || nr_keymap_get(b->by[family], canon, &known))
    return NETREF_OK;
  return nr_keymap_put(b->by[family], canon, id) ? nomem(b) : NETREF_OK;
}

/* Load who holds which e-mail, URL and UID. */
static int load_values(struct nr_book *b) {
  sqlite3_stmt *st;
  int rc = nr_prepare(b->db,
                      "SELECT person, name, value FROM person_attr"
                      " WHERE name GLOB 'email*' OR name GLOB 'url*'"
                      " OR name GLOB 'uid*' ORDER BY person",
                      &st);
  if (rc != NETREF_OK)
    return rc;
  int step;
  while (rc == NETREF_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 1);
    const char *value = (const char *)sqlite3_column_text(st, 2);
    int f = name && value ? nr_attr_family(name) : -1;
    if (f < 0 || !b->by[f])
      continue;
    char *canon = nr_attr_canon(f, value);
    rc = canon ? index_value(b, f, canon, sqlite3_column_int64(st, 0))
               : nomem(b);
    free(canon);
  }
  if (rc == NETREF_OK && step != SQLITE_DONE)
    rc = nr_fail_sql(b->db, step, "read e-mails and URLs");
  sqlite3_finalize(st);
  return rc;
}

/* ---- keys ---- */

static int keep_in_key(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
    return 1;
  default:
    return 0;
  }
}

/* A name made into a key: NFKC and case folded; letters, marks and
 * digits kept, apostrophes dropped, every other run a single '-'. NULL
 * with *empty when nothing is left, NULL alone when out of memory. */
static char *name_key(const char *name, int *empty) {
  *empty = 0;
  utf8proc_uint8_t *folded = NULL;
  utf8proc_ssize_t len =
      utf8proc_map((const utf8proc_uint8_t *)name, 0, &folded,
                   UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                       UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  if (len < 0) {
    *empty = len != UTF8PROC_ERROR_NOMEM; /* not UTF-8: no key from it */
    return NULL;
  }
  char *key = malloc(strlen((char *)folded) + 1), *at = key;
  const utf8proc_uint8_t *p = folded;
  utf8proc_int32_t cp;
  utf8proc_ssize_t n;
  int gap = 0;
  while (key && *p && (n = utf8proc_iterate(p, -1, &cp)) > 0) {
    if (keep_in_key(cp)) {
      if (gap && at != key)
        *at++ = '-';
      gap = 0;
      memcpy(at, p, (size_t)n);
      at += n;
    } else if (cp != '\'' && cp != 0x2019) {
      gap = 1;
    }
    p += n;
  }
  free(folded);
  if (key && at == key) {
    free(key);
    *empty = 1;
    return NULL;
  }
  if (key)
    *at = 0;
  return key;
}

/* The n-th candidate of a base key: base, base-2, base-3, ... */
static char *candidate(const char *base, int64_t n) {
  size_t len = strlen(base) + 24;
  char *k = malloc(len);
  if (k) {
    if (n <= 1)
      snprintf(k, len, "%s", base);
    else
      snprintf(k, len, "%s-%lld", base, (long long)n);
  }
  return k;
}

static int usable_key(const char *key) {
  char problem[96];
  return key && *key && !nr_key_problem(key, problem, sizeof problem);
}

/* The base of a new person's key: the hint (a profile's name), the UID,
 * the first e-mail (lower case), else the name's key. */
static char *key_base(const struct nr_contact *c) {
  if (usable_key(c->key_hint)) {
    char *k = candidate(c->key_hint, 1);
    if (k)
      nr_ascii_lower(k);
    return k;
  }
  static const int sources[] = {NR_FAMILY_UID, NR_FAMILY_EMAIL};
  for (size_t s = 0; s < 2; s++) {
    int f = sources[s];
    for (size_t i = 0; i < c->values[f].n; i++) {
      char *k = nr_attr_canon(f, c->values[f].v[i]);
      if (!k || usable_key(k))
        return k;
      free(k);
    }
  }
  int empty;
  char *k = name_key(c->name ? c->name : "", &empty);
  return k || !empty ? k : candidate("person", 1);
}

/* Walk the candidates of base from where the last walk stopped: with
 * `by_name`, the first existing person who may be matched by name (not
 * the owner, not matched by an earlier row of the file) or else the
 * first free key; without, the first free key. *id is set and *key NULL
 * for a match; *key is the new key otherwise. Every candidate passed
 * over stays unusable for the rest of the file (taken, the owner, or
 * matched), so the next walk of the same base starts after it. */
static int walk_candidates(struct nr_book *b, const char *base, int by_name,
                           sqlite3_int64 *id, char **key) {
  int64_t n = 1;
  nr_keymap_get(b->suffix, base, &n);
  *key = NULL;
  for (;; n++) {
    char *k = candidate(base, n);
    if (!k)
      return nomem(b);
    int found;
    int rc = find_key(b, k, id, &found);
    if (rc == NETREF_OK && found && by_name && *id != b->owner &&
        !is_claimed(b, *id)) {
      free(k);
      return nr_keymap_put(b->suffix, base, n + 1) ? nomem(b) : NETREF_OK;
    }
    if (rc != NETREF_OK || !found) {
      if (rc == NETREF_OK && nr_keymap_put(b->suffix, base, n + 1))
        rc = nomem(b);
      if (rc != NETREF_OK)
        free(k);
      else
        *key = k;
      return rc;
    }
    free(k);
  }
}

/* ---- matching ---- */

/* A person holding one of the contact's values of a family. *seen is
 * set when the contact has a value of it that identifies (one whose
 * canonical form is not empty: only those are stored and matched). */
static int match_family(struct nr_book *b, const struct nr_contact *c, int f,
                        sqlite3_int64 *id, int *found, int *seen) {
  for (size_t i = 0; !*found && i < c->values[f].n; i++) {
    char *canon = nr_attr_canon(f, c->values[f].v[i]);
    if (!canon)
      return nomem(b);
    int64_t known;
    int rc = NETREF_OK;
    *seen |= *canon != 0;
    if (*canon && f == NR_FAMILY_UID)
      rc = find_key(b, canon, id, found); /* a key taken from a UID */
    if (rc == NETREF_OK && *canon && !*found &&
        nr_keymap_get(b->by[f], canon, &known)) {
      *id = known;
      *found = 1;
    }
    free(canon);
    if (rc != NETREF_OK)
      return rc;
  }
  return NETREF_OK;
}

/* The person a contact names (*key NULL), or the key of a new one. */
static int match(struct nr_book *b, const struct nr_contact *c,
                 sqlite3_int64 *id, char **key) {
  static const int order[] = {NR_FAMILY_UID, NR_FAMILY_URL, NR_FAMILY_EMAIL};
  int found = 0, seen = 0, rc = NETREF_OK;
  *key = NULL;
  for (size_t i = 0; rc == NETREF_OK && !found && i < 3; i++)
    rc = match_family(b, c, order[i], id, &found, &seen);
  if (rc != NETREF_OK || found)
    return rc;
  char *base = key_base(c);
  if (!base)
    return nomem(b);
  rc = walk_candidates(b, base, !seen, id, key);
  free(base);
  return rc;
}

/* ---- writing ---- */

static int write_attr(struct nr_book *b, sqlite3_int64 id, const char *name,
                      const char *value, struct nr_attrs *a) {
  sqlite3_bind_int64(b->attr_set, 1, id);
  sqlite3_bind_text(b->attr_set, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(b->attr_set, 3, value, -1, SQLITE_STATIC);
  int rc = nr_step_done(b->db, b->attr_set, "save attribute");
  if (rc == NETREF_OK) {
    for (size_t i = 0; i < a->n; i++)
      if (strcmp(a->name[i], name) == 0) {
        char *v = strdup(value);
        if (!v)
          return nomem(b);
        free(a->value[i]);
        a->value[i] = v;
        return NETREF_OK;
      }
    if (nr_attrs_push(a, name, value))
      rc = nomem(b);
  }
  return rc;
}

/* company, position, ...: a non-empty value replaces the stored one. */
static int write_singles(struct nr_book *b, sqlite3_int64 id,
                         const struct nr_contact *c, struct nr_attrs *a) {
  int rc = NETREF_OK;
  for (size_t i = 0; rc == NETREF_OK && i < c->nattrs; i++) {
    const char *v = c->attr_value[i];
    if (!v || !*v)
      continue;
    const char *stored = nr_attrs_get(a, c->attr_name[i]);
    if (stored && strcmp(stored, v) == 0)
      continue;
    rc = write_attr(b, id, c->attr_name[i], v, a);
    b->changed = 1;
  }
  return rc;
}

/* e-mails, URLs, UIDs, phones: a value not held yet takes the family's
 * first free name. */
static int write_families(struct nr_book *b, sqlite3_int64 id,
                          const struct nr_contact *c, struct nr_attrs *a) {
  int rc = NETREF_OK;
  for (int f = 0; f < NR_FAMILIES; f++)
    for (size_t i = 0; rc == NETREF_OK && i < c->values[f].n; i++) {
      const char *v = c->values[f].v[i];
      char *canon = v ? nr_attr_canon(f, v) : NULL;
      if (v && !canon)
        return nomem(b);
      int held = canon && *canon ? nr_attrs_holds(a, f, canon) : 1;
      if (held < 0)
        rc = nomem(b);
      if (rc == NETREF_OK && !held) {
        char name[32];
        nr_attrs_free_slot(a, f, name, sizeof name);
        rc = write_attr(b, id, name, v, a);
        b->changed = 1;
      }
      if (rc == NETREF_OK && canon)
        rc = index_value(b, f, canon, id);
      free(canon);
    }
  return rc;
}

/* A matched person keeps their name, unless it is just their key. */
static int write_name(struct nr_book *b, sqlite3_int64 id, const char *name) {
  if (!name || !*name)
    return NETREF_OK;
  sqlite3_reset(b->person_of);
  sqlite3_bind_int64(b->person_of, 1, id);
  int step = sqlite3_step(b->person_of);
  int rename =
      step == SQLITE_ROW &&
      strcmp((const char *)sqlite3_column_text(b->person_of, 0),
             (const char *)sqlite3_column_text(b->person_of, 1)) == 0 &&
      strcmp((const char *)sqlite3_column_text(b->person_of, 1), name) != 0;
  sqlite3_reset(b->person_of);
  if (step != SQLITE_ROW)
    return nr_fail_sql(b->db, step, "read person");
  if (!rename)
    return NETREF_OK;
  b->changed = 1;
  sqlite3_bind_int64(b->name_set, 1, id);
  sqlite3_bind_text(b->name_set, 2, name, -1, SQLITE_STATIC);
  return nr_step_done(b->db, b->name_set, "rename person");
}

static int write_groups(struct nr_book *b, sqlite3_int64 id,
                        const struct nr_contact *c, long line) {
  for (size_t i = 0; i < c->groups.n; i++) {
    const char *g = c->groups.v[i];
    int64_t known;
    sqlite3_int64 gid;
    int rc = NETREF_OK;
    if (nr_keymap_get(b->groups, g, &known)) {
      gid = known;
    } else {
      char problem[96];
      if (nr_key_problem(g, problem, sizeof problem))
        return nr_book_problem(
            b, line, "category '%s' cannot be a group: the key %s", g, problem);
      rc = nr_group_ensure(b->db, g, &gid);
      if (rc == NETREF_OK && nr_keymap_put(b->groups, g, gid))
        rc = nomem(b);
    }
    if (rc == NETREF_OK)
      rc = nr_group_member_write(b->db, gid, id);
    if (rc != NETREF_OK)
      return rc;
    if (sqlite3_changes(b->db->sql) > 0)
      b->changed = 1;
  }
  return NETREF_OK;
}

/* The tie to the owner: created when missing; an existing one keeps its
 * strength and context, and its last contact only moves forward. */
static int write_tie(struct nr_book *b, sqlite3_int64 id, const char *date) {
  if (id == b->owner)
    return NETREF_OK;
  sqlite3_reset(b->tie_get);
  sqlite3_bind_int64(b->tie_get, 1, b->owner);
  sqlite3_bind_int64(b->tie_get, 2, id);
  int step = sqlite3_step(b->tie_get);
  int exists = step == SQLITE_ROW;
  int32_t day;
  const char *last =
      exists ? (const char *)sqlite3_column_text(b->tie_get, 0) : NULL;
  int later =
      date && (!last || nr_parse_date(last, &day) || strcmp(last, date) < 0);
  sqlite3_reset(b->tie_get);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return nr_fail_sql(b->db, step, "read tie");
  if (exists && !later)
    return NETREF_OK;
  double strength = exists ? NR_KEEP : NR_DEFAULT_STRENGTH;
  const char *context = exists ? NULL : b->context;
  b->changed = 1;
  return nr_tie_write_one(b->db, b->owner, id, strength, date, context, -1);
}

static int claim(struct nr_book *b, sqlite3_int64 id, long line) {
  char k[24];
  id_text(id, k);
  int64_t earlier;
  if (nr_keymap_get(b->claimed, k, &earlier))
    return NETREF_OK;
  return nr_keymap_put(b->claimed, k, line) ? nomem(b) : NETREF_OK;
}

static int save(struct nr_book *b, const struct nr_contact *c, long line,
                int *created) {
  sqlite3_int64 id = 0;
  char *key = NULL;
  struct nr_attrs a = {0};
  int rc = match(b, c, &id, &key);
  *created = key != NULL;
  b->changed = 0;
  if (rc == NETREF_OK && key)
    rc =
        nr_person_upsert(b->db, key, c->name && *c->name ? c->name : NULL, &id);
  else if (rc == NETREF_OK)
    rc = nr_attrs_read(b->db, b->attrs, id, &a);
  if (rc == NETREF_OK && !key)
    rc = write_name(b, id, c->name);
  if (rc == NETREF_OK)
    rc = write_singles(b, id, c, &a);
  if (rc == NETREF_OK)
    rc = write_families(b, id, c, &a);
  if (rc == NETREF_OK)
    rc = write_groups(b, id, c, line);
  if (rc == NETREF_OK)
    rc = write_tie(b, id, c->date);
  if (rc == NETREF_OK)
    rc = claim(b, id, line);
  nr_attrs_clear(&a);
  free(key);
  return rc;
}

int nr_book_save(struct nr_book *b, const struct nr_contact *c, long line) {
  int created;
  b->located = 0;
  int rc = save(b, c, line, &created);
  if (rc != NETREF_OK && !b->located && rc != NETREF_ENOMEM)
    rc = fail_from(b, rc, line);
  b->rows++;
  if (rc == NR_ROW_REJECTED)
    return NETREF_OK; /* noted; reading goes on */
  if (rc != NETREF_OK)
    return rc;
  int outcome = created      ? NETREF_PEOPLE_NEW
                : b->changed ? NETREF_PEOPLE_UPDATED
                             : NETREF_PEOPLE_UNCHANGED;
  b->outcome[outcome - 1]++;
  return NETREF_OK;
}

/* ---- the book of one file ---- */

static int prepare_all(struct nr_book *b) {
  static const char *const sql[] = {
      "SELECT id FROM person WHERE key=?1",
      "SELECT name, value FROM person_attr WHERE person=?1",
      ("INSERT INTO person_attr(person, name, value) VALUES (?1, ?2, ?3)"
       " ON CONFLICT(person, name) DO UPDATE SET value=excluded.value"),
      "SELECT key, name FROM person WHERE id=?1",
      "UPDATE person SET name=?2 WHERE id=?1",
      "SELECT " NR_DAY_TEXT(
          "last_contact") " FROM tie"
                          " WHERE a=min(?1, ?2) AND b=max(?1, ?2)",
  };
  sqlite3_stmt **st[] = {&b->find_key,  &b->attrs,    &b->attr_set,
                         &b->person_of, &b->name_set, &b->tie_get};
  int rc = NETREF_OK;
  for (size_t i = 0; rc == NETREF_OK && i < sizeof st / sizeof *st; i++)
    rc = nr_prepare(b->db, sql[i], st[i]);
  return rc;
}

static int find_owner(struct nr_book *b) {
  const char *key = b->imp->owner ? b->imp->owner : NR_DEFAULT_OWNER;
  int found;
  int rc = find_key(b, key, &b->owner, &found);
  if (rc != NETREF_OK || found)
    return rc;
  rc = nr_check_key(b->db, "owner key", key);
  if (rc == NETREF_OK)
    rc = nr_person_upsert(b->db, key, NULL, &b->owner);
  return rc;
}

int nr_book_open(netref_db *db, netref_import *imp, int kind,
                 const char *context, struct nr_problems *problems,
                 struct nr_book **out) {
  struct nr_book *b = calloc(1, sizeof *b);
  *out = b;
  if (!b)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  b->db = db;
  b->imp = imp;
  b->kind = kind;
  b->path = imp->path[kind];
  b->context = context;
  b->problems = problems;
  for (int f = NR_FAMILY_EMAIL; f <= NR_FAMILY_UID; f++)
    if (!(b->by[f] = nr_keymap_new()))
      return nomem(b);
  if (!(b->claimed = nr_keymap_new()) || !(b->suffix = nr_keymap_new()) ||
      !(b->groups = nr_keymap_new()))
    return nomem(b);
  int rc = prepare_all(b);
  if (rc == NETREF_OK)
    rc = find_owner(b);
  if (rc == NETREF_OK)
    rc = load_values(b);
  return rc;
}

void nr_book_close(struct nr_book *b, int rc) {
  if (!b)
    return;
  if (rc == NETREF_OK) {
    b->imp->count[b->kind] = b->rows;
    memcpy(b->imp->people[b->kind], b->outcome, sizeof b->outcome);
  }
  nr_changed(b->db);
  sqlite3_stmt *st[] = {b->find_key,  b->attrs,    b->attr_set,
                        b->person_of, b->name_set, b->tie_get};
  for (size_t i = 0; i < sizeof st / sizeof *st; i++)
    sqlite3_finalize(st[i]);
  for (int f = 0; f < NR_FAMILIES; f++)
    nr_keymap_free(b->by[f]);
  nr_keymap_free(b->claimed);
  nr_keymap_free(b->suffix);
  nr_keymap_free(b->groups);
  free(b);
}

/* ---- the job's side: running a contact file, owner, counts ---- */

int nr_import_contacts(netref_db *db, netref_import *imp, int kind,
                       struct nr_problems *problems) {
  const char *path = imp->path[kind];
  FILE *f = fopen(path, "rb");
  if (!f)
    return nr_fail(db, NETREF_EIO, "%s: %s", path, strerror(errno));
  struct nr_book *b;
  int rc = nr_book_open(db, imp, kind,
                        kind == NETREF_IMPORT_LINKEDIN ? "LinkedIn" : "vCard",
                        problems, &b);
  if (rc == NETREF_OK)
    rc = kind == NETREF_IMPORT_LINKEDIN ? nr_import_linkedin(b, f)
                                        : nr_import_vcard(b, f);
  if (rc == NETREF_OK && ferror(f))
    rc = nr_fail(db, NETREF_EIO, "%s: read error", path);
  if (rc == NETREF_OK)
    rc = nr_book_progress(b, 1);
  if (rc == NETREF_ENOMEM) /* some steps report the bare code */
    nr_fail(db, rc, "out of memory");
  nr_book_close(b, rc);
  fclose(f);
  return rc;
}

int netref_import_set_owner(netref_import *imp, const char *key) {
  if (!imp)
    return nr_fail(NULL, NETREF_EINVAL, "import job is NULL");
  char *copy = NULL;
  if (key) {
    int rc = nr_check_text(NULL, "owner key", key, 0);
    if (rc != NETREF_OK)
      return rc;
    if (!(copy = strdup(key)))
      return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  }
  free(imp->owner);
  imp->owner = copy;
  return NETREF_OK;
}

long long netref_import_people_count(const netref_import *imp, int kind,
                                     int outcome) {
  if (!imp || kind < NR_CSV_KINDS || kind >= NR_IMPORT_KINDS ||
      outcome < NETREF_PEOPLE_NEW || outcome > NETREF_PEOPLE_UNCHANGED)
    return -1;
  return imp->people[kind][outcome - 1];
}
