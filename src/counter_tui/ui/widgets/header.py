"""The one-line header: site, window, the ticket the window holds, user and role, mode, sync
status and the clock.

Names come from the database and are untrusted: the line is built from Text parts, never markup.
The sync status is the app's copy (`CounterApp.sync_status`, read by ui/syncing.py every few
seconds), and so is the held ticket (`CounterApp.holding`, ui/held.py): the header repaints
every second and must not touch the database to do it. At 80 columns the less important parts
give way first: the role, then the user's name, then the ticket's category.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from counter_tui.accounts.rules import role_label
from counter_tui.ui.widgets.sync_state import (
    Wording,
    clock_skew_marker,
    clock_skew_minutes,
    sync_wordings,
)

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
        now = app.clock()
        status = app.sync_status
        demo = app.settings.demo or bool(node and node.demo)
        skew = [clock_skew_marker()] if clock_skew_minutes(status) is not None else []
        clock = now.strftime("%H:%M:%S" if width < 100 else "%Y-%m-%d %H:%M:%S")
        site = Text(node.site_name if node else "…", style="bold", no_wrap=True)
        wordings = sync_wordings(status, demo=demo, now=now)
        # The parts before 同步, richest first: the less important give way first (the role,
        # then the user's name, then the ticket's category) while the site keeps a few cells.
        keep = min(site.cell_len, SITE_MIN_CELLS)
        tails = _tails(app)
        for tail in tails:
            line = _fitted(tail, wordings, skew, width - len(clock) - 1, site.cell_len, keep)
            room = width - line.cell_len - len(clock) - 1
            if room >= keep:
                break
        if site.cell_len > room:
            site.truncate(max(room, 1), overflow="ellipsis")
        line = site + line
        line.append(" " * max(1, width - line.cell_len - len(clock)))
        line.append(clock)
        return line


def _tails(app: CounterApp) -> list[list[Text]]:
    """Window, held ticket, user and warnings, from the fullest to the shortest."""
    where = Text("导服台" if app.settings.reception else f"{app.settings.window}号窗口")
    if app.signed_in is None:
        return [[where]]
    who = app.signed_in
    warnings = [w for w in (warning_text(app.warnings),) if w]
    held = app.holding.ticket if not app.settings.reception else None
    tickets = [[held.text()], [held.text(category=False)]] if held else [[]]
    people = [
        [Text(f"{who.display_name}（{role_label(who.actor.role)}）")],
        [Text(who.display_name)],
        [],
    ]
    tails = [[where, *tickets[0], *person, *warnings] for person in people]
    tails += [[where, *ticket, *warnings] for ticket in tickets[1:]]
    return tails


def _fitted(
    tail: list[Text], wordings: list[Wording], skew: list[Text], room: int, site: int, keep: int
) -> Text:
    """`tail` with the richest 同步 wording that leaves the site a few characters (the last
    error's message only what the whole site name leaves); the shortest one when none does."""
    for wording in wordings:
        line = _joined([*tail, wording.text, *skew])
        left = room - line.cell_len
        if left >= keep and not (wording.min_cells and left < site):
            return line
        cut = wording.text.cell_len + left - site
        if wording.min_cells and cut >= wording.min_cells:
            text = wording.text.copy()
            text.truncate(cut, overflow="ellipsis")
            return _joined([*tail, text, *skew])
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
