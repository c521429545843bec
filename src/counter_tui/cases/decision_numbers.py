"""The next decision number (决定文书编号) a department would give, from the last one it gave,
so that the approver confirms it instead of typing `襄城市监准字〔2026〕第0012号` again.

Approvals (准予) and denials (不予许可) are numbered apart, as departments number their
decisions (准字 / 不准字), so each follows the last decision of its own kind. A department
numbers by year: the year in the number becomes this year, and a new year starts again at 1.
The number is only offered; the approver may change it, and the service records what they
confirm. Read from the cases' timeline (case_step): no schema of its own.
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from counter_tui.cases import events as ev
from counter_tui.cases.models import Case, CaseStep

_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"(19|20)\d\d")
_CLOSING = "〕]）)】］"


def next_number(last: str, year: int) -> str | None:
    """The number after `last` in `year`: its last run of digits plus one (keeping any zero
    padding), or 1 when the year written in it (the four-digit run before it) is not `year`.
    None when `last` has no running number to follow (only a year, or no digits at all)."""
    runs = list(_DIGITS.finditer(last))
    if not runs:
        return None
    seq = runs[-1]
    if _YEAR.fullmatch(seq.group()) and last[seq.end() : seq.end() + 1] in tuple(_CLOSING):
        return None  # `〔2026〕号`: a year, no running number
    years = [r for r in runs[:-1] if _YEAR.fullmatch(r.group())]
    # `第0012号` is padded to its width; `88号` is not.
    width = len(seq.group()) if seq.group().startswith("0") else 1
    following = int(seq.group()) + 1
    text = last
    if years and int(years[-1].group()) != year:
        following = 1
        at = years[-1]
        text = f"{last[: at.start()]}{year}{last[at.end() :]}"
    return f"{text[: seq.start()]}{following:0{width}d}{text[seq.end() :]}"


def last_decision_number(session: Session, department: str, *, approve: bool) -> str | None:
    """The number of the department's latest approval (or denial), by when it was made."""
    kind = ev.CASE_APPROVED if approve else ev.CASE_DENIED
    statement = (
        select(Case.decision_number)
        .join(CaseStep, col(CaseStep.case_id) == col(Case.id))
        .where(Case.department == department, CaseStep.type == kind, Case.decision_number != "")
        .order_by(col(CaseStep.at).desc(), col(CaseStep.event_id).desc())
        .limit(1)
    )
    return session.exec(statement).first()


def suggested_number(session: Session, department: str, *, approve: bool, year: int) -> str:
    """What the form offers: the next number after the department's last one, or "" when it
    has none yet (the form then shows the pattern to complete)."""
    last = last_decision_number(session, department, approve=approve)
    return (next_number(last, year) or "") if last else ""
