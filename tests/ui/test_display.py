"""The hall display: pictures at 80×24 and 160×45, a call made elsewhere showing within a second,
riding out a database that does not answer, untrusted names rendered literally, and the voice."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import cast

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from textual.pilot import Pilot

from counter_tui.db import make_engine
from counter_tui.queue import commands
from counter_tui.queue.board import Board, Call, Waiting
from counter_tui.queue.voice import Announcer
from counter_tui.ui.hall.display import DisplayApp, FeedDown, new_calls
from counter_tui.ui.hall.feed import DatabaseFeed, HallFeed
from tests.conftest import HALL
from tests.queue.hall import Hall
from tests.ui.conftest import FIXED_NOW, NodeDatabase
from tests.ui.helpers import plain

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]
SITE = "421202-XA-BYQ"
#: Rounds of `pilot.pause(STEP)` a test waits for the display at most (2 s).
ROUNDS, STEP = 40, 0.05


@pytest.fixture
def engine(node: NodeDatabase) -> Iterator[Engine]:
    engine = make_engine(node.settings.db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def hall(engine: Engine) -> Hall:
    return Hall(engine, SITE)


@pytest.fixture
def busy_hall(hall: Hall) -> Hall:
    """A morning: a ticket left from Friday, calls at windows 1–4 (one recalled, one in
    service), and tickets waiting in A and B."""
    hall.now -= timedelta(days=3)
    hall.issue("A")
    hall.now += timedelta(days=3)
    hall.issue("A", applicant_name="张三丰")
    hall.issue("B", applicant_name="欧阳明")
    hall.issue("A")
    hall.issue("A", applicant_name="李四")
    hall.issue("B")
    hall.issue("A")
    hall.issue("A", priority_reason="老年人")
    hall.tick(3)
    hall.call("1")  # A003, the priority ticket first
    hall.tick(2)
    hall.call("2")
    hall.write(commands.start, "2")
    hall.tick(4)
    hall.call("3")
    hall.tick(1)
    hall.call("4")
    hall.tick(2)
    hall.write(commands.recall, "3")
    return hall


def display_on(engine: Engine, **kw: object) -> DisplayApp:
    return DisplayApp(lambda: DatabaseFeed(engine), clock=lambda: FIXED_NOW, **kw)  # type: ignore[arg-type]


async def until(pilot: Pilot[None], condition: Callable[[], bool], rounds: int = ROUNDS) -> None:
    """Wait, a bounded number of rounds, for the display to reach `condition`."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(STEP)
    raise AssertionError("the display did not get there in time")


def shown(pilot: Pilot[None], selector: str) -> str:
    """What a part of the display shows, as plain text."""
    return plain(cast("Pilot[object]", pilot), selector)


async def board_shown(pilot: Pilot[None]) -> None:
    app: DisplayApp = pilot.app  # type: ignore[assignment]
    await until(pilot, lambda: app.board is not None)
    await pilot.pause()


# --- pictures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_display(
    snap_compare: Callable[..., bool], busy_hall: Hall, engine: Engine, size: tuple[int, int]
) -> None:
    """Title line: 襄城区政务服务中心 and the fixed clock. The latest call, window 3 recalled
    (第 2 次呼叫), in big characters with 号窗口 beside the window and 请 … 号到 3 号窗口 under it;
    the other windows' calls smaller below it (all three at 160×45, as many as fit at 80×24), the
    one in service marked 办理中. Bottom left: the day's last calls, newest first, masked names
    (张*丰); bottom right: the waiting counts per category and 往日未办结 1 张."""
    assert snap_compare(display_on(engine), terminal_size=size, run_before=board_shown)


@pytest.mark.parametrize("size", SIZES)
def test_display_of_a_quiet_hall(
    snap_compare: Callable[..., bool], hall: Hall, engine: Engine, size: tuple[int, int]
) -> None:
    """Nobody called yet: 暂无叫号，请取号等候 in the call box, 今天还没有叫号 in the list, and the
    categories with 0 人 (one ticket waits in A)."""
    hall.issue("A")
    assert snap_compare(display_on(engine), terminal_size=size, run_before=board_shown)


# --- a call shows --------------------------------------------------------------------------------


async def test_a_call_made_elsewhere_shows_within_a_second(hall: Hall, engine: Engine) -> None:
    hall.issue("A", applicant_name="张三丰")
    app = display_on(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_shown(pilot)
        assert app.board is not None and not app.board.current
        called = hall.call("5")
        assert called is not None
        for _ in range(20):  # 20 × 0.05 s: within a second
            if app.board.current:
                break
            await pilot.pause(STEP)
        assert [c.number for c in app.board.current] == [called.number]
        await pilot.pause()
        hero = app.query_one("#hero")
        assert hero.has_class("fresh")
        assert "请 A001 号到 5 号窗口" in shown(pilot, "#hero")
        assert "张*丰" in shown(pilot, "#recent")


def test_new_calls_are_those_at_the_head_not_seen_before() -> None:
    def call(number: str, minute: int) -> Call:
        return Call(number, "1", datetime(2026, 11, 23, 9, minute))

    def board(*calls: Call) -> Board:
        return Board(FIXED_NOW.date(), (), calls, (), 0)

    a, b, c = call("A001", 1), call("A002", 2), call("A003", 3)
    assert new_calls(None, board(a)) == ()  # the display just started
    assert new_calls(board(), board(a)) == (a,)
    assert new_calls(board(a), board(c, b, a)) == (c, b)
    assert new_calls(board(c, b, a), board(c, b, a)) == ()
    tomorrow = Board(FIXED_NOW.date() + timedelta(days=1), (), (a,), (), 0)
    assert new_calls(board(b), tomorrow) == ()


# --- the database goes away -------------------------------------------------------------------


class FlakyFeed:
    """A feed that fails like a busy or vanished database while `down` is set."""

    def __init__(self, inner: HallFeed, *, down: bool = False) -> None:
        self.inner = inner
        self.title = inner.title
        self.down = down
        self.failures = 0

    def _check(self) -> None:
        if self.down:
            self.failures += 1
            raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    def marker(self) -> int:
        self._check()
        return self.inner.marker()

    def board(self, now: datetime) -> Board:
        self._check()
        return self.inner.board(now)


async def test_the_display_keeps_its_board_while_the_database_is_away(
    hall: Hall, engine: Engine
) -> None:
    hall.issue("A")
    hall.issue("A")
    first = hall.call("1")
    assert first is not None
    feed = FlakyFeed(DatabaseFeed(engine))
    app = DisplayApp(lambda: feed, clock=lambda: FIXED_NOW)
    messages: list[object] = []
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await board_shown(pilot)
        feed.down = True
        hall.tick()
        second = hall.call("2")
        assert second is not None
        await until(pilot, lambda: bool(app.feed_error))
        await pilot.pause()
        status = shown(pilot, "#status")
        assert "数据库暂不可用，显示 09:30:00 的状态，正在重试…" in status
        assert "database is locked" in status
        assert app.query_one("#status").has_class("down")
        assert "请 A001 号到 1 号窗口" in shown(pilot, "#hero")  # the last board stays
        assert any(isinstance(m, FeedDown) for m in messages)

        feed.down = False
        await until(pilot, lambda: app.board is not None and len(app.board.current) == 2)
        await pilot.pause()
        assert app.feed_error == ""
        assert "数据库暂不可用" not in shown(pilot, "#status")
        assert "请 A002 号到 2 号窗口" in shown(pilot, "#hero")
    assert feed.failures >= 1


async def test_a_database_that_cannot_be_opened_is_retried(hall: Hall, engine: Engine) -> None:
    attempts: list[int] = []

    def open_feed() -> HallFeed:
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("connect", {}, sqlite3.OperationalError("unable to open"))
        return DatabaseFeed(engine)

    app = DisplayApp(open_feed, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.feed_error))
        await pilot.pause()
        assert "数据库暂不可用，正在重试…（unable to open）" in shown(pilot, "#status")
        assert "正在读取叫号数据" in shown(pilot, "#hero")
        # Retries come a second apart: two of them, then the board.
        await until(pilot, lambda: app.board is not None, rounds=3 * ROUNDS)
        assert len(attempts) == 3
        assert app.title_text == "襄城区政务服务中心"


# --- untrusted text ---------------------------------------------------------------------------


class FixedFeed:
    """One board, whatever the time: for what the display does with odd data."""

    def __init__(self, board: Board, title: str) -> None:
        self._board, self.title = board, title

    def marker(self) -> int:
        return 1

    def board(self, now: datetime) -> Board:
        return self._board


async def test_names_with_markup_render_literally() -> None:
    at = datetime(2026, 11, 23, 9, 12, tzinfo=HALL)
    name = "[bold]张*三[/bold]"
    calls = (Call("K007", "3", at, name=name), Call("W001", "2", at, name="[red]x"))
    board = Board(FIXED_NOW.date(), calls, calls, (Waiting("K", "[i]综合[/i]", 2),), 0)
    app = DisplayApp(lambda: FixedFeed(board, "[b]大厅[/b]"), clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_shown(pilot)
        assert name in shown(pilot, "#hero")
        assert name in shown(pilot, "#recent")
        assert "[red]x" in shown(pilot, "#others")
        assert "[i]综合[/i]" in shown(pilot, "#waiting")
        assert "[b]大厅[/b]" in shown(pilot, "#site")


# --- voice ------------------------------------------------------------------------------------


class FakeProcess:
    def __init__(self) -> None:
        self.done = False

    def poll(self) -> int | None:
        return 0 if self.done else None

    def terminate(self) -> None:
        self.done = True


async def test_a_new_call_is_announced_and_the_first_board_is_not(
    hall: Hall, engine: Engine
) -> None:
    hall.issue("A")
    hall.issue("B")
    hall.call("1")
    spoken: list[Sequence[str]] = []

    def spawn(argv: Sequence[str]) -> subprocess.Popen[bytes]:
        spoken.append(list(argv))
        return FakeProcess()  # type: ignore[return-value]

    app = display_on(engine, announcer=Announcer("/usr/bin/espeak-ng", spawn=spawn))
    async with app.run_test(size=(80, 24)) as pilot:
        await board_shown(pilot)
        assert spoken == []  # what was called before the display started is not said again
        hall.call("7")
        await until(pilot, lambda: bool(spoken))
    assert spoken == [["/usr/bin/espeak-ng", "-v", "cmn", "请 B001 号到 7 号窗口"]]


async def test_the_voice_note_shows_when_voice_is_missing(engine: Engine) -> None:
    from counter_tui.queue.voice import MISSING

    app = display_on(engine, voice_note=MISSING)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_shown(pilot)
        status = shown(pilot, "#status")
        assert "语音播报未开启：未安装 espeak-ng（可 apt install espeak-ng）" in status


# --- sizes and slow databases -------------------------------------------------------------------


async def test_the_layout_follows_the_terminal_size(busy_hall: Hall, engine: Engine) -> None:
    app = display_on(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_shown(pilot)
        assert not app.screen.has_class("-large")
        await pilot.resize_terminal(160, 45)
        await until(pilot, lambda: app.screen.has_class("-large"))
        assert "2026年11月23日 星期一 09:30:00" in shown(pilot, "#clock")


class StuckFeed(FixedFeed):
    """A database that takes its time (a lock held elsewhere) until `answer` is set."""

    def __init__(self, board: Board) -> None:
        super().__init__(board, "大厅")
        self.answer = threading.Event()

    def marker(self) -> int:
        self.answer.wait(timeout=10)
        return super().marker()


async def test_a_slow_database_is_reported_while_the_display_waits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from counter_tui.ui.hall import display

    monkeypatch.setattr(display, "SLOW_AFTER_S", 0.2)
    feed = StuckFeed(Board(FIXED_NOW.date(), (), (), (), 0))
    app = DisplayApp(lambda: feed, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.feed_error))
        await pilot.pause()
        assert "数据库暂不可用，正在重试…（已等待数据库应答 0 秒）" in shown(pilot, "#status")
        feed.answer.set()
        await until(pilot, lambda: app.board is not None and not app.feed_error)


async def test_a_display_for_some_windows_shows_only_their_calls(
    busy_hall: Hall, engine: Engine
) -> None:
    app = display_on(engine, windows=frozenset({"1", "2"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await board_shown(pilot)
        assert app.board is not None
        assert {c.window for c in app.board.current} == {"1", "2"}
        assert {c.window for c in app.board.recent} == {"1", "2"}
        assert "号到 2 号窗口" in shown(pilot, "#hero")
