"""Recording and listing assisted service (帮代办). The assistant is the signed-in user who
records it: help is recorded by whoever gave it, right after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from counter_tui.accounts.service import display_names, require
from counter_tui.actor import Actor, machine_actor
from counter_tui.assistance import rules
from counter_tui.assistance.events import ASSIST_RECORDED, AssistRecorded
from counter_tui.assistance.models import Assist
from counter_tui.cases.models import Case
from counter_tui.clock import hall_zone, now_local, to_local
from counter_tui.errors import UserError
from counter_tui.ids import new_id
from counter_tui.journal.service import record
from counter_tui.text import clean

ACTION = "assistance.record"


@dataclass(frozen=True)
class AssistLine:
    id: str
    at: datetime
    assistant: str
    way: str
    for_whom: str
    minutes: int
    note: str
    case_number: str

    @property
    def way_label(self) -> str:
        return rules.WAYS.get(self.way, self.way)

    @property
    def for_whom_label(self) -> str:
        return rules.FOR_WHOM.get(self.for_whom, self.for_whom)


def record_assist(
    session: Session,
    actor: Actor,
    *,
    way: str,
    for_whom: str,
    minutes: int,
    note: str = "",
    case_number: str = "",
    now: datetime | None = None,
) -> str:
    """Record one 帮代办 by `actor`; returns its id."""
    require(actor, ACTION)
    now = now_local(now)
    text = clean(note, multiline=True)
    problem = rules.assist_problem(way, for_whom, minutes, text)
    if problem:
        raise UserError(problem)
    number = ""
    if case_number.strip():
        key = case_number.strip().upper()
        number = session.exec(select(Case.number).where(Case.number == key)).first() or ""
        if not number:
            raise UserError(f"没有这个办件：{key}")
    assist_id = new_id()
    record(
        session,
        actor,
        ASSIST_RECORDED,
        AssistRecorded(
            assist_id=assist_id,
            at=now.isoformat(),
            assistant=actor.username,
            way=way,
            for_whom=for_whom,
            minutes=minutes,
            note=text,
            case_number=number,
        ),
    )
    return assist_id


def assists(
    session: Session, site: str, first: date, last: date, *, case_number: str = ""
) -> list[AssistLine]:
    """The 帮代办 of `site` on the hall's days first..last (or of one case), newest first."""
    start = datetime.combine(first, time(), hall_zone())
    end = datetime.combine(last + timedelta(days=1), time(), hall_zone())
    query = select(Assist).where(Assist.site == site)
    if case_number.strip():
        query = query.where(Assist.case_number == case_number.strip().upper())
    else:
        query = query.where(col(Assist.at) >= start, col(Assist.at) < end)
    rows = session.exec(query.order_by(col(Assist.at).desc())).all()
    names = display_names(session, {(site, r.assistant) for r in rows})
    return [
        AssistLine(
            id=r.id,
            at=to_local(r.at),
            assistant=names.get((site, r.assistant)) or machine_actor(r.assistant),
            way=r.way,
            for_whom=r.for_whom,
            minutes=r.minutes,
            note=r.note,
            case_number=r.case_number,
        )
        for r in rows
    ]
