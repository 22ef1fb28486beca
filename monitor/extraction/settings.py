"""Every threshold the extractor uses, in one place with its reason.

Built once at the entry point (CLI, pipeline) and passed down; nothing below reads the
environment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExtractionSettings:
    """Limits and switches for :func:`monitor.extraction.extract_page`.

    Defaults are chosen for news pages: the largest real article pages seen are a few MB of
    HTML, so ``max_bytes`` leaves room while keeping a hostile 100 MB body out of lxml.
    """

    #: Pages larger than this are refused (``too_large``) before decoding: parsing cost and
    #: memory grow with size, and no article page needs more.
    max_bytes: int = 15_000_000
    #: Pages with more elements than this are refused (``too_large``): trafilatura's time
    #: grows with the element count (a 14 MB page of 900,000 elements takes over a minute,
    #: 140,000 elements about 6 s on one core), while the 258 real pages of the fundus
    #: evaluation set hold at most 4,100. Twelve times that leaves room for long live blogs.
    max_elements: int = 50_000
    #: Above this size trafilatura runs without its fallback extractors (readability,
    #: jusText): they cost over half the time and grow with the page, and big pages are
    #: mostly furniture around an article the main extractor finds anyway.
    fast_above_bytes: int = 2_000_000
    #: A body shorter than this (characters, after normalisation) is not an article: it is a
    #: teaser, an error page or a consent wall.
    min_text_chars: int = 100
    #: Comments sections are reader talk, not the article; trafilatura keeps them by default.
    include_comments: bool = False
    #: Tables often carry the article's figures (election results, league tables).
    include_tables: bool = True
    #: Structured data may only set the title when it looks like a headline, not a whole lead.
    max_title_chars: int = 300
    #: JSON-LD ``articleBody`` counts as complete when it holds this share of the word
    #: trigrams trafilatura extracted; only then does it filter trafilatura's paragraphs
    #: (publishers sometimes put a teaser there instead of the text).
    article_body_complete_share: float = 0.8
    #: A trafilatura paragraph is kept when this share of its trigrams is in the
    #: ``articleBody``; below it, it is furniture the publisher did not count as the article.
    paragraph_in_article_body_share: float = 0.5
    #: ``articleBody`` replaces trafilatura's text when this many times longer (and it holds
    #: most of trafilatura's text): trafilatura stopped early on a paginated or lazy body.
    article_body_longer_ratio: float = 1.6
    #: A description shorter than this is a tagline, not a standfirst worth adding.
    min_standfirst_chars: int = 60
    #: Number of authors kept; bylines listing whole newsrooms are noise past this.
    max_authors: int = 12
