"""Preview of the notices of an outcome before printing: what the applicant will hold.

Enter prints (or saves, as configured) every notice shown; Esc closes without printing — the
case is recorded either way, and Ctrl+O on the intake screen reprints from the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.cases.record import CaseRecord
    from counter_tui.desk.node import Desk
    from counter_tui.notices.content import Notice
    from counter_tui.ui.app import CounterApp

#: The preview is laid out as on an 80 mm receipt printer: what fits there fits anywhere.
PREVIEW_WIDTH = 48


class NoticePreview(ModalScreen[bool]):
    """Returns True when printed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,p", "print", "打印", id="notice.print"),
        Binding("escape", "close", "关闭", id="notice.close"),
    ]

    def __init__(self, notices: list[Notice], case: CaseRecord, *, reprint: bool = False) -> None:
        super().__init__()
        self.notices = notices
        self.case = case
        self.reprint = reprint
        self.printed = False

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        from counter_tui.notices.text import render_text

        titles = "、".join(notice.title for notice in self.notices) or "（没有通知书）"
        head = Text(f"{'补打' if self.reprint else '打印预览'}：{titles}", style="bold")
        head.append(f"  {self.case.number}  {self.case.state_label}")
        with Vertical(id="notice-box"):
            yield Static(head, id="notice-title")
            with VerticalScroll(id="notice-body"):
                for notice in self.notices:
                    yield Static(Text(render_text(notice, PREVIEW_WIDTH)), classes="notice-page")
            yield Static(
                Text("回车 打印全部  Esc 关闭（可按 Ctrl+O 凭编号补打）", style="dim"),
                id="notice-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#notice-body").focus()

    def action_print(self) -> None:
        desk = self.counter.desk
        if desk is None or not self.notices:
            return
        self.query_one("#notice-keys", Static).update(Text("正在打印…"))
        self._print(desk)

    @work(thread=True, exclusive=True, group="notice-print")
    def _print(self, desk: Desk) -> None:
        messages = desk.intake.print_notices(self.notices)
        hand_back(self._printed, messages)

    def show_failure(self, line: str) -> None:
        """A failed print (ui/workers.py: a printer gone, a full disk): said where the keys
        are, in place of them; Enter tries again."""
        keys = self.query_one("#notice-keys", Static)
        keys.update(Text(line))
        keys.add_class("error")

    def _printed(self, messages: list[str]) -> None:
        self.printed = True
        for message in messages:
            self.app.notify(message, title="通知书", markup=False)
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(self.printed)
