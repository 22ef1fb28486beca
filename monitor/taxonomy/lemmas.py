"""Words, their offsets, and the lemma keys that let one term match all its inflections.

French is where plain stemming falls short: Snowball reduces "levée", "lève" and "a levé" to
"lev" but leaves "lèvent" alone. So a French key is the Snowball stem of the simplemma lemma
("lèvent" -> "lever" -> "lev"), which joins verb forms that the stemmer alone misses while the
stemmer still joins the noun ("levée") to the verb. English needs only the Porter2 stem.
PyStemmer (C) backs snowballstemmer. Keys are memoised with ``lru_cache``: a key is a pure
function of the word, so the memo changes only speed, never a result, whatever came before.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import simplemma
import snowballstemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_WORD_SPLIT = re.compile(r"([^\W_]+)", re.UNICODE)

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


_SHORT = 3  # words this short are acronyms or particles: matched as they are, never lemmatised


@lru_cache(maxsize=200_000)
def french_key(word: str) -> str:
    lower = word.lower()
    if len(lower) <= _SHORT:  # "ENS" must not become "en"
        return lower
    lemma = simplemma.lemmatize(lower, lang="fr").lower()
    return _FRENCH.stemWord(lemma)


@lru_cache(maxsize=200_000)
def english_key(word: str) -> str:
    if len(word) <= _SHORT:
        return word.lower()
    return _ENGLISH.stemWord(word.lower())


def word_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """The hot path of ``tokenize``: words, starts and ends as parallel lists. Splitting on
    the captured word pattern gives gaps and words in turn; their running lengths are the
    offsets, without a match object per word."""
    pieces = _WORD_SPLIT.split(text)
    offsets = list(accumulate(map(len, pieces)))
    # pieces = [gap, word, gap, word, ..., gap]: a word starts where the gap before it ends
    return pieces[1::2], offsets[0:-1:2], offsets[1::2]


def phrase_keys(phrase: str, key: str) -> tuple[str, ...]:
    """The key sequence of a term, in one language (``"fr"`` or ``"en"``)."""
    make = french_key if key == "fr" else english_key
    return tuple(make(t.text) for t in tokenize(phrase))
