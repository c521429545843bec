"""The bad ratings a period owed a call (回访核实), and which of them were still waiting at its
close: the 差评回访率 and the 差评未回访清单 every report carries (formula: reports.rules).

"By the close" reads the time a follow-up was called back (rating_followup.verified_at), not
its state now, so a past period's report keeps the list it had; an appeal that found a rating
mistaken (误评) takes it out whenever it came, as it does from every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import case as when
from sqlalchemy import func
from sqlmodel import Session, col, select

from counter_tui.feedback.followups import Followup, to_followup, with_ticket
from counter_tui.feedback.models import Rating, RatingFollowup
from counter_tui.feedback.rules import MISTAKEN
from counter_tui.reports import sql
from counter_tui.reports.figures import Period
from counter_tui.reports.rules import BAD_LEVELS, rate


@dataclass(frozen=True)
class Callbacks:
    """应回访 and 已回访 of a period, and the follow-ups still waiting for their call at its
    close, the earliest deadline first."""

    owed: int
    called: int
    waiting: tuple[Followup, ...]

    @property
    def rate(self) -> float | None:
        """差评回访率."""
        return rate(self.called, self.owed)


def callbacks(session: Session, period: Period, *, site: str | None) -> Callbacks:
    """The bad ratings owed a call over `period` at `site` (None: every site)."""
    r, f = Rating, RatingFollowup
    start = sql.day_start(period.start)
    close = sql.day_start(period.end + timedelta(days=1))
    waiting = col(f.verified_at).is_(None) | (col(f.verified_at) >= close)
    owed: list[Any] = [
        col(r.level).in_(BAD_LEVELS),
        col(r.given).is_(True),
        col(f.state) != MISTAKEN,
        col(r.rated_at) < close,
        # Rated in the period, or earlier and not called back when it began.
        (col(r.rated_at) >= start) | col(f.verified_at).is_(None) | (col(f.verified_at) >= start),
    ]
    if site is not None:
        owed.append(col(f.site) == site)
    counted = select(func.count(), func.sum(when((waiting, 0), else_=1)))
    total, done = session.exec(
        counted.select_from(f).join(r, col(r.id) == col(f.rating_id)).where(*owed)
    ).one()
    rows = session.exec(
        with_ticket(select(f, r).join(r, col(r.id) == col(f.rating_id)))
        .where(*owed, waiting)
        .order_by(col(f.due), col(r.rated_at), col(f.rating_id))
    ).all()
    return Callbacks(
        int(total),
        int(done or 0),
        tuple(to_followup(row, rating, number) for row, rating, number in rows),
    )
