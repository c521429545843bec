"""The case lifecycle as one table: (state, action) → new state, and the roles that may act.

DESIGN §5 draws it; this is the only place it is written down. Every service that changes a
case's state asks `transition()` first, so the UI, the CLI and sync cannot disagree with it.
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.accounts.rules import role_label
from counter_tui.cases.record import (
    ACCEPTED,
    APPROVED,
    COMPLETED,
    CORRECTION_REQUESTED,
    DELIVERED,
    DENIED,
    DRAFT,
    HANDED_OFF,
    IN_REVIEW,
    NOTIFIED,
    REFUSED,
    STATE_LABELS,
    SUSPENDED,
    TERMINATED,
    WITHDRAWN,
)
from counter_tui.errors import UserError

WINDOW = frozenset({"clerk", "trainer"})
BACK_OFFICE = frozenset({"approver", "trainer"})

#: Action → what it is called.
ACTIONS = {
    "accept": "受理",
    "notify": "一次性告知",
    "refuse": "不予受理",
    "complete_at_window": "当场办结",
    "terminate": "终止办理",
    "hand_off": "移交后台",
    "claim": "认领",
    "request_correction": "要求补正",
    "resubmit": "补正后重新提交",
    "suspend": "中止",
    "resume": "恢复审查",
    "approve": "准予许可",
    "deny": "不予许可",
    "complete": "办结",
    "deliver": "出件",
    "withdraw": "撤回",
}

#: Actions not taken through `backoffice.act`: the intake's outcomes (and a 即办件 completed at
#: once, in the same step) and 终止办理, which has its own service (cases.commands.terminate).
OUTSIDE_ACT = frozenset({"accept", "notify", "refuse", "complete_at_window", "terminate"})


@dataclass(frozen=True)
class Step:
    to: str
    roles: frozenset[str]


#: Where 终止办理 may end a case whose deferred (容缺) material lapsed: any state after
#: acceptance until the result is out, since no result is released while one is owed
#: (cases.backoffice.deliver) and an approved case must not wait for it for ever.
TERMINABLE = (
    ACCEPTED,
    HANDED_OFF,
    IN_REVIEW,
    CORRECTION_REQUESTED,
    SUSPENDED,
    APPROVED,
    DENIED,
    COMPLETED,
)

#: (state, action) → the state after it and who may take it. Withdrawal is allowed from every
#: open state (the applicant asks, at the window); the back office may also record it.
TRANSITIONS: dict[tuple[str, str], Step] = {
    (DRAFT, "accept"): Step(ACCEPTED, WINDOW),
    (DRAFT, "notify"): Step(NOTIFIED, WINDOW),
    (DRAFT, "refuse"): Step(REFUSED, WINDOW),
    (NOTIFIED, "accept"): Step(ACCEPTED, WINDOW),
    (NOTIFIED, "notify"): Step(NOTIFIED, WINDOW),
    (NOTIFIED, "refuse"): Step(REFUSED, WINDOW),
    (ACCEPTED, "complete_at_window"): Step(COMPLETED, WINDOW),
    (ACCEPTED, "hand_off"): Step(HANDED_OFF, WINDOW),
    (HANDED_OFF, "claim"): Step(IN_REVIEW, BACK_OFFICE),
    (IN_REVIEW, "request_correction"): Step(CORRECTION_REQUESTED, BACK_OFFICE),
    (CORRECTION_REQUESTED, "resubmit"): Step(IN_REVIEW, WINDOW),
    (IN_REVIEW, "suspend"): Step(SUSPENDED, BACK_OFFICE),
    (SUSPENDED, "resume"): Step(IN_REVIEW, BACK_OFFICE),
    (IN_REVIEW, "approve"): Step(APPROVED, BACK_OFFICE),
    (IN_REVIEW, "deny"): Step(DENIED, BACK_OFFICE),
    (APPROVED, "complete"): Step(COMPLETED, BACK_OFFICE),
    (DENIED, "complete"): Step(COMPLETED, BACK_OFFICE),
    (COMPLETED, "deliver"): Step(DELIVERED, WINDOW),
    **{(state, "terminate"): Step(TERMINATED, WINDOW) for state in TERMINABLE},
    **{
        (state, "withdraw"): Step(WITHDRAWN, WINDOW | BACK_OFFICE)
        for state in (
            NOTIFIED,
            ACCEPTED,
            HANDED_OFF,
            IN_REVIEW,
            CORRECTION_REQUESTED,
            SUSPENDED,
        )
    },
}

#: States in which the case is still running against its time limit.
CLOCK_RUNS = frozenset({ACCEPTED, HANDED_OFF, IN_REVIEW})
#: States in which nothing more happens to the case.
FINAL = frozenset({REFUSED, TERMINATED, DELIVERED, WITHDRAWN})


class TransitionRefused(UserError):
    """The action is not allowed for this state or this role; `message` says why, in Chinese."""


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def transition(state: str, action: str, role: str) -> str:
    """The state after `action`, or TransitionRefused naming the state, the action and the role."""
    what = ACTIONS.get(action, action)
    step = TRANSITIONS.get((state, action))
    if step is None:
        allowed = "、".join(ACTIONS[a] for (s, a) in TRANSITIONS if s == state) or "无"
        raise TransitionRefused(f"办件{state_label(state)}，不能{what}（此时可以：{allowed}）")
    if role not in step.roles:
        raise TransitionRefused(f"当前角色（{role_label(role)}）无权{what}")
    return step.to


def actions_for(state: str, role: str) -> list[str]:
    """What `role` may do to a case in `state`, in table order (for menus and key hints)."""
    return [a for (s, a), step in TRANSITIONS.items() if s == state and role in step.roles]


def refusal_after_sync(state: str, action: str) -> str | None:
    """Why `action` cannot take effect on a case in `state` (a conflict lost at the hub: the case
    moved on there while the site that took the action was apart), or None when it can."""
    if (state, action) in TRANSITIONS:
        return None
    return f"办件{state_label(state)}，{ACTIONS.get(action, action)}未生效"


def owner_refusal(case_site: str, actor_site: str, role: str) -> str | None:
    """Why a window's step on a case taken in at another site is refused, or None. A case's
    window steps (hand-off, 补正 papers, delivery, withdrawal at the window …) belong to the
    site that took it in; its back office is the item's department wherever that sits (the
    hub), so approvers are not bound to a site (docs/sync.md, "Conflicts")."""
    if role in WINDOW and case_site != actor_site:
        return f"该办件由站点 {case_site} 受理，窗口环节须在该站点办理"
    return None
