"""The queue screen (F3), driven as a clerk drives it: call, recall, start, finish with an
outcome, transfer, park, issue a ticket at the reception, check in an appointment; and the
pictures at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select
from textual.widgets import Input

from counter_tui.actor import Actor
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.queue import commands
from counter_tui.queue.models import QueueTicket
from counter_tui.ui.app import CounterApp, make_app
from tests.conftest import HALL
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import footer_keys, log_in, plain, settle, table_rows

NOW = FIXED_NOW.replace(tzinfo=HALL)
SITE = "421202-XA-BYQ"
KIOSK = Actor(username="kiosk", role="clerk", site=SITE)


@pytest.fixture
def queue_app(queue_node: NodeDatabase) -> Callable[[], CounterApp]:
    return lambda: make_app(queue_node.settings, clock=lambda: FIXED_NOW)


def tickets(node: NodeDatabase) -> dict[str, QueueTicket]:
    engine = make_engine(node.settings.db_url)
    with read_session(engine) as session:
        rows = {t.number: t for t in session.exec(select(QueueTicket)).all()}
    engine.dispose()
    return rows


async def open_queue(pilot, username: str = "li") -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot, username, PASSWORD)
    await pilot.press("f3")
    await settle(pilot)


async def test_a_clerk_calls_recalls_starts_and_finishes_with_an_outcome(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    moments = [FIXED_NOW]  # the clock moves on for the recall (30 s at least after the call)
    app = make_app(queue_node.settings, clock=lambda: moments[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        assert "当前没有叫号" in plain(pilot, "#queue-held")
        assert "3 号窗口" in plain(pilot, "#queue-window")
        await pilot.press("n")
        await settle(pilot)
        assert "请 A002 号到 3 号窗口（第 1 次）" in plain(pilot, "#queue-status")
        assert "当前 A002  已叫号 第 1 次" in plain(pilot, "#queue-held")
        await pilot.press("n")  # not offered while a ticket is held: nothing happens
        moments[0] += timedelta(seconds=40)
        await pilot.press("r")
        await settle(pilot)
        assert tickets(queue_node)["A002"].calls == 2
        await pilot.press("s")  # the applicant is here: on to the intake
        await settle(pilot)
        assert tickets(queue_node)["A002"].state == "serving"
        assert app.current_mode == "intake"
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("1")  # 已受理
        await settle(pilot)
    done = tickets(queue_node)["A002"]
    assert (done.state, done.outcome, done.window) == ("finished", "accepted", "3")
    assert tickets(queue_node)["A001"].state == "waiting"


async def test_finishing_as_other_asks_for_the_note_and_transfer_keeps_the_number(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("n", "s")  # A002 comes to the window
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("t", "2", "1")  # to B 不动产登记, keeping the issue time
        await settle(pilot)
        assert "A002 等候" in plain(pilot, "#queue-status")
        await pilot.press("n")  # A002 is still first: B is served by window 3 too
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("7")  # 其他
        await pilot.press("enter")  # an empty note is refused where it is typed
        assert "不能为空" in plain(pilot, "#ask-error")
        await pilot.press(*"咨询后自行离开", "enter")
        await settle(pilot)
    moved = tickets(queue_node)["A002"]
    assert (moved.category, moved.state, moved.outcome, moved.note) == (
        "B",
        "finished",
        "other",
        "咨询后自行离开",
    )


async def test_a_parked_ticket_is_called_back_from_its_row(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("s", "f3")
        await settle(pilot)
        await pilot.press("p", *"回家取户口簿", "enter")
        await settle(pilot)
        assert tickets(queue_node)["A002"].state == "parked"
        assert "当前没有叫号" in plain(pilot, "#queue-held")
        kinds = [(row[4], row[0]) for row in table_rows(pilot, "#queue-table")]
        assert kinds == [("等候", "A001"), ("等候", "B001"), ("暂离", "A002")]
        await pilot.press("down", "down", "enter")  # the parked row; the reason is prefilled
        await pilot.press("enter")
        await settle(pilot)
    back = tickets(queue_node)["A002"]
    assert (back.state, back.window) == ("called", "3")


async def test_the_reception_issues_a_priority_ticket_and_its_slip_is_saved(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("i", "3")  # C 社保医保
        await pilot.press("4")  # 绿色通道·孕妇
        await settle(pilot)
        status = plain(pilot, "#queue-status")
    assert "已取号 C001（绿色通道·孕妇）" in status
    slip = next((queue_node.settings.printing.folder / NOW.date().isoformat()).glob("*C001*"))
    text = slip.read_text(encoding="utf-8")
    assert "C  0  0  1" in text and "绿色通道（孕妇）" in text and "社保医保" in text
    assert tickets(queue_node)["C001"].priority_reason == "孕妇"


async def test_check_in_asks_again_keeping_what_was_typed(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("a", *"42060219850315123", "enter")  # one digit short
        await settle(pilot)
        assert "没有查到此证件的预约" in plain(pilot, "#ask-prompt")
        # The typed text is still there, selected (a new scan replaces it): End, then the digit.
        await pilot.press("end", "1", "enter")
        await settle(pilot)
        status = plain(pilot, "#queue-status")
    assert "签到成功：A003（预约时段 10:00-10:30）" in status
    assert tickets(queue_node)["A003"].appointment_id is not None


async def test_an_approver_sees_the_queue_but_gets_no_calling_keys(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot, "wang")
        await pilot.press("n", "i")
        await settle(pilot)
        assert not {"n 叫号", "i 取号"} & set(footer_keys(pilot))
    assert {t.state for t in tickets(queue_node).values()} == {"waiting"}


async def test_a_call_from_another_window_shows_without_a_key_press(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        engine = make_engine(queue_node.settings.db_url)
        with write_session(engine) as session:
            commands.call_next(session, KIOSK, "5", now=NOW)  # A002 goes to window 5
        engine.dispose()
        for _ in range(50):  # the screen polls every second; wait for it, boundedly
            await pilot.pause(0.1)
            rows = [row[0] for row in table_rows(pilot, "#queue-table")]
            if "A002" not in rows:
                break
        assert rows == ["A001", "B001"]


def _called_and_waiting(queue_node: NodeDatabase) -> None:
    engine = make_engine(queue_node.settings.db_url)
    with write_session(engine) as session:
        commands.call_next(session, KIOSK, "3", now=NOW)
        commands.start(session, KIOSK, "3", now=NOW + timedelta(minutes=1))
        commands.issue(session, KIOSK, "D", priority_reason="残疾人", now=NOW)
        commands.issue(session, KIOSK, "A", now=NOW - timedelta(days=1))
    engine.dispose()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_queue_screen(
    snap_compare: Callable[..., bool],
    queue_app: Callable[[], CounterApp],
    queue_node: NodeDatabase,
    size: tuple[int, int],
) -> None:
    """Window 3 serving A002 (绿色通道·老年人) since 09:31, said in the header too (A002 …
    办理中); the table lists D001 (绿色通道·残疾人), A001 and B001 waiting with their minutes,
    and yesterday's A001 as 往日, 未结（等候）; the footer offers 办结, 转窗 and 暂离 (叫号,
    取号 and 签到 wait until the window is free)."""
    _called_and_waiting(queue_node)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_queue(pilot)

    assert snap_compare(queue_app(), terminal_size=size, run_before=run_before)


def test_a_case_accepted_while_serving_a_ticket_is_linked_to_it(intake_node: NodeDatabase) -> None:
    """The desk links the case to the ticket the window serves, in the intake's transaction."""
    from counter_tui.desk.node import open_desk
    from tests.ui.history import f5

    engine = make_engine(intake_node.settings.db_url)
    with write_session(engine) as session:
        commands.issue(session, KIOSK, "A", now=NOW)
        commands.call_next(session, KIOSK, intake_node.settings.window, now=NOW)
    engine.dispose()
    desk = open_desk(intake_node.settings)
    try:
        clerk = desk.accounts.login("li", PASSWORD).actor
        assert clerk is not None
        first = desk.intake.conclude(
            clerk, "accept", f5("张三"), case_id=None, draft_id=None, now=NOW
        )
        other = f5("王五", "420602198503151231")
        second = desk.intake.conclude(clerk, "accept", other, case_id=None, draft_id=None, now=NOW)
    finally:
        desk.close()
    linked = tickets(intake_node)["A001"]
    assert linked.case_numbers == f'["{first.case.number}", "{second.case.number}"]'
    assert linked.item_codes == '["F-5"]'  # both cases were F-5: the item counts once


async def test_booking_at_the_window_shows_free_places_and_keeps_the_form_on_a_refusal(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("b", "2")  # 电话预约: a caller on the line
        await pilot.press("a", "enter", "enter")  # category A, today (prefilled)
        await settle(pilot)
        assert "10:00-10:30 余 3" in plain(pilot, "#booking-openings")
        await pilot.press(*"10:00-10:30", "enter", *"王芳", "enter")
        await pilot.press(*"420607197808083012", "enter", "enter")  # a wrong check digit
        await settle(pilot)
        assert "校验" in plain(pilot, "#booking-error")
        assert app.screen.query_one("#booking-name", Input).value == "王芳"
        await pilot.press("up")  # back to the ID number: fix its last digit
        await pilot.press("end", "backspace", "1", "enter", "enter")
        await settle(pilot)
        status = plain(pilot, "#queue-status")
    assert "已预约 2026-11-23 10:00-10:30（A 类），预约码" in status
    engine = make_engine(queue_node.settings.db_url)
    with read_session(engine) as session:
        from counter_tui.queue.models import QueueAppointment

        made = session.exec(select(QueueAppointment).where(QueueAppointment.name == "王芳")).one()
    engine.dispose()
    assert made.channel == "phone"


async def test_a_step_the_database_could_not_take_says_so_and_changes_nothing(
    queue_app: Callable[[], CounterApp], queue_node: NodeDatabase
) -> None:
    from sqlalchemy.exc import OperationalError

    app = queue_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        assert app.desk is not None

        def locked(*_: object, **__: object) -> None:
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

        app.desk.queue.step = locked  # type: ignore[method-assign]
        await pilot.press("n")
        await settle(pilot)
        assert "数据库正忙：另一个程序正在使用它" in plain(pilot, "#queue-status")
        assert "可稍后重试" in plain(pilot, "#queue-status")
        assert app.is_running
    assert {t.state for t in tickets(queue_node).values()} == {"waiting"}


async def test_the_reception_desk_issues_and_checks_in_but_calls_nobody(
    queue_node: NodeDatabase,
) -> None:
    settings = replace(queue_node.settings, window="reception")
    app = make_app(settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)  # a clerk at the reception lands on the queue
        assert app.current_mode == "queue"
        assert "导服台" in plain(pilot, "#queue-window")
        from counter_tui.ui.widgets.header import CounterHeader

        header = app.screen.query_one(CounterHeader).render().plain
        assert "导服台" in header and "号窗口" not in header
        rows = [row[0] for row in table_rows(pilot, "#queue-table")]
        assert rows == ["A002", "A001", "B001"]  # everyone waiting, in calling order
        await pilot.press("n", "r")  # no calling here
        await pilot.press("i", "1", "1")  # 普通
        await settle(pilot)
        assert "已取号 A003" in plain(pilot, "#queue-status")
    assert {t.state for t in tickets(queue_node).values()} == {"waiting"}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_booking_form(
    snap_compare: Callable[..., bool],
    queue_app: Callable[[], CounterApp],
    size: tuple[int, int],
) -> None:
    """The booking form over the queue screen: 类别 A and today's date typed, 可约 10:00-10:30
    余 3 under the six fields, every field and the key line inside the dialog."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_queue(pilot)
        await pilot.press("b", "1", "a", "enter", "enter")  # 窗口预约
        await settle(pilot)

    assert snap_compare(queue_app(), terminal_size=size, run_before=run_before)
