"""A demo database is never a production database: the check every way into a node makes.

The demo marks its node (`node.demo`); a trainer may keep the file (`counter-tui demo --keep
PATH`) and a habit may point `--db`, COUNTER_TUI_DB or the config file's `db` at it. Opened
that way its fake applicants, cases and receipts would pass for the hall's, so the CLI
(`cli/context.py`) and the app's opener (`ui/opening.py`) refuse it, naming the demo command
that reopens it. The demo itself opens its database with demo settings and passes.

Reads the flag with the standard library's sqlite3, not SQLAlchemy: the app's opener runs
before the first paint, where SQLAlchemy's import would cost half a second.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from counter_tui.errors import UserError
from counter_tui.settings import Settings


def demo_database_refusal(where: str | Path) -> str:
    """What the user reads when a demo database is opened as a real one, and how to reopen it."""
    return (
        f"这是演示（培训）数据库，其中的数据都是虚构的，不能作为正式数据库使用：{where}。"
        f"要重新打开这个演示大厅，请运行：counter-tui demo --keep {where}"
    )


def is_demo_file(path: Path) -> bool:
    """Whether the SQLite file at `path` holds a demo node. False for anything that cannot
    tell (no file, not a database, no node yet): opening it goes on and says its own problem.

    The connection is closed by SQLite, never by closing a file descriptor of our own
    (dbfile._check_header says why that matters)."""
    if not path.is_file():
        return False
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT demo FROM node WHERE id = 1").fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def refuse_demo_database(settings: Settings) -> None:
    """Refuse, before anything is opened, settings that would use a demo database as a real
    node's (demo settings are the demo's own and pass)."""
    path = settings.sqlite_path
    if settings.demo or path is None:
        return
    if is_demo_file(path):
        raise UserError(demo_database_refusal(path))


def refuse_demo_node(settings: Settings, node_is_demo: bool) -> None:
    """The same refusal once a node is open (any engine, PostgreSQL too): its own flag read."""
    if node_is_demo and not settings.demo:
        raise UserError(demo_database_refusal(settings.sqlite_path or settings.db_url))


def refuse_other_than_demo(path: Path) -> None:
    """For `counter-tui demo --keep PATH`: an existing file there must be a kept demo, or the
    demo would fill a hall's database with made-up people (or overwrite a file it does not
    know). A missing file is fine: the demo builds its hall there."""
    if path.exists() and not is_demo_file(path):
        raise UserError(
            f"{path} 已存在，但不是演示数据库：演示不会打开或覆盖它。"
            "请为演示另选一个文件名，如 --keep 培训.db"
        )
