"""Two sites for the sync tests: a county hub and a village room, each its own database, each
with the intake catalog and the calendar; the village has a clerk, the hub an approver."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from counter_tui.accounts.service import create_user
from counter_tui.actor import Actor
from counter_tui.catalog.loader import load_catalog
from counter_tui.catalog.service import import_catalog
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.schema import upgrade
from counter_tui.site.service import initialise_node
from counter_tui.sync import deliver, receive, take
from counter_tui.sync.applier import drain
from counter_tui.sync.models import SyncLink
from counter_tui.sync.outbox import chain_event, unpushed_body
from counter_tui.sync.wire import to_wire
from counter_tui.workdays.service import ensure_seeded
from tests.cases.catalog import write_intake_catalog

HUB_SITE = "421202"
HUB_NAME = "襄城区政务服务中心"
VILLAGE_SITE = "421202-XA-BYQ"
VILLAGE_NAME = "卧龙镇白云桥村便民服务室"


@dataclass
class Site:
    engine: Engine
    operator: Actor
    #: 李四 (village clerk) or 王审批 (hub approver of SCJG).
    worker: Actor


#: (site, name, level, the catalog's files) → an SQLite file made once, its operator and worker.
_templates: dict[tuple[str, ...], tuple[Path, Actor, Actor]] = {}


def open_site(url: str, site: str, name: str, level: str, catalog: Path) -> Site:
    """A node of `site` with `catalog`, the calendar and its worker. An SQLite node is a copy
    of one made once per test session for the same site and catalog (as tests/conftest.py's
    `node`): migrating and importing again for every test would cost minutes."""
    from counter_tui.settings import sqlite_path

    path = sqlite_path(url)
    if path is None:
        return _made(url, site, name, level, catalog)
    files = sorted(catalog.rglob("*.toml"))
    key = (site, name, level, *(f"{f.relative_to(catalog)}={f.read_text('utf-8')}" for f in files))
    if key not in _templates:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="counter-tui-sync-template-"))
        template = folder / "site.db"
        made = _made(f"sqlite:///{template}", site, name, level, catalog)
        made.engine.dispose()
        _templates[key] = (template, made.operator, made.worker)
    template, operator, worker = _templates[key]
    import shutil

    shutil.copyfile(template, path)
    return Site(make_engine(url, create=True), operator, worker)


def _made(url: str, site: str, name: str, level: str, catalog: Path) -> Site:
    engine = make_engine(url, create=True)
    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(session, site=site, name=name, level=level)
        import_catalog(session, operator, load_catalog(catalog))
        ensure_seeded(session, operator)
        if level == "county":
            user = create_user(
                session,
                operator,
                username="wang",
                display_name="王审批",
                role="approver",
                password="secret123",
                department="SCJG",
            )
            worker = Actor("wang", "approver", site, user_id=user.id, department="SCJG")
        else:
            user = create_user(
                session,
                operator,
                username="li",
                display_name="李四",
                role="clerk",
                password="secret123",
            )
            worker = Actor("li", "clerk", site, user_id=user.id)
    return Site(engine, operator, worker)


def catalog_folder(root: Path) -> Path:
    return write_intake_catalog(root)


def link(village: Site) -> None:
    """What `sync register` leaves in the village (the HTTP half is tested elsewhere)."""
    with write_session(village.engine) as session:
        session.add(
            SyncLink(
                hub_url="http://hub.test",
                hub_site=HUB_SITE,
                token="t",
                registered_at=datetime.now(UTC),
            )
        )


def push(village: Site, hub: Site, now: datetime) -> receive.PushResult:
    """Everything the village has not pushed, in one batch, as the client would send it."""
    with read_session(village.engine) as session:
        held = _held(hub)
        tip = chain_event(session, VILLAGE_SITE, held)
        after = tip.hlc if tip is not None else ""
        events = json.loads(unpushed_body(session, VILLAGE_SITE, after, 500)[2])["events"]
    return push_wire(hub, events, now)


def push_wire(
    hub: Site, events: list[dict[str, Any]], now: datetime, *, apply: bool = True
) -> receive.PushResult:
    """Store the events at the hub, then (`apply`) apply them as the hub does right after."""
    with write_session(hub.engine) as session:
        result = receive.receive_push(
            session, VILLAGE_SITE, events, hub_site=hub.operator.site, now=now
        )
    if apply:
        drain(hub.engine, hub.operator)
    return result


def _held(hub: Site) -> int:
    from counter_tui.sync.outbox import own_count

    with read_session(hub.engine) as session:
        return own_count(session, VILLAGE_SITE)


def pull(village: Site, hub: Site, now: datetime) -> take.Taken:
    total = take.Taken()
    while True:
        with read_session(village.engine) as session:
            cursor = session.get(SyncLink, 1).pull_cursor  # type: ignore[union-attr]
        with read_session(hub.engine) as session:
            page = deliver.pull_for(session, VILLAGE_SITE, cursor)
            wire = [to_wire(e) for e in page.events]
        with write_session(village.engine) as session:
            got = take.take_page(session, VILLAGE_SITE, wire, page.next, now)
        total.applied += got.applied
        total.repeated += got.repeated
        total.flagged += got.flagged
        total.rejections += got.rejections
        if not page.more:
            return total


def forge(
    prev_hash: str, hlc: str, type: str, payload: dict[str, Any], actor: str = "li"
) -> dict[str, Any]:
    """A wire event of the village's chain made by hand, as a newer or a broken node would send
    it: correctly hashed, after `prev_hash`."""
    from counter_tui.ids import new_id
    from counter_tui.journal.models import Event
    from counter_tui.journal.rules import canonical_json
    from counter_tui.journal.service import hash_of

    event = Event(
        id=new_id(),
        site=VILLAGE_SITE,
        actor=actor,
        hlc=hlc,
        type=type,
        payload=canonical_json(payload),
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = hash_of(event)
    return to_wire(event)


def hub_head(hub: Site, site: str = VILLAGE_SITE) -> tuple[str, str, int]:
    """(last hash, last HLC, count) of `site`'s chain at the hub."""
    from counter_tui.journal.models import JournalHead

    with read_session(hub.engine) as session:
        head = session.get(JournalHead, site)
        assert head is not None
        return head.last_hash, head.last_hlc, head.count


def handed_off(village: Site) -> str:
    """张三's F-5 case, accepted at the village on 11-09 and handed off that afternoon."""
    from counter_tui.cases import backoffice, commands
    from tests.cases.helpers import at, f5

    with write_session(village.engine) as s:
        case_id = commands.accept(s, village.worker, f5(), now=at(11, 9)).case.id
    with write_session(village.engine) as s:
        backoffice.hand_off(s, village.worker, case_id, now=at(11, 9, 14))
    return case_id


def accepted(site: Site, hour: int) -> tuple[str, str]:
    """张三's F-5 case accepted at `site` on 11-09 at `hour`: its id and number."""
    from counter_tui.cases import commands
    from tests.cases.helpers import at, f5

    with write_session(site.engine) as s:
        case = commands.accept(s, site.worker, f5(), now=at(11, 9, hour)).case
        return case.id, case.number


def backup_of(url: str, to: Path) -> str:
    """A copy of the SQLite node at `url` in `to` (SQLite's backup API, as a backup tool
    would make it): its URL, for a PC put back from it later."""
    import sqlite3

    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    target = sqlite3.connect(to)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return f"sqlite:///{to}"
