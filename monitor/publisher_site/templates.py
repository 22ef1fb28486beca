"""Article page templates: HTML with ``{{slot}}`` markers, loaded from files and filled in.

Slots: ``{{head}}`` (title, canonical, OpenGraph, JSON-LD, feed links — built by
:mod:`monitor.publisher_site.pages`), ``{{title}}``, ``{{standfirst}}``, ``{{body}}`` (the
paragraphs as HTML), ``{{author}}``, ``{{date_iso}}``, ``{{date_display}}``, ``{{section}}``,
``{{site_name}}``. Text slots are HTML-escaped; ``head`` and ``body`` are markup.
A template need not use every slot: real pages show the author or the date in only some places.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

_SLOT = re.compile(r"\{\{(\w+)\}\}")
_META_CHARSET = re.compile(r"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>", re.I)
_HEAD_OPEN = re.compile(r"<head(\s[^>]*)?>", re.I)
MARKUP_SLOTS = frozenset({"head", "body"})


def load_templates(folder: Path) -> dict[str, str]:
    """Every ``NAME.html`` or ``NAME.html.gz`` of ``folder``, by NAME."""
    found: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".html.gz"):
            found[path.name.removesuffix(".html.gz")] = gzip.decompress(path.read_bytes()).decode()
        elif path.name.endswith(".html"):
            found[path.name.removesuffix(".html")] = path.read_text(encoding="utf-8")
    if not found:
        raise FileNotFoundError(f"no .html or .html.gz templates in {folder}")
    return found


def bundled_templates() -> dict[str, str]:
    """The plain templates shipped in the package, for ``monitor demo`` (no publisher markup)."""
    folder = resources.files("monitor.publisher_site") / "templates"
    return {
        entry.name.removesuffix(".html"): entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".html")
    }


def fill_template(template: str, values: Mapping[str, str], charset: str) -> str:
    """The template with every slot replaced and its ``<meta charset>`` set to ``charset``.

    ``values`` must already be escaped where needed (see :func:`pages.render_article`); an
    unknown slot becomes empty rather than leaking ``{{...}}`` into a page.
    """
    page = _SLOT.sub(lambda m: values.get(m.group(1), ""), template)
    declaration = f'<meta charset="{charset}">'
    if _META_CHARSET.search(page):
        return _META_CHARSET.sub(declaration, page, count=1)
    return _HEAD_OPEN.sub(lambda m: m.group(0) + declaration, page, count=1)
