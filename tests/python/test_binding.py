#!/usr/bin/env python3
"""Tests of the Python binding (bindings/python/netref), standard library
only (unittest). ctest runs them as the test `python` with

  NETREF_LIBRARY     the built libnetref (so these tests never pick up
                     another copy)
  PYTHONPATH         <source>/bindings/python
  NETREF_CLI         the netref command-line tool (cross-check of prospects)
  NETREF_DEMO        the C networking-evening demo (compared with the
                     Python one)
  NETREF_SOURCE_DIR  the source tree

and, in the sanitizer build, LD_PRELOAD=libasan and ASAN_OPTIONS=
detect_leaks=0 (Python itself leaks by design). Run by hand from the
source tree after `make build`:

  PYTHONPATH=bindings/python NETREF_CLI=build/examples/netref \\
  NETREF_DEMO=build/examples/networking-evening \\
  python3 tests/python/test_binding.py -v
"""

import ctypes
import dataclasses
import datetime
import enum
import json
import math
import os
import pathlib
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("NETREF_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE_DIR, "bindings", "python"))

import netref  # noqa: E402
from netref import _ffi  # noqa: E402

# The tie table of a current file in the layout of schema versions 1 to 4
# (each tie stored twice, as (a, b) and (b, a), its last contact as text),
# for tests that make an old file from a current one.
TIE_DATE = ("iif(typeof(last_contact) = 'integer',"
            " date(2440587.5 + last_contact), last_contact)")
TIES_TWICE_SQL = (
    "CREATE TABLE tie_twice("
    " a INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " b INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " strength REAL NOT NULL CHECK (strength > 0 AND strength <= 1),"
    " last_contact TEXT, context TEXT,"
    " cadence INTEGER CHECK (cadence IS NULL OR cadence > 0),"
    " PRIMARY KEY (a, b), CHECK (a <> b)) WITHOUT ROWID;"
    "INSERT INTO tie_twice SELECT a, b, strength, " + TIE_DATE + ","
    " context, cadence FROM tie UNION ALL SELECT b, a, strength, "
    + TIE_DATE + ", context, cadence FROM tie;"
    "DROP TABLE tie; ALTER TABLE tie_twice RENAME TO tie;")

HEADER = os.path.join(SOURCE_DIR, "include", "netref.h")
PACKAGE_DIR = os.path.dirname(os.path.abspath(netref.__file__))
DEMO_DATA = os.path.join(SOURCE_DIR, "examples", "data", "networking-evening")
PY_DEMO = os.path.join(SOURCE_DIR, "examples", "python",
                       "networking_evening.py")


def build_path(env_name, *rel):
    """A program of the build tree: $env_name, else build/<rel>."""
    value = os.environ.get(env_name)
    if value:
        return os.path.abspath(value)
    return os.path.join(SOURCE_DIR, "build", *rel)


CLI = build_path("NETREF_CLI", "examples", "netref")
DEMO = build_path("NETREF_DEMO", "examples", "networking-evening")


# --------------------------------------------------------------------------
# The header, parsed

def header_text():
    with open(HEADER, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def header_functions():
    """{name: (return type, [parameter types])} of every NETREF_EXTERN
    function declared in include/netref.h."""
    text = "\n".join(line for line in header_text().split("\n")
                     if not line.lstrip().startswith("#"))
    funcs = {}
    for decl in text.split(";"):
        if not re.search(r"\bNETREF_EXTERN\b", decl):
            continue
        decl = " ".join(decl.split())
        m = re.search(r"NETREF_EXTERN\s+(.*?)\b(netref_\w+)\s*\((.*)\)\s*$",
                      decl)
        if not m:
            raise AssertionError(f"cannot parse declaration: {decl}")
        ret, name, params = m.groups()
        params = [] if params.strip() in ("", "void") else [
            re.sub(r"\s*\b\w+$", "", p.strip()) if not p.strip().endswith(
                ")") else p.strip() for p in params.split(",")]
        funcs[name] = (" ".join(ret.split()), params)
    return funcs


def header_macro(name):
    m = re.search(r"#define\s+" + name + r"\s+(.+)", header_text())
    return m.group(1).strip() if m else None


# Functions returning a `const char *` block of several NUL-terminated
# strings (not one string).
TEXT_BLOCKS = ("netref_result_text",)


def c_type_of(decl):
    """The ctypes type a C type from the header must be declared as."""
    decl = " ".join(decl.replace("*", " * ").split())
    simple = {
        "int": ctypes.c_int, "void": None, "size_t": ctypes.c_size_t,
        "double": ctypes.c_double, "long long": ctypes.c_longlong,
        "const char *": ctypes.c_char_p, "void *": ctypes.c_void_p,
        "char * *": ctypes.POINTER(ctypes.c_void_p),
        "long long *": ctypes.POINTER(ctypes.c_longlong),
        "size_t *": ctypes.POINTER(ctypes.c_size_t),
        "int *": ctypes.POINTER(ctypes.c_int),
        "double *": ctypes.POINTER(ctypes.c_double),
        "netref_progress_fn": _ffi.ProgressFn,
    }
    if decl in simple:
        return simple[decl]
    handles = {
        "netref_db": _ffi.DbPtr, "netref_options": _ffi.OptionsPtr,
        "netref_result": _ffi.ResultPtr, "netref_rows": _ffi.RowsPtr,
        "netref_import": _ffi.ImportPtr, "netref_fields": _ffi.FieldsPtr,
        "netref_export": _ffi.ExportPtr,
    }
    m = re.fullmatch(r"(?:const )?(netref_\w+) \*( \*)?", decl)
    if m and m.group(1) in handles:
        t = handles[m.group(1)]
        return ctypes.POINTER(t) if m.group(2) else t
    raise AssertionError(f"no ctypes mapping for C type {decl!r}")


# --------------------------------------------------------------------------
# Helpers

class TempDirTest(unittest.TestCase):
    """A test with a fresh temporary directory, self.tmp."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="netref-py-")
        self.tmp = self._tmp.name
        self.db = os.path.join(self.tmp, "net.db")

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        mode = "wb" if isinstance(text, bytes) else "w"
        kw = {} if mode == "wb" else {"encoding": "utf-8", "newline": ""}
        with open(path, mode, **kw) as f:
            f.write(text)
        return path

    def small_network(self, path=None):
        """A small network on disk: me - priya - ravi, me - lena - fatima."""
        net = netref.open(path or self.db)
        self.addCleanup(net.close)
        for key, name in [("me", "Jordan Lee"), ("priya", "Priya N"),
                          ("ravi", "Ravi Shah"), ("lena", "Lena Lee"),
                          ("fatima", "Fatima B")]:
            net.person_add(key, name)
        net.tie_set("me", "priya", 0.9, "2026-03-01", "friends")
        net.tie_set("priya", "ravi", 0.85)
        net.tie_set("me", "ravi", 0.2)
        net.tie_set("me", "lena", 0.95, "2026-03-08")
        net.tie_set("lena", "fatima", 0.7, "2025-01-01")
        net.need_add("ravi", "party planning", 0.8)
        net.need_add("fatima", "Party Planning", 0.6)
        net.offer_add("lena", "catering", "cakes")
        net.offer_add("ravi", "catering")
        return net


def run_proc(args, env=None, cwd=None):
    return subprocess.run(args, env=env, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)


# --------------------------------------------------------------------------
# The binding against the header

class TestBindingTable(unittest.TestCase):
    """The table of C functions covers the header, type by type."""

    def test_every_header_function_is_bound(self):
        declared = header_functions()
        self.assertGreater(len(declared), 40)
        bound = [entry[0] for entry in _ffi.FUNCTIONS]
        self.assertEqual(len(bound), len(set(bound)), "duplicate entries")
        missing = sorted(set(declared) - set(bound))
        extra = sorted(set(bound) - set(declared))
        self.assertEqual(missing, [], "netref_* functions of netref.h with "
                         "no entry in netref/_ffi.py FUNCTIONS")
        self.assertEqual(extra, [], "entries for functions netref.h does "
                         "not declare")

    def test_types_match_the_header(self):
        declared = header_functions()
        for name, argtypes, restype, errcheck in _ffi.FUNCTIONS:
            with self.subTest(name=name):
                ret, params = declared[name]
                # A block of NUL-separated strings is read as a char
                # pointer, sliced to its size: c_char_p would stop at the
                # first NUL.
                want_ret = (ctypes.POINTER(ctypes.c_char)
                            if name in TEXT_BLOCKS else c_type_of(ret))
                self.assertEqual(restype, want_ret, "restype")
                self.assertEqual(len(argtypes), len(params), "arity")
                for i, (got, want) in enumerate(zip(argtypes, params)):
                    want_t = c_type_of(want)
                    if isinstance(want_t, type) and issubclass(
                            want_t, ctypes._Pointer):
                        self.assertEqual(got._type_, want_t._type_,
                                         f"argument {i}")
                    else:
                        self.assertEqual(got, want_t, f"argument {i}")
                # int results are error codes, except these two numbers.
                if ret == "int" and name not in ("netref_version_number",
                                                 "netref_result_hops"):
                    self.assertIsNotNone(errcheck, "int result unchecked")
                else:
                    self.assertIsNone(errcheck)

    def test_registered_on_the_library(self):
        for name, argtypes, restype, errcheck in _ffi.FUNCTIONS:
            func = getattr(_ffi._lib, name)
            self.assertEqual(list(func.argtypes), list(argtypes), name)
            self.assertIs(func.restype, restype, name)

    def test_unchecked_are_the_tables_functions(self):
        """The hot path's functions bound without argtypes
        (_ffi.UNCHECKED) call the same C functions, with the table's
        restype."""
        table = {name: restype for name, _, restype, _ in _ffi.FUNCTIONS}
        for name in _ffi.UNCHECKED:
            with self.subTest(name=name):
                func = getattr(_ffi._unchecked, name)
                self.assertIsNone(func.argtypes)
                self.assertIsNone(func.errcheck)
                self.assertIs(func.restype, table[name])
                address = ctypes.cast(func, ctypes.c_void_p).value
                self.assertEqual(address, ctypes.cast(
                    getattr(_ffi._lib, name), ctypes.c_void_p).value)

    def test_register_names_missing_functions(self):
        class Fake:
            _name = "libfake.so"
        with self.assertRaisesRegex(ImportError, "netref_version"):
            _ffi.register(Fake())

    def test_handles_are_distinct(self):
        with self.assertRaises(ctypes.ArgumentError):
            _ffi._lib.netref_result_count(_ffi.RowsPtr())
        with self.assertRaises(ctypes.ArgumentError):
            _ffi._lib.netref_close(_ffi.ResultPtr())
        with self.assertRaises(ctypes.ArgumentError):
            _ffi._lib.netref_rows_count(12345)
        with self.assertRaises(ctypes.ArgumentError):
            _ffi._lib.netref_fields_reset(_ffi.OptionsPtr())
        with self.assertRaises(ctypes.ArgumentError):
            _ffi._lib.netref_tie_set(None, b"a", b"b", _ffi.RowsPtr())
        # NULL is allowed where C accepts it.
        self.assertEqual(_ffi._lib.netref_rows_count(None), 0)

    def test_rows_column_index(self):
        lib = _ffi._lib
        db, rows = _ffi.DbPtr(), _ffi.RowsPtr()
        lib.netref_open(b":memory:", ctypes.byref(db))
        try:
            lib.netref_person_add(db, b"ana", None)
            lib.netref_tie_list(db, b"ana", ctypes.byref(rows))
            col = ctypes.c_size_t(99)
            names = [lib.netref_rows_column_name(rows, i)
                     for i in range(lib.netref_rows_columns(rows))]
            self.assertIn(b"cadence", names)
            for i, name in enumerate(names):
                lib.netref_rows_column_index(rows, name, ctypes.byref(col))
                self.assertEqual(col.value, i, name)
            for bad in (b"nope", b"", b"Strength"):
                with self.assertRaises(netref.NotFound) as cm:
                    lib.netref_rows_column_index(rows, bad,
                                                 ctypes.byref(col))
                self.assertIn(f"'{bad.decode()}'", str(cm.exception))
            with self.assertRaisesRegex(netref.InvalidArgument, "rows"):
                lib.netref_rows_column_index(None, b"key", ctypes.byref(col))
        finally:
            lib.netref_rows_free(rows)
            lib.netref_close(db)

    def test_real_accessors_answer_nan(self):
        lib = _ffi._lib
        self.assertTrue(math.isnan(lib.netref_result_reach(None, 0)))
        self.assertTrue(math.isnan(lib.netref_result_score(None, 0)))
        self.assertTrue(math.isnan(lib.netref_rows_real(None, 0, 0)))

    def test_versions(self):
        self.assertEqual(netref.version(), header_macro("NETREF_VERSION")
                         .strip('"'))
        self.assertEqual(netref.version_number(),
                         int(header_macro("NETREF_VERSION_NUMBER")))
        self.assertGreaterEqual(netref.version_number(),
                                _ffi.MIN_VERSION_NUMBER)
        self.assertTrue(os.path.exists(netref.library_path()) or
                        netref.library_path() == _ffi.SONAME)

    def test_docstrings_and_exports(self):
        for name in netref.__all__:
            obj = getattr(netref, name)
            if isinstance(obj, int):
                continue
            with self.subTest(name=name):
                self.assertTrue(getattr(obj, "__doc__", None), name)
        for name, member in vars(netref.Network).items():
            if name.startswith("_") or not callable(member) and \
                    not isinstance(member, property):
                continue
            with self.subTest(method=name):
                self.assertTrue(member.__doc__, name)
        self.assertTrue(os.path.isfile(os.path.join(PACKAGE_DIR, "py.typed")))

    def test_limits_match_the_header(self):
        from netref import _limits
        macros = dict(re.findall(r"^#define (NETREF_\w+)[ \t]+(\S[^\n]*)$",
                                 header_text(), flags=re.M))

        def value_of(text):
            text = text.strip().strip("()")
            text = re.sub(r"(?<=\d)[uUlL]+$", "", text)
            return float(text) if "." in text else int(text)
        self.assertGreaterEqual(len(_limits.__all__), 12)
        for name in _limits.__all__:
            with self.subTest(name=name):
                self.assertIn("NETREF_" + name, macros, "not in netref.h")
                want = value_of(macros["NETREF_" + name])
                got = getattr(_limits, name)
                self.assertEqual((type(got), got), (type(want), want))
                self.assertIs(getattr(netref, name), got)
                self.assertIn(name, netref.__all__)
        # Every limit or default of the header is mirrored: a new one
        # cannot be forgotten.
        for macro in macros:
            if re.search(r"_MAX_|^NETREF_MAX|^NETREF_DEFAULT_|_NO_LIMIT$",
                         macro):
                self.assertIn(macro[len("NETREF_"):], _limits.__all__,
                              f"{macro} is not mirrored in _limits.py")
        # The binding's defaults are the header's.
        import inspect
        for method in ("prospects", "providers", "ask_first", "matches",
                       "connectors", "reconnect"):
            params = inspect.signature(getattr(netref.Network, method))
            self.assertEqual(params.parameters["hops"].default,
                             value_of(macros["NETREF_DEFAULT_HOPS"]), method)
        params = inspect.signature(netref.Network.path).parameters
        self.assertEqual(params["max_hops"].default,
                         value_of(macros["NETREF_DEFAULT_PATH_HOPS"]))

    def test_error_codes_match_the_header(self):
        for name in ("OK", "ERROR", "EINVAL", "ENOMEM", "ENOTFOUND",
                     "EEXISTS", "ENOTDB", "ECORRUPT", "EVERSION", "EIO",
                     "EPARSE", "EBUSY", "EREADONLY", "ELIMIT"):
            value = int(header_macro("NETREF_" + name).strip("()"))
            self.assertEqual(getattr(netref, name), value, name)


# --------------------------------------------------------------------------
# Library discovery

class TestDiscovery(TempDirTest):
    """How `import netref` finds libnetref, in a fresh interpreter."""

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items()
               if k not in ("NETREF_LIBRARY", "PYTHONPATH",
                            "LD_LIBRARY_PATH")}
        env.update(extra)
        return env

    def import_in(self, pythonpath, **env):
        code = "import netref; print(netref.library_path())"
        return run_proc([sys.executable, "-c", code],
                        env=self.env(PYTHONPATH=pythonpath, **env),
                        cwd=self.tmp)

    def copy_package(self, dest):
        shutil.copytree(PACKAGE_DIR, os.path.join(dest, "netref"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        return dest

    def test_env_variable_wins(self):
        lib = os.path.realpath(netref.library_path()) if os.sep in \
            netref.library_path() else None
        if lib is None:
            self.skipTest("the library came from the system loader")
        p = self.import_in(os.path.dirname(PACKAGE_DIR), NETREF_LIBRARY=lib)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode().strip(), lib)

    def test_env_variable_that_does_not_load(self):
        bad = os.path.join(self.tmp, "nope", "libnetref.so.1")
        p = self.import_in(os.path.dirname(PACKAGE_DIR), NETREF_LIBRARY=bad)
        self.assertNotEqual(p.returncode, 0)
        err = p.stderr.decode()
        self.assertIn("ImportError", err)
        self.assertIn(bad, err)

        text = self.write("libnetref.so.1", "not a library\n")
        p = self.import_in(os.path.dirname(PACKAGE_DIR), NETREF_LIBRARY=text)
        self.assertIn("ImportError", p.stderr.decode())

    def installed_layout(self, libdir_rel):
        """<tmp>/prefix/lib/python3.X/site-packages/netref and the library
        at <tmp>/prefix/<libdir_rel>/libnetref.so.1."""
        if os.sep not in netref.library_path():
            self.skipTest("the library came from the system loader")
        prefix = os.path.join(self.tmp, "prefix")
        site = os.path.join(prefix, "lib", "python%d.%d" % sys.version_info[
            :2], "site-packages")
        os.makedirs(site)
        self.copy_package(site)
        libdir = os.path.join(prefix, libdir_rel)
        os.makedirs(libdir, exist_ok=True)
        target = os.path.join(libdir, _ffi.SONAME)
        shutil.copyfile(os.path.realpath(netref.library_path()), target)
        return site, target

    def test_installed_beside_the_package(self):
        for rel in ("lib", "lib64") + ((os.path.join(
                "lib", sysconfig.get_config_var("MULTIARCH")),)
                if sysconfig.get_config_var("MULTIARCH") else ()):
            with self.subTest(libdir=rel):
                site, target = self.installed_layout(rel)
                p = self.import_in(site)
                self.assertEqual(p.returncode, 0, p.stderr.decode())
                self.assertEqual(p.stdout.decode().strip(), target)
                shutil.rmtree(os.path.join(self.tmp, "prefix"))

    def test_build_tree_of_a_checkout(self):
        if os.sep not in netref.library_path():
            self.skipTest("the library came from the system loader")
        root = os.path.join(self.tmp, "checkout")
        os.makedirs(os.path.join(root, "include"))
        shutil.copyfile(HEADER, os.path.join(root, "include", "netref.h"))
        self.copy_package(os.path.join(root, "bindings", "python"))
        lib = os.path.realpath(netref.library_path())
        for build in ("build-other", "build"):
            os.makedirs(os.path.join(root, build, "lib"))
            shutil.copyfile(lib, os.path.join(root, build, "lib",
                                              _ffi.SONAME))
        p = self.import_in(os.path.join(root, "bindings", "python"))
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(p.stdout.decode().strip(),
                         os.path.join(root, "build", "lib", _ffi.SONAME))
        # Without build/, another build tree serves.
        shutil.rmtree(os.path.join(root, "build"))
        p = self.import_in(os.path.join(root, "bindings", "python"))
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(p.stdout.decode().strip(), os.path.join(
            root, "build-other", "lib", _ffi.SONAME))

    def test_nothing_found_names_every_place_tried(self):
        site = self.copy_package(os.path.join(self.tmp, "lonely"))
        p = self.import_in(site)
        out, err = p.stdout.decode().strip(), p.stderr.decode()
        if p.returncode == 0:  # libnetref.so.1 is installed system-wide
            self.assertEqual(out, _ffi.SONAME)
            return
        self.assertIn("ImportError", err)
        self.assertIn("NETREF_LIBRARY", err)
        self.assertIn(_ffi.SONAME + " through the system loader", err)


# --------------------------------------------------------------------------
# Opening and closing

class TestOpen(TempDirTest):

    def test_create_reopen_and_context_manager(self):
        with netref.open(self.db) as net:
            self.assertFalse(net.closed)
            self.assertEqual(net.filename, self.db)
            self.assertFalse(net.readonly)
            net.person_add("ana", "Ana")
            self.assertIn("open", repr(net))
        self.assertTrue(net.closed)
        self.assertIn("closed", repr(net))
        with netref.open(pathlib.Path(self.db), create=False) as net:
            self.assertEqual(net.person_get("ana").name, "Ana")
        with netref.open(os.fsencode(self.db), readonly=True) as net:
            self.assertTrue(net.readonly)
            self.assertEqual([p.key for p in net.person_list()], ["ana"])

    def test_memory(self):
        with netref.open(":memory:") as net:
            net.person_add("a")
            self.assertEqual(net.person_list(),
                             [netref.PersonSummary("a", "a")])
        with netref.open(":memory:") as net:
            self.assertEqual(net.person_list(), [])

    def test_missing_file_without_create(self):
        with self.assertRaises(netref.NotFound) as cm:
            netref.open(self.db, create=False)
        self.assertEqual(cm.exception.code, netref.ENOTFOUND)
        with self.assertRaises(netref.NotFound):
            netref.open(self.db, readonly=True)
        self.assertFalse(os.path.exists(self.db))

    def test_close_is_idempotent(self):
        net = netref.open(self.db)
        net.close()
        net.close()
        self.assertTrue(net.closed)
        with self.assertRaises(netref.ClosedError):
            with net:
                pass

    def test_unclosed_network_is_closed_by_the_collector(self):
        net = netref.open(self.db)
        net.person_add("a")
        with self.assertWarns(ResourceWarning):
            del net
            import gc
            gc.collect()
        with netref.open(self.db) as net:
            self.assertEqual(len(net.person_list()), 1)

    def test_network_cannot_be_built_by_hand(self):
        with self.assertRaises(TypeError):
            netref.Network(_ffi.DbPtr(), "x", False)
        with self.assertRaises(TypeError):
            netref.Network(None, "x", False)


# --------------------------------------------------------------------------
# Records

class TestPeople(TempDirTest):

    def setUp(self):
        super().setUp()
        self.net = netref.open(self.db)
        self.addCleanup(self.net.close)

    def test_add_get_list(self):
        net = self.net
        net.person_add("zoë", "Zoë Laurent", org="Confetti & Co.",
                       city="Bristol", role="")
        net.person_add("ana")
        net.person_add("bob", "")
        p = net.person_get("zoë")
        self.assertEqual(p, netref.Person(
            "zoë", "Zoë Laurent", {"city": "Bristol",
                                   "org": "Confetti & Co."}))
        self.assertEqual(list(p.attributes), ["city", "org"])
        self.assertEqual(net.person_get("ana"), netref.Person("ana", "ana"))
        self.assertEqual(net.person_get("bob").name, "bob")
        self.assertEqual(net.person_list(), [
            netref.PersonSummary("ana", "ana"),
            netref.PersonSummary("bob", "bob"),
            netref.PersonSummary("zoë", "Zoë Laurent")])
        hash(p)  # frozen and hashable (attributes are not hashed)
        with self.assertRaises(Exception):
            p.name = "x"

    def test_set_name_and_attr(self):
        net = self.net
        net.person_add("ana", "Ana")
        net.person_set_name("ana", "Ana Silva")
        net.person_set_attr("ana", "org", "Acme")
        net.person_set_attr("ana", "city", "Porto")
        self.assertEqual(net.person_get("ana"), netref.Person(
            "ana", "Ana Silva", {"city": "Porto", "org": "Acme"}))
        net.person_set_attr("ana", "org", None)
        net.person_set_attr("ana", "city", "")
        self.assertEqual(net.person_get("ana").attributes, {})
        with self.assertRaises(netref.InvalidArgument):
            net.person_set_attr("ana", "name", "x")
        with self.assertRaises(netref.InvalidArgument):
            net.person_set_name("ana", "")
        with self.assertRaises(netref.NotFound):
            net.person_set_name("nobody", "x")
        with self.assertRaises(netref.NotFound):
            net.person_set_attr("nobody", "org", "x")

    def test_add_with_a_bad_attribute_adds_nothing(self):
        with self.assertRaises(netref.InvalidArgument):
            self.net.person_add("ana", "Ana", org="Acme", **{"": "x"})
        with self.assertRaises(netref.NotFound):
            self.net.person_get("ana")
        with self.assertRaises(TypeError):
            self.net.person_add("ana", "Ana", org=3)
        with self.assertRaises(netref.NotFound):
            self.net.person_get("ana")

    def test_keys_that_hide_characters_are_refused(self):
        net = self.net
        for key, problem in [("\u00a0", "only white space"),
                             ("ana ", "ends with white space (U+0020)"),
                             ("a\tb", "control character (U+0009)"),
                             ("ana\u200b", "invisible character (U+200B)"),
                             ("\u202eana", "invisible character (U+202E)")]:
            with self.assertRaises(netref.InvalidArgument) as cm:
                net.person_add(key)
            self.assertIn(problem, str(cm.exception), repr(key))
        self.assertEqual(net.person_list(), [])

    def test_person_find(self):
        net = self.net
        net.person_add("ana", "Ana Lima", email="ana@lima.org")
        net.person_add("p17", "\u00c1na")
        net.person_add("jose", "Jos\u00e9 N\u00fa\u00f1ez")
        net.person_add("banana", "Ban Ana")
        self.assertEqual(net.person_find("ANA"), [
            netref.PersonMatch("ana", "Ana Lima", "ana@lima.org", "exact",
                               "key"),
            netref.PersonMatch("p17", "\u00c1na", None, "exact", "name"),
            netref.PersonMatch("banana", "Ban Ana", None, "prefix",
                               "name")])
        self.assertEqual([m.key for m in net.person_find("nunez")], ["jose"])
        self.assertEqual(net.person_find("ima.org"), [
            netref.PersonMatch("ana", "Ana Lima", "ana@lima.org",
                               "substring", "email")])
        self.assertEqual(net.person_find("zed"), [])
        with self.assertRaises(netref.InvalidArgument):
            net.person_find("")
        with self.assertRaises(netref.InvalidArgument):
            net.person_find("\u0301")
        with self.assertRaises(TypeError):
            net.person_find(3)  # type: ignore[arg-type]

    def test_unknown_person_suggests(self):
        net = self.net
        net.person_add("jose", "Jos\u00e9 N\u00fa\u00f1ez")
        net.person_add("ana", "Ana Lima")
        with self.assertRaises(netref.NotFound) as cm:
            net.tie_list("jsoe")
        self.assertEqual(str(cm.exception),
                         "no person 'jsoe'; did you mean 'jose' "
                         "(Jos\u00e9 N\u00fa\u00f1ez)?")
        with self.assertRaises(netref.NotFound) as cm:
            net.prospects("Ana Lima", "x")
        self.assertIn("did you mean 'ana' (Ana Lima)?", str(cm.exception))
        with self.assertRaises(netref.NotFound) as cm:
            net.person_get("zzz")
        self.assertEqual(str(cm.exception), "no person 'zzz'")

    def test_remove(self):
        net = self.small_network(":memory:")
        net.person_remove("ravi")
        with self.assertRaises(netref.NotFound):
            net.person_get("ravi")
        self.assertEqual([t.key for t in net.tie_list("priya")], ["me"])
        self.assertEqual(net.tag_people("party planning"),
                         [netref.TagHolder("fatima", "Fatima B", "needs",
                                           0.6, None)])
        with self.assertRaises(netref.NotFound):
            net.person_remove("ravi")


class TestTies(TempDirTest):

    def test_set_get_list_remove(self):
        net = self.small_network()
        self.assertEqual(net.tie_get("me", "priya"), netref.Tie(
            "priya", "Priya N", 0.9, datetime.date(2026, 3, 1), "friends"))
        self.assertEqual(net.tie_get("priya", "me"), netref.Tie(
            "me", "Jordan Lee", 0.9, datetime.date(2026, 3, 1), "friends"))
        self.assertEqual(net.tie_get("priya", "ravi"), netref.Tie(
            "ravi", "Ravi Shah", 0.85, None, None))
        self.assertEqual([t.key for t in net.tie_list("me")],
                         ["lena", "priya", "ravi"])
        # None keeps, netref.CLEAR clears; a date object is accepted.
        net.tie_set("me", "priya", context=netref.CLEAR)
        net.tie_set("priya", "me", last_contact=datetime.date(2026, 3, 9))
        self.assertEqual(net.tie_get("me", "priya"), netref.Tie(
            "priya", "Priya N", 0.9, datetime.date(2026, 3, 9), None))
        net.tie_set("me", "priya", 1, last_contact=netref.CLEAR)
        self.assertEqual(net.tie_get("me", "priya").strength, 1.0)
        self.assertIsNone(net.tie_get("me", "priya").last_contact)
        net.person_add("new")
        net.tie_set("me", "new")
        self.assertEqual(net.tie_get("me", "new").strength, 0.5)
        net.tie_remove("new", "me")
        with self.assertRaises(netref.NotFound):
            net.tie_get("me", "new")
        with self.assertRaises(netref.NotFound):
            net.tie_remove("new", "me")
        with self.assertRaises(netref.NotFound):
            net.tie_list("nobody")
        self.assertEqual(net.tie_list("new"), [])

    def test_bad_ties(self):
        net = self.small_network(":memory:")
        with self.assertRaises(netref.InvalidArgument):
            net.tie_set("me", "me", 0.5)
        with self.assertRaises(netref.NotFound):
            net.tie_set("me", "nobody", 0.5)
        for bad in (0, 0.0, -1, -1.0, 1.5, float("nan"), float("inf")):
            with self.subTest(strength=bad):
                with self.assertRaises(netref.InvalidArgument):
                    net.tie_set("me", "priya", bad)
        for bad in ("0.5", True, [0.5]):
            with self.subTest(strength=bad):
                with self.assertRaises(TypeError):
                    net.tie_set("me", "priya", bad)
        for bad in ("2026-13-01", "yesterday", "2026-02-30"):
            with self.subTest(date=bad):
                with self.assertRaises(netref.InvalidArgument):
                    net.tie_set("me", "priya", last_contact=bad)
        with self.assertRaises(TypeError):
            net.tie_set("me", "priya", last_contact=20260101)
        self.assertEqual(net.tie_get("me", "priya").strength, 0.9)


class TestHoldings(TempDirTest):

    def test_offers_needs_and_tag_people(self):
        net = self.small_network()
        self.assertEqual(net.offer_list("lena"),
                         [netref.Offer("catering", "cakes")])
        net.offer_set("lena", "  CATERING ")  # None keeps the note
        self.assertEqual(net.offer_list("lena"),
                         [netref.Offer("catering", "cakes")])
        net.offer_set("lena", "Catering", netref.CLEAR)
        self.assertEqual(net.offer_list("lena"),
                         [netref.Offer("catering", None)])
        net.offer_add("lena", "web design", "sites")
        self.assertEqual([o.tag for o in net.offer_list("lena")],
                         ["catering", "web design"])
        net.offer_remove("lena", "Web Design")
        with self.assertRaises(netref.NotFound):
            net.offer_remove("lena", "web design")

        self.assertEqual(net.need_list("fatima"),
                         [netref.Need("party planning", 0.6)])
        net.need_add("fatima", "catering")
        self.assertEqual(net.need_list("fatima"), [
            netref.Need("catering", 1.0), netref.Need("party planning", 0.6)])
        net.need_remove("fatima", "catering")
        with self.assertRaises(netref.NotFound):
            net.need_remove("fatima", "catering")
        for bad in (0, -0.5, 1.01, float("nan")):
            with self.subTest(weight=bad):
                with self.assertRaises(netref.InvalidArgument):
                    net.need_add("fatima", "x", bad)
        with self.assertRaises(TypeError):
            net.need_add("fatima", "x", "1")
        with self.assertRaises(netref.NotFound):
            net.need_list("nobody")
        with self.assertRaises(netref.NotFound):
            net.offer_list("nobody")

        net.need_add("lena", "catering", 0.25)
        self.assertEqual(net.tag_people("catering"), [
            netref.TagHolder("lena", "Lena Lee", "needs", 0.25, None),
            netref.TagHolder("lena", "Lena Lee", "offers", 1.0, None),
            netref.TagHolder("ravi", "Ravi Shah", "offers", 1.0, None)])
        self.assertEqual([h.key for h in net.tag_people("catering",
                                                        "needs")], ["lena"])
        self.assertEqual([h.key for h in net.tag_people(
            "catering", role="offers")], ["lena", "ravi"])
        self.assertEqual(net.tag_people("nothing"), [])
        with self.assertRaises(netref.InvalidArgument):
            net.tag_people("catering", "both")
        with self.assertRaises(TypeError):
            net.tag_people("catering", 3)
        with self.assertRaises(netref.InvalidArgument):
            net.offer_add("lena", "   ")

    def test_add_creates_and_set_creates_or_updates(self):
        net = self.small_network(":memory:")
        # Offers: add refuses a tag held already (as normalized), and
        # changes nothing; set updates and keeps the note not given.
        with self.assertRaisesRegex(netref.AlreadyExists,
                                    "lena.*catering.*set") as cm:
            net.offer_add("lena", "  CATERING ", "pies")
        self.assertEqual(cm.exception.code, netref.EEXISTS)
        self.assertEqual(net.offer_list("lena"),
                         [netref.Offer("catering", "cakes")])
        net.offer_set("lena", "catering", "pies")
        self.assertEqual(net.offer_list("lena"),
                         [netref.Offer("catering", "pies")])
        net.offer_set("lena", "catering")
        self.assertEqual(net.offer_list("lena"),
                         [netref.Offer("catering", "pies")])
        net.offer_set("lena", "web design")  # set creates too
        net.offer_add("lena", "bookkeeping", "monthly")
        self.assertEqual(net.offer_list("lena"), [
            netref.Offer("bookkeeping", "monthly"),
            netref.Offer("catering", "pies"),
            netref.Offer("web design", None)])
        with self.assertRaises(netref.NotFound):
            net.offer_set("nobody", "catering")

        # Needs: the same, with the weight (1 for a new need).
        with self.assertRaises(netref.AlreadyExists):
            net.need_add("ravi", "Party Planning", 0.1)
        self.assertEqual(net.need_list("ravi"),
                         [netref.Need("party planning", 0.8)])
        net.need_set("ravi", "party planning", 0.3)
        net.need_set("ravi", "party planning")
        self.assertEqual(net.need_list("ravi"),
                         [netref.Need("party planning", 0.3)])
        net.need_set("ravi", "catering")
        net.need_add("ravi", "bookkeeping", 0.5)
        self.assertEqual(net.need_list("ravi"), [
            netref.Need("bookkeeping", 0.5), netref.Need("catering", 1.0),
            netref.Need("party planning", 0.3)])
        for bad in (0, 1.5, float("nan")):
            with self.subTest(weight=bad):
                with self.assertRaises(netref.InvalidArgument):
                    net.need_set("ravi", "catering", bad)
        with self.assertRaisesRegex(netref.InvalidArgument, "weight"):
            net.need_set("ravi", "catering", netref.CLEAR)
        self.assertEqual(net.need_list("ravi")[1],
                         netref.Need("catering", 1.0))
        with self.assertRaises(netref.NotFound):
            net.need_set("nobody", "catering")
        with self.assertRaises(TypeError):
            net.need_set("ravi", "catering", "0.5")
        with self.assertRaises(TypeError):
            net.offer_set("lena", "catering", 3)

    def test_normalize_tag(self):
        self.assertEqual(netref.normalize_tag("  Party   PLANNING "),
                         "party planning")
        self.assertEqual(netref.normalize_tag("ＣＡＦÉ"), "café")
        with self.assertRaises(netref.InvalidArgument) as cm:
            netref.normalize_tag(" \t ")
        self.assertTrue(str(cm.exception))
        with self.assertRaises(TypeError):
            netref.normalize_tag(None)
        with self.assertRaises(netref.InvalidArgument):
            netref.normalize_tag("a\udcffb")
        # Invisible characters go; a tag of nothing else is an error.
        self.assertEqual(netref.normalize_tag("party\u200bplanning"),
                         "partyplanning")
        self.assertEqual(netref.normalize_tag("party\u00adplanning"),
                         netref.normalize_tag("PartyPlanning"))
        with self.assertRaises(netref.InvalidArgument) as cm:
            netref.normalize_tag("\u200b")
        self.assertIn("empty after normalization", str(cm.exception))
        with self.assertRaises(netref.InvalidArgument) as cm:
            netref.normalize_tag("party\tplanning")
        self.assertIn("control character (U+0009)", str(cm.exception))


# --------------------------------------------------------------------------
# Import

PEOPLE_CSV = "key,name,org\nana,Ana,Acme\nbob,Bob,\ncyd,Cyd,Zeta\n"
TIES_CSV = "a,b,strength,last_contact,context\nana,bob,0.9,2026-01-02,x\n" \
           "bob,cyd,,,\n"
OFFERS_CSV = "person,tag,note\ncyd,Catering,cakes\n"
NEEDS_CSV = "person,tag,weight\nana,catering,0.5\n"


class TestImport(TempDirTest):

    def files(self):
        return dict(people=self.write("people.csv", PEOPLE_CSV),
                    ties=self.write("ties.csv", TIES_CSV),
                    offers=self.write("offers.csv", OFFERS_CSV),
                    needs=self.write("needs.csv", NEEDS_CSV))

    def test_import_all(self):
        with netref.open(self.db) as net:
            counts = net.import_csv(**self.files())
            self.assertEqual(counts, {"people": 3, "ties": 2, "offers": 1,
                                      "needs": 1, "taxonomy": 0,
                                      "groups": 0})
            self.assertEqual(net.person_get("ana").attributes,
                             {"org": "Acme"})
            self.assertEqual(net.tie_get("bob", "cyd").strength, 0.5)
            rows = net.providers("ana", "catering")
            self.assertEqual([(r.key, r.introducer, r.path) for r in rows],
                             [("cyd", "bob", ("ana", "bob", "cyd"))])
            # Again: nothing changes.
            self.assertEqual(net.import_csv(**self.files())["people"], 3)
            self.assertEqual(len(net.person_list()), 3)

    def test_some_files_and_create_missing(self):
        ties = self.write("t.csv", "a,b\nx,y\n")
        with netref.open(self.db) as net:
            with self.assertRaises(netref.ParseError):
                net.import_csv(ties=ties)
            self.assertEqual(net.person_list(), [])
            counts = net.import_csv(ties=pathlib.Path(ties),
                                    create_missing=True)
            self.assertEqual(counts, {"people": 0, "ties": 1, "offers": 0,
                                      "needs": 0, "taxonomy": 0,
                                      "groups": 0})
            self.assertEqual([p.key for p in net.person_list()], ["x", "y"])
            with self.assertRaises(netref.InvalidArgument):
                net.import_csv()
            with self.assertRaises(TypeError):
                net.import_csv(ties=ties, create_missing=1)
            with self.assertRaises(TypeError):
                net.import_csv(ties=3)
            with self.assertRaises(TypeError):
                net.import_csv(ties=ties, progress="print")

    def test_progress(self):
        rows = "".join(f"p{i:05d},Person {i}\n" for i in range(10000))
        people = self.write("people.csv", "key,name\n" + rows)
        seen = []
        with netref.open(self.db) as net:
            counts = net.import_csv(people=people,
                                    progress=lambda p, n: seen.append((p, n)))
        self.assertEqual(counts["people"], 10000)
        self.assertGreaterEqual(len(seen), 2)
        self.assertTrue(all(p == people for p, _ in seen))
        ns = [n for _, n in seen]
        self.assertEqual(ns, sorted(ns))
        self.assertEqual(ns[-1], 10000)

    def test_progress_that_raises(self):
        people = self.write("people.csv", PEOPLE_CSV)
        calls = []

        def boom(path, n):
            calls.append(n)
            raise KeyError("from the callback")

        with netref.open(self.db) as net:
            with self.assertRaisesRegex(KeyError, "from the callback"):
                net.import_csv(people=people, progress=boom)
            self.assertEqual(len(calls), 1)  # not called again
            # The exception stopped the import, which was rolled back.
            self.assertEqual(len(net.person_list()), 0)
            # A true return value cancels too.
            with self.assertRaises(netref.Canceled) as cm:
                net.import_csv(people=people, progress=lambda p, n: True)
            self.assertEqual(cm.exception.code, netref.ECANCELED)
            self.assertEqual(len(net.person_list()), 0)
            self.assertEqual(net.import_csv(people=people,
                                            progress=lambda p, n: None),
                             {"people": 3, "ties": 0, "offers": 0,
                              "needs": 0, "taxonomy": 0, "groups": 0})

    def test_progress_must_not_reenter_the_network(self):
        people = self.write("people.csv", PEOPLE_CSV)
        with netref.open(self.db) as net:
            with self.assertRaises(netref.Busy):
                net.import_csv(people=people,
                               progress=lambda p, n: net.person_list())
            with self.assertRaises(netref.Busy):
                net.import_csv(people=people,
                               progress=lambda p, n: net.close())
            self.assertFalse(net.closed)
            # Another network may be used from the callback.
            with netref.open(":memory:") as other:
                net.import_csv(people=people,
                               progress=lambda p, n: other.person_list())


# --------------------------------------------------------------------------
# Queries

class TestQueries(TempDirTest):

    def test_prospects_and_providers(self):
        net = self.small_network()
        rows = net.prospects("me", "Party Planning")
        self.assertEqual(rows, [
            netref.Result("ravi", "Ravi Shah", 1, 0.9 * 0.85,
                          0.9 * 0.85 * 0.8, "priya", ("me", "priya", "ravi"),
                          "party planning"),
            netref.Result("fatima", "Fatima B", 2, 0.95 * 0.7,
                          0.95 * 0.7 * 0.6, "lena", ("me", "lena", "fatima"),
                          "party planning"),
        ])
        self.assertIsInstance(rows[0].path, tuple)
        with self.assertRaises(Exception):
            rows[0].score = 1.0
        self.assertEqual([r.key for r in net.prospects("me", "party planning",
                                                       hops=1)], ["ravi"])
        self.assertEqual(net.prospects("me", "party planning", hops=1)[0]
                         .introducer, None)
        self.assertEqual(len(net.prospects("me", "party planning",
                                           limit=1)), 1)
        self.assertEqual(len(net.prospects("me", "party planning",
                                           limit=2 ** 40)), 2)
        self.assertEqual(len(net.prospects("me", "party planning",
                                           limit=0)), 2)
        prov = net.providers("me", "catering", hops=3)
        self.assertEqual([(r.key, r.hops, r.score, r.introducer) for r in
                          prov], [("lena", 1, 0.95, None),
                                  ("ravi", 1, 0.9 * 0.85, "priya")])
        with self.assertRaisesRegex(netref.NotFound, "unknown tag 'nothing'"):
            net.providers("me", "nothing")
        net.tag_relate("nothing", "alias", "nil")  # known, held by nobody
        self.assertEqual(net.providers("me", "nothing"), [])
        with self.assertRaises(netref.NotFound):
            net.prospects("nobody", "catering")

    def test_half_life_and_today(self):
        net = self.small_network(":memory:")
        plain = net.prospects("me", "party planning", today="2026-03-15")
        cooled = net.prospects("me", "party planning", half_life=180,
                               today=datetime.date(2026, 3, 15))
        by_key = {r.key: r for r in cooled}
        self.assertLess(by_key["fatima"].reach,
                        {r.key: r for r in plain}["fatima"].reach)
        same = net.prospects("me", "party planning", half_life=0,
                             today="2026-03-15")
        self.assertEqual(same, plain)

    def test_results_outlive_the_network(self):
        net = self.small_network(":memory:")
        rows = net.prospects("me", "party planning")
        net.close()
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0].tag, "party planning")

    def test_threads_share_a_network(self):
        net = self.small_network()
        want = net.prospects("me", "party planning", hops=3)
        errors = []

        def work():
            try:
                for _ in range(200):
                    if net.prospects("me", "party planning", hops=3) != want:
                        errors.append("different answer")
                    net.need_set("ravi", "party planning", 0.8)
            except Exception as e:  # pragma: no cover
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


# --------------------------------------------------------------------------
# Every error code, provoked

class TestBulkResults(TempDirTest):
    """Results are read in bulk (netref_result_numbers, netref_result_text):
    the rows must equal those read cell by cell, on every query kind, with
    hostile text in keys, names and tags."""

    @staticmethod
    def per_cell(res):
        lib = _ffi._lib
        rows = []
        for i in range(lib.netref_result_count(res)):
            path = tuple(_ffi.from_c(lib.netref_result_path_key(res, i, p))
                         for p in range(lib.netref_result_path_length(res, i)))
            rows.append(netref.Result(
                _ffi.from_c(lib.netref_result_key(res, i)),
                _ffi.from_c(lib.netref_result_name(res, i)),
                lib.netref_result_hops(res, i),
                lib.netref_result_reach(res, i),
                lib.netref_result_score(res, i),
                _ffi.from_c(lib.netref_result_introducer(res, i)),
                path, _ffi.from_c(lib.netref_result_tag(res, i)) or ""))
        return rows

    def both(self, net, fn_name, *args):
        from netref import _network
        lib = _ffi._lib
        res = _ffi.ResultPtr()
        with net._use() as db:
            getattr(lib, fn_name)(db, *args, None, ctypes.byref(res))
        try:
            return _network._read_result(res), self.per_cell(res)
        finally:
            lib.netref_result_free(res)

    def test_bulk_equals_per_cell(self):
        net = self.small_network(":memory:")
        # Hostile text: NUL cannot be stored, everything else can.
        net.person_add("w\u00e9ird,key", "Na\nme \"q\" \u202e\U0001F389")
        net.tie_set("me", "w\u00e9ird,key", strength=0.7)
        net.need_add("w\u00e9ird,key", "Party \u00c9v\u00e9nements")
        net.offer_add("w\u00e9ird,key", "catering")
        cases = [("netref_prospects", b"me", b"party planning"),
                 ("netref_prospects", b"me", "party \u00e9v\u00e9nements".encode()),
                 ("netref_providers", b"me", b"catering"),
                 ("netref_path", b"me", b"fatima"),
                 ("netref_path", b"me", "w\u00e9ird,key".encode())]
        for case in cases:
            with self.subTest(case=case):
                bulk, cells = self.both(net, *case)
                self.assertTrue(bulk)
                self.assertEqual(bulk, cells)
        # An empty result, and what the bindings' methods return.
        net.tag_relate("nothing", "alias", "nil")  # known, held by nobody
        bulk, cells = self.both(net, "netref_providers", b"me", b"nothing")
        self.assertEqual((bulk, cells), ([], []))
        self.assertEqual(net.prospects("me", "party planning"),
                         self.both(net, "netref_prospects", b"me",
                                   b"party planning")[1])

    def test_kept_options_answer_as_fresh_ones(self):
        """The tag queries keep their netref_options per network: every
        combination, asked in turns and past the number kept, answers as
        the C call given freshly made options does."""
        from netref import _network
        net = self.small_network(":memory:")
        net.group_add("friends")
        net.group_join("friends", "fatima")
        lib = _ffi._lib

        def fresh(fn_name, **kw):
            opts = _ffi.OptionsPtr()
            lib.netref_options_new(ctypes.byref(opts))
            res = _ffi.ResultPtr()
            try:
                net._query_options(opts, kw.get("hops", 2), kw.get("limit"),
                                   kw.get("half_life"), kw.get("today"),
                                   kw.get("exact", False), kw.get("group"))
                with net._use() as db:
                    getattr(lib, fn_name)(db, b"me", b"party planning",
                                          opts, ctypes.byref(res))
                return _network._read_result(res)
            finally:
                lib.netref_result_free(res)
                lib.netref_options_free(opts)

        combos = [dict(hops=h, limit=lim) for h in (1, 2, 3)
                  for lim in (None, 1, 2)]
        combos += [dict(half_life=30.0, today="2026-03-15"),
                   dict(half_life=30.0, today=datetime.date(2030, 1, 1)),
                   dict(group="friends"), dict(exact=True),
                   dict(hops=3, group="friends", limit=1)]
        combos += [dict(limit=n) for n in range(3, 3 + _network._OPTIONS_KEPT)]
        for turn in range(2):
            for kw in combos:
                with self.subTest(turn=turn, **kw):
                    self.assertEqual(net.prospects("me", "party planning",
                                                   **kw),
                                     fresh("netref_prospects", **kw))
                    self.assertLessEqual(len(net._options),
                                         _network._OPTIONS_KEPT)
        # Options the C library refuses are not kept.
        kept = dict(net._options)
        with self.assertRaises(netref.InvalidArgument):
            net.prospects("me", "party planning", hops=99)
        self.assertEqual(net._options, kept)
        net.close()
        self.assertEqual(net._options, {})

class TestErrors(TempDirTest):

    def check(self, cm, cls, code, *bases):
        e = cm.exception
        self.assertIs(type(e), cls)
        self.assertEqual(e.code, code)
        self.assertIsInstance(e, netref.Error)
        for b in bases:
            self.assertIsInstance(e, b)
        self.assertTrue(str(e))
        self.assertEqual(str(e), e.message)
        return e

    def test_einval(self):
        with netref.open(self.db) as net:
            with self.assertRaises(netref.InvalidArgument) as cm:
                net.person_add("")
            e = self.check(cm, netref.InvalidArgument, netref.EINVAL,
                           ValueError)
            self.assertNotEqual(str(e), netref.strerror(netref.EINVAL))

    def test_enotfound(self):
        with netref.open(self.db) as net:
            with self.assertRaises(netref.NotFound) as cm:
                net.person_get("nobody")
        e = self.check(cm, netref.NotFound, netref.ENOTFOUND, LookupError)
        self.assertIn("nobody", str(e))

    def test_eexists(self):
        with netref.open(self.db) as net:
            net.person_add("ana")
            with self.assertRaises(netref.AlreadyExists) as cm:
                net.person_add("ana", "Ana again")
        e = self.check(cm, netref.AlreadyExists, netref.EEXISTS)
        self.assertIn("ana", str(e))

    def test_enotdb(self):
        path = self.write("notes.txt", "these are not the droids\n" * 100)
        with self.assertRaises(netref.NotADatabase) as cm:
            netref.open(path)
        self.check(cm, netref.NotADatabase, netref.ENOTDB)
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), "these are not the droids\n" * 100)
        # Another program's SQLite database.
        other = os.path.join(self.tmp, "other.db")
        con = sqlite3.connect(other)
        con.execute("create table t(x)")
        con.commit()
        con.close()
        with self.assertRaises(netref.NotADatabase):
            netref.open(other)

    def test_ecorrupt(self):
        net = netref.open(self.db)
        for i in range(400):
            net.person_add(f"person{i:04d}", "A rather long name " * 5,
                           org="Some organisation " * 5)
        net.close()
        size = os.path.getsize(self.db)
        os.truncate(self.db, size // 2)
        with self.assertRaises(netref.CorruptDatabase) as cm:
            netref.open(self.db)
        self.check(cm, netref.CorruptDatabase, netref.ECORRUPT)

    def test_eversion(self):
        netref.open(self.db).close()
        con = sqlite3.connect(self.db)
        con.execute("pragma user_version = 99")
        con.commit()
        con.close()
        with self.assertRaises(netref.VersionError) as cm:
            netref.open(self.db)
        self.check(cm, netref.VersionError, netref.EVERSION)

    def test_eio(self):
        missing = os.path.join(self.tmp, "no", "such.csv")
        with netref.open(self.db) as net:
            with self.assertRaises(netref.FileError) as cm:
                net.import_csv(people=missing)
        e = self.check(cm, netref.FileError, netref.EIO, OSError)
        self.assertIn(missing, str(e))

    def test_eparse(self):
        ties = self.write("ties.csv", "a,b,strength\nana,bob,0.5\n"
                          "ana,cyd,warm\n")
        people = self.write("people.csv", PEOPLE_CSV)
        with netref.open(self.db) as net:
            with self.assertRaises(netref.ParseError) as cm:
                net.import_csv(people=people, ties=ties)
            e = self.check(cm, netref.ParseError, netref.EPARSE)
            self.assertIn("ties.csv:3", str(e))
            self.assertEqual(net.person_list(), [])  # all or nothing

    def test_eparse_lists_every_bad_row(self):
        people = self.write("people.csv", "key,name\nana,Ana\nbob\n"
                            "cyd,Cyd\n")
        ties = self.write("ties.csv", "a,b,strength\nana,cyd,warm\n"
                          "ana,bob,0.5\nana,zed,0.5\n")
        with netref.open(self.db) as net:
            with self.assertRaises(netref.ParseError) as cm:
                net.import_csv(people=people, ties=ties)
            lines = str(cm.exception).splitlines()
            self.assertEqual(cm.exception.message, str(cm.exception))
            self.assertEqual([line.split(": ")[0] for line in lines],
                             [f"{people}:3", f"{ties}:2", f"{ties}:4"])
            self.assertIn("unknown person 'zed'", lines[2])
            self.assertEqual(net.person_list(), [])  # all or nothing

    def test_ereadonly(self):
        netref.open(self.db).close()
        with netref.open(self.db, readonly=True) as net:
            with self.assertRaises(netref.ReadOnly) as cm:
                net.person_add("ana")
        self.check(cm, netref.ReadOnly, netref.EREADONLY)

    def test_ebusy(self):
        with netref.open(self.db) as net:
            net.person_add("ana")
            con = sqlite3.connect(self.db, isolation_level=None)
            try:
                con.execute("begin exclusive")
                with self.assertRaises(netref.Busy) as cm:
                    net.person_add("bob")
            finally:
                con.execute("rollback")
                con.close()
            self.check(cm, netref.Busy, netref.EBUSY)
            net.person_add("bob")

    def test_mapping_of_every_code(self):
        from netref._errors import error_for
        expect = {
            netref.ERROR: netref.Error, netref.EINVAL: netref.InvalidArgument,
            netref.ENOMEM: netref.OutOfMemory,
            netref.ENOTFOUND: netref.NotFound,
            netref.EEXISTS: netref.AlreadyExists,
            netref.ENOTDB: netref.NotADatabase,
            netref.ECORRUPT: netref.CorruptDatabase,
            netref.EVERSION: netref.VersionError,
            netref.EIO: netref.FileError, netref.EPARSE: netref.ParseError,
            netref.EBUSY: netref.Busy, netref.EREADONLY: netref.ReadOnly,
            netref.ELIMIT: netref.LimitError,
            -99: netref.Error,
        }
        for code, cls in expect.items():
            e = error_for(code, "msg")
            self.assertIs(type(e), cls)
            self.assertEqual(e.code, code)
            self.assertEqual(str(e), "msg")
        self.assertIsInstance(error_for(netref.ENOMEM, ""), MemoryError)

    def test_strerror(self):
        self.assertEqual(netref.strerror(netref.OK), "success")
        self.assertEqual(netref.strerror(netref.ENOTFOUND), "not found")
        self.assertEqual(netref.strerror(-1000), "unknown error")
        with self.assertRaises(TypeError):
            netref.strerror("x")
        with self.assertRaises(netref.InvalidArgument):
            netref.strerror(2 ** 40)


# --------------------------------------------------------------------------
# Misuse: a Python exception every time

class TestMisuse(TempDirTest):

    def test_closed_network(self):
        net = self.small_network()
        net.close()
        calls = [
            lambda: net.person_add("x"),
            lambda: net.person_set_name("me", "x"),
            lambda: net.person_set_attr("me", "a", "b"),
            lambda: net.person_get("me"), lambda: net.person_remove("me"),
            lambda: net.person_list(), lambda: net.tie_set("me", "lena"),
            lambda: net.tie_get("me", "lena"),
            lambda: net.tie_remove("me", "lena"),
            lambda: net.tie_list("me"), lambda: net.offer_add("me", "t"),
            lambda: net.offer_set("me", "t"),
            lambda: net.offer_remove("me", "t"), lambda: net.offer_list("me"),
            lambda: net.need_add("me", "t"), lambda: net.need_set("me", "t"),
            lambda: net.need_remove("me", "t"),
            lambda: net.need_list("me"), lambda: net.tag_people("t"),
            lambda: net.import_csv(people=self.db),
            lambda: net.prospects("me", "t"), lambda: net.providers("me", "t"),
            lambda: net.path("me", "lena"),
            # whom to ask and whom to introduce
            lambda: net.ask_first("me", "t"), lambda: net.matches("me"),
            # brokers
            lambda: net.connectors("me"),
            # the referral ledger
            lambda: net.intro_add("me", "lena", "ravi"),
            lambda: net.intro_set_status(1, "made"),
            lambda: net.intro_list(), lambda: net.balance("me"),
            # keeping in touch
            lambda: net.contact_log("me", "lena"),
            lambda: net.contact_list("me"), lambda: net.reconnect("me"),
            # groups
            lambda: net.group_add("g"), lambda: net.group_set_name("g", "G"),
            lambda: net.group_remove("g"),
            lambda: net.group_join("g", "me"),
            lambda: net.group_leave("g", "me"),
            lambda: net.group_list(), lambda: net.group_members("g"),
            # the tag taxonomy
            lambda: net.tag_relate("a", "alias", "b"),
            lambda: net.tag_unrelate("a", "alias", "b"),
            lambda: net.tag_relations(), lambda: net.tag_expand("t"),
            lambda: net.set_busy_timeout(10), lambda: net.verify(),
            # privacy
            lambda: net.person_forget("me"), lambda: net.person_export("me"),
            lambda: net.person_groups("me"),
            # finding people
            lambda: net.person_find("me"),
            # files other tools open
            lambda: net.export(os.path.join(self.tmp, "x.graphml"),
                               "graphml"),
            # contact files, one person one key
            lambda: net.import_linkedin(self.db),
            lambda: net.import_vcard(self.db),
            lambda: net.person_merge("me", "lena"),
        ]
        for call in calls:
            with self.assertRaises(netref.ClosedError) as cm:
                call()
            self.assertIsInstance(cm.exception, netref.InvalidArgument)
            self.assertEqual(cm.exception.code, netref.EINVAL)
        # Interrupting a closed network is a no-op, as in C.
        self.assertFalse(net.interrupt())
        public = {n for n in vars(netref.Network) if not n.startswith("_")
                  and callable(getattr(netref.Network, n))} - {
                      "close", "interrupt"}
        self.assertEqual(len(calls), len(public), sorted(public))

    def test_path(self):
        net = self.small_network(":memory:")
        net.person_add("far", "Far Away")
        paths = net.path("me", "lena", alternatives=2)
        self.assertGreaterEqual(len(paths), 1)
        best = paths[0]
        self.assertIsInstance(best, netref.Path)
        self.assertEqual(best.path[0], "me")
        self.assertEqual(best.path[-1], "lena")
        self.assertEqual(best.hops, len(best.path) - 1)
        self.assertEqual(best.introducer,
                         best.path[1] if best.hops > 1 else None)
        self.assertTrue(0 < best.strength <= 1)
        seen = set()
        for p in paths:  # alternatives share no intermediate person
            middle = set(p.path[1:-1])
            self.assertFalse(middle & seen)
            seen |= middle
        self.assertEqual(net.path("me", "far"), [])
        with self.assertRaises(netref.InvalidArgument):
            net.path("me", "me")
        with self.assertRaises(netref.NotFound):
            net.path("me", "nobody")
        for bad in (-1, 33):
            with self.assertRaises(netref.InvalidArgument):
                net.path("me", "lena", max_hops=bad)
        with self.assertRaises(netref.InvalidArgument):
            net.path("me", "lena", alternatives=21)
        with self.assertRaises(TypeError):
            net.path("me", "lena", max_hops="6")

    def test_wrong_types(self):
        net = self.small_network(":memory:")
        for bad in (None, 3, b"me", 1.5, ["me"]):
            with self.subTest(value=bad):
                with self.assertRaises(TypeError):
                    net.person_get(bad)
                with self.assertRaises(TypeError):
                    net.person_add(bad)
                with self.assertRaises(TypeError):
                    net.tie_set("me", bad)
                with self.assertRaises(TypeError):
                    net.prospects(bad, "party planning")
                with self.assertRaises(TypeError):
                    net.prospects("me", bad)
                with self.assertRaises(TypeError):
                    net.need_add("me", bad)
                with self.assertRaises(TypeError):
                    net.need_set(bad, "x")
                with self.assertRaises(TypeError):
                    net.offer_set("me", bad)
                with self.assertRaises(TypeError):
                    net.group_set_name(bad, "x")
        with self.assertRaises(TypeError):
            net.person_set_name("me", None)
        with self.assertRaises(TypeError):
            netref.open(None)
        with self.assertRaises(TypeError):
            netref.open(self.db, create="yes")
        with self.assertRaises(TypeError):
            netref.open(self.db, readonly=1)

    def test_strings_that_are_not_utf8(self):
        net = self.small_network(":memory:")
        for bad in ("\udcff", "me\ud800", "a\0b"):
            with self.subTest(value=ascii(bad)):
                with self.assertRaises(netref.InvalidArgument):
                    net.person_add(bad)
                with self.assertRaises(ValueError):
                    net.person_get(bad)
                with self.assertRaises(netref.InvalidArgument):
                    net.offer_add("me", bad)
                with self.assertRaises(netref.InvalidArgument):
                    net.prospects("me", bad)
                with self.assertRaises(netref.InvalidArgument):
                    net.tie_set("me", "lena", context=bad)
        with self.assertRaises(netref.InvalidArgument):
            netref.open("a\0b")
        self.assertEqual(len(net.person_list()), 5)

    def test_bad_hops_and_options(self):
        net = self.small_network(":memory:")
        for bad in (-1, 0, 7, 2 ** 31, 2 ** 64, -2 ** 40):
            with self.subTest(hops=bad):
                with self.assertRaises(netref.InvalidArgument):
                    net.prospects("me", "party planning", hops=bad)
                with self.assertRaises(netref.InvalidArgument):
                    net.providers("me", "catering", hops=bad)
        for bad in (True, False, 2.0, "2", None):
            with self.subTest(hops=bad):
                with self.assertRaises(TypeError):
                    net.prospects("me", "party planning", hops=bad)
        for hops in range(1, 7):
            net.prospects("me", "party planning", hops=hops)
        with self.assertRaises(netref.InvalidArgument):
            net.prospects("me", "party planning", limit=-1)
        # An int subclass is an int (the checks' fast path takes only
        # exactly int); a flag is exactly a bool.
        self.assertEqual(net.prospects("me", "party planning",
                                       hops=enum.IntEnum("H", "A B")(2)),
                         net.prospects("me", "party planning", hops=2))
        for bad in (0, 1, None):
            with self.subTest(exact=bad):
                with self.assertRaises(TypeError):
                    net.prospects("me", "party planning", exact=bad)
        with self.assertRaises(TypeError):
            net.prospects("me", "party planning", limit=True)
        with self.assertRaises(TypeError):
            net.prospects("me", "party planning", limit=1.0)
        for bad in (-1, float("inf"), float("nan")):
            with self.subTest(half_life=bad):
                with self.assertRaises(netref.InvalidArgument):
                    net.prospects("me", "party planning", half_life=bad)
        with self.assertRaises(TypeError):
            net.prospects("me", "party planning", half_life="90")
        with self.assertRaises(TypeError):
            net.prospects("me", "party planning", half_life=True)
        for bad in ("2026-13-45", "15/03/2026", ""):
            with self.subTest(today=bad):
                with self.assertRaises(netref.InvalidArgument):
                    net.prospects("me", "party planning", today=bad)
        with self.assertRaises(TypeError):
            net.prospects("me", "party planning", today=20260315)
        with self.assertRaises(netref.InvalidArgument):
            net.prospects("me", "   ")
        self.assertEqual(len(net.prospects("me", "party planning")), 2)


# --------------------------------------------------------------------------
# Cross-check with the C command-line tool

TAGS = ["party planning", "catering", "web design", "office space",
        "bookkeeping"]


def random_network(net, rng, people=70):
    """Fill net with a random network: people, ties with repeated
    strengths (so that ties in reach are common), offers and needs."""
    keys = [f"p{i:02d}" for i in range(people)] + ["zoë", "ärne", "Zed"]
    for k in keys:
        net.person_add(k, k.upper(), city=rng.choice(["Bath", "Bristol"]))
    strengths = [1.0, 0.5, 0.25, 0.8, 0.9, 0.75, 0.6, 0.3]
    pairs = set()
    while len(pairs) < len(keys) * 2:
        a, b = rng.sample(keys, 2)
        if (b, a) in pairs:
            continue
        pairs.add((a, b))
        s = rng.choice(strengths) if rng.random() < 0.7 else \
            round(rng.uniform(0.05, 1.0), 3)
        date = None
        if rng.random() < 0.7:
            date = (datetime.date(2024, 1, 1) + datetime.timedelta(
                days=rng.randrange(800))).isoformat()
        net.tie_set(a, b, s, date)
    for k in keys:
        for tag in rng.sample(TAGS, rng.randrange(3)):
            net.need_add(k, tag, rng.choice([1.0, 0.5, 0.8, 0.3]))
        for tag in rng.sample(TAGS, rng.randrange(2)):
            net.offer_add(k, tag)
    return keys


class TestAgainstTheCli(TempDirTest):

    def cli(self, *args):
        p = run_proc([CLI] + list(args))
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))
        return json.loads(p.stdout.decode("utf-8"))

    def compare(self, query, source, tag, hops, **opts):
        args = [query, "--db", self.db, "--from", source, "--tag", tag,
                "--hops", str(hops), "--json"]
        if "half_life" in opts:
            args += ["--half-life", repr(opts["half_life"])]
        if "today" in opts:
            args += ["--today", opts["today"]]
        want = self.cli(*args)
        with netref.open(self.db, readonly=True) as net:
            got = getattr(net, query)(source, tag, hops=hops, **opts)
        where = f"{query} --from {source} --tag {tag!r} --hops {hops} {opts}"
        self.assertEqual(want["source"], source, where)
        self.assertEqual(want["tag"], netref.normalize_tag(tag), where)
        self.assertEqual(want["hops"], hops, where)
        self.assertEqual(len(got), len(want["results"]), where)
        for i, (g, w) in enumerate(zip(got, want["results"])):
            for field in ("key", "name", "hops", "reach", "score",
                          "introducer", "tag"):
                self.assertEqual(getattr(g, field), w[field],
                                 f"{where}: row {i} field {field}")
            self.assertEqual(list(g.path), w["path"], f"{where}: row {i}")
        return len(got)

    def test_random_networks(self):
        if not os.access(CLI, os.X_OK):
            self.skipTest(f"no netref CLI at {CLI} (set NETREF_CLI)")
        rng = random.Random(20260315)
        with netref.open(self.db) as net:
            keys = random_network(net, rng)
        compared = 0
        for source in rng.sample(keys, 5) + ["zoë"]:
            for tag in TAGS[:3] + ["  Party   PLANNING "]:
                for hops in (1, 2, 3, 4):
                    compared += self.compare("prospects", source, tag, hops)
                compared += self.compare("providers", source, tag, 3)
                compared += self.compare("prospects", source, tag, 2,
                                         half_life=90.0, today="2026-03-15")
        self.assertGreater(compared, 200)  # the queries found people


# --------------------------------------------------------------------------
# The Python demo tells the same story as the C demo

class TestDemo(unittest.TestCase):

    def run_demo(self, args, *extra):
        env = dict(os.environ, PYTHONPATH=os.path.dirname(PACKAGE_DIR))
        return run_proc(args + list(extra), env=env, cwd=SOURCE_DIR)

    def test_same_output_as_the_c_demo(self):
        if not os.access(DEMO, os.X_OK):
            self.skipTest(f"no C demo at {DEMO} (set NETREF_DEMO)")
        for extra in ([], [DEMO_DATA]):
            c = self.run_demo([DEMO], *extra)
            py = self.run_demo([sys.executable, PY_DEMO], *extra)
            self.assertEqual(c.returncode, 0, c.stderr.decode())
            self.assertEqual(py.returncode, 0, py.stderr.decode())
            self.assertEqual(py.stdout.decode("utf-8"),
                             c.stdout.decode("utf-8"))
            self.assertIn("a) Who within two hops", py.stdout.decode())

    def test_failures(self):
        missing = os.path.join(tempfile.gettempdir(), "netref-no-such-dir")
        py = self.run_demo([sys.executable, PY_DEMO], missing)
        self.assertEqual(py.returncode, 1)
        self.assertIn("people.csv", py.stderr.decode())
        if os.access(DEMO, os.X_OK):
            c = self.run_demo([DEMO], missing)
            self.assertEqual(c.returncode, 1)
            self.assertEqual(py.stdout, c.stdout)
            self.assertEqual(py.stderr, c.stderr)
        py = self.run_demo([sys.executable, PY_DEMO], "a", "b")
        self.assertEqual(py.returncode, 2)
        self.assertIn("usage", py.stderr.decode())
        py = self.run_demo([sys.executable, PY_DEMO], "--help")
        self.assertEqual(py.returncode, 0)
        self.assertIn("usage", py.stdout.decode())


# --------------------------------------------------------------------------
# The README's Python example, pasted into an interactive python3

def readme_python_section(path):
    """(code, expected output or None) of the first ```python block in
    the first README section whose heading mentions Python, or None."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    blocks, in_section, fence, lang, body = [], False, None, None, []
    for line in lines:
        if fence is not None:
            if line.strip() == fence:
                if in_section:
                    blocks.append((lang, "\n".join(body) + "\n"))
                fence = None
            else:
                body.append(line)
            continue
        m = re.match(r"^(```+)\s*(\w*)", line.strip())
        if m:
            fence, lang, body = m.group(1), m.group(2).lower(), []
            continue
        h = re.match(r"^#{1,6}\s+(.*)", line)
        if h:
            if in_section:
                break
            in_section = "python" in h.group(1).lower()
    code = next((b for lang, b in blocks if lang in ("python", "py",
                                                      "pycon")), None)
    if code is None:
        return None
    text = next((b for lang, b in blocks if lang == "text"), None)
    return code, text


class TestReadme(unittest.TestCase):

    def test_python_example(self):
        found = readme_python_section(os.path.join(SOURCE_DIR, "README.md"))
        if found is None:
            self.skipTest("README.md has no Python section with a "
                          "```python block")
        code, expected = found
        env = dict(os.environ, PYTHONPATH=os.path.dirname(PACKAGE_DIR))
        p = subprocess.run([sys.executable, "-i", "-q"], input=code,
                           env=env, cwd=SOURCE_DIR, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           encoding="utf-8", timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        prompts = re.sub(r"(>>> |\.\.\. )", "", p.stderr).strip()
        self.assertEqual(prompts, "", "the pasted example failed")
        if expected is not None:
            self.assertEqual(p.stdout, expected)


# --------------------------------------------------------------------------
# The referral ledger

class TestAskFirstAndMatches(TempDirTest):
    """ask_first and matches on the small network."""

    def test_ask_first(self):
        net = self.small_network(":memory:")
        rows = net.ask_first("me", "Party Planning")
        self.assertEqual(rows, [
            netref.AskFirstRow("priya", "Priya N", 0.9 * 0.85, 1, ("ravi",)),
            netref.AskFirstRow("lena", "Lena Lee", 0.95 * 0.7, 1,
                               ("fatima",)),
            netref.AskFirstRow("ravi", "Ravi Shah", 0.2, 1, ("ravi",)),
        ])
        with self.assertRaises(Exception):
            rows[0].score = 1.0
        self.assertEqual(net.ask_first("me", "party planning", hops=1),
                         [netref.AskFirstRow("ravi", "Ravi Shah", 0.2, 1,
                                             ("ravi",))])
        offers = net.ask_first("me", "catering", role="offers")
        self.assertEqual([(r.key, r.score) for r in offers],
                         [("lena", 0.95), ("priya", 0.9 * 0.85),
                          ("ravi", 0.2)])
        self.assertEqual(net.ask_first("me", "catering", role="needs"), [])
        self.assertEqual(len(net.ask_first("me", "catering", limit=1)), 1)
        with self.assertRaises(netref.NotFound):
            net.ask_first("me", "nobody holds this")
        # three targets at most in top, the best first
        for k in ("t1", "t2", "t3", "t4"):
            net.person_add(k)
            net.tie_set("priya", k, 0.5)
            net.offer_add(k, "x")
        row = net.ask_first("me", "x")[0]
        self.assertEqual((row.key, row.reached, row.top),
                         ("priya", 4, ("t1", "t2", "t3")))
        self.assertEqual(row.score, 4 * (0.9 * 0.5))

    def test_ask_first_errors(self):
        net = self.small_network(":memory:")
        with self.assertRaises(netref.NotFound):
            net.ask_first("nobody", "catering")
        with self.assertRaises(netref.InvalidArgument):
            net.ask_first("me", "catering", role="both")
        with self.assertRaises(TypeError):
            net.ask_first("me", "catering", role=3)
        with self.assertRaises(netref.InvalidArgument):
            net.ask_first("me", "   ")
        with self.assertRaises(netref.InvalidArgument):
            net.ask_first("me", "catering", hops=7)

    def test_matches(self):
        net = self.small_network(":memory:")
        self.assertEqual(net.matches("me"), [])
        net.offer_add("priya", "party planning")
        net.need_add("fatima", "catering", 0.5)
        rows = net.matches("me")
        ra_fatima = 0.95 * 0.7
        self.assertEqual(rows, [
            netref.Match("fatima", "priya", "party planning",
                         0.6 * ra_fatima * 0.9, ra_fatima, 0.9,
                         "Fatima B", "Priya N", "party planning"),
            netref.Match("fatima", "ravi", "catering",
                         0.5 * ra_fatima * (0.9 * 0.85), ra_fatima,
                         0.9 * 0.85, "Fatima B", "Ravi Shah", "catering"),
        ])
        self.assertEqual([m.tag for m in net.matches("me", tag="CATERING")],
                         ["catering"])
        self.assertEqual(len(net.matches("me", limit=1)), 1)
        self.assertEqual(net.matches("me", hops=1), [])
        with self.assertRaises(netref.NotFound):
            net.matches("me", tag="unknown tag")
        with self.assertRaises(netref.NotFound):
            net.matches("nobody")
        with self.assertRaises(netref.InvalidArgument):
            net.matches("me", tag="")
        with self.assertRaises(netref.InvalidArgument):
            net.matches("me", limit=-1)


class TestLedger(TempDirTest):
    """intro_add, intro_set_status, intro_list, balance."""

    def net(self, path=None):
        net = netref.open(path or ":memory:")
        self.addCleanup(net.close)
        for key in ("ana", "bo", "cy", "dee", "eve"):
            net.person_add(key, key.title())
        return net

    def test_constants_match_the_header(self):
        from netref import _network
        for name, value in _network._INTRO_STATUSES.items():
            with self.subTest(status=name):
                self.assertEqual(
                    int(header_macro("NETREF_INTRO_" + name.upper())), value)
                self.assertEqual(_ffi._lib.netref_intro_status_name(value),
                                 name.encode())
        self.assertIsNone(_ffi._lib.netref_intro_status_name(0))

    def test_record_move_and_list(self):
        net = self.net()
        first = net.intro_add("ana", "bo", "cy", tag=" Party  Planning",
                              date=datetime.date(2026, 1, 5),
                              note="at the Nov evening", status="made")
        second = net.intro_add("cy", "dee", "ana", date="2026-01-01")
        self.assertIsInstance(first, int)
        self.assertGreater(second, first)
        net.intro_set_status(first, "accepted", "2026-01-06")
        net.intro_set_status(first, "converted", "2026-02-01", value=1250.5)
        got = net.intro_list()
        self.assertEqual([i.id for i in got], [second, first])
        self.assertEqual(got[1], netref.Introduction(
            id=first, introducer="ana", seeker="bo", target="cy",
            tag="party planning", created=datetime.date(2026, 1, 5),
            status=netref.Status.CONVERTED,
            changed=datetime.date(2026, 2, 1), made=datetime.date(2026, 1, 5),
            note="at the Nov evening", value=1250.5, warm_tie=False))
        self.assertIs(got[0].status, netref.Status.PROPOSED)
        self.assertEqual(got[0].status, "proposed")  # still equal to its str
        self.assertIsNone(got[0].made)
        self.assertIsNone(got[0].value)
        self.assertEqual(got[0].created, datetime.date(2026, 1, 1))
        self.assertEqual([i.id for i in net.intro_list("bo")], [first])
        self.assertEqual([i.id for i in net.intro_list("ana")],
                         [second, first])
        self.assertEqual(net.intro_list("eve"), [])
        with self.assertRaises(dataclasses.FrozenInstanceError):
            got[0].status = "made"
        # Today by default.
        third = net.intro_add("eve", "ana", "bo")
        self.assertEqual(net.intro_list("eve")[0].created,
                         datetime.date.today())
        net.intro_set_status(third, netref.Status.DECLINED)
        self.assertIs(net.intro_list("eve")[0].status, netref.Status.DECLINED)

    def test_moves_that_are_refused(self):
        net = self.net()
        i = net.intro_add("ana", "bo", "cy", status="accepted",
                          date="2026-01-05")
        with self.assertRaisesRegex(netref.InvalidArgument, "back from"):
            net.intro_set_status(i, "made")
        with self.assertRaisesRegex(netref.InvalidArgument, "already"):
            net.intro_set_status(i, "accepted")
        with self.assertRaisesRegex(netref.InvalidArgument, "before"):
            net.intro_set_status(i, "converted", "2026-01-04")
        with self.assertRaisesRegex(netref.InvalidArgument, "only when"):
            net.intro_set_status(i, "declined", value=3)
        # A value is for "converted" alone: 0 is a value too.
        with self.assertRaisesRegex(netref.InvalidArgument, "only when"):
            net.intro_set_status(i, "declined", value=0)
        self.assertIs(net.intro_list()[0].status, netref.Status.ACCEPTED)
        with self.assertRaises(netref.InvalidArgument):
            net.intro_set_status(i, "converted", value=-1)
        with self.assertRaises(netref.InvalidArgument):
            net.intro_set_status(i, "converted", value=float("nan"))
        with self.assertRaises(netref.InvalidArgument):
            net.intro_set_status(i, "won")
        with self.assertRaises(netref.NotFound):
            net.intro_set_status(i + 100, "converted")
        net.intro_set_status(i, "converted")  # value None: 0
        self.assertEqual(net.intro_list()[0].value, 0.0)
        with self.assertRaisesRegex(netref.InvalidArgument, "final"):
            net.intro_set_status(i, "declined")

    def test_bad_arguments(self):
        net = self.net()
        with self.assertRaisesRegex(netref.NotFound, "'zed'"):
            net.intro_add("ana", "zed", "cy")
        for who in (("ana", "bo", "bo"), ("ana", "ana", "bo"),
                    ("bo", "ana", "bo")):
            with self.subTest(who=who), \
                    self.assertRaises(netref.InvalidArgument):
                net.intro_add(*who)
        for status in ("converted", "declined", "maybe"):
            with self.subTest(status=status), \
                    self.assertRaises(netref.InvalidArgument):
                net.intro_add("ana", "bo", "cy", status=status)
        with self.assertRaises(netref.InvalidArgument):
            net.intro_add("ana", "bo", "cy", date="2026-02-30")
        with self.assertRaises(netref.InvalidArgument):
            net.intro_add("ana", "bo", "cy", tag="   ")
        with self.assertRaises(TypeError):
            net.intro_add("ana", "bo", "cy", status=2)
        with self.assertRaises(TypeError):
            net.intro_add("ana", "bo", "cy", warm_tie=1)
        with self.assertRaises(TypeError):
            net.intro_set_status("1", "made")
        with self.assertRaises(TypeError):
            net.intro_set_status(True, "made")
        with self.assertRaises(TypeError):
            net.intro_set_status(1, "converted", value="12")
        with self.assertRaises(netref.InvalidArgument):
            net.intro_set_status(2 ** 70, "made")
        with self.assertRaises(netref.NotFound):
            net.intro_list("zed")
        with self.assertRaises(netref.NotFound):
            net.balance("zed")
        with self.assertRaises(TypeError):
            net.balance(None)
        self.assertEqual(net.intro_list(), [])
        net.close()
        for call in (lambda: net.intro_add("ana", "bo", "cy"),
                     lambda: net.intro_set_status(1, "made"),
                     lambda: net.intro_list(), lambda: net.balance("ana")):
            with self.assertRaises(netref.ClosedError):
                call()

    def test_balance(self):
        net = self.net()
        # ana made 2 for bo (one converted for 100), one proposed (not
        # counted); bo made 1 for ana (converted for 40); cy made 1 for
        # ana, declined after being made; ana is only the target of one.
        i = net.intro_add("ana", "bo", "cy", date="2026-01-01",
                          status="made")
        net.intro_set_status(i, "converted", "2026-01-02", 100)
        net.intro_add("ana", "bo", "dee", date="2026-01-01", status="made")
        net.intro_add("ana", "bo", "eve", date="2026-01-01")
        i = net.intro_add("bo", "ana", "cy", date="2026-01-01")
        net.intro_set_status(i, "converted", "2026-01-03", 40)
        i = net.intro_add("cy", "ana", "eve", date="2026-01-01",
                          status="made")
        net.intro_set_status(i, "declined", "2026-01-03")
        net.intro_add("dee", "eve", "ana", date="2026-01-01", status="made")
        self.assertEqual(net.balance("ana"), [
            netref.BalanceRow("bo", "Bo", 2, 1, 2, 40.0, 100.0),
            netref.BalanceRow("cy", "Cy", 0, 1, 0, 0.0, 0.0),
        ])
        self.assertEqual(net.balance("bo"), [
            netref.BalanceRow("ana", "Ana", 1, 2, 2, 100.0, 40.0)])
        self.assertEqual(net.balance("eve")[0].made_by, 1)

    def test_warm_tie(self):
        net = self.net()
        i = net.intro_add("ana", "bo", "cy", date="2026-01-05",
                          warm_tie=True)
        with self.assertRaises(netref.NotFound):
            net.tie_get("bo", "cy")
        self.assertTrue(net.intro_list()[0].warm_tie)
        net.intro_set_status(i, "made", "2026-01-07")
        self.assertEqual(net.tie_get("bo", "cy"), netref.Tie(
            "cy", "Cy", 0.5, datetime.date(2026, 1, 7), "introduced by ana"))
        net.tie_set("dee", "eve", 0.25, "2025-01-01", "school")
        net.intro_add("ana", "dee", "eve", date="2026-01-05", status="made",
                      warm_tie=True)
        self.assertEqual(net.tie_get("eve", "dee"), netref.Tie(
            "dee", "Dee", 0.5, datetime.date(2026, 1, 5), "school"))
        net.intro_add("ana", "cy", "dee", status="made")  # off by default
        with self.assertRaises(netref.NotFound):
            net.tie_get("cy", "dee")

    def test_removing_a_person(self):
        net = self.net()
        net.intro_add("ana", "bo", "cy")
        keep = net.intro_add("bo", "cy", "dee")
        net.person_remove("ana")
        self.assertEqual([i.id for i in net.intro_list()], [keep])

    def test_read_only_file_from_before_the_ledger(self):
        net = self.net(self.db)
        net.intro_add("ana", "bo", "cy")
        net.close()
        con = sqlite3.connect(self.db)
        con.executescript(TIES_TWICE_SQL +
                          "DROP TABLE netref_state;"
                          " DROP TABLE group_member; DROP TABLE network_group;"
                          " DROP TABLE tag_relation;"
                          " DROP TABLE introduction; DROP TABLE interaction;"
                          " ALTER TABLE tie DROP COLUMN cadence;"
                          " PRAGMA user_version=1;")
        con.close()
        with netref.open(self.db, readonly=True) as ro:
            self.assertEqual(len(ro.person_list()), 5)
            with self.assertRaisesRegex(netref.VersionError,
                                        "referral ledger"):
                ro.intro_list()
            with self.assertRaises(netref.VersionError):
                ro.balance("ana")
            with self.assertRaises(netref.ReadOnly):
                ro.intro_add("ana", "bo", "cy")
        with netref.open(self.db) as rw:  # upgrades the file
            self.assertEqual(rw.intro_list(), [])
            rw.intro_add("ana", "bo", "cy")
        with netref.open(self.db, readonly=True) as ro:
            self.assertEqual(len(ro.intro_list()), 1)


class FourPeopleTest(unittest.TestCase):
    """A test on an in-memory network of me, ana, bo and cy."""

    def net(self):
        net = netref.open(":memory:")
        self.addCleanup(net.close)
        for key in ("me", "ana", "bo", "cy"):
            net.person_add(key, key.title())
        return net


class TestKeepingInTouch(FourPeopleTest):
    """tie_set(cadence=...), contact_log, contact_list, reconnect."""

    def test_cadence_contacts_and_reconnect(self):
        net = self.net()
        net.tie_set("me", "ana", 0.8, last_contact="2026-01-01")
        net.tie_set("ana", "bo", 0.5)
        net.need_add("me", "Catering")
        net.offer_add("bo", "catering")
        net.tie_set("me", "ana", cadence=10)
        self.assertEqual(net.tie_get("ana", "me"), netref.Tie(
            "me", "Me", 0.8, datetime.date(2026, 1, 1), None, 10))
        self.assertEqual(net.reconnect("me", today="2026-01-11"), [])
        rows = net.reconnect("me", today="2026-01-12")
        self.assertEqual(len(rows), 1)
        r = rows[0]
        self.assertIsInstance(r, netref.Reconnect)
        self.assertEqual((r.key, r.days_overdue, r.tags, r.people),
                         ("ana", 1, ("catering",), 1))
        self.assertAlmostEqual(r.score, 0.4)
        self.assertEqual(net.reconnect("me", hops=1, today="2026-01-12")[0]
                         .people, 0)
        cid = net.contact_log("me", "ana", "2026-01-20", kind="call",
                              note="lunch")
        self.assertGreater(cid, 0)
        self.assertEqual(net.reconnect("me", today="2026-01-25"), [])
        self.assertEqual(net.tie_get("me", "ana").last_contact,
                         datetime.date(2026, 1, 20))
        net.contact_log("me", "cy")  # creates the tie, today
        self.assertEqual(net.tie_get("me", "cy").strength, 0.5)
        contacts = net.contact_list("me")
        self.assertEqual([c.key for c in contacts], ["cy", "ana"])
        self.assertIsInstance(contacts[1], netref.Contact)
        self.assertEqual((contacts[1].id, contacts[1].kind,
                          contacts[1].note), (cid, "call", "lunch"))
        self.assertEqual([r.key for r in net.reconnect(
            "me", older_than=1, today="2099-01-01")], ["ana", "cy"])
        net.tie_set("me", "ana", 0.6)  # other fields keep the cadence
        self.assertEqual(net.tie_get("me", "ana").cadence, 10)
        net.tie_set("me", "ana", cadence=netref.CLEAR)
        self.assertIsNone(net.tie_get("me", "ana").cadence)
        self.assertEqual(net.tie_get("me", "ana").strength, 0.6)

    def test_a_cadence_creates_the_tie(self):
        net = self.net()
        net.tie_set("me", "ana", cadence=30)
        self.assertEqual(net.tie_get("ana", "me"), netref.Tie(
            "me", "Me", 0.5, None, None, 30))
        # Overdue at once: never contacted.
        self.assertEqual([r.key for r in net.reconnect(
            "me", today="2026-01-01")], ["ana"])

    def test_errors(self):
        net = self.net()
        for bad in (0, -3, 2 ** 31):
            with self.subTest(cadence=bad):
                with self.assertRaisesRegex(netref.InvalidArgument,
                                            "cadence"):
                    net.tie_set("me", "ana", cadence=bad)
        with self.assertRaises(netref.NotFound):
            net.tie_get("me", "ana")  # nothing was written
        for bad in ("30", 30.0, True):
            with self.subTest(cadence=bad):
                with self.assertRaises(TypeError):
                    net.tie_set("me", "ana", cadence=bad)
        with self.assertRaises(netref.NotFound):
            net.tie_set("me", "zed", cadence=3)
        with self.assertRaises(netref.InvalidArgument):
            net.tie_set("me", "me", cadence=3)
        with self.assertRaises(netref.InvalidArgument):
            net.contact_log("me", "me")
        with self.assertRaises(netref.InvalidArgument):
            net.contact_log("me", "ana", "2026-02-30")
        with self.assertRaises(netref.NotFound):
            net.contact_list("zed")
        with self.assertRaises(netref.NotFound):
            net.reconnect("zed")
        with self.assertRaises(netref.InvalidArgument):
            net.reconnect("me", older_than=-1)
        with self.assertRaises(TypeError):
            net.reconnect("me", older_than="3")


class TestFields(FourPeopleTest):
    """The optional fields of writes: None leaves a field out (a new
    record gets the default, an existing one keeps its value),
    netref.CLEAR clears it, "" is refused, and a refused value writes
    nothing."""

    def test_field_numbers_match_the_header(self):
        from netref import _fields
        macros = re.findall(r"#define\s+NETREF_FIELD_(\w+)\s+(\d+)",
                            header_text())
        self.assertGreaterEqual(len(macros), 12)
        for name, value in macros:
            with self.subTest(field=name):
                self.assertEqual(getattr(_fields, name), int(value))

    def test_clear(self):
        self.assertEqual(repr(netref.CLEAR), "netref.CLEAR")
        self.assertIs(type(netref.CLEAR)(), netref.CLEAR)
        self.assertIn("CLEAR", netref.__all__)
        self.assertNotEqual(netref.CLEAR, None)
        self.assertNotEqual(netref.CLEAR, "")

    def test_clear_every_clearable_field(self):
        net = self.net()
        net.tie_set("me", "ana", 0.7, "2026-01-01", "school", cadence=14)
        net.offer_add("ana", "catering", "cakes")
        for field in ("last_contact", "context", "cadence"):
            with self.subTest(field=field):
                before = net.tie_get("me", "ana")
                net.tie_set("me", "ana", **{field: netref.CLEAR})
                self.assertEqual(net.tie_get("ana", "me"),
                                 dataclasses.replace(before, key="me",
                                                     name="Me",
                                                     **{field: None}))
        self.assertEqual(net.tie_get("me", "ana"), netref.Tie(
            "ana", "Ana", 0.7, None, None, None))
        net.offer_set("ana", "catering", note=netref.CLEAR)
        self.assertEqual(net.offer_list("ana"),
                         [netref.Offer("catering", None)])
        # Clearing what has no value changes nothing and is no error.
        net.tie_set("me", "ana", context=netref.CLEAR)
        net.offer_set("ana", "catering", note=netref.CLEAR)
        self.assertEqual(net.offer_list("ana"),
                         [netref.Offer("catering", None)])

    def test_fields_that_cannot_be_cleared(self):
        net = self.net()
        net.tie_set("me", "ana", 0.7)
        net.need_add("ana", "catering", 0.4)
        with self.assertRaisesRegex(netref.InvalidArgument, "strength"):
            net.tie_set("me", "ana", netref.CLEAR, context="x")
        with self.assertRaisesRegex(netref.InvalidArgument, "weight"):
            net.need_set("ana", "catering", netref.CLEAR)
        self.assertEqual(net.tie_get("me", "ana"), netref.Tie(
            "ana", "Ana", 0.7, None, None))
        self.assertEqual(net.need_list("ana"),
                         [netref.Need("catering", 0.4)])

    def test_empty_text_is_refused(self):
        net = self.net()
        net.tie_set("me", "ana", 0.7, "2026-01-01", "school")
        net.offer_add("ana", "catering", "cakes")
        i = net.intro_add("me", "ana", "bo", date="2026-01-02")
        calls = {
            "tie context": lambda: net.tie_set("me", "ana", context=""),
            "tie last_contact": lambda: net.tie_set("me", "ana",
                                                    last_contact=""),
            "offer_set note": lambda: net.offer_set("ana", "catering", ""),
            "offer_add note": lambda: net.offer_add("ana", "pies", ""),
            "intro tag": lambda: net.intro_add("me", "ana", "cy", tag=""),
            "intro note": lambda: net.intro_add("me", "ana", "cy", note=""),
            "intro date": lambda: net.intro_add("me", "ana", "cy", date=""),
            "status date": lambda: net.intro_set_status(i, "made", ""),
            "contact kind": lambda: net.contact_log("me", "bo", kind=""),
            "contact note": lambda: net.contact_log("me", "bo", note=""),
            "contact date": lambda: net.contact_log("me", "bo", ""),
        }
        for what, call in calls.items():
            with self.subTest(what), self.assertRaisesRegex(
                    netref.InvalidArgument, "empty"):
                call()
        # Nothing was written.
        self.assertEqual(net.tie_get("me", "ana"), netref.Tie(
            "ana", "Ana", 0.7, datetime.date(2026, 1, 1), "school"))
        self.assertEqual(net.offer_list("ana"),
                         [netref.Offer("catering", "cakes")])
        self.assertEqual([(x.id, x.status) for x in net.intro_list()],
                         [(i, "proposed")])
        self.assertEqual(net.contact_list("me"), [])
        with self.assertRaises(netref.NotFound):
            net.tie_get("me", "bo")

    def test_a_refused_value_writes_nothing(self):
        net = self.net()
        # A new tie: the bad strength is refused before any write, so the
        # good fields with it are not written either.
        with self.assertRaisesRegex(netref.InvalidArgument,
                                    r"strength 1\.5 .*range"):
            net.tie_set("me", "ana", 1.5, "2026-01-01", "school",
                        cadence=30)
        with self.assertRaises(netref.NotFound):
            net.tie_get("me", "ana")
        # An existing tie keeps every field.
        net.tie_set("me", "ana", 0.7, "2026-01-01", "school", cadence=30)
        want = net.tie_get("me", "ana")
        bad = [dict(strength=1.5, context="new"),
               dict(strength=float("nan"), context="new"),
               dict(context="new", last_contact="2026-02-30"),
               dict(context="new", cadence=0),
               dict(context="new", last_contact="\udcff")]
        for kw in bad:
            with self.subTest(**{k: ascii(v) for k, v in kw.items()}):
                with self.assertRaises(netref.InvalidArgument):
                    net.tie_set("me", "ana", **kw)
                self.assertEqual(net.tie_get("me", "ana"), want)
        with self.assertRaises(TypeError):
            net.tie_set("me", "ana", context="new", cadence="30")
        self.assertEqual(net.tie_get("me", "ana"), want)
        # The other writes with fields.
        with self.assertRaises(netref.InvalidArgument):
            net.intro_add("me", "ana", "bo", note="n", date="2026-13-01")
        with self.assertRaises(netref.InvalidArgument):
            net.contact_log("me", "bo", "2026-02-30", note="n")
        with self.assertRaises(netref.InvalidArgument):
            net.need_add("ana", "catering", 2.0)
        with self.assertRaises(netref.InvalidArgument):
            net.offer_add("ana", "catering", "a\0b")
        self.assertEqual(net.intro_list(), [])
        self.assertEqual(net.contact_list("me"), [])
        self.assertEqual(net.need_list("ana"), [])
        self.assertEqual(net.offer_list("ana"), [])
        with self.assertRaises(netref.NotFound):
            net.tie_get("me", "bo")

    def test_value_only_with_converted(self):
        net = self.net()
        i = net.intro_add("me", "ana", "bo", date="2026-01-02")
        for status in ("made", "accepted", "declined"):
            for value in (0, 10.5):
                with self.subTest(status=status, value=value):
                    with self.assertRaisesRegex(netref.InvalidArgument,
                                                "only when"):
                        net.intro_set_status(i, status, "2026-01-03",
                                             value=value)
        self.assertIs(net.intro_list()[0].status, netref.Status.PROPOSED)
        net.intro_set_status(i, "made", "2026-01-03")
        net.intro_set_status(i, "converted", "2026-01-04", value=10.5)
        self.assertEqual(net.intro_list()[0].value, 10.5)


class TestTaxonomy(TempDirTest):
    """Tag relations, expansion in the queries, suggestions, group
    filter."""

    def net(self):
        net = self.small_network(":memory:")
        net.tag_relate("Party Planner", "alias", "party planning")
        net.tag_relate("kids birthday party", "broader", "party planning")
        net.need_add("priya", "kids birthday party", 0.5)
        return net

    def test_relations_and_expansion(self):
        net = self.net()
        self.assertEqual(net.tag_relations(), [
            netref.TagRelation("kids birthday party", "broader",
                               "party planning"),
            netref.TagRelation("party planner", "alias", "party planning")])
        self.assertEqual(len(net.tag_relations("party planner")), 1)
        self.assertEqual(net.tag_expand("party planning"), [
            netref.TagMatch("party planning", "self", 2),
            netref.TagMatch("kids birthday party", "narrower", 1),
            netref.TagMatch("party planner", "alias", 0)])
        self.assertEqual(net.tag_expand("party planning", exact=True),
                         [netref.TagMatch("party planning", "self", 2)])
        net.tag_unrelate("party planning", "alias", "party planner")
        with self.assertRaises(netref.NotFound):
            net.tag_unrelate("party planning", "alias", "party planner")
        with self.assertRaisesRegex(netref.InvalidArgument, "cycle"):
            net.tag_relate("party planning", "broader",
                           "kids birthday party")
        with self.assertRaises(netref.InvalidArgument):
            net.tag_relate("a", "narrower", "b")
        with self.assertRaises(TypeError):
            net.tag_relate("a", 1, "b")
        with self.assertRaises(TypeError):
            net.tag_expand("a", exact=1)

    def test_queries_expand(self):
        net = self.net()
        rows = net.prospects("me", "party planning")
        self.assertEqual([(r.key, r.tag) for r in rows],
                         [("ravi", "party planning"),
                          ("priya", "kids birthday party"),
                          ("fatima", "party planning")])
        rows = net.prospects("me", "party planning", exact=True)
        self.assertEqual([r.key for r in rows], ["ravi", "fatima"])
        asks = net.ask_first("me", "party planning", role="needs")
        self.assertEqual(asks[0].key, "priya")
        self.assertEqual(asks[0].reached, 2)
        net.offer_add("fatima", "kids birthday party")
        pairs = net.matches("me", hops=2, tag="party planning")
        self.assertIn(("ravi", "fatima", "party planning",
                       "kids birthday party"),
                      [(m.needer, m.provider, m.tag, m.offer_tag)
                       for m in pairs])
        self.assertNotIn("fatima", [m.provider for m in net.matches(
            "me", tag="party planning", exact=True)
            if m.tag == "party planning"])

    def test_reconnect_expands(self):
        net = self.net()
        net.tie_set("me", "lena", 0.95, "2020-01-01")
        net.need_add("me", "party planning")
        net.offer_add("fatima", "kids birthday party")
        rows = net.reconnect("me", older_than=30, today="2021-01-01")
        lena = [r for r in rows if r.key == "lena"][0]
        self.assertEqual(lena.tags, ("party planning",))
        rows = net.reconnect("me", older_than=30, today="2021-01-01",
                             exact=True)
        self.assertEqual([r for r in rows if r.key == "lena"][0].tags, ())
        with self.assertRaises(TypeError):
            net.reconnect("me", exact="yes")

    def test_unknown_tag_suggests(self):
        net = self.net()
        with self.assertRaisesRegex(netref.NotFound,
                                    "did you mean 'party planning'"):
            net.providers("me", "party planing")
        with self.assertRaises(netref.NotFound):
            net.tag_expand("no such thing at all")

    def test_group_filter(self):
        net = self.net()
        net.group_add("nov", "November evening")
        net.group_join("nov", "ravi")
        rows = net.prospects("me", "party planning", group="nov")
        self.assertEqual([r.key for r in rows], ["ravi"])
        with self.assertRaises(netref.NotFound):
            net.prospects("me", "party planning", group="dec")
        with self.assertRaises(TypeError):
            net.prospects("me", "party planning", group=3)


# --------------------------------------------------------------------------
# Groups, and the import of taxonomy.csv and groups.csv

class TestGroups(TempDirTest):
    """group_add, group_remove, group_join, group_leave, group_list,
    group_members, import_csv(taxonomy=..., groups=...)."""

    def net(self):
        net = netref.open(":memory:")
        self.addCleanup(net.close)
        for key, name in (("ana", "Ana Lima"), ("bo", "Bo"), ("cy", "Cy")):
            net.person_add(key, name)
        return net

    def test_groups(self):
        net = self.net()
        self.assertEqual(net.group_list(), [])
        net.group_add("nov", "Nov 30 evening")
        net.group_add("bni")
        for person in ("cy", "ana", "ana"):  # joining twice is fine
            net.group_join("nov", person)
        net.group_join("bni", "bo")
        with self.assertRaisesRegex(netref.AlreadyExists, "nov") as cm:
            net.group_add("nov", "Another name")  # add only creates
        self.assertEqual(cm.exception.code, netref.EEXISTS)
        groups = net.group_list()
        self.assertEqual(groups, [netref.Group("bni", "bni", 1),
                                  netref.Group("nov", "Nov 30 evening", 2)])
        self.assertIsInstance(groups[0].members, int)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            groups[0].name = "x"
        members = net.group_members("nov")
        self.assertEqual(members, [netref.PersonSummary("ana", "Ana Lima"),
                                   netref.PersonSummary("cy", "Cy")])
        net.group_set_name("nov", "November")
        self.assertEqual(net.group_list()[1], netref.Group("nov", "November",
                                                           2))
        net.group_leave("nov", "ana")
        self.assertEqual([m.key for m in net.group_members("nov")], ["cy"])
        net.person_remove("cy")  # ends the membership
        self.assertEqual(net.group_members("nov"), [])
        net.group_remove("bni")
        self.assertEqual([g.key for g in net.group_list()], ["nov"])
        self.assertEqual(net.person_get("bo").name, "Bo")

    def test_errors(self):
        net = self.net()
        net.group_add("nov")
        with self.assertRaisesRegex(netref.NotFound, "dec"):
            net.group_join("dec", "ana")
        with self.assertRaisesRegex(netref.NotFound, "zed"):
            net.group_join("nov", "zed")
        with self.assertRaisesRegex(netref.NotFound, "not a member"):
            net.group_leave("nov", "ana")
        with self.assertRaises(netref.NotFound):
            net.group_members("dec")
        with self.assertRaises(netref.NotFound):
            net.group_remove("dec")
        with self.assertRaises(netref.InvalidArgument):
            net.group_add("")
        with self.assertRaises(netref.InvalidArgument):
            net.group_add("a\0b")
        with self.assertRaises(netref.InvalidArgument):
            net.group_join("nov", "a\udcffb")
        with self.assertRaises(TypeError):
            net.group_add(3)
        with self.assertRaises(TypeError):
            net.group_add("x", name=3)
        with self.assertRaises(TypeError):
            net.group_members(None)
        with self.assertRaisesRegex(netref.NotFound, "dec"):
            net.group_set_name("dec", "December")
        for bad in ("", "a\udcffb", "a\0b"):
            with self.subTest(name=ascii(bad)):
                with self.assertRaises(netref.InvalidArgument):
                    net.group_set_name("nov", bad)
        with self.assertRaises(TypeError):
            net.group_set_name("nov", None)
        self.assertEqual(net.group_list(), [netref.Group("nov", "nov", 0)])
        net.group_add("dec", "")  # "" is the key, as None
        self.assertEqual(net.group_list()[0], netref.Group("dec", "dec", 0))

    def test_readonly(self):
        with netref.open(self.db) as net:
            net.person_add("ana")
            net.group_add("nov")
            net.group_join("nov", "ana")
        with netref.open(self.db, readonly=True) as net:
            self.assertEqual(net.group_list(), [netref.Group("nov", "nov", 1)])
            with self.assertRaises(netref.ReadOnly):
                net.group_add("dec")
            with self.assertRaises(netref.ReadOnly):
                net.group_set_name("nov", "November")
            with self.assertRaises(netref.ReadOnly):
                net.group_leave("nov", "ana")

    def test_import(self):
        taxonomy = self.write("taxonomy.csv",
                              "tag,relation,other\n"
                              "Party Planner,alias,party planning\n"
                              "kids party,broader,Party Planning\n")
        groups = self.write("groups.csv",
                            "group,person\nnov,ana\nnov,bo\nbni,zed\n")
        with netref.open(self.db) as net:
            net.person_add("ana")
            net.person_add("bo")
            with self.assertRaisesRegex(netref.ParseError,
                                        r"groups\.csv:4: .*zed"):
                net.import_csv(taxonomy=taxonomy, groups=groups)
            self.assertEqual(net.group_list(), [])
            counts = net.import_csv(taxonomy=taxonomy,
                                    groups=pathlib.Path(groups),
                                    create_missing=True)
            self.assertEqual(counts, {"people": 0, "ties": 0, "offers": 0,
                                      "needs": 0, "taxonomy": 2,
                                      "groups": 3})
            self.assertEqual([(g.key, g.members) for g in net.group_list()],
                             [("bni", 1), ("nov", 2)])
            self.assertEqual(net.person_get("zed").name, "zed")
            bad = self.write("bad.csv", "tag,relation,other\na,narrower,b\n")
            with self.assertRaisesRegex(netref.ParseError,
                                        r"bad\.csv:2: .*narrower"):
                net.import_csv(taxonomy=bad)
            with self.assertRaises(TypeError):
                net.import_csv(groups=3)
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute("SELECT tag, relation, other FROM tag_relation"
                               " ORDER BY 1, 2, 3").fetchall()
        finally:
            con.close()
        self.assertEqual(rows, [("kids party", "broader", "party planning"),
                                ("party planner", "alias", "party planning")])


# ---- Brokers (connectors) -------------------------------------------------

class TestConnectors(TempDirTest):
    """connectors: betweenness within the source's k-hop network."""

    def test_connectors(self):
        net = self.small_network(":memory:")
        # me's 2-hop network: me, priya, ravi, lena, fatima; lena alone
        # joins fatima to the others (me, the source, is left out).
        rows = net.connectors("me")
        self.assertEqual(rows, [netref.Connector("lena", "Lena Lee", 1, 3.0)])
        self.assertIsInstance(rows[0].hops, int)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            rows[0].betweenness = 1.0
        self.assertEqual(net.connectors("me", hops=1), [])
        self.assertEqual(net.connectors("fatima", hops=3), [
            netref.Connector("me", "Jordan Lee", 2, 4.0),
            netref.Connector("lena", "Lena Lee", 1, 3.0)])
        self.assertEqual(len(net.connectors("fatima", hops=3, limit=1)), 1)
        self.assertEqual(len(net.connectors("fatima", hops=3, limit=0)), 2)

    def test_errors(self):
        net = self.small_network(":memory:")
        with self.assertRaises(netref.NotFound):
            net.connectors("nobody")
        with self.assertRaises(netref.InvalidArgument):
            net.connectors("me", hops=7)
        with self.assertRaises(netref.InvalidArgument):
            net.connectors("me", limit=-1)
        with self.assertRaises(TypeError):
            net.connectors("me", hops="2")
        with self.assertRaises(TypeError):
            net.connectors(None)

    def test_too_large(self):
        # A star of 12,000: 12,001 people x 12,000 ties is over the bound.
        n = 12000
        people = self.write("people.csv", "key,name\nhub,Hub\n" + "".join(
            f"p{i},P {i}\n" for i in range(n)))
        ties = self.write("ties.csv", "a,b\n" + "".join(
            f"hub,p{i}\n" for i in range(n)))
        with netref.open(self.db) as net:
            net.import_csv(people=people, ties=ties)
            with self.assertRaises(netref.LimitError) as cm:
                net.connectors("p0")
            self.assertEqual(cm.exception.code, netref.ELIMIT)
            self.assertIn("12001 people and 12000 ties", str(cm.exception))
            # The hub's own small part of it is fine: 2 people, 1 tie.
            net.tie_remove("hub", "p1")
            self.assertEqual(net.connectors("p0", hops=1), [])
        # A smaller star is answered: the hub joins every pair of leaves.
        ties = self.write("small.csv", "a,b\n" + "".join(
            f"hub,p{i}\n" for i in range(2000)))
        with netref.open(":memory:") as net:
            net.import_csv(people=people, ties=ties)
            rows = net.connectors("p0")
            self.assertEqual(rows, [netref.Connector("hub", "Hub", 1,
                                                     2000 * 1999 / 2)])


# --------------------------------------------------------------------------
# Stopping long calls: Ctrl-C and Network.interrupt()

_CHILD_IMPORT = r"""
import sys, netref
path, csv, mode = sys.argv[1:4]
with netref.open(path) as net:
    print("importing", flush=True)
    if mode == "callback":
        net.import_csv(people=csv, progress=lambda p, n: None)
    else:
        net.import_csv(people=csv)
    print("imported", flush=True)
"""


class TestCancellation(TempDirTest):
    def big_people_csv(self, rows):
        path = os.path.join(self.tmp, "big.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("key,name\n")
            f.writelines(f"k{i:07d},Person number {i}\n" for i in range(rows))
        return path

    def ctrl_c_during_import(self, mode):
        csv = self.big_people_csv(600000)
        with netref.open(self.db) as net:
            net.person_add("before", "Before")
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD_IMPORT, self.db, csv, mode],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(child.stdout.readline().strip(), "importing")
        time.sleep(0.3)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
        self.assertNotIn("imported", out)
        self.assertIn("KeyboardInterrupt", err)
        self.assertNotEqual(child.returncode, 0)
        # The import was rolled back: the file holds what it held before.
        with netref.open(self.db, readonly=True) as net:
            self.assertEqual([p.key for p in net.person_list()], ["before"])

    def test_ctrl_c_during_import_with_progress(self):
        self.ctrl_c_during_import("callback")

    def test_ctrl_c_during_import_without_callback(self):
        # No Python code runs during the import: the binding's SIGINT
        # watcher interrupts the C call (else it would commit first).
        self.ctrl_c_during_import("plain")

    def test_interrupt_from_another_thread(self):
        people = self.write("p.csv", "key,name\n" + "".join(
            f"k{i},K{i}\n" for i in range(20000)))
        ties = self.write("t.csv", "a,b,strength\n" + "".join(
            f"k{i},k{(i * 7919 + j * 104729) % 20000},0.{1 + (i + j) % 9}\n"
            for i in range(20000) for j in range(4)
            if (i * 7919 + j * 104729) % 20000 != i))
        needs = self.write("n.csv", "person,tag\n" + "".join(
            f"k{i},help\n" for i in range(0, 20000, 3)))
        with netref.open(":memory:") as net:
            net.import_csv(people=people, ties=ties, needs=needs)
            full = net.prospects("k0", "help", hops=6)
            self.assertGreater(len(full), 1000)
            self.assertFalse(net.interrupt())  # nothing running
            stop = threading.Event()

            def keep_interrupting():
                while not stop.is_set():
                    net.interrupt()
                    time.sleep(0.0005)

            t = threading.Thread(target=keep_interrupting)
            t.start()
            canceled = 0
            try:
                for _ in range(5000):
                    try:
                        self.assertEqual(
                            net.prospects("k0", "help", hops=6), full)
                    except netref.Canceled as e:
                        self.assertEqual(e.code, netref.ECANCELED)
                        canceled += 1
                        break
            finally:
                stop.set()
                t.join()
            self.assertEqual(canceled, 1)
            self.assertEqual(net.prospects("k0", "help", hops=6), full)

    def test_busy_timeout(self):
        with netref.open(self.db) as net:
            net.set_busy_timeout(0)
            net.set_busy_timeout(250)
            with self.assertRaises(netref.InvalidArgument):
                net.set_busy_timeout(-1)
            with self.assertRaises(TypeError):
                net.set_busy_timeout(1.5)


# --------------------------------------------------------------------------
# Privacy: everything held about one person, and forgetting them

class TestPrivacy(TempDirTest):
    """person_export, person_groups and person_forget."""

    # Text that is only zoe's: none of it may survive person_forget.
    TRACES = ["zq-zoe", "Zq Zoe", "zq-city", "zq-context", "zq offer tag",
              "zq-offer-note", "zq-intro-note", "zq-contact-note"]

    def zoe_network(self):
        net = netref.open(self.db)
        self.addCleanup(net.close)
        net.person_add("zq-zoe", "Zq Zoe", city="zq-city")
        for key in ("ana", "bo", "cy"):
            net.person_add(key, key.title())
        net.tie_set("zq-zoe", "ana", 0.75, "2026-01-02", "zq-context")
        net.tie_set("ana", "bo", 0.5, context="kept context")
        net.offer_add("zq-zoe", "zq offer tag", "zq-offer-note")
        net.need_add("zq-zoe", "plumbing", 0.5)
        net.intro_add("ana", "zq-zoe", "bo", date="2026-01-03",
                      note="zq-intro-note")
        net.intro_add("ana", "bo", "cy", date="2026-01-04", note="kept")
        net.contact_log("zq-zoe", "cy", "2026-01-05", kind="call",
                        note="zq-contact-note")
        net.group_add("nov", "Nov evening")
        net.group_add("bni")
        net.group_join("nov", "zq-zoe")
        net.group_join("bni", "zq-zoe")
        net.group_join("nov", "ana")
        return net

    def files_holding(self, text):
        return [suffix for suffix in ("", "-wal", "-journal", "-shm")
                if os.path.exists(self.db + suffix)
                and text.encode() in pathlib.Path(self.db + suffix)
                .read_bytes()]

    def test_export(self):
        net = self.zoe_network()
        got = net.person_export("zq-zoe")
        self.assertIsInstance(got, netref.PersonExport)
        self.assertEqual(got.person, netref.Person("zq-zoe", "Zq Zoe",
                                                   {"city": "zq-city"}))
        self.assertEqual([(t.key, t.context) for t in got.ties],
                         [("ana", "zq-context"), ("cy", None)])
        self.assertEqual(got.offers, (netref.Offer("zq offer tag",
                                                   "zq-offer-note"),))
        self.assertEqual(got.needs, (netref.Need("plumbing", 0.5),))
        self.assertEqual([i.note for i in got.introductions],
                         ["zq-intro-note"])
        self.assertEqual([(c.key, c.note) for c in got.contacts],
                         [("cy", "zq-contact-note")])
        self.assertEqual(got.groups, (netref.GroupSummary("bni", "bni"),
                                      netref.GroupSummary("nov",
                                                          "Nov evening")))
        self.assertEqual(net.person_groups("bo"), [])
        with self.assertRaises(dataclasses.FrozenInstanceError):
            got.ties = ()
        with self.assertRaises(netref.NotFound):
            net.person_export("nobody")
        with self.assertRaises(netref.NotFound):
            net.person_groups("nobody")

    def test_export_is_what_the_cli_prints(self):
        if not os.access(CLI, os.X_OK):
            self.skipTest(f"no netref CLI at {CLI} (set NETREF_CLI)")
        net = self.zoe_network()
        got = net.person_export("zq-zoe").as_dict()
        p = run_proc([CLI, "person", "export", "zq-zoe", "--db", self.db,
                      "--json"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(got, json.loads(p.stdout.decode("utf-8")))
        self.assertEqual(json.loads(json.dumps(got)), got)  # plain data

    def test_forget(self):
        net = self.zoe_network()
        for text in self.TRACES:
            self.assertTrue(self.files_holding(text), text)
        net.person_forget("zq-zoe")
        for text in self.TRACES:
            self.assertEqual(self.files_holding(text), [], text)
        with self.assertRaises(netref.NotFound):
            net.person_get("zq-zoe")
        self.assertEqual([i.note for i in net.intro_list()], ["kept"])
        self.assertEqual(net.tie_list("bo")[0].context, "kept context")
        self.assertEqual(net.group_members("nov"),
                         [netref.PersonSummary("ana", "Ana")])
        with self.assertRaises(netref.NotFound):
            net.person_forget("zq-zoe")
        with netref.open(self.db, readonly=True) as ro:
            with self.assertRaises(netref.ReadOnly):
                ro.person_forget("ana")

    def test_forget_beside_a_reader(self):
        net = self.zoe_network()
        reader = sqlite3.connect(self.db, isolation_level=None)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM person").fetchall()
            net.set_busy_timeout(0)
            with self.assertRaises(netref.Busy) as cm:
                net.person_forget("zq-zoe")
            self.assertIn("person 'zq-zoe' is removed", str(cm.exception))
            self.assertIn("until the other programs", str(cm.exception))
            with self.assertRaises(netref.NotFound):
                net.person_get("zq-zoe")
            reader.execute("COMMIT")
        finally:
            reader.close()
        net.close()
        for text in self.TRACES:
            self.assertEqual(self.files_holding(text), [], text)


# --------------------------------------------------------------------------
# Roles, statuses and relations as enums; dates as datetime.date

class TestExport(TempDirTest):
    """Network.export: every format, the CSV backup round trip, k-hop
    networks, errors and the progress callback (the files' contents are
    checked in tests/test_export.c and tests/export/test_readers.py)."""

    def hostile_network(self):
        net = self.small_network()
        net.person_set_attr("me", "Org", 'Acme, "Ltd"\r\nline two')
        net.person_set_attr("priya", "city", "  Lisboa \U0001F389 ")
        net.person_add('k,"q"', 'Comma, "Quote" <&>')
        net.tie_set("me", 'k,"q"', 0.3, context='met, "here"\nthere',
                    cadence=30)
        net.tag_relate("party planner", "alias", "party planning")
        net.group_add("nov", 'Nov 30, "evening"')
        net.group_join("nov", "me")
        net.group_add("empty")
        return net

    def listings(self, net):
        every = {}
        for p in net.person_list():
            d = net.person_export(p.key).as_dict()
            del d["introductions"], d["contacts"]  # not in the backup
            every[p.key] = d
        return {"every": every, "groups": net.group_list(),
                "members": {g.key: net.group_members(g.key)
                            for g in net.group_list()},
                "relations": net.tag_relations()}

    def test_each_format(self):
        net = self.hostile_network()
        for fmt, name, nfiles in (("graphml", "n.graphml", 1),
                                  ("gexf", "n.gexf", 1), ("json", "n.json", 1),
                                  ("dot", "n.dot", 1), ("csv", "csv", 6),
                                  ("neo4j", "neo", 9)):
            with self.subTest(format=fmt):
                path = os.path.join(self.tmp, name)
                got = net.export(path, netref.ExportFormat(fmt))
                self.assertIs(got.format, netref.ExportFormat(fmt))
                self.assertEqual(len(got.files), nfiles)
                self.assertEqual((got.people, got.ties), (6, 6))
                for f in got.files:
                    self.assertTrue(os.path.isfile(f), f)
                self.assertEqual(got.files[0] if nfiles == 1
                                 else os.path.dirname(got.files[0]), path)
                holdings = (0, 0) if fmt == "dot" else (2, 2)
                self.assertEqual((got.offers, got.needs), holdings)
                self.assertEqual(got.tag_relations,
                                 1 if fmt in ("csv", "neo4j") else 0)
                self.assertEqual(got.memberships, 1 if fmt in ("csv", "neo4j") else 0)
        # a str works as well as the member, a pathlib.Path as a str
        got = net.export(pathlib.Path(self.tmp, "s.json"), "json")
        self.assertIs(got.format, netref.ExportFormat.JSON)

    def test_csv_backup_round_trip(self):
        net = self.hostile_network()
        backup = os.path.join(self.tmp, "backup")
        got = net.export(backup, "csv")
        names = [os.path.basename(f) for f in got.files]
        with netref.open(os.path.join(self.tmp, "copy.db")) as copy:
            copy.import_csv(**{n[:-4]: os.path.join(backup, n)
                               for n in names})
            self.assertEqual(self.listings(copy), self.listings(net))
        self.assertEqual(net.person_get("me").attributes["Org"],
                         'Acme, "Ltd"\r\nline two')

    def test_k_hop_network(self):
        net = self.small_network()
        got = net.export(os.path.join(self.tmp, "me.json"), "json",
                         source="me", hops=1)
        self.assertEqual((got.people, got.ties), (4, 4))
        with open(got.files[0], encoding="utf-8") as f:
            nodes = json.load(f)["nodes"]
        self.assertEqual({n["id"]: n["hops"] for n in nodes},
                         {"me": 0, "priya": 1, "ravi": 1, "lena": 1})

    def test_errors(self):
        net = self.small_network()
        path = os.path.join(self.tmp, "x.graphml")
        with self.assertRaises(netref.NotFound):
            net.export(path, "graphml", source="nobody")
        with self.assertRaises(netref.FileError) as cm:
            net.export(os.path.join(self.tmp, "no", "x.graphml"), "graphml")
        self.assertIn("cannot create", str(cm.exception))
        with self.assertRaises(netref.InvalidArgument):
            net.export(path, "xml")
        with self.assertRaises(TypeError):
            net.export(path, 1)
        for hops in (0, 7):
            with self.assertRaises(netref.InvalidArgument):
                net.export(path, "graphml", source="me", hops=hops)
        with self.assertRaises(TypeError):
            net.export(path, "graphml", progress=3)
        self.assertFalse(os.path.exists(path))
        self.assertEqual(sorted(os.listdir(self.tmp)),
                         sorted(n for n in os.listdir(self.tmp)
                                if n.startswith("net.db")))

    def test_progress(self):
        net = self.small_network()
        calls = []
        path = os.path.join(self.tmp, "p.dot")
        net.export(path, "dot", progress=lambda p, n: calls.append((p, n)))
        self.assertEqual(calls, [(path, 10)])  # 5 people, 5 ties

        class Stop(Exception):
            pass

        def boom(p, n):
            raise Stop()
        with self.assertRaises(Stop):
            net.export(path + "2", "dot", progress=boom)
        with self.assertRaises(netref.Canceled):
            net.export(path + "2", "dot", progress=lambda p, n: True)
        self.assertFalse(os.path.exists(path + "2"))


class TestEnumsAndDates(FourPeopleTest):
    def test_members_are_the_strings(self):
        for cls, values in ((netref.Role, ("offers", "needs", "any")),
                            (netref.Status, ("proposed", "made", "accepted",
                                             "converted", "declined")),
                            (netref.Relation, ("alias", "broader")),
                            (netref.ExportFormat,
                             ("graphml", "gexf", "json", "dot", "csv",
                              "neo4j"))):
            with self.subTest(enum=cls.__name__):
                self.assertEqual([m.value for m in cls], list(values))
                for member, value in zip(cls, values):
                    self.assertIsInstance(member, str)
                    self.assertEqual(member, value)
                    self.assertIs(cls(value), member)
                    self.assertEqual(str(member), value)
                    self.assertEqual(f"{member}", value)
                    self.assertEqual(f"{member:>10}", f"{value:>10}")
                    self.assertEqual(json.dumps(member), json.dumps(value))

    def test_roles_accepted_and_returned(self):
        net = self.net()
        net.tie_set("me", "ana", 0.9)
        net.offer_add("ana", "catering")
        net.need_add("bo", "catering")
        for role in (netref.Role.ANY, "any"):
            got = net.tag_people("catering", role)
            self.assertEqual([(h.key, h.role) for h in got],
                             [("ana", "offers"), ("bo", "needs")])
            self.assertIs(got[0].role, netref.Role.OFFERS)
            self.assertIs(got[1].role, netref.Role.NEEDS)
        for role in (netref.Role.NEEDS, "needs"):
            self.assertEqual([h.key for h in net.tag_people("catering",
                                                            role)], ["bo"])
        self.assertEqual(
            net.ask_first("me", "catering", role=netref.Role.OFFERS),
            net.ask_first("me", "catering", role="offers"))
        with self.assertRaises(netref.InvalidArgument):
            net.tag_people("catering", "sells")
        with self.assertRaises(TypeError):
            net.tag_people("catering", 1)
        with self.assertRaises(netref.InvalidArgument):
            net.ask_first("me", "catering", role="offer")

    def test_relations_accepted_and_returned(self):
        net = self.net()
        net.tag_relate("pastry", netref.Relation.BROADER, "catering")
        net.tag_relate("food", "alias", "catering")
        got = net.tag_relations()
        self.assertEqual([(r.tag, r.relation, r.other) for r in got],
                         [("food", "alias", "catering"),
                          ("pastry", "broader", "catering")])
        self.assertIs(got[0].relation, netref.Relation.ALIAS)
        self.assertIs(got[1].relation, netref.Relation.BROADER)
        net.tag_unrelate("food", netref.Relation.ALIAS, "catering")
        net.tag_unrelate("pastry", "broader", "catering")
        self.assertEqual(net.tag_relations(), [])
        with self.assertRaises(netref.InvalidArgument):
            net.tag_relate("a", "narrower", "b")
        with self.assertRaises(TypeError):
            net.tag_relate("a", None, "b")

    def test_statuses_accepted_and_returned(self):
        net = self.net()
        i = net.intro_add("ana", "bo", "cy", date="2026-01-05",
                          status=netref.Status.MADE)
        got = net.intro_list()[0]
        self.assertIs(got.status, netref.Status.MADE)
        net.intro_set_status(i, netref.Status.ACCEPTED, "2026-01-06")
        self.assertIs(net.intro_list()[0].status, netref.Status.ACCEPTED)
        net.intro_set_status(i, "converted", "2026-01-07", value=5)
        self.assertIs(net.intro_list()[0].status, netref.Status.CONVERTED)
        for final in (netref.Status.CONVERTED, netref.Status.DECLINED):
            with self.subTest(status=final):
                with self.assertRaisesRegex(netref.InvalidArgument,
                                            "set with intro_set_status"):
                    net.intro_add("ana", "bo", "cy", status=final)
        with self.assertRaises(netref.InvalidArgument):
            net.intro_add("ana", "bo", "cy", status="done")
        with self.assertRaises(netref.InvalidArgument):
            net.intro_set_status(i, "done")
        with self.assertRaises(TypeError):
            net.intro_set_status(i, 4)

    def assertDate(self, value, expected):
        # A date, not a string and not a datetime (a datetime is a date).
        self.assertIs(type(value), datetime.date)
        self.assertEqual(value, expected)

    def test_dates_returned_as_date(self):
        net = self.net()
        day = datetime.date
        net.tie_set("me", "ana", 0.8, last_contact="2026-01-01")
        net.tie_set("me", "bo", 0.8, last_contact=day(2026, 1, 2))
        net.tie_set("me", "cy", 0.8)
        self.assertDate(net.tie_get("me", "ana").last_contact, day(2026, 1, 1))
        self.assertDate(net.tie_list("me")[1].last_contact, day(2026, 1, 2))
        self.assertIsNone(net.tie_get("me", "cy").last_contact)
        net.contact_log("me", "ana", day(2026, 2, 3), kind="call")
        contact = net.contact_list("me")[0]
        self.assertDate(contact.date, day(2026, 2, 3))
        rows = {r.key: r for r in net.reconnect("me", older_than=1,
                                                today="2026-03-01")}
        self.assertEqual(sorted(rows), ["ana", "bo", "cy"])
        self.assertDate(rows["ana"].last_contact, day(2026, 2, 3))
        self.assertIsNone(rows["cy"].last_contact)
        i = net.intro_add("ana", "bo", "cy", date="2026-01-05")
        intro = net.intro_list()[0]
        self.assertDate(intro.created, day(2026, 1, 5))
        self.assertDate(intro.changed, day(2026, 1, 5))
        self.assertIsNone(intro.made)
        net.intro_set_status(i, "made", day(2026, 1, 9))
        intro = net.intro_list()[0]
        self.assertDate(intro.changed, day(2026, 1, 9))
        self.assertDate(intro.made, day(2026, 1, 9))
        # A date read back is accepted again where a date is taken.
        net.tie_set("me", "cy", last_contact=intro.made)
        self.assertDate(net.tie_get("me", "cy").last_contact, day(2026, 1, 9))

    def test_a_bad_stored_date_is_a_netref_error(self):
        # A file changed by another program: the binding reports the cell
        # as a netref.Error, not a ValueError from date parsing.
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp, True)
        db = os.path.join(tmp, "bad-date.db")
        with netref.open(db) as net:
            net.person_add("a")
            net.person_add("b")
            net.tie_set("a", "b", 0.5, last_contact="2026-01-01")
        con = sqlite3.connect(db)
        con.execute("UPDATE tie SET last_contact = '2026-1-x'")
        con.commit()
        con.close()
        with netref.open(db) as net:
            with self.assertRaisesRegex(netref.Error,
                                        "bad date '2026-1-x'"):
                net.tie_get("a", "b")

    def test_export_as_dict_is_plain_strings(self):
        net = self.net()
        net.tie_set("me", "ana", 0.8, last_contact="2026-01-01")
        net.contact_log("me", "ana", "2026-02-03")
        net.intro_add("me", "ana", "bo", date="2026-01-05", status="made")
        got = net.person_export("me").as_dict()
        self.assertEqual(got["ties"][0]["last_contact"], "2026-02-03")
        self.assertEqual(got["contacts"][0]["date"], "2026-02-03")
        intro = got["introductions"][0]
        self.assertEqual((intro["created"], intro["made"], intro["status"]),
                         ("2026-01-05", "2026-01-05", "made"))
        for value in (got["ties"][0]["last_contact"], intro["status"]):
            self.assertIs(type(value), str)


# --------------------------------------------------------------------------
# Contact files (LinkedIn, vCard) and person merge

EXAMPLES = os.path.join(SOURCE_DIR, "examples", "data")
LI_HEADER = ("First Name,Last Name,URL,Email Address,Company,Position,"
             "Connected On\r\n")


class TestContactImport(TempDirTest):
    """import_linkedin, import_vcard, person_merge and ContactImport."""

    def net(self):
        net = netref.open(self.db)
        self.addCleanup(net.close)
        return net

    def test_example_files(self):
        net = self.net()
        net.import_csv(**{k: os.path.join(DEMO_DATA, k + ".csv")
                          for k in ("people", "ties", "offers", "needs",
                                    "taxonomy", "groups")})
        li = net.import_linkedin(pathlib.Path(EXAMPLES, "linkedin",
                                              "Connections.csv"))
        self.assertIsInstance(li, netref.ContactImport)
        # seven of the evening's people are found by e-mail or profile
        self.assertEqual(li, netref.ContactImport(24, 17, 7, 0))
        vc = net.import_vcard(os.path.join(EXAMPLES, "contacts.vcf"))
        self.assertEqual((vc.rows, vc.new, vc.updated, vc.unchanged),
                         (10, 5, 5, 0))
        nadia = net.person_get("nadia-rahman-loom")
        self.assertEqual(nadia.attributes["phone"], "+44 7700 900311")
        tie = net.tie_get("me", "nadia-rahman-loom")
        self.assertEqual((tie.context, tie.last_contact),
                         ("LinkedIn", datetime.date(2024, 3, 12)))
        net.person_merge("nadia", "nadia-rahman-loom")
        with self.assertRaises(netref.NotFound):
            net.person_get("nadia-rahman-loom")
        self.assertEqual(net.person_get("nadia").attributes["url"],
                         "https://www.linkedin.com/in/nadia-rahman-loom")
        again = net.import_linkedin(os.path.join(EXAMPLES, "linkedin",
                                                 "Connections.csv"))
        self.assertEqual(again, netref.ContactImport(24, 0, 0, 24))

    def test_owner_and_reimport(self):
        net = self.net()
        net.person_add("jordan", "Jordan Lee")
        first = self.write("c.csv", "\ufeffNotes:\r\n\"x\r\ny\"\r\n\r\n" +
                           LI_HEADER + "Zoë,Laurent 🎉,,,\"Confetti & Co., "
                           "Ltd\",,12 Mar 2024\r\n")
        got = net.import_linkedin(first, owner="jordan")
        self.assertEqual(got, netref.ContactImport(1, 1, 0, 0))
        self.assertEqual(net.person_get("zoë-laurent").attributes,
                         {"company": "Confetti & Co., Ltd"})
        net.tie_set("jordan", "zoë-laurent", 0.9, context="friends")
        second = self.write("c2.csv", LI_HEADER +
                            "Zoë,Laurent 🎉,,,Confetti,,1 Jan 2020\r\n")
        self.assertEqual(net.import_linkedin(second, owner="jordan"),
                         netref.ContactImport(1, 0, 1, 0))
        tie = net.tie_get("jordan", "zoë-laurent")
        self.assertEqual((tie.strength, tie.context, tie.last_contact),
                         (0.9, "friends", datetime.date(2024, 3, 12)))
        vcf = self.write("c.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\n"
                         "FN:Bo Chen\r\nEMAIL:bo@x.example\r\n"
                         "CATEGORIES:Friends\r\nEND:VCARD\r\n")
        self.assertEqual(net.import_vcard(vcf),
                         netref.ContactImport(1, 1, 0, 0))
        self.assertEqual(net.tie_get("me", "bo@x.example").context, "vCard")
        self.assertEqual([g.key for g in net.person_groups("bo@x.example")],
                         ["Friends"])

    def test_errors_and_progress(self):
        net = self.net()
        bad = self.write("bad.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:A\n")
        with self.assertRaisesRegex(netref.ParseError,
                                    "^" + re.escape(bad) + ":1: the card "
                                    "begun here has no END:VCARD"):
            net.import_vcard(bad)
        bad = self.write("bad.csv", LI_HEADER + "A,B,,,,,not a date\r\n")
        with self.assertRaisesRegex(netref.ParseError, ":2: bad date"):
            net.import_linkedin(bad)
        with self.assertRaises(netref.FileError):
            net.import_linkedin(os.path.join(self.tmp, "missing.csv"))
        with self.assertRaises(TypeError):
            net.import_vcard(3)
        with self.assertRaises(TypeError):
            net.import_linkedin(bad, owner=3)
        with self.assertRaises(netref.InvalidArgument):
            net.import_linkedin(bad, owner="")
        with self.assertRaises(TypeError):
            net.import_linkedin(bad, progress="print")
        self.assertEqual(net.person_list(), [])
        rows = "".join(f"P{i},Q,https://www.linkedin.com/in/p{i},,,,\r\n"
                       for i in range(5000))
        big = self.write("big.csv", LI_HEADER + rows)
        seen = []
        got = net.import_linkedin(big, progress=lambda p, n: seen.append(
            (p, n)))
        self.assertEqual(got.rows, 5000)
        self.assertEqual(seen, [(big, 4096), (big, 5000)])

        def boom(path, rows):
            raise KeyError("stop")
        with self.assertRaises(KeyError):
            net.import_linkedin(big, progress=boom)
        with self.assertRaises(netref.Canceled):
            net.import_vcard(os.path.join(EXAMPLES, "contacts.vcf"),
                             progress=lambda p, n: True)
        self.assertEqual(len(net.person_list()), 5001)

    def test_person_merge(self):
        net = self.net()
        for key in ("ana", "ana2", "bo"):
            net.person_add(key)
        net.tie_set("ana", "bo", 0.3)
        net.tie_set("ana2", "bo", 0.8, context="school")
        net.person_set_attr("ana2", "email", "a@x.example")
        net.offer_add("ana2", "catering")
        net.person_merge("ana", "ana2")
        self.assertEqual([(t.key, t.strength, t.context)
                          for t in net.tie_list("ana")],
                         [("bo", 0.8, "school")])
        self.assertEqual(net.person_get("ana").attributes,
                         {"email": "a@x.example"})
        self.assertEqual([o.tag for o in net.offer_list("ana")], ["catering"])
        with self.assertRaises(netref.NotFound):
            net.person_merge("ana", "ana2")
        with self.assertRaises(netref.InvalidArgument):
            net.person_merge("ana", "ana")
        with self.assertRaises(TypeError):
            net.person_merge("ana", None)


if __name__ == "__main__":
    unittest.main()
