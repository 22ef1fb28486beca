"""Entity mentions per article, for "articles mentioning Microsoft and Mistral AI"."""

from __future__ import annotations

from collections import Counter

from monitor.article import EntityMention
from monitor.relevance.gazetteer import Gazetteer
from monitor.relevance.mentions import Mention

MISTRAL_AI_NAME = "Mistral AI"


def count_entities(
    mentions: tuple[Mention, ...], gazetteer: Gazetteer
) -> tuple[EntityMention, ...]:
    """One EntityMention per entity named, with its count; a bare "Mistral" judged to be the
    company counts as a mention of Mistral AI, another Mistral as nothing."""
    kinds = {e.name: e.kind for e in gazetteer.entities}
    counts: Counter[str] = Counter()
    for mention in mentions:
        if mention.entity is not None:
            counts[mention.entity.name] += 1
        elif mention.is_mistral_ai:
            counts[MISTRAL_AI_NAME] += 1
    return tuple(
        EntityMention(name, kinds[name], count)
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
