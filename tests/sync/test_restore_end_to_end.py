"""Issue 17's recovery runs, with real programs: a village on SQLite, a county hub on PostgreSQL
served by `counter-tui hub serve`.

1. The village's disk dies: `sync restore` on an empty file rebuilds it from the hub, and the
   node goes on numbering the day's cases after the last one the hub held.
2. The village's PC is put back from a week-old backup (a copy of its SQLite file, taken while
   it went on working and syncing for a week) and used for a day before it syncs: its next
   `sync now` takes its missing week back from the hub and puts the day's work after it.
At the end of each, both chains verify and both ends hold the same events for the village.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from counter_tui.db import make_engine
from tests.conftest import Cli
from tests.sync.e2e import (
    applied_at_hub,
    approve,
    copy_sqlite,
    enrolment_code,
    numbers,
    ok,
    same_events,
    take_in,
    verified,
)
from tests.sync.helpers import Site
from tests.sync.server import Server, hub_and_village

MONDAY = date(2026, 11, 16)


@pytest.fixture
def online(
    cli: Cli, tmp_path: Path, pg_server_url: str
) -> Iterator[tuple[Site, str, Site, str, Server]]:
    """The hub served, the village registered with it."""
    with hub_and_village("postgres", tmp_path, pg_server_url) as (hub, hub_db, village, path):
        village_db = f"sqlite:///{path}"
        server = Server(cli, hub_db)
        server.start()
        try:
            code = enrolment_code(cli, hub_db)
            ok(cli("sync", "register", "--hub", server.url, "--code", code, db=village_db))
            yield hub, hub_db, village, village_db, server
        finally:
            server.stop()


def _sync(cli: Cli, db: str, hub: Site) -> dict[str, object]:
    done: dict[str, object] = json.loads(ok(cli("sync", "now", "--json", db=db)))
    applied_at_hub(hub.engine)
    return done


@pytest.mark.slow
def test_a_node_rebuilt_by_restore_goes_on_numbering(
    cli: Cli, tmp_path: Path, online: tuple[Site, str, Site, str, Server]
) -> None:
    hub, hub_db, village, village_db, server = online
    take_in(village, MONDAY, 3)
    take_in(village, MONDAY + timedelta(days=1), 2)
    _sync(cli, village_db, hub)
    village.engine.dispose()  # the disk dies

    fresh = tmp_path / "new-pc" / "village.db"
    fresh.parent.mkdir()
    fresh_db = f"sqlite:///{fresh}"
    code = enrolment_code(cli, hub_db)
    said = ok(cli("sync", "restore", "--hub", server.url, "--code", code, db=fresh_db))
    assert "已从中心恢复站点" in said
    rebuilt = Site(make_engine(fresh_db), village.operator, village.worker)
    try:
        assert sorted(numbers(rebuilt.engine)) == sorted(numbers(hub.engine))
        # The same Tuesday goes on: the next number after the hub's last.
        take_in(rebuilt, MONDAY + timedelta(days=1), 1, hand_off=False)
        made = [n for n in numbers(rebuilt.engine) if n not in numbers(hub.engine)]
        assert [n[-11:] for n in made] == ["261117-0003"]
        _sync(cli, fresh_db, hub)
        assert len(set(numbers(hub.engine))) == len(numbers(hub.engine)) == 6
        verified(cli, hub_db, fresh_db)
        same_events(hub.engine, rebuilt.engine)
    finally:
        rebuilt.engine.dispose()


@pytest.mark.slow
def test_a_node_back_from_a_week_old_backup_used_for_a_day(
    cli: Cli, tmp_path: Path, online: tuple[Site, str, Site, str, Server]
) -> None:
    hub, hub_db, village, village_db, _ = online
    path = Path(village_db.removeprefix("sqlite:///"))
    backup = tmp_path / "backup.db"
    take_in(village, MONDAY, 2)
    _sync(cli, village_db, hub)
    copy_sqlite(path, backup)  # Monday night's backup
    week: list[str] = []
    for day in range(1, 7):  # the week goes on, in sync every evening
        if (MONDAY + timedelta(days=day)).weekday() < 5:
            week += take_in(village, MONDAY + timedelta(days=day), 2)
        _sync(cli, village_db, hub)
    approve(hub, week[:3], MONDAY + timedelta(days=5), 1)
    _sync(cli, village_db, hub)
    before = sorted(numbers(hub.engine))

    village.engine.dispose()  # the PC is put back from Monday's backup
    copy_sqlite(backup, path)
    restored = Site(make_engine(village_db), village.operator, village.worker)
    try:
        # A day's work before anyone thinks of syncing: Tuesday's numbers again, on Monday's data.
        take_in(restored, MONDAY + timedelta(days=7), 2)
        take_in(restored, MONDAY + timedelta(days=1), 1, hand_off=False)  # a late entry
        done = _sync(cli, village_db, hub)
        assert done["pulled"]
        again = _sync(cli, village_db, hub)
        assert again["pushed"] == 0
        everything = numbers(hub.engine)
        assert set(before) <= set(everything)
        assert len(everything) == len(set(everything)) == len(before) + 3
        assert sorted(numbers(restored.engine)) == sorted(everything)
        verified(cli, hub_db, village_db)
        same_events(hub.engine, restored.engine)
    finally:
        restored.engine.dispose()
