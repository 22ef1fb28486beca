"""``monitor retag``: relevance and topics again, after the taxonomy changed."""

from __future__ import annotations

import click

from monitor.cli.context import AppContext, pass_app
from monitor.pipeline import RelevanceJudge, relevance_settings
from monitor.relevance import tagger_version
from monitor.retagging import retag_all


@click.command("retag")
@pass_app
def retag_command(app: AppContext) -> None:
    """Re-run relevance and tagging on every stored article (records the taxonomy version)."""
    counts = retag_all(app.engine(), RelevanceJudge(relevance_settings(app.settings)))
    if not app.quiet:
        click.echo(
            f"retag: {counts['changed'] + counts['same']} article(s) judged with "
            f"{tagger_version()}; relevance changed for {counts['changed']}"
        )
