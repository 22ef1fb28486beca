"""``monitor daemon`` (the scheduler service) and ``monitor status`` (what it is doing)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import click

from monitor.cli.context import AppContext, pass_app
from monitor.cli.output import emit_rows
from monitor.daemon import Daemon, daemon_settings, read_status
from monitor.daemon.logformat import formatter_for
from monitor.daemon.signals import stop_on_signals
from monitor.outputs import output_settings


class _OverlapFilter(logging.Filter):
    """A crawl that outlasts its interval makes APScheduler skip a run (``max_instances=1``, on
    purpose) and warn each time; the crawl's own line already says how long it took."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances" not in record.getMessage()


def _configure_logging(app: AppContext, log_format: str) -> None:
    """The daemon's lines are its output: INFO unless --quiet, in the chosen format."""
    level = logging.WARNING if app.quiet else (logging.DEBUG if app.verbose > 1 else logging.INFO)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        handler.setLevel(level)
        handler.setFormatter(formatter_for(log_format))
    logging.getLogger("apscheduler.scheduler").addFilter(_OverlapFilter())
    # Only our own INFO lines: libraries stay at WARNING unless -vv.
    if app.verbose < 2:
        for name in ("alembic", "apscheduler", "scrapy", "urllib3"):
            logging.getLogger(name).setLevel(logging.WARNING)


def build_daemon(app: AppContext, log_format: str = "text") -> Daemon:
    settings = app.settings
    base = settings.config_path.parent if settings.config_path else None
    return Daemon(
        app.engine(),
        database_url=settings.database_url,
        config_path=str(settings.config_path) if settings.config_path else None,
        settings=daemon_settings(settings.section("daemon")),
        outputs=output_settings(settings.section("outputs"), base),
        log_format=log_format,
    )


@click.command("daemon")
@click.option("--once", is_flag=True, help="Crawl every due source once, update outputs, exit.")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Log lines as text or one JSON object per line.",
)
@pass_app
def daemon_command(app: AppContext, once: bool, log_format: str) -> None:
    """Poll every enabled source on its own schedule until SIGTERM or SIGINT.

    One daemon per database: a second one refuses to start. Configure it in the [daemon] and
    [outputs] sections of the configuration file (docs/daemon.md)."""
    _configure_logging(app, log_format)
    daemon = build_daemon(app, log_format)
    stop_on_signals(daemon.stop)
    if once:
        report = daemon.run_once()
        failed = [r.source for r in report.crawls if r.outcome != "ok"]
        logging.getLogger(__name__).info(
            "once: %d crawls, %d not ok%s",
            len(report.crawls),
            len(failed),
            f" ({', '.join(failed)})" if failed else "",
        )
        return
    daemon.run_forever()


def _when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


@click.command("status")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@pass_app
def status_command(app: AppContext, fmt: str) -> None:
    """Is the daemon alive; per source: last run, outcome, next run, new articles (24 h)."""
    status = read_status(
        app.engine(), daemon_settings(app.settings.section("daemon")), datetime.now(UTC)
    )
    daemon: dict[str, Any] | None = None
    if status.daemon is not None:
        d = status.daemon
        daemon = {
            "alive": d.alive,
            "state": d.state,
            "host": d.host,
            "pid": d.pid,
            "started_at": _when(d.started_at),
            "heartbeat_at": _when(d.beat_at),
        }
    rows = [
        {
            "source": s.name,
            "enabled": s.enabled,
            "last_run": _when(s.last_run_at),
            "outcome": s.last_outcome,
            "next_run": _when(s.next_run_at),
            "polling": s.polling,
            "interval_s": s.poll_seconds or s.interval_seconds,
            "failures": s.consecutive_failures,
            "new_24h": s.new_last_day,
            "error": s.last_error,
        }
        for s in status.sources
    ]
    if fmt == "json":
        document = {
            "daemon": daemon,
            "sources": rows,
            "failing": [s.name for s in status.failing],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if daemon is None:
        click.echo("daemon: never started on this database")
    else:
        word = "alive" if daemon["alive"] else f"not running ({daemon['state']})"
        click.echo(
            f"daemon: {word}, pid {daemon['pid']} on {daemon['host']}, "
            f"last heartbeat {daemon['heartbeat_at']}"
        )
    emit_rows(
        rows,
        "table",
        table_columns=(
            "source", "last_run", "outcome", "next_run", "polling", "interval_s", "failures",
            "new_24h",
        ),
        title="sources",
    )  # fmt: skip
    if status.failing:
        click.echo("failing: " + ", ".join(f"{s.name} ({s.last_error})" for s in status.failing))
