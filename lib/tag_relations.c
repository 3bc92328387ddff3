/* The tag relations as stored (DESIGN section 3): aliases and broader
 * terms in tag_relation (schema version 4), checked for cycles when
 * written. netref_tag_relate, netref_tag_unrelate, netref_tag_relations.
 *
 * The tags a query for T matches are those reachable from T through
 * aliases (both ways) and broader terms (down to narrower tags). Aliases
 * never make a cycle on their own (they are an equivalence), but a tag
 * must never end up narrower than itself: a broader term from n to b is
 * refused when b is reachable from n already, and an alias between a and
 * b when one is reachable from the other by a path that is not all
 * aliases. The cycle checks run in SQL on the stored relations. */
#include <stdlib.h>
#include <string.h>

#include "taxonomy.h"

/* Tags reachable from ?1 through any relation (aliases both ways,
 * broader terms down to narrower tags), and through aliases alone. */
#define REACHABLE(alias_only)                                                  \
  "WITH RECURSIVE r(t) AS (VALUES (?1)"                                        \
  " UNION SELECT x.other FROM tag_relation x JOIN r ON x.tag = r.t"            \
  " AND x.relation = 'alias'"                                                  \
  " UNION SELECT x.tag FROM tag_relation x JOIN r ON x.other = r.t" alias_only \
  ") SELECT 1 FROM r WHERE t = ?2"
static const char reachable_any[] = REACHABLE("");
static const char reachable_alias[] = REACHABLE(" AND x.relation = 'alias'");

static const char *relation_name(int relation) {
  return relation == NETREF_RELATION_ALIAS ? "alias" : "broader";
}

static int check_relation(netref_db *db, int relation) {
  if (relation == NETREF_RELATION_ALIAS || relation == NETREF_RELATION_BROADER)
    return NETREF_OK;
  return nr_fail(db, NETREF_EINVAL,
                 "relation must be NETREF_RELATION_ALIAS or _BROADER, not %d",
                 relation);
}

/* Whether a statement with up to three text parameters returns a row. */
static int exists(netref_db *db, const char *sql, const char *p1,
                  const char *p2, const char *p3, int *found) {
  sqlite3_stmt *st;
  int rc = nr_prepare(db, sql, &st);
  if (rc != NETREF_OK)
    return rc;
  sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
  if (p3)
    sqlite3_bind_text(st, 3, p3, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  sqlite3_finalize(st);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return nr_fail_sql(db, step, "read the tag taxonomy");
  *found = step == SQLITE_ROW;
  return NETREF_OK;
}

static int reaches(netref_db *db, const char *sql, const char *from,
                   const char *to, int *found) {
  return exists(db, sql, from, to, NULL, found);
}

/* Whether exactly this relation is stored (an alias in either order). */
static int stored(netref_db *db, const char *tag, int relation,
                  const char *other, int *found) {
  return exists(db,
                "SELECT 1 FROM tag_relation WHERE relation = ?3 AND"
                " ((tag = ?1 AND other = ?2) OR"
                "  (relation = 'alias' AND tag = ?2 AND other = ?1))",
                tag, other, relation_name(relation), found);
}

/* NETREF_EINVAL with a message when the relation would make a tag
 * narrower than itself. */
static int check_cycle(netref_db *db, const char *tag, int relation,
                       const char *other) {
  int down = 0, up = 0, same = 0;
  int rc = reaches(db, reachable_any, tag, other, &down);
  if (rc == NETREF_OK && relation == NETREF_RELATION_BROADER && down)
    return nr_fail(db, NETREF_EINVAL,
                   "'%s' broader '%s' would make a cycle: '%s' is already "
                   "narrower than '%s' or an alias of it",
                   tag, other, other, tag);
  if (rc == NETREF_OK && relation == NETREF_RELATION_ALIAS)
    rc = reaches(db, reachable_any, other, tag, &up);
  if (rc == NETREF_OK && relation == NETREF_RELATION_ALIAS && (down || up))
    rc = reaches(db, reachable_alias, tag, other, &same);
  if (rc == NETREF_OK && relation == NETREF_RELATION_ALIAS && (down || up) &&
      !same)
    return nr_fail(db, NETREF_EINVAL,
                   "'%s' alias '%s' would make a cycle: '%s' is already "
                   "narrower than '%s'",
                   tag, other, down ? other : tag, down ? tag : other);
  return rc;
}

static void taxonomy_changed(netref_db *db) {
  nr_taxonomy_free(db->taxonomy);
  db->taxonomy = NULL;
}

int nr_tag_relate_write(netref_db *db, const char *tag, int relation,
                        const char *other) {
  int rc = check_relation(db, relation);
  if (rc != NETREF_OK)
    return rc;
  if (strcmp(tag, other) == 0)
    return nr_fail(db, NETREF_EINVAL, "'%s' cannot be %s of itself", tag,
                   relation == NETREF_RELATION_ALIAS ? "an alias"
                                                     : "the broader term");
  int held = 0;
  rc = stored(db, tag, relation, other, &held);
  if (rc != NETREF_OK || held)
    return rc;
  rc = check_cycle(db, tag, relation, other);
  sqlite3_stmt *st = NULL;
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "INSERT OR IGNORE INTO tag_relation(tag, relation, other)"
                    " VALUES (?1, ?2, ?3)",
                    &st);
  if (rc == NETREF_OK) {
    sqlite3_bind_text(st, 1, tag, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, relation_name(relation), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, other, -1, SQLITE_STATIC);
    rc = nr_step_done(db, st, "save a tag relation");
    taxonomy_changed(db);
  }
  sqlite3_finalize(st);
  return rc;
}

/* The common start of relate and unrelate: a writable handle on a file
 * with the taxonomy, a relation, both tags normalized (freed by the
 * caller). */
static int relation_args(netref_db *db, const char *tag, int relation,
                         const char *other, char **a, char **b) {
  *a = *b = NULL;
  int rc = nr_check_feature(db, 1, NR_TAXONOMY_SCHEMA, NR_TAXONOMY_FEATURE);
  if (rc == NETREF_OK)
    rc = check_relation(db, relation);
  if (rc == NETREF_OK)
    rc = nr_tag_normalize(db, tag, a);
  if (rc == NETREF_OK)
    rc = nr_tag_normalize(db, other, b);
  return rc;
}

int netref_tag_relate(netref_db *db, const char *tag, int relation,
                      const char *other) {
  char *a, *b;
  int rc = relation_args(db, tag, relation, other, &a, &b);
  if (rc == NETREF_OK)
    rc = nr_begin(db);
  if (rc == NETREF_OK) {
    rc = nr_tag_relate_write(db, a, relation, b);
    if (rc == NETREF_OK)
      rc = nr_commit(db);
    if (rc != NETREF_OK) {
      nr_rollback(db);
      taxonomy_changed(db);
    }
  }
  free(a);
  free(b);
  return rc;
}

int netref_tag_unrelate(netref_db *db, const char *tag, int relation,
                        const char *other) {
  char *a, *b;
  sqlite3_stmt *st = NULL;
  int rc = relation_args(db, tag, relation, other, &a, &b);
  if (rc == NETREF_OK)
    rc = nr_prepare(db,
                    "DELETE FROM tag_relation WHERE relation = ?3 AND"
                    " ((tag = ?1 AND other = ?2) OR"
                    "  (relation = 'alias' AND tag = ?2 AND other = ?1))",
                    &st);
  if (rc == NETREF_OK) {
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, relation_name(relation), -1, SQLITE_STATIC);
    rc = nr_step_done(db, st, "remove a tag relation");
  }
  if (rc == NETREF_OK && sqlite3_changes(db->sql) == 0)
    rc = nr_fail(db, NETREF_ENOTFOUND, "no relation '%s' %s '%s'", a,
                 relation_name(relation), b);
  else if (rc == NETREF_OK)
    taxonomy_changed(db);
  sqlite3_finalize(st);
  free(a);
  free(b);
  return rc;
}

int netref_tag_relations(netref_db *db, const char *tag, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_check_schema(db, NR_TAXONOMY_SCHEMA, NR_TAXONOMY_FEATURE);
  char *norm = NULL;
  if (rc == NETREF_OK && tag)
    rc = nr_tag_normalize(db, tag, &norm);
  if (rc == NETREF_OK)
    rc = nr_list(db,
                 "SELECT tag, relation, other FROM tag_relation"
                 " WHERE ?2 IS NULL OR tag = ?2 OR other = ?2"
                 " ORDER BY tag, relation, other",
                 -1, norm, out);
  free(norm);
  return rc;
}
