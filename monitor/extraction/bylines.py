"""Author names from the visible byline, for pages whose structured data names none.

Looks, in order, at ``itemprop="author"``, ``rel="author"`` links and elements whose class
says author or byline, and keeps the first group that yields short, name-like texts.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from monitor.extraction.normalise import normalise_inline

_CLASS_WORD = re.compile(
    r"(?:^|[\s_-])(?:author|authors|byline|autor|auteur|signature)(?:$|[\s_-])", re.IGNORECASE
)
_NOT_BYLINE_CLASS = re.compile(
    r"avatar|image|img|photo|bio|desc|twitter|social|follow|list-title|title|more|related|box"
    r"|popup|modal|comment",
    re.IGNORECASE,
)
_MAX_CANDIDATE_CHARS = 120
_MAX_CANDIDATES = 8


def _visible_text(element: HtmlElement) -> str:
    return normalise_inline(" ".join(element.itertext()))


def _usable(text: str) -> bool:
    return 2 <= len(text) <= _MAX_CANDIDATE_CHARS and any(ch.isalpha() for ch in text)


def _is_byline_element(element: HtmlElement) -> bool:
    if not isinstance(element.tag, str) or element.tag in {"script", "style", "img"}:
        return False
    css = element.get("class") or ""
    return bool(css) and bool(_CLASS_WORD.search(css)) and not _NOT_BYLINE_CLASS.search(css)


def bylines_from_html(tree: HtmlElement) -> list[str]:
    """Raw byline strings (to be split and cleaned by :mod:`.authors`); empty when none."""
    body = next(tree.iter("body"), None)
    if body is None:
        return []
    itemprop: list[str] = []
    for element in body.iterfind(".//*[@itemprop='author']"):
        named = element.find(".//*[@itemprop='name']")
        source = named if named is not None else element
        text = source.get("content") or _visible_text(source)
        if _usable(text):
            itemprop.append(text)
        if len(itemprop) >= _MAX_CANDIDATES:
            break
    if itemprop:
        return list(dict.fromkeys(itemprop))
    rel_links = [
        _visible_text(a) for a in body.iterfind(".//a[@rel='author']") if _usable(_visible_text(a))
    ]
    if rel_links:
        return list(dict.fromkeys(rel_links))[:_MAX_CANDIDATES]
    classed: list[str] = []
    for element in body.iter():
        if not _is_byline_element(element):
            continue
        # The innermost byline element holds the name; its container adds "Twitter", dates...
        if any(_is_byline_element(child) for child in element.iterdescendants()):
            continue
        text = _visible_text(element)
        if _usable(text):
            classed.append(text)
            if len(classed) >= _MAX_CANDIDATES:
                break
    return list(dict.fromkeys(classed))[:2]
