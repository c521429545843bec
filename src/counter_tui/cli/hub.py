"""`counter-tui hub …`: the county hub. `serve` runs the sync API (hub/serve.py) on the hub's
own database; `enroll`, `revoke`, `sites` and `problems` are the county admin's, through the
hub door (desk/hub.py); `import` takes a site's bundle and writes its reply (desk/files.py).
FastAPI and uvicorn are imported inside `serve` only, so `--help` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counter_tui.cli.admin import sign_in_admin
from counter_tui.cli.context import context_of
from counter_tui.cli.options import AdminOption, AdminPasswordFileOption, JsonOption
from counter_tui.cli.output import echo_json, local_minute, pad, utc_iso
from counter_tui.cli.sync import _with_progress, problem_json, problem_lines

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
            f"站点 {done.site} 缺少中心保存的本站事件（可能从旧备份恢复）：回执附上 "
            f"{done.given_back} 条；站点导入回执后请再导出一次，带回中心导入"
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
    """列出登记的站点：是否已注册、已撤销，最近访问，中心保存的事件数。"""
    sites = context_of(ctx).desk.hub.sites()
    if as_json:
        echo_json(
            [
                {
                    "site": s.site,
                    "name": s.name,
                    "level": s.level,
                    "enrolled_at": utc_iso(s.enrolled_at),
                    "registered_at": utc_iso(s.registered_at),
                    "revoked_at": utc_iso(s.revoked_at),
                    "last_seen_at": utc_iso(s.last_seen_at),
                    "events": s.events,
                }
                for s in sites
            ]
        )
        return
    if not sites:
        typer.echo("尚未登记任何站点（counter-tui hub enroll 站点编码 --name 名称 --level 层级）")
        return
    for s in sites:
        if s.revoked_at:
            state = f"已撤销 {local_minute(s.revoked_at)}"
        elif s.registered_at:
            state = "已注册"
        else:
            state = "待注册"
        seen = local_minute(s.last_seen_at) if s.last_seen_at else "从未访问"
        typer.echo(
            pad(s.site, 22)
            + pad(s.name, 30)
            + pad(state, 24)
            + pad(f"最近 {seen}", 24)
            + f"{s.events} 条事件"
        )


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
