"""Time limits with the clock stopped, and the supervision levels (电子监察), pure: no I/O.

Everything is counted in working days over the `Calendar` (DESIGN §4.4): a weekday holiday never
counts, a make-up weekend day (调休上班) always does. The rules at each boundary:

Pauses (行政许可法 §45; DESIGN §5). A `Pause` stops the clock on the days in [start, end): the
start day is stopped, the end day is the first day the clock runs again. A pause from Monday to
Wednesday stops Monday and Tuesday; a pause that starts and ends on the same day stops nothing.
A pause still open (`end=None`) stops every day from its start up to and including today, and
the days after today are expected to count again — so an open pause pushes the due date by one
more working day each working day it stays open. Overlapping pauses stop a day once. Only
working days matter: a stopped Sunday or holiday was not counting anyway.

Due date. `clock_due` counts `days` working days from the day after acceptance, skipping every
stopped day. A stopped day after the due date has already passed moves nothing: the limit ran
out before the pause began, and pausing an overdue case must not make it look on time. With no
pauses this is `add_working_days`.

Days left. `working_days_left` is the number of working days in (today, due]: 0 on the due day,
1 on the working day before it (and on the weekend or holiday just before it). Once past the due
date it is minus the working days in (due, today], but at least -1: the Saturday after a Friday
due date is already overdue, not "due today".

Levels, worst first (DOMAIN "Supervision": no national thresholds, so `SupervisionPolicy` holds
the numbers):
- red 红牌: the legal due date has passed (today > legal_due), or the supervision deadline has
  passed — `yellow_grace_days` working days after the committed due date (today >
  `supervision_deadline`); with the default 3 a yellow card that has stood through 3 working
  days turns red on the 4th.
- paused 暂停计时: the clock is stopped and the case is not red. A pause hides a yellow card
  but does not stop its supervision deadline: a case paused after its due date still turns red.
- yellow 黄牌: the committed due date has passed (today > due).
- reminder 提醒: 0 ≤ working days left ≤ `reminder_days` (default 1: due today or on the next
  working day).
- normal 正常: otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from counter_tui.workdays.rules import Calendar, add_working_days, working_days_between

#: Why the clock stops; the codes a `Pause.reason` is expected to carry, with their labels.
CORRECTION = "correction"
SUSPENSION = "suspension"
HEARING = "hearing"
TESTING = "testing"
EXPERT_REVIEW = "expert_review"
PAUSE_REASONS = {
    CORRECTION: "补正材料",
    SUSPENSION: "中止办理",
    HEARING: "听证",
    TESTING: "检验检测",
    EXPERT_REVIEW: "专家评审",
}


@dataclass(frozen=True)
class Pause:
    """A stretch with the clock stopped: [start, end), or from start on while `end` is None.

    The end day counts again, so that a pause recorded as resumed "today" does not also take
    today from the applicant's limit.
    """

    start: date
    end: date | None
    reason: str

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"pause ends before it starts: {self.start} – {self.end}")

    @property
    def is_open(self) -> bool:
        return self.end is None


def _stopped_days(pauses: Iterable[Pause], today: date) -> set[date]:
    """Every day (working or not) on which some pause stops the clock, as seen on `today`."""
    days: set[date] = set()
    for pause in pauses:
        stop = pause.end if pause.end is not None else today + timedelta(days=1)
        day = pause.start
        while day < stop:
            days.add(day)
            day += timedelta(days=1)
    return days


def is_paused(pauses: Iterable[Pause], today: date) -> bool:
    """Whether the clock is stopped today: the `paused` argument of `level`."""
    return any(p.start <= today and (p.end is None or today < p.end) for p in pauses)


def paused_working_days(pauses: Iterable[Pause], calendar: Calendar, today: date) -> int:
    """Working days the clock has been (or, for a closed pause ahead, will be) stopped.

    What the case detail shows as 暂停计时 time; overlapping pauses count a day once.
    """
    return sum(1 for day in _stopped_days(pauses, today) if calendar.is_working_day(day))


def clock_due(
    accepted_on: date, days: int, calendar: Calendar, pauses: Iterable[Pause], today: date
) -> date:
    """The day the `days`-th running working day after acceptance falls on.

    Walking day by day rather than adding the paused days at the end, so that a pause begun
    after the limit ran out does not move the due date (see the module docstring).
    """
    if days < 0:
        raise ValueError(f"days must not be negative: {days}")
    stopped = _stopped_days(pauses, today)
    day = accepted_on
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day) and day not in stopped:
            remaining -= 1
    return day


# --- supervision levels -----------------------------------------------------------------------


class Level(StrEnum):
    """A case's supervision level; the value is the code stored and synced."""

    NORMAL = "normal"
    REMINDER = "reminder"
    PAUSED = "paused"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.NORMAL: "正常",
    Level.REMINDER: "提醒",
    Level.PAUSED: "暂停计时",
    Level.YELLOW: "黄牌",
    Level.RED: "红牌",
}


@dataclass(frozen=True)
class SupervisionPolicy:
    """The configurable numbers of supervision (DOMAIN: no national thresholds), in working days.

    `reminder_days`: remind while at most this many working days remain (0: on the due day only).
    `yellow_grace_days`: how long a yellow card may stand before it turns red (0: never yellow,
    red the day after the due date).
    """

    reminder_days: int = 1
    yellow_grace_days: int = 3

    def __post_init__(self) -> None:
        if self.reminder_days < 0:
            raise ValueError(f"reminder_days must not be negative: {self.reminder_days}")
        if self.yellow_grace_days < 0:
            raise ValueError(f"yellow_grace_days must not be negative: {self.yellow_grace_days}")


def working_days_left(today: date, due: date, calendar: Calendar) -> int:
    """Working days in (today, due]; past the due date minus those in (due, today], at most -1.

    The worklist sorts by it and shows it through `describe`.
    """
    if today <= due:
        return working_days_between(today, due, calendar)
    return -max(1, working_days_between(due, today, calendar))


def describe(today: date, due: date, calendar: Calendar) -> str:
    """The worklist's phrase: 剩 2 个工作日, 今天到期, 超期 3 个工作日."""
    return describe_left(working_days_left(today, due, calendar))


def describe_left(left: int) -> str:
    """`describe` for a count of working days left already known."""
    if left > 0:
        return f"剩 {left} 个工作日"
    if left == 0:
        return "今天到期"
    return f"超期 {-left} 个工作日"


def supervision_deadline(due: date, policy: SupervisionPolicy, calendar: Calendar) -> date:
    """The last day a yellow card may stand; the case is red from the day after."""
    return add_working_days(due, policy.yellow_grace_days, calendar)


def level(
    today: date,
    *,
    due: date,
    legal_due: date | None,
    policy: SupervisionPolicy,
    calendar: Calendar,
    paused: bool = False,
) -> Level:
    """The supervision level of an open case on `today`.

    `due` is the committed due date and `legal_due` the legal one, both already pushed by the
    pauses (`clock_due`); `legal_due` is None when the item has no separate legal limit.
    `paused` is whether the clock is stopped today.
    """
    if legal_due is not None and today > legal_due:
        return Level.RED
    if today > supervision_deadline(due, policy, calendar):
        return Level.RED
    if paused:
        return Level.PAUSED
    if today > due:
        return Level.YELLOW
    if working_days_left(today, due, calendar) <= policy.reminder_days:
        return Level.REMINDER
    return Level.NORMAL
