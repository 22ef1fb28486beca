"""The fixed paths of the fault routes, shared by the server, the docs and the expected outcome."""

from __future__ import annotations

REDIRECT_CHAIN = ("/go/1", "/go/2", "/go/3")
REDIRECT_CHAIN_STATUSES = (301, 302, 307)
REDIRECT_LOOP = ("/boucle/a", "/boucle/b")
NOT_FOUND = "/economie/article/2024/01/15/article-retire_1000404.html"
NEVER_FINISHING = "/direct/en-continu.html"
GZIP_BOMB = "/economie/article/2024/03/04/rapport-integral_1000413.html"
PDF_ARTICLE = "/economie/article/2024/03/05/rapport-annuel_1000415.html"
CALENDAR_START = "/agenda/2024/01/"
BILLION_LAUGHS_FEED = "/feed-archives.rss"
BILLION_LAUGHS_SITEMAP = "/sitemap-entities.xml"
EXTERNAL_ENTITY_SITEMAP = "/sitemap-xxe.xml"
HUGE_SITEMAP = "/sitemap-huge.xml"
MALFORMED_SITEMAP = "/sitemap-broken.xml"
MALFORMED_FEED = "/feed-direct.rss"
