"""Preview of the notices of an outcome before printing: what the applicant will hold.

Enter prints (or saves, as configured) every notice shown; Esc closes without printing — the
case is recorded either way, and Ctrl+O on the intake screen reprints from the case.

Enter closes the preview at once and the notices print behind it, in a worker of the app: a
PDF takes up to half a second on a hall PC and a spooler longer, and a preview left open
meanwhile swallowed the clerk's next keys (F3 lost, then `f` typed into the emptied item
search: seen in an hour's tmux run). What printing says, or why it failed, comes as a
notification that names the case number and the way back (Ctrl+O).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from counter_tui.ui.widgets.training_mark import mark_training
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

        titles = "、".join(notice.printed_title for notice in self.notices) or "（没有通知书）"
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
        mark_training(self.query_one("#notice-box", Widget))  # it covers the header
        self.query_one("#notice-body").focus()

    def action_print(self) -> None:
        app, desk = self.counter, self.counter.desk
        if desk is None or not self.notices:
            return
        self.printed = True
        work = partial(print_behind, app, desk, self.notices, self.case.number)
        self.dismiss(True)
        app.run_worker(work, thread=True, group="notice-print")

    def action_close(self) -> None:
        self.dismiss(self.printed)


def print_behind(app: CounterApp, desk: Desk, notices: list[Notice], number: str) -> None:
    """The preview's Enter, in a worker of the app: print, then say what happened. A failure is
    answered here rather than by the failure rule, because the line must carry the case number
    and how to print again: the preview it happened for is gone."""
    from counter_tui.ui.workers import failure_line

    try:
        messages = desk.intake.print_notices(notices)
    except Exception as exc:
        line = failure_line(exc, "NoticePreview")
        hand_back(
            app.notify,
            f"{number} 的通知书没有打印：{line}。可在受理画面按 Ctrl+O 凭编号补打",
            title="通知书",
            severity="error",
            timeout=30,
            markup=False,
        )
        return
    for message in messages:
        hand_back(app.notify, message, title="通知书", markup=False)
