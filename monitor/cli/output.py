"""Output formats shared by every query-like command (``--format table|json|jsonl|csv``)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMATS = ("table", "json", "jsonl", "csv")


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


def _plain(value: Any) -> Any:
    if isinstance(value, Text):
        return value.plain
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def emit_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    table_columns: Sequence[str],
    csv_columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Write rows in the chosen format: the table shows ``table_columns``, CSV ``csv_columns``
    (default: every key), JSON every key."""
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif fmt == "csv":
        if rows:
            columns = list(csv_columns or rows[0])
            writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _plain(v) for k, v in row.items()})
    else:
        table = Table(title=title, show_lines=False, expand=False)
        for column in table_columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*[_cell(row.get(column)) for column in table_columns])
        Console(soft_wrap=False).print(table)


def _cell(value: Any) -> Text | str:
    if value is None:
        return ""
    if isinstance(value, Text):
        return value
    return str(_plain(value))
