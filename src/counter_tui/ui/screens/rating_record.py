"""Recording a rating that came by phone (12345 回访), SMS or online against a case (一事一评).

One short form: the case number, the channel (1 电话 2 短信 3 网上), the level 1–5, the reasons
of a bad one by their digits (shown under the field) or in words, and the rater's text. Enter
goes down the fields, F8 records; a refusal (an unknown case, a case already rated, a level
outside 1–5) shows on the status line and everything typed stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from counter_tui.clock import now_local
from counter_tui.feedback.rules import LEVELS, REASONS, RatingRefused
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.desk.node import Desk
    from counter_tui.feedback.ratings import RatingRecord
    from counter_tui.ui.app import CounterApp

#: The channels this form records, by their digit (the window's own pad records "window").
CHANNEL_DIGITS = {"1": ("phone", "电话回访"), "2": ("sms", "短信"), "3": ("online", "网上")}
#: Reasons by digit, in the order of feedback.rules.REASONS.
REASON_DIGITS = {str(n): code for n, code in enumerate(REASONS, 1)}
FIELDS = (
    ("case", "办件编号"),
    ("channel", "渠道：" + "  ".join(f"{d} {name}" for d, (_, name) in CHANNEL_DIGITS.items())),
    ("level", "等级：" + "  ".join(f"{n} {name}" for n, name in LEVELS.items())),
    ("reasons", "差评原因（数字可连写，或写文字）："
     + " ".join(f"{d}{REASONS[c]}" for d, c in REASON_DIGITS.items())),
    ("comment", "评价内容（可空）"),
)  # fmt: skip


def read_form(values: dict[str, str]) -> dict[str, object]:
    """The typed fields as the door's keyword arguments; a RatingRefused for what the form
    itself can tell is wrong (the channel's digit, a level that is no number)."""
    channel = CHANNEL_DIGITS.get(values["channel"].strip())
    if channel is None:
        raise RatingRefused("渠道请填 1（电话回访）、2（短信）或 3（网上）")
    level_text = values["level"].strip()
    if not level_text.lstrip("-").isdigit():
        raise RatingRefused("评价等级应为 1–5（1 非常满意 … 5 非常不满意）")
    typed = values["reasons"].strip()
    if typed.isdigit():
        unknown = [d for d in typed if d not in REASON_DIGITS]
        if unknown:
            raise RatingRefused(f"没有编号为 {'、'.join(unknown)} 的差评原因")
        reasons = [REASON_DIGITS[d] for d in dict.fromkeys(typed)]
    else:
        reasons = [r for r in typed.replace("，", ",").split(",") if r.strip()]
    return {
        "kind": "case",
        "case": values["case"],
        "channel": channel[0],
        "level": int(level_text),
        "reasons": reasons,
        "comment": values["comment"],
    }


class RatingScreen(ModalScreen["RatingRecord | None"]):
    """Returns the recorded rating, or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "submit", "确定", id="rating.submit", tooltip="记录这条评价"),
        Binding("escape", "cancel", "取消", id="rating.cancel"),
        Binding("down", "app.focus_next", "下一项", id="rating.next", show=False),
        Binding("up", "app.focus_previous", "上一项", id="rating.previous", show=False),
    ]

    status = getters.query_one(StatusLine)

    def __init__(self, case_number: str = "") -> None:
        super().__init__()
        self.case_number = case_number

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box", classes="case-form"):
            yield Static(Text("记录评价（电话、短信、网上，一事一评）", style="bold"))
            for name, label in FIELDS:
                yield Static(Text(label), classes="form-label")
                initial = self.case_number if name == "case" else ""
                yield Input(initial, id=f"rating-{name}", classes="form-input")
            yield StatusLine(id="rating-status")
            yield Static(Text("回车 下一项  F8 确定  Esc 取消", style="dim"))

    def on_mount(self) -> None:
        first = "#rating-channel" if self.case_number else "#rating-case"
        self.query_one(first, Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "rating-comment":
            self.action_submit()
        else:
            self.focus_next()

    def action_submit(self) -> None:
        values = {name: self.query_one(f"#rating-{name}", Input).value for name, _ in FIELDS}
        try:
            details = read_form(values)
        except RatingRefused as refused:
            self.status.say(refused.message, error=True)
            return
        desk = self.counter.desk
        if desk is not None:
            self.status.say("正在记录…")
            self._record(desk, details)

    @work(thread=True, exclusive=True, group="rating")
    def _record(self, desk: Desk, details: dict[str, object]) -> None:
        signed = self.counter.signed_in
        assert signed is not None
        now = now_local(self.counter.clock()).replace(microsecond=0)
        made = desk.feedback.record(signed.actor, now=now, **details)  # type: ignore[arg-type]
        hand_back(self._recorded, made)

    def _recorded(self, made: RatingRecord) -> None:
        extra = f"，已生成差评整改（{made.followup_due:%m-%d} 前）" if made.followup_due else ""
        self.app.notify(f"已记录评价：{made.case_number} {made.level_label}{extra}", markup=False)
        self.dismiss(made)

    def action_cancel(self) -> None:
        self.dismiss(None)
