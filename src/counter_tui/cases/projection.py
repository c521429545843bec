"""Applies case.* events to the case tables. Everything comes from the payload (times included),
so replay rebuilds the tables exactly and a hub applying a village's events gets the same rows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, delete, select

from counter_tui.cases import events as ev
from counter_tui.cases.intake import from_json
from counter_tui.cases.models import (
    Applicant,
    Case,
    CaseDeferral,
    CaseNotice,
    CasePause,
    CaseRejection,
    CaseStep,
)
from counter_tui.cases.record import (
    ACCEPTED,
    APPROVED,
    COMPLETED,
    CORRECTION_REQUESTED,
    DELIVERED,
    DENIED,
    HANDED_OFF,
    IN_REVIEW,
    NOTIFIED,
    REFUSED,
    SUSPENDED,
    TERMINATED,
    WITHDRAWN,
)
from counter_tui.cases.rules import is_new_visit, visit_day
from counter_tui.clock import to_local
from counter_tui.journal.models import APPLIED, REJECTED, Event
from counter_tui.journal.registry import apply, handles

TABLES: list[type[SQLModel]] = [
    Case,
    CaseDeferral,
    CaseNotice,
    CasePause,
    CaseStep,
    CaseRejection,
    Applicant,
]


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _step(session: Session, event: Event, case_id: str, at: datetime, summary: str) -> None:
    """The timeline row of this event (who, where, when, what)."""
    session.add(
        CaseStep(
            event_id=event.id,
            case_id=case_id,
            at=at,
            type=event.type,
            actor=event.actor,
            site=event.site,
            summary=summary,
        )
    )


def _visit(row: Case, event: Event, p: ev.IntakeOutcome | ev.OnCase) -> None:
    """Count a trip when this step had the applicant at the window on a new local day."""
    day = visit_day(event.type, vars(p))
    if day is not None and is_new_visit(row.last_visit_on, day):
        row.trips += 1
        row.last_visit_on = day


def _hlc_time(event: Event) -> datetime:
    """When an event without an `at` happened: the wall-clock part of its HLC stamp."""
    return datetime.fromtimestamp(int(event.hlc.split(".")[0]) / 1000, UTC)


def _case(session: Session, case_id: str) -> Case:
    row = session.get(Case, case_id)
    if row is None:
        raise LookupError(f"event for unknown case {case_id}")
    return row


def _outcome(session: Session, event: Event, p: ev.IntakeOutcome, state: str) -> Case:
    """Create the case, or update a resumed (notified) one, from an outcome's payload."""
    at = _at(p.at)
    intake = from_json(p.intake)
    entry = p.entry
    key_type, key = intake.applicant.key
    row = session.get(Case, p.case_id)
    if row is None:
        row = Case(
            id=p.case_id,
            number=p.number,
            site=event.site,
            state=state,
            entry_code=entry.code,
            entry_kind=entry.kind,
            entry_name=entry.name,
            item_codes="[]",
            department=entry.department,
            applicant_key_type=key_type,
            applicant_key=key,
            applicant_name=intake.applicant.name,
            intake="{}",
            clerk=p.clerk,
            created_at=at,
            updated_at=at,
        )
    row.state = state
    row.entry_code, row.entry_kind = entry.code, entry.kind
    row.entry_name, row.department = entry.name, entry.department
    row.item_codes = json.dumps(entry.items, ensure_ascii=False)
    row.applicant_key_type, row.applicant_key = key_type, key
    row.applicant_name = intake.applicant.name
    row.applicant_phone = intake.applicant.phone
    row.intake = json.dumps(p.intake, ensure_ascii=False)
    row.clerk = p.clerk
    row.committed_days = p.committed_days
    row.updated_at = at
    session.add(row)
    session.flush()
    _remember_applicant(session, p.intake["applicant"], key_type, key, at)
    _store_notices(session, row.id, p.notices)
    return row


def _remember_applicant(
    session: Session, party: dict[str, Any], key_type: str, key: str, at: datetime
) -> None:
    if not key:
        return
    row = session.get(Applicant, (key_type, key))
    if row is None:
        row = Applicant(key_type=key_type, key=key, party="", updated_at=at)
    row.party = json.dumps(party, ensure_ascii=False)
    row.updated_at = at
    session.add(row)


def _store_notices(session: Session, case_id: str, notices: list[ev.NoticeJson]) -> None:
    for notice in notices:
        number = notice["number"]
        session.add(
            CaseNotice(
                number=number,
                case_id=case_id,
                kind=notice["kind"],
                issued_at=datetime.fromisoformat(notice["issued_at"]),
                content=json.dumps(notice, ensure_ascii=False),
            )
        )


@handles(ev.CASE_NOTIFIED)
def _notified(session: Session, event: Event, p: ev.Notified) -> None:
    row = _outcome(session, event, p, NOTIFIED)
    _visit(row, event, p)
    _step(session, event, row.id, _at(p.at), f"一次性告知（{p.clerk}）")


@handles(ev.CASE_ACCEPTED)
def _accepted(session: Session, event: Event, p: ev.Accepted) -> None:
    row = _outcome(session, event, p, ACCEPTED)
    row.accepted_at = _at(p.accepted_at)
    row.due = date.fromisoformat(p.due)
    row.due_unofficial = " ".join(str(y) for y in p.due_unofficial)
    row.legal_due = date.fromisoformat(p.legal_due)
    row.legal_days = p.legal_days
    _visit(row, event, p)
    session.add(row)
    summary = f"受理（{p.clerk}），承诺 {p.committed_days} 个工作日，{p.due} 前办结"
    _step(session, event, row.id, _at(p.at), summary)
    for deferral in p.deferrals:
        session.add(
            CaseDeferral(
                case_id=row.id,
                kind=deferral.kind,
                name=deferral.name,
                until=date.fromisoformat(deferral.until),
            )
        )


@handles(ev.CASE_REFUSED)
def _refused(session: Session, event: Event, p: ev.Refused) -> None:
    row = _outcome(session, event, p, REFUSED)
    row.refusal_reasons = p.reasons
    row.competent_agency = p.competent_agency
    _visit(row, event, p)
    session.add(row)
    _step(session, event, row.id, _at(p.at), f"不予受理：{p.reasons}")


@handles(ev.CASE_COMPLETED)
def _completed(session: Session, event: Event, p: ev.Completed) -> None:
    row = _case(session, p.case_id)
    row.state = COMPLETED
    row.completed_at = row.updated_at = _at(p.at)
    session.add(row)
    _step(session, event, row.id, _at(p.at), "办结")


@handles(ev.CASE_MATERIAL_SUPPLIED)
def _supplied(session: Session, event: Event, p: ev.MaterialSupplied) -> None:
    deferral = session.get(CaseDeferral, (p.case_id, p.kind))
    if deferral is None:
        raise LookupError(f"no deferred {p.kind} on case {p.case_id}")
    deferral.supplied_at = _at(p.at)
    session.add(deferral)
    row = _case(session, p.case_id)
    _visit(row, event, p)
    session.add(row)
    _step(session, event, deferral.case_id, _at(p.at), f"补交容缺材料：{deferral.name}")


@handles(ev.CASE_TERMINATED)
def _terminated(session: Session, event: Event, p: ev.Terminated) -> None:
    row = _case(session, p.case_id)
    row.state = TERMINATED
    row.termination_reason = p.reason
    row.updated_at = _at(p.at)
    session.add(row)
    _store_notices(session, row.id, p.notices)
    _step(session, event, row.id, _at(p.at), f"终止办理：{p.reason}")


@handles(ev.CASE_DUE_RECOMPUTED)
def _due_recomputed(session: Session, event: Event, p: ev.DueRecomputed) -> None:
    row = _case(session, p.case_id)
    row.due = date.fromisoformat(p.due)
    row.due_unofficial = " ".join(str(y) for y in p.due_unofficial)
    row.legal_due = date.fromisoformat(p.legal_due)
    session.add(row)
    _step(session, event, row.id, _hlc_time(event), f"按新的工作日历重算：{p.due} 前办结")


# --- the back office ---------------------------------------------------------------------


def _moved(session: Session, event: Event, p: ev.OnCase, state: str, summary: str) -> Case:
    """A transition on an existing case: its new state, its time, its timeline step."""
    row = _case(session, p.case_id)
    row.state = state
    row.updated_at = _at(p.at)
    session.add(row)
    _step(session, event, row.id, _at(p.at), summary)
    return row


def _pause(session: Session, p: ev.OnCase, pause_id: str, kind: str, reason: str) -> None:
    session.add(
        CasePause(
            id=pause_id,
            case_id=p.case_id,
            kind=kind,
            reason=reason,
            start=to_local(_at(p.at)).date(),
        )
    )


def _unpause(session: Session, row: Case, p: ev.OnCase) -> None:
    """The clock runs again: close the open pause, take the recounted due dates."""
    for pause in session.exec(
        select(CasePause).where(CasePause.case_id == row.id, col(CasePause.end).is_(None))
    ):
        pause.end = to_local(_at(p.at)).date()
        session.add(pause)
    row.paused_since = None
    if isinstance(p, ev.ClockRestarted) and p.due is not None and p.legal_due is not None:
        row.due = date.fromisoformat(p.due)
        row.legal_due = date.fromisoformat(p.legal_due)


@handles(ev.CASE_HANDED_OFF)
def _handed_off(session: Session, event: Event, p: ev.HandedOff) -> None:
    row = _moved(session, event, p, HANDED_OFF, f"移交后台：{p.department_name}")
    row.handed_off_at = _at(p.at)


@handles(ev.CASE_CLAIMED)
def _claimed(session: Session, event: Event, p: ev.Claimed) -> None:
    row = _moved(session, event, p, IN_REVIEW, f"认领：{p.assignee_name}")
    row.assignee, row.assignee_name = p.assignee, p.assignee_name
    row.claimed_at = _at(p.at)


@handles(ev.CASE_CORRECTION_REQUESTED)
def _correction(session: Session, event: Event, p: ev.CorrectionRequested) -> None:
    names = "、".join(name for name, _ in p.corrections)
    clock = "，暂停计时" if p.clock_stops else ""
    row = _moved(
        session, event, p, CORRECTION_REQUESTED, f"要求补正：{names}，{p.deadline} 前{clock}"
    )
    row.correction_deadline = date.fromisoformat(p.deadline)
    if p.clock_stops:
        row.paused_since = _at(p.at)
        _pause(session, p, p.pause_id, "correction", names)
    _store_notices(session, row.id, p.notices)


@handles(ev.CASE_RESUBMITTED)
def _resubmitted(session: Session, event: Event, p: ev.Resubmitted) -> None:
    row = _moved(session, event, p, IN_REVIEW, "补正材料已提交，继续审查")
    row.correction_deadline = None
    _visit(row, event, p)
    _unpause(session, row, p)


@handles(ev.CASE_SUSPENDED)
def _suspended(session: Session, event: Event, p: ev.Suspended) -> None:
    row = _moved(session, event, p, SUSPENDED, f"中止：{p.reason}")
    row.paused_since = _at(p.at)
    _pause(session, p, p.pause_id, "suspension", p.reason)


@handles(ev.CASE_RESUMED)
def _resumed(session: Session, event: Event, p: ev.Resumed) -> None:
    row = _moved(session, event, p, IN_REVIEW, "恢复审查")
    _unpause(session, row, p)


@handles(ev.CASE_APPROVED)
def _approved(session: Session, event: Event, p: ev.Approved) -> None:
    summary = f"准予许可（{p.decision_number}）"
    if p.deferred_owed:
        summary += f"，确认时尚欠容缺材料：{'、'.join(p.deferred_owed)}"
    row = _moved(session, event, p, APPROVED, summary)
    row.decision_number, row.decision_reason = p.decision_number, p.reason
    row.decided_at = _at(p.at)


@handles(ev.CASE_DENIED)
def _denied(session: Session, event: Event, p: ev.Denied) -> None:
    row = _moved(session, event, p, DENIED, f"不予许可（{p.decision_number}）：{p.reason}")
    row.decision_number, row.decision_reason = p.decision_number, p.reason
    row.decided_at = _at(p.at)


@handles(ev.CASE_DELIVERED)
def _delivered(session: Session, event: Event, p: ev.Delivered) -> None:
    row = _moved(session, event, p, DELIVERED, f"出件：{p.summary}")
    row.delivery = json.dumps(p.delivery, ensure_ascii=False)
    row.delivered_at = _at(p.at)
    _visit(row, event, p)


@handles(ev.CASE_WITHDRAWN)
def _withdrawn(session: Session, event: Event, p: ev.Withdrawn) -> None:
    row = _moved(session, event, p, WITHDRAWN, f"撤回：{p.reason}")
    row.withdrawal_reason = p.reason
    # A case withdrawn while its clock stood still: the pause ends with the case.
    _unpause(session, row, p)


# --- conflicts lost at the hub -----------------------------------------------------------


@handles(ev.CASE_ACTION_REJECTED)
def _action_rejected(session: Session, event: Event, p: ev.ActionRejected) -> None:
    """The hub's order decided against a step taken here: undo it by rebuilding the case from its
    other events, in the order this database stored them (the hub's order for what came from
    it), and tell its author. At the hub, and in a replay, the step was never applied."""
    rejected = session.get(Event, p.event_id)
    if rejected is not None and rejected.status == APPLIED:
        rejected.status, rejected.note = REJECTED, p.reason
        session.add(rejected)
        session.flush()
        rebuild_case(session, p.case_id, before_seq=event.seq)
    if session.get(Case, p.case_id) is None:
        return
    at = _at(p.at)
    session.merge(
        CaseRejection(
            event_id=event.id,
            case_id=p.case_id,
            rejected_event=p.event_id,
            rejected_type=p.event_type,
            author=p.author,
            author_site=p.author_site,
            reason=p.reason,
            at=at,
        )
    )
    _step(session, event, p.case_id, at, f"{p.author} 的操作未生效：{p.reason}")


def rebuild_case(session: Session, case_id: str, *, before_seq: int | None = None) -> int:
    """Delete one case's rows and apply its applied events again in `seq` order (those stored
    before `before_seq`); returns how many were applied."""
    for table in (CaseStep, CasePause, CaseNotice, CaseDeferral, CaseRejection):
        session.exec(delete(table).where(col(table.case_id) == case_id))
    session.exec(delete(Case).where(col(Case.id) == case_id))
    session.flush()
    query = (
        select(Event)
        .where(
            Event.subject == case_id,
            Event.status == APPLIED,
            col(Event.type).startswith("case."),
        )
        .order_by(col(Event.seq))
    )
    if before_seq is not None:
        query = query.where(col(Event.seq) < before_seq)
    count = 0
    for stored in session.exec(query).all():
        apply(session, stored)
        session.flush()
        count += 1
    return count
