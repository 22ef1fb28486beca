"""Search tokens: the one normaliser shared by the index and the queries.

Both backends index the tokens this module produces (SQLite FTS5 over a plain token string,
PostgreSQL ``to_tsvector('simple', …)`` over the same string), so they answer a query the same
way. A token is lowercased, accent-folded and stemmed with the Snowball stemmer of the article's
language; a query word, whose language is unknown, matches any of its French, English or bare
forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import snowballstemmer

from monitor.errors import QueryError

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STEMMED_LANGUAGES = {"fr": "french", "en": "english"}
#: Languages a query word is stemmed in, since a query carries no language of its own.
QUERY_LANGUAGES = ("fr", "en")


def fold(text: str) -> str:
    """Lowercase and strip accents: ``Souveraineté`` → ``souverainete``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    name = STEMMED_LANGUAGES.get(language)
    return snowballstemmer.stemmer(name) if name else None


def _base_language(language: str | None) -> str:
    return (language or "").split("-")[0].split("_")[0].lower()


def stem(word: str, language: str | None) -> str:
    stemmer = _stemmer(_base_language(language))
    return stemmer.stemWord(word) if stemmer else word


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def search_tokens(text: str, language: str | None) -> str:
    """The token string an article is indexed under (space-separated, order kept for phrases)."""
    stemmer = _stemmer(_base_language(language))
    if stemmer is None:
        return " ".join(words(text))
    return " ".join(stemmer.stemWords(words(text)))


def query_forms(word: str) -> tuple[str, ...]:
    """Every token a query word may be indexed as: bare, and stemmed in each indexed language."""
    forms = [word] + [stem(word, lang) for lang in QUERY_LANGUAGES]
    return tuple(dict.fromkeys(forms))


@dataclass(frozen=True, slots=True)
class Term:
    """One query term: a word or a quoted phrase, already split into folded words."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A websearch-style query: every group must match; a group matches when any term does."""

    groups: tuple[tuple[Term, ...], ...]

    @property
    def positive_terms(self) -> tuple[Term, ...]:
        return tuple(t for g in self.groups for t in g if not t.negated)


_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(text: str) -> SearchQuery:
    """Parse websearch syntax: words ANDed, ``"phrases"``, ``OR``, ``-word``.

    Raises QueryError for a query that cannot match anything sensible (empty, or only exclusions).
    """
    groups: list[list[Term]] = []
    pending_or = False
    for match in _QUERY_PART.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare == "OR":
            pending_or = bool(groups)
            continue
        negated = bool(minus)
        raw = phrase if phrase is not None else bare
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, raw = True, bare[1:]
        found = words(raw or "")
        if not found:
            continue
        term = Term(tuple(found), negated)
        if pending_or and not negated and not any(t.negated for t in groups[-1]):
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        raise QueryError(f"the query {text!r} has no searchable word")
    if all(t.negated for g in groups for t in g):
        raise QueryError(f"the query {text!r} only excludes words; add a word to look for")
    return SearchQuery(tuple(tuple(g) for g in groups))


def _fts5_term(term: Term) -> str:
    if term.is_phrase:
        # A phrase matches when each word's form is found in sequence; word forms are
        # alternatives, so expand to an OR of phrases over the stemmed variants per language.
        variants = dict.fromkeys(
            " ".join(stem(w, lang) if lang else w for w in term.words)
            for lang in (None, *QUERY_LANGUAGES)
        )
        return "(" + " OR ".join(f'"{v}"' for v in variants) + ")"
    return "(" + " OR ".join(f'"{form}"' for form in query_forms(term.words[0])) + ")"


def to_fts5(query: SearchQuery) -> str:
    """Render as an FTS5 MATCH expression (tokens are ``\\w`` only, so quoting is safe)."""
    positive, negative = [], []
    for group in query.groups:
        if group[0].negated:
            negative.append(_fts5_term(group[0]))
        else:
            positive.append("(" + " OR ".join(_fts5_term(t) for t in group) + ")")
    expression = " AND ".join(positive)
    for excluded in negative:
        expression = f"({expression}) NOT {excluded}"
    return expression


def _tsquery_term(term: Term) -> str:
    if term.is_phrase:
        variants = dict.fromkeys(
            " <-> ".join(stem(w, lang) if lang else w for w in term.words)
            for lang in (None, *QUERY_LANGUAGES)
        )
        return "(" + " | ".join(f"({v})" for v in variants) + ")"
    return "(" + " | ".join(query_forms(term.words[0])) + ")"


def to_tsquery(query: SearchQuery) -> str:
    """Render as a PostgreSQL ``to_tsquery('simple', …)`` string."""
    parts = []
    for group in query.groups:
        if group[0].negated:
            parts.append("!" + _tsquery_term(group[0]))
        else:
            parts.append("(" + " | ".join(_tsquery_term(t) for t in group) + ")")
    return " & ".join(parts)


def matching_spans(text: str, query: SearchQuery, language: str | None) -> list[tuple[int, int]]:
    """Character spans of the words in ``text`` that a positive query term matched.

    Used to mark matches in a snippet; phrases are marked word by word.
    """
    wanted: set[str] = set()
    for term in query.positive_terms:
        for word in term.words:
            wanted.update(query_forms(word))
    spans = []
    for match in _WORD.finditer(text):
        token = fold(match.group())
        if token in wanted or stem(token, language) in wanted:
            spans.append(match.span())
    return spans
