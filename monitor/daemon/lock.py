"""One daemon per database: a lock that a crash releases by itself.

PostgreSQL: a session advisory lock on a connection held for the daemon's life; the server drops
it when the session ends, however the process died. SQLite: an exclusive ``flock`` on a file next
to the database (``monitor.db.daemon.lock``) holding the owner's PID; the kernel releases it
when the process exits, even on SIGKILL, so a stale file never blocks a restart.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from monitor.errors import DatabaseError, MonitorError

log = logging.getLogger(__name__)

#: The advisory lock key: a fixed 63-bit number ("monitor" in ASCII), one per database.
ADVISORY_KEY = int.from_bytes(b"monitor", "big")


class DaemonAlreadyRunning(MonitorError):
    """Another daemon holds the lock on this database."""


class LockLost(MonitorError):
    """The lock was lost (its connection dropped) and another daemon took it meanwhile."""


class DaemonLock(Protocol):
    def acquire(self) -> None: ...

    def verify(self) -> None:
        """Raise LockLost when the lock is no longer ours; recover it when possible."""

    def release(self) -> None: ...


class FileLock:
    """``flock`` on ``<database>.daemon.lock`` (SQLite)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise DaemonAlreadyRunning(
                f"another monitor daemon is running on this database ({holder}; lock {self.path})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
        os.fsync(fd)
        self._fd = fd

    def verify(self) -> None:
        """A held flock cannot be taken from us while the descriptor is open."""

    def release(self) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


class AdvisoryLock:
    """``pg_try_advisory_lock`` on a dedicated connection (PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def _try(self) -> bool:
        connection = self.engine.connect()
        held = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
        ).scalar()
        connection.commit()
        if held:
            self._connection = connection
            return True
        connection.close()
        return False

    def acquire(self) -> None:
        try:
            held = self._try()
        except SQLAlchemyError as exc:
            raise DatabaseError(f"cannot take the daemon lock: {exc.__class__.__name__}") from None
        if not held:
            raise DaemonAlreadyRunning(
                "another monitor daemon is running on this database "
                "(it holds the PostgreSQL advisory lock; `monitor status` shows its heartbeat)"
            )

    def verify(self) -> None:
        """Check the lock's session is alive; after an outage take the lock again, or raise
        LockLost when another daemon got it meanwhile. While the server is unreachable the
        error propagates (SQLAlchemyError) and the caller tries again later."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1")).scalar()
                self._connection.commit()
                return
            except SQLAlchemyError:
                log.warning("daemon lock: its database connection dropped; taking it again")
                self._discard()
        if not self._try():
            raise LockLost("another monitor daemon took the database lock during an outage")
        log.info("daemon lock: taken again")

    def _discard(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except SQLAlchemyError:
                pass
            self._connection = None

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            self._connection.commit()
            self._connection.close()
        except SQLAlchemyError:  # the session is gone, and the lock with it
            pass
        self._connection = None


def daemon_lock(engine: Engine) -> DaemonLock:
    """The lock that fits the engine's backend (not yet acquired)."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(engine)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise DatabaseError("the daemon needs a database file, not an in-memory SQLite")
        return FileLock(Path(url.database + ".daemon.lock").expanduser().resolve())
    raise DatabaseError(f"no daemon lock for the {url.get_backend_name()} backend")
