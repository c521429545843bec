"""Two PCs with one site code (issue 17, "Bad input and faults"): once `sync restore` has given
the site a new device, the old PC's requests are refused (409) with a reason a person can act
on, and the county admin sees the fork once per device, naming it. In process, the hub on
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.cases import commands
from counter_tui.db import read_session, write_session
from counter_tui.desk.node import Desk
from counter_tui.desk.restore import restore_node
from counter_tui.desk.sync import SyncFailed
from counter_tui.settings import Settings
from counter_tui.sync.enrolment import enrol
from counter_tui.sync.models import SyncDevice, SyncProblem
from counter_tui.sync.outbox import unpushed_body
from tests.cases.helpers import at, f5
from tests.sync.api import Served, register, served
from tests.sync.helpers import VILLAGE_NAME, VILLAGE_SITE, Site


@pytest.fixture
def api(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with served(db_kind, tmp_path, server) as found:
        register(found)
        yield found


def _code(hub: Site) -> str:
    with write_session(hub.engine) as session:
        return enrol(session, hub.operator, VILLAGE_SITE, VILLAGE_NAME, "town", datetime.now(UTC))


def _accept(site: Site, hour: int) -> None:
    with write_session(site.engine) as s:
        commands.accept(s, site.worker, f5(), now=at(11, 9, hour))


def _forks(api: Served) -> list[SyncProblem]:
    with read_session(api.hub.engine) as s:
        return list(s.exec(select(SyncProblem).where(SyncProblem.kind == "fork")).all())


@pytest.fixture
def restored(api: Served, tmp_path: Path) -> Iterator[Desk]:
    """The village synced once, then restored on a new PC while the old one still runs."""
    _accept(api.village, 9)
    api.desk.sync.run()
    url = f"sqlite:///{tmp_path / 'new-pc.db'}"
    restore_node(
        Settings(db_url=url), "http://testserver", _code(api.hub), transport=api.desk.sync.transport
    )
    desk = Desk(Settings(db_url=url))
    desk.sync.transport = api.desk.sync.transport
    yield desk
    desk.close()


def test_the_old_pc_hears_why_and_the_county_admin_sees_which_pc(
    api: Served, restored: Desk
) -> None:
    old_token = api.as_village()
    _accept(api.village, 10)  # the old PC goes on working
    with read_session(api.village.engine) as s:
        count, _, body = unpushed_body(s, VILLAGE_SITE, "", 500)

    answer = api.client.post(
        "/v1/sync/push", content=body, headers=old_token | {"Content-Type": "application/json"}
    )

    assert answer.status_code == 409
    reason = answer.json()["detail"]
    assert reason.startswith(f"站点 {VILLAGE_SITE} 已于 ")
    assert "在另一台电脑上恢复，这台电脑的记录与中心分叉，不再接受；请联系县级管理员" in reason
    for path in ("/v1/sync/head", "/v1/sync/pull", "/v1/reference", "/v1/sync/own"):
        again = api.client.get(path, headers=old_token)
        assert (again.status_code, again.json()["detail"]) == (409, reason), path
    forks = _forks(api)
    assert len(forks) == 1, "once per device"
    with read_session(api.hub.engine) as s:
        device = s.exec(select(SyncDevice).where(SyncDevice.site == VILLAGE_SITE)).one()
    assert device.refused_events == count and device.problem_id == forks[0].id
    assert device.id in forks[0].detail and f"尝试推送 {count} 条事件" in forks[0].detail
    assert "登记于" in forks[0].detail and "最后联系" in forks[0].detail
    hub_desk = Desk(Settings(db_url=api.hub_url))
    try:
        assert [p.kind for p in hub_desk.hub.problems()] == ["fork"]
    finally:
        hub_desk.close()

    # The old PC's own round says it in the same words, and keeps it for the header.
    with pytest.raises(SyncFailed, match="在另一台电脑上恢复"):
        api.desk.sync.run()
    assert reason in api.desk.sync.status().last_error
    assert len(_forks(api)) == 1
    # The new PC syncs on.
    site = Site(restored.engine, api.village.operator, api.village.worker)
    _accept(site, 11)
    assert restored.sync.run().pushed > 0


def test_registering_again_on_the_same_pc_is_no_fork(api: Served) -> None:
    _accept(api.village, 9)
    api.desk.sync.run()
    api.desk.sync.register("http://testserver", _code(api.hub))
    _accept(api.village, 10)
    assert api.desk.sync.run().pushed > 0
    assert _forks(api) == []
    with read_session(api.hub.engine) as s:
        assert len(s.exec(select(SyncDevice)).all()) == 1  # the replaced token, kept


def test_a_bundle_signed_by_the_replaced_pc_is_refused_the_same_way(
    api: Served, restored: Desk, tmp_path: Path
) -> None:
    from counter_tui.sync.bundle import BundleRefused
    from tests.sync.bundles import ADMIN

    _accept(api.village, 10)
    old_bundle = tmp_path / "old-pc.ctb"
    api.desk.files.export(old_bundle)
    hub = Desk(Settings(db_url=api.hub_url))
    try:
        with pytest.raises(BundleRefused, match="在另一台电脑上恢复") as refused:
            hub.files.import_bundle(ADMIN, old_bundle, tmp_path / "reply.ctb")
        assert str(refused.value).startswith("old-pc.ctb：站点 ")
        assert not (tmp_path / "reply.ctb").exists()
        [fork] = _forks(api)
        assert "尝试推送" in fork.detail and "尝试推送 0 条" not in fork.detail

        # The new PC's bundles are its own key's and go through.
        new_bundle = tmp_path / "new-pc.ctb"
        restored.files.export(new_bundle)
        assert hub.files.import_bundle(ADMIN, new_bundle, tmp_path / "reply.ctb").site
    finally:
        hub.close()
