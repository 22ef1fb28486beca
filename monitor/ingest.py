"""Storing one article: relevance → dedup → tag → store, in one transaction.

Every way in (``monitor import``, crawls, backfills) goes through ``ingest_draft``, so the stages
plug in here once. The judge (relevance + tagging) is pure and runs before the transaction
opens; what needs the database (dedup, storage) runs inside it, so a half-written article
never reaches the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.article import ArticleDraft, Judgement
from monitor.db import store
from monitor.db.models import Article
from monitor.dedup import canonicalize_url, text_fingerprint
from monitor.errors import InputError

log = logging.getLogger(__name__)

Judge = Callable[[ArticleDraft], Judgement]
#: A stage that needs the database: called inside the article's transaction after it is stored.
StoredStage = Callable[[Session, Article, store.StoreOutcome], None]


@dataclass(frozen=True)
class Stages:
    """The pluggable parts of ingestion; each is optional until its issue lands."""

    judge: Judge | None = None
    fingerprint: Callable[[str], str] = text_fingerprint
    after_store: tuple[StoredStage, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class IngestResult:
    id: str
    outcome: store.StoreOutcome
    relevance: str | None
    duplicate_of: str | None = None


#: Work a caller adds to the article's own transaction (a crawl's fetch record).
InTransaction = Callable[[Session, IngestResult], None]


def with_canonical_url(draft: ArticleDraft) -> ArticleDraft:
    """Our canonical form of the page's canonical URL (else of its URL): the article id is
    derived from it, so tracking parameters, fragments or host case never make a second row."""
    source_url = draft.canonical_url or draft.url
    if not source_url:
        return draft
    try:
        return replace(draft, canonical_url=canonicalize_url(source_url))
    except ValueError:
        return draft


def ingest_draft(
    engine: Engine,
    draft: ArticleDraft,
    stages: Stages,
    now: datetime | None = None,
    *,
    judgement: Judgement | None = None,
    in_transaction: InTransaction | None = None,
) -> IngestResult:
    """Judge and store one article in its own transaction; idempotent by article id + text.

    A ``judgement`` already made (a crawl judges before deciding to store) is used as is.
    """
    if not draft.text.strip():
        raise InputError("the article has no text")
    draft = with_canonical_url(draft)
    if judgement is None and stages.judge is not None:
        judgement = stages.judge(draft)
    prepared = store.prepare_article(draft, stages.fingerprint(draft.text))
    moment = now or datetime.now(UTC)
    for attempt in (1, 2):
        try:
            with Session(engine) as session, session.begin():
                outcome, article = store.upsert_article(session, prepared, judgement, moment)
                if outcome != "unchanged":
                    for stage in stages.after_store:
                        stage(session, article, outcome)
                result = IngestResult(prepared.id, outcome, article.relevance, article.duplicate_of)
                if in_transaction is not None:
                    in_transaction(session, result)
                return result
        except IntegrityError:
            # Another writer stored the same id or took the same sequence number between our
            # read and our insert; the second attempt sees its row and resolves against it.
            if attempt == 2:
                raise
            log.info("retrying %s after a concurrent write", prepared.id)
    raise AssertionError("unreachable")
