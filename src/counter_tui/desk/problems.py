"""The unresolved sync problems of a database, as the hub door and the sync door show them."""

from __future__ import annotations

from sqlmodel import Session, col, select

from counter_tui.desk.records import Problem
from counter_tui.sync.models import SyncProblem


def open_problems(session: Session) -> list[Problem]:
    """Sync problems not yet resolved, newest first."""
    rows = session.exec(
        select(SyncProblem)
        .where(col(SyncProblem.resolved_at).is_(None))
        .order_by(col(SyncProblem.at).desc())
    ).all()
    return [Problem(r.id, r.at, r.site, r.kind, r.event_id, r.detail) for r in rows]
