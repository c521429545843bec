"""The intake screen at 80×24 and 120×40: empty, filled in, and with errors at their fields."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from counter_tui.ui.app import CounterApp
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import ID_NUMBER, PHONE, log_in, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_intake_empty(
    snap_compare: Callable[..., bool], intake_app: Callable[[], CounterApp], size: tuple[int, int]
) -> None:
    """Signed in as a clerk: the item search focused, the hint to choose an item, the applicant
    rows (身份证号, 姓名, 联系电话, 地址), an empty checklist, the key line, and F7/F8/F10 in the
    footer without F2 (the section on screen)."""

    async def ready(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)

    assert snap_compare(intake_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_intake_filled(
    snap_compare: Callable[..., bool], intake_app: Callable[[], CounterApp], size: tuple[int, int]
) -> None:
    """食品经营许可证核发 chosen (区市场监督管理局, 10 working days, due 2026-12-07), 张三 with
    ID and phone, the five materials: two received (green), the 营业执照 exempt, the floor plan
    deferred to 12-07, the health proof still 未核 (yellow); the cursor on it."""

    async def filled(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press(*"spj", "enter")
        await settle(pilot)
        await pilot.press(*ID_NUMBER)
        await settle(pilot)
        await pilot.press("张", "三", "enter", *PHONE, "enter")
        await settle(pilot)
        await pilot.press("r", "r", "d")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=filled)


@pytest.mark.parametrize("size", SIZES)
def test_intake_with_errors(
    snap_compare: Callable[..., bool], intake_app: Callable[[], CounterApp], size: tuple[int, int]
) -> None:
    """F8 with a wrong check digit, a seven-digit phone and nothing marked: each message in red
    beside its field, the typed text kept, and the red line listing every material not yet
    settled."""

    async def errors(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press(*"spj", "enter")
        await settle(pilot)
        await pilot.press(*"420602199003071230", "tab", "王", "五", "enter", *"1381234")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=errors)


@pytest.mark.parametrize("size", SIZES)
def test_case_detail(
    snap_compare: Callable[..., bool], intake_app: Callable[[], CounterApp], size: tuple[int, int]
) -> None:
    """Ctrl+O and the number of a case just accepted with a deferred floor plan: the title with
    the number, 已受理 and 正常（剩 10 个工作日）; the facts (item, 张三 with the ID number in
    full, phone, acceptance time and clerk, due and legal dates, 承办部门, the 容缺 material
    and its deadline, 到现场 1 次); the timeline's one step by 李四; the keys h 移交后台, w 撤回,
    p, d and Esc."""

    async def opened(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press(*"spj", "enter")
        await settle(pilot)
        await pilot.press(*ID_NUMBER)
        await settle(pilot)
        await pilot.press("张", "三", "enter", *PHONE, "enter")
        await settle(pilot)
        await pilot.press("r", "r", "d", "r", "f8")
        await settle(pilot)
        await pilot.press("escape", "ctrl+o", *"421202-XA-BYQ-261123-0001", "enter")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=opened)
