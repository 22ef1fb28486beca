"""An article as the outputs announce it: what a reader needs to decide to open it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

SUMMARY_CHARS = 400


@dataclass(frozen=True)
class Announcement:
    id: str
    url: str | None
    title: str | None
    site_name: str | None
    source: str | None
    authors: tuple[str, ...]
    #: ISO 8601 with the publisher's offset, a day, or None.
    published: str | None
    language: str | None
    topics: tuple[str, ...]
    summary: str
    #: When the monitor first stored it (UTC, ISO 8601).
    first_seen: str
    #: When the outputs announced it (UTC, ISO 8601): the Atom entry's ``updated``.
    announced: str

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["authors"] = list(self.authors)
        record["topics"] = list(self.topics)
        return record


def summary_of(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first paragraph, cut at a word boundary when it is long."""
    first = text.strip().split("\n\n", 1)[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
