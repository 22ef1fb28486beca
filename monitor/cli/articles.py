"""``monitor import`` and ``monitor export``: articles in and out of the store."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click
from rich.progress import Progress
from sqlalchemy.orm import Session

from monitor.cli.context import AppContext, pass_app
from monitor.cli.filters import build_filter, filter_options
from monitor.db import store
from monitor.errors import MonitorError
from monitor.exporting import export_articles
from monitor.importing import ImportFailure, read_inputs
from monitor.ingest import ingest_draft
from monitor.pipeline import build_stages
from monitor.taxonomy import load_taxonomy

log = logging.getLogger(__name__)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_app
def import_command(app: AppContext, paths: tuple[Path, ...]) -> None:
    """Import seed .txt files, folders of them, or .jsonl exports (idempotent).

    Imported articles are stored whatever their relevance; queries filter on it.
    """
    engine = app.engine()
    stages = build_stages(app.settings)
    with Session(engine) as session, session.begin():
        store.sync_topics(session, load_taxonomy())
    counts: Counter[str] = Counter()
    show_progress = sys.stderr.isatty() and not app.quiet
    with Progress(disable=not show_progress, transient=True) as progress:
        task = progress.add_task("importing", total=None)
        for item in read_inputs(paths):
            progress.advance(task)
            if isinstance(item, ImportFailure):
                counts["failed"] += 1
                click.echo(f"monitor: {item.where}: {item.reason}", err=True)
                continue
            where, draft = item
            try:
                result = ingest_draft(engine, draft, stages)
            except MonitorError as exc:
                counts["failed"] += 1
                click.echo(f"monitor: {where}: {exc}", err=True)
                continue
            counts[result.outcome] += 1
            log.info("%s: %s %s", where, result.outcome, result.id)
    if not app.quiet:
        click.echo(
            f"imported: {counts['new']} new, {counts['revised']} revised, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        )
    if counts["failed"]:
        sys.exit(1)


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["seed", "jsonl", "csv"]), required=True,
    help="seed: a folder of NNN_<id>.txt files; jsonl: every stored field; csv: a summary.",
)  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder or file.")
@filter_options
@pass_app
def export_command(app: AppContext, fmt: str, out: Path, **options: Any) -> None:
    """Write the selected articles as seed files, JSON lines or CSV."""
    flt = build_filter(None, **options)
    with Session(app.engine()) as session:
        count = export_articles(store.iter_articles(session, flt), fmt, out)  # type: ignore[arg-type]
    if not app.quiet:
        click.echo(f"exported {count} article(s) to {out}")
