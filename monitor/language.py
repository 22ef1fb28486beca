"""A small French/English language guess for texts that arrive without one (seed files).

Function words are a reliable signal between the two languages this product follows; anything
else is left undetermined rather than guessed.
"""

from __future__ import annotations

import re

_FRENCH = frozenset(
    "le la les des du de un une et est en que qui pour dans sur au aux pas plus par ce cette "
    "son sa ses ont été avec mais ou où nous vous ils elles leur leurs être avoir".split()
)
_ENGLISH = frozenset(
    "the of and to in is that for on with as was are be by this it from at have has an "
    "which their its not but or were been will would they".split()
)
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœæ]+")


def guess_language(text: str, *, minimum_hits: int = 5) -> str | None:
    """``fr``, ``en`` or None when the text is too short or neither language dominates."""
    words = _WORD.findall(text[:20000].lower())
    french = sum(1 for w in words if w in _FRENCH)
    english = sum(1 for w in words if w in _ENGLISH)
    if max(french, english) < minimum_hits:
        return None
    if french >= 2 * english:
        return "fr"
    if english >= 2 * french:
        return "en"
    return None
