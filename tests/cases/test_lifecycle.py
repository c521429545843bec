"""The lifecycle table: every state change, who may make it, and what is refused."""

from __future__ import annotations

import pytest

from counter_tui.accounts.rules import ROLES
from counter_tui.cases import lifecycle
from counter_tui.cases.lifecycle import (
    APPROVED,
    CORRECTION_REQUESTED,
    DELIVERED,
    DENIED,
    FINAL,
    HANDED_OFF,
    IN_REVIEW,
    SUSPENDED,
    TRANSITIONS,
    WITHDRAWN,
    TransitionRefused,
    actions_for,
    transition,
)
from counter_tui.cases.record import ACCEPTED, COMPLETED, DRAFT, NOTIFIED, REFUSED, TERMINATED

#: The path of DESIGN §5, as (state, action, role, next state).
MAIN_PATH = [
    (DRAFT, "notify", "clerk", NOTIFIED),
    (NOTIFIED, "accept", "clerk", ACCEPTED),
    (ACCEPTED, "hand_off", "clerk", HANDED_OFF),
    (HANDED_OFF, "claim", "approver", IN_REVIEW),
    (IN_REVIEW, "request_correction", "approver", CORRECTION_REQUESTED),
    (CORRECTION_REQUESTED, "resubmit", "clerk", IN_REVIEW),
    (IN_REVIEW, "suspend", "approver", SUSPENDED),
    (SUSPENDED, "resume", "approver", IN_REVIEW),
    (IN_REVIEW, "approve", "approver", APPROVED),
    (APPROVED, "complete", "approver", COMPLETED),
    (COMPLETED, "deliver", "clerk", DELIVERED),
]


@pytest.mark.parametrize(("state", "action", "role", "after"), MAIN_PATH)
def test_the_main_path(state: str, action: str, role: str, after: str) -> None:
    assert transition(state, action, role) == after


def test_deny_also_ends_in_completed_then_delivery() -> None:
    assert transition(IN_REVIEW, "deny", "approver") == DENIED
    assert transition(DENIED, "complete", "approver") == COMPLETED


def test_an_instant_item_completes_at_the_window() -> None:
    assert transition(ACCEPTED, "complete_at_window", "clerk") == COMPLETED


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [
        (HANDED_OFF, "claim", "clerk"),  # a clerk cannot approve or review
        (IN_REVIEW, "approve", "clerk"),
        (CORRECTION_REQUESTED, "resubmit", "approver"),  # the window takes the new papers
        (COMPLETED, "deliver", "approver"),
        (ACCEPTED, "hand_off", "supervisor"),  # supervisors watch, they do not act
        (IN_REVIEW, "approve", "admin"),
    ],
)
def test_the_wrong_role_is_refused_by_name(state: str, action: str, role: str) -> None:
    with pytest.raises(TransitionRefused, match=f"当前角色（{ROLES[role]}）无权"):
        transition(state, action, role)


def test_an_action_out_of_order_says_what_is_possible() -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(ACCEPTED, "approve", "approver")
    assert refused.value.message.startswith("办件已受理，不能准予许可")
    assert "移交后台" in refused.value.message


@pytest.mark.parametrize(
    "state", [NOTIFIED, ACCEPTED, HANDED_OFF, IN_REVIEW, CORRECTION_REQUESTED, SUSPENDED]
)
def test_withdrawal_from_every_open_state(state: str) -> None:
    assert transition(state, "withdraw", "clerk") == WITHDRAWN
    assert transition(state, "withdraw", "approver") == WITHDRAWN


@pytest.mark.parametrize("state", sorted(FINAL | {COMPLETED}))
def test_nothing_but_delivery_after_the_end(state: str) -> None:
    """A completed case is delivered, or terminated when a 容缺 material lapsed; a final one
    takes nothing more."""
    actions = {a for (s, a) in TRANSITIONS if s == state}
    assert actions <= {"deliver", "terminate"}
    assert (state == COMPLETED) == bool(actions)


def test_actions_for_lists_what_a_role_may_do() -> None:
    assert actions_for(IN_REVIEW, "approver") == [
        "request_correction",
        "suspend",
        "approve",
        "deny",
        "withdraw",
    ]
    # terminate: the service takes it only when a deferred (容缺) material has lapsed.
    assert actions_for(IN_REVIEW, "clerk") == ["terminate", "withdraw"]
    assert actions_for(IN_REVIEW, "supervisor") == []


def test_every_state_reached_has_a_label_and_every_action_a_name() -> None:
    for (state, action), step in TRANSITIONS.items():
        for s in (state, step.to):
            assert lifecycle.state_label(s) != s, s
        assert action in lifecycle.ACTIONS
    assert REFUSED in FINAL and TERMINATED in FINAL


def test_a_refusal_after_sync_names_the_state_as_people_say_it() -> None:
    from counter_tui.cases.lifecycle import refusal_after_sync

    assert refusal_after_sync("completed", "withdraw") == "办件已办结，撤回未生效"
    assert refusal_after_sync("approved", "withdraw") == "办件准予许可，撤回未生效"
    assert refusal_after_sync("accepted", "withdraw") is None  # it still can: no conflict
