"""Turn the date strings pages carry into :class:`ArticleDate` values with an honest precision.

A datetime keeps the offset the page gave. A datetime without any offset is kept to the day:
its clock time is in an unknown zone, so pretending it is UTC would move the instant, while
its day is what the publisher wrote.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from monitor.article import ArticleDate, DateSource

_ISO_DATETIME = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?\s*$"
)
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:[T ]?(\d{2})(\d{2})(\d{2})?)?\s*$")
_URL_DAY = re.compile(
    r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)
_URL_DAY_SEPARATED = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")
#: Publication dates before the web or after tomorrow are typos or placeholders.
_EARLIEST_YEAR = 1995


def _plausible(day: date, now: datetime | None) -> bool:
    reference = (now or datetime.now(UTC)).date()
    return day.year >= _EARLIEST_YEAR and day.toordinal() <= reference.toordinal() + 1


def _offset_text(zone: str) -> str:
    if zone in {"Z", "z", "UTC", "GMT"}:
        return "+00:00"
    sign, digits = zone[0], zone[1:].replace(":", "")
    digits = digits.ljust(4, "0")
    return f"{sign}{digits[:2]}:{digits[2:4]}"


def parse_date(
    value: object, source: DateSource, *, now: datetime | None = None
) -> ArticleDate | None:
    """Parse an ISO 8601, compact or RFC 2822 date string; None when it is not a sane date."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return (
            _parse_iso(text, source, now)
            or _parse_compact(text, source, now)
            or (_parse_rfc2822(text, source, now))
        )
    except (ValueError, OverflowError):
        return None


def _parse_iso(text: str, source: DateSource, now: datetime | None) -> ArticleDate | None:
    match = _ISO_DATETIME.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    day_value = date(int(year), int(month), int(day))
    if not _plausible(day_value, now):
        return None
    if hour is None or zone is None:
        return ArticleDate(day_value.isoformat(), "day", source)
    moment = datetime.fromisoformat(
        f"{day_value.isoformat()}T{int(hour):02d}:{minute}:{second or '00'}{_offset_text(zone)}"
    )
    return ArticleDate(moment.isoformat(), "datetime", source)


def _parse_compact(text: str, source: DateSource, now: datetime | None) -> ArticleDate | None:
    match = _COMPACT_DATE.match(text)
    if not match:
        return None
    day_value = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if not _plausible(day_value, now):
        return None
    return ArticleDate(day_value.isoformat(), "day", source)


def _parse_rfc2822(text: str, source: DateSource, now: datetime | None) -> ArticleDate | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or not _plausible(moment.date(), now):
        return None
    if moment.tzinfo is None:
        return ArticleDate(moment.date().isoformat(), "day", source)
    return ArticleDate(moment.isoformat(), "datetime", source)


def date_from_url(url: str | None, *, now: datetime | None = None) -> ArticleDate | None:
    """The day (or month) many news sites put in their article paths: ``/2023/08/30/``."""
    if not url:
        return None
    path = url.split("?", 1)[0]
    for pattern in (_URL_DAY_SEPARATED, _URL_DAY):
        match = pattern.search(path)
        if match:
            try:
                day_value = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            if _plausible(day_value, now):
                return ArticleDate(day_value.isoformat(), "day", "url")
    match = _URL_MONTH.search(path)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if _plausible(date(year, month, 1), now):
            return ArticleDate(f"{year:04d}-{month:02d}", "month", "url")
    return None
