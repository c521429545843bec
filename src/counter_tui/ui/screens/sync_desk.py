"""同步台 on a county hub: every site the hub serves (the columns of `counter-tui hub sites`,
silent ones marked) and the events waiting in quarantine. Enter opens a site's detail
(sync_site.py); r retries the highlighted quarantined event and x sets it aside with a note —
for admins: the hub door refuses a supervisor, and the refusal is said on the status line.

Everything is read and done by the hub door (desk/hub.py) in thread workers; names, reasons and
notes are the sites' own text and render literally.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from counter_tui.desk.sync_words import (
    VIA_LABELS,
    WAITING_LABELS,
    clock_off,
    duration_words,
    level_label,
    offset_words,
    short_minute,
)
from counter_tui.ui.widgets.footer import KeyFooter
from counter_tui.ui.widgets.header import CounterHeader
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.desk.hub import EnrolledSite
    from counter_tui.desk.node import Desk
    from counter_tui.sync.quarantine import Retried, Waiting
    from counter_tui.ui.app import CounterApp

#: The sites table's columns (heading, width); a 名称 column takes what is left on wide
#: terminals. At 80 columns the fixed ones fit with their padding.
SITE_COLUMNS = (
    ("站点", 13),
    ("层级", 4),
    ("最近联系", 11),
    ("方式", 4),
    ("事件", 5),
    ("隔离", 4),
    ("时钟", 7),
    ("版本", 5),
    ("静默", 8),
)
#: The quarantine table's fixed columns; the reason takes what is left.
WAITING_COLUMNS = (("站点", 13), ("类型", 20), ("状态", 8), ("收到", 11))
#: Below this width there is no room for the site's name.
NAME_FROM_WIDTH = 100


def site_cells(site: EnrolledSite) -> list[Text]:
    """One site's row: the same figures as `hub sites`; a silent site's silence and a clock far
    off in red, a revoked site dim."""
    dim = "dim" if site.revoked_at else ""
    silence = Text(("!" if site.silent else "") + duration_words(site.silent_for))
    if site.silent:
        silence.stylize("bold red")
    clock = Text(
        offset_words(site.clock_offset_ms), style="red" if clock_off(site.clock_offset_ms) else ""
    )
    waiting = Text(str(site.waiting), style="bold yellow" if site.waiting else "")
    return [
        Text(site.site, style=dim),
        Text(level_label(site.level, short=True)),
        Text(short_minute(site.last_seen_at)),
        Text(VIA_LABELS.get(site.contact_via, site.contact_via)),
        Text(str(site.events)),
        waiting,
        clock,
        Text(site.app_version or "—"),
        silence,
    ]


def waiting_cells(held: Waiting) -> list[Text]:
    return [
        Text(held.site),
        Text(held.type),
        Text(WAITING_LABELS.get(held.status, held.status)),
        Text(short_minute(held.received_at)),
        Text(held.reason),
    ]


class HubDeskScreen(Screen[None]):
    """The county's sync desk (admins and supervisors of a county node)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "重试", id="desk.retry", tooltip="重新应用选中的隔离事件（管理员）"),
        Binding(
            "x",
            "resolve",
            "不再应用",
            id="desk.resolve",
            tooltip="认定选中的隔离事件不再应用，写明说明（管理员）",
        ),
        Binding("escape", "close", "关闭", id="desk.close", tooltip="回到原来的画面"),
    ]
    DEFAULT_CSS = """
    HubDeskScreen #desk-sites { height: auto; max-height: 45%; }
    HubDeskScreen #desk-quarantine { height: 1fr; }
    HubDeskScreen .desk-title { text-style: bold; padding: 0 1; }
    """

    status = getters.query_one("#desk-status", StatusLine)
    sites_table = getters.query_one("#desk-sites", DataTable)
    held_table = getters.query_one("#desk-quarantine", DataTable)

    def __init__(self) -> None:
        super().__init__()
        self.sites: list[EnrolledSite] = []
        self.held: list[Waiting] = []
        #: The width the columns were laid out for.
        self._columns_for = 0

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static(
            Text("同步台：下属站点（回车查看详情）"), classes="desk-title", id="desk-title"
        )
        yield DataTable(id="desk-sites", cursor_type="row")
        yield Static(Text("隔离中的事件（r 重试  x 不再应用）"), classes="desk-title")
        yield DataTable(id="desk-quarantine", cursor_type="row")
        yield StatusLine(id="desk-status")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._columns(self.app.size.width)
        self.sites_table.focus()
        self.action_reload()

    def on_resize(self) -> None:
        """The name and reason columns take what the width leaves: lay them out again."""
        if self.app.size.width != self._columns_for:
            self._columns(self.app.size.width)
            self._show(self.sites, self.held, "")

    def _columns(self, width: int) -> None:
        self._columns_for = width
        table = self.sites_table
        table.clear(columns=True)
        for label, size in SITE_COLUMNS:
            table.add_column(label, width=size)
        if width >= NAME_FROM_WIDTH:
            used = sum(size + 2 for _label, size in SITE_COLUMNS) + 4
            table.add_column("名称", width=max(8, width - used))
        held = self.held_table
        held.clear(columns=True)
        for label, size in WAITING_COLUMNS:
            held.add_column(label, width=size)
        used = sum(size + 2 for _label, size in WAITING_COLUMNS) + 4
        held.add_column("原因", width=max(8, width - used))

    def action_reload(self, message: str = "") -> None:
        desk, signed = self.counter.desk, self.counter.signed_in
        if desk is None or signed is None:
            return
        if not message:
            self.status.say("正在读取…")
        self._load(desk, message)

    @work(thread=True, exclusive=True, group="sync-desk")
    def _load(self, desk: Desk, message: str) -> None:
        signed = self.counter.signed_in
        if signed is None:
            return
        now = self.counter.clock().astimezone(UTC)
        sites = desk.hub.sites(now)
        held = desk.hub.quarantined(signed.actor)
        hand_back(self._show, sites, held, message)

    def _show(self, sites: list[EnrolledSite], held: list[Waiting], message: str) -> None:
        self.sites, self.held = sites, held
        wide = self.app.size.width >= NAME_FROM_WIDTH
        table = self.sites_table
        row = table.cursor_row
        table.clear()
        for site in sites:
            cells = site_cells(site)
            if wide:
                cells.append(Text(site.name))
            table.add_row(*cells, key=site.site)
        if sites:
            table.move_cursor(row=min(row, len(sites) - 1))
        quarantine = self.held_table
        at = quarantine.cursor_row
        quarantine.clear()
        for item in held:
            quarantine.add_row(*waiting_cells(item), key=item.event_id)
        if held:
            quarantine.move_cursor(row=min(at, len(held) - 1))
        silent = sum(1 for s in sites if s.silent)
        summary = f"站点 {len(sites)} 个，久未联系 {silent} 个；隔离中的事件 {len(held)} 条"
        if not sites:
            summary = "尚未登记任何站点（counter-tui hub enroll）"
        self.status.say(f"{message}  {summary}" if message else summary)

    @on(DataTable.RowSelected, "#desk-sites")
    def _open_site(self, event: DataTable.RowSelected) -> None:
        from counter_tui.ui.screens.sync_site import SiteDetailScreen

        if event.row_key.value is not None:
            self.app.push_screen(SiteDetailScreen(str(event.row_key.value)))

    def _selected(self) -> Waiting | None:
        row = self.held_table.cursor_row
        return self.held[row] if self.held and 0 <= row < len(self.held) else None

    def action_retry(self) -> None:
        held, desk = self._selected(), self.counter.desk
        if held is None or desk is None:
            self.status.say("没有选中的隔离事件")
            return
        self.status.say("正在重试…")
        self._retry(desk, held.event_id)

    @work(thread=True, exclusive=True, group="sync-desk")
    def _retry(self, desk: Desk, event_id: str) -> None:
        signed = self.counter.signed_in
        if signed is None:
            return
        done = desk.hub.retry(signed.actor, event_id)
        hand_back(self._retried, desk, done)

    def _retried(self, desk: Desk, done: Retried) -> None:
        if done.applied:
            message = "已重新应用，隔离已解除。"
        else:
            reason = done.still_waiting[0].reason if done.still_waiting else ""
            message = f"仍无法应用：{reason}"
        self._load(desk, message)

    def action_resolve(self) -> None:
        from counter_tui.ui.screens.ask import AskScreen

        held = self._selected()
        if held is None:
            self.status.say("没有选中的隔离事件")
            return

        def answered(note: str | None) -> None:
            desk = self.counter.desk
            if note is not None and desk is not None:
                self.status.say("正在记录…")
                self._resolve(desk, held.event_id, note)

        title = f"不再应用：{held.site} 的 {held.type}"
        prompt = "处理说明（为什么这条事件不再应用；事件仍保留在中心）："
        self.app.push_screen(AskScreen(title, prompt), answered)

    @work(thread=True, exclusive=True, group="sync-desk")
    def _resolve(self, desk: Desk, event_id: str, note: str) -> None:
        signed = self.counter.signed_in
        if signed is None:
            return
        desk.hub.resolve(signed.actor, event_id, note)
        hand_back(self._load, desk, "已记为不再应用，事件仍保留。")

    def action_close(self) -> None:
        self.dismiss(None)
