"""Bring every configured output up to date with the database, in an order that survives a
crash anywhere: the notification row first, then each output, then its delivery mark."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitor.outputs import records
from monitor.outputs.atom import render_atom, write_atomically
from monitor.outputs.jsonl import append_announcements, ids_in_file
from monitor.outputs.settings import OutputSettings
from monitor.outputs.webhook import WebhookError, post_json

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishReport:
    announced: int
    jsonl_written: int
    webhook_sent: int
    webhook_failed: int


def reconcile_jsonl(engine: Engine, settings: OutputSettings, now: datetime) -> int:
    """Mark as written the lines already in the file (a crash between append and mark)."""
    if settings.jsonl_path is None:
        return 0
    ids = sorted(ids_in_file(settings.jsonl_path))
    with Session(engine) as session, session.begin():
        records.mark_jsonl(session, ids, now)
    return len(ids)


def publish_outputs(engine: Engine, settings: OutputSettings, now: datetime) -> PublishReport:
    """Announce new clusters and deliver what is pending to every configured output."""
    if not settings.enabled:
        return PublishReport(0, 0, 0, 0)
    since = now - timedelta(seconds=settings.lookback_seconds)
    with Session(engine) as session, session.begin():
        announced = records.announce_new(session, since, now)
    written = 0
    if settings.jsonl_path is not None:
        with Session(engine) as session:
            pending = records.pending_jsonl(session, since)
        append_announcements(settings.jsonl_path, pending)
        with Session(engine) as session, session.begin():
            records.mark_jsonl(session, [a.id for a in pending], now)
        written = len(pending)
    if settings.atom_path is not None and (announced or not settings.atom_path.exists()):
        with Session(engine) as session:
            entries = records.newest(session, settings.atom_entries)
        document = render_atom(entries, settings.atom_title, now.isoformat())
        write_atomically(settings.atom_path, document)
    sent = failed = 0
    if settings.webhook_url is not None:
        with Session(engine) as session:
            pending = records.pending_webhook(session, since, settings.webhook_max_attempts)
        if pending:
            error = None
            try:
                post_json(
                    settings.webhook_url,
                    {"articles": [a.to_json() for a in pending]},
                    timeout=settings.webhook_timeout,
                    tries=settings.webhook_tries,
                )
            except WebhookError as exc:
                error = str(exc)
                log.warning("%s (%d articles kept for the next round)", exc, len(pending))
            with Session(engine) as session, session.begin():
                records.mark_webhook(session, [a.id for a in pending], now, error)
            sent, failed = (0, len(pending)) if error else (len(pending), 0)
    report = PublishReport(len(announced), written, sent, failed)
    if announced or failed:
        log.info(
            "outputs: %d announced, %d JSON lines, webhook %d sent %d failed",
            *report.__dict__.values(),
            extra={"event": "outputs", "fields": report.__dict__},
        )
    return report
