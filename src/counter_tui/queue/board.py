"""What the hall display and `queue status` show: the current calls, the last calls and how many
wait per category. Read-only, and cheap enough to run every few hundred milliseconds.

Names are masked here, once (DESIGN §4.8): nothing on a board carries a full name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from counter_tui.applicants.masking import mask_name
from counter_tui.clock import now_local, to_local
from counter_tui.journal.models import JournalHead
from counter_tui.queue.events import TICKET_CALLED, TICKET_RECALLED, step_kind
from counter_tui.queue.models import QueueStep, QueueTicket
from counter_tui.queue.projection import CALLED, OPEN_STATES, SERVING, WAITING
from counter_tui.queue.reads import hall

CALL_KINDS = (step_kind(TICKET_CALLED), step_kind(TICKET_RECALLED))


@dataclass(frozen=True)
class Call:
    """A ticket called to a window."""

    number: str
    window: str
    at: datetime
    #: The masked name, or "".
    name: str = ""
    #: 1 at the first call, 2 at the first recall …
    calls: int = 1
    serving: bool = False


@dataclass(frozen=True)
class Waiting:
    prefix: str
    name: str
    count: int


@dataclass(frozen=True)
class Board:
    day: date
    #: Windows with a ticket called or in service, the latest call first.
    current: tuple[Call, ...]
    #: The latest calls and recalls of the day, newest first.
    recent: tuple[Call, ...]
    waiting: tuple[Waiting, ...]
    #: Tickets of earlier days still open.
    leftovers: int


def marker(session: Session, site: str) -> int:
    """Changes whenever anything is recorded for the site: the display redraws only then."""
    head = session.get(JournalHead, site)
    return head.count if head else 0


def board(session: Session, site: str, now: datetime, *, recent: int = 8) -> Board:
    today = now_local(now).date()
    config = hall(session, site)
    counts = dict(
        session.exec(
            select(QueueTicket.category, func.count())
            .where(
                QueueTicket.site == site,
                QueueTicket.day == today,
                QueueTicket.state == WAITING,
            )
            .group_by(col(QueueTicket.category))
        ).all()
    )
    held = session.exec(
        select(QueueTicket)
        .where(QueueTicket.site == site, col(QueueTicket.state).in_((CALLED, SERVING)))
        .order_by(col(QueueTicket.called_at).desc(), col(QueueTicket.id).desc())
    ).all()
    current = tuple(
        Call(
            number=t.number,
            window=t.window,
            at=to_local(t.called_at or t.updated_at),
            name=mask_name(t.applicant_name) if t.applicant_name else "",
            calls=t.calls,
            serving=t.state == SERVING,
        )
        for t in held
    )
    steps = session.exec(
        select(QueueStep, QueueTicket.number, QueueTicket.applicant_name)
        .join(QueueTicket, col(QueueTicket.id) == col(QueueStep.ticket_id))
        .where(
            QueueStep.site == site,
            QueueStep.day == today,
            col(QueueStep.kind).in_(CALL_KINDS),
        )
        .order_by(col(QueueStep.at).desc(), col(QueueStep.event_id).desc())
        .limit(recent)
    ).all()
    last = tuple(
        Call(
            number=number,
            window=step.window,
            at=to_local(step.at),
            name=mask_name(name) if name else "",
        )
        for step, number, name in steps
    )
    leftovers = session.exec(
        select(func.count()).where(
            QueueTicket.site == site,
            QueueTicket.day < today,
            col(QueueTicket.state).in_(OPEN_STATES),
        )
    ).one()
    waiting = tuple(Waiting(c.prefix, c.name, counts.get(c.prefix, 0)) for c in config.categories)
    return Board(today, current, last, waiting, leftovers)
