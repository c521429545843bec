"""Key-press timing for `counter-tui bench intake`: the intake form, and a bare Textual app as
the floor (the pilot waits for the app to go idle, which costs about 60 ms by itself)."""

from __future__ import annotations

import time
from typing import Any


async def intake_key_presses(settings: Any, code: str, user: str, password: str) -> list[float]:
    """Type a name into the intake form, one key at a time, headless."""
    from counter_tui.ui.app import make_app

    app = make_app(settings)
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.desk_settled.wait()
        await pilot.press(*user, "enter", *password, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*code, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for n in range(60):
            started = time.perf_counter_ns()
            await pilot.press("abcdefghij"[n % 10])
            times.append((time.perf_counter_ns() - started) / 1e6)
        await app.workers.wait_for_complete()
    return times


async def floor_key_presses() -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    app = Floor()
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for n in range(60):
            started = time.perf_counter_ns()
            await pilot.press("abcdefghij"[n % 10])
            times.append((time.perf_counter_ns() - started) / 1e6)
    return times
