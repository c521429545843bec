"""F6 (统计): the figures of a period (今天 / 本周 / 本旬 / 本月 / a typed range) for a scope
(全厅 / a department / a window / a clerk), with two charts (bars per department, a line of the
last 30 days), and the supervisor's view (督办, v) of the red and yellow cards, follow-ups and
hard cases due.

Keys: p cycles the preset periods, d takes a typed range, s picks the scope, v switches to the
supervisor's view and back; in the figures ↑↓/PgUp/PgDn scroll to the charts at 80×24. At 120
columns the figures and the charts stand side by side.

Who sees what is the reports door's rule (accounts.rules.report_scope_problem): supervisors
and admins the whole hall, a clerk their own window or their own work, an approver their own
department. The screen offers only the scopes the rule allows; the door refuses the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from counter_tui.accounts.rules import HALL_REPORT_ROLES
from counter_tui.ui.screens.reports.periods import PRESETS, Span, parse_range, preset, span_label
from counter_tui.ui.screens.reports.supervision import SupervisionView
from counter_tui.ui.screens.section import SectionScreen
from counter_tui.ui.widgets.chart import Chart
from counter_tui.ui.widgets.status import StatusLine
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from counter_tui.actor import Actor
    from counter_tui.desk.node import Desk
    from counter_tui.reports.figures import Figures

#: From this width the figures and the charts stand side by side.
WIDE = 110
#: The days the line chart covers, ending on the period's last day.
SERIES_DAYS = 30
#: What the line may count: (its title's words, the unit).
MEASURES = {"accepted": ("受理量", "件"), "tickets_served": ("办结号票", "张")}


@dataclass(frozen=True)
class ScopeChoice:
    """What the figures cover: the hall (kind "hall"), or one department, window or clerk."""

    kind: str
    value: str | None
    label: str

    @property
    def department(self) -> str | None:
        return self.value if self.kind == "department" else None

    @property
    def window(self) -> str | None:
        return self.value if self.kind == "window" else None

    @property
    def clerk(self) -> str | None:
        return self.value if self.kind == "clerk" else None


HALL = ScopeChoice("hall", None, "全厅")


@dataclass(frozen=True)
class Shown:
    """What one load read: the figures, the departments' bars and the daily line."""

    scope: ScopeChoice
    span: Span
    figures: Figures
    #: (department name, cases accepted) for the bars.
    departments: list[tuple[str, float]]
    #: (day, count) for the line, oldest first.
    days: list[tuple[date, float]]
    #: What the line counts: cases accepted, or tickets served where the scope has no cases.
    measure: str = "accepted"


def own_scopes(
    actor: Actor, window: str, names: dict[str, str], who: str = ""
) -> list[ScopeChoice]:
    """The scopes a role that does not read the hall may pick (accounts.rules says the same)."""
    if actor.role == "approver" and actor.department:
        code = actor.department
        return [ScopeChoice("department", code, f"本部门：{names.get(code, code)}")]
    # Their own work first: a window has tickets but no cases (a case keeps its clerk), so the
    # window's figures would show a clerk's accepted cases as — (seen in tmux).
    return [
        ScopeChoice("clerk", actor.username, f"本人：{who or actor.username}"),
        ScopeChoice("window", window, f"本窗口：{window}号窗口"),
    ]


class ReportsScreen(SectionScreen):
    section_name = "reports"
    CSS_PATH = "../../styles/reports.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "period", "期间", id="reports.period", tooltip="今天 / 本周 / 本旬 / 本月"),
        Binding("d", "range", "日期", id="reports.range", tooltip="输入起止日期"),
        Binding("s", "scope", "范围", id="reports.scope", tooltip="全厅、部门、窗口或人员"),
        Binding("v", "view", "督办", id="reports.view", tooltip="统计 / 督办（红黄牌、到期整改）"),
        Binding("r", "reload", "刷新", id="reports.reload", tooltip="重新统计", show=False),
    ]

    status = getters.query_one(StatusLine)

    def __init__(self) -> None:
        super().__init__()
        #: Index into PRESETS, or None while a typed range is shown.
        self.preset_index: int | None = 0
        self.typed: Span | None = None
        self.scope: ScopeChoice | None = None
        #: "stats" or "supervision".
        self.view = "stats"
        self.shown: Shown | None = None
        self.department_names: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="reports-filter")
        with VerticalScroll(id="reports-stats"), Horizontal(id="reports-panes"):
            yield Static("", id="reports-figures")
            with VerticalScroll(id="reports-charts", can_focus=False):
                yield Chart("各部门受理量", id="chart-departments")
                yield Chart(f"近 {SERIES_DAYS} 天受理量", id="chart-days")
        yield SupervisionView(id="reports-supervision")
        yield StatusLine(id="reports-status")

    @property
    def hall_reader(self) -> bool:
        """Whether the signed-in role reads the whole hall (and has the supervisor's view)."""
        actor = self.actor
        return actor is not None and actor.role in HALL_REPORT_ROLES

    def on_mount(self) -> None:
        self._fit()
        self._show_view()
        self.counter.desk_signal.subscribe(self, lambda _: self.action_reload())
        self.action_reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.action_reload()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        wide = self.app.size.width >= WIDE
        self.set_class(wide, "wide")
        if self.shown is not None:
            self._show_figures(self.shown)

    def _show_view(self) -> None:
        stats = self.view == "stats"
        self.query_one("#reports-stats").display = stats
        self.query_one("#reports-supervision").display = not stats
        if stats:
            self.query_one("#reports-stats").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view":
            return self.hall_reader
        if action in ("period", "range", "scope"):
            return self.view == "stats"
        return True

    # --- the period and the scope -----------------------------------------------------

    def today(self) -> date:
        return self.counter.clock().date()

    @property
    def span(self) -> Span:
        if self.preset_index is None and self.typed is not None:
            return self.typed
        return preset(PRESETS[self.preset_index or 0], self.today())

    def action_period(self) -> None:
        """今天 → 本周 → 本旬 → 本月 → 今天; from a typed range, back to 今天."""
        at = self.preset_index
        self.preset_index = 0 if at is None else (at + 1) % len(PRESETS)
        self.typed = None
        self.action_reload()

    def action_range(self) -> None:
        from counter_tui.ui.screens.ask import AskScreen
        from counter_tui.ui.screens.reports.periods import EXAMPLE

        today = self.today()

        def check(text: str) -> str | None:
            found = parse_range(text, today)
            return found if isinstance(found, str) else None

        def chosen(text: str | None) -> None:
            if text is None:
                return
            found = parse_range(text, today)
            if isinstance(found, Span):
                self.preset_index, self.typed = None, found
                self.action_reload()

        current = self.span
        initial = f"{current.start:%Y-%m-%d} 至 {current.end:%Y-%m-%d}"
        self.app.push_screen(
            AskScreen("统计期间", f"起止日期，例如 {EXAMPLE}", initial=initial, check=check),
            chosen,
        )

    def action_scope(self) -> None:
        desk, actor = self.counter.desk, self.actor
        if desk is not None and actor is not None:
            self._scopes(desk, actor)

    @work(thread=True, exclusive=True, group="reports-scopes")
    def _scopes(self, desk: Desk, actor: Actor) -> None:
        names = self._names(desk)
        window = self.counter.settings.window
        if actor.role not in HALL_REPORT_ROLES:
            choices = own_scopes(actor, window, names, self._who())
        else:
            choices = [HALL]
            choices += [ScopeChoice("department", c, f"部门：{n}") for c, n in names.items()]
            windows = sorted({window, *desk.queue.hall().windows}, key=_window_order)
            choices += [ScopeChoice("window", w, f"窗口：{w}号窗口") for w in windows if w]
            clerks = [a for a in desk.accounts.accounts(desk.node.site) if a.role == "clerk"]
            choices += [ScopeChoice("clerk", a.username, f"人员：{a.name}") for a in clerks]
        hand_back(self._pick_scope, choices)

    def _pick_scope(self, choices: list[ScopeChoice]) -> None:
        from counter_tui.ui.screens.ask import ChooseScreen

        ids = {f"{c.kind}:{c.value or ''}": c for c in choices}
        current = self.scope or choices[0]

        def chosen(choice: str | None) -> None:
            if choice is not None and choice in ids:
                self.scope = ids[choice]
                self.action_reload()

        self.app.push_screen(
            ChooseScreen(
                "统计范围",
                tuple((key, c.label) for key, c in ids.items()),
                initial=f"{current.kind}:{current.value or ''}",
            ),
            chosen,
        )

    def _names(self, desk: Desk) -> dict[str, str]:
        """The departments' names (a thread: read once per screen)."""
        if not self.department_names:
            self.department_names = desk.catalog.department_names()
        return self.department_names

    def default_scope(self, actor: Actor) -> ScopeChoice:
        """The hall for those who read it; a clerk's own work; an approver's department."""
        if actor.role in HALL_REPORT_ROLES:
            return HALL
        window = self.counter.settings.window
        return own_scopes(actor, window, self.department_names, self._who())[0]

    def _who(self) -> str:
        signed = self.counter.signed_in
        return signed.display_name if signed else ""

    # --- reading ------------------------------------------------------------------------

    def action_view(self) -> None:
        self.view = "supervision" if self.view == "stats" else "stats"
        self.refresh_bindings()
        self._show_view()
        self.action_reload()

    def action_reload(self) -> None:
        desk, actor = self.counter.desk, self.actor
        if desk is None or actor is None:
            return
        if self.view == "supervision":
            self.query_one("#reports-filter", Static).update(
                Text(f"督办 · {self.today().month}月{self.today().day}日 · 全厅")
            )
            self.query_one(SupervisionView).load(desk, actor, self.today())
        else:
            self._load(desk, actor, self.scope, self.span)

    @work(thread=True, exclusive=True, group="reports")
    def _load(self, desk: Desk, actor: Actor, scope: ScopeChoice | None, span: Span) -> None:
        names = self._names(desk)
        if scope is None:
            scope = self.default_scope(actor)
        hand_back(self._show, read_figures(desk, actor, scope, span, self.today(), names))

    def _show(self, shown: Shown) -> None:
        self.scope = shown.scope
        self.shown = shown
        self.query_one("#reports-filter", Static).update(
            Text(
                f"统计 · {shown.scope.label} · {shown.span.label}"
                f"（{span_label(shown.span.start, shown.span.end)}）"
            )
        )
        self._show_figures(shown)
        self.query_one("#chart-departments", Chart).bars(
            [name for name, _ in shown.departments],
            [value for _, value in shown.departments],
            unit=" 件",
        )
        days = shown.days
        first, last = (days[0][0], days[-1][0]) if days else (shown.span.end, shown.span.end)
        what, unit = MEASURES[shown.measure]
        chart = self.query_one("#chart-days", Chart)
        chart.retitle(f"近 {SERIES_DAYS} 天{what}")
        chart.line(
            [f"{day:%m-%d}" for day, _ in days],
            [value for _, value in days],
            note=f"{span_label(first, last)} · 合计 {sum(v for _, v in days):g} {unit}",
        )

    def _show_figures(self, shown: Shown) -> None:
        from counter_tui.ui.screens.reports.figures_view import figures_table

        columns = 1 if self.has_class("wide") else 2
        self.query_one("#reports-figures", Static).update(
            figures_table(shown.figures, columns=columns)
        )


def read_figures(
    desk: Desk, viewer: Actor, scope: ScopeChoice, span: Span, today: date, names: dict[str, str]
) -> Shown:
    """The figures, the departments' bars and the last 30 days, through the statistics door,
    which refuses a scope the viewer may not read (a thread)."""
    from counter_tui.reports.figures import Period, Scope

    where = Scope(department=scope.department, window=scope.window, clerk=scope.clerk)
    period = Period(span.start, span.end)
    door = desk.statistics
    figures = door.figures(viewer, where, period, today=today)
    departments: list[tuple[str, float]] = []
    if where.has_cases:  # a window keeps no cases of its own: no bars
        ranked = door.ranking(viewer, "department", where, period, today=today)
        departments = [
            (r.label or names.get(r.key, r.key), float(r.figures.accepted or 0)) for r in ranked
        ]
    series = door.series(viewer, where, span.end, days=SERIES_DAYS)
    measure = "accepted" if where.has_cases else "tickets_served"
    days = [(point.day, float(getattr(point, measure))) for point in series]
    return Shown(scope, span, figures, departments, days, measure)


def _window_order(window: str) -> tuple[int, str]:
    """Windows in their numbers' order (2 before 10), any other name after them."""
    return (int(window), "") if window.isdigit() else (1 << 30, window)
