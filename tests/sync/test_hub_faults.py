"""The hub when its own side fails: its database gone or restarted (503, then the next round
resumes), and an error nobody expected (500, logged, said in Chinese)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from counter_tui.cases import backoffice, commands
from counter_tui.db import read_session, write_session
from counter_tui.desk.sync import SyncFailed
from counter_tui.journal.models import JournalHead
from tests.cases.helpers import at, f5
from tests.sync.api import Served, register, served
from tests.sync.helpers import VILLAGE_SITE


@pytest.fixture
def api(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with served(db_kind, tmp_path, server) as found:
        register(found)
        yield found


def _case(api: Served) -> None:
    village = api.village
    with write_session(village.engine) as s:
        case_id = commands.accept(s, village.worker, f5(), now=at(11, 9)).case.id
    with write_session(village.engine) as s:
        backoffice.hand_off(s, village.worker, case_id, now=at(11, 9, 14))


def _held(api: Served) -> int:
    with read_session(api.hub.engine) as s:
        head = s.get(JournalHead, VILLAGE_SITE)
        return head.count if head else 0


@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_a_hub_database_gone_is_503_and_the_next_round_resumes(api: Served, tmp_path: Path) -> None:
    _case(api)
    hub_file = tmp_path / "hub.db"
    served_engine = api.client.app.state.hub.engine
    served_engine.dispose()  # no pooled connection keeps the file open
    hub_file.rename(tmp_path / "hub-away.db")
    try:
        health = api.client.get("/v1/health")
        assert health.status_code == 503 and "中心数据库暂时不可用" in health.json()["detail"]
        with pytest.raises(SyncFailed, match="503"):
            api.desk.sync.run()
        assert api.desk.sync.status().last_error
    finally:
        (tmp_path / "hub-away.db").rename(hub_file)

    done = api.desk.sync.run()

    assert done.pushed > 0 and done.status.pending == 0 and not done.status.last_error
    assert _held(api) == done.pushed


@pytest.mark.postgres
@pytest.mark.parametrize("db_kind", ["postgres"])
def test_a_restarted_hub_database_costs_nothing_but_a_reconnect(
    api: Served, pg_server_url: str
) -> None:
    _case(api)
    api.desk.sync.run()
    _case(api)
    # Every connection of the hub's database ended, as a server restart ends them.
    url = make_url(api.hub_url)
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": url.database},
        ).scalar_one()
    admin.dispose()
    assert ended > 0

    done = api.desk.sync.run()

    assert done.pushed > 0 and done.status.pending == 0


@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_an_unexpected_error_is_a_logged_500_in_chinese(
    api: Served, monkeypatch: pytest.MonkeyPatch, failure_log: Path
) -> None:
    import counter_tui.hub.app as hub_app

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(hub_app, "pull_for", broken)

    answer = api.client.get("/v1/sync/pull", headers=api.as_village())

    assert answer.status_code == 500
    assert answer.json()["detail"] == "中心内部出错，已记入中心的错误日志"
    assert "a bug" not in answer.text
    assert "RuntimeError: a bug" in (failure_log / "errors.log").read_text(encoding="utf-8")
