"""After acceptance (前台受理、后台审批、统一出件): hand-off, claim, correction, suspension,
decision, completion, delivery and withdrawal. Each service locks the case row, asks the
lifecycle table, checks who may act on this case, and records one event (DESIGN §4.1, §5).

Who may act beyond the table's roles: an approver only on cases of their own department, and
after the claim only the approver who claimed it; a trainer (demo) may play every part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from counter_tui.actor import Actor
from counter_tui.cases.lifecycle import TransitionRefused, transition
from counter_tui.cases.models import Case, CasePause
from counter_tui.cases.record import CaseRecord
from counter_tui.cases.service import (
    Outcome,
    _clerk_name,
    _compose_args,
    _numbered,
    prepare,
    to_record,
)
from counter_tui.catalog.service import departments
from counter_tui.clock import now_local, to_local
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.ids import new_id
from counter_tui.journal.service import record
from counter_tui.notices import compose
from counter_tui.notices.content import to_json as notice_to_json
from counter_tui.text import clean
from counter_tui.workdays.service import calendar_for
from counter_tui.workdays.sla import Pause, clock_due

#: How a result goes out, and what each way must record.
DELIVERY_METHODS = {"pickup": "窗口领取", "mail": "邮寄", "electronic": "电子送达"}


class ClaimedByOther(UserError):
    """Someone else has the case: the message names them."""


def _locked(session: Session, case_id: str) -> Case:
    """The case row, locked for this transaction (PostgreSQL: FOR UPDATE; SQLite: the write
    session's IMMEDIATE lock), re-read so that a concurrent change is seen."""
    row = session.get(Case, case_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise UserError(f"没有这个办件：{case_id}")
    return row


def _act(session: Session, actor: Actor, case_id: str, action: str) -> Case:
    row = _locked(session, case_id)
    if action == "claim" and row.assignee and row.assignee != actor.username:
        raise ClaimedByOther(f"{row.number} 已由 {row.assignee_name} 认领")
    try:
        transition(row.state, action, actor.role)
    except TransitionRefused as refused:
        raise TransitionRefused(f"{row.number}：{refused.message}") from None
    if actor.role == "approver":
        if actor.department != row.department:
            raise PermissionDenied(f"{row.number} 属于其他部门（{row.department}），不能办理")
        if action != "claim" and row.assignee not in ("", actor.username):
            raise ClaimedByOther(f"{row.number} 由 {row.assignee_name} 认领，只能由其办理")
    return row


def _record(session: Session, actor: Actor, type: str, payload: dict[str, Any]) -> CaseRecord:
    record(session, actor, type, payload)
    row = session.get(Case, payload["case_id"])
    assert row is not None
    return to_record(row)


def _base(row: Case, now: datetime) -> dict[str, Any]:
    return {"case_id": row.id, "at": now.isoformat()}


def hand_off(
    session: Session, actor: Actor, case_id: str, *, now: datetime | None = None
) -> CaseRecord:
    """移交后台: the case goes to the item's department (the bundle's lead department)."""
    now = now_local(now)
    row = _act(session, actor, case_id, "hand_off")
    name = departments(session).get(row.department, row.department)
    return _record(
        session,
        actor,
        "case.handed_off",
        _base(row, now) | {"department": row.department, "department_name": name},
    )


def claim(
    session: Session,
    actor: Actor,
    case_id: str,
    *,
    display_name: str = "",
    now: datetime | None = None,
) -> CaseRecord:
    """认领: one approver per case. Two at once: the first commits, the second is told who —
    by the name on the claimer's account unless `display_name` is given."""
    now = now_local(now)
    row = _act(session, actor, case_id, "claim")
    name = display_name or _clerk_name(session, actor)
    return _record(
        session,
        actor,
        "case.claimed",
        _base(row, now) | {"assignee": actor.username, "assignee_name": name},
    )


def request_correction(
    session: Session,
    actor: Actor,
    case_id: str,
    *,
    corrections: list[tuple[str, str]],
    deadline: date,
    now: datetime | None = None,
) -> Outcome:
    """补正: every material to correct and why, by a deadline; the window prints the notice.
    The clock stops where the item says so (`correction_stops_clock`)."""
    now = now_local(now)
    row = _act(session, actor, case_id, "request_correction")
    corrections = [(kind, clean(why)) for kind, why in corrections]
    if not corrections:
        raise UserError("请至少列出一项需要补正的材料")
    if not all(why for _, why in corrections):
        raise UserError("请写明每项材料需要补正的内容")
    if deadline <= now.date():
        raise UserError("补正期限应晚于今天")
    case = to_record(row)
    prepared = prepare(session, case.intake)
    clock_stops = any(item.correction_stops_clock for item in prepared.items.values())
    names = {line.material.kind: line.material.name for line in prepared.lines}
    notice = _numbered(
        session,
        compose.correction(
            case,
            **_compose_args(session, actor, prepared, now),
            corrections=corrections,
            deadline=deadline,
            clock_stops=clock_stops,
        ),
    )
    payload = _base(row, now) | {
        "corrections": [[names.get(kind, kind), why] for kind, why in corrections],
        "deadline": deadline.isoformat(),
        "clock_stops": clock_stops,
        "pause_id": new_id(),
        "notices": [notice_to_json(notice)],
    }
    return Outcome(_record(session, actor, "case.correction_requested", payload), [notice])


def resubmit(
    session: Session, actor: Actor, case_id: str, *, now: datetime | None = None
) -> CaseRecord:
    """补正后重新提交 at the window: review goes on, and a stopped clock runs again."""
    now = now_local(now)
    row = _act(session, actor, case_id, "resubmit")
    return _record(
        session, actor, "case.resubmitted", _base(row, now) | _recounted(session, row, now)
    )


def suspend(
    session: Session, actor: Actor, case_id: str, *, reason: str, now: datetime | None = None
) -> CaseRecord:
    """中止: the clock stops until the review resumes (hearing, testing, expert review …)."""
    now = now_local(now)
    reason = clean(reason)
    if not reason:
        raise UserError("中止须写明理由")
    row = _act(session, actor, case_id, "suspend")
    payload = _base(row, now) | {"reason": reason, "pause_id": new_id()}
    return _record(session, actor, "case.suspended", payload)


def resume(
    session: Session, actor: Actor, case_id: str, *, now: datetime | None = None
) -> CaseRecord:
    now = now_local(now)
    row = _act(session, actor, case_id, "resume")
    return _record(session, actor, "case.resumed", _base(row, now) | _recounted(session, row, now))


def decide(
    session: Session,
    actor: Actor,
    case_id: str,
    *,
    approve: bool,
    decision_number: str,
    reason: str = "",
    now: datetime | None = None,
) -> CaseRecord:
    """准予/不予许可, with the decision's document number; a denial must give its reasons."""
    now = now_local(now)
    decision_number, reason = clean(decision_number), clean(reason, multiline=True)
    if not decision_number:
        raise UserError("请填写决定文书编号")
    if not approve and not reason:
        raise UserError("不予许可须写明理由")
    row = _act(session, actor, case_id, "approve" if approve else "deny")
    payload = _base(row, now) | {"decision_number": decision_number, "reason": reason}
    return _record(session, actor, "case.approved" if approve else "case.denied", payload)


def complete(
    session: Session, actor: Actor, case_id: str, *, now: datetime | None = None
) -> CaseRecord:
    """办结: the result is ready; the case comes back to the window for delivery."""
    now = now_local(now)
    row = _act(session, actor, case_id, "complete")
    return _record(session, actor, "case.completed", _base(row, now))


@dataclass(frozen=True)
class Delivery:
    """How the result went out: in person (who collected it), by mail, or electronically."""

    method: str
    recipient: str = ""
    recipient_id: str = ""
    address: str = ""
    carrier: str = ""
    tracking: str = ""
    channel: str = ""


def deliver(
    session: Session,
    actor: Actor,
    case_id: str,
    delivery: Delivery,
    *,
    now: datetime | None = None,
) -> CaseRecord:
    """出件. In person, the recipient must be the applicant (or the legal representative) or
    the authorised agent, checked by ID number; by mail, address, carrier and tracking number
    are required."""
    from counter_tui.applicants.identity import normalise_number

    now = now_local(now)
    row = _act(session, actor, case_id, "deliver")
    case = to_record(row)
    if delivery.method not in DELIVERY_METHODS:
        raise UserError(f"未知的出件方式：{delivery.method}")
    if delivery.method == "pickup":
        given = normalise_number(delivery.recipient_id)
        entitled = {case.intake.applicant.id_number}
        if case.intake.agent is not None:
            entitled.add(case.intake.agent.id_number)
        if not given or given not in entitled - {""}:
            raise UserError("领取人须为申请人本人或经授权的代办人：证件号码与办件不符")
        summary = f"{DELIVERY_METHODS['pickup']}（{clean(delivery.recipient)}）"
    elif delivery.method == "mail":
        if not (
            delivery.address.strip() and delivery.carrier.strip() and delivery.tracking.strip()
        ):
            raise UserError("邮寄须填写地址、快递公司和运单号")
        summary = f"邮寄（{clean(delivery.carrier)} {clean(delivery.tracking)}）"
    else:
        if not delivery.channel.strip():
            raise UserError("电子送达须写明送达渠道（如电子证照库、短信链接）")
        summary = f"电子送达（{clean(delivery.channel)}）"
    details = {key: clean(value) for key, value in delivery.__dict__.items()}
    payload = _base(row, now) | {"delivery": details, "summary": summary}
    return _record(session, actor, "case.delivered", payload)


def withdraw(
    session: Session, actor: Actor, case_id: str, *, reason: str, now: datetime | None = None
) -> CaseRecord:
    """撤回 at the applicant's request, from any open state."""
    now = now_local(now)
    reason = clean(reason)
    if not reason:
        raise UserError("撤回须写明原因（如申请人书面申请撤回）")
    row = _act(session, actor, case_id, "withdraw")
    return _record(session, actor, "case.withdrawn", _base(row, now) | {"reason": reason})


def pauses_of(session: Session, case_id: str) -> list[Pause]:
    rows = session.exec(
        select(CasePause).where(CasePause.case_id == case_id).order_by(col(CasePause.start))
    )
    return [Pause(row.start, row.end, row.kind) for row in rows]


def _recounted(session: Session, row: Case, now: datetime) -> dict[str, Any]:
    """The due dates once the open pause closes today, or nothing when the clock ran on."""
    if row.paused_since is None or row.accepted_at is None:
        return {}
    accepted_on = to_local(row.accepted_at).date()
    today = now.date()
    pauses = [
        Pause(p.start, p.end if p.end is not None else today, p.reason)
        for p in pauses_of(session, row.id)
    ]
    calendar = calendar_for(session, since=accepted_on.year)
    return {
        "due": clock_due(accepted_on, row.committed_days, calendar, pauses, today).isoformat(),
        "legal_due": clock_due(accepted_on, row.legal_days, calendar, pauses, today).isoformat(),
    }


#: How many working days an applicant gets to correct, unless the approver sets another date.
#: No national rule fixes it (DOMAIN, "Correction notice"); five matches the §32 notice period.
DEFAULT_CORRECTION_DAYS = 5


def act(
    session: Session,
    actor: Actor,
    action: str,
    case_id: str,
    *,
    now: datetime | None = None,
    **details: Any,
) -> Outcome:
    """One lifecycle action by its name in the lifecycle table (`approve`, `deliver` …), with
    the details that action needs, as an Outcome: the case after it and any notice issued.

    The screens call this one door (and so should any command that acts on a case), so the
    way an action is taken cannot change what it does.
    """
    if action in ("approve", "deny"):
        details["approve"] = action == "approve"
        action = "decide"
    service = _SERVICES.get(action)
    if service is None:
        raise UserError(f"未知的办理动作：{action}")
    done = service(session, actor, case_id, now=now, **details)
    return done if isinstance(done, Outcome) else Outcome(done, [])


_SERVICES: dict[str, Any] = {
    "hand_off": hand_off,
    "claim": claim,
    "request_correction": request_correction,
    "resubmit": resubmit,
    "suspend": suspend,
    "resume": resume,
    "decide": decide,
    "complete": complete,
    "deliver": deliver,
    "withdraw": withdraw,
}
