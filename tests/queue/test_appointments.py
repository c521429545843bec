"""Appointments: booking within capacity on working days, check-in by code or ID number with the
early and late rules, appointment tickets called first in their slot, and missed appointments."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from counter_tui.actor import Actor
from counter_tui.queue import appointments, commands, config
from counter_tui.queue.rules import QueueRefused
from tests.conftest import Node
from tests.queue.hall import OPENING, Hall

ZHANG = {"name": "张三", "id_number": "420602198503151231", "phone": "13812345678"}
WANG = {"name": "王芳", "id_number": "420607197808083011"}
LIU = {"name": "刘洋", "id_number": "11010519491231002X"}
MONDAY = OPENING.date()  # 2026-11-23, the hall opens at 09:00
SETUP = {
    "early_check_in_minutes": 30,
    "late_grace_minutes": 15,
    "categories": {
        "A": {"name": "综合受理", "slots": ["10:00-10:30", "10:30-11:00"], "capacity": 2},
        "B": {"name": "不动产登记"},
    },
}


@pytest.fixture
def hall(node: Node) -> Hall:
    hall = Hall(node.engine, node.site)
    hall.write(
        commands.configure,
        config.from_dict(SETUP),
        actor=Actor("cli:root", "admin", node.site),
    )
    return hall


def book(hall: Hall, slot: str = "10:00-10:30", day: date = MONDAY, **person: str):
    return hall.write(appointments.book, "A", day, slot, **(person or ZHANG))


def test_booking_fills_a_slot_up_to_its_capacity(hall: Hall) -> None:
    first = book(hall, **ZHANG)
    assert first.state == "booked" and len(first.code) == 8 and first.code.isdigit()
    assert first.name == "张*" and first.id_number.startswith("4206") and "*" in first.id_number
    book(hall, **WANG)
    with pytest.raises(QueueRefused, match="10:00-10:30 已约满"):
        book(hall, **LIU)
    book(hall, "10:30-11:00", **LIU)
    free = {o.slot.label: o.free for o in hall.read(appointments.openings, hall.site, "A", MONDAY)}
    assert free == {"10:00-10:30": 0, "10:30-11:00": 1}


def test_a_booking_is_refused_with_the_reason(hall: Hall) -> None:
    saturday = MONDAY + timedelta(days=5)
    with pytest.raises(QueueRefused, match="不是工作日"):
        book(hall, day=saturday)
    with pytest.raises(QueueRefused, match="已经过去"):
        book(hall, day=MONDAY - timedelta(days=1))
    with pytest.raises(QueueRefused, match=r"没有 11:00-11:30 这个预约时段（可约：10:00-10:30、"):
        book(hall, "11:00-11:30")
    with pytest.raises(QueueRefused, match="不接受预约"):
        hall.write(appointments.book, "B", MONDAY, "10:00-10:30", **ZHANG)
    with pytest.raises(QueueRefused, match="校验"):
        book(hall, name="张三", id_number="420602198503151234")
    book(hall)
    with pytest.raises(QueueRefused, match="此证件已预约"):
        book(hall, "10:30-11:00")
    hall.now = OPENING.replace(hour=10, minute=1)
    with pytest.raises(QueueRefused, match="时段已开始"):
        book(hall, "10:00-10:30", **WANG)


def test_check_in_by_code_or_id_number_within_the_early_window(hall: Hall) -> None:
    booked = book(hall, **ZHANG)
    book(hall, **WANG)
    hall.now = OPENING.replace(hour=9, minute=29)
    with pytest.raises(QueueRefused, match="09:30 起可签到"):
        hall.write(appointments.check_in, booked.code)
    hall.now = OPENING.replace(hour=9, minute=30)
    ticket, appointment = hall.write(appointments.check_in, booked.code)
    assert ticket.number == "A001" and ticket.appointment and appointment.code == booked.code
    with pytest.raises(QueueRefused, match="已签到"):
        hall.write(appointments.check_in, booked.code)
    # A scanner types the ID number (with a lower-case x, say) and Enter.
    second, _ = hall.write(appointments.check_in, " 420607197808083011 ")
    assert second.number == "A002"
    with pytest.raises(QueueRefused, match="没有预约码为 12345678"):
        hall.write(appointments.check_in, "12345678")


def test_an_appointment_in_its_slot_is_called_before_earlier_walk_ins(hall: Hall) -> None:
    booked = book(hall)
    hall.now = OPENING.replace(hour=9, minute=40)
    walk_in = hall.issue("A")
    hall.tick(5)
    appointment_ticket, _ = hall.write(appointments.check_in, booked.code)
    # Before its slot it waits like anyone: the walk-in came first.
    hall.now = OPENING.replace(hour=9, minute=50)
    assert hall.serve("1").number == walk_in.number
    hall.issue("A")
    hall.now = OPENING.replace(hour=10, minute=0)
    hall.issue("A")
    assert hall.serve("1").number == appointment_ticket.number


def test_late_check_in_gives_an_ordinary_ticket_and_missed_ones_are_marked(hall: Hall) -> None:
    late = book(hall, **ZHANG)
    missed = book(hall, **WANG)
    hall.now = OPENING.replace(hour=10, minute=46)  # slot ended 10:30, grace 15 minutes
    ticket, appointment = hall.write(appointments.check_in, late.code)
    assert appointment.late and ticket.appointment
    hall.tick()
    hall.issue("A")  # after the late one, who came first
    assert hall.serve("1").number == ticket.number
    states = {a.code: a.state for a in hall.read(appointments.of_day, hall.site, MONDAY)}
    assert states == {late.code: "checked_in", missed.code: "missed"}


def test_cancelled_appointments_free_their_place(hall: Hall) -> None:
    first = book(hall, **ZHANG)
    book(hall, **WANG)
    with pytest.raises(QueueRefused, match="需写明原因"):
        hall.write(appointments.cancel, first.code, " ")
    hall.write(appointments.cancel, first.code, "申请人来电取消")
    book(hall, **LIU)
    hall.now = OPENING.replace(hour=9, minute=45)
    with pytest.raises(QueueRefused, match="已取消"):
        hall.write(appointments.check_in, first.code)


def test_replay_rebuilds_the_appointments(hall: Hall) -> None:
    from counter_tui.db import write_session
    from counter_tui.journal.service import replay
    from tests.core.helpers import dump_projections, execute

    kept = book(hall, **ZHANG)
    book(hall, **WANG)
    gone = book(hall, "10:30-11:00", **LIU)
    hall.write(appointments.cancel, gone.code, "来电取消")
    hall.now = OPENING.replace(hour=9, minute=45)
    hall.write(appointments.check_in, kept.code)
    hall.now = OPENING.replace(hour=11, minute=0)
    hall.call("1")  # marks 王芳's appointment missed
    before = dump_projections(hall.engine)
    assert {a["state"] for a in before["queue_appointment"]} == {
        "checked_in",
        "missed",
        "cancelled",
    }
    execute(hall.engine, "DELETE FROM queue_appointment WHERE state = 'missed'")
    with write_session(hall.engine) as session:
        replay(session)
    assert dump_projections(hall.engine) == before
