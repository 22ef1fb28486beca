"""The daemon lock on both backends, recovery after a crash; maintenance, heartbeat and status."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from monitor.daemon import records
from monitor.daemon.lock import AdvisoryLock, DaemonAlreadyRunning, FileLock, LockLost, daemon_lock
from monitor.daemon.maintenance import maintenance_due, run_maintenance
from monitor.daemon.settings import DaemonSettings
from monitor.daemon.status import read_status
from monitor.db.engine import open_engine
from monitor.errors import DatabaseError
from tests.conftest import REPO
from tests.crawling import execute, query


def test_file_lock_refuses_a_second_holder_and_is_released(tmp_path: Path) -> None:
    path = tmp_path / "m.db.daemon.lock"
    first, second = FileLock(path), FileLock(path)
    first.acquire()
    with pytest.raises(DaemonAlreadyRunning, match=r"another monitor daemon .*pid \d+"):
        second.acquire()
    first.release()
    second.acquire()
    second.release()


def test_file_lock_is_recovered_after_its_holder_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "m.db.daemon.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from monitor.daemon.lock import FileLock;"
            f"FileLock(Path({str(path)!r})).acquire(); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DaemonAlreadyRunning):
            FileLock(path).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        lock = FileLock(path)
        lock.acquire()  # the stale file does not block
        assert "pid" in path.read_text()
        lock.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_no_daemon_on_an_in_memory_database() -> None:
    engine = open_engine("sqlite://")
    with pytest.raises(DatabaseError, match="in-memory"):
        daemon_lock(engine)


def test_advisory_lock_refuses_a_second_and_is_retaken_after_a_dropped_session(
    postgres_server_url: str,
) -> None:
    first_engine, second_engine = open_engine(postgres_server_url), open_engine(postgres_server_url)
    first, second = AdvisoryLock(first_engine), AdvisoryLock(second_engine)
    try:
        first.acquire()
        with pytest.raises(DaemonAlreadyRunning):
            second.acquire()
        first.verify()
        # The first daemon's session dies (a network cut, a server restart): the server drops
        # the lock; the first daemon takes it again at its next check.
        with first_engine.connect() as conn:
            pid = first._connection.execute(text("SELECT pg_backend_pid()")).scalar()  # type: ignore[union-attr]
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        time.sleep(0.2)
        first.verify()
        with pytest.raises(DaemonAlreadyRunning):
            second.acquire()
        # ...unless another daemon took it meanwhile.
        with first_engine.connect() as conn:
            pid = first._connection.execute(text("SELECT pg_backend_pid()")).scalar()  # type: ignore[union-attr]
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        time.sleep(0.2)
        second.acquire()
        with pytest.raises(LockLost):
            first.verify()
    finally:
        first.release()
        second.release()
        first_engine.dispose()
        second_engine.dispose()


def test_maintenance_deletes_expired_fetches_and_remembers_it_ran(db_url: str) -> None:
    now = datetime.now(UTC)
    for days, url in ((200, "https://old.example/a"), (1, "https://new.example/b")):
        execute(
            db_url,
            "INSERT INTO fetches (url, fetched_at, outcome) VALUES (:u, :t, 'ok')",
            u=url,
            t=(now - timedelta(days=days)).replace(tzinfo=None)
            if db_url.startswith("sqlite")
            else now - timedelta(days=days),
        )
    engine = open_engine(db_url)
    settings = DaemonSettings()
    try:
        assert maintenance_due(engine, settings, now)
        report = run_maintenance(engine, settings, now)
        assert report.fetches_deleted == 1
        assert query(db_url, "SELECT url FROM fetches") == [("https://new.example/b",)]
        assert not maintenance_due(engine, settings, now + timedelta(hours=1))
        assert maintenance_due(engine, settings, now + timedelta(days=1))
    finally:
        engine.dispose()


def test_status_reads_heartbeats_and_source_runs(db_url: str) -> None:
    engine = open_engine(db_url)
    now = datetime.now(UTC)
    settings = DaemonSettings()
    try:
        assert read_status(engine, settings, now).daemon is None
        with Session(engine) as session, session.begin():
            crashed = records.start_heartbeat(session, now - timedelta(hours=1))
        with Session(engine) as session, session.begin():
            beat = records.start_heartbeat(session, now)  # the crashed row is marked so
        status = read_status(engine, settings, now + timedelta(seconds=10))
        assert status.daemon is not None and status.daemon.alive
        assert query(db_url, "SELECT state FROM daemon_heartbeats WHERE pk = :p", p=crashed) == [
            ("crashed",)
        ]
        assert not read_status(engine, settings, now + timedelta(minutes=5)).daemon.alive  # type: ignore[union-attr]
        with Session(engine) as session, session.begin():
            records.stop_heartbeat(session, beat, now)
        stopped = read_status(engine, settings, now).daemon
        assert stopped is not None and not stopped.alive and stopped.state == "stopped"
    finally:
        engine.dispose()


def test_status_command_table_and_json(db_url: str, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from monitor.cli import cli
    from monitor.cli.daemon import daemon_command, status_command

    cli.add_command(daemon_command)  # the lead registers them in monitor.cli
    cli.add_command(status_command)
    assert (
        run_cli("--db", db_url, "sources", "add", "lemonde", "--feed", "https://x.fr/rss").exit_code
        == 0
    )
    table = run_cli("--db", db_url, "status")
    assert table.exit_code == 0, table.stderr
    assert "daemon: never started" in table.stdout and "lemonde" in table.stdout
    execute(
        db_url,
        "UPDATE sources SET last_outcome = 'failed', consecutive_failures = 2, "
        "last_error = 'http_error ×1', poll_seconds = 14400",
    )
    import json

    document = json.loads(run_cli("--db", db_url, "status", "--format", "json").stdout)
    assert document["daemon"] is None and document["failing"] == ["lemonde"]
    (source,) = document["sources"]
    assert source["polling"] == "backing off" and source["interval_s"] == 14400
    assert source["failures"] == 2 and source["error"] == "http_error ×1"
    config = tmp_path / "bad.toml"
    config.write_text('[daemon]\nmin_intervall = "2s"\n', encoding="utf-8")
    bad = run_cli("--db", db_url, "--config", str(config), "daemon", "--once")
    assert bad.exit_code == 1 and "unknown setting(s) min_intervall" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
