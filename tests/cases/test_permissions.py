"""The permission matrix, enforced by the services on both engines (DESIGN §4.7): for every case
action, each role tries it on a case in the state where the action is possible. The expected
matrix is written out here by hand, from DESIGN §1 and §5, not read from the lifecycle table:
a change to the table that gives a role a new power fails this test until the matrix agrees.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from counter_tui.accounts.rules import ROLES
from counter_tui.actor import Actor
from counter_tui.cases import backoffice
from counter_tui.cases import commands as cases_commands
from counter_tui.cases.backoffice import Delivery
from counter_tui.cases.commands import Outcome
from counter_tui.cases.intake import MISSING, Mark
from counter_tui.cases.lifecycle import TRANSITIONS
from counter_tui.db import write_session
from counter_tui.errors import PermissionDenied, UserError
from tests.cases.catalog import Hall
from tests.cases.helpers import ID_ZHANG, accepted, at, completed, f5, in_review, row

WINDOW = {"clerk", "trainer"}
BACK_OFFICE = {"approver", "trainer"}

#: action → the roles that may take it. Supervisors and administrators act on no case.
EXPECTED: dict[str, set[str]] = {
    "accept": WINDOW,
    "notify": WINDOW,
    "refuse": WINDOW,
    "hand_off": WINDOW,
    "claim": BACK_OFFICE,
    "request_correction": BACK_OFFICE,
    "resubmit": WINDOW,
    "suspend": BACK_OFFICE,
    "resume": BACK_OFFICE,
    "approve": BACK_OFFICE,
    "deny": BACK_OFFICE,
    "complete": BACK_OFFICE,
    "deliver": WINDOW,
    "withdraw": WINDOW | BACK_OFFICE,
}


def handed_off(hall: Hall) -> str:
    case_id = accepted(hall)
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
    return case_id


def step(hall: Hall, action: str, **details: Any) -> Callable[[Hall], str]:
    """A case in review, then `action` by the approver who claimed it (or the clerk)."""

    def setup(hall: Hall) -> str:
        case_id = in_review(hall)
        who = hall.clerk if action == "resubmit" else hall.approver
        with write_session(hall.engine) as s:
            backoffice.act(s, who, action, case_id, now=at(11, 11), **details)
        return case_id

    return setup


def approved(hall: Hall) -> str:
    return step(hall, "approve", decision_number="襄城食许〔2026〕88号")(hall)


CORRECTION = {"corrections": [("application", "缺少签字")], "deadline": date(2026, 11, 20)}

#: action → (how to bring a case to where the action is possible, the action's details).
SETUP: dict[str, tuple[Callable[[Hall], str], dict[str, Any]]] = {
    "hand_off": (accepted, {}),
    "claim": (handed_off, {}),
    "request_correction": (in_review, CORRECTION),
    "resubmit": (lambda h: step(h, "request_correction", **CORRECTION)(h), {}),
    "suspend": (in_review, {"reason": "需要专家评审"}),
    "resume": (lambda h: step(h, "suspend", reason="需要专家评审")(h), {}),
    "approve": (in_review, {"decision_number": "襄城食许〔2026〕88号"}),
    "deny": (in_review, {"decision_number": "襄城食许〔2026〕89号", "reason": "不符合条件"}),
    "complete": (approved, {}),
    "deliver": (completed, {"delivery": Delivery("pickup", "张三", ID_ZHANG)}),
    "withdraw": (in_review, {"reason": "申请人书面申请撤回"}),
}


def as_role(hall: Hall, role: str) -> Actor:
    """The hall's own clerk and approver (who claimed the cases); the other roles as such."""
    if role == "clerk":
        return hall.clerk
    if role == "approver":
        return hall.approver
    return Actor(username=f"{role}1", role=role, site=hall.node.site)


def test_the_matrix_covers_every_action_of_the_lifecycle() -> None:
    # Completing a 即办件 and terminating for lapsed 容缺 are window outcomes of intake, covered
    # with it in tests/cases/test_service.py.
    table_actions = {action for (_, action) in TRANSITIONS} - {"complete_at_window", "terminate"}
    assert set(EXPECTED) == table_actions
    assert set(SETUP) == table_actions - set(INTAKE)


@pytest.mark.parametrize("action", sorted(SETUP))
def test_each_role_may_or_may_not_take_each_back_office_action(hall: Hall, action: str) -> None:
    setup, details = SETUP[action]
    for role in ROLES:
        case_id = setup(hall)
        before = row(hall, case_id).state
        actor = as_role(hall, role)
        if role in EXPECTED[action]:
            with write_session(hall.engine) as s:
                backoffice.act(s, actor, action, case_id, now=at(11, 13), **details)
            assert row(hall, case_id).state != before, (action, role)
        else:
            with (
                pytest.raises((UserError, PermissionDenied), match=ROLES[role]),
                write_session(hall.engine) as s,
            ):
                backoffice.act(s, actor, action, case_id, now=at(11, 13), **details)
            assert row(hall, case_id).state == before, (action, role)


def _accept(s: Session, actor: Actor) -> Outcome:
    return cases_commands.accept(s, actor, f5(), now=at(11, 9))


def _notify(s: Session, actor: Actor) -> Outcome:
    incomplete = f5().with_mark("health_certificate", Mark(MISSING))
    return cases_commands.notify(s, actor, incomplete, now=at(11, 9))


def _refuse(s: Session, actor: Actor) -> Outcome:
    return cases_commands.refuse(s, actor, f5(), reasons="不属于本机关职权范围", now=at(11, 9))


INTAKE = {"accept": _accept, "notify": _notify, "refuse": _refuse}


@pytest.mark.parametrize("action", sorted(INTAKE))
def test_only_the_window_takes_an_application(hall: Hall, action: str) -> None:
    for role in ROLES:
        actor = as_role(hall, role)
        with write_session(hall.engine) as s:
            if role in EXPECTED[action]:
                assert INTAKE[action](s, actor).case.number
            else:
                with pytest.raises(PermissionDenied, match=ROLES[role]):
                    INTAKE[action](s, actor)
