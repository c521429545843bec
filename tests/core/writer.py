"""A separate OS process that writes to a node's database, for the concurrency and backup tests.

    python writer.py URL SITE PREFIX MODE [COUNT]

Every event is a real `site.created` (site code PREFIX-n) recorded in its own transaction
through the one write path. Modes:
  burst    print "ready", wait for a line on stdin (so that all writers start together),
           record COUNT events, print "done"
  forever  record events until killed; print "committed" after the first commit
  hold     record one event and keep its transaction open: print "holding", wait for a line
           on stdin, then commit and print "done"
"""

from __future__ import annotations

import sys

from counter_tui.actor import Actor
from counter_tui.db import make_engine, write_session
from counter_tui.journal.service import record


def main(url: str, site: str, prefix: str, mode: str, count: int) -> None:
    engine = make_engine(url)
    actor = Actor(username=f"writer:{prefix}", role="admin", site=site)

    def add(n: int) -> None:
        with write_session(engine) as session:
            record(session, actor, "site.created", {"code": f"{prefix}-{n}", "name": f"写入{n}"})

    if mode == "burst":
        with engine.connect():  # connect (and import everything) before the start signal
            pass
        print("ready", flush=True)
        sys.stdin.readline()
        for n in range(count):
            add(n)
        print("done", flush=True)
    elif mode == "forever":
        add(0)
        print("committed", flush=True)
        n = 1
        while True:
            add(n)
            n += 1
    elif mode == "hold":
        with write_session(engine) as session:
            record(session, actor, "site.created", {"code": f"{prefix}-0", "name": "未提交"})
            session.flush()
            print("holding", flush=True)
            sys.stdin.readline()
        print("done", flush=True)
    else:
        raise SystemExit(f"unknown mode {mode}")
    engine.dispose()


if __name__ == "__main__":
    main(
        sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]) if sys.argv[5:] else 0
    )
