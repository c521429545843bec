"""The feedback capability's event types and their payloads (the catalogue: docs/events.md).

Times are ISO 8601 strings with their offset, dates ISO dates, so replay never reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.journal.events import declare

# --- hard cases (办不成事, H3) ----------------------------------------------------------------

HARD_CASE_OPENED = "feedback.hard_case_opened"
HARD_CASE_INFORMED = "feedback.hard_case_informed"
HARD_CASE_COORDINATED = "feedback.hard_case_coordinated"
HARD_CASE_REPLIED = "feedback.hard_case_replied"
HARD_CASE_SUPERVISED = "feedback.hard_case_supervised"
HARD_CASE_CONCLUDED = "feedback.hard_case_concluded"
HARD_CASE_VISITED = "feedback.hard_case_visited"


@declare(HARD_CASE_OPENED)
@dataclass(frozen=True, kw_only=True)
class HardCaseOpened:
    """受理: the applicant and the problem, and where it came from."""

    hard_case_id: str
    number: str
    day: str
    seq: int
    at: str
    kind: str
    problem: str
    applicant_name: str
    #: An ID number (its type in `id_type`) or a phone, or both; one at least.
    id_type: str = ""
    id_number: str = ""
    phone: str = ""
    #: ticket, case or walk_in (feedback.rules.HARD_CASE_ORIGINS).
    origin: str = "walk_in"
    ticket_id: str | None = None
    ticket_number: str = ""
    case_number: str = ""


@dataclass(frozen=True, kw_only=True)
class HardCaseStep:
    hard_case_id: str
    at: str


@declare(HARD_CASE_INFORMED)
@dataclass(frozen=True, kw_only=True)
class HardCaseInformed(HardCaseStep):
    """告知: what the applicant was told (the policy, what happens next)."""

    note: str


@declare(HARD_CASE_COORDINATED)
@dataclass(frozen=True, kw_only=True)
class HardCaseCoordinated(HardCaseStep):
    """协调: a department asked to help, with its reply deadline (working days, counted)."""

    request_id: str
    department: str
    request: str
    days: int
    due: str


@declare(HARD_CASE_REPLIED)
@dataclass(frozen=True, kw_only=True)
class HardCaseReplied(HardCaseStep):
    request_id: str
    reply: str


@declare(HARD_CASE_SUPERVISED)
@dataclass(frozen=True, kw_only=True)
class HardCaseSupervised(HardCaseStep):
    """督办: a supervisor presses a department whose deadline passed; a new deadline."""

    request_id: str
    note: str
    days: int
    due: str


@declare(HARD_CASE_CONCLUDED)
@dataclass(frozen=True, kw_only=True)
class HardCaseConcluded(HardCaseStep):
    """办结: 办成 or 依法不能办理, with the explanation given to the applicant."""

    outcome: str
    explanation: str


@declare(HARD_CASE_VISITED)
@dataclass(frozen=True, kw_only=True)
class HardCaseVisited(HardCaseStep):
    """回访: the applicant's verdict; the loop is closed."""

    verdict: str
    note: str = ""
