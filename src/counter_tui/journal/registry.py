"""Which function applies which event type to the projection tables.

Capability packages register handlers with `@handles(NAME)` in their `projection.py`, NAME being
the constant their `events.py` declares; the list below names those modules so that replay and
sync can load every handler (and, through them, every declaration) without importing the UI.
A handler receives the event's payload as its declared dataclass (journal.events.decode).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from counter_tui.journal.events import UnknownEventType, decode
from counter_tui.journal.models import Event

Handler = Callable[[Session, Event, Any], None]
H = TypeVar("H", bound=Handler)

#: Projection modules in dependency order: tables of later modules may refer to earlier ones.
PROJECTION_MODULES = (
    "counter_tui.site.projection",
    "counter_tui.accounts.projection",
    "counter_tui.catalog.projection",
    "counter_tui.workdays.projection",
    "counter_tui.cases.projection",
    "counter_tui.queue.projection",
    "counter_tui.feedback.projection",
)

_handlers: dict[str, Handler] = {}
_loaded = False


def handles(event_type: str) -> Callable[[H], H]:
    def register(fn: H) -> H:
        if event_type in _handlers:
            raise RuntimeError(f"two handlers for event type {event_type!r}")
        _handlers[event_type] = fn
        return fn

    return register


def handlers() -> dict[str, Handler]:
    """Every event type that has a handler, and the handler (all projection modules loaded)."""
    load()
    return dict(_handlers)


def load() -> None:
    """Import every projection module and, through them, every event declaration: record() and
    apply() need the whole catalogue whatever the process imported before (a kiosk script that
    only records a ticket, a sync worker)."""
    global _loaded
    if not _loaded:
        for name in PROJECTION_MODULES:
            importlib.import_module(name)
        _loaded = True


def apply(session: Session, event: Event) -> None:
    """Apply one event to the projections (used by record, sync and replay alike)."""
    load()
    try:
        handler = _handlers[event.type]
    except KeyError:
        raise UnknownEventType(f"no handler for event type {event.type!r}") from None
    handler(session, event, decode(event.type, json.loads(event.payload)))


def projection_tables() -> list[type[SQLModel]]:
    """Every table rebuilt from the journal, in dependency order."""
    load()
    tables: list[type[SQLModel]] = []
    for name in PROJECTION_MODULES:
        tables.extend(importlib.import_module(name).TABLES)
    return tables
