"""Small helpers for the core tests: reading the journal and the projections, and raw SQL (the
tamperer's tool, deliberately bypassing the services)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect, text
from sqlmodel import col, select

from counter_tui.db import read_session
from counter_tui.journal.models import Event
from counter_tui.journal.registry import projection_tables


def events(engine: Engine, type: str | None = None) -> list[Event]:
    """The journal in clock order, optionally only one event type."""
    query = select(Event).order_by(col(Event.hlc), col(Event.id))
    if type is not None:
        query = query.where(Event.type == type)
    with read_session(engine) as session:
        return list(session.exec(query).all())


def event_types(engine: Engine) -> list[str]:
    return [event.type for event in events(engine)]


def dump_projections(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every projection table, ordered by primary key, as plain dicts."""
    dump: dict[str, list[dict[str, Any]]] = {}
    with read_session(engine) as session:
        for table in projection_tables():
            keys = [col(getattr(table, c.key)) for c in inspect(table).primary_key]
            rows = session.exec(select(table).order_by(*keys)).all()
            dump[str(table.__tablename__)] = [row.model_dump() for row in rows]
    return dump


def execute(engine: Engine, sql: str, **params: Any) -> int:
    """Run one statement outside every service; returns the rows it touched."""
    with engine.begin() as conn:
        return conn.execute(text(sql), params).rowcount
