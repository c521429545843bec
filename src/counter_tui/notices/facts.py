"""What the window knows when it issues a notice, as the one record every notice builder takes.

The case (entry, applicant, agent, marks, dates, decisions), the checklist as marked, the
items' guides, the issuing agency, the department names and the time: a notice is composed
from these alone, so it can be stored and reprinted unchanged whatever the catalog later
becomes. The caller (the cases services) gathers them from the database; the builders in
compose.py never read anything else. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from counter_tui.cases.intake import DEFERRED, Mark
from counter_tui.cases.record import CaseRecord
from counter_tui.catalog.model import Item
from counter_tui.catalog.rules import ChecklistLine


@dataclass(frozen=True)
class NoticeFacts:
    """Everything a notice says, as known at the moment it is issued."""

    case: CaseRecord
    #: The checklist's lines (the items' materials after the situation answers, merged by
    #: kind for a bundle); the marks are the case's.
    checklist: Sequence[ChecklistLine]
    #: Item code → the item's guide; the case's items are looked up here.
    items: Mapping[str, Item]
    #: The issuing agency, printed at the head and by the seal (the site's name).
    issuer: str
    #: Department code → name.
    departments: Mapping[str, str]
    issued_at: datetime
    #: The node is a demo (training) hall: the notice carries the training mark.
    training: bool = False

    @property
    def chosen(self) -> list[Item]:
        """The case's items that the catalog still has, in the case's order."""
        return [self.items[code] for code in self.case.item_codes if code in self.items]

    @property
    def department_name(self) -> str:
        department = self.case.department
        return self.departments.get(department, department)

    def marked(self) -> list[tuple[ChecklistLine, Mark]]:
        """Each checklist line with the clerk's mark (unmarked: pending)."""
        marks = self.case.intake.marks
        return [(line, marks.get(line.material.kind, Mark())) for line in self.checklist]

    def deferred(self) -> list[tuple[ChecklistLine, Mark]]:
        """The lines accepted under 容缺, still owed."""
        return [(line, mark) for line, mark in self.marked() if mark.status == DEFERRED]
