"""Hostile and broken bodies for the bad-input fault routes, each generated lazily.

Nothing here holds a large body in memory: the gzip bomb and the huge sitemap are iterators of
small chunks, so the server stays small whatever the client does.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from xml.sax.saxutils import escape

_BOMB_BLOCK = 8 * 1024 * 1024


def billion_laughs_feed() -> str:
    """An RSS feed whose title expands to 10⁹ "lol"s if a parser expands entities."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss [\n' + "\n".join(entities) + "\n]>\n"
        '<rss version="2.0"><channel><title>&lol9;</title><link>http://127.0.0.1/</link>'
        "<description>Archives</description>"
        "<item><title>&lol9;</title><link>http://127.0.0.1/lol.html</link></item>"
        "</channel></rss>\n"
    )


def billion_laughs_sitemap() -> str:
    entities = ['<!ENTITY a0 "ha">'] + [
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE urlset [\n'
        + "\n".join(entities)
        + "\n]>\n"
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://127.0.0.1/&a9;</loc></url></urlset>\n"
    )


def external_entity_sitemap() -> str:
    """A sitemap whose only URL is the content of ``/etc/passwd`` if external entities resolve."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>&xxe;</loc></url></urlset>\n"
    )


def malformed_sitemap(base_url: str, article_paths: list[str]) -> bytes:
    """A sitemap broken the ways real ones are: a bad byte, an unclosed tag, a truncated end.

    The first URLs are well formed so that a recovering parser may keep them.
    """
    rows = "".join(f"<url><loc>{escape(base_url + p)}</loc></url>\n" for p in article_paths[:2])
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + rows
        + f"<url><loc>{base_url}/cass\u00e9.html<loc></url>\n"
        "<url><lastmod>2024-13-45</lastmod><loc>"
    ).encode() + b"\xff\xfe<url"


def malformed_feed(base_url: str) -> bytes:
    """An RSS feed cut in the middle of an item, with an undefined entity and a stray byte."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        "<title>Le direct &eacute; du jour</title>"
        f"<link>{base_url}/</link><item><title>Dernière minute</title>"
        f"<link>{base_url}/direct/1.html</link><pubDate>lundi 32 février</pubDate>"
    ).encode() + b"\x00\x93<item><title>"


def huge_sitemap(base_url: str, total_bytes: int) -> Iterator[bytes]:
    """A valid but enormous sitemap of archive URLs (that answer 404), about ``total_bytes``."""
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    )
    sent = 0
    number = 0
    while sent < total_bytes:
        rows = "".join(
            f"<url><loc>{base_url}/archives/page-{n:08d}.html</loc>"
            "<lastmod>2024-01-01</lastmod></url>\n"
            for n in range(number, number + 1000)
        ).encode()
        number += 1000
        sent += len(rows)
        yield rows
    yield b"</urlset>\n"


def gzip_bomb(total_bytes: int) -> Iterator[bytes]:
    """A gzip stream of ``total_bytes`` zeros, about a thousandth of that on the wire.

    After a full flush the compressor restarts from an empty window, so every further block of
    zeros compresses to the same bytes: one block is compressed once and its output repeated,
    and only the CRC is computed as the stream goes (and only if the client reads that far).
    """
    block = bytes(_BOMB_BLOCK)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    yield compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(block)
    blocks, remainder = divmod(total_bytes, _BOMB_BLOCK)
    for _ in range(blocks - 1):
        crc = zlib.crc32(block, crc)
        yield repeated
    tail = compressor.compress(bytes(remainder)) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(bytes(remainder), crc)
    # The trailer compressobj wrote used its own CRC over what it saw; rewrite it for the
    # whole stream (CRC-32 then size mod 2³², little-endian).
    yield tail[:-8] + crc.to_bytes(4, "little") + (total_bytes % (1 << 32)).to_bytes(4, "little")


def pdf_document(title: str) -> bytes:
    """A small, valid one-page PDF, for a non-HTML body behind an article-looking URL."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
