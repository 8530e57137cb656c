"""Process-wide tuning of the antq command, kept apart from what it computes: the cyclic
garbage collector while a command runs, the signals that stop it, its standard output (which
may be a closed pipe, a full disk or nothing at all), and how the process leaves.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import sys
from contextlib import contextmanager

# Exit codes beyond click's 0/1/2 (and 3 for an internal error): a signal's number above this
# (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP), and a reader of the output that went away (SIGPIPE).
EXIT_SIGNALLED = 128
CLOSED_PIPE = EXIT_SIGNALLED + 13

stopped_by = 0  # the number of the signal that stopped the command, 0 if none did


class Interrupted(KeyboardInterrupt):
    """A stop asked by a signal: raised where the command is, so whatever it was writing is
    removed on the way out (outputs/safe.py) and the reading processes are ended (run/pool.py),
    as Ctrl-C does. A KeyboardInterrupt, so that nothing that keeps one bad file from stopping
    a run (run/one_file.py) keeps it."""


def stop_on_signals() -> None:
    """Ctrl-C, SIGTERM (a caller's timeout, `kill`) and SIGHUP (a closed terminal) stop the
    command cleanly: an Interrupted raised in it, and `stopped_by` set."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, _stop)


def _stop(number: int, _frame: object) -> None:
    global stopped_by
    if stopped_by:  # asked again while stopping: leave at once
        os._exit(EXIT_SIGNALLED + number)
    stopped_by = number
    raise Interrupted(number)


@contextmanager
def no_collections():
    """The cyclic garbage collector off for the command, back as it was afterwards.

    A merge keeps nearly everything it makes until it prints: records, units, the roll-up.
    The collector would only scan them again and again, for nothing (a merge of 1,000
    communes leaves about 50 objects in cycles). Worker processes turn theirs back on
    (run/pool.py), as they read files anyone may have made.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (False when it is a pipe, a file or closed)."""
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (OSError, ValueError):
        return False


def check_stdout() -> None:
    """Raise OSError (EBADF) when there is no standard output to print to: the command was
    started with it closed (`antq ... >&-`), where rich would print into nothing."""
    if sys.stdout is None:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def flush_stdout() -> None:
    """Push what is printed out now, so a failure shows while it can still be said."""
    if sys.stdout is not None:
        sys.stdout.flush()


def forget_stdout() -> None:
    """Print nothing more to a standard output that failed (its buffer is dropped)."""
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives to the exit


def leave(code: int) -> None:
    """Exit once everything is printed, without tearing the heap down object by object:
    a country's merge holds about a million objects, which took 50 ms to free one by one
    (the operating system takes the whole process back at once). Every file antq writes is
    closed and renamed before this point; the reading processes have been joined."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (antq ... | head): nothing more to say
            code = code or CLOSED_PIPE
    os._exit(code)
