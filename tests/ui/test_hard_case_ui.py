"""办不成事 and 帮代办 in the app, by keys: a V ticket at the window becomes a hard case (F3, v,
n), goes through its whole loop 受理 → 告知 → 协调 → 督办 → 回访 (the 督办 by a supervisor once
the deadline has passed), and the database follows each key; 帮代办 from the served ticket.
Snapshots of a hard case's timeline at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import OptionList

from counter_tui.actor import Actor
from counter_tui.assistance.models import Assist
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.feedback import events as ev
from counter_tui.feedback import hard_cases as hc
from counter_tui.feedback.models import HardCase
from counter_tui.queue import commands
from counter_tui.ui.app import make_app
from counter_tui.ui.screens.ask import AskScreen, ChooseScreen
from counter_tui.ui.screens.assist import AssistScreen
from counter_tui.ui.screens.hard_case import (
    HardCaseFormScreen,
    HardCaseListScreen,
    HardCaseScreen,
)
from tests.conftest import HALL
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import Clock, Keys, log_in, payloads, plain, settle

SITE = "421202-XA-BYQ"
KIOSK = Actor(username="kiosk", role="clerk", site=SITE)
NOW = FIXED_NOW.replace(tzinfo=HALL)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def v_hall(node: NodeDatabase) -> NodeDatabase:
    """The UI node with one ticket waiting: V001 (办不成事·帮代办)."""
    engine = make_engine(node.settings.db_url)
    with write_session(engine) as session:
        commands.issue(session, KIOSK, "V", applicant_name="张三丰", now=NOW)
    engine.dispose()
    return node


def hard_cases(node: NodeDatabase) -> list[HardCase]:
    engine = make_engine(node.settings.db_url)
    with read_session(engine) as session:
        rows = list(session.exec(select(HardCase)).all())
    engine.dispose()
    return rows


async def answer(keys: Keys, *typed: str) -> None:
    """Type into the dialog on top and press Enter."""
    assert isinstance(keys.pilot.app.screen, AskScreen), keys.pilot.app.screen
    await keys(*typed, "enter")


async def test_a_hard_case_through_its_whole_loop(v_hall: NodeDatabase) -> None:
    clock = Clock()
    app = make_app(v_hall.settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await log_in(pilot, "li", PASSWORD)
        await keys("f3")
        await keys("n")  # V001 called
        await keys("f3")
        await keys("v")
        assert isinstance(app.screen, HardCaseListScreen) and app.screen.ticket_number == "V001"
        await keys("n")
        assert isinstance(app.screen, HardCaseFormScreen)
        await keys("3")  # 部门推诿, then the problem
        await keys(*"[b]社保", "enter")  # markup-looking text stays literal
        await keys("enter")  # the name comes from the ticket
        await keys("enter")  # no ID number
        await keys("1", "2", "enter")  # a bad phone: said under the fields, nothing lost
        assert isinstance(app.screen, HardCaseFormScreen)
        assert "联系电话" in plain(pilot, "#hard-case-error")
        await keys("backspace", "backspace", *"13812345678", "enter")
        assert isinstance(app.screen, HardCaseScreen)
        (row,) = hard_cases(v_hall)
        assert (row.kind, row.problem, row.applicant_name, row.ticket_number, row.state) == (
            "shirking",
            "[b]社保",
            "张三丰",
            "V001",
            "accepted",
        )
        assert "[b]社保" in plain(pilot, "#hard-case-facts")
        # 告知, then 协调 with 县医保局 and 2 working days (Mon 11-23 → Wed 11-25).
        await keys("g")
        await answer(keys, *"已告知")
        await keys("c")
        await answer(keys, *"县医保局")
        await answer(keys, *"核实")
        await answer(keys, "backspace", "2")
        assert "待 县医保局 答复：2026-11-25 前" in plain(pilot, "#hard-case-awaited")
        # A clerk is offered no 督办, and nothing is concluded while a reply is awaited.
        assert app.screen.check_action("step", ("supervise",)) is False
        assert app.screen.check_action("step", ("conclude",)) is False
    # Three days on, the supervisor (at another PC) sees it due first and presses the department.
    clock.advance(days=3)
    app = make_app(v_hall.settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await log_in(pilot, "zhao", PASSWORD)
        # F6's supervisor view (issue 16, H5) opens this list; here it is opened directly.
        app.push_screen(HardCaseListScreen())
        await settle(pilot)
        assert "超期" in " ".join(str(c) for c in app.screen.query_one("DataTable").get_row_at(0))
        await keys("enter")
        assert isinstance(app.screen, HardCaseScreen)
        assert "张*丰" in plain(pilot, "#hard-case-facts")  # masked for a supervisor
        assert "已超期，应督办" in plain(pilot, "#hard-case-awaited")
        await keys("s")
        await answer(keys, *"请即答复")
        await answer(keys)  # 3 working days: Thu 11-26 → Tue 12-01
        assert "2026-12-01 前" in plain(pilot, "#hard-case-awaited")
        await keys("r")  # one department awaited: no choice to make
        await answer(keys, *"已核实")
        await keys("e")
        assert isinstance(app.screen, ChooseScreen)
        await keys("1")  # 办成
        await answer(keys, *"已办结")
        await keys("v")
        await keys("2")  # 基本满意
        await answer(keys, *"还行")
        timeline = plain(pilot, "#hard-case-timeline")
        for step in ("受理", "告知", "协调", "督办", "答复", "办结", "回访"):
            assert step in timeline
        assert "赵督查" in timeline and "李四" in timeline
    (row,) = hard_cases(v_hall)
    assert (row.state, row.outcome, row.verdict, row.verdict_note) == (
        "closed",
        "done",
        "basically",
        "还行",
    )
    (supervised,) = payloads(v_hall, ev.HARD_CASE_SUPERVISED)
    assert supervised["due"] == "2026-12-01" and supervised["note"] == "请即答复"


async def test_assisted_service_from_the_served_ticket(v_hall: NodeDatabase) -> None:
    app = make_app(v_hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await log_in(pilot, "li", PASSWORD)
        await keys("f3")
        await keys("n")
        await keys("z")  # not offered before the applicant is at the window
        assert not isinstance(app.screen, AssistScreen)
        await keys("s", "f3")
        await keys("z")
        assert isinstance(app.screen, AssistScreen)
        await keys("2")  # 上门
        await keys("4")  # 其他
        await keys(*"30", "enter")
        await keys("enter")  # 其他 without a note: refused under the fields
        assert "写明是谁" in plain(pilot, "#assist-error")
        await keys(*"外出务工", "enter")
        assert not isinstance(app.screen, AssistScreen)
    engine = make_engine(v_hall.settings.db_url)
    with read_session(engine) as session:
        (assist,) = session.exec(select(Assist)).all()
    engine.dispose()
    assert (assist.way, assist.for_whom, assist.minutes, assist.note, assist.assistant) == (
        "home",
        "other",
        30,
        "外出务工",
        "li",
    )


@pytest.fixture
def timeline_hall(node: NodeDatabase) -> NodeDatabase:
    """One hard case five steps in: opened, informed, 县医保局 asked, 督办 past its deadline,
    and 县人社局 asked later, still within its time."""
    clerk = Actor(username="li", role="clerk", site=SITE)
    boss = Actor(username="zhao", role="supervisor", site=SITE)
    engine = make_engine(node.settings.db_url)
    with write_session(engine) as s:
        number = hc.open_hard_case(
            s,
            clerk,
            kind="shirking",
            problem="[red]社保关系转移[/red]：两个部门都说不归自己管，已跑三次",
            applicant_name="张三丰",
            id_number="11010519491231002X",
            phone="13812345678",
            now=NOW - timedelta(days=7),
        ).number
        hc.inform(
            s, clerk, number, "已告知将协调县医保局，3 个工作日内答复", now=NOW - timedelta(days=7)
        )
        hc.coordinate(
            s,
            clerk,
            number,
            department="县医保局",
            request="核实转移接续",
            now=NOW - timedelta(days=7),
        )
        hc.supervise(
            s,
            boss,
            number,
            department="县医保局",
            note="超期未答复，请即办理",
            days=2,
            now=NOW - timedelta(days=1),
        )
        hc.coordinate(s, clerk, number, department="县人社局", request="出具参保证明", now=NOW)
    engine.dispose()
    return node


@pytest.mark.parametrize("size", SIZES)
def test_hard_case_timeline_snapshot(
    snap_compare: Callable[..., bool], timeline_hall: NodeDatabase, size: tuple[int, int]
) -> None:
    """BC-261116-01 协调中… no: 督办中, 部门推诿, from 直接登记; 张三丰 with ID and phone in full
    for the clerk; the problem with its [red] brackets shown literally; the timeline 受理, 告知,
    协调 (县医保局), 督办 (县医保局), 协调 (县人社局) with times and 李四/赵督查; the two awaited
    replies (县医保局 by 11-24, 县人社局 by 11-26); the keys g 告知 c 协调 r 答复 Esc 关闭."""

    async def shown(pilot: Pilot[object]) -> None:
        await log_in(pilot, "li", PASSWORD)
        pilot.app.push_screen(HardCaseScreen("BC-261116-01"))
        await settle(pilot)

    app = make_app(timeline_hall.settings, clock=lambda: FIXED_NOW)
    assert snap_compare(app, terminal_size=size, run_before=shown)


async def test_s_on_a_v_ticket_stays_on_f3_and_finishing_proposes_the_hard_case(
    v_hall: NodeDatabase,
) -> None:
    """The 办不成事·帮代办 window: `s` does not jump to the item search (the clerk listens
    first) but says what can follow; a hard case opened from the ticket makes 办不成事受理 the
    proposed outcome."""
    from counter_tui.queue.models import QueueTicket
    from counter_tui.ui.screens.queue import QueueScreen

    app = make_app(v_hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await log_in(pilot, "li", PASSWORD)
        await keys("f3", "n", "s")
        assert isinstance(app.screen, QueueScreen)
        assert "V001 办理中：v 受理办不成事  z 登记帮代办" in plain(pilot, "#queue-status")
        await keys("v", "n", "3", *"社保", "enter", "enter", "enter", *"13812345678", "enter")
        assert isinstance(app.screen, HardCaseScreen)
        await keys("escape", "escape", "f")
        assert isinstance(app.screen, ChooseScreen)
        options = app.screen.query_one("#choose-list", OptionList)
        assert options.get_option_at_index(options.highlighted or 0).id == "hard_case"
        await keys("enter")
    engine = make_engine(v_hall.settings.db_url)
    with read_session(engine) as session:
        (ticket,) = session.exec(select(QueueTicket)).all()
    engine.dispose()
    assert (ticket.state, ticket.outcome) == ("finished", "hard_case")
