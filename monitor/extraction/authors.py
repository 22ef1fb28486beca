"""Bylines into people: no "Par"/"By", no job titles, outlets kept apart as the site name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitor.extraction.normalise import normalise_inline

_BYLINE_PREFIX = re.compile(
    r"^(?:propos recueillis par|texte|textes|r[ée]dig[ée] par|[ée]crit par|un article de"
    r"|autor(?:in)?|auteur|author|par|by|von|door|di|por|de|af|av|written by|reported by"
    r"|interview by)\s*:?\s+",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|\band\b|\bet\b|\bund\b|\by\b|\be\b|\ben\b|\bog\b)\s*")
_TRAILING_ROLE = re.compile(
    r"\s*(?:[,(–—-]\s*)?(?:journaliste|correspondant[e]?|envoyée? spéciale?|reporter|editor"
    r"|staff writer|correspondent|redakteur(?:in)?|rédaction)\b.*$"
    r"|\s*(?:기자|特派員|記者|编辑|記者・)(?:\s.*)?$",
    re.IGNORECASE,
)
#: A byline often runs on into the date or social links: "Jane Doe Twitter Today 5:00 am".
_RUN_ON = re.compile(
    r"\s+(?:\d|(?:twitter|facebook|linkedin|instagram|e-?mail|mail|today|yesterday|updated"
    r"|published|publié|mis à jour|aktualisiert|january|february|march|april|may|june|july"
    r"|august|september|october|november|december|janvier|février|mars|avril|mai|juin"
    r"|juillet|août|septembre|octobre|novembre|décembre)\b).*$",
    re.IGNORECASE,
)
#: URLs, handles, numbers and bare domain names ("mdr.de", "ntv.com.tr") are not people.
_NOT_A_NAME = re.compile(r"(?:https?:|//|www\.|@|\d{3,}|\.(?:html?|php)\b|\w\.[a-z]{2,4}$)")
_URL = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)
#: Newsroom initials after a name: ``Elena Oberholzer (obe)``.
_TRAILING_CODE = re.compile(r"\s*\([\w.]{1,6}\)\s*$")
_MAX_NAME_WORDS = 6


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def clean_author(raw: str) -> str | None:
    """One cleaned author name, or None when what remains is not a person's name."""
    name = normalise_inline(raw)
    name = _BYLINE_PREFIX.sub("", name)
    name = _RUN_ON.sub("", name)
    name = _TRAILING_ROLE.sub("", name)
    name = _TRAILING_CODE.sub("", name).strip(" ,;:-–—·|")
    if not name or _NOT_A_NAME.search(name) or len(name.split()) > _MAX_NAME_WORDS:
        return None
    if not any(ch.isalpha() for ch in name):
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


def _is_outlet(key: str, outlets: set[str]) -> bool:
    return any(key == o or (len(key) >= 3 and (key in o or o in key)) for o in outlets)


def clean_authors(
    raw_names: Iterable[str], site_names: Iterable[str] = (), max_authors: int = 12
) -> tuple[str, ...]:
    """Cleaned, de-duplicated people; names that are the site's own name are dropped.

    ``site_names`` may hold the site name, the publisher and the host's label
    (``vnexpress`` for vnexpress.net): "VnExpress" is then an outlet in "Báo VnExpress".
    """
    outlets = {_squash(s) for s in site_names if s and len(_squash(s)) >= 3}
    seen: set[str] = set()
    result: list[str] = []
    for raw in raw_names:
        name = clean_author(raw)
        if not name:
            continue
        key = _squash(name)
        if key in seen or _is_outlet(key, outlets):
            continue
        seen.add(key)
        result.append(name)
        if len(result) >= max_authors:
            break
    return tuple(result)
