"""The feedback door: recording ratings (好差评) and running their follow-ups (差评整改)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.feedback import followups, imports, ratings, rules
from counter_tui.feedback.followups import Followup
from counter_tui.feedback.imports import Imported
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

    def followups(self, states: tuple[str, ...] = rules.UNFINISHED) -> list[Followup]:
        """This node's follow-ups (差评整改) in `states`, the earliest deadline first."""
        with read_session(self.engine) as session:
            return followups.followups(session, site=self.node.site, states=states)

    def not_followed_up(self) -> list[Followup]:
        """Bad ratings nobody has called back yet (回访核实 not done)."""
        with read_session(self.engine) as session:
            return followups.not_followed_up(session, site=self.node.site)

    def overdue_followups(self, today: date) -> list[Followup]:
        """Unfinished follow-ups past their deadline on `today`."""
        with read_session(self.engine) as session:
            return followups.overdue(session, today, site=self.node.site)

    def followup(self, rating_id: str) -> Followup:
        with read_session(self.engine) as session:
            return followups.get_followup(session, rating_id)

    def step(
        self, actor: Actor, rating_id: str, step: str, note: str, now: datetime | None = None
    ) -> Followup:
        """Take the next step of a follow-up: verify (回访核实), fix (整改), close (反馈)."""
        with write_session(self.engine) as session:
            return followups.take_step(session, actor, rating_id, step, note, now=now)

    def appeal(
        self, actor: Actor, rating_id: str, reason: str, now: datetime | None = None
    ) -> Followup:
        """申诉复核 upheld: the rating is 误评, with `reason`."""
        with write_session(self.engine) as session:
            return followups.appeal(session, actor, rating_id, reason, now=now)

    def import_file(self, actor: Actor, data: bytes, now: datetime | None = None) -> Imported:
        """Import a provincial 好差评 export (feedback.imports): every row or none."""
        with write_session(self.engine) as session:
            return imports.import_ratings(
                session,
                actor,
                data,
                followup_days=self.settings.ratings.followup_working_days,
                now=now,
            )
