"""The demo hall's people: applicants with Faker's zh_CN names and mobile numbers and
well-formed 18-digit ID numbers, and the names of the hall's staff, all drawn from one seeded
generator so that a seed gives the same people every time.

Faker's own `ssn` draws area codes from an old table: about four in ten of them are codes no
county had in the birth year, which python-stdnum (and a trainee who checks) rejects. The
numbers are therefore made here: a real county code (most applicants from around the hall, in
Xiangyang, some from elsewhere), a birth date, a sequence whose parity is the person's sex, and
the GB 11643 check digit, then checked by `stdnum.cn.ric` and the app's own check.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from stdnum.cn import ric

from counter_tui.applicants import check_id_number, check_phone

if TYPE_CHECKING:
    from faker import Faker

#: County codes around the hall (Xiangyang's districts and counties): most applicants live here.
#: Most of today's codes date from 1983-1995; people born before then carry the old 襄阳地区
#: codes (4225xx), which python-stdnum accepts only for birth years up to 1983.
LOCAL_AREAS = (
    "422521",  # 襄阳县 (-1983)
    "422522",  # 枣阳县 (-1983)
    "422524",  # 宜城县 (-1983)
    "422525",  # 南漳县 (-1983)
    "422527",  # 谷城县 (-1983)
    "422528",  # 保康县 (-1983)
    "420602",  # 襄城区
    "420606",  # 樊城区
    "420607",  # 襄州区
    "420624",  # 南漳县
    "420625",  # 谷城县
    "420626",  # 保康县
    "420682",  # 老河口市
    "420683",  # 枣阳市
    "420684",  # 宜城市
)
#: Codes from elsewhere (Wuhan, Shiyan, Enshi, Beijing, Shanghai, Sichuan): people who moved here.
OTHER_AREAS = ("420102", "420106", "420303", "422822", "110105", "310104", "510104")
#: Draws of an area code before giving up on a birth date (none of the pool fits it).
AREA_TRIES = 40
#: The share of applicants born around the hall.
LOCAL_SHARE = 0.8
#: Streets of the hall's (fictional) district, for addresses that look local.
STREETS = (
    "檀溪路",
    "南街",
    "北街",
    "荆州街",
    "胜利街",
    "鼓楼巷",
    "昭明台路",
    "习家池路",
    "真武山路",
    "环城南路",
    "隆中路",
    "岘山路",
)


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str
    address: str
    #: "1" male, "2" female (GB/T 2261.1), as the ID number's 17th digit says.
    sex: str
    birth: date


class People:
    """Applicants and staff names from `rng`; no two applicants share an ID number."""

    def __init__(self, rng: random.Random, today: date) -> None:
        from faker import Faker

        self._rng = rng
        self._today = today
        self._faker: Faker = Faker("zh_CN")
        self._faker.seed_instance(rng.getrandbits(32))
        self._numbers: set[str] = set()

    def person(self, *, min_age: int = 18, max_age: int = 80) -> Person:
        female = self._rng.random() < 0.5
        name = self._faker.name_female() if female else self._faker.name_male()
        birth = self._birth(min_age, max_age)
        number = self._id_number(birth, female)
        phone = self._faker.phone_number()
        assert check_phone(phone).ok, phone
        street, door = self._rng.choice(STREETS), self._rng.randint(1, 299)
        room = self._rng.randint(1, 18) * 100 + self._rng.randint(1, 4)
        address = (
            f"湖北省襄阳市岘山区{street}{door}号"
            f"{self._rng.randint(1, 12)}栋{self._rng.randint(1, 6)}单元{room}室"
        )
        return Person(name, number, phone, address, "2" if female else "1", birth)

    def staff_name(self) -> str:
        return str(self._faker.name())

    def pick(self, options: tuple[str, ...]) -> str:
        return self._rng.choice(options)

    def _birth(self, min_age: int, max_age: int) -> date:
        youngest = self._today - timedelta(days=365 * min_age + min_age // 4 + 1)
        span = 365 * (max_age - min_age)
        return youngest - timedelta(days=self._rng.randint(0, span))

    def _id_number(self, birth: date, female: bool) -> str:
        """An 18-digit number that stdnum and the app both accept, unique in this hall."""
        # Every birth year from 1900 on has codes in both pools, so this ends; the bound only
        # turns a broken pool into an error instead of a hang.
        for _ in range(AREA_TRIES):
            areas = LOCAL_AREAS if self._rng.random() < LOCAL_SHARE else OTHER_AREAS
            seq = self._rng.randint(0, 499) * 2 + (0 if female else 1)
            body = f"{self._rng.choice(areas)}{birth:%Y%m%d}{seq:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self._numbers and well_formed(number, self._today):
                self._numbers.add(number)
                return number
        raise RuntimeError(f"no area code of the demo's pool fits a birth on {birth}")


def well_formed(number: str, today: date) -> bool:
    """What the demo promises of every ID number: GB 11643 by python-stdnum (check digit, birth
    date, a county that existed in the birth year) and by the app's own check."""
    return ric.is_valid(number) and check_id_number("111", number, today=today).ok
