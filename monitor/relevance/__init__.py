"""Relevance to Mistral AI, entity mentions, and the gazetteer they share."""

from monitor.relevance.judge import CODE_VERSION, judge_article, tagger_version
from monitor.relevance.settings import RelevanceSettings

__all__ = ["CODE_VERSION", "RelevanceSettings", "judge_article", "tagger_version"]
