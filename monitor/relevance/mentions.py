"""Finding the names in an article and deciding which "Mistral" each one is.

A name from the gazetteer is what it says, except an ambiguous one ("Le Chat") which needs an
AI context. A bare "Mistral" is settled in this order: a pinned pattern around it ("Frédéric
Mistral", "missile Mistral", "le mistral", "Mistral gagnant") gives its sense; otherwise, if the
article names Mistral AI, its products or people unambiguously, it is the company; otherwise the
article's cues vote (AI words against wind, missile, ship, poet and song words).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from monitor.relevance.enumeration import in_clause_series, in_enumeration
from monitor.relevance.fields import ArticleFields, Field
from monitor.relevance.gazetteer import Entity, Gazetteer
from monitor.relevance.settings import RelevanceSettings

MISTRAL_AI_SENSE = "mistral_ai"

_EXAMPLE_MARKER = re.compile(
    r"(?i:\b(?:comme|such as|like|including|notamment|tel(?:le)?s? que|à l'instar d[e'’]|"
    r"par exemple|for instance|e\.g\.|dont|among them|parmi lesquel(?:le)?s)\s*[«\"“]?\s*)$"
)


_PIN_WINDOW = 60

# The name used as a type for another company: 'Aleph Alpha, le "Mistral" allemand', "the German
# Mistral", "un Mistral chinois". The article is about the other company; the name is a
# comparison, like an example after "comme". Tested with string operations (it runs for every
# mention): the word after the name, or the word before it, is a nationality next to an article.
_NATIONALITIES = frozenset(
    "allemand américain chinois britannique anglais italien espagnol indien japonais coréen "
    "canadien suisse néerlandais suédois africain arabe saoudien émirati israélien polonais "
    "german american chinese british english italian spanish indian japanese korean canadian "
    "swiss dutch swedish african arab saudi emirati israeli polish".split()
)
_ARTICLES = frozenset("le un the a an".split())
_QUOTES = ' \t«»"“”'


@dataclass(frozen=True, slots=True)
class Mention:
    """One name occurrence. ``entity`` is None for a bare "Mistral"; ``sense`` says which
    Mistral it is (``mistral_ai``, ``wind``, ``missile``, ``ships``, ``poet``, ``song`` or
    ``unknown``) and is ``None`` for other entities."""

    surface: str
    field: Field
    start: int
    end: int
    entity: Entity | None
    sense: str | None
    is_example: bool

    @property
    def is_mistral_ai(self) -> bool:
        if self.entity is not None:
            return self.entity.mistral_ai
        return self.sense == MISTRAL_AI_SENSE


@dataclass(frozen=True, slots=True)
class Cue:
    sense: str  # "ai" or one of the other senses
    surface: str
    field: Field
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MentionReport:
    mentions: tuple[Mention, ...]
    cues: tuple[Cue, ...]
    ai_context: bool


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


def spans_not_after_word(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    """The matches of ``pattern`` that do not follow a word character or a dot: what
    ``finditer`` of ``(?<![\\w.])`` + pattern returns, found faster. A match refused for the
    character before it is searched again one character later, as the look-behind would be."""
    spans: list[tuple[int, int, str]] = []
    search = pattern.search
    pos = 0
    match = search(text, pos)
    while match is not None:
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "._"):
            match = search(text, start + 1)
            continue
        end = match.end()
        spans.append((start, end, match.group()))
        match = search(text, end)
    return spans


def _is_example(
    text: str, start: int, end: int, entity: Entity | None, settings: RelevanceSettings
) -> bool:
    """After "comme", "such as"..., inside an aside that gives examples ("(for example,
    OpenAI's ChatGPT and Mistral's Magistral)", "Par exemple, le modèle Mistral-7B..."), or one
    item of a list of names ("Google, OpenAI, Mistral AI and Cohere"). A list of people
    ("Arthur Mensch, Guillaume Lample et Timothée Lacroix") names the founders, not examples,
    so people are never list examples."""
    before = text[max(0, start - settings.example_window) : start]
    if _EXAMPLE_MARKER.search(before):
        return True
    if _in_example_aside(text, start, settings.example_aside_window):
        return True
    if entity is not None and entity.kind == "person":
        return False
    if _is_analogy(before, text[end : end + settings.example_window]):
        return True
    return in_enumeration(text, start, end, settings.enumeration_min_items) or in_clause_series(
        text, start, settings.enumeration_min_items
    )


# An aside that gives examples: a parenthesis or a sentence opened by "for example", "e.g."...
# Every name in it is an example, not only the first one after the marker.
_ASIDE_OPENER = re.compile(
    r"\s*(?i:for example|for instance|e\.g\.|such as|par exemple|notamment|comme|like|"
    r"including|tel(?:le)?s? que)\b"
)
_SENTENCE_OPENER = re.compile(r"\s*(?i:for example|for instance|par exemple)\s*,")
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+|\n")


def _in_example_aside(text: str, start: int, window: int) -> bool:
    """Is the name at ``start`` inside "( for example, ... )" or in a sentence opened by
    "Par exemple," / "For example,"? Looked for with string searches within ``window``
    characters before the name (cheap: most names have no parenthesis open before them)."""
    low = max(0, start - window)
    paren = text.rfind("(", low, start)
    if paren >= 0 and text.find(")", paren, start) < 0 and _ASIDE_OPENER.match(text, paren + 1):
        return True
    before = text[low:start]
    if "xemple" not in before and "nstance" not in before:
        return False
    sentence = low
    for match in _SENTENCE_BREAK.finditer(text, low, start):
        sentence = match.end()
    return _SENTENCE_OPENER.match(text, sentence) is not None


def _nationality(word: str) -> bool:
    word = word.lower()
    return word in _NATIONALITIES or word.rstrip("s").removesuffix("e") in _NATIONALITIES


def _is_analogy(before: str, after: str) -> bool:
    """'le "Mistral" allemand', "the German Mistral": the name stands for a kind of company."""
    words_before = before.rstrip(_QUOTES).split()
    if not words_before:
        return False
    if words_before[-1].lower() in _ARTICLES:  # 'le "Mistral" allemand'
        words_after = after.lstrip(_QUOTES).split(maxsplit=1)
        return bool(words_after) and _nationality(words_after[0].strip('.,;:!?»"”'))
    return (  # "the German Mistral"
        len(words_before) >= 2
        and words_before[-2].lower() in _ARTICLES
        and _nationality(words_before[-1])
    )


def find_mentions(
    fields: ArticleFields, gazetteer: Gazetteer, settings: RelevanceSettings
) -> MentionReport:
    """Names and bare "Mistral"s of title and text. Context cues are looked for only when a
    name's sense is in doubt, which keeps the common case (an article naming Mistral AI, or not
    naming any Mistral) to two regular-expression passes."""
    parts = [
        (part, value) for part, value in (("title", fields.title), ("text", fields.text)) if value
    ]

    def field_of(part: str, offset: int) -> Field:
        return "title" if part == "title" else fields.field_at(offset)

    named: list[tuple[str, int, int, str, Entity]] = []
    bare: list[tuple[str, int, int, str]] = []
    for part, value in parts:
        covered: set[int] = set()  # offsets inside a name ("Mistral" of "Mistral AI")
        for start, end, surface in spans_not_after_word(gazetteer.names, value):
            named.append((part, start, end, surface, gazetteer.entity_of_alias[surface]))
            covered.update(range(start, end))
        for start, end, surface in spans_not_after_word(gazetteer.bare_mistral, value):
            if start not in covered:
                bare.append((part, start, end, surface))

    strong = any(e.mistral_ai and not e.ambiguous for *_, e in named)
    in_doubt = not strong and (bare or any(e.ambiguous for *_, e in named))
    cues: list[Cue] = []
    if in_doubt:
        for part, value in parts:
            for pattern in gazetteer.ai_cues:
                cues += [
                    Cue("ai", t, field_of(part, s), s, e) for s, e, t in _spans(pattern, value)
                ]
            for sense, pattern in gazetteer.other_cues.items():
                cues += [
                    Cue(sense, t, field_of(part, s), s, e) for s, e, t in _spans(pattern, value)
                ]
    pinned: list[tuple[str, int, int, str]] = []
    values = dict(parts)
    for part, start, end, _ in bare:  # pinned patterns are short: look only around each name
        low = max(0, start - _PIN_WINDOW)
        window = values[part][low : end + _PIN_WINDOW]
        if gazetteer.any_pinned.search(window) is None:
            continue  # no pinned pattern of any sense here (the common case)
        for sense, pattern in gazetteer.pinned.items():
            pinned += [(part, low + s, low + e, sense) for s, e, _ in _spans(pattern, window)]

    counts = Counter(c.sense for c in cues)
    ai_cues = counts.pop("ai", 0)
    other_total = sum(counts.values())
    votes_ai = ai_cues >= settings.min_ai_cues and ai_cues >= settings.ai_cue_ratio * other_total
    ai_context = strong or votes_ai
    fallback = counts.most_common(1)[0][0] if counts else "unknown"

    mentions: list[Mention] = []
    for part, start, end, surface, entity in named:
        if entity.ambiguous and not ai_context:
            continue
        value = fields.title if part == "title" else fields.text
        mentions.append(
            Mention(
                surface,
                field_of(part, start),
                start,
                end,
                entity,
                None,
                _is_example(value, start, end, entity, settings),
            )
        )
    for part, start, end, surface in bare:
        pin = next((sense for p, s, e, sense in pinned if p == part and s <= start < e), None)
        if pin is not None:
            sense = pin
        elif ai_context:
            sense = MISTRAL_AI_SENSE
        else:
            sense = fallback
        value = fields.title if part == "title" else fields.text
        mentions.append(
            Mention(
                surface,
                field_of(part, start),
                start,
                end,
                None,
                sense,
                _is_example(value, start, end, None, settings),
            )
        )
    mentions.sort(key=lambda m: (m.field != "title", m.start))
    return MentionReport(tuple(mentions), tuple(cues), ai_context)
