"""The hub door: what a county admin does to the sites a hub serves (enrol, revoke, list) and
the sync problems they must see. The HTTP side (hub/app.py) serves the sites; this door is for
`counter-tui hub …` and the app on the hub's own database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, select

from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.desk.problems import open_problems
from counter_tui.desk.records import Problem
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.journal.models import JournalHead
from counter_tui.site.rules import NODE_LEVELS
from counter_tui.sync.enrolment import CODE_LIFETIME, enrol, revoke
from counter_tui.sync.models import HubSite


@dataclass(frozen=True)
class Enrolment:
    """A one-time code, to be read to the site's admin; usable once until `expires_at`."""

    site: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class EnrolledSite:
    site: str
    name: str
    level: str
    enrolled_at: datetime
    #: When the site redeemed its code (None: not yet).
    registered_at: datetime | None
    revoked_at: datetime | None
    #: When the site last asked the hub anything.
    last_seen_at: datetime | None
    #: How many of the site's own events the hub holds.
    events: int


def not_a_hub(site: str, level: str) -> str | None:
    """Why a node of `level` cannot be a hub (None: it can). Only a county node serves sites."""
    if level == "county":
        return None
    label = NODE_LEVELS.get(level, level)
    return (
        f"本数据库的站点 {site} 是{label}站点，不是县级中心：只有县级站点的数据库能作为中心"
        "（在中心的数据库上运行，或用 --db 指定它）"
    )


class HubDoor(Door):
    def enrol(self, actor: Actor, site: str, name: str, level: str) -> Enrolment:
        """Enrol `site` (again) and return its one-time code."""
        self._require_hub(actor)
        now = datetime.now(UTC)
        with write_session(self.engine) as session:
            code = enrol(session, actor, site.strip(), name, level, now)
        return Enrolment(site.strip(), code, now + CODE_LIFETIME)

    def revoke(self, actor: Actor, site: str) -> EnrolledSite:
        """End `site`'s access at once: its device token no longer opens anything."""
        self._require_hub(actor)
        with write_session(self.engine) as session:
            revoke(session, site.strip(), datetime.now(UTC))
        found = [s for s in self.sites() if s.site == site.strip()]
        return found[0]

    def sites(self) -> list[EnrolledSite]:
        with read_session(self.engine) as session:
            counts = {h.site: h.count for h in session.exec(select(JournalHead)).all()}
            rows = session.exec(select(HubSite).order_by(col(HubSite.site))).all()
            return [
                EnrolledSite(
                    site=row.site,
                    name=row.name,
                    level=row.level,
                    enrolled_at=row.enrolled_at,
                    registered_at=row.registered_at,
                    revoked_at=row.revoked_at,
                    last_seen_at=row.last_seen_at,
                    events=counts.get(row.site, 0),
                )
                for row in rows
            ]

    def problems(self) -> list[Problem]:
        """Unresolved sync problems, the newest first."""
        with read_session(self.engine) as session:
            return open_problems(session)

    def _require_hub(self, actor: Actor) -> None:
        if actor.role != "admin":
            raise PermissionDenied("只有管理员可以登记或撤销站点")
        problem = not_a_hub(self.node.site, self.node.level)
        if problem:
            raise UserError(problem)
        if self.node.demo or self.settings.demo:
            raise UserError("演示（培训）数据库不能作为中心")
