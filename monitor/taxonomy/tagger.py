"""Topic tagging: which taxonomy topics an article is about, with the terms that fired.

A term fires where its lemma keys appear in sequence (see ``lemmas``). The hits of a topic are
then scored sentence by sentence (see ``scoring``): a topic is tagged when one sentence in
focus is about it and the weighted sum of its sentences reaches the topic's threshold in the
taxonomy file. A parent topic also counts its children's hits, at a plain term's weight. The
cues of a ``[[topic.pairs]]`` table count only beside one of their partners ("X next to Y": a
rival's name beside a comparison word). A topic with ``subject_names`` (people) is also tagged
when one of those people is the article's subject (``subject_person``). A topic with ``names``
(product_model: Mistral's products) needs less in a text naming them three times or more: its
``names_threshold`` with a name counted beside one of its words, or, when a name is in the title
or first sentence, one of its own words anywhere (``named_subject``). A topic with
``counterparts`` (competition: rivals) is tagged only in a text naming one of them. Every tag
carries the terms that carried weight, both terms of a pair included, so it can be explained.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from monitor.article import Evidence, TopicTag
from monitor.taxonomy.background import background_spans
from monitor.taxonomy.lemmas import english_key, french_key, phrase_keys, word_spans
from monitor.taxonomy.loader import default_taxonomy_text, parse_taxonomy
from monitor.taxonomy.model import Taxonomy, Topic
from monitor.taxonomy.scoring import (
    Field,
    Hit,
    SentenceKey,
    TaggingSettings,
    TopicScore,
    drop_nested,
    resolve_pairs,
    score_topic,
)

__all__ = ["CompiledTaxonomy", "TaggingSettings", "default_compiled_taxonomy", "tag_topics"]

_SENTENCE_END = re.compile(r"[.!?…]+[\"»”)]*\s|\n")


@dataclass(frozen=True, slots=True)
class _Pattern:
    topic_id: str
    term: str
    keys: tuple[tuple[str, ...], ...]  # alternatives: French keys, English keys
    is_exclusion: bool
    weight: float
    dependent: bool
    pair: int | None = None  # index of its [[topic.pairs]] table, None for other terms
    cue: bool = False
    # ``terms_fr`` and ``strong_fr``: not matched in English text, where their keys meet other
    # words ("accord" / "according to", "concurrence" / "concurrently"); ``terms_en`` not in
    # French text ("fined" / "fine", "race" / "race"). ``strong`` terms are matched everywhere.
    french_only: bool = False
    english_only: bool = False


@dataclass(frozen=True, slots=True)
class CompiledTaxonomy:
    """A taxonomy turned into lookup tables, built once and never changed."""

    taxonomy: Taxonomy
    # (language, first key) for one-word terms, (language, first key, second key) for phrases;
    # language 0 = French keys, 1 = English keys. Keying phrases on two words keeps "Le Chat"
    # from being tried at every "le".
    index: dict[tuple, tuple[_Pattern, ...]]
    parents: dict[str, str | None]
    # The same index per language for the scan: first key -> (its one-word patterns, second
    # key -> phrase patterns). Most words start no term: one string lookup rejects them,
    # without building a tuple key per word.
    starts: tuple[dict[str, tuple[tuple[_Pattern, ...], dict[str, tuple[_Pattern, ...]]]], ...] = ()
    # The same tables without the French-only patterns (for English text) and without the
    # English-only ones (for French text): the scan's inner loop then tests no language flag.
    starts_en: tuple[dict, ...] = ()
    starts_fr: tuple[dict, ...] = ()
    # Topic id -> one regex of its ``subject_names`` and their surnames (see subject_person).
    subjects: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # Topic id -> one regex of its ``names`` (see named_subject).
    named: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # Topic id -> one regex of its ``counterparts`` (see tag_topics).
    counterparts: tuple[tuple[str, re.Pattern[str]], ...] = ()

    @classmethod
    def build(cls, taxonomy: Taxonomy, strong_weight: float = 2.0) -> CompiledTaxonomy:
        index: dict[tuple, list[_Pattern]] = defaultdict(list)
        for topic in taxonomy.topics:
            plain = [
                _Pattern(topic.id, t, (), False, 1.0, False, french_only=True)
                for t in topic.terms_fr
            ]
            plain += [
                _Pattern(topic.id, t, (), False, 1.0, False, english_only=True)
                for t in topic.terms_en
            ]
            plain += [
                _Pattern(topic.id, t, (), False, strong_weight, False) for t in topic.strong_terms
            ]
            plain += [
                _Pattern(topic.id, t, (), False, strong_weight, False, french_only=True)
                for t in topic.strong_fr_terms
            ]
            plain += [_Pattern(topic.id, t, (), False, 1.0, True) for t in topic.dependent_terms]
            plain += [_Pattern(topic.id, t, (), True, 0.0, False) for t in topic.exclusions]
            names: list[_Pattern] = []
            for number, pair in enumerate(topic.pairs):
                plain += [
                    _Pattern(topic.id, t, (), False, 1.0, False, number, True) for t in pair.cue
                ]
                plain += [
                    _Pattern(topic.id, t, (), False, 1.0, False, number, True, french_only=True)
                    for t in pair.cue_fr
                ]
                plain += [
                    _Pattern(topic.id, t, (), False, 1.0, False, number, True, english_only=True)
                    for t in pair.cue_en
                ]
                plain += [
                    _Pattern(topic.id, t, (), False, 1.0, False, number) for t in pair.partners
                ]
                plain += [
                    _Pattern(topic.id, t, (), False, 1.0, False, number, french_only=True)
                    for t in pair.partners_fr
                ]
                plain += [
                    _Pattern(topic.id, t, (), False, 1.0, False, number, english_only=True)
                    for t in pair.partners_en
                ]
                names += [
                    _Pattern(topic.id, t, (), False, 1.0, False, number, True) for t in pair.names
                ]
            keyed = [(p, phrase_keys(p.term, "fr"), phrase_keys(p.term, "en")) for p in plain]
            # Names are matched on their English key only: French lemmatisation turns "OpenAI"
            # into "open" and "Meta" into "met" (mettre); the English stemmer leaves names be.
            keyed += [(p, (), phrase_keys(p.term, "en")) for p in names]
            for template, fr, en in keyed:
                if not en:
                    continue
                pattern = replace(template, keys=(fr, en))
                for lang, keys in enumerate((fr, en)):
                    if not keys:
                        continue
                    slot = index[(lang, *keys[:2])]
                    if pattern not in slot:
                        slot.append(pattern)
        frozen = {k: tuple(v) for k, v in index.items()}
        parents = {t.id: t.parent_id for t in taxonomy.topics}
        return cls(
            taxonomy,
            frozen,
            parents,
            _start_tables(frozen, lambda _p: True),
            _start_tables(frozen, lambda p: not p.french_only),
            _start_tables(frozen, lambda p: not p.english_only),
            tuple(
                (t.id, _names_regex(t.subject_names)) for t in taxonomy.topics if t.subject_names
            ),
            tuple((t.id, _whole_words_regex(t.names)) for t in taxonomy.topics if t.names),
            tuple(
                (t.id, _whole_words_regex(t.counterparts))
                for t in taxonomy.topics
                if t.counterparts
            ),
        )


def _start_tables(
    index: dict[tuple, tuple[_Pattern, ...]], keep: Callable[[_Pattern], bool]
) -> tuple[dict, dict]:
    """Per key language, first key -> (one-word patterns, second key -> phrase patterns), with
    the patterns ``keep`` accepts."""
    starts: tuple[dict, dict] = ({}, {})
    for (lang, first, *second), all_patterns in index.items():
        patterns = tuple(p for p in all_patterns if keep(p))
        if not patterns:
            continue
        _singles, pairs = starts[lang].setdefault(first, ((), {}))
        if second:
            pairs[second[0]] = patterns
        else:
            starts[lang][first] = (patterns, pairs)
    return starts


def _names_regex(names: Sequence[str]) -> re.Pattern[str]:
    """Full names and, for a name of several words, its last word when it has three letters or
    more ("Mensch", not the "O" of "Cédric O"); longest first, case kept (a surname is a proper
    noun: "Lacroix" the founder, not "la croix")."""
    forms = set(names)
    forms |= {n.split()[-1] for n in names if len(n.split()) > 1 and len(n.split()[-1]) >= 3}
    return _whole_words_regex(forms)


def _whole_words_regex(forms: Iterable[str]) -> re.Pattern[str]:
    """Any of ``forms`` as whole words, longest first, case kept ("Le Chat" the product, not
    "le chat" the cat)."""
    alternatives = "|".join(re.escape(f) for f in sorted(set(forms), key=lambda f: (-len(f), f)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def named_subject(
    title: str | None, text: str, names: re.Pattern[str], min_mentions: int
) -> tuple[list[tuple[str, int, int]], bool] | None:
    """The mentions (field, start, end) of ``names`` when the text names them ``min_mentions``
    times or more, and whether one of them is in the title or the first sentence (the article's
    subject); None for a text naming them less. Unlike people, products are counted in lists
    too: a catalogue of models ("Mistral 7B, Mixtral and Codestral") is product matter."""
    found = list(names.finditer(text))
    if len(found) < min_mentions:
        return None
    in_title = list(names.finditer(title or ""))
    first_end = _SENTENCE_END.search(text)
    subject = bool(in_title) or found[0].start() < (first_end.end() if first_end else len(text))
    mentions = [("title", m.start(), m.end()) for m in in_title]
    mentions += [("text", m.start(), m.end()) for m in found]
    return mentions, subject


# What may stand between two names of one list: a comma, "et", "and", "avec", "alongside"...
# and a few words (their former employers), but no sentence end and no verb of saying.
_LIST_LINK = re.compile(
    r"(?:,|&|\b(?:et|and|avec|with|alongside|ainsi que|as well as|along with)\b|aux côtés)"
)
_NOT_A_LIST = re.compile(r"[.;:!?\n]|\b(?:est|is|a|has|says|dit)\b")


def subject_person(
    title: str | None, text: str, names: re.Pattern[str], min_mentions: int
) -> list[tuple[str, int, int]] | None:
    """The mentions (field, start, end) that make one of ``names`` the article's subject, or
    None. A person is the subject when named in the title or in the first sentence of the text
    and named ``min_mentions`` times in the text, names in a list of people ("fondée par Arthur
    Mensch, Guillaume Lample et Timothée Lacroix", "founded by ... alongside ...") not counted:
    a founders' list is company background, a portrait or an interview names one person again
    and again (DESIGN.md: ``people`` when a person's profile is the point). A text naming the
    person only to attribute quotes ("a ajouté Arthur Mensch") is news quoting the CEO, not
    about him: at least one mention must be something else."""
    found = list(names.finditer(text))
    kept = [
        m
        for i, m in enumerate(found)
        if not any(
            _listed(text, found[j], found[k])
            for j, k in ((i - 1, i), (i, i + 1))
            if j >= 0 and k < len(found)
        )
    ]
    if len(kept) < min_mentions or all(_attributes_a_quote(text, m.start()) for m in kept):
        return None
    in_title = list(names.finditer(title or ""))
    first_end = _SENTENCE_END.search(text)
    first_end_at = first_end.end() if first_end else len(text)
    if not in_title and kept[0].start() >= first_end_at:
        return None
    return [("title", m.start(), m.end()) for m in in_title] + [
        ("text", m.start(), m.end()) for m in kept
    ]


# A verb of saying and a few words of title before a name: the name attributes a quote
# ("a annoncé son patron Arthur Mensch", "said Mistral CEO Arthur Mensch", "selon Arthur
# Mensch"). A wire story quoting the CEO names him only so.
_SAYS_BEFORE = re.compile(
    r"\b(?:a (?:annoncé|déclaré|ajouté|souligné|précisé|expliqué|indiqué|affirmé|assuré|"
    r"commenté|estimé)|annonce|déclare|ajoute|souligne|précise|explique|indique|affirme|"
    r"estime|selon|said|says|according to|told|added|explained|noted|stated)\b"
    r"[^.!?;:\n\"«»“”]{0,40}$"
)


def _attributes_a_quote(text: str, start: int) -> bool:
    return _SAYS_BEFORE.search(text, max(0, start - 80), start) is not None


def _listed(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Whether two successive name mentions are items of one list of people."""
    between = text[left.end() : right.start()]
    return (
        len(between) <= 60
        and len(between.split()) <= 8
        and _LIST_LINK.search(between) is not None
        and _NOT_A_LIST.search(between) is None
    )


@lru_cache(maxsize=1)
def default_compiled_taxonomy() -> CompiledTaxonomy:
    """The bundled taxonomy, compiled on first use (an immutable resource, not a cache of
    results: every call gets the same value)."""
    return CompiledTaxonomy.build(parse_taxonomy(default_taxonomy_text(), "taxonomy.toml"))


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


def _scan(
    text: str,
    compiled: CompiledTaxonomy,
    field_of: Callable[[int], Field],
    sentence_starts: list[int] | None = None,
    language: str | None = None,
) -> list[Hit]:
    tables = {"en": compiled.starts_en, "fr": compiled.starts_fr}.get(language, compiled.starts)
    if sentence_starts is None:
        sentence_starts = _sentence_starts(text)
    words, starts, ends = word_spans(text)
    found: dict[tuple[str, str, int, int | None, bool], Hit] = {}
    n = len(words)
    bisect_right = bisect.bisect_right
    for lang, make_key in ((0, french_key), (1, english_key)):
        lang_keys = list(map(make_key, words))
        term_starts = tables[lang]
        # Most words start no term: pick the few that do in one pass, then look at those only.
        for i in [i for i, key in enumerate(lang_keys) if key in term_starts]:
            singles, following = term_starts[lang_keys[i]]
            if following and i + 1 < n:
                phrases = following.get(lang_keys[i + 1])
                if phrases:
                    singles = singles + phrases if singles else phrases
            if not singles:
                continue
            start = starts[i]
            field = sentence = None
            for pattern in singles:
                wanted = pattern.keys[lang]
                size = len(wanted)
                if size > 2 and (
                    i + size > n
                    or lang_keys[i + 2] != wanted[2]  # most long phrases fail on their third word
                    or any(lang_keys[i + j] != wanted[j] for j in range(3, size))
                ):
                    continue
                slot = (pattern.topic_id, pattern.term, start, pattern.pair, pattern.cue)
                if slot in found:
                    continue
                if field is None:
                    field = field_of(start)
                    sentence = (field, bisect_right(sentence_starts, start))
                found[slot] = Hit(
                    pattern.topic_id,
                    pattern.term,
                    field,
                    start,
                    ends[i + size - 1],
                    sentence,
                    pattern.is_exclusion,
                    pattern.weight,
                    pattern.dependent,
                    pattern.pair,
                    pattern.cue,
                )
    return list(found.values())


def find_term_hits(
    title: str | None,
    text: str,
    lead_end: int,
    compiled: CompiledTaxonomy,
    sentence_starts: list[int] | None = None,
    language: str | None = None,
) -> list[Hit]:
    """Every term and exclusion occurrence in title and text (offsets into their own field).
    ``sentence_starts`` of ``text`` may be passed by a caller that needs them too. In an
    English article (``language == "en"``) French-only terms are not matched, in a French one
    English-only terms."""
    hits: list[Hit] = []
    if title:
        hits += _scan(title, compiled, lambda _s: "title", language=language)
    hits += _scan(text, compiled, lambda s: _body_or_lead(s, lead_end), sentence_starts, language)
    return hits


def _body_or_lead(offset: int, lead_end: int) -> Field:
    return "lead" if offset < lead_end else "body"


def _focus_test(
    starts: list[int], focus_offsets: Sequence[int] | None, window: int
) -> Callable[[SentenceKey], bool]:
    """Which sentences are in focus: the title, the lead, and body sentences near a mention of
    Mistral AI. Without mention offsets (a caller tagging a text it knows to be about the
    company) every sentence is."""
    if focus_offsets is None:
        return lambda _key: True
    named = sorted({bisect.bisect_right(starts, offset) for offset in focus_offsets})

    def in_focus(key: SentenceKey) -> bool:
        field, index = key
        if field != "body":
            return True
        at = bisect.bisect_left(named, index - window)
        return at < len(named) and named[at] <= index + window

    return in_focus


def hits_by_topic(
    title: str | None,
    text: str,
    lead_end: int,
    compiled: CompiledTaxonomy,
    settings: TaggingSettings,
    sentence_starts: list[int] | None = None,
    language: str | None = None,
) -> dict[str, list[Hit]]:
    """The term hits that count for each topic: exclusions and asides removed, pairs resolved
    (a cue without its partner dropped), every child's hits also listed under its ancestors,
    and hits in a background clause ("Fondée en 2023 par ...", "after raising ...") weighed at
    ``settings.background_factor`` (monitor/taxonomy/background.py)."""
    hits = find_term_hits(title, text, lead_end, compiled, sentence_starts, language)
    if settings.drop_asides:
        hits = _drop_asides(hits, text)
    excluded = {(h.topic_id, h.sentence) for h in hits if h.is_exclusion}
    hits = [h for h in hits if not h.is_exclusion and (h.topic_id, h.sentence) not in excluded]
    # Where a topic lists a term as a pair's cue, its child's hit on the same words is not
    # inherited: "valorisation" counts for funding through the pair (beside a raising verb),
    # not by the back door of funding.valuation.
    cue_places = {(h.topic_id, h.field, h.start) for h in hits if h.cue}
    # Background clauses as a flat list of boundaries: an offset is inside one when an odd
    # number of boundaries lie at or before it (one C-level bisect per hit).
    bounds = (
        [edge for span in background_spans(text) for edge in span]
        if settings.background_factor < 1.0
        else []
    )
    by_topic: dict[str, list[Hit]] = defaultdict(list)
    for hit in resolve_pairs(hits, settings.pair_max_gap):
        parent = compiled.parents.get(hit.topic_id)
        # A child's term is evidence for its parent, but what is decisive for the parent is
        # the parent's own `strong` list: "licorne" is strong for funding.valuation, while a
        # valuation named in passing is not a funding story. Inherited hits weigh at most 1.
        inherited = replace(hit, weight=min(hit.weight, 1.0)) if parent is not None else hit
        if bounds and hit.field != "title" and bisect.bisect_right(bounds, hit.start) & 1:
            # In a background clause: the hit adds a little, but no longer makes a sentence
            # about the topic on its own.
            hit = replace(hit, weight=hit.weight * settings.background_factor)
            if parent is not None:
                inherited = replace(inherited, weight=inherited.weight * settings.background_factor)
        by_topic[hit.topic_id].append(hit)
        while parent is not None and (parent, hit.field, hit.start) not in cue_places:
            by_topic[parent].append(inherited)
            parent = compiled.parents.get(parent)
    return by_topic


def tag_topics(
    title: str | None,
    text: str,
    lead_end: int,
    compiled: CompiledTaxonomy | None = None,
    settings: TaggingSettings | None = None,
    focus_offsets: Sequence[int] | None = None,
    language: str | None = None,
) -> tuple[TopicTag, ...]:
    """Topics of one article, best first; top-level ids and the children that fired.

    ``focus_offsets`` are offsets into ``text`` where Mistral AI is named (the relevance
    judge passes them); body sentences far from all of them weigh less (see ``scoring``).
    ``language`` ("fr", "en" or None): French-only terms are not matched in English text, nor
    English-only ones in French text; with None every term is.
    """
    compiled = compiled or default_compiled_taxonomy()
    settings = settings or TaggingSettings()
    sentence_starts = _sentence_starts(text)  # for the hits and the focus test alike
    by_topic = hits_by_topic(title, text, lead_end, compiled, settings, sentence_starts, language)
    in_focus = _focus_test(sentence_starts, focus_offsets, settings.focus_window)
    subjects = dict(compiled.subjects)
    named = dict(compiled.named)
    unopposed = {  # topics whose counterparts the text never names (one search each)
        topic_id
        for topic_id, counterparts in compiled.counterparts
        if topic_id in by_topic
        and counterparts.search(text) is None
        and counterparts.search(title or "") is None
    }
    tags: list[TopicTag] = []
    for topic in compiled.taxonomy.topics:
        if topic.id in unopposed:
            continue
        topic_hits = drop_nested(by_topic.get(topic.id, []))
        names = subjects.get(topic.id)
        if not topic_hits and names is None:
            continue
        result = score_topic(topic_hits, settings, in_focus) if topic_hits else None
        counted = result.counted if result is not None else ()
        evidence = tuple(
            Evidence(h.term, h.field, h.start, h.end)
            for h in sorted(counted, key=lambda h: (h.field != "title", h.start))
        )
        if result is not None and result.supported and result.score >= topic.threshold:
            tags.append(TopicTag(topic.id, round(result.score, 4), evidence))
            continue
        rich = (  # only for a topic under its threshold: one more search of the text
            _rich_in_names(title, text, lead_end, topic, named[topic.id], result, settings)
            if result is not None and topic.id in named
            else None
        )
        if rich is not None:
            places = {(e.field, e.start) for e in evidence}
            named_only = tuple(e for e in rich[1] if (e.field, e.start) not in places)
            tags.append(TopicTag(topic.id, rich[0], evidence + named_only))
        elif names is not None:
            mentions = subject_person(title, text, names, settings.subject_min_mentions)
            if mentions:
                named = tuple(
                    Evidence(
                        (title if where == "title" else text)[start:end],
                        "title" if where == "title" else _body_or_lead(start, lead_end),
                        start,
                        end,
                    )
                    for where, start, end in mentions
                )
                score = max(result.score if result else 0.0, topic.threshold)
                tags.append(TopicTag(topic.id, round(score, 4), evidence + named))
    return _limit(tags, compiled, settings.max_top_level_topics)


def _rich_in_names(
    title: str | None,
    text: str,
    lead_end: int,
    topic: Topic,
    names: re.Pattern[str],
    result: TopicScore,
    settings: TaggingSettings,
) -> tuple[float, tuple[Evidence, ...]] | None:
    """Score and evidence for a topic below its threshold in a text rich in its ``names``: tagged
    when the topic reaches ``names_threshold`` with a supporting sentence and a name counted
    beside one of its words ("the new version of Le Chat"; a name in a sentence about something
    else, "le premier modèle cité" of a rival, does not lower the bar), or when a name is the
    article's subject and one of the topic's own (not dependent) terms carried weight. None
    otherwise."""
    found = named_subject(title, text, names, settings.names_min_mentions)
    if found is None:
        return None
    mentions, subject = found
    floor = topic.names_threshold if topic.names_threshold is not None else topic.threshold
    by_score = (
        result.supported
        and result.score >= floor
        and any(names.fullmatch(h.term) for h in result.counted)
    )
    by_subject = subject and any(not h.dependent for h in result.counted)
    if not (by_score or by_subject):
        return None
    evidence = tuple(
        Evidence(
            (title if where == "title" else text)[start:end],
            "title" if where == "title" else _body_or_lead(start, lead_end),
            start,
            end,
        )
        for where, start, end in mentions
    )
    return round(max(result.score, floor), 4), evidence


# A relative, appositive or parenthetical clause: ", qui a levé 500 millions," / ", which raised
# $1bn," / ", valued at €6bn during a €600mn round," / "(valorisée 6 milliards)". Up to the next
# comma, parenthesis or sentence end.
_ASIDE = re.compile(
    r"(?:,\s*(?:qui|which|who|dont|déjà|valued|valorisée?s?|backed|soutenue?s?)\b|\()"
    r"[^,;.!?()\n]*[,)]"
)


def _drop_asides(hits: list[Hit], text: str) -> list[Hit]:
    """DESIGN.md: "an aside in a clause about something else (a valuation in passing) does not
    count". Funding hits inside a relative or parenthetical clause are dropped. Applied to every
    topic, this lost a dev decision and gained nothing elsewhere, so it is funding's rule only."""
    spans = [(m.start(), m.end()) for m in _ASIDE.finditer(text)]
    if not spans:
        return hits
    starts = [s for s, _ in spans]

    def inside(hit: Hit) -> bool:
        if hit.field == "title":
            return False
        at = bisect.bisect_right(starts, hit.start) - 1
        return at >= 0 and hit.start < spans[at][1]

    return [
        h for h in hits if h.is_exclusion or not h.topic_id.startswith("funding") or not inside(h)
    ]


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
