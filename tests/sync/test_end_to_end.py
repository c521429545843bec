"""Issue 14's end-to-end run, with real processes: a village node on SQLite, a county hub served
by `counter-tui hub serve` (uvicorn) on PostgreSQL — and the same on an SQLite hub.

The village takes two cases in while the hub is down (one owing a 容缺 material) and hands them
off; the hub comes up and the village syncs; the county claims one and asks for a correction,
claims the other and approves and completes it; the village syncs, sees both, and delivers the
result; the hub sees the delivery. Both chains verify."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from counter_tui.accounts.service import authenticate
from counter_tui.actor import Actor
from counter_tui.cases import backoffice, commands
from counter_tui.cases.models import Case, CaseNotice
from counter_tui.db import make_engine, read_session, write_session
from counter_tui.desk.node import open_desk
from counter_tui.settings import Settings
from counter_tui.sync.applier import pending_count
from tests.conftest import ADMIN_PASSWORD, Cli
from tests.sync.helpers import HUB_NAME, HUB_SITE, VILLAGE_NAME, VILLAGE_SITE
from tests.sync.server import Server
from tests.sync.shipped import DEPARTMENT, ID_NUMBER, dibao_intake

PASSWORD = "secret-pass-1"


def _ok(ran: object) -> str:
    assert ran.code == 0, ran.err  # type: ignore[attr-defined]
    return ran.out  # type: ignore[attr-defined]


def _found(cli: Cli, db: str, site: str, name: str, level: str, folder: Path) -> None:
    """What a county admin does by hand on a new machine."""
    admin = folder / "admin-password.txt"
    admin.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    where = ("--site", site, "--name", name, "--level", level)
    _ok(cli("init", *where, "--password-file", admin, db=db))
    _ok(cli.as_admin("catalog", "import", "--shipped", db=db))


def _signed_in(engine: Engine, username: str, site: str) -> Actor:
    with write_session(engine) as session:
        actor = authenticate(session, username, PASSWORD, site=site).actor
    assert actor is not None
    return actor


def _applied_at_hub(engine: Engine) -> None:
    """Wait until the hub's workers have applied what was pushed (they do right after)."""
    deadline = time.monotonic() + 60
    while True:
        with read_session(engine) as session:
            if pending_count(session) == 0:
                return
        assert time.monotonic() < deadline, "the hub did not apply what was pushed"
        time.sleep(0.05)


def _case(engine: Engine, case_id: str) -> Case:
    with read_session(engine) as session:
        found = session.get(Case, case_id)
    assert found is not None
    return found


@pytest.mark.slow
def test_offline_intake_county_decision_village_delivery(
    cli: Cli, hub_url: str, tmp_path: Path
) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    village_db = f"sqlite:///{tmp_path / 'village.db'}"
    _found(cli, hub_url, HUB_SITE, HUB_NAME, "county", tmp_path)
    _found(cli, village_db, VILLAGE_SITE, VILLAGE_NAME, "village", tmp_path)
    add = ("users", "add")
    _ok(
        cli.as_admin(
            *add,
            "wang",
            "--role",
            "approver",
            "--name",
            "王审批",
            "--department",
            DEPARTMENT,
            "--password-file",
            secret,
            db=hub_url,
        )
    )
    _ok(
        cli.as_admin(
            *add,
            "li",
            "--role",
            "clerk",
            "--name",
            "李四",
            "--password-file",
            secret,
            db=village_db,
        )
    )
    enrolled = _ok(
        cli.as_admin(
            "hub", "enroll", VILLAGE_SITE, "--name", VILLAGE_NAME, "--level", "village", db=hub_url
        )
    )
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", enrolled)
    assert code is not None
    server = Server(cli, hub_url)
    server.start()
    try:
        _ok(cli("sync", "register", "--hub", server.url, "--code", code.group(), db=village_db))
    finally:
        server.stop()

    # The hub is down: the village works on.
    village = make_engine(village_db)
    hub = make_engine(hub_url)
    try:
        clerk = _signed_in(village, "li", VILLAGE_SITE)
        today = date.today()
        ids = []
        for defer in (True, False):
            intake = dibao_intake(village, today, defer=defer)
            with write_session(village) as s:
                ids.append(commands.accept(s, clerk, intake).case.id)
            with write_session(village) as s:
                backoffice.hand_off(s, clerk, ids[-1])
        owing, complete = ids
        offline = cli("sync", "now", db=village_db)
        assert offline.code == 2 and "无法连接" in offline.error_line
        status = json.loads(_ok(cli("sync", "status", "--json", db=village_db)))
        assert status["offline_since"] and status["pending"] > 0

        # The hub comes up; the village syncs.
        server.start()
        try:
            done = json.loads(_ok(cli("sync", "now", "--json", db=village_db)))
            assert done["status"]["pending"] == 0 and done["pushed"] > 0
            _applied_at_hub(hub)
            # At the hub, in MZJ's back-office worklist, with the village's notices.
            desk = open_desk(Settings(db_url=hub_url))
            try:
                listed = {item.id for item in desk.cases.worklist(today, DEPARTMENT, None)}
            finally:
                desk.close()
            assert {owing, complete} <= listed
            with read_session(hub) as s:
                assert _case(hub, owing).site == VILLAGE_SITE
                notices = s.exec(select(CaseNotice).where(CaseNotice.case_id == owing)).all()
                assert {n.kind for n in notices} >= {"receipt"}

            approver = _signed_in(hub, "wang", HUB_SITE)
            with write_session(hub) as s:
                backoffice.claim(s, approver, owing)
            with write_session(hub) as s:
                backoffice.request_correction(
                    s,
                    approver,
                    owing,
                    corrections=[("最低生活保障申请书", "家庭成员栏缺签名")],
                    deadline=date.fromordinal(today.toordinal() + 10),
                )
            with write_session(hub) as s:
                backoffice.claim(s, approver, complete)
            with write_session(hub) as s:
                backoffice.decide(
                    s, approver, complete, approve=True, decision_number="襄低保〔2026〕1号"
                )
            with write_session(hub) as s:
                backoffice.complete(s, approver, complete)

            # The village hears of both, and delivers the result.
            _ok(cli("sync", "now", db=village_db))
            assert _case(village, owing).state == "correction_requested"
            assert _case(village, complete).state == "completed"
            with read_session(village) as s:
                kinds = {
                    n.kind for n in s.exec(select(CaseNotice).where(CaseNotice.case_id == owing))
                }
            assert len(kinds) >= 2  # the receipt and the county's correction notice
            delivery = backoffice.Delivery(
                method="pickup", recipient="applicant", recipient_id=ID_NUMBER
            )
            with write_session(village) as s:
                backoffice.deliver(s, clerk, complete, delivery)
            _ok(cli("sync", "now", db=village_db))
            _applied_at_hub(hub)
            assert _case(hub, complete).state == "delivered"
        finally:
            server.stop()
        for db in (hub_url, village_db):
            verified = _ok(cli("audit", "verify", db=db))
            assert "日志完好" in verified
    finally:
        village.dispose()
        hub.dispose()
