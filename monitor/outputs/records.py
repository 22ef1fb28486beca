"""The ``notifications`` rows: which articles were announced (one per cluster) and where."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from monitor.db.models import Article, Notification
from monitor.db.store import article_date
from monitor.outputs.announcement import Announcement, summary_of

#: Articles already announced, as the inner side of the "cluster already announced" test. One
#: named alias for the process: a new anonymous alias per call would be a new statement shape
#: each time for SQLAlchemy's caches, and the daemon calls this after every crawl for months.
_ANNOUNCED = aliased(Article, name="announced")


def cluster_key(article: Article) -> str:
    return article.cluster_id or article.id


def announce_new(session: Session, since: datetime, now: datetime) -> list[str]:
    """Record a notification for each cluster with an ``about`` article first seen after
    ``since`` and none announced yet; returns the new notifications' article ids.

    Clusters are checked twice: by the key recorded at announcement and by the current cluster
    of announced articles, since a cluster's id moves when an earlier copy arrives.
    """
    announced = _ANNOUNCED
    current_clusters = select(func.coalesce(announced.cluster_id, announced.id)).join(
        Notification, Notification.article_id == announced.id
    )
    key = func.coalesce(Article.cluster_id, Article.id)
    candidates = session.scalars(
        select(Article)
        .where(
            Article.relevance == "about",
            Article.first_seen >= since,
            key.not_in(select(Notification.cluster_key)),
            key.not_in(current_clusters),
        )
        .order_by(Article.duplicate_of.is_not(None), Article.first_seen, Article.seq)
    )
    chosen: dict[str, Article] = {}
    for article in candidates:
        chosen.setdefault(cluster_key(article), article)
    for key_value, article in chosen.items():
        session.add(Notification(article_id=article.id, cluster_key=key_value, created_at=now))
    session.flush()
    return [a.id for a in chosen.values()]


def _announcements(session: Session, rows: Iterable[Notification]) -> list[Announcement]:
    rows = list(rows)
    articles = {
        a.id: a
        for a in session.scalars(
            select(Article).where(Article.id.in_([r.article_id for r in rows]))
        )
    }
    found = []
    for row in rows:
        article = articles.get(row.article_id)
        if article is None:
            continue
        published = article_date(article, "published")
        found.append(
            Announcement(
                id=article.id,
                url=article.canonical_url or article.url,
                title=article.title,
                site_name=article.site_name,
                source=article.source,
                authors=tuple(article.authors or ()),
                published=published.value if published else None,
                language=article.language,
                topics=tuple(t.topic_id for t in article.tags),
                summary=summary_of(article.text),
                first_seen=article.first_seen.isoformat(),
                announced=row.created_at.isoformat(),
            )
        )
    return found


def pending_jsonl(session: Session, since: datetime) -> list[Announcement]:
    rows = session.scalars(
        select(Notification)
        .where(Notification.jsonl_at.is_(None), Notification.created_at >= since)
        .order_by(Notification.created_at, Notification.article_id)
    )
    return _announcements(session, rows)


def pending_webhook(session: Session, since: datetime, max_attempts: int) -> list[Announcement]:
    rows = session.scalars(
        select(Notification)
        .where(
            Notification.webhook_at.is_(None),
            Notification.webhook_attempts < max_attempts,
            Notification.created_at >= since,
        )
        .order_by(Notification.created_at, Notification.article_id)
    )
    return _announcements(session, rows)


def newest(session: Session, limit: int) -> list[Announcement]:
    rows = session.scalars(
        select(Notification)
        .order_by(Notification.created_at.desc(), Notification.article_id.desc())
        .limit(limit)
    )
    return _announcements(session, rows)


def mark_jsonl(session: Session, ids: Sequence[str], now: datetime) -> None:
    if ids:
        session.execute(
            update(Notification)
            .where(Notification.article_id.in_(list(ids)), Notification.jsonl_at.is_(None))
            .values(jsonl_at=now)
        )


def mark_webhook(session: Session, ids: Sequence[str], now: datetime, error: str | None) -> None:
    if not ids:
        return
    values: dict[str, object] = {"webhook_attempts": Notification.webhook_attempts + 1}
    if error is None:
        values.update(webhook_at=now, webhook_error=None)
    else:
        values["webhook_error"] = error
    session.execute(
        update(Notification).where(Notification.article_id.in_(list(ids))).values(**values)
    )
