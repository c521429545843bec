"""The back office's worklist (F4): open cases of the approver's department, earliest due first,
each with its time-limit level. Enter opens the case; c claims it (one approver per case); l
cycles the level filter; r reloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from counter_tui.ui.screens.section import SectionScreen

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.cases.worklist import WorkItem
    from counter_tui.ui.app import CounterApp
    from counter_tui.ui.backend import Backend, CaseDetail

#: The level filter, in the order l cycles it: None is every level.
LEVEL_FILTERS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("全部", None),
    ("提醒及以上", ("reminder", "yellow", "red")),
    ("黄牌及以上", ("yellow", "red")),
    ("红牌", ("red",)),
)
#: The columns besides the item's name (which follows the case number), with their widths.
COLUMNS = (("预警", 4), ("办件编号", 20), ("申请人", 4), ("状态", 10), ("工作日", 6), ("认领人", 6))
LEVEL_STYLES = {"red": "bold red", "yellow": "bold yellow", "reminder": "cyan", "paused": "dim"}


class WorklistScreen(SectionScreen):
    section_name = "worklist"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "claim", "认领", id="worklist.claim", tooltip="认领选中的办件（一件一人）"),
        Binding("l", "levels", "预警筛选", id="worklist.levels", tooltip="全部、提醒、黄牌、红牌"),
        Binding("r", "reload", "刷新", id="worklist.reload", tooltip="重新读取待办"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[WorkItem] = []
        self.level_filter = 0
        self._columns_for = 0

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    @property
    def actor(self) -> Actor | None:
        signed = self.counter.signed_in
        return signed.actor if signed else None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="worklist-filter")
        yield DataTable(id="worklist-table", cursor_type="row")
        yield Static("", id="worklist-status")

    def on_mount(self) -> None:
        self._add_columns(self.app.size.width)
        self.query_one(DataTable).focus()
        self.counter.backend_signal.subscribe(self, lambda _: self.action_reload())
        self.action_reload()

    def _add_columns(self, width: int) -> None:
        """Fixed columns, the item's name taking what is left: 80 columns show every column."""
        table = self.query_one(DataTable)
        padding = 2 + 2 + 2 * (len(COLUMNS) + 1)
        name = max(6, width - padding - sum(size for _, size in COLUMNS))
        table.clear(columns=True)
        for index, (label, size) in enumerate(COLUMNS):
            table.add_column(label, width=size)
            if index == 1:
                table.add_column("事项", width=name)
        self._columns_for = width

    def on_resize(self) -> None:
        if self.app.size.width != self._columns_for:
            self._add_columns(self.app.size.width)
            self._show(self.items, self._department())

    def on_screen_resume(self) -> None:
        self.action_reload()

    def _department(self) -> str | None:
        actor = self.actor
        return actor.department if actor is not None and actor.role == "approver" else None

    def action_reload(self) -> None:
        backend = self.counter.backend
        if backend is not None and self.actor is not None:
            self._load(backend, self._department(), LEVEL_FILTERS[self.level_filter][1])

    def action_levels(self) -> None:
        self.level_filter = (self.level_filter + 1) % len(LEVEL_FILTERS)
        self.action_reload()

    @work(thread=True, exclusive=True, group="worklist")
    def _load(
        self, backend: Backend, department: str | None, levels: tuple[str, ...] | None
    ) -> None:
        items = backend.worklist(self.counter.clock().date(), department, levels)
        self.app.call_from_thread(self._show, items, department)

    def _show(self, items: list[WorkItem], department: str | None) -> None:
        self.items = items
        where = f"部门：{department}" if department else "全部部门"
        label = LEVEL_FILTERS[self.level_filter][0]
        self.query_one("#worklist-filter", Static).update(
            Text(f"{where} · 待审批 {len(items)} 件 · 预警：{label}（l 切换，r 刷新）")
        )
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for item in items:
            table.add_row(
                Text(item.level.label, style=LEVEL_STYLES.get(str(item.level), "")),
                Text(item.number),
                Text(item.entry_name, overflow="ellipsis", no_wrap=True),
                Text(item.applicant),
                Text(item.state_label),
                Text(_short_left(item.days_left)),
                Text(item.assignee or "—", overflow="ellipsis", no_wrap=True),
                key=item.id,
            )
        if items:
            table.move_cursor(row=min(row, len(items) - 1))
        else:
            self._say("没有待办")

    def _say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#worklist-status", Static)
        status.update(Text(message))
        status.set_class(error, "error")

    def _highlighted(self) -> WorkItem | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def action_claim(self) -> None:
        item, backend, actor = self._highlighted(), self.counter.backend, self.actor
        if item is not None and backend is not None and actor is not None:
            self._claim(backend, actor, item.id)

    @work(thread=True, exclusive=True, group="worklist-act")
    def _claim(self, backend: Backend, actor: Actor, case_id: str) -> None:
        from counter_tui.errors import PermissionDenied, UserError

        signed = self.counter.signed_in
        name = signed.display_name if signed else actor.username
        now = self.counter.clock().astimezone().replace(microsecond=0)
        try:
            case = backend.claim(actor, case_id, name, now)
        except (UserError, PermissionDenied) as exc:
            self.app.call_from_thread(self._say, exc.message, error=True)
            return
        self.app.call_from_thread(self._say, f"已认领 {case.number}")
        self.app.call_from_thread(self.action_reload)

    @on(DataTable.RowSelected, "#worklist-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        backend = self.counter.backend
        if backend is not None and event.row_key.value:
            self._detail(backend, event.row_key.value)

    @work(thread=True, exclusive=True, group="worklist-act")
    def _detail(self, backend: Backend, case_id: str) -> None:
        detail = backend.case_detail(case_id, self.counter.clock().date())
        if detail is not None:
            self.app.call_from_thread(self._opened, detail)

    def _opened(self, detail: CaseDetail) -> None:
        from counter_tui.ui.screens.case_detail import CaseDetailScreen

        role = self.actor.role if self.actor else "approver"
        self.app.push_screen(CaseDetailScreen(detail, role))


def _short_left(days: int) -> str:
    """剩 9 / 今天 / 超 5 (working days; the column says so)."""
    if days > 0:
        return f"剩 {days}"
    return "今天" if days == 0 else f"超 {-days}"
