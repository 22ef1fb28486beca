"""Scrapy middlewares: the frontier (filter before fetch), conditional GET, Retry-After."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from sqlalchemy.orm import Session

from monitor.crawl.context import context_of
from monitor.db import fetchlog
from monitor.dedup import canonicalize_url
from monitor.frontier import is_due

log = logging.getLogger(__name__)


def frontier_key(url: str) -> str:
    try:
        return canonicalize_url(url)
    except ValueError:
        return url


class FrontierMiddleware(BaseSpiderMiddleware):
    """Drops article requests that are not due or fall outside the backfill window, and attaches
    the validators of a known URL for a conditional GET."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if not request.meta.get("article"):
            return request
        context = context_of(self.crawler)
        stats = self.crawler.stats
        hint = request.meta.get("hint_published")
        if hint is not None and not context.window.admits(hint.date()):
            stats.inc_value("monitor/skipped_out_of_window")
            return None
        key = frontier_key(request.url)
        request.meta["frontier_url"] = key
        with Session(context.engine) as session:
            memory = fetchlog.url_memory(session, key)
            if not context.ignore_frontier and not is_due(memory, context.now(), hint):
                stats.inc_value("monitor/skipped_not_due")
                return None
            if memory is not None:
                request.meta["validators"] = fetchlog.validators(session, key)
        return request


class ConditionalGetMiddleware:
    """Asks for the page only if it changed: a 304 costs no download and no extraction."""

    def process_request(self, request: Request) -> None:
        etag, last_modified = request.meta.get("validators") or (None, None)
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1", "replace"))
        if last_modified:
            request.headers.setdefault(
                b"If-Modified-Since", last_modified.encode("latin-1", "replace")
            )
        return None


class RetryAfterMiddleware:
    """Honours ``Retry-After`` on 429 and 503: waits as asked (within a bound), then retries.

    Scrapy's own RetryMiddleware retries at once; a publisher that says "come back in 30 s"
    deserves to be heard. Longer waits than ``MONITOR_MAX_RETRY_AFTER`` give up on the page
    for this crawl (it stays due for the next one).
    """

    def __init__(self, max_wait: float, max_tries: int) -> None:
        self.max_wait = max_wait
        self.max_tries = max_tries

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        return cls(
            crawler.settings.getfloat("MONITOR_MAX_RETRY_AFTER", 120.0),
            crawler.settings.getint("RETRY_TIMES", 3),
        )

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in (429, 503):
            return response
        header = response.headers.get(b"Retry-After")
        if header is None:
            return response
        try:
            wait = float(header.decode("latin-1").strip())
        except ValueError:
            return response  # an HTTP date: let the ordinary retry policy handle it
        tries = request.meta.get("retry_after_tries", 0)
        if wait > self.max_wait or tries >= self.max_tries:
            return response
        log.info("%s answered %s; retrying in %.0f s", request.url, response.status, wait)
        await asyncio.sleep(max(wait, 0.0))
        retry = request.copy()
        retry.meta["retry_after_tries"] = tries + 1
        retry.dont_filter = True
        return retry
