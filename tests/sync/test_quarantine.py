"""The quarantine at the hub, through its door on both engines: an event of a type the hub does
not know waits; a supervisor may list it and not retry it; once the hub knows the type an
admin's retry applies it with a new seq (so sites whose cursor passed its old one get it) and
closes its problem; a retry that fails again changes only the reason; resolve sets an event
aside for good with the admin's note, the event kept as it was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from counter_tui.actor import Actor
from counter_tui.db import read_session
from counter_tui.desk.node import Desk
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.journal.models import APPLIED, UNKNOWN, Event
from counter_tui.settings import Settings
from counter_tui.sync.deliver import pull_for
from counter_tui.sync.models import SyncProblem
from tests.sync.helpers import HUB_SITE, VILLAGE_SITE, Site
from tests.sync.quarantine_helpers import NEWER_TYPE, learn_newer_type, quarantined_at_hub

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ADMIN = Actor("root", "admin", HUB_SITE)
SUPERVISOR = Actor("zhao", "supervisor", HUB_SITE)
CLERK = Actor("li", "clerk", HUB_SITE)
#: Another village: NEWER_TYPE's audience is every site, so it must get the event once applied.
OTHER_SITE = "421202-XA-QLC"


@pytest.fixture
def hub_desk(pair: tuple[Site, Site], hub_url: str) -> Iterator[Desk]:
    desk = Desk(Settings(db_url=hub_url))
    yield desk
    desk.close()


def event_row(hub: Site, event_id: str) -> Event:
    with read_session(hub.engine) as session:
        event = session.get(Event, event_id)
        assert event is not None
        return event


def problems_of(hub: Site, event_id: str) -> list[SyncProblem]:
    with read_session(hub.engine) as session:
        query = select(SyncProblem).where(SyncProblem.event_id == event_id)
        return list(session.exec(query.order_by(col(SyncProblem.at))).all())


def top_seq(hub: Site) -> int:
    from sqlmodel import func

    with read_session(hub.engine) as session:
        return int(session.exec(select(func.max(Event.seq))).one() or 0)


def test_a_retry_after_the_hub_learned_the_type_applies_it_with_a_new_seq(
    pair: tuple[Site, Site], hub_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub, village = pair
    event_id = quarantined_at_hub(hub, village, NOW)
    old = event_row(hub, event_id)
    assert old.status == UNKNOWN and old.seq is not None
    cursor = top_seq(hub)  # another village has pulled everything up to here

    listed = hub_desk.hub.quarantined(SUPERVISOR)
    assert [(w.event_id, w.site, w.type, w.status) for w in listed] == [
        (event_id, VILLAGE_SITE, NEWER_TYPE, UNKNOWN)
    ]
    assert "不认识" in listed[0].reason and listed[0].problem_id
    assert [s.waiting for s in hub_desk.hub.sites() if s.site == VILLAGE_SITE] == [1]

    applied = learn_newer_type(monkeypatch)
    done = hub_desk.hub.retry(ADMIN, event_id)

    assert done.applied == [event_id] and done.still_waiting == []
    assert applied == ["F-5"]
    now_row = event_row(hub, event_id)
    assert now_row.status == APPLIED and now_row.note == ""
    assert now_row.seq is not None and now_row.seq > cursor >= old.seq
    (problem,) = problems_of(hub, event_id)
    assert problem.resolved_at is not None and problem.resolved_by == "root"
    assert problem.resolution == "重试后已应用"
    assert hub_desk.hub.quarantined(ADMIN) == []
    with read_session(hub.engine) as session:
        page = pull_for(session, OTHER_SITE, cursor)
    assert [e.id for e in page.events] == [event_id]


def test_only_an_admin_retries_or_resolves_and_a_clerk_does_not_even_list(
    pair: tuple[Site, Site], hub_desk: Desk
) -> None:
    hub, village = pair
    event_id = quarantined_at_hub(hub, village, NOW)

    with pytest.raises(PermissionDenied, match=r"督查管理.*无权重试或处理隔离事件"):
        hub_desk.hub.retry(SUPERVISOR, event_id)
    with pytest.raises(PermissionDenied, match="无权重试或处理隔离事件"):
        hub_desk.hub.resolve(SUPERVISOR, event_id, "不再需要")
    with pytest.raises(PermissionDenied, match="无权查看同步台"):
        hub_desk.hub.quarantined(CLERK)
    with pytest.raises(PermissionDenied):
        hub_desk.hub.site(CLERK, VILLAGE_SITE)
    assert event_row(hub, event_id).status == UNKNOWN
    assert all(p.resolved_at is None for p in problems_of(hub, event_id))


def test_a_retry_that_fails_again_keeps_one_problem_and_the_old_seq(
    pair: tuple[Site, Site], hub_desk: Desk
) -> None:
    hub, village = pair
    event_id = quarantined_at_hub(hub, village, NOW)
    before = event_row(hub, event_id)

    done = hub_desk.hub.retry(ADMIN)  # all of them: still a type this hub does not know

    assert done.applied == [] and [w.event_id for w in done.still_waiting] == [event_id]
    after = event_row(hub, event_id)
    assert (after.status, after.seq) == (UNKNOWN, before.seq)
    (problem,) = problems_of(hub, event_id)
    assert problem.resolved_at is None


def test_resolve_sets_the_event_aside_with_the_note_and_keeps_it(
    pair: tuple[Site, Site], hub_desk: Desk
) -> None:
    hub, village = pair
    event_id = quarantined_at_hub(hub, village, NOW)

    with pytest.raises(UserError, match="请写明处理说明"):
        hub_desk.hub.resolve(ADMIN, event_id, "   ")
    done = hub_desk.hub.resolve(ADMIN, event_id, "试点版本的录像指南，县里不用")

    assert done.event_id == event_id
    row = event_row(hub, event_id)
    assert row.status == UNKNOWN  # kept, as it was
    (problem,) = problems_of(hub, event_id)
    assert problem.resolved_by == "root" and problem.resolved_at is not None
    assert problem.resolution == "试点版本的录像指南，县里不用"
    assert hub_desk.hub.quarantined(ADMIN) == []
    assert [s.waiting for s in hub_desk.hub.sites() if s.site == VILLAGE_SITE] == [0]
    assert event_id not in [p.event_id for p in hub_desk.hub.problems()]
    with pytest.raises(UserError, match="已由 root 处理为不再应用"):
        hub_desk.hub.retry(ADMIN, event_id)
    with pytest.raises(UserError, match="没有这条事件"):
        hub_desk.hub.resolve(ADMIN, "0190aaaa-0000-7000-8000-000000000000", "x")


def test_a_village_retries_what_it_pulled_the_same_way(
    pair: tuple[Site, Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.sync.api import append_unknown
    from tests.sync.helpers import pull

    hub, village = pair
    event_id = append_unknown(hub, NEWER_TYPE, {"item": "F-5", "url": "http://v"}, audience="*")
    assert pull(village, hub, NOW).flagged == 1
    desk = Desk(Settings(db_url=village.engine.url.render_as_string(hide_password=False)))
    try:
        admin = Actor("root", "admin", VILLAGE_SITE)
        assert [w.event_id for w in desk.hub.quarantined(admin)] == [event_id]
        learn_newer_type(monkeypatch)
        assert desk.hub.retry(admin).applied == [event_id]
        assert desk.hub.quarantined(admin) == []
        assert desk.sync.problems() == []
    finally:
        desk.close()
    assert event_row(village, event_id).status == APPLIED
