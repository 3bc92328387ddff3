#!/usr/bin/env python3
"""Packaging of the Python binding (ctest: python.install).

* `cmake --install` of the build tree into a temporary prefix puts the
  package at <prefix>/$NETREF_PYTHON_INSTALL_DIR/netref (default
  lib/python3.X/site-packages), and a fresh python with only that
  directory on PYTHONPATH (NETREF_LIBRARY unset) imports it and finds the
  library installed under the same prefix.
* bindings/python/pyproject.toml builds: an sdist always (setuptools is
  here); a wheel, installed with pip --target and imported, only when the
  `wheel` module is importable (no PyPI on the test machines).

Environment: NETREF_BUILD_DIR (the build tree), NETREF_CMAKE (cmake),
NETREF_SOURCE_DIR, NETREF_PYTHON_INSTALL_DIR; in the sanitizer build
LD_PRELOAD and ASAN_OPTIONS for the python children.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("NETREF_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(HERE))
BUILD_DIR = os.environ.get("NETREF_BUILD_DIR") or os.path.join(SOURCE_DIR,
                                                               "build")
CMAKE = os.environ.get("NETREF_CMAKE") or "cmake"
PY_INSTALL_DIR = os.environ.get("NETREF_PYTHON_INSTALL_DIR") or \
    "lib/python%d.%d/site-packages" % sys.version_info[:2]
BINDING = os.path.join(SOURCE_DIR, "bindings", "python")
MODULES = ["__init__.py", "_errors.py", "_ffi.py", "_network.py",
           "_records.py", "py.typed"]

CHECK = r"""
import os, sys, netref
print(netref.__file__)
print(netref.library_path())
with netref.open(os.path.join(sys.argv[1], "x.db")) as net:
    net.person_add("me", "Me")
    net.person_add("ana", "Ana")
    net.tie_set("me", "ana", 0.75)
    net.need_add("ana", "Catering", 0.5)
    rows = net.prospects("me", "catering")
    print(rows[0].key, rows[0].score)
"""


def clean_env(**extra):
    """The environment without anything pointing at the build tree."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NETREF_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    env.update(extra)
    return env


def run(args, env, cwd=None):
    return subprocess.run(args, env=env, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=240)


class TestInstall(unittest.TestCase):

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="netref-pyinst-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def check_import(self, site, prefix):
        """A fresh python with only `site` on its path imports netref from
        there, loads the library from under prefix, and answers."""
        p = run([sys.executable, "-c", CHECK, self.tmp],
                clean_env(PYTHONPATH=site), cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr)
        module, library, answer = p.stdout.splitlines()
        self.assertTrue(module.startswith(os.path.join(site, "netref")),
                        module)
        self.assertTrue(library.startswith(prefix + os.sep), library)
        self.assertEqual(answer, "ana 0.375")

    def test_cmake_install(self):
        prefix = os.path.join(self.tmp, "prefix")
        # cmake is not instrumented: no sanitizer runtime for it.
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
        p = run([CMAKE, "--install", BUILD_DIR, "--prefix", prefix], env)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        site = os.path.join(prefix, PY_INSTALL_DIR)
        pkg = os.path.join(site, "netref")
        for name in MODULES:
            self.assertTrue(os.path.isfile(os.path.join(pkg, name)), name)
        self.assertFalse(os.path.exists(os.path.join(pkg, "__pycache__")))
        self.check_import(site, prefix)

    def copy_binding(self):
        dest = os.path.join(self.tmp, "src")
        shutil.copytree(BINDING, dest, ignore=shutil.ignore_patterns(
            "__pycache__", "*.egg-info", "build", "dist"))
        return dest

    def build(self, src, hook, out):
        code = ("import sys; from setuptools import build_meta as b; "
                f"print(b.{hook}(sys.argv[1]))")
        p = run([sys.executable, "-c", code, out], clean_env(), cwd=src)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return os.path.join(out, p.stdout.strip().splitlines()[-1])

    def test_sdist(self):
        if importlib.util.find_spec("setuptools") is None:
            self.skipTest("setuptools is not installed")
        src = self.copy_binding()
        sdist = self.build(src, "build_sdist", os.path.join(self.tmp, "d"))
        with tarfile.open(sdist) as tar:
            names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        for name in MODULES:
            self.assertIn("netref/" + name, names)
        self.assertIn("pyproject.toml", names)

    def test_wheel_and_pip(self):
        if importlib.util.find_spec("setuptools") is None or \
                importlib.util.find_spec("wheel") is None:
            self.skipTest("setuptools and wheel are needed to build a wheel")
        src = self.copy_binding()
        target = os.path.join(self.tmp, "target")
        p = run([sys.executable, "-m", "pip", "install", "--no-index",
                 "--no-build-isolation", "--no-deps", "--target", target,
                 src], clean_env())
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertTrue(os.path.isfile(os.path.join(target, "netref",
                                                    "py.typed")))
        lib = os.path.join(BUILD_DIR, "lib", "libnetref.so.1")
        env = clean_env(PYTHONPATH=target, NETREF_LIBRARY=lib)
        p = run([sys.executable, "-c", CHECK, self.tmp], env, cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
