"""The figures of one scope and period as F6 prints them: label and value in pairs, two pairs
a line, so that all of them fit at 80×24 above the charts. Rates are percentages with one
decimal; a rate with nothing to divide by is 「—」, never 0 %.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from counter_tui.reports.figures import Figures


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f} 分"


def count(value: int | None, unit: str) -> str:
    """12 件; 「—」 for a figure the scope cannot have (a department's tickets)."""
    return "—" if value is None else f"{value} {unit}"


def figure_pairs(f: Figures) -> list[tuple[str, str]]:
    """(label, value) in reading order: the queue, the cases, satisfaction, what is open."""
    tickets = count(f.tickets, "张")
    if f.tickets is not None:
        tickets += f"（已办 {f.tickets_served or 0}）"
    completed = count(f.completed, "件")
    if f.completed is not None:
        completed += f"（按时 {f.completed_on_time or 0}）"
    return [
        ("号票", tickets),
        ("等候", f"平均 {minutes(f.wait_avg_s)} · P90 {minutes(f.wait_p90_s)}"),
        ("受理", count(f.accepted, "件")),
        ("办结", completed),
        ("超期未办结", count(f.overdue_open, "件")),
        ("一次办成率", percent(f.one_trip_rate)),
        ("好评率", percent(f.good_rate)),
        ("主动评价好评率", percent(f.active_good_rate)),
        ("未评价率", percent(f.unrated_rate)),
        ("评价", f"{f.ratings_given} 条（差评 {f.bad}）"),
        ("差评待整改", f"{f.bad_followups_open} 件"),
        ("办不成事在办", f"{f.hard_cases_open} 件"),
    ]


def figures_table(f: Figures, *, columns: int = 2) -> Table:
    """`columns` pairs a line (2 at 80 columns; 1 where the figures have a narrow pane)."""
    table = Table.grid(padding=(0, 2))
    for _ in range(columns):
        table.add_column(style="dim", no_wrap=True)
        table.add_column(style="bold", no_wrap=True)
    pairs = figure_pairs(f)
    for at in range(0, len(pairs), columns):
        cells: list[Text] = []
        for label, value in pairs[at : at + columns]:
            cells += [Text(label), Text(value)]
        table.add_row(*cells)
    return table
