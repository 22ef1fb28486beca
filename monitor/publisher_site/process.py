"""Serve a site from a separate process, so a benchmark's crawler and server do not share a GIL.

``python -m monitor.publisher_site --synthetic 2000`` renders every page up front, prints
``serving <base URL>`` on its first stdout line and serves until SIGTERM or SIGINT.
:class:`SiteProcess` starts that command and reads the line; it also reports the server's CPU
time, which the crawl benchmark prints next to its ratio.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType

from monitor.errors import MonitorError

READY_PREFIX = "serving "


class SiteProcessError(MonitorError):
    """The site process did not start or did not say where it serves."""


class SiteProcess:
    """A ``python -m monitor.publisher_site`` child process; a context manager."""

    def __init__(
        self,
        articles: int,
        seed: int = 0,
        port: int = 0,
        templates: Path | None = None,
        python: str = sys.executable,
    ) -> None:
        command = [python, "-m", "monitor.publisher_site", "--synthetic", str(articles)]
        command += ["--seed", str(seed), "--port", str(port)]
        if templates is not None:
            command += ["--templates", str(templates)]
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if not line.startswith(READY_PREFIX):
            self.stop()
            raise SiteProcessError(f"site process did not start (said {line!r})")
        self.base_url = line.removeprefix(READY_PREFIX)

    @property
    def pid(self) -> int:
        return self._process.pid

    def cpu_seconds(self) -> float | None:
        """User + system CPU the server has used so far (Linux ``/proc``; None elsewhere)."""
        stat = Path(f"/proc/{self.pid}/stat")
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        ticks = int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> SiteProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
