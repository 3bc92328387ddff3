/* Suggestions for an unknown tag: the held tags and the taxonomy's tags
 * closest to it by edit distance on code points (suggest.c). */
#include "index.h"
#include "suggest.h"
#include "taxonomy.h"

static int suggest_from(struct nr_suggest *s, const char *tag) {
  size_t d = nr_suggest_distance(s, tag);
  return d == NR_SUGGEST_FAR ? 0 : nr_suggest_keep(s, tag, NULL, d);
}

int nr_tag_unknown(netref_db *db, const struct nr_index *ix,
                   const char *norm) {
  struct nr_suggest s;
  nr_suggest_init(&s, norm);
  int failed = 0;
  for (uint32_t i = 0; !failed && i < ix->ntags; i++)
    if (nr_tag_held(&ix->tags[i]))
      failed = suggest_from(&s, ix->tags[i].name);
  const struct nr_taxonomy *t = db->taxonomy;
  for (uint32_t i = 0; !failed && i < nr_taxonomy_tags(t); i++)
    failed = suggest_from(&s, nr_taxonomy_name(t, i));
  char phrase[NR_ERRMSG_SIZE];
  nr_suggest_phrase(&s, 0, phrase, sizeof phrase);
  nr_suggest_free(&s);
  if (failed)
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  if (!*phrase)
    return nr_fail(db, NETREF_ENOTFOUND,
                   "unknown tag '%s': nobody offers or needs it and the "
                   "taxonomy does not name it",
                   norm);
  return nr_fail(db, NETREF_ENOTFOUND, "unknown tag '%s' (did you mean %s?)",
                 norm, phrase);
}
