"""The trainer's demo database: isolated in its own folder, with catalog and calendar ready."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from counter_tui.accounts.rules import allowed
from counter_tui.catalog.service import active_version
from counter_tui.db import make_engine, read_session
from counter_tui.demo.setup import create_demo_database
from counter_tui.workdays.models import CalendarYear


def test_demo_keeps_its_notices_in_its_own_folder_and_is_ready_for_intake(tmp_path: Path) -> None:
    demo = create_demo_database(tmp_path)
    try:
        assert demo.settings.demo
        assert demo.settings.printing.folder.is_relative_to(demo.folder)
        assert demo.settings.printing.command == ""  # no printer: nothing leaves the machine
        assert allowed("trainer", "cases.intake")
        engine = make_engine(demo.settings.db_url)
        with read_session(engine) as session:
            version = active_version(session)
            assert version is not None and version.items > 50
            assert session.exec(select(CalendarYear).where(CalendarYear.year == 2026)).first()
        engine.dispose()
    finally:
        demo.remove()
    assert not demo.folder.exists()
