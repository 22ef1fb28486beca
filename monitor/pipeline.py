"""Which stages ingestion runs, chosen once from the settings at the entry point."""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.article import ArticleDraft, Judgement
from monitor.dedup import DedupSettings
from monitor.deduplication import Deduplicator
from monitor.errors import ConfigError
from monitor.ingest import Stages
from monitor.relevance import RelevanceSettings, judge_article
from monitor.settings import Settings


def _section_settings(settings: Settings, name: str, factory: type) -> object:
    try:
        return factory(**settings.section(name))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[{name}]: {exc}") from None


def dedup_settings(settings: Settings) -> DedupSettings:
    """The ``[dedup]`` section of the configuration over the measured defaults."""
    return _section_settings(settings, "dedup", DedupSettings)  # type: ignore[return-value]


def relevance_settings(settings: Settings) -> RelevanceSettings:
    """The ``[relevance]`` section of the configuration over the defaults."""
    return _section_settings(settings, "relevance", RelevanceSettings)  # type: ignore[return-value]


@dataclass(frozen=True)
class RelevanceJudge:
    """Relevance, topics and entities of a draft (the judge stage of ingestion)."""

    settings: RelevanceSettings = field(default_factory=RelevanceSettings)

    def __call__(self, draft: ArticleDraft) -> Judgement:
        return judge_article(draft.text, draft.title, draft.language, self.settings)


def build_stages(settings: Settings) -> Stages:
    """The ingestion stages for this configuration."""
    return Stages(
        judge=RelevanceJudge(relevance_settings(settings)),
        deduplicator=Deduplicator(dedup_settings(settings)),
    )
