"""Checks on an SQLite database file that need no SQLAlchemy: the app's launcher runs them before
the first paint, when importing SQLAlchemy would cost about 0.4 s."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from counter_tui.errors import UserError


def check_sqlite_file(path: Path, *, create: bool, read_only: bool = False) -> None:
    """Refuse, with one clear line, a path that is not a database or cannot be written
    (`read_only`: or cannot be read)."""
    if path.exists():
        if path.is_dir():
            raise UserError(f"数据库路径是一个目录，不是文件：{path}")
        _check_header(path)
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


def _check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database, asking SQLite itself.

    Never with open() and close(): closing any descriptor of the database file drops every
    POSIX lock this process holds on it, the shared lock of its open connections included.
    Another program closing its last connection then takes the database for its own, folds the
    WAL in and deletes it, and this process's next commits go to the deleted file: lost, and in
    an hour of use a damaged database (`make_engine` runs this check for every engine, and a
    process may open a second engine on a database it has open). SQLite keeps such a descriptor
    open until its locks are gone."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise UserError(f"不是 SQLite 数据库文件：{path}") from None
        if not os.access(path, os.R_OK):
            raise UserError(f"无法读取数据库文件：{path}（权限不够）") from None
        # Anything else (busy, a WAL that a read-only open cannot use) is not this check's to
        # judge: the engine's own connection says it in its own words.
