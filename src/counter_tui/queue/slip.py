"""The ticket slip (排队号票) as plain text for a 58/80 mm receipt printer. Pure: no I/O.

What the applicant holds while waiting: the hall, the number (large enough to read across the
room is the display's job; here it is spaced out), the category, how many wait ahead, the time,
and for an appointment its slot. Widths are terminal cells, as for the notices (notices.text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len

from counter_tui.notices.content import TRAINING_PREFIX
from counter_tui.notices.text import training_banner, wrap


@dataclass(frozen=True)
class Slip:
    hall: str
    number: str
    category: str
    ahead: int
    issued_at: datetime
    priority_reason: str = ""
    slot: str = ""
    #: Issued in a demo (training) hall: the slip says so at its head and foot.
    training: bool = False


def _center(line: str, width: int) -> str:
    return " " * max(0, (width - cell_len(line)) // 2) + line


def slip_text(slip: Slip, width: int = 48) -> str:
    lines = training_banner(width) if slip.training else []
    lines += [_center(line, width) for line in wrap(slip.hall, width)]
    lines.append("-" * width)
    title = "排 队 号"
    lines.append(_center(f"{TRAINING_PREFIX}{title}" if slip.training else title, width))
    lines.append("")
    lines.append(_center("  ".join(slip.number), width))
    lines.append("")
    lines.append(_center(slip.category, width))
    if slip.priority_reason:
        lines.append(_center(f"绿色通道（{slip.priority_reason}）", width))
    if slip.slot:
        lines.append(_center(f"预约时段 {slip.slot}", width))
    lines.append("-" * width)
    ahead = "您前面没有人等候" if slip.ahead == 0 else f"您前面还有 {slip.ahead} 人等候"
    lines += wrap(ahead, width)
    lines += wrap(f"取号时间：{slip.issued_at:%Y-%m-%d %H:%M}", width)
    lines += wrap("请留意叫号屏和语音提示；过号请到窗口说明，可重新排队。", width)
    lines += wrap("本号当日有效。", width)
    if slip.training:
        lines += ["", *training_banner(width)]
    return "\n".join(line.rstrip() for line in lines) + "\n"
