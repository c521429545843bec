"""A window process for `bench queue` and the concurrency test: calls and finishes tickets on a
shared database.

    python -m counter_tui.bench.queue_caller URL SITE WINDOW COUNT

Prints "ready", waits for a line on stdin (so that all windows start together), then makes
COUNT calls, each in its own transaction through the real service (call next, then finish in a
second transaction, as a clerk would), and prints the called tickets' ids as one JSON list.

A step the database refuses as busy is taken again, as the clerk presses the key again after
数据库正忙: nothing of it was written. SQLite's write lock is not handed out in turn, so on a
loaded PC one window can wait past the busy timeout while the other three take turns (seen
once in CI); the bench counts such retries on stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from counter_tui.actor import Actor
from counter_tui.db import make_engine, write_session
from counter_tui.errors import DatabaseUnavailable
from counter_tui.queue import commands

T = TypeVar("T")
#: Busy refusals taken again before the window gives up (each waited the full busy timeout).
RETRIES = 5


def main(url: str, site: str, window: str, count: int) -> None:
    engine = make_engine(url)
    clerk = Actor(username=f"clerk{window}", role="clerk", site=site)
    with engine.connect():  # connect (and import everything) before the start signal
        pass
    print("ready", flush=True)
    sys.stdin.readline()
    called: list[str] = []
    retried = 0

    def step(fn: Callable[[Session], T]) -> T:
        nonlocal retried
        for attempt in range(RETRIES + 1):
            try:
                with write_session(engine) as session:
                    return fn(session)
            except DatabaseUnavailable as exc:
                if exc.kind != "busy" or attempt == RETRIES:
                    raise
                retried += 1
        raise AssertionError("unreachable")

    for _ in range(count):
        ticket = step(lambda session: commands.call_next(session, clerk, window))
        if ticket is None:
            break
        called.append(ticket.id)
        step(lambda session: commands.finish(session, clerk, window, "consulted"))
    if retried:
        print(f"window {window}: {retried} busy step(s) taken again", file=sys.stderr)
    print(json.dumps(called), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
