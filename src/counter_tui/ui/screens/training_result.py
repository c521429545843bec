"""The end of a training run: the score, the time, the mistakes and hints, and each task's outcome.

Enter goes back to the picker for another exercise, Esc to free practice in the same hall (what
the trainee did stays in it). The classroom's trainer sees the same figures (demo/progress.py);
this screen is the trainee's own. Task titles come from a scenario file: shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from counter_tui.demo.training import Summary


def duration(seconds: int) -> str:
    """6 分 05 秒; 1 小时 02 分 for a long one."""
    minutes, secs = divmod(max(seconds, 0), 60)
    if minutes >= 60:
        return f"{minutes // 60} 小时 {minutes % 60:02d} 分"
    return f"{minutes} 分 {secs:02d} 秒" if minutes else f"{secs} 秒"


class TrainingResultScreen(ModalScreen[bool]):
    """Returns True for another exercise (Enter), False for free practice (Esc)."""

    DEFAULT_CSS = """
    #result-box {
        width: 80;
    }
    #result-title {
        text-style: bold;
    }
    #result-figures {
        margin: 1 0;
    }
    #result-tasks {
        height: auto;
        max-height: 1fr;
    }
    #result-keys {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "again", "再选练习", id="training.again", tooltip="回到练习场景列表"),
        Binding("escape", "free", "自由练习", id="training.result_close", tooltip="留在大厅"),
    ]

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        summary = self.summary
        with Vertical(id="result-box", classes="training-box"):
            yield Static(Text(f"练习完成：{summary.title}（培训演示）"), id="result-title")
            yield Static(figures(summary), id="result-figures")
            with VerticalScroll(id="result-tasks"):
                yield Static(task_table(summary), id="result-table")
            yield Static(Text("回车 再选一个练习  Esc 自由练习"), id="result-keys")

    def action_again(self) -> None:
        self.dismiss(True)

    def action_free(self) -> None:
        self.dismiss(False)


def figures(summary: Summary) -> Text:
    """得分 85（满分 100） · 用时 6 分 05 秒 · 错误 1 次 · 提示 1 条"""
    line = Text()
    line.append("得分 ")
    line.append(str(summary.score), style="bold")
    line.append("（满分 100）")
    for part in (
        f"用时 {duration(summary.elapsed_seconds)}",
        f"错误 {summary.mistakes} 次",
        f"提示 {summary.hints} 条",
    ):
        line.append(" · ", style="dim")
        line.append(part)
    return line


def task_table(summary: Summary) -> Table:
    """One row per task: done or not, its title, when it was done, its hints and mistakes."""
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
    table.add_column("", width=2, no_wrap=True)
    table.add_column("任务", ratio=1)
    table.add_column("完成于", no_wrap=True, justify="right")
    table.add_column("提示", no_wrap=True, justify="right")
    table.add_column("错误", no_wrap=True, justify="right")
    for number, task in enumerate(summary.tasks, 1):
        done = task.passed_after is not None
        table.add_row(
            Text("✓" if done else "✗", style="bold green" if done else "bold red"),
            Text(f"{number} {task.title}"),
            duration(task.passed_after) if task.passed_after is not None else "未完成",
            str(task.hints),
            Text(str(task.mistakes), style="bold red" if task.mistakes else ""),
        )
    return table
