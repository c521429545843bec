"""The node's side of push: its own site's events the hub does not hold yet, in chain order."""

from __future__ import annotations

from sqlmodel import Session, col, select

from counter_tui.journal.models import Event, JournalHead


def own_count(session: Session, site: str) -> int:
    head = session.get(JournalHead, site)
    return head.count if head else 0


def chain_event(session: Session, site: str, position: int) -> Event | None:
    """The `position`-th event (1-based) of the site's chain."""
    if position < 1:
        return None
    query = (
        select(Event)
        .where(Event.site == site)
        .order_by(col(Event.hlc), col(Event.id))
        .offset(position - 1)
        .limit(1)
    )
    return session.exec(query).first()


def unpushed(session: Session, site: str, held: int, limit: int) -> list[Event]:
    """The site's events after the first `held` (what the hub holds), at most `limit`."""
    query = (
        select(Event)
        .where(Event.site == site)
        .order_by(col(Event.hlc), col(Event.id))
        .offset(held)
        .limit(limit)
    )
    return list(session.exec(query).all())
