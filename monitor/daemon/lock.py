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
import threading
import time
from dataclasses import dataclass
from datetime import datetime
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
    """What the daemon needs of its lock. ``verify`` may be called from several threads."""

    @property
    def held(self) -> bool:
        """Whether the lock was ours at the last check (no database round trip)."""

    def acquire(self) -> None: ...

    def verify(self) -> bool:
        """Whether the lock is ours now, taking it again after a dropped connection. False:
        not ours for the moment, try later; LockLost: another daemon has it; a database error
        (SQLAlchemyError, DatabaseError): the server is unreachable, try later."""

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

    @property
    def held(self) -> bool:
        return self._fd is not None

    def verify(self) -> bool:
        """A held flock cannot be taken from us while the descriptor is open."""
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


@dataclass(frozen=True)
class _Session:
    """A PostgreSQL session: its backend pid and start time (a pid alone can be reused)."""

    pid: int
    started: datetime
    client: str | None = None


#: The session holding our advisory lock in this database, if any (pg_locks splits a bigint
#: key into its high and low 32 bits).
_HOLDER = text(
    "SELECT a.pid, a.backend_start, host(a.client_addr) FROM pg_locks l "
    "JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
    "AND l.classid = CAST(:high AS oid) AND l.objid = CAST(:low AS oid) "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
_OWN_SESSION = text("SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")


class AdvisoryLock:
    """``pg_try_advisory_lock`` on a dedicated connection (PostgreSQL).

    The server drops the lock with its session, so a network cut or an outage loses it. The
    daemon checks it before each crawl and at each heartbeat (:meth:`verify`): after a dropped
    connection it takes the lock again as soon as the server answers. If the lock is still held
    by this daemon's own session from before the cut (the server has not noticed the cut yet),
    that stale session is ended and the lock taken again; if another daemon holds it, LockLost.
    """

    #: How long to wait for the server to end our stale session and free its lock.
    STALE_SESSION_WAIT = 5.0

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._session: _Session | None = None
        self._mutex = threading.Lock()  # one connection, checked from crawl and main threads

    @property
    def held(self) -> bool:
        return self._connection is not None

    def _try(self) -> bool:
        connection = self.engine.connect()
        try:
            held = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            ).scalar()
            own = connection.execute(_OWN_SESSION).one() if held else None
            connection.commit()
        except BaseException:
            connection.close()
            raise
        if own is None:
            connection.close()
            return False
        self._connection = connection
        self._session = _Session(own[0], own[1])
        return True

    def _holder(self) -> _Session | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                _HOLDER, {"high": ADVISORY_KEY >> 32, "low": ADVISORY_KEY & 0xFFFFFFFF}
            ).first()
        return _Session(row[0], row[1], row[2]) if row is not None else None

    def acquire(self) -> None:
        try:
            with self._mutex:
                held = self._try()
        except SQLAlchemyError as exc:
            raise DatabaseError(f"cannot take the daemon lock: {exc.__class__.__name__}") from None
        if not held:
            raise DaemonAlreadyRunning(
                "another monitor daemon is running on this database "
                "(it holds the PostgreSQL advisory lock; `monitor status` shows its heartbeat)"
            )

    def verify(self) -> bool:
        with self._mutex:
            if self._connection is not None:
                try:
                    self._connection.execute(text("SELECT 1")).scalar()
                    self._connection.commit()
                    return True
                except SQLAlchemyError:
                    log.warning("daemon lock: its database connection dropped; taking it again")
                    self._discard()
            return self._take_again()

    def _take_again(self) -> bool:
        if self._try():
            log.info("daemon lock: taken again")
            return True
        holder = self._holder()
        if holder is None:  # freed between the two queries: the next check takes it
            return False
        mine = self._session
        if mine is None or (holder.pid, holder.started) != (mine.pid, mine.started):
            where = holder.client or "a local socket"
            raise LockLost(
                "another monitor daemon took the database lock while this daemon's connection "
                f"was down (PostgreSQL session pid {holder.pid} from {where}, started "
                f"{holder.started:%Y-%m-%d %H:%M:%S %Z}); this daemon stops, so that one daemon "
                "at a time crawls (`monitor status` shows the other one)"
            )
        log.warning(
            "daemon lock: still held by this daemon's session from before the cut (pid %d); "
            "ending that session",
            holder.pid,
        )
        with self.engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": holder.pid})
            connection.commit()
        deadline = time.monotonic() + self.STALE_SESSION_WAIT
        while time.monotonic() < deadline:
            if self._try():
                log.info("daemon lock: taken again")
                return True
            time.sleep(0.1)
        return False

    def _discard(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except SQLAlchemyError:
                pass
            self._connection = None

    def release(self) -> None:
        with self._mutex:
            if self._connection is None:
                return
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
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
