"""The follow-up loop of a bad rating (差评整改): 回访核实 → 整改 → 反馈, or an appeal (申诉复核)
that marks the rating mistaken (误评). Each step is one event; supervisors and administrators take
them (accounts.rules: ratings.followup, ratings.appeal). Also the supervisor's lists: the loops
still open, and those past their deadline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.clock import now_local, to_local
from counter_tui.feedback import events as ev
from counter_tui.feedback import rules
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.feedback.rules import RatingRefused
from counter_tui.journal.models import JournalHead
from counter_tui.journal.service import record
from counter_tui.queue.models import QueueTicket
from counter_tui.text import clean

#: Step name → (event type, payload class, what the note is called when it is missing).
_EVENTS: dict[str, tuple[str, type[ev.FollowupStep], str]] = {
    "verify": (ev.FOLLOWUP_VERIFIED, ev.FollowupVerified, "回访核实情况"),
    "fix": (ev.FOLLOWUP_FIXED, ev.FollowupFixed, "整改措施（或无法整改的依据）"),
    "close": (ev.FOLLOWUP_CLOSED, ev.FollowupClosed, "向评价人反馈的结果"),
}


@dataclass(frozen=True)
class Followup:
    """One follow-up with the rating it is about, as the lists and the screen show it."""

    rating_id: str
    site: str
    owner: str
    due: date
    state: str
    opened_at: datetime
    case_number: str
    channel: str
    level: int | None
    reasons: tuple[str, ...]
    comment: str
    clerk: str
    window: str
    rated_at: datetime
    #: The notes of the steps taken, in order: (step name, who, when, note).
    steps: tuple[tuple[str, str, datetime, str], ...] = ()
    #: The queue ticket's number for a rating of a ticket alone (no case), where known.
    ticket_number: str = ""

    @property
    def subject(self) -> str:
        """What was rated, as the lists name it: the case number, or 取号评价 and the ticket."""
        if self.case_number:
            return self.case_number
        return f"取号评价 {self.ticket_number}" if self.ticket_number else "取号评价"

    @property
    def state_label(self) -> str:
        return rules.FOLLOWUP_STATES.get(self.state, self.state)

    @property
    def next_step(self) -> str | None:
        return rules.next_step(self.state)

    @property
    def next_label(self) -> str:
        step = self.next_step
        return rules.STEPS[step][2] if step else ""

    def overdue(self, today: date) -> bool:
        return self.state in rules.UNFINISHED and self.due < today


def _steps(row: RatingFollowup) -> tuple[tuple[str, str, datetime, str], ...]:
    # An appeal stamps closed_at too (the loop ended), but no 反馈 was given.
    closed_at = row.closed_at if row.state == rules.CLOSED else None
    taken = [
        ("回访核实", row.verified_by, row.verified_at, row.verify_note),
        ("整改", row.fixed_by, row.fixed_at, row.fix_note),
        ("反馈", row.closed_by, closed_at, row.close_note),
        ("申诉复核：误评", row.appealed_by, row.appealed_at, row.appeal_reason),
    ]
    return tuple((name, who, to_local(at), note) for name, who, at, note in taken if at)


def with_ticket(query: Any) -> Any:
    """`query` (of follow-ups joined with their ratings) with the rated ticket's number too."""
    return query.add_columns(QueueTicket.number).outerjoin(
        QueueTicket, col(QueueTicket.id) == col(Rating.ticket_id)
    )


def to_followup(row: RatingFollowup, rating: Rating, ticket_number: str | None = None) -> Followup:
    return Followup(
        rating_id=row.rating_id,
        site=row.site,
        owner=row.owner,
        due=row.due,
        state=row.state,
        opened_at=to_local(row.opened_at),
        case_number=rating.case_number,
        channel=rating.channel,
        level=rating.level,
        reasons=tuple(json.loads(rating.reasons)),
        comment=rating.comment,
        clerk=rating.clerk,
        window=rating.window,
        rated_at=to_local(rating.rated_at),
        steps=_steps(row),
        ticket_number=ticket_number or "",
    )


def _row(session: Session, rating_id: str) -> tuple[RatingFollowup, Rating, str | None]:
    found = session.exec(
        with_ticket(
            select(RatingFollowup, Rating).join(
                Rating, col(Rating.id) == col(RatingFollowup.rating_id)
            )
        ).where(RatingFollowup.rating_id == rating_id)
    ).first()
    if found is None:
        raise RatingRefused(f"没有这条差评整改：{rating_id}")
    row, rating, number = found
    return row, rating, number


def _note(text: str, missing: str) -> str:
    note = clean(text, multiline=True)
    if not note:
        raise RatingRefused(f"请填写{missing}")
    if len(note) > rules.MAX_NOTE:
        raise RatingRefused(f"{missing}最多 {rules.MAX_NOTE} 字")
    return note


def take_step(
    session: Session,
    actor: Actor,
    rating_id: str,
    step: str,
    note: str,
    *,
    now: datetime | None = None,
) -> Followup:
    """Take `step` (verify, fix, close) of a follow-up: only the one its state waits for."""
    require(actor, "ratings.followup")
    if step not in _EVENTS:
        known = "、".join(f"{k} {v[2]}" for k, v in rules.STEPS.items())
        raise RatingRefused(f"未知的整改步骤：{step}（可用：{known}）")
    now = now_local(now)
    event_type, payload_class, missing = _EVENTS[step]
    text = _note(note, missing)
    session.get(JournalHead, actor.site, with_for_update=True, populate_existing=True)
    row, rating, _ = _row(session, rating_id)
    problem = rules.step_problem(step, row.state)
    if problem:
        raise RatingRefused(problem)
    payload = payload_class(
        rating_id=rating_id, at=now.isoformat(), note=text, case_id=rating.case_id
    )
    record(session, actor, event_type, payload)
    return to_followup(*_row(session, rating_id))


def appeal(
    session: Session, actor: Actor, rating_id: str, reason: str, *, now: datetime | None = None
) -> Followup:
    """申诉复核 upheld: the rating was mistaken or malicious (误评); it leaves the loop with the
    reason, and the reports leave it out of the bad ratings to follow up."""
    require(actor, "ratings.appeal")
    now = now_local(now)
    text = _note(reason, "误评的理由")
    session.get(JournalHead, actor.site, with_for_update=True, populate_existing=True)
    row, rating, _ = _row(session, rating_id)
    if row.state not in rules.UNFINISHED:
        raise RatingRefused(f"该差评整改已{rules.FOLLOWUP_STATES[row.state]}，不能再申诉复核")
    payload = ev.FollowupAppealed(
        rating_id=rating_id, at=now.isoformat(), note=text, case_id=rating.case_id
    )
    record(session, actor, ev.FOLLOWUP_APPEALED, payload)
    return to_followup(*_row(session, rating_id))


def get_followup(session: Session, rating_id: str) -> Followup:
    return to_followup(*_row(session, rating_id))


def followups(
    session: Session,
    *,
    site: str | None = None,
    states: tuple[str, ...] = rules.UNFINISHED,
    owner: str | None = None,
    due_before: date | None = None,
) -> list[Followup]:
    """Follow-ups in `states` (by default those not finished), the earliest deadline first;
    `due_before`: only those whose deadline is before that day (past due on it)."""
    query = with_ticket(
        select(RatingFollowup, Rating).join(Rating, col(Rating.id) == col(RatingFollowup.rating_id))
    )
    query = query.where(col(RatingFollowup.state).in_(states))
    if site is not None:
        query = query.where(RatingFollowup.site == site)
    if owner is not None:
        query = query.where(RatingFollowup.owner == owner)
    if due_before is not None:
        query = query.where(RatingFollowup.due < due_before)
    query = query.order_by(col(RatingFollowup.due), col(RatingFollowup.opened_at))
    return [to_followup(f, r, number) for f, r, number in session.exec(query).all()]


def not_followed_up(session: Session, *, site: str | None = None) -> list[Followup]:
    """Bad ratings nobody has called back yet (no 回访核实): what "100 % follow-up" counts."""
    return followups(session, site=site, states=(rules.OPEN,))


def overdue(session: Session, today: date, *, site: str | None = None) -> list[Followup]:
    """Unfinished follow-ups whose deadline has passed on `today`."""
    return followups(session, site=site, due_before=today)
