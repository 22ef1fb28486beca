"""The values a loopback publisher site is built from: articles, the site, its faults.

Frozen so that a running server can swap its whole site atomically when a test publishes a new
article, and so that the expected outcome of a crawl is computed from exactly what was served.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from monitor.article import Relevance


@dataclass(frozen=True, slots=True)
class SiteArticle:
    """One article page of the site.

    ``text`` is the body in the seed schema (paragraphs separated by one blank line);
    ``standfirst``, when given, is shown as the lead and counts as the text's first paragraph.
    ``relevance`` is the ground truth a perfect crawl reaches; ``copy_of`` names the original
    ``(host_label, slug)`` of a syndicated copy.
    """

    slug: str
    title: str
    text: str
    published: datetime
    authors: tuple[str, ...]
    section: str
    language: str
    template: str
    encoding: str = "utf-8"
    modified: datetime | None = None
    standfirst: str = ""
    relevance: Relevance = "about"
    copy_of: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.published.tzinfo is None:
            raise ValueError(f"article {self.slug!r}: published must carry an offset")
        if self.modified is not None and self.modified.tzinfo is None:
            raise ValueError(f"article {self.slug!r}: modified must carry an offset")

    @property
    def number(self) -> int:
        """A stable numeric id in the URL, as publishers put one (``..._6167707_823448.html``)."""
        return zlib.crc32(self.slug.encode("utf-8")) % 9_000_000 + 1_000_000

    @property
    def path(self) -> str:
        """The article's canonical path: ``/economie/article/2024/02/26/slug_1234567.html``."""
        day = self.published
        return f"/{self.section}/article/{day:%Y/%m/%d}/{self.slug}_{self.number}.html"

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.text.split("\n\n") if p.strip())

    @property
    def full_text(self) -> str:
        """What a perfect extraction stores: the standfirst (if any) then the body."""
        return "\n\n".join(p for p in (self.standfirst, *self.paragraphs) if p)


@dataclass(frozen=True, slots=True)
class SiteFaults:
    """Which fault routes the site serves. Every one is opt-in and bounded.

    Slug fields name an article of the site that misbehaves: ``flaky_slug`` answers 500
    ``flaky_failures`` times then 200; ``rate_limited_slug`` answers 429 with ``Retry-After: 1``
    once then 200; ``slow_slug`` waits ``slow_seconds`` before answering;
    ``redirect_chain_to`` is reached through ``/go/1`` → ``/go/2`` → ``/go/3`` (301, 302, 307);
    ``wrong_charset_slug`` is sent as windows-1252 bytes while header and meta claim UTF-8.
    Flags add routes of their own (see the package docstring for their paths).
    """

    redirect_chain_to: str | None = None
    redirect_loop: bool = False
    not_found: bool = False
    flaky_slug: str | None = None
    flaky_failures: int = 2
    rate_limited_slug: str | None = None
    slow_slug: str | None = None
    slow_seconds: float = 2.0
    never_finishing: bool = False
    trickle_interval: float = 0.5
    wrong_charset_slug: str | None = None
    gzip_bomb: bool = False
    gzip_bomb_bytes: int = 1 << 30
    hostile_xml: bool = False
    huge_sitemap_bytes: int = 0
    malformed_xml: bool = False
    endless_calendar: bool = False
    pdf_article: bool = False

    @classmethod
    def network_input(cls) -> SiteFaults:
        """The bad-input faults of issue 6 (no slugs: these routes carry no article)."""
        return cls(
            redirect_loop=True,
            never_finishing=True,
            gzip_bomb=True,
            hostile_xml=True,
            huge_sitemap_bytes=50 * 1024 * 1024,
            malformed_xml=True,
            endless_calendar=True,
            pdf_article=True,
        )

    def combined(self, other: SiteFaults) -> SiteFaults:
        """Both sets of faults; where both name something, ``other`` wins."""
        merged = {}
        default = SiteFaults()
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            merged[name] = theirs if theirs != getattr(default, name) else mine
        return SiteFaults(**merged)


@dataclass(frozen=True, slots=True)
class PublisherSite:
    """A whole site: its name, articles, page templates (name → HTML with slots) and faults."""

    host_label: str
    articles: tuple[SiteArticle, ...]
    templates: Mapping[str, str]
    faults: SiteFaults = field(default_factory=SiteFaults)
    language: str = "fr"
    homepage_size: int = 30

    def __post_init__(self) -> None:
        slugs = [a.slug for a in self.articles]
        if len(slugs) != len(set(slugs)):
            raise ValueError(f"site {self.host_label!r}: two articles share a slug")
        missing = {a.template for a in self.articles} - set(self.templates)
        if missing:
            raise ValueError(f"site {self.host_label!r}: no template named {sorted(missing)}")

    def article(self, slug: str) -> SiteArticle | None:
        return next((a for a in self.articles if a.slug == slug), None)

    def newest_first(self) -> tuple[SiteArticle, ...]:
        return tuple(sorted(self.articles, key=lambda a: a.published, reverse=True))

    def with_article(self, article: SiteArticle) -> PublisherSite:
        """The same site with ``article`` added, or replacing the one with its slug."""
        kept = tuple(a for a in self.articles if a.slug != article.slug)
        return PublisherSite(
            self.host_label,
            (*kept, article),
            self.templates,
            self.faults,
            self.language,
            self.homepage_size,
        )

    def without_article(self, slug: str) -> PublisherSite:
        kept = tuple(a for a in self.articles if a.slug != slug)
        return PublisherSite(
            self.host_label, kept, self.templates, self.faults, self.language, self.homepage_size
        )
