"""The catalog's event type and its payload (the catalogue: docs/events.md)."""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.journal.events import declare

CATALOG_IMPORTED = "catalog.imported"


@declare(CATALOG_IMPORTED)
@dataclass(frozen=True)
class CatalogImported:
    """A catalog version was imported and made active (for the audit: replay projects nothing,
    the version rows are reference data)."""

    version_id: str
    number: int
    label: str
    name: str
    digest: str
    items: int
    bundles: int
