"""The rating pad's door (`counter-tui rating-pad`): which services just ended at a window and
still wait for the applicant's rating, and recording the answer (or 未评价).

Where the pad stands (which ends it has handled) is not kept in a file of its own nor in a
journal event: every prompt the pad shows ends in a `rating` row (given or 未评价), so "not yet
rated" is read from the database, and only ends younger than the pad's time-out are offered —
an older one would time out the moment it was shown, its applicant is gone. So a restarted pad
shows again the prompt it was showing (the applicant may still be there), never an old service,
and a pad replaced by another PC needs nothing copied over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from counter_tui.accounts.models import UserAccount
from counter_tui.applicants.masking import mask_name
from counter_tui.cases.events import CASE_DELIVERED
from counter_tui.cases.models import Case, CaseStep
from counter_tui.clock import to_local
from counter_tui.db import read_session
from counter_tui.desk.door import Door
from counter_tui.feedback.models import Rating
from counter_tui.feedback.rules import CASE, SERVICE
from counter_tui.queue.models import QueueTicket
from counter_tui.queue.projection import FINISHED


@dataclass(frozen=True)
class ServiceEnd:
    """A ticket finished (一次一评) or a case delivered in person (一事一评) at a window."""

    kind: str
    ended_at: datetime
    window: str
    #: The clerk's user name, and the name on the account (the user name when unknown here).
    clerk: str
    clerk_name: str
    #: The applicant's name, masked (DESIGN §4.8), or "".
    applicant: str
    #: The ticket finished, or the ticket held while the case was delivered (None: no ticket).
    ticket_id: str | None = None
    ticket_number: str = ""
    case_id: str | None = None
    case_number: str = ""
    department: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """What one rating is given for: the ticket (一次一评) or the case (一事一评)."""
        return (self.kind, (self.ticket_id if self.kind == SERVICE else self.case_id) or "")

    @property
    def visit(self) -> str:
        """The applicant's visit: its ticket. A delivery made while a ticket was held belongs
        to that ticket's visit, so the pad asks for both in turn instead of dropping one."""
        return self.ticket_id or self.key[1]


class PadDoor(Door):
    def pending(self, window: str, now: datetime, within: timedelta) -> list[ServiceEnd]:
        """Ends at `window` in the last `within` with no rating yet, oldest first."""
        since = to_local(now) - within
        with read_session(self.engine) as session:
            ends = _finished(session, self.node.site, window, since)
            ends += _delivered(session, self.node.site, window, since)
            rated = _rated(session, ends)
            names = _clerk_names(session, self.node.site, {e.clerk for e in ends})
        ends = [e for e in ends if e.key not in rated]
        ends = [_named(e, names) for e in ends]
        return sorted(ends, key=lambda e: e.ended_at)


def _named(end: ServiceEnd, names: dict[str, str]) -> ServiceEnd:
    return replace(end, clerk_name=names.get(end.clerk, end.clerk))


def _finished(session: Session, site: str, window: str, since: datetime) -> list[ServiceEnd]:
    rows = session.exec(
        select(QueueTicket).where(
            QueueTicket.site == site,
            QueueTicket.window == window,
            QueueTicket.state == FINISHED,
            col(QueueTicket.finished_at) >= since,
        )
    ).all()
    return [
        ServiceEnd(
            kind=SERVICE,
            ended_at=to_local(t.finished_at or t.updated_at),
            window=t.window,
            clerk=t.clerk,
            clerk_name=t.clerk,
            applicant=mask_name(t.applicant_name) if t.applicant_name else "",
            ticket_id=t.id,
            ticket_number=t.number,
            case_number=_first_case(t.case_numbers),
        )
        for t in rows
    ]


def _first_case(numbers: str) -> str:
    found = json.loads(numbers or "[]")
    return str(found[0]) if len(found) == 1 else ""


def _delivered(session: Session, site: str, window: str, since: datetime) -> list[ServiceEnd]:
    """Cases handed over in person at `window` since `since`.

    The window of a delivery is that of the ticket its clerk held when delivering (in service
    before, not finished before); a clerk who delivers without a ticket called
    wakes no pad: no window is known. Mail and electronic delivery happen at no window."""
    rows = session.exec(
        select(Case, CaseStep.actor)
        .join(CaseStep, col(CaseStep.case_id) == col(Case.id))
        .where(
            Case.site == site,
            col(Case.delivered_at) >= since,
            CaseStep.type == CASE_DELIVERED,
        )
    ).all()
    ends = []
    for case, clerk in rows:
        if _method(case.delivery) != "pickup" or case.delivered_at is None:
            continue
        held = _held_ticket(session, site, clerk, case.delivered_at)
        if held is None or held.window != window:
            continue
        ends.append(
            ServiceEnd(
                kind=CASE,
                ended_at=to_local(case.delivered_at),
                window=window,
                clerk=clerk,
                clerk_name=clerk,
                applicant=mask_name(case.applicant_name) if case.applicant_name else "",
                ticket_id=held.id,
                ticket_number=held.number,
                case_id=case.id,
                case_number=case.number,
                department=case.department,
            )
        )
    return ends


def _method(delivery: str) -> str:
    try:
        found = json.loads(delivery or "{}")
    except ValueError:
        return ""
    return str(found.get("method", "")) if isinstance(found, dict) else ""


def _held_ticket(session: Session, site: str, clerk: str, at: datetime) -> QueueTicket | None:
    return session.exec(
        select(QueueTicket)
        .where(
            QueueTicket.site == site,
            QueueTicket.clerk == clerk,
            col(QueueTicket.started_at) <= at,
            or_(col(QueueTicket.finished_at).is_(None), col(QueueTicket.finished_at) >= at),
        )
        .order_by(col(QueueTicket.started_at).desc())
        .limit(1)
    ).first()


def _rated(session: Session, ends: list[ServiceEnd]) -> set[tuple[str, str]]:
    """The keys of `ends` that have a rating already (given or 未评价)."""
    tickets = [e.ticket_id for e in ends if e.kind == SERVICE and e.ticket_id]
    cases = [e.case_id for e in ends if e.kind == CASE and e.case_id]
    rated: set[tuple[str, str]] = set()
    if tickets:
        query = select(Rating.ticket_id).where(
            Rating.kind == SERVICE, col(Rating.ticket_id).in_(tickets)
        )
        rated |= {(SERVICE, t) for t in session.exec(query).all() if t}
    if cases:
        query = select(Rating.case_id).where(Rating.kind == CASE, col(Rating.case_id).in_(cases))
        rated |= {(CASE, c) for c in session.exec(query).all() if c}
    return rated


def _clerk_names(session: Session, site: str, usernames: set[str]) -> dict[str, str]:
    if not usernames:
        return {}
    rows = session.exec(
        select(UserAccount.username, UserAccount.display_name).where(
            UserAccount.site == site, col(UserAccount.username).in_(usernames)
        )
    ).all()
    return {username: name for username, name in rows if name}
