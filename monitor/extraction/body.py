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

_TOKEN = re.compile(r"\w+")
#: A paragraph is "in" the articleBody when this share of its word trigrams is.
_PARAGRAPH_IN_BODY = 0.5
#: articleBody is complete when it holds this share of trafilatura's trigrams.
_ARTICLE_BODY_COMPLETE = 0.8
#: ... and is used instead of trafilatura's text when this many times longer.
_ARTICLE_BODY_LONGER = 1.6
_MIN_STANDFIRST_CHARS = 60
_TRUNCATED = ("…", "...", "[…]", "[...]")


def _trigrams(text: str) -> set[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.casefold())
    if len(tokens) < 3:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def _share_in(part: set[tuple[str, ...]], whole: set[tuple[str, ...]]) -> float:
    return len(part & whole) / len(part) if part else 1.0


def reconcile_with_article_body(paragraphs: list[str], article_body: str | None) -> list[str]:
    """Paragraphs checked against the publisher's ``articleBody`` (see module docstring)."""
    if not article_body or not paragraphs:
        return paragraphs
    declared = _trigrams(article_body)
    extracted = _trigrams(" ".join(paragraphs))
    if _share_in(extracted, declared) < _ARTICLE_BODY_COMPLETE:
        # The publisher's copy is partial (a teaser) or another text: trust trafilatura.
        if (
            len(article_body) > _ARTICLE_BODY_LONGER * sum(map(len, paragraphs))
            and _share_in(extracted, declared) > 0.5
        ):
            return drop_boilerplate_lines(split_paragraphs(article_body))
        return paragraphs
    if len(article_body) > _ARTICLE_BODY_LONGER * sum(map(len, paragraphs)):
        longer = drop_boilerplate_lines(split_paragraphs(article_body))
        if len(longer) > 1:
            return longer
    return [p for p in paragraphs if _share_in(_trigrams(p), declared) >= _PARAGRAPH_IN_BODY]


def add_standfirst(paragraphs: list[str], description: str | None, visible_text: str) -> list[str]:
    """Put the standfirst first when the page shows it and the body does not hold it yet."""
    if not description:
        return paragraphs
    standfirst = normalise_inline(description)
    if len(standfirst) < _MIN_STANDFIRST_CHARS or standfirst.endswith(_TRUNCATED):
        return paragraphs
    if standfirst not in visible_text:
        return paragraphs
    if _share_in(_trigrams(standfirst), _trigrams(" ".join(paragraphs[:3]))) >= _PARAGRAPH_IN_BODY:
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
) -> Sequence[str]:
    """The body's paragraphs: boilerplate and title lines removed, reconciled with the
    publisher's ``articleBody``, standfirst first."""
    paragraphs = drop_boilerplate_lines(split_paragraphs(extracted_text))
    paragraphs = drop_title_lines(paragraphs, titles)
    paragraphs = reconcile_with_article_body(paragraphs, article_body)
    return add_standfirst(paragraphs, description, visible_text)
