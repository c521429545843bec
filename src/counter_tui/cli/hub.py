"""`counter-tui hub …`: the county hub. `serve` runs the sync API (hub/serve.py) on the hub's
own database; `enroll`, `revoke`, `sites`, `problems` and `quarantine list|retry|resolve` are
the county's sync desk, through the hub door (desk/hub.py); `import` takes a site's bundle and
writes its reply (desk/files.py). FastAPI and uvicorn are imported inside `serve` only, so
`--help` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counter_tui.cli.admin import sign_in_admin
from counter_tui.cli.context import context_of
from counter_tui.cli.options import AdminOption, AdminPasswordFileOption, JsonOption
from counter_tui.cli.output import echo_json, local_minute, pad, utc_iso
from counter_tui.cli.sync import _with_progress, problem_json, problem_lines
from counter_tui.desk.sync_words import (
    VIA_LABELS,
    WAITING_LABELS,
    duration_words,
    level_label,
    offset_words,
)
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from counter_tui.desk.hub import EnrolledSite
    from counter_tui.sync.quarantine import Waiting

#: Mirrors desk.hub.SILENT_AFTER (not imported: desk.hub pulls SQLModel in, and --help must
#: stay light); a test checks they agree.
SILENT_DAYS = 3

hub_app = typer.Typer(
    help="县级中心：提供同步服务，登记、撤销下属站点，查看站点与同步问题。", no_args_is_help=True
)


@hub_app.command("serve")
def hub_serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="监听端口")] = 8470,
    workers: Annotated[
        int, typer.Option("--workers", help="工作进程数（PostgreSQL 上可多个）")
    ] = 1,
    ssl_keyfile: Annotated[
        Path | None, typer.Option("--ssl-keyfile", help="TLS 私钥文件（与 --ssl-certfile 同用）")
    ] = None,
    ssl_certfile: Annotated[
        Path | None, typer.Option("--ssl-certfile", help="TLS 证书文件（含中间证书链）")
    ] = None,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option("--forwarded-allow-ips", help="信任其 X-Forwarded-* 头的反向代理地址"),
    ] = "127.0.0.1",
) -> None:
    """在本数据库（须为县级站点）上提供同步接口，直到停止（Ctrl+C）。"""
    from counter_tui.hub.serve import Listen, serve

    context = context_of(ctx)
    listen = Listen(host, port, workers, ssl_keyfile, ssl_certfile, forwarded_allow_ips)
    serve(context.settings.db_url, listen)


@hub_app.command("enroll")
def hub_enroll(
    ctx: typer.Context,
    site: Annotated[str, typer.Argument(help="站点编码，如 421202-XA-BYQ")],
    name: Annotated[str, typer.Option("--name", help="站点名称")],
    level: Annotated[str, typer.Option("--level", help="层级：village、town 或 county")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """登记一个站点，打印一次性登记码（需管理员登录）。"""
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    enrolment = context.desk.hub.enrol(actor, site, name, level)
    typer.echo(f"站点 {enrolment.site} 的一次性登记码：{enrolment.code}")
    typer.echo(f"有效期至 {local_minute(enrolment.expires_at)}，只能使用一次。在该站点运行：")
    typer.echo(f"  counter-tui sync register --hub 中心地址 --code {enrolment.code}")


@hub_app.command("import")
def hub_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="站点导出的同步文件")],
    reply: Annotated[Path, typer.Option("--reply", help="要写入的回执文件（带回站点导入）")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """导入站点的同步文件，并写出给该站点的回执（需管理员登录）。"""
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    door = context.desk.files
    done = _with_progress(lambda progress: door.import_bundle(actor, file, reply, progress))
    typer.echo(
        f"已导入站点 {done.site} 的同步文件：新保存 {done.stored} 条事件，"
        f"{done.repeated} 条此前已有"
    )
    if done.given_back:
        typer.echo(
            f"中心保存的站点 {done.site} 本站事件比该文件导出时站点所知的多 {done.given_back} 条"
            "（导出后又在线同步过，或站点从旧备份恢复）：回执附上这些事件，站点已有的会跳过；"
            "若是从旧备份恢复，站点导入回执后请再导出一次，带回中心导入"
        )
    typer.echo(
        f"回执已写入 {done.reply}（{done.sent} 条事件），请带回站点运行 counter-tui sync import"
    )


@hub_app.command("revoke")
def hub_revoke(
    ctx: typer.Context,
    site: Annotated[str, typer.Argument(help="站点编码")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """立即撤销一个站点的访问（其设备凭证作废；需管理员登录）。"""
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    found = context.desk.hub.revoke(actor, site)
    typer.echo(f"已撤销站点 {found.site}（{found.name}）的访问；重新登记后方可再同步")


@hub_app.command("sites")
def hub_sites(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """列出登记的站点：层级、最近联系（在线或文件）、中心保存的事件、隔离中的事件、时钟偏差、
    程序版本、静默多久；久未联系的站点以 ! 标出。"""
    sites = context_of(ctx).desk.hub.sites()
    if as_json:
        echo_json([site_json(s) for s in sites])
        return
    if not sites:
        typer.echo("尚未登记任何站点（counter-tui hub enroll 站点编码 --name 名称 --level 层级）")
        return
    typer.echo(SITES_HEADER)
    for s in sites:
        for line in site_lines(s):
            typer.echo(line)
    silent = sum(1 for s in sites if s.silent)
    if silent:
        typer.echo(f"! 已静默超过 {SILENT_DAYS} 天的站点：{silent} 个")


#: (heading, width in terminal columns) of `hub sites`: 74 columns with the mark.
SITE_COLUMNS = (
    ("", 2),
    ("站点", 16),
    ("层级", 5),
    ("最近联系", 12),
    ("方式", 5),
    ("事件", 7),
    ("隔离", 5),
    ("时钟", 8),
    ("版本", 8),
    ("静默", 0),
)
SITES_HEADER = "".join(pad(h, w) if w else h for h, w in SITE_COLUMNS)


def site_lines(s: EnrolledSite) -> list[str]:
    """A site in `hub sites`: its figures, then its name and state, indented."""
    seen = local_minute(s.last_seen_at)[5:] if s.last_seen_at else "从未"
    cells = (
        "!" if s.silent else "",
        s.site,
        level_label(s.level, short=True),
        seen,
        VIA_LABELS.get(s.contact_via, s.contact_via),
        str(s.events),
        str(s.waiting),
        offset_words(s.clock_offset_ms),
        s.app_version or "—",
        duration_words(s.silent_for),
    )
    row = "".join(pad(c, w) if w else c for c, (_h, w) in zip(cells, SITE_COLUMNS, strict=True))
    return [row.rstrip(), f"    {s.name} · {site_state(s)}"]


def site_state(s: EnrolledSite) -> str:
    if s.revoked_at:
        return f"已撤销 {local_minute(s.revoked_at)}"
    if s.registered_at:
        return f"已注册 {local_minute(s.registered_at)}"
    return f"待注册（登记于 {local_minute(s.enrolled_at)}）"


def site_json(s: EnrolledSite) -> dict[str, Any]:
    """A site in `hub sites --json`: the keys are stable (scripts read them)."""
    return {
        "site": s.site,
        "name": s.name,
        "level": s.level,
        "enrolled_at": utc_iso(s.enrolled_at),
        "registered_at": utc_iso(s.registered_at),
        "revoked_at": utc_iso(s.revoked_at),
        "last_seen_at": utc_iso(s.last_seen_at),
        "contact_via": s.contact_via or None,
        "events": s.events,
        "waiting": s.waiting,
        "clock_offset_ms": s.clock_offset_ms,
        "app_version": s.app_version or None,
        "silent_seconds": int(s.silent_for.total_seconds()),
        "silent": s.silent,
    }


quarantine_app = typer.Typer(
    help="隔离中的事件：中心收到却无法应用的事件（未知类型、无法应用），重试或处理。",
    no_args_is_help=True,
)
hub_app.add_typer(quarantine_app, name="quarantine")


@quarantine_app.command("list")
def quarantine_list(
    ctx: typer.Context,
    site: Annotated[str | None, typer.Option("--site", help="只列出这个站点的")] = None,
    as_json: JsonOption = False,
) -> None:
    """列出隔离中、等待管理员处理的事件及原因（最早收到的在前）。"""
    from counter_tui.actor import Actor

    desk = context_of(ctx).desk
    held = desk.hub.quarantined(Actor.command_line(desk.node.site), site)
    if as_json:
        echo_json([waiting_json(w) for w in held])
        return
    if not held:
        typer.echo("没有隔离中的事件" + (f"（站点 {site}）" if site else ""))
        return
    for line in waiting_lines(held):
        typer.echo(line)


@quarantine_app.command("retry")
def quarantine_retry(
    ctx: typer.Context,
    event_id: Annotated[str | None, typer.Argument(help="事件编号（或用 --all）")] = None,
    every: Annotated[bool, typer.Option("--all", help="重试全部隔离中的事件")] = False,
    site: Annotated[
        str | None, typer.Option("--site", help="与 --all 同用：只重试这个站点的")
    ] = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """重新应用隔离中的事件（例如升级程序、认识了它的类型之后；需管理员登录）。"""
    if (event_id is None) == (not every):
        raise UserError("请指定一条事件的编号，或用 --all 重试全部（二者选一）")
    if site and not every:
        raise UserError("--site 只能与 --all 同用")
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    done = context.desk.hub.retry(actor, event_id, site=site)
    typer.echo(f"重试完成：已应用 {len(done.applied)} 条，仍在隔离 {len(done.still_waiting)} 条")
    for line in waiting_lines(done.still_waiting):
        typer.echo(f"  {line}")


@quarantine_app.command("resolve")
def quarantine_resolve(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="事件编号")],
    note: Annotated[str, typer.Option("--note", help="处理说明：为什么这条事件不再应用")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """认定一条隔离中的事件不再应用：问题关闭并记下说明、处理人和时间，事件本身仍保留（需管理员登录）。"""
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    done = context.desk.hub.resolve(actor, event_id, note)
    typer.echo(f"已处理：事件 {done.event_id}（{done.site}，{done.type}）不再应用，仍保留在中心")


def waiting_lines(held: list[Waiting]) -> list[str]:
    """Two lines per waiting event: which, from where, of what type, since when; then why."""
    lines = []
    for w in held:
        status = WAITING_LABELS.get(w.status, w.status)
        at = local_minute(w.received_at) or "—"
        lines.append(f"{w.event_id}  {w.site}  {w.type}  {status}  收到 {at}")
        lines.append(f"    原因：{w.reason}")
    return lines


def waiting_json(w: Waiting) -> dict[str, Any]:
    return {
        "event_id": w.event_id,
        "site": w.site,
        "type": w.type,
        "status": w.status,
        "reason": w.reason,
        "actor": w.actor,
        "hlc": w.hlc,
        "received_at": utc_iso(w.received_at),
        "problem_id": w.problem_id or None,
    }


@hub_app.command("problems")
def hub_problems(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """列出尚未解决的同步问题（篡改、断链、未知或无法应用的事件、时钟超前）。"""
    problems = context_of(ctx).desk.hub.problems()
    if as_json:
        echo_json([problem_json(p) for p in problems])
        return
    if not problems:
        typer.echo("没有未解决的同步问题")
        return
    for line in problem_lines(problems):
        typer.echo(line)
