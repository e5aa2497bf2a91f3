"""Opening hours in the clinic's own time zone."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from actions.logic.hours import describe_opening, is_open, next_opening

WEEKDAYS = {day: "08:00-18:00" for day in ("mon", "tue", "wed", "thu", "fri")}
NY = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("now", "open_"),
    [
        (utc(2026, 11, 30, 14, 0), True),  # Monday 9:00 in New York
        (utc(2026, 11, 30, 12, 59), False),  # Monday 7:59
        (utc(2026, 11, 30, 23, 0), False),  # Monday 18:00, closing time
        (utc(2026, 11, 29, 15, 0), False),  # Sunday
    ],
)
def test_is_open(now: datetime, open_: bool) -> None:
    assert is_open(now, WEEKDAYS, NY) is open_


def test_next_opening_after_the_weekend() -> None:
    now = utc(2026, 11, 28, 15, 0)  # Saturday
    opening = next_opening(now, WEEKDAYS, NY)
    assert opening is not None and opening.strftime("%a %H:%M") == "Mon 08:00"
    assert describe_opening(opening, now) == "Monday at 8:00"


def test_next_opening_tomorrow_and_today() -> None:
    evening = utc(2026, 12, 1, 23, 30)  # Tuesday 18:30
    assert describe_opening(next_opening(evening, WEEKDAYS, NY), evening) == "tomorrow at 8:00"
    early = utc(2026, 12, 2, 11, 0)  # Wednesday 6:00
    assert describe_opening(next_opening(early, WEEKDAYS, NY), early) == "today at 8:00"


def test_closed_or_malformed_days_are_skipped() -> None:
    schedule = {"mon": "closed", "tue": "18:00-08:00", "wed": "nonsense", "thu": "09:30-12:00"}
    opening = next_opening(utc(2026, 11, 30, 14, 0), schedule, NY)
    assert opening is not None and opening.strftime("%a %H:%M") == "Thu 09:30"
    assert next_opening(utc(2026, 11, 30, 14, 0), {}, NY) is None
