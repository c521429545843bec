"""`counter-tui cases …`: cases from the command line, for supervision and scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from counter_tui.cli.context import context_of
from counter_tui.cli.options import JsonOption
from counter_tui.cli.output import echo_json

cases_app = typer.Typer(help="办件：超期办件等。", no_args_is_help=True)


@cases_app.command("overdue")
def overdue(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--date", help="按哪一天计算（默认今天），如 2026-12-08")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """列出已过承诺办结日期的在办办件（黄牌、红牌），最早到期的在前。"""
    context = context_of(ctx)
    today = context.day(on)
    items = context.desk.reports.overdue(today)
    if as_json:
        echo_json(
            [
                {
                    "number": i.number,
                    "item": i.entry_name,
                    "department": i.department,
                    "state": i.state,
                    "due": i.due.isoformat(),
                    "legal_due": i.legal_due.isoformat() if i.legal_due else None,
                    "level": i.level.value if i.level else None,
                    "left": i.left,
                    "assignee": i.assignee,
                }
                for i in items
            ]
        )
        return
    if not items:
        typer.echo(f"{today.isoformat()} 没有超期的在办办件")
        return
    for i in items:
        who = f"  {i.assignee}" if i.assignee else ""
        typer.echo(
            f"{i.level_label}  {i.number}  {i.entry_name}  {i.department}  "
            f"{i.state_label}  {i.due.isoformat()} 到期，{i.left}{who}"
        )
    typer.echo(f"共 {len(items)} 件")
