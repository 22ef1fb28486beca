"""Sitemap indexes, sitemaps and news sitemaps; children older than the window are skipped."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import Response

from monitor.crawl.context import context_of
from monitor.discovery import DiscoveryError, parse_sitemap, sitemaps_from_robots
from spiders.base import MonitorSpider

MAX_SITEMAP_DEPTH = 3


class SitemapSpider(MonitorSpider):
    name = "sitemap"

    def __init__(self, *args: Any, url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sitemap_url = url

    async def start(self) -> AsyncIterator[Any]:
        callback = (
            self.parse_robots if self.sitemap_url.endswith("/robots.txt") else self.parse_sitemap
        )
        yield self.document_request(self.sitemap_url, callback)

    def parse_robots(self, response: Response) -> Iterator[Any]:
        for url in sitemaps_from_robots(response.text, response.url):
            yield self.document_request(url, self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            yield self.document_item(response, "not_modified")
            return
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except DiscoveryError as error:
            yield self.bad_document(response, error)
            return
        yield self.document_item(
            response, "parse_error" if sitemap.problem else "ok", sitemap.problem
        )
        depth = response.meta.get("sitemap_depth", 0)
        window = context_of(self.crawler).window
        for child in sitemap.children:
            if depth >= MAX_SITEMAP_DEPTH:
                break
            if (
                child.published is not None
                and window.since
                and child.published.date() < window.since
            ):
                self.crawler.stats.inc_value("monitor/sitemaps_skipped_by_window")
                continue
            yield self.document_request(child.url, self.parse_sitemap, sitemap_depth=depth + 1)
        for link in sitemap.links:
            yield self.article_request(link)
