"""Adaptive polling and the daemon's settings: pure functions, tested alone and by properties."""

from __future__ import annotations

import platform
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.daemon.memory import fix_mmap_threshold, limit_malloc_arenas
from monitor.daemon.polling import base_interval, next_interval, polling_state, resumed_interval
from monitor.daemon.settings import DaemonSettings, PollingSettings, daemon_settings, parse_duration
from monitor.errors import ConfigError

BOUNDS = PollingSettings(
    min_seconds=300, max_seconds=6 * 3600, max_backoff_seconds=86400, backoff_factor=2
)
intervals = st.integers(min_value=60, max_value=7 * 86400)
currents = st.one_of(st.none(), st.floats(min_value=1, max_value=2 * 86400))


@given(intervals, currents, st.booleans(), st.integers(0, 200), st.integers(0, 50))
def test_interval_stays_within_bounds(
    configured: int, current: float | None, failed: bool, failures: int, new: int
) -> None:
    seconds = next_interval(
        configured_seconds=configured,
        current_seconds=current,
        failed=failed,
        consecutive_failures=failures,
        new_articles=new,
        bounds=BOUNDS,
    )
    assert BOUNDS.min_seconds <= seconds <= BOUNDS.max_backoff_seconds
    if not failed:
        assert seconds <= BOUNDS.max_seconds


@given(intervals, st.integers(1, 60))
def test_backoff_grows_with_failures_and_never_shrinks(configured: int, failures: int) -> None:
    def after(n: int) -> float:
        return next_interval(
            configured_seconds=configured,
            current_seconds=None,
            failed=True,
            consecutive_failures=n,
            new_articles=0,
            bounds=BOUNDS,
        )

    assert after(failures) <= after(failures + 1)
    assert after(failures) >= base_interval(configured, BOUNDS)


@given(intervals, st.floats(min_value=300, max_value=6 * 3600))
def test_news_polls_more_often_and_quiet_less(configured: int, current: float) -> None:
    def with_news(new: int) -> float:
        return next_interval(
            configured_seconds=configured,
            current_seconds=current,
            failed=False,
            consecutive_failures=0,
            new_articles=new,
            bounds=BOUNDS,
        )

    assert with_news(3) <= current <= with_news(0)


def test_backoff_then_recovery_returns_to_the_base() -> None:
    failed = [
        next_interval(
            configured_seconds=3600,
            current_seconds=None,
            failed=True,
            consecutive_failures=n,
            new_articles=0,
            bounds=BOUNDS,
        )
        for n in (1, 2, 3, 10)
    ]
    assert failed == [7200, 14400, 28800, 86400]
    recovered = next_interval(
        configured_seconds=3600,
        current_seconds=86400,
        failed=False,
        consecutive_failures=0,
        new_articles=1,
        bounds=BOUNDS,
    )
    assert recovered == 1800
    assert polling_state(3600, 86400, 2, BOUNDS) == "backing off"
    assert polling_state(3600, 1800, 0, BOUNDS) == "faster"
    assert polling_state(3600, 5400, 0, BOUNDS) == "slower"
    assert polling_state(3600, None, 0, BOUNDS) == "normal"


def test_configured_interval_is_clamped_to_the_bounds() -> None:
    assert base_interval(60, BOUNDS) == 300
    assert base_interval(86400, BOUNDS) == 6 * 3600
    assert base_interval(1800, BOUNDS) == 1800


def test_settings_from_the_daemon_section() -> None:
    settings = daemon_settings(
        {"min_interval": "2s", "max_interval": "1m", "crawl_timeout": 90, "max_parallel_crawls": 3}
    )
    assert settings.polling.min_seconds == 2 and settings.polling.max_seconds == 60
    assert settings.crawl_timeout == 90 and settings.max_parallel_crawls == 3
    assert daemon_settings({}) == DaemonSettings()
    assert parse_duration("1.5h", "x") == 5400


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"min_intervall": "2s"}, "unknown setting"),
        ({"crawl_timeout": "soon"}, "not a duration"),
        ({"crawl_timeout": 0}, "positive"),
        ({"min_interval": "2h", "max_interval": "1h"}, "longer than max_interval"),
        ({"max_parallel_crawls": 0}, "max_parallel_crawls"),
        ({"speed_up": 2}, "speed_up"),
    ],
)
def test_bad_settings_are_refused_with_the_key(section: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        daemon_settings(section)


def test_a_stored_interval_resumes_within_the_current_bounds() -> None:
    narrower = PollingSettings(min_seconds=600, max_seconds=3600, max_backoff_seconds=7200)

    def resumed(current: float | None, failures: int = 0, restart: bool = False) -> float:
        return resumed_interval(
            configured_seconds=1800,
            current_seconds=current,
            consecutive_failures=failures,
            bounds=narrower,
            restart=restart,
        )

    assert resumed(None) == 1800  # never adapted: the base
    assert resumed(300) == 600 and resumed(5 * 3600) == 3600 and resumed(2400) == 2400
    assert resumed(86400, failures=3) == 7200  # a backoff keeps to the new max_backoff
    assert resumed(900, failures=1) == 1800  # ...and never drops below the base
    # The source's own interval changed: what was learnt about the old one is dropped.
    assert resumed(2400, restart=True) == 1800
    assert resumed(2400, failures=1, restart=True) == 3600


@pytest.mark.parametrize(
    ("tune", "variable", "value"),
    [
        (limit_malloc_arenas, "MALLOC_ARENA_MAX", "4"),
        (fix_mmap_threshold, "MALLOC_MMAP_THRESHOLD_", "65536"),
    ],
)
def test_malloc_is_tuned_unless_the_operator_chose(
    tune: Callable[[], bool], variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    assert not tune()  # the environment's value stands
    monkeypatch.delenv(variable)
    glibc = platform.libc_ver()[0] == "glibc"
    assert tune() is glibc
