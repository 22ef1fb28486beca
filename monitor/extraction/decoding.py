"""Bytes to text: the right character set, so French accents survive.

Order of evidence, most to least reliable: byte-order mark, the HTTP ``Content-Type`` charset,
``<meta charset>`` / ``http-equiv`` in the first bytes, strict UTF-8, then statistical detection.
A declared charset is only used when the bytes actually decode with it *and* it does not
turn valid UTF-8 into mojibake (servers often declare latin-1 for UTF-8 pages).
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
#: How far into the document a ``<meta charset>`` is looked for (the HTML spec says 1024
#: bytes; real pages put it later, after long comments and scripts).
_META_SCAN_BYTES = 8192
#: Detection on the whole of a large page is slow; a sample of its start and end suffices.
_DETECTION_SAMPLE = 20_000


def normalise_encoding_name(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None if Python knows no such codec.

    ``iso-8859-1`` and ``us-ascii`` are read as ``windows-1252``, as browsers do: French pages
    that declare latin-1 routinely use its curly quotes and the euro sign.
    """
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    if codec in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    return codec


def charset_from_headers(headers: Mapping[str, str] | None) -> str | None:
    """The charset of a ``Content-Type`` header, looked up case-insensitively."""
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == "content-type" and value:
            match = _HEADER_CHARSET.search(value)
            if match:
                return normalise_encoding_name(match.group(1))
    return None


def charset_from_meta(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (``<meta charset>`` or http-equiv)."""
    match = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    if not match:
        return None
    return normalise_encoding_name(match.group(1).decode("ascii", "ignore"))


def _decodes(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_utf8(data: bytes) -> str | None:
    return _decodes(data, "utf-8")


def detect_encoding(data: bytes) -> str | None:
    """Statistical guess with charset-normalizer, on a sample for large pages."""
    sample = data
    if len(data) > 2 * _DETECTION_SAMPLE:
        sample = data[:_DETECTION_SAMPLE] + data[-_DETECTION_SAMPLE:]
    best = from_bytes(sample).best()
    return normalise_encoding_name(best.encoding) if best else None


_HTML_LANG = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2,3})", re.IGNORECASE)
#: Languages written in windows-1252 when not in Unicode: what browsers assume for them.
_WESTERN_LANGUAGES = frozenset(
    b"fr en de es it pt nl ca eu gl oc br co lb rm wa af da no nb nn sv is fo fi ga gd cy "
    b"sq sw id ms".split()
)
#: Statistical detectors often name a sibling of windows-1252 for French text (cp1250,
#: mac-roman...): "modèle" then comes out "modčle". These are the siblings overruled.
_LATIN_SIBLINGS = frozenset(
    {
        "cp1250",
        "iso8859-2",
        "iso8859-15",
        "mac-roman",
        "cp1257",
        "iso8859-4",
        "iso8859-9",
        "cp1254",
        "iso8859-13",
        "iso8859-16",
        "cp850",
        "cp437",
        "latin-1",
        "iso8859-1",
    }
)


def _western_guess(data: bytes) -> str | None:
    """The page decoded as windows-1252 when it says it is in a Western European language."""
    match = _HTML_LANG.search(data[:_META_SCAN_BYTES])
    if match and match.group(1).lower() in _WESTERN_LANGUAGES:
        return _decodes(data, "cp1252")
    return None


def decode_html(data: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Decode a page; returns the text and the encoding that was used.

    Never raises: the last resort is UTF-8 with replacement characters, which keeps the
    page usable rather than losing it.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decodes(data[len(bom) :], encoding)
            if text is not None:
                return text, encoding
    utf8 = _is_utf8(data)
    for declared in (charset_from_headers(headers), charset_from_meta(data)):
        if declared is None:
            continue
        # Valid UTF-8 with non-ASCII bytes is almost never really latin-1: a wrong
        # declaration would turn every "é" into "Ã©".
        if utf8 is not None and declared != "utf-8" and not data.isascii():
            logger.debug("declared %s but bytes are UTF-8; using UTF-8", declared)
            return utf8, "utf-8"
        text = _decodes(data, declared)
        if text is not None:
            return text, declared
        logger.debug("declared charset %s does not decode the page", declared)
    if utf8 is not None:
        return utf8, "utf-8"
    western = _western_guess(data)
    if western is not None:
        return western, "cp1252"
    guessed = detect_encoding(data)
    if guessed in _LATIN_SIBLINGS:
        western = _decodes(data, "cp1252")
        if western is not None:
            return western, "cp1252"
    if guessed:
        text = _decodes(data, guessed)
        if text is not None:
            return text, guessed
    # windows-1252 decodes almost every byte: the best guess for a Western page.
    text = data.decode("cp1252", errors="replace")
    return text, "cp1252"
