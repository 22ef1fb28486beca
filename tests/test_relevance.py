"""The relevance judge: verdicts, evidence, and bad input."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.relevance import RelevanceSettings, judge_article, tagger_version
from monitor.relevance.gazetteer import default_gazetteer
from monitor.taxonomy import tag_topics

DATA = Path(__file__).parent / "data"


def _labelled(url_part: str) -> dict:
    for line in (DATA / "relevance_dev.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if url_part in record["url"]:
            return record
    raise LookupError(url_part)


@pytest.mark.parametrize(
    "url_part",
    [
        "lachainemeteo.com",  # wind
        "beaumes.dk",  # wind, in English
        "profiwetter.ch",  # wind, in German
        "air-cosmos.com",  # missile
        "forcesnews.com",  # ships, in English
        "sputniknews.africa/20161006",  # ships
        "larousse.fr",  # poet
        "en.wikipedia.org/wiki/Mistral_gagnant",  # song
    ],
)
def test_other_mistrals_are_none_and_say_which(url_part):
    record = _labelled(url_part)
    judgement = judge_article(record["text"], record["title"], record["lang"])
    assert judgement.relevance == "none"
    assert judgement.score == 0.0
    assert judgement.topics == () and judgement.entities == ()
    senses = {
        e.term
        for e in judgement.evidence
        if e.term.startswith("Mistral [") or e.term.startswith("mistral [")
    }
    assert senses and not any("mistral_ai" in s for s in senses)


def test_about_when_named_in_the_title():
    judgement = judge_article(
        "La start-up a présenté lundi son nouveau modèle, Mistral Large, et un partenariat.",
        title="Mistral AI s'allie à Microsoft",
    )
    assert judgement.relevance == "about"
    assert any(e.field == "title" and e.term == "Mistral AI" for e in judgement.evidence)
    assert judgement.topics


def test_a_name_in_a_list_of_examples_is_passing():
    text = (
        "Le gouvernement a présenté son plan pour l'intelligence artificielle, avec 109 milliards "
        "d'euros d'investissements annoncés au Grand Palais.\n\n"
        "Il veut aider des start-up comme Mistral AI à trouver des contrats publics.\n\n"
        "Le plan prévoit aussi 35 sites pour des centres de données."
    )
    judgement = judge_article(text, "Le plan IA du gouvernement")
    assert judgement.relevance == "passing"
    assert judgement.topics == ()
    assert [e.name for e in judgement.entities] == ["Mistral AI"]
    assert any(e.term.endswith("[example]") for e in judgement.evidence)


def test_mistral_gagnant_pun_on_an_ai_summit_is_not_about():
    record = _labelled("lepetitjournal.com")
    assert judge_article(record["text"], record["title"]).relevance == "passing"


def test_bare_mistral_counts_when_the_article_is_about_ai():
    text = (
        "La start-up française Mistral a dévoilé un chatbot. Son modèle de langage rivalise avec "
        "ChatGPT d'OpenAI, selon plusieurs tests de l'IA générative."
    )
    judgement = judge_article(text)
    assert judgement.relevance == "about"
    assert any(e.term.startswith("cue:ai:") for e in judgement.evidence)


def test_evidence_offsets_point_into_their_field():
    record = _labelled("seed:003")
    title = "Mistral AI défie OpenAI"
    judgement = judge_article(record["text"], title)
    for e in judgement.evidence:
        source = title if e.field == "title" else record["text"]
        assert 0 <= e.start < e.end <= len(source)
        surface = e.term.split(" [", 1)[0]
        if not e.term.startswith("cue:"):
            assert source[e.start : e.end] == surface


def test_tagger_version_names_taxonomy_and_code():
    judgement = judge_article("Mistral AI lève des fonds.")
    assert judgement.tagger_version == tagger_version()
    assert "+relevance-" in judgement.tagger_version


def test_settings_change_the_verdict():
    text = (
        "Les investisseurs européens regardent de près l'intelligence artificielle générative, "
        "un marché qui attire des milliards.\n\nMistral AI a été citée.\n\nMistral AI encore."
    )
    assert judge_article(text).relevance == "about"
    strict = RelevanceSettings(pair_min_coverage=1.0, body_min_mentions=5)
    assert judge_article(text, settings=strict).relevance == "passing"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "Мистраль — холодный ветер на юге Франции.",
        "米斯特拉尔人工智能公司发布了新模型。",
        "\ud800 Mistral AI \udfff",
        "\x00" * 100,
        "Mistral " * 50_000,
    ],
)
def test_bad_input_never_raises(text):
    judgement = judge_article(text)
    assert judgement.relevance in ("about", "passing", "none")
    assert 0.0 <= judgement.score <= 1.0


def test_a_five_megabyte_text_is_judged_on_its_beginning():
    record = _labelled("seed:003")
    huge = (record["text"] + "\n\n") * 900
    assert len(huge) > 5_000_000
    judgement = judge_article(huge)
    assert judgement.relevance == "about"
    limit = RelevanceSettings().max_chars
    assert all(e.end <= limit for e in judgement.evidence)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=600),
    st.one_of(st.none(), st.text(max_size=80)),
    st.one_of(st.none(), st.sampled_from(["fr", "en", "de", "zh", ""])),
)
def test_never_raises_and_stays_in_bounds(text, title, language):
    judgement = judge_article(text, title, language)
    assert 0.0 <= judgement.score <= 1.0
    if judgement.relevance != "about":
        assert judgement.topics == ()
    if judgement.relevance == "none":
        assert judgement.entities == ()
    for e in judgement.evidence:
        source = (title or "") if e.field == "title" else text
        assert 0 <= e.start <= e.end <= len(source)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["vent", "rafales", "km/h", "MBDA", "missile", "BPC", "Maillane"]),
    st.text(alphabet=" abcdefghij\n", max_size=200),
)
def test_other_sense_cues_alone_never_make_about(cue, filler):
    text = f"Le Mistral {filler} {cue} {filler}"
    assert judge_article(text).relevance == "none"


def test_spans_not_after_word_finds_what_a_look_behind_finds():
    import re

    from monitor.relevance.mentions import spans_not_after_word

    text = "xMistral AI, Mistral AI.Mistral _Mistral AI et (Mistral) MistralAI mistral"
    pattern = r"(?:Mistral AI|Mistral|AI)(?![\w])"
    slow = [(m.start(), m.end(), m.group()) for m in re.finditer(r"(?<![\w.])" + pattern, text)]
    assert spans_not_after_word(re.compile(pattern), text) == slow
    assert slow  # the text has matches of both kinds


def test_the_text_decides_which_terms_are_tried_not_the_declared_language():
    """An English page declared French is read as English: "according to" is not an agreement
    ("accord", a French-only term), whatever the language field says."""
    text = (
        "Mistral AI unveiled its new model on Tuesday. According to the company, the model is "
        "available today to its customers. According to Mistral AI, the release follows the "
        "launch of Le Chat, according to one client."
    )
    # Every term tried (no language): "according" meets "accord" beside "customers".
    tagged = tag_topics("Mistral AI unveils a new model", text, lead_end=60)
    assert "partnership" in {t.topic_id for t in tagged}
    for declared in ("fr", "en", None):
        judgement = judge_article(text, "Mistral AI unveils a new model", declared)
        assert judgement.relevance == "about"
        assert "partnership" not in {t.topic_id for t in judgement.topics}


def test_names_inside_a_for_example_parenthesis_are_examples():
    text = (
        "The European Commission has released a code of practice for general-purpose AI models "
        "(for example, OpenAI's ChatGPT, Anthropic's Claude and Mistral's Magistral). The code "
        "is voluntary.\n\nProviders who sign it will face less paperwork, the Commission says."
    )
    judgement = judge_article(text)
    assert judgement.relevance == "passing"
    assert all(e.term.endswith("[example]") for e in judgement.evidence if "istral" in e.term)


def test_a_sentence_opened_by_par_exemple_gives_examples():
    text = (
        "La France investit 109 milliards d'euros dans l'IA, pour des centres de données et des "
        "start-up locales.\n\nSes start-up ont investi dans les capacités de fond. Par exemple, "
        "le modèle Mistral-7B publié par Mistral AI est longtemps resté le meilleur modèle open "
        "source.\n\nD'autres, comme Photoroom, ont développé leur propre modèle."
    )
    judgement = judge_article(text)
    assert judgement.relevance == "passing"
    # The same name outside such an aside still counts as a subject.
    opening = "Mistral AI publie le modèle Mistral-7B. " + text
    assert judge_article(opening).relevance == "about"


def test_an_example_in_a_title_list_is_not_the_second_mention_a_lead_needs():
    text = (
        "Airbus, Total, ASML, Mistral : 48 dirigeants européens appellent à suspendre l'AI Act\n"
        "Les dirigeants de 48 grandes entreprises européennes ont cosigné une lettre ouverte "
        "demandant à la Commission de reporter l'application du texte. Parmi eux figurent les "
        "patrons de l'éditeur de logiciels Mirakl et de la start-up Mistral AI.\n\n"
        "La lettre estime que les règles sont trop floues pour être appliquées en août."
    )
    assert judge_article(text).relevance == "passing"


def test_a_page_naming_the_company_many_times_is_about_it_whatever_its_lead():
    lead = "Risk identification\n\nWe assess whether an AI developer identifies risks well.\n\n"
    claims = (
        "analyzes bias",
        "has not discussed other risks",
        "provides no red-teaming evidence",
        "describes a system prompt",
        "publishes no threat model",
    )
    items = "\n\n".join(f"  • Mistral {c} for its large language models." for c in claims)
    # Five mentions in five of nineteen paragraphs: too thin a spread for the coverage rule.
    filler = "\n\n".join(f"Criterion {n} is scored from 0 to 5." for n in range(12))
    judgement = judge_article(lead + filler + "\n\n" + items)
    assert judgement.relevance == "about"
    fewer = RelevanceSettings(many_mentions=6)
    assert judge_article(lead + filler + "\n\n" + items, settings=fewer).relevance == "passing"
    assert judge_article(lead + filler + "\n\n" + items.split("\n\n", 1)[0]).relevance == "passing"


def test_names_grouped_by_first_letter_match_as_the_flat_alternation():
    """The speed pass groups the gazetteer's aliases by first letter; the matches must be
    those of the plain longest-first alternation."""
    import re

    from monitor.relevance.gazetteer import default_gazetteer
    from monitor.relevance.mentions import spans_not_after_word

    gazetteer = default_gazetteer()
    aliases = sorted(gazetteer.entity_of_alias, key=len, reverse=True)
    flat = re.compile(r"(?:" + "|".join(re.escape(a) for a in aliases) + r")(?![\w])")
    texts = [
        json.loads(line)["text"] for line in (DATA / "relevance_dev.jsonl").open(encoding="utf-8")
    ]
    texts.append(" ".join(aliases) + " " + ", ".join(a + "x" for a in aliases))
    for text in texts:
        assert spans_not_after_word(gazetteer.names, text) == spans_not_after_word(flat, text)


_PIN_PIECES = [
    "le mistral", "Mistral", "mistral", "du", "souffle", "missile", "missiles anti-aérien",
    "MBDA", "classe", "BPC", "Mistral-class", "Frédéric", "Frederi", "gagnant", "Gagnants", "«",
    "»", "Mistral 3", "est un", "is a", "(1830", "navires de type", "Mistral AI", "lance", ",",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIN_PIECES), max_size=12), st.sampled_from([" ", ""]))
def test_the_pinned_union_finds_a_window_exactly_when_some_sense_does(pieces, joiner):
    # mentions.find_mentions skips the per-sense searches of a window where the union of every
    # pinned pattern finds nothing (relevance-9): that must never skip a window with a pin.
    gazetteer = default_gazetteer()
    window = joiner.join(pieces)
    some_sense = any(p.search(window) for p in gazetteer.pinned.values())
    assert (gazetteer.any_pinned.search(window) is not None) == some_sense
