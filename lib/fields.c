/* netref_fields: the optional fields of one write, each absent, set or
 * cleared (netref.h, "Fields of a write"). Values are checked here, when
 * they are set; which fields a write takes is checked by the write
 * (nr_fields_accept). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum field_type { FIELD_TEXT, FIELD_DATE, FIELD_REAL, FIELD_INT };

struct field_spec {
  const char *name;
  enum field_type type;
};

/* Indexed by NETREF_FIELD_* (1 to NR_FIELD_LAST); entry 0 is unused. */
static const struct field_spec specs[NR_FIELD_LAST + 1] = {
    [NETREF_FIELD_STRENGTH] = {"strength", FIELD_REAL},
    [NETREF_FIELD_LAST_CONTACT] = {"last_contact", FIELD_DATE},
    [NETREF_FIELD_CONTEXT] = {"context", FIELD_TEXT},
    [NETREF_FIELD_CADENCE] = {"cadence", FIELD_INT},
    [NETREF_FIELD_DATE] = {"date", FIELD_DATE},
    [NETREF_FIELD_TAG] = {"tag", FIELD_TEXT},
    [NETREF_FIELD_NOTE] = {"note", FIELD_TEXT},
    [NETREF_FIELD_STATUS] = {"status", FIELD_INT},
    [NETREF_FIELD_WARM_TIE] = {"warm_tie", FIELD_INT},
    [NETREF_FIELD_KIND] = {"kind", FIELD_TEXT},
    [NETREF_FIELD_VALUE] = {"value", FIELD_REAL},
    [NETREF_FIELD_WEIGHT] = {"weight", FIELD_REAL},
};

static const char *const type_names[] = {"text", "a date", "a real number",
                                         "an integer"};

/* A failure (on the thread: setters have no handle) unless `field` is a
 * known field of a non-NULL object. */
static int field_known(const netref_fields *f, int field) {
  if (!f)
    return nr_fail(NULL, NETREF_EINVAL, "fields are NULL");
  if (field < 1 || field > NR_FIELD_LAST)
    return nr_fail(NULL, NETREF_EINVAL, "unknown field %d", field);
  return NETREF_OK;
}

/* field_known, and the field is of type a or b. */
static int field_typed(const netref_fields *f, int field, enum field_type a,
                       enum field_type b) {
  int rc = field_known(f, field);
  if (rc != NETREF_OK)
    return rc;
  enum field_type t = specs[field].type;
  if (t != a && t != b)
    return nr_fail(NULL, NETREF_EINVAL, "field '%s' takes %s",
                   specs[field].name, type_names[t]);
  return NETREF_OK;
}

int netref_fields_new(netref_fields **out) {
  if (!out)
    return nr_fail(NULL, NETREF_EINVAL, "netref_fields_new: out is NULL");
  *out = calloc(1, sizeof **out);
  if (!*out)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  return NETREF_OK;
}

int netref_fields_reset(netref_fields *f) {
  if (!f)
    return nr_fail(NULL, NETREF_EINVAL, "fields are NULL");
  for (int i = 0; i <= NR_FIELD_LAST; i++)
    free(f->text[i]);
  memset(f, 0, sizeof *f);
  return NETREF_OK;
}

void netref_fields_free(netref_fields *f) {
  if (f)
    netref_fields_reset(f);
  free(f);
}

static void field_forget_text(netref_fields *f, int field) {
  free(f->text[field]);
  f->text[field] = NULL;
}

int netref_fields_set_text(netref_fields *f, int field, const char *value) {
  int rc = field_typed(f, field, FIELD_TEXT, FIELD_DATE);
  if (rc == NETREF_OK)
    rc = nr_check_text(NULL, specs[field].name, value, 0);
  if (rc != NETREF_OK)
    return rc;
  int32_t day;
  if (specs[field].type == FIELD_DATE && nr_parse_date(value, &day))
    return nr_fail(NULL, NETREF_EINVAL,
                   "%s: bad date '%s' (expected YYYY-MM-DD)", specs[field].name,
                   value);
  char *copy = strdup(value);
  if (!copy)
    return nr_fail(NULL, NETREF_ENOMEM, "out of memory");
  field_forget_text(f, field);
  f->text[field] = copy;
  f->state[field] = NR_FIELD_SET;
  return NETREF_OK;
}

/* The range of each real field. */
static int real_problem(int field, double v) {
  switch (field) {
  case NETREF_FIELD_STRENGTH:
  case NETREF_FIELD_WEIGHT:
    return !nr_strength_valid(v)
               ? nr_fail(NULL, NETREF_EINVAL, "%s %g is out of range (0,1]",
                         specs[field].name, v)
               : NETREF_OK;
  default: /* NETREF_FIELD_VALUE */
    return !isfinite(v) || v < 0
               ? nr_fail(NULL, NETREF_EINVAL,
                         "value %g must be a finite number >= 0", v)
               : NETREF_OK;
  }
}

int netref_fields_set_real(netref_fields *f, int field, double value) {
  int rc = field_typed(f, field, FIELD_REAL, FIELD_REAL);
  if (rc == NETREF_OK)
    rc = real_problem(field, value);
  if (rc != NETREF_OK)
    return rc;
  f->real[field] = value;
  f->state[field] = NR_FIELD_SET;
  return NETREF_OK;
}

/* The range of each integer field. */
static int int_problem(int field, long long v) {
  switch (field) {
  case NETREF_FIELD_CADENCE:
    return v < 1 || v > INT_MAX
               ? nr_fail(NULL, NETREF_EINVAL,
                         "cadence %lld is out of range (1 to %d days)", v,
                         INT_MAX)
               : NETREF_OK;
  case NETREF_FIELD_STATUS:
    return v < NETREF_INTRO_PROPOSED || v > NETREF_INTRO_DECLINED
               ? nr_fail(NULL, NETREF_EINVAL, "unknown status %lld", v)
               : NETREF_OK;
  default: /* NETREF_FIELD_WARM_TIE */
    return v != 0 && v != 1
               ? nr_fail(NULL, NETREF_EINVAL, "warm_tie must be 0 or 1")
               : NETREF_OK;
  }
}

int netref_fields_set_int(netref_fields *f, int field, long long value) {
  int rc = field_typed(f, field, FIELD_INT, FIELD_INT);
  if (rc == NETREF_OK)
    rc = int_problem(field, value);
  if (rc != NETREF_OK)
    return rc;
  f->integer[field] = value;
  f->state[field] = NR_FIELD_SET;
  return NETREF_OK;
}

int netref_fields_clear(netref_fields *f, int field) {
  int rc = field_known(f, field);
  if (rc != NETREF_OK)
    return rc;
  field_forget_text(f, field);
  f->state[field] = NR_FIELD_CLEARED;
  return NETREF_OK;
}

int nr_fields_accept(netref_db *db, const netref_fields *f, const char *write,
                     unsigned takes, unsigned clears) {
  if (!f)
    return NETREF_OK;
  for (int i = 1; i <= NR_FIELD_LAST; i++) {
    if (f->state[i] == NR_FIELD_ABSENT)
      continue;
    if (!(takes & NR_FIELD_BIT(i)))
      return nr_fail(db, NETREF_EINVAL, "%s does not take the field '%s'",
                     write, specs[i].name);
    if (f->state[i] == NR_FIELD_CLEARED && !(clears & NR_FIELD_BIT(i)))
      return nr_fail(db, NETREF_EINVAL, "%s: the field '%s' cannot be cleared",
                     write, specs[i].name);
  }
  return NETREF_OK;
}

int nr_fields_state(const netref_fields *f, int field) {
  return f ? f->state[field] : NR_FIELD_ABSENT;
}

const char *nr_fields_text(const netref_fields *f, int field) {
  switch (nr_fields_state(f, field)) {
  case NR_FIELD_SET:
    return f->text[field];
  case NR_FIELD_CLEARED:
    return "";
  default:
    return NULL;
  }
}

double nr_fields_real(const netref_fields *f, int field, double absent) {
  return nr_fields_state(f, field) == NR_FIELD_SET ? f->real[field] : absent;
}

long long nr_fields_int(const netref_fields *f, int field, long long absent) {
  return nr_fields_state(f, field) == NR_FIELD_SET ? f->integer[field] : absent;
}

void nr_fields_date(const netref_fields *f, int field, char day[11]) {
  int32_t n;
  const char *text = nr_fields_text(f, field);
  if (!text || !*text || nr_parse_date(text, &n))
    n = nr_today();
  nr_format_date(n, day);
}
