"""What the rating pad draws: the five levels (big digits when there is room, a plain list on
a small screen), the reasons for a bad rating, the thanks. Pure: data in, Rich renderables out.

The clerk's and the applicant's names are data: Text objects, never markup (DESIGN §4.6).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.align import Align
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from counter_tui.ui.hall import bigtext

if TYPE_CHECKING:
    from counter_tui.desk.pad import ServiceEnd

#: From this size up the levels are drawn as big digits side by side.
BIG = (70, 18)
#: From this size up the digits are drawn one step larger.
HUGE = (110, 34)


def who(end: ServiceEnd) -> Text:
    """Who served whom: the clerk by name, the applicant masked, the ticket or the case."""
    line = Text(justify="center", no_wrap=True, overflow="ellipsis")
    line.append(f"{end.window} 号窗口  ")
    line.append("为您服务：")
    line.append(end.clerk_name or end.clerk or "窗口工作人员", style="bold")
    what = [end.applicant] if end.applicant else []
    if end.kind == "case":
        what.append(f"办件 {end.case_number} 已出件")
    elif end.ticket_number:
        what.append(end.ticket_number)
    if what:
        line.append("  ")
        line.append("  ".join(what))
    return line


def levels(labels: dict[int, str], cursor: int | None, width: int, height: int) -> RenderableType:
    """The five levels; the one under the cursor (arrow keys) in reverse."""
    if width < BIG[0] or height < BIG[1]:
        return _level_list(labels, cursor)
    scale = 3 if width >= HUGE[0] and height >= HUGE[1] else 2
    grid = Table.grid(padding=(0, 2), expand=False)
    for _ in labels:
        grid.add_column(justify="center", no_wrap=True)
    cells = []
    for level, label in labels.items():
        digit = Text("\n", no_wrap=True).join(
            Text(line, style="bold") for line in bigtext.render(str(level), scale)
        )
        cell = Text("\n", no_wrap=True, justify="center").join([digit, Text(label)])
        if level == cursor:
            cell.stylize("reverse")
        cells.append(Align.center(cell))
    grid.add_row(*cells)
    return Align.center(grid)


def _level_list(labels: dict[int, str], cursor: int | None) -> RenderableType:
    lines = []
    for level, label in labels.items():
        line = Text(f" {level}  {label} ", style="reverse bold" if level == cursor else "")
        lines.append(line)
    return Align.center(Group(*lines))


def reasons(
    level_label: str, choices: Sequence[tuple[str, str]], cursor: int | None
) -> RenderableType:
    """The numbered reasons (差评原因) to pick one from."""
    lines = [Text(f"您选择了「{level_label}」，请选择原因：", style="bold")]
    for index, (_code, label) in enumerate(choices, start=1):
        style = "reverse bold" if index - 1 == cursor else ""
        lines.append(Text(f" {index}  {label} ", style=style))
    return Align.center(Group(*lines))


def thanks(level_label: str) -> RenderableType:
    lines = [Text("感谢您的评价！", style="bold", justify="center")]
    if level_label:
        lines.append(Text(f"您的评价：{level_label}", justify="center"))
    return Group(*lines)
