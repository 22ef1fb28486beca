"""A list of article URLs (from a file or standard input), fetched and processed as articles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from monitor.discovery import Link
from spiders.base import MonitorSpider


class UrlListSpider(MonitorSpider):
    name = "urls"

    def __init__(self, *args: Any, urls: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urls = list(urls)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            yield self.article_request(Link(url))
