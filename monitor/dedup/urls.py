"""URL canonicalisation: one URL per article, whatever link a feed, a share button or a
mobile page gave us.

courlan's ``normalize_url`` does the generic part: scheme and host case, punycode, default ports,
duplicate slashes, sorted query, and its tracker list (utm_*, fbclid, gclid, *_medium, xtor,
ref, source, ...). Added here, for the French press and for idempotence:

- the page's ``rel=canonical`` link wins when it is on the same registered domain (DESIGN.md,
  Contracts, "Ids and revisits"); that is how AMP and mobile pages resolve reliably;
- more trackers: AT Internet (at_*), xtref/xts, Le Monde's lmd_*, ito, ocid, cmpid, ns_*, _ga,
  _gl, amp and outputType=amp flags;
- without a canonical link, the usual AMP and mobile markers: an ``amp`` first or last path
  segment, a ``.amp`` / ``.amp.html`` suffix, an ``m.`` / ``mobile.`` / ``amp.`` host (read as
  ``www.``, a heuristic the canonical link overrides);
- fragments always dropped, trailing slashes dropped (root kept), percent escapes upper-cased.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from courlan import normalize_url
from tld import get_fld

_EXTRA_TRACKERS = re.compile(
    r"^(?:at_\w+|xtref|xts|xtcr|lmd_\w+|ito|ocid|cmpid|ns_\w+|_ga|_gl|oref|amp|"
    r"sara_\w+|spm|mc_cid|mc_eid|ss_\w+|hsenc|_hsmi|__twitter_impression)$",
    re.IGNORECASE,
)
_AMP_FLAGS = {("outputtype", "amp"), ("output", "amp"), ("format", "amp")}
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp)\.(?=[^.]+\.[^.]+)")
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def registered_domain(url: str) -> str | None:
    """The registrable domain (``lemonde.fr``, ``bbc.co.uk``) from the bundled suffix list,
    or None for an IP address, ``localhost`` or a malformed URL."""
    return get_fld(url, fail_silently=True, fix_protocol=True)


def same_registered_domain(url_a: str, url_b: str) -> bool:
    """Whether two URLs belong to one site (``amp.lefigaro.fr`` and ``www.lefigaro.fr`` do).

    Hosts without a registrable domain (IP addresses, localhost) match only themselves.
    """
    domain_a, domain_b = registered_domain(url_a), registered_domain(url_b)
    if domain_a is None or domain_b is None:
        host_a, host_b = urlsplit(url_a).hostname, urlsplit(url_b).hostname
        return host_a is not None and host_a == host_b
    return domain_a == domain_b


def _clean_path(path: str) -> str:
    segments = [segment for segment in path.split("/") if segment]
    if segments and segments[0].lower() == "amp":
        segments = segments[1:]
    if segments and segments[-1].lower() == "amp":
        segments = segments[:-1]
    if segments:
        segments[-1] = _AMP_SUFFIX.sub("", segments[-1])
    return "/" + "/".join(segments)


def _clean_query(query: str) -> str:
    kept = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=False)
        if not _EXTRA_TRACKERS.match(name) and (name.lower(), value.lower()) not in _AMP_FLAGS
    ]
    return urlencode(sorted(kept))


def _normalize(url: str) -> str:
    parts = urlsplit(normalize_url(url, strict=False, trailing_slash=False))
    host = _MOBILE_HOST.sub("www.", parts.netloc.rstrip("."))
    path = _PERCENT_ESCAPE.sub(lambda m: m.group(0).upper(), _clean_path(parts.path))
    query = _clean_query(parts.query)
    return urlunsplit((parts.scheme, host, path, query, ""))


def canonicalize_url(url: str, canonical_link: str | None = None) -> str:
    """The canonical form of an article URL, used for its id and to recognise revisits.

    ``canonical_link`` is the page's ``rel=canonical`` (absolute or relative to ``url``); it
    is used only when it is an http(s) URL on the same registered domain, since a canonical
    link pointing at another site (a syndication partner, a broken template) must not make two
    sites' pages one article. Idempotent: canonicalising a canonical URL returns it unchanged.
    Raises ValueError for a URL that is not http(s).
    """
    url = url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    chosen = url
    if canonical_link and canonical_link.strip():
        resolved = urljoin(url, canonical_link.strip())
        resolved_parts = urlsplit(resolved)
        if (
            resolved_parts.scheme.lower() in ("http", "https")
            and resolved_parts.netloc
            and same_registered_domain(resolved, url)
        ):
            chosen = resolved
    return _normalize(chosen)
