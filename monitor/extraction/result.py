"""What extraction hands back, and its JSON form for ``monitor extract``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor.article import ArticleDraft

#: Machine-readable reasons a page gave no article; the fetch log records them as they are.
ERROR_REASONS: tuple[str, ...] = (
    "empty",
    "not_html",
    "too_large",
    "unparseable",
    "no_article",
    "consent_wall",
    "unreadable",
)

JSON_KEYS: tuple[str, ...] = (
    "file",
    "url",
    "canonical_url",
    "title",
    "authors",
    "published",
    "modified",
    "date_precision",
    "date_source",
    "language",
    "site_name",
    "paywalled",
    "text",
    "error",
)


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """Either a draft (``error`` None) or an error reason with a human sentence."""

    draft: ArticleDraft | None
    error: str | None = None
    error_message: str | None = None

    @property
    def ok(self) -> bool:
        return self.draft is not None and self.error is None

    @classmethod
    def failure(cls, reason: str, message: str) -> ExtractionResult:
        return cls(draft=None, error=reason, error_message=message)


def result_to_json(
    result: ExtractionResult, file: str | None, url: str | None = None
) -> dict[str, Any]:
    """The JSON object of DESIGN.md's ``monitor extract``: exactly :data:`JSON_KEYS`.

    ``url`` is the fetched URL given by the caller, used when there is no draft to carry it.
    ``date_precision``/``date_source`` describe ``published``; ``error`` is the reason code
    (the human sentence is ``result.error_message``, which the CLI prints on stderr).
    """
    draft = result.draft
    published = draft.published if draft else None
    return {
        "file": file,
        "url": (draft.url if draft else None) or url,
        "canonical_url": draft.canonical_url if draft else None,
        "title": draft.title if draft else None,
        "authors": list(draft.authors) if draft else [],
        "published": published.value if published else None,
        "modified": draft.modified.value if draft and draft.modified else None,
        "date_precision": published.precision if published else None,
        "date_source": published.source if published else None,
        "language": draft.language if draft else None,
        "site_name": draft.site_name if draft else None,
        "paywalled": draft.paywalled if draft else False,
        "text": draft.text if draft else None,
        "error": result.error,
    }
