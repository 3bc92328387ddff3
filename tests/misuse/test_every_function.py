#!/usr/bin/env python3
"""misuse.every_function: every public function, misused, answers with an
error code or its documented default, and never crashes.

The list of functions is read from include/netref.h itself (every
NETREF_EXTERN prototype), so a new function cannot be forgotten: one that
this harness cannot classify (an unknown parameter name or type, an
accessor without a documented default, a function on a handle that is
neither listed as changing the file nor as reading it) fails the test
with a message saying what to add to the tables below.

For each function (tests/test_misuse.c keeps the hand-written cases):

- status functions (return int, documented "@return #NETREF_OK ..."):
  * with valid arguments on a fresh network (FIXTURE below) it returns
    NETREF_OK, so that every other answer below is about one argument;
  * each pointer argument NULL in turn: NETREF_EINVAL, or NETREF_OK when
    the header documents NULL for it ("NULL keeps", "or NULL", ...) or it
    is opaque caller data (void *); and all pointers NULL at once;
  * each scalar argument out of range in turn (negative, too large, NaN,
    infinities; BAD_SCALARS): the code the header documents, mostly
    NETREF_EINVAL;
  * functions on a netref_db: with a handle opened read-only, those that
    change the file return NETREF_EREADONLY and leave it unchanged, those
    that read it answer as on a read-write handle;
- accessors (return a string, a count or a number): with NULL objects,
  out-of-range row, column and position indexes (up to SIZE_MAX) and
  unknown codes they return the documented default (NULL, 0, -1, NaN,
  "unknown error"), and with valid arguments something else;
- void functions (destructors): called with NULL;
- the fields of a write (netref.h, "Fields of a write"), read from the
  NETREF_FIELD_* macros and their comments (number, type, "Cannot be
  cleared"): every setter with every field, a value of the field's type
  in range (NETREF_OK), out of range (NaN, infinities, huge integers,
  empty or invalid UTF-8 text, bad dates) and of another type
  (NETREF_EINVAL); every write that takes a netref_fields with a valid
  object, with NULL ("NULL for none"), with each field its
  "@param fields" does not name, set or cleared, and with a clear of
  each field it takes that cannot be cleared (NETREF_EINVAL).

Run by ctest with NETREF_LIBRARY (the shared library) and
NETREF_SOURCE_DIR set; in the sanitizer build under ASan (LD_PRELOAD).
"""
import ctypes
import faulthandler
import hashlib
import math
import os
import re
import sys
import tempfile
from ctypes import (POINTER, byref, c_char_p, c_double, c_int, c_longlong,
                    c_size_t, c_void_p)

VERBOSE = os.environ.get("NETREF_MISUSE_VERBOSE") == "1"
SIZE_MAX = ctypes.c_size_t(-1).value
INT_MIN, INT_MAX = -2**31, 2**31 - 1
LLONG_MAX = 2**63 - 1
NAN, INF = float("nan"), float("inf")
HANDLE_TYPES = ("netref_db", "netref_import", "netref_options",
                "netref_rows", "netref_result", "netref_fields",
                "netref_export")
FREE_OF = {"netref_db": "netref_close", "netref_import": "netref_import_free",
           "netref_options": "netref_options_free",
           "netref_rows": "netref_rows_free",
           "netref_result": "netref_result_free",
           "netref_fields": "netref_fields_free", "char": "netref_free",
           "netref_export": "netref_export_free"}
# Out-parameters that receive a number, not an object to free.
NUMBER_OUTS = {"long long *": c_longlong, "size_t *": c_size_t,
               "int *": ctypes.c_int, "double *": ctypes.c_double}
# Number outputs are given room for this many: enough for the arrays of
# netref_result_numbers() on the harness's small results.
NUMBER_OUT_ROOM = 4096

# ---------------------------------------------------------------------------
# Tables: what the header means, where its prototypes alone cannot say.
# A new function or parameter name needs an entry here (the test says so).
# ---------------------------------------------------------------------------

# Functions on a netref_db: do they change the file (and so must answer
# NETREF_EREADONLY on a read-only handle) or only read it?
CHANGES_FILE = {
    "netref_person_add", "netref_person_set_name", "netref_person_set_attr",
    "netref_person_remove", "netref_tie_set", "netref_tie_remove",
    "netref_offer_add", "netref_offer_set", "netref_offer_remove",
    "netref_need_add", "netref_need_set", "netref_need_remove",
    "netref_tag_relate", "netref_tag_unrelate", "netref_group_add",
    "netref_group_set_name", "netref_group_remove", "netref_group_join",
    "netref_group_leave", "netref_import_run", "netref_intro_add",
    "netref_intro_set_status", "netref_contact_log", "netref_person_forget",
    "netref_person_merge",
}
READS_FILE = {
    "netref_person_get", "netref_person_list", "netref_tie_get",
    "netref_tie_list", "netref_offer_list", "netref_need_list",
    "netref_tag_people", "netref_tag_relations", "netref_tag_expand",
    "netref_group_list", "netref_group_members", "netref_prospects",
    "netref_providers", "netref_path", "netref_ask_first", "netref_matches",
    "netref_connectors", "netref_intro_list", "netref_balance",
    "netref_contact_list", "netref_reconnect", "netref_verify",
    "netref_person_groups", "netref_person_find",
    # writes its output files, never the database (a read-only handle
    # exports too); Context.export_path is in the harness's directory
    "netref_export_run",
    # a setting of the handle, not of the file
    "netref_set_busy_timeout",
}

# A valid value of each parameter, by name, on the FIXTURE network
# (people a, b, c; ...). Callables receive the context.
VALID = {
    "db": lambda ctx: ctx.db,
    "imp": lambda ctx: ctx.import_job(),
    "exp": lambda ctx: ctx.export_job(), "format": 1, "i": 0,
    "opts": lambda ctx: ctx.options(),
    "rows": lambda ctx: ctx.rows,
    "res": lambda ctx: ctx.result,
    "user": lambda ctx: ctx.user_data,
    "fn": None,  # the callback: NULL ("or NULL for none"); a real one is
                 # the Python binding's business (its type may change)
    "path": ":memory:",
    "key": "a", "name": "New Name", "attr": "city", "value": "Oslo",
    "person": "a", "a": "a", "b": "b", "source": "a", "from": "a", "to": "c",
    "introducer": "b", "seeker": "a", "target": "c",
    "tag": "plumbing", "other": "pipes", "group": "g",
    "date": "2024-02-01", "kind": 0, "older_than_days": 10,
    "role": 3, "relation": 1, "exact": 0, "on": 1, "hops": 2, "limit": 0,
    "max_hops": 6, "alternatives": 0, "flags": 0, "status": 1, "code": -2,
    "ms": 100, "text": "a", "keep": "a", "outcome": 1,
    "id": lambda ctx: ctx.intro_id, "row": 0, "col": 0, "pos": 0,
    # netref_fields_*: the object, a field of the setter's type and a
    # value in its range (VALID_FOR); a write's fields are FIELDS_FOR's.
    "fields": lambda ctx: ctx.fields([]),
    "field": lambda ctx: FIELDS["CONTEXT"].number,
}
# Where one function needs another valid value than VALID's.
VALID_FOR = {
    "netref_person_add": {"key": "d"},             # a new person
    "netref_group_add": {"key": "h"},              # a new group
    "netref_group_set_name": {"key": "g"},
    "netref_need_add": {"person": "b"},            # b needs nothing yet
    "netref_group_remove": {"key": "g"},
    "netref_group_join": {"person": "b"},          # not yet a member
    "netref_offer_remove": {"person": "c"},        # c offers plumbing
    "netref_tag_unrelate": {"tag": "plumber", "other": "plumbing"},
    "netref_matches": {"source": "b"},
    "netref_open_with": {"flags": 1},              # NETREF_OPEN_CREATE
    "netref_import_set_file": {"kind": 0, "path": lambda ctx: ctx.people_csv},
    "netref_import_count": {"kind": 0},
    "netref_export_run": {"path": lambda ctx: ctx.export_path},
    "netref_export_count": {"kind": 0},
    "netref_import_people_count": {"kind": 6},     # NETREF_IMPORT_LINKEDIN
    "netref_person_merge": {"other": "b"},         # a person, not a tag
    "netref_intro_set_status": {"status": 2},      # proposed -> made
    "netref_options_set_half_life": {"days": 30.0},
    "netref_rows_real": {"col": 2},                # tie_list: strength
    "netref_rows_column_index": {"name": "strength"},
    # an object with a field set and one cleared, to forget
    "netref_fields_reset": {"fields": lambda ctx: ctx.fields(
        [("CONTEXT", "x"), ("STRENGTH", CLEAR)])},
    "netref_fields_set_real": {"field": lambda ctx: FIELDS["STRENGTH"].number,
                               "value": 0.7},
    "netref_fields_set_int": {"field": lambda ctx: FIELDS["CADENCE"].number,
                              "value": 30},
}

# The valid fields of each write that takes a `const netref_fields *`, on
# the FIXTURE network: (NETREF_FIELD_ name, value).
FIELDS_FOR = {
    "netref_tie_set": [("STRENGTH", 0.7), ("LAST_CONTACT", "2024-02-01"),
                       ("CONTEXT", "met at work"), ("CADENCE", 30)],
    "netref_offer_add": [("NOTE", "a note")],
    "netref_offer_set": [("NOTE", "a note")],
    "netref_need_add": [("WEIGHT", 0.5)],
    "netref_need_set": [("WEIGHT", 0.5)],
    "netref_intro_add": [("TAG", "plumbing"), ("DATE", "2024-02-01"),
                         ("NOTE", "a note"), ("STATUS", 2), ("WARM_TIE", 1)],
    "netref_intro_set_status": [("DATE", "2024-02-01")],
    "netref_contact_log": [("DATE", "2024-02-01"), ("KIND", "call"),
                           ("NOTE", "a note")],
}

# Out-of-range scalars, by parameter name (then per function), with the
# code the header documents for them. "any" marks a parameter for which
# every value is valid (a flag read as zero / non-zero, an error code).
EINVAL, ENOTFOUND = -2, -4
BAD_SCALARS = {
    "role": ([0, 4, -1, INT_MIN, INT_MAX], EINVAL),
    "relation": ([0, 3, -1, INT_MAX], EINVAL),
    "hops": ([0, 7, -1, INT_MIN], EINVAL),
    "limit": ([-1, INT_MIN], EINVAL),
    "max_hops": ([-1, 33, INT_MAX], EINVAL),
    "alternatives": ([-1, 21, INT_MAX], EINVAL),
    "older_than_days": ([-1, INT_MIN], EINVAL),
    "kind": ([-1, 8, INT_MAX], EINVAL),            # NETREF_CSV_*, _IMPORT_*
    "exact": "any", "on": "any", "code": "any",
    "ms": ([-1, INT_MIN], EINVAL),
    # a field number: unknown ones (the last known one is read from the
    # header); wrong-typed ones are tried by Harness.fields_setter
    "field": lambda: ([0, -1, max(f.number for f in FIELDS.values()) + 1,
                       INT_MIN, INT_MAX], EINVAL),
    "format": ([0, 7, -1, INT_MAX], EINVAL),       # NETREF_EXPORT_*
}
BAD_SCALARS_FOR = {
    "netref_open_with": {"flags": ([3, 4, -1, INT_MAX], EINVAL)},
    "netref_intro_set_status": {
        "status": ([0, 1, 6, -1], EINVAL),         # 1: not forward
        "id": ([0, -1, 999, LLONG_MAX], ENOTFOUND)},
    # with VALID_FOR's field: the strength, in (0, 1]
    "netref_fields_set_real": {"value": ([NAN, INF, -INF, 0.0, 1.5, -0.5],
                                         EINVAL)},
    # with VALID_FOR's field: the cadence, 1 to INT_MAX days
    "netref_fields_set_int": {"value": ([0, -1, INT_MAX + 1, LLONG_MAX,
                                         -LLONG_MAX - 1], EINVAL)},
    "netref_options_set_half_life": {"days": ([NAN, INF, -INF, -1.0],
                                              EINVAL)},
    "netref_intro_status_name": {"status": [0, 6, -1, INT_MAX]},
    "netref_import_count": {"kind": [-1, 8, INT_MAX]},
    "netref_export_count": {"kind": [-1, 6, INT_MAX]},
    # people are counted for the contact kinds only
    "netref_import_people_count": {"kind": [-1, 0, 5, 8, INT_MAX],
                                   "outcome": [0, 4, -1, INT_MAX]},
    "netref_strerror": {"code": [1, -9999, INT_MIN, INT_MAX]},
}
# Other bad values of pointer parameters (strings), with their code.
BAD_TEXTS_FOR = {
    "netref_rows_column_index": {
        "name": ([b"no such column", b"", b"Strength", b"strength "],
                 ENOTFOUND)},
}
# Accessor indexes past the end.
BAD_INDEXES = [1000, SIZE_MAX]

# The fields of a write, by NETREF_FIELD_ name without the prefix (read
# from the header by parse_fields).
FIELDS = {}
# Marks a field to clear in a FIELDS_FOR-like list.
CLEAR = object()
# The setter of each type of field.
SETTER_OF = {"real": "netref_fields_set_real", "int": "netref_fields_set_int",
             "text": "netref_fields_set_text",
             "date": "netref_fields_set_text"}
# The types of field each setter takes (netref_fields_clear takes any).
SETTER_TYPES = {"netref_fields_set_text": ("text", "date"),
                "netref_fields_set_real": ("real",),
                "netref_fields_set_int": ("int",), "netref_fields_clear": None}
# A value in the range of every field of a type.
GOOD_FIELD_VALUE = {"real": 0.5, "int": 1, "text": b"x",
                    "date": b"2024-02-01"}
# Values no field of a type takes, and more that one field does not take.
BAD_FIELD_VALUES = {
    "real": [NAN, INF, -INF, -1.0],
    "int": [-1, INT_MAX + 1, LLONG_MAX, -LLONG_MAX - 1],
    "text": [b"", b"\xff\xfe", b"caf\xc3"],   # empty, not UTF-8, cut short
    "date": [b"", b"\xff", b"2024-13-01", b"2024-02-30", b"2024-1-1",
             b"yesterday"],
}
BAD_FIELD_VALUES_FOR = {
    "STRENGTH": [0.0, 1.5], "WEIGHT": [0.0, 1.5],
    "CADENCE": [0], "STATUS": [0, 6], "WARM_TIE": [2],
}


def is_nan(v):
    return isinstance(v, float) and math.isnan(v)


# Accessors (functions that do not return a status code): the documented
# answer to bad arguments. The valid call must answer something else.
ACCESSORS = {
    "netref_version": None, "netref_version_number": None,
    "netref_errmsg": "string",             # never NULL, "" or a message
    "netref_strerror": b"unknown error",
    "netref_intro_status_name": None,
    "netref_rows_count": 0, "netref_rows_columns": 0,
    "netref_rows_column_name": None, "netref_rows_text": None,
    "netref_rows_real": "nan",
    "netref_result_count": 0, "netref_result_key": None,
    "netref_result_name": None, "netref_result_hops": -1,
    "netref_result_reach": "nan", "netref_result_score": "nan",
    "netref_result_introducer": None, "netref_result_path_length": 0,
    "netref_result_path_key": None, "netref_result_tag": None,
    "netref_result_text": None,
    "netref_import_count": -1, "netref_import_people_count": -1,
    "netref_export_count": -1, "netref_export_files": 0,
    "netref_export_file": None,
}


# ---------------------------------------------------------------------------
# The header
# ---------------------------------------------------------------------------

class Param:
    def __init__(self, ctype, name, doc, out):
        self.ctype, self.name, self.doc, self.out = ctype, name, doc, out

    @property
    def pointer(self):
        return self.ctype.endswith("*") or self.ctype == "netref_progress_fn"

    @property
    def base(self):
        return self.ctype.replace("const", "").replace("*", "").strip()

    @property
    def handle(self):
        return self.base in HANDLE_TYPES and self.ctype.count("*") == 1

    @property
    def null_ok(self):
        """The header documents NULL for it, or it is opaque caller data."""
        if self.out:
            return bool(re.search(r"\bmay be NULL\b", self.doc))
        return self.ctype == "void *" or re.search(r"\bNULL\b", self.doc)


class Function:
    def __init__(self, name, ret, params, doc):
        self.name, self.ret, self.params, self.doc = name, ret, params, doc
        m = re.search(r"@return\s+(.*?)(?=\n\s*\*\s*@|\Z)", doc, re.S)
        self.return_doc = " ".join(m.group(1).replace("*", " ").split()) \
            if m else ""

    def __str__(self):
        args = ", ".join(f"{p.ctype} {p.name}" for p in self.params)
        return f"{self.ret} {self.name}({args or 'void'})"


def normalize_type(text):
    stars = text.count("*")
    base = " ".join(text.replace("*", " ").split())
    return base + (" " + "*" * stars if stars else "")


class Field:
    """One NETREF_FIELD_*: its number, type ("text", "date", "real" or
    "int") and whether it may be cleared."""

    def __init__(self, name, number, kind, clearable):
        self.name, self.number, self.kind = name, number, kind
        self.clearable = clearable


def parse_fields(text):
    """Every NETREF_FIELD_* macro, its type from the first words of its
    comment ("Text, a date", "Text", "Real", "Integer")."""
    fields = {}
    for m in re.finditer(r"/\*\*((?:(?!\*/).)*)\*/\s*#define\s+NETREF_FIELD_"
                         r"(\w+)\s+(\d+)", text, re.S):
        doc = " ".join(m.group(1).replace("*", " ").split())
        name = m.group(2)
        for start, kind in (("Text, a date", "date"), ("Text", "text"),
                            ("Real", "real"), ("Integer", "int")):
            if doc.startswith(start):
                break
        else:
            raise SystemExit(f"FAIL: NETREF_FIELD_{name}: its comment does "
                             "not start with its type (Text, Real, Integer)")
        fields[name] = Field(name, int(m.group(3)), kind,
                             "Cannot be cleared" not in doc)
    declared = re.findall(r"^#define\s+NETREF_FIELD_\w+", text, re.M)
    if len(fields) != len(declared) or not fields:
        raise SystemExit(f"FAIL: parsed {len(fields)} NETREF_FIELD_* "
                         f"macros, the header defines {len(declared)}")
    return fields


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)),
                  text, flags=re.S)


def parse_header(text):
    """Every NETREF_EXTERN prototype, with its doc comment."""
    code = strip_comments(text)
    # Blanked, not removed: positions in code are positions in text.
    code = "\n".join(" " * len(line) if line.lstrip().startswith("#")
                     else line for line in code.split("\n"))
    functions = []
    for m in re.finditer(r"\bNETREF_EXTERN\b([^;]*);", code):
        decl = " ".join(m.group(1).split())
        pm = re.fullmatch(r"(.*?)\b(netref_\w+)\s*\((.*)\)", decl)
        if not pm:
            raise SystemExit(f"FAIL: cannot parse the prototype: {decl}")
        ret, name, arglist = normalize_type(pm.group(1)), pm.group(2), \
            pm.group(3).strip()
        before = text[:m.start()].rstrip()
        doc = ""
        if before.endswith("*/"):
            doc = before[before.rfind("/**"):]
        params = []
        for arg in ([] if arglist == "void" else arglist.split(",")):
            am = re.fullmatch(r"(.*?[\s*])(\w+)", arg.strip())
            if not am:
                raise SystemExit(f"FAIL: {name}: unnamed parameter '{arg}'")
            pname = am.group(2)
            dm = re.search(r"@param(\[[a-z,]+\])?\s+" + pname +
                           r"\b(.*?)(?=@param|@return|\*/)", doc, re.S)
            pdoc = " ".join(dm.group(2).replace("*", " ").split()) if dm else ""
            out = bool(dm and dm.group(1) and "out" in dm.group(1))
            params.append(Param(normalize_type(am.group(1)), pname, pdoc, out))
        functions.append(Function(name, ret, params, doc))
    return functions


# ---------------------------------------------------------------------------
# Calling the library
# ---------------------------------------------------------------------------

SCALARS = {"int": c_int, "long long": c_longlong, "size_t": c_size_t,
           "double": c_double}


def ctype_of(ctype):
    if ctype in SCALARS:
        return SCALARS[ctype]
    if ctype == "const char *":
        return c_char_p
    if ctype in NUMBER_OUTS:
        return POINTER(NUMBER_OUTS[ctype])
    if ctype.endswith("**"):
        return POINTER(c_void_p)
    if ctype.endswith("*") or ctype == "netref_progress_fn":
        return c_void_p
    return None


def restype_of(ret):
    if ret == "void":
        return None
    return c_char_p if ret == "const char *" else SCALARS.get(ret)


class Unclassified(Exception):
    pass


class Context:
    """One fresh FIXTURE network and the objects valid arguments need."""

    def __init__(self, lib, work, db=None):
        self.lib, self.work = lib, work
        self.to_free = []
        self._user_buffer = ctypes.create_string_buffer(8)
        self.user_data = ctypes.addressof(self._user_buffer)
        self.people_csv = os.path.join(work, "people.csv")
        self.export_path = os.path.join(work, "export.graphml")
        if db is None:
            db = self.own(self.opened(":memory:"), "netref_close")
            fixture(lib, db)
        self.db = db
        self.intro_id = 1  # the fixture's introduction (ids start at 1)
        # a's ties (one row: b, strength 0.8); a's providers of plumbing
        # (one row: c, through b).
        self.rows = self.out_of("netref_tie_list", "netref_rows_free", db,
                                b"a")
        self.result = self.out_of("netref_providers", "netref_result_free",
                                  db, b"a", b"plumbing", None)

    def own(self, ptr, free):
        self.to_free.append((ptr, free))
        return ptr

    def opened(self, path, flags=1):
        out = c_void_p()
        check(self.lib.netref_open_with(path.encode(), flags, byref(out)),
              f"netref_open_with({path})")
        return out.value

    def out_of(self, fname, free, *args):
        out = c_void_p()
        check(getattr(self.lib, fname)(*args, byref(out)), fname)
        return self.own(out.value, free)

    def import_job(self):
        out = c_void_p()
        check(self.lib.netref_import_new(byref(out)), "netref_import_new")
        self.own(out.value, "netref_import_free")
        check(self.lib.netref_import_set_file(out.value, 0,
                                              self.people_csv.encode()),
              "netref_import_set_file")
        return out.value

    def export_job(self):
        """A GraphML export job that has run (so that its files and
        counts have values other than the defaults)."""
        out = c_void_p()
        check(self.lib.netref_export_new(1, byref(out)), "netref_export_new")
        self.own(out.value, "netref_export_free")
        check(self.lib.netref_export_run(self.db, out.value,
                                         self.export_path.encode()),
              "netref_export_run")
        return out.value

    def options(self):
        out = c_void_p()
        check(self.lib.netref_options_new(byref(out)), "netref_options_new")
        return self.own(out.value, "netref_options_free")

    def fields(self, spec):
        return self.own(new_fields(self.lib, spec), "netref_fields_free")

    def close(self):
        for ptr, free in reversed(self.to_free):
            getattr(self.lib, free)(ptr)
        self.to_free = []


def check(rc, what):
    if rc != 0:
        raise SystemExit(f"FAIL: setting up the fixture: {what} returned {rc}")


def new_fields(lib, spec):
    """A netref_fields holding spec's (NETREF_FIELD_ name, value or CLEAR);
    the caller frees it."""
    out = c_void_p()
    check(lib.netref_fields_new(byref(out)), "netref_fields_new")
    for name, value in spec:
        field = FIELDS[name]
        if value is CLEAR:
            rc = lib.netref_fields_clear(out.value, field.number)
        else:
            value = value.encode() if isinstance(value, str) else value
            rc = getattr(lib, SETTER_OF[field.kind])(out.value, field.number,
                                                     value)
        if rc != 0:
            lib.netref_fields_free(out.value)
            check(rc, f"setting the field {name} to {value!r}")
    return out.value


def fixture(lib, db):
    """People a, b, c; ties a-b (with a cadence), b-c; c offers plumbing, a
    needs it; group g with a; "plumber" is an alias of "plumbing";
    introduction 1 (b puts a in touch with c); a contact a-b."""
    F = "fields"  # stands for a netref_fields holding the spec after it
    calls = [
        ("netref_person_add", b"a", b"Ann"), ("netref_person_add", b"b", b"Bo"),
        ("netref_person_add", b"c", b"Cy"),
        ("netref_tie_set", b"a", b"b", F,
         [("STRENGTH", 0.8), ("LAST_CONTACT", "2024-01-01"), ("CADENCE", 30)]),
        ("netref_tie_set", b"b", b"c", F, [("STRENGTH", 0.6)]),
        ("netref_offer_add", b"c", b"plumbing", None),
        ("netref_need_add", b"a", b"plumbing", F, [("WEIGHT", 0.5)]),
        ("netref_group_add", b"g", None), ("netref_group_join", b"g", b"a"),
        ("netref_tag_relate", b"plumber", 1, b"plumbing"),
        ("netref_intro_add", b"b", b"a", b"c", F,
         [("TAG", "plumbing"), ("DATE", "2024-01-02")], byref(c_longlong())),
        ("netref_contact_log", b"a", b"b", F,
         [("DATE", "2024-01-03"), ("KIND", "call")], byref(c_longlong())),
    ]
    for name, *args in calls:
        fields = None
        if F in args:
            i = args.index(F)
            fields = new_fields(lib, args[i + 1])
            args[i:i + 2] = [fields]
        try:
            check(getattr(lib, name)(db, *args), name)
        finally:
            lib.netref_fields_free(fields)


class Harness:
    def __init__(self, lib, functions, work):
        self.lib, self.functions, self.work = lib, functions, work
        self.failures = []
        self.calls = 0
        # Every prototype is given to ctypes before any call, the fixture's
        # included (undeclared, a pointer would be passed as a C int).
        self.declared = {}
        for f in functions:
            try:
                self.declared[f.name] = self.declare(f)
            except Unclassified as e:
                self.fail(f, f"cannot classify {f}: {e}")
        with open(os.path.join(work, "people.csv"), "w") as f:
            f.write("key,name\nz,Zed\n")
        self.ro_path = os.path.join(work, "readonly.db")
        ctx = Context(lib, work, db=None)
        db = ctx.opened(self.ro_path)
        fixture(lib, db)
        lib.netref_close(db)
        ctx.close()
        self.ro_hash = file_hash(self.ro_path)

    def fail(self, f, message):
        self.failures.append(f"{f.name}: {message}")

    # -- declaring ---------------------------------------------------------
    def declare(self, f):
        try:
            fn = getattr(self.lib, f.name)
        except AttributeError:
            raise Unclassified("declared in the header but not exported "
                               "by the library") from None
        argtypes = []
        for p in f.params:
            t = ctype_of(p.ctype)
            if t is None:
                raise Unclassified(f"parameter type '{p.ctype}' of {p.name} "
                                   "(add it to ctype_of)")
            argtypes.append(t)
        if f.ret != "void" and restype_of(f.ret) is None:
            raise Unclassified(f"return type '{f.ret}' (add it to restype_of)")
        fn.argtypes, fn.restype = argtypes, restype_of(f.ret)
        return fn

    # -- argument values ---------------------------------------------------
    def valid_value(self, f, p, ctx):
        table = VALID_FOR.get(f.name, {})
        if p.base == "netref_fields" and p.ctype.startswith("const"):
            if f.name not in FIELDS_FOR:
                raise Unclassified(f"a write taking fields ('{p.name}') "
                                   "with no valid fields in FIELDS_FOR")
            return ctx.fields(FIELDS_FOR[f.name])
        if p.name in table:
            v = table[p.name]
        elif p.name in VALID:
            v = VALID[p.name]
        else:
            raise Unclassified(f"no valid value for parameter '{p.name}' "
                               "(add it to VALID or VALID_FOR)")
        return v(ctx) if callable(v) else v

    def out_slot(self, p):
        if p.ctype in NUMBER_OUTS:
            return (NUMBER_OUTS[p.ctype] * NUMBER_OUT_ROOM)()
        return byref(c_void_p(1))  # a sentinel the call must not use

    def valid_args(self, f, ctx):
        args = []
        for p in f.params:
            if p.out:
                args.append(self.out_slot(p))
                continue
            v = self.valid_value(f, p, ctx)
            args.append(v.encode() if isinstance(v, str) else v)
        return args

    def bad_scalars(self, f, p):
        table = BAD_SCALARS_FOR.get(f.name, {})
        bad = table[p.name] if p.name in table else BAD_SCALARS.get(p.name)
        if callable(bad):
            bad = bad()
        if bad is None:
            raise Unclassified(f"no out-of-range values for parameter "
                               f"'{p.name}' (add it to BAD_SCALARS or "
                               "BAD_SCALARS_FOR, \"any\" if every value is "
                               "valid)")
        return bad

    # -- one call ----------------------------------------------------------
    def call(self, fn, f, args):
        self.calls += 1
        rc = fn(*args)
        for p, a in zip(f.params, args):
            if p.out and p.ctype not in NUMBER_OUTS and a is not None:
                ptr = ctypes.cast(a, POINTER(c_void_p)).contents.value
                if rc != 0 and ptr is not None:
                    self.fail(f, f"returned {rc} and left {p.name} set: an "
                              "output is NULL after a failure")
                if rc == 0 and ptr:
                    free = FREE_OF[p.ctype.replace("*", "").strip()]
                    getattr(self.lib, free)(ptr)
        return rc

    def expect(self, f, what, got, want):
        same = (is_nan(got) and is_nan(want)) or got == want
        if VERBOSE:
            print(f"\n  {what}: {got!r} (expected {want!r})", end="")
        if not same:
            self.fail(f, f"{what}: got {got!r}, expected {want!r}")

    # -- kinds of function ---------------------------------------------------
    def run(self, f):
        try:
            fn = self.declare(f)  # again: the self-test declares a probe
            if f.name in ACCESSORS:
                self.accessor(f, fn)
            elif f.ret == "void":
                self.destructor(f, fn)
            elif f.ret == "int" and re.search(r"NETREF_OK|\bas netref_\w+\(\)",
                                             f.return_doc):
                self.status_function(f, fn)
            else:
                raise Unclassified(
                    "neither a status function (int, \"@return #NETREF_OK\") "
                    "nor a void function nor in ACCESSORS (add its documented "
                    "default for bad arguments)")
        except Unclassified as e:
            self.fail(f, f"cannot classify {f}: {e}")

    def destructor(self, f, fn):
        if not all(p.pointer for p in f.params):
            raise Unclassified("a void function with a scalar parameter")
        self.call(fn, f, [None] * len(f.params))

    def status_function(self, f, fn):
        ctx = Context(self.lib, self.work)
        try:
            valid = self.valid_args(f, ctx)
            self.expect(f, "valid arguments", self.call(fn, f, valid), 0)
        finally:
            ctx.close()
        pointers = [i for i, p in enumerate(f.params) if p.pointer]
        for i in pointers:
            p = f.params[i]
            want = 0 if p.null_ok else EINVAL
            self.with_fresh(f, fn, {i: None}, f"{p.name} NULL", want)
        if any(not f.params[i].null_ok for i in pointers):
            self.with_fresh(f, fn, {i: None for i in pointers},
                            "every pointer NULL", EINVAL)
        for i, p in enumerate(f.params):
            if p.pointer:
                continue
            bad = self.bad_scalars(f, p)
            if bad == "any":
                continue
            values, want = bad
            for v in values:
                self.with_fresh(f, fn, {i: v}, f"{p.name} = {v!r}", want)
        for i, p in enumerate(f.params):
            values, want = BAD_TEXTS_FOR.get(f.name, {}).get(p.name, ([], 0))
            for v in values:
                self.with_fresh(f, fn, {i: v}, f"{p.name} = {v!r}", want)
        if f.name in SETTER_TYPES:
            self.fields_setter(f, fn)
        for i, p in enumerate(f.params):
            if p.base == "netref_fields" and p.ctype.startswith("const"):
                self.write_fields(f, fn, i)
        if f.params and f.params[0].base == "netref_db":
            self.read_only(f, fn)

    def fields_setter(self, f, fn):
        """Every field through one setter: of a type it takes, a good value
        is taken and each bad one refused; of another type, refused.
        netref_fields_clear takes every field."""
        types = SETTER_TYPES[f.name]
        names = [p.name for p in f.params]
        i_field = names.index("field")
        i_value = names.index("value") if types else None
        for field in FIELDS.values():
            n = field.number
            if types is None:
                self.with_fresh(f, fn, {i_field: n}, f"clear {field.name}", 0)
            elif field.kind in types:
                good = GOOD_FIELD_VALUE[field.kind]
                self.with_fresh(f, fn, {i_field: n, i_value: good},
                                f"{field.name} = {good!r}", 0)
                for v in BAD_FIELD_VALUES[field.kind] + \
                        BAD_FIELD_VALUES_FOR.get(field.name, []):
                    self.with_fresh(f, fn, {i_field: n, i_value: v},
                                    f"{field.name} = {v!r}", EINVAL)
            else:
                wrong = GOOD_FIELD_VALUE[types[0]]
                self.with_fresh(f, fn, {i_field: n, i_value: wrong},
                                f"{field.name} ({field.kind}) = {wrong!r}",
                                EINVAL)

    def write_fields(self, f, fn, i):
        """A write refuses each field its "@param fields" does not name
        (set or cleared) and a clear of a named field that cannot be
        cleared, besides FIELDS_FOR's valid fields."""
        p = f.params[i]
        named = set(re.findall(r"#NETREF_FIELD_(\w+)", p.doc))
        if not named or named - set(FIELDS):
            self.fail(f, f"'{p.name}' names no fields or unknown ones: "
                      f"{sorted(named - set(FIELDS))}")
        valid = FIELDS_FOR.get(f.name, [])
        for field in FIELDS.values():
            if field.name in named:
                bad = [] if field.clearable else [CLEAR]
            else:
                bad = [GOOD_FIELD_VALUE[field.kind], CLEAR]
            for v in bad:
                spec = [s for s in valid if s[0] != field.name] + \
                    [(field.name, v)]
                how = "cleared" if v is CLEAR else f"= {v!r}"
                self.with_fresh(f, fn, {i: lambda ctx, s=spec: ctx.fields(s)},
                                f"field {field.name} {how}", EINVAL)

    def with_fresh(self, f, fn, replace, what, want):
        ctx = Context(self.lib, self.work)
        try:
            args = self.valid_args(f, ctx)
            for i, v in replace.items():
                args[i] = v(ctx) if callable(v) else v
            rc = self.call(fn, f, args)
            self.expect(f, what, rc, want)
            if rc != 0:
                self.check_message(f, what, args)
        finally:
            ctx.close()

    def check_message(self, f, what, args):
        """A failure leaves a message: on the handle when there is one (a
        fresh one, on which nothing failed before), else in the thread's."""
        db = args[0] if f.params[0].base == "netref_db" else None
        if not self.lib.netref_errmsg(db):
            self.fail(f, f"{what}: no message in netref_errmsg("
                      f"{'db' if db else 'NULL'})")

    def read_only(self, f, fn):
        if f.name in CHANGES_FILE:
            want = -12  # NETREF_EREADONLY
        elif f.name in READS_FILE:
            want = 0
        else:
            raise Unclassified("a function on a netref_db in neither "
                               "CHANGES_FILE nor READS_FILE")
        ro = c_void_p()
        check(self.lib.netref_open_with(self.ro_path.encode(), 2, byref(ro)),
              "netref_open_with(READONLY)")
        ctx = Context(self.lib, self.work, db=ro.value)
        try:
            args = self.valid_args(f, ctx)
            self.expect(f, "on a read-only handle", self.call(fn, f, args),
                        want)
        finally:
            ctx.close()
            self.lib.netref_close(ro.value)
        if file_hash(self.ro_path) != self.ro_hash:
            self.fail(f, "changed a file opened read-only")

    def accessor(self, f, fn):
        default = ACCESSORS[f.name]
        if not f.params:
            self.no_argument_accessor(f, fn)
            return
        ctx = Context(self.lib, self.work)
        try:
            valid = self.valid_args(f, ctx)
            got = self.call(fn, f, valid)
            if default == "string":
                self.check_default(f, "valid arguments", got, default)
            elif (is_nan(got) and default == "nan") or got == default:
                self.fail(f, f"valid arguments gave the default {got!r}: "
                          "the check of bad arguments would prove nothing")
            for i, p in enumerate(f.params):
                if p.pointer:
                    args = list(valid)
                    args[i] = None
                    got = self.call(fn, f, args)
                    # An optional output (documented "may be NULL") is
                    # not a bad argument: the answer stays the same.
                    want = got if p.out and p.null_ok else default
                    self.check_default(f, f"{p.name} NULL", got, want)
                    if p.out and p.null_ok and got == default:
                        self.fail(f, f"{p.name} NULL gave the default")
                    continue
                bad = BAD_INDEXES if p.ctype == "size_t" else \
                    BAD_SCALARS_FOR.get(f.name, {}).get(p.name)
                if bad is None:
                    raise Unclassified(f"no out-of-range values for "
                                       f"parameter '{p.name}' (add it to "
                                       "BAD_SCALARS_FOR)")
                for v in bad:
                    args = list(valid)
                    args[i] = v
                    self.check_default(f, f"{p.name} = {v!r}",
                                       self.call(fn, f, args), default)
        finally:
            ctx.close()

    def check_default(self, f, what, got, default):
        if default == "string":
            if not isinstance(got, bytes):
                self.fail(f, f"{what}: got {got!r}, expected a string")
        elif default == "nan":
            if not is_nan(got):
                self.fail(f, f"{what}: got {got!r}, expected NaN")
        else:
            self.expect(f, what, got, default)

    def no_argument_accessor(self, f, fn):
        """netref_version() and netref_version_number() match the header."""
        header = self.header_text
        want = {"netref_version": ("NETREF_VERSION", lambda s: s.strip('"').encode()),
                "netref_version_number": ("NETREF_VERSION_NUMBER", int)}
        if f.name not in want:
            raise Unclassified("an accessor without parameters other than "
                               "the version functions")
        macro, convert = want[f.name]
        m = re.search(r"#define\s+" + macro + r"\s+(\S+)", header)
        self.expect(f, f"against {macro}", self.call(fn, f, []),
                    convert(m.group(1)))


def file_hash(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def self_test(h):
    """A prototype the tables do not know is reported, not skipped: an
    existing function declared with an unknown parameter name."""
    probe = parse_header("/** Probe.\n * @param db the network.\n"
                         " * @param zork a zork.\n * @return #NETREF_OK. */\n"
                         "NETREF_EXTERN int netref_person_list(netref_db *db,"
                         " int zork);\n")
    h.run(probe[0])
    if len(h.failures) != 1 or "cannot classify" not in h.failures[0]:
        raise SystemExit("FAIL: self-test: an unknown parameter was not "
                         f"reported: {h.failures}")
    h.failures = []


def main():
    faulthandler.enable()
    source = os.environ["NETREF_SOURCE_DIR"]
    header_path = os.path.join(source, "include", "netref.h")
    with open(header_path, encoding="utf-8") as f:
        header = f.read()
    functions = parse_header(header)
    FIELDS.update(parse_fields(header))
    declared = len(re.findall(r"^\s*NETREF_EXTERN\b",
                              strip_comments(header), re.M))
    if len(functions) != declared or not functions:
        raise SystemExit(f"FAIL: parsed {len(functions)} prototypes, the "
                         f"header has {declared} NETREF_EXTERN declarations")
    lib = ctypes.CDLL(os.environ["NETREF_LIBRARY"])
    with tempfile.TemporaryDirectory() as work:
        h = Harness(lib, functions, work)
        h.header_text = header
        for f in functions:
            if f.name not in h.declared:
                continue  # reported as unclassified
            # Printed first: after a crash, the last line names the function.
            print(f"{f.name} ...", end=" ", flush=True)
            before = (len(h.failures), h.calls)
            h.run(f)
            print("ok" if len(h.failures) == before[0] else "FAILED",
                  f"({h.calls - before[1]} calls)", flush=True)
        if not h.failures:
            self_test(h)
    for message in h.failures:
        print(f"FAIL: {message}")
    print(f"{len(functions)} functions, {h.calls} calls, "
          f"{len(h.failures)} failures")
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())
