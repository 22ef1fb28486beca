"""Fewer malloc arenas for the long-running daemon process.

glibc gives threads that allocate at the same time arenas of their own (up to eight per core).
The daemon's scheduler threads each leave free space scattered in theirs, and that free space
slowly grows the resident memory of a process meant to run for months (``bench/soak.py``:
+0.3-0.5 MiB of malloc free space per 100 crawl cycles with the default, flat with two arenas;
docs/benchmarks.md, "Daemon"). The daemon allocates little, so two arenas cost it nothing.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

#: ``M_ARENA_MAX`` of glibc's ``mallopt`` (malloc.h).
M_ARENA_MAX = -8


def limit_malloc_arenas(count: int = 2) -> bool:
    """Cap glibc's malloc arenas at ``count``, as ``MALLOC_ARENA_MAX`` would; True if done.

    A ``MALLOC_ARENA_MAX`` set in the environment is the operator's choice and is left alone;
    elsewhere than glibc on Linux this does nothing. Call it before the threads start."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(M_ARENA_MAX, count))
    log.debug("malloc arenas capped at %d: %s", count, done)
    return done
