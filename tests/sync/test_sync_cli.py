"""The command lines against a real `counter-tui hub serve` (uvicorn in a subprocess): the
county admin enrols, the village registers, `sync now` and `sync status` in JSON and in text,
revocation; the refusals (a wrong code, a village database as hub, a demo database)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_tui.db import write_session
from counter_tui.site.models import Node
from tests.conftest import Cli
from tests.sync.api import append_unknown, enrolment_code
from tests.sync.helpers import HUB_NAME, VILLAGE_NAME, VILLAGE_SITE, catalog_folder, open_site
from tests.sync.server import Server, Sites, free_port, hand_off_case, hub_and_village

pytestmark = pytest.mark.slow


@pytest.fixture
def sites(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Sites]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with hub_and_village(db_kind, tmp_path, server) as found:
        yield found


@pytest.fixture
def workers_server(cli: Cli, sites: Sites, db_kind: str) -> Iterator[Server]:
    """Two workers on PostgreSQL (any worker takes any request), one on SQLite."""
    server = Server(cli, sites[1], workers=2 if db_kind == "postgres" else 1)
    server.start()
    yield server
    server.stop()


def test_a_village_registers_and_syncs_by_command(
    cli: Cli, sites: Sites, workers_server: Server
) -> None:
    _hub, hub_url, village, village_db = sites
    hub_server = workers_server
    hand_off_case(village)

    enrolled = cli.as_admin(
        "hub", "enroll", VILLAGE_SITE, "--name", VILLAGE_NAME, "--level", "town", db=hub_url
    )
    assert enrolled.code == 0, enrolled.err
    code = enrolled.out.split("登记码：")[1].split()[0]
    assert "只能使用一次" in enrolled.out

    wrong = cli(
        "sync", "register", "--hub", hub_server.url, "--code", "AAAA-BBBB-CCCC", db=village_db
    )
    assert wrong.code == 2 and "登记码不对" in wrong.error_line
    ran = cli("sync", "register", "--hub", hub_server.url, "--code", code, db=village_db)
    assert ran.code == 0 and HUB_NAME in ran.out, ran.err

    waiting = json.loads(cli("sync", "status", "--json", db=village_db).out)
    assert waiting["registered"] and waiting["pending"] > 0 and waiting["last_success_at"] is None

    synced = cli("sync", "now", "--json", db=village_db)
    assert synced.code == 0, synced.err
    done = json.loads(synced.out)
    assert done["pushed"] == waiting["pending"] and done["status"]["pending"] == 0

    status = json.loads(cli("sync", "status", "--json", db=village_db).out)
    assert status["pending"] == 0 and status["last_success_at"] and status["last_error"] == ""
    listed = json.loads(cli("hub", "sites", "--json", db=hub_url).out)
    assert [(s["site"], s["events"]) for s in listed] == [(VILLAGE_SITE, done["pushed"])]
    assert listed[0]["registered_at"] and listed[0]["last_seen_at"]
    assert json.loads(cli("hub", "problems", "--json", db=hub_url).out) == []

    revoked = cli.as_admin("hub", "revoke", VILLAGE_SITE, db=hub_url)
    assert revoked.code == 0, revoked.err
    refused = cli("sync", "now", db=village_db)
    assert refused.code == 2 and "撤销" in refused.error_line
    assert "撤销" in json.loads(cli("sync", "status", "--json", db=village_db).out)["last_error"]


def test_a_village_database_cannot_serve_as_hub(cli: Cli, sites: Sites) -> None:
    ran = cli("hub", "serve", "--port", str(free_port()), db=sites[3])
    assert ran.code == 2 and "不是县级中心" in ran.error_line


def test_a_demo_database_refuses_to_register(cli: Cli, tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    catalog = catalog_folder(tmp_path / "demo-catalog")
    engine = open_site(f"sqlite:///{demo}", VILLAGE_SITE, VILLAGE_NAME, "town", catalog).engine
    with write_session(engine) as session:
        row = session.get(Node, 1)
        assert row is not None
        row.demo = True
        session.add(row)
    engine.dispose()
    ran = cli("sync", "register", "--hub", "http://127.0.0.1:9", "--code", "X", db=demo)
    assert ran.code == 2 and "演示" in ran.error_line


def test_people_read_one_line_per_fact(cli: Cli, sites: Sites, workers_server: Server) -> None:
    hub, hub_url, village, village_db = sites
    never = cli("sync", "now", db=village_db)
    assert never.code == 2 and "尚未登记" in never.error_line
    assert "尚未登记" in cli("sync", "status", db=village_db).out
    code = enrolment_code(hub)
    assert (
        cli("sync", "register", "--hub", workers_server.url, "--code", code, db=village_db).code
        == 0
    )
    hand_off_case(village)
    # Something a newer hub sends to everyone, which this village's program cannot read.
    newer = append_unknown(hub, "catalog.video_guide", {"item": "X"}, audience="*")

    ran = cli("sync", "now", db=village_db)

    assert ran.code == 0, ran.err
    assert ran.out.startswith("同步完成：上传 ") and "下载并应用" in ran.out
    assert "上传：0/" in ran.err  # progress, plain, on stderr when no terminal watches
    status = cli("sync", "status", db=village_db).out
    assert "待上传：0 条事件" in status and "最近成功：" in status and "从未成功" not in status
    assert "未解决的同步问题：1 个" in status
    assert f"未知事件类型 事件 {newer}" in status  # which event, and why, not just a count
    listed_json = json.loads(cli("sync", "status", "--json", db=village_db).out)
    assert [p["event_id"] for p in listed_json["problem_list"]] == [newer]
    listed = cli("hub", "sites", db=hub_url).out
    assert VILLAGE_SITE in listed and "已注册" in listed and "在线" in listed  # its last contact
    assert cli("hub", "problems", db=hub_url).out.strip() == "没有未解决的同步问题"
