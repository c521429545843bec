"""差评整改: the open follow-ups of bad ratings, the earliest deadline first, each with its
case, owner, state and deadline (past due in red). Enter takes the next step (回访核实 → 整改 →
反馈) with its note; a takes the appeal (申诉复核) that marks the rating 误评 with a reason.

A modal any section can push (`FollowupsScreen()`), the F6 statistics screen included. The
service refuses what the signed-in role may not do; the refusal shows on the status line.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.clock import now_local
from counter_tui.ui.screens.ask import AskScreen
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.widgets.training_mark import mark_training
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.desk.node import Desk
    from counter_tui.feedback.followups import Followup
    from counter_tui.ui.app import CounterApp

#: What the note of each step is called, asked before it is recorded.
NOTE_PROMPTS = {
    "verify": "回访核实情况（评价人反映的问题、核实结果）：",
    "fix": "整改措施（或无法整改的依据）：",
    "close": "向评价人反馈的结果：",
}


def followup_line(item: Followup, today: date, departments: dict[str, str] | None = None) -> Text:
    """One follow-up as the list shows it; the case number and reasons render literally. The
    owner is the department's name where the catalog knows it (`departments`: code → name)."""
    from counter_tui.feedback.rules import LEVELS, reason_label

    line = Text()
    if item.overdue(today):
        line.append(f"{item.due:%m-%d} 前 已超期", style="bold red")
    else:
        line.append(f"{item.due:%m-%d} 前")
    line.append(f"  {item.subject}")
    line.append(f"  {owner_label(item.owner, departments or {})}")
    line.append(f"  {LEVELS.get(item.level or 0, '')}")
    if item.reasons:
        line.append(f"（{'、'.join(reason_label(r) for r in item.reasons)}）")
    line.append(f"  {item.state_label}", style="bold")
    if item.next_label:
        line.append(f"  → {item.next_label}", style="dim")
    return line


def owner_label(owner: str, departments: dict[str, str]) -> str:
    """Who owns a follow-up, as people say it: 大厅 for a ticket's rating, else the
    department's name (its code when the catalog no longer has it)."""
    return "大厅" if owner == "hall" else departments.get(owner, owner)


class FollowupsScreen(ModalScreen[None]):
    """The open 差评整改 of this node; Enter: the next step; a: 申诉复核 (误评)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "step", "下一步", id="followups.step", tooltip="办理选中差评整改的下一步"),
        Binding("a", "appeal", "申诉复核", id="followups.appeal", tooltip="认定为误评，写明理由"),
        Binding("escape", "close", "关闭", id="followups.close"),
    ]

    status = getters.query_one(StatusLine)
    listing = getters.query_one("#followups-list", OptionList)

    def __init__(self, initial: str = "") -> None:
        super().__init__()
        self.items: list[Followup] = []
        #: Department code → name, read once with the first list.
        self.departments: dict[str, str] = {}
        #: The follow-up (its rating's id) to highlight when the list first shows: the row
        #: F6's supervisor view was opened on.
        self.initial = initial

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def today(self) -> date:
        return now_local(self.counter.clock()).date()

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box", classes="followups"):
            yield Static(Text("差评整改（回访核实 → 整改 → 反馈）", style="bold"))
            yield OptionList(id="followups-list")
            yield StatusLine(id="followups-status")
            yield Static(Text("回车 下一步  a 申诉复核（误评）  Esc 关闭", style="dim"))

    def on_mount(self) -> None:
        mark_training(self.query_one("#ask-box", Widget))  # at 80×24 it covers the header
        self.listing.focus()
        self.status.say("正在读取…")
        desk = self.counter.desk
        if desk is not None:
            self._load(desk)

    @work(thread=True, exclusive=True, group="followups")
    def _load(self, desk: Desk, message: str = "") -> None:
        if not self.departments:
            self.departments = desk.catalog.department_names()
        hand_back(self._show, desk.feedback.followups(), message)

    def _show(self, items: list[Followup], message: str) -> None:
        self.items = items
        today = self.today()
        highlighted = self.listing.highlighted
        self.listing.set_options(
            [
                Option(followup_line(item, today, self.departments), id=item.rating_id)
                for item in items
            ]
        )
        ids = [item.rating_id for item in items]
        if self.initial in ids:
            highlighted, self.initial = ids.index(self.initial), ""
        if items:
            self.listing.highlighted = min(highlighted or 0, len(items) - 1)
        late = sum(1 for item in items if item.overdue(today))
        summary = f"待办 {len(items)} 件，其中超期 {late} 件" if items else "没有待办的差评整改"
        self.status.say(f"{message}  {summary}" if message else summary)

    def _selected(self) -> Followup | None:
        index = self.listing.highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    @on(OptionList.OptionSelected, "#followups-list")
    def _chosen(self) -> None:
        """Enter on the list (the list takes the key before the screen's binding)."""
        self.action_step()

    def action_step(self) -> None:
        item = self._selected()
        step = item.next_step if item else None
        if item is None or step is None:
            return
        title = f"{item.next_label}：{item.subject}"

        def answered(note: str | None) -> None:
            if note is not None:
                self._record(item.rating_id, step, note)

        self.app.push_screen(AskScreen(title, NOTE_PROMPTS[step]), answered)

    def action_appeal(self) -> None:
        item = self._selected()
        if item is None:
            return
        title = f"申诉复核：{item.subject}"

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._record(item.rating_id, "appeal", reason)

        self.app.push_screen(AskScreen(title, "误评的理由（误按、恶意评价等）："), answered)

    def _record(self, rating_id: str, step: str, note: str) -> None:
        desk = self.counter.desk
        if desk is not None:
            self.status.say("正在记录…")
            self._take(desk, rating_id, step, note)

    @work(thread=True, exclusive=True, group="followups")
    def _take(self, desk: Desk, rating_id: str, step: str, note: str) -> None:
        signed = self.counter.signed_in
        assert signed is not None
        now = now_local(self.counter.clock()).replace(microsecond=0)
        if step == "appeal":
            done = desk.feedback.appeal(signed.actor, rating_id, note, now)
        else:
            done = desk.feedback.step(signed.actor, rating_id, step, note, now)
        hand_back(self._show, desk.feedback.followups(), f"已记录：{done.state_label}。")

    def action_close(self) -> None:
        self.dismiss(None)
