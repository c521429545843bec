"""The node's side of push: its own site's events the hub does not hold yet, in chain order."""

from __future__ import annotations

import json

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from counter_tui.journal.models import Event, JournalHead
from counter_tui.sync.wire import PROTOCOL


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


def unpushed_body(session: Session, site: str, after: str, limit: int) -> tuple[int, str, bytes]:
    """The push request (docs/sync.md) of the site's events stamped after `after` (the HLC of
    the last one the hub holds; "" for none), at most `limit`: how many it carries, the stamp of
    its last, and the body. A site's stamps rise strictly along its chain, so `after` finds the
    place by the index, where an offset would count every event pushed before. Each payload is
    written into the body as it is stored — canonical JSON is JSON — rather than parsed and
    written again: a catch-up sends thousands."""
    table = Event.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(
            table.c.id,
            table.c.site,
            table.c.actor,
            table.c.hlc,
            table.c.type,
            table.c.prev_hash,
            table.c.hash,
            table.c.payload,
        )
        .where(table.c.site == site, table.c.hlc > after)
        .order_by(table.c.hlc)
        .limit(limit)
    )
    names = ("id", "site", "actor", "hlc", "type", "prev_hash", "hash")
    events = []
    last = after
    for row in session.execute(query):
        fields = json.dumps(dict(zip(names, row[:7], strict=True)), ensure_ascii=False)
        events.append(f'{fields[:-1]}, "payload": {row[7]}}}')
        last = row[3]
    head = json.dumps({"protocol": PROTOCOL, "site": site}, ensure_ascii=False)
    body = f'{head[:-1]}, "events": [{", ".join(events)}]}}'
    return len(events), last, body.encode("utf-8")
