"""A real `counter-tui hub serve` in a subprocess on a free port, and the two sites it serves
(a county hub on either engine, with an administrator; a village on SQLite)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from counter_tui.accounts.service import create_user
from counter_tui.cases import backoffice, commands
from counter_tui.db import write_session
from tests.cases.helpers import at, f5
from tests.conftest import ADMIN, ADMIN_PASSWORD, Cli
from tests.sync.api import hub_url_for
from tests.sync.helpers import (
    HUB_NAME,
    HUB_SITE,
    VILLAGE_NAME,
    VILLAGE_SITE,
    Site,
    catalog_folder,
    open_site,
)

#: (the hub, its database URL, the village, its SQLite file)
Sites = tuple[Site, str, Site, str]


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


@contextmanager
def hub_and_village(db_kind: str, folder: Path, pg_server: str | None) -> Iterator[Sites]:
    with ExitStack() as stack:
        catalog = catalog_folder(folder / "catalog")
        hub_url = hub_url_for(db_kind, folder, stack, pg_server)
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
        village_path = folder / "village.db"
        village = open_site(
            f"sqlite:///{village_path}", VILLAGE_SITE, VILLAGE_NAME, "town", catalog
        )
        stack.callback(village.engine.dispose)
        yield hub, hub_url, village, str(village_path)


def hand_off_case(village: Site) -> None:
    with write_session(village.engine) as s:
        case_id = commands.accept(s, village.worker, f5(), now=at(11, 9)).case.id
    with write_session(village.engine) as s:
        backoffice.hand_off(s, village.worker, case_id, now=at(11, 9, 14))
