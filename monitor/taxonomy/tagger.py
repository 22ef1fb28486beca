"""Topic tagging: which taxonomy topics an article is about, with the terms that fired.

A term fires where its lemma keys appear in sequence (see ``lemmas``). Each occurrence weighs by
where it is (title > lead > body), times 2 for a topic's ``strong`` terms (specific enough that
one sentence using them is about the topic: "levée de fonds", "AI Act", "RGPD"). One term
counts at most ``max_hits_per_term`` times so that a word repeated ten times does not make a
topic. A topic's raw weight ``w`` becomes a score
``w / (w + half_weight)`` in [0, 1): ``half_weight`` is the weight that scores 0.5. A parent topic
also counts its children's occurrences. A topic is tagged when its score reaches its threshold
in the taxonomy file; every tag carries its evidence, so it can be explained.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from monitor.article import Evidence, TopicTag
from monitor.taxonomy.lemmas import english_key, french_key, phrase_keys, word_spans
from monitor.taxonomy.loader import default_taxonomy_text, parse_taxonomy
from monitor.taxonomy.model import Taxonomy

Field = Literal["title", "lead", "body"]

_SENTENCE_END = re.compile(r"[.!?…]+[\"»”)]*\s|\n")


@dataclass(frozen=True, slots=True)
class TaggingSettings:
    """Weights of the topic score; see the module docstring for how they combine."""

    title_weight: float = 2.0
    lead_weight: float = 1.5
    body_weight: float = 1.0
    max_hits_per_term: int = 2
    half_weight: float = 2.0
    max_top_level_topics: int = 4


@dataclass(frozen=True, slots=True)
class _Pattern:
    topic_id: str
    term: str
    keys: tuple[tuple[str, ...], ...]  # alternatives: French keys, English keys
    is_exclusion: bool
    weight: float


@dataclass(frozen=True, slots=True)
class CompiledTaxonomy:
    """A taxonomy turned into lookup tables, built once and never changed."""

    taxonomy: Taxonomy
    # (language, first key) for one-word terms, (language, first key, second key) for phrases;
    # language 0 = French keys, 1 = English keys. Keying phrases on two words keeps "Le Chat"
    # from being tried at every "le".
    index: dict[tuple, tuple[_Pattern, ...]]
    parents: dict[str, str | None]

    @classmethod
    def build(cls, taxonomy: Taxonomy, strong_weight: float = 2.0) -> CompiledTaxonomy:
        index: dict[tuple, list[_Pattern]] = defaultdict(list)
        for topic in taxonomy.topics:
            entries = [(t, False, 1.0) for t in (*topic.terms_fr, *topic.terms_en)]
            entries += [(t, False, strong_weight) for t in topic.strong_terms]
            entries += [(t, True, 0.0) for t in topic.exclusions]
            for term, is_exclusion, weight in entries:
                fr, en = phrase_keys(term, "fr"), phrase_keys(term, "en")
                if not fr:
                    continue
                pattern = _Pattern(topic.id, term, (fr, en), is_exclusion, weight)
                for lang, keys in enumerate((fr, en)):
                    slot = index[(lang, *keys[:2])]
                    if pattern not in slot:
                        slot.append(pattern)
        frozen = {k: tuple(v) for k, v in index.items()}
        parents = {t.id: t.parent_id for t in taxonomy.topics}
        return cls(taxonomy, frozen, parents)


@lru_cache(maxsize=1)
def default_compiled_taxonomy() -> CompiledTaxonomy:
    """The bundled taxonomy, compiled on first use (an immutable resource, not a cache of
    results: every call gets the same value)."""
    return CompiledTaxonomy.build(parse_taxonomy(default_taxonomy_text(), "taxonomy.toml"))


@dataclass(frozen=True, slots=True)
class _Hit:
    topic_id: str
    term: str
    field: Field
    start: int
    end: int
    sentence: tuple[Field, int]
    is_exclusion: bool
    weight: float


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


def _scan(text: str, compiled: CompiledTaxonomy, field_of) -> list[_Hit]:
    sentence_starts = _sentence_starts(text)
    words, starts, ends = word_spans(text)
    keys = ([french_key(w) for w in words], [english_key(w) for w in words])
    index = compiled.index
    found: dict[tuple[str, str, int], _Hit] = {}
    n = len(words)
    for lang in (0, 1):
        lang_keys = keys[lang]
        for i in range(n):
            key = lang_keys[i]
            candidates = index.get((lang, key), ())
            if i + 1 < n:
                candidates += index.get((lang, key, lang_keys[i + 1]), ())
            for pattern in candidates:
                wanted = pattern.keys[lang]
                size = len(wanted)
                if size > 2 and (
                    i + size > n or any(lang_keys[i + j] != wanted[j] for j in range(2, size))
                ):
                    continue
                start = starts[i]
                slot = (pattern.topic_id, pattern.term, start)
                if slot in found:
                    continue
                field = field_of(start)
                sentence = (field, bisect.bisect_right(sentence_starts, start))
                found[slot] = _Hit(
                    pattern.topic_id,
                    pattern.term,
                    field,
                    start,
                    ends[i + size - 1],
                    sentence,
                    pattern.is_exclusion,
                    pattern.weight,
                )
    return list(found.values())


def find_term_hits(
    title: str | None, text: str, lead_end: int, compiled: CompiledTaxonomy
) -> list[_Hit]:
    """Every term and exclusion occurrence in title and text (offsets into their own field)."""
    hits: list[_Hit] = []
    if title:
        hits += _scan(title, compiled, lambda _s: "title")
    hits += _scan(text, compiled, lambda s: "lead" if s < lead_end else "body")
    return hits


def _drop_nested(hits: list[_Hit]) -> list[_Hit]:
    """Within one topic keep the longest term at a place ("levée de fonds", not also "levée")."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.field == "title", h.start, -(h.end - h.start))):
        if kept and kept[-1].field == hit.field and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def tag_topics(
    title: str | None,
    text: str,
    lead_end: int,
    compiled: CompiledTaxonomy | None = None,
    settings: TaggingSettings | None = None,
) -> tuple[TopicTag, ...]:
    """Topics of one article, best first; top-level ids and the children that fired."""
    compiled = compiled or default_compiled_taxonomy()
    settings = settings or TaggingSettings()
    hits = find_term_hits(title, text, lead_end, compiled)
    excluded = {(h.topic_id, h.sentence) for h in hits if h.is_exclusion}
    by_topic: dict[str, list[_Hit]] = defaultdict(list)
    for hit in hits:
        if hit.is_exclusion or (hit.topic_id, hit.sentence) in excluded:
            continue
        by_topic[hit.topic_id].append(hit)
        parent = compiled.parents.get(hit.topic_id)
        while parent is not None:
            by_topic[parent].append(hit)
            parent = compiled.parents.get(parent)
    weights = {
        "title": settings.title_weight,
        "lead": settings.lead_weight,
        "body": settings.body_weight,
    }
    tags: list[TopicTag] = []
    for topic in compiled.taxonomy.topics:
        topic_hits = _drop_nested(by_topic.get(topic.id, []))
        if not topic_hits:
            continue
        per_term: dict[str, int] = defaultdict(int)
        raw = 0.0
        for hit in sorted(topic_hits, key=lambda h: -weights[h.field] * h.weight):
            per_term[hit.term] += 1
            if per_term[hit.term] <= settings.max_hits_per_term:
                raw += weights[hit.field] * hit.weight
        score = raw / (raw + settings.half_weight)
        if score >= topic.threshold:
            evidence = tuple(
                Evidence(h.term, h.field, h.start, h.end)
                for h in sorted(topic_hits, key=lambda h: (h.field != "title", h.start))
            )
            tags.append(TopicTag(topic.id, round(score, 4), evidence))
    return _limit(tags, compiled, settings.max_top_level_topics)


def _limit(tags: list[TopicTag], compiled: CompiledTaxonomy, max_top: int) -> tuple[TopicTag, ...]:
    top = sorted(
        (t for t in tags if compiled.parents.get(t.topic_id) is None), key=lambda t: -t.score
    )[:max_top]
    kept_top = {t.topic_id for t in top}
    children = [
        t
        for t in tags
        if compiled.parents.get(t.topic_id) is not None and t.topic_id.split(".", 1)[0] in kept_top
    ]
    return tuple(sorted([*top, *children], key=lambda t: (-t.score, t.topic_id)))
