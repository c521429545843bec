"""The UI's door to the services. Imported in a worker thread after the first paint, because
SQLModel/SQLAlchemy take about 0.6 s to import on a hall PC (STYLE.md, "Start fast").

Every method opens its own short session; nothing here is awaited while a session is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.accounts.service import LoginResult, authenticate
from counter_tui.catalog.model import Bundle, Item
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
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.schema import require_head
from counter_tui.settings import Settings
from counter_tui.site.service import node, site_name


@dataclass(frozen=True)
class NodeInfo:
    site: str
    site_name: str
    demo: bool
    level: str


@dataclass(frozen=True)
class Guide:
    """Everything the guide pane shows for one catalog entry."""

    entry: Item | Bundle
    departments: dict[str, str]
    kinds: dict[str, str]
    #: The items of a bundle (empty for an item).
    items: dict[str, Item]


class Backend:
    """Services bound to one database, for one app process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.db_url)
        require_head(self.engine)
        with read_session(self.engine) as session:
            me = node(session)
            self.node = NodeInfo(
                site=me.site, site_name=site_name(session, me.site), demo=me.demo, level=me.level
            )
        self._index: SearchIndex | None = None

    def login(self, username: str, password: str) -> LoginResult:
        with write_session(self.engine) as session:
            return authenticate(
                session, username, password, site=self.node.site, window=self.settings.window
            )

    def catalog_index(self) -> SearchIndex:
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

    def close(self) -> None:
        self.engine.dispose()


def open_backend(settings: Settings) -> Backend:
    return Backend(settings)
