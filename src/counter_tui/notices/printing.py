"""Print a notice, or at least save it: the file is written before any printer is tried, so a
jammed, missing or misconfigured printer never loses a notice the applicant is waiting for.

The print command is run without a shell (shlex.split), with the saved file as its last
argument or in place of `{file}`; what it says on stderr reaches the clerk. PDFs are made in a
child process (pdfjob), so printing leaves the app's memory where it was.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from counter_tui.errors import UserError
from counter_tui.notices.content import Notice
from counter_tui.settings import PrintSettings

TIMEOUT = 30  # seconds
PLACEHOLDER = "{file}"
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class Delivery:
    """What happened to one notice: where it is saved, whether a printer took it, and what to
    tell the clerk."""

    path: Path
    printed: bool
    message: str


def deliver(notice: Notice, printing: PrintSettings) -> Delivery:
    """Save the notice under `<folder>/<day>/<number>.pdf|.txt`, then run the print command."""
    (done,) = deliver_all([notice], printing)
    return done


def deliver_all(notices: Sequence[Notice], printing: PrintSettings) -> list[Delivery]:
    """`deliver` for the notices of one outcome: their PDFs are made in one child process."""
    done: list[Delivery] = []
    for notice, content in zip(notices, _render(notices, printing), strict=True):
        path = save(notice, content, _suffix(printing), printing.folder)
        if not printing.command.strip():
            done.append(Delivery(path, False, f"已保存到 {path}"))
        else:
            done.append(_print(path, printing.command))
    return done


def deliver_text(name: str, issued_at: datetime, text: str, printing: PrintSettings) -> Delivery:
    """A plain-text slip (a queue ticket) for the receipt printer: saved, then printed like a
    notice, whatever the notices' format (a slip is always text)."""
    path = save_file(name, issued_at, text.encode("utf-8"), ".txt", printing.folder)
    if not printing.command.strip():
        return Delivery(path, False, f"已保存到 {path}")
    return _print(path, printing.command)


def save(notice: Notice, content: bytes, suffix: str, folder: Path) -> Path:
    return save_file(notice.number, notice.issued_at, content, suffix, folder)


def save_file(name: str, issued_at: datetime, content: bytes, suffix: str, folder: Path) -> Path:
    """Write a new file, never over an earlier one: a reprint gets -2, -3 …"""
    day = folder.expanduser() / f"{issued_at:%Y-%m-%d}"
    stem = _UNSAFE.sub("_", name).strip("._") or "notice"
    try:
        day.mkdir(parents=True, exist_ok=True)
        for n in range(1, 10_000):
            path = day / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                with path.open("xb") as file:  # exclusive: two windows never share a name
                    file.write(content)
            except FileExistsError:
                continue
            return path
    except OSError as exc:
        raise UserError(f"无法保存文书到 {day}：{exc.strerror or exc}") from None
    raise UserError(f"无法保存文书到 {day}：同名文件过多")


def _render(notices: Sequence[Notice], printing: PrintSettings) -> list[bytes]:
    if not notices:
        return []
    if printing.format == "pdf":
        from counter_tui.notices.pdfjob import render_pdfs

        return render_pdfs(notices, printing.font)
    from counter_tui.notices.text import PAPER_WIDTHS, render_text

    width = PAPER_WIDTHS[printing.format]
    return [render_text(notice, width).encode("utf-8") for notice in notices]


def _suffix(printing: PrintSettings) -> str:
    return ".pdf" if printing.format == "pdf" else ".txt"


def command_line(command: str, path: Path) -> list[str]:
    """The arguments to run: `{file}` replaced by the path, or the path appended."""
    words = shlex.split(command)
    if any(PLACEHOLDER in word for word in words):
        return [word.replace(PLACEHOLDER, str(path)) for word in words]
    return [*words, str(path)]


def _print(path: Path, command: str) -> Delivery:
    saved = f"文件已保存到 {path}"
    try:
        args = command_line(command, path)
    except ValueError:
        return Delivery(path, False, f"打印命令无效：{command}；{saved}")
    try:
        done = subprocess.run(
            args, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL, check=False
        )
    except FileNotFoundError:
        return Delivery(path, False, f"找不到打印命令：{args[0]}；{saved}")
    except subprocess.TimeoutExpired:
        return Delivery(path, False, f"打印命令 {TIMEOUT} 秒未结束：{command}；{saved}")
    except OSError as exc:
        return Delivery(path, False, f"无法运行打印命令：{exc.strerror or exc}；{saved}")
    if done.returncode != 0:
        first = _first_line(done.stderr) or _first_line(done.stdout) or "（无错误信息）"
        return Delivery(path, False, f"打印命令失败（退出码 {done.returncode}）：{first}；{saved}")
    return Delivery(path, True, f"已送打印机：{command}；{saved}")


def _first_line(output: bytes) -> str:
    for line in output.decode("utf-8", errors="replace").splitlines():
        if line.strip():
            return line.strip()
    return ""
