"""Where a match is: title, lead or body. Position matters for relevance and topics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Field = Literal["title", "lead", "body"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"\n")


@dataclass(frozen=True, slots=True)
class ArticleFields:
    """An article as relevance sees it.

    ``lead`` is a prefix of ``text`` (``text[:lead_end]``), so offsets of lead and body evidence
    are both offsets into ``text``; title evidence is an offset into ``title``.
    """

    title: str
    text: str
    lead_end: int
    paragraph_starts: tuple[int, ...]

    def field_at(self, offset: int) -> Field:
        return "lead" if offset < self.lead_end else "body"


def split_fields(title: str | None, text: str, lead_min_chars: int) -> ArticleFields:
    breaks = list(_PARAGRAPH_BREAK.finditer(text))
    if not breaks:  # some pages separate paragraphs by single newlines
        breaks = list(_LINE_BREAK.finditer(text))
    starts = [0] + [m.end() for m in breaks]
    ends = [m.start() for m in breaks] + [len(text)]
    lead_end = len(text)
    for end in ends:
        if len(text[:end].strip()) >= lead_min_chars:
            lead_end = end
            break
    return ArticleFields(title or "", text, lead_end, tuple(starts))
