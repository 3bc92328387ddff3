/* Query options: an opaque object so that new options never break the ABI. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void nr_options_default(struct netref_options *o) {
  o->hops = NR_DEFAULT_HOPS;
  o->max_hops = NR_DEFAULT_PATH_HOPS;
  o->alternatives = 0;
  o->limit = NETREF_NO_LIMIT;
  o->half_life = 0;
  o->today_set = 0;
  o->today = 0;
  o->exact = 0;
  o->group = NULL;
}

void nr_options_get(const netref_options *opts, struct netref_options *out) {
  if (opts)
    *out = *opts;
  else
    nr_options_default(out);
}

int netref_options_new(netref_options **out) {
  if (!out)
    return nr_fail(NULL, NETREF_EINVAL, "netref_options_new: out is NULL");
  *out = malloc(sizeof **out);
  if (!*out)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  nr_options_default(*out);
  return NETREF_OK;
}

void netref_options_free(netref_options *opts) {
  if (opts)
    free(opts->group);
  free(opts);
}

int netref_options_set_hops(netref_options *opts, int hops) {
  if (!opts)
    return nr_fail(NULL, NETREF_EINVAL, "options are NULL");
  if (hops < 1 || hops > NR_MAX_HOPS)
    return nr_fail(NULL, NETREF_EINVAL, "hops must be 1 to %d, not %d",
                   NR_MAX_HOPS, hops);
  opts->hops = hops;
  return NETREF_OK;
}

int netref_options_set_limit(netref_options *opts, int limit) {
  if (!opts)
    return nr_fail(NULL, NETREF_EINVAL, "options are NULL");
  if (limit < 0)
    return nr_fail(NULL, NETREF_EINVAL, "limit must not be negative");
  opts->limit = limit;
  return NETREF_OK;
}

int netref_options_set_half_life(netref_options *opts, double days) {
  if (!opts)
    return nr_fail(NULL, NETREF_EINVAL, "options are NULL");
  if (!isfinite(days) || days < 0)
    return nr_fail(NULL, NETREF_EINVAL,
                   "half-life must be a positive number of days (0 for none)");
  opts->half_life = days;
  return NETREF_OK;
}

int netref_options_set_today(netref_options *opts, const char *date) {
  if (!opts)
    return nr_fail(NULL, NETREF_EINVAL, "options are NULL");
  if (!date) {
    opts->today_set = 0;
    return NETREF_OK;
  }
  int32_t day;
  if (nr_parse_date(date, &day))
    return nr_fail(NULL, NETREF_EINVAL, "bad date '%s' (expected YYYY-MM-DD)",
                   date);
  opts->today = day;
  opts->today_set = 1;
  return NETREF_OK;
}

int netref_options_set_max_hops(netref_options *opts, int max_hops) {
  if (!opts)
    return nr_fail(NULL, NETREF_EINVAL, "options are NULL");
  if (max_hops < 0 || max_hops > NR_MAX_PATH_HOPS)
    return nr_fail(NULL, NETREF_EINVAL,
                   "max hops must be 0 (no limit) to %d, not %d",
                   NR_MAX_PATH_HOPS, max_hops);
  opts->max_hops = max_hops;
  return NETREF_OK;
}

int netref_options_set_alternatives(netref_options *opts, int alternatives) {
  if (!opts)
    return nr_fail(NULL, NETREF_EINVAL, "options are NULL");
  if (alternatives < 0 || alternatives > NR_MAX_ALTERNATIVES)
    return nr_fail(NULL, NETREF_EINVAL, "alternatives must be 0 to %d, not %d",
                   NR_MAX_ALTERNATIVES, alternatives);
  opts->alternatives = alternatives;
  return NETREF_OK;
}

int netref_options_set_exact(netref_options *opts, int exact) {
  if (!opts)
    return nr_fail(NULL, NETREF_EINVAL, "options are NULL");
  opts->exact = exact != 0;
  return NETREF_OK;
}

int netref_options_set_group(netref_options *opts, const char *group) {
  if (!opts)
    return nr_fail(NULL, NETREF_EINVAL, "options are NULL");
  char *copy = NULL;
  if (group) {
    int rc = nr_check_text(NULL, "group", group, 0);
    if (rc != NETREF_OK)
      return rc;
    copy = strdup(group);
    if (!copy)
      return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  }
  free(opts->group);
  opts->group = copy;
  return NETREF_OK;
}
