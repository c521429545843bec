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


def make_admin(desk: Desk) -> None:
    """The hub's administrator the command lines sign in as (tests/conftest.py's)."""
    from counter_tui.accounts.service import create_user
    from counter_tui.actor import Actor as _Actor
    from counter_tui.db import write_session
    from tests.conftest import ADMIN as NAME
    from tests.conftest import ADMIN_PASSWORD

    with write_session(desk.engine) as session:
        create_user(
            session,
            _Actor.local_operator(desk.node.site),
            username=NAME,
            display_name="管理员",
            role="admin",
            password=ADMIN_PASSWORD,
        )


def append_many(desk: Desk, count: int, audience: str | None = None) -> None:
    """`count` sign-in attempts under an unknown name, appended to this site's chain in one
    transaction: real events that change no projection (an audit line each), so a bundle of
    thousands is quick to make and to apply. `audience`: who must see them (at a hub)."""
    from datetime import UTC, datetime

    from counter_tui.db import write_session
    from counter_tui.ids import new_id
    from counter_tui.journal import rules
    from counter_tui.journal.models import JournalHead
    from counter_tui.journal.service import hash_of, take_seq

    site = desk.node.site
    with write_session(desk.engine) as session:
        head = session.get(JournalHead, site, with_for_update=True)
        assert head is not None
        now_ms = int(datetime.now(UTC).timestamp() * 1000)
        for n in range(count):
            hlc = rules.next_hlc(head.last_hlc, now_ms)
            event = Event(
                id=new_id(),
                site=site,
                actor="cli:test",
                hlc=hlc,
                type="login.unknown_user",
                payload=rules.canonical_json(
                    {"username": f"nobody{n}", "at": "2026-11-09T08:00:00+00:00"}
                ),
                prev_hash=head.last_hash,
                hash="",
                audience=audience,
            )
            event.hash = hash_of(event)
            event.seq = take_seq(session)
            session.add(event)
            head.last_hlc, head.last_hash, head.count = hlc, event.hash, head.count + 1
        session.add(head)
