"""Hard cases (办不成事): the service that writes their closed loop 受理 → 告知 → 协调 → 督办 →
回访. Every step checks the actor's role and records one event (DESIGN §4.1).

Order of the loop, as the service enforces it: a hard case is opened (受理), the applicant is
told what happens (告知) before any department is asked (协调); each department gets a reply
deadline in working days; a request past its deadline without a reply is *due for 督办*
(`hard_case_reads.due_for_supervision` lists them, nothing is recorded by itself), and a
supervisor records the 督办 with a new deadline; the outcome (办成 / 依法不能办理, with the
explanation) is recorded once every department has replied; the 回访 with the applicant's
verdict closes the loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.applicants import check_name, check_phone
from counter_tui.applicants.identity import check_id_number, guess_id_type
from counter_tui.cases.models import Case
from counter_tui.catalog.models import CatalogDepartment
from counter_tui.clock import now_local
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.feedback import events as ev
from counter_tui.feedback import rules
from counter_tui.feedback.models import HardCase, HardCaseRequest
from counter_tui.ids import new_id
from counter_tui.journal.models import JournalHead
from counter_tui.journal.service import record
from counter_tui.queue import reads as queue_reads
from counter_tui.text import clean
from counter_tui.workdays.service import due_date

#: Permission actions (accounts.rules.PERMISSIONS).
WORK = "feedback.hard_case"
SUPERVISE = "feedback.hard_case_supervise"


@dataclass(frozen=True)
class Opened:
    id: str
    number: str


def _text(value: str, what: str, limit: int) -> str:
    text = clean(value, multiline=True)
    problem = rules.text_problem(text, what, limit)
    if problem:
        raise UserError(problem)
    return text


def find(session: Session, site: str, ref: str) -> HardCase:
    """A hard case by its id or its number (BC-261122-03) at `site`."""
    key = ref.strip()
    row = session.get(HardCase, key)
    if row is None:
        row = session.exec(
            select(HardCase).where(HardCase.site == site, HardCase.number == key.upper())
        ).first()
    if row is None:
        raise UserError(f"没有这个办不成事记录：{key}")
    return row


def _open_one(session: Session, site: str, ref: str) -> HardCase:
    row = find(session, site, ref)
    if row.state == rules.HC_CLOSED:
        raise UserError(f"{row.number} 已回访办结，不能再登记")
    return row


def _applicant(name: str, id_number: str, phone: str, *, today: date) -> tuple[str, str, str, str]:
    """(name, id type, id number, phone), checked; one of the ID number and phone at least."""
    checked = check_name(name, label="申请人姓名")
    if not checked.ok or checked.value is None:
        raise UserError(checked.problem or "请填写申请人姓名")
    id_type = number = number_phone = ""
    if id_number.strip():
        id_type = guess_id_type(id_number)
        got = check_id_number(id_type, id_number, today=today)
        if not got.ok or got.value is None:
            raise UserError(f"证件号码：{got.problem}")
        number = got.value
    if phone.strip():
        got = check_phone(phone)
        if not got.ok or got.value is None:
            raise UserError(f"联系电话：{got.problem}")
        number_phone = got.value
    if not number and not number_phone:
        raise UserError("请填写申请人的证件号码或联系电话（至少一项），以便回访")
    return checked.value, id_type, number, number_phone


def open_hard_case(
    session: Session,
    actor: Actor,
    *,
    kind: str,
    problem: str,
    applicant_name: str = "",
    id_number: str = "",
    phone: str = "",
    ticket_number: str = "",
    case_number: str = "",
    now: datetime | None = None,
) -> Opened:
    """受理: record the applicant's problem. From a V-category ticket of today (`ticket_number`),
    from a case (`case_number`; the applicant's name, ID and phone default to the case's), or
    from neither."""
    require(actor, WORK)
    now = now_local(now)
    if kind not in rules.HARD_CASE_KINDS:
        options = "、".join(f"{k}（{v}）" for k, v in rules.HARD_CASE_KINDS.items())
        raise UserError(f"未知的问题类型：{kind}（可用：{options}）")
    text = _text(problem, "问题描述", rules.PROBLEM_MAX)
    if ticket_number.strip() and case_number.strip():
        raise UserError("来源只能是一个：取号或办件，不能同时填写")
    origin, ticket_id, ticket_no, case_no = "walk_in", None, "", ""
    # Serialise with the site's other writers: the day's sequence is read, then taken.
    session.get(JournalHead, actor.site, with_for_update=True, populate_existing=True)
    if ticket_number.strip():
        ticket = queue_reads.find_row(session, actor.site, ticket_number, now.date())
        config = queue_reads.hall(session, actor.site)
        if not rules.is_hard_case_category(ticket.category, config.name_of(ticket.category)):
            raise UserError(
                f"{ticket.number} 号不是“办不成事”类别的号（{config.name_of(ticket.category)}）："
                "请从办件登记，或不填来源直接登记"
            )
        origin, ticket_id, ticket_no = "ticket", ticket.id, ticket.number
        applicant_name = applicant_name or ticket.applicant_name
    elif case_number.strip():
        key = case_number.strip().upper()
        case = session.exec(select(Case).where(Case.number == key)).first()
        if case is None:
            raise UserError(f"没有这个办件：{key}")
        origin, case_no = "case", case.number
        applicant_name = applicant_name or case.applicant_name
        if not id_number and not phone:
            if case.applicant_key_type != "uscc":
                id_number = case.applicant_key
            phone = case.applicant_phone
    name, id_type, number, phone_no = _applicant(applicant_name, id_number, phone, today=now.date())
    seq = (
        1
        + session.exec(
            select(func.count())
            .select_from(HardCase)
            .where(HardCase.site == actor.site, HardCase.day == now.date())
        ).one()
    )
    hard_case_id = new_id()
    number_text = rules.hard_case_number(now.date(), seq)
    record(
        session,
        actor,
        ev.HARD_CASE_OPENED,
        ev.HardCaseOpened(
            hard_case_id=hard_case_id,
            number=number_text,
            day=now.date().isoformat(),
            seq=seq,
            at=now.isoformat(),
            kind=kind,
            problem=text,
            applicant_name=name,
            id_type=id_type,
            id_number=number,
            phone=phone_no,
            origin=origin,
            ticket_id=ticket_id,
            ticket_number=ticket_no,
            case_number=case_no,
        ),
    )
    return Opened(hard_case_id, number_text)


def inform(
    session: Session, actor: Actor, ref: str, note: str, *, now: datetime | None = None
) -> None:
    """告知: what the applicant was told (the policy, what happens next, by when)."""
    require(actor, WORK)
    now = now_local(now)
    row = _open_one(session, actor.site, ref)
    text = _text(note, "告知内容", rules.NOTE_MAX)
    record(
        session,
        actor,
        ev.HARD_CASE_INFORMED,
        ev.HardCaseInformed(hard_case_id=row.id, at=now.isoformat(), note=text),
    )


def coordinate(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    department: str,
    request: str,
    days: int = rules.DEFAULT_REPLY_DAYS,
    now: datetime | None = None,
) -> date:
    """协调: ask `department` to help, with a reply deadline `days` working days on; returns
    the deadline."""
    require(actor, WORK)
    now = now_local(now)
    row = _open_one(session, actor.site, ref)
    if row.state == rules.HC_ACCEPTED:
        raise UserError(f"{row.number} 还未告知申请人：先登记告知（受理 → 告知 → 协调）")
    if row.state == rules.HC_CONCLUDED:
        raise UserError(f"{row.number} 已办结，待回访：不能再发起协调")
    dept = clean(department)
    problem = rules.text_problem(dept, "协调部门", 200) or rules.reply_days_problem(days)
    if problem:
        raise UserError(problem)
    if _pending(session, row.id, dept) is not None:
        raise UserError(f"已请{dept}协调，尚未答复：等答复或督办，不必重复发起")
    text = _text(request, "协调事项", rules.NOTE_MAX)
    due = due_date(session, now.date(), days).date
    record(
        session,
        actor,
        ev.HARD_CASE_COORDINATED,
        ev.HardCaseCoordinated(
            hard_case_id=row.id,
            at=now.isoformat(),
            request_id=new_id(),
            department=dept,
            request=text,
            days=days,
            due=due.isoformat(),
        ),
    )
    return due


def _pending(session: Session, hard_case_id: str, department: str) -> HardCaseRequest | None:
    return session.exec(
        select(HardCaseRequest).where(
            HardCaseRequest.hard_case_id == hard_case_id,
            HardCaseRequest.department == department,
            col(HardCaseRequest.replied_at).is_(None),
        )
    ).first()


def _awaited(session: Session, row: HardCase, department: str) -> HardCaseRequest:
    dept = clean(department)
    request = _pending(session, row.id, dept)
    if request is None:
        raise UserError(f"{row.number} 没有待{dept or '该部门'}答复的协调")
    return request


def reply(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    department: str,
    text: str,
    now: datetime | None = None,
) -> None:
    """A department's reply to its coordination request. Recorded by the hard-case window (or a
    supervisor), or by an approver of that department."""
    if actor.role == "approver":
        if clean(department) not in _names_of(session, actor.department or ""):
            raise PermissionDenied("后台审批人员只能登记本部门的答复")
    else:
        require(actor, WORK)
    now = now_local(now)
    row = _open_one(session, actor.site, ref)
    request = _awaited(session, row, department)
    answer = _text(text, "答复内容", rules.NOTE_MAX)
    record(
        session,
        actor,
        ev.HARD_CASE_REPLIED,
        ev.HardCaseReplied(
            hard_case_id=row.id, at=now.isoformat(), request_id=request.id, reply=answer
        ),
    )


def _names_of(session: Session, department: str) -> set[str]:
    """An approver's department (a catalog code) and the names the catalog gives it: a
    coordination request names the department as the clerk typed it."""
    if not department:
        return set()
    names = session.exec(
        select(CatalogDepartment.name).where(CatalogDepartment.code == department)
    ).all()
    return {department, *names}


def supervise(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    department: str,
    note: str,
    days: int = rules.DEFAULT_REPLY_DAYS,
    now: datetime | None = None,
) -> date:
    """督办: a supervisor presses a department whose reply deadline has passed unanswered, and
    sets it a new deadline; returns that deadline. Refused before the deadline has passed."""
    require(actor, SUPERVISE)
    now = now_local(now)
    row = _open_one(session, actor.site, ref)
    request = _awaited(session, row, department)
    if not rules.overdue(request.due, now.date(), replied=False):
        raise UserError(
            f"{request.department} 的答复期限是 {request.due:%Y-%m-%d}，尚未超期：超期未答复才督办"
        )
    problem = rules.reply_days_problem(days)
    if problem:
        raise UserError(problem)
    text = _text(note, "督办意见", rules.NOTE_MAX)
    due = due_date(session, now.date(), days).date
    record(
        session,
        actor,
        ev.HARD_CASE_SUPERVISED,
        ev.HardCaseSupervised(
            hard_case_id=row.id,
            at=now.isoformat(),
            request_id=request.id,
            note=text,
            days=days,
            due=due.isoformat(),
        ),
    )
    return due


def conclude(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    outcome: str,
    explanation: str,
    now: datetime | None = None,
) -> None:
    """办结: 办成 or 依法不能办理, with the explanation given to the applicant. Every department
    asked must have replied first."""
    require(actor, WORK)
    now = now_local(now)
    row = _open_one(session, actor.site, ref)
    if outcome not in rules.HARD_CASE_OUTCOMES:
        options = "、".join(f"{k}（{v}）" for k, v in rules.HARD_CASE_OUTCOMES.items())
        raise UserError(f"未知的办理结果：{outcome}（可用：{options}）")
    if row.state == rules.HC_ACCEPTED:
        raise UserError(f"{row.number} 还未告知申请人：先登记告知")
    if row.state == rules.HC_CONCLUDED:
        raise UserError(f"{row.number} 已办结，待回访")
    waiting = session.exec(
        select(HardCaseRequest.department).where(
            HardCaseRequest.hard_case_id == row.id, col(HardCaseRequest.replied_at).is_(None)
        )
    ).all()
    if waiting:
        raise UserError(f"还有部门未答复：{'、'.join(waiting)}（答复后再办结，超期的请督办）")
    text = _text(explanation, "办理结果说明", rules.NOTE_MAX)
    record(
        session,
        actor,
        ev.HARD_CASE_CONCLUDED,
        ev.HardCaseConcluded(
            hard_case_id=row.id, at=now.isoformat(), outcome=outcome, explanation=text
        ),
    )


def visit(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    verdict: str,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """回访: the applicant's verdict on the outcome; closes the loop."""
    require(actor, WORK)
    now = now_local(now)
    row = _open_one(session, actor.site, ref)
    if row.state != rules.HC_CONCLUDED:
        raise UserError(f"{row.number} 还未办结：办结（办成或依法不能办理）后再回访")
    if verdict not in rules.HARD_CASE_VERDICTS:
        options = "、".join(f"{k}（{v}）" for k, v in rules.HARD_CASE_VERDICTS.items())
        raise UserError(f"未知的回访评价：{verdict}（可用：{options}）")
    text = clean(note, multiline=True)
    if len(text) > rules.NOTE_MAX:
        raise UserError(f"回访记录太长（最多 {rules.NOTE_MAX} 字）")
    record(
        session,
        actor,
        ev.HARD_CASE_VISITED,
        ev.HardCaseVisited(hard_case_id=row.id, at=now.isoformat(), verdict=verdict, note=text),
    )
