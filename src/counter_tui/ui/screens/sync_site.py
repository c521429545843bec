"""A site's detail on the county's sync desk (Enter on its row): its figures, its open sync
problems, its events waiting in quarantine and why. Read by the hub door in a worker; the
site's name, the reasons and the problems' details are text from elsewhere and render
literally."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from counter_tui.desk.sync_words import (
    PROBLEM_KINDS,
    VIA_LABELS,
    WAITING_LABELS,
    duration_words,
    level_label,
    offset_words,
    short_minute,
)
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.desk.hub import SiteDetail
    from counter_tui.desk.node import Desk
    from counter_tui.ui.app import CounterApp


def figures(detail: SiteDetail) -> Table:
    """The site's figures, label and value, two pairs a row (80×24 holds them with the lists)."""
    s = detail.site
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    if s.revoked_at:
        state = f"已撤销（{short_minute(s.revoked_at)}）"
    elif s.registered_at:
        state = f"已注册（{short_minute(s.registered_at)}）"
    else:
        state = f"待注册（登记于 {short_minute(s.enrolled_at)}）"
    silence = duration_words(s.silent_for) + ("（久未联系）" if s.silent else "")
    rows = (
        ("站点", Text(s.name)),
        ("层级", Text(level_label(s.level))),
        ("状态", Text(state)),
        ("最近联系", Text(f"{short_minute(s.last_seen_at)}  {VIA_LABELS.get(s.contact_via, '')}")),
        ("静默", Text(silence, style="bold red" if s.silent else "")),
        ("中心保存的事件", Text(f"{s.events} 条")),
        ("隔离中", Text(f"{s.waiting} 条")),
        ("时钟", Text(offset_words(s.clock_offset_ms))),
        ("程序版本", Text(s.app_version or "—")),
    )
    for index in range(0, len(rows), 2):
        pair = rows[index : index + 2]
        cells: list[str | Text] = [part for row in pair for part in row]
        table.add_row(*cells)
    return table


def problem_lines(detail: SiteDetail) -> Text:
    if not detail.problems:
        return Text("没有未解决的同步问题", style="dim")
    text = Text()
    for index, p in enumerate(detail.problems):
        if index:
            text.append("\n")
        text.append(f"{short_minute(p.at)}  {PROBLEM_KINDS.get(p.kind, p.kind)}", style="bold")
        text.append(f"\n  {p.detail}")
    return text


def waiting_lines(detail: SiteDetail) -> Text:
    if not detail.waiting:
        return Text("没有隔离中的事件", style="dim")
    text = Text()
    for index, w in enumerate(detail.waiting):
        if index:
            text.append("\n")
        text.append(f"{short_minute(w.received_at)}  {w.type}  ", style="bold")
        text.append(WAITING_LABELS.get(w.status, w.status), style="yellow")
        text.append(f"\n  {w.event_id}", style="dim")
        text.append(f"\n  原因：{w.reason}")
    return text


class SiteDetailScreen(ModalScreen[None]):
    """One site of the sync desk; Esc goes back to the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "关闭", id="site.close", tooltip="回到同步台"),
    ]
    DEFAULT_CSS = """
    SiteDetailScreen { align: center middle; }
    SiteDetailScreen #site-box {
        width: 100%; max-width: 110; height: 100%; max-height: 40;
        border: round $primary; background: $surface; padding: 0 1;
    }
    SiteDetailScreen .site-heading { text-style: bold; color: $accent; }
    SiteDetailScreen #site-scroll { height: 1fr; }
    """

    status = getters.query_one("#site-status", StatusLine)

    def __init__(self, site: str) -> None:
        super().__init__()
        self.site_code = site

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="site-box"):
            yield Static(Text(f"站点详情：{self.site_code}", style="bold"), id="site-title")
            with VerticalScroll(id="site-scroll"):
                yield Static("", id="site-figures")
                yield Static(Text("未解决的同步问题"), classes="site-heading")
                yield Static("", id="site-problems")
                yield Static(Text("隔离中的事件"), classes="site-heading")
                yield Static("", id="site-waiting")
            yield StatusLine(id="site-status")
            yield Static(Text("Esc 返回同步台", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#site-scroll").focus()
        desk = self.counter.desk
        if desk is not None:
            self.status.say("正在读取…")
            self._load(desk)

    @work(thread=True, exclusive=True, group="sync-site")
    def _load(self, desk: Desk) -> None:
        from datetime import UTC

        signed = self.counter.signed_in
        if signed is None:
            return
        now = self.counter.clock().astimezone(UTC)
        hand_back(self._show, desk.hub.site(signed.actor, self.site_code, now))

    def _show(self, detail: SiteDetail) -> None:
        self.query_one("#site-figures", Static).update(figures(detail))
        self.query_one("#site-problems", Static).update(problem_lines(detail))
        self.query_one("#site-waiting", Static).update(waiting_lines(detail))
        self.status.say("")

    def action_close(self) -> None:
        self.dismiss(None)
