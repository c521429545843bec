"""Calendar events. The calendar tables are reference data, written by the import itself and
never rebuilt from the journal (docs/architecture.md); the event is kept for the audit trail
and tells later capabilities that provisional due dates may be recomputed."""

from typing import Any

from sqlmodel import Session, SQLModel

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

TABLES: list[type[SQLModel]] = []


@handles("calendar.imported")
def _imported(session: Session, event: Event, payload: dict[str, Any]) -> None:
    """Nothing to project: the year rows were written by the import."""
