"""Text normalisation into the seed schema: NFC, tidy whitespace, one blank line between
paragraphs.

Public so that the seed importer and the scorers fold text the same way the extractor does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Spaces that are typography, not meaning: NBSP and the narrow NBSP French puts before
#: ``:;?!`` and inside guillemets, thin spaces, ideographic space.
_SPACE_LIKE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
#: Invisible characters that only break words apart for a search: soft hyphen, zero-width
#: space/joiners, word joiner, BOM.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def normalise_inline(text: str) -> str:
    """One line of text: NFC, typographic spaces folded to a space, invisibles dropped,
    runs of spaces collapsed, ends trimmed. Newlines become spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACE_LIKE.sub(" ", text)
    text = _LINE_BREAKS.sub(" ", text).replace("\n", " ")
    return _RUNS_OF_SPACES.sub(" ", text).strip()


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text whose paragraphs are separated by line breaks (one or more)."""
    text = _LINE_BREAKS.sub("\n", text)
    return [line for line in (normalise_inline(part) for part in text.split("\n")) if line]


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """The seed-schema body: non-empty normalised paragraphs joined by one blank line."""
    cleaned = (normalise_inline(p) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def fold_for_comparison(text: str) -> str:
    """The scorers' view of a string (DESIGN.md, "Scorers fold whitespace"): NBSP and other
    spaces become one space, soft hyphens vanish; case and punctuation are kept."""
    return normalise_inline(text)
