"""WAL checkpoints deferred out of commits: no automatic checkpoint on the engine's connections,
a passive one every N commits, and nothing at all on other backends."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from monitor.db.checkpoints import DeferredCheckpoints
from monitor.db.engine import open_engine


def _write(engine, rows: int) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO t (x) VALUES (:x)"), [{"x": "y" * 3000} for _ in range(rows)]
        )


def test_commits_stay_in_the_wal_until_the_deferred_checkpoint(tmp_path: Path) -> None:
    database = tmp_path / "c.db"
    engine = open_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x TEXT)"))
    engine.dispose()  # connections opened from here on get the setting
    checkpoints = DeferredCheckpoints(engine, every=3)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == 0
    size = database.stat().st_size

    ran = []
    for _ in range(3):
        _write(engine, 400)  # 1.2 MB a commit: past SQLite's 1,000-frame automatic threshold
        assert database.stat().st_size == size  # still only in the WAL
        ran.append(checkpoints.committed())

    assert ran == [False, False, True]
    assert database.stat().st_size > 3 * 400 * 3000  # copied into the database file
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 1200
    engine.dispose()


def test_other_backends_are_left_alone(postgres_server_url: str) -> None:
    engine = open_engine(postgres_server_url)
    checkpoints = DeferredCheckpoints(engine, every=1)
    assert not checkpoints.enabled
    assert checkpoints.committed() is False
    engine.dispose()
