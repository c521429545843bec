"""Loads a day's queue steps for queue.stats: one query, in journal order."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from counter_tui.clock import hall_zone
from counter_tui.journal.models import Event
from counter_tui.queue.models import QueueStep
from counter_tui.queue.reads import hall
from counter_tui.queue.stats import DayStats, Step, compute


def day_steps(session: Session, site: str, day: date) -> list[Step]:
    """The steps of the tickets issued on `day`, up to the end of that local day.

    The time range uses the index on queue_step.at; `day` then drops the closing of earlier
    days' tickets. Ordered as the journal is (hybrid logical clock), not by the step's own
    time: two steps in the same second, or a window PC whose clock is off, keep their order.
    """
    start = datetime.combine(day, time(), tzinfo=hall_zone())
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=hall_zone())
    rows = session.exec(
        select(QueueStep)
        .join(Event, col(Event.id) == col(QueueStep.event_id))
        .where(
            col(QueueStep.at) >= start,
            col(QueueStep.at) < end,
            QueueStep.site == site,
            QueueStep.day == day,
        )
        .order_by(col(Event.hlc), col(Event.id))
    ).all()
    return [Step(r.ticket_id, r.at, r.kind, r.category, r.window) for r in rows]


def day_stats(
    session: Session, site: str, day: date, *, target: timedelta | None = None
) -> DayStats:
    """The day's figures; `target` defaults to the hall's target wait (queue set-up)."""
    if target is None:
        target = hall(session, site).target_wait
    return compute(day_steps(session, site, day), target=target)
