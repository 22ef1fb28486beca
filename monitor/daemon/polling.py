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


def resumed_interval(
    *,
    configured_seconds: float,
    current_seconds: float | None,
    consecutive_failures: int,
    bounds: PollingSettings,
    restart: bool = False,
) -> float:
    """The interval to schedule a source at now, from its stored plan, under settings that may
    have changed since the plan was made.

    A stored interval is kept but brought within the current bounds (a backoff within
    ``[base, max_backoff_seconds]``, a healthy source within ``[min_seconds, max_seconds]``).
    ``restart``: the source's own interval changed, so what adaptive polling learnt about the old
    one no longer applies: start again from the new base (backed off if the source is failing).
    """
    base = base_interval(configured_seconds, bounds)
    failing = consecutive_failures > 0
    if restart or current_seconds is None:
        if not failing:
            return base
        return next_interval(
            configured_seconds=configured_seconds,
            current_seconds=None,
            failed=True,
            consecutive_failures=consecutive_failures,
            new_articles=0,
            bounds=bounds,
        )
    if failing:
        return _clamp(current_seconds, base, bounds.max_backoff_seconds)
    return _clamp(current_seconds, bounds.min_seconds, bounds.max_seconds)


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
