"""The revisit rule and the backfill window (DESIGN.md, Contracts: ids and revisits)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from monitor.frontier import UrlMemory, Window, is_due, next_due_after

T0 = datetime(2024, 2, 26, 9, 0, tzinfo=UTC)


def memory(**changes) -> UrlMemory:  # type: ignore[no-untyped-def]
    base = dict(
        first_seen=T0, last_fetched=T0, next_due=T0 + timedelta(hours=1), revisits=0,
        last_outcome="new", hinted_at=None, last_status=200,
    )  # fmt: skip
    base.update(changes)
    return UrlMemory(**base)  # type: ignore[arg-type]


def test_revisits_at_one_hour_one_day_one_week_then_never() -> None:
    assert [next_due_after(T0, n, "unchanged") for n in range(4)] == [
        T0 + timedelta(hours=1),
        T0 + timedelta(hours=24),
        T0 + timedelta(days=7),
        None,
    ]
    assert next_due_after(T0, 0, "irrelevant") is None


def test_due_rules() -> None:
    assert is_due(None, T0)
    assert not is_due(memory(), T0 + timedelta(minutes=30))
    assert is_due(memory(), T0 + timedelta(hours=1))
    # A newer feed date makes a stored URL due again, once.
    assert is_due(memory(next_due=None), T0, hint=T0 + timedelta(hours=3))
    assert not is_due(
        memory(next_due=None, hinted_at=T0 + timedelta(hours=3)), T0, hint=T0 + timedelta(hours=3)
    )
    # Passing failures are retried at the next crawl; a 404 or an irrelevant page is not.
    assert is_due(memory(last_outcome="timeout", next_due=None), T0)
    assert is_due(memory(last_outcome="http_error", last_status=503, next_due=None), T0)
    assert not is_due(memory(last_outcome="http_error", last_status=404, next_due=None), T0)
    assert not is_due(memory(last_outcome="irrelevant", next_due=None), T0 + timedelta(days=30))


def test_window_admits_overlapping_spans() -> None:
    window = Window(date(2024, 1, 1), date(2024, 1, 31))
    assert window.admits(None)
    assert window.admits(date(2024, 1, 31)) and not window.admits(date(2024, 2, 1))
    assert window.overlaps(date(2023, 12, 1), date(2024, 1, 1))  # a month-precision date
    assert not window.overlaps(date(2023, 12, 1), date(2023, 12, 31))


@given(st.integers(min_value=0, max_value=10))
def test_next_due_never_goes_backwards(revisits: int) -> None:
    this, following = (
        next_due_after(T0, revisits, "unchanged"),
        next_due_after(T0, revisits + 1, "unchanged"),
    )
    assert following is None or (this is not None and following > this)
