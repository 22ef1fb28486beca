"""RSS 1.0/2.0 and Atom feeds; a homepage given instead is searched for the feeds it announces."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from monitor.discovery import DiscoveryError, discover_feeds, parse_feed
from spiders.base import MonitorSpider


class FeedSpider(MonitorSpider):
    name = "feed"

    def __init__(self, *args: Any, url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feed_url = url

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(self.feed_url, callback=self.parse_feed, errback=self.discovery_failed)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        looks_html = b"<html" in response.body[:2048].lower()
        if looks_html and not response.meta.get("discovered"):
            feeds = discover_feeds(response.body, response.url)
            for feed in feeds:
                yield scrapy.Request(
                    feed,
                    callback=self.parse_feed,
                    errback=self.discovery_failed,
                    meta={"discovered": True},
                )
            if feeds:
                return
        try:
            links = parse_feed(response.body, response.url)
        except DiscoveryError as error:
            yield self.bad_document(response, error)
            return
        self.crawler.stats.inc_value("monitor/feed_items", len(links))
        for link in links:
            yield self.article_request(link)
