"""The living demo hall (demo/hall*.py): for a fixed seed and day, the figures a trainee sees
(tickets waiting, priority tickets, appointments, cases per state, red and yellow cards) are the
ones written here by hand; the same seed builds the same hall, another seed other people; every
ID number is well formed; everything is dated from the demo's day, not the real one.

The halls are built once per module, in this process, on copies of one empty demo node (the
migrations and the catalog import are the slow part, and are the same for every hall).
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from counter_tui.accounts.service import find_user
from counter_tui.actor import Actor
from counter_tui.applicants import check_phone
from counter_tui.cases.models import Case
from counter_tui.cases.worklist import OPEN_STATES, worklist
from counter_tui.clock import set_demo_today
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.demo import hall_history
from counter_tui.demo.hall import build_hall
from counter_tui.demo.hall_accounts import ACCOUNTS, PASSWORD
from counter_tui.demo.hall_people import well_formed
from counter_tui.demo.hall_queue import queue_figures
from counter_tui.demo.setup import DEMO_SITE, DEMO_USER, build_demo_database
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.queue.models import QueueAppointment, QueueTicket
from counter_tui.site.service import node
from counter_tui.workdays.service import calendar_for
from counter_tui.workdays.sla import Level
from tests.conftest import HALL

#: A Monday with no holiday in the three weeks before it (the cases reach 15 working days back).
DAY = date(2026, 11, 23)
#: The moment the hall is built at: mid-morning of DAY.
BUILT_AT = datetime(2026, 11, 23, 10, 30, tzinfo=HALL)
SEED = 2026
OTHER_SEED = 7

#: Cases per state, as demo/hall_cases.PLAN takes them (hand-counted).
CASES_PER_STATE = {
    "accepted": 2,
    "handed_off": 4,
    "in_review": 4,
    "correction_requested": 1,
    "suspended": 1,
    "approved": 1,
    "denied": 1,
    "completed": 3,
    "delivered": 3,
    "notified": 2,
    "refused": 1,
    "withdrawn": 1,
    "terminated": 1,
}


@dataclass(frozen=True)
class Hall:
    path: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def session(self) -> Session:
        return Session(make_engine(self.url))


@pytest.fixture(scope="module")
def empty_node(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-node") / "demo.db"
    build_demo_database(path, today=DAY, seed=None)
    set_demo_today(None)
    return path


def _build(empty_node: Path, folder: Path, seed: int) -> Hall:
    path = folder / "demo.db"
    shutil.copyfile(empty_node, path)
    engine = make_engine(f"sqlite:///{path}")
    with write_session(engine) as session:
        site = node(session).site
        trainer = find_user(session, DEMO_USER, site=site)
        assert trainer is not None
        operator = Actor.local_operator(site)
        actor = Actor(DEMO_USER, "trainer", site, user_id=trainer.id)
        build_hall(session, operator, actor, seed=seed, today=DAY, clock=BUILT_AT)
    engine.dispose()
    return Hall(path)


@pytest.fixture(scope="module")
def hall(empty_node: Path, tmp_path_factory: pytest.TempPathFactory) -> Hall:
    return _build(empty_node, tmp_path_factory.mktemp("hall"), SEED)


@pytest.fixture(scope="module")
def same_again(empty_node: Path, tmp_path_factory: pytest.TempPathFactory) -> Hall:
    return _build(empty_node, tmp_path_factory.mktemp("hall-again"), SEED)


@pytest.fixture(scope="module")
def other(empty_node: Path, tmp_path_factory: pytest.TempPathFactory) -> Hall:
    return _build(empty_node, tmp_path_factory.mktemp("hall-other"), OTHER_SEED)


def _people(hall: Hall) -> list[tuple[str, str, str]]:
    """Who is in the hall: the case applicants and the appointments, in the order made."""
    engine = make_engine(hall.url)
    with read_session(engine) as session:
        cases = session.exec(select(Case).order_by(Case.number)).all()
        booked = session.exec(select(QueueAppointment).order_by(QueueAppointment.slot_start)).all()
        people = [(c.number, c.applicant_name, c.applicant_key) for c in cases]
        people += [(a.day.isoformat(), a.name, a.id_number) for a in booked]
    engine.dispose()
    return people


def _codes(hall: Hall) -> list[str]:
    """The appointment codes, which a trainer's handout may name for check-in."""
    engine = make_engine(hall.url)
    with read_session(engine) as session:
        booked = session.exec(select(QueueAppointment).order_by(QueueAppointment.slot_start)).all()
        codes = [a.code for a in booked]
    engine.dispose()
    return codes


def _figures(hall: Hall) -> dict[str, object]:
    engine = make_engine(hall.url)
    with read_session(engine) as session:
        states = Counter(c.state for c in session.exec(select(Case)).all())
        levels = Counter(item.level for item in worklist(session, today=DAY, states=OPEN_STATES))
        queue = queue_figures(session, DEMO_SITE, BUILT_AT)
        tickets = session.exec(select(QueueTicket.number).order_by(QueueTicket.id)).all()
    engine.dispose()
    return {"states": dict(states), "levels": dict(levels), "queue": queue, "tickets": tickets}


def test_the_hall_of_a_seed_has_the_figures_a_trainer_is_told(hall: Hall) -> None:
    figures = _figures(hall)
    queue = figures["queue"]

    # 12 walk-ins, 2 priority tickets and 3 appointments checked in wait for window 1.
    assert queue.waiting == 17  # type: ignore[attr-defined]
    assert queue.priority == 2  # type: ignore[attr-defined]
    assert queue.appointments_today == 7  # type: ignore[attr-defined]
    assert queue.appointments_checked_in == 3  # type: ignore[attr-defined]
    assert figures["states"] == CASES_PER_STATE
    levels = figures["levels"]
    assert levels[Level.RED] == 2  # type: ignore[index]
    assert levels[Level.YELLOW] == 2  # type: ignore[index]
    assert levels[Level.REMINDER] == 2  # type: ignore[index]  # due today
    assert levels[Level.PAUSED] == 2  # type: ignore[index]  # 补正 and 中止


def test_the_same_seed_builds_the_same_hall_and_another_seed_other_people(
    hall: Hall, same_again: Hall, other: Hall
) -> None:
    assert _people(same_again) == _people(hall)
    assert _figures(same_again) == _figures(hall)
    assert _codes(same_again) == _codes(hall)
    assert _codes(other) != _codes(hall)
    assert all(len(code) == 8 and code.isdigit() for code in _codes(hall))

    names = {name for _, name, _ in _people(hall)}
    other_names = {name for _, name, _ in _people(other)}
    assert len(names & other_names) < len(names) // 2
    # The plan is the seed's frame, the people its picture: the counts stay.
    assert _figures(other)["states"] == CASES_PER_STATE


def test_every_applicant_has_a_well_formed_id_number_and_a_mobile_phone(hall: Hall) -> None:
    with hall.session() as session:
        cases = session.exec(select(Case)).all()
        booked = session.exec(select(QueueAppointment)).all()
        numbers = [c.applicant_key for c in cases] + [a.id_number for a in booked]
        phones = [a.phone for a in booked]

    assert len(numbers) == 32 and len(set(numbers)) == len(numbers)
    assert all(well_formed(number, DAY) for number in numbers), numbers
    assert all(check_phone(phone).ok and phone.startswith("1") for phone in phones), phones


def test_everything_is_dated_from_the_demos_day(hall: Hall) -> None:
    with hall.session() as session:
        calendar = calendar_for(session)
        tickets = session.exec(select(QueueTicket)).all()
        cases = session.exec(select(Case)).all()
        today = [t for t in tickets if t.day == DAY]
        past_days = sorted({t.day for t in tickets if t.day != DAY})
        due_today = [c for c in cases if c.due == DAY and c.state in OPEN_STATES]

    # Five working days of finished tickets, the last one the Friday before DAY.
    assert len(past_days) == hall_history.DAYS
    assert past_days[-1] == DAY - timedelta(days=3)
    assert all(calendar.is_working_day(day) for day in past_days)
    assert all(t.state == "finished" for t in tickets if t.day != DAY)
    assert {t.state for t in today} == {"waiting", "finished", "no_show"}
    assert all(t.issued_at.date() <= DAY for t in tickets)
    assert max(c.created_at for c in cases).date() <= DAY
    assert len(due_today) == 2


def test_the_past_days_are_rated_with_one_bad_rating_to_follow_up(hall: Hall) -> None:
    with hall.session() as session:
        ratings = session.exec(select(Rating)).all()
        followups = session.exec(select(RatingFollowup)).all()

    bad = [r for r in ratings if r.level is not None and r.level >= 4]
    assert len(ratings) >= 12
    assert len(bad) == 1 and bad[0].comment == hall_history.BAD_COMMENT
    assert [f.rating_id for f in followups] == [bad[0].id]
    assert {r.window for r in ratings} == {"1", "2", "3"}  # the rankings compare windows


def test_every_account_signs_in_with_the_shown_password(hall: Hall) -> None:
    from counter_tui.accounts.service import authenticate

    with hall.session() as session:
        for account in ACCOUNTS:
            result = authenticate(session, account.username, PASSWORD, site=DEMO_SITE)
            assert result.actor is not None, account.username
            assert (result.actor.role, result.actor.department) == (
                account.role,
                account.department,
            )
            session.rollback()
