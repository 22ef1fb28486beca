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
        context = context_of(self.crawler)
        if request.meta.get("document") and not context.dry_run:
            with Session(context.engine) as session:
                request.meta["validators"] = fetchlog.validators(session, request.url)
            return request
        if not request.meta.get("article"):
            return request
        stats = self.crawler.stats
        hint = request.meta.get("hint_published")
        if hint is not None and not context.window.admits(hint.date()):
            stats.inc_value("monitor/skipped_out_of_window")
            return None
        key = frontier_key(request.url)
        if key in context.claimed:
            stats.inc_value("monitor/skipped_already_requested")
            return None
        context.claimed.add(key)
        request.meta["frontier_url"] = key
        with Session(context.engine) as session:
            memory = fetchlog.url_memory(session, key)
            if not context.ignore_frontier and not is_due(memory, context.now(), hint):
                stats.inc_value("monitor/skipped_not_due")
                return None
            if memory is not None and not context.dry_run:
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


class BackoffRetryMiddleware:
    """Retries 429 and 5xx answers after a pause: ``Retry-After`` when the publisher gives one
    (within a bound), else an exponential backoff.

    Scrapy's own RetryMiddleware re-schedules at once (it keeps handling timeouts and broken
    connections); a publisher that says "come back in 30 s" deserves to be heard. A longer
    Retry-After than ``MONITOR_MAX_RETRY_AFTER`` gives up on the page for this crawl, which
    leaves it due for the next one.
    """

    RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

    def __init__(self, max_wait: float, max_tries: int, base_delay: float) -> None:
        self.max_wait = max_wait
        self.max_tries = max_tries
        self.base_delay = base_delay

    @classmethod
    def from_crawler(cls, crawler: Any) -> BackoffRetryMiddleware:
        return cls(
            crawler.settings.getfloat("MONITOR_MAX_RETRY_AFTER", 120.0),
            crawler.settings.getint("MONITOR_HTTP_RETRIES", 3),
            crawler.settings.getfloat("MONITOR_RETRY_BASE_DELAY", 2.0),
        )

    def delay_for(self, response: Response, tries: int) -> float | None:
        """Seconds to wait before the next try, or None to give up on this page for now."""
        if tries >= self.max_tries:
            return None
        header = response.headers.get(b"Retry-After")
        if header is not None:
            try:
                wait = float(header.decode("latin-1").strip())
            except ValueError:
                wait = self.base_delay * 2**tries  # an HTTP date: fall back to backoff
            return wait if 0 <= wait <= self.max_wait else None
        return min(self.base_delay * 2**tries, self.max_wait)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in self.RETRY_STATUSES:
            return response
        tries = request.meta.get("backoff_tries", 0)
        wait = self.delay_for(response, tries)
        if wait is None:
            return response
        log.info(
            "%s answered %s; retry %d in %.1f s", request.url, response.status, tries + 1, wait
        )
        await asyncio.sleep(wait)
        retry = request.copy()
        retry.meta["backoff_tries"] = tries + 1
        retry.dont_filter = True
        return retry
