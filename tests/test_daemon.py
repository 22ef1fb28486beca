"""The daemon end to end: a real `monitor daemon` process against the loopback publisher, on
SQLite and PostgreSQL. New articles land without a restart, a second daemon is refused, SIGTERM
stops it cleanly, SIGKILL mid-crawl loses and duplicates nothing, a failing source backs off and
recovers, and a database outage (a TCP proxy cut and restored) does not kill it."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from monitor.publisher_site import SiteArticle, SiteFaults, TestSites, load_templates
from tests.conftest import FIXTURES, REPO
from tests.crawling import LOOPBACK_CONFIG, query, write_config
from tests.tcpproxy import TcpProxy, proxied_postgres  # noqa: F401 (a fixture)

TEMPLATES = FIXTURES / "site" / "templates"
ATOM = "{http://www.w3.org/2005/Atom}"
#: Runs the CLI with the daemon commands registered (the lead registers them in monitor.cli).
ENTRY = (
    "from monitor.cli import cli, main\n"
    "from monitor.cli.daemon import daemon_command, status_command\n"
    "cli.add_command(daemon_command)\n"
    "cli.add_command(status_command)\n"
    "main()\n"
)
FAST = """
[daemon]
min_interval = "1s"
max_interval = "2s"
max_backoff = "6s"
heartbeat_interval = "1s"
reconcile_interval = "1s"
stop_timeout = "5s"
crawl_timeout = "60s"
max_parallel_crawls = 2

[outputs]
atom = "out/mistral.atom"
jsonl = "out/mistral.jsonl"
"""

NEW_ARTICLE_TEXT = """Mistral AI a présenté mardi à Paris un nouveau modèle de langage destiné aux \
entreprises, capable de traiter de longs documents en français et en anglais. La start-up \
fondée par Arthur Mensch affirme que ce modèle rivalise avec les meilleurs systèmes américains \
pour une fraction de leur coût.

Selon Mistral AI, le modèle sera disponible dès cette semaine sur sa plateforme et dans Le \
Chat, son assistant conversationnel. Les poids d'une version réduite seront publiés sous \
licence Apache 2.0, dans la lignée des précédents modèles ouverts de l'entreprise.

Arthur Mensch a expliqué que Mistral AI voulait offrir aux administrations et aux banques \
européennes une solution qu'elles peuvent héberger elles-mêmes. Plusieurs grands groupes \
français testent déjà le modèle, selon la start-up.

Mistral AI, valorisée à plusieurs milliards d'euros, compte désormais plus de deux cents \
salariés entre Paris, Londres et la Californie."""


def in_process_config(folder: Path, extra: str) -> Path:
    """The loopback crawl settings with extraction in the crawl process: no worker pool to
    start for every crawl (the SIGKILL test keeps a worker, to prove the group is stopped)."""
    assert "extract_workers = 1" in LOOPBACK_CONFIG
    path = folder / "monitor.toml"
    crawl = LOOPBACK_CONFIG.replace("extract_workers = 1", "extract_workers = 0")
    path.write_text(crawl + extra, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def templates() -> dict[str, str]:
    return load_templates(TEMPLATES)


def _env(config: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MONITOR_CONFIG": str(config)}
    env.pop("MONITOR_DATABASE_URL", None)
    return env


def run_monitor(db_url: str, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, "--db", db_url, *args],
        capture_output=True,
        text=True,
        env=_env(config),
        timeout=120,
        check=False,
    )


def start_daemon(db_url: str, config: Path, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-c", ENTRY, "--db", db_url, "daemon", "--log-format", "json"],
            stdout=sink,
            stderr=sink,
            env=_env(config),
        )


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def stop_daemon(process: subprocess.Popen[bytes]) -> float:
    """SIGTERM; returns how long the daemon took to exit."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return time.monotonic() - started


def add_sources(db_url: str, config: Path, *sources: tuple[str, str, str]) -> None:
    for name, kind, url in sources:
        result = run_monitor(db_url, config, "sources", "add", name, kind, url, "--interval", "1m")
        assert result.returncode == 0, result.stderr


def stored_ids(db_url: str) -> set[str]:
    return {row[0] for row in query(db_url, "SELECT id FROM articles")}


def jsonl_ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]


def atom_ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    feed = ET.parse(path).getroot()
    return [e.findtext(f"{ATOM}id").rsplit(":", 1)[1] for e in feed.iter(f"{ATOM}entry")]


def about_clusters(db_url: str) -> set[str]:
    """The clusters that hold an `about` article: what the outputs must announce, once each."""
    rows = query(db_url, "SELECT DISTINCT cluster_id FROM articles WHERE relevance = 'about'")
    return {row[0] for row in rows}


def clusters_of(db_url: str, ids: list[str]) -> list[str]:
    """The current cluster of each announced article. A copy that arrived before its original
    was announced as the story's first member; the original taking the cluster over later must
    not announce the story again, so outputs are compared by cluster, not by article id."""
    rows = dict(query(db_url, "SELECT id, cluster_id FROM articles"))
    return [rows.get(article_id, article_id) for article_id in ids]


def about_canonical_ids(db_url: str) -> set[str]:
    rows = query(
        db_url,
        "SELECT id FROM articles WHERE relevance = 'about' AND duplicate_of IS NULL",
    )
    return {row[0] for row in rows}


def new_article() -> SiteArticle:
    return SiteArticle(
        slug="mistral-ai-presente-un-modele-pour-les-entreprises",
        title="Mistral AI présente un nouveau modèle pour les entreprises européennes",
        text=NEW_ARTICLE_TEXT,
        published=datetime.fromisoformat("2024-03-05T09:00:00+01:00"),
        authors=("Julie Verdier",),
        section="tech",
        language="fr",
        template="lemonde",
    )


def test_daemon_follows_new_articles_refuses_a_second_and_stops_on_sigterm(
    db_url: str, tmp_path: Path, templates: dict[str, str]
) -> None:
    config = in_process_config(tmp_path, FAST)
    out = tmp_path / "out"
    with TestSites(templates, faults=SiteFaults()) as sites:
        add_sources(
            db_url,
            config,
            ("main-feed", "--feed", sites.main.url("/feed.rss")),
            ("wire-feed", "--feed", sites.wire.url("/feed.atom")),
        )
        daemon = start_daemon(db_url, config, tmp_path / "daemon.log")
        try:
            expected = {e.url for e in sites.expected_articles() if e.stored}
            wait_for(
                lambda: (
                    {r[0] for r in query(db_url, "SELECT canonical_url FROM articles")} == expected
                ),
                180,
                "the first crawl's articles",
            )
            announced = wait_for(
                lambda: (
                    set(clusters_of(db_url, jsonl_ids(out / "mistral.jsonl")))
                    == about_clusters(db_url)
                ),
                90,
                "the outputs",
            )
            assert announced
            # Once per cluster, about only: one of the original and its wire copy (whichever
            # came first) and never the passing article.
            announced_clusters = clusters_of(db_url, jsonl_ids(out / "mistral.jsonl"))
            assert len(announced_clusters) == len(set(announced_clusters)) == 5
            assert len(about_canonical_ids(db_url)) == 5
            assert sorted(atom_ids(out / "mistral.atom")) == sorted(
                jsonl_ids(out / "mistral.jsonl")
            )

            second = run_monitor(db_url, config, "daemon", "--once")
            assert second.returncode == 1
            assert len(second.stderr.strip().splitlines()) == 1, second.stderr
            assert "another monitor daemon is running" in second.stderr

            status = json.loads(run_monitor(db_url, config, "status", "--format", "json").stdout)
            assert status["daemon"]["alive"] is True
            assert {s["source"] for s in status["sources"]} == {"main-feed", "wire-feed"}
            assert all(s["outcome"] == "ok" and s["next_run"] for s in status["sources"])
            assert status["failing"] == []

            before = set(jsonl_ids(out / "mistral.jsonl"))
            sites.main.publish(new_article())
            added = wait_for(
                lambda: set(jsonl_ids(out / "mistral.jsonl")) - before, 90, "the new article"
            )
            (new_id,) = added
            assert new_id in stored_ids(db_url)
            # The Atom file is rewritten just after the JSON lines file is appended to.
            wait_for(
                lambda: atom_ids(out / "mistral.atom")[:1] == [new_id],
                30,
                "the new article at the top of the Atom feed",
            )
            # Still once each: polling again and again announced nothing twice.
            ids = jsonl_ids(out / "mistral.jsonl")
            assert len(ids) == len(set(ids)) == 6
            assert len(set(clusters_of(db_url, ids))) == 6
        finally:
            elapsed = stop_daemon(daemon)
        assert daemon.returncode == 0, (tmp_path / "daemon.log").read_text()[-3000:]
        assert elapsed < 5 + 10
    lines = [json.loads(line) for line in (tmp_path / "daemon.log").read_text().splitlines()]
    crawls = [line for line in lines if line.get("event") == "crawl"]
    assert crawls and all(
        {"source", "outcome", "new_articles", "outcomes"} <= set(c) for c in crawls
    )
    assert [line["event"] for line in lines if line.get("event") in ("started", "stopped")] == [
        "started",
        "stopped",
    ]
    status = json.loads(run_monitor(db_url, config, "status", "--format", "json").stdout)
    assert status["daemon"]["alive"] is False and status["daemon"]["state"] == "stopped"


def test_sigkill_mid_crawl_then_restart_loses_and_duplicates_nothing(
    db_url: str, tmp_path: Path, templates: dict[str, str]
) -> None:
    config = write_config(tmp_path, FAST)
    faults = SiteFaults(
        slow_slug="le-mistral-souffle-en-rafales-sur-la-vallee-du-rhone", slow_seconds=4.0
    )
    with TestSites(templates, faults=faults) as sites:
        add_sources(
            db_url,
            config,
            ("main-sitemap", "--sitemap", sites.main.url("/sitemap.xml")),
            ("wire-feed", "--feed", sites.wire.url("/feed.atom")),
        )
        daemon = start_daemon(db_url, config, tmp_path / "daemon.log")
        try:
            # Mid-crawl: some articles stored, the sitemap crawl not finished (slow page).
            wait_for(
                lambda: (
                    query(
                        db_url,
                        "SELECT count(*) FROM articles a, sources s "
                        "WHERE s.name = 'main-sitemap' AND s.last_run_at IS NULL "
                        "AND a.source = 'main-sitemap'",
                    )[0][0]
                    > 0
                ),
                60,
                "a crawl half done",
            )
        finally:
            daemon.kill()
            daemon.wait()
        assert query(db_url, "SELECT last_run_at FROM sources WHERE name = 'main-sitemap'") == [
            (None,)
        ]
        # The orphaned crawl notices its daemon is gone and stops: no more requests (the
        # server records a request when its answer ends: let the slow one in flight end).
        time.sleep(4.5)
        seen = len(sites.main.requests())
        time.sleep(2.0)
        assert len(sites.main.requests()) == seen

        again = run_monitor(db_url, config, "daemon", "--once")
        assert again.returncode == 0, again.stderr
        expected = sorted(e.url for e in sites.expected_articles() if e.stored)
        rows = sorted(r[0] for r in query(db_url, "SELECT canonical_url FROM articles"))
        assert rows == expected
        assert query(db_url, "SELECT count(*) FROM notifications") == [(5,)]
        assert len(jsonl_ids(tmp_path / "out" / "mistral.jsonl")) == 5


class FlakyFeed:
    """A feed URL in front of the real one that answers 500 while ``failing`` is set."""

    def __init__(self, upstream: str) -> None:
        self.failing = threading.Event()
        self.failing.set()
        self.hits: list[tuple[float, int]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path == "/robots.txt":
                    body, status = b"", 404
                elif outer.failing.is_set():
                    body, status = b"server error", 500
                else:
                    with urllib.request.urlopen(upstream, timeout=5) as answer:
                        body, status = answer.read(), 200
                outer.hits.append((time.monotonic(), status))
                self.send_response(status)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.rss"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_failing_source_backs_off_then_recovers_on_its_own(
    db_url: str, tmp_path: Path, templates: dict[str, str]
) -> None:
    backoff = FAST.replace('max_interval = "2s"', 'max_interval = "1s"')
    config = in_process_config(
        tmp_path, backoff.replace('max_backoff = "6s"', 'max_backoff = "5s"')
    )
    with TestSites(templates, faults=SiteFaults()) as sites:
        flaky = FlakyFeed(sites.main.url("/feed.rss"))
        try:
            add_sources(db_url, config, ("flaky", "--feed", flaky.url))
            daemon = start_daemon(db_url, config, tmp_path / "daemon.log")
            try:
                wait_for(
                    lambda: (
                        query(
                            db_url, "SELECT consecutive_failures FROM sources WHERE name = 'flaky'"
                        )[0][0]
                        >= 3
                    ),
                    60,
                    "three failed runs",
                )
                poll = query(db_url, "SELECT poll_seconds FROM sources")[0][0]
                assert poll > 1  # backed off beyond max_interval
                status = json.loads(
                    run_monitor(db_url, config, "status", "--format", "json").stdout
                )
                assert status["failing"] == ["flaky"]
                assert status["sources"][0]["polling"] == "backing off"
                # The planned waits after failed runs grow up to max_backoff (from the
                # daemon's own crawl lines: wall-clock gaps also hold each crawl's start-up,
                # which a loaded machine stretches by seconds), and each was really waited.
                planned = _planned_waits(tmp_path / "daemon.log", "flaky")
                assert planned[:3] == [2, 4, 5], planned
                runs = _run_starts([t for t, s in flaky.hits if s == 500])
                gaps = [b - a for a, b in itertools.pairwise(runs)]
                assert all(gap >= wait for gap, wait in zip(gaps, planned, strict=False)), (
                    gaps,
                    planned,
                )

                flaky.failing.clear()
                wait_for(
                    lambda: query(db_url, "SELECT count(*) FROM articles")[0][0] == 6,
                    120,
                    "recovery",
                )
                wait_for(
                    lambda: (
                        query(
                            db_url,
                            "SELECT last_outcome, consecutive_failures, poll_seconds FROM sources",
                        )
                        == [("ok", 0, 1)]
                    ),
                    20,
                    "the source to be ok and polled at its base interval again",
                )
            finally:
                stop_daemon(daemon)
            assert daemon.returncode == 0
        finally:
            flaky.close()


def _planned_waits(log: Path, source: str) -> list[float]:
    """The waits the daemon planned after each failed crawl of ``source``, in order."""
    waits = []
    for line in log.read_text().splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        if (entry.get("event"), entry.get("source"), entry.get("outcome")) == (
            "crawl",
            source,
            "failed",
        ) and entry.get("next_in_seconds") is not None:
            waits.append(entry["next_in_seconds"])
    return waits


def _run_starts(times: list[float]) -> list[float]:
    """Retries within a run come in quick succession: keep the first hit of each run."""
    starts: list[float] = []
    for moment in times:
        if not starts or moment - starts[-1] > 1.5:
            starts.append(moment)
    return starts


def test_database_outage_does_not_kill_the_daemon(
    proxied_postgres: tuple[str, TcpProxy],  # noqa: F811 (the fixture)
    tmp_path: Path,
    templates: dict[str, str],
) -> None:
    db_url, proxy = proxied_postgres
    config = in_process_config(tmp_path, FAST)
    with TestSites(templates, faults=SiteFaults()) as sites:
        add_sources(db_url, config, ("main-feed", "--feed", sites.main.url("/feed.rss")))
        daemon = start_daemon(db_url, config, tmp_path / "daemon.log")
        try:
            wait_for(lambda: len(stored_ids(db_url)) == 6, 180, "the first crawl")
            log = tmp_path / "daemon.log"
            before = log.read_text().count("database unreachable")
            proxy.cut()
            # The daemon notices (the lock's connection is gone), and lives on for a few checks.
            wait_for(
                lambda: log.read_text().count("database unreachable") >= before + 3,
                60,
                "three failed checks during the outage",
            )
            assert daemon.poll() is None
            proxy.restore()
            beat = query(db_url, "SELECT max(beat_at) FROM daemon_heartbeats")[0][0]
            wait_for(
                lambda: query(db_url, "SELECT max(beat_at) FROM daemon_heartbeats")[0][0] > beat,
                60,
                "a heartbeat after the outage",
            )
            sites.main.publish(new_article())
            wait_for(lambda: len(stored_ids(db_url)) == 7, 120, "the article after the outage")
            assert daemon.poll() is None
        finally:
            stop_daemon(daemon)
        text = log.read_text()
        assert daemon.returncode == 0, text[-3000:]
        assert "daemon lock: taken again" in text
