"""The article body: trafilatura's paragraphs, checked against what the publisher declares.

Two publisher signals improve on trafilatura alone:

* the standfirst (``og:description`` / ``description``) when the page shows it as visible
  text: it is the article's first paragraph, and trafilatura often leaves it out because it
  sits above the body container;
* JSON-LD ``articleBody``, the publisher's own copy of the text. When it is complete (it holds
  most of trafilatura's text), paragraphs it does not contain are page furniture that
  trafilatura let in (related links, captions, calls to subscribe); when it is much longer and
  contains trafilatura's text, trafilatura stopped early (paginated or lazy-loaded bodies).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from monitor.extraction.boilerplate import drop_boilerplate_lines
from monitor.extraction.normalise import normalise_inline, split_paragraphs
from monitor.extraction.settings import ExtractionSettings

_TOKEN = re.compile(r"\w+")
_TRUNCATED = ("…", "...", "[…]", "[...]")


def _trigrams(text: str) -> set[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.casefold())
    if len(tokens) < 3:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def _share_in(part: set[tuple[str, ...]], whole: set[tuple[str, ...]]) -> float:
    return len(part & whole) / len(part) if part else 1.0


def reconcile_with_article_body(
    paragraphs: list[str], article_body: str | None, settings: ExtractionSettings
) -> list[str]:
    """Paragraphs checked against the publisher's ``articleBody`` (see module docstring)."""
    if not article_body or not paragraphs:
        return paragraphs
    declared = _trigrams(article_body)
    covered = _share_in(_trigrams(" ".join(paragraphs)), declared)
    extracted_chars = sum(map(len, paragraphs))
    much_longer = len(article_body) > settings.article_body_longer_ratio * extracted_chars
    if much_longer and covered > settings.paragraph_in_article_body_share:
        longer = drop_boilerplate_lines(split_paragraphs(article_body))
        if len(longer) > 1 or covered < settings.article_body_complete_share:
            return longer
    if covered < settings.article_body_complete_share:
        # The publisher's copy is partial (a teaser) or another text: trust trafilatura.
        return paragraphs
    keep = settings.paragraph_in_article_body_share
    return [p for p in paragraphs if _share_in(_trigrams(p), declared) >= keep]


def add_standfirst(
    paragraphs: list[str],
    description: str | None,
    visible_text: str,
    settings: ExtractionSettings,
) -> list[str]:
    """Put the standfirst first when the page shows it and the body does not hold it yet."""
    if not description:
        return paragraphs
    standfirst = normalise_inline(description)
    if len(standfirst) < settings.min_standfirst_chars or standfirst.endswith(_TRUNCATED):
        return paragraphs
    if standfirst not in visible_text:
        return paragraphs
    opening = _trigrams(" ".join(paragraphs[:3]))
    if _share_in(_trigrams(standfirst), opening) >= settings.paragraph_in_article_body_share:
        return paragraphs
    return [standfirst, *paragraphs]


def drop_title_lines(paragraphs: list[str], titles: Sequence[str | None]) -> list[str]:
    """Remove the headline where the extractor kept it as the first paragraphs: the seed
    schema's body has no title line."""
    folded = {_loose(t) for t in titles if t}
    start = 0
    while start < min(len(paragraphs), 3) and _loose(paragraphs[start]) in folded:
        start += 1
    return paragraphs[start:]


def _loose(text: str) -> str:
    return " ".join(_TOKEN.findall(text.casefold()))


def assemble_paragraphs(
    extracted_text: str,
    article_body: str | None,
    description: str | None,
    visible_text: str,
    titles: Sequence[str | None] = (),
    settings: ExtractionSettings | None = None,
) -> Sequence[str]:
    """The body's paragraphs: boilerplate and title lines removed, reconciled with the
    publisher's ``articleBody``, standfirst first."""
    paragraphs = drop_boilerplate_lines(split_paragraphs(extracted_text))
    settings = settings or ExtractionSettings()
    paragraphs = drop_title_lines(paragraphs, titles)
    paragraphs = reconcile_with_article_body(paragraphs, article_body, settings)
    return add_standfirst(paragraphs, description, visible_text, settings)
