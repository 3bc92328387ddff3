"""netref: referral networks, from Python.

A pure-Python binding (ctypes, standard library only) of the netref C
library: the people someone knows, what those people offer and might
need, and who can introduce whom.

>>> import netref
>>> with netref.open(":memory:") as net:
...     net.person_add("me", "Jordan Lee")
...     net.person_add("priya", "Priya Natarajan")
...     net.person_add("ravi", "Ravi Shah")
...     net.tie_set("me", "priya", 0.9)
...     net.tie_set("priya", "ravi", 0.85)
...     net.need_add("ravi", "Party Planning", 0.8)
...     [(r.name, r.introducer) for r in net.prospects("me", "party planning")]
[('Ravi Shah', 'priya')]

The shared library is found through the environment variable
``NETREF_LIBRARY`` (a file name), then beside an installed copy of this
package (``<prefix>/lib/libnetref.so.1`` for a package in
``<prefix>/lib/python3.X/site-packages``), then in the build tree of a
source checkout (``build*/lib``), then by the system loader
(``libnetref.so.1``). Failures of the C library are raised as
:class:`Error` subclasses carrying the library's message; misuse (a
closed network, a wrong type, a string that is not valid Unicode) raises
a Python exception, never crashes.

Roles, introduction statuses and tag relations are the str-valued enums
:class:`Role`, :class:`Status` and :class:`Relation`: arguments take a
member or its string, records return members (equal to their strings).
Dates in records are ``datetime.date`` objects; arguments take a date or
a ``"YYYY-MM-DD"`` string.

The header's limits and defaults are module constants under the names of
their macros without ``NETREF_``: :data:`MAX_HOPS`, :data:`DEFAULT_HOPS`,
:data:`MAX_PATH_HOPS`, :data:`DEFAULT_PATH_HOPS`, :data:`MAX_ALTERNATIVES`,
:data:`NO_LIMIT`, :data:`DEFAULT_STRENGTH`, :data:`DEFAULT_BUSY_TIMEOUT`
and the bounds past which a query raises :class:`LimitError`
(:data:`ASK_FIRST_MAX_REACHED`, :data:`MATCHES_MAX_PAIRS`,
:data:`MATCHES_MAX_ROWS`, :data:`CONNECTORS_MAX_COST`).
"""

import ctypes as _ctypes

from . import _ffi
from ._errors import (EBUSY, ECANCELED, ECORRUPT, EEXISTS, EINVAL, EIO,
                      ELIMIT, ENOMEM, ENOTDB, ENOTFOUND, EPARSE, EREADONLY,
                      ERROR, EVERSION, OK, AlreadyExists, Busy, Canceled,
                      ClosedError, CorruptDatabase, Error, FileError,
                      InvalidArgument, LimitError, NotADatabase, NotFound,
                      OutOfMemory, ParseError, ReadOnly, VersionError)
from ._fields import CLEAR
from ._limits import (ASK_FIRST_MAX_REACHED, CONNECTORS_MAX_COST,
                      DEFAULT_BUSY_TIMEOUT, DEFAULT_HOPS, DEFAULT_PATH_HOPS,
                      DEFAULT_STRENGTH, MATCHES_MAX_PAIRS, MATCHES_MAX_ROWS,
                      IMPORT_MAX_ERRORS, MAX_ALTERNATIVES, MAX_HOPS,
                      MAX_PATH_HOPS, NO_LIMIT)
from ._network import Network, PathLike, open_network as _open_network
from ._records import (AskFirstRow, BalanceRow, Connector, Contact,
                       ContactImport, ExportFormat, ExportSummary, Group,
                       GroupSummary, Introduction, Match, Need, Offer, Path,
                       Person, PersonExport, PersonMatch, PersonSummary,
                       Reconnect,
                       Relation, Result, Role, Status, TagHolder, TagMatch,
                       TagRelation, Tie)

# Nothing above touches the C library at import time; load it now, so that
# `import netref` fails at once when it cannot be found.
_ffi.load()

__all__ = [
    "open", "Network", "version", "version_number", "normalize_tag",
    "strerror", "library_path",
    "Person", "PersonSummary", "Tie", "Offer", "Need", "TagHolder", "Result",
    "Path",
    "Introduction", "BalanceRow", "Contact", "Reconnect",
    "Group",
    "AskFirstRow", "Match", "TagRelation", "TagMatch",
    "Error", "InvalidArgument", "ClosedError", "OutOfMemory", "NotFound",
    "AlreadyExists", "NotADatabase", "CorruptDatabase", "VersionError",
    "FileError", "ParseError", "Busy", "ReadOnly",
    "OK", "ERROR", "EINVAL", "ENOMEM", "ENOTFOUND", "EEXISTS", "ENOTDB",
    "ECORRUPT", "EVERSION", "EIO", "EPARSE", "EBUSY", "EREADONLY",
    "Connector", "LimitError", "ELIMIT",
    "Canceled", "ECANCELED",
    "GroupSummary", "PersonExport", "PersonMatch", "ContactImport",
    "Role", "Status", "Relation",
    "CLEAR",
    # limits and defaults of netref.h (_limits.py)
    "MAX_HOPS", "DEFAULT_HOPS", "MAX_PATH_HOPS", "DEFAULT_PATH_HOPS",
    "MAX_ALTERNATIVES", "NO_LIMIT", "DEFAULT_STRENGTH",
    "DEFAULT_BUSY_TIMEOUT", "ASK_FIRST_MAX_REACHED", "MATCHES_MAX_PAIRS",
    "MATCHES_MAX_ROWS", "CONNECTORS_MAX_COST", "IMPORT_MAX_ERRORS",
    "ExportFormat", "ExportSummary",
]

#: Version of this Python package.
__version__ = "0.1.0"


def open(path: PathLike, create: bool = True,
         readonly: bool = False) -> Network:
    """Open a referral network stored in one SQLite database file.

    :param path: the file name, or ``":memory:"`` for a private in-memory
        network.
    :param create: create the file and its schema when it does not exist
        (otherwise a missing file raises :class:`NotFound`).
    :param readonly: open read-only: every change raises
        :class:`ReadOnly`. A read-only open never creates the file.
    :return: the open :class:`Network`, usable as a context manager.
    :raises NotADatabase: when the file is not a netref database.
    :raises CorruptDatabase: when it is damaged or truncated.
    :raises VersionError: when a newer netref wrote it.
    :raises FileError: when it cannot be opened.
    """
    return _open_network(path, create=create, readonly=readonly)


def version() -> str:
    """Release version of the loaded C library, e.g. ``"0.1.0"``."""
    return _ffi.message_from_c(_ffi._lib.netref_version())


def version_number() -> int:
    """Release version of the loaded C library as one number: major *
    1000000 + minor * 1000 + patch."""
    return int(_ffi._lib.netref_version_number())


def strerror(code: int) -> str:
    """Short English description of a C error code (e.g. ``netref.EIO``);
    ``"unknown error"`` for unknown codes."""
    ccode = _ffi.to_int(code, "code")
    return _ffi.message_from_c(_ffi._lib.netref_strerror(ccode))


def normalize_tag(tag: str) -> str:
    """A tag as netref stores it: Unicode NFKC, case folded, surrounding
    white space trimmed and inner runs of white space collapsed.

    >>> normalize_tag("  Party   PLANNING ")
    'party planning'

    :raises InvalidArgument: for a tag that is empty after normalization.
    """
    ctag = _ffi.to_c(tag, "tag")
    out = _ctypes.c_void_p()
    lib = _ffi._lib
    try:
        lib.netref_tag_normalize(ctag, _ctypes.byref(out))
        if not out.value:
            raise Error("netref_tag_normalize returned no tag")
        return _ctypes.string_at(out.value).decode("utf-8")
    finally:
        lib.netref_free(out)


def library_path() -> str:
    """The file name the C library was loaded from (as given to the
    loader: a path, or ``libnetref.so.1`` when the system loader found
    it)."""
    return _ffi.loaded_path()
