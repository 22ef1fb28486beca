"""The daemon's memory upkeep: idle pooled connections are closed (their caches with them) on a
schedule, without disturbing a connection a job is using, and the daemon goes on working."""

from __future__ import annotations

import gc
import platform
import threading
import time
import weakref
from pathlib import Path

from sqlalchemy import event, text

from monitor.daemon import Daemon, daemon_settings
from monitor.daemon.memory import release_memory
from monitor.db.engine import open_engine
from monitor.outputs import output_settings


def _count_closes(engine) -> list[int]:  # type: ignore[no-untyped-def]
    closed: list[int] = []
    event.listen(engine, "close", lambda *_: closed.append(1))
    return closed


def test_release_memory_closes_idle_connections_and_spares_one_in_use(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'm.db'}")
    closed = _count_closes(engine)
    busy = engine.connect()  # a job's connection, held across the upkeep
    busy.execute(text("CREATE TABLE t (x INTEGER)"))
    idle = [engine.connect() for _ in range(3)]
    for connection in idle:
        connection.execute(text("SELECT 1"))
    for connection in idle:
        connection.close()  # back to the pool, still open
    assert engine.pool.checkedin() == 3 and not closed
    old_pool = weakref.ref(engine.pool)

    trimmed = release_memory(engine)

    assert trimmed is (platform.libc_ver()[0] == "glibc")
    assert len(closed) == 3  # the idle ones, really closed
    assert engine.pool.checkedin() == 0
    busy.execute(text("INSERT INTO t VALUES (1)"))  # the job's connection still works
    busy.commit()
    busy.close()  # back to the old pool, which nothing else holds now
    gc.collect()
    assert old_pool() is None  # ... so the old pool and its last connection are gone
    with engine.connect() as fresh:  # the next query simply opens a new connection
        assert fresh.execute(text("SELECT count(*) FROM t")).scalar_one() == 1
    engine.dispose()


def test_a_running_daemon_recycles_its_connections_on_schedule(db_url: str, tmp_path: Path) -> None:
    engine = open_engine(db_url)
    closed = _count_closes(engine)
    settings = daemon_settings(
        {"recycle_interval": "1s", "heartbeat_interval": "1s", "reconcile_interval": "1s"}
    )
    daemon = Daemon(
        engine,
        database_url=db_url,
        config_path=None,
        settings=settings,
        outputs=output_settings({}, tmp_path),
    )
    runner = threading.Thread(target=daemon.run_forever)
    runner.start()
    try:
        deadline = time.monotonic() + 20
        while len(closed) < 2 and time.monotonic() < deadline and runner.is_alive():
            time.sleep(0.2)
        assert len(closed) >= 2, "no pooled connection was recycled within 20 s"
        assert runner.is_alive()
        # Heartbeats go on over fresh connections after the recycling.
        time.sleep(1.5)
        with engine.connect() as connection:
            beats = connection.execute(
                text("SELECT beat_at FROM daemon_heartbeats WHERE state = 'running'")
            ).all()
        assert len(beats) == 1
    finally:
        daemon.stop.set()
        runner.join(30)
    assert not runner.is_alive()
    engine.dispose()
