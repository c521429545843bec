"""An organisation's result at the window: the intake records the legal representative's
document, and the result may be collected by the representative, the agent, or a staff member
(经办人) with the organisation's authorisation, each recorded; nobody else."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from counter_tui.cases import backoffice
from counter_tui.cases import commands as cases_commands
from counter_tui.cases import reads as cases_reads
from counter_tui.cases.backoffice import Delivery, may_collect
from counter_tui.cases.commands import IntakeRefused
from counter_tui.cases.intake import ORGANISATION, RECEIVED, Intake, Mark, Party
from counter_tui.cases.models import CaseStep
from counter_tui.cases.record import COMPLETED, DELIVERED
from counter_tui.db import read_session, write_session
from counter_tui.errors import UserError
from tests.cases.catalog import F5, Hall
from tests.cases.helpers import at, row

USCC = "91420600MA4F123453"
ID_REP = "420606199001010025"
ID_STAFF = "420602198503151231"


def shop(**change: str) -> Intake:
    party = Party(
        kind=ORGANISATION,
        name="襄阳市好味餐饮有限公司",
        uscc=USCC,
        legal_rep="王五",
        legal_rep_id_number=ID_REP,
        phone="13812345678",
    )
    intake = Intake(entry_code=F5, applicant=Party(**{**party.__dict__, **change}))
    for kind in ("application", "resident_id", "floor_plan", "health_certificate"):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True, copies_kept=1))
    return intake


def completed(hall: Hall) -> str:
    with write_session(hall.engine) as s:
        case_id = cases_commands.accept(s, hall.clerk, shop(), now=at(11, 9)).case.id
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
    with write_session(hall.engine) as s:
        backoffice.claim(s, hall.approver, case_id, now=at(11, 10))
    with write_session(hall.engine) as s:
        backoffice.decide(s, hall.approver, case_id, approve=True, decision_number="X号")
    with write_session(hall.engine) as s:
        backoffice.complete(s, hall.approver, case_id)
    return case_id


def deliver(hall: Hall, case_id: str, delivery: Delivery) -> str:
    """Deliver; returns the refusal's message, or "" when delivered."""
    try:
        with write_session(hall.engine) as s:
            backoffice.deliver(s, hall.clerk, case_id, delivery)
    except UserError as refused:
        return refused.message
    return ""


def test_the_intake_asks_for_the_representatives_document(hall: Hall) -> None:
    for number, problem in (
        ("", "请填写法定代表人的居民身份证号码"),
        ("420606199001010026", "校验位"),
    ):
        with pytest.raises(IntakeRefused) as caught, write_session(hall.engine) as s:
            cases_commands.accept(s, hall.clerk, shop(legal_rep_id_number=number), now=at(11, 9))
        assert problem in caught.value.problems["applicant.legal_rep_id_number"]
    with write_session(hall.engine) as s:
        typed = f"{ID_REP[:6]} {ID_REP[6:].lower()}"
        case = cases_commands.accept(
            s, hall.clerk, shop(legal_rep_id_number=typed), now=at(11, 9)
        ).case
    assert case.intake.applicant.legal_rep_id_number == ID_REP


def test_the_representative_collects_by_their_document_not_the_credit_code(hall: Hall) -> None:
    case_id = completed(hall)
    with read_session(hall.engine) as s:
        case = cases_reads.get_case(s, case_id)
    assert case is not None
    assert may_collect(case) == (
        "可领取：法定代表人王五（4206**********0025）、"
        "或持单位授权委托书的经办人（核验授权书和本人证件）"
    )
    assert deliver(hall, case_id, Delivery("pickup", recipient="王五", recipient_id=USCC)) == (
        "统一社会信用代码是单位的代码：请录入领取人本人的证件号码"
    )
    assert row(hall, case_id).state == COMPLETED
    assert deliver(hall, case_id, Delivery("pickup", recipient="王五", recipient_id=ID_REP)) == ""
    case = row(hall, case_id)
    assert case.state == DELIVERED
    assert json.loads(case.delivery)["collector"] == "legal_rep"


def test_a_staff_member_collects_with_the_organisations_authorisation(hall: Hall) -> None:
    case_id = completed(hall)
    staff = Delivery("pickup", recipient="刘七", recipient_id=ID_STAFF)
    assert deliver(hall, case_id, staff) == (
        "领取人不是法定代表人或代办人：经办人须持单位授权委托书，核验后填写授权材料"
    )
    bad_number = Delivery(
        "pickup", recipient="刘七", recipient_id=ID_STAFF[:-1] + "2", authorisation="授权委托书"
    )
    assert deliver(hall, case_id, bad_number).startswith("经办人证件号码有误：")
    no_name = Delivery("pickup", recipient_id=ID_STAFF, authorisation="授权委托书")
    assert deliver(hall, case_id, no_name) == "请填写经办人姓名"
    assert row(hall, case_id).state == COMPLETED

    authorised = Delivery(
        "pickup", recipient="刘七", recipient_id=ID_STAFF, authorisation="单位授权委托书"
    )
    assert deliver(hall, case_id, authorised) == ""
    case = row(hall, case_id)
    recorded = json.loads(case.delivery)
    assert recorded["collector"] == "staff"
    assert (recorded["recipient"], recorded["recipient_id"]) == ("刘七", ID_STAFF)
    assert recorded["recipient_id_type"] == "111"
    assert recorded["authorisation"] == "单位授权委托书"
    with read_session(hall.engine) as s:
        steps = s.exec(select(CaseStep).where(CaseStep.case_id == case_id)).all()
    assert any("经办人 刘七，已核验单位授权委托书" in step.summary for step in steps)
