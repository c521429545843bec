"""The UI test node as a county hub with a sync desk to show: three enrolled sites at fixed
times (one silent for twelve days, its clock seven minutes fast; one never registered; one
recently online) and one event of a type the hub does not know, waiting in quarantine. Also an
admin to retry it. Shared by tests/ui/test_sync_screens*.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from counter_tui.accounts.service import create_user
from counter_tui.actor import Actor
from counter_tui.clock import hall_clock
from counter_tui.db import make_engine, write_session
from counter_tui.journal.models import Event
from counter_tui.journal.rules import GENESIS, canonical_json
from counter_tui.journal.service import hash_of
from counter_tui.sync.applier import drain
from counter_tui.sync.enrolment import enrol
from counter_tui.sync.models import HubSite, SyncProblem
from counter_tui.sync.receive import receive_push
from counter_tui.sync.wire import to_wire
from tests.sync.quarantine_helpers import NEWER_TYPE
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase

HUB = "421202-XA-BYQ"
VILLAGE = "421202-XA-QLC"
TOWN = "421202-WL"
NEW_VILLAGE = "421202-XA-SHC"
#: The quarantined event's id, fixed so pictures do not change.
WAITING_ID = "0192f1e2-7b00-7000-8000-000000000001"


def desk_now() -> datetime:
    """The app's clock in the tests (FIXED_NOW, read in the hall's zone as the app reads it)."""
    return hall_clock(lambda: FIXED_NOW)()


def set_up_desk(node: NodeDatabase) -> None:
    now = desk_now()
    engine = make_engine(node.settings.db_url)
    operator = Actor.local_operator(HUB)
    try:
        with write_session(engine) as session:
            create_user(
                session,
                operator,
                username="root",
                display_name="县管理员",
                role="admin",
                password=PASSWORD,
            )
            for site, name, level in (
                (VILLAGE, "青龙村便民服务室", "village"),
                (TOWN, "卧龙镇便民服务中心", "town"),
                (NEW_VILLAGE, "双河村便民服务室", "village"),
            ):
                enrol(session, operator, site, name, level, now - timedelta(days=30))
        with write_session(engine) as session:
            figures = {
                VILLAGE: (timedelta(minutes=4), "online", 800, "0.1.0"),
                TOWN: (timedelta(days=12, hours=3), "file", 7 * 60_000, "0.0.9"),
            }
            for site, (ago, via, offset, version) in figures.items():
                row = session.get(HubSite, site)
                assert row is not None
                row.registered_at = now - timedelta(days=29)
                row.last_seen_at = now - ago
                row.contact_via, row.clock_offset_ms, row.app_version = via, offset, version
                session.add(row)
        event = Event(
            id=WAITING_ID,
            site=VILLAGE,
            actor="li",
            hlc=f"{int((now - timedelta(hours=1)).timestamp() * 1000):013d}.00000",
            type=NEWER_TYPE,
            payload=canonical_json({"item": "F-5", "url": "http://v"}),
            prev_hash=GENESIS,
            hash="",
        )
        event.hash = hash_of(event)
        with write_session(engine) as session:
            receive_push(
                session, VILLAGE, [to_wire(event)], hub_site=HUB, now=now - timedelta(minutes=4)
            )
        drain(engine, operator)
        with write_session(engine) as session:  # the applier's own clock: fixed for pictures
            for problem in session.exec(select(SyncProblem)).all():
                problem.at = now - timedelta(minutes=4)
                session.add(problem)
    finally:
        engine.dispose()
