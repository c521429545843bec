"""`counter-tui report daily|weekly|tenday|monthly`: the supervision reports (reports.build) as
JSON, CSV, XLSX or PDF, to a file or (JSON, CSV) to the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counter_tui.cli.context import context_of
from counter_tui.errors import UserError

report_app = typer.Typer(help="统计报表：日统计、周排名、旬调度、月通报。", no_args_is_help=True)

DateOption = Annotated[
    str | None, typer.Option("--date", help="报表所含的一天（默认今天），如 2026-11-23")
]
SiteOption = Annotated[
    str | None,
    typer.Option("--site", help="站点编码（默认本站点；县级节点默认全部已同步站点）"),
]
FormatOption = Annotated[str, typer.Option("--format", help="json、csv、xlsx 或 pdf")]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="写到哪个文件（json、csv 默认输出到终端；xlsx、pdf 默认当前目录）"),
]


def _run(
    ctx: typer.Context, kind: str, on: str | None, site: str | None, fmt: str, out: Path | None
) -> None:
    from counter_tui.reports.exports import FORMATS, render

    if fmt not in FORMATS:
        raise UserError(f"不支持的格式：{fmt}（可用：{'、'.join(FORMATS)}）")
    context = context_of(ctx)
    day = context.day(on)
    desk = context.desk
    report = desk.reports.report(
        kind, day, site=site or desk.reports.default_site(), today=context.today()
    )
    data = render(report, fmt, font=context.settings.printing.font)
    if out is None and fmt in ("json", "csv"):
        typer.echo(data.decode("utf-8-sig"), nl=False)
        return
    if out is None:
        where = report.site or "全部站点"
        out = Path(f"{report.title.split('：')[0]}-{where}-{report.period.start}.{fmt}")
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"无法写入 {out}：{exc.strerror or exc}") from None
    typer.echo(f"已写入 {out}")


@report_app.command("daily")
def daily(
    ctx: typer.Context,
    on: DateOption = None,
    site: SiteOption = None,
    fmt: FormatOption = "json",
    out: OutOption = None,
) -> None:
    """日统计：当天的取号、等候、受理、办结、按时、超期、一次办成率、满意度，部门与窗口。"""
    _run(ctx, "daily", on, site, fmt, out)


@report_app.command("weekly")
def weekly(
    ctx: typer.Context,
    on: DateOption = None,
    site: SiteOption = None,
    fmt: FormatOption = "json",
    out: OutOption = None,
) -> None:
    """周排名：所在周（周一至周日）的指标，部门与窗口排名。"""
    _run(ctx, "weekly", on, site, fmt, out)


@report_app.command("tenday")
def tenday(
    ctx: typer.Context,
    on: DateOption = None,
    site: SiteOption = None,
    fmt: FormatOption = "json",
    out: OutOption = None,
) -> None:
    """旬调度：所在旬（1–10、11–20、21–月末）的指标、部门与窗口排名、逐日数据。"""
    _run(ctx, "tenday", on, site, fmt, out)


@report_app.command("monthly")
def monthly(
    ctx: typer.Context,
    on: DateOption = None,
    site: SiteOption = None,
    fmt: FormatOption = "json",
    out: OutOption = None,
) -> None:
    """月通报：所在月的指标，部门、窗口、人员排名（县级节点另有站点排名）。"""
    _run(ctx, "monthly", on, site, fmt, out)
