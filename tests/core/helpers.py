"""Small helpers for the core tests: reading the journal and the projections, raw SQL (the
tamperer's tool, deliberately bypassing the services), and a clerk and the small test catalog
added to a node."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text
from sqlmodel import col, select

from counter_tui.db import read_session, write_session
from counter_tui.journal.models import Event
from counter_tui.journal.registry import projection_tables

if TYPE_CHECKING:
    from tests.conftest import Node

CLERK_PASSWORD = "li-pass-123"


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


def import_test_catalog(node: Node, folder: Path) -> None:
    """The small catalog of tests/catalog/helpers.py: departments SCJG and SWJ."""
    from counter_tui.catalog.loader import load_catalog
    from counter_tui.catalog.service import import_catalog
    from tests.catalog.helpers import write_catalog

    with write_session(node.engine) as session:
        import_catalog(session, node.operator, load_catalog(write_catalog(folder)))


def add_clerk(node: Node, username: str = "li") -> None:
    """The clerk 李四 (password CLERK_PASSWORD)."""
    from counter_tui.accounts.service import create_user

    with write_session(node.engine) as session:
        create_user(
            session,
            node.operator,
            username=username,
            display_name="李四",
            role="clerk",
            password=CLERK_PASSWORD,
        )


#: A village the test node (a county node) knows once `enrol_village` ran.
VILLAGE = "421202-XA-DHC"


def enrol_village(node: Node, code: str = VILLAGE) -> None:
    """The node learns of a village site, as a hub's enrolment records it."""
    from counter_tui.journal.service import record
    from counter_tui.site.events import SITE_CREATED, SiteCreated

    with write_session(node.engine) as session:
        record(
            session,
            node.operator,
            SITE_CREATED,
            SiteCreated(code=code, name="东湖村便民服务室", level="village"),
        )
