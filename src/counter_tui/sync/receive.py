"""The hub's side of push: a site's events, in its chain order, checked and stored once.

A push only stores: the events join the site's chain at the hub, `pending`, and the answer goes
back. `sync.applier` applies them right after, a few at a time, in short transactions — a batch
of 500 applied in the push's own transaction would hold the hub's locks for seconds, and the
county's own windows would wait on it (DESIGN §6; docs/sync.md, "Why a push only stores").

Everything here happens in the caller's one transaction, after the pushing site's head row is
locked: a refused push stores nothing. The caller records the problem a refusal names in a
transaction of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from counter_tui.journal.models import PENDING, Event, JournalHead
from counter_tui.journal.routing import subject_of
from counter_tui.journal.rules import GENESIS, event_hash, hlc_wall_ms
from counter_tui.sync.store import CLOCK_BOUND_MS, problem
from counter_tui.sync.wire import BATCH_LIMIT, FIELDS, WireError, checked


class PushRefused(Exception):
    """The whole push is refused: nothing of it is stored. `status` is the HTTP status the hub
    answers; `kind` names a problem to record for the county admin (or "")."""

    def __init__(self, status: int, reason: str, kind: str = "", event_id: str = "") -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.kind = kind
        self.event_id = event_id


@dataclass
class PushResult:
    stored: int = 0
    repeated: int = 0
    #: How much of the site's chain the hub holds now.
    count: int = 0
    hash: str = GENESIS


def receive_push(
    session: Session, site: str, events: list[dict[str, Any]], *, hub_site: str, now: datetime
) -> PushResult:
    """Check and store a site's pushed events, pending; `now` is the hub's clock."""
    if len(events) > BATCH_LIMIT:
        raise PushRefused(413, f"一次最多推送 {BATCH_LIMIT} 条事件，这次有 {len(events)} 条")
    if site == hub_site:
        raise PushRefused(403, "中心不能向自己推送")
    parsed = []
    for data in events:
        try:
            parsed.append(checked(data))
        except WireError as exc:
            raise PushRefused(422, str(exc)) from None
    for event in parsed:
        if event["site"] != site:
            raise PushRefused(
                403, f"事件 {event['id']} 属于站点 {event['site']}，不是本站点 {site}"
            )
        if event_hash(**event_fields(event)) != event["hash"]:
            raise PushRefused(
                409, f"事件 {event['id']} 的内容与哈希不符（途中被改动）", "tampered", event["id"]
            )
    head = session.get(JournalHead, site, with_for_update=True, populate_existing=True)
    held = _held(session, [e["id"] for e in parsed])
    result = PushResult()
    now_ms = int(now.timestamp() * 1000)
    # The chain's tip, followed in plain variables; the head row is written once at the end.
    tip = head.last_hash if head else GENESIS
    tip_hlc = head.last_hlc if head else ""
    count = head.count if head else 0
    ahead = 0
    fresh: list[dict[str, Any]] = []
    for event in parsed:
        known = held.get(event["id"])
        if known is not None:
            if known != event["hash"]:
                raise PushRefused(
                    409,
                    f"事件 {event['id']} 中心已有，内容却不同（疑似篡改）",
                    "tampered",
                    event["id"],
                )
            result.repeated += 1
            continue
        _continues(tip, tip_hlc, count, event)
        tip, tip_hlc, count = event["hash"], event["hlc"], count + 1
        held[event["id"]] = event["hash"]
        payload = event["payload"]
        subject = subject_of(json.loads(payload)) if '"case_id"' in payload else None
        fresh.append(
            event
            | {
                "seq": None,
                "subject": subject,
                "audience": None,
                "status": PENDING,
                "note": "",
                "received_at": now,
            }
        )
        if hlc_wall_ms(event["hlc"]) > now_ms + CLOCK_BOUND_MS:
            ahead += 1
    if fresh:
        _insert(session, fresh)
        if head is None:
            head = JournalHead(site=site, last_hlc=tip_hlc, last_hash=tip, count=count)
        head.last_hlc, head.last_hash, head.count = tip_hlc, tip, count
        session.add(head)
        result.stored = len(fresh)
    if ahead:
        problem(
            session,
            site,
            "clock_ahead",
            f"{ahead} 条事件的时间比中心时钟快 5 分钟以上：该站点电脑的时钟可能不准",
            now,
        )
    session.flush()
    if head is not None:
        result.count, result.hash = head.count, head.last_hash
    return result


#: The columns a pushed event is stored with, in COPY's order.
_COLUMNS = (
    "id",
    "site",
    "actor",
    "hlc",
    "type",
    "payload",
    "prev_hash",
    "hash",
    "subject",
    "status",
    "note",
    "received_at",
)


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Store the rows, not through the unit of work (nothing reads them back here): COPY on
    PostgreSQL, the fastest way in; an executemany on SQLite."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(Event.__table__), rows)  # type: ignore[attr-defined]
        return
    driver = connection.connection.driver_connection
    statement = f"COPY event ({', '.join(_COLUMNS)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(tuple(row[name] for name in _COLUMNS))


def _held(session: Session, ids: list[str]) -> dict[str, str]:
    """id → hash of the events among `ids` this database holds already. On PostgreSQL the ids
    go as one array parameter: 500 expanded into the statement cost more than the lookup."""
    if not ids:
        return {}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute("SELECT id, hash FROM event WHERE id = ANY(%s)", (ids,))
            return dict(cursor.fetchall())
    rows = session.exec(select(Event.id, Event.hash).where(col(Event.id).in_(ids))).all()
    return dict(rows)


def event_fields(event: dict[str, str]) -> dict[str, str]:
    """The fields the hash covers."""
    return {name: event[name] for name in FIELDS if name != "hash"}


def _continues(tip: str, tip_hlc: str, held: int, event: dict[str, str]) -> None:
    """Refuse an event that does not continue the chain the hub holds for its site (its tip,
    the tip's stamp, how many events it holds)."""
    event_id = event["id"]
    if event["prev_hash"] == tip:
        if event["hlc"] <= tip_hlc:
            raise PushRefused(
                409, f"事件 {event_id} 的时间戳没有晚于前一事件（链被改动）", "chain", event_id
            )
        return
    reason = (
        f"事件 {event_id} 不接续中心保存的链：中心已有该站点 {held} 条事件，"
        "这条的前一哈希与之不符（中间缺少事件，或链分叉）"
    )
    raise PushRefused(409, reason, "chain", event_id)
