"""Applies rating.* events to the rating tables. Everything comes from the payload, so replay
rebuilds the tables exactly."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import Session, SQLModel

from counter_tui.feedback import events as ev
from counter_tui.feedback import rules
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

TABLES: list[type[SQLModel]] = [Rating, RatingFollowup]


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


@handles(ev.RATING_RECORDED)
def _recorded(session: Session, event: Event, payload: ev.RatingRecorded) -> None:
    session.add(
        Rating(
            id=payload.rating_id,
            site=event.site,
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
    session.add(
        RatingFollowup(
            rating_id=payload.rating_id,
            site=event.site,
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
