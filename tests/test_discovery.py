"""Feeds, sitemaps, autodiscovery and URL rules, on well-formed and hostile documents."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from monitor.discovery import (
    DiscoveryError,
    discover_feeds,
    looks_like_article,
    looks_like_trap,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
)

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>Mistral AI l\xc3\xa8ve 600 M\xe2\x82\xac</title>
<link>/eco/article/2024/06/11/mistral_1.html</link>
<pubDate>Tue, 11 Jun 2024 09:30:00 +0200</pubDate></item>
<item><guid>https://ex.fr/tech/article/2024/06/12/autre_2.html</guid></item>
</channel></rss>"""
ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>
<link rel="alternate" href="https://ex.fr/a-b-c-d"/><published>2024-06-11T09:30:00Z</published></entry></feed>"""
RDF = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
xmlns:dc="http://purl.org/dc/elements/1.1/"><item><link>https://ex.fr/x.html</link><dc:date>2024-06-11</dc:date></item></rdf:RDF>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss><channel><item><title>&lol4;</title><link>https://ex.fr/a.html</link></item></channel></rss>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://ex.fr/&x;</loc></url></urlset>"""


def test_rss_atom_and_rdf_items() -> None:
    rss = parse_feed(RSS, "https://ex.fr/feed.rss").links
    assert [link.url for link in rss] == [
        "https://ex.fr/eco/article/2024/06/11/mistral_1.html",
        "https://ex.fr/tech/article/2024/06/12/autre_2.html",
    ]
    assert rss[0].published == datetime(2024, 6, 11, 7, 30, tzinfo=UTC)
    assert rss[0].title == "Mistral AI lève 600 M€"
    atom = parse_feed(ATOM, "https://ex.fr/").links
    assert atom[0].url == "https://ex.fr/a-b-c-d" and atom[0].published.hour == 9
    assert parse_feed(RDF, "https://ex.fr/").links[0].url == "https://ex.fr/x.html"


def test_malformed_documents_are_read_in_recovery_and_say_so() -> None:
    broken = RSS.replace(b"</channel></rss>", b"<item><title>A & B</title>")
    feed = parse_feed(broken, "https://ex.fr/")
    assert len(feed.links) == 2 and feed.problem and "malformed XML" in feed.problem
    assert parse_feed(RSS, "https://ex.fr/").problem is None


def test_sitemap_index_and_news_sitemap() -> None:
    index = parse_sitemap(
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
        b"<loc>https://ex.fr/s-2024.xml</loc><lastmod>2024-06-30</lastmod></sitemap></sitemapindex>",
        "https://ex.fr/sitemap.xml",
    )
    assert [c.url for c in index.children] == ["https://ex.fr/s-2024.xml"]
    news = parse_sitemap(
        gzip.compress(
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://ex.fr/a.html</loc>'
            b"<news:news><news:publication_date>2024-06-11T09:30:00+02:00</news:publication_date>"
            b"<news:title>Titre</news:title></news:news></url></urlset>"
        ),
        "https://ex.fr/",
    )
    assert news.links[0].title == "Titre" and news.links[0].published.utcoffset().seconds == 7200


def test_hostile_xml_is_refused_not_expanded() -> None:
    for body in (BILLION_LAUGHS, XXE):
        with pytest.raises(DiscoveryError, match="declares XML entities") as caught:
            parse_feed(body, "https://ex.fr/") if body is BILLION_LAUGHS else parse_sitemap(
                body, "https://ex.fr/"
            )
        assert caught.value.reason == "parse_error"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "parse_error"),
        (b"<html><body>not a feed</body></html>", "parse_error"),
        (gzip.compress(b"\0" * (2 * 1024 * 1024)), "too_large"),
        (b"\x1f\x8b broken gzip", "parse_error"),
    ],
)
def test_bad_documents_raise_with_a_reason(body: bytes, reason: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("monitor.discovery.MAX_XML_BYTES", 1024 * 1024)
    with pytest.raises(DiscoveryError) as caught:
        parse_feed(body, "https://ex.fr/")
    assert caught.value.reason == reason


def test_autodiscovery_and_robots() -> None:
    page = b"""<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">
    <link rel="alternate" type="application/atom+xml" href="https://ex.fr/atom"></head></html>"""
    assert discover_feeds(page, "https://ex.fr/") == ["https://ex.fr/rss.xml", "https://ex.fr/atom"]
    assert sitemaps_from_robots("User-agent: *\nSitemap: /sitemap.xml\n", "https://ex.fr/") == [
        "https://ex.fr/sitemap.xml"
    ]


def test_article_and_trap_urls() -> None:
    assert looks_like_article(
        "https://www.lemonde.fr/pixels/article/2024/02/26/mistral-ai_6218.html"
    )
    assert looks_like_article("https://ex.fr/tech/mistral-ai-leve-600-millions")
    assert not looks_like_article("https://ex.fr/tag/mistral-ai-et-la-french-tech/")
    assert not looks_like_article("https://ex.fr/economie/")
    assert looks_like_trap("https://ex.fr/a/b/a/b/a/b/a")
    assert looks_like_trap("https://ex.fr/page?sessionid=123")
    assert not looks_like_trap("https://ex.fr/agenda/2024/01/")
