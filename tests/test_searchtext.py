"""The search normaliser and the websearch query syntax, rendered for both backends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.errors import QueryError
from monitor.searchtext import (
    fold,
    matching_spans,
    parse_query,
    query_forms,
    search_tokens,
    to_fts5,
    to_tsquery,
)


def test_fold_lowercases_and_strips_accents() -> None:
    assert fold("Souveraineté Française") == "souverainete francaise"


def test_tokens_are_stemmed_in_the_article_language() -> None:
    assert search_tokens("Les levées de fonds", "fr") == search_tokens(
        "la levée de fond", "fr"
    ).replace("la", "le")
    assert search_tokens("raising funds", "en") == "rais fund"
    assert search_tokens("Mistral AI", None) == "mistral ai"


def test_a_query_word_matches_its_french_and_english_stems() -> None:
    assert set(query_forms("souverainete")) == {"souverainete", "souverainet"}
    # Whatever form a French article indexed, the query word finds it.
    indexed = search_tokens("la souveraineté", "fr").split()
    assert set(query_forms(fold("souveraineté"))) & set(indexed)


def test_parse_words_phrases_or_and_exclusions() -> None:
    q = parse_query('"AI Act" OR souveraineté -vent mistral')
    assert [[(t.words, t.negated) for t in g] for g in q.groups] == [
        [(("ai", "act"), False), (("souverainete",), False)],
        [(("vent",), True)],
        [(("mistral",), False)],
    ]
    assert to_fts5(q) == (
        '((("ai act") OR ("souverainete" OR "souverainet")) AND (("mistral"))) NOT ("vent")'
    )
    assert to_tsquery(q) == (
        "(((ai <-> act)) | (souverainete | souverainet)) & !(vent) & ((mistral))"
    )


@pytest.mark.parametrize("query", ["", "   ", "-vent", '""', "!!! ???"])
def test_queries_that_cannot_match_are_refused(query: str) -> None:
    with pytest.raises(QueryError):
        parse_query(query)


def test_matching_spans_mark_inflected_words() -> None:
    text = "Les souverainetés européennes"
    spans = matching_spans(text, parse_query("souveraineté"), "fr")
    assert [text[a:b] for a, b in spans] == ["souverainetés"]


@given(st.text(max_size=200))
def test_any_user_text_parses_or_is_refused_cleanly(text: str) -> None:
    try:
        q = parse_query(text)
    except QueryError:
        return
    rendered = to_fts5(q) + to_tsquery(q)
    # Tokens are word characters only: no quote or operator can leak from user input.
    assert "'" not in rendered and ";" not in rendered
