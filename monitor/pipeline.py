"""Which stages ingestion runs, chosen once from the settings at the entry point."""

from __future__ import annotations

from monitor.dedup import DedupSettings
from monitor.deduplication import Deduplicator
from monitor.errors import ConfigError
from monitor.ingest import Stages
from monitor.settings import Settings


def dedup_settings(settings: Settings) -> DedupSettings:
    """The ``[dedup]`` section of the configuration over the measured defaults."""
    try:
        return DedupSettings(**settings.section("dedup"))
    except TypeError as exc:
        raise ConfigError(f"[dedup]: {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"[dedup]: {exc}") from None


def build_stages(settings: Settings) -> Stages:
    """The ingestion stages for this configuration."""
    return Stages(after_store=(Deduplicator(dedup_settings(settings)),))
