"""Turning the term hits of one topic into a score, sentence by sentence.

DESIGN.md's labelling rule says a topic applies when at least one sentence's *point* is that
topic; a name alone is not enough. So hits are first grouped by sentence:

* a sentence's weight is the sum of its distinct terms' weights (``strong`` terms 2, others 1),
  capped at ``sentence_max_weight`` so that one crowded sentence cannot make a topic alone;
* a ``dependent`` term (a product name, a person's name, "chatbot") adds weight only when the
  same sentence holds one of the topic's other terms, or when it is in the title: "Le Chat"
  beside "lance" is product news, "Le Chat" in a sentence about a complaint is not, and a
  title naming Le Chat or Arthur Mensch says what the article is about;
* a ``[[topic.pairs]]`` cue (a rival's name, a valuation) counts only when a partner term of
  its pair (a comparison word, a raising verb) is in the same sentence; both then count, as
  plain terms unless listed heavier elsewhere in the topic, and both are the tag's evidence
  (``resolve_pairs``); a cue or partner alone is dropped;
* a sentence *supports* the topic when its weight times its position weight reaches
  ``sentence_min_weight`` (one strong term or two distinct terms in the body or lead, one
  term in the title) and it is in focus: in the title or lead, or within
  ``focus_window`` sentences of a sentence naming Mistral AI. A topic needs one supporting
  sentence, or to be touched on in ``spread_min_sentences`` sentences in focus, to be tagged;
* weaker sentences still add to the score, at ``weak_sentence_factor``; body sentences out of
  focus count at ``unfocused_factor`` (they are often about a rival or the wider market).
* hits inside a background clause ("Fondée en 2023 par ...", "after raising ...") arrive
  already weighed at ``background_factor`` (``hits_by_topic`` in monitor/taxonomy/tagger.py),
  so they add a little but cannot make a sentence about the topic alone.

The weighted sum ``w`` becomes ``w / (w + half_weight)`` in [0, 1), compared with the topic's
threshold in the taxonomy file. One term counts in at most ``max_hits_per_term`` sentences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Literal

Field = Literal["title", "lead", "body"]
SentenceKey = tuple[Field, int]


@dataclass(frozen=True, slots=True)
class TaggingSettings:
    """Weights of the topic score; the module docstring says how they combine."""

    title_weight: float = 2.0
    lead_weight: float = 1.5
    body_weight: float = 1.0
    max_hits_per_term: int = 2
    half_weight: float = 2.0
    # Most articles get two or three topics; a long story (a funding round with its investors,
    # partners, products and the sovereignty debate) gets five. 4 cut labelled topics on every
    # development split; 6 let in more false ones than it recovered.
    max_top_level_topics: int = 5
    # A sentence whose terms weigh this much, times its position weight, can be "about" the
    # topic (one strong term or two distinct terms in the body or lead, one term in the
    # title); below it, a sentence only mentions the topic in passing.
    sentence_min_weight: float = 2.0
    # No single sentence weighs more than this, however many terms it piles up.
    sentence_max_weight: float = 4.0
    # Passing mentions (sentences below the minimum) count, but at this fraction: a topic word
    # in a sentence about something else says little. 0.75 until relevance-9; 0.6 and 0.65 took
    # out four wrong tags of dev..fresh7 for two right ones, 0.55 and 0.5 lost dev tags.
    weak_sentence_factor: float = 0.6
    # Body sentences more than ``focus_window`` sentences away from a mention of Mistral AI
    # count at this fraction, and cannot be the topic's supporting sentence.
    unfocused_factor: float = 0.5
    focus_window: int = 2
    # A topic touched on in this many sentences in focus is a point of the article even when
    # no single sentence is dense (a portrait: "Polytechnique" here, "PhD" there, "joined").
    spread_min_sentences: int = 3
    # Hits inside a background clause ("Fondée en 2023 par ...", "après son tour de série C",
    # "after raising ...": monitor/taxonomy/background.py) weigh this fraction of their weight.
    # 0, 0.25 and 0.5 tagged dev..fresh7 alike; 1 turns the rule off.
    background_factor: float = 0.25
    # Funding terms inside a relative or parenthetical clause (", qui a levé 500 millions,")
    # are asides and do not count (DESIGN.md: "a valuation in passing" is not the topic).
    drop_asides: bool = True
    # A ``[[topic.pairs]]`` cue and its partner must be this close (characters between them)
    # as well as in one sentence: "X next to Y", not X and Y at the two ends of a long sentence.
    # 120 keeps "raised ... for a valuation of €6 billion"; 60 lost it (dev/heldout/fresh).
    pair_max_gap: int = 120
    # A topic's ``subject_names`` (the company's people) make it when one of them is the
    # article's subject: named in the title or first sentence and this many times in the text,
    # names in a list ("fondée par Arthur Mensch, Guillaume Lample et Timothée Lacroix") not
    # counted. 2 also took two AFP briefs quoting the CEO; 4 lost three interviews (dev..fresh5).
    subject_min_mentions: int = 3
    # A topic's ``names`` (Mistral's products) named this many times in the text make the text
    # rich in them (see ``named_subject`` in monitor/taxonomy/tagger.py). 2 took two more right
    # tags for three wrong ones; 4 tagged as 3 did (dev..fresh6).
    names_min_mentions: int = 3


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a taxonomy term: offsets into its field (title, or the text)."""

    topic_id: str
    term: str
    field: Field
    start: int
    end: int
    sentence: SentenceKey
    is_exclusion: bool
    weight: float
    dependent: bool = False
    # For the terms of a ``[[topic.pairs]]`` table: its index in the topic, and whether the
    # term is the pair's cue (False: one of its ``with`` partners). None for every other term.
    pair: int | None = None
    cue: bool = False


def resolve_pairs(hits: Iterable[Hit], max_gap: int) -> list[Hit]:
    """Keep a pair only where a cue and a partner sit in one sentence, at most ``max_gap``
    characters apart; there the cue nearest to a partner and the partners near it become plain
    hits of their topic. Other cues and partners of the pair are dropped: three rival names
    beside one comparison word are one comparison, and a name at the far end of a long sentence
    ("Lample (ex-Meta) ... face à OpenAI") is not the one compared. Hits of no pair pass as
    they are."""
    kept: list[Hit] = []
    groups: dict[tuple[str, int, SentenceKey], list[Hit]] = defaultdict(list)
    for hit in hits:
        if hit.pair is None:
            kept.append(hit)
        else:
            groups[(hit.topic_id, hit.pair, hit.sentence)].append(hit)
    for group in groups.values():
        cues = [h for h in group if h.cue]
        cue_spans = {(h.start, h.end) for h in cues}
        # A word listed on both sides of a pair does not pair with itself.
        partners = [h for h in group if not h.cue and (h.start, h.end) not in cue_spans]
        best: tuple[int, Hit] | None = None
        for cue in cues:
            for partner in partners:
                gap = max(cue.start, partner.start) - min(cue.end, partner.end)
                if gap <= max_gap and (best is None or gap < best[0]):
                    best = (gap, cue)
        if best is None:
            continue
        cue = best[1]
        near = [p for p in partners if max(cue.start, p.start) - min(cue.end, p.end) <= max_gap]
        kept += [replace(h, pair=None, cue=False) for h in (cue, *near)]
    return kept


def drop_nested(hits: Iterable[Hit]) -> list[Hit]:
    """Within one topic keep the longest term at a place ("levée de fonds", not also "levée");
    of two terms spanning the same words ("souverain" strong, "souveraine" plain: one lemma key)
    the heavier one, so a term's weight never depends on the order of the taxonomy's lists."""
    kept: list[Hit] = []
    for hit in sorted(
        hits, key=lambda h: (h.field == "title", h.start, -(h.end - h.start), -h.weight, h.term)
    ):
        if kept and kept[-1].field == hit.field and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


@dataclass(frozen=True, slots=True)
class TopicScore:
    score: float
    supported: bool
    counted: tuple[Hit, ...]  # the hits that carried weight: the tag's evidence


def score_topic(
    hits: list[Hit],
    settings: TaggingSettings,
    in_focus: Callable[[SentenceKey], bool],
) -> TopicScore:
    """Score one topic from its (already de-nested) hits; see the module docstring."""
    by_sentence: dict[SentenceKey, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_sentence[hit.sentence].append(hit)
    position = {
        "title": settings.title_weight,
        "lead": settings.lead_weight,
        "body": settings.body_weight,
    }

    def place_weight(key: SentenceKey) -> float:
        focus = 1.0 if in_focus(key) else settings.unfocused_factor
        return position[key[0]] * focus

    uses: dict[str, int] = defaultdict(int)
    raw = 0.0
    supported = False
    focused_sentences = 0
    counted: list[Hit] = []
    for key in sorted(by_sentence, key=lambda k: (-place_weight(k), k)):
        sentence_hits = by_sentence[key]
        anchored = key[0] == "title" or any(not h.dependent for h in sentence_hits)
        terms: dict[str, Hit] = {}
        for hit in sentence_hits:
            if hit.dependent and not anchored:
                continue
            best = terms.get(hit.term)
            if best is None or hit.weight > best.weight:
                terms[hit.term] = hit
        weight = 0.0
        for term, hit in terms.items():
            if uses[term] >= settings.max_hits_per_term:
                continue
            uses[term] += 1
            weight += hit.weight
            counted.append(hit)
        if weight <= 0:
            continue
        strong_enough = weight * position[key[0]] >= settings.sentence_min_weight
        if in_focus(key):
            focused_sentences += 1
            supported = supported or strong_enough
        factor = 1.0 if strong_enough else settings.weak_sentence_factor
        raw += place_weight(key) * factor * min(weight, settings.sentence_max_weight)
    supported = supported or focused_sentences >= settings.spread_min_sentences
    score = raw / (raw + settings.half_weight) if raw > 0 else 0.0
    return TopicScore(score, supported, tuple(counted))
