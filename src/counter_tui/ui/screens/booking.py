"""Booking an appointment at the window (or for a caller on the phone): category, day, slot,
and the applicant's name, ID number and phone.

The free places of the day are shown as soon as the category and day are typed. The form
books through the service and closes only when the booking is recorded: a refusal (a full
slot, a day off, a wrong ID number) is shown under the fields and everything typed stays.
Enter moves to the next field and, on the last, books; ↑ goes back; Esc cancels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.widgets.training_mark import mark_training
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from datetime import date, datetime

    from counter_tui.actor import Actor
    from counter_tui.desk.node import Desk
    from counter_tui.queue.appointments import Appointment  # noqa: F401 (the result type)

FIELDS = (
    ("category", "类别（字母，如 A）"),
    ("day", "日期（如 2026-12-08）"),
    ("slot", "时段（如 09:00-09:30）"),
    ("name", "姓名"),
    ("id_number", "居民身份证号码"),
    ("phone", "联系电话（可不填）"),
)


class BookingScreen(ModalScreen["Appointment | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="booking.cancel"),
        Binding("up", "back", "上一项", id="booking.back", show=False),
    ]

    def __init__(self, desk: Desk, actor: Actor, now: datetime, *, channel: str = "window") -> None:
        super().__init__()
        self.desk = desk
        self.actor = actor
        self.now = now
        self.channel = channel

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Text("预约", style="bold"), id="ask-title")
            for field_id, label in FIELDS:
                # One line per label and field, as the case forms: 80×24 holds the whole form.
                yield Static(Text(label), classes="form-label")
                initial = self.now.date().isoformat() if field_id == "day" else ""
                yield Input(initial, id=f"booking-{field_id}", classes="form-input")
            yield Static("", id="booking-openings")
            yield StatusLine(id="booking-error", classes="error")
            yield Static(Text("回车下一项（最后一项回车预约）  ↑ 上一项  Esc 取消", style="dim"))

    def on_mount(self) -> None:
        mark_training(self.query_one("#ask-box", Widget))  # at 80×24 it covers the header
        self._inputs()[0].focus()

    def _inputs(self) -> list[Input]:
        return list(self.query(Input))

    def values(self) -> dict[str, str]:
        return {i.id.removeprefix("booking-"): i.value.strip() for i in self._inputs() if i.id}

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = self._inputs()
        at = inputs.index(event.input)
        if event.input.id in ("booking-category", "booking-day"):
            self._show_openings()
        if at + 1 < len(inputs):
            inputs[at + 1].focus()
            return
        values = self.values()
        day = self._day(values["day"])
        if day is None:
            self.query_one(StatusLine).say("日期格式应为 YYYY-MM-DD，如 2026-12-08", error=True)
            return
        self._book(values, day)

    def action_back(self) -> None:
        inputs = self._inputs()
        focused = self.focused
        if isinstance(focused, Input) and focused in inputs:
            inputs[max(0, inputs.index(focused) - 1)].focus()

    def _day(self, text: str) -> date | None:
        from datetime import date

        try:
            return date.fromisoformat(text)
        except ValueError:
            return None

    def _show_openings(self) -> None:
        values = self.values()
        day = self._day(values["day"])
        if values["category"] and day is not None:
            self._load_openings(values["category"], day)

    @work(thread=True, exclusive=True, group="booking-openings")
    def _load_openings(self, category: str, day: date) -> None:
        openings = self.desk.queue.openings(category, day, self.now)
        if openings:
            text = "可约：" + "  ".join(f"{o.slot.label} 余 {o.free}" for o in openings)
        else:
            text = f"{category.upper()} 类 {day.isoformat()} 没有可预约的时段"
        hand_back(self._set, "#booking-openings", text)

    def _set(self, selector: str, text: str) -> None:
        self.query_one(selector, Static).update(Text(text))

    @work(thread=True, exclusive=True, group="booking")
    def _book(self, values: dict[str, str], day: date) -> None:
        """A refusal (a full slot, a wrong ID number) or a busy database is said on the
        status line under the fields by the failure rule (ui/workers.py); the form stays."""
        made = self.desk.queue.book(self.actor, values, day, self.channel, self.now)
        hand_back(self.dismiss, made)

    def action_cancel(self) -> None:
        self.dismiss(None)
