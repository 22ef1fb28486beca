"""Who a byline credit is: a person, a wire agency, or the newsroom itself.

Bylines and structured ``author`` fields mix three kinds of credit. People are what the
``authors`` field is for. Wire agencies ("AFP", "dpa", "Reuters") are the author of a wire
story and are kept: the credit is what the page shows, and it tells syndicated copies apart.
The newsroom itself ("Redaktion", "Guardian staff", "MM-Redaktion", "BBC News") is the outlet,
which the article already carries as its site name, so it is not an author.

The vocabularies are small, multilingual and closed on purpose: they name kinds of credit,
never a particular publisher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Major wire agencies, squashed (case folded, punctuation and spaces removed). A schema.org
#: ``Organization`` author is still kept as a credit when it is one of these.
_AGENCIES = frozenset(
    {
        "afp",
        "agencefrancepresse",
        "ap",
        "associatedpress",
        "theassociatedpress",
        "reuters",
        "dpa",
        "deutschepresseagentur",
        "apa",
        "sda",
        "keystonesda",
        "ansa",
        "efe",
        "europapress",
        "kna",
        "epd",
        "sid",
        "anp",
        "belga",
        "ntb",
        "tt",
        "ritzau",
        "pap",
        "ctk",
        "xinhua",
        "kyodo",
        "yonhap",
        "aap",
        "pti",
        "ians",
        "bernama",
        "antara",
        "anadoluajansi",
        "anadoluajansı",
        "anadoluagency",
        "lusa",
        "tass",
        "ria",
    }
)

#: Words that make a credit the newsroom rather than a person ("MM-Redaktion", "Guardian
#: staff", "Agenturen", "BBC News"), in the languages of the coverage and its neighbours.
_NEWSROOM_WORDS = frozenset(
    {
        "redaktion",
        "redaction",
        "rédaction",
        "redazione",
        "redacción",
        "redaccion",
        "redactie",
        "redaksjonen",
        "redaksjon",
        "redaktionen",
        "agenturen",
        "agences",
        "agencias",
        "agenzie",
        "agencies",
        "staff",
        "newsroom",
        "newsdesk",
        "news",
        "nachrichten",
        "nieuws",
        "noticias",
        "notizie",
        "webredaktion",
        "onlineredaktion",
    }
)
#: Newsroom abbreviations that are only a credit on their own: "red." is the Redaktion,
#: while "Red Smith" is a person.
_NEWSROOM_ALONE = frozenset({"red", "redak", "desk", "online", "web"})
_WORD = re.compile(r"[^\W\d_]+")


def squash(text: str) -> str:
    """Case folded, without spaces and punctuation: "Keystone-SDA" → "keystonesda"."""
    return re.sub(r"[\W_]+", "", text.casefold())


def is_agency(name: str) -> bool:
    """True for a wire agency credit ("AFP", "Deutsche Presse-Agentur", "dpa")."""
    return squash(name) in _AGENCIES


def is_newsroom(name: str) -> bool:
    """True when the credit names a desk, not a person ("MM-Redaktion", "Guardian staff")."""
    words = [word.casefold() for word in _WORD.findall(name)]
    if len(words) == 1 and words[0] in _NEWSROOM_ALONE:
        return True
    return any(word in _NEWSROOM_WORDS for word in words)


def outlet_keys(site_names: Iterable[str]) -> set[str]:
    """Squashed forms under which the outlet may appear in a byline: each name, and the
    initials of a name of several words ("Legal Tribune Online" → "lto"). A two-letter
    name ("BR" for br.de) is kept: :func:`names_outlet` matches it only whole."""
    keys: set[str] = set()
    for name in site_names:
        key = squash(name or "")
        if len(key) >= 2:
            keys.add(key)
        words = _WORD.findall(name or "")
        if len(words) >= 3:
            keys.add("".join(w[0] for w in words).casefold())
    return keys


def names_outlet(name: str, outlets: set[str]) -> bool:
    """True when the credit is the outlet itself ("ORF.at" on news.orf.at, "Ilanga D" from
    the account "Ilanga" on Ilanga News), by its squashed name or a word of it."""
    key = squash(name)
    if not key:
        return False
    if any(key == o or (len(key) >= 3 and len(o) >= 3 and (key in o or o in key)) for o in outlets):
        return True
    # An account named after the outlet plus an initial: "Ilanga D".
    words = [squash(w) for w in _WORD.findall(name)]
    long_words = [w for w in words if len(w) >= 4]
    return (
        len(long_words) == 1
        and all(len(w) <= 2 for w in words if w != long_words[0])
        and any(o.startswith(long_words[0]) for o in outlets)
    )
