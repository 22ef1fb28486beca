"""``monitor sources list|add|remove|test|add-defaults``: what the monitor follows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from monitor.cli.context import AppContext, pass_app
from monitor.cli.output import emit_rows, output_options
from monitor.crawl.runner import run_crawl
from monitor.db import sourcestore
from monitor.errors import InputError
from monitor.pipeline import build_stages
from monitor.sources import SourceSpec, default_sources, parse_interval


@click.group("sources")
def sources_group() -> None:
    """List, add, remove and test the sources the monitor follows."""


@sources_group.command("list")
@output_options
@pass_app
def list_command(app: AppContext, fmt: str) -> None:
    """Every source, its interval and how its last run went."""
    with Session(app.engine()) as session:
        rows = [
            {
                "name": s.name,
                "kind": s.kind,
                "url": s.url,
                "language": s.language,
                "interval": f"{s.interval_seconds // 60}m",
                "enabled": s.enabled,
                "last_run": s.last_run_at.isoformat(timespec="seconds") if s.last_run_at else None,
                "last_outcome": s.last_outcome,
                "last_new": s.last_new_articles,
                "failures": s.consecutive_failures,
            }
            for s in sourcestore.list_sources(session)
        ]
    emit_rows(
        rows,
        fmt,
        table_columns=("name", "kind", "url", "interval", "enabled", "last_run", "last_outcome"),
        title=f"{len(rows)} source(s)",
    )


@sources_group.command("add")
@click.argument("name")
@click.option("--feed", metavar="URL", help="An RSS or Atom feed (or a homepage announcing one).")
@click.option("--sitemap", metavar="URL", help="A sitemap, news sitemap, index or robots.txt.")
@click.option("--site", metavar="URL", help="A site to crawl from its homepage (bounded).")
@click.option("--urls", "url_file", metavar="FILE", help="A file of article URLs.")
@click.option("--warc", "warcs", multiple=True, metavar="PATH", help="WARC file(s), for backfill.")
@click.option("--interval", default="1h", show_default=True, help="Polling interval: 15m, 2h, 1d.")
@click.option("--lang", "language", help="Language of the source (fr, en...).")
@click.option("--disabled", is_flag=True, help="Add it without polling it.")
@pass_app
def add_command(
    app: AppContext,
    name: str,
    feed: str | None,
    sitemap: str | None,
    site: str | None,
    url_file: str | None,
    warcs: tuple[str, ...],
    interval: str,
    language: str | None,
    disabled: bool,
) -> None:
    """Add a source: exactly one of --feed, --sitemap, --site, --urls, --warc."""
    given = {
        "feed": feed,
        "sitemap": sitemap,
        "site": site,
        "urls": url_file,
        "warc": ",".join(warcs) if warcs else None,
    }
    chosen = [(kind, value) for kind, value in given.items() if value]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --feed, --sitemap, --site, --urls, --warc")
    kind, value = chosen[0]
    if kind in ("urls", "warc"):
        missing = [p for p in value.split(",") if not Path(p).is_file()]
        if missing:
            raise InputError(f"{missing[0]}: no such file")
        value = ",".join(str(Path(p).resolve()) for p in value.split(","))
    spec = SourceSpec(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        url=value,
        language=language,
        interval_seconds=parse_interval(interval),
        enabled=not disabled,
    )
    with Session(app.engine()) as session, session.begin():
        sourcestore.add_source(session, spec, datetime.now(UTC))
    if not app.quiet:
        click.echo(f"added source {name} ({kind} {value}, every {interval})")


@sources_group.command("add-defaults")
@pass_app
def add_defaults_command(app: AppContext) -> None:
    """Add the shipped list of French and English outlets (existing names are kept)."""
    added = 0
    with Session(app.engine()) as session, session.begin():
        known = {s.name for s in sourcestore.list_sources(session)}
        for spec in default_sources():
            if spec.name not in known:
                sourcestore.add_source(session, spec, datetime.now(UTC))
                added += 1
    if not app.quiet:
        click.echo(f"added {added} default source(s)")


@sources_group.command("remove")
@click.argument("name")
@pass_app
def remove_command(app: AppContext, name: str) -> None:
    """Remove a source (its articles and fetch log stay)."""
    with Session(app.engine()) as session, session.begin():
        sourcestore.remove_source(session, name)
    if not app.quiet:
        click.echo(f"removed source {name}")


@sources_group.command("test")
@click.argument("name")
@output_options
@pass_app
def test_command(app: AppContext, name: str, fmt: str) -> None:
    """Fetch a source once and show what it would ingest; stores nothing."""
    with Session(app.engine()) as session:
        spec = sourcestore.spec_of(sourcestore.get_source(session, name))
    report = run_crawl(
        app.engine(),
        [spec],
        build_stages(app.settings),
        crawl_section=dict(app.settings.section("crawl")),
        ignore_frontier=True,
        dry_run=True,
    )
    rows: list[dict[str, Any]] = []
    for item in report.observed:
        draft = item.draft
        rows.append(
            {
                "url": item.url,
                "outcome": item.outcome or "would store",
                "relevance": item.judgement.relevance if item.judgement else None,
                "title": draft.title if draft else None,
                "published": draft.published.value if draft and draft.published else None,
                "error": item.error,
            }
        )
    emit_rows(
        rows,
        fmt,
        table_columns=("outcome", "relevance", "published", "title", "url"),
        title=f"{name}: {len(rows)} page(s)",
    )
