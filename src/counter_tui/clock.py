"""The hall's clock: local, aware, to the second, in the hall's time zone.

A hall's day, its case and ticket numbers, appointment slots, printed times and due dates follow
the hall's zone (config `timezone`, default Asia/Shanghai), never the zone the PC happens to be
set to: two PCs on one database must draw the same numbers, and a hub replaying a village's
events must count the same days. The zone is set once per process where it starts (the CLI,
`make_app`, the display), from the settings; the database keeps UTC.

A naive time handed in (a test's fixed clock) is read as the hall's wall-clock time: nothing in
the program makes naive times, since the PC's zone means nothing here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: The zone of every hall in China (UTC+8, no daylight saving time).
DEFAULT_ZONE = "Asia/Shanghai"

_zone: tzinfo | None = None
#: Days added to the real date: the demo's `--date` (set only by the demo, for its own process
#: and its build child), so that a trainer can hold a lesson on a chosen day. The time of day
#: stays real, so the header's clock and the queue's waiting times still move.
_day_offset = timedelta(0)


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError when there is none of that name (the `tzdata` package
    supplies the zones on a PC without system time-zone data)."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"没有这个时区：{name!r}") from None


def hall_zone() -> tzinfo:
    """The hall's time zone: the one set for this process, or Asia/Shanghai."""
    global _zone
    if _zone is None:
        _zone = load_zone(DEFAULT_ZONE)
    return _zone


def set_hall_zone(zone: tzinfo | str) -> None:
    """Make `zone` (a tzinfo or an IANA name) the hall's zone for this process."""
    global _zone
    _zone = load_zone(zone) if isinstance(zone, str) else zone


def to_local(moment: datetime) -> datetime:
    """`moment` in the hall's zone; a naive `moment` is taken as the hall's wall-clock time."""
    zone = hall_zone()
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def set_demo_today(day: date | None) -> None:
    """Make `day` the hall's today for this process, keeping the real time of day (None: the
    real date again). Only the demo calls this: a real hall's days are the calendar's."""
    global _day_offset
    if day is None:
        _day_offset = timedelta(0)
        return
    _day_offset = timedelta(days=(day - datetime.now(hall_zone()).date()).days)


def demo_day_offset() -> timedelta:
    """How far the demo moved this process's days (zero outside a demo with `--date`)."""
    return _day_offset


def now_local(at: datetime | None = None) -> datetime:
    """`at` as the hall's aware local time, or now, to the second: what services stamp on events
    and count days from (`now = now_local(now)` at the top of a service)."""
    if at is not None:
        return to_local(at)
    return (datetime.now(hall_zone()) + _day_offset).replace(microsecond=0)


def today_local() -> date:
    """The hall's date today."""
    return (datetime.now(hall_zone()) + _day_offset).date()


def hall_clock(clock: Callable[[], datetime]) -> Callable[[], datetime]:
    """`clock` read in the hall's zone: the app's and the display's clock (tests inject a fixed
    one), so every day and time a screen shows or passes on is the hall's."""
    return lambda: to_local(clock())
