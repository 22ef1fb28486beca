"""HTML bytes + URL → :class:`ExtractionResult`: the orchestration, nothing else.

The page is decoded and parsed once; the publisher's structured data is read from that tree,
and the same tree is handed to trafilatura for the body and as the metadata fallback
(trafilatura runs htmldate, so dates are never searched twice).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from monitor.article import ArticleDate, ArticleDraft
from monitor.extraction.authors import (
    add_missing_authors,
    clean_authors,
    credited_as_editor,
    split_byline,
)
from monitor.extraction.body import assemble_paragraphs
from monitor.extraction.bylines import byline_groups, marked_bylines
from monitor.extraction.credits import is_agency, outlet_keys
from monitor.extraction.dates import date_from_url, parse_date
from monitor.extraction.decoding import decode_html
from monitor.extraction.headlines import visible_headline
from monitor.extraction.normalise import join_paragraphs, normalise_inline
from monitor.extraction.result import ExtractionResult
from monitor.extraction.settings import ExtractionSettings
from monitor.extraction.sniffing import sniff_non_html
from monitor.extraction.structured import PageMetadata, microdata_published, read_page_metadata
from monitor.extraction.titles import choose_title
from monitor.extraction.urls import choose_canonical_url, registered_domain, trivially_normalise
from monitor.extraction.walls import looks_like_consent_wall

logger = logging.getLogger(__name__)

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "published_time",
    "cxenseparse:recs:publishtime",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)
_MAX_SITE_NAME_CHARS = 60
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_AUTHOR_META = (
    "author",
    "article:author",
    "articleauthor",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
)


def extract_page(
    html: bytes,
    url: str | None = None,
    *,
    http_headers: Mapping[str, str] | None = None,
    settings: ExtractionSettings | None = None,
) -> ExtractionResult:
    """Extract one saved or fetched page. Never raises for bad input: the reason is returned."""
    settings = settings or ExtractionSettings()
    try:
        return _extract(html, url, http_headers, settings)
    except Exception as error:  # a library bug must not take the crawl down with it
        logger.exception("extraction failed unexpectedly for %s", url)
        return ExtractionResult.failure("unparseable", f"extraction failed: {error!r}")


def _extract(
    html: bytes,
    url: str | None,
    headers: Mapping[str, str] | None,
    settings: ExtractionSettings,
) -> ExtractionResult:
    if not isinstance(html, bytes | bytearray | memoryview):
        return ExtractionResult.failure("unreadable", f"expected bytes, got {type(html).__name__}")
    html = bytes(html)
    if not html.strip():
        return ExtractionResult.failure("empty", "the page is empty")
    if len(html) > settings.max_bytes:
        return ExtractionResult.failure(
            "too_large", f"the page is {len(html):,} bytes, over the {settings.max_bytes:,} limit"
        )
    refusal = sniff_non_html(html, headers)
    if refusal:
        return ExtractionResult.failure("not_html", refusal)
    text, encoding = decode_html(html, headers)
    tree = load_html(text)
    if tree is None or not isinstance(tree, HtmlElement):
        return ExtractionResult.failure("unparseable", "the page could not be parsed as HTML")
    elements = sum(1 for _ in tree.iter())
    if elements > settings.max_elements:
        return ExtractionResult.failure(
            "too_large",
            f"the page has {elements:,} elements, over the {settings.max_elements:,} limit",
        )
    page = read_page_metadata(tree)
    document = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=settings.include_comments,
        include_tables=settings.include_tables,
        fast=len(html) > settings.fast_above_bytes,
    )
    body_element = next(tree.iter("body"), None)
    visible = normalise_inline(body_element.text_content()) if body_element is not None else ""
    body = _body(document, page, tree, visible, settings)
    if len(body) < settings.min_text_chars:
        if looks_like_consent_wall(tree):
            return ExtractionResult.failure("consent_wall", "a consent or login wall, no article")
        return ExtractionResult.failure("no_article", "no article text found on the page")
    logger.debug("extracted %s (%s, %d chars)", url, encoding, len(body))
    return ExtractionResult(draft=_draft(body, url, page, tree, document, visible, settings))


def _field(document: Any, name: str) -> Any:
    return getattr(document, name, None) if document is not None else None


def _body(
    document: Any, page: PageMetadata, tree: HtmlElement, visible: str, settings: ExtractionSettings
) -> str:
    paragraphs = assemble_paragraphs(
        _field(document, "text") or "",
        page.jsonld.article_body if page.jsonld else None,
        page.first_meta("og:description", "description", "twitter:description"),
        visible,
        titles=(
            visible_headline(tree, settings.max_title_chars),
            page.jsonld.headline if page.jsonld else None,
            page.first_meta("og:title"),
            _field(document, "title"),
        ),
        settings=settings,
    )
    return join_paragraphs(paragraphs)


def _site_names(page: PageMetadata, document: Any) -> tuple[str, ...]:
    names = [
        page.first_meta("og:site_name", "application-name", "apple-mobile-web-app-title"),
        page.jsonld.publisher if page.jsonld else None,
        _field(document, "sitename"),
    ]
    cleaned = (normalise_inline(n) for n in names if n)
    # Some pages put the whole page title in ``apple-mobile-web-app-title``; a site name is
    # short, and a long one would make every headline look like the site's own name.
    return tuple(
        dict.fromkeys(n for n in cleaned if len(n) <= _MAX_SITE_NAME_CHARS and len(n.split()) <= 6)
    )


def _draft(
    body: str,
    url: str | None,
    page: PageMetadata,
    tree: HtmlElement,
    document: Any,
    visible: str,
    settings: ExtractionSettings,
) -> ArticleDraft:
    jsonld = page.jsonld
    site_names = _site_names(page, document)
    fetched = trivially_normalise(url) if url else None
    host = urlsplit(fetched or "").hostname
    title = choose_title(
        [
            jsonld.headline if jsonld else None,
            page.first_meta("og:title", "twitter:title"),
            _field(document, "title"),
            page.html_title,
        ],
        site_names,
        host,
        settings.max_title_chars,
        visible_headline(tree, settings.max_title_chars),
    )
    canonical = choose_canonical_url(
        url, [page.canonical_link, page.first_meta("og:url"), jsonld.url if jsonld else None]
    )
    return ArticleDraft(
        text=body,
        url=fetched or canonical,
        canonical_url=canonical,
        title=title,
        authors=_authors(page, tree, document, visible, site_names, settings, fetched),
        published=_published(page, tree, document, url),
        modified=_modified(page),
        language=_language(page),
        site_name=site_names[0] if site_names else None,
        paywalled=bool(jsonld and jsonld.accessible_for_free is False),
    )


def _authors(
    page: PageMetadata,
    tree: HtmlElement,
    document: Any,
    visible: str,
    site_names: tuple[str, ...],
    settings: ExtractionSettings,
    url: str | None,
) -> tuple[str, ...]:
    jsonld = page.jsonld
    domain = registered_domain(url or _field(document, "url") or "") or ""
    label = domain.split(".")[0]
    site_names = (*site_names, label) if label else site_names
    if jsonld and jsonld.authors:
        # An Organization author is the outlet, unless it is a wire agency's credit.
        people = [a.name for a in jsonld.authors if not a.is_organisation or is_agency(a.name)]
        raw = [part for name in people for part in split_byline(name)]
        found = clean_authors(raw, site_names, settings.max_authors)
        if found and all(credited_as_editor(name, visible) for name in found):
            # The page credits the structured "author" as its editor: its byline names the
            # writer, when it has one.
            byline = _byline_authors(tree, site_names, settings)
            writers = tuple(name for name in byline if not credited_as_editor(name, visible))
            if writers:
                return writers
        if found:
            # JSON-LD sometimes credits one of the article's writers only; the page's own
            # author markup (itemprop/rel) names the others.
            marked = [part for line in marked_bylines(tree) for part in split_byline(line)]
            return add_missing_authors(found, marked, site_names, settings.max_authors)
    meta_author = _meta_byline(page)
    outlet_signed = bool(meta_author) and _signs_as_outlet(meta_author or "", domain)
    if meta_author and not outlet_signed:
        found = clean_authors(split_byline(meta_author), site_names, settings.max_authors)
        if found:
            return found
    found = _byline_authors(tree, site_names, settings)
    if found:
        return found
    # trafilatura reads the same meta tags: an outlet-signed meta author would come back.
    fallback = _field(document, "author")
    if fallback and not outlet_signed and not _signs_as_outlet(fallback, domain):
        parts = [p for chunk in fallback.split(";") for p in split_byline(chunk)]
        return clean_authors(parts, site_names, settings.max_authors)
    return ()


def _byline_authors(
    tree: HtmlElement, site_names: tuple[str, ...], settings: ExtractionSettings
) -> tuple[str, ...]:
    """The people of the first byline group on the page that names any."""
    for group in byline_groups(tree, outlet_keys(site_names)):
        found = clean_authors(
            [part for line in group for part in split_byline(line)],
            site_names,
            settings.max_authors,
        )
        if found:
            return found
    return ()


def _meta_byline(page: PageMetadata) -> str | None:
    """The first author meta value that is a byline: ``article:author`` often holds the
    author's page or the outlet's Facebook page, while ``sailthru.author`` names the writer."""
    for name in _AUTHOR_META:
        for value in page.meta.get(name, ()):
            if value.strip() and split_byline(value):
                return value.strip()
    return None


def _signs_as_outlet(credit: str, domain: str) -> bool:
    """ "Deutsche Welle (www.dw.com)", "hessenschau.de, Frankfurt, Germany": a credit that
    carries the site's own domain is the outlet signing as itself, not a byline. (A
    journalist's e-mail address on that domain is a byline.)"""
    without_emails = _EMAIL.sub(" ", credit.casefold())
    return bool(domain) and domain.casefold() in without_emails


def _published(
    page: PageMetadata, tree: HtmlElement, document: Any, url: str | None
) -> ArticleDate | None:
    jsonld = page.jsonld
    structured = (
        parse_date(jsonld.date_published, "jsonld") if jsonld else None,
        parse_date(
            page.first_meta("article:published_time", "og:article:published_time"), "opengraph"
        ),
        parse_date(page.first_meta(*_PUBLISHED_META[2:]), "meta"),
    )
    found = next((c for c in structured if c is not None), None)
    if found:
        return found
    url_date = date_from_url(url)
    candidates: list[ArticleDate | None] = [
        # Microdata on the page's own date line (``<time itemprop="datePublished">``) is the
        # publisher's markup too; htmldate, run for the oldest date, can prefer an earlier
        # "first published" of a reworked piece or a teaser's date.
        parse_date(microdata_published(tree), "meta"),
        # A full day in the article's own path beats htmldate's page-wide guess (which can
        # land on a copyright year); a month alone in the path does not.
        url_date if url_date and url_date.precision == "day" else None,
        parse_date(_field(document, "date"), "htmldate"),
        url_date,
    ]
    return next((c for c in candidates if c is not None), None)


def _modified(page: PageMetadata) -> ArticleDate | None:
    jsonld = page.jsonld
    candidates = [
        parse_date(jsonld.date_modified, "jsonld") if jsonld else None,
        parse_date(page.first_meta(*_MODIFIED_META[:2]), "opengraph"),
        parse_date(page.first_meta(*_MODIFIED_META[2:]), "meta"),
    ]
    return next((c for c in candidates if c is not None), None)


#: ISO 639-2 codes some pages use, and the Norwegian written standards, to the ISO 639-1
#: code the rest of the product uses.
_LANGUAGE_ALIASES = {
    "eng": "en",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
    "dut": "nl",
    "nb": "no",
    "nn": "no",
    "nob": "no",
    "nno": "no",
}


def _language(page: PageMetadata) -> str | None:
    candidates = [
        page.jsonld.language if page.jsonld else None,
        page.html_lang,
        page.first_meta("og:locale", "content-language", "language", "dc.language"),
    ]
    for candidate in candidates:
        if candidate:
            primary = candidate.strip().replace("_", "-").split("-")[0].lower()
            if primary.isalpha() and 2 <= len(primary) <= 3:
                return _LANGUAGE_ALIASES.get(primary, primary)
    return None
