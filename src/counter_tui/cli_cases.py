"""`counter-tui cases …`: cases from the command line, for supervision and scripts."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from counter_tui.errors import UserError

cases_app = typer.Typer(help="办件：超期办件等。", no_args_is_help=True)


def parse_day(text: str | None) -> date:
    """A --date option: YYYY-MM-DD, today when not given."""
    if text is None:
        from counter_tui import cli
        from counter_tui.clock import set_hall_zone, today_local

        set_hall_zone(cli.state.settings.timezone)  # the hall's zone decides what today is
        return today_local()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期格式应为 YYYY-MM-DD，如 2026-11-23：{text}") from None


@cases_app.command("overdue")
def overdue(
    on: Annotated[
        str | None, typer.Option("--date", help="按哪一天计算（默认今天），如 2026-12-08")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出已过承诺办结日期的在办办件（黄牌、红牌），最早到期的在前。"""
    from counter_tui import cli
    from counter_tui.cases.worklist import overdue as overdue_cases
    from counter_tui.db import read_session
    from counter_tui.workdays.sla import SupervisionPolicy

    today = parse_day(on)
    settings = cli.state.settings
    policy = SupervisionPolicy(
        reminder_days=settings.supervision.reminder_days,
        yellow_grace_days=settings.supervision.yellow_grace_days,
    )
    engine = cli._ready_engine(settings)
    with read_session(engine) as session:
        items = overdue_cases(session, today=today, policy=policy)
    if as_json:
        rows = [
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
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
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
