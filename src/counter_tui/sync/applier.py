"""The hub applies what sites pushed: pending events, oldest first, a few per transaction.

Each event gets its `seq` when it is applied (or found not to apply), so `seq` is the order in
which the hub's projections changed — the order a replay follows and a pull cursor counts — and
the county's own steps, which take the same sequence row, interleave with it exactly as they
happened. A site's step that the lifecycle does not allow from the case's state at that moment
lost a conflict: it is kept in the chain, `rejected`, and the hub records `case.action_rejected`
for its author (docs/sync.md, "Conflicts").

Every hub worker may drain: the sequence row is the lock, and pending events are taken under
it, so two workers never apply one event twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from counter_tui.actor import Actor
from counter_tui.cases.events import ACTION_OF, CASE_ACTION_REJECTED, ActionRejected
from counter_tui.cases.lifecycle import refusal_after_sync
from counter_tui.cases.models import Case
from counter_tui.db import write_session
from counter_tui.journal.models import PENDING, REJECTED, Event, JournalHead, JournalSequence
from counter_tui.journal.service import record, take_seq
from counter_tui.sync.store import (
    CANNOT_APPLY,
    CLOCK_BOUND_MS,
    advance_clock,
    apply_plainly,
    apply_stored,
)

#: Events applied per transaction: short enough that a county clerk's step never waits long.
CHUNK = 50


def apply_pending(session: Session, hub: Actor, *, limit: int = CHUNK) -> int:
    """Apply up to `limit` pending events in the caller's transaction; returns how many."""
    # The hub's own head before the sequence (its rejections are recorded): every writer
    # takes them in that order.
    session.get(JournalHead, hub.site, with_for_update=True, populate_existing=True)
    session.get(JournalSequence, 1, with_for_update=True, populate_existing=True)
    pending = session.exec(
        select(Event)
        .where(Event.status == PENDING)
        .order_by(col(Event.received_at), col(Event.site), col(Event.hlc))
        .limit(limit)
    ).all()
    now = datetime.now(UTC)
    # Optimistically the whole chunk in one savepoint; should any event not apply, the chunk
    # is rolled back and taken again one event at a time, each in its own savepoint.
    chunk = session.begin_nested()
    try:
        for event in pending:
            _take(session, hub, event, now, careful=False)
        session.flush()
    except CANNOT_APPLY:
        chunk.rollback()
        for event in pending:
            session.refresh(event)
            _take(session, hub, event, now, careful=True)
    else:
        chunk.commit()
    if pending:
        # What the county does next sorts after what it has just seen, but a site's clock
        # days ahead never drags the hub's with it (docs/sync.md, "Clocks"). Here, not at the
        # push: the hub's own head is locked here anyway, and a push then locks only its site's.
        newest = max(event.hlc for event in pending)
        bound = int(now.timestamp() * 1000) + CLOCK_BOUND_MS
        advance_clock(session, hub.site, newest, bound_ms=bound)
    session.flush()
    return len(pending)


def _take(session: Session, hub: Actor, event: Event, now: datetime, *, careful: bool) -> None:
    """Give one pending event its seq and apply it, or reject it if it lost a conflict."""
    refusal = _conflict(session, event)
    event.seq = take_seq(session)
    if refusal is None:
        if careful:
            apply_stored(session, event, now)
        else:
            apply_plainly(session, event)
        return
    event.status, event.note, event.audience = REJECTED, refusal, None
    session.add(event)
    session.flush()
    _reject(session, hub, event, now)


def drain(engine: Engine, hub: Actor) -> int:
    """Apply every pending event, CHUNK per transaction; returns how many were applied."""
    total = 0
    while True:
        with write_session(engine) as session:
            done = apply_pending(session, hub)
        total += done
        if done < CHUNK:
            return total


def pending_count(session: Session) -> int:
    from sqlalchemy import func

    return session.exec(select(func.count()).where(Event.status == PENDING)).one()


def _conflict(session: Session, event: Event) -> str | None:
    """Why a pushed step on a case cannot take effect at the hub now, or None."""
    action = ACTION_OF.get(event.type)
    if action is None or event.subject is None:
        return None
    case = session.get(Case, event.subject)
    if case is None:
        return None  # no such case here: the handler fails and the event is quarantined
    return refusal_after_sync(case.state, action)


def _reject(session: Session, hub: Actor, event: Event, now: datetime) -> None:
    """Record that `event` lost, for its author and the case's timeline at both ends."""
    record(
        session,
        hub,
        CASE_ACTION_REJECTED,
        ActionRejected(
            case_id=event.subject or "",
            at=now.isoformat(),
            event_id=event.id,
            event_type=event.type,
            author=event.actor,
            author_site=event.site,
            reason=event.note,
        ),
    )
