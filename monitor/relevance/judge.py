"""The relevance verdict: is this article about Mistral AI, does it name it in passing, or not?

``judge_article`` is pure and total: any ``str`` in, a ``Judgement`` out, never an exception
(an unexpected failure is logged and judged ``none`` with score 0, so one odd page cannot stop
an import). Everything heavy (regular expressions, taxonomy tables) is compiled once.
"""

from __future__ import annotations

import logging
import math
import re

from monitor.article import Evidence, Judgement, Relevance
from monitor.language import guess_language
from monitor.relevance.entities import count_entities
from monitor.relevance.fields import ArticleFields, split_fields
from monitor.relevance.gazetteer import default_gazetteer
from monitor.relevance.mentions import MISTRAL_AI_SENSE, MentionReport, find_mentions
from monitor.relevance.settings import RelevanceSettings
from monitor.taxonomy.tagger import default_compiled_taxonomy, tag_topics

log = logging.getLogger(__name__)

CODE_VERSION = "relevance-9"
_MAX_CUE_EVIDENCE = 8
_LANGUAGE_SAMPLE = 1500


def tagger_version() -> str:
    """What stored judgements record: the taxonomy version and this code's version."""
    return f"{default_compiled_taxonomy().taxonomy.version}+{CODE_VERSION}"


def judge_article(
    text: str,
    title: str | None = None,
    language: str | None = None,
    settings: RelevanceSettings | None = None,
) -> Judgement:
    """Judge one article. The taxonomy's ``strong`` terms are matched whatever the language
    (French articles quote "open weights"); its French-only terms are not matched in English
    text and its English-only terms not in French text, where their lemma keys meet unrelated
    words ("accord" / "according to", "fined" / "fine"). Which language the text is in is
    guessed from its function words, ``language`` serving only when the guess abstains, so a
    mislabelled page is still read as what it is."""
    settings = settings or RelevanceSettings()
    try:
        return _judge(text, title, language, settings)
    except Exception:  # the contract is "never raises"; keep the cause in the log
        log.exception("relevance failed on a text of %d characters; judged none", len(text or ""))
        return Judgement("none", 0.0, tagger_version=tagger_version())


def _judge(
    text: str, title: str | None, language: str | None, settings: RelevanceSettings
) -> Judgement:
    text = text if isinstance(text, str) else ""
    title = title if isinstance(title, str) else None
    if len(text) > settings.max_chars:
        log.info("analysing the first %d of %d characters", settings.max_chars, len(text))
        text = text[: settings.max_chars]
    fields = split_fields(title, text, settings.lead_min_chars)
    gazetteer = default_gazetteer()
    report = find_mentions(fields, gazetteer, settings)
    relevance, score = _verdict(fields, report, settings)
    evidence = _evidence(report, relevance)
    topics = ()
    if relevance == "about":
        named = [m.start for m in report.mentions if m.is_mistral_ai and m.field != "title"]
        given = language if isinstance(language, str) else None
        # The opening is enough to tell French from English (and keeps this cheap).
        lang = guess_language(text[:_LANGUAGE_SAMPLE]) or (given.lower()[:2] if given else None)
        topics = tag_topics(
            title,
            text,
            fields.lead_end,
            settings=settings.tagging,
            focus_offsets=named,
            language=lang,
        )
    entities = count_entities(report.mentions, gazetteer) if relevance != "none" else ()
    return Judgement(relevance, score, evidence, topics, entities, tagger_version())


def _verdict(
    fields: ArticleFields, report: MentionReport, settings: RelevanceSettings
) -> tuple[Relevance, float]:
    ours = [m for m in report.mentions if m.is_mistral_ai]
    if not ours:
        return "none", 0.0
    weights = {
        "title": settings.title_weight,
        "lead": settings.lead_weight,
        "body": settings.body_weight,
    }
    salience = sum(weights[m.field] * (0.3 if m.is_example else 1.0) for m in ours)
    title_hit = any(m.field == "title" and not m.is_example for m in ours)
    opening_end = _opening_end(fields.text, settings.opening_min_chars)
    opening_hit = any(
        m.field == "lead" and m.start < opening_end and not m.is_example for m in ours
    )
    lead_hit = any(m.field == "lead" and not m.is_example for m in ours)
    # Examples (after "such as", one item of a list of names, inside "(for example, ...)")
    # name the company without making it a subject: they count neither as the second
    # mention a lead needs nor towards spread through the body.
    subject = [m for m in ours if not m.is_example]
    in_text = [m for m in subject if m.field != "title"]
    paragraphs = {_paragraph(fields, m.start) for m in in_text}
    coverage = len(paragraphs) / max(1, len(fields.paragraph_starts))
    about = (
        title_hit
        or opening_hit
        or (lead_hit and len(subject) >= settings.lead_min_mentions)
        or len(in_text) >= settings.many_mentions
        or (len(in_text) >= settings.body_min_mentions and coverage >= settings.body_min_coverage)
        or (len(in_text) >= 2 and coverage >= settings.pair_min_coverage)
    )
    strength = 1.0 - math.exp(-salience / 6.0)
    if about:
        return "about", round(0.6 + 0.4 * strength, 4)
    return "passing", round(0.1 + 0.4 * strength, 4)


_SENTENCE_OR_PARAGRAPH_END = re.compile(r"[.!?…]+[\"»”)]*\s|\n")


def _opening_end(text: str, min_chars: int) -> int:
    """End of the opening: the first sentences, until they hold ``min_chars`` characters (a
    paragraph break ends a sentence, so a short kicker line stays alone)."""
    for match in _SENTENCE_OR_PARAGRAPH_END.finditer(text):
        if len(text[: match.start()].strip()) >= min_chars:
            return match.start()
    return len(text)


def _paragraph(fields: ArticleFields, offset: int) -> int:
    index = 0
    for i, start in enumerate(fields.paragraph_starts):
        if start <= offset:
            index = i
    return index


def _evidence(report: MentionReport, relevance: Relevance) -> tuple[Evidence, ...]:
    """Names that fired (with the sense given to a bare "Mistral"), then the context cues that
    decided an ambiguous one, so a verdict can be explained from what is stored."""
    evidence = []
    for m in report.mentions:
        if m.entity is not None and not m.entity.mistral_ai:
            continue
        term = m.surface if m.entity is not None else f"{m.surface} [{m.sense}]"
        if m.is_example:
            term += " [example]"
        evidence.append(Evidence(term, m.field, m.start, m.end))
    bare_senses = {m.sense for m in report.mentions if m.entity is None}
    wanted = {s for s in bare_senses if s not in (None, MISTRAL_AI_SENSE, "unknown")}
    if MISTRAL_AI_SENSE in bare_senses:
        wanted.add("ai")
    cues = [c for c in report.cues if c.sense in wanted][:_MAX_CUE_EVIDENCE]
    evidence += [Evidence(f"cue:{c.sense}:{c.surface}", c.field, c.start, c.end) for c in cues]
    return tuple(evidence)
