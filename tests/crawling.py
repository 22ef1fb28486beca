"""Helpers for end-to-end crawl tests: run ``monitor`` in a child process (Scrapy's reactor
runs once per process) against a database, and read back what landed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from monitor.db.engine import open_engine
from tests.conftest import REPO

LOOPBACK_CONFIG = """
[crawl]
download_delay = 0
autothrottle = false
retry_base_delay = 0.2
timeout = 5
max_bytes = 2000000
extract_workers = 1
"""


def write_config(folder: Path, extra: str = "") -> Path:
    path = folder / "monitor.toml"
    path.write_text(LOOPBACK_CONFIG + extra, encoding="utf-8")
    return path


def monitor(
    db_url: str, config: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MONITOR_CONFIG": str(config)}
    env.pop("MONITOR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--db", db_url, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def monitor_popen(db_url: str, config: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MONITOR_CONFIG": str(config)}
    env.pop("MONITOR_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--db", db_url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def query(db_url: str, sql: str, **params: object) -> list[tuple]:
    engine = open_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def execute(db_url: str, sql: str, **params: object) -> None:
    engine = open_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()
