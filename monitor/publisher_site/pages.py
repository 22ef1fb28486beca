"""HTML pages of the site: article pages (in publisher templates), homepage, archives, agenda.

Article pages carry what real publishers put in their head — canonical link, OpenGraph and
``article:`` tags, a JSON-LD ``NewsArticle`` with an offset-bearing date — because the crawl's
metadata extraction is judged on exactly these.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from monitor.publisher_site.model import PublisherSite, SiteArticle
from monitor.publisher_site.sitemaps import PRIVATE_PATH
from monitor.publisher_site.templates import fill_template

_MONTHS_FR = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)


def display_date(moment: datetime) -> str:
    """``26 février 2024 à 09h30``, as French publishers print it."""
    return f"{moment.day} {_MONTHS_FR[moment.month - 1]} {moment.year} à {moment:%Hh%M}"


def feed_links(site: PublisherSite, base_url: str) -> str:
    """``<link rel=alternate>`` tags by which a crawler discovers the feeds."""
    name = escape(site.host_label)
    links = [
        f'<link rel="alternate" type="application/rss+xml" title="{name} - RSS" '
        f'href="{base_url}/feed.rss">',
        f'<link rel="alternate" type="application/atom+xml" title="{name} - Atom" '
        f'href="{base_url}/feed.atom">',
    ]
    if site.faults.hostile_xml:
        links.append(
            f'<link rel="alternate" type="application/rss+xml" title="{name} - Archives" '
            f'href="{base_url}/feed-archives.rss">'
        )
    if site.faults.malformed_xml:
        links.append(
            f'<link rel="alternate" type="application/rss+xml" title="{name} - Direct" '
            f'href="{base_url}/feed-direct.rss">'
        )
    return "\n".join(links)


def article_jsonld(site: PublisherSite, article: SiteArticle, canonical: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "dateModified": article.last_modified.isoformat(),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": {"@type": "Organization", "name": site.host_label},
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "articleSection": article.section,
        "inLanguage": article.language,
    }
    # "</" inside a script would end it early; JSON allows the escaped slash.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def article_head(site: PublisherSite, article: SiteArticle, base_url: str) -> str:
    canonical = base_url + article.path
    description = (article.standfirst or (article.paragraphs or ("",))[0])[:200]
    tags = [
        f"<title>{escape(article.title)} - {escape(site.host_label)}</title>",
        f'<link rel="canonical" href="{escape(canonical)}">',
        f'<meta name="description" content="{escape(description)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(article.title)}">',
        f'<meta property="og:url" content="{escape(canonical)}">',
        f'<meta property="og:site_name" content="{escape(site.host_label)}">',
        f'<meta property="og:description" content="{escape(description)}">',
        f'<meta property="og:locale" content="{escape(article.language)}">',
        f'<meta property="article:published_time" content="{article.published.isoformat()}">',
        f'<meta property="article:modified_time" content="{article.last_modified.isoformat()}">',
        f'<meta property="article:section" content="{escape(article.section)}">',
        *(f'<meta name="author" content="{escape(name)}">' for name in article.authors),
        f'<script type="application/ld+json">{article_jsonld(site, article, canonical)}</script>',
        feed_links(site, base_url),
    ]
    return "\n".join(tags)


def render_article(site: PublisherSite, article: SiteArticle, base_url: str, charset: str) -> str:
    """The article's page in its template, declaring ``charset`` in its meta tag."""
    body = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in article.paragraphs)
    values = {
        "head": article_head(site, article, base_url),
        "body": body,
        # Text slots: quotes stay as typed (publishers do not write &#x27; for apostrophes).
        "title": escape(article.title, quote=False),
        "standfirst": escape(article.standfirst, quote=False),
        "author": escape(", ".join(article.authors), quote=False),
        "date_iso": article.published.isoformat(),
        "date_display": escape(display_date(article.published)),
        "section": escape(article.section.capitalize()),
        "site_name": escape(site.host_label),
    }
    return fill_template(site.templates[article.template], values, charset)


def _page(site: PublisherSite, base_url: str, title: str, content: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{site.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{feed_links(site, base_url)}\n</head>\n<body>\n"
        f'<header><a href="/">{escape(site.host_label)}</a> · <a href="/archives/">Archives</a>'
        f"</header>\n<main>\n{content}\n</main>\n"
        f"<footer>{escape(site.host_label)}</footer>\n</body>\n</html>\n"
    )


def _teaser(article: SiteArticle, href: str) -> str:
    return (
        f'<li class="teaser"><a href="{escape(href)}">{escape(article.title)}</a> '
        f'<time datetime="{article.published.isoformat()}">'
        f"{escape(display_date(article.published))}</time></li>"
    )


def render_home(site: PublisherSite, base_url: str, extra_links: list[tuple[str, str]]) -> str:
    """The homepage: newest articles, then the links the site's faults add (``(href, text)``)."""
    newest = site.newest_first()[: site.homepage_size]
    items = [_teaser(a, a.path) for a in newest]
    items += [f'<li><a href="{escape(href)}">{escape(text)}</a></li>' for href, text in extra_links]
    account = f'<p class="compte"><a href="{PRIVATE_PATH}connexion">Mon compte</a></p>\n'
    content = f'<h1>{escape(site.host_label)}</h1>\n{account}<ul class="une">\n'
    content += "\n".join(items)
    return _page(site, base_url, site.host_label, content + "\n</ul>")


def render_archives(site: PublisherSite, base_url: str) -> str:
    """Every article, newest first: the site crawl's way to reach all of them."""
    items = "\n".join(_teaser(a, a.path) for a in site.newest_first())
    content = f'<h1>Archives</h1>\n<ul class="archives">\n{items}\n</ul>'
    return _page(site, base_url, f"Archives - {site.host_label}", content)


def render_calendar(site: PublisherSite, base_url: str, year: int, month: int) -> str:
    """One month of an agenda that links to the next and previous month forever (a trap)."""
    following = (year + month // 12, month % 12 + 1)
    previous = (year - (month == 1), (month - 2) % 12 + 1)
    days = "\n".join(
        f'<li><a href="/agenda/{year:04d}/{month:02d}/{day:02d}/">{day} '
        f"{_MONTHS_FR[month - 1]}</a> : aucun événement</li>"
        for day in (1, 8, 15, 22)
    )
    content = (
        f"<h1>Agenda — {_MONTHS_FR[month - 1]} {year}</h1>\n<ul>\n{days}\n</ul>\n"
        f'<a rel="prev" href="/agenda/{previous[0]:04d}/{previous[1]:02d}/">Mois précédent</a>\n'
        f'<a rel="next" href="/agenda/{following[0]:04d}/{following[1]:02d}/">Mois suivant</a>'
    )
    return _page(site, base_url, f"Agenda {month:02d}/{year} - {site.host_label}", content)


def render_login(site: PublisherSite, base_url: str) -> str:
    """The subscriber login page under the path robots.txt disallows: a polite crawl never asks."""
    content = (
        "<h1>Connexion</h1>\n<p>Connectez-vous pour accéder à votre compte abonné.</p>\n"
        '<form method="post"><input name="email"><input name="password" type="password"></form>'
    )
    return _page(site, base_url, f"Connexion - {site.host_label}", content)
