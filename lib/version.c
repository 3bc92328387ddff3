/* Runtime version, for bindings that cannot read the header's macros. */
#include "internal.h"

const char *netref_version(void) { return NETREF_VERSION; }

int netref_version_number(void) { return NETREF_VERSION_NUMBER; }
