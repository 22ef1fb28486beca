"""The dedup stage against the store: index an article, confirm its candidates, recluster.

The pure work (signatures, band keys, the similarity check, the cluster rule) lives in
``monitor.dedup``; this module runs it inside the article's transaction. Clusters are the
connected components of confirmed pairs, so the result does not depend on arrival order: a
pair is examined when its later member arrives, whichever that is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitor.db import store
from monitor.db.models import Article
from monitor.dedup import (
    ClusterMember,
    DedupSettings,
    assign_clusters,
    band_keys,
    confirm_duplicate,
    exact_duplicate_key,
    signature_for,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DedupKeys:
    """What the index needs of a text, computed without the database (a worker can do it)."""

    exact_key: str | None
    band_keys: tuple[int, ...]


@dataclass(frozen=True)
class Deduplicator:
    """The ingestion stage that clusters copies of the same story (new and revised articles
    are indexed alike)."""

    settings: DedupSettings = field(default_factory=DedupSettings)

    def keys_for(self, text: str) -> DedupKeys:
        signature = signature_for(text, self.settings)
        return DedupKeys(
            exact_key=exact_duplicate_key(text, self.settings),
            band_keys=tuple(band_keys(signature)) if signature is not None else (),
        )

    def index_and_cluster(
        self, session: Session, article: Article, keys: DedupKeys | None = None
    ) -> list[str]:
        """Index the article, then recluster it with every confirmed copy; returns their ids."""
        keys = keys or self.keys_for(article.text)
        exact_key = keys.exact_key
        article.exact_key = exact_key
        band = list(keys.band_keys)
        store.serialise_dedup(session)
        store.replace_bands(session, article.id, band)
        confirmed = []
        for candidate in store.duplicate_candidates(session, article.id, exact_key, band):
            if exact_key is not None and candidate.exact_key == exact_key:
                confirmed.append(candidate.id)
                continue
            verdict = confirm_duplicate(article.text, candidate.text, self.settings)
            if verdict.is_duplicate:
                confirmed.append(candidate.id)
            log.debug("%s ~ %s: %s", article.id, candidate.id, verdict)
        if confirmed:
            self._recluster(session, article, confirmed)
        return confirmed

    def _recluster(self, session: Session, article: Article, confirmed: list[str]) -> None:
        others = store.articles_by_ids(session, confirmed)
        cluster_ids = {article.cluster_id or article.id} | {o.cluster_id or o.id for o in others}
        members = {a.id: a for a in store.articles_in_clusters(session, cluster_ids)}
        members.update({o.id: o for o in others})
        members[article.id] = article
        # Existing clusters stay connected through their canonical member.
        pairs = [(m.id, m.cluster_id) for m in members.values() if m.cluster_id in members]
        pairs += [(article.id, other) for other in confirmed]
        assignments = assign_clusters(
            [
                ClusterMember(id=m.id, published_at=m.published_at, first_seen=m.first_seen)
                for m in members.values()
            ],
            pairs,
        )
        for member_id, assignment in assignments.items():
            members[member_id].cluster_id = assignment.cluster_id
            members[member_id].duplicate_of = assignment.duplicate_of


def rebuild_index(engine: Engine, deduplicator: Deduplicator) -> tuple[int, int]:
    """Recompute exact keys, band rows and clusters from stored text.

    Returns (articles indexed, articles that are copies). Each article is its own transaction
    after the reset, so a rebuild interrupted half-way is simply run again.
    """
    with Session(engine) as session, session.begin():
        store.reset_clusters(session)
        ids = store.all_article_ids(session)
    for article_id in ids:
        with Session(engine) as session, session.begin():
            article = store.get_article(session, article_id)
            if article is not None:
                deduplicator.index_and_cluster(session, article)
    with Session(engine) as session:
        copies = store.collect_stats(session).duplicates
    return len(ids), copies
