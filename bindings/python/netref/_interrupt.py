"""Ctrl-C during a long call into the C library (private module).

Python runs its SIGINT handler (which raises KeyboardInterrupt) only
between bytecodes, so while a query or import runs in C the signal would
wait until the call has finished. To stop the call at once, the first
call made from the main thread installs a wakeup file descriptor
(:func:`signal.set_wakeup_fd`): the C-level signal handler of Python
writes the signal number to it immediately, and a daemon thread reading
it calls ``netref_interrupt`` on every handle that is inside a call. The
call then returns ``NETREF_ECANCELED`` (an import rolls back), and the
pending KeyboardInterrupt is raised as usual.

Nothing is installed when another part of the program already uses a
wakeup file descriptor (asyncio, for one), or when SIGINT does not raise
KeyboardInterrupt (the program handles it itself): calls then run to
completion, as before.
"""

import os
import signal
import threading
from typing import Any, Dict

from . import _ffi

__all__ = ["running", "finished", "interrupt_running"]

_lock = threading.Lock()
_running: Dict[int, Any] = {}  # id(handle) -> handle, inside a C call
_installed = False


def _watch(fd: int) -> None:
    while True:
        try:
            data = os.read(fd, 64)
        except OSError:
            return
        if not data:
            return
        if (signal.SIGINT in data and
                signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            interrupt_running()


def _install() -> None:
    global _installed
    _installed = True
    if threading.current_thread() is not threading.main_thread():
        _installed = False  # try again from the main thread
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    # Plain descriptors, kept open for the life of the process.
    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    try:
        previous = signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    except (ValueError, OSError):
        previous = None
    if previous != -1:  # failed, or someone else's: leave it to them
        if previous is not None:
            signal.set_wakeup_fd(previous)
        os.close(reader)
        os.close(writer)
        return
    threading.Thread(target=_watch, args=(reader,), name="netref-sigint",
                     daemon=True).start()


def running(handle: Any) -> None:
    """A C call on ``handle`` starts (from any thread)."""
    if not _installed:
        _install()
    with _lock:
        _running[id(handle)] = handle


def finished(handle: Any) -> None:
    """The C call on ``handle`` has returned."""
    with _lock:
        _running.pop(id(handle), None)


def interrupt_running(handle: Any = None) -> bool:
    """Interrupt the call running on ``handle`` (None: every handle);
    whether one was running."""
    with _lock:
        targets = (list(_running.values()) if handle is None else
                   [_running[id(handle)]] if id(handle) in _running else [])
        for h in targets:
            _ffi._lib.netref_interrupt(h)
        return bool(targets)
