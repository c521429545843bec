"""The hub's side of recovery: a site's own chain from a position, as the hub holds it.

A node that lost its disk (`sync restore`) or came back from an old backup asks for its own
events after the last position it shares with the hub (sync/recover.py takes them). Chain order
is the order `audit verify` walks: (hlc, id). Events still `pending` at the hub are in the chain
already, so they are served too: the chain is what the node must hold, applied or not here.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, and_, col, or_, select

from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.routing import EVERYONE
from counter_tui.journal.rules import GENESIS
from counter_tui.sync.deliver import Page
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


def history_for(session: Session, site: str, after: int, limit: int = BATCH_LIMIT) -> Page:
    """What a site rebuilt from the hub (`sync restore`) must hold, in the hub's `seq` order: its
    own events and those it must see (deliver.pull_for's), after `after`. One stream, so the
    rebuilt node applies a case's steps in the order the hub did — its own delivery after the
    county's approval — where taking its own chain first and the rest after would not."""
    limit = max(1, min(limit, BATCH_LIMIT))
    top = session.exec(select(func.max(Event.seq))).one() or 0
    query = (
        select(Event)
        .where(
            col(Event.seq) > after,
            col(Event.seq) <= top,
            or_(
                Event.site == site,
                and_(
                    Event.site != site,
                    or_(Event.audience == site, Event.audience == EVERYONE),
                ),
            ),
        )
        .order_by(col(Event.seq))
        .limit(limit + 1)
    )
    found = list(session.exec(query).all())
    if len(found) > limit:
        found = found[:limit]
        last = found[-1].seq
        assert last is not None
        return Page(found, last, True)
    return Page(found, max(top, after), False)
