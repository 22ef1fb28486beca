"""Storing one article: relevance → dedup → tag → store, in one transaction.

Every way in (``monitor import``, crawls, backfills) goes through ``ingest_draft``, so the stages
plug in here once. The judge (relevance + tagging) is pure and runs before the transaction
opens; what needs the database (dedup, storage) runs inside it, so a half-written article
never reaches the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from monitor.article import ArticleDraft, Judgement
from monitor.db import store
from monitor.dedup import canonicalize_url, text_fingerprint
from monitor.deduplication import DedupKeys, Deduplicator
from monitor.errors import InputError

log = logging.getLogger(__name__)

#: Attempts at an article's transaction when concurrent writers collide.
WRITE_ATTEMPTS = 4

Judge = Callable[[ArticleDraft], Judgement]


@dataclass(frozen=True)
class Stages:
    """The pluggable parts of ingestion; each is optional until its issue lands."""

    judge: Judge | None = None
    deduplicator: Deduplicator | None = None
    fingerprint: Callable[[str], str] = text_fingerprint


@dataclass(frozen=True)
class PreparedDraft:
    """Everything pure about one article, computed apart from its transaction — in a crawl, in
    the extraction worker process, so that the crawl process only stores."""

    article: store.PreparedArticle
    judgement: Judgement | None
    dedup_keys: DedupKeys | None


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


def prepare_draft(
    draft: ArticleDraft, stages: Stages, judgement: Judgement | None = None
) -> PreparedDraft:
    """Canonical URL, judgement, search tokens, fingerprint and dedup keys of a draft (pure).

    A ``judgement`` already made (a crawl judges before deciding to store) is used as is.
    """
    if not draft.text.strip():
        raise InputError("the article has no text")
    draft = with_canonical_url(draft)
    if judgement is None and stages.judge is not None:
        judgement = stages.judge(draft)
    return PreparedDraft(
        article=store.prepare_article(draft, stages.fingerprint(draft.text)),
        judgement=judgement,
        dedup_keys=stages.deduplicator.keys_for(draft.text) if stages.deduplicator else None,
    )


def ingest_draft(
    engine: Engine,
    draft: ArticleDraft,
    stages: Stages,
    now: datetime | None = None,
    *,
    judgement: Judgement | None = None,
    in_transaction: InTransaction | None = None,
) -> IngestResult:
    """Judge and store one article in its own transaction; idempotent by article id + text."""
    prepared = prepare_draft(draft, stages, judgement)
    return ingest_prepared(engine, prepared, stages, now, in_transaction=in_transaction)


def ingest_prepared(
    engine: Engine,
    prepared: PreparedDraft,
    stages: Stages,
    now: datetime | None = None,
    *,
    in_transaction: InTransaction | None = None,
) -> IngestResult:
    """Store a prepared article (dedup included) in one transaction."""
    moment = now or datetime.now(UTC)
    article_id = prepared.article.id
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            with Session(engine) as session, session.begin():
                outcome, article = store.upsert_article(
                    session, prepared.article, prepared.judgement, moment
                )
                if outcome != "unchanged" and stages.deduplicator is not None:
                    stages.deduplicator.index_and_cluster(session, article, prepared.dedup_keys)
                result = IngestResult(article_id, outcome, article.relevance, article.duplicate_of)
                if in_transaction is not None:
                    in_transaction(session, result)
                return result
        except (IntegrityError, OperationalError) as exc:
            # Another writer (a second crawl process) stored the same id, took the same
            # sequence number or entity, or deadlocked with us on a cluster; the transaction
            # rolled back whole, and the next attempt sees the other's rows.
            if attempt == WRITE_ATTEMPTS:
                raise
            log.info("retrying %s after a concurrent write (%s)", article_id, type(exc).__name__)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")
