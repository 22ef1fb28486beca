"""Soak: the daemon's memory over many crawl cycles against a loopback publisher.

Runs the real daemon (scheduler, lock, heartbeats, child-process crawls, adaptive polling,
outputs) on a fresh SQLite database in a temporary folder, following two sources of a loopback
site (RSS and Atom feeds of the demo publisher, served by a separate process so that its request
log and threads are not counted) with a 1 s polling floor. Every 20 cycles a new article is
published, so storing, announcing and the output files are exercised too. The daemon's own
memory (this process; crawls are child processes) is sampled as cycles complete.

    python bench/soak.py [--cycles 500] [--parallel 2] [--every 50] [--recycle 5m] [--frames 1]
                         [--diagnose]

RSS alone cannot tell a leak from allocator noise, so each checkpoint also shows the anonymous
part of RSS, the Python heap (``tracemalloc`` current size: what Python objects hold), what
glibc malloc has handed out (``mallinfo2`` in use: Python and C libraries such as SQLite) and
what it keeps free inside its heaps (fragmentation); "peak" is the highest RSS since the previous
checkpoint. The summary gives each one's slope per 100 cycles over the second half (least
squares; a flat process shows ~0, noise aside). The daemon closes its idle connections and trims
the heap every ``--recycle`` (its ``recycle_interval``), so RSS is a saw-tooth: the peaks are
the figure to watch.
``--diagnose`` also lists the allocations (by traceback, ``--frames`` deep) and the object types
that grew between the warm-up checkpoint and the end; its snapshots cost memory themselves, so
leave it off for the figures.

Exits 1 when a crawl failed. The figures go in docs/benchmarks.md, section "Daemon".
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from monitor.daemon import Daemon, daemon_settings  # noqa: E402
from monitor.db.engine import open_engine  # noqa: E402
from monitor.db.migrations import upgrade_to_head  # noqa: E402
from monitor.db.sourcestore import add_source  # noqa: E402
from monitor.outputs import output_settings  # noqa: E402
from monitor.publisher_site import (  # noqa: E402
    bundled_templates,
    demo_site,
    serve_site,
    synthetic_articles,
)
from monitor.sources import SourceSpec  # noqa: E402

CONFIG = """
[crawl]
download_delay = 0
autothrottle = false
retry_base_delay = 0.2
timeout = 5
extract_workers = 1

[daemon]
min_interval = "1s"
max_interval = "1s"
heartbeat_interval = "5s"
reconcile_interval = "5s"
recycle_interval = "{recycle}"
max_parallel_crawls = {parallel}

[outputs]
atom = "out/soak.atom"
jsonl = "out/soak.jsonl"
"""
MIB = 1024 * 1024


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


def peak_mib_since_last() -> float | None:
    """The highest RSS since the previous call (VmHWM, then reset through clear_refs), so that a
    checkpoint that happens to fall just after the daemon's memory upkeep cannot hide a peak."""
    peak = None
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None  # cannot reset: a lifetime peak would mislead
    return peak


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _mallinfo2():  # type: ignore[no-untyped-def]
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    function = getattr(libc, "mallinfo2", None)
    if function is None:  # not glibc, or glibc older than 2.33
        return None
    function.restype = _MallInfo2
    return function


MALLINFO2 = _mallinfo2()


def malloc_mib() -> tuple[float, float] | tuple[None, None]:
    """(in use, free) in glibc malloc's heaps, all arenas. In use counts C libraries (SQLite's
    page caches) that tracemalloc does not see; free is memory RSS counts that no object uses:
    growth there with a flat heap is fragmentation, not a leak."""
    if MALLINFO2 is None:
        return None, None
    info = MALLINFO2()
    return (info.uordblks + info.hblkhd) / MIB, info.fordblks / MIB


def _sqlite_memory():  # type: ignore[no-untyped-def]
    name = ctypes.util.find_library("sqlite3")
    function = getattr(ctypes.CDLL(name), "sqlite3_memory_used", None) if name else None
    if function is not None:
        function.restype = ctypes.c_int64
    return function


SQLITE_MEMORY_USED = _sqlite_memory()


def sqlite_mib() -> float | None:
    """What SQLite has allocated (page caches of the pooled connections, statements): part of
    malloc's in use, bounded by each connection's ``cache_size``."""
    return SQLITE_MEMORY_USED() / MIB if SQLITE_MEMORY_USED is not None else None


def anonymous_mib() -> float:
    """The anonymous part of RSS (heaps, stacks): what a leak grows. The rest is mapped files
    (libraries, SQLite's shared WAL index), which the kernel can drop."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no RssAnon in /proc/self/status (Linux only)")


@dataclass(frozen=True)
class Sample:
    cycle: int
    seconds: float
    rss: float
    peak: float | None
    anonymous: float
    heap: float | None
    malloc_used: float | None
    malloc_free: float | None
    sqlite: float | None
    blocks: int
    threads: int
    fds: int


def sample(cycle: int, started: float) -> Sample:
    used, free = malloc_mib()
    return Sample(
        cycle,
        time.monotonic() - started,
        resident_mib(),
        peak_mib_since_last(),
        anonymous_mib(),
        tracemalloc.get_traced_memory()[0] / MIB if tracemalloc.is_tracing() else None,
        used,
        free,
        sqlite_mib(),
        sys.getallocatedblocks(),
        threading.active_count(),
        open_files(),
    )


def slope_per_100(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of value over cycle, per 100 cycles."""
    n = len(points)
    if n < 2:
        return float("nan")
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return 100 * cov / var if var else float("nan")


def type_counts() -> Counter[str]:
    gc.collect()
    return Counter(type(o).__qualname__ for o in gc.get_objects())


class CrawlCounter(logging.Handler):
    """Counts the daemon's one-line-per-crawl log records, and the failed ones."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.done = 0
        self.failed: list[str] = []
        self.changed = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "event", None) != "crawl":
            return
        fields = getattr(record, "fields", {})
        with self.changed:
            self.done += 1
            if fields.get("outcome") not in ("ok", "stopped"):  # stopped: the bench's own end
                self.failed.append(record.getMessage())
            self.changed.notify_all()


def serve_in_child(articles: int, seed: int, channel: Connection) -> None:
    """The loopback publisher in its own process: sends its base URL, then publishes the next
    synthetic article on each message until ``None``."""
    site = serve_site(demo_site(bundled_templates()))
    fresh = iter(
        synthetic_articles(
            articles,
            sorted(bundled_templates()),
            seed=seed,
            start=datetime.now().astimezone() - timedelta(days=1),
        )
    )
    channel.send(site.url("/"))
    try:
        while channel.recv() is not None:
            site.publish(next(fresh))
    finally:
        site.stop()


def print_growth(
    before: Path | None,
    after: tracemalloc.Snapshot | None,
    types_before: Counter[str],
    types_after: Counter[str],
    top: int,
) -> None:
    if before is not None and after is not None:
        ignored = [
            tracemalloc.Filter(False, tracemalloc.__file__),
            tracemalloc.Filter(False, __file__),
        ]
        warm = tracemalloc.Snapshot.load(str(before))
        diff = after.filter_traces(ignored).compare_to(warm.filter_traces(ignored), "traceback")
        grown = sorted(diff, key=lambda d: d.size_diff, reverse=True)[:top]
        print("\nPython allocations that grew since the warm-up checkpoint (by traceback):")
        for stat in grown:
            if stat.size_diff <= 0:
                break
            print(f"  {stat.size_diff / 1024:+8.1f} KiB {stat.count_diff:+6d} blocks")
            for line in stat.traceback.format(most_recent_first=True)[:8]:
                print(f"      {line.strip()}")
    grown_types = sorted(
        ((types_after[t] - types_before[t], t) for t in types_after | types_before),
        reverse=True,
    )[:top]
    print("\nObject types whose count grew since the warm-up checkpoint:")
    for change, name in grown_types:
        if change > 0:
            print(f"  {change:+6d} {name} (now {types_after[name]})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=500)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument(
        "--recycle",
        default="5m",
        help="the daemon's recycle_interval (default 5m: this soak polls far more often "
        "than a real one, whose default is 15m)",
    )
    parser.add_argument("--every", type=int, default=50, help="checkpoint every N cycles")
    parser.add_argument("--warmup", type=int, default=100, help="growth is measured from here")
    parser.add_argument("--frames", type=int, default=1, help="tracemalloc depth; 0: off")
    parser.add_argument("--diagnose", action="store_true", help="what grew, by traceback")
    parser.add_argument("--top", type=int, default=12, help="growing allocations shown")
    args = parser.parse_args()
    if args.frames > 0:
        tracemalloc.start(args.frames)

    folder = Path(tempfile.mkdtemp(prefix="monitor-soak-"))
    config = folder / "monitor.toml"
    config.write_text(CONFIG.format(parallel=args.parallel, recycle=args.recycle), encoding="utf-8")
    url = f"sqlite:///{folder / 'soak.db'}"
    engine = open_engine(url)
    upgrade_to_head(engine)

    from monitor.settings import build_settings

    settings = build_settings(db_flag=url, config_flag=str(config), environ={})
    context = multiprocessing.get_context("spawn")
    channel, site_end = context.Pipe()
    site = context.Process(
        target=serve_in_child, args=(args.cycles // 20 + 2, 11, site_end), name="soak-site"
    )
    site.start()
    base = channel.recv()
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        now = datetime.now().astimezone()
        for name, path in (("soak-rss", "feed.rss"), ("soak-atom", "feed.atom")):
            add_source(session, SourceSpec(name, "feed", base + path), now)

    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # skipped overlapping runs
    counter = CrawlCounter()
    logging.getLogger("monitor.daemon").addHandler(counter)
    logging.getLogger("monitor.daemon").setLevel(logging.INFO)
    daemon = Daemon(
        engine,
        database_url=url,
        config_path=str(config),
        settings=daemon_settings(settings.section("daemon")),
        outputs=output_settings(settings.section("outputs"), folder),
    )
    runner = threading.Thread(target=daemon.run_forever, name="daemon")
    started = time.monotonic()
    samples = [sample(0, started)]
    runner.start()
    warmup = min(args.warmup, args.cycles)
    checkpoints = sorted(
        {c for c in (1, 10, 50, warmup, *range(args.every, args.cycles + 1, args.every))}
        | {args.cycles}
    )
    checkpoints = [c for c in checkpoints if 0 < c <= args.cycles]
    published = 0
    snapshot_warm: Path | None = None
    snapshot_end = None
    types_warm: Counter[str] = Counter()
    types_end: Counter[str] = Counter()
    try:
        for mark in checkpoints:
            with counter.changed:
                while counter.done < mark:
                    counter.changed.wait(1.0)
                    if not runner.is_alive():
                        raise RuntimeError("the daemon stopped on its own")
                    if counter.done // 20 > published:
                        channel.send("publish")
                        published += 1
            samples.append(sample(counter.done, started))
            if args.diagnose and mark == warmup:
                types_warm = type_counts()
                if tracemalloc.is_tracing():  # kept on disk: held, it would grow the RSS
                    snapshot_warm = folder / "warm.snapshot"
                    tracemalloc.take_snapshot().dump(str(snapshot_warm))
            if args.diagnose and mark == checkpoints[-1]:  # before the daemon stops
                types_end = type_counts()
                snapshot_end = tracemalloc.take_snapshot() if tracemalloc.is_tracing() else None
    finally:
        daemon.stop.set()
        runner.join(60)
        channel.send(None)
        site.join(10)
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    def shown(value: float | None) -> str:
        return f"{value:>8.2f}" if value is not None else f"{'-':>8}"

    print(
        f"{'cycle':>6} {'seconds':>8} {'RSS MiB':>8} {'peak':>8} {'anon MiB':>8} {'heap MiB':>8} "
        f"{'malloc':>8} {'free':>8} {'sqlite':>8} {'blocks':>8} {'threads':>8} {'fds':>4}"
    )
    for x in samples:
        print(
            f"{x.cycle:>6} {x.seconds:>8.0f} {x.rss:>8.1f} {shown(x.peak)} "
            f"{x.anonymous:>8.1f} {shown(x.heap)} "
            f"{shown(x.malloc_used)} {shown(x.malloc_free)} {shown(x.sqlite)} {x.blocks:>8} "
            f"{x.threads:>8} "
            f"{x.fds:>4}"
        )
    warm = next(x for x in samples if x.cycle >= warmup)
    end = samples[-1]
    half = [x for x in samples if x.cycle >= args.cycles / 2]
    print(
        f"\n{counter.done} crawl cycles, {published} articles published meanwhile, "
        f"{len(counter.failed)} failed.\nRSS at start {samples[0].rss:.1f} MiB, after warm-up "
        f"(cycle {warm.cycle}) {warm.rss:.1f} MiB, at the end {end.rss:.1f} MiB "
        f"({end.rss - warm.rss:+.1f} MiB since warm-up)."
    )

    def slope(name: str, unit: float = 1.0) -> float:
        return slope_per_100([(x.cycle, getattr(x, name) * unit) for x in half])

    parts = [f"RSS {slope('rss'):+.2f} MiB"]
    if end.peak is not None:
        parts.append(f"peak RSS {slope('peak'):+.2f} MiB")
    parts += [f"anonymous {slope('anonymous'):+.2f} MiB"]
    if end.heap is not None:
        parts.append(f"Python heap {slope('heap', 1024):+.1f} KiB")
    if end.malloc_used is not None:
        parts.append(f"malloc in use {slope('malloc_used', 1024):+.1f} KiB")
        parts.append(f"malloc free {slope('malloc_free', 1024):+.1f} KiB")
    if end.sqlite is not None:
        parts.append(f"SQLite {slope('sqlite', 1024):+.1f} KiB")
    parts.append(f"blocks {slope('blocks'):+.0f}")
    print(
        f"Second half (cycles {half[0].cycle}-{end.cycle}, {len(half)} checkpoints), "
        f"per 100 cycles: {', '.join(parts)}"
    )
    if args.diagnose:
        print_growth(snapshot_warm, snapshot_end, types_warm, types_end, args.top)
    for line in counter.failed[:5]:
        print("failed:", line)
    return 1 if counter.failed else 0


if __name__ == "__main__":
    sys.exit(main())
