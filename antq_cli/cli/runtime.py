"""Process-wide tuning of the antq command, kept apart from what it computes: the cyclic
garbage collector while a command runs, and how the process leaves.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager


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


def leave(code: int) -> None:
    """Exit once everything is printed, without tearing the heap down object by object:
    a country's merge holds about a million objects, which took 50 ms to free one by one
    (the operating system takes the whole process back at once). Every file antq writes is
    closed and renamed before this point; the reading processes have been joined."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (antq ... | head): nothing more to say
            code = code or 1
    os._exit(code)
