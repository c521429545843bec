"""Issue 17's first end-to-end run, with real programs: a village on SQLite carried only by files
(a USB stick) for a month, then switched to online sync, against a county hub on PostgreSQL.

The village registers once while the line works (the key exchange), and the line goes down.
Every week it takes cases in (a moving clock: a working day at a time), exports with `sync
export`; the county imports with `hub import --reply`, approves some of what arrived, and the
stick carries the reply back (`sync import`): the approvals made after one import reach the
village with the next reply. After four weeks the line is back: `sync now` carries the last
days and the last approvals. Both chains verify (`audit verify`), both ends hold the same events
for the village, and the cases read the same at both ends.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from counter_tui.cases.models import Case
from counter_tui.db import read_session
from tests.conftest import Cli
from tests.sync.e2e import (
    applied_at_hub,
    approve,
    enrolment_code,
    ok,
    same_events,
    take_in,
    verified,
)
from tests.sync.server import Server, hub_and_village

#: The first Monday of the month the village works off line.
FIRST = date(2026, 11, 2)
WEEKS = 4


def _states(engine: Engine, ids: list[str]) -> dict[str, tuple[str, object, str]]:
    with read_session(engine) as s:
        rows = s.exec(select(Case).where(col(Case.id).in_(ids))).all()
        return {r.id: (r.state, r.due, r.decision_number) for r in rows}


@pytest.mark.slow
def test_a_month_by_files_then_online(cli: Cli, tmp_path: Path, pg_server_url: str) -> None:
    with hub_and_village("postgres", tmp_path, pg_server_url) as (hub, hub_db, village, path):
        village_db = f"sqlite:///{path}"
        server = Server(cli, hub_db)
        server.start()
        try:
            code = enrolment_code(cli, hub_db)
            ok(cli("sync", "register", "--hub", server.url, "--code", code, db=village_db))
        finally:
            server.stop()

        # A month with the line down: the stick goes every Friday.
        taken: list[str] = []
        approved: list[str] = []
        stick = tmp_path / "stick"
        stick.mkdir()
        for week in range(WEEKS):
            monday = FIRST + timedelta(weeks=week)
            for day in range(5):
                taken += take_in(village, monday + timedelta(days=day), 2)
            if week == WEEKS - 1:
                break  # the last week goes on line
            bundle, reply = stick / f"week{week}.ctb", stick / f"reply{week}.ctb"
            said = ok(cli("sync", "export", bundle, db=village_db))
            assert "已导出" in said
            imported = cli.as_admin("hub", "import", bundle, "--reply", reply, db=hub_db)
            ok(imported)
            # What arrived is at the hub at once; the county approves every other case of it,
            # the next Monday (the village hears of it with the next reply).
            arrived = [c for c in taken[-10:] if c in _states(hub.engine, taken[-10:])]
            assert len(arrived) == 10
            decided = arrived[::2]
            approve(hub, decided, monday + timedelta(days=7), len(approved) + 1)
            approved += decided
            done = json.loads(ok(cli("sync", "import", reply, "--json", db=village_db)))
            assert done["applied"] > 0 or week == 0
            assert done["rejections"] == []

        # The village has heard of every approval but the last week's, and holds its own.
        at_village = _states(village.engine, taken)
        late = approved[-5:]
        assert all(at_village[c][0] == "completed" for c in approved if c not in late)
        assert all(at_village[c][0] == "handed_off" for c in late)

        # The line is back.
        server.start()
        try:
            first = json.loads(ok(cli("sync", "now", "--json", db=village_db)))
            assert first["pushed"] > 0 and first["pulled"] > 0
            applied_at_hub(hub.engine)
            ok(cli("sync", "now", db=village_db))
        finally:
            server.stop()

        verified(cli, hub_db, village_db)
        # Two events a case taken in, three a case approved, and the sites' own beginnings.
        assert same_events(hub.engine, village.engine) > WEEKS * 10 * 2 + len(approved) * 3
        at_hub, at_village = _states(hub.engine, taken), _states(village.engine, taken)
        assert at_hub == at_village and len(at_hub) == WEEKS * 10
        assert sorted(c for c, (state, _, _) in at_village.items() if state == "completed") == (
            sorted(approved)
        )
