"""``monitor init``: create or upgrade the database schema."""

from __future__ import annotations

import click

from monitor.cli.context import AppContext, pass_app
from monitor.db.engine import redacted
from monitor.db.migrations import upgrade_to_head


@click.command("init")
@pass_app
def init_command(app: AppContext) -> None:
    """Create the database, or upgrade it to the latest schema (safe to re-run)."""
    before, after = upgrade_to_head(app.engine(require_schema=False))
    where = redacted(app.settings.database_url)
    if before == after:
        click.echo(f"{where}: schema already at {after}")
    elif before is None:
        click.echo(f"{where}: created at schema {after}")
    else:
        click.echo(f"{where}: upgraded from {before} to {after}")
