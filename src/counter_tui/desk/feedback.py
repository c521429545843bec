"""The feedback door: recording ratings (好差评) and running their follow-ups (差评整改)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.feedback import ratings
from counter_tui.feedback.ratings import RatingRecord


class FeedbackDoor(Door):
    def record(
        self,
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
        now: datetime | None = None,
    ) -> RatingRecord:
        """Record one rating (feedback.ratings.record_rating); a bad one opens its follow-up,
        due after the settings' `[ratings] followup_working_days`."""
        with write_session(self.engine) as session:
            return ratings.record_rating(
                session,
                actor,
                kind=kind,
                channel=channel,
                level=level,
                given=given,
                ticket_id=ticket_id,
                case=case,
                reasons=reasons,
                comment=comment,
                rated_at=rated_at,
                followup_days=self.settings.ratings.followup_working_days,
                now=now,
            )

    def ratings(
        self, *, since: datetime | None = None, until: datetime | None = None, limit: int = 200
    ) -> list[RatingRecord]:
        """This node's ratings, the newest first."""
        with read_session(self.engine) as session:
            return ratings.list_ratings(
                session, site=self.node.site, since=since, until=until, limit=limit
            )
