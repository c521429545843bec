"""The cases door: finding cases, worklists, the case detail and lifecycle actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from counter_tui.accounts.service import display_names
from counter_tui.actor import Actor, machine_actor
from counter_tui.cases import backoffice
from counter_tui.cases import commands as cases_commands
from counter_tui.cases import reads as cases_reads
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
from counter_tui.catalog.service import departments
from counter_tui.clock import to_local
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.desk.records import CaseDetail, TimelineStep
from counter_tui.site.service import site_name
from counter_tui.workdays.service import due_date

if TYPE_CHECKING:
    from counter_tui.cases.today import TodayWork


def view_states(view: str) -> tuple[str, ...]:
    """The states a worklist view lists, in the order its state filter cycles them."""
    return WINDOW_STATES if view == "window" else BACK_OFFICE_STATES


class CasesDoor(Door):
    def find(self, text: str, viewer: Actor | None = None) -> list[Found]:
        """Cases by number, ID, phone or name; a short number (0003) is this node's case."""
        with read_session(self.engine) as session:
            return find_cases(session, text, site=self.node.site, viewer=viewer)

    def today(self, viewer: Actor, window: str, day: date) -> TodayWork:
        """What the window and `viewer` did on `day`: its tickets and the cases touched."""
        from counter_tui.cases.today import today_work

        with read_session(self.engine) as session:
            return today_work(session, viewer, window, day)

    def worklist(
        self,
        today: date,
        department: str | None,
        levels: tuple[str, ...] | None,
        view: str = "back",
        state: str | None = None,
        viewer: Actor | None = None,
    ) -> list[WorkItem]:
        """The cases of a worklist view, earliest due first (one department, or all with
        None): "back", what the back office has to decide; "window", what the window still
        owes (hand off, take corrections, deliver); `state`: only those of one of the view's
        states."""
        from counter_tui.workdays.sla import Level

        states = view_states(view)
        with read_session(self.engine) as session:
            return worklist(
                session,
                today=today,
                department=department,
                states=(state,) if state in states else states,
                levels=[Level(code) for code in levels] if levels else None,
                policy=self.policy(),
                viewer=viewer,
            )

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
                policy=self.policy(),
            )
        return {str(level): count for level, count in counts.items()}

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

    def suggested_decision_number(self, case: CaseRecord, *, approve: bool, today: date) -> str:
        """The decision number to offer for approving (or denying) `case`: the one after its
        department's last ("" if it has none yet; cases.decision_numbers)."""
        from counter_tui.cases.decision_numbers import suggested_number

        with read_session(self.engine) as session:
            return suggested_number(session, case.department, approve=approve, year=today.year)

    def detail(self, case_id: str, today: date) -> CaseDetail | None:
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
            names = display_names(session, {(step.site, step.actor) for step in steps})
            timeline = [
                TimelineStep(
                    at=to_local(step.at),
                    actor=names.get((step.site, step.actor), machine_actor(step.actor)),
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
                    policy=self.policy(),
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
                intake_site=""
                if case.site == self.node.site
                else f"{site_name(session, case.site)}（{case.site}）",
            )

    def supply_deferred(self, actor: Actor, case_id: str, kind: str) -> list[CaseDeferral]:
        with write_session(self.engine) as session:
            cases_commands.supply_deferred(session, actor, case_id, kind)
            return cases_reads.deferrals_of(session, case_id)

    def terminate(self, actor: Actor, case_id: str, now: datetime) -> cases_commands.Outcome:
        with write_session(self.engine) as session:
            return cases_commands.terminate(session, actor, case_id, now=now)
