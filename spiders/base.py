"""What every monitor spider shares: building article requests with their hints, turning a
fetched article into a PageItem, and turning a failed fetch into one with its reason."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
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
from monitor.discovery import DiscoveryError, Link, discover_feeds, parse_feed

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
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return "timeout", None, str(failure.value) or "timed out"
    if failure.check(
        CannotResolveHostError,
        DownloadConnectionRefusedError,
        DNSLookupError,
        ConnectionRefusedError,
        ResponseDataLossError,
    ):
        return "connection_error", None, str(failure.value) or failure.type.__name__
    message = str(failure.value) or failure.type.__name__
    lowered = message.lower()
    if "robots.txt" in lowered:
        return "robots", None, message
    if "maxsize" in lowered or "max size" in lowered or "larger than" in lowered:
        return "too_large", None, message
    if "redirect" in lowered:
        return "redirect_loop", None, message
    if failure.check(DownloadFailedError):
        return "connection_error", None, message
    if failure.check(DownloadCancelledError) or "cancel" in lowered:
        # Scrapy cancels a download that outgrows DOWNLOAD_MAXSIZE (its size warning is only
        # logged); timeouts raise DownloadTimeoutError instead.
        return "too_large", None, "download cancelled: response over the size limit"
    return "connection_error", None, message


def first_url(request: scrapy.Request) -> str:
    """The URL as first requested, before any redirect (what the fetch log is keyed on)."""
    return request.meta.get("redirect_urls", [request.url])[0]


class MonitorSpider(scrapy.Spider):
    """Base of the monitor spiders; ``source`` names the source the crawl is for."""

    def __init__(self, *args: Any, source: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    @property
    def crawl_id(self) -> str:
        return context_of(self.crawler).crawl_id

    def document_request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        """A feed or sitemap: asked for conditionally (304: nothing new); never due-checked."""
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            meta={"document": True, "handle_httpstatus_list": [304], **meta},
        )

    def article_request(self, link: Link) -> scrapy.Request:
        return scrapy.Request(
            link.url,
            callback=self.parse_article,
            errback=self.article_failed,
            # The frontier middleware dedupes article URLs per crawl; Scrapy's filter would
            # also swallow the last hop of a redirect loop without a word.
            dont_filter=True,
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
            first_url(response.request),
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
        url = first_url(request)
        self.logger.info("%s: %s (%s)", url, outcome, message)
        yield self._item(
            url,
            frontier_url=request.meta.get("frontier_url"),
            status=status,
            outcome=outcome,
            error=message,
            hint_published=request.meta.get("hint_published"),
        )

    def discovery_failed(self, failure: Failure) -> Iterator[PageItem]:
        """A feed, sitemap or listing page that could not be fetched is logged too."""
        outcome, status, message = outcome_of_failure(failure)
        url = first_url(failure.request)
        self.logger.warning("%s: %s (%s)", url, outcome, message)
        yield self._item(url, status=status, outcome=outcome, error=message)

    def document_item(
        self, response: Response, outcome: str = "ok", error: str | None = None
    ) -> PageItem:
        """The fetch-log entry of a feed, sitemap or listing page (not an article)."""
        if error:
            self.logger.warning("%s: %s (%s)", response.url, outcome, error)
        return self._item(
            first_url(response.request), status=response.status, outcome=outcome, error=error
        )

    def bad_document(self, response: Response, error: DiscoveryError) -> PageItem:
        return self.document_item(response, error.reason, str(error))

    def parse_feed(self, response: Response) -> Iterator[Any]:
        """A feed's items become article requests; an HTML page is searched for its feeds."""
        looks_html = b"<html" in response.body[:2048].lower()
        if looks_html and not response.meta.get("discovered"):
            feeds = discover_feeds(response.body, response.url)
            for feed in feeds:
                yield self.document_request(feed, self.parse_feed, discovered=True)
            if feeds:
                return
        if response.status == 304:
            yield self.document_item(response, "not_modified")
            return
        try:
            feed = parse_feed(response.body, response.url)
        except DiscoveryError as error:
            yield self.bad_document(response, error)
            return
        yield self.document_item(response, "parse_error" if feed.problem else "ok", feed.problem)
        self.crawler.stats.inc_value("monitor/feed_items", len(feed.links))
        for link in feed.links:
            yield self.article_request(link)
