"""Texts of the test site's pages that are not seeds: other Mistrals, and a passing mention.

Written for this project from public facts (weather bulletins on the mistral, the French
Navy's Mistral-class ships); not copied from any page. They exist so that a crawl meets the
homonyms DESIGN.md's relevance rule must reject, inside the same publisher markup. The texts
live in ``page_texts/*.txt`` (seed schema: paragraphs separated by one blank line).
"""

from __future__ import annotations

from importlib import resources


def page_text(name: str) -> str:
    """The text of ``page_texts/<name>.txt`` (wind_gusts, wind_cycles, ship, passing)."""
    folder = resources.files("monitor.publisher_site") / "page_texts"
    return (folder / f"{name}.txt").read_text(encoding="utf-8").strip()
