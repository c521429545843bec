"""The two expressions the report queries need that SQLite and PostgreSQL spell differently:
a stored UTC time's hall-local date, and the seconds between two stored times.

The hall's zone is taken as a fixed offset (its offset on the day asked about): every hall in
China runs on UTC+8 without daylight saving (DOMAIN.md, "Time"), and a fixed offset keeps the
expression an index-friendly arithmetic on both engines.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Float, cast, extract, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from counter_tui.clock import hall_zone


def offset_minutes(day: date) -> int:
    """The hall zone's offset from UTC on `day`, in minutes (480 for China)."""
    offset = datetime.combine(day, time(12), tzinfo=hall_zone()).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def day_start(day: date) -> datetime:
    """The moment the hall's `day` begins (an aware time: the column type stores it as UTC)."""
    return datetime.combine(day, time(), tzinfo=hall_zone())


def local_date(dialect: str, column: Any, minutes: int) -> ColumnElement[Any]:
    """The hall-local date of a stored time, as the engine compares dates ('YYYY-MM-DD' text on
    SQLite, a date on PostgreSQL)."""
    if dialect == "sqlite":
        return func.date(column, f"{minutes:+d} minutes")
    shifted = func.timezone("UTC", column) + literal_column(f"interval '{minutes} minutes'")
    return func.date(shifted)


def seconds_between(dialect: str, later: Any, earlier: Any) -> ColumnElement[float]:
    """later − earlier in seconds (a float)."""
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return cast(extract("epoch", later - earlier), Float)
