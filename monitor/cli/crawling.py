"""``monitor crawl`` and ``monitor backfill``: fetch new articles now, or a past period."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from sqlalchemy.orm import Session

from monitor.cli.context import AppContext, pass_app
from monitor.crawl.processing import extract_for_crawl
from monitor.crawl.runner import run_crawl
from monitor.crawl.warc import backfill_warc
from monitor.db import sourcestore
from monitor.errors import InputError
from monitor.filters import parse_day
from monitor.frontier import Window
from monitor.pipeline import build_stages
from monitor.sources import SourceSpec

SUMMARY_ROWS = (
    ("ok", "feeds, sitemaps and listing pages read"),
    ("new", "new articles"),
    ("duplicate", "new copies of known stories"),
    ("revision", "revisions"),
    ("unchanged", "fetched, unchanged"),
    ("not_modified", "not modified (304)"),
    ("irrelevant", "irrelevant"),
    ("out_of_window", "outside the date window"),
)


class CrawlProgress:
    """Counts pages as the pipelines finish them: a live line on a terminal, else nothing
    (plain runs log through the logging setup)."""

    def __init__(self, enabled: bool) -> None:
        self.counts: Counter[str] = Counter()
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), disable=not enabled, transient=True
        )
        self.task = self.progress.add_task("crawling", total=None)

    def _update(self) -> None:
        shown = ", ".join(f"{k} {v}" for k, v in self.counts.most_common(5))
        self.progress.update(self.task, description=f"crawling: {shown}")

    def item_done(self, item: Any, **_: Any) -> None:
        self.counts[getattr(item, "outcome", None) or "done"] += 1
        self._update()

    def item_dropped(self, item: Any, **_: Any) -> None:
        self.counts[getattr(item, "outcome", None) or "dropped"] += 1
        self._update()


def print_summary(
    outcomes: Counter[str], failures: list[tuple[str, str, str]], quiet: bool
) -> None:
    if quiet:
        return
    table = Table(title="crawl summary")
    table.add_column("outcome")
    table.add_column("pages", justify="right")
    table.add_row("fetched (all outcomes)", str(sum(outcomes.values())))
    for key, label in SUMMARY_ROWS:
        table.add_row(label, str(outcomes.get(key, 0)))
    known = {k for k, _ in SUMMARY_ROWS}
    for key, count in sorted(outcomes.items()):
        if key not in known:
            table.add_row(f"failed: {key}", str(count))
    Console().print(table)
    for url, outcome, error in failures[:10]:
        click.echo(f"  {outcome}: {url} {error}".rstrip())


def _specs(app: AppContext, names: tuple[str, ...]) -> list[SourceSpec]:
    with Session(app.engine()) as session:
        if names:
            return [sourcestore.spec_of(sourcestore.get_source(session, n)) for n in names]
        return [
            sourcestore.spec_of(s) for s in sourcestore.list_sources(session, enabled_only=True)
        ]


def _crawl(
    app: AppContext, specs: list[SourceSpec], window: Window, urls: list[str]
) -> Counter[str]:
    progress = CrawlProgress(sys.stderr.isatty() and not app.quiet)
    with progress.progress:
        report = run_crawl(
            app.engine(),
            specs,
            build_stages(app.settings),
            crawl_section=dict(app.settings.section("crawl")),
            window=window,
            extra_urls=urls,
            progress=progress,
        )
    print_summary(report.outcomes, report.failures, app.quiet)
    return report.outcomes


@click.command("crawl")
@click.argument("sources", nargs=-1)
@pass_app
def crawl_command(app: AppContext, sources: tuple[str, ...]) -> None:
    """One crawl now of the named sources (default: every enabled source)."""
    specs = _specs(app, sources)
    if not specs:
        raise InputError("no enabled source: add one with `monitor sources add`")
    _crawl(app, specs, Window(), [])


def read_url_list(path: str) -> list[str]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the URL list: {exc}") from None
    urls = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise InputError(f"{path}: not an http(s) URL: {bad[0]!r}")
    return urls


@click.command("backfill")
@click.option("--since", required=True, metavar="YYYY-MM-DD", help="First publication day.")
@click.option("--until", metavar="YYYY-MM-DD", help="Last publication day (default: today).")
@click.option("--source", "sources", multiple=True, help="Only these sources (repeatable).")
@click.option("--urls", "url_file", metavar="FILE", help="Article URLs, one a line ('-': stdin).")
@click.option("--warc", "warcs", multiple=True, type=click.Path(path_type=Path), help="WARC file.")
@pass_app
def backfill_command(
    app: AppContext,
    since: str,
    until: str | None,
    sources: tuple[str, ...],
    url_file: str | None,
    warcs: tuple[Path, ...],
) -> None:
    """Fetch a past period from sitemaps, feeds, URL lists or web archives. Resumable: a
    killed backfill run again continues, and nothing is stored twice."""
    window = Window(parse_day(since, "--since"), parse_day(until, "--until") if until else None)
    urls = read_url_list(url_file) if url_file else []
    total: Counter[str] = Counter()
    if warcs:
        _, counts = backfill_warc(
            app.engine(),
            list(warcs),
            build_stages(app.settings),
            extract_for_crawl,
            window=window,
            workers=int(app.settings.section("crawl").get("extract_workers", 1)),
        )
        total.update(counts)
    specs = _specs(app, sources) if (sources or not (urls or warcs)) else []
    if specs or urls:
        total.update(_crawl(app, specs, window, urls))
    elif warcs:
        print_summary(total, [], app.quiet)
