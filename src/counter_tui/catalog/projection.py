"""Catalog events. The catalog tables are reference data, written by the import itself and never
rebuilt from the journal (docs/architecture.md); the event is kept for the audit trail."""

from typing import Any

from sqlmodel import Session, SQLModel

from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

TABLES: list[type[SQLModel]] = []


@handles("catalog.imported")
def _imported(session: Session, event: Event, payload: dict[str, Any]) -> None:
    """Nothing to project: the version rows were written by the import."""
