"""A window's morning on 2026-11-23 (the app's fixed day), made through the services the way
the screens make it, for the tests of today's work (tests/ui/test_today.py)."""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.cases import backoffice, commands
from counter_tui.cases.intake import RECEIVED, Intake, Mark, Party
from counter_tui.queue import commands as queue
from tests.ui.conftest import NodeDatabase
from tests.ui.history import at, f5, hall_on


@dataclass(frozen=True)
class Morning:
    accepted: str
    notified: str
    delivered: str
    #: Accepted on 11-20 and not touched since: not today's work.
    older: str
    ticket: str


def morning(node: NodeDatabase) -> Morning:
    """李四 at window 3: 张三's result (accepted 11-02, done 11-18) waits for delivery; 赵六's
    case from 11-20 waits for hand-off. On 11-23: 08:40 accepts 王五's F-5 (…261123-0001);
    09:00 calls A001, 09:01 starts, 09:10 gives 李四 a one-time notice (…261123-0002, linked
    to A001), 09:12 finishes A001 as 一次性告知; 09:20 hands 张三 the result (delivered)."""
    with hall_on(node) as hall:
        done = hall.claimed("张三", 2, claimed_on=3)
        hall.act(hall.approver, "approve", done, at(16, 9), decision_number="SCJG-2026-0815")
        hall.act(hall.approver, "complete", done, at(18, 9))
        older = hall.accept("赵六", 20, id_number="110101199003075410")
        accepted = commands.accept(
            hall.session, hall.clerk, f5("王五", "110101199003074514"), now=at(23, 8, 40)
        ).case
        ticket = queue.issue(hall.session, hall.clerk, "A", now=at(23, 8, 50))
        queue.call_next(hall.session, hall.clerk, "3", now=at(23, 9, 0))
        queue.start(hall.session, hall.clerk, "3", now=at(23, 9, 1))
        partial = Intake(
            entry_code="F-5",
            applicant=Party(name="李四", id_number="42060219900307123X", phone="13812345678"),
        ).with_mark("application", Mark(RECEIVED, original_seen=True))
        notified = commands.notify(hall.session, hall.clerk, partial, now=at(23, 9, 10)).case
        queue.link_case(hall.session, hall.clerk, ticket.id, notified.number, now=at(23, 9, 10))
        queue.finish(hall.session, hall.clerk, "3", "notified", now=at(23, 9, 12))
        backoffice.act(
            hall.session,
            hall.clerk,
            "deliver",
            done.id,
            now=at(23, 9, 20),
            delivery=backoffice.Delivery(
                "pickup", recipient="张三", recipient_id="42060219900307123X"
            ),
        )
    return Morning(
        accepted=accepted.number,
        notified=notified.number,
        delivered=done.number,
        older=older.number,
        ticket=ticket.number,
    )
