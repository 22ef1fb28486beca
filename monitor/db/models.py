"""The data model of DESIGN.md as SQLAlchemy 2.0 typed models.

Alembic owns the schema (``alembic/``); these models must match the migrations (CI runs
``alembic check``). The full-text index is not a model: it is a different object on each
backend (an FTS5 table, a tsvector table) created by the migrations and written by ``store``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back an aware UTC datetime, whatever the backend keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


ArticleId = Annotated[str, mapped_column(String(16))]
Timestamp = Annotated[datetime, mapped_column(UTCDateTime())]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class Article(Base):
    """One distinct canonical URL (or imported seed) that passed relevance."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_published_days", "published_first_day", "published_last_day"),
    )

    #: Internal integer key: the full-text index row of the article.
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[ArticleId] = mapped_column(unique=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    canonical_url: Mapped[str | None] = mapped_column(Text, unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255), index=True)
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    site_name: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[Any]] = mapped_column(JSON, default=list)

    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    published_offset: Mapped[int | None] = mapped_column(Integer)
    published_precision: Mapped[str | None] = mapped_column(String(8))
    published_source: Mapped[str | None] = mapped_column(String(10))
    #: The days the publication date may stand for, in the publisher's offset (filters use them).
    published_first_day: Mapped[date | None] = mapped_column(Date)
    published_last_day: Mapped[date | None] = mapped_column(Date)
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    modified_offset: Mapped[int | None] = mapped_column(Integer)
    modified_precision: Mapped[str | None] = mapped_column(String(8))
    modified_source: Mapped[str | None] = mapped_column(String(10))

    language: Mapped[str | None] = mapped_column(String(12), index=True)
    paywalled: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    #: Exact-duplicate key (None for texts too short or repetitive to judge).
    exact_key: Mapped[str | None] = mapped_column(String(64), index=True)
    word_count: Mapped[int] = mapped_column(Integer)

    #: What the relevance judge computed (human overrides will live in their own table).
    relevance: Mapped[str | None] = mapped_column(String(8), index=True)
    relevance_score: Mapped[float | None] = mapped_column(Float)
    relevance_evidence: Mapped[list[Any] | None] = mapped_column(JSON)
    tagger_version: Mapped[str | None] = mapped_column(String(64))

    cluster_id: Mapped[str | None] = mapped_column(String(16), index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(16), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[Timestamp]
    last_seen: Mapped[Timestamp]

    tags: Mapped[list[ArticleTopic]] = relationship(
        lazy="selectin",
        order_by="(ArticleTopic.score.desc(), ArticleTopic.topic_id)",
        viewonly=True,
    )
    mentions: Mapped[list[ArticleEntity]] = relationship(
        lazy="selectin",
        order_by="(ArticleEntity.mentions.desc(), ArticleEntity.entity_pk)",
        viewonly=True,
    )


class ArticleRevision(Base):
    """An earlier text of an article whose page changed after we first stored it."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "revision"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[ArticleId] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replaced_at: Mapped[Timestamp]


class DedupBand(Base):
    """The near-duplicate index: one row per LSH band key of an article's MinHash signature.

    Candidates for a new article are the articles sharing any of its band keys; the keys carry
    the band number and the dedup settings, so no other column is needed.
    """

    __tablename__ = "dedup_bands"

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[ArticleId] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Source(Base):
    """A place articles are discovered from, polled on its own interval."""

    __tablename__ = "sources"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    #: The feed, sitemap or site URL; for `urls` and `warc` sources, the file paths.
    url: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(12))
    interval_seconds: Mapped[int] = mapped_column(Integer, default=3600)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Per-source overrides of crawl settings (delay, concurrency, page limits...).
    politeness: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[Timestamp]
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_outcome: Mapped[str | None] = mapped_column(String(20))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_new_articles: Mapped[int | None] = mapped_column(Integer)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    #: The daemon's adaptive polling: the interval it uses now and the run it has planned.
    poll_seconds: Mapped[int | None] = mapped_column(Integer)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Fetch(Base):
    """One fetch (or one WARC record read): the crawl's memory and its audit log."""

    __tablename__ = "fetches"
    __table_args__ = (Index("ix_fetches_url_fetched_at", "url", "fetched_at"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    crawl_id: Mapped[str | None] = mapped_column(String(32), index=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    fetched_at: Mapped[Timestamp] = mapped_column(index=True)
    status: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    bytes: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    article_id: Mapped[str | None] = mapped_column(String(16), index=True)


class UrlState(Base):
    """What the frontier knows of a URL: when it is due again, and its validators for a
    conditional GET. Filled from the fetch log; one row per canonical URL."""

    __tablename__ = "url_state"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    first_seen: Mapped[Timestamp]
    last_fetched: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_due: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    revisits: Mapped[int] = mapped_column(Integer, default=0)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_outcome: Mapped[str | None] = mapped_column(String(20))
    last_status: Mapped[int | None] = mapped_column(Integer)
    article_id: Mapped[str | None] = mapped_column(String(16))
    #: Newest date a feed or sitemap showed for the URL (a newer one makes it due again).
    hinted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TopicRow(Base):
    """A topic of the taxonomy file, loaded (and versioned) so that SQL can join on it."""

    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(String(100))
    label_fr: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)
    iptc_code: Mapped[str | None] = mapped_column(String(20))
    taxonomy_version: Mapped[str] = mapped_column(String(40))


class ArticleTopic(Base):
    """A tag: what the tagger computed, with the terms that fired (overrides will be separate)."""

    __tablename__ = "article_topics"

    article_id: Mapped[ArticleId] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tagger_version: Mapped[str] = mapped_column(String(64))


class EntityRow(Base):
    """A gazetteer entity (person, organisation, product) mentioned by some article."""

    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("name", "kind"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))


class ArticleEntity(Base):
    __tablename__ = "article_entities"

    article_id: Mapped[ArticleId] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    entity_pk: Mapped[int] = mapped_column(
        ForeignKey("entities.pk", ondelete="CASCADE"), primary_key=True, index=True
    )
    mentions: Mapped[int] = mapped_column(Integer)

    entity: Mapped[EntityRow] = relationship(lazy="joined", viewonly=True)


class DaemonHeartbeat(Base):
    """One row per daemon run: `monitor status` calls a daemon alive while it beats."""

    __tablename__ = "daemon_heartbeats"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[Timestamp]
    beat_at: Mapped[Timestamp] = mapped_column(index=True)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: running | stopping | stopped
    state: Mapped[str] = mapped_column(String(12))


class DaemonState(Base):
    """Small facts the daemon must remember across restarts (when maintenance last ran)."""

    __tablename__ = "daemon_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[Timestamp]


class Notification(Base):
    """An ``about`` article the outputs announced (one per cluster), and each channel's delivery.

    The row is written before any output so that a crash repeats a delivery rather than loses it;
    the JSON lines file is reconciled with these rows at start, the Atom feed is rebuilt from them.
    """

    __tablename__ = "notifications"

    article_id: Mapped[ArticleId] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    #: The article's cluster when it was announced: later copies of that cluster stay silent.
    cluster_key: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[Timestamp] = mapped_column(index=True)
    jsonl_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    webhook_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    webhook_attempts: Mapped[int] = mapped_column(Integer, default=0)
    webhook_error: Mapped[str | None] = mapped_column(Text)
