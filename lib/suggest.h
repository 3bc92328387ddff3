/* "Did you mean ...?": the known names closest to an unknown one by edit
 * distance on code points, shared by the suggestions for unknown tags
 * (tag_suggest.c) and unknown people (person_find.c). */
#ifndef NETREF_SUGGEST_H
#define NETREF_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

/* How many suggestions a message gives. */
#define NR_SUGGESTIONS 3
/* Texts are compared on their first this many code points, so that one
 * comparison costs at most this squared. */
#define NR_SUGGEST_MAX_CHARS 64
/* A distance for "not close enough to suggest". */
#define NR_SUGGEST_FAR SIZE_MAX

struct nr_suggestion {
  char *text; /* what to suggest (owned); NULL: no suggestion here */
  char *note; /* shown after it in parentheses (owned), or NULL */
  size_t distance;
};

struct nr_suggest {
  const char *asked; /* the unknown text, as compared (the caller's) */
  int32_t cp[NR_SUGGEST_MAX_CHARS];
  size_t n;
  /* The closest kept so far: by distance, then byte order of text. */
  struct nr_suggestion best[NR_SUGGESTIONS];
};

/* Start suggesting for `asked` (kept by pointer: it must outlive s). */
void nr_suggest_init(struct nr_suggest *s, const char *asked);
/* The edit distance from the asked text to a known one (code points
 * inserted, deleted, replaced, or two neighbours swapped, each one edit)
 * when that is close enough to suggest, else NR_SUGGEST_FAR. Close is a
 * few edits (a third of the longer text, at least one, never all of it),
 * or one text containing the other when the contained one has three code
 * points or more (a one-letter name is not suggested for everything).
 * Cost: O(l * d) for texts of l code points within distance d (a band
 * of the distance table; far texts are left early, and texts whose
 * lengths differ by more than d at once). */
size_t nr_suggest_distance(const struct nr_suggest *s, const char *known);
/* Keep a suggestion (copies of text and note) if it is among the
 * NR_SUGGESTIONS closest so far; a text kept already is not kept twice.
 * 0, or -1 when out of memory (nothing changes then). */
int nr_suggest_keep(struct nr_suggest *s, const char *text, const char *note,
                    size_t distance);
/* How many suggestions were kept. */
size_t nr_suggest_count(const struct nr_suggest *s);
/* The kept suggestions as "'a' (note), 'b' or 'c'" into buf (truncated
 * to size); notes are shown when `notes` is non-zero. */
void nr_suggest_phrase(const struct nr_suggest *s, int notes, char *buf,
                       size_t size);
void nr_suggest_free(struct nr_suggest *s);

#endif
