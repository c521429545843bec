"""`counter-tui sync …`: this node's link to its county hub, through the sync door (desk/sync.py).

`register` redeems the hub's one-time code; `now` runs one round (push, then pull), with a
progress bar when a person watches a long catch-up; `status` says where sync stands. Without a
network, `export` writes a signed bundle for the hub and `import` takes the hub's reply
(desk/files.py). A refusal
or a failure is one Chinese line on stderr and exit code 2 (SyncFailed is a UserError).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from counter_tui.cli.context import context_of
from counter_tui.cli.options import JsonOption
from counter_tui.cli.output import echo_json, local_minute, utc_iso

if TYPE_CHECKING:
    from counter_tui.desk.records import Problem, Rejection, SyncRound, SyncStatus

sync_app = typer.Typer(
    help="与县级中心同步：登记本站点、立即同步、查看同步状态、从中心恢复本站点；无网络时用同步文件导出、导入。",
    no_args_is_help=True,
)

#: How far the hub's clock may be from this PC's before the status warns (ms).
CLOCK_WARNING_MS = 5 * 60 * 1000


@sync_app.command("register")
def sync_register(
    ctx: typer.Context,
    hub: Annotated[str, typer.Option("--hub", help="中心地址，如 https://zwfw.example.gov.cn")],
    code: Annotated[str, typer.Option("--code", help="中心管理员给出的一次性登记码")],
) -> None:
    """用中心给出的一次性登记码登记本站点，保存设备凭证。"""
    status = context_of(ctx).desk.sync.register(hub, code)
    name = f"（{status.hub_name}）" if status.hub_name else ""
    typer.echo(f"已登记到中心 {status.hub_url}{name}。运行 counter-tui sync now 开始同步")


@sync_app.command("restore")
def sync_restore(
    ctx: typer.Context,
    hub: Annotated[str, typer.Option("--hub", help="中心地址，如 https://zwfw.example.gov.cn")],
    code: Annotated[
        str, typer.Option("--code", help="中心管理员重新生成的一次性登记码（hub enroll 站点）")
    ],
    site: Annotated[
        str, typer.Option("--site", help="站点编码（可不填：登记码所属的站点；填了须一致）")
    ] = "",
) -> None:
    """在新电脑上从中心恢复本站点：本站全部记录、须知的其他记录、同步位置；中断后可再次运行继续。"""
    from counter_tui.desk.restore import restore_node

    context = context_of(ctx)
    settings = context.settings
    if sys.stdout.isatty():
        with _progress_bar() as progress:
            done = restore_node(settings, hub, code, site=site, progress=progress)
    else:
        done = restore_node(settings, hub, code, site=site, progress=_plain_progress())
    again = "（继续了上次中断的恢复）" if done.resumed else ""
    typer.echo(
        f"已从中心恢复站点 {done.site}（{done.site_name}）{again}：本站记录 {done.own} 条，"
        f"中心发来的记录 {done.pulled} 条。数据库：{settings.db_url}"
    )
    typer.echo("原有用户可用原密码登录；本机的办件编号接着中心保存的最后一号")


@sync_app.command("now")
def sync_now(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """立即同步一轮：上传本站点的新事件，下载中心发来的事件。"""
    door = context_of(ctx).desk.sync
    if as_json or not sys.stdout.isatty():
        done = door.run(None if as_json else _plain_progress())
    else:
        with _progress_bar() as progress:
            done = door.run(progress)
    if as_json:
        echo_json(_round_json(done))
        return
    typer.echo(f"同步完成：上传 {done.pushed} 条，下载并应用 {done.pulled} 条")
    if done.taken_back:
        typer.echo(
            f"本机是从旧备份恢复的：从中心取回本站记录 {done.taken_back} 条，"
            f"本机新记录 {done.rechained} 条接在其后"
        )
    for old, new in done.renumbered:
        typer.echo(f"办件编号 {old} 与中心保存的本站办件重号，已改为 {new}：请告知申请人")
    if done.flagged:
        typer.echo(f"有 {done.flagged} 条事件未能应用，已记为同步问题（请告知县级管理员）")
    for r in done.rejections:
        typer.echo(
            f"未生效：{r.author} 对办件 {r.case_number or r.case_id} 的「{r.action}」：{r.reason}"
        )
    _clock_warning(done.status)


@sync_app.command("status")
def sync_status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """本站点的同步状态：中心、待上传事件、最近成功、离线时长、最近错误、未解决的同步问题。"""
    desk = context_of(ctx).desk
    status = desk.sync.status()
    if as_json:
        problems = desk.sync.problems() if status.problems else []
        echo_json(_status_json(status) | {"problem_list": [problem_json(p) for p in problems]})
        return
    if status.demo:
        typer.echo("演示（培训）数据库：不同步")
        return
    if not status.registered:
        typer.echo("尚未登记到中心（counter-tui sync register --hub 地址 --code 登记码）")
        return
    name = f"（{status.hub_name}）" if status.hub_name else ""
    typer.echo(f"中心：{status.hub_url}{name}")
    typer.echo(f"待上传：{status.pending} 条事件")
    success = local_minute(status.last_success_at) or "从未成功"
    typer.echo(f"最近成功：{success}")
    if status.offline_since:
        typer.echo(f"离线自：{local_minute(status.offline_since)}")
    if status.last_error:
        typer.echo(f"最近错误：{status.last_error}")
    if status.problems:
        typer.echo(f"未解决的同步问题：{status.problems} 个")
        for line in problem_lines(desk.sync.problems()):
            typer.echo(f"  {line}")
    _clock_warning(status)


@sync_app.command("export")
def sync_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="要写入的同步文件，如 /media/u盘/白云桥村.ctb")],
) -> None:
    """无网络时：把本站点尚未上传的事件写入一个签名的同步文件，带到中心导入。"""
    door = context_of(ctx).desk.files
    done = _with_progress(lambda progress: door.export(file, progress))
    typer.echo(
        f"已导出 {done.events} 条事件到 {done.path}（{_size(done.size_bytes)}）。"
        "请在中心运行 counter-tui hub import，再把回执带回本站点导入"
    )


@sync_app.command("import")
def sync_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="中心写出的回执文件")],
    as_json: JsonOption = False,
) -> None:
    """导入中心的回执文件：应用中心发来的事件，更新中心已保存的本站点事件数。"""
    door = context_of(ctx).desk.files
    if as_json:
        done = door.take_reply(file)
        echo_json(
            {
                "applied": done.applied,
                "repeated": done.repeated,
                "flagged": done.flagged,
                "recovered": done.recovered,
                "rechained": done.rechained,
                "renumbered": [{"old": old, "new": new} for old, new in done.renumbered],
                "reference": done.reference,
                "rejections": [_rejection_json(r) for r in done.rejections],
            }
        )
        return
    done = _with_progress(lambda progress: door.take_reply(file, progress))
    typer.echo(f"已导入回执：应用 {done.applied} 条事件，{done.repeated} 条此前已有")
    if done.recovered:
        typer.echo(f"从中心取回本站点事件 {done.recovered} 条")
    if done.rechained:
        typer.echo(
            f"本机恢复后记录的 {done.rechained} 条事件已排在其后：请再导出一次，带到中心导入"
        )
    for old, new in done.renumbered:
        typer.echo(f"办件编号 {old} 与中心保存的本站办件重号，已改为 {new}：请告知申请人")
    if done.reference:
        typer.echo(f"已采用中心的{'、'.join(done.reference)}")
    if done.flagged:
        typer.echo(f"有 {done.flagged} 条事件未能应用，已记为同步问题（请告知县级管理员）")
    for r in done.rejections:
        typer.echo(
            f"未生效：{r.author} 对办件 {r.case_number or r.case_id} 的「{r.action}」：{r.reason}"
        )


T = TypeVar("T")


def _with_progress(work: Callable[[Progress | None], T]) -> T:
    """Run `work` with a rich progress bar when a person watches, else one line per page on
    stderr."""
    if not sys.stdout.isatty():
        return work(_plain_progress())
    with _progress_bar() as progress:
        return work(progress)


def _size(size_bytes: int) -> str:
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:.1f} KB"
    return f"{size_bytes / 1024 / 1024:.1f} MB"


def _rejection_json(r: Rejection) -> dict[str, Any]:
    return {
        "case_id": r.case_id,
        "case_number": r.case_number,
        "author": r.author,
        "action": r.action,
        "reason": r.reason,
        "at": utc_iso(r.at),
    }


def problem_lines(problems: list[Problem]) -> list[str]:
    """One line per sync problem: when, which site, what kind, which event, why."""
    lines = []
    for p in problems:
        event = f" 事件 {p.event_id}" if p.event_id else ""
        lines.append(
            f"{local_minute(p.at)}  {p.site}  {PROBLEM_KINDS.get(p.kind, p.kind)}{event}："
            f"{p.detail}"
        )
    return lines


def problem_json(p: Problem) -> dict[str, Any]:
    return {
        "id": p.id,
        "at": utc_iso(p.at),
        "site": p.site,
        "kind": p.kind,
        "event_id": p.event_id,
        "detail": p.detail,
    }


#: sync_problem kinds as people call them.
PROBLEM_KINDS = {
    "tampered": "疑似篡改",
    "chain": "链不接续",
    "unknown_type": "未知事件类型",
    "quarantined": "无法应用",
    "clock_ahead": "时钟超前",
    "renumbered": "办件改号",
    "fork": "站点分叉",
}


def _clock_warning(status: SyncStatus) -> None:
    if abs(status.hub_offset_ms) > CLOCK_WARNING_MS:
        minutes = round(status.hub_offset_ms / 60000)
        side = "慢" if minutes > 0 else "快"
        typer.echo(f"注意：本机时钟比中心{side}约 {abs(minutes)} 分钟，请校准本机时间", err=True)


def _status_json(status: SyncStatus) -> dict[str, Any]:
    return {
        "demo": status.demo,
        "registered": status.registered,
        "hub_url": status.hub_url,
        "hub_name": status.hub_name,
        "pending": status.pending,
        "last_success_at": utc_iso(status.last_success_at),
        "last_attempt_at": utc_iso(status.last_attempt_at),
        "offline_since": utc_iso(status.offline_since),
        "last_error": status.last_error,
        "hub_offset_ms": status.hub_offset_ms,
        "problems": status.problems,
    }


def _round_json(done: SyncRound) -> dict[str, Any]:
    return {
        "pushed": done.pushed,
        "pulled": done.pulled,
        "flagged": done.flagged,
        "taken_back": done.taken_back,
        "rechained": done.rechained,
        "renumbered": [{"old": old, "new": new} for old, new in done.renumbered],
        "rejections": [_rejection_json(r) for r in done.rejections],
        "status": _status_json(done.status),
    }


Progress = Callable[[str, int, "int | None"], None]


def _plain_progress() -> Progress:
    """One line per page, on stderr (stdout is a script's): nothing for a round with no work."""

    def report(what: str, done: int, total: int | None) -> None:
        if total is None:
            typer.echo(f"{what}：{done} 条", err=True)
        elif done < total:
            typer.echo(f"{what}：{done}/{total} 条", err=True)

    return report


@contextmanager
def _progress_bar() -> Iterator[Progress]:
    """A rich progress bar: upload with its total, download counting up (its total unknown)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True
    ) as bar:
        tasks: dict[str, Any] = {}

        def report(what: str, done: int, total: int | None) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        yield report
