"""The node's side of sync by file: write an export bundle, take the hub's reply.

An export carries the site's own events the hub may not hold yet — from the position the hub
last said it held (`sync_link.pushed_count`), so a stick lost on the way loses nothing: the
export marks nothing pushed, and the next export or online round sends the same events again,
which the hub takes as repeats. The reply says what the hub holds; only then does the node move
its own marks, each forward only and each in the transaction of what it covers (docs/sync.md,
"Sync by file").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from counter_tui.db import read_session, write_session
from counter_tui.journal.models import JournalHead
from counter_tui.journal.rules import GENESIS
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
from counter_tui.sync.keys import existing_key, fingerprint
from counter_tui.sync.models import SyncLink
from counter_tui.sync.outbox import chain_event, own_count, unpushed_body
from counter_tui.sync.recover import RecoveryRefused, take_own
from counter_tui.sync.reference import digests
from counter_tui.sync.take import Taken, take_page
from counter_tui.sync.wire import BATCH_LIMIT

#: Events of a reply applied per transaction, as an online pull's page (desk/sync.PULL_PAGE).
TAKE_PAGE = 100


@dataclass
class Written:
    events: int
    size_bytes: int


@dataclass
class TakenFile:
    applied: int = 0
    repeated: int = 0
    flagged: int = 0
    #: Own events taken back from the hub, own events re-chained after them, cases renumbered.
    recovered: int = 0
    rechained: int = 0
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    #: Ids of case.action_rejected events taken.
    rejections: list[str] = field(default_factory=list)
    #: Reference data adopted (in Chinese), as a round's.
    reference: list[str] = field(default_factory=list)


def write_export(engine: Engine, site: str, path: Path, progress: Any = None) -> Written:
    """Write this node's export bundle to `path`."""
    now = datetime.now(UTC)
    with read_session(engine) as session:
        link = session.get(SyncLink, 1)
        if link is None:
            raise BundleRefused("尚未登记到中心（请先运行 counter-tui sync register）")
        key = existing_key(session)
        if key is None:
            raise BundleRefused(
                "本机还没有签名密钥：请先联网同步一次（counter-tui sync now）或重新登记，再导出"
            )
        session.expunge(key)
        held = link.pushed_count
        total = own_count(session, site)
        head = session.get(JournalHead, site)
        tip = chain_event(session, site, held)
        after = tip.hlc if tip is not None else ""
        position = held if tip is not None else 0
        summary = {
            "site": site,
            "position": position,
            "cursor": link.pull_cursor,
            "count": total,
            "hash": head.last_hash if head else GENESIS,
            "reference": digests(session, published=True),
            "node_time": now.isoformat(),
        }
        hub = link.hub_site
    events: list[Any] = []
    waiting = max(0, total - position)
    while True:
        if progress:
            progress("导出", len(events), waiting)
        with read_session(engine) as session:
            count, after, body = unpushed_body(session, site, after, BATCH_LIMIT)
        if not count:
            break
        events += json.loads(body)["events"]
    if progress:
        progress("导出", len(events), len(events))
    size = write(
        path,
        key,
        kind=EXPORT,
        sender=site,
        addressee=hub,
        made_at=now,
        body=summary | {"events": events},
    )
    return Written(len(events), size)


def open_reply(engine: Engine, site: str, path: Path) -> Opened:
    """The hub's reply at `path`, checked: signed by the hub this node is registered with,
    addressed to this site. BundleRefused otherwise."""
    opened = open_bundle(path)
    check_kind(opened, REPLY, "应在中心用 counter-tui hub import 导入")
    name = path.name
    with read_session(engine) as session:
        link = session.get(SyncLink, 1)
        if link is None:
            raise BundleRefused("尚未登记到中心（请先运行 counter-tui sync register）")
        hub, hub_key = link.hub_site, link.hub_public_key
    header = opened.header
    if header.addressee != site:
        raise BundleRefused(
            f"{name} 是中心发给站点 {header.addressee} 的回执，不是本站点（{site}）的，不能导入"
        )
    if header.sender != hub:
        raise BundleRefused(f"{name} 来自 {header.sender}，不是本站点登记的中心（{hub}），不能导入")
    if not hub_key:
        raise BundleRefused(
            "本机还没有中心的公钥：请先联网同步一次（counter-tui sync now）或重新登记，再导入回执"
        )
    check_signer(opened, hub_key, f"中心 {hub} ")
    _for_this_pc(engine, opened)
    _shaped(opened)
    return opened


def _for_this_pc(engine: Engine, opened: Opened) -> None:
    """Refuse a reply that answers another PC's export (the same site code on two PCs, or an
    old PC after `sync restore` replaced it): its own events and head are that PC's chain."""
    meant = opened.body.get("for_key")
    if not isinstance(meant, str) or not meant:
        return  # a reply from before replies named their PC
    with read_session(engine) as session:
        mine = existing_key(session)
    if mine is None or mine.public_key != meant:
        raise BundleRefused(
            f"{opened.path.name} 是中心给本站点另一台电脑（密钥 {fingerprint(meant)}）的回执，"
            "不是本机导出的文件的回执，不能导入：两台电脑在用同一个站点编码？请联系县级管理员"
        )


def take_events(engine: Engine, site: str, opened: Opened, progress: Any = None) -> TakenFile:
    """Take back this site's own events the reply gives (a node back from an old backup), in
    one transaction as online (sync/recover.py); then apply the hub's events a page per
    transaction, each page with its cursor (which moves forward only: an old reply after a
    newer one, or one taken twice, changes nothing)."""
    body = opened.body
    items = body["events"]
    done = TakenFile()
    own = body.get("own") or []
    if own:
        if progress:
            progress("取回本站记录", 0, len(own))
        try:
            with write_session(engine) as session:
                back = take_own(session, site, own, datetime.now(UTC))
        except RecoveryRefused as exc:
            raise BundleRefused(exc.message) from None
        done.recovered, done.rechained = back.taken, back.rechained
        done.renumbered, done.flagged = back.renumbered, back.flagged
        if progress:
            progress("取回本站记录", len(own), len(own))
    final = int(body["next"])
    for start in range(0, max(len(items), 1), TAKE_PAGE):
        page = items[start : start + TAKE_PAGE]
        last = start + TAKE_PAGE >= len(items)
        cursor = final if last else int(page[-1]["seq"])
        with write_session(engine) as session:
            taken: Taken = take_page(
                session, site, [item["event"] for item in page], cursor, datetime.now(UTC)
            )
        done.applied += taken.applied
        done.repeated += taken.repeated
        done.flagged += taken.flagged
        done.rejections += taken.rejections
        if progress:
            progress("导入", min(start + TAKE_PAGE, len(items)), len(items))
    return done


def take_head(engine: Engine, site: str, opened: Opened) -> None:
    """What the hub holds of this site's chain, as the reply says: kept as `pushed_count` when
    it is our chain at that position (forward only), and the reply's time kept."""
    head = opened.body["head"]
    count, tip = int(head["count"]), str(head["hash"])
    with write_session(engine) as session:
        link = session.get(SyncLink, 1)
        assert link is not None
        ours = chain_event(session, site, count)
        if count and ours is not None and ours.hash == tip and count > link.pushed_count:
            link.pushed_count = count
        made = opened.header.made_at
        if link.reply_made_at is None or made > link.reply_made_at:
            link.reply_made_at = made
            held = opened.body.get("quarantined")
            if isinstance(held, list):  # a hub that says it (issue 17 on): as online
                link.hub_quarantine = json.dumps(held, ensure_ascii=False)
                link.hub_quarantine_at = made
        session.add(link)


def reply_is_newest(engine: Engine, opened: Opened) -> bool:
    """Whether the reply was made after everything this node has taken from its hub (another
    reply, an online round): only then is its reference data adopted — an older reply's
    catalog would undo a newer one's."""
    made = opened.header.made_at
    with read_session(engine) as session:
        link = session.get(SyncLink, 1)
        assert link is not None
        if link.reply_made_at is not None and made <= link.reply_made_at:
            return False
        if link.last_success_at is not None:
            # The online round's start, on the hub's clock.
            online = link.last_success_at + timedelta(milliseconds=link.hub_offset_ms)
            if made <= online:
                return False
    return True


def _shaped(opened: Opened) -> None:
    """Refuse a signed reply whose body is not a reply's (a bug or another program)."""
    body = opened.body
    try:
        int(body["next"])
        int(body["head"]["count"])
        str(body["head"]["hash"])
        if not isinstance(body["events"], list) or not isinstance(body.get("own", []), list):
            raise TypeError
        for item in body["events"]:
            int(item["seq"])
            if not isinstance(item["event"], dict):
                raise TypeError
    except (KeyError, TypeError, ValueError):
        raise BundleRefused(f"{opened.path.name} 的内容无法读取（签名完好，但格式不对）") from None
