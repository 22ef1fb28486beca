"""The taxonomy as frozen values: what the loader returns and the storage layer copies."""

from __future__ import annotations

from dataclasses import dataclass

TOP_LEVEL_IDS: tuple[str, ...] = (
    "funding",
    "partnership",
    "product_model",
    "open_source",
    "regulation_policy",
    "people",
    "competition",
    "sovereignty",
    "compute_infrastructure",
    "legal_ethics",
)


@dataclass(frozen=True, slots=True)
class TermPair:
    """Cues that count for a topic only beside a partner term in the same sentence.

    A rival's name says nothing about competition until a comparison word stands next to it
    ("Mistral Large dépasse GPT-4o"); a valuation is not a funding round until a raising verb
    does. ``cue`` terms are matched like every term (on lemma keys); ``names`` are proper names,
    matched on their English key only, so "OpenAI" never meets the French lemma of "open".
    ``partners`` are the ``with`` list of the taxonomy file, tried in every text;
    ``partners_fr`` / ``cue_fr`` (``with_fr``, ``cue_fr``) are French words, not tried in text
    judged English, and ``partners_en`` / ``cue_en`` English words, not tried in French text,
    like ``terms_fr`` and ``terms_en`` (the French "course", a race, is the English "of course").
    """

    cue: tuple[str, ...]
    names: tuple[str, ...]
    partners: tuple[str, ...]
    partners_fr: tuple[str, ...] = ()
    partners_en: tuple[str, ...] = ()
    cue_fr: tuple[str, ...] = ()
    cue_en: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic: ``parent_id`` is None for a top-level topic; children have dotted ids."""

    id: str
    parent_id: str | None
    label_fr: str
    label_en: str
    threshold: float
    terms_fr: tuple[str, ...] = ()
    terms_en: tuple[str, ...] = ()
    strong_terms: tuple[str, ...] = ()
    # French words weighed like ``strong_terms`` but, like ``terms_fr``, matched only in text
    # that is not English: "concurrence" must not meet "concurrently", "accord" "according to".
    strong_fr_terms: tuple[str, ...] = ()
    # Names and generic words that say what a sentence is about only next to one of the
    # topic's other terms ("Le Chat" is product news beside "lance", not beside "plainte").
    dependent_terms: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    # Cue terms that count only with a partner term in the same sentence (see TermPair).
    pairs: tuple[TermPair, ...] = ()
    # People of the company (full names; their surnames count too). An article whose subject
    # is one of them (named in the title or first sentence, and again and again, not as one
    # name in a list of founders) is about this topic without any other term: an interview or
    # a column on a founder (see ``subject_person`` in monitor/taxonomy/tagger.py).
    subject_names: tuple[str, ...] = ()
    # Proper names of what the topic is about (the company's products and models), matched
    # case-sensitively as whole words. A text naming them ``names_min_mentions`` times or more
    # (TaggingSettings) is rich in them: the topic then needs only ``names_threshold`` and a
    # supporting sentence, or, when one of them is in the title or the first sentence (the
    # article's subject), one of the topic's own terms anywhere (see ``named_subject`` in
    # monitor/taxonomy/tagger.py). A Magistral launch that does not say "launch" twice.
    names: tuple[str, ...] = ()
    names_threshold: float | None = None
    # Who the topic is about besides the company (competition: rivals, "géants", Big Tech,
    # American or Chinese players), matched case-sensitively as whole words. A topic listing
    # them is tagged only in a text naming one of them, in the title or anywhere in the text:
    # competing needs someone to compete with ("dans un contexte de forte concurrence", "the race
    # for parameters" with no rival named is the wider market, not the company's position).
    counterparts: tuple[str, ...] = ()
    iptc_code: str | None = None

    @property
    def top_level_id(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A loaded, validated taxonomy; ``version`` is recorded with every stored tag."""

    version: str
    topics: tuple[Topic, ...]

    def get(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def top_level(self) -> tuple[Topic, ...]:
        return tuple(t for t in self.topics if t.parent_id is None)
