"""The sync screens (Ctrl+L): on a county hub, the sites table and a site's detail, pictured at
80×24 and 120×40 with a fixed clock; the quarantine's r retried after the hub learned the
event's type, and refused to a supervisor; on a node, the export prompt's bad path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from counter_tui.db import make_engine, read_session
from counter_tui.journal.models import APPLIED, UNKNOWN, Event
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.sync_desk import HubDeskScreen
from counter_tui.ui.screens.sync_files import FileStepScreen
from counter_tui.ui.screens.sync_node import NodeSyncScreen
from counter_tui.ui.screens.sync_site import SiteDetailScreen
from counter_tui.ui.widgets.status import StatusLine
from tests.sync.quarantine_helpers import learn_newer_type
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import log_in, plain, settle, signed_in
from tests.ui.sync_desk_setup import WAITING_ID, set_up_desk

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def desk_node(node: NodeDatabase) -> NodeDatabase:
    set_up_desk(node)
    return node


def event_status(node: NodeDatabase, event_id: str) -> tuple[str, int | None]:
    engine = make_engine(node.settings.db_url)
    try:
        with read_session(engine) as session:
            event = session.get(Event, event_id)
            assert event is not None
            return event.status, event.seq
    finally:
        engine.dispose()


def status_line(app: CounterApp) -> tuple[str, bool]:
    line = app.screen.query(StatusLine).first()
    return str(line.render()), line.has_class("error")


async def open_desk(pilot: Pilot[object], username: str) -> None:
    await log_in(pilot, username, PASSWORD)
    await pilot.press("ctrl+l")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_the_sites_table(
    snap_compare: Callable[..., bool],
    app_for: Callable[..., CounterApp],
    desk_node: NodeDatabase,
    size: tuple[int, int],
) -> None:
    """The county admin's 同步台: three sites — 421202-WL silent 12天3时 in red with a !, its
    clock 快7分, by 文件, version 0.0.9; 421202-XA-QLC online 4 minutes ago with 1 event in
    quarantine; 421202-XA-SHC never seen. Below, the quarantined catalog.video_guide of
    421202-XA-QLC, 未知类型, and its reason. At 120 columns the sites' names too."""

    async def opened(pilot: Pilot[object]) -> None:
        await open_desk(pilot, "root")

    assert snap_compare(app_for(), terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_a_sites_detail(
    snap_compare: Callable[..., bool],
    app_for: Callable[..., CounterApp],
    desk_node: NodeDatabase,
    size: tuple[int, int],
) -> None:
    """Enter on 421202-XA-QLC (the second row): its figures (青龙村便民服务室, 村（社区）,
    已注册, last contact 在线, 1 event in quarantine, clock 准, 0.1.0), its open problem
    (未知事件类型) and its quarantined event with id and reason."""

    async def detail(pilot: Pilot[object]) -> None:
        await open_desk(pilot, "root")
        await pilot.press("down", "enter")
        await settle(pilot)

    assert snap_compare(app_for(), terminal_size=size, run_before=detail)


async def test_an_admin_retries_a_quarantined_event_once_the_hub_knows_its_type(
    app_for: Callable[..., CounterApp],
    desk_node: NodeDatabase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_desk(pilot, "root")
        assert isinstance(app.screen, HubDeskScreen)
        table = app.screen.query_one("#desk-quarantine", DataTable)
        assert table.row_count == 1

        await pilot.press("r")  # not yet: the hub does not know the type
        await settle(pilot)
        line, _ = status_line(app)
        assert line.startswith("仍无法应用：本程序不认识这种事件")
        assert event_status(desk_node, WAITING_ID)[0] == UNKNOWN

        applied = learn_newer_type(monkeypatch)  # the hub was upgraded
        await pilot.press("r")
        await settle(pilot)

        assert applied == ["F-5"]
        status, _seq = event_status(desk_node, WAITING_ID)
        assert status == APPLIED
        assert table.row_count == 0
        line, error = status_line(app)
        assert line.startswith("已重新应用，隔离已解除") and not error
        assert "隔离中的事件 0 条" in line


async def test_a_supervisor_sees_the_desk_and_cannot_retry(
    app_for: Callable[..., CounterApp], desk_node: NodeDatabase
) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_desk(pilot, "zhao")
        assert isinstance(app.screen, HubDeskScreen)
        assert app.screen.query_one("#desk-sites", DataTable).row_count == 3

        await pilot.press("r")
        await settle(pilot)

        line, error = status_line(app)
        assert error and "督查管理" in line and "无权重试或处理隔离事件" in line
        assert event_status(desk_node, WAITING_ID)[0] == UNKNOWN
        assert app.screen.query_one("#desk-quarantine", DataTable).row_count == 1


async def test_an_admin_sets_an_event_aside_with_a_note(
    app_for: Callable[..., CounterApp], desk_node: NodeDatabase
) -> None:
    app = app_for()
    async with signed_in(app, "root") as keys:
        await keys("ctrl+l")
        await keys("x")
        await keys(*"试点的录像指南", "enter")
        assert isinstance(app.screen, HubDeskScreen)
        assert app.screen.query_one("#desk-quarantine", DataTable).row_count == 0
        assert status_line(app)[0].startswith("已记为不再应用，事件仍保留")
    assert event_status(desk_node, WAITING_ID)[0] == UNKNOWN


async def test_a_clerk_gets_the_nodes_own_screen_and_a_bad_export_path_is_kept(
    app_for: Callable[..., CounterApp], node: NodeDatabase, tmp_path: Path
) -> None:
    app = app_for()
    typed = str(tmp_path / "no-such-stick" / "白云桥村.ctb")
    async with signed_in(app, "li") as keys:
        await keys("ctrl+l")
        assert isinstance(app.screen, NodeSyncScreen)
        assert "尚未登记到中心" in str(app.screen.query_one("#node-sync-state", Static).render())
        await keys("e")
        assert isinstance(app.screen, FileStepScreen)
        await keys(*typed, "enter")

        assert isinstance(app.screen, FileStepScreen)  # still open, nothing done
        field = app.screen.query_one("#file-path", Input)
        assert field.value == typed
        error = app.screen.query_one("#file-error", Static)
        assert (
            str(error.render()) == f"文件夹不存在：{tmp_path / 'no-such-stick'}（U 盘是否已插好？）"
        )
        assert error.has_class("error")

        await keys("escape")
        await keys("e")  # the prompt offers the path typed last time
        assert app.screen.query_one("#file-path", Input).value == typed
    assert not (tmp_path / "no-such-stick").exists()


async def test_the_palette_opens_the_sync_screen(
    app_for: Callable[..., CounterApp], desk_node: NodeDatabase
) -> None:
    app = app_for()
    async with signed_in(app, "root") as keys:
        await keys("ctrl+p")
        await keys(*"同步台")
        await keys("enter")
        assert isinstance(app.screen, HubDeskScreen)
        await keys("down", "enter")
        assert isinstance(app.screen, SiteDetailScreen)
        await keys("escape")
        assert isinstance(app.screen, HubDeskScreen)


async def test_a_file_that_is_not_a_reply_is_refused_under_the_field(
    app_for: Callable[..., CounterApp], node: NodeDatabase, tmp_path: Path
) -> None:
    junk = tmp_path / "照片.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a bundle")
    app = app_for()
    async with signed_in(app, "li") as keys:
        await keys("ctrl+l", "i")
        await keys(*str(junk), "enter")

        assert isinstance(app.screen, FileStepScreen)
        assert app.screen.query_one("#file-path", Input).value == str(junk)
        error = app.screen.query_one("#file-error", Static)
        assert error.has_class("error")
        assert str(error.render()) == "照片.jpg 不是 counter-tui 的同步文件"  # the door's line
        assert not app.screen.busy


async def test_the_node_shows_its_events_quarantined_at_the_hub_and_why(
    app_for: Callable[..., CounterApp], node: NodeDatabase
) -> None:
    import json
    from datetime import UTC, datetime

    from counter_tui.db import write_session
    from counter_tui.sync.models import SyncLink

    engine = make_engine(node.settings.db_url)
    held = [
        {
            "event_id": WAITING_ID,
            "type": "catalog.video_guide",
            "status": "unknown",
            "note": "本程序不认识这种事件（可能来自较新版本），已保存未应用",
            "received_at": "2026-11-23T01:26:00+00:00",
        }
    ]
    try:
        with write_session(engine) as session:
            session.add(
                SyncLink(
                    hub_url="https://zwfw.example.gov.cn",
                    hub_site="421202",
                    hub_name="襄城区政务服务中心",
                    token="t",
                    registered_at=datetime(2026, 11, 1, tzinfo=UTC),
                    hub_quarantine=json.dumps(held, ensure_ascii=False),
                    last_error="中心拒绝：[bold]不是标记[/bold]",
                )
            )
    finally:
        engine.dispose()
    app = app_for()
    async with signed_in(app, "li") as keys:
        await keys("ctrl+l")
        assert isinstance(app.screen, NodeSyncScreen)
        shown = str(app.screen.query_one("#node-sync-held", Static).render())
        assert "catalog.video_guide" in shown and "中心不认识的类型" in shown
        assert "原因：本程序不认识这种事件" in shown
        state = plain(keys.pilot, "#node-sync-state")
        assert "[bold]不是标记[/bold]" in state  # the hub's words, literally
        assert "襄城区政务服务中心" in state


def test_the_nodes_status_says_when_the_last_stick_came_back() -> None:
    """A village that syncs by file sees when its last reply was made (the hall's time)."""
    from rich.console import Console

    from counter_tui.ui.screens.sync_node import status_table
    from tests.ui.syncfakes import sync_status

    def shown(**changes: object) -> str:
        console = Console(width=80, record=True)
        console.print(status_table(sync_status(**changes)))
        return console.export_text()

    assert "文件同步  11-23 08:40" in shown(last_file_at=datetime(2026, 11, 23, 0, 40, tzinfo=UTC))
    assert "文件同步  —" in shown()
