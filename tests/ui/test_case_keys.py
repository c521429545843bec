"""The case detail's keys are one table (ui/screens/case_keys.py): every lifecycle action taken
on an existing case has exactly one row, with a key of its own."""

from __future__ import annotations

from textual.binding import Binding

from counter_tui.cases.lifecycle import ACTIONS, OUTSIDE_ACT
from counter_tui.ui.screens.case_detail import CaseDetailScreen
from counter_tui.ui.screens.case_keys import CASE_KEYS

#: Lifecycle actions taken elsewhere (lifecycle.OUTSIDE_ACT): the intake's outcomes (F8, F7, F10
#: and a 即办件 done at once) and 终止办理, which the deferrals dialog offers for a lapsed 容缺
#: material.
ELSEWHERE = OUTSIDE_ACT


def test_every_action_on_a_case_has_one_row() -> None:
    actions = [k.action for k in CASE_KEYS]
    assert len(actions) == len(set(actions))
    assert set(actions) == set(ACTIONS) - ELSEWHERE


def test_each_row_has_a_key_of_its_own_on_the_case_detail() -> None:
    keys = [b.key for b in CaseDetailScreen.BINDINGS if isinstance(b, Binding)]
    assert len(keys) == len(set(keys))
    assert [k.key for k in CASE_KEYS] == keys[: len(CASE_KEYS)]  # in the table's order
