"""Opening hours: is the clinic open now, and when does it open next?

A parent asking for a person at 9pm should hear when someone will be there,
not wait for a reply that cannot come until morning.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _interval(spec: str | None) -> tuple[time, time] | None:
    """ "08:00-18:00" -> (08:00, 18:00); "closed", empty or malformed -> None."""
    if not spec or "-" not in spec:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in spec.split("-", 1))
    except ValueError:
        return None
    return (start, end) if start < end else None


def is_open(now: datetime, schedule: Mapping[str, str], timezone: str) -> bool:
    """Whether `now` falls inside the clinic's hours for that weekday."""
    local = now.astimezone(ZoneInfo(timezone))
    interval = _interval(schedule.get(DAYS[local.weekday()]))
    return interval is not None and interval[0] <= local.time() < interval[1]


def next_opening(now: datetime, schedule: Mapping[str, str], timezone: str) -> datetime | None:
    """The next moment the clinic opens (in its time zone), within a week."""
    local = now.astimezone(ZoneInfo(timezone))
    for offset in range(8):
        day = local + timedelta(days=offset)
        interval = _interval(schedule.get(DAYS[day.weekday()]))
        if interval is None:
            continue
        opening = day.replace(
            hour=interval[0].hour, minute=interval[0].minute, second=0, microsecond=0
        )
        if opening > local:
            return opening
    return None


def describe_opening(opening: datetime, now: datetime) -> str:
    """ "today at 8:00", "tomorrow at 8:00" or "Monday at 8:00"."""
    local_now = now.astimezone(opening.tzinfo)
    at = f"{opening.hour}:{opening.minute:02d}"
    if opening.date() == local_now.date():
        return f"today at {at}"
    if opening.date() == (local_now + timedelta(days=1)).date():
        return f"tomorrow at {at}"
    return f"{opening.strftime('%A')} at {at}"
