"""Consent and login walls: pages that stand where an article should be."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_WALL_WORDS = re.compile(
    r"\b(?:cookies?|consent\w*|consentement|gdpr|rgpd|accept(?:er|ez)? (?:et continuer|tout)"
    r"|accept all|tout accepter|privacy settings|paramètres de confidentialité|se connecter"
    r"|log in|sign in|connectez-vous|identifiez-vous)\b",
    re.IGNORECASE,
)
_MIN_HITS = 2
_MAX_WALL_TEXT_CHARS = 5_000


def looks_like_consent_wall(tree: HtmlElement) -> bool:
    """True for a short page whose visible text is mostly about cookies, consent or logging in."""
    body = next(tree.iter("body"), None)
    if body is None:
        return False
    text = " ".join(t.strip() for t in body.itertext() if t and t.strip())[
        : _MAX_WALL_TEXT_CHARS * 2
    ]
    if len(text) > _MAX_WALL_TEXT_CHARS:
        return False
    return len(_WALL_WORDS.findall(text)) >= _MIN_HITS
