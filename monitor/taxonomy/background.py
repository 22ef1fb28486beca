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
monitor/taxonomy/tagger.py, which tests a hit against the merged spans with one bisect).
Whole founding sentences were tried as background and dropped: the labels count "Founded in
2023, the start-up has raised €1bn" as funding (DESIGN.md: background included), and the
pluperfect ("avait déjà investi") was dropped too: the labels disagree on it.
"""

from __future__ import annotations

import re

# The openers, lowercase. The lowercased text is searched for the word that starts each of them
# (``_KEYS``, plain substring searches), and the regex is tried only there, anchored: 0.29 ms
# for one case-insensitive regex over a 6 kB article -> about 0.02 ms.
_FR_AFTER = r"\s+(?:en|par|il y a)"  # "fondée en 2023", "créée par", "créée il y a deux ans"
_EN_AFTER = r"\s+(?:in|by)"  # "founded in 2023", "co-founded by"
_OPENERS = (
    r"(?:a(?:près (?:son|sa|ses|avoir)|fter (?:its|their|raising|having))"
    rf"|c(?:o-?fond[ée]e?s?{_FR_AFTER}|o-?founded{_EN_AFTER}|réée?s?{_FR_AFTER}"
    rf"|reated{_EN_AFTER})"
    r"|depuis sa (?:création|fondation)"
    rf"|f(?:ond[ée]e?s?{_FR_AFTER}|ounded{_EN_AFTER})"
    rf"|launched{_EN_AFTER}"
    r"|pr(?:écédemment|eviously)"
    r"|since its (?:founding|launch|creation|inception))\b"
)
_OPENER = re.compile(_OPENERS)
# The word each opener starts with; "fond" and "founded" may follow "co" or "co-".
_KEYS = (
    "après ",
    "after ",
    "fond",
    "créé",
    "founded",
    "created",
    "launched",
    "depuis sa ",
    "since its ",
    "précédemment",
    "previously",
)
_CO_KEYS = frozenset(("fond", "founded"))
# For the rare text whose lowercase form has another length (offsets would shift).
_OPENER_ANY_CASE = re.compile(_OPENERS, re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:.!?\n—–]")


def background_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the background clauses of ``text``, in order, overlapping ones merged
    (see the module docstring)."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    if len(lowered) == len(text):
        openers = _anchored_openers(lowered)
    else:
        openers = _OPENER_ANY_CASE.finditer(text)
    for opener in openers:
        if opener.start() and text[opener.start() - 1].isalnum():
            continue  # inside a word ("refounded"): not an opener
        found = _CLAUSE_END.search(text, opener.end())
        start, end = opener.start(), found.start() if found else len(text)
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _anchored_openers(lowered: str) -> list[re.Match[str]]:
    """What ``_OPENER.finditer(lowered)`` returns (leftmost matches, none starting inside an
    earlier one), found by trying the regex only where a key word starts one."""
    candidates = set()
    for key in _KEYS:
        at = lowered.find(key)
        while at >= 0:
            candidates.add(at)
            if key in _CO_KEYS:  # "cofondée", "co-founded"
                candidates.update(at - back for back in (2, 3) if at >= back)
            at = lowered.find(key, at + 1)
    matches = []
    resume = 0
    for start in sorted(candidates):
        if start < resume:
            continue
        match = _OPENER.match(lowered, start)
        if match is not None:
            matches.append(match)
            resume = match.end()
    return matches
