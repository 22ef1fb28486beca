"""Worker processes one crawl process shares between its spiders.

A crawl runs one Scrapy crawler per source in the same process, and each crawler opens its own
pipelines: a pool per pipeline would start a set of workers per source. A :class:`SharedPool`
lives in the crawl context instead, starts on the first spider that needs it and stops with the
last one.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.context import ForkServerContext
from typing import Any


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

    def acquire(self) -> Executor:
        if self._pool is None:
            if self.preload:
                # Effective only before the fork server starts (it is one per process).
                self.context.set_forkserver_preload(list(self.preload))
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=self.context,
                initializer=self.initializer,
                initargs=self.initargs,
            )
        self._users += 1
        return self._pool

    def release(self) -> None:
        self._users -= 1
        if self._users <= 0 and self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._users = 0
