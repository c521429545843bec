"""Who must see an event besides the site that made it: its *audience* (docs/sync.md, "What a
site sees"). Every node sets it when it stores an event; only a hub's pull reads it.

A case's events go to the site that took the case in, and to no other: never another village's
applicants. A rating (`rating.*`, its follow-up's steps too) goes where the case it rates goes:
a phone (12345 回访) or online rating recorded at the hub for a village's case reaches the
village; a rating of a ticket alone names no case and stays at its own site. Hard cases
(`feedback.hard_case_*`) and assisted service (`assistance.*`) name no case (only its number,
as text) and stay at the site that opened them, by the default. Reference data (sites, the
catalog, the calendar) goes to everyone. Queue steps and sign-ins stay where they happened: the
hub holds them in the site's chain, nobody pulls them.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from counter_tui.journal.models import Event

#: Audience of an event every site must see.
EVERYONE = "*"
#: Type prefixes every site receives.
_EVERYONE = ("site.", "catalog.", "calendar.")
#: Type prefixes nobody else receives.
_NOBODY = ("queue.", "login.")
#: Type prefixes that go to the site of the case their payload names (`subject`).
_CASE_SUBJECT = ("case.", "rating.")


def subject_of(payload: dict[str, Any]) -> str | None:
    """The case an event is about, if any."""
    case_id = payload.get("case_id")
    return case_id if isinstance(case_id, str) else None


def audience(session: Session, event: Event) -> str | None:
    """The site (or EVERYONE) that must see `event`, None when no other site must; read after the
    event is applied, so the rows it names exist."""
    kind = event.type
    if kind.startswith(_EVERYONE):
        return EVERYONE
    if kind.startswith(_NOBODY):
        return None
    if kind.startswith(_CASE_SUBJECT):
        from counter_tui.cases.models import Case

        case = session.get(Case, event.subject) if event.subject else None
        return case.site if case is not None else event.site
    if kind.startswith("user."):
        from counter_tui.accounts.models import UserAccount

        data = json.loads(event.payload)
        site = data.get("site")
        if isinstance(site, str) and site:
            return site
        user = session.get(UserAccount, data.get("id", ""))
        return user.site if user is not None else event.site
    # feedback.hard_case_*, assistance.*, and a type this program does not know (a newer
    # node's): the site that made it, the safe default.
    return event.site
