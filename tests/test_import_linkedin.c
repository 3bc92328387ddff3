/*
 * Unit tests of the LinkedIn import (NETREF_IMPORT_LINKEDIN), through the
 * public API, into a database file in a fresh directory: the quirks of
 * real exports, keys and how they are made unique, the owner, re-import
 * of a newer export (never weakening an edited tie), matching people by
 * e-mail and profile URL, FILE:LINE errors, all or nothing, progress and
 * cancellation. netref.h, "Importing contacts", is the contract.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "contacts_support.h"

#define HEADER                                                                 \
  "First Name,Last Name,URL,Email Address,Company,Position,"                   \
  "Connected On\r\n"
#define NOTES                                                                  \
  "Notes:\r\n"                                                                 \
  "\"When exporting your connection data, you may notice that some of "        \
  "the email addresses are missing.\r\n"                                       \
  "You will only see email addresses for connections who have allowed "        \
  "their connections to see or download their email address, see "             \
  "https://www.linkedin.com/psettings/privacy/email\"\r\n"                     \
  "\r\n"

static int linkedin(void **state, const char *text, const char *owner,
                    struct counts *c) {
  return import_kind(DB(state), NETREF_IMPORT_LINKEDIN,
                     put(state, "Connections.csv", text), owner, c);
}

/* Every quirk of a real export in one file. */
static void test_quirks(void **state) {
  netref_db *db = DB(state);
  struct counts c;
  ASSERT_OK(
      linkedin(state,
               "\xEF\xBB\xBF" NOTES HEADER
               "Zoë,Laurent 🎉,https://www.linkedin.com/in/Zoe-Laurent-4b1a,"
               ",\"Confetti & Co., Ltd\",\"Founder, \"\"chief\"\" "
               "planner\",12 Mar 2024\r\n"
               "Björn,Lindqvist,https://www.linkedin.com/in/bj%C3%B6rn-l,"
               "bjorn@tidewater.example,Tidewater Games,Founder,"
               "01 Feb 2023\r\n"
               "Siobhán,O'Kelly,,,,,3 Sept 2021\r\n"
               "Mei,Chen,,Mei.Chen@Example.COM,,,\r\n",
               NULL, &c));
  EXPECT_COUNTS(c, 4, 4, 0, 0);
  /* key from the profile URL's name, in lower case */
  ATTR_EQUAL(db, "zoe-laurent-4b1a", "name", "Zoë Laurent 🎉");
  ATTR_EQUAL(db, "zoe-laurent-4b1a", "company", "Confetti & Co., Ltd");
  ATTR_EQUAL(db, "zoe-laurent-4b1a", "position", "Founder, \"chief\" planner");
  ATTR_EQUAL(db, "zoe-laurent-4b1a", "url",
             "https://www.linkedin.com/in/Zoe-Laurent-4b1a");
  ATTR_EQUAL(db, "zoe-laurent-4b1a", "email", NULL); /* empty cell */
  /* percent-decoded */
  ATTR_EQUAL(db, "björn-l", "email", "bjorn@tidewater.example");
  /* no URL, no e-mail: the name made into a key */
  ATTR_EQUAL(db, "siobhán-okelly", "name", "Siobhán O'Kelly");
  assert_int_equal(attr_count(db, "siobhán-okelly"), 0);
  /* no URL: the e-mail in lower case; the attribute as given */
  ATTR_EQUAL(db, "mei.chen@example.com", "email", "Mei.Chen@Example.COM");
  /* the owner, created, tied to each with the context LinkedIn */
  ATTR_EQUAL(db, "me", "name", "me");
  TIE_EQUAL(db, "me", "zoe-laurent-4b1a", "context", "LinkedIn");
  TIE_EQUAL(db, "me", "zoe-laurent-4b1a", "last_contact", "2024-03-12");
  TIE_EQUAL(db, "me", "zoe-laurent-4b1a", "strength", "0.5");
  TIE_EQUAL(db, "me", "björn-l", "last_contact", "2023-02-01");
  TIE_EQUAL(db, "me", "siobhán-okelly", "last_contact", "2021-09-03");
  TIE_EQUAL(db, "me", "mei.chen@example.com", "last_contact", NULL);
  assert_int_equal(person_count(db), 5);
}

/* However many notes come first, quoted or not, spanning lines or not,
 * and with or without the byte order mark and CRLF. */
static void test_preamble_varies(void **state) {
  static const char *const files[] = {
      HEADER "Ana,Lima,,,,,\r\n",
      "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
      "Ana,Lima,,,,,\n",
      "Notes:\n\"one\"\n\"two, with a comma\"\n\"three\nspanning\n\nlines\"\n"
      "\n\n" HEADER "Ana,Lima,,,,,\r\n",
      "\xEF\xBB\xBFNotes:\r\nplain words without quotes\r\n" HEADER
      "Ana,Lima,,,,,\r\n",
  };
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    netref_db *db = NULL;
    ASSERT_OK(netref_open(":memory:", &db));
    struct counts c;
    int rc = import_kind(db, NETREF_IMPORT_LINKEDIN,
                         put(state, "c.csv", files[i]), NULL, &c);
    if (rc != NETREF_OK)
      fail_msg("file %zu: %s", i, netref_errmsg(db));
    assert_int_equal(c.rows, 1);
    ATTR_EQUAL(db, "ana-lima", "name", "Ana Lima");
    netref_close(db);
  }
}

/* Columns in another order, in another case, one missing, one extra. */
static void test_columns_by_name(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(linkedin(state,
                     "connected on,LAST NAME,First Name,Company,Headline\n"
                     "5 Jan 2022,Okafor,Dana,Okafor Architects,Principal\n",
                     NULL, NULL));
  ATTR_EQUAL(db, "dana-okafor", "company", "Okafor Architects");
  assert_int_equal(attr_count(db, "dana-okafor"), 1);
  TIE_EQUAL(db, "me", "dana-okafor", "last_contact", "2022-01-05");
}

/* Keys are made unique with -2, -3, ...; a taken key is never reused,
 * whoever holds it. */
static void test_unique_keys(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(netref_person_add(db, "jane-doe", "Jane Doe (a neighbour)"));
  ASSERT_OK(netref_person_set_attr(db, "jane-doe", "email", "jd@home"));
  ASSERT_OK(netref_person_add(db, "tom-berg", "Tom"));
  ASSERT_OK(netref_person_set_attr(db, "tom-berg", "url", "https://x.org"));
  struct counts c;
  ASSERT_OK(linkedin(state,
                     HEADER
                     "John,Smith,,,Acme,,\n"
                     "John,Smith,,,Bolt,,\n"
                     "John,Smith,,,Cog,,\n"
                     "Jane,Doe,https://www.linkedin.com/in/jane-doe,,,,\n"
                     "Jane,Doe,https://www.linkedin.com/in/jane-doe-xyz,,,,\n"
                     "Tom,Berg,,,,,\n"
                     "🎉,,,,,,\n",
                     NULL, &c));
  EXPECT_COUNTS(c, 7, 6, 1, 0);
  ATTR_EQUAL(db, "john-smith", "company", "Acme");
  ATTR_EQUAL(db, "john-smith-2", "company", "Bolt");
  ATTR_EQUAL(db, "john-smith-3", "company", "Cog");
  /* the neighbour keeps her key, the profile gets the next one */
  ATTR_EQUAL(db, "jane-doe", "name", "Jane Doe (a neighbour)");
  ATTR_EQUAL(db, "jane-doe-2", "url", "https://www.linkedin.com/in/jane-doe");
  ATTR_EQUAL(db, "jane-doe-xyz", "name", "Jane Doe");
  /* a name-only row: the person of that key, whatever they hold */
  ATTR_EQUAL(db, "tom-berg", "name", "Tom");
  assert_false(has_person(db, "tom-berg-2"));
  /* a name that gives no key */
  ATTR_EQUAL(db, "person", "name", "🎉");

  /* again: the same people, matched, nothing new */
  ASSERT_OK(linkedin(state,
                     HEADER
                     "John,Smith,,,Acme,,\n"
                     "John,Smith,,,Bolt,,\n"
                     "John,Smith,,,Cog,,\n"
                     "Jane,Doe,https://www.linkedin.com/in/jane-doe,,,,\n"
                     "Jane,Doe,https://www.linkedin.com/in/jane-doe-xyz,,,,\n"
                     "Tom,Berg,,,,,\n"
                     "🎉,,,,,,\n",
                     NULL, &c));
  EXPECT_COUNTS(c, 7, 0, 0, 7);
  assert_int_equal(person_count(db), 9);
}

/* A name-only row matches the person of that key (someone added by
 * hand, or by an earlier import and given an e-mail since), never the
 * owner. */
static void test_match_by_name(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(netref_person_add(db, "ravi-shah", "Ravi"));
  ASSERT_OK(netref_person_add(db, "me", "Jordan Lee"));
  struct counts c;
  ASSERT_OK(
      linkedin(state, HEADER "Ravi,Shah,,,Brightside,,\nMe,,,,,,\n", NULL, &c));
  EXPECT_COUNTS(c, 2, 1, 1, 0);
  ATTR_EQUAL(db, "ravi-shah", "name", "Ravi"); /* a name is kept */
  ATTR_EQUAL(db, "ravi-shah", "company", "Brightside");
  ATTR_EQUAL(db, "me-2", "name", "Me");
  ATTR_EQUAL(db, "me", "name", "Jordan Lee");
  TIE_EQUAL(db, "me", "me-2", "context", "LinkedIn");
  /* an e-mail added since does not make them someone else */
  ASSERT_OK(netref_person_set_attr(db, "me-2", "email", "me2@x.example"));
  ASSERT_OK(
      linkedin(state, HEADER "Ravi,Shah,,,Brightside,,\nMe,,,,,,\n", NULL, &c));
  EXPECT_COUNTS(c, 2, 0, 0, 2);
}

/* Matching by e-mail (ASCII case ignored) and by profile URL (scheme,
 * host, case and a trailing slash ignored) before any key is made. */
static void test_match_by_email_and_url(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(netref_person_add(db, "nadia", "Nadia Rahman"));
  ASSERT_OK(
      netref_person_set_attr(db, "nadia", "email", "Nadia@TheLoom.example"));
  ASSERT_OK(netref_person_add(db, "marcus", "Marcus Webb"));
  ASSERT_OK(netref_person_set_attr(db, "marcus", "url2",
                                   "http://uk.linkedin.com/in/MarcusWebb/"));
  struct counts c;
  ASSERT_OK(linkedin(state,
                     HEADER
                     "Nadia,R.,,nadia@theloom.example,The Loom,Manager,"
                     "2 Feb 2022\n"
                     "Marcus,W.,https://www.linkedin.com/in/marcuswebb?trk=x,"
                     "marcus@harbourside.example,Harbourside,Broker,\n",
                     "me", &c));
  EXPECT_COUNTS(c, 2, 0, 2, 0);
  assert_int_equal(person_count(db), 3);
  ATTR_EQUAL(db, "nadia", "name", "Nadia Rahman");
  ATTR_EQUAL(db, "nadia", "email", "Nadia@TheLoom.example"); /* held */
  ATTR_EQUAL(db, "nadia", "email2", NULL);
  ATTR_EQUAL(db, "nadia", "company", "The Loom");
  ATTR_EQUAL(db, "marcus", "url", NULL); /* held as url2 */
  ATTR_EQUAL(db, "marcus", "email", "marcus@harbourside.example");
  TIE_EQUAL(db, "me", "nadia", "last_contact", "2022-02-02");
  TIE_EQUAL(db, "me", "marcus", "context", "LinkedIn");
}

/* The owner: given, existing or created; a bad key fails the import. */
static void test_owner(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(netref_person_add(db, "jordan", "Jordan Lee"));
  ASSERT_OK(linkedin(state, HEADER "Ana,Lima,,,,,\n", "jordan", NULL));
  TIE_EQUAL(db, "jordan", "ana-lima", "context", "LinkedIn");
  assert_false(has_person(db, "me"));
  ASSERT_OK(linkedin(state, HEADER "Ana,Lima,,,,,\n", "Jordan Lee", NULL));
  ATTR_EQUAL(db, "Jordan Lee", "name", "Jordan Lee");
  TIE_EQUAL(db, "Jordan Lee", "ana-lima", "context", "LinkedIn");

  char *before = dump_all(db, NULL, NULL);
  assert_int_equal(linkedin(state, HEADER "Bo,Li,,,,,\n", " me", NULL),
                   NETREF_EINVAL);
  assert_non_null(strstr(netref_errmsg(db), "owner key"));
  char *after = dump_all(db, NULL, NULL);
  assert_string_equal(before, after);
  free(before);
  free(after);
}

/* A newer export: new people added, attributes updated, the ties the
 * user edited never weakened, moved back or given another context. */
static void test_reimport_newer_export(void **state) {
  netref_db *db = DB(state);
  struct counts c;
  ASSERT_OK(linkedin(state,
                     HEADER
                     "Ana,Lima,https://www.linkedin.com/in/ana-lima,,Acme,"
                     "Designer,12 Mar 2024\n"
                     "Ben,Okafor,https://www.linkedin.com/in/ben-o,,Bolt,"
                     "Engineer,1 Jan 2020\n"
                     "Cy,Park,https://www.linkedin.com/in/cy-park,,Cog,Chef,"
                     "5 May 2019\n"
                     "Dee,Moss,https://www.linkedin.com/in/dee-moss,,Dot,"
                     "Driver,\n",
                     NULL, &c));
  EXPECT_COUNTS(c, 4, 4, 0, 0);
  /* the user's edits since */
  ASSERT_OK(t_tie_set(db, "me", "ana-lima", 0.9, "2025-06-01",
                      "worked together on the Loom fit-out"));
  ASSERT_OK(t_tie_set(db, "me", "ben-o", 0.2, NULL, NULL));
  ASSERT_OK(
      t_contact_log(db, "me", "cy-park", "2024-01-10", "call", NULL, NULL));
  ASSERT_OK(netref_person_set_name(db, "cy-park", "Cy (chef)"));
  ASSERT_OK(netref_person_set_attr(db, "cy-park", "city", "Bath"));

  ASSERT_OK(linkedin(state,
                     NOTES HEADER
                     "Ana,Lima,https://www.linkedin.com/in/ana-lima,,Acme,"
                     "Designer,12 Mar 2024\n"
                     "Ben,Okafor,https://www.linkedin.com/in/ben-o,"
                     "ben@bolt.example,Bolt,Lead engineer,1 Jan 2020\n"
                     "Cy,Park,https://www.linkedin.com/in/cy-park,,,Chef,"
                     "5 May 2019\n"
                     "Dee,Moss,https://www.linkedin.com/in/dee-moss,,Dot,"
                     "Driver,3 Mar 2021\n"
                     "Eve,Stone,https://www.linkedin.com/in/eve-s,,Elm,Editor,"
                     "9 Sep 2025\n",
                     NULL, &c));
  /* Ana, Cy unchanged; Ben (e-mail, position), Dee (a first date)
   * updated; Eve new */
  EXPECT_COUNTS(c, 5, 1, 2, 2);
  TIE_EQUAL(db, "me", "ana-lima", "strength", "0.9");
  TIE_EQUAL(db, "me", "ana-lima", "last_contact", "2025-06-01");
  TIE_EQUAL(db, "me", "ana-lima", "context",
            "worked together on the Loom fit-out");
  TIE_EQUAL(db, "me", "ben-o", "strength", "0.2");
  ATTR_EQUAL(db, "ben-o", "position", "Lead engineer");
  ATTR_EQUAL(db, "ben-o", "email", "ben@bolt.example");
  TIE_EQUAL(db, "me", "cy-park", "last_contact", "2024-01-10");
  ATTR_EQUAL(db, "cy-park", "name", "Cy (chef)");
  ATTR_EQUAL(db, "cy-park", "company",
             "Cog"); /* an empty cell removes nothing */
  ATTR_EQUAL(db, "cy-park", "city", "Bath");
  TIE_EQUAL(db, "me", "dee-moss", "last_contact", "2021-03-03");
  TIE_EQUAL(db, "me", "eve-s", "context", "LinkedIn");

  /* A tie the user removed is made again: the export lists the person. */
  ASSERT_OK(netref_tie_remove(db, "me", "eve-s"));
  ASSERT_OK(linkedin(state,
                     HEADER
                     "Eve,Stone,https://www.linkedin.com/in/eve-s,,Elm,Editor,"
                     "9 Sep 2025\n",
                     NULL, &c));
  EXPECT_COUNTS(c, 1, 0, 1, 0);
  TIE_EQUAL(db, "me", "eve-s", "last_contact", "2025-09-09");
}

/* Two rows of one person (the same URL) make one person. */
static void test_same_person_twice(void **state) {
  netref_db *db = DB(state);
  struct counts c;
  ASSERT_OK(linkedin(state,
                     HEADER
                     "Ana,Lima,https://www.linkedin.com/in/ana,,Acme,,1 Jan "
                     "2020\n"
                     "Ana,Lima,https://linkedin.com/in/ana/,,Bolt,,1 Jan "
                     "2021\n",
                     NULL, &c));
  EXPECT_COUNTS(c, 2, 1, 1, 0);
  assert_int_equal(person_count(db), 2);
  ATTR_EQUAL(db, "ana", "company", "Bolt");
  TIE_EQUAL(db, "me", "ana", "last_contact", "2021-01-01");
}

/* A URL that names nothing ("https://", "/") is no identity: the row is
 * matched by name, so importing it twice makes one person. A "://" in
 * the middle of a URL is not its scheme. */
static void test_url_naming_nothing(void **state) {
  netref_db *db = DB(state);
  const char *text = HEADER "Ana,Lima,https://,,,,\r\nBo,Li,/,,,,\r\n"
                            "Cy,Park,example.org/x:///,,,,\r\n";
  struct counts c;
  ASSERT_OK(linkedin(state, text, NULL, &c));
  EXPECT_COUNTS(c, 3, 3, 0, 0);
  ATTR_EQUAL(db, "ana-lima", "url", NULL);
  ATTR_EQUAL(db, "bo-li", "url", NULL);
  ATTR_EQUAL(db, "cy-park", "url", "example.org/x:///");
  ASSERT_OK(linkedin(state, text, NULL, &c));
  EXPECT_COUNTS(c, 3, 0, 0, 3);
  assert_int_equal(person_count(db), 4);
}

/* One bad row: NETREF_EPARSE naming the file and the line where the bad
 * record starts (notes spanning lines counted), nothing imported. */
static void test_errors_name_file_and_line(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(t_offer_set(db, "ana", "design", NULL));
  static const struct bad_file cases[] = {
      {NOTES HEADER "Ana,Lima,,,,,12 Mar 2024\nBo,Li,,,,,31 Feb 2024\n", 7,
       "bad date '31 Feb 2024' for Connected On"},
      {NOTES HEADER "Ana,Lima,,,,,12 Mar 2024\nBo,Li,,,,,2024/03/12\n", 7,
       "bad date"},
      {HEADER "Ana,Lima,,,,,\nBo,Li,,,\n", 3, "expected 7 fields, found 5"},
      {HEADER "Ana,Lima,,,,,\n,,,,,,\n", 3, "names nobody"},
      {HEADER "Ana,\"Li\"ma,,,,,\n", 2, "malformed CSV quoting"},
      {HEADER "Ana,Lima,,,\"Acme,,\n", 2, "unterminated quoted field"},
      {HEADER "Ana,Li\xff,,,,,\n", 2, "field 2 is not valid UTF-8"},
      {"key,name\nana,Ana\n", 2, "no header row 'First Name,Last Name"},
      {"", 1, "no header row"},
      {"First Name,First Name,Last Name\n", 1, "appears twice"},
      {"First Name,Surname\nAna,Lima\n", 1, "lacks column 'Last Name'"},
  };
  expect_refused_files(state, NETREF_IMPORT_LINKEDIN, "bad.csv", cases,
                       sizeof cases / sizeof *cases);
  /* a file that is not there */
  assert_int_equal(
      import_kind(db, NETREF_IMPORT_LINKEDIN, "/nonexistent/c.csv", NULL, NULL),
      NETREF_EIO);
  assert_non_null(strstr(netref_errmsg(db), "/nonexistent/c.csv"));
}

/* Every bad row is reported, in line order, and the rows after a bad
 * one are still read; a problem that stops the import comes last. */
static void test_every_bad_row(void **state) {
  netref_db *db = DB(state);
  const char *path = put(state, "bad.csv",
                         NOTES HEADER "Ana,Lima,,,,,12 Mar 2024\r\n"
                                      "Bo,Li,,,,,31 Feb 2024\r\n"
                                      ",,,,,,\r\n"
                                      "Cy,Park,,,,\r\n"
                                      "Dee,M\xff,,,,,\r\n"
                                      "Eve,Stone,,,,,1 Jan 2020\r\n");
  assert_int_equal(import_kind(db, NETREF_IMPORT_LINKEDIN, path, NULL, NULL),
                   NETREF_EPARSE);
  char want[2048];
  snprintf(want, sizeof want,
           "%s:7: bad date '31 Feb 2024' for Connected On (expected a date "
           "such as 12 Mar 2024)\n"
           "%s:8: the row names nobody (no name, URL or e-mail address)\n"
           "%s:9: expected 7 fields, found 6\n"
           "%s:10: field 2 is not valid UTF-8",
           path, path, path, path);
  assert_string_equal(netref_errmsg(db), want);
  assert_int_equal(person_count(db), 0);
  /* then broken quoting stops it: its line comes last */
  path = put(state, "bad2.csv",
             HEADER "Bo,Li,,,,,31 Feb 2024\r\nAna,\"Li\"ma,,,,,\r\n"
                    "Cy,Park,,,,,\r\n");
  assert_int_equal(import_kind(db, NETREF_IMPORT_LINKEDIN, path, NULL, NULL),
                   NETREF_EPARSE);
  snprintf(want, sizeof want,
           "%s:2: bad date '31 Feb 2024' for Connected On (expected a date "
           "such as 12 Mar 2024)\n%s:3: malformed CSV quoting",
           path, path);
  assert_true(strncmp(netref_errmsg(db), want, strlen(want)) == 0);
}

/* CSV files and a LinkedIn file in one job: one transaction. */
static void test_one_transaction_with_csv(void **state) {
  netref_db *db = DB(state);
  const char *people = put(state, "people.csv", "key,name\nzed,Zed\n");
  const char *good = put(state, "good.csv", HEADER "Ana,Lima,,,,,\n");
  const char *bad = put(state, "bad.csv", HEADER "Ana,Lima,,,,,x\n");
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  ASSERT_OK(netref_import_set_file(imp, NETREF_CSV_PEOPLE, people));
  ASSERT_OK(netref_import_set_file(imp, NETREF_IMPORT_LINKEDIN, bad));
  assert_int_equal(netref_import_run(db, imp), NETREF_EPARSE);
  assert_int_equal(netref_import_count(imp, NETREF_CSV_PEOPLE), 0);
  assert_int_equal(person_count(db), 0);
  ASSERT_OK(netref_import_set_file(imp, NETREF_IMPORT_LINKEDIN, good));
  ASSERT_OK(netref_import_set_owner(imp, "zed"));
  ASSERT_OK(netref_import_run(db, imp));
  assert_int_equal(netref_import_count(imp, NETREF_CSV_PEOPLE), 1);
  assert_int_equal(netref_import_count(imp, NETREF_IMPORT_LINKEDIN), 1);
  assert_int_equal(netref_import_people_count(imp, NETREF_IMPORT_LINKEDIN,
                                              NETREF_PEOPLE_NEW),
                   1);
  TIE_EQUAL(db, "zed", "ana-lima", "context", "LinkedIn");
  netref_import_free(imp);
}

struct progress {
  long long calls, last, stop_at;
  netref_db *interrupt;
  char path[256];
};

static int on_progress(void *user, const char *path, long long rows) {
  struct progress *p = user;
  p->calls++;
  p->last = rows;
  snprintf(p->path, sizeof p->path, "%s", path);
  if (p->interrupt && rows >= p->stop_at)
    netref_interrupt(p->interrupt);
  return !p->interrupt && p->stop_at && rows >= p->stop_at;
}

static char *many_rows(int n) {
  size_t cap = (size_t)n * 64 + 256, len = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  len += (size_t)snprintf(text, cap, NOTES HEADER);
  for (int i = 0; i < n; i++)
    len += (size_t)snprintf(text + len, cap - len,
                            "P%d,Q,https://www.linkedin.com/in/p%d,,Co,,"
                            "1 Jan 2020\n",
                            i, i);
  return text;
}

static void test_progress_and_cancel(void **state) {
  netref_db *db = DB(state);
  char *text = many_rows(10000);
  const char *path = put(state, "big.csv", text);
  free(text);
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  ASSERT_OK(netref_import_set_file(imp, NETREF_IMPORT_LINKEDIN, path));
  struct progress p = {0};
  ASSERT_OK(netref_import_set_progress(imp, on_progress, &p));
  ASSERT_OK(netref_import_run(db, imp));
  assert_int_equal(p.calls, 3); /* 4096, 8192, and the end */
  assert_int_equal(p.last, 10000);
  assert_string_equal(p.path, path);
  assert_int_equal(netref_import_count(imp, NETREF_IMPORT_LINKEDIN), 10000);

  /* canceled by the callback, then by netref_interrupt: nothing changes */
  ASSERT_OK(netref_person_set_attr(db, "p1", "company", "Changed"));
  char *before = dump_all(db, NULL, NULL);
  struct progress stop = {.stop_at = 4096};
  ASSERT_OK(netref_import_set_progress(imp, on_progress, &stop));
  assert_int_equal(netref_import_run(db, imp), NETREF_ECANCELED);
  assert_non_null(strstr(netref_errmsg(db), "canceled"));
  assert_int_equal(netref_import_count(imp, NETREF_IMPORT_LINKEDIN), 0);
  struct progress interrupt = {.stop_at = 4096, .interrupt = db};
  ASSERT_OK(netref_import_set_progress(imp, on_progress, &interrupt));
  assert_int_equal(netref_import_run(db, imp), NETREF_ECANCELED);
  char *after = dump_all(db, NULL, NULL);
  assert_string_equal(before, after);
  free(before);
  free(after);
  netref_import_free(imp);
}

static void test_api(void **state) {
  netref_import *imp = NULL;
  ASSERT_OK(netref_import_new(&imp));
  /* before a run, and for kinds that do not count people */
  assert_int_equal(netref_import_people_count(imp, NETREF_IMPORT_LINKEDIN,
                                              NETREF_PEOPLE_NEW),
                   0);
  assert_int_equal(netref_import_people_count(imp, NETREF_IMPORT_VCARD,
                                              NETREF_PEOPLE_UNCHANGED),
                   0);
  assert_int_equal(
      netref_import_people_count(imp, NETREF_CSV_PEOPLE, NETREF_PEOPLE_NEW),
      -1);
  assert_int_equal(netref_import_people_count(imp, 8, NETREF_PEOPLE_NEW), -1);
  assert_int_equal(netref_import_people_count(imp, NETREF_IMPORT_VCARD, 0), -1);
  assert_int_equal(netref_import_people_count(imp, NETREF_IMPORT_VCARD, 4), -1);
  assert_int_equal(
      netref_import_people_count(NULL, NETREF_IMPORT_VCARD, NETREF_PEOPLE_NEW),
      -1);
  assert_int_equal(netref_import_set_owner(NULL, "me"), NETREF_EINVAL);
  assert_int_equal(netref_import_set_owner(imp, ""), NETREF_EINVAL);
  assert_int_equal(netref_import_set_owner(imp, "\xff"), NETREF_EINVAL);
  assert_true(strlen(netref_errmsg(NULL)) > 0);
  ASSERT_OK(netref_import_set_owner(imp, "ana"));
  ASSERT_OK(netref_import_set_owner(imp, NULL));
  /* the default owner again */
  const char *path = put(state, "c.csv", HEADER "Bo,Li,,,,,\n");
  ASSERT_OK(netref_import_set_file(imp, NETREF_IMPORT_LINKEDIN, path));
  ASSERT_OK(netref_import_run(DB(state), imp));
  TIE_EQUAL(DB(state), "me", "bo-li", "context", "LinkedIn");
  netref_import_free(imp);

  /* read-only */
  netref_db *ro = NULL;
  ASSERT_OK(netref_open_with(((struct tempdir_fixture *)*state)->path,
                             NETREF_OPEN_READONLY, &ro));
  assert_int_equal(import_kind(ro, NETREF_IMPORT_LINKEDIN, path, NULL, NULL),
                   NETREF_EREADONLY);
  netref_close(ro);
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, cfx_setup, cfx_teardown)
      T(test_quirks),
      T(test_preamble_varies),
      T(test_columns_by_name),
      T(test_unique_keys),
      T(test_match_by_name),
      T(test_match_by_email_and_url),
      T(test_owner),
      T(test_reimport_newer_export),
      T(test_same_person_twice),
      T(test_url_naming_nothing),
      T(test_errors_name_file_and_line),
      T(test_every_bad_row),
      T(test_one_transaction_with_csv),
      T(test_progress_and_cancel),
      T(test_api),
#undef T
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
