"""Steps shared by interface tests: what a user does, as key presses."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from io import StringIO
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot

from counter_tui.ui.screens.intake.form import input_id
from counter_tui.ui.screens.intake.screen import IntakeScreen
from tests.ui.conftest import PASSWORD

if TYPE_CHECKING:
    from counter_tui.cases.models import Case
    from counter_tui.ui.app import CounterApp
    from tests.ui.conftest import NodeDatabase


async def settle(pilot: Pilot[object]) -> None:
    """Wait for the database to open, for workers (password check) and the repaint after them."""
    await pilot.app.desk_settled.wait()  # type: ignore[attr-defined]
    # A worker may start another when it finishes (an action, then the reload of the case):
    # wait until none is left, a bounded number of rounds.
    for _ in range(10):
        # A worker that fails is reported on screen by the app (ui/workers.py), not raised
        # here; unexpected ones fail the test through conftest's `unexpected_errors`.
        await asyncio.gather(*(w.wait() for w in pilot.app.workers), return_exceptions=True)
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            break


async def settle_until(pilot: Pilot[object], done: Callable[[], bool], rounds: int = 20) -> None:
    """Settle until `done()` holds, at most `rounds` times: keys the app posts to itself (a
    replay after a step) may need more than one settle on a loaded machine. Each round waits
    on the app's own messages and workers, never on a clock; the caller asserts after."""
    for _ in range(rounds):
        await settle(pilot)
        if done():
            return


async def log_in(pilot: Pilot[object], username: str, password: str) -> None:
    await settle(pilot)  # the database opens in a worker after the first paint
    await pilot.press(*username, "enter", *password, "enter")
    await settle(pilot)


def plain(pilot: Pilot[object], selector: str, width: int = 100) -> str:
    """What a Static on the current screen shows, as plain text (tables and wrapping included)."""
    from rich.console import Console
    from textual.widgets import Static

    console = Console(width=width, record=True, file=StringIO(), color_system=None)
    console.print(pilot.app.screen.query_one(selector, Static).content)
    return console.export_text()


def payloads(node: NodeDatabase, type: str) -> list[dict[str, Any]]:
    """The payloads of the node's events of one type, in clock order."""
    from counter_tui.db import make_engine
    from tests.core.helpers import events

    engine = make_engine(node.settings.db_url)
    try:
        return [json.loads(event.payload) for event in events(engine, type)]
    finally:
        engine.dispose()


def cases_in(node: NodeDatabase) -> list[Case]:
    """Every case in the node's database, as a test reads it back after the keys."""
    from sqlmodel import select

    from counter_tui.cases.models import Case
    from counter_tui.db import make_engine, read_session

    engine = make_engine(node.settings.db_url)
    try:
        with read_session(engine) as session:
            return list(session.exec(select(Case)).all())
    finally:
        engine.dispose()


def table_rows(pilot: Pilot[object], selector: str) -> list[list[str]]:
    """What a DataTable on the current screen shows, row by row, each cell as plain text."""
    from textual.widgets import DataTable

    table = pilot.app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def notifications(pilot: Pilot[object]) -> list[str]:
    """The notifications on screen (Textual's toasts, shown under `run_test(notifications=True)`),
    as plain text."""
    return [str(toast.render()) for toast in pilot.app.screen.query("Toast")]


def footer_keys(pilot: Pilot[object]) -> list[str]:
    """The keys the footer offers on the current screen, as shown ("n 叫号")."""
    return [" ".join(str(key.render()).split()) for key in pilot.app.screen.query("FooterKey")]


def options(pilot: Pilot[object], selector: str, width: int = 100) -> list[str]:
    """What each option of an OptionList on the current screen shows, as plain text."""
    from rich.console import Console
    from textual.widgets import OptionList

    shown = []
    for option in pilot.app.screen.query_one(selector, OptionList).options:
        console = Console(width=width, record=True, file=StringIO(), color_system=None)
        console.print(option.prompt)
        shown.append(console.export_text().rstrip())
    return shown


#: A valid 居民身份证 number (襄城区, born 1990-03-07, check digit X).
ID_NUMBER = "42060219900307123X"
PHONE = "13812345678"


class Keys:
    """Presses keys and counts them: the walk-in must take at most 40."""

    def __init__(self, pilot: Pilot[object]) -> None:
        self.pilot = pilot
        self.count = 0

    async def __call__(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)
        await settle(self.pilot)


def intake_screen(app: CounterApp) -> IntakeScreen:
    screen = app.get_screen("intake") if not isinstance(app.screen, IntakeScreen) else app.screen
    assert isinstance(screen, IntakeScreen)
    return screen


def field(app: CounterApp, field_id: str) -> str:
    from textual.widgets import Input

    return intake_screen(app).query_one(f"#{input_id(field_id)}", Input).value


def error_at(app: CounterApp, field_id: str) -> str:
    from textual.widgets import Static

    widget = intake_screen(app).query_one(f"#err-{input_id(field_id)}", Static)
    return str(widget.render())


async def fill_applicant(keys: Keys) -> None:
    """Item, ID number, name, phone; ends on the checklist."""
    await keys(*"spj", "enter")
    await keys(*ID_NUMBER)  # a complete valid number moves on by itself
    await keys("张", "三", "enter")
    await keys(*PHONE)  # so does a complete mobile number
    await keys("enter")  # the address is optional: Enter goes to the checklist


def only_case(node: NodeDatabase) -> Case:
    (case,) = cases_in(node)
    return case


def shown(app: CounterApp, selector: str) -> str:
    """What a Static on the current screen renders, as a string."""
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).render())


@asynccontextmanager
async def signed_in(
    app: CounterApp, username: str, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[Keys]:
    """The app running headless at `size`, `username` signed in: the keys to press."""
    async with app.run_test(size=size) as pilot:
        await log_in(pilot, username, PASSWORD)
        yield Keys(pilot)


async def sign_in_as(keys: Keys, username: str) -> None:
    """Sign the current user out (F9) and `username` in."""
    await keys("f9")
    await log_in(keys.pilot, username, PASSWORD)


class Clock:
    """The app's clock, moved by the test instead of waited for."""

    def __init__(self) -> None:
        from tests.ui.conftest import FIXED_NOW

        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
