"""Appointments (预约): booking a slot by phone or at a window, checking in on the day, and the
no-shows after the slot. Every change is an event (DESIGN §4.1).

Rules (issue 6, DOMAIN "预约"): slots are the hall's (queue.config), on working days only
(the working-day calendar), each with a capacity. One booking per person, category and day.
On the day the applicant checks in by the appointment code or the ID number (a barcode
scanner types like a keyboard): from `early_check_in` before the slot, the ticket is an
appointment ticket called first during its slot (queue.rules); after the slot and its grace the
appointment counts as missed, and checking in then gives an ordinary ticket (marked late).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.applicants.identity import RESIDENT_ID_CARD, check_id_number
from counter_tui.applicants.masking import mask_id, mask_name
from counter_tui.applicants.rules import check_name, check_phone
from counter_tui.clock import hall_zone, now_local, to_local
from counter_tui.ids import new_id
from counter_tui.journal.service import record
from counter_tui.queue import commands as queue_commands
from counter_tui.queue import events as ev
from counter_tui.queue import reads as queue_reads
from counter_tui.queue.config import Slot
from counter_tui.queue.models import QueueAppointment
from counter_tui.queue.projection import BOOKED, CANCELLED, CHECKED_IN, MISSED
from counter_tui.queue.reads import Ticket
from counter_tui.queue.rules import QueueRefused
from counter_tui.text import clean
from counter_tui.workdays.service import calendar_for

CODE_DIGITS = 8
#: How far ahead a slot may be booked.
BOOKING_HORIZON = timedelta(days=30)
CHANNELS = {"phone": "电话预约", "window": "窗口预约"}
STATE_LABELS = {BOOKED: "已预约", CHECKED_IN: "已签到", MISSED: "爽约", CANCELLED: "已取消"}


@dataclass(frozen=True)
class Appointment:
    id: str
    code: str
    category: str
    day: date
    slot: str
    slot_start: datetime
    slot_end: datetime
    #: Masked: lists and receipts never carry the full name or number.
    name: str
    id_number: str
    state: str
    late: bool

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True)
class Opening:
    """A slot of one day with how many are booked."""

    slot: Slot
    booked: int
    capacity: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


def _to(row: QueueAppointment) -> Appointment:
    start, end = to_local(row.slot_start), to_local(row.slot_end)
    return Appointment(
        id=row.id,
        code=row.code,
        category=row.category,
        day=row.day,
        slot=f"{start:%H:%M}-{end:%H:%M}",
        slot_start=start,
        slot_end=end,
        name=mask_name(row.name),
        id_number=mask_id(row.id_number) if row.id_number else "",
        state=row.state,
        late=row.late,
    )


def _slot_times(slot: Slot, day: date, zone_of: datetime) -> tuple[datetime, datetime]:
    tz = hall_zone()  # the slot is the hall's wall-clock time, whatever zone `zone_of` is in
    return (
        datetime.combine(day, slot.start, tzinfo=tz),
        datetime.combine(day, slot.end, tzinfo=tz),
    )


def openings(
    session: Session, site: str, category: str, day: date, *, now: datetime | None = None
) -> list[Opening]:
    """The category's slots on `day` with their bookings; [] on a day off or without slots."""
    now = now_local(now)
    config = queue_reads.hall(session, site)
    found = config.category(category.strip().upper())
    if found is None or not found.slots or not calendar_for(session).is_working_day(day):
        return []
    counts = dict(
        session.exec(
            select(QueueAppointment.slot_start, func.count())
            .where(
                QueueAppointment.site == site,
                QueueAppointment.category == found.prefix,
                QueueAppointment.day == day,
                col(QueueAppointment.state).in_((BOOKED, CHECKED_IN, MISSED)),
            )
            .group_by(col(QueueAppointment.slot_start))
        ).all()
    )
    counted = {to_local(start): n for start, n in counts.items()}
    return [
        Opening(slot, counted.get(_slot_times(slot, day, now)[0], 0), found.capacity)
        for slot in found.slots
    ]


def _new_code(session: Session, draw: Callable[[int], int]) -> str:
    while True:
        code = f"{draw(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if session.exec(select(QueueAppointment.id).where(QueueAppointment.code == code)).first():
            continue
        return code


def book(
    session: Session,
    actor: Actor,
    category: str,
    day: date,
    slot: str,
    *,
    name: str,
    id_number: str,
    phone: str = "",
    id_type: str = RESIDENT_ID_CARD,
    channel: str = "phone",
    now: datetime | None = None,
    draw_code: Callable[[int], int] = secrets.randbelow,
) -> Appointment:
    """Book `slot` ("09:00-09:30") of `category` on `day`; QueueRefused says what is wrong.

    The code is the applicant's key at check-in, so it is drawn with `secrets`; the demo hall
    passes its seeded draw instead, so that a trainer's handout names the same codes for the
    same `--seed`."""
    require(actor, "queue.book")
    now = now_local(now)
    if channel not in CHANNELS:
        raise QueueRefused(f"未知的预约渠道：{channel}（可用：{'、'.join(CHANNELS)}）")
    checked_name = check_name(name)
    if not checked_name.ok:
        raise QueueRefused(checked_name.problem or "")
    checked_id = check_id_number(id_type, id_number, today=now.date())
    if not checked_id.ok:
        raise QueueRefused(checked_id.problem or "")
    checked_phone = check_phone(phone) if phone.strip() else None
    if checked_phone is not None and not checked_phone.ok:
        raise QueueRefused(checked_phone.problem or "")
    if day < now.date():
        raise QueueRefused(f"{day.isoformat()} 已经过去，不能预约")
    if day > now.date() + BOOKING_HORIZON:
        raise QueueRefused(f"最多预约 {BOOKING_HORIZON.days} 天内的时段")
    queue_commands.lock_site(session, actor.site)
    prefix = category.strip().upper()
    config = queue_reads.hall(session, actor.site)
    found = config.category(prefix)
    if found is None:
        raise QueueRefused(f"没有取号类别 {category}")
    if not found.slots:
        raise QueueRefused(f"{found.prefix} {found.name} 不接受预约")
    if not calendar_for(session).is_working_day(day):
        raise QueueRefused(f"{day.isoformat()} 不是工作日，请另选日期")
    opening = next(
        (
            o
            for o in openings(session, actor.site, prefix, day, now=now)
            if o.slot.label == slot.strip()
        ),
        None,
    )
    if opening is None:
        labels = "、".join(s.label for s in found.slots)
        raise QueueRefused(f"没有 {slot} 这个预约时段（可约：{labels}）")
    start, end = _slot_times(opening.slot, day, now)
    if start <= now:
        raise QueueRefused(f"{opening.slot.label} 时段已开始，不能再预约")
    if opening.free == 0:
        raise QueueRefused(f"{day.isoformat()} {opening.slot.label} 已约满，请另选时段")
    number = checked_id.value or ""
    twice = session.exec(
        select(QueueAppointment).where(
            QueueAppointment.site == actor.site,
            QueueAppointment.id_number == number,
            QueueAppointment.category == prefix,
            QueueAppointment.day == day,
            QueueAppointment.state == BOOKED,
        )
    ).first()
    if twice is not None:
        raise QueueRefused(
            f"此证件已预约 {day.isoformat()} {_to(twice).slot}（预约码 {twice.code}）"
        )
    appointment_id = new_id()
    booked = ev.AppointmentBooked(
        appointment_id=appointment_id,
        code=_new_code(session, draw_code),
        category=prefix,
        day=day.isoformat(),
        slot_start=start.isoformat(),
        slot_end=end.isoformat(),
        name=checked_name.value or "",
        id_number=number,
        phone=(checked_phone.value or "") if checked_phone else "",
        channel=channel,
        at=now.isoformat(),
    )
    record(session, actor, ev.APPOINTMENT_BOOKED, booked)
    row = session.get(QueueAppointment, appointment_id)
    assert row is not None
    return _to(row)


def _by_key(session: Session, site: str, key: str, today: date) -> QueueAppointment:
    text = clean(key).strip().upper()
    if not text:
        raise QueueRefused("请输入预约码或证件号码")
    if text.isdigit() and len(text) == CODE_DIGITS:
        row = session.exec(
            select(QueueAppointment).where(
                QueueAppointment.site == site, QueueAppointment.code == text
            )
        ).first()
        if row is None:
            raise QueueRefused(f"没有预约码为 {text} 的预约")
        return row
    rows = session.exec(
        select(QueueAppointment)
        .where(QueueAppointment.site == site, QueueAppointment.id_number == text)
        .order_by(col(QueueAppointment.slot_start))
    ).all()
    if not rows:
        raise QueueRefused("没有查到此证件的预约（请核对预约码或证件号码）")
    todays = [r for r in rows if r.day == today and r.state == BOOKED]
    return todays[0] if todays else rows[-1]


def check_in(
    session: Session, actor: Actor, key: str, *, now: datetime | None = None
) -> tuple[Ticket, Appointment]:
    """签到: the appointment code or ID number typed or scanned; returns the ticket issued."""
    require(actor, "queue.issue")
    now = now_local(now)
    queue_commands.lock_site(session, actor.site)
    row = _by_key(session, actor.site, key, now.date())
    when = f"{row.day.isoformat()} {_to(row).slot}"
    if row.state == CHECKED_IN:
        raise QueueRefused(f"此预约（{when}）已签到，请等候叫号")
    if row.state == CANCELLED:
        raise QueueRefused(f"此预约（{when}）已取消")
    if row.day != now.date():
        if row.day > now.date():
            raise QueueRefused(f"预约日期是 {when}，请当天来签到")
        raise QueueRefused(f"预约日期 {when} 已过，请重新取号或预约")
    config = queue_reads.hall(session, actor.site)
    start, end = to_local(row.slot_start), to_local(row.slot_end)
    opens = start - config.early_check_in
    if now < opens:
        raise QueueRefused(f"预约时段 {_to(row).slot}，{opens:%H:%M} 起可签到")
    late = now > end + config.policy.late_grace
    slot = {} if late else {"slot_start": start.isoformat(), "slot_end": end.isoformat()}
    ticket = queue_commands.issue(
        session,
        actor,
        row.category,
        channel="appointment",
        applicant_name=row.name,
        now=now,
        appointment={"appointment_id": row.id, **slot},
    )
    checked_in = ev.AppointmentCheckedIn(
        appointment_id=row.id, ticket_id=ticket.id, late=late, at=now.isoformat()
    )
    record(session, actor, ev.APPOINTMENT_CHECKED_IN, checked_in)
    return ticket, _to(row)


def cancel(
    session: Session, actor: Actor, code: str, reason: str, *, now: datetime | None = None
) -> Appointment:
    require(actor, "queue.book")
    now = now_local(now)
    why = clean(reason).strip()
    if not why:
        raise QueueRefused("取消预约需写明原因")
    row = session.exec(
        select(QueueAppointment).where(
            QueueAppointment.site == actor.site, QueueAppointment.code == code.strip()
        )
    ).first()
    if row is None:
        raise QueueRefused(f"没有预约码为 {code} 的预约")
    if row.state != BOOKED:
        raise QueueRefused(f"此预约{STATE_LABELS[row.state]}，不能取消")
    cancelled = ev.AppointmentCancelled(appointment_id=row.id, reason=why[:200], at=now.isoformat())
    record(session, actor, ev.APPOINTMENT_CANCELLED, cancelled)
    session.refresh(row)
    return _to(row)


def of_day(session: Session, site: str, day: date) -> list[Appointment]:
    rows = session.exec(
        select(QueueAppointment)
        .where(QueueAppointment.site == site, QueueAppointment.day == day)
        .order_by(col(QueueAppointment.slot_start), col(QueueAppointment.booked_at))
    ).all()
    return [_to(r) for r in rows]
