"""`counter-tui sync restore` against a real `hub serve`: the county admin enrols the site again,
the new PC restores with the code (progress on stderr), the old PC's `sync now` and the county's
`hub problems` say which PC forked; the refusals are one line each and leave no file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.sqlite_only import commands_on_sqlite  # noqa: F401  (db_kind: SQLite only)
from tests.sync.helpers import VILLAGE_NAME, VILLAGE_SITE
from tests.sync.server import Server, Sites, hand_off_case, hub_and_village

pytestmark = pytest.mark.slow


@pytest.fixture
def sites(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Sites]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with hub_and_village(db_kind, tmp_path, server) as found:
        yield found


@pytest.fixture
def hub_server(cli: Cli, sites: Sites) -> Iterator[Server]:
    server = Server(cli, sites[1])
    server.start()
    yield server
    server.stop()


def _code(cli: Cli, hub_url: str) -> str:
    enrolled = cli.as_admin(
        "hub", "enroll", VILLAGE_SITE, "--name", VILLAGE_NAME, "--level", "town", db=hub_url
    )
    assert enrolled.code == 0, enrolled.err
    return enrolled.out.split("登记码：")[1].split()[0]


def test_a_village_is_restored_by_command_and_its_old_pc_is_told(
    cli: Cli, sites: Sites, hub_server: Server, tmp_path: Path
) -> None:
    _hub, hub_url, village, village_db = sites
    hand_off_case(village)
    ran = cli(
        "sync", "register", "--hub", hub_server.url, "--code", _code(cli, hub_url), db=village_db
    )
    assert ran.code == 0, ran.err
    assert cli("sync", "now", db=village_db).code == 0

    fresh = tmp_path / "new-pc.db"
    wrong = cli("sync", "restore", "--hub", hub_server.url, "--code", "AAAA-BBBB-CCCC", db=fresh)
    assert wrong.code == 2 and "登记码不对" in wrong.error_line
    assert not fresh.exists()

    code = _code(cli, hub_url)
    restored = cli("sync", "restore", "--hub", hub_server.url, "--code", code, db=fresh)
    assert restored.code == 0, restored.err
    assert f"已从中心恢复站点 {VILLAGE_SITE}（{VILLAGE_NAME}）" in restored.out
    assert "恢复记录" in restored.err  # the progress, one line per page
    assert cli("audit", "verify", db=fresh).code == 0
    status = json.loads(cli("sync", "status", "--json", db=fresh).out)
    assert status["registered"] and status["pending"] == 0 and status["last_error"] == ""

    again = cli("sync", "restore", "--hub", hub_server.url, "--code", code, db=fresh)
    assert again.code == 2 and "数据库不是空的" in again.error_line
    used = cli("sync", "restore", "--hub", hub_server.url, "--code", code, db=tmp_path / "x.db")
    assert used.code == 2 and "已经用过" in used.error_line
    assert not (tmp_path / "x.db").exists()

    old = cli("sync", "now", db=village_db)
    assert old.code == 2 and "在另一台电脑上恢复" in old.error_line, old.err
    problems = cli("hub", "problems", db=hub_url)
    assert "站点分叉" in problems.out and VILLAGE_SITE in problems.out
    listed = json.loads(cli("hub", "problems", "--json", db=hub_url).out)
    assert [p["kind"] for p in listed] == ["fork"]


def test_a_village_back_from_an_old_backup_is_told_what_changed(
    cli: Cli, sites: Sites, hub_server: Server, tmp_path: Path
) -> None:
    import sqlite3

    from counter_tui.cases import commands
    from counter_tui.db import make_engine, write_session
    from tests.cases.helpers import at, f5
    from tests.sync.helpers import Site

    _hub, hub_url, village, village_db = sites
    ran = cli(
        "sync", "register", "--hub", hub_server.url, "--code", _code(cli, hub_url), db=village_db
    )
    assert ran.code == 0, ran.err

    def accept(site: Site, hour: int) -> str:
        with write_session(site.engine) as s:
            return commands.accept(s, site.worker, f5(), now=at(11, 9, hour)).case.number

    accept(village, 9)
    assert cli("sync", "now", db=village_db).code == 0
    backup = tmp_path / "backup.db"
    source, target = sqlite3.connect(village_db), sqlite3.connect(backup)
    source.backup(target)
    source.close()
    target.close()
    lost = accept(village, 10)
    assert cli("sync", "now", db=village_db).code == 0

    restored = Site(make_engine(f"sqlite:///{backup}"), village.operator, village.worker)
    assert accept(restored, 11) == lost
    restored.engine.dispose()
    done = cli("sync", "now", db=backup)
    assert done.code == 0, done.err
    assert "本机是从旧备份恢复的：从中心取回本站记录 1 条，本机新记录 1 条接在其后" in done.out
    assert f"办件编号 {lost} 与中心保存的本站办件重号，已改为 {lost[:-4]}0003" in done.out
    assert cli("audit", "verify", db=backup).code == 0
    assert cli("audit", "verify", db=hub_url).code == 0
    status = cli("sync", "status", db=backup)
    assert "办件改号" in status.out and "待上传：0 条" in status.out
