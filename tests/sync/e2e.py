"""What issue 17's end-to-end runs share: the county's commands run as real programs, a village's
working days with a moving clock, and the check that both ends hold the same events."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import col, or_, select

from counter_tui.cases import backoffice, commands
from counter_tui.cases.models import Case
from counter_tui.db import read_session, write_session
from counter_tui.journal.models import Event
from counter_tui.journal.routing import EVERYONE
from counter_tui.sync.applier import pending_count
from tests.cases.helpers import f5
from tests.conftest import HALL, Cli
from tests.sync.helpers import VILLAGE_NAME, VILLAGE_SITE, Site


def ok(ran: object) -> str:
    assert ran.code == 0, ran.err  # type: ignore[attr-defined]
    return ran.out  # type: ignore[attr-defined]


def enrolment_code(cli: Cli, hub_db: str) -> str:
    """`hub enroll` for the village, as the county admin runs it; the one-time code."""
    said = ok(
        cli.as_admin(
            "hub", "enroll", VILLAGE_SITE, "--name", VILLAGE_NAME, "--level", "town", db=hub_db
        )
    )
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", said)
    assert code is not None, said
    return code.group()


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HALL)


def take_in(village: Site, day: date, count: int, *, hand_off: bool = True) -> list[str]:
    """`count` F-5 cases taken in at the village's window on `day` (handed off that
    afternoon): their ids."""
    found = []
    with write_session(village.engine) as s:
        for n in range(count):
            now = at(day, 9, 10 * n)
            case_id = commands.accept(s, village.worker, f5(), now=now).case.id
            if hand_off:
                backoffice.hand_off(s, village.worker, case_id, now=now + timedelta(hours=4))
            found.append(case_id)
    return found


def approve(hub: Site, case_ids: list[str], day: date, first_number: int) -> None:
    """The county claims, approves and completes the cases (王审批, on `day`)."""
    with write_session(hub.engine) as s:
        for n, case_id in enumerate(case_ids):
            now = at(day, 14, n)
            backoffice.claim(s, hub.worker, case_id, now=now)
            backoffice.decide(
                s,
                hub.worker,
                case_id,
                approve=True,
                decision_number=f"襄城食许〔2026〕{first_number + n}号",
                now=now + timedelta(seconds=20),
            )
            backoffice.complete(s, hub.worker, case_id, now=now + timedelta(seconds=40))


def applied_at_hub(engine: Engine) -> None:
    """Wait until the hub's workers have applied what was pushed (they do right after)."""
    deadline = time.monotonic() + 60
    while True:
        with read_session(engine) as session:
            if pending_count(session) == 0:
                return
        assert time.monotonic() < deadline, "the hub did not apply what was pushed"
        time.sleep(0.05)


def village_events(engine: Engine) -> set[tuple[str, str]]:
    """(id, hash) of every event the village holds."""
    with read_session(engine) as session:
        return set(session.exec(select(Event.id, Event.hash)).all())


def relevant_at_hub(engine: Engine, site: str = VILLAGE_SITE) -> set[tuple[str, str]]:
    """(id, hash) of what the hub holds that the village must hold too: its own chain, and
    every applied event of others addressed to it or to everyone (sync/deliver.py)."""
    with read_session(engine) as session:
        rows = session.exec(
            select(Event.id, Event.hash).where(
                or_(
                    Event.site == site,
                    (Event.site != site)
                    & col(Event.seq).is_not(None)
                    & or_(Event.audience == site, Event.audience == EVERYONE),
                )
            )
        ).all()
    return set(rows)


def same_events(hub: Engine, village: Engine) -> int:
    """Assert both ends hold the same events for the village; how many."""
    held, relevant = village_events(village), relevant_at_hub(hub)
    assert held - relevant == set(), "the village holds events the hub does not"
    assert relevant - held == set(), "the hub holds events the village has not"
    return len(held)


def verified(cli: Cli, *dbs: str) -> None:
    for db in dbs:
        assert "日志完好" in ok(cli("audit", "verify", db=db))


def numbers(engine: Engine) -> list[str]:
    with read_session(engine) as session:
        return list(session.exec(select(Case.number).where(Case.site == VILLAGE_SITE)).all())


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database in WAL mode (the backup API), as a backup tool
    that knows SQLite takes it; `target` replaced whole (its -wal and -shm too)."""
    for extra in ("", "-wal", "-shm"):
        Path(f"{target}{extra}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
