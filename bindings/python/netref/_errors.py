"""The exceptions of the netref binding: one class per C error code.

Every failure of a C call becomes an instance of :class:`Error` (or of the
subclass for its code) carrying the code and the library's message: one
line, except a failed import's, which has one line per bad row. The classes also derive from the closest built-in exception where
one fits, so ``except ValueError`` catches :class:`InvalidArgument` and
``except LookupError`` catches :class:`NotFound`.
"""

from typing import Dict, Optional, Type

__all__ = [
    "OK", "ERROR", "EINVAL", "ENOMEM", "ENOTFOUND", "EEXISTS", "ENOTDB",
    "ECORRUPT", "EVERSION", "EIO", "EPARSE", "EBUSY", "EREADONLY",
    "Error", "InvalidArgument", "ClosedError", "OutOfMemory", "NotFound",
    "AlreadyExists", "NotADatabase", "CorruptDatabase", "VersionError",
    "FileError", "ParseError", "Busy", "ReadOnly", "error_for",
    "ELIMIT", "LimitError",
    "ECANCELED", "Canceled",
]

#: Success.
OK = 0
#: Generic failure (an unexpected storage or graph library error).
ERROR = -1
#: An argument is NULL, malformed or out of range.
EINVAL = -2
#: Memory allocation failed.
ENOMEM = -3
#: A person, tie, offer, need or database file does not exist.
ENOTFOUND = -4
#: The thing to add exists already (e.g. a person key).
EEXISTS = -5
#: The file is not a netref database.
ENOTDB = -6
#: The database file is damaged or truncated.
ECORRUPT = -7
#: The database was written by a newer netref with a newer schema.
EVERSION = -8
#: A file could not be opened, read or written.
EIO = -9
#: An import file holds bad data.
EPARSE = -10
#: The database is locked by another connection.
EBUSY = -11
#: A change was attempted on a network opened read-only.
EREADONLY = -12
#: The query is too large to answer within seconds.
ELIMIT = -13
#: The work was stopped on request (a progress callback, an interrupt).
ECANCELED = -14


class Error(Exception):
    """A netref failure: the C error ``code`` and the library's ``message``.

    Subclasses exist for every specific code; a code without one (the
    generic ``ERROR`` or an unknown code) raises ``Error`` itself.
    """

    #: The C error code this class stands for.
    default_code = ERROR

    def __init__(self, message: str = "", code: Optional[int] = None) -> None:
        if code is None:
            code = self.default_code
        super().__init__(message)
        #: The C error code (a negative ``int``, e.g. ``netref.ENOTFOUND``).
        self.code: int = code
        #: The library's message, or a short description of the code.
        self.message: str = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code})"


class InvalidArgument(Error, ValueError):
    """An argument is malformed or out of range (``EINVAL``)."""

    default_code = EINVAL


class ClosedError(InvalidArgument):
    """The network was used after :meth:`netref.Network.close`."""


class OutOfMemory(Error, MemoryError):
    """The library ran out of memory (``ENOMEM``)."""

    default_code = ENOMEM


class NotFound(Error, LookupError):
    """A person, tie, offer, need or database file does not exist
    (``ENOTFOUND``)."""

    default_code = ENOTFOUND


class AlreadyExists(Error):
    """The thing to add exists already, e.g. a person key (``EEXISTS``)."""

    default_code = EEXISTS


class NotADatabase(Error):
    """The file is not a netref database (``ENOTDB``)."""

    default_code = ENOTDB


class CorruptDatabase(Error):
    """The database file is damaged or truncated (``ECORRUPT``)."""

    default_code = ECORRUPT


class VersionError(Error):
    """The database was written by a newer netref (``EVERSION``)."""

    default_code = EVERSION


class FileError(Error, OSError):
    """A file could not be opened, read or written (``EIO``)."""

    default_code = EIO

    def __init__(self, message: str = "", code: Optional[int] = None) -> None:
        Error.__init__(self, message, code)


class ParseError(Error, ValueError):
    """An import file holds bad data (``EPARSE``). The message has one
    line ``FILE:LINE: problem`` per bad row found, in file then line
    order, at most 20 (the C library's ``NETREF_IMPORT_MAX_ERRORS``), then
    ``... and N more problems`` when there were more:
    ``str(e).splitlines()`` lists them."""

    default_code = EPARSE


class Busy(Error):
    """The database is locked by another connection, or the network is in
    use by a call that is still running (``EBUSY``)."""

    default_code = EBUSY


class ReadOnly(Error):
    """A change was attempted on a network opened read-only
    (``EREADONLY``)."""

    default_code = EREADONLY


class LimitError(Error):
    """The query is too large to answer within seconds, e.g.
    :meth:`netref.Network.connectors` on a large k-hop network; the message
    gives its size and the bound (``ELIMIT``)."""

    default_code = ELIMIT


class Canceled(Error):
    """The call was stopped on request: :meth:`netref.Network.interrupt`
    from another thread, or Ctrl-C (then :class:`KeyboardInterrupt` is
    raised instead); nothing was changed (``ECANCELED``)."""

    default_code = ECANCELED


_BY_CODE: Dict[int, Type[Error]] = {
    cls.default_code: cls
    for cls in (InvalidArgument, OutOfMemory, NotFound, AlreadyExists,
                NotADatabase, CorruptDatabase, VersionError, FileError,
                ParseError, Busy, ReadOnly, LimitError, Canceled)
}


def error_for(code: int, message: str) -> Error:
    """The exception for a C error code, carrying ``message``."""
    return _BY_CODE.get(code, Error)(message, code)
