"""The current task of a training run, in full: what to do, and the hints asked for so far.

The task bar (ui/widgets/training_bar.py) has room for the task's title only; its key (Ctrl+R)
opens this panel with the instruction. A hint costs points, so the panel never shows one by
itself: the same key pressed again here asks for the next one, and the line under the hints
says what it costs. Everything here comes from a scenario file: shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp
    from counter_tui.ui.training import TaskView


class TrainingTaskScreen(ModalScreen[None]):
    """The task's instruction and hints; Ctrl+R (or h) the next hint, Esc back to work."""

    DEFAULT_CSS = """
    #task-box {
        width: 80;
    }
    #task-body {
        height: auto;
        max-height: 1fr;
    }
    #task-title {
        text-style: bold;
    }
    #task-instruction {
        margin: 1 0;
    }
    #task-keys {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "返回", id="training.task_close", tooltip="回到工作画面"),
        Binding(
            "ctrl+r,h",
            "hint",
            "下一条提示",
            id="training.next_hint",
            tooltip="显示本项任务的下一条提示（每条扣分）",
        ),
        Binding(
            "x",
            "abandon",
            "放弃练习",
            id="training.abandon",
            tooltip="结束本次练习，不计得分（先询问）",
        ),
    ]

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="task-box", classes="training-box"):
            yield Static(id="task-title")
            with VerticalScroll(id="task-body"):
                yield Static(id="task-instruction")
                yield Static(id="task-hints")
            yield Static(id="task-keys")

    def on_mount(self) -> None:
        self.counter.training.changed.subscribe(self, self._changed)
        self._show(self.counter.training.task_view())

    def on_unmount(self) -> None:
        self.counter.training.changed.unsubscribe(self)

    def _changed(self, _: object) -> None:
        view = self.counter.training.task_view()
        if view is None:  # the run ended (its last task passed) or was abandoned
            self.dismiss()
        else:
            self._show(view)

    def _show(self, view: TaskView | None) -> None:
        if view is None:
            return
        self.query_one("#task-title", Static).update(
            Text(f"练习 {view.place}：{view.title}（{view.scenario}）")
        )
        self.query_one("#task-instruction", Static).update(Text(view.instruction))
        hints = Text()
        for number, hint in enumerate(view.hints, 1):
            hints.append(f"提示 {number}：", style="bold")
            hints.append(hint)
            hints.append("\n")
        if view.out_of_hints:
            hints.append("没有更多提示了", style="dim")
        self.query_one("#task-hints", Static).update(hints)
        keys = "Esc 返回  x 放弃练习"
        if not view.out_of_hints:
            keys = f"Ctrl+R 或 h 下一条提示（扣 {view.hint_cost} 分）  " + keys
        self.query_one("#task-keys", Static).update(Text(keys))

    def action_hint(self) -> None:
        self.counter.training.next_hint()

    def action_abandon(self) -> None:
        self.counter.training.ask_abandon()
