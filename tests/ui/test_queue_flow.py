"""One flow from ticket to result (issue 15, points 1, 2 and 7), driven by keys: `s` lands on
the intake with the ticket in the header; `f` proposes the outcome the linked cases imply;
signing out or quitting with a ticket held asks what to do with it; `x` and the recall that
would become a no-show ask once; recalls wait the minimum interval; a priority reason is one
key. And the intake header with a ticket held, at 80×24 and 120×40."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from counter_tui.actor import Actor
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.queue import commands
from counter_tui.queue.models import QueueTicket
from counter_tui.ui.app import CounterApp, make_app
from counter_tui.ui.screens.ask import AskScreen, ChooseScreen
from counter_tui.ui.screens.intake.screen import IntakeScreen
from counter_tui.ui.screens.notice import NoticePreview
from counter_tui.ui.widgets.header import CounterHeader
from tests.conftest import HALL
from tests.ui.conftest import FIXED_NOW, PASSWORD, NodeDatabase
from tests.ui.helpers import Clock, Keys, fill_applicant, log_in, plain, settle, settle_until

SITE = "421202-XA-BYQ"
KIOSK = Actor(username="kiosk", role="clerk", site=SITE)
NOW = FIXED_NOW.replace(tzinfo=HALL)


@pytest.fixture
def hall(intake_node: NodeDatabase) -> NodeDatabase:
    """The intake test node with two tickets: A001 绿色通道·老年人 (called first) and A002."""
    engine = make_engine(intake_node.settings.db_url)
    with write_session(engine) as session:
        commands.issue(session, KIOSK, "A", priority_reason="老年人", now=NOW)
        commands.issue(session, KIOSK, "A", now=NOW)
    engine.dispose()
    return intake_node


def tickets(node: NodeDatabase) -> dict[str, QueueTicket]:
    engine = make_engine(node.settings.db_url)
    with read_session(engine) as session:
        rows = {t.number: t for t in session.exec(select(QueueTicket)).all()}
    engine.dispose()
    return rows


def header(app: CounterApp) -> str:
    return app.screen.query_one(CounterHeader).render().plain


def highlighted(app: CounterApp) -> str | None:
    assert isinstance(app.screen, ChooseScreen)
    options = app.screen.query_one(OptionList)
    assert options.highlighted is not None
    return options.get_option_at_index(options.highlighted).id


async def at_queue(pilot: Pilot[object], *keys: str) -> None:
    await log_in(pilot, "li", PASSWORD)
    await pilot.press("f3")
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def test_s_lands_on_the_intake_with_the_ticket_in_the_header(hall: NodeDatabase) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot, "n")
        assert "A001 绿色通道·老年人 已叫号" in header(app)  # every section shows it
        await pilot.press("s")
        await settle(pilot)
        assert app.current_mode == "intake" and isinstance(app.screen, IntakeScreen)
        assert isinstance(app.focused, Input) and app.focused.id == "intake-entry"
        assert "A001 绿色通道·老年人 办理中" in header(app)
        await pilot.press("f4")  # on every section
        await settle(pilot)
        assert "A001 绿色通道·老年人 办理中" in header(app)
    assert tickets(hall)["A001"].state == "serving"


async def test_the_header_drops_the_role_and_name_before_the_ticket(hall: NodeDatabase) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await at_queue(pilot, "n")
        line = header(app)
        assert "A001 综合受理 绿色通道·老年人 已叫号" in line and "李四（窗口人员）" in line
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot)
        line = header(app)
        assert "A001" in line and "李四" not in line and len(line) <= 80


async def test_finishing_proposes_the_outcome_of_the_case_accepted_while_serving(
    hall: NodeDatabase,
) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await at_queue(pilot, "n", "s")
        await fill_applicant(keys)
        await keys("a", "f8")  # every material received: accepted, linked to A001
        assert isinstance(app.screen, NoticePreview)
        await keys("escape")
        await keys("f3", "f")
        assert highlighted(app) == "accepted"
        await keys("enter")  # the proposal is confirmed with one key
    done = tickets(hall)["A001"]
    assert (done.state, done.outcome) == ("finished", "accepted")
    assert len(done.case_numbers) > 2  # the case is linked


async def test_keys_after_enter_on_the_preview_reach_the_screen_while_it_prints(
    hall: NodeDatabase,
) -> None:
    """Enter F3 f at a practised pace while the receipt still prints: the preview has closed,
    F3 goes to the queue and `f` finishes (it swallowed F3 and typed `f` into the emptied item
    search, whose Enter then chose an item: seen in an hour's tmux run)."""
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await at_queue(pilot, "n", "s")
        await fill_applicant(keys)
        await keys("a", "f8")
        assert isinstance(app.screen, NoticePreview) and app.desk is not None
        intake = app.desk.intake
        real, release = intake.print_notices, threading.Event()

        def slow(notices):  # type: ignore[no-untyped-def]
            release.wait(timeout=10)
            return real(notices)

        intake.print_notices = slow  # type: ignore[method-assign]
        for key in ("enter", "f3", "f"):
            await pilot.press(key)
            await pilot.pause()
        assert not release.is_set()  # still printing
        assert app.current_mode == "queue" and highlighted(app) == "accepted"
        release.set()
        await keys("enter")
        assert "已保存到" in " ".join(str(n.message) for n in app._notifications)
    done = tickets(hall)["A001"]
    assert (done.state, done.outcome) == ("finished", "accepted")


async def test_a_print_that_fails_behind_the_closed_preview_says_how_to_reprint(
    hall: NodeDatabase,
) -> None:
    import errno

    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await at_queue(pilot, "n", "s")
        await fill_applicant(keys)
        await keys("a", "f8")
        assert isinstance(app.screen, NoticePreview) and app.desk is not None
        number = app.screen.case.number

        def full(notices):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device", "/notices/x.pdf")

        app.desk.intake.print_notices = full  # type: ignore[method-assign]
        await keys("enter")
        said = [str(n.message) for n in app._notifications]
        assert any(
            line.startswith(f"{number} 的通知书没有打印：磁盘已满") and "Ctrl+O" in line
            for line in said
        ), said
        assert isinstance(app.screen, IntakeScreen)  # the form is free for the next one


async def test_finishing_without_a_case_proposes_a_consultation(hall: NodeDatabase) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot, "n", "f")
        assert highlighted(app) == "consulted"
        await pilot.press("enter")
        await settle(pilot)
    assert tickets(hall)["A001"].outcome == "consulted"


#: The sign-out's answers: the keys after F9, and the ticket's state then.
SIGN_OUT = [
    pytest.param(("1", "enter"), "finished", True, id="finish"),  # 咨询解答, proposed
    pytest.param(("2",), "no_show", True, id="no_show"),
    pytest.param(("3",), "parked", True, id="park"),
    pytest.param(("4",), "called", True, id="keep"),
    pytest.param(("5",), "called", False, id="cancel"),
    pytest.param(("escape",), "called", False, id="escape"),
]


@pytest.mark.parametrize(("answer", "state", "signed_out"), SIGN_OUT)
async def test_signing_out_with_a_called_ticket_asks_what_to_do(
    hall: NodeDatabase, answer: tuple[str, ...], state: str, signed_out: bool
) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot, "n")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)
        assert "A001 已叫号：注销前如何处理这个号？" in app.screen.title_text
        for key in answer:
            await pilot.press(key)
            await settle(pilot)
        assert (app.signed_in is None) is signed_out
        assert (app.current_mode == "login") is signed_out
    assert tickets(hall)["A001"].state == state


async def test_a_ticket_in_service_offers_no_no_show_and_quitting_asks_too(
    hall: NodeDatabase,
) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot, "n", "s")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)
        # The same five, each at its number: 过号 greyed (the applicant is here), its digit
        # does nothing, and 暂离 is 3 as it is for a called ticket.
        assert [c for c, _ in app.screen.choices] == [
            "finish",
            "no_show",
            "park",
            "keep",
            "cancel",
        ]
        assert app.screen.unavailable == {"no_show"}
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen) and app.is_running
        await pilot.press("3")  # 暂离, then the app ends
        await settle(pilot)
        assert not app.is_running
    assert tickets(hall)["A001"].state == "parked"


async def test_signing_out_with_no_ticket_asks_nothing(hall: NodeDatabase) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.current_mode == "login"


async def test_the_idle_sign_out_leaves_the_ticket_and_says_so(hall: NodeDatabase) -> None:
    clock = Clock()
    app = make_app(hall.settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot, "n")
        clock.advance(minutes=16)
        await app.sign_out_if_idle()
        await settle(pilot)
        assert app.current_mode == "login"
        assert "A001 仍已叫号，保留在本窗口" in plain(pilot, "#login-status")
    assert tickets(hall)["A001"].state == "called"


async def test_a_slow_read_of_the_held_ticket_never_overwrites_a_newer_call(
    hall: NodeDatabase,
) -> None:
    """The header's copy is read again in a worker (sign-in, a case changed): a read begun
    while the window was free and finished after `n` must not blank the called ticket."""
    import asyncio

    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot)
        assert app.desk is not None
        queue = app.desk.queue
        real, release = queue.held, threading.Event()

        def slow(window: str):  # type: ignore[no-untyped-def]
            queue.held = real  # type: ignore[method-assign]  # only this read is slow
            found = real(window)  # nothing called yet: the picture of a free window
            release.wait(timeout=10)
            return found

        queue.held = slow  # type: ignore[method-assign]
        app.holding.reload()
        await pilot.press("n")
        for _ in range(10):  # settle(), but the held read stays blocked
            others = [w for w in app.workers if w.group != "held"]
            await asyncio.gather(*(w.wait() for w in others), return_exceptions=True)
            await pilot.pause()
            if all(w.is_finished for w in others):
                break
        assert "A001" in header(app) and not release.is_set()
        release.set()
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.holding.ticket is not None and app.holding.ticket.number == "A001"
        assert "A001 绿色通道·老年人 已叫号" in header(app)


async def test_x_asks_once_on_the_status_line(hall: NodeDatabase) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot, "n", "x")
        assert "确认 A001 过号？y/回车 确认" in plain(pilot, "#queue-status")
        await pilot.press("enter")  # the answer, not Enter on the row
        await settle(pilot)
        assert tickets(hall)["A001"].state == "no_show"
        await pilot.press("n", "x")
        await settle(pilot)
        await pilot.press("down")  # any other key cancels
        await settle(pilot)
        assert "已取消：A002 未记过号" in plain(pilot, "#queue-status")
        assert tickets(hall)["A002"].state == "called"
        await pilot.press("x", "y")
        await settle(pilot)
    assert tickets(hall)["A002"].state == "no_show"


async def test_the_fourth_r_asks_and_recalls_wait_the_interval(hall: NodeDatabase) -> None:
    clock = Clock()
    app = make_app(hall.settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot, "n")
        clock.advance(seconds=10)
        await pilot.press("r")
        await settle(pilot)
        assert "距上次呼叫仅 10 秒，请 20 秒后再重呼" in plain(pilot, "#queue-status")
        assert tickets(hall)["A001"].calls == 1
        for _ in range(3):
            clock.advance(seconds=30)
            await pilot.press("r")
            await settle(pilot)
        assert tickets(hall)["A001"].calls == 4
        assert "再按 r 将记为过号" in plain(pilot, "#queue-held")
        clock.advance(seconds=30)
        await pilot.press("r")
        await settle(pilot)
        assert "再重呼即记为过号：确认过号？" in plain(pilot, "#queue-status")
        await pilot.press("n")  # not y: cancelled
        await settle(pilot)
        assert tickets(hall)["A001"].state == "called"
        await pilot.press("r", "y")
        await settle(pilot)
    assert tickets(hall)["A001"].state == "no_show"


async def test_a_priority_reason_is_one_key_and_other_is_typed(hall: NodeDatabase) -> None:
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot)
        await pilot.press("i", "1", "5")  # A, 军人优抚
        await settle(pilot)
        assert "已取号 A003（绿色通道·军人优抚）" in plain(pilot, "#queue-status")
        await pilot.press("i", "1", "6")  # 其他…
        assert isinstance(app.screen, AskScreen)
        await pilot.press(*"带婴儿", "enter")
        await settle(pilot)
        await pilot.press("i", "1", "1")  # 普通
        await settle(pilot)
    issued = tickets(hall)
    assert [(issued[n].priority, issued[n].priority_reason) for n in ("A003", "A004", "A005")] == [
        (True, "军人优抚"),
        (True, "带婴儿"),
        (False, ""),
    ]


async def test_i_pressed_before_the_queue_is_read_opens_the_issue_once_it_is(
    hall: NodeDatabase,
) -> None:
    """F3 then i at once, on a busy PC: the queue is still being read; the key is kept and
    the issue dialog opens when it has been (found in the walk-through: it was dropped)."""
    from counter_tui.desk.queue import QueueDoor

    release = threading.Event()
    real_view = QueueDoor.view

    def slow_view(self: QueueDoor, *args: object, **kwargs: object) -> object:
        release.wait(10)
        return real_view(self, *args, **kwargs)  # type: ignore[arg-type]

    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "li", PASSWORD)
        QueueDoor.view = slow_view  # type: ignore[method-assign]
        try:
            await pilot.press("f3", "i")
            assert not isinstance(app.screen, ChooseScreen)
            assert "正在读取排队情况" in plain(pilot, "#queue-status")
            release.set()
            await settle(pilot)
        finally:
            QueueDoor.view = real_view  # type: ignore[method-assign]
        assert isinstance(app.screen, ChooseScreen)
        assert app.screen.title_text == "取号"


@pytest.mark.parametrize(
    "size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
)
def test_snapshot_intake_header_with_a_ticket(
    snap_compare: Callable[..., bool], hall: NodeDatabase, size: tuple[int, int]
) -> None:
    """The intake after `s` on A001: the header says A001 绿色通道·老年人 办理中 (at 120
    columns also 综合受理 and 李四（窗口人员）; at 80 the name gives way, the site is cut
    short), the item search focused."""

    async def run_before(pilot: Pilot[object]) -> None:
        await at_queue(pilot, "n", "s")

    app = make_app(hall.settings, clock=lambda: FIXED_NOW)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def call_waits_for(
    app: CounterApp, release: threading.Event, *, started: threading.Event | None = None
) -> None:
    """The queue's call step waits for `release` (a PC where the call takes a while); a start
    step sets `started` as it begins."""
    assert app.desk is not None
    queue = app.desk.queue
    real = queue.step

    def step(actor, name, window, now, **kw):  # type: ignore[no-untyped-def]
        if name == "call_next":
            release.wait(timeout=10)
        if name == "start" and started is not None:
            started.set()
        return real(actor, name, window, now, **kw)

    queue.step = step  # type: ignore[method-assign]


async def test_keys_typed_while_a_step_runs_wait_for_its_result(hall: NodeDatabase) -> None:
    """`n s` and the item's letters at once, on a PC where the call takes a while: the `s`
    waits for the called ticket instead of being dropped, and the letters reach the item
    search that `s` opens (seen in tmux on a loaded PC)."""
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot)
        release = threading.Event()
        call_waits_for(app, release)
        for key in ("n", "s", "s", "p", "j"):
            await pilot.press(key)
        await pilot.pause()
        assert app.current_mode == "queue"  # still calling
        release.set()
        # The letters are posted to the intake once `s` lands there: on a loaded machine that
        # takes more than one settle.
        await settle_until(pilot, lambda: entry_value(app) == "spj")
        assert app.current_mode == "intake" and isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#intake-entry", Input).value == "spj"
    assert tickets(hall)["A001"].state == "serving"


async def test_held_keys_survive_the_called_step_ending_late(
    hall: NodeDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The call's thread is still ending when the replayed `s` starts the next step (CI saw it
    on a loaded machine): the exclusive group cancels the finished call, and that must not
    count as a failed step that drops `spj`. Here the call's thread waits, after handing its
    result back, until the start step is running — the late end, made certain."""
    import counter_tui.ui.screens.queue as queue_screen

    started = threading.Event()
    real_hand_back = queue_screen.hand_back

    def hand_back_then_linger(callback, *args, **kw):  # type: ignore[no-untyped-def]
        result = real_hand_back(callback, *args, **kw)
        if getattr(callback, "__name__", "") == "_stepped":
            started.wait(timeout=10)
        return result

    monkeypatch.setattr(queue_screen, "hand_back", hand_back_then_linger)
    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await at_queue(pilot)
        release = threading.Event()
        call_waits_for(app, release, started=started)
        await pilot.press("n", "s", "s", "p", "j")  # all held while the call runs
        release.set()
        await settle_until(pilot, lambda: entry_value(app) == "spj")
        assert started.is_set()
        assert entry_value(app) == "spj"
        assert not [n for n in app._notifications if "未执行" in n.message]
    assert tickets(hall)["A001"].state == "serving"


async def test_keys_typed_while_a_step_fails_are_dropped_and_said(hall: NodeDatabase) -> None:
    from counter_tui.errors import DatabaseUnavailable

    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await at_queue(pilot)
        assert app.desk is not None
        queue = app.desk.queue
        real = queue.step

        release = threading.Event()

        def busy(actor, name, window, now, **kw):  # type: ignore[no-untyped-def]
            release.wait(timeout=10)  # the keys below are typed while it waits on the lock
            raise DatabaseUnavailable("数据库正忙：另一个程序正在写入。这一步没有完成，可稍后重试")

        queue.step = busy  # type: ignore[method-assign]
        for key in ("n", "s", "x"):
            await pilot.press(key)
        release.set()
        await settle(pilot)
        await pilot.pause()  # the failed worker's state reaches the screen
        assert app.current_mode == "queue"
        assert "数据库正忙" in plain(pilot, "#queue-status")
        said = " ".join(str(n.message) for n in app._notifications)
        assert "其间按的 2 个键未执行" in said
        queue.step = real  # type: ignore[method-assign]
        await pilot.press("n")  # the screen takes keys again
        await settle(pilot)
        assert "A001" in header(app)


def entry_value(app: CounterApp) -> str:
    """The item field of the intake, or "" while another screen is in front."""
    if not isinstance(app.screen, IntakeScreen):
        return ""
    return app.screen.query_one("#intake-entry", Input).value


async def test_n_s_and_the_item_in_one_burst_from_the_terminal(hall: NodeDatabase) -> None:
    """The terminal delivers `n s spj` typed at once as one burst: each key reaches the queue
    screen before the previous one's binding would have run at the app, so the screen runs its
    own keys as they come (in tmux `s` found no called ticket and the letters were lost)."""
    from tests.ui.test_intake_flow import burst

    app = make_app(hall.settings, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_queue(pilot)
        await burst(Keys(pilot), "n", "s", *"spj")
        await settle_until(pilot, lambda: entry_value(app) == "spj")
        assert app.current_mode == "intake" and isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#intake-entry", Input).value == "spj"
    assert tickets(hall)["A001"].state == "serving"
