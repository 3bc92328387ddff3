"""The Network class: an open referral network (private module).

Every method takes the network's lock for the duration of its C calls, so
that one handle is only ever used by one thread at a time (the C rule);
ctypes releases the GIL during C calls, so two Python threads could
otherwise enter the library on the same handle at once. After close() the
handle is gone and every method raises :class:`netref.ClosedError`.
"""

import datetime
import math
import os
import threading
import warnings
from ctypes import byref, c_double, c_int, c_longlong, c_size_t
from typing import (Any, Callable, Dict, List, Optional, Tuple, Type,
                    TypeVar, Union)

from . import _ffi, _fields, _interrupt
from ._errors import EBUSY, Busy, ClosedError, Error, InvalidArgument
from ._fields import ClearType, date_text, fields
from ._ffi import (DbPtr, ExportPtr, ImportPtr, OptionsPtr, ProgressFn,
                   ResultPtr, RowsPtr, from_c, opt_to_c, path_to_c, to_bool,
                   to_c, to_float, to_int)
from ._limits import DEFAULT_HOPS, DEFAULT_PATH_HOPS
from ._records import (AskFirstRow, BalanceRow, Connector, Contact,
                       ContactImport, ExportFormat, ExportSummary, Group,
                       GroupSummary, Introduction, Match, Need, Offer, Path,
                       Person, PersonExport, PersonMatch, PersonSummary,
                       Reconnect,
                       Relation, Result, Role, Status, TagHolder, TagMatch,
                       TagRelation, Tie)

__all__ = ["Network", "open_network"]

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
DateLike = Union[str, datetime.date]
RoleLike = Union[Role, str]
StatusLike = Union[Status, str]
RelationLike = Union[Relation, str]
ExportFormatLike = Union[ExportFormat, str]
_T = TypeVar("_T")
_E = TypeVar("_E", Role, Status, Relation, ExportFormat)

# Constants of include/netref.h.
_OPEN_CREATE = 1
_OPEN_READONLY = 2
_ROLES = {Role.OFFERS: 1, Role.NEEDS: 2, Role.ANY: 3}
_RELATIONS = {Relation.ALIAS: 1, Relation.BROADER: 2}
_CSV_KINDS = (("people", 0), ("ties", 1), ("offers", 2), ("needs", 3),
              ("taxonomy", 4), ("groups", 5))
_EXPORT_FORMATS = {ExportFormat.GRAPHML: 1, ExportFormat.GEXF: 2,
                   ExportFormat.JSON: 3, ExportFormat.DOT: 4,
                   ExportFormat.CSV: 5, ExportFormat.NEO4J: 6}
_MAX_HOPS = 6  # NETREF_MAX_HOPS
_IMPORT_LINKEDIN = 6
_IMPORT_VCARD = 7
_PEOPLE_NEW, _PEOPLE_UPDATED, _PEOPLE_UNCHANGED = 1, 2, 3
ProgressLike = Optional[Callable[[str, int], Any]]


def _lib() -> Any:
    return _ffi._lib


def _date_to_c(value: Any, what: str) -> Optional[bytes]:
    """A date argument: None, "YYYY-MM-DD" or a datetime.date."""
    return None if value is None else date_text(value, what)


def _member(cls: Type[_E], value: Any, what: str, choices: str) -> _E:
    """An enum argument given as a member or as its string."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str or netref.{cls.__name__}, not "
                        f"{type(value).__name__}")
    try:
        return cls(value)
    except ValueError:
        raise InvalidArgument(
            f"{what} must be {choices}, not {str(value)!r}") from None


def _role(value: Any) -> Role:
    return _member(Role, value, "role", "'offers', 'needs' or 'any'")


class _Table:
    """The cells of a netref_rows table, read into Python at once."""

    def __init__(self, rows: RowsPtr) -> None:
        lib = _lib()
        ncols = lib.netref_rows_columns(rows)
        self.names: List[str] = [
            from_c(lib.netref_rows_column_name(rows, c)) or ""
            for c in range(ncols)]
        self.index = {n: i for i, n in enumerate(self.names)}
        self.count: int = lib.netref_rows_count(rows)
        self._rows = rows

    def col(self, name: str) -> int:
        try:
            return self.index[name]
        except KeyError:
            raise Error(f"netref returned no column {name!r} (columns: "
                        f"{', '.join(self.names)})") from None

    def text(self, row: int, col: int) -> Optional[str]:
        return from_c(_lib().netref_rows_text(self._rows, row, col))

    def real(self, row: int, col: int) -> float:
        value: float = _lib().netref_rows_real(self._rows, row, col)
        if math.isnan(value):
            text = self.text(row, col)
            if text is None:
                raise Error(f"netref returned an empty "
                            f"{self.names[col]!r} cell")
            value = float(text)
        return value

    def key_names(self, make: Callable[[str, str], _T]) -> List[_T]:
        """Every row's "key" and "name" cells as make(key, name)."""
        k, n = self.col("key"), self.col("name")
        return [make(self.text(i, k) or "", self.text(i, n) or "")
                for i in range(self.count)]

    def date(self, row: int, col: int) -> Optional[datetime.date]:
        """A "YYYY-MM-DD" cell as a date; None for an empty cell."""
        text = self.text(row, col)
        if text is None:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise Error(f"netref returned a bad date {text!r} in "
                        f"{self.names[col]!r}") from None

    def day(self, row: int, col: int) -> datetime.date:
        """A date cell that is never empty."""
        value = self.date(row, col)
        if value is None:
            raise Error(f"netref returned an empty {self.names[col]!r} cell")
        return value

    def member(self, cls: Type[_E], row: int, col: int) -> _E:
        """A role, status or relation cell as its enum member."""
        text = self.text(row, col) or ""
        try:
            return cls(text)
        except ValueError:
            raise Error(f"netref returned an unknown {self.names[col]!r} "
                        f"{text!r}") from None


class _Use:
    """Context manager: the network's handle, held by the calling thread."""

    __slots__ = ("net",)

    def __init__(self, net: "Network") -> None:
        self.net = net

    def __enter__(self) -> DbPtr:
        net = self.net
        me = threading.get_ident()
        if net._owner == me:
            raise Busy("the network is in use by a call still running on "
                       "this thread (e.g. from an import's progress "
                       "callback)", EBUSY)
        net._lock.acquire()
        if net._db is None:
            net._lock.release()
            raise ClosedError(f"the network {net._path!r} is closed")
        net._owner = me
        _interrupt.running(net._db)
        return net._db

    def __exit__(self, *exc: Any) -> None:
        _interrupt.finished(self.net._db)
        self.net._owner = None
        self.net._lock.release()


class Network:
    """An open referral network, backed by one SQLite database file.

    Create it with :func:`netref.open`. Use it as a context manager, or
    call :meth:`close` when done; after closing, every method raises
    :class:`netref.ClosedError`. Methods are named after the C functions
    without the ``netref_`` prefix. One network may be shared between
    threads: its calls are serialized.
    """

    def __init__(self, db: DbPtr, path: str, readonly: bool) -> None:
        """Wrap an open handle (use :func:`netref.open` instead)."""
        if not isinstance(db, DbPtr) or not db:
            raise TypeError("use netref.open() to open a network")
        self._db: Optional[DbPtr] = db
        self._path = path
        self._readonly = readonly
        self._lock = threading.Lock()
        self._owner: Optional[int] = None
        self._options: Dict[_OptionValues, OptionsPtr] = {}

    # -- lifetime ----------------------------------------------------------

    @property
    def filename(self) -> str:
        """The file name the network was opened with (or ``":memory:"``)."""
        return self._path

    @property
    def readonly(self) -> bool:
        """Whether the network was opened read-only."""
        return self._readonly

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._db is None

    def close(self) -> None:
        """Close the network and free everything it owns.

        Calling it again does nothing. Lists already returned stay valid
        (they are plain Python objects).
        """
        if self._db is None:
            return
        if self._owner == threading.get_ident():
            raise Busy("cannot close the network from inside one of its own "
                       "calls (e.g. an import's progress callback)", EBUSY)
        with self._lock:
            db, self._db = self._db, None
            self._free_options()
            if db is not None:
                _lib().netref_close(db)

    def verify(self) -> None:
        """Check the whole file: SQLite's structure, references between
        records and netref's own invariants. Reads the whole file.

        :raises CorruptDatabase: naming the first problem found.
        """
        with self._use() as db:
            _lib().netref_verify(db)

    def set_busy_timeout(self, ms: int) -> None:
        """How long a change waits for another program's change to finish
        before raising :class:`netref.Busy` (default
        :data:`DEFAULT_BUSY_TIMEOUT`, 5000 ms). Queries
        never wait.

        :param ms: milliseconds, 0 or more.
        """
        cms = to_int(ms, "ms", 0, 2**31 - 1)
        with self._use() as db:
            _lib().netref_set_busy_timeout(db, cms)

    def interrupt(self) -> bool:
        """Stop the query or import running on this network in another
        thread: it raises :class:`netref.Canceled` there, and an import
        leaves the database unchanged. Safe from any thread; does nothing
        when no call is running.

        :return: whether a call was running.
        """
        db = self._db
        return db is not None and _interrupt.interrupt_running(db)

    def __enter__(self) -> "Network":
        if self._db is None:
            raise ClosedError(f"the network {self._path!r} is closed")
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            self._db = None
            try:
                self._free_options()
                _lib().netref_close(db)
                warnings.warn(f"unclosed netref network {self._path!r}",
                              ResourceWarning, source=self)
            except Exception:
                pass

    def __repr__(self) -> str:
        state = "closed" if self._db is None else (
            "read-only" if self._readonly else "open")
        return f"<netref.Network {self._path!r} {state}>"

    def _use(self) -> _Use:
        return _Use(self)

    def _list(self, reader: Callable[[_Table], _T], fn_name: str,
              *args: Any) -> _T:
        """Call a netref function filling a netref_rows, read it with
        reader, free it once."""
        lib = _lib()
        rows = RowsPtr()
        try:
            with self._use() as db:
                getattr(lib, fn_name)(db, *args, byref(rows))
            return reader(_Table(rows))
        finally:
            lib.netref_rows_free(rows)

    # -- people ------------------------------------------------------------

    def person_add(self, key: str, name: Optional[str] = None,
                   **attributes: Optional[str]) -> None:
        """Add a person.

        :param key: the new person's unique key (non-empty).
        :param name: the display name; None or "" uses the key.
        :param attributes: free attributes such as ``org="Acme"``; a None
            or "" value sets nothing.
        :raises AlreadyExists: when the key is taken.
        :raises InvalidArgument: for a bad key, name or attribute; the
            person is then not added.
        """
        ckey = to_c(key, "key")
        cname = opt_to_c(name, "name")
        attrs = [(to_c(a, "attribute name"), opt_to_c(v, f"attribute {a!r}"))
                 for a, v in attributes.items()]
        lib = _lib()
        with self._use() as db:
            lib.netref_person_add(db, ckey, cname)
            try:
                for a, v in attrs:
                    if v:
                        lib.netref_person_set_attr(db, ckey, a, v)
            except BaseException:
                # All or nothing: take the half-added person out again.
                try:
                    lib.netref_person_remove(db, ckey)
                except Error:
                    pass
                raise

    def person_set_name(self, key: str, name: str) -> None:
        """Change a person's display name (non-empty).

        :raises NotFound: for an unknown person.
        """
        ckey, cname = to_c(key, "key"), to_c(name, "name")
        with self._use() as db:
            _lib().netref_person_set_name(db, ckey, cname)

    def person_set_attr(self, key: str, attr: str,
                        value: Optional[str]) -> None:
        """Set one free attribute of a person; None or "" removes it.

        :param attr: the attribute name (not "key" or "name").
        :raises NotFound: for an unknown person.
        """
        ckey, cattr = to_c(key, "key"), to_c(attr, "attr")
        cvalue = opt_to_c(value, "value")
        with self._use() as db:
            _lib().netref_person_set_attr(db, ckey, cattr, cvalue)

    def person_get(self, key: str) -> Person:
        """Read one person: key, name and attributes.

        :raises NotFound: for an unknown person.
        """
        ckey = to_c(key, "key")

        def read(t: _Table) -> Person:
            if t.count != 1:
                raise Error(f"netref_person_get returned {t.count} rows")
            k, n = t.col("key"), t.col("name")
            attrs = {}
            for c, col in enumerate(t.names):
                if c not in (k, n):
                    value = t.text(0, c)
                    if value is not None:
                        attrs[col] = value
            return Person(t.text(0, k) or "", t.text(0, n) or "", attrs)

        return self._list(read, "netref_person_get", ckey)

    def person_remove(self, key: str) -> None:
        """Remove a person with their ties, offers, needs and introductions.

        :raises NotFound: for an unknown person.
        """
        ckey = to_c(key, "key")
        with self._use() as db:
            _lib().netref_person_remove(db, ckey)

    def person_forget(self, key: str) -> None:
        """Forget a person: remove them and everything about them (as
        :meth:`person_remove`), then wipe it from the file, so that no
        byte of it stays in the database file or its ``-wal`` (SQLite's
        secure_delete, VACUUM, a checkpoint that empties the WAL). Rows
        about other people stay. Rewrites the whole file: O(file size).

        :raises NotFound: for an unknown person (nothing changes).
        :raises Busy: when other connections kept reading the file for
            the whole busy timeout: the person is removed, but traces stay
            in the file and its ``-wal`` until they close it (the message
            says so).
        """
        ckey = to_c(key, "key")
        with self._use() as db:
            _lib().netref_person_forget(db, ckey)

    def person_merge(self, keep: str, other: str) -> None:
        """Merge ``other`` into ``keep``, two records of one person, in one
        transaction, then remove ``other``.

        ``other``'s ties move to ``keep``; where both had a tie to the same
        person the stronger wins (its context and cadence, or the other's
        where it has none; the later last contact); the tie between the
        two disappears. Offers (``keep``'s note, else ``other``'s), needs
        (the larger weight), introductions, logged contacts and group
        memberships move; introductions and contacts between the two are
        removed (they would be with oneself). Attributes ``keep`` lacks
        are copied; e-mails, phones, URLs and UIDs are kept all
        (``email``, ``email2``, ...), so that later imports find ``keep``
        by any of them. ``keep``'s key and name stay.

        :raises NotFound: for an unknown person.
        :raises InvalidArgument: when both are the same person.
        """
        ckeep, cother = to_c(keep, "keep"), to_c(other, "other")
        with self._use() as db:
            _lib().netref_person_merge(db, ckeep, cother)

    def person_export(self, key: str) -> PersonExport:
        """Everything held about one person: their record, ties, offers,
        needs, the introductions they take part in, their contacts and
        their groups (the same listings as ``netref person export``;
        :meth:`PersonExport.as_dict` gives its JSON document). Each
        section is read on its own, as the listing methods read them.

        :raises NotFound: for an unknown person.
        """
        return PersonExport(
            self.person_get(key), tuple(self.tie_list(key)),
            tuple(self.offer_list(key)), tuple(self.need_list(key)),
            tuple(self.intro_list(key)), tuple(self.contact_list(key)),
            tuple(self.person_groups(key)))

    def person_list(self) -> List[PersonSummary]:
        """Everyone's key and name, ordered by key (byte order)."""

        return self._list(lambda t: t.key_names(PersonSummary),
                          "netref_person_list")

    def person_find(self, text: str) -> List[PersonMatch]:
        """People whose key, name or e-mail (the ``email`` attribute)
        contains ``text``, accents, case and invisible characters ignored
        (``"jose"`` finds "José"). Ordered by how they match: the whole
        field (``"exact"``), its start or a word's start (``"prefix"``),
        elsewhere (``"substring"``); then by field (key, name, email), so
        an exact key comes first; then by key.

        :raises InvalidArgument: for an empty text, or one that is only
            accents or invisible characters.
        """
        ctext = to_c(text, "text")

        def read(t: _Table) -> List[PersonMatch]:
            k, n, e = t.col("key"), t.col("name"), t.col("email")
            m, f = t.col("match"), t.col("field")
            return [PersonMatch(t.text(i, k) or "", t.text(i, n) or "",
                                t.text(i, e), t.text(i, m) or "",
                                t.text(i, f) or "")
                    for i in range(t.count)]

        return self._list(read, "netref_person_find", ctext)

    # -- ties --------------------------------------------------------------

    def tie_set(self, a: str, b: str, strength: Optional[float] = None,
                last_contact: Union[DateLike, ClearType, None] = None,
                context: Union[str, ClearType, None] = None,
                cadence: Union[int, ClearType, None] = None) -> None:
        """Create or update the tie between two people. A field left as
        None keeps its value (a new tie has strength 0.5 and nothing
        else); :data:`netref.CLEAR` removes it.

        :param strength: how warm the tie is, in (0, 1].
        :param last_contact: ``"YYYY-MM-DD"`` or a ``datetime.date``.
        :param context: free text such as ``"met at the Nov evening"``.
        :param cadence: keep in touch every so many days (> 0): the tie is
            overdue for :meth:`reconnect` once more days have passed
            since its last contact.
        :raises NotFound: for an unknown person.
        :raises InvalidArgument: for a tie to oneself or a bad value.
        """
        ca, cb = to_c(a, "a"), to_c(b, "b")
        specs = [(_fields.STRENGTH, "r", strength, "strength"),
                 (_fields.LAST_CONTACT, "d", last_contact, "last_contact"),
                 (_fields.CONTEXT, "t", context, "context"),
                 (_fields.CADENCE, "i", cadence, "cadence")]
        with fields(specs) as f, self._use() as db:
            _lib().netref_tie_set(db, ca, cb, f)

    @staticmethod
    def _read_ties(t: _Table) -> List[Tie]:
        k, n, s = t.col("key"), t.col("name"), t.col("strength")
        d, c, cd = t.col("last_contact"), t.col("context"), t.col("cadence")
        return [Tie(t.text(i, k) or "", t.text(i, n) or "", t.real(i, s),
                    t.date(i, d), t.text(i, c),
                    None if t.text(i, cd) is None else int(t.real(i, cd)))
                for i in range(t.count)]

    def tie_get(self, a: str, b: str) -> Tie:
        """Read the tie between two people, seen from a (so ``key`` is b).

        :raises NotFound: when either person or the tie does not exist.
        """
        ca, cb = to_c(a, "a"), to_c(b, "b")
        ties = self._list(self._read_ties, "netref_tie_get", ca, cb)
        if len(ties) != 1:
            raise Error(f"netref_tie_get returned {len(ties)} rows")
        return ties[0]

    def tie_remove(self, a: str, b: str) -> None:
        """Remove the tie between two people.

        :raises NotFound: when there is no such tie.
        """
        ca, cb = to_c(a, "a"), to_c(b, "b")
        with self._use() as db:
            _lib().netref_tie_remove(db, ca, cb)

    def tie_list(self, person: str) -> List[Tie]:
        """A person's ties, ordered by the other person's key.

        :raises NotFound: for an unknown person.
        """
        return self._list(self._read_ties, "netref_tie_list",
                          to_c(person, "person"))

    # -- offers and needs --------------------------------------------------

    def offer_add(self, person: str, tag: str,
                  note: Optional[str] = None) -> None:
        """Record that a person offers a tag they do not offer yet.

        :param note: free text about the offer.
        :raises AlreadyExists: when the person offers the tag already
            (:meth:`offer_set` changes it).
        :raises NotFound: for an unknown person.
        :raises InvalidArgument: for a bad tag or note.
        """
        self._holding("netref_offer_add", person, tag,
                      [(_fields.NOTE, "t", note, "note")])

    def offer_set(self, person: str, tag: str,
                  note: Union[str, ClearType, None] = None) -> None:
        """Record that a person offers a tag, or update the offer.

        :param note: free text; None keeps the current note,
            :data:`netref.CLEAR` removes it.
        :raises NotFound: for an unknown person.
        :raises InvalidArgument: for a bad tag or note.
        """
        self._holding("netref_offer_set", person, tag,
                      [(_fields.NOTE, "t", note, "note")])

    def _holding(self, fn_name: str, person: str, tag: str,
                 specs: List[_fields.FieldSpec]) -> None:
        cp, ct = to_c(person, "person"), to_c(tag, "tag")
        with fields(specs) as f, self._use() as db:
            getattr(_lib(), fn_name)(db, cp, ct, f)

    def offer_remove(self, person: str, tag: str) -> None:
        """Remove an offer.

        :raises NotFound: when the person does not offer the tag.
        """
        cp, ct = to_c(person, "person"), to_c(tag, "tag")
        with self._use() as db:
            _lib().netref_offer_remove(db, cp, ct)

    def offer_list(self, person: str) -> List[Offer]:
        """What a person offers, ordered by tag.

        :raises NotFound: for an unknown person.
        """

        def read(t: _Table) -> List[Offer]:
            tg, nt = t.col("tag"), t.col("note")
            return [Offer(t.text(i, tg) or "", t.text(i, nt))
                    for i in range(t.count)]

        return self._list(read, "netref_offer_list", to_c(person, "person"))

    def need_add(self, person: str, tag: str,
                 weight: Optional[float] = None) -> None:
        """Record that a person might need a tag they do not need yet.

        :param weight: how likely the need is, in (0, 1]; None for 1.
        :raises AlreadyExists: when the person has the need already
            (:meth:`need_set` changes it).
        :raises NotFound: for an unknown person.
        :raises InvalidArgument: for a bad tag or weight.
        """
        self._holding("netref_need_add", person, tag,
                      [(_fields.WEIGHT, "r", weight, "weight")])

    def need_set(self, person: str, tag: str,
                 weight: Optional[float] = None) -> None:
        """Record that a person might need a tag, or update the need.

        :param weight: how likely the need is, in (0, 1]; None keeps the
            current weight (1 for a new need).
        :raises NotFound: for an unknown person.
        :raises InvalidArgument: for a bad tag or weight.
        """
        self._holding("netref_need_set", person, tag,
                      [(_fields.WEIGHT, "r", weight, "weight")])

    def need_remove(self, person: str, tag: str) -> None:
        """Remove a need.

        :raises NotFound: when the person has no such need.
        """
        cp, ct = to_c(person, "person"), to_c(tag, "tag")
        with self._use() as db:
            _lib().netref_need_remove(db, cp, ct)

    def need_list(self, person: str) -> List[Need]:
        """What a person might need, ordered by tag.

        :raises NotFound: for an unknown person.
        """

        def read(t: _Table) -> List[Need]:
            tg, w = t.col("tag"), t.col("weight")
            return [Need(t.text(i, tg) or "", t.real(i, w))
                    for i in range(t.count)]

        return self._list(read, "netref_need_list", to_c(person, "person"))

    def tag_people(self, tag: str,
                   role: RoleLike = Role.ANY) -> List[TagHolder]:
        """The people who offer or need a tag (exact normalized match),
        ordered by key, then role.

        :param role: a :class:`netref.Role` or its string (``"offers"``,
            ``"needs"`` or ``"any"``).
        :raises InvalidArgument: for a bad tag or role.
        """
        ct = to_c(tag, "tag")
        crole = _ROLES[_role(role)]

        def read(t: _Table) -> List[TagHolder]:
            k, n, r = t.col("key"), t.col("name"), t.col("role")
            w, nt = t.col("weight"), t.col("note")
            return [TagHolder(t.text(i, k) or "", t.text(i, n) or "",
                              t.member(Role, i, r), t.real(i, w),
                              t.text(i, nt)) for i in range(t.count)]

        return self._list(read, "netref_tag_people", ct, crole)

    # -- the tag taxonomy ------------------------------------------------

    def _relation_args(self, tag: str, relation: RelationLike,
                       other: str) -> Tuple[bytes, int, bytes]:
        crel = _RELATIONS[_member(Relation, relation, "relation",
                                  "'alias' or 'broader'")]
        return to_c(tag, "tag"), crel, to_c(other, "other")

    def tag_relate(self, tag: str, relation: RelationLike,
                   other: str) -> None:
        """Relate two tags: :attr:`netref.Relation.ALIAS` or ``"alias"``
        (both name the same thing), :attr:`netref.Relation.BROADER` or
        ``"broader"`` (``other`` is the broader term of ``tag``). A query
        for a tag then also matches its aliases and narrower tags. Adding
        a relation that is stored already does nothing.

        :raises InvalidArgument: for a bad tag or relation, the same tag
            twice, or a relation that would make a tag narrower than
            itself (a cycle; the message names it).
        :raises ReadOnly: on a read-only network.
        """
        ctag, crel, cother = self._relation_args(tag, relation, other)
        with self._use() as db:
            _lib().netref_tag_relate(db, ctag, crel, cother)

    def tag_unrelate(self, tag: str, relation: RelationLike,
                     other: str) -> None:
        """Remove a relation between two tags (an alias in either order).

        :raises NotFound: when the relation is not stored.
        """
        ctag, crel, cother = self._relation_args(tag, relation, other)
        with self._use() as db:
            _lib().netref_tag_unrelate(db, ctag, crel, cother)

    def tag_relations(self, tag: Optional[str] = None) -> List[TagRelation]:
        """The stored tag relations, or those naming ``tag`` on either
        side; ordered by tag, relation, other."""
        ctag = None if tag is None else to_c(tag, "tag")

        def read(t: _Table) -> List[TagRelation]:
            a, r, b = t.col("tag"), t.col("relation"), t.col("other")
            return [TagRelation(t.text(i, a) or "", t.member(Relation, i, r),
                                t.text(i, b) or "") for i in range(t.count)]

        return self._list(read, "netref_tag_relations", ctag)

    def tag_expand(self, tag: str, exact: bool = False) -> List[TagMatch]:
        """The stored tags a query for ``tag`` matches: the tag itself
        first, then its aliases and narrower tags (transitively) in byte
        order; with ``exact``, the tag alone.

        :raises NotFound: for a tag nobody holds that the taxonomy does not
            name; the message suggests close known tags.
        """
        ctag = to_c(tag, "tag")
        cexact = to_bool(exact, "exact")

        def read(t: _Table) -> List[TagMatch]:
            a, r, h = t.col("tag"), t.col("relation"), t.col("holders")
            return [TagMatch(t.text(i, a) or "", t.text(i, r) or "",
                             int(t.real(i, h))) for i in range(t.count)]

        lib = _lib()
        opts = OptionsPtr()
        lib.netref_options_new(byref(opts))
        try:
            lib.netref_options_set_exact(opts, int(cexact))
            return self._list(read, "netref_tag_expand", ctag, opts)
        finally:
            lib.netref_options_free(opts)

    # -- import ------------------------------------------------------------

    def import_csv(self, people: Optional[PathLike] = None,
                   ties: Optional[PathLike] = None,
                   offers: Optional[PathLike] = None,
                   needs: Optional[PathLike] = None,
                   create_missing: bool = False,
                   progress: Optional[Callable[[str, int], Any]] = None,
                   taxonomy: Optional[PathLike] = None,
                   groups: Optional[PathLike] = None
                   ) -> Dict[str, int]:
        """Import CSV files in one transaction, all or nothing.

        Files are read in the order people, ties, offers, needs, taxonomy,
        groups; rows upsert by key, so importing the same files again
        changes nothing.

        :param people: ``key,name[,attribute columns...]``.
        :param ties: ``a,b[,strength][,last_contact][,context][,cadence]``.
        :param offers: ``person,tag[,note]``.
        :param needs: ``person,tag[,weight]``.
        :param create_missing: create people named in ties, offers, needs
            or groups who are not in the network, instead of failing.
        :param progress: called as ``progress(path, rows)`` every few
            thousand rows and at the end of each file. An exception it
            raises (KeyboardInterrupt included) stops the import, which
            is rolled back, and is re-raised; so does a true return
            value, raising :class:`netref.Canceled`.
        :param taxonomy: ``tag,relation,other``, relation ``alias`` or
            ``broader`` (other is the broader term); cycles are refused.
        :param groups: ``group,person[,group_name]``; a group not yet
            known is created, named ``group_name`` or else after its key;
            an empty person names a group without members.
        :return: the data rows read per kind: ``{"people": n, "ties": n,
            "offers": n, "needs": n, "taxonomy": n, "groups": n}`` (0 for
            files not given).
        :raises ParseError: for bad rows: the import reads on past a bad
            row, and the message lists every one found, one
            ``FILE:LINE: problem`` a line (at most 20, then ``... and N
            more problems``); nothing is imported.
        :raises FileError: when a file cannot be read (the bad rows found
            before, if any, are listed first).
        :raises InvalidArgument: when no file is given.
        """
        files = []
        for (kind_name, kind), value in zip(
                _CSV_KINDS, (people, ties, offers, needs, taxonomy, groups)):
            if value is not None:
                files.append((kind, path_to_c(value, kind_name)))
        cm = to_bool(create_missing, "create_missing")

        def setup(imp: ImportPtr) -> None:
            for kind, path in files:
                _lib().netref_import_set_file(imp, kind, path)
            _lib().netref_import_set_create_missing(imp, int(cm))

        def counts(imp: ImportPtr) -> Dict[str, int]:
            return {name: int(_lib().netref_import_count(imp, kind))
                    for name, kind in _CSV_KINDS}

        return self._import(setup, counts, progress)

    def import_linkedin(self, path: PathLike, owner: Optional[str] = None,
                        progress: ProgressLike = None) -> ContactImport:
        """Import LinkedIn's ``Connections.csv`` ("Download your data"),
        all or nothing.

        The notes before the header row are skipped. Each row is a person:
        found by profile URL or e-mail when already in the network (so one
        person keeps one key), else added with a key made from the profile
        URL's name, the e-mail or the name (``-2``, ``-3``, ... when
        taken); ``company``, ``position``, ``email`` and ``url`` become
        attributes (a non-empty value replaces the stored one; an empty
        cell removes nothing). Each is tied to ``owner`` with the context
        ``LinkedIn`` and ``Connected On`` as the first contact; an existing
        tie keeps its strength and context, and its last contact only
        moves forward. So importing a newer export adds and updates and
        never weakens a tie you edited; the same file again changes
        nothing. netref.h, "Importing contacts", states every rule.

        :param owner: the person everyone is tied to; None for ``"me"``
            (created when missing).
        :param progress: as for :meth:`import_csv`.
        :return: the rows read, and how many made new people, updated
            people or left them unchanged.
        :raises ParseError: for a bad row ("FILE:LINE: problem"); nothing
            is imported.
        :raises FileError: when the file cannot be read.
        """
        return self._import_contacts(_IMPORT_LINKEDIN, path, "path", owner,
                                     progress)

    def import_vcard(self, path: PathLike, owner: Optional[str] = None,
                     progress: ProgressLike = None) -> ContactImport:
        """Import a vCard file (versions 2.1, 3.0 and 4.0, one or more
        cards, as phones and mail programs export them), all or nothing.

        Each card is a person, found by UID, URL (a LinkedIn profile too)
        or e-mail when already in the network, else added with a key from
        the UID, the e-mail or the name. FN (else N, else ORG) gives the
        name of a new person; EMAIL, TEL and URL (every one) give
        ``email``, ``phone`` and ``url`` (then ``email2``, ...); ORG gives
        ``company`` and ``department``, TITLE ``position``, NOTE ``note``,
        the first ADR ``city``, UID ``uid``; CATEGORIES become group
        memberships. PHOTO and other binary properties are skipped. Each
        person is tied to ``owner`` with the context ``vCard`` (an
        existing tie is kept as it is).

        :param owner: the person everyone is tied to; None for ``"me"``.
        :param progress: as for :meth:`import_csv`.
        :return: the cards read, and how many made new people, updated
            people or left them unchanged.
        :raises ParseError: for a bad card ("FILE:LINE: problem").
        :raises FileError: when the file cannot be read.
        """
        return self._import_contacts(_IMPORT_VCARD, path, "path", owner,
                                     progress)

    def _import_contacts(self, kind: int, path: PathLike, what: str,
                         owner: Optional[str],
                         progress: ProgressLike) -> ContactImport:
        cpath = path_to_c(path, what)
        cowner = opt_to_c(owner, "owner")

        def setup(imp: ImportPtr) -> None:
            _lib().netref_import_set_file(imp, kind, cpath)
            if cowner is not None:
                _lib().netref_import_set_owner(imp, cowner)

        def counts(imp: ImportPtr) -> ContactImport:
            lib = _lib()
            return ContactImport(
                int(lib.netref_import_count(imp, kind)),
                int(lib.netref_import_people_count(imp, kind, _PEOPLE_NEW)),
                int(lib.netref_import_people_count(imp, kind,
                                                   _PEOPLE_UPDATED)),
                int(lib.netref_import_people_count(imp, kind,
                                                   _PEOPLE_UNCHANGED)))

        return self._import(setup, counts, progress)

    def _import(self, setup: Callable[[ImportPtr], None],
                counts: Callable[[ImportPtr], _T],
                progress: ProgressLike) -> _T:
        """Run one import job: `setup` names its files, `counts` reads
        what it did. The progress callback never lets an exception unwind
        into C: it is kept, the import canceled, and it is raised here."""
        if progress is not None and not callable(progress):
            raise TypeError("progress must be callable or None")

        failure: List[BaseException] = []

        def on_progress(user: Any, path: Optional[bytes], rows: int) -> int:
            if failure:
                return 1
            try:
                assert progress is not None
                return 1 if progress(os.fsdecode(path or b""),
                                     int(rows)) else 0
            except BaseException as e:  # never let it unwind into C
                failure.append(e)
                return 1

        callback = ProgressFn(on_progress) if progress is not None else None
        lib = _lib()
        imp = ImportPtr()
        try:
            lib.netref_import_new(byref(imp))
            setup(imp)
            if callback is not None:
                lib.netref_import_set_progress(imp, callback, None)
            with self._use() as db:
                try:
                    lib.netref_import_run(db, imp)
                except Error:
                    if failure:  # the callback's own exception first
                        raise failure[0] from None
                    raise
            result = counts(imp)
        finally:
            lib.netref_import_free(imp)
            del callback  # only now may the C function pointer die
        return result

    # -- export ------------------------------------------------------------

    def export(self, path: PathLike, format: ExportFormatLike,
               source: Optional[str] = None, hops: int = 2,
               progress: Optional[Callable[[str, int], Any]] = None
               ) -> ExportSummary:
        """Write the network, or ``source``'s k-hop network, as files
        other tools open (C: ``netref_export_run``).

        A file is written in full or not at all: under a temporary name
        beside ``path``, flushed and renamed when complete; a failure
        leaves ``path`` as it was. New files are private (mode 0600).

        :param path: the file, or for ``csv`` and ``neo4j`` the directory
            (created if missing; other files in it are kept).
        :param format: a :class:`netref.ExportFormat` or its string:
            ``graphml``, ``gexf``, ``json``, ``dot``, ``csv`` (netref's
            import layout: the backup format) or ``neo4j``.
        :param source: only the people within ``hops`` ties of this
            person (and every tie among them); None for everyone.
        :param hops: 1 to 6, with ``source``.
        :param progress: called as ``progress(path, records)`` every few
            thousand records and once per file at the end; an exception
            it raises stops the export (nothing is written) and is
            re-raised, and so does a true return value, raising
            :class:`netref.Canceled`.
        :return: the files written and how many records of each kind.
        :raises NotFound: for an unknown source.
        :raises FileError: when a file cannot be written.
        """
        fmt = _member(ExportFormat, format, "format",
                      "'graphml', 'gexf', 'json', 'dot', 'csv' or 'neo4j'")
        cpath = path_to_c(path, "path")
        csource = opt_to_c(source, "source")
        chops = to_int(hops, "hops", 1, _MAX_HOPS)
        if progress is not None and not callable(progress):
            raise TypeError("progress must be callable or None")
        failure: List[BaseException] = []

        def on_progress(user: Any, name: Optional[bytes], rows: int) -> int:
            if failure:
                return 1
            try:
                assert progress is not None
                return 1 if progress(os.fsdecode(name or b""),
                                     int(rows)) else 0
            except BaseException as e:  # never let it unwind into C
                failure.append(e)
                return 1

        callback = ProgressFn(on_progress) if progress is not None else None
        lib = _lib()
        exp = ExportPtr()
        try:
            lib.netref_export_new(_EXPORT_FORMATS[fmt], byref(exp))
            lib.netref_export_set_source(exp, csource, chops)
            if callback is not None:
                lib.netref_export_set_progress(exp, callback, None)
            with self._use() as db:
                try:
                    lib.netref_export_run(db, exp, cpath)
                except Error:
                    if failure:  # the callback's own exception first
                        raise failure[0] from None
                    raise
            files = tuple(os.fsdecode(lib.netref_export_file(exp, i))
                          for i in range(lib.netref_export_files(exp)))
            counts = [int(lib.netref_export_count(exp, k)) for k in range(6)]
        finally:
            lib.netref_export_free(exp)
            del callback  # only now may the C function pointer die
        return ExportSummary(fmt, files, *counts)

    # -- queries -----------------------------------------------------------

    def prospects(self, source: str, tag: str, hops: int = DEFAULT_HOPS,
                  limit: Optional[int] = None,
                  half_life: Optional[float] = None,
                  today: Optional[DateLike] = None, exact: bool = False,
                  group: Optional[str] = None) -> List[Result]:
        """Who within ``hops`` ties of ``source`` might need ``tag``.

        score = reach(p) * weight of p's need. Rows are ordered by score
        (descending), hops (ascending), key (byte order).

        :param hops: the hop limit, 1 to :data:`MAX_HOPS`
            (default :data:`DEFAULT_HOPS`).
        :param limit: the maximum number of rows; None (or 0) for all.
        :param half_life: let ties cool: each tie's strength is multiplied
            by 0.5^(age / half_life days); None (or 0) for no decay.
        :param today: the reference date for ages (``"YYYY-MM-DD"`` or a
            ``datetime.date``); None for the current local date.
        :param exact: match ``tag`` alone; by default a query also matches
            its aliases and narrower tags (:meth:`tag_relate`), and each
            row's ``tag`` says which stored tag matched.
        :param group: keep the rows to the members of this group (walks
            still pass through anyone); None for everyone.
        :raises NotFound: for an unknown source or group, or a tag nobody
            holds that the taxonomy does not name (the message suggests
            close known tags).
        :raises InvalidArgument: for a bad tag or option.
        """
        return self._query("netref_prospects", source, tag, hops, limit,
                           half_life, today, exact, group)

    def providers(self, source: str, tag: str, hops: int = DEFAULT_HOPS,
                  limit: Optional[int] = None,
                  half_life: Optional[float] = None,
                  today: Optional[DateLike] = None, exact: bool = False,
                  group: Optional[str] = None) -> List[Result]:
        """Who within ``hops`` ties of ``source`` offers ``tag``.

        score = reach(p). Parameters, order and errors as
        :meth:`prospects`.
        """
        return self._query("netref_providers", source, tag, hops, limit,
                           half_life, today, exact, group)

    def path(self, a: str, b: str, max_hops: int = DEFAULT_PATH_HOPS, alternatives: int = 0,
             half_life: Optional[float] = None,
             today: Optional[DateLike] = None) -> List[Path]:
        """The strongest introduction path from ``a`` to ``b``, then up to
        ``alternatives`` further paths sharing no intermediate person with
        the ones before (nor the direct tie once given).

        A path's strength is the product of its tie strengths; among equally
        strong paths the one with the fewest ties is chosen. An empty list
        means no path within the limit.

        :param max_hops: the hop limit, 1 to :data:`MAX_PATH_HOPS`, or
            :data:`NO_LIMIT` (0) for none; default
            :data:`DEFAULT_PATH_HOPS`.
        :param alternatives: how many further paths to look for, 0 to
            :data:`MAX_ALTERNATIVES`.
        :param half_life: let ties cool, as for :meth:`prospects`.
        :param today: the reference date for ages, as for :meth:`prospects`.
        :raises NotFound: for an unknown person.
        :raises InvalidArgument: when a and b are the same person, or for a
            bad option.
        """
        ca, cb = to_c(a, "a"), to_c(b, "b")
        cmax = to_int(max_hops, "max_hops")
        calt = to_int(alternatives, "alternatives")
        chalf = None if half_life is None else to_float(half_life,
                                                        "half_life")
        ctoday = _date_to_c(today, "today")
        lib = _lib()
        opts = OptionsPtr()
        res = ResultPtr()
        try:
            lib.netref_options_new(byref(opts))
            lib.netref_options_set_max_hops(opts, cmax)
            lib.netref_options_set_alternatives(opts, calt)
            if chalf is not None:
                lib.netref_options_set_half_life(opts, chalf)
            if ctoday is not None:
                lib.netref_options_set_today(opts, ctoday)
            with self._use() as db:
                lib.netref_path(db, ca, cb, opts, byref(res))
            return [Path(strength=r.score, hops=r.hops, path=r.path,
                         introducer=r.introducer)
                    for r in _read_result(res)]
        finally:
            lib.netref_options_free(opts)
            lib.netref_result_free(res)

    def _query(self, fn_name: str, source: str, tag: str, hops: int,
               limit: Optional[int], half_life: Optional[float],
               today: Optional[DateLike], exact: bool,
               group: Optional[str]) -> List[Result]:
        csource, ctag = to_c(source, "source"), to_c(tag, "tag")
        values = _option_values(hops, limit, half_life, today, exact, group)
        # Without argtypes (_ffi.UNCHECKED): the arguments are exactly the
        # types declared, and the error is raised here.
        unchecked = _ffi._unchecked
        res = ResultPtr()
        try:
            with self._use() as db:
                opts = (self._options.get(values) or
                        self._cached_options(values))
                rc = getattr(unchecked, fn_name)(db, csource, ctag, opts,
                                                 byref(res))
                if rc != 0:
                    _ffi._check_db(rc, None, (db,))
            return _read_result(res)
        finally:
            unchecked.netref_result_free(res)

    # -- whom to ask and whom to introduce -------------------------------

    def _query_options(self, opts: OptionsPtr, hops: int,
                       limit: Optional[int], half_life: Optional[float],
                       today: Optional[DateLike], exact: bool = False,
                       group: Optional[str] = None) -> None:
        """Fill a netref_options for the tag queries, ask_first and
        matches."""
        _fill_options(opts, _option_values(hops, limit, half_life, today,
                                           exact, group))

    def _cached_options(self, values: "_OptionValues") -> OptionsPtr:
        """The netref_options for the tag queries' option values, made
        once and kept by the network (at most _OPTIONS_KEPT sets), since
        making one costs a C call per option, a fifth of a small query.
        Called with the network held (inside _use), which guards the
        cache as it guards the handle; freed by close."""
        opts = self._options.get(values)
        if opts is not None:
            return opts
        if len(self._options) >= _OPTIONS_KEPT:
            self._free_options()
        opts = OptionsPtr()
        _lib().netref_options_new(byref(opts))
        try:
            _fill_options(opts, values)
        except BaseException:
            _lib().netref_options_free(opts)
            raise
        self._options[values] = opts
        return opts

    def _free_options(self) -> None:
        options, self._options = self._options, {}
        for opts in options.values():
            _lib().netref_options_free(opts)

    def ask_first(self, source: str, tag: str, hops: int = DEFAULT_HOPS,
                  role: RoleLike = Role.ANY, limit: Optional[int] = None,
                  half_life: Optional[float] = None,
                  today: Optional[DateLike] = None, exact: bool = False,
                  group: Optional[str] = None) -> List[AskFirstRow]:
        """Whom to tell first about ``tag``: the source's direct contacts
        ranked by how well their word reaches the targets, the people
        (other than the source) who offer or need the tag (``role``).

        For a contact c, each target t counts strength(source, c) times
        the best product of strengths over walks of at most ``hops - 1``
        ties from c to t that avoid the source (c itself counts
        strength(source, c) when it is a target); score is the sum over
        the targets, reached how many have a value above 0, top the up to
        three best. Contacts reaching no target are left out. Rows are
        ordered by score (descending), then key.

        :param hops: the hop limit from the source, 1 to
            :data:`MAX_HOPS` (default :data:`DEFAULT_HOPS`).
        :param role: a :class:`netref.Role` or its string (``"offers"``,
            ``"needs"`` or ``"any"``).
        :param limit: the maximum number of rows; None (or 0) for all.
        :param half_life: let ties cool, as for :meth:`prospects`.
        :param today: the reference date for ages, as for :meth:`prospects`.
        :param exact: match ``tag`` alone, as for :meth:`prospects`.
        :param group: only members of this group are targets.
        :raises NotFound: for an unknown source, tag or group, as for
            :meth:`prospects`.
        :raises InvalidArgument: for a bad tag, role or option.
        """
        csource, ctag = to_c(source, "source"), to_c(tag, "tag")
        crole = _ROLES[_role(role)]
        lib = _lib()
        opts = OptionsPtr()
        try:
            lib.netref_options_new(byref(opts))
            self._query_options(opts, hops, limit, half_life, today, exact,
                                group)

            def read(t: _Table) -> List[AskFirstRow]:
                k, n = t.col("key"), t.col("name")
                sc, rc = t.col("score"), t.col("reached")
                tops = [t.col("top1"), t.col("top2"), t.col("top3")]
                out = []
                for i in range(t.count):
                    top = tuple(x for x in (t.text(i, c) for c in tops)
                                if x is not None)
                    out.append(AskFirstRow(t.text(i, k) or "",
                                           t.text(i, n) or "",
                                           t.real(i, sc),
                                           int(t.real(i, rc)), top))
                return out

            return self._list(read, "netref_ask_first", csource, ctag,
                              crole, opts)
        finally:
            lib.netref_options_free(opts)

    def matches(self, source: str, hops: int = DEFAULT_HOPS,
                tag: Optional[str] = None,
                limit: Optional[int] = None,
                half_life: Optional[float] = None,
                today: Optional[DateLike] = None, exact: bool = False,
                group: Optional[str] = None) -> List[Match]:
        """Introductions ``source`` could make: pairs of a needer and a
        provider of a tag, both within ``hops`` ties of the source (not
        the source), different people and not tied to each other.

        score = need weight * reach(needer) * reach(provider). Each pair
        is listed once, for the need with the best score (equal scores:
        the first needed tag, then offered tag, in byte order). Rows are
        ordered by score (descending), then needer key, provider key.

        :param hops: the hop limit, 1 to :data:`MAX_HOPS`
            (default :data:`DEFAULT_HOPS`).
        :param tag: only needs of this tag, its aliases and narrower tags;
            None for all.
        :param limit: the maximum number of rows; None (or 0) for all.
        :param half_life: let ties cool, as for :meth:`prospects`.
        :param today: the reference date for ages, as for :meth:`prospects`.
        :param exact: a need matches offers of its very tag only; by
            default also of its aliases and narrower tags (``offer_tag``
            says which).
        :param group: both people of a pair are members of this group.
        :raises NotFound: for an unknown source, tag or group.
        :raises InvalidArgument: for a bad tag or option.
        :raises LimitError: for too many candidate pairs (needers x
            providers within reach): more than 250,000 without a
            ``limit`` (or with a larger one), more than 100,000,000 with
            one.
        """
        csource = to_c(source, "source")
        ctag = None if tag is None else to_c(tag, "tag")
        lib = _lib()
        opts = OptionsPtr()
        try:
            lib.netref_options_new(byref(opts))
            self._query_options(opts, hops, limit, half_life, today, exact,
                                group)

            def read(t: _Table) -> List[Match]:
                c = {n: t.col(n) for n in (
                    "needer", "needer_name", "provider", "provider_name",
                    "tag", "score", "needer_reach", "provider_reach",
                    "offer_tag")}
                return [Match(
                    needer=t.text(i, c["needer"]) or "",
                    provider=t.text(i, c["provider"]) or "",
                    tag=t.text(i, c["tag"]) or "",
                    score=t.real(i, c["score"]),
                    needer_reach=t.real(i, c["needer_reach"]),
                    provider_reach=t.real(i, c["provider_reach"]),
                    needer_name=t.text(i, c["needer_name"]) or "",
                    provider_name=t.text(i, c["provider_name"]) or "",
                    offer_tag=t.text(i, c["offer_tag"]) or "")
                    for i in range(t.count)]

            return self._list(read, "netref_matches", csource, ctag, opts)
        finally:
            lib.netref_options_free(opts)

    # -- brokers ---------------------------------------------------------

    def connectors(self, source: str, hops: int = DEFAULT_HOPS,
                   limit: Optional[int] = None) -> List[Connector]:
        """Who connects the people around ``source``: the people of its
        k-hop network (everyone within ``hops`` ties, the source included,
        with every tie among them) ranked by betweenness within it.

        betweenness(v) sums, over the pairs of other people of that
        network, the share of their shortest paths (fewest ties; strengths
        are not lengths) that pass through v. The source and people with
        betweenness 0 are left out; rows are ordered by betweenness
        (descending), then key.

        Cost: people x ties of the k-hop network (Brandes' algorithm, in
        igraph); more than the library's bound (100,000,000, about 3 s)
        is refused with :class:`netref.LimitError`.

        :param hops: the hop limit, 1 to :data:`MAX_HOPS`
            (default :data:`DEFAULT_HOPS`).
        :param limit: the maximum number of rows; None (or 0) for all.
        :raises NotFound: for an unknown source.
        :raises LimitError: when the k-hop network is too large.
        :raises InvalidArgument: for a bad option.
        """
        csource = to_c(source, "source")
        chops = to_int(hops, "hops")
        climit = None if limit is None else min(
            to_int(limit, "limit", high=2 ** 63), _ffi.INT_MAX)
        lib = _lib()
        opts = OptionsPtr()
        try:
            lib.netref_options_new(byref(opts))
            lib.netref_options_set_hops(opts, chops)
            if climit is not None:
                lib.netref_options_set_limit(opts, climit)

            def read(t: _Table) -> List[Connector]:
                c = {n: t.col(n) for n in ("key", "name", "hops",
                                           "betweenness")}
                return [Connector(t.text(i, c["key"]) or "",
                                  t.text(i, c["name"]) or "",
                                  int(t.real(i, c["hops"])),
                                  t.real(i, c["betweenness"]))
                        for i in range(t.count)]

            return self._list(read, "netref_connectors", csource, opts)
        finally:
            lib.netref_options_free(opts)

    # -- the referral ledger ---------------------------------------------
    # (Constants of include/netref.h: _INTRO_STATUSES.)

    def intro_add(self, introducer: str, seeker: str, target: str,
                  tag: Optional[str] = None, date: Optional[DateLike] = None,
                  note: Optional[str] = None,
                  status: StatusLike = Status.PROPOSED,
                  warm_tie: bool = False) -> int:
        """Record an introduction: ``introducer`` put ``seeker`` in touch
        with ``target`` (three different people).

        :param tag: what it is about (normalized); None for none.
        :param date: when, ``"YYYY-MM-DD"`` or a ``datetime.date``; None
            for today.
        :param note: free text; None for none.
        :param status: a :class:`netref.Status` or its string:
            ``"proposed"``, ``"made"`` or ``"accepted"``; the
            final statuses are reached with :meth:`intro_set_status`.
        :param warm_tie: once the introduction is made (now or later),
            create the seeker-target tie with strength 0.5, or raise an
            existing one to at least 0.5, and move its last contact
            forward to the date it was made.
        :return: the new introduction's id.
        :raises NotFound: for an unknown person.
        :raises InvalidArgument: for people who are not three different
            ones, a bad tag, date or status.
        """
        ci, cs = to_c(introducer, "introducer"), to_c(seeker, "seeker")
        ct = to_c(target, "target")
        specs = [(_fields.TAG, "t", tag, "tag"),
                 (_fields.DATE, "d", date, "date"),
                 (_fields.NOTE, "t", note, "note"),
                 (_fields.STATUS, "i", _intro_status(status), "status"),
                 (_fields.WARM_TIE, "i",
                  int(to_bool(warm_tie, "warm_tie")), "warm_tie")]
        new_id = c_longlong(0)
        with fields(specs) as f, self._use() as db:
            _lib().netref_intro_add(db, ci, cs, ct, f, byref(new_id))
        return int(new_id.value)

    def intro_set_status(self, id: int, status: StatusLike,
                         date: Optional[DateLike] = None,
                         value: Optional[float] = None) -> None:
        """Move an introduction to a later status.

        Statuses only move forward along proposed, made, accepted,
        converted (steps may be skipped); ``"declined"`` may follow any of
        the first three; converted and declined are final.

        :param id: the introduction, as :meth:`intro_add` returned it.
        :param status: the new status (a :class:`netref.Status` or its
            string).
        :param date: when it changed (not before the last change); None
            for today.
        :param value: with ``"converted"``, the value of the business it
            brought (>= 0; None for 0); must be None otherwise.
        :raises NotFound: for an unknown id.
        :raises InvalidArgument: for a move that is not allowed, a bad
            date or value.
        """
        cid = to_int(id, "id", low=-(2 ** 63), high=2 ** 63 - 1)
        cstatus = _intro_status(status, new=False)
        specs = [(_fields.DATE, "d", date, "date"),
                 (_fields.VALUE, "r", value, "value")]
        with fields(specs) as f, self._use() as db:
            _lib().netref_intro_set_status(db, cid, cstatus, f)

    def intro_list(self, person: Optional[str] = None) -> List[Introduction]:
        """Introductions in which ``person`` is introducer, seeker or
        target (None: all), ordered by the date recorded, then id.

        :raises NotFound: for an unknown person.
        :raises VersionError: on a read-only network whose file predates
            the ledger.
        """
        cp = opt_to_c(person, "person")

        def read(t: _Table) -> List[Introduction]:
            c = {name: t.col(name) for name in (
                "id", "introducer", "seeker", "target", "tag", "created",
                "status", "changed", "made", "note", "value", "warm_tie")}
            out = []
            for i in range(t.count):
                value = t.text(i, c["value"])
                out.append(Introduction(
                    id=int(t.real(i, c["id"])),
                    introducer=t.text(i, c["introducer"]) or "",
                    seeker=t.text(i, c["seeker"]) or "",
                    target=t.text(i, c["target"]) or "",
                    tag=t.text(i, c["tag"]),
                    created=t.day(i, c["created"]),
                    status=t.member(Status, i, c["status"]),
                    changed=t.day(i, c["changed"]),
                    made=t.date(i, c["made"]),
                    note=t.text(i, c["note"]),
                    value=None if value is None else t.real(i, c["value"]),
                    warm_tie=t.real(i, c["warm_tie"]) != 0))
            return out

        return self._list(read, "netref_intro_list", cp)

    def balance(self, person: str) -> List[BalanceRow]:
        """Who has done ``person`` favours, and whom has ``person`` helped:
        per counterpart, the introductions that were made between them in
        either direction, how many converted and the value of the business
        each brought the other. Ordered by the number of introductions
        (descending), then key.

        :raises NotFound: for an unknown person.
        :raises VersionError: on a read-only network whose file predates
            the ledger.
        """
        cp = to_c(person, "person")

        def read(t: _Table) -> List[BalanceRow]:
            k, n = t.col("key"), t.col("name")
            mf, mb = t.col("made_for"), t.col("made_by")
            cv, v, vg = t.col("converted"), t.col("value"), t.col(
                "value_given")
            return [BalanceRow(t.text(i, k) or "", t.text(i, n) or "",
                               int(t.real(i, mf)), int(t.real(i, mb)),
                               int(t.real(i, cv)), t.real(i, v),
                               t.real(i, vg)) for i in range(t.count)]

        return self._list(read, "netref_balance", cp)

    # -- keeping in touch ------------------------------------------------

    def contact_log(self, a: str, b: str, date: Optional[DateLike] = None,
                    kind: Optional[str] = None,
                    note: Optional[str] = None) -> int:
        """Log an interaction between a and b; the tie's last contact
        moves forward to its date (never back). A missing tie is created
        with strength 0.5.

        :param date: ``"YYYY-MM-DD"`` or a ``datetime.date``; None for
            today.
        :param kind: ``"met"`` (the default), ``"call"``, ``"message"``...
        :param note: free text; None for none.
        :return: the new interaction's id.
        :raises NotFound: for an unknown person.
        :raises InvalidArgument: for the same person twice, a bad date or
            kind.
        """
        ca, cb = to_c(a, "a"), to_c(b, "b")
        specs = [(_fields.DATE, "d", date, "date"),
                 (_fields.KIND, "t", kind, "kind"),
                 (_fields.NOTE, "t", note, "note")]
        new_id = c_longlong(0)
        with fields(specs) as f, self._use() as db:
            _lib().netref_contact_log(db, ca, cb, f, byref(new_id))
        return int(new_id.value)

    def contact_list(self, person: str) -> List[Contact]:
        """A person's logged interactions, newest first.

        :raises NotFound: for an unknown person.
        :raises VersionError: on a read-only network whose file predates
            keeping in touch.
        """
        cp = to_c(person, "person")

        def read(t: _Table) -> List[Contact]:
            c = {name: t.col(name) for name in (
                "id", "key", "name", "date", "kind", "note")}
            return [Contact(int(t.real(i, c["id"])), t.text(i, c["key"]) or "",
                            t.text(i, c["name"]) or "",
                            t.day(i, c["date"]),
                            t.text(i, c["kind"]) or "", t.text(i, c["note"]))
                    for i in range(t.count)]

        return self._list(read, "netref_contact_list", cp)

    def reconnect(self, source: str, older_than: int = 0,
                  hops: int = DEFAULT_HOPS,
                  today: Optional[DateLike] = None,
                  limit: Optional[int] = None,
                  exact: bool = False) -> List[Reconnect]:
        """The source's overdue ties, ranked by what they would reach of
        the tags the source needs or offers (see netref_reconnect in
        netref.h for the exact rules).

        :param older_than: due age in days of ties without a cadence; 0
            (the default) considers only ties with a cadence.
        :param hops: k: the contact's reach counts people within k-1 ties.
        :param today: the reference date; None for today.
        :param limit: keep only the first rows.
        :param exact: match the source's tags alone, not their aliases
            and narrower tags (as for :meth:`prospects`).
        :raises NotFound: for an unknown source.
        """
        csource = to_c(source, "source")
        colder = to_int(older_than, "older_than", low=0)
        cexact = to_bool(exact, "exact")
        chops = to_int(hops, "hops")
        climit = None if limit is None else min(
            to_int(limit, "limit", high=2 ** 63), _ffi.INT_MAX)
        ctoday = _date_to_c(today, "today")
        lib = _lib()
        opts = OptionsPtr()
        rows = RowsPtr()
        try:
            lib.netref_options_new(byref(opts))
            lib.netref_options_set_hops(opts, chops)
            if climit is not None:
                lib.netref_options_set_limit(opts, climit)
            if ctoday is not None:
                lib.netref_options_set_today(opts, ctoday)
            lib.netref_options_set_exact(opts, cexact)
            with self._use() as db:
                lib.netref_reconnect(db, csource, colder, opts, byref(rows))
            t = _Table(rows)
            c = {name: t.col(name) for name in (
                "key", "name", "days_overdue", "score", "tags", "people",
                "last_contact", "cadence")}
            out = []
            for i in range(t.count):
                tags = t.text(i, c["tags"]) or ""
                days = t.text(i, c["days_overdue"])
                cadence = t.text(i, c["cadence"])
                out.append(Reconnect(
                    key=t.text(i, c["key"]) or "",
                    name=t.text(i, c["name"]) or "",
                    days_overdue=None if days is None else int(
                        t.real(i, c["days_overdue"])),
                    score=t.real(i, c["score"]),
                    tags=tuple(tags.split("\n")) if tags else (),
                    people=int(t.real(i, c["people"])),
                    last_contact=t.date(i, c["last_contact"]),
                    cadence=None if cadence is None else int(
                        t.real(i, c["cadence"]))))
            return out
        finally:
            lib.netref_options_free(opts)
            lib.netref_rows_free(rows)

    # -- groups ----------------------------------------------------------

    def group_add(self, key: str, name: Optional[str] = None) -> None:
        """Create a group (an event or a community).

        :param key: the new group's unique key (non-empty).
        :param name: the display name; None for the key.
        :raises AlreadyExists: when the key is taken
            (:meth:`group_set_name` renames).
        :raises InvalidArgument: for a bad key or name.
        """
        ckey, cname = to_c(key, "key"), opt_to_c(name, "name")
        with self._use() as db:
            _lib().netref_group_add(db, ckey, cname)

    def group_set_name(self, key: str, name: str) -> None:
        """Rename a group.

        :raises NotFound: for an unknown group.
        :raises InvalidArgument: for an empty or bad name.
        """
        ckey, cname = to_c(key, "key"), to_c(name, "name")
        with self._use() as db:
            _lib().netref_group_set_name(db, ckey, cname)

    def group_remove(self, key: str) -> None:
        """Remove a group and its memberships (not the people).

        :raises NotFound: for an unknown group.
        """
        ckey = to_c(key, "key")
        with self._use() as db:
            _lib().netref_group_remove(db, ckey)

    def group_join(self, group: str, person: str) -> None:
        """Make a person a member of a group; joining twice does nothing.

        :raises NotFound: for an unknown group or person.
        """
        cg, cp = to_c(group, "group"), to_c(person, "person")
        with self._use() as db:
            _lib().netref_group_join(db, cg, cp)

    def group_leave(self, group: str, person: str) -> None:
        """End a person's membership of a group.

        :raises NotFound: for an unknown group or person, or when the
            person is not a member.
        """
        cg, cp = to_c(group, "group"), to_c(person, "person")
        with self._use() as db:
            _lib().netref_group_leave(db, cg, cp)

    def group_list(self) -> List[Group]:
        """Every group with its number of members, ordered by key.

        :raises VersionError: on a read-only network whose file predates
            groups.
        """

        def read(t: _Table) -> List[Group]:
            k, n, m = t.col("key"), t.col("name"), t.col("members")
            return [Group(t.text(i, k) or "", t.text(i, n) or "",
                          int(t.real(i, m))) for i in range(t.count)]

        return self._list(read, "netref_group_list")

    def group_members(self, group: str) -> List[PersonSummary]:
        """The members of a group (key and name), ordered by key.

        :raises NotFound: for an unknown group.
        :raises VersionError: on a read-only network whose file predates
            groups.
        """

        return self._list(lambda t: t.key_names(PersonSummary),
                          "netref_group_members",
                          to_c(group, "group"))

    def person_groups(self, person: str) -> List[GroupSummary]:
        """The groups a person belongs to (key and name), ordered by key.

        :raises NotFound: for an unknown person.
        :raises VersionError: on a read-only network whose file predates
            groups.
        """

        return self._list(lambda t: t.key_names(GroupSummary),
                          "netref_person_groups",
                          to_c(person, "person"))


# Constants of include/netref.h for the referral ledger.
_INTRO_STATUSES = {Status.PROPOSED: 1, Status.MADE: 2, Status.ACCEPTED: 3,
                   Status.CONVERTED: 4, Status.DECLINED: 5}
_INTRO_NEW_STATUSES = (Status.PROPOSED, Status.MADE, Status.ACCEPTED)


def _intro_status(status: Any, new: bool = True) -> int:
    """A status (member or name) as its NETREF_INTRO_* number."""
    names = _INTRO_NEW_STATUSES if new else tuple(_INTRO_STATUSES)
    choices = f"one of {', '.join(names)}"
    member = _member(Status, status, "status", choices)
    if member not in names:
        raise InvalidArgument(
            f"status must be {choices}, not {member.value!r} (converted and "
            "declined are set with intro_set_status)")
    return _INTRO_STATUSES[member]


# The tag queries' options as C values (validated), the key of a
# network's kept netref_options: hops, limit, half-life, today, exact,
# group.
_OptionValues = Tuple[int, Optional[int], Optional[float], Optional[bytes],
                      bool, Optional[bytes]]
_OPTIONS_KEPT = 16


def _option_values(hops: int, limit: Optional[int],
                   half_life: Optional[float], today: Optional[DateLike],
                   exact: bool, group: Optional[str]) -> _OptionValues:
    if (type(hops) is int and limit is None and half_life is None and
            today is None and exact is False and group is None and
            _ffi.INT_MIN <= hops <= _ffi.INT_MAX):
        # Every option but hops left out, hops an int in range: what the
        # checks below return, without their calls.
        return (hops, None, None, None, False, None)
    chops = to_int(hops, "hops")
    climit = None
    if limit is not None:
        climit = to_int(limit, "limit", high=2 ** 63)
        climit = min(climit, _ffi.INT_MAX)  # more rows than C can count
    chalf = None if half_life is None else to_float(half_life, "half_life")
    return (chops, climit, chalf,
            None if today is None else date_text(today, "today"),
            to_bool(exact, "exact"),
            None if group is None else to_c(group, "group"))


def _fill_options(opts: OptionsPtr, values: _OptionValues) -> None:
    chops, climit, chalf, ctoday, cexact, cgroup = values
    lib = _lib()
    lib.netref_options_set_hops(opts, chops)
    if climit is not None:
        lib.netref_options_set_limit(opts, climit)
    if chalf is not None:
        lib.netref_options_set_half_life(opts, chalf)
    if ctoday is not None:
        lib.netref_options_set_today(opts, ctoday)
    lib.netref_options_set_exact(opts, cexact)
    if cgroup is not None:
        lib.netref_options_set_group(opts, cgroup)


def _read_result(res: ResultPtr) -> List[Result]:
    """Every row of a netref_result as Result objects, read in bulk: the
    numbers in one call, the text as one block split once (netref.h,
    netref_result_numbers and netref_result_text), so a result costs a
    few C calls however many rows it has."""
    # Without argtypes (_ffi.UNCHECKED): the arguments are exactly the
    # types declared.
    unchecked = _ffi._unchecked
    n = unchecked.netref_result_count(res)
    if n == 0:
        return []
    hops, plen = (c_int * n)(), (c_size_t * n)()
    reach, score = (c_double * n)(), (c_double * n)()
    rc = unchecked.netref_result_numbers(res, hops, reach, score, plen)
    if rc != 0:
        _ffi._check_nodb(rc, None, ())
    size = c_size_t(0)
    # The block is a char pointer: slicing it copies the bytes without a
    # further foreign call (string_at is one).
    block = unchecked.netref_result_text(res, byref(size))
    # A tuple, so that a row's path is a slice of it (no list per row).
    texts = tuple(block[:size.value].decode("utf-8").split("\0"))
    # Rows are made without Result.__init__, whose frozen-dataclass
    # checks cost more than the rest of a row: the fields are written
    # straight into the instance dict (exactly those __init__ would set,
    # in its order, so equality, hashing and repr are unchanged;
    # test_binding compares). Item by item into the instance's own dict
    # is cheaper than building a dict and setting __dict__.
    new = object.__new__
    rows: List[Result] = []
    append = rows.append
    at = 0
    for h, r, s, length in zip(hops[:], reach[:], score[:], plen[:]):
        end = at + length
        row = new(Result)
        d = row.__dict__
        d["key"] = texts[end - 1]
        d["name"] = texts[end]
        d["hops"] = h
        d["reach"] = r
        d["score"] = s
        d["introducer"] = texts[at + 1] if length > 2 else None
        d["path"] = texts[at:end]
        d["tag"] = texts[end + 1]
        append(row)
        at = end + 2
    return rows


def open_network(path: PathLike, create: bool = True,
                 readonly: bool = False) -> Network:
    """Open a referral network; see :func:`netref.open`."""
    cpath = path_to_c(path, "path")
    ccreate = to_bool(create, "create")
    creadonly = to_bool(readonly, "readonly")
    # Opening read-only never creates: the flags cannot be combined in C.
    flags = _OPEN_READONLY if creadonly else (_OPEN_CREATE if ccreate else 0)
    db = DbPtr()
    _lib().netref_open_with(cpath, flags, byref(db))
    try:
        return Network(db, os.fsdecode(cpath), creadonly)
    except BaseException:
        _lib().netref_close(db)
        raise
