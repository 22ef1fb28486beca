"""End-to-end crawl throughput on one core and on every core.

A generated publisher of N article pages (default 2,000) is served from a separate process on
127.0.0.1; `monitor crawl` reads its news sitemap and stores every article into a fresh SQLite
database, politeness off for the loopback host (no delay, no AutoThrottle, 16 requests at a time).

Two runs in the same invocation:
- single core: the crawl process pinned to one CPU, extraction in the crawl process itself;
- all cores: no pinning, extraction in one worker process per core.
The table gives pages per second end to end, the CPU use of each core during the run (from
/proc/stat), the CPU milliseconds per stored page of the crawl process itself and of its
descendants (the extraction workers), the server's own CPU, and the ratio of the two rates
(target ≥ 1.6 on 2 cores). The crawl process's CPU per page is the figure to watch on a busy
machine: with workers it bounds the rate, and it does not depend on what else runs.

    python bench/crawl.py [--pages 2000] [--workers N ...] [--postgres ADMIN_URL]

``--postgres postgresql://postgres@127.0.0.1:5432/test`` crawls into PostgreSQL instead: each
run gets a database of its own, created through that server and dropped afterwards. The
server's processes are not the crawl's descendants, so their CPU is not in the per-page columns
(it is in the per-core use).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from monitor.publisher_site import SiteProcess  # noqa: E402

CONFIG = """
[crawl]
download_delay = 0
autothrottle = false
concurrency = 16
obey_robots = false
extract_workers = {workers}
"""


def cpu_times() -> list[tuple[int, int]]:
    """(busy, total) jiffies per CPU."""
    rows = []
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("cpu") and line[3].isdigit():
            values = [int(v) for v in line.split()[1:]]
            idle = values[3] + values[4]
            rows.append((sum(values) - idle, sum(values)))
    return rows


def _ticks(pid: int) -> int | None:
    """User + system clock ticks a process has used so far (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                children = [int(c) for c in task.read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def watch_cpu(process: subprocess.Popen[bytes], interval: float = 0.1) -> tuple[float, float]:
    """Wait for the crawl; return the CPU seconds of the crawl process and of its descendants.

    /proc is sampled every ``interval`` seconds (a worker's last sample before it exits is what
    counts: its final fraction of a tick is lost, a negligible error).
    """
    own = 0
    children: dict[int, int] = {}
    while process.poll() is None:
        ticks = _ticks(process.pid)
        if ticks is not None:
            own = ticks
        for child in _descendants(process.pid):
            ticks = _ticks(child)
            if ticks is not None:
                children[child] = ticks
        time.sleep(interval)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    hertz = os.sysconf("SC_CLK_TCK")
    return own / hertz, sum(children.values()) / hertz


@contextmanager
def fresh_database(folder: Path, name: str, postgres: str | None) -> Iterator[str]:
    """The URL of an empty database for one run: a SQLite file, or a new PostgreSQL database."""
    if postgres is None:
        yield f"sqlite:///{folder / name}.db"
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    database = f"monitor_bench_{os.getpid()}_{name.replace('-', '_')}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield admin.url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def run(
    base_url: str, workers: int, pin: int | None, database_url: str, folder: Path
) -> tuple[float, int, list[float], tuple[float, float]]:
    config = folder / f"crawl-{workers}.toml"
    config.write_text(CONFIG.format(workers=workers))
    env = {**os.environ, "PYTHONPATH": str(REPO), "MONITOR_CONFIG": str(config)}
    monitor = [sys.executable, "-m", "monitor", "--db", database_url, "-q"]
    subprocess.run([*monitor, "init"], env=env, check=True)
    subprocess.run(
        [*monitor, "sources", "add", "bench", "--sitemap", base_url + "/sitemap.xml"],
        env=env,
        check=True,
    )
    prefix = ["taskset", "-c", str(pin)] if pin is not None else []
    before = cpu_times()
    started = time.perf_counter()
    cpu = watch_cpu(subprocess.Popen([*prefix, *monitor, "crawl"], env=env))
    elapsed = time.perf_counter() - started
    after = cpu_times()
    usage = [(b1 - b0) / max(t1 - t0, 1) for (b0, t0), (b1, t1) in zip(before, after, strict=True)]
    stored = subprocess.run(
        [*monitor, "stats", "--format", "csv"], env=env, check=True, capture_output=True, text=True
    ).stdout
    count = next(
        int(line.split(",")[2])
        for line in stored.splitlines()
        if line.startswith("total,articles,")
    )
    return elapsed, count, usage, cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument(
        "--workers",
        type=int,
        action="append",
        help="worker counts of the multi-core runs (repeatable; default: one per core)",
    )
    parser.add_argument(
        "--postgres", metavar="ADMIN_URL", help="crawl into PostgreSQL (see above), not SQLite"
    )
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    runs = [("single core", 0, 0)] + [
        (f"{cores} cores", workers, None) for workers in (args.workers or [cores])
    ]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, SiteProcess(articles=args.pages) as server:
        for label, workers, pin in runs:
            server_before = server.cpu_seconds() or 0.0
            name = f"crawl-{workers}-{pin}"
            with fresh_database(Path(tmp), name, args.postgres) as database_url:
                elapsed, stored, usage, cpu = run(
                    server.base_url, workers, pin, database_url, Path(tmp)
                )
            server_cpu = (server.cpu_seconds() or 0.0) - server_before
            rows.append((label, workers, stored, elapsed, stored / elapsed, usage, cpu, server_cpu))
    base = rows[0][4]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.pages} article pages on 127.0.0.1, sitemap crawl into {backend}, {cores} CPU(s)")
    print(
        "| run | extract workers | stored | seconds | pages/s | CPU use per core "
        "| crawl process CPU ms/page | workers CPU ms/page | server CPU s | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, workers, stored, elapsed, rate, usage, (own, children), server_cpu in rows:
        cores_text = " / ".join(f"{u:.0%}" for u in usage)
        per_page = 1000 / max(stored, 1)
        print(
            f"| {label} | {workers} | {stored} | {elapsed:.1f} | {rate:.1f} | {cores_text} "
            f"| {own * per_page:.1f} | {children * per_page:.1f} | {server_cpu:.1f} "
            f"| {rate / base:.2f}× |"
        )


if __name__ == "__main__":
    main()
