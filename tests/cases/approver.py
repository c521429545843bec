"""A separate OS process acting as one approver, for the claim race test.

    python approver.py URL SITE USERNAME USER_ID DEPARTMENT CASE_ID

Prints "ready" and waits for a line on stdin (so that both approvers start together). Then
prints "claiming" and claims the case through the service in one write transaction. On
success it prints "claimed" and holds the transaction open until the next line on stdin, so
that the other approver's claim overlaps it; then it commits and prints "committed". When the
claim is refused it prints "refused", the exception's class name and its message, one per line.
"""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from counter_tui.actor import Actor
from counter_tui.cases import backoffice
from counter_tui.db import make_engine, write_session
from counter_tui.errors import PermissionDenied, UserError


def main(url: str, site: str, username: str, user_id: str, department: str, case_id: str) -> None:
    engine = make_engine(url)
    actor = Actor(
        username=username, role="approver", site=site, user_id=user_id, department=department
    )
    now = datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with engine.connect():  # connect (and import everything) before the start signal
        pass
    print("ready", flush=True)
    sys.stdin.readline()
    print("claiming", flush=True)
    try:
        with write_session(engine) as session:
            backoffice.claim(session, actor, case_id, now=now)
            print("claimed", flush=True)
            sys.stdin.readline()
        print("committed", flush=True)
    except (UserError, PermissionDenied) as refused:
        print("refused", type(refused).__name__, refused.message, sep="\n", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:7])
