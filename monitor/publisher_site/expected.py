"""What an ideal crawl of served sites stores, and what it records for each fault route.

Computed from the sites exactly as served, so an end-to-end test asserts against data rather
than a hand-written list: one :class:`ExpectedArticle` per distinct canonical URL (stored or
not), one :class:`ExpectedFetch` per fault URL that must end as a recorded outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.article import Relevance
from monitor.publisher_site import routes
from monitor.publisher_site.feeds import RSS_TRACKING
from monitor.publisher_site.model import PublisherSite, SiteArticle


@dataclass(frozen=True, slots=True)
class ExpectedArticle:
    """One article page and its fate in an ideal crawl.

    ``url`` is the canonical URL (the page's ``rel=canonical``, on its own host).
    ``stored`` is False for ``none`` relevance (recorded as ``irrelevant`` in the fetch log).
    ``duplicate_of`` is the canonical URL of the cluster's canonical member (the earliest
    published copy) for a syndicated copy, else None. ``variants`` are other URLs a crawl meets
    for the same article (tracking parameters, redirectors), which must not make new rows.
    ``charset_trap`` says how the page's encoding is declared: ``""`` (UTF-8, declared),
    ``"declared"`` (windows-1252, declared in header and meta) or ``"wrong"`` (windows-1252
    bytes, UTF-8 declared): the stored text must be the same correct text in every case.
    """

    url: str
    title: str
    site_name: str
    authors: tuple[str, ...]
    published: datetime
    language: str
    text: str
    relevance: Relevance
    duplicate_of: str | None
    variants: tuple[str, ...]
    charset_trap: str

    @property
    def stored(self) -> bool:
        return self.relevance != "none"


@dataclass(frozen=True, slots=True)
class ExpectedFetch:
    """A URL whose fetch must end as ``outcome`` (DESIGN.md's fetch outcomes), with a note."""

    url: str
    outcome: str
    note: str


def _charset_trap(site: PublisherSite, article: SiteArticle) -> str:
    if article.slug == site.faults.wrong_charset_slug:
        return "wrong"
    return "declared" if article.encoding.lower() != "utf-8" else ""


def _variants(site: PublisherSite, article: SiteArticle, base_url: str) -> tuple[str, ...]:
    found = [base_url + article.path + RSS_TRACKING]
    if site.faults.redirect_chain_to == article.slug:
        found += [base_url + path for path in routes.REDIRECT_CHAIN]
    return tuple(found)


def expected_outcome(*served: tuple[PublisherSite, str]) -> list[ExpectedArticle]:
    """Every article of the served ``(site, base_url)`` pairs, as an ideal crawl leaves it.

    Pass every site the crawl reaches (``RunningSite.served()``), so that a syndicated copy
    can be tied to its original.
    """
    canonical: dict[tuple[str, str], tuple[str, datetime]] = {}
    for site, base_url in served:
        for article in site.articles:
            canonical[(site.host_label, article.slug)] = (
                base_url + article.path,
                article.published,
            )
    clusters: dict[tuple[str, str], list[tuple[datetime, str]]] = {}
    for site, base_url in served:
        for article in site.articles:
            root = article.copy_of or (site.host_label, article.slug)
            clusters.setdefault(root, []).append((article.published, base_url + article.path))
    expected = []
    for site, base_url in served:
        for article in site.articles:
            url = base_url + article.path
            root = article.copy_of or (site.host_label, article.slug)
            first = min(clusters[root])[1]
            expected.append(
                ExpectedArticle(
                    url=url,
                    title=article.title,
                    site_name=site.host_label,
                    authors=article.authors,
                    published=article.published,
                    language=article.language,
                    text=article.full_text,
                    relevance=article.relevance,
                    duplicate_of=None if first == url or len(clusters[root]) == 1 else first,
                    variants=_variants(site, article, base_url),
                    charset_trap=_charset_trap(site, article),
                )
            )
    return sorted(expected, key=lambda e: e.url)


def expected_fetches(site: PublisherSite, base_url: str) -> list[ExpectedFetch]:
    """The fault URLs of ``site`` and the outcome each fetch must be recorded with.

    Articles behind recoverable faults (500 then 200, 429 then 200, slow, redirect chain) are
    not listed: they end as stored articles (see :func:`expected_outcome`).
    """
    faults = site.faults
    rows: list[tuple[bool, str, str, str]] = [
        (faults.not_found, routes.NOT_FOUND, "http_error", "404, listed in the news sitemap"),
        (faults.redirect_loop, routes.REDIRECT_LOOP[0], "redirect_loop", "redirect loop"),
        (faults.never_finishing, routes.NEVER_FINISHING, "timeout", "body never ends"),
        (faults.gzip_bomb, routes.GZIP_BOMB, "too_large", "gzip bomb, ~1 GB decompressed"),
        (faults.pdf_article, routes.PDF_ARTICLE, "not_html", "application/pdf"),
        (faults.hostile_xml, routes.BILLION_LAUGHS_FEED, "parse_error", "entity expansion"),
        (faults.hostile_xml, routes.BILLION_LAUGHS_SITEMAP, "parse_error", "entity expansion"),
        (
            faults.hostile_xml,
            routes.EXTERNAL_ENTITY_SITEMAP,
            "parse_error",
            "external entity to file:///etc/passwd: must not be resolved",
        ),
        (
            bool(faults.huge_sitemap_bytes),
            routes.HUGE_SITEMAP,
            "too_large",
            "streamed sitemap larger than any sane limit",
        ),
        (faults.malformed_xml, routes.MALFORMED_SITEMAP, "parse_error", "malformed XML"),
        (faults.malformed_xml, routes.MALFORMED_FEED, "parse_error", "truncated feed"),
    ]
    return [ExpectedFetch(base_url + path, outcome, note) for on, path, outcome, note in rows if on]
