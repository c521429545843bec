"""Which function applies which event type to the projection tables.

Capability packages register handlers with `@handles("type")` in their `projection.py`; the list
below names those modules so that replay and sync can load every handler without importing the UI.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, SQLModel

from counter_tui.journal.models import Event

Handler = Callable[[Session, Event, dict[str, Any]], None]

#: Projection modules in dependency order: tables of later modules may refer to earlier ones.
PROJECTION_MODULES = (
    "counter_tui.site.projection",
    "counter_tui.accounts.projection",
    "counter_tui.catalog.projection",
    "counter_tui.workdays.projection",
    "counter_tui.cases.projection",
    "counter_tui.queue.projection",
)

_handlers: dict[str, Handler] = {}
_loaded = False


class UnknownEventType(Exception):
    pass


def handles(event_type: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if event_type in _handlers:
            raise RuntimeError(f"two handlers for event type {event_type!r}")
        _handlers[event_type] = fn
        return fn

    return register


def _load() -> None:
    global _loaded
    if not _loaded:
        for name in PROJECTION_MODULES:
            importlib.import_module(name)
        _loaded = True


def apply(session: Session, event: Event) -> None:
    """Apply one event to the projections (used by record, sync and replay alike)."""
    _load()
    try:
        handler = _handlers[event.type]
    except KeyError:
        raise UnknownEventType(event.type) from None
    handler(session, event, json.loads(event.payload))


def projection_tables() -> list[type[SQLModel]]:
    """Every table rebuilt from the journal, in dependency order."""
    _load()
    tables: list[type[SQLModel]] = []
    for name in PROJECTION_MODULES:
        tables.extend(importlib.import_module(name).TABLES)
    return tables
