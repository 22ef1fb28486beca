"""Finding article URLs: RSS 1.0/2.0 and Atom feeds, sitemaps and news sitemaps, feed
autodiscovery, and the article-looking-URL rule of site crawls. Pure: bytes in, links out.

XML from the network is hostile until proven otherwise: entities are never expanded, no DTD
or network access, bodies are size-capped (also after gunzip), and a malformed document
raises DiscoveryError with a reason instead of taking the crawl down.
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from monitor.errors import MonitorError

MAX_XML_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class DiscoveryError(MonitorError):
    """A feed or sitemap that cannot be read; ``reason`` is the fetch outcome to record."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Link:
    """A candidate article URL with what the feed or sitemap said of it."""

    url: str
    published: datetime | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """The items of a feed; ``problem`` says what was wrong with a document read in recovery."""

    links: tuple[Link, ...] = ()
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A sitemap index (``children`` are sitemaps) or a URL set (``links`` are pages)."""

    children: tuple[Link, ...] = ()
    links: tuple[Link, ...] = ()
    problem: str | None = None


def _safe_parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=recover
    )


def _maybe_gunzip(body: bytes, limit: int) -> bytes:
    if not body.startswith(_GZIP_MAGIC):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError) as exc:
        raise DiscoveryError("parse_error", f"corrupt gzip data: {exc}") from None
    if len(data) > limit:
        raise DiscoveryError("too_large", f"more than {limit} bytes once decompressed")
    return data


def _parse_xml(body: bytes, limit: int | None = None) -> tuple[etree._Element, str | None]:
    """The document's root, and a problem when it was malformed and read in recovery mode.

    Real feeds are often slightly broken (a stray ``&``); what can be recovered is used, and
    the problem is reported so the fetch log says so.
    """
    limit = MAX_XML_BYTES if limit is None else limit
    if len(body) > limit:
        raise DiscoveryError("too_large", f"XML document over {limit} bytes")
    data = _maybe_gunzip(body, limit)
    if not data.strip():
        raise DiscoveryError("parse_error", "empty document")
    problem = None
    try:
        root = etree.fromstring(data, parser=_safe_parser(recover=False))
    except etree.XMLSyntaxError as exc:
        problem = f"malformed XML ({exc})"
        try:
            root = etree.fromstring(data, parser=_safe_parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
    if root is None:
        raise DiscoveryError("parse_error", problem or "not XML: no root element")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or "ENTITY" in str(dtd)):
        # Feeds and sitemaps have no use for entity declarations; they are how entity
        # expansion ("billion laughs") and external-entity attacks are written.
        raise DiscoveryError("parse_error", "refused: the document declares XML entities")
    return root, problem


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_date(text: str | None) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) → aware datetime; None when unreadable."""
    if not text:
        return None
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _absolute(url: str | None, base: str) -> str | None:
    if not url:
        return None
    joined = urljoin(base, url.strip())
    return joined if urlsplit(joined).scheme in ("http", "https") else None


def parse_feed(body: bytes, base_url: str) -> Feed:
    """Items of an RSS 1.0, RSS 2.0 or Atom feed, in document order."""
    root, problem = _parse_xml(body)
    kind = _local(root.tag)
    links: list[Link] = []
    if kind == "feed":  # Atom
        for entry in root:
            if _local(entry.tag) != "entry":
                continue
            href = None
            for link in entry:
                if _local(link.tag) == "link" and link.get("rel", "alternate") == "alternate":
                    href = link.get("href")
                    break
            url = _absolute(href, base_url)
            if url:
                date = parse_date(_child_text(entry, "published") or _child_text(entry, "updated"))
                links.append(Link(url, date, _child_text(entry, "title")))
    elif kind in ("rss", "rdf"):
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            url = _absolute(_child_text(item, "link") or _guid_link(item), base_url)
            if url:
                date = parse_date(_child_text(item, "pubdate", "date"))
                links.append(Link(url, date, _child_text(item, "title")))
    else:
        raise DiscoveryError("parse_error", f"not an RSS or Atom feed (root element <{kind}>)")
    if problem and not links:
        raise DiscoveryError("parse_error", problem)
    return Feed(tuple(links), problem)


def _guid_link(item: etree._Element) -> str | None:
    for child in item:
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true") != "false":
            return (child.text or "").strip() or None
    return None


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    """A sitemap index or URL set; news sitemaps give the publication date and title."""
    root, problem = _parse_xml(body)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = []
        for entry in root:
            url = _absolute(_child_text(entry, "loc"), base_url)
            if url:
                children.append(Link(url, parse_date(_child_text(entry, "lastmod"))))
        if problem and not children:
            raise DiscoveryError("parse_error", problem)
        return Sitemap(children=tuple(children), problem=problem)
    if kind != "urlset":
        raise DiscoveryError("parse_error", f"not a sitemap (root element <{kind}>)")
    links = []
    for entry in root:
        url = _absolute(_child_text(entry, "loc"), base_url)
        if not url:
            continue
        published, title = None, None
        for child in entry:
            if _local(child.tag) == "news":
                published = parse_date(_child_text(child, "publication_date"))
                title = _child_text(child, "title")
        links.append(Link(url, published or parse_date(_child_text(entry, "lastmod")), title))
    if problem and not links:
        raise DiscoveryError("parse_error", problem)
    return Sitemap(links=tuple(links), problem=problem)


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def discover_feeds(page: bytes, base_url: str) -> list[str]:
    """Feeds a homepage announces with ``<link rel="alternate" type="application/rss+xml">``."""
    try:
        document = html.fromstring(page)
    except (etree.ParserError, ValueError):
        return []
    found = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in _FEED_TYPES:
            url = _absolute(link.get("href"), base_url)
            if url and url not in found:
                found.append(url)
    return found


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    found = []
    for line in robots_txt.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap":
            url = _absolute(value.strip(), base_url)
            if url and url not in found:
                found.append(url)
    return found


_ARTICLE_PATH = re.compile(
    r"(/\d{4}/\d{2}/\d{2}/)|(/article[s]?/)|(\.html?$)|(/[a-z0-9]+(?:-[a-z0-9]+){3,}/?$)|(_\d{4,}\.)",
    re.I,
)
_NOT_ARTICLE = re.compile(
    r"/(tag|tags|auteur|author|recherche|search|login|abonnement|subscribe|newsletter|page|agenda)/"
    r"|\.(jpg|jpeg|png|gif|pdf|zip|mp3|mp4|css|js|xml|rss)$",
    re.I,
)
MAX_URL_LENGTH = 500


def looks_like_article(url: str) -> bool:
    """An article page rather than a section, tag or calendar page, from its URL alone."""
    if len(url) > MAX_URL_LENGTH:
        return False
    path = urlsplit(url).path
    return bool(_ARTICLE_PATH.search(path)) and not _NOT_ARTICLE.search(path)


def looks_like_trap(url: str, *, max_segments: int = 12, max_repeats: int = 2) -> bool:
    """Calendars, session ids and path loops: URLs a bounded crawl must not follow forever."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(url) > MAX_URL_LENGTH or len(segments) > max_segments:
        return True
    if any(segments.count(s) > max_repeats for s in set(segments)):
        return True
    return bool(re.search(r"(sessionid|sid|phpsessid|jsessionid)=", parts.query, re.I))
