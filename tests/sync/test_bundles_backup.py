"""A village back from an old backup syncs by file (issue 17, "Recovery", carried on a stick):
the hub does not take its export (its chain parts from the hub's), the reply gives the village
its own events back, the village puts what it wrote since after them, and its next export is
taken. Nothing is lost, each case number stays unique, both chains verify."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from counter_tui.cases.models import Case
from counter_tui.db import make_engine, read_session
from counter_tui.desk.node import Desk
from counter_tui.journal.models import Event
from counter_tui.journal.service import projection_differences, verify
from counter_tui.settings import Settings
from tests.sync.bundles import ADMIN, ends, link_of, snapshot
from tests.sync.helpers import VILLAGE_SITE, Site, accepted, backup_of


def _chain(desk: Desk) -> list[str]:
    with read_session(desk.engine) as s:
        query = select(Event.hash).where(Event.site == VILLAGE_SITE).order_by(col(Event.hlc))
        return list(s.exec(query).all())


def test_a_village_back_from_an_old_backup_recovers_by_file(tmp_path: Path) -> None:
    with ends("sqlite", tmp_path) as e:
        first, _ = accepted(e.served.village, 9)
        e.village.files.take_reply(e.hub_import(e.export("1.ctb"), "1r.ctb"))
        backup_url = backup_of(e.served.village_url, tmp_path / "backup.db")
        lost, lost_number = accepted(e.served.village, 10)  # the old PC's last case, then it dies
        e.village.files.take_reply(e.hub_import(e.export("2.ctb"), "2r.ctb"))

        restored = Desk(Settings(db_url=backup_url))
        try:
            site = Site(make_engine(backup_url), e.served.village.operator, e.served.village.worker)
            after, after_number = accepted(site, 11)  # a day's work on the restored PC
            assert after_number == lost_number  # the backup does not know the lost case
            stick = tmp_path / "3.ctb"
            restored.files.export(stick)
            hub_before = snapshot(e.hub)
            imported = e.hub.files.import_bundle(ADMIN, stick, tmp_path / "3r.ctb")
            assert imported.stored == 0 and imported.given_back > 0
            assert snapshot(e.hub) == hub_before  # the export's parted chain is not taken

            taken = restored.files.take_reply(imported.reply)
            assert taken.recovered > 0 and taken.rechained > 0
            assert taken.renumbered and taken.renumbered[0][0] == lost_number
            again = tmp_path / "4.ctb"
            restored.files.export(again)
            second = e.hub.files.import_bundle(ADMIN, again, tmp_path / "4r.ctb")
            assert second.stored == taken.rechained and second.given_back == 0
            restored.files.take_reply(second.reply)

            assert _chain(restored) == _chain(e.hub)
            assert link_of(restored).pushed_count == len(_chain(restored))
            with read_session(restored.engine) as s:
                numbers = [c.number for c in s.exec(select(Case)).all()]
                assert len(numbers) == len(set(numbers)) == 3
                assert {first, lost, after} <= {c.id for c in s.exec(select(Case)).all()}
            for desk in (restored, e.hub):
                with read_session(desk.engine) as s:
                    assert verify(s)[1] is None
                    assert projection_differences(s) == []
            site.engine.dispose()
        finally:
            restored.close()
