"""Applies assistance.recorded to the assist table."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, SQLModel

from counter_tui.assistance.events import ASSIST_RECORDED, AssistRecorded
from counter_tui.assistance.models import Assist
from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

TABLES: list[type[SQLModel]] = [Assist]


@handles(ASSIST_RECORDED)
def _recorded(session: Session, event: Event, p: AssistRecorded) -> None:
    session.add(
        Assist(
            id=p.assist_id,
            site=event.site,
            at=datetime.fromisoformat(p.at),
            assistant=p.assistant,
            way=p.way,
            for_whom=p.for_whom,
            minutes=p.minutes,
            note=p.note,
            case_number=p.case_number,
        )
    )
