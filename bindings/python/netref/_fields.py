"""The optional fields of a write (private module).

The C library takes them in one ``netref_fields`` object (netref.h,
"Fields of a write"); here a method's keyword arguments fill one: None
leaves a field out (a new record gets the default, an existing one keeps
its value), :data:`CLEAR` clears it, anything else sets it.
"""

import contextlib
import datetime
from ctypes import byref
from typing import Any, Iterator, Sequence, Tuple

from . import _ffi
from ._ffi import FieldsPtr, to_c, to_float, to_int

__all__ = ["CLEAR", "ClearType", "date_text", "fields"]

# The field numbers of include/netref.h (NETREF_FIELD_*).
STRENGTH = 1
LAST_CONTACT = 2
CONTEXT = 3
CADENCE = 4
DATE = 5
TAG = 6
NOTE = 7
STATUS = 8
WARM_TIE = 9
KIND = 10
VALUE = 11
WEIGHT = 12


class _Clear:
    """The type of :data:`CLEAR`."""

    _instance = None

    def __new__(cls) -> "_Clear":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "netref.CLEAR"


#: Pass as a field's value to remove it: ``net.tie_set("a", "b",
#: context=netref.CLEAR)``.
CLEAR = _Clear()
#: The type of :data:`CLEAR`, for annotations.
ClearType = _Clear

#: One field of a write: (field number, kind, value, argument name); kind
#: is "t" (text), "d" (date), "r" (real) or "i" (integer).
FieldSpec = Tuple[int, str, Any, str]


def date_text(value: Any, what: str) -> bytes:
    """A date as the library takes it, from "YYYY-MM-DD" or a
    datetime.date."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat().encode("ascii")
    if isinstance(value, str):
        return to_c(value, what)
    raise TypeError(f"{what} must be str or datetime.date, not "
                    f"{type(value).__name__}")


def _set(lib: Any, f: FieldsPtr, spec: FieldSpec) -> None:
    field, kind, value, what = spec
    if value is None:
        return
    if value is CLEAR:
        lib.netref_fields_clear(f, field)
    elif kind == "t":
        lib.netref_fields_set_text(f, field, to_c(value, what))
    elif kind == "d":
        lib.netref_fields_set_text(f, field, date_text(value, what))
    elif kind == "r":
        lib.netref_fields_set_real(f, field, to_float(value, what))
    else:
        lib.netref_fields_set_int(f, field, to_int(value, what,
                                                   low=-(2 ** 63),
                                                   high=2 ** 63 - 1))


@contextlib.contextmanager
def fields(specs: Sequence[FieldSpec]) -> Iterator[FieldsPtr]:
    """A ``netref_fields`` object holding the given fields, freed after
    use. A value the library refuses raises at once (before the write)."""
    lib = _ffi._lib
    f = FieldsPtr()
    lib.netref_fields_new(byref(f))
    try:
        for spec in specs:
            _set(lib, f, spec)
        yield f
    finally:
        lib.netref_fields_free(f)
