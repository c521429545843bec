"""Checks on an SQLite database file that need no SQLAlchemy: the app's launcher runs them before
the first paint, when importing SQLAlchemy would cost about 0.4 s."""

from __future__ import annotations

import os
from pathlib import Path

from counter_tui.errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"


def check_sqlite_file(path: Path, *, create: bool, read_only: bool = False) -> None:
    """Refuse, with one clear line, a path that is not a database or cannot be written
    (`read_only`: or cannot be read)."""
    if path.exists():
        if path.is_dir():
            raise UserError(f"数据库路径是一个目录，不是文件：{path}")
        try:
            with path.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise UserError(f"无法读取数据库文件：{path}（{exc.strerror}）") from None
        if head and head != SQLITE_MAGIC:
            raise UserError(f"不是 SQLite 数据库文件：{path}")
        if read_only:
            return
        if not os.access(path, os.W_OK):
            raise UserError(f"数据库文件不可写：{path}")
        folder = path.parent
    else:
        if not create or read_only:
            raise UserError(f"数据库不存在：{path}（请先运行 counter-tui init）")
        folder = path.parent
        if not folder.exists():
            try:
                folder.mkdir(parents=True)
            except OSError as exc:
                raise UserError(f"无法创建目录：{folder}（{exc.strerror}）") from None
    if not folder.is_dir():
        raise UserError(f"数据库所在位置不是目录：{folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        # WAL mode needs the -wal and -shm files beside the database.
        raise UserError(f"目录不可写：{folder}")
