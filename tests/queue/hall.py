"""A hall for the queue tests: a node with clerks at windows, and a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.queue import commands
from counter_tui.queue.reads import Ticket
from tests.conftest import HALL

T = TypeVar("T")

#: Monday 2026-11-23, 09:00 local: the hall opens.
OPENING = datetime(2026, 11, 23, 9, 0, tzinfo=HALL)


@dataclass
class Hall:
    engine: Engine
    site: str
    now: datetime = OPENING
    clerk: Actor = field(init=False)

    def __post_init__(self) -> None:
        self.clerk = Actor(username="li", role="clerk", site=self.site)

    def tick(self, minutes: float = 1) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now

    def write(self, fn: Callable[..., T], *args: Any, actor: Actor | None = None, **kw: Any) -> T:
        """Run one service in its own transaction, as the UI and the CLI do."""
        kw.setdefault("now", self.now)
        with write_session(self.engine) as session:
            return fn(session, actor or self.clerk, *args, **kw)

    def read(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        with read_session(self.engine) as session:
            return fn(session, *args, **kw)

    # The everyday steps, spelled out.
    def issue(self, category: str = "A", **kw: Any) -> Ticket:
        return self.write(commands.issue, category, **kw)

    def call(self, window: str) -> Ticket | None:
        return self.write(commands.call_next, window)

    def serve(self, window: str, outcome: str = "consulted") -> Ticket:
        """Call the next ticket at `window` and finish it at once."""
        called = self.call(window)
        assert called is not None, f"nobody waits for window {window}"
        return self.write(commands.finish, window, outcome)
