"""The trainer's view of a browser class (`counter-tui demo --serve --trainer`): the class's
address on top, then one row per trainee (seat) with their scenario, progress, score, mistakes,
hints, time and whether they are still connected, read again from the class folder every
second. Closing it ends the class, so it asks twice.

It reads only the seats' progress files (demo/classroom_seats.py, on demo/progress.py's reader),
never a seat's database: a trainee's work stays theirs, and the view stays as light as a clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from counter_tui.demo.classroom_seats import SeatRow, elapsed_now, elapsed_text, read_seats

if TYPE_CHECKING:
    from counter_tui.demo.classroom import Classroom

#: How often the seats' files are read again (s): a trainee's step shows within a second.
POLL_EVERY_S = 1.0

COLUMNS = ("学员", "场景", "进度", "得分", "错误", "提示", "用时", "状态")


@dataclass
class SeatsRead(Message):
    """The class as the files say now, and whether the server still runs."""

    rows: list[SeatRow]
    server_alive: bool


class TrainerApp(App[None]):
    """The trainer's screen during a class."""

    CSS_PATH = "styles/classroom.tcss"
    TITLE = "counter-tui 培训课堂"
    #: Nothing to command here but ending the class (on its key).
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "end_class",
            "结束课堂",
            id="classroom.end",
            tooltip="结束课堂：所有学员的演示大厅都会关闭（按两次）",
            priority=True,
        ),
        Binding("escape", "keep_class", "继续上课", id="classroom.keep", show=False),
    ]

    def __init__(
        self,
        classroom: Classroom,
        *,
        poll_every: float = POLL_EVERY_S,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self.classroom = classroom
        self.poll_every = poll_every
        #: Tests pass a fixed one (the running scenarios' times count on from it).
        self.clock = clock
        #: Ctrl+Q was pressed once: the next one ends the class.
        self.ending = False
        #: The last rows shown (tests and the summary read them).
        self.rows: list[SeatRow] = []
        self.server_alive = True

    def compose(self) -> ComposeResult:
        yield Static(self._address_line(), id="address")
        yield Static("", id="summary")
        yield DataTable(id="seats", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#seats", DataTable)
        table.add_columns(*COLUMNS)
        self._show([], server_alive=True)
        self.read_class()
        self.set_interval(self.poll_every, self.read_class)

    @work(thread=True, exclusive=True, group="classroom.read", exit_on_error=False)
    def read_class(self) -> None:
        """Read the seats' files off the app's thread (twenty small files; a slow disk must
        not freeze the trainer's keys)."""
        rows = read_seats(self.classroom.folder)
        self.post_message(SeatsRead(rows, self.classroom.server_alive()))

    @on(SeatsRead)
    def _seats_read(self, message: SeatsRead) -> None:
        self._show(message.rows, server_alive=message.server_alive)

    def _show(self, rows: list[SeatRow], *, server_alive: bool) -> None:
        self.rows, self.server_alive = rows, server_alive
        table = self.query_one("#seats", DataTable)
        at = table.cursor_row
        table.clear()
        now = self.clock()
        for row in rows:
            table.add_row(*seat_cells(row, now), key=row.record.seat)
        if rows:
            table.move_cursor(row=min(at, len(rows) - 1))
        online = sum(row.connected for row in rows)
        finished = sum(row.finished_runs for row in rows)
        summary = f"学员 {len(rows)} 人 · 在线 {online} 人 · 已完成练习 {finished} 个"
        if not rows:
            summary = "还没有学员连接：请学员在浏览器中打开上面的地址"
        self.query_one("#summary", Static).update(Text(summary))
        self._show_status()

    def _show_status(self) -> None:
        status = self.query_one("#status", Static)
        if self.ending:
            status.update(
                Text("再按 Ctrl+Q 结束课堂（所有学员的演示大厅都会关闭）；按 Esc 继续上课")
            )
        elif not self.server_alive:
            status.update(Text("课堂服务已停止：学员无法再连接。按 Ctrl+Q 退出后重新开课"))
        else:
            status.update("")
        status.set_class(self.ending or not self.server_alive, "-warning")

    def action_end_class(self) -> None:
        """The first Ctrl+Q asks; the second ends the class (the CLI then stops the server)."""
        if self.ending or not self.server_alive:
            self.exit()
            return
        self.ending = True
        self._show_status()

    def action_keep_class(self) -> None:
        self.ending = False
        self._show_status()

    def _address_line(self) -> Text:
        """The address for the projector on a line of its own; the PC's others under it."""
        urls = self.classroom.urls
        line = Text()
        line.append("培训/演示", style="bold reverse")
        line.append("  请学员在浏览器中打开：")
        line.append(urls[0], style="bold")
        if len(urls) > 1:
            line.append("\n           也可用：" + "  ".join(urls[1:]))
        if self.classroom.reach_note:
            line.append(f"\n           {self.classroom.reach_note}", style="bold")
        return line


def seat_cells(row: SeatRow, now: datetime) -> tuple[Text, ...]:
    """A seat's row as the table shows it; every text literal (a trainee's name is typed by the
    trainee: never markup)."""
    seat = row.record
    if not row.connected:
        state = "已离开"
    elif seat.finished:
        state = "已完成"
    elif seat.tasks:
        state = "练习中"
    else:
        state = "自由练习"
    return tuple(
        Text(cell)
        for cell in (
            seat.trainee or seat.seat,
            seat.title or seat.scenario or "—",
            f"{seat.done}/{seat.tasks}" if seat.tasks else "—",
            str(seat.score) if seat.score is not None else "—",
            str(seat.mistakes),
            str(seat.hints),
            elapsed_text(elapsed_now(row, now)),
            state,
        )
    )


def run_trainer_view(classroom: Classroom) -> None:
    """Run the view until the trainer ends the class (the caller then stops the server)."""
    TrainerApp(classroom).run()
