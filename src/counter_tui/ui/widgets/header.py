"""The one-line header: site, window, user and role, mode, sync status and the clock.

Names come from the database and are untrusted: the line is built from Text parts, never markup.
The sync status is the app's copy (`CounterApp.sync_status`, read by ui/syncing.py every few
seconds): the header repaints every second and must not touch the database to do it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from counter_tui.accounts.rules import role_label
from counter_tui.ui.widgets.sync_state import clock_skew_marker, clock_skew_minutes, sync_wordings

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp

SEPARATOR = (" │ ", "dim")
#: How each supervision level is coloured, here and in the worklist.
LEVEL_STYLES = {"red": "bold red", "yellow": "bold yellow", "reminder": "cyan", "paused": "dim"}
#: The header's warning count, worst first: (level code, label).
WARNINGS = (("red", "红"), ("yellow", "黄"), ("reminder", "提醒"))
#: The site name keeps this many cells (or all of it, if shorter) before 同步 says less.
SITE_MIN_CELLS = 10


class CounterHeader(Widget):
    """Shows who works where, how many of their cases need attention (红牌, 黄牌, 提醒), in
    which mode, where sync stands (and a clock off from the hub's), and the time; refreshes
    every second."""

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
        now = app.clock()
        status = app.sync_status
        demo = app.settings.demo or bool(node and node.demo)
        skew = [clock_skew_marker()] if clock_skew_minutes(status) is not None else []
        clock = now.strftime("%H:%M:%S" if width < 100 else "%Y-%m-%d %H:%M:%S")
        site = Text(node.site_name if node else "…", style="bold", no_wrap=True)
        # 同步 says the most that leaves the site a few characters (the last error's message
        # only what the whole site name leaves); then the site name gives way when the line is
        # still too long for the terminal.
        keep = min(site.cell_len, SITE_MIN_CELLS)
        for wording in sync_wordings(status, demo=demo, now=now):
            line = _joined([*tail, wording.text, *skew])
            room = width - line.cell_len - len(clock) - 1
            if room >= keep and not (wording.min_cells and room < site.cell_len):
                break
            cut = wording.text.cell_len + room - site.cell_len
            if wording.min_cells and cut >= wording.min_cells:
                text = wording.text.copy()
                text.truncate(cut, overflow="ellipsis")
                line = _joined([*tail, text, *skew])
                break
        room = width - line.cell_len - len(clock) - 1
        if site.cell_len > room:
            site.truncate(max(room, 1), overflow="ellipsis")
        line = site + line
        line.append(" " * max(1, width - line.cell_len - len(clock)))
        line.append(clock)
        return line


def _joined(parts: list[Text]) -> Text:
    line = Text(no_wrap=True)
    for part in parts:
        line.append(*SEPARATOR)
        line.append_text(part)
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
