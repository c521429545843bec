"""How each `given:` is applied: through the services, in the run's start() transaction
(demo.givens declares the vocabulary; this module does the work).

Each given acts as the scenario's own actor (`demo:scenario`) in the role that step needs, not
as the trainee: a timeline shows who did what, and a permission check still applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from counter_tui.actor import Actor
from counter_tui.cases.intake import (
    DEFERRED,
    MISSING,
    Mark,
    Party,
)
from counter_tui.clock import to_local
from counter_tui.demo.intakes import complete_intake
from counter_tui.demo.scenario import Clause
from counter_tui.errors import UserError
from counter_tui.workdays.service import due_date

#: How the journal names the actor of every given (never a real account).
SCENARIO_ACTOR = "demo:scenario"


@dataclass(frozen=True)
class Setting:
    """Where givens are applied: the node's site, the demo's now, the labels bound so far."""

    site: str
    now: datetime
    labels: dict[str, str]


def apply(session: Session, clause: Clause, setting: Setting) -> str:
    """Apply one given (accepted by demo.givens.problem) through the services; the id of what
    it made (what `as=` binds)."""
    return APPLIERS[clause.kind](session, clause, setting)


#: Applicants of givens without a name: plain, common names (a given's person is background).
NAMES = ("刘桂兰", "陈志强", "杨淑珍", "赵建华", "黄丽娟", "周国庆", "吴秀梅", "徐永平")
#: GB 11643 weights and check characters of an 18-digit resident ID number.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def actor(setting: Setting, role: str, *, department: str | None = None) -> Actor:
    """The scenario's actor in `role` (a permission check still applies to what it does)."""
    return Actor(
        username=SCENARIO_ACTOR,
        role=role,
        site=setting.site,
        department=department,
        window="99",
    )


def id_number(serial: int) -> str:
    """A well-formed resident ID number (襄城区, born 1958–1997): the check digit is right, so
    the identity checks the clerk's form runs accept it."""
    body = (
        f"420602{1958 + serial % 40}{1 + serial % 12:02d}{1 + serial % 28:02d}{serial % 1000:03d}"
    )
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def person(setting: Setting, name: str | None) -> tuple[str, str, str]:
    """(name, ID number, mobile) of a given's applicant; the serial keeps two of them apart."""
    serial = len(setting.labels) * 7 + setting.now.minute * 31 + setting.now.second + 101
    return (
        name or NAMES[serial % len(NAMES)],
        id_number(serial),
        f"139{serial % 10**8:08d}",
    )


def ticket(session: Session, clause: Clause, setting: Setting) -> str:
    from counter_tui.queue.commands import issue

    made = issue(
        session,
        actor(setting, "clerk"),
        clause.params["category"],
        priority_reason=clause.params.get("priority", ""),
        applicant_name=clause.params.get("name", ""),
        now=setting.now,
    )
    return made.id


def appointment(session: Session, clause: Clause, setting: Setting) -> str:
    """An appointment for today, booked yesterday by phone, in the slot whose check-in is open
    now (or the day's last slot that has started: checked in late): the trainee checks it in."""
    from counter_tui.queue import appointments
    from counter_tui.queue.config import SLOT
    from counter_tui.queue.reads import hall

    prefix = clause.params["category"].strip().upper()
    found = hall(session, setting.site).category(prefix)
    if found is None or not found.slots:
        raise UserError(f"取号类别 {prefix} 不接受预约（叫号设置中没有预约时段）")
    today = setting.now.date()
    starts = []
    for slot in found.slots:
        match = SLOT.match(slot.label)
        assert match is not None
        start = datetime.combine(today, time(int(match.group(1)), int(match.group(2))))
        starts.append((slot.label, to_local(start)))
    # The slot that has begun last: checked in now, it goes first in the queue (or, after the
    # day's slots, checks in late). Before the first slot: the first (check-in opens 30 min
    # before it).
    begun = [label for label, start in starts if start <= setting.now]
    label = begun[-1] if begun else starts[0][0]
    name, number, phone = person(setting, clause.params.get("name"))
    yesterday = to_local(datetime.combine(today - timedelta(days=1), time(16, 0)))
    made = appointments.book(
        session,
        actor(setting, "clerk"),
        prefix,
        today,
        label,
        name=name,
        id_number=number,
        phone=clause.params.get("phone", phone),
        now=yesterday,
    )
    return made.id


def case(session: Session, clause: Clause, setting: Setting) -> str:
    """A case taken by the scenario's clerk (and approver) to `state`, through the services."""
    from counter_tui.cases import backoffice, commands
    from counter_tui.cases.models import Case

    code = clause.params.get("item") or clause.params["bundle"]
    state = clause.params["state"]
    clerk = actor(setting, "clerk")
    name, number, phone = person(setting, clause.params.get("applicant"))
    intake = complete_intake(session, code, Party(name=name, id_number=number, phone=phone))
    prepared = commands.prepare(session, intake)
    kinds = [line.material.kind for line in prepared.lines]
    for param in ("missing", "deferred", "correction"):
        if clause.params.get(param, kinds[0]) not in kinds:
            raise UserError(f"{param}={clause.params[param]}：该事项的材料中没有这一类别")
    now = setting.now
    if state == "notified":
        missing = clause.params.get("missing") or _first_required(prepared)
        intake = intake.with_mark(missing, Mark(MISSING))
        return commands.notify(session, clerk, intake, now=now).case.id
    deferred = clause.params.get("deferred")
    if deferred:
        due = due_date(session, now.date(), prepared.committed_days).date
        intake = intake.with_mark(deferred, Mark(DEFERRED, until=due))
    if prepared.instant:
        raise UserError(f"{prepared.entry.name} 是即办件（受理即办结），不能停在“{state}”")
    case_id = commands.accept(session, clerk, intake, now=now).case.id
    if state == "accepted":
        return case_id
    backoffice.hand_off(session, clerk, case_id, now=now)
    if state == "handed_off":
        return case_id
    row = session.get(Case, case_id)
    assert row is not None
    approver = actor(setting, "approver", department=row.department)
    backoffice.claim(session, approver, case_id, display_name="演示审批人", now=now)
    if state == "in_review":
        return case_id
    if state == "correction_requested":
        kind = clause.params.get("correction") or _first_required(prepared)
        backoffice.request_correction(
            session,
            approver,
            case_id,
            corrections=[(kind, "填写内容与身份证件不一致，请重新填写")],
            deadline=due_date(session, now.date(), 5).date,
            now=now,
        )
        return case_id
    backoffice.decide(
        session,
        approver,
        case_id,
        approve=True,
        decision_number=f"演示〔{now.year}〕{now.second + 1}号",
        confirm_deferred=True,
        now=now,
    )
    if state == "completed":
        backoffice.complete(session, approver, case_id, now=now)
    return case_id


def _first_required(prepared: Any) -> str:
    for line in prepared.lines:
        if line.material.mode not in ("exempt", "commitment"):
            return str(line.material.kind)
    raise UserError(f"{prepared.entry.name} 没有必交材料")


def rating(session: Session, clause: Clause, setting: Setting) -> str:
    """A bad rating by the applicant (phone follow-up call), which opens its follow-up."""
    from counter_tui.cases.models import Case
    from counter_tui.feedback.ratings import record_rating

    case_id = setting.labels.get(clause.params.get("case", ""))
    ticket_id = setting.labels.get(clause.params.get("ticket", ""))
    number = ""
    if case_id:
        row = session.get(Case, case_id)
        if row is None:
            raise UserError("case= 所指的不是一个办件")
        number = row.number
    reason = clause.params.get("reason", "slow")
    made = record_rating(
        session,
        actor(setting, "clerk"),
        kind="case" if case_id else "service",
        channel="phone",
        level=int(clause.params["level"]),
        ticket_id=ticket_id,
        case=number,
        reasons=[reason],
        comment=clause.params.get("comment", ""),
        now=setting.now,
    )
    return made.id


APPLIERS: dict[str, Callable[[Session, Clause, Setting], str]] = {
    "ticket": ticket,
    "appointment": appointment,
    "case": case,
    "rating": rating,
}
