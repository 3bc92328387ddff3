/*
 * Unit tests of the vCard import (NETREF_IMPORT_VCARD) through the public
 * API: versions 2.1, 3.0 and 4.0 as phones and mail programs write them
 * (folding, escapes, QUOTED-PRINTABLE with CHARSET, several cards,
 * several e-mails and phones, binary properties skipped), keys from UID,
 * e-mail or name, CATEGORIES as groups, one person found through
 * LinkedIn and vCard, FILE:LINE errors and all or nothing. A few tests of
 * the reader's value splitting reach lib/vcard.h directly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "contacts_support.h"
#include "vcard.h"

static int vcard(void **state, const char *text, struct counts *c) {
  return import_kind(DB(state), NETREF_IMPORT_VCARD,
                     put(state, "contacts.vcf", text), NULL, c);
}

/* A phone's 2.1 export: QUOTED-PRINTABLE with soft breaks in two
 * charsets, bare parameters, a PHOTO whose base64 lines are not indented
 * and end with an empty line, several phones. */
static void test_version_21(void **state) {
  netref_db *db = DB(state);
  struct counts c;
  ASSERT_OK(
      vcard(state,
            "BEGIN:VCARD\r\n"
            "VERSION:2.1\r\n"
            "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;"
            "J=FCrgen;;;\r\n"
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen "
            "M=C3=BCller, B=C3=A4cker=\r\n"
            "meister\r\n"
            "TEL;CELL;PREF:+44 7700 900123\r\n"
            "TEL;HOME:0117 496 0000\r\n"
            "TEL;WORK:+44 7700-900123\r\n"
            "EMAIL;INTERNET:juergen@example.org\r\n"
            "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n"
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
            "  BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB==\r\n"
            "\r\n"
            "NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0Asecond "
            "line\r\n"
            "ORG;CHARSET=WINDOWS-1252;ENCODING=QUOTED-PRINTABLE:"
            "B=E4ckerei =80 Caf=E9\r\n"
            "END:VCARD\r\n",
            &c));
  EXPECT_COUNTS(c, 1, 1, 0, 0);
  const char *k = "juergen@example.org";
  ATTR_EQUAL(db, k, "name", "Jürgen Müller, Bäckermeister");
  ATTR_EQUAL(db, k, "phone", "+44 7700 900123");
  ATTR_EQUAL(db, k, "phone2", "0117 496 0000");
  ATTR_EQUAL(db, k, "phone3", NULL); /* the first number, written otherwise */
  ATTR_EQUAL(db, k, "note", "first line\nsecond line");
  ATTR_EQUAL(db, k, "company", "Bäckerei € Café");
  ATTR_EQUAL(db, k, "email", k);
  TIE_EQUAL(db, "me", k, "context", "vCard");
  TIE_EQUAL(db, "me", k, "last_contact", NULL);
}

/* 3.0 as mail programs write it: folding, escapes, grouped properties,
 * TYPE lists, several e-mails, CATEGORIES, a folded base64 PHOTO. */
static void test_version_30(void **state) {
  netref_db *db = DB(state);
  struct counts c;
  ASSERT_OK(vcard(state,
                  "BEGIN:VCARD\n"
                  "VERSION:3.0\n"
                  "PRODID:-//Apple Inc.//iPhone OS 17.0//EN\n"
                  "N:O'Brien;Anne-Marie;;Dr.;\n"
                  "FN:Dr. Anne-Marie O'Brien\\, PhD\n"
                  "ORG:Brien\\; Sons;Sales\\, North\n"
                  "TITLE:Head of\\nSales\n"
                  "EMAIL;type=INTERNET;type=WORK;type=pref:amob@brien.example\n"
                  "EMAIL;TYPE=\"INTERNET,HOME\":anne@home.example\n"
                  "item1.URL;type=pref:https://www.linkedin.com/in/amob\n"
                  "item1.X-ABLabel:_$!<HomePage>!$_\n"
                  "NOTE:Met at the Nov evening\\; knows every caterer in\n"
                  "  Bristol\\\\Bath\n"
                  "CATEGORIES:Friends,Bristol Bookkeepers\\, and Friends\n"
                  "CATEGORIES:Clients\n"
                  "ADR;TYPE=WORK:;;1 High St;Bristol;;BS1 4DJ;UK\n"
                  "ADR;TYPE=HOME:;;2 Low Rd;Bath;;BA1;UK\n"
                  "UID:8E1E4F2C-1B2A-4C3D-9E8F-0A1B2C3D4E5F\n"
                  "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQ\n"
                  " AAAAAAAAAAAAAAAAAAAAAAAA:AAAA\n"
                  " BBBB\n"
                  "X-SOCIALPROFILE;type=twitter:https://x.com/amob\n"
                  "END:VCARD\n",
                  &c));
  EXPECT_COUNTS(c, 1, 1, 0, 0);
  const char *k = "8E1E4F2C-1B2A-4C3D-9E8F-0A1B2C3D4E5F";
  ATTR_EQUAL(db, k, "name", "Dr. Anne-Marie O'Brien, PhD");
  ATTR_EQUAL(db, k, "company", "Brien; Sons");
  ATTR_EQUAL(db, k, "department", "Sales, North");
  ATTR_EQUAL(db, k, "position", "Head of\nSales");
  ATTR_EQUAL(db, k, "email", "amob@brien.example");
  ATTR_EQUAL(db, k, "email2", "anne@home.example");
  ATTR_EQUAL(db, k, "url", "https://www.linkedin.com/in/amob");
  ATTR_EQUAL(db, k, "url2", NULL);
  ATTR_EQUAL(db, k, "note",
             "Met at the Nov evening; knows every caterer in Bristol\\Bath");
  ATTR_EQUAL(db, k, "city", "Bristol");
  ATTR_EQUAL(db, k, "uid", k);
  assert_true(is_member(db, "Friends", k));
  assert_true(is_member(db, "Bristol Bookkeepers, and Friends", k));
  assert_true(is_member(db, "Clients", k));
}

/* 4.0: data: URIs for PHOTO, tel: and mailto: values, a UID URN, N
 * without FN. */
static void test_version_40(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(
      vcard(state,
            "BEGIN:VCARD\r\n"
            "VERSION:4.0\r\n"
            "N:Mensah;Kofi;Kwame;;\r\n"
            "TEL;VALUE=uri;TYPE=\"voice,cell\":tel:+44-7700-900456\r\n"
            "EMAIL;PREF=1:mailto:kofi@kitchen.example\r\n"
            "UID:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\r\n"
            "PHOTO:data:image/jpeg;base64,MIICajCCAdOgAwIBAgICBEUwDQYJKo\r\n"
            " ZIhvcNAQEEBQAwdzELMAkGA1UEBhMCVVMxLDAqBgNVBAoTI05ldHNjYXBl\r\n"
            "LOGO;ENCODING=b:AAAA\r\n"
            "AAAAAAA\r\n"
            "\r\n"
            "END:VCARD\r\n",
            NULL));
  const char *k = "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6";
  ATTR_EQUAL(db, k, "name", "Kofi Kwame Mensah");
  ATTR_EQUAL(db, k, "phone", "+44-7700-900456");
  ATTR_EQUAL(db, k, "email", "kofi@kitchen.example");
}

/* Several cards; keys from UID, else the first e-mail, else the name;
 * importing again changes nothing. */
static void test_keys_and_reimport(void **state) {
  netref_db *db = DB(state);
  const char *text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nUID:ana-1\n"
                     "EMAIL:ana@x.example\nEND:VCARD\n"
                     "\n"
                     "begin:vcard\nversion:3.0\nfn:Ben Okafor\n"
                     "email:Ben@Bolt.example\nemail:ben@home.example\n"
                     "end:vcard\n"
                     "BEGIN:VCARD\nVERSION:3.0\nFN:Cy Park\nTEL:123\n"
                     "CATEGORIES:Neighbours\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:3.0\nORG:Brooks & Sons\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:3.0\nTEL:+44 117 496 0999\n"
                     "END:VCARD\n";
  struct counts c;
  ASSERT_OK(vcard(state, text, &c));
  EXPECT_COUNTS(c, 5, 5, 0, 0);
  ATTR_EQUAL(db, "ana-1", "name", "Ana Lima");
  ATTR_EQUAL(db, "ben@bolt.example", "email2", "ben@home.example");
  ATTR_EQUAL(db, "cy-park", "phone", "123");
  ATTR_EQUAL(db, "brooks-sons", "company", "Brooks & Sons");
  ATTR_EQUAL(db, "44-117-496-0999", "name", "+44 117 496 0999");
  assert_true(is_member(db, "Neighbours", "cy-park"));
  char *before = dump_all(db, NULL, NULL);
  ASSERT_OK(vcard(state, text, &c));
  EXPECT_COUNTS(c, 5, 0, 0, 5);
  char *after = dump_all(db, NULL, NULL);
  assert_string_equal(before, after);
  free(before);
  free(after);
  /* a changed card: a new category and e-mail, the same UID */
  ASSERT_OK(vcard(state,
                  "BEGIN:VCARD\nVERSION:3.0\nFN:Ana L.\nUID:ana-1\n"
                  "EMAIL:ana@new.example\nCATEGORIES:Clients\nEND:VCARD\n",
                  &c));
  EXPECT_COUNTS(c, 1, 0, 1, 0);
  ATTR_EQUAL(db, "ana-1", "name", "Ana Lima");
  ATTR_EQUAL(db, "ana-1", "email2", "ana@new.example");
  assert_true(is_member(db, "Clients", "ana-1"));
}

/* One person, one key: found through LinkedIn by e-mail and by profile
 * URL, then through vCard. */
static void test_same_person_in_linkedin_and_vcard(void **state) {
  netref_db *db = DB(state);
  const char *li = put(state, "Connections.csv",
                       "First Name,Last Name,URL,Email Address,Company,"
                       "Position,Connected On\n"
                       "Nadia,Rahman,https://www.linkedin.com/in/nadia-r,"
                       "nadia@theloom.example,The Loom,Manager,2 Feb 2022\n"
                       "Owen,Price,https://www.linkedin.com/in/owen-price,,"
                       "Tidewater Games,Designer,3 Mar 2023\n");
  ASSERT_OK(import_kind(db, NETREF_IMPORT_LINKEDIN, li, NULL, NULL));
  ASSERT_OK(t_tie_set(db, "me", "nadia-r", 0.8, NULL, NULL));
  struct counts c;
  ASSERT_OK(
      vcard(state,
            "BEGIN:VCARD\nVERSION:3.0\nFN:Nadia Rahman\n"
            "EMAIL:NADIA@theloom.example\nTEL:+44 117 000 1111\n"
            "UID:nadia-phone-uid\nCATEGORIES:Co-working\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nFN:Owen\n"
            "X-SOCIALPROFILE;type=linkedin:http://linkedin.com/in/Owen-Price\n"
            "EMAIL:owen@tidewater.example\nEND:VCARD\n",
            &c));
  EXPECT_COUNTS(c, 2, 0, 2, 0);
  assert_int_equal(person_count(db), 3);
  ATTR_EQUAL(db, "nadia-r", "phone", "+44 117 000 1111");
  ATTR_EQUAL(db, "nadia-r", "uid", "nadia-phone-uid");
  ATTR_EQUAL(db, "nadia-r", "email2", NULL);
  assert_true(is_member(db, "Co-working", "nadia-r"));
  TIE_EQUAL(db, "me", "nadia-r", "strength", "0.8");
  TIE_EQUAL(db, "me", "nadia-r", "context", "LinkedIn");
  ATTR_EQUAL(db, "owen-price", "email", "owen@tidewater.example");
  ATTR_EQUAL(db, "owen-price", "name", "Owen Price");
  /* the LinkedIn file again finds both; the vCard again too, by UID */
  ASSERT_OK(import_kind(db, NETREF_IMPORT_LINKEDIN, li, NULL, &c));
  EXPECT_COUNTS(c, 2, 0, 0, 2);
}

/* The owner's own card updates the owner and ties nobody to themself. */
static void test_own_card(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(netref_person_add(db, "me", "Jordan Lee"));
  ASSERT_OK(netref_person_set_attr(db, "me", "email", "jordan@lee.example"));
  struct counts c;
  ASSERT_OK(vcard(state,
                  "BEGIN:VCARD\nVERSION:3.0\nFN:Jordan\n"
                  "EMAIL:jordan@lee.example\nTEL:555\nEND:VCARD\n",
                  &c));
  EXPECT_COUNTS(c, 1, 0, 1, 0);
  ATTR_EQUAL(db, "me", "phone", "555");
  netref_rows *ties = NULL;
  ASSERT_OK(netref_tie_list(db, "me", &ties));
  assert_int_equal(netref_rows_count(ties), 0);
  netref_rows_free(ties);
}

static void test_errors_name_file_and_line(void **state) {
  netref_db *db = DB(state);
  ASSERT_OK(netref_person_add(db, "ana", "Ana"));
  ASSERT_OK(t_offer_set(db, "ana", "design", NULL));
  static const struct bad_file cases[] = {
      {"BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\n"
       "BEGIN:VCARD\nVERSION:3.0\nFN:B\n",
       5, "the card begun here has no END:VCARD"},
      {"BEGIN:VCARD\nVERSION:2.1\nFN:A\nAGENT:\nBEGIN:VCARD\nFN:B\n"
       "END:VCARD\nEND:VCARD\n",
       5, "BEGIN:VCARD inside the card begun on line 1"},
      {"hello\nBEGIN:VCARD\nFN:A\nEND:VCARD\n", 1,
       "expected BEGIN:VCARD, found 'hello'"},
      {"BEGIN:VCALENDAR\nEND:VCALENDAR\n", 1, "BEGIN:VCALENDAR is not a vCard"},
      {"END:VCARD\n", 1, "END outside a card"},
      {"BEGIN:VCARD\nVERSION:3.0\nFN;ENCODING=QUOTED-PRINTABLE:A=ZZ\n"
       "END:VCARD\n",
       3, "bad quoted-printable escape '=ZZ'"},
      {"BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=KOI8-R:A\nEND:VCARD\n", 3,
       "unsupported CHARSET 'KOI8-R'"},
      {"BEGIN:VCARD\nVERSION:3.0\n\nFN:M\xfcller\nEND:VCARD\n", 4,
       "the value of FN is not valid UTF-8"},
      {"BEGIN:VCARD\nVERSION:5.0\nFN:A\nEND:VCARD\n", 2,
       "unsupported vCard version '5.0'"},
      {"BEGIN:VCARD\nVERSION:3.0\nFN:A\nthis is not a property\n"
       "END:VCARD\n",
       4, "not a vCard property"},
      {"BEGIN:VCARD\nVERSION:3.0\nNOTE:no name\nEND:VCARD\n", 1,
       "the card has no name, e-mail, URL or UID"},
      {"", 1, "no vCard in the file"},
      {"\n\n\n", 3, "no vCard in the file"},
      {"BEGIN:VCARD\nVERSION:3.0\nFN:A\nCATEGORIES:ok, \xe2\x80\x8bhidden\n"
       "END:VCARD\n",
       1, "category '\xe2\x80\x8bhidden' cannot be a group"},
      {"BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\n"
       "BEGIN:VCARD\nVERSION:3.0\nFN;ENCODING=QUOTED-PRINTABLE:=00\n"
       "END:VCARD\n",
       7, "NUL byte"},
      {"BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARDS\n", 4, "END:VCARDS"},
  };
  expect_refused_files(state, NETREF_IMPORT_VCARD, "bad.vcf", cases,
                       sizeof cases / sizeof *cases);
  /* a NUL byte in a line */
  const char *path = put_n(
      state, "nul.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:A\0B\nEND:VCARD\n", 41);
  assert_int_equal(import_kind(db, NETREF_IMPORT_VCARD, path, NULL, NULL),
                   NETREF_EPARSE);
  expect_message(db, path, 3, "NUL byte");
}

/* Bad cards are all reported and the cards after them read; a file the
 * reader cannot read on from stops the import, its line last. */
static void test_every_bad_card(void **state) {
  netref_db *db = DB(state);
  const char *path = put(state, "bad.vcf",
                         "BEGIN:VCARD\nVERSION:3.0\nNOTE:x\nEND:VCARD\n"
                         "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n"
                         "BEGIN:VCARD\nVERSION:3.0\nFN:Bo\n"
                         "CATEGORIES:\x1b[2J\nEND:VCARD\n"
                         "BEGIN:VCARD\nVERSION:3.0\nFN:Cy\nEND:VCARD\n"
                         "BEGIN:VCARD\nVERSION:3.0\nFN;CHARSET=KOI8-R:D\n"
                         "END:VCARD\n");
  assert_int_equal(import_kind(db, NETREF_IMPORT_VCARD, path, NULL, NULL),
                   NETREF_EPARSE);
  char want[1024];
  snprintf(want, sizeof want,
           "%s:1: the card has no name, e-mail, URL or UID\n"
           "%s:9: category '\x1b[2J' cannot be a group: the key contains a "
           "control character (U+001B)\n"
           "%s:20: unsupported CHARSET 'KOI8-R' (UTF-8, US-ASCII, "
           "ISO-8859-1 and Windows-1252 are read)",
           path, path, path);
  assert_string_equal(netref_errmsg(db), want);
  assert_int_equal(person_count(db), 0);
}

/* The reader's value splitting, as N, ORG, ADR and CATEGORIES use it. */
static void test_split(void **state) {
  (void)state;
  static const struct {
    const char *value;
    char sep;
    size_t n;
    const char *parts[4];
  } cases[] = {
      {"a;b\\;c;;d", ';', 4, {"a", "b;c", "", "d"}},
      {"one\\,two,three", ',', 2, {"one,two", "three"}},
      {"line\\nnext\\Nlast\\\\", 0, 1, {"line\nnext\nlast\\"}},
      {"trailing\\", ';', 1, {"trailing"}},
      {"", ',', 1, {""}},
      {"a,b", 0, 1, {"a,b"}},
      {"x\\:y", ';', 1, {"x:y"}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char **parts = NULL;
    size_t n = 0;
    assert_int_equal(nr_vcard_split(cases[i].value, cases[i].sep, &parts, &n),
                     NR_VCARD_OK);
    assert_int_equal(n, cases[i].n);
    for (size_t k = 0; k < n; k++)
      assert_string_equal(parts[k], cases[i].parts[k]);
    nr_vcard_free_parts(parts, n);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, cfx_setup, cfx_teardown)
      T(test_version_21),
      T(test_version_30),
      T(test_version_40),
      T(test_keys_and_reimport),
      T(test_same_person_in_linkedin_and_vcard),
      T(test_own_card),
      T(test_errors_name_file_and_line),
      T(test_every_bad_card),
      cmocka_unit_test(test_split),
#undef T
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
