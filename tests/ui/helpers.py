"""Steps shared by interface tests: what a user does, as key presses."""

from __future__ import annotations

from textual.pilot import Pilot


async def settle(pilot: Pilot[object]) -> None:
    """Wait for the database to open, for workers (password check) and the repaint after them."""
    await pilot.app.backend_settled.wait()  # type: ignore[attr-defined]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def log_in(pilot: Pilot[object], username: str, password: str) -> None:
    await settle(pilot)  # the database opens in a worker after the first paint
    await pilot.press(*username, "enter", *password, "enter")
    await settle(pilot)
