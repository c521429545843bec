"""`counter-tui ratings …`: ratings (好差评) and their follow-ups (差评整改) from the command line.

Recording a rating that came by phone, SMS or online, importing the provincial export and the
follow-up steps change the node's supervision record, so they sign an administrator in
(cli/admin.py) and the journal names them; the lists are read by anyone who can run the
program. Each command is one call of the feedback door.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counter_tui.cli.admin import sign_in_admin
from counter_tui.cli.context import context_of
from counter_tui.cli.options import AdminOption, AdminPasswordFileOption, JsonOption
from counter_tui.cli.output import echo_json
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from counter_tui.feedback.followups import Followup
    from counter_tui.feedback.ratings import RatingRecord

ratings_app = typer.Typer(
    help="好差评：记录、导入、列出评价，办理差评整改（回访核实、整改、反馈、申诉复核）。",
    no_args_is_help=True,
)


def _rating_json(r: RatingRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind,
        "channel": r.channel,
        "level": r.level,
        "given": r.given,
        "rated_at": r.rated_at.isoformat(),
        "case_number": r.case_number or None,
        "ticket_id": r.ticket_id,
        "reasons": list(r.reasons),
        "comment": r.comment,
        "clerk": r.clerk,
        "window": r.window,
        "department": r.department,
        "followup_state": r.followup_state,
        "followup_due": r.followup_due.isoformat() if r.followup_due else None,
    }


def _rating_line(r: RatingRecord) -> str:
    from counter_tui.feedback.rules import CHANNELS, reason_label

    what = r.case_number or f"取号 {r.ticket_id}"
    reasons = f"  原因：{'、'.join(reason_label(x) for x in r.reasons)}" if r.reasons else ""
    followup = f"  差评整改 {r.followup_due.isoformat()} 前" if r.followup_due else ""
    return (
        f"{r.rated_at:%Y-%m-%d %H:%M}  {what}  {CHANNELS.get(r.channel, r.channel)}  "
        f"{r.level_label}{reasons}{followup}"
    )


def _followup_json(f: Followup) -> dict[str, Any]:
    return {
        "rating_id": f.rating_id,
        "case_number": f.case_number or None,
        "owner": f.owner,
        "due": f.due.isoformat(),
        "state": f.state,
        "next_step": f.next_step,
        "level": f.level,
        "reasons": list(f.reasons),
        "steps": [
            {"step": name, "by": who, "at": at.isoformat(), "note": note}
            for name, who, at, note in f.steps
        ],
    }


def _followup_line(f: Followup, today: Any, departments: dict[str, str]) -> str:
    late = "  已超期" if f.overdue(today) else ""
    what = f.subject
    owner = "大厅" if f.owner == "hall" else departments.get(f.owner, f.owner)
    step = f"  下一步：{f.next_label}" if f.next_label else ""
    return f"{f.rating_id}  {what}  {owner}  {f.state_label}  {f.due.isoformat()} 前{late}{step}"


@ratings_app.command("record")
def record(
    ctx: typer.Context,
    case: Annotated[str, typer.Option("--case", help="办件编号")],
    level: Annotated[int, typer.Option("--level", help="评价等级 1–5（1 非常满意…5 非常不满意）")],
    channel: Annotated[str, typer.Option("--channel", help="评价渠道：phone、sms 或 online")],
    reason: Annotated[
        list[str] | None, typer.Option("--reason", help="差评原因，可多次给出")
    ] = None,
    comment: Annotated[str, typer.Option("--comment", help="评价内容")] = "",
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """记录一条电话、短信或网上的办件评价（一事一评）；差评自动生成差评整改。"""
    if channel not in ("phone", "sms", "online"):
        raise UserError(f"--channel 应为 phone、sms 或 online，现在是 {channel}")
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    made = context.desk.feedback.record(
        actor,
        kind="case",
        channel=channel,
        level=level,
        case=case,
        reasons=reason or [],
        comment=comment,
        now=context.now(),
    )
    if as_json:
        echo_json(_rating_json(made))
        return
    typer.echo(f"已记录：{_rating_line(made)}")


@ratings_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="省好差评系统导出的 CSV 文件")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """导入省好差评系统的评价（CSV，列见 docs/ratings-import.md）；有任何一行不对则全部不导入。"""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取评价文件：{file}（{exc.strerror}）") from None
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    done = context.desk.feedback.import_file(actor, data, now=context.now())
    typer.echo(
        f"已导入 {len(done.ratings)} 条评价（{done.encoding.upper()}），"
        f"其中差评 {done.followups} 条已生成差评整改"
    )


@ratings_app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="最多列出几条")] = 50,
    as_json: JsonOption = False,
) -> None:
    """列出本站点最近的评价，最新的在前。"""
    items = context_of(ctx).desk.feedback.ratings(limit=limit)
    if as_json:
        echo_json([_rating_json(r) for r in items])
        return
    if not items:
        typer.echo("还没有评价")
        return
    for r in items:
        typer.echo(_rating_line(r))
    typer.echo(f"共 {len(items)} 条")


@ratings_app.command("followups")
def followups(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列已超期的")] = False,
    not_called: Annotated[
        bool, typer.Option("--not-called", help="只列还未回访核实的差评")
    ] = False,
    on: Annotated[str | None, typer.Option("--date", help="按哪一天判断超期（默认今天）")] = None,
    as_json: JsonOption = False,
) -> None:
    """列出未办结的差评整改，期限最早的在前。"""
    context = context_of(ctx)
    today = context.day(on)
    door = context.desk.feedback
    if overdue:
        items = door.overdue_followups(today)
    elif not_called:
        items = door.not_followed_up()
    else:
        items = door.followups()
    if as_json:
        echo_json([_followup_json(f) | {"overdue": f.overdue(today)} for f in items])
        return
    if not items:
        typer.echo("没有待办的差评整改")
        return
    departments = context.desk.catalog.department_names()
    for f in items:
        typer.echo(_followup_line(f, today, departments))
    typer.echo(f"共 {len(items)} 件")


RatingIdArgument = Annotated[str, typer.Argument(help="评价编号（ratings followups 列出）")]


def _take(
    ctx: typer.Context, step: str, rating_id: str, note: str, admin: str | None, file: Path | None
) -> None:
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, file)
    door = context.desk.feedback
    if step == "appeal":
        done = door.appeal(actor, rating_id, note, now=context.now())
    else:
        done = door.step(actor, rating_id, step, note, now=context.now())
    typer.echo(f"已记录：{done.case_number or done.rating_id}  {done.state_label}")


@ratings_app.command("verify")
def verify(
    ctx: typer.Context,
    rating_id: RatingIdArgument,
    note: Annotated[str, typer.Option("--note", help="回访核实情况")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """回访核实：已回访评价人并核实情况。"""
    _take(ctx, "verify", rating_id, note, admin, admin_password_file)


@ratings_app.command("fix")
def fix(
    ctx: typer.Context,
    rating_id: RatingIdArgument,
    note: Annotated[str, typer.Option("--note", help="整改措施（或无法整改的依据）")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """整改：记录已采取的整改措施。"""
    _take(ctx, "fix", rating_id, note, admin, admin_password_file)


@ratings_app.command("close")
def close(
    ctx: typer.Context,
    rating_id: RatingIdArgument,
    note: Annotated[str, typer.Option("--note", help="向评价人反馈的结果")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """反馈：已向评价人反馈整改结果，整改办结。"""
    _take(ctx, "close", rating_id, note, admin, admin_password_file)


@ratings_app.command("appeal")
def appeal(
    ctx: typer.Context,
    rating_id: RatingIdArgument,
    reason: Annotated[str, typer.Option("--reason", help="误评的理由")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """申诉复核：认定为误评（误按、恶意评价），写明理由。"""
    _take(ctx, "appeal", rating_id, reason, admin, admin_password_file)
