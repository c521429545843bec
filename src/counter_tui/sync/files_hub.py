"""The hub's side of sync by file: take a node's export, write its reply.

The export's events go through the same `receive_push` as an online push, a page of up to 500
per transaction, so everything an online push guarantees holds here too: a repeat (the same
bundle twice, events that already came online, pages a killed import had committed) changes
nothing, and an event that does not continue the site's chain is refused. Then the hub applies
what is pending (`applier.drain`) and writes the reply: what the site must see after the
export's cursor, what the hub holds of the site's chain, the reference documents the site's
digests say it lacks, the hub's clock — signed with the hub's key, addressed to the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.journal.models import JournalHead
from counter_tui.journal.rules import GENESIS
from counter_tui.sync.applier import drain
from counter_tui.sync.bundle import (
    EXPORT,
    REPLY,
    BundleRefused,
    Opened,
    check_kind,
    check_signer,
    open_bundle,
    write,
)
from counter_tui.sync.contact import FILE, note_contact
from counter_tui.sync.deliver import pull_for
from counter_tui.sync.devices import refusal, report_fork, retired_key
from counter_tui.sync.keys import own_key
from counter_tui.sync.models import HubSite
from counter_tui.sync.own import own_after, own_head
from counter_tui.sync.quarantine import told_to_site
from counter_tui.sync.receive import PushRefused, receive_push
from counter_tui.sync.reference import calendar_document, catalog_document, digests
from counter_tui.sync.store import problem
from counter_tui.sync.wire import BATCH_LIMIT, WireError, checked, to_wire


@dataclass
class Stored:
    site: str
    stored: int = 0
    repeated: int = 0
    #: The export's events were not taken: its chain parts from the hub's after what the
    #: node last knew the hub held (a node back from an old backup). The reply gives the node
    #: its own events back, and its next export carries its own re-chained after them.
    diverged: bool = False


def open_export(engine: Engine, hub_site: str, path: Path) -> Opened:
    """A node's export at `path`, checked: addressed to this hub, from an enrolled, unrevoked
    site, signed with the key that site registered. BundleRefused otherwise."""
    opened = open_bundle(path)
    check_kind(opened, EXPORT, "应在站点上用 counter-tui sync import 导入")
    name, header = path.name, opened.header
    if header.addressee != hub_site:
        raise BundleRefused(
            f"{name} 是发给中心 {header.addressee} 的，不是本中心（{hub_site}）的，不能导入"
        )
    site = header.sender
    with read_session(engine) as session:
        row = session.get(HubSite, site)
        if row is None:
            raise BundleRefused(f"{name} 来自站点 {site}，该站点未在本中心登记，不能导入")
        if row.revoked_at is not None:
            raise BundleRefused(f"{name} 来自站点 {site}，该站点的访问已被中心撤销，不能导入")
        site_key = row.public_key
        replaced = None
        if header.signer_key != site_key:
            replaced = retired_key(session, site, header.signer_key)
        forked = refusal(session, replaced) if replaced is not None else None
    if forked is not None:
        # Signed by the PC the site was restored away from: refused as its requests are
        # online, and the county admin sees it once per device (sync/devices.py).
        events = opened.body.get("events")
        with write_session(engine) as session:
            tried = len(events) if isinstance(events, list) else 0
            report_fork(session, forked.device_id, tried, datetime.now(UTC))
        raise BundleRefused(f"{name}：{forked.reason}")
    if not site_key:
        raise BundleRefused(
            f"本中心还没有站点 {site} 的公钥（该站点须联网同步一次或重新登记），不能导入"
        )
    check_signer(opened, site_key, f"站点 {site} ")
    _shaped(opened)
    return opened


def store_events(engine: Engine, hub_site: str, opened: Opened, progress: Any = None) -> Stored:
    """Store the export's events, a page per transaction, as online pushes."""
    site = opened.header.sender
    events = opened.body["events"]
    done = Stored(site)
    position = int(opened.body.get("position", 0))
    for start in range(0, len(events), BATCH_LIMIT):
        page = events[start : start + BATCH_LIMIT]
        now = datetime.now(UTC)
        try:
            with write_session(engine) as session:
                result = receive_push(session, site, page, hub_site=hub_site, now=now)
        except PushRefused as refused:
            if refused.kind == "chain" and _holds_more(engine, site, position):
                # Only repeats came before (a new event continues the hub's tip, and so
                # does everything after it): nothing of this export is the hub's to take.
                done.diverged = True
                return done
            if refused.kind:  # as an online push's: the county admin must see why
                with write_session(engine) as session:
                    problem(session, site, refused.kind, refused.reason, now, refused.event_id)
            raise BundleRefused(
                f"{opened.path.name} 中的事件被拒绝（此前 {start} 条已保存）：{refused.reason}"
            ) from None
        done.stored += result.stored
        done.repeated += result.repeated
        if progress:
            progress("导入", start + len(page), len(events))
    return done


def _holds_more(engine: Engine, site: str, position: int) -> bool:
    """Whether the hub holds more of the site's chain than the node knew it did when it
    exported: a chain refusal then means the node lacks some of its own events."""
    with read_session(engine) as session:
        return own_head(session, site)[0] > position


def apply_and_note(engine: Engine, actor: Actor, opened: Opened) -> None:
    """Apply what is pending (this import's and anything a killed one left), and note that
    the site was heard from."""
    drain(engine, actor)
    with write_session(engine) as session:
        # The export's own clock says nothing of the node's now (it may be days old): no offset.
        note_contact(
            session,
            opened.header.sender,
            version=opened.header.app_version,
            node_time=None,
            now=datetime.now(UTC),
            via=FILE,
        )


def write_reply(
    engine: Engine, hub_site: str, opened: Opened, path: Path, progress: Any = None
) -> tuple[int, int, int]:
    """Write the reply to `path`; (events it carries for the site, own events it gives back,
    its size)."""
    site = opened.header.sender
    body = opened.body
    cursor = int(body["cursor"])
    events: list[dict[str, Any]] = []
    while True:
        with read_session(engine) as session:
            page = pull_for(session, site, cursor, BATCH_LIMIT)
            events += [{"seq": e.seq, "event": to_wire(e)} for e in page.events]
        cursor = page.next
        if progress:
            progress("生成回执", len(events), None)
        if not page.more:
            break
    own = _own_events(engine, site, body)
    now = datetime.now(UTC)
    with read_session(engine) as session:
        head = session.get(JournalHead, site)
        theirs = body.get("reference") or {}
        published = digests(session, published=True)
        reference: dict[str, Any] = {"digests": published, "catalog": None, "calendar": None}
        if published["catalog"] and published["catalog"] != theirs.get("catalog"):
            reference["catalog"] = catalog_document(session)
        if published["calendar"] != (theirs.get("calendar") or {}):
            reference["calendar"] = calendar_document(session)
        reply = {
            "site": site,
            # The PC (its key) whose export this answers: a reply is for that PC alone, so a
            # second PC using the same site code cannot take it (sync/files_node.open_reply).
            "for_key": opened.header.signer_key,
            "events": events,
            "next": cursor,
            "head": {
                "count": head.count if head else 0,
                "hash": head.last_hash if head else GENESIS,
            },
            # The site's own events it lacks (a node back from an old backup): sync/recover.py.
            "own": own,
            "reference": reference,
            # The site's events waiting in the hub's quarantine, as `head` tells it online.
            "quarantined": told_to_site(session, site),
            "hub_time": now.isoformat(),
        }
    with write_session(engine) as session:
        key = own_key(session, now)
        session.expunge(key)
    size = write(path, key, kind=REPLY, sender=hub_site, addressee=site, made_at=now, body=reply)
    return len(events), len(own), size


def _own_events(engine: Engine, site: str, export: dict[str, Any]) -> list[dict[str, Any]]:
    """The site's own events for a node that does not hold the hub's whole chain of its site
    (its head, as the export says, is not the hub's): from the last event the node knew the
    hub held, included — `recover.take_own` checks it is the same at both ends and finds where
    the chains part, as online (desk/sync.py `_recover`). Empty for a node that holds it all."""
    with read_session(engine) as session:
        held, tip = own_head(session, site)
    if (held, tip) == (int(export.get("count", 0)), str(export.get("hash", ""))):
        return []
    position = int(export.get("position", 0))
    if held <= position:
        return []  # the hub holds nothing the node does not know of
    found: list[dict[str, Any]] = []
    position = max(0, position - 1)
    while position < held:
        with read_session(engine) as session:
            page = own_after(session, site, position, BATCH_LIMIT)
        if not page:
            break
        found += [to_wire(event) for event in page]
        position += len(page)
    return found


def _shaped(opened: Opened) -> None:
    """Refuse, before anything is stored, a signed export whose body is not an export's or
    carries an event of another site than its signer's."""
    body, site, name = opened.body, opened.header.sender, opened.path.name
    try:
        int(body["cursor"])
        events = body["events"]
        if not isinstance(events, list):
            raise TypeError
    except (KeyError, TypeError, ValueError):
        raise BundleRefused(f"{name} 的内容无法读取（签名完好，但格式不对）") from None
    for data in events:
        try:
            event = checked(data) if isinstance(data, dict) else None
        except WireError as exc:
            raise BundleRefused(f"{name} 中有无法读取的事件：{exc}") from None
        if event is None:
            raise BundleRefused(f"{name} 中有无法读取的事件")
        if event["site"] != site:
            raise BundleRefused(f"{name} 中有站点 {event['site']} 的事件，不是站点 {site} 的")
