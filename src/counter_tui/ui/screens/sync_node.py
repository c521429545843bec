"""同步 on a node: where its sync stands (hub, pending, last success, offline since, last error,
the clock against the hub's), its own sync problems (what it pulled and could not apply), and
its events the hub holds in quarantine, with the hub's reasons (kept from the last round). y
syncs now (the app's round, said on the status line); e exports a sync file and i imports the
hub's reply (sync_files.py), for weeks without a line.

Everything is read by the sync door in a worker; the hub's words (errors, reasons) are data and
render literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from counter_tui.desk.sync_words import PROBLEM_KINDS, WAITING_LABELS, offset_words, short_minute
from counter_tui.ui.widgets.footer import KeyFooter
from counter_tui.ui.widgets.header import CounterHeader
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import HeldAtHub, Problem, SyncStatus
    from counter_tui.ui.app import CounterApp

#: How often the screen reads the status again (a background round may finish meanwhile).
RELOAD_EVERY_S = 5.0


@dataclass(frozen=True)
class NodeView:
    status: SyncStatus
    problems: list[Problem]
    held: list[HeldAtHub]


def status_table(status: SyncStatus) -> Table | Text:
    if status.demo:
        return Text("演示（培训）数据库：不同步")
    if not status.registered:
        return Text(
            "尚未登记到中心：请县级管理员给出登记码，运行 counter-tui sync register "
            "--hub 中心地址 --code 登记码；无网络时也可先用 e 导出同步文件"
        )
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    name = f"（{status.hub_name}）" if status.hub_name else ""
    # hub_offset_ms is the hub's clock minus this PC's: this PC against the hub is the opposite.
    clock = offset_words(-status.hub_offset_ms) if status.last_attempt_at else "—"
    rows = (
        ("中心", Text(f"{status.hub_url}{name}")),
        ("待上传", Text(f"{status.pending} 条事件", style="bold" if status.pending else "")),
        ("最近成功", Text(short_minute(status.last_success_at))),
        ("文件同步", Text(short_minute(status.last_file_at) if status.last_file_at else "—")),
        (
            "离线自",
            Text(short_minute(status.offline_since), style="yellow")
            if status.offline_since
            else Text("—"),
        ),
        ("最近错误", Text(status.last_error or "—", style="red" if status.last_error else "")),
        ("本机时钟", Text(f"比中心{clock}" if clock not in ("—", "准") else clock)),
    )
    for label, value in rows:
        table.add_row(label, value)
    return table


def problems_text(problems: list[Problem]) -> Text:
    if not problems:
        return Text("没有未解决的同步问题", style="dim")
    text = Text()
    for index, p in enumerate(problems):
        if index:
            text.append("\n")
        text.append(f"{short_minute(p.at)}  {PROBLEM_KINDS.get(p.kind, p.kind)}", style="bold")
        text.append(f"：{p.detail}")
    return text


def held_text(held: list[HeldAtHub]) -> Text:
    if not held:
        return Text("中心没有隔离本站的事件", style="dim")
    text = Text()
    for index, h in enumerate(held):
        if index:
            text.append("\n")
        what = (
            "中心不认识的类型" if h.status == "unknown" else WAITING_LABELS.get(h.status, h.status)
        )
        text.append(f"{short_minute(h.received_at)}  {h.type}  ", style="bold")
        text.append(what, style="yellow")
        text.append(f"\n  原因：{h.note}")
    return text


class NodeSyncScreen(Screen[None]):
    """This node's sync (any signed-in user: the sync status is the node's, not theirs)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "sync_now", "立即同步", id="node_sync.now", tooltip="与县级中心同步一轮"),
        Binding("e", "export", "导出文件", id="node_sync.export", tooltip="无网络时：导出同步文件"),
        Binding(
            "i", "take_reply", "导入回执", id="node_sync.import", tooltip="导入中心写出的回执文件"
        ),
        Binding("escape", "close", "关闭", id="node_sync.close", tooltip="回到原来的画面"),
    ]
    DEFAULT_CSS = """
    NodeSyncScreen #node-sync-body { height: 1fr; padding: 0 1; }
    NodeSyncScreen .node-sync-heading { text-style: bold; margin-top: 1; }
    """

    status = getters.query_one("#node-sync-status", StatusLine)

    def __init__(self) -> None:
        super().__init__()
        #: The last path typed for each step: the prompt offers it again.
        self.paths = {"export": "", "import": ""}

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        with VerticalScroll(id="node-sync-body"):
            yield Static(Text("同步状态", style="bold"))
            yield Static("", id="node-sync-state")
            yield Static(Text("本机的同步问题"), classes="node-sync-heading")
            yield Static("", id="node-sync-problems")
            yield Static(
                Text("中心隔离的本站事件（等待县级管理员处理）"), classes="node-sync-heading"
            )
            yield Static("", id="node-sync-held")
        yield StatusLine(id="node-sync-status")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#node-sync-body").focus()
        self.set_interval(RELOAD_EVERY_S, self.reload)
        self.reload()

    def reload(self) -> None:
        desk = self.counter.desk
        if desk is not None:
            self._load(desk)

    @work(thread=True, exclusive=True, group="node-sync")
    def _load(self, desk: Desk) -> None:
        status = desk.sync.status()
        problems = desk.sync.problems() if status.problems else []
        hand_back(self._show, NodeView(status, problems, desk.sync.held_at_hub()))

    def _show(self, view: NodeView) -> None:
        self.query_one("#node-sync-state", Static).update(status_table(view.status))
        self.query_one("#node-sync-problems", Static).update(problems_text(view.problems))
        self.query_one("#node-sync-held", Static).update(held_text(view.held))

    def action_sync_now(self) -> None:
        self.counter.syncing.sync_now()  # says its outcome on this screen's status line

    def action_export(self) -> None:
        self._file_step("export")

    def action_take_reply(self) -> None:
        self._file_step("import")

    def _file_step(self, step: str) -> None:
        from counter_tui.ui.screens.sync_files import FileStepScreen

        def done(line: str | None) -> None:
            if line:
                self.status.say(line)
                self.reload()

        prompt = FileStepScreen("export" if step == "export" else "import", self.paths[step])

        def remember(line: str | None) -> None:
            self.paths[step] = prompt.typed
            done(line)

        self.app.push_screen(prompt, remember)

    def action_close(self) -> None:
        self.dismiss(None)
