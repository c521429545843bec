"""Steps shared by interface tests: what a user does, as key presses."""

from __future__ import annotations

import asyncio
from io import StringIO
from typing import TYPE_CHECKING

from textual.pilot import Pilot

if TYPE_CHECKING:
    from counter_tui.cases.models import Case
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
