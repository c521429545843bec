"""The node's side of recovery: its own events taken back from the hub (docs/sync.md, "Recovery").

Two ways a node holds less of its own chain than its hub: its disk died (`sync restore` on a
fresh PC takes the whole chain back, page by page) or it was restored from a backup older than
its last sync. In the second case it may have written events since the backup that the hub never
saw: they sit in its chain where the hub has the events the old PC pushed before it was lost.
`take_own` stores the hub's events first and puts the node's own after them (re-chained: new
stamps, prev_hash and hash, the same ids), so nothing is lost and both chains verify.

Rewriting those events is safe, and the only place the project rewrites any: they never left this
PC (the hub's head proves it holds other events at their positions, and nothing but a push takes
an event off a node), so no other database holds their old hashes. An event the hub once said it
holds (`sync_link.pushed_count`) is never rewritten: a disagreement there is a real fork — two
PCs writing one site's chain — and recovery refuses it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from counter_tui.errors import UserError
from counter_tui.journal.models import APPLIED, Event, JournalHead
from counter_tui.journal.registry import apply, load, projection_tables
from counter_tui.journal.routing import subject_of
from counter_tui.journal.rules import GENESIS, hlc_wall_ms, next_hlc
from counter_tui.journal.service import hash_of, take_seq
from counter_tui.sync.models import SyncLink
from counter_tui.sync.store import Tampered, apply_stored, check_hash, problem
from counter_tui.sync.wire import WireError, from_wire

#: The sync_problem kind that tells the clerk a case was given a new number.
RENUMBERED = "renumbered"


class RecoveryRefused(UserError):
    """The hub's events for this site cannot be taken: they do not continue this node's chain,
    or they disagree with an event the hub once acknowledged (a fork). Nothing was changed."""


@dataclass
class Recovered:
    #: The hub's events stored here (this node lacked them).
    taken: int = 0
    #: The hub's events this node held already.
    repeated: int = 0
    #: This node's own events the hub did not hold, re-chained after the hub's.
    rechained: int = 0
    #: (old number, new number) of each case renumbered because the hub's events used its number.
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    #: The hub's events stored but not applied (an unknown type, a failing handler).
    flagged: int = 0
    #: How many of this site's events the hub holds up to the last one taken (its chain position).
    position: int = 0


def take_own(session: Session, site: str, events: list[dict[str, Any]], now: datetime) -> Recovered:
    """Take back `events` — wire objects of this node's own site, consecutive in the hub's chain
    order — in the caller's transaction. The first must follow an event this node holds (or be
    the chain's first). Those held already are skipped; the rest are stored and applied; this
    node's own events after the last shared position, which the hub lacks, are put after them
    (a case number the hub's events used is given the next free one, and the clerk is told by a
    `renumbered` sync problem); the projections are rebuilt when anything was re-chained.
    """
    load()
    head = session.get(JournalHead, site, with_for_update=True, populate_existing=True)
    if not events:
        return Recovered(position=head.count if head else 0)
    incoming = _checked(site, events)
    if head is not None and incoming[0].prev_hash == head.last_hash:
        # The common case (a restore, page after page): they follow this node's last event.
        anchor, local = (head.count, head.last_hlc, head.last_hash), []
    else:
        anchor = _position_of(session, site, incoming[0].prev_hash)
        local = list(
            session.exec(
                select(Event)
                .where(Event.site == site, col(Event.hlc) > anchor[1])
                .order_by(col(Event.hlc), col(Event.id))
            ).all()
        )
    shared = 0
    while shared < min(len(incoming), len(local)) and incoming[shared].id == local[shared].id:
        if incoming[shared].hash != local[shared].hash:
            raise RecoveryRefused(
                f"中心保存的本站事件 {incoming[shared].id} 与本机的内容不同（疑似篡改），"
                "已停止同步，请联系县级管理员"
            )
        shared += 1
    agreed = anchor[0] + shared
    missing, tail = incoming[shared:], local[shared:]
    result = Recovered(repeated=shared, position=agreed)
    if not missing:
        return result
    link = session.get(SyncLink, 1)
    if tail and link is not None and agreed < link.pushed_count:
        raise RecoveryRefused(
            f"本机与中心在本站第 {agreed + 1} 条事件处分叉（中心曾确认保存本机的这一条，"
            "现在保存的却是另一条）：可能有两台电脑在用同一个站点编码，已停止同步，"
            "请联系县级管理员"
        )
    for event in missing:
        if session.get(Event, event.id) is not None:
            raise RecoveryRefused(
                f"中心发来的本站事件 {event.id} 在本机链中的位置不同，已停止同步，请联系县级管理员"
            )
    renames = _renames(session, missing, tail)
    tail_rows = [_detached(event) for event in tail]
    for event in tail:
        session.delete(event)
    session.flush()
    if head is None:
        head = JournalHead(site=site, last_hlc="", last_hash=GENESIS, count=0)
    clock = head.last_hlc
    head.last_hash, head.count = anchor[2], agreed
    if shared:
        head.last_hash = incoming[shared - 1].hash
    for event in missing:
        event.subject = subject_of(json.loads(event.payload))
        event.received_at = now
        event.seq = take_seq(session)
        event.status, event.note = APPLIED, ""
        session.add(event)
        head.last_hash, head.count = event.hash, head.count + 1
        clock = max(clock, event.hlc)
        result.taken += 1
    session.add(head)
    session.flush()
    result.position = head.count
    if not tail:
        for event in missing:
            apply_stored(session, event, now)
            if event.status != APPLIED:
                result.flagged += 1
        head.last_hlc = clock
        session.add(head)
        session.flush()
        return result
    for row in tail_rows:
        clock = next_hlc(clock, hlc_wall_ms(row.hlc))
        payload = row.payload
        for old, new in renames.items():
            payload = _renumbered(payload, old, new)
        event = Event(
            id=row.id,
            site=site,
            actor=row.actor,
            hlc=clock,
            type=row.type,
            payload=payload,
            prev_hash=head.last_hash,
            hash="",
            subject=row.subject,
            audience=row.audience,
            status=row.status,
            note=row.note,
        )
        event.hash = hash_of(event)
        event.seq = take_seq(session)
        session.add(event)
        head.last_hash, head.count = event.hash, head.count + 1
        result.rechained += 1
    head.last_hlc = clock
    session.add(head)
    session.flush()
    fresh = {event.id for event in missing} | {row.id for row in tail_rows}
    result.flagged = _rebuild(session, fresh, now)
    for old, new in renames.items():
        result.renumbered.append((old, new))
        problem(
            session,
            site,
            RENUMBERED,
            f"办件编号 {old} 与中心保存的本站办件重号（本机从旧备份恢复后受理的），"
            f"已改为 {new}：请告知申请人新的办件编号",
            now,
        )
    session.flush()
    return result


def _checked(site: str, events: list[dict[str, Any]]) -> list[Event]:
    """The wire objects as events: each of `site`, its hash right, each after the one before."""
    found: list[Event] = []
    for data in events:
        try:
            event = from_wire(data)
        except WireError as exc:
            raise RecoveryRefused(f"中心发来的本站事件无法读取：{exc}") from None
        if event.site != site:
            raise RecoveryRefused(f"中心发来的事件 {event.id} 不是本站点的")
        try:
            check_hash(event)
        except Tampered as exc:
            raise RecoveryRefused(exc.reason) from None
        if found and event.prev_hash != found[-1].hash:
            raise RecoveryRefused("中心发来的本站事件前后不接续，已停止同步，请联系县级管理员")
        found.append(event)
    return found


def _position_of(session: Session, site: str, prev_hash: str) -> tuple[int, str, str]:
    """(chain position, stamp, hash) of the node's own event `prev_hash` names; the chain's start
    for GENESIS. RecoveryRefused when the node holds no such event of its own."""
    if prev_hash == GENESIS:
        return 0, "", GENESIS
    anchor = session.exec(select(Event).where(Event.hash == prev_hash, Event.site == site)).first()
    if anchor is None:
        raise RecoveryRefused(
            "中心发来的本站事件接不上本机的记录（本机没有它们之前的那一条），"
            "已停止同步，请联系县级管理员"
        )
    position = session.exec(
        select(func.count()).select_from(Event).where(Event.site == site, Event.hlc <= anchor.hlc)
    ).one()
    return int(position), anchor.hlc, anchor.hash


@dataclass(frozen=True)
class _Row:
    id: str
    actor: str
    hlc: str
    type: str
    payload: str
    subject: str | None
    audience: str | None
    status: str
    note: str


def _detached(event: Event) -> _Row:
    return _Row(
        event.id,
        event.actor,
        event.hlc,
        event.type,
        event.payload,
        event.subject,
        event.audience,
        event.status,
        event.note,
    )


def _case_numbers(events: list[Event]) -> dict[str, str]:
    """case id → the number its intake event gave it."""
    numbers: dict[str, str] = {}
    for event in events:
        if not event.type.startswith("case."):
            continue
        payload = json.loads(event.payload)
        number, case_id = payload.get("number"), payload.get("case_id")
        if isinstance(number, str) and isinstance(case_id, str):
            numbers.setdefault(case_id, number)
    return numbers


def _renames(session: Session, missing: list[Event], tail: list[Event]) -> dict[str, str]:
    """old → new number of each case of `tail` whose number one of `missing` gave another case:
    the next number of its site and day above every number either side has given."""
    from counter_tui.cases.models import Case

    theirs = _case_numbers(missing)
    taken_by_hub = {number: case_id for case_id, number in theirs.items()}
    renames: dict[str, str] = {}
    given: set[str] = set(theirs.values())
    for case_id, number in _case_numbers(tail).items():
        if taken_by_hub.get(number, case_id) == case_id or len(number) < 5:
            continue
        stem = number[:-4]
        held = session.exec(
            select(Case.number).where(
                col(Case.number).startswith(stem), func.length(Case.number) == len(stem) + 4
            )
        ).all()
        used = [n for n in (*held, *given) if n.startswith(stem) and n[len(stem) :].isdigit()]
        sequence = max(int(n[len(stem) :]) for n in used) + 1
        renames[number] = f"{stem}{sequence:04d}"
        given.add(renames[number])
    return renames


def _renumbered(payload: str, old: str, new: str) -> str:
    """The payload with the case number `old` — alone or heading a notice number (…-0007-SL) —
    replaced by `new`. A case number is letters, digits and dashes, so the JSON text can be
    edited as it is and stays canonical."""
    return re.sub(re.escape(old) + r"(?![0-9])", new, payload)


def _rebuild(session: Session, fresh: set[str], now: datetime) -> int:
    """Every projection rebuilt from the journal in `seq` order (journal.service.replay). The
    events applied before are applied as they were (their order has not changed); those just
    taken from the hub and the re-chained ones — in an order this node never applied — each in
    a savepoint, as `store.apply_stored` does: one that cannot be applied is flagged and shown,
    and the node is not left unable to sync. Returns how many were flagged."""
    from sqlmodel import delete

    for table in reversed(projection_tables()):
        session.exec(delete(table))
    session.flush()
    flagged = 0
    query = select(Event).where(Event.status == APPLIED).order_by(col(Event.seq))
    for event in session.exec(query).all():
        if event.id in fresh:
            apply_stored(session, event, now)
            flagged += event.status != APPLIED
        else:
            apply(session, event)
        session.flush()
    return flagged
