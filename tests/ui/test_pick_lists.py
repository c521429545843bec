"""Pick lists for the usual answers (issue 15, point 7): the 补正 phrases of each material's
kind, picked by digit and combined, with free text still possible; the department's next
decision number offered in the approval form. Pilot tests and snapshots at 80×24 and 120×40."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.ask import PickScreen
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.case_form import CaseFormScreen
from counter_tui.ui.screens.correction import CorrectionScreen
from counter_tui.ui.screens.notice import NoticePreview
from counter_tui.ui.screens.worklist import WorklistScreen
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import log_in, options, payloads, settle, signed_in
from tests.ui.history import at, hall_on, long_history

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def line(app: App[object]) -> str:
    return app.screen.query_one("#answer-input", Input).value


async def test_correction_phrases_picked_by_digit_reach_the_notice(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    long_history(intake_node)
    app = intake_app()
    async with signed_in(app, "wang") as keys:
        await keys("enter", "b")
        assert isinstance(app.screen, CorrectionScreen)

        # 申请书: the phrases of an application form, then those of every material, then 其他….
        await keys("enter")
        assert isinstance(app.screen, PickScreen)
        assert options(keys.pilot, "#answer-list") == [
            "1   未签字或盖章",
            "2   填写不完整",
            "3   信息与证件不一致",
            "4   需提供原件核验",
            "5   内容与申请不符",
            "6   其他…（自行填写）",
        ]
        await keys("1", "3")  # two phrases combine on the line, marked in the list
        assert line(app) == "未签字或盖章；信息与证件不一致"
        assert options(keys.pilot, "#answer-list")[:3] == [
            "1 ✓ 未签字或盖章",
            "2   填写不完整",
            "3 ✓ 信息与证件不一致",
        ]
        await keys("3", "2")  # a second press takes a phrase back
        assert line(app) == "未签字或盖章；填写不完整"
        await keys("enter")
        assert isinstance(app.screen, CorrectionScreen)
        assert (
            options(keys.pilot, "#correction-list")[0]
            == "补正 申请书\n     未签字或盖章；填写不完整"
        )

        # 法定代表人身份证: a phrase of an ID, and words of one's own typed straight after it.
        await keys("down", "enter")
        assert options(keys.pilot, "#answer-list")[:3] == [
            "1   复印件不清晰",
            "2   证件已过期",
            "3   未签字",
        ]
        await keys("2", *",背面缺失")  # (the pilot cannot type "，")
        assert line(app) == "证件已过期,背面缺失"
        await keys("enter")

        # 营业执照: one digit and Enter.
        await keys("down", "enter", "1", "enter")
        # 经营场所平面图 (no kind of its own): ↓ and Enter take the highlighted phrase.
        await keys("down", "enter", "down", "enter")
        # 从业人员健康证明: 其他… and a text of one's own, digits included.
        await keys("down", "enter", "3")
        assert app.screen.query_one("#answer-input", Input).has_focus
        await keys(*"缺第2页", "enter")
        assert isinstance(app.screen, CorrectionScreen)
        # Esc on the list leaves a material as it was.
        await keys("up", "enter", "1", "escape")
        assert "已选 5 项" in str(app.screen.query_one("#correction-deadline").render())

        await keys("f8")
        assert isinstance(app.screen, NoticePreview)

    requested = payloads(intake_node, "case.correction_requested")[-1]  # (one in its past)
    corrections = [
        ["申请书", "未签字或盖章；填写不完整"],
        ["法定代表人身份证", "证件已过期,背面缺失"],
        ["营业执照", "复印件未加盖公章"],
        ["经营场所平面图", "内容与申请不符"],
        ["从业人员健康证明", "缺第2页"],
    ]
    assert requested["corrections"] == corrections
    (notice,) = requested["notices"]
    printed = json.dumps(notice, ensure_ascii=False)
    assert all(why in printed for _, why in corrections)


async def test_one_digit_answers_at_once_without_multiple() -> None:
    """The widget on its own: a digit is the answer; 其他… goes to the line; Enter there."""
    answers: list[str | None] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(
                PickScreen("原因", "选择或填写", ("老年人", "残疾人", "孕妇")), answers.append
            )

    app = Host()
    async with app.run_test() as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert answers == ["残疾人"]
        app.push_screen(PickScreen("原因", "选择或填写", ("老年人", "残疾人")), answers.append)
        await pilot.pause()
        await pilot.press("3", "enter")  # 其他… with nothing written: said, and it stays
        assert "请选择或填写" in str(app.screen.query_one("#answer-error").render())
        await pilot.press(*"军属", "enter")
        await pilot.pause()
        assert answers == ["残疾人", "军属"]


def decided_before(node: NodeDatabase) -> str:
    """张三's case in review (long_history), and 李四's approved by SCJG on 11-16 with
    `襄城市监准字〔2026〕第0012号` and completed: the number to follow."""
    number = long_history(node)
    with hall_on(node) as hall:
        done = hall.claimed("李四", 9, claimed_on=10, id_number="110101199003074514")
        hall.act(
            hall.approver,
            "approve",
            done,
            at(16, 9),
            decision_number="襄城市监准字〔2026〕第0012号",
        )
        hall.act(hall.approver, "complete", done, at(18, 9))
    return number


async def test_approval_offers_the_next_number_to_confirm_or_edit(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    number = decided_before(intake_node)
    app = intake_app()
    async with signed_in(app, "wang") as keys:
        worklist = app.screen
        assert isinstance(worklist, WorklistScreen)
        assert [i.number for i in worklist.items] == [number]
        await keys("enter", "a")
        assert isinstance(app.screen, CaseFormScreen)
        field = app.screen.query_one("#form-decision_number", Input)
        assert field.has_focus
        assert field.value == "襄城市监准字〔2026〕第0013号"
        # The cursor at the end, nothing selected: typing edits the number, never erases it.
        assert field.selection.is_empty and field.cursor_position == len(field.value)
        await keys("backspace", "backspace", "5", "号", "enter")
        assert isinstance(app.screen, CaseDetailScreen)

    from tests.ui.helpers import cases_in

    decided = {case.number: case for case in cases_in(intake_node)}[number]
    assert (decided.state, decided.decision_number) == ("approved", "襄城市监准字〔2026〕第0015号")


async def test_before_the_first_decision_the_field_shows_the_pattern(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    long_history(intake_node)
    app = intake_app()
    async with signed_in(app, "wang") as keys:
        await keys("enter", "n")
        field = app.screen.query_one("#form-decision_number", Input)
        assert field.value == ""
        assert field.placeholder == "本部门首份，如：机关代字〔年份〕第0001号"


@pytest.mark.parametrize("size", SIZES)
def test_correction_form_with_the_phrase_list(
    snap_compare: Callable[..., bool],
    intake_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """王芳's 要求补正 for 张三's case, Enter on 申请书: over the correction form, the box
    补正内容：申请书 with its prompt, six numbered lines (未签字或盖章 and 信息与证件不一致
    ticked in green, 填写不完整, 需提供原件核验, 内容与申请不符, 6 其他…（自行填写）), the line
    below holding 未签字或盖章；信息与证件不一致, and the keys 数字选择（可多选） Tab 自行填写
    回车确定 Esc 取消, nothing cut."""
    long_history(intake_node)

    async def picked(pilot: Pilot[object]) -> None:
        await log_in(pilot, "wang", PASSWORD)
        await pilot.press("enter", "b")
        await settle(pilot)
        await pilot.press("enter", "1", "3")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=picked)
