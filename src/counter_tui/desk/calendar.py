"""The calendar door: the node's working-day calendar, seeded, read, imported, counted.

Seeding and importing change the years that due dates are counted over, so both count the open
cases' due dates again in the same transaction: a receipt's date never rests on a year that was
provisional when it was printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from counter_tui.actor import Actor
from counter_tui.cases.commands import recompute_due_dates
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.workdays.models import CalendarYear
from counter_tui.workdays.rules import Calendar, DueDate, Published, YearPlan
from counter_tui.workdays.service import (
    YearImport,
    calendar_for,
    due_date,
    ensure_seeded,
    import_calendar,
    year_info,
)


@dataclass(frozen=True)
class YearView:
    """One year as the calendar shows it: where it came from, its plan, the calendar from it on."""

    row: CalendarYear
    plan: YearPlan
    calendar: Calendar


class CalendarDoor(Door):
    def seed(self, actor: Actor) -> None:
        """Fill the calendar from the installed package and the shipped files where they bring
        something new (a no-op once they do not); raises CalendarInvalid for a broken shipped
        file."""
        with write_session(self.engine) as session:
            if any(year.changed for year in ensure_seeded(session, actor)):
                recompute_due_dates(session, actor)

    def year(self, year: int) -> YearView | None:
        """The year's arrangement, or None when the node has no data for it."""
        with read_session(self.engine) as session:
            found = year_info(session, year)
            calendar = calendar_for(session, since=year)
        if found is None:
            return None
        row, plan = found
        return YearView(row, plan, calendar)

    def import_years(
        self, actor: Actor, published: Sequence[Published]
    ) -> tuple[list[YearImport], int]:
        """Make each year's arrangement (validated) the one in use; returns what each year
        did and how many open cases had their due dates counted again."""
        with write_session(self.engine) as session:
            results = import_calendar(session, actor, published)
            changed = any(result.changed for result in results)
            recomputed = recompute_due_dates(session, actor) if changed else 0
        return results, recomputed

    def due(self, accepted_on: date, days: int) -> DueDate:
        """The day `days` working days after `accepted_on` (from the day after)."""
        with read_session(self.engine) as session:
            return due_date(session, accepted_on, days)
