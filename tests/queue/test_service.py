"""The queue services on both engines: issuing and numbering, the calling order, recall and
no-show, transfer, park, finishing with an outcome, tickets left open overnight, roles, and
replay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from counter_tui.actor import Actor
from counter_tui.db import write_session
from counter_tui.errors import PermissionDenied
from counter_tui.journal.service import replay, verify
from counter_tui.queue import board as boards
from counter_tui.queue import commands, config, reads
from counter_tui.queue.models import QueueStep
from counter_tui.queue.rules import QueueRefused
from tests.conftest import Node
from tests.core.helpers import dump_projections, execute
from tests.queue.hall import Hall

QUEUE_TABLES = ("queue_ticket", "queue_step", "queue_window", "queue_hall")


@pytest.fixture
def hall(node: Node) -> Hall:
    return Hall(node.engine, node.site)


def numbers(tickets: list[reads.Ticket | None]) -> list[str]:
    return [t.number for t in tickets if t is not None]


# --- issuing ------------------------------------------------------------------------------------


def test_numbers_count_up_per_category_and_restart_the_next_day(hall: Hall) -> None:
    issued = [hall.issue("A"), hall.issue("A"), hall.issue("b"), hall.issue("A")]
    assert numbers(issued) == ["A001", "A002", "B001", "A003"]
    assert all(t.state == "waiting" and t.day == hall.now.date() for t in issued)
    hall.now += timedelta(days=1)
    assert hall.issue("A").number == "A001"


def test_a_transferred_ticket_never_frees_its_number_nor_takes_another(hall: Hall) -> None:
    hall.issue("A")
    moved = hall.issue("A")
    hall.call("1")  # A001
    hall.write(commands.finish, "1", "consulted")
    hall.write(commands.call_ticket, "1", moved.number, "现场引导")
    hall.write(commands.transfer, "1", category="B")
    # A002 now waits in B, keeping its number; the next A ticket is A003, the next B is B001.
    assert hall.issue("A").number == "A003"
    assert hall.issue("B").number == "B001"


def test_an_unknown_category_is_refused_naming_the_ones_there_are(hall: Hall) -> None:
    with pytest.raises(QueueRefused) as refused:
        hall.issue("Z")
    assert "没有取号类别 Z" in refused.value.message
    assert "A 综合受理" in refused.value.message


def test_a_priority_ticket_keeps_its_reason(hall: Hall) -> None:
    ticket = hall.issue("A", priority_reason="老年人")
    assert ticket.priority and ticket.priority_reason == "老年人"
    assert not hall.issue("A").priority


# --- the calling order ------------------------------------------------------------------------


def test_first_come_first_served_within_what_a_window_serves(hall: Hall) -> None:
    setup = config.from_dict(
        {
            "categories": {"A": {"name": "综合受理"}, "B": {"name": "不动产登记"}},
            "windows": {"2": {"categories": ["B"]}},
        }
    )
    hall.write(commands.configure, setup, actor=Actor("cli:root", "admin", hall.site))
    for category in "ABAB":
        hall.issue(category)
        hall.tick()
    assert numbers([hall.serve("2"), hall.serve("2")]) == ["B001", "B002"]
    assert hall.call("2") is None  # only A tickets left: window 2 does not serve A
    # Window 1 is not in the set-up: it serves every category.
    assert numbers([hall.serve("1"), hall.serve("1")]) == ["A001", "A002"]


def test_priority_goes_first_but_a_waiting_normal_ticket_is_called_after_three(
    hall: Hall,
) -> None:
    hall.issue("A")  # A001, normal, the oldest
    hall.tick()
    for _ in range(5):
        hall.issue("A", priority_reason="老年人")
        hall.tick()
    order = [hall.serve("1").number for _ in range(6)]
    # Three priority calls in a row, then the normal ticket, then the remaining priority ones.
    assert order == ["A002", "A003", "A004", "A001", "A005", "A006"]


def test_a_window_holding_a_ticket_cannot_call_another_and_two_windows_never_share_one(
    hall: Hall,
) -> None:
    hall.issue("A")
    hall.issue("A")
    first = hall.call("1")
    with pytest.raises(QueueRefused) as refused:
        hall.call("1")
    assert "1 号窗口已叫号 A001" in refused.value.message
    second = hall.call("2")
    assert numbers([first, second]) == ["A001", "A002"]
    assert hall.call("3") is None


# --- recall, no-show, re-queue ----------------------------------------------------------------


def test_three_recalls_then_the_next_recall_is_a_no_show(hall: Hall) -> None:
    hall.issue("A")
    hall.call("1")
    calls = []
    for _ in range(3):
        hall.tick()  # each recall waits the hall's minimum interval (test_recall_interval)
        calls.append(hall.write(commands.recall, "1").calls)
    assert calls == [2, 3, 4]
    hall.tick()
    missed = hall.write(commands.recall, "1")
    assert missed.state == "no_show"
    # The window is free again.
    hall.issue("A")
    assert numbers([hall.call("1")]) == ["A002"]


def test_a_returning_no_show_waits_again_at_the_back_or_where_the_clerk_says(
    hall: Hall,
) -> None:
    late = hall.issue("A")
    hall.tick()
    hall.issue("A")
    hall.tick()
    hall.issue("A")
    hall.call("1")
    hall.write(commands.no_show, "1")
    hall.tick()
    hall.write(commands.requeue, late.number)  # at the back
    assert numbers([hall.serve("1"), hall.serve("1"), hall.serve("1")]) == [
        "A002",
        "A003",
        "A001",
    ]
    with pytest.raises(QueueRefused, match="只有过号的票可以重新排队"):
        hall.write(commands.requeue, "A002")


def test_requeue_first_puts_the_ticket_before_everyone_waiting(hall: Hall) -> None:
    hall.issue("A")
    hall.tick()
    hall.issue("A")
    hall.tick()
    hall.issue("A")
    hall.write(commands.call_ticket, "1", "A003", "已预约电话沟通")
    hall.write(commands.no_show, "1")
    hall.write(commands.requeue, "A003", position="first")
    assert numbers([hall.serve("1")]) == ["A003"]


# --- transfer -----------------------------------------------------------------------------------


def test_a_transfer_to_a_category_keeps_the_original_issue_time(hall: Hall) -> None:
    hall.issue("A")  # 09:00, will move to B
    hall.tick()
    hall.issue("B")  # 09:01
    hall.call("1")
    moved = hall.write(commands.transfer, "1", category="B", reason="需不动产窗口办理")
    assert moved.state == "waiting" and moved.category == "B" and moved.number == "A001"
    assert numbers([hall.serve("2"), hall.serve("2")]) == ["A001", "B001"]


def test_a_transfer_to_the_back_of_the_queue(hall: Hall) -> None:
    hall.issue("A")
    hall.tick()
    hall.issue("B")
    hall.call("1")
    hall.write(commands.transfer, "1", category="B", position="last")
    assert numbers([hall.serve("2"), hall.serve("2")]) == ["B001", "A001"]


def test_a_transfer_to_one_window_is_called_only_there(hall: Hall) -> None:
    hall.issue("A")
    hall.call("1")
    hall.write(commands.transfer, "1", target_window="5")
    assert hall.call("2") is None
    assert numbers([hall.call("5")]) == ["A001"]
    with pytest.raises(QueueRefused, match="不能转给本窗口"):
        hall.write(commands.transfer, "5", target_window="5")


# --- park, call out of turn ---------------------------------------------------------------------


def test_a_parked_ticket_lets_the_window_go_on_and_comes_back_by_number(hall: Hall) -> None:
    hall.issue("A")
    hall.issue("A")
    hall.call("1")
    hall.write(commands.start, "1")
    parked = hall.write(commands.park, "1", note="回家取户口簿")
    assert parked.state == "parked"
    assert numbers([hall.serve("1")]) == ["A002"]
    assert hall.call("1") is None  # next never calls a parked ticket
    with pytest.raises(QueueRefused, match="应由该窗口叫回"):
        hall.write(commands.call_ticket, "2", "A001", "取回材料")
    with pytest.raises(QueueRefused, match="需写明原因"):
        hall.write(commands.call_ticket, "1", "A001", "  ")
    back = hall.write(commands.call_ticket, "1", "A001", "取回材料")
    assert back.state == "called" and back.window == "1"
    assert [t.number for t in hall.read(reads.parked_at, hall.site, "1")] == []


# --- finishing ----------------------------------------------------------------------------------


def test_finishing_needs_an_outcome_and_keeps_items_and_cases(hall: Hall) -> None:
    hall.issue("A")
    called = hall.call("1")
    assert called is not None
    hall.write(commands.start, "1")
    with pytest.raises(QueueRefused, match="请选择办理结果"):
        hall.write(commands.finish, "1", "")
    with pytest.raises(QueueRefused, match="需写明说明"):
        hall.write(commands.finish, "1", "other")
    hall.write(commands.link_case, called.id, "421202-XA-BYQ-261123-0001")
    hall.write(commands.link_case, called.id, "421202-XA-BYQ-261123-0002")
    hall.write(commands.link_case, called.id, "421202-XA-BYQ-261123-0001")  # twice is once
    hall.tick(7)
    done = hall.write(commands.finish, "1", "accepted", item_codes=["F5", "G2"])
    assert done.state == "finished" and done.outcome == "accepted"
    assert done.case_numbers == ("421202-XA-BYQ-261123-0001", "421202-XA-BYQ-261123-0002")
    assert done.item_codes == ("F5", "G2")
    assert done.finished_at is not None and done.started_at is not None
    assert done.finished_at - done.started_at == timedelta(minutes=7)


# --- overnight ----------------------------------------------------------------------------------


def test_a_ticket_open_at_closing_stays_visible_until_a_clerk_closes_it(hall: Hall) -> None:
    hall.issue("A")
    hall.issue("A")
    hall.call("1")
    hall.write(commands.start, "1")
    hall.now += timedelta(days=1)
    left = hall.read(reads.leftovers, hall.site, hall.now.date())
    assert [(t.number, t.state) for t in left] == [("A001", "serving"), ("A002", "waiting")]
    # Yesterday's waiting ticket is not called today, and window 1 must finish its own first.
    assert hall.call("2") is None
    with pytest.raises(QueueRefused, match="正在办理 A001"):
        hall.call("1")
    hall.write(commands.finish, "1", "consulted")
    with pytest.raises(QueueRefused, match="需写明原因"):
        hall.write(commands.close, left[1].id, "")
    hall.write(commands.close, left[1].id, "申请人未等候，闭厅时离开")
    assert hall.read(reads.leftovers, hall.site, hall.now.date()) == []
    today = hall.issue("A")
    assert today.number == "A001"
    with pytest.raises(QueueRefused, match="是今天的号"):
        hall.write(commands.close, today.id, "误取")


# --- roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["approver", "supervisor"])
def test_only_clerks_issue_and_call(hall: Hall, role: str) -> None:
    other = Actor(username="wang", role=role, site=hall.site)
    with pytest.raises(PermissionDenied):
        hall.write(commands.issue, "A", actor=other)
    hall.issue("A")
    with pytest.raises(PermissionDenied):
        hall.write(commands.call_next, "1", actor=other)
    with pytest.raises(PermissionDenied):
        hall.write(commands.configure, config.DEFAULT, actor=other)


# --- the board ----------------------------------------------------------------------------------


def test_the_board_shows_calls_and_counts_with_masked_names_only(hall: Hall) -> None:
    hall.issue("A", applicant_name="张三丰")
    hall.issue("A")
    hall.issue("C")
    hall.tick()
    hall.call("1")
    hall.tick()
    hall.write(commands.recall, "1")
    board = hall.read(boards.board, hall.site, hall.now)
    assert [(c.number, c.window, c.name, c.calls) for c in board.current] == [
        ("A001", "1", "张*丰", 2)
    ]
    assert [c.number for c in board.recent] == ["A001", "A001"]
    assert {w.prefix: w.count for w in board.waiting} == {"A": 1, "B": 0, "C": 1, "D": 0, "V": 0}
    assert "张三丰" not in repr(board)


# --- replay -------------------------------------------------------------------------------------


def test_replay_rebuilds_the_queue_tables_exactly(hall: Hall) -> None:
    hall.write(commands.configure, config.DEFAULT, actor=Actor("cli:root", "admin", hall.site))
    for category in "AABCA":
        hall.issue(category, priority_reason="孕妇" if category == "C" else "")
        hall.tick()
    hall.serve("1", "accepted")
    hall.call("2")
    hall.tick()
    hall.write(commands.recall, "2")
    hall.write(commands.no_show, "2")
    hall.call("3")
    hall.write(commands.transfer, "3", category="D")
    hall.call("4")
    hall.write(commands.park, "4")
    before = dump_projections(hall.engine)
    assert all(before[table] for table in QUEUE_TABLES)
    execute(hall.engine, "UPDATE queue_ticket SET state = 'finished'")
    execute(hall.engine, "DELETE FROM queue_step")
    with write_session(hall.engine) as session:
        replay(session)
        assert verify(session)[1] is None
        kinds = session.exec(select(QueueStep.kind)).all()
    assert dump_projections(hall.engine) == before
    assert {"ticket_issued", "ticket_called", "ticket_no_show", "ticket_parked"} <= set(kinds)


def test_next_reads_few_rows_but_calls_exactly_what_the_rules_say(hall: Hall) -> None:
    """commands._candidates narrows the waiting tickets; the order must be the rules' over all."""
    import random

    from counter_tui.db import read_session
    from counter_tui.queue import rules
    from counter_tui.queue.models import QueueTicket, QueueWindow

    pick = random.Random(6)
    for _ in range(40):
        hall.issue(pick.choice("AB"), priority_reason=pick.choice(["", "", "残疾人"]))
        hall.tick(0.5)
    for _ in range(40):
        window = pick.choice(["1", "2"])
        with read_session(hall.engine) as session:
            waiting = session.exec(select(QueueTicket).where(QueueTicket.state == "waiting"))
            everyone = [reads.as_waiting(row) for row in waiting]
            state = session.get(QueueWindow, (hall.site, window))
        expected = rules.next_ticket(everyone, "AB", hall.now, streak=state.streak if state else 0)
        called = hall.serve(window)
        assert expected is not None and called.id == expected.id
