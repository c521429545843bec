"""The one-line header: site, window, user and role, mode, sync status and the clock.

Names come from the database and are untrusted: the line is built from Text parts, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from counter_tui.accounts.rules import role_label

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp

SEPARATOR = (" │ ", "dim")
#: How each supervision level is coloured, here and in the worklist.
LEVEL_STYLES = {"red": "bold red", "yellow": "bold yellow", "reminder": "cyan", "paused": "dim"}
#: The header's warning count, worst first: (level code, label).
WARNINGS = (("red", "红"), ("yellow", "黄"), ("reminder", "提醒"))


class CounterHeader(Widget):
    """Shows who works where, how many of their cases need attention (红牌, 黄牌, 提醒), in
    which mode, and the time; refreshes every second."""

    DEFAULT_CSS = """
    CounterHeader { height: 1; dock: top; }
    """

    def on_mount(self) -> None:
        self.set_interval(1, self.refresh)

    def render(self) -> Text:
        app: CounterApp = self.app  # type: ignore[assignment]
        node = app.node
        width = self.content_size.width
        where = "导服台" if app.settings.reception else f"{app.settings.window}号窗口"
        tail: list[Text] = [Text(where)]
        if app.signed_in is not None:
            who = app.signed_in
            tail.append(Text(f"{who.display_name}（{role_label(who.actor.role)}）"))
            warnings = warning_text(app.warnings)
            if warnings:
                tail.append(warnings)
        if app.settings.demo or (node and node.demo):
            tail.append(Text("演示模式·不同步", style="bold reverse"))
        else:
            tail.append(Text("同步：未配置"))
        clock = app.clock().strftime("%H:%M:%S" if width < 100 else "%Y-%m-%d %H:%M:%S")
        line = Text(no_wrap=True)
        for part in tail:
            line.append(*SEPARATOR)
            line.append_text(part)
        # The site name gives way first when the line is too long for the terminal.
        room = width - line.cell_len - len(clock) - 1
        site = Text(node.site_name if node else "…", style="bold", no_wrap=True)
        if site.cell_len > room:
            site.truncate(max(room, 1), overflow="ellipsis")
        line = site + line
        line.append(" " * max(1, width - line.cell_len - len(clock)))
        line.append(clock)
        return line


def warning_text(counts: dict[str, int]) -> Text:
    """红2 黄1 提醒3: the levels that have cases, worst first; empty when all is well."""
    text = Text()
    for code, label in WARNINGS:
        if counts.get(code):
            if text:
                text.append(" ")
            text.append(f"{label}{counts[code]}", style=LEVEL_STYLES[code])
    return text
