"""The calling order: appointments in their slot, then priority, then first come first served,
with no normal ticket starved; ticket numbers; places in the queue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_tui.queue.rules import (
    APPOINTMENT,
    NORMAL,
    PRIORITY,
    CallPolicy,
    Waiting,
    call_class,
    next_ticket,
    streak_after,
    ticket_number,
    waiting_positions,
)

NINE = datetime(2026, 12, 3, 9, 0)
POLICY = CallPolicy()


def ticket(
    number: str,
    minutes: int,
    *,
    category: str = "A",
    priority: bool = False,
    slot: tuple[int, int] | None = None,
) -> Waiting:
    """A ticket queued `minutes` after nine; `slot` in minutes after nine too."""
    return Waiting(
        id=number,
        number=number,
        category=category,
        queued_at=NINE + timedelta(minutes=minutes),
        priority=priority,
        slot_start=NINE + timedelta(minutes=slot[0]) if slot else None,
        slot_end=NINE + timedelta(minutes=slot[1]) if slot else None,
    )


def at(minutes: int) -> datetime:
    return NINE + timedelta(minutes=minutes)


def test_first_come_first_served_among_normal_tickets() -> None:
    tickets = [ticket("A003", 7), ticket("A001", 1), ticket("A002", 4)]
    assert next_ticket(tickets, ["A"], at(10)).number == "A001"  # type: ignore[union-attr]


def test_a_priority_ticket_goes_before_older_normal_ones() -> None:
    tickets = [ticket("A001", 1), ticket("A002", 2, priority=True)]
    assert next_ticket(tickets, ["A"], at(10)).number == "A002"  # type: ignore[union-attr]


def test_an_appointment_in_its_slot_goes_first_and_only_then() -> None:
    booked = ticket("A009", 9, slot=(30, 60))
    tickets = [ticket("A001", 1, priority=True), booked]
    assert call_class(booked, at(10), POLICY) == NORMAL  # too early: waits like anyone
    assert next_ticket(tickets, ["A"], at(10)).number == "A001"  # type: ignore[union-attr]
    assert call_class(booked, at(30), POLICY) == APPOINTMENT
    assert next_ticket(tickets, ["A"], at(30)).number == "A009"  # type: ignore[union-attr]
    assert call_class(booked, at(75), POLICY) == APPOINTMENT  # 15 minutes' grace after the slot
    assert call_class(booked, at(76), POLICY) == NORMAL  # late: first come first served again


def test_appointments_go_by_slot_then_by_when_they_came() -> None:
    later_slot = ticket("A002", 2, slot=(20, 30))
    earlier_slot = ticket("A005", 5, slot=(10, 20))
    assert next_ticket([later_slot, earlier_slot], ["A"], at(20)).number == "A005"  # type: ignore[union-attr]


def test_a_late_priority_appointment_is_still_priority() -> None:
    late = ticket("A001", 1, priority=True, slot=(0, 10))
    assert call_class(late, at(60), POLICY) == PRIORITY


def test_a_window_calls_only_its_categories() -> None:
    tickets = [ticket("B001", 1, category="B"), ticket("A001", 2)]
    assert next_ticket(tickets, ["A"], at(5)).number == "A001"  # type: ignore[union-attr]
    assert next_ticket(tickets, ["C"], at(5)) is None
    assert next_ticket([], ["A"], at(5)) is None


def test_after_three_priority_calls_the_oldest_normal_ticket_goes() -> None:
    tickets = [ticket("A001", 1), ticket("V001", 2, priority=True), ticket("A002", 0)]
    assert next_ticket(tickets, ["A"], at(5), streak=2).number == "V001"  # type: ignore[union-attr]
    assert next_ticket(tickets, ["A"], at(5), streak=3).number == "A002"  # type: ignore[union-attr]
    only_priority = [ticket("V001", 2, priority=True)]
    assert next_ticket(only_priority, ["A"], at(5), streak=9).number == "V001"  # type: ignore[union-attr]


def test_the_streak_counts_calls_out_of_turn_and_a_normal_call_resets_it() -> None:
    assert streak_after(2, ticket("V001", 0, priority=True), at(1), POLICY) == 3
    assert streak_after(3, ticket("A001", 0), at(1), POLICY) == 0


@settings(max_examples=200, deadline=None)
@given(
    arrivals=st.lists(st.booleans(), min_size=1, max_size=60),
    max_streak=st.integers(min_value=1, max_value=5),
)
def test_no_normal_ticket_waits_more_than_max_streak_calls(
    arrivals: list[bool], max_streak: int
) -> None:
    """Tickets arrive one per call, priority or not as drawn, on top of one normal ticket that
    was already waiting. Each normal ticket, once it is the oldest normal one, is called within
    max_streak + 1 calls, and every ticket is called exactly once."""
    policy = CallPolicy(max_streak=max_streak)
    waiting = [ticket("A000", 0)]
    called: list[str] = []
    streak = 0
    head_since: dict[str, int] = {}
    calls = 0
    pending = list(arrivals)
    while waiting or pending:
        if pending:
            n = len(arrivals) - len(pending) + 1
            waiting.append(ticket(f"X{n:03d}", n, priority=pending.pop(0)))
        normals = sorted((t for t in waiting if not t.priority), key=lambda t: t.queued_at)
        if normals:
            head_since.setdefault(normals[0].number, calls)
        chosen = next_ticket(waiting, ["A"], at(100), streak=streak, policy=policy)
        assert chosen is not None
        calls += 1
        streak = streak_after(streak, chosen, at(100), policy)
        waiting.remove(chosen)
        called.append(chosen.number)
        if not chosen.priority:
            assert calls - head_since[chosen.number] <= max_streak + 1
    assert sorted(called) == sorted({"A000", *(f"X{n:03d}" for n in range(1, len(arrivals) + 1))})


def test_ticket_numbers_have_three_digits_at_least() -> None:
    assert [ticket_number("A", n) for n in (1, 12, 999, 1000)] == ["A001", "A012", "A999", "A1000"]
    with pytest.raises(ValueError):
        ticket_number("A", 0)


def test_waiting_positions_count_those_ahead_in_the_same_category() -> None:
    tickets = [
        ticket("A001", 1),
        ticket("A002", 2, priority=True),
        ticket("B001", 3, category="B"),
        ticket("A003", 4),
    ]
    assert waiting_positions(tickets, at(5), POLICY) == {"A002": 0, "A001": 1, "A003": 2, "B001": 0}


def test_a_policy_with_no_streak_is_refused() -> None:
    with pytest.raises(ValueError):
        CallPolicy(max_streak=0)
    with pytest.raises(ValueError):
        CallPolicy(late_grace=timedelta(minutes=-1))
