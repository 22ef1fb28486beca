"""The publisher's own structured data: JSON-LD, OpenGraph, ``article:*`` and other meta tags.

Read from the already-parsed lxml tree (the page is parsed once). Everything here is raw
strings: interpretation (dates, authors, titles) happens in the modules that own it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any

from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

#: schema.org types whose ``headline``/``datePublished`` describe the page's article.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "scholarlyarticle",
        "techarticle",
        "creativework",
        "webpage",
        "itempage",
        "videoobject",
    }
)
_PREFERRED_TYPES = frozenset(t for t in ARTICLE_TYPES if t.endswith("article") or "posting" in t)
_ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})
#: Many pages wrap JSON-LD in huge scripts (whole app state); none of those is metadata.
_MAX_JSONLD_CHARS = 2_000_000
_MAX_NODES = 2_000


@dataclass(frozen=True, slots=True)
class JsonLdAuthor:
    """One ``author`` entry: its name and whether schema.org calls it an organisation."""

    name: str
    is_organisation: bool


@dataclass(frozen=True, slots=True)
class JsonLdArticle:
    """The fields of the page's main JSON-LD article object, as strings."""

    type: str
    headline: str | None
    date_published: str | None
    date_modified: str | None
    authors: tuple[JsonLdAuthor, ...]
    publisher: str | None
    article_body: str | None
    language: str | None
    url: str | None
    accessible_for_free: bool | None


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Everything structured the page says about itself."""

    jsonld: JsonLdArticle | None
    meta: dict[str, tuple[str, ...]]
    canonical_link: str | None
    html_title: str | None
    html_lang: str | None

    def first_meta(self, *names: str) -> str | None:
        """The first non-empty value among the meta keys, in the order given."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value.strip():
                    return value.strip()
        return None


def read_page_metadata(tree: HtmlElement) -> PageMetadata:
    """Collect JSON-LD, meta tags, canonical link, ``<title>`` and ``<html lang>``."""
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    canonical = None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            canonical = link.get("href", "").strip()
            break
    title_element = next(tree.iter("title"), None)
    html_title = title_element.text_content() if title_element is not None else None
    html_lang = tree.get("lang") or tree.get("xml:lang") if tree.tag == "html" else None
    return PageMetadata(
        jsonld=_main_article(tree),
        meta={key: tuple(values) for key, values in meta.items()},
        canonical_link=canonical,
        html_title=html_title,
        html_lang=html_lang,
    )


def _json_documents(tree: HtmlElement) -> Iterator[Any]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        if not text or len(text) > _MAX_JSONLD_CHARS:
            continue
        # Some CMSs wrap the JSON in an HTML comment or CDATA.
        text = text.removeprefix("<!--").removesuffix("-->").strip()
        text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            yield json.loads(text, strict=False)
        except ValueError:
            logger.debug("unparseable JSON-LD block skipped")


def _walk(node: Any, budget: list[int]) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON document, breadth first within a node budget."""
    stack = [node]
    while stack and budget[0] > 0:
        current = stack.pop(0)
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict):
            budget[0] -= 1
            yield current
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                child = current.get(key)
                if isinstance(child, dict | list):
                    stack.append(child)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    values = kind if isinstance(kind, list) else [kind]
    return {v.lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        # CMSs routinely HTML-escape inside JSON strings (``&quot;``, ``&#8217;``).
        return unescape(value).strip() or None
    if isinstance(value, list):
        for item in value:
            found = _text(item)
            if found:
                return found
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("url"))
    return None


def _authors(value: Any, by_id: dict[str, dict[str, Any]]) -> tuple[JsonLdAuthor, ...]:
    entries = value if isinstance(value, list) else [value]
    found: list[JsonLdAuthor] = []
    for entry in entries:
        if isinstance(entry, dict) and "name" not in entry and isinstance(entry.get("@id"), str):
            # Yoast and other graph-style markup point at a Person node elsewhere.
            entry = by_id.get(entry["@id"], entry)
        if isinstance(entry, str) and entry.strip():
            found.append(JsonLdAuthor(unescape(entry).strip(), False))
        elif isinstance(entry, dict):
            name = entry.get("name")
            if isinstance(name, list):
                name = " ".join(n for n in name if isinstance(n, str))
            if not isinstance(name, str) or not name.strip():
                given, family = entry.get("givenName"), entry.get("familyName")
                name = " ".join(p for p in (given, family) if isinstance(p, str))
            if isinstance(name, str) and name.strip():
                name = unescape(name)
                is_org = bool(_types(entry) & _ORGANISATION_TYPES)
                found.append(JsonLdAuthor(name.strip(), is_org))
    return tuple(found)


def _ref(value: Any) -> str:
    return value.get("@id", "") if isinstance(value, dict) and "name" not in value else ""


def _score(node: dict[str, Any]) -> int:
    types = _types(node)
    score = 0
    if types & _PREFERRED_TYPES:
        score += 4
    if node.get("headline"):
        score += 2
    if node.get("datePublished"):
        score += 2
    if node.get("author"):
        score += 1
    if node.get("articleBody"):
        score += 1
    return score


def _main_article(tree: HtmlElement) -> JsonLdArticle | None:
    budget = [_MAX_NODES]
    nodes = [node for document in _json_documents(tree) for node in _walk(document, budget)]
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    candidates = [
        node
        for node in nodes
        if _types(node) & ARTICLE_TYPES and (node.get("headline") or node.get("datePublished"))
    ]
    if not candidates:
        return None
    best = max(candidates, key=_score)
    free = best.get("isAccessibleForFree")
    if isinstance(free, str):
        free = {"true": True, "false": False}.get(free.strip().lower())
    url = best.get("url") or best.get("mainEntityOfPage")
    language = best.get("inLanguage")
    return JsonLdArticle(
        type=next(iter(sorted(_types(best))), ""),
        headline=_text(best.get("headline")) or _text(best.get("name")),
        date_published=_text(best.get("datePublished")),
        date_modified=_text(best.get("dateModified")),
        authors=_authors(best.get("author"), by_id),
        publisher=_text(by_id.get(_ref(best.get("publisher")), best.get("publisher"))),
        article_body=best.get("articleBody") if isinstance(best.get("articleBody"), str) else None,
        language=_text(language)
        if not isinstance(language, dict)
        else _text(language.get("alternateName") or language.get("name")),
        url=_text(url) if isinstance(url, str | dict) else None,
        accessible_for_free=free if isinstance(free, bool) else None,
    )


def microdata_published(tree: HtmlElement) -> str | None:
    """The first schema.org microdata ``datePublished`` value outside ``<meta>`` (which
    :func:`read_page_metadata` already reads): ``<time itemprop="datePublished"
    datetime="2023-08-30T16:45+0100">``. The main article's byline comes before the teasers'."""
    for element in tree.iterfind(".//*[@itemprop='datePublished']"):
        value = element.get("datetime") or element.get("content")
        if value and value.strip():
            return value.strip()
    return None
