"""A village room's weeks of work, made fast, for the file-sync and restore benchmarks.

The events are real ones, recorded by the services (queue steps, intakes, hand-offs), so that
what a bundle carries and what a hub or a restored node applies costs what it costs in the
field; only the transactions are larger than a window's (a working day each), which is what
makes 100,000 events a matter of minutes. A county hub (founded like `init` + `catalog import
--shipped`) and a village registered with it are made by `found_pair`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

HUB_SITE = "421202"
HUB_NAME = "襄城区政务服务中心"
VILLAGE_SITE = "421202-XA-BYQ"
VILLAGE_NAME = "卧龙镇白云桥村便民服务室"
#: Visitors a working day, and every how many of them an intake is handed off to the county.
VISITORS_A_DAY = 60
INTAKE_EVERY = 4


@dataclass
class Made:
    #: Events the village holds once made (its own, everything it recorded).
    events: int
    #: The cases it handed off, for the county to decide.
    case_ids: list[str]
    seconds: float


def found(url: str, site: str, name: str, level: str) -> Any:
    """A node as `init` and `catalog import --shipped` leave it; returns its operator."""
    from counter_tui.catalog.loader import load_catalog
    from counter_tui.catalog.service import import_catalog
    from counter_tui.catalog.shipped import shipped_catalog
    from counter_tui.db import make_engine, write_session
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node
    from counter_tui.workdays.service import ensure_seeded

    engine = make_engine(url, create=True)
    try:
        upgrade(engine)
        with write_session(engine) as session:
            operator = initialise_node(session, site=site, name=name, level=level)
            catalog = shipped_catalog()
            assert catalog is not None
            import_catalog(session, operator, load_catalog(catalog))
            ensure_seeded(session, operator)
    finally:
        engine.dispose()
    return operator


def village_work(url: str, operator: Any, target: int) -> Made:
    """Working days of the village's window, from `target` / 200 days ago, until it holds
    `target` events: every visitor a ticket issued, called and finished, every fourth an
    intake handed off."""
    import time

    from sqlmodel import func, select

    from counter_tui.accounts.service import create_user
    from counter_tui.actor import Actor
    from counter_tui.cases import backoffice, commands
    from counter_tui.db import make_engine, read_session, write_session
    from counter_tui.journal.models import Event
    from counter_tui.queue import commands as queue
    from counter_tui.queue import config

    started = time.perf_counter()
    engine = make_engine(url)
    case_ids: list[str] = []
    try:
        with write_session(engine) as session:
            user = create_user(
                session,
                operator,
                username="li",
                display_name="李四",
                role="clerk",
                password="bench-pass-1",
            )
            queue.configure(
                session, operator, config.from_dict({"categories": {"A": {"name": "综合受理"}}})
            )
            intakes = complete_intakes(session, limit=4)
        clerk = Actor("li", "clerk", VILLAGE_SITE, user_id=user.id)
        # About 250 events a working day: a month is 5,000; start far enough back that the
        # last day is not in the future.
        day = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
        day -= timedelta(days=max(30, target // 150))
        visitor = 0
        while True:
            with read_session(engine) as session:
                count = session.exec(select(func.count()).select_from(Event)).one()
            if count >= target:
                break
            day += timedelta(days=1)
            if day.weekday() >= 5:
                continue
            left = target - count
            with write_session(engine) as session:
                for n in range(VISITORS_A_DAY):
                    if left <= 0:
                        break
                    visitor += 1
                    now = day + timedelta(minutes=7 * n)
                    queue.issue(session, clerk, "A", now=now)
                    queue.call_next(session, clerk, "1", now=now)
                    left -= 3
                    if visitor % INTAKE_EVERY == 0:
                        intake = intakes[visitor % len(intakes)]
                        case = commands.accept(session, clerk, intake, now=now).case
                        backoffice.hand_off(session, clerk, case.id, now=now)
                        case_ids.append(case.id)
                        left -= 2
                    queue.finish(session, clerk, "1", "consulted", now=now)
    finally:
        engine.dispose()
    return Made(count, case_ids, time.perf_counter() - started)


@contextmanager
def in_process_hub(hub_url: str) -> Iterator[Any]:
    """The hub's API in this process (Starlette's test transport): enough to register a
    village, which gives each end the other's key; the benchmarks time what comes after."""
    from starlette.testclient import TestClient

    from counter_tui.hub.app import create_app

    with TestClient(create_app(hub_url, apply_inline=True)) as client:
        yield client._transport


def enrol(hub_url: str, site: str = VILLAGE_SITE, level: str = "town") -> str:
    from counter_tui.actor import Actor

    return enrol_at(hub_url, Actor.local_operator(HUB_SITE), site, level)


def complete_intakes(session: Any, limit: int) -> list[Any]:
    """Complete intakes for the first `limit` shipped items a town may accept: every 办理情形
    answered, every material received (the marks of bench intake)."""
    from counter_tui.bench.intake import ID_NUMBER, received_mark, with_phone
    from counter_tui.cases import commands
    from counter_tui.cases.intake import Intake, Party
    from counter_tui.catalog.service import list_entries

    found = []
    for entry in list_entries(session):
        if entry.kind != "item" or "town" not in entry.levels.split():
            continue
        blank = Intake(entry_code=entry.code, applicant=Party(name="张三", id_number=ID_NUMBER))
        for item in commands.prepare(session, blank).items.values():
            for situation in item.situations:
                blank = blank.with_answer(item.code, situation.id, situation.options[0].answer)
        complete = blank
        for line in commands.prepare(session, blank).lines:
            complete = complete.with_mark(line.material.kind, received_mark(line.material))
        found.append(with_phone(complete))
        if len(found) == limit:
            break
    return found


def enrol_at(url: str, hub: Any, site: str, level: str) -> str:
    from counter_tui.db import make_engine, write_session
    from counter_tui.sync.enrolment import enrol

    engine = make_engine(url)
    try:
        with write_session(engine) as session:
            return enrol(session, hub, site, f"站点 {site}", level, datetime.now(UTC))
    finally:
        engine.dispose()
