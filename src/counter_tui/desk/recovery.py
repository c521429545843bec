"""Who may reset an administrator's password without signing in: the owner of the database.

`counter-tui users reset-admin` is the way back in when no administrator can sign in. It needs
the operating-system account that owns the database file (SQLite) or the database's owner role
in the URL (PostgreSQL). Whoever that is can already rewrite the data, so this gives them
nothing new; a clerk who can merely open the file (a group or a shared account) is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, text

from counter_tui.actor import Actor, os_user


def recovery_problem(engine: Engine, sqlite_file: Path | None) -> str | None:
    """None when this process may reset an administrator's password without signing in.

    SQLite: the process runs as the operating-system account that owns the database file and
    may write it. PostgreSQL: the URL signs in as the database's owner or a superuser.
    """
    if sqlite_file is not None:
        return file_owner_problem(sqlite_file, _uid())
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


def recovery_actor(site: str) -> Actor:
    """The actor of a recovery: the operating-system account, named as such in the journal."""
    return Actor(username=f"recovery:{os_user()}", role="admin", site=site)
