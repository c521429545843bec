"""`counter-tui users …`: the node's accounts, through the application layer's accounts door.

Every change signs an administrator in (admin.py); `reset-admin` instead needs the owner of
the database (desk/recovery.py), for when no administrator can sign in. An account is named by
its user name and site (`--site`, the node's own by default): at the county hub, the county's
administrator manages the accounts of every site the hub knows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counter_tui.cli.admin import sign_in_admin
from counter_tui.cli.context import CliContext, context_of
from counter_tui.cli.options import AdminOption, AdminPasswordFileOption, JsonOption
from counter_tui.cli.output import echo_json
from counter_tui.cli.passwords import read_new_password
from counter_tui.errors import UserError

SiteOption = Annotated[
    str | None,
    typer.Option(
        "--site", help="账号所属站点编码（默认本机站点；县级平台管理员可管理已登记站点的账号）"
    ),
]

users_app = typer.Typer(
    help="账号：新增、列出、改密码、停用、启用（除列出外需管理员登录）。", no_args_is_help=True
)


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="用户名（小写字母开头）")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="角色：clerk 窗口人员、approver 后台审批、supervisor 督查管理、"
            "admin 管理员、trainer 培训讲师",
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="姓名")],
    department: Annotated[
        str | None, typer.Option("--department", help="所属部门编码（后台审批人员必填）")
    ] = None,
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从文件第一行读取新账号的密码（不交互）")
    ] = None,
    site: SiteOption = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """新增账号（需管理员登录）。"""
    from counter_tui.accounts.rules import role_problem, username_problem

    for problem in (username_problem(username), role_problem(role, department)):
        if problem:
            raise UserError(problem)
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    accounts = context.desk.accounts
    if site:  # before the password is typed, not after
        accounts.require_site(actor, site)
    if role == "approver" and department:
        problem = accounts.department_problem(department)
        if problem:
            raise UserError(problem)
    password = read_new_password(password_file, f"{username} 的密码")
    accounts.add(
        actor,
        username=username,
        name=name,
        role=role,
        password=password,
        department=department,
        site=site,
    )
    typer.echo(f"已新增账号 {username}（{name}）{_of_site(context, site)}")


@users_app.command("list")
def users_list(
    ctx: typer.Context,
    site: Annotated[
        str | None, typer.Option("--site", help="只列出这个站点的账号（默认列出本机所有账号）")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """列出账号（县级平台上列出各站点的账号）。"""
    from counter_tui.accounts.rules import role_label

    context = context_of(ctx)
    own = context.desk.node.site
    rows = [
        {
            "site": a.site,
            "username": a.username,
            "name": a.name,
            "role": a.role,
            "department": a.department,
            "disabled": a.disabled,
            "locked": a.locked,
            "last_login_at": a.last_login_at.isoformat() if a.last_login_at else None,
        }
        for a in context.desk.accounts.accounts(site)
    ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        flags = ("（已停用）" if row["disabled"] else "") + ("（已锁定）" if row["locked"] else "")
        dept = f" 部门 {row['department']}" if row["department"] else ""
        where = f" 站点 {row['site']}" if row["site"] != own else ""
        typer.echo(
            f"{row['username']:<16} {row['name']}  {role_label(str(row['role']))}"
            f"{dept}{where}{flags}"
        )


@users_app.command("passwd")
def users_passwd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="用户名")],
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从文件第一行读取新密码（不交互）")
    ] = None,
    site: SiteOption = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """重设密码（同时解除锁定；需管理员登录）。"""
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    accounts = context.desk.accounts
    if site:
        accounts.require_site(actor, site)
    if not accounts.exists(username, site):
        raise UserError(f"没有这个用户：{username}{_of_site(context, site)}")
    password = read_new_password(password_file, f"{username} 的新密码")
    accounts.change_password(actor, username, password, site)
    typer.echo(f"已重设 {username}{_of_site(context, site)} 的密码")


@users_app.command("reset-admin")
def users_reset_admin(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="管理员用户名（不存在时新建）")],
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从文件第一行读取新密码（不交互）")
    ] = None,
) -> None:
    """找回管理员：忘记管理员密码时重设（并解除锁定、停用）。

    不需要管理员登录，但只能由数据库文件所属的系统用户执行（PostgreSQL：--db 地址使用数据库
    所有者的账号）；日志记为 recovery:系统用户名。
    """
    from counter_tui.accounts.rules import username_problem

    problem = username_problem(username)
    if problem:
        raise UserError(problem)
    accounts = context_of(ctx).desk.accounts
    problem = accounts.recovery_problem()
    if problem:
        raise UserError(problem)
    password = read_new_password(password_file, f"管理员 {username} 的新密码")
    created = accounts.recover_admin(username, password)
    what = "已新建管理员" if created else "已重设管理员"
    typer.echo(f"{what} {username} 的密码（记入日志：由系统用户找回）")


@users_app.command("disable")
def users_disable(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="用户名")],
    site: SiteOption = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """停用账号（不删除，历史记录保留；需管理员登录）。"""
    context = context_of(ctx)
    _set_disabled(context, username, site, True, admin, admin_password_file)
    typer.echo(f"已停用 {username}{_of_site(context, site)}")


@users_app.command("enable")
def users_enable(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="用户名")],
    site: SiteOption = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """重新启用账号（需管理员登录）。"""
    context = context_of(ctx)
    _set_disabled(context, username, site, False, admin, admin_password_file)
    typer.echo(f"已启用 {username}{_of_site(context, site)}")


def _set_disabled(
    context: CliContext,
    username: str,
    site: str | None,
    disabled: bool,
    admin: str | None,
    admin_password_file: Path | None,
) -> None:
    actor = sign_in_admin(context, admin, admin_password_file)
    context.desk.accounts.set_disabled(actor, username, disabled, site)


def _of_site(context: CliContext, site: str | None) -> str:
    """（站点 …） after a user name of another site than the node's; nothing for its own."""
    return f"（站点 {site}）" if site and site != context.desk.node.site else ""
