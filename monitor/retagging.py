"""Re-running relevance and tagging on stored articles after the taxonomy or judge changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitor.article import ArticleDraft, Judgement
from monitor.db import store
from monitor.db.models import Article
from monitor.taxonomy import load_taxonomy

BATCH = 200


def retag_all(engine: Engine, judge: Callable[[ArticleDraft], Judgement]) -> Counter[str]:
    """Judge every stored article again; returns how many changed verdict and how many kept it.

    Batches are committed one by one, so an interrupted retag is simply run again.
    """
    counts: Counter[str] = Counter()
    with Session(engine) as session, session.begin():
        store.sync_topics(session, load_taxonomy())
        ids = store.all_article_ids(session)
    for start in range(0, len(ids), BATCH):
        with Session(engine) as session, session.begin():
            articles = session.scalars(
                select(Article).where(Article.id.in_(ids[start : start + BATCH]))
            )
            for article in articles:
                before = article.relevance
                judgement = judge(
                    ArticleDraft(text=article.text, title=article.title, language=article.language)
                )
                store.replace_judgement(session, article, judgement)
                counts["changed" if judgement.relevance != before else "same"] += 1
    return counts
