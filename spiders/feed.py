"""RSS 1.0/2.0 and Atom feeds; a homepage given instead is searched for the feeds it announces."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from spiders.base import MonitorSpider


class FeedSpider(MonitorSpider):
    name = "feed"

    def __init__(self, *args: Any, url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feed_url = url

    async def start(self) -> AsyncIterator[Any]:
        yield self.document_request(self.feed_url, self.parse_feed)
