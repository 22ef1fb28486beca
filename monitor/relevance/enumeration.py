"""Is a name one item of a list of names ("Google, OpenAI, Anthropic, Mistral AI and Cohere")?

DESIGN.md's relevance rule reads "rivals such as OpenAI" as an example, not a subject. A name
given as one item among three or more names is the same thing: the article is about the group
(the signatories, the open-weight families, the labs), not about that member. The test is
lexical and local: starting from the name, walk left and right within its sentence over
separators (comma, "and", "et", "or", "ou", "&", "vs", "/", a line break between short lines)
while the pieces between them look like names (short, capitalised or camel-cased words).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator

# Separators between list items. A line break counts only between short lines (a bulleted or
# one-name-per-line list): long paragraphs are stopped by the item-length test anyway.
_SEPARATOR = re.compile(
    r"\s*(?:,\s*(?:and|et|or|ou)\s|,|;?\s*\n+\s*(?:[-•*]\s*)?|\s(?:and|et|or|ou|&|vs\.?|versus)\s|/)\s*",
    re.IGNORECASE,
)
# The end of a sentence bounds the walk (a list never spans one).
_SENTENCE_END = re.compile(r"[.!?…:;]\s|[.!?…:;]$|[«»\"“”()]")
# The same, read backwards: searched in the reversed text, its first match is the last match of
# _SENTENCE_END (their matches never overlap: the whitespace that ends a two-character match
# cannot start one), found without walking every sentence end of the window.
_SENTENCE_END_REVERSED = re.compile(r"\s[.!?…:;]|\A[.!?…:;]|[«»\"“”()]")
# A name-like word: capitalised ("Cohere", "Zhipu.ai"), camel-cased ("xAI", "iOS") or a
# version number following such a word ("Llama 4").
_NAME_WORD = re.compile(r"[A-ZÀ-Ý][\w.'’\-]*|[a-z]+[A-Z][\w.\-]*|\d[\w.]*[A-Za-z][\w.]*")
_NEAR_BEFORE = re.compile(r"(?:[,/&\n)]|\b(?:and|et|or|ou|vs|versus))\s*(?:[-•*]\s*)?$", re.I)
_NEAR_AFTER = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:[,/&\n]|(?:and|et|or|ou|vs|versus)\b)", re.I)
_PARENTHESIS = re.compile(r"\s*\([^()\n]{0,80}\)")
_NUMBER = re.compile(r"\d[\d.]*")
_MAX_ITEM_WORDS = 5
_LOOK = 400  # characters searched on each side of the name


def _is_name_word(word: str) -> bool:
    return bool(_NAME_WORD.fullmatch(word))


def _looks_like_item(words: list[str]) -> bool:
    """A whole piece between two separators: a short run of mostly name-like words."""
    if not words or len(words) > _MAX_ITEM_WORDS:
        return False
    named = sum(1 for w in words if _is_name_word(w) or _NUMBER.fullmatch(w))
    return _is_name_word(words[0]) and named * 2 >= len(words)


def _edge_is_name(words: list[str], at_end: bool) -> bool:
    """The outermost piece of a list may carry the rest of the sentence ("... including Meta",
    "Zhipu.ai signed"): only its words next to the separator must form a name."""
    if not words:
        return False
    if at_end:
        last = words[-1]
        if _NUMBER.fullmatch(last):  # "Llama 4"
            return len(words) > 1 and _is_name_word(words[-2])
        return _is_name_word(last)
    return _is_name_word(words[0])


def _count_side(pieces: list[str], toward_start: bool) -> int:
    """Items on one side of the name: pieces ordered outward from the name."""
    count = 0
    for piece in pieces:
        words = piece.split()
        if _looks_like_item(words):
            count += 1
            continue
        if _edge_is_name(words, at_end=toward_start):
            count += 1
        break
    return count


def _last(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    last = deque(matches, maxlen=1)
    return last[0] if last else None


def _last_sentence_end(segment: str) -> int | None:
    """Where the last match of _SENTENCE_END in ``segment`` ends, or None."""
    match = _SENTENCE_END_REVERSED.search(segment[::-1])
    return None if match is None else len(segment) - match.start()


# What a separator can end with, before the whitespace its final \s* takes: a separator ends
# the text before a name only if that text, its trailing whitespace aside, ends so (or that
# whitespace holds a line break).
_SEPARATOR_LAST_CHARS = frozenset(",/&-•*")
_SEPARATOR_LAST_WORDS = ("and", "et", "or", "ou", "vs", "vs.", "versus")


def _may_end_with_separator(segment: str) -> bool:
    """False only when no match of _SEPARATOR can end at the end of ``segment`` (a cheap test
    that spares the search for most names, which follow a plain word)."""
    body = segment.rstrip()
    if not body or "\n" in segment[len(body) :] or body[-1] in _SEPARATOR_LAST_CHARS:
        return True
    return body[-8:].casefold().endswith(_SEPARATOR_LAST_WORDS)


def _split_outward(segment: str, toward_start: bool) -> list[str] | None:
    """The pieces of ``segment`` separated by list separators, ordered away from the name,
    or None when the name is not directly next to a separator."""
    if toward_start:
        if not _may_end_with_separator(segment):
            return None
        match = _last(_SEPARATOR.finditer(segment))
        if match is None or match.end() != len(segment):
            return None
        return list(reversed(_SEPARATOR.split(segment[: match.start()])))
    match = _SEPARATOR.match(segment)
    if match is None:
        return None
    return _SEPARATOR.split(segment[match.end() :])


def _drop_parentheses(segment: str) -> str:
    # The pattern starts with \s*, so the engine tries it at every position: skip it when
    # there is no parenthesis to drop (most windows), with the same result.
    return _PARENTHESIS.sub("", segment) if "(" in segment else segment


def in_enumeration(text: str, start: int, end: int, min_items: int = 3) -> bool:
    """True when the name at ``text[start:end]`` is one item of a list of at least
    ``min_items`` name-like items within its sentence."""
    # Cheap first test: most names have no separator on either side (or a parenthesis that
    # may hide one); then they are not in a list.
    if not (
        _NEAR_BEFORE.search(text[max(0, start - 12) : start])
        or _NEAR_AFTER.match(text[end : end + 12])
    ):
        return False
    # Parentheses inside a list ("Llama 3 (Meta), Mistral, Qwen (Alibaba)") are dropped.
    before = _drop_parentheses(text[max(0, start - _LOOK) : start])
    after = _drop_parentheses(text[end : end + _LOOK])
    cut = _last_sentence_end(before)
    if cut is not None:
        before = before[cut:]
    stop = _SENTENCE_END.search(after)
    if stop is not None:
        after = after[: stop.start()]
    items = 1
    left = _split_outward(before, toward_start=True)
    if left:
        items += _count_side(left, toward_start=True)
    right = _split_outward(after, toward_start=False)
    if right:
        items += _count_side(right, toward_start=False)
    return items >= min_items


# A run of clauses joined by semicolons, each led by a different name: "Qwen leads on
# multilingual breadth; Llama has the largest community; Mistral punches above its weight;
# DeepSeek competes on reasoning". Each name is one entry of a comparison summary.
_FULL_STOP = re.compile(r"[.!?…]\s|\n")
_CLAUSE_LEAD = re.compile(r"\s*(?:(?:the|le|la|les|l['’])\s*)?$", re.IGNORECASE)
_CLAUSE_NAME = re.compile(r"\s*(?:(?:the|le|la|les|l['’])\s*)?[A-ZÀ-Ý][\w.'’\-]*|\s*[a-z]+[A-Z]")


def in_clause_series(text: str, start: int, min_items: int = 3) -> bool:
    """True when the name at ``text[start:]`` leads one of at least ``min_items`` clauses of one
    sentence separated by semicolons, each of them led by a name."""
    low = max(0, start - _LOOK)
    if text.find(";", low, start + _LOOK) < 0:
        return False
    stop = _last(_FULL_STOP.finditer(text, low, start))
    begin = stop.end() if stop is not None else low
    end_match = _FULL_STOP.search(text, start, start + _LOOK)
    finish = end_match.start() if end_match is not None else min(len(text), start + _LOOK)
    sentence = text[begin:finish]
    clauses = sentence.split(";")
    if len(clauses) < min_items:
        return False
    offset = begin
    for clause in clauses:
        if offset <= start < offset + len(clause):
            if not _CLAUSE_LEAD.fullmatch(text[offset:start]):
                return False
            break
        offset += len(clause) + 1
    led = sum(1 for clause in clauses if _CLAUSE_NAME.match(clause))
    return led >= min_items
