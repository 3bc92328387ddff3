/* Suggestions for an unknown tag: the held tags and the taxonomy's tags
 * closest to it by edit distance on code points. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "index.h"
#include "taxonomy.h"

#define NR_SUGGESTIONS 3
#define NR_SUGGEST_MAX_CHARS 64

/* Code points of a (valid UTF-8) tag, at most NR_SUGGEST_MAX_CHARS. */
static size_t code_points(const char *s, int32_t *cp) {
  size_t n = 0;
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  while (*p && n < NR_SUGGEST_MAX_CHARS) {
    utf8proc_int32_t c;
    utf8proc_ssize_t len = utf8proc_iterate(p, -1, &c);
    if (len <= 0)
      break;
    cp[n++] = c;
    p += len;
  }
  return n;
}

/* Levenshtein distance between code point strings, in one row. */
static size_t edit_distance(const int32_t *a, size_t na, const int32_t *b,
                            size_t nb) {
  size_t row[NR_SUGGEST_MAX_CHARS + 1];
  for (size_t j = 0; j <= nb; j++)
    row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

struct suggestion {
  const char *tag;
  size_t distance;
};

/* Keep the closest few candidates, by distance, then byte order. */
static void consider(struct suggestion *best, const char *tag,
                     size_t distance) {
  for (int i = 0; i < NR_SUGGESTIONS; i++) {
    if (best[i].tag && strcmp(best[i].tag, tag) == 0)
      return;
  }
  for (int i = 0; i < NR_SUGGESTIONS; i++) {
    if (!best[i].tag || distance < best[i].distance ||
        (distance == best[i].distance && strcmp(tag, best[i].tag) < 0)) {
      memmove(best + i + 1, best + i,
              (size_t)(NR_SUGGESTIONS - 1 - i) * sizeof *best);
      best[i] = (struct suggestion){tag, distance};
      return;
    }
  }
}

/* A known tag is close when it differs by a few edits (a third of the
 * longer one, at least one, never all of it), or when one contains the
 * other and the contained one has three characters or more (so that a
 * one-letter tag is not suggested for everything). */
#define NR_SUGGEST_MIN_PART 3
static void suggest_from(struct suggestion *best, const char *asked,
                         const int32_t *a, size_t na, const char *tag) {
  int32_t b[NR_SUGGEST_MAX_CHARS];
  size_t nb = code_points(tag, b);
  size_t d = edit_distance(a, na, b, nb);
  size_t longer = na > nb ? na : nb;
  size_t allowed = longer / 3 > 1 ? longer / 3 : 1;
  if (d <= allowed && d < longer)
    consider(best, tag, d);
  else if ((nb >= NR_SUGGEST_MIN_PART && strstr(asked, tag)) ||
           (na >= NR_SUGGEST_MIN_PART && strstr(tag, asked)))
    consider(best, tag, d);
}

int nr_tag_unknown(netref_db *db, const struct nr_index *ix,
                   const char *norm) {
  int32_t a[NR_SUGGEST_MAX_CHARS];
  size_t na = code_points(norm, a);
  struct suggestion best[NR_SUGGESTIONS] = {{0}};
  for (uint32_t i = 0; i < ix->ntags; i++)
    if (nr_tag_held(&ix->tags[i]))
      suggest_from(best, norm, a, na, ix->tags[i].name);
  const struct nr_taxonomy *t = db->taxonomy;
  for (uint32_t i = 0; i < nr_taxonomy_tags(t); i++)
    suggest_from(best, norm, a, na, nr_taxonomy_name(t, i));
  if (!best[0].tag)
    return nr_fail(db, NETREF_ENOTFOUND,
                   "unknown tag '%s': nobody offers or needs it and the "
                   "taxonomy does not name it",
                   norm);
  if (!best[1].tag)
    return nr_fail(db, NETREF_ENOTFOUND,
                   "unknown tag '%s' (did you mean '%s'?)", norm, best[0].tag);
  if (!best[2].tag)
    return nr_fail(db, NETREF_ENOTFOUND,
                   "unknown tag '%s' (did you mean '%s' or '%s'?)", norm,
                   best[0].tag, best[1].tag);
  return nr_fail(db, NETREF_ENOTFOUND,
                 "unknown tag '%s' (did you mean '%s', '%s' or '%s'?)", norm,
                 best[0].tag, best[1].tag, best[2].tag);
}
