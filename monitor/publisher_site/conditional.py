"""Validators and conditional-GET answers (RFC 9110 §13), so revisits can be tested for real."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime


def entity_tag(body: bytes) -> str:
    """A strong ETag derived from the body: it changes exactly when the bytes change."""
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def is_not_modified(headers: Mapping[str, str], etag: str, last_modified: datetime) -> bool:
    """Whether a GET with these request headers gets 304.

    If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2); dates
    compare at one-second precision, as HTTP dates carry no more.
    """
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False
