"""The daemon's rows: heartbeats, remembered state, each source's polling plan, retention.

Callers pass a Session inside their unit of work (``with Session(engine) as s, s.begin():``).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from monitor.db.models import Article, DaemonHeartbeat, DaemonState, Fetch, Source

MAINTENANCE_KEY = "maintenance_last_run"


def start_heartbeat(session: Session, now: datetime) -> int:
    """A row for this run. Rows left ``running`` by a crashed daemon are marked so: whoever
    calls this holds the lock, so no other daemon is alive."""
    session.execute(
        update(DaemonHeartbeat)
        .where(DaemonHeartbeat.stopped_at.is_(None))
        .values(state="crashed", stopped_at=DaemonHeartbeat.beat_at)
    )
    row = DaemonHeartbeat(
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=now,
        beat_at=now,
        state="running",
    )
    session.add(row)
    session.flush()
    return row.pk


def beat(session: Session, heartbeat: int, now: datetime, state: str = "running") -> None:
    session.execute(
        update(DaemonHeartbeat)
        .where(DaemonHeartbeat.pk == heartbeat)
        .values(beat_at=now, state=state)
    )


def stop_heartbeat(session: Session, heartbeat: int, now: datetime) -> None:
    session.execute(
        update(DaemonHeartbeat)
        .where(DaemonHeartbeat.pk == heartbeat)
        .values(beat_at=now, stopped_at=now, state="stopped")
    )


def latest_heartbeat(session: Session) -> DaemonHeartbeat | None:
    return session.scalar(select(DaemonHeartbeat).order_by(DaemonHeartbeat.beat_at.desc()).limit(1))


def read_state(session: Session, key: str) -> str | None:
    row = session.get(DaemonState, key)
    return row.value if row is not None else None


def write_state(session: Session, key: str, value: str, now: datetime) -> None:
    row = session.get(DaemonState, key)
    if row is None:
        session.add(DaemonState(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


@dataclass(frozen=True)
class PollPlan:
    """What the scheduler needs of a source row."""

    name: str
    interval_seconds: int
    poll_seconds: int | None
    next_run_at: datetime | None
    consecutive_failures: int
    last_outcome: str | None
    last_new_articles: int | None


def _plan(source: Source) -> PollPlan:
    return PollPlan(
        source.name,
        source.interval_seconds,
        source.poll_seconds,
        source.next_run_at,
        source.consecutive_failures,
        source.last_outcome,
        source.last_new_articles,
    )


def enabled_plans(session: Session) -> list[PollPlan]:
    rows = session.scalars(select(Source).where(Source.enabled.is_(True)).order_by(Source.name))
    return [_plan(s) for s in rows]


def plan_of(session: Session, name: str) -> PollPlan | None:
    source = session.scalar(select(Source).where(Source.name == name))
    return _plan(source) if source is not None else None


def set_poll(session: Session, name: str, poll_seconds: int, next_run_at: datetime) -> None:
    session.execute(
        update(Source)
        .where(Source.name == name)
        .values(poll_seconds=poll_seconds, next_run_at=next_run_at)
    )


def new_articles_since(session: Session, since: datetime) -> dict[str, int]:
    """New articles per source first seen after ``since`` (for `monitor status`)."""
    rows = session.execute(
        select(Article.source, func.count())
        .where(Article.first_seen >= since, Article.source.is_not(None))
        .group_by(Article.source)
    )
    return {source: count for source, count in rows}


def all_sources(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.name)))


def delete_old_fetches(session: Session, before: datetime) -> int:
    result = session.execute(delete(Fetch).where(Fetch.fetched_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def delete_old_heartbeats(session: Session, before: datetime) -> int:
    result = session.execute(
        delete(DaemonHeartbeat).where(
            DaemonHeartbeat.stopped_at.is_not(None), DaemonHeartbeat.beat_at < before
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def heartbeat_cutoff(now: datetime, interval_seconds: float) -> datetime:
    """A daemon whose last beat is older than three intervals is not alive."""
    return now - timedelta(seconds=3 * interval_seconds)
