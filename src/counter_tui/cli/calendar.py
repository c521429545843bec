"""`counter-tui calendar …`: the working-day calendar from the command line.

Every command first seeds the calendar (desk.calendar.seed): the years the chinesecalendar
package knows, overridden by the files shipped in data/calendar. Validating a calendar file and
laying a year out are this module's; reading, importing and counting are the calendar door's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counter_tui.cli.admin import sign_in_admin
from counter_tui.cli.context import CliContext, context_of
from counter_tui.cli.options import AdminOption, AdminPasswordFileOption, JsonOption
from counter_tui.cli.output import echo_json, pad
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from counter_tui.desk.calendar import CalendarDoor
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


def _seeded(context: CliContext) -> CalendarDoor:
    """The node's calendar, seeded (a no-op once it is). A newer package or shipped file may
    bring a year that was provisional: the door counts the due dates through it again."""
    from counter_tui.workdays.loader import CalendarInvalid
    from counter_tui.workdays.seed import shipped_calendar

    calendar = context.desk.calendar
    try:
        calendar.seed(context.operator())
    except CalendarInvalid as invalid:
        raise _invalid(invalid, shipped_calendar() or Path("data/calendar")) from None
    return calendar


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
    ctx: typer.Context,
    year_text: Annotated[str, typer.Argument(metavar="YEAR", help="年份，如 2026")],
    as_json: JsonOption = False,
) -> None:
    """按月列出一年的放假和调休上班日，以及这一年的安排是否正式、来自哪里。"""
    year = _year(year_text)
    found = _seeded(context_of(ctx)).year(year)
    if found is None:
        raise UserError(
            f"{year} 年没有日历数据：放假安排公布前按双休日和法定节假日估算（不含调休，暂定）；"
            "公布后用 counter-tui calendar import 文件 导入"
        )
    if as_json:
        echo_json(_year_json(found.row, found.plan, found.calendar))
        return
    for line in _year_lines(found.row, found.plan, found.calendar):
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
        entries.append((h.first, f"{pad(when, 16)}{h.name}放假 {h.length} 天"))
        for day in h.workdays:
            when = f"{day:%m-%d} {weekday_name(day)}"
            entries.append((day, f"{pad(when, 16)}{h.name}调休上班"))
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


@calendar_app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="日历文件（如 2027.toml）或放日历文件的目录")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """导入日历文件，替换这些年份的放假安排；有任何问题时一年也不导入（需管理员登录）。"""
    from counter_tui.workdays.rules import STATUSES, Published

    files = _load(path)
    context = context_of(ctx)
    calendar = _seeded(context)
    operator = sign_in_admin(context, admin, admin_password_file)
    # Due dates counted through a year that was provisional are counted again, in the same
    # transaction: a receipt's date is never left resting on the weekend rule.
    results, recomputed = calendar.import_years(
        operator,
        [Published(f.plan, "file", str(f.path.expanduser().absolute())) for f in files],
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
    ctx: typer.Context,
    accepted: Annotated[str, typer.Argument(metavar="DATE", help="受理日期，如 2026-09-30")],
    days_text: Annotated[
        str, typer.Argument(metavar="DAYS", help="时限（工作日），0 表示即办件当天办结")
    ],
    as_json: JsonOption = False,
) -> None:
    """打印受理后第 DAYS 个工作日的日期（从受理次日起算，节假日不计，调休上班日计入）。

    标准输出只有一行 ISO 日期；日期暂定时（用到尚未公布放假安排的年份）在标准错误输出说明。
    """
    from counter_tui.workdays.rules import parse_date, parse_days

    try:
        accepted_on = parse_date(accepted)
        days = parse_days(days_text)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    result = _seeded(context_of(ctx)).due(accepted_on, days)
    if as_json:
        out = {
            "accepted_on": accepted_on.isoformat(),
            "days": days,
            "due": result.date.isoformat(),
            "provisional": result.provisional,
            "unofficial_years": list(result.unofficial_years),
        }
        echo_json(out)
        return
    typer.echo(result.date.isoformat())
    warning = result.warning()
    if warning:
        typer.echo(warning, err=True)
