"""``monitor extract``: saved pages in, one JSON object per page out. No database.

A thin shell over :func:`monitor.extraction.extract_page`: it reads files (``.html``,
``.html.gz``, ``-`` for stdin), prints JSON lines, and turns failures into an ``error`` field,
a one-line message on stderr and exit code 1 once every input has been tried.
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from pathlib import Path

import click

from monitor.extraction import ExtractionResult, ExtractionSettings, extract_page, result_to_json

_GZIP_MAGIC = b"\x1f\x8b"


def _decompress(data: bytes, limit: int) -> bytes:
    """Gunzip at most ``limit + 1`` bytes so that a compression bomb cannot fill memory."""
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as error:
        raise OSError(f"not valid gzip data ({error})") from error
    return out


def _read_input(name: str, limit: int) -> bytes:
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    if data.startswith(_GZIP_MAGIC) or name.endswith(".gz"):
        data = _decompress(data, limit)
    return data


@click.command("extract")
@click.option("--url", help="The URL the page was fetched from (validates its canonical URL).")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
def extract_command(url: str | None, files: tuple[str, ...]) -> None:
    """Extract saved pages (.html, .html.gz, - for stdin) into JSON lines on stdout."""
    settings = ExtractionSettings()
    failed = False
    for name in files:
        try:
            html = _read_input(name, settings.max_bytes)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            result = ExtractionResult.failure("unreadable", f"cannot read {name}: {error}")
        else:
            result = extract_page(html, url, settings=settings)
        if result.error:
            failed = True
            click.echo(f"error: {name}: {result.error_message}", err=True)
        payload = result_to_json(result, name, url)
        click.echo(json.dumps(payload, ensure_ascii=False))
    if failed:
        sys.exit(1)
