"""The case detail's action keys for each role, the forms behind them, the header's warning count,
and the worklist's window view: pilot tests and snapshots at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.case_form import CaseFormScreen
from counter_tui.ui.screens.help import HelpScreen
from counter_tui.ui.screens.worklist import WorklistScreen
from counter_tui.ui.widgets.header import CounterHeader
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import Keys, log_in, only_case, plain, settle, shown, signed_in
from tests.ui.history import handed_off_cases, long_history, window_cases

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_case_detail_with_a_long_timeline(
    snap_compare: Callable[..., bool],
    intake_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """王芳 opens 张三's case from F4 on 11-23: 审查中 and its level in the title; the facts with
    承办部门 区市场监督管理局, 审批人 王芳, 到现场 2 次; the timeline of seven steps, each with
    its time, the person (李四 at the window, 王芳 in the back office) and what was done —
    受理, 移交后台, 认领, 要求补正 (暂停计时), 补正材料已提交, 中止 with its reason, 恢复审查; the
    keys b 要求补正, s 中止, a 准予, n 不予许可, w 撤回, p, Esc. At 80×24 the body is scrolled to
    its end (End) so that the timeline shows."""
    long_history(intake_node)

    async def opened(pilot: Pilot[object]) -> None:
        await log_in(pilot, "wang", PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        if pilot.app.size.height < 30:
            await pilot.press("end")
            await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=opened)


async def test_a_supervisor_reads_every_department_but_has_no_action_keys(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    number = long_history(intake_node)
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await log_in(pilot, "zhao", PASSWORD)  # 赵督查, supervisor
        await keys("f4")
        worklist = app.screen
        assert isinstance(worklist, WorklistScreen) and worklist.view == "back"
        assert "全部部门" in shown(app, "#worklist-filter")
        assert [i.number for i in worklist.items] == [number]
        assert not {"c", "h"} & set(worklist.active_bindings)  # no claiming, no handing off
        await keys("d")  # 区市场监督管理局 (SCJG) first, by code
        assert "区市场监督管理局" in shown(app, "#worklist-filter")
        assert [i.number for i in worklist.items] == [number]
        await keys("d")  # 区税务局: nothing there
        assert "区税务局" in shown(app, "#worklist-filter") and worklist.items == []
        await keys("d", "enter")  # all departments again; open the case
        assert isinstance(app.screen, CaseDetailScreen)
        assert shown(app, "#case-keys").split() == ["p", "补打", "Esc", "关闭", "F1", "帮助"]
        assert "4206**********123X" in shown(app, "#case-facts")  # masked for supervision
        await keys("a", "s", "w")  # no form opens, nothing is recorded
        assert isinstance(app.screen, CaseDetailScreen)
        await keys("f1")  # the help lists every key: the action keys dim, with their conditions
        assert isinstance(app.screen, HelpScreen)
        listed = {row.key: row for row in app.screen.rows}
        assert all(listed[k].enabled for k in ("p", "Esc", "F1"))
        assert not any(listed[k].enabled for k in "absnwhc")
    assert only_case(intake_node).state == "in_review"


async def test_deny_needs_a_number_and_reasons_and_shows_them(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    long_history(intake_node)
    app = intake_app()
    async with signed_in(app, "wang") as keys:
        await keys("enter", "n")
        form = app.screen
        assert isinstance(form, CaseFormScreen)
        await keys(*"SCJG-2026-0901", "f8")  # reasons still empty: said at the field
        assert "请填写不予许可的理由" in shown(app, "#form-reason-error")
        await keys(*"[b]经营场所[/b]不符合要求", "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        facts = shown(app, "#case-facts")
        assert "不予许可理由：[b]经营场所[/b]不符合要求" in facts  # literally, never markup
        assert "决定文书：SCJG-2026-0901" in facts
        assert "f 办结" in shown(app, "#case-keys")
    case = only_case(intake_node)
    assert (case.state, case.decision_number) == ("denied", "SCJG-2026-0901")


async def test_suspend_with_a_reason_stops_the_clock_until_resumed(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    long_history(intake_node)
    app = intake_app()
    async with signed_in(app, "wang") as keys:
        await keys("enter", "s")
        assert isinstance(app.screen, CaseFormScreen)
        await keys("escape")  # changed their mind: nothing recorded
        assert only_case(intake_node).state == "in_review"
        await keys("s", *"专家评审", "enter")
        assert "已中止" in shown(app, "#case-title") and "暂停计时" in shown(app, "#case-title")
        assert "u 恢复审查" in shown(app, "#case-keys")
        assert "中止：专家评审" in plain(keys.pilot, "#case-timeline")
        await keys("u")
        assert "审查中" in shown(app, "#case-title")
    assert only_case(intake_node).paused_since is None


async def test_the_header_counts_the_approvers_warnings(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    handed_off_cases(intake_node)  # SCJG: one red, one due today (提醒), one with time to spare
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "wang", PASSWORD)
        assert app.warnings == {"red": 1, "yellow": 0, "reminder": 1}
        header = str(app.screen.query_one(CounterHeader).render())
        assert "红1 提醒1" in header and "黄" not in header
        await pilot.press("f9")
        await settle(pilot)
        assert app.warnings == {}


@pytest.mark.parametrize("size", SIZES)
def test_the_window_view_snapshot(
    snap_compare: Callable[..., bool],
    intake_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """李四 on F4 on 11-23: 窗口待办 · 全部部门 · 3 件; 张三's case 已办结 with — and 待出件 (its
    clock has stopped), 李四's 待补正 (暂停计时), 王五's 已受理 (正常, 剩 …) not yet handed off;
    numbers short (1102-0001 …: all three are 0001 of their day) and names in full (the clerk's
    own site); under the table 张三's case in full, 待出件; the footer has h 移交, v 视图
    (今日办理), d 部门, s 状态, l 预警 and no c (a clerk does not claim), the other sections as
    bare keys at 80 columns."""
    window_cases(intake_node)

    async def ready(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f4")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=ready)


async def test_h_on_the_window_view_hands_off_only_accepted_cases(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    done, waiting, fresh = window_cases(intake_node)
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys("f4")
        worklist = app.screen
        assert isinstance(worklist, WorklistScreen)
        assert [i.number for i in worklist.items] == [done, waiting, fresh]  # by due date
        for state, numbers in (
            ("已受理", [fresh]),
            ("待补正", [waiting]),
            ("已办结", [done]),
            ("全部", [done, waiting, fresh]),
        ):
            await keys("s")  # the state filter, one state of the window's view at a time
            assert f"状态：{state}" in shown(app, "#worklist-filter")
            assert [i.number for i in worklist.items] == numbers
        await keys("h")  # the completed one: refused, said why
        assert "只有已受理的办件可以移交" in shown(app, "#worklist-status")
        await keys("down", "down", "h")
        assert f"已移交后台 {fresh}" in shown(app, "#worklist-status")
        assert [i.number for i in worklist.items] == [done, waiting]
