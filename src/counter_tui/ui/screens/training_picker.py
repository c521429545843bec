"""The scenario picker of a demo: which scored exercise to practise, or free practice.

Shown once after the first sign-in of a demo (ui/training.py), and again from the command
palette (练习：选择练习场景) or after a result. Each scenario shows its title, how many tasks it
has and which account it is meant for, and its summary; Enter starts the highlighted one, Esc
leaves the hall as it is (free practice). In a classroom seat the trainee's name is asked here
once, above the list (optional: an empty line keeps the seat's 学员N), so the trainer's view
shows who sits where. Titles and summaries come from files a trainer may write, and the name is
typed: all shown literally, never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.text import clean

#: The longest name a trainee may type (the trainer's table keeps a column for it).
NAME_CHARS = 20


@dataclass(frozen=True)
class ScenarioEntry:
    """One line of the picker (made from a demo.scenario.Scenario by ui/training.py)."""

    name: str
    title: str
    summary: str
    tasks: int
    #: Whom the exercise is for, in words (窗口人员, 后台审批 …).
    account: str
    #: The best score this trainee made on it in this session (None: not finished yet).
    best: int | None = None


@dataclass(frozen=True)
class Picked:
    """What the picker was left with: the scenario to start (None: free practice) and the
    trainee's name when it was asked ("" when left empty: the seat keeps its 学员N)."""

    scenario: str | None
    trainee: str | None = None


class TrainingPicker(ModalScreen[Picked]):
    """The shipped scenarios, one option each; Enter starts one, Esc is free practice."""

    DEFAULT_CSS = """
    #picker-box {
        width: 90;
    }
    #picker-title {
        text-style: bold;
    }
    #picker-lead {
        color: $text-muted;
    }
    #picker-name-row {
        height: 1;
        margin-top: 1;
    }
    #picker-name-label {
        width: auto;
    }
    #picker-name {
        border: none;
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $boost;
    }
    #picker-name:focus {
        background: $primary 30%;
    }
    /* The list scrolls within two thirds of the screen, so that the key line under it stays on
       an 80x24 console with the name row too (a class of nine scenarios is longer). */
    #picker-list {
        height: auto;
        max-height: 65vh;
        border: none;
        margin-top: 1;
    }
    #picker-keys {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "free", "自由练习", id="training.free", tooltip="不选场景，自由练习"),
    ]

    def __init__(
        self,
        entries: Sequence[ScenarioEntry],
        *,
        ask_name: bool = False,
        seat_name: str = "",
        key: str = "Ctrl+R",
    ) -> None:
        super().__init__()
        self.entries = tuple(entries)
        #: The app's key that opens the picker again (as remapped).
        self.key = key
        #: Whether to ask the trainee's name (a classroom seat, the first time).
        self.ask_name = ask_name
        #: The seat's default name, shown as the placeholder (学员3).
        self.seat_name = seat_name

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="training-box"):
            yield Static(Text("练习场景（培训演示）"), id="picker-title")
            yield Static(
                Text("选一个练习开始，完成后显示得分；也可以不选，自由练习。"), id="picker-lead"
            )
            if self.ask_name:
                with Horizontal(id="picker-name-row"):
                    yield Static(Text("你的姓名（可不填）："), id="picker-name-label")
                    yield Input(
                        id="picker-name",
                        placeholder=self.seat_name or "不填则用座位号",
                        max_length=NAME_CHARS,
                    )
            yield OptionList(
                *(_option(n, e) for n, e in enumerate(self.entries, 1)), id="picker-list"
            )
            keys = f"↑↓ 选择  回车 开始  Esc 自由练习（之后按 {self.key} 可再选）"
            if self.ask_name:
                keys = "Tab 姓名/场景  " + keys
            yield Static(Text(keys), id="picker-keys")

    def on_mount(self) -> None:
        if self.ask_name:
            self.query_one("#picker-name", Input).focus()
        else:
            self.query_one(OptionList).focus()

    @on(Input.Submitted, "#picker-name")
    def _named(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#picker-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Picked(event.option.id, self._trainee()))

    def action_free(self) -> None:
        """Esc: the hall as it is, no scenario."""
        self.dismiss(Picked(None, self._trainee()))

    def _trainee(self) -> str | None:
        if not self.ask_name:
            return None
        return clean(self.query_one("#picker-name", Input).value)[:NAME_CHARS]


def _option(number: int, entry: ScenarioEntry) -> Option:
    """`3 容缺受理（4 项 · 窗口人员 · 最好 95 分）` and, under it, the summary, indented as it
    wraps."""
    head = Text()
    head.append(f"{number:>2} ")
    head.append(entry.title, style="bold")
    best = f" · 最好 {entry.best} 分" if entry.best is not None else ""
    head.append(f"（{entry.tasks} 项 · {entry.account}{best}）", style="dim")
    if not entry.summary:
        return Option(head, id=entry.name)
    return Option(Group(head, Padding(Text(entry.summary), (0, 0, 0, 3))), id=entry.name)
