"""Database faults for tests: an engine made to fail the way SQLite fails, at the moment a test
chooses, and healed again. Shared by the interface and the command-line tests.

- `DatabaseFault` raises SQLite's own error from the driver (before the statement runs), so
  everything above the driver, SQLAlchemy's wrapping and the session boundary, is the real code.
- `disk_full` limits the file to the pages it has (`PRAGMA max_page_count`) and fills its free
  pages: SQLite itself then answers "database or disk is full" to whatever needs one more page.
- `write_lock` holds SQLite's write lock from another connection, like a long import would.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

#: Statements that write (BEGIN IMMEDIATE opens every write session on SQLite).
WRITES = re.compile(r"^\s*(BEGIN IMMEDIATE|INSERT|UPDATE|DELETE)", re.IGNORECASE)


class DatabaseFault:
    """While set, every statement (or every write) on `engine` fails with SQLite's error."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.message: str | None = None
        self.error: type[sqlite3.Error] = sqlite3.OperationalError
        self.writes_only = True
        #: How many statements failed (a test checks that the fault was met).
        self.hits = 0
        event.listen(engine, "before_cursor_execute", self._before)

    def fail(
        self,
        message: str = "database is locked",
        *,
        writes_only: bool = True,
        error: type[sqlite3.Error] = sqlite3.OperationalError,
    ) -> None:
        self.message, self.writes_only, self.error = message, writes_only, error

    def heal(self) -> None:
        self.message = None

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.message is None or (self.writes_only and not WRITES.match(statement)):
            return
        self.hits += 1
        raise self.error(self.message)


@contextmanager
def disk_full(engine: Engine) -> Iterator[None]:
    """No page more for `engine`'s file while inside: SQLite says "database or disk is full"."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={pages}")
        cursor.close()

    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS test_filler (b BLOB)")
        conn.commit()
    engine.dispose()  # the limit is per connection: new ones get it
    event.listen(engine, "connect", limit)
    with engine.connect() as conn:  # the free pages inside the file are room too: use them up
        for size in (4000, 1000, 200):
            with suppress(OperationalError):
                while True:
                    conn.exec_driver_sql(f"INSERT INTO test_filler VALUES (randomblob({size}))")
                    conn.commit()
            conn.rollback()
    try:
        yield
    finally:
        event.remove(engine, "connect", limit)
        engine.dispose()


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another process's long write transaction on `path` (a catalog import, a sync batch)."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()
