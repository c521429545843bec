"""The intake door: the window's form from the chosen entry to the outcome."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from counter_tui.accounts.rules import allowed
from counter_tui.actor import Actor
from counter_tui.cases import commands as cases_commands
from counter_tui.cases import drafts as cases_drafts
from counter_tui.cases import reads as cases_reads
from counter_tui.cases.intake import Intake, Party
from counter_tui.cases.record import CaseRecord
from counter_tui.catalog.service import departments
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.desk.records import Preparation
from counter_tui.errors import UserError
from counter_tui.notices.content import Notice
from counter_tui.queue import commands as queue_commands
from counter_tui.queue import reads as queue_reads
from counter_tui.workdays.service import due_date


class IntakeDoor(Door):
    def prepare(self, intake: Intake, today: date) -> Preparation | None:
        """The checklist and due date of the chosen entry if accepted `today` (None: the entry
        is not in the catalog)."""
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
            done = _conclude(
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

    def print_notices(self, notices: list[Notice]) -> list[str]:
        """Print or save each notice as configured; returns the clerk's message for each."""
        from counter_tui.notices.printing import deliver_all

        return [done.message for done in deliver_all(notices, self.settings.printing)]


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
