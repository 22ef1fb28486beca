"""The daemon lock on both backends, recovery after a crash; maintenance, heartbeat and status."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from monitor.daemon import Daemon, records, service
from monitor.daemon.jobs import CrawlJob, CrawlResult
from monitor.daemon.lock import AdvisoryLock, DaemonAlreadyRunning, FileLock, LockLost, daemon_lock
from monitor.daemon.maintenance import maintenance_due, run_maintenance
from monitor.daemon.settings import DaemonSettings, PollingSettings
from monitor.daemon.status import read_status
from monitor.db.engine import open_engine
from monitor.db.sourcestore import add_source
from monitor.errors import DatabaseError
from monitor.outputs import output_settings
from monitor.sources import SourceSpec
from tests.conftest import REPO
from tests.crawling import execute, query
from tests.tcpproxy import TcpProxy, proxied_postgres  # noqa: F401 (a fixture)


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


def _kill_lock_session(lock: AdvisoryLock, engine: Engine) -> None:
    """End the PostgreSQL session holding ``lock`` from another connection, as a network cut
    or a server restart would; the server drops its advisory lock with it."""
    with engine.connect() as conn:
        pid = lock._connection.execute(text("SELECT pg_backend_pid()")).scalar()  # type: ignore[union-attr]
        conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    time.sleep(0.2)


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
        _kill_lock_session(first, first_engine)
        first.verify()
        with pytest.raises(DaemonAlreadyRunning):
            second.acquire()
        # ...unless another daemon took it meanwhile.
        _kill_lock_session(first, first_engine)
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


def _wait_for(condition: Callable[[], object], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def test_advisory_lock_ends_its_own_stale_session_after_a_network_cut(
    proxied_postgres: tuple[str, TcpProxy],  # noqa: F811 (the fixture)
    postgres_server_url: str,
) -> None:
    """The server has not noticed the cut: our old session still holds the lock. That is not
    another daemon: the lock ends the stale session and takes the lock again."""
    url, proxy = proxied_postgres
    engine, direct = open_engine(url), open_engine(postgres_server_url)
    lock, other = AdvisoryLock(engine), AdvisoryLock(direct)
    try:
        lock.acquire()
        proxy.partition()
        with pytest.raises(SQLAlchemyError):
            lock.verify()
        assert not lock.held
        with pytest.raises(DaemonAlreadyRunning):  # the stale session keeps the lock...
            other.acquire()
        proxy.restore()
        assert lock.verify() and lock.held  # ...until the daemon ends it
        with pytest.raises(DaemonAlreadyRunning):
            other.acquire()
    finally:
        lock.release()
        other.release()
        engine.dispose()
        direct.dispose()


def test_no_crawl_starts_without_the_lock_and_a_daemon_that_lost_it_stops_cleanly(
    proxied_postgres: tuple[str, TcpProxy],  # noqa: F811 (the fixture)
    postgres_server_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, proxy = proxied_postgres
    crawls: list[str] = []

    def crawl(job: CrawlJob, stop: threading.Event) -> CrawlResult:
        crawls.append(job.source)
        return CrawlResult(job.source, "ok", 0.01, True)

    monkeypatch.setattr(service, "run_crawl_job", crawl)
    engine, direct = open_engine(url), open_engine(postgres_server_url)
    with Session(direct) as session, session.begin():
        spec = SourceSpec("lemonde", "feed", "http://127.0.0.1:9/rss")
        add_source(session, spec, datetime.now(UTC))
    daemon = Daemon(
        engine,
        database_url=url,
        config_path=None,
        settings=DaemonSettings(
            polling=PollingSettings(min_seconds=1, max_seconds=1),
            heartbeat_interval=0.2,
            reconcile_interval=1,
            stop_timeout=2,
        ),
        outputs=output_settings({}, tmp_path),
    )
    failure: list[BaseException] = []

    def run() -> None:
        try:
            daemon.run_forever()
        except BaseException as exc:  # handed to the test thread
            failure.append(exc)

    runner = threading.Thread(target=run)
    other = AdvisoryLock(direct)
    runner.start()
    try:
        _wait_for(lambda: len(crawls) >= 1, "a first crawl")
        # An outage: the lock's session ends with it. No crawl starts until it is back.
        proxy.cut()
        _wait_for(lambda: daemon._lock is not None and not daemon._lock.held, "the lock lost")
        during = len(crawls)
        time.sleep(2.5)  # the source's job fires twice meanwhile
        assert len(crawls) == during
        proxy.restore()
        _wait_for(lambda: len(crawls) > during, "crawls after the lock is taken again")
        # Another outage, and another daemon takes the lock meanwhile: this one stops.
        proxy.cut()
        _wait_for(lambda: daemon._lock is not None and not daemon._lock.held, "the lock lost")
        during = len(crawls)

        def taken() -> bool:
            try:
                other.acquire()
            except DaemonAlreadyRunning:  # the server has not ended the old session yet
                return False
            return True

        _wait_for(taken, "the other daemon to take the lock")
        proxy.restore()
        runner.join(30)
        assert not runner.is_alive()
        assert len(crawls) == during
        (lost,) = failure
        assert isinstance(lost, LockLost)
        assert "another monitor daemon took the database lock" in str(lost)
        assert query(postgres_server_url, "SELECT state FROM daemon_heartbeats") == [("stopped",)]
    finally:
        daemon.stop.set()
        runner.join(30)
        other.release()
        engine.dispose()
        direct.dispose()
