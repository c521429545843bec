"""The back office on a node's database (both engines): hand-off, claim, correction with the clock
stopped, suspension, decision, completion, delivery and withdrawal; who may do each; the case's
timeline; and replay rebuilding all of it (DESIGN §4.1, §4.7, §5)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, select

from counter_tui.accounts.service import create_user
from counter_tui.actor import Actor
from counter_tui.cases import backoffice, reads
from counter_tui.cases.backoffice import ClaimedByOther, Delivery
from counter_tui.cases.intake import Agent
from counter_tui.cases.lifecycle import (
    ACTIONS,
    APPROVED,
    CORRECTION_REQUESTED,
    DELIVERED,
    DENIED,
    HANDED_OFF,
    IN_REVIEW,
    OUTSIDE_ACT,
    SUSPENDED,
    WITHDRAWN,
    TransitionRefused,
)
from counter_tui.cases.models import CasePause, CaseStep
from counter_tui.cases.record import ACCEPTED, COMPLETED
from counter_tui.catalog.service import departments
from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.journal.service import replay, verify
from counter_tui.notices.compose import CLOCK_STOPS
from counter_tui.workdays.rules import add_working_days
from counter_tui.workdays.service import calendar_for, due_date
from counter_tui.workdays.sla import Pause, clock_due, is_paused, paused_working_days
from tests.cases.catalog import F5_COMMITTED_DAYS, F5_LEGAL_DAYS, Hall
from tests.cases.helpers import ID_ZHANG, accepted, at, completed, f5, in_review, notice_text, row
from tests.core.helpers import dump_projections, events

ID_ZHAO = "420606199001010025"
ID_STRANGER = "420607197808083011"

#: 2026-11-09 is a Monday; no holiday until 2027.
MONDAY = date(2026, 11, 9)


def user(hall: Hall, username: str, name: str, role: str, department: str | None = None) -> Actor:
    with write_session(hall.engine) as session:
        account = create_user(
            session,
            hall.node.operator,
            username=username,
            display_name=name,
            role=role,
            password="secret123",
            department=department,
        )
    return Actor(
        username=username,
        role=role,
        site=hall.node.site,
        user_id=account.id,
        department=department,
    )


def steps(hall: Hall, case_id: str) -> list[CaseStep]:
    with read_session(hall.engine) as s:
        query = select(CaseStep).where(CaseStep.case_id == case_id).order_by(col(CaseStep.at))
        return list(s.exec(query).all())


def pauses(hall: Hall, case_id: str) -> list[CasePause]:
    with read_session(hall.engine) as s:
        query = select(CasePause).where(CasePause.case_id == case_id).order_by(col(CasePause.start))
        return list(s.exec(query).all())


def refused(kind: type[Exception], fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    """Run `fn` in its own write session; it must raise `kind`. Returns the message."""
    with pytest.raises(kind) as caught, write_session(args[0].engine) as s:
        fn(s, *args[1:], **kwargs)
    return str(caught.value)


# --- the whole path ---------------------------------------------------------------------------


def test_one_case_goes_the_whole_way_with_its_clock_stopped_during_correction(
    hall: Hall,
) -> None:
    case_id = accepted(hall)
    before = row(hall, case_id)
    assert (before.due, before.legal_due) == (date(2026, 11, 23), date(2026, 12, 7))

    with write_session(hall.engine) as s:
        handed = backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
    assert handed.state == HANDED_OFF

    with write_session(hall.engine) as s:
        claimed = backoffice.claim(s, hall.approver, case_id, now=at(11, 10, 9))
    assert claimed.state == IN_REVIEW
    assert (row(hall, case_id).assignee, row(hall, case_id).assignee_name) == ("wang", "王审批")

    # Wednesday 11-11: the floor plan must be redone; the applicant has until 11-25.
    with write_session(hall.engine) as s:
        outcome = backoffice.request_correction(
            s,
            hall.approver,
            case_id,
            corrections=[("floor_plan", "未标明操作间面积")],
            deadline=date(2026, 11, 25),
            now=at(11, 11),
        )
    assert outcome.case.state == CORRECTION_REQUESTED
    [notice] = outcome.notices
    assert notice.kind == "correction"
    with read_session(hall.engine) as s:
        stored = reads.notices_of(s, case_id)
        paused = backoffice.pauses_of(s, case_id)
    assert [n.kind for n in stored] == ["receipt", "correction"]
    assert stored[1] == notice
    text = notice_text(notice)
    assert outcome.case.number in notice.number
    assert "经营场所平面图" in text and "未标明操作间面积" in text
    assert "2026年11月25日" in text and CLOCK_STOPS in text
    waiting = row(hall, case_id)
    assert waiting.correction_deadline == date(2026, 11, 25)
    assert waiting.paused_since is not None
    assert paused == [Pause(date(2026, 11, 11), None, "correction")]
    assert is_paused(paused, date(2026, 11, 12))
    # While it waits, nothing moves the case on but the resubmission.
    assert "不能准予许可" in refused(
        TransitionRefused,
        backoffice.decide,
        hall,
        hall.approver,
        case_id,
        approve=True,
        decision_number="X",
    )

    # Monday 11-16 the applicant brings the corrected plan: Wed, Thu, Fri stood still.
    with write_session(hall.engine) as s:
        resubmitted = backoffice.resubmit(s, hall.clerk, case_id, now=at(11, 16))
    assert resubmitted.state == IN_REVIEW
    with read_session(hall.engine) as s:
        calendar = calendar_for(s, since=2026)
        closed = backoffice.pauses_of(s, case_id)
        assert resubmitted.due == add_working_days(
            due_date(s, MONDAY, F5_COMMITTED_DAYS).date, 3, calendar
        )
        assert resubmitted.legal_due == add_working_days(
            due_date(s, MONDAY, F5_LEGAL_DAYS).date, 3, calendar
        )
    assert closed == [Pause(date(2026, 11, 11), date(2026, 11, 16), "correction")]
    assert paused_working_days(closed, calendar, date(2026, 11, 16)) == 3
    assert resubmitted.due == clock_due(
        MONDAY, F5_COMMITTED_DAYS, calendar, closed, date(2026, 11, 16)
    )
    assert (resubmitted.due, resubmitted.legal_due) == (date(2026, 11, 26), date(2026, 12, 10))
    back = row(hall, case_id)
    assert back.paused_since is None and back.correction_deadline is None

    with write_session(hall.engine) as s:
        decided = backoffice.decide(
            s,
            hall.approver,
            case_id,
            approve=True,
            decision_number="襄城食许〔2026〕88号",
            now=at(11, 17),
        )
    assert decided.state == APPROVED
    assert row(hall, case_id).decision_number == "襄城食许〔2026〕88号"
    with write_session(hall.engine) as s:
        assert backoffice.complete(s, hall.approver, case_id, now=at(11, 18)).state == COMPLETED
    with write_session(hall.engine) as s:
        done = backoffice.deliver(
            s,
            hall.clerk,
            case_id,
            Delivery("pickup", recipient="张三", recipient_id=ID_ZHANG),
            now=at(11, 19),
        )
    assert done.state == DELIVERED

    final = row(hall, case_id)
    assert final.trips == 3  # acceptance, resubmission, pickup
    assert json.loads(final.delivery)["recipient_id"] == ID_ZHANG
    assert final.delivered_at is not None and final.completed_at is not None
    with read_session(hall.engine) as s:
        department = departments(s)["SCJG"]
    timeline = [(step.type, step.actor) for step in steps(hall, case_id)]
    assert timeline == [
        ("case.accepted", "li"),
        ("case.handed_off", "li"),
        ("case.claimed", "wang"),
        ("case.correction_requested", "wang"),
        ("case.resubmitted", "li"),
        ("case.approved", "wang"),
        ("case.completed", "wang"),
        ("case.delivered", "li"),
    ]
    summaries = [step.summary for step in steps(hall, case_id)]
    assert department in summaries[1]
    assert "王审批" in summaries[2]
    assert "经营场所平面图" in summaries[3] and "暂停计时" in summaries[3]
    assert "襄城食许〔2026〕88号" in summaries[5]
    assert "张三" in summaries[7]
    with read_session(hall.engine) as s:
        checked, breach = verify(s)
    assert breach is None and checked > 0


def test_claim_names_the_approver_by_the_name_on_the_account(hall: Hall) -> None:
    case_id = accepted(hall)
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
    with write_session(hall.engine) as s:
        backoffice.claim(s, hall.approver, case_id, now=at(11, 10))
    assert row(hall, case_id).assignee_name == "王审批"
    assert "认领：王审批" in [step.summary for step in steps(hall, case_id)]


def test_a_correction_needs_a_material_and_a_deadline_after_today(hall: Hall) -> None:
    case_id = in_review(hall)
    common = {"now": at(11, 11)}
    assert "至少" in refused(
        UserError,
        backoffice.request_correction,
        hall,
        hall.approver,
        case_id,
        corrections=[],
        deadline=date(2026, 11, 25),
        **common,
    )
    assert "期限" in refused(
        UserError,
        backoffice.request_correction,
        hall,
        hall.approver,
        case_id,
        corrections=[("floor_plan", "缺面积")],
        deadline=date(2026, 11, 11),
        **common,
    )
    assert row(hall, case_id).state == IN_REVIEW
    assert pauses(hall, case_id) == []


# --- decisions ---------------------------------------------------------------------------------


def test_a_denial_needs_reasons_and_a_decision_number(hall: Hall) -> None:
    case_id = in_review(hall)
    assert "理由" in refused(
        UserError,
        backoffice.decide,
        hall,
        hall.approver,
        case_id,
        approve=False,
        decision_number="襄城食不许〔2026〕3号",
        reason="  ",
    )
    assert "编号" in refused(
        UserError,
        backoffice.decide,
        hall,
        hall.approver,
        case_id,
        approve=False,
        decision_number=" ",
        reason="经营场所与申请不符",
    )
    assert row(hall, case_id).state == IN_REVIEW
    assert events(hall.engine, "case.denied") == []

    with write_session(hall.engine) as s:
        denied = backoffice.decide(
            s,
            hall.approver,
            case_id,
            approve=False,
            decision_number="襄城食不许〔2026〕3号",
            reason="经营场所与申请不符",
            now=at(11, 12),
        )
    assert denied.state == DENIED
    stored = row(hall, case_id)
    assert (stored.decision_number, stored.decision_reason) == (
        "襄城食不许〔2026〕3号",
        "经营场所与申请不符",
    )
    assert "经营场所与申请不符" in steps(hall, case_id)[-1].summary
    with write_session(hall.engine) as s:
        assert backoffice.complete(s, hall.approver, case_id, now=at(11, 13)).state == COMPLETED


def test_an_approval_needs_a_decision_number(hall: Hall) -> None:
    case_id = in_review(hall)
    assert "决定文书编号" in refused(
        UserError, backoffice.decide, hall, hall.approver, case_id, approve=True, decision_number=""
    )
    assert row(hall, case_id).state == IN_REVIEW
    assert events(hall.engine, "case.approved") == []


# --- suspension --------------------------------------------------------------------------------


def test_a_suspension_needs_a_reason_and_pushes_the_due_dates_by_the_days_suspended(
    hall: Hall,
) -> None:
    case_id = in_review(hall)
    assert "理由" in refused(
        UserError, backoffice.suspend, hall, hall.approver, case_id, reason=" \n "
    )
    assert row(hall, case_id).state == IN_REVIEW

    with write_session(hall.engine) as s:
        suspended = backoffice.suspend(
            s, hall.approver, case_id, reason="组织专家评审", now=at(11, 11)
        )
    assert suspended.state == SUSPENDED
    [open_pause] = pauses(hall, case_id)
    assert (open_pause.kind, open_pause.reason) == ("suspension", "组织专家评审")
    assert (open_pause.start, open_pause.end) == (date(2026, 11, 11), None)
    assert row(hall, case_id).paused_since is not None
    assert "组织专家评审" in steps(hall, case_id)[-1].summary

    # Resumed the next Wednesday: 11-11, 12, 13, 16, 17 stood still.
    with write_session(hall.engine) as s:
        resumed = backoffice.resume(s, hall.approver, case_id, now=at(11, 18))
    assert resumed.state == IN_REVIEW
    [closed] = pauses(hall, case_id)
    assert (closed.start, closed.end) == (date(2026, 11, 11), date(2026, 11, 18))
    assert row(hall, case_id).paused_since is None
    with read_session(hall.engine) as s:
        calendar = calendar_for(s, since=2026)
        committed = due_date(s, MONDAY, F5_COMMITTED_DAYS).date
        legal = due_date(s, MONDAY, F5_LEGAL_DAYS).date
    assert resumed.due == add_working_days(committed, 5, calendar) == date(2026, 11, 30)
    assert resumed.legal_due == add_working_days(legal, 5, calendar) == date(2026, 12, 14)
    # The trips do not change: the applicant did not come.
    assert row(hall, case_id).trips == 1


def test_a_case_suspended_twice_counts_both_pauses(hall: Hall) -> None:
    case_id = in_review(hall)
    for start, end in ((at(11, 11), at(11, 12)), (at(11, 16), at(11, 18))):
        with write_session(hall.engine) as s:
            backoffice.suspend(s, hall.approver, case_id, reason="检验检测", now=start)
        with write_session(hall.engine) as s:
            resumed = backoffice.resume(s, hall.approver, case_id, now=end)
    assert [(p.start, p.end) for p in pauses(hall, case_id)] == [
        (date(2026, 11, 11), date(2026, 11, 12)),
        (date(2026, 11, 16), date(2026, 11, 18)),
    ]
    # 1 + 2 working days stood still.
    assert resumed.due == date(2026, 11, 26)


# --- who may act -------------------------------------------------------------------------------


def test_a_clerk_cannot_claim_or_decide(hall: Hall) -> None:
    case_id = accepted(hall)
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
    message = refused(TransitionRefused, backoffice.claim, hall, hall.clerk, case_id)
    assert "窗口人员" in message and "认领" in message
    with write_session(hall.engine) as s:
        backoffice.claim(s, hall.approver, case_id, now=at(11, 10))
    message = refused(
        TransitionRefused,
        backoffice.decide,
        hall,
        hall.clerk,
        case_id,
        approve=True,
        decision_number="X",
    )
    assert "窗口人员" in message and "准予许可" in message
    assert row(hall, case_id).state == IN_REVIEW


def test_an_approver_cannot_hand_off_resubmit_or_deliver(hall: Hall) -> None:
    waiting = accepted(hall)
    assert "无权移交后台" in refused(
        TransitionRefused, backoffice.hand_off, hall, hall.approver, waiting
    )
    assert row(hall, waiting).state == ACCEPTED

    correcting = in_review(hall)
    with write_session(hall.engine) as s:
        backoffice.request_correction(
            s,
            hall.approver,
            correcting,
            corrections=[("floor_plan", "缺面积")],
            deadline=date(2026, 11, 25),
            now=at(11, 11),
        )
    assert "无权补正后重新提交" in refused(
        TransitionRefused, backoffice.resubmit, hall, hall.approver, correcting
    )

    done = completed(hall)
    pickup = Delivery("pickup", recipient="张三", recipient_id=ID_ZHANG)
    assert "无权出件" in refused(
        TransitionRefused, backoffice.deliver, hall, hall.approver, done, pickup
    )
    assert (row(hall, correcting).state, row(hall, done).state) == (CORRECTION_REQUESTED, COMPLETED)


def test_a_supervisor_can_do_nothing_to_a_case(hall: Hall) -> None:
    boss = user(hall, "zhou", "周督查", "supervisor")
    waiting = accepted(hall)
    assert "督查管理" in refused(TransitionRefused, backoffice.hand_off, hall, boss, waiting)
    assert "督查管理" in refused(
        TransitionRefused, backoffice.withdraw, hall, boss, waiting, reason="申请人撤回"
    )
    case_id = accepted(hall)
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id)
    assert "督查管理" in refused(TransitionRefused, backoffice.claim, hall, boss, case_id)
    with write_session(hall.engine) as s:
        backoffice.claim(s, hall.approver, case_id)
    for fn, kwargs in (
        (backoffice.decide, {"approve": True, "decision_number": "X"}),
        (backoffice.suspend, {"reason": "专家评审"}),
    ):
        assert "督查管理" in refused(TransitionRefused, fn, hall, boss, case_id, **kwargs)
    assert row(hall, case_id).state == IN_REVIEW


def test_an_approver_of_another_department_cannot_claim(hall: Hall) -> None:
    tax = user(hall, "sun", "孙税务", "approver", "SWJ")
    case_id = accepted(hall)
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id)
    message = refused(PermissionDenied, backoffice.claim, hall, tax, case_id)
    assert "其他部门" in message and "SCJG" in message
    stored = row(hall, case_id)
    assert (stored.state, stored.assignee) == (HANDED_OFF, "")


def test_once_claimed_another_approver_of_the_department_is_told_who_has_it(
    hall: Hall,
) -> None:
    zhao = user(hall, "zhao", "赵审批", "approver", "SCJG")
    case_id = in_review(hall)

    message = refused(ClaimedByOther, backoffice.claim, hall, zhao, case_id)
    assert "王审批" in message and row(hall, case_id).number in message
    message = refused(
        ClaimedByOther,
        backoffice.decide,
        hall,
        zhao,
        case_id,
        approve=True,
        decision_number="X",
    )
    assert "王审批" in message
    assert "王审批" in refused(
        ClaimedByOther, backoffice.suspend, hall, zhao, case_id, reason="专家评审"
    )
    stored = row(hall, case_id)
    assert (stored.state, stored.assignee) == (IN_REVIEW, "wang")
    assert len(events(hall.engine, "case.claimed")) == 1


def test_an_action_out_of_order_is_refused_naming_the_case(hall: Hall) -> None:
    case_id = accepted(hall)
    number = row(hall, case_id).number
    message = refused(TransitionRefused, backoffice.claim, hall, hall.approver, case_id)
    assert number in message and "已受理" in message
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id)
    message = refused(
        TransitionRefused,
        backoffice.decide,
        hall,
        hall.approver,
        case_id,
        approve=True,
        decision_number="襄城食许〔2026〕88号",
    )
    assert number in message and "已移交后台" in message and "认领" in message
    assert number in refused(TransitionRefused, backoffice.complete, hall, hall.approver, case_id)
    assert number in refused(TransitionRefused, backoffice.hand_off, hall, hall.clerk, case_id)
    assert row(hall, case_id).state == HANDED_OFF
    assert events(hall.engine, "case.approved") == []


def test_an_unknown_case_is_refused(hall: Hall) -> None:
    assert "没有这个办件" in refused(UserError, backoffice.hand_off, hall, hall.clerk, "nope")


# --- delivery ----------------------------------------------------------------------------------


def test_pickup_by_someone_else_is_refused(hall: Hall) -> None:
    case_id = completed(hall)
    message = refused(
        UserError,
        backoffice.deliver,
        hall,
        hall.clerk,
        case_id,
        Delivery("pickup", recipient="王芳", recipient_id=ID_STRANGER),
    )
    assert message == "领取人须为申请人本人或经授权的代办人：证件号码与办件不符"
    assert "证件号码与办件不符" in refused(
        UserError, backoffice.deliver, hall, hall.clerk, case_id, Delivery("pickup")
    )
    assert row(hall, case_id).state == COMPLETED
    assert events(hall.engine, "case.delivered") == []


def test_the_authorised_agent_may_collect(hall: Hall) -> None:
    agent = Agent(name="赵六", id_number=ID_ZHAO, phone="13912345678", authorisation="授权委托书")
    case_id = completed(hall, f5(agent))
    # Typed with spaces, as a clerk might: the number is what counts.
    typed = f"{ID_ZHAO[:6]} {ID_ZHAO[6:]}"
    with write_session(hall.engine) as s:
        done = backoffice.deliver(
            s, hall.clerk, case_id, Delivery("pickup", recipient="赵六", recipient_id=typed)
        )
    assert done.state == DELIVERED
    assert row(hall, case_id).trips == 2
    assert "赵六" in steps(hall, case_id)[-1].summary


def test_the_applicant_may_still_collect_when_an_agent_applied(hall: Hall) -> None:
    agent = Agent(name="赵六", id_number=ID_ZHAO, phone="13912345678", authorisation="授权委托书")
    case_id = completed(hall, f5(agent))
    with write_session(hall.engine) as s:
        done = backoffice.deliver(
            s, hall.clerk, case_id, Delivery("pickup", recipient="张三", recipient_id=ID_ZHANG)
        )
    assert done.state == DELIVERED


def test_mail_needs_an_address_a_carrier_and_a_tracking_number(hall: Hall) -> None:
    case_id = completed(hall)
    full = Delivery("mail", address="襄城区檀溪路1号", carrier="中国邮政EMS", tracking="1187654321")
    for missing in ("address", "carrier", "tracking"):
        partial = replace(full, **{missing: " "})
        assert "地址、快递公司和运单号" in refused(
            UserError, backoffice.deliver, hall, hall.clerk, case_id, partial
        )
    assert row(hall, case_id).state == COMPLETED

    with write_session(hall.engine) as s:
        assert backoffice.deliver(s, hall.clerk, case_id, full).state == DELIVERED
    stored = row(hall, case_id)
    assert json.loads(stored.delivery)["tracking"] == "1187654321"
    assert stored.trips == 1  # nobody came to collect
    assert "1187654321" in steps(hall, case_id)[-1].summary


def test_electronic_delivery_needs_a_channel(hall: Hall) -> None:
    case_id = completed(hall)
    assert "送达渠道" in refused(
        UserError, backoffice.deliver, hall, hall.clerk, case_id, Delivery("electronic")
    )
    assert "未知的出件方式" in refused(
        UserError, backoffice.deliver, hall, hall.clerk, case_id, Delivery("pigeon")
    )
    with write_session(hall.engine) as s:
        done = backoffice.deliver(
            s, hall.clerk, case_id, Delivery("electronic", channel="电子证照库")
        )
    assert done.state == DELIVERED
    assert "电子证照库" in steps(hall, case_id)[-1].summary


def test_nothing_is_delivered_before_completion(hall: Hall) -> None:
    case_id = in_review(hall)
    with write_session(hall.engine) as s:
        backoffice.decide(s, hall.approver, case_id, approve=True, decision_number="X号")
    pickup = Delivery("pickup", recipient="张三", recipient_id=ID_ZHANG)
    message = refused(TransitionRefused, backoffice.deliver, hall, hall.clerk, case_id, pickup)
    assert "不能出件" in message and row(hall, case_id).number in message
    assert row(hall, case_id).state == APPROVED


# --- withdrawal --------------------------------------------------------------------------------


def test_a_case_withdrawn_in_review_admits_nothing_more(hall: Hall) -> None:
    case_id = in_review(hall)
    assert "原因" in refused(UserError, backoffice.withdraw, hall, hall.clerk, case_id, reason="")
    assert row(hall, case_id).state == IN_REVIEW

    with write_session(hall.engine) as s:
        gone = backoffice.withdraw(
            s, hall.clerk, case_id, reason="申请人书面申请撤回", now=at(11, 12)
        )
    assert gone.state == WITHDRAWN
    assert row(hall, case_id).withdrawal_reason == "申请人书面申请撤回"
    assert "申请人书面申请撤回" in steps(hall, case_id)[-1].summary

    pickup = Delivery("pickup", recipient="张三", recipient_id=ID_ZHANG)
    attempts: list[tuple[Callable[..., object], Actor, dict[str, Any]]] = [
        (backoffice.decide, hall.approver, {"approve": True, "decision_number": "X"}),
        (
            backoffice.decide,
            hall.approver,
            {"approve": False, "decision_number": "X", "reason": "Y"},
        ),
        (backoffice.suspend, hall.approver, {"reason": "专家评审"}),
        (backoffice.complete, hall.approver, {}),
        (backoffice.claim, hall.approver, {}),
        (backoffice.resubmit, hall.clerk, {}),
        (backoffice.hand_off, hall.clerk, {}),
        (backoffice.withdraw, hall.clerk, {"reason": "再撤一次"}),
    ]
    for fn, actor, kwargs in attempts:
        assert "已撤回" in refused(TransitionRefused, fn, hall, actor, case_id, **kwargs)
    assert "已撤回" in refused(
        TransitionRefused, backoffice.deliver, hall, hall.clerk, case_id, pickup
    )
    assert row(hall, case_id).state == WITHDRAWN
    assert len(events(hall.engine, "case.withdrawn")) == 1


def test_a_case_withdrawn_while_suspended_closes_its_pause(hall: Hall) -> None:
    case_id = in_review(hall)
    with write_session(hall.engine) as s:
        backoffice.suspend(s, hall.approver, case_id, reason="听证", now=at(11, 11))
    with write_session(hall.engine) as s:
        backoffice.withdraw(s, hall.approver, case_id, reason="申请人撤回", now=at(11, 13))
    stored = row(hall, case_id)
    assert (stored.state, stored.paused_since) == (WITHDRAWN, None)
    assert [(p.start, p.end) for p in pauses(hall, case_id)] == [
        (date(2026, 11, 11), date(2026, 11, 13))
    ]


# --- replay ------------------------------------------------------------------------------------


def test_replay_rebuilds_the_back_office_tables_exactly(hall: Hall) -> None:
    agent = Agent(name="赵六", id_number=ID_ZHAO, phone="13912345678", authorisation="授权委托书")
    whole = in_review(hall, f5(agent))
    with write_session(hall.engine) as s:
        backoffice.request_correction(
            s,
            hall.approver,
            whole,
            corrections=[("floor_plan", "未标明操作间面积"), ("application", "签字不全")],
            deadline=date(2026, 11, 25),
            now=at(11, 11),
        )
    with write_session(hall.engine) as s:
        backoffice.resubmit(s, hall.clerk, whole, now=at(11, 16))
    with write_session(hall.engine) as s:
        backoffice.suspend(s, hall.approver, whole, reason="组织专家评审", now=at(11, 17))
    with write_session(hall.engine) as s:
        backoffice.resume(s, hall.approver, whole, now=at(11, 19))
    with write_session(hall.engine) as s:
        backoffice.decide(
            s, hall.approver, whole, approve=True, decision_number="88号", now=at(11, 20)
        )
    with write_session(hall.engine) as s:
        backoffice.complete(s, hall.approver, whole, now=at(11, 20, 15))
    with write_session(hall.engine) as s:
        pickup = Delivery("pickup", recipient="赵六", recipient_id=ID_ZHAO)
        backoffice.deliver(s, hall.clerk, whole, pickup, now=at(11, 23))
    denied = in_review(hall)
    with write_session(hall.engine) as s:
        backoffice.decide(
            s, hall.approver, denied, approve=False, decision_number="3号", reason="不符合条件"
        )
    waiting = in_review(hall)
    with write_session(hall.engine) as s:
        backoffice.request_correction(
            s,
            hall.approver,
            waiting,
            corrections=[("health_certificate", "已过期")],
            deadline=date(2026, 11, 30),
            now=at(11, 12),
        )
    withdrawn = in_review(hall)
    with write_session(hall.engine) as s:
        backoffice.withdraw(s, hall.clerk, withdrawn, reason="申请人撤回", now=at(11, 12))

    before = dump_projections(hall.engine)
    assert len(before["case_pause"]) == 3
    assert len(before["case_step"]) >= 20
    assert {r["state"] for r in before["cases"]} == {
        DELIVERED,
        DENIED,
        CORRECTION_REQUESTED,
        WITHDRAWN,
    }

    with write_session(hall.engine) as s:
        replay(s)

    after = dump_projections(hall.engine)
    for table in ("cases", "case_pause", "case_step", "case_notice"):
        assert after[table] == before[table], table
    assert after == before
    with read_session(hall.engine) as s:
        checked, breach = verify(s)
    assert breach is None and checked > 0


def test_every_action_taken_through_act_has_exactly_one_service() -> None:
    """The recipe for a new case action: its service registers itself with `@service_of`; an
    action of the lifecycle table without one would be refused as 未知的办理动作 at the key."""
    assert set(backoffice.SERVICES) == set(ACTIONS) - OUTSIDE_ACT
    with pytest.raises(RuntimeError, match="two services"):
        backoffice.service_of("claim")(backoffice.claim)
