"""Limits and defaults of the C library, mirrored from include/netref.h.

ctypes cannot read a header's macros, so their values are repeated here
under the same names without the ``NETREF_`` prefix; a test parses
``netref.h`` and compares every name of ``__all__`` with its macro. The
binding's defaults (``hops=DEFAULT_HOPS``, ``max_hops=DEFAULT_PATH_HOPS``)
and its documented ranges use these names.
"""

__all__ = [
    "MAX_HOPS", "DEFAULT_HOPS", "MAX_PATH_HOPS", "DEFAULT_PATH_HOPS",
    "MAX_ALTERNATIVES", "NO_LIMIT", "DEFAULT_STRENGTH",
    "DEFAULT_BUSY_TIMEOUT", "ASK_FIRST_MAX_REACHED", "MATCHES_MAX_PAIRS",
    "MATCHES_MAX_ROWS", "CONNECTORS_MAX_COST", "IMPORT_MAX_ERRORS",
]

#: The largest hop limit of the reach queries (prospects, providers,
#: ask_first, matches, connectors, reconnect): they take 1 to this.
MAX_HOPS = 6
#: Their hop limit when none is given.
DEFAULT_HOPS = 2
#: The largest hop limit of :meth:`Network.path` (or :data:`NO_LIMIT`).
MAX_PATH_HOPS = 32
#: The hop limit of :meth:`Network.path` when none is given.
DEFAULT_PATH_HOPS = 6
#: The most alternatives :meth:`Network.path` gives besides the best path.
MAX_ALTERNATIVES = 20
#: No limit: as a result limit every row is kept; as the path's hop limit,
#: paths of any length count.
NO_LIMIT = 0
#: The strength of a tie created without one (tie_set, contact_log, an
#: introduction that warms the tie).
DEFAULT_STRENGTH = 0.5
#: The busy timeout of a new network, in milliseconds.
DEFAULT_BUSY_TIMEOUT = 5000
#: The most people ask_first reaches before it raises :class:`LimitError`.
ASK_FIRST_MAX_REACHED = 4000000
#: The most candidate pairs matches examines before it raises
#: :class:`LimitError`.
MATCHES_MAX_PAIRS = 100000000
#: The most rows a matches answer without a smaller limit may hold.
MATCHES_MAX_ROWS = 250000
#: The largest people x ties of the k-hop network that connectors answers
#: for; past it :class:`LimitError`.
CONNECTORS_MAX_COST = 100000000

#: How many bad rows a failed import lists before "... and N more
#: problems" (NETREF_IMPORT_MAX_ERRORS).
IMPORT_MAX_ERRORS = 20
