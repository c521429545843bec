"""Steps shared by the case tests: 张三's complete F-5 intake and his case taken part-way through
the back office of an open hall (tests/cases/catalog.py), through the services; and a notice
read back as text."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from counter_tui.cases import backoffice, commands
from counter_tui.cases.intake import RECEIVED, Agent, Intake, Mark, Party
from counter_tui.cases.models import Case
from counter_tui.db import read_session, write_session
from counter_tui.notices.content import Fields, Heading, Notice, Paragraph, Signatures, Table
from tests.cases.catalog import F5, Hall
from tests.conftest import HALL

ID_ZHANG = "420602198503151231"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=HALL)


def f5(agent: Agent | None = None) -> Intake:
    """A complete F-5 intake by 张三 (optionally through an agent)."""
    intake = Intake(
        entry_code=F5, applicant=Party(name="张三", id_number=ID_ZHANG, phone="13812345678")
    )
    for kind in ("application", "resident_id", "floor_plan", "health_certificate"):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True, copies_kept=1))
    return replace(intake, agent=agent) if agent else intake


def accepted(hall: Hall, intake: Intake | None = None, now: datetime | None = None) -> str:
    with write_session(hall.engine) as s:
        return commands.accept(s, hall.clerk, intake or f5(), now=now or at(11, 9)).case.id


def in_review(hall: Hall, intake: Intake | None = None) -> str:
    """An F-5 case accepted on Monday 11-09, handed off that afternoon, claimed by 王审批."""
    case_id = accepted(hall, intake)
    with write_session(hall.engine) as s:
        backoffice.hand_off(s, hall.clerk, case_id, now=at(11, 9, 14))
    with write_session(hall.engine) as s:
        backoffice.claim(s, hall.approver, case_id, now=at(11, 10, 9))
    return case_id


def completed(hall: Hall, intake: Intake | None = None) -> str:
    case_id = in_review(hall, intake)
    with write_session(hall.engine) as s:
        backoffice.decide(
            s,
            hall.approver,
            case_id,
            approve=True,
            decision_number="襄城食许〔2026〕88号",
            now=at(11, 12),
        )
    with write_session(hall.engine) as s:
        backoffice.complete(s, hall.approver, case_id, now=at(11, 12, 15))
    return case_id


def row(hall: Hall, case_id: str) -> Case:
    with read_session(hall.engine) as s:
        found = s.get(Case, case_id)
    assert found is not None
    return found


def notice_text(notice: Notice) -> str:
    """Everything a notice prints, as one string."""
    parts = [notice.title, notice.number, notice.issuer]
    for block in notice.blocks:
        match block:
            case Heading(text) | Paragraph(text):
                parts.append(text)
            case Fields(rows):
                parts.extend(f"{a}：{b}" for a, b in rows)
            case Table(headers, rows):
                parts.extend(headers)
                parts.extend(" ".join(row) for row in rows)
            case Signatures(lines):
                parts.extend(lines)
    return "\n".join(parts)
