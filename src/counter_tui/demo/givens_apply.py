"""How each `given:` is applied: through the services, in the run's start() transaction
(demo.givens declares the vocabulary; this module does the work).

Each given acts as the scenario's own actor (`demo:scenario`) in the role that step needs, not
as the trainee: a timeline shows who did what, and a permission check still applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from counter_tui.actor import Actor
from counter_tui.demo.scenario import Clause

#: How the journal names the actor of every given (never a real account).
SCENARIO_ACTOR = "demo:scenario"


@dataclass(frozen=True)
class Setting:
    """Where givens are applied: the node's site, the demo's now, the labels bound so far."""

    site: str
    now: datetime
    labels: dict[str, str]


def apply(session: Session, clause: Clause, setting: Setting) -> str:
    """Apply one given (accepted by demo.givens.problem) through the services; the id of what
    it made (what `as=` binds)."""
    return APPLIERS[clause.kind](session, clause, setting)


def actor(setting: Setting, role: str, *, department: str | None = None) -> Actor:
    """The scenario's actor in `role` (a permission check still applies to what it does)."""
    return Actor(
        username=SCENARIO_ACTOR,
        role=role,
        site=setting.site,
        department=department,
        window="99",
    )


def ticket(session: Session, clause: Clause, setting: Setting) -> str:
    from counter_tui.queue.commands import issue

    made = issue(
        session,
        actor(setting, "clerk"),
        clause.params["category"],
        priority_reason=clause.params.get("priority", ""),
        applicant_name=clause.params.get("name", ""),
        now=setting.now,
    )
    return made.id


def _not_yet(session: Session, clause: Clause, setting: Setting) -> str:
    raise NotImplementedError(f"given {clause.kind} comes in the next commit")


APPLIERS: dict[str, Callable[[Session, Clause, Setting], str]] = {
    "ticket": ticket,
    "appointment": _not_yet,
    "case": _not_yet,
    "rating": _not_yet,
}
