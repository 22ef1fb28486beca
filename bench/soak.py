"""Soak: the daemon's resident memory over many crawl cycles against a loopback publisher.

Runs the real daemon (scheduler, lock, heartbeats, child-process crawls, adaptive polling,
outputs) on a fresh SQLite database in a temporary folder, following two sources of a loopback
site (RSS and Atom feeds of the demo publisher) with a 1 s polling floor. Every 20 cycles a new
article is published, so storing, announcing and the output files are exercised too. The
daemon's own RSS (this process; crawls are child processes) is sampled as cycles complete.

    python bench/soak.py [--cycles 500] [--parallel 2]

Prints a table (cycle, seconds, RSS MiB, threads, open files) and the start/end difference;
exits 1 when a crawl failed. The figures go in docs/benchmarks.md, section "Daemon".
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
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
max_parallel_crawls = {parallel}

[outputs]
atom = "out/soak.atom"
jsonl = "out/soak.jsonl"
"""


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=500)
    parser.add_argument("--parallel", type=int, default=2)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="monitor-soak-"))
    config = folder / "monitor.toml"
    config.write_text(CONFIG.format(parallel=args.parallel), encoding="utf-8")
    url = f"sqlite:///{folder / 'soak.db'}"
    engine = open_engine(url)
    upgrade_to_head(engine)

    from monitor.settings import build_settings

    settings = build_settings(db_flag=url, config_flag=str(config), environ={})
    site = serve_site(demo_site(bundled_templates()))
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        now = datetime.now().astimezone()
        for name, path in (("soak-rss", "/feed.rss"), ("soak-atom", "/feed.atom")):
            add_source(session, SourceSpec(name, "feed", site.url(path)), now)
    fresh = iter(
        synthetic_articles(
            args.cycles // 20 + 2,
            sorted(bundled_templates()),
            seed=11,
            start=datetime.now().astimezone() - timedelta(days=1),
        )
    )

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
    runner.start()
    samples: list[tuple[int, float, float, int, int]] = []
    checkpoints = sorted(
        {c for c in (1, 10, 50, *range(100, args.cycles + 1, 100)) if c <= args.cycles}
        | {args.cycles}
    )
    published = 0
    try:
        for mark in checkpoints:
            with counter.changed:
                while counter.done < mark:
                    counter.changed.wait(1.0)
                    if not runner.is_alive():
                        raise RuntimeError("the daemon stopped on its own")
                    if counter.done // 20 > published:
                        site.publish(next(fresh))
                        published += 1
            samples.append(
                (
                    counter.done,
                    time.monotonic() - started,
                    resident_mib(),
                    threading.active_count(),
                    open_files(),
                )
            )
    finally:
        daemon.stop.set()
        runner.join(60)
        site.stop()
        engine.dispose()

    print(f"{'cycle':>6} {'seconds':>8} {'RSS MiB':>8} {'threads':>8} {'open fds':>8}")
    for cycle, seconds, rss, threads, fds in samples:
        print(f"{cycle:>6} {seconds:>8.0f} {rss:>8.1f} {threads:>8} {fds:>8}")
    baseline = next(s for s in samples if s[0] >= 10)
    print(
        f"\n{counter.done} crawl cycles, {published} articles published meanwhile, "
        f"{len(counter.failed)} failed; RSS after warm-up (cycle {baseline[0]}) "
        f"{baseline[2]:.1f} MiB, at the end {samples[-1][2]:.1f} MiB "
        f"({samples[-1][2] - baseline[2]:+.1f} MiB)"
    )
    for line in counter.failed[:5]:
        print("failed:", line)
    return 1 if counter.failed else 0


if __name__ == "__main__":
    sys.exit(main())
