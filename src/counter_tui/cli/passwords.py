"""Reading a password for a command: from a file's first line (scripts, services), or typed at
a terminal without echo. Never from a prompt that has no terminal: it would echo or hang."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from counter_tui.errors import UserError


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


def read_new_password(password_file: Path | None, prompt: str) -> str:
    """A new password (an account's), from `--password-file` or typed twice."""
    if password_file is not None:
        return read_first_line(password_file, "密码")
    if not sys.stdin.isatty():
        raise UserError("没有可输入密码的终端：请用 --password-file 指定密码文件（读取第一行）")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt="再输入一次"))
