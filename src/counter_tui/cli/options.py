"""Options several command groups share, declared once so they read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON")]

#: Who signs in for a command that changes accounts or reference data (admin.sign_in_admin).
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
