"""Outputs: the Atom file, the JSON lines file and the webhook, alone and kept up to date from a
real database (once per cluster, about only, nothing repeated after a crash)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy.orm import Session

from monitor.db.engine import open_engine
from monitor.outputs import Announcement, OutputSettings, publish_outputs, reconcile_jsonl
from monitor.outputs.announcement import summary_of
from monitor.outputs.atom import render_atom, write_atomically
from monitor.outputs.jsonl import append_announcements, ids_in_file
from monitor.outputs.records import announce_new
from monitor.outputs.settings import output_settings
from monitor.outputs.webhook import WebhookError, post_json
from tests.conftest import SEEDS
from tests.crawling import execute, query

ATOM = "{http://www.w3.org/2005/Atom}"


def announcement(number: int, **changes: object) -> Announcement:
    values: dict[str, object] = {
        "id": f"{number:016x}",
        "url": f"https://example.fr/article/{number}.html",
        "title": f"Mistral AI & co <{number}>",
        "site_name": "Le Quotidien",
        "source": "main-feed",
        "authors": ("Julie Verdier",),
        "published": "2024-02-26T18:45:00+01:00",
        "language": "fr",
        "topics": ("funding", "partnership"),
        "summary": "Mistral AI lève des fonds.",
        "first_seen": "2026-11-23T10:00:00+00:00",
        "announced": "2026-11-23T10:00:05+00:00",
    }
    values.update(changes)
    return Announcement(**values)  # type: ignore[arg-type]


def test_atom_is_valid_and_escapes(tmp_path: Path) -> None:
    entries = [announcement(2), announcement(1, authors=(), published="2024-02", url=None)]
    path = tmp_path / "feed" / "out.atom"
    write_atomically(path, render_atom(entries, "Mistral AI", "2026-11-23T10:00:05+00:00"))
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}title") == "Mistral AI"
    items = feed.findall(f"{ATOM}entry")
    assert [i.findtext(f"{ATOM}id") for i in items] == [
        "urn:monitor:article:0000000000000002",
        "urn:monitor:article:0000000000000001",
    ]
    assert items[0].findtext(f"{ATOM}title") == "Mistral AI & co <2>"
    assert items[0].find(f"{ATOM}link").get("href") == "https://example.fr/article/2.html"
    assert [c.get("term") for c in items[0].findall(f"{ATOM}category")] == [
        "funding",
        "partnership",
    ]
    # Every entry has an author (RFC 4287): the site when the byline is empty.
    assert items[1].findtext(f"{ATOM}author/{ATOM}name") == "Le Quotidien"
    assert items[1].find(f"{ATOM}published") is None  # a month is not an Atom date
    assert list(tmp_path.joinpath("feed").iterdir()) == [path]  # no temporary left


def test_jsonl_appends_whole_lines_and_survives_a_torn_one(tmp_path: Path) -> None:
    path = tmp_path / "new.jsonl"
    append_announcements(path, [announcement(1)])
    with open(path, "ab") as handle:  # a crash in the middle of a line
        handle.write(b'{"id": "00000000000')
    append_announcements(path, [announcement(2), announcement(3)])
    assert ids_in_file(path) == {f"{n:016x}" for n in (1, 2, 3)}
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["title"] == "Mistral AI & co <1>"
    assert json.loads(lines[0])["authors"] == ["Julie Verdier"]
    assert len(lines) == 4


def test_summary_is_the_first_paragraph_cut_at_a_word() -> None:
    assert summary_of("Premier paragraphe.\n\nSecond.") == "Premier paragraphe."
    long = "mot " * 200
    cut = summary_of(long, limit=50)
    assert cut.endswith("…") and len(cut) <= 51 and "mo…" not in cut


class Receiver:
    """A webhook receiver on 127.0.0.1 answering with the statuses it is given, then 200."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.documents: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = outer.statuses.pop(0) if outer.statuses else 200
                if status == 200:
                    assert self.headers["Content-Type"] == "application/json"
                    outer.documents.append(json.loads(body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver([])
    yield hook
    hook.close()


def test_webhook_retries_server_errors_not_refusals(receiver: Receiver) -> None:
    waits: list[float] = []
    receiver.statuses[:] = [500, 503]
    post_json(receiver.url, {"articles": [1]}, timeout=5, tries=3, sleep=waits.append)
    assert receiver.documents == [{"articles": [1]}] and waits == [1.0, 2.0]
    receiver.statuses[:] = [400]
    with pytest.raises(WebhookError, match="refused"):
        post_json(receiver.url, {"articles": [2]}, timeout=5, tries=3, sleep=waits.append)
    receiver.statuses[:] = [500, 500]
    with pytest.raises(WebhookError, match="2 tries failed"):
        post_json(receiver.url, {}, timeout=5, tries=2, sleep=waits.append)


def test_output_settings_resolve_paths_and_refuse_nonsense(tmp_path: Path) -> None:
    settings = output_settings({"atom": "out/a.atom", "webhook": "https://hook"}, tmp_path)
    assert settings.atom_path == tmp_path / "out" / "a.atom" and settings.enabled
    assert not output_settings({}).enabled
    from monitor.errors import ConfigError

    with pytest.raises(ConfigError, match="webhook"):
        output_settings({"webhook": "ftp://x"})
    with pytest.raises(ConfigError, match="unknown"):
        output_settings({"atom_path": "x"})


@pytest.fixture
def seeded(db_url: str, run_cli) -> str:  # type: ignore[no-untyped-def]
    result = run_cli("--db", db_url, "import", str(SEEDS))
    assert result.exit_code == 0, result.stderr
    return db_url


def _clusters(db_url: str) -> set[str]:
    rows = query(db_url, "SELECT coalesce(cluster_id, id) FROM articles WHERE relevance = 'about'")
    return {row[0] for row in rows}


def test_publish_announces_each_about_cluster_once(
    seeded: str, tmp_path: Path, receiver: Receiver
) -> None:
    settings = OutputSettings(
        atom_path=tmp_path / "a.atom",
        jsonl_path=tmp_path / "a.jsonl",
        webhook_url=receiver.url,
        webhook_tries=1,
    )
    engine = open_engine(seeded)
    try:
        now = datetime.now(UTC)
        # Two articles in one cluster (as dedup would make a syndicated copy): one notice.
        original, copy = sorted(_clusters(seeded))[:2]
        execute(seeded, "UPDATE articles SET cluster_id = :o WHERE id = :o", o=original)
        execute(
            seeded, "UPDATE articles SET cluster_id = :o, duplicate_of = :o WHERE id = :c",
            o=original, c=copy,
        )  # fmt: skip
        receiver.statuses[:] = [500]
        first = publish_outputs(engine, settings, now)
        clusters = _clusters(seeded)
        assert original in ids_in_file(settings.jsonl_path)
        assert copy not in ids_in_file(settings.jsonl_path)
        assert first.announced == len(clusters) and first.webhook_failed == len(clusters)
        assert len(ids_in_file(settings.jsonl_path)) == len(clusters)
        assert query(seeded, "SELECT max(webhook_attempts) FROM notifications") == [(1,)]

        # Next round: nothing new; the webhook gets what failed, in one document.
        again = publish_outputs(engine, settings, now + timedelta(minutes=1))
        assert again.announced == 0 and again.webhook_sent == len(clusters)
        assert len(receiver.documents) == 1
        assert len(receiver.documents[0]["articles"]) == len(clusters)

        # A crash between the append and its mark: the start-up reconciliation prevents a
        # second copy of those lines.
        execute(seeded, "UPDATE notifications SET jsonl_at = NULL")
        reconcile_jsonl(engine, settings, now)
        publish_outputs(engine, settings, now + timedelta(minutes=2))
        lines = settings.jsonl_path.read_text().splitlines()
        assert len(lines) == len(clusters)

        # Nothing is left to announce: every about cluster has its notification.
        with Session(engine) as session, session.begin():
            assert announce_new(session, now - timedelta(days=1), now) == []
        entries = ET.parse(settings.atom_path).getroot().findall(f"{ATOM}entry")
        assert len(entries) == len(clusters)
    finally:
        engine.dispose()


def test_articles_outside_the_lookback_are_not_announced(seeded: str, tmp_path: Path) -> None:
    settings = OutputSettings(jsonl_path=tmp_path / "a.jsonl", lookback_seconds=3600)
    engine = open_engine(seeded)
    try:
        report = publish_outputs(engine, settings, datetime.now(UTC) + timedelta(days=2))
        assert report.announced == 0 and not settings.jsonl_path.exists()
    finally:
        engine.dispose()
