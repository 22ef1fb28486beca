"""Words, their offsets, and the lemma keys that let one term match all its inflections.

French is where plain stemming falls short: Snowball reduces "levée", "lève" and "a levé" to
"lev" but leaves "lèvent" alone. So a French key is the Snowball stem of the simplemma lemma
("lèvent" -> "lever" -> "lev"), which joins verb forms that the stemmer alone misses while the
stemmer still joins the noun ("levée") to the verb. English needs only the Porter2 stem.
PyStemmer (C) backs snowballstemmer, so a key costs well under a microsecond; lemma and stem
lookups are memoised per call by ``KeyCache`` (never module-wide, so results never depend on
earlier calls).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import simplemma
import snowballstemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_FRENCH = snowballstemmer.stemmer("french")
_ENGLISH = snowballstemmer.stemmer("english")


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its characters and where they are in the analysed string."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split on anything that is not a letter or digit ("l'IA" -> "l", "IA"; "open-source" ->
    "open", "source"), keeping offsets so evidence can point back into the text."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def fold_accents(word: str) -> str:
    """Lowercase and strip accents: the last resort that makes "Timothee" meet "Timothée"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def french_key(word: str) -> str:
    lower = word.lower()
    lemma = simplemma.lemmatize(lower, lang="fr").lower()
    return fold_accents(_FRENCH.stemWord(lemma))


def english_key(word: str) -> str:
    return fold_accents(_ENGLISH.stemWord(word.lower()))


@dataclass(slots=True)
class KeyCache:
    """Memoises keys within one analysis: an article repeats its words, so each distinct word is
    lemmatised and stemmed once. Create one per call; it is discarded with the call."""

    french: dict[str, str] = field(default_factory=dict)
    english: dict[str, str] = field(default_factory=dict)

    def keys(self, word: str) -> tuple[str, str]:
        fr = self.french.get(word)
        if fr is None:
            fr = self.french[word] = french_key(word)
        en = self.english.get(word)
        if en is None:
            en = self.english[word] = english_key(word)
        return fr, en


def phrase_keys(phrase: str, key: str) -> tuple[str, ...]:
    """The key sequence of a term, in one language (``"fr"`` or ``"en"``)."""
    make = french_key if key == "fr" else english_key
    return tuple(make(t.text) for t in tokenize(phrase))
