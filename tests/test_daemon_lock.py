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
