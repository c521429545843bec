"""What `counter-tui demo` was asked for: the hall's seed and date, where to keep it, which
scenario to start. Parsed once, in one place, so the terminal demo and each classroom seat (a
browser's own process, demo/classroom.py) build their hall from the same words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from counter_tui.errors import UserError


@dataclass(frozen=True)
class DemoOptions:
    #: The same seed builds the same hall (people, tickets, cases) every time; None: a new one.
    seed: int | None = None
    #: Build the demo database at this file (or reopen the demo kept there) and keep it.
    keep: Path | None = None
    #: The demo's today: the hall's data and clock are set to this day; None: the real date.
    today: date | None = None
    #: The scenario to start right after sign-in (its name under data/scenarios).
    scenario: str | None = None
    #: Fill the hall (queue, cases, past days); False: an empty hall with the catalog and the
    #: trainer only, for the benches that count what they add themselves.
    hall: bool = True

    @classmethod
    def from_cli(
        cls,
        *,
        seed: int | None = None,
        keep: Path | None = None,
        today: str | None = None,
        scenario: str | None = None,
    ) -> DemoOptions:
        """The options as typed, checked: a bad date or seed is said here, before anything is
        built."""
        if seed is not None and seed < 0:
            raise UserError(f"--seed 需要一个非负整数，收到 {seed}")
        day = None
        if today is not None:
            try:
                day = date.fromisoformat(today.strip())
            except ValueError:
                raise UserError(f"--date 需要形如 2026-12-07 的日期，收到 {today!r}") from None
        name = scenario.strip() if scenario is not None else None
        if scenario is not None and not name:
            raise UserError("--scenario 需要一个场景名称")
        return cls(seed=seed, keep=keep, today=day, scenario=name)
