"""Today's work (F4's 今日办理 view): the tickets this window dealt with today and the cases the
clerk or the window touched, latest first, each with its state; Enter opens the case (a
ticket's first case). A line under the table shows the highlighted row in full, since the table
shows short case numbers to give the item its room.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from datetime import date

    from counter_tui.actor import Actor
    from counter_tui.cases.today import TodayCase, TodayTicket, TodayWork
    from counter_tui.desk.node import Desk
    from counter_tui.desk.records import CaseDetail
    from counter_tui.ui.app import CounterApp

#: The fixed columns (label, width); 编号 is as wide as the list's short numbers, and
#: 事项 · 结果 takes what is left.
TIME_WIDTH, NAME_WIDTH, STATE_WIDTH = 5, 8, 12


class TodayView(Vertical):
    """The table of today's tickets and cases, and the detail line of the highlighted one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.work: TodayWork | None = None
        #: Row key → the ticket or case on that row.
        self.rows: dict[str, TodayTicket | TodayCase] = {}
        self.shorts: dict[str, str] = {}

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#today-table", DataTable)

    def compose(self) -> ComposeResult:
        yield DataTable(id="today-table", cursor_type="row")
        yield Static("", id="today-detail")

    def load(self, desk: Desk, viewer: Actor, window: str, day: date) -> None:
        self._load(desk, viewer, window, day)

    @work(thread=True, exclusive=True, group="today")
    def _load(self, desk: Desk, viewer: Actor, window: str, day: date) -> None:
        hand_back(self._show, desk.cases.today(viewer, window, day))

    def _show(self, work: TodayWork) -> None:
        from counter_tui.cases.worklist import short_numbers

        self.work = work
        numbers = [case.number for case in work.cases]
        numbers += [n for ticket in work.tickets for n in ticket.case_numbers]
        self.shorts = short_numbers(numbers)
        table = self.table
        row = table.cursor_row
        number_width = max([4, *(len(short) for short in self.shorts.values())])
        table.clear(columns=True)
        rest = TIME_WIDTH + number_width + NAME_WIDTH + STATE_WIDTH
        # The section's padding (2 a side) and each cell's (1 a side) come off the width.
        item_width = max(8, self.app.size.width - 4 - 2 * 5 - rest)
        for label, width in (
            ("时间", TIME_WIDTH),
            ("编号", number_width),
            ("事项 · 结果", item_width),
            ("申请人", NAME_WIDTH),
            ("状态", STATE_WIDTH),
        ):
            table.add_column(label, width=width)
        self.rows = {}
        entries: list[tuple[str, TodayTicket | TodayCase]] = [
            *((f"t:{t.id}", t) for t in work.tickets),
            *((f"c:{c.id}", c) for c in work.cases),
        ]
        entries.sort(key=lambda entry: entry[1].at, reverse=True)
        for key, entry in entries:
            self.rows[key] = entry
            table.add_row(*self._cells(entry), key=key)
        if entries:
            table.move_cursor(row=min(row, len(entries) - 1))
        self._describe()

    def _cells(self, entry: TodayTicket | TodayCase) -> tuple[Text, ...]:
        from counter_tui.cases.today import TodayTicket

        at = Text(entry.at.strftime("%H:%M"))
        if isinstance(entry, TodayTicket):
            linked = " ".join(self.shorts.get(n, n) for n in entry.case_numbers)
            what = f"号票 · 办件 {linked}" if linked else "号票"
            return (
                at,
                Text(entry.number, style="bold"),
                Text(what, overflow="ellipsis", no_wrap=True),
                Text(""),
                Text(entry.outcome),
            )
        return (
            at,
            Text(self.shorts.get(entry.number, entry.number)),
            Text(entry.entry_name, overflow="ellipsis", no_wrap=True),
            Text(entry.applicant, overflow="ellipsis", no_wrap=True),
            Text(entry.state_label),
        )

    def on_resize(self) -> None:
        if self.work is not None:
            self._show(self.work)

    def highlighted(self) -> TodayTicket | TodayCase | None:
        table = self.table
        if not self.rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    @on(DataTable.RowHighlighted, "#today-table")
    def _highlighted(self) -> None:
        self._describe()

    def _describe(self) -> None:
        """The detail line: the highlighted row in full (whole case numbers, due date)."""
        from counter_tui.cases.today import TodayTicket

        entry = self.highlighted()
        if entry is None:
            line = "今天还没有办理记录：叫号或受理后会列在这里"
        elif isinstance(entry, TodayTicket):
            cases = "、".join(entry.case_numbers) or "无"
            line = f"号票 {entry.number} · {entry.at:%H:%M} {entry.outcome} · 办件：{cases}"
            if entry.note:
                line += f" · {entry.note}"
        else:
            due = f" · {entry.due.month}月{entry.due.day}日到期" if entry.due else ""
            step = f" · 今日：{entry.step}" if entry.step else ""
            line = (
                f"{entry.number} · {entry.entry_name} · {entry.applicant}"
                f" · {entry.state_label}{due}{step}"
            )
        self.query_one("#today-detail", Static).update(Text(line))

    @on(DataTable.RowSelected, "#today-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter opens the case; on a ticket, the first case it produced."""
        from counter_tui.cases.today import TodayTicket

        event.stop()
        entry, desk = self.highlighted(), self.counter.desk
        if entry is None or desk is None:
            return
        if isinstance(entry, TodayTicket):
            if not entry.case_numbers:
                self.app.bell()  # the detail line says 办件：无
                return
            self._open_number(desk, entry.case_numbers[0])
        else:
            self._open(desk, entry.id)

    @work(thread=True, exclusive=True, group="today-open")
    def _open(self, desk: Desk, case_id: str) -> None:
        detail = desk.cases.detail(case_id, self.counter.clock().date())
        if detail is not None:
            hand_back(self._opened, detail)

    @work(thread=True, exclusive=True, group="today-open")
    def _open_number(self, desk: Desk, number: str) -> None:
        found = desk.cases.find(number)
        if found:
            detail = desk.cases.detail(found[0].id, self.counter.clock().date())
            if detail is not None:
                hand_back(self._opened, detail)

    def _opened(self, detail: CaseDetail) -> None:
        from counter_tui.ui.screens.case_detail import CaseDetailScreen

        signed = self.counter.signed_in
        self.app.push_screen(CaseDetailScreen(detail, signed.actor.role if signed else "clerk"))
