"""The file path prompt of sync by file (e export, i import on the sync screen): the path typed
is checked where it is typed — a folder that does not exist, a file that is not there — and the
message goes under the field with the path left as typed; then the door's export or import runs
in a worker with its progress on the bar. A bundle the door refuses (BundleRefused: altered,
another site's, from a newer program …) is said under the field the same way, nothing applied.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static

from counter_tui.errors import UserError
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.desk.node import Desk
    from counter_tui.ui.app import CounterApp

Step = Literal["export", "import"]

TITLES = {"export": "导出同步文件（无网络时带到中心）", "import": "导入中心的回执文件"}
PROMPTS = {
    "export": "写入到哪个文件（如 U 盘上的 /media/u盘/白云桥村.ctb）：",
    "import": "中心写出的回执文件：",
}


def path_problem(step: Step, typed: str) -> str | None:
    """Why `typed` cannot be used for `step` (None: it can), in Chinese, naming the path."""
    if not typed.strip():
        return "请输入文件路径"
    path = Path(typed.strip()).expanduser()
    if path.is_dir():
        if step == "export":
            return f"这是一个文件夹，请在后面写上文件名，例如 {path / '同步.ctb'}"
        return f"这是一个文件夹，不是回执文件：{path}"
    if step == "import":
        if not path.exists():
            return f"文件不存在：{path}"
        if not os.access(path, os.R_OK):
            return f"没有权限读取这个文件：{path}"
        return None
    folder = path.parent
    if not folder.is_dir():
        return f"文件夹不存在：{folder}（U 盘是否已插好？）"
    if not os.access(folder, os.W_OK):
        return f"没有权限写入这个文件夹：{folder}"
    return None


class FileStepScreen(ModalScreen[str | None]):
    """Returns what was done, in one Chinese line (Enter, once done), or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="file.cancel"),
    ]
    # The ask box's look (app.tcss #ask-box, #ask-input): one line to type a path in.
    DEFAULT_CSS = """
    FileStepScreen { align: center middle; }
    FileStepScreen #file-path {
        border: none; height: 1; padding: 0 1; margin: 1 0 0 0; background: $primary 30%;
    }
    FileStepScreen #file-error { height: auto; }
    FileStepScreen #file-progress { margin: 0 0 1 0; }
    """

    path_input = getters.query_one("#file-path", Input)
    error = getters.query_one("#file-error", Static)
    bar = getters.query_one("#file-progress", ProgressBar)

    def __init__(self, step: Step, initial: str = "") -> None:
        super().__init__()
        self.step: Step = step
        self.initial = initial
        #: A step is under way: Enter and Esc wait for it.
        self.busy = False
        #: What the field holds (kept after the prompt closes: offered again next time).
        self.typed = initial

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Text(TITLES[self.step], style="bold"), id="file-title")
            yield Static(Text(PROMPTS[self.step]))
            yield Input(self.initial, id="file-path")
            yield Static("", id="file-error")
            yield ProgressBar(id="file-progress", show_eta=False)
            yield Static(Text("回车开始  Esc 取消", style="dim"))

    def on_mount(self) -> None:
        self.bar.display = False
        self.path_input.focus()

    @on(Input.Changed, "#file-path")
    def _typed(self, event: Input.Changed) -> None:
        self.typed = event.value

    @on(Input.Submitted, "#file-path")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.busy:
            return
        problem = path_problem(self.step, event.value)
        if problem:
            self.show_failure(problem)
            return
        desk = self.counter.desk
        if desk is None:
            return
        self.error.update("")
        self.error.remove_class("error")
        self.busy = True
        self.bar.display = True
        self.bar.update(total=None, progress=0)
        self._run(desk, Path(event.value.strip()).expanduser())

    def show_failure(self, line: str) -> None:
        """Under the field; the path stays as typed (also the failure rule's place here)."""
        self.busy = False
        self.bar.display = False
        self.error.update(Text(line))
        self.error.add_class("error")

    @work(thread=True, exclusive=True, group="sync-file")
    def _run(self, desk: Desk, path: Path) -> None:
        def progress(what: str, done: int, total: int | None) -> None:
            hand_back(self._progress, done, total)

        try:
            if self.step == "export":
                exported = desk.files.export(path, progress)
                line = f"已导出 {exported.events} 条事件到 {exported.path}：请带到中心导入"
            else:
                taken = desk.files.take_reply(path, progress)
                line = f"已导入回执：应用 {taken.applied} 条事件，{taken.repeated} 条此前已有"
                if taken.flagged:
                    line += f"；{taken.flagged} 条本机无法应用，已记为同步问题"
        except UserError as exc:  # a refused bundle, a bad path: said under the field
            hand_back(self.show_failure, exc.message)
            return
        except OSError as exc:  # the stick pulled out, a full stick
            hand_back(self.show_failure, f"无法读写文件：{path}（{exc.strerror or exc}）")
            return
        hand_back(self.dismiss, line)

    def _progress(self, done: int, total: int | None) -> None:
        self.bar.update(total=total, progress=done)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
