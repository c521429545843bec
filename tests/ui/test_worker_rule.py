"""The one failure rule for workers (ui/workers.py), as a new screen gets it: a screen written
here, with a field, a StatusLine and a worker that catches nothing, says a busy database or a
bug on its status line; the app goes on and what was typed stays. And a worker's late answer
(superseded by a newer one, or for a dialog closed meanwhile) is dropped, not shown.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from counter_tui.desk.node import Desk
from counter_tui.ui.app import CounterApp
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back
from tests.faults import DatabaseFault
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import log_in, settle

BUSY = "数据库正忙：另一个程序正在使用它"


class NoteScreen(ModalScreen[None]):
    """What a new screen looks like: a field, a status line, and a worker without a try/except.
    F8 runs `step` on the desk in a worker and says what it answered."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "save", "保存"),
        Binding("escape", "close", "关闭"),
    ]

    def __init__(self, step: Callable[[Desk], str]) -> None:
        super().__init__()
        self.step = step
        #: What each finished worker's hand_back returned (None: dropped), for the test.
        self.handed: list[str | None] = []
        #: Set when a worker's thread has finished.
        self.finished = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Input(id="note")
            yield StatusLine(id="note-status")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_save(self) -> None:
        desk = self.app.desk  # type: ignore[attr-defined]
        self._save(desk)

    def action_close(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="note")
    def _save(self, desk: Desk) -> None:
        answer = self.step(desk)
        self.handed.append(hand_back(self._saved, answer))
        self.finished.set()

    def _saved(self, line: str) -> str:
        self.query_one(StatusLine).say(line)
        return line


def departments(desk: Desk) -> str:
    """A read through the desk's catalog door: the session boundary is the real one."""
    return f"部门 {len(desk.catalog.department_names())} 个"


def status_line(app: CounterApp) -> tuple[str, bool]:
    """What the note's status line says, and whether it says it as an error."""
    line = app.screen.query_one("#note-status", StatusLine)
    return str(line.render()), line.has_class("error")


async def open_note(pilot: Any, step: Callable[[Desk], str]) -> None:
    await log_in(pilot, "li", PASSWORD)
    await pilot.app.push_screen(NoteScreen(step))
    await pilot.press(*"note 42")


async def test_a_new_screens_worker_on_a_busy_database_needs_no_try_except(
    app_for: Callable[..., CounterApp],
) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_note(pilot, departments)
        assert app.desk is not None
        fault = DatabaseFault(app.desk.engine)
        fault.fail(writes_only=False)
        await pilot.press("f8")
        await settle(pilot)
        assert app.is_running and fault.hits
        assert isinstance(app.screen, NoteScreen)
        said, as_error = status_line(app)
        assert BUSY in said and as_error
        assert app.screen.query_one(Input).value == "note 42"  # kept
        fault.heal()
        await pilot.press("f8")  # the same key, once the database is free
        await settle(pilot)
        assert status_line(app) == ("部门 2 个", False)
        assert app.screen.query_one(Input).value == "note 42"


async def test_a_bug_in_a_new_screens_worker_is_a_line_naming_the_log(
    app_for: Callable[..., CounterApp],
    failure_log: Path,
    unexpected_errors: list[BaseException],
) -> None:
    def broken(_desk: Desk) -> str:
        raise RuntimeError("a bug in the new screen")

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_note(pilot, broken)
        await pilot.press("f8")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, NoteScreen)
        said, as_error = status_line(app)
        assert "出现意外错误" in said and str(failure_log / "errors.log") in said and as_error
        assert "Traceback" not in said and "RuntimeError" not in said
        assert app.screen.query_one(Input).value == "note 42"
    assert [type(e) for e in unexpected_errors] == [RuntimeError]
    unexpected_errors.clear()  # expected here
    assert "RuntimeError: a bug in the new screen" in (failure_log / "errors.log").read_text(
        encoding="utf-8"
    )


async def test_the_status_line_shows_text_literally(app_for: Callable[..., CounterApp]) -> None:
    """What it says may be a name or a note: square brackets are text, never markup."""
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_note(pilot, lambda _desk: "[bold]张三[/bold] [link=x]")
        await pilot.press("f8")
        await settle(pilot)
        assert status_line(app) == ("[bold]张三[/bold] [link=x]", False)


async def test_a_late_answer_never_overwrites_a_newer_one_nor_a_closed_screen(
    app_for: Callable[..., CounterApp],
) -> None:
    """F8 twice: the first step is slow, the second answers at once. The first one's answer,
    when it comes, is dropped (its worker was superseded); and a step still running when its
    dialog is closed hands nothing back to a screen that is gone."""
    release = threading.Event()
    answers = iter(["first", "second", "third"])

    def step(_desk: Desk) -> str:
        answer = next(answers)
        if answer != "second":
            release.wait(10)
        return answer

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_note(pilot, step)
        note = app.screen
        assert isinstance(note, NoteScreen)
        await pilot.press("f8")  # "first": held
        await pilot.press("f8")  # "second": answers
        await settle(pilot)
        assert status_line(app) == ("second", False)
        release.set()
        await asyncio.to_thread(note.finished.wait, 10)  # the first one's thread ended
        await settle(pilot)
        assert status_line(app) == ("second", False)
        assert note.handed == ["second", None]

        release.clear()
        note.finished.clear()
        await pilot.press("f8")  # "third": held
        await pilot.press("escape")  # the dialog closes under it
        await settle(pilot)
        below = app.screen
        assert not isinstance(below, NoteScreen)
        release.set()
        await asyncio.to_thread(note.finished.wait, 10)
        await settle(pilot)
        assert app.is_running and app.screen is below
        assert note.handed == ["second", None, None]
