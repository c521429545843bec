"""Messages that workers post; screens and the app react to them with @on(...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from counter_tui.accounts.service import LoginResult
    from counter_tui.catalog.search import SearchIndex
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import Guide


@dataclass
class DeskReady(Message):
    """The database is open and at the program's schema version."""

    desk: Desk


@dataclass
class DeskFailed(Message):
    """The database could not be opened; `reason` is the Chinese message for the user."""

    reason: str
    #: Busy, full, gone: it may open at the next try (a newer schema will not).
    retryable: bool = False


@dataclass
class LoginFinished(Message):
    """A login attempt was checked (and recorded in the journal)."""

    result: LoginResult


@dataclass
class CatalogReady(Message):
    """The active catalog's search index is built."""

    index: SearchIndex


@dataclass
class GuideLoaded(Message):
    """The guide of `code` was read (None: no such entry in the active catalog)."""

    code: str
    guide: Guide | None


@dataclass
class ShowCatalogEntry(Message):
    """Show this entry's guide in the catalog section (from the command palette)."""

    code: str


class CasesArrived(Message):
    """A sync round brought changes from the hub (a decision, a result to deliver): a screen
    that lists cases reads them again."""
