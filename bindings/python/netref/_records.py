"""The small frozen dataclasses the binding returns, and the enums of
their roles, statuses and relations."""

import datetime
import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Optional, Tuple

__all__ = ["Role", "Status", "Relation",
           "Person", "PersonSummary", "Tie", "Offer", "Need", "TagHolder",
           "Result", "Path", "AskFirstRow", "Match", "TagRelation",
           "TagMatch", "Introduction", "BalanceRow", "Contact", "Reconnect",
           "Group", "GroupSummary", "Connector", "PersonExport",
           "PersonMatch", "ExportFormat", "ExportSummary", "ContactImport"]


class _StrEnum(str, enum.Enum):
    """An enum whose members are also the strings the C library and the
    CLI use, so ``Role.OFFERS == "offers"`` and code written against the
    strings keeps working. str() and f-strings give the bare value (as
    Python 3.11's StrEnum does; the package supports 3.7)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Role(_StrEnum):
    """Whether someone offers or needs a tag; ``ANY`` (an argument only)
    selects both."""

    OFFERS = "offers"
    NEEDS = "needs"
    ANY = "any"


class Status(_StrEnum):
    """Where an introduction is: statuses only move forward along
    proposed, made, accepted, converted; declined ends it early."""

    PROPOSED = "proposed"
    MADE = "made"
    ACCEPTED = "accepted"
    CONVERTED = "converted"
    DECLINED = "declined"


class Relation(_StrEnum):
    """A stored relation between two tags."""

    #: The two tags name the same thing.
    ALIAS = "alias"
    #: The other tag is the broader term.
    BROADER = "broader"


class ExportFormat(_StrEnum):
    """A format of :meth:`netref.Network.export` (``NETREF_EXPORT_*``)."""

    #: One GraphML file: Gephi, Cytoscape, yEd, NetworkX, igraph.
    GRAPHML = "graphml"
    #: One GEXF 1.2 file: Gephi, NetworkX.
    GEXF = "gexf"
    #: One node-link JSON file: D3, ``networkx.node_link_graph``.
    JSON = "json"
    #: One Graphviz DOT file.
    DOT = "dot"
    #: A directory of netref's import CSV files: the backup format.
    CSV = "csv"
    #: A directory of ``neo4j-admin database import`` files.
    NEO4J = "neo4j"


@dataclass(frozen=True)
class Person:
    """One person, as :meth:`netref.Network.person_get` reads them."""

    #: The caller-chosen unique key (e.g. an email or ``"ana"``).
    key: str
    #: The display name.
    name: str
    #: Free attributes (org, role, city, ...), by attribute name in byte
    #: order of the names. Not part of the hash.
    attributes: Dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PersonSummary:
    """A person's key and name, as :meth:`netref.Network.person_list`
    lists them."""

    #: The person's key.
    key: str
    #: The display name.
    name: str


@dataclass(frozen=True)
class PersonMatch:
    """A person found by :meth:`netref.Network.person_find`, and how."""

    #: The person's key.
    key: str
    #: The display name.
    name: str
    #: The "email" attribute, or None when the person has none.
    email: Optional[str]
    #: How the best field matched: ``"exact"`` (the whole field),
    #: ``"prefix"`` (the field or one of its words starts with the text)
    #: or ``"substring"``.
    match: str
    #: Which field that was: ``"key"``, ``"name"`` or ``"email"``.
    field: str


@dataclass(frozen=True)
class Tie:
    """A tie seen from one person: who is at the other end, and how warm
    the tie is."""

    #: Key of the other person.
    key: str
    #: Display name of the other person.
    name: str
    #: How warm the tie is, in (0, 1].
    strength: float
    #: Date of the last contact, or None when unknown.
    last_contact: Optional[datetime.date]
    #: Free text such as ``"met at the Nov evening"``, or None.
    context: Optional[str]
    #: The keep-in-touch cadence in days, or None when none.
    cadence: Optional[int] = None


@dataclass(frozen=True)
class Offer:
    """Something a person offers."""

    #: The normalized tag.
    tag: str
    #: Optional free text, or None.
    note: Optional[str]


@dataclass(frozen=True)
class Need:
    """Something a person might need."""

    #: The normalized tag.
    tag: str
    #: How likely the need is, in (0, 1].
    weight: float


@dataclass(frozen=True)
class TagHolder:
    """Someone who offers or needs a tag, as
    :meth:`netref.Network.tag_people` lists them."""

    #: The person's key.
    key: str
    #: The person's display name.
    name: str
    #: :attr:`Role.OFFERS` or :attr:`Role.NEEDS`.
    role: Role
    #: The need's weight (1.0 for an offer).
    weight: float
    #: The offer's note (None for needs and offers without one).
    note: Optional[str]


@dataclass(frozen=True)
class Result:
    """One ranked row answering :meth:`netref.Network.prospects` or
    :meth:`netref.Network.providers`."""

    #: Key of the person found.
    key: str
    #: Display name of the person found.
    name: str
    #: Hop distance from the source: ties on a shortest path.
    hops: int
    #: Product of tie strengths along the best path, in [0, 1].
    reach: float
    #: The row's score (reach times the need's weight for prospects, reach
    #: for providers).
    score: float
    #: Key of the second person on the best path; None when the best path
    #: is the direct tie.
    introducer: Optional[str]
    #: Keys along the best path, the source first and the person last.
    path: Tuple[str, ...]
    #: The stored (normalized) tag that matched.
    tag: str


@dataclass(frozen=True)
class Path:
    """One introduction path, as :meth:`netref.Network.path` finds it."""

    #: Product of the tie strengths along the path, from its first person
    #: outward, in (0, 1].
    strength: float
    #: Ties on the path.
    hops: int
    #: Keys along the path, the person asking first, the target last.
    path: Tuple[str, ...]
    #: Key of the second person on the path; None for the direct tie.
    introducer: Optional[str]


# ---- Whom to ask and whom to introduce ------------------------------------

@dataclass(frozen=True)
class AskFirstRow:
    """One of the source's contacts, as :meth:`netref.Network.ask_first`
    ranks them: how well word told to them travels toward the tag."""

    #: The contact's key.
    key: str
    #: The contact's display name.
    name: str
    #: Sum over the targets reached of strength(source, contact) times
    #: the best product of strengths from the contact to the target.
    score: float
    #: How many targets the contact reaches (with a value above 0).
    reached: int
    #: Keys of up to three targets reached best through this contact,
    #: the best first (equal values by key).
    top: Tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """An introduction the source could make, as
    :meth:`netref.Network.matches` finds them: ``needer`` needs ``tag``,
    ``provider`` offers it, and they are not tied yet."""

    #: Key of the person who needs the tag.
    needer: str
    #: Key of the person who offers it.
    provider: str
    #: The stored (normalized) tag.
    tag: str
    #: need weight * needer_reach * provider_reach.
    score: float
    #: Reach of the needer from the source.
    needer_reach: float
    #: Reach of the provider from the source.
    provider_reach: float
    #: The needer's display name.
    needer_name: str = ""
    #: The provider's display name.
    provider_name: str = ""
    #: The stored tag the provider offers: ``tag`` itself, or an alias or
    #: a narrower tag of it (the taxonomy).
    offer_tag: str = ""


# ---- the tag taxonomy ------------------------------------------------------

@dataclass(frozen=True)
class TagRelation:
    """A stored relation between two tags, as
    :meth:`netref.Network.tag_relations` lists them."""

    #: A normalized tag.
    tag: str
    #: :attr:`Relation.ALIAS` (the two name the same thing) or
    #: :attr:`Relation.BROADER` (``other`` is the broader term, ``tag`` the
    #: narrower one).
    relation: Relation
    #: The other normalized tag.
    other: str


@dataclass(frozen=True)
class TagMatch:
    """A stored tag that a query for a tag matches, as
    :meth:`netref.Network.tag_expand` lists them."""

    #: The normalized tag.
    tag: str
    #: How it relates to the queried tag: ``"self"``, ``"alias"`` or
    #: ``"narrower"``.
    relation: str
    #: How many people offer or need it.
    holders: int


# ---- Referral ledger ------------------------------------------------------

@dataclass(frozen=True)
class Introduction:
    """One referral of the ledger, as :meth:`netref.Network.intro_list`
    lists them: ``introducer`` put ``seeker`` in touch with ``target``."""

    #: The introduction's id (never reused).
    id: int
    #: Key of the person who made the introduction.
    introducer: str
    #: Key of the person who was put in touch.
    seeker: str
    #: Key of the person the seeker was put in touch with.
    target: str
    #: The normalized tag it is about, or None.
    tag: Optional[str]
    #: The date it was recorded.
    created: datetime.date
    #: Where it is (a :class:`Status`).
    status: Status
    #: The date of the last status change.
    changed: datetime.date
    #: The date it was made; None while proposed, and when it was declined
    #: before being made.
    made: Optional[datetime.date]
    #: Free text, or None.
    note: Optional[str]
    #: The value of the business it brought; None unless converted.
    value: Optional[float]
    #: Whether making it creates or warms the seeker-target tie.
    warm_tie: bool


@dataclass(frozen=True)
class BalanceRow:
    """The introductions between a person P and one counterpart, as
    :meth:`netref.Network.balance` counts them (made ones only)."""

    #: The counterpart's key.
    key: str
    #: The counterpart's display name.
    name: str
    #: Introductions P made for the counterpart (as seeker).
    made_for: int
    #: Introductions the counterpart made for P (P the seeker).
    made_by: int
    #: How many of those, in either direction, converted.
    converted: int
    #: The value of the business the counterpart brought P (their
    #: converted introductions for P).
    value: float
    #: The value of the business P brought the counterpart.
    value_given: float


@dataclass(frozen=True)
class Contact:
    """A logged interaction, as :meth:`netref.Network.contact_list` lists
    them for one person."""

    #: The interaction's id.
    id: int
    #: Key of the other person.
    key: str
    #: Display name of the other person.
    name: str
    #: When it happened.
    date: datetime.date
    #: What kind of contact (``"met"``, ``"call"``, ``"message"``, ...).
    kind: str
    #: Free text, or None.
    note: Optional[str]


@dataclass(frozen=True)
class Reconnect:
    """An overdue tie of the source, as :meth:`netref.Network.reconnect`
    ranks them."""

    #: Key of the person at the other end of the tie.
    key: str
    #: Their display name.
    name: str
    #: Days past the due age, or None when never contacted.
    days_overdue: Optional[int]
    #: strength(source, key) times the reach of the matching people.
    score: float
    #: The source's tags the matching people matched, in byte order.
    tags: Tuple[str, ...]
    #: How many matching people (offering what the source needs or
    #: needing what it offers) the contact reaches.
    people: int
    #: Date of the last contact, or None.
    last_contact: Optional[datetime.date]
    #: The tie's keep-in-touch cadence in days, or None.
    cadence: Optional[int]


# ---- Groups ---------------------------------------------------------------

@dataclass(frozen=True)
class Group:
    """An event or community, as :meth:`netref.Network.group_list` lists
    them. Its members are read with :meth:`netref.Network.group_members`
    (as :class:`PersonSummary` objects)."""

    #: The group's unique key.
    key: str
    #: The display name.
    name: str
    #: How many members it has.
    members: int


@dataclass(frozen=True)
class GroupSummary:
    """A group's key and name, as :meth:`netref.Network.person_groups`
    lists the groups of one person."""

    #: The group's unique key.
    key: str
    #: The display name.
    name: str


# ---- Brokers (connectors) -------------------------------------------------

@dataclass(frozen=True)
class Connector:
    """Someone who connects the people around the source, as
    :meth:`netref.Network.connectors` ranks them."""

    #: The person's key.
    key: str
    #: The person's display name.
    name: str
    #: Hop distance from the source, 1 to k.
    hops: int
    #: Betweenness within the source's k-hop network: over the pairs of
    #: other people there, the share of their shortest paths (fewest ties)
    #: that pass through this person, summed.
    betweenness: float


# ---- Importing contacts ------------------------------------------------------

@dataclass(frozen=True)
class ContactImport:
    """What :meth:`netref.Network.import_linkedin` and
    :meth:`netref.Network.import_vcard` did: the rows (cards) read and how
    many of them made a new person, updated one or left one unchanged
    (``new + updated + unchanged == rows``; a person named by two rows
    counts twice)."""

    #: Rows (LinkedIn connections) or cards (vCards) read.
    rows: int
    #: People created.
    new: int
    #: People who existed and whose attributes, groups or tie to the owner
    #: changed.
    updated: int
    #: People who existed and were left as they were.
    unchanged: int


# ---- Privacy: everything held about one person -----------------------------

@dataclass(frozen=True)
class PersonExport:
    """Everything the network holds about one person, as
    :meth:`netref.Network.person_export` gathers it: the same listings,
    and with :meth:`as_dict` the same document, as ``netref person export
    KEY --json``."""

    #: Key, name and attributes.
    person: Person
    #: Their ties, by the other person's key.
    ties: Tuple[Tie, ...]
    #: What they offer, by tag.
    offers: Tuple[Offer, ...]
    #: What they might need, by tag.
    needs: Tuple[Need, ...]
    #: The introductions in which they are introducer, seeker or target.
    introductions: Tuple[Introduction, ...]
    #: Their logged interactions, newest first.
    contacts: Tuple[Contact, ...]
    #: The groups they belong to, by key.
    groups: Tuple[GroupSummary, ...]

    def as_dict(self) -> Dict[str, Any]:
        """The export as plain data (JSON-ready): ``key``, ``name``,
        ``attributes``, then one list of row dicts per section, with the
        field names of ``netref person export --json``."""
        out: Dict[str, Any] = {"key": self.person.key,
                               "name": self.person.name,
                               "attributes": dict(self.person.attributes)}
        for section in ("ties", "offers", "needs", "introductions",
                        "contacts", "groups"):
            out[section] = [{name: _plain(value)
                             for name, value in asdict(row).items()}
                            for row in getattr(self, section)]
        return out


def _plain(value: Any) -> Any:
    """A record's field as JSON-ready data: dates as ``"YYYY-MM-DD"`` and
    enum members as their strings, as the CLI prints them."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value



# ---- Export: files other tools open ----------------------------------------

@dataclass(frozen=True)
class ExportSummary:
    """What :meth:`netref.Network.export` wrote."""

    #: The format.
    format: ExportFormat
    #: The files written: the path given, or the files in that directory.
    files: Tuple[str, ...]
    #: People written.
    people: int
    #: Ties written.
    ties: int
    #: Offers written (0 for DOT, which has none).
    offers: int
    #: Needs written (0 for DOT).
    needs: int
    #: Tag relations written (CSV and Neo4j).
    tag_relations: int
    #: Group memberships written (CSV).
    memberships: int
