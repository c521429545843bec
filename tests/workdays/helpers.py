"""Calendars for tests: 2026 as the notice states it (from facts.py, through the package's own
YearPlan), and a 2027 calendar file written to a folder."""

from __future__ import annotations

from pathlib import Path

from counter_tui.workdays.rules import Calendar, Holiday, YearPlan, exceptions_of
from tests.workdays.facts import BREAKS_2026, MAKE_UP_2026

PLAN_2026 = YearPlan(
    year=2026,
    status="official",
    holidays=tuple(
        Holiday(
            name=name,
            first=first,
            last=last,
            workdays=tuple(d for d, n in MAKE_UP_2026.items() if n == name),
        )
        for name, (first, last) in BREAKS_2026.items()
    ),
)
CAL_2026 = Calendar(
    exceptions={d: kind for d, (kind, _) in exceptions_of(PLAN_2026).items()},
    official_years=frozenset({2026}),
)

YEAR_2027 = """\
year = 2027
status = "official"
notice = "测试用安排"

[[holidays]]
name = "元旦"
from = 2027-01-01
to = 2027-01-03

[[holidays]]
name = "春节"
from = "2027-02-06"
to = 2027-02-12
workdays = [2027-02-20]
"""


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
