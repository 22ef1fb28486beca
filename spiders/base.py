"""What every monitor spider shares: building article requests with their hints, turning a
fetched article into a PageItem, and turning a failed fetch into one with its reason."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from monitor.crawl.context import context_of
from monitor.crawl.items import PageItem
from monitor.discovery import DiscoveryError, Link

KEPT_HEADERS = ("etag", "last-modified", "content-type", "content-length")


def outcome_of_status(status: int) -> str:
    """Every HTTP error status is ``http_error``; the status column tells which."""
    del status
    return "http_error"


def outcome_of_failure(failure: Failure) -> tuple[str, int | None, str]:
    """The fetch-log outcome, HTTP status and message of a failed request."""
    if failure.check(HttpError):
        response = failure.value.response
        return outcome_of_status(response.status), response.status, f"HTTP {response.status}"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timeout", None, "timed out"
    if failure.check(DNSLookupError, ConnectionRefusedError):
        return "connection_error", None, str(failure.value)
    message = str(failure.value) or failure.type.__name__
    lowered = message.lower()
    if "robots.txt" in lowered:
        return "robots", None, message
    if "maxsize" in lowered or "max size" in lowered or "larger than" in lowered:
        return "too_large", None, message
    if "redirect" in lowered:
        return "redirect_loop", None, message
    if "cancel" in lowered:
        return "timeout", None, message
    return "connection_error", None, message


class MonitorSpider(scrapy.Spider):
    """Base of the monitor spiders; ``source`` names the source the crawl is for."""

    def __init__(self, *args: Any, source: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    @property
    def crawl_id(self) -> str:
        return context_of(self.crawler).crawl_id

    def article_request(self, link: Link) -> scrapy.Request:
        return scrapy.Request(
            link.url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={
                "article": True,
                "hint_published": link.published,
                "hint_title": link.title,
                "handle_httpstatus_list": [304],
                "started": time.monotonic(),
            },
        )

    def _item(self, url: str, **fields: Any) -> PageItem:
        return PageItem(
            url=url,
            frontier_url=fields.pop("frontier_url", None) or url,
            source=self.source,
            crawl_id=self.crawl_id,
            fetched_at=datetime.now(UTC),
            **fields,
        )

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        meta = response.meta
        headers = {
            name: response.headers.get(name).decode("latin-1")
            for name in KEPT_HEADERS
            if response.headers.get(name) is not None
        }
        started = meta.get("started")
        yield self._item(
            meta.get("redirect_urls", [response.url])[0],
            frontier_url=meta.get("frontier_url"),
            status=response.status,
            final_url=response.url,
            body=response.body,
            headers=headers,
            duration_ms=int((time.monotonic() - started) * 1000) if started else None,
            hint_published=meta.get("hint_published"),
            hint_title=meta.get("hint_title"),
        )

    def article_failed(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request
        outcome, status, message = outcome_of_failure(failure)
        self.logger.info("%s: %s (%s)", request.url, outcome, message)
        yield self._item(
            request.url,
            frontier_url=request.meta.get("frontier_url"),
            status=status,
            outcome=outcome,
            error=message,
            hint_published=request.meta.get("hint_published"),
        )

    def discovery_failed(self, failure: Failure) -> Iterator[PageItem]:
        """A feed, sitemap or listing page that could not be fetched is logged too."""
        outcome, status, message = outcome_of_failure(failure)
        self.logger.warning("%s: %s (%s)", failure.request.url, outcome, message)
        yield self._item(failure.request.url, status=status, outcome=outcome, error=message)

    def bad_document(self, response: Response, error: DiscoveryError) -> PageItem:
        self.logger.warning("%s: %s (%s)", response.url, error.reason, error)
        return self._item(
            response.url, status=response.status, outcome=error.reason, error=str(error)
        )
