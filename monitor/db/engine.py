"""Engines for SQLite and PostgreSQL, with the connection problems turned into one clear line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from monitor.errors import DatabaseError


def redacted(url: str) -> str:
    """The URL without its password, fit for an error message or a log line."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL never corrupts the database; a power cut may lose the last
    # transactions, which the next crawl fetches again (the frontier has not recorded them).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


#: Seconds a PostgreSQL connection attempt may take (a URL's own ``connect_timeout`` wins).
POSTGRES_CONNECT_TIMEOUT = 10


def open_engine(url: str, *, check: bool = True) -> Engine:
    """Open an engine and (by default) prove the database answers, else raise DatabaseError."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"{url}: not a database URL") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise DatabaseError(f"{redacted(url)}: folder {folder} does not exist")
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        # A server cut off by the network (not refusing, just silent) would otherwise hold a
        # connection attempt for the kernel's TCP timeout, minutes: the daemon's lock check and
        # a crawl's store must fail fast and try again instead.
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT
    try:
        engine = create_engine(
            parsed,
            pool_pre_ping=True,
            connect_args=connect_args,
            # Keep accents readable in JSON columns (authors), so SQL on them sees real text.
            json_serializer=lambda value: json.dumps(value, ensure_ascii=False),
        )
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"{redacted(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if check:
        try:
            with engine.connect():
                pass
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseError(f"cannot connect to {redacted(url)}: {reason}") from None
    return engine
