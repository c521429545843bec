"""Fixtures for the interface tests: a node database with one user of each role, and an app
factory with a fixed clock so that snapshots do not change from second to second."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from counter_tui.actor import Actor
from counter_tui.settings import PrintSettings, Settings
from counter_tui.ui.app import CounterApp, make_app

PASSWORD = "secret123"
FIXED_NOW = datetime(2026, 11, 23, 9, 30, 0)

#: username → (display name, role, department)
USERS = {
    "li": ("李四", "clerk", None),
    "wang": ("王芳", "approver", "SCJG"),
    "zhao": ("赵督查", "supervisor", None),
}


@dataclass(frozen=True)
class NodeDatabase:
    path: Path
    settings: Settings


def build_node(
    folder: Path,
    users: dict[str, tuple[str, str, str | None]],
    *,
    level: str = "county",
    catalog: Callable[[Path], Path] | None = None,
    with_catalog: bool = True,
) -> NodeDatabase:
    """A node with `users` and the small test catalog of tests/catalog/helpers.py (kept
    small and fixed so that snapshots do not change when the shipped catalog grows); without
    any catalog when `with_catalog` is false (a production node before its first import)."""
    from counter_tui.accounts.service import create_user
    from counter_tui.catalog.loader import load_catalog
    from counter_tui.catalog.service import import_catalog
    from counter_tui.db import make_engine, write_session
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node
    from counter_tui.workdays.service import ensure_seeded
    from tests.catalog.helpers import write_catalog

    path = folder / "node.db"
    settings = Settings(db_url=f"sqlite:///{path}", window="3")
    engine = make_engine(settings.db_url, create=True)
    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(
            session, site="421202-XA-BYQ", name="襄城区政务服务中心", level=level
        )
        # The catalog first: an approver's department must be one of its departments.
        if with_catalog:
            import_catalog(
                session, operator, load_catalog((catalog or write_catalog)(folder / "catalog"))
            )
        for username, (name, role, department) in users.items():
            create_user(
                session,
                operator,
                username=username,
                display_name=name,
                role=role,
                department=department,
                password=PASSWORD,
            )
        ensure_seeded(session, operator)
    engine.dispose()
    return NodeDatabase(path=path, settings=settings)


@pytest.fixture(scope="session")
def node_template(tmp_path_factory: pytest.TempPathFactory) -> NodeDatabase:
    """Built once per session (migrating and importing the catalog take a while); each test
    copies it (`node`)."""
    return build_node(tmp_path_factory.mktemp("node-template"), USERS)


@pytest.fixture
def node(node_template: NodeDatabase, tmp_path: Path) -> NodeDatabase:
    """A private copy of the template database for one test."""
    path = tmp_path / "node.db"
    path.write_bytes(node_template.path.read_bytes())
    return NodeDatabase(path=path, settings=Settings(db_url=f"sqlite:///{path}", window="3"))


@pytest.fixture
def app_for(node: NodeDatabase) -> Callable[..., CounterApp]:
    def factory(**kwargs: object) -> CounterApp:
        return make_app(node.settings, clock=lambda: FIXED_NOW, **kwargs)  # type: ignore[arg-type]

    return factory


@pytest.fixture(autouse=True)
def unexpected_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """A failing worker no longer ends the app (ui/workers.py), and so no longer ends the test:
    its unexpected errors are collected here and fail the test, unless the test expected them
    (and empties the list)."""
    import counter_tui.failures

    seen: list[BaseException] = []
    real = counter_tui.failures.unexpected_line

    def record(exc: BaseException, where: str) -> str:
        seen.append(exc)
        return real(exc, where)

    monkeypatch.setattr(counter_tui.failures, "unexpected_line", record)
    yield seen
    assert not seen, f"unexpected errors in workers: {seen!r}"


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the input cursor from blinking, so a snapshot does not depend on when it is taken."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


# --- intake: the test catalog with F-5 (five materials), notices saved under tmp_path -------


@pytest.fixture(scope="session")
def intake_template(tmp_path_factory: pytest.TempPathFactory) -> NodeDatabase:
    from tests.cases.catalog import write_intake_catalog

    return build_node(
        tmp_path_factory.mktemp("intake-template"), USERS, catalog=write_intake_catalog
    )


@pytest.fixture
def intake_node(intake_template: NodeDatabase, tmp_path: Path) -> NodeDatabase:
    path = tmp_path / "node.db"
    path.write_bytes(intake_template.path.read_bytes())
    from counter_tui.settings import PrintSettings

    printing = PrintSettings(folder=tmp_path / "notices", format="80mm")
    settings = replace(intake_template.settings, db_url=f"sqlite:///{path}", printing=printing)
    return NodeDatabase(path=path, settings=settings)


@pytest.fixture
def intake_app(intake_node: NodeDatabase) -> Callable[[], CounterApp]:
    return lambda: make_app(intake_node.settings, clock=lambda: FIXED_NOW)


# --- the queue: a morning's tickets and one appointment -----------------------------------

#: The ID number of the appointment booked for 10:00 in `queue_node`.
APPOINTMENT_ID = "420602198503151231"
KIOSK = Actor(username="kiosk", role="clerk", site="421202-XA-BYQ")
ADMIN = Actor(username="cli:root", role="admin", site="421202-XA-BYQ")


@pytest.fixture
def queue_node(node: NodeDatabase, tmp_path: Path) -> NodeDatabase:
    """The UI test node, with slips saved under tmp_path and a morning's queue: A001 (09:00),
    A002 绿色通道 (09:10), B001 (09:15), and one appointment for 10:00."""
    printing = PrintSettings(folder=tmp_path / "slips", format="80mm")
    settings = replace(node.settings, printing=printing)
    from counter_tui.db import make_engine, write_session
    from counter_tui.queue import appointments, commands, config
    from tests.conftest import HALL

    engine = make_engine(settings.db_url)
    setup = config.to_dict(config.DEFAULT)
    setup["categories"]["A"] |= {"slots": ["10:00-10:30"], "capacity": 4}
    now = FIXED_NOW.replace(tzinfo=HALL)
    with write_session(engine) as session:
        commands.configure(session, ADMIN, config.from_dict(setup), now=now - timedelta(hours=2))
        for category, minute, reason in (("A", 0, ""), ("A", 10, "老年人"), ("B", 15, "")):
            at = now.replace(hour=9, minute=minute)
            commands.issue(session, KIOSK, category, priority_reason=reason, now=at)
        appointments.book(
            session,
            KIOSK,
            "A",
            now.date(),
            "10:00-10:30",
            name="张三",
            id_number=APPOINTMENT_ID,
            now=now - timedelta(days=1),
        )
    engine.dispose()
    return NodeDatabase(path=node.path, settings=settings)
