"""Sitemaps and robots.txt: a sitemap index, a Google News sitemap and one sitemap per year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from monitor.publisher_site.model import PublisherSite

PRIVATE_PATH = "/compte/"


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """A URL a sitemap lists, with the title and date the news sitemap shows for it."""

    path: str
    title: str
    published: datetime
    last_modified: datetime


def article_entries(site: PublisherSite) -> list[SitemapEntry]:
    return [
        SitemapEntry(a.path, a.title, a.published, a.last_modified) for a in site.newest_first()
    ]


def years(entries: Sequence[SitemapEntry]) -> list[int]:
    return sorted({e.published.year for e in entries})


def render_index(base_url: str, children: Sequence[tuple[str, datetime | None]]) -> str:
    """The sitemap index: ``children`` are (path, lastmod) of the child sitemaps."""
    rows = []
    for path, lastmod in children:
        stamp = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        rows.append(f"<sitemap><loc>{escape(base_url + path)}</loc>{stamp}</sitemap>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</sitemapindex>\n"
    )


def render_news(site: PublisherSite, base_url: str, entries: Sequence[SitemapEntry]) -> str:
    rows = [
        f"<url><loc>{escape(base_url + e.path)}</loc>"
        f"<lastmod>{e.last_modified.isoformat()}</lastmod>"
        "<news:news><news:publication>"
        f"<news:name>{escape(site.host_label)}</news:name>"
        f"<news:language>{site.language}</news:language>"
        "</news:publication>"
        f"<news:publication_date>{e.published.isoformat()}</news:publication_date>"
        f"<news:title>{escape(e.title)}</news:title>"
        "</news:news></url>"
        for e in entries
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def render_year(base_url: str, entries: Sequence[SitemapEntry], year: int) -> str:
    rows = [
        f"<url><loc>{escape(base_url + e.path)}</loc>"
        f"<lastmod>{e.last_modified.isoformat()}</lastmod></url>"
        for e in entries
        if e.published.year == year
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def render_robots(base_url: str) -> str:
    return (
        "User-agent: *\n"
        f"Disallow: {PRIVATE_PATH}\n"
        "Disallow: /recherche?\n"
        "Allow: /\n\n"
        f"Sitemap: {base_url}/sitemap.xml\n"
    )
