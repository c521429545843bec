"""The back office's worklist (F4): a department's open cases by due date with their levels;
claim one, open it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.worklist import WorklistScreen
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import cases_in, fill_applicant, log_in, plain, settle, signed_in, table_rows
from tests.ui.history import handed_off_cases

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def test_an_approver_sees_the_worklist_claims_and_opens_a_case(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    numbers = handed_off_cases(intake_node)
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "wang", PASSWORD)  # 王芳, approver of SCJG: lands on F4
        assert isinstance(app.screen, WorklistScreen)
        rows = table_rows(pilot, "#worklist-table")
        # Earliest due first; all three are 0001 of their day, so the list shows day and number.
        assert [row[1] for row in rows] == [number[-9:] for number in numbers]
        assert plain(pilot, "#worklist-detail").startswith(numbers[0])  # in full below
        assert [row[0] for row in rows] == ["红牌", "提醒", "正常"]
        await pilot.press("c")  # the most urgent one
        await settle(pilot)
        await settle(pilot)
        assert table_rows(pilot, "#worklist-table")[0][-1] == "王芳"
        await pilot.press("l", "l")  # 黄牌及以上
        await settle(pilot)
        # Alone on the list, the case is its sequence number.
        assert [row[1] for row in table_rows(pilot, "#worklist-table")] == [numbers[0][-4:]]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert "审查中" in str(app.screen.query_one("#case-title").render())
        timeline = plain(pilot, "#case-timeline")
        assert "认领：王芳" in timeline and "移交后台" in timeline
        facts = str(app.screen.query_one("#case-facts").render())
        assert "42060219900307123X" in facts  # the approver works the case: in full


@pytest.mark.parametrize("size", SIZES)
def test_worklist_snapshot(
    snap_compare: Callable[..., bool],
    intake_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """王芳 signed in on 2026-11-23: three SCJG cases, earliest due first — 红牌 (超期 5 个工作日)
    in red, 提醒 (今天到期) in cyan, 正常 (剩 …); masked names; nobody has claimed yet; the
    filter line says 后台待审 · 区市场监督管理局 · 状态：全部 · 预警：全部 · 3 件; the header
    counts 红1 提醒1; the footer has c 认领, s 状态 and l 预警 (no v or d: an approver has one
    view and one department)."""
    handed_off_cases(intake_node)

    async def ready(pilot: Pilot[object]) -> None:
        await log_in(pilot, "wang", PASSWORD)
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=ready)


async def test_the_clerk_hands_off_an_accepted_case_and_the_approver_finds_it(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys("a", "f8", "escape")
        (case,) = cases_in(intake_node)
        assert case.state == "accepted"
        await keys("ctrl+o", *case.number, "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        assert "h 移交后台" in str(app.screen.query_one("#case-keys").render())
        await keys("h")
        await settle(keys.pilot)
        # The case stays on screen as it is now: handed off, nothing more for the window.
        assert isinstance(app.screen, CaseDetailScreen)
        assert "已移交后台" in str(app.screen.query_one("#case-title").render())
        assert "h 移交后台" not in str(app.screen.query_one("#case-keys").render())
    (handed,) = cases_in(intake_node)
    assert handed.state == "handed_off" and handed.handed_off_at is not None

    again = intake_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "wang", PASSWORD)
        assert isinstance(again.screen, WorklistScreen)
        assert [row[1] for row in table_rows(pilot, "#worklist-table")] == [case.number[-4:]]
