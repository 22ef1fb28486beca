"""The daemon's thresholds in one frozen settings object, read from the ``[daemon]`` section.

Every duration accepts seconds (a number) or a string with a unit (``90s``, ``15m``, ``2h``,
``1d``). The defaults suit one small machine following a few dozen sources for months.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from monitor.errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class PollingSettings:
    """Bounds of adaptive polling.

    A source starts at its configured interval clamped to ``[min_seconds, max_seconds]``. A run
    that found new articles multiplies the interval by ``speed_up`` (polled more often), a quiet
    run by ``slow_down``; both stay within the bounds. After ``n`` consecutive failures the
    interval is the base times ``backoff_factor ** n``, capped at ``max_backoff_seconds``; the
    first success returns to the base.
    """

    #: The shortest interval adaptive polling may reach (default 5 minutes: polite to publishers).
    min_seconds: float = 300
    #: The longest interval a quiet source drifts to (default 6 hours: new articles same day).
    max_seconds: float = 6 * 3600
    #: The longest wait after repeated failures (default 1 day: a dead source still gets tried).
    max_backoff_seconds: float = 24 * 3600
    backoff_factor: float = 2.0
    speed_up: float = 0.5
    slow_down: float = 1.5


@dataclass(frozen=True)
class DaemonSettings:
    """How the daemon schedules, bounds and maintains its work."""

    polling: PollingSettings = PollingSettings()
    #: A crawl running longer than this is stopped (SIGTERM, then SIGKILL after ``stop_timeout``).
    crawl_timeout: float = 30 * 60
    #: On SIGTERM/SIGINT running crawls get this long to finish their current pages.
    stop_timeout: float = 20
    #: A run delayed by less than this (a busy machine, a suspended laptop) still happens; a
    #: longer delay skips it and the next run is the regular one. APScheduler's default of 1 s
    #: would skip runs whenever a crawl hogs the pool.
    misfire_grace_time: float = 10 * 60
    #: Crawls at the same time (each is a process; the default leaves a core for the rest).
    max_parallel_crawls: int = 2
    heartbeat_interval: float = 30
    #: How often the ``sources`` table is compared with the scheduled jobs.
    reconcile_interval: float = 60
    maintenance_interval: float = 24 * 3600
    #: How often idle database connections are closed and free memory handed back to the
    #: system, so that connection caches and allocator free space cannot grow for months.
    recycle_interval: float = 15 * 60
    #: Fetch-log rows older than this are deleted by maintenance (the frontier keeps validators).
    fetch_retention: float = 90 * 86400


def parse_duration(value: Any, key: str) -> float:
    """Seconds from a number or a ``15m``-style string; ConfigError naming ``key`` otherwise."""
    if isinstance(value, bool):
        raise ConfigError(f"[daemon] {key}: expected a duration, not {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match[1]) * _UNIT_SECONDS[match[2]]
    else:
        raise ConfigError(f"[daemon] {key}: {value!r} is not a duration (e.g. 90s, 15m, 2h, 1d)")
    if seconds <= 0:
        raise ConfigError(f"[daemon] {key}: must be positive")
    return seconds


_POLLING_KEYS = {
    "min_interval": "min_seconds",
    "max_interval": "max_seconds",
    "max_backoff": "max_backoff_seconds",
}
_POLLING_FACTORS = ("backoff_factor", "speed_up", "slow_down")
_DURATIONS = (
    "crawl_timeout",
    "stop_timeout",
    "misfire_grace_time",
    "heartbeat_interval",
    "reconcile_interval",
    "maintenance_interval",
    "recycle_interval",
    "fetch_retention",
)


def daemon_settings(section: Mapping[str, Any]) -> DaemonSettings:
    """Build DaemonSettings from a ``[daemon]`` section; unknown keys are an error, not ignored."""
    known = {*_POLLING_KEYS, *_POLLING_FACTORS, *_DURATIONS, "max_parallel_crawls"}
    unknown = set(section) - known
    if unknown:
        raise ConfigError(
            f"[daemon]: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(known))}"
        )
    polling: dict[str, float] = {}
    for key, name in _POLLING_KEYS.items():
        if key in section:
            polling[name] = parse_duration(section[key], key)
    for key in _POLLING_FACTORS:
        if key in section:
            value = section[key]
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"[daemon] {key}: expected a positive number")
            polling[key] = float(value)
    bounds = PollingSettings(**polling)
    if bounds.min_seconds > bounds.max_seconds:
        raise ConfigError("[daemon] min_interval is longer than max_interval")
    if bounds.max_backoff_seconds < bounds.max_seconds:
        raise ConfigError("[daemon] max_backoff is shorter than max_interval")
    if not (bounds.speed_up <= 1 <= bounds.slow_down and bounds.backoff_factor >= 1):
        raise ConfigError("[daemon] need speed_up ≤ 1 ≤ slow_down and backoff_factor ≥ 1")
    values: dict[str, Any] = {"polling": bounds}
    for key in _DURATIONS:
        if key in section:
            values[key] = parse_duration(section[key], key)
    if "max_parallel_crawls" in section:
        parallel = section["max_parallel_crawls"]
        if not isinstance(parallel, int) or isinstance(parallel, bool) or parallel < 1:
            raise ConfigError("[daemon] max_parallel_crawls: expected a whole number ≥ 1")
        values["max_parallel_crawls"] = parallel
    names = {f.name for f in fields(DaemonSettings)}
    assert set(values) <= names
    return DaemonSettings(**values)
