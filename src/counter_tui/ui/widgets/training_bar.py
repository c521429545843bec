"""The task bar of a training run: one line above the key line of every section screen.

It says where the trainee stands (练习 2/5), what to do now (the task's title), the key for the
task's instruction and hints, and the score so far. It reads the app's copy of the run
(`CounterApp.training`, ui/training.py) and never the database, so repainting it costs nothing;
the keeper refreshes it when the run moves. Without a run it takes no room at all, so a real
hall's screens (and free practice) look exactly as they do without it. Task titles come from
scenario files a trainer may write: they are shown literally, never read as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp

SEPARATOR = (" · ", "dim")


class TrainingBar(Widget):
    """练习 2/5 · <task title> · Ctrl+R 任务/提示 · 得分 95 (hidden while no run is active)."""

    # Not scoped: the last rule lifts the notifications (app.tcss keeps them above the status
    # line) by the bar's line while a run is on.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    TrainingBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        display: none;
    }
    TrainingBar.-active {
        display: block;
    }
    CounterApp.-training ToastRack {
        margin-bottom: 3;
    }
    """

    def on_mount(self) -> None:
        app: CounterApp = self.app  # type: ignore[assignment]
        app.training.changed.subscribe(self, self.update_state)
        self.update_state()

    def on_unmount(self) -> None:
        # A signal keeps its subscribers until they leave: each sign-in makes fresh sections.
        app: CounterApp = self.app  # type: ignore[assignment]
        app.training.changed.unsubscribe(self)

    def update_state(self, _: object = None) -> None:
        """Show or hide the bar as a run is active, and paint it again."""
        app: CounterApp = self.app  # type: ignore[assignment]
        self.set_class(app.training.bar_line() is not None, "-active")
        self.refresh()

    def render(self) -> Text:
        app: CounterApp = self.app  # type: ignore[assignment]
        parts = app.training.bar_line()
        if parts is None:
            return Text()
        return fitted(parts, self.content_size.width)


def fitted(parts: tuple[str, str, str, str], width: int) -> Text:
    """The bar's four parts (place, task, key, score) in `width` cells: the task's title gives
    way first (cut with …), so the place, the key and the score always show."""
    place, task, key, score = parts
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(place, style="bold")
    line.append(*SEPARATOR)
    tail = Text()
    tail.append(*SEPARATOR)
    tail.append(key, style="bold")
    tail.append(*SEPARATOR)
    tail.append(score)
    title = Text(task)
    room = width - line.cell_len - tail.cell_len
    if title.cell_len > room:
        title.truncate(max(room, 1), overflow="ellipsis")
    line.append_text(title)
    line.append_text(tail)
    line.truncate(width, overflow="ellipsis")
    return line
