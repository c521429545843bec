"""Reading open cases against their time limits: the approver's worklist and the overdue list;
finding a case by number (whole or short), ID number, phone or name.

The level of each case (正常/提醒/暂停计时/黄牌/红牌) is computed here from its due dates, not
stored: it changes with the calendar day, not with events. Who sees an applicant's full name is
decided here too (`applicant_for`), so no screen or printout can forget to mask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from counter_tui.actor import Actor
from counter_tui.applicants import mask_name
from counter_tui.cases.lifecycle import state_label
from counter_tui.cases.models import Case
from counter_tui.cases.record import (
    ACCEPTED,
    COMPLETED,
    CORRECTION_REQUESTED,
    HANDED_OFF,
    IN_REVIEW,
    SUSPENDED,
)
from counter_tui.clock import to_local
from counter_tui.workdays.rules import Calendar, add_working_days
from counter_tui.workdays.service import calendar_for
from counter_tui.workdays.sla import (
    Level,
    SupervisionPolicy,
    describe_left,
    level,
    working_days_left,
)

#: 421202-XA-BYQ-261122-0007 (a site code, yymmdd, four digits), or a number given before
#: issue 14, XA-BYQ-20261122-0007 (the site code less its division code, yyyymmdd).
CASE_NUMBER = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*-(\d{6}|\d{8})-\d{4}$")
#: A case's short number as a clerk types it: its sequence (3, 0003), or with its day
#: (1123-0003, 261123-0003).
SHORT_NUMBER = re.compile(r"^(?:(\d{4}|\d{6})-)?(\d{1,4})$")
#: Roles that work a site's own cases face to face and so see its applicants' names in full.
FULL_NAME_ROLES = frozenset({"clerk", "trainer"})
#: An identity number or 统一社会信用代码 as normalised: letters and digits, 8 to 18 of them,
#: at least 8 digits (an 11-digit mobile number is taken as a phone first).
ID_LIKE = re.compile(r"^(?=(?:\D*\d){8})[0-9A-Z]{8,18}$")

#: Cases the back office still has to decide: the approver's worklist.
BACK_OFFICE_STATES = (HANDED_OFF, IN_REVIEW, CORRECTION_REQUESTED, SUSPENDED)
#: Cases whose time limit is still running or stopped: what supervision watches.
OPEN_STATES = (ACCEPTED, *BACK_OFFICE_STATES)
#: What the window still owes a case: hand it off (已受理), take the corrected papers (待补正),
#: hand out the result (已办结, 待出件).
WINDOW_STATES = (ACCEPTED, CORRECTION_REQUESTED, COMPLETED)
#: The levels the header counts: the ones that ask someone to act.
WARNING_LEVELS = (Level.RED, Level.YELLOW, Level.REMINDER)


@dataclass(frozen=True)
class WorkItem:
    """One line of a worklist: enough to sort, warn and open the case."""

    id: str
    number: str
    entry_name: str
    department: str
    #: In full for a clerk of the case's own site, else masked (张*三): `applicant_for`.
    applicant: str
    state: str
    due: date
    legal_due: date | None
    assignee: str
    #: None once the clock has stopped for good (办结, waiting for delivery).
    level: Level | None
    #: 剩 2 个工作日 / 今天到期 / 超期 3 个工作日 / 待出件.
    left: str
    #: Working days left: 0 on the due day, negative once overdue.
    days_left: int = 0

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def level_label(self) -> str:
        return self.level.label if self.level is not None else "—"


def worklist(
    session: Session,
    *,
    today: date,
    department: str | None = None,
    states: Iterable[str] = BACK_OFFICE_STATES,
    levels: Iterable[Level] | None = None,
    policy: SupervisionPolicy | None = None,
    limit: int = 200,
    viewer: Actor | None = None,
) -> list[WorkItem]:
    """Open cases, earliest due first, optionally for one department, states and levels;
    names as `viewer` may see them (masked for nobody in particular: printouts, the CLI)."""
    query = select(Case).where(col(Case.state).in_(list(states)), col(Case.due).is_not(None))
    if department:
        query = query.where(Case.department == department)
    query = query.order_by(col(Case.due), col(Case.number))
    wanted = set(levels) if levels is not None else None
    calendar = calendar_for(session)
    items: list[WorkItem] = []
    # Read in pages: a level filter may skip many rows, a plain list stops at `limit`.
    offset, page = 0, max(limit, 100)
    while len(items) < limit:
        rows = _light_rows(session, query.offset(offset).limit(page))
        if not rows:
            break
        offset += len(rows)
        for row in rows:
            item = _item(row, today, calendar, policy or SupervisionPolicy(), viewer)
            if wanted is None or item.level in wanted:
                items.append(item)
                if len(items) == limit:
                    break
    return items


def overdue(
    session: Session,
    *,
    today: date,
    policy: SupervisionPolicy | None = None,
    limit: int = 10_000,
) -> list[WorkItem]:
    """Open cases past their committed due date (yellow or red), most overdue first."""
    query = (
        select(Case)
        .where(col(Case.state).in_(list(OPEN_STATES)), col(Case.due) < today)
        .order_by(col(Case.due), col(Case.number))
        .limit(limit)
    )
    calendar = calendar_for(session)
    rows = _light_rows(session, query)
    return [_item(row, today, calendar, policy or SupervisionPolicy()) for row in rows]


#: The columns a work item needs: never the intake's JSON, which is most of a row's bytes.
_COLUMNS = (
    Case.id,
    Case.number,
    Case.entry_name,
    Case.department,
    Case.applicant_name,
    Case.state,
    Case.due,
    Case.legal_due,
    Case.assignee_name,
    Case.paused_since,
    Case.site,
)


class _Light(NamedTuple):
    """A case row as a work item reads it: a plain tuple, whose fields cost a tenth of a
    SQLAlchemy Row's attribute look-ups (a worklist reads a dozen per case)."""

    id: str
    number: str
    entry_name: str
    department: str
    applicant_name: str
    state: str
    due: date
    legal_due: date | None
    assignee_name: str
    paused_since: datetime | None
    site: str


def _light_rows(session: Session, query: Any) -> list[_Light]:
    """The rows of `query` (a select of Case) narrowed to the work-item columns."""
    narrowed = query.with_only_columns(*(col(c) for c in _COLUMNS))
    return [_Light._make(row) for row in session.connection().execute(narrowed)]


def warning_counts(
    session: Session,
    *,
    today: date,
    department: str | None = None,
    states: Iterable[str] = OPEN_STATES,
    policy: SupervisionPolicy | None = None,
) -> dict[Level, int]:
    """How many open cases stand at 红牌, 黄牌 and 提醒 today (the header's count).

    Only cases due before the working day after the reminder window can be at one of those
    levels (a legal due date is never before the committed one), so the query reads that slice
    of the (state, due) index, not the whole table.
    """
    policy = policy or SupervisionPolicy()
    calendar = calendar_for(session)
    horizon = add_working_days(today, policy.reminder_days + 1, calendar)
    query = select(Case).where(col(Case.state).in_(list(states)), col(Case.due) < horizon)
    if department:
        query = query.where(Case.department == department)
    counts = dict.fromkeys(WARNING_LEVELS, 0)
    for row in _light_rows(session, query):
        found = _level(row, today, calendar, policy)
        if found in counts:
            counts[found] += 1
    return counts


def _level(row: _Light, today: date, calendar: Calendar, policy: SupervisionPolicy) -> Level | None:
    """The row's level; None once a completed case's clock has stopped (it waits for delivery)."""
    if row.state == COMPLETED:
        return None
    return level(
        today,
        due=row.due,
        legal_due=row.legal_due,
        policy=policy,
        calendar=calendar,
        paused=row.paused_since is not None,
    )


def applicant_for(viewer: Actor | None, site: str, name: str) -> str:
    """The applicant's name as `viewer` sees it on a list: in full for a clerk (or trainer) of
    the case's own site, who has the applicant at the window and the papers in hand; masked
    (张*三) for everyone else — supervisors, other sites, public screens, printed lists."""
    if viewer is not None and viewer.role in FULL_NAME_ROLES and viewer.site == site:
        return name
    return mask_name(name)


def short_numbers(numbers: Iterable[str]) -> dict[str, str]:
    """The shortest tail that tells each case number apart from the others on one list: the
    sequence (0003), then day and sequence (1123-0003), then the whole number (cases of two
    sites, or two years). One length for the whole list, so the column lines up."""
    numbers = list(dict.fromkeys(numbers))
    for cut in (_tail_sequence, _tail_day):
        shorts = {number: cut(number) for number in numbers}
        if len(set(shorts.values())) == len(numbers):
            return shorts
    return {number: number for number in numbers}


def _tail_sequence(number: str) -> str:
    return number.rsplit("-", 1)[-1]


def _tail_day(number: str) -> str:
    day, sequence = number.rsplit("-", 2)[-2:]
    return f"{day[-4:]}-{sequence}"


def _item(
    row: _Light,
    today: date,
    calendar: Calendar,
    policy: SupervisionPolicy,
    viewer: Actor | None = None,
) -> WorkItem:
    assert row.due is not None
    found = _level(row, today, calendar, policy)
    left, days_left = "待出件", 0
    if found is not None:
        days_left = working_days_left(today, row.due, calendar)
        left = describe_left(days_left)
    return WorkItem(
        id=row.id,
        number=row.number,
        entry_name=row.entry_name,
        department=row.department,
        applicant=applicant_for(viewer, row.site, row.applicant_name),
        state=row.state,
        due=row.due,
        legal_due=row.legal_due,
        assignee=row.assignee_name,
        level=found,
        left=left,
        days_left=days_left,
    )


@dataclass(frozen=True)
class Found:
    """A case found by search: enough to choose it from a list."""

    id: str
    number: str
    entry_name: str
    applicant: str
    state: str
    created_at: datetime

    @property
    def state_label(self) -> str:
        return state_label(self.state)


def find_cases(
    session: Session,
    text: str,
    *,
    limit: int = 20,
    site: str | None = None,
    viewer: Actor | None = None,
) -> list[Found]:
    """Cases by number, ID number (or 统一社会信用代码), phone or the applicant's full name,
    newest first, each applicant's name as `viewer` may see it (`applicant_for`). Each kind
    of query reads its own index. With `site`, a short number (3, 0003, 1123-0003) finds
    that site's case so numbered most recently: today's, else the latest day's."""
    from counter_tui.applicants.identity import normalise_number
    from counter_tui.applicants.rules import check_phone
    from counter_tui.text import clean

    text = clean(text)
    if not text:
        return []
    number = normalise_number(text)
    phone = check_phone(text)
    short = SHORT_NUMBER.match(text) if site else None
    if short is not None and site is not None:
        return _by_short_number(session, site, short, viewer)
    query = select(Case)
    mobile = number.isdigit() and len(number) == 11 and number.startswith("1")
    if CASE_NUMBER.match(number):
        query = query.where(Case.number == number)
    elif phone.ok and (mobile or not ID_LIKE.match(number)):
        query = query.where(Case.applicant_phone == phone.value)
    elif ID_LIKE.match(number):
        query = query.where(Case.applicant_key == number)
    else:
        query = query.where(Case.applicant_name == text)
    query = query.order_by(col(Case.created_at).desc(), col(Case.number).desc()).limit(limit)
    light = query.with_only_columns(*FOUND_COLUMNS)
    return [
        _found(row, applicant_for(viewer, row[6], row[3]))
        for row in session.connection().execute(light)
    ]


#: What a search reads of each case: Found's fields, in order (not the whole row).
FOUND_COLUMNS = (
    col(Case.id),
    col(Case.number),
    col(Case.entry_name),
    col(Case.applicant_name),
    col(Case.state),
    col(Case.created_at),
    col(Case.site),
)


def _found(row: Any, applicant: str) -> Found:
    """A row of FOUND_COLUMNS, the applicant's name as the viewer may see it."""
    return Found(row[0], row[1], row[2], applicant, row[4], to_local(row[5]))


def _by_short_number(
    session: Session, site: str, short: re.Match[str], viewer: Actor | None
) -> list[Found]:
    """The site's case whose number ends in the short number, the most recent one: numbers
    restart every day, so `0003` is today's third case, or the last day's that had one."""
    day, sequence = short.group(1) or "", short.group(2).zfill(4)
    tail = f"%{day}-{sequence}" if day else f"%-{sequence}"
    row = (
        session.connection()
        .execute(
            select(Case)
            .where(Case.site == site, col(Case.number).like(tail))
            .order_by(col(Case.created_at).desc(), col(Case.number).desc())
            .limit(1)
            .with_only_columns(*FOUND_COLUMNS)
        )
        .first()
    )
    if row is None:
        return []
    return [_found(row, applicant_for(viewer, site, row[3]))]
