"""The header's 同步 tells the truth about the node's sync: each state in words, at the two sizes
that matter, and pictures of each (the sync door is a fake: tests/ui/syncfakes.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from counter_tui.settings import SyncSettings
from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.widgets.header import CounterHeader
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import log_in, notifications, settle
from tests.ui.syncfakes import FakeSync, sync_status

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SITE = "襄城区政务服务中心"
#: The last round's failure as the door keeps it: the hub's own words, long, with brackets
#: that must show literally.
REFUSED = "中心拒绝：本站的登记已被撤销 [请联系县级管理员重新登记] 登记码一次有效"

#: state → the status the fake door reports.
STATES = {
    "never": sync_status(last_success_at=None, last_attempt_at=None, pending=4),
    "synced": sync_status(),
    "pending": sync_status(pending=3),
    "offline": sync_status(
        pending=12, offline_since=datetime(2026, 11, 22, 9, 40, tzinfo=UTC), last_error="x"
    ),
    "error": sync_status(last_error=REFUSED, pending=2),
    "skew": sync_status(hub_offset_ms=-12 * 60_000),
}


@pytest.fixture
def fake_sync(monkeypatch: pytest.MonkeyPatch) -> FakeSync:
    fake = FakeSync()
    fake.install(monkeypatch)
    return fake


@pytest.fixture
def quiet_app(node: NodeDatabase) -> Callable[..., CounterApp]:
    """The app on the test node with background sync off (rounds only by the key), so that
    nothing but the test starts one."""

    def factory(demo: bool = False) -> CounterApp:
        settings = replace(node.settings, sync=SyncSettings(interval_seconds=0), demo=demo)
        return make_app(settings, clock=lambda: FIXED_NOW)

    return factory


def header_line(app: CounterApp) -> str:
    return app.screen.query_one(CounterHeader).render().plain


@pytest.mark.parametrize(
    ("state", "wide", "narrow"),
    [
        ("never", "同步：从未同步 · 待上传 4", "同步：从未同步 · 待上传 4"),
        ("synced", "同步：已同步 09:12", "同步：已同步 09:12"),
        ("pending", "同步：待上传 3 · 上次 09:12", "同步：待上传 3 · 上次 09:12"),
        ("offline", "同步：离线 自 11-22 17:40 · 待上传 12", "同步：离线 自 11-22 17:40"),
        ("error", "同步出错：中心拒绝：本站的登记已被撤销 [请联系", "同步出错 · 待上传 2"),
        ("skew", "同步：已同步 09:12 │ 时钟偏差", "同步：已同步 09:12 │ 时钟偏差"),
    ],
)
async def test_the_header_says_where_sync_stands(
    quiet_app: Callable[..., CounterApp], fake_sync: FakeSync, state: str, wide: str, narrow: str
) -> None:
    """Read from the status, in the hall's time; at 80 columns the richer wording gives way
    before the site name is cut to nothing (an error keeps 同步出错, offline its time)."""
    fake_sync.status = STATES[state]
    app = quiet_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        line = header_line(app)
        assert wide in line and line.startswith(SITE) and line.endswith("2026-11-23 09:30:00")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        line = header_line(app)
        assert narrow in line and line.endswith("09:30:00")
        assert line.startswith(SITE[:3]), "the site keeps a few characters"
        assert len(line) <= 78


@pytest.mark.parametrize(
    ("level", "words"), [("county", "同步：本机为县级中心"), ("village", "同步：未配置")]
)
async def test_an_unregistered_node_says_not_configured_and_the_county_that_it_is_the_hub(
    quiet_app: Callable[..., CounterApp], node: NodeDatabase, level: str, words: str
) -> None:
    """A county node has no hub of its own: the sites sync to it. Any other node that has not
    registered is not configured yet."""
    import sqlite3

    with sqlite3.connect(node.path) as db:
        db.execute("UPDATE node SET level = ?", (level,))
    app = quiet_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        line = header_line(app)
        assert line.startswith(SITE[:3]) and f"│ 3号窗口 │ 李四（窗口人员） │ {words}" in line


async def test_a_demo_database_says_it_never_syncs(quiet_app: Callable[..., CounterApp]) -> None:
    app = quiet_app(demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        assert "│ 演示模式·不同步" in header_line(app)
        assert "同步：" not in header_line(app)


async def test_the_header_does_not_read_the_database_when_it_paints(
    quiet_app: Callable[..., CounterApp], fake_sync: FakeSync
) -> None:
    """The header repaints every second; the status is read after a round and every few
    seconds, never by a paint."""
    app = quiet_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        reads = fake_sync.status_reads
        header = app.screen.query_one(CounterHeader)
        for _ in range(5):
            header.refresh()
            await pilot.pause()
        assert fake_sync.status_reads == reads
        fake_sync.status = STATES["pending"]
        app.syncing.read_status()  # what the keeper's tick does every few seconds
        await settle(pilot)
        assert fake_sync.status_reads == reads + 1
        assert "同步：待上传 3" in header_line(app)


async def test_a_clock_off_by_more_than_five_minutes_is_said_once(
    quiet_app: Callable[..., CounterApp], fake_sync: FakeSync
) -> None:
    fake_sync.status = STATES["skew"]
    app = quiet_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await log_in(pilot, "li", PASSWORD)
        app.syncing.read_status()
        await settle(pilot)
        said = notifications(pilot)
        assert len(said) == 1 and "本机时钟比县级中心快 12 分钟：请校准本机时间" in said[0]
        fake_sync.status = sync_status(hub_offset_ms=4 * 60_000)  # within five minutes
        app.syncing.read_status()
        await settle(pilot)
        assert "时钟偏差" not in header_line(app)


# --- pictures ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("state", ["never", "synced", "pending", "offline", "error", "skew"])
def test_sync_header_snapshot(
    snap_compare: Callable[..., bool],
    quiet_app: Callable[..., CounterApp],
    fake_sync: FakeSync,
    state: str,
    size: tuple[int, int],
) -> None:
    """The clerk 李四 on the statistics section (F6), the header's 同步 in each state: never
    synced with 4 waiting (yellow); synced at 09:12; 3 waiting since 09:12; offline since
    yesterday 17:40 with 12 waiting (yellow); an error (red; at 120 columns the hub's words,
    brackets literal, cut with … where the line ends; at 80 同步出错 · 待上传 2); synced with
    the yellow 时钟偏差 marker. The site name gives way first at 80 columns, down to ten cells;
    then the role goes (skew: 李四 without （窗口人员）, the site whole)."""
    fake_sync.status = STATES[state]

    async def there(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f6")
        await settle(pilot)
        pilot.app.clear_notifications()  # the clock's warning: its own test

    assert snap_compare(quiet_app(), terminal_size=size, run_before=there)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("demo", [False, True], ids=["unregistered", "demo"])
def test_unsynced_header_snapshot(
    snap_compare: Callable[..., bool],
    quiet_app: Callable[..., CounterApp],
    demo: bool,
    size: tuple[int, int],
) -> None:
    """The statistics section (F6) on a node that does not sync: 同步：本机为县级中心 (plain) on
    the unregistered county node, 演示模式·不同步 (reversed) on a demo database."""

    async def there(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f6")
        await settle(pilot)

    assert snap_compare(quiet_app(demo=demo), terminal_size=size, run_before=there)
