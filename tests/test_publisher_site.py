"""The loopback publisher site: every route answers as documented, faults stay bounded.

Fetches go through ``urllib`` and ``http.client`` on 127.0.0.1 only; the site's templates come
from ``tests/fixtures/site/templates`` (made by ``build_templates.py`` from real pages).
"""

from __future__ import annotations

import functools
import gzip
import http.client
import json
import re
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from monitor.cleaning import clean_scrape
from monitor.publisher_site import (
    MAIN_SITE,
    SiteArticle,
    SiteFaults,
    SiteProcess,
    TestSites,
    bundled_templates,
    crawl_test_faults,
    demo_site,
    load_templates,
    routes,
    serve_site,
    synthetic_articles,
)
from monitor.publisher_site.conditional import http_date
from monitor.publisher_site.corpus import SEED_PLACEMENTS, bundled_seeds
from monitor.publisher_site.hostile import gzip_bomb

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
REPO = Path(__file__).resolve().parent.parent
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
}
SAFE_XML = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


NO_REDIRECT = urllib.request.build_opener(_NoRedirect)


@pytest.fixture(scope="module")
def templates() -> dict[str, str]:
    return load_templates(FIXTURES / "templates")


@pytest.fixture
def sites(templates: dict[str, str]) -> Iterator[TestSites]:
    faults = replace(
        crawl_test_faults().combined(SiteFaults.network_input()),
        slow_seconds=0.3,
        trickle_interval=0.05,
        huge_sitemap_bytes=2 * 1024 * 1024,
    )
    with TestSites(templates, faults) as pair:
        yield pair


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with NO_REDIRECT.open(request, timeout=5) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def article_url(sites: TestSites, slug: str) -> str:
    article = sites.main.site.article(slug)
    assert article is not None
    return sites.main.url(article.path)


def plain_slug(sites: TestSites) -> str:
    """An article with no fault attached (seed 004's page is windows-1252, which is fine)."""
    return SEED_PLACEMENTS[1].slug


# --- discovery: homepage, feeds, sitemaps, robots ---


def test_homepage_advertises_feeds_and_links_articles(sites: TestSites) -> None:
    status, headers, body = fetch(sites.main.url("/"))
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    page = lxml.html.fromstring(body)
    feeds = {
        (link.get("type"), link.get("href")) for link in page.xpath("//link[@rel='alternate']")
    }
    assert ("application/rss+xml", sites.main.url("/feed.rss")) in feeds
    assert ("application/atom+xml", sites.main.url("/feed.atom")) in feeds
    hrefs = set(page.xpath("//a/@href"))
    assert {a.path for a in sites.main.site.articles} <= hrefs
    assert {routes.REDIRECT_LOOP[0], routes.NEVER_FINISHING, routes.CALENDAR_START} <= hrefs


def test_rss_feed_lists_every_article_with_tracking_links(sites: TestSites) -> None:
    status, headers, body = fetch(sites.main.url("/feed.rss"))
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    items = lxml.etree.fromstring(body).findall("channel/item")
    site = sites.main.site
    assert len(items) == len(site.articles)
    by_title = {item.findtext("title"): item for item in items}
    for article in site.articles:
        item = by_title[article.title]
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert published == article.published
        assert item.findtext("guid")
        if article.slug == site.faults.redirect_chain_to:
            assert item.findtext("link") == sites.main.url(routes.REDIRECT_CHAIN[0])
        else:
            assert item.findtext("link") == sites.main.url(
                article.path + "?utm_source=rss&utm_medium=feed"
            )


def test_atom_feed_has_clean_links_and_offset_dates(sites: TestSites) -> None:
    _, _, body = fetch(sites.main.url("/feed.atom"))
    entries = lxml.etree.fromstring(body).findall("atom:entry", NS)
    assert len(entries) == len(sites.main.site.articles)
    for entry in entries:
        href = entry.find("atom:link", NS).get("href")
        assert "?" not in href and href.startswith(sites.main.base_url)
        assert datetime.fromisoformat(entry.findtext("atom:published", namespaces=NS)).tzinfo


def test_sitemap_index_leads_to_news_and_year_sitemaps(sites: TestSites) -> None:
    _, _, body = fetch(sites.main.url("/sitemap.xml"))
    children = [loc.text for loc in lxml.etree.fromstring(body).iterfind(".//sm:loc", NS)]
    assert sites.main.url("/sitemap-news.xml") in children
    assert {sites.main.url("/sitemap-2023.xml"), sites.main.url("/sitemap-2024.xml")} <= set(
        children
    )
    _, _, news = fetch(sites.main.url("/sitemap-news.xml"))
    urls = lxml.etree.fromstring(news).findall("sm:url", NS)
    dated = {
        u.findtext("sm:loc", namespaces=NS): (
            u.findtext(".//news:publication_date", namespaces=NS),
            u.findtext(".//news:title", namespaces=NS),
            u.findtext("sm:lastmod", namespaces=NS),
        )
        for u in urls
    }
    for article in sites.main.site.articles:
        date, title, lastmod = dated[sites.main.url(article.path)]
        assert datetime.fromisoformat(date) == article.published
        assert title == article.title and lastmod
    assert sites.main.url(routes.NOT_FOUND) in dated
    _, _, year = fetch(sites.main.url("/sitemap-2023.xml"))
    listed = {loc.text for loc in lxml.etree.fromstring(year).iterfind(".//sm:loc", NS)}
    assert listed == {
        sites.main.url(a.path) for a in sites.main.site.articles if a.published.year == 2023
    }


def test_robots_disallows_private_path_and_names_sitemap(sites: TestSites) -> None:
    _, _, body = fetch(sites.main.url("/robots.txt"))
    lines = body.decode().splitlines()
    assert "Disallow: /compte/" in lines
    home = lxml.html.fromstring(fetch(sites.main.url("/"))[2])
    assert "/compte/connexion" in home.xpath("//a/@href")  # a polite crawl never follows it
    assert fetch(sites.main.url("/compte/connexion"))[0] == 200
    assert f"Sitemap: {sites.main.url('/sitemap.xml')}" in lines


# --- article pages and conditional GET ---


def test_article_page_carries_canonical_opengraph_and_jsonld(sites: TestSites) -> None:
    slug = SEED_PLACEMENTS[3].slug  # 429 once: the first fetch is refused
    url = article_url(sites, slug)
    assert fetch(url)[0] == 429
    status, headers, body = fetch(url + "?utm_source=rss&utm_medium=feed")
    assert status == 200
    page = lxml.html.fromstring(body)
    article = sites.main.site.article(slug)
    assert page.xpath("//link[@rel='canonical']/@href") == [url]
    assert page.xpath("//meta[@property='og:url']/@content") == [url]
    assert page.xpath("//meta[@property='og:site_name']/@content") == [MAIN_SITE]
    data = json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["@type"] == "NewsArticle" and data["headline"] == article.title
    assert data["datePublished"] == "2024-03-01T09:05:00+01:00"
    assert [a["name"] for a in data["author"]] == list(article.authors)
    assert data["publisher"]["name"] == MAIN_SITE
    text = page.text_content()
    assert all(paragraph in text for paragraph in article.paragraphs)
    assert "{{" not in body.decode()
    assert headers["ETag"] and parsedate_to_datetime(headers["Last-Modified"])


def test_tracking_variant_serves_the_same_page(sites: TestSites) -> None:
    url = article_url(sites, SEED_PLACEMENTS[0].slug)
    plain, variant = fetch(url), fetch(url + "?utm_source=rss")
    assert plain[2] == variant[2] and plain[1]["ETag"] == variant[1]["ETag"]


def test_conditional_get_answers_304(sites: TestSites) -> None:
    url = article_url(sites, plain_slug(sites))
    _, headers, _ = fetch(url)
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": etag})[0] == 304
    assert fetch(url, {"If-None-Match": f'"other", {etag}'})[0] == 304
    assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
    # If-None-Match wins over a date that alone would give 304.
    assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": last_modified})[0] == 200
    assert fetch(url, {"If-Modified-Since": last_modified})[0] == 304
    earlier = parsedate_to_datetime(last_modified) - timedelta(days=1)
    assert fetch(url, {"If-Modified-Since": http_date(earlier)})[0] == 200
    status, not_modified_headers, body = fetch(url, {"If-None-Match": etag})
    assert status == 304 and body == b"" and not_modified_headers["ETag"] == etag
    path = urlsplit(url).path
    records = [r for r in sites.main.requests() if r.path == path]
    assert [r.conditional for r in records] == [False, True, True, True, True, True, True, True]
    assert sites.main.hits(path) == 8
    assert sites.main.statuses(path) == [200, 304, 304, 200, 200, 304, 200, 304]


def test_feed_answers_304_and_changes_when_an_article_is_published(sites: TestSites) -> None:
    _, headers, _ = fetch(sites.main.url("/feed.rss"))
    assert fetch(sites.main.url("/feed.rss"), {"If-None-Match": headers["ETag"]})[0] == 304
    new = SiteArticle(
        slug="mistral-ai-ouvre-un-bureau-a-londres",
        title="Mistral AI ouvre un bureau à Londres",
        text="Mistral AI ouvre un bureau à Londres.\n\nLa société y recrute des chercheurs.",
        published=datetime.fromisoformat("2024-03-10T09:00:00+01:00"),
        authors=("Julie Verdier",),
        section="tech",
        language="fr",
        template="euronews",
    )
    sites.main.publish(new)
    status, _, body = fetch(sites.main.url("/feed.rss"), {"If-None-Match": headers["ETag"]})
    assert status == 200
    assert lxml.etree.fromstring(body).findtext("channel/item/title") == new.title
    assert fetch(sites.main.url(new.path))[0] == 200
    assert new.path in fetch(sites.main.url("/sitemap-news.xml"))[2].decode()
    edited = replace(
        new, text=new.text + "\n\nMise à jour.", modified=new.published + timedelta(hours=1)
    )
    _, before, _ = fetch(sites.main.url(new.path))
    sites.main.publish(edited)
    status, after, _ = fetch(sites.main.url(new.path), {"If-None-Match": before["ETag"]})
    assert status == 200 and after["ETag"] != before["ETag"]
    sites.main.withdraw(new.slug)
    assert fetch(sites.main.url(new.path))[0] == 404


def test_head_request_has_headers_and_no_body(sites: TestSites) -> None:
    url = urlsplit(sites.main.url("/feed.atom"))
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.request("HEAD", url.path)
    response = connection.getresponse()
    assert response.status == 200 and int(response.getheader("Content-Length")) > 0
    assert response.read() == b""
    connection.close()


# --- encodings ---


def test_windows_1252_page_is_declared_in_header_and_meta(sites: TestSites) -> None:
    article = sites.main.site.article(SEED_PLACEMENTS[1].slug)
    assert article.encoding == "windows-1252"
    _, headers, body = fetch(sites.main.url(article.path))
    assert headers["Content-Type"] == "text/html; charset=windows-1252"
    assert b'<meta charset="windows-1252">' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert article.title in body.decode("cp1252")


def test_wrong_charset_page_claims_utf8_but_is_windows_1252(sites: TestSites) -> None:
    article = sites.main.site.article(sites.main.site.faults.wrong_charset_slug)
    _, headers, body = fetch(sites.main.url(article.path))
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<meta charset="utf-8">' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert article.paragraphs[0] in body.decode("cp1252")
    assert article.title in lxml.html.fromstring(body.decode("cp1252")).text_content()


# --- recoverable faults ---


def test_server_error_recovers_after_n_hits(sites: TestSites) -> None:
    url = article_url(sites, sites.main.site.faults.flaky_slug)
    assert [fetch(url)[0] for _ in range(4)] == [500, 500, 200, 200]


def test_rate_limit_says_retry_after_then_serves(sites: TestSites) -> None:
    url = article_url(sites, sites.main.site.faults.rate_limited_slug)
    status, headers, _ = fetch(url)
    assert status == 429 and headers["Retry-After"] == "1"
    assert fetch(url)[0] == 200


def test_slow_page_answers_after_its_delay(sites: TestSites) -> None:
    url = article_url(sites, sites.main.site.faults.slow_slug)
    started = time.monotonic()
    assert fetch(url)[0] == 200
    assert time.monotonic() - started >= sites.main.site.faults.slow_seconds


def test_redirect_chain_takes_three_hops_to_the_article(sites: TestSites) -> None:
    hops = []
    url = sites.main.url(routes.REDIRECT_CHAIN[0])
    for _ in range(5):
        status, headers, _ = fetch(url)
        hops.append(status)
        if status not in (301, 302, 307):
            break
        url = headers["Location"]
    assert hops == [301, 302, 307, 200]
    assert url == article_url(sites, sites.main.site.faults.redirect_chain_to)


def test_missing_article_is_404(sites: TestSites) -> None:
    assert fetch(sites.main.url(routes.NOT_FOUND))[0] == 404
    assert fetch(sites.main.url("/nulle-part.html"))[0] == 404


# --- bad input from the network ---


def test_redirect_loop_never_lands(sites: TestSites) -> None:
    status, headers, _ = fetch(sites.main.url(routes.REDIRECT_LOOP[0]))
    assert status == 302 and headers["Location"] == sites.main.url(routes.REDIRECT_LOOP[1])
    status, headers, _ = fetch(headers["Location"])
    assert status == 302 and headers["Location"] == sites.main.url(routes.REDIRECT_LOOP[0])
    with pytest.raises(urllib.error.HTTPError, match="infinite loop"):
        urllib.request.urlopen(sites.main.url(routes.REDIRECT_LOOP[0]), timeout=5)


def test_never_finishing_page_trickles_until_the_server_stops(templates: dict[str, str]) -> None:
    faults = SiteFaults(never_finishing=True, trickle_interval=0.02)
    site = demo_site(bundled_templates())
    with serve_site(replace(site, faults=faults)) as running:
        url = urlsplit(running.url(routes.NEVER_FINISHING))
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
        connection.request("GET", url.path)
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Length") is None
        first = response.read1(4096)
        assert first.startswith(b"<!DOCTYPE html>")
        time.sleep(0.1)
        assert response.read1(4096)  # still coming
        stopper = threading.Timer(0.2, running.stop)
        stopper.start()
        started = time.monotonic()
        while response.read1(4096):
            assert time.monotonic() - started < 3, "the page went on after the server stopped"
        stopper.join()
        connection.close()


def test_gzip_bomb_is_small_on_the_wire_and_large_inflated(sites: TestSites) -> None:
    url = urlsplit(sites.main.url(routes.GZIP_BOMB))
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.request("GET", url.path)
    response = connection.getresponse()
    assert response.getheader("Content-Encoding") == "gzip"
    wire = response.read(16 * 1024)
    inflated = zlib.decompressobj(31).decompress(wire, 64 * 1024 * 1024)
    assert len(inflated) > 50 * len(wire)
    connection.close()


def test_gzip_bomb_is_generated_without_holding_it() -> None:
    total = 96 * 1024 * 1024
    tracemalloc.start()
    wire = 0
    largest = 0
    for chunk in gzip_bomb(total):
        wire += len(chunk)
        largest = max(largest, len(chunk))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert wire < total // 500 and largest < 64 * 1024
    assert peak < 40 * 1024 * 1024  # one 8 MiB block of zeros and its copies, not the 96 MiB
    small = b"".join(gzip_bomb(10_000_000))
    assert gzip.decompress(small) == bytes(10_000_000)  # a valid stream, CRC and size included


def _expanded_length(document: bytes, entity: str) -> int:
    """How long ``&entity;`` becomes once its internal entities are expanded."""
    definitions = dict(re.findall(rb'<!ENTITY (\w+) "([^"]*)">', document))

    @functools.cache
    def length(name: bytes) -> int:
        value = definitions[name]
        references = re.findall(rb"&(\w+);", value)
        literal = len(re.sub(rb"&\w+;", b"", value))
        return literal + sum(length(ref) for ref in references)

    return length(entity.encode())


def test_hostile_xml_is_served_unexpanded(sites: TestSites) -> None:
    _, _, feed = fetch(sites.main.url(routes.BILLION_LAUGHS_FEED))
    assert len(feed) < 4096 and _expanded_length(feed, "lol9") == 3 * 10**9
    _, _, sitemap = fetch(sites.main.url(routes.BILLION_LAUGHS_SITEMAP))
    assert _expanded_length(sitemap, "a9") == 2 * 10**9
    _, _, xxe = fetch(sites.main.url(routes.EXTERNAL_ENTITY_SITEMAP))
    assert b'SYSTEM "file:///etc/passwd"' in xxe
    loc = lxml.etree.fromstring(xxe, SAFE_XML).find(".//sm:loc", NS)
    assert "root:" not in lxml.etree.tostring(loc).decode()
    children = fetch(sites.main.url("/sitemap.xml"))[2].decode()
    assert routes.EXTERNAL_ENTITY_SITEMAP in children and routes.HUGE_SITEMAP in children


def test_malformed_xml_fails_strict_parsing_and_recovers_partly(sites: TestSites) -> None:
    _, _, sitemap = fetch(sites.main.url(routes.MALFORMED_SITEMAP))
    with pytest.raises(lxml.etree.XMLSyntaxError):
        lxml.etree.fromstring(sitemap)
    recovered = lxml.etree.fromstring(sitemap, lxml.etree.XMLParser(recover=True))
    locs = [loc.text for loc in recovered.iter("{*}loc") if loc.text]
    assert sites.main.url(sites.main.site.newest_first()[0].path) in locs
    _, _, feed = fetch(sites.main.url(routes.MALFORMED_FEED))
    with pytest.raises(lxml.etree.XMLSyntaxError):
        lxml.etree.fromstring(feed)


def test_huge_sitemap_streams_valid_xml_of_the_configured_size(sites: TestSites) -> None:
    status, headers, body = fetch(sites.main.url(routes.HUGE_SITEMAP))
    assert status == 200 and "Content-Length" not in headers
    assert len(body) >= sites.main.site.faults.huge_sitemap_bytes
    root = lxml.etree.fromstring(body, lxml.etree.XMLParser(huge_tree=True))
    assert len(root) > 10_000


def test_endless_calendar_always_has_a_next_month(sites: TestSites) -> None:
    url = routes.CALENDAR_START
    for _ in range(14):
        status, _, body = fetch(sites.main.url(url))
        assert status == 200
        url = lxml.html.fromstring(body).xpath("//a[@rel='next']/@href")[0]
    assert url == "/agenda/2025/03/"
    previous = lxml.html.fromstring(fetch(sites.main.url(routes.CALENDAR_START))[2])
    assert previous.xpath("//a[@rel='prev']/@href") == ["/agenda/2023/12/"]


def test_pdf_behind_an_article_url(sites: TestSites) -> None:
    status, headers, body = fetch(sites.main.url(routes.PDF_ARTICLE))
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")


# --- the expected outcome and the corpus ---


def test_expected_outcome_of_the_test_sites(sites: TestSites) -> None:
    expected = sites.expected_articles()
    assert len(expected) == 10
    assert sum(e.stored for e in expected) == 7
    assert sorted(e.relevance for e in expected) == ["about"] * 6 + ["none"] * 3 + ["passing"]
    original = next(e for e in expected if e.url.endswith(".html") and "/go/1" in str(e.variants))
    copies = [e for e in expected if e.duplicate_of]
    assert len(copies) == 1 and copies[0].duplicate_of == original.url
    assert copies[0].url.startswith(sites.wire.base_url)
    assert copies[0].text == original.text.rsplit("\n\n", 1)[0]
    assert copies[0].published > original.published
    assert {e.charset_trap for e in expected} == {"", "declared", "wrong"}
    outcomes = {f.url: f.outcome for f in sites.expected_fetches()}
    assert outcomes[sites.main.url(routes.GZIP_BOMB)] == "too_large"
    assert outcomes[sites.main.url(routes.NEVER_FINISHING)] == "timeout"
    # Every stored article is really served, under its canonical URL, with its title.
    for article in expected:
        if article.url.startswith(sites.main.base_url) and "meteo" not in article.url:
            for _ in range(3):  # the flaky and rate-limited pages answer after retries
                status, _, body = fetch(article.url)
                if status == 200:
                    break
            decoded = body.decode("utf-8" if article.charset_trap == "" else "cp1252")
            page = lxml.html.fromstring(decoded)
            assert page.xpath("//link[@rel='canonical']/@href") == [article.url]
            assert article.title in page.text_content()


def test_raw_seeds_are_cleaned_and_dated_in_their_month(sites: TestSites) -> None:
    for placement in SEED_PLACEMENTS:
        article = sites.main.site.article(placement.slug)
        raw = next((REPO / "seeds").glob(f"{placement.number}_*.txt")).read_text()
        if raw.startswith(" date "):
            assert raw.startswith(f" date {article.published:%Y-%m} ")
            assert raw.endswith(article.text)
        else:
            assert article.text == clean_scrape(raw).text
    assert {p.name for p in bundled_seeds().iterdir() if p.name.endswith(".txt")} == {
        p.name for p in (REPO / "seeds").glob("*.txt")
    }
    for copy in bundled_seeds().iterdir():
        if copy.name.endswith(".txt"):
            assert copy.read_bytes() == (REPO / "seeds" / copy.name).read_bytes()


def test_synthetic_articles_are_deterministic_and_distinct() -> None:
    names = ["article", "brief"]
    first = synthetic_articles(300, names, seed=7)
    assert first == synthetic_articles(300, names, seed=7)
    assert first != synthetic_articles(300, names, seed=8)
    assert len({a.path for a in first}) == 300 and len({a.text for a in first}) == 300
    assert all(len(a.paragraphs) >= 3 for a in first)


def test_demo_site_renders_in_the_bundled_templates() -> None:
    site = demo_site(bundled_templates())
    with serve_site(site) as running:
        for article in site.articles:
            status, _, body = fetch(running.url(article.path))
            assert status == 200 and b"{{" not in body
            assert article.title in body.decode()


def test_site_process_serves_from_another_process() -> None:
    with SiteProcess(articles=40, seed=3) as server:
        status, _, body = fetch(server.base_url + "/sitemap.xml")
        assert status == 200 and b"sitemap-news.xml" in body
        _, _, archives = fetch(server.base_url + "/archives/")
        assert len(lxml.html.fromstring(archives).xpath("//li[@class='teaser']")) == 40
        assert server.cpu_seconds() is not None
