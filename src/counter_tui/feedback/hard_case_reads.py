"""Reading hard cases: the open list (due first), one hard case with its timeline, and what is
due for 督办. Personal data is masked for everyone but the hall's own clerks (DESIGN §4.8).
Nothing here writes (feedback.hard_cases does)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from counter_tui.accounts.service import display_names
from counter_tui.actor import Actor, machine_actor
from counter_tui.applicants import mask_id, mask_name, mask_phone
from counter_tui.clock import to_local
from counter_tui.feedback import rules
from counter_tui.feedback.hard_cases import find
from counter_tui.feedback.models import HardCase, HardCaseRequest, HardCaseStep

#: Roles that see the applicant unmasked, at the hall that holds the record.
SEES_APPLICANT = frozenset({"clerk", "trainer"})


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class HardCaseLine:
    """One row of the open list."""

    id: str
    number: str
    state: str
    kind: str
    applicant: str
    problem: str
    opened_at: datetime
    next_due: date | None
    #: A reply deadline has passed unanswered: due for 督办.
    overdue: bool

    @property
    def state_label(self) -> str:
        return rules.HARD_CASE_STATES.get(self.state, self.state)

    @property
    def kind_label(self) -> str:
        return rules.HARD_CASE_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Request:
    id: str
    department: str
    request: str
    due: date
    reply: str
    replied_at: datetime | None
    supervisions: int
    overdue: bool


@dataclass(frozen=True)
class Step:
    at: datetime
    kind: str
    who: str
    department: str
    text: str

    @property
    def label(self) -> str:
        return rules.HARD_CASE_STEPS.get(self.kind, self.kind)


@dataclass(frozen=True)
class HardCaseView:
    """One hard case in full, as `viewer` may see it."""

    id: str
    number: str
    site: str
    state: str
    kind: str
    problem: str
    applicant: Applicant
    origin: str
    ticket_number: str
    case_number: str
    opened_at: datetime
    outcome: str
    explanation: str
    verdict: str
    verdict_note: str
    requests: list[Request]
    steps: list[Step]

    @property
    def state_label(self) -> str:
        return rules.HARD_CASE_STATES.get(self.state, self.state)

    @property
    def kind_label(self) -> str:
        return rules.HARD_CASE_KINDS.get(self.kind, self.kind)

    @property
    def origin_label(self) -> str:
        if self.origin == "ticket":
            return f"取号 {self.ticket_number}"
        if self.origin == "case":
            return f"办件 {self.case_number}"
        return rules.HARD_CASE_ORIGINS.get(self.origin, self.origin)

    @property
    def awaited(self) -> list[Request]:
        """Requests still waiting for their department's reply."""
        return [r for r in self.requests if r.replied_at is None]


def applicant_of(row: HardCase, viewer: Actor | None) -> Applicant:
    if viewer is not None and viewer.role in SEES_APPLICANT and viewer.site == row.site:
        return Applicant(row.applicant_name, row.id_number, row.phone)
    return Applicant(
        mask_name(row.applicant_name),
        mask_id(row.id_number) if row.id_number else "",
        mask_phone(row.phone) if row.phone else "",
    )


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def open_hard_cases(session: Session, viewer: Actor | None, today: date) -> list[HardCaseLine]:
    """Hard cases not yet closed by a 回访: those due for 督办 first, then by the nearest reply
    deadline, then the oldest."""
    rows = session.exec(
        select(HardCase).where(col(HardCase.state).in_(rules.HARD_CASE_OPEN_STATES))
    ).all()
    lines = [
        HardCaseLine(
            id=row.id,
            number=row.number,
            state=row.state,
            kind=row.kind,
            applicant=applicant_of(row, viewer).name,
            problem=_first_line(row.problem),
            opened_at=to_local(row.opened_at),
            next_due=row.next_due,
            overdue=row.next_due is not None and row.next_due < today,
        )
        for row in rows
    ]
    return sorted(
        lines,
        key=lambda line: (
            not line.overdue,
            line.next_due is None,
            line.next_due or date.max,
            line.opened_at,
        ),
    )


def due_for_supervision(session: Session, today: date) -> list[tuple[HardCase, HardCaseRequest]]:
    """Coordination requests whose reply deadline has passed unanswered: what a supervisor
    should 督办, the oldest deadline first."""
    rows = session.exec(
        select(HardCase, HardCaseRequest)
        .join(HardCaseRequest, col(HardCaseRequest.hard_case_id) == col(HardCase.id))
        .where(
            col(HardCaseRequest.replied_at).is_(None),
            col(HardCaseRequest.due) < today,
            col(HardCase.state).in_(rules.HARD_CASE_OPEN_STATES),
        )
        .order_by(col(HardCaseRequest.due), col(HardCase.number))
    ).all()
    return [(case, request) for case, request in rows]


def view(session: Session, site: str, ref: str, viewer: Actor | None, today: date) -> HardCaseView:
    row = find(session, site, ref)
    requests = session.exec(
        select(HardCaseRequest)
        .where(HardCaseRequest.hard_case_id == row.id)
        .order_by(col(HardCaseRequest.asked_at), col(HardCaseRequest.id))
    ).all()
    steps = session.exec(
        select(HardCaseStep)
        .where(HardCaseStep.hard_case_id == row.id)
        .order_by(col(HardCaseStep.at), col(HardCaseStep.event_id))
    ).all()
    names = display_names(session, {(row.site, s.actor) for s in steps})
    return HardCaseView(
        id=row.id,
        number=row.number,
        site=row.site,
        state=row.state,
        kind=row.kind,
        problem=row.problem,
        applicant=applicant_of(row, viewer),
        origin=row.origin,
        ticket_number=row.ticket_number,
        case_number=row.case_number,
        opened_at=to_local(row.opened_at),
        outcome=row.outcome,
        explanation=row.explanation,
        verdict=row.verdict,
        verdict_note=row.verdict_note,
        requests=[
            Request(
                id=r.id,
                department=r.department,
                request=r.request,
                due=r.due,
                reply=r.reply,
                replied_at=to_local(r.replied_at) if r.replied_at else None,
                supervisions=r.supervisions,
                overdue=rules.overdue(r.due, today, r.replied_at is not None),
            )
            for r in requests
        ],
        steps=[
            Step(
                at=to_local(s.at),
                kind=s.kind,
                who=names.get((row.site, s.actor)) or machine_actor(s.actor),
                department=s.department,
                text=s.text,
            )
            for s in steps
        ],
    )
