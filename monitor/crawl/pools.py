"""Worker processes one crawl process shares between its spiders.

A crawl runs one Scrapy crawler per source in the same process, and each crawler opens its own
pipelines: a pool per pipeline would start a set of workers per source. A :class:`SharedPool`
lives in the crawl context instead, starts on the first spider that needs it and stops with the
last one.

A worker also ends when the crawl process dies without shutting its pool down (SIGKILL): it
would otherwise wait for work forever, holding its database connection.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from typing import Any


def _exit_with_parent(lifeline: Connection) -> None:
    """Wait for end of file on the lifeline: only the crawl process holds its other end, so
    that is the crawl process gone. Leave at once: an open transaction rolls back, and the
    page it was storing stays due for the next crawl."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(1)


def _start_worker(
    lifeline: Connection, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    threading.Thread(target=_exit_with_parent, args=(lifeline,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


@dataclass
class SharedPool:
    """A ``forkserver`` process pool opened by the first :meth:`acquire`, shut by the last
    :meth:`release` (queued work is cancelled then: what was not stored is fetched again on
    the next crawl, the frontier not having recorded it)."""

    workers: int
    initializer: Callable[..., None] | None = None
    initargs: tuple[Any, ...] = ()
    #: The start method's context (locks handed to ``initializer`` must come from it).
    context: ForkServerContext = field(
        default_factory=lambda: multiprocessing.get_context("forkserver")
    )
    #: Modules the fork server imports once, so that each worker starts with them loaded.
    preload: tuple[str, ...] = ()
    _users: int = field(default=0, init=False)
    _pool: Executor | None = field(default=None, init=False)
    #: The crawl process's end of the workers' lifeline (see :func:`_exit_with_parent`).
    _lifeline: Connection | None = field(default=None, init=False)

    def acquire(self) -> Executor:
        if self._pool is None:
            if self.preload:
                # Effective only before the fork server starts (it is one per process).
                self.context.set_forkserver_preload(list(self.preload))
            worker_end, self._lifeline = self.context.Pipe(duplex=False)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=self.context,
                initializer=_start_worker,
                initargs=(worker_end, self.initializer, self.initargs),
            )
        self._users += 1
        return self._pool

    def release(self) -> None:
        self._users -= 1
        if self._users <= 0 and self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._users = 0
            if self._lifeline is not None:
                self._lifeline.close()
                self._lifeline = None
