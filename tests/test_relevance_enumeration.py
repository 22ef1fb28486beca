"""A name given as one item of a list of names is an example, not a subject."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.relevance import enumeration, judge_article
from monitor.relevance.enumeration import in_clause_series, in_enumeration


def _at(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


def test_comma_and_list_of_companies():
    text = "Google, OpenAI, Anthropic, Microsoft, Mistral AI and Cohere signed the code."
    assert in_enumeration(text, *_at(text, "Mistral AI"))


def test_list_opened_by_other_words_and_closed_by_the_verb():
    text = "Signatories count 16 companies including Meta Platforms, Mistral AI, Microsoft and xAI."
    assert in_enumeration(text, *_at(text, "Mistral AI"))


def test_oxford_comma_and_parentheses():
    text = "Llama 3 (Meta), Mistral, Qwen 2.5 (Alibaba), and Gemma 3 (Google) all compete."
    assert in_enumeration(text, *_at(text, "Mistral"))


def test_one_name_per_line():
    text = (
        "The full list of signatories is:\n\nAmazon\n\nAnthropic\n\nMistral AI\n\nNaver\n\nOpenAI"
    )
    assert in_enumeration(text, *_at(text, "Mistral AI"))


def test_two_names_are_not_a_list():
    text = "Mistral AI and Nvidia announced a partnership on Tuesday."
    assert not in_enumeration(text, *_at(text, "Mistral AI"))


def test_apposition_is_not_a_list():
    text = "Le 26 février 2024, Mistral AI, start-up parisienne, et Microsoft ont signé un accord."
    assert not in_enumeration(text, *_at(text, "Mistral AI"))


def test_listed_in_the_opening_is_passing_not_about():
    text = (
        "Google, OpenAI, Anthropic, Microsoft, Mistral AI, Cohere, Amazon and IBM signed the "
        "voluntary code of practice for general-purpose AI on Thursday. The code asks model "
        "providers to document training data and to assess systemic risks.\n\n"
        "Meta refused to sign, saying the code goes beyond the AI Act."
    )
    assert judge_article(text).relevance == "passing"


def test_subject_in_the_opening_stays_about():
    text = (
        "Mistral AI a levé 600 millions d'euros auprès de General Catalyst, valorisant la "
        "start-up à 5,8 milliards d'euros.\n\n"
        "La jeune pousse parisienne prépare de nouveaux modèles."
    )
    assert judge_article(text).relevance == "about"


@given(st.text(max_size=200), st.integers(0, 200), st.integers(0, 30))
def test_never_raises_on_any_text(text, start, length):
    start = min(start, len(text))
    assert in_enumeration(text, start, min(len(text), start + length)) in (True, False)


def test_semicolon_clauses_each_led_by_a_name_are_a_comparison():
    text = (
        "Summary: Qwen leads on multilingual tasks; Llama has the largest community; Mistral "
        "punches above its weight on smaller sizes; DeepSeek competes on reasoning."
    )
    assert in_clause_series(text, text.index("Mistral"))


def test_a_semicolon_inside_an_article_about_mistral_is_no_series():
    text = "Mistral AI a levé 600 millions d'euros ; la start-up vaut désormais 6 milliards."
    assert not in_clause_series(text, text.index("Mistral"))
    # The name must lead its clause: mid-clause it is the clause's subject matter, not an entry.
    text = "Qwen leads; the best small model is from Mistral AI; Llama has the community."
    assert not in_clause_series(text, text.index("Mistral"))


def test_a_comparison_summary_in_the_lead_does_not_make_the_article_about_mistral():
    text = (
        "Qwen comparison summary: Qwen leads on multilingual breadth; Llama has the largest "
        "fine-tuning community; Mistral punches above its weight on smaller sizes; DeepSeek "
        "competes on reasoning and code.\n\nWhy comparing open-weight families is harder than it "
        "looks: Qwen and Llama release new generations on different cadences."
    )
    assert judge_article(text, None, "en").relevance == "passing"


@pytest.mark.parametrize(
    "title",
    [
        'Aleph Alpha : le "Mistral" allemand peine à suivre',
        "Is Aleph Alpha the German Mistral AI?",
        "Sarvam, un Mistral AI indien, lève des fonds",
    ],
)
def test_the_name_used_as_a_type_for_another_company_is_an_example(title):
    text = "Aleph Alpha, fondée à Heidelberg en 2019, vise une IA souveraine pour l'Europe. " * 3
    judgement = judge_article(text, title, "fr")
    assert judgement.relevance != "about"
    assert any("[example]" in e.term for e in judgement.evidence)


# The speed pass replaced two searches by cheaper ones that must find the same thing.
_PUNCTUATION = 'ab .!?…:;«»"“”()\n\t,'


@given(st.text(alphabet=_PUNCTUATION, max_size=60))
def test_last_sentence_end_is_where_the_last_sentence_end_match_ends(text):
    last = enumeration._last(enumeration._SENTENCE_END.finditer(text))
    assert enumeration._last_sentence_end(text) == (None if last is None else last.end())


_LISTS = ["A", "and", "AND", "et", "or", "ou", "vs", "vs.", "versus", "Ou", "x"]


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_LISTS), st.text(alphabet=",/&-•*;\n .\t", min_size=1, max_size=3)
        ),
        max_size=8,
    )
)
def test_a_separator_ending_the_text_is_never_ruled_out(pieces):
    text = "".join(pieces)
    last = enumeration._last(enumeration._SEPARATOR.finditer(text))
    if last is not None and last.end() == len(text):
        assert enumeration._may_end_with_separator(text)
