"""容缺 at decision and delivery: an approval while a deferred material is still owed needs the
approver's explicit confirmation, and no result goes out until every deferred material is
supplied (a case whose deferral lapsed is terminated instead)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from counter_tui.cases import backoffice, commands, reads
from counter_tui.cases.backoffice import Delivery
from counter_tui.cases.intake import DEFERRED, RECEIVED, Intake, Mark, Party
from counter_tui.cases.models import Case, CaseStep
from counter_tui.cases.record import APPROVED, COMPLETED, DELIVERED, IN_REVIEW, TERMINATED
from counter_tui.db import read_session, write_session
from counter_tui.errors import UserError
from tests.cases.catalog import F5, Hall
from tests.cases.helpers import ID_ZHANG, at
from tests.core.helpers import events


def in_review_owing_the_floor_plan(hall: Hall) -> str:
    """F-5 accepted on Monday 11-09 with the floor plan deferred to 11-20, claimed 11-10."""
    intake = Intake(
        entry_code=F5, applicant=Party(name="张三", id_number=ID_ZHANG, phone="13812345678")
    )
    for kind in ("application", "resident_id", "health_certificate"):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True, copies_kept=1))
    intake = intake.with_mark("floor_plan", Mark(DEFERRED, until=date(2026, 11, 20)))
    with write_session(hall.engine) as s:
        case_id = commands.accept(s, hall.clerk, intake, now=at(11, 9)).case.id
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
    with write_session(hall.engine) as s:
        backoffice.claim(s, hall.approver, case_id, now=at(11, 10))
    return case_id


def state(hall: Hall, case_id: str) -> str:
    with read_session(hall.engine) as s:
        row = s.get(Case, case_id)
    assert row is not None
    return row.state


def test_an_approval_owing_a_deferred_material_needs_the_approvers_confirmation(
    hall: Hall,
) -> None:
    case_id = in_review_owing_the_floor_plan(hall)
    with pytest.raises(UserError) as caught, write_session(hall.engine) as s:
        backoffice.decide(s, hall.approver, case_id, approve=True, decision_number="X号")
    assert "尚欠容缺材料" in caught.value.message
    assert "经营场所平面图（11-20 前）" in caught.value.message
    assert state(hall, case_id) == IN_REVIEW
    assert events(hall.engine, "case.approved") == []

    # Through the one door the screens use, with the confirmation.
    with write_session(hall.engine) as s:
        outcome = backoffice.act(
            s,
            hall.approver,
            "approve",
            case_id,
            decision_number="X号",
            confirm_deferred=True,
            now=at(11, 12),
        )
    assert outcome.case.state == APPROVED
    [approved] = events(hall.engine, "case.approved")
    assert json.loads(approved.payload)["deferred_owed"] == ["经营场所平面图"]
    with read_session(hall.engine) as s:
        step = s.get(CaseStep, approved.id)
    assert step is not None and "尚欠容缺材料：经营场所平面图" in step.summary


def test_a_denial_needs_no_confirmation(hall: Hall) -> None:
    case_id = in_review_owing_the_floor_plan(hall)
    with write_session(hall.engine) as s:
        backoffice.decide(
            s, hall.approver, case_id, approve=False, decision_number="X号", reason="不符合条件"
        )
    assert state(hall, case_id) != IN_REVIEW


def test_no_result_goes_out_until_every_deferred_material_is_supplied(hall: Hall) -> None:
    case_id = in_review_owing_the_floor_plan(hall)
    with write_session(hall.engine) as s:
        backoffice.decide(
            s, hall.approver, case_id, approve=True, decision_number="X号", confirm_deferred=True
        )
    with write_session(hall.engine) as s:
        backoffice.complete(s, hall.approver, case_id)
    ways = (
        Delivery("pickup", recipient="张三", recipient_id=ID_ZHANG),
        Delivery("mail", address="襄城区檀溪路1号", carrier="中国邮政EMS", tracking="11876"),
        Delivery("electronic", channel="电子证照库"),
    )
    for way in ways:
        with pytest.raises(UserError) as caught, write_session(hall.engine) as s:
            backoffice.deliver(s, hall.clerk, case_id, way)
        assert caught.value.message == "尚欠容缺材料：经营场所平面图（11-20 前）；补交后才能出件"
    assert state(hall, case_id) == COMPLETED

    with write_session(hall.engine) as s:
        commands.supply_deferred(s, hall.clerk, case_id, "floor_plan", now=at(11, 13))
    with write_session(hall.engine) as s:
        done = backoffice.deliver(s, hall.clerk, case_id, ways[0], now=at(11, 13))
    assert done.state == DELIVERED


def test_a_completed_case_whose_deferral_lapsed_is_terminated_not_stuck(hall: Hall) -> None:
    """Approved with the floor plan owed until 11-20, completed, never supplied: the result
    cannot go out, so the window terminates the case (the 容缺 commitment's consequence)."""
    case_id = in_review_owing_the_floor_plan(hall)
    with write_session(hall.engine) as s:
        backoffice.decide(
            s, hall.approver, case_id, approve=True, decision_number="X号", confirm_deferred=True
        )
    with write_session(hall.engine) as s:
        backoffice.complete(s, hall.approver, case_id)

    with pytest.raises(UserError) as early, write_session(hall.engine) as s:
        commands.terminate(s, hall.clerk, case_id, now=at(11, 20))  # the deadline day itself
    assert "没有逾期" in early.value.message
    with read_session(hall.engine) as s:
        lapsed = reads.lapsed_deferrals(s, date(2026, 11, 23))
    assert [(d.case_id, d.kind) for d in lapsed] == [(case_id, "floor_plan")]

    with write_session(hall.engine) as s:
        outcome = commands.terminate(s, hall.clerk, case_id, now=at(11, 23))
    assert outcome.case.state == TERMINATED
    assert "经营场所平面图" in (outcome.case.termination_reason or "")
