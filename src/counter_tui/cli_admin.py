"""Who may change the node from the command line: an administrator who signs in.

Commands that change accounts, roles, the catalog, the calendar or the hall's set-up take
`--admin NAME` (optional when the node has exactly one administrator) and the password from a
prompt without echo or from `--admin-password-file`. The sign-in is the app's own
(`accounts.service.authenticate`): argon2, the same lockout, and every attempt in the journal;
the command then acts as that administrator, so the journal names them. Anyone who can run the
program can still read (lists, searches, `audit verify`) and work the queue at a window.

`users reset-admin` is the way back in when no administrator can sign in: it needs the
operating-system account that owns the database file (SQLite) or the database's owner role in
the URL (PostgreSQL), see `recovery_problem`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counter_tui.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from counter_tui.actor import Actor

AdminOption = Annotated[
    str | None,
    typer.Option("--admin", help="以哪个管理员身份执行（本机只有一个管理员时可省略）"),
]
AdminPasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--admin-password-file", help="从文件第一行读取管理员密码（不交互；默认在终端输入）"
    ),
]


def read_first_line(path: Path, what: str) -> str:
    """The first line of a password file (the rest is ignored)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"无法读取{what}文件：{path}（{exc.strerror}）") from None
    except UnicodeDecodeError:
        raise UserError(f"{what}文件不是 UTF-8 文本：{path}") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise UserError(f"{what}文件为空：{path}")
    return lines[0]


def sign_in_admin(engine: Engine, admin: str | None, password_file: Path | None) -> Actor:
    """Sign an administrator in (their attempt is recorded and committed whatever the outcome);
    returns them as the actor of the command, or refuses in one Chinese line."""
    from counter_tui.accounts.service import authenticate
    from counter_tui.db import read_session, write_session
    from counter_tui.site.service import node

    with read_session(engine) as session:
        site = node(session).site
        name = admin.strip() if admin else _only_admin(session)
    if password_file is not None:
        password = read_first_line(password_file, "管理员密码")
    elif sys.stdin.isatty():
        # click reads hidden input with getpass: nothing is echoed.
        password = str(typer.prompt(f"管理员 {name} 的密码", hide_input=True))
    else:  # a script or a service: a prompt would echo or hang
        raise UserError(
            "此命令需要管理员登录：没有可输入密码的终端，"
            "请用 --admin-password-file 指定管理员密码文件（读取第一行）"
        )
    # Committed on its own: a wrong password counts towards the lockout even though the
    # command then stops.
    with write_session(engine) as session:
        result = authenticate(session, name, password, site=site)
    if result.actor is None:
        raise UserError(f"管理员登录失败：{result.message}")
    if result.actor.role != "admin":
        raise UserError(f"{name} 不是管理员账号：此命令需要管理员登录（--admin 管理员用户名）")
    return result.actor


def _only_admin(session: Session) -> str:
    from counter_tui.accounts.service import list_users

    admins = [u.username for u in list_users(session) if u.role == "admin" and not u.disabled]
    if len(admins) == 1:
        return admins[0]
    if not admins:
        raise UserError(
            "本机没有可用的管理员账号："
            "请由数据库文件的所有者运行 counter-tui users reset-admin 用户名"
        )
    raise UserError(f"本机有多个管理员，请用 --admin 指定：{'、'.join(admins)}")


# --- recovery ------------------------------------------------------------------------------


def recovery_problem(engine: Engine, sqlite_file: Path | None) -> str | None:
    """None when this process may reset an administrator's password without signing in.

    SQLite: the process runs as the operating-system account that owns the database file and
    may write it. Whoever that is can already rewrite the file, so this gives them nothing
    new; a clerk who can merely open the file (a group or a shared account) is refused.
    PostgreSQL: the URL signs in as the database's owner or a superuser.
    """
    if sqlite_file is not None:
        return file_owner_problem(sqlite_file, _uid())
    from sqlalchemy import text

    query = text(
        "SELECT d.datdba = r.oid OR r.rolsuper FROM pg_database d, pg_roles r "
        "WHERE d.datname = current_database() AND r.rolname = current_user"
    )
    with engine.connect() as conn:
        owner = bool(conn.execute(query).scalar())
    if owner:
        return None
    return (
        "找回管理员只能由数据库的所有者执行：请在 --db 地址中使用数据库所有者（或超级用户）的账号"
    )


def _uid() -> int | None:
    getuid = getattr(os, "getuid", None)
    return getuid() if getuid is not None else None


def file_owner_problem(path: Path, uid: int | None) -> str | None:
    """None when `uid` owns `path` and may write it."""
    try:
        owner = path.stat().st_uid
    except OSError as exc:
        return f"无法读取数据库文件：{path}（{exc.strerror}）"
    if uid is None or owner != uid or not os.access(path, os.W_OK):
        return (
            f"找回管理员只能由数据库文件的所有者执行：{path} 属于系统用户 {_user_name(owner)}，"
            f"请以该用户运行（如 sudo -u {_user_name(owner)} counter-tui users reset-admin …）"
        )
    return None


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def recovery_actor(engine: Engine) -> Actor:
    """The actor of a recovery: the operating-system account, named as such in the journal."""
    from counter_tui.actor import Actor, os_user
    from counter_tui.db import read_session
    from counter_tui.site.service import node

    with read_session(engine) as session:
        site = node(session).site
    return Actor(username=f"recovery:{os_user()}", role="admin", site=site)
