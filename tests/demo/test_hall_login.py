"""The demo hall in the app: the login screen lists its accounts, its day and its seed (a
snapshot at 80×24), and a trainee signed in as the clerk finds the hall's queue waiting.

One demo is built per module, as `counter-tui demo --seed 2026 --date 2026-11-23` builds it (the
child process included); each test works on its own copy of the database.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from counter_tui.clock import set_demo_today, today_local
from counter_tui.demo.hall_accounts import PASSWORD
from counter_tui.demo.options import DemoOptions
from counter_tui.demo.setup import DemoDatabase, create_demo_database, demo_settings
from counter_tui.ui.app import CounterApp, make_app
from tests.conftest import HALL
from tests.ui.helpers import log_in, plain, settle

DAY = date(2026, 11, 23)
SEED = 2026
#: The app's clock in these tests: mid-morning of the demo's day.
AT = datetime(2026, 11, 23, 10, 30, tzinfo=HALL)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoDatabase]:
    demo = create_demo_database(
        DemoOptions(seed=SEED, today=DAY), parent=tmp_path_factory.mktemp("demo")
    )
    try:
        # create_demo_database moved this process's days to DAY, as the demo's own process
        # wants; the tests that need it set it again (demo_day).
        assert today_local() == DAY
    finally:
        set_demo_today(None)
    yield demo
    demo.remove()


@pytest.fixture
def demo(built: DemoDatabase, tmp_path: Path) -> DemoDatabase:
    """A private copy of the built demo."""
    path = tmp_path / "demo.db"
    shutil.copyfile(built.path, path)
    return replace(built, folder=tmp_path, settings=demo_settings(path, tmp_path / "notices"))


@pytest.fixture
def demo_day() -> Iterator[None]:
    set_demo_today(DAY)
    yield
    set_demo_today(None)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the input cursor from blinking, so a snapshot does not depend on when it is taken."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def app_of(demo: DemoDatabase) -> CounterApp:
    return make_app(demo.settings, login_hint=demo.login_hint, demo=demo, clock=lambda: AT)


def test_the_demo_login_lists_the_accounts_the_day_and_the_seed(
    snap_compare: Callable[..., bool], demo: DemoDatabase
) -> None:
    """80×24: the form on the left (演示站点（培训用） opened), and beside it 演示账号（密码都是
    demo1234） with demo 培训讲师, clerk 窗口人员·1号窗口, minzheng 后台审批·民政局, renshe
    后台审批·人社局, ducha 督查管理, then 演示日期 2026-11-23, 种子 2026 and the command that
    rebuilds the hall; the footer's Ctrl+Q 退出 under it all."""

    async def ready(pilot: Pilot[object]) -> None:
        await settle(pilot)

    assert snap_compare(app_of(demo), terminal_size=(80, 24), run_before=ready)


async def test_the_clerk_signs_in_and_finds_the_halls_queue_waiting(
    demo: DemoDatabase, demo_day: None
) -> None:
    app = app_of(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = plain(pilot, "#demo-accounts")
        assert "clerk" in panel and "窗口人员·1号窗口" in panel and "种子 2026" in panel
        # The same hall again needs the day it was built for, not only the seed.
        assert "counter-tui demo --seed 2026 --date 2026-11-23" in panel.replace("\n", "")
        await log_in(pilot, "clerk", PASSWORD)
        assert app.signed_in is not None and app.signed_in.actor.role == "clerk"
        await settle(pilot)
        # A demo's first sign-in offers the scenarios; Esc is free practice in the hall.
        assert type(app.screen).__name__ == "TrainingPicker"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        window = plain(pilot, "#queue-window")
    # 17 waiting: walk-ins, 2 priority tickets and 3 appointments checked in (hall_queue).
    assert "1 号窗口" in window
    assert "等候 A 8 人 · B 2 人 · C 5 人 · D 2 人 · V 0 人" in window
