"""The hub door: what a county admin does to the sites a hub serves (enrol, revoke, list) and
the sync problems they must see. The HTTP side (hub/app.py) serves the sites; this door is for
`counter-tui hub …` and the app on the hub's own database.

The sync desk (issue 17): each site's last contact, clock and version (sync/contact.py), what
it has waiting in quarantine, and the quarantine itself (sync/quarantine.py). Supervisors and
admins read it; only an admin retries or sets aside an event. The quarantine calls work on any
node — on a village they concern what it pulled from its hub — and the sync screen uses them
there too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from counter_tui.accounts.rules import permission_problem
from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.desk.problems import open_problems
from counter_tui.desk.records import Problem
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.journal.models import JournalHead
from counter_tui.site.rules import NODE_LEVELS
from counter_tui.sync import quarantine
from counter_tui.sync.enrolment import CODE_LIFETIME, enrol, revoke
from counter_tui.sync.models import HubSite, SyncProblem
from counter_tui.sync.quarantine import Retried, Waiting

#: A registered site that has not reached the hub for longer than this is marked silent: a
#: village syncs every few minutes when its line works, and carries a bundle at least weekly
#: when it does not.
SILENT_AFTER = timedelta(days=3)


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
    #: How it last reached the hub: "online", "file" or "" (never).
    contact_via: str = ""
    #: Its clock minus the hub's at its last contact, in ms (None: unknown).
    clock_offset_ms: int | None = None
    #: The counter-tui version it last ran ("": unknown).
    app_version: str = ""
    #: Its events waiting in quarantine here (unknown or quarantined, not set aside).
    waiting: int = 0
    #: How long since it last reached the hub (since it registered or was enrolled, if never).
    silent_for: timedelta = field(default_factory=timedelta)
    #: Registered, not revoked, and silent for longer than SILENT_AFTER.
    silent: bool = False


@dataclass(frozen=True)
class SiteDetail:
    """One site as the sync desk's detail shows it: its figures, its open problems, its events
    waiting in quarantine."""

    site: EnrolledSite
    problems: list[Problem]
    waiting: list[Waiting]


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

    def sites(self, now: datetime | None = None) -> list[EnrolledSite]:
        """Every enrolled site with its figures; `now` (default: the time) for how long each
        has been silent."""
        now = now or datetime.now(UTC)
        with read_session(self.engine) as session:
            counts = {h.site: h.count for h in session.exec(select(JournalHead)).all()}
            waiting = quarantine.waiting_counts(session)
            rows = session.exec(select(HubSite).order_by(col(HubSite.site))).all()
            return [
                _enrolled(row, counts.get(row.site, 0), waiting.get(row.site, 0), now)
                for row in rows
            ]

    def site(self, actor: Actor, code: str, now: datetime | None = None) -> SiteDetail:
        """One site's figures, open problems and quarantined events (supervisors, admins)."""
        self._require(actor, "sync.desk")
        now = now or datetime.now(UTC)
        code = code.strip()
        with read_session(self.engine) as session:
            row = session.get(HubSite, code)
            if row is None:
                raise UserError(f"没有登记站点 {code}（counter-tui hub sites 列出已登记的站点）")
            head = session.get(JournalHead, code)
            held = quarantine.waiting(session, code)
            problems = [p for p in open_problems(session) if p.site == code]
            site = _enrolled(row, head.count if head else 0, len(held), now)
        return SiteDetail(site, problems, held)

    def quarantined(self, actor: Actor, site: str | None = None) -> list[Waiting]:
        """Events waiting in quarantine here (of `site`, or all), in the order they arrived."""
        self._require(actor, "sync.desk")
        with read_session(self.engine) as session:
            return quarantine.waiting(session, site.strip() if site else None)

    def retry(
        self, actor: Actor, event_id: str | None = None, *, site: str | None = None
    ) -> Retried:
        """Apply again one waiting event, or (`event_id` None) every one (of `site`): for an
        event whose type this program has learned, or whose case has arrived since."""
        self._require(actor, "sync.quarantine")
        now = datetime.now(UTC)
        with write_session(self.engine) as session:
            if event_id is None:
                return quarantine.retry_all(session, actor, now, site)
            return quarantine.retry(session, actor, [event_id], now)

    def resolve(self, actor: Actor, event_id: str, note: str) -> Waiting:
        """Set a waiting event aside for good, with the admin's `note`: its problem is closed;
        the event stays stored, with its status."""
        self._require(actor, "sync.quarantine")
        with write_session(self.engine) as session:
            return quarantine.resolve(session, actor, event_id, note, datetime.now(UTC))

    def resolved_problem(self, event_id: str) -> SyncProblem | None:
        """The closed problem of `event_id` (who resolved it, when, with what note), if any."""
        with read_session(self.engine) as session:
            return session.exec(
                select(SyncProblem)
                .where(SyncProblem.event_id == event_id, col(SyncProblem.resolved_at).is_not(None))
                .order_by(col(SyncProblem.resolved_at).desc())
            ).first()

    def _require(self, actor: Actor, action: str) -> None:
        problem = permission_problem(actor.role, action)
        if problem:
            raise PermissionDenied(problem)

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


def _enrolled(row: HubSite, events: int, waiting: int, now: datetime) -> EnrolledSite:
    since = row.last_seen_at or row.registered_at or row.enrolled_at
    silent_for = max(timedelta(0), _aware(now) - _aware(since))
    return EnrolledSite(
        site=row.site,
        name=row.name,
        level=row.level,
        enrolled_at=row.enrolled_at,
        registered_at=row.registered_at,
        revoked_at=row.revoked_at,
        last_seen_at=row.last_seen_at,
        events=events,
        contact_via=row.contact_via,
        clock_offset_ms=row.clock_offset_ms,
        app_version=row.app_version,
        waiting=waiting,
        silent_for=silent_for,
        silent=(
            row.registered_at is not None and row.revoked_at is None and silent_for > SILENT_AFTER
        ),
    )


def _aware(moment: datetime) -> datetime:
    """A stored time (SQLite gives it back without its zone) as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
