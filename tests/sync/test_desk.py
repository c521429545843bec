"""The county's sync desk, from the sites' side: each round's `head` tells the hub the node's
version and clock (kept per site, with how it last came), and tells the node which of its own
events the hub holds in quarantine, which the node keeps and `sync status` shows. Then `hub
sites` and `hub quarantine` as the county admin runs them (a real process, both engines)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from counter_tui import __version__
from counter_tui.cli.hub import SILENT_DAYS
from counter_tui.cli.output import columns
from counter_tui.db import read_session, write_session
from counter_tui.desk.hub import SILENT_AFTER
from counter_tui.desk.sync_words import duration_words, offset_words
from counter_tui.sync.contact import node_time_of, note_contact, version_of
from counter_tui.sync.models import HubSite, SyncLink
from tests.conftest import Cli
from tests.sync.api import Served, register, served
from tests.sync.helpers import VILLAGE_SITE
from tests.sync.quarantine_helpers import NEWER_TYPE, quarantined_at_hub
from tests.sync.server import Sites, hub_and_village

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def api(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with served(db_kind, tmp_path, server) as found:
        yield found


def hub_site(served: Served) -> HubSite:
    with read_session(served.hub.engine) as session:
        row = session.get(HubSite, VILLAGE_SITE)
        assert row is not None
        return row


def test_each_round_tells_the_hub_the_nodes_version_and_clock(api: Served) -> None:
    register(api)
    api.desk.sync.run()

    row = hub_site(api)
    assert (row.contact_via, row.app_version) == ("online", __version__)
    assert row.clock_offset_ms is not None and abs(row.clock_offset_ms) < 5000
    assert row.last_seen_at is not None

    # A village PC ninety seconds fast, as its header says.
    ahead = (datetime.now(UTC) + timedelta(seconds=90)).isoformat()
    headers = api.as_village() | {"X-Counter-Time": ahead, "User-Agent": "counter-tui/9.9.9"}
    assert api.client.get("/v1/sync/head", headers=headers).status_code == 200
    row = hub_site(api)
    assert 85_000 < (row.clock_offset_ms or 0) < 95_000 and row.app_version == "9.9.9"

    # A client that says neither keeps what the hub knew of its clock and version.
    plain = api.client.get("/v1/sync/head", headers=api.as_village() | {"User-Agent": "curl/8"})
    assert plain.status_code == 200
    again = hub_site(api)
    assert (again.clock_offset_ms, again.app_version) == (row.clock_offset_ms, "9.9.9")


def test_the_node_keeps_and_shows_its_events_quarantined_at_the_hub(api: Served, cli: Cli) -> None:
    register(api)
    api.desk.sync.run()
    event_id = quarantined_at_hub(api.hub, api.village, NOW)

    answer = api.client.get("/v1/sync/head", headers=api.as_village()).json()
    assert [(q["event_id"], q["type"], q["status"]) for q in answer["quarantined"]] == [
        (event_id, NEWER_TYPE, "unknown")
    ]
    assert api.desk.sync.held_at_hub() == []  # until the node's next round asks
    api.desk.sync.run()

    (held,) = api.desk.sync.held_at_hub()
    assert (held.event_id, held.type, held.status) == (event_id, NEWER_TYPE, "unknown")
    assert "不认识" in held.note and held.received_at is not None
    with read_session(api.village.engine) as session:
        link = session.get(SyncLink, 1)
        assert link is not None and link.hub_quarantine_at is not None

    status = cli("sync", "status", db=api.village_url).out
    assert "中心隔离的本站事件：1 条（等待县级管理员处理）" in status
    assert f"{event_id}  {NEWER_TYPE}  中心不认识的类型：" in status
    listed = json.loads(cli("sync", "status", "--json", db=api.village_url).out)["held_at_hub"]
    assert [(h["event_id"], h["status"]) for h in listed] == [(event_id, "unknown")]


def test_contact_words_and_bounds() -> None:
    assert version_of("counter-tui/0.3.1 python-httpx/0.27") == "0.3.1"
    assert version_of("Mozilla/5.0") == "" and version_of(None) == ""
    assert node_time_of("not a time") is None
    assert node_time_of("2026-11-20T09:00:00") == NOW  # no zone: UTC
    assert offset_words(None) == "—" and offset_words(400) == "准"
    assert offset_words(180_000) == "快3分" and offset_words(-40_000) == "慢40秒"
    assert duration_words(timedelta(days=12, hours=3, minutes=5)) == "12天3时"
    assert timedelta(days=SILENT_DAYS) == SILENT_AFTER


def test_note_contact_by_file_without_a_clock_keeps_the_offset(
    api: Served,
) -> None:
    register(api)
    with write_session(api.hub.engine) as session:
        note_contact(session, VILLAGE_SITE, version="0.1.0", node_time=NOW, now=NOW, via="online")
    later = NOW + timedelta(days=2)
    with write_session(api.hub.engine) as session:
        note_contact(session, VILLAGE_SITE, version="0.2.0", node_time=None, now=later, via="file")
        note_contact(
            session, "NO-SUCH-SITE", version="0.2.0", node_time=None, now=later, via="file"
        )
    row = hub_site(api)
    assert (row.contact_via, row.app_version, row.clock_offset_ms) == ("file", "0.2.0", 0)
    assert row.last_seen_at is not None


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def sites(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Sites]:
    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with hub_and_village(db_kind, tmp_path, server) as found:
        yield found


# The commands' lines on SQLite only: the quarantine's service runs on both engines in
# test_quarantine.py (tests/sqlite_only.py says why).
@pytest.mark.slow
@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_hub_sites_and_the_quarantine_by_command(cli: Cli, sites: Sites) -> None:
    hub, hub_url, village, _village_db = sites
    event_id = quarantined_at_hub(hub, village, NOW)
    with write_session(hub.engine) as session:
        row = session.get(HubSite, VILLAGE_SITE)
        assert row is not None
        row.registered_at = NOW
        session.add(row)
        note_contact(
            session,
            VILLAGE_SITE,
            version="0.1.0",
            node_time=NOW + timedelta(minutes=7),
            now=NOW,
            via="file",
        )

    listed = json.loads(cli("hub", "sites", "--json", db=hub_url).out)
    (site,) = listed
    assert list(site) == [
        "site",
        "name",
        "level",
        "enrolled_at",
        "registered_at",
        "revoked_at",
        "last_seen_at",
        "contact_via",
        "events",
        "waiting",
        "clock_offset_ms",
        "app_version",
        "silent_seconds",
        "silent",
    ]
    assert (site["contact_via"], site["waiting"], site["clock_offset_ms"]) == ("file", 1, 420_000)
    assert site["silent"] is True and site["silent_seconds"] > SILENT_AFTER.total_seconds()
    text = cli("hub", "sites", db=hub_url).out
    assert all(columns(line) <= 80 for line in text.splitlines()), text
    assert "! 421202-XA-BYQ" in text and "快7分" in text and "文件" in text
    assert "已静默超过 3 天的站点：1 个" in text

    held = json.loads(cli("hub", "quarantine", "list", "--json", db=hub_url).out)
    assert [(h["event_id"], h["type"], h["status"]) for h in held] == [
        (event_id, NEWER_TYPE, "unknown")
    ]
    assert event_id in cli("hub", "quarantine", "list", "--site", VILLAGE_SITE, db=hub_url).out

    neither = cli.as_admin("hub", "quarantine", "retry", db=hub_url)
    assert neither.code == 2 and "二者选一" in neither.error_line
    retried = cli.as_admin("hub", "quarantine", "retry", event_id, db=hub_url)
    assert retried.code == 0, retried.err
    assert "已应用 0 条，仍在隔离 1 条" in retried.out  # this hub still does not know the type

    resolved = cli.as_admin(
        "hub",
        "quarantine",
        "resolve",
        event_id,
        "--note",
        "新版试点的录像指南，县里不用",
        db=hub_url,
    )
    assert resolved.code == 0, resolved.err
    assert "不再应用" in resolved.out
    assert json.loads(cli("hub", "quarantine", "list", "--json", db=hub_url).out) == []
    assert "没有隔离中的事件" in cli("hub", "quarantine", "list", db=hub_url).out
    again = cli.as_admin("hub", "quarantine", "resolve", event_id, "--note", "x", db=hub_url)
    assert again.code == 2 and "已由 admin 处理为不再应用" in again.error_line
