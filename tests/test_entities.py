"""Entity mentions: what a user can filter on ("articles mentioning Microsoft and Mistral AI")."""

from monitor.relevance import judge_article


def _entities(text: str, title: str | None = None) -> dict[str, tuple[str, int]]:
    return {e.name: (e.kind, e.count) for e in judge_article(text, title).entities}


def test_people_organisations_and_products_are_counted():
    text = (
        "Mistral AI a signé un accord avec Microsoft. Arthur Mensch, cofondateur de Mistral AI, "
        "présente Mistral Large sur Azure. Microsoft prend une participation minoritaire."
    )
    found = _entities(text, "Microsoft investit dans Mistral AI")
    assert found["Mistral AI"] == ("organisation", 3)
    assert found["Microsoft"] == ("organisation", 3)
    assert found["Arthur Mensch"] == ("person", 1)
    assert found["Mistral Large"] == ("product", 1)
    assert found["Microsoft Azure"] == ("product", 1)


def test_bare_mistral_in_an_ai_article_counts_as_mistral_ai():
    text = "Mistral AI lance Le Chat. Mistral espère concurrencer ChatGPT."
    found = _entities(text)
    assert found["Mistral AI"][1] == 2
    assert found["Le Chat"] == ("product", 1)


def test_ambiguous_names_need_an_ai_context():
    text = "Le Chat de Philippe Geluck fête ses quarante ans au musée de Bruxelles."
    judgement = judge_article(text)
    assert judgement.relevance == "none"
    assert judgement.entities == ()


def test_no_entities_for_other_mistrals():
    text = "Le missile Mistral de MBDA équipe les hélicoptères Tigre de l'armée française."
    assert judge_article(text).entities == ()


def test_entities_sorted_by_count():
    text = "OpenAI et Mistral AI. OpenAI encore, OpenAI toujours, face à Mistral AI."
    names = [e.name for e in judge_article(text, "OpenAI contre Mistral AI").entities]
    assert names[0] == "OpenAI"
