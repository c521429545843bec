"""A power cut (SIGKILL) in the middle of `hub import` and of `sync import`, in real
processes: killed once some pages have committed, then run again, each finishes the job with
nothing doubled and every chain verifying (docs/sync.md, "Sync by file")."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from counter_tui.db import read_session
from counter_tui.journal.models import PENDING, Event, JournalHead
from counter_tui.journal.service import verify
from counter_tui.sync.models import SyncLink
from tests.conftest import Cli, cli_in
from tests.sync.bundles import Ends, append_many, ends, link_of, make_admin
from tests.sync.helpers import HUB_SITE, VILLAGE_SITE

pytestmark = pytest.mark.slow

#: Enough events that an import runs for seconds (four pages and more): pages commit while the
#: test watches, and the kill lands with pages still to come (the test fails if it finished).
MANY = 2000


@pytest.fixture
def e(tmp_path: Path) -> Iterator[Ends]:
    with ends("sqlite", tmp_path) as found:
        make_admin(found.hub)
        yield found


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    (tmp_path / "cli").mkdir()
    return cli_in(tmp_path / "cli")


def _killed_midway(cli: Cli, argv: list[str], landed: Callable[[], bool]) -> None:
    """Start the command, SIGKILL it as soon as `landed()` says some pages committed (and
    fail if it finished first)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "counter_tui", *argv],
        env=cli.env,
        cwd=cli.cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not landed():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.005)  # polling the database, not waiting for time to pass
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _village_head_at(desk: Ends, hub: bool) -> int:
    engine = desk.hub.engine if hub else desk.village.engine
    with read_session(engine) as s:
        head = s.get(JournalHead, VILLAGE_SITE)
        return head.count if head else 0


def _events_of(engine: object, site: str) -> tuple[int, int]:
    """(events of `site`, distinct ids among them)."""
    with read_session(engine) as s:  # type: ignore[arg-type]
        rows = s.exec(select(Event.id).where(col(Event.site) == site)).all()
        return len(rows), len(set(rows))


def test_hub_import_killed_midway_finishes_when_run_again(e: Ends, cli: Cli) -> None:
    append_many(e.village, MANY)
    total = _village_head_at(e, hub=False)
    bundle, reply = e.folder / "big.ctb", e.folder / "big-reply.ctb"
    exported = cli("sync", "export", bundle, db=e.served.village_url)
    assert exported.code == 0, exported.err
    assert f"已导出 {total} 条事件" in exported.out
    argv = ["--db", e.served.hub_url, "hub", "import", str(bundle), "--reply", str(reply)]
    argv += cli.admin_options()

    _killed_midway(cli, argv, lambda: _village_head_at(e, hub=True) > 0)
    stored = _village_head_at(e, hub=True)
    assert 0 < stored < total  # killed in the middle: some pages in, not all
    assert not reply.exists()

    again = cli(*argv[2:], db=e.served.hub_url)
    assert again.code == 0, again.err
    assert f"新保存 {total - stored} 条事件，{stored} 条此前已有" in again.out
    assert _village_head_at(e, hub=True) == total
    assert _events_of(e.hub.engine, VILLAGE_SITE) == (total, total)
    with read_session(e.hub.engine) as s:
        assert s.exec(select(func.count()).where(col(Event.status) == PENDING)).one() == 0
        assert verify(s)[1] is None
    taken = cli("sync", "import", reply, db=e.served.village_url)
    assert taken.code == 0, taken.err
    assert link_of(e.village).pushed_count == total
    assert e.village.sync.status().pending == 0
    # sync status says when the last stick came back, not only the last online round.
    status = cli("sync", "status", db=e.served.village_url).out
    assert "待上传：0 条事件" in status and "最近文件同步：" in status


def test_sync_import_killed_midway_finishes_when_run_again(e: Ends, cli: Cli) -> None:
    append_many(e.hub, MANY, audience=VILLAGE_SITE)
    bundle, reply = e.folder / "out.ctb", e.folder / "reply.ctb"
    assert cli("sync", "export", bundle, db=e.served.village_url).code == 0
    imported = cli.as_admin("hub", "import", bundle, "--reply", reply, db=e.served.hub_url)
    assert imported.code == 0, imported.err
    with read_session(e.hub.engine) as s:
        sent = s.exec(
            select(func.count()).where(
                col(Event.site) == HUB_SITE, col(Event.audience) == VILLAGE_SITE
            )
        ).one()
    assert sent >= MANY

    def cursor() -> int:
        with read_session(e.village.engine) as s:
            link = s.get(SyncLink, 1)
            assert link is not None
            return link.pull_cursor

    _killed_midway(
        cli, ["--db", e.served.village_url, "sync", "import", str(reply)], lambda: cursor() > 0
    )
    held, distinct = _events_of(e.village.engine, HUB_SITE)
    assert held == distinct and held > 0
    assert _events_of(e.village.engine, HUB_SITE)[0] < sent  # some pages in, not all

    again = cli("sync", "import", reply, db=e.served.village_url)
    assert again.code == 0, again.err
    held, distinct = _events_of(e.village.engine, HUB_SITE)
    assert held == distinct
    with read_session(e.village.engine) as s:
        addressed = s.exec(
            select(func.count()).where(
                col(Event.site) == HUB_SITE, col(Event.type) == "login.unknown_user"
            )
        ).one()
        assert addressed == MANY
        assert verify(s)[1] is None
    # And once more: nothing changes.
    before = _events_of(e.village.engine, HUB_SITE), cursor()
    assert cli("sync", "import", reply, db=e.served.village_url).code == 0
    assert (_events_of(e.village.engine, HUB_SITE), cursor()) == before
