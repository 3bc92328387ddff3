/* Advice queries (DESIGN section 4): whom to ask first about a tag, and
 * which introductions the source could make (matches).
 *
 * ask_first runs the reach engine once from each direct contact c of the
 * source s, with k-1 hops and s banned, so that reach from c is the best
 * product over walks from c that never pass through s; the word told to
 * c first reaches a target t with strength(s,c) times that product.
 *
 * matches runs the engine once from s and pairs, tag by tag, the needers
 * and the providers it reached that are not tied to each other. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "reach.h"

/* ------------------------------------------------------------------ */
/* ask_first                                                           */
/* ------------------------------------------------------------------ */

struct via {
  uint32_t person, rank;
  double value;
};

struct contact {
  uint32_t person, rank;
  double score;
  uint32_t reached;
  uint32_t top[3];
  int n_top;
};

/* Largest value first, then key. */
static int via_cmp(const void *a, const void *b) {
  const struct via *x = a, *y = b;
  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int contact_cmp(const void *a, const void *b) {
  const struct contact *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* The targets: people != s holding t in the role, ascending, no repeats. */
static uint32_t merge_targets(const struct nr_tag *t, int role, uint32_t s,
                              uint32_t *out) {
  uint32_t n = 0, i = 0, j = 0;
  uint32_t nn = role & NETREF_ROLE_NEEDS ? t->n_needers : 0;
  uint32_t no = role & NETREF_ROLE_OFFERS ? t->n_offerers : 0;
  while (i < nn || j < no) {
    uint32_t v;
    if (j >= no || (i < nn && t->needers[i] < t->offerers[j]))
      v = t->needers[i++];
    else if (i >= nn || t->offerers[j] < t->needers[i])
      v = t->offerers[j++];
    else {
      v = t->needers[i++];
      j++;
    }
    if (v != s)
      out[n++] = v;
  }
  return n;
}

/* Score one contact c (tie strength w) from the run just made from c. */
static void score_contact(const struct nr_index *ix, const struct nr_reach *r,
                          int ran, uint32_t c, double w,
                          const uint32_t *targets, uint32_t n_targets,
                          struct via *buf, struct contact *out) {
  size_t n = 0;
  if (nr_find_person(targets, n_targets, c) >= 0)
    buf[n++] = (struct via){c, ix->rank[c], w};
  if (ran) {
    const uint32_t *reached;
    uint32_t n_reached = nr_reach_reached(r, &reached);
    if (n_reached < n_targets) {
      for (uint32_t i = 0; i < n_reached; i++)
        if (nr_find_person(targets, n_targets, reached[i]) >= 0)
          buf[n++] = (struct via){reached[i], ix->rank[reached[i]],
                                  w * nr_reach_value(r, reached[i])};
    } else {
      for (uint32_t i = 0; i < n_targets; i++)
        if (targets[i] != c && nr_reach_has(r, targets[i]))
          buf[n++] = (struct via){targets[i], ix->rank[targets[i]],
                                  w * nr_reach_value(r, targets[i])};
    }
  }
  if (n > 1)
    qsort(buf, n, sizeof *buf, via_cmp);
  *out = (struct contact){.person = c, .rank = ix->rank[c]};
  for (size_t i = 0; i < n && buf[i].value > 0; i++) {
    out->score += buf[i].value;
    out->reached++;
    if (out->n_top < 3)
      out->top[out->n_top++] = buf[i].person;
  }
}

static int ask_rows(const struct nr_index *ix, const struct contact *cs,
                    size_t n, int limit, netref_rows **out) {
  static const char *const names[] = {"key",  "name", "score", "reached",
                                      "top1", "top2", "top3"};
  int rc = nr_rows_new(7, names, out);
  if (limit > 0 && (size_t)limit < n)
    n = (size_t)limit;
  for (size_t i = 0; rc == NETREF_OK && i < n; i++) {
    const char *texts[7] = {ix->key[cs[i].person], ix->name[cs[i].person]};
    double reals[7] = {0, 0, cs[i].score, (double)cs[i].reached, 0, 0, 0};
    for (int j = 0; j < 3; j++) {
      texts[4 + j] = j < cs[i].n_top ? ix->key[cs[i].top[j]] : NULL;
      reals[4 + j] = (double)NAN;
    }
    rc = nr_rows_append(*out, texts, reals);
  }
  if (rc != NETREF_OK) {
    netref_rows_free(*out);
    *out = NULL;
  }
  return rc;
}

int netref_ask_first(netref_db *db, const char *source, const char *tag,
                     int role, const netref_options *opts,
                     netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc != NETREF_OK)
    return rc;
  if (role != NETREF_ROLE_OFFERS && role != NETREF_ROLE_NEEDS &&
      role != NETREF_ROLE_ANY)
    return nr_fail(db, NETREF_EINVAL,
                   "role must be NETREF_ROLE_OFFERS, _NEEDS or _ANY, not %d",
                   role);
  struct netref_options o;
  nr_options_get(opts, &o);
  struct nr_index *ix;
  int64_t src;
  const struct nr_tag *t;
  rc = nr_query_start(db, source, tag, &ix, &src, &t);
  if (rc != NETREF_OK)
    return rc;
  uint32_t s = (uint32_t)src;
  const uint32_t *nbr;
  const double *ws;
  const int32_t *days;
  uint32_t deg = nr_index_ties(ix, s, &nbr, &ws, &days);
  uint32_t h = t ? t->n_needers + t->n_offerers : 0;
  uint32_t *targets = malloc(((size_t)h + 1) * sizeof *targets);
  struct via *buf = malloc(((size_t)h + 1) * sizeof *buf);
  struct contact *cs = malloc(((size_t)deg + 1) * sizeof *cs);
  /* The source is banned: a contact's word must not travel back via s. */
  uint32_t ban_stamp = nr_index_new_mark(ix);
  size_t n_cs = 0;
  rc = targets && buf && cs && ban_stamp ? NETREF_OK : NETREF_ENOMEM;
  uint32_t n_targets = rc == NETREF_OK && t ? merge_targets(t, role, s, targets)
                                            : 0;
  struct nr_reach_params p = {
      .hops = o.hops - 1,
      .half_life = o.half_life,
      .today = o.today_set ? o.today : nr_today(),
      .ban = ix->marks,
      .ban_stamp = ban_stamp,
      .skip_direct = -1,
  };
  if (ban_stamp)
    ix->marks[s] = ban_stamp;
  for (uint32_t e = 0; rc == NETREF_OK && n_targets > 0 && e < deg; e++) {
    uint32_t c = nbr[e];
    if (c == s)
      continue;
    double w = nr_reach_strength(ws[e], days[e], &p);
    int ran = p.hops > 0;
    if (ran) {
      p.source = c;
      rc = nr_reach_run(ix->reach, ix, &p);
      if (rc != NETREF_OK)
        break;
    }
    struct contact row;
    score_contact(ix, ix->reach, ran, c, w, targets, n_targets, buf, &row);
    if (row.reached > 0)
      cs[n_cs++] = row;
  }
  if (rc == NETREF_OK) {
    if (n_cs > 1)
      qsort(cs, n_cs, sizeof *cs, contact_cmp);
    rc = ask_rows(ix, cs, n_cs, o.limit, out);
  }
  free(targets);
  free(buf);
  free(cs);
  return rc == NETREF_OK ? rc : nr_fail(db, rc, "out of memory");
}

/* ------------------------------------------------------------------ */
/* matches                                                             */
/* ------------------------------------------------------------------ */

struct holder {
  uint32_t person;
  double weight; /* of the need; 1 for a provider */
};

struct pair {
  uint32_t needer, provider;
  uint32_t needer_rank, provider_rank;
  const char *tag; /* owned by the index */
  double score, needer_reach, provider_reach;
};

static int pair_cmp(const void *a, const void *b) {
  const struct pair *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (x->needer_rank != y->needer_rank)
    return x->needer_rank < y->needer_rank ? -1 : 1;
  if (x->provider_rank != y->provider_rank)
    return x->provider_rank < y->provider_rank ? -1 : 1;
  return strcmp(x->tag, y->tag);
}

/* The holders of one side of a tag that the run reached, walking the
 * smaller side (as the tag queries do). */
static uint32_t reached_holders(const struct nr_reach *r,
                                const uint32_t *people, const double *weight,
                                uint32_t count, struct holder *out) {
  uint32_t n = 0;
  const uint32_t *reached;
  uint32_t n_reached = nr_reach_reached(r, &reached);
  if (n_reached < count) {
    for (uint32_t j = 0; j < n_reached; j++) {
      int64_t i = nr_find_person(people, count, reached[j]);
      if (i >= 0)
        out[n++] = (struct holder){reached[j], weight ? weight[i] : 1};
    }
  } else {
    for (uint32_t i = 0; i < count; i++)
      if (nr_reach_has(r, people[i]))
        out[n++] = (struct holder){people[i], weight ? weight[i] : 1};
  }
  return n;
}

struct match_ws {
  struct holder *needers, *providers;
  size_t cap_needers, cap_providers;
  struct pair *pairs;
  size_t n_pairs, cap_pairs;
};

static int pairs_of_tag(struct nr_index *ix, const struct nr_reach *r,
                        const struct nr_tag *t, struct match_ws *w) {
  if (t->n_needers == 0 || t->n_offerers == 0)
    return NETREF_OK;
  if (nr_grow(&w->needers, &w->cap_needers, t->n_needers,
              sizeof *w->needers) ||
      nr_grow(&w->providers, &w->cap_providers, t->n_offerers,
              sizeof *w->providers))
    return NETREF_ENOMEM;
  uint32_t nn = reached_holders(r, t->needers, t->need_weight, t->n_needers,
                                w->needers);
  uint32_t np = nn ? reached_holders(r, t->offerers, NULL, t->n_offerers,
                                     w->providers)
                   : 0;
  for (uint32_t i = 0; i < nn && np > 0; i++) {
    uint32_t a = w->needers[i].person;
    /* Mark a's ties, to skip providers a knows already. */
    uint32_t stamp = nr_index_new_mark(ix);
    if (!stamp)
      return NETREF_ENOMEM;
    const uint32_t *nbr;
    const double *ws;
    const int32_t *days;
    uint32_t deg = nr_index_ties(ix, a, &nbr, &ws, &days);
    for (uint32_t e = 0; e < deg; e++)
      ix->marks[nbr[e]] = stamp;
    double ra = nr_reach_value(r, a);
    for (uint32_t j = 0; j < np; j++) {
      uint32_t b = w->providers[j].person;
      if (b == a || ix->marks[b] == stamp)
        continue;
      if (nr_grow(&w->pairs, &w->cap_pairs, w->n_pairs + 1, sizeof *w->pairs))
        return NETREF_ENOMEM;
      double rb = nr_reach_value(r, b);
      w->pairs[w->n_pairs++] = (struct pair){
          .needer = a,
          .provider = b,
          .needer_rank = ix->rank[a],
          .provider_rank = ix->rank[b],
          .tag = t->name,
          .score = w->needers[i].weight * ra * rb,
          .needer_reach = ra,
          .provider_reach = rb,
      };
    }
  }
  return NETREF_OK;
}

static int match_rows(const struct nr_index *ix, const struct pair *ps,
                      size_t n, int limit, netref_rows **out) {
  static const char *const names[] = {
      "needer", "needer_name",  "provider",      "provider_name",
      "tag",    "score",        "needer_reach",  "provider_reach"};
  int rc = nr_rows_new(8, names, out);
  if (limit > 0 && (size_t)limit < n)
    n = (size_t)limit;
  for (size_t i = 0; rc == NETREF_OK && i < n; i++) {
    const char *texts[8] = {ix->key[ps[i].needer],   ix->name[ps[i].needer],
                            ix->key[ps[i].provider], ix->name[ps[i].provider],
                            ps[i].tag};
    double reals[8] = {0, 0, 0, 0, 0, ps[i].score, ps[i].needer_reach,
                       ps[i].provider_reach};
    rc = nr_rows_append(*out, texts, reals);
  }
  if (rc != NETREF_OK) {
    netref_rows_free(*out);
    *out = NULL;
  }
  return rc;
}

int netref_matches(netref_db *db, const char *source, const char *tag,
                   const netref_options *opts, netref_rows **out) {
  if (out)
    *out = NULL;
  int rc = nr_check_out(db, out);
  if (rc == NETREF_OK)
    rc = nr_check_text(db, "source", source, 0);
  if (rc != NETREF_OK)
    return rc;
  struct netref_options o;
  nr_options_get(opts, &o);
  char *norm = NULL;
  if (tag && (rc = nr_tag_normalize(db, tag, &norm)) != NETREF_OK)
    return rc;
  rc = nr_index_ready(db);
  if (rc != NETREF_OK) {
    free(norm);
    return rc;
  }
  struct nr_index *ix = db->index;
  int64_t src = nr_index_person(ix, source);
  const struct nr_tag *only = norm ? nr_index_tag(ix, norm) : NULL;
  int filtered = norm != NULL;
  free(norm);
  if (src < 0)
    return nr_fail(db, NETREF_ENOTFOUND, "no person '%s'", source);
  struct nr_reach_params p = {
      .source = (uint32_t)src,
      .hops = o.hops,
      .half_life = o.half_life,
      .today = o.today_set ? o.today : nr_today(),
      .skip_direct = -1,
  };
  struct match_ws w = {0};
  if (!filtered || only)
    rc = nr_reach_run(ix->reach, ix, &p);
  if (filtered) {
    if (rc == NETREF_OK && only)
      rc = pairs_of_tag(ix, ix->reach, only, &w);
  } else {
    for (uint32_t i = 0; rc == NETREF_OK && i < ix->ntags; i++)
      rc = pairs_of_tag(ix, ix->reach, &ix->tags[i], &w);
  }
  if (rc == NETREF_OK) {
    if (w.n_pairs > 1)
      qsort(w.pairs, w.n_pairs, sizeof *w.pairs, pair_cmp);
    rc = match_rows(ix, w.pairs, w.n_pairs, o.limit, out);
  }
  free(w.needers);
  free(w.providers);
  free(w.pairs);
  return rc == NETREF_OK ? rc : nr_fail(db, rc, "out of memory");
}
