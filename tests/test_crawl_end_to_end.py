"""Crawl a loopback publisher into SQLite and PostgreSQL and check exactly what landed."""

from __future__ import annotations

import difflib
import signal
import time
from pathlib import Path

import pytest

from monitor.publisher_site import TestSites, crawl_test_faults, load_templates
from tests.conftest import FIXTURES
from tests.crawling import execute, monitor, monitor_popen, query, write_config

TEMPLATES = FIXTURES / "site" / "templates"


@pytest.fixture(scope="module")
def templates() -> dict[str, str]:
    return load_templates(TEMPLATES)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _add_sources(db_url: str, config: Path, sites: TestSites) -> None:
    for name, kind, url in (
        ("main-feed", "--feed", sites.main.url("/feed.rss")),
        ("main-sitemap", "--sitemap", sites.main.url("/sitemap.xml")),
        ("wire-feed", "--feed", sites.wire.url("/feed.atom")),
    ):
        result = monitor(db_url, config, "sources", "add", name, kind, url)
        assert result.returncode == 0, result.stderr


def test_crawl_stores_exactly_the_relevant_articles(
    db_url: str, tmp_path: Path, templates: dict[str, str]
) -> None:
    config = write_config(tmp_path)
    with TestSites(templates, faults=crawl_test_faults()) as sites:
        _add_sources(db_url, config, sites)
        first = monitor(db_url, config, "crawl")
        assert first.returncode == 0, first.stderr
        expected = sites.expected_articles()

        rows = query(
            db_url,
            "SELECT canonical_url, title, relevance, duplicate_of, cluster_id, language, "
            "text, id, site_name FROM articles ORDER BY canonical_url",
        )
        by_url = {row[0]: row for row in rows}
        stored = [e for e in expected if e.stored]
        assert sorted(by_url) == sorted(e.url for e in stored)
        id_of = {row[0]: row[7] for row in rows}
        for article in stored:
            url, title, relevance, duplicate_of, cluster_id, language, text, _id, _site = by_url[
                article.url
            ]
            assert title == article.title
            assert relevance == article.relevance
            assert language == article.language
            assert _similar(text, article.text) > 0.9, (url, _similar(text, article.text))
            if article.duplicate_of:
                assert duplicate_of == id_of[article.duplicate_of] == cluster_id
            else:
                assert duplicate_of is None
        # Wrongly declared and windows-1252 pages come out with their accents.
        assert all("Ã©" not in row[6] and "\ufffd" not in row[6] for row in rows)

        # The frontier keeps one row per canonical URL with its last outcome.
        outcomes = dict(query(db_url, "SELECT url, last_outcome FROM url_state"))
        for article in expected:
            if not article.stored:
                assert outcomes.get(article.url) == "irrelevant", article.url
        for fetch in sites.expected_fetches():
            assert outcomes.get(fetch.url) == fetch.outcome, (fetch.url, fetch.note)
        # The 500s and the 429 were retried until the page came.
        assert sum(1 for r in sites.main.requests() if r.status in (429, 500)) == 3

        # An hour later every stored URL is due again: conditional GETs, 304s, nothing new.
        execute(db_url, "UPDATE url_state SET next_due = first_seen WHERE article_id IS NOT NULL")
        before = len(sites.main.requests())
        second = monitor(db_url, config, "crawl")
        assert second.returncode == 0, second.stderr
        again = sites.main.requests()[before:]
        article_hits = [r for r in again if "/article/" in r.path]
        assert article_hits and all(r.conditional for r in article_hits)
        assert {r.status for r in article_hits} == {304}
        assert query(db_url, "SELECT count(*) FROM articles") == [(len(stored),)]
        assert query(db_url, "SELECT count(*) FROM article_revisions") == [(0,)]


def test_backfill_window_excludes_what_lies_outside(
    db_url: str, tmp_path: Path, templates: dict[str, str]
) -> None:
    config = write_config(tmp_path)
    with TestSites(templates) as sites:
        expected = [
            e
            for e in sites.expected_articles()
            if e.stored and e.url.startswith(sites.main.base_url)
        ]
        days = sorted(e.published.date() for e in expected)
        since, until = days[1], days[-2]
        assert (
            monitor(
                db_url,
                config,
                "sources",
                "add",
                "main-sitemap",
                "--sitemap",
                sites.main.url("/sitemap.xml"),
            ).returncode
            == 0
        )
        result = monitor(
            db_url, config, "backfill", "--since", since.isoformat(), "--until", until.isoformat(),
            "--source", "main-sitemap",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        landed = {row[0] for row in query(db_url, "SELECT canonical_url FROM articles")}
        inside = {e.url for e in expected if since <= e.published.date() <= until}
        assert landed == inside and inside and len(inside) < len(expected)


def test_hostile_network_input_is_recorded_and_bounded(
    db_url: str, tmp_path: Path, templates: dict[str, str]
) -> None:
    from monitor.publisher_site import SiteFaults

    config = write_config(tmp_path)
    with TestSites(templates, faults=SiteFaults.network_input()) as sites:
        for name, kind, url in (
            ("main-site", "--site", sites.main.url("/")),
            ("main-sitemap", "--sitemap", sites.main.url("/sitemap.xml")),
        ):
            assert monitor(db_url, config, "sources", "add", name, kind, url).returncode == 0
        started = time.monotonic()
        result = monitor(db_url, config, "crawl", timeout=180)
        elapsed = time.monotonic() - started
        assert result.returncode == 0, result.stderr
        outcomes = dict(query(db_url, "SELECT url, last_outcome FROM url_state"))
        wrong = [
            (f.url, f.outcome, outcomes.get(f.url))
            for f in sites.expected_fetches()
            if outcomes.get(f.url) != f.outcome
        ]
        assert not wrong, "\n".join(map(str, [*wrong, *sorted(outcomes.items())]))
        # The crawl went on: the articles are there, nothing from the endless calendar.
        stored = {row[0] for row in query(db_url, "SELECT canonical_url FROM articles")}
        assert {
            e.url
            for e in sites.expected_articles()
            if e.stored and e.url.startswith(sites.main.base_url)
        } <= stored
        assert not [u for u in stored if "/agenda/" in u]
        agenda = [r for r in sites.main.requests() if r.path.startswith("/agenda/")]
        assert len(agenda) < 60, len(agenda)
        assert elapsed < 120


STATE_SQL = (
    "SELECT a.id, a.text_hash, a.cluster_id, a.duplicate_of, a.relevance, a.revision, "
    "(SELECT count(*) FROM article_topics t WHERE t.article_id = a.id) "
    "FROM articles a ORDER BY a.id"
)


def test_a_crawl_killed_half_way_and_run_again_ends_as_an_uninterrupted_one(
    db_url: str, tmp_path: Path
) -> None:
    from monitor.publisher_site import bundled_templates, serve_site, synthetic_site

    site = synthetic_site(40, bundled_templates(), seed=3)
    # One request at a time, a little apart: the crawl lasts long enough to be killed mid-way.
    slow = (
        write_config(tmp_path, "concurrency = 1\n")
        .read_text()
        .replace("download_delay = 0", "download_delay = 0.15")
    )
    config = tmp_path / "slow.toml"
    config.write_text(slow)
    reference_db = f"sqlite:///{tmp_path / 'reference.db'}"
    with serve_site(site) as running:
        for url in (db_url, reference_db):
            if url == reference_db:
                assert monitor(url, config, "init").returncode == 0
            assert (
                monitor(
                    url, config, "sources", "add", "syn", "--sitemap", running.url("/sitemap.xml")
                ).returncode
                == 0
            )
        child = monitor_popen(db_url, config, "crawl")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            stored = query(db_url, "SELECT count(*) FROM articles")[0][0]
            if stored >= 8:
                break
            time.sleep(0.1)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        partial = query(db_url, "SELECT count(*) FROM articles")[0][0]
        assert 8 <= partial < 40, partial
        resumed = monitor(db_url, config, "crawl")
        assert resumed.returncode == 0, resumed.stderr
        uninterrupted = monitor(reference_db, config, "crawl")
        assert uninterrupted.returncode == 0, uninterrupted.stderr
    assert query(db_url, STATE_SQL) == query(reference_db, STATE_SQL)
    assert len(query(db_url, STATE_SQL)) == 40
    # Nothing fetched twice to completion: every article URL has one stored outcome.
    assert query(db_url, "SELECT count(*) FROM url_state WHERE article_id IS NOT NULL") == [(40,)]
