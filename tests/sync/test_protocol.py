"""Push and pull between a village and its hub, in process: the rules of docs/sync.md without
the HTTP layer (tests/sync/test_hub_api.py covers that)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from counter_tui.cases import backoffice
from counter_tui.cases.models import Case, CaseRejection
from counter_tui.db import read_session, write_session
from counter_tui.journal.models import REJECTED, Event
from counter_tui.journal.service import hash_of, projection_differences, verify
from counter_tui.sync.receive import PushRefused
from counter_tui.sync.wire import from_wire, to_wire
from tests.cases.helpers import ID_ZHANG, at
from tests.sync.helpers import (
    HUB_SITE,
    VILLAGE_SITE,
    Site,
    handed_off,
    pull,
    push,
    push_wire,
)

NOW = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)


def _case(site: Site, case_id: str) -> Case:
    with read_session(site.engine) as s:
        found = s.get(Case, case_id)
        assert found is not None
        return found


def test_a_case_handed_off_at_the_village_is_decided_at_the_hub_and_delivered(
    pair: tuple[Site, Site],
) -> None:
    hub, village = pair
    case_id = handed_off(village)
    result = push(village, hub, NOW)
    assert result.stored > 0 and result.repeated == 0
    assert _case(hub, case_id).state == "handed_off"
    assert _case(hub, case_id).site == VILLAGE_SITE

    with write_session(hub.engine) as s:
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
    with write_session(hub.engine) as s:
        backoffice.decide(
            s,
            hub.worker,
            case_id,
            approve=True,
            decision_number="襄食许〔2026〕1号",
            now=at(11, 11),
        )
    with write_session(hub.engine) as s:
        backoffice.complete(s, hub.worker, case_id, now=at(11, 11, 15))

    taken = pull(village, hub, NOW)
    assert taken.applied >= 3
    assert _case(village, case_id).state == "completed"
    # The same page again changes nothing.
    assert pull(village, hub, NOW).applied == 0

    with write_session(village.engine) as s:
        backoffice.deliver(
            s,
            village.worker,
            case_id,
            backoffice.Delivery(method="pickup", recipient="applicant", recipient_id=ID_ZHANG),
            now=at(11, 12),
        )
    push(village, hub, NOW)
    assert _case(hub, case_id).state == "delivered"
    for site in (hub, village):
        with read_session(site.engine) as s:
            assert verify(s)[1] is None
            assert projection_differences(s) == []


def test_a_repeated_push_stores_nothing_twice(pair: tuple[Site, Site]) -> None:
    hub, village = pair
    handed_off(village)
    with read_session(village.engine) as s:
        events = [
            to_wire(e)
            for e in s.exec(
                __import__("sqlmodel")
                .select(Event)
                .where(Event.site == VILLAGE_SITE)
                .order_by(Event.hlc)
            ).all()
        ]
    first = push_wire(hub, events, NOW)
    again = push_wire(hub, events, NOW)
    assert again.stored == 0 and again.repeated == first.stored
    assert again.count == first.count


@pytest.mark.parametrize("rehash", [False, True], ids=["hash-kept", "hash-recomputed"])
def test_the_same_id_with_other_content_is_refused_as_tampering(
    pair: tuple[Site, Site], rehash: bool
) -> None:
    hub, village = pair
    handed_off(village)
    push(village, hub, NOW)
    with read_session(village.engine) as s:
        last = s.exec(
            select(Event).where(Event.site == VILLAGE_SITE).order_by(col(Event.hlc).desc())
        ).first()
        assert last is not None
        wire = to_wire(last)
    wire["actor"] = "someone-else"
    if rehash:
        wire["hash"] = hash_of(from_wire(wire))
    with pytest.raises(PushRefused) as refused:
        push_wire(hub, [wire], NOW)
    assert refused.value.status == 409 and refused.value.kind == "tampered"
    with read_session(hub.engine) as s:
        stored = s.get(Event, wire["id"])
        assert stored is not None and stored.actor == "li"


def test_withdrawn_at_the_village_while_approved_at_the_hub(pair: tuple[Site, Site]) -> None:
    hub, village = pair
    case_id = handed_off(village)
    push(village, hub, NOW)
    # Apart: the county approves, the village withdraws.
    with write_session(hub.engine) as s:
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
    with write_session(hub.engine) as s:
        backoffice.decide(
            s,
            hub.worker,
            case_id,
            approve=True,
            decision_number="襄食许〔2026〕2号",
            now=at(11, 11),
        )
    with write_session(village.engine) as s:
        backoffice.withdraw(s, village.worker, case_id, reason="申请人撤回", now=at(11, 11, 10))
    assert _case(village, case_id).state == "withdrawn"

    push(village, hub, NOW)
    assert _case(hub, case_id).state == "approved"
    pull(village, hub, NOW)
    assert _case(village, case_id).state == "approved"
    with read_session(village.engine) as s:
        rejection = s.exec(select(CaseRejection)).one()
        assert rejection.author == "li" and rejection.reason == "办件准予许可，撤回未生效"
        withdrawn = s.get(Event, rejection.rejected_event)
        assert withdrawn is not None and withdrawn.status == REJECTED
    for site in (hub, village):
        with read_session(site.engine) as s:
            assert verify(s)[1] is None
            assert projection_differences(s) == []


def test_an_account_the_county_makes_for_the_village_reaches_it_and_its_disabling_too(
    pair: tuple[Site, Site],
) -> None:
    from counter_tui.accounts.service import authenticate, create_user, set_disabled
    from counter_tui.actor import Actor

    hub, village = pair
    push(village, hub, NOW)  # the hub learns the village (its site.created)
    county_admin = Actor("cli:root", "admin", HUB_SITE)
    with write_session(hub.engine) as s:
        create_user(
            s,
            county_admin,
            username="zhou",
            display_name="周村务",
            role="clerk",
            password="secret123",
            site=VILLAGE_SITE,
        )
    # Two sites may each have a `li`: the county makes one of its own.
    with write_session(hub.engine) as s:
        create_user(
            s,
            county_admin,
            username="li",
            display_name="李县级",
            role="clerk",
            password="county123",
        )
    pull(village, hub, NOW)
    with write_session(village.engine) as s:
        assert authenticate(s, "zhou", "secret123", site=VILLAGE_SITE).actor is not None
        # The county's `li` did not come: the village's own `li` still signs in with his.
        assert authenticate(s, "li", "secret123", site=VILLAGE_SITE).actor is not None
    with write_session(hub.engine) as s:
        set_disabled(s, county_admin, "zhou", True, site=VILLAGE_SITE)
    pull(village, hub, NOW)
    with write_session(village.engine) as s:
        refused = authenticate(s, "zhou", "secret123", site=VILLAGE_SITE)
    assert refused.actor is None
    # What zhou did while still enabled lands at the hub all the same.
    push(village, hub, NOW)
    with read_session(hub.engine) as s:
        assert verify(s)[1] is None


def test_audit_verify_catches_an_altered_event_at_either_end_after_sync(
    pair: tuple[Site, Site],
) -> None:
    from tests.core.helpers import execute

    hub, village = pair
    case_id = handed_off(village)
    push(village, hub, NOW)
    with write_session(hub.engine) as s:
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
    pull(village, hub, NOW)
    for site in (hub, village):
        with read_session(site.engine) as s:
            assert verify(s)[1] is None
    # At the village, a received (county) event altered: its own hash gives it away.
    execute(
        village.engine,
        "UPDATE event SET actor = 'someone' WHERE type = 'case.claimed'",
    )
    with read_session(village.engine) as s:
        breach = verify(s)[1]
    assert breach is not None and breach.site == HUB_SITE
    # At the hub, the village's own event altered: the village's whole chain is checked there.
    execute(hub.engine, "UPDATE event SET actor = 'someone' WHERE type = 'case.handed_off'")
    with read_session(hub.engine) as s:
        breach = verify(s)[1]
    assert breach is not None and breach.site == VILLAGE_SITE


def test_what_the_village_does_after_a_pull_sorts_after_what_it_received(
    pair: tuple[Site, Site],
) -> None:
    from counter_tui.journal.models import JournalHead
    from counter_tui.journal.rules import format_hlc

    hub, village = pair
    case_id = handed_off(village)
    push(village, hub, NOW)
    # The county's PC runs an hour ahead of the village's.
    with write_session(hub.engine) as s:
        head = s.get(JournalHead, HUB_SITE)
        assert head is not None
        later = datetime.now(UTC) + timedelta(hours=1)
        head.last_hlc = format_hlc(int(later.timestamp() * 1000), 0)
        s.add(head)
    with write_session(hub.engine) as s:
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
    pull(village, hub, NOW)
    with read_session(village.engine) as s:
        claimed = s.exec(select(Event).where(Event.type == "case.claimed")).one()
    with write_session(village.engine) as s:
        backoffice.withdraw(s, village.worker, case_id, reason="申请人撤回", now=at(11, 11))
    with read_session(village.engine) as s:
        withdrawn = s.exec(select(Event).where(Event.type == "case.withdrawn")).one()
    assert withdrawn.hlc > claimed.hlc


def test_a_county_window_cannot_take_a_village_cases_window_steps(pair: tuple[Site, Site]) -> None:
    """A case has one owner at a time: its window steps are the village's; the county's back
    office decides it."""
    from counter_tui.accounts.service import create_user
    from counter_tui.actor import Actor
    from counter_tui.errors import PermissionDenied

    hub, village = pair
    case_id = handed_off(village)
    push(village, hub, NOW)
    with write_session(hub.engine) as s:
        user = create_user(
            s,
            hub.operator,
            username="zhao",
            display_name="赵窗口",
            role="clerk",
            password="secret123",
        )
    county_clerk = Actor("zhao", "clerk", HUB_SITE, user_id=user.id)
    with (
        write_session(hub.engine) as s,
        pytest.raises(PermissionDenied, match="窗口环节须在该站点"),
    ):
        backoffice.withdraw(s, county_clerk, case_id, reason="申请人撤回", now=at(11, 10))
    with write_session(hub.engine) as s:  # the department's approver may act on it
        backoffice.claim(s, hub.worker, case_id, now=at(11, 10, 9))
