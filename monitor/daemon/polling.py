"""Adaptive polling: how long to wait before a source's next crawl, from how its last ones went.

Pure arithmetic on plain values, so that it can be tested alone (and by properties).
"""

from __future__ import annotations

from typing import Literal

from monitor.daemon.settings import PollingSettings

PollingState = Literal["normal", "faster", "slower", "backing off"]


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def base_interval(configured_seconds: float, bounds: PollingSettings) -> float:
    """The source's own interval within the bounds: where polling starts and returns to."""
    return _clamp(configured_seconds, bounds.min_seconds, bounds.max_seconds)


def next_interval(
    *,
    configured_seconds: float,
    current_seconds: float | None,
    failed: bool,
    consecutive_failures: int,
    new_articles: int,
    bounds: PollingSettings,
) -> float:
    """The interval after a run.

    ``consecutive_failures`` counts this run when it failed. A failing source backs off
    exponentially from its base (capped at ``max_backoff_seconds``); a healthy one moves by
    ``speed_up`` when it had news and ``slow_down`` when it had none, within the bounds. A
    success right after failures starts again from the base: the backoff said nothing about
    how busy the source is.
    """
    base = base_interval(configured_seconds, bounds)
    if failed:
        streak = max(1, consecutive_failures)
        backoff = base * bounds.backoff_factor ** min(streak, 64)
        return min(bounds.max_backoff_seconds, max(base, backoff))
    current = base if current_seconds is None else current_seconds
    if current > bounds.max_seconds:  # coming back from a backoff
        current = base
    factor = bounds.speed_up if new_articles > 0 else bounds.slow_down
    return _clamp(current * factor, bounds.min_seconds, bounds.max_seconds)


def polling_state(
    configured_seconds: float,
    current_seconds: float | None,
    consecutive_failures: int,
    bounds: PollingSettings,
) -> PollingState:
    """A word for `monitor status`: is this source polled as configured, faster, slower, or
    backed off after failures?"""
    if consecutive_failures > 0:
        return "backing off"
    if current_seconds is None:
        return "normal"
    base = base_interval(configured_seconds, bounds)
    if current_seconds < base:
        return "faster"
    if current_seconds > base:
        return "slower"
    return "normal"
