/* The tests' short forms of the writes that take a netref_fields object
 * (netref.h, "Fields of a write"): positional values, with the "keep"
 * and "clear" of each field spelled as before fields existed (a
 * negative number keeps, NULL text keeps, "" clears), so that a test
 * reads as one line. They return the first failing call's code: a value
 * the fields object refuses fails before the write, with its message in
 * netref_errmsg(NULL). The fields object itself is tested in
 * test_fields.c. */
#ifndef NETREF_TEST_WRITES_H
#define NETREF_TEST_WRITES_H

#include "netref.h"

/* Set a text field from "NULL keeps, empty clears". */
static inline int t_text(netref_fields *f, int field, const char *v) {
  if (!v)
    return NETREF_OK;
  return *v ? netref_fields_set_text(f, field, v)
            : netref_fields_clear(f, field);
}

/* Run `write` with a fresh fields object f_ filled by `fill`, a list
 * of T_FILL(call) statements: the first failure stops and is returned. */
#define T_FILL(call)                                                           \
  if (rc_ == NETREF_OK)                                                        \
  rc_ = (call)
#define T_WITH_FIELDS(fill, write)                                             \
  do {                                                                         \
    netref_fields *f_ = NULL;                                                  \
    int rc_ = netref_fields_new(&f_);                                          \
    fill;                                                                      \
    T_FILL(write);                                                             \
    netref_fields_free(f_);                                                    \
    return rc_;                                                                \
  } while (0)

/* The "keep" of a real field in the short forms: the old sentinel. */
#define T_KEEP (-1.0)
static inline int t_real(netref_fields *f, int field, double v) {
  return v == T_KEEP ? NETREF_OK : netref_fields_set_real(f, field, v);
}

/* Whether a real field takes a value (the code of the setter). */
static inline int t_field_real(int field, double v) {
  netref_fields *f = NULL;
  int rc = netref_fields_new(&f);
  if (rc == NETREF_OK)
    rc = netref_fields_set_real(f, field, v);
  netref_fields_free(f);
  return rc;
}

/* netref_tie_set: strength T_KEEP keeps (a new tie gets the default). */
static inline int t_tie_set(netref_db *db, const char *a, const char *b,
                            double strength, const char *last_contact,
                            const char *context) {
  T_WITH_FIELDS(T_FILL(t_real(f_, NETREF_FIELD_STRENGTH, strength));
                T_FILL(t_text(f_, NETREF_FIELD_LAST_CONTACT, last_contact));
                T_FILL(t_text(f_, NETREF_FIELD_CONTEXT, context)),
                netref_tie_set(db, a, b, f_));
}

/* The cadence of a tie (0 clears), creating the tie when there is none. */
static inline int t_tie_cadence(netref_db *db, const char *a, const char *b,
                                int days) {
  T_WITH_FIELDS(
      T_FILL(days ? netref_fields_set_int(f_, NETREF_FIELD_CADENCE, days)
                  : netref_fields_clear(f_, NETREF_FIELD_CADENCE)),
      netref_tie_set(db, a, b, f_));
}

/* netref_offer_set: note NULL keeps, "" clears. */
static inline int t_offer_set(netref_db *db, const char *person,
                              const char *tag, const char *note) {
  T_WITH_FIELDS(T_FILL(t_text(f_, NETREF_FIELD_NOTE, note)),
                netref_offer_set(db, person, tag, f_));
}

/* netref_need_set with a weight (T_KEEP keeps). */
static inline int t_need_set(netref_db *db, const char *person, const char *tag,
                             double weight) {
  T_WITH_FIELDS(T_FILL(t_real(f_, NETREF_FIELD_WEIGHT, weight)),
                netref_need_set(db, person, tag, f_));
}

/* netref_intro_add: tag, date and note NULL for none. */
static inline int t_intro_add(netref_db *db, const char *introducer,
                              const char *seeker, const char *target,
                              const char *tag, const char *date,
                              const char *note, int status, int warm_tie,
                              long long *id) {
  T_WITH_FIELDS(
      T_FILL(t_text(f_, NETREF_FIELD_TAG, tag));
      T_FILL(t_text(f_, NETREF_FIELD_DATE, date));
      T_FILL(t_text(f_, NETREF_FIELD_NOTE, note));
      T_FILL(netref_fields_set_int(f_, NETREF_FIELD_STATUS, status));
      T_FILL(netref_fields_set_int(f_, NETREF_FIELD_WARM_TIE, warm_tie)),
      netref_intro_add(db, introducer, seeker, target, f_, id));
}

/* netref_intro_set_status: date NULL for today; value T_KEEP, or 0 with a
 * status other than converted, for none. */
static inline int t_intro_status(netref_db *db, long long id, int status,
                                 const char *date, double value) {
  if (value == 0 && status != NETREF_INTRO_CONVERTED)
    value = T_KEEP;
  T_WITH_FIELDS(T_FILL(t_text(f_, NETREF_FIELD_DATE, date));
                T_FILL(t_real(f_, NETREF_FIELD_VALUE, value)),
                netref_intro_set_status(db, id, status, f_));
}

/* netref_contact_log: date, kind and note NULL for their defaults. */
static inline int t_contact_log(netref_db *db, const char *a, const char *b,
                                const char *date, const char *kind,
                                const char *note, long long *id) {
  T_WITH_FIELDS(T_FILL(t_text(f_, NETREF_FIELD_DATE, date));
                T_FILL(t_text(f_, NETREF_FIELD_KIND, kind));
                T_FILL(t_text(f_, NETREF_FIELD_NOTE, note)),
                netref_contact_log(db, a, b, f_, id));
}

/* netref_tag_expand with exact matching on or off. */
static inline int t_tag_expand(netref_db *db, const char *tag, int exact,
                               netref_rows **out) {
  netref_options *o = NULL;
  int rc = netref_options_new(&o);
  if (rc == NETREF_OK)
    rc = netref_options_set_exact(o, exact);
  if (rc == NETREF_OK)
    rc = netref_tag_expand(db, tag, o, out);
  netref_options_free(o);
  return rc;
}

#endif
