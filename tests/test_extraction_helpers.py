"""The extraction helpers one by one: decoding, normalisation, boilerplate, dates, titles,
authors, URLs, structured data, scoring."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import document_fromstring

from monitor.extraction import extract_page
from monitor.extraction.authors import (
    clean_author,
    clean_authors,
    credited_as_editor,
    split_byline,
)
from monitor.extraction.body import add_standfirst, drop_title_lines, reconcile_with_article_body
from monitor.extraction.boilerplate import is_boilerplate_line
from monitor.extraction.bylines import byline_groups, bylines_from_html
from monitor.extraction.credits import is_agency, is_newsroom, names_outlet, outlet_keys
from monitor.extraction.dates import date_from_url, parse_date
from monitor.extraction.decoding import decode_html, normalise_encoding_name
from monitor.extraction.evaluation import score_body, summarise_body
from monitor.extraction.headlines import visible_headline
from monitor.extraction.normalise import join_paragraphs, normalise_inline, split_paragraphs
from monitor.extraction.settings import ExtractionSettings
from monitor.extraction.structured import microdata_published, read_page_metadata
from monitor.extraction.titles import strip_site_suffix
from monitor.extraction.urls import choose_canonical_url, trivially_normalise

# --- decoding ---


def test_latin1_is_read_as_windows_1252() -> None:
    assert normalise_encoding_name("ISO-8859-1") == "cp1252"
    text, _ = decode_html("<meta charset='iso-8859-1'><p>“Déjà” 5 €</p>".encode("cp1252"))
    assert "“Déjà” 5 €" in text


def test_undeclared_windows_1252_is_detected() -> None:
    html = "<html><body><p>" + "L'été dernier, la société a présenté ses modèles. " * 20
    text, _ = decode_html((html + "</p></body></html>").encode("cp1252"))
    assert "L'été dernier, la société a présenté" in text


def test_unknown_charset_declaration_is_ignored() -> None:
    text, encoding = decode_html("<meta charset='x-nonsense'><p>é</p>".encode())
    assert encoding == "utf-8" and "é" in text


# --- normalisation ---


def test_normalise_inline_folds_typographic_spaces_and_nfc() -> None:
    assert (
        normalise_inline("Mistral\u00a0AI\u202f: e\u0301te\u0301  \u00adok ")
        == "Mistral AI : été ok"
    )


def test_paragraphs_joined_by_one_blank_line() -> None:
    assert join_paragraphs(split_paragraphs("a\r\n\r\n\r\nb\n  \nc ")) == "a\n\nb\n\nc"


@given(st.text())
def test_normalise_inline_is_idempotent(text: str) -> None:
    once = normalise_inline(text)
    assert normalise_inline(once) == once
    assert "\n" not in once and "  " not in once


@given(st.lists(st.text()))
def test_join_paragraphs_gives_seed_schema(paragraphs: list[str]) -> None:
    body = join_paragraphs(paragraphs)
    assert "\n\n\n" not in body
    assert not body.startswith("\n") and not body.endswith("\n")
    assert all(part.strip() == part and part for part in body.split("\n\n")) or body == ""


# --- boilerplate ---


@pytest.mark.parametrize(
    "line",
    [
        "Lire aussi : Les start-up de l'IA lèvent des fonds",
        "LIRE AUSSI",
        "À lire également",
        "Partager sur Facebook Twitter LinkedIn",
        "Facebook Twitter E-mail",
        "Inscrivez-vous à notre newsletter quotidienne",
        "Recevez notre newsletter économie",
        "Abonnez-vous pour lire la suite",
        "Cet article est réservé aux abonnés.",
        "Photo : Joel Saget / AFP",
        "STR/Getty Images",
        "© Reuters",
        "Read more: How Mistral AI raised its first round",
        "Externer Inhalt nicht verfügbar",
        "Publicité",
        "Le siège de l'entreprise à Paris. Photo : Joel Saget / AFP",
        "Copyright © AFP 2017-2026. Tous droits réservés.",
        "— Luke Pollard MP (@LukePollard) August 5, 2024",
        "Lesedauer: 4 Minuten",
        "05.08.2024, 20:59 Uhr",
        "02:57 Min.. Verfügbar bis 06.05.2024.",
        "Follow TechRadar on Google News and add us as a preferred source",
        "Wie hat Ihnen dieser Artikel gefallen?",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Mistral AI a lancé une newsletter technique pour les développeurs en 2024, a-t-il dit.",
        "Les abonnés de la plateforme pourront tester le modèle dès lundi.",
        "La photo de groupe a été prise devant le siège de l'entreprise à Paris.",
        "Il faut lire aussi les conditions d'utilisation, prévient l'avocat, car elles changent.",
        "Partager les poids du modèle est au cœur de la stratégie de l'entreprise.",
        "Le 05.08.2024, l'entreprise a publié son modèle sous licence ouverte.",
        "Suivez l'argent : Mistral AI a levé 600 millions auprès d'investisseurs.",
        "Copyright law is at the heart of the lawsuit against the AI companies, lawyers say.",
    ],
)
def test_article_sentences_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)


# --- dates ---


@pytest.mark.parametrize(
    ("raw", "value", "precision"),
    [
        ("2024-02-26T09:30:00+01:00", "2024-02-26T09:30:00+01:00", "datetime"),
        ("2024-02-26T08:30:00.123Z", "2024-02-26T08:30:00+00:00", "datetime"),
        ("2024-02-26 09:30:00+0100", "2024-02-26T09:30:00+01:00", "datetime"),
        ("2024-02-26T09:30:00", "2024-02-26", "day"),
        ("2024-02-26", "2024-02-26", "day"),
        ("20240226", "2024-02-26", "day"),
        ("Mon, 26 Feb 2024 09:30:00 +0100", "2024-02-26T09:30:00+01:00", "datetime"),
    ],
)
def test_parse_date_keeps_offset_and_precision(raw: str, value: str, precision: str) -> None:
    parsed = parse_date(raw, "meta")
    assert parsed is not None and (parsed.value, parsed.precision) == (value, precision)


@pytest.mark.parametrize("raw", ["", "soon", "2024-13-45", "0001-01-01", "2999-01-01", None, 12])
def test_parse_date_rejects_nonsense(raw: object) -> None:
    assert parse_date(raw, "meta") is None


def test_date_from_url() -> None:
    day = date_from_url("https://www.lemonde.fr/article/2023/08/30/titre_1.html")
    assert day is not None and (day.value, day.precision, day.source) == (
        "2023-08-30",
        "day",
        "url",
    )
    month = date_from_url("https://example.org/2023/08/titre")
    assert month is not None and month.precision == "month"
    assert date_from_url("https://example.org/article-12345") is None


# --- titles ---


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Mistral AI lève 600 millions | Le Monde", "Mistral AI lève 600 millions"),
        ("Mistral AI lève 600 millions - Le Monde.fr", "Mistral AI lève 600 millions"),
        ("Le Monde – Mistral AI lève 600 millions", "Mistral AI lève 600 millions"),
        ("Mistral AI - the French challenger", "Mistral AI - the French challenger"),
        ("Guerre en Ukraine : deux morts", "Guerre en Ukraine : deux morts"),
    ],
)
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title, ("Le Monde",), "www.lemonde.fr") == expected


# --- authors ---


def test_clean_author_drops_bylines_and_roles() -> None:
    assert clean_author("Par Claire Dupont") == "Claire Dupont"
    assert clean_author("Propos recueillis par Jean Martin") == "Jean Martin"
    assert clean_author("By Jane Doe, Staff Writer") == "Jane Doe"
    assert clean_author("Elena Oberholzer (obe)") == "Elena Oberholzer"
    assert clean_author("https://www.example.org/authors/jane") is None


def test_split_byline_and_outlets_kept_apart() -> None:
    names = split_byline("Par Claire Dupont et Jean Martin")
    assert clean_authors(names) == ("Claire Dupont", "Jean Martin")
    assert clean_authors(["Le Monde", "Claire Dupont"], site_names=["Le Monde"]) == (
        "Claire Dupont",
    )
    assert split_byline("https://www.stern.de/capital") == []


# --- URLs ---


def test_trivial_normalisation() -> None:
    assert trivially_normalise("HTTPS://WWW.Example.org#x") == "https://www.example.org/"
    assert trivially_normalise("/a/b?c=1#frag", "https://ex.org/z") == "https://ex.org/a/b?c=1"
    assert trivially_normalise("javascript:void(0)") is None


def test_canonical_url_must_share_registered_domain() -> None:
    fetched = "https://amp.lemonde.fr/a?utm=1"
    assert choose_canonical_url(fetched, ["https://www.lemonde.fr/a"]) == "https://www.lemonde.fr/a"
    assert choose_canonical_url(fetched, ["https://other.fr/a"]) == "https://amp.lemonde.fr/a?utm=1"
    assert choose_canonical_url(None, ["https://www.lemonde.fr/a"]) == "https://www.lemonde.fr/a"


# --- structured data ---


def test_jsonld_graph_author_references_are_resolved() -> None:
    html = """<html><head><script type="application/ld+json">
    {"@context":"https://schema.org","@graph":[
      {"@type":"Person","@id":"https://ex.org/#p1","name":"Mohloai Mpesi"},
      {"@type":"NewsArticle","headline":"A &amp; B","datePublished":"2025-05-14T20:57:43+00:00",
       "author":{"@id":"https://ex.org/#p1"},"publisher":{"@id":"https://ex.org/#org"}},
      {"@type":"Organization","@id":"https://ex.org/#org","name":"Lesotho Times"}]}
    </script></head><body><p>x</p></body></html>"""
    page = read_page_metadata(document_fromstring(html))
    assert page.jsonld is not None
    assert page.jsonld.headline == "A & B"
    assert [a.name for a in page.jsonld.authors] == ["Mohloai Mpesi"]
    assert page.jsonld.publisher == "Lesotho Times"


def test_broken_jsonld_is_skipped() -> None:
    html = (
        "<html><head><script type='application/ld+json'>{nope</script></head><body></body></html>"
    )
    assert read_page_metadata(document_fromstring(html)).jsonld is None


# --- scoring ---


def test_body_scoring_follows_the_data_readme() -> None:
    perfect = score_body("one two three four five", "one two three four five")
    assert (perfect.precision, perfect.recall) == (1.0, 1.0)
    empty = score_body("", "one two three four five")
    assert empty.precision is None and empty.recall == 0.0
    summary = summarise_body([perfect, empty])
    assert summary.precision == 1.0 and summary.recall == 0.5


# --- never raises ---


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=4096))
def test_extract_page_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    result = extract_page(data, "https://example.org/x")
    assert (result.draft is None) == (result.error is not None)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=2000))
def test_extract_page_never_raises_on_arbitrary_markup(text: str) -> None:
    html = f"<html><body><article><p>{text}</p></article></body></html>".encode(
        "utf-8", "surrogatepass"
    )
    result = extract_page(html, "https://example.org/x")
    assert (result.draft is None) == (result.error is not None)


# --- body assembly ---


ARTICLE = [
    "Mistral AI a présenté mardi un nouveau modèle de langage destiné aux entreprises.",
    "Le modèle sera disponible en Europe puis aux États-Unis au cours de l'été prochain.",
]


def test_complete_article_body_filters_furniture() -> None:
    extracted = [*ARTICLE, "Voir les commentaires des lecteurs"]
    kept = reconcile_with_article_body(extracted, " ".join(ARTICLE), ExtractionSettings())
    assert kept == ARTICLE


def test_teaser_article_body_is_not_trusted() -> None:
    kept = reconcile_with_article_body(ARTICLE, "Un nouveau modèle.", ExtractionSettings())
    assert kept == ARTICLE


def test_longer_article_body_replaces_a_truncated_extraction() -> None:
    more = [
        f"Paragraphe supplémentaire numéro {n} sur les projets de l'entreprise." for n in "abcd"
    ]
    declared = "\n".join([*ARTICLE, *more])
    kept = reconcile_with_article_body(ARTICLE[:1], declared, ExtractionSettings())
    assert kept == [*ARTICLE, *more]


def test_standfirst_is_added_when_visible_and_missing() -> None:
    lead = (
        "La start-up parisienne accélère face aux géants américains de l'intelligence artificielle."
    )
    visible = f"Accueil {lead} {' '.join(ARTICLE)}"
    assert add_standfirst(ARTICLE, lead, visible, ExtractionSettings()) == [lead, *ARTICLE]
    assert add_standfirst(ARTICLE, lead, "elsewhere", ExtractionSettings()) == ARTICLE
    assert add_standfirst(ARTICLE, lead[:70] + "…", visible, ExtractionSettings()) == ARTICLE


def test_title_lines_are_dropped_from_the_body() -> None:
    assert drop_title_lines(["Mistral AI lève 600 M€", *ARTICLE], ["Mistral AI lève 600 M€"]) == (
        ARTICLE
    )


def test_visible_headline_and_bylines() -> None:
    tree = document_fromstring(
        "<html><body><article><h1><span class='sr-only'>Article :</span>Le titre du jour</h1>"
        "<div class='byline'><span class='author-name'>Claire Dupont</span> 12 juin</div>"
        "</article></body></html>"
    )
    assert visible_headline(tree, 300) == "Le titre du jour"
    assert bylines_from_html(tree) == ["Claire Dupont"]


# --- credits: people, wire agencies and the newsroom ---


def test_agency_and_newsroom_credits() -> None:
    assert is_agency("AFP") and is_agency("Deutsche Presse-Agentur") and is_agency("dpa")
    assert not is_agency("Claire Dupont")
    assert is_newsroom("MM-Redaktion") and is_newsroom("Guardian staff") and is_newsroom("red")
    assert not is_newsroom("Claire Dupont") and not is_newsroom("Redmond O'Hanlon")


def test_outlet_by_initials_or_account_name() -> None:
    outlets = outlet_keys(["Legal Tribune Online", "Ilanga News"])
    assert names_outlet("LTO", outlets)
    assert names_outlet("Ilanga D", outlets)
    assert not names_outlet("Max Kolter", outlets)


def test_clean_authors_keeps_people_and_agencies_not_the_newsroom() -> None:
    raw = ["red", "Agenturen", "MM-Redaktion", "AFP", "Claire Dupont", "News"]
    assert clean_authors(raw, site_names=["Le Journal"]) == ("AFP", "Claire Dupont")
    # An agency is kept even on a site whose name contains it.
    assert clean_authors(["AFP"], site_names=["AFP Faktencheck"]) == ("AFP",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Quelle: sid", "sid"),
        ("Associated Press in Valencia", "Associated Press"),
        ("Jon Henley in Paris", "Jon Henley"),
        ("von", None),
        ("03:07 Min.", None),
        ("Veröffentlicht am 27.04.24 um 07:39 Uhr", None),
    ],
)
def test_clean_author_drops_sources_datelines_and_leftovers(raw: str, expected: str | None) -> None:
    assert clean_author(raw) == expected


def _paragraphs(n: int) -> str:
    return "".join(
        f"<p>Paragraphe {i} du texte, assez long pour compter comme texte.</p>" for i in range(n)
    )


def test_author_page_link_is_a_byline_and_index_links_are_not() -> None:
    tree = document_fromstring(
        "<html><body><nav><a href='/autoren/'>Autoren</a></nav><article>"
        "<p class='meta'>von <a href='/autoren/name/max-kolter'>Dr. Max Kolter</a></p>"
        f"{_paragraphs(4)}</article><aside><div><p><a href='/autoren/name/other-writer'>"
        "Other Writer</a></p></div></aside></body></html>"
    )
    assert bylines_from_html(tree) == ["Dr. Max Kolter"]


def test_bold_name_typed_into_the_text_is_a_byline() -> None:
    tree = document_fromstring(
        "<html><body><div class='content'><p>&nbsp;</p>"
        "<p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>"
        f"{_paragraphs(4)}</div></body></html>"
    )
    assert list(byline_groups(tree)) == [["Mathatisi Sebusi/Mohalenyane Phakela"]]
    assert clean_authors(split_byline("Mathatisi Sebusi/Mohalenyane Phakela")) == (
        "Mathatisi Sebusi",
        "Mohalenyane Phakela",
    )


def test_bold_subheading_in_the_middle_or_a_sentence_is_not_a_byline() -> None:
    tree = document_fromstring(
        "<html><body><div>"
        f"{_paragraphs(4)}<p><strong>What Happens Next</strong></p>{_paragraphs(4)}"
        "<p><strong>Lire aussi notre enquête.</strong></p></div></body></html>"
    )
    assert list(byline_groups(tree)) == []


def test_only_the_first_byline_counts_not_the_teasers_below() -> None:
    teasers = "".join(
        f"<li><div><span itemprop='author'>Teaser Writer {i}</span></div></li>" for i in range(5)
    )
    tree = document_fromstring(
        "<html><body><article><div class='meta'><p>"
        "<span itemprop='author'>Claire Dupont</span> et "
        "<span itemprop='author'>Jean Martin</span></p></div>"
        f"{_paragraphs(4)}</article><ul class='more'>{teasers}</ul></body></html>"
    )
    assert bylines_from_html(tree) == ["Claire Dupont", "Jean Martin"]


def test_labelled_author_in_a_facts_box() -> None:
    tree = document_fromstring(
        f"<html><body><div>{_paragraphs(4)}</div><ul class='smallList'>"
        "<li><strong>Datum</strong> 28.04.2023</li>"
        "<li> <strong>Autorin/Autor</strong> Roman Goncharenko </li></ul></body></html>"
    )
    assert bylines_from_html(tree) == ["Roman Goncharenko"]


def test_newsroom_abbreviation_only_on_its_own() -> None:
    assert is_newsroom("red.") and not is_newsroom("Red Smith")
    assert clean_authors(["Red Smith"]) == ("Red Smith",)


def test_bold_furniture_at_the_end_is_not_a_byline() -> None:
    tree = document_fromstring(
        f"<html><body><div>{_paragraphs(4)}<p><b>Read More</b></p></div></body></html>"
    )
    assert list(byline_groups(tree)) == []


def test_brand_marks_and_section_links_in_a_byline_are_not_names() -> None:
    tree = document_fromstring(
        "<html><body><article><div class='article_author_container'>"
        "<a class='article_category' href='/news/category/29/varia'>Varia</a></div>"
        "<div class='authors'><span class='authors__brand-identifier'>"
        "<span class='u-visually-hidden'>capital</span></span>"
        "<ul><li class='authors__list-item'>von Jemima Kelly</li></ul></div>"
        f"{_paragraphs(4)}</article></body></html>"
    )
    assert bylines_from_html(tree) == ["von Jemima Kelly"]


def test_labelled_credit_lines() -> None:
    chinese = document_fromstring(
        f"<html><body><div>{_paragraphs(4)}</div><div class='edit'>(责编：牛镛、岳弘彬)</div>"
        "</body></html>"
    )
    assert clean_authors(split_byline(bylines_from_html(chinese)[0])) == ("牛镛", "岳弘彬")
    von = document_fromstring(
        f"<html><body><div>{_paragraphs(4)}</div><ul><li>Von: <span><a href='/b'>Bill "
        "McCarthy</a>, </span><span><a href='/m'>Marisha Goldhamer</a></span></li></ul>"
        "</body></html>"
    )
    names = clean_authors(split_byline(bylines_from_html(von)[0]))
    assert names == ("Bill McCarthy", "Marisha Goldhamer")


def test_photo_credit_is_not_an_author() -> None:
    assert clean_author("Foto: Mads Claus Rasmussen") is None
    assert clean_author("Photo : Jane Doe") is None


def test_two_letter_outlet_is_matched_only_whole() -> None:
    outlets = outlet_keys(["BR24", "br"])
    assert names_outlet("BR", outlets)
    assert not names_outlet("Brigitte Bräu", outlets)


def test_breadcrumb_h1_is_not_the_displayed_headline() -> None:
    tree = document_fromstring(
        "<html><body><ul class='breadcrumb'><li class='breadcrumb__item'>"
        "<h1 class='breadcrumb__headline'>SEO title of the page</h1></li></ul>"
        "<h2><span class='kicker'>Meinung</span> The headline readers see</h2></body></html>"
    )
    assert visible_headline(tree, 300) is None


def test_microdata_published_reads_time_and_content_attributes() -> None:
    timed = document_fromstring(
        "<html><body><time itemprop='datePublished' datetime='2023-08-30T16:45+0100'>"
        "30 Aug</time><time itemprop='datePublished' datetime='2020-01-01'>x</time></body></html>"
    )
    assert microdata_published(timed) == "2023-08-30T16:45+0100"
    spanned = document_fromstring(
        "<html><body><span itemprop='datePublished' content=' 2024-01-02 '>2 Jan</span>"
        "</body></html>"
    )
    assert microdata_published(spanned) == "2024-01-02"
    assert microdata_published(document_fromstring("<html><body><p>x</p></body></html>")) is None


def test_name_beside_the_date_under_the_headline_is_a_byline() -> None:
    tree = document_fromstring(
        "<html><body><div class='spot'><h1>Şarj istasyonu sayısı 11 bini aştı</h1>"
        "<h4>Bakan açıkladı.</h4><div class='row'><span>Sehernur Karsu &nbsp;|</span>"
        f"<span class='tarih'>05.04.2025 - Güncelleme : 05.04.2025</span></div></div>"
        f"<div>{_paragraphs(4)}</div></body></html>"
    )
    assert list(byline_groups(tree)) == [["Sehernur Karsu"]]
    # A label beside the date is not a name.
    label = document_fromstring(
        "<html><body><div><h1>Headline of the article</h1><div><span>Read More</span>"
        f"<time datetime='2025-04-05'>5 April</time></div></div>{_paragraphs(4)}</body></html>"
    )
    assert list(byline_groups(label)) == []


def test_newsroom_initials_closing_the_text_are_the_byline() -> None:
    tree = document_fromstring(
        f"<html><body><div class='post-body'>{_paragraphs(4)}"
        "<span style='font-size: x-small;'>ssi, dan; Foto [M]: Shutterstock; "
        "Erstveröffentlichung: 4.4.18</span></div></body></html>"
    )
    assert [clean_authors(split_byline(line)) for line in bylines_from_html(tree)] == [
        ("ssi", "dan")
    ]
    bracketed = document_fromstring(
        f"<html><body><div>{_paragraphs(4)}<p>(jmu)</p></div></body></html>"
    )
    assert bylines_from_html(bracketed) == ["jmu"]
    # One bare lower-case word closing the text is not a credit.
    bare = document_fromstring(f"<html><body><div>{_paragraphs(4)}<p>ende</p></div></body></html>")
    assert list(byline_groups(bare)) == []


def test_outlet_and_source_closing_line_needs_the_outlet() -> None:
    html = f"<html><body><div>{_paragraphs(4)}<p>Wochenblatt / Última Hora</p></div></body></html>"
    tree = document_fromstring(html)
    assert list(byline_groups(tree, outlet_keys(["Wochenblatt"]))) == [
        ["Wochenblatt / Última Hora"]
    ]
    assert list(byline_groups(tree, outlet_keys(["Le Journal"]))) == []
    assert clean_authors(split_byline("Wochenblatt / Última Hora"), ["Wochenblatt"]) == (
        "Última Hora",
    )


def test_credited_as_editor_needs_the_label_just_before_the_name() -> None:
    text = "Naufal Zuhdi 20/1/2026 18:30 Heryadi said nothing. Editor : Heryadi Share"
    assert credited_as_editor("Heryadi", text)
    assert not credited_as_editor("Naufal Zuhdi", text)
    assert credited_as_editor("Ana Ruiz", "Texto: Luis Gil. Editado por: Ana Ruiz")
    # "editor" with no colon, or far before the name, is not a credit.
    assert not credited_as_editor("Jane Doe", "The editor Jane Doe said so.")
    assert not credited_as_editor("Jane Doe", "Editor: Paul Smith, with reporting by Jane Doe")
