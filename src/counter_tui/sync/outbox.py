"""The node's side of push: its own site's events the hub does not hold yet, in chain order."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select as sa_select
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


def unpushed_wire(session: Session, site: str, held: int, limit: int) -> list[dict[str, Any]]:
    """`unpushed` as wire objects, read as plain rows: a catch-up sends thousands, and building
    a model object for each would cost more than the rest of the push."""
    table = Event.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(
            table.c.id,
            table.c.site,
            table.c.actor,
            table.c.hlc,
            table.c.type,
            table.c.payload,
            table.c.prev_hash,
            table.c.hash,
        )
        .where(table.c.site == site)
        .order_by(table.c.hlc, table.c.id)
        .offset(held)
        .limit(limit)
    )
    return [
        {
            "id": id,
            "site": site_,
            "actor": actor,
            "hlc": hlc,
            "type": type_,
            "payload": json.loads(payload),
            "prev_hash": prev_hash,
            "hash": hash_,
        }
        for id, site_, actor, hlc, type_, payload, prev_hash, hash_ in session.execute(query)
    ]


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
