"""`monitor sources`: add, list, test (stores nothing), remove, and the shipped defaults."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.publisher_site import SiteFaults, TestSites, load_templates
from monitor.sources import default_sources
from tests.conftest import FIXTURES
from tests.crawling import monitor, query, write_config


def test_add_list_test_remove(db_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    with TestSites(load_templates(FIXTURES / "site" / "templates"), faults=SiteFaults()) as sites:
        added = monitor(
            db_url,
            config,
            "sources",
            "add",
            "main",
            "--feed",
            sites.main.url("/feed.rss"),
            "--interval",
            "15m",
            "--lang",
            "fr",
        )
        assert added.returncode == 0, added.stderr
        twice = monitor(
            db_url, config, "sources", "add", "main", "--feed", sites.main.url("/feed.rss")
        )
        assert twice.returncode == 1 and "exists" in twice.stderr
        listed = json.loads(monitor(db_url, config, "sources", "list", "--format", "json").stdout)
        assert (
            listed[0]["name"] == "main" and listed[0]["interval"] == "15m" and listed[0]["enabled"]
        )
        tested = monitor(db_url, config, "sources", "test", "main", "--format", "jsonl")
        assert tested.returncode == 0, tested.stderr
        rows = [json.loads(line) for line in tested.stdout.splitlines()]
        verdicts = {r["relevance"] for r in rows if r["relevance"]}
        assert {"about", "none"} <= verdicts
        assert any(r["title"] for r in rows)
    # `test` stores nothing at all.
    assert query(db_url, "SELECT count(*) FROM articles") == [(0,)]
    assert query(db_url, "SELECT count(*) FROM fetches") == [(0,)]
    assert monitor(db_url, config, "sources", "remove", "main").returncode == 0
    assert json.loads(monitor(db_url, config, "sources", "list", "--format", "json").stdout) == []
    missing = monitor(db_url, config, "sources", "remove", "main")
    assert missing.returncode == 1 and missing.stderr.strip() == (
        "monitor: error: no source named 'main'; `monitor sources list` shows them"
    )


def test_bad_source_arguments_are_one_line(db_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    both = monitor(
        db_url, config, "sources", "add", "x", "--feed", "https://a/", "--site", "https://b/"
    )
    assert both.returncode == 2
    bad_url = monitor(db_url, config, "sources", "add", "x", "--feed", "ftp://a/feed")
    assert bad_url.returncode == 1 and "needs an http(s) URL" in bad_url.stderr
    bad_interval = monitor(
        db_url, config, "sources", "add", "x", "--feed", "https://a/", "--interval", "soon"
    )
    assert bad_interval.returncode == 1 and "interval 'soon'" in bad_interval.stderr


def test_defaults_are_real_outlets_and_added_once(db_url: str, tmp_path: Path) -> None:
    specs = default_sources()
    assert len(specs) >= 15
    assert {s.language for s in specs} == {"fr", "en"}
    assert all(s.url.startswith("https://") for s in specs)
    assert {s.kind for s in specs} >= {"feed", "sitemap"}
    # Google News item links do not lead to the publisher: shipped, but disabled.
    assert all(not s.enabled for s in specs if "news.google.com" in s.url)
    config = write_config(tmp_path)
    first = monitor(db_url, config, "sources", "add-defaults")
    assert first.stdout.strip() == f"added {len(specs)} default source(s)"
    assert (
        monitor(db_url, config, "sources", "add-defaults").stdout.strip()
        == "added 0 default source(s)"
    )
