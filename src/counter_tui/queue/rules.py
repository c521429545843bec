"""Who is called next at a window, and how tickets are numbered. Pure: no I/O.

The order (issue 6, DESIGN glossary 叫号 · 预约 · 绿色通道):
1. checked-in appointments whose slot has begun (and not yet ended past the late grace), by
   slot start, then check-in time;
2. priority tickets (绿色通道: the elderly, the disabled, the pregnant …), by queue time;
3. everyone else, first come first served, by queue time.

Fairness: classes 1 and 2 never shut out class 3. Once a window has made `max_streak`
consecutive calls out of the first two classes, its next call is the oldest normal ticket it
serves, if one waits. The oldest normal ticket a window serves is therefore called within
`max_streak + 1` calls of that window, however many priority tickets keep arriving.

Queue time, not issue time, orders a queue: a ticket transferred to another category keeps its
original issue time (so it keeps its place), or goes to the front or the back when the clerk
says so; the service sets `queued_at` accordingly. A parked ticket (the applicant went to fetch
a document) is not called by "next": its window calls it back by number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from counter_tui.errors import UserError


class QueueRefused(UserError):
    """A queue step cannot be taken now (or a ticket is not there); the message says why and
    what to do instead."""


#: The three classes of the calling order, best first.
APPOINTMENT, PRIORITY, NORMAL = 0, 1, 2


@dataclass(frozen=True)
class Waiting:
    """A ticket waiting to be called, as far as the order cares."""

    id: str
    number: str
    category: str
    #: When it joined the queue it is in (its issue time unless moved; see the module's text).
    queued_at: datetime
    priority: bool = False
    #: A checked-in appointment: its slot.
    slot_start: datetime | None = None
    slot_end: datetime | None = None


@dataclass(frozen=True)
class CallPolicy:
    """A hall's numbers for the calling order (configurable: no national rule fixes them)."""

    #: Consecutive appointment or priority calls at a window after which a waiting normal
    #: ticket goes first.
    max_streak: int = 3
    #: How long after its slot has ended a checked-in appointment still goes first.
    late_grace: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.max_streak < 1:
            raise ValueError(f"max_streak must be at least 1: {self.max_streak}")
        if self.late_grace < timedelta(0):
            raise ValueError(f"late_grace must not be negative: {self.late_grace}")


def call_class(ticket: Waiting, now: datetime, policy: CallPolicy) -> int:
    """APPOINTMENT for a checked-in appointment within its slot (plus the late grace),
    PRIORITY for a priority ticket, else NORMAL. An appointment before its slot, or long after
    it, waits like any ticket (a priority one still as priority)."""
    if ticket.slot_start is not None and ticket.slot_start <= now:
        end = ticket.slot_end or ticket.slot_start
        if now <= end + policy.late_grace:
            return APPOINTMENT
    return PRIORITY if ticket.priority else NORMAL


def order(tickets: Iterable[Waiting], now: datetime, policy: CallPolicy) -> list[Waiting]:
    """The waiting tickets in calling order, before the fairness rule."""

    def key(ticket: Waiting) -> tuple[int, datetime, datetime, str]:
        cls = call_class(ticket, now, policy)
        first = ticket.slot_start if cls == APPOINTMENT and ticket.slot_start else ticket.queued_at
        return (cls, first, ticket.queued_at, ticket.number)

    return sorted(tickets, key=key)


def next_ticket(
    tickets: Iterable[Waiting],
    categories: Iterable[str],
    now: datetime,
    *,
    streak: int = 0,
    policy: CallPolicy | None = None,
) -> Waiting | None:
    """The ticket a window serving `categories` calls next, or None when nobody waits.

    `streak` is how many calls in a row this window has made out of the appointment and
    priority classes (the service counts it from the window's last calls).
    """
    policy = policy or CallPolicy()
    served = set(categories)
    ranked = order((t for t in tickets if t.category in served), now, policy)
    if not ranked:
        return None
    if streak >= policy.max_streak and call_class(ranked[0], now, policy) != NORMAL:
        for ticket in ranked:
            if call_class(ticket, now, policy) == NORMAL:
                return ticket
    return ranked[0]


def streak_after(streak: int, called: Waiting, now: datetime, policy: CallPolicy) -> int:
    """The window's streak once `called` is called: reset by a normal ticket."""
    return 0 if call_class(called, now, policy) == NORMAL else streak + 1


def ticket_number(prefix: str, n: int) -> str:
    """A001 … A999, then A1000: three digits at least, never a repeated number in a day."""
    if n < 1:
        raise ValueError(f"ticket numbers start at 1: {n}")
    return f"{prefix}{n:03d}"


def waiting_positions(
    tickets: Sequence[Waiting], now: datetime, policy: CallPolicy
) -> dict[str, int]:
    """Ticket id → how many are ahead of it in its own category (0: next), for the hall
    display and the ticket slip ("前面还有 3 人")."""
    positions: dict[str, int] = {}
    ahead: dict[str, int] = {}
    for ticket in order(tickets, now, policy):
        positions[ticket.id] = ahead.get(ticket.category, 0)
        ahead[ticket.category] = positions[ticket.id] + 1
    return positions


#: Calls of one ticket at one call: the first, then up to 3 recalls; one more is a no-show.
MAX_RECALLS = 3

#: The usual reasons for 绿色通道, offered as a pick list where a ticket is issued (其他: typed).
PRIORITY_REASONS = ("老年人", "残疾人", "孕妇", "军人优抚")


#: The shortest time between two calls of one ticket (issue 15: three fast presses made three
#: recalls within three seconds, and the hall display listed the same time twice). A hall sets
#: its own in the config file ([queue] recall_min_interval_seconds).
RECALL_MIN_INTERVAL = timedelta(seconds=30)


def recall_too_soon(last_call: datetime | None, now: datetime, minimum: timedelta) -> str | None:
    """Why a recall at `now` is refused (the last call was less than `minimum` ago), or None."""
    if last_call is None or minimum <= timedelta(0):
        return None
    since = max(0, int((now - last_call).total_seconds()))
    if since >= minimum.total_seconds():
        return None
    wait = int(minimum.total_seconds()) - since
    return f"距上次呼叫仅 {since} 秒，请 {wait} 秒后再重呼"


#: Case states that mean the ticket's business was accepted (whatever happened to it since).
_ACCEPTED_STATES = frozenset(
    {
        "accepted",
        "handed_off",
        "in_review",
        "correction_requested",
        "suspended",
        "approved",
        "denied",
        "completed",
    }
)


def proposed_outcome(case_states: Iterable[str]) -> str:
    """The 办理结果 the cases a ticket produced imply (queue.commands.OUTCOMES), proposed when
    the clerk finishes it: an accepted case makes it 已受理, then a delivered one 出件领证, a
    refused one 不予受理, notified ones only 一次性告知; no case, 咨询解答."""
    states = set(case_states)
    if states & _ACCEPTED_STATES:
        return "accepted"
    for state, outcome in (("delivered", "delivered"), ("refused", "refused")):
        if state in states:
            return outcome
    if "notified" in states:
        return "notified"
    return "consulted"
