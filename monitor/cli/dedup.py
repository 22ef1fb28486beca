"""``monitor dedup --rebuild``: recompute the near-duplicate index and clusters."""

from __future__ import annotations

import click

from monitor.cli.context import AppContext, pass_app
from monitor.deduplication import Deduplicator, rebuild_index
from monitor.pipeline import dedup_settings


@click.command("dedup")
@click.option("--rebuild", is_flag=True, required=True, help="Recompute from stored text.")
@pass_app
def dedup_command(app: AppContext, rebuild: bool) -> None:
    """Recompute exact keys, the band index and clusters from stored text (after the
    [dedup] settings changed, or to repair). Safe to interrupt and run again."""
    del rebuild
    indexed, copies = rebuild_index(app.engine(), Deduplicator(dedup_settings(app.settings)))
    if not app.quiet:
        click.echo(f"dedup: {indexed} article(s) indexed, {copies} copies in clusters")
