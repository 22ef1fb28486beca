"""The ``monitor`` command: a thin shell over the library.

Only this package knows about exit codes and output formats. Library errors (MonitorError)
become one line on stderr and exit 1; bad usage exits 2; nothing prints a traceback unless
``-vv`` asks for one.
"""

from __future__ import annotations

import logging
import os
import sys

import click

from monitor import __version__
from monitor.cli.articles import export_command, import_command
from monitor.cli.classify import classify_command
from monitor.cli.context import AppContext
from monitor.cli.crawling import backfill_command, crawl_command
from monitor.cli.daemon import daemon_command, status_command
from monitor.cli.database import init_command
from monitor.cli.dedup import dedup_command
from monitor.cli.demo import demo_command
from monitor.cli.extract import extract_command
from monitor.cli.query import search_command, show_command, stats_command
from monitor.cli.sources import sources_group
from monitor.cli.tagging import retag_command
from monitor.errors import MonitorError
from monitor.settings import build_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="monitor")
@click.option("--db", "db_url", metavar="URL", help="Database URL [env MONITOR_DATABASE_URL].")
@click.option("--config", "config_path", metavar="PATH", help="TOML file [env MONITOR_CONFIG].")
@click.option("-v", "--verbose", count=True, help="More log output (-vv: tracebacks too).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(
    ctx: click.Context, db_url: str | None, config_path: str | None, verbose: int, quiet: bool
) -> None:
    """Follow press coverage of Mistral AI: crawl, judge, deduplicate, tag, store and query."""
    level = (
        logging.WARNING
        if quiet or not verbose
        else (logging.INFO if verbose == 1 else logging.DEBUG)
    )
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # Libraries (Scrapy) raise their own loggers' levels; the handler keeps ours.
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    settings = build_settings(db_flag=db_url, config_flag=config_path, environ=os.environ)
    app = AppContext(settings=settings, verbose=verbose, quiet=quiet)
    ctx.obj = app
    ctx.call_on_close(app.close)


for _command in (
    init_command,
    import_command,
    export_command,
    search_command,
    show_command,
    stats_command,
    dedup_command,
    retag_command,
    classify_command,
    crawl_command,
    backfill_command,
    sources_group,
    demo_command,
    extract_command,
    daemon_command,
    status_command,
):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every failure into one line and an exit code."""
    try:
        cli.main(args=argv, prog_name="monitor", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("monitor: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MonitorError as exc:
        click.echo(f"monitor: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("monitor: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: never a traceback
        if "-vv" in (argv or sys.argv):
            raise
        click.echo(
            f"monitor: internal error: {type(exc).__name__}: {exc} (-vv shows the traceback)",
            err=True,
        )
        sys.exit(1)
    sys.exit(0)
