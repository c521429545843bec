"""Engine and sessions. The database URL picks the engine (DESIGN §2); SQLite gets the pragmas that
make it safe for several processes on one machine and durable on power loss (DESIGN §4.5).

Write sessions on SQLite begin with BEGIN IMMEDIATE, so two processes never both read the journal
head and then race to append after it; PostgreSQL serialises the same appends with row locks.

Both session helpers are the boundary where a busy, full or vanished database becomes a
`DatabaseUnavailable` (dberrors.database_error): above this line nobody catches driver errors.
Engines hide statement parameters from error messages, which would otherwise carry applicants'
names and ID numbers into logs and onto screens.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from counter_tui.dberrors import database_error
from counter_tui.dbfile import check_sqlite_file
from counter_tui.errors import UserError
from counter_tui.failures import log_failure
from counter_tui.settings import sqlite_path

#: How long a writer waits for another process's transaction before giving up (ms).
BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, *, create: bool = False, read_only: bool = False) -> Engine:
    """An engine for `url`; SQLite files are checked first and get the pragmas per connection.

    `read_only` (db check, audit verify): an SQLite file is opened with SQLite's own read-only
    mode, so a backup on a write-protected stick is read and never migrated or written; on
    PostgreSQL every transaction is READ ONLY."""
    path = sqlite_path(url)
    if path is not None:
        check_sqlite_file(path, create=create, read_only=read_only)
    if url.startswith("sqlite"):
        if read_only and path is not None:
            url = read_only_url(path)
        elif not create and path is not None:
            url = existing_file_url(path)
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        _configure_sqlite(engine, read_only=read_only)
        return engine
    if url.startswith("postgresql"):
        if read_only:
            options = {"options": "-c default_transaction_read_only=on"}
            return create_engine(
                url, pool_pre_ping=True, hide_parameters=True, connect_args=options
            )
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    raise UserError(f"不支持的数据库地址：{url}（可用 sqlite:///文件 或 postgresql+psycopg://…）")


def existing_file_url(path: Path) -> str:
    """A URI that opens `path` only if it exists: should the file vanish (a stick pulled out,
    a folder moved) SQLite answers "unable to open database file" rather than quietly making an
    empty database in its place, whose missing tables would read as a bug."""
    from urllib.parse import quote

    return f"sqlite:///file:{quote(str(path.absolute()))}?mode=rw&uri=true"


def read_only_url(path: Path) -> str:
    """A URI that opens `path` read-only. Where nothing can be written beside it (a
    write-protected stick) SQLite could not make the -shm file that reading a WAL database
    needs, so the file is also declared immutable: nobody can be changing it there."""
    from urllib.parse import quote

    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    writable = os.access(path.parent, os.W_OK | os.X_OK) and os.access(path, os.W_OK)
    if not writable and not Path(f"{path}-shm").exists():
        uri += "&immutable=1"
    return f"sqlite:///{uri}&uri=true"  # uri=true: SQLAlchemy passes the rest to SQLite


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:  # setting the journal mode writes the file's header
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


def database_file(engine: Engine) -> Path | None:
    """The SQLite file behind `engine` (None: another engine, or in memory)."""
    name = engine.url.database
    if not is_sqlite(engine) or not name or name == ":memory:":
        return None
    if name.startswith("file:"):  # a URI filename (mode=ro, mode=rw), its query aside
        from urllib.parse import unquote

        return Path(unquote(name.removeprefix("file:")))
    return Path(name)


@contextmanager
def translated(engine: Engine) -> Iterator[None]:
    """Raise a database failure met inside as `DatabaseUnavailable` (dberrors); anything else,
    a constraint or a missing table, passes unchanged: that is a bug, not the hall's disk.
    The driver's error is logged (failures.py, masked) for the admin: when and how often."""
    try:
        yield
    except (DBAPIError, PoolTimeout) as exc:
        found = database_error(exc, database_file(engine))
        if found is None:
            raise
        log_failure(exc, f"database {found.kind}")
        raise found from exc


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session for one unit of work that writes; commits on success, rolls back on error."""
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine
    with translated(engine), Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            # A rollback on a vanished file or a dropped connection fails too: the first error
            # is the one worth reporting, and the transaction is gone either way.
            with suppress(DBAPIError):
                session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session that only reads."""
    with translated(engine), Session(engine, expire_on_commit=False) as session:
        yield session
