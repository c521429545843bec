"""A damaged database file, a write-protected backup and a full disk, as the admin meets them with
the real `counter-tui` command (issue 12, points 5 and 6): one Chinese line saying what happened
and what to do, never a traceback; `db check` and `audit verify` open the file read-only.

The read-only and full-disk cases run twice where the machine allows it: once on an ordinary
folder (tests run as root, who may write a 0444 file, so the read-only open is checked through
SQLite refusing a write), and once on a real read-only or full filesystem (a tmpfs mounted in a
private mount namespace with `unshare -m`; skipped where that is not permitted).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from counter_tui.actor import Actor
from counter_tui.db import make_engine, write_session
from counter_tui.errors import DatabaseUnavailable
from tests.conftest import SITE, Cli, Node

KIOSK = Actor(username="kiosk", role="clerk", site=SITE)
BACKUP_HINT = "counter-tui db backup"


@pytest.fixture
def filled(node: Node, tmp_path: Path) -> Path:
    """The node's SQLite file with a month of tickets (about a megabyte), checkpointed into the
    file: its middle holds table and index pages, not empty space."""
    from counter_tui.queue import commands

    if node.engine.dialect.name != "sqlite":
        pytest.skip("an SQLite file")
    start = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with write_session(node.engine) as session:
        for day in range(20):
            for minute in range(15):
                at = start + timedelta(days=day, minutes=minute)
                commands.issue(session, KIOSK, "A", now=at)
    with node.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    node.engine.dispose()
    path = Path(str(node.engine.url.database))
    copy = tmp_path / "filled.db"
    shutil.copyfile(path, copy)
    return copy


def overwrite(path: Path, at: int, size: int) -> None:
    with path.open("r+b") as fh:
        fh.seek(at)
        fh.write(bytes((i * 7 + 13) % 256 for i in range(size)))


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_db_check_on_a_file_with_20_kb_overwritten_in_the_middle(cli: Cli, filled: Path) -> None:
    overwrite(filled, filled.stat().st_size // 2 - 10 * 1024, 20 * 1024)
    ran = cli("db", "check", db=filled)
    assert ran.code == 1
    assert "Traceback" not in ran.err and "Error" not in ran.err, ran.err
    first, *rest = ran.err.strip().splitlines()
    assert first.startswith("问题：数据库文件已损坏") and BACKUP_HINT in first, ran.err
    # What SQLite's check found, when it could say more than "malformed", for the maintainer.
    assert all(line.startswith("详情：完整性检查发现") for line in rest), rest


def test_a_write_to_a_damaged_table_stops_with_the_chinese_line(cli: Cli, filled: Path) -> None:
    """`queue issue` must not go on as if nothing happened once SQLite reports the damage."""
    import sqlite3

    with sqlite3.connect(filled) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'queue_ticket'"
        ).fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    overwrite(filled, (root - 1) * page_size, page_size)
    ran = cli("queue", "issue", "A", db=filled)
    assert ran.code == 2
    line = one_line(ran.err)
    assert line.startswith("错误：数据库文件已损坏") and BACKUP_HINT in line


def test_check_and_verify_a_write_protected_copy(cli: Cli, filled: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    copy = usb / "backup.db"
    shutil.copyfile(filled, copy)
    before = copy.read_bytes()
    copy.chmod(0o444)
    usb.chmod(0o555)
    try:
        checked = cli("db", "check", db=copy)
        verified = cli("audit", "verify", db=copy)
    finally:
        usb.chmod(0o755)
    assert (checked.code, verified.code) == (0, 0), checked.err + verified.err
    assert "数据库完好" in checked.out and "日志完好" in verified.out
    assert copy.read_bytes() == before  # not migrated, not written


def test_the_read_only_open_refuses_writes_even_to_root(filled: Path) -> None:
    """Root may write a 0444 file; the engine `db check` and `audit verify` use may not."""
    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{filled}", read_only=True)
    assert "mode=ro" in str(engine.url)
    with pytest.raises(DatabaseUnavailable) as raised, write_session(engine) as session:
        session.exec(text("DELETE FROM queue_ticket"))  # type: ignore[call-overload]
    assert raised.value.kind == "readonly"
    engine.dispose()


def test_a_copy_where_nothing_can_be_written_is_opened_immutable(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a write-protected stick SQLite could not create the -shm file a WAL read needs."""
    from counter_tui.db import read_only_url

    assert "immutable" not in read_only_url(filled)
    monkeypatch.setattr(os, "access", lambda *_: False)
    assert read_only_url(filled).endswith("mode=ro&immutable=1&uri=true")


# --- real read-only and full filesystems -------------------------------------------------------


def in_private_mount(cli: Cli, script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` (sh) in its own mount namespace: tmpfs mounts there vanish with it."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("mounting a tmpfs in a private namespace is not permitted here")
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        env=cli.env,
        cwd=cli.cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def counter_tui(*args: str | Path) -> str:
    return shlex.join([sys.executable, "-m", "counter_tui", *map(str, args)])


def test_on_a_read_only_filesystem(cli: Cli, filled: Path, tmp_path: Path) -> None:
    mount = tmp_path / "stick"
    mount.mkdir()
    copy = mount / "filled.db"
    size_k = filled.stat().st_size // 1024 + 256
    script = "\n".join(
        [
            "set -e",
            f"mount -t tmpfs -o size={size_k}k tmpfs {mount}",
            f"cp {filled} {copy}",
            f"mount -o remount,ro {mount}",
            f"{counter_tui('--db', copy, 'db', 'check')}",
            f"{counter_tui('--db', copy, 'audit', 'verify')}",
            f"{counter_tui('--db', copy, 'queue', 'issue', 'A')} || echo exit=$?",
        ]
    )
    ran = in_private_mount(cli, script)
    assert "数据库完好" in ran.stdout and "日志完好" in ran.stdout, ran.stderr
    assert "exit=2" in ran.stdout
    assert one_line(ran.stderr).startswith("错误：数据库文件不可写")


def test_on_a_full_disk(cli: Cli, filled: Path, tmp_path: Path) -> None:
    mount = tmp_path / "disk"
    mount.mkdir()
    copy = mount / "filled.db"
    size_k = filled.stat().st_size // 1024 + 64
    script = "\n".join(
        [
            f"mount -t tmpfs -o size={size_k}k tmpfs {mount}",
            f"cp {filled} {copy}",
            f"dd if=/dev/zero of={mount}/filler bs=4k 2>/dev/null",
            f"{counter_tui('--db', copy, 'queue', 'issue', 'A')} || echo exit=$?",
        ]
    )
    ran = in_private_mount(cli, script)
    assert "exit=2" in ran.stdout, ran.stdout + ran.stderr
    line = one_line(ran.stderr)
    assert line.startswith("错误：磁盘已满") and "disk I/O error" not in line
