"""A realistic news publisher served on 127.0.0.1: for end-to-end tests, benchmarks, the demo.

Stdlib only (``http.server.ThreadingHTTPServer``); no Scrapy, SQLAlchemy or CLI code.

Use
---
::

    from monitor.publisher_site import TestSites, load_templates, SiteFaults
    with TestSites(load_templates(FIXTURES / "site" / "templates")) as sites:
        crawl(sites.main.url("/feed.rss"), sites.main.url("/sitemap.xml"), ...)
        assert stored == sites.expected_articles()          # list[ExpectedArticle]
        assert fetch_log ⊇ sites.expected_fetches()          # list[ExpectedFetch]
        sites.main.hits("/feed.rss"); sites.main.requests()  # counters, conditional flags

    with serve_site(site) as running:                        # any PublisherSite
        running.publish(new_article)                         # appears in feeds at once
    with SiteProcess(articles=2000) as server: ...           # separate process (benchmark)

``demo_site(bundled_templates())`` is the ``monitor demo`` site (plain templates, no faults).

Routes (every site)
-------------------
- ``/`` homepage: ``<link rel="alternate">`` to ``/feed.rss`` and ``/feed.atom`` (autodiscovery),
  links to the newest ``homepage_size`` articles, plus the fault links listed below.
- ``/archives/``: every article, newest first.
- ``/feed.rss`` RSS 2.0 (title, link, guid, pubDate, dc:creator, description), newest 50; links
  carry ``?utm_source=rss&utm_medium=feed``; the redirect-chain article is linked as ``/go/1``.
- ``/feed.atom`` Atom (clean links, published, updated, author).
- ``/sitemap.xml`` sitemap index → ``/sitemap-news.xml`` (Google News: ``news:publication_date``,
  ``news:title``, ``lastmod``; also lists the fault URLs that look like articles) and
  ``/sitemap-YYYY.xml`` for each year that has articles.
- ``/robots.txt``: ``Disallow: /compte/`` and ``Disallow: /recherche?``, ``Sitemap:`` line. The
  homepage links ``/compte/connexion`` (a login page): a polite crawl never requests it, which a
  test asserts with ``running.hits("/compte/connexion") == 0``.
- Articles at ``/{section}/article/{YYYY}/{MM}/{DD}/{slug}_{number}.html`` with ``rel=canonical``
  (the same path on the same host), OpenGraph and ``article:*`` tags, ``meta name=author``,
  JSON-LD ``NewsArticle`` (headline, datePublished/dateModified with offset, author Persons,
  publisher Organization), ETag and Last-Modified. Any query string (``?utm_source=rss``) gives
  the same page. ``If-None-Match`` (wins) or ``If-Modified-Since`` → 304. Feeds, sitemaps,
  homepage and archives carry validators and answer 304 the same way.
- Any other path: 404.

Faults (:class:`SiteFaults`; all off by default, each bounded)
--------------------------------------------------------------
By article slug: ``flaky_slug`` (500 ``flaky_failures`` times, then 200), ``rate_limited_slug``
(429 with ``Retry-After: 1`` on the first hit, then 200), ``slow_slug`` (answers after
``slow_seconds``), ``redirect_chain_to`` (``/go/1`` 301 → ``/go/2`` 302 → ``/go/3`` 307 →
article), ``wrong_charset_slug`` (windows-1252 bytes, header and meta say UTF-8). An article
whose ``encoding`` is ``windows-1252`` is declared so in header and meta (not a fault).
Flags (paths in :mod:`monitor.publisher_site.routes`):
``not_found`` → ``routes.NOT_FOUND`` (404; in the news sitemap and on the homepage);
``redirect_loop`` → ``/boucle/a`` ⇄ ``/boucle/b`` (302; homepage);
``never_finishing`` → ``/direct/en-continu.html`` (200, headers then one line every
``trickle_interval`` s until the client leaves or the server stops; homepage);
``gzip_bomb`` → ``routes.GZIP_BOMB`` (``Content-Encoding: gzip``, ``gzip_bomb_bytes`` = 1 GiB of
zeros, ~1 MB on the wire, streamed; news sitemap);
``pdf_article`` → ``routes.PDF_ARTICLE`` (``application/pdf`` at an article URL; news sitemap);
``hostile_xml`` → ``/feed-archives.rss`` (billion laughs; homepage alternate link),
``/sitemap-entities.xml`` (billion laughs) and ``/sitemap-xxe.xml`` (external entity to
``file:///etc/passwd``), both in the sitemap index;
``huge_sitemap_bytes`` → ``/sitemap-huge.xml`` streamed (``SiteFaults.network_input()``: 50 MB of
URLs that 404; sitemap index);
``malformed_xml`` → ``/sitemap-broken.xml`` (index) and ``/feed-direct.rss`` (alternate link);
``endless_calendar`` → ``/agenda/2024/01/`` linking to the next and previous month forever
(and to four day pages per month); homepage.
``crawl_test_faults()`` is the first list of issue 6 (redirect chain, 404, 500 that recovers,
429, slow page, wrong charset); ``SiteFaults.network_input()`` the second (bad input);
``a.combined(b)`` both.

What an ideal crawl of ``TestSites`` stores (``TestSites.expected_articles()``)
------------------------------------------------------------------------------
Ten article pages, each one :class:`ExpectedArticle` (canonical URL, title, site name,
authors, published with offset, language, text, relevance, duplicate_of, variants):

- five Mistral AI articles on the main site ("Le Quotidien du Numérique"), relevance
  ``about``: seed 003 (also reached by ``/go/1`` and the RSS utm variant; must not make a
  second row), 004 (windows-1252, declared), 000 (500 twice then 200), 001 (429 then 200),
  002 (wrong charset declaration: stored text must still read correctly);
- one ``passing`` article (French AI start-ups hiring, Mistral AI named once): stored;
- three ``none`` pages (the mistral wind ×2, one of them the slow page; the Mistral
  helicopter carrier): not stored, fetch recorded as ``irrelevant``;
- on the wire site ("Agence Dépêches Tech"), a syndicated copy of seed 003 (new title, last
  paragraph dropped, published two hours later): stored with ``duplicate_of`` = seed 003's
  canonical URL (same cluster; 003 is the earlier, hence canonical, member).

So: seven stored rows (six on the main site, one duplicate on the wire site), three
irrelevant fetches, and ``TestSites.expected_fetches()`` for the fault URLs (404 →
``http_error``; with ``network_input()`` also redirect loop → ``http_error``, never-finishing →
``timeout``, gzip bomb and huge sitemap → ``too_large``, PDF → ``not_html``, hostile and
malformed XML → ``parse_error``). Nothing under ``/agenda/`` is ever stored; a crawl must stop
following it (depth or URL budget).
"""

import logging

from monitor.publisher_site.corpus import (
    MAIN_SITE,
    WIRE_SITE,
    crawl_test_faults,
    crawl_test_site,
    demo_site,
    homonym_articles,
    synthetic_articles,
    synthetic_site,
    wire_site,
)
from monitor.publisher_site.expected import (
    ExpectedArticle,
    ExpectedFetch,
    expected_fetches,
    expected_outcome,
)
from monitor.publisher_site.model import PublisherSite, SiteArticle, SiteFaults
from monitor.publisher_site.pair import TestSites
from monitor.publisher_site.process import SiteProcess, SiteProcessError
from monitor.publisher_site.server import RequestRecord, RunningSite, serve_site
from monitor.publisher_site.templates import bundled_templates, load_templates

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "MAIN_SITE",
    "WIRE_SITE",
    "ExpectedArticle",
    "ExpectedFetch",
    "PublisherSite",
    "RequestRecord",
    "RunningSite",
    "SiteArticle",
    "SiteFaults",
    "SiteProcess",
    "SiteProcessError",
    "TestSites",
    "bundled_templates",
    "crawl_test_faults",
    "crawl_test_site",
    "demo_site",
    "expected_fetches",
    "expected_outcome",
    "homonym_articles",
    "load_templates",
    "serve_site",
    "synthetic_articles",
    "synthetic_site",
    "wire_site",
]
