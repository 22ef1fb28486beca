"""Refuse bodies that are not HTML before spending a parse on them."""

from __future__ import annotations

from collections.abc import Mapping

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"PK\x03\x04", "a ZIP archive (or office document)"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"BM", None),  # too short a signature alone; checked with the NUL test below
    (b"\x00\x00\x00", "binary data"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
_HTML_TYPES = ("html", "xml", "text/plain")
_SAMPLE = 4096


def sniff_non_html(data: bytes, headers: Mapping[str, str] | None = None) -> str | None:
    """A sentence saying what the bytes are when they are clearly not an HTML page, else None."""
    content_type = next(
        (v for k, v in (headers or {}).items() if k.lower() == "content-type" and v), None
    )
    if content_type and not any(kind in content_type.lower() for kind in _HTML_TYPES):
        return f"the server sent {content_type.split(';')[0].strip()}, not HTML"
    head = data[:_SAMPLE].lstrip()
    for magic, description in _MAGIC:
        if description and head.startswith(magic):
            return f"the body is {description}, not HTML"
    # UTF-16/32 pages carry a BOM; other text has no NUL bytes. Binary data has plenty.
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and head.count(b"\x00") > len(head) // 100:
        return "the body is binary data, not HTML"
    if b"<" not in head and b"<" not in data[: _SAMPLE * 16]:
        return "the body holds no HTML markup"
    return None
