"""extract_page end to end: real-shaped pages, French encodings, bad input."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from monitor.article import ArticleDraft
from monitor.extraction import JSON_KEYS, ExtractionSettings, extract_page, result_to_json

PAGES = Path(__file__).parent / "fixtures" / "extraction" / "pages"

PARAGRAPHS = [
    "Mistral AI a annoncé mardi une levée de fonds de 600 millions d'euros, menée par des "
    "investisseurs européens et américains, qui valorise la jeune pousse à près de six "
    "milliards d'euros.",
    "La société fondée en 2023 par Arthur Mensch, Guillaume Lample et Timothée Lacroix "
    "compte désormais plus de cent employés à Paris, à Londres et en Californie.",
    "« Nous voulons rester indépendants », a déclaré son directeur général, qui prévoit "
    "d'ouvrir de nouveaux bureaux en Europe d'ici à la fin de l'année.",
]


def article_html(
    *,
    charset: str | None = "utf-8",
    jsonld: str | None = None,
    head_extra: str = "",
    body_extra: str = "",
    title: str = "Mistral AI lève 600 millions d'euros | Le Journal",
) -> str:
    meta_charset = f'<meta charset="{charset}">' if charset else ""
    script = f'<script type="application/ld+json">{jsonld}</script>' if jsonld else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="fr-FR"><head>{meta_charset}<title>{title}</title>'
        '<meta property="og:site_name" content="Le Journal">'
        '<link rel="canonical" href="https://www.lejournal.fr/eco/mistral-ai-600-millions">'
        f"{head_extra}{script}</head><body><header><nav><a href='/'>Accueil</a></nav></header>"
        f"<article><h1>Mistral AI lève 600 millions d'euros</h1>{paragraphs}"
        "<p>Lire aussi : Les start-up françaises de l'IA attirent les investisseurs</p>"
        f"{body_extra}</article><footer>© Le Journal 2024</footer></body></html>"
    )


JSONLD = """{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Mistral AI lève 600 millions d'euros",
 "datePublished": "2024-06-11T09:30:00+02:00", "dateModified": "2024-06-11T12:00:00+02:00",
 "author": [{"@type": "Person", "name": "Par Claire Dupont"},
            {"@type": "Organization", "name": "Le Journal"}],
 "publisher": {"@type": "Organization", "name": "Le Journal"}, "inLanguage": "fr-FR"}"""

URL = "https://www.lejournal.fr/eco/mistral-ai-600-millions?utm_source=rss#comments"


def extract_ok(html: bytes, url: str | None = URL, **kwargs) -> ArticleDraft:
    result = extract_page(html, url, **kwargs)
    assert result.error is None, result.error_message
    assert result.draft is not None
    return result.draft


def test_structured_data_gives_title_date_authors_and_language() -> None:
    draft = extract_ok(article_html(jsonld=JSONLD).encode())
    assert draft.title == "Mistral AI lève 600 millions d'euros"
    assert draft.authors == ("Claire Dupont",)
    assert draft.published is not None
    assert (draft.published.value, draft.published.precision, draft.published.source) == (
        "2024-06-11T09:30:00+02:00",
        "datetime",
        "jsonld",
    )
    assert draft.modified is not None and draft.modified.value == "2024-06-11T12:00:00+02:00"
    assert draft.language == "fr"
    assert draft.site_name == "Le Journal"


def test_body_is_seed_schema_without_title_or_boilerplate() -> None:
    draft = extract_ok(article_html(jsonld=JSONLD).encode())
    assert draft.text == "\n\n".join(PARAGRAPHS)
    assert "Lire aussi" not in draft.text
    assert "Accueil" not in draft.text


def test_canonical_url_on_same_registered_domain_is_kept() -> None:
    draft = extract_ok(article_html().encode())
    assert draft.canonical_url == "https://www.lejournal.fr/eco/mistral-ai-600-millions"
    assert draft.url == "https://www.lejournal.fr/eco/mistral-ai-600-millions?utm_source=rss"


def test_canonical_url_on_another_domain_is_ignored() -> None:
    html = article_html().replace("https://www.lejournal.fr/eco/", "https://evil.example/")
    draft = extract_ok(html.encode())
    assert (
        draft.canonical_url == "https://www.lejournal.fr/eco/mistral-ai-600-millions?utm_source=rss"
    )


def test_title_without_structured_data_loses_site_suffix() -> None:
    draft = extract_ok(article_html().encode())
    assert draft.title == "Mistral AI lève 600 millions d'euros"


def test_date_falls_back_to_meta_then_url() -> None:
    meta = '<meta property="article:published_time" content="2024-06-11T07:30:00Z">'
    draft = extract_ok(article_html(head_extra=meta).encode())
    assert draft.published is not None
    assert (draft.published.value, draft.published.source) == (
        "2024-06-11T07:30:00+00:00",
        "opengraph",
    )
    dated_url = "https://www.lejournal.fr/2024/06/11/mistral-ai-600-millions"
    draft = extract_ok(article_html().encode(), dated_url)
    assert draft.published is not None
    assert draft.published.first_day().isoformat() == "2024-06-11"


def test_microdata_date_line_beats_an_older_first_published_date() -> None:
    # No JSON-LD or meta date; htmldate (run for the oldest date) would take the 2019 meta.
    head = '<meta name="DCSext.articleFirstPublished" content="2019-02-05 16:07">'
    body = '<p><time itemprop="datePublished" datetime="2023-08-30T16:45+0100">30 Aug</time></p>'
    draft = extract_ok(article_html(head_extra=head, body_extra=body).encode())
    assert draft.published is not None
    assert (draft.published.value, draft.published.source) == (
        "2023-08-30T16:45:00+01:00",
        "meta",
    )


def test_structured_author_the_page_credits_as_editor_gives_way_to_the_byline() -> None:
    jsonld = """{"@type": "NewsArticle", "headline": "Mistral AI lève 600 millions d'euros",
     "author": {"@type": "Person", "name": "Paul Martin"}}"""
    byline = "<div class='author-2'>Claire Dupont</div>"
    editor = "<div class='info-author'>Editor : <a href='/author/12/paul'>Paul Martin</a></div>"
    html = article_html(jsonld=jsonld, body_extra=editor).replace("</h1>", f"</h1>{byline}")
    assert extract_ok(html.encode()).authors == ("Claire Dupont",)
    # Without the editor label the structured author stands.
    plain = article_html(jsonld=jsonld).replace("</h1>", f"</h1>{byline}")
    assert extract_ok(plain.encode()).authors == ("Paul Martin",)


def test_closing_outlet_and_source_line_credits_the_source() -> None:
    draft = extract_ok(article_html(body_extra="<p>Le Journal / Última Hora</p>").encode())
    assert draft.authors == ("Última Hora",)
    # Two capitalised words closing an article are no credit unless one is the outlet.
    draft = extract_ok(article_html(body_extra="<p>Politique / Économie</p>").encode())
    assert draft.authors == ()


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
@pytest.mark.parametrize("declared", [True, False])
def test_french_page_in_legacy_encoding_keeps_its_accents(encoding: str, declared: bool) -> None:
    html = article_html(charset="iso-8859-1" if declared else None).encode(encoding)
    draft = extract_ok(html)
    assert "Timothée" in draft.text and "désormais" in draft.text
    assert "Ã" not in draft.text and "\ufffd" not in draft.text


def test_http_header_charset_wins_over_nothing() -> None:
    html = article_html(charset=None).encode("cp1252")
    draft = extract_ok(html, http_headers={"Content-Type": "text/html; charset=windows-1252"})
    assert "Timothée" in draft.text


def test_wrong_charset_declaration_does_not_make_mojibake() -> None:
    # Declared latin-1, really UTF-8: the commonest misconfiguration.
    html = article_html(charset="iso-8859-1").encode("utf-8")
    draft = extract_ok(html, http_headers={"content-type": "text/html; charset=ISO-8859-1"})
    assert "Timothée" in draft.text and "Ã©" not in draft.text


def test_utf8_bom_is_honoured() -> None:
    draft = extract_ok(b"\xef\xbb\xbf" + article_html(charset=None).encode("utf-8"))
    assert "Timothée" in draft.text


def test_paywalled_page_keeps_visible_part_and_is_flagged() -> None:
    jsonld = JSONLD.replace('"inLanguage"', '"isAccessibleForFree": false, "inLanguage"')
    draft = extract_ok(article_html(jsonld=jsonld).encode())
    assert draft.paywalled is True
    assert PARAGRAPHS[0] in draft.text


def test_real_french_page_from_le_monde() -> None:
    html = gzip.decompress((PAGES / "fr_LeMonde_2023_09_01.html.gz").read_bytes())
    url = (
        "https://www.lemonde.fr/politique/article/2023/08/30/sophie-binet-met-en-garde-"
        "emmanuel-macron-sur-la-gravite-de-la-situation-dans-le-pays_6187099_823448.html"
    )
    draft = extract_ok(html, url)
    assert draft.title == (
        "Sophie Binet met en garde Emmanuel Macron sur la « gravité de la situation dans le pays »"
    )
    assert draft.published is not None and draft.published.first_day().isoformat() == "2023-08-30"
    assert draft.language == "fr"
    assert draft.text.startswith("Reçue mardi 29 août à l’Elysée")
    assert "\n\n\n" not in draft.text and not draft.text.endswith("\n")


# --- bad input: a clear error or a best-effort article, never an exception, bounded time ---

BAD_INPUTS = {
    "empty": b"",
    "whitespace": b"  \n\t ",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 50,
    "png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 40,
    "gzip": gzip.compress(b"<html><body><p>x</p></body></html>"),
    "plain text": b"Just some words, no markup at all. " * 100,
    "truncated": article_html(jsonld=JSONLD).encode()[:700],
    "no article": b"<html><head><title>Accueil</title></head><body><nav><a href='/'>A</a>"
    b"<a href='/b'>B</a></nav></body></html>",
    "nested tables": b"<html><body>"
    + b"<table><tr><td>" * 3000
    + b"junk"
    + b"</td></tr></table>" * 3000
    + b"</body></html>",
    "unclosed tags": b"<html><body>" + b"<div><p><span>mot " * 5000,
    "consent wall": b"<html><body><div class='consent'><p>Nous utilisons des cookies. "
    b"Acceptez-vous les cookies ? Gerer le consentement.</p><button>Tout accepter</button>"
    b"</div></body></html>",
    "binary noise": bytes((i * 7919) % 256 for i in range(50_000)),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_never_raises_and_is_bounded(name: str) -> None:
    start = time.monotonic()
    result = extract_page(BAD_INPUTS[name], "https://example.org/page")
    assert time.monotonic() - start < 30
    if result.draft is None:
        assert result.error and result.error_message
    else:
        assert result.error is None and result.draft.text


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty", "empty"),
        ("whitespace", "empty"),
        ("pdf", "not_html"),
        ("png", "not_html"),
        ("jpeg", "not_html"),
        ("gzip", "not_html"),
        ("plain text", "not_html"),
        ("no article", "no_article"),
        ("consent wall", "consent_wall"),
    ],
)
def test_bad_input_reasons(name: str, reason: str) -> None:
    assert extract_page(BAD_INPUTS[name]).error == reason


def test_truncated_page_still_gives_best_effort_article() -> None:
    html = article_html(jsonld=JSONLD).encode()
    cut = html[: html.index(b"Lire aussi")]
    draft = extract_ok(cut)
    assert PARAGRAPHS[1] in draft.text


def test_page_over_the_size_limit_is_refused_quickly() -> None:
    huge = article_html().encode() + b"<p>" + b"x" * 20_000_000 + b"</p>"
    start = time.monotonic()
    result = extract_page(huge)
    assert result.error == "too_large"
    assert time.monotonic() - start < 5


def test_large_page_under_a_raised_limit_is_extracted() -> None:
    filler = "<div class='related'><a href='/x'>lien</a></div>" * 20_000
    html = article_html(body_extra=filler).encode()
    result = extract_page(html, URL, settings=ExtractionSettings(max_bytes=50_000_000))
    assert result.draft is not None and PARAGRAPHS[0] in result.draft.text


def test_page_with_too_many_elements_is_refused_quickly() -> None:
    html = b"<html><body>" + b"<div><a href='/x'>lien</a></div>" * 200_000 + b"</body></html>"
    start = time.monotonic()
    result = extract_page(html)
    assert result.error == "too_large" and "elements" in (result.error_message or "")
    assert time.monotonic() - start < 10


def test_declared_utf8_that_is_really_windows_1252() -> None:
    html = article_html(charset="utf-8").encode("cp1252")
    draft = extract_ok(html)
    assert "Timothée" in draft.text and "désormais" in draft.text


def test_undeclared_windows_1252_without_lang_is_not_read_as_central_european() -> None:
    html = article_html(charset=None).replace(' lang="fr-FR"', "").encode("cp1252")
    draft = extract_ok(html)
    assert "Timothée" in draft.text and "désormais" in draft.text


def test_non_html_content_type_is_refused() -> None:
    result = extract_page(article_html().encode(), http_headers={"Content-Type": "application/pdf"})
    assert result.error == "not_html"


def test_non_bytes_input_is_an_error_not_an_exception() -> None:
    result = extract_page("<html></html>")  # type: ignore[arg-type]
    assert result.error == "unreadable"


def test_result_to_json_has_exactly_the_contract_keys() -> None:
    ok = result_to_json(extract_page(article_html(jsonld=JSONLD).encode(), URL), "a.html")
    failed = result_to_json(extract_page(b""), "b.html", "https://example.org/b")
    assert tuple(ok) == JSON_KEYS and tuple(failed) == JSON_KEYS
    assert ok["error"] is None and ok["date_precision"] == "datetime"
    assert ok["date_source"] == "jsonld" and ok["authors"] == ["Claire Dupont"]
    assert failed["error"] == "empty" and failed["url"] == "https://example.org/b"
    assert failed["text"] is None


def test_meta_author_signed_with_the_site_domain_is_the_outlet_not_a_byline() -> None:
    signed = '<meta name="author" content="Le Journal (www.lejournal.fr), Paris, France">'
    draft = extract_ok(article_html(head_extra=signed).encode())
    assert draft.authors == ()


def test_wire_agency_credited_as_organisation_is_kept() -> None:
    jsonld = JSONLD.replace(
        '{"@type": "Organization", "name": "Le Journal"}]',
        '{"@type": "Organization", "name": "AFP"}]',
    )
    assert extract_ok(article_html(jsonld=jsonld).encode()).authors == ("Claire Dupont", "AFP")


def test_a_whole_title_given_as_site_name_does_not_swallow_the_title() -> None:
    long_name = "Mistral AI lève 600 millions d'euros pour ouvrir des bureaux en Europe et recruter"
    html = article_html(title="Mistral AI lève 600 millions d'euros").replace(
        '<meta property="og:site_name" content="Le Journal">',
        f'<meta name="application-name" content="{long_name}">',
    )
    draft = extract_ok(html.encode())
    assert draft.title == "Mistral AI lève 600 millions d'euros"
    assert draft.site_name != long_name


def test_author_markup_adds_a_writer_json_ld_leaves_out() -> None:
    byline = (
        "<div class='byline'><a rel='author' href='/p/jean-martin'>Jean Martin</a>"
        "<a rel='author' href='/p/claire-dupont'>Claire Dupont (Envoyée spéciale)</a></div>"
    )
    draft = extract_ok(article_html(jsonld=JSONLD, body_extra=byline).encode())
    # The second link is the JSON-LD writer again with her role: not a third author.
    assert draft.authors == ("Claire Dupont", "Jean Martin")


def test_meta_author_that_is_a_url_gives_way_to_the_next_author_meta() -> None:
    metas = (
        '<meta property="article:author" content="https://www.lejournal.fr/auteurs">'
        '<meta name="sailthru.author" content="Claire Dupont">'
    )
    assert extract_ok(article_html(head_extra=metas).encode()).authors == ("Claire Dupont",)
