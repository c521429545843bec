"""前台受理、后台审批、统一出件 through the screens: one case from the window to the back office and
back to delivery, each step by the person whose job it is, signing in and out of one app."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.pilot import Pilot

from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.ask import ChooseScreen
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.case_form import CaseFormScreen
from counter_tui.ui.screens.correction import CorrectionScreen
from counter_tui.ui.screens.notice import NoticePreview
from counter_tui.ui.screens.worklist import WorklistScreen
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import (
    ID_NUMBER,
    Keys,
    fill_applicant,
    log_in,
    only_case,
    options,
    plain,
    shown,
    sign_in_as,
    table_rows,
)


def worklist_rows(pilot: Pilot[object]) -> list[list[str]]:
    return table_rows(pilot, "#worklist-table")


async def test_intake_hand_off_claim_correction_resubmit_approve_and_delivery(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        # 李四 at the window: accepts the case, then hands it off from the window's worklist.
        await log_in(pilot, "li", PASSWORD)
        await fill_applicant(keys)
        await keys("a", "f8", "escape")
        number = only_case(intake_node).number
        await keys("f4")
        assert isinstance(app.screen, WorklistScreen)
        assert shown(app, "#worklist-filter").startswith("窗口待办")
        assert [(row[1], row[4]) for row in worklist_rows(pilot)] == [(number[-4:], "已受理")]
        await keys("h")
        assert only_case(intake_node).state == "handed_off"
        assert worklist_rows(pilot) == []  # nothing left for the window

        # 王芳, approver of SCJG: claims it and asks for a correction of the first material.
        await sign_in_as(keys, "wang")
        assert isinstance(app.screen, WorklistScreen)
        assert shown(app, "#worklist-filter").startswith("后台待审")
        await keys("c", "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        assert "b 要求补正" in shown(app, "#case-keys")
        await keys("b")
        assert isinstance(app.screen, CorrectionScreen)
        await keys("f8")  # nothing chosen yet: refused, the dialog stays
        assert "请至少选择一项" in shown(app, "#correction-status")
        await keys("enter", *"缺少签字", "enter")
        assert isinstance(app.screen, CorrectionScreen)
        chosen = [line for line in options(pilot, "#correction-list") if "缺少签字" in line]
        assert len(chosen) == 1 and chosen[0].startswith("补正 ")  # the first material
        assert "已选 1 项" in shown(app, "#correction-deadline")
        await keys("f8")
        assert isinstance(app.screen, NoticePreview)
        assert "补正材料通知书" in shown(app, "#notice-title")
        await keys("escape")
        assert isinstance(app.screen, CaseDetailScreen)
        assert "待补正" in shown(app, "#case-title")
        assert only_case(intake_node).state == "correction_requested"
        await keys("escape")

        # 李四 takes the corrected papers at the window.
        await sign_in_as(keys, "li")
        await keys("f4")
        assert isinstance(app.screen, WorklistScreen)
        assert [(row[1], row[4]) for row in worklist_rows(pilot)] == [(number[-4:], "待补正")]
        await keys("enter")
        assert "r 补正已交" in shown(app, "#case-keys")
        await keys("r")
        assert only_case(intake_node).state == "in_review"
        await keys("escape")

        # 王芳 approves with the decision's number, then completes.
        await sign_in_as(keys, "wang")
        await keys("enter", "a")
        assert isinstance(app.screen, CaseFormScreen)
        await keys("enter")  # no number typed: the field says so
        assert "请填写决定文书编号" in shown(app, "#form-decision_number-error")
        await keys(*"SCJG-2026-0815", "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        assert only_case(intake_node).state == "approved"
        await keys("f")
        assert only_case(intake_node).state == "completed"
        await keys("escape")

        # 李四 hands the result to the applicant, whose ID number is checked.
        await sign_in_as(keys, "li")
        await keys("f4")
        assert isinstance(app.screen, WorklistScreen)
        assert [(row[1], row[5]) for row in worklist_rows(pilot)] == [(number[-4:], "待出件")]
        await keys("enter", "o")
        assert isinstance(app.screen, ChooseScreen)
        await keys("1")  # 窗口领取
        assert isinstance(app.screen, CaseFormScreen)
        await keys("enter", *"110101199003077777", "enter")  # someone else's ID: refused
        assert "证件号码与办件不符" in shown(app, "#form-status")
        assert only_case(intake_node).state == "completed"
        await keys(*["backspace"] * 18, *ID_NUMBER, "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        assert "已出件" in shown(app, "#case-title")
        timeline = plain(pilot, "#case-timeline", width=120).splitlines()

    case = only_case(intake_node)
    assert case.state == "delivered" and case.decision_number == "SCJG-2026-0815"
    # Acceptance, the corrected papers and collecting the result all happen on the app's
    # fixed day (11-23): one visit, not three steps (tests/cases/test_visits.py counts days).
    assert case.trips == 1
    # Each step's first line: when, who, what (a long summary goes on below, in its column).
    steps = [
        line.strip().split(maxsplit=3)[2:] for line in timeline if re.match(r"\d\d-\d\d ", line)
    ]
    assert [(who, what.split("：")[0].split("（")[0]) for who, what in steps] == [
        ("李四", "受理"),
        ("李四", "移交后台"),
        ("王芳", "认领"),
        ("王芳", "要求补正"),
        ("李四", "补正材料已提交，继续审查"),
        ("王芳", "准予许可"),
        ("王芳", "办结"),
        ("李四", "出件"),
    ]
