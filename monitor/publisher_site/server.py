"""Serve a :class:`PublisherSite` on 127.0.0.1 from a background thread.

The server renders pages from the site it holds now, so a test can publish a new article while
a daemon crawls and see it appear in the feeds; it records every request (method, target,
status, whether it was conditional) so tests can assert that retries and conditional GETs
really happened. Slow and endless routes wait on the server's stop event, so ``stop()``
returns promptly whatever a client is doing.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from monitor.publisher_site import hostile, routes
from monitor.publisher_site.conditional import entity_tag, http_date, is_not_modified
from monitor.publisher_site.feeds import feed_entries, newest_date, render_atom, render_rss
from monitor.publisher_site.model import PublisherSite, SiteArticle
from monitor.publisher_site.pages import (
    render_archives,
    render_article,
    render_calendar,
    render_home,
    render_login,
)
from monitor.publisher_site.sitemaps import (
    PRIVATE_PATH,
    SitemapEntry,
    article_entries,
    render_index,
    render_news,
    render_robots,
    render_year,
    years,
)

logger = logging.getLogger(__name__)

_YEAR_SITEMAP = re.compile(r"^/sitemap-(\d{4})\.xml$")
_CALENDAR = re.compile(r"^/agenda/(\d{4})/(\d{2})/(?:(\d{2})/)?$")
_FAULT_DATE = datetime.fromisoformat("2024-03-04T10:00:00+01:00")


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the site answered."""

    method: str
    target: str
    path: str
    status: int
    conditional: bool


@dataclass(frozen=True, slots=True)
class Response:
    """A complete answer: status, headers and a body held in memory (small by construction)."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class StreamedResponse:
    """An answer whose body is generated as it is sent, delimited by closing the connection."""

    status: int
    headers: tuple[tuple[str, str], ...]
    chunks: Iterator[bytes]
    interval: float = 0.0


class _SiteState:
    """What the handler threads share: the current site, counters, a render cache, stop event."""

    def __init__(self, site: PublisherSite) -> None:
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.base_url = ""
        self.records: list[RequestRecord] = []
        self.article_hits: Counter[str] = Counter()
        self.site = site
        self.by_path: dict[str, SiteArticle] = {}
        self.rendered: dict[str, Response] = {}
        self.replace(site)

    def replace(self, site: PublisherSite) -> None:
        with self.lock:
            self.site = site
            self.by_path = {a.path: a for a in site.articles}
            self.rendered = {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LoopbackPublisher/1.0"
    state: _SiteState  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
        try:
            answer = route(self.state, path, dict(self.headers.items()))
        except Exception:
            logger.exception("loopback site failed on %s", self.path)
            answer = Response(500, (("Content-Type", "text/plain"),), b"internal error")
        with self.state.lock:
            self.state.records.append(
                RequestRecord(self.command, self.path, path, answer.status, conditional)
            )
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        if isinstance(answer, StreamedResponse):
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            if send_body:
                self._stream(answer)
            return
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if send_body and answer.body:
            self.wfile.write(answer.body)

    def _stream(self, answer: StreamedResponse) -> None:
        try:
            for chunk in answer.chunks:
                if self.state.stopping.is_set():
                    return
                self.wfile.write(chunk)
                self.wfile.flush()
                if answer.interval and self.state.stopping.wait(answer.interval):
                    return
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("client left %s before the end", self.path)


def _html(body: str, charset: str = "utf-8") -> Response:
    return Response(
        200,
        (("Content-Type", f"text/html; charset={charset}"),),
        body.encode(charset, "xmlcharrefreplace"),
    )


def _xml(body: str | bytes, content_type: str = "application/xml") -> Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Response(200, (("Content-Type", f"{content_type}; charset=utf-8"),), data)


def _redirect(status: int, location: str) -> Response:
    return Response(status, (("Location", location), ("Content-Type", "text/plain")), b"moved")


def _validated(answer: Response, last_modified: datetime, headers: dict[str, str]) -> Response:
    """Add ETag and Last-Modified; turn the answer into a 304 when the client's copy is current."""
    etag = entity_tag(answer.body)
    validators = (("ETag", etag), ("Last-Modified", http_date(last_modified)))
    if is_not_modified(headers, etag, last_modified):
        return Response(304, validators)
    return Response(answer.status, answer.headers + validators, answer.body)


def fault_sitemap_entries(site: PublisherSite) -> list[SitemapEntry]:
    """Article-looking URLs the news sitemap lists although no article stands behind them."""
    faults = site.faults
    listed = [
        (faults.not_found, routes.NOT_FOUND, "Article retiré"),
        (faults.gzip_bomb, routes.GZIP_BOMB, "Le rapport intégral"),
        (faults.pdf_article, routes.PDF_ARTICLE, "Rapport annuel (PDF)"),
    ]
    return [SitemapEntry(path, title, _FAULT_DATE, _FAULT_DATE) for on, path, title in listed if on]


def homepage_fault_links(site: PublisherSite) -> list[tuple[str, str]]:
    faults = site.faults
    listed = [
        (faults.redirect_loop, routes.REDIRECT_LOOP[0], "Notre dossier spécial"),
        (faults.never_finishing, routes.NEVER_FINISHING, "En direct"),
        (faults.endless_calendar, routes.CALENDAR_START, "Agenda"),
        (faults.not_found, routes.NOT_FOUND, "Article retiré"),
    ]
    return [(path, text) for on, path, text in listed if on]


def _child_sitemaps(site: PublisherSite) -> list[tuple[str, datetime | None]]:
    entries = article_entries(site)
    children: list[tuple[str, datetime | None]] = [("/sitemap-news.xml", newest_date(site))]
    children += [(f"/sitemap-{year}.xml", None) for year in years(entries)]
    faults = site.faults
    if faults.hostile_xml:
        children += [(routes.BILLION_LAUGHS_SITEMAP, None), (routes.EXTERNAL_ENTITY_SITEMAP, None)]
    if faults.huge_sitemap_bytes:
        children.append((routes.HUGE_SITEMAP, None))
    if faults.malformed_xml:
        children.append((routes.MALFORMED_SITEMAP, None))
    return children


def _redirector(site: PublisherSite) -> dict[str, str]:
    target = site.faults.redirect_chain_to
    return {target: routes.REDIRECT_CHAIN[0]} if target else {}


def _render_cached(state: _SiteState, site: PublisherSite, path: str) -> Response | None:
    """The validated page for a path whose body depends only on the site (cached per site)."""
    with state.lock:
        cached = state.rendered.get(path)
    if cached is not None:
        return cached
    base = state.base_url
    article = state.by_path.get(path)
    if article is not None:
        answer = _article_page(site, article, base)
        last_modified = article.last_modified
    else:
        page = _site_page(site, path, base)
        if page is None:
            return None
        answer, last_modified = page
    validated = _validated(answer, last_modified, {})
    with state.lock:
        if state.site is site:
            state.rendered[path] = validated
    return validated


def _article_page(site: PublisherSite, article: SiteArticle, base_url: str) -> Response:
    if article.slug == site.faults.wrong_charset_slug:
        page = render_article(site, article, base_url, "utf-8")
        body = page.encode("windows-1252", "xmlcharrefreplace")
        return Response(200, (("Content-Type", "text/html; charset=utf-8"),), body)
    if article.encoding.lower() != "utf-8":
        return _html(render_article(site, article, base_url, article.encoding), article.encoding)
    page = render_article(site, article, base_url, "utf-8")
    return _html(page)


def _site_page(site: PublisherSite, path: str, base_url: str) -> tuple[Response, datetime] | None:
    newest = newest_date(site)
    entries = article_entries(site)
    if path == "/":
        return _html(render_home(site, base_url, homepage_fault_links(site))), newest
    if path.startswith(PRIVATE_PATH):
        return _html(render_login(site, base_url)), newest
    if path == "/archives/":
        return _html(render_archives(site, base_url)), newest
    if path == "/robots.txt":
        body = render_robots(base_url).encode()
        return Response(200, (("Content-Type", "text/plain; charset=utf-8"),), body), newest
    if path == "/feed.rss":
        rss = render_rss(site, base_url, feed_entries(site, base_url, _redirector(site)))
        return _xml(rss, "application/rss+xml"), newest
    if path == "/feed.atom":
        return _xml(render_atom(site, base_url), "application/atom+xml"), newest
    if path == "/sitemap.xml":
        return _xml(render_index(base_url, _child_sitemaps(site))), newest
    if path == "/sitemap-news.xml":
        listed = entries + fault_sitemap_entries(site)
        return _xml(render_news(site, base_url, listed)), newest
    year = _YEAR_SITEMAP.match(path)
    if year and int(year.group(1)) in years(entries):
        return _xml(render_year(base_url, entries, int(year.group(1)))), newest
    return None


def _fault_route(
    state: _SiteState, site: PublisherSite, path: str
) -> Response | StreamedResponse | None:
    faults = site.faults
    base = state.base_url
    if faults.redirect_chain_to and path in routes.REDIRECT_CHAIN:
        target = site.article(faults.redirect_chain_to)
        step = routes.REDIRECT_CHAIN.index(path)
        following = routes.REDIRECT_CHAIN[step + 1 :]
        location = following[0] if following else (target.path if target else routes.NOT_FOUND)
        return _redirect(routes.REDIRECT_CHAIN_STATUSES[step], base + location)
    if faults.redirect_loop and path in routes.REDIRECT_LOOP:
        other = routes.REDIRECT_LOOP[1 - routes.REDIRECT_LOOP.index(path)]
        return _redirect(302, base + other)
    if faults.never_finishing and path == routes.NEVER_FINISHING:
        return StreamedResponse(
            200,
            (("Content-Type", "text/html; charset=utf-8"),),
            _trickle(),
            faults.trickle_interval,
        )
    if faults.gzip_bomb and path == routes.GZIP_BOMB:
        headers = (("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"))
        return StreamedResponse(200, headers, hostile.gzip_bomb(faults.gzip_bomb_bytes))
    if faults.pdf_article and path == routes.PDF_ARTICLE:
        pdf = hostile.pdf_document("Rapport annuel")
        return Response(200, (("Content-Type", "application/pdf"),), pdf)
    if faults.hostile_xml and path == routes.BILLION_LAUGHS_FEED:
        return _xml(hostile.billion_laughs_feed(), "application/rss+xml")
    if faults.hostile_xml and path == routes.BILLION_LAUGHS_SITEMAP:
        return _xml(hostile.billion_laughs_sitemap())
    if faults.hostile_xml and path == routes.EXTERNAL_ENTITY_SITEMAP:
        return _xml(hostile.external_entity_sitemap())
    if faults.huge_sitemap_bytes and path == routes.HUGE_SITEMAP:
        chunks = hostile.huge_sitemap(base, faults.huge_sitemap_bytes)
        return StreamedResponse(200, (("Content-Type", "application/xml"),), chunks)
    if faults.malformed_xml and path == routes.MALFORMED_SITEMAP:
        return _xml(hostile.malformed_sitemap(base, [a.path for a in site.newest_first()]))
    if faults.malformed_xml and path == routes.MALFORMED_FEED:
        return _xml(hostile.malformed_feed(base), "application/rss+xml")
    calendar = _CALENDAR.match(path)
    if faults.endless_calendar and calendar:
        year, month = int(calendar.group(1)), int(calendar.group(2))
        if 1 <= year <= 9998 and 1 <= month <= 12:
            return _html(render_calendar(site, base, year, month))
    return None


def _trickle() -> Iterator[bytes]:
    yield b"<!DOCTYPE html><html><head><title>En direct</title></head><body><ul>"
    while True:
        yield b"<li>.</li>\n"


def _article_fault(state: _SiteState, site: PublisherSite, article: SiteArticle) -> Response | None:
    """500s, 429s and waits of the article named by the faults (counted per article)."""
    faults = site.faults
    with state.lock:
        state.article_hits[article.slug] += 1
        hits = state.article_hits[article.slug]
    if article.slug == faults.flaky_slug and hits <= faults.flaky_failures:
        return Response(
            500, (("Content-Type", "text/plain"),), b"Service temporairement indisponible"
        )
    if article.slug == faults.rate_limited_slug and hits == 1:
        headers = (("Retry-After", "1"), ("Content-Type", "text/plain"))
        return Response(429, headers, b"Trop de requetes")
    if article.slug == faults.slow_slug:
        state.stopping.wait(faults.slow_seconds)
    return None


def route(state: _SiteState, path: str, headers: dict[str, str]) -> Response | StreamedResponse:
    """The answer to a GET of ``path`` on the site as it is now."""
    site = state.site
    article = state.by_path.get(path)
    if article is not None:
        refusal = _article_fault(state, site, article)
        if refusal is not None:
            return refusal
    else:
        fault = _fault_route(state, site, path)
        if fault is not None:
            return fault
    page = _render_cached(state, site, path)
    if page is None:
        body = b"<!DOCTYPE html><html><body><h1>Page introuvable</h1></body></html>"
        return Response(404, (("Content-Type", "text/html; charset=utf-8"),), body)
    etag = dict(page.headers)["ETag"]
    last_modified = dict(page.headers)["Last-Modified"]
    if is_not_modified(headers, etag, _parse_http_date(last_modified)):
        return Response(304, (("ETag", etag), ("Last-Modified", last_modified)))
    return page


def _parse_http_date(value: str) -> datetime:
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(value)


class RunningSite:
    """A site being served; a context manager that stops the server on exit."""

    def __init__(self, site: PublisherSite, host: str = "127.0.0.1", port: int = 0) -> None:
        self._state = _SiteState(site)
        handler = type("SiteHandler", (_Handler,), {"state": self._state})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        bound_host, bound_port = self._server.server_address[:2]
        self.base_url = f"http://{bound_host}:{bound_port}"
        self._state.base_url = self.base_url
        # A short poll interval makes stop() quick (shutdown waits for the loop to look).
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"site-{bound_port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("serving %s at %s", site.host_label, self.base_url)

    @property
    def site(self) -> PublisherSite:
        return self._state.site

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def url(self, path: str) -> str:
        return self.base_url + path

    def served(self) -> tuple[PublisherSite, str]:
        """The site as served now and its base URL, for :func:`expected_outcome`."""
        return self._state.site, self.base_url

    def publish(self, article: SiteArticle) -> None:
        """Add an article, or replace the one with its slug (an edit): feeds show it at once."""
        self._state.replace(self._state.site.with_article(article))

    def withdraw(self, slug: str) -> None:
        self._state.replace(self._state.site.without_article(slug))

    def prerender(self) -> None:
        """Render every page once now, so that serving is copying bytes (for benchmarks)."""
        site = self._state.site
        paths = [a.path for a in site.articles] + ["/", "/archives/", "/robots.txt"]
        paths += ["/feed.rss", "/feed.atom", "/sitemap.xml", "/sitemap-news.xml"]
        paths += [f"/sitemap-{y}.xml" for y in years(article_entries(site))]
        for path in paths:
            _render_cached(self._state, site, path)

    def requests(self) -> tuple[RequestRecord, ...]:
        with self._state.lock:
            return tuple(self._state.records)

    def hits(self, path: str) -> int:
        """How many requests reached ``path`` (any query string, any status)."""
        return sum(1 for r in self.requests() if r.path == path)

    def statuses(self, path: str) -> list[int]:
        return [r.status for r in self.requests() if r.path == path]

    def stop(self) -> None:
        """Stop serving; endless and slow answers in progress end promptly."""
        if self._state.stopping.is_set():
            return
        self._state.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningSite:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve_site(site: PublisherSite, host: str = "127.0.0.1", port: int = 0) -> RunningSite:
    """Start serving ``site`` on ``host:port`` (0: any free port) in a background thread."""
    return RunningSite(site, host, port)
