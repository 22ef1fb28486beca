"""Dedup against a real store (SQLite and PostgreSQL): clusters of copies, order independence."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from monitor.article import ArticleDate, ArticleDraft
from monitor.db import store
from monitor.db.engine import open_engine
from monitor.deduplication import Deduplicator, rebuild_index
from monitor.ingest import Stages, ingest_draft
from tests.conftest import SEEDS

STAGES = Stages(deduplicator=Deduplicator())


def _seed_text(name: str) -> str:
    raw = (SEEDS / name).read_text(encoding="utf-8")
    return raw.split(" ", 3)[3] if raw.startswith(" date ") else raw


ORIGINAL = _seed_text("004_5f9aaa8fe0df4825.txt")
OTHER = _seed_text("003_a2f0a24b22965ef1.txt")


def _draft(url: str, text: str, day: str | None) -> ArticleDraft:
    published = ArticleDate(day, "day", "jsonld") if day else None
    return ArticleDraft(text=text, url=url, canonical_url=url, published=published, language="fr")


def corpus() -> list[ArticleDraft]:
    paragraphs = ORIGINAL.split("\n\n")
    truncated = "\n\n".join(["(AFP) - Dépêche reprise par notre rédaction.", *paragraphs[:-3]])
    retouched = OTHER.replace("startup", "start-up").replace("Mistral Large", "Mistral-Large")
    return [
        _draft("https://wire.example/mistral-ai-origines", ORIGINAL, "2023-09-20"),
        _draft("https://journal.example/eco/mistral-ai", truncated, "2023-09-21"),
        _draft("https://tech.example/mistral-large", OTHER, "2024-02-26"),
        _draft("https://autre.example/mistral-large-gpt4", retouched, None),
        _draft("https://blog.example/tres-court", "Mistral AI lève des fonds.", "2024-01-01"),
        _draft("https://blog.example/tres-court-bis", "Mistral AI lève des fonds.", "2024-01-02"),
    ]


def clusters(url: str) -> dict[str, tuple[str | None, str | None]]:
    engine = open_engine(url)
    with Session(engine) as session:
        rows = {
            a.canonical_url: (a.cluster_id, a.duplicate_of)
            for a in store.articles_by_ids(session, store.all_article_ids(session))
        }
    engine.dispose()
    return rows


def test_copies_join_the_earliest_and_short_texts_never_merge(db_url: str) -> None:
    engine = open_engine(db_url)
    docs = corpus()
    for draft in docs:
        ingest_draft(engine, draft, STAGES)
    got = clusters(db_url)
    wire_id = docs[0].resolved_id()
    tech_id = docs[2].resolved_id()
    assert got["https://wire.example/mistral-ai-origines"] == (wire_id, None)
    assert got["https://journal.example/eco/mistral-ai"] == (wire_id, wire_id)
    assert got["https://tech.example/mistral-large"] == (tech_id, None)
    assert got["https://autre.example/mistral-large-gpt4"] == (tech_id, tech_id)
    # Identical one-line texts are too short to judge: never merged.
    assert got["https://blog.example/tres-court"][1] is None
    assert got["https://blog.example/tres-court-bis"][1] is None
    engine.dispose()


def test_a_late_earlier_copy_takes_over_the_cluster(db_url: str) -> None:
    engine = open_engine(db_url)
    docs = corpus()
    ingest_draft(engine, docs[1], STAGES)  # the 21 September copy arrives first
    later = docs[1].resolved_id()
    assert clusters(db_url)["https://journal.example/eco/mistral-ai"] == (later, None)
    ingest_draft(engine, docs[0], STAGES)  # then the 20 September original
    wire_id = docs[0].resolved_id()
    got = clusters(db_url)
    assert got["https://wire.example/mistral-ai-origines"] == (wire_id, None)
    assert got["https://journal.example/eco/mistral-ai"] == (wire_id, wire_id)
    # Rebuilding from stored text gives the same clusters.
    assert rebuild_index(engine, Deduplicator()) == (2, 1)
    assert clusters(db_url) == got
    engine.dispose()


def test_cli_hides_copies_and_show_lists_the_cluster(db_url: str, run_cli, tmp_path: Path) -> None:
    records = tmp_path / "copies.jsonl"
    records.write_text(
        "\n".join(
            json.dumps(
                {
                    "url": d.url,
                    "canonical_url": d.canonical_url,
                    "text": d.text,
                    "published": d.published.value if d.published else None,
                }
            )
            for d in corpus()[:2]
        ),
        encoding="utf-8",
    )
    assert run_cli("--db", db_url, "import", str(records)).exit_code == 0
    shown = [
        json.loads(x)
        for x in run_cli(
            "--db", db_url, "search", "Mensch", "--format", "jsonl"
        ).stdout.splitlines()
    ]
    assert [r["canonical_url"] for r in shown] == ["https://wire.example/mistral-ai-origines"]
    both = run_cli("--db", db_url, "search", "Mensch", "--include-duplicates", "--format", "jsonl")
    copy = next(json.loads(x) for x in both.stdout.splitlines() if "journal.example" in x)
    assert copy["duplicate_of"] == copy["cluster_id"] == shown[0]["id"]
    table = run_cli("--db", db_url, "show", shown[0]["id"])
    assert "cluster" in table.stdout and copy["id"] in table.stdout
    rebuilt = run_cli("--db", db_url, "dedup", "--rebuild")
    assert rebuilt.stdout.strip() == "dedup: 2 article(s) indexed, 1 copies in clusters"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(6)))
def test_clusters_do_not_depend_on_arrival_order(
    sqlite_template: Path, tmp_path_factory, order
) -> None:  # type: ignore[no-untyped-def]
    docs = corpus()
    folder = tmp_path_factory.mktemp("order")
    results = []
    for run, sequence in enumerate((range(6), order)):
        target = folder / f"run{run}.db"
        shutil.copy(sqlite_template, target)
        url = f"sqlite:///{target}"
        engine = open_engine(url)
        for index in sequence:
            ingest_draft(engine, docs[index], STAGES)
        # Twice: importing again changes nothing.
        for index in sequence:
            assert ingest_draft(engine, docs[index], STAGES).outcome == "unchanged"
        engine.dispose()
        results.append(clusters(url))
    assert results[0] == results[1]


def test_url_variants_of_one_page_are_one_article(db_url: str) -> None:
    engine = open_engine(db_url)
    text = corpus()[2].text
    variants = [
        "https://Tech.example/mistral-large?utm_source=rss&utm_medium=feed",
        "https://tech.example/mistral-large#comments",
        "https://tech.example:443/mistral-large",
    ]
    outcomes = [
        ingest_draft(engine, ArticleDraft(text=text, url=url, language="fr"), STAGES).outcome
        for url in variants
    ]
    assert outcomes == ["new", "unchanged", "unchanged"]
    assert list(clusters(db_url)) == ["https://tech.example/mistral-large"]
    engine.dispose()


def test_copies_stored_by_two_writers_at_once_still_cluster(db_url: str) -> None:
    """Two processes (two daemon crawl jobs) storing an original and its copy at the same
    moment: the second writer's dedup step waits for the first one's commit and sees it."""
    docs = corpus()
    first_engine, second_engine = open_engine(db_url), open_engine(db_url)
    # An earlier article has already stored the entities and topics both copies name, so
    # nothing but the dedup step itself can make the second writer wait.
    ingest_draft(first_engine, docs[2], STAGES)
    first_in_transaction = threading.Event()
    second_done = threading.Event()
    second_finished_early: list[bool] = []

    def hold_the_transaction(_session: Session, _result: object) -> None:
        first_in_transaction.set()
        # Give the second writer time to run its whole dedup step if nothing stopped it.
        second_finished_early.append(second_done.wait(timeout=1.5))

    def store_the_copy() -> None:
        first_in_transaction.wait(timeout=30)
        ingest_draft(second_engine, docs[1], STAGES)
        second_done.set()

    second = threading.Thread(target=store_the_copy)
    second.start()
    ingest_draft(first_engine, docs[0], STAGES, in_transaction=hold_the_transaction)
    second.join(timeout=60)
    assert not second.is_alive()
    assert second_finished_early == [False], "the copy was stored before the original committed"
    wire_id = docs[0].resolved_id()
    assert clusters(db_url)["https://journal.example/eco/mistral-ai"] == (wire_id, wire_id)
    first_engine.dispose()
    second_engine.dispose()
