"""A window process for `bench queue` and the concurrency test: calls and finishes tickets on a
shared database.

    python -m counter_tui.bench.queue_caller URL SITE WINDOW COUNT

Prints "ready", waits for a line on stdin (so that all windows start together), then makes
COUNT calls, each in its own transaction through the real service (call next, then finish in a
second transaction, as a clerk would), and prints the called tickets' ids as one JSON list.
"""

from __future__ import annotations

import json
import sys

from counter_tui.actor import Actor
from counter_tui.db import make_engine, write_session
from counter_tui.queue import commands


def main(url: str, site: str, window: str, count: int) -> None:
    engine = make_engine(url)
    clerk = Actor(username=f"clerk{window}", role="clerk", site=site)
    with engine.connect():  # connect (and import everything) before the start signal
        pass
    print("ready", flush=True)
    sys.stdin.readline()
    called: list[str] = []
    for _ in range(count):
        with write_session(engine) as session:
            ticket = commands.call_next(session, clerk, window)
        if ticket is None:
            break
        called.append(ticket.id)
        with write_session(engine) as session:
            commands.finish(session, clerk, window, "consulted")
    print(json.dumps(called), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
