"""Quarantined events: stored, not applied, waiting for an administrator (docs/sync.md, "The
county's sync desk").

An event made elsewhere that this database could not apply is kept with status `unknown` (a
type this program does not know: a newer node's) or `quarantined` (its handler failed), and a
`sync_problem` says why; neither blocks the events behind it (sync/store.py). It *waits* until
an administrator either retries it — after an upgrade taught this program its type, or after the
case it needs arrived — or resolves it: decides it will never apply, with a note. A resolved
event stays stored (it is part of its site's chain and is never deleted) with its status
unchanged; only its problem is closed, naming who closed it and why.

Retry applies the event again exactly as it would have been applied when it arrived
(`store.apply_stored`, in a savepoint of its own). On success the event is `applied`, its
problems resolved, and it takes a NEW `seq`. The new number is the point: `seq` is the order in
which this database applied its events and a hub's pull cursor is its `seq`. While the event
waited, its old `seq` was below the cursors of the sites that pulled past it, and its audience
was what an unapplied event gets (its own site, for a type nobody here knew); applied now, with
its real audience and a `seq` above every cursor, the next pull of each site that must see it
brings it. A site that held it already takes it as a repeat. Replay keeps working too: replay
applies in `seq` order, and the event is now where it took effect.

A retry that fails again changes nothing but the reason (the event's note and its open
problem's detail, rewritten with the new error): no second problem, no new `seq`. The same
functions serve a node for what it pulled from its hub.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, exists, select
from sqlmodel.sql.expression import SelectOfScalar

from counter_tui.actor import Actor
from counter_tui.errors import UserError
from counter_tui.journal.models import APPLIED, QUARANTINED, UNKNOWN, Event
from counter_tui.journal.service import take_seq
from counter_tui.sync.models import SyncProblem
from counter_tui.sync.store import apply_stored

#: The statuses of an event that was stored and not applied.
WAITING_STATUSES = (QUARANTINED, UNKNOWN)
#: What a successful retry writes as its problems' resolution.
RETRIED = "重试后已应用"


class NotWaiting(UserError):
    """The event named is not one waiting in quarantine here (never stored, applied, or
    resolved already)."""


@dataclass(frozen=True)
class Waiting:
    """An event that waits in quarantine, and why."""

    event_id: str
    site: str
    type: str
    #: unknown or quarantined.
    status: str
    #: Why it was not applied (the event's note: the handler's error, or "unknown type").
    reason: str
    actor: str
    hlc: str
    #: When this database stored it (None for one of its own, which never waits).
    received_at: datetime | None
    #: Its open problem's id ("" when none was recorded).
    problem_id: str


@dataclass(frozen=True)
class Retried:
    """What `retry` did: the events now applied, and those still waiting (with the new
    reason)."""

    applied: list[str]
    still_waiting: list[Waiting]


def _waiting_query(site: str | None) -> SelectOfScalar[Event]:
    set_aside = exists().where(
        col(SyncProblem.event_id) == col(Event.id), col(SyncProblem.resolved_at).is_not(None)
    )
    query = select(Event).where(col(Event.status).in_(WAITING_STATUSES), ~set_aside)
    if site:
        query = query.where(Event.site == site)
    return query.order_by(col(Event.seq), col(Event.hlc), col(Event.id))


def waiting(session: Session, site: str | None = None) -> list[Waiting]:
    """Events stored and not applied, not set aside by an administrator: `site`'s, or every
    site's; in the order they were stored."""
    events = list(session.exec(_waiting_query(site)).all())
    problems = _open_problems(session, [e.id for e in events])
    return [_described(e, problems.get(e.id)) for e in events]


#: How many of a site's waiting events the hub tells it about (the oldest first): online in
#: the `head` answer, by file in the reply bundle.
TOLD_TO_SITE = 100


def told_to_site(session: Session, site: str) -> list[dict[str, Any]]:
    """What the hub tells `site` of its own events waiting here, in the shape the node keeps
    (`sync_link.hub_quarantine`): the same online and by file."""
    return [
        {
            "event_id": held.event_id,
            "type": held.type,
            "status": held.status,
            "note": held.reason,
            "received_at": held.received_at.isoformat() if held.received_at else None,
        }
        for held in waiting(session, site)[:TOLD_TO_SITE]
    ]


def waiting_counts(session: Session) -> dict[str, int]:
    """How many events wait in quarantine, per site."""
    counts: dict[str, int] = {}
    for event in session.exec(_waiting_query(None)).all():
        counts[event.site] = counts.get(event.site, 0) + 1
    return counts


def retry(session: Session, actor: Actor, event_ids: list[str], now: datetime) -> Retried:
    """Apply each waiting event of `event_ids` again, in the order they were stored (a case's
    events depend on its earlier ones). Refuses, before anything, an id that is not waiting."""
    events = [_waiting_event(session, event_id) for event_id in event_ids]
    events.sort(key=lambda e: (e.seq or 0, e.hlc, e.id))
    applied: list[str] = []
    still: list[Waiting] = []
    for event in events:
        if _retry_one(session, actor, event, now):
            applied.append(event.id)
        else:
            still.append(_described(event, _open_problems(session, [event.id]).get(event.id)))
    return Retried(applied, still)


def retry_all(session: Session, actor: Actor, now: datetime, site: str | None = None) -> Retried:
    """Retry every waiting event (of `site`, or of every site)."""
    ids = [event.id for event in session.exec(_waiting_query(site)).all()]
    return retry(session, actor, ids, now)


def resolve(session: Session, actor: Actor, event_id: str, note: str, now: datetime) -> Waiting:
    """The administrator decides `event_id` will never apply: its open problems are closed with
    `note`, by `actor`, at `now`; the event stays stored with its status."""
    note = " ".join(note.split())
    if not note:
        raise UserError('请写明处理说明（为什么这条事件不再应用），例如 --note "……"')
    event = _waiting_event(session, event_id)
    found = _open_problem_rows(session, [event.id])
    if not found:  # a waiting event without its problem row (an older database): make one
        from counter_tui.sync.store import problem

        kind = "unknown_type" if event.status == UNKNOWN else "quarantined"
        found = [problem(session, event.site, kind, event.note, now, event.id)]
    described = _described(event, found[0])
    for row in found:
        _close(session, row, actor, note, now)
    return described


def _retry_one(session: Session, actor: Actor, event: Event, now: datetime) -> bool:
    """One event, in a savepoint: applied (and renumbered), or left as it was with the new
    reason."""
    outer = session.begin_nested()
    apply_stored(session, event, now)
    session.flush()
    if event.status == APPLIED:
        event.seq = take_seq(session)
        session.add(event)
        for row in _open_problem_rows(session, [event.id]):
            _close(session, row, actor, RETRIED, now)
        session.flush()
        outer.commit()
        return True
    status, note = event.status, event.note
    outer.rollback()  # the problem apply_stored recorded again, and its audience
    session.refresh(event)
    event.status, event.note = status, note
    session.add(event)
    for row in _open_problem_rows(session, [event.id]):
        row.detail = note
        session.add(row)
    session.flush()
    return False


def _close(session: Session, row: SyncProblem, actor: Actor, note: str, now: datetime) -> None:
    row.resolved_at = now
    row.resolved_by = actor.label
    row.resolution = note[:500]
    session.add(row)


def _waiting_event(session: Session, event_id: str) -> Event:
    event_id = event_id.strip()
    event = session.get(Event, event_id)
    if event is None:
        raise NotWaiting(f"没有这条事件：{event_id}")
    if event.status not in WAITING_STATUSES:
        raise NotWaiting(
            f"事件 {event_id} 不在隔离中（状态：{STATUS_LABELS.get(event.status, event.status)}）"
        )
    closed = session.exec(
        select(SyncProblem).where(
            SyncProblem.event_id == event_id, col(SyncProblem.resolved_at).is_not(None)
        )
    ).first()
    if closed is not None:
        who = closed.resolved_by or "管理员"
        raise NotWaiting(f"事件 {event_id} 已由 {who} 处理为不再应用：{closed.resolution}")
    return event


def _open_problem_rows(session: Session, event_ids: list[str]) -> list[SyncProblem]:
    if not event_ids:
        return []
    return list(
        session.exec(
            select(SyncProblem)
            .where(col(SyncProblem.event_id).in_(event_ids), col(SyncProblem.resolved_at).is_(None))
            .order_by(col(SyncProblem.at))
        ).all()
    )


def _open_problems(session: Session, event_ids: list[str]) -> dict[str, SyncProblem]:
    found: dict[str, SyncProblem] = {}
    for row in _open_problem_rows(session, event_ids):
        found.setdefault(row.event_id, row)
    return found


def _described(event: Event, problem: SyncProblem | None) -> Waiting:
    return Waiting(
        event_id=event.id,
        site=event.site,
        type=event.type,
        status=event.status,
        reason=event.note or (problem.detail if problem else ""),
        actor=event.actor,
        hlc=event.hlc,
        received_at=event.received_at,
        problem_id=problem.id if problem else "",
    )


#: Event statuses as people call them.
STATUS_LABELS = {
    APPLIED: "已应用",
    UNKNOWN: "未知类型",
    QUARANTINED: "无法应用",
    "rejected": "已驳回",
    "pending": "待应用",
}
