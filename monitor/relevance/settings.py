"""Every threshold of relevance and tagging in one place, with the reason for its default."""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.taxonomy.tagger import TaggingSettings


@dataclass(frozen=True, slots=True)
class RelevanceSettings:
    """Built once at the entry point (configuration section ``relevance``) and passed in.

    Verdict rule (DESIGN.md "Relevance rule"): ``about`` when Mistral AI is named in the title
    or in the opening sentence, named in the lead and at least ``lead_min_mentions`` times
    overall, or spread through the body (``body_min_mentions`` mentions covering
    ``body_min_coverage`` of the paragraphs, or two mentions covering
    ``pair_min_coverage``); ``passing`` when named at all; else ``none``. A mention right
    after "comme", "such as", "notamment"... is an example in a list and never makes the title
    or lead a hit.
    """

    # Lead: the first paragraph, extended by the next ones while shorter than this (a kicker
    # line such as "Prodigieux" is not a lead).
    lead_min_chars: int = 100
    lead_min_mentions: int = 2
    # The opening (first sentences up to this many characters) is the lede: naming Mistral AI
    # there, other than as an example, makes it a subject even with one mention.
    opening_min_chars: int = 50
    body_min_mentions: int = 3
    # A text naming the company this many times (never as an example) is about it, however
    # the mentions are spread: a rating page or a review whose lead is generic.
    many_mentions: int = 5
    body_min_coverage: float = 0.3
    pair_min_coverage: float = 0.5
    # A bare "Mistral" with no Mistral AI name around counts as the company only with at least
    # this many AI cues, and this many times more AI cues than cues of another sense.
    min_ai_cues: int = 2
    ai_cue_ratio: float = 2.0
    # Characters before a mention searched for "comme", "such as"… (a list of examples).
    example_window: int = 30
    # Characters before a mention searched for the start of an aside that gives examples: an
    # open parenthesis or a sentence beginning "for example", "par exemple", "e.g."...
    example_aside_window: int = 200
    # A name that is one item of a list of at least this many names is an example too
    # (monitor/relevance/enumeration.py): "Google, OpenAI, Mistral AI and Cohere signed".
    enumeration_min_items: int = 3
    # Position weights of the relevance score.
    title_weight: float = 3.0
    lead_weight: float = 2.0
    body_weight: float = 1.0
    # Only the first characters of a huge text are analysed: a 5 MB page is not an article,
    # and this keeps one judgement within a few milliseconds.
    max_chars: int = 200_000
    tagging: TaggingSettings = field(default_factory=TaggingSettings)
