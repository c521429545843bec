"""The catalog door: searching and reading the active catalog."""

from __future__ import annotations

from sqlalchemy import Engine

from counter_tui.catalog.model import Item
from counter_tui.catalog.search import SearchIndex
from counter_tui.catalog.service import (
    departments,
    get_entry,
    get_items,
    kind_names,
    record_use,
    search_entries,
    usage_counts,
)
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.desk.records import Guide, NodeInfo
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
