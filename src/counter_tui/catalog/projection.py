"""Catalog events. The catalog tables are reference data, written by the import itself and never
rebuilt from the journal (docs/architecture.md); the event is kept for the audit trail."""

from sqlmodel import Session, SQLModel

from counter_tui.catalog.events import CATALOG_IMPORTED, CatalogImported
from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

TABLES: list[type[SQLModel]] = []


@handles(CATALOG_IMPORTED)
def _imported(session: Session, event: Event, payload: CatalogImported) -> None:
    """Nothing to project: the version rows were written by the import."""
