"""The worklist (F4): the cases someone has to act on, earliest due first, each with its
time-limit level. Two views:
- 后台待审 (the back office): an approver's own department's handed-off, in-review, correction
  and suspended cases; c claims one (one approver per case);
- 窗口待办 (the window): accepted cases not yet handed off (h hands off the highlighted one
  and moves on, so a run of cases goes in a few keys), cases waiting for corrected papers, and
  results ready for delivery (待出件).
- 今日办理 (today, ui/screens/today.py): the tickets this window dealt with today and the cases
  the clerk touched, whatever their state now.
A clerk sees the window's view and today's (v switches), an approver the back office's; a
trainer, supervisor or admin switches between them (v) and picks a department (d). Enter opens
the case, where every other action has its key; s cycles the state filter, l the level filter;
r reloads. Case numbers are shown short (0003, or 1123-0003 when the list needs it) so the item
has the room; the line under the table shows the highlighted case in full.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from counter_tui.clock import now_local
from counter_tui.ui.messages import CasesArrived
from counter_tui.ui.screens.section import SectionScreen
from counter_tui.ui.screens.today import TodayView
from counter_tui.ui.widgets.header import LEVEL_STYLES
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.cases.worklist import WorkItem
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import CaseDetail

#: The level filter, in the order l cycles it: None is every level.
LEVEL_FILTERS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("全部", None),
    ("提醒及以上", ("reminder", "yellow", "red")),
    ("黄牌及以上", ("yellow", "red")),
    ("红牌", ("red",)),
)
#: The columns besides the item's name (which follows the case number), with their widths.
#: The number is short (cases.worklist.short_numbers): its width is the list's (`_number_width`).
COLUMNS = (("预警", 4), ("编号", 4), ("申请人", 6), ("状态", 10), ("工作日", 6), ("认领人", 6))
VIEW_LABELS = {"back": "后台待审", "window": "窗口待办", "today": "今日办理"}
#: The views each role has, the first one shown on arrival.
ROLE_VIEWS = {
    "clerk": ("window", "today"),
    "approver": ("back",),
    "trainer": ("window", "today", "back"),
    "supervisor": ("back", "window"),
    "admin": ("back", "window"),
}


class WorklistScreen(SectionScreen):
    section_name = "worklist"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "claim", "认领", id="worklist.claim", tooltip="认领选中的办件（一件一人）"),
        Binding(
            "h", "hand_off", "移交", id="worklist.hand_off", tooltip="选中的已受理办件移交后台"
        ),
        Binding("v", "view", "视图", id="worklist.view", tooltip="窗口待办 / 今日办理 / 后台待审"),
        Binding("d", "department", "部门", id="worklist.department", tooltip="按部门筛选"),
        Binding("s", "states", "状态", id="worklist.states", tooltip="全部状态，或只看一种"),
        Binding("l", "levels", "预警", id="worklist.levels", tooltip="全部、提醒、黄牌、红牌"),
        # Lists reload on arrival and after every action; r stays in F1 for the rare need.
        Binding("r", "reload", "刷新", id="worklist.reload", tooltip="重新读取待办", show=False),
    ]

    status = getters.query_one(StatusLine)

    def __init__(self) -> None:
        super().__init__()
        self.items: list[WorkItem] = []
        self.level_filter = 0
        #: Index into the role's views.
        self.view_index = 0
        #: The department chosen with d (None: all); an approver always has their own.
        self.department_choice: str | None = None
        self.department_names: dict[str, str] = {}
        #: The state filter (None: every state of the view), cycled with s.
        self.state_choice: str | None = None
        self._columns_for = (0, 0)
        #: The short case number of each case on the list (cases.worklist.short_numbers).
        self.shorts: dict[str, str] = {}
        #: Whether the status line says 没有待办 (cleared once there is work again).
        self._empty_said = False

    @property
    def views(self) -> tuple[str, ...]:
        actor = self.actor
        return ROLE_VIEWS.get(actor.role, ("back",)) if actor else ("back",)

    @property
    def view(self) -> str:
        return self.views[self.view_index % len(self.views)]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="worklist-filter")
        yield DataTable(id="worklist-table", cursor_type="row")
        yield Static("", id="worklist-detail")
        yield TodayView(id="worklist-today")
        yield StatusLine(id="worklist-status")

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#worklist-table", DataTable)

    @property
    def today_view(self) -> TodayView:
        return self.query_one(TodayView)

    def on_mount(self) -> None:
        self._add_columns(self.app.size.width, 4)
        self._show_view()
        self.counter.desk_signal.subscribe(self, lambda _: self.action_reload())
        self.action_reload()

    def _add_columns(self, width: int, number_width: int) -> None:
        """Fixed columns, the item's name taking what is left: 80 columns show every column."""
        table = self.table
        padding = 2 + 2 + 2 * (len(COLUMNS) + 1)
        sizes = [number_width if label == "编号" else size for label, size in COLUMNS]
        name = max(6, width - padding - sum(sizes))
        table.clear(columns=True)
        for index, ((label, _), size) in enumerate(zip(COLUMNS, sizes, strict=True)):
            table.add_column(label, width=size)
            if index == 1:
                table.add_column("事项", width=name)
        self._columns_for = (width, number_width)

    def _show_view(self) -> None:
        """The worklist table and its detail line, or today's work, as the view says."""
        today = self.view == "today"
        self.table.display = not today
        self.query_one("#worklist-detail").display = not today
        self.today_view.display = today
        if today:
            self.today_view.table.focus()
        else:
            self.table.focus()

    def on_resize(self) -> None:
        if self.app.size.width != self._columns_for[0]:
            self._show(self.items, self._department())

    def on_screen_resume(self) -> None:
        self.action_reload()

    @on(CasesArrived)
    def _arrived(self) -> None:
        self.action_reload()

    def _department(self) -> str | None:
        actor = self.actor
        if actor is not None and actor.role == "approver":
            return actor.department
        return self.department_choice

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.actor
        if action == "claim":  # offered to whom the lifecycle table lets claim (not supervisors)
            return self.view == "back" and actor is not None and actor.role in _may("claim")
        if action == "hand_off":
            return self.view == "window" and actor is not None and actor.role in _may("hand_off")
        if action == "view":
            return len(self.views) > 1
        if action in ("department", "states", "levels") and self.view == "today":
            return False  # today's work is the window's own: no filters
        if action == "department":
            return actor is not None and actor.role != "approver"
        return True

    def action_reload(self) -> None:
        desk, actor = self.counter.desk, self.actor
        if desk is not None and actor is not None and self.view == "today":
            self._today(desk, actor)
        elif desk is not None and actor is not None:
            levels = LEVEL_FILTERS[self.level_filter][1]
            self._load(desk, self.view, self._department(), levels, self.state_choice)

    def action_levels(self) -> None:
        self.level_filter = (self.level_filter + 1) % len(LEVEL_FILTERS)
        self.action_reload()

    def action_states(self) -> None:
        """Every state of the view, then each in turn, then every state again."""
        from counter_tui.desk.cases import view_states

        states: list[str | None] = [None, *view_states(self.view)]
        at = states.index(self.state_choice) if self.state_choice in states else 0
        self.state_choice = states[(at + 1) % len(states)]
        self.action_reload()

    def action_view(self) -> None:
        self.view_index = (self.view_index + 1) % len(self.views)
        self.state_choice = None
        self.refresh_bindings()
        self._show_view()
        self.action_reload()

    def _today(self, desk: Desk, actor: Actor) -> None:
        day = self.counter.clock().date()
        window = self.counter.settings.window
        signed = self.counter.signed_in
        who = signed.display_name if signed else actor.username
        self.query_one("#worklist-filter", Static).update(
            Text(f"{VIEW_LABELS['today']} · {day.month}月{day.day}日 · {window}号窗口 · {who}")
        )
        self.today_view.load(desk, actor, window, day)

    def action_department(self) -> None:
        """All departments, then each in turn (by code), then all again."""
        codes: list[str | None] = [None, *sorted(self.department_names)]
        at = codes.index(self.department_choice) if self.department_choice in codes else 0
        self.department_choice = codes[(at + 1) % len(codes)]
        self.action_reload()

    @work(thread=True, exclusive=True, group="worklist")
    def _load(
        self,
        desk: Desk,
        view: str,
        department: str | None,
        levels: tuple[str, ...] | None,
        state: str | None,
    ) -> None:
        if not self.department_names:
            self.department_names = desk.catalog.department_names()
        today = self.counter.clock().date()
        items = desk.cases.worklist(today, department, levels, view, state, self.actor)
        hand_back(self._show, items, department)

    def _show(self, items: list[WorkItem], department: str | None) -> None:
        self.items = items
        where = self.department_names.get(department, department) if department else "全部部门"
        from counter_tui.cases.lifecycle import state_label

        label = LEVEL_FILTERS[self.level_filter][0]
        state = state_label(self.state_choice) if self.state_choice else "全部"
        self.query_one("#worklist-filter", Static).update(
            Text(
                f"{VIEW_LABELS[self.view]} · {where} · 状态：{state} · 预警：{label}"
                f" · {len(items)} 件"
            )
        )
        from counter_tui.cases.worklist import short_numbers

        self.shorts = short_numbers(item.number for item in items)
        number_width = max([4, *(len(short) for short in self.shorts.values())])
        if self._columns_for != (self.app.size.width, number_width):
            self._add_columns(self.app.size.width, number_width)
        table = self.table
        row = table.cursor_row
        table.clear()
        for item in items:
            table.add_row(
                Text(item.level_label, style=LEVEL_STYLES.get(str(item.level), "")),
                Text(self.shorts[item.number]),
                Text(item.entry_name, overflow="ellipsis", no_wrap=True),
                Text(item.applicant, overflow="ellipsis", no_wrap=True),
                Text(item.state_label),
                Text("待出件" if item.level is None else _short_left(item.days_left)),
                Text(item.assignee or "—", overflow="ellipsis", no_wrap=True),
                key=item.id,
            )
        if items:
            table.move_cursor(row=min(row, len(items) - 1))
            if self._empty_said:
                self.status.say("")
        else:
            self.status.say("没有待办")
        self._empty_said = not items
        self._describe()

    @on(DataTable.RowHighlighted, "#worklist-table")
    def _row_highlighted(self) -> None:
        self._describe()

    def _describe(self) -> None:
        """The detail line: the highlighted case in full (its whole number, item, applicant,
        state and due date), which the table's columns shorten."""
        item = self._highlighted()
        line = ""
        if item is not None:
            # A completed case's clock has stopped: what is owed is the delivery.
            due = "待出件" if item.level is None else f"{item.due.month}月{item.due.day}日到期"
            line = (
                f"{item.number} · {item.entry_name} · {item.applicant} · {item.state_label} · {due}"
            )
        self.query_one("#worklist-detail", Static).update(Text(line))

    def _highlighted(self) -> WorkItem | None:
        table = self.table
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def action_claim(self) -> None:
        self._act_on_highlighted("claim", "已认领")

    def action_hand_off(self) -> None:
        item = self._highlighted()
        if item is not None and item.state != "accepted":
            self.status.say(
                f"{item.number} {item.state_label}：只有已受理的办件可以移交", error=True
            )
            return
        self._act_on_highlighted("hand_off", "已移交后台")

    def _act_on_highlighted(self, action: str, done: str) -> None:
        item, desk, signed = self._highlighted(), self.counter.desk, self.counter.signed_in
        if item is not None and desk is not None and signed is not None:
            details = {"display_name": signed.display_name} if action == "claim" else {}
            self._act(desk, signed.actor, action, item.id, done, details)

    @work(thread=True, exclusive=True, group="worklist-act")
    def _act(
        self,
        desk: Desk,
        actor: Actor,
        action: str,
        case_id: str,
        done: str,
        details: dict[str, str],
    ) -> None:
        now = now_local(self.counter.clock()).replace(microsecond=0)
        outcome = desk.cases.act(actor, action, case_id, now, **details)
        hand_back(self._acted, f"{done} {outcome.case.number}")

    def _acted(self, message: str) -> None:
        self.status.say(message)
        self.counter.case_changed()
        self.action_reload()

    @on(DataTable.RowSelected, "#worklist-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        desk = self.counter.desk
        if desk is not None and event.row_key.value:
            self._detail(desk, event.row_key.value)

    @work(thread=True, exclusive=True, group="worklist-act")
    def _detail(self, desk: Desk, case_id: str) -> None:
        detail = desk.cases.detail(case_id, self.counter.clock().date())
        if detail is not None:
            hand_back(self._opened, detail)

    def _opened(self, detail: CaseDetail) -> None:
        from counter_tui.ui.screens.case_detail import CaseDetailScreen

        role = self.actor.role if self.actor else "approver"
        self.app.push_screen(CaseDetailScreen(detail, role))


def _may(action: str) -> frozenset[str]:
    """The roles the lifecycle table lets take `action` (claim, hand_off) from any state."""
    from counter_tui.cases.lifecycle import TRANSITIONS

    return frozenset().union(*(step.roles for (_, a), step in TRANSITIONS.items() if a == action))


def _short_left(days: int) -> str:
    """剩 9 / 今天 / 超 5 (working days; the column says so)."""
    if days > 0:
        return f"剩 {days}"
    return "今天" if days == 0 else f"超 {-days}"
