"""Issue 15 at the intake (F2): keys that arrive in a burst land in the field meant, every
identifier checked as typed, the checklist's navigation and summary, and Ctrl+N that asks.

`burst` puts keys on the app's queue all at once, as a terminal delivers an ID-card reader's
number + Enter or `tmux send-keys 'abc' Tab 'def'`: the app takes them one after another with
no turn of the loop between (pilot.press waits for the app to go idle after each key, which
hides the misrouting).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.cases.record import NOTIFIED
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.intake.discard import DiscardDraft
from counter_tui.ui.screens.intake.form import input_id
from counter_tui.ui.screens.notice import NoticePreview
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import (
    ID_NUMBER,
    PHONE,
    Keys,
    cases_in,
    error_at,
    field,
    fill_applicant,
    intake_screen,
    log_in,
    settle,
    signed_in,
)

#: A 统一社会信用代码 with a wrong check digit (the valid one ends in 4).
BAD_USCC = "91420602MA4F5X1231"


async def burst(keys: Keys, *sequence: str) -> None:
    """Every key on the app's queue at once, then wait for the app to settle."""
    app = keys.pilot.app
    driver = app._driver
    assert driver is not None
    for key in sequence:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)
    keys.count += len(sequence)
    await settle(keys.pilot)


def focused_field(app: CounterApp) -> str:
    focused = app.focused
    return focused.id or "" if focused is not None else ""


def cursor_at_end(app: CounterApp, field_id: str) -> bool:
    widget = intake_screen(app).query_one(f"#{input_id(field_id)}", Input)
    return widget.cursor_position == len(widget.value) and widget.selection.is_empty


# --- 10. input bursts -------------------------------------------------------------------


async def test_id_card_reader_number_enter_then_name_at_full_speed(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter")
        await burst(keys, *ID_NUMBER, "enter", *"张三")
        assert field(app, "applicant.id_number") == ID_NUMBER
        # The reader's Enter came in the same burst as the auto-advance: dropped, not a skip.
        assert field(app, "applicant.name") == "张三"
        assert field(app, "applicant.phone") == ""
        assert focused_field(app) == input_id("applicant.name")


async def test_item_search_enter_and_the_applicant_in_one_burst(
    intake_app: Callable[[], CounterApp],
) -> None:
    """The item's initials, Enter and the ID number typed ahead before the search has run:
    Enter chooses from what is typed, and the number goes to the ID field, not the search."""
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await burst(keys, *"spj", "enter", *ID_NUMBER, *"张三", "enter", *PHONE)
        screen = intake_screen(app)
        assert screen.intake.entry_code != ""
        assert screen.item.entry_input.value == "食品经营许可证核发"  # chosen, nothing added
        assert not screen.item.hits.display  # the typed keys' searches do not reopen the hits
        assert field(app, "applicant.id_number") == ID_NUMBER
        assert field(app, "applicant.name") == "张三"
        assert field(app, "applicant.phone") == PHONE
        assert focused_field(app) == input_id("applicant.address")


async def test_sign_in_typed_in_one_burst(intake_app: Callable[[], CounterApp]) -> None:
    """User name, Enter and password in one burst (tmux, a password manager): signed in."""
    app = intake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.desk_settled.wait()
        await burst(Keys(pilot), *"li", "enter", *PASSWORD, "enter")
        assert app.signed_in is not None
        assert app.signed_in.actor.username == "li"


async def test_pilot_press_of_number_enter_name_in_one_call(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter")
        await keys.pilot.press(*ID_NUMBER, "enter", *"张三")
        await settle(keys.pilot)
        assert field(app, "applicant.id_number") == ID_NUMBER
        assert field(app, "applicant.name") == "张三"
        assert field(app, "applicant.phone") == ""


async def test_tab_in_a_burst_splits_the_text_between_fields(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter", *ID_NUMBER)
        await burst(keys, *"abc", "tab", *"def", "shift+tab", "backspace", *"x")
        assert field(app, "applicant.name") == "abx"
        assert field(app, "applicant.phone") == "def"
        await burst(keys, "enter", *PHONE, "enter", *"路1号")
        # Enter from the name: the next empty field (the phone is filled: the address).
        assert field(app, "applicant.phone") == "def"
        assert field(app, "applicant.address") == PHONE


async def test_habitual_tab_after_a_valid_phone_does_not_skip_the_address(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter", *ID_NUMBER)
        await keys("张", "三", "enter", *PHONE)
        assert focused_field(app) == input_id("applicant.address")
        await keys("tab")  # the clerk's habit, after the phone moved on by itself
        assert focused_field(app) == input_id("applicant.address")
        await keys(*"东风路", "tab")  # a second Tab is the clerk's own
        assert field(app, "applicant.address") == "东风路"
        assert focused_field(app) == "intake-checklist"


async def test_phone_and_enter_in_a_burst_stop_at_the_address(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter", *ID_NUMBER, "张", "三", "enter")
        await burst(keys, *PHONE, "enter", *"东风路")
        assert field(app, "applicant.phone") == PHONE
        assert field(app, "applicant.address") == "东风路"


async def test_returning_applicant_keeps_the_focus_on_the_name(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await fill_applicant(keys)
        await keys("a", "f8", "escape")
        # The same applicant again, by hand: the name fills in under the cursor, selected.
        await keys(*"spj", "enter", *ID_NUMBER)
        assert focused_field(app) == input_id("applicant.name")
        assert field(app, "applicant.name") == "张三"
        await keys(*"张三丰")  # typed over: nothing of it lost, nothing doubled
        assert field(app, "applicant.name") == "张三丰"
        await keys("enter")  # the phone is filled in: on to the first empty field
        assert focused_field(app) == input_id("applicant.address")
        # And a reader's burst (number + Enter + name) for a returning applicant.
        await keys("ctrl+n", "y")
        await keys(*"spj", "enter")
        await burst(keys, *ID_NUMBER, "enter", *"李")
        assert field(app, "applicant.name") == "李"
        assert focused_field(app) == input_id("applicant.name")


# --- 4. checks as typed ------------------------------------------------------------------


async def test_credit_code_checked_as_typed_and_cursor_kept_at_the_end(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter", "ctrl+f", *BAD_USCC[:10])
        assert error_at(app, "applicant.uscc") == ""  # still being typed
        await keys(*BAD_USCC[10:])
        assert "校验" in error_at(app, "applicant.uscc")  # complete: said now, not at F8
        assert focused_field(app) == input_id("applicant.uscc")
        assert cursor_at_end(app, "applicant.uscc")
        await keys("tab", "shift+tab")  # back to it: nothing selected, the next key adds
        assert cursor_at_end(app, "applicant.uscc")
        await keys("backspace", "E")
        assert error_at(app, "applicant.uscc") == ""
        assert focused_field(app) == input_id("applicant.name")  # valid: moved on


async def test_each_identifier_is_checked_when_left(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys(*"spj", "enter", "ctrl+t")  # 港澳通行证
        await keys(*"H123", "tab")
        assert "港澳居民来往内地通行证" in error_at(app, "applicant.id_number")
        await keys(*"张三", "tab", *"1381234", "tab")
        assert error_at(app, "applicant.phone") != ""
        await keys("shift+tab", *"5678")  # an 11-digit mobile: valid, the message goes
        assert error_at(app, "applicant.phone") == ""
        await keys("ctrl+g", *"42060219900307123", "tab")  # the agent's, one digit short
        assert error_at(app, "agent.id_number") != ""


# --- 3. checklist --------------------------------------------------------------------------


async def notified_case(keys: Keys, node: NodeDatabase) -> str:
    await fill_applicant(keys)
    await keys("r", "r", "m", "f7", "escape")  # the floor plan 缺, the health proof 未核
    (case,) = cases_in(node)
    assert case.state == NOTIFIED
    return case.number


async def test_resume_puts_the_cursor_on_the_first_row_to_settle_with_a_summary(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        number = await notified_case(keys, intake_node)
        await keys("ctrl+o", *number, "enter")
        screen = intake_screen(app)
        table = screen.table
        assert focused_field(app) == "intake-checklist"
        summary = str(screen.query_one("#intake-summary").render())
        assert summary == "共 5 项 · 已收 2 · 缺 1 · 容缺 0 · 免提交 1 · 未核 1", summary
        first = table.rows_to_settle()[0]
        assert table.cursor_row == first
        assert table.get_row_at(first)[3].plain == "缺"
        await keys("j")
        assert table.get_row_at(table.cursor_row)[3].plain == "未核"
        await keys("j")  # round to the top
        assert table.cursor_row == first
        await keys("home")
        assert table.cursor_row == 0
        await keys("end")
        assert table.cursor_row == table.row_count - 1
        # a marks what is not yet checked and leaves 缺 as it is: said, cursor on the first.
        await keys("a")
        assert "标为缺的不变" in str(screen.status.render())
        assert table.get_row_at(table.cursor_row)[3].plain == "缺"
        await keys("r")
        summary = str(screen.query_one("#intake-summary").render())
        assert summary == "共 5 项 · 已收 4 · 缺 0 · 容缺 0 · 免提交 1", summary
        await keys("f8")
        assert isinstance(app.screen, NoticePreview)


async def test_restored_draft_opens_on_the_first_row_to_settle(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await fill_applicant(keys)
        await keys("r", "r", "r")
        await keys("f9")
    again = intake_app()
    async with signed_in(again, "li", size=(80, 24)):
        table = intake_screen(again).table
        assert table.cursor_row == table.rows_to_settle()[0]
        assert table.get_row_at(table.cursor_row)[3].plain == "未核"


# --- 2/8. Ctrl+N asks; the status line clears ------------------------------------------------


async def test_ctrl_n_asks_once_and_keeps_the_draft_unless_y(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys("ctrl+n")  # nothing typed: no question
        assert not isinstance(app.screen, DiscardDraft)
        await fill_applicant(keys)
        await keys("ctrl+n")
        assert isinstance(app.screen, DiscardDraft)
        await keys("escape")
        assert field(app, "applicant.name") == "张三"
        assert "草稿保留" in str(intake_screen(app).status.render())
        await keys("ctrl+n", "y")
        assert field(app, "applicant.name") == ""
        assert "已放弃" in str(intake_screen(app).status.render())


async def test_concluded_line_goes_at_the_next_applicants_first_key(
    intake_app: Callable[[], CounterApp],
) -> None:
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await fill_applicant(keys)
        await keys("a", "f8", "escape")
        assert "0001" in str(intake_screen(app).status.render())
        await keys("s")
        assert str(intake_screen(app).status.render()).strip() == ""


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_resumed_checklist_with_summary(
    snap_compare: Callable[..., bool], intake_app: Callable[[], CounterApp], size: tuple[int, int]
) -> None:
    """A notified case resumed by Ctrl+O: the summary line (共 5 项 · 已收 2 · 缺 1 · 容缺 0 ·
    免提交 1 · 未核 1) under the checklist, the cursor on 经营场所平面图 (缺), the first row to
    settle, and the key line with j."""

    async def resumed(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        keys = Keys(pilot)
        await fill_applicant(keys)
        await keys("r", "r", "m", "f7", "escape")
        await keys("ctrl+o", *"421202-XA-BYQ-261123-0001", "enter")

    assert snap_compare(intake_app(), terminal_size=size, run_before=resumed)


async def test_f8_refused_for_a_missing_material_puts_the_cursor_on_it(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    """F8 with a material still 缺 far down the list: refused, and the cursor is on that row
    (the issue's 父母结婚证, 14 rows down, took PgDn ↓ ↓ to find)."""
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await fill_applicant(keys)
        await keys("r", "r", "m", "r", "home")  # the floor plan 缺; the cursor back on top
        table = intake_screen(app).table
        assert table.cursor_row == 0
        await keys("f8")
        assert not isinstance(app.screen, NoticePreview)
        assert focused_field(app) == "intake-checklist"
        assert table.get_row_at(table.cursor_row)[3].plain == "缺"
        assert "材料未齐" in str(intake_screen(app).status.render())
        assert cases_in(intake_node) == []
