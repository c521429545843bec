"""A real `counter-tui hub serve` (uvicorn, a subprocess on a free port) and the command lines
that talk to it: enrolment, registration, `sync now`, `sync status`; and a hub killed with
SIGKILL in the middle of a push, restarted: every event held exactly once."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import func, select

from counter_tui.accounts.service import create_user
from counter_tui.actor import Actor
from counter_tui.cases import backoffice, commands
from counter_tui.db import read_session, write_session
from counter_tui.desk.node import Desk
from counter_tui.desk.sync import SyncFailed
from counter_tui.journal.models import Event, JournalHead
from counter_tui.journal.service import verify
from counter_tui.queue.commands import issue
from counter_tui.settings import Settings
from tests.cases.helpers import at, f5
from tests.conftest import ADMIN, ADMIN_PASSWORD, Cli
from tests.sync.api import enrolment_code
from tests.sync.helpers import (
    HUB_NAME,
    HUB_SITE,
    VILLAGE_NAME,
    VILLAGE_SITE,
    Site,
    catalog_folder,
    open_site,
)

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`counter-tui hub serve` in a process of its own."""

    def __init__(self, cli: Cli, db: str, workers: int = 1) -> None:
        self.cli, self.db, self.port, self.workers = cli, db, free_port(), workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        argv = [sys.executable, "-m", "counter_tui", "--db", self.db, "hub", "serve"]
        self.process = subprocess.Popen(
            [*argv, "--port", str(self.port), "--workers", str(self.workers)],
            env=self.cli.env,
            cwd=self.cli.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        ready = 0
        for line in self.process.stdout:  # uvicorn says when each worker is serving
            ready += "Application startup complete" in line
            if ready == self.workers:
                break
        else:
            raise AssertionError(f"hub serve ended: {self.process.wait()}")
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        assert httpx.get(self.url + "/v1/health").json()["hub_site"] == HUB_SITE

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def sites(
    db_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Site, str, Site, str]]:
    from contextlib import ExitStack

    from tests.sync.api import hub_url_for

    server = request.getfixturevalue("pg_server_url") if db_kind == "postgres" else None
    with ExitStack() as stack:
        catalog = catalog_folder(tmp_path / "catalog")
        hub_url = hub_url_for(db_kind, tmp_path, stack, server)
        hub = open_site(hub_url, HUB_SITE, HUB_NAME, "county", catalog)
        stack.callback(hub.engine.dispose)
        with write_session(hub.engine) as session:
            create_user(
                session,
                hub.operator,
                username=ADMIN,
                display_name="管理员",
                role="admin",
                password=ADMIN_PASSWORD,
            )
        village_path = tmp_path / "village.db"
        village = open_site(
            f"sqlite:///{village_path}", VILLAGE_SITE, VILLAGE_NAME, "town", catalog
        )
        stack.callback(village.engine.dispose)
        yield hub, hub_url, village, str(village_path)


@pytest.fixture
def hub_server(cli: Cli, sites: tuple[Site, str, Site, str]) -> Iterator[Server]:
    server = Server(cli, sites[1])
    server.start()
    yield server
    server.stop()


def _hand_off_case(village: Site) -> None:
    with write_session(village.engine) as s:
        case_id = commands.accept(s, village.worker, f5(), now=at(11, 9)).case.id
    with write_session(village.engine) as s:
        backoffice.hand_off(s, village.worker, case_id, now=at(11, 9, 14))


@pytest.fixture
def workers_server(cli: Cli, sites: tuple[Site, str, Site, str], db_kind: str) -> Iterator[Server]:
    """Two workers on PostgreSQL (any worker takes any request), one on SQLite."""
    server = Server(cli, sites[1], workers=2 if db_kind == "postgres" else 1)
    server.start()
    yield server
    server.stop()


def test_a_village_registers_and_syncs_by_command(
    cli: Cli, sites: tuple[Site, str, Site, str], workers_server: Server
) -> None:
    _hub, hub_url, village, village_db = sites
    hub_server = workers_server
    _hand_off_case(village)

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


def test_a_village_database_cannot_serve_as_hub(
    cli: Cli, sites: tuple[Site, str, Site, str]
) -> None:
    ran = cli("hub", "serve", "--port", str(free_port()), db=sites[3])
    assert ran.code == 2 and "不是县级中心" in ran.error_line


def test_a_demo_database_refuses_to_register(cli: Cli, tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    catalog = catalog_folder(tmp_path / "demo-catalog")
    engine = open_site(f"sqlite:///{demo}", VILLAGE_SITE, VILLAGE_NAME, "town", catalog).engine
    with write_session(engine) as session:
        from counter_tui.site.models import Node

        row = session.get(Node, 1)
        assert row is not None
        row.demo = True
        session.add(row)
    engine.dispose()
    ran = cli("sync", "register", "--hub", "http://127.0.0.1:9", "--code", "X", db=demo)
    assert ran.code == 2 and "演示" in ran.error_line


def test_a_hub_killed_mid_push_and_restarted_holds_every_event_once(
    cli: Cli, sites: tuple[Site, str, Site, str], hub_server: Server
) -> None:
    hub, _hub_url, village, village_db = sites
    with write_session(village.engine) as s:  # three pages of cheap events
        kiosk = Actor.command_line(VILLAGE_SITE)
        for _ in range(1200):
            issue(s, kiosk, "A", now=at(11, 9, 9))
    desk = Desk(Settings(db_url=f"sqlite:///{village_db}"))
    try:
        desk.sync.register(hub_server.url, enrolment_code(hub))
        outcome: list[object] = []

        def run() -> None:
            try:
                outcome.append(desk.sync.run())
            except SyncFailed as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        while _held(hub) == 0 and worker.is_alive():  # the first page is in
            threading.Event().wait(0.005)
        hub_server.kill()
        worker.join()

        hub_server.start()
        done = desk.sync.run()
        assert done.status.pending == 0
    finally:
        desk.close()
    with read_session(village.engine) as s:
        own = s.exec(
            select(func.count()).select_from(Event).where(Event.site == VILLAGE_SITE)
        ).one()
    with read_session(hub.engine) as s:
        held = s.exec(
            select(func.count()).select_from(Event).where(Event.site == VILLAGE_SITE)
        ).one()
        head = s.get(JournalHead, VILLAGE_SITE)
        assert head is not None and head.count == own == held
        assert verify(s)[1] is None


def _held(hub: Site) -> int:
    with read_session(hub.engine) as s:
        head = s.get(JournalHead, VILLAGE_SITE)
        return head.count if head else 0
