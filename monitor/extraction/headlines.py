"""The visible headline: the page's ``<h1>``, without the kicker above it.

Structured titles (JSON-LD ``headline``, ``og:title``) are often the SEO title, written for
search engines; the ``<h1>`` is what readers see. A kicker (``Dachzeile``, ``surtitre``) inside
the ``<h1>`` is kept: publishers' own titles carry it as ``Kicker: Headline``.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml.html import HtmlElement

from monitor.extraction.normalise import normalise_inline

#: Text only screen readers get ("Article:", "Headline:") is not part of the headline.
_KICKER_CLASS = re.compile(r"visually-?hidden|sr-only|screen-reader", re.IGNORECASE)
_MIN_CHARS = 8
#: An ``<h1>`` in the breadcrumb trail repeats the page's SEO title; the headline readers
#: see is elsewhere.
_BREADCRUMB_CLASS = re.compile(r"breadcrumb", re.IGNORECASE)


def _text_without_kickers(h1: HtmlElement) -> str:
    if not any(_KICKER_CLASS.search(e.get("class") or "") for e in h1.iterdescendants()):
        return normalise_inline(" ".join(h1.itertext()))
    copy = deepcopy(h1)
    for element in list(copy.iterdescendants()):
        if _KICKER_CLASS.search(element.get("class") or "") and element.getparent() is not None:
            element.drop_tree()
    return normalise_inline(" ".join(copy.itertext()))


def _in_breadcrumb(h1: HtmlElement) -> bool:
    """The ``<h1>`` or its parent is a breadcrumb item (wrappers further up may carry
    "breadcrumb" in a layout class and hold the real headline too)."""
    parent = h1.getparent()
    return any(
        _BREADCRUMB_CLASS.search(e.get("class") or "") for e in (h1, parent) if e is not None
    )


def visible_headline(tree: HtmlElement, max_chars: int) -> str | None:
    """The single headline the page shows, or None when there is none or several differ."""
    body = next(tree.iter("body"), None)
    if body is None:
        return None
    scoped = body.xpath(".//article//h1|.//main//h1")
    h1s = [h for h in scoped or body.iter("h1") if not _in_breadcrumb(h)]
    texts = [
        t for t in (_text_without_kickers(h) for h in h1s) if _MIN_CHARS <= len(t) <= max_chars
    ]
    distinct = list(dict.fromkeys(texts))
    return distinct[0] if len(distinct) == 1 else None
