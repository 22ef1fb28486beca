"""Bylines into people: no "Par"/"By", no job titles, outlets kept apart as the site name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitor.extraction.credits import is_agency, is_newsroom, names_outlet, outlet_keys, squash
from monitor.extraction.normalise import normalise_inline

_BYLINE_PREFIX = re.compile(
    r"^(?:propos recueillis par|texte|textes|r[ée]dig[ée] par|[ée]crit par|un article de"
    r"|autor(?:in)?|auteur|author|par|by|von|door|di|por|de|af|av|written by|reported by"
    r"|interview by|quelle|source|fuente|fonte|bron|kilde)\s*:?\s+",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|、|，|\band\b|\bet\b|\bund\b|\by\b|\be\b|\ben\b|\bog\b)\s*")
_TRAILING_ROLE = re.compile(
    r"\s*(?:[,(–—-]\s*)?(?:journaliste|correspondant[e]?|envoyée? spéciale?|reporter|editor"
    r"|enviad[oa] especial|corresponsal|redactor(?:a)?"
    r"|staff writer|correspondent|redakteur(?:in)?|rédaction)\b.*$"
    r"|\s*(?:기자|特派員|記者|编辑|記者・)(?:\s.*)?$",
    re.IGNORECASE,
)
#: A byline often runs on into the date or social links: "Jane Doe Twitter Today 5:00 am".
_RUN_ON = re.compile(
    r"(?:^|\s+)(?:\d|(?:twitter|facebook|linkedin|instagram|e-?mail|mail|today|yesterday|updated"
    r"|published|publié|mis à jour|aktualisiert|veröffentlicht|publicado|pubblicato"
    r"|january|february|march|april|may|june|july"
    r"|august|september|october|november|december|janvier|février|mars|avril|mai|juin"
    r"|juillet|août|septembre|octobre|novembre|décembre)\b).*$",
    re.IGNORECASE,
)
#: URLs, handles, numbers and bare domain names ("mdr.de", "ntv.com.tr") are not people.
_NOT_A_NAME = re.compile(r"(?:https?:|//|www\.|@|\d{3,}|\.(?:html?|php)\b|\w\.[a-z]{2,4}$)")
_URL = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)
#: A dateline after the credit: "Associated Press in Valencia", "Jon Henley in Paris".
_TRAILING_PLACE = re.compile(r"\s+in\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?$")
#: Newsroom initials after a name: ``Elena Oberholzer (obe)``.
_TRAILING_CODE = re.compile(r"\s*\([\w.]{1,6}\)\s*$")
#: What is left when a byline held only its prefix ("Von" before a link that was dropped).
_BARE_PREFIX = re.compile(
    r"^(?:par|by|von|door|di|por|de|af|av|from|mit|with|und|and|et|texte|text)$", re.IGNORECASE
)
_MAX_NAME_WORDS = 6
#: A photo or graphics credit ("Foto: Mads Rasmussen") marked up like a byline.
_IMAGE_CREDIT = re.compile(
    r"^(?:foto|fotos|photo|photos|bild|bilder|image|images|illustration|grafik|graphic)s?\s*:",
    re.IGNORECASE,
)


#: A label crediting the editor, not the writer: ``Editor : Heryadi``, ``Redaktur: …``,
#: just before the name.
_EDITOR_LABEL_BEFORE = re.compile(
    r"(?:editor|editora|editado por|edited by|redaktur|penyunting)\s*:\s*$", re.IGNORECASE
)
_EDITOR_LABEL_REACH = 24


def credited_as_editor(name: str, page_text: str) -> bool:
    """True when the page's text labels ``name`` as its editor (``Editor : Heryadi``): some
    sites' structured data gives the editing desk as the article's author."""
    start = page_text.find(name)
    while start >= 0:
        if _EDITOR_LABEL_BEFORE.search(page_text, max(0, start - _EDITOR_LABEL_REACH), start):
            return True
        start = page_text.find(name, start + len(name))
    return False


def clean_author(raw: str) -> str | None:
    """One cleaned author name, or None when what remains is not a person's name."""
    name = normalise_inline(raw)
    if _IMAGE_CREDIT.match(name):
        return None
    name = _BYLINE_PREFIX.sub("", name)
    name = _RUN_ON.sub("", name)
    name = _TRAILING_ROLE.sub("", name)
    name = _TRAILING_PLACE.sub("", name)
    name = _TRAILING_CODE.sub("", name).strip(" ,;:-–—·|")
    if not name or _NOT_A_NAME.search(name) or len(name.split()) > _MAX_NAME_WORDS:
        return None
    if not name[0].isalpha() and name[0] not in "'\"(":
        return None  # "03:07 Min.", "© 2024": a date or duration, not a name
    if not any(ch.isalpha() for ch in name) or _BARE_PREFIX.match(name):
        return None
    return name


def split_byline(byline: str) -> list[str]:
    """A byline string holding several names (``A, B et C``) as separate raw names.

    A URL (``article:author`` often holds the author's page) is not a byline: nothing.
    """
    byline = _BYLINE_PREFIX.sub("", normalise_inline(byline))
    if _URL.match(byline):
        return []
    return [part for part in _SPLIT.split(byline) if part.strip()]


def clean_authors(
    raw_names: Iterable[str], site_names: Iterable[str] = (), max_authors: int = 12
) -> tuple[str, ...]:
    """Cleaned, de-duplicated credits: people and wire agencies (see :mod:`.credits`).

    The outlet itself is dropped, under its name or initials, and so are newsroom credits
    ("Redaktion", "Guardian staff"). ``site_names`` may hold the site name, the publisher and
    the host's label (``vnexpress`` for vnexpress.net): "VnExpress" is then an outlet in
    "Báo VnExpress".
    """
    outlets = outlet_keys(site_names)
    seen: set[str] = set()
    result: list[str] = []
    for raw in raw_names:
        name = clean_author(raw)
        if not name:
            continue
        key = squash(name)
        if key in seen:
            continue
        if not is_agency(name) and (is_newsroom(name) or names_outlet(name, outlets)):
            continue
        seen.add(key)
        result.append(name)
        if len(result) >= max_authors:
            break
    return tuple(result)


def add_missing_authors(
    found: tuple[str, ...],
    raw_names: Iterable[str],
    site_names: Iterable[str] = (),
    max_authors: int = 12,
) -> tuple[str, ...]:
    """``found`` plus the people of ``raw_names`` it does not already name.

    A name that contains or is contained in one already found ("Martí Abad (Enviado
    especial)", "Martin Gramnæs Martin Gramnæs", two names run together) is the same credit
    in another markup, not another writer.
    """
    keys = [squash(name) for name in found]
    extra = [
        name
        for name in clean_authors(raw_names, site_names, max_authors)
        if not any(squash(name) in key or key in squash(name) for key in keys)
    ]
    return (*found, *extra)[:max_authors]
