"""A village restored from a backup older than its last sync (issue 17, "Recovery"): its next
sync round takes back the own events the hub holds and it lacks, puts what it wrote since the
restore after them, renumbers a case whose number the hub's events gave, and pushes the rest.
In process (the API behind the test transport), the hub on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_tui.cases.models import Case, CaseNotice
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.desk.node import Desk
from counter_tui.desk.sync import SyncFailed
from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.service import projection_differences, verify
from counter_tui.settings import Settings
from counter_tui.sync.models import SyncLink, SyncProblem
from tests.sync.api import Served, register, served
from tests.sync.helpers import VILLAGE_SITE, Site, accepted, backup_of


@pytest.fixture
def api(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with served(db_kind, tmp_path, server) as found:
        register(found)
        yield found


def _number(site_engine: object, case_id: str) -> str:
    with read_session(site_engine) as s:  # type: ignore[arg-type]
        case = s.get(Case, case_id)
        assert case is not None
        return case.number


def _sound(engine: object) -> None:
    with read_session(engine) as s:  # type: ignore[arg-type]
        assert verify(s)[1] is None
        assert projection_differences(s) == []


def test_a_node_back_from_an_old_backup_gets_its_events_back_and_keeps_its_new_ones(
    api: Served, tmp_path: Path
) -> None:
    first, first_number = accepted(api.village, 9)
    api.desk.sync.run()
    backup_url = backup_of(api.village_url, tmp_path / "backup.db")
    # The old PC goes on, syncs, and dies.
    lost, lost_number = accepted(api.village, 10)
    api.desk.sync.run()

    restored = Desk(Settings(db_url=backup_url))
    restored.sync.transport = api.desk.sync.transport
    try:
        site = Site(make_engine(backup_url), api.village.operator, api.village.worker)
        new, new_number = accepted(site, 11)
        assert new_number == lost_number  # the backup does not know the lost PC's case

        done = restored.sync.run()

        assert done.taken_back > 0 and done.rechained > 0
        assert done.renumbered == [(new_number, new_number[:-4] + "0003")]
        assert _number(site.engine, lost) == lost_number
        assert _number(site.engine, new) == new_number[:-4] + "0003"
        assert _number(api.hub.engine, new) == new_number[:-4] + "0003"
        assert _number(api.hub.engine, first) == first_number
        with read_session(site.engine) as s:
            notices = s.exec(select(CaseNotice.number).where(CaseNotice.case_id == new)).all()
            assert notices and all(n.startswith(new_number[:-4] + "0003-") for n in notices)
            told = s.exec(select(SyncProblem).where(SyncProblem.kind == "renumbered")).all()
            assert len(told) == 1 and new_number in told[0].detail
            link = s.get(SyncLink, 1)
            assert link is not None
            mine = s.get(JournalHead, VILLAGE_SITE)
            assert mine is not None and link.pushed_count == mine.count
        with read_session(api.hub.engine) as s:
            theirs = s.get(JournalHead, VILLAGE_SITE)
            assert theirs is not None and (theirs.count, theirs.last_hash) == (
                mine.count,
                mine.last_hash,
            )
            ids = set(s.exec(select(Event.id).where(Event.site == VILLAGE_SITE)).all())
        with read_session(site.engine) as s:
            assert ids == set(s.exec(select(Event.id).where(Event.site == VILLAGE_SITE)).all())
        _sound(site.engine)
        _sound(api.hub.engine)

        # The next case follows every number either side gave that day.
        _, after = accepted(site, 12)
        assert after == new_number[:-4] + "0004"
        again = restored.sync.run()
        assert again.pushed > 0 and again.taken_back == 0 and again.renumbered == []
        _sound(site.engine)
        _sound(api.hub.engine)
        site.engine.dispose()
    finally:
        restored.close()


def test_a_backup_without_new_work_takes_its_events_back_as_they_were(
    api: Served, tmp_path: Path
) -> None:
    accepted(api.village, 9)
    api.desk.sync.run()
    backup_url = backup_of(api.village_url, tmp_path / "backup.db")
    lost, lost_number = accepted(api.village, 10)
    api.desk.sync.run()

    restored = Desk(Settings(db_url=backup_url))
    restored.sync.transport = api.desk.sync.transport
    try:
        done = restored.sync.run()
        assert done.taken_back > 0 and done.rechained == 0 and done.pushed == 0
        assert _number(restored.engine, lost) == lost_number
        _sound(restored.engine)
    finally:
        restored.close()


def test_a_real_fork_at_a_position_the_hub_acknowledged_still_stops(
    api: Served, tmp_path: Path
) -> None:
    """The hub said it held the node's event at a position where it now holds another: not a
    backup (the node's event had left this PC), so nothing is rewritten."""
    accepted(api.village, 9)
    api.desk.sync.run()
    backup_url = backup_of(api.village_url, tmp_path / "backup.db")
    accepted(api.village, 10)
    api.desk.sync.run()
    restored = Desk(Settings(db_url=backup_url))
    restored.sync.transport = api.desk.sync.transport
    try:
        site = Site(restored.engine, api.village.operator, api.village.worker)
        accepted(site, 11)
        with write_session(restored.engine) as s:
            link = s.get(SyncLink, 1)
            assert link is not None
            link.pushed_count += 1  # as if the hub had acknowledged the event written here
            s.add(link)
        with read_session(restored.engine) as s:
            before = s.exec(select(Event.hash).order_by(col(Event.seq))).all()
        with pytest.raises(SyncFailed, match="分叉"):
            restored.sync.run()
        with read_session(restored.engine) as s:
            assert s.exec(select(Event.hash).order_by(col(Event.seq))).all() == before
    finally:
        restored.close()
