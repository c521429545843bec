"""Applies case.* events to the case tables. Everything comes from the payload (times included),
so replay rebuilds the tables exactly and a hub applying a village's events gets the same rows."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel

from counter_tui.cases.intake import from_json
from counter_tui.cases.models import Applicant, Case, CaseDeferral, CaseNotice
from counter_tui.cases.record import ACCEPTED, COMPLETED, NOTIFIED, REFUSED, TERMINATED
from counter_tui.journal.models import Event
from counter_tui.journal.registry import handles

TABLES: list[type[SQLModel]] = [Case, CaseDeferral, CaseNotice, Applicant]


def _at(payload: dict[str, Any], key: str = "at") -> datetime:
    return datetime.fromisoformat(payload[key])


def _case(session: Session, case_id: str) -> Case:
    row = session.get(Case, case_id)
    if row is None:
        raise LookupError(f"event for unknown case {case_id}")
    return row


def _outcome(session: Session, event: Event, p: dict[str, Any], state: str) -> Case:
    """Create the case, or update a resumed (notified) one, from an outcome's payload."""
    at = _at(p)
    intake = from_json(p["intake"])
    entry = p["entry"]
    key_type, key = intake.applicant.key
    row = session.get(Case, p["case_id"])
    if row is None:
        row = Case(
            id=p["case_id"],
            number=p["number"],
            site=event.site,
            state=state,
            entry_code=entry["code"],
            entry_kind=entry["kind"],
            entry_name=entry["name"],
            item_codes="[]",
            department=entry["department"],
            applicant_key_type=key_type,
            applicant_key=key,
            applicant_name=intake.applicant.name,
            intake="{}",
            clerk=p["clerk"],
            created_at=at,
            updated_at=at,
        )
    row.state = state
    row.entry_code, row.entry_kind = entry["code"], entry["kind"]
    row.entry_name, row.department = entry["name"], entry["department"]
    row.item_codes = json.dumps(entry["items"], ensure_ascii=False)
    row.applicant_key_type, row.applicant_key = key_type, key
    row.applicant_name = intake.applicant.name
    row.applicant_phone = intake.applicant.phone
    row.intake = json.dumps(p["intake"], ensure_ascii=False)
    row.clerk = p["clerk"]
    row.committed_days = p.get("committed_days", 0)
    row.updated_at = at
    session.add(row)
    session.flush()
    _remember_applicant(session, p["intake"]["applicant"], key_type, key, at)
    _store_notices(session, row.id, p.get("notices", []))
    return row


def _remember_applicant(
    session: Session, party: dict[str, Any], key_type: str, key: str, at: datetime
) -> None:
    if not key:
        return
    row = session.get(Applicant, (key_type, key))
    if row is None:
        row = Applicant(key_type=key_type, key=key, party="", updated_at=at)
    row.party = json.dumps(party, ensure_ascii=False)
    row.updated_at = at
    session.add(row)


def _store_notices(session: Session, case_id: str, notices: list[dict[str, Any]]) -> None:
    for notice in notices:
        number = notice["number"]
        session.add(
            CaseNotice(
                number=number,
                case_id=case_id,
                kind=notice["kind"],
                issued_at=datetime.fromisoformat(notice["issued_at"]),
                content=json.dumps(notice, ensure_ascii=False),
            )
        )


@handles("case.notified")
def _notified(session: Session, event: Event, p: dict[str, Any]) -> None:
    _outcome(session, event, p, NOTIFIED)


@handles("case.accepted")
def _accepted(session: Session, event: Event, p: dict[str, Any]) -> None:
    row = _outcome(session, event, p, ACCEPTED)
    row.accepted_at = _at(p, "accepted_at")
    row.due = date.fromisoformat(p["due"])
    row.due_unofficial = " ".join(str(y) for y in p["due_unofficial"])
    row.legal_due = date.fromisoformat(p["legal_due"])
    row.legal_days = p["legal_days"]
    session.add(row)
    for deferral in p["deferrals"]:
        session.add(
            CaseDeferral(
                case_id=row.id,
                kind=deferral["kind"],
                name=deferral["name"],
                until=date.fromisoformat(deferral["until"]),
            )
        )


@handles("case.refused")
def _refused(session: Session, event: Event, p: dict[str, Any]) -> None:
    row = _outcome(session, event, p, REFUSED)
    row.refusal_reasons = p["reasons"]
    row.competent_agency = p["competent_agency"]
    session.add(row)


@handles("case.completed")
def _completed(session: Session, event: Event, p: dict[str, Any]) -> None:
    row = _case(session, p["case_id"])
    row.state = COMPLETED
    row.updated_at = _at(p)
    session.add(row)


@handles("case.material_supplied")
def _supplied(session: Session, event: Event, p: dict[str, Any]) -> None:
    deferral = session.get(CaseDeferral, (p["case_id"], p["kind"]))
    if deferral is None:
        raise LookupError(f"no deferred {p['kind']} on case {p['case_id']}")
    deferral.supplied_at = _at(p)
    session.add(deferral)


@handles("case.terminated")
def _terminated(session: Session, event: Event, p: dict[str, Any]) -> None:
    row = _case(session, p["case_id"])
    row.state = TERMINATED
    row.termination_reason = p["reason"]
    row.updated_at = _at(p)
    session.add(row)
    _store_notices(session, row.id, p["notices"])


@handles("case.due_recomputed")
def _due_recomputed(session: Session, event: Event, p: dict[str, Any]) -> None:
    row = _case(session, p["case_id"])
    row.due = date.fromisoformat(p["due"])
    row.due_unofficial = " ".join(str(y) for y in p["due_unofficial"])
    row.legal_due = date.fromisoformat(p["legal_due"])
    session.add(row)
