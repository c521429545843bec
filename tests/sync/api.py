"""A hub served in process (the FastAPI app behind Starlette's test transport) and a village
registered with it through its sync door, for the HTTP tests of the sync API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.desk.node import Desk
from counter_tui.hub.app import create_app
from counter_tui.ids import new_id
from counter_tui.journal import rules
from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.service import hash_of, take_seq
from counter_tui.settings import Settings
from counter_tui.sync.enrolment import enrol
from counter_tui.sync.wire import to_wire
from tests.conftest import postgres_database
from tests.sync.helpers import (
    HUB_NAME,
    HUB_SITE,
    VILLAGE_NAME,
    VILLAGE_SITE,
    Site,
    catalog_folder,
    open_site,
)


@dataclass
class Served:
    hub: Site
    hub_url: str
    village: Site
    village_url: str
    #: The API, as a client without a credential.
    client: TestClient
    #: The village's desk; its sync door talks to `client`'s app.
    desk: Desk

    def as_village(self) -> dict[str, str]:
        """The Authorization header of the registered village."""
        from counter_tui.sync.models import SyncLink

        with read_session(self.village.engine) as session:
            link = session.get(SyncLink, 1)
            assert link is not None
            return {"Authorization": f"Bearer {link.token}"}


def hub_url_for(db_kind: str, folder: Path, stack: ExitStack, server: str | None) -> str:
    if db_kind == "sqlite":
        return f"sqlite:///{folder / 'hub.db'}"
    assert server is not None
    return stack.enter_context(postgres_database(server))


@contextmanager
def served(db_kind: str, folder: Path, pg_server: str | None) -> Iterator[Served]:
    """A county hub on `db_kind`, a village on SQLite, the API in process; not registered."""
    with ExitStack() as stack:
        catalog = catalog_folder(folder / "catalog")
        hub_url = hub_url_for(db_kind, folder, stack, pg_server)
        hub = open_site(hub_url, HUB_SITE, HUB_NAME, "county", catalog)
        stack.callback(hub.engine.dispose)
        village_url = f"sqlite:///{folder / 'village.db'}"
        village = open_site(village_url, VILLAGE_SITE, VILLAGE_NAME, "town", catalog)
        stack.callback(village.engine.dispose)
        client = stack.enter_context(
            TestClient(create_app(hub_url, apply_inline=True), raise_server_exceptions=False)
        )
        desk = Desk(Settings(db_url=village_url))
        stack.callback(desk.close)
        desk.sync.transport = client._transport
        yield Served(hub, hub_url, village, village_url, client, desk)


def enrolment_code(hub: Site, site: str = VILLAGE_SITE, now: datetime | None = None) -> str:
    with write_session(hub.engine) as session:
        return enrol(session, hub.operator, site, VILLAGE_NAME, "village", now or _now())


def register(served: Served) -> None:
    served.desk.sync.register("http://testserver", enrolment_code(served.hub))


def own_events(site: Site, site_code: str = VILLAGE_SITE) -> list[dict[str, Any]]:
    """The site's own chain, as wire objects, in chain order."""
    with read_session(site.engine) as session:
        query = select(Event).where(Event.site == site_code).order_by(col(Event.hlc))
        return [to_wire(e) for e in session.exec(query).all()]


def push_body(events: list[dict[str, Any]], site: str = VILLAGE_SITE) -> dict[str, Any]:
    return {"protocol": 1, "site": site, "events": events}


def append_unknown(
    site: Site, type_: str, payload: dict[str, Any], audience: str | None = None
) -> str:
    """Append to the site's chain an event of a type this program does not know, as a newer
    node would have recorded it (record() itself refuses undeclared types); `audience`: who
    must see it, as a newer hub would have routed it."""
    with write_session(site.engine) as session:
        return _append_raw(session, site.operator, type_, payload, audience)


def _append_raw(
    session: Session,
    actor: Actor,
    type_: str,
    payload: dict[str, Any],
    audience: str | None = None,
) -> str:
    head = session.get(JournalHead, actor.site, with_for_update=True)
    assert head is not None
    hlc = rules.next_hlc(head.last_hlc, int(_now().timestamp() * 1000))
    event = Event(
        id=new_id(),
        site=actor.site,
        actor=actor.label,
        hlc=hlc,
        type=type_,
        payload=rules.canonical_json(payload),
        prev_hash=head.last_hash,
        hash="",
        audience=audience,
    )
    event.hash = hash_of(event)
    event.seq = take_seq(session)
    session.add(event)
    head.last_hlc, head.last_hash, head.count = hlc, event.hash, head.count + 1
    session.add(head)
    return event.id


def _now() -> datetime:
    return datetime.now(UTC)


def hub_count(hub: Site, model: type[Any]) -> int:
    with read_session(hub.engine) as session:
        return len(session.exec(select(model)).all())
