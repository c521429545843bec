"""Intake commands at the window: notify, accept, refuse, a deferred material supplied, a case
terminated, due dates recomputed. Each checks the actor's role, validates the intake with
cases.rules, and records one event per state change (DESIGN §4.1); the back office's steps are
cases.backoffice.

An outcome (notify, accept, refuse) is one transaction: the case number, the events, the notices
and the draft's removal commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from counter_tui.accounts.models import UserAccount
from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.cases import events as ev
from counter_tui.cases import rules
from counter_tui.cases.drafts import drop_draft
from counter_tui.cases.intake import DEFERRED, RECEIVED, Intake, to_json
from counter_tui.cases.lifecycle import TransitionRefused, transition
from counter_tui.cases.models import Case, CaseDeferral, CaseNotice
from counter_tui.cases.reads import get_case, lapsed_deferrals, require_case
from counter_tui.cases.record import (
    ACCEPTED,
    DRAFT,
    NOTIFIED,
    REFUSED,
    TERMINATED,
    CaseRecord,
)
from counter_tui.catalog.model import Bundle, Item
from counter_tui.catalog.rules import bundle_levels, checklist, unanswered
from counter_tui.catalog.service import departments, get_entry, get_items, record_use
from counter_tui.clock import now_local, to_local, today_local
from counter_tui.errors import UserError
from counter_tui.ids import new_id
from counter_tui.journal.models import JournalHead
from counter_tui.journal.service import record
from counter_tui.notices import compose
from counter_tui.notices.content import Notice
from counter_tui.notices.content import to_json as notice_to_json
from counter_tui.notices.facts import NoticeFacts
from counter_tui.site.models import Node
from counter_tui.site.service import is_demo, site_name
from counter_tui.text import clean
from counter_tui.workdays.service import due_date


class IntakeRefused(UserError):
    """The outcome cannot be recorded; `problems` are field id → message, or "" → general.

    With no problems but `warnings` (confirmation token → message, see
    cases.rules.check_parties), the outcome waits only for the clerk to confirm them: the
    form asks, adds the tokens to `Intake.confirmed` and tries again.
    """

    def __init__(
        self, problems: dict[str, str] | list[str], warnings: dict[str, str] | None = None
    ) -> None:
        if isinstance(problems, list):
            problems = {f"#{i}": p for i, p in enumerate(problems)}
        self.problems = problems
        self.warnings = warnings or {}
        super().__init__("；".join(problems.values()) or "；".join(self.warnings.values()))


# --- what the catalog says about an intake -------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """An intake read against the active catalog: its items, marked checklist and limits."""

    entry: Item | Bundle
    items: dict[str, Item]
    lines: list[rules.MarkedLine]
    department: str
    committed_days: int
    legal_days: int
    #: Whether this node's level may accept the entry.
    allowed_here: bool

    @property
    def instant(self) -> bool:
        return self.committed_days == 0

    @property
    def entry_kind(self) -> str:
        return "item" if isinstance(self.entry, Item) else "bundle"


def prepare(session: Session, intake: Intake) -> Prepared:
    entry = get_entry(session, intake.entry_code)
    if entry is None:
        raise UserError(f"事项目录中没有 {intake.entry_code}：请重新选择事项")
    if isinstance(entry, Item):
        items = {entry.code: entry}
        department = entry.department
        levels: tuple[str, ...] = entry.levels
    else:
        found = get_items(session, list(entry.items))
        items = {code: found[code] for code in entry.items if code in found}
        department = entry.lead_department
        levels = bundle_levels(entry, items)
    lines = rules.marked(checklist(list(items.values()), intake.answer_map()), intake)
    node = session.get(Node, 1)
    return Prepared(
        entry=entry,
        items=items,
        lines=lines,
        department=department,
        committed_days=max((i.committed_limit_days for i in items.values()), default=0),
        legal_days=max((i.legal_limit_days for i in items.values()), default=0),
        allowed_here=node is None or node.level in levels,
    )


# --- outcomes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    case: CaseRecord
    #: The notices issued, to preview and print (receipt first).
    notices: list[Notice]


def notify(
    session: Session,
    actor: Actor,
    intake: Intake,
    *,
    case_id: str | None = None,
    draft_id: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """一次性告知: the case is kept with everything entered; the notice lists what is missing."""
    require(actor, "cases.intake")
    now = now_local(now)

    def incomplete(prepared: Prepared) -> list[str]:
        # An unanswered 办理情形 may be told too: the notice lists what each answer adds.
        open_questions = unanswered(list(prepared.items.values()), intake.answer_map())
        if rules.unsettled(prepared.lines) or open_questions:
            return []
        return ["材料已齐全，无需一次性告知：请直接受理"]

    intake, prepared = _checked(session, intake, now.date(), incomplete)
    case_id, number = _identity(session, actor, case_id, now, "notify")
    base = _record(actor, session, case_id, number, intake, prepared, NOTIFIED, now)
    notice = numbered(
        session, compose.one_time_notice(notice_facts(session, actor, base, prepared, now))
    )
    record(
        session,
        actor,
        ev.CASE_NOTIFIED,
        ev.Notified(**_outcome_fields(base, prepared, now), notices=[notice_to_json(notice)]),
    )
    drop_draft(session, draft_id)
    return Outcome(get_case(session, case_id) or base, [notice])


def accept(
    session: Session,
    actor: Actor,
    intake: Intake,
    *,
    case_id: str | None = None,
    draft_id: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """受理: every material settled; the receipt names the due date. A 即办件 is completed at
    once; deferred materials get their commitment notice."""
    require(actor, "cases.intake")
    now = now_local(now)

    def acceptable(prepared: Prepared) -> list[str]:
        if not prepared.allowed_here:
            return ["本站不可受理该事项：请引导申请人到有权受理的窗口，或不予受理并告知"]
        due = due_date(session, now.date(), prepared.committed_days)
        return rules.situation_problems(
            list(prepared.items.values()), intake
        ) + rules.acceptance_problems(prepared.lines, due.date, now.date())

    intake, prepared = _checked(session, intake, now.date(), acceptable)
    due = due_date(session, now.date(), prepared.committed_days)
    legal = due_date(session, now.date(), prepared.legal_days)
    case_id, number = _identity(session, actor, case_id, now, "accept")
    base = replace(
        _record(actor, session, case_id, number, intake, prepared, ACCEPTED, now),
        accepted_at=now,
        committed_days=prepared.committed_days,
        due=due.date,
        due_unofficial_years=due.unofficial_years,
        legal_due=legal.date,
    )
    facts = notice_facts(session, actor, base, prepared, now)
    notices = [numbered(session, compose.receipt(facts))]
    if any(line.status == DEFERRED for line in prepared.lines):
        notices.append(numbered(session, compose.deferral(facts)))
    payload = ev.Accepted(
        **_outcome_fields(base, prepared, now),
        accepted_at=now.isoformat(),
        due=due.date.isoformat(),
        due_unofficial=list(due.unofficial_years),
        legal_due=legal.date.isoformat(),
        legal_days=prepared.legal_days,
        deferrals=[
            ev.Deferral(
                kind=line.material.kind,
                name=line.material.name,
                until=line.mark.until.isoformat(),
            )
            for line in prepared.lines
            if line.status == DEFERRED and line.mark.until is not None
        ],
        notices=[notice_to_json(n) for n in notices],
    )
    record(session, actor, ev.CASE_ACCEPTED, payload)
    if prepared.instant:
        transition(ACCEPTED, "complete_at_window", actor.role)
        record(session, actor, ev.CASE_COMPLETED, ev.Completed(case_id=case_id, at=now.isoformat()))
    record_use(session, actor.site, intake.entry_code)
    drop_draft(session, draft_id)
    return Outcome(require_case(session, case_id), notices)


def refuse(
    session: Session,
    actor: Actor,
    intake: Intake,
    *,
    reasons: str,
    competent_agency: str = "",
    case_id: str | None = None,
    draft_id: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """不予受理: with the reasons, and the agency the matter belongs to when that is why."""
    require(actor, "cases.intake")
    now = now_local(now)
    reasons = clean(reasons, multiline=True)
    competent_agency = clean(competent_agency)
    if not reasons:
        raise IntakeRefused({"refusal.reasons": "不予受理须写明理由"})
    intake, prepared = _checked(session, intake, now.date())
    case_id, number = _identity(session, actor, case_id, now, "refuse")
    base = replace(
        _record(actor, session, case_id, number, intake, prepared, REFUSED, now),
        refusal_reasons=reasons,
        competent_agency=competent_agency,
    )
    notice = numbered(session, compose.refusal(notice_facts(session, actor, base, prepared, now)))
    payload = ev.Refused(
        **_outcome_fields(base, prepared, now),
        reasons=reasons,
        competent_agency=competent_agency,
        notices=[notice_to_json(notice)],
    )
    record(session, actor, ev.CASE_REFUSED, payload)
    drop_draft(session, draft_id)
    return Outcome(require_case(session, case_id), [notice])


def supply_deferred(
    session: Session, actor: Actor, case_id: str, kind: str, *, now: datetime | None = None
) -> CaseRecord:
    """The applicant brought a deferred (容缺) material."""
    require(actor, "cases.intake")
    row = session.get(CaseDeferral, (case_id, kind))
    if row is None:
        raise UserError("该办件没有这项容缺材料")
    if row.supplied_at is not None:
        raise UserError(f"“{row.name}”已于 {to_local(row.supplied_at):%Y-%m-%d} 补交")
    now = now_local(now)
    record(
        session,
        actor,
        ev.CASE_MATERIAL_SUPPLIED,
        ev.MaterialSupplied(case_id=case_id, kind=kind, at=now.isoformat()),
    )
    return require_case(session, case_id)


def terminate(
    session: Session,
    actor: Actor,
    case_id: str,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> Outcome:
    """终止办理: a deferred material was not supplied by its deadline (the applicant's
    commitment said so). Only then: a case with nothing lapsed cannot be terminated here."""
    require(actor, "cases.intake")
    now = now_local(now)
    lapsed = [d for d in lapsed_deferrals(session, now.date()) if d.case_id == case_id]
    if not lapsed:
        raise UserError("该办件没有逾期未补交的容缺材料，不能终止")
    transition(require_case(session, case_id).state, "terminate", actor.role)
    names = "、".join(d.name for d in lapsed)
    reason = clean(reason, multiline=True) or f"容缺材料逾期未补交：{names}"
    case = replace(require_case(session, case_id), state=TERMINATED, termination_reason=reason)
    # The notice lists what is still owed: a deferred material supplied (even late) is received.
    supplied = session.exec(
        select(CaseDeferral).where(
            CaseDeferral.case_id == case_id, col(CaseDeferral.supplied_at).is_not(None)
        )
    ).all()
    intake = case.intake
    for deferral in supplied:
        mark = intake.marks.get(deferral.kind)
        if mark is not None:
            intake = intake.with_mark(deferral.kind, replace(mark, status=RECEIVED))
    case = replace(case, intake=intake)
    prepared = prepare(session, case.intake)
    notice = numbered(
        session, compose.termination(notice_facts(session, actor, case, prepared, now))
    )
    record(
        session,
        actor,
        ev.CASE_TERMINATED,
        ev.Terminated(
            case_id=case_id,
            reason=reason,
            at=now.isoformat(),
            notices=[notice_to_json(notice)],
        ),
    )
    return Outcome(require_case(session, case_id), [notice])


def recompute_due_dates(session: Session, actor: Actor, *, today: date | None = None) -> int:
    """After a calendar import: the due dates of open cases are counted again where the calendar
    changed them — the committed date (the receipt's) and the legal date (the red card's),
    with the clock's pauses (补正, 中止) still taken off.

    Returns how many cases changed. Each change is an event, so the hub and the audit see it.
    Open cases are few next to all cases (the state index finds them).

    Only the cases taken in at the actor's site: one site recounts a case, the one whose
    receipt printed its due date, and its event reaches the other end like any of the case's
    events. When both the hub (importing the calendar) and the village (adopting it weeks
    later) recounted the village's cases, each end recorded its own recount and applied the
    other's after it: two events per case, and where the two differed (an open pause counts
    up to the day of the recount) each end kept the other's date (docs/sync.md, "Long
    absences"). The hub's view of a village's due dates waits for the village's next sync,
    as everything else of the village's does.
    """
    from counter_tui.cases.models import CasePause
    from counter_tui.cases.record import (
        CORRECTION_REQUESTED,
        HANDED_OFF,
        IN_REVIEW,
        SUSPENDED,
    )
    from counter_tui.workdays.service import calendar_for
    from counter_tui.workdays.sla import Pause, clock_due

    today = today or today_local()
    running = (ACCEPTED, HANDED_OFF, IN_REVIEW, CORRECTION_REQUESTED, SUSPENDED)
    rows = session.exec(
        select(Case).where(col(Case.state).in_(running), Case.site == actor.site)
    ).all()
    changed = 0
    for row in rows:
        if row.accepted_at is None:
            continue
        accepted_on = to_local(row.accepted_at).date()
        pauses = [
            Pause(p.start, p.end, p.kind)
            for p in session.exec(select(CasePause).where(CasePause.case_id == row.id))
        ]
        calendar = calendar_for(session, since=accepted_on.year)
        due = due_date(session, accepted_on, row.committed_days)
        due_day = clock_due(accepted_on, row.committed_days, calendar, pauses, today)
        legal = clock_due(accepted_on, row.legal_days, calendar, pauses, today)
        years = " ".join(str(y) for y in due.unofficial_years)
        if (due_day, years, legal) == (row.due, row.due_unofficial, row.legal_due):
            continue
        record(
            session,
            actor,
            ev.CASE_DUE_RECOMPUTED,
            ev.DueRecomputed(
                case_id=row.id,
                due=due_day.isoformat(),
                due_unofficial=list(due.unofficial_years),
                legal_due=legal.isoformat(),
                previous=row.due.isoformat() if row.due else None,
            ),
        )
        changed += 1
    return changed


# --- helpers -------------------------------------------------------------------------------


def _checked(
    session: Session,
    intake: Intake,
    today: date,
    more: Callable[[Prepared], list[str]] | None = None,
) -> tuple[Intake, Prepared]:
    """The intake with normalised parties and settled default marks, or IntakeRefused with
    every problem at once: the bad fields and, through `more`, what else the outcome needs."""
    if not intake.entry_code:
        raise IntakeRefused({"entry": "请先选择事项"})
    parties = rules.check_parties(
        intake.applicant, intake.agent, today=today, confirmed=intake.confirmed
    )
    problems: dict[str, str] = dict(parties.problems)
    prepared = prepare(session, intake)
    general = [
        refusal
        for line in prepared.lines
        if (refusal := rules.status_refusal(line.material, line.status))
    ]
    if more is not None:
        general += more(prepared)
    problems.update({f"#{i}": problem for i, problem in enumerate(general)})
    if problems:
        raise IntakeRefused(problems)
    if parties.warnings:
        raise IntakeRefused({}, parties.warnings)
    intake = replace(
        intake, applicant=parties.applicant, agent=parties.agent, note=clean(intake.note)
    )
    return rules.settle_marks(intake, prepared.lines), prepared


def _identity(
    session: Session, actor: Actor, case_id: str | None, now: datetime, action: str
) -> tuple[str, str]:
    """The case's id and number: kept when resuming a notified case, else new ones. The
    lifecycle table decides whether `action` may be taken (TransitionRefused otherwise)."""
    if case_id is not None:
        row = session.get(Case, case_id)
        if row is None:
            raise UserError(f"没有这个办件：{case_id}")
        try:
            transition(row.state, action, actor.role)
        except TransitionRefused as refused:
            raise TransitionRefused(f"{row.number}：{refused.message}") from None
        return row.id, row.number
    transition(DRAFT, action, actor.role)
    # Serialise numbering with the journal's appends for this site (PostgreSQL: row lock;
    # SQLite: the write session already holds the IMMEDIATE lock).
    session.get(JournalHead, actor.site, with_for_update=True, populate_existing=True)
    stem = rules.number_stem(actor.site, now.date())
    last = session.exec(
        select(Case.number)
        # The stem and four digits: not an old-style number that happens to start alike.
        .where(col(Case.number).startswith(stem), func.length(Case.number) == len(stem) + 4)
        .order_by(col(Case.number).desc())
    ).first()
    sequence = int(last[len(stem) :]) + 1 if last else 1
    return new_id(), rules.case_number(actor.site, now.date(), sequence)


def clerk_name(session: Session, actor: Actor) -> str:
    user = session.get(UserAccount, actor.user_id) if actor.user_id else None
    return user.display_name if user else actor.username


def _record(
    actor: Actor,
    session: Session,
    case_id: str,
    number: str,
    intake: Intake,
    prepared: Prepared,
    state: str,
    now: datetime,
) -> CaseRecord:
    existing = session.get(Case, case_id)
    return CaseRecord(
        id=case_id,
        number=number,
        site=existing.site if existing else actor.site,
        state=state,
        intake=intake,
        entry_code=prepared.entry.code,
        entry_name=prepared.entry.name,
        entry_kind=prepared.entry_kind,
        item_codes=tuple(prepared.items),
        department=prepared.department,
        clerk=clerk_name(session, actor),
        created_at=existing.created_at if existing else now,
        committed_days=prepared.committed_days,
    )


def numbered(session: Session, notice: Notice) -> Notice:
    """A second notice of one kind for one case (a resumed case notified again) gets -2, -3."""
    number, count = notice.number, 1
    while session.get(CaseNotice, number) is not None:
        count += 1
        number = f"{notice.number}-{count}"
    return replace(notice, number=number)


def notice_facts(
    session: Session, actor: Actor, case: CaseRecord, prepared: Prepared, now: datetime
) -> NoticeFacts:
    """What the case's notices are composed from, as the window knows it now."""
    return NoticeFacts(
        case=case,
        checklist=[line.line for line in prepared.lines],
        items=prepared.items,
        issuer=site_name(session, actor.site),
        departments=departments(session),
        issued_at=now,
        training=is_demo(session),
    )


def _outcome_fields(case: CaseRecord, prepared: Prepared, now: datetime) -> dict[str, Any]:
    """The fields every intake outcome's payload shares (cases.events.IntakeOutcome)."""
    return {
        "case_id": case.id,
        "number": case.number,
        "entry": ev.Entry(
            code=case.entry_code,
            kind=case.entry_kind,
            name=case.entry_name,
            department=case.department,
            items=list(case.item_codes),
        ),
        "intake": to_json(case.intake),
        "clerk": case.clerk,
        "at": now.isoformat(),
        "committed_days": prepared.committed_days,
    }
