#!/usr/bin/env python3
"""packaging.consumer: use an installed netref the way a user would.

1. `cmake --install BUILD --prefix WORK/prefix`, then check the installed
   files (header, shared and static libraries, SONAME link, pkg-config
   and CMake package files, the netref CLI, its manual page netref(1)
   and its bash completion).
2. Build consumer/consumer.c with `pkg-config --cflags --libs netref`
   and run it against the installed shared library.
3. Build it again with `pkg-config --static --libs netref` against
   libnetref.a (the rest linked as usual) and run it.
4. Configure and build consumer/CMakeLists.txt (find_package(netref),
   netref::netref and netref::netref_static) and run both programs.
5. Run the installed `netref --help`.

Every step must succeed; the consumers must print "consumer ok".
Options come from tests/packaging/CMakeLists.txt (see --help).
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys

failures = []


def log(msg):
    print(msg, flush=True)


def run(cmd, env=None, cwd=None, what=None):
    """Run a command; return (ok, stdout). Record a failure when it fails."""
    log("$ " + " ".join(shlex.quote(c) for c in cmd))
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, env=env, cwd=cwd,
                           timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        failures.append(f"{what or cmd[0]}: {e}")
        log(f"  error: {e}")
        return False, ""
    if p.stdout.strip():
        log("  " + p.stdout.rstrip().replace("\n", "\n  "))
    if p.returncode != 0:
        failures.append(f"{what or cmd[0]}: exit {p.returncode}")
        return False, p.stdout
    return True, p.stdout


def check(cond, what):
    if not cond:
        failures.append(what)
        log(f"  FAIL: {what}")
    return cond


def run_consumer(exe, env, what):
    ok, out = run([exe], env=env, what=what)
    if ok:
        check("consumer ok" in out.splitlines(), f"{what}: no 'consumer ok' line")


def pkg_config(args, env):
    ok, out = run(["pkg-config"] + args + ["netref"], env=env,
                  what="pkg-config " + " ".join(args))
    return shlex.split(out) if ok else None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cmake", required=True)
    ap.add_argument("--build-dir", required=True, help="the netref build tree")
    ap.add_argument("--work", required=True, help="scratch dir (emptied)")
    ap.add_argument("--source", required=True, help="tests/packaging/consumer")
    ap.add_argument("--cc", required=True)
    ap.add_argument("--generator", default="")
    ap.add_argument("--libdir", default="lib")
    ap.add_argument("--bindir", default="bin")
    ap.add_argument("--mandir", default="share/man")
    ap.add_argument("--datadir", default="share")
    ap.add_argument("--includedir", default="include")
    ap.add_argument("--soname", default="libnetref.so.1")
    ap.add_argument("--extra-flags", default="",
                    help="compile and link flags (sanitizers) for consumers")
    a = ap.parse_args()

    work = os.path.abspath(a.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    prefix = os.path.join(work, "prefix")
    libdir = os.path.join(prefix, a.libdir)
    extra = shlex.split(a.extra_flags)
    env = dict(os.environ)
    # Nothing from the build tree or an earlier install may leak in.
    for var in ("LD_LIBRARY_PATH", "CMAKE_PREFIX_PATH", "PKG_CONFIG_PATH",
                "C_INCLUDE_PATH", "CPATH", "LIBRARY_PATH"):
        env.pop(var, None)

    log("== 1. install into a fresh prefix")
    ok, _ = run([a.cmake, "--install", a.build_dir, "--prefix", prefix],
                what="cmake --install")
    if not ok:
        return report()
    for rel in (os.path.join(a.includedir, "netref.h"),
                os.path.join(a.libdir, "libnetref.so"),
                os.path.join(a.libdir, a.soname),
                os.path.join(a.libdir, "libnetref.a"),
                os.path.join(a.libdir, "pkgconfig", "netref.pc"),
                os.path.join(a.libdir, "cmake", "netref", "netrefConfig.cmake"),
                os.path.join(a.libdir, "cmake", "netref",
                             "netrefConfigVersion.cmake"),
                os.path.join(a.libdir, "cmake", "netref", "netrefTargets.cmake"),
                os.path.join(a.bindir, "netref"),
                os.path.join(a.mandir, "man1", "netref.1"),
                os.path.join(a.datadir, "bash-completion", "completions",
                             "netref")):
        check(os.path.exists(os.path.join(prefix, rel)), f"not installed: {rel}")
    check(os.path.islink(os.path.join(libdir, "libnetref.so")),
          "libnetref.so is not a symlink (the development link)")

    src = os.path.join(a.source, "consumer.c")
    pc_env = dict(env, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
    run_env = dict(env, LD_LIBRARY_PATH=libdir)

    log("== 2. pkg-config, shared library")
    flags = pkg_config(["--cflags", "--libs"], pc_env)
    for var, want in (("libdir", libdir),
                      ("includedir", os.path.join(prefix, a.includedir))):
        ok, out = run(["pkg-config", "--variable=" + var, "netref"],
                      env=pc_env, what="pkg-config --variable=" + var)
        if ok:
            check(os.path.realpath(out.strip()) == os.path.realpath(want),
                  f"netref.pc {var} is {out.strip()}, not in the prefix {want}")
    if flags is not None:
        exe = os.path.join(work, "consumer-pkgconfig")
        ok, _ = run([a.cc, "-std=c99", "-Wall", "-Wextra", "-Werror", src,
                     "-o", exe] + extra + flags + ["-lm"],
                    env=pc_env, what="cc (pkg-config)")
        if ok:
            run_consumer(exe, run_env, "consumer (pkg-config)")

    log("== 3. pkg-config --static, libnetref.a")
    flags = pkg_config(["--static", "--cflags", "--libs"], pc_env)
    if flags is not None:
        # As README.md shows: the archive by name, its dependencies from
        # Requires.private and Libs.private.
        if check("-lnetref" in flags, "pkg-config --libs has no -lnetref"):
            flags = ["-l:libnetref.a" if f == "-lnetref" else f for f in flags]
        exe = os.path.join(work, "consumer-static")
        ok, _ = run([a.cc, "-std=c99", "-Wall", "-Wextra", "-Werror", src,
                     "-o", exe] + extra + flags + ["-lm"],
                    env=pc_env, what="cc (pkg-config --static)")
        if ok:
            ok, dyn = run(["readelf", "-d", "-W", exe], what="readelf")
            check("libnetref" not in dyn,
                  "static consumer still needs libnetref.so")
            run_consumer(exe, env, "consumer (static)")

    log("== 4. CMake find_package(netref)")
    cbuild = os.path.join(work, "cmake-build")
    cfg = [a.cmake, "-S", a.source, "-B", cbuild,
           "-DCMAKE_PREFIX_PATH=" + prefix,
           "-DCMAKE_C_COMPILER=" + a.cc,
           "-DCMAKE_BUILD_TYPE=Release"]
    if a.generator:
        cfg += ["-G", a.generator]
    if extra:
        cfg += ["-DCMAKE_C_FLAGS=" + " ".join(extra),
                "-DCMAKE_EXE_LINKER_FLAGS=" + " ".join(extra)]
    ok, _ = run(cfg, env=env, what="cmake configure (consumer)")
    if ok:
        ok, _ = run([a.cmake, "--build", cbuild], env=env,
                    what="cmake build (consumer)")
    if ok:
        # The shared one runs through CMake's build RPATH, no LD_LIBRARY_PATH.
        run_consumer(os.path.join(cbuild, "consumer"), env,
                     "consumer (CMake, netref::netref)")
        run_consumer(os.path.join(cbuild, "consumer_static"), env,
                     "consumer (CMake, netref::netref_static)")

    log("== 5. installed netref CLI")
    cli = os.path.join(prefix, a.bindir, "netref")
    if check(os.access(cli, os.X_OK), f"{cli} is not an executable"):
        ok, out = run([cli, "--help"], env=env, what="netref --help")
        if ok:
            check("prospects" in out, "netref --help does not mention prospects")
    return report()


def report():
    if failures:
        log(f"packaging.consumer: {len(failures)} failure(s):")
        for f in failures:
            log(f"  - {f}")
        return 1
    log("packaging.consumer: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
