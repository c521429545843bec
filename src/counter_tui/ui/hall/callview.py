"""What one call looks like on the hall display: the number, an arrow and the window in big
characters, and a caption with the masked name. Pure: Board data in, Rich renderables out.

Names are data: they go into Text objects, never through markup (DESIGN §4.6).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.align import Align
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from counter_tui.ui.hall import bigtext

if TYPE_CHECKING:
    from counter_tui.queue.board import Board, Call

LABEL = "号窗口"


def _big_line(call: Call, scale: int) -> list[Text]:
    """The number, an arrow and the window in big characters, 号窗口 beside the window."""
    number = bigtext.render(call.number, scale)
    arrow = bigtext.render("→", scale)
    window = bigtext.render(call.window, scale)
    gap = " " * (2 * scale)
    middle = len(number) // 2
    lines = []
    for row, (n, a, w) in enumerate(zip(number, arrow, window, strict=True)):
        line = Text(no_wrap=True)
        line.append(n, style="bold")
        line.append(gap + a + gap)
        line.append(w, style="bold")
        line.append(" " + (LABEL if row == middle else " " * 6))
        lines.append(line)
    return lines


def _caption(call: Call) -> Text:
    """The line under a call: the masked name, and whether it is a recall or in service."""
    parts = [call.name] if call.name else []
    if call.serving:
        parts.append("办理中")
    elif call.calls > 1:
        parts.append(f"第 {call.calls} 次呼叫")
    return Text("  ".join(parts), no_wrap=True, overflow="ellipsis")


def hero_call(call: Call, scale: int) -> RenderableType:
    """The latest call, as large as the layout allows, with who is called and where to."""
    # Centred as one block: centring line by line would shift the rows that end in spaces.
    big = Text("\n", no_wrap=True).join(_big_line(call, scale))
    caption = Text(f"请 {call.number} 号到 {call.window} 号窗口", style="bold")
    extra = _caption(call)
    if extra:
        caption.append("  ")
        caption.append_text(extra)
    return Group(Align.center(big), Align.center(caption))


def small_call_width(call: Call, scale: int) -> int:
    return max(line.cell_len for line in _big_line(call, scale))


def small_call(call: Call, scale: int, fresh: bool) -> RenderableType:
    lines = _big_line(call, scale)
    caption = _caption(call)
    caption.style = "dim" if call.serving else ""
    block = Text("\n", no_wrap=True).join([*lines, caption])
    if fresh:
        block.stylize("reverse")
    return block


def waiting_table(board: Board | None) -> RenderableType:
    table = Table(box=None, expand=True, show_edge=False, padding=(0, 1))
    table.add_column("类别", no_wrap=True, overflow="ellipsis")
    table.add_column("等候", justify="right", no_wrap=True)
    if board is None:
        return table
    for waiting in board.waiting:
        table.add_row(
            Text(f"{waiting.prefix} {waiting.name}"),
            Text(f"{waiting.count} 人", style="bold" if waiting.count else "dim"),
        )
    if board.leftovers:
        table.add_row(Text("往日未办结", style="dim"), Text(f"{board.leftovers} 张", style="dim"))
    return table
