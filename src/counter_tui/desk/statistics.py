"""The statistics door: the figures of the reports capability as a signed-in person may read
them (F6). The reports door (desk/reports.py) answers the CLI and the hub, which sign nobody in;
this one first checks the scope against the viewer's role (accounts.rules.report_scope_problem)
so that a clerk's window cannot ask for the hall's or a colleague's figures, whatever a screen
offers, and keeps the supervisor's list of cards (督办) for the roles that supervise.
"""

from __future__ import annotations

from datetime import date

from counter_tui.accounts.rules import HALL_REPORT_ROLES, report_scope_problem, role_label
from counter_tui.actor import Actor
from counter_tui.cases.worklist import WorkItem, overdue
from counter_tui.db import read_session
from counter_tui.desk.door import Door
from counter_tui.errors import PermissionDenied
from counter_tui.reports import figures as fig


class StatisticsDoor(Door):
    def _require(self, viewer: Actor, scope: fig.Scope) -> None:
        problem = report_scope_problem(
            viewer.role,
            own_username=viewer.username,
            own_window=viewer.window or self.settings.window,
            own_department=viewer.department,
            department=scope.department,
            window=scope.window,
            clerk=scope.clerk,
        )
        if problem is not None:
            raise PermissionDenied(problem)

    def figures(
        self, viewer: Actor, scope: fig.Scope, period: fig.Period, *, today: date
    ) -> fig.Figures:
        self._require(viewer, scope)
        with read_session(self.engine) as session:
            return fig.figures(session, scope, period, today=today)

    def ranking(
        self,
        viewer: Actor,
        by: fig.Dimension,
        scope: fig.Scope,
        period: fig.Period,
        *,
        today: date,
    ) -> list[fig.Ranked]:
        """A ranking within a scope the viewer may read (a clerk's own cases by department)."""
        self._require(viewer, scope)
        with read_session(self.engine) as session:
            return fig.ranking(session, by, scope, period, today=today)

    def series(
        self, viewer: Actor, scope: fig.Scope, end: date, days: int = 30
    ) -> list[fig.DayPoint]:
        self._require(viewer, scope)
        with read_session(self.engine) as session:
            return fig.daily_series(session, scope, end, days)

    def cards(self, viewer: Actor, today: date) -> list[WorkItem]:
        """The hall's red and yellow cards (applicants masked), for those who supervise."""
        if viewer.role not in HALL_REPORT_ROLES:
            raise PermissionDenied(f"当前角色（{role_label(viewer.role)}）无权查看督办清单")
        with read_session(self.engine) as session:
            return overdue(session, today=today, policy=self.policy())
