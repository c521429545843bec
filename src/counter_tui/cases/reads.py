"""Reading cases: a case as a record, its notices and deferred materials, a returning
applicant and their notified cases. Nothing here writes."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import Session, col, select

from counter_tui.cases.intake import Party, from_json
from counter_tui.cases.lifecycle import TERMINABLE
from counter_tui.cases.models import Applicant, Case, CaseDeferral, CaseNotice
from counter_tui.cases.record import (
    NOTIFIED,
    CaseRecord,
)
from counter_tui.clock import to_local
from counter_tui.errors import UserError
from counter_tui.notices.content import TITLES as NOTICE_TITLES
from counter_tui.notices.content import Notice
from counter_tui.notices.content import from_json as notice_from_json


def _local(value: datetime | None) -> datetime | None:
    return to_local(value) if value is not None else None


def get_case(session: Session, key: str) -> CaseRecord | None:
    """A case by its id or its number (a number is matched case-insensitively)."""
    row = session.get(Case, key)
    if row is None:
        row = session.exec(select(Case).where(Case.number == key.strip().upper())).first()
    return to_record(row) if row else None


def require_case(session: Session, case_id: str) -> CaseRecord:
    case = get_case(session, case_id)
    if case is None:
        raise UserError(f"没有这个办件：{case_id}")
    return case


def to_record(row: Case) -> CaseRecord:
    return CaseRecord(
        id=row.id,
        number=row.number,
        site=row.site,
        state=row.state,
        intake=from_json(json.loads(row.intake)),
        entry_code=row.entry_code,
        entry_name=row.entry_name,
        entry_kind=row.entry_kind,
        item_codes=tuple(json.loads(row.item_codes)),
        department=row.department,
        clerk=row.clerk,
        created_at=to_local(row.created_at),
        accepted_at=_local(row.accepted_at),
        committed_days=row.committed_days,
        due=row.due,
        due_unofficial_years=tuple(int(y) for y in row.due_unofficial.split()),
        legal_due=row.legal_due,
        refusal_reasons=row.refusal_reasons,
        competent_agency=row.competent_agency,
        termination_reason=row.termination_reason,
        assignee=row.assignee,
        assignee_name=row.assignee_name,
        correction_deadline=row.correction_deadline,
        paused=row.paused_since is not None,
        decision_number=row.decision_number,
        decision_reason=row.decision_reason,
        withdrawal_reason=row.withdrawal_reason,
        trips=row.trips,
    )


def notices_of(session: Session, case_id: str) -> list[Notice]:
    """Every notice issued for the case, oldest first: what a reprint offers. Notices issued
    together come in the order they were issued (the receipt before the deferral commitment),
    not by their numbers' suffixes (-RQ would sort before -SL)."""
    rows = session.exec(select(CaseNotice).where(CaseNotice.case_id == case_id)).all()
    rank = {kind: i for i, kind in enumerate(NOTICE_TITLES)}
    ordered = sorted(
        rows, key=lambda row: (row.issued_at, rank.get(row.kind, len(rank)), row.number)
    )
    return [notice_from_json(json.loads(row.content)) for row in ordered]


def find_applicant(session: Session, key_type: str, key: str) -> Party | None:
    """A returning applicant's last details, by ID type and number (or "uscc" and the code)."""
    row = session.get(Applicant, (key_type, key))
    return Party(**json.loads(row.party)) if row else None


def notified_cases(session: Session, key_type: str, key: str) -> list[CaseRecord]:
    """This applicant's cases waiting for missing materials, newest first: resume one."""
    rows = session.exec(
        select(Case)
        .where(
            Case.applicant_key_type == key_type,
            Case.applicant_key == key,
            Case.state == NOTIFIED,
        )
        .order_by(col(Case.created_at).desc())
    )
    return [to_record(row) for row in rows]


def deferrals_of(session: Session, case_id: str) -> list[CaseDeferral]:
    """A case's deferred materials, earliest deadline first (detached: safe after the session)."""
    rows = session.exec(
        select(CaseDeferral)
        .where(CaseDeferral.case_id == case_id)
        .order_by(col(CaseDeferral.until), col(CaseDeferral.kind))
    ).all()
    for row in rows:
        session.expunge(row)
    return list(rows)


def owed_deferrals(session: Session, case_id: str) -> list[CaseDeferral]:
    """The deferred (容缺) materials the applicant still owes, earliest deadline first."""
    return [d for d in deferrals_of(session, case_id) if d.supplied_at is None]


def owed_names(owed: list[CaseDeferral]) -> str:
    """经营场所平面图（12-07 前）、…: how a refusal or a form names what is still owed."""
    return "、".join(f"{d.name}（{d.until:%m-%d} 前）" for d in owed)


def lapsed_deferrals(session: Session, today: date) -> list[CaseDeferral]:
    """Deferred materials past their deadline on open cases: each case is to be terminated."""
    query = (
        select(CaseDeferral)
        .join(Case, col(Case.id) == col(CaseDeferral.case_id))
        .where(
            col(CaseDeferral.supplied_at).is_(None),
            col(CaseDeferral.until) < today,
            col(Case.state).in_(TERMINABLE),
        )
        .order_by(col(CaseDeferral.until))
    )
    return list(session.exec(query).all())
