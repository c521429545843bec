"""A busy, full, vanished or damaged database, below the interface (issue 12, points 4–6): the one
translation of the driver's errors (dberrors), the session boundary that applies it (db), the
masked failure log (failures), and the command line's one Chinese line and exit status."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from counter_tui.actor import Actor
from counter_tui.db import make_engine, write_session
from counter_tui.dberrors import classify, database_error
from counter_tui.errors import DatabaseDamaged, DatabaseUnavailable
from counter_tui.failures import command_failure, mask_text
from tests.conftest import SITE, Node
from tests.faults import disk_full, write_lock

KIOSK = Actor(username="kiosk", role="clerk", site=SITE)
ID_NUMBER = "42060219900307123X"


def wrapped(message: str, error: type[sqlite3.Error] = sqlite3.OperationalError) -> Exception:
    """The driver's error as SQLAlchemy hands it on."""
    kind = OperationalError if error is sqlite3.OperationalError else DatabaseError
    return kind("INSERT INTO x VALUES (?)", ("secret",), error(message))


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database is locked", "busy"),
        ("database table is locked", "busy"),
        ("database or disk is full", "full"),
        ("disk I/O error", "io"),
        ("unable to open database file", "gone"),
        ("attempt to write a readonly database", "readonly"),
        ("database disk image is malformed", "damaged"),
        ("file is not a database", "damaged"),
        ("no such table: cases", None),  # a bug, not the hall's disk
        ("malformed JSON", None),
    ],
)
def test_the_drivers_errors_are_told_apart(message: str, kind: str | None) -> None:
    assert classify(wrapped(message)) == kind
    assert classify(sqlite3.OperationalError(message)) == kind  # raw, as sqlite3 raises it


def test_only_database_errors_are_translated() -> None:
    assert database_error(ValueError("database is locked")) is None
    assert database_error(IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE"))) is None
    damaged = database_error(wrapped("database disk image is malformed", sqlite3.DatabaseError))
    assert isinstance(damaged, DatabaseDamaged)
    assert "数据库文件已损坏" in damaged.message and "db backup" in damaged.message


def test_an_io_error_on_a_disk_with_no_room_is_called_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import counter_tui.dberrors

    path = tmp_path / "node.db"
    roomy = database_error(wrapped("disk I/O error"), path)
    assert roomy is not None and roomy.kind == "io"
    usage = shutil.disk_usage(tmp_path)._replace(free=4096)
    monkeypatch.setattr(counter_tui.dberrors.shutil, "disk_usage", lambda _: usage)
    full = database_error(wrapped("disk I/O error"), path)
    assert full is not None and full.kind == "full"
    assert "磁盘已满" in full.message and "disk I/O error" not in full.message


def test_personal_data_is_masked_in_free_text() -> None:
    text = f"Party(name='张小三', id_number='{ID_NUMBER}', phone='13812345678') 0710-1234567"
    masked = mask_text(text)
    assert masked == (
        "Party(name='张*三', id_number='4206**********123X', phone='138****5678') 0710-****567"
    )


def sqlite_only(node: Node) -> Path:
    if node.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's locks and files")
    path = node.engine.url.database
    assert path
    return Path(path)


def test_a_held_write_lock_is_database_unavailable_and_logged(
    node: Node, monkeypatch: pytest.MonkeyPatch, failure_log: Path
) -> None:
    import counter_tui.db
    from counter_tui.queue import commands

    path = sqlite_only(node)
    monkeypatch.setattr(counter_tui.db, "BUSY_TIMEOUT_MS", 50)
    engine = make_engine(node.url)
    with (
        write_lock(path),
        pytest.raises(DatabaseUnavailable) as raised,
        write_session(engine) as session,
    ):
        commands.issue(session, KIOSK, "A")
    assert raised.value.kind == "busy"
    assert "可稍后重试" in raised.value.message
    assert "database is locked" in (failure_log / "errors.log").read_text(encoding="utf-8")
    with write_session(engine) as session:  # free again: the same step works
        assert commands.issue(session, KIOSK, "A").number == "A001"
    engine.dispose()


def test_a_file_that_cannot_grow_is_a_full_disk(node: Node) -> None:
    from counter_tui.queue import commands as queue_commands

    sqlite_only(node)
    engine = make_engine(node.url)
    with disk_full(engine), pytest.raises(DatabaseUnavailable) as raised:
        for _ in range(200):  # each ticket adds rows; soon one needs a page the file lacks
            with write_session(engine) as session:
                queue_commands.issue(session, KIOSK, "A")
    assert raised.value.kind == "full"
    assert raised.value.message.startswith("磁盘已满")
    engine.dispose()


def test_errors_never_carry_the_statements_values(node: Node) -> None:
    """Engines hide parameters: a failed INSERT must not put an ID number in a message."""
    from sqlalchemy import text

    engine = make_engine(node.url)
    with pytest.raises(Exception) as raised, engine.begin() as conn:
        conn.execute(text("INSERT INTO no_such_table VALUES (:v)"), {"v": ID_NUMBER})
    assert ID_NUMBER not in str(raised.value)
    engine.dispose()


# --- the command line --------------------------------------------------------------------------


def run_cli(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    from counter_tui.cli.root import main

    monkeypatch.setattr(sys, "argv", ["counter-tui", *args])
    with pytest.raises(SystemExit) as done:
        main()
    code = done.value.code
    return code if isinstance(code, int) else 0


def test_a_command_on_a_locked_database_says_one_line_and_exits_2(
    node: Node, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import counter_tui.db

    path = sqlite_only(node)
    monkeypatch.setattr(counter_tui.db, "BUSY_TIMEOUT_MS", 50)
    with write_lock(path):
        code = run_cli(monkeypatch, "--db", str(path), "queue", "issue", "A")
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("错误：数据库正忙"), err


def test_an_unexpected_error_in_a_command_is_one_line_naming_the_masked_log(
    node: Node,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure_log: Path,
) -> None:
    from counter_tui.queue import commands

    path = sqlite_only(node)

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError(f"bug for '张三' {ID_NUMBER}")

    monkeypatch.setattr(commands, "issue", broken)
    code = run_cli(monkeypatch, "--db", str(path), "queue", "issue", "A")
    err = capsys.readouterr().err.strip().splitlines()
    log = failure_log / "errors.log"
    assert code == 1
    assert len(err) == 1 and "出现意外错误" in err[0] and str(log) in err[0], err
    logged = log.read_text(encoding="utf-8")
    assert "RuntimeError: bug for '张*' 4206**********123X" in logged
    assert ID_NUMBER not in logged


def test_a_permission_refusal_in_a_command_is_its_line_and_exits_2(
    node: Node, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PermissionDenied is a UserError (one error family) and the CLI still words it as a
    refusal, 无权操作, with the exit status of every error the user can act on."""
    from counter_tui.accounts.service import require
    from counter_tui.queue import commands as queue_commands

    path = sqlite_only(node)

    def not_for_the_command_line(_session: object, actor: Actor, *_: object, **__: object) -> None:
        require(actor, "queue.manage")  # as if issuing were not open to the command line

    monkeypatch.setattr(queue_commands, "issue", not_for_the_command_line)
    code = run_cli(monkeypatch, "--db", str(path), "queue", "issue", "A")
    err = capsys.readouterr().err.strip().splitlines()
    assert (code, err) == (2, ["无权操作：当前角色（命令行（未登录））无权设置叫号"])


def test_a_driver_error_outside_any_session_is_translated_too(tmp_path: Path) -> None:
    line, code = command_failure(wrapped("database or disk is full"), tmp_path / "x.db")
    assert (line.startswith("磁盘已满"), code) == (True, 2)


def test_a_vanished_file_is_said_so_not_recreated_empty(node: Node, tmp_path: Path) -> None:
    from counter_tui.queue import commands as queue_commands

    path = sqlite_only(node)
    moved = tmp_path / "elsewhere.db"
    engine = make_engine(node.url)
    node.engine.dispose()
    path.rename(moved)  # the stick was pulled out, the folder moved
    with pytest.raises(DatabaseUnavailable) as raised, write_session(engine) as session:
        queue_commands.issue(session, KIOSK, "A")
    assert raised.value.kind == "gone" and str(path) in raised.value.message
    assert not path.exists()  # no empty database made in its place
    engine.dispose()


def test_postgresql_connection_and_lock_errors_are_told_apart() -> None:
    psycopg = pytest.importorskip("psycopg")
    refused = psycopg.OperationalError("connection failed: Connection refused")
    assert classify(refused) == "connection"
    assert classify(psycopg.errors.LockNotAvailable("lock timeout")) == "busy"
    assert classify(psycopg.errors.DiskFull("could not extend file")) == "full"
    assert classify(psycopg.errors.UndefinedTable("no such table")) is None
