"""A titled chart drawn in the terminal (textual-plotext): bars per department, a line over
days. The title and the legend are rich Text beside the plot, because plotext counts a Chinese
character as one cell and its own labels would go out of line; the bars are numbered and the
legend under them names each number.

textual-plotext (and plotext) are imported when the first chart is drawn, not when this module
is: a supervisor lands on F6 right after signing in, and the login must paint first (STYLE.md,
"Start fast").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot
    from textual_plotext.plot import Plot


class Chart(Vertical):
    """One chart with its title and legend; `bars` or `line` (re)draws it."""

    DEFAULT_CSS = """
    Chart { height: auto; }
    Chart > .chart-title { text-style: bold; }
    Chart > .chart-plot { height: 12; }
    Chart > .chart-legend { color: $text-muted; }
    Chart > .chart-empty { color: $text-muted; height: 1; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self._plot: PlotextPlot | None = None
        #: What the chart shows, as plain data (for tests and for the legend).
        self.labels: list[str] = []
        self.values: list[float] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title), classes="chart-title")
        yield Static(Text("暂无数据"), classes="chart-empty")
        yield Static("", classes="chart-legend")

    def retitle(self, title: str) -> None:
        self.title = title
        self.query_one(".chart-title", Static).update(Text(title))

    def _ensure_plot(self) -> PlotextPlot:
        if self._plot is None:
            from textual_plotext import PlotextPlot

            self._plot = PlotextPlot(classes="chart-plot")
            self.mount(self._plot, after=self.query_one(".chart-title"))
        return self._plot

    def on_unmount(self) -> None:
        # PlotextPlot follows the app's theme through a signal and never lets go of it: the
        # subscription would keep every signed-out session's chart (and its screen) alive.
        if self._plot is not None:
            self.app.theme_changed_signal.unsubscribe(self._plot)

    def _show_empty(self, empty: bool) -> None:
        self.query_one(".chart-empty").display = empty
        if self._plot is not None:
            self._plot.display = not empty

    def bars(self, labels: Sequence[str], values: Sequence[float], unit: str = "") -> None:
        """One numbered bar per label; the legend under it reads 1 市场监管局 12 · 2 …"""
        self.labels, self.values = list(labels), [float(v) for v in values]
        self._show_empty(not any(self.values))
        legend = Text()
        for index, (label, value) in enumerate(zip(self.labels, self.values, strict=True), 1):
            if index > 1:
                legend.append(" · ")
            legend.append(f"{index} ", style="bold")
            legend.append(label)
            legend.append(f" {_number(value)}{unit}")
        self.query_one(".chart-legend", Static).update(legend)
        if not any(self.values):
            return
        plot = self._ensure_plot()
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.bar([str(i) for i in range(1, len(self.values) + 1)], self.values, width=0.6)
        _whole_ticks(plt, self.values)
        plot.refresh()

    def line(self, labels: Sequence[str], values: Sequence[float], note: str = "") -> None:
        """A line over `labels` (days, oldest first); x ticks every few days, as room allows."""
        self.labels, self.values = list(labels), [float(v) for v in values]
        self._show_empty(not any(self.values))
        self.query_one(".chart-legend", Static).update(Text(note))
        if not any(self.values):
            return
        plot = self._ensure_plot()
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        xs = list(range(1, len(self.values) + 1))
        plt.plot(xs, self.values, marker="braille")
        step = max(1, len(xs) // 6)
        ticks = xs[::step]
        plt.xticks([float(x) for x in ticks], [self.labels[x - 1] for x in ticks])
        _whole_ticks(plt, self.values)
        plot.refresh()


def _whole_ticks(plt: Plot, values: list[float]) -> None:
    """Counts on the y axis as whole numbers (0, 2, 4 …), not plotext's 1.67 and 3.33."""
    top = int(max(values))
    if all(value == int(value) for value in values) and top > 0:
        step = max(1, -(-top // 5))
        plt.yticks([float(tick) for tick in range(0, top + 1, step)])


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"
