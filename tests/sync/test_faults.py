"""What the network, a newer node, a wrong clock or a killed process does to sync (docs/sync.md):
nothing is lost, nothing is doubled, nothing blocks what comes behind it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from counter_tui.cases import backoffice, commands
from counter_tui.cases.models import Case
from counter_tui.db import read_session, write_session
from counter_tui.journal.models import UNKNOWN, Event, JournalHead
from counter_tui.journal.rules import format_hlc, hlc_wall_ms
from counter_tui.journal.service import verify
from counter_tui.site.events import SITE_CREATED
from counter_tui.site.models import Site as SiteRow
from counter_tui.sync import deliver, take
from counter_tui.sync.models import SyncLink, SyncProblem
from counter_tui.sync.wire import to_wire
from tests.cases.helpers import at, f5
from tests.sync.helpers import (
    HUB_SITE,
    VILLAGE_SITE,
    Site,
    forge,
    handed_off,
    hub_head,
    pull,
    push,
    push_wire,
)

NOW = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)


def _problems(site: Site, kind: str) -> list[SyncProblem]:
    with read_session(site.engine) as s:
        return list(s.exec(select(SyncProblem).where(SyncProblem.kind == kind)).all())


def test_an_unknown_event_type_is_stored_flagged_and_does_not_block_what_follows(
    pair: tuple[Site, Site],
) -> None:
    hub, village = pair
    push(village, hub, NOW)
    tip, last_hlc, count = hub_head(hub)
    wall = hlc_wall_ms(last_hlc)
    newer = forge(tip, format_hlc(wall + 1, 0), "case.video_interview", {"case_id": "x"})
    after = forge(
        newer["hash"],
        format_hlc(wall + 2, 0),
        SITE_CREATED,
        {"code": "421202-XA-DHC", "name": "东湖村"},
    )
    result = push_wire(hub, [newer, after], NOW)
    assert result.stored == 2 and result.count == count + 2
    with read_session(hub.engine) as s:
        stored = s.get(Event, newer["id"])
        assert stored is not None and stored.status == UNKNOWN
        assert s.get(SiteRow, "421202-XA-DHC") is not None  # the one behind it was applied
        assert verify(s)[1] is None  # the chain holds the unknown event
    assert [p.event_id for p in _problems(hub, "unknown_type")] == [newer["id"]]


def test_the_hub_s_next_step_sorts_after_a_village_event_a_little_ahead(
    pair: tuple[Site, Site],
) -> None:
    hub, village = pair
    now = datetime.now(UTC)
    push(village, hub, now)
    tip, _, _ = hub_head(hub)
    ahead = format_hlc(int((now + timedelta(minutes=2)).timestamp() * 1000), 0)
    stored = push_wire(
        hub, [forge(tip, ahead, SITE_CREATED, {"code": "421202-XA-DHC", "name": "东湖村"})], now
    )
    assert stored.stored == 1 and not _problems(hub, "clock_ahead")  # within 5 minutes
    from counter_tui.journal.service import record

    with write_session(hub.engine) as s:
        event = record(s, hub.operator, SITE_CREATED, {"code": "421202-XA-XYZ", "name": "新村"})
    assert event.hlc > ahead


def test_a_village_clock_days_ahead_is_accepted_flagged_and_does_not_drag_the_hub(
    pair: tuple[Site, Site],
) -> None:
    hub, village = pair
    now = datetime.now(UTC)  # the village's own events carry this PC's real time
    push(village, hub, now)
    tip, _, _ = hub_head(hub)
    ahead = now + timedelta(days=3)
    stamp = format_hlc(int(ahead.timestamp() * 1000), 0)
    result = push_wire(
        hub, [forge(tip, stamp, SITE_CREATED, {"code": "421202-XA-DHC", "name": "东湖村"})], now
    )
    assert result.stored == 1
    assert len(_problems(hub, "clock_ahead")) == 1
    with read_session(hub.engine) as s:
        own = s.get(JournalHead, HUB_SITE)
        assert own is not None
    # The hub's clock moves when it applies the event: at most 5 minutes past its own time then.
    bound = datetime.now(UTC) + timedelta(minutes=5)
    assert hlc_wall_ms(own.last_hlc) <= int(bound.timestamp() * 1000)
    # The hub's next own step is stamped with its own time, not three days ahead.
    from counter_tui.journal.service import record

    with write_session(hub.engine) as s:
        event = record(s, hub.operator, SITE_CREATED, {"code": "421202-XA-XYZ", "name": "新村"})
    assert hlc_wall_ms(event.hlc) <= int(
        (datetime.now(UTC) + timedelta(minutes=5)).timestamp() * 1000
    )


def test_a_node_killed_before_its_pulled_page_commits_applies_it_once_later(
    pair: tuple[Site, Site],
) -> None:
    hub, village = pair
    case_id = handed_off(village)
    push(village, hub, NOW)
    with write_session(hub.engine) as s:
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
    with read_session(hub.engine) as s:
        page = deliver.pull_for(s, VILLAGE_SITE, 0)
        wire = [to_wire(e) for e in page.events]

    class Killed(Exception):
        pass

    with pytest.raises(Killed), write_session(village.engine) as s:
        take.take_page(s, VILLAGE_SITE, wire, page.next, NOW)
        raise Killed  # the process dies before the commit
    with read_session(village.engine) as s:
        assert s.get(SyncLink, 1).pull_cursor == 0  # type: ignore[union-attr]
        assert s.get(Case, case_id).state == "handed_off"  # type: ignore[union-attr]
    taken = pull(village, hub, NOW)
    assert taken.applied == len(wire) and taken.repeated == 0
    assert pull(village, hub, NOW).applied == 0
    with read_session(village.engine) as s:
        assert s.get(Case, case_id).state == "in_review"  # type: ignore[union-attr]
        claims = s.exec(select(Event).where(Event.type == "case.claimed")).all()
        assert len(claims) == 1


def test_two_clerks_on_one_pc_keep_their_own_names_at_the_hub(pair: tuple[Site, Site]) -> None:
    hub, village = pair
    from counter_tui.accounts.service import create_user
    from counter_tui.actor import Actor

    with write_session(village.engine) as s:
        zhao = create_user(
            s,
            village.operator,
            username="zhao",
            display_name="赵六",
            role="clerk",
            password="secret123",
        )
    other = Actor("zhao", "clerk", VILLAGE_SITE, user_id=zhao.id)
    with write_session(village.engine) as s:
        first = commands.accept(s, village.worker, f5(), now=at(11, 9)).case.id
    with write_session(village.engine) as s:
        second = commands.accept(s, other, f5(), now=at(11, 9, 11)).case.id
    push(village, hub, NOW)
    with read_session(hub.engine) as s:
        authors = {
            e.subject: e.actor
            for e in s.exec(select(Event).where(Event.type == "case.accepted")).all()
        }
    assert authors == {first: "li", second: "zhao"}


def test_the_pull_cursor_never_skips_an_event_committed_after_a_page(
    pair: tuple[Site, Site],
) -> None:
    """A page's cursor is the hub's highest seq when the page was read: an event the hub
    stores afterwards has a higher seq and comes in the next page."""
    hub, village = pair
    case_id = handed_off(village)
    push(village, hub, NOW)
    pull(village, hub, NOW)
    with write_session(hub.engine) as s:
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
    pull(village, hub, NOW)
    with read_session(village.engine) as s:
        assert s.get(Case, case_id).state == "in_review"  # type: ignore[union-attr]
        seqs = s.exec(select(Event.seq).order_by(col(Event.seq))).all()
        assert len(seqs) == len(set(seqs))
