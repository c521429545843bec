"""The node's side of pull: a page of the hub's events applied, and the cursor moved, in one
transaction (a killed node neither skips nor doubles an event). Pages are small, so a clerk's
step waiting on the write lock never waits long (docs/sync.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from counter_tui.cases.events import CASE_ACTION_REJECTED
from counter_tui.journal.models import QUARANTINED, UNKNOWN, JournalHead
from counter_tui.sync.models import SyncLink
from counter_tui.sync.store import REPEAT, Tampered, advance_clock, problem, store_foreign
from counter_tui.sync.wire import WireError, from_wire


@dataclass
class Taken:
    applied: int = 0
    repeated: int = 0
    flagged: int = 0
    #: Ids of case.action_rejected events taken: steps of this site's clerks that lost.
    rejections: list[str] = field(default_factory=list)


def take_page(
    session: Session, own_site: str, events: list[dict[str, Any]], cursor: int, now: datetime
) -> Taken:
    """Apply `events` (wire objects, in the hub's order) and store `cursor` with them."""
    # The node's own head first (its clock), then the sequence, as every writer does.
    session.get(JournalHead, own_site, with_for_update=True, populate_existing=True)
    taken = Taken()
    newest: str | None = None
    for data in events:
        try:
            event = from_wire(data)
        except WireError as exc:
            problem(session, own_site, "quarantined", f"中心发来的事件无法读取：{exc}", now)
            taken.flagged += 1
            continue
        if event.site == own_site:
            # Our own event coming back (a recovery is issue 17's): never store it twice.
            continue
        try:
            stored = store_foreign(session, event, now=now)
        except Tampered as exc:
            problem(session, event.site, "tampered", exc.reason, now, exc.event_id)
            taken.flagged += 1
            continue
        if stored.outcome == REPEAT:
            taken.repeated += 1
            continue
        if stored.event.status in (UNKNOWN, QUARANTINED):
            taken.flagged += 1
        else:
            taken.applied += 1
        if event.type == CASE_ACTION_REJECTED:
            taken.rejections.append(event.id)
        newest = max(newest or event.hlc, event.hlc)
    advance_clock(session, own_site, newest)
    link = session.get(SyncLink, 1)
    if link is not None:
        link.pull_cursor = max(link.pull_cursor, cursor)
        session.add(link)
    session.flush()
    return taken
