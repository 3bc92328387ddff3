/* packaging.header_c99 / packaging.header_cxx: netref.h must compile on its
 * own as strict C99 and as C++ (no other include before it), twice (the
 * include guard), and its declarations must be usable. */
#include "netref.h"
#include "netref.h"

int netref_header_check(void);

int netref_header_check(void) {
  const char *(*version)(void) = netref_version;
  int (*open_fn)(const char *, netref_db **) = netref_open;
  void (*free_fn)(netref_result *) = netref_result_free;
  netref_progress_fn progress = 0;
  size_t n = sizeof(NETREF_VERSION);
  (void)version;
  (void)open_fn;
  (void)free_fn;
  (void)progress;
  return (int)n + NETREF_VERSION_MAJOR + NETREF_OK + NETREF_OPEN_CREATE +
         NETREF_ROLE_ANY + NETREF_CSV_NEEDS + NETREF_FIELD_WEIGHT +
         (NETREF_EREADONLY < 0);
}
