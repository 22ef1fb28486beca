"""Cleaning raw scrapes: for each raw seed, the lines kept and the lines dropped, with why.

A person reading these lists should agree with every line. Dropped lines are given by their
first 60 characters, kept lines (paragraphs of the article, in order) by their first 50.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.cleaning import clean_scrape
from monitor.seedformat import read_seed
from tests.conftest import SEEDS

FOOTER = "footer (subscription, newsletter, sharing or comment policy)"
TITLE = "title (kept as the article's title)"

# 000_8026e440585365f5.txt
DROPPED_000 = [
    ("IA : Mistral, le magicien français qui atteint l'excellence ", TITLE),
    ("Atlantico, c'est qui, c'est quoi ?", "site navigation"),
    ("Newsletter", "site navigation"),
    ("Décryptages", "site navigation"),
    ("Pépites", "site navigation"),
    ("Dossiers", "site navigation"),
    ("Rendez-vous", "site navigation"),
    ("Atlantico-Light", "site navigation"),
    ("Vidéos", "site navigation"),
    ("Podcasts", "site navigation"),
    ("High-tech", "site navigation"),
    ("Arthur Mensch, l'un des fondateurs de Mistral.", "image caption (repeated line)"),
    ("Arthur Mensch, l'un des fondateurs de Mistral.", "image caption (repeated line)"),
    ("©TOBY MELVILLE / POOL / AFP", "image credit"),
    ("Prodigieux", "kicker or section label"),
    ("Rémi Bourgeot", "byline"),
    ("Rémi Bourgeot", "byline"),
    ("Rémi Bourgeot est économiste et chercheur associé à l’IRIS. ", "author biography"),
    ("Il a poursuivi une carrière d’économiste de marché dans le s", "author biography"),
    ("Il est ingénieur de l’Institut supérieur de l’aéronautique e", "author biography"),
    ("Voir la bio »", "author biography"),
    ("En raison de débordements, nous avons fait le choix de suspe", FOOTER),
    ("Mais n'hésitez pas à partager cet article avec vos proches p", FOOTER),
]
KEPT_000 = [
    "L’un des champions français de l'intelligence arti",
    "Atlantico : L’un des champions français de l'intel",
    "Rémi\xa0Bourgeot\xa0:\xa0Mistral AI est parvenu en quelques",
    "Là où le bât blesse, c’est que Mistral, après s’êt",
    "De même, l’accord de Mistral avec Microsoft entéri",
    "Cet accord est-il encourageant pour le succès des ",
    "Le succès de Mistral confirme l’opportunité d’une ",
    "Dans un pays aussi désindustrialisé, où l’ingénieu",
    "Alors que la réglementation européenne, avec le Di",
    "L’AI Act répond à un besoin évident de réglementat",
    "A l’opposé, sur le plan technique, ses succès appo",
    "Mistral a milité fermement, à la fin de l’année pa",
]

# 001_76b5440ce6d7ba29.txt
DROPPED_001 = [
    ("logo_blanc", "site navigation"),
    ("Rechercher", "site navigation"),
    ("Le succès de Mistral AI exaspère l’UE !", TITLE),
    ("MistralAIGlowing particle data flowing in the network on a d", "image caption"),
    ("Une contribution d’Eric Braune – Professeur associé – Omnes ", "byline"),
    ("À lire également : Intelligence artificielle, la ressource d", "read-also link"),
    ("Vous avez aimé cet article ? Likez Forbes sur Facebook", FOOTER),
    ("Newsletter quotidienne Forbes", FOOTER),
    ("Recevez chaque matin l’essentiel de l’actualité business et ", FOOTER),
    ("Abonnez-vous au magazine papier", FOOTER),
    ("et découvrez chaque trimestre :", FOOTER),
    ("1 an, 4 numéros : 30 € TTC\xa0au lieu de 36 € TTC", FOOTER),
]
KEPT_001 = [
    "L’annonce de la distribution de Mistral Large sur ",
    "Un bref rappel des faits",
    "Mistral AI a signé la semaine dernière un accord d",
    "Un accord avantageux pour MistralAI",
    "Microsoft Azure est aujourd’hui la deuxième platef",
    "La constitution d’écosystèmes montre la modificati",
    "Un champion européen de l’IA ?",
    "Mistral AI est aujourd’hui valorisée 2 milliards d",
    "Il faut maintenant se demander ce que signifie un ",
    "L’IA est une technologie disruptive qui portera la",
    "Depuis le succès du premier système d’exploitation",
    "[1] https://www.observatoiredeleurope.com/furieux-",
    "[2] https://www.forbes.fr/business/mistral-ai-leve",
    "[3] https://www.lesechos.fr/start-up/ecosysteme/le",
    "[4] https://www.lemondeinformatique.fr/actualites/",
]

# 002_6b4218afc371dc96.txt
DROPPED_002 = [
    ("Tech & Transformations", "page furniture before the headline"),
    ("CROISSANCE", "page furniture before the headline"),
    ("Mistral AI : les défis qui attendent le prodige français", TITLE),
    ("PAR ANNE CAGAN", "byline"),
    (
        "A la tête de Mistral AI, Guillaume Lample, Timothée Lacroix ",
        "image caption (inside a paragraph cut by the layout)",
    ),
]
KEPT_002 = [
    "La star de l'intelligence artificielle tricolore s",
    "Bourde de stagiaire ? Hacker ? Le mois dernier, la",
    "Un vrai strike. Qui ne doit pas faire oublier les ",
    "modèle caracole en tête des comparatifs, a un part",
    "Mistral AI doit aussi trouver une viabilité économ",
    "qu'elle peut poser. Sur le plan financier, c'est p",
    "Dernière inconnue pour la start-up française : l'i",
    "Pour relever ses défis, Mistral AI peut cependant ",
]


CASES = {
    "000_8026e440585365f5.txt": (DROPPED_000, KEPT_000),
    "001_76b5440ce6d7ba29.txt": (DROPPED_001, KEPT_001),
    "002_6b4218afc371dc96.txt": (DROPPED_002, KEPT_002),
}
RECOVERED = {
    "000_8026e440585365f5.txt": (
        "IA : Mistral, le magicien français qui atteint l'excellence malgré des moyens beaucoup "
        "plus limités que ses concurrents",
        "Atlantico.fr",
        ("Rémi Bourgeot",),
    ),
    "001_76b5440ce6d7ba29.txt": (
        "Le succès de Mistral AI exaspère l’UE !",
        "Forbes",
        ("Eric Braune",),
    ),
    "002_6b4218afc371dc96.txt": (
        "Mistral AI : les défis qui attendent le prodige français",
        None,
        ("Anne Cagan",),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_raw_seed_lines_kept_and_dropped(name: str) -> None:
    cleaned = clean_scrape(read_seed(SEEDS / name).body)
    dropped, kept = CASES[name]
    assert [(line[:60], reason) for line, reason in cleaned.dropped] == dropped
    assert [line[:50] for line in cleaned.kept] == kept
    assert (cleaned.title, cleaned.site_name, cleaned.authors) == RECOVERED[name]


def test_paragraph_cut_by_a_caption_is_rejoined() -> None:
    cleaned = clean_scrape(read_seed(SEEDS / "002_6b4218afc371dc96.txt").body)
    assert "Et bien sûr le leader OpenAI, dont le dernier modèle caracole en tête" in cleaned.text
    assert "et les risques qu'elle peut poser." in cleaned.text
    assert "Bourde de stagiaire ?" in cleaned.text and "**" not in cleaned.text


@pytest.mark.parametrize("name", ["003_a2f0a24b22965ef1.txt", "004_5f9aaa8fe0df4825.txt"])
def test_clean_seeds_pass_through_unchanged(name: str) -> None:
    seed = read_seed(SEEDS / name)
    cleaned = clean_scrape(seed.body)
    assert cleaned.text == seed.body
    assert not cleaned.dropped


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç", min_size=1, max_size=10)
_sentence = st.lists(_word, min_size=1, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)
_noisy_line = st.sampled_from(
    [
        "Newsletter",
        "Abonnez-vous à notre offre",
        "PAR JEAN DUPONT",
        "© AFP",
        "## Économie",
        "&amp;",
        "",
    ]
)


@given(st.lists(st.one_of(_paragraph, _noisy_line), min_size=1, max_size=12))
def test_cleaning_is_idempotent(parts: list[str]) -> None:
    once = clean_scrape("\n\n".join(parts)).text
    assert clean_scrape(once).text == once
