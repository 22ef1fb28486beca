"""Background clauses: what an article recalls about the company's past, not what it reports.

DESIGN.md: "an aside in a clause about something else (a valuation in passing) does not count".
News about a deal or a launch often recalls, in a clause, how the company began or what it did
before: "Fondée en 2023 par Arthur Mensch, ...", "valorisé 11,7 milliards après son tour de
série C", "Founded in 2023, ...", "after raising €600m last year", "since its launch in 2023".
The topic words of such a clause (an earlier round, an earlier release, the founders) are the
company's history, not the article's point. A clause is background when it opens with

* a founding participle: "fondée / cofondée / créée en | par | il y a", "founded / co-founded /
  created / launched in | by";
* a "since the beginning" phrase: "depuis sa création / fondation", "since its founding /
  launch / creation / inception";
* an earlier event: "après son / sa / ses / avoir ...", "after its / their / raising / having
  ...", "précédemment", "previously".

It runs from the opener to the next comma, semicolon, colon, dash or sentence end, so the main
clause that follows ("..., Mistral AI signe un accord avec ...") still counts. The tagger weighs
the hits inside at ``TaggingSettings.background_factor`` (see ``hits_by_topic`` in
monitor/taxonomy/tagger.py). Whole founding sentences were tried as background and dropped: the
labels count "Founded in 2023, the start-up has raised €1bn" as funding (DESIGN.md: background
included), and the pluperfect ("avait déjà investi") was dropped too: the labels disagree on it.
"""

from __future__ import annotations

import bisect
import re

_OPENER = re.compile(
    r"\b(?:(?:co-?)?fond[ée]e?s?|créée?s?)\s+(?:en|par|il y a)\b"
    r"|\b(?:co-?founded|founded|created|launched)\s+(?:in|by)\b"
    r"|\bdepuis sa (?:création|fondation)\b"
    r"|\bsince its (?:founding|launch|creation|inception)\b"
    r"|\baprès (?:son|sa|ses|avoir)\b"
    r"|\bafter (?:its|their|raising|having)\b"
    r"|\bprécédemment\b|\bpreviously\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;:.!?\n—–]")


def background_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the background clauses of ``text``, in order, overlapping ones merged
    (see the module docstring)."""
    spans: list[tuple[int, int]] = []
    for opener in _OPENER.finditer(text):
        found = _CLAUSE_END.search(text, opener.end())
        start, end = opener.start(), found.start() if found else len(text)
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def in_spans(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    """Whether ``offset`` falls inside one of ``spans`` (merged, in order; ``starts`` are their
    start offsets)."""
    at = bisect.bisect_right(starts, offset) - 1
    return at >= 0 and offset < spans[at][1]
