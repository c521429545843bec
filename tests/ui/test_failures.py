"""A busy, locked or full database at every step a clerk takes (issue 12, points 4 and 5): the
app stays up, the screen says in one Chinese line what happened and that the step can be tried
again, what was typed is still there, and the same key works once the database is free.

The faults are SQLite's own (tests/faults.py): its error raised from the driver, a real write
lock held by another connection, a real "database or disk is full".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.db import make_engine, read_session
from counter_tui.queue.models import QueueTicket
from counter_tui.settings import QueueSettings
from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.screens.ask import AskScreen
from counter_tui.ui.screens.booking import BookingScreen
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.case_form import CaseActionScreen
from counter_tui.ui.screens.intake.form import input_id
from counter_tui.ui.screens.intake.screen import IntakeScreen
from counter_tui.ui.screens.notice import NoticePreview
from tests.conftest import HALL
from tests.faults import DatabaseFault, write_lock
from tests.ui.conftest import APPOINTMENT_ID, FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import cases_in, log_in, notifications, plain, settle, table_rows
from tests.ui.history import handed_off_cases, long_history

BUSY = "数据库正忙：另一个程序正在使用它"
FULL = "磁盘已满，数据库无法写入"
RETRY = "重试"
ID_NUMBER = "42060219900307123X"
PHONE = "13812345678"
SITE = "421202-XA-BYQ"
NOW = FIXED_NOW.replace(tzinfo=HALL)


def fault_of(app: CounterApp) -> DatabaseFault:
    assert app.desk is not None
    return DatabaseFault(app.desk.engine)


def status_of(app: CounterApp) -> str:
    """Every status-like line on the screen, joined: where a failed step is said."""
    texts = [str(w.render()) for w in app.screen.query(".error")]
    return " ".join(texts)


# --- sign-in ---------------------------------------------------------------------------------


async def test_sign_in_on_a_busy_database_says_so_and_works_when_it_is_free(
    app_for: Callable[..., CounterApp],
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fault = fault_of(app)
        fault.fail(writes_only=False)  # the login records the attempt: reads and writes fail
        await pilot.press(*"li", "enter", *PASSWORD, "enter")
        await settle(pilot)
        assert app.is_running and fault.hits
        assert BUSY in str(app.screen.query_one("#login-status").render())
        assert app.screen.query_one("#password", Input).value == PASSWORD  # kept
        fault.heal()
        await pilot.press("enter")
        await settle(pilot)
        assert app.signed_in is not None


# --- intake: F8, F7, F10 ---------------------------------------------------------------------


def intake_screen(app: CounterApp) -> IntakeScreen:
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    return screen


def typed(app: CounterApp) -> dict[str, str]:
    screen = intake_screen(app)
    return {
        name: screen.query_one(f"#{input_id(name)}", Input).value
        for name in ("applicant.id_number", "applicant.name", "applicant.phone")
    }


async def fill(pilot: Pilot[object], *marks: str) -> None:
    await log_in(pilot, "li", PASSWORD)
    for keys in (("s", "p", "j", "enter"), tuple(ID_NUMBER), ("张", "三", "enter"), tuple(PHONE)):
        await pilot.press(*keys)
        await settle(pilot)
    await pilot.press("enter", *marks)
    await settle(pilot)


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer gives up on a held lock after 50 ms, not 10 s."""
    import counter_tui.db

    monkeypatch.setattr(counter_tui.db, "BUSY_TIMEOUT_MS", 50)


@pytest.mark.usefixtures("short_busy_timeout")
async def test_f8_while_another_process_holds_the_write_lock(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await fill(pilot, "a")
        before = typed(app)
        with write_lock(intake_node.path):
            await pilot.press("f8")
            await settle(pilot)
            assert app.is_running
            status = str(intake_screen(app).status.render())
            assert BUSY in status and RETRY in status
            assert typed(app) == before  # nothing typed is lost
            assert cases_in(intake_node) == []
        await pilot.press("f8")  # the lock is gone: the same key
        await settle(pilot)
        assert isinstance(app.screen, NoticePreview)
    (case,) = cases_in(intake_node)
    assert case.state == "accepted" and case.applicant_name == "张三"


async def test_f8_pressed_again_while_the_first_waits_on_the_lock_records_one_case(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase
) -> None:
    """Found in an hour of use: the second F8 recorded a second case, and the first one's
    receipt was never shown (its worker's result was dropped)."""
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await fill(pilot, "a")
        with write_lock(intake_node.path):
            await pilot.press("f8")
            await pilot.pause()
            await pilot.press("f8")
            await pilot.pause()
            assert "请稍候" in str(intake_screen(app).status.render())
        await settle(pilot)  # the lock is gone: the first F8 goes through
        assert isinstance(app.screen, NoticePreview)
    (case,) = cases_in(intake_node)
    assert case.state == "accepted"


async def test_f8_on_a_full_disk_says_so_and_shows_no_personal_data(
    intake_app: Callable[[], CounterApp], intake_node: NodeDatabase, failure_log: Path
) -> None:
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await fill(pilot, "a")
        before = typed(app)
        # SQLite's own answer when no page is left. (A real full file, max_page_count, is
        # tested on the services in tests/core/test_failures.py: this small node's pages
        # still hold room for one acceptance.)
        fault = fault_of(app)
        fault.fail("database or disk is full")
        await pilot.press("f8")
        await settle(pilot)
        assert app.is_running and fault.hits
        status = str(intake_screen(app).status.render())
        assert FULL in status and "重试" in status
        assert ID_NUMBER not in status and PHONE not in status
        assert typed(app) == before
        fault.heal()
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, NoticePreview)
    assert [c.state for c in cases_in(intake_node)] == ["accepted"]
    logged = (failure_log / "errors.log").read_text(encoding="utf-8")
    assert "database or disk is full" in logged
    assert ID_NUMBER not in logged and PHONE not in logged and "张三" not in logged


async def _refuse(pilot: Pilot[object], retry: bool) -> None:
    """F10 with a reason and an agency; on the retry both are offered again as typed."""
    for key, text in (("f10", "不属于本机关"), ("enter", "区卫健局")):
        await pilot.press(key)
        await settle(pilot)
        field = pilot.app.screen.query_one(Input)
        if retry:
            assert field.value == text  # kept from the failed attempt
        else:
            await pilot.press(*text)
    await pilot.press("enter")
    await settle(pilot)


async def _notify(pilot: Pilot[object], retry: bool) -> None:
    await pilot.press("f7")
    await settle(pilot)


@pytest.mark.parametrize(
    ("marks", "conclude", "state"),
    [
        pytest.param(("r", "r"), _notify, "notified", id="F7"),
        pytest.param((), _refuse, "refused", id="F10"),
    ],
)
async def test_f7_and_f10_on_a_locked_database(
    intake_app: Callable[[], CounterApp],
    intake_node: NodeDatabase,
    marks: tuple[str, ...],
    conclude: Callable[[Pilot[object], bool], object],
    state: str,
) -> None:
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await fill(pilot, *marks)
        before = typed(app)
        fault = fault_of(app)
        fault.fail()
        await conclude(pilot, False)  # type: ignore[misc]
        assert app.is_running and fault.hits
        assert isinstance(app.screen, IntakeScreen)
        assert BUSY in str(intake_screen(app).status.render())
        assert typed(app) == before
        assert cases_in(intake_node) == []
        fault.heal()
        await conclude(pilot, True)  # type: ignore[misc]
        assert isinstance(app.screen, NoticePreview)
    assert [c.state for c in cases_in(intake_node)] == [state]


async def test_an_unexpected_error_in_a_worker_is_a_line_naming_the_log(
    intake_app: Callable[[], CounterApp],
    failure_log: Path,
    unexpected_errors: list[BaseException],
) -> None:
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await fill(pilot, "a")
        assert app.desk is not None

        def broken(*_: object, **__: object) -> None:
            raise RuntimeError(f"bug with {ID_NUMBER} and '张三' and {PHONE}")

        app.desk.intake.conclude = broken  # type: ignore[method-assign]
        await pilot.press("f8")
        await settle(pilot)
        assert app.is_running
        status = str(intake_screen(app).status.render())
        assert "出现意外错误" in status and str(failure_log / "errors.log") in status
        assert "Traceback" not in status and "RuntimeError" not in status
    assert [type(e) for e in unexpected_errors] == [RuntimeError]
    unexpected_errors.clear()  # expected here
    logged = (failure_log / "errors.log").read_text(encoding="utf-8")
    assert "RuntimeError: bug with 4206**********123X and '张*' and 138****5678" in logged
    assert ID_NUMBER not in logged


# --- case actions ----------------------------------------------------------------------------


async def _open_case(pilot: Pilot[object]) -> None:
    await log_in(pilot, "wang", PASSWORD)  # the approver's worklist: the case in review
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseDetailScreen)


@pytest.mark.parametrize(
    ("key", "typed_in_form", "state"),
    [
        pytest.param("a", ("S", "C", "J", "G", "-", "1"), "approved", id="approve"),
        pytest.param("s", tuple("现场核查"), "suspended", id="suspend"),
        pytest.param("w", tuple("申请人撤回"), "withdrawn", id="withdraw"),
    ],
)
async def test_a_case_action_form_on_a_locked_database_keeps_what_was_typed(
    intake_node: NodeDatabase,
    intake_app: Callable[[], CounterApp],
    key: str,
    typed_in_form: tuple[str, ...],
    state: str,
) -> None:
    long_history(intake_node)
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_case(pilot)
        fault = fault_of(app)
        fault.fail()
        await pilot.press(key, *typed_in_form, "enter")
        await settle(pilot)
        assert app.is_running and fault.hits
        form = app.screen
        assert isinstance(form, CaseActionScreen)
        assert BUSY in status_of(app)
        values = [i.value for i in form.query(Input)]
        assert "".join(typed_in_form) in values
        fault.heal()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
    (case,) = cases_in(intake_node)
    assert case.state == state
    if key == "s":
        assert case.paused_since is not None


async def test_an_immediate_case_action_and_the_correction_list_on_a_busy_database(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    long_history(intake_node)
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_case(pilot)
        await pilot.press("s", *"现场核查", "enter")
        await settle(pilot)
        fault = fault_of(app)
        fault.fail()
        await pilot.press("u")  # resume: recorded at once, no form
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, CaseDetailScreen)
        assert BUSY in plain(pilot, "#case-status")
        fault.heal()
        await pilot.press("u")
        await settle(pilot)
        assert "审查中" in plain(pilot, "#case-title")
        fault.fail(writes_only=False)  # the correction list is read first
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert BUSY in plain(pilot, "#case-status")
        fault.heal()
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, CaseActionScreen)  # the correction form opens
    assert cases_in(intake_node)[0].paused_since is None


async def test_claiming_from_the_worklist_on_a_busy_database(
    intake_node: NodeDatabase, intake_app: Callable[[], CounterApp]
) -> None:
    from counter_tui.ui.screens.worklist import WorklistScreen

    handed_off_cases(intake_node)
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, "wang", PASSWORD)
        assert isinstance(app.screen, WorklistScreen)
        fault = fault_of(app)
        fault.fail()
        await pilot.press("c")
        await settle(pilot)
        assert app.is_running and fault.hits
        assert BUSY in plain(pilot, "#worklist-status")
        assert [row[-1] for row in table_rows(pilot, "#worklist-table")] == ["—"] * 3
        fault.fail(writes_only=False)  # the list itself cannot be read: the last one stays
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running and len(table_rows(pilot, "#worklist-table")) == 3
        assert BUSY in plain(pilot, "#worklist-status")
        fault.heal()
        await pilot.press("c")
        await settle(pilot)
        await settle(pilot)
        assert table_rows(pilot, "#worklist-table")[0][-1] == "王芳"
    assert sorted(c.assignee for c in cases_in(intake_node)) == ["", "", "wang"]


async def test_a_screen_without_a_status_line_says_it_in_a_notification(
    app_for: Callable[..., CounterApp],
) -> None:
    """The header's warning count is the app's own worker: its failure is a notification."""
    app = app_for()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await log_in(pilot, "li", PASSWORD)
        fault = fault_of(app)
        fault.fail(writes_only=False)
        app.case_changed()  # as every 60 s
        await settle(pilot)
        assert app.is_running and fault.hits
        assert any(BUSY in line for line in notifications(pilot))


# --- the queue -------------------------------------------------------------------------------


def queue_state(node: NodeDatabase) -> set[tuple[str, str, int, str]]:
    engine = make_engine(node.settings.db_url)
    with read_session(engine) as session:
        rows = session.exec(select(QueueTicket)).all()
        found = {(t.number, t.state, t.calls, t.category) for t in rows}
    engine.dispose()
    return found


#: (before the fault, the step, the keys that retry it once the database is free)
QUEUE_STEPS = [
    pytest.param((), ("n",), ("n",), id="call_next"),
    pytest.param(("n",), ("r",), ("r",), id="recall"),
    pytest.param(("n",), ("s",), ("s",), id="start"),
    pytest.param(("n",), ("x", "y"), ("x", "y"), id="no_show"),
    # `s` goes on to the intake (F2): F3 comes back to the queue.
    pytest.param(("n", "s", "f3"), ("f", "1"), ("f", "1"), id="finish"),
    pytest.param(("n", "s", "f3"), ("p", *"取户口簿", "enter"), ("p", "enter"), id="park"),
    pytest.param(("n", "s", "f3"), ("t", "2", "1"), ("t", "2", "1"), id="transfer"),
    pytest.param((), ("i", "3", "4"), ("i", "3", "1"), id="issue"),  # 孕妇, then 普通
    pytest.param((), ("a", *APPOINTMENT_ID, "enter"), ("enter",), id="check_in"),
]


@pytest.mark.parametrize(("setup", "step", "retry"), QUEUE_STEPS)
async def test_each_queue_step_on_a_locked_database(
    queue_node: NodeDatabase,
    setup: tuple[str, ...],
    step: tuple[str, ...],
    retry: tuple[str, ...],
) -> None:
    # The clock stands still: no minimum between calls, so `r` reaches the database.
    settings = replace(queue_node.settings, queue=QueueSettings(recall_min_interval_seconds=0))
    app = make_app(settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f3")
        await settle(pilot)
        for key in setup:
            await pilot.press(key)
            await settle(pilot)
        before = queue_state(queue_node)
        fault = fault_of(app)
        fault.fail()
        await pilot.press(*step)
        await settle(pilot)
        assert app.is_running and fault.hits
        assert BUSY in status_of(app) or BUSY in str(
            app.screen.query("#ask-prompt").first().render()
        )
        assert queue_state(queue_node) == before  # rolled back: nothing happened
        if step[0] == "a":  # the check-in asks again, with the number as it was typed
            assert isinstance(app.screen, AskScreen)
            assert app.screen.query_one(Input).value == APPOINTMENT_ID
        fault.heal()
        await pilot.press(*retry)
        await settle(pilot)
        assert BUSY not in status_of(app)
    assert queue_state(queue_node) != before


async def test_booking_on_a_locked_database_keeps_the_form(queue_node: NodeDatabase) -> None:
    app = make_app(queue_node.settings, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("b", "2", "a", "enter", "enter")
        await settle(pilot)
        await pilot.press(*"10:00-10:30", "enter", *"王芳", "enter")
        await pilot.press(*"420607197808083011", "enter")
        fault = fault_of(app)
        fault.fail()
        await pilot.press("enter")  # the phone is optional: Enter on it books
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, BookingScreen)
        assert BUSY in plain(pilot, "#booking-error")
        assert app.screen.query_one("#booking-name", Input).value == "王芳"
        assert app.screen.query_one("#booking-id_number", Input).value == "420607197808083011"
        fault.heal()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, BookingScreen)
        assert "已预约" in plain(pilot, "#queue-status")


# --- start and the app's own safety net -------------------------------------------------------


async def test_a_full_disk_at_start_is_not_called_a_disk_io_error(
    app_for: Callable[..., CounterApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite says "disk I/O error" when it cannot even make its -shm file on a full disk."""
    import shutil
    import sqlite3

    from sqlalchemy.exc import OperationalError

    import counter_tui.dberrors
    import counter_tui.desk.node

    def no_room(_engine: object) -> None:
        raise OperationalError(
            "PRAGMA journal_mode=WAL", {}, sqlite3.OperationalError("disk I/O error")
        )

    usage = shutil.disk_usage("/")._replace(free=0)
    real_require_head = counter_tui.desk.node.require_head
    monkeypatch.setattr(counter_tui.desk.node, "require_head", no_room)
    monkeypatch.setattr(counter_tui.dberrors.shutil, "disk_usage", lambda _: usage)
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        site_line = str(app.screen.query_one("#login-site").render())
        assert site_line.startswith("磁盘已满")
        assert "disk I/O error" not in site_line and "OperationalError" not in site_line
        # The admin makes room; the clerk signs in without restarting the app.
        monkeypatch.setattr(counter_tui.desk.node, "require_head", real_require_head)
        await pilot.press(*"li", "enter", *PASSWORD, "enter")
        await settle(pilot)
        assert app.signed_in is not None


async def test_a_failure_outside_the_workers_prints_a_line_not_a_traceback(
    app_for: Callable[..., CounterApp], failure_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Textual ends the app then, as it must; what it prints is ours: no locals, no data."""
    app = app_for()
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            secret = ID_NUMBER  # a local that Textual's traceback would have printed

            def crash() -> None:
                raise ZeroDivisionError(f"for {secret}")

            app.call_later(crash)
            await pilot.pause()
    printed = "".join(capsys.readouterr().err.split())  # the line, unwrapped
    assert printed.startswith("错误：出现意外错误，应用已退出") and str(failure_log) in printed
    assert ID_NUMBER not in printed and "Traceback" not in printed
    assert app.return_code == 1
