"""Housekeeping for a database that runs for months: retention and the planner's statistics.

The fetch log grows with every crawl; the frontier (``url_state``) keeps what later crawls need
(validators, due dates), so old fetch rows can go. Raw HTML is not stored by this version, so
there is nothing of it to expire. Optimisation is what each backend's planner asks for:
``PRAGMA optimize`` and a WAL checkpoint on SQLite, ``VACUUM (ANALYZE)`` of the fetch log on
PostgreSQL (autovacuum does the rest).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from monitor.daemon import records
from monitor.daemon.settings import DaemonSettings

log = logging.getLogger(__name__)

#: Stopped daemons' heartbeat rows are kept this long (enough to see recent restarts).
HEARTBEAT_RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class MaintenanceReport:
    fetches_deleted: int
    heartbeats_deleted: int


def maintenance_due(engine: Engine, settings: DaemonSettings, now: datetime) -> bool:
    with Session(engine) as session:
        last = records.read_state(session, records.MAINTENANCE_KEY)
    if last is None:
        return True
    return now - datetime.fromisoformat(last) >= timedelta(seconds=settings.maintenance_interval)


def run_maintenance(engine: Engine, settings: DaemonSettings, now: datetime) -> MaintenanceReport:
    """Delete expired rows in one transaction, then optimise outside it."""
    with Session(engine) as session, session.begin():
        fetches = records.delete_old_fetches(
            session, now - timedelta(seconds=settings.fetch_retention)
        )
        heartbeats = records.delete_old_heartbeats(session, now - HEARTBEAT_RETENTION)
        records.write_state(session, records.MAINTENANCE_KEY, now.isoformat(), now)
    optimise(engine)
    report = MaintenanceReport(fetches, heartbeats)
    log.info(
        "maintenance: %d fetch rows and %d heartbeats deleted, database optimised",
        fetches,
        heartbeats,
        extra={"event": "maintenance", "fields": report.__dict__},
    )
    return report


def optimise(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("PRAGMA optimize"))
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            connection.execute(text("VACUUM (ANALYZE) fetches"))
            connection.execute(text("ANALYZE"))
