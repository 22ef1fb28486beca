"""A bounded crawl of one site: follow same-site links, fetch the article-looking ones.

Bounds: a depth limit, a page limit, and trap avoidance (calendars, session ids, path loops,
very long URLs). Feeds the homepage announces are read too (autodiscovery).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from monitor.discovery import Link, discover_feeds, looks_like_article, looks_like_trap
from spiders.base import MonitorSpider
from spiders.feed import FeedSpider


class SiteSpider(MonitorSpider):
    name = "site"

    def __init__(
        self, *args: Any, url: str, max_depth: int = 3, max_pages: int = 500, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.home = url
        self.host = (urlsplit(url).hostname or "").lower()
        self.max_depth = int(max_depth)
        self.max_pages = int(max_pages)
        self.listing_pages = 0
        self.articles_requested = 0
        self.links = LinkExtractor(allow_domains=[self.host.removeprefix("www.")])

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            self.home, callback=self.parse_listing, errback=self.discovery_failed, meta={"depth": 0}
        )

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        self.listing_pages += 1
        depth = response.meta.get("depth", 0)
        if depth == 0:
            for feed in discover_feeds(response.body, response.url):
                yield scrapy.Request(
                    feed,
                    callback=FeedSpider.parse_feed.__get__(self),
                    errback=self.discovery_failed,
                    meta={"discovered": True},
                )
        for link in self.links.extract_links(response):
            url = link.url
            if looks_like_trap(url):
                self.crawler.stats.inc_value("monitor/skipped_trap")
                continue
            if looks_like_article(url):
                if self.articles_requested >= self.max_pages:
                    continue
                self.articles_requested += 1
                yield self.article_request(Link(url, None, link.text.strip() or None))
            elif depth + 1 <= self.max_depth and self.listing_pages < self.max_pages:
                yield scrapy.Request(
                    url,
                    callback=self.parse_listing,
                    errback=self.discovery_failed,
                    meta={"depth": depth + 1},
                )
