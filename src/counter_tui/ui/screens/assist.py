"""Recording 帮代办 (assisted service): a small dialog opened from a case (its detail) or from
the window's ticket (F3). How (窗口代办, 上门, 邮寄), for whom (老年人, 残疾人, 企业项目, 其他),
the minutes spent and a note; the signed-in user is who helped. Keyboard only: digits or ↑↓
in the two pick lists, Enter to the next field, Enter on the last records, Esc cancels. A
refusal is said under the fields and everything chosen and typed stays."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.assistance import rules
from counter_tui.ui.screens.hard_case import HardCaseModal
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.desk.node import Desk

PICKS = (("way", "方式", rules.WAYS), ("for_whom", "服务对象", rules.FOR_WHOM))


class AssistScreen(HardCaseModal["str | None"]):
    """Returns the id of the 帮代办 recorded, or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="assist.cancel"),
        Binding("up", "back", "上一项", id="assist.back", show=False),
    ]

    def __init__(self, *, case_number: str = "", about: str = "") -> None:
        super().__init__()
        self.case_number = case_number
        #: What the dialog is for, shown under its title (a ticket's number).
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Text("登记帮代办", style="bold"), id="ask-title")
            where = f"办件 {self.case_number}" if self.case_number else self.about or "不关联办件"
            yield Static(Text(where))
            for pick_id, label, choices in PICKS:
                yield Static(Text(f"{label}（数字或 ↑↓，回车）"), classes="form-label")
                yield OptionList(
                    *(
                        Option(Text(f"{n}  {name}"), id=code)
                        for n, (code, name) in enumerate(choices.items(), 1)
                    ),
                    id=f"assist-{pick_id}",
                )
            yield Static(Text("用时（分钟）"), classes="form-label")
            yield Input(id="assist-minutes", classes="form-input", restrict=r"[0-9]*")
            yield Static(Text("备注（服务对象为“其他”时写明是谁）"), classes="form-label")
            yield Input(id="assist-note", classes="form-input")
            yield StatusLine(id="assist-error", classes="error")
            yield Static(Text("回车下一项（最后一项回车登记）  ↑ 上一项  Esc 取消", style="dim"))

    def _fields(self) -> list[OptionList | Input]:
        return [*self.query(OptionList), *self.query(Input)]

    def on_mount(self) -> None:
        for pick in self.query(OptionList):
            pick.highlighted = 0
        self._fields()[0].focus()

    def _forward(self) -> None:
        fields = self._fields()
        if self.focused in fields:
            at = fields.index(self.focused)
            if at + 1 < len(fields):
                fields[at + 1].focus()

    def on_key(self, event: events.Key) -> None:
        focused, key = self.focused, event.character
        digit = isinstance(focused, OptionList) and key is not None and key.isdigit()
        if digit and isinstance(focused, OptionList) and 1 <= int(key or 0) <= focused.option_count:
            event.stop()
            focused.highlighted = int(key or 0) - 1
            self._forward()

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self._forward()

    def action_back(self) -> None:
        fields = self._fields()
        if self.focused in fields:
            fields[max(0, fields.index(self.focused) - 1)].focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "assist-note":
            self._forward()
            return
        minutes = self.query_one("#assist-minutes", Input).value
        if not minutes.isdigit():
            self.query_one(StatusLine).say("请填写用时（分钟），如 30", error=True)
            self.query_one("#assist-minutes", Input).focus()
            return
        picks = {
            pick_id: list(choices)[
                self.query_one(f"#assist-{pick_id}", OptionList).highlighted or 0
            ]
            for pick_id, _, choices in PICKS
        }
        desk, actor = self.counter.desk, self.actor
        if desk is not None and actor is not None:
            self._record(desk, actor, picks, int(minutes), event.value)

    @work(thread=True, exclusive=True, group="assist")
    def _record(
        self, desk: Desk, actor: Actor, picks: dict[str, str], minutes: int, note: str
    ) -> None:
        made = desk.hard_cases.record_assist(
            actor,
            way=picks["way"],
            for_whom=picks["for_whom"],
            minutes=minutes,
            note=note,
            case_number=self.case_number,
            now=self.now(),
        )
        hand_back(self.dismiss, made)

    def action_cancel(self) -> None:
        self.dismiss(None)
