"""The reports door: what a supervisor reads across the node (overdue cases so far; the
statistics and rankings of the reports capability will join it)."""

from __future__ import annotations

from datetime import date

from counter_tui.cases.worklist import WorkItem, overdue
from counter_tui.db import read_session
from counter_tui.desk.door import Door


class ReportsDoor(Door):
    def overdue(self, today: date) -> list[WorkItem]:
        """Open cases past their committed date on `today` (黄牌, 红牌), the earliest due first."""
        with read_session(self.engine) as session:
            return overdue(session, today=today, policy=self.policy())
