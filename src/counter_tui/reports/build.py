"""The four reports (日统计, 周排名, 旬调度, 月通报): which figures and rankings each holds, as
plain tables with Chinese column names, and one written summary line per ranking. The
exports (reports.exports) only lay these tables out.

What each report holds:
- 日统计 (daily): the day's figures, then every department and every window with theirs.
- 周排名 (weekly, Monday to Sunday): the figures, departments and windows ranked.
- 旬调度 (tenday, 1–10, 11–20, 21 to the month's end): the figures, departments and windows
  ranked, and the day-by-day counts of the 旬.
- 月通报 (monthly): the figures, departments, windows and clerks ranked; at the hub (all
  sites) also the sites ranked.
Every report, the daily one too, ends with 差评未回访清单 (the bad ratings still waiting for
their call at the period's close, reports.callbacks) and leads its summary with the
差评回访率: the issue asks every bad rating be followed up, and a day's list is the one a
supervisor can still act on before the deadlines pass.
A period still running (it ends today or later) is reported up to today and says so (截至).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from counter_tui.catalog.models import CatalogDepartment
from counter_tui.errors import UserError
from counter_tui.feedback.followups import Followup
from counter_tui.feedback.rules import CHANNELS, HALL_OWNER, level_label
from counter_tui.journal.models import Event
from counter_tui.notices.content import TRAINING_PREFIX
from counter_tui.reports.callbacks import Callbacks, callbacks
from counter_tui.reports.figures import (
    Dimension,
    Figures,
    Period,
    Ranked,
    Scope,
    daily_series,
    figures,
    ranking,
)
from counter_tui.reports.rules import KINDS, callback_line, span_of
from counter_tui.site.models import Node, Site
from counter_tui.site.service import is_demo

Cell = int | float | str | None


@dataclass(frozen=True)
class Table:
    """One table of a report: a sheet of the XLSX, a section of the CSV."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Report:
    kind: str
    #: 月通报：襄城区便民服务室 2026-11-01 至 2026-11-30
    title: str
    #: None: every site this database holds (the county, at the hub).
    site: str | None
    place: str
    period: Period
    #: The period runs on past today: figures up to today only.
    partial: bool
    figures: Figures
    tables: tuple[Table, ...]
    summary: tuple[str, ...]
    #: 差评回访率 and the bad ratings still waiting for their call at the period's close.
    callbacks: Callbacks
    #: Built on a demo (training) hall: every export says so (title, sheets, pages).
    training: bool = False


def build(session: Session, kind: str, day: date, *, site: str | None, today: date) -> Report:
    """The report of `kind` for the period holding `day`, for `site` (None: every site)."""
    if kind not in KINDS:
        raise UserError(f"未知报表类型：{kind}（可用：{'、'.join(KINDS)}）")
    if day > today:
        raise UserError(f"日期 {day} 在今天（{today}）之后，还没有数据")
    began = node_began(session)
    if began is not None and day < began:
        raise UserError(f"日期 {day} 早于本节点启用的日期（{began}），那时还没有数据")
    if site is not None and session.get(Site, site) is None:
        raise UserError(f"本节点没有这个站点：{site}")
    span = span_of(kind, day)
    period = Period(span.start, min(span.end, today))
    scope = Scope(site=site)
    place = _place(session, site)
    whole = figures(session, scope, period, today=today)
    dimensions: list[Dimension] = ["department", "window"]
    if kind == "monthly":
        dimensions.append("clerk")
        if site is None:
            dimensions.append("site")
    tables = [overall(whole)]
    calls = callbacks(session, period, site=site)
    summary = [callback_line(calls.called, calls.owed)]
    for by in dimensions:
        ranked = ranking(session, by, scope, period, today=today)
        tables.append(ranking_table(by, ranked, ranked_title=kind != "daily"))
        summary.append(summary_line(by, ranked))
    if kind == "tenday":
        tables.append(_days(session, scope, period))
    tables.append(waiting_table(session, calls.waiting, period))
    partial = span.end >= today
    until = f"（截至 {today}）" if partial else ""
    title = f"{KINDS[kind]}：{place} {span.start} 至 {span.end}{until}"
    if kind == "daily":
        title = f"{KINDS[kind]}：{place} {span.start}{until}"
    training = is_demo(session)
    if training:
        title = TRAINING_PREFIX + title
    return Report(
        kind,
        title,
        site,
        place,
        period,
        partial,
        whole,
        tuple(tables),
        tuple(summary),
        calls,
        training,
    )


def node_began(session: Session) -> date | None:
    """The first day this database holds anything: the node's creation or its first event
    (a hub holds events older than itself), in the hall's days."""
    from counter_tui.clock import to_local

    moments: list[datetime] = []
    node = session.get(Node, 1)
    if node is not None:
        created = node.created_at
        moments.append(created if created.tzinfo else created.replace(tzinfo=UTC))
    first = session.connection().execute(select(func.min(col(Event.hlc)))).scalar()
    if first:
        moments.append(datetime.fromtimestamp(int(str(first).split(".")[0]) / 1000, UTC))
    return to_local(min(moments)).date() if moments else None


def _place(session: Session, site: str | None) -> str:
    if site is None:
        return "全部站点"
    found = session.get(Site, site)
    return found.name if found is not None else site


# --- tables ----------------------------------------------------------------------------------


def pct(value: float | None) -> float | None:
    """A rate as a percentage to one decimal, for the tables."""
    return None if value is None else round(value * 100, 1)


def overall(f: Figures) -> Table:
    rows: list[tuple[Cell, ...]] = [
        ("取号数", f.tickets),
        ("办结号数", f.tickets_served),
        ("平均等候（秒）", f.wait_avg_s),
        ("P90等候（秒）", f.wait_p90_s),
        ("受理件数", f.accepted),
        ("办结件数", f.completed),
        ("按时办结件数", f.completed_on_time),
        ("按时办结率（%）", pct(f.on_time_rate)),
        ("超期未办结件数", f.overdue_open),
        ("一次办成件数", f.one_trip),
        ("一次办成率（%）", pct(f.one_trip_rate)),
        ("评价数", f.ratings),
        ("主动评价数", f.ratings_given),
        ("好评数", f.good),
        ("差评数", f.bad),
        ("好评率（%）", pct(f.good_rate)),
        ("主动评价好评率（%）", pct(f.active_good_rate)),
        ("未评价率（%）", pct(f.unrated_rate)),
        ("差评未整改数", f.bad_followups_open),
        ("办不成事未办结数", f.hard_cases_open),
    ]
    return Table("总体指标", ("指标", "数值"), tuple(rows))


#: Each ranking's title, what its key column is called, and its figure columns.
_RANKINGS: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "department": (
        "部门",
        "部门",
        (
            ("受理", "accepted"),
            ("办结", "completed"),
            ("按时办结", "completed_on_time"),
            ("按时办结率（%）", "on_time_rate"),
            ("超期未办结", "overdue_open"),
            ("一次办成率（%）", "one_trip_rate"),
            ("评价数", "ratings"),
            ("好评率（%）", "good_rate"),
            ("未评价率（%）", "unrated_rate"),
        ),
    ),
    "window": (
        "窗口",
        "窗口",
        (
            ("取号", "tickets"),
            ("办结号数", "tickets_served"),
            ("平均等候（秒）", "wait_avg_s"),
            ("P90等候（秒）", "wait_p90_s"),
            ("评价数", "ratings"),
            ("好评率（%）", "good_rate"),
            ("未评价率（%）", "unrated_rate"),
        ),
    ),
    "clerk": (
        "人员",
        "人员",
        (
            ("办结号数", "tickets_served"),
            ("受理", "accepted"),
            ("办结", "completed"),
            ("按时办结", "completed_on_time"),
            ("一次办成率（%）", "one_trip_rate"),
            ("评价数", "ratings"),
            ("好评率（%）", "good_rate"),
        ),
    ),
    "site": (
        "站点",
        "站点",
        (
            ("取号", "tickets"),
            ("受理", "accepted"),
            ("办结", "completed"),
            ("按时办结率（%）", "on_time_rate"),
            ("超期未办结", "overdue_open"),
            ("一次办成率（%）", "one_trip_rate"),
            ("好评率（%）", "good_rate"),
        ),
    ),
}


def _cell(f: Figures, name: str) -> Cell:
    value: Any = getattr(f, name)
    return pct(value) if name.endswith("_rate") else value


def ranking_table(by: str, ranked: list[Ranked], *, ranked_title: bool = True) -> Table:
    title, key, figure_columns = _RANKINGS[by]
    name = f"{title}排名" if ranked_title else f"{title}统计"
    rows = tuple(
        (r.rank, r.label, *(_cell(r.figures, field) for _, field in figure_columns)) for r in ranked
    )
    return Table(name, ("名次", key, *(label for label, _ in figure_columns)), rows)


#: Per ranking: what its summary line leads with, the figure, its unit.
_LEADS = {
    "department": ("受理量第一", "accepted", "件"),
    "window": ("办结号数第一", "tickets_served", "个"),
    "clerk": ("办结号数第一", "tickets_served", "个"),
    "site": ("受理量第一", "accepted", "件"),
}


def summary_line(by: str, ranked: list[Ranked]) -> str:
    """「受理量第一：市场监管局 7 件」; ties share the line (「A、B 各 6 件」)."""
    lead, field, unit = _LEADS[by]
    title = _RANKINGS[by][0]
    first = [r for r in ranked if r.rank == 1 and getattr(r.figures, field)]
    if not first:
        return f"{title}：本期无数据"
    value = getattr(first[0].figures, field)
    names = "、".join(r.label for r in first)
    each = "各 " if len(first) > 1 else ""
    return f"{title}{lead}：{names} {each}{value} {unit}"


def waiting_table(session: Session, waiting: tuple[Followup, ...], period: Period) -> Table:
    """差评未回访清单: one row per bad rating still waiting for its call; 超期 when its deadline
    is before the period's last day."""
    codes = {f.owner for f in waiting} - {HALL_OWNER}
    names: dict[str, str] = dict(
        session.connection()
        .execute(
            select(col(CatalogDepartment.code), col(CatalogDepartment.name)).where(
                col(CatalogDepartment.code).in_(codes)
            )
        )
        .all()
    )
    names[HALL_OWNER] = "大厅"
    rows = tuple(
        (
            f.subject,
            level_label(f.level),
            CHANNELS.get(f.channel, f.channel),
            f.rated_at.date().isoformat(),
            names.get(f.owner, f.owner),
            f.due.isoformat(),
            "超期" if f.due < period.end else "",
        )
        for f in waiting
    )
    columns = ("办件编号", "评价等级", "渠道", "评价日期", "责任单位", "回访期限", "超期")
    return Table("差评未回访清单", columns, rows)


def _days(session: Session, scope: Scope, period: Period) -> Table:
    points = daily_series(session, scope, period.end, period.days)
    rows = tuple(
        (p.day.isoformat(), p.tickets, p.tickets_served, p.accepted, p.completed, p.ratings, p.good)
        for p in points
    )
    return Table("每日", ("日期", "取号", "办结号数", "受理", "办结", "评价数", "好评数"), rows)


def as_dict(report: Report) -> dict[str, Any]:
    """The report with stable keys (JSON)."""
    f = report.figures
    return {
        "kind": report.kind,
        "title": report.title,
        "site": report.site,
        "place": report.place,
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "partial": report.partial,
        "training": report.training,
        "figures": {
            **{name: getattr(f, name) for name in f.__dataclass_fields__},
            "on_time_rate": f.on_time_rate,
            "one_trip_rate": f.one_trip_rate,
            "good_rate": f.good_rate,
            "active_good_rate": f.active_good_rate,
            "unrated_rate": f.unrated_rate,
        },
        "summary": list(report.summary),
        "callbacks": {
            "owed": report.callbacks.owed,
            "called": report.callbacks.called,
            "rate": report.callbacks.rate,
        },
        "tables": [
            {"name": t.name, "columns": list(t.columns), "rows": [list(r) for r in t.rows]}
            for t in report.tables
        ],
    }
