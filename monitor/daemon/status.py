"""What `monitor status` reports: is a daemon alive, and how is each source doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitor.daemon import records
from monitor.daemon.polling import PollingState, polling_state
from monitor.daemon.settings import DaemonSettings


@dataclass(frozen=True)
class DaemonInfo:
    alive: bool
    state: str
    host: str
    pid: int
    started_at: datetime
    beat_at: datetime


@dataclass(frozen=True)
class SourceStatus:
    name: str
    kind: str
    enabled: bool
    last_run_at: datetime | None
    last_outcome: str | None
    last_error: str | None
    next_run_at: datetime | None
    interval_seconds: int
    poll_seconds: int | None
    polling: PollingState
    consecutive_failures: int
    new_last_day: int

    @property
    def failing(self) -> bool:
        return self.consecutive_failures > 0


@dataclass(frozen=True)
class Status:
    daemon: DaemonInfo | None
    sources: tuple[SourceStatus, ...]

    @property
    def failing(self) -> tuple[SourceStatus, ...]:
        return tuple(s for s in self.sources if s.failing)


def read_status(engine: Engine, settings: DaemonSettings, now: datetime) -> Status:
    with Session(engine) as session:
        beat = records.latest_heartbeat(session)
        daemon = None
        if beat is not None:
            alive = beat.stopped_at is None and beat.beat_at >= records.heartbeat_cutoff(
                now, settings.heartbeat_interval
            )
            state = beat.state if alive or beat.stopped_at is not None else "silent"
            daemon = DaemonInfo(alive, state, beat.host, beat.pid, beat.started_at, beat.beat_at)
        new = records.new_articles_since(session, now - timedelta(days=1))
        sources = tuple(
            SourceStatus(
                name=s.name,
                kind=s.kind,
                enabled=s.enabled,
                last_run_at=s.last_run_at,
                last_outcome=s.last_outcome,
                last_error=s.last_error,
                next_run_at=s.next_run_at,
                interval_seconds=s.interval_seconds,
                poll_seconds=s.poll_seconds,
                polling=polling_state(
                    s.interval_seconds, s.poll_seconds, s.consecutive_failures, settings.polling
                ),
                consecutive_failures=s.consecutive_failures,
                new_last_day=new.get(s.name, 0),
            )
            for s in records.all_sources(session)
        )
    return Status(daemon, sources)
