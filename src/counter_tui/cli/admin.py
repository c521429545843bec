"""Who may change the node from the command line: an administrator who signs in.

Commands that change accounts, roles, the catalog, the calendar or the hall's set-up take
`--admin NAME` (optional when the node has exactly one administrator) and the password from a
prompt without echo or from `--admin-password-file`. The sign-in is the app's own
(`desk.accounts.sign_in_admin`: argon2, the same lockout, and every attempt in the journal);
the command then acts as that administrator, so the journal names them. Anyone who can run the
program can still read (lists, searches, `audit verify`) and work the queue at a window.

`users reset-admin` is the way back in when no administrator can sign in: it needs the
operating-system account that owns the database (desk/recovery.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from counter_tui.cli.context import CliContext
from counter_tui.cli.passwords import read_first_line
from counter_tui.errors import UserError

if TYPE_CHECKING:
    from counter_tui.actor import Actor


def sign_in_admin(context: CliContext, admin: str | None, password_file: Path | None) -> Actor:
    """Sign an administrator in (the attempt is recorded and committed whatever the outcome);
    returns them as the actor of the command, or refuses in one Chinese line."""
    accounts = context.desk.accounts
    name = admin.strip() if admin else accounts.only_admin()
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
    return accounts.sign_in_admin(name, password)
