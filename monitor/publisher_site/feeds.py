"""RSS 2.0 and Atom feeds of the site, as publishers serve them.

RSS links carry tracking parameters (``?utm_source=rss&utm_medium=feed``), as many French
publishers' do, so that a crawl must canonicalise them back to the article's own URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from monitor.publisher_site.model import PublisherSite, SiteArticle

RSS_TRACKING = "?utm_source=rss&utm_medium=feed"
FEED_SIZE = 50


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: the article and the link the feed gives for it (maybe a redirector)."""

    article: SiteArticle
    link: str


def feed_entries(site: PublisherSite, base_url: str, redirector: dict[str, str]) -> list[FeedEntry]:
    """The newest articles; ``redirector`` maps a slug to the path the feed links instead."""
    return [
        FeedEntry(a, base_url + redirector.get(a.slug, a.path + RSS_TRACKING))
        for a in site.newest_first()[:FEED_SIZE]
    ]


def newest_date(site: PublisherSite) -> datetime:
    dates = [a.last_modified for a in site.articles]
    return max(dates) if dates else datetime(2000, 1, 1, tzinfo=UTC)


def render_rss(site: PublisherSite, base_url: str, entries: Sequence[FeedEntry]) -> str:
    items = []
    for entry in entries:
        article = entry.article
        description = article.standfirst or (article.paragraphs or ("",))[0]
        authors = "".join(f"<dc:creator>{escape(name)}</dc:creator>" for name in article.authors)
        items.append(
            "<item>"
            f"<title>{escape(article.title)}</title>"
            f"<link>{escape(entry.link)}</link>"
            f'<guid isPermaLink="false">{escape(site.host_label)}-{article.number}</guid>'
            f"<pubDate>{format_datetime(article.published)}</pubDate>"
            f"<category>{escape(article.section)}</category>"
            f"{authors}<description>{escape(description[:300])}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(site.host_label)} - Actualités</title>\n"
        f"<link>{escape(base_url)}/</link>\n"
        f'<atom:link href={quoteattr(base_url + "/feed.rss")} rel="self" '
        'type="application/rss+xml"/>\n'
        f"<description>Les derniers articles de {escape(site.host_label)}</description>\n"
        f"<language>{site.language}</language>\n"
        f"<lastBuildDate>{format_datetime(newest_date(site))}</lastBuildDate>\n"
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    )


def render_atom(site: PublisherSite, base_url: str) -> str:
    entries = []
    for article in site.newest_first()[:FEED_SIZE]:
        url = base_url + article.path
        authors = "".join(
            f"<author><name>{escape(name)}</name></author>" for name in article.authors
        )
        summary = article.standfirst or (article.paragraphs or ("",))[0]
        entries.append(
            "<entry>"
            f"<title>{escape(article.title)}</title>"
            f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>'
            f"<id>{escape(url)}</id>"
            f"<published>{article.published.isoformat()}</published>"
            f"<updated>{article.last_modified.isoformat()}</updated>"
            f"{authors}<summary>{escape(summary[:300])}</summary>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{site.language}">\n'
        f"<title>{escape(site.host_label)}</title>\n"
        f'<link rel="self" href={quoteattr(base_url + "/feed.atom")}/>\n'
        f'<link rel="alternate" href={quoteattr(base_url + "/")}/>\n'
        f"<id>{escape(base_url)}/</id>\n"
        f"<updated>{newest_date(site).isoformat()}</updated>\n" + "\n".join(entries) + "\n</feed>\n"
    )
