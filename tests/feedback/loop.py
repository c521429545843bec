"""Every hard-case and assistance event, in the order the service allows (for the event
catalogue's round trip, tests/core/test_events.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from counter_tui.actor import Actor
from counter_tui.assistance.service import record_assist
from counter_tui.db import write_session
from counter_tui.feedback import hard_cases as hc
from tests.conftest import HALL, Node

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=HALL)


def run_hard_cases(node: Node) -> None:
    clerk = Actor(username="li", role="clerk", site=node.site)
    supervisor = Actor(username="zhou", role="supervisor", site=node.site)
    friday = MONDAY + timedelta(days=4)
    with write_session(node.engine) as s:
        number = hc.open_hard_case(
            s,
            clerk,
            kind="policy",
            problem="问题",
            applicant_name="张三",
            phone="13812345678",
            now=MONDAY,
        ).number
        hc.inform(s, clerk, number, "已告知", now=MONDAY)
        hc.coordinate(s, clerk, number, department="县医保局", request="核实", now=MONDAY)
        hc.supervise(s, supervisor, number, department="县医保局", note="催办", now=friday)
        hc.reply(s, clerk, number, department="县医保局", text="已核实", now=friday)
        hc.conclude(s, clerk, number, outcome="done", explanation="已办成", now=friday)
        hc.visit(s, clerk, number, verdict="basically", now=friday)
        record_assist(s, clerk, way="window", for_whom="disabled", minutes=20, now=friday)
