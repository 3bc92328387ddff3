"""Loading libnetref and declaring its C functions (private).

Everything that touches ctypes directly lives here:

* finding and loading the shared library (:func:`load`), in the order
  ``NETREF_LIBRARY``, the library installed under the same prefix as this
  package, the build tree of a source checkout, the system loader;
* :data:`FUNCTIONS`, the one table of every C function with its argument
  types, result type and error check, registered on the library at load;
* the opaque handle types, one ``c_void_p`` subclass per C handle type,
  which refuse to be passed where another handle type is expected;
* the conversions of strings into and out of C (:func:`to_c`,
  :func:`from_c`, :func:`path_to_c`).
"""

import ctypes
import numbers
import os
import re
import sysconfig
from ctypes import (CFUNCTYPE, POINTER, c_char, c_char_p, c_double, c_int,
                    c_longlong, c_size_t, c_void_p)
from typing import Any, Callable, List, Optional, Sequence, Tuple

from ._errors import InvalidArgument, error_for

#: The library's SONAME: what the system loader and installations provide.
SONAME = "libnetref.so.1"
#: The oldest library release this binding works with (0.1.0): the one
#: whose header the table below was written from.
MIN_VERSION_NUMBER = 1000
#: The environment variable naming the library file to load.
ENV_LIBRARY = "NETREF_LIBRARY"

INT_MIN = -(2 ** 31)
INT_MAX = 2 ** 31 - 1


# --------------------------------------------------------------------------
# Opaque handles

class _Handle(c_void_p):
    """A pointer to an opaque C object of one type.

    ``from_param`` accepts only instances of the same class (or None for
    NULL), so that passing a result where a network is expected raises
    TypeError instead of handing C the wrong object.
    """

    @classmethod
    def from_param(cls, obj: Any) -> Any:
        if obj is None or isinstance(obj, cls):
            return obj
        raise TypeError(f"expected {cls.__name__}, got {type(obj).__name__}")


class DbPtr(_Handle):
    """``netref_db *``: an open network."""


class OptionsPtr(_Handle):
    """``netref_options *``: query options."""


class ResultPtr(_Handle):
    """``netref_result *``: the rows answering a query."""


class RowsPtr(_Handle):
    """``netref_rows *``: a table of listed records."""


class ImportPtr(_Handle):
    """``netref_import *``: an import job (CSV files, LinkedIn, vCard)."""


class FieldsPtr(_Handle):
    """``netref_fields *``: the optional fields of one write."""


class ExportPtr(_Handle):
    """``netref_export *``: an export job."""


#: ``netref_progress_fn``: int (*)(void *user, const char *path,
#: long long rows); a non-zero return cancels the import.
ProgressFn = CFUNCTYPE(c_int, c_void_p, c_char_p, c_longlong)


# --------------------------------------------------------------------------
# Strings and numbers in and out

def to_c(value: Any, what: str) -> bytes:
    """A str argument as the NUL-terminated UTF-8 bytes C expects.

    Raises TypeError for anything but str, and InvalidArgument for a str
    that cannot be encoded (lone surrogates) or that holds a NUL character
    (C would silently cut it there).
    """
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InvalidArgument(
            f"{what} cannot be encoded as UTF-8: {e.reason} at index "
            f"{e.start}") from None
    if b"\0" in data:
        raise InvalidArgument(f"{what} contains a NUL character")
    return data


def opt_to_c(value: Any, what: str) -> Optional[bytes]:
    """Like :func:`to_c`, with None passed on as NULL."""
    return None if value is None else to_c(value, what)


def path_to_c(value: Any, what: str) -> bytes:
    """A file name (str, bytes or os.PathLike) as bytes for C.

    str paths are encoded with the file system encoding (os.fsencode), so
    that a name read from the file system round-trips.
    """
    try:
        path = os.fspath(value)
    except TypeError:
        raise TypeError(f"{what} must be a path (str, bytes or os.PathLike), "
                        f"not {type(value).__name__}") from None
    try:
        data = os.fsencode(path)
    except UnicodeEncodeError as e:
        raise InvalidArgument(
            f"{what} cannot be encoded: {e.reason}") from None
    if b"\0" in data:
        raise InvalidArgument(f"{what} contains a NUL character")
    if not data:
        raise InvalidArgument(f"{what} is empty")
    return data


def from_c(data: Optional[bytes]) -> Optional[str]:
    """A string from C (UTF-8 bytes, or None for NULL) as str or None."""
    return None if data is None else data.decode("utf-8")


def message_from_c(data: Optional[bytes]) -> str:
    """A message from C as str; never fails (bad bytes are replaced)."""
    return "" if data is None else data.decode("utf-8", "replace")


def to_int(value: Any, what: str, low: int = INT_MIN,
           high: int = INT_MAX) -> int:
    """An int argument checked for type (bool is refused) and range."""
    # A plain int in range first: the Integral check is an ABC lookup,
    # a large part of a small query's argument checks.
    if type(value) is int and low <= value <= high:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be int, not {type(value).__name__}")
    number = int(value)
    if not low <= number <= high:
        raise InvalidArgument(f"{what} {number} is out of range")
    return number


def to_float(value: Any, what: str) -> float:
    """A real-number argument as float; bool and non-numbers are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number, not "
                        f"{type(value).__name__}")
    try:
        return float(value)
    except OverflowError:
        raise InvalidArgument(f"{what} is out of range: {value!r}") from None


def to_bool(value: Any, what: str) -> bool:
    """A flag argument: exactly True or False."""
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be bool, not {type(value).__name__}")
    return value


# --------------------------------------------------------------------------
# Error checks (ctypes errcheck hooks)

_lib: Any = None  # the loaded CDLL, set by load()
#: The :data:`UNCHECKED` functions of _lib, set by load().
_unchecked: Any = None


def _check_db(rc: int, func: Any, args: Tuple[Any, ...]) -> int:
    """errcheck for calls on a handle: the message is netref_errmsg(db)."""
    if rc != 0:
        msg = message_from_c(_lib.netref_errmsg(args[0]))
        raise error_for(rc, msg or message_from_c(_lib.netref_strerror(rc)))
    return rc


def _check_nodb(rc: int, func: Any, args: Tuple[Any, ...]) -> int:
    """errcheck for calls without a handle: the message is per thread,
    in netref_errmsg(NULL)."""
    if rc != 0:
        msg = message_from_c(_lib.netref_errmsg(None))
        raise error_for(rc, msg or message_from_c(_lib.netref_strerror(rc)))
    return rc


# --------------------------------------------------------------------------
# The table: every function of include/netref.h, in header order.

Entry = Tuple[str, List[Any], Any, Optional[Callable[..., Any]]]

FUNCTIONS: Sequence[Entry] = (
    # Version and errors
    ("netref_version", [], c_char_p, None),
    ("netref_version_number", [], c_int, None),
    ("netref_strerror", [c_int], c_char_p, None),
    ("netref_errmsg", [DbPtr], c_char_p, None),
    ("netref_free", [c_void_p], None, None),
    # Opening and closing
    ("netref_open", [c_char_p, POINTER(DbPtr)], c_int, _check_nodb),
    ("netref_open_with", [c_char_p, c_int, POINTER(DbPtr)], c_int,
     _check_nodb),
    ("netref_verify", [DbPtr], c_int, _check_db),
    ("netref_set_busy_timeout", [DbPtr, c_int], c_int, _check_db),
    ("netref_interrupt", [DbPtr], None, None),
    ("netref_close", [DbPtr], None, None),
    # Listed records
    ("netref_rows_count", [RowsPtr], c_size_t, None),
    ("netref_rows_columns", [RowsPtr], c_size_t, None),
    ("netref_rows_column_name", [RowsPtr, c_size_t], c_char_p, None),
    ("netref_rows_column_index", [RowsPtr, c_char_p, POINTER(c_size_t)],
     c_int, _check_nodb),
    ("netref_rows_text", [RowsPtr, c_size_t, c_size_t], c_char_p, None),
    ("netref_rows_real", [RowsPtr, c_size_t, c_size_t], c_double, None),
    ("netref_rows_free", [RowsPtr], None, None),
    # Fields of a write
    ("netref_fields_new", [POINTER(FieldsPtr)], c_int, _check_nodb),
    ("netref_fields_free", [FieldsPtr], None, None),
    ("netref_fields_reset", [FieldsPtr], c_int, _check_nodb),
    ("netref_fields_set_text", [FieldsPtr, c_int, c_char_p], c_int,
     _check_nodb),
    ("netref_fields_set_real", [FieldsPtr, c_int, c_double], c_int,
     _check_nodb),
    ("netref_fields_set_int", [FieldsPtr, c_int, c_longlong], c_int,
     _check_nodb),
    ("netref_fields_clear", [FieldsPtr, c_int], c_int, _check_nodb),
    # People
    ("netref_person_add", [DbPtr, c_char_p, c_char_p], c_int, _check_db),
    ("netref_person_set_name", [DbPtr, c_char_p, c_char_p], c_int,
     _check_db),
    ("netref_person_set_attr", [DbPtr, c_char_p, c_char_p, c_char_p], c_int,
     _check_db),
    ("netref_person_get", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    ("netref_person_remove", [DbPtr, c_char_p], c_int, _check_db),
    ("netref_person_merge", [DbPtr, c_char_p, c_char_p], c_int, _check_db),
    ("netref_person_forget", [DbPtr, c_char_p], c_int, _check_db),
    ("netref_person_list", [DbPtr, POINTER(RowsPtr)], c_int, _check_db),
    ("netref_person_find", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    # Ties
    ("netref_tie_set", [DbPtr, c_char_p, c_char_p, FieldsPtr], c_int,
     _check_db),
    ("netref_tie_get", [DbPtr, c_char_p, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    ("netref_tie_remove", [DbPtr, c_char_p, c_char_p], c_int, _check_db),
    ("netref_tie_list", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    # Tags, offers and needs
    ("netref_tag_normalize", [c_char_p, POINTER(c_void_p)], c_int,
     _check_nodb),
    ("netref_offer_add", [DbPtr, c_char_p, c_char_p, FieldsPtr], c_int,
     _check_db),
    ("netref_offer_set", [DbPtr, c_char_p, c_char_p, FieldsPtr], c_int,
     _check_db),
    ("netref_offer_remove", [DbPtr, c_char_p, c_char_p], c_int, _check_db),
    ("netref_offer_list", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    ("netref_need_add", [DbPtr, c_char_p, c_char_p, FieldsPtr], c_int,
     _check_db),
    ("netref_need_set", [DbPtr, c_char_p, c_char_p, FieldsPtr], c_int,
     _check_db),
    ("netref_need_remove", [DbPtr, c_char_p, c_char_p], c_int, _check_db),
    ("netref_need_list", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    ("netref_tag_people", [DbPtr, c_char_p, c_int, POINTER(RowsPtr)], c_int,
     _check_db),
    # The tag taxonomy
    ("netref_tag_relate", [DbPtr, c_char_p, c_int, c_char_p], c_int,
     _check_db),
    ("netref_tag_unrelate", [DbPtr, c_char_p, c_int, c_char_p], c_int,
     _check_db),
    ("netref_tag_relations", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    ("netref_tag_expand", [DbPtr, c_char_p, OptionsPtr, POINTER(RowsPtr)],
     c_int, _check_db),
    # Groups
    ("netref_group_add", [DbPtr, c_char_p, c_char_p], c_int, _check_db),
    ("netref_group_set_name", [DbPtr, c_char_p, c_char_p], c_int,
     _check_db),
    ("netref_group_remove", [DbPtr, c_char_p], c_int, _check_db),
    ("netref_group_join", [DbPtr, c_char_p, c_char_p], c_int, _check_db),
    ("netref_group_leave", [DbPtr, c_char_p, c_char_p], c_int, _check_db),
    ("netref_group_list", [DbPtr, POINTER(RowsPtr)], c_int, _check_db),
    ("netref_group_members", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    ("netref_person_groups", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    # CSV import
    ("netref_import_new", [POINTER(ImportPtr)], c_int, _check_nodb),
    ("netref_import_set_file", [ImportPtr, c_int, c_char_p], c_int,
     _check_nodb),
    ("netref_import_set_create_missing", [ImportPtr, c_int], c_int,
     _check_nodb),
    ("netref_import_set_progress", [ImportPtr, ProgressFn, c_void_p], c_int,
     _check_nodb),
    ("netref_import_run", [DbPtr, ImportPtr], c_int, _check_db),
    ("netref_import_count", [ImportPtr, c_int], c_longlong, None),
    ("netref_import_free", [ImportPtr], None, None),
    # Export
    ("netref_export_new", [c_int, POINTER(ExportPtr)], c_int, _check_nodb),
    ("netref_export_set_source", [ExportPtr, c_char_p, c_int], c_int,
     _check_nodb),
    ("netref_export_set_progress", [ExportPtr, ProgressFn, c_void_p], c_int,
     _check_nodb),
    ("netref_export_run", [DbPtr, ExportPtr, c_char_p], c_int, _check_db),
    ("netref_export_count", [ExportPtr, c_int], c_longlong, None),
    ("netref_export_files", [ExportPtr], c_size_t, None),
    ("netref_export_file", [ExportPtr, c_size_t], c_char_p, None),
    ("netref_export_free", [ExportPtr], None, None),
    # Importing contacts (LinkedIn, vCard)
    ("netref_import_set_owner", [ImportPtr, c_char_p], c_int, _check_nodb),
    ("netref_import_people_count", [ImportPtr, c_int, c_int], c_longlong,
     None),
    # Query options
    ("netref_options_new", [POINTER(OptionsPtr)], c_int, _check_nodb),
    ("netref_options_free", [OptionsPtr], None, None),
    ("netref_options_set_hops", [OptionsPtr, c_int], c_int, _check_nodb),
    ("netref_options_set_limit", [OptionsPtr, c_int], c_int, _check_nodb),
    ("netref_options_set_half_life", [OptionsPtr, c_double], c_int,
     _check_nodb),
    ("netref_options_set_today", [OptionsPtr, c_char_p], c_int, _check_nodb),
    ("netref_options_set_exact", [OptionsPtr, c_int], c_int, _check_nodb),
    ("netref_options_set_group", [OptionsPtr, c_char_p], c_int, _check_nodb),
    # Queries
    ("netref_prospects", [DbPtr, c_char_p, c_char_p, OptionsPtr,
                          POINTER(ResultPtr)], c_int, _check_db),
    ("netref_providers", [DbPtr, c_char_p, c_char_p, OptionsPtr,
                          POINTER(ResultPtr)], c_int, _check_db),
    # Introduction paths
    ("netref_options_set_max_hops", [OptionsPtr, c_int], c_int, _check_nodb),
    ("netref_options_set_alternatives", [OptionsPtr, c_int], c_int,
     _check_nodb),
    ("netref_path", [DbPtr, c_char_p, c_char_p, OptionsPtr,
                     POINTER(ResultPtr)], c_int, _check_db),
    # ---- Whom to ask and whom to introduce --------------------------------
    ("netref_ask_first", [DbPtr, c_char_p, c_char_p, c_int, OptionsPtr,
                          POINTER(RowsPtr)], c_int, _check_db),
    ("netref_matches", [DbPtr, c_char_p, c_char_p, OptionsPtr,
                        POINTER(RowsPtr)], c_int, _check_db),
    # ---- Brokers ----------------------------------------------------------
    ("netref_connectors", [DbPtr, c_char_p, OptionsPtr, POINTER(RowsPtr)],
     c_int, _check_db),
    # Query results
    ("netref_result_count", [ResultPtr], c_size_t, None),
    ("netref_result_key", [ResultPtr, c_size_t], c_char_p, None),
    ("netref_result_name", [ResultPtr, c_size_t], c_char_p, None),
    ("netref_result_hops", [ResultPtr, c_size_t], c_int, None),
    ("netref_result_reach", [ResultPtr, c_size_t], c_double, None),
    ("netref_result_score", [ResultPtr, c_size_t], c_double, None),
    ("netref_result_introducer", [ResultPtr, c_size_t], c_char_p, None),
    ("netref_result_path_length", [ResultPtr, c_size_t], c_size_t, None),
    ("netref_result_path_key", [ResultPtr, c_size_t, c_size_t], c_char_p,
     None),
    ("netref_result_tag", [ResultPtr, c_size_t], c_char_p, None),
    ("netref_result_numbers", [ResultPtr, POINTER(c_int), POINTER(c_double),
                               POINTER(c_double), POINTER(c_size_t)], c_int,
     _check_nodb),
    ("netref_result_text", [ResultPtr, POINTER(c_size_t)], POINTER(c_char),
     None),
    ("netref_result_free", [ResultPtr], None, None),
    # ---- Referral ledger -------------------------------------------------
    ("netref_intro_status_name", [c_int], c_char_p, None),
    ("netref_intro_add", [DbPtr, c_char_p, c_char_p, c_char_p, FieldsPtr,
                          POINTER(c_longlong)], c_int, _check_db),
    ("netref_intro_set_status", [DbPtr, c_longlong, c_int, FieldsPtr],
     c_int, _check_db),
    ("netref_intro_list", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    ("netref_balance", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    # ---- Keeping in touch ------------------------------------------------
    ("netref_contact_log", [DbPtr, c_char_p, c_char_p, FieldsPtr,
                            POINTER(c_longlong)], c_int, _check_db),
    ("netref_contact_list", [DbPtr, c_char_p, POINTER(RowsPtr)], c_int,
     _check_db),
    ("netref_reconnect", [DbPtr, c_char_p, c_int, OptionsPtr,
                          POINTER(RowsPtr)], c_int, _check_db),
)


def register(lib: Any) -> None:
    """Declare every function of :data:`FUNCTIONS` on a loaded library.

    Raises ImportError naming the functions the library lacks.
    """
    missing = []
    for name, argtypes, restype, errcheck in FUNCTIONS:
        try:
            func = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        func.argtypes = argtypes
        func.restype = restype
        if errcheck is not None:
            func.errcheck = errcheck
    if missing:
        raise ImportError(f"{lib._name} lacks {', '.join(missing)}: it is "
                          f"older than this binding (set {ENV_LIBRARY} to a "
                          f"newer libnetref)")


#: The functions of a tag query's hot path (Network.prospects and
#: providers), also bound without argtypes or errcheck (their restype as
#: in :data:`FUNCTIONS`): ctypes then passes ctypes instances and bytes as
#: they are instead of converting each argument (the four POINTER
#: arguments made up two thirds of netref_result_numbers' call, the
#: handles' from_param and the errcheck are a Python call each). Only the
#: binding calls them, with arguments of the declared types it made
#: itself (handles, arrays, bytes from :func:`to_c`), and checks a
#: returned error code itself.
UNCHECKED = ("netref_prospects", "netref_providers", "netref_result_count",
             "netref_result_numbers", "netref_result_text",
             "netref_result_free")


class _Unchecked:
    """The :data:`UNCHECKED` functions of a loaded library, as
    attributes."""

    def __init__(self, lib: Any) -> None:
        restypes = {name: restype for name, _, restype, _ in FUNCTIONS}
        for name in UNCHECKED:
            func = lib._FuncPtr((name, lib))
            func.restype = restypes[name]
            setattr(self, name, func)


# --------------------------------------------------------------------------
# Finding the library

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _installed_candidates() -> List[str]:
    """Library files beside an installed package.

    The package installed as <prefix>/<libdir>/python3.X/site-packages/
    netref (or .../python3/dist-packages/netref, Debian's layout) looks in
    <prefix>/<libdir>, <prefix>/lib, <prefix>/lib64 and
    <prefix>/lib/<multiarch> (e.g. lib/x86_64-linux-gnu).
    """
    site = os.path.dirname(_PACKAGE_DIR)
    pyver = os.path.dirname(site)
    libdir = os.path.dirname(pyver)
    if (os.path.basename(site) not in ("site-packages", "dist-packages")
            or not re.fullmatch(r"python3(\.\d+)?", os.path.basename(pyver))
            or not os.path.basename(libdir).startswith("lib")):
        return []
    prefix = os.path.dirname(libdir)
    dirs = [libdir, os.path.join(prefix, "lib"), os.path.join(prefix, "lib64")]
    multiarch = sysconfig.get_config_var("MULTIARCH")
    if multiarch:
        dirs.append(os.path.join(prefix, "lib", multiarch))
    found: List[str] = []
    for d in dirs:
        path = os.path.join(d, SONAME)
        if path not in found:
            found.append(path)
    return found


def _build_tree_candidates() -> List[str]:
    """Library files in the build trees of a source checkout.

    When this package is bindings/python/netref of a netref source tree,
    look in <source>/build*/lib: `build` (the README's) first, then the
    others, most recently built first.
    """
    root = os.path.dirname(os.path.dirname(os.path.dirname(_PACKAGE_DIR)))
    if not os.path.isfile(os.path.join(root, "include", "netref.h")):
        return []
    try:
        names = sorted(n for n in os.listdir(root)
                       if n.startswith("build") and n != "build")
    except OSError:
        names = []
    others = []
    for n in names:
        path = os.path.join(root, n, "lib", SONAME)
        try:
            others.append((-os.stat(path).st_mtime, path))
        except OSError:
            continue
    others.sort()
    first = os.path.join(root, "build", "lib", SONAME)
    return [first] + [p for _, p in others]


def _asan_loaded() -> bool:
    """Whether the AddressSanitizer runtime is in this process already."""
    try:
        return hasattr(ctypes.CDLL(None), "__asan_init")
    except OSError:
        return False


def _needs_asan(path: str) -> bool:
    """Whether a library file is built with AddressSanitizer.

    Loading such a library into a process without the ASan runtime makes
    the runtime print an error and end the process, so look first.
    """
    try:
        with open(path, "rb") as f:
            return b"libasan.so" in f.read()
    except OSError:
        return False


def _try_load(path: str) -> Any:
    """Load one library file; OSError (with the reason) on failure."""
    if os.sep in path:
        if not os.path.exists(path):
            raise OSError("no such file")
        if _needs_asan(path) and not _asan_loaded():
            raise OSError(
                "built with AddressSanitizer: run python with LD_PRELOAD="
                "$(gcc -print-file-name=libasan.so) "
                "ASAN_OPTIONS=detect_leaks=0")
    return ctypes.CDLL(path)


def load() -> Any:
    """Find, load and check libnetref; returns the ctypes library.

    Order: the file named by ``NETREF_LIBRARY`` (when set, nothing else is
    tried); the library installed under the same prefix as this package;
    the build tree of a source checkout; ``libnetref.so.1`` through the
    system loader. Raises ImportError naming every place tried.
    """
    global _lib, _unchecked
    tried: List[str] = []
    lib = None
    env = os.environ.get(ENV_LIBRARY)
    if env:
        candidates = [env]
        where = [f"{ENV_LIBRARY}={env}"]
    else:
        tried.append(f"{ENV_LIBRARY}: not set")
        files = _installed_candidates() + _build_tree_candidates()
        candidates = files + [SONAME]
        where = files + [f"{SONAME} through the system loader"]
    for path, label in zip(candidates, where):
        try:
            lib = _try_load(path)
            break
        except OSError as e:
            tried.append(f"{label}: {e}")
    if lib is None:
        raise ImportError(
            "netref: cannot load the C library " + SONAME + "; tried\n  " +
            "\n  ".join(tried) + f"\nInstall netref, build it (make build), "
            f"or set {ENV_LIBRARY} to the library file.")
    register(lib)
    number = lib.netref_version_number()
    if number < MIN_VERSION_NUMBER:
        raise ImportError(
            f"netref: {lib._name} is version "
            f"{message_from_c(lib.netref_version())}; this binding needs "
            f"{MIN_VERSION_NUMBER // 1000000}."
            f"{MIN_VERSION_NUMBER // 1000 % 1000}."
            f"{MIN_VERSION_NUMBER % 1000} or newer")
    _lib = lib
    _unchecked = _Unchecked(lib)
    return lib


def loaded_path() -> str:
    """The file name the library was loaded from (as given to dlopen)."""
    return str(_lib._name)

