"""The assistance capability's event type and its payload (the catalogue: docs/events.md)."""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.journal.events import declare

ASSIST_RECORDED = "assistance.recorded"


@declare(ASSIST_RECORDED)
@dataclass(frozen=True, kw_only=True)
class AssistRecorded:
    """帮代办 given by `assistant` (the user who helped: the event's actor) at `at`."""

    assist_id: str
    at: str
    assistant: str
    #: window, home, mail (assistance.rules.WAYS).
    way: str
    #: elderly, disabled, enterprise, other (assistance.rules.FOR_WHOM).
    for_whom: str
    minutes: int
    note: str = ""
    #: The case it was for, if any.
    case_number: str = ""
