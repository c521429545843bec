"""`sync restore`: a node rebuilt from its hub on a fresh PC, after its disk died.

The county admin runs `hub enroll SITE` again for a fresh one-time code; the code names the
site, so the new PC learns who it is from the hub. The restore then, in this order:

1. redeems the code (the hub keeps the old PC's device as replaced: if it was not dead after
   all, its next request is refused as a fork — sync/devices.py);
2. creates the schema and the node row, and the link marked `restoring`, WITHOUT recording any
   event: the site's `site.created`, its users, its catalog are all in its own chain;
3. takes back, in the hub's order (`GET /v1/sync/history`), its own events (sync/recover.py)
   and those it must see (sync/take.py) — one stream, so that a case's steps are applied in the
   order the hub applied them (the village's delivery after the county's approval); each page
   with its cursor in one transaction, so a restore killed midway goes on from the page it
   reached when run again on the same file;
4. takes its own events the hub has stored and not yet applied (`GET /v1/sync/own`: they have
   no place in the hub's order yet);
5. runs an ordinary sync round (desk/sync.py): the head agrees, nothing to push, nothing new
   to pull; `pushed_count` becomes the hub's count; the catalog and the calendar, which are
   reference data and not in the journal, are adopted from the hub as by any node;
6. clears `restoring`.

After it the node numbers the next case after the last one the hub held for that day (numbers
are read from the cases, which the own chain rebuilt), and users sign in with their passwords
(user.* events carry the hashes).

There is no `Desk` until step 2 (a desk opens an initialised node), so this takes the settings,
like desk/founding.py.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlmodel import Session

from counter_tui.db import make_engine, read_session, write_session
from counter_tui.desk.records import NodeInfo
from counter_tui.desk.sync import Progress, SyncDoor, SyncFailed
from counter_tui.errors import UserError
from counter_tui.schema import state as schema_state
from counter_tui.schema import upgrade
from counter_tui.settings import Settings
from counter_tui.site.models import Node
from counter_tui.site.service import site_name
from counter_tui.sync.models import SyncLink
from counter_tui.sync.outbox import own_count
from counter_tui.sync.take import take_page
from counter_tui.sync.wire import BATCH_LIMIT

if TYPE_CHECKING:
    import httpx

#: What the progress bar says while the site's events come back in the hub's order.
TAKING_HISTORY = "恢复记录"
#: … and while its own events the hub has not applied yet come back.
TAKING_OWN = "恢复本站记录"


class RestoreRefused(UserError):
    """A restore that cannot start or go on, in one Chinese line; nothing was left half-made."""


@dataclass(frozen=True)
class Restored:
    site: str
    site_name: str
    level: str
    #: The site's own events taken back from the hub.
    own: int
    #: Events of others the site must see, pulled.
    pulled: int
    #: A restore killed midway was finished (the code was not needed again).
    resumed: bool


def restore_node(
    settings: Settings,
    hub_url: str,
    code: str,
    *,
    site: str = "",
    progress: Progress | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Restored:
    """Rebuild the node of `settings` from the hub at `hub_url` with a fresh enrolment `code`
    (`site`, if given, must be the code's). Refused, with nothing changed: a demo, a database
    in use, a wrong, used or expired code."""
    if settings.demo:
        raise RestoreRefused("演示（培训）数据库不能从中心恢复：其中的数据都是虚构的")
    hub_url = hub_url.strip().rstrip("/")
    if not hub_url.startswith(("http://", "https://")):
        raise RestoreRefused(f"中心地址应以 http:// 或 https:// 开头：{hub_url}")
    path = settings.sqlite_path
    existed = path is not None and path.exists() and path.stat().st_size > 0
    engine = make_engine(settings.db_url, create=True)
    made = False
    try:
        link = _unfinished(engine, settings)
        resumed = link is not None
        if link is None:
            link = _founded(engine, hub_url, code, site, transport)
            made = True
        own, others = _take_history(engine, link, progress, transport)
        own += _take_own(engine, link, progress, transport)
        door = _door(engine, settings, link)
        door.transport, door.finishing_restore = transport, True
        done = door.run(progress)
        with write_session(engine) as session:
            row = session.get(SyncLink, 1)
            assert row is not None
            row.restoring = False
            session.add(row)
            name = site_name(session, link.site)
        return Restored(link.site, name, link.level, own, others + done.pulled, resumed)
    except BaseException:
        if not made and not existed and path is not None:
            engine.dispose()
            _remove(path)
        raise
    finally:
        engine.dispose()


@dataclass(frozen=True)
class _Link:
    site: str
    level: str
    hub_url: str
    token: str


def _unfinished(engine: Engine, settings: Settings) -> _Link | None:
    """The restore this database was left in, if it is one; RestoreRefused for a database in
    use (or a demo); None for an empty one."""
    if schema_state(engine).current is None:
        return None
    with read_session(engine) as session:
        node = session.get(Node, 1)
        if node is None:
            return None
        if node.demo:
            raise RestoreRefused("演示（培训）数据库不能从中心恢复：其中的数据都是虚构的")
        link = session.get(SyncLink, 1)
        if link is None or not link.restoring:
            raise RestoreRefused(
                f"数据库不是空的（站点 {node.site} 正在使用它）：恢复只能在新的空数据库上进行，"
                f"不会覆盖：{settings.db_url}"
            )
        return _Link(node.site, node.level, link.hub_url, link.token)


def _founded(
    engine: Engine,
    hub_url: str,
    code: str,
    site: str,
    transport: httpx.BaseTransport | None,
) -> _Link:
    """Redeem the code, then make the schema, the node row and the link (no event)."""
    from counter_tui.sync.client import HubClient, HubRefused, HubUnreachable

    try:
        with HubClient(hub_url, transport=transport) as client:
            answer = client.enroll(site.strip(), code.strip())
    except HubUnreachable as exc:
        raise RestoreRefused(f"恢复失败：{exc}") from None
    except HubRefused as exc:
        raise RestoreRefused(f"恢复失败：{exc.reason}") from None
    body = answer.body
    code_site, level = str(body.get("site", "")), str(body.get("level", ""))
    if not code_site or not level:
        raise RestoreRefused(
            "恢复失败：中心没有说明登记码所属的站点（中心的 counter-tui 版本过旧）"
        )
    now = datetime.now(UTC)
    upgrade(engine)
    with write_session(engine) as session:
        session.add(Node(site=code_site, demo=False, level=level, created_at=now))
        session.add(
            SyncLink(
                hub_url=hub_url,
                hub_site=str(body["hub_site"]),
                hub_name=str(body.get("hub_name", "")),
                token=str(body["token"]),
                registered_at=now,
                hub_offset_ms=answer.offset_ms,
                restoring=True,
            )
        )
    return _Link(code_site, level, hub_url, str(body["token"]))


def _take_history(
    engine: Engine,
    link: _Link,
    progress: Progress | None,
    transport: httpx.BaseTransport | None,
) -> tuple[int, int]:
    """Take the hub's stream of this site's own events and those it must see, from this
    database's cursor; (own taken, others applied)."""
    from counter_tui.sync.client import HubClient, HubRefused, HubUnreachable
    from counter_tui.sync.recover import RecoveryRefused

    own = others = 0
    try:
        with HubClient(link.hub_url, link.token, transport=transport) as client:
            while True:
                with read_session(engine) as session:
                    row = session.get(SyncLink, 1)
                    assert row is not None
                    cursor = row.pull_cursor
                page = client.history(cursor, BATCH_LIMIT).body
                events = [item["event"] for item in page.get("events", [])]
                nxt = int(page.get("next", cursor))
                with write_session(engine) as session:
                    took = _take_page(session, link.site, events, nxt)
                own, others = own + took[0], others + took[1]
                if progress:
                    progress(TAKING_HISTORY, own + others, None)
                if not page.get("more"):
                    return own, others
    except HubUnreachable as exc:
        raise SyncFailed(f"恢复未完成（{exc}）：网络恢复后再次运行同一命令即可继续") from None
    except HubRefused as exc:
        raise SyncFailed(f"恢复未完成：中心拒绝（{exc.status}）：{exc.reason}") from None
    except RecoveryRefused as exc:
        raise SyncFailed(f"恢复未完成：{exc.message}") from None


def _take_page(
    session: Session, site: str, events: list[dict[str, Any]], cursor: int
) -> tuple[int, int]:
    """One page of the stream, in its order: each run of own events through take_own, each
    run of others' through take_page; the cursor stored with them."""
    from counter_tui.sync.recover import take_own

    own = others = 0
    now = datetime.now(UTC)
    runs: list[list[dict[str, Any]]] = []
    for data in events:
        if runs and (runs[-1][0].get("site") == site) == (data.get("site") == site):
            runs[-1].append(data)
        else:
            runs.append([data])
    for run in runs:
        if run[0].get("site") == site:
            own += take_own(session, site, run, now).taken
        else:
            others += take_page(session, site, run, cursor, now).applied
    row = session.get(SyncLink, 1)
    assert row is not None
    row.pull_cursor = max(row.pull_cursor, cursor)
    session.add(row)
    return own, others


def _take_own(
    engine: Engine,
    link: _Link,
    progress: Progress | None,
    transport: httpx.BaseTransport | None,
) -> int:
    """Take back the site's own chain from where this database is; the number taken."""
    from counter_tui.sync.client import HubClient, HubRefused, HubUnreachable
    from counter_tui.sync.recover import RecoveryRefused, take_own

    taken = 0
    try:
        with HubClient(link.hub_url, link.token, transport=transport) as client:
            while True:
                with read_session(engine) as session:
                    position = own_count(session, link.site)
                page = client.own(position, BATCH_LIMIT).body
                total = int(page.get("count", 0))
                if progress:
                    progress(TAKING_OWN, position, total)
                events = [item["event"] for item in page.get("events", [])]
                if events:
                    with write_session(engine) as session:
                        taken += take_own(session, link.site, events, datetime.now(UTC)).taken
                if not page.get("more") or not events:
                    if progress:
                        progress(TAKING_OWN, position + len(events), total)
                    return taken
    except HubUnreachable as exc:
        raise SyncFailed(f"恢复未完成（{exc}）：网络恢复后再次运行同一命令即可继续") from None
    except HubRefused as exc:
        raise SyncFailed(f"恢复未完成：中心拒绝（{exc.status}）：{exc.reason}") from None
    except RecoveryRefused as exc:
        raise SyncFailed(f"恢复未完成：{exc.message}") from None


def _door(engine: Engine, settings: Settings, link: _Link) -> SyncDoor:
    with read_session(engine) as session:
        name = site_name(session, link.site)
    node = NodeInfo(site=link.site, site_name=name, demo=False, level=link.level)
    return SyncDoor(engine, node, settings)


def _remove(path: Path) -> None:
    """What a refused restore made of a database file that was not there (or empty) before."""
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)
