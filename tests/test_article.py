"""Dates with their precision and offset, and article ids (DESIGN.md, Contracts)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.article import ArticleDate, ArticleDraft, article_id_for_url, restore_date


def test_id_is_the_sha256_prefix_of_the_canonical_url() -> None:
    assert article_id_for_url("https://example.com/a") == "2dce0a4c50441bfc"
    assert (
        ArticleDraft(text="x", canonical_url="https://example.com/a").resolved_id()
        == "2dce0a4c50441bfc"
    )
    assert (
        ArticleDraft(text="x", id="00000000000000aa", url="https://e.com").resolved_id()
        == "00000000000000aa"
    )


def test_publisher_day_is_kept_across_utc() -> None:
    late = ArticleDate("2024-02-26T23:30:00-05:00", "datetime", "jsonld")
    assert late.moment_utc() == datetime(2024, 2, 27, 4, 30, tzinfo=UTC)
    assert late.first_day() == late.last_day() == date(2024, 2, 26)
    assert late.utc_offset_minutes() == -300


def test_partial_dates_cover_their_span() -> None:
    month = ArticleDate("2024-02", "month", "seed")
    assert (month.first_day(), month.last_day()) == (date(2024, 2, 1), date(2024, 2, 29))
    year = ArticleDate("2023", "year", "url")
    assert (year.first_day(), year.last_day()) == (date(2023, 1, 1), date(2023, 12, 31))


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        ("2024-02-26T09:30:00", "datetime"),
        ("2024-13", "month"),
        ("2024-02", "day"),
        ("2024-02-30", "day"),
    ],
)
def test_bad_dates_are_refused(value: str, precision: str) -> None:
    with pytest.raises(ValueError):
        ArticleDate(value, precision, "meta")  # type: ignore[arg-type]


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_stored_form_restores_the_page_date(moment: datetime, offset: int) -> None:
    local = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset)))
    original = ArticleDate.from_datetime(local, "jsonld")
    restored = restore_date(
        original.moment_utc(), original.utc_offset_minutes(), "datetime", "jsonld"
    )
    assert restored == original
