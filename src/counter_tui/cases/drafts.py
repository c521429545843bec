"""Intake drafts: the form saved as the clerk types, resumed after a crash or a restart.

Drafts are not journaled (docs/architecture.md, "Intake and cases"): a draft is a form being
typed, not a decision; the outcome that ends it deletes it in its own transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.cases.intake import Intake, from_json, to_json
from counter_tui.cases.models import IntakeDraft
from counter_tui.clock import now_local, to_local
from counter_tui.ids import new_id


@dataclass(frozen=True)
class Draft:
    id: str
    case_id: str | None
    intake: Intake
    updated_at: datetime


def save_draft(
    session: Session,
    actor: Actor,
    intake: Intake,
    *,
    draft_id: str | None = None,
    case_id: str | None = None,
    now: datetime | None = None,
) -> str:
    """Save the form as typed (unchecked: half-typed numbers included). Returns the draft id."""
    require(actor, "cases.intake")
    now = now_local(now)
    row = session.get(IntakeDraft, draft_id) if draft_id else None
    if row is None:
        row = IntakeDraft(
            id=draft_id or new_id(),
            site=actor.site,
            username=actor.username,
            case_id=case_id,
            content="",
            updated_at=now,
        )
    row.content = json.dumps(to_json(intake), ensure_ascii=False)
    row.case_id = case_id
    row.updated_at = now
    session.add(row)
    return row.id


def latest_draft(session: Session, actor: Actor) -> Draft | None:
    """The clerk's last unfinished form at this site, to resume after a crash or a restart."""
    row = session.exec(
        select(IntakeDraft)
        .where(IntakeDraft.username == actor.username, IntakeDraft.site == actor.site)
        .order_by(col(IntakeDraft.updated_at).desc())
    ).first()
    if row is None:
        return None
    return Draft(row.id, row.case_id, from_json(json.loads(row.content)), to_local(row.updated_at))


def discard_draft(session: Session, actor: Actor, draft_id: str) -> None:
    require(actor, "cases.intake")
    drop_draft(session, draft_id)


def drop_draft(session: Session, draft_id: str | None) -> None:
    if draft_id:
        row = session.get(IntakeDraft, draft_id)
        if row is not None:
            session.delete(row)
