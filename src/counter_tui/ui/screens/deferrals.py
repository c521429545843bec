"""A case's deferred (容缺) materials: mark one supplied, terminate the case when one has lapsed,
or reprint its notices. Opened from Ctrl+O on the intake screen for an accepted case that still
owes materials."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.clock import now_local, to_local
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.cases.models import CaseDeferral
    from counter_tui.cases.record import CaseRecord
    from counter_tui.desk.node import Desk
    from counter_tui.notices.content import Notice
    from counter_tui.ui.app import CounterApp


class DeferralsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "supply", "已补交", id="deferrals.supply", tooltip="申请人已补交选中的材料"),
        Binding(
            "x",
            "terminate",
            "终止办理",
            id="deferrals.terminate",
            tooltip="容缺材料逾期未补交：终止办理并出具终止办理通知书",
        ),
        Binding("p", "reprint", "补打", id="deferrals.reprint", tooltip="补打本办件的通知书"),
        Binding("escape", "close", "关闭", id="deferrals.close"),
    ]

    status = getters.query_one(StatusLine)

    def __init__(
        self, case: CaseRecord, deferrals: list[CaseDeferral], notices: list[Notice], today: date
    ) -> None:
        super().__init__()
        self.case = case
        self.deferrals = deferrals
        self.notices = notices
        self.today = today

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            head = Text(f"容缺材料：{self.case.number}  {self.case.entry_name}", style="bold")
            yield Static(head)
            yield OptionList(id="deferrals-list")
            yield StatusLine(id="deferrals-status")
            yield Static(
                Text("s 已补交  x 终止办理（逾期未补交时）  p 补打通知书  Esc 关闭", style="dim")
            )

    def on_mount(self) -> None:
        self._show_list()
        self.query_one(OptionList).focus()

    def _show_list(self) -> None:
        options = []
        for deferral in self.deferrals:
            line = Text(deferral.name)
            if deferral.supplied_at is not None:
                line.append(f"  已于 {to_local(deferral.supplied_at):%m-%d} 补交", style="green")
            elif deferral.until < self.today:
                line.append(f"  逾期（期限 {deferral.until:%Y-%m-%d}）", style="bold red")
            else:
                line.append(f"  补交期限 {deferral.until:%Y-%m-%d}")
            options.append(Option(line, id=deferral.kind))
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.set_options(options)
        if options:
            listing.highlighted = min(highlighted or 0, len(options) - 1)

    def action_supply(self) -> None:
        listing = self.query_one(OptionList)
        desk, signed = self.counter.desk, self.counter.signed_in
        if listing.highlighted is None or desk is None or signed is None:
            return
        kind = self.deferrals[listing.highlighted].kind
        self._supply(desk, kind)

    @work(thread=True, exclusive=True, group="deferrals")
    def _supply(self, desk: Desk, kind: str) -> None:
        signed = self.counter.signed_in
        assert signed is not None
        deferrals = desk.cases.supply_deferred(signed.actor, self.case.id, kind)
        hand_back(self._supplied, deferrals)

    def _supplied(self, deferrals: list[CaseDeferral]) -> None:
        self.deferrals = deferrals
        self._show_list()
        self.status.say("已记录补交")

    def action_terminate(self) -> None:
        desk = self.counter.desk
        if desk is not None:
            self._terminate(desk)

    @work(thread=True, exclusive=True, group="deferrals")
    def _terminate(self, desk: Desk) -> None:
        signed = self.counter.signed_in
        assert signed is not None
        now = now_local(self.counter.clock()).replace(microsecond=0)
        outcome = desk.cases.terminate(signed.actor, self.case.id, now)
        hand_back(self._terminated, outcome.case, outcome.notices)

    def _terminated(self, case: CaseRecord, notices: list[Notice]) -> None:
        from counter_tui.ui.screens.notice import NoticePreview

        self.dismiss(None)
        self.app.push_screen(NoticePreview(notices, case))

    def action_reprint(self) -> None:
        from counter_tui.ui.screens.notice import NoticePreview

        self.app.push_screen(NoticePreview(self.notices, self.case, reprint=True))

    def action_close(self) -> None:
        self.dismiss(None)
