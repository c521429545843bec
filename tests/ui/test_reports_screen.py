"""F6 (统计) and the supervisor's view (督办): the periods and who may read which scope, as
plain rules; then the screen driven by keys against a database whose figures are known."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from textual.pilot import Pilot

from counter_tui.accounts.rules import report_scope_problem
from counter_tui.actor import Actor
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.reports.periods import Span, parse_range, preset
from counter_tui.ui.screens.reports.screen import ReportsScreen
from counter_tui.ui.widgets.chart import Chart
from tests.ui.conftest import PASSWORD, NodeDatabase
from tests.ui.helpers import footer_keys, log_in, options, plain, settle, signed_in, table_rows
from tests.ui.helpers import shown as shown_text

MONDAY_23 = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("name", "start", "label"),
    [
        ("today", date(2026, 11, 23), "今天"),
        ("week", date(2026, 11, 23), "本周"),  # the 23rd is a Monday
        ("tenday", date(2026, 11, 21), "本旬"),
        ("month", date(2026, 11, 1), "本月"),
    ],
)
def test_the_presets_end_today(name: str, start: date, label: str) -> None:
    assert preset(name, MONDAY_23) == Span(start, MONDAY_23, label)


def test_the_week_starts_on_monday_and_the_tenday_on_the_11th() -> None:
    sunday = date(2026, 11, 15)
    assert preset("week", sunday).start == date(2026, 11, 9)
    assert preset("tenday", sunday).start == date(2026, 11, 11)
    assert preset("tenday", date(2026, 11, 10)).start == date(2026, 11, 1)


@pytest.mark.parametrize(
    "text",
    ["2026-11-01 至 2026-11-15", "11-01 11-15", "20261101~20261115", "2026.11.1到11.15"],
)
def test_a_typed_range_is_read_in_its_usual_spellings(text: str) -> None:
    assert parse_range(text, MONDAY_23) == Span(
        date(2026, 11, 1), date(2026, 11, 15), "11月1日—11月15日"
    )


def test_one_typed_day_is_a_range_of_one_day() -> None:
    assert parse_range("11-20", MONDAY_23) == Span(
        date(2026, 11, 20), date(2026, 11, 20), "11月20日"
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "请输入起止日期"),
        ("11-15 11-01", "开始日期 2026-11-15 晚于结束日期 2026-11-01"),
        ("11-01 11-30", "结束日期 2026-11-30 在今天之后"),
        ("2026-02-30 2026-03-01", "看不懂的日期：2026-02-30"),
        ("昨天", "看不懂的日期：昨天"),
        ("2024-01-01 2026-11-01", "一次最多统计 366 天"),
        ("11-01 11-02 11-03", "只能有起止两个日期"),
    ],
)
def test_a_bad_range_says_what_is_wrong(text: str, said: str) -> None:
    found = parse_range(text, MONDAY_23)
    assert isinstance(found, str) and said in found


def test_supervisors_read_any_scope_clerks_their_own_approvers_their_department() -> None:
    own = {"own_username": "li", "own_window": "3", "own_department": None}
    for role in ("supervisor", "admin"):
        assert report_scope_problem(role, **own) is None
        assert report_scope_problem(role, **own, clerk="zhang") is None
    for role in ("clerk", "trainer"):
        assert report_scope_problem(role, **own, window="3") is None
        assert report_scope_problem(role, **own, clerk="li") is None
        for other in ({}, {"window": "4"}, {"clerk": "zhang"}, {"department": "SCJG"}):
            refused = report_scope_problem(role, **own, **other)
            assert refused is not None and "只能查看本窗口或本人的统计" in refused
    approver = {"own_username": "wang", "own_window": "3", "own_department": "SCJG"}
    assert report_scope_problem("approver", **approver, department="SCJG") is None
    assert report_scope_problem("approver", **approver, department="RSJ") is not None
    assert report_scope_problem("approver", **approver) is not None
    assert report_scope_problem("operator", **own) is not None


# --- the screen ------------------------------------------------------------------------------
#
# The month of the intake node (every case F-5, 10 working days committed), made through the
# services, counted by hand:
#   11-02  张三 accepted, handed off: still with SCJG on 11-23, due 11-16 → 红/黄牌, overdue
#   11-02  张三 accepted, claimed 11-03, approved 11-16, completed 11-18 (due 11-16: late)
#   11-09  李四 accepted, handed off (due 11-23: not overdue yet)
#   11-09  李四 accepted, claimed, waiting for corrected papers
#   11-20  王五 accepted, handed off;  11-20 王五 accepted, not handed off
#   11-23  赵六 accepted at 9:00 (the app's clock is 11-23 9:30)
#   11-23  three tickets issued at the kiosk (09:00, 09:10, 09:15), none called yet
# So: today 3 tickets, 1 accepted; 本月 7 accepted, 1 completed (0 on time), 1 overdue open;
# 11-01 至 11-15: 4 accepted, none completed.


@pytest.fixture
def month_node(intake_node: NodeDatabase) -> NodeDatabase:
    from counter_tui.queue import commands, config
    from tests.ui.conftest import ADMIN, FIXED_NOW, KIOSK
    from tests.ui.history import at, hall_on, handed_off_cases, window_cases

    handed_off_cases(intake_node)
    window_cases(intake_node)
    with hall_on(intake_node) as hall:
        hall.accept("赵六", 23, id_number="110101199003076210")
        hall.session.flush()
        commands.configure(hall.session, ADMIN, config.DEFAULT, now=at(23, 7))
        for minute in (0, 10, 15):
            commands.issue(hall.session, KIOSK, "A", now=at(23, 9, minute))
    assert datetime(2026, 11, 23, 9, 30) == FIXED_NOW
    return intake_node


def figures_shown(pilot: Pilot[object]) -> dict[str, str]:
    """The figures panel as label → value."""
    words = plain(pilot, "#reports-figures", width=200).split()
    return {words[i]: words[i + 1] for i in range(0, len(words) - 1)}


def filter_line(pilot: Pilot[object]) -> str:
    return plain(pilot, "#reports-filter").strip()


async def test_the_supervisor_changes_period_and_scope_with_keys(
    month_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    app = intake_app()
    async with signed_in(app, "zhao") as keys:  # a supervisor lands on F6
        assert isinstance(app.screen, ReportsScreen)
        assert filter_line(keys.pilot) == "统计 · 全厅 · 今天（11月23日）"
        shown = figures_shown(keys.pilot)
        assert (shown["号票"], shown["受理"], shown["办结"]) == ("3", "1", "0")
        await keys("p", "p", "p")  # 本周, 本旬, 本月
        assert filter_line(keys.pilot) == "统计 · 全厅 · 本月（11月1日—11月23日）"
        shown = figures_shown(keys.pilot)
        assert (shown["受理"], shown["办结"], shown["超期未办结"]) == ("7", "1", "1")
        assert "（按时 0）" in plain(keys.pilot, "#reports-figures", width=200)
        bars = app.screen.query_one("#chart-departments", Chart)
        assert (bars.labels, bars.values) == (["区市场监督管理局"], [7.0])
        line = app.screen.query_one("#chart-days", Chart)
        assert len(line.values) == 30 and line.labels[-1] == "11-23"
        assert sum(line.values) == 7 and line.values[-1] == 1

        await keys("d")  # a typed range: a bad one is refused where it is typed
        await keys(*"11-15 11-01", "enter")
        assert "开始日期 2026-11-15 晚于结束日期 2026-11-01" in shown_text(app, "#ask-error")
        await keys("ctrl+a", "ctrl+k", *"11-01 11-15", "enter")
        assert filter_line(keys.pilot) == "统计 · 全厅 · 11月1日—11月15日（11月1日—11月15日）"
        assert figures_shown(keys.pilot)["受理"] == "4"

        await keys("s")  # the scope: 全厅, then the departments, windows and clerks
        choices = options(keys.pilot, "#choose-list")
        assert choices[:2] == ["1  全厅", "2  部门：区市场监督管理局"]
        assert "人员：李四" in " ".join(choices)
        await keys("2")
        assert filter_line(keys.pilot).startswith("统计 · 部门：区市场监督管理局 · ")
        shown = figures_shown(keys.pilot)
        assert (shown["号票"], shown["受理"]) == ("—", "4")  # a department has no tickets


async def test_a_clerk_reads_their_own_window_or_work_only(
    month_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    app = intake_app()
    async with signed_in(app, "li") as keys:
        await keys("f6")
        assert filter_line(keys.pilot) == "统计 · 本人：李四 · 今天（11月23日）"
        assert "v 督办" not in footer_keys(keys.pilot)  # no supervisor's view
        await keys("p", "p", "p")
        assert filter_line(keys.pilot) == "统计 · 本人：李四 · 本月（11月1日—11月23日）"
        assert figures_shown(keys.pilot)["受理"] == "7"  # 李四 accepted every case
        await keys("s")
        assert options(keys.pilot, "#choose-list") == ["1  本人：李四", "2  本窗口：3号窗口"]
        await keys("2")
        assert filter_line(keys.pilot) == "统计 · 本窗口：3号窗口 · 本月（11月1日—11月23日）"
        assert figures_shown(keys.pilot)["受理"] == "—"  # a window keeps no cases


def test_the_door_refuses_a_clerk_the_hall_and_the_cards(month_node: NodeDatabase) -> None:
    """Whatever a screen offers, the statistics door checks the scope against the role."""
    from counter_tui.desk.node import open_desk
    from counter_tui.errors import PermissionDenied
    from counter_tui.reports.figures import Period, Scope

    desk = open_desk(month_node.settings)
    try:
        clerk = Actor("li", "clerk", "421202-XA-BYQ", window="3")
        month = Period(date(2026, 11, 1), MONDAY_23)
        with pytest.raises(PermissionDenied, match="只能查看本窗口或本人的统计"):
            desk.statistics.figures(clerk, Scope(), month, today=MONDAY_23)
        with pytest.raises(PermissionDenied, match="只能查看本窗口或本人的统计"):
            desk.statistics.series(clerk, Scope(clerk="zhang"), MONDAY_23)
        with pytest.raises(PermissionDenied, match="无权查看督办清单"):
            desk.statistics.cards(clerk, MONDAY_23)
        mine = desk.statistics.figures(clerk, Scope(clerk="li"), month, today=MONDAY_23)
        assert mine.accepted == 7
    finally:
        desk.close()


async def test_the_supervisor_view_opens_a_red_card_with_enter(
    month_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    app = intake_app()
    async with signed_in(app, "zhao") as keys:
        await keys("v")
        assert filter_line(keys.pilot) == "督办 · 11月23日 · 全厅"
        cards = table_rows(keys.pilot, "#due-cards DataTable")
        assert len(cards) == 1 and cards[0][0] in ("红牌", "黄牌")
        assert cards[0][3] == "张*"  # masked for the supervisor
        assert plain(keys.pilot, "#due-followups .due-empty").strip() == "暂无"  # none due
        assert plain(keys.pilot, "#due-hard .due-empty").strip() == "暂无"
        await keys("enter")
        assert isinstance(app.screen, CaseDetailScreen)
        facts = str(app.screen.query_one("#case-facts").render())
        assert "4206**********123X" in facts  # the case detail's own masking for a supervisor
        await keys("escape", "v")  # back to the figures
        assert filter_line(keys.pilot).startswith("统计 · 全厅")


async def test_the_supervisor_view_lists_follow_ups_and_hard_cases_due_and_opens_them(
    month_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    """A bad phone rating of a week ago (its follow-up due today, five working days on) and a
    hard case whose department was given two working days (past: due for 督办), each opened
    with Enter in its own screen; the problem renders literally, the applicant masked."""
    from counter_tui.desk.node import open_desk
    from counter_tui.ui.screens.followups import FollowupsScreen
    from counter_tui.ui.screens.hard_case import HardCaseScreen
    from tests.conftest import HALL
    from tests.ui.helpers import cases_in

    week_ago = datetime(2026, 11, 16, 10, tzinfo=HALL)
    clerk = Actor("li", "clerk", "421202-XA-BYQ", window="3")
    number = sorted(case.number for case in cases_in(month_node))[0]
    desk = open_desk(month_node.settings)
    try:
        desk.feedback.record(
            clerk, kind="case", channel="phone", level=5, case=number, now=week_ago
        )
        hard = desk.hard_cases.open(
            clerk,
            now=week_ago,
            kind="policy",
            problem="医保转移接续[b]说不清[/b]",
            applicant_name="王五",
            phone="13812345678",
        ).number
        desk.hard_cases.inform(clerk, hard, "已告知办理途径", now=week_ago)
        desk.hard_cases.coordinate(clerk, hard, "县医保局", "核实缴费年限", 2, now=week_ago)
    finally:
        desk.close()

    app = intake_app()
    async with signed_in(app, "zhao") as keys:
        await keys("v")
        (followup,) = table_rows(keys.pilot, "#due-followups DataTable")
        assert (followup[0], followup[2], followup[4]) == ("今日", "非常不满意 · 待回访", "今天")
        (late,) = table_rows(keys.pilot, "#due-hard DataTable")
        assert (late[0], late[1], late[3], late[4]) == ("待督办", hard, "王*", "超 5")
        assert late[2] == "政策不明 · 医保转移接续[b]说不清[/b]"
        await keys("tab", "enter")  # from the cards to the follow-ups
        assert isinstance(app.screen, FollowupsScreen)
        assert number in str(app.screen.listing.get_option_at_index(0).prompt)
        await keys("escape", "tab", "enter")  # the hard case
        assert isinstance(app.screen, HardCaseScreen) and app.screen.ref == hard


# --- pictures --------------------------------------------------------------------------------

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_f6_snapshot(
    snap_compare: Callable[..., bool],
    month_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """赵督查 on F6 with 本月 chosen (p p p), fixed clock 2026-11-23: the line 统计 · 全厅 ·
    本月（11月1日—11月23日）; the figures 号票 3 张（已办 0）, 等候 — , 受理 7 件, 办结 1 件
    （按时 0）, 超期未办结 1 件, 一次办成率 100.0%, the rating rates — (no ratings yet),
    差评待整改 0, 办不成事在办 0. At 80×24 two pairs a line with the bars' chart starting below
    them; at 120×40 one pair a line on the left, the bars (1 区市场监督管理局 7 件) and the line
    of the last 30 days (10-25 … 11-23, 合计 7 件) on the right. Footer: p 期间, d 日期,
    s 范围, v 督办."""

    async def ready(pilot: Pilot[object]) -> None:
        await log_in(pilot, "zhao", PASSWORD)
        await pilot.press("p", "p", "p")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_supervisor_view_snapshot(
    snap_compare: Callable[..., bool],
    month_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """赵督查 on F6's supervisor view (v): 督办 · 11月23日 · 全厅; 红黄牌（超期办件）· 1 件 with
    张三's case of 11-02 (short number, 食品经营许可证核发, masked 张*, 超 5) highlighted;
    差评整改到期 · 0 件 and 办不成事到期 · 0 件 say 暂无."""

    async def ready(pilot: Pilot[object]) -> None:
        await log_in(pilot, "zhao", PASSWORD)
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(intake_app(), terminal_size=size, run_before=ready)


async def test_signing_out_leaves_no_earlier_f6_with_its_charts(
    month_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    """A chart follows the app's theme through a signal that would hold it (and its screen)
    for the rest of the day: the chart lets go when it goes. A supervisor lands on F6 with its
    charts drawn; three sign-outs must not leave a screen per session (one earlier one may be
    held a while by a finished worker's hand-back, as test_memory allows)."""
    import gc

    app = intake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "zhao", PASSWORD)
        for _ in range(3):
            await pilot.press("p", "p", "p")  # 本月: both charts drawn
            await settle(pilot)
            await pilot.press("f9")
            await log_in(pilot, "zhao", PASSWORD)
        gc.collect()
        from textual_plotext import PlotextPlot

        screens = [o for o in gc.get_objects() if isinstance(o, ReportsScreen)]
        plots = [o for o in gc.get_objects() if isinstance(o, PlotextPlot)]
        assert 1 <= len(screens) <= 2
        assert len(plots) <= 2 * len(screens), len(plots)  # two charts a screen
