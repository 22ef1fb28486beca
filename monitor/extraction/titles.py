"""Headlines without the site name glued on (``Title | Le Monde``, ``Title - Les Echos``)."""

from __future__ import annotations

import html
import re

from monitor.extraction.normalise import normalise_inline

#: Separators publishers put between headline and site name, surrounded by spaces.
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|:|·|•|/|»|::)\s+|\s*[｜：ㅣ]\s*")
#: A trailing part this short is a site name even when we do not know the site's name.
_MAX_SUFFIX_WORDS = 4


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _names_site(part: str, site_names: tuple[str, ...], host: str | None) -> bool:
    squashed = _squash(part)
    if not squashed:
        return False
    for name in site_names:
        other = _squash(name)
        if other and (squashed == other or squashed in other or other in squashed):
            return True
    if host:
        label = _squash(host.removeprefix("www.").rsplit(".", 1)[0])
        if label and (squashed == label or squashed in label or label in squashed):
            return True
    return False


def strip_site_suffix(title: str, site_names: tuple[str, ...] = (), host: str | None = None) -> str:
    """Remove a leading or trailing site name from a title.

    Only parts that name the site (its ``og:site_name``, JSON-LD publisher or host) are cut,
    so that ``Mistral AI - the French challenger`` keeps its second half.
    """
    title = normalise_inline(title)
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    changed = True
    while changed and len(parts) > 1:
        changed = False
        if _names_site(parts[-1], site_names, host):
            parts = parts[:-1]
            changed = True
        elif _names_site(parts[0], site_names, host) and len(parts[0].split()) <= _MAX_SUFFIX_WORDS:
            parts = parts[1:]
            changed = True
    if len(parts) == len(_SEPARATORS.split(title)):
        return title
    # Rebuild from the original text so the separators inside the headline are kept.
    kept = " ".join(parts)
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end] if start >= 0 and end > start else kept


def choose_title(
    candidates: list[str | None],
    site_names: tuple[str, ...],
    host: str | None,
    max_chars: int,
    visible: str | None = None,
) -> str | None:
    """The first usable candidate (in order of trust), with any site name stripped.

    ``visible`` is the page's ``<h1>``: when the chosen title merely wraps it
    (``Headline | Sport``, ``Headline | DW | 28.04.2023``), the ``<h1>`` part is kept; when no
    structured title is usable, the ``<h1>`` is the title.

    (Tried and measured on the fundus pages: the ``<h1>`` first, and a majority vote over all
    sources, both did worse than trusting the publisher's structured fields in order.)
    """
    for candidate in [*candidates, visible]:
        if not candidate:
            continue
        title = strip_site_suffix(unescape_entities(candidate), site_names, host)
        if title and len(title) <= max_chars and not _names_site(title, site_names, None):
            return _part_matching(title, visible) or title
    return None


def _part_matching(title: str, headline: str | None) -> str | None:
    """The separated part of ``title`` that is the visible headline, when ``title`` is that
    headline plus extra parts; None otherwise."""
    if not headline:
        return None
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return None
    wanted = _loose(headline)
    return next((part for part in parts if _loose(part) == wanted), None)


def _loose(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s+([:;!?])", r"\1", text)).strip().casefold()


def unescape_entities(text: str) -> str:
    """Undo HTML escaping left in a title by a CMS that escaped twice (``&quot;``, ``&#8217;``)."""
    return html.unescape(text) if "&" in text else text
