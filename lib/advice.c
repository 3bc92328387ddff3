/* Advice queries (DESIGN section 4): whom to ask first about a tag, and
 * which introductions the source could make (matches).
 *
 * ask_first runs the reach engine once from each direct contact c of the
 * source s, with k-1 hops and s banned, so that reach from c is the best
 * product over walks from c that never pass through s; the word told to
 * c first reaches a target t with strength(s,c) times that product.
 *
 * matches runs the engine once from s and gathers, tag by tag, the
 * needers it reached and the reached providers of what each need
 * matches, counting the candidate pairs they make; past the documented
 * bounds it refuses before pairing. Then it pairs needer by needer, so
 * that a pair made by several needs is one row, and keeps only the best
 * `limit` rows while it runs (a heap). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "reach.h"
#include "scope.h"
#include "taxonomy.h"

/* ask_first */

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
    const char *texts[7] = {nr_index_key(ix, cs[i].person),
                            nr_index_name(ix, cs[i].person)};
    double reals[7] = {0, 0, cs[i].score, (double)cs[i].reached, 0, 0, 0};
    for (int j = 0; j < 3; j++) {
      texts[4 + j] = j < cs[i].n_top ? nr_index_key(ix, cs[i].top[j]) : NULL;
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
                     int role, const netref_options *opts, netref_rows **out) {
  nr_run_begin(db);
  return nr_run_end(db,
                    nr_ask_first_bounded(db, source, tag, role, opts,
                                         NETREF_ASK_FIRST_MAX_REACHED, out));
}

int nr_ask_first_bounded(netref_db *db, const char *source, const char *tag,
                         int role, const netref_options *opts,
                         uint64_t max_reached, netref_rows **out) {
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
  uint32_t ban_stamp = nr_query_new_mark(sc.q);
  size_t n_cs = 0;
  rc = targets && buf && cs && ban_stamp ? NETREF_OK : NETREF_ENOMEM;
  uint32_t n_targets = rc == NETREF_OK ? gather_targets(&sc, role, targets) : 0;
  struct nr_reach_params p = {
      .hops = o.hops - 1,
      .half_life = o.half_life,
      .today = o.today_set ? o.today : nr_today(),
      .ban = sc.q->marks,
      .ban_stamp = ban_stamp,
      .skip_direct = -1,
  };
  if (ban_stamp)
    sc.q->marks[s] = ban_stamp;
  uint64_t reached = 0;
  for (uint32_t e = 0; rc == NETREF_OK && n_targets > 0 && e < deg; e++) {
    uint32_t c = nbr[e];
    if (c == s)
      continue;
    double w = nr_reach_strength(ws[e], days[e], &p);
    int ran = p.hops > 0;
    if (ran) {
      p.source = c;
      rc = nr_reach_run(sc.q->reach, ix, &p);
      if (rc != NETREF_OK)
        break;
      const uint32_t *people;
      reached += nr_reach_reached(sc.q->reach, &people);
      if (reached > max_reached) {
        rc = nr_fail(db, NETREF_ELIMIT,
                     "ask-first from '%s' with %d hops reaches more than "
                     "%llu people through its first %u of %u contacts; "
                     "ask with fewer hops",
                     source, o.hops, (unsigned long long)max_reached, e + 1,
                     deg);
        break;
      }
    }
    struct contact row;
    score_contact(ix, sc.q->reach, ran, c, w, targets, n_targets, buf, &row);
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
  return rc == NETREF_OK ? rc : nr_fail_step(db, rc);
}

/* matches */

/* A reached holder of a tag: a needer (with the weight of the need and
 * the needed tag's entry in match_ws.needs) or a provider (with the
 * offered tag and how it relates to the needed one). */
struct holder {
  uint32_t person;
  uint32_t need;   /* a needer's: index into match_ws.needs */
  double weight;   /* of the need; 1 for a provider */
  double reach;    /* from the source */
  const char *tag; /* a provider's offered tag, owned by the index */
  unsigned char how;
};

/* A needed tag that some reached needer needs, and the reached
 * providers of what a need for it matches: providers[first ..
 * first + n - 1] of match_ws, one per person. */
struct need_tag {
  const struct nr_tag *tag;
  size_t first;
  uint32_t n;
};

struct pair {
  uint32_t needer, provider;
  uint32_t needer_rank, provider_rank;
  const char *tag, *offer_tag; /* owned by the index */
  double score, needer_reach, provider_reach;
};

/* The result order: score (descending), then needer key, provider key.
 * A pair has one row, so two rows never compare equal. */
static int pair_cmp(const void *a, const void *b) {
  const struct pair *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (x->needer_rank != y->needer_rank)
    return x->needer_rank < y->needer_rank ? -1 : 1;
  return x->provider_rank < y->provider_rank
             ? -1
             : x->provider_rank > y->provider_rank;
}

/* Whether row x names a pair rather than row y of the same needer and
 * provider: the larger score, then the needed tag, then the offered
 * tag first in byte order. */
static int names_pair_better(const struct pair *x, const struct pair *y) {
  if (x->score != y->score)
    return x->score > y->score;
  int c = strcmp(x->tag, y->tag);
  return c != 0 ? c < 0 : strcmp(x->offer_tag, y->offer_tag) < 0;
}

static int holder_person_cmp(const void *a, const void *b) {
  const struct holder *x = a, *y = b;
  return x->person < y->person ? -1 : x->person > y->person;
}

/* A needer's needs side by side (then in the order they were found). */
static int needer_cmp(const void *a, const void *b) {
  const struct holder *x = a, *y = b;
  if (x->person != y->person)
    return x->person < y->person ? -1 : 1;
  return x->need < y->need ? -1 : x->need > y->need;
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
      out[n].reach = nr_reach_value(r, reached[j]);
      out[n++].weight = weight ? weight[i] : 1;
    }
  } else {
    for (uint32_t i = 0; i < count; i++) {
      if (!nr_reach_has(r, people[i]) || !nr_scope_admits(sc, people[i]))
        continue;
      out[n] = proto;
      out[n].person = people[i];
      out[n].reach = nr_reach_value(r, people[i]);
      out[n++].weight = weight ? weight[i] : 1;
    }
  }
  return n;
}

struct match_ws {
  struct nr_query_ctx *q; /* its marks: a needer's ties, seen providers */
  /* Gathered first: the reached needs, the needed tags and their
   * reached providers. */
  struct holder *needers, *providers;
  size_t n_needers, cap_needers, n_providers, cap_providers;
  struct need_tag *needs;
  size_t n_needs, cap_needs;
  /* Candidate pairs to examine: the sum over needed tags of reached
   * needers x reached providers (saturating). Past `bound` (the
   * smaller of the bounds that apply) the gathering only counts, to
   * name the size in the refusal. */
  uint64_t examined, bound;
  /* Then, needer by needer: the best row of each provider in cand
   * (at[person]: its place there), moved to kept: with a limit a heap
   * of the best `limit` rows, the worst on top; without, every row. */
  uint32_t *at;
  struct pair *cand, *kept;
  size_t n_cand, cap_cand, n_kept, cap_kept, limit;
};

/* The reached providers of the tags a need matches, one entry per
 * person (their closest offered tag), at the end of w->providers. */
static int reached_providers(const struct nr_scope *sc,
                             const struct nr_reach *r,
                             const struct nr_tag_match *offers,
                             struct match_ws *w, uint32_t *n) {
  size_t total = 0;
  for (size_t i = 0; i < offers->n; i++)
    total += offers->tags[i]->n_offerers;
  if (nr_grow(&w->providers, &w->cap_providers, w->n_providers + total + 1,
              sizeof *w->providers))
    return NETREF_ENOMEM;
  struct holder *out = w->providers + w->n_providers;
  *n = 0;
  for (size_t i = 0; i < offers->n; i++) {
    const struct nr_tag *t = offers->tags[i];
    struct holder proto = {.tag = t->name, .how = offers->how[i]};
    *n += reached_holders(sc, r, t->offerers, NULL, t->n_offerers, proto,
                          out + *n);
  }
  if (offers->n > 1) /* one entry per person, the closest tag */
    *n = (uint32_t)nr_sort_unique(out, *n, sizeof *out, provider_cmp,
                                  holder_person_cmp);
  return NETREF_OK;
}

static uint64_t add_saturating(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Gather one needed tag: its reached needers and the reached providers
 * of what a need for it matches (looked up only when some needer was
 * reached), counting the pairs they make. */
static int gather_need(netref_db *db, const struct nr_scope *sc,
                       const struct nr_reach *r, const struct nr_tag *t,
                       int exact, struct match_ws *w) {
  if (t->n_needers == 0)
    return NETREF_OK;
  if (nr_grow(&w->needers, &w->cap_needers, w->n_needers + t->n_needers,
              sizeof *w->needers) ||
      nr_grow(&w->needs, &w->cap_needs, w->n_needs + 1, sizeof *w->needs))
    return nr_fail(db, NETREF_ENOMEM, "out of memory");
  struct holder proto = {.need = (uint32_t)w->n_needs};
  uint32_t nn = reached_holders(sc, r, t->needers, t->need_weight, t->n_needers,
                                proto, w->needers + w->n_needers);
  if (nn == 0)
    return NETREF_OK;
  struct nr_tag_match offers;
  int rc = nr_tag_match(db, sc->ix, t->name, exact, &offers);
  if (rc != NETREF_OK)
    return rc;
  uint32_t np = 0;
  rc = reached_providers(sc, r, &offers, w, &np);
  nr_tag_match_free(&offers);
  if (rc != NETREF_OK)
    return nr_fail(db, rc, "out of memory");
  w->examined = add_saturating(w->examined, (uint64_t)nn * np);
  if (np == 0 || w->examined > w->bound)
    return NETREF_OK; /* nothing to pair, or counting only */
  w->needs[w->n_needs++] = (struct need_tag){t, w->n_providers, np};
  w->n_needers += nn;
  w->n_providers += np;
  return NETREF_OK;
}

static void heap_sift_up(struct pair *h, size_t i) {
  struct pair x = h[i];
  while (i > 0 && pair_cmp(&h[(i - 1) / 2], &x) < 0) {
    h[i] = h[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h[i] = x;
}

static void heap_sift_down(struct pair *h, size_t n, size_t i) {
  struct pair x = h[i];
  for (size_t c; (c = 2 * i + 1) < n; i = c) {
    if (c + 1 < n && pair_cmp(&h[c + 1], &h[c]) > 0)
      c++; /* the worse child */
    if (pair_cmp(&h[c], &x) <= 0)
      break;
    h[i] = h[c];
  }
  h[i] = x;
}

/* Keep a pair's row: every row without a limit; with one, only while it
 * is among the best `limit` seen, which leaves exactly the first
 * `limit` rows of the full answer (rows never compare equal). */
static int keep(struct match_ws *w, const struct pair *x) {
  if (w->limit && w->n_kept == w->limit) {
    if (pair_cmp(x, &w->kept[0]) < 0) {
      w->kept[0] = *x;
      heap_sift_down(w->kept, w->n_kept, 0);
    }
    return NETREF_OK;
  }
  if (nr_grow(&w->kept, &w->cap_kept, w->n_kept + 1, sizeof *w->kept))
    return NETREF_ENOMEM;
  w->kept[w->n_kept++] = *x;
  if (w->limit)
    heap_sift_up(w->kept, w->n_kept - 1);
  return NETREF_OK;
}

/* A candidate row x of provider b for the current needer: the first of
 * b (marked `seen`, placed at the end of cand) or a better one. */
static int consider(uint32_t seen, const struct pair *x, struct match_ws *w) {
  uint32_t b = x->provider;
  if (w->q->marks[b] == seen) {
    if (names_pair_better(x, &w->cand[w->at[b]]))
      w->cand[w->at[b]] = *x;
    return NETREF_OK;
  }
  if (nr_grow(&w->cand, &w->cap_cand, w->n_cand + 1, sizeof *w->cand))
    return NETREF_ENOMEM;
  w->q->marks[b] = seen;
  w->at[b] = (uint32_t)w->n_cand;
  w->cand[w->n_cand++] = *x;
  return NETREF_OK;
}

/* One needer's needs (needs[0..n-1], one person): for each provider the
 * needer is not tied to, the row that names the pair, then kept. */
static int pair_needer(struct nr_index *ix, const struct holder *needs,
                       size_t n, struct match_ws *w) {
  uint32_t a = needs[0].person;
  /* Two fresh marks: a's ties, and the providers already in cand. */
  uint32_t tied = nr_query_new_mark(w->q);
  uint32_t seen = tied ? nr_query_new_mark(w->q) : 0;
  if (!seen)
    return NETREF_ENOMEM;
  const uint32_t *nbr;
  const double *ws;
  const int32_t *days;
  uint32_t deg = nr_index_ties(ix, a, &nbr, &ws, &days);
  for (uint32_t e = 0; e < deg; e++)
    w->q->marks[nbr[e]] = tied;
  double ra = needs[0].reach;
  /* With `limit` rows kept, a row scoring less than the worst of them
   * can never be kept: the worst only gets better. */
  int full = w->limit && w->n_kept == w->limit;
  double worst = full ? w->kept[0].score : 0;
  w->n_cand = 0;
  for (size_t i = 0; i < n; i++) {
    const struct need_tag *nt = &w->needs[needs[i].need];
    const struct holder *ps = w->providers + nt->first;
    double wa = needs[i].weight * ra;
    for (uint32_t j = 0; j < nt->n; j++) {
      uint32_t b = ps[j].person;
      double score = wa * ps[j].reach;
      if (b == a || w->q->marks[b] == tied || (full && score < worst))
        continue;
      struct pair x = {
          .needer = a,
          .provider = b,
          .needer_rank = ix->rank[a],
          .provider_rank = ix->rank[b],
          .tag = nt->tag->name,
          .offer_tag = ps[j].tag,
          .score = score,
          .needer_reach = ra,
          .provider_reach = ps[j].reach,
      };
      if (consider(seen, &x, w) != NETREF_OK)
        return NETREF_ENOMEM;
    }
  }
  for (size_t i = 0; i < w->n_cand; i++)
    if (keep(w, &w->cand[i]) != NETREF_OK)
      return NETREF_ENOMEM;
  return NETREF_OK;
}

/* Pair the gathered needers, one person at a time, so that each pair
 * is examined in one place whatever needs make it. */
static int pair_all(struct nr_index *ix, struct match_ws *w) {
  if (w->n_needers == 0)
    return NETREF_OK;
  w->at = malloc((size_t)ix->n * sizeof *w->at);
  if (!w->at)
    return NETREF_ENOMEM;
  qsort(w->needers, w->n_needers, sizeof *w->needers, needer_cmp);
  for (size_t i = 0, end; i < w->n_needers; i = end) {
    for (end = i + 1;
         end < w->n_needers && w->needers[end].person == w->needers[i].person;
         end++)
      ;
    int rc = pair_needer(ix, w->needers + i, end - i, w);
    if (rc == NETREF_OK && (i & 255) == 0 && nr_index_stopped(ix))
      rc = NETREF_ECANCELED;
    if (rc != NETREF_OK)
      return rc;
  }
  return NETREF_OK;
}

static int match_rows(const struct nr_index *ix, const struct pair *ps,
                      size_t n, netref_rows **out) {
  static const char *const names[] = {
      "needer", "needer_name",  "provider",       "provider_name", "tag",
      "score",  "needer_reach", "provider_reach", "offer_tag"};
  int rc = nr_rows_new(9, names, out);
  for (size_t i = 0; rc == NETREF_OK && i < n; i++) {
    const char *texts[9] = {nr_index_key(ix, ps[i].needer),
                            nr_index_name(ix, ps[i].needer),
                            nr_index_key(ix, ps[i].provider),
                            nr_index_name(ix, ps[i].provider),
                            ps[i].tag,
                            NULL,
                            NULL,
                            NULL,
                            ps[i].offer_tag};
    double reals[9] = {
        0, 0, 0, 0, 0, ps[i].score, ps[i].needer_reach, ps[i].provider_reach,
        0};
    rc = nr_rows_append(*out, texts, reals);
  }
  if (rc != NETREF_OK) {
    netref_rows_free(*out);
    *out = NULL;
  }
  return rc;
}

static void match_ws_free(struct match_ws *w) {
  free(w->needers);
  free(w->providers);
  free(w->needs);
  free(w->at);
  free(w->cand);
  free(w->kept);
}

/* Refuse a query whose candidate pairs exceed a bound: max_pairs for
 * the time any query takes, max_rows for the rows of an answer without
 * a limit (or with a larger one), which may list every candidate. */
static int check_bounds(netref_db *db, const char *source, int hops,
                        uint64_t max_pairs, uint64_t max_rows,
                        const struct match_ws *w) {
  const char *fewer = hops > 1 ? "fewer hops, " : "";
  if (w->examined > max_pairs)
    return nr_fail(db, NETREF_ELIMIT,
                   "matches: the needers and providers within %d hop%s of "
                   "'%s' make %" PRIu64 " candidate pairs, more than the "
                   "bound of %" PRIu64 " that keeps an answer within "
                   "seconds; ask with %sa tag or a group",
                   hops, hops == 1 ? "" : "s", source, w->examined, max_pairs,
                   fewer);
  if (w->examined > max_rows && (!w->limit || w->limit > max_rows))
    return nr_fail(db, NETREF_ELIMIT,
                   "matches: the needers and providers within %d hop%s of "
                   "'%s' make %" PRIu64 " candidate pairs, and an answer "
                   "%s may list each of them, more than the %" PRIu64
                   " rows an answer may hold; ask with a limit of at most "
                   "%" PRIu64 ", %sa tag or a group",
                   hops, hops == 1 ? "" : "s", source, w->examined,
                   w->limit ? "with that limit" : "without a limit", max_rows,
                   max_rows, fewer);
  return NETREF_OK;
}

int nr_matches_bounded(netref_db *db, const char *source, const char *tag,
                       const netref_options *opts, uint64_t max_pairs,
                       uint64_t max_rows, netref_rows **out) {
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
  struct match_ws w = {.q = sc.q, .limit = o.limit > 0 ? (size_t)o.limit : 0};
  w.bound = !w.limit || w.limit > max_rows ? max_rows : max_pairs;
  if (w.bound > max_pairs)
    w.bound = max_pairs;
  if (!tag || sc.match.n > 0)
    rc = nr_reach_run(sc.q->reach, ix, &p);
  if (rc != NETREF_OK)
    rc = nr_fail_step(db, rc);
  /* With a tag, the needs it matches; without, every need. */
  size_t n_needs = tag ? sc.match.n : ix->ntags;
  for (size_t i = 0; rc == NETREF_OK && i < n_needs; i++)
    rc = gather_need(db, &sc, sc.q->reach,
                     tag ? sc.match.tags[i] : &ix->tags[i], o.exact, &w);
  if (rc == NETREF_OK)
    rc = check_bounds(db, source, o.hops, max_pairs, max_rows, &w);
  if (rc == NETREF_OK) {
    rc = pair_all(ix, &w);
    if (rc == NETREF_OK && w.n_kept > 1)
      qsort(w.kept, w.n_kept, sizeof *w.kept, pair_cmp);
    if (rc == NETREF_OK)
      rc = match_rows(ix, w.kept, w.n_kept, out);
    if (rc != NETREF_OK)
      rc = nr_fail_step(db, rc);
  }
  match_ws_free(&w);
  nr_scope_close(&sc);
  return rc;
}

int netref_matches(netref_db *db, const char *source, const char *tag,
                   const netref_options *opts, netref_rows **out) {
  nr_run_begin(db);
  return nr_run_end(db, nr_matches_bounded(db, source, tag, opts,
                                           NETREF_MATCHES_MAX_PAIRS,
                                           NETREF_MATCHES_MAX_ROWS, out));
}
