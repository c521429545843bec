"""The trainer's demo database: isolated in its own folder, with catalog and calendar ready."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.accounts.rules import allowed
from counter_tui.catalog.service import active_version
from counter_tui.db import make_engine, read_session
from counter_tui.demo.setup import create_demo_database
from counter_tui.errors import UserError
from counter_tui.workdays.models import CalendarYear


def test_demo_keeps_its_notices_in_its_own_folder_and_is_ready_for_intake(tmp_path: Path) -> None:
    demo = create_demo_database(parent=tmp_path)
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


#: Prints how much the process's RSS grew (MB) while it created a demo database.
BUILD_DEMO = """
import gc, json, sys
from pathlib import Path
from counter_tui.demo.setup import create_demo_database
from counter_tui.errors import UserError

def rss_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024

before = rss_mb()
demo = create_demo_database(parent=Path(sys.argv[1]))
gc.collect()
print(json.dumps({"growth_mb": rss_mb() - before, "db": demo.path.is_file()}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from /proc")
def test_building_the_demo_leaves_the_app_process_as_light_as_a_real_node(tmp_path: Path) -> None:
    """Issue 12: built in the app's process, the demo was 174 MB after sign-in against 87."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD_DEMO, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["db"]
    assert figures["growth_mb"] < 10, figures  # in-process: about 110 MB


def test_a_failed_build_says_so_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))

    with pytest.raises(UserError, match="无法建立演示数据库"):
        create_demo_database(parent=tmp_path)
    assert list(tmp_path.iterdir()) == []
