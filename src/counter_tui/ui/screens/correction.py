"""补正: the approver picks every material to correct, says what is wrong with each, and sets the
deadline; recording it issues the 补正材料通知书 that the window prints for the applicant.

Enter (or Space) on a material offers the usual phrases for its kind (cases.phrases), numbered:
digits combine them, and the line stays free to write anything else (an empty answer takes the
material off the list); t changes the deadline; F8 records. A refusal is shown here and
nothing chosen is lost.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.ui.screens.ask import AskScreen, PickScreen
from counter_tui.ui.screens.case_form import CaseActionScreen
from counter_tui.ui.widgets.status import StatusLine

if TYPE_CHECKING:
    from counter_tui.cases.commands import Outcome  # noqa: F401 (the screen's result type)
    from counter_tui.cases.record import CaseRecord
    from counter_tui.desk.node import Desk


def correction_screen(desk: Desk, case: CaseRecord, today: date) -> CorrectionScreen:
    """The dialog for `case`, with its materials and the default deadline read from the
    database (the case detail calls this in a worker: case_keys.ReadThen)."""
    materials, deadline = desk.cases.correction_choices(case, today)
    return CorrectionScreen(case, materials, deadline, today)


class CorrectionScreen(CaseActionScreen):
    """Returns the Outcome (with the 补正 notice) once recorded, or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "reason",
            "补正内容",
            id="correction.reason",
            tooltip="选择或写明需要补正的内容",
        ),
        Binding("t", "deadline", "期限", id="correction.deadline", tooltip="修改补正期限"),
        Binding("f8", "submit", "确定", id="correction.submit", tooltip="记录并出具补正通知书"),
        Binding("escape", "cancel", "取消", id="correction.cancel"),
    ]

    def __init__(
        self, case: CaseRecord, materials: list[tuple[str, str]], deadline: date, today: date
    ) -> None:
        super().__init__(case)
        #: (kind, name) of every material of the case, in checklist order.
        self.materials = materials
        #: kind → what to correct; only the chosen materials are here.
        self.reasons: dict[str, str] = {}
        self.deadline = deadline
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box", classes="correction-box"):
            title = Text(f"要求补正：{self.case.number}", style="bold")
            title.append(f"  {self.case.entry_name}")
            yield Static(title)
            yield OptionList(id="correction-list")
            yield Static("", id="correction-deadline")
            yield StatusLine(id="correction-status")
            yield Static(
                Text("回车 选择补正内容  t 期限  F8 确定  Esc 取消", style="dim"),
                id="correction-keys",
            )

    def on_mount(self) -> None:
        self._show()
        self.query_one(OptionList).focus()

    def _show(self) -> None:
        options = []
        for kind, name in self.materials:
            # One line per material (a long name is cut, never wrapped away from its mark);
            # what to correct goes on the line below it.
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append("补正 " if kind in self.reasons else "     ", style="bold yellow")
            line.append(name)
            rows: list[RenderableType] = [line]  # in a Group, OptionList keeps no_wrap
            if kind in self.reasons:
                rows.append(Text(f"     {self.reasons[kind]}", style="yellow"))
            options.append(Option(Group(*rows), id=kind))
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.set_options(options)
        if options:
            listing.highlighted = min(highlighted or 0, len(options) - 1)
        self.query_one("#correction-deadline", Static).update(
            Text(f"补正期限：{self.deadline:%Y-%m-%d} 前（已选 {len(self.reasons)} 项）")
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_reason()

    def action_reason(self) -> None:
        from counter_tui.cases.phrases import correction_phrases

        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        kind, name = self.materials[listing.highlighted]

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            if reason:
                self.reasons[kind] = reason
            else:
                self.reasons.pop(kind, None)
            self._show()

        self.app.push_screen(
            PickScreen(
                f"补正内容：{name}",
                "选择常见问题（可多选）或自行填写；留空则不要求补正此项",
                correction_phrases(kind, name),
                initial=self.reasons.get(kind, ""),
                multiple=True,
                allow_empty=True,
            ),
            answered,
        )

    def action_deadline(self) -> None:
        from counter_tui.workdays.rules import parse_date

        def check(text: str) -> str | None:
            try:
                day = parse_date(text)
            except ValueError as exc:
                return str(exc)
            return None if day > self.today else "补正期限应晚于今天"

        def answered(text: str | None) -> None:
            if text is not None:
                self.deadline = parse_date(text)
                self._show()

        self.app.push_screen(
            AskScreen(
                "补正期限",
                "申请人应在此日期前补正（年-月-日）",
                initial=f"{self.deadline}",
                check=check,
            ),
            answered,
        )

    def action_submit(self) -> None:
        if not self.reasons:
            self.status.say("请至少选择一项需要补正的材料（回车选择补正内容）", error=True)
            return
        corrections = [
            (kind, self.reasons[kind]) for kind, _ in self.materials if kind in self.reasons
        ]
        details = {"corrections": corrections, "deadline": self.deadline}
        self.record("request_correction", lambda: details)
