"""A real `counter-tui hub serve` killed with SIGKILL in the middle of a push and restarted:
the village's next round starts from what the hub holds, and every event is held exactly once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import func, select

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.desk.node import Desk
from counter_tui.desk.sync import SyncFailed
from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.service import verify
from counter_tui.queue.commands import issue
from counter_tui.settings import Settings
from tests.cases.helpers import at
from tests.conftest import Cli
from tests.sync.api import enrolment_code
from tests.sync.helpers import VILLAGE_SITE, Site
from tests.sync.server import Server, Sites, hub_and_village

pytestmark = pytest.mark.slow


@pytest.fixture
def sites(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Sites]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with hub_and_village(db_kind, tmp_path, server) as found:
        yield found


@pytest.fixture
def hub_server(cli: Cli, sites: Sites) -> Iterator[Server]:
    server = Server(cli, sites[1])
    server.start()
    yield server
    server.stop()


def test_a_hub_killed_mid_push_and_restarted_holds_every_event_once(
    cli: Cli, sites: Sites, hub_server: Server
) -> None:
    hub, _hub_url, village, village_db = sites
    with write_session(village.engine) as s:  # three pages of cheap events
        kiosk = Actor.command_line(VILLAGE_SITE)
        for _ in range(1200):
            issue(s, kiosk, "A", now=at(11, 9, 9))
    desk = Desk(Settings(db_url=f"sqlite:///{village_db}"))
    try:
        desk.sync.register(hub_server.url, enrolment_code(hub))
        outcome: list[object] = []

        def run() -> None:
            try:
                outcome.append(desk.sync.run())
            except SyncFailed as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        while _held(hub) == 0 and worker.is_alive():  # the first page is in
            threading.Event().wait(0.005)
        hub_server.kill()
        worker.join()

        hub_server.start()
        done = desk.sync.run()
        assert done.status.pending == 0
    finally:
        desk.close()
    with read_session(village.engine) as s:
        own = s.exec(
            select(func.count()).select_from(Event).where(Event.site == VILLAGE_SITE)
        ).one()
    with read_session(hub.engine) as s:
        held = s.exec(
            select(func.count()).select_from(Event).where(Event.site == VILLAGE_SITE)
        ).one()
        head = s.get(JournalHead, VILLAGE_SITE)
        assert head is not None and head.count == own == held
        assert verify(s)[1] is None


def _held(hub: Site) -> int:
    with read_session(hub.engine) as s:
        head = s.get(JournalHead, VILLAGE_SITE)
        return head.count if head else 0
