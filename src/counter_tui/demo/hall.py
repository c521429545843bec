"""The living demo hall: a day in a county hall, built through the services (so everything is in
the journal, as if the hall had worked), from a seed and the demo's today.

What it holds (docs/demo.md, "The living hall"): the role accounts (hall_accounts), a waiting
queue with priority tickets and the day's appointments (hall_queue), cases in every state of the
lifecycle, some due today, some yellow, some red (hall_cases), and the finished, rated tickets of
the last working days (hall_history). The same seed and today give the same hall: every draw
comes from one `random.Random(seed)`, in a fixed order.

The hall's own "now" (`data_time`) is today at the real time of day, kept within opening hours
(09:00-16:00) so that a demo started early or late still finds a morning queue behind it and
appointments ahead: the counts are the same at any hour.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from counter_tui.actor import Actor
from counter_tui.clock import now_local, to_local
from counter_tui.demo.hall_accounts import ACCOUNTS, DemoAccount
from counter_tui.demo.hall_people import People

if TYPE_CHECKING:
    from sqlmodel import Session

    from counter_tui.workdays.rules import Calendar

#: The hall's data is stamped no earlier and no later than these times of day.
EARLIEST = time(9, 0)
LATEST = time(16, 0)
#: The hall opens (the first tickets of a day).
OPENS = time(8, 30)


def data_time(today: date, clock: datetime | None = None) -> datetime:
    """The moment the hall's data is built up to: `today` at the time of day of `clock` (now),
    kept within EARLIEST-LATEST, in the hall's zone."""
    moment = to_local(clock) if clock is not None else now_local()
    of_day = min(max(moment.time().replace(microsecond=0), EARLIEST), LATEST)
    return to_local(datetime.combine(today, of_day))


@dataclass
class HallContext:
    """What every part of the build shares: the session, the draws, the day and the actors."""

    session: Session
    rng: random.Random
    people: People
    today: date
    #: The hall's now (`data_time`): nothing is stamped later.
    now: datetime
    calendar: Calendar
    site: str
    operator: Actor
    actors: dict[str, Actor] = field(default_factory=dict)

    def actor(self, username: str) -> Actor:
        return self.actors[username]

    def working_day(self, back: int) -> date:
        """The working day `back` working days before today (0: today, if it is one)."""
        day = self.today
        if back == 0:
            return day
        left = back
        while left:
            day -= timedelta(days=1)
            if self.calendar.is_working_day(day):
                left -= 1
        return day

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """`day` at hour:minute in the hall's zone, never later than the hall's now."""
        moment = to_local(datetime.combine(day, time(hour, minute)))
        return min(moment, self.now)

    def earlier(self, minutes: float) -> datetime:
        """`minutes` before the hall's now, but not before today's opening."""
        opening = to_local(datetime.combine(self.today, OPENS))
        return max(self.now - timedelta(minutes=minutes), opening)


def create_accounts(ctx: HallContext, accounts: tuple[DemoAccount, ...] = ACCOUNTS) -> None:
    """Every demo account (the trainer's is made by setup), with a staff name from the seed."""
    from counter_tui.accounts.service import create_user

    for account in accounts:
        if account.username in ctx.actors:
            continue
        name = ctx.people.staff_name()
        user = create_user(
            ctx.session,
            ctx.operator,
            username=account.username,
            display_name=name,
            role=account.role,
            password=account.password,
            department=account.department,
        )
        ctx.actors[account.username] = Actor(
            account.username,
            account.role,
            ctx.site,
            user_id=user.id,
            department=account.department,
            window=account.window,
        )


@dataclass(frozen=True)
class Built:
    seed: int
    today: date
    now: datetime


def build_hall(
    session: Session,
    operator: Actor,
    trainer: Actor,
    *,
    seed: int,
    today: date,
    clock: datetime | None = None,
) -> Built:
    """Fill a fresh demo node (catalog and calendar in place, the trainer's account made) with
    the living hall of `seed` on `today`."""
    from counter_tui.demo import hall_cases, hall_history, hall_queue
    from counter_tui.workdays.service import calendar_for

    rng = random.Random(seed)
    ctx = HallContext(
        session=session,
        rng=rng,
        people=People(random.Random(rng.getrandbits(32)), today),
        today=today,
        now=data_time(today, clock),
        calendar=calendar_for(session),
        site=operator.site,
        operator=operator,
        actors={trainer.username: trainer},
    )
    create_accounts(ctx)
    hall_queue.configure_hall(ctx)
    # Oldest first, as the hall lived it: the cases of the last weeks, the finished days, then
    # this morning's queue.
    hall_cases.make_cases(ctx)
    hall_history.past_days(ctx)
    hall_queue.today_queue(ctx)
    return Built(seed=seed, today=today, now=ctx.now)
