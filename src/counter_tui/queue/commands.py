"""Queue commands: every step that changes a ticket (appointments: queue.appointments). Each
checks the actor's role and records one event per state change (DESIGN §4.1).

Windows at once (issue 6): every service that decides *which* ticket changes takes the site's
journal head lock first (PostgreSQL: the row FOR UPDATE; SQLite: the write session's BEGIN
IMMEDIATE already holds the database), then reads the tickets. Two windows calling at the same
moment therefore queue up behind each other and the second sees the first's call: no ticket is
called twice, none is lost.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.clock import now_local, to_local
from counter_tui.ids import new_id
from counter_tui.journal.models import JournalHead
from counter_tui.journal.service import record
from counter_tui.queue import config as hall_config
from counter_tui.queue import events as ev
from counter_tui.queue import rules
from counter_tui.queue.config import HallConfig
from counter_tui.queue.models import QueueAppointment, QueueTicket, QueueWindow
from counter_tui.queue.projection import (
    BOOKED,
    CALLED,
    NO_SHOW,
    OPEN_STATES,
    PARKED,
    SERVING,
    WAITING,
)
from counter_tui.queue.reads import (
    STATE_LABELS,
    Ticket,
    as_waiting,
    find_row,
    get_ticket,
    hall,
    held_row,
)
from counter_tui.queue.rules import QueueRefused
from counter_tui.text import clean

#: Calls of one ticket at one call: the first, then up to 3 recalls; one more is a no-show.
MAX_RECALLS = rules.MAX_RECALLS


#: 办理结果: a finished ticket needs one (issue 6).
OUTCOMES: dict[str, str] = {
    "accepted": "已受理",
    "notified": "一次性告知",
    "consulted": "咨询解答",
    "refused": "不予受理",
    "referred": "引导转办",
    "delivered": "出件领证",
    "other": "其他",
    # Last, so that the others keep their digits in the finishing question.
    "hard_case": "办不成事受理",
}


#: Where a moved ticket goes in its new queue.
POSITIONS: dict[str, str] = {
    "keep": "保留原取号时间",
    "first": "排到最前",
    "last": "排到最后",
}


CHANNELS = ("reception", "kiosk", "appointment")


# --- the hall's set-up ----------------------------------------------------------------------


def configure(
    session: Session, actor: Actor, config: HallConfig, *, now: datetime | None = None
) -> None:
    require(actor, "queue.manage")
    now = now_local(now)
    payload = ev.HallConfigured(config=hall_config.to_dict(config), at=now.isoformat())
    record(session, actor, ev.HALL_CONFIGURED, payload)


# --- issuing ----------------------------------------------------------------------------------


def lock_site(session: Session, site: str) -> None:
    """Serialise with every other writer of this site (see the module's text)."""
    session.get(JournalHead, site, with_for_update=True, populate_existing=True)


def issue(
    session: Session,
    actor: Actor,
    category: str,
    *,
    priority_reason: str = "",
    channel: str = "reception",
    applicant_name: str = "",
    now: datetime | None = None,
    appointment: dict[str, Any] | None = None,
) -> Ticket:
    """Issue the next number of `category` for today. A priority ticket (绿色通道) names why."""
    require(actor, "queue.issue")
    now = now_local(now)
    config = hall(session, actor.site)
    prefix = category.strip().upper()
    if config.category(prefix) is None:
        known = "、".join(f"{c.prefix} {c.name}" for c in config.categories)
        raise QueueRefused(f"没有取号类别 {category}（可用：{known}）")
    if channel not in CHANNELS:
        raise QueueRefused(f"未知的取号渠道：{channel}")
    reason = clean(priority_reason).strip()
    if len(reason) > 40:
        raise QueueRefused("绿色通道原因最多 40 字")
    lock_site(session, actor.site)
    day = now.date()
    last = session.exec(
        select(func.max(QueueTicket.seq)).where(
            QueueTicket.site == actor.site,
            QueueTicket.day == day,
            QueueTicket.issued_category == prefix,
        )
    ).one()
    seq = (last or 0) + 1
    ticket_id = new_id()
    payload = ev.TicketIssued(
        ticket_id=ticket_id,
        number=rules.ticket_number(prefix, seq),
        day=day.isoformat(),
        category=prefix,
        seq=seq,
        priority=bool(reason),
        priority_reason=reason,
        channel=channel,
        applicant_name=clean(applicant_name).strip()[:100],
        at=now.isoformat(),
        **(appointment or {}),
    )
    record(session, actor, ev.TICKET_ISSUED, payload)
    return get_ticket(session, ticket_id)


# --- calling ----------------------------------------------------------------------------------


def _require_free(session: Session, site: str, window: str) -> None:
    held = held_row(session, site, window)
    if held is not None:
        what = "正在办理" if held.state == SERVING else "已叫号"
        raise QueueRefused(f"{window} 号窗口{what} {held.number}：请先办结、过号或暂离，再叫下一位")


def _window(window: str) -> str:
    value = str(window).strip()
    if not hall_config.WINDOW.match(value):
        raise QueueRefused(f"窗口号应为 1–8 位字母或数字：{window!r}")
    return value


def _candidates(
    session: Session, site: str, window: str, served: tuple[str, ...], day: date
) -> list[QueueTicket]:
    """The tickets that can be next at `window` (may_call, in SQL): every waiting appointment
    ticket (few, and whether one is in its slot depends on the time), the oldest plain priority
    ticket and the oldest normal one. queue.rules picks among these exactly as among all
    waiting tickets, but a call reads a handful of rows however long the queue is."""
    for_window = or_(
        col(QueueTicket.target_window) == window,
        and_(col(QueueTicket.target_window) == "", col(QueueTicket.category).in_(served)),
    )
    base = select(QueueTicket).where(
        QueueTicket.site == site,
        QueueTicket.state == WAITING,
        QueueTicket.day == day,
        for_window,
    )
    plain = base.where(col(QueueTicket.slot_start).is_(None))
    oldest = (col(QueueTicket.queued_at), col(QueueTicket.number))
    found = list(session.exec(base.where(col(QueueTicket.slot_start).is_not(None))).all())
    for priority in (True, False):
        row = session.exec(
            plain.where(QueueTicket.priority == priority).order_by(*oldest).limit(1)
        ).first()
        if row is not None:
            found.append(row)
    return found


def call_next(
    session: Session, actor: Actor, window: str, *, now: datetime | None = None
) -> Ticket | None:
    """Call the next ticket this window serves (queue.rules decides which); None: nobody waits."""
    require(actor, "queue.call")
    window = _window(window)
    now = now_local(now)
    lock_site(session, actor.site)
    _require_free(session, actor.site, window)
    config = hall(session, actor.site)
    sweep_missed(session, actor, config, now)
    mine = _candidates(session, actor.site, window, config.served_by(window), now.date())
    state = session.get(QueueWindow, (actor.site, window))
    streak = state.streak if state else 0
    chosen = rules.next_ticket(
        [as_waiting(r) for r in mine],
        {r.category for r in mine},
        now,
        streak=streak,
        policy=config.policy,
    )
    if chosen is None:
        return None
    streak = rules.streak_after(streak, chosen, now, config.policy)
    called = ev.TicketCalled(ticket_id=chosen.id, window=window, streak=streak, at=now.isoformat())
    record(session, actor, ev.TICKET_CALLED, called)
    return get_ticket(session, chosen.id)


def call_ticket(
    session: Session,
    actor: Actor,
    window: str,
    number: str,
    reason: str,
    *,
    now: datetime | None = None,
) -> Ticket:
    """Call one ticket out of turn (a parked applicant back, a no-show who returned, a colleague's
    request): the reason is kept with the call."""
    require(actor, "queue.call")
    window = _window(window)
    now = now_local(now)
    why = clean(reason).strip()
    if not why:
        raise QueueRefused("不按顺序叫号需写明原因")
    lock_site(session, actor.site)
    _require_free(session, actor.site, window)
    row = find_row(session, actor.site, number, now.date())
    if row.state not in (WAITING, PARKED, NO_SHOW):
        raise QueueRefused(f"{row.number} 当前{STATE_LABELS[row.state]}，不能叫号")
    if row.state == PARKED and row.window != window:
        raise QueueRefused(f"{row.number} 暂离于 {row.window} 号窗口，应由该窗口叫回")
    state = session.get(QueueWindow, (actor.site, window))
    called = ev.TicketCalled(
        ticket_id=row.id,
        window=window,
        # An out-of-turn call does not count towards the fairness streak.
        streak=state.streak if state else 0,
        reason=why[:200],
        at=now.isoformat(),
    )
    record(session, actor, ev.TICKET_CALLED, called)
    return get_ticket(session, row.id)


def _require_held(session: Session, actor: Actor, window: str, *states: str) -> QueueTicket:
    held = held_row(session, actor.site, window)
    if held is None or held.state not in states:
        if held is None:
            raise QueueRefused(f"{window} 号窗口当前没有叫号")
        raise QueueRefused(f"{held.number} 当前{STATE_LABELS[held.state]}，不能这样操作")
    return held


def _held_at(
    session: Session, actor: Actor, window: str, now: datetime | None, *states: str
) -> tuple[str, datetime, QueueTicket]:
    """The checks every step at a window starts with: the role, the window's name, the site's
    lock, and the ticket the window holds in one of `states`."""
    require(actor, "queue.call")
    window, now = _window(window), now_local(now)
    lock_site(session, actor.site)
    return window, now, _require_held(session, actor, window, *states)


def _step(session: Session, actor: Actor, type: str, payload: ev.TicketStep) -> Ticket:
    record(session, actor, type, payload)
    return get_ticket(session, payload.ticket_id)


def recall(
    session: Session,
    actor: Actor,
    window: str,
    *,
    now: datetime | None = None,
    min_interval: timedelta = rules.RECALL_MIN_INTERVAL,
) -> Ticket:
    """Call the window's ticket again; after MAX_RECALLS recalls the next one is a no-show.
    A recall less than `min_interval` after the last call is refused (the hall display would
    list the same call twice, and fast presses would make a no-show of an applicant still on
    the way); the hall's interval comes from its config file (desk.queue passes it)."""
    window, now, held = _held_at(session, actor, window, now, CALLED)
    last = to_local(held.called_at) if held.called_at else None
    too_soon = rules.recall_too_soon(last, now, min_interval)
    if too_soon:
        raise QueueRefused(too_soon)
    at = now.isoformat()
    if held.calls > MAX_RECALLS:
        no_show = ev.TicketNoShow(ticket_id=held.id, window=window, at=at)
        return _step(session, actor, ev.TICKET_NO_SHOW, no_show)
    recalled = ev.TicketRecalled(ticket_id=held.id, window=window, at=at)
    return _step(session, actor, ev.TICKET_RECALLED, recalled)


def no_show(session: Session, actor: Actor, window: str, *, now: datetime | None = None) -> Ticket:
    """过号: the applicant did not come to the window."""
    window, now, held = _held_at(session, actor, window, now, CALLED)
    payload = ev.TicketNoShow(ticket_id=held.id, window=window, at=now.isoformat())
    return _step(session, actor, ev.TICKET_NO_SHOW, payload)


def _queued_at(
    session: Session, site: str, category: str, position: str, row: QueueTicket, now: datetime
) -> datetime:
    if position not in POSITIONS:
        raise QueueRefused(f"未知的排队位置：{position}（可用：{'、'.join(POSITIONS)}）")
    if position == "keep":
        return row.issued_at
    others = (
        QueueTicket.site == site,
        QueueTicket.state == WAITING,
        QueueTicket.category == category,
        QueueTicket.day == row.day,
        QueueTicket.id != row.id,
    )
    if position == "last":  # behind everyone, even one queued this very second
        latest = session.exec(select(func.max(QueueTicket.queued_at)).where(*others)).one()
        return max(now, latest + timedelta(seconds=1)) if latest else now
    first = session.exec(select(func.min(QueueTicket.queued_at)).where(*others)).one()
    if first is None:
        return min(row.issued_at, now)
    return min(first, row.issued_at) - timedelta(seconds=1)


def requeue(
    session: Session,
    actor: Actor,
    number: str,
    *,
    position: str = "last",
    now: datetime | None = None,
) -> Ticket:
    """A no-show who came back waits again: at the back by default, or where the clerk says."""
    require(actor, "queue.call")
    now = now_local(now)
    lock_site(session, actor.site)
    row = find_row(session, actor.site, number, now.date())
    if row.state != NO_SHOW:
        raise QueueRefused(f"{row.number} 当前{STATE_LABELS[row.state]}，只有过号的票可以重新排队")
    queued_at = _queued_at(session, actor.site, row.category, position, row, now)
    payload = ev.TicketRequeued(
        ticket_id=row.id, queued_at=queued_at.isoformat(), position=position, at=now.isoformat()
    )
    record(session, actor, ev.TICKET_REQUEUED, payload)
    return get_ticket(session, row.id)


def transfer(
    session: Session,
    actor: Actor,
    window: str,
    *,
    category: str | None = None,
    target_window: str | None = None,
    position: str = "keep",
    reason: str = "",
    now: datetime | None = None,
) -> Ticket:
    """转窗: send the window's ticket to another category or one other window. It keeps its
    number and, by default, its original issue time (it does not queue again from the back)."""
    window, now, held = _held_at(session, actor, window, now, CALLED, SERVING)
    config = hall(session, actor.site)
    to_category = held.category
    if category:
        to_category = category.strip().upper()
        if config.category(to_category) is None:
            raise QueueRefused(f"没有取号类别 {category}")
    to_window = _window(target_window) if target_window else ""
    if to_window == window:
        raise QueueRefused("不能转给本窗口")
    if not category and not to_window:
        raise QueueRefused("转窗需指定类别或窗口")
    queued_at = _queued_at(session, actor.site, to_category, position, held, now)
    payload = ev.TicketTransferred(
        ticket_id=held.id,
        window=window,
        at=now.isoformat(),
        category=to_category,
        target_window=to_window,
        queued_at=queued_at.isoformat(),
        position=position,
        reason=clean(reason).strip()[:200],
    )
    return _step(session, actor, ev.TICKET_TRANSFERRED, payload)


def park(
    session: Session, actor: Actor, window: str, *, note: str = "", now: datetime | None = None
) -> Ticket:
    """暂离: the applicant fetches a document; the window calls the next one meanwhile and calls
    this ticket back by number."""
    window, now, held = _held_at(session, actor, window, now, CALLED, SERVING)
    payload = ev.TicketParked(
        ticket_id=held.id, window=window, at=now.isoformat(), note=clean(note).strip()[:200]
    )
    return _step(session, actor, ev.TICKET_PARKED, payload)


def start(session: Session, actor: Actor, window: str, *, now: datetime | None = None) -> Ticket:
    """The applicant is at the window: service time starts."""
    window, now, held = _held_at(session, actor, window, now, CALLED)
    payload = ev.TicketStarted(ticket_id=held.id, window=window, at=now.isoformat())
    return _step(session, actor, ev.TICKET_STARTED, payload)


def finish(
    session: Session,
    actor: Actor,
    window: str,
    outcome: str,
    *,
    note: str = "",
    item_codes: tuple[str, ...] | list[str] = (),
    now: datetime | None = None,
) -> Ticket:
    """办结: the ticket's service ends with an outcome (required; "other" needs a note)."""
    require(actor, "queue.call")
    if outcome not in OUTCOMES:
        options = "、".join(f"{k}（{v}）" for k, v in OUTCOMES.items())
        raise QueueRefused(f"请选择办理结果：{options}")
    text = clean(note).strip()
    if outcome == "other" and not text:
        raise QueueRefused("办理结果为“其他”时需写明说明")
    window, now, held = _held_at(session, actor, window, now, CALLED, SERVING)
    payload = ev.TicketFinished(
        ticket_id=held.id,
        window=window,
        at=now.isoformat(),
        outcome=outcome,
        note=text[:500],
        item_codes=list(dict.fromkeys(item_codes)),
    )
    return _step(session, actor, ev.TICKET_FINISHED, payload)


def link_case(
    session: Session,
    actor: Actor,
    ticket_id: str,
    case_number: str,
    *,
    item_codes: tuple[str, ...] | list[str] = (),
    now: datetime | None = None,
) -> None:
    """Tie a case the ticket produced to it, with the case's items (one ticket may produce
    several cases and so cover several items)."""
    require(actor, "queue.call")
    now = now_local(now)
    row = session.get(QueueTicket, ticket_id)
    if row is None:
        raise QueueRefused(f"没有这张号票：{ticket_id}")
    if case_number in json.loads(row.case_numbers):
        return
    payload = ev.CaseLinked(
        ticket_id=ticket_id,
        case_number=case_number,
        item_codes=list(item_codes),
        at=now.isoformat(),
    )
    record(session, actor, ev.CASE_LINKED, payload)


def close(
    session: Session, actor: Actor, ticket_id: str, reason: str, *, now: datetime | None = None
) -> Ticket:
    """Close a ticket left open from an earlier day (the hall closed while it waited)."""
    require(actor, "queue.call")
    now = now_local(now)
    why = clean(reason).strip()
    if not why:
        raise QueueRefused("关闭往日未结号票需写明原因")
    lock_site(session, actor.site)
    row = session.get(QueueTicket, ticket_id)
    if row is None or row.site != actor.site:
        raise QueueRefused(f"没有这张号票：{ticket_id}")
    if row.state not in OPEN_STATES:
        raise QueueRefused(f"{row.number} 已{STATE_LABELS[row.state]}，无需关闭")
    if row.day >= now.date():
        raise QueueRefused(f"{row.number} 是今天的号，请叫号办理或过号")
    closed = ev.TicketClosed(ticket_id=row.id, reason=why[:200], at=now.isoformat())
    record(session, actor, ev.TICKET_CLOSED, closed)
    return get_ticket(session, row.id)


def sweep_missed(session: Session, actor: Actor, config: HallConfig, now: datetime) -> int:
    """Mark booked appointments whose slot (and its grace) has passed as missed (爽约). Run
    by every call, so a no-show is on record by the time anyone looks."""
    cutoff = now - config.policy.late_grace
    rows = session.exec(
        select(QueueAppointment.id).where(
            QueueAppointment.site == actor.site,
            QueueAppointment.state == BOOKED,
            QueueAppointment.slot_end < cutoff,
        )
    ).all()
    for appointment_id in rows:
        missed = ev.AppointmentMissed(appointment_id=appointment_id, at=now.isoformat())
        record(session, actor, ev.APPOINTMENT_MISSED, missed)
    return len(rows)
