"""The Scrapy spiders of monitor. Spiders only discover, fetch and parse: everything after the
fetch (extraction, relevance, dedup, tagging, storage) is an item pipeline in
``monitor.crawl.pipelines``.

- ``feed``: RSS 1.0/2.0 and Atom feeds (a homepage given instead is searched for its feeds)
- ``sitemap``: sitemap indexes, sitemaps and news sitemaps, within a date window
- ``site``: a bounded crawl of one site (article-looking links, depth and page limits)
- ``urls``: a list of article URLs
"""

from spiders.feed import FeedSpider
from spiders.site import SiteSpider
from spiders.sitemap import SitemapSpider
from spiders.urls import UrlListSpider

SPIDERS = {
    "feed": FeedSpider,
    "sitemap": SitemapSpider,
    "site": SiteSpider,
    "urls": UrlListSpider,
}

__all__ = ["SPIDERS", "FeedSpider", "SiteSpider", "SitemapSpider", "UrlListSpider"]
