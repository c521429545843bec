"""The UI's door to the services. Imported in a worker thread after the first paint, because
SQLModel/SQLAlchemy take about 0.6 s to import on a hall PC (STYLE.md, "Start fast").

Every method opens its own short session; nothing here is awaited while a session is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from counter_tui.accounts.rules import allowed
from counter_tui.accounts.service import LoginResult, authenticate, display_names
from counter_tui.actor import Actor
from counter_tui.cases import backoffice
from counter_tui.cases import commands as cases_commands
from counter_tui.cases import drafts as cases_drafts
from counter_tui.cases import reads as cases_reads
from counter_tui.cases.intake import Intake, Party
from counter_tui.cases.models import CaseDeferral
from counter_tui.cases.record import CaseRecord
from counter_tui.cases.worklist import (
    BACK_OFFICE_STATES,
    OPEN_STATES,
    WINDOW_STATES,
    Found,
    WorkItem,
    find_cases,
    warning_counts,
    worklist,
)
from counter_tui.catalog.model import Bundle, Item
from counter_tui.catalog.search import SearchIndex
from counter_tui.catalog.service import (
    departments,
    get_entry,
    get_items,
    kind_names,
    record_use,
    search_entries,
    usage_counts,
)
from counter_tui.clock import to_local
from counter_tui.db import make_engine, read_session, translated, write_session
from counter_tui.notices.content import Notice
from counter_tui.queue import commands as queue_commands
from counter_tui.queue import reads as queue_reads
from counter_tui.schema import require_head
from counter_tui.settings import Settings
from counter_tui.site.service import node, site_name
from counter_tui.ui.backend_queue import QueueDoor
from counter_tui.workdays.rules import DueDate
from counter_tui.workdays.service import due_date
from counter_tui.workdays.sla import SupervisionPolicy


@dataclass(frozen=True)
class NodeInfo:
    site: str
    site_name: str
    demo: bool
    level: str


@dataclass(frozen=True)
class Guide:
    """Everything the guide pane shows for one catalog entry."""

    entry: Item | Bundle
    departments: dict[str, str]
    kinds: dict[str, str]
    #: The items of a bundle (empty for an item).
    items: dict[str, Item]


@dataclass(frozen=True)
class TimelineStep:
    """One line of a case's timeline: when (local time), who, where, what."""

    at: datetime
    #: The name on the account (the user name when this node does not know the account).
    actor: str
    #: The site the step happened at, when it is not this node's own; else empty.
    site: str
    summary: str


@dataclass(frozen=True)
class CaseDetail:
    case: CaseRecord
    steps: list[TimelineStep]
    notices: list[Notice]
    deferrals: list[CaseDeferral]
    #: 正常 / 提醒 / 黄牌 … with the days left, for an open case; else empty.
    warning: str
    #: The department's name.
    department: str = ""


@dataclass(frozen=True)
class Preparation:
    """What the intake form shows of its entry: checklist, due date, department's name."""

    prepared: cases_commands.Prepared
    due: DueDate
    department: str


class Backend:
    """Services bound to one database, for one app process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.db_url)
        with translated(self.engine):  # a locked or full database at start says so, in Chinese
            require_head(self.engine)
        with read_session(self.engine) as session:
            me = node(session)
            self.node = NodeInfo(
                site=me.site, site_name=site_name(session, me.site), demo=me.demo, level=me.level
            )
        self._index: SearchIndex | None = None
        self.queue = QueueDoor(self.engine, self.node.site, settings.printing)

    def login(self, username: str, password: str) -> LoginResult:
        with write_session(self.engine) as session:
            return authenticate(
                session, username, password, site=self.node.site, window=self.settings.window
            )

    def catalog_index(self) -> SearchIndex:
        """The active catalog's search index, built once per process (about 0.1 s)."""
        if self._index is None:
            with read_session(self.engine) as session:
                entries = search_entries(session)
                usage = usage_counts(session, self.node.site)
            self._index = SearchIndex(entries, usage=usage, site_level=self.node.level)
        return self._index

    def note_use(self, code: str) -> None:
        """The clerk chose this entry: it ranks higher among equals from the next start on."""
        with write_session(self.engine) as session:
            record_use(session, self.node.site, code)

    def guide(self, code: str) -> Guide | None:
        with read_session(self.engine) as session:
            entry = get_entry(session, code)
            if entry is None:
                return None
            items = {} if isinstance(entry, Item) else get_items(session, list(entry.items))
            return Guide(entry, departments(session), kind_names(session), items)

    # --- intake -------------------------------------------------------------------------

    def prepare(self, intake: Intake, today: date) -> Preparation | None:
        """The checklist and due date of the chosen entry if accepted `today` (None: the entry
        is not in the catalog)."""
        from counter_tui.errors import UserError

        with read_session(self.engine) as session:
            try:
                prepared = cases_commands.prepare(session, intake)
            except UserError:
                return None
            department = departments(session).get(prepared.department, prepared.department)
            return Preparation(
                prepared, due_date(session, today, prepared.committed_days), department
            )

    def returning_applicant(self, key_type: str, key: str) -> tuple[Party | None, list[CaseRecord]]:
        """The applicant's last details and their cases waiting for missing materials."""
        with read_session(self.engine) as session:
            return (
                cases_reads.find_applicant(session, key_type, key),
                cases_reads.notified_cases(session, key_type, key),
            )

    def save_draft(
        self, actor: Actor, intake: Intake, draft_id: str | None, case_id: str | None
    ) -> str:
        with write_session(self.engine) as session:
            return cases_drafts.save_draft(
                session, actor, intake, draft_id=draft_id, case_id=case_id
            )

    def latest_draft(self, actor: Actor) -> cases_drafts.Draft | None:
        with read_session(self.engine) as session:
            return cases_drafts.latest_draft(session, actor)

    def discard_draft(self, actor: Actor, draft_id: str) -> None:
        with write_session(self.engine) as session:
            cases_drafts.discard_draft(session, actor, draft_id)

    def conclude(
        self,
        actor: Actor,
        outcome: str,
        intake: Intake,
        *,
        case_id: str | None,
        draft_id: str | None,
        now: datetime,
        reasons: str = "",
        competent_agency: str = "",
    ) -> cases_commands.Outcome:
        """Record an outcome ("accept", "notify" or "refuse"); raises IntakeRefused. The case
        is linked to the ticket this window is serving, in the same transaction."""
        with write_session(self.engine) as session:
            done = self._conclude(
                session,
                actor,
                outcome,
                intake,
                case_id=case_id,
                draft_id=draft_id,
                now=now,
                reasons=reasons,
                competent_agency=competent_agency,
            )
            held = queue_reads.held_by(session, self.node.site, self.settings.window)
            if held is not None and allowed(actor.role, "queue.call"):
                queue_commands.link_case(
                    session,
                    actor,
                    held.id,
                    done.case.number,
                    item_codes=done.case.item_codes,
                    now=now,
                )
            return done

    @staticmethod
    def _conclude(
        session: Session,
        actor: Actor,
        outcome: str,
        intake: Intake,
        *,
        case_id: str | None,
        draft_id: str | None,
        now: datetime,
        reasons: str,
        competent_agency: str,
    ) -> cases_commands.Outcome:
        if outcome == "refuse":
            return cases_commands.refuse(
                session,
                actor,
                intake,
                reasons=reasons,
                competent_agency=competent_agency,
                case_id=case_id,
                draft_id=draft_id,
                now=now,
            )
        conclude = cases_commands.accept if outcome == "accept" else cases_commands.notify
        return conclude(session, actor, intake, case_id=case_id, draft_id=draft_id, now=now)

    def find_cases(self, text: str) -> list[Found]:
        with read_session(self.engine) as session:
            return find_cases(session, text)

    def worklist(
        self,
        today: date,
        department: str | None,
        levels: tuple[str, ...] | None,
        view: str = "back",
        state: str | None = None,
    ) -> list[WorkItem]:
        """The cases of a worklist view, earliest due first (one department, or all with
        None): "back", what the back office has to decide; "window", what the window still
        owes (hand off, take corrections, deliver); `state`: only those of one of the view's
        states."""
        from counter_tui.workdays.sla import Level

        states = self.view_states(view)
        with read_session(self.engine) as session:
            return worklist(
                session,
                today=today,
                department=department,
                states=(state,) if state in states else states,
                levels=[Level(code) for code in levels] if levels else None,
                policy=self._policy(),
            )

    @staticmethod
    def view_states(view: str) -> tuple[str, ...]:
        """The states a worklist view lists, in the order its state filter cycles them."""
        return WINDOW_STATES if view == "window" else BACK_OFFICE_STATES

    def warning_counts(self, today: date, actor: Actor) -> dict[str, int]:
        """红牌, 黄牌 and 提醒 counts (by level code) for the header: an approver's own
        department's back-office cases, every open case of the node for anyone else."""
        approver = actor.role == "approver"
        with read_session(self.engine) as session:
            counts = warning_counts(
                session,
                today=today,
                department=actor.department if approver else None,
                states=BACK_OFFICE_STATES if approver else OPEN_STATES,
                policy=self._policy(),
            )
        return {str(level): count for level, count in counts.items()}

    def department_names(self) -> dict[str, str]:
        with read_session(self.engine) as session:
            return departments(session)

    def act(
        self, actor: Actor, action: str, case_id: str, now: datetime, **details: object
    ) -> cases_commands.Outcome:
        """A lifecycle action on a case (backoffice.act): the case after it and its notices."""
        with write_session(self.engine) as session:
            return backoffice.act(session, actor, action, case_id, now=now, **details)

    def correction_choices(
        self, case: CaseRecord, today: date
    ) -> tuple[list[tuple[str, str]], date]:
        """The case's materials (kind, name) an approver may ask to correct, and the default
        deadline (`DEFAULT_CORRECTION_DAYS` working days from today)."""
        with read_session(self.engine) as session:
            prepared = cases_commands.prepare(session, case.intake)
            deadline = due_date(session, today, backoffice.DEFAULT_CORRECTION_DAYS).date
        return [(line.material.kind, line.material.name) for line in prepared.lines], deadline

    def _policy(self) -> SupervisionPolicy:
        supervision = self.settings.supervision
        return SupervisionPolicy(supervision.reminder_days, supervision.yellow_grace_days)

    def case_detail(self, case_id: str, today: date) -> CaseDetail | None:
        """Everything the case detail shows: the case, its timeline, notices, 容缺 and level."""
        from sqlmodel import col, select

        from counter_tui.cases.models import CaseStep
        from counter_tui.workdays.service import calendar_for
        from counter_tui.workdays.sla import describe, is_paused, level

        with read_session(self.engine) as session:
            case = cases_reads.get_case(session, case_id)
            if case is None:
                return None
            steps = session.exec(
                select(CaseStep)
                .where(CaseStep.case_id == case.id)
                .order_by(col(CaseStep.at), col(CaseStep.event_id))
            ).all()
            names = display_names(session, {step.actor for step in steps})
            timeline = [
                TimelineStep(
                    at=to_local(step.at),
                    actor=names.get(step.actor, step.actor),
                    site="" if step.site == self.node.site else step.site,
                    summary=step.summary,
                )
                for step in steps
            ]
            pauses = backoffice.pauses_of(session, case.id)
            warning = ""
            if case.due is not None and case.state in OPEN_STATES:
                calendar = calendar_for(session)
                found = level(
                    today,
                    due=case.due,
                    legal_due=case.legal_due,
                    policy=self._policy(),
                    calendar=calendar,
                    paused=is_paused(pauses, today),
                )
                warning = f"{found.label}（{describe(today, case.due, calendar)}）"
            return CaseDetail(
                case=case,
                steps=timeline,
                notices=cases_reads.notices_of(session, case.id),
                deferrals=cases_reads.deferrals_of(session, case.id),
                warning=warning,
                department=departments(session).get(case.department, case.department),
            )

    def supply_deferred(self, actor: Actor, case_id: str, kind: str) -> list[CaseDeferral]:
        with write_session(self.engine) as session:
            cases_commands.supply_deferred(session, actor, case_id, kind)
            return cases_reads.deferrals_of(session, case_id)

    def terminate(self, actor: Actor, case_id: str, now: datetime) -> cases_commands.Outcome:
        with write_session(self.engine) as session:
            return cases_commands.terminate(session, actor, case_id, now=now)

    def print_notices(self, notices: list[Notice]) -> list[str]:
        """Print or save each notice as configured; returns the clerk's message for each."""
        from counter_tui.notices.printing import deliver_all

        return [done.message for done in deliver_all(notices, self.settings.printing)]

    def close(self) -> None:
        self.engine.dispose()


def open_backend(settings: Settings) -> Backend:
    return Backend(settings)
