"""Extraction: a saved or fetched news page → a clean, correctly dated :class:`ArticleDraft`.

Pure: no Scrapy, no database, no CLI. The entry point is :func:`extract_page`; the text helpers
(:mod:`.normalise`, :mod:`.boilerplate`) are public for the seed importer.
"""

from monitor.extraction.extractor import extract_page
from monitor.extraction.result import ERROR_REASONS, JSON_KEYS, ExtractionResult, result_to_json
from monitor.extraction.settings import ExtractionSettings

__all__ = [
    "ERROR_REASONS",
    "JSON_KEYS",
    "ExtractionResult",
    "ExtractionSettings",
    "extract_page",
    "result_to_json",
]
