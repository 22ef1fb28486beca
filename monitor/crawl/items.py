"""What a spider hands to the pipelines: one fetched (or failed) page and what became of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from monitor.article import ArticleDraft, Judgement
from monitor.ingest import PreparedDraft


@dataclass(frozen=True)
class PageItem:
    """A page fetch travelling through the pipelines; each stage returns a new item.

    ``outcome`` stays None while the page is still in play; a stage that decides its fate
    (a failure, an irrelevant page, a stored article) sets it, and later stages pass it on.
    """

    url: str
    frontier_url: str
    source: str | None
    crawl_id: str
    fetched_at: datetime
    status: int | None = None
    final_url: str | None = None
    body: bytes = field(default=b"", repr=False)
    headers: dict[str, str] = field(default_factory=dict)
    duration_ms: int | None = None
    hint_published: datetime | None = None
    hint_title: str | None = None
    outcome: str | None = None
    error: str | None = None
    draft: ArticleDraft | None = None
    judgement: Judgement | None = None
    prepared: PreparedDraft | None = field(default=None, repr=False)
    article_id: str | None = None
    #: The storage stage already ran in a worker process (see ``monitor.crawl.workers``).
    stored_in_worker: bool = False
