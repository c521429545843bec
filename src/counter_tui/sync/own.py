"""The hub's side of recovery: a site's own chain from a position, as the hub holds it.

A node that lost its disk (`sync restore`) or came back from an old backup asks for its own
events after the last position it shares with the hub (sync/recover.py takes them). Chain order
is the order `audit verify` walks: (hlc, id). Events still `pending` at the hub are in the chain
already, so they are served too: the chain is what the node must hold, applied or not here.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.rules import GENESIS
from counter_tui.sync.wire import BATCH_LIMIT


def own_after(session: Session, site: str, position: int, limit: int) -> list[Event]:
    """The site's own events at chain positions position+1 … position+limit (1-based)."""
    limit = max(1, min(limit, BATCH_LIMIT))
    query = (
        select(Event)
        .where(Event.site == site)
        .order_by(col(Event.hlc), col(Event.id))
        .offset(max(0, position))
        .limit(limit)
    )
    return list(session.exec(query).all())


def own_head(session: Session, site: str) -> tuple[int, str]:
    """(how many of the site's events the hub holds, the hash of the last)."""
    head = session.get(JournalHead, site)
    return (head.count, head.last_hash) if head else (0, GENESIS)
