"""The demo hall's last working days: tickets issued, called, served and finished at windows 1-3,
most of them rated at the window's pad (好差评), one of them badly, so that the statistics, the
rankings and the bad-rating follow-up have something to show on the first day of a course.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from counter_tui.clock import to_local

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.demo.hall import HallContext

#: Working days of finished tickets before today.
DAYS = 5
#: Tickets a day: at least, at most (drawn).
TICKETS_A_DAY = (6, 8)
#: Windows and their clerks.
WINDOWS = {"1": "clerk", "2": "clerk2", "3": "clerk3"}
#: What the past tickets came for, weighted as a county hall's day.
OUTCOMES = (
    ("consulted", 4),
    ("accepted", 4),
    ("delivered", 2),
    ("notified", 1),
    ("referred", 1),
)
#: Rating levels given at the pad (1 非常满意 … 3 基本满意), weighted; 4-5 are 差评.
GOOD_LEVELS = ((1, 6), (2, 3), (3, 1))
#: The bad rating: on this working day back, of that day's ticket at this index.
BAD_DAY, BAD_TICKET = 2, 3
BAD_REASONS = ("slow",)
BAD_COMMENT = "排队一个多小时，窗口办得太慢"
#: Share of finished tickets rated at the pad (the others walked away without pressing).
RATED_SHARE = 0.6


def rate(ctx: HallContext, clerk: Actor, ticket_id: str, level: int, at: datetime) -> None:
    """A rating at the window's pad, a minute after the ticket was finished."""
    from counter_tui.feedback.ratings import record_rating

    when = at + timedelta(minutes=1)
    reasons = BAD_REASONS if level >= 4 else ()
    record_rating(
        ctx.session,
        clerk,
        kind="service",
        channel="window",
        level=level,
        ticket_id=ticket_id,
        reasons=reasons,
        comment=BAD_COMMENT if level >= 4 else "",
        rated_at=when,
        now=when,
    )


def past_days(ctx: HallContext) -> None:
    for back in range(DAYS, 0, -1):
        _one_day(ctx, back)


def _one_day(ctx: HallContext, back: int) -> None:
    from counter_tui.queue import commands

    day = ctx.working_day(back)
    count = ctx.rng.randint(*TICKETS_A_DAY)
    outcomes = [o for o, _ in OUTCOMES]
    weights = [w for _, w in OUTCOMES]
    kiosk = ctx.actor("clerk2")
    opening = to_local(datetime.combine(day, time(8, 40)))
    last_call = opening
    for k in range(count):
        window = str(k % 3 + 1)
        clerk = ctx.actor(WINDOWS[window])
        issued = opening + timedelta(minutes=18 * k + ctx.rng.randint(0, 5))
        # Called in the order issued (the hall calls first come, first served), each window
        # free again by then: its last ticket was three tickets, 54 minutes, earlier.
        called = max(issued + timedelta(minutes=ctx.rng.randint(3, 25)), last_call)
        last_call = called + timedelta(minutes=1)
        commands.issue(ctx.session, kiosk, ctx.rng.choice("AAABCD"), channel="kiosk", now=issued)
        commands.call_next(ctx.session, clerk, window, now=called)
        started = called + timedelta(minutes=1)
        commands.start(ctx.session, clerk, window, now=started)
        finished = started + timedelta(minutes=ctx.rng.randint(4, 20))
        outcome = ctx.rng.choices(outcomes, weights)[0]
        ticket = commands.finish(ctx.session, clerk, window, outcome, now=finished)
        if back == BAD_DAY and k == BAD_TICKET:
            rate(ctx, clerk, ticket.id, 5, finished)
        elif ctx.rng.random() < RATED_SHARE:
            levels = [lv for lv, _ in GOOD_LEVELS]
            rate(
                ctx,
                clerk,
                ticket.id,
                ctx.rng.choices(levels, [w for _, w in GOOD_LEVELS])[0],
                finished,
            )
