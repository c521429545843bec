"""record(), verify() and replay(): writing to, checking and rebuilding from the journal;
projection_differences(): the projection tables checked against a rebuild from the journal."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, delete, select

from counter_tui.actor import Actor
from counter_tui.ids import new_id
from counter_tui.journal import rules
from counter_tui.journal.events import EventPayload, encode
from counter_tui.journal.models import APPLIED, Event, JournalHead, JournalSequence
from counter_tui.journal.registry import apply, load, projection_tables
from counter_tui.journal.routing import audience, subject_of


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def hash_of(event: Event) -> str:
    """The hash an event must carry: over every field but the hash itself."""
    return rules.event_hash(
        id=event.id,
        site=event.site,
        actor=event.actor,
        hlc=event.hlc,
        type=event.type,
        payload=event.payload,
        prev_hash=event.prev_hash,
    )


def record(
    session: Session, actor: Actor, type: str, payload: EventPayload | Mapping[str, Any]
) -> Event:
    """Append an event for the actor's site and apply it, in the caller's transaction.

    `payload` is the dataclass `type` is declared with (journal.events), or its wire form; one
    that does not match the declaration is refused (`PayloadMismatch`) before anything is stored.

    The head row is read FOR UPDATE (PostgreSQL) inside an IMMEDIATE transaction (SQLite), so two
    processes appending to one site serialise and the hash chain never forks; then the sequence
    row (heads first, the sequence last: every writer takes them in that order).
    """
    load()
    data = encode(type, payload)
    # populate_existing: a session reused across transactions must not append after a stale tip.
    head = session.get(JournalHead, actor.site, with_for_update=True, populate_existing=True)
    hlc = rules.next_hlc(head.last_hlc if head else None, _now_ms())
    prev_hash = head.last_hash if head else rules.GENESIS
    event = Event(
        id=new_id(),
        site=actor.site,
        actor=actor.label,
        hlc=hlc,
        type=type,
        payload=rules.canonical_json(data),
        prev_hash=prev_hash,
        hash="",
        subject=subject_of(data),
    )
    event.hash = digest = hash_of(event)
    event.seq = take_seq(session)
    session.add(event)
    if head is None:
        head = JournalHead(site=actor.site, last_hlc=hlc, last_hash=digest, count=1)
    else:
        head.last_hlc, head.last_hash, head.count = hlc, digest, head.count + 1
    session.add(head)
    session.flush()
    apply(session, event)
    event.audience = audience(session, event)
    session.add(event)
    session.flush()
    return event


def take_seq(session: Session) -> int:
    """The next `event.seq`, with the sequence row locked until the transaction ends, so `seq`
    is commit order. Take it after any journal_head row (the order every writer keeps)."""
    # The row is locked once per transaction and counted on in memory after that.
    transaction = session.get_transaction()
    held = session.info.get("journal_sequence")
    if held is not None and held[0] is transaction:
        row: JournalSequence = held[1]
    else:
        found = session.get(JournalSequence, 1, with_for_update=True, populate_existing=True)
        row = found if found is not None else JournalSequence(id=1, last_seq=0)
        session.info["journal_sequence"] = (transaction, row)
    row.last_seq += 1
    session.add(row)
    return row.last_seq


@dataclass(frozen=True)
class Breach:
    """Where a site's chain first fails to match what is stored.

    `event_id` is None when the break is at the end of the chain (a last event or the head row
    was removed): `position` is then the number of events that still check out.
    """

    event_id: str | None
    site: str
    position: int
    reason: str

    def describe(self) -> str:
        if self.event_id is None:
            return f"站点 {self.site} 第 {self.position} 条事件之后：{self.reason}"
        return f"站点 {self.site} 第 {self.position} 条事件 {self.event_id}：{self.reason}"


def verify(session: Session) -> tuple[int, Breach | None]:
    """Check the chains; return the number of events checked and the first breach.

    A chain this database holds whole is checked link by link: its own site's, every site it
    keeps a head row for (a hub keeps one for each site that pushes to it) and every site a hub
    enrolled. Of any other site a node holds only some events (what it pulled): each is checked
    by its own hash (docs/sync.md, "Verifying partial chains").
    """
    checked = 0
    whole = _whole_chains(session)
    sites = set(session.exec(select(Event.site).distinct()).all()) | whole
    for site in sorted(sites):
        if site in whole:
            count, breach = _verify_whole(session, site)
        else:
            count, breach = _verify_partial(session, site)
        checked += count
        if breach is not None:
            return checked, breach
    return checked, None


def _whole_chains(session: Session) -> set[str]:
    from counter_tui.site.models import Node
    from counter_tui.sync.models import HubSite

    sites = set(session.exec(select(JournalHead.site)).all())
    sites.update(session.exec(select(HubSite.site)).all())
    node = session.get(Node, 1)
    if node is not None:
        sites.add(node.site)
    return sites


def _site_events(session: Session, site: str) -> Iterator[Event]:
    query = select(Event).where(Event.site == site).order_by(col(Event.hlc), col(Event.id))
    yield from session.exec(query)


def _verify_whole(session: Session, site: str) -> tuple[int, Breach | None]:
    prev = rules.GENESIS
    position = 0
    for event in _site_events(session, site):
        position += 1
        if event.prev_hash != prev:
            return position, Breach(
                event.id, site, position, "与前一事件的链接不符（有事件被删除或插入）"
            )
        if hash_of(event) != event.hash:
            return position, Breach(event.id, site, position, "内容与哈希不符（事件被改动）")
        prev = event.hash
    head = session.get(JournalHead, site)
    if head is None:
        if position == 0:
            return 0, None  # enrolled at a hub, nothing pushed yet
        return position, Breach(None, site, position, "缺少该站点的链尾记录（日志被改动）")
    if head.last_hash != prev or head.count != position:
        return position, Breach(None, site, position, "链尾与记录不符（末尾事件被删除）")
    return position, None


def _verify_partial(session: Session, site: str) -> tuple[int, Breach | None]:
    position = 0
    for event in _site_events(session, site):
        position += 1
        if hash_of(event) != event.hash:
            reason = "内容与哈希不符（收到的事件被改动）"
            return position, Breach(event.id, site, position, reason)
    return position, None


def replay(session: Session) -> int:
    """Empty every projection table and re-apply the journal in the order this database first
    applied it (`seq`), leaving out what was never applied here (an unknown type, a quarantined
    event, the loser of a conflict); returns the events applied."""
    tables = projection_tables()
    for table in reversed(tables):
        session.exec(delete(table))
    session.flush()
    count = 0
    events = session.exec(select(Event).where(Event.status == APPLIED).order_by(col(Event.seq)))
    for event in events.all():
        apply(session, event)
        session.flush()
        count += 1
    return count


# --- projections against the journal -----------------------------------------------------------

#: Columns whose values may be personal data or secrets: a difference in them is named, its
#: values are not printed (DESIGN §4.8). Matched as substrings of the column name.
_PRIVATE_COLUMNS = (
    "name",
    "id_number",
    "phone",
    "address",
    "party",
    "intake",
    "content",
    "summary",
    "password",
    "note",
)
#: Tables whose primary key is itself personal (an applicant's ID number).
_PRIVATE_KEYS = frozenset({"applicant"})


@dataclass(frozen=True)
class Difference:
    """One way a projection table differs from what the journal rebuilds.

    `column` is None when the whole row is on one side only: `stored` is then None for a row
    the journal has and the table lacks (deleted by hand), `rebuilt` None for a row the journal
    never made (added by hand).
    """

    table: str
    key: str
    column: str | None
    stored: Any
    rebuilt: Any

    def describe(self) -> str:
        where = f"表 {self.table} 主键 {self.key}"
        if self.column is None:
            if self.stored is None:
                return f"{where}：这一行被删除（按日志应有）"
            return f"{where}：日志中没有这一行（被添加）"
        if any(part in self.column for part in _PRIVATE_COLUMNS):
            return f"{where} 列 {self.column}：与日志不符（含个人信息，不显示内容）"
        return (
            f"{where} 列 {self.column}：现存 {_shown(self.stored)}，"
            f"按日志应为 {_shown(self.rebuilt)}"
        )


def _shown(value: Any) -> str:
    if value is None:
        return "空"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "…")


def projection_differences(session: Session) -> list[Difference]:
    """Rebuild every projection table from the journal, aside, and compare it with the stored one.

    The database is never changed: SQLite is copied (the backup API, which also reads a
    read-only or write-protected file) to a scratch file that is replayed and then deleted;
    PostgreSQL replays inside a savepoint that is rolled back. Tables that are not projections
    (the catalog and calendar versions, intake drafts, the catalog's per-site use counts, the
    node's own row) are not compared:
    replay leaves them alone (docs/architecture.md, "Deviations").
    """
    if session.get_bind().dialect.name == "sqlite":
        with _scratch_copy(session) as scratch:
            replay(scratch)
            scratch.flush()
            # Both sides stream in primary-key order (SQLite's BINARY order is Python's), so a
            # node of a million cases is compared without holding its tables in memory.
            return [
                difference
                for name in _projection_names()
                for difference in _merged(
                    name, _ordered_rows(session, name), _ordered_rows(scratch, name)
                )
            ]
    # PostgreSQL: the stored rows are read before the replay replaces them in the savepoint;
    # its collation may order keys otherwise than Python, so they are matched by key.
    stored = {t: list(_ordered_rows(session, t)) for t in _projection_names()}
    savepoint = session.begin_nested()
    try:
        replay(session)
        rebuilt = {t: list(_ordered_rows(session, t)) for t in _projection_names()}
    finally:
        savepoint.rollback()
    return _compare(stored, rebuilt)


def _projection_names() -> list[str]:
    return [str(table.__tablename__) for table in projection_tables()]


#: (primary key, row as column → value).
_Row = tuple[tuple[Any, ...], dict[str, Any]]


def _ordered_rows(session: Session, name: str) -> Iterator[_Row]:
    """(primary key, row) of every row of `name`, in primary-key order."""
    from sqlmodel import SQLModel

    table = SQLModel.metadata.tables[name]
    keys = list(table.primary_key.columns)
    result = session.connection().execute(sa_select(table).order_by(*keys))
    for row in result.mappings():
        values = dict(row)
        yield tuple(values[c.name] for c in keys), values


def _compare(stored: dict[str, list[_Row]], rebuilt: dict[str, list[_Row]]) -> list[Difference]:
    differences: list[Difference] = []
    for name in stored:
        have = dict(stored[name])
        want = dict(rebuilt[name])
        for key in sorted(have.keys() | want.keys(), key=repr):
            label = _key_label(name, key)
            if key not in want:
                differences.append(Difference(name, label, None, have[key], None))
            elif key not in have:
                differences.append(Difference(name, label, None, None, want[key]))
            else:
                for column, value in want[key].items():
                    if have[key].get(column) != value:
                        differences.append(
                            Difference(name, label, column, have[key].get(column), value)
                        )
    return differences


def _merged(name: str, stored: Iterator[_Row], rebuilt: Iterator[_Row]) -> Iterator[Difference]:
    """The differences of one table, from both sides in the same primary-key order."""
    have, want = next(stored, None), next(rebuilt, None)
    while have is not None or want is not None:
        if want is None or (have is not None and have[0] < want[0]):
            assert have is not None
            yield Difference(name, _key_label(name, have[0]), None, have[1], None)
            have = next(stored, None)
        elif have is None or want[0] < have[0]:
            yield Difference(name, _key_label(name, want[0]), None, None, want[1])
            want = next(rebuilt, None)
        else:
            for column, value in want[1].items():
                if have[1].get(column) != value:
                    label = _key_label(name, want[0])
                    yield Difference(name, label, column, have[1].get(column), value)
            have, want = next(stored, None), next(rebuilt, None)


def _key_label(table: str, key: tuple[Any, ...]) -> str:
    parts = [str(part) for part in key]
    if table in _PRIVATE_KEYS:
        parts = [p if len(p) <= 8 else p[:4] + "*" * (len(p) - 8) + p[-4:] for p in parts]
    return "/".join(parts)


@contextmanager
def _scratch_copy(session: Session) -> Iterator[Session]:
    """A throw-away copy of the session's SQLite database, in a temporary file."""
    import os
    import sqlite3
    import tempfile

    from sqlalchemy import create_engine

    source = session.connection().connection.driver_connection
    assert isinstance(source, sqlite3.Connection)
    handle, path = tempfile.mkstemp(prefix="counter-tui-verify-", suffix=".db")
    os.close(handle)
    engine = create_engine(f"sqlite:///{path}")
    try:
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
        with Session(engine) as scratch:
            yield scratch
    finally:
        engine.dispose()
        for leftover in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
            with suppress(OSError):
                os.unlink(leftover)
