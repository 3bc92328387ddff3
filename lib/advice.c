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

#include "reach.h"
#include "scope.h"
#include "taxonomy.h"

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

static uint32_t add_targets(const struct nr_scope *sc, const uint32_t *people,
                            uint32_t count, uint32_t *out, uint32_t n) {
  for (uint32_t i = 0; i < count; i++)
    if (people[i] != sc->source && nr_scope_admits(sc, people[i]))
      out[n++] = people[i];
  return n;
}

/* The targets: people other than the source, admitted by the scope,
 * holding a matched tag in the role; ascending, no repeats. */
static uint32_t gather_targets(const struct nr_scope *sc, int role,
                               uint32_t *out) {
  uint32_t n = 0;
  for (size_t i = 0; i < sc->match.n; i++) {
    const struct nr_tag *t = sc->match.tags[i];
    if (role & NETREF_ROLE_NEEDS)
      n = add_targets(sc, t->needers, t->n_needers, out, n);
    if (role & NETREF_ROLE_OFFERS)
      n = add_targets(sc, t->offerers, t->n_offerers, out, n);
  }
  return (uint32_t)nr_sort_unique(out, n, sizeof *out, nr_person_cmp, NULL);
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
  if (!tag)
    return nr_fail(db, NETREF_EINVAL, "tag is NULL");
  if (role != NETREF_ROLE_OFFERS && role != NETREF_ROLE_NEEDS &&
      role != NETREF_ROLE_ANY)
    return nr_fail(db, NETREF_EINVAL,
                   "role must be NETREF_ROLE_OFFERS, _NEEDS or _ANY, not %d",
                   role);
  struct netref_options o;
  nr_options_get(opts, &o);
  struct nr_scope sc;
  rc = nr_scope_open(db, source, tag, &o, &sc);
  if (rc != NETREF_OK)
    return rc;
  struct nr_index *ix = sc.ix;
  uint32_t s = sc.source;
  const uint32_t *nbr;
  const double *ws;
  const int32_t *days;
  uint32_t deg = nr_index_ties(ix, s, &nbr, &ws, &days);
  size_t h = 0;
  for (size_t i = 0; i < sc.match.n; i++)
    h += (size_t)sc.match.tags[i]->n_needers + sc.match.tags[i]->n_offerers;
  uint32_t *targets = malloc((h + 1) * sizeof *targets);
  struct via *buf = malloc((h + 1) * sizeof *buf);
  struct contact *cs = malloc(((size_t)deg + 1) * sizeof *cs);
  /* The source is banned: a contact's word must not travel back via s. */
  uint32_t ban_stamp = nr_index_new_mark(ix);
  size_t n_cs = 0;
  rc = targets && buf && cs && ban_stamp ? NETREF_OK : NETREF_ENOMEM;
  uint32_t n_targets =
      rc == NETREF_OK ? gather_targets(&sc, role, targets) : 0;
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
  nr_scope_close(&sc);
  return rc == NETREF_OK ? rc : nr_fail(db, rc, "out of memory");
}

/* ------------------------------------------------------------------ */
/* matches                                                             */
/* ------------------------------------------------------------------ */

struct holder {
  uint32_t person;
  double weight;   /* of the need; 1 for a provider */
  const char *tag; /* a provider's offered tag, owned by the index */
  unsigned char how;
};

struct pair {
  uint32_t needer, provider;
  uint32_t needer_rank, provider_rank;
  const char *tag, *offer_tag; /* owned by the index */
  double score, needer_reach, provider_reach;
};

/* One introduction: the same needer, provider and offered tag. */
static int pair_introduction_cmp(const void *a, const void *b) {
  const struct pair *x = a, *y = b;
  if (x->needer != y->needer)
    return x->needer < y->needer ? -1 : 1;
  if (x->provider != y->provider)
    return x->provider < y->provider ? -1 : 1;
  return strcmp(x->offer_tag, y->offer_tag);
}

/* The same introduction found through several needs: grouped by
 * needer, provider and offered tag, best score first, then tag. */
static int same_pair_cmp(const void *a, const void *b) {
  const struct pair *x = a, *y = b;
  int c = pair_introduction_cmp(a, b);
  if (c != 0)
    return c;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp(x->tag, y->tag);
}

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

static int holder_person_cmp(const void *a, const void *b) {
  const struct holder *x = a, *y = b;
  return x->person < y->person ? -1 : x->person > y->person;
}

/* A provider's offers in one tag's match: the closest first (the tag
 * itself, an alias, a narrower tag), then the tag's bytes. */
static int provider_cmp(const void *a, const void *b) {
  const struct holder *x = a, *y = b;
  if (x->person != y->person)
    return x->person < y->person ? -1 : 1;
  if (x->how != y->how)
    return x->how < y->how ? -1 : 1;
  return strcmp(x->tag, y->tag);
}

/* The holders of one side of a tag that the run reached and the scope
 * admits, appended at out; walks the smaller side (as the tag queries
 * do). */
static uint32_t reached_holders(const struct nr_scope *sc,
                                const struct nr_reach *r,
                                const uint32_t *people, const double *weight,
                                uint32_t count, struct holder proto,
                                struct holder *out) {
  uint32_t n = 0;
  const uint32_t *reached;
  uint32_t n_reached = nr_reach_reached(r, &reached);
  if (n_reached < count) {
    for (uint32_t j = 0; j < n_reached; j++) {
      int64_t i = nr_find_person(people, count, reached[j]);
      if (i < 0 || !nr_scope_admits(sc, reached[j]))
        continue;
      out[n] = proto;
      out[n].person = reached[j];
      out[n++].weight = weight ? weight[i] : 1;
    }
  } else {
    for (uint32_t i = 0; i < count; i++) {
      if (!nr_reach_has(r, people[i]) || !nr_scope_admits(sc, people[i]))
        continue;
      out[n] = proto;
      out[n].person = people[i];
      out[n++].weight = weight ? weight[i] : 1;
    }
  }
  return n;
}

struct match_ws {
  struct holder *needers, *providers;
  size_t cap_needers, cap_providers;
  struct pair *pairs;
  size_t n_pairs, cap_pairs;
};

/* The reached providers of the tags a need for t matches, one entry
 * per person (their closest offered tag). */
static int reached_providers(const struct nr_scope *sc,
                             const struct nr_reach *r,
                             const struct nr_tag_match *offers,
                             struct match_ws *w, uint32_t *n) {
  size_t total = 0;
  for (size_t i = 0; i < offers->n; i++)
    total += offers->tags[i]->n_offerers;
  if (nr_grow(&w->providers, &w->cap_providers, total + 1,
              sizeof *w->providers))
    return NETREF_ENOMEM;
  *n = 0;
  for (size_t i = 0; i < offers->n; i++) {
    const struct nr_tag *t = offers->tags[i];
    struct holder proto = {.tag = t->name, .how = offers->how[i]};
    *n += reached_holders(sc, r, t->offerers, NULL, t->n_offerers, proto,
                          w->providers + *n);
  }
  if (offers->n > 1) /* one entry per person, the closest tag */
    *n = (uint32_t)nr_sort_unique(w->providers, *n, sizeof *w->providers,
                                  provider_cmp, holder_person_cmp);
  return NETREF_OK;
}

/* Pair each of the nn reached needers of t with each of the np reached
 * providers (in w) it is not tied to. */
static int pair_up(const struct nr_scope *sc, const struct nr_reach *r,
                   const struct nr_tag *t, uint32_t nn, uint32_t np,
                   struct match_ws *w) {
  struct nr_index *ix = sc->ix;
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
          .offer_tag = w->providers[j].tag,
          .score = w->needers[i].weight * ra * rb,
          .needer_reach = ra,
          .provider_reach = rb,
      };
    }
  }
  return NETREF_OK;
}

/* The pairs of one needed tag: its reached needers, and the reached
 * providers of what a need for it matches (looked up only when some
 * needer was reached). */
static int pairs_of_need(netref_db *db, const struct nr_scope *sc,
                         const struct nr_reach *r, const struct nr_tag *t,
                         int exact, struct match_ws *w) {
  if (t->n_needers == 0)
    return NETREF_OK;
  if (nr_grow(&w->needers, &w->cap_needers, t->n_needers,
              sizeof *w->needers))
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  uint32_t nn = reached_holders(sc, r, t->needers, t->need_weight,
                                t->n_needers, (struct holder){0}, w->needers);
  if (nn == 0)
    return NETREF_OK;
  struct nr_tag_match offers;
  int rc = nr_tag_match(db, sc->ix, t->name, exact, &offers);
  if (rc != NETREF_OK)
    return rc;
  uint32_t np = 0;
  rc = reached_providers(sc, r, &offers, w, &np);
  if (rc == NETREF_OK)
    rc = pair_up(sc, r, t, nn, np, w);
  nr_tag_match_free(&offers);
  return rc == NETREF_OK ? rc : nr_fail(db, rc, "out of memory");
}

static int match_rows(const struct nr_index *ix, const struct pair *ps,
                      size_t n, int limit, netref_rows **out) {
  static const char *const names[] = {
      "needer", "needer_name",  "provider",       "provider_name", "tag",
      "score",  "needer_reach", "provider_reach", "offer_tag"};
  int rc = nr_rows_new(9, names, out);
  if (limit > 0 && (size_t)limit < n)
    n = (size_t)limit;
  for (size_t i = 0; rc == NETREF_OK && i < n; i++) {
    const char *texts[9] = {ix->key[ps[i].needer],   ix->name[ps[i].needer],
                            ix->key[ps[i].provider], ix->name[ps[i].provider],
                            ps[i].tag, NULL, NULL, NULL, ps[i].offer_tag};
    double reals[9] = {0, 0, 0, 0, 0, ps[i].score, ps[i].needer_reach,
                       ps[i].provider_reach, 0};
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
  if (rc != NETREF_OK)
    return rc;
  struct netref_options o;
  nr_options_get(opts, &o);
  struct nr_scope sc;
  rc = nr_scope_open(db, source, tag, &o, &sc);
  if (rc != NETREF_OK)
    return rc;
  struct nr_index *ix = sc.ix;
  struct nr_reach_params p = {
      .source = sc.source,
      .hops = o.hops,
      .half_life = o.half_life,
      .today = o.today_set ? o.today : nr_today(),
      .skip_direct = -1,
  };
  struct match_ws w = {0};
  if (!tag || sc.match.n > 0)
    rc = nr_reach_run(ix->reach, ix, &p);
  if (rc != NETREF_OK)
    rc = nr_fail(db, rc, "out of memory");
  /* With a tag, the needs it matches; without, every need. */
  size_t n_needs = tag ? sc.match.n : ix->ntags;
  for (size_t i = 0; rc == NETREF_OK && i < n_needs; i++)
    rc = pairs_of_need(db, &sc, ix->reach,
                       tag ? sc.match.tags[i] : &ix->tags[i], o.exact, &w);
  if (rc == NETREF_OK) {
    /* A needer with two needs one offer matches (aliases, or a tag and
     * a narrower one) is one introduction; only the taxonomy makes such
     * repeats. */
    if (nr_taxonomy_tags(db->taxonomy) > 0)
      w.n_pairs = nr_sort_unique(w.pairs, w.n_pairs, sizeof *w.pairs,
                                 same_pair_cmp, pair_introduction_cmp);
    if (w.n_pairs > 1)
      qsort(w.pairs, w.n_pairs, sizeof *w.pairs, pair_cmp);
    rc = match_rows(ix, w.pairs, w.n_pairs, o.limit, out);
    if (rc != NETREF_OK)
      rc = nr_fail(db, rc, "out of memory");
  }
  free(w.needers);
  free(w.providers);
  free(w.pairs);
  nr_scope_close(&sc);
  return rc;
}
