"""The trainer's demo database: isolated in its own folder, with catalog and calendar ready."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.accounts.rules import allowed
from counter_tui.catalog.service import active_version
from counter_tui.clock import set_demo_today, today_local
from counter_tui.db import make_engine, read_session
from counter_tui.demo.isolation import is_demo_file
from counter_tui.demo.options import DemoOptions
from counter_tui.demo.setup import create_demo_database
from counter_tui.errors import UserError
from counter_tui.site.models import Node
from counter_tui.workdays.models import CalendarYear

#: An empty hall (catalog, calendar, trainer): what these tests need, in a third of the time.
EMPTY = DemoOptions(hall=False)


@pytest.fixture(autouse=True)
def real_days() -> Iterator[None]:
    """A demo with a day moves this process's days: each test starts and ends on the real ones."""
    set_demo_today(None)
    yield
    set_demo_today(None)


def test_demo_keeps_its_notices_in_its_own_folder_and_is_ready_for_intake(tmp_path: Path) -> None:
    demo = create_demo_database(EMPTY, parent=tmp_path)
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
from counter_tui.demo.options import DemoOptions
from counter_tui.demo.setup import create_demo_database
from counter_tui.errors import UserError

def rss_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024

before = rss_mb()
demo = create_demo_database(DemoOptions(hall=False), parent=Path(sys.argv[1]))
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
        create_demo_database(EMPTY, parent=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_kept_demo_is_built_at_the_path_and_reopened_as_it_is(tmp_path: Path) -> None:
    """`--keep PATH` twice: the second time opens the same database (nothing rebuilt), with
    the seed and the day it was built with, and its notices go to a folder beside it."""
    path = tmp_path / "课堂.db"
    first = create_demo_database(
        DemoOptions(keep=path, seed=41, today=date(2026, 11, 23), hall=False)
    )
    first.remove()  # kept: never deleted
    assert path.is_file() and is_demo_file(path) and not first.reopened
    stamp = path.stat().st_mtime_ns
    set_demo_today(None)

    again = create_demo_database(DemoOptions(keep=path))

    assert again.reopened and again.path == path
    assert path.stat().st_mtime_ns == stamp
    assert (again.seed, again.options.today) == (41, date(2026, 11, 23))
    assert today_local() == date(2026, 11, 23)  # the kept hall's day comes back with it
    assert again.settings.printing.folder.parent == tmp_path / "课堂-demo"
    with pytest.raises(UserError, match="种子 41"):
        create_demo_database(DemoOptions(keep=path, seed=42))


def test_keep_refuses_a_real_database_and_any_other_file_and_leaves_them(
    tmp_path: Path,
) -> None:
    real = tmp_path / "counter.db"
    with sqlite3.connect(real) as conn:  # a node as `init` leaves it, not a demo
        conn.execute("CREATE TABLE node (id INTEGER PRIMARY KEY, demo BOOLEAN)")
        conn.execute("INSERT INTO node VALUES (1, 0)")
    conn.close()
    notes = tmp_path / "notes.txt"
    notes.write_text("不是数据库", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (real, notes)}

    for path in (real, notes):
        with pytest.raises(UserError, match=r"不是演示数据库.*不会打开或覆盖"):
            create_demo_database(DemoOptions(keep=path, hall=False))
    with pytest.raises(UserError, match="是一个目录"):
        create_demo_database(DemoOptions(keep=tmp_path, hall=False))

    assert {p.name: p.read_bytes() for p in (real, notes)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counter.db", "notes.txt"]


def test_a_demo_with_a_date_moves_this_process_days_and_keeps_the_time_of_day(
    tmp_path: Path,
) -> None:
    from counter_tui.clock import now_local

    real = now_local()
    demo = create_demo_database(DemoOptions(today=date(2030, 3, 4), hall=False), parent=tmp_path)
    try:
        moved = now_local()
        assert today_local() == date(2030, 3, 4) == moved.date()
        # The same time of day, on the demo's day (a few minutes at most apart: a slow build).
        assert timedelta(0) <= moved - (real + (moved.date() - real.date())) < timedelta(minutes=5)
        engine = make_engine(demo.settings.db_url)
        with read_session(engine) as session:
            node = session.get(Node, 1)
            assert node is not None and node.demo
        engine.dispose()
    finally:
        demo.remove()


def test_the_empty_node_is_built_once_and_copied_for_each_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migrations and the catalog import come out the same for every demo of an installation:
    the first demo keeps its empty node in the temporary folder, the next ones copy it."""
    from counter_tui.demo.setup import TEMPLATES

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))  # the build child's temporary folder

    first = create_demo_database(EMPTY, parent=tmp_path)
    second = create_demo_database(EMPTY, parent=tmp_path)

    kept = sorted(p.name for p in (temporary / TEMPLATES).iterdir())
    assert len(kept) == 1 and kept[0].endswith(".db")
    assert first.path != second.path
    assert is_demo_file(first.path) and is_demo_file(second.path)
    first.remove()
    second.remove()
