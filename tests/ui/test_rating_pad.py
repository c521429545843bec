"""The rating pad (`counter-tui rating-pad`): a finished ticket wakes it, 1–5 records the rating
through the door, a bad one asks a reason, nobody answering records 未评价, a restart asks about
nothing old; pictures of the awake pad and the thanks at 80×24, 120×40 and a 40×12 second
screen. The pad's clock is moved by the test, never waited for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from textual.pilot import Pilot

from counter_tui.db import make_engine, read_session
from counter_tui.desk.pad import ServiceEnd
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.ui.pad.app import ASLEEP, LEVEL, REASON, THANKS, PadApp, make_pad
from counter_tui.ui.pad.model import sort_out
from tests.conftest import HALL
from tests.queue.hall import Hall
from tests.ui.conftest import NodeDatabase
from tests.ui.helpers import plain

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SITE = "421202-XA-BYQ"
#: The pad's clock at the start of every test; the ticket ends ten seconds before.
START = datetime(2026, 11, 23, 9, 30, 0, tzinfo=HALL)
#: Rounds of `pilot.pause(STEP)` a test waits for the pad at most (2 s).
ROUNDS, STEP = 40, 0.05


class PadClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def engine(node: NodeDatabase) -> Iterator[Engine]:
    engine = make_engine(node.settings.db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def hall(engine: Engine) -> Hall:
    return Hall(engine, SITE, now=START - timedelta(minutes=5))


@pytest.fixture
def clock() -> PadClock:
    return PadClock()


def finished_at_3(hall: Hall, name: str = "张三丰") -> str:
    """A ticket served at window 3 by 李四 (li), finished ten seconds before START."""
    ticket = hall.issue("A", applicant_name=name)
    hall.now = START - timedelta(seconds=40)
    hall.call("3")
    hall.now = START - timedelta(seconds=10)
    from counter_tui.queue import commands

    hall.write(commands.finish, "3", "consulted")
    return ticket.id


def pad_on(node: NodeDatabase, clock: PadClock) -> PadApp:
    return make_pad(node.settings, "3", clock=clock)


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    for _ in range(ROUNDS):
        if condition():
            return
        await pilot.pause(STEP)
    raise AssertionError("the pad did not get there in time")


async def awake(pilot: Pilot[None]) -> None:
    app: PadApp = pilot.app  # type: ignore[assignment]
    await until(pilot, lambda: app.state == LEVEL)
    await pilot.pause()


async def saved(pilot: Pilot[None]) -> None:
    app: PadApp = pilot.app  # type: ignore[assignment]
    await until(pilot, lambda: not app.outbox and not app._saving)
    await pilot.pause()


def ratings(engine: Engine) -> list[Rating]:
    with read_session(engine) as session:
        return list(session.exec(select(Rating)).all())


# --- the flow -----------------------------------------------------------------------------------


async def test_a_finished_ticket_wakes_the_pad_and_2_records_satisfied(
    node: NodeDatabase, hall: Hall, engine: Engine, clock: PadClock
) -> None:
    ticket_id = finished_at_3(hall)
    app = pad_on(node, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.looks >= 1)
        await awake(pilot)
        who = plain(pilot, "#who")  # type: ignore[arg-type]
        assert "李四" in who and "张*丰" in who and "张三丰" not in who
        assert "请您对本次服务进行评价" in plain(pilot, "#ask")  # type: ignore[arg-type]
        await pilot.press("2")
        assert app.state == THANKS
        await saved(pilot)
        clock.advance(6)
        await until(pilot, lambda: app.state == ASLEEP)
    [rating] = ratings(engine)
    assert (rating.kind, rating.ticket_id, rating.channel) == ("service", ticket_id, "window")
    assert (rating.level, rating.given, rating.window, rating.clerk) == (2, True, "3", "li")


async def test_a_5_asks_a_reason_and_records_it(
    node: NodeDatabase, hall: Hall, engine: Engine, clock: PadClock
) -> None:
    finished_at_3(hall)
    app = pad_on(node, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await awake(pilot)
        await pilot.press("5")
        assert app.state == REASON and not app.outbox
        assert "服务态度差" in plain(pilot, "#choices")  # type: ignore[arg-type]
        await pilot.press("down", "down", "enter")  # the second reason, by the arrows
        assert app.state == THANKS
        await saved(pilot)
    [rating] = ratings(engine)
    assert (rating.level, rating.given, rating.reasons) == (5, True, '["slow"]')
    with read_session(engine) as session:  # a bad rating opens its follow-up (差评整改)
        assert session.get(RatingFollowup, rating.id) is not None


async def test_nobody_answering_records_unrated(
    node: NodeDatabase, hall: Hall, engine: Engine, clock: PadClock
) -> None:
    finished_at_3(hall)
    app = pad_on(node, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await awake(pilot)
        clock.advance(45)  # 55 s after the end: still asking
        await pilot.pause(0.6)
        assert app.state == LEVEL and not ratings(engine)
        clock.advance(10)
        await until(pilot, lambda: app.state == ASLEEP)
        await saved(pilot)
    [rating] = ratings(engine)
    assert (rating.level, rating.given) == (None, False)


async def test_a_restart_asks_about_nothing_old(
    node: NodeDatabase, hall: Hall, engine: Engine, clock: PadClock
) -> None:
    finished_at_3(hall)
    app = pad_on(node, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await awake(pilot)
        await pilot.press("1")
        await saved(pilot)
    # Another window's ticket wakes nobody here; a ticket finished long ago neither.
    hall.now = START - timedelta(minutes=30)
    hall.issue("A")
    hall.serve("3")
    hall.now = START - timedelta(seconds=5)
    hall.issue("A")
    hall.serve("4")
    again = pad_on(node, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: again.looks >= 3)
        assert again.state == ASLEEP
    assert [(r.level, r.given) for r in ratings(engine)] == [(1, True)]


async def test_a_restart_asks_again_about_a_prompt_left_unanswered(
    node: NodeDatabase, hall: Hall, clock: PadClock
) -> None:
    """The applicant may still stand there: the pad was restarted, not they."""
    finished_at_3(hall)
    first = pad_on(node, clock)
    async with first.run_test(size=(80, 24)) as pilot:
        await awake(pilot)
    second = pad_on(node, clock)
    async with second.run_test(size=(80, 24)) as pilot:
        await awake(pilot)


async def test_a_newer_service_closes_the_prompt_on_screen_as_unrated(
    node: NodeDatabase, hall: Hall, engine: Engine, clock: PadClock
) -> None:
    first = finished_at_3(hall, "张三丰")
    app = pad_on(node, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await awake(pilot)
        hall.now = START + timedelta(seconds=5)
        hall.issue("A", applicant_name="李小龙")
        second = hall.serve("3").id
        clock.advance(6)
        await until(pilot, lambda: app.end is not None and app.end.ticket_id == second)
        await pilot.press("3")
        await saved(pilot)
    rows = {r.ticket_id: (r.level, r.given) for r in ratings(engine)}
    assert rows == {first: (None, False), second: (3, True)}


# --- the choice of what to ask (pure) -------------------------------------------------------------


def end(ticket: str, seconds: int, kind: str = "service", case: str | None = None) -> ServiceEnd:
    return ServiceEnd(
        kind=kind,
        ended_at=START + timedelta(seconds=seconds),
        window="3",
        clerk="li",
        clerk_name="李四",
        applicant="",
        ticket_id=ticket,
        case_id=case,
    )


def test_a_delivery_and_the_ticket_of_the_same_visit_are_asked_in_turn() -> None:
    delivery = end("T1", 0, "case", "C1")
    finish = end("T1", 30)
    move = sort_out(delivery, [finish])
    assert (move.stale, move.show, move.supersede) == ((), None, False)
    assert sort_out(None, [finish]).show == finish


def test_only_the_newest_visit_is_asked() -> None:
    old, newer = end("T1", 0), end("T2", 20)
    move = sort_out(None, [old, newer])
    assert (move.stale, move.show, move.supersede) == ((old,), newer, False)
    move = sort_out(old, [newer])
    assert (move.stale, move.show, move.supersede) == ((), newer, True)


# --- pictures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [*SIZES, pytest.param((40, 12), id="40x12")])
def test_awake_pad(
    snap_compare: Callable[..., bool],
    node: NodeDatabase,
    hall: Hall,
    clock: PadClock,
    size: tuple[int, int],
) -> None:
    """请您对本次服务进行评价 on top; 3 号窗口, 为您服务：李四, the masked 张*丰 and A001; the five
    levels with their names (big digits side by side at 80×24 and larger, a plain list at 40×12),
    and the keys with the seconds left (50)."""
    finished_at_3(hall)
    assert snap_compare(pad_on(node, clock), terminal_size=size, run_before=awake)


@pytest.mark.parametrize("size", SIZES)
def test_thanks(
    snap_compare: Callable[..., bool],
    node: NodeDatabase,
    hall: Hall,
    clock: PadClock,
    size: tuple[int, int],
) -> None:
    """After 4 and the reason 1: 感谢您的评价！ and 您的评价：不满意, nothing else but the window
    number at the bottom."""
    finished_at_3(hall)

    async def rated(pilot: Pilot[None]) -> None:
        await awake(pilot)
        await pilot.press("4", "1")
        await saved(pilot)

    assert snap_compare(pad_on(node, clock), terminal_size=size, run_before=rated)
