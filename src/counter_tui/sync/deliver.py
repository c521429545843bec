"""The hub's side of pull: the events a site must see, after its cursor, in `seq` order.

`seq` is commit order (journal.service.take_seq), so a cursor never skips an event that commits
later with a smaller number. The highest `seq` is read first and the page is taken below it:
a page with nothing for the site still moves the cursor past what it scanned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, and_, col, or_, select

from counter_tui.journal.models import Event
from counter_tui.journal.routing import EVERYONE
from counter_tui.sync.wire import BATCH_LIMIT


@dataclass(frozen=True)
class Page:
    events: list[Event]
    #: The cursor to ask from next time.
    next: int
    #: Whether more events are waiting after `next`.
    more: bool


def pull_for(session: Session, site: str, after: int, limit: int = BATCH_LIMIT) -> Page:
    """The events `site` must see, made elsewhere, after `after`."""
    return page_after(session, seen_by(site), after, limit)


def seen_by(site: str) -> Any:
    """The condition of the events made elsewhere that `site` must see (their audience)."""
    return and_(Event.site != site, or_(Event.audience == site, Event.audience == EVERYONE))


def page_after(session: Session, which: Any, after: int, limit: int = BATCH_LIMIT) -> Page:
    """A page of the events `which` (a condition on Event) after `after`, in `seq` order."""
    limit = max(1, min(limit, BATCH_LIMIT))
    top = session.exec(select(func.max(Event.seq))).one() or 0
    query = (
        select(Event)
        .where(col(Event.seq) > after, col(Event.seq) <= top, which)
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
