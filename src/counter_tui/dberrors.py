"""The one translation of a database failure into what the user reads (issue 12, points 4–6).

A busy, locked, full, vanished or damaged database is not a bug: it is the hall's situation, and
the clerk or the admin must read one Chinese line that says what happened and whether the step
can simply be tried again. `database_error` turns the driver's error (through SQLAlchemy's
DBAPIError, or raw from sqlite3/psycopg) into a `DatabaseUnavailable`; `db.translated` applies it
at the session boundary, and the CLI's and the app's safety nets apply it to anything that
slipped past. Errors it does not recognise (a missing table, a constraint) stay what they are:
they are bugs, logged by `failures`, and must not be dressed up as "try again".

Imports nothing heavy, so the launcher and the CLI's error wrapper may use it freely.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from counter_tui.errors import DatabaseDamaged, DatabaseUnavailable

#: Below this much free space on the database's disk, an I/O failure is reported as a full disk:
#: SQLite says "disk I/O error", not "full", when it cannot even create its -wal/-shm files.
FULL_BELOW_BYTES = 8 * 1024 * 1024

#: Every message but the damaged file's ends so: the transaction rolled back, press again.
RETRY = "这一步没有完成，可稍后重试"

MESSAGES = {
    "busy": f"数据库正忙：另一个程序正在使用它（如导入目录、备份或同步），{RETRY}",
    "full": "磁盘已满，数据库无法写入：这一步没有完成，请清理磁盘空间后重试",
    "io": "读写数据库文件出错（磁盘故障或已被拔出）：这一步没有完成，请检查磁盘后重试",
    "gone": f"无法打开数据库文件（可能被移走、改名，或所在磁盘已断开）：{RETRY}",
    "readonly": "数据库是只读的（文件或所在目录不可写）：这一步没有完成，请管理员检查权限后重试",
    "connection": f"连接不上数据库服务器（网络或服务器故障）：{RETRY}",
    "damaged": (
        "数据库文件已损坏：请停止使用，运行 counter-tui db check 确认，"
        "再用 counter-tui db backup 做出的最近备份恢复（复制回原位置）"
    ),
}

# SQLite's own messages (sqlite3 passes them through unchanged), by kind.
_SQLITE = (
    ("busy", ("database is locked", "database table is locked", "database schema is locked")),
    ("busy", ("database is busy",)),
    ("full", ("database or disk is full",)),
    ("io", ("disk i/o error",)),
    ("gone", ("unable to open database file",)),
    ("readonly", ("attempt to write a readonly database", "readonly database")),
    (
        "damaged",
        ("database disk image is malformed", "file is not a database", "malformed database schema"),
    ),
)

#: Where database errors come from: SQLAlchemy's wrappers and the drivers themselves.
_DRIVERS = ("sqlalchemy", "sqlite3", "_sqlite3", "psycopg", "psycopg_pool")

# PostgreSQL SQLSTATE classes and codes.
_PG_BUSY = ("40001", "40P01", "55P03", "57014")
_PG_FULL = ("53100",)


def classify(exc: BaseException) -> str | None:
    """The kind of database failure `exc` is (a key of MESSAGES), or None when it is not one."""
    if not type(exc).__module__.startswith(_DRIVERS):
        return None  # a ValueError that happens to say "locked" is not the database's
    kind_name = type(exc).__name__
    if kind_name == "TimeoutError" and type(exc).__module__.startswith("sqlalchemy"):
        return "busy"  # no pooled connection came free in time
    if kind_name == "PoolTimeout":
        return "busy"
    original = getattr(exc, "orig", None) or exc
    if getattr(exc, "connection_invalidated", False):
        return "connection"
    text = str(original).lower()
    for kind, needles in _SQLITE:
        if any(needle in text for needle in needles):
            return kind
    sqlstate = getattr(original, "sqlstate", None)
    module = type(original).__module__
    if module.startswith("psycopg"):
        if sqlstate in _PG_BUSY:
            return "busy"
        if sqlstate in _PG_FULL:
            return "full"
        name = type(original).__name__
        if name in ("OperationalError", "InterfaceError") and (
            sqlstate is None or sqlstate.startswith(("08", "57P"))
        ):
            return "connection"
    return None


def database_error(exc: BaseException, path: Path | None = None) -> DatabaseUnavailable | None:
    """The user's error for a database failure (None: `exc` is not one). `path`, the SQLite
    file, lets an I/O failure on a disk with no room left be called a full disk."""
    if isinstance(exc, DatabaseUnavailable):
        return exc
    kind = classify(exc)
    if kind is None:
        return None
    if kind in ("io", "gone") and path is not None and disk_is_full(path):
        kind = "full"
    message = MESSAGES[kind]
    if kind in ("gone", "readonly", "damaged") and path is not None:
        message = f"{message}。文件：{path}"
    if kind == "damaged":
        return DatabaseDamaged(message, kind=kind)
    return DatabaseUnavailable(message, kind=kind)


def disk_is_full(path: Path) -> bool:
    """Whether the disk that holds `path` (or its nearest existing folder) has no room left."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW_BYTES
    except OSError:
        return False
