"""The Atom feed file: rebuilt whole from the newest announcements and swapped in atomically,
so a feed reader never reads half a file and a crash never leaves one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from monitor.outputs.announcement import Announcement

ATOM_NS = "http://www.w3.org/2005/Atom"


def render_atom(entries: Sequence[Announcement], title: str, updated: str) -> bytes:
    """An Atom 1.0 document (RFC 4287) of ``entries`` in the order given (newest first)."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", "urn:monitor:announcements")
    sub(feed, "title", title)
    sub(feed, "updated", updated)
    sub(sub(feed, "author"), "name", "monitor")
    sub(feed, "generator", "monitor")
    for entry in entries:
        item = sub(feed, "entry")
        sub(item, "id", f"urn:monitor:article:{entry.id}")
        sub(item, "title", entry.title or entry.url or entry.id)
        if entry.url:
            sub(item, "link", href=entry.url, rel="alternate")
        sub(item, "updated", entry.announced)
        if entry.published and "T" in entry.published:
            sub(item, "published", entry.published)
        for name in entry.authors or ((entry.site_name,) if entry.site_name else ()):
            sub(sub(item, "author"), "name", name)
        if not entry.authors and not entry.site_name:
            sub(sub(item, "author"), "name", "unknown")
        for topic in entry.topics:
            sub(item, "category", term=topic)
        summary = sub(item, "summary", entry.summary)
        if entry.language:
            summary.set("{http://www.w3.org/XML/1998/namespace}lang", entry.language)
        if entry.site_name:
            source = sub(item, "source")
            sub(source, "title", entry.site_name)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
