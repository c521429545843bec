"""The calendar's event type and its payload (the catalogue: docs/events.md)."""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.journal.events import declare

CALENDAR_IMPORTED = "calendar.imported"


@dataclass(frozen=True)
class ImportedYear:
    """One year of the calendar as it was written."""

    year: int
    status: str
    origin: str
    source: str
    digest: str


@declare(CALENDAR_IMPORTED)
@dataclass(frozen=True)
class CalendarImported:
    """Calendar years written or replaced (for the audit: the year rows are reference data)."""

    years: list[ImportedYear]
