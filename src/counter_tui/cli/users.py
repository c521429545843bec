"""`counter-tui users …`: the node's accounts, through the application layer's accounts door.

Every change signs an administrator in (admin.py); `reset-admin` instead needs the owner of
the database (desk/recovery.py), for when no administrator can sign in.
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
    if role == "approver" and department:  # before the password is typed, not after
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
    )
    typer.echo(f"已新增账号 {username}（{name}）")


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """列出账号。"""
    from counter_tui.accounts.rules import role_label

    rows = [
        {
            "username": a.username,
            "name": a.name,
            "role": a.role,
            "department": a.department,
            "disabled": a.disabled,
            "locked": a.locked,
            "last_login_at": a.last_login_at.isoformat() if a.last_login_at else None,
        }
        for a in context_of(ctx).desk.accounts.accounts()
    ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        flags = ("（已停用）" if row["disabled"] else "") + ("（已锁定）" if row["locked"] else "")
        dept = f" 部门 {row['department']}" if row["department"] else ""
        typer.echo(
            f"{row['username']:<16} {row['name']}  {role_label(str(row['role']))}{dept}{flags}"
        )


@users_app.command("passwd")
def users_passwd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="用户名")],
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从文件第一行读取新密码（不交互）")
    ] = None,
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """重设密码（同时解除锁定；需管理员登录）。"""
    context = context_of(ctx)
    actor = sign_in_admin(context, admin, admin_password_file)
    accounts = context.desk.accounts
    if not accounts.exists(username):
        raise UserError(f"没有这个用户：{username}")
    password = read_new_password(password_file, f"{username} 的新密码")
    accounts.change_password(actor, username, password)
    typer.echo(f"已重设 {username} 的密码")


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
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """停用账号（不删除，历史记录保留；需管理员登录）。"""
    _set_disabled(context_of(ctx), username, True, admin, admin_password_file)
    typer.echo(f"已停用 {username}")


@users_app.command("enable")
def users_enable(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="用户名")],
    admin: AdminOption = None,
    admin_password_file: AdminPasswordFileOption = None,
) -> None:
    """重新启用账号（需管理员登录）。"""
    _set_disabled(context_of(ctx), username, False, admin, admin_password_file)
    typer.echo(f"已启用 {username}")


def _set_disabled(
    context: CliContext,
    username: str,
    disabled: bool,
    admin: str | None,
    admin_password_file: Path | None,
) -> None:
    actor = sign_in_admin(context, admin, admin_password_file)
    context.desk.accounts.set_disabled(actor, username, disabled)
