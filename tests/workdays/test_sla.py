"""Time limits with pauses, and the supervision levels: every boundary in working days over the
official 2026 calendar (国庆 Oct 1–7 with make-up Sep 20 and Oct 10, 春节 Feb 15–23 with make-up
Feb 14 and Feb 28), where counting plain days would give a different answer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.workdays.rules import Calendar, add_working_days
from counter_tui.workdays.sla import (
    CORRECTION,
    HEARING,
    LEVEL_LABELS,
    PAUSE_REASONS,
    TESTING,
    Level,
    Pause,
    SupervisionPolicy,
    clock_due,
    describe,
    is_paused,
    level,
    paused_working_days,
    supervision_deadline,
    working_days_left,
)
from tests.workdays.facts import oracle_due, oracle_working
from tests.workdays.helpers import CAL_2026

C = CAL_2026
POLICY = SupervisionPolicy()


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def test_the_calendar_has_the_days_these_tests_rely_on() -> None:
    # Guards the fixtures: if these moved, the boundary tests below would test nothing.
    assert d(11, 9).weekday() == 0 and d(11, 13).weekday() == 4
    assert not C.is_working_day(d(10, 5))  # Monday inside 国庆
    assert C.is_working_day(d(10, 10)) and d(10, 10).weekday() == 5  # make-up Saturday
    assert C.is_working_day(d(9, 20)) and d(9, 20).weekday() == 6  # make-up Sunday
    assert not C.is_working_day(d(9, 25))  # Friday of 中秋


# --- pauses -------------------------------------------------------------------------------------


def test_a_pause_stops_its_start_day_and_the_clock_runs_again_on_its_end_day() -> None:
    # Monday Nov 9 to Wednesday Nov 11: Monday and Tuesday stopped, Wednesday counts.
    pause = Pause(d(11, 9), d(11, 11), CORRECTION)
    assert paused_working_days([pause], C, today=d(11, 30)) == 2
    assert not is_paused([pause], d(11, 8))
    assert is_paused([pause], d(11, 9)) and is_paused([pause], d(11, 10))
    assert not is_paused([pause], d(11, 11))


def test_a_pause_ending_the_day_it_starts_stops_nothing() -> None:
    assert paused_working_days([Pause(d(11, 9), d(11, 9), HEARING)], C, d(11, 30)) == 0


def test_a_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends before"):
        Pause(d(11, 10), d(11, 9), HEARING)


def test_overlapping_pauses_count_a_day_once() -> None:
    # Mon–Thu (Mon, Tue, Wed) and Tue–Fri (Tue, Wed, Thu): Mon–Thu stopped, four days, not six.
    pauses = [Pause(d(11, 9), d(11, 12), CORRECTION), Pause(d(11, 10), d(11, 13), TESTING)]
    assert paused_working_days(pauses, C, d(11, 30)) == 4
    # A pause inside another adds nothing.
    inner = Pause(d(11, 10), d(11, 11), HEARING)
    assert paused_working_days([*pauses, inner], C, d(11, 30)) == 4


def test_a_pause_over_a_holiday_counts_only_its_working_days() -> None:
    # Sep 30 (Wed) to Oct 9 (Fri): Sep 30 and Oct 8 are working; Oct 1–7 is 国庆. Ten plain days.
    pause = Pause(d(9, 30), d(10, 9), TESTING)
    assert paused_working_days([pause], C, d(10, 30)) == 2


def test_a_make_up_saturday_in_a_pause_is_a_stopped_working_day() -> None:
    # Fri Oct 9 to Mon Oct 12: Friday and the make-up Saturday Oct 10 are stopped; Sunday is off.
    pause = Pause(d(10, 9), d(10, 12), CORRECTION)
    assert paused_working_days([pause], C, d(10, 30)) == 2


def test_an_open_pause_counts_up_to_and_including_today() -> None:
    pause = Pause(d(11, 9), None, HEARING)
    assert pause.is_open
    assert paused_working_days([pause], C, today=d(11, 9)) == 1
    assert paused_working_days([pause], C, today=d(11, 11)) == 3
    assert paused_working_days([pause], C, today=d(11, 15)) == 5  # Sunday: still Mon–Fri
    assert paused_working_days([pause], C, today=d(11, 8)) == 0  # before it starts
    assert is_paused([pause], d(11, 20))


# --- due dates ----------------------------------------------------------------------------------


def test_without_pauses_the_due_date_is_the_plain_working_day_count() -> None:
    # Accepted Wed Sep 30, 5 working days: Oct 8, 9, 10 (make-up Sat), 12, 13.
    assert clock_due(d(9, 30), 5, C, [], today=d(9, 30)) == d(10, 13)
    assert clock_due(d(9, 30), 5, C, [], d(9, 30)) == add_working_days(d(9, 30), 5, C)
    assert clock_due(d(11, 9), 0, C, [], d(11, 9)) == d(11, 9)  # 即办件


@given(
    st.integers(min_value=0, max_value=420).map(lambda n: date(2026, 1, 1) + timedelta(days=n)),
    st.integers(min_value=0, max_value=40),
)
def test_without_pauses_clock_due_is_add_working_days(start: date, days: int) -> None:
    assert clock_due(start, days, C, [], start) == add_working_days(start, days, C)
    assert clock_due(start, days, C, [], start) == oracle_due(start, days)


def test_a_closed_pause_pushes_the_due_date_by_its_working_days() -> None:
    # Accepted Mon Nov 2, 10 working days: due Mon Nov 16. Correction Thu Nov 5 – Tue Nov 10
    # stops Thu, Fri, Mon (3 working days; the weekend was off): due Thu Nov 19.
    assert clock_due(d(11, 2), 10, C, [], d(11, 2)) == d(11, 16)
    pause = Pause(d(11, 5), d(11, 10), CORRECTION)
    assert clock_due(d(11, 2), 10, C, [pause], today=d(11, 20)) == d(11, 19)


def test_a_pause_over_a_holiday_pushes_by_its_working_days_only() -> None:
    # Accepted Tue Sep 29, 3 days: Sep 30, Oct 8, Oct 9. Testing Sep 30 – Oct 9 stops Sep 30 and
    # Oct 8, so the three days are Oct 9, Oct 10 (make-up Saturday), Oct 12.
    assert clock_due(d(9, 29), 3, C, [], d(9, 29)) == d(10, 9)
    pause = Pause(d(9, 30), d(10, 9), TESTING)
    assert clock_due(d(9, 29), 3, C, [pause], today=d(10, 9)) == d(10, 12)


def test_a_pause_covering_a_make_up_saturday_pushes_by_that_saturday() -> None:
    # Accepted Thu Oct 8, 3 days: Oct 9, Oct 10 (Sat, make-up), Oct 12. A pause Sat Oct 10 – Mon
    # Oct 12 stops the make-up day, so the third day is Tue Oct 13.
    assert clock_due(d(10, 8), 3, C, [], d(10, 8)) == d(10, 12)
    pause = Pause(d(10, 10), d(10, 12), HEARING)
    assert clock_due(d(10, 8), 3, C, [pause], today=d(10, 20)) == d(10, 13)
    # A pause over the plain Sunday next to it stops nothing that counts.
    sunday = Pause(d(10, 11), d(10, 12), HEARING)
    assert clock_due(d(10, 8), 3, C, [sunday], today=d(10, 20)) == d(10, 12)


def test_an_open_pause_keeps_pushing_the_due_date_as_today_advances() -> None:
    # Accepted Mon Nov 2, 5 days: due Mon Nov 9. Expert review opened Thu Nov 5 (day 3 of 5 is
    # stopped), so 3 days remain after whatever today is.
    pauses = [Pause(d(11, 5), None, "expert_review")]
    assert clock_due(d(11, 2), 5, C, [], d(11, 2)) == d(11, 9)
    assert clock_due(d(11, 2), 5, C, pauses, today=d(11, 5)) == d(11, 10)  # Fri, Mon, Tue
    assert clock_due(d(11, 2), 5, C, pauses, today=d(11, 6)) == d(11, 11)
    # The weekend is off anyway: Saturday and Sunday push nothing more.
    assert clock_due(d(11, 2), 5, C, pauses, today=d(11, 7)) == d(11, 11)
    assert clock_due(d(11, 2), 5, C, pauses, today=d(11, 8)) == d(11, 11)
    assert clock_due(d(11, 2), 5, C, pauses, today=d(11, 9)) == d(11, 12)
    # Closed on Tue Nov 10: the clock runs again that day and the date stops moving.
    closed = [Pause(d(11, 5), d(11, 10), "expert_review")]
    assert clock_due(d(11, 2), 5, C, closed, today=d(11, 30)) == d(11, 12)


def test_an_open_pause_over_the_holiday_pushes_only_on_working_days() -> None:
    # Accepted Mon Sep 28, 2 days: Sep 29, Sep 30. Paused from Sep 30: one day remains after today.
    pauses = [Pause(d(9, 30), None, HEARING)]
    assert clock_due(d(9, 28), 2, C, pauses, today=d(9, 30)) == d(10, 8)
    assert clock_due(d(9, 28), 2, C, pauses, today=d(10, 7)) == d(10, 8)  # all of 国庆
    assert clock_due(d(9, 28), 2, C, pauses, today=d(10, 9)) == d(10, 10)  # make-up Saturday


def test_the_acceptance_day_in_a_pause_pushes_nothing() -> None:
    # The acceptance day never counts, so stopping it changes nothing; stopping the next does.
    assert clock_due(d(11, 2), 5, C, [Pause(d(11, 2), d(11, 3), CORRECTION)], d(11, 30)) == d(11, 9)
    assert clock_due(d(11, 2), 5, C, [Pause(d(11, 2), d(11, 4), CORRECTION)], d(11, 30)) == d(
        11, 10
    )


def test_a_pause_begun_after_the_due_date_does_not_rescue_an_overdue_case() -> None:
    # Due Mon Nov 9; a hearing from Wed Nov 11 (open or closed) leaves it due Nov 9.
    late = [Pause(d(11, 11), None, HEARING)]
    assert clock_due(d(11, 2), 5, C, late, today=d(11, 16)) == d(11, 9)
    # Begun on the due day itself, it does push: the due day had not been used yet.
    on_the_day = [Pause(d(11, 9), d(11, 10), HEARING)]
    assert clock_due(d(11, 2), 5, C, on_the_day, today=d(11, 16)) == d(11, 10)


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        clock_due(d(11, 2), -1, C, [], d(11, 2))


stopped_spans = st.lists(
    st.tuples(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=12)),
    max_size=4,
)


@given(
    st.integers(min_value=0, max_value=330).map(lambda n: date(2026, 1, 1) + timedelta(days=n)),
    st.integers(min_value=1, max_value=30),
    stopped_spans,
)
def test_the_due_date_is_the_day_the_running_working_days_reach_the_limit(
    start: date, days: int, spans: list[tuple[int, int]]
) -> None:
    # Characterised independently: (start, due] holds exactly `days` working days not stopped,
    # and due itself is one of them, so no earlier day would do.
    pauses = [
        Pause(start + timedelta(days=a), start + timedelta(days=a + n), CORRECTION)
        for a, n in spans
    ]
    stopped = {
        start + timedelta(days=a + i) for a, n in spans for i in range(n)
    }  # [start, end) written out again
    end = clock_due(start, days, C, pauses, today=start)

    def running(day: date) -> bool:
        return oracle_working(day) and day not in stopped

    count = sum(running(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert count == days
    assert running(end)


# --- days left and the phrases ------------------------------------------------------------------


def test_working_days_left_is_zero_on_the_due_day_and_counts_working_days_before_it() -> None:
    due = d(11, 11)  # Wednesday
    assert working_days_left(d(11, 11), due, C) == 0
    assert working_days_left(d(11, 10), due, C) == 1
    assert working_days_left(d(11, 6), due, C) == 3  # Fri → Mon, Tue, Wed
    assert working_days_left(d(11, 12), due, C) == -1
    assert working_days_left(d(11, 16), due, C) == -3  # Thu, Fri, Mon


def test_overdue_over_a_weekend_is_at_least_one_day_overdue() -> None:
    # Due Friday Nov 13: Saturday and Sunday are overdue by one (nothing is "due today"), Monday
    # is one working day overdue, Tuesday two.
    due = d(11, 13)
    assert working_days_left(d(11, 14), due, C) == -1
    assert working_days_left(d(11, 15), due, C) == -1
    assert working_days_left(d(11, 16), due, C) == -1
    assert working_days_left(d(11, 17), due, C) == -2
    # Due Thursday: by Saturday, Friday has been missed — one, not two.
    assert working_days_left(d(11, 14), d(11, 12), C) == -1


def test_days_left_over_national_day_skip_the_holiday() -> None:
    # Due Thu Oct 8, the first working day after 国庆: Sep 30 has one left, not eight.
    assert working_days_left(d(9, 30), d(10, 8), C) == 1
    assert working_days_left(d(10, 5), d(10, 8), C) == 1
    assert working_days_left(d(9, 29), d(10, 8), C) == 2
    # Due Sep 30, on Oct 7 nothing working has passed: one overdue, on Oct 8 still one.
    assert working_days_left(d(10, 7), d(9, 30), C) == -1
    assert working_days_left(d(10, 8), d(9, 30), C) == -1
    assert working_days_left(d(10, 10), d(9, 30), C) == -3  # Oct 8, 9, 10 (make-up Saturday)


def test_describe_gives_the_worklist_phrases() -> None:
    due = d(11, 11)
    assert describe(d(11, 9), due, C) == "剩 2 个工作日"
    assert describe(d(11, 10), due, C) == "剩 1 个工作日"
    assert describe(d(11, 11), due, C) == "今天到期"
    assert describe(d(11, 12), due, C) == "超期 1 个工作日"
    assert describe(d(11, 16), due, C) == "超期 3 个工作日"


# --- levels -------------------------------------------------------------------------------------


def at(
    today: date,
    due: date,
    legal_due: date | None = None,
    *,
    policy: SupervisionPolicy = POLICY,
    paused: bool = False,
) -> Level:
    return level(today, due=due, legal_due=legal_due, policy=policy, calendar=C, paused=paused)


def test_the_levels_at_each_boundary_of_the_committed_date() -> None:
    due, legal = d(11, 11), d(11, 25)  # Wednesdays
    assert at(d(11, 9), due, legal) is Level.NORMAL  # two working days left
    assert at(d(11, 10), due, legal) is Level.REMINDER  # the day before
    assert at(d(11, 11), due, legal) is Level.REMINDER  # the due date itself
    assert at(d(11, 12), due, legal) is Level.YELLOW  # the day after


def test_red_once_the_legal_date_has_passed_not_on_it() -> None:
    due, legal = d(11, 11), d(11, 12)
    assert at(d(11, 12), due, legal) is Level.YELLOW
    assert at(d(11, 13), due, legal) is Level.RED


def test_a_yellow_card_standing_past_its_grace_turns_red_before_the_legal_date() -> None:
    # Due Wed Nov 11, grace 3 working days: Thu 12, Fri 13, Mon 16 yellow; Tue 17 red, though the
    # legal date (Nov 25) is still ahead.
    due, legal = d(11, 11), d(11, 25)
    assert supervision_deadline(due, POLICY, C) == d(11, 16)
    for day in (d(11, 12), d(11, 13), d(11, 14), d(11, 15), d(11, 16)):
        assert at(day, due, legal) is Level.YELLOW, day
    assert at(d(11, 17), due, legal) is Level.RED
    assert at(d(11, 17), due, None) is Level.RED  # no separate legal limit


def test_the_yellow_grace_is_counted_in_working_days_over_the_holiday() -> None:
    # Due Wed Sep 30: the grace is Oct 8, 9 and the make-up Saturday Oct 10 — a week of 国庆
    # (eight plain days) is still yellow, and red comes on Sunday Oct 11.
    due = d(9, 30)
    assert supervision_deadline(due, POLICY, C) == d(10, 10)
    assert at(d(10, 7), due) is Level.YELLOW
    assert at(d(10, 10), due) is Level.YELLOW
    assert at(d(10, 11), due) is Level.RED


def test_the_reminder_is_counted_in_working_days_over_a_weekend() -> None:
    # Due Monday Nov 16: Friday is the working day before (reminder), Thursday is not.
    due = d(11, 16)
    assert at(d(11, 12), due) is Level.NORMAL
    assert at(d(11, 13), due) is Level.REMINDER
    assert at(d(11, 14), due) is Level.REMINDER


def test_the_reminder_is_counted_in_working_days_over_national_day() -> None:
    # Due Thu Oct 8: the last working day before 国庆 (Wed Sep 30) reminds, eight plain days
    # ahead; Tue Sep 29 does not. (The Friday before, Sep 25, is itself 中秋.)
    due = d(10, 8)
    assert at(d(9, 29), due) is Level.NORMAL
    assert at(d(9, 30), due) is Level.REMINDER
    assert at(d(10, 3), due) is Level.REMINDER


def test_a_make_up_day_counts_toward_the_days_left() -> None:
    # Due Mon Oct 12: on Fri Oct 9 two working days remain, Sat Oct 10 (调休上班) and Monday, so
    # no reminder yet; on that Saturday one remains. Likewise Sun Sep 20 before Mon Sep 21.
    assert at(d(10, 9), d(10, 12)) is Level.NORMAL
    assert at(d(10, 10), d(10, 12)) is Level.REMINDER
    assert at(d(9, 19), d(9, 21)) is Level.NORMAL
    assert at(d(9, 20), d(9, 21)) is Level.REMINDER


def test_the_policy_numbers_move_the_boundaries() -> None:
    due = d(11, 11)
    wide = SupervisionPolicy(reminder_days=2)
    assert at(d(11, 9), due, policy=wide) is Level.REMINDER
    assert at(d(11, 6), due, policy=wide) is Level.NORMAL
    same_day = SupervisionPolicy(reminder_days=0)
    assert at(d(11, 10), due, policy=same_day) is Level.NORMAL
    assert at(d(11, 11), due, policy=same_day) is Level.REMINDER
    no_grace = SupervisionPolicy(yellow_grace_days=0)
    assert at(d(11, 12), due, policy=no_grace) is Level.RED


def test_a_policy_with_negative_numbers_is_refused() -> None:
    with pytest.raises(ValueError, match="reminder_days"):
        SupervisionPolicy(reminder_days=-1)
    with pytest.raises(ValueError, match="yellow_grace_days"):
        SupervisionPolicy(yellow_grace_days=-1)


def test_a_paused_case_shows_paused_unless_it_is_red() -> None:
    due, legal = d(11, 11), d(11, 25)
    assert at(d(11, 2), due, legal, paused=True) is Level.PAUSED  # would be normal
    assert at(d(11, 11), due, legal, paused=True) is Level.PAUSED  # would be a reminder
    assert at(d(11, 12), due, legal, paused=True) is Level.PAUSED  # would be yellow
    # The supervision deadline and the legal date still apply.
    assert at(d(11, 17), due, legal, paused=True) is Level.RED
    assert at(d(11, 26), d(11, 30), legal, paused=True) is Level.RED


def test_an_open_pause_keeps_a_case_off_yellow_through_its_due_date() -> None:
    # End to end: accepted Mon Nov 2 for 5 days (due Nov 9), paused from Thu Nov 5. On Nov 12 the
    # pushed date is Tue Nov 17 and the case shows 暂停计时; had it not been paused, yellow.
    pauses = [Pause(d(11, 5), None, HEARING)]
    today = d(11, 12)
    due = clock_due(d(11, 2), 5, C, pauses, today)
    assert due == d(11, 17)  # Fri 13, Mon 16, Tue 17 after today
    assert at(today, due, paused=is_paused(pauses, today)) is Level.PAUSED
    assert at(today, clock_due(d(11, 2), 5, C, [], today)) is Level.YELLOW


def test_levels_and_reasons_have_chinese_labels() -> None:
    assert [lv.label for lv in Level] == ["正常", "提醒", "暂停计时", "黄牌", "红牌"]
    assert set(LEVEL_LABELS) == set(Level)
    assert Level.YELLOW == "yellow"  # the stored code
    assert PAUSE_REASONS[CORRECTION] == "补正材料"


def test_a_calendar_without_the_arrangement_gives_other_answers() -> None:
    # The same question over the weekend rule alone: six working days left, not one — the
    # reminder tests above rest on the arrangement.
    bare = Calendar(official_years=frozenset({2026}))
    assert working_days_left(d(9, 30), d(10, 8), bare) == 6
    assert working_days_left(d(9, 30), d(10, 8), C) == 1
