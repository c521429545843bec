"""`counter-tui hard-cases …` (办不成事) and `counter-tui assists …` (帮代办).

Reading (list, show) needs no sign-in: the applicant is masked, as on every list. Each step of
the loop is recorded by a user who signs in for the command (`--user`, the password from a
prompt without echo or `--password-file`), so the journal names who did it and the service
checks their role (a 督办 needs a supervisor).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counter_tui.cli.context import CliContext, context_of
from counter_tui.cli.options import JsonOption
from counter_tui.cli.output import echo_json
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from counter_tui.actor import Actor

hard_cases_app = typer.Typer(
    help="办不成事：受理 → 告知 → 协调 → 督办 → 回访。", no_args_is_help=True
)
assists_app = typer.Typer(help="帮代办：登记与查询。", no_args_is_help=True)

UserOption = Annotated[str, typer.Option("--user", help="登录的用户名（记录由谁办理）")]
PasswordFileOption = Annotated[
    Path | None, typer.Option("--password-file", help="从文件第一行读取密码（脚本用）")
]
Ref = Annotated[str, typer.Argument(help="办不成事编号，如 BC-261123-01")]
Days = Annotated[int, typer.Option("--days", help="答复时限（工作日）")]


def _signed_in(context: CliContext, user: str, password_file: Path | None) -> Actor:
    from counter_tui.cli.passwords import read_first_line

    if password_file is not None:
        password = read_first_line(password_file, "密码")
    elif sys.stdin.isatty():
        password = str(typer.prompt(f"{user} 的密码", hide_input=True))
    else:
        raise UserError("此命令需要登录：没有可输入密码的终端，请用 --password-file 指定密码文件")
    return context.desk.hard_cases.sign_in(user.strip(), password)


@hard_cases_app.command("open")
def open_(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="问题类型：policy 政策不明、materials 材料问题、"
            "shirking 部门推诿、system 系统故障、other 其他",
        ),
    ],
    problem: Annotated[str, typer.Option("--problem", help="申请人反映的问题")],
    user: UserOption,
    name: Annotated[str, typer.Option("--name", help="申请人姓名")] = "",
    id_number: Annotated[str, typer.Option("--id", help="证件号码")] = "",
    phone: Annotated[str, typer.Option("--phone", help="联系电话")] = "",
    ticket: Annotated[str, typer.Option("--ticket", help="来源：今天的 V 类取号，如 V003")] = "",
    case: Annotated[str, typer.Option("--case", help="来源：办件编号")] = "",
    password_file: PasswordFileOption = None,
) -> None:
    """受理一件办不成事。"""
    context = context_of(ctx)
    actor = _signed_in(context, user, password_file)
    opened = context.desk.hard_cases.open(
        actor,
        context.now(),
        kind=kind,
        problem=problem,
        applicant_name=name,
        id_number=id_number,
        phone=phone,
        ticket_number=ticket,
        case_number=case,
    )
    typer.echo(f"已受理：{opened.number}")


@hard_cases_app.command("list")
def list_(
    ctx: typer.Context,
    due: Annotated[bool, typer.Option("--due", help="只列出答复超期、应督办的")] = False,
    on: Annotated[str | None, typer.Option("--date", help="按哪一天计算（默认今天）")] = None,
    as_json: JsonOption = False,
) -> None:
    """未回访办结的办不成事，应督办的在前。"""
    context = context_of(ctx)
    today = context.day(on)
    door = context.desk.hard_cases
    lines = door.due_for_supervision(None, today) if due else door.open_list(None, today)
    if as_json:
        echo_json(
            [
                {
                    "number": line.number,
                    "state": line.state,
                    "kind": line.kind,
                    "applicant": line.applicant,
                    "problem": line.problem,
                    "next_due": line.next_due.isoformat() if line.next_due else None,
                    "overdue": line.overdue,
                }
                for line in lines
            ]
        )
        return
    if not lines:
        typer.echo("没有应督办的办不成事" if due else "没有未办结的办不成事")
        return
    for line in lines:
        flag = "应督办  " if line.overdue else ""
        deadline = f"  {line.next_due.isoformat()} 前答复" if line.next_due else ""
        typer.echo(
            f"{flag}{line.number}  {line.state_label}  {line.kind_label}  {line.applicant}  "
            f"{line.problem}{deadline}"
        )
    typer.echo(f"共 {len(lines)} 件")


@hard_cases_app.command("show")
def show(ctx: typer.Context, ref: Ref, as_json: JsonOption = False) -> None:
    """一件办不成事：申请人（脱敏）、问题、协调部门与答复、全过程。"""
    context = context_of(ctx)
    view = context.desk.hard_cases.view(ref, None, context.today())
    if as_json:
        echo_json(
            {
                "number": view.number,
                "state": view.state,
                "kind": view.kind,
                "problem": view.problem,
                "applicant": view.applicant.name,
                "origin": view.origin_label,
                "outcome": view.outcome,
                "explanation": view.explanation,
                "verdict": view.verdict,
                "requests": [
                    {
                        "department": r.department,
                        "due": r.due.isoformat(),
                        "reply": r.reply,
                        "supervisions": r.supervisions,
                        "overdue": r.overdue,
                    }
                    for r in view.requests
                ],
                "steps": [
                    {
                        "at": s.at.isoformat(),
                        "step": s.label,
                        "who": s.who,
                        "department": s.department,
                        "text": s.text,
                    }
                    for s in view.steps
                ],
            }
        )
        return
    typer.echo(f"{view.number}  {view.state_label}  {view.kind_label}  来源：{view.origin_label}")
    typer.echo(f"申请人：{view.applicant.name}")
    typer.echo(f"问题：{view.problem}")
    for step in view.steps:
        where = f"（{step.department}）" if step.department else ""
        typer.echo(f"{step.at:%Y-%m-%d %H:%M}  {step.label}{where}  {step.who}  {step.text}")
    for request in view.awaited:
        flag = "，已超期应督办" if request.overdue else ""
        typer.echo(f"待 {request.department} 答复：{request.due.isoformat()} 前{flag}")


@hard_cases_app.command("inform")
def inform(
    ctx: typer.Context,
    ref: Ref,
    note: Annotated[str, typer.Option("--note", help="告知申请人的内容")],
    user: UserOption,
    password_file: PasswordFileOption = None,
) -> None:
    """告知：登记告诉申请人的内容。"""
    context = context_of(ctx)
    actor = _signed_in(context, user, password_file)
    context.desk.hard_cases.inform(actor, ref, note, context.now())
    typer.echo(f"{ref} 已登记告知")


@hard_cases_app.command("coordinate")
def coordinate(
    ctx: typer.Context,
    ref: Ref,
    department: Annotated[str, typer.Option("--department", help="协调的部门")],
    request: Annotated[str, typer.Option("--request", help="请部门协调的事项")],
    user: UserOption,
    days: Days = 3,
    password_file: PasswordFileOption = None,
) -> None:
    """协调：请一个部门协调，限期答复。"""
    context = context_of(ctx)
    actor = _signed_in(context, user, password_file)
    due = context.desk.hard_cases.coordinate(actor, ref, department, request, days, context.now())
    typer.echo(f"已请 {department} 协调：{due.isoformat()} 前答复")


@hard_cases_app.command("reply")
def reply(
    ctx: typer.Context,
    ref: Ref,
    department: Annotated[str, typer.Option("--department", help="答复的部门")],
    text: Annotated[str, typer.Option("--text", help="答复内容")],
    user: UserOption,
    password_file: PasswordFileOption = None,
) -> None:
    """登记部门的答复。"""
    context = context_of(ctx)
    actor = _signed_in(context, user, password_file)
    context.desk.hard_cases.reply(actor, ref, department, text, context.now())
    typer.echo(f"已登记 {department} 的答复")


@hard_cases_app.command("supervise")
def supervise(
    ctx: typer.Context,
    ref: Ref,
    department: Annotated[str, typer.Option("--department", help="超期未答复的部门")],
    note: Annotated[str, typer.Option("--note", help="督办意见")],
    user: UserOption,
    days: Days = 3,
    password_file: PasswordFileOption = None,
) -> None:
    """督办：督查人员督促超期未答复的部门，重新限期。"""
    context = context_of(ctx)
    actor = _signed_in(context, user, password_file)
    due = context.desk.hard_cases.supervise(actor, ref, department, note, days, context.now())
    typer.echo(f"已督办 {department}：{due.isoformat()} 前答复")


@hard_cases_app.command("conclude")
def conclude(
    ctx: typer.Context,
    ref: Ref,
    outcome: Annotated[str, typer.Option("--outcome", help="done 办成、cannot 依法不能办理")],
    explanation: Annotated[str, typer.Option("--explanation", help="向申请人作的说明")],
    user: UserOption,
    password_file: PasswordFileOption = None,
) -> None:
    """办结：办成或依法不能办理，并说明。"""
    context = context_of(ctx)
    actor = _signed_in(context, user, password_file)
    context.desk.hard_cases.conclude(actor, ref, outcome, explanation, context.now())
    typer.echo(f"{ref} 已办结，待回访")


@hard_cases_app.command("visit")
def visit(
    ctx: typer.Context,
    ref: Ref,
    verdict: Annotated[
        str,
        typer.Option("--verdict", help="satisfied 满意、basically 基本满意、unsatisfied 不满意"),
    ],
    user: UserOption,
    note: Annotated[str, typer.Option("--note", help="回访记录")] = "",
    password_file: PasswordFileOption = None,
) -> None:
    """回访：登记申请人的评价，闭环办结。"""
    context = context_of(ctx)
    actor = _signed_in(context, user, password_file)
    context.desk.hard_cases.visit(actor, ref, verdict, note, context.now())
    typer.echo(f"{ref} 已回访，闭环办结")


@assists_app.command("record")
def record(
    ctx: typer.Context,
    way: Annotated[str, typer.Option("--way", help="window 窗口代办、home 上门、mail 邮寄")],
    for_whom: Annotated[
        str,
        typer.Option(
            "--for", help="elderly 老年人、disabled 残疾人、enterprise 企业项目、other 其他"
        ),
    ],
    minutes: Annotated[int, typer.Option("--minutes", help="用时（分钟）")],
    user: UserOption,
    note: Annotated[str, typer.Option("--note", help="备注（“其他”须写明是谁）")] = "",
    case: Annotated[str, typer.Option("--case", help="办件编号（可不填）")] = "",
    password_file: PasswordFileOption = None,
) -> None:
    """登记一次帮代办（登录的用户即帮办人）。"""
    context = context_of(ctx)
    actor = _signed_in(context, user, password_file)
    context.desk.hard_cases.record_assist(
        actor,
        way=way,
        for_whom=for_whom,
        minutes=minutes,
        note=note,
        case_number=case,
        now=context.now(),
    )
    typer.echo("已登记帮代办")


@assists_app.command("list")
def list_assists(
    ctx: typer.Context,
    first: Annotated[str | None, typer.Option("--from", help="起始日期（默认今天）")] = None,
    last: Annotated[str | None, typer.Option("--to", help="截止日期（默认同起始日期）")] = None,
    case: Annotated[str, typer.Option("--case", help="只列出这个办件的")] = "",
    as_json: JsonOption = False,
) -> None:
    """列出帮代办记录，最新的在前。"""
    context = context_of(ctx)
    start = context.day(first)
    end = context.day(last) if last else start
    if end < start:
        raise UserError(f"截止日期 {end} 早于起始日期 {start}")
    lines = context.desk.hard_cases.assists(start, end, case_number=case)
    if as_json:
        echo_json(
            [
                {
                    "at": a.at.isoformat(),
                    "assistant": a.assistant,
                    "way": a.way,
                    "for": a.for_whom,
                    "minutes": a.minutes,
                    "note": a.note,
                    "case": a.case_number,
                }
                for a in lines
            ]
        )
        return
    for a in lines:
        on_case = f"  {a.case_number}" if a.case_number else ""
        typer.echo(
            f"{a.at:%Y-%m-%d %H:%M}  {a.assistant}  {a.way_label}  {a.for_whom_label}  "
            f"{a.minutes} 分钟{on_case}  {a.note}"
        )
    typer.echo(f"共 {len(lines)} 次，{sum(a.minutes for a in lines)} 分钟")
