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
    #: A body shorter than this (characters, after normalisation) is not an article: it is a
    #: teaser, an error page or a consent wall.
    min_text_chars: int = 100
    #: Comments sections are reader talk, not the article; trafilatura keeps them by default.
    include_comments: bool = False
    #: Tables often carry the article's figures (election results, league tables).
    include_tables: bool = True
    #: Structured data may only set the title when it looks like a headline, not a whole lead.
    max_title_chars: int = 300
    #: A JSON-LD ``articleBody`` is only trusted over trafilatura's body when it is at least
    #: this share of trafilatura's length (publishers sometimes put a teaser there).
    min_article_body_ratio: float = 0.6
    #: Number of authors kept; bylines listing whole newsrooms are noise past this.
    max_authors: int = 12
