"""Sync in the app: the key's round and what it says, never two rounds at once, background
rounds on the interval with back-off after failures, and a rejected step told to its author
and to nobody else (the sync door is a fake: tests/ui/syncfakes.py)."""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable
from dataclasses import replace

import pytest

from counter_tui.desk.records import SyncRound, SyncStatus
from counter_tui.desk.sync import SyncFailed
from counter_tui.settings import SyncSettings
from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.syncing import SyncKeeper
from counter_tui.ui.widgets.status import StatusLine
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import Keys, log_in, notifications, settle, sign_in_as
from tests.ui.history import at, hall_on
from tests.ui.syncfakes import FakeSync, rejection, sync_status

UNREACHABLE = "同步失败：无法连接中心（ConnectError）"


@pytest.fixture
def fake_sync(monkeypatch: pytest.MonkeyPatch) -> FakeSync:
    fake = FakeSync()
    fake.install(monkeypatch)
    return fake


@pytest.fixture
def app_with(node: NodeDatabase) -> Callable[..., CounterApp]:
    """The app on the test node; `interval` seconds between background rounds (default 0:
    only the test starts one), `demo` for a training database."""

    def factory(interval: int = 0, demo: bool = False) -> CounterApp:
        settings = replace(node.settings, sync=SyncSettings(interval_seconds=interval), demo=demo)
        return make_app(settings, clock=lambda: FIXED_NOW)

    return factory


def status_line(app: CounterApp) -> tuple[str, bool]:
    """What the current screen's status line says, and whether as an error."""
    line = app.screen.query(StatusLine).first()
    return str(line.render()), line.has_class("error")


async def test_the_key_syncs_once_and_says_what_went_each_way(
    app_with: Callable[..., CounterApp], fake_sync: FakeSync
) -> None:
    fake_sync.outcomes = [SyncRound(7, 2, [], 0, sync_status())]
    app = app_with()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert fake_sync.rounds == 1
        assert status_line(app) == ("同步完成：上传 7 条，下载 2 条", False)


async def test_a_second_press_while_a_round_runs_waits_for_it(
    app_with: Callable[..., CounterApp], fake_sync: FakeSync
) -> None:
    """Ctrl+Y during a round starts no other (nor does a background tick); the round's
    outcome is said when it ends."""
    fake_sync.gate = threading.Event()
    fake_sync.outcomes = [SyncRound(1, 0, [], 0, sync_status())]
    app = app_with(interval=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+y")
        assert await asyncio.to_thread(fake_sync.started.wait, 5)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.syncing.running
        assert status_line(app) == ("正在同步，完成后在此显示结果", False)
        app.syncing.tick()
        await pilot.pause()
        fake_sync.gate.set()
        await settle(pilot)
        assert fake_sync.rounds == 1
        assert status_line(app) == ("同步完成：上传 1 条，下载 0 条", False)
        assert not app.syncing.running


async def test_a_failed_round_is_said_in_chinese_and_nothing_is_typed_away(
    app_with: Callable[..., CounterApp], fake_sync: FakeSync
) -> None:
    fake_sync.outcomes = [SyncFailed(UNREACHABLE)]
    app = app_with()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press(*"spj")  # the clerk was typing an item's name
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert status_line(app) == (UNREACHABLE, True)
        assert app.screen.focused is not None
        assert getattr(app.screen.focused, "value", None) == "spj"


async def test_an_unregistered_node_says_how_to_register(
    app_with: Callable[..., CounterApp],
) -> None:
    app = app_with()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+y")
        await settle(pilot)
        text, error = status_line(app)
        assert error and "尚未登记到中心" in text and "counter-tui sync register" in text


async def test_a_demo_database_says_it_cannot_sync(app_with: Callable[..., CounterApp]) -> None:
    app = app_with(demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+y")
        await settle(pilot)
        text, error = status_line(app)
        assert error and text.startswith("演示（培训）数据库不能登记或同步")


async def test_a_decision_the_round_brings_shows_in_the_open_worklist_at_once(
    fake_sync: FakeSync, intake_node: NodeDatabase
) -> None:
    node = intake_node
    with hall_on(node) as hall:
        case = hall.claimed("张三", 2, claimed_on=3)
    settings = replace(node.settings, sync=SyncSettings(interval_seconds=0))
    app = make_app(settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f4")
        await settle(pilot)
        assert case.number[-4:] not in shown_worklist(app)  # with the county, nothing to do here

        def decided_at_the_county() -> None:
            with hall_on(node) as hall:
                hall.act(hall.approver, "approve", case, at(16, 9), decision_number="SCJG-1")
                hall.act(hall.approver, "complete", case, at(18, 9))

        fake_sync.arrives = decided_at_the_county
        fake_sync.outcomes = [SyncRound(0, 3, [], 0, sync_status())]
        await pilot.press("ctrl+y")
        await settle(pilot)
        rows = shown_worklist(app)
        assert case.number[-4:] in rows and "待出件" in rows  # without leaving the screen


def shown_worklist(app: CounterApp) -> str:
    from textual.widgets import DataTable

    table = app.screen.query_one("#worklist-table", DataTable)
    return " ".join(str(cell) for row in range(table.row_count) for cell in table.get_row_at(row))


async def test_a_rejected_step_is_told_to_its_author_only(
    app_with: Callable[..., CounterApp], fake_sync: FakeSync
) -> None:
    mine = rejection("li", "XA-BYQ-20261123-0001", "撤回")
    theirs = rejection("wang", "XA-BYQ-20261123-0002", "要求补正")
    fake_sync.outcomes = [SyncRound(0, 2, [mine, theirs], 0, sync_status())] * 2
    app = app_with()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("ctrl+y")
        await settle(pilot)
        said = notifications(pilot)
        assert len(said) == 1
        assert "办件 XA-BYQ-20261123-0001 的「撤回」未被县级中心采纳" in said[0]
        assert "中心已于 10:02 准予许可，不能再撤回" in said[0]
        app.clear_notifications()
        await sign_in_as(Keys(pilot), "zhao")  # a supervisor: neither step is theirs
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert fake_sync.rounds == 2
        assert not any("未被县级中心采纳" in n for n in notifications(pilot))


async def test_at_sign_in_the_user_reads_the_rejections_they_have_not_been_shown(
    app_with: Callable[..., CounterApp], fake_sync: FakeSync
) -> None:
    first = rejection("li", "XA-BYQ-20261123-0001")
    fake_sync.rejections = [first]
    later = rejection("li", "XA-BYQ-20261123-0002", "要求补正")
    fake_sync.outcomes = [SyncRound(0, 1, [later], 0, sync_status())]
    app = app_with()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await log_in(pilot, "li", PASSWORD)
        assert any("XA-BYQ-20261123-0001" in n for n in notifications(pilot))
        app.clear_notifications()
        await sign_in_as(Keys(pilot), "wang")
        assert notifications(pilot) == []  # li's rejection is not wang's news
        # One of li's steps is turned down while wang is at the window: not told to wang.
        fake_sync.rejections.append(later)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert not any("未被县级中心采纳" in n for n in notifications(pilot))
        await sign_in_as(Keys(pilot), "li")
        said = [n for n in notifications(pilot) if "未被县级中心采纳" in n]
        # The new one, however late it was stamped; the one li has read, not again.
        assert len(said) == 1 and "XA-BYQ-20261123-0002" in said[0]
        assert [name for name, _ in fake_sync.asked] == ["li", "wang", "li"]
        assert all(unread for _, unread in fake_sync.asked)
        assert fake_sync.read == {first.event_id, later.event_id}


class MostJitter(random.Random):
    """The back-off's jitter at its top: the longest wait it may choose."""

    def uniform(self, a: float, b: float) -> float:
        return b


async def test_background_rounds_come_on_the_interval_and_back_off_after_failures(
    app_with: Callable[..., CounterApp], fake_sync: FakeSync
) -> None:
    """Every 60 s; after one failure up to 120 s, after two up to 240 s; after a success
    every 60 s again. A background round says nothing on the status line."""
    fake_sync.outcomes = [SyncFailed(UNREACHABLE), SyncFailed(UNREACHABLE)]
    now = [1000.0]
    app = app_with(interval=60)
    app.syncing = SyncKeeper(app, monotonic=lambda: now[0], rng=MostJitter())
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)

        async def at(seconds: float) -> int:
            """The rounds run so far, when the clock says `seconds` after the start."""
            now[0] = 1000.0 + seconds
            app.syncing.tick()
            await settle(pilot)
            return fake_sync.rounds

        assert await at(0) == 1, "a registered node's first round is due at once"
        assert app.syncing.failures == 1
        assert status_line(app)[0] == ""
        assert await at(60) == 1 and await at(119) == 1
        assert await at(120) == 2 and app.syncing.failures == 2
        assert await at(120 + 239) == 2
        assert await at(120 + 240) == 3 and app.syncing.failures == 0
        assert await at(360 + 59) == 3
        assert await at(360 + 60) == 4


@pytest.mark.parametrize(
    ("interval", "status"),
    [
        (60, sync_status(registered=False, last_success_at=None)),
        (60, sync_status(demo=True)),
        (0, sync_status()),
    ],
    ids=["unregistered", "demo", "interval-0"],
)
async def test_no_background_round_where_it_is_not_wanted(
    app_with: Callable[..., CounterApp],
    fake_sync: FakeSync,
    interval: int,
    status: SyncStatus,
) -> None:
    fake_sync.status = status
    now = [1000.0]
    app = app_with(interval=interval)
    app.syncing = SyncKeeper(app, monotonic=lambda: now[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        for _ in range(3):
            now[0] += 3600
            app.syncing.tick()
            await settle(pilot)
        assert fake_sync.rounds == 0


async def test_the_key_is_in_the_help_and_the_palette(
    app_with: Callable[..., CounterApp],
) -> None:
    from counter_tui.ui.screens.help import HelpScreen

    app = app_with()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {row.key: row.description for row in app.screen.rows}
        assert rows["Ctrl+Y"].startswith("立即同步")
        await pilot.press("escape")
        from counter_tui.ui.commands import ActionsProvider

        titles = [title for title, _, _ in ActionsProvider(app.screen)._commands()]
        assert "同步：立即同步（Ctrl+Y）" in titles


async def test_the_key_can_be_remapped_by_its_id(node: NodeDatabase, fake_sync: FakeSync) -> None:
    settings = replace(
        node.settings, sync=SyncSettings(interval_seconds=0), keys={"sync.now": "f12"}
    )
    app = make_app(settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f12")
        await settle(pilot)
        assert fake_sync.rounds == 1
