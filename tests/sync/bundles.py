"""What the bundle tests share: a hub and a village registered with it in process (so both
hold each other's keys, as after `sync register`), their desks, and a county admin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, func, select

from counter_tui.actor import Actor
from counter_tui.db import read_session
from counter_tui.desk.node import Desk
from counter_tui.journal.models import Event
from counter_tui.settings import Settings
from counter_tui.sync.models import SyncLink
from tests.sync.api import Served, register, served
from tests.sync.helpers import HUB_SITE, VILLAGE_SITE

ADMIN = Actor("admin", "admin", HUB_SITE)


@dataclass
class Ends:
    served: Served
    #: The village's desk (registered) and the hub's.
    village: Desk
    hub: Desk
    folder: Path

    def export(self, name: str = "out.ctb") -> Path:
        path = self.folder / name
        self.village.files.export(path)
        return path

    def hub_import(self, bundle: Path, name: str = "reply.ctb") -> Path:
        reply = self.folder / name
        self.hub.files.import_bundle(ADMIN, bundle, reply)
        return reply


@contextmanager
def ends(db_kind: str, folder: Path, pg_server: str | None = None) -> Iterator[Ends]:
    with served(db_kind, folder, pg_server) as found:
        register(found)
        hub = Desk(Settings(db_url=found.hub_url))
        try:
            yield Ends(found, found.desk, hub, folder)
        finally:
            hub.close()


def village_events_at(desk: Desk, site: str = VILLAGE_SITE) -> int:
    with read_session(desk.engine) as session:
        return session.exec(select(func.count()).where(col(Event.site) == site)).one()


def link_of(desk: Desk) -> SyncLink:
    with read_session(desk.engine) as session:
        link = session.get(SyncLink, 1)
        assert link is not None
        session.expunge(link)
        return link


def snapshot(desk: Desk) -> list[tuple[str, str, str | None]]:
    """Every event this database holds, with its status and its seq: what a refused or
    repeated import must leave as it was."""
    with read_session(desk.engine) as session:
        rows = session.exec(select(Event.id, Event.status, Event.seq).order_by(col(Event.id)))
        return [(i, s, str(q)) for i, s, q in rows.all()]
