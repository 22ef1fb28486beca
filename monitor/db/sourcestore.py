"""The ``sources`` table: what the user asked us to follow, and how each last went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.db.models import Source
from monitor.errors import InputError, NotFoundError
from monitor.sources import SourceSpec


def add_source(
    session: Session, spec: SourceSpec, now: datetime, *, replace: bool = False
) -> Source:
    existing = session.scalar(select(Source).where(Source.name == spec.name))
    if existing is not None and not replace:
        raise InputError(
            f"a source named {spec.name!r} exists; remove it first or pick another name"
        )
    source = existing or Source(name=spec.name, created_at=now, consecutive_failures=0)
    source.kind = spec.kind
    source.url = spec.url
    source.language = spec.language
    source.interval_seconds = spec.interval_seconds
    source.enabled = spec.enabled
    source.politeness = dict(spec.politeness)
    session.add(source)
    session.flush()
    return source


def remove_source(session: Session, name: str) -> None:
    source = get_source(session, name)
    session.delete(source)


def get_source(session: Session, name: str) -> Source:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        raise NotFoundError(f"no source named {name!r}; `monitor sources list` shows them")
    return source


def list_sources(session: Session, *, enabled_only: bool = False) -> list[Source]:
    stmt = select(Source).order_by(Source.name)
    if enabled_only:
        stmt = stmt.where(Source.enabled.is_(True))
    return list(session.scalars(stmt))


def spec_of(source: Source) -> SourceSpec:
    return SourceSpec(
        name=source.name,
        kind=source.kind,  # type: ignore[arg-type]
        url=source.url,
        language=source.language,
        interval_seconds=source.interval_seconds,
        enabled=source.enabled,
        politeness=dict(source.politeness or {}),
    )


def record_run(
    session: Session, name: str, when: datetime, outcome: str, error: str | None, new_articles: int
) -> None:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:  # an ad-hoc source (a URL list, a WARC file) has no row
        return
    source.last_run_at = when
    source.last_outcome = outcome
    source.last_error = error
    source.last_new_articles = new_articles
    source.consecutive_failures = 0 if outcome == "ok" else source.consecutive_failures + 1
