"""The demo hall's people and its clock, without a database: ID numbers for every birth year a
hall meets are well formed, and the hall's data is stamped within opening hours."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from counter_tui.applicants import check_phone
from counter_tui.demo.hall import data_time
from counter_tui.demo.hall_people import People, well_formed
from tests.conftest import HALL

DAY = date(2026, 11, 23)


def test_applicants_of_every_age_get_well_formed_id_numbers_and_mobiles() -> None:
    """Born 1926-2008: before 1983 only the old 襄阳地区 codes were in use (python-stdnum checks
    the code against the birth year), after it only today's."""
    people = People(random.Random(5), DAY)

    made = [people.person(min_age=18, max_age=100) for _ in range(150)]

    assert {p.birth.year < 1983 for p in made} == {True, False}
    assert all(well_formed(p.id_number, DAY) for p in made)
    assert len({p.id_number for p in made}) == len(made)
    assert all(p.id_number[16] in ("13579" if p.sex == "1" else "02468") for p in made)
    assert all(check_phone(p.phone).ok for p in made)


def test_the_same_seed_draws_the_same_people_and_another_seed_others() -> None:
    def drawn(seed: int) -> list[tuple[str, str, str]]:
        people = People(random.Random(seed), DAY)
        return [(p.name, p.id_number, p.phone) for p in (people.person() for _ in range(5))]

    assert drawn(9) == drawn(9)
    assert not set(drawn(9)) & set(drawn(10))


def test_the_halls_data_is_stamped_within_opening_hours_on_the_demos_day() -> None:
    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2030, 1, 2, hour, minute, tzinfo=HALL)  # another day: only its time counts

    assert data_time(DAY, at(11, 15)) == datetime.combine(DAY, time(11, 15), tzinfo=HALL)
    assert data_time(DAY, at(7)).time() == time(9, 0)  # before opening: the first half hour
    assert data_time(DAY, at(21)).time() == time(16, 0)  # after hours: the afternoon's queue
    assert data_time(DAY, at(21)).date() == DAY
