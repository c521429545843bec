"""After acceptance (前台受理、后台审批、统一出件): hand-off, claim, correction, suspension,
decision, completion, delivery and withdrawal. Each service locks the case row, asks the
lifecycle table, checks who may act on this case, and records one event (DESIGN §4.1, §5).

Who may act beyond the table's roles: an approver only on cases of their own department, and
after the claim only the approver who claimed it; a trainer (demo) may play every part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from counter_tui.actor import Actor
from counter_tui.cases import events as ev
from counter_tui.cases.commands import Outcome, clerk_name, notice_facts, numbered, prepare
from counter_tui.cases.intake import ORGANISATION
from counter_tui.cases.lifecycle import TransitionRefused, owner_refusal, transition
from counter_tui.cases.models import Case, CasePause
from counter_tui.cases.reads import owed_deferrals, owed_names, to_record
from counter_tui.cases.record import CaseRecord
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


F = TypeVar("F", bound=Callable[..., Any])

#: Lifecycle action → the service that takes it (`@service_of`), for `act`: every action of
#: cases.lifecycle.ACTIONS except those of `lifecycle.OUTSIDE_ACT`.
SERVICES: dict[str, Callable[..., CaseRecord | Outcome]] = {}


def service_of(*actions: str) -> Callable[[F], F]:
    """Register the decorated function as the service of these lifecycle actions, so that
    `act` (the screens' one door) finds it: a new case action is its service, declared once."""

    def register(fn: F) -> F:
        for action in actions:
            if action in SERVICES:
                raise RuntimeError(f"two services for the case action {action!r}")
            SERVICES[action] = fn
        return fn

    return register


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
    elsewhere = owner_refusal(row.site, actor.site, actor.role)
    if elsewhere:
        raise PermissionDenied(f"{row.number}：{elsewhere}")
    if actor.role == "approver":
        if actor.department != row.department:
            raise PermissionDenied(f"{row.number} 属于其他部门（{row.department}），不能办理")
        if action != "claim" and row.assignee not in ("", actor.username):
            raise ClaimedByOther(f"{row.number} 由 {row.assignee_name} 认领，只能由其办理")
    return row


def _record(session: Session, actor: Actor, type: str, payload: ev.OnCase) -> CaseRecord:
    record(session, actor, type, payload)
    row = session.get(Case, payload.case_id)
    assert row is not None
    return to_record(row)


@service_of("hand_off")
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
        ev.CASE_HANDED_OFF,
        ev.HandedOff(
            case_id=row.id, at=now.isoformat(), department=row.department, department_name=name
        ),
    )


@service_of("claim")
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
    name = display_name or clerk_name(session, actor)
    return _record(
        session,
        actor,
        ev.CASE_CLAIMED,
        ev.Claimed(case_id=row.id, at=now.isoformat(), assignee=actor.username, assignee_name=name),
    )


@service_of("request_correction")
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
    notice = numbered(
        session,
        compose.correction(
            notice_facts(session, actor, case, prepared, now),
            corrections=corrections,
            deadline=deadline,
            clock_stops=clock_stops,
        ),
    )
    payload = ev.CorrectionRequested(
        case_id=row.id,
        at=now.isoformat(),
        corrections=[[names.get(kind, kind), why] for kind, why in corrections],
        deadline=deadline.isoformat(),
        clock_stops=clock_stops,
        pause_id=new_id(),
        notices=[notice_to_json(notice)],
    )
    return Outcome(_record(session, actor, ev.CASE_CORRECTION_REQUESTED, payload), [notice])


@service_of("resubmit")
def resubmit(
    session: Session, actor: Actor, case_id: str, *, now: datetime | None = None
) -> CaseRecord:
    """补正后重新提交 at the window: review goes on, and a stopped clock runs again."""
    now = now_local(now)
    row = _act(session, actor, case_id, "resubmit")
    due, legal_due = _recounted(session, row, now)
    payload = ev.Resubmitted(case_id=row.id, at=now.isoformat(), due=due, legal_due=legal_due)
    return _record(session, actor, ev.CASE_RESUBMITTED, payload)


@service_of("suspend")
def suspend(
    session: Session, actor: Actor, case_id: str, *, reason: str, now: datetime | None = None
) -> CaseRecord:
    """中止: the clock stops until the review resumes (hearing, testing, expert review …)."""
    now = now_local(now)
    reason = clean(reason)
    if not reason:
        raise UserError("中止须写明理由")
    row = _act(session, actor, case_id, "suspend")
    payload = ev.Suspended(case_id=row.id, at=now.isoformat(), reason=reason, pause_id=new_id())
    return _record(session, actor, ev.CASE_SUSPENDED, payload)


@service_of("resume")
def resume(
    session: Session, actor: Actor, case_id: str, *, now: datetime | None = None
) -> CaseRecord:
    now = now_local(now)
    row = _act(session, actor, case_id, "resume")
    due, legal_due = _recounted(session, row, now)
    payload = ev.Resumed(case_id=row.id, at=now.isoformat(), due=due, legal_due=legal_due)
    return _record(session, actor, ev.CASE_RESUMED, payload)


@service_of("approve", "deny")
def decide(
    session: Session,
    actor: Actor,
    case_id: str,
    *,
    approve: bool,
    decision_number: str,
    reason: str = "",
    confirm_deferred: bool = False,
    now: datetime | None = None,
) -> CaseRecord:
    """准予/不予许可, with the decision's document number; a denial must give its reasons.

    An approval while deferred (容缺) materials are still owed needs `confirm_deferred`: the
    approver has seen what is owed (the form lists it) and approves anyway, as 容缺受理
    allows; the event names the materials, and the result is not delivered until they come.
    """
    now = now_local(now)
    decision_number, reason = clean(decision_number), clean(reason, multiline=True)
    if not decision_number:
        raise UserError("请填写决定文书编号")
    if not approve and not reason:
        raise UserError("不予许可须写明理由")
    row = _act(session, actor, case_id, "approve" if approve else "deny")
    owed = owed_deferrals(session, case_id) if approve else []
    if owed and not confirm_deferred:
        raise UserError(
            f"尚欠容缺材料：{owed_names(owed)}；确认仍准予许可须明确确认（结果待补齐后才能出件）"
        )
    at = now.isoformat()
    if not approve:
        denied = ev.Denied(case_id=row.id, at=at, decision_number=decision_number, reason=reason)
        return _record(session, actor, ev.CASE_DENIED, denied)
    approved = ev.Approved(
        case_id=row.id,
        at=at,
        decision_number=decision_number,
        reason=reason,
        deferred_owed=[d.name for d in owed],
    )
    return _record(session, actor, ev.CASE_APPROVED, approved)


@service_of("complete")
def complete(
    session: Session, actor: Actor, case_id: str, *, now: datetime | None = None
) -> CaseRecord:
    """办结: the result is ready; the case comes back to the window for delivery."""
    now = now_local(now)
    row = _act(session, actor, case_id, "complete")
    return _record(
        session, actor, ev.CASE_COMPLETED, ev.Completed(case_id=row.id, at=now.isoformat())
    )


@dataclass(frozen=True)
class Delivery:
    """How the result went out: in person (who collected it), by mail, or electronically.

    In person for an organisation, a staff member (经办人) other than the legal representative
    or the agent names the organisation's authorisation the clerk checked (`authorisation`:
    单位授权委托书 …); their document type is taken from the number's shape when not given.
    """

    method: str
    recipient: str = ""
    recipient_id: str = ""
    address: str = ""
    carrier: str = ""
    tracking: str = ""
    channel: str = ""
    authorisation: str = ""
    recipient_id_type: str = ""


#: Who collected a result in person (the payload's `collector`).
COLLECTORS = {
    "applicant": "申请人本人",
    "legal_rep": "法定代表人",
    "agent": "代办人",
    "staff": "经办人",
}


def may_collect(case: CaseRecord) -> str:
    """Who may collect this case's result at the window, in the clerk's words (the delivery
    dialog shows it): names and masked document numbers."""
    from counter_tui.applicants import mask_id

    party, agent = case.intake.applicant, case.intake.agent
    people = []
    if party.kind == ORGANISATION:
        if party.legal_rep:
            rep = f"法定代表人{party.legal_rep}"
            if party.legal_rep_id_number:
                rep += f"（{mask_id(party.legal_rep_id_number)}）"
            people.append(rep)
    else:
        people.append(f"申请人{party.name}（{mask_id(party.id_number)}）")
    if agent is not None and agent.id_number:
        people.append(f"代办人{agent.name}（{mask_id(agent.id_number)}）")
    if party.kind == ORGANISATION:
        people.append("或持单位授权委托书的经办人（核验授权书和本人证件）")
    return "可领取：" + "、".join(people)


def _collector(case: CaseRecord, delivery: Delivery) -> tuple[str, dict[str, str]]:
    """Who is collecting in person (a key of COLLECTORS) and what to record of them, or a
    UserError saying who may. The number decides: the applicant's (a person), the legal
    representative's (an organisation), the agent's; for an organisation anyone else is a
    staff member, who needs a valid document, a name and the organisation's authorisation."""
    from counter_tui.applicants import check_id_number, check_name
    from counter_tui.applicants.identity import guess_id_type, normalise_number

    party, agent = case.intake.applicant, case.intake.agent
    given = normalise_number(delivery.recipient_id)
    organisation = party.kind == ORGANISATION
    known = {
        "applicant": "" if organisation else party.id_number,
        "legal_rep": party.legal_rep_id_number if organisation else "",
        "agent": agent.id_number if agent is not None else "",
    }
    for who, number in known.items():
        if given and number and given == normalise_number(number):
            return who, {"recipient_id": given}
    if not organisation:
        raise UserError("领取人须为申请人本人或经授权的代办人：证件号码与办件不符")
    if given and given == normalise_number(party.uscc):
        raise UserError("统一社会信用代码是单位的代码：请录入领取人本人的证件号码")
    if not given:
        raise UserError("请录入领取人的证件号码（法定代表人、代办人或经办人本人的证件）")
    id_type = delivery.recipient_id_type or guess_id_type(given)
    document = check_id_number(id_type, given)
    if not document.ok:
        raise UserError(f"经办人证件号码有误：{document.problem}")
    name = check_name(delivery.recipient, label="经办人姓名")
    if not name.ok:
        raise UserError(name.problem or "请填写经办人姓名")
    if not clean(delivery.authorisation):
        raise UserError(
            "领取人不是法定代表人或代办人：经办人须持单位授权委托书，核验后填写授权材料"
        )
    return "staff", {
        "recipient": name.value or "",
        "recipient_id": document.value or given,
        "recipient_id_type": id_type,
    }


@service_of("deliver")
def deliver(
    session: Session,
    actor: Actor,
    case_id: str,
    delivery: Delivery,
    *,
    now: datetime | None = None,
) -> CaseRecord:
    """出件, once every deferred (容缺) material is supplied. In person, the recipient must be
    the applicant (an organisation: its legal representative), the authorised agent, or for an
    organisation a staff member (经办人) with its authorisation — checked by document number,
    and recorded as `collector`; by mail, address, carrier and tracking number are required."""
    now = now_local(now)
    row = _act(session, actor, case_id, "deliver")
    case = to_record(row)
    if delivery.method not in DELIVERY_METHODS:
        raise UserError(f"未知的出件方式：{delivery.method}")
    owed = owed_deferrals(session, case_id)
    if owed:
        raise UserError(f"尚欠容缺材料：{owed_names(owed)}；补交后才能出件")
    recorded: dict[str, str] = {}
    if delivery.method == "pickup":
        collector, recorded = _collector(case, delivery)
        recorded["collector"] = collector
        who = f"{COLLECTORS[collector]} {clean(recorded.get('recipient', delivery.recipient))}"
        if collector == "staff":
            who += f"，已核验{clean(delivery.authorisation)}"
        summary = f"{DELIVERY_METHODS['pickup']}（{who.strip()}）"
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
    details = {key: clean(value) for key, value in delivery.__dict__.items()} | recorded
    payload = ev.Delivered(case_id=row.id, at=now.isoformat(), delivery=details, summary=summary)
    return _record(session, actor, ev.CASE_DELIVERED, payload)


@service_of("withdraw")
def withdraw(
    session: Session, actor: Actor, case_id: str, *, reason: str, now: datetime | None = None
) -> CaseRecord:
    """撤回 at the applicant's request, from any open state."""
    now = now_local(now)
    reason = clean(reason)
    if not reason:
        raise UserError("撤回须写明原因（如申请人书面申请撤回）")
    row = _act(session, actor, case_id, "withdraw")
    payload = ev.Withdrawn(case_id=row.id, at=now.isoformat(), reason=reason)
    return _record(session, actor, ev.CASE_WITHDRAWN, payload)


def pauses_of(session: Session, case_id: str) -> list[Pause]:
    rows = session.exec(
        select(CasePause).where(CasePause.case_id == case_id).order_by(col(CasePause.start))
    )
    return [Pause(row.start, row.end, row.kind) for row in rows]


def _recounted(session: Session, row: Case, now: datetime) -> tuple[str | None, str | None]:
    """The due dates (committed, legal) once the open pause closes today, or None when the
    clock ran on."""
    if row.paused_since is None or row.accepted_at is None:
        return None, None
    accepted_on = to_local(row.accepted_at).date()
    today = now.date()
    pauses = [
        Pause(p.start, p.end if p.end is not None else today, p.reason)
        for p in pauses_of(session, row.id)
    ]
    calendar = calendar_for(session, since=accepted_on.year)
    return (
        clock_due(accepted_on, row.committed_days, calendar, pauses, today).isoformat(),
        clock_due(accepted_on, row.legal_days, calendar, pauses, today).isoformat(),
    )


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
    service = SERVICES.get(action)
    if service is None:
        raise UserError(f"未知的办理动作：{action}")
    done = service(session, actor, case_id, now=now, **details)
    return done if isinstance(done, Outcome) else Outcome(done, [])
