"""Author names from the visible byline, for pages whose structured data names none.

Looks, in order, at ``itemprop="author"``, ``rel="author"`` links, elements whose class
says author or byline, links to an author page (``/autoren/name/max-kolter``) and a name
set in bold as the first or last paragraph of the text (small CMSs type the byline into the
article), and keeps the first group that yields short, name-like texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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
#: A label that says "author" in a facts box: ``Autorin/Autor``, ``Author:``, ``Auteur``.
_LABEL = re.compile(
    r"^(?:autor(?:in)?(?:\s*/\s*autor(?:in)?)?|autoren|author|authors|auteur|auteurs|autore"
    r"|autores|autori|forfatter|skribent)\s*:?$",
    re.IGNORECASE,
)
_MAX_LABELLED_WORDS = 8
#: Words of title-case furniture ("Read More", "Related Articles", "Lire aussi") that never
#: occur in a person's name.
_NOT_NAME_WORDS = frozenset(
    {
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "with",
        "read",
        "more",
        "also",
        "related",
        "article",
        "articles",
        "share",
        "see",
        "click",
        "here",
        "subscribe",
        "follow",
        "us",
        "lire",
        "aussi",
        "voir",
        "plus",
        "mehr",
        "weiterlesen",
        "lesen",
        "sie",
        "auch",
        "photo",
        "photos",
        "video",
        "update",
        "updates",
        "editor's",
        "note",
    }
)
#: Paragraphs counted from either end of the text within which a bold line is a byline.
_BOLD_BYLINE_REACH = 3
_MIN_TEXT_PARAGRAPHS = 3
_MAX_CANDIDATE_CHARS = 120
_MAX_CANDIDATES = 8
#: Elements of one kind looked at; a page of a thousand teaser bylines is not read through.
_MAX_SCANNED = 200


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
    detectors = (
        _itemprop_authors,
        _rel_author_links,
        _classed_bylines,
        _author_page_links,
        _labelled_bylines,
    )
    for detector in detectors:
        group = detector(body)
        if group:
            yield group
    group = _bold_byline(body)
    if group:
        yield group


def _itemprop_authors(body: HtmlElement) -> list[str]:
    elements = body.xpath(".//*[@itemprop='author']")[:_MAX_SCANNED]
    first_byline = _first_byline(elements)
    texts = []
    for element in first_byline:
        named = element.find(".//*[@itemprop='name']")
        source = named if named is not None else element
        texts.append(source.get("content") or _visible_text(source))
    return _distinct_usable(texts)


def _rel_author_links(body: HtmlElement) -> list[str]:
    links = body.xpath(".//a[@rel='author']")[:_MAX_SCANNED]
    return _distinct_usable(_visible_text(a) for a in _first_byline(links))


def _classed_bylines(body: HtmlElement) -> list[str]:
    marked = [element for element in body.iter() if _is_byline_element(element)]
    # The innermost byline element holds the name; its container adds "Twitter", dates...
    containers = {a for element in marked for a in element.iterancestors()}
    innermost = [e for e in marked if e not in containers and _usable(_visible_text(e))][
        :_MAX_SCANNED
    ]
    return _distinct_usable(_visible_text(e) for e in _first_byline(innermost))[:2]


def _author_page_links(body: HtmlElement) -> list[str]:
    """Texts of links to author pages (``/autoren/name/max-kolter``)."""
    links = [
        a
        for a in body.iter("a")
        if _AUTHOR_PATH.search(urlsplit(a.get("href") or "").path + "/")
        and _usable(_visible_text(a))
    ]
    return _distinct_usable(_visible_text(a) for a in _first_byline(links))


def _labelled_bylines(body: HtmlElement) -> list[str]:
    """``<li><strong>Autorin/Autor</strong> Roman Goncharenko</li>``: a label element
    followed by the name, as in a facts box next to the article."""
    for label in body.iter("strong", "b", "dt", "span", "th"):
        # The label's own text first: cheap, and it rules out nearly every element.
        if not _LABEL.match((label.text or "").strip()) or len(label):
            continue
        parent = label.getparent()
        if parent is None or label is not parent[0]:
            continue
        rest = normalise_inline(" ".join(parent.itertext())).removeprefix(_visible_text(label))
        if label.tag in {"dt", "th"}:
            following = label.getnext()
            rest = _visible_text(following) if following is not None else ""
        rest = rest.strip(" :")
        if _usable(rest) and len(rest.split()) <= _MAX_LABELLED_WORDS:
            return [rest]
    return []


def _first_byline(elements: list[HtmlElement]) -> list[HtmlElement]:
    """The first element and those sharing its grandparent: the article's own byline.
    Teasers and "more from" lists further down the page credit their own authors."""
    if not elements:
        return []
    scope = elements[0].getparent()
    if scope is not None and scope.getparent() is not None:
        scope = scope.getparent()
    if scope is None:
        return elements[:1]
    return [e for e in elements if e is elements[0] or _is_within(e, scope)]


def _distinct_usable(texts: Iterable[str]) -> list[str]:
    usable = [text for text in texts if _usable(text)]
    return list(dict.fromkeys(usable))[:_MAX_CANDIDATES]


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
    if any(w.casefold() in _NOT_NAME_WORDS for w in words):
        return None
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
