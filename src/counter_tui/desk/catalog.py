"""The catalog door: searching and reading the active catalog, importing a new version."""

from __future__ import annotations

from sqlalchemy import Engine

from counter_tui.actor import Actor
from counter_tui.catalog.model import Catalog, Item
from counter_tui.catalog.models import CatalogEntry
from counter_tui.catalog.search import Hit, SearchIndex
from counter_tui.catalog.service import (
    ImportResult,
    active_version,
    departments,
    get_entry,
    get_items,
    import_catalog,
    kind_names,
    list_entries,
    record_use,
    search_entries,
    usage_counts,
)
from counter_tui.catalog.shipped import NO_CATALOG
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.desk.records import Guide, NodeInfo
from counter_tui.errors import UserError
from counter_tui.settings import Settings


class CatalogDoor(Door):
    def __init__(self, engine: Engine, node: NodeInfo, settings: Settings) -> None:
        super().__init__(engine, node, settings)
        self._index: SearchIndex | None = None

    def index(self) -> SearchIndex:
        """The active catalog's search index, built once per process (about 0.1 s)."""
        if self._index is None:
            with read_session(self.engine) as session:
                entries = search_entries(session)
                usage = usage_counts(session, self.node.site)
            self._index = SearchIndex(entries, usage=usage, site_level=self.node.level)
        return self._index

    def note_use(self, code: str) -> None:
        """The clerk chose this entry: it ranks higher among equals from the next start on."""
        with write_session(self.engine) as session:
            record_use(session, self.node.site, code)

    def guide(self, code: str) -> Guide | None:
        with read_session(self.engine) as session:
            entry = get_entry(session, code)
            if entry is None:
                return None
            items = {} if isinstance(entry, Item) else get_items(session, list(entry.items))
            return Guide(entry, departments(session), kind_names(session), items)

    def department_names(self) -> dict[str, str]:
        with read_session(self.engine) as session:
            return departments(session)

    def require_catalog(self) -> None:
        """Refuse, saying how to import one, when the node has no catalog yet."""
        with read_session(self.engine) as session:
            if active_version(session) is None:
                raise UserError(NO_CATALOG)

    def entries(self, department: str | None = None) -> list[CatalogEntry]:
        """Every item and bundle of the active version (of one department), bundles last."""
        with read_session(self.engine) as session:
            return list_entries(session, department=department)

    def search(self, query: str, limit: int) -> list[Hit]:
        """The best `limit` entries for `query`, ranked by how they match and by the site's
        level (the command line's search; the window's uses `index()`, with usage counts)."""
        with read_session(self.engine) as session:
            entries = search_entries(session)
        return SearchIndex(entries, site_level=self.node.level).search(query, limit=limit)

    def import_catalog(self, actor: Actor, catalog: Catalog) -> ImportResult:
        """Store a validated catalog as the new active version (all or nothing)."""
        with write_session(self.engine) as session:
            return import_catalog(session, actor, catalog)
