"""The reports door: what a supervisor reads across the node: overdue cases, and the figures,
rankings and daily series of the reports capability (reports.figures)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from counter_tui.cases.worklist import WorkItem, overdue
from counter_tui.clock import now_local
from counter_tui.db import read_session
from counter_tui.desk.door import Door
from counter_tui.reports import figures as fig

if TYPE_CHECKING:
    from counter_tui.reports.build import Report


class ReportsDoor(Door):
    def overdue(self, today: date) -> list[WorkItem]:
        """Open cases past their committed date on `today` (黄牌, 红牌), the earliest due first."""
        with read_session(self.engine) as session:
            return overdue(session, today=today, policy=self.policy())

    def figures(
        self, scope: fig.Scope, period: fig.Period, *, today: date | None = None
    ) -> fig.Figures:
        """The figures of `scope` over `period` (scope.site None: every site this database
        holds, the whole county at the hub)."""
        with read_session(self.engine) as session:
            return fig.figures(session, scope, period, today=today or _today())

    def ranking(
        self,
        by: fig.Dimension,
        scope: fig.Scope,
        period: fig.Period,
        *,
        today: date | None = None,
        order: str | None = None,
    ) -> list[fig.Ranked]:
        """Departments, windows, clerks or sites ranked over `period` (reports.figures.ranking)."""
        with read_session(self.engine) as session:
            return fig.ranking(session, by, scope, period, today=today or _today(), order=order)

    def series(self, scope: fig.Scope, end: date, days: int = 30) -> list[fig.DayPoint]:
        """One point per day for the `days` days up to `end` (F6's line of the last 30 days)."""
        with read_session(self.engine) as session:
            return fig.daily_series(session, scope, end, days)

    def report(
        self, kind: str, day: date, *, site: str | None, today: date | None = None
    ) -> Report:
        """The report of `kind` (daily, weekly, tenday, monthly) for the period holding `day`;
        site None: every site this database holds (the county, at the hub)."""
        from counter_tui.reports.build import build

        with read_session(self.engine) as session:
            return build(session, kind, day, site=site, today=today or _today())

    def default_site(self) -> str | None:
        """Whose report `--site` left out means: at a county node (the hub) every synced site,
        elsewhere the node's own."""
        return None if self.node.level == "county" else self.node.site


def _today() -> date:
    return now_local().date()
