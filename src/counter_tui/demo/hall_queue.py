"""The demo hall's queue today: its set-up (categories, appointment slots), the tickets served
this morning at windows 2 and 3 (one a no-show), and the queue waiting for the trainee at
window 1: walk-ins, priority tickets (绿色通道) and the day's appointments, some checked in, some
still to come.

Times are fractions of the morning so far (from the 08:30 opening to the hall's now), so the
same seed gives the same queue whatever the hour the demo starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from counter_tui.clock import to_local

if TYPE_CHECKING:
    from sqlmodel import Session

    from counter_tui.demo.hall import HallContext

#: Half-hour appointment slots through the day, for the categories that take appointments.
SLOTS = [
    f"{h:02d}:{m:02d}-{h + (m + 30) // 60:02d}:{(m + 30) % 60:02d}"
    for h in range(8, 18)
    for m in (0, 30)
][1:-1]
#: Appointments per slot.
CAPACITY = 4
CATEGORIES = {
    "A": {"name": "综合受理", "slots": SLOTS, "capacity": CAPACITY},
    "B": {"name": "不动产登记"},
    "C": {"name": "社保医保", "slots": SLOTS, "capacity": CAPACITY},
    "D": {"name": "企业开办"},
    "V": {"name": "办不成事·帮代办"},
}
#: Served this morning, at windows 2 and 3 in turn (the last of them a no-show).
SERVED_TODAY = 6
#: Walk-ins waiting, by category, and the priority tickets (category, why).
WALK_INS = {"A": 5, "B": 2, "C": 3, "D": 2}
PRIORITY = (("A", "七十岁以上老人"), ("C", "残疾人"))
#: Today's appointments (booked yesterday by phone): checked in and waiting, and still to come.
APPOINTMENTS_CHECKED_IN = 3
APPOINTMENTS_TO_COME = 4
#: What this morning's served tickets came for.
MORNING_OUTCOMES = ("consulted", "delivered", "consulted", "referred", "consulted")
#: The hall was set up this many working days ago, before anything else it holds.
CONFIGURED_BACK = 30


def configure_hall(ctx: HallContext) -> None:
    from counter_tui.queue import commands, config

    setup = config.from_dict({"categories": CATEGORIES, "target_wait_minutes": 20})
    since = to_local(datetime.combine(ctx.working_day(CONFIGURED_BACK), time(8, 0)))
    commands.configure(ctx.session, ctx.operator, setup, now=since)


def _morning(ctx: HallContext, share: float) -> datetime:
    """`share` of the way from this morning's opening to the hall's now."""
    opening = to_local(datetime.combine(ctx.today, time(8, 30)))
    return opening + (ctx.now - opening) * share


def today_queue(ctx: HallContext) -> None:
    _served_this_morning(ctx)
    appointments = _book_appointments(ctx)
    arrivals: list[tuple[datetime, int, str, str]] = []
    n = 0
    for category, count in WALK_INS.items():
        for _ in range(count):
            arrivals.append((_morning(ctx, ctx.rng.uniform(0.62, 0.99)), n, category, ""))
            n += 1
    for category, reason in PRIORITY:
        arrivals.append((_morning(ctx, ctx.rng.uniform(0.75, 0.99)), n, category, reason))
        n += 1
    for j, (code, start) in enumerate(appointments[:APPOINTMENTS_CHECKED_IN]):
        early = start - timedelta(minutes=25)
        arrivals.append((max(_morning(ctx, 0.7 + 0.08 * j), early), n, "@", code))
        n += 1
    _arrive(ctx, sorted(arrivals))


def _served_this_morning(ctx: HallContext) -> None:
    from counter_tui.demo.hall_history import rate
    from counter_tui.queue import commands

    kiosk = ctx.actor("clerk2")
    for i in range(SERVED_TODAY):
        window = "2" if i % 2 == 0 else "3"
        clerk = ctx.actor("clerk2" if window == "2" else "clerk3")
        issued = _morning(ctx, 0.05 + 0.08 * i)
        commands.issue(ctx.session, kiosk, ctx.rng.choice("AACD"), channel="kiosk", now=issued)
        called = _morning(ctx, 0.07 + 0.08 * i)
        commands.call_next(ctx.session, clerk, window, now=called)
        if i == SERVED_TODAY - 1:
            commands.no_show(ctx.session, clerk, window, now=called + timedelta(minutes=3))
            continue
        started = called + timedelta(seconds=40)
        commands.start(ctx.session, clerk, window, now=started)
        finished = _morning(ctx, 0.125 + 0.08 * i)
        ticket = commands.finish(
            ctx.session, clerk, window, MORNING_OUTCOMES[i % len(MORNING_OUTCOMES)], now=finished
        )
        if i % 2 == 0:
            rate(ctx, clerk, ticket.id, ctx.rng.choice((1, 1, 2)), finished)


def _book_appointments(ctx: HallContext) -> list[tuple[str, datetime]]:
    """Book today's appointments (yesterday, by phone); returns (code, slot start) of each,
    the ones to check in first: the slots around now, then the slots still ahead."""
    from counter_tui.queue import appointments
    from counter_tui.queue.config import SLOT

    if not ctx.calendar.is_working_day(ctx.today):
        return []  # the hall takes no appointments on a day off
    booker = ctx.actor("clerk2")
    yesterday = to_local(datetime.combine(ctx.today - timedelta(days=1), time(10, 0)))
    starts = []
    for label in SLOTS:
        match = SLOT.match(label)
        assert match is not None
        h, m = int(match.group(1)), int(match.group(2))
        starts.append((label, to_local(datetime.combine(ctx.today, time(h, m)))))
    # Check-in opens 30 minutes before a slot and an appointment is late 15 minutes after it.
    now_slots = [
        (label, start)
        for label, start in starts
        if start - timedelta(minutes=30) <= ctx.now <= start + timedelta(minutes=45)
    ]
    ahead = [(label, start) for label, start in starts if start > ctx.now]
    plan = [now_slots[j % len(now_slots)] for j in range(APPOINTMENTS_CHECKED_IN)]
    plan += [ahead[j % len(ahead)] for j in range(APPOINTMENTS_TO_COME)]
    booked = []
    for j, (label, start) in enumerate(plan):
        person = ctx.people.person()
        made = appointments.book(
            ctx.session,
            booker,
            "A" if j % 3 else "C",
            ctx.today,
            label,
            name=person.name,
            id_number=person.id_number,
            phone=person.phone,
            now=yesterday + timedelta(minutes=7 * j),
            draw_code=ctx.rng.randrange,
        )
        booked.append((made.code, start))
    return booked


def _arrive(ctx: HallContext, arrivals: list[tuple[datetime, int, str, str]]) -> None:
    from counter_tui.queue import appointments, commands

    reception = ctx.actor("clerk2")
    for at, _, category, detail in arrivals:
        if category == "@":
            appointments.check_in(ctx.session, reception, detail, now=at)
        elif detail:
            person = ctx.people.person(min_age=70) if "老人" in detail else ctx.people.person()
            commands.issue(
                ctx.session,
                reception,
                category,
                priority_reason=detail,
                channel="reception",
                applicant_name=person.name,
                now=at,
            )
        else:
            commands.issue(ctx.session, reception, category, channel="kiosk", now=at)


@dataclass(frozen=True)
class QueueFigures:
    waiting: int
    priority: int
    appointments_today: int
    appointments_checked_in: int


def queue_figures(session: Session, site: str, now: datetime) -> QueueFigures:
    """What the trainee's queue screen counts (tests check it against the constants above)."""
    from counter_tui.queue import appointments
    from counter_tui.queue.projection import CHECKED_IN
    from counter_tui.queue.reads import waiting

    queue = waiting(session, site, now)
    booked = appointments.of_day(session, site, now.date())
    return QueueFigures(
        waiting=len(queue),
        priority=sum(1 for t in queue if t.priority),
        appointments_today=len(booked),
        appointments_checked_in=sum(1 for a in booked if a.state == CHECKED_IN),
    )
