"""The supervision figures of a scope (the hall, a department, a window, a clerk, or the whole
county at the hub) over a period of hall-local days: what F6 shows and every report prints.

Every figure is an SQL aggregate over the projection tables (GROUP BY, COUNT, SUM); only the
waits are fetched, one number per called ticket, for their mean and p90 (queue.stats.rank_of,
the same nearest-rank p90 as the day's queue statistics), kept to a tenth of a second (the
engines' time arithmetic differs in the last digits). The formulas are in reports.rules.

What each figure counts, over the period's days:
- tickets: tickets issued (queue_ticket.day); at a window or a clerk, the tickets that window
  or clerk called last (a window issues nothing). tickets_served: those finished.
- waits: issue → first call of the called tickets among them, never negative. Unlike the day's
  queue statistics (queue.stats), a window's waits are those of the tickets it holds last, not
  of its first calls: the ticket row keeps one window.
- accepted: cases accepted (accepted_at) in the period; completed: cases finished (办结,
  completed_at) in the period, of which completed_on_time and the 一次办成率.
- overdue_open: cases overdue at the close of the period's last day, or today if the period
  runs on: due before that day (so accepted by then), and not finished by its close. A case open
  then and withdrawn or terminated since is no longer counted (its end time is not kept).
- ratings: ratings (rating.rated_at) in the period, less those an appeal found mistaken (误评:
  the follow-up's state `mistaken`); given, good, bad and the rates as reports.rules says.
  bad_followups_open: follow-ups of bad ratings made by the period's close still unfinished
  now (待回访, 已核实, 已整改): the backlog, not only the period's own.
- hard_cases_open: 办不成事 records opened by the close of the period's last day and not closed
  (回访) by then. A hard case keeps the site and the user who opened it, no department and no
  window: a department's or a window's scope counts none (0), a clerk's those they opened.

A figure that a scope cannot have is None, not 0: a department has no tickets (a ticket has a
queue category, not a department), a window accepts no cases of its own (a case keeps the
clerk, not the window).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import case as when
from sqlalchemy import func, literal_column, select
from sqlmodel import Session, col

from counter_tui.accounts.models import UserAccount
from counter_tui.cases.models import Case
from counter_tui.cases.worklist import OPEN_STATES
from counter_tui.catalog.models import CatalogDepartment
from counter_tui.feedback.models import HardCase, Rating, RatingFollowup
from counter_tui.feedback.rules import MISTAKEN, UNFINISHED
from counter_tui.queue.models import QueueTicket
from counter_tui.queue.stats import rank_of
from counter_tui.reports import sql
from counter_tui.reports.rules import BAD_LEVELS, GOOD_LEVELS, ONE_TRIP, rate
from counter_tui.site.models import Site

#: What figures can be ranked by (site: at the hub, the county's halls).
Dimension = Literal["site", "department", "window", "clerk"]


@dataclass(frozen=True)
class Scope:
    """What the figures cover; None = all. `clerk` is a user name."""

    site: str | None = None
    department: str | None = None
    window: str | None = None
    clerk: str | None = None

    @property
    def has_tickets(self) -> bool:
        return self.department is None

    @property
    def has_cases(self) -> bool:
        return self.window is None


@dataclass(frozen=True)
class Period:
    """Hall-local days from `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start} – {self.end}")

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Figures:
    """The figures of one scope and period (see the module docstring; None: not applicable to
    the scope, or a rate with nothing to divide by)."""

    tickets: int | None = 0
    tickets_served: int | None = 0
    wait_avg_s: float | None = None
    wait_p90_s: float | None = None
    accepted: int | None = 0
    completed: int | None = 0
    completed_on_time: int | None = 0
    overdue_open: int | None = 0
    one_trip: int | None = 0
    ratings: int = 0
    ratings_given: int = 0
    good: int = 0
    #: 好评 among the ratings actually given (a default rating is never given).
    given_good: int = 0
    bad: int = 0
    bad_followups_open: int = 0
    hard_cases_open: int = 0

    @property
    def one_trip_rate(self) -> float | None:
        """一次办成率."""
        return None if self.completed is None else rate(self.one_trip or 0, self.completed)

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率."""
        if self.completed is None:
            return None
        return rate(self.completed_on_time or 0, self.completed)

    @property
    def good_rate(self) -> float | None:
        """好评率."""
        return rate(self.good, self.ratings)

    @property
    def active_good_rate(self) -> float | None:
        """主动评价好评率: good among the ratings given."""
        return rate(self.given_good, self.ratings_given)

    @property
    def unrated_rate(self) -> float | None:
        """未评价率."""
        return rate(self.ratings - self.ratings_given, self.ratings)


@dataclass(frozen=True)
class Ranked:
    """One line of a ranking: its place (ties share it), what it is, its figures."""

    rank: int
    key: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class DayPoint:
    """One day of the last-30-days line."""

    day: date
    tickets: int
    tickets_served: int
    accepted: int
    completed: int
    #: Ratings by their hall-local day, 误评 left out (as Figures.ratings), and their 好评.
    ratings: int
    good: int


# --- the API ---------------------------------------------------------------------------------


def figures(session: Session, scope: Scope, period: Period, *, today: date) -> Figures:
    """The figures of `scope` over `period`; `today` bounds the overdue count's day."""
    return _grouped(session, None, scope, period, today).get("", _empty(scope))


def ranking(
    session: Session,
    by: Dimension,
    scope: Scope,
    period: Period,
    *,
    today: date,
    order: str | None = None,
) -> list[Ranked]:
    """Every department, window, clerk or site with figures in the period, best first by
    `order` (a Figures field or rate; by default accepted cases for departments and sites,
    tickets served for windows and clerks). A figure the dimension does not have ranks last."""
    order = order or ("accepted" if by in ("department", "site") else "tickets_served")
    groups = _grouped(session, by, scope, period, today)
    labels = _labels(session, by, groups)

    def value(f: Figures) -> float:
        found = getattr(f, order)
        return -1.0 if found is None else float(found)

    ordered = sorted(groups.items(), key=lambda kv: (-value(kv[1]), kv[0]))
    ranked: list[Ranked] = []
    for place, (key, found) in enumerate(ordered, start=1):
        tie = ranked and value(ranked[-1].figures) == value(found)
        rank = ranked[-1].rank if tie else place
        ranked.append(Ranked(rank, key, labels.get(key, key), found))
    return ranked


def daily_series(session: Session, scope: Scope, end: date, days: int = 30) -> list[DayPoint]:
    """One point per day for the `days` days up to `end`, days without anything included.
    Ratings count as figures() counts them: by their hall-local day, 误评 left out."""
    start = end - timedelta(days=days - 1)
    ask = _Ask(session, scope, Period(start, end), end)
    points = {start + timedelta(days=n): [0, 0, 0, 0, 0, 0] for n in range(days)}

    def put(rows: Any, first: int) -> None:
        for day, *counts in rows:
            if _as_date(day) in points:  # a local day computed at the edge of the period
                points[_as_date(day)][first : first + len(counts)] = [int(n or 0) for n in counts]

    if scope.has_tickets:
        t = QueueTicket
        put(
            session.connection().execute(
                select(col(t.day), func.count(), func.count(col(t.finished_at)))
                .where(*ask.ticket_filters())
                .group_by(col(t.day))
            ),
            0,
        )
    if scope.has_cases:
        for slot, column in ((2, Case.accepted_at), (3, Case.completed_at)):
            local = sql.local_date(ask.dialect, column, ask.minutes)
            put(
                session.connection().execute(
                    select(local, func.count())
                    .where(*ask.case_filters(), *ask.in_period(column))
                    .group_by(local)
                ),
                slot,
            )
    r, f = Rating, RatingFollowup
    local = sql.local_date(ask.dialect, r.rated_at, ask.minutes)
    put(
        session.connection().execute(
            select(local, func.count(), func.sum(when((col(r.level).in_(GOOD_LEVELS), 1), else_=0)))
            .select_from(r)
            .outerjoin(f, col(f.rating_id) == col(r.id))
            .where(*ask.rating_filters(), *ask.in_period(r.rated_at), _not_mistaken())
            .group_by(local)
        ),
        4,
    )
    return [DayPoint(day, *values) for day, values in points.items()]


# --- the queries -----------------------------------------------------------------------------


class _Ask:
    """One question: its session, engine dialect, scope, period and the day it is asked."""

    def __init__(self, session: Session, scope: Scope, period: Period, today: date) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.scope = scope
        self.period = period
        self.today = today
        self.minutes = sql.offset_minutes(period.start)
        self.clerk_name = _display_name(session, scope.clerk) if scope.clerk else None

    def in_period(self, column: Any) -> list[Any]:
        start = sql.day_start(self.period.start)
        end = sql.day_start(self.period.end + timedelta(days=1))
        return [col(column) >= start, col(column) < end]

    def ticket_filters(self) -> list[Any]:
        t, s = QueueTicket, self.scope
        found = [col(t.day) >= self.period.start, col(t.day) <= self.period.end]
        if s.site:
            found.append(col(t.site) == s.site)
        if s.window:
            found.append(col(t.window) == s.window)
        if s.clerk:
            found.append(col(t.clerk) == s.clerk)
        return found

    def case_filters(self) -> list[Any]:
        s = self.scope
        found: list[Any] = []
        if s.site:
            found.append(Case.site == s.site)
        if s.department:
            found.append(Case.department == s.department)
        if self.clerk_name is not None:
            found.append(Case.clerk == self.clerk_name)
        return found

    def rating_filters(self) -> list[Any]:
        r, s = Rating, self.scope
        found: list[Any] = []
        if s.site:
            found.append(col(r.site) == s.site)
        if s.department:
            found.append(col(r.department) == s.department)
        if s.window:
            found.append(col(r.window) == s.window)
        if s.clerk:
            found.append(col(r.clerk) == s.clerk)
        return found


def _not_mistaken() -> Any:
    """A rating counts unless an appeal found it mistaken (误评); joined outer to its follow-up."""
    state = col(RatingFollowup.state)
    return state.is_(None) | (state != MISTAKEN)


def _grouped(
    session: Session, by: Dimension | None, scope: Scope, period: Period, today: date
) -> dict[str, Figures]:
    """The figures per value of `by` ("" alone when by is None)."""
    ask = _Ask(session, scope, period, today)
    counts: dict[str, dict[str, Any]] = {}

    def put(key: Any, **values: Any) -> None:
        key = "" if by is None else (key or "")
        if by is not None and key == "":
            return  # a ticket never called has no window or clerk to rank
        counts.setdefault(key, {}).update(values)

    if scope.has_tickets and by != "department":
        _tickets(ask, by, put)
    if scope.has_cases and by != "window":
        _cases(ask, by, put)
    _ratings(ask, by, put)
    _hard_cases(ask, by, put)
    blank = _empty(scope, by)
    if by == "clerk":
        counts = _clerks_by_name(session, counts)
    return {key: replace(blank, **values) for key, values in counts.items()}


def _empty(scope: Scope, by: Dimension | None = None) -> Figures:
    """Figures of nothing, with None where the scope (or the ranking) has no such figure."""
    tickets = scope.has_tickets and by != "department"
    cases = scope.has_cases and by != "window"
    nothing: dict[str, Any] = {}
    if not tickets:
        nothing |= {"tickets": None, "tickets_served": None}
    if not cases:
        nothing |= dict.fromkeys(
            ("accepted", "completed", "completed_on_time", "overdue_open", "one_trip")
        )
    return Figures(**nothing)


def _key(by: Dimension | None, columns: dict[str, Any]) -> Any:
    return literal_column("''") if by is None else columns[by]


def _rows(ask: _Ask, query: Any, key: Any, by: Dimension | None) -> Any:
    """The rows of an aggregate `query`, one per key (one in all when by is None)."""
    if by is not None:
        query = query.group_by(key)
    return ask.session.connection().execute(query)


def _tickets(ask: _Ask, by: Dimension | None, put: Any) -> None:
    t = QueueTicket
    key = _key(by, {"site": t.site, "window": t.window, "clerk": t.clerk})
    for k, issued, served in _rows(
        ask,
        select(key, func.count(), func.count(col(t.finished_at))).where(*ask.ticket_filters()),
        key,
        by,
    ):
        put(k, tickets=issued, tickets_served=served)
    wait = sql.seconds_between(ask.dialect, t.first_called_at, t.issued_at)
    waits: dict[str, list[float]] = {}
    for k, seconds in ask.session.connection().execute(
        select(key, wait).where(*ask.ticket_filters(), col(t.first_called_at).is_not(None))
    ):
        waits.setdefault(k or "", []).append(max(0.0, float(seconds)))
    for k, values in waits.items():
        values.sort()
        put(
            k,
            wait_avg_s=round(sum(values) / len(values), 1),
            wait_p90_s=round(values[rank_of(len(values)) - 1], 1),
        )


def _cases(ask: _Ask, by: Dimension | None, put: Any) -> None:
    c = Case
    key = _key(by, {"site": c.site, "department": c.department, "clerk": c.clerk})
    filters = ask.case_filters()
    accepted = select(key, func.count()).where(*filters, *ask.in_period(c.accepted_at))
    for k, n in _rows(ask, accepted, key, by):
        put(k, accepted=n)
    finished_day = sql.local_date(ask.dialect, c.completed_at, ask.minutes)
    on_time = func.sum(when((col(c.due).is_not(None) & (finished_day <= c.due), 1), else_=0))
    one_trip = func.sum(when((col(c.trips) <= ONE_TRIP, 1), else_=0))
    completed = select(key, func.count(), on_time, one_trip).where(
        *filters, *ask.in_period(c.completed_at)
    )
    for k, n, timely, once in _rows(ask, completed, key, by):
        put(k, completed=n, completed_on_time=int(timely or 0), one_trip=int(once or 0))
    # Overdue at the close of `as_of`: still open now, or finished only after that day.
    as_of = min(ask.period.end, ask.today)
    close = sql.day_start(as_of + timedelta(days=1))
    # A due date is never before its acceptance day: due before as_of means accepted by then.
    late = [*filters, col(c.due) < as_of]
    still_open = select(key, func.count()).where(*late, col(c.state).in_(list(OPEN_STATES)))
    overdue: dict[str, int] = dict(_rows(ask, still_open, key, by).all())
    # Finished after that day: few rows, counted here. Grouped in SQL, SQLite's planner reads
    # the (department, state, due) index whole for them (seconds at a million cases).
    finished_late = select(key).where(*late, col(c.completed_at) >= close)
    for (k,) in ask.session.connection().execute(finished_late):
        overdue[k] = overdue.get(k, 0) + 1
    for k, n in overdue.items():
        put(k, overdue_open=n)


def _ratings(ask: _Ask, by: Dimension | None, put: Any) -> None:
    r, f = Rating, RatingFollowup
    key = _key(
        by, {"site": r.site, "department": r.department, "window": r.window, "clerk": r.clerk}
    )
    filters = ask.rating_filters()
    good = col(r.level).in_(GOOD_LEVELS)
    given = col(r.given).is_(True)
    counts = (
        select(
            key,
            func.count(),
            func.sum(when((given, 1), else_=0)),
            func.sum(when((good, 1), else_=0)),
            func.sum(when((good & given, 1), else_=0)),
            func.sum(when((col(r.level).in_(BAD_LEVELS), 1), else_=0)),
        )
        .select_from(r)
        .outerjoin(f, col(f.rating_id) == col(r.id))
        .where(
            *filters,
            *ask.in_period(r.rated_at),
            _not_mistaken(),
        )
    )
    for k, n, n_given, n_good, n_given_good, n_bad in _rows(ask, counts, key, by):
        put(
            k,
            ratings=n,
            ratings_given=int(n_given or 0),
            good=int(n_good or 0),
            given_good=int(n_given_good or 0),
            bad=int(n_bad or 0),
        )
    close = sql.day_start(ask.period.end + timedelta(days=1))
    backlog = (
        select(key, func.count())
        .select_from(r)
        .join(f, col(f.rating_id) == col(r.id))
        .where(*filters, col(r.rated_at) < close, col(f.state).in_(UNFINISHED))
    )
    for k, n in _rows(ask, backlog, key, by):
        put(k, bad_followups_open=n)


def _hard_cases(ask: _Ask, by: Dimension | None, put: Any) -> None:
    h, s = HardCase, ask.scope
    if s.department or s.window or by in ("department", "window"):
        return  # a hard case has neither (module docstring)
    key = _key(by, {"site": h.site, "clerk": h.opened_by})
    close = sql.day_start(ask.period.end + timedelta(days=1))
    filters: list[Any] = [
        col(h.opened_at) < close,
        col(h.closed_at).is_(None) | (col(h.closed_at) >= close),
    ]
    if s.site:
        filters.append(col(h.site) == s.site)
    if s.clerk:
        filters.append(col(h.opened_by) == s.clerk)
    for k, n in _rows(ask, select(key, func.count()).where(*filters), key, by):
        put(k, hard_cases_open=n)


# --- names -----------------------------------------------------------------------------------


def _display_name(session: Session, username: str) -> str:
    """The clerk's name as cases keep it (a case records its clerk's display name)."""
    found = (
        session.connection()
        .execute(select(col(UserAccount.display_name)).where(col(UserAccount.username) == username))
        .first()
    )
    return str(found[0]) if found else username


def _clerks_by_name(
    session: Session, counts: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Tickets name their clerk by user name, cases by display name: one line per person,
    keyed by the user name where the account is known."""
    names: dict[str, str] = dict(
        session.connection()
        .execute(select(col(UserAccount.username), col(UserAccount.display_name)))
        .all()
    )
    by_display = {display: user for user, display in names.items()}
    merged: dict[str, dict[str, Any]] = {}
    for key, values in counts.items():
        user = key if key in names else by_display.get(key, key)
        merged.setdefault(user, {}).update(values)
    return merged


def _labels(session: Session, by: Dimension, keys: Iterable[str]) -> dict[str, str]:
    """What each ranked key is called in Chinese."""
    keys = list(keys)
    if by == "window":
        return {k: f"{k} 号窗口" for k in keys}
    if by == "department":
        rows = session.connection().execute(
            select(col(CatalogDepartment.code), col(CatalogDepartment.name)).where(
                col(CatalogDepartment.code).in_(keys)
            )
        )
    elif by == "site":
        rows = session.connection().execute(
            select(col(Site.code), col(Site.name)).where(col(Site.code).in_(keys))
        )
    else:
        rows = session.connection().execute(
            select(col(UserAccount.username), col(UserAccount.display_name)).where(
                col(UserAccount.username).in_(keys)
            )
        )
    return {str(k): str(v) for k, v in rows}


def _as_date(value: Any) -> date:
    """A date as either engine returns it from a date() expression."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
