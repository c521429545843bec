"""The hard-cases door (`desk.hard_cases`): the 办不成事 loop and 帮代办 for the app, the CLI
and H5's supervisor view. Each call opens its own short session; writes take the actor."""

from __future__ import annotations

from datetime import date, datetime

from counter_tui.accounts.service import authenticate
from counter_tui.actor import Actor
from counter_tui.assistance import service as assistance
from counter_tui.assistance.service import AssistLine
from counter_tui.db import read_session, write_session
from counter_tui.desk.door import Door
from counter_tui.errors import UserError
from counter_tui.feedback import hard_case_reads as reads
from counter_tui.feedback import hard_cases as service
from counter_tui.feedback.hard_case_reads import HardCaseLine, HardCaseView
from counter_tui.feedback.hard_cases import Opened


class HardCasesDoor(Door):
    # --- reading ------------------------------------------------------------------------------

    def open_list(self, viewer: Actor | None, today: date) -> list[HardCaseLine]:
        """Hard cases not yet closed by a 回访: due for 督办 first, then the nearest deadline."""
        with read_session(self.engine) as session:
            return reads.open_hard_cases(session, viewer, today)

    def due_for_supervision(self, viewer: Actor | None, today: date) -> list[HardCaseLine]:
        """The open hard cases with a reply deadline passed unanswered (what to 督办)."""
        return [line for line in self.open_list(viewer, today) if line.overdue]

    def view(self, ref: str, viewer: Actor | None, today: date) -> HardCaseView:
        """One hard case by number (BC-261123-01) or id, its timeline and requests."""
        with read_session(self.engine) as session:
            return reads.view(session, self.node.site, ref, viewer, today)

    def assists(self, first: date, last: date, *, case_number: str = "") -> list[AssistLine]:
        with read_session(self.engine) as session:
            return assistance.assists(session, self.node.site, first, last, case_number=case_number)

    # --- the loop -----------------------------------------------------------------------------

    def open(self, actor: Actor, now: datetime | None = None, **fields: str) -> Opened:
        """受理 (feedback.hard_cases.open_hard_case's fields: kind, problem, applicant_name,
        id_number, phone, ticket_number, case_number)."""
        with write_session(self.engine) as session:
            return service.open_hard_case(session, actor, now=now, **fields)

    def inform(self, actor: Actor, ref: str, note: str, now: datetime | None = None) -> None:
        with write_session(self.engine) as session:
            service.inform(session, actor, ref, note, now=now)

    def coordinate(
        self,
        actor: Actor,
        ref: str,
        department: str,
        request: str,
        days: int,
        now: datetime | None = None,
    ) -> date:
        with write_session(self.engine) as session:
            return service.coordinate(
                session, actor, ref, department=department, request=request, days=days, now=now
            )

    def reply(
        self, actor: Actor, ref: str, department: str, text: str, now: datetime | None = None
    ) -> None:
        with write_session(self.engine) as session:
            service.reply(session, actor, ref, department=department, text=text, now=now)

    def supervise(
        self,
        actor: Actor,
        ref: str,
        department: str,
        note: str,
        days: int,
        now: datetime | None = None,
    ) -> date:
        with write_session(self.engine) as session:
            return service.supervise(
                session, actor, ref, department=department, note=note, days=days, now=now
            )

    def conclude(
        self, actor: Actor, ref: str, outcome: str, explanation: str, now: datetime | None = None
    ) -> None:
        with write_session(self.engine) as session:
            service.conclude(session, actor, ref, outcome=outcome, explanation=explanation, now=now)

    def visit(
        self, actor: Actor, ref: str, verdict: str, note: str, now: datetime | None = None
    ) -> None:
        with write_session(self.engine) as session:
            service.visit(session, actor, ref, verdict=verdict, note=note, now=now)

    # --- 帮代办 --------------------------------------------------------------------------------

    def record_assist(
        self,
        actor: Actor,
        *,
        way: str,
        for_whom: str,
        minutes: int,
        note: str = "",
        case_number: str = "",
        now: datetime | None = None,
    ) -> str:
        with write_session(self.engine) as session:
            return assistance.record_assist(
                session,
                actor,
                way=way,
                for_whom=for_whom,
                minutes=minutes,
                note=note,
                case_number=case_number,
                now=now,
            )

    # --- the command line's sign-in -----------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Actor:
        """A user signing in for one command (no window), as the app's sign-in does (argon2,
        the lockout, every attempt in the journal); their actor, or a refusal in Chinese."""
        with write_session(self.engine) as session:
            result = authenticate(session, username, password, site=self.node.site)
        if result.actor is None:
            raise UserError(f"登录失败：{result.message}")
        return result.actor
