"""Ctrl+O on the intake screen (找回办件): a case found by its number — whole, or short as the
lists show it (`0003`, `3`, `1123-0003`: this site's case so numbered most recently) — or the
applicant's ID number, phone or name, chosen from a list when several match. A notified case
comes back into the form to be resumed with nothing re-entered; any other opens in the case
detail (reprint, hand-off, 容缺 materials …). When nothing matches, the question comes back
with what was typed and says so under it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, Static
from textual.widgets.input import Selection

from counter_tui.ui.screens.ask import AskScreen
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.cases.worklist import Found
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import CaseDetail
    from counter_tui.ui.screens.intake.screen import IntakeScreen

#: The worker group of the search and of opening the case found (a new search replaces both).
GROUP = "intake-find"
TITLE = "找回办件"
PROMPT = (
    "办件编号（可只输末尾序号，如 0003）、证件号码、手机号或申请人姓名："
    "续办告知件，或查看办件、补打通知书"
)


class CaseFinder:
    """Asks for the key, searches in a worker of the screen, and opens what was found."""

    def __init__(self, screen: IntakeScreen) -> None:
        self._screen = screen

    def ask(self, initial: str = "", problem: str = "") -> None:
        """The question; again with `initial` (what was typed) and `problem` when the last
        search found nothing."""

        def done(key: str | None) -> None:
            desk = self._screen.counter.desk
            if key and desk is not None:
                self._run(self._find, desk, key.strip())

        self._screen.app.push_screen(FindScreen(initial=initial, problem=problem), done)

    def _run(self, work: Callable[..., None], *args: object) -> None:
        self._screen.run_worker(partial(work, *args), thread=True, exclusive=True, group=GROUP)

    def _find(self, desk: Desk, key: str) -> None:
        found = desk.cases.find(key, self._screen.actor)
        hand_back(self._matches, key, found)

    def _matches(self, key: str, found: list[Found]) -> None:
        from counter_tui.ui.screens.case_detail import CasePickScreen

        desk = self._screen.counter.desk
        if desk is None:
            return
        if not found:
            from counter_tui.cases.worklist import SHORT_NUMBER

            short = SHORT_NUMBER.match(key)
            hint = (
                f"本站最近没有序号为 {short.group(2).zfill(4)} 的办件，请核对编号"
                if short
                else "请核对编号、证件号码、手机号或姓名"
            )
            self.ask(initial=key, problem=f"没有找到办件：{key}。{hint}")
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


class FindScreen(AskScreen):
    """The 找回办件 question, able to come back showing why the last search found nothing
    (the search runs in a worker, after the question has closed)."""

    def __init__(self, *, initial: str = "", problem: str = "") -> None:
        super().__init__(TITLE, PROMPT, initial=initial)
        self.problem = problem

    def on_mount(self) -> None:
        # What comes back is kept whole with the cursor at its end, not selected, so a key
        # corrects it instead of erasing it. The field may be focused (and so selected)
        # before or after this runs: undo the one, prevent the other.
        field = self.query_one("#ask-input", Input)
        field.select_on_focus = False
        field.selection = Selection.cursor(len(field.value))
        if self.problem:
            error = self.query_one("#ask-error", Static)
            error.update(Text(self.problem))
            error.add_class("error")
