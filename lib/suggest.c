/* "Did you mean ...?": edit distance on code points and the closest few
 * known texts (suggest.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "suggest.h"

/* A one-letter name in a longer one says little: containment counts
 * from this many code points on. */
#define NR_SUGGEST_MIN_PART 3

/* Code points of a (valid UTF-8) text, at most NR_SUGGEST_MAX_CHARS. */
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

static size_t min2(size_t a, size_t b) { return a < b ? a : b; }

/* The edit distance between code point strings (insertions, deletions,
 * substitutions, and swaps of two neighbours, the commonest typo: the
 * "optimal string alignment" distance) when it is at most `limit`, else
 * some value above it. Three rows of the table, and in each only the
 * band of cells within `limit` of the diagonal: a cell outside it is
 * more than `limit` away. A row holds its band, the cell before it and
 * the cell after it (set far), which is all the next two rows read. */
static size_t edit_distance(const int32_t *a, size_t na, const int32_t *b,
                            size_t nb, size_t limit) {
  size_t far = limit + 1;
  if ((na > nb ? na - nb : nb - na) > limit)
    return far;
  size_t rows[3][NR_SUGGEST_MAX_CHARS + 2];
  for (size_t j = 0; j <= nb + 1; j++)
    rows[0][j] = j <= limit ? j : far;
  for (size_t i = 1; i <= na; i++) {
    size_t *row = rows[i % 3], *up = rows[(i - 1) % 3],
           *up2 = rows[(i + 1) % 3]; /* row i - 2 */
    size_t lo = i > limit ? i - limit : 1, hi = min2(nb, i + limit);
    row[lo - 1] = lo == 1 && i <= limit ? i : far;
    size_t least = row[lo - 1];
    for (size_t j = lo; j <= hi; j++) {
      size_t d = min2(up[j - 1] + (a[i - 1] != b[j - 1]),
                      min2(up[j] + 1, row[j - 1] + 1));
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d = min2(d, up2[j - 2] + 1);
      row[j] = min2(d, far);
      least = min2(least, row[j]);
    }
    row[hi + 1] = far;
    if (least > limit)
      return far; /* every later row is at least this far */
  }
  return rows[na % 3][nb];
}

void nr_suggest_init(struct nr_suggest *s, const char *asked) {
  memset(s, 0, sizeof *s);
  s->asked = asked;
  s->n = code_points(asked, s->cp);
}

size_t nr_suggest_distance(const struct nr_suggest *s, const char *known) {
  int32_t b[NR_SUGGEST_MAX_CHARS];
  size_t nb = code_points(known, b);
  size_t longer = s->n > nb ? s->n : nb;
  size_t allowed = longer / 3 > 1 ? longer / 3 : 1;
  int contains = (nb >= NR_SUGGEST_MIN_PART && strstr(s->asked, known)) ||
                 (s->n >= NR_SUGGEST_MIN_PART && strstr(known, s->asked));
  /* A contained text is suggested at whatever distance: compute it all. */
  size_t d = edit_distance(s->cp, s->n, b, nb, contains ? longer : allowed);
  if ((d <= allowed && d < longer) || contains)
    return d;
  return NR_SUGGEST_FAR;
}

static int before(const struct nr_suggestion *kept, const char *text,
                  size_t distance) {
  return !kept->text || distance < kept->distance ||
         (distance == kept->distance && strcmp(text, kept->text) < 0);
}

static char *copy_of(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c)
    memcpy(c, s, n);
  return c;
}

int nr_suggest_keep(struct nr_suggest *s, const char *text, const char *note,
                    size_t distance) {
  struct nr_suggestion *best = s->best;
  int at = -1;
  for (int i = 0; i < NR_SUGGESTIONS; i++) {
    if (best[i].text && strcmp(best[i].text, text) == 0)
      return 0;
    if (at < 0 && before(&best[i], text, distance))
      at = i;
  }
  if (at < 0)
    return 0;
  struct nr_suggestion add = {copy_of(text), note ? copy_of(note) : NULL,
                              distance};
  if (!add.text || (note && !add.note)) {
    free(add.text);
    free(add.note);
    return -1;
  }
  struct nr_suggestion *last = &best[NR_SUGGESTIONS - 1];
  free(last->text);
  free(last->note);
  memmove(best + at + 1, best + at,
          (size_t)(NR_SUGGESTIONS - 1 - at) * sizeof *best);
  best[at] = add;
  return 0;
}

size_t nr_suggest_count(const struct nr_suggest *s) {
  size_t n = 0;
  while (n < NR_SUGGESTIONS && s->best[n].text)
    n++;
  return n;
}

void nr_suggest_phrase(const struct nr_suggest *s, int notes, char *buf,
                       size_t size) {
  size_t n = nr_suggest_count(s), len = 0;
  buf[0] = 0;
  for (size_t i = 0; i < n && len < size; i++) {
    const struct nr_suggestion *g = &s->best[i];
    const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
    int w = notes && g->note
                ? snprintf(buf + len, size - len, "%s'%s' (%s)", sep, g->text,
                           g->note)
                : snprintf(buf + len, size - len, "%s'%s'", sep, g->text);
    if (w < 0)
      break;
    len += (size_t)w;
  }
}

void nr_suggest_free(struct nr_suggest *s) {
  for (int i = 0; i < NR_SUGGESTIONS; i++) {
    free(s->best[i].text);
    free(s->best[i].note);
    s->best[i].text = s->best[i].note = NULL;
  }
}
