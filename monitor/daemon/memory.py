"""Keeping the long-running daemon process's memory flat: glibc malloc settings, periodic upkeep.

glibc gives threads that allocate at the same time arenas of their own (up to eight per core).
The daemon's scheduler threads each leave free space scattered in theirs, and that free space
slowly grows the resident memory of a process meant to run for months (``bench/soak.py``:
+0.3-0.5 MiB of malloc free space per 100 crawl cycles with the default, flat with two arenas;
docs/benchmarks.md, "Daemon"). The daemon allocates little, so two arenas cost it nothing.

Two more things grow slowly without being leaks: each pooled database connection keeps the
pages it read and its prepared statements (SQLite: up to 2 MiB of page cache and 128 statements
per connection, filling as the database grows), and glibc keeps freed memory inside its heaps.
``release_memory`` runs every ``recycle_interval``: it closes the idle pooled connections (the
next query opens a fresh one, as after a database restart) and hands free heap pages back to
the system, so that what the daemon holds is bounded by what one interval can fill.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import sys

from sqlalchemy import Engine

log = logging.getLogger(__name__)

#: ``M_ARENA_MAX`` and ``M_MMAP_THRESHOLD`` of glibc's ``mallopt`` (malloc.h).
M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3
#: glibc's initial threshold: blocks this large or larger get pages of their own.
MMAP_THRESHOLD = 128 * 1024


def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc on Linux (its malloc tuning calls), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def _mallopt(option: int, value: int) -> bool:
    libc = _glibc()
    if libc is None:
        return False
    libc.mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    libc.mallopt.restype = ctypes.c_int
    return bool(libc.mallopt(option, value))


def fix_mmap_threshold(size: int = MMAP_THRESHOLD) -> bool:
    """Keep large blocks in pages of their own, as ``MALLOC_MMAP_THRESHOLD_`` would; True if done.

    glibc raises its threshold each time such a block is freed (up to 32 MiB), after which
    large short-lived buffers (a crawl's report, the Atom feed being rewritten) come from the
    heap and leave it fragmented, growing the resident memory of a months-long process. A fixed
    threshold hands them back to the system when freed. The environment variable, when set,
    is the operator's choice and is left alone."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    done = _mallopt(M_MMAP_THRESHOLD, size)
    log.debug("malloc mmap threshold fixed at %d bytes: %s", size, done)
    return done


def limit_malloc_arenas(count: int = 2) -> bool:
    """Cap glibc's malloc arenas at ``count``, as ``MALLOC_ARENA_MAX`` would; True if done.

    A ``MALLOC_ARENA_MAX`` set in the environment is the operator's choice and is left alone;
    elsewhere than glibc on Linux this does nothing. Call it before the threads start."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    done = _mallopt(M_ARENA_MAX, count)
    log.debug("malloc arenas capped at %d: %s", count, done)
    return done


def release_memory(engine: Engine) -> bool:
    """Close the engine's idle pooled connections, collect garbage, and return free heap
    memory to the system (glibc's ``malloc_trim``); True if the heap was trimmed.

    Connections checked out by a running job are not closed: the job finishes with it, gives it
    back to the old pool, and pool and connection go with the next garbage collection
    (SQLAlchemy's ``Engine.dispose``). The daemon's lock keeps its own connection (PostgreSQL)
    or file (SQLite), so it is not touched."""
    engine.dispose()
    gc.collect()
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim.argtypes = (ctypes.c_size_t,)
    libc.malloc_trim.restype = ctypes.c_int
    return bool(libc.malloc_trim(0))
