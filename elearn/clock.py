"""Time as this application counts it: stored in UTC, shown and reckoned in Vietnam time.

Due dates, "today", report weeks and the day a completion counts for are all Vietnam
calendar days (UTC+7, no daylight saving); timestamps are stored time-zone aware in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Date, cast, func

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Return the current time in UTC (stored with its time zone)."""
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date in Vietnam, the calendar every due date refers to."""
    return datetime.now(LOCAL_TZ).date()


def local_day(moment: datetime) -> date:
    """The calendar day in Vietnam of a stored (UTC) moment: the day a completion counts for."""
    return moment.astimezone(LOCAL_TZ).date()


def end_of_day(day: date) -> datetime:
    """The last second of a day in Vietnam (something shown "until 30/11" shows all that day)."""
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of a day in Vietnam."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def local_date(column, dialect_name: str):
    """SQL for the calendar day in Vietnam of a UTC timestamp column."""
    if dialect_name == "postgresql":
        return cast(func.timezone("Asia/Ho_Chi_Minh", column), Date)
    return func.date(column, "+7 hours")
