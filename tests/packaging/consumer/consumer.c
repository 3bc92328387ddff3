/* A program outside the netref tree, built against an installed copy of
 * netref by packaging.consumer (pkg-config, CMake, static). Exits 0 and
 * prints "consumer ok" when the answer is right. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <netref.h>

#define CHECK(rc)                                                              \
  do {                                                                         \
    int rc_ = (rc);                                                            \
    if (rc_ != NETREF_OK) {                                                    \
      fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #rc,         \
              netref_strerror(rc_), netref_errmsg(db));                        \
      return 1;                                                                \
    }                                                                          \
  } while (0)

int main(void) {
  netref_db *db = NULL;
  netref_result *res = NULL;
  netref_fields *tie = NULL;
  const char *intro;
  int ok;

  if (strcmp(netref_version(), NETREF_VERSION) != 0) {
    fprintf(stderr, "header %s but library %s\n", NETREF_VERSION,
            netref_version());
    return 1;
  }
  CHECK(netref_open(":memory:", &db));
  CHECK(netref_person_add(db, "me", "Me"));
  CHECK(netref_person_add(db, "ana", "Ana Lima"));
  CHECK(netref_fields_new(&tie));
  CHECK(netref_fields_set_real(tie, NETREF_FIELD_STRENGTH, 0.8));
  CHECK(netref_fields_set_text(tie, NETREF_FIELD_LAST_CONTACT, "2024-11-30"));
  CHECK(netref_fields_set_text(tie, NETREF_FIELD_CONTEXT, "evening"));
  CHECK(netref_tie_set(db, "me", "ana", tie));
  netref_fields_free(tie);
  CHECK(netref_need_add(db, "ana", "Party Planning", NULL));
  CHECK(netref_prospects(db, "me", "  party   planning ", NULL, &res));

  printf("rows %zu\n", netref_result_count(res));
  if (netref_result_count(res) > 0) {
    intro = netref_result_introducer(res, 0);
    printf("%s %s hops=%d score=%.3f introducer=%s tag=%s\n",
           netref_result_key(res, 0), netref_result_name(res, 0),
           netref_result_hops(res, 0), netref_result_score(res, 0),
           intro ? intro : "-", netref_result_tag(res, 0));
  }
  ok = netref_result_count(res) == 1 &&
       strcmp(netref_result_key(res, 0), "ana") == 0 &&
       netref_result_hops(res, 0) == 1 &&
       fabs(netref_result_score(res, 0) - 0.8) < 1e-12 &&
       netref_result_introducer(res, 0) == NULL;
  netref_result_free(res);
  netref_close(db);
  if (!ok) {
    fprintf(stderr, "consumer: wrong answer\n");
    return 1;
  }
  printf("consumer ok\n");
  return 0;
}
