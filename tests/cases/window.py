"""A separate OS process acting as one window, for the numbering test.

    python window.py URL SITE CLERK_ID COUNT

Prints "ready", waits for a line on stdin (so that all windows start together), accepts COUNT
complete F-5 applications, each in its own transaction through the service, prints the case
numbers one per line, then "done".
"""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from counter_tui.actor import Actor
from counter_tui.cases import commands
from counter_tui.cases.intake import RECEIVED, Intake, Mark, Party
from counter_tui.db import make_engine, write_session

ID_NUMBER = "42060219900307123X"


def complete_f5() -> Intake:
    intake = Intake(
        entry_code="F-5", applicant=Party(name="张三", id_number=ID_NUMBER, phone="13812345678")
    )
    for kind in ("application", "resident_id", "floor_plan", "health_certificate"):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True))
    return intake


def main(url: str, site: str, clerk_id: str, count: int) -> None:
    engine = make_engine(url)
    clerk = Actor(username="li", role="clerk", site=site, user_id=clerk_id)
    now = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with engine.connect():  # connect (and import everything) before the start signal
        pass
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(count):
        with write_session(engine) as session:
            print(commands.accept(session, clerk, complete_f5(), now=now).case.number, flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
