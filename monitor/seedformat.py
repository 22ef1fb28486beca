"""The seed file format: the plain-text form every article can be written to and read from.

File name ``NNN_<id>.txt`` (sequence number, at least three digits; 16-hex article id). Content is
UTF-8: an optional `` date YYYY-MM `` header glued to the first paragraph, paragraphs separated by
one blank line, no trailing newline. See DESIGN.md, "Seed schema".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from monitor.article import ArticleDate
from monitor.errors import SeedFormatError

SEED_NAME = re.compile(r"^(?P<seq>\d{3,})_(?P<id>[0-9a-f]{16})\.txt$")
_DATE_HEADER = re.compile(r"^ date (?P<month>\d{4}-\d{2}) ")


@dataclass(frozen=True, slots=True)
class SeedFile:
    """A seed file as written: its name's sequence and id, the month header, and the raw body."""

    seq: int
    id: str
    published: ArticleDate | None
    body: str


def parse_seed_name(name: str) -> tuple[int, str]:
    match = SEED_NAME.match(name)
    if not match:
        raise SeedFormatError(
            f"{name}: not a seed file name; expected NNN_<16 lowercase hex digits>.txt"
        )
    return int(match["seq"]), match["id"]


def decode_seed_bytes(name: str, data: bytes) -> str:
    if not data.strip():
        raise SeedFormatError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise SeedFormatError(f"{name}: binary data (NUL bytes), not a seed text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedFormatError(
            f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-encode the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def parse_seed(name: str, data: bytes) -> SeedFile:
    """Read a seed file's name and bytes; the body is returned as written (cleaning is separate)."""
    seq, article_id = parse_seed_name(name)
    text = decode_seed_bytes(name, data)
    published = None
    header = _DATE_HEADER.match(text)
    if header:
        try:
            published = ArticleDate(header["month"], "month", "seed")
        except ValueError:
            raise SeedFormatError(f"{name}: bad date header {header['month']!r}") from None
        text = text[header.end() :]
    return SeedFile(seq=seq, id=article_id, published=published, body=text)


def read_seed(path: Path) -> SeedFile:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_seed(path.name, data)


def seed_file_name(seq: int, article_id: str) -> str:
    return f"{seq:03d}_{article_id}.txt"


def render_seed(text: str, published: ArticleDate | None) -> str:
    """The seed form of an article: month header (when the month is known) + body paragraphs.

    A year-precision date cannot be written in the month header and is left out.
    """
    body = text.strip("\n")
    if published is None or published.precision == "year":
        return body
    return f" date {published.first_day():%Y-%m} {body}"
