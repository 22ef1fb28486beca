"""Which stages ingestion runs, chosen once from the settings at the entry point."""

from __future__ import annotations

from monitor.ingest import Stages
from monitor.settings import Settings


def build_stages(settings: Settings) -> Stages:
    """The ingestion stages for this configuration."""
    del settings  # Relevance, dedup and tagging settings plug in here as their stages land.
    return Stages()
