"""Applies rating.* and feedback.* (hard case) events to the feedback tables. Everything comes
from the payload, so replay rebuilds the tables exactly."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import Session, SQLModel, col, select

from counter_tui.cases.models import Case
from counter_tui.feedback import events as ev
from counter_tui.feedback import rules
from counter_tui.feedback.models import (
    HardCase,
    HardCaseRequest,
    HardCaseStep,
    Rating,
    RatingFollowup,
)
from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

RATING_TABLES: list[type[SQLModel]] = [Rating, RatingFollowup]


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _site_of(session: Session, event: Event, case_id: str | None) -> str:
    """The site a rating counts for: its case's (a rating recorded at the hub for a village's
    case is the village's), else the site that recorded it. The case row is read as this
    database had it when the event was first applied: replay follows the same order (`seq`),
    and a case's site never changes, so the rebuilt row is the same."""
    case = session.get(Case, case_id) if case_id else None
    return case.site if case is not None else event.site


@handles(ev.RATING_RECORDED)
def _recorded(session: Session, event: Event, payload: ev.RatingRecorded) -> None:
    session.add(
        Rating(
            id=payload.rating_id,
            site=_site_of(session, event, payload.case_id),
            kind=payload.kind,
            ticket_id=payload.ticket_id,
            case_id=payload.case_id,
            case_number=payload.case_number,
            channel=payload.channel,
            level=payload.level,
            given=payload.given,
            reasons=json.dumps(payload.reasons, ensure_ascii=False),
            comment=payload.comment,
            clerk=payload.clerk,
            window=payload.window,
            department=payload.department,
            rated_at=_at(payload.rated_at),
            recorded_by=event.actor,
        )
    )
    session.flush()


@handles(ev.FOLLOWUP_OPENED)
def _opened(session: Session, event: Event, payload: ev.FollowupOpened) -> None:
    at = _at(payload.at)
    # The follow-up counts where its rating does (the rating is applied just before it).
    rating = session.get(Rating, payload.rating_id)
    session.add(
        RatingFollowup(
            rating_id=payload.rating_id,
            site=rating.site if rating is not None else _site_of(session, event, payload.case_id),
            owner=payload.owner,
            due=date.fromisoformat(payload.due),
            state=rules.OPEN,
            opened_at=at,
            updated_at=at,
        )
    )
    session.flush()


def _followup(session: Session, payload: ev.FollowupStep) -> RatingFollowup:
    row = session.get(RatingFollowup, payload.rating_id)
    if row is None:  # a journal that steps a follow-up it never opened is corrupt
        raise LookupError(f"rating event for an unknown follow-up {payload.rating_id}")
    row.updated_at = _at(payload.at)
    session.add(row)
    return row


@handles(ev.FOLLOWUP_VERIFIED)
def _verified(session: Session, event: Event, payload: ev.FollowupVerified) -> None:
    row = _followup(session, payload)
    row.state, row.verified_at = rules.VERIFIED, _at(payload.at)
    row.verified_by, row.verify_note = event.actor, payload.note


@handles(ev.FOLLOWUP_FIXED)
def _fixed(session: Session, event: Event, payload: ev.FollowupFixed) -> None:
    row = _followup(session, payload)
    row.state, row.fixed_at = rules.FIXED, _at(payload.at)
    row.fixed_by, row.fix_note = event.actor, payload.note


@handles(ev.FOLLOWUP_CLOSED)
def _closed(session: Session, event: Event, payload: ev.FollowupClosed) -> None:
    row = _followup(session, payload)
    row.state, row.closed_at = rules.CLOSED, _at(payload.at)
    row.closed_by, row.close_note = event.actor, payload.note


@handles(ev.FOLLOWUP_APPEALED)
def _appealed(session: Session, event: Event, payload: ev.FollowupAppealed) -> None:
    row = _followup(session, payload)
    row.state, row.appealed_at = rules.MISTAKEN, _at(payload.at)
    row.appealed_by, row.appeal_reason = event.actor, payload.note
    row.closed_at = row.appealed_at


# --- hard cases (办不成事, H3) ----------------------------------------------------------------

HARD_CASE_TABLES: list[type[SQLModel]] = [HardCase, HardCaseRequest, HardCaseStep]
TABLES: list[type[SQLModel]] = RATING_TABLES + HARD_CASE_TABLES


def _hard_case(session: Session, hard_case_id: str) -> HardCase:
    row = session.get(HardCase, hard_case_id)
    if row is None:  # a journal that refers to a hard case it never opened is corrupt
        raise LookupError(f"feedback event for an unknown hard case {hard_case_id}")
    return row


def _request(session: Session, request_id: str) -> HardCaseRequest:
    row = session.get(HardCaseRequest, request_id)
    if row is None:
        raise LookupError(f"feedback event for an unknown coordination request {request_id}")
    return row


def _add_step(
    session: Session,
    event: Event,
    row: HardCase,
    at: datetime,
    kind: str,
    text: str,
    department: str = "",
) -> None:
    row.updated_at = at
    session.add(row)
    session.add(
        HardCaseStep(
            event_id=event.id,
            hard_case_id=row.id,
            at=at,
            kind=kind,
            actor=event.actor,
            department=department,
            text=text,
        )
    )


def _next_due(session: Session, row: HardCase) -> date | None:
    """The earliest reply deadline of the hard case still unanswered."""
    session.flush()
    dues: list[date] = list(
        session.exec(
            select(col(HardCaseRequest.due)).where(
                HardCaseRequest.hard_case_id == row.id, col(HardCaseRequest.replied_at).is_(None)
            )
        ).all()
    )
    return min(dues, default=None)


@handles(ev.HARD_CASE_OPENED)
def _hard_case_opened(session: Session, event: Event, p: ev.HardCaseOpened) -> None:
    at = datetime.fromisoformat(p.at)
    row = HardCase(
        id=p.hard_case_id,
        site=event.site,
        number=p.number,
        day=date.fromisoformat(p.day),
        seq=p.seq,
        state=rules.HC_ACCEPTED,
        kind=p.kind,
        problem=p.problem,
        applicant_name=p.applicant_name,
        id_type=p.id_type,
        id_number=p.id_number,
        phone=p.phone,
        origin=p.origin,
        ticket_id=p.ticket_id,
        ticket_number=p.ticket_number,
        case_number=p.case_number,
        opened_at=at,
        opened_by=event.actor,
        updated_at=at,
    )
    session.add(row)
    session.flush()
    _add_step(session, event, row, at, "opened", p.problem)


@handles(ev.HARD_CASE_INFORMED)
def _informed(session: Session, event: Event, p: ev.HardCaseInformed) -> None:
    row = _hard_case(session, p.hard_case_id)
    if row.state == rules.HC_ACCEPTED:
        row.state = rules.HC_INFORMED
    _add_step(session, event, row, datetime.fromisoformat(p.at), "informed", p.note)


@handles(ev.HARD_CASE_COORDINATED)
def _coordinated(session: Session, event: Event, p: ev.HardCaseCoordinated) -> None:
    row = _hard_case(session, p.hard_case_id)
    at = datetime.fromisoformat(p.at)
    session.add(
        HardCaseRequest(
            id=p.request_id,
            hard_case_id=row.id,
            department=p.department,
            request=p.request,
            asked_at=at,
            due=date.fromisoformat(p.due),
        )
    )
    if row.state in (rules.HC_ACCEPTED, rules.HC_INFORMED):
        row.state = rules.HC_COORDINATING
    row.next_due = _next_due(session, row)
    _add_step(session, event, row, at, "coordinated", p.request, p.department)


@handles(ev.HARD_CASE_REPLIED)
def _replied(session: Session, event: Event, p: ev.HardCaseReplied) -> None:
    row = _hard_case(session, p.hard_case_id)
    request = _request(session, p.request_id)
    at = datetime.fromisoformat(p.at)
    request.reply = p.reply
    request.replied_at = at
    request.replied_by = event.actor
    session.add(request)
    row.next_due = _next_due(session, row)
    _add_step(session, event, row, at, "replied", p.reply, request.department)


@handles(ev.HARD_CASE_SUPERVISED)
def _supervised(session: Session, event: Event, p: ev.HardCaseSupervised) -> None:
    row = _hard_case(session, p.hard_case_id)
    request = _request(session, p.request_id)
    at = datetime.fromisoformat(p.at)
    request.supervisions += 1
    request.supervised_at = at
    request.due = date.fromisoformat(p.due)
    session.add(request)
    row.state = rules.HC_SUPERVISED
    row.next_due = _next_due(session, row)
    _add_step(session, event, row, at, "supervised", p.note, request.department)


@handles(ev.HARD_CASE_CONCLUDED)
def _concluded(session: Session, event: Event, p: ev.HardCaseConcluded) -> None:
    row = _hard_case(session, p.hard_case_id)
    at = datetime.fromisoformat(p.at)
    row.state = rules.HC_CONCLUDED
    row.outcome = p.outcome
    row.explanation = p.explanation
    row.concluded_at = at
    label = rules.HARD_CASE_OUTCOMES.get(p.outcome, p.outcome)
    _add_step(session, event, row, at, "concluded", f"{label}：{p.explanation}")


@handles(ev.HARD_CASE_VISITED)
def _visited(session: Session, event: Event, p: ev.HardCaseVisited) -> None:
    row = _hard_case(session, p.hard_case_id)
    at = datetime.fromisoformat(p.at)
    row.state = rules.HC_CLOSED
    row.verdict = p.verdict
    row.verdict_note = p.note
    row.closed_at = at
    label = rules.HARD_CASE_VERDICTS.get(p.verdict, p.verdict)
    _add_step(session, event, row, at, "visited", f"{label}：{p.note}" if p.note else label)
