/*
 * Unit tests of netref_export (netref.h, "Export"), through the public
 * API, on a small network whose text is hostile to every format: quotes,
 * commas, angle brackets, ampersands, backslashes, tabs, CR LF, a C0
 * control, DEL, emoji, leading and trailing spaces, attribute names
 * that clash with the formats' own fields. Each format is checked for
 * what it must escape and how many records it holds; the CSV export is
 * imported back into an empty network and compared listing by listing.
 * NetworkX, igraph and Graphviz read the graph formats in
 * tests/export/test_readers.py; the CLI round trip is in
 * tests/cli/test_cli.py.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netref.h"
#include "support.h"
#include "tempdir.h"
#include "writes.h"

#define BO_NAME                                                                \
  "Bo\tTab\r\nCRLF \x01"                                                       \
  "ctl\x7f"
#define ANA_NAME                                                               \
  "Ana \"Q\" <D\xC3\xAD"                                                       \
  "az> & 'Co'"
#define CY_NAME "C\\y \"\\N\" \\"
#define KQ "k,\"q\""
#define SMILE "\xF0\x9F\x98\x80" /* U+1F600 */
#define NOV_NAME "Nov 30, \"evening\""
#define ME_ANA_CONTEXT "met at \"Nov\", evening\nsecond line"

struct fx {
  struct tempdir_fixture t; /* first: tempdir_teardown frees it */
  netref_db *db;
};

static int setup(void **state) {
  if (tempdir_setup(state, "/tmp/netref_export_XXXXXX"))
    return -1;
  struct tempdir_fixture *t = *state;
  struct fx *fx = realloc(t, sizeof *fx);
  if (!fx)
    return -1;
  *state = fx;
  return netref_open(fx->t.path, &fx->db) == NETREF_OK ? 0 : -1;
}

static int teardown(void **state) {
  struct fx *fx = *state;
  netref_close(fx->db);
  return tempdir_teardown(state);
}

static netref_db *DB(void **state) { return ((struct fx *)*state)->db; }

/* A path in the fixture's directory (rotating buffers). */
static const char *in_dir(void **state, const char *name) {
  static char bufs[8][256];
  static int next;
  char *p = bufs[next++ % 8];
  snprintf(p, sizeof bufs[0], "%s/%s", ((struct fx *)*state)->t.dir, name);
  return p;
}

static void build_network(netref_db *db) {
  ASSERT_OK(netref_person_add(db, "me", "Me"));
  ASSERT_OK(netref_person_add(db, "ana", ANA_NAME));
  ASSERT_OK(netref_person_set_attr(db, "ana", "Org", "A,B \"C\"\nline two"));
  ASSERT_OK(
      netref_person_set_attr(db, "ana", "city", "Lisboa \xF0\x9F\x8E\x89"));
  ASSERT_OK(netref_person_set_attr(db, "ana", "id", "reserved id"));
  ASSERT_OK(netref_person_set_attr(db, "ana", "attr:x", "prefixed"));
  ASSERT_OK(netref_person_add(db, "bo", BO_NAME));
  ASSERT_OK(netref_person_add(db, "cy", CY_NAME));
  ASSERT_OK(netref_person_set_attr(db, "cy", "Org", "  spaced  "));
  ASSERT_OK(netref_person_add(db, KQ, "Comma, \"Quote\""));
  ASSERT_OK(netref_person_add(db, SMILE, "\xC3\x89moji " SMILE));
  ASSERT_OK(netref_person_add(db, "far", "Far"));
  ASSERT_OK(netref_person_add(db, "farther", "Farther"));
  ASSERT_OK(t_tie_set(db, "me", "ana", 0.8, "2024-01-02", ME_ANA_CONTEXT));
  ASSERT_OK(t_tie_cadence(db, "me", "ana", 30));
  ASSERT_OK(t_tie_set(db, "me", "bo", 0.5, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "ana", "bo", 0.25, NULL, "a\\b"));
  ASSERT_OK(t_tie_set(db, "me", "cy", 1.0, "2023-12-31", NULL));
  ASSERT_OK(t_tie_set(db, "cy", KQ, 0.3, NULL, "  padded  "));
  ASSERT_OK(t_tie_set(db, "ana", SMILE, 0.6, NULL, NULL));
  ASSERT_OK(t_tie_set(db, SMILE, "far", 0.4, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "far", "farther", 0.9, NULL, NULL));
  ASSERT_OK(t_offer_set(db, "ana", "party planning", "weekends, \"mostly\""));
  ASSERT_OK(t_offer_set(db, "cy", "design", NULL));
  ASSERT_OK(t_offer_set(db, SMILE, "party planning", NULL));
  ASSERT_OK(t_need_set(db, "bo", "party planning", 0.3));
  ASSERT_OK(t_need_set(db, "far", "design", 1.0));
  ASSERT_OK(netref_tag_relate(db, "party planner", NETREF_RELATION_ALIAS,
                              "party planning"));
  ASSERT_OK(netref_tag_relate(db, "kids party", NETREF_RELATION_BROADER,
                              "party planning"));
  ASSERT_OK(netref_group_add(db, "nov", NOV_NAME));
  ASSERT_OK(netref_group_join(db, "nov", "ana"));
  ASSERT_OK(netref_group_join(db, "nov", "bo"));
  ASSERT_OK(netref_group_add(db, "empty", NULL));
  long long id;
  ASSERT_OK(t_intro_add(db, "me", "ana", "cy", "design", "2024-02-01",
                        "a, \"note\"", NETREF_INTRO_MADE, 0, &id));
}
#define PEOPLE 8
#define TIES 8

/* Run an export; the job is returned for its counts and files. */
static int run_export(netref_db *db, int format, const char *source, int hops,
                      const char *path, netref_export **job) {
  netref_export *exp = NULL;
  ASSERT_OK(netref_export_new(format, &exp));
  if (source)
    ASSERT_OK(netref_export_set_source(exp, source, hops));
  int rc = netref_export_run(db, exp, path);
  if (job)
    *job = exp;
  else
    netref_export_free(exp);
  return rc;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    fail_msg("cannot open %s", path);
  char *buf = NULL;
  size_t len = 0, cap = 0, n;
  char chunk[4096];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + n + 1 > cap) {
      cap = (len + n + 1) * 2;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
    memcpy(buf + len, chunk, n);
    len += n;
  }
  fclose(f);
  if (!buf)
    buf = calloc(1, 1);
  buf[len] = '\0';
  return buf;
}

static size_t occurrences(const char *text, const char *needle) {
  size_t n = 0;
  for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

static void expect_in(const char *text, const char *needle) {
  if (!strstr(text, needle))
    fail_msg("'%s' not found in:\n%s", needle, text);
}

/* No control character but line feeds: everything else escaped. */
static void expect_no_raw_controls(const char *text) {
  for (const unsigned char *p = (const unsigned char *)text; *p; p++)
    if (*p < 0x20 && *p != '\n')
      fail_msg("raw control character 0x%02x at offset %zu", *p,
               (size_t)(p - (const unsigned char *)text));
}

/* The names in a directory, sorted and joined by spaces. */
static char *listing(const char *dir) {
  struct dirent **names = NULL;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0)
    return strdup("(missing)");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  for (int i = 0; i < n; i++) {
    if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
      fprintf(f, "%s ", names[i]->d_name);
    free(names[i]);
  }
  free(names);
  fclose(f);
  return buf;
}

static void expect_listing(const char *dir, const char *want) {
  char *got = listing(dir);
  if (strcmp(got, want)) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s holds '%s', expected '%s'", dir, got, want);
    free(got);
    fail_msg("%s", msg);
  }
  free(got);
}

static void expect_counts(const netref_export *exp, const long long want[6]) {
  for (int k = 0; k < 6; k++)
    if (netref_export_count(exp, k) != want[k])
      fail_msg("count of kind %d: %lld, expected %lld", k,
               netref_export_count(exp, k), want[k]);
}

/* ---- the graph formats ---------------------------------------------- */

static void test_graphml(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  netref_export *exp;
  const char *path = in_dir(state, "net.graphml");
  ASSERT_OK(run_export(db, NETREF_EXPORT_GRAPHML, NULL, 0, path, &exp));
  static const long long want[6] = {PEOPLE, TIES, 3, 2, 0, 0};
  expect_counts(exp, want);
  assert_int_equal(netref_export_files(exp), 1);
  assert_string_equal(netref_export_file(exp, 0), path);
  assert_null(netref_export_file(exp, 1));
  netref_export_free(exp);
  char *x = slurp(path);
  expect_no_raw_controls(x);
  assert_int_equal(occurrences(x, "<node id="), PEOPLE);
  assert_int_equal(occurrences(x, "<edge source="), TIES);
  expect_in(x, "<node id=\"k,&quot;q&quot;\">");
  expect_in(x, "<data key=\"name\">Ana &quot;Q&quot; &lt;D\xC3\xAD"
               "az&gt; "
               "&amp; &apos;Co&apos;</data>");
  /* Tab, CR and LF as references; U+0001 has no XML form; DEL stays. */
  expect_in(x, "Bo&#9;Tab&#13;&#10;CRLF \xEF\xBF\xBD"
               "ctl\x7f</data>");
  expect_in(x, "attr.name=\"attr:id\"");
  expect_in(x, "attr.name=\"attr:attr:x\"");
  expect_in(x, "attr.name=\"Org\"");
  expect_in(x, "<data key=\"offers\">party planning</data>");
  expect_in(x, "<data key=\"cadence\">30</data>");
  expect_in(x, "met at &quot;Nov&quot;, evening&#10;second line");
  assert_null(strstr(x, "key=\"hops\""));
  free(x);
}

static void test_gexf(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  const char *path = in_dir(state, "net.gexf");
  ASSERT_OK(run_export(db, NETREF_EXPORT_GEXF, NULL, 0, path, NULL));
  char *x = slurp(path);
  expect_no_raw_controls(x);
  expect_in(x, "<gexf xmlns=\"http://www.gexf.net/1.2draft\" "
               "version=\"1.2\">");
  assert_int_equal(occurrences(x, "<node id="), PEOPLE);
  assert_int_equal(occurrences(x, "<edge id="), TIES);
  expect_in(x, "label=\"Comma, &quot;Quote&quot;\"");
  expect_in(x, "weight=\"0.25\"");
  expect_in(x, "title=\"attr:id\"");
  expect_in(x, "value=\"A,B &quot;C&quot;&#10;line two\"");
  expect_in(x, "value=\"  spaced  \"");
  /* The nodes close before the edges open. */
  assert_true(strstr(x, "</nodes>") < strstr(x, "<edges>"));
  free(x);
}

static void test_json(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  const char *path = in_dir(state, "net.json");
  ASSERT_OK(run_export(db, NETREF_EXPORT_JSON, NULL, 0, path, NULL));
  char *x = slurp(path);
  expect_no_raw_controls(x);
  assert_int_equal(occurrences(x, "{\"id\": "), PEOPLE);
  assert_int_equal(occurrences(x, "{\"source\": "), TIES);
  /* JSON keeps every character: controls as escapes. */
  expect_in(x, "\"name\": \"Bo\\tTab\\r\\nCRLF \\u0001ctl\x7f\"");
  expect_in(x, "\"name\": \"C\\\\y \\\"\\\\N\\\" \\\\\"");
  expect_in(x, "\"attr:id\": \"reserved id\"");
  expect_in(x, "\"offers\": [\"party planning\"]");
  expect_in(x, "\"needs\": [\"party planning\"]");
  expect_in(x, "\"cadence\": 30");
  expect_in(x, "{\"directed\": false, \"multigraph\": false");
  free(x);
}

static void test_dot(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  const char *path = in_dir(state, "net.dot");
  netref_export *exp;
  ASSERT_OK(run_export(db, NETREF_EXPORT_DOT, NULL, 0, path, &exp));
  /* DOT carries no offers or needs: none counted. */
  static const long long want[6] = {PEOPLE, TIES, 0, 0, 0, 0};
  expect_counts(exp, want);
  netref_export_free(exp);
  char *x = slurp(path);
  expect_no_raw_controls(x);
  assert_int_equal(occurrences(x, " -- "), TIES);
  expect_in(x, "\"k,\\\"q\\\"\" [label=\"Comma, \\\"Quote\\\"\"];");
  /* Backslashes doubled, so Graphviz's \N never fires. */
  expect_in(x, "[label=\"C\\\\y \\\"\\\\N\\\" \\\\\"]");
  expect_in(x, "[label=\"Bo Tab\\r\\nCRLF \xEF\xBF\xBD"
               "ctl\x7f\"]");
  expect_in(x, "\"me\" -- \"cy\" [penwidth=3.5];");
  free(x);
}

/* ---- CSV: the backup round trip ------------------------------------- */

static void dump_rows(FILE *f, const char *label, netref_rows *rows) {
  for (size_t r = 0; r < netref_rows_count(rows); r++) {
    fprintf(f, "  %s:", label);
    for (size_t c = 0; c < netref_rows_columns(rows); c++) {
      const char *t = netref_rows_text(rows, r, c);
      fprintf(f, " %s=%s%s%s", netref_rows_column_name(rows, c), t ? "<" : "",
              t ? t : "NULL", t ? ">" : "");
    }
    fputc('\n', f);
  }
  netref_rows_free(rows);
}

/* Everything the CSV layout carries, through the listing functions. */
static char *dump(netref_db *db) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  netref_rows *people = NULL, *rows = NULL;
  ASSERT_OK(netref_person_list(db, &people));
  for (size_t i = 0; i < netref_rows_count(people); i++) {
    const char *key = netref_rows_text(people, i, 0);
    ASSERT_OK(netref_person_get(db, key, &rows));
    dump_rows(f, "person", rows);
    ASSERT_OK(netref_tie_list(db, key, &rows));
    dump_rows(f, "tie", rows);
    ASSERT_OK(netref_offer_list(db, key, &rows));
    dump_rows(f, "offer", rows);
    ASSERT_OK(netref_need_list(db, key, &rows));
    dump_rows(f, "need", rows);
    ASSERT_OK(netref_person_groups(db, key, &rows));
    dump_rows(f, "in group", rows);
  }
  netref_rows_free(people);
  ASSERT_OK(netref_tag_relations(db, NULL, &rows));
  dump_rows(f, "relation", rows);
  netref_rows *groups = NULL;
  ASSERT_OK(netref_group_list(db, &groups));
  for (size_t g = 0; g < netref_rows_count(groups); g++) {
    ASSERT_OK(netref_group_members(db, netref_rows_text(groups, g, 0), &rows));
    dump_rows(f, netref_rows_text(groups, g, 0), rows);
  }
  dump_rows(f, "group", groups);
  fclose(f);
  return buf;
}

/* Import the six files of a CSV export into a new, empty network. */
static netref_db *restore(void **state, const char *dir, const char *dbname) {
  static const char *const names[6] = {"people.csv",   "ties.csv",
                                       "offers.csv",   "needs.csv",
                                       "taxonomy.csv", "groups.csv"};
  netref_db *db = NULL;
  ASSERT_OK(netref_open(in_dir(state, dbname), &db));
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  for (int k = 0; k < 6; k++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    ASSERT_OK(netref_import_set_file(imp, k, path));
  }
  int rc = netref_import_run(db, imp);
  if (rc != NETREF_OK)
    fail_msg("import of the export: %d: %s", rc, netref_errmsg(db));
  netref_import_free(imp);
  return db;
}

static void test_csv_round_trip(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  const char *dir = in_dir(state, "backup");
  netref_export *exp;
  ASSERT_OK(run_export(db, NETREF_EXPORT_CSV, NULL, 0, dir, &exp));
  static const long long want[6] = {PEOPLE, TIES, 3, 2, 2, 2};
  expect_counts(exp, want);
  assert_int_equal(netref_export_files(exp), 6);
  char path[512];
  snprintf(path, sizeof path, "%s/people.csv", dir);
  assert_string_equal(netref_export_file(exp, NETREF_CSV_PEOPLE), path);
  netref_export_free(exp);
  expect_listing(dir, "groups.csv needs.csv offers.csv people.csv "
                      "taxonomy.csv ties.csv ");
  char *people = slurp(path);
  expect_in(people, "key,name,Org,attr:x,city,id\n");
  expect_in(people, "\"k,\"\"q\"\"\",\"Comma, \"\"Quote\"\"\",,,,\n");
  expect_in(people, "cy,\"C\\y \"\"\\N\"\" \\\",\"  spaced  \",,,\n");
  free(people);

  netref_db *copy = restore(state, dir, "copy.db");
  char *a = dump(db), *b = dump(copy);
  assert_string_equal(b, a);
  assert_non_null(strstr(a, "cadence=<30>")); /* the dump sees cadences */
  assert_non_null(strstr(a, "name=<" NOV_NAME ">"));
  /* Exported again, the copy gives the same files. */
  const char *again = in_dir(state, "again");
  ASSERT_OK(run_export(copy, NETREF_EXPORT_CSV, NULL, 0, again, NULL));
  for (int k = 0; k < 6; k++) {
    static const char *const names[6] = {"people.csv",   "ties.csv",
                                         "offers.csv",   "needs.csv",
                                         "taxonomy.csv", "groups.csv"};
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/%s", dir, names[k]);
    snprintf(p2, sizeof p2, "%s/%s", again, names[k]);
    char *t1 = slurp(p1), *t2 = slurp(p2);
    assert_string_equal(t2, t1);
    free(t1);
    free(t2);
  }
  free(a);
  free(b);
  netref_close(copy);
}

/* Into an existing directory: the export's files are replaced, other
 * files are left alone. */
static void test_csv_into_existing_directory(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  const char *dir = in_dir(state, "backup");
  assert_int_equal(mkdir(dir, 0700), 0);
  char keep[512];
  snprintf(keep, sizeof keep, "%s/keep.txt", dir);
  FILE *f = fopen(keep, "w");
  fputs("mine", f);
  fclose(f);
  ASSERT_OK(run_export(db, NETREF_EXPORT_CSV, NULL, 0, dir, NULL));
  ASSERT_OK(netref_person_add(db, "zed", "Zed"));
  ASSERT_OK(run_export(db, NETREF_EXPORT_CSV, NULL, 0, dir, NULL));
  expect_listing(dir, "groups.csv keep.txt needs.csv offers.csv people.csv "
                      "taxonomy.csv ties.csv ");
  char people[512];
  snprintf(people, sizeof people, "%s/people.csv", dir);
  char *text = slurp(people);
  expect_in(text, "\nzed,Zed,");
  free(text);
  text = slurp(keep);
  assert_string_equal(text, "mine");
  free(text);
  /* Nothing temporary beside the directory either. */
  char *top = listing(((struct fx *)*state)->t.dir);
  assert_null(strstr(top, ".backup"));
  free(top);
}

/* ---- Neo4j ---------------------------------------------------------- */

static void test_neo4j(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  const char *dir = in_dir(state, "neo");
  netref_export *exp;
  ASSERT_OK(run_export(db, NETREF_EXPORT_NEO4J, NULL, 0, dir, &exp));
  assert_int_equal(netref_export_files(exp), 9);
  /* Group memberships: ana and bo in nov (the empty group is a node). */
  static const long long want[6] = {PEOPLE, TIES, 3, 2, 2, 2};
  expect_counts(exp, want);
  netref_export_free(exp);
  expect_listing(dir, "groups.csv introduced.csv knows.csv member_of.csv "
                      "needs.csv offers.csv people.csv relations.csv "
                      "tags.csv ");
  char path[512];
  snprintf(path, sizeof path, "%s/people.csv", dir);
  char *t = slurp(path);
  /* Attribute names become property names the header can carry. */
  expect_in(t, "key:ID(Person),name,Org,attr_x,city,id,:LABEL\n");
  expect_in(t, "\nme,Me,,,,,Person\n");
  free(t);
  snprintf(path, sizeof path, "%s/knows.csv", dir);
  t = slurp(path);
  expect_in(t, ":START_ID(Person),:END_ID(Person),strength:double,"
               "last_contact:date,context,cadence:int,:TYPE\n");
  expect_in(t, "me,ana,0.8,2024-01-02,\"met at \"\"Nov\"\", evening\n"
               "second line\",30,KNOWS\n");
  assert_int_equal(occurrences(t, ",KNOWS\n"), TIES);
  free(t);
  snprintf(path, sizeof path, "%s/tags.csv", dir);
  t = slurp(path);
  assert_string_equal(t, "tag:ID(Tag),:LABEL\ndesign,Tag\nkids party,Tag\n"
                         "party planner,Tag\nparty planning,Tag\n");
  free(t);
  snprintf(path, sizeof path, "%s/relations.csv", dir);
  t = slurp(path);
  assert_string_equal(t, ":START_ID(Tag),:END_ID(Tag),:TYPE\n"
                         "kids party,party planning,BROADER\n"
                         "party planner,party planning,ALIAS\n");
  free(t);
  snprintf(path, sizeof path, "%s/introduced.csv", dir);
  t = slurp(path);
  expect_in(t, "\nme,ana,1,cy,design,2024-02-01,made,2024-02-01,2024-02-01,"
               "\"a, \"\"note\"\"\",,INTRODUCED\n");
  free(t);
  snprintf(path, sizeof path, "%s/offers.csv", dir);
  t = slurp(path);
  expect_in(t, "ana,party planning,\"weekends, \"\"mostly\"\"\",OFFERS\n");
  free(t);
  snprintf(path, sizeof path, "%s/groups.csv", dir);
  t = slurp(path);
  expect_in(t, "group:ID(Group),name,:LABEL\n");
  expect_in(t, "\nnov,\"Nov 30, \"\"evening\"\"\",Group\n");
  expect_in(t, "\nempty,");
  assert_int_equal(occurrences(t, ",Group\n"), 2);
  free(t);
  snprintf(path, sizeof path, "%s/member_of.csv", dir);
  t = slurp(path);
  assert_string_equal(t, ":START_ID(Person),:END_ID(Group),:TYPE\n"
                         "ana,nov,MEMBER_OF\nbo,nov,MEMBER_OF\n");
  free(t);
}

/* ---- one person's k-hop network --------------------------------------- */

static void test_khop(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  netref_export *exp;
  const char *path = in_dir(state, "me1.json");
  ASSERT_OK(run_export(db, NETREF_EXPORT_JSON, "me", 1, path, &exp));
  /* me, ana, bo, cy; the ties among them, ana-bo included. */
  static const long long one[6] = {4, 4, 2, 1, 0, 0};
  expect_counts(exp, one);
  netref_export_free(exp);
  char *x = slurp(path);
  expect_in(x, "{\"id\": \"me\", \"name\": \"Me\", \"hops\": 0,");
  expect_in(x, "{\"id\": \"cy\", \"name\": \"C\\\\y \\\"\\\\N\\\" \\\\\", "
               "\"hops\": 1,");
  expect_in(x, "{\"source\": \"ana\", \"target\": \"bo\"");
  assert_null(strstr(x, "k,"));
  assert_null(strstr(x, "far"));
  expect_in(x, "\"source\": \"me\"}");
  free(x);

  /* Two hops: k,"q" (through cy) and the emoji (through ana) come in,
   * with their ties to the one-hop people. */
  const char *dir = in_dir(state, "me2");
  ASSERT_OK(run_export(db, NETREF_EXPORT_CSV, "me", 2, dir, &exp));
  static const long long two[6] = {6, 6, 3, 1, 2, 2};
  expect_counts(exp, two);
  netref_export_free(exp);
  char groups[512];
  snprintf(groups, sizeof groups, "%s/groups.csv", dir);
  x = slurp(groups);
  /* Only the network's people's memberships; no empty group. */
  assert_string_equal(x, "group,group_name,person\n"
                         "nov,\"Nov 30, \"\"evening\"\"\",ana\n"
                         "nov,\"Nov 30, \"\"evening\"\"\",bo\n");
  free(x);
  netref_db *part = restore(state, dir, "part.db");
  netref_rows *rows = NULL;
  ASSERT_OK(netref_person_list(part, &rows));
  assert_int_equal(netref_rows_count(rows), 6);
  netref_rows_free(rows);
  assert_int_equal(netref_person_get(part, "far", &rows), NETREF_ENOTFOUND);
  netref_close(part);

  /* Neo4j: the introduction's three people are all within two hops. */
  const char *neo = in_dir(state, "neo2");
  ASSERT_OK(run_export(db, NETREF_EXPORT_NEO4J, "me", 1, neo, NULL));
  char intro[512];
  snprintf(intro, sizeof intro, "%s/introduced.csv", neo);
  x = slurp(intro);
  expect_in(x, "\nme,ana,1,cy,");
  free(x);
  snprintf(intro, sizeof intro, "%s/people.csv", neo);
  x = slurp(intro);
  expect_in(x, ",hops:int,:LABEL\n");
  expect_in(x, "\nme,Me,,,,,0,Person\n");
  free(x);
}

/* A change after the index was built (patched, not rebuilt) is in the
 * k-hop network, and so is another connection's commit. */
static void test_khop_sees_changes(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  netref_result *res = NULL;
  ASSERT_OK(netref_providers(db, "me", "design", NULL, &res)); /* index */
  netref_result_free(res);
  ASSERT_OK(t_tie_set(db, "me", "far", 0.5, NULL, NULL));
  netref_db *other = NULL;
  ASSERT_OK(netref_open(((struct fx *)*state)->t.path, &other));
  ASSERT_OK(t_tie_set(other, "me", "farther", 0.5, NULL, NULL));
  netref_close(other);
  netref_export *exp;
  ASSERT_OK(
      run_export(db, NETREF_EXPORT_DOT, "me", 1, in_dir(state, "m.dot"), &exp));
  assert_int_equal(netref_export_count(exp, NETREF_CSV_PEOPLE), 6);
  netref_export_free(exp);
  char *x = slurp(in_dir(state, "m.dot"));
  expect_in(x, "\"me\" -- \"far\"");
  expect_in(x, "\"me\" -- \"farther\"");
  expect_in(x, "\"far\" -- \"farther\"");
  expect_in(x, "\"me\" [label=\"Me\", style=\"rounded,bold\", "
               "peripheries=2];");
  free(x);
}

/* ---- errors: nothing left behind ------------------------------------ */

static void test_bad_arguments(void **state) {
  netref_db *db = DB(state);
  netref_export *exp = (netref_export *)&exp;
  assert_int_equal(netref_export_new(0, &exp), NETREF_EINVAL);
  assert_null(exp);
  assert_int_equal(netref_export_new(7, &exp), NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(NULL), "unknown export format 7"));
  assert_int_equal(netref_export_new(NETREF_EXPORT_DOT, NULL), NETREF_EINVAL);
  ASSERT_OK(netref_export_new(NETREF_EXPORT_GRAPHML, &exp));
  assert_int_equal(netref_export_set_source(exp, "me", 0), NETREF_EINVAL);
  assert_int_equal(netref_export_set_source(exp, "me", NETREF_MAX_HOPS + 1),
                   NETREF_EINVAL);
  assert_int_equal(netref_export_set_source(exp, "m\xff", 1), NETREF_EINVAL);
  assert_int_equal(netref_export_set_source(NULL, "me", 1), NETREF_EINVAL);
  ASSERT_OK(netref_export_set_source(exp, NULL, 0)); /* whole network */
  assert_int_equal(netref_export_run(NULL, exp, "x"), NETREF_EINVAL);
  assert_int_equal(netref_export_run(db, NULL, "x"), NETREF_EINVAL);
  assert_int_equal(netref_export_run(db, exp, NULL), NETREF_EINVAL);
  assert_int_equal(netref_export_run(db, exp, ""), NETREF_EINVAL);
  assert_int_equal(netref_export_count(exp, -1), -1);
  assert_int_equal(netref_export_count(exp, 6), -1);
  assert_int_equal(netref_export_count(NULL, 0), -1);
  assert_int_equal(netref_export_count(exp, 0), 0);
  assert_int_equal(netref_export_files(exp), 0);
  assert_int_equal(netref_export_files(NULL), 0);
  assert_null(netref_export_file(exp, 0));
  assert_null(netref_export_file(NULL, 0));
  netref_export_free(exp);
  netref_export_free(NULL);
}

/* A failed run leaves the directory as it was and the job empty. */
static void expect_failure(void **state, int format, const char *source,
                           const char *path, int code, const char *words) {
  netref_db *db = DB(state);
  const char *dir = ((struct fx *)*state)->t.dir;
  char *before = listing(dir);
  netref_export *exp;
  int rc = run_export(db, format, source, 2, path, &exp);
  if (rc != code)
    fail_msg("%s: rc %d, expected %d (%s)", path, rc, code, netref_errmsg(db));
  if (!strstr(netref_errmsg(db), words))
    fail_msg("%s: message '%s' lacks '%s'", path, netref_errmsg(db), words);
  assert_int_equal(netref_export_files(exp), 0);
  assert_int_equal(netref_export_count(exp, NETREF_CSV_PEOPLE), 0);
  netref_export_free(exp);
  char *after = listing(dir);
  assert_string_equal(after, before);
  free(before);
  free(after);
}

static void test_unwritable_paths(void **state) {
  build_network(DB(state));
  const char *file = in_dir(state, "plain.txt");
  FILE *f = fopen(file, "w");
  fputs("x", f);
  fclose(f);
  const char *subdir = in_dir(state, "sub");
  assert_int_equal(mkdir(subdir, 0700), 0);
  expect_failure(state, NETREF_EXPORT_GRAPHML, NULL,
                 in_dir(state, "no/such/dir/net.graphml"), NETREF_EIO,
                 "no/such/dir/net.graphml: cannot create");
  expect_failure(state, NETREF_EXPORT_GRAPHML, NULL,
                 in_dir(state, "plain.txt/net.graphml"), NETREF_EIO,
                 "Not a directory");
  expect_failure(state, NETREF_EXPORT_CSV, NULL,
                 in_dir(state, "no/such/backup"), NETREF_EIO,
                 "cannot create a directory");
  expect_failure(state, NETREF_EXPORT_JSON, NULL, subdir, NETREF_EIO,
                 "is a directory");
  expect_failure(state, NETREF_EXPORT_NEO4J, NULL, file, NETREF_EIO,
                 "not a directory");
  expect_failure(state, NETREF_EXPORT_GRAPHML, "nobody",
                 in_dir(state, "k.graphml"), NETREF_ENOTFOUND,
                 "no person 'nobody'");
  expect_failure(state, NETREF_EXPORT_CSV, "nobody", in_dir(state, "kdir"),
                 NETREF_ENOTFOUND, "nobody");
  char *text = slurp(file);
  assert_string_equal(text, "x");
  free(text);
  /* A typo must not replace the network: the database file, its WAL,
   * its index snapshot, the current directory. */
  char wal[256];
  snprintf(wal, sizeof wal, "%s-wal", ((struct fx *)*state)->t.path);
  expect_failure(state, NETREF_EXPORT_GRAPHML, NULL,
                 ((struct fx *)*state)->t.path, NETREF_EINVAL,
                 "is the database itself");
  expect_failure(state, NETREF_EXPORT_JSON, NULL, wal, NETREF_EINVAL,
                 "a file kept beside the database");
  /* nor its index snapshot (lib/snapshot.c) */
  char snap[256];
  snprintf(snap, sizeof snap, "%s-index", ((struct fx *)*state)->t.path);
  FILE *side = fopen(snap, "w");
  assert_non_null(side);
  fclose(side);
  expect_failure(state, NETREF_EXPORT_JSON, NULL, snap, NETREF_EINVAL,
                 "a file kept beside the database");
  unlink(snap);
  expect_failure(state, NETREF_EXPORT_CSV, NULL, ".", NETREF_EINVAL,
                 "not . or ..");
}

/* ---- progress and cancellation -------------------------------------- */

struct calls {
  int n, stop_at;
  long long last_rows;
  char last_path[512];
  netref_db *interrupt; /* call netref_interrupt instead of returning 1 */
};

static int on_progress(void *user, const char *path, long long rows) {
  struct calls *c = user;
  c->n++;
  snprintf(c->last_path, sizeof c->last_path, "%s", path);
  c->last_rows = rows;
  if (c->stop_at && c->n >= c->stop_at) {
    if (c->interrupt) {
      netref_interrupt(c->interrupt);
      return 0;
    }
    return 1;
  }
  return 0;
}

/* 10,000 more people, imported: enough records for several calls. */
static void add_many_people(void **state) {
  const char *csv = in_dir(state, "many.csv");
  FILE *f = fopen(csv, "w");
  fputs("key,name\n", f);
  for (int i = 0; i < 10000; i++)
    fprintf(f, "p%05d,Person %d\n", i, i);
  fclose(f);
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_PEOPLE, csv));
  ASSERT_OK(netref_import_run(DB(state), imp));
  netref_import_free(imp);
  unlink(csv);
}

static void test_progress(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  add_many_people(state);
  struct calls c = {0};
  netref_export *exp;
  ASSERT_OK(netref_export_new(NETREF_EXPORT_GRAPHML, &exp));
  ASSERT_OK(netref_export_set_progress(exp, on_progress, &c));
  const char *path = in_dir(state, "many.graphml");
  ASSERT_OK(netref_export_run(db, exp, path));
  /* Every 4,096 records (10,016 in all: 2 calls), then once at the end. */
  assert_int_equal(c.n, 3);
  assert_string_equal(c.last_path, path);
  assert_int_equal(c.last_rows, PEOPLE + 10000 + TIES);
  /* A callback set to NULL is not called. */
  ASSERT_OK(netref_export_set_progress(exp, NULL, NULL));
  c.n = 0;
  ASSERT_OK(netref_export_run(db, exp, path));
  assert_int_equal(c.n, 0);
  netref_export_free(exp);

  /* The directory formats end with one call per file. */
  ASSERT_OK(netref_export_new(NETREF_EXPORT_CSV, &exp));
  ASSERT_OK(netref_export_set_progress(exp, on_progress, &c));
  const char *dir = in_dir(state, "many");
  ASSERT_OK(netref_export_run(db, exp, dir));
  char last[512];
  snprintf(last, sizeof last, "%s/groups.csv", dir);
  assert_string_equal(c.last_path, last);
  assert_int_equal(c.last_rows, 3); /* two members, the empty group */
  assert_int_equal(c.n, 2 + 6);
  netref_export_free(exp);
}

static void test_cancel_keeps_the_old_file(void **state) {
  netref_db *db = DB(state);
  build_network(db);
  add_many_people(state);
  const char *path = in_dir(state, "old.json");
  FILE *f = fopen(path, "w");
  fputs("old", f);
  fclose(f);
  const char *dir = ((struct fx *)*state)->t.dir;
  char *before = listing(dir);
  for (int how = 0; how < 2; how++) {
    struct calls c = {.stop_at = 1, .interrupt = how ? db : NULL};
    netref_export *exp;
    ASSERT_OK(netref_export_new(NETREF_EXPORT_JSON, &exp));
    ASSERT_OK(netref_export_set_progress(exp, on_progress, &c));
    assert_int_equal(netref_export_run(db, exp, path), NETREF_ECANCELED);
    expect_in(netref_errmsg(db), "export canceled; nothing was written");
    assert_int_equal(netref_export_files(exp), 0);
    netref_export_free(exp);
    char *text = slurp(path);
    assert_string_equal(text, "old");
    free(text);
    char *after = listing(dir);
    assert_string_equal(after, before);
    free(after);
  }
  /* A request made between runs never stops a later one. */
  netref_interrupt(db);
  ASSERT_OK(run_export(db, NETREF_EXPORT_JSON, NULL, 0, path, NULL));
  free(before);
}

/* A read-only handle exports: an export reads the network only. */
static void test_readonly_handle(void **state) {
  build_network(DB(state));
  netref_db *ro = NULL;
  ASSERT_OK(netref_open_with(((struct fx *)*state)->t.path,
                             NETREF_OPEN_READONLY, &ro));
  netref_export *exp;
  ASSERT_OK(
      run_export(ro, NETREF_EXPORT_NEO4J, "me", 1, in_dir(state, "ro"), &exp));
  assert_int_equal(netref_export_count(exp, NETREF_CSV_PEOPLE), 4);
  netref_export_free(exp);
  netref_close(ro);
}

/* An empty network: every format still writes well-formed files. */
static void test_empty_network(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(run_export(db, NETREF_EXPORT_JSON, NULL, 0, in_dir(state, "e.json"),
                       NULL));
  char *x = slurp(in_dir(state, "e.json"));
  assert_string_equal(x, "{\"directed\": false, \"multigraph\": false,\n"
                         " \"graph\": {\"netref\": \"" NETREF_VERSION "\"},\n"
                         " \"nodes\": [],\n \"links\": []}\n");
  free(x);
  ASSERT_OK(
      run_export(db, NETREF_EXPORT_CSV, NULL, 0, in_dir(state, "e"), NULL));
  x = slurp(in_dir(state, "e/people.csv"));
  assert_string_equal(x, "key,name\n");
  free(x);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_graphml, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gexf, setup, teardown),
      cmocka_unit_test_setup_teardown(test_json, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dot, setup, teardown),
      cmocka_unit_test_setup_teardown(test_csv_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_csv_into_existing_directory, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_neo4j, setup, teardown),
      cmocka_unit_test_setup_teardown(test_khop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_khop_sees_changes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unwritable_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cancel_keeps_the_old_file, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_readonly_handle, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_network, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
