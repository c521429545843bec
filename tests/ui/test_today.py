"""Today's work (F4 今日办理), finding a case by its short number (Ctrl+O), and the window at
80×24 in 16 colours: footers that fit, toasts that leave the key line, full names for the
site's own clerk, headings that are not red."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.color import ColorSystem
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.ask import AskScreen
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.worklist import WorklistScreen
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import log_in, plain, settle, signed_in, table_rows
from tests.ui.today_day import morning

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def test_the_clerks_day_lists_tickets_and_every_case_touched_and_opens_them(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    day = morning(intake_node)
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys("f4")
        assert isinstance(app.screen, WorklistScreen)
        # The window view lists what is still owed: the notified and delivered cases are not.
        owed = [row[1] for row in table_rows(keys.pilot, "#worklist-table")]
        assert owed == ["1120-0001", "1123-0001"]
        await keys("v")  # the clerk's second view
        assert "今日办理 · 11月23日 · 3号窗口 · 李四" in plain(keys.pilot, "#worklist-filter")
        rows = table_rows(keys.pilot, "#today-table")
        # Latest first; two cases numbered 0001 (11-02 and 11-23): day and number.
        assert rows == [
            ["09:20", "1102-0001", "食品经营许可证核发", "张三", "已出件"],
            ["09:12", day.ticket, "号票 · 办件 1123-0002", "", "一次性告知"],
            ["09:10", "1123-0002", "食品经营许可证核发", "李四", "已一次性告知"],
            ["08:40", "1123-0001", "食品经营许可证核发", "王五", "已受理"],
        ]
        assert day.older[-9:] not in {row[1] for row in rows}  # not touched today
        detail = plain(keys.pilot, "#today-detail", width=200)
        assert detail.startswith(f"{day.delivered} · 食品经营许可证核发 · 张三 · 已出件")
        assert "今日：出件" in detail
        await keys("down")  # the ticket: its case in full below
        assert f"号票 {day.ticket} · 09:12 一次性告知 · 办件：{day.notified}" in plain(
            keys.pilot, "#today-detail", width=200
        )
        await keys("enter")  # a ticket opens the case it produced
        assert isinstance(app.screen, CaseDetailScreen)
        assert day.notified in str(app.screen.query_one("#case-title").render())
        await keys("escape", "up", "enter")
        assert isinstance(app.screen, CaseDetailScreen)
        assert day.delivered in str(app.screen.query_one("#case-title").render())


async def test_ctrl_o_finds_a_case_by_its_short_number_and_keeps_what_was_typed(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    day = morning(intake_node)
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        await keys("ctrl+o", *"0001", "enter")  # today's 0001, not 11-02's or 11-20's
        assert isinstance(app.screen, CaseDetailScreen)
        assert day.accepted in str(app.screen.query_one("#case-title").render())
        await keys("escape", "ctrl+o", *"1102-1", "enter")  # with its day: 11-02's
        assert isinstance(app.screen, CaseDetailScreen)
        assert day.delivered in str(app.screen.query_one("#case-title").render())
        await keys("escape", "ctrl+o", *"9999", "enter")
        assert isinstance(app.screen, AskScreen)  # the question is back …
        assert app.screen.query_one("#ask-input", Input).value == "9999"  # … with the input
        error = str(app.screen.query_one("#ask-error").render())
        assert "没有找到办件：9999" in error and "0003" not in error and "9999" in error
        await keys("backspace", *"2", "enter")  # 9992: still nothing, still kept
        assert app.screen.query_one("#ask-input", Input).value == "9992"


async def test_ctrl_o_from_the_queue_or_the_worklist_asks_on_the_intake(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    """After finishing a ticket on F3, or on F4, the clerk presses the same Ctrl+O: the
    intake's question opens (in tmux it did nothing there and the digits went to the list)."""
    day = morning(intake_node)
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        for section in ("f3", "f4"):
            await keys(section, "ctrl+o")
            assert isinstance(app.screen, AskScreen) and app.current_mode == "intake"
            await keys(*"0001", "enter")
            assert isinstance(app.screen, CaseDetailScreen)
            assert day.accepted in str(app.screen.query_one("#case-title").render())
            await keys("escape")


async def test_the_clerk_sees_full_names_of_the_sites_cases_a_supervisor_masked(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    morning(intake_node)
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys("f4")
        names = [row[3] for row in table_rows(keys.pilot, "#worklist-table")]
        assert names == ["赵六", "王五"]
    app = intake_app()
    async with signed_in(app, "zhao") as keys:  # 赵督查, supervisor: back office first
        await keys("f4", "v")
        assert "窗口待办" in plain(keys.pilot, "#worklist-filter")
        names = [row[3] for row in table_rows(keys.pilot, "#worklist-table")]
        assert names == ["赵*", "王*"]
        assert "赵*" in plain(keys.pilot, "#worklist-detail", width=200)


def test_names_are_decided_by_role_and_site_in_the_service() -> None:
    from counter_tui.actor import Actor
    from counter_tui.cases.worklist import applicant_for

    clerk = Actor("li", "clerk", "421202-XA-BYQ")
    assert applicant_for(clerk, "421202-XA-BYQ", "王五") == "王五"
    assert applicant_for(clerk, "421202-XA-OTHER", "王五") == "王*"
    assert (
        applicant_for(Actor("zhao", "supervisor", "421202-XA-BYQ"), "421202-XA-BYQ", "王五")
        == "王*"
    )
    assert applicant_for(None, "421202-XA-BYQ", "王五") == "王*"  # printouts, the CLI


def test_short_numbers_are_as_short_as_the_list_allows() -> None:
    from counter_tui.cases.worklist import short_numbers

    today = ["421202-XA-BYQ-261123-0001", "421202-XA-BYQ-261123-0002"]
    assert list(short_numbers(today).values()) == ["0001", "0002"]
    days = ["421202-XA-BYQ-261123-0001", "421202-XA-BYQ-261102-0001"]
    assert list(short_numbers(days).values()) == ["1123-0001", "1102-0001"]
    sites = ["421202-XA-BYQ-261123-0001", "421202-XA-CZ-261123-0001"]
    assert short_numbers(sites) == {number: number for number in sites}


def footer_right(app: CounterApp) -> int:
    """The right edge of the footer's last key, in columns."""
    return max(key.region.right for key in app.screen.query("FooterKey"))


@pytest.mark.parametrize("user", ["li", "wang", "zhao"])
async def test_every_sections_footer_fits_80_columns(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp], user: str
) -> None:
    app = intake_app()
    async with signed_in(app, user, size=(80, 24)) as keys:
        for section in ("f2", "f3", "f4", "f5", "f6"):
            await keys(section)
            keys_shown = [str(key.render()) for key in app.screen.query("FooterKey")]
            assert footer_right(app) <= 80, (section, keys_shown)
            assert any("帮助" in key for key in keys_shown)  # F1 always keeps its word
        if user != "wang":
            await keys("f4", "v")  # the other view has other keys
            assert footer_right(app) <= 80


async def test_the_trainers_worklist_footer_shortens_the_other_sections_first(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    """The trainer's window view has h, v, d, s and l: the line only fits with the other
    sections' keys bare; at 120 columns they keep their words."""
    from counter_tui.accounts.service import create_user
    from counter_tui.actor import Actor
    from tests.ui.history import SITE, hall_on

    with hall_on(intake_node) as hall:
        operator = Actor.local_operator(SITE)
        create_user(
            hall.session,
            operator,
            username="sun",
            display_name="孙老师",
            role="trainer",
            password=PASSWORD,
        )
    app = intake_app()
    async with signed_in(app, "sun", size=(80, 24)) as keys:
        await keys("f4")
        shown = [" ".join(str(key.render()).split()) for key in app.screen.query("FooterKey")]
        assert "f2" in shown and "f1 帮助" in shown and "h 移交" in shown
        assert footer_right(app) <= 80
        await keys.pilot.resize_terminal(120, 40)
        await settle(keys.pilot)
        shown = [" ".join(str(key.render()).split()) for key in app.screen.query("FooterKey")]
        assert "f2 受理" in shown


async def test_a_notification_does_not_cover_the_key_line(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    app = intake_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await log_in(pilot, "li", PASSWORD)
        for section in ("f2", "f4"):
            await pilot.press(section)
            await settle(pilot)
            app.notify(
                "已保存到 /var/lib/counter-tui/notices/一次性告知书-0001.pdf" * 3, markup=False
            )
            await pilot.pause()
            (toast,) = app.screen.query("Toast")
            footer = app.screen.query_one("Footer")
            assert toast.region.bottom <= footer.region.y - 1  # a line above the footer
            app.clear_notifications()
            await pilot.pause()


async def test_headings_in_16_colours_are_not_red(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    """A 16-colour terminal gets each colour as the nearest of its 16: the dark theme's
    accent (#FEA62B) comes out bright red, so headings must not use it."""
    app = intake_app()
    async with signed_in(app, "li", size=(80, 24)) as keys:
        for theme in ("textual-dark", "textual-ansi"):
            if theme not in app.available_themes:
                continue
            app.theme = theme
            await keys("f4")
            title = app.screen.query_one(".section-title")
            color = title.rich_style.color
            assert color is not None
            standard = color.downgrade(ColorSystem.STANDARD)
            assert standard.number not in (1, 9), (theme, color)  # red, bright red
            assert title.rich_style.bold


@pytest.mark.parametrize("size", SIZES)
def test_today_snapshot(
    snap_compare: Callable[..., bool],
    intake_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """李四 on F4, 今日办理, 2026-11-23 09:30: latest first — 09:20 1102-0001 张三 已出件,
    09:12 A001 号票 · 办件 1123-0002 一次性告知, 09:10 1123-0002 李四 已一次性告知,
    08:40 1123-0001 王五 已受理; names in full; the line under the table shows 张三's case in
    full (421202-XA-BYQ-261102-0001, 今日：出件 …); the footer: v 视图, f1 帮助 and the other
    sections (no h, d, s, l: today's work has no filters)."""
    morning(intake_node)

    async def ready(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f4", "v")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_window_view_snapshot(
    snap_compare: Callable[..., bool],
    intake_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """李四 on F4, 窗口待办: 1120-0001 赵六 and 1123-0001 王五, both 已受理 with their working
    days, names in full, the 事项 column wide; under the table 赵六's case in full
    (421202-XA-BYQ-261120-0001 · 食品经营许可证核发 · 赵六 · 已受理 · 12月4日到期); at 80
    columns the footer shows the other sections as bare keys (f2 f3 f5 f6) and ends in f9 注销."""
    morning(intake_node)

    async def ready(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f4")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=ready)
