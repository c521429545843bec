"""F6's supervisor view (督办): what is due or overdue across the hall, in three lists — the
red and yellow cards (open cases past their committed date), the bad-rating follow-ups due
(差评整改) and the hard cases due (办不成事) — each row opened with Enter.

Each list reads from a `DueSource`: the cards from `desk.statistics.cards`, the follow-ups from
`desk.feedback.followups` (opened in FollowupsScreen on their row), the hard cases from
`desk.hard_cases.open_list` (opened in HardCaseScreen). A follow-up or a hard case is listed
once its deadline is at most `AHEAD_DAYS` away, with what is already late. A list without a
source (a test may unwire one) says 「暂无」 rather than pretending to have looked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from counter_tui.ui.widgets.header import LEVEL_STYLES
from counter_tui.ui.workers import hand_back

if TYPE_CHECKING:
    from textual.app import App

    from counter_tui.actor import Actor
    from counter_tui.desk.node import Desk


@dataclass(frozen=True)
class DueRow:
    """One line of a due list: enough to warn and to open what it names."""

    #: What `open` is given (a case id, a follow-up id …).
    key: str
    #: 红牌, 黄牌, 逾期 …, and the style name of LEVEL_STYLES ("red", "yellow", "").
    level: str
    level_style: str
    number: str
    title: str
    #: Who it concerns, masked (张*三) or the owning department.
    who: str
    due: date
    #: 超 3 / 今天 / 剩 2 (working days where known).
    left: str


@dataclass(frozen=True)
class DueSource:
    """Where a list's rows come from (run in a worker) and how Enter opens one (on the app's
    thread, with what `fetch` returned for the row's key, in a worker too)."""

    #: Reads the rows due on `today` that the viewer may see (a thread: goes through a door,
    #: which checks the viewer's role).
    read: Callable[[Desk, Actor, date], list[DueRow]]
    #: Reads what a row opens (a thread), e.g. a case's detail; None: nothing to open.
    fetch: Callable[[Desk, str, date], object | None]
    #: Opens it (the app's thread): pushes the screen.
    show: Callable[[App[object], object], None]
    #: Whether the numbers are case numbers, shown short (1122-0007) as on F4; a hard case's
    #: own number (BC-261116-01) is short already and its tail alone says nothing.
    short_numbers: bool = True


def _cards(desk: Desk, viewer: Actor, today: date) -> list[DueRow]:
    """Open cases past their committed date, most overdue first; applicants masked
    (cases.worklist.overdue gives names to nobody in particular)."""
    return [
        DueRow(
            key=item.id,
            level=item.level_label,
            level_style=str(item.level),
            number=item.number,
            title=item.entry_name,
            who=item.applicant,
            due=item.due,
            left=f"超 {-item.days_left}" if item.days_left < 0 else "今天",
        )
        for item in desk.statistics.cards(viewer, today)
    ]


def _case_detail(desk: Desk, case_id: str, today: date) -> object | None:
    return desk.cases.detail(case_id, today)


def _show_case(app: App[object], detail: object) -> None:
    from counter_tui.ui.screens.case_detail import CaseDetailScreen

    signed = getattr(app, "signed_in", None)
    role = signed.actor.role if signed else "supervisor"
    app.push_screen(CaseDetailScreen(detail, role))  # type: ignore[arg-type]


CARDS = DueSource(read=_cards, fetch=_case_detail, show=_show_case)

#: How far ahead the follow-up and hard-case lists look, in days: what falls due by then is
#: listed with what is late, so the supervisor sees tomorrow's calls today.
AHEAD_DAYS = 2


def _deadline(due: date, today: date) -> tuple[str, str, str]:
    """(warning, its LEVEL_STYLES name, days left) of a deadline, in calendar days."""
    if due < today:
        return "逾期", "red", f"超 {(today - due).days}"
    if due == today:
        return "今日", "yellow", "今天"
    return "将到", "reminder", f"剩 {(due - today).days}"


def _followups(desk: Desk, viewer: Actor, today: date) -> list[DueRow]:
    """Bad-rating follow-ups (差评整改) still to be taken a step, due by AHEAD_DAYS: for those
    who take the steps (supervisors, admins); the rater is never named, only the owner."""
    from counter_tui.accounts.rules import allowed
    from counter_tui.feedback.rules import LEVELS
    from counter_tui.ui.screens.followups import owner_label

    if not allowed(viewer.role, "ratings.followup"):
        return []
    horizon = today + timedelta(days=AHEAD_DAYS)
    departments = desk.catalog.department_names()
    rows = []
    for item in desk.feedback.followups():
        if item.due > horizon:
            continue
        level, style, left = _deadline(item.due, today)
        rows.append(
            DueRow(
                key=item.rating_id,
                level=level,
                level_style=style,
                number=item.subject,
                title=f"{LEVELS.get(item.level or 0, '未评价')} · {item.state_label}",
                who=owner_label(item.owner, departments),
                due=item.due,
                left=left,
            )
        )
    return sorted(rows, key=lambda row: row.due)


def _show_followup(app: App[object], rating_id: object) -> None:
    from counter_tui.ui.screens.followups import FollowupsScreen

    app.push_screen(FollowupsScreen(initial=str(rating_id)))


def _hard_cases(desk: Desk, viewer: Actor, today: date) -> list[DueRow]:
    """Hard cases (办不成事) waiting on a department's reply due by AHEAD_DAYS, those past it
    (to be 督办) first; applicants masked as the door gives them to this viewer."""
    horizon = today + timedelta(days=AHEAD_DAYS)
    rows = []
    for line in desk.hard_cases.open_list(viewer, today):
        if line.next_due is None or line.next_due > horizon:
            continue
        level, style, left = _deadline(line.next_due, today)
        rows.append(
            DueRow(
                key=line.number,
                level="待督办" if line.overdue else level,
                level_style=style,
                number=line.number,
                title=f"{line.kind_label} · {line.problem}",
                who=line.applicant,
                due=line.next_due,
                left=left,
            )
        )
    return rows


def _show_hard_case(app: App[object], number: object) -> None:
    from counter_tui.ui.screens.hard_case import HardCaseScreen

    app.push_screen(HardCaseScreen(str(number)))


def _itself(desk: Desk, key: str, today: date) -> object | None:
    """What a row opens is a screen that reads its record itself, by the row's key."""
    return key


FOLLOWUPS_DUE: DueSource | None = DueSource(read=_followups, fetch=_itself, show=_show_followup)
HARD_CASES_DUE: DueSource | None = DueSource(
    read=_hard_cases, fetch=_itself, show=_show_hard_case, short_numbers=False
)

#: The lists of the view, in order: (id, heading, the hook's name in this module).
LISTS = (
    ("cards", "红黄牌（超期办件）", "CARDS"),
    ("followups", "差评整改到期", "FOLLOWUPS_DUE"),
    ("hard", "办不成事到期", "HARD_CASES_DUE"),
)


def source(name: str) -> DueSource | None:
    """The source a list reads now: looked up at each load, so the hooks wired after import
    (or by a test) take effect."""
    found: DueSource | None = globals()[name]
    return found


class DueList(Vertical):
    """A heading, the table of due rows (Enter opens one) and a line when there are none."""

    def __init__(self, list_id: str, heading: str, hook: str) -> None:
        super().__init__(id=f"due-{list_id}", classes="due-list")
        self.heading = heading
        self.hook = hook
        self.rows: list[DueRow] = []

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def compose(self) -> ComposeResult:
        yield Static(Text(self.heading), classes="due-heading")
        yield DataTable(cursor_type="row", classes="due-table")
        yield Static(Text("暂无"), classes="due-empty")

    def show(self, rows: list[DueRow], *, wired: bool = True) -> None:
        """`rows` under the heading with their count; a list whose hook is not wired yet shows
        no count, only 暂无: nothing was looked at."""
        self.rows = rows
        heading = f"{self.heading} · {len(rows)} 件" if wired else self.heading
        self.query_one(".due-heading", Static).update(Text(heading))
        from counter_tui.cases.worklist import short_numbers

        # Short numbers (1122-0007) as on F4, so the item keeps its room at 80 columns.
        hooked = source(self.hook)
        numbers = [row.number for row in rows]
        if hooked is None or hooked.short_numbers:
            shorts = short_numbers(numbers)
        else:
            shorts = {number: number for number in numbers}
        number_width = max([4, *(len(short) for short in shorts.values())])
        # The section's padding (2 a side) and each cell's (1 a side) come off the width.
        title_width = max(8, self.app.size.width - 4 - 2 * 5 - (4 + number_width + 8 + 6))
        table = self.table
        table.clear(columns=True)
        for label, width in (
            ("预警", 4),
            ("编号", number_width),
            ("事项", title_width),
            ("申请人", 8),
            ("工作日", 6),
        ):
            table.add_column(label, width=width)
        for row in rows:
            table.add_row(
                Text(row.level, style=LEVEL_STYLES.get(row.level_style, "")),
                Text(shorts.get(row.number, row.number)),
                Text(row.title, overflow="ellipsis", no_wrap=True),
                Text(row.who, overflow="ellipsis", no_wrap=True),
                Text(row.left),
                key=row.key,
            )
        table.display = bool(rows)
        self.query_one(".due-empty").display = not rows


class SupervisionView(Vertical):
    """The three due lists; `load` reads them all in one worker."""

    def compose(self) -> ComposeResult:
        for list_id, heading, hook in LISTS:
            yield DueList(list_id, heading, hook)

    def load(self, desk: Desk, viewer: Actor, today: date) -> None:
        self._load(desk, viewer, today)

    @work(thread=True, exclusive=True, group="supervision")
    def _load(self, desk: Desk, viewer: Actor, today: date) -> None:
        found: dict[str, list[DueRow] | None] = {}
        for list_id, _, hook in LISTS:
            wired = source(hook)
            found[list_id] = wired.read(desk, viewer, today) if wired is not None else None
        hand_back(self._show, found)

    def _show(self, found: dict[str, list[DueRow] | None]) -> None:
        for list_id, rows in found.items():
            self.query_one(f"#due-{list_id}", DueList).show(rows or [], wired=rows is not None)
        if not any(table.has_focus for table in self.query(DataTable)):
            first = next((d for d in self.query(DueList) if d.rows), None)
            if first is not None:
                first.table.focus()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        owner = next((d for d in self.query(DueList) if d.table is event.data_table), None)
        desk = getattr(self.app, "desk", None)
        if owner is None or desk is None or not event.row_key.value:
            return
        wired = source(owner.hook)
        if wired is not None:
            self._open(desk, wired, event.row_key.value)

    @work(thread=True, exclusive=True, group="supervision-open")
    def _open(self, desk: Desk, wired: DueSource, key: str) -> None:
        today = self.app.clock().date()  # type: ignore[attr-defined]
        found = wired.fetch(desk, key, today)
        if found is not None:
            hand_back(wired.show, self.app, found)
