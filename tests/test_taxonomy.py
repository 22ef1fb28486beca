"""The taxonomy file, its validation, and lemma-based topic tagging."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.taxonomy import (
    TOP_LEVEL_IDS,
    TaxonomyError,
    load_taxonomy,
    tag_topics,
)
from monitor.taxonomy.background import background_spans
from monitor.taxonomy.lemmas import english_key, french_key
from monitor.taxonomy.loader import parse_taxonomy
from monitor.taxonomy.scoring import Hit, TaggingSettings, score_topic


def test_bundled_taxonomy_has_the_fixed_top_level_ids_and_a_version():
    taxonomy = load_taxonomy()
    assert taxonomy.version
    assert {t.id for t in taxonomy.top_level()} == set(TOP_LEVEL_IDS)
    for topic in taxonomy.topics:
        assert topic.label_fr and topic.label_en
        if topic.parent_id:
            assert topic.id.startswith(topic.parent_id + ".")
            assert taxonomy.get(topic.parent_id)


def _minimal(extra: str = "", drop: str | None = None) -> str:
    parts = ['version = "t1"']
    for topic_id in TOP_LEVEL_IDS:
        if topic_id != drop:
            parts.append(
                f'[[topic]]\nid = "{topic_id}"\nlabel_fr = "x"\nlabel_en = "x"\nterms_fr = ["x"]'
            )
    return "\n".join(parts) + "\n" + extra


def test_minimal_taxonomy_parses():
    assert parse_taxonomy(_minimal()).version == "t1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_minimal(drop="funding"), "missing top-level"),
        (
            _minimal('[[topic]]\nid = "weather"\nlabel_fr = "x"\nlabel_en = "x"\nterms_fr = ["x"]'),
            "fixed top-level",
        ),
        (
            _minimal(
                '[[topic]]\nid = "funding.x"\nparent = "nope"\nlabel_fr = "x"\n'
                'label_en = "x"\nterms_fr = ["x"]'
            ),
            "unknown parent",
        ),
        (
            _minimal(
                '[[topic]]\nid = "people.x"\nparent = "funding"\nlabel_fr = "x"\n'
                'label_en = "x"\nterms_fr = ["x"]'
            ),
            "must be named",
        ),
        (_minimal().replace('terms_fr = ["x"]', 'terms_fr = ["x"]\nthreshold = 2', 1), "threshold"),
        (_minimal().replace('version = "t1"', ""), "version"),
        ("version = ", "not valid TOML"),
        (_minimal().replace('label_en = "x"', 'label_en = ""', 1), "label_en"),
    ],
)
def test_bad_taxonomies_are_refused_with_a_reason(text, message):
    with pytest.raises(TaxonomyError, match=message):
        parse_taxonomy(text)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "absent.toml")


def test_french_inflections_share_one_key():
    keys = {french_key(w) for w in ("levée", "lève", "levé", "lèvent", "levées", "lever")}
    assert len(keys) == 1


def test_short_acronyms_are_not_lemmatised():
    assert french_key("ENS") != french_key("en")
    assert english_key("MW") == "mw"


@pytest.mark.parametrize(
    "sentence",
    [
        "La start-up lève 600 millions d'euros.",
        "La start-up a levé 600 millions d'euros.",
        "Les fondateurs lèvent 600 millions d'euros.",
        "Une levée de fonds de 600 millions d'euros.",
        "The start-up raised $640m in a funding round.",
    ],
)
def test_funding_fires_in_french_inflections_and_english(sentence):
    tags = tag_topics(None, sentence, lead_end=len(sentence))
    assert "funding" in [t.topic_id for t in tags]


def test_exclusion_drops_the_idiom_in_its_sentence():
    text = "Une levée de boucliers a suivi l'annonce."
    assert "funding" not in [t.topic_id for t in tag_topics(None, text, len(text))]


def test_evidence_points_at_the_terms_that_fired():
    title = "Mistral AI signe un partenariat avec l'AFP"
    text = "L'accord de distribution porte sur Le Chat. Le partenariat est pluriannuel."
    tags = {t.topic_id: t for t in tag_topics(title, text, lead_end=20)}
    partnership = tags["partnership"]
    assert 0 < partnership.score < 1
    for e in partnership.evidence:
        source = title if e.field == "title" else text
        assert e.field in ("title", "lead", "body")
        assert 0 <= e.start < e.end <= len(source)
    assert any(
        e.field == "title" and title[e.start : e.end] == "partenariat" for e in partnership.evidence
    )


def test_child_topic_and_parent_both_tagged():
    text = "La valorisation atteint 6 milliards d'euros après cette levée de fonds record."
    ids = [t.topic_id for t in tag_topics("Mistral AI devient une licorne", text, len(text))]
    assert "funding" in ids and "funding.valuation" in ids


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.one_of(st.none(), st.text(max_size=60)))
def test_tagging_never_raises_and_evidence_stays_in_bounds(text, title):
    for tag in tag_topics(title, text, lead_end=len(text) // 2):
        assert 0 <= tag.score < 1
        for e in tag.evidence:
            source = title if e.field == "title" else text
            assert 0 <= e.start < e.end <= len(source)


def _ids(title, text, focus_offsets=None, lead_end=None):
    lead_end = len(text) if lead_end is None else lead_end
    return [t.topic_id for t in tag_topics(title, text, lead_end, focus_offsets=focus_offsets)]


def test_a_product_name_alone_does_not_make_product_news():
    complaint = "Un avocat a déposé une plainte auprès de la CNIL contre Le Chat, le chatbot."
    assert "product_model" not in _ids(None, complaint)
    launch = "Mistral AI lance Le Chat, son nouveau chatbot, et dévoile un nouveau modèle."
    assert "product_model" in _ids(None, launch)


def test_a_topic_needs_a_sentence_whose_point_it_is():
    # one ordinary funding word, in passing, is not a funding story
    text = "Mistral AI, qui compte des investisseurs américains, publie un guide technique."
    assert "funding" not in _ids(None, text)


def test_sentences_far_from_mistral_ai_cannot_carry_a_topic_alone():
    text = (
        "Mistral AI publie un rapport annuel. Le document compte quarante pages. "
        "Il est rédigé en anglais. Il a été relu par des juristes. Il sera traduit. "
        "OpenAI lève 6 milliards de dollars auprès de ses investisseurs."
    )
    lead_end = text.index(".") + 1
    # without mention offsets every sentence is in focus
    assert "funding" in _ids(None, text, lead_end=lead_end)
    assert "funding" not in _ids(None, text, focus_offsets=[0], lead_end=lead_end)


def test_dependent_terms_must_be_strings():
    bad = _minimal().replace('terms_fr = ["x"]', 'terms_fr = ["x"]\ndependent = [1]', 1)
    with pytest.raises(TaxonomyError, match="dependent"):
        parse_taxonomy(bad)


def test_english_raise_needs_money_context_to_be_funding():
    concerns = "Mistral AI's chatbot update is raising serious concerns among privacy lawyers."
    assert "funding" not in _ids(None, concerns)
    question = "This raises the question of whether Mistral AI can keep pace."
    assert "funding" not in _ids(None, question)
    round_ = "Mistral AI raised €600 million from investors led by General Catalyst."
    assert "funding" in _ids(None, round_)


def test_of_two_terms_on_the_same_words_the_strong_one_counts():
    # "souverain" (strong) and "souveraine" (plain) share one lemma key: the strong weight wins
    text = "Mistral AI veut bâtir une IA souveraine pour l'Europe."
    tags = {t.topic_id: t for t in tag_topics(None, text, len(text))}
    assert "sovereignty" in tags
    assert [e.term for e in tags["sovereignty"].evidence] == ["souverain"]


def test_a_valuation_in_passing_is_not_a_funding_story():
    # "licorne" is strong for funding.valuation, but weighs as a plain term for funding
    text = "Mistral AI, la licorne française, publie un guide pour les développeurs."
    assert "funding" not in _ids(None, text, lead_end=0)
    story = "Mistral AI lève 600 millions d'euros et devient une licorne."
    assert {"funding", "funding.valuation"} <= set(_ids(None, story, lead_end=0))


def test_a_name_in_the_title_says_what_the_article_is_about():
    body = "L'application est disponible sur iOS et Android depuis jeudi."
    assert "product_model" not in _ids("Un million d'utilisateurs en France", body)
    assert "product_model" in _ids("Le Chat : un million d'utilisateurs en France", body)
    assert "people" in _ids("Arthur Mensch, un parcours hors norme", "Il a 32 ans.")


@pytest.mark.parametrize(
    ("topic", "sentence"),
    [
        ("product_model", "Mistral AI, fer de lance de l'IA française, multiplie les annonces."),
        ("product_model", "Arthur Mensch a choisi de se lancer dans l'aventure en 2023."),
        ("sovereignty", "Le fonds souverain émirati MGX investit dans Mistral AI."),
        ("sovereignty", "Abu Dhabi's sovereign wealth fund backs Mistral AI."),
    ],
)
def test_idioms_are_excluded(topic, sentence):
    assert topic not in _ids(None, sentence)


def test_word_spans_give_each_word_with_its_offsets():
    from monitor.taxonomy.lemmas import word_spans

    text = " L'été, Mistral AI a levé 600 M€ — x_y "
    words, starts, ends = word_spans(text)
    assert words == ["L", "été", "Mistral", "AI", "a", "levé", "600", "M", "x", "y"]
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == words
    assert word_spans("") == ([], [], [])


# Taxonomy 2026.11.4: wider French and English term lists. Sentences from the development set
# (tests/data/relevance_dev.jsonl, splits dev and fresh) where one exists, otherwise written in
# the register of the press excerpts; each asserts the topic and the new terms that fired.
@pytest.mark.parametrize(
    ("topic", "sentence", "fired"),
    [
        (
            "open_source",
            "La stratégie open source joue un rôle central, permettant aux clients "
            "d’auto-héberger, de créer de la redondance et d’éviter le verrouillage fournisseur.",
            {"stratégie open source", "auto-hébergement"},
        ),
        (
            "open_source",
            "Notre avantage, c’est que Mistral AI opté pour des modèles Open source.",
            {"modèle open source"},
        ),
        (
            "sovereignty",
            "Mme Sophia Chikirou alerte M. le ministre sur le risque de perte de souveraineté "
            "technologique et numérique que représenterait le rachat éventuel de la société "
            "française Mistral AI par un groupe américain.",
            {"groupe américain"},
        ),
        (
            "sovereignty",
            "Mistral AI is pitched as Europe's answer to American tech, a way for governments "
            "to stay independent from US providers.",
            {"Europe's answer", "independent from", "US providers"},
        ),
        (
            "competition",
            "Mistral AI says its new model is better than GPT-4o and on par with Claude.",
            {"better than", "on par with"},
        ),
        (
            "competition",
            "Selon Mistral AI, Magistral est plus performant que DeepSeek et comparable à Gemini.",
            {"plus performant que", "comparable à"},
        ),
        (
            "legal_ethics",
            "Mistral AI a été critiquée pour l'absence de garde-fous et une modération des "
            "contenus jugée insuffisante.",
            {"garde-fous", "modération des contenus"},
        ),
        (
            "legal_ethics",
            "A safety report found that Mistral AI's models could be prompted to generate child "
            "sexual abuse material (CSAM).",
            {"safety report", "child sexual abuse", "CSAM"},
        ),
        (
            "product_model",
            "Côté produits, sept mois après sa création, Mistral vient de lancer « Mixtral "
            "8x7B », son dernier modèle de langage ouvert.",
            {"vient de lancer", "Mixtral"},
        ),
        (
            "product_model",
            "l’entreprise hexagonale Mistral AI a annoncé que son « chat » a dépassé DeepSeek et "
            "ChatGPT dans le classement des applications les plus téléchargées de l’App Store.",
            {"classement des applications", "plus téléchargées", "App Store"},
        ),
        (
            "people",
            "Arthur Mensch a grandi en banlieue parisienne avant d'entrer en classe préparatoire "
            "puis à Polytechnique.",
            {"a grandi", "classe préparatoire"},
        ),
        (
            "people",
            "Mistral AI's chief scientist stepped down and was poached by a rival lab.",
            {"stepped down", "poached"},
        ),
    ],
)
def test_wider_term_lists_fire_with_their_terms(topic, sentence, fired):
    tags = {t.topic_id: t for t in tag_topics(None, sentence, lead_end=len(sentence))}
    assert topic in tags
    assert fired <= {e.term for e in tags[topic].evidence}


def test_a_european_champion_named_in_passing_is_not_sovereignty():
    """Champion phrases are plain terms: one of them alone does not argue independence."""
    text = "Mistral AI, champion français de l'IA, a présenté ses résultats annuels."
    assert "sovereignty" not in _ids(None, text)


# Taxonomy 2026.11.5: "X next to Y" pairs ([[topic.pairs]]). Sentences in the register of the
# press excerpts of the development set.
def _tag(title, text):
    return {t.topic_id: t for t in tag_topics(title, text, lead_end=len(text))}


@pytest.mark.parametrize(
    ("topic", "sentence", "fired"),
    [
        (
            "competition",
            "Sur le classement LMArena, Mistral Medium 3 se place juste devant GPT-4o.",
            {"GPT-4o", "devant", "classement"},
        ),
        (
            "competition",
            "On the LMArena leaderboard, Mistral Medium 3 now ranks just behind Gemini.",
            {"Gemini", "behind"},
        ),
        (
            "funding",
            "Mistral AI a levé 1,7 milliard d'euros, ce qui porte sa valorisation à 11,7 "
            "milliards.",
            {"valorisation", "lever"},
        ),
    ],
)
def test_a_pair_fires_with_both_of_its_terms_as_evidence(topic, sentence, fired):
    tags = _tag(None, sentence)
    assert topic in tags
    assert fired <= {e.term for e in tags[topic].evidence}
    for e in tags[topic].evidence:  # evidence offsets still point at the words
        assert sentence[e.start : e.end].lower().startswith(e.term[:3].lower())


@pytest.mark.parametrize(
    ("topic", "sentence"),
    [
        # rival names without a comparison word
        ("competition", "Mistral AI propose ses modèles sur Google Cloud, à côté de Gemini."),
        ("competition", "Guillaume Lample et Timothée Lacroix ont travaillé chez Meta."),
        # a valuation without a round being raised
        ("funding", "Mistral AI, valorisée 6 milliards d'euros, ouvre un bureau à Londres."),
        ("funding", "The unicorn, valued at $14bn, opened an office in Singapore."),
    ],
)
def test_a_pair_cue_alone_does_not_fire(topic, sentence):
    assert topic not in _tag(None, sentence)


def test_a_pair_partner_far_from_the_cue_does_not_pair():
    """One long sentence: the name at one end, the comparison word at the other (> 120 chars)."""
    text = (
        "Mistral AI a été fondée par d'anciens chercheurs de Meta, qui ont travaillé pendant "
        "plusieurs années sur les grands modèles de langage dans les laboratoires parisiens du "
        "groupe avant de partir, et leur dernier modèle figure désormais dans le classement."
    )
    assert "competition" not in _tag(None, text)


def test_several_rival_names_beside_one_comparison_are_one_cue():
    text = "En code, Mistral Large 2 dépasse GPT-4o, Claude, Llama et Gemini."
    evidence = [e.term for e in _tag(None, text)["competition"].evidence]
    names = {"GPT-4o", "Claude", "Llama", "Gemini"}
    assert len([t for t in evidence if t in names]) == 1


def test_a_rival_name_is_matched_as_a_name_not_as_a_french_lemma():
    # French lemmatisation reduces "OpenAI" to "open": the name must not fire on "open".
    text = "Mistral AI publie un modèle open source face à la concurrence."
    competition = _tag(None, text).get("competition")
    assert competition is None or "OpenAI" not in {e.term for e in competition.evidence}


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ('[[topic.pairs]]\ncue = ["a"]', "'with' list"),
        ('[[topic.pairs]]\nwith = ["a"]', "'cue' or 'names'"),
        ('[[topic.pairs]]\ncue = ["a"]\nwith = ["b"]\ndependent = ["c"]', "unknown keys"),
        ('[[topic.pairs]]\nnames = [1]\nwith = ["b"]', "non-empty strings"),
    ],
)
def test_bad_pairs_are_refused_with_the_topic_named(pair, message):
    with pytest.raises(TaxonomyError, match=message) as error:
        parse_taxonomy(_minimal(pair))
    assert "legal_ethics (pair 1)" in str(error.value)  # pairs attach to the last [[topic]]


def test_pairs_are_loaded_from_the_bundled_taxonomy():
    competition = load_taxonomy().get("competition")
    assert any("OpenAI" in p.names and "dépasser" in p.partners_fr for p in competition.pairs)


def test_a_french_pair_partner_is_not_tried_in_english_text():
    # "course" (a race) is a French partner of the rival names; in English it is "of course".
    english = "Of course, Mistral AI still sells its models on Google Cloud next to Gemini."
    assert "competition" not in _ids_in(english, "en")
    assert "competition" in _ids_in(english, None)  # every term is tried without a language
    french = "Dans la course à l'IA, Mistral AI veut rattraper Google et son modèle Gemini."
    assert "competition" in _ids_in(french, "fr")


def test_an_english_pair_cue_is_not_tried_in_french_text():
    # "unicorn" / "valued at" are English cues of the valuation pair, "licorne" a French one.
    pair = next(p for p in load_taxonomy().get("funding").pairs if "licorne" in p.cue_fr)
    assert "unicorn" in pair.cue_en and "unicorn" not in pair.cue_fr
    assert "funding" in _ids_in("Mistral AI devient une licorne après une levée.", "fr")


def test_language_pair_lists_alone_make_a_pair():
    text = _minimal('[[topic.pairs]]\ncue_fr = ["amende"]\nwith_en = ["court"]')
    pair = parse_taxonomy(text).get("legal_ethics").pairs[0]
    assert (pair.cue_fr, pair.partners_en, pair.partners) == (("amende",), ("court",), ())


# Taxonomy 2026.11.6: French-only terms (`terms_fr`, `strong_fr`) are not matched in English
# text, English-only ones (`terms_en`) not in French text; `strong` everywhere.
def _ids_in(text: str, language: str | None) -> set[str]:
    return {t.topic_id for t in tag_topics(None, text, lead_end=len(text), language=language)}


def test_a_french_term_does_not_fire_inside_english_words():
    # "accord" (partnership) and "concurrence" (competition) share their keys with "according"
    # and "concurrently".
    text = (
        "According to the company, Mistral AI released two models concurrently with OpenAI; "
        "according to analysts, accordingly, both were trained in Paris."
    )
    assert not {"partnership", "competition"} & _ids_in(text, "en")
    # Without a language every term is tried, which is where the old confusion came from.
    assert "competition" in _ids_in(text, None)


def test_the_same_french_terms_still_fire_in_french_inflections():
    text = (
        "Mistral AI a conclu un accord avec Orange et des accords avec la SNCF pour "
        "concurrencer OpenAI."
    )
    assert {"partnership", "competition"} <= _ids_in(text, "fr")


def test_an_english_term_does_not_fire_inside_french_words():
    # "fined" (legal_ethics) and "fine" share a key: "une compréhension fine du langage".
    text = "Mistral AI mise sur une compréhension fine du langage et une approche fine des usages."
    assert "legal_ethics" not in _ids_in(text, "fr")
    assert "legal_ethics" in _ids_in("The watchdog fined Mistral AI over its data practices.", "en")


def test_strong_terms_fire_in_both_languages():
    # "open weights" is in `strong`: a French article quoting it still counts.
    text = "Mistral AI publie Mistral Small en open weights, sous licence Apache 2.0."
    assert "open_source" in _ids_in(text, "fr")


def test_strong_fr_is_loaded_and_weighs_like_strong():
    funding = load_taxonomy().get("funding")
    assert "levée de fonds" in funding.strong_fr_terms
    assert "levée de fonds" not in funding.strong_terms
    tags = {t.topic_id: t for t in tag_topics(None, "Mistral AI boucle une levée de fonds.", 40)}
    assert tags["funding"].score > 0.5


def test_a_bad_strong_fr_list_is_refused():
    bad = _minimal().replace('terms_fr = ["x"]', 'terms_fr = ["x"]\nstrong_fr = [""]', 1)
    with pytest.raises(TaxonomyError, match="strong_fr"):
        parse_taxonomy(bad)


@pytest.mark.parametrize(
    ("topic", "sentence"),
    [
        (
            "funding",
            "ASML a pris une participation lors de son entrée au capital de Mistral AI.",
        ),
        ("funding", "Microsoft took a minority stake in Mistral AI as part of the deal."),
        ("partnership", "Mistral AI struck a deal with the French army to deploy its models."),
        ("product_model", "Mistral AI propose un assistant, Le Chat, et des modèles de langage."),
        (
            "regulation_policy",
            "La députée demande quelles mesures les pouvoirs publics et la politique industrielle "
            "prévoient pour Mistral AI.",
        ),
    ],
)
def test_new_terms_of_2026_11_6_fire(topic, sentence):
    assert topic in _ids(None, sentence)


def test_a_generic_product_noun_alone_is_not_product_news():
    # "assistant" counts beside a verb of making or offering ("propose"), not on its own.
    assert "product_model" not in _ids(None, "L'assistant de Mistral AI a répondu à la question.")


def test_a_valuation_in_an_appositive_clause_is_an_aside():
    text = (
        "The company, valued at €6bn during a €600mn funding round in June, is hiring in "
        "Palo Alto to compete for AI staff."
    )
    assert "funding" not in _ids(None, text)


def test_open_and_proprietary_models_side_by_side_are_a_catalogue():
    text = (
        "Mistral AI développe des modèles de langage open source et propriétaires pour les "
        "entreprises."
    )
    assert "open_source" not in _ids(None, text)
    licence = "Mistral AI publie ses poids ouverts sous licence Apache 2.0, contre un modèle fermé."
    assert "open_source" in _ids(None, licence)


def test_a_product_labelled_a_chatgpt_rival_is_not_a_competition_story():
    # Taxonomy 2026.11.7: "concurrent(e) de ChatGPT" after a product noun is an epithet.
    epithet = "Mistral AI commercialise une IA conversationnelle concurrente de ChatGPT, Le Chat."
    assert "competition" not in _ids_in(epithet, "fr")
    compared = "Le Chat se veut un concurrent de ChatGPT et le dépasse sur plusieurs tests."
    assert "competition" in _ids_in(compared, "fr")


# Taxonomy 2026.11.8: wider vocabulary families (tax and parliament for regulation_policy,
# computing power and energy for compute_infrastructure), choosing a European product over an
# American one for sovereignty, ethics words as plain terms, and the subject-person rule for
# people. Sentences written for these tests in the register of the press.


@pytest.mark.parametrize(
    ("topic", "sentence", "language"),
    [
        (
            "regulation_policy",
            "Le patron de Mistral AI plaide pour plus de justice fiscale dans le débat sur "
            "l'impôt plancher.",
            "fr",
        ),
        (
            "regulation_policy",
            "Le projet de loi de finances examiné à l'Assemblée nationale vise les hauts "
            "patrimoines.",
            "fr",
        ),
        (
            "regulation_policy",
            "The wealth tax debate reached parliament as Mistral AI's founders were asked about "
            "it.",
            "en",
        ),
        (
            "compute_infrastructure",
            "Mistral AI will use 18,000 Grace Blackwell chips to add computing power in Essonne.",
            "en",
        ),
        (
            "compute_infrastructure",
            "Le site de Mistral AI ajoute des processeurs graphiques et un centre de données "
            "raccordé au réseau.",
            "fr",
        ),
    ],
)
def test_new_vocabulary_families_of_2026_11_8_fire(topic, sentence, language):
    assert topic in _ids_in(sentence, language)


def test_tax_words_alone_in_one_passing_mention_are_not_a_policy_story():
    # Plain terms: one of them in a sentence is not the sentence's point.
    text = "Le prix de l'abonnement Pro est de 15 euros hors taxe."
    assert "regulation_policy" not in _ids_in(text, "fr")


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        (
            "Emmanuel Macron conseille de télécharger Le Chat de Mistral AI plutôt que ChatGPT.",
            "fr",
        ),
        ("Go and download Le Chat, made by Mistral, rather than ChatGPT by OpenAI.", "en"),
        (
            "Mistral AI se présente comme une alternative aux géants américains de l'IA.",
            "fr",
        ),
        ("Le Chat is pitched as an alternative to the Silicon Valley assistants.", "en"),
    ],
)
def test_choosing_a_european_product_over_an_american_one_is_sovereignty(sentence, language):
    tags = {t.topic_id: t for t in tag_topics(None, sentence, len(sentence), language=language)}
    assert "sovereignty" in tags
    assert len(tags["sovereignty"].evidence) >= 2  # both words of the pair explain the tag


def test_an_alternative_to_chatgpt_alone_is_a_comparison_not_sovereignty():
    # Only an American adjective or Silicon Valley pairs with "alternative"; a product named
    # beside it is a product compared (competition's business).
    text = "Mistral AI présente Le Chat comme une alternative crédible à ChatGPT."
    assert "sovereignty" not in _ids_in(text, "fr")


def test_ethics_named_as_a_value_is_not_a_legal_or_ethics_story():
    values = "Mistral AI défend une intelligence artificielle européenne, éthique et transparente."
    assert "legal_ethics" not in _ids_in(values, "fr")
    aside = "The report also covers the ethical pitfalls of generative AI for Mistral AI."
    assert "legal_ethics" not in _ids_in(aside, "en")
    complaint = "Un avocat dénonce l'éthique de Mistral AI dans une plainte déposée à la CNIL."
    assert "legal_ethics" in _ids_in(complaint, "fr")


_INTERVIEW = (
    "Arthur Mensch, cofondateur de Mistral AI, était l'invité du journal de 20 heures mardi. "
    "Interrogé sur la rentrée, Arthur Mensch a répondu à toutes les questions. "
    "Pour Mensch, la France doit rester attractive."
)


def test_a_founder_who_is_the_subject_makes_people_without_people_words():
    tags = {t.topic_id: t for t in tag_topics(None, _INTERVIEW, 80, language="fr")}
    assert "people" in tags
    assert [e.term for e in tags["people"].evidence] == ["Arthur Mensch", "Arthur Mensch", "Mensch"]
    assert tags["people"].evidence[0].field == "lead"


def test_the_subject_person_needs_the_title_or_first_sentence():
    late = "Mistral AI a publié ses résultats annuels. " + _INTERVIEW
    assert "people" not in _ids_in(late, "fr")
    titled = "Mistral AI a publié ses résultats. " + _INTERVIEW
    ids = {t.topic_id for t in tag_topics("Arthur Mensch, l'entretien", titled, 40, language="fr")}
    assert "people" in ids


def test_founders_in_a_list_are_background_not_a_subject():
    text = (
        "Mistral AI a été fondée par Arthur Mensch, Guillaume Lample et Timothée Lacroix en "
        "2023. Arthur Mensch, Guillaume Lample et Timothée Lacroix viennent de Meta et de "
        "DeepMind. La start-up a levé des fonds."
    )
    assert "people" not in _ids_in(text, "fr")


def test_a_ceo_named_only_to_attribute_quotes_is_not_the_subject():
    text = (
        "Mistral va construire un centre de données, a annoncé son patron Arthur Mensch. "
        "« C'est une étape », a ajouté Arthur Mensch. "
        "« Nous voulons maîtriser la chaîne », a souligné Arthur Mensch."
    )
    assert "people" not in _ids_in(text, "fr")


def test_subject_names_are_loaded_and_must_be_strings():
    people = load_taxonomy().get("people")
    assert "Arthur Mensch" in people.subject_names
    bad = _minimal().replace(
        'id = "people"\nlabel_fr = "x"\nlabel_en = "x"\nterms_fr = ["x"]',
        'id = "people"\nlabel_fr = "x"\nlabel_en = "x"\nterms_fr = ["x"]\nsubject_names = [3]',
    )
    with pytest.raises(TaxonomyError, match="subject_names"):
        parse_taxonomy(bad)


# Taxonomy 2026.11.9: product names (a text rich in Mistral's products), regulation of AI as a
# family of phrases, America's / Silicon Valley beside "alternative" in both languages, source
# code and downloads for open_source, the founding sentence as background for people. Sentences
# written for these tests in the register of the press.


def _tagged(text: str, language: str) -> dict[str, float]:
    """Topic -> score, with the first sentence as the lead (the rest is body)."""
    lead_end = text.index(". ") + 1
    return {t.topic_id: t.score for t in tag_topics(None, text, lead_end, language=language)}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Le Chat de Mistral AI cite désormais les dépêches de l'AFP. Les réponses de Le Chat "
            "renvoient vers les articles de l'agence. Selon Mistral AI, Le Chat reste disponible "
            "gratuitement.",
            "fr",
        ),
        (
            "Magistral is Mistral AI's answer to reasoning questions. Magistral works step by "
            "step in eight languages. Developers can try Magistral in preview through the API.",
            "en",
        ),
    ],
)
def test_a_product_named_first_and_three_times_with_one_product_word_is_product_news(
    text, language
):
    # One product word ("disponible", "preview") in the whole text: below the threshold alone.
    tags = {t.topic_id: t for t in tag_topics(None, text, text.index(". ") + 1, language=language)}
    assert "product_model" in tags
    assert tags["product_model"].score == pytest.approx(0.5, abs=0.11)
    terms = [e.term for e in tags["product_model"].evidence]
    assert terms.count("Le Chat" if language == "fr" else "Magistral") == 3


def test_a_product_named_twice_is_not_enough():
    text = (
        "Magistral is Mistral AI's answer to reasoning questions. Developers can try Magistral "
        "in preview through the API."
    )
    assert "product_model" not in _tagged(text, "en")


def test_a_product_named_three_times_without_a_product_word_is_not_product_news():
    # A complaint about Le Chat names it again and again; no word says launch or release.
    text = (
        "Le Chat de Mistral AI fait l'objet d'une plainte à la CNIL. Le Chat conserverait les "
        "conversations. Les utilisateurs de Le Chat ne peuvent pas refuser."
    )
    tags = _tagged(text, "fr")
    assert "product_model" not in tags
    assert "legal_ethics" in tags


def test_a_text_rich_in_product_names_needs_only_the_names_threshold():
    # "new version" beside Le Chat supports the topic at 0.6, under product_model's 0.7; three
    # product names make the text product matter.
    text = (
        "Mistral AI signed a deal with a bank this week. The bank's staff will use Le Chat, "
        "Mistral Large and Codestral. The new version of Le Chat adds a memory feature."
    )
    assert _tagged(text, "en")["product_model"] == pytest.approx(0.6)
    fewer = text.replace("Le Chat, Mistral Large and Codestral", "an assistant")
    assert "product_model" not in _tagged(fewer, "en")


def test_product_names_are_case_sensitive_whole_words():
    # "le chat" the animal, three times, is no product.
    text = (
        "Mistral AI présente un nouveau modèle. Le chat de la rédaction dort. On a vu le chat "
        "sur le bureau, puis le chat est parti."
    )
    assert "product_model" not in _tagged(text, "fr")


def test_names_and_names_threshold_are_loaded_and_checked():
    product = load_taxonomy().get("product_model")
    assert "Magistral" in product.names and "Le Chat" in product.names
    assert product.names_threshold == 0.5
    base = 'id = "product_model"\nlabel_fr = "x"\nlabel_en = "x"\nterms_fr = ["x"]'
    for extra, message in (
        ("\nnames_threshold = 0.5", "needs a names list"),
        ('\nnames = ["X"]\nnames_threshold = 2', "names_threshold must be in"),
        ("\nnames = [3]", "names"),
    ):
        with pytest.raises(TaxonomyError, match=message):
            parse_taxonomy(_minimal().replace(base, base + extra))


@pytest.mark.parametrize(
    ("topic", "sentence", "language"),
    [
        (
            "regulation_policy",
            "Mistral AI warns that excessive regulation would stifle European start-ups.",
            "en",
        ),
        (
            "regulation_policy",
            "Arthur Mensch plaide pour un cadre réglementaire plus léger pour Mistral AI.",
            "fr",
        ),
        (
            "regulation_policy",
            "Mistral AI illustre la politique numérique de la France et le plan France 2030.",
            "fr",
        ),
        (
            "sovereignty",
            "Mistral has positioned itself as an alternative to America's larger tech giants.",
            "en",
        ),
        (
            "sovereignty",
            "L'Europe veut une alternative viable aux entreprises de la Silicon Valley comme "
            "Mistral AI.",
            "fr",
        ),
        (
            "product_model",
            "Mistral AI says its products, such as the chatbot Le Chat, are now available in a "
            "dozen languages.",
            "en",
        ),
        (
            "product_model",
            "Mistral AI affirme que ses produits, comme l'assistant Le Chat, sont disponibles "
            "dans une dizaine de langues.",
            "fr",
        ),
        ("open_source", "Mistral AI says the source code is downloadable by anyone.", "en"),
        (
            "open_source",
            "Mistral AI publie ses modèles en open source et leur code source est téléchargeable.",
            "fr",
        ),
    ],
)
def test_new_vocabulary_families_of_2026_11_9_fire(topic, sentence, language):
    assert topic in _ids_in(sentence, language)


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        (
            "Mistral AI was co-founded by Arthur Mensch, a former researcher at Google DeepMind, "
            "with Timothée Lacroix and Guillaume Lample, who left Meta.",
            "en",
        ),
        (
            "Arthur Mensch a fondé la start-up avec Timothée Lacroix et Guillaume Lample, qui ont "
            "tous deux récemment quitté Meta.",
            "fr",
        ),
    ],
)
def test_the_founding_sentence_is_background_not_people(sentence, language):
    assert "people" not in _ids_in(sentence, language)
    # The same background words outside a founding sentence still make a profile.
    profile = "Arthur Mensch, a former researcher at Google DeepMind, grew up near Paris."
    assert "people" in _ids_in(profile, "en")


# Taxonomy 2026.11.10, code relevance-9: background clauses, model specifications, weak sentences.


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "Fondée en 2023 par Arthur Mensch, Mistral AI signe un accord.",
            ["Fondée en 2023 par Arthur Mensch"],
        ),
        (
            "Mistral, valorisé 11,7 milliards après son tour de série C, rachète Koyeb.",
            ["après son tour de série C"],
        ),
        ("La start-up, créée il y a deux ans, lance un modèle.", ["créée il y a deux ans"]),
        ("Founded in 2023, Mistral AI has signed a deal.", ["Founded in 2023"]),
        (
            "After raising €600m last year, the company signs a deal.",
            ["After raising €600m last year"],
        ),
        ("Since its launch in 2023; Mistral AI grew.", ["Since its launch in 2023"]),
        # A present tense is news, not background.
        ("Mistral AI crée en Essonne son premier centre de données.", []),
    ],
)
def test_background_clauses_run_from_their_opener_to_the_next_comma(text, clauses):
    assert [text[start:end] for start, end in background_spans(text)] == clauses


@pytest.mark.parametrize(
    ("recalled", "reported", "language"),
    [
        (
            "Après son tour de série C de 1,7 milliard d'euros, Mistral AI rachète la start-up "
            "Koyeb.",
            "Mistral AI boucle un tour de série C de 1,7 milliard d'euros et rachète la start-up "
            "Koyeb.",
            "fr",
        ),
        (
            "Créée en 2023 grâce à une levée de fonds record, Mistral AI ouvre un bureau à "
            "Singapour.",
            "Mistral AI annonce une levée de fonds record et ouvre un bureau à Singapour.",
            "fr",
        ),
        (
            "After raising $600 million in a Series B round last year, Mistral AI signed a deal "
            "with Helsing.",
            "Mistral AI raised $600 million in a Series B round and signed a deal with Helsing.",
            "en",
        ),
        (
            "Founded in 2023 after a record seed round, Mistral AI opens an office in Singapore.",
            "Mistral AI closed a record seed round and opens an office in Singapore.",
            "en",
        ),
    ],
)
def test_a_round_recalled_in_a_background_clause_is_not_a_funding_story(
    recalled, reported, language
):
    assert "funding" not in _ids_in(recalled, language)
    assert "funding" in _ids_in(reported, language)


def test_the_main_clause_after_a_background_clause_still_counts():
    text = "After raising $600 million last year, Mistral AI signed a deal with Helsing."
    assert "partnership" in _ids_in(text, "en")


@pytest.mark.parametrize(
    ("spec", "language"),
    [
        (
            "Entraîné sur 3 000 GPU Nvidia H200, Mistral Large 3 totalise 675 milliards de "
            "paramètres.",
            "fr",
        ),
        ("Devstral 2 is sized for a single high-end GPU or a multi-GPU cluster of H100s.", "en"),
    ],
)
def test_gpus_in_a_model_specification_are_not_an_infrastructure_story(spec, language):
    assert "compute_infrastructure" not in _ids_in(spec, language)


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Mistral AI installe 18 000 GPU Nvidia dans son centre de données de l'Essonne.", "fr"),
        (
            "Mistral AI will deploy 18,000 Nvidia GPU systems in its new data center in Sweden.",
            "en",
        ),
    ],
)
def test_gpus_in_a_data_centre_are_still_an_infrastructure_story(sentence, language):
    assert "compute_infrastructure" in _ids_in(sentence, language)


def test_a_weak_sentence_counts_at_the_weak_sentence_factor():
    hit = Hit("funding", "investor", "body", 0, 8, ("body", 1), False, 1.0)
    for factor in (0.6, 0.75):
        result = score_topic([hit], TaggingSettings(weak_sentence_factor=factor), lambda _k: True)
        assert result.score == pytest.approx(factor / (factor + 2.0))
        assert not result.supported
    assert TaggingSettings().weak_sentence_factor == 0.6
    assert TaggingSettings().background_factor == 0.25


@pytest.mark.parametrize(
    ("unopposed", "opposed", "language"),
    [
        (
            "Dans un contexte de forte concurrence mondiale sur l'IA, la pépite française Mistral "
            "AI annonce la construction de son premier centre de données.",
            "Face à la concurrence d'OpenAI, la pépite française Mistral AI annonce la "
            "construction de son premier centre de données.",
            "fr",
        ),
        (
            "In a market dominated by the race for parameters, Mistral AI proposes a radically "
            "different approach to its rivals.",
            "In a market dominated by the race for parameters, Mistral AI proposes a radically "
            "different approach to its rivals such as OpenAI.",
            "en",
        ),
    ],
)
def test_competition_needs_a_counterpart_named_in_the_text(unopposed, opposed, language):
    assert "competition" not in _ids_in(unopposed, language)
    assert "competition" in _ids_in(opposed, language)


def test_a_counterpart_in_the_title_is_enough():
    text = (
        "In a market dominated by the race for parameters, Mistral AI proposes a radically "
        "different approach to its rivals."
    )
    titled = tag_topics("Mistral takes on the American giants", text, len(text), language="en")
    assert "competition" in {t.topic_id for t in titled}


def test_counterparts_are_loaded_and_checked():
    competition = load_taxonomy().get("competition")
    assert "OpenAI" in competition.counterparts and "géants" in competition.counterparts
    base = 'id = "competition"\nlabel_fr = "x"\nlabel_en = "x"\nterms_fr = ["x"]'
    with pytest.raises(TaxonomyError, match="counterparts"):
        parse_taxonomy(_minimal().replace(base, base + "\ncounterparts = [1]"))
    loaded = parse_taxonomy(_minimal().replace(base, base + '\ncounterparts = ["Rival"]'))
    assert loaded.get("competition").counterparts == ("Rival",)


_PLAIN_OPENER = re.compile(
    r"\b(?:(?:co-?)?fond[ée]e?s?|créée?s?)\s+(?:en|par|il y a)\b"
    r"|\b(?:co-?founded|founded|created|launched)\s+(?:in|by)\b"
    r"|\bdepuis sa (?:création|fondation)\b"
    r"|\bsince its (?:founding|launch|creation|inception)\b"
    r"|\baprès (?:son|sa|ses|avoir)\b"
    r"|\bafter (?:its|their|raising|having)\b"
    r"|\bprécédemment\b|\bpreviously\b",
    re.IGNORECASE,
)


def _plain_background_spans(text: str) -> list[tuple[int, int]]:
    """The background clauses found the plain way (one case-insensitive regex with \\b)."""
    spans: list[tuple[int, int]] = []
    for opener in _PLAIN_OPENER.finditer(text):
        found = re.compile(r"[,;:.!?\n—–]").search(text, opener.end())
        start, end = opener.start(), found.start() if found else len(text)
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


_PIECES = [
    "Fondée", "fondé", "CoFondée", "co-fondés", "créée", "Créés", "en", "par", "il y a", "deux",
    "Founded", "co-founded", "created", "launched", "in", "by", "after", "After", "its", "raising",
    "having", "après", "Après", "son", "sa", "ses", "avoir", "depuis sa", "création", "since its",
    "launch", "précédemment", "Previously", "refounded", "x", "İ", "2023", ",", ".", ";", " — ",
    "\n", "Mistral AI", "lève", "raised",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from([" ", "", "  "]))
def test_background_spans_match_the_plain_case_insensitive_search(pieces, joiner):
    text = joiner.join(pieces)
    assert background_spans(text) == _plain_background_spans(text)
