/*
 * netref: the command-line tool of the netref library.
 *
 *   netref COMMAND [SUBCOMMAND] [ARGS] [--db FILE] [options]
 *
 * A thin program on the public API (netref.h), jansson for --json output,
 * and libc. Exit status: 0 success, 1 a failed query or bad data, 2 bad
 * usage (including malformed and out-of-range values). See `netref --help`.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"


/* A macro's value as text, for the help: the ranges and defaults of
 * netref.h are written from its macros, never repeated as numbers. */
#define STR_(x) #x
#define STR(x) STR_(x)
#define HOPS_RANGE                                                            \
    "1 to " STR(NETREF_MAX_HOPS) " (default " STR(NETREF_DEFAULT_HOPS) ")"
/* The help of matches and connectors writes these bounds out with
 * thousands separators, which a macro cannot give: */
_Static_assert(NETREF_MATCHES_MAX_ROWS == 250000,
               "matches --help says 250,000 rows");
_Static_assert(NETREF_MATCHES_MAX_PAIRS == 100000000,
               "matches --help says 100,000,000 pairs");
_Static_assert(NETREF_CONNECTORS_MAX_COST == 100000000,
               "connectors --help says 100,000,000");

#define DB_HELP                                                               \
    "  --db FILE      the database (default: $NETREF_DB, else ./netref.db)\n"
#define JSON_HELP "  --json         print one JSON object instead of a table\n"

#define QUERY_OPTS                                                            \
    (BIT(O_JSON) | BIT(O_FROM) | BIT(O_TAG) | BIT(O_HOPS) | BIT(O_LIMIT) |    \
     BIT(O_HALF_LIFE) | BIT(O_TODAY) | SCOPE_OPTS)
/* The tag taxonomy and the group filter, on every tag query. */
#define SCOPE_OPTS (BIT(O_EXACT) | BIT(O_GROUP))
#define SCOPE_HELP                                                            \
    "  --exact           match TAG alone, not its aliases and narrower tags\n" \
    "                    (see `netref tag relate`)\n"                         \
    "  --group G         show only members of group G (walks still pass\n"   \
    "                    through anyone)\n"
#define QUERY_HELP                                                            \
    "  --from KEY        the person asking (required)\n"                      \
    "  --tag TAG         the tag (required); matched after normalization,\n"  \
    "                    with its aliases and narrower tags; the row's tag\n" \
    "                    says which one matched\n"                           \
    SCOPE_HELP                                                                \
    "  --hops K          how many ties a walk may use, " HOPS_RANGE "\n"    \
    "  --limit N         show only the first N rows (default: all)\n"         \
    "  --half-life DAYS  let ties cool: each tie's strength is multiplied\n"  \
    "                    by 0.5^(days since last contact / DAYS); ties with\n" \
    "                    no last contact are not decayed (default: none)\n"   \
    "  --today DATE      the date ages are measured to, YYYY-MM-DD\n"         \
    "                    (default: today)\n"                                  \
    "  --json            print one JSON object:\n"                            \
    "                    {\"source\",\"tag\",\"hops\",\"results\":[{\"key\",\"name\",\n" \
    "                    \"hops\",\"reach\",\"score\",\"introducer\",\"path\",\"tag\"}]}\n" \
    "  --db FILE         the database (default: $NETREF_DB, else ./netref.db)\n" \
    "\n"                                                                      \
    "reach is the largest product of tie strengths over walks of at most K\n" \
    "ties from the source; the introducer is the second person on the best\n" \
    "path (\"direct\" when it is the direct tie). Rows are ordered by score,\n" \
    "then hops, then key.\n\n"                                                \
    "The table's columns: AWAY is the fewest ties between KEY and the\n"    \
    "person (hops in JSON); PATH is the best path, the chain of\n"          \
    "introductions that reach and the score are made of, and TIES its\n"    \
    "number of ties (at most K). A longer chain of warmer ties can beat a\n" \
    "shorter one, so TIES may exceed AWAY: Ravi can be 1 tie away and\n"     \
    "best reached through Priya, 2 ties.\n\n"                                \
    "Exit status: 0 success, 1 unknown person, tag or group (an unknown\n"   \
    "tag's message suggests close known ones), 2 bad usage,\n"               \
    "including option values out of range (--hops 0, --limit -1, ...).\n"

static const command commands[] = {
    {"init", NULL, 0, 0, 0, cmd_init, "init [--db FILE]",
     "Create an empty netref database. Fine if FILE is already a sound\n"
     "one (it is checked as by 'netref check'); an empty file becomes\n"
     "one; any other file is refused and left untouched.\n\n"
     "Options:\n" DB_HELP},
    {"check", NULL, 0, 0, 0, cmd_check, "check [--db FILE]",
     "Check the whole database file: SQLite's structure, references\n"
     "between records, and netref's own invariants. Reads the whole file.\n"
     "Exit status: 0 sound, 1 a problem (named on stderr).\n\n"
     "Options:\n" DB_HELP},
    {"import", NULL,
     BIT(O_PEOPLE) | BIT(O_TIES) | BIT(O_OFFERS) | BIT(O_NEEDS) |
         BIT(O_TAXONOMY) | BIT(O_GROUPS) | BIT(O_CREATE_MISSING) |
         BIT(O_LINKEDIN) | BIT(O_VCARD) | BIT(O_OWNER) | BIT(O_JSON),
     0, 0, cmd_import,
     "import [--people F] [--ties F] [--offers F] [--needs F] "
     "[--taxonomy F] [--groups F] [--create-missing] [--linkedin F] "
     "[--vcard F] [--owner KEY] [--json]",
     "Import CSV files (UTF-8, with a header row), LinkedIn's\n"
     "Connections.csv and vCard files into the database, creating it if\n"
     "needed. All files are read in one transaction: a bad row aborts the\n"
     "whole import with a message FILE:LINE: problem and leaves the\n"
     "database as it was. Rows update existing records by key, so\n"
     "importing the same files again changes nothing. Files are read in\n"
     "the order people, ties, offers, needs, taxonomy, groups, linkedin,\n"
     "vcard.\n\n"
     "Each LinkedIn connection and each vCard is a person tied to the\n"
     "owner: found by UID, profile URL or e-mail when already in the\n"
     "network (so one person keeps one key), else added with a key made\n"
     "from the profile URL, UID, e-mail or name (-2, -3, ... when taken).\n"
     "An existing tie keeps its strength and context, and its last\n"
     "contact only moves forward; an empty value removes nothing.\n\n"
     "Options:\n"
     "  --people F        key,name[,attribute columns...]\n"
     "  --ties F          a,b[,strength][,last_contact][,context][,cadence]\n"
     "  --offers F        person,tag[,note]\n"
     "  --needs F         person,tag[,weight]\n"
     "  --taxonomy F      tag,relation,other: relation alias (the two tags\n"
     "                    name the same thing) or broader (other is the\n"
     "                    broader term of tag); cycles are refused\n"
     "  --groups F        group,person[,group_name]: group memberships; a\n"
     "                    group not yet known is created, named group_name\n"
     "                    (else after its key); an empty person: the group\n"
     "                    alone\n"
     "  --create-missing  create people named in ties, offers, needs or\n"
     "                    groups who are not in the network, instead of\n"
     "                    failing\n"
     "  --linkedin F      LinkedIn's Connections.csv (Settings, Data\n"
     "                    privacy, Get a copy of your data): each row a\n"
     "                    person with company, position, email and url,\n"
     "                    tied to the owner with context LinkedIn and\n"
     "                    Connected On as the tie's first contact\n"
     "  --vcard F         a vCard file (2.1, 3.0, 4.0) as phones and mail\n"
     "                    programs export them: each card a person with\n"
     "                    email, phone, url, company, position, note,\n"
     "                    city and uid, tied to the owner with context\n"
     "                    vCard; CATEGORIES become group memberships\n"
     "  --owner KEY       the person the contacts are tied to (default:\n"
     "                    me, created if missing)\n"
     "  --json            print the row counts as one JSON object:\n"
     "                    {\"db\",\"files\":[{\"kind\",\"file\",\"rows\"}]};\n"
     "                    contact files add \"new\", \"updated\",\n"
     "                    \"unchanged\" (people)\n"
     "  --db FILE         the database (default: $NETREF_DB, else "
     "./netref.db)\n"},
    {"person", "add", BIT(O_ATTR), 1, 2, cmd_person_add,
     "person add KEY [NAME] [--attr NAME=VALUE ...]",
     "Add a person. KEY is a unique id such as an email or a handle; NAME\n"
     "is the display name (default: the key).\n\n"
     "Options:\n"
     "  --attr NAME=VALUE  set a free attribute (org, role, city, ...);\n"
     "                     may be repeated\n" DB_HELP},
    {"person", "set", BIT(O_NAME) | BIT(O_ATTR), 1, 1, cmd_person_set,
     "person set KEY [--name NAME] [--attr NAME=VALUE ...]",
     "Change a person's name or attributes.\n\n"
     "Options:\n"
     "  --name NAME        the new display name\n"
     "  --attr NAME=VALUE  set an attribute; an empty VALUE removes it;\n"
     "                     may be repeated\n" DB_HELP},
    {"person", "show", BIT(O_JSON), 1, 1, cmd_person_show,
     "person show KEY [--json]",
     "Show a person: name, attributes, ties, offers and needs.\n\n"
     "Options:\n" JSON_HELP DB_HELP},
    {"person", "list", BIT(O_JSON), 0, 0, cmd_person_list,
     "person list [--json]",
     "List everyone, by key.\n\nOptions:\n" JSON_HELP DB_HELP},
    {"person", "find", BIT(O_JSON), 1, 1, cmd_person_find,
     "person find TEXT [--json]",
     "Find people whose key, name or e-mail (the attribute \"email\")\n"
     "contains TEXT, accents and case ignored ('person find jose' finds\n"
     "a Jose written with an accent too). Whole matches come first, then\n"
     "matches at the start of the field or of a word in it, then the rest;\n"
     "an exact key first, then by key.\n\n"
     "Options:\n"
     "  --json            print {\"text\", \"people\": [{\"key\", \"name\",\n"
     "                    \"email\", \"match\", \"field\"}]}: match is exact,\n"
     "                    prefix or substring, field is key, name or email\n"
     DB_HELP
     "\nExit status: 0 (also when nobody matches), 2 bad usage.\n"},
    {"person", "remove", 0, 1, 1, cmd_person_remove, "person remove KEY",
     "Remove a person with their ties, offers, needs and introductions.\n\n"
     "Options:\n" DB_HELP},
    {"person", "merge", BIT(O_JSON), 2, 2, cmd_person_merge,
     "person merge KEEP OTHER [--json]",
     "Merge OTHER into KEEP, two records of one person (say, found once\n"
     "through LinkedIn and once in the evening's list), in one\n"
     "transaction. OTHER's ties move to KEEP; where both had a tie to the\n"
     "same person the stronger one wins (with the later last contact).\n"
     "Offers, needs (the larger weight), introductions, logged contacts\n"
     "and group memberships move; introductions and contacts between\n"
     "KEEP and OTHER are removed, as they would be with oneself.\n"
     "Attributes KEEP lacks are copied; e-mails, phones, URLs and UIDs\n"
     "are kept all (email, email2, ...), so later imports find KEEP by\n"
     "any of them. Then OTHER is removed. KEEP's key and name stay.\n\n"
     "Options:\n"
     "  --json         print {\"kept\",\"merged\",\"introductions_removed\",\n"
     "                 \"contacts_removed\"}\n" DB_HELP
     "\nExit status: 0 success, 1 unknown person or the same person twice,\n"
     "2 bad usage.\n"},
    {"person", "export", BIT(O_JSON), 1, 1, cmd_person_export,
     "person export KEY [--json]",
     "Print everything the network holds about one person: their name and\n"
     "attributes, ties, offers, needs, the introductions they take part in\n"
     "(as introducer, seeker or target), their logged contacts and their\n"
     "group memberships (to give them a copy, e.g. before 'person\n"
     "forget').\n\n"
     "Options:\n"
     "  --json         print {\"key\",\"name\",\"attributes\":{},\"ties\",\n"
     "                 \"offers\",\"needs\",\"introductions\",\"contacts\",\n"
     "                 \"groups\"}: lists of the rows that 'person show',\n"
     "                 'intro list', 'contacts' and 'group list' print\n"
     DB_HELP
     "\nExit status: 0 success, 1 unknown person, 2 bad usage.\n"},
    {"person", "forget", 0, 1, 1, cmd_person_forget, "person forget KEY",
     "Remove a person with everything about them (ties, offers, needs,\n"
     "attributes, the introductions they take part in, contacts, group\n"
     "memberships) and wipe it from the file: no byte of it stays in FILE\n"
     "or FILE-wal (SQLite's secure_delete, VACUUM, and a checkpoint that\n"
     "empties the WAL). Rows about other people stay, even when their notes\n"
     "mention the person. Rewrites the whole file (about 0.3 s for 10,000\n"
     "people).\n\n"
     "When another program is reading the file (for longer than the 5 s\n"
     "busy timeout), the person is removed but traces stay in FILE and\n"
     "FILE-wal until that program closes it: the message says so and the\n"
     "exit status is 1.\n\n"
     "Options:\n" DB_HELP
     "\nExit status: 0 forgotten and wiped, 1 unknown person or traces\n"
     "left (see above), 2 bad usage.\n"},
    {"tie", "set",
     BIT(O_STRENGTH) | BIT(O_LAST_CONTACT) | BIT(O_CONTEXT) | BIT(O_CADENCE),
     2, 2, cmd_tie_set,
     "tie set A B [--strength S] [--last-contact DATE] [--context TEXT] "
     "[--cadence DAYS]",
     "Create or update the tie between A and B. 'netref tie A B ...' is\n"
     "short for 'netref tie set A B ...'. Options left out keep the\n"
     "current values (a new tie has strength 0.5); \"\" clears one.\n\n"
     "Options:\n"
     "  --strength S         how warm the tie is, in (0,1]\n"
     "  --last-contact DATE  date of the last contact, YYYY-MM-DD\n"
     "  --context TEXT       e.g. \"met at the Nov evening\"\n"
     "  --cadence DAYS       keep in touch every DAYS days: the tie is\n"
     "                       overdue for 'netref reconnect' once more than\n"
     "                       DAYS days have passed since its last contact\n"
     "                       (0 or \"\" clears)\n"
     DB_HELP},
    {"tie", "show", BIT(O_JSON), 2, 2, cmd_tie_show, "tie show A B [--json]",
     "Show the tie between A and B.\n\nOptions:\n" JSON_HELP DB_HELP},
    {"tie", "list", BIT(O_JSON), 1, 1, cmd_tie_list, "tie list KEY [--json]",
     "List a person's ties, by the other person's key.\n\n"
     "Options:\n" JSON_HELP DB_HELP},
    {"tie", "remove", 0, 2, 2, cmd_tie_remove, "tie remove A B",
     "Remove the tie between A and B.\n\nOptions:\n" DB_HELP},
    {"offer", "add", BIT(O_NOTE), 2, 2, cmd_offer_need_add,
     "offer add PERSON TAG [--note TEXT]",
     "Record that PERSON offers TAG (e.g. \"party planning\"); fails when\n"
     "PERSON offers it already ('offer set' changes it).\n\n"
     "Options:\n"
     "  --note TEXT    free text about the offer\n" DB_HELP},
    {"offer", "set", BIT(O_NOTE), 2, 2, cmd_offer_need_add,
     "offer set PERSON TAG [--note TEXT]",
     "Record that PERSON offers TAG, or change the offer. Options left\n"
     "out keep the current values.\n\n"
     "Options:\n"
     "  --note TEXT    free text about the offer (\"\" clears)\n" DB_HELP},
    {"offer", "remove", 0, 2, 2, cmd_offer_need_remove,
     "offer remove PERSON TAG",
     "Remove an offer.\n\nOptions:\n" DB_HELP},
    {"offer", "list", BIT(O_JSON), 1, 1, cmd_offer_need_list,
     "offer list PERSON [--json]",
     "List what PERSON offers.\n\nOptions:\n" JSON_HELP DB_HELP},
    {"need", "add", BIT(O_WEIGHT), 2, 2, cmd_offer_need_add,
     "need add PERSON TAG [--weight W]",
     "Record that PERSON might need TAG; fails when PERSON has the need\n"
     "already ('need set' changes it).\n\n"
     "Options:\n"
     "  --weight W     how likely the need is, in (0,1] (default 1)\n"
     DB_HELP},
    {"need", "set", BIT(O_WEIGHT), 2, 2, cmd_offer_need_add,
     "need set PERSON TAG [--weight W]",
     "Record that PERSON might need TAG, or change the need's weight.\n\n"
     "Options:\n"
     "  --weight W     how likely the need is, in (0,1] (default: 1 for a\n"
     "                 new need; an existing one keeps its weight)\n"
     DB_HELP},
    {"need", "remove", 0, 2, 2, cmd_offer_need_remove,
     "need remove PERSON TAG",
     "Remove a need.\n\nOptions:\n" DB_HELP},
    {"need", "list", BIT(O_JSON), 1, 1, cmd_offer_need_list,
     "need list PERSON [--json]",
     "List what PERSON might need.\n\nOptions:\n" JSON_HELP DB_HELP},
    {"tag", "people", BIT(O_ROLE) | BIT(O_JSON), 1, 1, cmd_tag_people,
     "tag people TAG [--role offers|needs|any] [--json]",
     "List the people who offer or need TAG.\n\n"
     "Options:\n"
     "  --role ROLE    offers, needs or any (default any)\n" JSON_HELP
         DB_HELP},
    /* ---- the tag taxonomy (cli/taxonomy.c) ---- */
    {"tag", "relate", 0, 3, 3, cmd_tag_relate,
     "tag relate TAG alias|broader OTHER",
     "Relate two tags. `TAG alias OTHER`: both name the same thing, and a\n"
     "query for either matches both. `TAG broader OTHER`: OTHER is the\n"
     "broader term, so a query for OTHER also matches TAG (and, in turn,\n"
     "the tags narrower than TAG). A relation that would make a tag\n"
     "narrower than itself is refused. Tags are normalized first.\n\n"
     "Options:\n" DB_HELP},
    {"tag", "unrelate", 0, 3, 3, cmd_tag_relate,
     "tag unrelate TAG alias|broader OTHER",
     "Remove a relation between two tags (an alias in either order).\n\n"
     "Options:\n" DB_HELP},
    {"tag", "relations", BIT(O_JSON), 0, 1, cmd_tag_relations,
     "tag relations [TAG] [--json]",
     "List the tag relations, or those naming TAG.\n\n"
     "Options:\n"
     "  --json         print {\"relations\":[{\"tag\",\"relation\",\"other\"}]}\n"
     DB_HELP},
    {"tag", "expand", BIT(O_JSON) | BIT(O_EXACT), 1, 1, cmd_tag_expand,
     "tag expand TAG [--exact] [--json]",
     "Show which stored tags a query for TAG matches: TAG itself, its\n"
     "aliases and its narrower tags, transitively, with how many people\n"
     "offer or need each. An unknown tag fails with suggestions.\n\n"
     "Options:\n"
     "  --exact        TAG alone\n"
     "  --json         print {\"tag\",\"matches\":[{\"tag\",\"relation\",\n"
     "                 \"holders\"}]}\n"
     DB_HELP},
    /* ---- end of the tag taxonomy ---- */
    {"prospects", NULL, QUERY_OPTS, 0, 0, cmd_query,
     "prospects --from KEY --tag TAG [--hops K] [--exact] [--group G] "
     "[--limit N] [--half-life DAYS] [--today DATE] [--json]",
     "Who within K hops of KEY might need TAG? Useful when you want to\n"
     "pass along a friend's card. score = reach * weight of the need.\n\n"
     "Options:\n" QUERY_HELP},
    {"providers", NULL, QUERY_OPTS, 0, 0, cmd_query,
     "providers --from KEY --tag TAG [--hops K] [--exact] [--group G] "
     "[--limit N] [--half-life DAYS] [--today DATE] [--json]",
     "Who within K hops of KEY offers TAG, and who can introduce you?\n"
     "score = reach.\n\n"
     "Options:\n" QUERY_HELP},
    {"path", NULL,
     BIT(O_JSON) | BIT(O_FROM) | BIT(O_TO) | BIT(O_MAX_HOPS) |
         BIT(O_ALTERNATIVES) | BIT(O_HALF_LIFE) | BIT(O_TODAY),
     0, 0, cmd_path,
     "path --from A --to B [--max-hops K] [--alternatives N] "
     "[--half-life DAYS] [--today DATE] [--json]",
     "Who can introduce A to B? The strongest introduction path (the\n"
     "largest product of tie strengths; the fewest ties among equals),\n"
     "then up to N alternatives that share no intermediate person with\n"
     "the paths before them. No path is a normal answer (exit 0). The\n"
     "table shows each path's STRENGTH (the product) and TIES (its number\n"
     "of ties, hops in JSON).\n\n"
     "Options:\n"
     "  --from A          the person who wants the introduction (required)\n"
     "  --to B            the person to be introduced to (required)\n"
     "  --max-hops K      at most K ties, 1 to " STR(NETREF_MAX_PATH_HOPS)
     ", or " STR(NETREF_NO_LIMIT) " for no\n"
     "                    limit (default " STR(NETREF_DEFAULT_PATH_HOPS) ")\n"
     "  --alternatives N  also show up to N alternative paths, 0 to "
     STR(NETREF_MAX_ALTERNATIVES) "\n"
     "                    (default 0)\n"
     "  --half-life DAYS  let ties cool, as for prospects\n"
     "  --today DATE      the date ages are measured to, YYYY-MM-DD\n"
     JSON_HELP DB_HELP},
    /* ---- whom to ask first, and matches (cli/advice.c) ---- */
    {"ask-first", NULL,
     BIT(O_JSON) | BIT(O_FROM) | BIT(O_TAG) | BIT(O_HOPS) | BIT(O_ROLE) |
         BIT(O_LIMIT) | BIT(O_HALF_LIFE) | BIT(O_TODAY) | SCOPE_OPTS,
     0, 0, cmd_ask_first,
     "ask-first --from S --tag T [--hops K] [--role offers|needs|any] "
     "[--exact] [--group G] [--limit N] [--half-life DAYS] [--today DATE] "
     "[--json]",
     "Which of S's contacts should S tell first about T? Ranks S's direct\n"
     "contacts by how well their word reaches the people who offer or need\n"
     "T (--role) within K hops of S: the sum over those people of\n"
     "strength(S, contact) * the best product of strengths over walks of\n"
     "at most K-1 ties from the contact that avoid S. Contacts who reach\n"
     "no one are not listed. Rows are ordered by score, then key.\n\n"
     "Options:\n"
     "  --from S          the person asking (required)\n"
     "  --tag T           the tag (required); matched after normalization\n"
     "  --hops K          hops from S, " HOPS_RANGE "; 1 counts only\n"
     "                    contacts who hold T themselves\n"
     "  --role ROLE       offers, needs or any (default any)\n"
     SCOPE_HELP
     "  --limit N         show only the first N rows (default: all)\n"
     "  --half-life DAYS  let ties cool, as for prospects\n"
     "  --today DATE      the date ages are measured to, YYYY-MM-DD\n"
     "  --json            print one JSON object: {\"source\",\"tag\",\"hops\",\n"
     "                    \"role\",\"results\":[{\"key\",\"name\",\"score\",\n"
     "                    \"reached\",\"top\":[keys]}]}\n"
     DB_HELP},
    {"matches", NULL,
     BIT(O_JSON) | BIT(O_FROM) | BIT(O_TAG) | BIT(O_HOPS) | BIT(O_LIMIT) |
         BIT(O_HALF_LIFE) | BIT(O_TODAY) | SCOPE_OPTS,
     0, 0, cmd_matches,
     "matches --from S [--hops K] [--tag T] [--exact] [--group G] "
     "[--limit N] "
     "[--half-life DAYS] [--today DATE] [--json]",
     "Which introductions could S make? Pairs of a person who needs a tag\n"
     "and a person who offers it, both within K hops of S and not tied to\n"
     "each other, ranked by need weight * reach(needer) * reach(provider),\n"
     "then needer key and provider key. A need matches offers of its tag,\n"
     "its aliases and narrower tags (the offered tag is shown when it\n"
     "differs). Each pair is listed once, for the need with the best score\n"
     "(then the first tag). Too many candidate pairs (needers x providers\n"
     "within reach) are refused (exit 1): above 250,000 without --limit,\n"
     "above 100,000,000 with one.\n\n"
     "Options:\n"
     "  --from S          the person who would introduce (required)\n"
     "  --hops K          how many ties a walk may use, " HOPS_RANGE "\n"
     "  --tag T           only needs of this tag, its aliases and narrower\n"
     "                    tags (default: every tag)\n"
     "  --exact           a need matches offers of the same tag only, not\n"
     "                    of its aliases and narrower tags\n"
     "  --group G         both people of a pair are members of group G\n"
     "  --limit N         show only the first N rows (default: all)\n"
     "  --half-life DAYS  let ties cool, as for prospects\n"
     "  --today DATE      the date ages are measured to, YYYY-MM-DD\n"
     "  --json            print one JSON object: {\"source\",\"hops\",\"tag\",\n"
     "                    \"results\":[{\"needer\",\"provider\",\"tag\",\n"
     "                    \"offer_tag\",\"score\",\"needer_reach\",\n"
     "                    \"provider_reach\"}]}\n"
     DB_HELP},
    /* ---- end of cli/advice.c ---- */
    /* ---- brokers (cli/connectors.c) ---- */
    {"connectors", NULL,
     BIT(O_JSON) | BIT(O_FROM) | BIT(O_HOPS) | BIT(O_LIMIT), 0, 0,
     cmd_connectors,
     "connectors --from S [--hops K] [--limit N] [--json]",
     "Who connects the people around S? The people of S's K-hop network\n"
     "(everyone within K ties of S, S included, with every tie among them)\n"
     "ranked by their betweenness within it: over the pairs of other\n"
     "people there, the share of their shortest paths (fewest ties; tie\n"
     "strengths are not used) that pass through the person, summed. S and\n"
     "people with betweenness 0 are not listed. Rows are ordered by\n"
     "betweenness, then key. AWAY is the fewest ties from S to the person\n"
     "(hops in JSON).\n\n"
     "The cost grows with people x ties of the K-hop network (Brandes'\n"
     "algorithm, in igraph): a network where that exceeds 100,000,000\n"
     "(about 3 seconds) is refused with a message giving its size; ask\n"
     "with fewer hops.\n\n"
     "Options:\n"
     "  --from S          the person asking (required)\n"
     "  --hops K          how many ties from S, " HOPS_RANGE "\n"
     "  --limit N         show only the first N rows (default: all)\n"
     "  --json            print one JSON object: {\"source\",\"hops\",\n"
     "                    \"results\":[{\"key\",\"name\",\"hops\",\n"
     "                    \"betweenness\"}]}\n"
     DB_HELP
     "\nExit status: 0 success, 1 unknown person or a network too large,\n"
     "2 bad usage.\n"},
    /* ---- end of cli/connectors.c ---- */
    /* ---- the referral ledger (cli/ledger.c) ---- */
    {"draw", NULL,
     BIT(O_FROM) | BIT(O_TAG) | BIT(O_TO) | BIT(O_ROLE) | BIT(O_HOPS) |
         BIT(O_LIMIT) | BIT(O_EXACT) | BIT(O_GROUP) | BIT(O_HALF_LIFE) |
         BIT(O_TODAY) | BIT(O_MAX_HOPS) | BIT(O_ALTERNATIVES) |
         BIT(O_OUTPUT),
     0, 0, cmd_draw,
     "draw --from KEY --tag TAG -o FILE [--role needs|offers] [--hops K] "
     "[--limit N]",
     "  or: netref draw --from KEY --to B -o FILE [--alternatives N]\n\n"
     "Draw the answer to a question as a picture: with --tag, who might\n"
     "need TAG (prospects; --role offers: who offers it, providers); with\n"
     "--to, the strongest introduction path to B and its alternatives.\n"
     "KEY is in the middle and everyone else on rings by hop; the answer's\n"
     "people are filled and labelled with their rank and score, the best\n"
     "path to each is bold, introducers are boxes, and a tie's line is as\n"
     "wide as it is strong. The format follows FILE's extension: .svg,\n"
     ".png or .pdf (rendered with Graphviz).\n\n"
     "Options:\n"
     "  --from KEY         the source, in the middle (required)\n"
     "  --tag TAG          draw who might need (or offers) TAG\n"
     "  --to B             draw the introduction paths to B instead\n"
     "  --output FILE      the picture to write, replaced only once it is\n"
     "                     complete (-o FILE is short for it; required)\n"
     "  --role ROLE        needs (default) or offers\n"
     "  --limit N          keep the N best-ranked people and their paths (1\n"
     "                     to 300; default 40); the picture says how many\n"
     "                     were left out\n"
     "  --hops K           as for prospects\n"
     "  --exact            as for prospects\n"
     "  --group G          as for prospects\n"
     "  --half-life DAYS   as for prospects and path\n"
     "  --today DATE       as for prospects and path\n"
     "  --max-hops K       as for path\n"
     "  --alternatives N   as for path\n" DB_HELP},
    {"intro", "add",
     BIT(O_BY) | BIT(O_SEEKER) | BIT(O_TARGET) | BIT(O_TAG) | BIT(O_DATE) |
         BIT(O_NOTE) | BIT(O_STATUS) | BIT(O_WARM_TIE) | BIT(O_JSON),
     0, 0, cmd_intro_add,
     "intro add --by KEY --seeker KEY --target KEY [--tag TAG] [--date D] "
     "[--note TEXT] [--status proposed|made|accepted] [--warm-tie] [--json]",
     "Record an introduction: --by put --seeker in touch with --target.\n"
     "The three must be different people. Prints the new introduction's\n"
     "id, which 'netref intro status' takes.\n\n"
     "Options:\n"
     "  --by KEY        the introducer (required)\n"
     "  --seeker KEY    the person put in touch (required)\n"
     "  --target KEY    the person they are put in touch with (required)\n"
     "  --tag TAG       what it is about (default: nothing)\n"
     "  --date D        when, YYYY-MM-DD (default: today)\n"
     "  --note TEXT     free text\n"
     "  --status S      proposed (the default), made or accepted\n"
     "  --warm-tie      once the introduction is made (now or later), create\n"
     "                  the seeker-target tie (strength 0.5) or raise it to\n"
     "                  at least 0.5, and move its last contact forward to\n"
     "                  the date it was made\n"
     "  --json          print the introduction as one JSON object: {\"id\",\n"
     "                  \"introducer\",\"seeker\",\"target\",\"tag\",\"created\",\n"
     "                  \"status\",\"changed\",\"made\",\"note\",\"value\",\n"
     "                  \"warm_tie\"}\n" DB_HELP
     "\nExit status: 0 success, 1 unknown person or the same person twice,\n"
     "2 bad usage (a date that is not YYYY-MM-DD included).\n"},
    {"intro", "status", BIT(O_DATE) | BIT(O_VALUE) | BIT(O_JSON), 2, 2,
     cmd_intro_status, "intro status ID STATUS [--date D] [--value V] [--json]",
     "Move introduction ID to STATUS: proposed, made, accepted, converted or\n"
     "declined. Statuses only move forward along proposed, made, accepted,\n"
     "converted (steps may be skipped); declined may follow any of the\n"
     "first three. Converted and declined are final.\n\n"
     "Options:\n"
     "  --date D        when it changed, YYYY-MM-DD, not before the last\n"
     "                  change (default: today)\n"
     "  --value V       with converted: the value of the business it brought\n"
     "                  (>= 0; default 0)\n"
     "  --json          print {\"id\",\"status\",\"value\"}\n" DB_HELP
     "\nExit status: 0 success, 1 unknown id or a move that is not allowed,\n"
     "2 bad usage.\n"},
    {"intro", "list", BIT(O_JSON), 0, 1, cmd_intro_list,
     "intro list [KEY] [--json]",
     "List introductions, by date recorded, then id; with KEY, only those\n"
     "in which KEY is introducer, seeker or target.\n\n"
     "Options:\n"
     "  --json          print {\"person\",\"introductions\":[{\"id\",\n"
     "                  \"introducer\",\"seeker\",\"target\",\"tag\",\"created\",\n"
     "                  \"status\",\"changed\",\"made\",\"note\",\"value\",\n"
     "                  \"warm_tie\"}]}\n" DB_HELP},
    {"balance", NULL, BIT(O_JSON), 1, 1, cmd_balance,
     "balance KEY [--json]",
     "Who has done KEY favours, and whom has KEY helped? Per counterpart:\n"
     "the introductions KEY made for them (KEY introduced them as seeker),\n"
     "those they made for KEY, how many of these converted, and the value\n"
     "of the business they brought KEY (value) and KEY brought them\n"
     "(value given). Only introductions that were made count (not those\n"
     "still proposed, or declined before being made). Ordered by the\n"
     "number of introductions, then key.\n\n"
     "Options:\n"
     "  --json          print {\"person\",\"results\":[{\"key\",\"name\",\n"
     "                  \"made_for\",\"made_by\",\"converted\",\"value\",\n"
     "                  \"value_given\"}]}\n" DB_HELP},
    /* ---- keeping in touch (cli/reconnect.c) ---- */
    {"contact", NULL, BIT(O_ON) | BIT(O_KIND) | BIT(O_NOTE) | BIT(O_JSON), 2,
     2, cmd_contact,
     "contact A B [--on DATE] [--kind met|call|message|...] [--note TEXT] "
     "[--json]",
     "Log a contact between A and B. The tie's last contact moves forward\n"
     "to its date (never back), so a reminder of 'netref reconnect' resets;\n"
     "when A and B have no tie, one is created with strength "
     STR(NETREF_DEFAULT_STRENGTH) ".\n\n"
     "Options:\n"
     "  --on DATE       when, YYYY-MM-DD (default: today)\n"
     "  --kind KIND     what kind of contact (default: met)\n"
     "  --note TEXT     free text\n"
     "  --json          print {\"id\",\"a\",\"b\",\"date\",\"kind\",\"note\"}\n"
     DB_HELP
     "\nExit status: 0 success, 1 unknown person or a contact with oneself,\n"
     "2 bad usage (a date that is not YYYY-MM-DD included).\n"},
    {"contacts", NULL, BIT(O_JSON), 1, 1, cmd_contacts,
     "contacts KEY [--json]",
     "List KEY's logged contacts, newest first.\n\n"
     "Options:\n"
     "  --json          print {\"person\",\"contacts\":[{\"id\",\"key\",\"name\",\n"
     "                  \"date\",\"kind\",\"note\"}]}\n" DB_HELP},
    {"reconnect", NULL,
     BIT(O_FROM) | BIT(O_OLDER_THAN) | BIT(O_HOPS) | BIT(O_TODAY) |
         BIT(O_LIMIT) | BIT(O_JSON) | BIT(O_EXACT),
     0, 0, cmd_reconnect,
     "reconnect --from S [--older-than D] [--hops K] [--today DATE] "
     "[--limit N] [--exact] [--json]",
     "Whom has S lost touch with that is worth reconnecting with? S's\n"
     "direct ties whose last contact is more than their cadence ago (see\n"
     "'netref tie set --cadence'), or more than --older-than days for ties without\n"
     "one; a tie never contacted is overdue. Ranked by what they would\n"
     "reach of the tags S needs or offers: strength(S, C) times the sum,\n"
     "over the people (C included) within K-1 ties of C, not through S,\n"
     "who offer a tag S needs or need a tag S offers, of the best product\n"
     "of strengths from C to them. Each of S's tags also matches its\n"
     "aliases and narrower tags (see `netref tag relate`) unless --exact.\n"
     "Then by days overdue, then key.\n\n"
     "The table lists the ties whose contact reaches someone with a\n"
     "matching need or offer (score > 0) under \"worth reconnecting with\n"
     "first\", with SCORE, REACHED (how many such people) and TAGS (the\n"
     "tags of S they matched); the other overdue ties follow under \"also\n"
     "overdue\". --json lists every row, in the same order.\n\n"
     "Options:\n"
     "  --from S          the person asking (required)\n"
     "  --older-than D    due age in days of ties without a cadence\n"
     "                    (default 0: only ties with a cadence)\n"
     "  --hops K          hops from S, " HOPS_RANGE "\n"
     "  --today DATE      the date ages are measured to, YYYY-MM-DD\n"
     "  --limit N         show only the first N rows (default: all)\n"
     "  --exact           match S's tags alone\n"
     "  --json            print {\"source\",\"results\":[{\"key\",\"name\",\n"
     "                    \"days_overdue\",\"score\",\"tags\":[...],\n"
     "                    \"reached\",\"last_contact\",\"cadence\"}]};\n"
     "                    days_overdue is null when never contacted\n"
     DB_HELP},
    /* ---- end of keeping in touch ---- */
    /* ---- groups (cli/groups.c) ---- */
    {"group", "add", BIT(O_NAME) | BIT(O_JSON), 1, 1, cmd_group_add,
     "group add KEY [--name NAME] [--json]",
     "Create a group (an event or a community, such as \"Nov 30\n"
     "entrepreneurs evening\"). KEY is its unique id; an existing KEY\n"
     "fails ('group set' renames).\n\n"
     "Options:\n"
     "  --name NAME     the display name (default: the key)\n"
     "  --json          print the group: {\"key\",\"name\",\"members\"}\n"
     DB_HELP},
    {"group", "set", BIT(O_NAME) | BIT(O_JSON), 1, 1, cmd_group_add,
     "group set KEY --name NAME [--json]",
     "Rename a group.\n\n"
     "Options:\n"
     "  --name NAME     the new display name (required)\n"
     "  --json          print the group: {\"key\",\"name\",\"members\"}\n"
     DB_HELP},
    {"group", "remove", BIT(O_JSON), 1, 1, cmd_group_remove,
     "group remove KEY [--json]",
     "Remove a group and its memberships; its members stay in the\n"
     "network.\n\n"
     "Options:\n"
     "  --json          print {\"group\",\"removed\":true}\n" DB_HELP
     "\nExit status: 0 success, 1 unknown group, 2 bad usage.\n"},
    {"group", "join", BIT(O_JSON), 2, 2, cmd_group_join_leave,
     "group join GROUP PERSON [--json]",
     "Make PERSON a member of GROUP (both by key). Joining twice changes\n"
     "nothing. Membership is context, not a tie.\n\n"
     "Options:\n"
     "  --json          print {\"group\",\"person\",\"member\":true}\n"
     DB_HELP
     "\nExit status: 0 success, 1 unknown group or person, 2 bad usage.\n"},
    {"group", "leave", BIT(O_JSON), 2, 2, cmd_group_join_leave,
     "group leave GROUP PERSON [--json]",
     "End PERSON's membership of GROUP (both by key).\n\n"
     "Options:\n"
     "  --json          print {\"group\",\"person\",\"member\":false}\n"
     DB_HELP
     "\nExit status: 0 success, 1 unknown group or person or PERSON is not\n"
     "a member, 2 bad usage.\n"},
    {"group", "list", BIT(O_JSON), 0, 0, cmd_group_list,
     "group list [--json]",
     "List the groups, by key, with their number of members.\n\n"
     "Options:\n"
     "  --json          print {\"groups\":[{\"key\",\"name\",\"members\"}]}\n"
     DB_HELP},
    {"group", "members", BIT(O_JSON), 1, 1, cmd_group_members,
     "group members GROUP [--json]",
     "List the members of GROUP, by key.\n\n"
     "Options:\n"
     "  --json          print {\"group\",\"name\",\"people\":[{\"key\",\n"
     "                  \"name\"}]}\n" DB_HELP
     "\nExit status: 0 success, 1 unknown group, 2 bad usage.\n"},
    /* ---- end of groups ---- */
    /* ---- files other tools open (cli/export.c) ---- */
    {"export", NULL,
     BIT(O_FORMAT) | BIT(O_OUTPUT) | BIT(O_FROM) | BIT(O_HOPS) | BIT(O_JSON),
     0, 0, cmd_export,
     "export --format graphml|gexf|json|dot|csv|neo4j -o PATH "
     "[--from KEY [--hops K]] [--json]",
     "Write the network, or the K-hop network of KEY (everyone within K\n"
     "ties of KEY, KEY included, and every tie among them), as files other\n"
     "tools open. A file is written in full or not at all: under a\n"
     "temporary name beside PATH, renamed when complete; a failure or\n"
     "Ctrl-C leaves PATH as it was. Files are private (mode 0600).\n\n"
     "Formats:\n"
     "  graphml  one file: Gephi, Cytoscape, yEd, NetworkX, igraph\n"
     "  gexf     one file (GEXF 1.2): Gephi, NetworkX\n"
     "  json     one file, node-link JSON: D3, networkx.node_link_graph\n"
     "  dot      one file for Graphviz (dot -Tsvg PATH > net.svg)\n"
     "  csv      a directory of netref's import files (people.csv,\n"
     "           ties.csv, offers.csv, needs.csv, taxonomy.csv,\n"
     "           groups.csv): the backup format; 'netref import' of them\n"
     "           into an empty database gives the same network (the\n"
     "           referral ledger and logged contacts are not included)\n"
     "  neo4j    a directory of neo4j-admin database import files\n"
     "           (people, tags, KNOWS, OFFERS, NEEDS, INTRODUCED; see\n"
     "           docs/scaling.md)\n\n"
     "Options:\n"
     "  --format F      the format (required)\n"
     "  --output PATH   the file, or the directory for csv and neo4j\n"
     "                  (created if missing; other files in it are kept;\n"
     "                  -o PATH is short for it)\n"
     "  --from KEY      only KEY's K-hop network (default: everyone)\n"
     "  --hops K        with --from: how many ties from KEY, 1 to 6\n"
     "                  (default 2)\n"
     "  --json          print {\"format\",\"source\",\"hops\",\"files\",\n"
     "                  \"person_count\",\"tie_count\",\"offer_count\",\n"
     "                  \"need_count\",\"tag_relation_count\",\n"
     "                  \"membership_count\"}\n"
     DB_HELP
     "\nProgress is shown on stderr when it is a terminal.\n"
     "Exit status: 0 success, 1 unknown person or a file that cannot be\n"
     "written, 2 bad usage, 130 interrupted.\n"},
    /* ---- end of cli/export.c ---- */
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* `netref --help`: the commands by subject, one line each, as git's
 * help. A command missing here is still listed, under "Other commands",
 * so that the table of commands alone decides what exists. */
static const struct help_line {
    const char *section; /* starts a section when not NULL */
    const char *group, *sub;
    const char *summary;
} help_lines[] = {
    {"The database", "init", NULL,
     "create an empty database (or check an existing one)"},
    {NULL, "check", NULL, "check the whole database file"},
    {NULL, "import", NULL, "import CSV files of people, ties, offers, "
                           "needs, tags, groups"},
    {NULL, "export", NULL, "write the network for other tools, or a CSV "
                           "backup"},
    {"People and ties", "person", "add", "add a person"},
    {NULL, "person", "set", "change a person's name or attributes"},
    {NULL, "person", "show", "show a person, their ties, offers and needs"},
    {NULL, "person", "list", "list everyone"},
    {NULL, "person", "find", "find people by key, name or e-mail"},
    {NULL, "person", "merge", "merge two records of one person"},
    {NULL, "person", "remove", "remove a person and everything about them"},
    {NULL, "person", "export", "print everything held about a person"},
    {NULL, "person", "forget", "remove a person and wipe them from the "
                               "file"},
    {NULL, "tie", "set", "create or update a tie (also: netref tie A B)"},
    {NULL, "tie", "show", "show the tie between two people"},
    {NULL, "tie", "list", "list a person's ties"},
    {NULL, "tie", "remove", "remove a tie"},
    {"Offers and needs", "offer", "add", "record that a person offers a "
                                         "tag"},
    {NULL, "offer", "set", "record or change an offer"},
    {NULL, "offer", "remove", "remove an offer"},
    {NULL, "offer", "list", "list what a person offers"},
    {NULL, "need", "add", "record that a person might need a tag"},
    {NULL, "need", "set", "record or change a need"},
    {NULL, "need", "remove", "remove a need"},
    {NULL, "need", "list", "list what a person might need"},
    {"Tags", "tag", "people", "list who offers or needs a tag"},
    {NULL, "tag", "relate", "make a tag an alias or a narrower term of "
                            "another"},
    {NULL, "tag", "unrelate", "remove a relation between two tags"},
    {NULL, "tag", "relations", "list the relations between tags"},
    {NULL, "tag", "expand", "show which stored tags a query for a tag "
                            "matches"},
    {"Queries", "prospects", NULL, "who within K hops might need a tag"},
    {NULL, "providers", NULL, "who within K hops offers a tag, and who can "
                              "introduce you"},
    {NULL, "path", NULL, "the strongest introduction paths from A to B"},
    {NULL, "ask-first", NULL, "which contacts to tell first about a tag"},
    {NULL, "matches", NULL, "introductions a person could make"},
    {NULL, "connectors", NULL, "who connects the people around a person"},
    {NULL, "draw", NULL, "draw an answer or a path as a picture (SVG, PNG, "
                         "PDF)"},
    {"The referral ledger", "intro", "add", "record an introduction"},
    {NULL, "intro", "status", "move an introduction to its next status"},
    {NULL, "intro", "list", "list introductions, or a person's"},
    {NULL, "balance", NULL, "introductions made for and by a person"},
    {"Keeping in touch", "contact", NULL, "log a contact between two "
                                          "people"},
    {NULL, "contacts", NULL, "list a person's logged contacts"},
    {NULL, "reconnect", NULL, "overdue ties, those worth reconnecting with "
                              "first"},
    {"Groups", "group", "add", "create a group"},
    {NULL, "group", "set", "rename a group"},
    {NULL, "group", "remove", "remove a group (its members stay)"},
    {NULL, "group", "join", "make a person a member of a group"},
    {NULL, "group", "leave", "end a person's membership of a group"},
    {NULL, "group", "list", "list the groups"},
    {NULL, "group", "members", "list a group's members"},
};
#define N_HELP_LINES (sizeof help_lines / sizeof help_lines[0])

static int same_command(const command *c, const char *group, const char *sub)
{
    return !strcmp(c->group, group) &&
           (c->sub == NULL ? sub == NULL : sub && !strcmp(c->sub, sub));
}

static void print_help_line(FILE *f, const char *group, const char *sub,
                            const char *summary)
{
    char name[40];
    snprintf(name, sizeof name, "%s%s%s", group, sub ? " " : "",
             sub ? sub : "");
    fprintf(f, "  %-16s%s\n", name, summary);
}

/* The commands of the table that help_lines does not name. */
static void print_other_commands(FILE *f)
{
    size_t i, j;
    int shown_heading = 0;
    for (i = 0; i < N_COMMANDS; i++) {
        for (j = 0; j < N_HELP_LINES; j++)
            if (same_command(&commands[i], help_lines[j].group,
                             help_lines[j].sub))
                break;
        if (j < N_HELP_LINES)
            continue;
        if (!shown_heading)
            fprintf(f, "\nOther commands:\n");
        shown_heading = 1;
        print_help_line(f, commands[i].group, commands[i].sub,
                        commands[i].synopsis);
    }
}

static void print_usage(FILE *f)
{
    size_t i;
    fprintf(f,
            "netref %s: a referral network in one database file.\n\n"
            "Usage: netref [--db FILE] [--json] COMMAND [ARGS] [options]\n",
            netref_version());
    for (i = 0; i < N_HELP_LINES; i++) {
        if (help_lines[i].section)
            fprintf(f, "\n%s:\n", help_lines[i].section);
        print_help_line(f, help_lines[i].group, help_lines[i].sub,
                        help_lines[i].summary);
    }
    print_other_commands(f);
    fprintf(f,
            "\n"
            "'netref COMMAND --help' (or 'netref help COMMAND') shows a "
            "command's\n"
            "arguments and options; 'man netref' documents them all.\n\n"
            "Arguments follow one rule. A record's own identity is "
            "positional:\n"
            "person add KEY, tie set A B, offer add PERSON TAG, contact A B,\n"
            "group join GROUP PERSON, group members GROUP, balance KEY,\n"
            "contacts KEY. Queries name their people and tags with flags:\n"
            "--from, --to, --tag. Fields and values are always flags:\n"
            "--strength, --weight, --note, --hops.\n\n"
            "The database is --db FILE, else $NETREF_DB, else ./netref.db.\n"
            "Only init and import create it. Every command takes --help.\n"
            "--db, --json (where the command takes it) and --help may come\n"
            "before the command or after it.\n\n"
            "Exit status:\n"
            "  0  success\n"
            "  1  the data or the query failed: an unknown person, tag or\n"
            "     group, a tie to oneself, a bad row in an imported file, a\n"
            "     move the ledger does not allow, a damaged database\n"
            "  2  bad usage: an unknown command or option, a missing or extra\n"
            "     argument, a value that is malformed (not a number, not a\n"
            "     date YYYY-MM-DD) or out of its documented range (--hops 0,\n"
            "     --strength 1.5, --limit -1); nothing is changed\n"
            "With --json, a failure prints nothing on stdout and one JSON\n"
            "object on stderr: {\"error\": NAME, \"message\": TEXT}, NAME\n"
            "being the library's error (ENOTFOUND, EPARSE, EEXISTS, ...) or\n"
            "EUSAGE for exit status 2.\n\n"
            "Tables and messages show control characters in stored text as\n"
            "escapes (\\n \\t \\r \\a \\b \\f \\v \\e; \\xHH for other controls,\n"
            "DEL and bytes that are not UTF-8; \\uXXXX for C1 and bidi\n"
            "controls) and a backslash as \\\\; --json prints the exact text.\n\n"
            "Example:\n"
            "  netref init --db net.db\n"
            "  netref import --db net.db --people people.csv --ties ties.csv "
            "\\\n"
            "      --needs needs.csv\n"
            "  netref prospects --db net.db --from ana --tag \"party "
            "planning\"\n");
}

static void print_group_usage(FILE *f, const char *group)
{
    size_t i;
    fprintf(f, "Usage:\n");
    for (i = 0; i < N_COMMANDS; i++)
        if (!strcmp(commands[i].group, group))
            fprintf(f, "  netref %s\n", commands[i].synopsis);
    fprintf(f, "\nRun 'netref %s SUBCOMMAND --help' for details.\n", group);
}

static int print_help(const command *c)
{
    printf("Usage: netref %s\n\n%s", c->synopsis, c->help);
    return EXIT_OK;
}

static int group_exists(const char *group)
{
    size_t i;
    for (i = 0; i < N_COMMANDS; i++)
        if (!strcmp(commands[i].group, group))
            return 1;
    return 0;
}

static const command *find_command(const char *group, const char *sub)
{
    size_t i;
    for (i = 0; i < N_COMMANDS; i++)
        if (!strcmp(commands[i].group, group) &&
            (commands[i].sub == NULL || (sub && !strcmp(commands[i].sub, sub))))
            return &commands[i];
    return NULL;
}

/* Parse argv[0..argc) (after the command words) into a. */
static int parse_args(const command *c, int argc, char **argv, args_t *a)
{
    unsigned long long allowed = c->opts | BIT(O_DB) | BIT(O_HELP);
    int i, o, only_pos = 0;
    a->attrs = calloc((size_t)argc + 1, sizeof(char *));
    a->pos = calloc((size_t)argc + 1, sizeof(char *));
    if (!a->attrs || !a->pos) {
        err("out of memory");
        return EXIT_FAIL;
    }
    for (i = 0; i < argc; i++) {
        const char *arg = argv[i], *name, *eq, *value = NULL;
        size_t len;
        if (only_pos || arg[0] != '-' || arg[1] == '\0') {
            a->pos[a->npos++] = arg;
            continue;
        }
        if (!strcmp(arg, "--")) {
            only_pos = 1;
            continue;
        }
        if (!strcmp(arg, "-h")) {
            a->set[O_HELP] = 1;
            continue;
        }
        if (!strcmp(arg, "-o") && (allowed & BIT(O_OUTPUT))) {
            if (i + 1 >= argc)
                return usage_error(a->cmd, "option '-o' needs a value");
            a->set[O_OUTPUT] = 1;
            a->val[O_OUTPUT] = argv[++i];
            continue;
        }
        if (arg[1] != '-')
            return usage_error(a->cmd, "unknown option '%s' for '%s'", arg,
                               a->cmd);
        name = arg + 2;
        eq = strchr(name, '=');
        len = eq ? (size_t)(eq - name) : strlen(name);
        for (o = 0; o < O_COUNT; o++)
            if (strlen(optdefs[o].name) == len &&
                !strncmp(optdefs[o].name, name, len) && (allowed & BIT(o)))
                break;
        if (o == O_COUNT)
            return usage_error(a->cmd, "unknown option '--%.*s' for '%s'",
                               (int)len, name, a->cmd);
        if (optdefs[o].has_arg) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return usage_error(a->cmd, "option '--%s' needs a value",
                                   optdefs[o].name);
        } else if (eq) {
            return usage_error(a->cmd, "option '--%s' takes no value",
                               optdefs[o].name);
        }
        a->set[o] = 1;
        a->val[o] = value;
        if (o == O_ATTR)
            a->attrs[a->nattr++] = value;
    }
    return EXIT_OK;
}

/* Is arg a global option (--db, --db=FILE, --json, --help, -h)? Returns
 * how many words it takes (1 or 2), or 0. */
static int global_option(int argc, char **argv, int i)
{
    const char *arg = argv[i];
    if (!strcmp(arg, "--json") || !strcmp(arg, "--help") ||
        !strcmp(arg, "-h") || !strncmp(arg, "--db=", 5))
        return 1;
    if (!strcmp(arg, "--db"))
        return i + 1 < argc ? 2 : 1; /* a missing value: parse_args says */
    return 0;
}

/* Does the command line ask for --json (before any "--")? Then errors
 * are JSON too, even those found before the command is known. */
static int wants_json(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--json"))
            return 1;
    return 0;
}

/* The command line without the global options written before the command
 * (netref --db F person list), which go to *pre so that they are parsed
 * with the command's own options, as if written after it. Returns the
 * new argc; argv[0] stays. */
static int split_globals(int argc, char **argv, char **words, char **pre,
                         int *npre)
{
    int i = 1, n = 1, k;
    words[0] = argv[0];
    *npre = 0;
    while (i < argc && (k = global_option(argc, argv, i)) > 0)
        while (k--)
            pre[(*npre)++] = argv[i++];
    while (i < argc)
        words[n++] = argv[i++];
    words[n] = NULL;
    return n;
}

static int has_help(char **pre, int npre)
{
    int i;
    for (i = 0; i < npre; i++)
        if (!strcmp(pre[i], "--help") || !strcmp(pre[i], "-h"))
            return 1;
    return 0;
}

/* Find the command of argv[1..]; *first receives the index of its first
 * argument. NULL with *status set when there is none (help printed, or a
 * usage error). */
static const command *pick_command(int argc, char **argv, int help,
                                   int *first, int *status)
{
    const char *group = argv[1], *sub = NULL;
    const command *c;
    *status = EXIT_OK;
    if (!group_exists(group)) {
        *status = usage_error(NULL, "unknown command '%s'", group);
        return NULL;
    }
    *first = 2;
    if ((c = find_command(group, NULL)))
        return c;
    /* A command with subcommands. */
    if (argc > 2)
        sub = argv[2];
    if (sub && (!strcmp(sub, "--help") || !strcmp(sub, "-h")))
        sub = NULL, help = 1;
    if (sub && sub[0] == '-' && sub[1] != '\0')
        sub = NULL; /* an option: the subcommand is missing */
    c = sub ? find_command(group, sub) : NULL;
    if (c) {
        *first = 3;
        return c;
    }
    if (!strcmp(group, "tie") && sub && sub[0] != '-')
        return find_command("tie", "set"); /* tie A B ... = tie set A B */
    if (help && !sub) {
        print_group_usage(stdout, group);
        return NULL;
    }
    err_name("EUSAGE");
    if (sub)
        err("unknown %s subcommand '%s'", group, sub);
    else
        err("%s needs a subcommand", group);
    if (!errors_are_json())
        print_group_usage(stderr, group);
    *status = EXIT_USAGE;
    return NULL;
}

/* Run command c on its arguments: the global options written before it
 * (pre), then those after its words. */
/* Values are options, never positional (tie set A B --strength 0.6):
 * an extra argument that is a number gets the command's first value
 * option as a hint, and the old 'tie cadence A B DAYS' its new form. */
static int too_many_arguments(const command *c, const args_t *a)
{
    const char *extra = a->pos[c->max_pos], *opt, *end;
    char *stop;
    if (!strcmp(c->group, "tie") && !strcmp(c->sub, "set") &&
        !strcmp(a->pos[0], "cadence"))
        return usage_error(a->cmd, "'tie cadence A B DAYS' is now 'tie set "
                                   "A B --cadence DAYS'");
    opt = strstr(c->synopsis, "[--");
    end = opt ? strchr(opt + 1, ' ') : NULL;
    (void)strtod(extra, &stop);
    if (opt && end && *extra && !*stop && end[1] != '[')
        return usage_error(a->cmd, "too many arguments: values are options; "
                                   "did you mean %.*s %s?",
                           (int)(end - opt - 1), opt + 1, extra);
    return usage_error(a->cmd, "too many arguments; usage: netref %s",
                       c->synopsis);
}

static int run_command(const command *c, char **pre, int npre, int argc,
                       char **argv)
{
    char cmdname[64];
    args_t a;
    int status, n = 0, i;
    char **all = xrealloc(NULL, (size_t)(npre + argc + 1) * sizeof(char *));
    for (i = 0; i < npre; i++)
        all[n++] = pre[i];
    for (i = 0; i < argc; i++)
        all[n++] = argv[i];
    memset(&a, 0, sizeof a);
    snprintf(cmdname, sizeof cmdname, "%s%s%s", c->group, c->sub ? " " : "",
             c->sub ? c->sub : "");
    a.cmd = cmdname;
    status = parse_args(c, n, all, &a);
    if (status == EXIT_OK && a.set[O_HELP])
        status = print_help(c);
    else if (status == EXIT_OK && a.npos > c->max_pos)
        status = too_many_arguments(c, &a);
    else if (status == EXIT_OK && a.npos < c->min_pos)
        status = usage_error(a.cmd, "missing arguments; usage: netref %s",
                             c->synopsis);
    else if (status == EXIT_OK && (status = check_dates(&a)) == EXIT_OK)
        status = c->run(c, &a);
    free(a.attrs);
    free(a.pos);
    free(all);
    return status;
}

static int netref_main(int argc, char **argv)
{
    const command *c;
    char **words, **pre;
    int first = 2, status, npre;

    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    words = xrealloc(NULL, (size_t)(argc + 1) * sizeof(char *));
    pre = xrealloc(NULL, (size_t)(argc + 1) * sizeof(char *));
    argc = split_globals(argc, argv, words, pre, &npre);
    argv = words;
    status = EXIT_OK;
    if (argc < 2 && has_help(pre, npre)) {
        print_usage(stdout);
    } else if (argc < 2) {
        status = usage_error(NULL, "no command given");
    } else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
               !strcmp(argv[1], "help")) {
        if (argc > 2 && !strcmp(argv[1], "help") && group_exists(argv[2])) {
            c = find_command(argv[2], argc > 3 ? argv[3] : NULL);
            if (c && (c->sub == NULL || argc > 3))
                print_help(c);
            else
                print_group_usage(stdout, argv[2]);
        } else {
            print_usage(stdout);
        }
    } else if (!strcmp(argv[1], "--version")) {
        printf("netref %s\n", netref_version());
    } else if ((c = pick_command(argc, argv, has_help(pre, npre), &first,
                                 &status))) {
        status = run_command(c, pre, npre, argc - first, argv + first);
    }
    free(words);
    free(pre);
    return status;
}

int main(int argc, char **argv)
{
    int status;
    errors_as_json(wants_json(argc, argv));
    status = netref_main(argc, argv);
    shown_release();
    if (fflush(stdout) != 0 && status == EXIT_OK) {
        err("could not write output");
        status = EXIT_FAIL;
    }
    return json_error_flush(status);
}
