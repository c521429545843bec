"""Ctrl+O on the intake screen (找回办件): a case found by its number, or the applicant's ID
number, phone or name, chosen from a list when several match. A notified case comes back into
the form to be resumed with nothing re-entered; any other opens in the case detail (reprint,
hand-off, 容缺 materials …).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.cases.worklist import Found
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import CaseDetail
    from counter_tui.ui.screens.intake.screen import IntakeScreen

#: The worker group of the search and of opening the case found (a new search replaces both).
GROUP = "intake-find"


class CaseFinder:
    """Asks for the key, searches in a worker of the screen, and opens what was found."""

    def __init__(self, screen: IntakeScreen) -> None:
        self._screen = screen

    def ask(self) -> None:
        from counter_tui.ui.screens.ask import AskScreen

        def done(key: str | None) -> None:
            desk = self._screen.counter.desk
            if key and desk is not None:
                self._run(self._find, desk, key.strip())

        self._screen.app.push_screen(
            AskScreen(
                "找回办件",
                "办件编号、证件号码、手机号或申请人姓名：续办告知件，或查看办件、补打通知书",
            ),
            done,
        )

    def _run(self, work: Callable[..., None], *args: object) -> None:
        self._screen.run_worker(partial(work, *args), thread=True, exclusive=True, group=GROUP)

    def _find(self, desk: Desk, key: str) -> None:
        found = desk.cases.find(key)
        hand_back(self._matches, key, found)

    def _matches(self, key: str, found: list[Found]) -> None:
        from counter_tui.ui.screens.case_detail import CasePickScreen

        desk = self._screen.counter.desk
        if not found or desk is None:
            self._screen.status.say(f"没有找到办件：{key}", error=True)
        elif len(found) == 1:
            self._run(self._open, desk, found[0].id)
        else:

            def chosen(case_id: str | None) -> None:
                if case_id and desk is not None:
                    self._run(self._open, desk, case_id)

            self._screen.app.push_screen(CasePickScreen(key, found), chosen)

    def _open(self, desk: Desk, case_id: str) -> None:
        detail = desk.cases.detail(case_id, self._screen.counter.clock().date())
        if detail is not None:
            hand_back(self._opened, detail)

    def _opened(self, detail: CaseDetail) -> None:
        """A notified case is resumed in the form; any other opens in the case detail."""
        from counter_tui.cases.record import NOTIFIED
        from counter_tui.ui.screens.case_detail import CaseDetailScreen

        if detail.case.state == NOTIFIED:
            self._screen.resume(detail.case)
            return
        actor = self._screen.actor
        role = actor.role if actor else "clerk"
        self._screen.app.push_screen(CaseDetailScreen(detail, role))
