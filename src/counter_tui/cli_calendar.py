"""`counter-tui calendar …`: the working-day calendar from the command line.

Every command first seeds the calendar (workdays.service.ensure_seeded): the years the
chinesecalendar package knows, overridden by the files shipped in data/calendar.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counter_tui.cli_admin import AdminOption, AdminPasswordFileOption
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from counter_tui.workdays.loader import CalendarFile
    from counter_tui.workdays.models import CalendarYear
    from counter_tui.workdays.rules import Calendar, YearPlan

calendar_app = typer.Typer(
    help="工作日历：查看放假安排、导入日历文件、计算办结期限。", no_args_is_help=True
)

ORIGIN_NAMES = {"package": "随程序安装的节假日数据", "file": "日历文件", "hub": "县级平台"}


def _invalid(invalid: Any, path: Path) -> typer.Exit:
    for problem in invalid.problems:
        typer.echo(str(problem), err=True)
    typer.echo(f"日历文件有 {len(invalid.problems)} 处问题，未导入：{path}", err=True)
    return typer.Exit(1)


def _seeded_engine() -> Engine:
    """The node's database with the calendar seeded (a no-op once it is)."""
    from counter_tui import cli
    from counter_tui.cases.commands import recompute_due_dates
    from counter_tui.db import write_session
    from counter_tui.workdays.loader import CalendarInvalid
    from counter_tui.workdays.seed import shipped_calendar
    from counter_tui.workdays.service import ensure_seeded

    engine = cli._ready_engine(cli.state.settings)
    try:
        with write_session(engine) as session:
            operator = cli._operator(engine)
            # A newer package or shipped file may bring a year that was provisional: the due
            # dates counted through it are counted again in the same transaction.
            if any(year.changed for year in ensure_seeded(session, operator)):
                recompute_due_dates(session, operator)
    except CalendarInvalid as invalid:
        raise _invalid(invalid, shipped_calendar() or Path("data/calendar")) from None
    return engine


def _year(text: str) -> int:
    from counter_tui.workdays.rules import year_problem

    if not text.strip().isdigit():
        raise UserError(f"年份应为整数，如 2026：{text}")
    year = int(text)
    problem = year_problem(year)
    if problem:
        raise UserError(problem)
    return year


@calendar_app.command("show")
def show(
    year_text: Annotated[str, typer.Argument(metavar="YEAR", help="年份，如 2026")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """按月列出一年的放假和调休上班日，以及这一年的安排是否正式、来自哪里。"""
    from counter_tui.db import read_session
    from counter_tui.workdays.service import calendar_for, year_info

    year = _year(year_text)
    engine = _seeded_engine()
    with read_session(engine) as session:
        found = year_info(session, year)
        calendar = calendar_for(session, since=year)
    if found is None:
        raise UserError(
            f"{year} 年没有日历数据：放假安排公布前按双休日和法定节假日估算（不含调休，暂定）；"
            "公布后用 counter-tui calendar import 文件 导入"
        )
    row, plan = found
    if as_json:
        typer.echo(json.dumps(_year_json(row, plan, calendar), ensure_ascii=False, indent=2))
        return
    for line in _year_lines(row, plan, calendar):
        typer.echo(line)


def _year_json(row: CalendarYear, plan: YearPlan, calendar: Calendar) -> dict[str, Any]:
    from counter_tui.workdays.rules import working_days_in_year

    return {
        "year": plan.year,
        "status": plan.status,
        "origin": row.origin,
        "source": row.source,
        "notice": plan.notice,
        "imported_at": row.imported_at.isoformat(),
        "imported_by": row.imported_by,
        "working_days": working_days_in_year(plan.year, calendar),
        "holidays": [
            {
                "name": h.name,
                "from": h.first.isoformat(),
                "to": h.last.isoformat(),
                "days": h.length,
                "workdays": [d.isoformat() for d in h.workdays],
            }
            for h in plan.holidays
        ],
    }


def _year_lines(row: CalendarYear, plan: YearPlan, calendar: Calendar) -> list[str]:
    from counter_tui.clock import to_local
    from counter_tui.workdays.rules import STATUSES, weekday_name, working_days_in_year

    lines = [f"{plan.year} 年工作日历：{STATUSES[plan.status]}"]
    lines.append(f"来源：{ORIGIN_NAMES.get(row.origin, row.origin)} {row.source}")
    if plan.notice:
        lines.append(f"依据：{plan.notice}")
    lines.append(f"导入：{to_local(row.imported_at):%Y-%m-%d %H:%M}，{row.imported_by}")
    entries: list[tuple[date, str]] = []
    for h in plan.holidays:
        if h.first == h.last:
            when = f"{h.first:%m-%d} {weekday_name(h.first)}"
        else:
            when = f"{h.first:%m-%d} 至 {h.last:%m-%d}"
        entries.append((h.first, f"{_pad(when, 16)}{h.name}放假 {h.length} 天"))
        for day in h.workdays:
            when = f"{day:%m-%d} {weekday_name(day)}"
            entries.append((day, f"{_pad(when, 16)}{h.name}调休上班"))
    month = 0
    for day, text in sorted(entries):
        label = f"{day.month:>2}月" if day.month != month else "    "
        month = day.month
        lines.append(f"{label}  {text}")
    if not entries:
        lines.append("    （没有放假安排）")
    workdays = len(plan.workdays())
    lines.append(
        f"全年工作日 {working_days_in_year(plan.year, calendar)} 天"
        + (f"（含调休上班 {workdays} 天）" if workdays else "")
    )
    return lines


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1)


@calendar_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="日历文件（如 2027.toml）或放日历文件的目录")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """导入日历文件，替换这些年份的放假安排；有任何问题时一年也不导入（需管理员登录）。"""
    from counter_tui.cases.commands import recompute_due_dates
    from counter_tui.cli_admin import sign_in_admin
    from counter_tui.db import write_session
    from counter_tui.workdays.rules import STATUSES, Published
    from counter_tui.workdays.service import import_calendar

    files = _load(path)
    engine = _seeded_engine()
    operator = sign_in_admin(engine, admin, admin_password_file)
    with write_session(engine) as session:
        results = import_calendar(
            session,
            operator,
            [Published(f.plan, "file", str(f.path.expanduser().absolute())) for f in files],
        )
        # Due dates counted through a year that was provisional are counted again, in the same
        # transaction: a receipt's date is never left resting on the weekend rule.
        recomputed = (
            recompute_due_dates(session, operator) if any(r.changed for r in results) else 0
        )
    for result in results:
        if not result.changed:
            typer.echo(f"{result.year} 年日历与正在使用的相同，未重复导入")
            continue
        typer.echo(
            f"已导入 {result.year} 年日历（{STATUSES[result.status]}）："
            f"{result.holidays} 个假期，{result.workdays} 个调休上班日"
        )
    if recomputed:
        typer.echo(f"已按新日历重新计算 {recomputed} 个办件的办结期限")


def _load(path: Path) -> list[CalendarFile]:
    from counter_tui.workdays.loader import CalendarInvalid, load_calendar

    try:
        return load_calendar(path.expanduser())
    except CalendarInvalid as invalid:
        raise _invalid(invalid, path) from None


@calendar_app.command("due", context_settings={"ignore_unknown_options": True})
def due(
    accepted: Annotated[str, typer.Argument(metavar="DATE", help="受理日期，如 2026-09-30")],
    days_text: Annotated[
        str, typer.Argument(metavar="DAYS", help="时限（工作日），0 表示即办件当天办结")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """打印受理后第 DAYS 个工作日的日期（从受理次日起算，节假日不计，调休上班日计入）。

    标准输出只有一行 ISO 日期；日期暂定时（用到尚未公布放假安排的年份）在标准错误输出说明。
    """
    from counter_tui.db import read_session
    from counter_tui.workdays.rules import parse_date, parse_days
    from counter_tui.workdays.service import due_date

    try:
        accepted_on = parse_date(accepted)
        days = parse_days(days_text)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    engine = _seeded_engine()
    with read_session(engine) as session:
        result = due_date(session, accepted_on, days)
    if as_json:
        out = {
            "accepted_on": accepted_on.isoformat(),
            "days": days,
            "due": result.date.isoformat(),
            "provisional": result.provisional,
            "unofficial_years": list(result.unofficial_years),
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    typer.echo(result.date.isoformat())
    warning = result.warning()
    if warning:
        typer.echo(warning, err=True)
