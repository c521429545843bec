"""`counter-tui queue …`: the queue from the command line, for a kiosk, scripts and tests.

The window steps (issue, call, recall, no-show, finish, book, check-in, cancel) need no sign-in:
a kiosk and a hall's scripts run them unattended, and they change no account and no reference
data. They act as the CLI's `operator` (Actor.command_line), which may do these steps and nothing
else; the journal names the system user. Loading the hall's set-up (`setup FILE`) changes what
every window does, so it signs an administrator in. Each command is one call of the application
layer's queue door: one short transaction, like a window's key press.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counter_tui.cli.admin import sign_in_admin
from counter_tui.cli.context import CliContext, context_of
from counter_tui.cli.options import AdminOption, AdminPasswordFileOption, JsonOption
from counter_tui.cli.output import echo_json
from counter_tui.cli.queue_stats import stats
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from counter_tui.queue.reads import Ticket

queue_app = typer.Typer(help="排队叫号：取号、叫号、查看排队、大厅设置。", no_args_is_help=True)
queue_app.command("stats")(stats)


def _ticket_json(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "number": ticket.number,
        "category": ticket.category,
        "state": ticket.state,
        "day": ticket.day.isoformat(),
        "issued_at": ticket.issued_at.isoformat(),
        "priority": ticket.priority,
        "priority_reason": ticket.priority_reason,
        "window": ticket.window or None,
        "calls": ticket.calls,
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
    }


@queue_app.command("issue")
def issue(
    ctx: typer.Context,
    category: Annotated[str, typer.Argument(help="取号类别，如 A")],
    priority: Annotated[
        str | None,
        typer.Option("--priority", help="绿色通道及原因，如 --priority 老年人"),
    ] = None,
    width: Annotated[
        int, typer.Option("--width", help="号票每行字符数：80mm 为 48，58mm 为 32")
    ] = 48,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（含号票文字 slip）")] = False,
) -> None:
    """取一个号，打印号票文字（自助取号机把它送到小票打印机）。"""
    from counter_tui.queue.slip import slip_text

    if priority is not None and not priority.strip():
        raise UserError("--priority 需写明原因，如 老年人、残疾人、孕妇")
    context = context_of(ctx)
    ticket, slip = context.desk.queue.issue_at_kiosk(
        context.operator(), category, priority or "", context.now()
    )
    text = slip_text(slip, max(16, width))
    if as_json:
        echo_json(_ticket_json(ticket) | {"ahead": slip.ahead, "slip": text})
        return
    typer.echo(text, nl=False)


@queue_app.command("call")
def call(
    ctx: typer.Context,
    window: Annotated[str, typer.Option("--window", help="窗口号，如 3")],
    as_json: JsonOption = False,
) -> None:
    """为窗口叫下一位（预约号、绿色通道优先，普通号不会被一直跳过）。"""
    ticket = _window_step(context_of(ctx), window, "call_next")
    if as_json:
        echo_json(_ticket_json(ticket) if ticket else None)
        return
    if ticket is None:
        typer.echo(f"{window} 号窗口：当前没有等候的号")
        return
    typer.echo(f"请 {ticket.number} 号到 {window} 号窗口")


@queue_app.command("status")
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """各类别等候人数、各窗口当前叫号、往日未结的号。"""
    context = context_of(ctx)
    now = context.now()
    shown = context.desk.queue.board(now)
    if as_json:
        echo_json(
            {
                "day": shown.day.isoformat(),
                "waiting": {w.prefix: w.count for w in shown.waiting},
                "current": [
                    {
                        "number": c.number,
                        "window": c.window,
                        "calls": c.calls,
                        "serving": c.serving,
                        "at": c.at.isoformat(),
                    }
                    for c in shown.current
                ],
                "leftovers": shown.leftovers,
            }
        )
        return
    typer.echo(f"{shown.day.isoformat()} 等候：")
    for w in shown.waiting:
        typer.echo(f"  {w.prefix} {w.name}：{w.count} 人")
    if shown.current:
        typer.echo("窗口：")
        for c in shown.current:
            what = "办理中" if c.serving else f"已叫号（第 {c.calls} 次）"
            typer.echo(f"  {c.window} 号窗口  {c.number}  {what}  {c.at:%H:%M:%S}")
    else:
        typer.echo("窗口：暂无叫号")
    if shown.leftovers:
        typer.echo(f"往日未结的号：{shown.leftovers} 张（请在叫号界面逐一关闭）")


@queue_app.command("setup")
def setup(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="大厅叫号设置文件（TOML）；不写则显示当前设置")
    ] = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """载入大厅的取号类别、窗口分工、等候目标和预约时段（载入需管理员登录；查看不需要）。"""
    import tomllib

    from counter_tui.queue import config

    context = context_of(ctx)
    queue = context.desk.queue
    if path is None:
        echo_json(config.to_dict(queue.hall()))
        return
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"找不到设置文件：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取设置文件 {path}：{exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"设置文件语法错误：{path}：{exc}") from None
    try:
        loaded = config.from_dict(data)
    except config.ConfigProblem as problem:
        raise UserError(f"设置文件 {path}：{problem}") from None
    queue.configure(sign_in_admin(context, admin, admin_password_file), loaded)
    names = "、".join(f"{c.prefix} {c.name}" for c in loaded.categories)
    typer.echo(f"已载入大厅叫号设置：{names}；{len(loaded.windows)} 个窗口有专门分工")


def _window_step(context: CliContext, window: str, step: str, **kw: Any) -> Ticket | None:
    """One step at `window` as the command line's operator (queue door: `step`)."""
    return context.desk.queue.step(context.operator(), step, window, context.now(), **kw)


def _held_step(context: CliContext, window: str, step: str, **kw: Any) -> Ticket:
    """A step on the ticket the window holds: it always answers with that ticket."""
    ticket = _window_step(context, window, step, **kw)
    assert ticket is not None
    return ticket


WindowOption = Annotated[str, typer.Option("--window", help="窗口号，如 3")]


@queue_app.command("recall")
def recall(ctx: typer.Context, window: WindowOption) -> None:
    """重呼窗口当前的号；已重呼 3 次的，再按即记为过号。"""
    ticket = _held_step(context_of(ctx), window, "recall")
    if ticket.state == "no_show":
        typer.echo(f"{ticket.number} 已重呼 3 次未到，记为过号")
    else:
        typer.echo(f"请 {ticket.number} 号到 {window} 号窗口（第 {ticket.calls} 次呼叫）")


@queue_app.command("no-show")
def no_show(ctx: typer.Context, window: WindowOption) -> None:
    """过号：叫到的申请人未到窗口。"""
    ticket = _held_step(context_of(ctx), window, "no_show")
    typer.echo(f"{ticket.number} 记为过号")


@queue_app.command("finish")
def finish(
    ctx: typer.Context,
    window: WindowOption,
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome",
            help="办理结果：accepted 已受理、notified 一次性告知、consulted 咨询解答、"
            "refused 不予受理、referred 引导转办、delivered 出件领证、other 其他（需 --note）",
        ),
    ],
    note: Annotated[str, typer.Option("--note", help="说明")] = "",
) -> None:
    """办结窗口当前的号。"""
    ticket = _held_step(context_of(ctx), window, "finish", outcome=outcome, note=note)
    typer.echo(f"{ticket.number} 已办结")


@queue_app.command("book")
def book(
    ctx: typer.Context,
    category: Annotated[str, typer.Argument(help="类别，如 A")],
    day: Annotated[str, typer.Argument(help="日期，如 2026-12-08")],
    slot: Annotated[str, typer.Argument(help="时段，如 09:00-09:30")],
    name: Annotated[str, typer.Option("--name", help="申请人姓名")],
    id_number: Annotated[str, typer.Option("--id", help="居民身份证号码")],
    phone: Annotated[str, typer.Option("--phone", help="联系电话")] = "",
    as_json: JsonOption = False,
) -> None:
    """电话预约：为申请人预约某天的时段，给出 8 位预约码。"""
    context = context_of(ctx)
    values = {
        "category": category,
        "slot": slot,
        "name": name,
        "id_number": id_number,
        "phone": phone,
    }
    operator = context.operator()
    made = context.desk.queue.book(operator, values, context.day(day), "phone", context.now())
    if as_json:
        echo_json(
            {
                "code": made.code,
                "category": made.category,
                "day": made.day.isoformat(),
                "slot": made.slot,
                "state": made.state,
            }
        )
        return
    typer.echo(
        f"已预约 {made.day.isoformat()} {made.slot}（{made.category} 类），预约码 {made.code}"
    )


@queue_app.command("check-in")
def check_in(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="预约码或证件号码（扫码枪可直接输入）")],
) -> None:
    """预约签到：出一张预约号，时段内优先叫号。"""
    context = context_of(ctx)
    ticket, _slip, note = context.desk.queue.check_in(context.operator(), key, context.now())
    typer.echo(f"签到成功：{ticket.number} 号（{note}）")


@queue_app.command("appointments")
def appointments_cmd(
    ctx: typer.Context,
    on: Annotated[str | None, typer.Option("--date", help="哪一天（默认今天）")] = None,
    as_json: JsonOption = False,
) -> None:
    """列出某天的预约（姓名、证件号已脱敏）。"""
    context = context_of(ctx)
    queue = context.desk.queue
    day = context.day(on)
    rows = queue.appointments_of(day)
    if as_json:
        echo_json(
            [
                {
                    "code": a.code,
                    "category": a.category,
                    "slot": a.slot,
                    "name": a.name,
                    "id_number": a.id_number,
                    "state": a.state,
                    "late": a.late,
                }
                for a in rows
            ]
        )
        return
    if not rows:
        typer.echo(f"{day.isoformat()} 没有预约")
        return
    for a in rows:
        typer.echo(f"{a.slot}  {a.category}  {a.code}  {a.name}  {a.id_number}  {a.state_label}")
    typer.echo(f"共 {len(rows)} 个预约")


@queue_app.command("cancel")
def cancel(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="预约码")],
    reason: Annotated[str, typer.Option("--reason", help="取消原因，如 申请人来电取消")],
) -> None:
    """取消一个预约，腾出名额。"""
    context = context_of(ctx)
    made = context.desk.queue.cancel_appointment(context.operator(), code, reason, context.now())
    typer.echo(f"已取消 {made.day.isoformat()} {made.slot} 的预约 {made.code}")
