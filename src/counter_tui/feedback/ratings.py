"""Recording a rating (好差评), and reading them back.

One rating per service (一次一评: a queue ticket) and one per case (一事一评): a second is refused
by name. A bad rating (4–5) the applicant gave opens its follow-up (差评整改) in the same
transaction, owned by the case's department (or the hall for a ticket alone) and due a number of
working days later (`[ratings] followup_working_days`, passed in by the desk).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from counter_tui.accounts.rules import OPERATOR
from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.cases import events as case_events
from counter_tui.cases.models import Case, CaseStep
from counter_tui.clock import now_local, to_local
from counter_tui.feedback import events as ev
from counter_tui.feedback import rules
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.feedback.rules import RatingRefused
from counter_tui.ids import new_id
from counter_tui.journal.models import JournalHead
from counter_tui.journal.service import record
from counter_tui.queue.models import QueueTicket
from counter_tui.text import clean
from counter_tui.workdays.service import due_date

#: Working days a follow-up has unless the settings say otherwise.
DEFAULT_FOLLOWUP_DAYS = 5
MAX_REASON = 40


@dataclass(frozen=True)
class RatingRecord:
    """One rating as the desk, the CLI and the screens show it."""

    id: str
    site: str
    kind: str
    channel: str
    level: int | None
    given: bool
    rated_at: datetime
    case_id: str | None
    case_number: str
    ticket_id: str | None
    reasons: tuple[str, ...]
    comment: str
    clerk: str
    window: str
    department: str
    recorded_by: str
    #: The follow-up's state and deadline when the rating opened one.
    followup_state: str | None = None
    followup_due: date | None = None

    @property
    def level_label(self) -> str:
        return rules.level_label(self.level, self.given)

    @property
    def bad(self) -> bool:
        return rules.is_bad(self.level, self.given)


def to_record(row: Rating, followup: RatingFollowup | None = None) -> RatingRecord:
    return RatingRecord(
        id=row.id,
        site=row.site,
        kind=row.kind,
        channel=row.channel,
        level=row.level,
        given=row.given,
        rated_at=to_local(row.rated_at),
        case_id=row.case_id,
        case_number=row.case_number,
        ticket_id=row.ticket_id,
        reasons=tuple(json.loads(row.reasons)),
        comment=row.comment,
        clerk=row.clerk,
        window=row.window,
        department=row.department,
        recorded_by=row.recorded_by,
        followup_state=followup.state if followup else None,
        followup_due=followup.due if followup else None,
    )


def find_case(session: Session, key: str) -> Case:
    """A case by its number (any letter case) or id, or a refusal naming what was typed."""
    text = key.strip()
    row = session.get(Case, text) if text else None
    if row is None and text:
        row = session.exec(select(Case).where(Case.number == text.upper())).first()
    if row is None:
        raise RatingRefused(f"没有找到办件 {text or '（未填写办件编号）'}")
    return row


def _reasons(reasons: Sequence[str]) -> list[str]:
    kept: list[str] = []
    for reason in reasons:
        text = clean(reason)
        if not text:
            continue
        if len(text) > MAX_REASON:
            raise RatingRefused(f"差评原因最多 {MAX_REASON} 字：{text[:MAX_REASON]}…")
        if text not in kept:
            kept.append(text)
    return kept


def record_rating(
    session: Session,
    actor: Actor,
    *,
    kind: str,
    channel: str,
    level: int | None,
    given: bool = True,
    ticket_id: str | None = None,
    case: str = "",
    reasons: Sequence[str] = (),
    comment: str = "",
    rated_at: datetime | None = None,
    followup_days: int = DEFAULT_FOLLOWUP_DAYS,
    now: datetime | None = None,
) -> RatingRecord:
    """Record one rating of a service (`ticket_id`) or a case (`case`: its number or id).

    `given=False` records 未评价 (a prompt nobody answered; `level` None) or a platform's default
    rating (its level kept, never counted as given). Refused, in Chinese: a level outside 1–5, an
    unknown channel, ticket or case, and a second rating of the same service or case.
    """
    require(actor, "ratings.record")
    now = now_local(now)
    if kind not in rules.KINDS:
        raise RatingRefused(f"未知的评价类型：{kind}（可用：service 一次一评、case 一事一评）")
    if channel not in rules.CHANNELS:
        known = "、".join(f"{k} {v}" for k, v in rules.CHANNELS.items())
        raise RatingRefused(f"未知的评价渠道：{channel}（可用：{known}）")
    if actor.role == OPERATOR and channel != "window":
        raise RatingRefused("未登录时只能记录窗口评价器的评价；电话、短信、网上评价请登录后记录")
    problem = rules.level_problem(level, given)
    if problem:
        raise RatingRefused(problem)
    kept_reasons = _reasons(reasons)
    text = clean(comment, multiline=True)
    if len(text) > rules.MAX_NOTE:
        raise RatingRefused(f"评价内容最多 {rules.MAX_NOTE} 字")
    when = now_local(rated_at) if rated_at is not None else now
    if when > now:
        raise RatingRefused(f"评价时间 {when:%Y-%m-%d %H:%M} 晚于现在")
    # Serialise with every other writer of this site, so two windows cannot both rate one case.
    session.get(JournalHead, actor.site, with_for_update=True, populate_existing=True)

    ticket = _ticket(session, ticket_id) if ticket_id else None
    if kind == rules.SERVICE and ticket is None:
        raise RatingRefused("一次一评须指明所评的取号")
    row = find_case(session, case) if case.strip() else None
    if kind == rules.CASE and row is None:
        raise RatingRefused("一事一评须填写办件编号")
    if kind == rules.SERVICE and ticket is not None and _rated(session, kind, ticket_id=ticket.id):
        raise RatingRefused(f"该服务已评价（{ticket.number} 号）")
    if kind == rules.CASE and row is not None and _rated(session, kind, case_id=row.id):
        raise RatingRefused(f"该办件已评价（{row.number}）")

    if ticket is not None:
        clerk, window = ticket.clerk, ticket.window
    else:
        clerk, window = (_window_clerk(session, row.id) if row else ""), ""
    payload = ev.RatingRecorded(
        rating_id=new_id(),
        kind=kind,
        channel=channel,
        level=level,
        given=given,
        rated_at=when.isoformat(),
        ticket_id=ticket.id if ticket else None,
        case_id=row.id if row else None,
        case_number=row.number if row else "",
        reasons=kept_reasons,
        comment=text,
        clerk=clerk,
        window=window,
        department=row.department if row else "",
    )
    record(session, actor, ev.RATING_RECORDED, payload)
    if rules.is_bad(level, given):
        due = due_date(session, when.date(), followup_days).date
        opened = ev.FollowupOpened(
            rating_id=payload.rating_id,
            at=now.isoformat(),
            case_id=payload.case_id,
            owner=payload.department or rules.HALL_OWNER,
            due=due.isoformat(),
        )
        record(session, actor, ev.FOLLOWUP_OPENED, opened)
    return get_rating(session, payload.rating_id)


#: The window steps of a case, the last of which names the clerk a case rating is about: who
#: delivered the result, else who took the case in.
_WINDOW_STEPS = (case_events.CASE_DELIVERED, case_events.CASE_ACCEPTED, case_events.CASE_NOTIFIED)


def _window_clerk(session: Session, case_id: str) -> str:
    """The user name of the clerk who last served the case at a window ("" if none did)."""
    actor = session.exec(
        select(CaseStep.actor)
        .where(CaseStep.case_id == case_id, col(CaseStep.type).in_(_WINDOW_STEPS))
        .order_by(col(CaseStep.at).desc())
        .limit(1)
    ).first()
    return actor or ""


def _ticket(session: Session, ticket_id: str) -> QueueTicket:
    ticket = session.get(QueueTicket, ticket_id)
    if ticket is None:
        raise RatingRefused(f"没有找到这张取号：{ticket_id}")
    return ticket


def _rated(
    session: Session, kind: str, *, ticket_id: str | None = None, case_id: str | None = None
) -> bool:
    query = select(Rating.id).where(Rating.kind == kind)
    if ticket_id is not None:
        query = query.where(Rating.ticket_id == ticket_id)
    if case_id is not None:
        query = query.where(Rating.case_id == case_id)
    return session.exec(query.limit(1)).first() is not None


def get_rating(session: Session, rating_id: str) -> RatingRecord:
    row = session.get(Rating, rating_id)
    if row is None:
        raise RatingRefused(f"没有这条评价：{rating_id}")
    return to_record(row, session.get(RatingFollowup, rating_id))


def list_ratings(
    session: Session,
    *,
    site: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    case_id: str | None = None,
    limit: int = 200,
) -> list[RatingRecord]:
    """Ratings, the newest first, with their follow-ups: of one site, a time span, a case."""
    query = select(Rating, RatingFollowup).join(
        RatingFollowup, col(RatingFollowup.rating_id) == col(Rating.id), isouter=True
    )
    if site is not None:
        query = query.where(Rating.site == site)
    if since is not None:
        query = query.where(Rating.rated_at >= since)
    if until is not None:
        query = query.where(Rating.rated_at < until)
    if case_id is not None:
        query = query.where(Rating.case_id == case_id)
    query = query.order_by(col(Rating.rated_at).desc(), col(Rating.id).desc()).limit(limit)
    return [to_record(r, f) for r, f in session.exec(query).all()]
