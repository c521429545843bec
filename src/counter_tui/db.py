"""Engine and sessions. The database URL picks the engine (DESIGN §2); SQLite gets the pragmas that
make it safe for several processes on one machine and durable on power loss (DESIGN §4.5).

Write sessions on SQLite begin with BEGIN IMMEDIATE, so two processes never both read the journal
head and then race to append after it; PostgreSQL serialises the same appends with row locks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlmodel import Session

from counter_tui.dbfile import check_sqlite_file
from counter_tui.errors import UserError
from counter_tui.settings import sqlite_path

#: How long a writer waits for another process's transaction before giving up (ms).
BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, *, create: bool = False) -> Engine:
    """An engine for `url`; SQLite files are checked first and get the pragmas per connection."""
    path = sqlite_path(url)
    if path is not None:
        check_sqlite_file(path, create=create)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql"):
        return create_engine(url, pool_pre_ping=True)
    raise UserError(f"不支持的数据库地址：{url}（可用 sqlite:///文件 或 postgresql+psycopg://…）")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session for one unit of work that writes; commits on success, rolls back on error."""
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session that only reads."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
