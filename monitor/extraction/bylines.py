"""Author names from the visible byline, for pages whose structured data names none.

Looks, in order, at ``itemprop="author"``, ``rel="author"`` links, elements whose class
says author or byline (without the section links and brand marks they hold), links to an
author page (``/autoren/name/max-kolter``), labelled facts boxes and credit lines
(``Von: …``, ``(责编：…)``), a name set in bold as the first or last paragraph of the
text (small CMSs type the byline into the article), then, in no markup at all, a name set
beside the date under the headline (``Sehernur Karsu | 05.04.2025``) or the credit line
closing the text (newsroom initials ``ssi, dan; Foto: …``, or ``Outlet / Source``), and keeps
the first group that yields short, name-like texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from monitor.extraction.credits import names_outlet
from monitor.extraction.normalise import normalise_inline

_CLASS_WORD = re.compile(
    r"(?:^|[\s_-])(?:author|authors|byline|autor|auteur|signature)(?:$|[\s_-])", re.IGNORECASE
)
_NOT_BYLINE_CLASS = re.compile(
    r"avatar|image|img|photo|bio|desc|twitter|social|follow|list-title|title|more|related|box"
    r"|popup|modal|comment|brand|logo",
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
#: "Von:", "By:", "Par :" as an element's leading text, the names following in its children.
_COLON_LABEL = re.compile(r"^(?:von|by|par|door|di|por|af|av|text|texte)\s*:$", re.IGNORECASE)
#: A credit line that is all label and names, as Chinese sites end an article:
#: ``(责编：牛镛、岳弘彬)``, ``【责任编辑：王明】``, ``作者：李华``. The element holds nothing else.
_CREDIT_LINE = re.compile(
    r"^[(（【\[]?\s*(?:作者|记者|撰文|责编|责任编辑|编辑)\s*[:：]\s*(?P<names>[^()（）【】\[\]]+?)"
    r"\s*[)）】\]]?$"
)
#: Newsroom initials closing an article, alone or before other credits: ``ssi, dan; Foto [M]:
#: Shutterstock``, ``(jmu/dpa)``. Lower-case on purpose: capitals would be words or names.
_CLOSING_INITIALS = re.compile(
    r"^\(?(?P<names>[a-zäöüß]{2,4}(?:\s*[,/]\s*[a-zäöüß]{2,4}){0,4})\)?"
    r"(?:\s*;\s*[^;:]{1,40}:[^;]{1,80}){0,4}\s*;?$"
)
#: The outlet and its source closing an article: ``Wochenblatt / Última Hora``.
_CLOSING_SOURCE = re.compile(r"^[^\W\d_][^/|]{0,40}(?:\s+[/|]\s+[^\W\d_][^/|]{0,40}){1,2}$")
#: A date starting an element's text: ``05.04.2025 - Güncelleme``, ``2024-04-05``.
_LEADING_DATE = re.compile(r"^\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})\b")
#: A name set beside the date line, with the separator the page draws between them.
_DATELINE_NAME = re.compile(rf"^(?P<names>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s*[|·•,–—-]?$")
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


#: Links and labels a byline container may hold besides the names: the section ("منوعات",
#: "Politik"), tags, the date.
_NOT_NAME_CLASS = re.compile(r"categor|section|rubri|kicker|topic|\btags?\b|date|time", re.I)
_NOT_NAME_PATH = re.compile(r"/(?:category|categories|section|sections|tag|tags|topic|topics)/")


def _is_not_a_name(element: HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return False
    if _NOT_NAME_CLASS.search(element.get("class") or ""):
        return True
    return element.tag == "a" and bool(_NOT_NAME_PATH.search(element.get("href") or ""))


def _byline_text(element: HtmlElement) -> str:
    """The text of a byline element without the section links, tags and dates it holds."""
    if not any(_is_not_a_name(e) for e in element.iterdescendants()):
        return _visible_text(element)
    copy = deepcopy(element)
    copy.tail = None
    for descendant in [e for e in copy.iterdescendants() if _is_not_a_name(e)]:
        if descendant.getparent() is not None:
            descendant.drop_tree()
    return _visible_text(copy)


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


def marked_bylines(tree: HtmlElement) -> list[str]:
    """The article's byline as its author markup gives it (``itemprop="author"``, then
    ``rel="author"`` links): the cheap, explicit detectors only, for checking a structured
    author list against what the page shows."""
    body = next(tree.iter("body"), None)
    if body is None:
        return []
    return _itemprop_authors(body) or _rel_author_links(body)


def byline_groups(tree: HtmlElement, outlets: Iterable[str] = ()) -> Iterator[list[str]]:
    """Raw byline strings (to be split and cleaned by :mod:`.authors`), one group per way of
    marking a byline, most explicit first. A generator: the caller stops at the first group
    that yields a person, so the costlier detectors only run on pages that need them (a
    ``rel="author"`` link may name only the outlet's account, and the real byline is typed
    into the text). ``outlets`` are the outlet's squashed names (:func:`.credits.outlet_keys`):
    a closing ``Outlet / Source`` line is only a credit when it names the outlet."""
    body = next(tree.iter("body"), None)
    if body is None:
        return
    detectors = (
        _itemprop_authors,
        _rel_author_links,
        _classed_bylines,
        _author_page_links,
        _labelled_bylines,
        _credit_lines,
    )
    for detector in detectors:
        group = detector(body)
        if group:
            yield group
    group = _bold_byline(body)
    if group:
        yield group
    group = _dateline_byline(body) or _closing_credit(body, set(outlets))
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
    innermost = [e for e in marked if e not in containers and _usable(_byline_text(e))][
        :_MAX_SCANNED
    ]
    return _distinct_usable(_byline_text(e) for e in _first_byline(innermost))[:2]


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


def _credit_lines(body: HtmlElement) -> list[str]:
    """The first labelled credit line: ``<div class="edit">(责编：牛镛、岳弘彬)</div>``, or
    ``<li>Von: <span><a>Bill McCarthy</a>, </span>…</li>`` (a label with a colon, then only
    the names)."""
    for element in body.iter("div", "p", "span", "em", "li"):
        text = (element.text or "").strip()
        if not text or len(text) > _MAX_CANDIDATE_CHARS:
            continue
        if not len(element):
            match = _CREDIT_LINE.match(text)
            if match:
                return [match["names"]]
        elif _COLON_LABEL.match(text):
            rest = _visible_text(element).removeprefix(text).strip(" ,")
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


def _dateline_byline(body: HtmlElement) -> list[str]:
    """A name set just before the date under the headline, in no author markup:
    ``<h1>…</h1><div><span>Sehernur Karsu |</span><span>05.04.2025</span></div>``."""
    h1 = next(body.iter("h1"), None)
    scope = h1.getparent() if h1 is not None else None
    if scope is None:
        return []
    for element in scope.iterdescendants("span", "div", "p", "li", "a", "strong", "b"):
        if len(element) or not element.text:
            continue
        following = element.getnext()
        if following is None or not (
            following.tag == "time" or _LEADING_DATE.match(_visible_text(following))
        ):
            continue
        match = _DATELINE_NAME.match(_visible_text(element))
        if match and all(
            _is_capitalised(w) and w.casefold() not in _NOT_NAME_WORDS
            for w in match["names"].split()
        ):
            return [match["names"]]
    return []


def _closing_credit(body: HtmlElement, outlets: set[str]) -> list[str]:
    """The credit line that closes the article's text, after its last paragraph or as it:
    newsroom initials (``ssi, dan; Foto [M]: Shutterstock``) or the outlet and its source
    (``Wochenblatt / Última Hora``: the source is the credit, the outlet is dropped later)."""
    containers = dict.fromkeys(p.getparent() for p in body.iter("p"))
    for container in (c for c in containers if c is not None):
        paragraphs = [p for p in container if p.tag == "p" and _visible_text(p)]
        if len(paragraphs) < _MIN_TEXT_PARAGRAPHS:
            continue
        last = paragraphs[-1]
        following = last.getnext()
        for element in (following, last):
            if element is None or not isinstance(element.tag, str):
                continue
            line = _visible_text(element)
            if not line or len(line) > _MAX_CANDIDATE_CHARS:
                continue
            initials = _CLOSING_INITIALS.match(line)
            # One bare lower-case word ("ende", "fin") is no credit without the brackets or
            # the further credits that mark it as one.
            if initials and (line != initials["names"] or len(re.split(r"[,/]", line)) > 1):
                return [initials["names"]]
            if _CLOSING_SOURCE.match(line):
                parts = [part.strip() for part in re.split(r"\s+[/|]\s+", line)]
                if any(names_outlet(part, outlets) for part in parts) and all(
                    len(part.split()) <= 4 and _is_capitalised(part) for part in parts
                ):
                    return [line]
    return []
