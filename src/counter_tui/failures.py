"""The failure log: where an unexpected error goes instead of the clerk's screen (issue 12).

A traceback is for the maintainer, never for the hall: the app and the CLI show one Chinese line
naming this file, and the file holds the traceback with personal data masked (DESIGN §4.8): ID
numbers, phone numbers and quoted names, whatever the error's message carried. Tracebacks are
written without local variables (they may hold passwords), and engines hide SQL parameters.

The folder is the user's log folder (platformdirs; ~/.local/state/counter-tui/log on Linux), or
COUNTER_TUI_LOG_DIR. Writing the log may itself fail (a full disk): the caller still says
what happened, without a file name.
"""

from __future__ import annotations

import errno
import os
import re
import traceback
from datetime import UTC, datetime
from pathlib import Path

from counter_tui.settings import APP_NAME

LOG_DIR_VARIABLE = "COUNTER_TUI_LOG_DIR"
LOG_NAME = "errors.log"
#: Past this size the log is moved to errors.log.1 (one old file kept), so it never fills a disk.
ROTATE_AT_BYTES = 1024 * 1024

_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"
_ID_NUMBER = re.compile(_EDGE_BEFORE + r"(\d{17}[\dXx]|\d{15})" + _EDGE_AFTER)
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-\d{7,8})(?!\d)")
#: A Han name as a repr or a message quotes it: 'X' or "X", 2 to 5 characters (· allowed).
_QUOTED_NAME = re.compile(r"""(['"“‘])([\u4e00-\u9fff][\u4e00-\u9fff·]{1,4})(['"”’])""")


def log_folder() -> Path:
    given = os.environ.get(LOG_DIR_VARIABLE)
    if given:
        return Path(given)
    from platformdirs import user_log_path

    return user_log_path(APP_NAME)


def mask_text(text: str) -> str:
    """`text` with every ID number, phone number and quoted Han name masked as the UI masks
    them: `4405**********0014`, `138****5678`, `'张*三'`."""
    from counter_tui.applicants.masking import mask_id, mask_name, mask_phone

    text = _ID_NUMBER.sub(lambda m: mask_id(m.group(1)), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group(1)), text)
    text = _LANDLINE.sub(lambda m: mask_phone(m.group(1)), text)
    return _QUOTED_NAME.sub(lambda m: m.group(1) + mask_name(m.group(2)) + m.group(3), text)


def log_failure(exc: BaseException, where: str) -> Path | None:
    """Append `exc`'s traceback, masked, to the log; its path, or None if it could not be
    written."""
    folder = log_folder()
    path = folder / LOG_NAME
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    body = "".join(traceback.format_exception(exc))
    entry = f"--- {stamp} {where}\n{mask_text(body)}\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > ROTATE_AT_BYTES:
            path.replace(path.with_name(LOG_NAME + ".1"))
        with path.open("a", encoding="utf-8") as fh:
            fh.write(entry)
    except OSError:
        return None
    return path


def unexpected_line(exc: BaseException, where: str) -> str:
    """Log `exc` and say so in one Chinese line: the step did not finish and may be retried."""
    path = log_failure(exc, where)
    logged = f"详情已记入 {path}" if path else "日志也无法写入（磁盘已满或不可写？）"
    return f"出现意外错误，这一步没有完成，可重试；{logged}"


def command_failure(exc: BaseException, database: Path | None = None) -> tuple[str, int]:
    """What a command prints about an error nothing else caught, and its exit status: a
    database failure as its one line (2, like every error the user can act on); anything
    else logged, with a line naming the log (1)."""
    from counter_tui.dberrors import database_error

    found = database_error(exc, database)
    if found is not None:
        log_failure(exc, "command")
        return found.message, found.exit_code
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        log_failure(exc, "command")
        return f"磁盘已满，文件无法写入：{exc.filename or ''} 请清理磁盘空间后重试", 2
    return unexpected_line(exc, "command"), 1
