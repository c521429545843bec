"""Calendar events. The calendar tables are reference data, written by the import itself and
never rebuilt from the journal (docs/architecture.md); the event is kept for the audit trail.
The due dates a new year changes are recounted by the import itself, in its transaction
(desk/calendar.py calls cases.commands.recompute_due_dates), not by this handler."""

from sqlmodel import Session, SQLModel

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles
from counter_tui.workdays.events import CALENDAR_IMPORTED, CalendarImported

TABLES: list[type[SQLModel]] = []


@handles(CALENDAR_IMPORTED)
def _imported(session: Session, event: Event, payload: CalendarImported) -> None:
    """Nothing to project: the year rows were written by the import."""
