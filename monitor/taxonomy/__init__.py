"""Topic taxonomy: the versioned file, its loader, and the lemma-based topic tagger."""

from monitor.taxonomy.loader import TaxonomyError, load_taxonomy
from monitor.taxonomy.model import TOP_LEVEL_IDS, Taxonomy, Topic
from monitor.taxonomy.tagger import (
    CompiledTaxonomy,
    TaggingSettings,
    default_compiled_taxonomy,
    tag_topics,
)

__all__ = [
    "TOP_LEVEL_IDS",
    "CompiledTaxonomy",
    "TaggingSettings",
    "Taxonomy",
    "TaxonomyError",
    "Topic",
    "default_compiled_taxonomy",
    "load_taxonomy",
    "tag_topics",
]
