"""Author names from the visible byline, for pages whose structured data names none.

Looks, in order, at ``itemprop="author"``, ``rel="author"`` links, elements whose class
says author or byline, links to an author page (``/autoren/name/max-kolter``) and a name
set in bold as the first or last paragraph of the text (small CMSs type the byline into the
article), and keeps the first group that yields short, name-like texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

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
#: Path segments of an author's page: ``/author/jane-doe``, ``/autoren/name/max-kolter``.
_AUTHOR_PATH = re.compile(
    r"/(?:author|authors|autor|autoren|auteur|auteurs|journalist|journalists|journaliste"
    r"|journalistes|redakteur|redakteure|giornalisti|autores|forfatter|skribent)/(?:[^/]+/)*"
    r"[^/]*[^\W\d_][^/]*/$",
    re.IGNORECASE,
)
#: A typed-in byline: two to four capitalised words (or all capitals), joined by "/" or
#: "and"; nothing else in the paragraph.
_NAME_WORD = r"(?:[^\W\d_][\w'’.-]*)"
_BOLD_NAMES = re.compile(
    rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}(?:\s*(?:/|,|&|\band\b|\bet\b|\bund\b)\s*"
    rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})*$"
)
#: Paragraphs counted from either end of the text within which a bold line is a byline.
_BOLD_BYLINE_REACH = 3
_MIN_TEXT_PARAGRAPHS = 3
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
    """The first group of raw byline strings the page offers; empty when none."""
    return next(byline_groups(tree), [])


def byline_groups(tree: HtmlElement) -> Iterator[list[str]]:
    """Raw byline strings (to be split and cleaned by :mod:`.authors`), one group per way of
    marking a byline, most explicit first. A generator: the caller stops at the first group
    that yields a person, so the costlier detectors only run on pages that need them (a
    ``rel="author"`` link may name only the outlet's account, and the real byline is typed
    into the text)."""
    body = next(tree.iter("body"), None)
    if body is None:
        return
    for detector in (_itemprop_authors, _rel_author_links, _classed_bylines, _author_page_links):
        group = detector(body)
        if group:
            yield group
    group = _bold_byline(body)
    if group:
        yield group


def _itemprop_authors(body: HtmlElement) -> list[str]:
    itemprop: list[str] = []
    for element in body.iterfind(".//*[@itemprop='author']"):
        named = element.find(".//*[@itemprop='name']")
        source = named if named is not None else element
        text = source.get("content") or _visible_text(source)
        if _usable(text):
            itemprop.append(text)
        if len(itemprop) >= _MAX_CANDIDATES:
            break
    return list(dict.fromkeys(itemprop))


def _rel_author_links(body: HtmlElement) -> list[str]:
    rel_links = [
        _visible_text(a) for a in body.iterfind(".//a[@rel='author']") if _usable(_visible_text(a))
    ]
    return list(dict.fromkeys(rel_links))[:_MAX_CANDIDATES]


def _classed_bylines(body: HtmlElement) -> list[str]:
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


def _author_page_links(body: HtmlElement) -> list[str]:
    """Texts of links to author pages, from the first byline only: the first such link and
    those sharing its grandparent (teasers further down link their own authors)."""
    links = [
        a
        for a in body.iter("a")
        if _AUTHOR_PATH.search(urlsplit(a.get("href") or "").path + "/")
        and _usable(_visible_text(a))
    ]
    if not links:
        return []
    first = links[0]
    scope = first.getparent()
    scope = scope.getparent() if scope is not None and scope.getparent() is not None else scope
    names = [_visible_text(a) for a in links if scope is not None and _is_within(a, scope)]
    return list(dict.fromkeys(names))[:_MAX_CANDIDATES]


def _is_within(element: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())


def _is_capitalised(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return bool(letters) and letters[0].isupper()


def _bold_line(paragraph: HtmlElement) -> str | None:
    """The paragraph's text when all of it is one ``<strong>``/``<b>`` run of names."""
    children = [c for c in paragraph if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag not in {"strong", "b"}:
        return None
    text = _visible_text(paragraph)
    if text != _visible_text(children[0]) or not _BOLD_NAMES.match(text):
        return None
    words = [w for w in re.split(r"[\s/,&]+", text) if w and w.lower() not in {"and", "et", "und"}]
    return text if all(_is_capitalised(w) for w in words) else None


def _bold_byline(body: HtmlElement) -> list[str]:
    """A byline typed into the text: ``<p><strong>Jane Doe</strong></p>`` among the first or
    last few paragraphs of a container that holds the article's paragraphs."""
    containers = dict.fromkeys(p.getparent() for p in body.iter("p"))
    for container in (c for c in containers if c is not None):
        paragraphs = [p for p in container if p.tag == "p" and _visible_text(p)]
        if len(paragraphs) < _MIN_TEXT_PARAGRAPHS:
            continue
        edges = paragraphs[:_BOLD_BYLINE_REACH] + paragraphs[-1:]
        for paragraph in edges:
            line = _bold_line(paragraph)
            if line:
                return [line]
    return []
