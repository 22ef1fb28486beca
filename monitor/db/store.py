"""Every query and upsert of the article store; the only module with dialect-specific SQL.

Callers hand in a Session inside their own transaction (one unit of work each, see
``monitor.ingest``); nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import (
    Float,
    Integer,
    Select,
    String,
    cast,
    column,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from monitor.article import ArticleDate, ArticleDraft, Judgement, restore_date
from monitor.db.models import (
    Article,
    ArticleEntity,
    ArticleRevision,
    ArticleTopic,
    DedupBand,
    EntityRow,
    Fetch,
    TopicRow,
)
from monitor.filters import ArticleFilter, SortOrder
from monitor.searchtext import search_tokens, to_fts5, to_tsquery
from monitor.taxonomy import Taxonomy

StoreOutcome = Literal["new", "unchanged", "revised"]


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """A draft with everything the store derives from it computed once, outside the transaction."""

    draft: ArticleDraft
    id: str
    text_hash: str
    word_count: int
    tokens: str


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _date_columns(prefix: str, value: ArticleDate | None) -> dict[str, Any]:
    if value is None:
        return {
            f"{prefix}_at": None,
            f"{prefix}_offset": None,
            f"{prefix}_precision": None,
            f"{prefix}_source": None,
        }
    return {
        f"{prefix}_at": value.moment_utc(),
        f"{prefix}_offset": value.utc_offset_minutes(),
        f"{prefix}_precision": value.precision,
        f"{prefix}_source": value.source,
    }


def article_date(article: Article, prefix: Literal["published", "modified"]) -> ArticleDate | None:
    """Rebuild the page's own date (offset and precision kept) from the stored columns."""
    moment: datetime | None = getattr(article, f"{prefix}_at")
    if moment is None:
        return None
    return restore_date(
        moment,
        getattr(article, f"{prefix}_offset"),
        getattr(article, f"{prefix}_precision"),
        getattr(article, f"{prefix}_source"),
    )


def _evidence_json(judgement: Judgement) -> list[dict[str, Any]]:
    return [
        {"term": e.term, "field": e.field, "start": e.start, "end": e.end}
        for e in judgement.evidence
    ]


def _next_seq(session: Session, wanted: int | None) -> int:
    if wanted is not None:
        taken = session.scalar(select(Article.pk).where(Article.seq == wanted))
        if taken is None:
            return wanted
    highest = session.scalar(select(func.max(Article.seq)))
    return 0 if highest is None else highest + 1


def _write_fulltext(session: Session, pk: int, tokens: str) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM articles_fts WHERE rowid = :pk"), {"pk": pk})
        session.execute(
            text("INSERT INTO articles_fts (rowid, tokens) VALUES (:pk, :tokens)"),
            {"pk": pk, "tokens": tokens},
        )
    else:
        session.execute(
            text(
                "INSERT INTO articles_fts (article_pk, tokens) "
                "VALUES (:pk, to_tsvector('simple', :tokens)) "
                "ON CONFLICT (article_pk) DO UPDATE SET tokens = excluded.tokens"
            ),
            {"pk": pk, "tokens": tokens},
        )


def upsert_article(
    session: Session, prepared: PreparedArticle, judgement: Judgement | None, now: datetime
) -> tuple[StoreOutcome, Article]:
    """Store an article by id: new, unchanged (nothing written), or a new revision of its text."""
    draft = prepared.draft
    existing = session.scalar(select(Article).where(Article.id == prepared.id))
    if existing is not None and existing.text_hash == prepared.text_hash:
        return "unchanged", existing
    fields: dict[str, Any] = {
        "canonical_url": draft.canonical_url,
        "url": draft.url,
        "host": host_of(draft.canonical_url or draft.url),
        "source": draft.source,
        "site_name": draft.site_name,
        "title": draft.title,
        "authors": list(draft.authors),
        **_date_columns("published", draft.published),
        "published_first_day": draft.published.first_day() if draft.published else None,
        "published_last_day": draft.published.last_day() if draft.published else None,
        **_date_columns("modified", draft.modified),
        "language": draft.language,
        "paywalled": draft.paywalled,
        "text": draft.text,
        "text_hash": prepared.text_hash,
        "word_count": prepared.word_count,
        "last_seen": now,
    }
    if existing is None:
        # The verdict goes into the INSERT itself: set after the flush, it would cost an UPDATE
        # of the row just written.
        article = Article(
            id=prepared.id,
            seq=_next_seq(session, draft.seq),
            revision=1,
            first_seen=now,
            cluster_id=prepared.id,
            **fields,
            **(_judgement_columns(judgement) if judgement is not None else {}),
        )
        session.add(article)
        session.flush()
        _write_fulltext(session, article.pk, prepared.tokens)
        if judgement is not None:
            _insert_tags_and_entities(session, article.id, judgement)
        return "new", article
    session.add(
        ArticleRevision(
            article_id=existing.id,
            revision=existing.revision,
            title=existing.title,
            text=existing.text,
            text_hash=existing.text_hash,
            modified_at=existing.modified_at,
            replaced_at=now,
        )
    )
    # A revision keeps what we knew and the page no longer says (an imported seed's date).
    for name, value in fields.items():
        if value is not None and value != []:
            setattr(existing, name, value)
    existing.revision += 1
    session.flush()
    _write_fulltext(session, existing.pk, prepared.tokens)
    if judgement is not None:
        replace_judgement(session, existing, judgement)
    return "revised", existing


def prepare_article(draft: ArticleDraft, text_hash: str) -> PreparedArticle:
    tokens = search_tokens(f"{draft.title or ''}\n{draft.text}", draft.language)
    return PreparedArticle(
        draft=draft,
        id=draft.resolved_id(),
        text_hash=text_hash,
        word_count=len(draft.text.split()),
        tokens=tokens,
    )


# -- queries -----------------------------------------------------------------------------------


_FULLTEXT_MATCH = {
    "sqlite": (
        "SELECT rowid AS pk, bm25(articles_fts) AS rank "
        "FROM articles_fts WHERE articles_fts MATCH :query"
    ),
    "postgresql": (
        "SELECT article_pk AS pk, -ts_rank(tokens, to_tsquery('simple', :query)) AS rank "
        "FROM articles_fts WHERE tokens @@ to_tsquery('simple', :query)"
    ),
}


def _fulltext_ranks(session: Session, flt: ArticleFilter) -> Any:
    """A (pk, rank) selectable of the articles matching the text query; lower rank is better."""
    assert flt.query is not None
    dialect = session.get_bind().dialect.name
    rendered = to_fts5(flt.query) if dialect == "sqlite" else to_tsquery(flt.query)
    return (
        text(_FULLTEXT_MATCH[dialect])
        .bindparams(query=rendered)
        .columns(column("pk", Integer), column("rank", Float))
        .subquery("matches")
    )


def select_articles(
    session: Session, flt: ArticleFilter, sort: SortOrder = "date", limit: int | None = None
) -> Select[tuple[Article]]:
    stmt = select(Article)
    rank = None
    if flt.query is not None:
        matches = _fulltext_ranks(session, flt)
        stmt = stmt.join(matches, matches.c.pk == Article.pk)
        rank = matches.c.rank
    if flt.since is not None:
        stmt = stmt.where(Article.published_last_day >= flt.since)
    if flt.until is not None:
        stmt = stmt.where(Article.published_first_day <= flt.until)
    if flt.sources:
        hosts = [s.lower().removeprefix("www.") for s in flt.sources]
        stmt = stmt.where(or_(Article.source.in_(flt.sources), Article.host.in_(hosts)))
    if flt.languages:
        stmt = stmt.where(Article.language.in_(flt.languages))
    if flt.relevance is not None:
        stmt = stmt.where(
            or_(Article.relevance.in_(flt.relevance), Article.relevance.is_(None))
            if set(flt.relevance) >= {"about", "passing"}
            else Article.relevance.in_(flt.relevance)
        )
    if not flt.include_duplicates:
        stmt = stmt.where(Article.duplicate_of.is_(None))
    for topic in flt.topics:
        # A parent topic matches its children too (funding matches funding.valuation).
        stmt = stmt.where(
            select(ArticleTopic.article_id)
            .where(
                ArticleTopic.article_id == Article.id,
                or_(ArticleTopic.topic_id == topic, ArticleTopic.topic_id.startswith(topic + ".")),
            )
            .exists()
        )
    for name in flt.entities:
        stmt = stmt.where(
            select(ArticleEntity.article_id)
            .join(EntityRow, EntityRow.pk == ArticleEntity.entity_pk)
            .where(
                ArticleEntity.article_id == Article.id,
                func.lower(EntityRow.name) == name.lower(),
            )
            .exists()
        )
    if flt.author:
        # Authors are a JSON list; a substring test on its text form works on both backends.
        stmt = stmt.where(func.lower(cast(Article.authors, String)).contains(flt.author.lower()))
    if sort == "relevance" and rank is not None:
        stmt = stmt.order_by(rank.asc(), Article.seq)
    elif sort == "relevance":
        stmt = stmt.order_by(Article.relevance_score.desc().nulls_last(), Article.seq)
    else:
        stmt = stmt.order_by(
            Article.published_at.desc().nulls_last(), Article.first_seen.desc(), Article.seq
        )
    if limit is not None:
        stmt = stmt.limit(limit)
    return stmt


def find_articles(
    session: Session, flt: ArticleFilter, sort: SortOrder = "date", limit: int | None = None
) -> list[Article]:
    return list(session.scalars(select_articles(session, flt, sort, limit)))


def iter_articles(session: Session, flt: ArticleFilter) -> Iterator[Article]:
    """Stream articles in sequence order (exports), without holding them all in memory."""
    stmt = select_articles(session, flt).order_by(None).order_by(Article.seq)
    yield from session.scalars(stmt.execution_options(yield_per=500))


def get_article(session: Session, article_id: str) -> Article | None:
    return session.scalar(select(Article).where(Article.id == article_id))


def get_revisions(session: Session, article_id: str) -> list[ArticleRevision]:
    return list(
        session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article_id)
            .order_by(ArticleRevision.revision)
        )
    )


def cluster_members(session: Session, cluster_id: str) -> list[Article]:
    return list(
        session.scalars(
            select(Article).where(Article.cluster_id == cluster_id).order_by(Article.seq)
        )
    )


@dataclass(frozen=True)
class StoreStats:
    articles: int
    duplicates: int
    revisions: int
    by_relevance: dict[str, int]
    by_source: dict[str, int]
    by_language: dict[str, int]
    by_month: dict[str, int]
    by_topic: dict[str, int]
    fetch_outcomes: dict[str, int]
    undated: int


def collect_stats(session: Session) -> StoreStats:
    def counts(column: Any) -> dict[str, int]:
        rows = session.execute(
            select(column, func.count()).group_by(column).order_by(func.count().desc())
        )
        return {str(key) if key is not None else "(none)": n for key, n in rows}

    month = func.substr(cast(Article.published_first_day, String), 1, 7)
    return StoreStats(
        articles=session.scalar(select(func.count()).select_from(Article)) or 0,
        duplicates=session.scalar(
            select(func.count()).select_from(Article).where(Article.duplicate_of.is_not(None))
        )
        or 0,
        revisions=session.scalar(select(func.count()).select_from(ArticleRevision)) or 0,
        by_relevance=counts(Article.relevance),
        by_source=counts(func.coalesce(Article.source, Article.host, Article.site_name)),
        by_language=counts(Article.language),
        by_month=dict(
            sorted(
                (
                    (str(key), n)
                    for key, n in session.execute(
                        select(month, func.count())
                        .where(Article.published_first_day.is_not(None))
                        .group_by(month)
                    )
                ),
                reverse=True,
            )
        ),
        by_topic=topic_counts(session),
        fetch_outcomes=counts(Fetch.outcome),
        undated=session.scalar(
            select(func.count()).select_from(Article).where(Article.published_at.is_(None))
        )
        or 0,
    )


# -- near-duplicate index ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    id: str
    text: str
    exact_key: str | None


#: Transaction advisory lock key serialising the dedup step across writer processes (PostgreSQL).
DEDUP_LOCK_KEY = int.from_bytes(b"mon.dedup", "big") & 0x7FFF_FFFF_FFFF_FFFF


def serialise_dedup(session: Session) -> None:
    """Make the dedup step of this transaction wait for every other writer's to commit.

    Two processes storing copies of one story at the same moment (two daemon crawl jobs, two
    backfills) must see each other's index rows, or neither clusters with the other. Under
    PostgreSQL's READ COMMITTED an uncommitted band row is invisible, so the step takes a
    transaction-scoped advisory lock, released at commit or rollback. SQLite needs nothing:
    it has one writer at a time, and a writer whose snapshot went stale fails with a
    busy-snapshot error that the article's transaction retries whole.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DEDUP_LOCK_KEY})


def replace_bands(session: Session, article_id: str, keys: list[int]) -> None:
    session.execute(delete(DedupBand).where(DedupBand.article_id == article_id))
    if keys:
        session.execute(
            insert(DedupBand.__table__),
            [{"band_key": k, "article_id": article_id} for k in sorted(set(keys))],
        )


def duplicate_candidates(
    session: Session, article_id: str, exact_key: str | None, keys: list[int]
) -> list[DuplicateCandidate]:
    """Articles sharing the exact key or any band key with this one (itself excluded).

    Two index lookups, then the rows by id: a single query with OR'ed subqueries lets
    PostgreSQL fall back to scanning ``articles``, which grows with the store.
    """
    ids: set[str] = set()
    if keys:
        ids.update(
            session.scalars(
                select(DedupBand.article_id).where(DedupBand.band_key.in_(sorted(set(keys))))
            )
        )
    if exact_key is not None:
        ids.update(session.scalars(select(Article.id).where(Article.exact_key == exact_key)))
    ids.discard(article_id)
    if not ids:
        return []
    rows = session.execute(
        select(Article.id, Article.text, Article.exact_key)
        .where(Article.id.in_(sorted(ids)))
        .order_by(Article.id)
    )
    return [DuplicateCandidate(*row) for row in rows]


def articles_by_ids(session: Session, ids: list[str]) -> list[Article]:
    return list(session.scalars(select(Article).where(Article.id.in_(ids)).order_by(Article.id)))


def articles_in_clusters(session: Session, cluster_ids: set[str]) -> list[Article]:
    return list(
        session.scalars(
            select(Article).where(Article.cluster_id.in_(cluster_ids)).order_by(Article.id)
        )
    )


def reset_clusters(session: Session) -> None:
    """Every article its own cluster and no band rows: the start of ``dedup --rebuild``."""
    session.execute(delete(DedupBand))
    session.execute(update(Article).values(cluster_id=Article.id, duplicate_of=None))


def all_article_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Article.id).order_by(Article.seq)))


# -- topics and entities -------------------------------------------------------------------------


def sync_topics(session: Session, taxonomy: Taxonomy) -> None:
    """Make the ``topics`` table match the taxonomy file (added, relabelled, removed)."""
    wanted = {topic.id: topic for topic in taxonomy.topics}
    for row in session.scalars(select(TopicRow)):
        if row.id not in wanted:
            session.delete(row)
    for topic in wanted.values():
        row = session.get(TopicRow, topic.id) or TopicRow(id=topic.id)
        row.parent_id = topic.parent_id
        row.label_fr = topic.label_fr
        row.label_en = topic.label_en
        row.iptc_code = topic.iptc_code
        row.taxonomy_version = taxonomy.version
        session.add(row)
    session.flush()


def replace_judgement(session: Session, article: Article, judgement: Judgement) -> None:
    """Store the verdict, tags and entity mentions the judge computed for the article."""
    for name, value in _judgement_columns(judgement).items():
        setattr(article, name, value)
    session.execute(delete(ArticleTopic).where(ArticleTopic.article_id == article.id))
    session.execute(delete(ArticleEntity).where(ArticleEntity.article_id == article.id))
    _insert_tags_and_entities(session, article.id, judgement)


def _judgement_columns(judgement: Judgement) -> dict[str, Any]:
    return {
        "relevance": judgement.relevance,
        "relevance_score": judgement.score,
        "relevance_evidence": _evidence_json(judgement),
        "tagger_version": judgement.tagger_version or None,
    }


def _insert_tags_and_entities(session: Session, article_id: str, judgement: Judgement) -> None:
    """Plain table inserts (not the ORM's bulk path: these rows are never loaded as objects
    in the same transaction, and the ORM's bookkeeping was a third of a page's storage)."""
    if judgement.topics:
        session.execute(
            insert(ArticleTopic.__table__),
            [
                {
                    "article_id": article_id,
                    "topic_id": tag.topic_id,
                    "score": tag.score,
                    "evidence": [
                        {"term": e.term, "field": e.field, "start": e.start, "end": e.end}
                        for e in tag.evidence
                    ],
                    "tagger_version": judgement.tagger_version,
                }
                for tag in judgement.topics
            ],
        )
    if judgement.entities:
        pks = _entity_pks(session, {(m.name, m.kind) for m in judgement.entities})
        session.execute(
            insert(ArticleEntity.__table__),
            [
                {"article_id": article_id, "entity_pk": pks[m.name, m.kind], "mentions": m.count}
                for m in judgement.entities
            ],
        )


def _entity_pks(session: Session, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Primary keys of the gazetteer entities, creating the ones never seen (one query each way)."""
    names = {name for name, _ in wanted}
    known = {
        (name, kind): pk
        for pk, name, kind in session.execute(
            select(EntityRow.pk, EntityRow.name, EntityRow.kind).where(EntityRow.name.in_(names))
        )
    }
    missing = sorted(wanted - set(known))
    if missing:
        session.execute(insert(EntityRow), [{"name": n, "kind": k} for n, k in missing])
        known.update(
            {
                (name, kind): pk
                for pk, name, kind in session.execute(
                    select(EntityRow.pk, EntityRow.name, EntityRow.kind).where(
                        EntityRow.name.in_({n for n, _ in missing})
                    )
                )
            }
        )
    return known


def topic_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(ArticleTopic.topic_id, func.count())
        .group_by(ArticleTopic.topic_id)
        .order_by(func.count().desc())
    )
    return {topic: n for topic, n in rows}
