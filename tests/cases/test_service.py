"""Intake outcomes on a node's database (both engines): accept, notify and resume, refuse,
deferrals and termination, 即办件, returning applicants, drafts, roles and due dates over the
working-day calendar."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_tui.actor import Actor
from counter_tui.cases import commands as cases_commands
from counter_tui.cases import drafts as cases_drafts
from counter_tui.cases import reads as cases_reads
from counter_tui.cases.commands import IntakeRefused
from counter_tui.cases.intake import (
    DEFERRED,
    EXEMPT,
    MISSING,
    ORGANISATION,
    PENDING,
    RECEIVED,
    Agent,
    Intake,
    Mark,
    Party,
)
from counter_tui.cases.models import Case, CaseDeferral
from counter_tui.cases.record import ACCEPTED, COMPLETED, NOTIFIED, REFUSED, TERMINATED
from counter_tui.catalog.service import usage_counts
from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.workdays.loader import load_calendar
from counter_tui.workdays.rules import Published
from counter_tui.workdays.service import due_date, import_calendar
from tests.cases.catalog import F5, F5_COMMITTED_DAYS, F5_LEGAL_DAYS, Hall
from tests.cases.helpers import ID_ZHANG, notice_text
from tests.conftest import HALL
from tests.core.helpers import events, execute
from tests.workdays.helpers import YEAR_2027, write

ID_LI = "420606199001010025"
USCC_OK = "91420600MA4F123453"

#: Wednesday before the National Day holiday (2026-10-01 … 07, Saturday 10-10 worked).
SEPT_30 = datetime(2026, 9, 30, 10, 0, tzinfo=HALL)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=HALL)


def zhang() -> Party:
    return Party(name="张三", id_number=ID_ZHANG, phone="13812345678", address="襄城区檀溪路1号")


def f5(**marks: Mark) -> Intake:
    """An F-5 intake by 张三 with every material received, except what `marks` says."""
    intake = Intake(entry_code=F5, applicant=zhang())
    base = {
        "application": Mark(RECEIVED, original_seen=True),
        "resident_id": Mark(RECEIVED, original_seen=True, copies_kept=1),
        "floor_plan": Mark(RECEIVED, original_seen=True),
        "health_certificate": Mark(RECEIVED, copies_kept=1),
    }
    for kind, mark in (base | marks).items():
        intake = intake.with_mark(kind, mark)
    return intake


def accept(
    hall: Hall, intake: Intake, now: datetime = SEPT_30, **kw: str
) -> cases_commands.Outcome:
    with write_session(hall.engine) as session:
        return cases_commands.accept(session, hall.clerk, intake, now=now, **kw)


def notify(
    hall: Hall, intake: Intake, now: datetime = SEPT_30, **kw: str
) -> cases_commands.Outcome:
    with write_session(hall.engine) as session:
        return cases_commands.notify(session, hall.clerk, intake, now=now, **kw)


def refused(fn, *args, **kwargs) -> IntakeRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(IntakeRefused) as caught:
        fn(*args, **kwargs)
    return caught.value


def case_count(hall: Hall) -> int:
    with read_session(hall.engine) as session:
        return len(session.exec(select(Case)).all())


# --- accept --------------------------------------------------------------------------------


def test_a_complete_intake_is_accepted_with_a_number_a_due_date_and_a_receipt(hall: Hall) -> None:
    outcome = accept(hall, f5())
    case = outcome.case

    assert case.number == "421202-XA-BYQ-260930-0001"
    assert case.state == ACCEPTED
    assert case.state_label == "已受理"
    assert (case.entry_code, case.entry_name, case.department) == (F5, "食品经营许可证核发", "SCJG")
    assert case.item_codes == (F5,)
    assert case.clerk == "李四"
    assert case.accepted_at == SEPT_30
    assert case.committed_days == F5_COMMITTED_DAYS
    # 10 working days from the day after 09-30: 10-01…07 are off, Saturday 10-10 is worked.
    assert case.due == date(2026, 10, 20)
    assert not case.due_provisional
    with read_session(hall.engine) as session:
        assert case.due == due_date(session, SEPT_30.date(), F5_COMMITTED_DAYS).date
        assert case.legal_due == due_date(session, SEPT_30.date(), F5_LEGAL_DAYS).date
        stored = cases_reads.notices_of(session, case.id)
    assert [n.kind for n in outcome.notices] == ["receipt"]
    assert stored == outcome.notices
    assert case.number in stored[0].number
    text = notice_text(stored[0])
    assert case.number in text and "2026-10-20" in text.replace("年", "-").replace("月", "-")


def test_the_second_case_of_the_day_gets_the_next_number_and_a_new_day_starts_at_one(
    hall: Hall,
) -> None:
    first = accept(hall, f5()).case
    second = accept(hall, f5(), now=at(2026, 9, 30, 15)).case
    next_day = accept(hall, f5(), now=at(2026, 10, 8)).case

    assert first.number == "421202-XA-BYQ-260930-0001"
    assert second.number == "421202-XA-BYQ-260930-0002"
    assert next_day.number == "421202-XA-BYQ-261008-0001"
    assert first.id != second.id
    with read_session(hall.engine) as session:
        assert cases_reads.get_case(session, second.number) == second
        assert cases_reads.get_case(session, second.number.lower()) == second
        assert cases_reads.get_case(session, "421202-XA-BYQ-260930-0009") is None


def test_acceptance_counts_the_catalog_entry_as_used(hall: Hall) -> None:
    accept(hall, f5())
    accept(hall, f5())

    with read_session(hall.engine) as session:
        assert usage_counts(session, hall.node.site).get(F5) == 2


def test_a_due_date_into_a_year_without_an_official_calendar_is_provisional(hall: Hall) -> None:
    case = accept(hall, f5(), now=at(2026, 12, 24)).case

    # 2027 has no arrangement yet: weekdays count, less the fixed-date 元旦 2027-01-01.
    assert case.due == date(2027, 1, 8)
    assert case.due_unofficial_years == (2027,)
    assert case.due_provisional
    with read_session(hall.engine) as session:
        expected = due_date(session, date(2026, 12, 24), F5_COMMITTED_DAYS)
        [receipt] = cases_reads.notices_of(session, case.id)
    assert (case.due, case.due_unofficial_years) == (expected.date, expected.unofficial_years)
    assert "暂定" in notice_text(receipt)


def test_acceptance_is_refused_naming_every_material_still_pending(hall: Hall) -> None:
    intake = f5(application=Mark(PENDING), health_certificate=Mark(MISSING, note="已过期"))

    problem = refused(accept, hall, intake)

    assert "申请书" in str(problem) and "从业人员健康证明" in str(problem)
    assert "法定代表人身份证" not in str(problem)
    assert list(problem.problems.values()) == [
        "材料未齐，不能受理：申请书、从业人员健康证明（可出具一次性告知书）"
    ]
    assert case_count(hall) == 0
    assert events(hall.engine, "case.accepted") == []


def test_a_bad_applicant_field_refuses_the_outcome_at_that_field(hall: Hall) -> None:
    intake = replace(f5(), applicant=replace(zhang(), id_number="420602198503151230"))

    problem = refused(accept, hall, intake)

    assert set(problem.problems) == {"applicant.id_number"}
    assert "校验位" in problem.problems["applicant.id_number"]
    assert case_count(hall) == 0


def test_a_material_marked_against_its_mode_is_refused(hall: Hall) -> None:
    problem = refused(accept, hall, f5(application=Mark(DEFERRED, until=date(2026, 10, 9))))
    assert "“申请书”不可容缺" in str(problem)


def test_an_exempt_material_needs_no_mark_and_is_recorded_as_exempt(hall: Hall) -> None:
    case = accept(hall, f5()).case
    assert case.intake.marks["business_licence"].status == EXEMPT


def test_an_approver_cannot_record_an_intake(hall: Hall) -> None:
    with write_session(hall.engine) as session, pytest.raises(PermissionDenied):
        cases_commands.accept(session, hall.approver, f5(), now=SEPT_30)
    with write_session(hall.engine) as session, pytest.raises(PermissionDenied):
        cases_drafts.save_draft(session, hall.approver, f5(), now=SEPT_30)
    assert case_count(hall) == 0


def test_an_intake_needs_an_item_from_the_catalog(hall: Hall) -> None:
    problem = refused(accept, hall, replace(f5(), entry_code=""))
    assert problem.problems == {"entry": "请先选择事项"}

    with pytest.raises(UserError, match="事项目录中没有 X-9"):
        accept(hall, replace(f5(), entry_code="X-9"))


# --- 容缺 (deferral) -----------------------------------------------------------------------


def test_a_deferral_beyond_the_due_date_is_refused(hall: Hall) -> None:
    intake = f5(floor_plan=Mark(DEFERRED, until=date(2026, 10, 21)))

    problem = refused(accept, hall, intake)

    assert "补交期限不得晚于承诺办结日期 2026-10-20" in str(problem)
    assert case_count(hall) == 0


def test_a_deferral_without_a_deadline_is_refused(hall: Hall) -> None:
    problem = refused(accept, hall, f5(floor_plan=Mark(DEFERRED)))
    assert "“经营场所平面图”容缺：请填写补交期限" in str(problem)


def test_a_deferred_material_is_recorded_with_its_commitment_notice(hall: Hall) -> None:
    intake = f5(floor_plan=Mark(DEFERRED, until=date(2026, 10, 12)))

    outcome = accept(hall, intake)

    assert [n.kind for n in outcome.notices] == ["receipt", "deferral"]
    assert "经营场所平面图" in notice_text(outcome.notices[1])
    assert "2026" in notice_text(outcome.notices[1])
    with read_session(hall.engine) as session:
        [row] = session.exec(select(CaseDeferral)).all()
        assert (row.case_id, row.kind, row.name) == (
            outcome.case.id,
            "floor_plan",
            "经营场所平面图",
        )
        assert (row.until, row.supplied_at) == (date(2026, 10, 12), None)
        assert [n.kind for n in cases_reads.notices_of(session, outcome.case.id)] == [
            "receipt",
            "deferral",
        ]


def test_a_deferral_lapses_the_day_after_its_deadline_and_the_case_may_then_be_terminated(
    hall: Hall,
) -> None:
    case = accept(hall, f5(floor_plan=Mark(DEFERRED, until=date(2026, 10, 12)))).case

    with read_session(hall.engine) as session:
        assert cases_reads.lapsed_deferrals(session, date(2026, 10, 12)) == []
        [lapsed] = cases_reads.lapsed_deferrals(session, date(2026, 10, 13))
    assert (lapsed.case_id, lapsed.kind) == (case.id, "floor_plan")

    with write_session(hall.engine) as session, pytest.raises(UserError, match="不能终止"):
        cases_commands.terminate(session, hall.clerk, case.id, now=at(2026, 10, 12))

    with write_session(hall.engine) as session:
        outcome = cases_commands.terminate(session, hall.clerk, case.id, now=at(2026, 10, 13))

    assert outcome.case.state == TERMINATED
    assert outcome.case.termination_reason == "容缺材料逾期未补交：经营场所平面图"
    assert [n.kind for n in outcome.notices] == ["termination"]
    with read_session(hall.engine) as session:
        assert [n.kind for n in cases_reads.notices_of(session, case.id)] == [
            "receipt",
            "deferral",
            "termination",
        ]
        # A terminated case has nothing left to lapse.
        assert cases_reads.lapsed_deferrals(session, date(2026, 10, 13)) == []


def test_a_supplied_deferral_never_lapses(hall: Hall) -> None:
    case = accept(hall, f5(floor_plan=Mark(DEFERRED, until=date(2026, 10, 12)))).case

    with write_session(hall.engine) as session:
        cases_commands.supply_deferred(
            session, hall.clerk, case.id, "floor_plan", now=at(2026, 10, 9)
        )
    with write_session(hall.engine) as session, pytest.raises(UserError, match="已于 2026-10-09"):
        cases_commands.supply_deferred(
            session, hall.clerk, case.id, "floor_plan", now=at(2026, 10, 9)
        )
    with write_session(hall.engine) as session, pytest.raises(UserError, match="没有这项容缺"):
        cases_commands.supply_deferred(session, hall.clerk, case.id, "application")

    with read_session(hall.engine) as session:
        assert cases_reads.lapsed_deferrals(session, date(2026, 11, 1)) == []
        row = session.get(CaseDeferral, (case.id, "floor_plan"))
        assert row is not None and row.supplied_at == at(2026, 10, 9)
    with write_session(hall.engine) as session, pytest.raises(UserError, match="不能终止"):
        cases_commands.terminate(session, hall.clerk, case.id, now=at(2026, 11, 1))
    assert [
        json.loads(e.payload)["kind"] for e in events(hall.engine, "case.material_supplied")
    ] == ["floor_plan"]


# --- 一次性告知 and resuming --------------------------------------------------------------


def test_notify_keeps_the_case_and_lists_the_missing_materials(hall: Hall) -> None:
    intake = f5(application=Mark(MISSING, note="未签字"), health_certificate=Mark(PENDING))

    outcome = notify(hall, intake)
    case = outcome.case

    assert case.state == NOTIFIED
    assert case.number == "421202-XA-BYQ-260930-0001"
    assert case.due is None and case.accepted_at is None
    [notice] = outcome.notices
    assert notice.kind == "notify"
    text = notice_text(notice)
    assert "申请书" in text and "从业人员健康证明" in text
    assert "未签字" in text
    with read_session(hall.engine) as session:
        assert cases_reads.notices_of(session, case.id) == [notice]
        assert cases_reads.get_case(session, case.id) == case
    assert events(hall.engine, "case.accepted") == []
    assert len(events(hall.engine, "case.notified")) == 1


def test_notify_is_refused_when_nothing_is_missing(hall: Hall) -> None:
    problem = refused(notify, hall, f5())
    assert "无需一次性告知" in str(problem)
    assert case_count(hall) == 0


def test_a_notified_case_resumes_with_nothing_re_entered_and_keeps_its_number(
    hall: Hall,
) -> None:
    agent = Agent(name="赵六", id_number=ID_LI, phone="13912345678", authorisation="授权委托书")
    intake = replace(
        f5(application=Mark(MISSING), health_certificate=Mark(MISSING)),
        agent=agent,
        note="申请人下午补来",
    )
    first = notify(hall, intake).case
    other = accept(hall, f5(), now=at(2026, 9, 30, 11)).case

    # The applicant returns the next working day: the clerk finds the case, only marks change.
    with read_session(hall.engine) as session:
        [waiting] = cases_reads.notified_cases(session, "111", ID_ZHANG)
        stored = waiting.intake
    assert waiting.id == first.id
    assert stored.applicant == zhang()
    assert stored.agent == agent
    assert stored.note == "申请人下午补来"
    assert stored.marks["application"].status == MISSING
    assert stored.marks["resident_id"] == Mark(RECEIVED, original_seen=True, copies_kept=1)

    later = at(2026, 10, 8)
    returned = stored.with_mark("application", Mark(RECEIVED, original_seen=True)).with_mark(
        "health_certificate", Mark(RECEIVED, copies_kept=1)
    )
    outcome = accept(hall, returned, now=later, case_id=first.id)

    assert outcome.case.id == first.id
    assert outcome.case.number == "421202-XA-BYQ-260930-0001" != other.number
    assert outcome.case.state == ACCEPTED
    assert outcome.case.created_at == SEPT_30
    assert outcome.case.accepted_at == later
    with read_session(hall.engine) as session:
        assert outcome.case.due == due_date(session, later.date(), F5_COMMITTED_DAYS).date
        assert [n.kind for n in cases_reads.notices_of(session, first.id)] == ["notify", "receipt"]
        assert cases_reads.notified_cases(session, "111", ID_ZHANG) == []
    assert case_count(hall) == 2


def test_a_case_already_accepted_cannot_be_resumed(hall: Hall) -> None:
    case = accept(hall, f5()).case
    with pytest.raises(UserError, match="办件已受理，不能受理"):
        accept(hall, f5(), now=at(2026, 10, 8), case_id=case.id)


def test_a_case_notified_twice_gets_a_second_notice_number(hall: Hall) -> None:
    case = notify(hall, f5(application=Mark(MISSING))).case
    again = notify(hall, f5(health_certificate=Mark(MISSING)), now=at(2026, 10, 8), case_id=case.id)

    assert again.case.number == case.number
    with read_session(hall.engine) as session:
        notices = cases_reads.notices_of(session, case.id)
    assert [n.kind for n in notices] == ["notify", "notify"]
    assert len({n.number for n in notices}) == 2
    assert "从业人员健康证明" in notice_text(notices[1])


# --- 不予受理 ------------------------------------------------------------------------------


def test_a_refusal_needs_reasons(hall: Hall) -> None:
    with write_session(hall.engine) as session:
        problem = refused(
            cases_commands.refuse, session, hall.clerk, f5(), reasons="  ", now=SEPT_30
        )
    assert problem.problems == {"refusal.reasons": "不予受理须写明理由"}
    assert case_count(hall) == 0


def test_a_refusal_records_the_reasons_and_the_competent_agency(hall: Hall) -> None:
    with write_session(hall.engine) as session:
        outcome = cases_commands.refuse(
            session,
            hall.clerk,
            f5(application=Mark(MISSING)),
            reasons="申请事项依法不属于本机关职权范围",
            competent_agency="襄阳市市场监督管理局",
            now=SEPT_30,
        )

    case = outcome.case
    assert case.state == REFUSED
    assert case.number == "421202-XA-BYQ-260930-0001"
    assert case.refusal_reasons == "申请事项依法不属于本机关职权范围"
    assert case.competent_agency == "襄阳市市场监督管理局"
    [notice] = outcome.notices
    assert notice.kind == "refusal"
    text = notice_text(notice)
    assert "申请事项依法不属于本机关职权范围" in text and "襄阳市市场监督管理局" in text
    with read_session(hall.engine) as session:
        assert cases_reads.get_case(session, case.id) == case
        assert cases_reads.notices_of(session, case.id) == [notice]


# --- 即办件, 办理情形, organisations ------------------------------------------------------------


def test_an_instant_item_is_completed_at_the_window(hall: Hall) -> None:
    intake = Intake(entry_code="T-1", applicant=zhang()).with_mark(
        "resident_id", Mark(RECEIVED, original_seen=True, copies_kept=2)
    )

    case = accept(hall, intake).case

    assert case.state == COMPLETED
    assert case.committed_days == 0
    assert case.due == SEPT_30.date()
    assert case.intake.marks["business_licence"].status == EXEMPT
    assert [e.type for e in events(hall.engine) if e.type.startswith("case.")] == [
        "case.accepted",
        "case.completed",
    ]


def test_the_agent_answer_adds_the_authorisation_to_what_must_be_settled(hall: Hall) -> None:
    intake = (
        Intake(entry_code="S-1", applicant=zhang())
        .with_mark("application", Mark(RECEIVED))
        .with_mark("resident_id", Mark(RECEIVED))
        .with_answer("S-1", "agent", "委托代理人")
    )

    problem = refused(accept, hall, intake)
    assert "授权委托书" in str(problem)

    case = accept(hall, intake.with_mark("power_of_attorney", Mark(RECEIVED))).case
    assert case.state == ACCEPTED
    assert case.intake.answers == {"S-1|agent": "委托代理人"}

    alone = replace(intake, answers={"S-1|agent": "本人办理"})
    assert accept(hall, alone).case.state == ACCEPTED


def test_an_organisation_is_found_again_by_its_credit_code(hall: Hall) -> None:
    shop = Party(
        kind=ORGANISATION,
        name="襄阳市好味道餐饮有限公司",
        uscc=USCC_OK.lower(),
        legal_rep="王五",
        legal_rep_id_number="420606199001010025",
        phone="0710-3456789",
    )
    accept(hall, replace(f5(), applicant=shop))

    with read_session(hall.engine) as session:
        found = cases_reads.find_applicant(session, "uscc", USCC_OK)
    assert found is not None
    assert (found.name, found.legal_rep, found.uscc) == (
        "襄阳市好味道餐饮有限公司",
        "王五",
        USCC_OK,
    )


def test_a_bundle_is_accepted_as_one_case_under_its_lead_department(hall: Hall) -> None:
    intake = (
        Intake(entry_code="YJS-KB", applicant=zhang())
        .with_mark("application", Mark(RECEIVED))
        .with_mark("resident_id", Mark(RECEIVED, original_seen=True, copies_kept=2))
        .with_answer("S-1", "agent", "本人办理")
    )

    case = accept(hall, intake).case

    assert (case.entry_kind, case.entry_name) == ("bundle", "开办个体户一件事")
    assert case.item_codes == ("S-1", "T-1")
    assert case.department == "SCJG"
    # The longest committed limit of its items (S-1: 3 days), not the 即办件's 0.
    assert case.state == ACCEPTED
    assert case.committed_days == 3
    assert case.due == date(2026, 10, 10)  # the make-up Saturday after National Day counts


def test_a_node_whose_level_may_not_accept_the_item_refuses_it(hall: Hall) -> None:
    execute(hall.engine, "UPDATE node SET level = 'village'")

    problem = refused(accept, hall, f5())

    assert "本站不可受理该事项" in str(problem)
    assert case_count(hall) == 0


# --- returning applicants ------------------------------------------------------------------


def test_a_returning_applicant_is_found_with_the_last_details_given(hall: Hall) -> None:
    with read_session(hall.engine) as session:
        assert cases_reads.find_applicant(session, "111", ID_ZHANG) is None

    accept(hall, f5())
    moved = replace(zhang(), phone="13700001111", address="襄城区隆中路8号")
    notify(hall, replace(f5(application=Mark(MISSING)), applicant=moved), now=at(2026, 10, 8))

    with read_session(hall.engine) as session:
        found = cases_reads.find_applicant(session, "111", ID_ZHANG)
        waiting = cases_reads.notified_cases(session, "111", ID_ZHANG)
        assert cases_reads.notified_cases(session, "111", ID_LI) == []
    assert found == moved
    assert [c.number for c in waiting] == ["421202-XA-BYQ-261008-0001"]


# --- drafts --------------------------------------------------------------------------------


def test_a_half_typed_draft_comes_back_as_typed(hall: Hall) -> None:
    half = replace(
        f5(floor_plan=Mark(DEFERRED, until=date(2026, 10, 12), note="本周内补")),
        applicant=replace(zhang(), id_number="4206021985", phone="138"),
    )
    with write_session(hall.engine) as session:
        draft_id = cases_drafts.save_draft(session, hall.clerk, half, now=SEPT_30)
    with read_session(hall.engine) as session:
        draft = cases_drafts.latest_draft(session, hall.clerk)

    assert draft is not None
    assert draft.id == draft_id
    assert draft.intake == half
    assert draft.intake.applicant.id_number == "4206021985"
    assert draft.updated_at == SEPT_30
    assert draft.case_id is None


def test_saving_a_draft_again_updates_it_and_each_clerk_sees_their_own(hall: Hall) -> None:
    with write_session(hall.engine) as session:
        draft_id = cases_drafts.save_draft(session, hall.clerk, f5(), now=SEPT_30)
        cases_drafts.save_draft(
            session,
            hall.clerk,
            replace(f5(), note="改过"),
            draft_id=draft_id,
            now=at(2026, 9, 30, 11),
        )
    other = Actor(username="zhao", role="clerk", site=hall.node.site)
    with read_session(hall.engine) as session:
        draft = cases_drafts.latest_draft(session, hall.clerk)
        assert cases_drafts.latest_draft(session, other) is None
    assert draft is not None and draft.id == draft_id and draft.intake.note == "改过"


def test_the_draft_is_gone_after_the_outcome(hall: Hall) -> None:
    with write_session(hall.engine) as session:
        draft_id = cases_drafts.save_draft(session, hall.clerk, f5(), now=SEPT_30)

    accept(hall, f5(), draft_id=draft_id)

    with read_session(hall.engine) as session:
        assert cases_drafts.latest_draft(session, hall.clerk) is None


def test_a_refused_outcome_keeps_the_draft(hall: Hall) -> None:
    with write_session(hall.engine) as session:
        draft_id = cases_drafts.save_draft(session, hall.clerk, f5(), now=SEPT_30)

    refused(accept, hall, f5(application=Mark(PENDING)), draft_id=draft_id)

    with read_session(hall.engine) as session:
        draft = cases_drafts.latest_draft(session, hall.clerk)
    assert draft is not None and draft.id == draft_id


def test_a_draft_for_a_resumed_case_names_the_case_and_can_be_discarded(hall: Hall) -> None:
    case = notify(hall, f5(application=Mark(MISSING))).case
    with write_session(hall.engine) as session:
        draft_id = cases_drafts.save_draft(
            session, hall.clerk, case.intake, case_id=case.id, now=at(2026, 10, 8)
        )
    with read_session(hall.engine) as session:
        draft = cases_drafts.latest_draft(session, hall.clerk)
    assert draft is not None and draft.case_id == case.id

    with write_session(hall.engine) as session:
        cases_drafts.discard_draft(session, hall.clerk, draft_id)
    with read_session(hall.engine) as session:
        assert cases_drafts.latest_draft(session, hall.clerk) is None


# --- due dates recomputed ------------------------------------------------------------------


def test_an_official_calendar_for_2027_recomputes_the_provisional_due_dates(
    hall: Hall, tmp_path: Path
) -> None:
    # Accepted in January 2027 before its arrangement reached this node: 春节 is estimated
    # (除夕 2-05, 初二 2-08, 补假 2-09 and 2-10 off on weekdays, no 调休): due 2-16, a day before
    # the official 2-17 (the weekend rule alone said 2-10).
    spring = accept(hall, f5(), now=at(2027, 1, 27)).case
    new_year = accept(hall, f5(), now=at(2026, 12, 24)).case
    final = accept(hall, f5()).case
    assert (spring.due, spring.due_unofficial_years) == (date(2027, 2, 16), (2027,))
    assert (new_year.due, new_year.due_unofficial_years) == (date(2027, 1, 8), (2027,))

    [file] = load_calendar(write(tmp_path / "calendar", **{"2027.toml": YEAR_2027}))
    with write_session(hall.engine) as session:
        import_calendar(session, hall.node.operator, [Published(file.plan, "file", "2027.toml")])
        changed = cases_commands.recompute_due_dates(session, hall.node.operator)
    with write_session(hall.engine) as session:
        again = cases_commands.recompute_due_dates(session, hall.node.operator)

    assert (changed, again) == (2, 0)
    with read_session(hall.engine) as session:
        spring_now = cases_reads.get_case(session, spring.id)
        new_year_now = cases_reads.get_case(session, new_year.id)
        unchanged = cases_reads.get_case(session, final.id)
        expected = due_date(session, date(2027, 1, 27), F5_COMMITTED_DAYS)
    assert spring_now is not None and new_year_now is not None
    # 春节 2027-02-06 … 12 is off: seven working days before it, three after.
    assert spring_now.due == date(2027, 2, 17) == expected.date
    assert not spring_now.due_provisional
    # The official 元旦 is the fixed-date holiday assumed: the same date, now final.
    assert (new_year_now.due, new_year_now.due_unofficial_years) == (date(2027, 1, 8), ())
    assert unchanged == final
    payloads = {
        json.loads(e.payload)["case_id"]: json.loads(e.payload)
        for e in events(hall.engine, "case.due_recomputed")
    }
    assert payloads[spring.id] == {
        "case_id": spring.id,
        "due": "2027-02-17",
        "due_unofficial": [],
        "legal_due": "2027-03-02",
        "previous": "2027-02-16",
    }
    assert set(payloads) == {spring.id, new_year.id}


def test_recomputing_also_recounts_the_legal_limit(hall: Hall, tmp_path: Path) -> None:
    # The estimate takes 除夕 2-05 off and works 2-11, 2-12; the official calendar the reverse.
    case = accept(hall, f5(), now=at(2027, 1, 13)).case
    assert case.legal_due == date(2027, 2, 16)

    [file] = load_calendar(write(tmp_path / "calendar", **{"2027.toml": YEAR_2027}))
    with write_session(hall.engine) as session:
        import_calendar(session, hall.node.operator, [Published(file.plan, "file", "2027.toml")])
        cases_commands.recompute_due_dates(session, hall.node.operator)
    with read_session(hall.engine) as session:
        now = cases_reads.get_case(session, case.id)
        expected = due_date(session, date(2027, 1, 13), F5_LEGAL_DAYS)
    assert expected.date == date(2027, 2, 17)
    assert now is not None and now.legal_due == expected.date


# --- what the database holds ---------------------------------------------------------------


def test_the_case_row_holds_the_applicant_key_and_the_entered_intake(hall: Hall) -> None:
    case = accept(hall, f5()).case

    with read_session(hall.engine) as session:
        row = session.get(Case, case.id)
        assert row is not None
        assert (row.applicant_key_type, row.applicant_key) == ("111", ID_ZHANG)
        assert row.applicant_name == "张三"
        assert row.applicant_phone == "13812345678"
        assert row.site == hall.node.site
        rows = session.exec(select(Case).where(col(Case.state) == ACCEPTED)).all()
    assert [r.id for r in rows] == [case.id]
