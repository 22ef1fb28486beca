"""Spiders offline: a saved response in, items and requests out (no network, no reactor)."""

from __future__ import annotations

from datetime import date

import pytest
import scrapy
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from sqlalchemy import create_engine
from twisted.python.failure import Failure

from monitor.crawl.context import CrawlContext
from monitor.crawl.items import PageItem
from monitor.frontier import Window
from monitor.ingest import Stages
from spiders import FeedSpider, SitemapSpider, SiteSpider
from spiders.base import outcome_of_failure


def make_spider(cls, window: Window | None = None, **kwargs):  # type: ignore[no-untyped-def]
    context = CrawlContext(
        engine=create_engine("sqlite://"),
        crawl_id="test",
        stages=Stages(),
        extractor=lambda body, url, headers: (None, "no_article", None),
        window=window or Window(),
    )
    crawler = get_crawler(cls, settings_dict={"MONITOR_CONTEXT": context})
    return cls.from_crawler(crawler, source="src", **kwargs)


def split(output):  # type: ignore[no-untyped-def]
    output = list(output)
    items = [o for o in output if isinstance(o, PageItem)]
    requests = [o for o in output if isinstance(o, Request)]
    return items, requests


def test_feed_items_become_article_requests_with_hints() -> None:
    spider = make_spider(FeedSpider, url="https://ex.fr/feed.rss")
    body = (
        b"<rss><channel><item><title>Mistral AI</title><link>https://ex.fr/a/2024/06/11/x.html</link>"
        b"<pubDate>Tue, 11 Jun 2024 09:30:00 +0200</pubDate></item></channel></rss>"
    )
    response = TextResponse(
        "https://ex.fr/feed.rss", body=body, request=Request("https://ex.fr/feed.rss")
    )
    items, requests = split(spider.parse_feed(response))
    assert [i.outcome for i in items] == ["ok"]
    assert [r.url for r in requests] == ["https://ex.fr/a/2024/06/11/x.html"]
    meta = requests[0].meta
    assert meta["article"] and meta["hint_title"] == "Mistral AI"
    assert meta["hint_published"].date() == date(2024, 6, 11)
    assert requests[0].dont_filter and 304 in meta["handle_httpstatus_list"]


def test_a_homepage_given_as_feed_is_searched_for_feeds() -> None:
    spider = make_spider(FeedSpider, url="https://ex.fr/")
    body = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head></html>'
    )
    response = HtmlResponse("https://ex.fr/", body=body, request=Request("https://ex.fr/"))
    _, requests = split(spider.parse_feed(response))
    assert [r.url for r in requests] == ["https://ex.fr/rss"] and requests[0].meta["discovered"]


def test_sitemap_children_older_than_the_window_are_skipped() -> None:
    spider = make_spider(
        SitemapSpider, window=Window(since=date(2024, 1, 1)), url="https://ex.fr/sitemap.xml"
    )
    body = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://ex.fr/s-2023.xml</loc><lastmod>2023-12-31</lastmod></sitemap>"
        b"<sitemap><loc>https://ex.fr/s-2024.xml</loc><lastmod>2024-06-30</lastmod></sitemap>"
        b"</sitemapindex>"
    )
    response = TextResponse(
        "https://ex.fr/sitemap.xml", body=body, request=Request("https://ex.fr/sitemap.xml")
    )
    _, requests = split(spider.parse_sitemap(response))
    assert [r.url for r in requests] == ["https://ex.fr/s-2024.xml"]


def test_site_crawl_follows_same_site_listings_and_fetches_articles() -> None:
    spider = make_spider(SiteSpider, url="https://www.ex.fr/", max_depth=1)
    body = b"""<html><body>
      <a href="/economie/article/2024/02/26/mistral-ai-leve_123.html">article</a>
      <a href="/economie/">section</a>
      <a href="https://other.example/economie/article/2024/02/26/x_1.html">elsewhere</a>
      <a href="/a/b/a/b/a/b/a">trap</a>
    </body></html>"""
    request = Request("https://www.ex.fr/", meta={"depth": 0})
    response = HtmlResponse("https://www.ex.fr/", body=body, request=request)
    items, requests = split(spider.parse_listing(response))
    assert [i.outcome for i in items] == ["ok"]
    articles = [r.url for r in requests if r.meta.get("article")]
    listings = [r.url for r in requests if not r.meta.get("article")]
    assert articles == ["https://www.ex.fr/economie/article/2024/02/26/mistral-ai-leve_123.html"]
    assert listings == ["https://www.ex.fr/economie/"]


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
        (DownloadCancelledError(), "too_large"),
        (scrapy.exceptions.IgnoreRequest("max redirections reached"), "redirect_loop"),
        (scrapy.exceptions.IgnoreRequest("Forbidden by robots.txt"), "robots"),
    ],
)
def test_failures_map_to_fetch_outcomes(error: Exception, outcome: str) -> None:
    assert outcome_of_failure(Failure(error))[0] == outcome


def test_http_errors_keep_their_status() -> None:
    response = TextResponse("https://ex.fr/x", status=503, request=Request("https://ex.fr/x"))
    assert outcome_of_failure(Failure(HttpError(response)))[:2] == ("http_error", 503)
