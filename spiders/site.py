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

from monitor.dedup import same_registered_domain
from monitor.discovery import Link, discover_feeds, looks_like_article, looks_like_trap
from spiders.base import MonitorSpider


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
        self.listings_seen: set[str] = set()
        self.articles_requested = 0
        # Same-site filtering is ours: LinkExtractor's allow_domains ignores ports.
        self.links = LinkExtractor()

    def same_site(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host.removeprefix("www.") == self.host.removeprefix("www.") or (
            "." in host
            and not host.replace(".", "").isdigit()
            and same_registered_domain(url, self.home)
        )

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            self.home, callback=self.parse_listing, errback=self.discovery_failed, meta={"depth": 0}
        )

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        self.listing_pages += 1
        yield self.document_item(response)
        depth = response.meta.get("depth", 0)
        if depth == 0:
            for feed in discover_feeds(response.body, response.url):
                yield self.document_request(feed, self.parse_feed, discovered=True)
        for link in self.links.extract_links(response):
            url = link.url
            if not self.same_site(url):
                continue
            if looks_like_trap(url):
                self.crawler.stats.inc_value("monitor/skipped_trap")
                continue
            if looks_like_article(url):
                if self.articles_requested >= self.max_pages:
                    continue
                self.articles_requested += 1
                yield self.article_request(Link(url, None, link.text.strip() or None))
            elif (
                depth + 1 <= self.max_depth
                and len(self.listings_seen) < self.max_pages
                and url not in self.listings_seen
            ):
                self.listings_seen.add(url)
                yield scrapy.Request(
                    url,
                    callback=self.parse_listing,
                    errback=self.discovery_failed,
                    meta={"depth": depth + 1},
                    dont_filter=True,  # seen-set above; a redirect loop must reach errback
                )
