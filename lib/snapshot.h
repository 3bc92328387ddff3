/* The persisted index: a snapshot of struct nr_index in a file beside
 * the database (FILE-index), so that a new process maps it instead of
 * building the index again. snapshot.c describes the format and what
 * makes a snapshot current. */
#ifndef NETREF_SNAPSHOT_H
#define NETREF_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

struct nr_index;

/* NETREF_SNAPSHOT in the environment, read at netref_open: "0" (or
 * "off") neither reads nor writes snapshots; "always" writes one after
 * every build, however small the network (for tests); anything else,
 * or unset, is the default: read, and write after the build of a
 * network of at least NR_SNAPSHOT_MIN_ENTRIES people plus ties. */
enum { NR_SNAPSHOT_ON, NR_SNAPSHOT_OFF, NR_SNAPSHOT_ALWAYS };
#define NR_SNAPSHOT_MIN_ENTRIES 50000
int nr_snapshot_mode(void);

/* What the database says about itself, read inside the read transaction
 * the index comes from: its identity, change counter and stamp
 * (netref_state) and its schema version. A snapshot is used only when
 * its header says the same. */
struct nr_stamp {
  int64_t identity, changes, stamp;
  int64_t schema;
};

/* Read the stamp inside the open read transaction: 1 when read, 0 when
 * the file has no change counter (an older schema on a read-only
 * handle), or it cannot be read; no message is recorded. */
int nr_snapshot_stamp(netref_db *db, struct nr_stamp *out);

/* Map FILE-index and check it: *out is an index whose arrays live in the
 * mapping (nr_index_free unmaps it) when the file is there, whole,
 * consistent and made for this stamp; else 0 is returned with *out
 * NULL, and nothing is recorded on the handle. Returns 1 when loaded. */
int nr_snapshot_load(netref_db *db, const struct nr_stamp *stamp,
                     struct nr_index **out);

/* Write a freshly built index as FILE-index, for the stamp it was built
 * under: a temporary file, fsync, then a rename made under the database's
 * write lock and only while the stamp is still current. Read-only
 * handles write it too (the database file itself they never write):
 * the command-line tool's queries are read-only handles, and a cold
 * process is what the snapshot is for. Anything that fails (a directory
 * not writable, a busy database) leaves no file and records nothing: a
 * snapshot is only ever a shortcut. Returns 1 when written. */
int nr_snapshot_save(netref_db *db, const struct nr_index *ix,
                     const struct nr_stamp *stamp);

/* Remove FILE-index, found damaged (snapshot_pages.c), when it is still
 * the file mapped at `mapped` (its header the same); a temporary file
 * another process is writing stays. Failures are ignored. */
void nr_snapshot_discard(netref_db *db, const void *mapped);

/* Remove FILE-index and any temporary file a killed writer left (for
 * netref_person_forget, through nr_scrub). Failures are ignored. */
void nr_snapshot_remove(netref_db *db);

/* The file's header and chunk table (snapshot.c describes them); here
 * so that tests can take files apart. Fixed-width fields, no padding. */
struct nr_snap_header {
  char magic[8];
  uint32_t version, byte_order, word_size, chunks;
  int64_t identity, changes, stamp, schema;
  uint64_t file_size;
  uint64_t n, m, ntags, strings_len, needs, offers;
  int64_t id_min;
  uint64_t id_span;
  uint32_t id_map, reserved;
  uint64_t checksum; /* of header (this field 0) and table */
};

struct nr_snap_chunk {
  uint32_t id, reserved;
  uint64_t offset, length, checksum;
};

struct nr_snap_tag {
  uint32_t name, reserved;
  uint64_t need_first, offer_first;
};

/* The checksum of the format: 64 bits, four lanes of multiply-rotate
 * over 8-byte words (native byte order), then a final mix. */
struct nr_hasher {
  uint64_t lane[4];
  unsigned char tail[32];
  size_t used;
  uint64_t total;
};
void nr_hash_init(struct nr_hasher *h);
void nr_hash_add(struct nr_hasher *h, const void *data, size_t len);
uint64_t nr_hash_end(const struct nr_hasher *h);
uint64_t nr_hash64(const void *data, size_t len);

/* The checksum of tie page g (entries g * NR_TIE_PAGE onwards, at most
 * NR_TIE_PAGE of them, of m): its neighbours, then its strengths, then
 * its days, as in the arrays. */
uint64_t nr_tie_page_hash(const uint32_t *nbr, const double *w,
                          const int32_t *day, uint64_t m, uint64_t g);

/* The day numbers of 0001-01-01 and 9999-12-31, the dates a build can
 * hold (a test checks them against nr_parse_date). */
#define NR_FIRST_DAY (-719162)
#define NR_LAST_DAY 2932896

#endif
