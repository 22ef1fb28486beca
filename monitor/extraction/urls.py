"""Which URL is the page's canonical one (DESIGN.md, Contracts: "Ids and revisits").

Full canonicalisation (tracking parameters, case, trailing slashes) belongs to dedup; here
the URL is only made absolute and stripped of its fragment.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import extract_domain


def trivially_normalise(url: str, base: str | None = None) -> str | None:
    """An absolute http(s) URL without fragment, or None when the string is not one."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def registered_domain(url: str) -> str | None:
    """``lemonde.fr`` for ``https://www.lemonde.fr/…``; the host itself for IPs and localhost."""
    try:
        domain = extract_domain(url)
        if domain:
            return domain.lower()
        return (urlsplit(url).hostname or "").lower() or None
    except ValueError:
        return None


def choose_canonical_url(fetched_url: str | None, candidates: list[str | None]) -> str | None:
    """The first candidate on the fetched URL's registered domain, else the fetched URL.

    Without a fetched URL there is nothing to validate against, so the page's own claim is
    taken as it is.
    """
    base = trivially_normalise(fetched_url) if fetched_url else None
    base_domain = registered_domain(base) if base else None
    for candidate in candidates:
        if not candidate:
            continue
        absolute = trivially_normalise(candidate, base)
        if absolute is None:
            continue
        if base_domain is None or registered_domain(absolute) == base_domain:
            return absolute
    return base
